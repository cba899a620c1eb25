//! Decision procedures for the non-string tests on one value: numbers and dates (exact rationals,
//! intervals with strict/non-strict bounds minus excluded points), IP addresses (ranges minus
//! excluded ranges) and binary values (equalities). Each takes the tests that must hold and the
//! tests that must fail and returns a witness string, `Unsat`, or `Unknown` — never a wrong
//! answer: every witness is re-checked with the concrete semantics of `iamproof_logic`.

use iamproof_logic::semantics::{decode_base64, encode_base64, parse_date, parse_ip, parse_number};
use iamproof_logic::{Cidr, Cmp, Decimal};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

/// The answer of a value theory: a value satisfying every constraint, `Unsat`, or `Unknown`
/// with why (the solver's one outcome type, with a string value as the witness).
pub type ValueOutcome = crate::Outcome<String>;

/// An exact rational from a decimal.
pub fn rational(d: &Decimal) -> BigRational {
    let digits = format!("{}{}", d.int_digits(), d.frac_digits());
    let n: BigInt = if digits.is_empty() {
        BigInt::zero()
    } else {
        digits.parse().unwrap_or_else(|_| BigInt::zero())
    };
    let den = num_traits::pow(BigInt::from(10), d.frac_digits().len());
    let r = BigRational::new(n, den);
    if d.is_negative() {
        -r
    } else {
        r
    }
}

/// Writes a rational whose denominator has only the factors 2 and 5 as a plain decimal
/// (`-?[0-9]+(\.[0-9]+)?`); `None` otherwise.
pub fn decimal_string(q: &BigRational) -> Option<String> {
    let neg = q.is_negative();
    let q = q.abs();
    let mut den = q.denom().clone();
    let mut scale = 0usize;
    let two = BigInt::from(2);
    let five = BigInt::from(5);
    let mut k2 = 0usize;
    let mut k5 = 0usize;
    while (&den % &two).is_zero() {
        den /= &two;
        k2 += 1;
    }
    while (&den % &five).is_zero() {
        den /= &five;
        k5 += 1;
    }
    if !den.is_one() {
        return None;
    }
    scale = scale.max(k2).max(k5);
    let scaled = q * BigRational::from_integer(num_traits::pow(BigInt::from(10), scale));
    let n = scaled.to_integer().to_string();
    let (int, frac) = if scale == 0 {
        (n, String::new())
    } else {
        let padded = format!("{n:0>width$}", width = scale + 1);
        let (i, f) = padded.split_at(padded.len() - scale);
        (i.to_string(), f.trim_end_matches('0').to_string())
    };
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    s.push_str(&int);
    if !frac.is_empty() {
        s.push('.');
        s.push_str(&frac);
    }
    Some(s)
}

/// Which parser a comparison uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumKind {
    /// `Numeric*` operators.
    Number,
    /// `Date*` operators (epoch seconds).
    Date,
}

/// One comparison `value ⊙ constant` that must hold (`holds = true`) or fail.
#[derive(Debug, Clone)]
pub struct NumConstraint {
    /// Number or date.
    pub kind: NumKind,
    /// The comparison.
    pub cmp: Cmp,
    /// The constant.
    pub value: Decimal,
    /// Whether it must hold.
    pub holds: bool,
}

fn concrete_num(c: &NumConstraint, v: &str) -> bool {
    let parsed = match c.kind {
        NumKind::Number => parse_number(v),
        NumKind::Date => parse_date(v),
    };
    let t = parsed.is_some_and(|n| c.cmp.holds(n.cmp(&c.value)));
    t == c.holds
}

