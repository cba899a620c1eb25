//! Shrinking a theory conflict to a small set of literals (QuickXplain) before it is learnt
//! as a blocking clause.

use batsat::Var as SVar;
use iamproof_logic::Var;
use rustc_hash::FxHashMap;
use std::time::Instant;

use super::encoding::VarAtoms;
use super::memo::Theory;
use super::model_check::var_value;
use super::templates::HintsForVar;
use crate::automata::Prepared;
use iamproof_logic::Test;

/// At most this many theory re-checks go into shrinking one conflict; past it the
/// (sound, merely longer) unshrunk part of the clause is kept.
pub(super) const MINIMISE_BUDGET: usize = 256;

/// A SAT literal as (variable, value).
pub(super) type Literal = (SVar, bool);

/// Shrinks a variable's conflicting literals to a minimal conflicting subset with QuickXplain
/// (Junker 2004): about `2·k·log(n/k)` re-checks for a core of `k` of `n` literals, where
/// deletion would need `n`. Large policies put dozens of atoms on `Action`; a blocking clause
/// over all of them would let the SAT search enumerate their combinations one by one.
/// Presence and multi-valuedness literals are always kept (dropping them changes the shape of
/// the value, not only its constraints). A re-check that ends `Unknown` counts as consistent,
/// so a literal is only dropped when the rest is proven contradictory.
pub(super) fn minimise(
    a: &VarAtoms,
    val_of: &dyn Fn(SVar) -> Option<bool>,
    is_key: bool,
    present_default: bool,
    refs: &dyn Fn(&Var) -> Option<String>,
    th: &Theory<'_>,
) -> Vec<(SVar, bool)> {
    let lits: Vec<(SVar, bool)> = a
        .all_vars()
        .into_iter()
        .filter_map(|v| val_of(v).map(|b| (v, b)))
        .collect();
    if lits.len() <= 2 {
        return lits;
    }
    let (base, candidates): (Vec<_>, Vec<_>) = lits
        .into_iter()
        .partition(|(v, _)| Some(*v) == a.present || Some(*v) == a.multi);
    let mut budget = MINIMISE_BUDGET;
    let mut conflicts = |set: &[(SVar, bool)]| -> Option<bool> {
        // Minimising is optional (the whole assignment is a sound conflict): stop at the
        // budget or the deadline.
        if budget == 0 || th.limits.deadline.is_some_and(|d| Instant::now() >= d) {
            return None;
        }
        budget -= 1;
        let map: FxHashMap<u32, bool> = set.iter().map(|(v, b)| (v.idx(), *b)).collect();
        let val = |v: SVar| map.get(&v.idx()).copied();
        Some(matches!(
            var_value(
                a,
                &val,
                is_key,
                present_default,
                refs,
                th,
                HintsForVar::default()
            ),
            Err(None)
        ))
    };
    // A pattern test true and false tests whose patterns include all of its patterns conflict
    // by syntax alone: when that small set is a conflict, QuickXplain shrinks it instead of
    // every literal (a large policy puts thousands of patterns on `Action`, and each re-check
    // compiles the literals' patterns).
    let candidates = match syntactic_core(a, &candidates, th) {
        Some(core) if core.len() < candidates.len() => {
            let with_base: Vec<_> = base.iter().chain(&core).copied().collect();
            match conflicts(&with_base) {
                Some(true) => core,
                _ => candidates,
            }
        }
        _ => candidates,
    };
    let mut core = quick_xplain(&base, false, &candidates, &mut conflicts)
        .unwrap_or_else(|| candidates.clone());
    core.extend(base);
    core
}

/// QuickXplain over `candidates` given the kept literals `background` (which `changed` says
/// grew since the caller last checked it): a minimal subset that conflicts together with the
/// background. `None` when the re-check budget ran out (the caller keeps everything).
pub(super) fn quick_xplain(
    background: &[Literal],
    changed: bool,
    candidates: &[Literal],
    conflicts: &mut dyn FnMut(&[Literal]) -> Option<bool>,
) -> Option<Vec<Literal>> {
    if changed && conflicts(background)? {
        return Some(Vec::new());
    }
    if candidates.len() <= 1 {
        return Some(candidates.to_vec());
    }
    let (c1, c2) = candidates.split_at(candidates.len() / 2);
    let with_c1: Vec<_> = background.iter().chain(c1).copied().collect();
    let x2 = quick_xplain(&with_c1, !c1.is_empty(), c2, conflicts)?;
    let with_x2: Vec<_> = background.iter().chain(&x2).copied().collect();
    let mut x1 = quick_xplain(&with_x2, !x2.is_empty(), c1, conflicts)?;
    x1.extend(x2);
    Some(x1)
}

/// A true pattern-match literal of `candidates` and false ones whose patterns syntactically
/// include all of its patterns ([`crate::automata::first_covered`]): a candidate conflict,
/// to be confirmed by a theory re-check. `None` when no true literal is so covered.
fn syntactic_core(a: &VarAtoms, candidates: &[Literal], th: &Theory<'_>) -> Option<Vec<Literal>> {
    let tests: rustc_hash::FxHashMap<SVar, &Test> = a.tests.iter().map(|(t, v)| (*v, t)).collect();
    // each literal's patterns, prepared once per pattern set by the string memo
    let globs = |sv: SVar| -> Option<std::sync::Arc<[Prepared]>> {
        let t = tests.get(&sv)?;
        matches!(t, Test::Match(_)).then(|| th.strings.prepared(t))
    };
    let mut falses: Vec<Literal> = Vec::new();
    let mut groups: Vec<std::sync::Arc<[Prepared]>> = Vec::new();
    for l in candidates.iter().filter(|(_, b)| !*b) {
        if let Some(g) = globs(l.0) {
            falses.push(*l);
            groups.push(g);
        }
    }
    if falses.is_empty() {
        return None;
    }
    let mut trues: Vec<Literal> = Vec::new();
    let mut inners: Vec<std::sync::Arc<[Prepared]>> = Vec::new();
    for l in candidates.iter().filter(|(_, b)| *b) {
        if let Some(g) = globs(l.0) {
            trues.push(*l);
            inners.push(g);
        }
    }
    fn refs(sets: &[std::sync::Arc<[Prepared]>]) -> Vec<Vec<&Prepared>> {
        sets.iter().map(|s| s.iter().collect()).collect()
    }
    let (inners, groups) = (refs(&inners), refs(&groups));
    let mut store = th.strings.store.try_borrow_mut().ok()?;
    let (n, used) = crate::automata::first_covered(&mut store, &inners, &groups, &th.limits)?;
    let mut core = vec![*trues.get(n)?];
    core.extend(used.iter().filter_map(|&i| falses.get(i).copied()));
    Some(core)
}
