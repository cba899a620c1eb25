//! The IAM policy language: policy documents parsed from JSON into a typed model that keeps source
//! positions, with the errors and validation findings that bad input deserves.
//!
//! Layering (see the workspace README): this crate knows the *syntax* and the static meaning of a
//! policy (which element holds what, which operator is which, which text is a policy variable). It
//! does not evaluate requests; that is `iamproof-eval`.
//!
//! - [`parse_policy`] reads a document (strict JSON via [`json`]: duplicate keys rejected at every
//!   level, nesting and size bounded) into the [`model`], or returns one [`PolicyError`] with a
//!   position, a JSON path, a message and an Access-Analyzer-like issue code ([`error::codes`]).
//! - [`validate_policy`] returns Access-Analyzer-shaped findings ([`ValidationFinding`]),
//!   serialisable to ValidatePolicy's JSON; condition-key facts come from [`keys`].
//! - [`values`] parses typed condition values exactly (numbers, dates, IP ranges, booleans,
//!   base64); [`glob`] matches and compares `*`/`?` patterns; [`template`] splits `${…}`.
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
pub mod error;
pub mod glob;
mod issue;
pub mod json;
pub mod keys;
pub mod model;
mod parse;
pub mod span;
pub mod template;
pub mod validate;
pub mod values;

pub use diagnostic::Label;
pub use error::PolicyError;
pub use issue::IssueCode;
pub use model::*;
pub use parse::{parse_policy, parse_policy_tree};
pub use span::{JsonPath, PathElem, Position, Span};
pub use validate::{
    aws_finding_type, validate, validate_policy, validate_policy_with,
    validate_policy_with_catalogs, FindingType, Location, ResourceType, ValidateOptions,
    ValidationFinding, AWS_CHECKS, IAMPROOF_CODE_PREFIX, IDENTITY_POLICY_CHAR_QUOTA,
    ROLE_TRUST_POLICY_CHAR_QUOTA,
};
