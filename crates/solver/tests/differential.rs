//! Differential test of the three engines (native, z3, cvc5) on the queries the checks ask.
//!
//! Policies are generated from small pools (actions with `*`/`?` wildcards, resource ARN globs
//! with a `${aws:username}` variable, `NotAction`/`NotResource`, string, numeric, date, IP,
//! `Bool`, `Null`, `…IfExists` and `ForAllValues`/`ForAnyValue` conditions) so that two policies
//! of one case often overlap; a second run generates resource policies with principals and
//! conditions on the keys AWS derives from the principal (`aws:PrincipalAccount`,
//! `aws:PrincipalArn`, `aws:PrincipalType`), asked as the checks ask them (with
//! `derive_principal_keys`; measured over 80 cases, 240 queries: 0 native `Unknown`s). Each case asks, with the request axioms conjoined:
//!
//! * `allows(P1) ∧ ¬allows(P2)` and `allows(P2) ∧ ¬allows(P1)` (CheckNoNewAccess), where `P2`
//!   keeps some of `P1`'s statements and adds others;
//! * `allows(P1) ∧ Action = X` (CheckAccessNotGranted).
//!
//! Every query goes to every engine with a short limit: the native engine first; when it has a
//! model (checked below) z3 and cvc5 get only [`CONFIRM_LIMIT`], enough for a quick `unsat` that
//! would contradict it, else the full [`LIMIT`] to find a model refuting a native `Unsat`.
//! Definite answers must agree (no `Sat` next to an `Unsat`); every model, from any engine, must
//! satisfy the query under [`Formula::eval`], and the reference evaluator must decide both
//! policies on it as their formulas do. A summary is printed at the end: answers, Unknowns and
//! time per engine, how many native `Unsat`s z3 or cvc5 confirmed (with the unconfirmed queries),
//! and the native `Unknown`s with their policies; the number of native `Unknown`s is bounded.
//!
//! The cases are drawn from a fixed seed (the same every run); `IAMPROOF_DIFF_CASES=<n>` runs
//! `n` cases instead of [`CASES`], `IAMPROOF_DIFF_VERBOSE=1` prints every answer.
//!
//! Needs `z3` and `cvc5` on PATH (Debian: `apt-get install z3 cvc5`).

use iamproof_logic::{
    derive_principal_keys, encode_policy, request_axioms, Formula, Glob, MatchMode, PatternSet, Var,
};
use iamproof_policy::{parse_policy, Policy, PolicyType};
use iamproof_solver::{solve, Backend, Outcome, SolveOptions};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Generated cases (each asks three queries of three engines); `$IAMPROOF_DIFF_CASES` overrides
/// it for a longer run.
const CASES: u32 = 32;

/// Per-query limit of each engine.
const LIMIT: Duration = Duration::from_secs(2);

/// Per-query limit of z3 and cvc5 when the native engine has a (checked) model.
const CONFIRM_LIMIT: Duration = Duration::from_millis(300);

/// The most native `Unknown`s tolerated over all queries (measured: 0).
const MAX_NATIVE_UNKNOWN: usize = 0;

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:Get*",
    "s3:?etObject",
    "s3:*",
    "s3:Put*",
    "s3:List*",
    "s3:*Object",
    "iam:PassRole",
    "iam:*",
    "ec2:Describe*",
    "*",
];

/// Concrete actions for `Action = X` queries (one in no pattern's service but `*`).
const ACTION_VALUES: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "S3:getobject",
    "iam:PassRole",
    "ec2:DescribeInstances",
    "sqs:SendMessage",
];

const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b",
    "arn:aws:s3:::b/${aws:username}/*",
    "arn:aws:s3:::b/home/*",
    "arn:aws:s3:::*/logs?",
    "arn:aws:iam::111122223333:role/*",
    "arn:aws:ec2:*:*:instance/*",
];

