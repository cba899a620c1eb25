//! `PolicyError`: why a document is not a policy, where, and an Access-Analyzer-like issue code.
//! The parts are kept apart (message, span, path, code, help, labels) so that a renderer can
//! show them as it likes; `Display` is the one-line form.

use crate::diagnostic::Label;
use crate::issue::IssueCode;
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
    pub code: IssueCode,
    /// What to do about it, when there is more to say than the message (not part of `Display`).
    /// Boxed, as the error travels in every `Result` of the parser.
    pub help: Option<Box<str>>,
}

impl PolicyError {
    /// Builds an error covering `span`.
    pub fn new(span: Span, path: JsonPath, code: IssueCode, message: String) -> Self {
        PolicyError {
            position: span.start,
            span,
            path,
            message,
            code,
            help: None,
        }
    }

    /// This error with `help` (what to do about it).
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into().into_boxed_str());
        self
    }

    /// The spans to point at in a source excerpt: the offending node, labelled with
    /// [`IssueCode::label`].
    pub fn labels(&self) -> Vec<Label> {
        vec![Label {
            span: self.span,
            text: self.code.label().map(str::to_string),
        }]
    }
}

/// The issue codes `PolicyError::code` takes. Where Access Analyzer has an equivalent check the
/// code is its `issueCode`. A namespace of constants (`codes::INVALID_EFFECT`), re-exported at
/// the crate root.
pub mod codes {
    use crate::issue::IssueCode;

    /// Not valid JSON.
    pub const JSON_SYNTAX: IssueCode = IssueCode::JsonSyntax;
    /// An object repeats a key.
    pub const DUPLICATE_KEY: IssueCode = IssueCode::DuplicateKey;
    /// The document is larger than the reader's limit.
    pub const POLICY_TOO_LARGE: IssueCode = IssueCode::PolicyTooLarge;
    /// Arrays/objects nested too deep.
    pub const JSON_TOO_DEEP: IssueCode = IssueCode::JsonTooDeep;
    /// A JSON value of the wrong type for its element (e.g. `"Effect": 1`).
    pub const INVALID_ELEMENT_TYPE: IssueCode = IssueCode::InvalidElementType;
    /// An unknown or miscased element name.
    pub const INVALID_ELEMENT: IssueCode = IssueCode::InvalidElement;
    /// `Version` is not `2012-10-17` or `2008-10-17`.
    pub const INVALID_VERSION: IssueCode = IssueCode::InvalidVersion;
    /// No `Statement`.
    pub const MISSING_STATEMENT: IssueCode = IssueCode::MissingStatement;
    /// No `Effect`.
    pub const MISSING_EFFECT: IssueCode = IssueCode::MissingEffect;
    /// `Effect` other than `Allow`/`Deny`.
    pub const INVALID_EFFECT: IssueCode = IssueCode::InvalidEffect;
    /// Neither `Action` nor `NotAction`.
    pub const MISSING_ACTION: IssueCode = IssueCode::MissingAction;
    /// Neither `Resource` nor `NotResource` where one is required.
    pub const MISSING_RESOURCE: IssueCode = IssueCode::MissingResource;
    /// Neither `Principal` nor `NotPrincipal` in a resource policy.
    pub const MISSING_PRINCIPAL: IssueCode = IssueCode::MissingPrincipal;
    /// `X` together with `NotX`.
    pub const UNSUPPORTED_ELEMENT_COMBINATION: IssueCode = IssueCode::UnsupportedElementCombination;
    /// A principal element in an identity policy.
    pub const PRINCIPAL_IN_IDENTITY_POLICY: IssueCode = IssueCode::PrincipalInIdentityPolicy;
    /// A principal element in a service control policy.
    pub const PRINCIPAL_IN_SERVICE_CONTROL_POLICY: IssueCode =
        IssueCode::PrincipalInServiceControlPolicy;
    /// A principal map key other than AWS, Service, Federated, CanonicalUser.
    pub const INVALID_PRINCIPAL_KEY: IssueCode = IssueCode::InvalidPrincipalKey;
    /// A string principal other than `"*"`.
    pub const INVALID_PRINCIPAL_FORMAT: IssueCode = IssueCode::InvalidPrincipalFormat;
    /// `*` or `?` inside a principal other than a bare `*`.
    pub const UNSUPPORTED_WILDCARD_IN_PRINCIPAL: IssueCode =
        IssueCode::UnsupportedWildcardInPrincipal;
    /// A malformed action (no colon, two colons, wildcard in the service prefix, empty parts).
    pub const INVALID_ACTION: IssueCode = IssueCode::InvalidAction;
    /// An unknown or miscased condition operator, or a bad qualifier.
    pub const INVALID_CONDITION_OPERATOR: IssueCode = IssueCode::InvalidConditionOperator;
    /// `NullIfExists`.
    pub const NULL_WITH_IF_EXISTS: IssueCode = IssueCode::NullWithIfExists;
    /// Two condition keys of one operator block differ only in case.
    pub const DUPLICATE_KEYS_WITH_DIFFERENT_CASE: IssueCode =
        IssueCode::DuplicateKeysWithDifferentCase;
    /// An empty condition key.
    pub const INVALID_CONDITION_KEY: IssueCode = IssueCode::InvalidConditionKey;
    /// A condition value that is null, an object or a nested array.
    pub const INVALID_CONDITION_VALUE: IssueCode = IssueCode::InvalidConditionValue;
    /// Malformed `${…}` syntax.
    pub const INVALID_VARIABLE: IssueCode = IssueCode::InvalidVariable;
    /// A variable in an element that takes none (Action, Principal, condition keys, the ARN
    /// prefix of a resource).
    pub const VARIABLE_UNSUPPORTED_IN_ELEMENT: IssueCode = IssueCode::VariableUnsupportedInElement;
    /// A variable in a Numeric/Date/IP/Binary/Null condition value.
    pub const INVALID_VARIABLE_FOR_OPERATOR: IssueCode = IssueCode::InvalidVariableForOperator;
    /// A rule specific to resource control policies (Deny only, `Principal: "*"`, version).
    pub const INVALID_RCP: IssueCode = IssueCode::InvalidResourceControlPolicy;
}
