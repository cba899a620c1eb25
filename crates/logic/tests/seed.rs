//! The seed article's example policies print as the formulas it shows (spec/seed.md).

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

#[test]
fn print_others() {
    for (text, ty) in [
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":["s3:PutObject"],"Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET"},{"Effect":"Deny","NotPrincipal":{"AWS":"123456789012"},"Action":"*","Resource":"*"}]}"#,
            PolicyType::Resource,
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":["s3:PutObject","s3:DeleteBucket"],"Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET"}]}"#,
            PolicyType::Resource,
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:DescribeInstance*","ec2:StartInstances","ec2:StopInstances"],"Resource":"arn:aws:ec2:*:*:instance/*"},{"Effect":"Allow","Action":["s3:GetObject*","s3:PutObject","s3:DeleteBucket"],"Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"}]}"#,
            PolicyType::Identity,
        ),
    ] {
        let p = parse_policy(text, ty).unwrap();
        println!("{}", to_zelkova(&encode_policy(&p).unwrap().allows()));
    }
}
