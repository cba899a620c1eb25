//! The IAM policy language: policy documents parsed from JSON into a typed model that keeps source
//! positions, with the errors and validation findings that bad input deserves.
//!
//! Layering (see the workspace README): this crate knows the *syntax* and the static meaning of a
//! policy (which element holds what, which operator is which, which text is a policy variable). It
//! does not evaluate requests; that is `iamproof-eval`.
//!
//! The public surface, in groups (the modules behind it are private; everything a caller needs is
//! re-exported here):
//!
//! - **Parsing**: [`parse_policy`] reads a document (strict JSON via [`parse_json`]: duplicate keys
//!   rejected at every level, nesting and size bounded, [`MAX_INPUT_BYTES`]) into the model, or
//!   returns one [`PolicyError`] with a position, a JSON path, a message and an
//!   Access-Analyzer-like issue code (one of [`codes`]).
//! - **The model**: [`Policy`], [`Statement`], the element clauses, [`Condition`] and its
//!   [`Operator`], and [`Template`]s (text split into literal parts and policy variables); every
//!   node keeps its [`Span`] and [`JsonPath`].
//! - **Validation**: [`validate_policy`] (and [`validate`] with every [`ValidateOptions`]) returns
//!   Access-Analyzer-shaped findings ([`ValidationFinding`]), serialisable to ValidatePolicy's
//!   JSON; condition-key facts come from a [`ConditionKeyCatalog`] ([`GlobalKeys`] built in),
//!   known actions from an [`ActionCatalog`].
//! - **Typed values**: [`parse_number`], [`parse_date`], [`parse_ip`], [`parse_cidr`],
//!   [`parse_bool`] and [`decode_base64`] read condition values exactly, the one reading every
//!   iamproof crate shares.
//! - **Globs**: the [`glob`] module matches and compares `*`/`?` patterns (a namespace: its
//!   functions read best qualified, `glob::parse`, `glob::matches`).
//!
//! Choices where AWS's documentation leaves room (details in [`parse_policy`]): a missing Resource is
//! allowed only in `RESOURCE_POLICY` (role trust policies); policy variables exist only under
//! `2012-10-17` and may appear in a resource ARN's region, account and resource fields (AWS's own
//! managed policies use the account field); `Bool` values are templated (and flagged); customer
//! RCPs may only Deny, but the parser accepts AWS's `RCPFullAWSAccess` Allow (flagged otherwise).
//!
//! ```
//! use iamproof_policy::{parse_policy, PolicyType, Effect, TemplatePart};
//!
//! let text = r#"{
//!   "Version": "2012-10-17",
//!   "Statement": {
//!     "Effect": "Allow",
//!     "Action": "s3:GetObject",
//!     "Resource": "arn:aws:s3:::bucket/${aws:username}/*"
//!   }
//! }"#;
//! let policy = parse_policy(text, PolicyType::Identity).unwrap();
//! let st = &policy.statements[0];
//! assert_eq!(st.effect, Effect::Allow);
//! let res = &st.resource.as_ref().unwrap().patterns[0];
//! assert!(matches!(&res.template.parts[1], TemplatePart::Variable { key, .. } if key == "aws:username"));
//!
//! // Errors say where: line:column (1-based column), JSON path, message.
//! let err = parse_policy(r#"{"Statement": {"Effect": "allow"}}"#, PolicyType::Identity).unwrap_err();
//! assert_eq!(err.code, "INVALID_EFFECT");
//! assert!(err.to_string().starts_with("1:26: Statement.Effect: "));
//! ```

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

mod diagnostic;
mod error;
pub mod glob;
mod issue;
mod json;
mod keys;
mod model;
mod parse;
mod span;
mod template;
mod validate;
mod values;

// Parsing: text to a policy, and why not.
pub use diagnostic::Label;
pub use error::{codes, PolicyError};
pub use issue::IssueCode;
pub use json::{parse_json, JsonMember, JsonNode, JsonValue, MAX_INPUT_BYTES};
pub use parse::parse_policy;

// The model of a policy document, with source positions.
pub use model::{
    ActionClause, ActionPattern, BaseOperator, Condition, ConditionValue, Effect, JsonKind,
    Operator, OperatorFamily, Policy, PolicyType, PrincipalClause, PrincipalEntry, PrincipalKind,
    ResourceClause, ResourcePattern, SetQualifier, Statement, Template, TemplatePart, Version,
};
pub use span::{JsonPath, PathElem, Position, Span};

// Validation: Access-Analyzer-shaped findings and the catalogues they consult.
pub use keys::{ActionCatalog, Chain, ConditionKeyCatalog, GlobalKeys, KeyInfo, KeyType};
pub use validate::{
    aws_finding_type, validate, validate_policy, validate_policy_with,
    validate_policy_with_catalogs, FindingType, Location, ResourceType, ValidateOptions,
    ValidationFinding, AWS_CHECKS, IAMPROOF_CODE_PREFIX, IDENTITY_POLICY_CHAR_QUOTA,
    ROLE_TRUST_POLICY_CHAR_QUOTA,
};

// Typed condition values, read exactly.
pub use values::{
    decode_base64, parse_bool, parse_cidr, parse_date, parse_ip, parse_number, Decimal, Instant,
    IpNet, MAX_NUMBER_LEN,
};
