//! The custom policy checks: no new access, access not granted, no public access, no external
//! access; each gives PASS (a proof) or FAIL with the statements responsible and a request.
//!
//! # Entry points
//! * [`check_no_new_access`]`(existing, new, opts)`: AWS `CheckNoNewAccess`;
//! * [`check_access_not_granted`]`(policy, access, opts)`: AWS `CheckAccessNotGranted`
//!   ([`AccessSpec::from_json`] parses AWS's `access` argument and enforces its limits);
//! * [`check_no_public_access`]`(policy, resource_type, opts)`: AWS `CheckNoPublicAccess`
//!   ([`ResourceType::from_aws_name`] accepts AWS's 26 names);
//! * [`check_no_external_access`]`(policy, resource_type, trusted, opts)`: the same question for
//!   principals outside a [`TrustZone`] of accounts and organizations.
//!
//! * [`access_findings`], [`new_access_findings`], [`access_not_granted_findings`],
//!   [`public_access_findings`]: not one request but the complete, minimal list of [`Findings`]
//!   (who, which actions, under which condition) for the same questions; [`compare_policies`]
//!   compares two policies both ways.
//!
//! Each check returns a [`CheckResult`]; [`CheckResult::to_json`] gives exactly Access Analyzer's
//! response (`result`, `message`, `reasons[]` of `description`, `statementIndex`, `statementId`)
//! plus iamproof's extra fields (`exampleRequest` on each reason, `engine`, `unknownReason`,
//! `internalError`), and [`CheckResult::render_text`] a readable report that quotes the
//! responsible statements from the source with their line numbers.
//!
//! ```
//! use iamproof_checks::{check_access_not_granted, AccessSpec, CheckOptions, Verdict};
//! use iamproof_policy::{parse_policy, PolicyType};
//!
//! let text = r#"{"Version":"2012-10-17","Statement":[
//!   {"Effect":"Allow","Action":"ec2:StartInstances","Resource":"*"},
//!   {"Effect":"Allow","Action":["s3:GetObject","s3:DeleteBucket"],"Resource":"*"}]}"#;
//! let policy = parse_policy(text, PolicyType::Identity).unwrap();
//! let access = AccessSpec::from_json(r#"[{"actions":["s3:DeleteBucket"]}]"#).unwrap();
//! let result = check_access_not_granted(&policy, &access, &CheckOptions::default());
//! assert_eq!(result.result, Verdict::Fail);
//! assert_eq!(result.reasons[0].statement_index, Some(1));
//! assert_eq!(
//!     result.reasons[0].description,
//!     "One or more of the listed actions in the statement with index: 1."
//! );
//! ```
//!
//! # Meaning
//! * FAIL means "might allow": a conditional grant is a grant, and when the engine cannot decide
//!   (timeout, unsupported construct, a solver failure) the result is FAIL with a reason saying
//!   the check could not be completed. PASS is always a proof (the query is UNSAT).
//! * Every FAIL's example request is replayed through the reference evaluator
//!   (`iamproof_eval::evaluate_policy(policy, &request).allows()`, the responsible statement among
//!   the applicable Allows, and not allowed by the existing policy for no-new-access) before it is
//!   shown. A witness that does not replay is a bug: the result is then FAIL with an "internal
//!   disagreement" reason and `internal_error` set — never PASS.
//! * Pinpointing: each `Allow` statement of the policy under test is asked separately
//!   (`applies_i ∧ ¬deny ∧ property`); statements that already apply to a replayed witness are
//!   not asked again. The reasons name every statement that grants such a request.
//! * Time: [`CheckOptions::timeout`] bounds the whole check (all its solver calls); a check that
//!   runs out FAILs with `unknown_reason` saying the time limit was reached, never PASSes.
//! * Examples keep only the context keys their verdicts need; for identity policies the caller
//!   is `arn:aws:iam::111122223333:user/example` unless the verdicts depend on the principal;
//!   public access is shown with an anonymous caller where one is allowed, empty resource names
//!   are filled in and typed keys get typical values (`docs/findings.md`, "Example requests").
//! * Requests are *realistic* ([`realistic_request`]): IAM/STS callers have well-formed
//!   principal ARNs with 12-digit accounts, resources are `*` or ARNs, actions are
//!   `service:Name`, and caller and resource share a partition the policies name (`aws` if they
//!   name none); single-valued global keys carry one value; keys AWS derives from the principal
//!   agree with it (`iamproof_logic::request_axioms`, added lazily when a witness violates
//!   them). Every real request satisfies these, so they never turn a real FAIL into a PASS.
//! * Public and external access ([`Zone`]): an outsider is an IAM/STS caller of an account not
//!   fixed by the policy (public) or not trusted (external), or anonymous where the resource type
//!   has anonymous callers, or a web-identity caller for role trust policies; AWS service
//!   principals are never outsiders. Identity keys must agree with such a caller; for the public
//!   check, network and source keys are absent or hold a value the policy does not name, and IP
//!   addresses lie outside the policy's ranges of at least /8 (IPv4) or /32 (IPv6); every other
//!   key is caller-controlled ([`classify_key`]). Only actions of the resource type's service count.
//!   Keys iamproof does not know are caller-controlled (a misspelt key is absent in AWS; treating
//!   it as caller-controlled can only give a false FAIL).

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

mod access;
mod access_not_granted;
mod clock;
mod engine;
mod examples;
mod findings;
mod incremental;
mod keys;
mod no_new_access;
mod pinpoint;
mod public;
mod query;
mod realistic;
mod render;
mod resource_type;
mod result;
mod zone;

pub use access::{
    AccessSpec, AccessSpecError, MAX_ACTIONS, MAX_ACTION_LEN, MAX_RESOURCES, MAX_RESOURCE_LEN,
};
pub use access_not_granted::{access_formula, access_matches, check_access_not_granted_with};
pub use engine::{Backend, CheckOptions, SolverEngine};
pub use engine::{Engine, PoolEngine, Session, SolveAnswer};
pub use examples::EXAMPLE_ACCOUNT;
pub use findings::{
    access_findings, access_not_granted_findings, compare_policies, external_access_findings,
    new_access_findings, public_access_findings, Comparison, ComparisonVerdict, Finding,
    FindingPrincipal, Findings, FindingsOptions, PrincipalClass, ServiceReference,
    ServiceReferenceError, DEFAULT_ACTION_QUESTIONS,
};
pub use keys::{classify_key, classify_key_external, KeyInfo, KeyRole, OutsiderDomain};
pub use no_new_access::check_no_new_access_with;
pub use public::{check_no_external_access_with, check_no_public_access_with};
pub use realistic::{realistic_request, single_valued_keys};
pub use render::render_request;
pub use resource_type::{ResourceType, ServiceKey, UnknownResourceType};
pub use result::{CheckKind, CheckResult, Reason, RequestJson, StatementLocation, Verdict};
pub use zone::{TrustZone, TrustZoneError, Zone, ZoneKind, EXAMPLE_OUTSIDE_ACCOUNT};

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
/// network and source (see [`Zone`]). The reasons name the granting statements.
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
