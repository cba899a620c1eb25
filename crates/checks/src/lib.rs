//! The custom policy checks: no new access, access not granted, no public access, no external
//! access; each gives PASS (a proof) or FAIL with the statements responsible and a request.
//!
//! Results serialize to exactly Access Analyzer's JSON (`result`, `message`, `reasons[]` of
//! `description`, `statementIndex`, `statementId`); iamproof's additions are extra fields.

pub mod access;
pub mod checks;
pub mod engine;
pub mod keys;
pub mod render;
pub mod resource_type;
pub mod result;
pub mod zone;

pub use access::{AccessSpec, AccessSpecError};
pub use checks::{
    access_formula, access_matches, check_access_not_granted_with, check_no_external_access_with,
    check_no_new_access_with, check_no_public_access_with,
};
pub use engine::{Backend, CheckOptions, SolverEngine};
pub use engine::{Engine, PoolEngine, SolveAnswer};
pub use keys::{classify_key, classify_key_external, KeyInfo, KeyRole, OutsiderDomain};
pub use resource_type::{ResourceType, UnknownResourceType};
pub use result::{CheckKind, CheckResult, Reason, RequestJson, StatementLocation, Verdict};
pub use zone::{TrustZone, TrustZoneError, Zone, ZoneKind};

use iamproof_policy::Policy;

/// `CheckNoNewAccess`: FAIL iff some request is allowed by `new` and not by `existing` (both of
/// the same policy type). The reasons name every `Allow` statement of `new` that grants such a
/// request ("New access in the statement with index: 1."), each with a replayed example request.
pub fn check_no_new_access(existing: &Policy, new: &Policy, opts: &CheckOptions) -> CheckResult {
    check_no_new_access_with(
        existing,
        new,
        &SolverEngine {
            options: opts.clone(),
        },
    )
}

/// `CheckAccessNotGranted`: FAIL iff `policy` allows some request whose action matches a listed
/// action and whose resource matches a listed resource (an empty list matches everything), under
/// any conditions. The reasons name the granting statements.
pub fn check_access_not_granted(
    policy: &Policy,
    access: &AccessSpec,
    opts: &CheckOptions,
) -> CheckResult {
    check_access_not_granted_with(
        policy,
        access,
        &SolverEngine {
            options: opts.clone(),
        },
    )
}

/// `CheckNoPublicAccess`: FAIL iff `policy`, attached to a resource of `resource_type`, can allow
/// a request of that type's service by a caller outside every fixed account, organization,
/// network and source (see [`zone`]). The reasons name the granting statements.
pub fn check_no_public_access(
    policy: &Policy,
    resource_type: ResourceType,
    opts: &CheckOptions,
) -> CheckResult {
    check_no_public_access_with(
        policy,
        resource_type,
        &SolverEngine {
            options: opts.clone(),
        },
    )
}

/// iamproof's `check-no-external-access`: FAIL iff `policy` can allow a request of the resource
/// type's service by a principal outside the trusted accounts and organizations; each reason's
/// example names such a principal.
pub fn check_no_external_access(
    policy: &Policy,
    resource_type: ResourceType,
    trusted: &TrustZone,
    opts: &CheckOptions,
) -> CheckResult {
    check_no_external_access_with(
        policy,
        resource_type,
        trusted,
        &SolverEngine {
            options: opts.clone(),
        },
    )
}
