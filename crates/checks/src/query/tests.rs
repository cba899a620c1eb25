//! Tests of the check core: broken engines, witness repair, pinpointing and examples.

use super::*;
use crate::access::AccessSpec;
use crate::access_not_granted::{access_formula, access_matches, check_access_not_granted_with};
use crate::engine::PoolEngine;
use crate::no_new_access::check_no_new_access_with;
use crate::result::Verdict;
use iamproof_eval::Context;
use iamproof_policy::{parse_policy, PolicyType};

/// Answers `Sat` with the same request, whatever the formula: a broken engine.
struct LyingEngine(Request);
impl Engine for LyingEngine {
    fn name(&self) -> String {
        "lying".into()
    }
    fn solve(&self, _: &Formula) -> SolveAnswer {
        SolveAnswer::Sat(self.0.clone())
    }
}

struct UnknownEngine;
impl Engine for UnknownEngine {
    fn name(&self) -> String {
        "unknown".into()
    }
    fn solve(&self, _: &Formula) -> SolveAnswer {
        SolveAnswer::Unknown("timeout after 1 s".into())
    }
}

fn req(principal: &str, action: &str, resource: &str) -> Request {
    Request {
        principal: Principal::Arn(principal.into()),
        action: action.into(),
        resource: resource.into(),
        resource_account: None,
        context: Context::new(),
    }
}

const DEV_POLICY: &str = r#"{
   "Version": "2012-10-17",
   "Statement": [
  {
     "Effect": "Allow",
     "Action": [
        "ec2:DescribeInstance*",
        "ec2:StartInstances",
        "ec2:StopInstances"
     ],
     "Resource": "arn:aws:ec2:*:*:instance/*"
  },
  {
     "Effect": "Allow",
     "Action": [
        "s3:GetObject*",
        "s3:PutObject",
        "s3:DeleteBucket"
     ],
     "Resource": "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"
  }
   ]
}"#;

