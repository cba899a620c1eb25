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
pub use engine::{Engine, PoolEngine, SolveAnswer};
pub use keys::{classify_key, classify_key_external, KeyInfo, KeyRole, OutsiderDomain};
pub use resource_type::{ResourceType, UnknownResourceType};
pub use result::{CheckKind, CheckResult, Reason, RequestJson, StatementLocation, Verdict};
pub use zone::{TrustZone, TrustZoneError, Zone, ZoneKind};
