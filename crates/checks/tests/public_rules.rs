//! Who counts as public and how `NotPrincipal` is read, rule by rule, each with the sentence of
//! AWS's documentation it follows (docs/semantics.md, "Who counts as public" and "NotPrincipal,
//! layer by layer"). Every FAIL's example request was replayed through the evaluator by the
//! check itself; these tests pin the verdicts.

use iamproof_checks::{
    check_no_new_access, check_no_public_access, CheckOptions, ResourceType, Verdict,
};
use iamproof_policy::{parse_policy, Policy, PolicyType};

fn policy(statements: &str) -> Policy {
    let text = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
    match parse_policy(&text, PolicyType::Resource) {
        Ok(p) => p,
        Err(e) => panic!("{e}\n{text}"),
    }
}

fn public(resource_type: ResourceType, statements: &str) -> Verdict {
    let r = check_no_public_access(&policy(statements), resource_type, &CheckOptions::default());
    assert!(
        r.unknown_reason.is_none(),
        "undecided: {:?}",
        r.unknown_reason
    );
    r.result
}

const BUCKET: ResourceType = ResourceType::S3Bucket;

fn allow_all_with(condition: &str) -> String {
    format!(
        r#"{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{condition}}}"#
    )
}

/// Access Analyzer reports web-identity principals as public (its filter keys name
/// `cognito-identity.amazonaws.com:aud`, `accounts.google.com:aud`, `graph.facebook.com:app_id`,
/// `www.amazon.com:app_id` as the conditions that restrict them).
#[test]
fn web_identity_providers_are_public_unless_their_audience_is_fixed() {
    let trust = ResourceType::IamAssumeRolePolicyDocument;
    for provider in [
        "accounts.google.com",
        "graph.facebook.com",
        "www.amazon.com",
        "cognito-identity.amazonaws.com",
    ] {
        let st = format!(
            r#"{{"Effect":"Allow","Principal":{{"Federated":"{provider}"}},"Action":"sts:AssumeRoleWithWebIdentity"}}"#
        );
        assert_eq!(public(trust, &st), Verdict::Fail, "{provider}");
        // In any resource policy, not only a role's trust policy (fail closed).
        let st = format!(
            r#"{{"Effect":"Allow","Principal":{{"Federated":"{provider}"}},"Action":"s3:GetObject","Resource":"*"}}"#
        );
        assert_eq!(public(BUCKET, &st), Verdict::Fail, "{provider} on a bucket");
    }
    let pinned = r#"{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity",
        "Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"us-east-1:12345678-abcd-abcd-abcd-123456789012"}}}"#;
    assert_eq!(public(trust, pinned), Verdict::Pass);
    // A SAML provider of the policy's own account authenticates that account's people.
    let saml = r#"{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:saml-provider/corp"},"Action":"sts:AssumeRoleWithSAML"}"#;
    assert_eq!(public(trust, saml), Verdict::Pass);
}

