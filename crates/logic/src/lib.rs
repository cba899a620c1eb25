//! Policies as logic: the `Formula` over the variables of a request, the exact encoding of every
//! policy construct into it, and its export as SMT-LIB 2 and in the notation of the Zelkova papers.
//!
//! The public surface, in groups (the modules behind it are private; everything a caller needs is
//! re-exported here):
//!
//! * **Formulas**: [`Formula`] over the request variables ([`Var`], [`Key`]), its [`Node`]s and
//!   [`Atom`]s, the value [`Test`]s with their constants ([`Decimal`], [`Cidr`], [`Cmp`]), and
//!   the pattern sets the string atoms use ([`PatternSet`], [`Glob`], [`Template`]).
//! * **Encoding**: [`encode_policy`]: a policy as an [`EncodedPolicy`] (one [`StatementFormula`]
//!   per statement, the Allow and Deny formulas, [`EncodedPolicy::allows`]). Exact: for every
//!   request, `allows().eval(r) == iamproof_eval::evaluate_policy(p, r).allows()` (tested on the
//!   corpora and on random policies). [`request_axioms`]: the links between the principal and
//!   the keys AWS derives from it.
//! * **Semantics**: [`Formula::eval`], the concrete semantics (through
//!   `iamproof_eval::effective_context`); the [`semantics`] module holds the value readings the
//!   solver shares. [`Assignment`]: a model; [`Assignment::to_request`] gives the concrete
//!   request.
//! * **Export**: [`to_zelkova`]: the article's notation; [`to_smtlib`] / [`smtlib_script`]:
//!   SMT-LIB 2 for z3 and cvc5 (`unsat` is a proof; models are replayed by the caller), read back
//!   with [`parse_get_value`].

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

mod assignment;
mod axioms;
mod derived;
mod encode;
mod formula;
mod pattern;
pub mod semantics;
mod smtlib;
mod value;
mod zelkova;

// Formulas and what they are made of.
pub use formula::{Atom, CallerKind, ElemPred, Formula, Key, Node, Test, Var};
pub use pattern::{Glob, GlobPart, MatchMode, PatternSet, ShortArn, Template, TemplatePart};
pub use value::{Cidr, Cmp, Decimal};

// Policies as formulas.
pub use axioms::request_axioms;
pub use derived::derive_principal_keys;
pub use encode::{
    action_glob, encode_policy, encode_statement, EncodeError, EncodedPolicy, StatementFormula,
};

// Models.
pub use assignment::Assignment;

// Export: SMT-LIB 2 (and reading a model back) and the Zelkova notation.
pub use smtlib::{
    parse_get_value, smtlib_script, to_smtlib, SmtScript, SmtValue, SPECIAL_CASE_CHARS,
};
pub use zelkova::to_zelkova;
