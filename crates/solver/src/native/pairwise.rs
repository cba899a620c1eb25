//! Redundant binary clauses between tests of one variable whose patterns cannot share a
//! value (or whose finitely many values all or none match another test), learnt up front so
//! the SAT search does not discover them one theory conflict at a time.

use batsat::{Lit, Var as SVar};
use iamproof_logic::{GlobPart, MatchMode, Test};
use std::time::Instant;

use super::encoding::SatEncoding;
use super::templates::relaxed_glob;

impl SatEncoding {
    /// Binary clauses between tests of one variable: `a → ¬b` when their patterns cannot
    /// share a value (by literal beginnings and endings, per ARN field), and, where `a` allows
    /// finitely many values (the action names of most statements, exact condition values),
    /// `a → ¬b` when none of them matches `b` and `a → b` when all do. Learnt lazily, each
    /// costs a SAT round and a theory check; a policy pair with dozens of statements needs
    /// hundreds.
    ///
    /// In a session each call compares only the pairs with a test added since the last call.
    /// The clauses are redundant (each holds for every request), so stopping early is sound:
    /// at most [`PAIRWISE_COMPARISONS`] pairs are compared and [`PAIRWISE_CLAUSES`] clauses
    /// added, which keeps a policy with thousands of statements from growing quadratically.
    pub(super) fn pairwise(&mut self, deadline: Instant) {
        let mut clauses: Vec<[Lit; 2]> = Vec::new();
        let mut budget = PAIRWISE_COMPARISONS;
        // Per variable, its tests' outlines, each marked new when it came after the last call
        // (in a session, the pairs of earlier tests are compared already: their clauses stay).
        let done = &self.pairwise_done;
        let shapes: Vec<Vec<(bool, PatternOutline<'_>)>> = self
            .vars
            .iter()
            .map(|(var, a)| {
                let old = done.get(var).copied().unwrap_or(0);
                a.tests
                    .iter()
                    .enumerate()
                    .filter_map(|(k, (t, sv))| Some((k >= old, PatternOutline::of(t, *sv)?)))
                    .collect()
            })
            .collect();
        // Whether another `cost` comparisons fit in the budget (and time remains).
        let mut spend = |cost: u64, clauses: &Vec<[Lit; 2]>| {
            if budget < cost || clauses.len() >= PAIRWISE_CLAUSES || Instant::now() >= deadline {
                return false;
            }
            budget -= cost;
            true
        };
        // First the tests with finitely many values against every other test of their
        // variable (linear in the tests: the most useful clauses, cheaply), then the pairs of
        // patterns with disjoint literal ends (quadratic) while the budget lasts.
        'finite: for var_shapes in &shapes {
            let any_new = var_shapes.iter().any(|(new, _)| *new);
            for (x_new, x) in var_shapes {
                if !any_new {
                    break;
                }
                let Some(members) = x.set.and_then(finite_members) else {
                    continue;
                };
                if !spend(var_shapes.len() as u64, &clauses) {
                    break 'finite;
                }
                let x_lit = Lit::new(x.sv, true);
                if members.is_empty() {
                    if *x_new {
                        clauses.push([!x_lit, !x_lit]);
                    }
                    continue;
                }
                for (y_new, y) in var_shapes {
                    if y.sv == x.sv || !(*x_new || *y_new) {
                        continue;
                    }
                    let Some(hits) = x.hits(&members, y) else {
                        continue;
                    };
                    let y_lit = Lit::new(y.sv, true);
                    if hits == 0 {
                        clauses.push([!x_lit, !y_lit]);
                    } else if hits == members.len() {
                        clauses.push([!x_lit, y_lit]);
                    }
                }
            }
        }
        'apart: for var_shapes in &shapes {
            for (i, (x_new, x)) in var_shapes.iter().enumerate() {
                if !spend((var_shapes.len() - i) as u64, &clauses) {
                    break 'apart;
                }
                let x_lit = Lit::new(x.sv, true);
                for (y_new, y) in var_shapes.iter().skip(i + 1) {
                    if (*x_new || *y_new) && x.apart(y) {
                        clauses.push([!x_lit, !Lit::new(y.sv, true)]);
                    }
                }
            }
        }
        for c in clauses {
            self.clause(&c);
        }
        // (pairs the budget left out are not compared later: the clauses are only redundant)
        let counts: Vec<(iamproof_logic::Var, usize)> = self
            .vars
            .iter()
            .map(|(v, a)| (v.clone(), a.tests.len()))
            .collect();
        self.pairwise_done.extend(counts);
    }
}

/// At most this many pairs of tests are compared by [`SatEncoding::pairwise`] in one solve.
pub(super) const PAIRWISE_COMPARISONS: u64 = 4_000_000;

/// At most this many clauses are added by [`SatEncoding::pairwise`] in one solve.
pub(super) const PAIRWISE_CLAUSES: usize = 200_000;

/// The SAT round from which [`SatEncoding::pairwise`] clauses are added: after the first theory
/// conflict, so queries without one do not pay for them. The crate's own (brute-force checked) tests add them
/// from the first round, so that every query they solve exercises them.
pub(super) const PAIRWISE_AFTER: u64 = if cfg!(test) { 1 } else { 2 };

/// The values a pattern set allows, when they are finitely many strings that every other test
/// of the same mode family decides alike: literal patterns under `Exact`, `Glob` and `Arn`
/// (each pattern that matches itself), and literal action names under `Action` (each standing
/// for its case variants), with the index of the pattern each comes from. `None` otherwise, or
/// past a size bound.
pub(super) fn finite_members(set: &iamproof_logic::PatternSet) -> Option<Vec<(usize, String)>> {
    if !matches!(
        set.mode(),
        MatchMode::Exact | MatchMode::Glob | MatchMode::Arn | MatchMode::Action
    ) || set.patterns().len() > PAIRWISE_MAX_PATTERNS
    {
        return None;
    }
    let mut out = Vec::new();
    for (i, g) in set.patterns().iter().enumerate() {
        let lit = g.as_literal()?;
        if g.matches(set.mode(), &lit) {
            out.push((i, lit));
        }
    }
    Some(out)
}

