//! Typed constants of condition tests: exact decimals (numbers, and dates as epoch seconds) and
//! IP ranges. Decimals are kept as digit strings so comparisons are exact at any precision.

use iamproof_policy as policy;
use std::cmp::Ordering;
use std::fmt;

/// An exact decimal number: [`iamproof_policy::Decimal`] (sign, integer digits without
/// leading zeros, fraction digits without trailing zeros; zero is never negative; `Ord` is
/// numeric order) with the constructors and SMT-LIB output the logic needs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Decimal(policy::Decimal);

impl Decimal {
    /// Builds from parts (digits only; normalises leading/trailing zeros and the sign of zero).
    /// Returns `None` if a part has a non-digit, or if the number is longer than
    /// [`iamproof_policy::MAX_NUMBER_LEN`].
    pub fn from_parts(neg: bool, int: &str, frac: &str) -> Option<Self> {
        if !int.bytes().all(|c| c.is_ascii_digit()) || !frac.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let sign = if neg { "-" } else { "" };
        let int = if int.is_empty() { "0" } else { int };
        policy::Decimal::parse(&format!("{sign}{int}.{frac}")).map(Decimal)
    }

    /// An integer.
    pub fn from_i128(v: i128) -> Self {
        Decimal(policy::Decimal::from_i128(v))
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

    /// The shared policy value.
    pub fn as_value(&self) -> &policy::Decimal {
        &self.0
    }

    /// Whether the number is negative.
    pub fn is_negative(&self) -> bool {
        self.0.is_negative()
    }

    /// Integer digits (no leading zeros; empty for zero).
    pub fn int_digits(&self) -> &str {
        self.0.int_digits()
    }

    /// Fraction digits (no trailing zeros).
    pub fn frac_digits(&self) -> &str {
        self.0.frac_digits()
    }

    /// The SMT-LIB `Real` literal for this number (`(- 1.5)` for negatives).
    pub fn to_smt_real(&self) -> String {
        let i = match self.int_digits() {
            "" => "0",
            i => i,
        };
        let f = match self.frac_digits() {
            "" => "0",
            f => f,
        };
        if self.is_negative() {
            format!("(- {i}.{f})")
        } else {
            format!("{i}.{f}")
        }
    }
}

impl From<policy::Decimal> for Decimal {
    fn from(d: policy::Decimal) -> Self {
        Decimal(d)
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
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
