//! Pinpointing, the per-check time limit and example simplification.
//!
//! * The statements a FAIL names are compared with an independent per-statement computation:
//!   statement `i` is responsible iff the same check FAILs on the policy made of statement `i`
//!   and every `Deny` of the policy (`applies_i ∧ ¬deny ∧ X` is exactly that policy's query).
//! * Pinpointing asks the solver only about statements no replayed witness covers yet, and
//!   not about statements the property excludes on sight (shared by both versions).
//! * `CheckOptions::timeout` bounds the whole check; running out gives FAIL, never PASS.
//! * Example requests drop the context keys they do not need and, for identity policies, show a
//!   readable user principal, without changing any verdict.

use iamproof_checks::{
    check_access_not_granted, check_access_not_granted_with, check_no_external_access,
    check_no_new_access, check_no_new_access_with, AccessSpec, CheckOptions, CheckResult, Engine,
    PoolEngine, ResourceType, SolveAnswer, SolverEngine, TrustZone, Verdict,
};
use iamproof_eval::{evaluate_policy, Context, ContextValue, Principal, Request};
use iamproof_logic::Formula;
use iamproof_policy::{parse_policy, Policy, PolicyType};
use std::cell::Cell;
use std::time::{Duration, Instant};

fn policy(text: &str, t: PolicyType) -> Policy {
    match parse_policy(text, t) {
        Ok(p) => p,
        Err(e) => panic!("test policy does not parse: {e}\n{text}"),
    }
}

fn doc(statements: &[serde_json::Value]) -> String {
    serde_json::json!({"Version": "2012-10-17", "Statement": statements}).to_string()
}

fn statements(text: &str) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    v["Statement"].as_array().unwrap().clone()
}

fn opts() -> CheckOptions {
    CheckOptions {
        timeout: Duration::from_secs(20),
        ..CheckOptions::default()
    }
}

fn indices(r: &CheckResult) -> Vec<usize> {
    r.reasons.iter().filter_map(|x| x.statement_index).collect()
}

/// Every reason's example is allowed by `p` through the statement it is shown for, and the
/// result is decided (no unknown, no internal error).
fn assert_sane(r: &CheckResult, p: &Policy) {
    assert!(r.internal_error.is_none(), "{}", r.to_json());
    assert!(r.unknown_reason.is_none(), "{}", r.to_json());
    for reason in &r.reasons {
        let (Some(i), Some(w)) = (reason.statement_index, &reason.example_request) else {
            panic!("reason without statement or example: {}", r.to_json());
        };
        let ev = evaluate_policy(p, w);
        assert!(ev.allows(), "{}", r.to_json());
        assert!(
            ev.allow.iter().any(|m| m.statement_index == i),
            "{}",
            r.to_json()
        );
    }
}

/// For each Allow statement `i` of `text`: whether `check` FAILs on the policy made of
/// statement `i` and every Deny of `text`.
fn independent(text: &str, t: PolicyType, check: &dyn Fn(&Policy) -> CheckResult) -> Vec<usize> {
    let all = statements(text);
    let denies: Vec<serde_json::Value> = all
        .iter()
        .filter(|s| s["Effect"] == "Deny")
        .cloned()
        .collect();
    let mut out = Vec::new();
    for (i, st) in all.iter().enumerate() {
        if st["Effect"] != "Allow" {
            continue;
        }
        let mut one = vec![st.clone()];
        one.extend(denies.iter().cloned());
        let p = policy(&doc(&one), t);
        let r = check(&p);
        assert!(r.unknown_reason.is_none(), "{}", r.to_json());
        if r.result == Verdict::Fail {
            out.push(i);
        }
    }
    out
}

