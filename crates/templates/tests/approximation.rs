//! The Over/Under approximation rules, structurally and against the reference evaluator: the
//! Over text allows at least what every concrete instantiation allows, the Under text at most.

use iamproof_eval::{evaluate_policy, Context, ContextValue, Principal, Request};
use iamproof_templates::{extract_text, Approximation, ExtractOptions, Extraction};
use serde_json::{json, Value as J};

fn cfn(text: &str, params: &[(&str, &str)]) -> Extraction {
    let mut opts = ExtractOptions::default();
    for (k, v) in params {
        opts.parameters.insert((*k).to_string(), (*v).to_string());
    }
    extract_text("t.yaml", text, &opts).unwrap_or_else(|e| panic!("{e}"))
}

fn text(x: &Extraction, ap: Approximation) -> (J, Vec<iamproof_templates::Unknown>) {
    let (t, u) = x.policies[0].policy_text(ap);
    (
        serde_json::from_str(&t).unwrap_or_else(|e| panic!("{e}: {t}")),
        u,
    )
}

const TEMPLATE: &str = r#"
Parameters:
  Bucket: {Type: String}
  Vpc: {Type: String}
  ExcludedAction: {Type: String}
  ExtraAction: {Type: String}
Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: Read
            Effect: Allow
            Action: s3:GetObject
            Resource: !Sub "arn:aws:s3:::${Bucket}/*"
          - Sid: PutFromVpc
            Effect: Allow
            Action: s3:PutObject
            Resource: "*"
            Condition:
              StringEquals:
                aws:SourceVpc: !Ref Vpc
                aws:RequestedRegion: us-east-1
          - Sid: KeepDeletes
            Effect: Deny
            Action: s3:DeleteObject
            NotResource: !Sub "arn:aws:s3:::${Bucket}/keep/*"
          - Sid: AllBut
            Effect: Allow
            NotAction: [!Ref ExcludedAction]
            Resource: arn:aws:s3:::other/*
          - Sid: Extra
            Effect: Allow
            Action: !Ref ExtraAction
            Resource: "*"
"#;

#[test]
fn over_rules_widen_allows_and_drop_denies_with_unknowns() {
    let x = cfn(TEMPLATE, &[]);
    let (over, unknowns) = text(&x, Approximation::Over);
    let s = &over["Statement"];
    assert_eq!(
        s[0]["Resource"],
        json!("arn:aws:s3:::*/*"),
        "only the unknown part becomes *"
    );
    assert_eq!(
        s[1]["Condition"],
        json!({"StringEquals": {"aws:RequestedRegion": "us-east-1"}})
    );
    // The Deny with an unknown is removed; the NotAction item is dropped and the element becomes
    // Action "*".
    assert_eq!(s[2]["Sid"], json!("AllBut"));
    assert!(s[2].get("NotAction").is_none());
    assert_eq!(s[2]["Action"], json!("*"));
    assert_eq!(s[3]["Action"], json!("*"));
    assert_eq!(s.as_array().map(Vec::len), Some(4));
    let whats: Vec<&str> = unknowns.iter().map(|u| u.what.as_str()).collect();
    for w in [
        "Ref Bucket",
        "Ref Vpc",
        "Ref ExcludedAction",
        "Ref ExtraAction",
    ] {
        assert!(whats.contains(&w), "{w} in {whats:?}");
    }
    assert!(unknowns
        .iter()
        .any(|u| u.statement == Some(2) && u.treatment.contains("removed")));
}

#[test]
fn under_rules_drop_allows_and_widen_denies_with_unknowns() {
    let x = cfn(TEMPLATE, &[]);
    let (under, _) = text(&x, Approximation::Under);
    let s = under["Statement"].as_array().cloned().unwrap_or_default();
    assert_eq!(s.len(), 1, "only the Deny is left: {under}");
    assert_eq!(s[0]["Effect"], json!("Deny"));
    // NotResource's only value is unknown: dropped, so the Deny covers every resource.
    assert!(s[0].get("NotResource").is_none());
    assert_eq!(s[0]["Resource"], json!("*"));
}

#[test]
fn a_document_left_without_statements_allows_nothing() {
    let t = r#"
Parameters: {B: {Type: String}}
Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement: [{Effect: Allow, Action: s3:GetObject, Resource: !Ref B}]
"#;
    let x = cfn(t, &[]);
    let (under, u) = text(&x, Approximation::Under);
    assert_eq!(
        under["Statement"],
        json!([{"Effect": "Deny", "Action": "*", "Resource": "*"}])
    );
    let parsed =
        iamproof_policy::parse_policy(&under.to_string(), iamproof_policy::PolicyType::Identity);
    assert!(parsed.is_ok(), "{parsed:?}");
    assert_eq!(u.len(), 1);
    let (over, _) = text(&x, Approximation::Over);
    assert_eq!(over["Statement"][0]["Resource"], json!("*"));
    // Known documents pass through unchanged.
    let known = cfn(t, &[("B", "arn:aws:s3:::b/k")]);
    let (k, u) = text(&known, Approximation::Over);
    assert!(u.is_empty());
    assert_eq!(k["Statement"][0]["Resource"], json!("arn:aws:s3:::b/k"));
}

