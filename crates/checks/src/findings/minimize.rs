//! Minimal findings: pairs of the same principal and condition merged into one finding, then
//! every finding whose coverage another one contains dropped.

use super::search::{FoundPair, Pair};
use super::{ask, Finding, FindingPrincipal, PrincipalClass};
use crate::clock::Clock;
use crate::engine::{Session, SolveAnswer};
use crate::query::Query;
use iamproof_eval::Request;
use iamproof_logic::Formula;
use iamproof_policy::{Policy, PrincipalEntry, PrincipalKind, Statement};
use serde_json::{Map, Value};

/// Findings before they are shown: the pairs they cover and one example.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    pub(crate) principal: FindingPrincipal,
    pub(crate) condition: Value,
    pub(crate) parts: Vec<usize>,
    pub(crate) example: Request,
}

fn kind_name(k: PrincipalKind) -> &'static str {
    match k {
        PrincipalKind::Everyone => "*",
        PrincipalKind::Aws => "AWS",
        PrincipalKind::Service => "Service",
        PrincipalKind::Federated => "Federated",
        PrincipalKind::CanonicalUser => "CanonicalUser",
    }
}

/// The statement's condition block as JSON: operator → key → values.
pub(crate) fn condition_json(st: &Statement) -> Value {
    let mut block = Map::new();
    for c in &st.conditions {
        let op = block
            .entry(c.operator.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(keys) = op {
            let values: Vec<Value> = c
                .values
                .iter()
                .map(|v| Value::String(v.text.clone()))
                .collect();
            keys.insert(c.key.clone(), Value::Array(values));
        }
    }
    Value::Object(block)
}

fn has_org_condition(st: &Statement) -> bool {
    st.conditions.iter().any(|c| {
        let k = c.key.to_ascii_lowercase();
        k == "aws:principalorgid" || k == "aws:principalorgpaths"
    })
}

/// The principal of a pair.
pub(crate) fn principal_of(st: &Statement, entry: Option<usize>) -> FindingPrincipal {
    let Some(clause) = &st.principal else {
        return FindingPrincipal {
            class: PrincipalClass::Caller,
            entries: Vec::new(),
        };
    };
    let pair = |e: &PrincipalEntry| (kind_name(e.kind).to_string(), e.value.clone());
    if clause.negated {
        return FindingPrincipal {
            class: PrincipalClass::NotPrincipal,
            entries: clause.entries.iter().map(pair).collect(),
        };
    }
    let Some(e) = entry.and_then(|k| clause.entries.get(k)) else {
        return FindingPrincipal {
            class: PrincipalClass::Public,
            entries: Vec::new(),
        };
    };
    let class = match e.kind {
        PrincipalKind::Everyone => PrincipalClass::Public,
        PrincipalKind::Aws if e.value == "*" => PrincipalClass::Public,
        PrincipalKind::Aws => {
            let v = e.value.as_str();
            if (v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit())) || v.ends_with(":root") {
                PrincipalClass::Account
            } else {
                PrincipalClass::Arn
            }
        }
        PrincipalKind::Service => PrincipalClass::Service,
        PrincipalKind::Federated => PrincipalClass::Federated,
        PrincipalKind::CanonicalUser => PrincipalClass::CanonicalUser,
    };
    let class = if class == PrincipalClass::Public && has_org_condition(st) {
        PrincipalClass::Organization
    } else {
        class
    };
    FindingPrincipal {
        class,
        entries: vec![pair(e)],
    }
}

/// Merges the pairs found by principal and condition, in statement order.
pub(crate) fn merge(q: &Query<'_>, pairs: &[Pair], found: &[FoundPair]) -> Vec<Group> {
    let mut sorted: Vec<&FoundPair> = found.iter().collect();
    sorted.sort_by_key(|f| f.pair);
    let mut groups: Vec<Group> = Vec::new();
    for f in sorted {
        let Some(p) = pairs.get(f.pair) else { continue };
        let Some(st) = q.policy.statements.get(p.statement) else {
            continue;
        };
        let principal = principal_of(st, p.entry);
        let condition = condition_json(st);
        match groups
            .iter_mut()
            .find(|g| g.principal == principal && g.condition == condition)
        {
            Some(g) => g.parts.push(f.pair),
            None => groups.push(Group {
                principal,
                condition,
                parts: vec![f.pair],
                example: f.example.clone(),
            }),
        }
    }
    groups
}

