//! Typed condition values, parsed exactly (docs/semantics.md, "Typed values"): numbers, dates, IP ranges, booleans
//! and base64. Shared by every crate that needs to read a policy or request value; each parser
//! returns `None` for text that is not a value of its type (a non-value never matches: docs/semantics.md,
//! "Typed values") and never panics.

use base64::Engine as _;
use std::cmp::Ordering;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Exponents in number text beyond this magnitude are rejected (keeps the digit strings small).
pub(crate) const MAX_EXPONENT: i64 = 400;
/// Number text longer than this is rejected.
pub const MAX_NUMBER_LEN: usize = 512;

/// An exact decimal number (no floating point). Normalised: no leading zeros in the integer
/// part, no trailing zeros in the fraction, and zero is never negative, so derived equality is
/// numeric equality. `Ord` is numeric order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decimal {
    negative: bool,
    int: String,
    frac: String,
}

impl Decimal {
    /// Parses `[+-]?digits[.digits][(e|E)[+-]?digits]`; `5.` and `.5` are accepted too (AWS's
    /// exact grammar is undocumented; these are what the major parsers accept). No spaces, no
    /// `NaN`/`Infinity`, no hex. The exponent is applied exactly; `|exponent| > 400` or
    /// text longer than `MAX_NUMBER_LEN` gives `None`.
    pub fn parse(s: &str) -> Option<Decimal> {
        if s.len() > MAX_NUMBER_LEN {
            return None;
        }
        let (negative, rest) = match s.as_bytes().first()? {
            b'-' => (true, s.get(1..)?),
            b'+' => (false, s.get(1..)?),
            _ => (false, s),
        };
        let (mantissa, exp) = match rest.find(['e', 'E']) {
            Some(i) => {
                let e = rest.get(i + 1..)?;
                let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let v: i64 = e.parse().ok()?;
                if v.abs() > MAX_EXPONENT {
                    return None;
                }
                (rest.get(..i)?, v)
            }
            None => (rest, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // Shift the decimal point by the exponent.
        let mut digits = String::with_capacity(int.len() + frac.len());
        digits.push_str(int);
        digits.push_str(frac);
        let point = i64::try_from(int.len()).ok()? + exp;
        let (int, frac) = if point <= 0 {
            let zeros = usize::try_from(-point).ok()?;
            (String::new(), "0".repeat(zeros) + &digits)
        } else {
            let p = usize::try_from(point).ok()?;
            if p >= digits.len() {
                let pad = p - digits.len();
                (digits + &"0".repeat(pad), String::new())
            } else {
                let (a, b) = digits.split_at(p);
                (a.to_string(), b.to_string())
            }
        };
        Some(Self::normalise(negative, &int, &frac))
    }

    fn normalise(negative: bool, int: &str, frac: &str) -> Decimal {
        let int = int.trim_start_matches('0').to_string();
        let frac = frac.trim_end_matches('0').to_string();
        let negative = negative && !(int.is_empty() && frac.is_empty());
        Decimal {
            negative,
            int,
            frac,
        }
    }

    /// The integer `v`.
    pub fn from_i128(v: i128) -> Decimal {
        Self::normalise(v < 0, &v.unsigned_abs().to_string(), "")
    }

    /// Whether the number is below zero.
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// Whether the number has no fractional part.
    pub fn is_integer(&self) -> bool {
        self.frac.is_empty()
    }

    /// The integer digits without leading zeros (empty for |x| < 1).
    pub fn int_digits(&self) -> &str {
        &self.int
    }

    /// The fraction digits without trailing zeros (empty for integers).
    pub fn frac_digits(&self) -> &str {
        &self.frac
    }

    /// The value as an `i128` if it is an integer in range.
    pub fn to_i128(&self) -> Option<i128> {
        if !self.is_integer() {
            return None;
        }
        if self.int.is_empty() {
            return Some(0);
        }
        let mag: i128 = self.int.parse().ok()?;
        Some(if self.negative { -mag } else { mag })
    }

    fn cmp_magnitude(&self, other: &Decimal) -> Ordering {
        self.int
            .len()
            .cmp(&other.int.len())
            .then_with(|| self.int.cmp(&other.int))
            // Fractions without trailing zeros compare lexicographically as decimals.
            .then_with(|| self.frac.cmp(&other.frac))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_magnitude(other),
            (true, true) => other.cmp_magnitude(self),
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Decimal {
    /// The canonical form: `-12.5`, `0`, `0.25`, `100` (no exponent).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.negative {
            f.write_str("-")?;
        }
        f.write_str(if self.int.is_empty() { "0" } else { &self.int })?;
        if !self.frac.is_empty() {
            write!(f, ".{}", self.frac)?;
        }
        Ok(())
    }
}

/// Parses a number (see [`Decimal::parse`]).
pub fn parse_number(s: &str) -> Option<Decimal> {
    Decimal::parse(s)
}

/// An exact instant: seconds since the Unix epoch (UTC) and nanoseconds within the second.
/// `Ord` is time order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant {
    seconds: i64,
    nanos: u32,
}

impl Instant {
    /// Builds an instant; `None` if `nanos >= 1e9`.
    pub fn from_unix(seconds: i64, nanos: u32) -> Option<Instant> {
        (nanos < 1_000_000_000).then_some(Instant { seconds, nanos })
    }