#[test]
fn unknown_principals_become_star_and_not_principal_values_are_dropped() {
    let t = r#"
Parameters: {Acct: {Type: String}}
Resources:
  BP:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: b
      PolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {AWS: [!Sub "arn:aws:iam::${Acct}:root", "arn:aws:iam::111122223333:root"]}, Action: s3:GetObject, Resource: "arn:aws:s3:::b/*"}
          - {Effect: Allow, NotPrincipal: {AWS: !Ref Acct}, Action: s3:ListBucket, Resource: "arn:aws:s3:::b"}
"#;
    let x = cfn(t, &[]);
    let (over, _) = text(&x, Approximation::Over);
    assert_eq!(
        over["Statement"][0]["Principal"],
        json!({"AWS": ["*", "arn:aws:iam::111122223333:root"]})
    );
    assert!(over["Statement"][1].get("NotPrincipal").is_none());
    assert_eq!(over["Statement"][1]["Principal"], json!("*"));
}

fn allows(policy_text: &str, req: &Request) -> bool {
    let p = iamproof_policy::parse_policy(policy_text, iamproof_policy::PolicyType::Identity)
        .unwrap_or_else(|e| panic!("{e:?}: {policy_text}"));
    evaluate_policy(&p, req).allows()
}

#[test]
fn over_allows_a_superset_and_under_a_subset_of_every_instantiation() {
    let unknown = cfn(TEMPLATE, &[]);
    let (over, _) = unknown.policies[0].policy_text(Approximation::Over);
    let (under, _) = unknown.policies[0].policy_text(Approximation::Under);
    let mut requests = Vec::new();
    for action in [
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "sqs:SendMessage",
        "s3:ListBucket",
    ] {
        for resource in [
            "arn:aws:s3:::a/x",
            "arn:aws:s3:::b/keep/y",
            "arn:aws:s3:::other/z",
            "*",
        ] {
            for vpc in [None, Some("vpc-1")] {
                let mut context = Context::new();
                context.insert(
                    "aws:RequestedRegion",
                    ContextValue::Single("us-east-1".into()),
                );
                if let Some(v) = vpc {
                    context.insert("aws:SourceVpc", ContextValue::Single(v.into()));
                }
                requests.push(Request {
                    principal: Principal::Arn("arn:aws:iam::123456789012:user/u".into()),
                    action: action.into(),
                    resource: resource.into(),
                    resource_account: None,
                    context,
                });
            }
        }
    }
    let (mut checked, mut allowed) = (0, 0);
    for bucket in ["a", "b"] {
        for vpc in ["vpc-1", "vpc-2"] {
            for excluded in ["s3:GetObject", "s3:PutObject"] {
                for extra in ["sqs:SendMessage", "s3:ListBucket"] {
                    let concrete = cfn(
                        TEMPLATE,
                        &[
                            ("Bucket", bucket),
                            ("Vpc", vpc),
                            ("ExcludedAction", excluded),
                            ("ExtraAction", extra),
                        ],
                    );
                    let (c, u) = concrete.policies[0].policy_text(Approximation::Over);
                    assert!(u.is_empty());
                    for r in &requests {
                        let real = allows(&c, r);
                        checked += 1;
                        allowed += usize::from(real);
                        if real {
                            assert!(
                                allows(&over, r),
                                "Over misses {r:?} allowed with {bucket} {vpc} {excluded} {extra}"
                            );
                        }
                        if allows(&under, r) {
                            assert!(real, "Under allows {r:?}, not allowed with {bucket} {vpc} {excluded} {extra}");
                        }
                    }
                }
            }
        }
    }
    assert!(
        allowed > 0 && allowed < checked,
        "the grid must mix allowed and denied requests"
    );
}

#[test]
fn an_unknown_sid_is_only_dropped() {
    let t = r#"
Parameters: {S: {Type: String}}
Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement: [{Sid: !Ref S, Effect: Deny, Action: s3:DeleteObject, Resource: "*"}]
"#;
    let x = cfn(t, &[]);
    for ap in [Approximation::Over, Approximation::Under] {
        let (j, u) = text(&x, ap);
        assert_eq!(
            j["Statement"],
            json!([{"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}])
        );
        assert_eq!(u[0].treatment, "Sid dropped");
    }
}
