//! Compiled patterns kept between decisions ([`Store`]), and the syntactic conflict core
//! computed from them ([`first_covered`]).

use super::compile::{compile, CTok, Classes, Nodes};
use super::inclusion::{InclusionIndex, InclusionMemo};
use super::pattern::Glob;
use super::relevance::Prepared;
use super::Limits;
use rustc_hash::FxHashMap;

/// Compiled patterns kept from one decision to the next (by a solver session): each glob's
/// tokens and root node, the hash-consed node arena they live in, and the inclusions between
/// nodes found so far. A session asks about the same patterns again and again (every theory
/// check, every re-check of a conflict explanation); compiling them once and reusing the nodes
/// removes most of a decision's setup. Everything kept is a function of the patterns alone, so
/// the answers are those of a fresh store.
pub struct Store {
    /// The node arena (with its character classes).
    pub(super) nodes: Nodes,
    /// Each glob's tokens and root node (`None`: it matches nothing).
    pub(super) compiled: FxHashMap<Glob, Option<(Vec<CTok>, u32)>>,
    /// Inclusions between nodes found so far.
    pub(super) incl_memo: InclusionMemo,
}

impl Default for Store {
    fn default() -> Self {
        Store {
            nodes: Nodes::new(Classes::default()),
            compiled: FxHashMap::default(),
            incl_memo: FxHashMap::default(),
        }
    }
}

/// A store past this many nodes starts again (patterns substituted from template values keep
/// arriving in a long session).
pub(super) const MAX_STORE_NODES: usize = 1 << 20;

impl Store {
    /// The tokens and root node of `g` (`None`: it matches nothing), compiled once.
    pub(super) fn compile(&mut self, g: &Glob) -> Option<(Vec<CTok>, u32)> {
        if let Some(known) = self.compiled.get(g) {
            return known.clone();
        }
        let out = compile(g, &mut self.nodes.classes).map(|t| {
            let root = self.nodes.add_pattern(&t);
            (t, root)
        });
        self.compiled.insert(g.clone(), out.clone());
        out
    }
}

/// The first of `inners` whose every pattern is included syntactically (token by token, as the
/// search's pruning does) in a pattern of some group of `outer`, with the indexes of the groups
/// used: `x ∈ ∪inners[i] ∧ x ∉ ∪(those groups)` is then unsatisfiable. `None` when no inner set
/// is so covered (or the inclusion budget or deadline ran out). Cheap next to
/// [`super::decide`] on the same patterns: the patterns come compiled from `store` (inclusions
/// found are remembered there by root nodes), and no automaton is explored. Conflict
/// explanation uses it to find a small candidate core.
pub(crate) fn first_covered(
    store: &mut Store,
    inners: &[Vec<&Prepared>],
    outer: &[Vec<&Prepared>],
    limits: &Limits,
) -> Option<(usize, Vec<usize>)> {
    let mut pats = Vec::new();
    let mut roots = Vec::new();
    let mut group_of = Vec::new();
    for (i, grp) in outer.iter().enumerate() {
        for g in grp {
            if let Some((t, root)) = store.compile(g.glob()) {
                pats.push(t);
                roots.push(root);
                group_of.push(i);
            }
        }
    }
    // (a pattern that matches nothing adds nothing to its inner set)
    let inners: Vec<Vec<(Vec<CTok>, u32)>> = inners
        .iter()
        .map(|grp| grp.iter().filter_map(|g| store.compile(g.glob())).collect())
        .collect();
    let classes = &store.nodes.classes;
    let mut index = InclusionIndex::new(&pats, classes, 1_000_000, limits.deadline)
        .with_memo(&roots, &mut store.incl_memo);
    'inner: for (n, inner) in inners.iter().enumerate() {
        let mut used: Vec<usize> = Vec::new();
        for (g, root) in inner {
            let Some(grp) = index
                .find_includer(g, Some(*root), None, |_| true)
                .and_then(|h| group_of.get(h).copied())
            else {
                continue 'inner;
            };
            if !used.contains(&grp) {
                used.push(grp);
            }
        }
        return Some((n, used));
    }
    None
}
