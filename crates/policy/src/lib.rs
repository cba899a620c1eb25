//! The IAM policy language: policy documents parsed from JSON into a typed model that keeps source
//! positions, with the errors and validation findings that bad input deserves.
//!
//! Layering (see the workspace README): this crate knows the *syntax* and the static meaning of a
//! policy (which element holds what, which operator is which, which text is a policy variable). It
//! does not evaluate requests; that is `iamproof-eval`.

pub mod model;
pub mod span;

pub use model::*;
pub use span::{JsonPath, PathElem, Position, Span};
