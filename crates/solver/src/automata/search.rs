//! The lazy subset construction, explored breadth first: subset states, the alphabet per
//! state (frontier literals, their case variants, `:` and one representative other
//! character), pruning and antichain subsumption, and the shortest witness.

use super::case_fold::{fold_fixed, inverse_fold};
use super::compile::{CTok, Nodes, Tok, END};
use super::inclusion::{includes, InclusionIndex};
use super::relevance::{relevant, Prepared};
use super::store::{Store, MAX_STORE_NODES};
use super::{Limits, Stats, StrOutcome};
use rustc_hash::{FxHashMap, FxHashSet};
use std::time::Instant;

/// A subset state: one closed, sorted node set per positive group, then the negative set.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) struct State {
    pub(super) sets: Vec<Vec<u32>>,
}

pub(super) fn decide_inner(
    positive: &[Vec<&Prepared>],
    negative: &[Vec<&Prepared>],
    limits: &Limits,
    store: &mut Store,
) -> (StrOutcome, Stats) {
    if store.nodes.nodes.len() > MAX_STORE_NODES {
        *store = Store::default();
    }
    let mut stats = Stats::default();
    let unsat = |stats: Stats| (StrOutcome::Unsat, stats);
    let (positive, negative) = relevant(positive, negative);
    // Room for every pattern at once: growing the map step by step rehashes the globs (whole
    // token lists) again at each step, which cost a fifth of a first decision over a long
    // action list.
    let wanted: usize = positive.iter().chain(&negative).map(Vec::len).sum();
    store.compiled.reserve(wanted);
    // Negative patterns merged (x ∉ ∪N1 ∧ x ∉ ∪N2 ≡ x ∉ ∪(N1 ∪ N2)), deduplicated (equal
    // tokens give the same root node).
    let mut seen = FxHashSet::default();
    let mut neg: Vec<Vec<CTok>> = Vec::new();
    let mut neg_roots: Vec<u32> = Vec::new();
    for g in negative.iter().flatten() {
        if let Some((t, root)) = store.compile(g.glob()) {
            if seen.insert(root) {
                neg.push(t);
                neg_roots.push(root);
            }
        }
    }
    let mut pos: Vec<Vec<(Vec<CTok>, u32)>> = Vec::new();
    for grp in &positive {
        let mut seen = FxHashSet::default();
        let mut pats = Vec::new();
        for g in grp {
            if let Some((t, root)) = store.compile(g.glob()) {
                if seen.insert(root) {
                    pats.push((t, root));
                }
            }
        }
        pos.push(pats);
    }
    let classes = &store.nodes.classes;
    let budget = 4_000_000;
    // Drop negative patterns included in another negative pattern.
    {
        let mut keep = vec![true; neg.len()];
        let mut idx = InclusionIndex::new(&neg, classes, budget, limits.deadline)
            .with_memo(&neg_roots, &mut store.incl_memo);
        let before = idx.budget;
        for i in 0..neg.len() {
            let Some(g) = neg.get(i) else { continue };
            let root = neg_roots.get(i).copied();
            let keep_h = |h: usize| keep.get(h).copied().unwrap_or(false);
            let found = idx.find_includer(g, root, Some(i), keep_h);
            if found.is_some() {
                if let Some(k) = keep.get_mut(i) {
                    *k = false;
                }
                stats.pruned_patterns += 1;
            }
        }
        stats.inclusion_checks += before - idx.budget;
        let mut it = keep.iter();
        neg.retain(|_| it.next().copied().unwrap_or(true));
        let mut it = keep.iter();
        neg_roots.retain(|_| it.next().copied().unwrap_or(true));
    }
    // Drop positive patterns included in a negative one (they can never give a witness).
    let mut kept_pos: Vec<Vec<u32>> = Vec::new();
    {
        let neg_set: FxHashSet<u32> = neg_roots.iter().copied().collect();
        let mut neg_idx = InclusionIndex::new(&neg, classes, budget, limits.deadline)
            .with_memo(&neg_roots, &mut store.incl_memo);
        let before = neg_idx.budget;
        for pats in pos {
            let mut kept = Vec::new();
            for (p, root) in pats {
                // identical to a negative pattern: settled without the dynamic program
                let mut found = || neg_idx.find_includer(&p, Some(root), None, |_| true);
                if neg_set.contains(&root) || found().is_some() {
                    stats.pruned_patterns += 1;
                } else {
                    kept.push(root);
                }
            }
            kept_pos.push(kept);
        }
        stats.inclusion_checks += before - neg_idx.budget;
    }
    let nodes = &mut store.nodes;
    if neg_roots.iter().any(|&n| nodes.is_universal(n)) {
        return unsat(stats);
    }
    let mut groups: Vec<Vec<u32>> = Vec::new();
    for roots in kept_pos {
        if roots.is_empty() {
            return unsat(stats);
        }
        if !roots.iter().any(|&r| nodes.is_universal(r)) {
            groups.push(roots);
        }
    }
    let mut search = Search {
        nodes,
        n_pos: groups.len(),
        states: Vec::new(),
        index: FxHashMap::default(),
        by_node: FxHashMap::default(),
        incl_memo: &mut store.incl_memo,
        stats,
    };
    let mut init: Vec<Vec<u32>> = groups;
    init.push(neg_roots);
    let out = search.run(init, limits);
    let stats = search.stats;
    match out {
        StrOutcome::Unsat => unsat(stats),
        other => (other, stats),
    }
}