    /// Whole seconds since 1970-01-01T00:00:00Z (floor).
    pub fn unix_seconds(&self) -> i64 {
        self.seconds
    }

    /// Nanoseconds after `unix_seconds`.
    pub fn nanos(&self) -> u32 {
        self.nanos
    }

    /// Milliseconds since the epoch, exact when the instant has no sub-millisecond part (floor
    /// otherwise).
    pub fn unix_millis(&self) -> i128 {
        i128::from(self.seconds) * 1000 + i128::from(self.nanos / 1_000_000)
    }

    /// Formats as `YYYY-MM-DDThh:mm:ss[.fffffffff]Z` (fraction digits only as needed). Years
    /// outside 0..=9999 are written with a sign.
    pub fn to_rfc3339(&self) -> String {
        let days = self.seconds.div_euclid(86_400);
        let secs = self.seconds.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let mut s = if (0..=9999).contains(&y) {
            format!("{y:04}")
        } else {
            format!("{y:+}")
        };
        s.push_str(&format!(
            "-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        ));
        if self.nanos != 0 {
            let f = format!("{:09}", self.nanos);
            s.push('.');
            s.push_str(f.trim_end_matches('0'));
        }
        s.push('Z');
        s
    }
}

/// Which written form a date value had (for FLAGs: partial dates and missing zones are
/// undocumented, docs/semantics.md, "Typed values").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum DateForm {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: the start of that year, month or day, UTC.
    Partial,
    /// A date and time with a zone designator.
    Full,
    /// A date and time without a zone designator (read as UTC).
    NoZone,
    /// Seconds since the epoch (an integer or a decimal).
    Epoch,
}

/// A parsed date value with its form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct DateValue {
    /// The instant.
    pub instant: Instant,
    /// How it was written.
    pub form: DateForm,
}

/// Parses a date value to its instant: the W3C ISO-8601 profiles of docs/semantics.md, "Typed values" — `YYYY`, `YYYY-MM`, `YYYY-MM-DD`,
/// `YYYY-MM-DDThh:mmTZD`, `YYYY-MM-DDThh:mm:ssTZD`, `YYYY-MM-DDThh:mm:ss.sTZD` with TZD `Z` or
/// `±hh:mm` — or epoch seconds (`-?digits[.digits]`). Choices where AWS is silent: partial dates
/// mean their first instant in UTC; a time without TZD is read as UTC; a fraction keeps at most
/// 9 digits (later digits are dropped); `T` and `Z` must be upper case; leap seconds
/// (`:60`) and `24:00` are rejected. A four-digit string such as `2024` is a year, not epoch
/// seconds.
pub fn parse_date(s: &str) -> Option<Instant> {
    parse_date_value(s).map(|d| d.instant)
}

/// [`parse_date`], keeping the written form (validation flags partial and zone-less dates).
pub(crate) fn parse_date_value(s: &str) -> Option<DateValue> {
    let b = s.as_bytes();
    if b.len() > 64 {
        return None;
    }
    let is_year_form = b.len() >= 4 && b.get(4).is_none_or(|c| *c == b'-');
    if !is_year_form || b.first() == Some(&b'-') {
        return parse_epoch(s);
    }
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let year = num(0, 4)?;
    let mut month = 1;
    let mut day = 1;
    let mut form = DateForm::Partial;
    let mut secs_of_day = 0i64;
    let mut nanos = 0u32;
    let mut offset = 0i64;
    let mut i = 4;
    if b.get(i) == Some(&b'-') {
        month = num(i + 1, 2)?;
        i += 3;
        if b.get(i) == Some(&b'-') {
            day = num(i + 1, 2)?;
            i += 3;
            if b.get(i) == Some(&b'T') {
                let hh = num(i + 1, 2)?;
                if b.get(i + 3) != Some(&b':') {
                    return None;
                }
                let mm = num(i + 4, 2)?;
                i += 6;
                let mut ss = 0;
                if b.get(i) == Some(&b':') {
                    ss = num(i + 1, 2)?;
                    i += 3;
                    if b.get(i) == Some(&b'.') {
                        i += 1;
                        let start = i;
                        while b.get(i).is_some_and(u8::is_ascii_digit) {
                            i += 1;
                        }
                        let digits = b.get(start..i)?;
                        if digits.is_empty() {
                            return None;
                        }
                        let mut n = 0u32;
                        for k in 0..9 {
                            n = n * 10 + u32::from(digits.get(k).map_or(0, |d| d - b'0'));
                        }
                        nanos = n;
                    }
                }
                if hh > 23 || mm > 59 || ss > 59 {
                    return None;
                }
                secs_of_day = hh * 3600 + mm * 60 + ss;
                form = match b.get(i) {
                    None => DateForm::NoZone,
                    Some(b'Z') => {
                        i += 1;
                        DateForm::Full
                    }
                    Some(&sign @ (b'+' | b'-')) => {
                        let oh = num(i + 1, 2)?;
                        if b.get(i + 3) != Some(&b':') {
                            return None;
                        }
                        let om = num(i + 4, 2)?;
                        if oh > 23 || om > 59 {
                            return None;
                        }
                        let o = oh * 3600 + om * 60;
                        offset = if sign == b'+' { o } else { -o };
                        i += 6;
                        DateForm::Full
                    }
                    Some(_) => return None,
                };
            }
        }
    }
    if i != b.len() {
        return None;
    }
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + secs_of_day - offset;
    Some(DateValue {
        instant: Instant { seconds, nanos },
        form,
    })
}

fn parse_epoch(s: &str) -> Option<DateValue> {
    let (neg, rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
    if int.is_empty()
        || int.len() > 15
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (rest.contains('.') && frac.is_empty())
    {
        return None;
    }
    let whole: i64 = int.parse().ok()?;
    let mut n = 0u32;
    let fb = frac.as_bytes();
    for k in 0..9 {
        n = n * 10 + u32::from(fb.get(k).map_or(0, |d| d - b'0'));
    }
    let (seconds, nanos) = if neg {
        if n == 0 {
            (-whole, 0)
        } else {
            (-whole - 1, 1_000_000_000 - n)
        }
    } else {
        (whole, n)
    };
    Some(DateValue {
        instant: Instant { seconds, nanos },
        form: DateForm::Epoch,
    })
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of `days_from_civil`.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// An IP range: a network address (host bits cleared) and a prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
    explicit_prefix: bool,
}

impl IpNet {
    /// The network address (host bits zero).
    pub fn network(&self) -> IpAddr {
        self.addr
    }

    /// The prefix length (0..=32 for IPv4, 0..=128 for IPv6).
    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// Whether the text had a `/prefix` (a bare address is `/32` or `/128`; the IPv6 default is
    /// undocumented, docs/semantics.md, "Typed values").
    pub fn had_explicit_prefix(&self) -> bool {
        self.explicit_prefix
    }

    /// Whether this is an IPv6 range.
    pub fn is_ipv6(&self) -> bool {
        self.addr.is_ipv6()
    }

    /// The first and last address of the range as integers (IPv4 in the low 32 bits).
    pub fn bounds(&self) -> (u128, u128) {
        let (bits, width) = match self.addr {
            IpAddr::V4(a) => (u128::from(u32::from(a)), 32u32),
            IpAddr::V6(a) => (u128::from(a), 128u32),
        };
        let host = width - u32::from(self.prefix);
        let span = if host >= 128 {
            u128::MAX
        } else {
            (1u128 << host) - 1
        };
        (bits, bits | span)
    }

    /// Whether `ip` is in the range. Families never mix (an IPv4 range holds no IPv6 address,
    /// IPv4-mapped ones included).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let v = match (self.addr, ip) {
            (IpAddr::V4(_), IpAddr::V4(x)) => u128::from(u32::from(x)),
            (IpAddr::V6(_), IpAddr::V6(x)) => u128::from(x),
            _ => return false,
        };
        let (lo, hi) = self.bounds();
        lo <= v && v <= hi
    }
}