/// Decides a conjunction of numeric/date comparisons on one value.
///
/// Plain decimals parse identically as numbers and as dates, so both kinds share one interval.
/// If some comparison must hold, the value is a plain decimal in the interval; otherwise a
/// non-numeric string fails every comparison. Mixing kinds with an empty interval is `Unknown`
/// (an ISO date string might parse as a date but not as a number).
pub fn solve_numeric(cs: &[NumConstraint]) -> ValueOutcome {
    if !cs.iter().any(|c| c.holds) {
        let v = "x".to_string();
        return if cs.iter().all(|c| concrete_num(c, &v)) {
            ValueOutcome::Sat(v)
        } else {
            ValueOutcome::Unknown("numeric: unexpected".into())
        };
    }
    let mut lo: Option<(BigRational, bool)> = None; // (bound, strict)
    let mut hi: Option<(BigRational, bool)> = None;
    let mut eq: Option<BigRational> = None;
    let mut neq: Vec<BigRational> = Vec::new();
    let mut empty = false;
    for c in cs {
        let q = rational(&c.value);
        // normalise the negation of the comparison
        let (cmp, ne) = match (c.cmp, c.holds) {
            (Cmp::Eq, true) => (Some(Cmp::Eq), false),
            (Cmp::Eq, false) => (None, true),
            (x, true) => (Some(x), false),
            (Cmp::Lt, false) => (Some(Cmp::Ge), false),
            (Cmp::Le, false) => (Some(Cmp::Gt), false),
            (Cmp::Gt, false) => (Some(Cmp::Le), false),
            (Cmp::Ge, false) => (Some(Cmp::Lt), false),
        };
        if ne {
            neq.push(q);
            continue;
        }
        match cmp {
            Some(Cmp::Eq) => {
                if eq.as_ref().is_some_and(|e| *e != q) {
                    empty = true;
                }
                eq = Some(q);
            }
            Some(Cmp::Lt) | Some(Cmp::Le) => {
                let strict = cmp == Some(Cmp::Lt);
                let tighter = match &hi {
                    None => true,
                    Some((h, s)) => q < *h || (q == *h && strict && !s),
                };
                if tighter {
                    hi = Some((q, strict));
                }
            }
            Some(Cmp::Gt) | Some(Cmp::Ge) => {
                let strict = cmp == Some(Cmp::Gt);
                let tighter = match &lo {
                    None => true,
                    Some((l, s)) => q > *l || (q == *l && strict && !s),
                };
                if tighter {
                    lo = Some((q, strict));
                }
            }
            None => {}
        }
    }
    let mixed =
        cs.iter().any(|c| c.kind == NumKind::Number) && cs.iter().any(|c| c.kind == NumKind::Date);
    let unsat = || {
        if mixed {
            ValueOutcome::Unknown("numbers and dates mixed on one value".into())
        } else {
            ValueOutcome::Unsat
        }
    };
    if empty {
        return unsat();
    }
    let in_bounds = |q: &BigRational| {
        lo.as_ref()
            .is_none_or(|(l, s)| if *s { q > l } else { q >= l })
            && hi
                .as_ref()
                .is_none_or(|(h, s)| if *s { q < h } else { q <= h })
            && !neq.contains(q)
    };
    let candidate = if let Some(e) = &eq {
        if in_bounds(e) {
            Some(e.clone())
        } else {
            None
        }
    } else {
        let one = BigRational::one();
        let mut found = None;
        for k in 0..=neq.len() + 1 {
            let kq = BigRational::from_integer(BigInt::from(k));
            let c = match (&lo, &hi) {
                (Some((l, _)), Some((h, _))) => {
                    if l > h {
                        break;
                    }
                    if l == h {
                        l.clone()
                    } else {
                        // l + (h - l) / 2^(k+1): strictly inside, all distinct
                        let d = (h - l)
                            / BigRational::from_integer(num_traits::pow(BigInt::from(2), k + 1));
                        l + d
                    }
                }
                (Some((l, _)), None) => l + &one + &kq,
                (None, Some((h, _))) => h - &one - &kq,
                (None, None) => kq,
            };
            if in_bounds(&c) {
                found = Some(c);
                break;
            }
        }
        found
    };
    let Some(q) = candidate else {
        return unsat();
    };
    let Some(s) = decimal_string(&q) else {
        return ValueOutcome::Unknown("numeric: witness not a finite decimal".into());
    };
    if cs.iter().all(|c| concrete_num(c, &s)) {
        ValueOutcome::Sat(s)
    } else {
        ValueOutcome::Unknown(format!("numeric: witness {s} failed the concrete check"))
    }
}

/// Decides a conjunction of IP range memberships on one value (`(range, must_hold)`).
pub fn solve_ip(cs: &[(Cidr, bool)]) -> ValueOutcome {
    let check = |v: &str| {
        cs.iter().all(|(c, holds)| {
            let t = parse_ip(v).is_some_and(|(v6, a)| c.contains(v6, a));
            t == *holds
        })
    };
    let pos: Vec<&Cidr> = cs.iter().filter(|c| c.1).map(|c| &c.0).collect();
    let Some(first) = pos.first() else {
        let v = "x".to_string();
        return if check(&v) {
            ValueOutcome::Sat(v)
        } else {
            ValueOutcome::Unknown("ip: unexpected".into())
        };
    };
    let v6 = first.v6;
    if pos.iter().any(|c| c.v6 != v6) {
        return ValueOutcome::Unsat;
    }
    let lo = pos.iter().map(|c| c.first).max().unwrap_or(0);
    let hi = pos.iter().map(|c| c.last).min().unwrap_or(0);
    if lo > hi {
        return ValueOutcome::Unsat;
    }
    let mut neg: Vec<(u128, u128)> = cs
        .iter()
        .filter(|(c, h)| !*h && c.v6 == v6)
        .map(|(c, _)| (c.first, c.last))
        .collect();
    neg.sort_unstable();
    let mut cur = lo;
    for (a, b) in neg {
        if a > cur {
            break;
        }
        if b >= cur {
            if b >= hi {
                return ValueOutcome::Unsat;
            }
            cur = b + 1;
        }
    }
    if cur > hi {
        return ValueOutcome::Unsat;
    }
    let s = if v6 {
        std::net::Ipv6Addr::from(cur).to_string()
    } else {
        std::net::Ipv4Addr::from(u32::try_from(cur).unwrap_or(0)).to_string()
    };
    if check(&s) {
        ValueOutcome::Sat(s)
    } else {
        ValueOutcome::Unknown(format!("ip: witness {s} failed the concrete check"))
    }
}