pub(super) struct Search<'a> {
    pub(super) nodes: &'a mut Nodes,
    pub(super) n_pos: usize,
    /// Visited states with (parent, char).
    pub(super) states: Vec<(State, u32, char)>,
    pub(super) index: FxHashMap<State, u32>,
    /// Antichain index: first node of the first positive set → states having it there.
    pub(super) by_node: FxHashMap<u32, Vec<u32>>,
    /// Node inclusions found so far (by this decision and earlier ones of the store).
    pub(super) incl_memo: &'a mut FxHashMap<(u32, u32), bool>,
    pub(super) stats: Stats,
}

/// Characters tried as the "other" representative, most readable first.
pub(super) const OTHER_CANDIDATES: &str =
    "abcdefghijklmnopqrstuvwxyz0123456789-_.ABCDEFGHIJKLMNOPQRSTUVWXYZ/+=,@!#%&~";

impl Search<'_> {
    /// Closes, prunes and normalises a raw state; `None` if dead.
    pub(super) fn normalise(&mut self, raw: Vec<Vec<u32>>) -> Option<State> {
        let mut sets = Vec::with_capacity(raw.len());
        let last = raw.len().saturating_sub(1);
        for (gi, set) in raw.into_iter().enumerate() {
            let negative = gi == last;
            let mut closed = Vec::with_capacity(set.len() * 2);
            for n in set {
                self.nodes.close_into(n, &mut closed);
            }
            closed.sort_unstable();
            closed.dedup();
            if closed.iter().any(|&n| self.nodes.is_universal(n)) {
                if negative {
                    return None;
                }
                // satisfied for good: the universal node alone (plus END)
                let u = closed
                    .iter()
                    .copied()
                    .find(|&n| self.nodes.is_universal(n))
                    .unwrap_or(END);
                sets.push(vec![END, u]);
                continue;
            }
            if !negative && closed.is_empty() {
                return None;
            }
            if self.simulate(&mut closed) {
                // keep the set closed: re-add the closures of the survivors
                let kept = std::mem::take(&mut closed);
                for n in kept {
                    self.nodes.close_into(n, &mut closed);
                }
                closed.sort_unstable();
                closed.dedup();
            }
            sets.push(closed);
        }
        Some(State { sets })
    }

    /// Drops nodes whose suffix is syntactically included in another node's of the same set;
    /// `true` if any was dropped.
    pub(super) fn simulate(&mut self, set: &mut Vec<u32>) -> bool {
        const MAX: usize = 24;
        if set.len() < 2 || set.len() > MAX {
            return false;
        }
        let mut drop = vec![false; set.len()];
        for i in 0..set.len() {
            for j in 0..set.len() {
                if i == j || drop[j] || drop[i] {
                    continue;
                }
                let (a, b) = (set[j], set[i]);
                // only a node starting with a wildcard can include a node with a different
                // first token; equal first tokens are compared one step later anyway
                if a == END
                    || b == END
                    || !matches!(self.nodes.tok(a), Some(Tok::Star(_)) | Some(Tok::Any(_)))
                {
                    continue;
                }
                if self.node_includes(a, b) {
                    // a ⊇ b: b is redundant (ties broken by index so one survives)
                    if !(self.node_includes(b, a) && i < j) {
                        drop[i] = true;
                    }
                }
            }
        }
        let any = drop.iter().any(|d| *d);
        let mut it = drop.iter();
        set.retain(|_| !it.next().copied().unwrap_or(false));
        any
    }

    pub(super) fn node_includes(&mut self, a: u32, b: u32) -> bool {
        if let Some(&r) = self.incl_memo.get(&(a, b)) {
            return r;
        }
        let ta = self.nodes.tokens_of(a);
        let tb = self.nodes.tokens_of(b);
        let r = includes(&ta, &tb, &self.nodes.classes);
        if self.incl_memo.len() < 1_000_000 {
            self.incl_memo.insert((a, b), r);
        }
        r
    }

    pub(super) fn accepting(&self, s: &State) -> bool {
        let n = s.sets.len();
        s.sets.iter().enumerate().all(|(i, set)| {
            let has_end = set.binary_search(&END).is_ok();
            if i + 1 == n {
                !has_end
            } else {
                has_end
            }
        })
    }

    /// Whether visited state `a` subsumes `b`: L(b) ⊆ L(a).
    pub(super) fn subsumes(a: &State, b: &State, n_pos: usize) -> bool {
        a.sets
            .iter()
            .zip(b.sets.iter())
            .enumerate()
            .all(|(i, (sa, sb))| {
                if i < n_pos {
                    is_subset(sb, sa)
                } else {
                    is_subset(sa, sb)
                }
            })
    }

    pub(super) fn subsumed(&mut self, s: &State) -> bool {
        let Some(first) = s.sets.first().and_then(|x| x.first()) else {
            return false;
        };
        if self.n_pos == 0 {
            return false;
        }
        let Some(cands) = self.by_node.get(first) else {
            return false;
        };
        for &c in cands.iter().rev().take(32) {
            if let Some((st, _, _)) = self.states.get(c as usize) {
                if Self::subsumes(st, s, self.n_pos) {
                    return true;
                }
            }
        }
        false
    }

    pub(super) fn add(&mut self, s: State, parent: u32, c: char) -> Option<u32> {
        if self.index.contains_key(&s) {
            return None;
        }
        if self.subsumed(&s) {
            self.stats.subsumed += 1;
            return None;
        }
        let id = self.states.len() as u32;
        if self.n_pos > 0 {
            if let Some(set) = s.sets.first() {
                for &n in set {
                    self.by_node.entry(n).or_default().push(id);
                }
            }
        }
        self.index.insert(s.clone(), id);
        self.states.push((s, parent, c));
        self.stats.states += 1;
        Some(id)
    }

    pub(super) fn witness(&self, mut id: u32) -> String {
        let mut chars = Vec::new();
        while let Some((_, parent, c)) = self.states.get(id as usize) {
            if *parent == u32::MAX {
                break;
            }
            chars.push(*c);
            id = *parent;
        }
        chars.iter().rev().collect()
    }

    pub(super) fn run(&mut self, init: Vec<Vec<u32>>, limits: &Limits) -> StrOutcome {
        let Some(s0) = self.normalise(init) else {
            return StrOutcome::Unsat;
        };
        let Some(root) = self.add(s0, u32::MAX, '\0') else {
            return StrOutcome::Unsat;
        };
        let mut queue = std::collections::VecDeque::new();
        queue.push_back(root);
        let mut alphabet: Vec<char> = Vec::new();
        let mut pops: u64 = 0;
        while let Some(id) = queue.pop_front() {
            pops += 1;
            let Some((state, _, _)) = self.states.get(id as usize) else {
                continue;
            };
            if self.accepting(state) {
                return StrOutcome::Sat(self.witness(id));
            }
            if self.stats.states >= limits.max_states {
                return StrOutcome::Unknown(format!(
                    "string search stopped after {} subset states",
                    self.stats.states
                ));
            }
            if let Some(d) = limits.deadline {
                if pops.is_multiple_of(256) && Instant::now() >= d {
                    return StrOutcome::Unknown("string search hit the time limit".into());
                }
            }
            let state = state.clone();
            // the alphabet of this state
            alphabet.clear();
            let mut colon_matters = false;
            let mut folded = false;
            // case variants of a literal only behave differently from the literal itself when
            // some node compares case-sensitively
            let mut has_cs = false;
            let mut has_nonfold = false;
            let mut folded_i = false;
            for set in &state.sets {
                for &n in set {
                    if let Some((t, fold)) = self.nodes.ctok(n) {
                        folded |= fold;
                        has_nonfold |= !fold;
                        folded_i |= fold && t.accepts('i', &self.nodes.classes);
                        has_cs |= !fold && matches!(t, Tok::Lit(_) | Tok::Set(_));
                    }
                }
            }
            for set in &state.sets {
                for &n in set {
                    let Some((t, fold)) = self.nodes.ctok(n) else {
                        continue;
                    };
                    let add = |c: char, alphabet: &mut Vec<char>| {
                        alphabet.push(c);
                        if fold && has_cs {
                            alphabet.extend_from_slice(inverse_fold(c));
                        }
                    };
                    match t {
                        Tok::Lit(c) => add(c, &mut alphabet),
                        Tok::LitCi(c) => {
                            alphabet.push(c);
                            if has_cs {
                                alphabet.push(c.to_ascii_uppercase());
                            }
                        }
                        Tok::Set(i) => {
                            for &c in self.nodes.classes.get(i) {
                                add(c, &mut alphabet);
                            }
                        }
                        Tok::Any(false) | Tok::Star(false) => colon_matters = true,
                        _ => {}
                    }
                }
            }
            if colon_matters {
                alphabet.push(':');
            }
            if folded && (has_nonfold || folded_i) {
                // lowercases to two characters (`i` + U+0307): a different class next to
                // unfolded nodes, and possibly a shorter witness where `i` is accepted
                alphabet.push('\u{130}');
            }
            // lowercase before uppercase, for readable witnesses
            alphabet.sort_unstable_by_key(|c| (c.is_ascii_uppercase(), *c));
            alphabet.dedup();
            let other = pick_other(&alphabet);
            let mut chars = alphabet.clone();
            if let Some(o) = other {
                chars.push(o);
            }
            'chars: for &c in &chars {
                let mut raw: Vec<Vec<u32>> = Vec::with_capacity(state.sets.len());
                for (i, set) in state.sets.iter().enumerate() {
                    let mut next = Vec::new();
                    for &n in set {
                        self.nodes.step(n, c, &mut next);
                    }
                    // a positive group no node of which reads `c` is dead: so is the state
                    // (what `normalise` would find, without stepping the other sets)
                    if next.is_empty() && i < self.n_pos {
                        continue 'chars;
                    }
                    raw.push(next);
                }
                if let Some(ns) = self.normalise(raw) {
                    if let Some(nid) = self.add(ns, id, c) {
                        queue.push_back(nid);
                    }
                }
            }
        }
        StrOutcome::Unsat
    }
}

pub(super) fn is_subset(a: &[u32], b: &[u32]) -> bool {
    // both sorted
    let mut j = 0;
    for x in a {
        while j < b.len() && b[j] < *x {
            j += 1;
        }
        if j >= b.len() || b[j] != *x {
            return false;
        }
    }
    true
}

/// A character outside `used` (and not `:`, and not a case variant of a used letter).
pub(super) fn pick_other(used: &[char]) -> Option<char> {
    let bad = |c: char| c == ':' || !fold_fixed(c) || used.contains(&c);
    OTHER_CANDIDATES
        .chars()
        .chain(('\u{a1}'..='\u{10ffff}').take(used.len() + 2))
        .find(|c| !bad(*c))
}
