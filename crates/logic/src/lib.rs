//! Policies as logic: the `Formula` over the variables of a request, the exact encoding of every
//! policy construct into it, and its export as SMT-LIB 2 and in the notation of the Zelkova papers.
//!
//! Start with [`formula`] (variables, atoms, tests, the concrete semantics) and [`pattern`]
//! (the pattern sets the string atoms use).
//!
//! * [`encode_policy`]: a policy as an [`EncodedPolicy`] (one [`StatementFormula`] per statement,
//!   the Allow and Deny formulas, [`EncodedPolicy::allows`]). Exact: for every request,
//!   `allows().eval(r) == iamproof_eval::evaluate_policy(p, r).allows()` (tested on the corpora and
//!   on random policies).
//! * [`Formula::eval`]: the concrete semantics (through `iamproof_eval::effective_context`).
//! * [`request_axioms`]: the links between the principal and the keys AWS derives from it.
//! * [`Assignment`]: a model; [`Assignment::to_request`] gives the concrete request.
//! * [`to_zelkova`]: the article's notation; [`to_smtlib`] / [`smtlib_script`]: SMT-LIB 2 for
//!   z3 and cvc5 (`unsat` is a proof; models are replayed by the caller).

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod assignment;
pub mod axioms;
pub mod encode;
pub mod formula;
pub mod pattern;
pub mod semantics;
pub mod smtlib;
pub mod value;
pub mod zelkova;

pub use assignment::Assignment;
pub use axioms::{derive_principal_keys, request_axioms};
pub use encode::{encode_policy, EncodeError, EncodedPolicy, StatementFormula};
pub use formula::{Atom, CallerKind, ElemPred, Formula, Key, Node, Test, Var};
pub use pattern::{Glob, GlobPart, MatchMode, PatternSet, ShortArn, Template, TemplatePart};
pub use smtlib::{smtlib_script, to_smtlib, SmtScript, SmtValue};
pub use value::{Cidr, Cmp, Decimal};
pub use zelkova::to_zelkova;