/// What [`SatEncoding::pairwise`] compares of one test: its pattern set (or a template's relaxation
/// to one glob) as literal beginnings and endings.
pub(super) struct PatternOutline<'a> {
    pub(super) sv: SVar,
    /// Action-mode (compared after ASCII case folding).
    pub(super) action: bool,
    /// Per pattern: the literal beginning and ending of the whole text, and of each ARN field.
    pub(super) ends: Vec<PatternEnds>,
    /// The pattern set itself (`None` for a relaxed template).
    pub(super) set: Option<&'a iamproof_logic::PatternSet>,
}

/// The literal text before the first wildcard and after the last one, which every matching
/// value starts and ends with: of the whole pattern, and in `Arn` mode of each of the six
/// fields (a value's field matches the pattern's field).
pub(super) struct PatternEnds {
    pub(super) whole: (String, String),
    pub(super) fields: Option<Vec<(String, String)>>,
}

/// Sets larger than this are not compared pairwise (their statements are few).
pub(super) const PAIRWISE_MAX_PATTERNS: usize = 256;

impl<'a> PatternOutline<'a> {
    pub(super) fn of(t: &'a Test, sv: SVar) -> Option<Self> {
        match t {
            Test::Match(set) => {
                let action = match set.mode() {
                    MatchMode::Glob | MatchMode::Exact | MatchMode::Arn => false,
                    MatchMode::Action => true,
                    _ => return None,
                };
                if set.patterns().len() > PAIRWISE_MAX_PATTERNS {
                    return None;
                }
                let ends = set
                    .patterns()
                    .iter()
                    .map(|g| PatternEnds::of(g, set.mode()))
                    .collect::<Option<Vec<_>>>()?;
                Some(PatternOutline {
                    sv,
                    action,
                    ends,
                    set: Some(&**set),
                })
            }
            Test::Template(tpl) => {
                let (mode, g) = relaxed_glob(tpl)?;
                Some(PatternOutline {
                    sv,
                    action: false,
                    ends: vec![PatternEnds::of(&g, mode)?],
                    set: None,
                })
            }
            _ => None,
        }
    }

    /// How many of `members` (this shape's [`finite_members`]) match `other`'s pattern set;
    /// `None` when `other` has none, or folds case differently (action names stand for all
    /// their case variants).
    pub(super) fn hits(
        &self,
        members: &[(usize, String)],
        other: &PatternOutline<'_>,
    ) -> Option<usize> {
        let set = other.set?;
        if self.action != (set.mode() == MatchMode::Action) {
            return None;
        }
        // a member matches a pattern only if their literal ends agree (cheap to compare)
        let matches = |(k, m): &&(usize, String)| match self.ends.get(*k) {
            Some(me) => set
                .patterns()
                .iter()
                .zip(&other.ends)
                .any(|(g, e)| !me.apart(e) && g.matches(set.mode(), m)),
            None => set.matches(m),
        };
        Some(members.iter().filter(matches).count())
    }

    /// No value matches both.
    pub(super) fn apart(&self, other: &PatternOutline<'_>) -> bool {
        self.action == other.action
            && self
                .ends
                .iter()
                .all(|p| other.ends.iter().all(|q| p.apart(q)))
    }
}

impl PatternEnds {
    /// `None` for action patterns that are not ASCII (service names compare ASCII-folded).
    pub(super) fn of(g: &iamproof_logic::Glob, mode: MatchMode) -> Option<Self> {
        let fold = mode == MatchMode::Action;
        let whole = glob_ends(&g.parts, fold)?;
        let fields = (mode == MatchMode::Arn)
            .then(|| {
                let fs = g.arn_fields();
                (fs.len() == 6).then(|| {
                    fs.iter()
                        .map(|f| glob_ends(&f.parts, false))
                        .collect::<Option<Vec<_>>>()
                })
            })
            .flatten()
            .flatten();
        Some(PatternEnds { whole, fields })
    }

    pub(super) fn apart(&self, other: &PatternEnds) -> bool {
        let ends_apart = |(ph, pt): &(String, String), (qh, qt): &(String, String)| {
            !(ph.starts_with(qh.as_str()) || qh.starts_with(ph.as_str()))
                || !(pt.ends_with(qt.as_str()) || qt.ends_with(pt.as_str()))
        };
        ends_apart(&self.whole, &other.whole)
            || match (&self.fields, &other.fields) {
                (Some(x), Some(y)) => x.iter().zip(y).any(|(p, q)| ends_apart(p, q)),
                _ => false,
            }
    }
}

/// The literal beginning and ending of a glob (ASCII-lowercased with `fold`; `None` if then
/// not ASCII).
pub(super) fn glob_ends(parts: &[GlobPart], fold: bool) -> Option<(String, String)> {
    pub(super) fn lit(p: &GlobPart) -> Option<&str> {
        match p {
            GlobPart::Lit(s) => Some(s.as_str()),
            _ => None,
        }
    }
    let mut head: String = parts.iter().map_while(lit).collect();
    let mut tail_parts: Vec<&str> = parts.iter().rev().map_while(lit).collect();
    tail_parts.reverse();
    let mut tail = tail_parts.concat();
    if fold {
        if !head.is_ascii() || !tail.is_ascii() {
            return None;
        }
        head.make_ascii_lowercase();
        tail.make_ascii_lowercase();
    }
    Some((head, tail))
}
