//! The concrete actions of a finding: the service reference's actions its statements' patterns
//! name that its coverage really allows.

use super::{ask, ServiceReference};
use crate::clock::Clock;
use crate::engine::{Session, SolveAnswer};
use iamproof_eval::matching::action_matches;
use iamproof_eval::Request;
use iamproof_logic::{Formula, Glob, MatchMode, PatternSet, Var};
use iamproof_policy::Policy;

/// What the questions about one finding are asked with: its `applies` formula (the
/// disjunction of its statement–principal pairs), its replayed example, the run's base formula,
/// the run's session and clock, and the run's question count.
pub(crate) struct Asking<'a> {
    pub(crate) applies: &'a Formula,
    pub(crate) example: &'a Request,
    pub(crate) base: &'a Formula,
    pub(crate) session: &'a mut dyn Session,
    pub(crate) clock: &'a Clock,
    pub(crate) questions: &'a mut usize,
}

/// The candidates (reference actions the statements' `Action`/`NotAction` name) for which
/// `base ∧ applies ∧ Action = a` is satisfiable, and whether some were left undecided.
///
/// A candidate is confirmed without a question when the finding's example with its action
/// replaced satisfies the formulas (a concrete request is a proof). The others are asked
/// together: `applies ∧ Action ∈ {left}`; each witness confirms its action (and, as a new
/// example, possibly others); UNSAT rules out all that are left. At most `cap` questions.
pub(crate) fn concrete_actions(
    reference: &ServiceReference,
    policy: &Policy,
    statements: &[usize],
    asking: Asking<'_>,
    cap: usize,
) -> (Vec<String>, bool) {
    let Asking {
        applies,
        example,
        base,
        session,
        clock,
        questions,
    } = asking;
    let mut candidates: Vec<String> = Vec::new();
    for st in statements.iter().filter_map(|i| policy.statements.get(*i)) {
        let patterns: Vec<String> = st.action.patterns.iter().map(|p| p.text.clone()).collect();
        for a in reference.expand(&patterns, st.action.negated) {
            if !candidates.contains(&a) {
                candidates.push(a);
            }
        }
    }
    let holds = |r: &Request| base.eval(r) && applies.eval(r);
    let mut confirmed: Vec<String> = Vec::new();
    let try_with = |template: &Request, left: Vec<String>, confirmed: &mut Vec<String>| {
        let mut rest = Vec::new();
        let mut out_of_time = false;
        for (n, a) in left.into_iter().enumerate() {
            // Evaluating large policies on thousands of candidates takes time too.
            if !out_of_time && n % 256 == 255 {
                out_of_time = clock.expired();
            }
            if out_of_time {
                rest.push(a);
                continue;
            }
            let mut r = template.clone();
            r.action = a.clone();
            if holds(&r) {
                confirmed.push(a);
            } else {
                rest.push(a);
            }
        }
        rest
    };
    let mut left = try_with(example, std::mem::take(&mut candidates), &mut confirmed);
    let mut truncated = false;
    let mut asked = 0;
    while !left.is_empty() {
        if asked >= cap || clock.expired() {
            truncated = true;
            break;
        }
        asked += 1;
        let set = Formula::matches(
            Var::Action,
            PatternSet::new(
                MatchMode::Action,
                left.iter().map(|a| Glob::literal(a)).collect(),
            ),
        );
        let share = clock.share(4);
        match ask(
            session,
            &share,
            &Formula::and2(applies.clone(), set),
            questions,
        ) {
            SolveAnswer::Unsat => break,
            SolveAnswer::Unknown(_) => {
                truncated = true;
                break;
            }
            SolveAnswer::Sat(w) => {
                let hit: Vec<String> = left
                    .iter()
                    .filter(|a| a.eq_ignore_ascii_case(&w.action))
                    .cloned()
                    .collect();
                let mut named = w.clone();
                if let Some(a) = hit.first() {
                    named.action = a.clone();
                }
                if hit.is_empty() || !holds(&named) {
                    // Not a believable witness: the rest stays undecided.
                    truncated = true;
                    break;
                }
                left.retain(|a| !hit.contains(a));
                confirmed.extend(hit);
                left = try_with(&named, left, &mut confirmed);
            }
        }
    }
    confirmed.sort_by_key(|a| a.to_ascii_lowercase());
    (confirmed, truncated)
}

/// The formula "the action matches `pattern`" (`None` for a pattern that matches nothing, as
/// `iamproof_eval::matching::action_matches` reads it).
fn pattern_formula(pattern: &str) -> Option<Formula> {
    if pattern == "*" {
        return Some(Formula::tt());
    }
    let glob = iamproof_logic::action_glob(pattern)?;
    Some(Formula::matches(
        Var::Action,
        PatternSet::new(MatchMode::Action, vec![glob]),
    ))
}

/// Of `patterns` (the `Action` patterns of the finding's statements), those some request of the
/// finding has an action of: the patterns the finding's example's action or one of the actions
/// `known` to be covered (its concrete actions) matches, then
/// `applies ∧ Action ∈ (the rest)` asked until UNSAT, each witness's action confirming the
/// patterns it matches. At most `cap` questions; when they run out (or one is undecided) the
/// patterns not decided are kept (a finding never hides a pattern that might grant access).
pub(crate) fn granting_patterns(
    patterns: Vec<String>,
    known: &[String],
    asking: Asking<'_>,
    cap: usize,
) -> Vec<String> {
    let Asking {
        applies,
        example,
        base,
        session,
        clock,
        questions,
    } = asking;
    // A pattern is confirmed without a question when the example with the pattern's own
    // spelling as its action (wildcards filled) is still a request of the finding.
    let holds = |template: &Request, p: &str| {
        if action_matches(p, &template.action) || known.iter().any(|a| action_matches(p, a)) {
            return true;
        }
        let mut r = template.clone();
        r.action = if p == "*" {
            template.action.clone()
        } else {
            p.replace('*', "").replace('?', "x")
        };
        action_matches(p, &r.action) && base.eval(&r) && applies.eval(&r)
    };
    let mut granting: Vec<bool> = patterns.iter().map(|p| holds(example, p)).collect();
    let mut decided = granting.clone();
    for _ in 0..cap {
        let open: Vec<Formula> = patterns
            .iter()
            .zip(&decided)
            .filter(|(_, d)| !**d)
            .filter_map(|(p, _)| pattern_formula(p))
            .collect();
        if open.is_empty() {
            // Every pattern left matches nothing.
            decided.iter_mut().for_each(|d| *d = true);
            break;
        }
        let share = clock.share(4);
        match ask(
            session,
            &share,
            &Formula::and2(applies.clone(), Formula::or(open)),
            questions,
        ) {
            SolveAnswer::Unsat => {
                decided.iter_mut().for_each(|d| *d = true);
                break;
            }
            SolveAnswer::Unknown(_) => break,
            SolveAnswer::Sat(w) => {
                if !(base.eval(&w) && applies.eval(&w)) {
                    break;
                }
                let mut progress = false;
                for (i, p) in patterns.iter().enumerate() {
                    if !decided.get(i).copied().unwrap_or(true) && holds(&w, p) {
                        if let (Some(g), Some(d)) = (granting.get_mut(i), decided.get_mut(i)) {
                            *g = true;
                            *d = true;
                            progress = true;
                        }
                    }
                }
                if !progress {
                    break;
                }
            }
        }
    }
    patterns
        .into_iter()
        .zip(granting.into_iter().zip(decided))
        .filter(|(_, (g, d))| *g || !*d)
        .map(|(p, _)| p)
        .collect()
}
