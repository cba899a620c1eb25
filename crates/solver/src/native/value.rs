//! The value theories: deciding a conjunction of requirements on one value (string patterns
//! by [`crate::automata`], numbers, dates, IP addresses and binary values by
//! [`crate::theories`]), and the conversion of logic globs to automata globs.

use super::memo::{StringMemo, Theory};
use crate::automata::{self, Glob as AGlob, GlobMode, GlobToken, Limits, Prepared, StrOutcome};
use crate::theories::{self, NumConstraint, NumKind, ValueOutcome};
use iamproof_logic::{ElemPred, GlobPart, MatchMode, Test};
use std::sync::Arc;

/// Converts one pattern of a logic glob to the automata's glob; `None` = matches nothing.
pub(super) fn to_automata(g: &iamproof_logic::Glob, mode: MatchMode) -> Option<AGlob> {
    let tokens = |g: &iamproof_logic::Glob| {
        let mut t = Vec::new();
        for p in &g.parts {
            match p {
                GlobPart::Lit(s) => t.extend(s.chars().map(GlobToken::Lit)),
                GlobPart::AnyChar => t.push(GlobToken::Any),
                GlobPart::AnyRun => t.push(GlobToken::Star),
                GlobPart::OneOf(cs) => t.push(GlobToken::OneOf(cs.clone())),
            }
        }
        t
    };
    let lit_only = |g: &iamproof_logic::Glob| g.parts.iter().all(|p| matches!(p, GlobPart::Lit(_)));
    match mode {
        MatchMode::Exact => lit_only(g).then(|| AGlob {
            tokens: tokens(g),
            mode: GlobMode::Exact,
        }),
        MatchMode::ExactIgnoreCase => lit_only(g).then(|| AGlob {
            tokens: tokens(g),
            mode: GlobMode::ExactIgnoreCase,
        }),
        MatchMode::Glob => Some(AGlob {
            tokens: tokens(g),
            mode: GlobMode::Like,
        }),
        MatchMode::Arn => Some(AGlob {
            tokens: tokens(g),
            mode: GlobMode::Arn,
        }),
        MatchMode::Action => {
            let (svc, name) = g.split_action()?;
            let mut t: Vec<GlobToken> = svc.chars().map(GlobToken::Lit).collect();
            t.push(GlobToken::Lit(':'));
            t.extend(tokens(&name));
            Some(AGlob {
                tokens: t,
                mode: GlobMode::Action,
            })
        }
        MatchMode::Resource(rule) => {
            if g.is_all_stars() {
                Some(AGlob {
                    tokens: vec![GlobToken::Star],
                    mode: GlobMode::Like,
                })
            } else if g.arn_fields().len() == 6 {
                to_automata(g, MatchMode::Arn)
            } else if g.parts.is_empty() || !g.short_arn_expands(rule) {
                None
            } else {
                to_automata(&g.pad_arn(), MatchMode::Arn)
            }
        }
    }
}

/// A requirement on one value: a disjunction of tests that must hold (`any`), or a test that
/// must fail.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum ValueRequirement {
    Any(Vec<Test>),
    Not(Test),
}

/// Concrete test evaluation (the value semantics of `iamproof_logic`).
pub(super) fn test_holds(t: &Test, v: &str) -> bool {
    use iamproof_logic::semantics as s;
    match t {
        Test::Match(set) => set.matches(v),
        Test::Template(_) => false,
        Test::Numeric { cmp, value } => s::parse_number(v).is_some_and(|n| cmp.holds(n.cmp(value))),
        Test::Date { cmp, value } => s::parse_date(v).is_some_and(|n| cmp.holds(n.cmp(value))),
        Test::Ip(c) => s::parse_ip(v).is_some_and(|(v6, a)| c.contains(v6, a)),
        Test::Binary(b) => s::decode_base64(v).as_deref() == Some(&b[..]),
    }
}

pub(super) fn req_holds(r: &ValueRequirement, v: &str) -> bool {
    match r {
        ValueRequirement::Any(ts) => ts.iter().any(|t| test_holds(t, v)),
        ValueRequirement::Not(t) => !test_holds(t, v),
    }
}