/// An identity policy whose statements overlap, miss, and are partly denied.
const IDENTITY: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::data/*"},
  {"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::data/*",
   "Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}},
  {"Effect":"Allow","Action":"ec2:StartInstances","Resource":"*"},
  {"Sid":"Logs","Effect":"Allow","Action":"logs:*","Resource":"*",
   "Condition":{"Bool":{"aws:SecureTransport":"true"}}},
  {"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::data/tmp/*"},
  {"Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::data/tmp/keep/*"},
  {"Effect":"Allow","Action":["iam:PassRole","iam:GetRole"],"Resource":"arn:aws:iam::*:role/app-*"},
  {"Effect":"Allow","Action":"s3:DeleteBucket","Resource":"*"},
  {"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}
]}"#;

/// The existing policy for the no-new-access comparison.
const IDENTITY_OLD: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"},
  {"Effect":"Allow","Action":"ec2:*","Resource":"*"},
  {"Effect":"Allow","Action":"logs:*","Resource":"*"}
]}"#;

/// A resource policy with several principals.
const RESOURCE: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/reader"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
  {"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b",
   "Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abcdefghij"}}},
  {"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*",
   "Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}},
  {"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/public/*"},
  {"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/public/secret*"}
]}"#;

#[test]
fn access_not_granted_names_exactly_the_independently_responsible_statements() {
    let p = policy(IDENTITY, PolicyType::Identity);
    let mut seen = Vec::new();
    for access in [
        r#"[{"actions":["s3:DeleteObject"]}]"#,
        r#"[{"actions":["s3:*"]}]"#,
        r#"[{"actions":["*"]}]"#,
        r#"[{"actions":["iam:PassRole"],"resources":["arn:aws:iam::123456789012:role/app-web"]}]"#,
        r#"[{"resources":["arn:aws:s3:::data/tmp/x"]}]"#,
        r#"[{"actions":["s3:DeleteBucket"]}]"#,
    ] {
        let a = AccessSpec::from_json(access).unwrap();
        let check = |p: &Policy| check_access_not_granted(p, &a, &opts());
        let r = check(&p);
        assert_sane(&r, &p);
        let want = independent(IDENTITY, PolicyType::Identity, &check);
        assert_eq!(indices(&r), want, "{access}: {}", r.to_json());
        assert_eq!(r.result == Verdict::Fail, !want.is_empty(), "{access}");
        seen.push(want);
    }
    // The cases are not trivial: overlapping, conditional and denied statements.
    assert_eq!(seen[0], vec![1, 4], "s3:DeleteObject");
    assert_eq!(seen[2], vec![0, 1, 2, 3, 4, 6], "*");
    assert!(seen[5].is_empty(), "s3:DeleteBucket is denied");
}

#[test]
fn no_new_access_names_exactly_the_independently_responsible_statements() {
    let old = policy(IDENTITY_OLD, PolicyType::Identity);
    let new = policy(IDENTITY, PolicyType::Identity);
    let check = |p: &Policy| check_no_new_access(&old, p, &opts());
    let r = check(&new);
    assert_sane(&r, &new);
    let want = independent(IDENTITY, PolicyType::Identity, &check);
    assert_eq!(indices(&r), want, "{}", r.to_json());
    // The old policy's own statements grant nothing new over the new one's s3:* statement 1
    // only under a condition; check the reverse direction too.
    let check = |p: &Policy| check_no_new_access(&new, p, &opts());
    let r = check(&old);
    assert_sane(&r, &old);
    let want = independent(IDENTITY_OLD, PolicyType::Identity, &check);
    assert_eq!(indices(&r), want, "{}", r.to_json());
}

#[test]
fn external_access_names_exactly_the_independently_responsible_statements() {
    let p = policy(RESOURCE, PolicyType::Resource);
    for trusted in [
        TrustZone::new(vec!["111122223333".into()], vec![]).unwrap(),
        TrustZone::new(
            vec!["111122223333".into(), "444455556666".into()],
            vec!["o-abcdefghij".into()],
        )
        .unwrap(),
    ] {
        let check =
            |p: &Policy| check_no_external_access(p, ResourceType::S3Bucket, &trusted, &opts());
        let r = check(&p);
        assert_sane(&r, &p);
        let want = independent(RESOURCE, PolicyType::Resource, &check);
        assert_eq!(indices(&r), want, "{trusted:?}: {}", r.to_json());
    }
}

/// Counts the solver calls of the default engine.
struct Counting {
    inner: SolverEngine,
    calls: Cell<usize>,
}

impl Engine for Counting {
    fn name(&self) -> String {
        self.inner.name()
    }
    fn solve(&self, f: &Formula) -> SolveAnswer {
        self.calls.set(self.calls.get() + 1);
        self.inner.solve(f)
    }
    fn time_limit(&self) -> Option<Duration> {
        self.inner.time_limit()
    }
    fn solve_within(&self, f: &Formula, limit: Duration) -> SolveAnswer {
        self.calls.set(self.calls.get() + 1);
        self.inner.solve_within(f, limit)
    }
}

#[test]
fn statements_a_witness_already_shows_are_not_asked_again() {
    // Five statements that all grant s3:GetObject on every object: the first witness shows
    // them all, so pinpointing asks nothing.
    let st = |sid: &str| serde_json::json!({"Sid": sid, "Effect": "Allow", "Action": ["s3:GetObject", "s3:List*"], "Resource": "*"});
    let text = doc(&["A", "B", "C", "D", "E"].map(st));
    let p = policy(&text, PolicyType::Identity);
    let a = AccessSpec::from_json(r#"[{"actions":["s3:GetObject"]}]"#).unwrap();
    let engine = Counting {
        inner: SolverEngine { options: opts() },
        calls: Cell::new(0),
    };
    let r = check_access_not_granted_with(&p, &a, &engine);
    assert_sane(&r, &p);
    assert_eq!(indices(&r), vec![0, 1, 2, 3, 4]);
    // The decision query (plus, at most, its re-ask with the request axioms).
    assert!(engine.calls.get() <= 2, "{} calls", engine.calls.get());

    // Disjoint statements: one query per statement the first witness does not show.
    let text = doc(&[
        serde_json::json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}),
        serde_json::json!({"Effect": "Allow", "Action": "ec2:StartInstances", "Resource": "*"}),
        serde_json::json!({"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}),
    ]);
    let p = policy(&text, PolicyType::Identity);
    let a = AccessSpec::from_json(r#"[{"actions":["*"]}]"#).unwrap();
    let engine = Counting {
        inner: SolverEngine { options: opts() },
        calls: Cell::new(0),
    };
    let r = check_access_not_granted_with(&p, &a, &engine);
    assert_sane(&r, &p);
    assert_eq!(indices(&r), vec![0, 1, 2]);
    // Statements 1 and 2 are shown by the first witness with their own action: no call.
    assert!(engine.calls.get() <= 2, "{} calls", engine.calls.get());
}

#[test]
fn statements_both_versions_share_are_not_asked() {
    let get = serde_json::json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"});
    let start = serde_json::json!({"Effect": "Allow", "Action": "ec2:Start*", "Resource": "*"});
    let logs =
        serde_json::json!({"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"});
    let new_text = doc(&[get.clone(), start.clone(), logs]);
    let new = policy(&new_text, PolicyType::Identity);
    let old = policy(&doc(&[start.clone(), get.clone()]), PolicyType::Identity);
    let engine = Counting {
        inner: SolverEngine { options: opts() },
        calls: Cell::new(0),
    };
    let r = check_no_new_access_with(&old, &new, &engine);
    assert_sane(&r, &new);
    assert_eq!(indices(&r), vec![2]);
    // The decision query (plus, at most, its re-ask): statements 0 and 1 are in the existing
    // policy word for word, so `applies_i ∧ ¬existing.allows` is unsatisfiable on sight.
    assert!(engine.calls.get() <= 2, "{} calls", engine.calls.get());

    // With a Deny in the existing policy a shared statement may grant new access (what the
    // existing policy denies): those statements are asked, and the answer is the independent one.
    let deny = serde_json::json!({"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::secret/*"});
    let old = policy(&doc(&[start, get, deny]), PolicyType::Identity);
    let check = |p: &Policy| check_no_new_access(&old, p, &opts());
    let r = check(&new);
    assert_sane(&r, &new);
    assert_eq!(indices(&r), vec![0, 2], "{}", r.to_json());
    assert_eq!(
        indices(&r),
        independent(&new_text, PolicyType::Identity, &check)
    );
}

#[test]
fn a_zero_time_limit_fails_saying_the_time_limit_was_reached() {
    let p = policy(IDENTITY_OLD, PolicyType::Identity);
    let zero = CheckOptions {
        timeout: Duration::ZERO,
        ..CheckOptions::default()
    };
    // Identical policies: the true answer is PASS, but nothing was proven.
    let r = check_no_new_access(&p, &p, &zero);
    assert_eq!(r.result, Verdict::Fail, "{}", r.to_json());
    let why = r.unknown_reason.as_deref().unwrap_or("");
    assert!(why.contains("time limit of the check"), "{why}");
    assert!(why.contains("was reached"), "{why}");
    assert!(r.reasons[0].description.contains("could not be completed"));
    assert_eq!(r.reasons[0].statement_index, None);
}

#[test]
fn a_tiny_time_limit_never_gives_an_unproven_pass() {
    let old = policy(IDENTITY_OLD, PolicyType::Identity);
    let new = policy(IDENTITY, PolicyType::Identity);
    for ms in [1, 3, 10] {
        let tiny = CheckOptions {
            timeout: Duration::from_millis(ms),
            ..CheckOptions::default()
        };
        let started = Instant::now();
        // The true answer is FAIL: it must stay FAIL.
        let r = check_no_new_access(&old, &new, &tiny);
        assert_eq!(r.result, Verdict::Fail, "{}", r.to_json());
        assert!(r.internal_error.is_none(), "{}", r.to_json());
        // The true answer is PASS: a PASS must be a proof found in time, anything else says the
        // time limit was reached.
        let r = check_no_new_access(&new, &new, &tiny);
        if r.result == Verdict::Fail {
            let why = r.unknown_reason.as_deref().unwrap_or("");
            assert!(why.contains("time limit"), "{ms} ms: {}", r.to_json());
        }
        // Generous bound for a loaded machine: far below the default 30 s per call.
        assert!(started.elapsed() < Duration::from_secs(5), "{ms} ms");
    }
}

/// An engine whose calls take a fixed time per answer (by the action of the request the pool
/// gives): a call given less time answers `Unknown` when its time runs out, like a solver.
struct Slow {
    pool: PoolEngine,
    cost: fn(&str) -> Duration,
    limit: Duration,
}

impl Engine for Slow {
    fn name(&self) -> String {
        "slow".into()
    }
    fn solve(&self, f: &Formula) -> SolveAnswer {
        self.solve_within(f, Duration::from_secs(3600))
    }
    fn time_limit(&self) -> Option<Duration> {
        Some(self.limit)
    }
    fn solve_within(&self, f: &Formula, limit: Duration) -> SolveAnswer {
        let answer = self.pool.solve(f);
        let cost = match &answer {
            SolveAnswer::Sat(r) => (self.cost)(&r.action),
            _ => Duration::from_millis(1),
        };
        if cost > limit {
            std::thread::sleep(limit);
            return SolveAnswer::Unknown(format!("timeout after {limit:?}"));
        }
        std::thread::sleep(cost);
        answer
    }
}

fn ten_services() -> (Policy, PoolEngine) {
    let services = ["s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9"];
    let sts: Vec<serde_json::Value> = services
        .iter()
        .map(|s| {
            // The condition keeps one statement's witness from being rebuilt for another
            // without the engine.
            serde_json::json!({"Effect": "Allow", "Action": format!("{s}:Act"), "Resource": "*",
                "Condition": {"StringEquals": {"aws:RequestTag/k": *s}}})
        })
        .collect();
    let p = policy(&doc(&sts), PolicyType::Identity);
    // The first query is answered with s1's request.
    let mut order = vec!["s1"];
    order.extend(services.iter().filter(|s| **s != "s1"));
    let pool = order
        .iter()
        .map(|s| Request {
            principal: Principal::Arn("arn:aws:iam::111122223333:user/dev".into()),
            action: format!("{s}:Act"),
            resource: "*".into(),
            resource_account: None,
            context: {
                let mut c = Context::new();
                c.insert("aws:RequestTag/k", one(s));
                c
            },
        })
        .collect();
    (p, PoolEngine { pool })
}

#[test]
fn the_time_limit_bounds_the_whole_check_not_each_call() {
    let (p, pool) = ten_services();
    let a = AccessSpec::from_json(r#"[{"actions":["*"]}]"#).unwrap();
    // Every call takes 100 ms; the check may take 250 ms: ten calls cannot all be made.
    let engine = Slow {
        pool,
        cost: |_| Duration::from_millis(100),
        limit: Duration::from_millis(250),
    };
    let started = Instant::now();
    let r = check_access_not_granted_with(&p, &a, &engine);
    let took = started.elapsed();
    assert_eq!(r.result, Verdict::Fail, "{}", r.to_json());
    assert!(r.internal_error.is_none(), "{}", r.to_json());
    // Before, each call had the limit, so all ten calls ran (1 s).
    assert!(took < Duration::from_millis(700), "took {took:?}");
    let why = r.unknown_reason.as_deref().unwrap_or("");
    assert!(
        why.contains("the time limit of the check (250 ms) was reached"),
        "{why}"
    );
    // Every statement is either named or listed as undecided.
    let named = indices(&r);
    assert!(named.contains(&1), "{}", r.to_json());
    for i in 0..10 {
        assert!(
            named.contains(&i) || why.contains(&i.to_string()),
            "statement {i}: {}",
            r.to_json()
        );
    }
}

#[test]
fn one_hard_statement_does_not_starve_the_others() {
    let (p, pool) = ten_services();
    let a = AccessSpec::from_json(r#"[{"actions":["*"]}]"#).unwrap();
    // Statement 0 needs 10 s, the others 1 ms; the check may take 300 ms.
    let engine = Slow {
        pool,
        cost: |action| {
            if action == "s0:Act" {
                Duration::from_secs(10)
            } else {
                Duration::from_millis(1)
            }
        },
        limit: Duration::from_millis(300),
    };
    let started = Instant::now();
    let r = check_access_not_granted_with(&p, &a, &engine);
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(r.result, Verdict::Fail);
    assert_eq!(indices(&r), (1..10).collect::<Vec<_>>(), "{}", r.to_json());
    assert_eq!(
        r.unknown_reason.as_deref(),
        Some("whether these statements also grant the access could not be decided: statement 0: the time limit of the check (300 ms) was reached"),
        "{}",
        r.to_json()
    );
}

fn req(principal: &str, action: &str, resource: &str, keys: &[(&str, ContextValue)]) -> Request {
    let mut context = Context::new();
    for (k, v) in keys {
        context.insert(k, v.clone());
    }
    Request {
        principal: Principal::Arn(principal.into()),
        action: action.into(),
        resource: resource.into(),
        resource_account: None,
        context,
    }
}

fn one(v: &str) -> ContextValue {
    ContextValue::Single(v.into())
}

fn many(vs: &[&str]) -> ContextValue {
    ContextValue::Multi(vs.iter().map(|v| v.to_string()).collect())
}

#[test]
fn examples_drop_the_keys_they_do_not_need_and_show_a_user() {
    let p = policy(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
            "Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"},
                         "ForAnyValue:StringEquals":{"aws:TagKeys":"team"}}}]}"#,
        PolicyType::Identity,
    );
    let noisy = req(
        "arn:aws:iam::000000000000:root",
        "s3:GetObject",
        "*",
        &[
            ("aws:RequestedRegion", one("eu-west-1")),
            ("aws:SourceIp", one("192.0.2.1")),
            ("aws:TagKeys", many(&["a", "team", "b"])),
            ("aws:PrincipalAccount", one("000000000000")),
        ],
    );
    let a = AccessSpec::from_json(r#"[{"actions":["s3:GetObject"]}]"#).unwrap();
    let r = check_access_not_granted_with(&p, &a, &PoolEngine { pool: vec![noisy] });
    assert_eq!(r.result, Verdict::Fail);
    assert!(r.internal_error.is_none(), "{}", r.to_json());
    let w = r.reasons[0].example_request.as_ref().unwrap();
    assert_eq!(
        w.principal,
        Principal::Arn("arn:aws:iam::111122223333:user/example".into())
    );
    let keys: Vec<(&str, &ContextValue)> = w.context.iter().collect();
    assert_eq!(
        keys,
        vec![
            ("aws:RequestedRegion", &one("eu-west-1")),
            ("aws:TagKeys", &many(&["team"])),
        ],
        "{}",
        r.to_json()
    );
    assert!(evaluate_policy(&p, w).allows());
}

#[test]
fn examples_keep_what_a_verdict_depends_on() {
    // The principal is named by a condition: it stays.
    let p = policy(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
            "Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}]}"#,
        PolicyType::Identity,
    );
    let w0 = req("arn:aws:iam::000000000000:root", "s3:GetObject", "*", &[]);
    let a = AccessSpec::from_json(r#"[{"actions":["s3:GetObject"]}]"#).unwrap();
    let r = check_access_not_granted_with(&p, &a, &PoolEngine { pool: vec![w0] });
    let w = r.reasons[0].example_request.as_ref().unwrap();
    assert_eq!(
        w.principal,
        Principal::Arn("arn:aws:iam::000000000000:root".into())
    );

    // No new access: the key that keeps the existing policy from allowing stays.
    let old = policy(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
            "Condition":{"Null":{"aws:SourceVpc":"true"}}}]}"#,
        PolicyType::Identity,
    );
    let new = policy(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
        PolicyType::Identity,
    );
    let w0 = req(
        "arn:aws:iam::000000000000:root",
        "s3:GetObject",
        "*",
        &[
            ("aws:SourceVpc", one("vpc-1")),
            ("aws:SecureTransport", one("true")),
        ],
    );
    let r = check_no_new_access_with(&old, &new, &PoolEngine { pool: vec![w0] });
    assert_eq!(r.result, Verdict::Fail);
    assert!(r.internal_error.is_none(), "{}", r.to_json());
    let w = r.reasons[0].example_request.as_ref().unwrap();
    let keys: Vec<&str> = w.context.iter().map(|(k, _)| k).collect();
    assert_eq!(keys, vec!["aws:SourceVpc"], "{}", r.to_json());
    assert!(!evaluate_policy(&old, w).allows());
    assert!(evaluate_policy(&new, w).allows());

    // A ${aws:username} resource ties the resource to the principal: the principal stays.
    let p = policy(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",
            "Resource":"arn:aws:s3:::home/${aws:username}/*"}]}"#,
        PolicyType::Identity,
    );
    let w0 = req(
        "arn:aws:iam::000000000000:user/alice",
        "s3:GetObject",
        "arn:aws:s3:::home/alice/x",
        &[],
    );
    let r = check_access_not_granted_with(&p, &a, &PoolEngine { pool: vec![w0] });
    assert!(r.internal_error.is_none(), "{}", r.to_json());
    let w = r.reasons[0].example_request.as_ref().unwrap();
    assert_eq!(
        w.principal,
        Principal::Arn("arn:aws:iam::000000000000:user/alice".into())
    );
}

#[test]
fn solver_examples_for_identity_policies_show_a_user() {
    let p = policy(IDENTITY, PolicyType::Identity);
    let a = AccessSpec::from_json(r#"[{"actions":["ec2:StartInstances"]}]"#).unwrap();
    let r = check_access_not_granted(&p, &a, &opts());
    assert_sane(&r, &p);
    let w = r.reasons[0].example_request.as_ref().unwrap();
    assert_eq!(
        w.principal,
        Principal::Arn("arn:aws:iam::111122223333:user/example".into()),
        "{}",
        r.to_json()
    );
    assert!(w.context.is_empty(), "{}", r.to_json());
}

/// The solver engine, counting the questions asked through its session apart from the others.
struct SessionCounting {
    inner: SolverEngine,
    fresh: Cell<usize>,
    in_session: std::rc::Rc<Cell<usize>>,
}

struct CountedSession<'a> {
    inner: Box<dyn iamproof_checks::Session + 'a>,
    count: std::rc::Rc<Cell<usize>>,
}

impl iamproof_checks::Session for CountedSession<'_> {
    fn solve_with(&mut self, extra: &Formula, limit: Option<Duration>) -> SolveAnswer {
        self.count.set(self.count.get() + 1);
        self.inner.solve_with(extra, limit)
    }
}

impl Engine for SessionCounting {
    fn name(&self) -> String {
        self.inner.name()
    }
    fn solve(&self, f: &Formula) -> SolveAnswer {
        self.fresh.set(self.fresh.get() + 1);
        self.inner.solve(f)
    }
    fn time_limit(&self) -> Option<Duration> {
        self.inner.time_limit()
    }
    fn solve_within(&self, f: &Formula, limit: Duration) -> SolveAnswer {
        self.fresh.set(self.fresh.get() + 1);
        self.inner.solve_within(f, limit)
    }
    fn session<'a>(&'a self, base: &Formula) -> Box<dyn iamproof_checks::Session + 'a> {
        Box::new(CountedSession {
            inner: self.inner.session(base),
            count: self.in_session.clone(),
        })
    }
}

/// Pinpointing asks every statement through one engine session (the incremental engine), not
/// as fresh questions: only the decision query (and, at most, its re-ask with the request
/// axioms) is asked outside it.
#[test]
fn pinpointing_asks_through_the_engine_session() {
    // Wildcard actions: no cheap candidate, so every statement is a question.
    let text = doc(&[
        serde_json::json!({"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}),
        serde_json::json!({"Effect": "Allow", "Action": "ec2:Start*", "Resource": "*"}),
        serde_json::json!({"Effect": "Allow", "Action": "logs:Put*", "Resource": "*"}),
    ]);
    let p = policy(&text, PolicyType::Identity);
    let a = AccessSpec::from_json(r#"[{"actions":["*"]}]"#).unwrap();
    let engine = SessionCounting {
        inner: SolverEngine { options: opts() },
        fresh: Cell::new(0),
        in_session: std::rc::Rc::new(Cell::new(0)),
    };
    let r = check_access_not_granted_with(&p, &a, &engine);
    assert_sane(&r, &p);
    assert_eq!(indices(&r), vec![0, 1, 2]);
    assert!(
        engine.fresh.get() <= 2,
        "{} fresh calls",
        engine.fresh.get()
    );
    assert!(
        engine.in_session.get() >= 2,
        "{} session questions",
        engine.in_session.get()
    );
}
