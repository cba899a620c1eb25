//! The reference evaluator: one concrete `Request` against a set of IAM policies gives a
//! `Decision` and the statements that decided it. This is the semantics every other part of
//! iamproof is checked against.

pub mod request;

pub use request::{Context, ContextValue, Decision, Principal, Request};
