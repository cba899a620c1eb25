//! The search for findings: (statement, principal entry) pairs, asked for until no allowed
//! request with the property is left outside the pairs found.

use super::{ask, Base};
use crate::clock::Clock;
use crate::engine::{Session, SolveAnswer};
use crate::query::{Found, Query};
use iamproof_eval::Request;
use iamproof_logic::encode_statement;
use iamproof_logic::Formula;
use iamproof_policy::{Effect, Policy, PrincipalClause};

/// One (Allow statement, principal entry) pair and the formula "the statement applies through
/// this entry". `entry` is `None` for a statement without `Principal` (identity policies) or
/// with `NotPrincipal` (the list is one class).
#[derive(Debug, Clone)]
pub(crate) struct Pair {
    pub(crate) statement: usize,
    pub(crate) entry: Option<usize>,
    pub(crate) applies: Formula,
}

/// The pairs of the policy's Allow statements: one per principal entry (the statement encoded
/// with that entry alone), or one per statement.
pub(crate) fn pairs(policy: &Policy) -> Result<Vec<Pair>, String> {
    let mut out = Vec::new();
    for st in policy
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow)
    {
        match &st.principal {
            Some(clause) if !clause.negated => {
                for (k, e) in clause.entries.iter().enumerate() {
                    let mut one = st.clone();
                    one.principal = Some(PrincipalClause {
                        entries: vec![e.clone()],
                        ..clause.clone()
                    });
                    let f = encode_statement(policy, &one)
                        .map_err(|e| format!("the policy could not be encoded: {e}"))?;
                    out.push(Pair {
                        statement: st.index,
                        entry: Some(k),
                        applies: f.applies,
                    });
                }
            }
            _ => {
                let f = encode_statement(policy, st)
                    .map_err(|e| format!("the policy could not be encoded: {e}"))?;
                out.push(Pair {
                    statement: st.index,
                    entry: None,
                    applies: f.applies,
                });
            }
        }
    }
    Ok(out)
}

/// A pair found, with the replayed request that showed it.
#[derive(Debug, Clone)]
pub(crate) struct FoundPair {
    pub(crate) pair: usize,
    pub(crate) example: Request,
}

/// The pairs found, and whether the list is proven complete.
pub(crate) struct Outcome {
    pub(crate) found: Vec<FoundPair>,
    pub(crate) complete: bool,
    pub(crate) reason: Option<String>,
}

/// Asks `¬(F_1 ∨ … ∨ F_k)` until UNSAT (complete), undecided, or out of time. Every allowed
/// request satisfies some pair's formula, so each SAT answer adds at least one pair.
pub(crate) fn search(
    q: &Query<'_>,
    session: &mut dyn Session,
    clock: &Clock,
    pairs: &[Pair],
    base: &Base,
    questions: &mut usize,
) -> Outcome {
    let mut found: Vec<FoundPair> = Vec::new();
    let mut taken = vec![false; pairs.len()];
    let mut prefer = q.preferred.is_some();
    let incomplete = |found, why: String| Outcome {
        found,
        complete: false,
        reason: Some(why),
    };
    // At most one question per pair, and one to prove the list complete.
    for _ in 0..=pairs.len() {
        if clock.expired() {
            return incomplete(found, clock.reason());
        }
        let extra = Formula::not(Formula::or(
            found
                .iter()
                .filter_map(|f| pairs.get(f.pair))
                .map(|p| p.applies.clone()),
        ));
        let preferred = q.preferred.clone();
        let mut asker = |f: &Formula| {
            if let (Some(p), true) = (preferred.as_ref(), prefer) {
                // The questions only narrow, so once the preference is UNSAT it stays so.
                let half = clock.share(2);
                match ask(
                    session,
                    &half,
                    &Formula::and2(f.clone(), p.clone()),
                    questions,
                ) {
                    SolveAnswer::Sat(w) => return SolveAnswer::Sat(w),
                    SolveAnswer::Unsat => prefer = false,
                    SolveAnswer::Unknown(_) => {}
                }
            }
            ask(session, clock, f, questions)
        };
        match q.find_with(&mut asker, &extra, None, &base.realistic, &base.axioms) {
            Found::Witness(w, _) => {
                let mut added = false;
                for (i, p) in pairs.iter().enumerate() {
                    if !taken.get(i).copied().unwrap_or(true) && p.applies.eval(&w) {
                        if let Some(t) = taken.get_mut(i) {
                            *t = true;
                        }
                        found.push(FoundPair {
                            pair: i,
                            example: w.clone(),
                        });
                        added = true;
                    }
                }
                if !added {
                    return incomplete(
                        found,
                        "an example request, once made valid, fell inside the findings already found; the search stopped".into(),
                    );
                }
            }
            Found::Unsat => {
                return Outcome {
                    found,
                    complete: true,
                    reason: None,
                }
            }
            Found::Unknown(why) | Found::Invalid(why) => return incomplete(found, why),
            Found::Disagreement(e) => {
                return incomplete(
                    found,
                    format!("internal disagreement between the engine and the reference evaluator ({e}); this is a bug in iamproof"),
                )
            }
        }
    }
    incomplete(
        found,
        "every pair was found but the list was not proven complete".into(),
    )
}