/// (operator, key, values as JSON)
const CONDITIONS: &[(&str, &str, &str)] = &[
    ("StringLike", "aws:username", r#""a*""#),
    ("StringEquals", "aws:PrincipalTag/team", r#"["red","blue"]"#),
    ("StringNotLike", "s3:prefix", r#""tmp/*""#),
    ("StringLike", "s3:prefix", r#""${aws:username}/*""#),
    ("StringEqualsIfExists", "aws:PrincipalTag/team", r#""red""#),
    ("NumericLessThan", "s3:max-keys", r#""10""#),
    ("NumericGreaterThanEquals", "s3:max-keys", r#""5""#),
    ("NumericLessThanIfExists", "s3:max-keys", r#""100""#),
    (
        "DateGreaterThan",
        "aws:CurrentTime",
        r#""2024-01-01T00:00:00Z""#,
    ),
    (
        "DateLessThan",
        "aws:CurrentTime",
        r#""2025-06-01T00:00:00Z""#,
    ),
    (
        "IpAddress",
        "aws:SourceIp",
        r#"["10.0.0.0/8","2001:db8::/32"]"#,
    ),
    ("NotIpAddress", "aws:SourceIp", r#""10.1.0.0/16""#),
    ("Bool", "aws:SecureTransport", r#""true""#),
    ("Bool", "aws:MultiFactorAuthPresent", r#""false""#),
    ("Null", "aws:MultiFactorAuthPresent", r#""true""#),
    ("Null", "s3:prefix", r#""false""#),
    (
        "ForAllValues:StringEquals",
        "aws:TagKeys",
        r#"["env","team"]"#,
    ),
    ("ForAnyValue:StringLike", "aws:TagKeys", r#""te*""#),
    ("ForAnyValue:StringEquals", "aws:TagKeys", r#""owner""#),
    (
        "ForAllValues:StringLike",
        "aws:TagKeys",
        r#"["env*","owner"]"#,
    ),
    ("Null", "aws:TagKeys", r#""false""#),
    (
        "StringNotEqualsIfExists",
        "aws:PrincipalTag/team",
        r#""${aws:username}""#,
    ),
    ("StringEqualsIgnoreCase", "s3:prefix", r#""Home/""#),
    ("ArnLike", "aws:SourceArn", r#""arn:aws:s3:::b*""#),
];

/// Principals of the resource-policy cases (JSON values of `Principal`).
const PRINCIPALS: &[&str] = &[
    r#""*""#,
    r#"{"AWS":"111122223333"}"#,
    r#"{"AWS":"arn:aws:iam::111122223333:root"}"#,
    r#"{"AWS":"arn:aws:iam::444455556666:role/R"}"#,
    r#"{"AWS":["arn:aws:iam::111122223333:user/bob","444455556666"]}"#,
    r#"{"AWS":"arn:aws:sts::444455556666:assumed-role/R/s"}"#,
    r#"{"Service":"lambda.amazonaws.com"}"#,
];

/// Conditions of the resource-policy cases: the keys AWS derives from the principal (whose
/// tests the checks replace by tests of the principal, `derive_principal_keys`), with a few of
/// the others.
const DERIVED_CONDITIONS: &[(&str, &str, &str)] = &[
    (
        "StringNotEquals",
        "aws:PrincipalAccount",
        r#""111122223333""#,
    ),
    ("StringEquals", "aws:PrincipalAccount", r#""444455556666""#),
    ("StringLike", "aws:PrincipalAccount", r#""1111*""#),
    (
        "StringEqualsIgnoreCase",
        "aws:PrincipalAccount",
        r#""111122223333""#,
    ),
    ("Null", "aws:PrincipalAccount", r#""true""#),
    ("ArnLike", "aws:PrincipalArn", r#""arn:aws:iam::*:role/*""#),
    ("StringNotLike", "aws:PrincipalArn", r#""*:root""#),
    (
        "ArnNotEquals",
        "aws:PrincipalArn",
        r#""arn:aws:iam::444455556666:role/R""#,
    ),
    ("StringNotEquals", "aws:PrincipalType", r#""AssumedRole""#),
    ("StringEquals", "aws:PrincipalType", r#"["User","Account"]"#),
    ("Null", "aws:PrincipalType", r#""false""#),
    ("StringLike", "aws:username", r#""b*""#),
    ("StringEquals", "aws:PrincipalTag/team", r#""red""#),
];

/// A generated statement: effect, `(NotAction?, action indexes)`, `(NotResource?, resource
/// indexes)`, condition indexes, and for resource policies principal indexes.
#[derive(Debug, Clone)]
struct Stmt {
    allow: bool,
    action: (bool, Vec<usize>),
    resource: (bool, Vec<usize>),
    conds: Vec<usize>,
    principal: Option<Vec<usize>>,
}

impl Stmt {
    fn json(&self) -> String {
        let pick = |ix: &[usize], table: &[&str]| {
            let v: Vec<String> = ix
                .iter()
                .map(|i| format!("\"{}\"", table[i % table.len()]))
                .collect();
            format!("[{}]", v.join(","))
        };
        let mut parts = vec![
            format!(
                r#""Effect":"{}""#,
                if self.allow { "Allow" } else { "Deny" }
            ),
            match &self.principal {
                // one entry: the value of the first index (several would merge `AWS` lists)
                Some(ix) => format!(
                    r#""Principal":{}"#,
                    PRINCIPALS[ix.first().copied().unwrap_or(0) % PRINCIPALS.len()]
                ),
                None => String::new(),
            },
            format!(
                r#""{}":{}"#,
                if self.action.0 { "NotAction" } else { "Action" },
                pick(&self.action.1, ACTIONS)
            ),
            format!(
                r#""{}":{}"#,
                if self.resource.0 {
                    "NotResource"
                } else {
                    "Resource"
                },
                pick(&self.resource.1, RESOURCES)
            ),
        ];
        // Group by operator: one block per operator, one entry per key.
        let mut by_op: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
        let table = if self.principal.is_some() {
            DERIVED_CONDITIONS
        } else {
            CONDITIONS
        };
        for c in &self.conds {
            let (op, k, v) = table[c % table.len()];
            let e = by_op.entry(op).or_default();
            if !e.iter().any(|(k2, _)| *k2 == k) {
                e.push((k, v));
            }
        }
        if !by_op.is_empty() {
            let blocks: Vec<String> = by_op
                .iter()
                .map(|(op, kv)| {
                    let inner: Vec<String> =
                        kv.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                    format!("\"{op}\":{{{}}}", inner.join(","))
                })
                .collect();
            parts.push(format!(r#""Condition":{{{}}}"#, blocks.join(",")));
        }
        parts.retain(|p| !p.is_empty());
        format!("{{{}}}", parts.join(","))
    }
}

fn stmt(resource_policy: bool) -> impl Strategy<Value = Stmt> {
    (
        proptest::bool::weighted(0.75),
        (
            proptest::bool::weighted(0.15),
            proptest::collection::vec(0..ACTIONS.len(), 1..3),
        ),
        (
            proptest::bool::weighted(0.15),
            proptest::collection::vec(0..RESOURCES.len(), 1..3),
        ),
        proptest::collection::vec(0..CONDITIONS.len().max(DERIVED_CONDITIONS.len()), 0..3),
        0..PRINCIPALS.len(),
    )
        .prop_map(move |(allow, action, resource, conds, principal)| Stmt {
            allow,
            action,
            resource,
            conds,
            principal: resource_policy.then(|| vec![principal]),
        })
}

fn policy_text(stmts: &[Stmt]) -> String {
    let body: Vec<String> = stmts.iter().map(Stmt::json).collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        body.join(",")
    )
}

/// One generated case: the two policies' texts and the action of the `Action = X` query.
#[derive(Debug, Clone)]
struct Case {
    p1: String,
    p2: String,
    action: &'static str,
    /// Resource policies (with principals and derived-key conditions) instead of identity ones.
    resource_policy: bool,
}

/// `P2` keeps the statements of `P1` the mask selects and adds `extra`, so the pair is often
/// ordered (`P1 ⊆ P2` when everything is kept and nothing denied is added).
fn case(resource_policy: bool) -> impl Strategy<Value = Case> {
    (
        proptest::collection::vec(stmt(resource_policy), 1..4),
        proptest::collection::vec(proptest::bool::weighted(0.7), 3),
        proptest::collection::vec(stmt(resource_policy), 0..3),
        0..ACTION_VALUES.len(),
    )
        .prop_map(move |(s1, keep, extra, x)| {
            let mut s2: Vec<Stmt> = s1
                .iter()
                .zip(keep.iter().chain(std::iter::repeat(&true)))
                .filter(|(_, k)| **k)
                .map(|(s, _)| s.clone())
                .collect();
            s2.extend(extra);
            if s2.is_empty() {
                s2.push(s1[0].clone());
            }
            Case {
                p1: policy_text(&s1),
                p2: policy_text(&s2),
                action: ACTION_VALUES[x],
                resource_policy,
            }
        })
}

/// One engine's answers.
#[derive(Default)]
struct Row {
    sat: usize,
    unsat: usize,
    unknown: usize,
    /// Unknowns with the short limit (the native engine had a model).
    unknown_short: usize,
    time: Duration,
}

#[derive(Default)]
struct Tally {
    queries: usize,
    /// Per engine.
    answers: BTreeMap<&'static str, Row>,
    /// Native `Unknown`s: query name, reason, policies.
    native_unknown: Vec<String>,
    /// Native `Unsat` answers, and how many of them z3 or cvc5 confirmed.
    native_unsat: usize,
    native_unsat_confirmed: usize,
    /// The native `Unsat` answers neither z3 nor cvc5 confirmed.
    unconfirmed: Vec<String>,
    /// External `Unknown` reasons, first few.
    external_unknown: Vec<String>,
}

fn require_solvers() {
    for program in ["z3", "cvc5"] {
        let ok = Command::new(program)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            ok,
            "`{program}` is not on PATH: this test compares the native engine with z3 and cvc5 \
             (Debian/Ubuntu: apt-get install z3 cvc5)"
        );
    }
}

fn parse(text: &str, resource_policy: bool) -> Policy {
    let kind = if resource_policy {
        PolicyType::Resource
    } else {
        PolicyType::Identity
    };
    parse_policy(text, kind)
        .unwrap_or_else(|e| panic!("generated policy does not parse: {e}\n{text}"))
}

fn action_is(x: &str) -> Formula {
    Formula::matches(
        Var::Action,
        PatternSet::new(MatchMode::Action, vec![Glob::parse_wildcards(x)]),
    )
}

/// The query as the checks ask it: derived keys replaced by tests of the principal (equivalent
/// under the axioms), with the axioms.
fn with_axioms(f: Formula) -> Formula {
    let f = derive_principal_keys(&f);
    let ax = request_axioms(&f.vars());
    Formula::and2(f, ax)
}

/// Runs one engine with a limit; the answer and the time it took.
fn run(backend: Backend, q: &Formula, timeout: Duration) -> (Outcome, Duration) {
    let opts = SolveOptions {
        backend,
        timeout,
        ..SolveOptions::default()
    };
    let start = Instant::now();
    let outcome = solve(q, &opts);
    (outcome, start.elapsed())
}

fn check_case(c: &Case, tally: &RefCell<Tally>) -> Result<(), TestCaseError> {
    let (p1, p2) = (
        parse(&c.p1, c.resource_policy),
        parse(&c.p2, c.resource_policy),
    );
    let a1 = encode_policy(&p1)
        .map_err(|e| TestCaseError::fail(format!("P1 does not encode: {e}")))?
        .allows();
    let a2 = encode_policy(&p2)
        .map_err(|e| TestCaseError::fail(format!("P2 does not encode: {e}")))?
        .allows();
    let queries = [
        (
            "P1 ∧ ¬P2",
            with_axioms(Formula::and2(a1.clone(), Formula::not(a2.clone()))),
        ),
        (
            "P2 ∧ ¬P1",
            with_axioms(Formula::and2(a2.clone(), Formula::not(a1.clone()))),
        ),
        (
            "P1 ∧ Action = X",
            with_axioms(Formula::and2(a1.clone(), action_is(c.action))),
        ),
    ];
    let about = format!("P1 = {}\nP2 = {}\nX = {}", c.p1, c.p2, c.action);
    for (name, q) in &queries {
        tally.borrow_mut().queries += 1;
        let mut sat_by = Vec::new();
        let mut unsat_by = Vec::new();
        // Native first. Its model is checked below, so when it has one the external engines
        // only get a short limit: enough for their quick `unsat` (which would contradict it),
        // not for their slow model search. Otherwise they get the full limit, to find a model
        // refuting a wrong native `Unsat`. z3 and cvc5 run side by side.
        let native = run(Backend::Native, q, LIMIT);
        let (limit, short) = if matches!(native.0, Outcome::Sat(_)) {
            (CONFIRM_LIMIT, true)
        } else {
            (LIMIT, false)
        };
        let (z3, cvc5) = std::thread::scope(|scope| {
            let z3 = scope.spawn(|| run(Backend::Z3, q, limit));
            let cvc5 = run(Backend::Cvc5, q, limit);
            (z3.join().expect("the z3 thread panicked"), cvc5)
        });
        let answers = [
            (Backend::Native, "native", native),
            (Backend::Z3, "z3", z3),
            (Backend::Cvc5, "cvc5", cvc5),
        ];
        for (backend, engine, (outcome, took)) in answers {
            if std::env::var_os("IAMPROOF_DIFF_VERBOSE").is_some() {
                let kind = match &outcome {
                    Outcome::Sat(_) => "sat".to_string(),
                    Outcome::Unsat => "unsat".to_string(),
                    Outcome::Unknown(w) => format!("unknown ({w})"),
                };
                eprintln!("{name} {engine}: {kind} in {took:?}");
            }
            let mut t = tally.borrow_mut();
            let row = t.answers.entry(engine).or_default();
            row.time += took;
            match outcome {
                Outcome::Sat(m) => {
                    row.sat += 1;
                    drop(t);
                    let r = m.to_request();
                    prop_assert!(
                        q.eval(&r),
                        "{engine}: the model of {name} does not satisfy it: {r:?}\n{about}"
                    );
                    for (label, p, a) in [("P1", &p1, &a1), ("P2", &p2, &a2)] {
                        let concrete = iamproof_eval::evaluate_policy(p, &r).allows();
                        prop_assert_eq!(
                            concrete,
                            a.eval(&r),
                            "{}: on the model of {} the evaluator says {} allows = {}, the formula the opposite: {:?}\n{}",
                            engine, name, label, concrete, r, about
                        );
                    }
                    sat_by.push(engine);
                }
                Outcome::Unsat => {
                    row.unsat += 1;
                    unsat_by.push(engine);
                }
                Outcome::Unknown(why) => {
                    row.unknown += 1;
                    if short {
                        row.unknown_short += 1;
                    }
                    if backend == Backend::Native {
                        t.native_unknown
                            .push(format!("{name} ({why}) after {took:?}\n{about}"));
                    } else if t.external_unknown.len() < 5 {
                        t.external_unknown.push(format!("{engine} {name}: {why}"));
                    }
                }
            }
        }
        if unsat_by.contains(&"native") {
            let mut t = tally.borrow_mut();
            t.native_unsat += 1;
            if unsat_by.len() > 1 {
                t.native_unsat_confirmed += 1;
            } else {
                t.unconfirmed.push(format!("{name}\n{about}"));
            }
        }
        prop_assert!(
            sat_by.is_empty() || unsat_by.is_empty(),
            "{name}: sat by {sat_by:?}, unsat by {unsat_by:?}\n{about}"
        );
    }
    Ok(())
}

#[test]
fn native_z3_and_cvc5_agree_on_check_queries() {
    differential(false, CASES);
}

/// Resource policies with principals and conditions on the keys AWS derives from the principal
/// (`aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:PrincipalType`), such as `Principal:
/// 111122223333` with `StringNotEquals aws:PrincipalAccount 111122223333`.
#[test]
fn native_z3_and_cvc5_agree_on_principal_derived_keys() {
    differential(true, RESOURCE_CASES);
}

/// Generated resource-policy cases.
const RESOURCE_CASES: u32 = 24;

fn differential(resource_policy: bool, cases: u32) {
    require_solvers();
    let config = Config {
        cases: std::env::var("IAMPROOF_DIFF_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(cases),
        failure_persistence: None,
        max_shrink_iters: 64,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let tally = RefCell::new(Tally::default());
    let start = Instant::now();
    let result = runner.run(&case(resource_policy), |c| check_case(&c, &tally));
    let t = tally.into_inner();
    println!(
        "differential ({} policies): {} queries in {:?}",
        if resource_policy {
            "resource"
        } else {
            "identity"
        },
        t.queries,
        start.elapsed()
    );
    for (engine, r) in &t.answers {
        let short = if *engine == "native" {
            String::new()
        } else {
            format!(
                " ({} of them with the {CONFIRM_LIMIT:?} limit after a native model)",
                r.unknown_short
            )
        };
        println!(
            "  {engine}: {} sat, {} unsat, {} unknown/timeout{short}, {:?} in all",
            r.sat, r.unsat, r.unknown, r.time
        );
    }
    println!(
        "  native Unsat confirmed by z3 or cvc5: {} of {}",
        t.native_unsat_confirmed, t.native_unsat
    );
    for u in &t.unconfirmed {
        println!("UNCONFIRMED native Unsat: {u}\n");
    }
    for u in &t.external_unknown {
        println!("  external unknown: {u}");
    }
    for u in &t.native_unknown {
        println!("NATIVE UNKNOWN {u}\n");
    }
    match result {
        Ok(()) => {}
        Err(TestError::Fail(why, c)) => {
            panic!(
                "{why}\nminimal case: P1 = {}\nP2 = {}\nX = {}",
                c.p1, c.p2, c.action
            )
        }
        Err(e) => panic!("{e}"),
    }
    // (`saturating_sub`: the bound may be 0.)
    assert_eq!(
        t.native_unknown.len().saturating_sub(MAX_NATIVE_UNKNOWN),
        0,
        "{} native Unknowns (bound {MAX_NATIVE_UNKNOWN}), listed above",
        t.native_unknown.len()
    );
}
