//! `PolicyError`: why a document is not a policy, where, and an Access-Analyzer-like issue code.

use crate::span::{JsonPath, Position, Span};

/// A document that is not a valid policy (or not valid JSON).
///
/// Display: `{line}:{column}: {path}: {message}` with a 1-based column; callers prefix the file
/// name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{position}: {path}: {message}")]
pub struct PolicyError {
    /// Where the problem starts (`span.start`).
    pub position: Position,
    /// The source range of the offending node (zero-width for pure syntax errors).
    pub span: Span,
    /// The JSON path of the offending node (or of the innermost node being read).
    pub path: JsonPath,
    /// A human-readable explanation.
    pub message: String,
    /// An issue code in the style of Access Analyzer (see [`codes`]).
    pub code: &'static str,
}

impl PolicyError {
    /// Builds an error covering `span`.
    pub fn new(span: Span, path: JsonPath, code: &'static str, message: String) -> Self {
        PolicyError {
            position: span.start,
            span,
            path,
            message,
            code,
        }
    }
}

/// The issue codes `PolicyError::code` takes. Where Access Analyzer has an equivalent check the
/// code is its `issueCode`. A namespace of constants (`codes::INVALID_EFFECT`), re-exported at
/// the crate root.
pub mod codes {
    /// Not valid JSON.
    pub const JSON_SYNTAX: &str = "JSON_SYNTAX";
    /// An object repeats a key.
    pub const DUPLICATE_KEY: &str = "DUPLICATE_KEY";
    /// The document is larger than the reader's limit.
    pub const POLICY_TOO_LARGE: &str = "POLICY_TOO_LARGE";
    /// Arrays/objects nested too deep.
    pub const JSON_TOO_DEEP: &str = "JSON_TOO_DEEP";
    /// A JSON value of the wrong type for its element (e.g. `"Effect": 1`).
    pub const INVALID_ELEMENT_TYPE: &str = "INVALID_ELEMENT_TYPE";
    /// An unknown or miscased element name.
    pub const INVALID_ELEMENT: &str = "INVALID_ELEMENT";
    /// `Version` is not `2012-10-17` or `2008-10-17`.
    pub const INVALID_VERSION: &str = "INVALID_VERSION";
    /// No `Statement`.
    pub const MISSING_STATEMENT: &str = "MISSING_STATEMENT";
    /// No `Effect`.
    pub const MISSING_EFFECT: &str = "MISSING_EFFECT";
    /// `Effect` other than `Allow`/`Deny`.
    pub const INVALID_EFFECT: &str = "INVALID_EFFECT";
    /// Neither `Action` nor `NotAction`.
    pub const MISSING_ACTION: &str = "MISSING_ACTION";
    /// Neither `Resource` nor `NotResource` where one is required.
    pub const MISSING_RESOURCE: &str = "MISSING_RESOURCE";
    /// Neither `Principal` nor `NotPrincipal` in a resource policy.
    pub const MISSING_PRINCIPAL: &str = "MISSING_PRINCIPAL";
    /// `X` together with `NotX`.
    pub const UNSUPPORTED_ELEMENT_COMBINATION: &str = "UNSUPPORTED_ELEMENT_COMBINATION";
    /// A principal element in an identity policy.
    pub const PRINCIPAL_IN_IDENTITY_POLICY: &str = "PRINCIPAL_IN_IDENTITY_POLICY";
    /// A principal element in a service control policy.
    pub const PRINCIPAL_IN_SERVICE_CONTROL_POLICY: &str = "PRINCIPAL_IN_SERVICE_CONTROL_POLICY";
    /// A principal map key other than AWS, Service, Federated, CanonicalUser.
    pub const INVALID_PRINCIPAL_KEY: &str = "INVALID_PRINCIPAL_KEY";
    /// A string principal other than `"*"`.
    pub const INVALID_PRINCIPAL_FORMAT: &str = "INVALID_PRINCIPAL_FORMAT";
    /// `*` or `?` inside a principal other than a bare `*`.
    pub const UNSUPPORTED_WILDCARD_IN_PRINCIPAL: &str = "UNSUPPORTED_WILDCARD_IN_PRINCIPAL";
    /// A malformed action (no colon, two colons, wildcard in the service prefix, empty parts).
    pub const INVALID_ACTION: &str = "INVALID_ACTION";
    /// An unknown or miscased condition operator, or a bad qualifier.
    pub const INVALID_CONDITION_OPERATOR: &str = "INVALID_CONDITION_OPERATOR";
    /// `NullIfExists`.
    pub const NULL_WITH_IF_EXISTS: &str = "NULL_WITH_IF_EXISTS";
    /// Two condition keys of one operator block differ only in case.
    pub const DUPLICATE_KEYS_WITH_DIFFERENT_CASE: &str = "DUPLICATE_KEYS_WITH_DIFFERENT_CASE";
    /// An empty condition key.
    pub const INVALID_CONDITION_KEY: &str = "INVALID_CONDITION_KEY";
    /// A condition value that is null, an object or a nested array.
    pub const INVALID_CONDITION_VALUE: &str = "INVALID_CONDITION_VALUE";
    /// Malformed `${…}` syntax.
    pub const INVALID_VARIABLE: &str = "INVALID_VARIABLE";
    /// A variable in an element that takes none (Action, Principal, condition keys, the ARN
    /// prefix of a resource).
    pub const VARIABLE_UNSUPPORTED_IN_ELEMENT: &str = "VARIABLE_UNSUPPORTED_IN_ELEMENT";
    /// A variable in a Numeric/Date/IP/Binary/Null condition value.
    pub const INVALID_VARIABLE_FOR_OPERATOR: &str = "INVALID_VARIABLE_FOR_OPERATOR";
    /// A rule specific to resource control policies (Deny only, `Principal: "*"`, version).
    pub const INVALID_RCP: &str = "INVALID_RESOURCE_CONTROL_POLICY";
}