fn applies_of(g: &Group, pairs: &[Pair]) -> Formula {
    Formula::or(
        g.parts
            .iter()
            .filter_map(|i| pairs.get(*i))
            .map(|p| p.applies.clone()),
    )
}

/// Drops every group whose coverage is contained in a kept group's (`F_i ∧ ¬F_j` UNSAT within
/// the session's base). A group's example lies in its coverage, so a group whose example the
/// other does not cover is not contained in it and needs no question. Returns whether every
/// containment was decided.
pub(crate) fn drop_implied(
    groups: Vec<Group>,
    pairs: &[Pair],
    session: &mut dyn Session,
    clock: &Clock,
    questions: &mut usize,
) -> (Vec<Group>, bool) {
    let formulas: Vec<Formula> = groups.iter().map(|g| applies_of(g, pairs)).collect();
    let mut dropped = vec![false; groups.len()];
    let mut decided = true;
    for i in 0..groups.len() {
        for j in 0..groups.len() {
            if i == j || dropped.get(j).copied().unwrap_or(true) {
                continue;
            }
            let (Some(fi), Some(fj), Some(gi)) = (formulas.get(i), formulas.get(j), groups.get(i))
            else {
                continue;
            };
            if !fj.eval(&gi.example) {
                continue;
            }
            let share = clock.share(4);
            match ask(
                session,
                &share,
                &Formula::and2(fi.clone(), Formula::not(fj.clone())),
                questions,
            ) {
                SolveAnswer::Unsat => {
                    if let Some(d) = dropped.get_mut(i) {
                        *d = true;
                    }
                    break;
                }
                SolveAnswer::Sat(_) => {}
                SolveAnswer::Unknown(_) => decided = false,
            }
        }
    }
    let kept = groups
        .into_iter()
        .zip(dropped)
        .filter_map(|(g, d)| (!d).then_some(g))
        .collect();
    (kept, decided)
}

fn push_unique(out: &mut Vec<String>, v: &str) {
    if !out.iter().any(|x| x == v) {
        out.push(v.to_string());
    }
}

impl Group {
    /// The statements of its pairs, in order.
    pub(crate) fn statements(&self, pairs: &[Pair]) -> Vec<usize> {
        let mut s: Vec<usize> = self
            .parts
            .iter()
            .filter_map(|i| pairs.get(*i))
            .map(|p| p.statement)
            .collect();
        s.sort_unstable();
        s.dedup();
        s
    }

    pub(crate) fn into_finding(
        self,
        policy: &Policy,
        statements: Vec<usize>,
        coverage: Formula,
        example: Request,
        concrete_actions: Option<Vec<String>>,
        concrete_actions_truncated: bool,
    ) -> Finding {
        let mut f = Finding {
            principal: self.principal,
            is_public: None,
            actions: Vec::new(),
            not_actions: Vec::new(),
            resources: Vec::new(),
            not_resources: Vec::new(),
            condition: self.condition,
            statement_ids: statements
                .iter()
                .filter_map(|i| policy.statements.get(*i)?.sid.clone())
                .collect(),
            statement_indexes: statements.clone(),
            concrete_actions,
            concrete_actions_truncated,
            example_request: example,
            coverage,
        };
        for st in statements.iter().filter_map(|i| policy.statements.get(*i)) {
            let target = if st.action.negated {
                &mut f.not_actions
            } else {
                &mut f.actions
            };
            for a in &st.action.patterns {
                push_unique(target, &a.text);
            }
            if let Some(r) = &st.resource {
                let target = if r.negated {
                    &mut f.not_resources
                } else {
                    &mut f.resources
                };
                for p in &r.patterns {
                    push_unique(target, &p.text);
                }
            }
        }
        f
    }
}
