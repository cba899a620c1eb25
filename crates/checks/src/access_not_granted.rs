//! `CheckAccessNotGranted`: whether a policy grants any of the listed actions or resources, and
//! the formula and concrete matcher of an access list.

use crate::access::AccessSpec;
use crate::engine::Engine;
use crate::examples::action_spellings;
use crate::query::{encode, Query};
use crate::realistic::realistic_request;
use crate::result::{CheckKind, CheckResult};
use iamproof_eval::matching::{action_matches, arn_like, glob_pattern};
use iamproof_eval::Request;
use iamproof_logic::{Formula, Glob, MatchMode, PatternSet, Var};
use iamproof_policy::Policy;
use std::time::Instant;

/// The formula "the request is one of the listed accesses" (actions only: the action on any
/// resource; resources only: any action on the resource; both: a listed action on a listed
/// resource).
pub fn access_formula(access: &AccessSpec) -> Formula {
    let actions = if access.actions.is_empty() || access.actions.iter().any(|a| a == "*") {
        Formula::tt()
    } else {
        Formula::matches(
            Var::Action,
            PatternSet::new(
                MatchMode::Action,
                access
                    .actions
                    .iter()
                    .map(|a| Glob::parse_wildcards(a))
                    .collect(),
            ),
        )
    };
    let resources = if access.resources.is_empty() {
        Formula::tt()
    } else {
        Formula::matches(
            Var::Resource,
            PatternSet::new(
                MatchMode::Arn,
                access
                    .resources
                    .iter()
                    .map(|r| Glob::parse_wildcards(r))
                    .collect(),
            ),
        )
    };
    Formula::and2(actions, resources)
}

/// Whether a concrete request is one of the listed accesses, by the reference evaluator's own
/// matching functions (independent of [`access_formula`]).
pub fn access_matches(access: &AccessSpec, r: &Request) -> bool {
    let action_ok =
        access.actions.is_empty() || access.actions.iter().any(|a| action_matches(a, &r.action));
    let resource_ok = access.resources.is_empty()
        || access
            .resources
            .iter()
            .any(|p| arn_like(&glob_pattern(p), &r.resource));
    action_ok && resource_ok
}

/// `check-access-not-granted` on an engine (see [`crate::check_access_not_granted`]).
pub fn check_access_not_granted_with(
    policy: &Policy,
    access: &AccessSpec,
    engine: &dyn Engine,
) -> CheckResult {
    match build_access_not_granted(policy, access) {
        Ok(q) => q.run(engine),
        Err(r) => *r,
    }
}

/// The query of `check-access-not-granted`, ready to run (or the result of a policy that cannot
/// be encoded).
pub(crate) fn build_access_not_granted<'a>(
    policy: &'a Policy,
    access: &'a AccessSpec,
) -> Result<Query<'a>, Box<CheckResult>> {
    let started = Instant::now();
    let kind = CheckKind::AccessNotGranted {
        with_resources: access.has_resources(),
    };
    let encoded = encode(policy, kind, "policy")?;
    Ok(Query {
        kind,
        policy,
        encoded,
        extra: access_formula(access),
        preferred: None,
        realistic: realistic_request(&[policy]),
        spellings: action_spellings(&[policy], &access.actions),
        example_account: None,
        started,
        replay: Box::new(move |w: &Request| {
            if access_matches(access, w) {
                Ok(())
            } else {
                Err("is not one of the listed actions/resources".into())
            }
        }),
    })
}
