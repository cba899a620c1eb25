//! IAM wildcard patterns as automata, and an exact decision procedure for conjunctions of
//! pattern memberships on ONE string variable:
//!
//! `x ∈ ∪P1 ∧ x ∈ ∪P2 ∧ … ∧ x ∉ ∪N1 ∧ x ∉ ∪N2 ∧ …`
//!
//! The answer is `Unsat`, a shortest witness string (printable where possible), or `Unknown` when
//! a step or time bound is hit — never a wrong answer.
//!
//! How it works (no SMT):
//! - every pattern is compiled to a linear NFA over the tokens `Lit(c)`, `LitCi(c)`
//!   (ASCII-case-insensitive), `Any(colon_ok)`, `Star(colon_ok)`. The ARN field-wise semantics is
//!   exact: the first five fields are joined by literal `:` tokens and their wildcards cannot
//!   consume `:`, while wildcards in the resource field (after the 5th colon) can. Since the first
//!   five fields never contain `:`, the split of a string on its first five colons is unique.
//! - NFA states are hash-consed suffixes ("nodes"), so equal pattern tails share a state.
//! - the subset construction is lazy, explored breadth first (shortest witness). Per subset state
//!   the alphabet is the literal characters at its frontier, their case variants, `:` and ONE
//!   representative "other" character: every character outside that set behaves the same, which
//!   makes the search exact over all of Unicode.
//! - before anything is compiled, patterns whose literal prefix disagrees with every pattern of
//!   some positive group are dropped (they cannot match a value the conjunction allows).
//! - pruning: a subset state is dead when a positive group has no live node or the negative set
//!   contains a node that accepts every extension; a positive group that reaches such a node is
//!   satisfied for good. Before the search, patterns that are syntactically included in a
//!   negative pattern (e.g. `ab*` in `a*`, identical globs) are dropped. Inside a subset state,
//!   nodes whose suffix language is syntactically included in another node's are dropped
//!   (simulation), and a new subset state that is subsumed by an already visited one (positive
//!   sets smaller, negative set larger: the antichain order) is not explored.
//!
//! - a [`Store`] keeps the compiled patterns, their nodes and the inclusions found between
//!   decisions (a solver session asks about the same patterns many times; [`decide_in`]).
//!
//! Written by hand because no crate decides IAM globs with field-wise ARNs, case folding and
//! shortest witnesses at this speed (measured: regex-automata cannot
//! complement, aws-smt-strings is 100–1000× slower on these queries).

mod case_fold;
mod compile;
mod inclusion;
mod pattern;
mod relevance;
mod search;
mod store;
#[cfg(test)]
mod tests;

pub use self::pattern::{Glob, GlobMode, GlobToken};
pub use self::relevance::Prepared;
use self::relevance::{prepare, refs};
use self::search::decide_inner;
pub(crate) use self::store::first_covered;
pub use self::store::Store;
use std::time::Instant;

/// The result of deciding a conjunction on one string variable: `Sat` with a shortest string
/// that satisfies every constraint, `Unsat`, or `Unknown` when a bound was hit (the reason says
/// which). The solver's one outcome type, with a string as the witness.
pub type StrOutcome = crate::Outcome<String>;

/// Bounds for one decision.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The most subset states to create before giving up.
    pub max_states: u64,
    /// Give up after this instant.
    pub deadline: Option<Instant>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_states: 2_000_000,
            deadline: None,
        }
    }
}

/// Statistics of one decision (for benchmarks and tuning).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Subset states created.
    pub states: u64,
    /// Subset states skipped because a visited state subsumes them.
    pub subsumed: u64,
    /// Patterns dropped before the search by syntactic inclusion.
    pub pruned_patterns: u64,
    /// Syntactic inclusion checks run before the search.
    pub inclusion_checks: u64,
}

/// Decides `x ∈ ∪P1 ∧ … ∧ x ∉ ∪N1 ∧ …` for the groups given: each entry of `positive` is a
/// group `x` must match some pattern of; each entry of `negative` a group `x` must match no
/// pattern of. An empty positive group is unsatisfiable; an empty negative group is no constraint.
pub fn decide(positive: &[Vec<Glob>], negative: &[Vec<Glob>], limits: &Limits) -> StrOutcome {
    decide_with_stats(positive, negative, limits).0
}

/// [`decide`] on prepared patterns, compiled into `store`, which keeps them for later
/// decisions (the same answer as a fresh store gives).
pub fn decide_in(
    store: &mut Store,
    positive: &[Vec<&Prepared>],
    negative: &[Vec<&Prepared>],
    limits: &Limits,
) -> StrOutcome {
    checked(
        positive,
        negative,
        decide_inner(positive, negative, limits, store),
    )
    .0
}

/// [`decide`], also returning search statistics.
pub fn decide_with_stats(
    positive: &[Vec<Glob>],
    negative: &[Vec<Glob>],
    limits: &Limits,
) -> (StrOutcome, Stats) {
    let (positive, negative) = (prepare(positive), prepare(negative));
    let (positive, negative) = (refs(&positive), refs(&negative));
    let found = decide_inner(&positive, &negative, limits, &mut Store::default());
    checked(&positive, &negative, found)
}

/// Safety net in debug builds (and tests): a witness must satisfy every constraint under the
/// concrete matcher. Release callers re-check whole models anyway (`Formula::eval`).
fn checked(
    positive: &[Vec<&Prepared>],
    negative: &[Vec<&Prepared>],
    (out, stats): (StrOutcome, Stats),
) -> (StrOutcome, Stats) {
    if let (true, StrOutcome::Sat(w)) = (cfg!(debug_assertions), &out) {
        let ok = positive
            .iter()
            .all(|g| g.iter().any(|p| p.glob().matches(w)))
            && !negative
                .iter()
                .any(|g| g.iter().any(|p| p.glob().matches(w)));
        if !ok {
            return (
                StrOutcome::Unknown(format!("internal: witness {w:?} failed the concrete check")),
                stats,
            );
        }
    }
    (out, stats)
}
