//! `CheckNoNewAccess`: access the new policy grants that the existing one does not.

use crate::engine::Engine;
use crate::examples::action_spellings;
use crate::query::{encode, Query};
use crate::realistic::realistic_request;
use crate::result::{CheckKind, CheckResult};
use iamproof_eval::{evaluate_policy, Request};
use iamproof_logic::Formula;
use iamproof_policy::Policy;
use std::time::Instant;

/// `check-no-new-access` on an engine (see [`crate::check_no_new_access`]).
pub fn check_no_new_access_with(
    existing: &Policy,
    new: &Policy,
    engine: &dyn Engine,
) -> CheckResult {
    match build_no_new_access(existing, new) {
        Ok(q) => q.run(engine),
        Err(r) => *r,
    }
}

/// The query of `check-no-new-access`, ready to run (or the result of a policy that cannot be
/// encoded).
pub(crate) fn build_no_new_access<'a>(
    existing: &'a Policy,
    new: &'a Policy,
) -> Result<Query<'a>, Box<CheckResult>> {
    let started = Instant::now();
    let kind = CheckKind::NoNewAccess;
    let old = encode(existing, kind, "existing policy")?;
    let encoded = encode(new, kind, "new policy")?;
    Ok(Query {
        kind,
        policy: new,
        encoded,
        extra: Formula::not(old.allows()),
        preferred: None,
        realistic: realistic_request(&[existing, new]),
        spellings: action_spellings(&[new, existing], &[]),
        example_account: None,
        started,
        replay: Box::new(move |w: &Request| {
            if evaluate_policy(existing, w).allows() {
                Err("is also allowed by the existing policy".into())
            } else {
                Ok(())
            }
        }),
    })
}
