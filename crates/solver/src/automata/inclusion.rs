//! Sound syntactic inclusion between compiled patterns (`true` means the language of one
//! contains the other's), and an index that finds candidate including patterns by literal
//! prefix, used to drop patterns before the search.

use super::compile::{CTok, Classes, Tok};
use rustc_hash::FxHashMap;
use std::time::Instant;

/// Whether token `h` (of the including glob) covers the single token `g` of the included glob.
/// Tokens of different folding are never compared (sound: `false` only loses pruning).
// Always inlined: it runs once per cell of the table of [`includes`], and measured as a call
// there (when the compiler chose one) it tripled the time of the table.
#[inline(always)]
pub(super) fn tok_covers(h: CTok, g: CTok, cl: &Classes) -> bool {
    if h.1 != g.1 {
        return false;
    }
    match (h.0, g.0) {
        (Tok::Lit(a), Tok::Lit(b)) => a == b,
        (Tok::LitCi(a), Tok::Lit(b)) => b.to_ascii_lowercase() == a,
        (Tok::LitCi(a), Tok::LitCi(b)) => a == b,
        (Tok::Any(co), Tok::Lit(c)) => co || c != ':',
        (Tok::Any(_), Tok::LitCi(_)) => true,
        (Tok::Any(co), Tok::Any(cg)) => co || !cg,
        (Tok::Any(co), Tok::Set(s)) => co || !cl.get(s).contains(&':'),
        (Tok::Set(a), Tok::Lit(b)) => cl.get(a).contains(&b),
        (Tok::Set(a), Tok::Set(b)) => cl.get(b).iter().all(|c| cl.get(a).contains(c)),
        _ => false,
    }
}

/// Whether a `Star(co)` of the including glob can absorb token `g` of the included glob.
#[inline(always)]
pub(super) fn star_absorbs(h: CTok, g: CTok, cl: &Classes) -> bool {
    let Tok::Star(co) = h.0 else { return false };
    if h.1 != g.1 {
        return false;
    }
    match g.0 {
        Tok::Lit(c) => co || c != ':',
        Tok::LitCi(_) => true,
        Tok::Any(cg) | Tok::Star(cg) => co || !cg,
        Tok::Set(s) => co || !cl.get(s).contains(&':'),
    }
}

/// At most this many cells in one [`includes`] table; larger pairs are not compared (the
/// answer `false` is always sound), which keeps two long patterns from costing seconds.
pub(super) const MAX_INCLUSION_CELLS: usize = 1 << 22;

/// Sound syntactic inclusion: `true` means L(g) ⊆ L(h) (the converse need not hold).
pub(super) fn includes(h: &[CTok], g: &[CTok], cl: &Classes) -> bool {
    if h.len().saturating_mul(g.len() + 1) > MAX_INCLUSION_CELLS {
        return false;
    }
    let m = g.len();
    // The answers the table below would give at once, without building it: a first (or last)
    // token of `h` that is not a star must cover the first (last) token of `g`.
    let single = |t: Option<&CTok>| t.filter(|t| !matches!(t.0, Tok::Star(_))).copied();
    for (ht, gt) in [(h.first(), g.first()), (h.last(), g.last())] {
        if let Some(ht) = single(ht) {
            if !gt.is_some_and(|gt| tok_covers(ht, *gt, cl)) {
                return false;
            }
        }
    }
    // dp over h from the end; row[j] = h[i..] ⊇ g[j..] (two rows, on the stack when short)
    const STACK: usize = 64;
    let mut stack = [false; 2 * STACK];
    let mut heap = Vec::new();
    let cells: &mut [bool] = if m < STACK {
        &mut stack
    } else {
        heap.resize(2 * (m + 1), false);
        &mut heap
    };
    let (row, cur) = cells.split_at_mut(cells.len() / 2);
    let (mut row, mut cur) = (&mut row[..=m], &mut cur[..=m]);
    row[m] = true;
    for &ht in h.iter().rev() {
        cur.iter_mut().for_each(|c| *c = false);
        if let Tok::Star(_) = ht.0 {
            cur[m] = row[m];
            for j in (0..m).rev() {
                cur[j] = row[j] || (star_absorbs(ht, g[j], cl) && cur[j + 1]);
            }
        } else {
            for j in 0..m {
                cur[j] = tok_covers(ht, g[j], cl) && row[j + 1];
            }
        }
        std::mem::swap(&mut row, &mut cur);
    }
    row[0]
}

pub(super) fn is_wild(t: CTok) -> bool {
    matches!(t.0, Tok::Any(_) | Tok::Star(_) | Tok::Set(_))
}

pub(super) fn key_char(t: CTok) -> char {
    match t.0 {
        Tok::Lit(c) | Tok::LitCi(c) => c.to_ascii_lowercase(),
        _ => '\0',
    }
}

/// The ASCII-lowercased literal prefix (tokens before the first wildcard).
pub(super) fn lit_prefix(t: &[CTok]) -> String {
    t.iter()
        .take_while(|t| !is_wild(**t))
        .map(|t| key_char(*t))
        .collect()
}

