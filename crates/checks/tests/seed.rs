//! Golden tests: every example of the article iamproof starts from (spec seed.md), and AWS's own
//! SDK/CLI examples, with the exact JSON AWS returns and the text rendering.

mod common;

use common::{indices, opts, policy, sane};
use iamproof_checks::{
    check_access_not_granted, check_no_external_access, check_no_new_access,
    check_no_public_access, AccessSpec, ResourceType, TrustZone, Verdict,
};
use iamproof_eval::{evaluate_policy, Principal};
use iamproof_policy::PolicyType;
use serde_json::json;

/// seed.md: the first bucket policy (public PutObject).
const PUBLIC_PUT: &str = r#"{
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

/// seed.md: the same with a Deny + NotPrincipal 123456789012, verbatim. The article writes the
/// principal as the bare string `"123456789012"`; IAM's grammar allows only `"*"` as a string, and
/// `iamproof-policy` reads it as `{"AWS": "123456789012"}` (and `validate-policy` reports it).
const PUBLIC_PUT_DENY_OTHERS: &str = r#"{
   "Version": "2012-10-17",
   "Statement": [
      {
         "Effect": "Allow",
         "Principal": "*",
         "Action": ["s3:PutObject"],
         "Resource": "arn:aws:s3:::DOC-EXAMPLE-BUCKET"
      },
      {
         "Effect": "Deny",
         "NotPrincipal": "123456789012",
         "Action": "*",
         "Resource": "*"
      }
   ]
}"#;

/// seed.md: the update that removes cross-account access but adds s3:DeleteBucket, verbatim (bare
/// string principal, read as above).
const ACCOUNT_PUT_DELETE: &str = r#"{
   "Version": "2012-10-17",
   "Statement": [
      {
         "Effect": "Allow",
         "Principal": "123456789012",
         "Action": [ 
            "s3:PutObject",
            "s3:DeleteBucket" 
         ],
         "Resource": "arn:aws:s3:::DOC-EXAMPLE-BUCKET"
      }
   ]
}"#;

/// seed.md: the developer's identity policy.
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

