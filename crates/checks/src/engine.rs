//! The decision procedure a check runs on: anything that can decide a `Formula` and, when it is
//! satisfiable, give a concrete request that satisfies it.
//!
//! Checks never trust an engine's witness: every request shown in a FAIL is replayed through the
//! reference evaluator first (see `crate::checks`).

use iamproof_eval::Request;
use iamproof_logic::Formula;

/// An engine's answer for one formula.
#[derive(Debug, Clone, PartialEq)]
pub enum SolveAnswer {
    /// Satisfiable, with a request that (the engine claims) satisfies the formula.
    Sat(Request),
    /// Unsatisfiable: no request satisfies the formula (a proof).
    Unsat,
    /// The engine could not decide (timeout, unsupported construct, solver missing…).
    Unknown(String),
}

/// A decision procedure for formulas.
pub trait Engine {
    /// A short name for reports (`native`, `z3`, `cvc5`, `portfolio`…).
    fn name(&self) -> String;

    /// Decides whether some request satisfies `formula`.
    fn solve(&self, formula: &Formula) -> SolveAnswer;
}

/// An engine for tests and experiments: answers `Sat` with the first request of a fixed pool that
/// satisfies the formula (by `Formula::eval`), and `Unknown` otherwise. It never answers `Unsat`,
/// so it can never make a check PASS.
#[derive(Debug, Clone, Default)]
pub struct PoolEngine {
    /// The candidate requests, tried in order.
    pub pool: Vec<Request>,
}

impl Engine for PoolEngine {
    fn name(&self) -> String {
        "pool".to_string()
    }

    fn solve(&self, formula: &Formula) -> SolveAnswer {
        match self.pool.iter().find(|r| formula.eval(r)) {
            Some(r) => SolveAnswer::Sat(r.clone()),
            None => SolveAnswer::Unknown("no request of the pool satisfies the formula".into()),
        }
    }
}
