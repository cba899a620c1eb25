//! Condition evaluation (docs/semantics.md, "Missing keys and negated operators"): every operator, the missing-key table, NOR for negated
//! operators, `IfExists`, `Null`, and the `ForAllValues`/`ForAnyValue` qualifiers.
//!
//! The evaluation of one (operator, key, values) entry is a function of the operator, its
//! qualifier and `IfExists` flag, the policy values, and the request key's state
//! ([`KeyState`]): absent, one value, or a set of values.
//!
//! Choices on the open questions of docs/semantics.md, "Open questions and our answers" (each is tested in this module or in
//! `tests/corners.rs`):
//! - Missing Version: variables are substituted only when
//!   [`iamproof_policy::Policy::variables_enabled`] (Version `2012-10-17`); without a Version
//!   `${…}` is literal text, as the Variables page says (docs/semantics.md, "Version and policy variables").
//! - Bool with a policy variable: **not substituted** (the Variables page and Access
//!   Analyzer say variables are not supported for Bool); the text `${…}` is
//!   then not a boolean and never matches.
//! - `ForAllValues:StringNotLike` with the key missing: **true**, the general rule for
//!   `ForAllValues` (the multivalued examples page; the condition operators page: "ForAllValues … returns true if the key is missing").
//! - Negated operator whose only value is an unresolvable variable: **true**, as the
//!   Variables page says ("…StringNotEquals … the condition evaluates to true" when the
//!   variable has no value). Generally an unresolvable value is a *no hit*, which NOR
//!   turns into true.
//! - `ForAnyValue:…IfExists` with the key missing: **true** by the IfExists rule
//!   (the condition operators page: "…IfExists … if the key is not present, evaluates to true").
//! - `ForAllValues:Null` is always true and `ForAnyValue:Null` always false, as Access
//!   Analyzer's policy check reference states.
//! - Empty policy value list: the condition holds only when the key is absent and the
//!   operator is `…IfExists` or `ForAllValues:` (Access Analyzer's policy check reference: "Empty array condition",
//!   "…IfExists with empty array", "ForAllValues with empty array"); otherwise it is false, so
//!   the statement is inert (Access Analyzer: "the statement has no effect").
//! - Wildcards in the ARN service field, the case of ARN fields and role
//!   names, and `*` spanning `:` in the resource field are decided in [`crate::matching`].
//! - Malformed typed values (a number, date, IP, Bool or base64 value that does not parse,
//!   on either side): a *no hit* for that value pair, for positive and negated operators alike
//!   (so a negated operator whose only policy value is malformed is true when the key is
//!   present). AWS does not document this; iam-simulate makes the negated condition false.
//!   FLAG.
//! - Typed values (numbers, dates, IP ranges, booleans, base64) are read by `iamproof_policy`'s
//!   parsers (`parse_number`, `parse_date`…), the one reading every iamproof crate shares; their
//!   documented choices (exponents in numbers, `YYYY` as a year, UTC for a missing zone, `/128`
//!   for a bare IPv6 address, optional base64 padding) are therefore the evaluator's too.
//! - A plain (unqualified) operator on a multivalued request value never matches, for
//!   negated operators too (iam-simulate: condition.ts).
//! - An empty string under a qualifier counts as an empty set (docs/semantics.md, "Set operators": "resolves to null/an
//!   empty string"), and `Null` treats an empty string or empty set as null (the condition operators page Null).

use crate::matching::{
    arn_like, glob_match, glob_pattern, pattern_text, resolve_template, PatternChar,
};
use crate::request::{Context, ContextValue};
use iamproof_policy::{decode_base64, parse_bool, parse_cidr, parse_date, parse_ip, parse_number};
use iamproof_policy::{BaseOperator, Condition, ConditionValue, OperatorFamily, SetQualifier};
use std::cmp::Ordering;

