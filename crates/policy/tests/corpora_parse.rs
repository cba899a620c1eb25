//! Every policy of the shared corpora either parses or is rejected deliberately.
//!
//! Reads `<workspace>/../shared/corpora` at run time (never copied into the repo). Prints, per
//! corpus, how many documents parsed and the rejection codes; fails if a rejection is not in
//! `EXPECTED_REJECTIONS` (or has another code), or if an expected rejection no longer happens.
//!
//! The documents come from `iamproof_corpora::all_policies` (names `<corpus>/<item>`, the type
//! each corpus gives its documents): JSONL rows and documents embedded in bigger files are
//! re-serialised with `serde_json` (key order kept; duplicate keys of the original text lost),
//! policy files (quacky, iam-rs-tests) are parsed from their exact text.

use iamproof_policy::parse_policy;
use std::collections::BTreeMap;

/// (corpus, document name, expected code, why the rejection is correct).
const EXPECTED_REJECTIONS: &[(&str, &str, &str, &str)] = &[
    (
        "user-guide",
        "id_roles_use_passrole.md",
        "INVALID_ACTION",
        "the example's Action is placeholder prose, not an action",
    ),
    (
        "quacky",
        "manual_s3/exp_single/s3_allow_notprincipal/policy.json",
        "INVALID_ELEMENT_TYPE",
        "Quacky's own syntax: NotPrincipal as a bare array of names",
    ),
    (
        "quacky",
        "manual_s3/exp_single/s3_allow_principals/policy.json",
        "INVALID_ELEMENT_TYPE",
        "Quacky's own syntax: Principal as a bare array of names",
    ),
    (
        "quacky",
        "manual_s3/exp_single/s3_allow_pstar/policy.json",
        "INVALID_ELEMENT_TYPE",
        "Quacky's own syntax: Principal as a bare array of name globs (\"*aine\")",
    ),
    (
        "iam-simulate",
        "noPrincipalElement.json",
        "MISSING_PRINCIPAL",
        "iam-simulate's test of a resource policy without Principal (docs/semantics.md, 'Document shape': required)",
    ),
    (
        "iam-simulate",
        ".identityPolicies",
        "PRINCIPAL_IN_IDENTITY_POLICY",
        "iam-simulate tests that put Principal in identity policies (blog.json, sessions.json)",
    ),
    (
        "iam-simulate",
        "rcp.json[2].resourceControlPolicies",
        "MISSING_PRINCIPAL",
        "an RCP statement without Principal; AWS requires `\"Principal\": \"*\"` in RCPs",
    ),
];

#[derive(Default)]
struct Tally {
    parsed: usize,
    rejected: BTreeMap<&'static str, usize>,
}

#[test]
fn every_corpus_policy_parses_or_is_rejected_deliberately() {
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    // (corpus, name, code, message)
    let mut rejections: Vec<(String, String, &'static str, String)> = Vec::new();
    for p in iamproof_corpora::all_policies().unwrap() {
        // Azure role definitions (and GCP bindings) in Quacky's samples are not IAM policies.
        if p.corpus() == "quacky" && (p.name.contains("/azure/") || p.name.contains("/gcp/")) {
            continue;
        }
        let corpus = p.corpus().to_string();
        let t = tallies.entry(corpus.clone()).or_default();
        match parse_policy(&p.text, p.policy_type) {
            Ok(_) => t.parsed += 1,
            Err(e) => {
                *t.rejected.entry(e.code.as_str()).or_default() += 1;
                rejections.push((corpus, p.name, e.code.as_str(), e.to_string()));
            }
        }
    }

    for (t, tally) in &tallies {
        println!(
            "{t:>14}: parsed {:>5}, rejected {:>3} {:?}",
            tally.parsed,
            tally.rejected.values().sum::<usize>(),
            tally.rejected
        );
    }
    let mut unexpected = Vec::new();
    for (corpus, name, code, msg) in &rejections {
        let ok = EXPECTED_REJECTIONS
            .iter()
            .any(|(c, n, k, _)| c == corpus && name.contains(n) && k == code);
        println!("  rejected [{corpus}] {name}: {code} {msg}");
        if !ok {
            unexpected.push(format!("[{corpus}] {name}: {code} {msg}"));
        }
    }
    for (c, n, k, _) in EXPECTED_REJECTIONS {
        let seen = rejections
            .iter()
            .any(|(corpus, name, code, _)| corpus == c && name.contains(n) && code == k);
        if !seen {
            unexpected.push(format!("expected rejection did not happen: [{c}] {n} {k}"));
        }
    }
    assert!(
        unexpected.is_empty(),
        "unexpected corpus results:\n{}",
        unexpected.join("\n")
    );
}
