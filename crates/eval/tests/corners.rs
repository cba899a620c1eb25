//! One test per corner of IAM semantics most likely to be gotten wrong, and per worked
//! micro-case (each decision is recorded in docs/semantics.md)

use iamproof_eval::{
    effective_context, evaluate, evaluate_policy, statement_applies, Context, ContextValue,
    Decision, PolicyKind, PolicySet, Principal, Request,
};
use iamproof_policy::{parse_policy, Policy, PolicyType};

const A: &str = "111111111111";
const B: &str = "222222222222";

fn policy(json: &str, t: PolicyType) -> Policy {
    match parse_policy(json, t) {
        Ok(p) => p,
        Err(e) => panic!("policy does not parse: {e:?}\n{json}"),
    }
}

fn identity(json: &str) -> Policy {
    policy(json, PolicyType::Identity)
}

fn resource(json: &str) -> Policy {
    policy(json, PolicyType::Resource)
}

/// A one-statement identity policy.
fn id_stmt(stmt: &str) -> Policy {
    identity(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{stmt}]}}"#
    ))
}

/// A one-statement resource policy.
fn rp_stmt(stmt: &str) -> Policy {
    resource(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{stmt}]}}"#
    ))
}

fn arn(s: &str) -> Principal {
    Principal::Arn(s.to_string())
}

fn user(account: &str, name: &str) -> Principal {
    arn(&format!("arn:aws:iam::{account}:user/{name}"))
}

fn req(principal: Principal, action: &str, resource: &str) -> Request {
    Request {
        principal,
        action: action.to_string(),
        resource: resource.to_string(),
        resource_account: None,
        context: Context::new(),
    }
}

fn with(mut r: Request, key: &str, value: &str) -> Request {
    r.context
        .insert(key, ContextValue::Single(value.to_string()));
    r
}

fn with_set(mut r: Request, key: &str, values: &[&str]) -> Request {
    r.context.insert(
        key,
        ContextValue::Multi(values.iter().map(|s| s.to_string()).collect()),
    );
    r
}

fn in_account(mut r: Request, account: &str) -> Request {
    r.resource_account = Some(account.to_string());
    r
}

/// Whether the only statement of `p` applies.
fn applies(p: &Policy, r: &Request) -> bool {
    statement_applies(p, &p.statements[0], r)
}

fn s3_get(p: Principal) -> Request {
    req(p, "s3:GetObject", "arn:aws:s3:::bucket/key")
}

fn cond(op: &str, key: &str, values: &str) -> Policy {
    id_stmt(&format!(
        r#"{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{{"{op}":{{"{key}":{values}}}}}}}"#
    ))
}

fn decide(set: &PolicySet, r: &Request) -> Decision {
    evaluate(set, r).decision
}

