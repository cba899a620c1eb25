//! The incremental [`Session`] answers every question as a fresh [`solve`] does.
//!
//! On Quacky's policy pairs and a sample of MAMIP's version pairs (both directions), a session
//! about `allows(new) ∧ ¬allows(old)` (with the request axioms) is asked the questions the
//! checks and the findings ask of it, in turn: each statement of `new` applying, each statement
//! with the earlier ones excluded, and a few actions. Each answer must have the kind a fresh
//! instance gives on `base ∧ extra` (`Sat`/`Unsat`; `Unknown` from either side is counted, not
//! compared), and every model must satisfy `base ∧ extra` under [`Formula::eval`].

use iamproof_corpora::{guess_policy_type, parse_document, Corpora};
use iamproof_logic::{
    derive_principal_keys, encode_policy, request_axioms, Formula, Glob, MatchMode, PatternSet, Var,
};
use iamproof_solver::{solve, Outcome, Session, SolveOptions};
use serde_json::Value;
use std::time::{Duration, Instant};

/// MAMIP pairs taken (every n-th, both directions).
const MAMIP_SAMPLE: usize = 60;

fn kind(o: &Outcome) -> &'static str {
    match o {
        Outcome::Sat(_) => "sat",
        Outcome::Unsat => "unsat",
        Outcome::Unknown(_) => "unknown",
    }
}

#[derive(Default)]
struct Tally {
    questions: usize,
    agreed: usize,
    unknown: usize,
    session_time: Duration,
    fresh_time: Duration,
}

fn pair(old: &Value, new: &Value, tally: &mut Tally) {
    let ty = guess_policy_type(new);
    let (Ok(old_p), Ok(new_p)) = (parse_document(old, ty), parse_document(new, ty)) else {
        return;
    };
    let (Ok(old_e), Ok(new_e)) = (encode_policy(&old_p), encode_policy(&new_p)) else {
        return;
    };
    let goal = derive_principal_keys(&Formula::and2(new_e.allows(), Formula::not(old_e.allows())));
    let base = Formula::and2(goal.clone(), request_axioms(&goal.vars()));
    let mut extras: Vec<Formula> = Vec::new();
    let mut earlier: Vec<Formula> = Vec::new();
    for s in &new_e.statements {
        extras.push(s.applies.clone());
        let mut parts = vec![s.applies.clone()];
        parts.extend(earlier.iter().map(|e| Formula::not(e.clone())));
        extras.push(Formula::and(parts));
        earlier.push(s.applies.clone());
    }
    for a in ["s3:GetObject", "iam:PassRole", "ec2:RunInstances"] {
        extras.push(Formula::matches(
            Var::Action,
            PatternSet::new(MatchMode::Action, vec![Glob::parse_wildcards(a)]),
        ));
    }
    let opts = SolveOptions {
        timeout: Duration::from_secs(10),
        ..SolveOptions::default()
    };
    let mut session = Session::new(&base);
    for extra in extras.iter().take(24) {
        let whole = Formula::and2(base.clone(), extra.clone());
        let t = Instant::now();
        let s = session.solve_with(extra, &opts);
        tally.session_time += t.elapsed();
        let t = Instant::now();
        let f = solve(&whole, &opts);
        tally.fresh_time += t.elapsed();
        tally.questions += 1;
        if let Outcome::Sat(m) = &s {
            let r = m.to_request();
            assert!(
                whole.eval(&r),
                "the session's model fails the question: {r:?}\n{new}"
            );
        }
        match (kind(&s), kind(&f)) {
            ("unknown", _) | (_, "unknown") => tally.unknown += 1,
            (a, b) => {
                assert_eq!(a, b, "session {a}, fresh {b}\nold: {old}\nnew: {new}");
                tally.agreed += 1;
            }
        }
    }
}

#[test]
fn session_answers_as_a_fresh_instance() {
    let corpora = Corpora::locate();
    let mut tally = Tally::default();
    let quacky = corpora.quacky_pairs().expect("Quacky pairs");
    for p in &quacky {
        let (Ok(a), Ok(b)) = (
            corpora.quacky_document(&p.policy1),
            corpora.quacky_document(&p.policy2),
        ) else {
            continue;
        };
        pair(&a, &b, &mut tally);
        pair(&b, &a, &mut tally);
    }
    let pairs = corpora.mamip_version_pairs().expect("MAMIP pairs");
    let step = (pairs.len() / MAMIP_SAMPLE).max(1);
    for p in pairs.iter().step_by(step) {
        pair(&p.old, &p.new, &mut tally);
        pair(&p.new, &p.old, &mut tally);
    }
    println!(
        "session: {} questions, {} answered alike, {} unknown on one side; session {:?}, fresh {:?}",
        tally.questions, tally.agreed, tally.unknown, tally.session_time, tally.fresh_time
    );
    assert!(tally.agreed > 200, "too few questions compared");
    assert_eq!(tally.unknown, 0, "unknown answers");
}
