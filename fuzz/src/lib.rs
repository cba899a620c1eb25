//! The fuzz targets of iamproof, as plain functions: each panics on a bug and returns normally
//! on any input, however malformed. `src/bin/*.rs` hand them to afl.rs; `tests/seeds.rs` runs
//! them on the committed seeds with the ordinary test harness. See the README's "Fuzzing".
//!
//! * [`parse`]: any bytes through the policy reader and ValidatePolicy, for every policy type:
//!   errors are fine, panics are not.
//! * [`differential`]: a policy and a seed; requests sampled from the policy's own literals must
//!   get the same answer from the reference evaluator and from the policy's formula, overall and
//!   per statement (the same comparison as `crates/logic/tests/random_agreement.rs`).
//! * [`engine`]: the native engine decides `allows(P)` and, per statement, `applies_i`; every
//!   model it returns must replay through the evaluator.

use iamproof_eval::evaluate_policy;
use iamproof_logic::encode_policy;
use iamproof_policy::{parse_policy, validate, Policy, PolicyType, ValidateOptions};
use iamproof_solver::{solve, Backend, Outcome, SolveOptions};
use std::time::Duration;

// The request sampler and the comparison of the logic crate's agreement tests, reused as they
// are (one semantics, checked the same way everywhere).
#[allow(dead_code, missing_docs)]
#[path = "../../crates/logic/tests/support/mod.rs"]
mod support;

const TYPES: [PolicyType; 4] = [
    PolicyType::Identity,
    PolicyType::Resource,
    PolicyType::ServiceControl,
    PolicyType::ResourceControl,
];

/// Inputs larger than this are skipped: the fuzzer should explore structure, not size.
const MAX_INPUT: usize = 16 * 1024;

/// Any bytes through the reader and ValidatePolicy.
pub fn parse(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if text.len() > MAX_INPUT {
        return;
    }
    for ty in TYPES {
        let _ = parse_policy(text, ty);
        let _ = validate(text, &ValidateOptions::new(ty));
    }
}

/// The first byte picks the policy type, the next eight seed the request sampler, the rest is
/// the policy.
fn policy_of(data: &[u8]) -> Option<(Policy, u64)> {
    let (&ty, rest) = data.split_first()?;
    let seed = u64::from_le_bytes(rest.get(..8)?.try_into().ok()?);
    let text = std::str::from_utf8(rest.get(8..)?).ok()?;
    if text.len() > MAX_INPUT {
        return None;
    }
    let ty = TYPES[usize::from(ty) % TYPES.len()];
    let policy = parse_policy(text, ty).ok()?;
    Some((policy, seed))
}

/// Evaluator and formula agree on sampled requests.
pub fn differential(data: &[u8]) {
    let Some((policy, seed)) = policy_of(data) else {
        return;
    };
    // A policy the encoder refuses (a documented bound) is not a disagreement.
    if encode_policy(&policy).is_err() {
        return;
    }
    let (_, disagreement) = support::check_policy(&policy, 64, seed);
    if let Some(d) = disagreement {
        panic!("evaluator and formula disagree: {d}");
    }
}

/// Native models replay through the evaluator.
pub fn engine(data: &[u8]) {
    let Some((policy, _)) = policy_of(data) else {
        return;
    };
    let Ok(enc) = encode_policy(&policy) else {
        return;
    };
    let opts = SolveOptions {
        backend: Backend::Native,
        timeout: Duration::from_millis(200),
        max_steps: 2_000,
    };
    if let Outcome::Sat(model) = solve(&enc.allows(), &opts) {
        let request = model.to_request();
        assert!(
            evaluate_policy(&policy, &request).allows(),
            "a model of allows(P) is not allowed by the evaluator: {request:?}"
        );
    }
    for s in enc.statements.iter().take(4) {
        if let Outcome::Sat(model) = solve(&s.applies, &opts) {
            let request = model.to_request();
            let ev = evaluate_policy(&policy, &request);
            let applies = ev
                .allow
                .iter()
                .chain(ev.deny.iter())
                .any(|m| m.statement_index == s.index);
            assert!(
                applies,
                "a model of statement {} does not make it apply: {request:?}",
                s.index
            );
        }
    }
}
