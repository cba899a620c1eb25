//! Symbolic vs concrete on the shared corpora: every policy found in
//! `<workspace>/../shared/corpora` (JSON and JSONL files, any object with a `Statement`) is
//! parsed, encoded, and for sampled requests drawn from its own vocabulary the formula's truth
//! value must equal `iamproof_eval::evaluate_policy(..).allows()` (and per statement, the
//! evaluator's applicable statements and principal match level). Prints counts per corpus.

mod support;

use iamproof_logic::encode_policy;
use iamproof_policy::{parse_policy, PolicyType};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn corpora_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora");
    assert!(
        dir.is_dir(),
        "the shared corpora folder is missing: expected it at {} (tests read it at run time)",
        dir.display()
    );
    dir
}

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

fn find_policies(v: &serde_json::Value, out: &mut Vec<serde_json::Value>) {
    match v {
        serde_json::Value::Object(m) if m.contains_key("Statement") => out.push(v.clone()),
        serde_json::Value::Object(m) => m.values().for_each(|x| find_policies(x, out)),
        serde_json::Value::Array(a) => a.iter().for_each(|x| find_policies(x, out)),
        _ => {}
    }
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, files);
        } else if p.extension().is_some_and(|e| e == "json" || e == "jsonl") {
            files.push(p);
        }
    }
}

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
    let root = corpora_dir();
    let mut files = Vec::new();
    walk(&root, &mut files);
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut seed = 1u64;
    for f in files {
        let rel = f.strip_prefix(&root).unwrap_or(&f);
        let corpus = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().to_string())
            .unwrap_or_default();
        if corpus == "iam-data" {
            continue; // service reference data, no policies
        }
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let mut docs = Vec::new();
        if f.extension().is_some_and(|e| e == "jsonl") {
            for line in text.lines() {
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
                    find_policies(&v, &mut docs);
                }
            }
        } else if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
            find_policies(&v, &mut docs);
        }
        let t = tallies.entry(corpus.clone()).or_default();
        for doc in docs {
            t.documents += 1;
            let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
            let policy = match parse_policy(&text, guess_type(&doc)) {
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
                failures.push(format!("{}: {msg}", rel.display()));
            }
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