fn pool() -> PoolEngine {
    let who = "arn:aws:iam::111122223333:user/dev";
    PoolEngine {
        pool: vec![
            req(
                who,
                "ec2:StartInstances",
                "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
            ),
            req(who, "s3:GetObject", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/k"),
            req(who, "s3:DeleteBucket", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/k"),
            req(who, "s3:DeleteBucket", "arn:aws:s3:::DOC-EXAMPLE-BUCKET"),
        ],
    }
}

#[test]
fn access_not_granted_pinpoints_the_seed_statement() {
    let p = parse_policy(DEV_POLICY, PolicyType::Identity).unwrap();
    let access = AccessSpec::new(vec!["s3:DeleteBucket".into()], vec![]).unwrap();
    let r = check_access_not_granted_with(&p, &access, &pool());
    assert_eq!(r.result, Verdict::Fail);
    assert!(r.internal_error.is_none(), "{:?}", r.internal_error);
    assert_eq!(r.reasons.len(), 1);
    assert_eq!(r.reasons[0].statement_index, Some(1));
    assert_eq!(
        r.reasons[0].description,
        "One or more of the listed actions in the statement with index: 1."
    );
    let w = r.reasons[0].example_request.as_ref().unwrap();
    assert_eq!(w.action, "s3:DeleteBucket");
    assert!(evaluate_policy(&p, w).allows());
}

#[test]
fn a_witness_that_does_not_replay_is_an_internal_error_never_a_pass() {
    let p = parse_policy(DEV_POLICY, PolicyType::Identity).unwrap();
    let access = AccessSpec::new(vec!["s3:DeleteBucket".into()], vec![]).unwrap();
    // Not allowed by the policy at all.
    let liar = LyingEngine(req("arn:aws:iam::1:user/x", "iam:CreateUser", "*"));
    let r = check_access_not_granted_with(&p, &access, &liar);
    assert_eq!(r.result, Verdict::Fail);
    assert!(r.internal_error.is_some());
    assert!(r
        .reasons
        .iter()
        .any(|x| x.description.contains("Internal disagreement")));
    // Allowed, but not one of the listed actions.
    let liar = LyingEngine(req(
        "arn:aws:iam::1:user/x",
        "s3:GetObject",
        "arn:aws:s3:::DOC-EXAMPLE-BUCKET/k",
    ));
    let r = check_access_not_granted_with(&p, &access, &liar);
    assert_eq!(r.result, Verdict::Fail);
    assert!(r
        .internal_error
        .as_deref()
        .unwrap_or("")
        .contains("not one of the listed"));
}

#[test]
fn an_undecided_engine_gives_fail_with_a_could_not_complete_reason() {
    let p = parse_policy(DEV_POLICY, PolicyType::Identity).unwrap();
    let access = AccessSpec::new(vec!["s3:DeleteBucket".into()], vec![]).unwrap();
    let r = check_access_not_granted_with(&p, &access, &UnknownEngine);
    assert_eq!(r.result, Verdict::Fail);
    assert_eq!(r.unknown_reason.as_deref(), Some("timeout after 1 s"));
    assert!(r.reasons[0].description.contains("could not be completed"));
    assert_eq!(r.reasons[0].statement_index, None);
}

#[test]
fn no_new_access_replays_against_the_existing_policy() {
    let old = parse_policy(DEV_POLICY, PolicyType::Identity).unwrap();
    let new = old.clone();
    // A request the existing policy allows is not new access.
    let liar = LyingEngine(req(
        "arn:aws:iam::1:user/x",
        "s3:GetObject",
        "arn:aws:s3:::DOC-EXAMPLE-BUCKET/k",
    ));
    let r = check_no_new_access_with(&old, &new, &liar);
    assert_eq!(r.result, Verdict::Fail);
    assert!(r
        .internal_error
        .as_deref()
        .unwrap_or("")
        .contains("also allowed by the existing policy"));
}

/// A pool engine with no time for pinpointing.
struct HurriedPool(PoolEngine);
impl Engine for HurriedPool {
    fn name(&self) -> String {
        "hurried".into()
    }
    fn solve(&self, f: &Formula) -> SolveAnswer {
        self.0.solve(f)
    }
    fn pinpoint_budget(&self) -> Option<std::time::Duration> {
        Some(std::time::Duration::ZERO)
    }
}

#[test]
fn pinpointing_stops_when_the_budget_is_spent_and_the_fail_stands() {
    let p = parse_policy(DEV_POLICY, PolicyType::Identity).unwrap();
    let access = AccessSpec::new(vec!["*".into()], vec![]).unwrap();
    let r = check_access_not_granted_with(&p, &access, &HurriedPool(pool()));
    assert_eq!(r.result, Verdict::Fail);
    assert!(r.internal_error.is_none());
    // The first witness (ec2:StartInstances) shows statement 0; statement 1 was not asked.
    assert_eq!(r.reasons.len(), 1);
    assert_eq!(r.reasons[0].statement_index, Some(0));
    assert!(r
        .unknown_reason
        .as_deref()
        .unwrap_or("")
        .contains("statement 1: time budget spent"));
    // With time, both statements are named.
    let r = check_access_not_granted_with(&p, &access, &pool());
    let idx: Vec<_> = r.reasons.iter().filter_map(|x| x.statement_index).collect();
    assert_eq!(idx, vec![0, 1]);
}

const LIST_BUCKET: &str = r#"{"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"s3:List?ucket","Resource":"*"}]}"#;

#[test]
fn a_witness_that_is_not_a_request_is_rewritten_into_one_that_replays() {
    let p = parse_policy(LIST_BUCKET, PolicyType::Identity).unwrap();
    let access = AccessSpec::new(vec!["s3:*".into()], vec![]).unwrap();
    for (action, resource) in [
        ("s3:LIST*UCKET", "*"),
        // z3's answer: a NUL for `?` and the Kelvin sign for `k`.
        (
            "S3:LIst\u{0}UC\u{212a}ET",
            "arn:aws:;;\u{4000}\u{13a}[t;k[::^k;:;",
        ),
        ("s3:listaucket", "arn:aws::::"),
    ] {
        let liar = LyingEngine(req("arn:aws:iam::111122223333:user/x", action, resource));
        let r = check_access_not_granted_with(&p, &access, &liar);
        assert_eq!(r.result, Verdict::Fail);
        assert!(r.internal_error.is_none(), "{:?}", r.internal_error);
        assert!(r.unknown_reason.is_none(), "{:?}", r.unknown_reason);
        let w = r.reasons[0].example_request.as_ref().unwrap();
        assert!(w.check_concrete().is_ok(), "{w:?}");
        assert!(evaluate_policy(&p, w).allows());
        assert_eq!(w.action.len(), "s3:ListBucket".len(), "{w:?}");
    }
}

#[test]
fn an_invalid_witness_that_cannot_be_repaired_is_a_fail_with_a_reason() {
    // The policy allows only a literal `*` in the action: no valid request matches, and the
    // lying engine keeps answering the invalid one. FAIL (never PASS), saying why.
    // The policy allows only actions whose name starts with a character no action has.
    let denied: Vec<String> = ('a'..='z')
        .chain('0'..='9')
        .chain(['-'])
        .map(|c| format!("\"s3:{c}*\""))
        .collect();
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:*","Resource":"*"}},
        {{"Effect":"Deny","Action":[{}],"Resource":"*"}}]}}"#,
        denied.join(",")
    );
    let p = parse_policy(&text, PolicyType::Identity).unwrap();
    let access = AccessSpec::new(vec!["s3:*".into()], vec![]).unwrap();
    let liar = LyingEngine(req("arn:aws:iam::111122223333:user/x", "s3:*x", "*"));
    let r = check_access_not_granted_with(&p, &access, &liar);
    assert_eq!(r.result, Verdict::Fail);
    assert!(r.internal_error.is_none(), "{:?}", r.internal_error);
    let why = r.unknown_reason.as_deref().unwrap_or("");
    assert!(why.contains("not valid requests"), "{why}");
    assert!(why.contains("\"s3:*x\""), "{why}");
    assert!(r.reasons.iter().all(|x| x.example_request.is_none()));
}

#[test]
fn access_matching_is_independent_of_the_formula() {
    let a = AccessSpec::new(vec!["s3:Delete*".into()], vec!["arn:aws:s3:::b/*".into()]).unwrap();
    let f = access_formula(&a);
    for (action, resource, want) in [
        ("s3:DeleteObject", "arn:aws:s3:::b/k", true),
        ("S3:deleteobject", "arn:aws:s3:::b/k", true),
        ("s3:DeleteObject", "arn:aws:s3:::c/k", false),
        ("s3:GetObject", "arn:aws:s3:::b/k", false),
        ("s3:DeleteBucket", "*", false),
    ] {
        let r = req("arn:aws:iam::1:user/x", action, resource);
        assert_eq!(access_matches(&a, &r), want, "{action} {resource}");
        assert_eq!(f.eval(&r), want, "{action} {resource}");
    }
    let any = AccessSpec::new(vec!["*".into()], vec![]).unwrap();
    assert!(access_formula(&any).is_true());
    assert!(access_matches(&any, &req("a", "x:y", "*")));
}
