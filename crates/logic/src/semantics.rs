//! The concrete semantics of formulas: how a request gives values to the variables and how each
//! atom and test is decided on them. These functions mirror `iamproof-eval` (the reference
//! evaluator), so that a formula's truth value under a request equals the evaluator's verdict.

use crate::formula::{Atom, CallerKind, ElemPred, Key, Test, Var};
use crate::value::{Cidr, Decimal};
use iamproof_eval::{Context, ContextValue, Request};
use iamproof_policy as policy;
use std::net::IpAddr;

/// A request prepared for evaluation: the principal split into kind and id, and the effective
/// context.
#[derive(Debug, Clone)]
pub struct Env<'a> {
    request: &'a Request,
    kind: CallerKind,
    principal: Option<&'a str>,
    context: Context,
}

impl<'a> Env<'a> {
    /// Prepares a request.
    pub fn new(request: &'a Request) -> Self {
        let (kind, principal) = CallerKind::of(&request.principal);
        Env {
            request,
            kind,
            principal,
            context: effective_context(request),
        }
    }

    /// The request.
    pub fn request(&self) -> &Request {
        self.request
    }

    /// The state of a key in the effective context.
    pub fn key(&self, k: &Key) -> Option<&ContextValue> {
        self.context.get(k.as_str())
    }

    /// The single value of a variable, if it has one.
    pub fn single(&self, v: &Var) -> Option<&str> {
        match v {
            Var::Action => Some(&self.request.action),
            Var::Resource => Some(&self.request.resource),
            Var::Principal => self.principal,
            Var::Key(k) => match self.key(k) {
                Some(ContextValue::Single(s)) => Some(s),
                _ => None,
            },
        }
    }

    /// Decides an atom.
    pub fn atom(&self, a: &Atom) -> bool {
        match a {
            Atom::Caller(k) => self.kind == *k,
            Atom::Present(k) => self.key(k).is_some(),
            Atom::Multi(k) => matches!(self.key(k), Some(ContextValue::Multi(_))),
            Atom::Test { var, test } => match self.single(var) {
                Some(v) => self.test(test, v),
                None => false,
            },
            Atom::ForAll { key, pred } => self.elements(key).iter().all(|e| self.pred(pred, e)),
            Atom::ForAny { key, pred } => self.elements(key).iter().any(|e| self.pred(pred, e)),
        }
    }

    /// The elements a quantifier ranges over: none if absent, `{s}` for a single non-empty value
    /// `s`, none for the single value `""`, the set for a multivalued key.
    pub fn elements(&self, k: &Key) -> Vec<&str> {
        match self.key(k) {
            None => Vec::new(),
            // An empty single value counts as an empty set under a qualifier (docs/semantics.md, "Set operators").
            Some(ContextValue::Single(s)) if s.is_empty() => Vec::new(),
            Some(ContextValue::Single(s)) => vec![s.as_str()],
            Some(ContextValue::Multi(v)) => v.iter().map(String::as_str).collect(),
        }
    }

    fn pred(&self, p: &ElemPred, e: &str) -> bool {
        p.negated != p.any_of.iter().any(|t| self.test(t, e))
    }

    /// Decides a test on a value.
    pub fn test(&self, t: &Test, v: &str) -> bool {
        match t {
            Test::Match(set) => set.matches(v),
            Test::Template(tpl) => {
                let lookup = |var: &Var| self.single(var).map(str::to_string);
                match tpl.substitute(&lookup) {
                    Some(g) => g.matches(tpl.mode, v),
                    None => false,
                }
            }
            Test::Numeric { cmp, value } => match parse_number(v) {
                Some(n) => cmp.holds(n.cmp(value)),
                None => false,
            },
            Test::Date { cmp, value } => match parse_date(v) {
                Some(n) => cmp.holds(n.cmp(value)),
                None => false,
            },
            Test::Ip(cidr) => match parse_ip(v) {
                Some((v6, a)) => cidr.contains(v6, a),
                None => false,
            },
            Test::Binary(bytes) => decode_base64(v).as_deref() == Some(&bytes[..]),
        }
    }
}

/// The request context with the keys AWS derives from the request filled in: exactly
/// `iamproof_eval::effective_context`.
pub fn effective_context(request: &Request) -> Context {
    iamproof_eval::effective_context(request)
}

/// Parses a number as numeric condition operators read it: the evaluator's reading
/// ([`iamproof_policy::parse_number`]: `[+-]?digits[.digits][(e|E)[+-]?digits]`, also
/// `5.` and `.5`; exponent at most 400 in magnitude, text at most 512 bytes) as a [`Decimal`].
pub fn parse_number(s: &str) -> Option<Decimal> {
    policy::parse_number(s).map(Decimal::from)
}

