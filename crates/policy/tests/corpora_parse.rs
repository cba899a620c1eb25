//! Every policy of the shared corpora either parses or is rejected deliberately.
//!
//! Reads `<workspace>/../shared/corpora` at run time (never copied into the repo). Prints, per
//! corpus, how many documents parsed and the rejection codes; fails if a rejection is not in
//! `EXPECTED_REJECTIONS` (or has another code), or if an expected rejection no longer happens.
//!
//! JSONL corpora store each document as a parsed JSON object, so their text is re-serialised
//! with `serde_json` (key order kept); duplicate keys of the original text are lost there. File
//! corpora (quacky, iam-rs-tests, cloudsplaining) are parsed from their exact text.

use iamproof_policy::{parse_policy, PolicyType};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
        "iam-simulate's test of a resource policy without Principal (spec §1.4: required)",
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

fn corpora_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora");
    assert!(
        dir.is_dir(),
        "the shared corpora folder is missing: expected it at {} (tests read it at run time)",
        dir.display()
    );
    dir
}

/// A resource policy if any statement names a principal, else an identity policy.
fn guess_type(doc: &serde_json::Value) -> PolicyType {
    let has_principal =
        |s: &serde_json::Value| s.get("Principal").is_some() || s.get("NotPrincipal").is_some();
    let any = match doc.get("Statement") {
        Some(serde_json::Value::Array(a)) => a.iter().any(has_principal),
        Some(s) => has_principal(s),
        None => false,
    };
    if any {
        PolicyType::Resource
    } else {
        PolicyType::Identity
    }
}

#[derive(Default)]
struct Tally {
    parsed: usize,
    rejected: BTreeMap<&'static str, usize>,
}

struct Run {
    tallies: BTreeMap<&'static str, Tally>,
    /// (corpus, name, code, message)
    rejections: Vec<(&'static str, String, &'static str, String)>,
}

impl Run {
    fn check(&mut self, corpus: &'static str, name: String, text: &str, ty: PolicyType) {
        let t = self.tallies.entry(corpus).or_default();
        match parse_policy(text, ty) {
            Ok(_) => t.parsed += 1,
            Err(e) => {
                *t.rejected.entry(e.code).or_default() += 1;
                self.rejections.push((corpus, name, e.code, e.to_string()));
            }
        }
    }

    fn check_value(&mut self, corpus: &'static str, name: String, doc: &serde_json::Value) {
        let text = serde_json::to_string_pretty(doc).unwrap();
        self.check(corpus, name, &text, guess_type(doc));
    }
}

/// Every object with a `Statement` key, with a name and the type its enclosing key implies.
fn embedded_policies<'a>(
    v: &'a serde_json::Value,
    parent_type: Option<PolicyType>,
    name: &str,
    out: &mut Vec<(String, PolicyType, &'a serde_json::Value)>,
) {
    match v {
        serde_json::Value::Object(m) if m.contains_key("Statement") => {
            let ty = parent_type.unwrap_or_else(|| guess_type(v));
            out.push((name.to_string(), ty, v));
        }
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                let ty = match k.as_str() {
                    "AssumeRolePolicyDocument" | "resourcePolicy" => Some(PolicyType::Resource),
                    "serviceControlPolicies" => Some(PolicyType::ServiceControl),
                    "resourceControlPolicies" => Some(PolicyType::ResourceControl),
                    "identityPolicies" | "permissionBoundaries" | "sessionPolicy" => {
                        Some(PolicyType::Identity)
                    }
                    _ => parent_type,
                };
                embedded_policies(x, ty, &format!("{name}.{k}"), out);
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                embedded_policies(x, parent_type, &format!("{name}[{i}]"), out);
            }
        }
        _ => {}
    }
}

