//! Helpers shared by the check tests.
#![allow(dead_code)]

use iamproof_checks::{CheckOptions, CheckResult};
use iamproof_eval::evaluate_policy;
use iamproof_policy::{parse_policy, Policy, PolicyType};

/// Parses a policy or panics with the parser's message.
pub fn policy(text: &str, t: PolicyType) -> Policy {
    match parse_policy(text, t) {
        Ok(p) => p,
        Err(e) => panic!("test policy does not parse: {e}\n{text}"),
    }
}

/// The options every test uses: the default engine, 20 s per solver call.
pub fn opts() -> CheckOptions {
    CheckOptions {
        timeout: std::time::Duration::from_secs(20),
        ..CheckOptions::default()
    }
}

/// Asserts what every result must satisfy (see [`problems`]).
pub fn sane(r: &CheckResult, policy: &Policy) {
    let p = problems(r, policy);
    assert!(p.is_empty(), "{}\n{}", p.join("\n"), r.to_json());
}

/// What every result must satisfy: no internal disagreement, no undecided query, a FAIL never
/// without reasons, a PASS without reasons, and every example request allowed by `policy`
/// through the statement it is shown for.
pub fn problems(r: &CheckResult, policy: &Policy) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(e) = &r.internal_error {
        out.push(format!("internal disagreement: {e}"));
    }
    if let Some(u) = &r.unknown_reason {
        out.push(format!("the engine could not decide: {u}"));
    }
    if r.is_pass() {
        if !r.reasons.is_empty() {
            out.push("a PASS with reasons".into());
        }
        return out;
    }
    if r.reasons.is_empty() {
        out.push("a FAIL without reasons".into());
    }
    for reason in &r.reasons {
        let (Some(i), Some(w)) = (reason.statement_index, reason.example_request.as_ref()) else {
            if r.internal_error.is_none() && r.unknown_reason.is_none() {
                out.push(format!(
                    "reason without statement or example: {}",
                    reason.description
                ));
            }
            continue;
        };
        let ev = evaluate_policy(policy, w);
        if !ev.allows() {
            out.push(format!("example of statement {i} is not allowed"));
        }
        if !ev.allow.iter().any(|m| m.statement_index == i) {
            out.push(format!("statement {i} does not apply to its example"));
        }
    }
    out
}

/// The statement indices of the reasons.
pub fn indices(r: &CheckResult) -> Vec<usize> {
    r.reasons.iter().filter_map(|x| x.statement_index).collect()
}