/// Decides a conjunction of requirements on one string value.
pub(super) fn solve_value(reqs: &[ValueRequirement], th: &Theory<'_>) -> ValueOutcome {
    let is_match = |t: &Test| matches!(t, Test::Match(_));
    let all_match = reqs.iter().all(|r| match r {
        ValueRequirement::Any(ts) => ts.iter().all(is_match),
        ValueRequirement::Not(t) => is_match(t),
    });
    if all_match {
        return strings(reqs, th);
    }
    // single-theory fragments
    let singles: Option<Vec<(&Test, bool)>> = reqs
        .iter()
        .map(|r| match r {
            ValueRequirement::Any(ts) if ts.len() == 1 => ts.first().map(|t| (t, true)),
            ValueRequirement::Any(_) => None,
            ValueRequirement::Not(t) => Some((t, false)),
        })
        .collect();
    if let Some(singles) = &singles {
        let nums: Option<Vec<NumConstraint>> = singles
            .iter()
            .map(|(t, holds)| match t {
                Test::Numeric { cmp, value } => Some(NumConstraint {
                    kind: NumKind::Number,
                    cmp: *cmp,
                    value: value.clone(),
                    holds: *holds,
                }),
                Test::Date { cmp, value } => Some(NumConstraint {
                    kind: NumKind::Date,
                    cmp: *cmp,
                    value: value.clone(),
                    holds: *holds,
                }),
                _ => None,
            })
            .collect();
        if let Some(nums) = nums {
            return theories::solve_numeric(&nums);
        }
        let ips: Option<Vec<_>> = singles
            .iter()
            .map(|(t, h)| match t {
                Test::Ip(c) => Some((*c, *h)),
                _ => None,
            })
            .collect();
        if let Some(ips) = ips {
            return theories::solve_ip(&ips);
        }
        let bins: Option<Vec<(&[u8], bool)>> = singles
            .iter()
            .map(|(t, h)| match t {
                Test::Binary(b) => Some((&b[..], *h)),
                _ => None,
            })
            .collect();
        if let Some(bins) = bins {
            return theories::solve_binary(&bins);
        }
    }
    // Mixed theories on one value. If some required disjunction consists of wildcard-free
    // patterns only, the value is one of finitely many strings: check each (exact).
    for r in reqs {
        if let ValueRequirement::Any(ts) = r {
            if let Some(fin) = finite_values(ts) {
                return match fin
                    .into_iter()
                    .find(|c| reqs.iter().all(|r| req_holds(r, c)))
                {
                    Some(c) => ValueOutcome::Sat(c),
                    None => ValueOutcome::Unsat,
                };
            }
        }
    }
    // Otherwise try each theory's witness for its own part and check all.
    let mut candidates: Vec<String> = vec!["x".into(), "0".into(), "1".into()];
    let string_part: Vec<ValueRequirement> = reqs
        .iter()
        .filter_map(|r| match r {
            ValueRequirement::Any(ts) if ts.iter().all(is_match) => Some(r.clone()),
            ValueRequirement::Not(t) if is_match(t) => Some(r.clone()),
            _ => None,
        })
        .collect();
    match strings(&string_part, th) {
        ValueOutcome::Sat(w) => candidates.push(w),
        // a part alone is unsatisfiable: so is the whole
        ValueOutcome::Unsat => return ValueOutcome::Unsat,
        ValueOutcome::Unknown(_) => {}
    }
    let other: Vec<ValueRequirement> = reqs
        .iter()
        .filter(|r| !matches!(r, ValueRequirement::Any(ts) if ts.iter().all(is_match)))
        .filter(|r| !matches!(r, ValueRequirement::Not(t) if is_match(t)))
        .cloned()
        .collect();
    if other.len() < reqs.len() {
        match solve_value(&other, th) {
            ValueOutcome::Sat(w) => candidates.push(w),
            ValueOutcome::Unsat => return ValueOutcome::Unsat,
            ValueOutcome::Unknown(_) => {}
        }
    }
    for c in candidates {
        if reqs.iter().all(|r| req_holds(r, &c)) {
            return ValueOutcome::Sat(c);
        }
    }
    ValueOutcome::Unknown("tests of several theories on one value".into())
}

/// The values a disjunction of tests allows, when that is a small finite set (case-sensitive
/// wildcard-free patterns only).
pub(super) fn finite_values(ts: &[Test]) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for t in ts {
        let Test::Match(set) = t else { return None };
        for g in set.patterns() {
            let lit = g.as_literal();
            match set.mode() {
                MatchMode::Exact => out.extend(lit),
                MatchMode::Glob | MatchMode::Arn if lit.is_some() => out.extend(lit),
                _ => return None,
            }
        }
    }
    (out.len() <= 4096).then_some(out)
}

/// The string fragment: every test is a pattern-set match.
pub(super) fn strings(reqs: &[ValueRequirement], th: &Theory<'_>) -> ValueOutcome {
    th.strings.answer(reqs, |store| {
        decide_strings(reqs, &th.limits, th.strings, store)
    })
}

/// [`strings`], computed.
fn decide_strings(
    reqs: &[ValueRequirement],
    limits: &Limits,
    memo: &StringMemo,
    store: &mut automata::Store,
) -> ValueOutcome {
    // each test's patterns, prepared once per pattern set (held here while in use)
    let prepared: Vec<(bool, Vec<Arc<[Prepared]>>)> = reqs
        .iter()
        .map(|r| match r {
            ValueRequirement::Any(ts) => (true, ts.iter().map(|t| memo.prepared(t)).collect()),
            ValueRequirement::Not(t) => (false, vec![memo.prepared(t)]),
        })
        .collect();
    let mut pos: Vec<Vec<&Prepared>> = Vec::new();
    let mut neg: Vec<Vec<&Prepared>> = Vec::new();
    for (positive, sets) in &prepared {
        let group: Vec<&Prepared> = sets.iter().flat_map(|s| s.iter()).collect();
        if *positive {
            pos.push(group);
        } else {
            neg.push(group);
        }
    }
    match automata::decide_in(store, &pos, &neg, limits) {
        StrOutcome::Sat(w) => ValueOutcome::Sat(w),
        StrOutcome::Unsat => ValueOutcome::Unsat,
        StrOutcome::Unknown(r) => ValueOutcome::Unknown(r),
    }
}

/// The requirement a quantifier literal puts on the elements: `pred(e)` must be `want`.
pub(super) fn pred_req(p: &ElemPred, want: bool) -> Vec<ValueRequirement> {
    // pred(e) = negated XOR any(tests)
    if want != p.negated {
        vec![ValueRequirement::Any(p.any_of.clone())]
    } else {
        p.any_of
            .iter()
            .cloned()
            .map(ValueRequirement::Not)
            .collect()
    }
}