fn jsonl(path: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

#[test]
fn every_corpus_policy_parses_or_is_rejected_deliberately() {
    let root = corpora_dir();
    let mut run = Run {
        tallies: BTreeMap::new(),
        rejections: Vec::new(),
    };

    for d in jsonl(&root.join("aws-iam-user-guide-example-policies/example_policies.jsonl")) {
        let name = format!("{} / {}", d["source"].as_str().unwrap(), d["heading"]);
        run.check_value("user-guide", name, &d["policy"]);
    }
    for d in jsonl(&root.join("iam-dataset-managed-policies/managed_policies.jsonl")) {
        let name = d["name"].as_str().unwrap().to_string();
        let text = serde_json::to_string_pretty(&d["document"]).unwrap();
        run.check("iam-dataset", name, &text, PolicyType::Identity);
    }
    for d in jsonl(&root.join("mamip/policies_current.jsonl")) {
        let name = d["name"].as_str().unwrap().to_string();
        let text = serde_json::to_string_pretty(&d["document"]).unwrap();
        run.check("mamip-current", name, &text, PolicyType::Identity);
    }
    for d in jsonl(&root.join("mamip/version_pairs_recent.jsonl")) {
        let name = format!("{} {}", d["policy"].as_str().unwrap(), d["commit"]);
        for side in ["old", "new"] {
            let text = serde_json::to_string_pretty(&d[side]).unwrap();
            run.check(
                "mamip-pairs",
                format!("{name} {side}"),
                &text,
                PolicyType::Identity,
            );
        }
    }

    let mut files = Vec::new();
    json_files(&root.join("quacky/samples"), &mut files);
    for f in files {
        let rel = f.strip_prefix(&root).unwrap().display().to_string();
        // Azure role definitions and GCP bindings are not IAM policies.
        // (domain.json files describe Quacky's finite domains, not policies.)
        if rel.contains("/azure/") || rel.contains("/gcp/") || rel.ends_with("/domain.json") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        let ty = serde_json::from_str(&text)
            .map(|v| guess_type(&v))
            .unwrap_or(PolicyType::Identity);
        run.check("quacky", rel, &text, ty);
    }

    let mut files = Vec::new();
    json_files(&root.join("iam-rs-tests/policies"), &mut files);
    for f in files {
        let rel = f.strip_prefix(&root).unwrap().display().to_string();
        let text = std::fs::read_to_string(&f).unwrap();
        let ty = serde_json::from_str(&text)
            .map(|v| guess_type(&v))
            .unwrap_or(PolicyType::Identity);
        run.check("iam-rs", rel, &text, ty);
    }

    // Documents embedded in bigger JSON files: cloudsplaining's account authorization details
    // (GAAD) and iam-simulate's test cases. The enclosing key decides the policy type.
    let mut files = Vec::new();
    json_files(&root.join("cloudsplaining-examples"), &mut files);
    json_files(&root.join("iam-simulate-tests/src"), &mut files);
    for f in files {
        let rel = f.strip_prefix(&root).unwrap().display().to_string();
        let corpus = if rel.starts_with("cloudsplaining") {
            "cloudsplaining"
        } else {
            "iam-simulate"
        };
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let mut found = Vec::new();
        embedded_policies(&v, None, &rel, &mut found);
        for (name, ty, doc) in found {
            let text = serde_json::to_string_pretty(doc).unwrap();
            run.check(corpus, name, &text, ty);
        }
    }

    for (t, tally) in &run.tallies {
        println!(
            "{t:>14}: parsed {:>5}, rejected {:>3} {:?}",
            tally.parsed,
            tally.rejected.values().sum::<usize>(),
            tally.rejected
        );
    }
    let mut unexpected = Vec::new();
    for (corpus, name, code, msg) in &run.rejections {
        let ok = EXPECTED_REJECTIONS
            .iter()
            .any(|(c, n, k, _)| c == corpus && name.contains(n) && k == code);
        println!("  rejected [{corpus}] {name}: {code} {msg}");
        if !ok {
            unexpected.push(format!("[{corpus}] {name}: {code} {msg}"));
        }
    }
    for (c, n, k, _) in EXPECTED_REJECTIONS {
        let seen = run
            .rejections
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