impl fmt::Display for IpNet {
    /// `network/prefix`, always with the prefix.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// Parses an IP address (IPv4 dotted quad or IPv6), no prefix, no spaces.
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    s.parse().ok()
}

/// Parses `addr` or `addr/prefix` (IPv4 or IPv6). A bare address is a single host (`/32`,
/// `/128`); host bits after the prefix are cleared (`203.0.113.5/24` ≡ `203.0.113.0/24`).
pub fn parse_cidr(s: &str) -> Option<IpNet> {
    let (a, p) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let addr: IpAddr = a.parse().ok()?;
    let width: u8 = if addr.is_ipv4() { 32 } else { 128 };
    let prefix = match p {
        None => width,
        Some(p) => {
            if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let v: u8 = p.parse().ok()?;
            if v > width {
                return None;
            }
            v
        }
    };
    let host = u32::from(width - prefix);
    let addr = match addr {
        IpAddr::V4(x) => {
            let mask = if host >= 32 { 0 } else { u32::MAX << host };
            IpAddr::V4(Ipv4Addr::from(u32::from(x) & mask))
        }
        IpAddr::V6(x) => {
            let mask = if host >= 128 { 0 } else { u128::MAX << host };
            IpAddr::V6(Ipv6Addr::from(u128::from(x) & mask))
        }
    };
    Some(IpNet {
        addr,
        prefix,
        explicit_prefix: p.is_some(),
    })
}

