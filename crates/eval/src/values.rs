//! Exact parsing of typed condition values: numbers, dates, IP addresses/CIDRs, booleans and
//! base64 (spec §4.4–§4.8).
//!
//! Written here (rather than taken from `iamproof_policy`) because the evaluator must compare
//! values *exactly* (no floating point) and must not depend on the parser's normalisation
//! choices; each function is small and documented with the rule it implements.

use std::cmp::Ordering;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An exact decimal number: sign, integer digits (no leading zeros) and fraction digits (no
/// trailing zeros). Zero is always non-negative, so `-0` ≡ `0`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decimal {
    negative: bool,
    int: String,
    frac: String,
}

impl Decimal {
    /// Parses `[+-]?digits[.digits]` (also `5.` and `.5`). No exponent, no spaces, no `NaN`,
    /// no hex. Anything else is not a number (spec §4.4: a non-numeric value never matches).
    pub fn parse(s: &str) -> Option<Decimal> {
        let (negative, rest) = match s.as_bytes().first()? {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        let (int, frac) = match rest.split_once('.') {
            Some((i, f)) => (i, f),
            None => (rest, ""),
        };
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let int = int.trim_start_matches('0').to_string();
        let frac = frac.trim_end_matches('0').to_string();
        let negative = negative && !(int.is_empty() && frac.is_empty());
        Some(Decimal {
            negative,
            int,
            frac,
        })
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

/// An instant: whole seconds since the Unix epoch plus a fraction of a second written as its
/// decimal digits without trailing zeros (so that comparison is exact).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Instant {
    seconds: i128,
    frac: String,
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let d = i64::from(d);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        _ => 28,
    }
}

fn fixed_digits(s: &str, n: usize) -> Option<u32> {
    if s.len() == n && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

impl Instant {
    /// Parses a date value (spec §4.5):
    /// - epoch seconds: `[-]digits[.digits]` (an all-digit value is *always* read as epoch
    ///   seconds, so a bare year `2024` means 2024 seconds after the epoch; the W3C `YYYY` form
    ///   is ambiguous with epoch values and the docs do not say which wins; FLAG);
    /// - W3C ISO 8601 profile: `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.s+]]TZD` with TZD
    ///   `Z` or `±hh:mm`. A missing TZD is read as UTC and a partial date as its first instant
    ///   (both undocumented; FLAG).
    pub fn parse(s: &str) -> Option<Instant> {
        if s.is_empty() {
            return None;
        }
        if let Some(d) = Decimal::parse(s) {
            if s.bytes()
                .all(|b| b.is_ascii_digit() || b == b'-' || b == b'.')
            {
                let int: i128 = if d.int.is_empty() {
                    0
                } else {
                    // Bounded: more than 30 digits of seconds is not a date.
                    if d.int.len() > 30 {
                        return None;
                    }
                    d.int.parse().ok()?
                };
                if d.negative {
                    // -x.f = -(x+1) + (1 - 0.f)
                    if d.frac.is_empty() {
                        return Some(Instant {
                            seconds: -int,
                            frac: String::new(),
                        });
                    }
                    let comp = complement_fraction(&d.frac);
                    return Some(Instant {
                        seconds: -int - 1,
                        frac: comp,
                    });
                }
                return Some(Instant {
                    seconds: int,
                    frac: d.frac,
                });
            }
        }
        let (date, time) = match s.split_once('T') {
            Some((d, t)) => (d, Some(t)),
            None => (s, None),
        };
        let mut dp = date.split('-');
        let year = fixed_digits(dp.next()?, 4)?;
        let month = match dp.next() {
            Some(m) => fixed_digits(m, 2)?,
            None => return None, // bare YYYY was handled as epoch above
        };
        let day = match dp.next() {
            Some(d) => fixed_digits(d, 2)?,
            None => 1,
        };
        if dp.next().is_some() {
            return None;
        }
        let year = i64::from(year);
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        if time.is_some() && !date.contains('-') {
            return None;
        }
        let mut seconds = i128::from(days_from_civil(year, month, day)) * 86_400;
        let mut frac = String::new();
        if let Some(t) = time {
            if date.len() != 10 {
                return None;
            }
            // Split off the zone designator.
            let (clock, offset_secs) = if let Some(c) = t.strip_suffix('Z') {
                (c, 0i128)
            } else if let Some(pos) = t.rfind(['+', '-']) {
                let (c, z) = t.split_at(pos);
                let sign = if z.starts_with('-') { -1 } else { 1 };
                let (hh, mm) = z.get(1..)?.split_once(':')?;
                let hh = fixed_digits(hh, 2)?;
                let mm = fixed_digits(mm, 2)?;
                if hh > 23 || mm > 59 {
                    return None;
                }
                (c, sign * i128::from(hh * 3600 + mm * 60))
            } else {
                (t, 0)
            };
            let mut cp = clock.split(':');
            let hh = fixed_digits(cp.next()?, 2)?;
            let mm = fixed_digits(cp.next()?, 2)?;
            let ss = match cp.next() {
                Some(sec) => {
                    let (whole, f) = match sec.split_once('.') {
                        Some((w, f)) => (w, Some(f)),
                        None => (sec, None),
                    };
                    if let Some(f) = f {
                        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
                            return None;
                        }
                        frac = f.trim_end_matches('0').to_string();
                    }
                    fixed_digits(whole, 2)?
                }
                None => 0,
            };
            if cp.next().is_some() || hh > 23 || mm > 59 || ss > 59 {
                return None;
            }
            seconds += i128::from(hh * 3600 + mm * 60 + ss) - offset_secs;
        }
        Some(Instant { seconds, frac })
    }
}

/// `1 - 0.f` as fraction digits (f non-empty, no trailing zeros).
fn complement_fraction(f: &str) -> String {
    // 10^n - f, written with n digits.
    let n = f.len();
    let mut digits: Vec<u8> = f.bytes().map(|b| b - b'0').collect();
    // subtract from 10^n: (9..9 - f) + 1
    for d in digits.iter_mut() {
        *d = 9 - *d;
    }
    let mut i = n;
    while i > 0 {
        i -= 1;
        if let Some(d) = digits.get_mut(i) {
            if *d == 9 {
                *d = 0;
            } else {
                *d += 1;
                break;
            }
        }
    }
    let s: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    s.trim_end_matches('0').to_string()
}

/// An IP network: address family, network bits and prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cidr {
    /// IPv4 address as a `u32` and prefix length 0..=32.
    V4(u32, u8),
    /// IPv6 address as a `u128` and prefix length 0..=128.
    V6(u128, u8),
}