/// Decides a conjunction of binary equalities on one value (`(bytes, must_hold)`).
pub fn solve_binary(cs: &[(&[u8], bool)]) -> ValueOutcome {
    let check = |v: &str| {
        cs.iter()
            .all(|(b, holds)| (decode_base64(v).as_deref() == Some(*b)) == *holds)
    };
    let v = match cs.iter().find(|c| c.1) {
        Some((b, _)) => encode_base64(b),
        None => "x".to_string(),
    };
    if check(&v) {
        ValueOutcome::Sat(v)
    } else if cs.iter().any(|c| c.1) {
        // decoding is a function: two different required values, or a required value also
        // excluded
        ValueOutcome::Unsat
    } else {
        ValueOutcome::Unknown("binary: unexpected".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse_plain(s).unwrap()
    }

    fn n(cmp: Cmp, v: &str, holds: bool) -> NumConstraint {
        NumConstraint {
            kind: NumKind::Number,
            cmp,
            value: d(v),
            holds,
        }
    }

    #[test]
    fn numeric_intervals() {
        let out = solve_numeric(&[n(Cmp::Gt, "1", true), n(Cmp::Lt, "2", true)]);
        assert_eq!(out, ValueOutcome::Sat("1.5".into()));
        let out = solve_numeric(&[n(Cmp::Gt, "1", true), n(Cmp::Le, "1", true)]);
        assert_eq!(out, ValueOutcome::Unsat);
        let out = solve_numeric(&[
            n(Cmp::Ge, "1", true),
            n(Cmp::Le, "1", true),
            n(Cmp::Eq, "1", false),
        ]);
        assert_eq!(out, ValueOutcome::Unsat);
        let out = solve_numeric(&[
            n(Cmp::Ge, "0", true),
            n(Cmp::Le, "1", true),
            n(Cmp::Eq, "0.5", false),
            n(Cmp::Eq, "0.25", false),
        ]);
        assert_eq!(out, ValueOutcome::Sat("0.125".into()));
        let out = solve_numeric(&[n(Cmp::Lt, "-3.5", true), n(Cmp::Eq, "-4.5", false)]);
        assert_eq!(out, ValueOutcome::Sat("-5.5".into()));
        let out = solve_numeric(&[n(Cmp::Eq, "7", false)]);
        assert_eq!(out, ValueOutcome::Sat("x".into()));
    }

    #[test]
    fn decimal_strings() {
        let q = rational(&d("-0.05"));
        assert_eq!(decimal_string(&q).unwrap(), "-0.05");
        assert_eq!(decimal_string(&rational(&d("120"))).unwrap(), "120");
    }

    #[test]
    fn ip_ranges() {
        let c = |s: &str| iamproof_logic::semantics::parse_cidr(s).unwrap();
        let out = solve_ip(&[(c("10.0.0.0/8"), true), (c("10.0.0.0/9"), false)]);
        assert_eq!(out, ValueOutcome::Sat("10.128.0.0".into()));
        let out = solve_ip(&[(c("10.0.0.0/8"), true), (c("10.0.0.0/7"), false)]);
        assert_eq!(out, ValueOutcome::Unsat);
        let out = solve_ip(&[(c("10.0.0.0/8"), true), (c("2001:db8::/32"), true)]);
        assert_eq!(out, ValueOutcome::Unsat);
        let out = solve_ip(&[(c("2001:db8::/32"), true), (c("2001:db8::1"), false)]);
        assert!(matches!(out, ValueOutcome::Sat(_)));
    }

    #[test]
    fn binary() {
        assert_eq!(
            solve_binary(&[(b"ab", true)]),
            ValueOutcome::Sat("YWI=".into())
        );
        assert_eq!(
            solve_binary(&[(b"ab", true), (b"ab", false)]),
            ValueOutcome::Unsat
        );
        assert_eq!(
            solve_binary(&[(b"ab", false)]),
            ValueOutcome::Sat("x".into())
        );
    }
}
