//! The reference evaluator: one concrete `Request` against a set of IAM policies gives a
//! `Decision` and the statements that decided it. This is the semantics every other part of
//! iamproof is checked against.

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
pub use request::{Context, ContextValue, Decision, Principal, Request};