#[test]
fn corner_01_missing_key_makes_negated_operators_true() {
    let deny = id_stmt(
        r#"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}"#,
    );
    // Through a VPC endpoint there is no aws:SourceIp: the Deny applies.
    let vpce = with(s3_get(user(A, "u")), "aws:SourceVpce", "vpce-1");
    assert!(applies(&deny, &vpce));
    let inside = with(s3_get(user(A, "u")), "aws:SourceIp", "203.0.113.7");
    assert!(!applies(&deny, &inside));
    for op in [
        "StringNotEquals",
        "StringNotEqualsIgnoreCase",
        "StringNotLike",
        "ArnNotEquals",
        "ArnNotLike",
        "NumericNotEquals",
        "DateNotEquals",
        "NotIpAddress",
    ] {
        assert!(
            applies(&cond(op, "aws:Misspelt", r#""1""#), &s3_get(user(A, "u"))),
            "{op}"
        );
    }
    for op in [
        "StringEquals",
        "StringLike",
        "NumericEquals",
        "NumericLessThan",
        "DateEquals",
        "Bool",
        "BinaryEquals",
        "IpAddress",
        "ArnEquals",
        "ArnLike",
    ] {
        assert!(
            !applies(&cond(op, "aws:Misspelt", r#""1""#), &s3_get(user(A, "u"))),
            "{op}"
        );
    }
}

#[test]
fn corner_02_negated_operator_with_several_values_is_nor() {
    let p = cond(
        "StringNotEquals",
        "aws:PrincipalAccount",
        &format!(r#"["{A}","{B}"]"#),
    );
    assert!(!applies(&p, &s3_get(user(A, "u"))));
    assert!(!applies(&p, &s3_get(user(B, "u"))));
    assert!(applies(&p, &s3_get(user("333333333333", "u"))));
    // Positive operators OR their values; keys and operators are ANDed.
    let pos = cond(
        "StringEquals",
        "aws:PrincipalAccount",
        &format!(r#"["{A}","{B}"]"#),
    );
    assert!(applies(&pos, &s3_get(user(B, "u"))));
    let and = id_stmt(&format!(
        r#"{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{{"StringEquals":{{"aws:PrincipalAccount":"{A}","aws:username":"bob"}}}}}}"#
    ));
    assert!(applies(&and, &s3_get(user(A, "bob"))));
    assert!(!applies(&and, &s3_get(user(A, "alice"))));
}

#[test]
fn corner_03_for_all_values_is_vacuous_and_for_any_value_is_not() {
    let all = cond("ForAllValues:StringEquals", "aws:TagKeys", r#"["a","b"]"#);
    let any = cond("ForAnyValue:StringEquals", "aws:TagKeys", r#"["a","b"]"#);
    let base = s3_get(user(A, "u"));
    // Missing key.
    assert!(applies(&all, &base));
    assert!(!applies(&any, &base));
    // Empty set.
    let empty = with_set(base.clone(), "aws:TagKeys", &[]);
    assert!(applies(&all, &empty));
    assert!(!applies(&any, &empty));
    // Empty string.
    let blank = with(base.clone(), "aws:TagKeys", "");
    assert!(applies(&all, &blank));
    assert!(!applies(&any, &blank));
    // Ordinary sets.
    let ab = with_set(base.clone(), "aws:TagKeys", &["a", "b"]);
    let ac = with_set(base.clone(), "aws:TagKeys", &["a", "c"]);
    assert!(applies(&all, &ab));
    assert!(!applies(&all, &ac));
    assert!(applies(&any, &ac));
    // Empty policy value list: ForAllValues only when the key is missing, ForAnyValue never.
    let all_empty = cond("ForAllValues:StringEquals", "aws:TagKeys", "[]");
    let any_empty = cond("ForAnyValue:StringEquals", "aws:TagKeys", "[]");
    assert!(applies(&all_empty, &base));
    assert!(!applies(&all_empty, &ab));
    assert!(!applies(&any_empty, &base));
    assert!(!applies(&any_empty, &ab));
    // ForAllValues on a single-valued key: the value is a one-element set (over-permissive).
    let single = cond("ForAllValues:StringEquals", "aws:username", r#"["bob"]"#);
    assert!(applies(&single, &s3_get(user(A, "bob"))));
    assert!(!applies(&single, &s3_get(user(A, "eve"))));
    assert!(applies(
        &single,
        &s3_get(arn(&format!("arn:aws:iam::{A}:role/r")))
    ));
}

#[test]
fn corner_04_negated_operators_under_set_qualifiers() {
    let all = cond(
        "ForAllValues:StringNotEquals",
        "aws:TagKeys",
        r#"["a","b"]"#,
    );
    let any = cond("ForAnyValue:StringNotEquals", "aws:TagKeys", r#"["a","b"]"#);
    let base = s3_get(user(A, "u"));
    let ac = with_set(base.clone(), "aws:TagKeys", &["a", "c"]);
    let cd = with_set(base.clone(), "aws:TagKeys", &["c", "d"]);
    let ab = with_set(base.clone(), "aws:TagKeys", &["a", "b"]);
    // ForAllValues:StringNotEquals = no request value is in P.
    assert!(!applies(&all, &ac));
    assert!(applies(&all, &cd));
    // ForAnyValue:StringNotEquals = some request value is not in P.
    assert!(applies(&any, &ac));
    assert!(!applies(&any, &ab));
    let like_all = cond("ForAllValues:StringNotLike", "aws:TagKeys", r#"["a*"]"#);
    assert!(applies(
        &like_all,
        &with_set(base.clone(), "aws:TagKeys", &["b", "c"])
    ));
    assert!(!applies(
        &like_all,
        &with_set(base, "aws:TagKeys", &["b", "ax"])
    ));
}

#[test]
fn corner_05_plain_operator_on_multivalued_key_never_matches() {
    let base = s3_get(user(A, "u"));
    let multi = with_set(base, "aws:TagKeys", &["a"]);
    for op in [
        "StringEquals",
        "StringNotEquals",
        "StringLike",
        "StringNotLike",
    ] {
        assert!(
            !applies(&cond(op, "aws:TagKeys", r#"["a"]"#), &multi),
            "{op}"
        );
        assert!(
            !applies(&cond(op, "aws:TagKeys", r#"["z"]"#), &multi),
            "{op}"
        );
    }
}

#[test]
fn corner_06_if_exists_makes_an_absent_key_true() {
    let deny = id_stmt(
        r#"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:SourceVpc":"vpc-1"}}}"#,
    );
    let base = s3_get(user(A, "u"));
    assert!(applies(&deny, &base));
    assert!(!applies(
        &deny,
        &with(base.clone(), "aws:SourceVpc", "vpc-1")
    ));
    assert!(applies(
        &deny,
        &with(base.clone(), "aws:SourceVpc", "vpc-2")
    ));
    let pos = cond("StringEqualsIfExists", "aws:SourceVpc", r#""vpc-1""#);
    assert!(applies(&pos, &base));
    assert!(!applies(
        &pos,
        &with(base.clone(), "aws:SourceVpc", "vpc-2")
    ));
    // ForAllValues:Null is always true, ForAnyValue:Null always false (Access Analyzer).
    let fa_null = cond("ForAllValues:Null", "aws:TagKeys", r#""false""#);
    let fy_null = cond("ForAnyValue:Null", "aws:TagKeys", r#""true""#);
    assert!(applies(&fa_null, &base));
    assert!(applies(
        &fa_null,
        &with_set(base.clone(), "aws:TagKeys", &["a"])
    ));
    assert!(!applies(&fy_null, &base));
    assert!(!applies(
        &fy_null,
        &with_set(base.clone(), "aws:TagKeys", &["a"])
    ));
    // Plain Null.
    assert!(applies(&cond("Null", "aws:SourceVpc", r#""true""#), &base));
    assert!(!applies(
        &cond("Null", "aws:SourceVpc", r#""false""#),
        &base
    ));
    assert!(applies(
        &cond("Null", "aws:SourceVpc", "false"),
        &with(base, "aws:SourceVpc", "v")
    ));
}

#[test]
fn corner_07_version_decides_whether_variables_exist() {
    let text = |version: &str| {
        format!(
            r#"{{{version}"Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${{aws:username}}/*"}}]}}"#
        )
    };
    let v2012 = identity(&text(r#""Version":"2012-10-17","#));
    let v2008 = identity(&text(r#""Version":"2008-10-17","#));
    let none = identity(&text(""));
    let bob = req(user(A, "bob"), "s3:GetObject", "arn:aws:s3:::b/bob/x");
    let literal = req(
        user(A, "bob"),
        "s3:GetObject",
        "arn:aws:s3:::b/${aws:username}/x",
    );
    assert!(applies(&v2012, &bob));
    assert!(!applies(&v2008, &bob));
    assert!(!applies(&none, &bob));
    assert!(applies(&v2008, &literal));
    assert!(applies(&none, &literal));
    // ${*} is a literal `*` under 2012-10-17.
    let star =
        id_stmt(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${*}"}"#);
    assert!(applies(
        &star,
        &req(user(A, "u"), "s3:GetObject", "arn:aws:s3:::b/*")
    ));
    assert!(!applies(
        &star,
        &req(user(A, "u"), "s3:GetObject", "arn:aws:s3:::b/x")
    ));
}

#[test]
fn corner_08_variable_without_value() {
    let like = cond("StringLike", "s3:prefix", r#""${aws:PrincipalTag/team}/*""#);
    let not_like = cond(
        "StringNotLike",
        "s3:prefix",
        r#""${aws:PrincipalTag/team}/*""#,
    );
    let r = with(s3_get(user(A, "u")), "s3:prefix", "x/y");
    assert!(!applies(&like, &r));
    assert!(applies(&not_like, &r));
    let tagged = with(r.clone(), "aws:PrincipalTag/team", "x");
    assert!(applies(&like, &tagged));
    assert!(!applies(&not_like, &tagged));
    // A multivalued key as a variable behaves like a missing one.
    let multi = with_set(r.clone(), "aws:PrincipalTag/team", &["x"]);
    assert!(!applies(&like, &multi));
    // A default value fills in.
    let dflt = cond(
        "StringLike",
        "s3:prefix",
        r#""${aws:PrincipalTag/team, 'x'}/*""#,
    );
    assert!(applies(&dflt, &r));
    // In Resource: matches no resource.
    let res = id_stmt(
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}"#,
    );
    let role = arn(&format!("arn:aws:sts::{A}:assumed-role/r/s"));
    assert!(!applies(
        &res,
        &req(role, "s3:GetObject", "arn:aws:s3:::b//x")
    ));
    // The substituted value is literal text, not a wildcard.
    let starry = req(user(A, "b*"), "s3:GetObject", "arn:aws:s3:::b/bob/x");
    assert!(!applies(&res, &starry));
}

#[test]
fn corner_09_not_principal() {
    // Allow + NotPrincipal grants everyone else, anonymous included.
    let allow = rp_stmt(&format!(
        r#"{{"Effect":"Allow","NotPrincipal":{{"AWS":"arn:aws:iam::{A}:root"}},"Action":"s3:GetObject","Resource":"*"}}"#
    ));
    // Listing the account exempts only the account layer: the root is not matched, the
    // account's users are (their user layer is not listed; docs/semantics.md, "NotPrincipal,
    // layer by layer").
    let root = arn(&format!("arn:aws:iam::{A}:root"));
    assert!(!evaluate_policy(&allow, &s3_get(root)).allows());
    assert!(evaluate_policy(&allow, &s3_get(user(A, "u"))).allows());
    let set = PolicySet {
        resource: Some(allow),
        ..Default::default()
    };
    let anon = in_account(s3_get(Principal::Anonymous), A);
    assert_eq!(decide(&set, &anon), Decision::Allowed);
    assert_eq!(decide(&set, &s3_get(user(A, "u"))), Decision::Allowed);
    // A Deny+NotPrincipal naming only a role denies that role's sessions too: the session's
    // account and session layers are not listed.
    let deny = rp_stmt(&format!(
        r#"{{"Effect":"Deny","NotPrincipal":{{"AWS":"arn:aws:iam::{A}:role/admin"}},"Action":"s3:*","Resource":"*"}}"#
    ));
    let ev = evaluate_policy(&deny, &s3_get(user(A, "u")));
    assert!(ev.denies());
    let session = arn(&format!("arn:aws:sts::{A}:assumed-role/admin/s"));
    assert!(evaluate_policy(&deny, &s3_get(session.clone())).denies());
    // The IAM User Guide's NotPrincipal page lists the account, the role and the session to
    // exempt a role session: all three layers listed.
    let exempt_session = rp_stmt(&format!(
        r#"{{"Effect":"Deny","NotPrincipal":{{"AWS":["arn:aws:sts::{A}:assumed-role/admin/s","arn:aws:iam::{A}:role/admin","arn:aws:iam::{A}:root"]}},"Action":"s3:*","Resource":"*"}}"#
    ));
    assert!(!evaluate_policy(&exempt_session, &s3_get(session.clone())).denies());
    let other_session = arn(&format!("arn:aws:sts::{A}:assumed-role/admin/other"));
    assert!(evaluate_policy(&exempt_session, &s3_get(other_session)).denies());
    assert!(!evaluate_policy(
        &exempt_session,
        &s3_get(arn(&format!("arn:aws:iam::{A}:root")))
    )
    .denies());
    // With a permissions boundary, a Deny+NotPrincipal always applies, even to a caller it
    // lists at every layer.
    let allow_all = id_stmt(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#);
    let set = PolicySet {
        identity: vec![allow_all.clone()],
        resource: Some(exempt_session.clone()),
        ..Default::default()
    };
    assert_eq!(decide(&set, &s3_get(session.clone())), Decision::Allowed);
    let set_pb = PolicySet {
        permission_boundaries: vec![allow_all],
        ..set
    };
    let e = evaluate(&set_pb, &s3_get(session));
    assert_eq!(e.decision, Decision::ExplicitlyDenied);
    assert_eq!(e.deciding[0].policy.kind, PolicyKind::Resource);
}

/// The IAM User Guide's `NotPrincipal` page: with
/// `"NotPrincipal": {"AWS": ["arn:aws:iam::444455556666:user/Bob", "arn:aws:iam::444455556666:root"]}`
/// in a Deny, "all principals except the user named Bob in AWS account 444455556666 are
/// explicitly denied" (AWS checks the account, then the user or role, then the session).
#[test]
fn not_principal_layers_from_the_iam_user_guide() {
    let deny = rp_stmt(
        r#"{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::444455556666:user/Bob","arn:aws:iam::444455556666:root"]},"Action":"s3:*","Resource":"*"}"#,
    );
    let denies = |p: Principal| evaluate_policy(&deny, &s3_get(p)).denies();
    assert!(!denies(arn("arn:aws:iam::444455556666:user/Bob")));
    assert!(denies(arn("arn:aws:iam::444455556666:user/Carol")));
    assert!(denies(arn("arn:aws:sts::444455556666:assumed-role/r/s")));
    assert!(denies(arn("arn:aws:iam::111122223333:user/Bob")));
    assert!(denies(Principal::Anonymous));
    assert!(denies(Principal::Service("s3.amazonaws.com".into())));
    // The account alone (the seed's bucket policy): only the root is exempt.
    let seed = rp_stmt(
        r#"{"Effect":"Deny","NotPrincipal":{"AWS":"444455556666"},"Action":"*","Resource":"*"}"#,
    );
    let seed_denies = |p: Principal| evaluate_policy(&seed, &s3_get(p)).denies();
    assert!(!seed_denies(arn("arn:aws:iam::444455556666:root")));
    assert!(seed_denies(arn("arn:aws:iam::444455556666:user/Bob")));
    assert!(seed_denies(arn("arn:aws:iam::111122223333:root")));
    // Bob without his account: the account layer denies him.
    let no_account = rp_stmt(
        r#"{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::444455556666:user/Bob"},"Action":"*","Resource":"*"}"#,
    );
    assert!(evaluate_policy(
        &no_account,
        &s3_get(arn("arn:aws:iam::444455556666:user/Bob"))
    )
    .denies());
    // Service principals are one layer: listing them exempts them.
    let svc = rp_stmt(
        r#"{"Effect":"Deny","NotPrincipal":{"Service":"cloudtrail.amazonaws.com"},"Action":"*","Resource":"*"}"#,
    );
    assert!(!evaluate_policy(
        &svc,
        &s3_get(Principal::Service("cloudtrail.amazonaws.com".into()))
    )
    .denies());
}

#[test]
fn corner_10_not_action_and_not_resource_are_complements() {
    let na = id_stmt(r#"{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#);
    assert!(applies(&na, &req(user(A, "u"), "ec2:RunInstances", "*")));
    assert!(applies(&na, &s3_get(user(A, "u"))));
    assert!(!applies(&na, &req(user(A, "u"), "iam:CreateUser", "*")));
    let nr = id_stmt(r#"{"Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::safe/*"}"#);
    assert!(applies(&nr, &s3_get(user(A, "u"))));
    assert!(!applies(
        &nr,
        &req(user(A, "u"), "s3:GetObject", "arn:aws:s3:::safe/x")
    ));
    assert!(applies(&nr, &req(user(A, "u"), "s3:ListAllMyBuckets", "*")));
}

#[test]
fn corner_11_account_principals_delegate() {
    let grant = |p: &str| {
        rp_stmt(&format!(
            r#"{{"Effect":"Allow","Principal":{{"AWS":"{p}"}},"Action":"s3:GetObject","Resource":"*"}}"#
        ))
    };
    let allow_id = id_stmt(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#);
    for p in [B.to_string(), format!("arn:aws:iam::{B}:root")] {
        // Cross-account: B's user needs its own identity Allow.
        let r = in_account(s3_get(user(B, "u")), A);
        let without = PolicySet {
            resource: Some(grant(&p)),
            ..Default::default()
        };
        assert_eq!(decide(&without, &r), Decision::ImplicitlyDenied, "{p}");
        let with_id = PolicySet {
            identity: vec![allow_id.clone()],
            resource: Some(grant(&p)),
            ..Default::default()
        };
        assert_eq!(decide(&with_id, &r), Decision::Allowed, "{p}");
        // The statement applies (at account level) to any principal of B.
        assert!(applies(
            &grant(&p),
            &s3_get(arn(&format!("arn:aws:sts::{B}:assumed-role/r/s")))
        ));
    }
    // The root ARN in an aws:PrincipalArn condition means only the root user.
    let only_root = cond(
        "ArnEquals",
        "aws:PrincipalArn",
        &format!(r#""arn:aws:iam::{A}:root""#),
    );
    assert!(applies(
        &only_root,
        &s3_get(arn(&format!("arn:aws:iam::{A}:root")))
    ));
    assert!(!applies(&only_root, &s3_get(user(A, "u"))));
    // "*" ≡ {"AWS":"*"}; both include anonymous callers.
    for p in [r#""*""#, r#"{"AWS":"*"}"#] {
        let pol = rp_stmt(&format!(
            r#"{{"Effect":"Allow","Principal":{p},"Action":"s3:GetObject","Resource":"*"}}"#
        ));
        let set = PolicySet {
            resource: Some(pol),
            ..Default::default()
        };
        assert_eq!(
            decide(&set, &in_account(s3_get(Principal::Anonymous), A)),
            Decision::Allowed
        );
    }
}

#[test]
fn corner_12_role_and_session_principals() {
    let role = format!("arn:aws:iam::{A}:role/path/app");
    let session = arn(&format!("arn:aws:sts::{A}:assumed-role/app/s1"));
    let to = |p: &str| {
        rp_stmt(&format!(
            r#"{{"Effect":"Allow","Principal":{{"AWS":"{p}"}},"Action":"s3:GetObject","Resource":"*"}}"#
        ))
    };
    assert!(applies(&to(&role), &s3_get(session.clone())));
    // A boundary that allows nothing relevant.
    let pb = id_stmt(r#"{"Effect":"Allow","Action":"ec2:*","Resource":"*"}"#);
    // Grant to the role ARN: limited by the boundary's implicit deny.
    let via_role = PolicySet {
        resource: Some(to(&role)),
        permission_boundaries: vec![pb.clone()],
        ..Default::default()
    };
    assert_eq!(
        decide(&via_role, &s3_get(session.clone())),
        Decision::ImplicitlyDenied
    );
    // Without the boundary the role grant suffices within the account.
    let via_role_no_pb = PolicySet {
        resource: Some(to(&role)),
        ..Default::default()
    };
    assert_eq!(
        decide(&via_role_no_pb, &s3_get(session.clone())),
        Decision::Allowed
    );
    // Grant to the session ARN: bypasses the boundary's and the session policy's implicit deny.
    let sess_arn = format!("arn:aws:sts::{A}:assumed-role/app/s1");
    let via_session = PolicySet {
        resource: Some(to(&sess_arn)),
        permission_boundaries: vec![pb.clone()],
        session: Some(pb.clone()),
        ..Default::default()
    };
    assert_eq!(
        decide(&via_session, &s3_get(session.clone())),
        Decision::Allowed
    );
    // Grant to a user ARN likewise.
    let u = format!("arn:aws:iam::{A}:user/u");
    let via_user = PolicySet {
        resource: Some(to(&u)),
        permission_boundaries: vec![pb],
        ..Default::default()
    };
    assert_eq!(decide(&via_user, &s3_get(user(A, "u"))), Decision::Allowed);
    // Another session name does not match a session ARN.
    assert!(!applies(
        &to(&sess_arn),
        &s3_get(arn(&format!("arn:aws:sts::{A}:assumed-role/app/s2")))
    ));
}

#[test]
fn corner_13_identity_and_resource_policies_combine() {
    let allow_id = id_stmt(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#);
    let rp_user = |acct: &str| {
        rp_stmt(&format!(
            r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{acct}:user/u"}},"Action":"s3:GetObject","Resource":"*"}}"#
        ))
    };
    // Same account: either suffices.
    let only_id = PolicySet {
        identity: vec![allow_id.clone()],
        ..Default::default()
    };
    let only_rp = PolicySet {
        resource: Some(rp_user(A)),
        ..Default::default()
    };
    assert_eq!(decide(&only_id, &s3_get(user(A, "u"))), Decision::Allowed);
    assert_eq!(decide(&only_rp, &s3_get(user(A, "u"))), Decision::Allowed);
    // Cross account: both needed.
    let r = in_account(s3_get(user(B, "u")), A);
    assert_eq!(decide(&only_id, &r), Decision::ImplicitlyDenied);
    let only_rp_b = PolicySet {
        resource: Some(rp_user(B)),
        ..Default::default()
    };
    assert_eq!(decide(&only_rp_b, &r), Decision::ImplicitlyDenied);
    let both = PolicySet {
        identity: vec![allow_id.clone()],
        resource: Some(rp_user(B)),
        ..Default::default()
    };
    assert_eq!(decide(&both, &r), Decision::Allowed);
    // KMS: within the account, identity policies count only if the key policy allows the account.
    let kms_req = req(
        user(A, "u"),
        "kms:Decrypt",
        &format!("arn:aws:kms:us-east-1:{A}:key/k"),
    );
    let kms_id = id_stmt(r#"{"Effect":"Allow","Action":"kms:*","Resource":"*"}"#);
    let key_other = rp_stmt(&format!(
        r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{A}:user/admin"}},"Action":"kms:*","Resource":"*"}}"#
    ));
    let key_account = rp_stmt(&format!(
        r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{A}:root"}},"Action":"kms:*","Resource":"*"}}"#
    ));
    let set = |key: Policy| PolicySet {
        identity: vec![kms_id.clone()],
        resource: Some(key),
        ..Default::default()
    };
    assert_eq!(
        decide(&set(key_other), &kms_req),
        Decision::ImplicitlyDenied
    );
    assert_eq!(
        decide(&set(key_account.clone()), &kms_req),
        Decision::Allowed
    );
    // Role trust policy: same.
    let assume = req(
        user(A, "u"),
        "sts:AssumeRole",
        &format!("arn:aws:iam::{A}:role/target"),
    );
    let trust_other = resource(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{A}:user/other"}},"Action":"sts:AssumeRole"}}]}}"#
    ));
    let sts_id = id_stmt(r#"{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}"#);
    let trust_set = PolicySet {
        identity: vec![sts_id],
        resource: Some(trust_other),
        ..Default::default()
    };
    assert_eq!(decide(&trust_set, &assume), Decision::ImplicitlyDenied);
    // An explicit Deny anywhere wins.
    let deny_id = id_stmt(r#"{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}"#);
    let denied = PolicySet {
        identity: vec![deny_id],
        resource: Some(rp_user(A)),
        ..Default::default()
    };
    assert_eq!(
        decide(&denied, &s3_get(user(A, "u"))),
        Decision::ExplicitlyDenied
    );
    // A resource-policy Deny naming an account denies every principal in it.
    let deny_b = rp_stmt(&format!(
        r#"{{"Effect":"Deny","Principal":{{"AWS":"{B}"}},"Action":"s3:GetObject","Resource":"*"}}"#
    ));
    let set = PolicySet {
        identity: vec![allow_id],
        resource: Some(deny_b),
        ..Default::default()
    };
    assert_eq!(decide(&set, &r), Decision::ExplicitlyDenied);
}

#[test]
fn corner_14_wildcards_are_element_specific() {
    // Action: case-insensitive glob.
    let act = id_stmt(r#"{"Effect":"Allow","Action":"S3:get*","Resource":"*"}"#);
    assert!(applies(&act, &s3_get(user(A, "u"))));
    // Resource: `*` spans `/` within the resource field but not a field-separating colon.
    let res =
        id_stmt(r#"{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::bucket/*/test/*"}"#);
    let r = |x: &str| req(user(A, "u"), "s3:GetObject", x);
    assert!(applies(&res, &r("arn:aws:s3:::bucket//test/object.jpg")));
    assert!(applies(&res, &r("arn:aws:s3:::bucket/1/test/")));
    assert!(!applies(&res, &r("arn:aws:s3:::bucket/test/object.jpg")));
    let region = id_stmt(r#"{"Effect":"Allow","Action":"*","Resource":"arn:aws:sqs:us-*:*:q"}"#);
    assert!(applies(&region, &r("arn:aws:sqs:us-east-1:1:q")));
    assert!(!applies(&region, &r("arn:aws:sqs:us:east:1:q")));
    // ArnLike field-wise, StringLike across colons, StringEquals literal.
    let v = "arn:aws:svc:r1:999:x/a:111:fin/d";
    let ctx = |p: &str| with(s3_get(user(A, "u")), "aws:SourceArn", p);
    assert!(!applies(
        &cond("ArnLike", "aws:SourceArn", r#""arn:aws:svc:*:111:fin/*""#),
        &ctx(v)
    ));
    assert!(!applies(
        &cond("ArnEquals", "aws:SourceArn", r#""arn:aws:svc:*:111:fin/*""#),
        &ctx(v)
    ));
    assert!(applies(
        &cond(
            "StringLike",
            "aws:SourceArn",
            r#""arn:aws:svc:*:111:fin/*""#
        ),
        &ctx(v)
    ));
    assert!(applies(
        &cond("ArnEquals", "aws:SourceArn", r#""arn:aws:svc:*:999:*""#),
        &ctx(v)
    ));
    assert!(!applies(
        &cond("StringEquals", "aws:SourceArn", r#""arn:*""#),
        &ctx(v)
    ));
    assert!(applies(
        &cond("StringEquals", "aws:SourceArn", r#""arn:*""#),
        &ctx("arn:*")
    ));
}

#[test]
fn corner_15_public_access_depends_on_fixed_uninfluenceable_keys() {
    // The evaluator's part of "public": what an anonymous or outside caller gets.
    let org = rp_stmt(
        r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}"#,
    );
    let agent = rp_stmt(
        r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:UserAgent":"*"}}}"#,
    );
    let ifexists = rp_stmt(
        r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEqualsIfExists":{"aws:PrincipalOrgID":"o-1"}}}"#,
    );
    let anon = in_account(s3_get(Principal::Anonymous), A);
    let set = |p: Policy| PolicySet {
        resource: Some(p),
        ..Default::default()
    };
    // A fixed org id restricts: anonymous (no OrgID) is not allowed.
    assert_eq!(decide(&set(org.clone()), &anon), Decision::ImplicitlyDenied);
    // A caller-controlled key restricts nothing.
    assert_eq!(
        decide(&set(agent), &with(anon.clone(), "aws:UserAgent", "curl")),
        Decision::Allowed
    );
    // IfExists on an absent key restricts nothing.
    assert_eq!(decide(&set(ifexists), &anon), Decision::Allowed);
    // An outside principal of the right org is allowed (cross-account needs its identity Allow).
    let outside = with(
        in_account(s3_get(user(B, "u")), A),
        "aws:PrincipalOrgID",
        "o-1",
    );
    let mut s = set(org);
    s.identity = vec![id_stmt(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#)];
    assert_eq!(decide(&s, &outside), Decision::Allowed);
}

// ---- worked micro-cases ----

#[test]
fn micro_01_deny_not_equals_org_id_anonymous() {
    let p = rp_stmt(
        r#"{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-1"}}}"#,
    );
    assert!(evaluate_policy(&p, &s3_get(Principal::Anonymous)).denies());
}

#[test]
fn micro_02_allow_not_equals_vpce_public_internet() {
    let p = cond("StringNotEquals", "aws:SourceVpce", r#""vpce-1""#);
    assert!(applies(
        &p,
        &with(s3_get(user(A, "u")), "aws:SourceIp", "198.51.100.1")
    ));
}

#[test]
fn micro_03_not_equals_two_accounts_is_nor() {
    let p = cond(
        "StringNotEquals",
        "aws:PrincipalAccount",
        &format!(r#"["{A}","{B}"]"#),
    );
    assert!(!applies(&p, &s3_get(user(A, "u"))));
}

#[test]
fn micro_04_for_all_values_no_tags_true() {
    let p = cond("ForAllValues:StringEquals", "aws:TagKeys", r#"["a"]"#);
    assert!(applies(&p, &s3_get(user(A, "u"))));
}

#[test]
fn micro_05_for_any_value_no_tags_false() {
    let p = cond("ForAnyValue:StringEquals", "aws:TagKeys", r#"["a"]"#);
    assert!(!applies(&p, &s3_get(user(A, "u"))));
}

#[test]
fn micro_06_deny_not_equals_if_exists_no_vpc() {
    let p = id_stmt(
        r#"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:SourceVpc":"v"}}}"#,
    );
    assert!(evaluate_policy(&p, &s3_get(user(A, "u"))).denies());
}

#[test]
fn micro_07_variable_literal_under_2008() {
    let p = identity(
        r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}]}"#,
    );
    assert!(!applies(
        &p,
        &req(user(A, "bob"), "s3:GetObject", "arn:aws:s3:::b/bob/x")
    ));
}

#[test]
fn micro_08_username_absent_for_role() {
    let p = id_stmt(
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}"#,
    );
    let role = arn(&format!("arn:aws:sts::{A}:assumed-role/r/s"));
    for key in [
        "arn:aws:s3:::b/r/x",
        "arn:aws:s3:::b/s/x",
        "arn:aws:s3:::b//x",
        "arn:aws:s3:::b/${aws:username}/x",
    ] {
        assert!(
            !applies(&p, &req(role.clone(), "s3:GetObject", key)),
            "{key}"
        );
    }
    assert!(!effective_context(&req(role, "s3:GetObject", "*")).contains("aws:username"));
}

#[test]
fn micro_09_like_with_missing_tag_variable() {
    let r = with(s3_get(user(A, "u")), "s3:prefix", "a/b");
    assert!(!applies(
        &cond("StringLike", "s3:prefix", r#""${aws:PrincipalTag/team}/*""#),
        &r
    ));
    assert!(applies(
        &cond(
            "StringNotLike",
            "s3:prefix",
            r#""${aws:PrincipalTag/team}/*""#
        ),
        &r
    ));
}

#[test]
fn micro_10_arn_like_field_wise() {
    let r = with(
        s3_get(user(A, "u")),
        "aws:SourceArn",
        "arn:aws:svc:r1:999:x/a:111:fin/d",
    );
    assert!(!applies(
        &cond("ArnLike", "aws:SourceArn", r#""arn:aws:svc:*:111:fin/*""#),
        &r
    ));
    assert!(applies(
        &cond(
            "StringLike",
            "aws:SourceArn",
            r#""arn:aws:svc:*:111:fin/*""#
        ),
        &r
    ));
}

#[test]
fn micro_11_allow_not_principal_anonymous() {
    let p = rp_stmt(&format!(
        r#"{{"Effect":"Allow","NotPrincipal":{{"AWS":"arn:aws:iam::{A}:root"}},"Action":"s3:GetObject","Resource":"*"}}"#
    ));
    let set = PolicySet {
        resource: Some(p),
        ..Default::default()
    };
    assert_eq!(
        decide(&set, &in_account(s3_get(Principal::Anonymous), A)),
        Decision::Allowed
    );
}

#[test]
fn micro_12_cross_account_without_identity_policy_denied() {
    let p = rp_stmt(&format!(
        r#"{{"Effect":"Allow","Principal":{{"AWS":"{B}"}},"Action":"s3:GetObject","Resource":"*"}}"#
    ));
    let set = PolicySet {
        resource: Some(p),
        ..Default::default()
    };
    assert_eq!(
        decide(&set, &in_account(s3_get(user(B, "u")), A)),
        Decision::ImplicitlyDenied
    );
}

#[test]
fn empty_element_lists_make_a_statement_inert() {
    let r = s3_get(user(A, "u"));
    for stmt in [
        r#"{"Effect":"Allow","Action":[],"Resource":"*"}"#,
        r#"{"Effect":"Allow","NotAction":[],"Resource":"*"}"#,
        r#"{"Effect":"Allow","Action":"*","Resource":[]}"#,
        r#"{"Effect":"Allow","Action":"*","NotResource":[]}"#,
    ] {
        assert!(!applies(&id_stmt(stmt), &r), "{stmt}");
    }
    for stmt in [
        r#"{"Effect":"Allow","Principal":{"AWS":[]},"Action":"*","Resource":"*"}"#,
        r#"{"Effect":"Allow","NotPrincipal":{"AWS":[]},"Action":"*","Resource":"*"}"#,
    ] {
        assert!(!applies(&rp_stmt(stmt), &r), "{stmt}");
    }
}