/// The ASCII-lowercased literal suffix (tokens after the last wildcard), reversed.
pub(super) fn lit_suffix_rev(t: &[CTok]) -> String {
    t.iter()
        .rev()
        .take_while(|t| !is_wild(**t))
        .map(|t| key_char(*t))
        .collect()
}

/// At most this many inclusions are remembered in a store.
pub(super) const MAX_MEMO: usize = 1_000_000;

/// Inclusions between nodes found so far: `(a, b) → whether L(b) ⊆ L(a)` (soundly).
pub(super) type InclusionMemo = FxHashMap<(u32, u32), bool>;

/// An index over patterns that can include others, keyed by folded literal prefix.
pub(super) struct InclusionIndex<'a> {
    pub(super) pats: &'a [Vec<CTok>],
    pub(super) classes: &'a Classes,
    pub(super) by_prefix: FxHashMap<String, Vec<usize>>,
    pub(super) suffixes: Vec<String>,
    pub(super) wild: Vec<bool>,
    /// The distinct lengths (in bytes) of the keys of `by_prefix`, ascending.
    pub(super) key_lengths: Vec<usize>,
    pub(super) budget: u64,
    /// Pruning is optional (sound to skip), so the index stops looking at the deadline.
    pub(super) deadline: Option<Instant>,
    /// The root node of each indexed pattern and the store's inclusions between nodes, when
    /// the patterns live in a [`super::Store`]: an inclusion found once is not computed again.
    pub(super) memo: Option<(&'a [u32], &'a mut InclusionMemo)>,
}

impl<'a> InclusionIndex<'a> {
    pub(super) fn new(
        pats: &'a [Vec<CTok>],
        classes: &'a Classes,
        budget: u64,
        deadline: Option<Instant>,
    ) -> Self {
        let mut by_prefix: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (i, p) in pats.iter().enumerate() {
            by_prefix.entry(lit_prefix(p)).or_default().push(i);
        }
        let mut key_lengths: Vec<usize> = by_prefix.keys().map(String::len).collect();
        key_lengths.sort_unstable();
        key_lengths.dedup();
        InclusionIndex {
            pats,
            classes,
            by_prefix,
            suffixes: pats.iter().map(|p| lit_suffix_rev(p)).collect(),
            wild: pats.iter().map(|p| p.iter().any(|t| is_wild(*t))).collect(),
            key_lengths,
            budget,
            deadline,
            memo: None,
        }
    }

    /// The index, remembering inclusions in `memo` by the patterns' root nodes `roots`.
    pub(super) fn with_memo(mut self, roots: &'a [u32], memo: &'a mut InclusionMemo) -> Self {
        self.memo = Some((roots, memo));
        self
    }

    /// Some indexed pattern (other than `skip`) that includes `g`; `accept` filters candidates.
    pub(super) fn find_includer(
        &mut self,
        g: &[CTok],
        g_root: Option<u32>,
        skip: Option<usize>,
        accept: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        let gp = lit_prefix(g);
        let gs = lit_suffix_rev(g);
        // Only the prefix lengths some indexed pattern has (hashing every prefix of a long
        // literal would be quadratic in its length).
        let ends: Vec<usize> = self
            .key_lengths
            .iter()
            .copied()
            .filter(|&l| l <= gp.len() && gp.is_char_boundary(l))
            .collect();
        for end in ends {
            let Some(key) = gp.get(..end) else { continue };
            let Some(cands) = self.by_prefix.get(key) else {
                continue;
            };
            for &h in cands {
                if Some(h) == skip || !accept(h) {
                    continue;
                }
                let hs = self.suffixes.get(h).map(String::as_str).unwrap_or("");
                let hw = self.wild.get(h).copied().unwrap_or(true);
                // a wildcard-free includer must have its whole text as g's prefix/suffix
                if (hw && !gs.starts_with(hs)) || (!hw && key.len() != gp.len()) {
                    continue;
                }
                if self.budget == 0 {
                    return None;
                }
                self.budget -= 1;
                if self.budget.is_multiple_of(256)
                    && self.deadline.is_some_and(|d| Instant::now() >= d)
                {
                    self.budget = 0;
                    return None;
                }
                let Some(hp) = self.pats.get(h) else { continue };
                let key = match (&self.memo, g_root) {
                    (Some((roots, _)), Some(gr)) => roots.get(h).map(|hr| (*hr, gr)),
                    _ => None,
                };
                let known = key.and_then(|k| self.memo.as_ref().and_then(|(_, m)| m.get(&k)));
                let included = match known {
                    Some(r) => *r,
                    None => {
                        let r = includes(hp, g, self.classes);
                        if let (Some(k), Some((_, m))) = (key, self.memo.as_mut()) {
                            if m.len() < MAX_MEMO {
                                m.insert(k, r);
                            }
                        }
                        r
                    }
                };
                if included {
                    return Some(h);
                }
            }
        }
        None
    }
}
