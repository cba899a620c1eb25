//! `quacky`: Quacky's policy samples and its published relative-permissiveness results.

use crate::{Corpora, CorpusError};
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One row of `expected_relative_permissiveness.jsonl` (the timing details left out).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct QuackyRow {
    /// The results table it comes from (`results/…/*.md`).
    #[serde(default)]
    pub table: String,
    /// Quacky's settings for that table (bound, resource-type constraints, …).
    #[serde(default)]
    pub settings: String,
    /// The first policy, relative to `quacky/` (`samples/…/policy.json`).
    pub policy1: String,
    /// The second policy.
    pub policy2: String,
    /// `SAT` if policy1 allows some request policy2 does not, else `UNSAT`.
    pub p1_and_not_p2: String,
    /// `SAT` if policy2 allows some request policy1 does not, else `UNSAT`.
    pub p2_and_not_p1: String,
}

/// One pair with Quacky's answers over all its tables (two answers in a set when its runs
/// disagree).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QuackyPair {
    /// The first policy, relative to `quacky/`.
    pub policy1: String,
    /// The second policy.
    pub policy2: String,
    /// The answers for `P1 ∧ ¬P2`.
    pub p1_and_not_p2: BTreeSet<String>,
    /// The answers for `P2 ∧ ¬P1`.
    pub p2_and_not_p1: BTreeSet<String>,
}

impl Corpora {
    /// Every row of Quacky's results, in file order.
    pub fn quacky_rows(&self) -> Result<Vec<QuackyRow>, CorpusError> {
        self.read_jsonl("quacky/expected_relative_permissiveness.jsonl")
    }

    /// The 546 distinct pairs of Quacky's results, sorted by (policy1, policy2).
    pub fn quacky_pairs(&self) -> Result<Vec<QuackyPair>, CorpusError> {
        let mut pairs: BTreeMap<(String, String), QuackyPair> = BTreeMap::new();
        for r in self.quacky_rows()? {
            let e = pairs
                .entry((r.policy1.clone(), r.policy2.clone()))
                .or_insert_with(|| QuackyPair {
                    policy1: r.policy1,
                    policy2: r.policy2,
                    ..QuackyPair::default()
                });
            e.p1_and_not_p2.insert(r.p1_and_not_p2);
            e.p2_and_not_p1.insert(r.p2_and_not_p1);
        }
        Ok(pairs.into_values().collect())
    }

    /// A Quacky policy file (`rel` relative to `quacky/`, as in [`QuackyRow::policy1`]) as JSON.
    pub fn quacky_document(&self, rel: &str) -> Result<Value, CorpusError> {
        self.read_json(self.path("quacky").join(rel))
    }
}
