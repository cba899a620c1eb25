//! What the value theories keep for a whole solver instance (a session): the answers of the
//! string theory by requirement list, the compiled patterns ([`automata::Store`]), and each
//! pattern set's patterns prepared for the automata; with the per-decision [`Theory`] that
//! carries them to [`super::value`].

use super::value::{to_automata, ValueRequirement};
use crate::automata::{self, Limits, Prepared};
use crate::theories::ValueOutcome;
use iamproof_logic::{PatternSet, Test};
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::sync::Arc;

/// At most this many answers (and prepared sets) are kept (then the memo starts again).
const MAX_MEMO: usize = 4096;

/// What deciding a value needs besides its requirements: the bounds of this search, and the
/// string answers the solver instance (a whole session) has already found.
pub(super) struct Theory<'a> {
    /// The bounds of the string search.
    pub(super) limits: Limits,
    /// The answers of [`strings`](super::value::strings) so far.
    pub(super) strings: &'a StringMemo,
}

/// The answers of [`strings`](super::value::strings) already found, by requirement list. A theory check and its
/// conflict explanation ask about the same requirements again and again (QuickXplain re-checks
/// subsets; the next model often repeats a variable's literals; a session's questions share
/// their base). it is a function of its requirements, so an answer can be reused;
/// `Unknown` answers depend on the time left and are not kept. Tests hash in constant time
/// (pattern sets cache their hash), so a lookup costs far less than compiling the patterns.
/// With it, the patterns compiled so far ([`automata::Store`]).
#[derive(Default)]
pub(super) struct StringMemo {
    answers: RefCell<FxHashMap<Vec<ValueRequirement>, ValueOutcome>>,
    pub(super) store: RefCell<automata::Store>,
    /// Each pattern set's patterns as the automata read them, by the set's address (the set is
    /// held here, so the address is not reused while the entry lives).
    prepared: RefCell<FxHashMap<usize, PreparedSet>>,
}

/// A pattern set and its patterns prepared for the automata.
type PreparedSet = (Arc<PatternSet>, Arc<[Prepared]>);

impl StringMemo {
    /// The answer of [`strings`](super::value::strings) on `reqs`: remembered, or computed by `decide` with the
    /// store (a fresh one if the store is in use) and remembered unless `Unknown`.
    pub(super) fn answer(
        &self,
        reqs: &[ValueRequirement],
        decide: impl FnOnce(&mut automata::Store) -> ValueOutcome,
    ) -> ValueOutcome {
        if let Some(known) = self.answers.borrow().get(reqs) {
            return known.clone();
        }
        let out = match self.store.try_borrow_mut() {
            Ok(mut store) => decide(&mut store),
            Err(_) => decide(&mut automata::Store::default()),
        };
        if !matches!(out, ValueOutcome::Unknown(_)) {
            let mut memo = self.answers.borrow_mut();
            if memo.len() >= MAX_MEMO {
                memo.clear();
            }
            memo.insert(reqs.to_vec(), out.clone());
        }
        out
    }

    /// The patterns of a pattern-match test, converted and prepared once per pattern set (none
    /// for other tests).
    pub(super) fn prepared(&self, t: &Test) -> Arc<[Prepared]> {
        let Test::Match(set) = t else {
            return Arc::from(Vec::new());
        };
        let key = Arc::as_ptr(set) as usize;
        if let Some((_, known)) = self.prepared.borrow().get(&key) {
            return known.clone();
        }
        let globs: Arc<[Prepared]> = set
            .patterns()
            .iter()
            .filter_map(|g| to_automata(g, set.mode()))
            .map(Prepared::new)
            .collect();
        let mut memo = self.prepared.borrow_mut();
        if memo.len() >= MAX_MEMO {
            memo.clear();
        }
        memo.insert(key, (set.clone(), globs.clone()));
        globs
    }
}
