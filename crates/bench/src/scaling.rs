//! Workload 5: synthetic policies of growing size (action patterns per statement × statements;
//! condition keys), each as a SAT and an UNSAT `check-no-new-access`.

use crate::workloads::{CheckJob, Job};
use iamproof_corpora::{doc_size, parse_document};
use iamproof_policy::PolicyType;
use serde_json::{json, Map, Value};

/// Total action-pattern counts of the action series.
pub const PATTERN_COUNTS: &[usize] = &[10, 30, 100, 300, 1000, 3000, 10000];
/// Statement counts of the action series (the patterns are split evenly).
pub const STATEMENT_COUNTS: &[usize] = &[1, 10];
/// Condition-key counts of the condition series.
pub const KEY_COUNTS: &[usize] = &[1, 2, 5, 10, 20, 50];

/// A point of a scaling series.
#[derive(Debug, Clone)]
pub struct ScalePoint {
    /// Series name (`actions/1-stmt`, `conditions`).
    pub series: String,
    /// `sat` (the new policy grants more) or `unsat` (it grants less).
    pub expect_fail: bool,
    /// The x value: patterns or keys.
    pub x: usize,
    /// The check.
    pub job: Job,
}

/// `n` action patterns drawn deterministically across the catalogue (a stride prime to its
/// length); every 5th is a prefix wildcard (`svc:Desc*`).
pub fn action_patterns(catalogue: &[String], n: usize) -> Vec<String> {
    let len = catalogue.len().max(1);
    let mut out = Vec::with_capacity(n);
    let mut seen = std::collections::BTreeSet::new();
    let mut i = 0usize;
    while out.len() < n && i < n.saturating_mul(4).max(16) {
        let a = catalogue
            .get((i.wrapping_mul(7919)) % len)
            .cloned()
            .unwrap_or_else(|| format!("svc{i}:Action{i}"));
        i += 1;
        let p = if out.len() % 5 == 4 {
            match a.split_once(':') {
                Some((svc, name)) => format!("{svc}:{}*", name.chars().take(4).collect::<String>()),
                None => a,
            }
        } else {
            a
        };
        if seen.insert(p.to_lowercase()) {
            out.push(p);
        }
    }
    // Pad with synthetic literals when the catalogue is too small.
    let mut k = 0;
    while out.len() < n {
        out.push(format!("synthetic{k}:Action{k}"));
        k += 1;
    }
    out
}

fn action_doc(patterns: &[String], statements: usize) -> Value {
    let statements = statements.max(1);
    let per = patterns.len().div_ceil(statements).max(1);
    let stmts: Vec<Value> = patterns
        .chunks(per)
        .map(|c| json!({"Effect": "Allow", "Action": c, "Resource": "*"}))
        .collect();
    json!({"Version": "2012-10-17", "Statement": stmts})
}

fn condition_doc(keys: usize, widen: Option<bool>) -> Value {
    let mut like = Map::new();
    for i in 0..keys {
        let first = match (i, widen) {
            (0, Some(true)) => format!("v{i}*"),
            (0, Some(false)) => format!("v{i}-a*"),
            _ => format!("v{i}-*"),
        };
        like.insert(
            format!("aws:PrincipalTag/t{i}"),
            json!([first, format!("w{i}")]),
        );
    }
    json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Action": ["s3:GetObject", "s3:PutObject"],
        "Resource": "arn:aws:s3:::bucket/*",
        "Condition": {"StringLike": like}
    }]})
}

fn nna(label: String, existing: &Value, new: &Value) -> Option<Job> {
    let e = parse_document(existing, PolicyType::Identity).ok()?;
    let n = parse_document(new, PolicyType::Identity).ok()?;
    Some(Job {
        label,
        size: doc_size(new),
        check: CheckJob::NoNewAccess {
            existing: e,
            new: n,
        },
    })
}

/// Every point of the series, for patterns up to `max_patterns`.
pub fn scale_points(catalogue: &[String], max_patterns: usize) -> Vec<ScalePoint> {
    let mut out = Vec::new();
    for &st in STATEMENT_COUNTS {
        for &n in PATTERN_COUNTS.iter().filter(|&&n| n <= max_patterns) {
            if st > n {
                continue;
            }
            let all = action_patterns(catalogue, n);
            // Drop the last literal pattern that no wildcard of the set covers, so that the
            // smaller policy really grants less.
            let wildcards: Vec<&String> = all.iter().filter(|p| p.contains('*')).collect();
            let Some(drop) = (0..all.len()).rev().find(|&i| {
                all.get(i).is_some_and(|lit| {
                    !lit.contains('*')
                        && !wildcards
                            .iter()
                            .any(|w| iamproof_eval::matching::action_matches(w, lit))
                })
            }) else {
                continue;
            };
            let mut fewer = all.clone();
            if drop < fewer.len() {
                fewer.remove(drop);
            }
            let mut fewer_rev = fewer.clone();
            fewer_rev.reverse();
            let full = action_doc(&all, st);
            let series = format!("actions/{st}-stmt");
            if let Some(job) = nna(format!("{series} {n} sat"), &action_doc(&fewer, st), &full) {
                out.push(ScalePoint {
                    series: series.clone(),
                    expect_fail: true,
                    x: n,
                    job,
                });
            }
            if let Some(job) = nna(
                format!("{series} {n} unsat"),
                &full,
                &action_doc(&fewer_rev, st),
            ) {
                out.push(ScalePoint {
                    series,
                    expect_fail: false,
                    x: n,
                    job,
                });
            }
        }
    }
    for &k in KEY_COUNTS {
        let base = condition_doc(k, None);
        for (widen, fail) in [(true, true), (false, false)] {
            let label = format!("conditions {k} {}", if fail { "sat" } else { "unsat" });
            if let Some(job) = nna(label, &base, &condition_doc(k, Some(widen))) {
                out.push(ScalePoint {
                    series: "conditions".into(),
                    expect_fail: fail,
                    x: k,
                    job,
                });
            }
        }
    }
    out
}
