//! The native engine on every policy of the shared corpora (read through `iamproof-corpora`, at
//! run time from `<workspace>/../shared/corpora`).
//!
//! For each distinct (type, text) document that parses:
//!
//! * it encodes;
//! * `allows(P) ∧ axioms` is decided; a model replays: the query holds of its request and the
//!   reference evaluator allows it;
//! * `allows(P) ∧ ¬allows(P') ∧ axioms`, where `P'` is `P` with its statements in reverse order,
//!   is `Unsat` (a policy is equivalent to itself) — never `Sat`.
//!
//! Prints the numbers of policies, queries and `Unknown` answers (with each `Unknown`'s policy
//! name and reason); there must be none.

use iamproof_corpora::{all_policies, CorpusPolicy};
use iamproof_eval::evaluate_policy;
use iamproof_logic::{encode_policy, request_axioms, Formula};
use iamproof_policy::{parse_policy, Policy};
use iamproof_solver::{solve, Backend, Outcome, SolveOptions};
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// Per-query limit of the native engine.
const LIMIT: Duration = Duration::from_secs(2);

fn with_axioms(f: Formula) -> Formula {
    let ax = request_axioms(&f.vars());
    Formula::and2(f, ax)
}

fn native(f: &Formula) -> (Outcome, Duration) {
    let opts = SolveOptions {
        backend: Backend::Native,
        timeout: LIMIT,
        ..SolveOptions::default()
    };
    let start = Instant::now();
    let o = solve(f, &opts);
    (o, start.elapsed())
}

#[derive(Default)]
struct Tally {
    queries: usize,
    sat: usize,
    unsat: usize,
    unknown: Vec<String>,
    failures: Vec<String>,
    slowest: Vec<(Duration, String)>,
}

impl Tally {
    fn time(&mut self, took: Duration, what: String) {
        self.slowest.push((took, what));
        if self.slowest.len() > 64 {
            self.slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
            self.slowest.truncate(8);
        }
    }
}

fn reversed(p: &Policy) -> Policy {
    let mut r = p.clone();
    r.statements.reverse();
    r
}

#[test]
fn native_decides_every_corpus_policy() {
    let policies = all_policies().unwrap_or_else(|e| panic!("{e}"));
    let documents = policies.len();
    // Distinct (type, text), the first name kept.
    let mut seen = HashSet::new();
    let texts: Vec<CorpusPolicy> = policies
        .into_iter()
        .filter(|cp| seen.insert((cp.policy_type, cp.text.clone())))
        .collect();
    let start = Instant::now();
    let mut t = Tally::default();
    let mut parse_errors = 0usize;
    let mut parsed = 0usize;
    for CorpusPolicy {
        name,
        text,
        policy_type,
    } in &texts
    {
        let Ok(p) = parse_policy(text, *policy_type) else {
            parse_errors += 1;
            continue;
        };
        parsed += 1;
        let enc = match encode_policy(&p) {
            Ok(e) => e,
            Err(e) => {
                t.failures.push(format!("{name}: does not encode: {e}"));
                continue;
            }
        };
        let allows = enc.allows();

        // (a) Some request is allowed, or none is.
        let f = with_axioms(allows.clone());
        let (o, took) = native(&f);
        t.queries += 1;
        t.time(took, format!("{name} allows"));
        match o {
            Outcome::Sat(m) => {
                t.sat += 1;
                let r = m.to_request();
                if !f.eval(&r) {
                    t.failures.push(format!(
                        "{name}: allows(P): the model does not satisfy the query: {r:?}"
                    ));
                } else if !evaluate_policy(&p, &r).allows() {
                    t.failures.push(format!(
                        "{name}: allows(P): the evaluator does not allow the model: {r:?}"
                    ));
                }
            }
            Outcome::Unsat => t.unsat += 1,
            Outcome::Unknown(why) => t.unknown.push(format!("{name} [allows(P)]: {why}")),
        }

        // (b) P ∧ ¬P' with P' the statements reversed: equivalent, so unsat.
        let rev = match encode_policy(&reversed(&p)) {
            Ok(e) => e.allows(),
            Err(e) => {
                t.failures
                    .push(format!("{name}: reversed policy does not encode: {e}"));
                continue;
            }
        };
        let g = with_axioms(Formula::and2(allows, Formula::not(rev)));
        let (o, took) = native(&g);
        t.queries += 1;
        t.time(took, format!("{name} P∧¬P'"));
        match o {
            Outcome::Sat(m) => {
                t.sat += 1;
                let r = m.to_request();
                t.failures.push(format!(
                    "{name}: P ∧ ¬reversed(P) is Sat (model satisfies the query: {}; evaluator allows: {}): {r:?}",
                    g.eval(&r),
                    evaluate_policy(&p, &r).allows()
                ));
            }
            Outcome::Unsat => t.unsat += 1,
            Outcome::Unknown(why) => t.unknown.push(format!("{name} [P ∧ ¬P']: {why}")),
        }
    }
    t.slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    t.slowest.truncate(8);
    println!(
        "corpora (native, {LIMIT:?} per query): {documents} documents, {} distinct, {parsed} parsed ({parse_errors} rejected by the parser), {} queries: {} sat, {} unsat, {} unknown, {} failures, in {:?}",
        texts.len(),
        t.queries,
        t.sat,
        t.unsat,
        t.unknown.len(),
        t.failures.len(),
        start.elapsed()
    );
    for (d, what) in &t.slowest {
        println!("  slow: {d:?} {what}");
    }
    for u in &t.unknown {
        println!("UNKNOWN {u}");
    }
    for f in t.failures.iter().take(20) {
        println!("FAILURE {f}");
    }
    assert!(
        parsed > 3000,
        "expected thousands of corpus policies, got {parsed}"
    );
    assert!(
        t.failures.is_empty(),
        "{} failures (first shown above)",
        t.failures.len()
    );
    // (The last three, AWSControlTowerAccountServiceRolePolicy's `aws:PrincipalAccount =
    // ${aws:ResourceAccount}` beside `aws:ResourceAccount = ${aws:PrincipalAccount}`, were read
    // as a reference cycle until cycles were solved.)
    assert!(
        t.unknown.is_empty(),
        "{} Unknown answers, listed above",
        t.unknown.len()
    );
}