impl Cidr {
    /// Parses a policy value: `a.b.c.d[/n]` or an IPv6 address `[/n]` (spec §4.8). Without a
    /// prefix an IPv4 address is `/32` (documented) and an IPv6 address is `/128`
    /// (undocumented; as iam-simulate). Host bits after the mask are ignored.
    pub fn parse(s: &str) -> Option<Cidr> {
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => {
                if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                (a, Some(p.parse::<u8>().ok()?))
            }
            None => (s, None),
        };
        match parse_ip(addr)? {
            IpAddr::V4(a) => {
                let p = prefix.unwrap_or(32);
                if p > 32 {
                    return None;
                }
                Some(Cidr::V4(u32::from(a), p))
            }
            IpAddr::V6(a) => {
                let p = prefix.unwrap_or(128);
                if p > 128 {
                    return None;
                }
                Some(Cidr::V6(u128::from(a), p))
            }
        }
    }

    /// Whether the address lies in this network; families never mix.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self, ip) {
            (Cidr::V4(net, p), IpAddr::V4(a)) => {
                let mask = if *p == 0 {
                    0
                } else {
                    u32::MAX << (32 - u32::from(*p))
                };
                (net & mask) == (u32::from(a) & mask)
            }
            (Cidr::V6(net, p), IpAddr::V6(a)) => {
                let mask = if *p == 0 {
                    0
                } else {
                    u128::MAX << (128 - u32::from(*p))
                };
                (net & mask) == (u128::from(a) & mask)
            }
            _ => false,
        }
    }
}

