//! Related questions answered in one engine session: an [`Engine`] that sends every formula
//! containing a fixed base (as top-level conjuncts) to an [`Engine::session`] about that base,
//! asking only the rest, and every other formula to the engine itself.
//!
//! A check asks its decision query `allow ∧ ¬deny ∧ X ∧ realistic`, then, pinpointing,
//! `applies_i ∧ ¬deny ∧ X ∧ realistic` for statement after statement (with the request axioms
//! or exclusions conjoined now and then): with the base `¬deny ∧ X ∧ realistic` an incremental
//! engine encodes the policies once and keeps what it learnt and compiled between the
//! questions. The answers are the engine's on the whole formula (`base ∧ rest` is the formula).

use crate::engine::{Engine, Session, SolveAnswer};
use iamproof_logic::{Formula, Node};
use std::cell::RefCell;
use std::collections::HashSet;
use std::time::Duration;

/// An [`Engine`] that answers formulas over a common base in one session (see the module
/// documentation).
pub(crate) struct SessionEngine<'a> {
    inner: &'a dyn Engine,
    base: HashSet<Formula>,
    session: RefCell<Box<dyn Session + 'a>>,
}

impl<'a> SessionEngine<'a> {
    /// A session about `base` on `inner`.
    pub(crate) fn new(inner: &'a dyn Engine, base: &Formula) -> Self {
        SessionEngine {
            inner,
            base: conjuncts(base).into_iter().collect(),
            session: RefCell::new(inner.session(base)),
        }
    }

    /// The conjuncts of `f` outside the base, when `f` contains every conjunct of the base.
    fn rest(&self, f: &Formula) -> Option<Formula> {
        let parts = conjuncts(f);
        let found = parts.iter().filter(|p| self.base.contains(*p)).count();
        let mut seen: HashSet<&Formula> = HashSet::new();
        let distinct = parts
            .iter()
            .filter(|p| self.base.contains(*p) && seen.insert(*p))
            .count();
        if distinct < self.base.len() || found == 0 {
            return None;
        }
        Some(Formula::and(
            parts.into_iter().filter(|p| !self.base.contains(p)),
        ))
    }

    fn ask(&self, f: &Formula, limit: Option<Duration>) -> SolveAnswer {
        match (self.rest(f), self.session.try_borrow_mut()) {
            (Some(rest), Ok(mut session)) => session.solve_with(&rest, limit),
            _ => match limit {
                Some(l) => self.inner.solve_within(f, l),
                None => self.inner.solve(f),
            },
        }
    }
}

/// The top-level conjuncts of `f` (`f` itself unless it is a conjunction).
fn conjuncts(f: &Formula) -> Vec<Formula> {
    match f.node() {
        Node::And(parts) => parts.clone(),
        _ => vec![f.clone()],
    }
}

impl Engine for SessionEngine<'_> {
    fn name(&self) -> String {
        self.inner.name()
    }

    fn solve(&self, formula: &Formula) -> SolveAnswer {
        self.ask(formula, None)
    }

    fn pinpoint_budget(&self) -> Option<Duration> {
        self.inner.pinpoint_budget()
    }

    fn time_limit(&self) -> Option<Duration> {
        self.inner.time_limit()
    }

    fn solve_within(&self, formula: &Formula, limit: Duration) -> SolveAnswer {
        self.ask(formula, Some(limit))
    }
}
