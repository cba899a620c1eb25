//! The decision procedure a check runs on: anything that can decide a `Formula` and, when it is
//! satisfiable, give a concrete request that satisfies it.
//!
//! Checks never trust an engine's witness: every request shown in a FAIL is replayed through the
//! reference evaluator first (see `crate::query`).

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

    /// The time a check may spend pinpointing statements after its first answer; statements
    /// not asked by then are reported as undecided (the FAIL stands). `None`: no limit.
    fn pinpoint_budget(&self) -> Option<std::time::Duration> {
        None
    }

    /// The wall-clock time one whole check may take (all its solver calls together); `None`: no
    /// limit beyond what the engine's own calls do. A check that runs out answers FAIL with an
    /// unknown reason saying the time limit was reached (never PASS). With a limit, the check
    /// calls [`Engine::solve_within`] with the time left.
    fn time_limit(&self) -> Option<std::time::Duration> {
        None
    }

    /// Decides `formula` in at most `limit` of wall-clock time (answering `Unknown` when it runs
    /// out). The default ignores `limit` and calls [`Engine::solve`].
    fn solve_within(&self, formula: &Formula, limit: std::time::Duration) -> SolveAnswer {
        let _ = limit;
        self.solve(formula)
    }

    /// Opens a session for a sequence of related questions about `base`: each question asks
    /// whether `base ∧ extra` is satisfiable. An incremental engine encodes `base` once and keeps
    /// what it learnt between questions; the default asks each question afresh.
    fn session<'a>(&'a self, base: &Formula) -> Box<dyn Session + 'a> {
        Box::new(FreshSession {
            engine: self,
            base: base.clone(),
        })
    }
}

/// A sequence of questions about one base formula (see [`Engine::session`]).
pub trait Session {
    /// Decides whether some request satisfies `base ∧ extra`, in at most `limit` of
    /// wall-clock time when given.
    fn solve_with(&mut self, extra: &Formula, limit: Option<std::time::Duration>) -> SolveAnswer;
}

/// The default [`Session`]: every question asked afresh of the engine.
struct FreshSession<'a, E: Engine + ?Sized> {
    engine: &'a E,
    base: Formula,
}

impl<E: Engine + ?Sized> Session for FreshSession<'_, E> {
    fn solve_with(&mut self, extra: &Formula, limit: Option<std::time::Duration>) -> SolveAnswer {
        let f = Formula::and(vec![self.base.clone(), extra.clone()]);
        match limit {
            Some(limit) => self.engine.solve_within(&f, limit),
            None => self.engine.solve(&f),
        }
    }
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

pub use iamproof_solver::Backend;

/// Options of every check.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CheckOptions {
    /// The decision procedure.
    pub backend: Backend,
    /// The time limit of the whole check (default 30 s): the decision query and the queries that
    /// pinpoint the responsible statements together. Each solver call gets the time that is
    /// left (a pinpointing query its fair share: the time left over the statements left; a
    /// statement that runs out of its share is asked again, once, with the time left after the
    /// others). A check that runs out answers FAIL (PASS must be a proof) with `unknown_reason`
    /// saying the time limit was reached: before the first answer, with the "could not be
    /// completed" reason; while pinpointing, with the statements found so far (the statements not
    /// yet decided are listed in `unknown_reason`).
    pub timeout: std::time::Duration,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            backend: Backend::Portfolio,
            timeout: std::time::Duration::from_secs(30),
        }
    }
}

impl CheckOptions {
    /// Default options with this backend.
    pub fn with_backend(backend: Backend) -> Self {
        CheckOptions {
            backend,
            ..CheckOptions::default()
        }
    }
}

/// The engine of [`CheckOptions`]: the `iamproof-solver` backends.
#[derive(Debug, Clone)]
pub struct SolverEngine {
    /// The options.
    pub options: CheckOptions,
}

impl Engine for SolverEngine {
    fn name(&self) -> String {
        self.options.backend.name().to_string()
    }

    fn time_limit(&self) -> Option<std::time::Duration> {
        Some(self.options.timeout)
    }

    fn solve(&self, formula: &Formula) -> SolveAnswer {
        self.solve_within(formula, self.options.timeout)
    }

    fn solve_within(&self, formula: &Formula, limit: std::time::Duration) -> SolveAnswer {
        let opts = self.solve_options(limit);
        guarded(|| iamproof_solver::solve(formula, &opts))
    }

    /// The solver's incremental [`iamproof_solver::Session`] (native: one SAT instance for
    /// every question; z3 and cvc5 are asked afresh).
    fn session<'a>(&'a self, base: &Formula) -> Box<dyn Session + 'a> {
        Box::new(SolverSession {
            engine: self,
            session: Some(iamproof_solver::Session::new(base)),
        })
    }
}

impl SolverEngine {
    fn solve_options(&self, limit: std::time::Duration) -> iamproof_solver::SolveOptions {
        iamproof_solver::SolveOptions {
            backend: self.options.backend,
            timeout: limit,
            ..iamproof_solver::SolveOptions::default()
        }
    }
}

/// A [`Session`] on the solver's incremental session.
struct SolverSession<'a> {
    engine: &'a SolverEngine,
    /// `None` once a question panicked inside the solver (its state is then not trusted: the
    /// session answers `Unknown` from then on).
    session: Option<iamproof_solver::Session>,
}

impl Session for SolverSession<'_> {
    fn solve_with(&mut self, extra: &Formula, limit: Option<std::time::Duration>) -> SolveAnswer {
        let opts = self
            .engine
            .solve_options(limit.unwrap_or(self.engine.options.timeout));
        let Some(session) = self.session.as_mut() else {
            return SolveAnswer::Unknown(
                "the solver failed internally earlier in this session".into(),
            );
        };
        let answer = guarded(|| session.solve_with(extra, &opts));
        if matches!(&answer, SolveAnswer::Unknown(why) if why.starts_with(INTERNAL_FAILURE)) {
            self.session = None;
        }
        answer
    }
}

/// The start of the reason of a solver call that panicked.
const INTERNAL_FAILURE: &str = "the solver failed internally";

/// Runs a solver call. A panic inside a backend is a bug there; it must not take the check
/// down, and it cannot be a proof: it becomes "unknown", so the check FAILs.
fn guarded(call: impl FnOnce() -> iamproof_solver::Outcome) -> SolveAnswer {
    use iamproof_solver::Outcome;
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(call)) {
        Ok(Outcome::Sat(a)) => SolveAnswer::Sat(a.to_request()),
        Ok(Outcome::Unsat) => SolveAnswer::Unsat,
        Ok(Outcome::Unknown(why)) => SolveAnswer::Unknown(why),
        Err(payload) => {
            let msg = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("no message");
            SolveAnswer::Unknown(format!("{INTERNAL_FAILURE}: {msg}"))
        }
    }
}
