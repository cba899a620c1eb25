//! Examples that read like real requests (docs/findings.md, "Example requests"): an anonymous
//! caller for public access, a user (never the root) for identity policies, non-empty resource
//! names, a public address and typical values for typed keys the conditions do not pin down.
//! Only the choice among valid witnesses changes: each example still replays.

use iamproof_checks::{
    check_access_not_granted, check_no_public_access, AccessSpec, Backend, CheckOptions,
    ResourceType, Verdict,
};
use iamproof_eval::{evaluate_policy, ContextValue, Principal};
use iamproof_policy::{parse_policy, PolicyType};

fn opts() -> CheckOptions {
    CheckOptions::with_backend(Backend::Native)
}

#[test]
fn public_access_is_shown_with_an_anonymous_caller() {
    let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",
        "Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]}"#;
    let p = parse_policy(text, PolicyType::Resource).expect("parses");
    let r = check_no_public_access(&p, ResourceType::S3Bucket, &opts());
    assert_eq!(r.result, Verdict::Fail);
    let w = r.reasons[0].example_request.as_ref().expect("an example");
    assert_eq!(w.principal, Principal::Anonymous);
    assert_eq!(w.resource, "arn:aws:s3:::bucket/example");
    assert!(evaluate_policy(&p, w).allows());
}

#[test]
fn identity_examples_name_a_user_and_typical_values() {
    let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
        "Action":"ecr:PutImage","Resource":"arn:aws:ecr:us-east-1:123456789012:repository/*",
        "Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"},
                     "DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}}]}"#;
    let p = parse_policy(text, PolicyType::Identity).expect("parses");
    let access = AccessSpec::from_json(r#"[{"actions":["ecr:PutImage"]}]"#).expect("access");
    let r = check_access_not_granted(&p, &access, &opts());
    assert_eq!(r.result, Verdict::Fail);
    let w = r.reasons[0].example_request.as_ref().expect("an example");
    assert_eq!(
        w.principal,
        Principal::Arn("arn:aws:iam::111122223333:user/example".into())
    );
    assert_eq!(
        w.resource,
        "arn:aws:ecr:us-east-1:123456789012:repository/example"
    );
    assert_eq!(
        w.context.get("aws:SourceIp"),
        Some(&ContextValue::Single("203.0.113.10".into()))
    );
    assert_eq!(
        w.context.get("aws:CurrentTime"),
        Some(&ContextValue::Single("2026-01-15T12:00:00Z".into()))
    );
    assert!(evaluate_policy(&p, w).allows());
}

#[test]
fn context_keys_are_spelt_as_the_policy_spells_them() {
    let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
        "Action":"kms:Decrypt","Resource":"*",
        "Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}}]}"#;
    let p = parse_policy(text, PolicyType::Identity).expect("parses");
    let access = AccessSpec::from_json(r#"[{"actions":["kms:Decrypt"]}]"#).expect("access");
    let r = check_access_not_granted(&p, &access, &opts());
    assert_eq!(r.result, Verdict::Fail);
    let w = r.reasons[0].example_request.as_ref().expect("an example");
    let keys: Vec<&str> = w.context.iter().map(|(k, _)| k).collect();
    assert_eq!(keys, vec!["kms:ViaService"]);
    assert!(evaluate_policy(&p, w).allows());
}
