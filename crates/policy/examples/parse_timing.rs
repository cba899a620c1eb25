//! Manual timing of `parse_policy` and `validate_policy` on the mamip managed policies
//! (`cargo run --release -p iamproof-policy --example parse_timing`). Prints; asserts nothing.

use iamproof_policy::{parse_json, parse_policy, validate_policy, PolicyType};
use std::time::Instant;

fn main() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpora/mamip/policies_current.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("corpus missing: {}", path.display());
        std::process::exit(1);
    };
    let mut docs: Vec<String> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| serde_json::to_string_pretty(&v["document"]).ok())
        .collect();
    docs.sort_by_key(|d| std::cmp::Reverse(d.len()));
    let mid = docs
        .iter()
        .find(|d| d.len() <= 40_000 && d.len() >= 32_768)
        .unwrap_or(&docs[0]);
    // `parse_timing parse N`: only parse the 32-40 KiB policy N times (for a profiler or
    // `time`; compare with N = 0 to subtract the corpus loading).
    if std::env::args().nth(1).as_deref() == Some("parse") {
        let n: usize = std::env::args()
            .nth(2)
            .and_then(|a| a.parse().ok())
            .unwrap_or(2000);
        for _ in 0..n {
            let _ = parse_policy(mid, PolicyType::Identity);
        }
        return;
    }
    for (label, doc) in [("largest", &docs[0]), ("32-40 KiB", mid)] {
        let n = 200;
        let t = Instant::now();
        for _ in 0..n {
            let _ = parse_json(doc);
        }
        let json = t.elapsed() / n;
        let t = Instant::now();
        for _ in 0..n {
            let _ = parse_policy(doc, PolicyType::Identity);
        }
        let parse = t.elapsed() / n;
        let t = Instant::now();
        for _ in 0..n {
            let _ = serde_json::from_str::<serde_json::Value>(doc);
        }
        let serde = t.elapsed() / n;
        let t = Instant::now();
        for _ in 0..20 {
            let _ = validate_policy(doc, PolicyType::Identity);
        }
        let validate = t.elapsed() / 20;
        println!(
            "{label} ({} bytes): json {json:?}, parse_policy {parse:?}, validate {validate:?} (serde_json::Value {serde:?})",
            doc.len()
        );
    }
    let t = Instant::now();
    for d in &docs {
        let _ = validate_policy(d, PolicyType::Identity);
    }
    println!("validate all {} policies: {:?}", docs.len(), t.elapsed());
}