/// Parses a request's IP address (IPv4 dotted quad or IPv6); a value with a prefix is not an
/// address.
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    if let Ok(a) = s.parse::<Ipv4Addr>() {
        return Some(IpAddr::V4(a));
    }
    s.parse::<Ipv6Addr>().ok().map(IpAddr::V6)
}

/// Parses `true`/`false`, ignoring case (spec §4.6, as iam-simulate's Bool.ts).
pub fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Decodes standard base64 (with padding); `None` if malformed (spec §4.7).
pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_compare_exactly() {
        let d = |s| Decimal::parse(s).unwrap();
        assert_eq!(d("10"), d("10.000"));
        assert_eq!(d("-0"), d("0"));
        assert_eq!(d("007"), d("7"));
        assert!(d("0.1") < d("0.10000000000000000001"));
        assert!(d("-2") < d("-1.5"));
        assert!(d("99999999999999999999999") > d("9999999999999999999999.9"));
        assert!(Decimal::parse("1e3").is_none());
        assert!(Decimal::parse("").is_none());
        assert!(Decimal::parse("-").is_none());
        assert!(Decimal::parse(".").is_none());
        assert!(Decimal::parse("abc").is_none());
        assert_eq!(d(".5"), d("0.5"));
    }

    #[test]
    fn dates_parse_as_instants() {
        let i = |s| Instant::parse(s).unwrap();
        assert_eq!(i("1970-01-01T00:00:00Z"), i("0"));
        assert_eq!(i("2020-01-01T00:00:00Z"), i("1577836800"));
        assert_eq!(i("2020-01-01T01:00:00+01:00"), i("2020-01-01T00:00:00Z"));
        assert_eq!(i("2020-01-01"), i("2020-01-01T00:00Z"));
        assert!(i("2020-01-01T00:00:00.5Z") > i("2020-01-01T00:00:00Z"));
        assert!(i("2020-01-01T00:00:00.5Z") < i("2020-01-01T00:00:01Z"));
        assert!(i("-0.5") < i("0"));
        assert!(i("-0.5") > i("-1"));
        assert_eq!(
            i("-0.5"),
            Instant {
                seconds: -1,
                frac: "5".into()
            }
        );
        assert!(Instant::parse("2020-02-30").is_none());
        assert!(Instant::parse("2020-13-01").is_none());
        assert!(Instant::parse("yesterday").is_none());
    }

    #[test]
    fn cidrs() {
        let c = Cidr::parse("203.0.113.5/24").unwrap();
        assert!(c.contains(parse_ip("203.0.113.200").unwrap()));
        assert!(!c.contains(parse_ip("203.0.114.1").unwrap()));
        assert!(!c.contains(parse_ip("::1").unwrap()));
        assert!(Cidr::parse("1.2.3.4/33").is_none());
        let six = Cidr::parse("2001:db8::/32").unwrap();
        assert!(six.contains(parse_ip("2001:db8:1::1").unwrap()));
        assert!(Cidr::parse("0.0.0.0/0")
            .unwrap()
            .contains(parse_ip("8.8.8.8").unwrap()));
        assert!(Cidr::parse("1.2.3.4")
            .unwrap()
            .contains(parse_ip("1.2.3.4").unwrap()));
    }

    #[test]
    fn bools_and_base64() {
        assert_eq!(parse_bool("TRUE"), Some(true));
        assert_eq!(parse_bool("no"), None);
        assert_eq!(decode_base64("aGk="), Some(b"hi".to_vec()));
        assert_eq!(decode_base64("!!"), None);
    }
}
