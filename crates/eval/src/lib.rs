#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]
//! The reference evaluator: one concrete [`Request`] against a set of IAM policies gives a
//! [`Decision`] and the statements that decided it. This is the semantics every other part of
//! iamproof is checked against (its decisions are recorded in docs/semantics.md).
//!
//! - [`matching`]: actions, resources/ARNs, globs, principals, policy-variable templates;
//! - [`conditions`]: every condition operator, qualifiers, `IfExists`, `Null`, missing keys;
//! - [`effective_context`]: the principal-derived global keys AWS adds to a request;
//! - [`evaluate_policy`] / [`statement_applies`]: the meaning of one policy;
//! - [`evaluate()`]: a whole [`PolicySet`] (identity, resource, boundaries, session, SCPs, RCPs,
//!   endpoint policies) as AWS's evaluation logic combines them.
//!
//! ```
//! use iamproof_eval::{evaluate, Context, Decision, PolicySet, Principal, Request};
//! use iamproof_policy::{parse_policy, PolicyType};
//!
//! let identity = parse_policy(
//!     r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*",
//!         "Resource":"arn:aws:s3:::bucket/${aws:username}/*"}]}"#,
//!     PolicyType::Identity,
//! )
//! .unwrap();
//! let set = PolicySet { identity: vec![identity], ..Default::default() };
//! let request = |key: &str| Request {
//!     principal: Principal::Arn("arn:aws:iam::111111111111:user/bob".into()),
//!     action: "s3:GetObject".into(),
//!     resource: format!("arn:aws:s3:::bucket/{key}"),
//!     resource_account: None,
//!     context: Context::new(),
//! };
//! assert_eq!(evaluate(&set, &request("bob/notes.txt")).decision, Decision::Allowed);
//! assert_eq!(evaluate(&set, &request("alice/notes.txt")).decision, Decision::ImplicitlyDenied);
//! ```

pub mod conditions;
pub mod context;
pub mod evaluate;
pub mod matching;
pub mod request;

pub use context::effective_context;
pub use evaluate::{
    evaluate, evaluate_policy, statement_applies, Evaluation, PolicyEvaluation, PolicyKind,
    PolicyRef, PolicySet, StatementMatch, StatementRef,
};
pub use matching::PrincipalMatch;
pub use request::{
    check_action, check_principal, check_resource, Context, ContextValue, Decision, InvalidRequest,
    Principal, Request, RequestPart,
};