fn delete_bucket() -> AccessSpec {
    AccessSpec::from_json(r#"[{"actions":["s3:DeleteBucket"]}]"#).unwrap()
}

#[test]
fn seed_first_bucket_policy_is_public() {
    let p = policy(PUBLIC_PUT, PolicyType::Resource);
    let r = check_no_public_access(&p, ResourceType::S3Bucket, &opts());
    sane(&r, &p);
    assert_eq!(
        r.to_aws_json_value(),
        json!({
            "result": "FAIL",
            "message": "The resource policy grants public access for the given resource type.",
            "reasons": [{
                "description": "Public access granted in the following statement with index: 0.",
                "statementIndex": 0
            }]
        })
    );
    let w = r.reasons[0].example_request.as_ref().unwrap();
    assert!(w.action.eq_ignore_ascii_case("s3:PutObject"));
    assert_eq!(w.resource, "arn:aws:s3:::DOC-EXAMPLE-BUCKET");
}

#[test]
fn seed_deny_not_principal_is_not_public() {
    let p = policy(PUBLIC_PUT_DENY_OTHERS, PolicyType::Resource);
    let r = check_no_public_access(&p, ResourceType::S3Bucket, &opts());
    sane(&r, &p);
    assert_eq!(
        r.to_aws_json_value(),
        json!({
            "result": "PASS",
            "message": "The resource policy does not grant public access for the given resource type."
        })
    );
    // The full JSON adds only iamproof's extra fields.
    let full = r.to_json_value();
    assert_eq!(full["result"], "PASS");
    assert!(full.get("reasons").is_none());
}

#[test]
fn seed_cross_account_counterexample_is_111122223333() {
    let trusted = TrustZone::new(vec!["123456789012".into()], vec![]).unwrap();
    let p = policy(PUBLIC_PUT, PolicyType::Resource);
    let r = check_no_external_access(&p, ResourceType::S3Bucket, &trusted, &opts());
    sane(&r, &p);
    assert_eq!(r.result, Verdict::Fail);
    assert_eq!(indices(&r), vec![0]);
    let w = r.reasons[0].example_request.as_ref().unwrap();
    assert_eq!(
        w.principal,
        Principal::Arn("arn:aws:iam::111122223333:root".into())
    );
    assert!(r.reasons[0].description.contains("111122223333"));
    let json = r.to_json_value();
    assert_eq!(
        json["reasons"][0]["exampleRequest"]["principal"]["AWS"],
        "arn:aws:iam::111122223333:root"
    );

    let p = policy(PUBLIC_PUT_DENY_OTHERS, PolicyType::Resource);
    let r = check_no_external_access(&p, ResourceType::S3Bucket, &trusted, &opts());
    sane(&r, &p);
    assert_eq!(r.result, Verdict::Pass, "{}", r.to_json());
}

#[test]
fn seed_no_new_access_finds_delete_bucket() {
    let old = policy(PUBLIC_PUT, PolicyType::Resource);
    let new = policy(ACCOUNT_PUT_DELETE, PolicyType::Resource);
    let r = check_no_new_access(&old, &new, &opts());
    sane(&r, &new);
    assert_eq!(
        r.to_aws_json_value(),
        json!({
            "result": "FAIL",
            "message": "The modified permissions grant new access compared to your existing policy.",
            "reasons": [{
                "description": "New access in the statement with index: 0.",
                "statementIndex": 0
            }]
        })
    );
    let w = r.reasons[0].example_request.as_ref().unwrap();
    assert!(
        w.action.eq_ignore_ascii_case("s3:DeleteBucket"),
        "{}",
        r.to_json()
    );
    assert!(!evaluate_policy(&old, w).allows());
    let text = r.render_text(ACCOUNT_PUT_DELETE);
    assert!(text.starts_with("FAIL check-no-new-access\nThe modified permissions grant new access compared to your existing policy.\n"), "{text}");
    assert!(text.contains("statement 0, lines 4-12:"), "{text}");
    assert!(
        text.contains("example request (allowed by the new policy, not by the existing one):"),
        "{text}"
    );
    assert!(
        text.contains("principal: {\"AWS\": \"arn:aws:iam::123456789012:"),
        "{text}"
    );
    // The other direction: the old policy's public PutObject is new compared to the update.
    let r = check_no_new_access(&new, &old, &opts());
    sane(&r, &old);
    assert_eq!(indices(&r), vec![0]);
    // A policy grants no new access compared to itself.
    let r = check_no_new_access(&new, &new, &opts());
    sane(&r, &new);
    assert_eq!(
        r.to_aws_json_value(),
        json!({
            "result": "PASS",
            "message": "The modified permissions do not grant new access compared to your existing policy."
        })
    );
}

#[test]
fn seed_access_not_granted_on_the_update_and_the_developer_policy() {
    let p = policy(ACCOUNT_PUT_DELETE, PolicyType::Resource);
    let r = check_access_not_granted(&p, &delete_bucket(), &opts());
    sane(&r, &p);
    assert_eq!(indices(&r), vec![0]);

    let p = policy(DEV_POLICY, PolicyType::Identity);
    let r = check_access_not_granted(&p, &delete_bucket(), &opts());
    sane(&r, &p);
    assert_eq!(
        r.to_aws_json_value(),
        json!({
            "result": "FAIL",
            "message": "The policy document grants access to perform one or more of the listed actions.",
            "reasons": [{
                "description": "One or more of the listed actions in the statement with index: 1.",
                "statementIndex": 1
            }]
        })
    );

    // The first bucket policy does not grant s3:DeleteBucket.
    let p = policy(PUBLIC_PUT, PolicyType::Resource);
    let r = check_access_not_granted(&p, &delete_bucket(), &opts());
    sane(&r, &p);
    assert_eq!(
        r.to_aws_json_value(),
        json!({
            "result": "PASS",
            "message": "The policy document does not grant access to perform the listed actions."
        })
    );
}

#[test]
fn seed_text_rendering_quotes_the_statement_and_the_request() {
    let p = policy(DEV_POLICY, PolicyType::Identity);
    let r = check_access_not_granted(&p, &delete_bucket(), &opts());
    sane(&r, &p);
    let text = r.render_text(DEV_POLICY);
    assert!(
        text.starts_with("FAIL check-access-not-granted\n"),
        "{text}"
    );
    assert!(text.contains("- One or more of the listed actions in the statement with index: 1."));
    // Statement 1 spans lines 13-21 of the document; its lines are quoted with their numbers.
    assert!(text.contains("statement 1, lines 13-21:"), "{text}");
    assert!(
        text.contains("18 |             \"s3:DeleteBucket\" "),
        "{text}"
    );
    assert!(!text.contains("ec2:StartInstances"), "{text}");
    assert!(
        text.contains("example request (allowed by this policy):"),
        "{text}"
    );
    assert!(
        text.to_lowercase().contains("action:    s3:deletebucket"),
        "{text}"
    );
    assert!(
        text.contains("resource:  arn:aws:s3:::DOC-EXAMPLE-BUCKET/"),
        "{text}"
    );

    let p = policy(PUBLIC_PUT_DENY_OTHERS, PolicyType::Resource);
    let r = check_no_public_access(&p, ResourceType::S3Bucket, &opts());
    let text = r.render_text(PUBLIC_PUT_DENY_OTHERS);
    assert!(text.starts_with(
        "PASS check-no-public-access\nThe resource policy does not grant public access for the given resource type.\n"
    ));
}

// ----- AWS SDK examples (botocore/aws-sdk examples of the Check* operations) -----

const JOHN_DOE_GET: &str = r#"{"Version":"2012-10-17","Id":"123","Statement":[{"Sid":"AllowJohnDoe","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/JohnDoe"},"Action":"s3:GetObject","Resource":"*"}]}"#;
const JOHN_DOE_PUT_NON_SENSITIVE: &str = r#"{"Version":"2012-10-17","Id":"123","Statement":[{"Sid":"AllowJohnDoe","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/JohnDoe"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::non-sensitive-bucket/*"}]}"#;
const JOHN_DOE_PUT_MY_BUCKET: &str = r#"{"Version":"2012-10-17","Id":"123","Statement":[{"Sid":"AllowJohnDoe","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/JohnDoe"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::my-bucket/*"}]}"#;

#[test]
fn sdk_access_not_granted_examples() {
    let p = policy(JOHN_DOE_GET, PolicyType::Resource);
    let a = AccessSpec::from_json(r#"[{"actions":["s3:PutObject"]}]"#).unwrap();
    let r = check_access_not_granted(&p, &a, &opts());
    sane(&r, &p);
    assert_eq!(r.result, Verdict::Pass);

    let p = policy(JOHN_DOE_PUT_NON_SENSITIVE, PolicyType::Resource);
    let a =
        AccessSpec::from_json(r#"[{"resources":["arn:aws:s3:::sensitive-bucket/*"]}]"#).unwrap();
    let r = check_access_not_granted(&p, &a, &opts());
    sane(&r, &p);
    assert_eq!(
        r.to_aws_json_value(),
        json!({
            "result": "PASS",
            "message": "The policy document does not grant access to perform the listed actions or resources."
        })
    );

    let p = policy(JOHN_DOE_PUT_MY_BUCKET, PolicyType::Resource);
    let a = AccessSpec::from_json(r#"[{"resources":["arn:aws:s3:::my-bucket/*"]}]"#).unwrap();
    let r = check_access_not_granted(&p, &a, &opts());
    sane(&r, &p);
    assert_eq!(
        r.to_aws_json_value(),
        json!({
            "result": "FAIL",
            "message": "The policy document grants access to perform one or more of the listed actions or resources.",
            "reasons": [{
                "description": "One or more of the listed actions or resources in the statement with sid: AllowJohnDoe.",
                "statementIndex": 0,
                "statementId": "AllowJohnDoe"
            }]
        })
    );
}

#[test]
fn sdk_public_access_examples() {
    let pass = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Bob","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/JohnDoe"},"Action":["s3:GetObject"],"Resource":"*"}]}"#;
    let p = policy(pass, PolicyType::Resource);
    let r = check_no_public_access(&p, ResourceType::S3Bucket, &opts());
    sane(&r, &p);
    assert_eq!(r.result, Verdict::Pass, "{}", r.to_json());

    let fail = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Bob","Effect":"Allow","Principal":"*","Action":["s3:GetObject"],"Resource":"*"}]}"#;
    let p = policy(fail, PolicyType::Resource);
    let r = check_no_public_access(&p, ResourceType::S3Bucket, &opts());
    sane(&r, &p);
    assert_eq!(
        r.to_aws_json_value(),
        json!({
            "result": "FAIL",
            "message": "The resource policy grants public access for the given resource type.",
            "reasons": [{
                "description": "Public access granted in the following statement with sid: Bob.",
                "statementIndex": 0,
                "statementId": "Bob"
            }]
        })
    );
}

#[test]
fn sid_names_the_statement_in_no_new_access() {
    let old = policy(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
        PolicyType::Identity,
    );
    let new = policy(
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"S3ReadWrite","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"}]}"#,
        PolicyType::Identity,
    );
    let r = check_no_new_access(&old, &new, &opts());
    sane(&r, &new);
    assert_eq!(
        r.to_aws_json_value(),
        json!({
            "result": "FAIL",
            "message": "The modified permissions grant new access compared to your existing policy.",
            "reasons": [{
                "description": "New access in the statement with sid: S3ReadWrite.",
                "statementIndex": 0,
                "statementId": "S3ReadWrite"
            }]
        })
    );
}
