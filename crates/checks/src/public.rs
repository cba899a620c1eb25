//! `CheckNoPublicAccess` and `check-no-external-access`: access by a caller outside a [`Zone`]
//! (the public zone of accounts, organizations, networks and sources the policy fixes, or a
//! trusted zone).

use crate::engine::Engine;
use crate::examples::action_spellings;
use crate::query::{encode, Query};
use crate::realistic::{keys_of, realistic_request};
use crate::resource_type::ResourceType;
use crate::result::{CheckKind, CheckResult};
use crate::zone::{TrustZone, Zone};
use iamproof_eval::Request;
use iamproof_logic::Formula;
use iamproof_policy::Policy;
use std::time::Instant;

/// A public or external check: some request of the resource type's service by a caller outside
/// `zone`, allowed by `policy`.
pub(crate) fn zone_query(
    kind: CheckKind,
    policy: &Policy,
    zone: Zone,
    engine: &dyn Engine,
) -> CheckResult {
    match build_zone_query(kind, policy, zone) {
        Ok(q) => q.run(engine),
        Err(r) => *r,
    }
}

/// The query of a public or external check, ready to run (or the result of a policy that cannot
/// be encoded).
pub(crate) fn build_zone_query(
    kind: CheckKind,
    policy: &Policy,
    zone: Zone,
) -> Result<Query<'_>, Box<CheckResult>> {
    let started = Instant::now();
    let encoded = encode(policy, kind, "policy")?;
    let keys = keys_of(&Formula::or2(encoded.allow.clone(), encoded.deny.clone()));
    // Every action the policy allows counts; examples prefer the resource type's own service.
    let extra = zone.outsider(&keys);
    let (example_account, preferred) = match zone.preferred_caller() {
        Some((account, f)) => (
            Some(account),
            Some(Formula::and2(f, zone.relevant_action())),
        ),
        None => (None, Some(zone.relevant_action())),
    };
    let check = extra.clone();
    Ok(Query {
        kind,
        policy,
        encoded,
        extra,
        preferred,
        realistic: realistic_request(&[policy]),
        spellings: action_spellings(&[policy], &[]),
        example_account,
        started,
        replay: Box::new(move |w: &Request| {
            if !check.eval(w) {
                Err("is not made by an outsider".into())
            } else {
                Ok(())
            }
        }),
    })
}

/// `check-no-public-access` on an engine (see [`crate::check_no_public_access`]).
pub fn check_no_public_access_with(
    policy: &Policy,
    resource_type: ResourceType,
    engine: &dyn Engine,
) -> CheckResult {
    let zone = Zone::public(policy, resource_type);
    zone_query(CheckKind::NoPublicAccess, policy, zone, engine)
}

/// `check-no-external-access` on an engine (see [`crate::check_no_external_access`]).
pub fn check_no_external_access_with(
    policy: &Policy,
    resource_type: ResourceType,
    trusted: &TrustZone,
    engine: &dyn Engine,
) -> CheckResult {
    let zone = Zone::external(resource_type, trusted);
    zone_query(CheckKind::NoExternalAccess, policy, zone, engine)
}