/// S3, "The meaning of public": `s3:DataAccessPointArn` "When used in a bucket policy, this
/// value can contain a wildcard for the access point name without rendering the policy public,
/// as long as the account ID is fixed. [...] This behavior is different for access point
/// policies."
#[test]
fn data_access_point_keys_in_bucket_and_access_point_policies() {
    let arn_any_name = allow_all_with(
        r#"{"StringLike":{"s3:DataAccessPointArn":"arn:aws:s3:us-west-2:123456789012:accesspoint/*"}}"#,
    );
    assert_eq!(public(BUCKET, &arn_any_name), Verdict::Pass);
    let ap = arn_any_name.replace("arn:aws:s3:::b/*", "*");
    assert_eq!(public(ResourceType::S3AccessPoint, &ap), Verdict::Fail);
    let arn_any_account = allow_all_with(
        r#"{"StringLike":{"s3:DataAccessPointArn":"arn:aws:s3:us-west-2:*:accesspoint/*"}}"#,
    );
    assert_eq!(public(BUCKET, &arn_any_account), Verdict::Fail);
    let account =
        allow_all_with(r#"{"StringEquals":{"s3:DataAccessPointAccount":"123456789012"}}"#);
    assert_eq!(public(BUCKET, &account), Verdict::Pass);
    let account_like =
        allow_all_with(r#"{"StringLike":{"s3:DataAccessPointAccount":"1234567890*"}}"#);
    assert_eq!(public(BUCKET, &account_like), Verdict::Fail);
}

/// S3, "The meaning of public": non-public when granted to "A fixed value of aws:userid outside
/// the pattern AROLEID:*".
#[test]
fn a_role_id_with_a_wildcard_session_does_not_restrict() {
    let role_sessions = allow_all_with(r#"{"StringLike":{"aws:userid":"AROAEXAMPLEID:*"}}"#);
    assert_eq!(public(BUCKET, &role_sessions), Verdict::Fail);
    let user = allow_all_with(r#"{"StringEquals":{"aws:userid":"AIDAEXAMPLEUSERID"}}"#);
    assert_eq!(public(BUCKET, &user), Verdict::Pass);
    let session = allow_all_with(r#"{"StringEquals":{"aws:userid":"AROAEXAMPLEID:build"}}"#);
    assert_eq!(public(BUCKET, &session), Verdict::Pass);
}

/// S3, "The meaning of public": a policy is non-public when it grants only to fixed values of
/// these keys; "A fixed value is one that doesn't contain a wildcard (*) or an AWS Identity and
/// Access Management Policy Variable."
#[test]
fn documented_keys_restrict_only_with_fixed_values() {
    for (key, fixed, wild) in [
        (
            "aws:SourceArn",
            "arn:aws:sns:us-east-1:123456789012:topic",
            "arn:aws:sns:us-east-1:*:topic",
        ),
        ("aws:SourceVpc", "vpc-91237329", "vpc-*"),
        ("aws:SourceVpce", "vpce-1a2b3c4d", "vpce-*"),
        ("aws:SourceOwner", "123456789012", "1234567890*"),
        ("aws:SourceAccount", "123456789012", "12345678901?"),
        ("aws:PrincipalOrgID", "o-a1b2c3d4e5", "o-*"),
        (
            "s3:x-amz-server-side-encryption-aws-kms-key-id",
            "arn:aws:kms:us-east-1:123456789012:key/k1",
            "arn:aws:kms:*",
        ),
    ] {
        let f = allow_all_with(&format!(r#"{{"StringEquals":{{"{key}":"{fixed}"}}}}"#));
        assert_eq!(public(BUCKET, &f), Verdict::Pass, "{key} = {fixed}");
        let w = allow_all_with(&format!(r#"{{"StringLike":{{"{key}":"{wild}"}}}}"#));
        assert_eq!(public(BUCKET, &w), Verdict::Fail, "{key} like {wild}");
        let v = allow_all_with(&format!(
            r#"{{"StringEquals":{{"{key}":"${{aws:username}}"}}}}"#
        ));
        assert_eq!(
            public(BUCKET, &v),
            Verdict::Fail,
            "{key} = a policy variable"
        );
    }
    // "The policy limits access to a set of CIDRs using aws:SourceIp": ranges up to /8 (IPv4)
    // or /32 (IPv6) restrict; wider ones are the internet.
    for (range, verdict) in [
        ("203.0.113.0/24", Verdict::Pass),
        ("10.0.0.0/8", Verdict::Pass),
        ("0.0.0.0/1", Verdict::Fail),
        ("2001:db8::/32", Verdict::Pass),
        ("2001::/16", Verdict::Fail),
    ] {
        let st = allow_all_with(&format!(r#"{{"IpAddress":{{"aws:SourceIp":"{range}"}}}}"#));
        assert_eq!(public(BUCKET, &st), verdict, "{range}");
    }
}

/// No AWS document narrows public access to the resource type's own service: every action the
/// policy allows to everyone counts (fail closed). AWS answers FAIL for `s3:*` to everyone on an
/// S3 table bucket.
#[test]
fn every_allowed_action_counts() {
    let st = r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}"#;
    assert_eq!(public(ResourceType::S3TablesTableBucket, st), Verdict::Fail);
    let sqs_on_bucket =
        r#"{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"}"#;
    assert_eq!(public(BUCKET, sqs_on_bucket), Verdict::Fail);
    // Examples still prefer the resource type's own actions when the policy allows them.
    let both = r#"{"Effect":"Allow","Principal":"*","Action":["sqs:SendMessage","s3:GetObject"],"Resource":"*"}"#;
    let r = check_no_public_access(&policy(both), BUCKET, &CheckOptions::default());
    let example = r.reasons[0]
        .example_request
        .as_ref()
        .map(|e| e.action.clone());
    assert_eq!(example.as_deref(), Some("s3:GetObject"));
}

/// The IAM User Guide's NotPrincipal page: with a Deny and
/// `"NotPrincipal": {"AWS": ["arn:aws:iam::444455556666:user/Bob", "arn:aws:iam::444455556666:root"]}`,
/// "all principals except the user named Bob in AWS account 444455556666 are explicitly denied".
/// A reference policy that exempts only Bob does not allow Carol, so a new policy that exempts
/// Carol too grants new access (reading the account entry as exempting the whole account gave
/// a wrong PASS).
#[test]
fn not_principal_layers_in_no_new_access() {
    let grant = r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#;
    let existing = policy(&format!(
        r#"{grant},{{"Effect":"Deny","NotPrincipal":{{"AWS":["arn:aws:iam::444455556666:user/Bob","arn:aws:iam::444455556666:root"]}},"Action":"*","Resource":"*"}}"#
    ));
    let new = policy(&format!(
        r#"{grant},{{"Effect":"Deny","NotPrincipal":{{"AWS":["arn:aws:iam::444455556666:user/Bob","arn:aws:iam::444455556666:user/Carol","arn:aws:iam::444455556666:root"]}},"Action":"*","Resource":"*"}}"#
    ));
    let r = check_no_new_access(&existing, &new, &CheckOptions::default());
    assert_eq!(r.result, Verdict::Fail);
    let example = r.reasons[0]
        .example_request
        .as_ref()
        .map(|e| e.principal.clone());
    assert!(format!("{example:?}").contains("user/Carol"), "{example:?}");
    assert_eq!(
        check_no_new_access(&new, &existing, &CheckOptions::default()).result,
        Verdict::Pass
    );
    // The seed's bucket policy: a Deny with NotPrincipal naming the account keeps the bucket
    // private (only the account's root is exempt now, and nobody outside the account is).
    let seed = policy(
        r#"{"Effect":"Allow","Principal":"*","Action":["s3:PutObject"],"Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET"},{"Effect":"Deny","NotPrincipal":{"AWS":"123456789012"},"Action":"*","Resource":"*"}"#,
    );
    assert_eq!(
        check_no_public_access(&seed, BUCKET, &CheckOptions::default()).result,
        Verdict::Pass
    );
}

/// `{"Federated": "*"}` is accepted by Access Analyzer's CheckNoNewAccess (any federated
/// provider); iamproof checks it the same way (docs/semantics.md, "Principal wildcards of one
/// kind").
#[test]
fn kind_wildcard_principals_are_checked() {
    let google = policy(
        r#"{"Effect":"Allow","Principal":{"Federated":"accounts.google.com"},"Action":"sts:AssumeRoleWithWebIdentity"}"#,
    );
    let any = policy(
        r#"{"Effect":"Allow","Principal":{"Federated":"*"},"Action":"sts:AssumeRoleWithWebIdentity"}"#,
    );
    let opts = CheckOptions::default();
    let r = check_no_new_access(&google, &any, &opts);
    assert_eq!(r.result, Verdict::Fail);
    let example = r.reasons[0]
        .example_request
        .as_ref()
        .map(|e| e.principal.clone());
    assert!(
        matches!(example, Some(iamproof_eval::Principal::Federated(ref f)) if f != "accounts.google.com"),
        "{example:?}"
    );
    assert_eq!(
        check_no_new_access(&any, &google, &opts).result,
        Verdict::Pass
    );
    let trust = ResourceType::IamAssumeRolePolicyDocument;
    assert_eq!(
        check_no_public_access(&any, trust, &opts).result,
        Verdict::Fail
    );
    let services =
        policy(r#"{"Effect":"Allow","Principal":{"Service":"*"},"Action":"sts:AssumeRole"}"#);
    // AWS services are never outsiders.
    assert_eq!(
        check_no_public_access(&services, trust, &opts).result,
        Verdict::Pass
    );
}
