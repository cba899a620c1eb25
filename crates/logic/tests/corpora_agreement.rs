//! Symbolic vs concrete on the shared corpora: every policy of `<workspace>/../shared/corpora`
//! (`iamproof_corpora::all_policies`: every object with a `Statement` in every corpus, with the
//! type its corpus gives it) is parsed, encoded, and for sampled requests drawn from its own
//! vocabulary the formula's truth value must equal `iamproof_eval::evaluate_policy(..).allows()` (and per statement, the
//! evaluator's applicable statements and principal match level). Prints counts per corpus.

mod support;

use iamproof_logic::encode_policy;
use iamproof_policy::parse_policy;
use std::collections::BTreeMap;

#[derive(Default, Debug)]
struct Tally {
    documents: usize,
    parsed: usize,
    encoded: usize,
    statements: usize,
    requests: usize,
    applied: usize,
    allowed: usize,
    parse_errors: usize,
}

#[test]
fn corpora_encode_and_agree_with_evaluator() {
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut seed = 1u64;
    for doc in iamproof_corpora::all_policies().unwrap() {
        let t = tallies.entry(doc.corpus().to_string()).or_default();
        t.documents += 1;
        let policy = match parse_policy(&doc.text, doc.policy_type) {
            Ok(p) => p,
            Err(_) => {
                t.parse_errors += 1;
                continue;
            }
        };
        t.parsed += 1;
        if encode_policy(&policy).is_ok() {
            t.encoded += 1;
        }
        t.statements += policy.statements.len();
        seed += 1;
        let (cov, failure) = support::check_policy(&policy, 40, seed);
        t.requests += cov.requests;
        t.applied += cov.some_statement_applied;
        t.allowed += cov.allowed;
        if let Some(msg) = failure {
            failures.push(format!("{}: {msg}", doc.name));
        }
    }
    for (c, t) in &tallies {
        println!(
            "{c}: {} documents, {} parsed ({} rejected by the parser), {} encoded, {} statements, {} requests compared ({} with an applicable statement, {} allowed)",
            t.documents, t.parsed, t.parse_errors, t.encoded, t.statements, t.requests, t.applied, t.allowed
        );
    }
    let parsed: usize = tallies.values().map(|t| t.parsed).sum();
    let encoded: usize = tallies.values().map(|t| t.encoded).sum();
    println!(
        "total: {parsed} parsed, {encoded} encoded, {} disagreements",
        failures.len()
    );
    for f in failures.iter().take(10) {
        println!("DISAGREEMENT {f}\n");
    }
    assert!(
        parsed > 3000,
        "expected thousands of corpus policies, got {parsed}"
    );
    assert_eq!(parsed, encoded, "every parsed policy must encode");
    assert!(
        failures.is_empty(),
        "{} disagreements (first shown above)",
        failures.len()
    );
}