/// Parses a Boolean value: `true` or `false`, any case (docs/semantics.md, "Typed values").
pub fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Decodes a `BinaryEquals` value: standard base64 alphabet, padding optional, no whitespace.
pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    engine.decode(s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn numbers() {
        assert_eq!(d("10"), d("10.0"));
        assert_eq!(d("-0"), d("0"));
        assert_eq!(d("1e3"), d("1000"));
        assert_eq!(d("1.5E-2"), d("0.015"));
        assert_eq!(d("+7"), d("7"));
        assert_eq!(d(".5"), d("0.5"));
        assert_eq!(d("5."), d("5"));
        assert!(d("0.1") < d("0.10001"));
        assert!(d("-2") < d("-1.5"));
        assert!(d("99999999999999999999999999999999999999999") > d("1e40"));
        assert_eq!(d("12.50").to_string(), "12.5");
        assert_eq!(d("-0.0").to_string(), "0");
        for bad in [
            "", "-", ".", "1e", "e5", "1.2.3", " 1", "0x10", "NaN", "1e999", "--1",
        ] {
            assert_eq!(Decimal::parse(bad), None, "{bad:?}");
        }
        assert_eq!(d("123").to_i128(), Some(123));
        assert_eq!(d("1.5").to_i128(), None);
    }

    #[test]
    fn dates() {
        let t = |s: &str| parse_date(s).unwrap().unix_seconds();
        assert_eq!(t("1970"), 0);
        assert_eq!(t("2020-01-01T00:00:00Z"), 1_577_836_800);
        assert_eq!(t("2020-01-01T01:00+01:00"), 1_577_836_800);
        assert_eq!(t("2019-12-31T19:00:00-05:00"), 1_577_836_800);
        assert_eq!(t("2020-03"), t("2020-03-01T00:00:00Z"));
        assert_eq!(t("1577836800"), 1_577_836_800);
        let i = parse_date("2020-01-01T00:00:00.25Z").unwrap();
        assert_eq!(i.nanos(), 250_000_000);
        assert_eq!(i.unix_millis(), 1_577_836_800_250);
        assert_eq!(
            parse_date_value("2020-01-01T00:00:00").unwrap().form,
            DateForm::NoZone
        );
        assert_eq!(parse_date_value("2020").unwrap().form, DateForm::Partial);
        assert_eq!(parse_date_value("12").unwrap().form, DateForm::Epoch);
        // Eight digits are epoch seconds, not a basic-format date.
        assert_eq!(t("20200101"), 20_200_101);
        let neg = parse_date("-1.5").unwrap();
        assert_eq!((neg.unix_seconds(), neg.nanos()), (-2, 500_000_000));
        assert_eq!(t("2024-02-29"), t("2024-02-28") + 86_400);
        for bad in [
            "2023-02-29",
            "2020-13-01",
            "2020-01-01T24:00Z",
            "2020-01-01T00:00:60Z",
            "2020-01-01T00:00:00.Z",
            "2020-01-01t00:00Z",
            "2020-01-01T00:00+0100",
            "2020-1-01",
            "",
            "abc",
            "1.",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn cidrs() {
        let n = parse_cidr("203.0.113.5/24").unwrap();
        assert_eq!(n.to_string(), "203.0.113.0/24");
        assert!(n.contains("203.0.113.200".parse().unwrap()));
        assert!(!n.contains("203.0.114.1".parse().unwrap()));
        assert!(!n.contains("::ffff:203.0.113.1".parse().unwrap()));
        let h = parse_cidr("10.0.0.1").unwrap();
        assert_eq!((h.prefix(), h.had_explicit_prefix()), (32, false));
        let v6 = parse_cidr("2001:db8::1/32").unwrap();
        assert_eq!(v6.to_string(), "2001:db8::/32");
        assert!(v6.contains("2001:db8:ffff::1".parse().unwrap()));
        assert_eq!(parse_cidr("::1").unwrap().prefix(), 128);
        assert!(parse_cidr("0.0.0.0/0")
            .unwrap()
            .contains("1.2.3.4".parse().unwrap()));
        for bad in [
            "10.0.0.1/33",
            "10.0.0.1/",
            "10.0.0/8",
            "::1/129",
            "10.0.0.1/+8",
            " 10.0.0.1",
            "010.0.0.1",
        ] {
            assert_eq!(parse_cidr(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn bools_and_base64() {
        assert_eq!(parse_bool("TRUE"), Some(true));
        assert_eq!(parse_bool("False"), Some(false));
        assert_eq!(parse_bool("yes"), None);
        assert_eq!(decode_base64("aGk="), Some(b"hi".to_vec()));
        assert_eq!(decode_base64("aGk"), Some(b"hi".to_vec()));
        assert_eq!(decode_base64("a Gk="), None);
    }

    proptest! {
        #[test]
        fn decimal_display_round_trips(neg in any::<bool>(), int in "[0-9]{0,30}", frac in "[0-9]{0,30}") {
            prop_assume!(!(int.is_empty() && frac.is_empty()));
            let text = format!("{}{}.{}", if neg { "-" } else { "" }, int, frac);
            let x = Decimal::parse(&text).unwrap();
            prop_assert_eq!(Decimal::parse(&x.to_string()), Some(x));
        }

        #[test]
        fn decimal_order_matches_integers(a in any::<i64>(), b in any::<i64>(), scale in 0u32..6) {
            let s = |v: i64| {
                let t = format!("{:0>7}", v.unsigned_abs());
                let (i, f) = t.split_at(t.len() - scale as usize);
                format!("{}{}.{}", if v < 0 { "-" } else { "" }, i, f)
            };
            let (da, db) = (Decimal::parse(&s(a)).unwrap(), Decimal::parse(&s(b)).unwrap());
            prop_assert_eq!(da.cmp(&db), a.cmp(&b));
        }

        #[test]
        fn decimal_exponent_is_exact(m in any::<i64>(), e in 0u32..20) {
            let up = Decimal::parse(&format!("{m}e{e}")).unwrap();
            prop_assert_eq!(&up, &Decimal::from_i128(i128::from(m) * 10i128.pow(e)));
            // Shifting down and back up is the identity.
            let down = Decimal::parse(&format!("{m}e-{e}")).unwrap();
            prop_assert_eq!(Decimal::parse(&format!("{down}e{e}")), Some(Decimal::from_i128(i128::from(m))));
        }

        #[test]
        fn date_format_round_trips(secs in -62_135_596_800i64..253_402_300_799, nanos in 0u32..1_000_000_000) {
            let i = Instant::from_unix(secs, nanos).unwrap();
            prop_assert_eq!(parse_date(&i.to_rfc3339()), Some(i));
        }

        #[test]
        fn cidr_contains_its_bounds(a in any::<u32>(), p in 0u8..=32) {
            let n = parse_cidr(&format!("{}/{p}", Ipv4Addr::from(a))).unwrap();
            let (lo, hi) = n.bounds();
            prop_assert!(n.contains(IpAddr::V4(Ipv4Addr::from(lo as u32))));
            prop_assert!(n.contains(IpAddr::V4(Ipv4Addr::from(hi as u32))));
            prop_assert!(n.contains(IpAddr::V4(Ipv4Addr::from(a))));
            prop_assert_eq!(parse_cidr(&n.to_string()), Some(IpNet { explicit_prefix: true, ..n }));
        }

        #[test]
        fn base64_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let s = base64::engine::general_purpose::STANDARD.encode(&bytes);
            prop_assert_eq!(decode_base64(&s), Some(bytes));
        }

        #[test]
        fn parsers_never_panic(s in "\\PC{0,40}") {
            let _ = Decimal::parse(&s);
            let _ = parse_date_value(&s);
            let _ = parse_cidr(&s);
            let _ = decode_base64(&s);
        }
    }
}
