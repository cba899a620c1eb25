//! The typed model of a policy document (`Policy`, `Statement`, the element clauses, `Condition`).
//!
//! Every node that came from the document carries its `Span` and `JsonPath` so that checks and
//! errors can point back into the text. Text that may hold policy variables is pre-split into a
//! `Template` once, by the parser, according to the policy's `Version` (docs/semantics.md, "Version and policy variables"): under
//! `2008-10-17` or without a Version, `${…}` is literal text and the template has one literal part.

use crate::span::{JsonPath, Span};
use std::fmt;

/// What kind of policy a document is; decides which elements are required or forbidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyType {
    /// Attached to a user, group or role; no `Principal`.
    Identity,
    /// Attached to a resource (bucket, key, queue, role trust policy…); `Principal` required.
    Resource,
    /// Organizations service control policy; no `Principal`.
    ServiceControl,
    /// Organizations resource control policy; `Principal: "*"`, Deny only.
    ResourceControl,
}

impl PolicyType {
    /// The name Access Analyzer uses (`IDENTITY_POLICY`, …).
    pub fn aws_name(self) -> &'static str {
        match self {
            PolicyType::Identity => "IDENTITY_POLICY",
            PolicyType::Resource => "RESOURCE_POLICY",
            PolicyType::ServiceControl => "SERVICE_CONTROL_POLICY",
            PolicyType::ResourceControl => "RESOURCE_CONTROL_POLICY",
        }
    }

    /// Parses Access Analyzer's name.
    pub fn from_aws_name(s: &str) -> Option<Self> {
        Some(match s {
            "IDENTITY_POLICY" => PolicyType::Identity,
            "RESOURCE_POLICY" => PolicyType::Resource,
            "SERVICE_CONTROL_POLICY" => PolicyType::ServiceControl,
            "RESOURCE_CONTROL_POLICY" => PolicyType::ResourceControl,
            _ => return None,
        })
    }

    /// Whether statements of this type must name a principal.
    pub fn has_principal(self) -> bool {
        matches!(self, PolicyType::Resource | PolicyType::ResourceControl)
    }
}

/// The `Version` element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    /// The legacy version: no policy variables.
    V2008_10_17,
    /// The current version: policy variables enabled.
    V2012_10_17,
}

impl Version {
    /// The text as written in the document.
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V2008_10_17 => "2008-10-17",
            Version::V2012_10_17 => "2012-10-17",
        }
    }
}

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// `None` when the document has no `Version` (treated as 2008-10-17 semantics, docs/semantics.md, "Version and policy variables").
    pub version: Option<Version>,
    /// The `Id` element, if any.
    pub id: Option<String>,
    /// The statements, in document order (a single statement object gives one).
    pub statements: Vec<Statement>,
    /// The type the document was parsed as.
    pub policy_type: PolicyType,
}

impl Policy {
    /// Policy variables exist only under `2012-10-17` (docs/semantics.md, "Version and policy variables").
    pub fn variables_enabled(&self) -> bool {
        self.version == Some(Version::V2012_10_17)
    }
}

/// `Allow` or `Deny` (case-sensitive in the document).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// `Allow`.
    Allow,
    /// `Deny`.
    Deny,
}

impl fmt::Display for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        })
    }
}

/// One statement, with its 0-based index in the policy (the `statementIndex` of Access Analyzer).
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// 0-based position in the `Statement` array (0 for a single statement object).
    pub index: usize,
    /// The `Sid`, if any.
    pub sid: Option<String>,
    /// The `Effect`.
    pub effect: Effect,
    /// `Principal` or `NotPrincipal`; `None` in identity policies and SCPs.
    pub principal: Option<PrincipalClause>,
    /// `Action` or `NotAction` (always present after a successful parse).
    pub action: ActionClause,
    /// `Resource` or `NotResource`; `None` only where the policy type allows leaving it out (role
    /// trust policies), in which case the statement applies to every resource.
    pub resource: Option<ResourceClause>,
    /// The condition block flattened: one entry per (operator, key); all are ANDed. Empty means true.
    pub conditions: Vec<Condition>,
    /// Whether the document had a `Condition` element at all (an empty `{}` is FLAGged, docs/semantics.md, "Document shape").
    pub has_condition_element: bool,
    /// The statement object's source range.
    pub span: Span,
    /// `Statement` or `Statement[i]`.
    pub path: JsonPath,
}

