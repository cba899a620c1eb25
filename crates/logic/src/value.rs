//! Typed constants of condition tests: exact decimals (numbers, and dates as epoch seconds) and
//! IP ranges. Decimals are kept as digit strings so comparisons are exact at any precision.

use std::cmp::Ordering;
use std::fmt;

/// An exact decimal number: sign, integer digits without leading zeros, fraction digits without
/// trailing zeros. Zero is never negative.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decimal {
    neg: bool,
    int: String,
    frac: String,
}

impl Decimal {
    /// Builds from parts (digits only; normalises leading/trailing zeros and the sign of zero).
    /// Returns `None` if a part has a non-digit.
    pub fn from_parts(neg: bool, int: &str, frac: &str) -> Option<Self> {
        if !int.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let int = int.trim_start_matches('0').to_string();
        let frac = frac.trim_end_matches('0').to_string();
        let neg = neg && !(int.is_empty() && frac.is_empty());
        Some(Decimal { neg, int, frac })
    }

    /// An integer.
    pub fn from_i128(v: i128) -> Self {
        let neg = v < 0;
        let digits = v.unsigned_abs().to_string();
        Decimal::from_parts(neg, &digits, "").unwrap_or(Decimal {
            neg: false,
            int: String::new(),
            frac: String::new(),
        })
    }

    /// Parses `-?[0-9]+(\.[0-9]+)?` (optionally with a leading `+`). Other forms give `None`.
    pub fn parse_plain(s: &str) -> Option<Self> {
        let (neg, rest) = match s.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let (int, frac) = match rest.split_once('.') {
            Some((i, f)) => (i, f),
            None => (rest, ""),
        };
        if int.is_empty() || (rest.contains('.') && frac.is_empty()) {
            return None;
        }
        Decimal::from_parts(neg, int, frac)
    }

    /// Whether the number is negative.
    pub fn is_negative(&self) -> bool {
        self.neg
    }

    /// Integer digits (no leading zeros; empty for zero).
    pub fn int_digits(&self) -> &str {
        &self.int
    }

    /// Fraction digits (no trailing zeros).
    pub fn frac_digits(&self) -> &str {
        &self.frac
    }

    fn cmp_abs(&self, other: &Self) -> Ordering {
        self.int
            .len()
            .cmp(&other.int.len())
            .then_with(|| self.int.cmp(&other.int))
            .then_with(|| self.frac.cmp(&other.frac))
    }

    /// The SMT-LIB `Real` literal for this number (`(- 1.5)` for negatives).
    pub fn to_smt_real(&self) -> String {
        let i = if self.int.is_empty() { "0" } else { &self.int };
        let f = if self.frac.is_empty() {
            "0"
        } else {
            &self.frac
        };
        if self.neg {
            format!("(- {i}.{f})")
        } else {
            format!("{i}.{f}")
        }
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.neg, other.neg) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_abs(other),
            (true, true) => other.cmp_abs(self),
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.neg {
            f.write_str("-")?;
        }
        f.write_str(if self.int.is_empty() { "0" } else { &self.int })?;
        if !self.frac.is_empty() {
            write!(f, ".{}", self.frac)?;
        }
        Ok(())
    }
}

/// A comparison of a request value with a policy constant: `request ⊙ constant`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cmp {
    /// `=`
    Eq,
    /// `<`
    Lt,
    /// `≤`
    Le,
    /// `>`
    Gt,
    /// `≥`
    Ge,
}

impl Cmp {
    /// Whether `ord` (request compared with constant) satisfies the comparison.
    pub fn holds(self, ord: Ordering) -> bool {
        match self {
            Cmp::Eq => ord == Ordering::Equal,
            Cmp::Lt => ord == Ordering::Less,
            Cmp::Le => ord != Ordering::Greater,
            Cmp::Gt => ord == Ordering::Greater,
            Cmp::Ge => ord != Ordering::Less,
        }
    }

    /// The symbol (`=`, `<`, `≤`, `>`, `≥`).
    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::Eq => "=",
            Cmp::Lt => "<",
            Cmp::Le => "≤",
            Cmp::Gt => ">",
            Cmp::Ge => "≥",
        }
    }

    /// The SMT-LIB function (`=`, `<`, `<=`, `>`, `>=`).
    pub fn smt(self) -> &'static str {
        match self {
            Cmp::Eq => "=",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        }
    }
}

/// An IP address range of one family, host bits cleared: all addresses `a` with
/// `first ≤ a ≤ last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cidr {
    /// IPv6 (128-bit) or IPv4 (32-bit).
    pub v6: bool,
    /// The network address.
    pub first: u128,
    /// The last address of the range.
    pub last: u128,
    /// The prefix length.
    pub prefix: u8,
}

impl Cidr {
    /// Builds the range of `addr/prefix` (host bits ignored). `None` if the prefix is too long.
    pub fn new(v6: bool, addr: u128, prefix: u8) -> Option<Self> {
        let bits: u32 = if v6 { 128 } else { 32 };
        if u32::from(prefix) > bits {
            return None;
        }
        let host_bits = bits - u32::from(prefix);
        let host_mask: u128 = if host_bits == 128 {
            u128::MAX
        } else {
            (1u128 << host_bits) - 1
        };
        let first = addr & !host_mask;
        Some(Cidr {
            v6,
            first,
            last: first | host_mask,
            prefix,
        })
    }

    /// Whether the address (of family `v6`) is in the range.
    pub fn contains(&self, v6: bool, addr: u128) -> bool {
        self.v6 == v6 && self.first <= addr && addr <= self.last
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.v6 {
            write!(
                f,
                "{}/{}",
                std::net::Ipv6Addr::from(self.first),
                self.prefix
            )
        } else {
            let a = u32::try_from(self.first).unwrap_or(0);
            write!(f, "{}/{}", std::net::Ipv4Addr::from(a), self.prefix)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_compare_exactly() {
        let a = Decimal::parse_plain("10").unwrap();
        let b = Decimal::parse_plain("9.999999999999999999999").unwrap();
        assert!(a > b);
        assert_eq!(Decimal::parse_plain("-0.0"), Decimal::parse_plain("0"));
        assert!(Decimal::parse_plain("-1") < Decimal::parse_plain("-0.5"));
        assert_eq!(Decimal::parse_plain("007.50").unwrap().to_string(), "7.5");
        assert!(Decimal::parse_plain("1.").is_none());
        assert!(Decimal::parse_plain("x").is_none());
    }

    #[test]
    fn cidr_ranges() {
        let c = Cidr::new(false, 0xCB00_7105, 24).unwrap();
        assert_eq!(c.to_string(), "203.0.113.0/24");
        assert!(c.contains(false, 0xCB00_71FF));
        assert!(!c.contains(true, 0xCB00_71FF));
    }
}
