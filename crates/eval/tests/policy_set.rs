//! `evaluate` over whole policy sets: organization levels, endpoints, caller kinds.

use iamproof_eval::{evaluate, Context, Decision, PolicyKind, PolicySet, Principal, Request};
use iamproof_policy::{parse_policy, Policy, PolicyType};

const A: &str = "111111111111";
const B: &str = "222222222222";

fn p(t: PolicyType, stmt: &str) -> Policy {
    parse_policy(
        &format!(r#"{{"Version":"2012-10-17","Statement":[{stmt}]}}"#),
        t,
    )
    .unwrap()
}

fn allow_all() -> Policy {
    p(
        PolicyType::Identity,
        r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#,
    )
}

fn scp(stmt: &str) -> Policy {
    p(PolicyType::ServiceControl, stmt)
}

fn rcp(stmt: &str) -> Policy {
    p(PolicyType::ResourceControl, stmt)
}

fn req(principal: Principal) -> Request {
    Request {
        principal,
        action: "s3:GetObject".into(),
        resource: "arn:aws:s3:::bucket/key".into(),
        resource_account: Some(A.into()),
        context: Context::new(),
    }
}

fn user() -> Principal {
    Principal::Arn(format!("arn:aws:iam::{A}:user/u"))
}

#[test]
fn scp_levels_and_across_or_within() {
    let allow = scp(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#);
    let allow_ec2 = scp(r#"{"Effect":"Allow","Action":"ec2:*","Resource":"*"}"#);
    let allow_s3 = scp(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#);
    let base = PolicySet {
        identity: vec![allow_all()],
        ..Default::default()
    };
    let with = |scps: Vec<Vec<Policy>>| PolicySet {
        scps,
        ..base.clone()
    };
    let r = req(user());
    assert_eq!(evaluate(&base, &r).decision, Decision::Allowed);
    assert_eq!(
        evaluate(
            &with(vec![vec![allow.clone()], vec![allow_ec2.clone()]]),
            &r
        )
        .decision,
        Decision::ImplicitlyDenied
    );
    assert_eq!(
        evaluate(
            &with(vec![vec![allow.clone()], vec![allow_ec2, allow_s3]]),
            &r
        )
        .decision,
        Decision::Allowed
    );
    assert_eq!(
        evaluate(&with(vec![vec![allow.clone()], vec![]]), &r).decision,
        Decision::ImplicitlyDenied
    );
    let deny = scp(r#"{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}"#);
    let e = evaluate(&with(vec![vec![allow.clone()], vec![allow, deny]]), &r);
    assert_eq!(e.decision, Decision::ExplicitlyDenied);
    assert_eq!(
        e.deciding[0].policy.kind,
        PolicyKind::ServiceControl { level: 1 }
    );
    assert_eq!(e.deciding[0].policy.index, 1);
}

#[test]
fn scps_do_not_limit_service_principals_or_anonymous_callers() {
    let deny = scp(r#"{"Effect":"Deny","Action":"*","Resource":"*"}"#);
    let rp = p(
        PolicyType::Resource,
        r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}"#,
    );
    let set = PolicySet {
        resource: Some(rp),
        scps: vec![vec![deny]],
        ..Default::default()
    };
    assert_eq!(
        evaluate(&set, &req(Principal::Service("logs.amazonaws.com".into()))).decision,
        Decision::Allowed
    );
    assert_eq!(
        evaluate(&set, &req(Principal::Anonymous)).decision,
        Decision::Allowed
    );
    assert_eq!(
        evaluate(&set, &req(user())).decision,
        Decision::ExplicitlyDenied
    );
}

#[test]
fn rcps_apply_to_every_caller_and_only_deny() {
    let full = rcp(r#"{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}"#);
    let deny_outside = rcp(&format!(
        r#"{{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{{"StringNotEqualsIfExists":{{"aws:PrincipalAccount":"{A}"}}}}}}"#
    ));
    let set = PolicySet {
        identity: vec![allow_all()],
        rcps: vec![vec![full.clone(), deny_outside]],
        ..Default::default()
    };
    assert_eq!(evaluate(&set, &req(user())).decision, Decision::Allowed);
    let mut outside = req(Principal::Arn(format!("arn:aws:iam::{B}:user/u")));
    outside.resource_account = Some(A.into());
    let with_rp = PolicySet {
        resource: Some(p(
            PolicyType::Resource,
            &format!(
                r#"{{"Effect":"Allow","Principal":{{"AWS":"{B}"}},"Action":"s3:*","Resource":"*"}}"#
            ),
        )),
        ..set.clone()
    };
    assert_eq!(
        evaluate(&with_rp, &outside).decision,
        Decision::ExplicitlyDenied
    );
    // Every level implicitly holds the undetachable RCPFullAWSAccess: a level given without
    // any Allow still allows.
    let no_allow = PolicySet {
        identity: vec![allow_all()],
        rcps: vec![vec![full], vec![]],
        ..Default::default()
    };
    assert_eq!(
        evaluate(&no_allow, &req(user())).decision,
        Decision::Allowed
    );
}

#[test]
fn endpoint_policies_must_allow() {
    let ep_other = p(
        PolicyType::Resource,
        r#"{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"*"}"#,
    );
    let ep_get = p(
        PolicyType::Resource,
        r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}"#,
    );
    let set = |ep: Policy| PolicySet {
        identity: vec![allow_all()],
        endpoint: vec![ep],
        ..Default::default()
    };
    assert_eq!(
        evaluate(&set(ep_other), &req(user())).decision,
        Decision::ImplicitlyDenied
    );
    assert_eq!(
        evaluate(&set(ep_get), &req(user())).decision,
        Decision::Allowed
    );
}

#[test]
fn anonymous_callers_ignore_identity_side_policies() {
    let set = PolicySet {
        identity: vec![allow_all()],
        ..Default::default()
    };
    assert_eq!(
        evaluate(&set, &req(Principal::Anonymous)).decision,
        Decision::ImplicitlyDenied
    );
}

#[test]
fn root_user_has_full_access_in_its_account_but_not_past_denies() {
    let root = Principal::Arn(format!("arn:aws:iam::{A}:root"));
    assert_eq!(
        evaluate(&PolicySet::default(), &req(root.clone())).decision,
        Decision::Allowed
    );
    let rp_deny = p(
        PolicyType::Resource,
        r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}"#,
    );
    let set = PolicySet {
        resource: Some(rp_deny),
        ..Default::default()
    };
    assert_eq!(
        evaluate(&set, &req(root.clone())).decision,
        Decision::ExplicitlyDenied
    );
    // Cross account the root user still needs the resource policy.
    let mut other = req(root);
    other.resource_account = Some(B.into());
    assert_eq!(
        evaluate(&PolicySet::default(), &other).decision,
        Decision::ImplicitlyDenied
    );
}

#[test]
fn get_caller_identity_needs_no_permission() {
    let deny = p(
        PolicyType::Identity,
        r#"{"Effect":"Deny","Action":"*","Resource":"*"}"#,
    );
    let set = PolicySet {
        identity: vec![deny],
        ..Default::default()
    };
    let mut r = req(user());
    r.action = "sts:GetCallerIdentity".into();
    r.resource = "*".into();
    assert_eq!(evaluate(&set, &r).decision, Decision::Allowed);
}

#[test]
fn aws_managed_policies_cannot_be_changed() {
    let set = PolicySet {
        identity: vec![allow_all()],
        ..Default::default()
    };
    let mut r = req(user());
    r.action = "iam:CreatePolicyVersion".into();
    r.resource = "arn:aws:iam::aws:policy/AdministratorAccess".into();
    assert_eq!(evaluate(&set, &r).decision, Decision::ImplicitlyDenied);
    r.resource = format!("arn:aws:iam::{A}:policy/Mine");
    assert_eq!(evaluate(&set, &r).decision, Decision::Allowed);
}
