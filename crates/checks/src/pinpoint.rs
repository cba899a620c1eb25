//! Pinpointing responsible statements cheaply: statements the property `X` excludes on sight
//! (no question asked), and candidate witnesses for a statement built from witnesses already
//! found (its literal actions and resources filled in), replayed before use.

use crate::query::Query;
use crate::realistic::fill_resource;
use iamproof_eval::Request;
use iamproof_logic::{Formula, Node};

/// Whether `extra` (the property `X`) syntactically excludes every request `applies` holds for:
/// `X` is, or has as a conjunct, `¬(… ∨ applies ∨ …)` (or the negation of a disjunction holding
/// every disjunct of `applies`). Then `applies ∧ X` is unsatisfiable and the statement is not
/// responsible, without a solver call.
///
/// The case it is for: `check-no-new-access` asks each statement of the new policy whether it
/// grants access the existing policy does not, `applies_i ∧ ¬existing.allows`; when the existing
/// policy has no Deny, `existing.allows` is the disjunction of its statements' formulas, and a
/// statement both versions share (most of them, between two versions of a managed policy) has
/// the same formula there (formulas are compared structurally).
pub(crate) fn excluded(extra: &Formula, applies: &Formula) -> bool {
    match extra.node() {
        Node::And(parts) => parts.iter().any(|p| excluded(p, applies)),
        Node::Not(g) => {
            let disjuncts: &[Formula] = match g.node() {
                Node::Or(gs) => gs,
                _ => std::slice::from_ref(g),
            };
            let wanted: &[Formula] = match applies.node() {
                Node::Or(hs) => hs,
                _ => std::slice::from_ref(applies),
            };
            disjuncts.contains(applies) || wanted.iter().all(|h| disjuncts.contains(h))
        }
        _ => false,
    }
}

/// At most this many actions and resources of a statement make cheap witness candidates.
pub(crate) const MAX_CHEAP_PATTERNS: usize = 4;

impl Query<'_> {
    /// Candidate witnesses for statement `index` built from witnesses already found: each with
    /// one of the statement's literal actions and a resource its `Resource` element names (`*`
    /// and `?` filled in, region and account fields with readable values), or the witness's own
    /// resource for `"*"` and `NotResource`. The caller replays each through the evaluator like
    /// a solver's witness, so a candidate only ever adds a genuine witness. Bounded: at most
    /// [`MAX_CHEAP_PATTERNS`] actions and resources per witness; `NotAction` statements and
    /// resources with policy variables give none.
    pub(crate) fn cheap_candidates(&self, index: usize, bases: &[Request]) -> Vec<Request> {
        let Some(st) = self.policy.statements.get(index) else {
            return Vec::new();
        };
        if st.action.negated {
            return Vec::new();
        }
        let actions: Vec<&str> = st
            .action
            .patterns
            .iter()
            .map(|p| p.text.as_str())
            .filter(|a| !a.contains(['*', '?']))
            .take(MAX_CHEAP_PATTERNS)
            .collect();
        let resources: Vec<Option<String>> = match &st.resource {
            Some(c) if !c.negated => c
                .patterns
                .iter()
                .filter(|p| !p.text.contains('$'))
                .take(MAX_CHEAP_PATTERNS)
                .map(|p| (p.text != "*").then(|| fill_resource(&p.text)))
                .collect(),
            _ => vec![None],
        };
        let mut out = Vec::new();
        for base in bases {
            for a in &actions {
                for r in &resources {
                    let mut c = base.clone();
                    c.action = (*a).to_string();
                    if let Some(r) = r {
                        c.resource = r.clone();
                    }
                    out.push(c);
                }
            }
        }
        out
    }
}