/// `Principal` (negated = false) or `NotPrincipal` (negated = true).
#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalClause {
    /// Whether this is `NotPrincipal`.
    pub negated: bool,
    /// The principals named; empty for `{}` / `[]` (matches nothing).
    pub entries: Vec<PrincipalEntry>,
    /// The source range of the element's value.
    pub span: Span,
}

/// One principal named in a `Principal`/`NotPrincipal` element.
#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalEntry {
    /// The form of the entry.
    pub kind: PrincipalKind,
    /// The text as written (`"*"`, `"123456789012"`, an ARN, a service name…).
    pub value: String,
    /// The source range of the string.
    pub span: Span,
    /// The JSON path of the string.
    pub path: JsonPath,
}

/// Which form a principal entry has (docs/semantics.md, "Principals and accounts").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalKind {
    /// `"Principal": "*"`: everyone, anonymous included.
    Everyone,
    /// `{"AWS": …}`: `*`, an account id, or an IAM/STS ARN.
    Aws,
    /// `{"Service": "svc.amazonaws.com"}`.
    Service,
    /// `{"Federated": …}`: a web identity provider or a SAML/OIDC provider ARN.
    Federated,
    /// `{"CanonicalUser": …}`: an S3 canonical user id.
    CanonicalUser,
}

/// `Action` (negated = false) or `NotAction` (negated = true).
#[derive(Debug, Clone, PartialEq)]
pub struct ActionClause {
    /// Whether this is `NotAction`.
    pub negated: bool,
    /// The patterns, in document order; empty for `[]` (matches nothing).
    pub patterns: Vec<ActionPattern>,
    /// The source range of the element's value.
    pub span: Span,
}

/// One action pattern: `"*"` or `service:name-glob` (`*` and `?` allowed in the name part).
#[derive(Debug, Clone, PartialEq)]
pub struct ActionPattern {
    /// The text as written.
    pub text: String,
    /// The source range of the string.
    pub span: Span,
    /// The JSON path of the string.
    pub path: JsonPath,
}

/// `Resource` (negated = false) or `NotResource` (negated = true).
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceClause {
    /// Whether this is `NotResource`.
    pub negated: bool,
    /// The patterns, in document order; empty for `[]` (matches nothing).
    pub patterns: Vec<ResourcePattern>,
    /// The source range of the element's value.
    pub span: Span,
}

/// One resource pattern: `"*"` or an ARN glob, possibly with policy variables.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourcePattern {
    /// The text as written.
    pub text: String,
    /// The text split into literal parts and policy variables (one literal part when the policy
    /// version has no variables).
    pub template: Template,
    /// The source range of the string.
    pub span: Span,
    /// The JSON path of the string.
    pub path: JsonPath,
}

/// A condition set qualifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    /// `ForAllValues:` — every request value must pass (vacuously true for none).
    ForAllValues,
    /// `ForAnyValue:` — some request value must pass.
    ForAnyValue,
}

/// The operator families (decide how values are typed and compared).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperatorFamily {
    /// `String…` operators.
    String,
    /// `Numeric…` operators.
    Numeric,
    /// `Date…` operators.
    Date,
    /// `Bool`.
    Bool,
    /// `BinaryEquals`.
    Binary,
    /// `IpAddress` / `NotIpAddress`.
    Ip,
    /// `Arn…` operators.
    Arn,
    /// `Null`.
    Null,
}

macro_rules! base_operators {
    ($( $name:ident => $family:ident, $negated:expr; )*) => {
        /// A condition operator without its qualifier and `IfExists` suffix (docs/semantics.md, "Missing keys and negated operators").
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[allow(missing_docs)] // The variants are the operator names themselves.
        pub enum BaseOperator { $( $name, )* }

        impl BaseOperator {
            /// Every base operator.
            pub const ALL: &'static [BaseOperator] = &[ $( BaseOperator::$name, )* ];

            /// The canonical spelling.
            pub fn name(self) -> &'static str {
                match self { $( BaseOperator::$name => stringify!($name), )* }
            }

            /// The family that decides how values are typed and compared.
            pub fn family(self) -> OperatorFamily {
                match self { $( BaseOperator::$name => OperatorFamily::$family, )* }
            }

            /// Negated operators are true when the key is absent and NOR their values (docs/semantics.md, "Missing keys and negated operators").
            pub fn is_negated(self) -> bool {
                match self { $( BaseOperator::$name => $negated, )* }
            }

            /// Looks up a canonical spelling (exact case).
            pub fn from_name(s: &str) -> Option<Self> {
                match s { $( stringify!($name) => Some(BaseOperator::$name), )* _ => None }
            }
        }
    };
}

