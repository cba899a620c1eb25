//! Agreement with Quacky's published relative-permissiveness results
//! (quacky/expected_relative_permissiveness.jsonl): for each pair and direction, "P1 ∧ ¬P2 is
//! SAT" means P1 allows some request P2 does not, i.e. `check_no_new_access(existing = P2,
//! new = P1)` FAILs.
//!
//! Policy type: a file whose statements name a `Principal`/`NotPrincipal` is read as a resource
//! policy, otherwise as an identity policy (no Quacky pair mixes the two).

use crate::engine::BenchEngine;
use iamproof_checks::{check_no_new_access_with, Verdict};
use iamproof_corpora::{guess_policy_type, parse_document, Corpora, CorpusError};
use iamproof_policy::Policy;
use iamproof_solver::Backend;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// One direction of one pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuackyCase {
    /// First policy (path relative to quacky/).
    pub policy1: String,
    /// Second policy.
    pub policy2: String,
    /// `P1∧¬P2` or `P2∧¬P1`.
    pub direction: &'static str,
    /// Quacky's answers over all its tables (`SAT`, `UNSAT`; both if its runs disagree).
    pub quacky: BTreeSet<String>,
    /// Ours: `SAT` (the check FAILs with a replayed witness), `UNSAT` (PASS), `UNKNOWN`, or
    /// `ERROR: …` (a policy does not parse).
    pub ours: String,
}

impl QuackyCase {
    /// Quacky's answers joined with `|`.
    pub fn quacky_str(&self) -> String {
        self.quacky.iter().cloned().collect::<Vec<_>>().join("|")
    }

    /// Whether Quacky's own runs disagree on this direction.
    pub fn quacky_mixed(&self) -> bool {
        self.quacky.len() > 1
    }

    /// Whether ours differs from Quacky's (single) answer.
    pub fn disagrees(&self) -> bool {
        !self.quacky_mixed() && !self.quacky.contains(&self.ours)
    }

    /// The key of an expectation-file line: `policy1 policy2 direction ours quacky`.
    pub fn key(&self) -> String {
        format!(
            "{}\t{}\t{}\t{}\t{}",
            self.policy1,
            self.policy2,
            self.direction,
            self.ours,
            self.quacky_str()
        )
    }
}

fn answer(existing: &Policy, new: &Policy, engine: &BenchEngine) -> String {
    let r = check_no_new_access_with(existing, new, engine);
    if r.internal_error.is_some() {
        return "UNKNOWN".into();
    }
    match r.result {
        Verdict::Pass => "UNSAT".into(),
        _ if r.unknown_reason.is_some()
            && r.reasons.iter().all(|x| x.example_request.is_none()) =>
        {
            "UNKNOWN".into()
        }
        _ => "SAT".into(),
    }
}

/// Runs every pair of Quacky's table in both directions on the native engine (`timeout` per
/// solver call).
pub fn quacky_cases(corpora: &Corpora, timeout: Duration) -> Result<Vec<QuackyCase>, CorpusError> {
    let pairs = corpora.quacky_pairs()?;
    let mut cache: BTreeMap<String, Result<Policy, String>> = BTreeMap::new();
    let mut load = |p: &str| -> Result<Policy, String> {
        cache
            .entry(p.to_string())
            .or_insert_with(|| {
                let doc = corpora.quacky_document(p).map_err(|e| e.to_string())?;
                parse_document(&doc, guess_policy_type(&doc)).map_err(|e| e.to_string())
            })
            .clone()
    };
    let engine = BenchEngine::new(Backend::Native, timeout);
    let mut out = Vec::new();
    for pair in pairs {
        let (p1, p2, a12, a21) = (
            pair.policy1,
            pair.policy2,
            pair.p1_and_not_p2,
            pair.p2_and_not_p1,
        );
        let (ours12, ours21) = match (load(&p1), load(&p2)) {
            (Ok(x1), Ok(x2)) => (answer(&x2, &x1, &engine), answer(&x1, &x2, &engine)),
            (Err(e), _) | (_, Err(e)) => {
                let msg = format!("ERROR: {}", e.replace('\t', " "));
                (msg.clone(), msg)
            }
        };
        out.push(QuackyCase {
            policy1: p1.clone(),
            policy2: p2.clone(),
            direction: "P1∧¬P2",
            quacky: a12,
            ours: ours12,
        });
        out.push(QuackyCase {
            policy1: p1,
            policy2: p2,
            direction: "P2∧¬P1",
            quacky: a21,
            ours: ours21,
        });
    }
    Ok(out)
}
