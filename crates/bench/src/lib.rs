//! `iamproof-bench`: the benchmark workloads (iamproof's native engine against z3 and cvc5 on the
//! same queries) and the agreement reports against public corpora (Quacky's relative
//! permissiveness results, iam-dataset's wildcard expansion).
//!
//! The corpora are read at run time from `<workspace>/../shared/corpora` by `iamproof-corpora`;
//! they are never copied into the repository.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod engine;
pub mod expected;
pub mod quacky;
pub mod run;
pub mod scaling;
pub mod stats;
pub mod svg;
pub mod wildcards;
pub mod workloads;