base_operators! {
    StringEquals => String, false;
    StringNotEquals => String, true;
    StringEqualsIgnoreCase => String, false;
    StringNotEqualsIgnoreCase => String, true;
    StringLike => String, false;
    StringNotLike => String, true;
    NumericEquals => Numeric, false;
    NumericNotEquals => Numeric, true;
    NumericLessThan => Numeric, false;
    NumericLessThanEquals => Numeric, false;
    NumericGreaterThan => Numeric, false;
    NumericGreaterThanEquals => Numeric, false;
    DateEquals => Date, false;
    DateNotEquals => Date, true;
    DateLessThan => Date, false;
    DateLessThanEquals => Date, false;
    DateGreaterThan => Date, false;
    DateGreaterThanEquals => Date, false;
    Bool => Bool, false;
    BinaryEquals => Binary, false;
    IpAddress => Ip, false;
    NotIpAddress => Ip, true;
    ArnEquals => Arn, false;
    ArnLike => Arn, false;
    ArnNotEquals => Arn, true;
    ArnNotLike => Arn, true;
    Null => Null, false;
}

/// A full condition operator: `[ForAllValues:|ForAnyValue:]Base[IfExists]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operator {
    /// `ForAllValues:` / `ForAnyValue:`, if present.
    pub qualifier: Option<SetQualifier>,
    /// The base operator.
    pub base: BaseOperator,
    /// Whether the operator ends in `IfExists`.
    pub if_exists: bool,
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.qualifier {
            Some(SetQualifier::ForAllValues) => f.write_str("ForAllValues:")?,
            Some(SetQualifier::ForAnyValue) => f.write_str("ForAnyValue:")?,
            None => {}
        }
        f.write_str(self.base.name())?;
        if self.if_exists {
            f.write_str("IfExists")?;
        }
        Ok(())
    }
}

/// One (operator, key, values) entry of a condition block.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The operator of the block this key is in.
    pub operator: Operator,
    /// The condition key as written; key names compare case-insensitively (docs/semantics.md, "Case folding").
    pub key: String,
    /// The policy values; a JSON scalar becomes a one-element list. May be empty (`[]`).
    pub values: Vec<ConditionValue>,
    /// From the start of the key to the end of its value.
    pub span: Span,
    /// `Statement[i].Condition.<operator>.<key>`.
    pub path: JsonPath,
}

impl Condition {
    /// The key in the canonical form used for lookups: ASCII-lowercased.
    pub fn key_lower(&self) -> String {
        self.key.to_ascii_lowercase()
    }
}

/// The JSON type a condition value was written with (numbers and booleans are also accepted as
/// strings; docs/semantics.md, "Case folding").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsonKind {
    /// A JSON string.
    String,
    /// A JSON number.
    Number,
    /// A JSON boolean.
    Bool,
}

/// One policy value of a condition.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionValue {
    /// The value as a string: JSON numbers keep their source text, booleans are `true`/`false`.
    pub text: String,
    /// The JSON type it was written with.
    pub kind: JsonKind,
    /// The value split into literal parts and policy variables (one literal part when variables
    /// are disabled by the Version or not allowed for the operator family).
    pub template: Template,
    /// The source range of the scalar.
    pub span: Span,
    /// The JSON path of the scalar (`…<key>` or `…<key>[i]`).
    pub path: JsonPath,
}

/// Text split into literal parts and policy variables (docs/semantics.md, "Version and policy variables").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Template {
    /// The parts in order; never empty (empty text is one empty literal).
    pub parts: Vec<TemplatePart>,
}

impl Template {
    /// A template with no variables.
    pub fn literal(s: &str) -> Self {
        Template {
            parts: vec![TemplatePart::Literal(s.to_string())],
        }
    }

    /// Whether the template contains at least one variable.
    pub fn has_variables(&self) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, TemplatePart::Variable { .. }))
    }
}

/// A piece of a `Template`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TemplatePart {
    /// Literal text. In glob contexts, `*` and `?` in it are wildcards, except where they came from
    /// `${*}` / `${?}`, which the parser records as `Escaped`.
    Literal(String),
    /// Literal text that must be matched exactly even in glob contexts (from `${*}`, `${?}`, `${$}`).
    Escaped(String),
    /// `${key}` or `${key, 'default'}`; `key` as written.
    Variable {
        /// The variable name as written (compare case-insensitively).
        key: String,
        /// The default after `, '…'`, if any.
        default: Option<String>,
    },
}
