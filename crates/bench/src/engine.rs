//! The engines the harness runs checks on: `iamproof-solver`'s backends behind the
//! `iamproof-checks` [`Engine`] trait, optionally recording every formula asked.

use iamproof_checks::{CheckOptions, Engine, Session, SolveAnswer, SolverEngine};
use iamproof_logic::Formula;
use iamproof_solver::{solve, Backend, Outcome, SolveOptions};
use std::cell::RefCell;
use std::time::{Duration, Instant};

/// A solver backend's name for reports.
pub fn backend_name(b: Backend) -> &'static str {
    match b {
        Backend::Native => "native",
        Backend::Z3 => "z3",
        Backend::Cvc5 => "cvc5",
        Backend::Portfolio => "portfolio",
    }
}

/// The outcome of one timed solver call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Satisfiable.
    Sat,
    /// Unsatisfiable.
    Unsat,
    /// Undecided within the limit (timeouts included).
    Unknown,
}

impl Answer {
    /// `sat`, `unsat` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Sat => "sat",
            Answer::Unsat => "unsat",
            Answer::Unknown => "unknown",
        }
    }
}

/// `iamproof_solver::solve`, with a panic inside the solver turned into `Unknown` so that one bad
/// query does not end a whole benchmark or agreement run (the report counts it as undecided).
pub fn guarded_solve(f: &Formula, opts: &SolveOptions) -> Outcome {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| solve(f, opts))).unwrap_or_else(|e| {
        let msg = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        Outcome::Unknown(format!("the solver panicked: {msg}"))
    })
}

/// Solves one formula with a backend and a time limit, and times the call.
pub fn timed_solve(f: &Formula, backend: Backend, timeout: Duration) -> (Answer, Duration, String) {
    let opts = SolveOptions {
        backend,
        timeout,
        ..SolveOptions::default()
    };
    let t = Instant::now();
    let out = guarded_solve(f, &opts);
    let el = t.elapsed();
    match out {
        Outcome::Sat(_) => (Answer::Sat, el, String::new()),
        Outcome::Unsat => (Answer::Unsat, el, String::new()),
        Outcome::Unknown(why) => (Answer::Unknown, el, why),
    }
}

/// An [`Engine`] over one `iamproof-solver` backend that can record the formulas it is asked.
#[derive(Debug)]
pub struct BenchEngine {
    /// The backend.
    pub backend: Backend,
    /// The time limit of one solver call.
    pub timeout: Duration,
    /// The formulas asked so far, if recording.
    pub recorded: Option<RefCell<Vec<Formula>>>,
    /// The checks' engine on the same backend and limit, whose incremental session the bench
    /// engine's sessions are.
    solver: SolverEngine,
}

impl BenchEngine {
    /// An engine that does not record.
    pub fn new(backend: Backend, timeout: Duration) -> Self {
        BenchEngine {
            backend,
            timeout,
            recorded: None,
            solver: SolverEngine {
                options: CheckOptions { backend, timeout },
            },
        }
    }

    /// An engine that records every formula asked.
    pub fn recording(backend: Backend, timeout: Duration) -> Self {
        BenchEngine {
            recorded: Some(RefCell::new(Vec::new())),
            ..BenchEngine::new(backend, timeout)
        }
    }

    /// Takes the recorded formulas (empty if not recording).
    pub fn take_recorded(&self) -> Vec<Formula> {
        self.recorded
            .as_ref()
            .map(|r| std::mem::take(&mut *r.borrow_mut()))
            .unwrap_or_default()
    }
}

impl Engine for BenchEngine {
    fn name(&self) -> String {
        backend_name(self.backend).to_string()
    }

    fn solve(&self, formula: &Formula) -> SolveAnswer {
        if let Some(r) = &self.recorded {
            r.borrow_mut().push(formula.clone());
        }
        let opts = SolveOptions {
            backend: self.backend,
            timeout: self.timeout,
            ..SolveOptions::default()
        };
        answer(guarded_solve(formula, &opts))
    }

    /// The checks' engine's incremental session (as the CLI's engine has it): the questions of a
    /// check in one native instance. Recorded questions are the whole formulas `base ∧ extra`
    /// (so the call count is the same as without a session).
    fn session<'a>(&'a self, base: &Formula) -> Box<dyn Session + 'a> {
        Box::new(BenchSession {
            recorded: self.recorded.as_ref(),
            base: base.clone(),
            inner: self.solver.session(base),
        })
    }
}

fn answer(out: Outcome) -> SolveAnswer {
    match out {
        Outcome::Sat(a) => SolveAnswer::Sat(a.to_request()),
        Outcome::Unsat => SolveAnswer::Unsat,
        Outcome::Unknown(why) => SolveAnswer::Unknown(why),
    }
}

/// A [`Session`] of the [`BenchEngine`]: the checks' engine's session, recording its questions.
struct BenchSession<'a> {
    recorded: Option<&'a RefCell<Vec<Formula>>>,
    base: Formula,
    inner: Box<dyn Session + 'a>,
}

impl Session for BenchSession<'_> {
    fn solve_with(&mut self, extra: &Formula, limit: Option<Duration>) -> SolveAnswer {
        if let Some(r) = self.recorded {
            r.borrow_mut()
                .push(Formula::and2(self.base.clone(), extra.clone()));
        }
        self.inner.solve_with(extra, limit)
    }
}
