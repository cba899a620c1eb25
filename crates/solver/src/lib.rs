//! Deciding formulas: the native decision procedure (IAM wildcard automata under a propositional
//! search) and z3/cvc5 run as external processes.
//!
//! Entry point: [`solve`] with [`SolveOptions`] gives an [`Outcome`]; a [`Session`] answers a
//! sequence of related questions about one base formula incrementally. The native engine
//! ([`Backend::Native`]) is exact: `Sat` comes with a model that satisfies the formula under
//! [`Formula::eval`], `Unsat` is a proof by exhaustion, and past a bound (SAT rounds, automaton
//! states, time) the answer is `Unknown` — never a wrong one.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

/// The native engine's `Unknown` reason when its model does not satisfy the formula under the
/// request semantics, which happens only through the keys AWS derives from the principal: ask
/// again with `iamproof_logic::request_axioms` conjoined.
pub const MODEL_FAILED_EVAL: &str = "internal: model failed Formula::eval";

pub mod automata;
mod external;
mod native;
mod theories;

use iamproof_logic::{Assignment, Formula};
use std::time::{Duration, Instant};

/// Which engine decides (the one backend type of the workspace: `iamproof-checks` re-exports it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Backend {
    /// iamproof's own decision procedure, in process (the default of [`SolveOptions`]).
    #[default]
    Native,
    /// Z3, run as an external process on the formula in SMT-LIB.
    Z3,
    /// cvc5, run as an external process on the formula in SMT-LIB.
    Cvc5,
    /// The engines in turn, sharing one time limit: native first; if it answers `Unknown`,
    /// cvc5 with the time left; if that answers `Unknown` too, z3 with the time left. The first
    /// `Sat` or `Unsat` is the answer; if all three answer `Unknown`, the reasons are joined.
    /// Nothing runs in parallel.
    Portfolio,
}

impl Backend {
    /// The name used in reports and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Native => "native",
            Backend::Z3 => "z3",
            Backend::Cvc5 => "cvc5",
            Backend::Portfolio => "portfolio",
        }
    }
}

/// Options of one [`solve`] call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SolveOptions {
    /// The engine.
    pub backend: Backend,
    /// Wall-clock limit for the whole call.
    pub timeout: Duration,
    /// The most SAT rounds (propositional model + theory check) of the native engine.
    pub max_steps: u64,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            backend: Backend::Native,
            timeout: Duration::from_secs(60),
            max_steps: 100_000,
        }
    }
}

/// The answer about a formula: the one outcome type of the solver, whose witness is a model
/// (`W = Assignment`, a request) for whole formulas and a string for the theories of one
/// variable (`automata::StrOutcome`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome<W = Assignment> {
    /// Satisfiable, with a witness (for formulas, a request) that makes the formula true.
    Sat(W),
    /// Unsatisfiable.
    Unsat,
    /// Not decided; the reason says why (a bound, an unsupported construct, a missing solver).
    Unknown(String),
}

/// Decides whether `f` is satisfiable.
pub fn solve(f: &Formula, opts: &SolveOptions) -> Outcome {
    let deadline = Instant::now() + opts.timeout;
    match opts.backend {
        Backend::Native => native::solve_native(f, opts.max_steps, deadline),
        Backend::Z3 | Backend::Cvc5 => external(f, opts.backend, deadline),
        Backend::Portfolio => match native::solve_native(f, opts.max_steps, deadline) {
            Outcome::Unknown(why) => externals(f, &why, deadline),
            o => o,
        },
    }
}

/// cvc5, then z3, with the time left, after the native engine answered `Unknown(why)`.
fn externals(f: &Formula, why: &str, deadline: Instant) -> Outcome {
    match external(f, Backend::Cvc5, deadline) {
        Outcome::Unknown(w2) => match external(f, Backend::Z3, deadline) {
            Outcome::Unknown(w3) => {
                Outcome::Unknown(format!("native: {why}; cvc5: {w2}; z3: {w3}"))
            }
            o => o,
        },
        o => o,
    }
}

/// A sequence of related questions about one base formula: each asks whether `base ∧ extra`
/// is satisfiable. The native engine answers them in one incremental instance
/// (the base encoded once, learnt theory facts kept; see `native::NativeSession`); z3 and cvc5
/// get `base ∧ extra` afresh. Every answer is the one [`solve`] gives on `base ∧ extra`, up
/// to the choice of model.
pub struct Session {
    base: Formula,
    native: Option<native::NativeSession>,
}

impl Session {
    /// A session about `base` (nothing is encoded before the first question).
    pub fn new(base: &Formula) -> Self {
        Session {
            base: base.clone(),
            native: None,
        }
    }

    /// Decides whether `base ∧ extra` is satisfiable, with `opts` (its timeout bounds this
    /// question).
    pub fn solve_with(&mut self, extra: &Formula, opts: &SolveOptions) -> Outcome {
        let deadline = Instant::now() + opts.timeout;
        let base = self.base.clone();
        let whole = || Formula::and2(base.clone(), extra.clone());
        match opts.backend {
            Backend::Native => self.native(extra, opts.max_steps, deadline),
            Backend::Z3 | Backend::Cvc5 => external(&whole(), opts.backend, deadline),
            Backend::Portfolio => match self.native(extra, opts.max_steps, deadline) {
                Outcome::Unknown(why) => externals(&whole(), &why, deadline),
                o => o,
            },
        }
    }

    fn native(&mut self, extra: &Formula, max_steps: u64, deadline: Instant) -> Outcome {
        let base = &self.base;
        self.native
            .get_or_insert_with(|| native::NativeSession::new(base))
            .solve_with(extra, max_steps, deadline)
    }
}

/// An external solver (see [`external`]) with the time left.
fn external(f: &Formula, backend: Backend, deadline: Instant) -> Outcome {
    let solver = match backend {
        Backend::Z3 => external::ExternalSolver::Z3,
        _ => external::ExternalSolver::Cvc5,
    };
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Outcome::Unknown("time limit".into());
    }
    external::solve_external(f, solver, left).unwrap_or_else(|e| Outcome::Unknown(e.to_string()))
}
