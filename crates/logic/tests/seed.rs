//! The seed article's example policies print as the formulas it shows (the Amazon Science article introducing the custom policy checks).

use iamproof_logic::{encode_policy, to_zelkova};
use iamproof_policy::{parse_policy, PolicyType};

const BUCKET_POLICY: &str = r#"{
   "Version": "2012-10-17",
   "Statement": [
      {
         "Effect": "Allow",
         "Principal": "*",
         "Action": ["s3:PutObject"],
         "Resource": "arn:aws:s3:::DOC-EXAMPLE-BUCKET"
      }
   ]
}"#;

#[test]
fn first_policy_prints_as_in_the_article() {
    let p = parse_policy(BUCKET_POLICY, PolicyType::Resource).unwrap();
    let enc = encode_policy(&p).unwrap();
    assert_eq!(
        to_zelkova(&enc.allows()),
        r#"(Action = "s3:PutObject") ∧ (Resource = "arn:aws:s3:::DOC-EXAMPLE-BUCKET")"#
    );
}

const WITH_DENY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":["s3:PutObject"],"Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET"},{"Effect":"Deny","NotPrincipal":{"AWS":"123456789012"},"Action":"*","Resource":"*"}]}"#;

const ACCOUNT_ONLY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":["s3:PutObject","s3:DeleteBucket"],"Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET"}]}"#;

const IDENTITY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:DescribeInstance*","ec2:StartInstances","ec2:StopInstances"],"Resource":"arn:aws:ec2:*:*:instance/*"},{"Effect":"Allow","Action":["s3:GetObject*","s3:PutObject","s3:DeleteBucket"],"Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"}]}"#;

/// The Deny with `NotPrincipal: 123456789012` becomes the constraint `Principal = 123456789012`
/// of the article, narrowed to the account's root: AWS checks a `NotPrincipal` layer by layer, so
/// the account's users and roles, whose own layer is not listed, are denied too
/// (docs/semantics.md, "NotPrincipal, layer by layer").
#[test]
fn deny_not_principal_becomes_principal_equals_account() {
    let p = parse_policy(WITH_DENY, PolicyType::Resource).unwrap();
    let enc = encode_policy(&p).unwrap();
    assert_eq!(
        to_zelkova(&enc.allows()),
        r#"(Action = "s3:PutObject") ∧ (Resource = "arn:aws:s3:::DOC-EXAMPLE-BUCKET") ∧ (Caller = Arn) ∧ (Principal like "arn:*:iam:*:*:root") ∧ (Principal = 123456789012)"#
    );
    let p = parse_policy(ACCOUNT_ONLY, PolicyType::Resource).unwrap();
    assert_eq!(
        to_zelkova(&encode_policy(&p).unwrap().allows()),
        r#"(Caller = Arn) ∧ (Principal = 123456789012) ∧ (Action ∈ {"s3:DeleteBucket", "s3:PutObject"}) ∧ (Resource = "arn:aws:s3:::DOC-EXAMPLE-BUCKET")"#
    );
}

/// One formula per statement, so a check can name the statement (the article's "index: 1").
#[test]
fn identity_policy_statements() {
    let p = parse_policy(IDENTITY, PolicyType::Identity).unwrap();
    let enc = encode_policy(&p).unwrap();
    assert_eq!(enc.statements.len(), 2);
    assert_eq!(
        to_zelkova(&enc.statements[1].applies),
        r#"(Action like {"s3:DeleteBucket", "s3:GetObject*", "s3:PutObject"}) ∧ (Resource like "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*")"#
    );
    assert_eq!(
        to_zelkova(&enc.statements[0].applies),
        r#"(Action like {"ec2:DescribeInstance*", "ec2:StartInstances", "ec2:StopInstances"}) ∧ (Resource like "arn:aws:ec2:*:*:instance/*")"#
    );
}