/// Parses a date value to exact epoch seconds: the evaluator's reading
/// ([`iamproof_policy::parse_date`]: the W3C ISO 8601 profiles `YYYY`, `YYYY-MM`,
/// `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.s+]][TZD]`, or epoch seconds `-?digits[.digits]` with at
/// most 15 integer digits; a four-digit value is a year; fractions keep 9 digits).
pub fn parse_date(s: &str) -> Option<Decimal> {
    let t = policy::parse_date(s)?;
    seconds_plus_fraction(i128::from(t.unix_seconds()), &format!("{:09}", t.nanos()))
}

/// The exact decimal `secs + 0.frac`.
fn seconds_plus_fraction(secs: i128, frac: &str) -> Option<Decimal> {
    let frac = frac.trim_end_matches('0');
    if secs >= 0 || frac.is_empty() {
        return Decimal::from_parts(secs < 0, &secs.unsigned_abs().to_string(), frac);
    }
    // secs < 0: secs + 0.f = -((|secs| - 1) + (1 - 0.f))
    let width = frac.len();
    let mut digits: Vec<u8> = frac.bytes().map(|b| 9 - (b - b'0')).collect();
    // (10^n - 1 - f) + 1
    let mut i = width;
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
    let comp: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    Decimal::from_parts(true, &(secs.unsigned_abs() - 1).to_string(), &comp)
}

/// Parses an IP address (IPv4 dotted quad or IPv6) into (is IPv6, value): the evaluator's
/// reading ([`iamproof_policy::parse_ip`]) as an integer.
pub fn parse_ip(s: &str) -> Option<(bool, u128)> {
    Some(match policy::parse_ip(s)? {
        IpAddr::V4(a) => (false, u128::from(u32::from(a))),
        IpAddr::V6(a) => (true, u128::from(a)),
    })
}

/// Parses a policy CIDR (`a.b.c.d/n`, IPv6 `x::/n`; no prefix means a single address): the
/// evaluator's reading ([`iamproof_policy::parse_cidr`]) as a [`Cidr`].
pub fn parse_cidr(s: &str) -> Option<Cidr> {
    let net = policy::parse_cidr(s)?;
    let (first, _) = net.bounds();
    Cidr::new(net.is_ipv6(), first, net.prefix())
}

/// Decodes standard base64 exactly as the evaluator does
/// ([`iamproof_policy::decode_base64`]: standard alphabet, padding optional, canonical
/// trailing bits, no whitespace).
pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    policy::decode_base64(s)
}

/// Encodes bytes as standard padded base64 (the canonical encoding, used in models).
pub fn encode_base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Parses `true`/`false` ignoring ASCII case (the `Bool` operator):
/// [`iamproof_policy::parse_bool`].
pub fn parse_bool(s: &str) -> Option<bool> {
    policy::parse_bool(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01T00:00:00Z").unwrap().to_string(), "0");
        assert_eq!(parse_date("2024"), parse_date("2024-01-01T00:00:00Z"));
        assert_eq!(parse_date("20240").unwrap().to_string(), "20240");
        assert!(parse_date("1234567890123456").is_none());
        assert_eq!(parse_date("2020-01-01"), parse_date("2020-01-01T00:00Z"));
        assert_eq!(parse_date("-1.25").unwrap().to_string(), "-1.25");
        assert!(parse_number(".5").is_some() && parse_number("5.").is_some());
        assert!(parse_number(".").is_none() && parse_number("1e401").is_none());
        assert_eq!(parse_number("1.5e3").unwrap().to_string(), "1500");
        assert_eq!(
            parse_date("2019-07-16T12:00:00Z").unwrap().to_string(),
            "1563278400"
        );
        assert_eq!(
            parse_date("2019-07-16T14:00:00+02:00"),
            parse_date("2019-07-16T12:00:00Z")
        );
        assert_eq!(
            parse_date("1969-12-31T23:59:59.5Z").unwrap().to_string(),
            "-0.5"
        );
        assert!(parse_date("2019-02-30").is_none());
        assert_eq!(parse_date("1563278400"), parse_date("2019-07-16T12:00:00Z"));
    }

    #[test]
    fn base64_roundtrip() {
        for v in [&b""[..], b"a", b"ab", b"abc", b"abcd", &[0u8, 255, 7]] {
            assert_eq!(decode_base64(&encode_base64(v)).unwrap(), v);
        }
        assert_eq!(
            decode_base64("QmluYXJ5VmFsdWVJbkJhc2U2NA==").unwrap(),
            b"BinaryValueInBase64"
        );
        assert_eq!(decode_base64("YQ").unwrap(), b"a");
        assert!(decode_base64("YR==").is_none());
    }

    #[test]
    fn cidrs() {
        let c = parse_cidr("203.0.113.5/24").unwrap();
        assert_eq!(c.to_string(), "203.0.113.0/24");
        assert!(parse_cidr("10.0.0.1/33").is_none());
        assert_eq!(parse_cidr("2001:db8::/32").unwrap().prefix, 32);
    }
}