/// The state of a condition key in the request context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyState<'a> {
    /// Not in the request context.
    Absent,
    /// One value.
    Single(&'a str),
    /// A set of values (a multivalued key), possibly empty.
    Multi(&'a [String]),
}

impl<'a> KeyState<'a> {
    /// The state of `key` in `ctx` (key names compare ignoring case).
    pub fn of(ctx: &'a Context, key: &str) -> KeyState<'a> {
        match ctx.get(key) {
            None => KeyState::Absent,
            Some(ContextValue::Single(s)) => KeyState::Single(s),
            Some(ContextValue::Multi(v)) => KeyState::Multi(v),
        }
    }
}

/// A policy value after variable resolution: `None` if it holds an unresolvable variable.
pub type ResolvedValue = Option<Vec<PatternChar>>;

/// Whether policy variables are substituted in values of this operator family (docs/semantics.md, "Version and policy variables"): only
/// String and ARN operators (Bool: see the module doc).
pub fn family_takes_variables(family: OperatorFamily) -> bool {
    matches!(family, OperatorFamily::String | OperatorFamily::Arn)
}

/// Whether `*`/`?` in a policy value are wildcards for this operator (`StringLike`,
/// `StringNotLike` and all ARN operators; docs/semantics.md, "Case folding" and "ARN matching").
pub fn operator_is_glob(base: BaseOperator) -> bool {
    matches!(
        base,
        BaseOperator::StringLike
            | BaseOperator::StringNotLike
            | BaseOperator::ArnEquals
            | BaseOperator::ArnLike
            | BaseOperator::ArnNotEquals
            | BaseOperator::ArnNotLike
    )
}

/// Resolves one policy value of a condition against the context: variables are substituted
/// only when `variables_enabled` (the policy's Version is 2012-10-17) and the operator family
/// takes them; otherwise the value's text is used as written.
pub fn resolve_value(
    base: BaseOperator,
    value: &ConditionValue,
    ctx: &Context,
    variables_enabled: bool,
) -> ResolvedValue {
    let glob = operator_is_glob(base);
    if variables_enabled && family_takes_variables(base.family()) {
        resolve_template(&value.template, ctx, glob)
    } else if glob {
        Some(glob_pattern(&value.text))
    } else {
        Some(crate::matching::literal_pattern(&value.text))
    }
}

/// Whether one request value *hits* one resolved policy value under the **positive** form of
/// `base` (for a negated operator, its positive counterpart: `StringNotEquals` hits when the
/// strings are equal). Malformed values on either side never hit (docs/semantics.md, "Typed values"). The comparison
/// reads request-value ⊙ policy-value (`NumericLessThan`: request < policy).
pub fn value_hits(base: BaseOperator, request_value: &str, policy_value: &[PatternChar]) -> bool {
    use BaseOperator as B;
    let text = || pattern_text(policy_value).unwrap_or_default();
    match base {
        B::StringEquals | B::StringNotEquals => {
            pattern_text(policy_value).is_some_and(|p| p == request_value)
        }
        B::StringEqualsIgnoreCase | B::StringNotEqualsIgnoreCase => pattern_text(policy_value)
            .is_some_and(|p| {
                // Folded per character on both sides, like action names (`iamproof_policy::glob`).
                iamproof_policy::glob::fold_case(&p)
                    == iamproof_policy::glob::fold_case(request_value)
            }),
        B::StringLike | B::StringNotLike => glob_match(policy_value, request_value),
        B::ArnEquals | B::ArnLike | B::ArnNotEquals | B::ArnNotLike => {
            arn_like(policy_value, request_value)
        }
        B::NumericEquals
        | B::NumericNotEquals
        | B::NumericLessThan
        | B::NumericLessThanEquals
        | B::NumericGreaterThan
        | B::NumericGreaterThanEquals => {
            match (parse_number(request_value), parse_number(&text())) {
                (Some(r), Some(p)) => ordering_hits(base, r.cmp(&p)),
                _ => false,
            }
        }
        B::DateEquals
        | B::DateNotEquals
        | B::DateLessThan
        | B::DateLessThanEquals
        | B::DateGreaterThan
        | B::DateGreaterThanEquals => match (parse_date(request_value), parse_date(&text())) {
            (Some(r), Some(p)) => ordering_hits(base, r.cmp(&p)),
            _ => false,
        },
        B::Bool => match (parse_bool(request_value), parse_bool(&text())) {
            (Some(r), Some(p)) => r == p,
            _ => false,
        },
        // The request value of a binary key is its bytes in base64 (context values are
        // strings); both sides are decoded and compared as bytes (docs/semantics.md, "Typed values").
        B::BinaryEquals => match (decode_base64(request_value), decode_base64(&text())) {
            (Some(r), Some(p)) => r == p,
            _ => false,
        },
        B::IpAddress | B::NotIpAddress => match (parse_ip(request_value), parse_cidr(&text())) {
            (Some(ip), Some(net)) => net.contains(ip),
            _ => false,
        },
        // Null is not a per-value comparison; see `condition_holds`.
        B::Null => false,
    }
}

fn ordering_hits(base: BaseOperator, ord: Ordering) -> bool {
    use BaseOperator as B;
    match base {
        B::NumericEquals | B::NumericNotEquals | B::DateEquals | B::DateNotEquals => {
            ord == Ordering::Equal
        }
        B::NumericLessThan | B::DateLessThan => ord == Ordering::Less,
        B::NumericLessThanEquals | B::DateLessThanEquals => ord != Ordering::Greater,
        B::NumericGreaterThan | B::DateGreaterThan => ord == Ordering::Greater,
        B::NumericGreaterThanEquals | B::DateGreaterThanEquals => ord != Ordering::Less,
        _ => false,
    }
}

/// The base test `t(r, P)` of docs/semantics.md, "Set operators" for one request value: for a positive operator some
/// policy value hits; for a negated one none does (NOR). Unresolvable values never hit.
pub fn value_test(
    base: BaseOperator,
    request_value: &str,
    policy_values: &[ResolvedValue],
) -> bool {
    let any = policy_values
        .iter()
        .flatten()
        .any(|p| value_hits(base, request_value, p));
    if base.is_negated() {
        !any
    } else {
        any
    }
}

/// Whether a key state counts as null for `Null` (absent, empty string, empty set).
fn is_null(state: KeyState<'_>) -> bool {
    match state {
        KeyState::Absent => true,
        KeyState::Single(s) => s.is_empty(),
        KeyState::Multi(v) => v.is_empty(),
    }
}

/// Evaluates one condition entry given the key state and the resolved policy values (the core
/// truth table; see the module doc for the choices on open questions).
pub fn condition_holds(
    base: BaseOperator,
    qualifier: Option<SetQualifier>,
    if_exists: bool,
    policy_values: &[ResolvedValue],
    state: KeyState<'_>,
) -> bool {
    if base == BaseOperator::Null {
        return match qualifier {
            // Access Analyzer: ForAllValues:Null is always true, ForAnyValue:Null always false.
            Some(SetQualifier::ForAllValues) => true,
            Some(SetQualifier::ForAnyValue) => false,
            None => {
                if if_exists && state == KeyState::Absent {
                    return true;
                }
                let null = is_null(state);
                // Values are ORed; a value that is not a boolean never hits.
                policy_values.iter().flatten().any(|p| {
                    pattern_text(p)
                        .and_then(|t| parse_bool(&t))
                        .is_some_and(|want| want == null)
                })
            }
        };
    }
    let absent = state == KeyState::Absent;
    if policy_values.is_empty() {
        // docs/semantics.md, "IfExists and Null": only `IfExists` or `ForAllValues` on an absent key holds.
        return absent && (if_exists || qualifier == Some(SetQualifier::ForAllValues));
    }
    match qualifier {
        None => match state {
            KeyState::Absent => if_exists || base.is_negated(),
            KeyState::Single(r) => value_test(base, r, policy_values),
            // docs/semantics.md, "Missing keys and negated operators": a plain operator on a multivalued value is no match.
            KeyState::Multi(_) => false,
        },
        Some(SetQualifier::ForAllValues) => match state {
            KeyState::Absent => true,
            KeyState::Single(r) => r.is_empty() || value_test(base, r, policy_values),
            KeyState::Multi(rs) => rs.iter().all(|r| value_test(base, r, policy_values)),
        },
        Some(SetQualifier::ForAnyValue) => match state {
            KeyState::Absent => if_exists,
            KeyState::Single(r) => !r.is_empty() && value_test(base, r, policy_values),
            KeyState::Multi(rs) => rs.iter().any(|r| value_test(base, r, policy_values)),
        },
    }
}

/// Evaluates one condition entry against a request context (which should be the
/// [`crate::effective_context`] of the request). `variables_enabled` is
/// [`iamproof_policy::Policy::variables_enabled`] of the policy holding the condition.
pub fn condition_matches(condition: &Condition, ctx: &Context, variables_enabled: bool) -> bool {
    let op = condition.operator;
    let values: Vec<ResolvedValue> = condition
        .values
        .iter()
        .map(|v| resolve_value(op.base, v, ctx, variables_enabled))
        .collect();
    condition_holds(
        op.base,
        op.qualifier,
        op.if_exists,
        &values,
        KeyState::of(ctx, &condition.key),
    )
}

/// All condition entries of a statement, ANDed (an empty list is true).
pub fn conditions_match(conditions: &[Condition], ctx: &Context, variables_enabled: bool) -> bool {
    conditions
        .iter()
        .all(|c| condition_matches(c, ctx, variables_enabled))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::literal_pattern;
    use BaseOperator as B;

    fn vals(v: &[&str]) -> Vec<ResolvedValue> {
        v.iter().map(|s| Some(literal_pattern(s))).collect()
    }

    fn globs(v: &[&str]) -> Vec<ResolvedValue> {
        v.iter().map(|s| Some(glob_pattern(s))).collect()
    }

    #[test]
    fn missing_key_table() {
        let p = vals(&["a"]);
        for base in BaseOperator::ALL {
            if *base == B::Null {
                continue;
            }
            let plain = condition_holds(*base, None, false, &p, KeyState::Absent);
            assert_eq!(plain, base.is_negated(), "{base:?}");
            assert!(condition_holds(*base, None, true, &p, KeyState::Absent));
            assert!(condition_holds(
                *base,
                Some(SetQualifier::ForAllValues),
                false,
                &p,
                KeyState::Absent
            ));
            assert!(!condition_holds(
                *base,
                Some(SetQualifier::ForAnyValue),
                false,
                &p,
                KeyState::Absent
            ));
            // docs/semantics.md, "IfExists and Null"
            assert!(condition_holds(
                *base,
                Some(SetQualifier::ForAnyValue),
                true,
                &p,
                KeyState::Absent
            ));
        }
        assert!(condition_holds(
            B::Null,
            None,
            false,
            &vals(&["true"]),
            KeyState::Absent
        ));
        assert!(!condition_holds(
            B::Null,
            None,
            false,
            &vals(&["false"]),
            KeyState::Absent
        ));
        assert!(condition_holds(
            B::Null,
            None,
            false,
            &vals(&["false"]),
            KeyState::Single("x")
        ));
        assert!(condition_holds(
            B::Null,
            Some(SetQualifier::ForAllValues),
            false,
            &vals(&["false"]),
            KeyState::Absent
        ));
        assert!(!condition_holds(
            B::Null,
            Some(SetQualifier::ForAnyValue),
            false,
            &vals(&["true"]),
            KeyState::Absent
        ));
    }

    #[test]
    fn nor_and_multi() {
        let p = vals(&["a", "b"]);
        assert!(!condition_holds(
            B::StringNotEquals,
            None,
            false,
            &p,
            KeyState::Single("a")
        ));
        assert!(condition_holds(
            B::StringNotEquals,
            None,
            false,
            &p,
            KeyState::Single("c")
        ));
        let multi = vec!["a".to_string()];
        assert!(!condition_holds(
            B::StringEquals,
            None,
            false,
            &p,
            KeyState::Multi(&multi)
        ));
        assert!(!condition_holds(
            B::StringNotEquals,
            None,
            false,
            &p,
            KeyState::Multi(&multi)
        ));
        let set = vec!["a".to_string(), "c".to_string()];
        let fa = Some(SetQualifier::ForAllValues);
        let fy = Some(SetQualifier::ForAnyValue);
        assert!(!condition_holds(
            B::StringEquals,
            fa,
            false,
            &p,
            KeyState::Multi(&set)
        ));
        assert!(condition_holds(
            B::StringEquals,
            fy,
            false,
            &p,
            KeyState::Multi(&set)
        ));
        // ForAllValues:StringNotEquals = none of R in P; ForAnyValue:StringNotEquals = some r ∉ P.
        assert!(!condition_holds(
            B::StringNotEquals,
            fa,
            false,
            &p,
            KeyState::Multi(&set)
        ));
        assert!(condition_holds(
            B::StringNotEquals,
            fy,
            false,
            &p,
            KeyState::Multi(&set)
        ));
        let empty: Vec<String> = vec![];
        assert!(condition_holds(
            B::StringEquals,
            fa,
            false,
            &p,
            KeyState::Multi(&empty)
        ));
        assert!(!condition_holds(
            B::StringEquals,
            fy,
            false,
            &p,
            KeyState::Multi(&empty)
        ));
        assert!(condition_holds(
            B::StringEquals,
            fa,
            false,
            &p,
            KeyState::Single("")
        ));
    }

    #[test]
    fn empty_policy_values() {
        let none: Vec<ResolvedValue> = vec![];
        let fa = Some(SetQualifier::ForAllValues);
        let fy = Some(SetQualifier::ForAnyValue);
        assert!(condition_holds(
            B::StringEquals,
            fa,
            false,
            &none,
            KeyState::Absent
        ));
        assert!(!condition_holds(
            B::StringEquals,
            fa,
            false,
            &none,
            KeyState::Single("a")
        ));
        assert!(!condition_holds(
            B::StringEquals,
            fy,
            false,
            &none,
            KeyState::Absent
        ));
        assert!(condition_holds(
            B::StringEquals,
            None,
            true,
            &none,
            KeyState::Absent
        ));
        assert!(!condition_holds(
            B::StringEquals,
            None,
            true,
            &none,
            KeyState::Single("a")
        ));
        assert!(!condition_holds(
            B::StringNotEquals,
            None,
            false,
            &none,
            KeyState::Absent
        ));
    }

    #[test]
    fn typed_operators() {
        let t = |b, p: &[&str], r| condition_holds(b, None, false, &vals(p), KeyState::Single(r));
        assert!(t(B::NumericLessThanEquals, &["10"], "10.0"));
        assert!(!t(B::NumericLessThan, &["10"], "10"));
        assert!(t(B::NumericGreaterThan, &["-1"], "0"));
        assert!(!t(B::NumericEquals, &["abc"], "1"));
        assert!(t(B::NumericNotEquals, &["abc"], "1"));
        assert!(t(
            B::DateLessThan,
            &["2020-01-01T00:00:00Z"],
            "2019-12-31T23:59:59Z"
        ));
        assert!(t(B::DateEquals, &["1577836800"], "2020-01-01T00:00:00Z"));
        assert!(t(B::Bool, &["true"], "TRUE"));
        assert!(!t(B::Bool, &["yes"], "true"));
        assert!(t(B::IpAddress, &["10.0.0.0/8"], "10.1.2.3"));
        assert!(!t(B::IpAddress, &["10.0.0.0/8"], "::1"));
        assert!(t(B::NotIpAddress, &["10.0.0.0/8"], "::1"));
        assert!(t(B::BinaryEquals, &["aGk="], "aGk="));
        assert!(t(B::StringEqualsIgnoreCase, &["AbC"], "aBc"));
        assert!(!t(B::StringEquals, &["a*"], "abc"));
        assert!(t(B::StringEquals, &["a*"], "a*"));
        let g = |b, p: &[&str], r| condition_holds(b, None, false, &globs(p), KeyState::Single(r));
        assert!(g(B::StringLike, &["a*"], "abc"));
        assert!(!g(
            B::ArnLike,
            &["arn:aws:svc:*:111:fin/*"],
            "arn:aws:svc:r1:999:x/a:111:fin/d"
        ));
        assert!(g(
            B::StringLike,
            &["arn:aws:svc:*:111:fin/*"],
            "arn:aws:svc:r1:999:x/a:111:fin/d"
        ));
    }

    #[test]
    fn bool_takes_no_variables() {
        use iamproof_policy::{ConditionValue, JsonKind, Template, TemplatePart};
        let mut ctx = Context::new();
        ctx.insert("aws:x", ContextValue::Single("true".into()));
        let value = ConditionValue {
            text: "${aws:x}".into(),
            kind: JsonKind::String,
            template: Template {
                parts: vec![TemplatePart::Variable {
                    key: "aws:x".into(),
                    default: None,
                }],
            },
            span: Default::default(),
            path: Default::default(),
        };
        let resolved = resolve_value(B::Bool, &value, &ctx, true);
        assert!(!condition_holds(
            B::Bool,
            None,
            false,
            &[resolved],
            KeyState::Single("true")
        ));
        // String operators do substitute.
        let resolved = resolve_value(B::StringEquals, &value, &ctx, true);
        assert!(condition_holds(
            B::StringEquals,
            None,
            false,
            &[resolved],
            KeyState::Single("true")
        ));
    }

    #[test]
    fn unresolvable_values() {
        let p: Vec<ResolvedValue> = vec![None];
        assert!(!condition_holds(
            B::StringLike,
            None,
            false,
            &p,
            KeyState::Single("x")
        ));
        assert!(condition_holds(
            B::StringNotLike,
            None,
            false,
            &p,
            KeyState::Single("x")
        ));
    }
}
