//! Table-driven tests of each check on the corners of IAM semantics (docs/semantics.md) where a naive
//! reading gives the wrong answer, plus the hand-labelled public/cross-account seeds. Each row says what AWS semantics require and, in `why`, what a naive engine
//! would get wrong.

mod common;

use common::{indices, opts, policy, problems, sane};
use iamproof_checks::{
    check_access_not_granted, check_no_external_access, check_no_new_access,
    check_no_public_access, AccessSpec, ResourceType, TrustZone, Verdict,
};
use iamproof_policy::PolicyType;
use Verdict::{Fail, Pass};

/// Wraps statements into a 2012-10-17 policy.
fn doc(statements: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#)
}

struct Row {
    why: &'static str,
    statements: &'static str,
    want: Verdict,
    /// The statements the reasons must name (FAIL only).
    stmts: &'static [usize],
}

const fn row(
    why: &'static str,
    statements: &'static str,
    want: Verdict,
    stmts: &'static [usize],
) -> Row {
    Row {
        why,
        statements,
        want,
        stmts,
    }
}

fn run_public(t: ResourceType, rows: &[Row]) {
    let mut failures = Vec::new();
    for r in rows {
        let text = doc(r.statements);
        let p = policy(&text, PolicyType::Resource);
        let res = check_no_public_access(&p, t, &opts());
        let mut bad = problems(&res, &p);
        if res.result != r.want || (r.want == Fail && indices(&res) != r.stmts) {
            bad.push(format!("want {:?} {:?}", r.want, r.stmts));
        }
        if !bad.is_empty() {
            failures.push(format!(
                "{t} [{}]: {}; got {}",
                r.why,
                bad.join("; "),
                res.to_json()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn public_s3_bucket() {
    run_public(
        ResourceType::S3Bucket,
        &[
            row(
                "Principal * is public",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#,
                Fail,
                &[0],
            ),
            row(
                "{AWS:*} is public",
                r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#,
                Fail,
                &[0],
            ),
            row(
                "a fixed account is not public",
                r#"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}"#,
                Pass,
                &[],
            ),
            row(
                "account ≡ root ARN (corner 11)",
                r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:*","Resource":"*"}"#,
                Pass,
                &[],
            ),
            row(
                "a fixed role is not public",
                r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/path/R"},"Action":"s3:*","Resource":"*"}"#,
                Pass,
                &[],
            ),
            row(
                "a service principal is not public",
                r#"{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"*"}"#,
                Pass,
                &[],
            ),
            row(
                "Allow + NotPrincipal grants everyone else (corner 9)",
                r#"{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"*"}"#,
                Fail,
                &[0],
            ),
            row(
                "Deny + NotPrincipal of one account restricts (seed)",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"},{"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"*","Resource":"*"}"#,
                Pass,
                &[],
            ),
            row(
                "fixed aws:PrincipalAccount restricts",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}}"#,
                Pass,
                &[],
            ),
            row(
                "wildcard aws:PrincipalAccount does not",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringLike":{"aws:PrincipalAccount":"1111222233*"}}}"#,
                Fail,
                &[0],
            ),
            row(
                "negated operator + several values = NOR, not OR (corner 2)",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalAccount":["111111111111","222222222222"]}}}"#,
                Fail,
                &[0],
            ),
            row(
                "Deny unless org: missing key ⇒ negated operator true (corner 1)",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}"#,
                Pass,
                &[],
            ),
            row(
                "Allow with negated VPC endpoint condition: absent key satisfies it",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}"#,
                Fail,
                &[0],
            ),
            row(
                "fixed VPC endpoint restricts",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}"#,
                Pass,
                &[],
            ),
            row(
                "wildcard VPC endpoint does not",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringLike":{"aws:SourceVpce":"vpce-*"}}}"#,
                Fail,
                &[0],
            ),
            row(
                "IfExists: an absent key makes the condition true (corner 6)",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}"#,
                Fail,
                &[0],
            ),
            row(
                "Deny with NotEqualsIfExists denies the absent key too",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:SourceVpc":"vpc-1a2b3c4d"}}}"#,
                Pass,
                &[],
            ),
            row(
                "ForAllValues is vacuously true when the key is absent (corner 3)",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"ForAllValues:StringLike":{"aws:PrincipalOrgPaths":"o-a1b2c3d4e5/*"}}}"#,
                Fail,
                &[0],
            ),
            row(
                "ForAnyValue on a fixed org path restricts",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":"o-a1b2c3d4e5/r-ab12/*"}}}"#,
                Pass,
                &[],
            ),
            row(
                "source IP range restricts",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}"#,
                Pass,
                &[],
            ),
            row(
                "the whole IPv4 space does not",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}"#,
                Fail,
                &[0],
            ),
            row(
                "NotIpAddress grants everyone else",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}"#,
                Fail,
                &[0],
            ),
            row(
                "Deny NotIpAddress restricts (and denies endpoint calls without aws:SourceIp)",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}"#,
                Pass,
                &[],
            ),
            row(
                "a condition the caller controls does not restrict",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"},"StringEquals":{"aws:UserAgent":"x"}}}"#,
                Fail,
                &[0],
            ),
            // AWS never sends a misspelt key, so this Deny denies everything (docs/semantics.md, "Missing keys and negated operators"). iamproof
            // cannot tell a misspelling from a key it does not know, and treats unknown keys as
            // caller-controlled (a wrong "absent" would make a PASS unsound): a false FAIL, on
            // the safe side.
            row(
                "a key iamproof does not know is caller-controlled",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:SoureVpce":"vpce-1a2b3c4d"}}}"#,
                Fail,
                &[0],
            ),
            row(
                "fixed source ARN restricts (confused deputy)",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"*","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111122223333:trail/t"}}}"#,
                Pass,
                &[],
            ),
            row(
                "NotAction with Allow grants every other s3 action (corner 10)",
                r#"{"Effect":"Allow","Principal":"*","NotAction":"s3:GetObject","Resource":"*"}"#,
                Fail,
                &[0],
            ),
            row(
                "every action counts, another service's too (fail closed; docs/semantics.md)",
                r#"{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"}"#,
                Fail,
                &[0],
            ),
            row(
                "each public statement is named",
                r#"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"},{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"},{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"*"}"#,
                Fail,
                &[1, 2],
            ),
            row(
                "policyuniverse #150: org plus any-account role pattern is org-restricted",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":["o-a1b2c3d4e5"]},"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/ARole-*"}}}"#,
                Pass,
                &[],
            ),
            row(
                "policyuniverse #189: a role's unique id pins the principal",
                r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:userId":"AROAEXAMPLEID:foo"}}}"#,
                Pass,
                &[],
            ),
            row(
                "aws:PrincipalArn in a fixed account restricts",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/*"}}}"#,
                Pass,
                &[],
            ),
            row(
                "aws:PrincipalArn with any account does not",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/deploy"}}}"#,
                Fail,
                &[0],
            ),
            row(
                "fixed access point account restricts",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"s3:DataAccessPointAccount":"111122223333"}}}"#,
                Pass,
                &[],
            ),
        ],
    );
}

#[test]
fn public_other_resource_types() {
    run_public(
        ResourceType::ApiGatewayRestApi,
        &[row(
            "policyuniverse #161: Deny unless SourceVpc is not public",
            r#"{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:111122223333:api/*"},{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:111122223333:api/*","Condition":{"StringNotEquals":{"aws:SourceVpc":"vpc-1a2b3c4d"}}}"#,
            Pass,
            &[],
        )],
    );
    run_public(
        ResourceType::KmsKey,
        &[
            row(
                "key policy open to everyone",
                r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*"}"#,
                Fail,
                &[0],
            ),
            row(
                "kms:CallerAccount pins the account",
                r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Decrypt","kms:Encrypt"],"Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"111122223333"}}}"#,
                Pass,
                &[],
            ),
            row(
                "kms:ViaService alone does not",
                r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}}"#,
                Fail,
                &[0],
            ),
            row(
                "NotAction from another service grants every KMS action",
                r#"{"Effect":"Allow","Principal":{"AWS":"*"},"NotAction":"s3:*","Resource":"*"}"#,
                Fail,
                &[0],
            ),
        ],
    );
    run_public(
        ResourceType::IamAssumeRolePolicyDocument,
        &[
            row(
                "a service trust is not public",
                r#"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}"#,
                Pass,
                &[],
            ),
            row(
                "web identity without audience is public",
                r#"{"Effect":"Allow","Principal":{"Federated":"accounts.google.com"},"Action":"sts:AssumeRoleWithWebIdentity"}"#,
                Fail,
                &[0],
            ),
            row(
                "a fixed audience restricts",
                r#"{"Effect":"Allow","Principal":{"Federated":"accounts.google.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"accounts.google.com:aud":"my-app.apps.googleusercontent.com"}}}"#,
                Pass,
                &[],
            ),
            row(
                "sts:ExternalId is chosen by the caller",
                r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"secret"}}}"#,
                Fail,
                &[0],
            ),
        ],
    );
    run_public(
        ResourceType::EfsFileSystem,
        &[row(
            "mount-target-only access is not public",
            r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"elasticfilesystem:ClientMount","Resource":"*","Condition":{"Bool":{"elasticfilesystem:AccessedViaMountTarget":"true"}}}"#,
            Pass,
            &[],
        )],
    );
    run_public(
        ResourceType::SqsQueue,
        &[
            row(
                "fixed source account restricts",
                r#"{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"*"},{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}"#,
                Pass,
                &[],
            ),
            row(
                "anonymous callers exist for SQS",
                r#"{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*","Condition":{"Null":{"aws:PrincipalArn":"true"}}}"#,
                Fail,
                &[0],
            ),
        ],
    );
}

fn run_external(trusted: &TrustZone, rows: &[Row]) {
    let mut failures = Vec::new();
    for r in rows {
        let text = doc(r.statements);
        let p = policy(&text, PolicyType::Resource);
        let res = check_no_external_access(&p, ResourceType::S3Bucket, trusted, &opts());
        let mut bad = problems(&res, &p);
        if res.result != r.want || (r.want == Fail && indices(&res) != r.stmts) {
            bad.push(format!("want {:?} {:?}", r.want, r.stmts));
        }
        if !bad.is_empty() {
            failures.push(format!(
                "[{}]: {}; got {}",
                r.why,
                bad.join("; "),
                res.to_json()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn external_access() {
    let t = TrustZone::new(
        vec!["123456789012".into(), "210987654321".into()],
        vec!["o-a1b2c3d4e5".into()],
    )
    .unwrap();
    run_external(
        &t,
        &[
            row(
                "another account is external",
                r#"{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:GetObject","Resource":"*"}"#,
                Fail,
                &[0],
            ),
            row(
                "a trusted account is not",
                r#"{"Effect":"Allow","Principal":{"AWS":["123456789012","arn:aws:iam::210987654321:role/R"]},"Action":"s3:GetObject","Resource":"*"}"#,
                Pass,
                &[],
            ),
            row(
                "the trusted organization is not",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}"#,
                Pass,
                &[],
            ),
            row(
                "another organization is",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-zzzzzzzzzz"}}}"#,
                Fail,
                &[0],
            ),
            row(
                "a VPC does not keep other accounts out",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpc":"vpc-1a2b3c4d"}}}"#,
                Fail,
                &[0],
            ),
            row(
                "service principals are not external",
                r#"{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"*"}"#,
                Pass,
                &[],
            ),
            row(
                "Deny + NotPrincipal of the trusted accounts",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"},{"Effect":"Deny","NotPrincipal":{"AWS":["123456789012","210987654321"]},"Action":"*","Resource":"*"}"#,
                Pass,
                &[],
            ),
        ],
    );
}

fn access(json: &str) -> AccessSpec {
    AccessSpec::from_json(json).unwrap()
}

fn run_access(rows: &[(&str, &str, Verdict, &[usize], &str)]) {
    let mut failures = Vec::new();
    for (why, statements, want, stmts, acc) in rows {
        let text = doc(statements);
        let p = policy(&text, PolicyType::Identity);
        let res = check_access_not_granted(&p, &access(acc), &opts());
        let mut bad = problems(&res, &p);
        if res.result != *want || (*want == Fail && indices(&res) != *stmts) {
            bad.push(format!("want {want:?} {stmts:?}"));
        }
        if !bad.is_empty() {
            failures.push(format!(
                "[{why}]: {}; got {}",
                bad.join("; "),
                res.to_json()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

const DELETE: &str = r#"[{"actions":["s3:DeleteBucket"]}]"#;

#[test]
fn access_not_granted() {
    run_access(&[
        (
            "a conditional grant is still a grant",
            r#"{"Effect":"Allow","Action":"s3:DeleteBucket","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}"#,
            Fail,
            &[0],
            DELETE,
        ),
        (
            "action wildcards match ignoring case",
            r#"{"Effect":"Allow","Action":"S3:delete*","Resource":"*"}"#,
            Fail,
            &[0],
            DELETE,
        ),
        (
            "a Deny overrides",
            r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}"#,
            Pass,
            &[],
            DELETE,
        ),
        (
            "a conditional Deny leaves requests it does not cover",
            r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}"#,
            Fail,
            &[0],
            DELETE,
        ),
        (
            "Allow NotAction grants everything else (corner 10)",
            r#"{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#,
            Fail,
            &[0],
            DELETE,
        ),
        (
            "Allow NotAction does not grant what it lists",
            r#"{"Effect":"Allow","NotAction":"s3:*","Resource":"*"}"#,
            Pass,
            &[],
            DELETE,
        ),
        (
            "prowler #5035: NotAction of an unknown action is admin",
            r#"{"Effect":"Allow","NotAction":"prowler:action","Resource":"*"}"#,
            Fail,
            &[0],
            r#"[{"actions":["iam:*"]}]"#,
        ),
        (
            "cloudsplaining #97: a Deny grants nothing",
            r#"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:TokenIssueTime":"2020-01-01T00:00:00Z"}}}"#,
            Pass,
            &[],
            r#"[{"actions":["*"]}]"#,
        ),
        (
            "missing key ⇒ negated Deny applies; present vpce-1 escapes it (corner 1)",
            r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}"#,
            Fail,
            &[0],
            DELETE,
        ),
        (
            "NOR: a region both equal and not equal to us-east-1 is denied either way (corner 2)",
            r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","us-west-2"]}}},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":["us-east-1","us-west-2"]}}}"#,
            Pass,
            &[],
            DELETE,
        ),
        (
            "IfExists: an absent key makes the Deny apply (corner 6)",
            r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:RequestedRegion":"us-east-1"}}},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}}"#,
            Pass,
            &[],
            DELETE,
        ),
        (
            "ForAllValues is vacuous: Deny ForAllValues:StringLike * always applies (corner 3)",
            r#"{"Effect":"Allow","Action":"iam:TagUser","Resource":"*"},{"Effect":"Deny","Action":"iam:TagUser","Resource":"*","Condition":{"ForAllValues:StringLike":{"aws:TagKeys":"*"}}}"#,
            Pass,
            &[],
            r#"[{"actions":["iam:TagUser"]}]"#,
        ),
        (
            "ForAllValues on an Allow grants without any tag",
            r#"{"Effect":"Allow","Action":"iam:TagUser","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}}"#,
            Fail,
            &[0],
            r#"[{"actions":["iam:TagUser"]}]"#,
        ),
        (
            "resources only: any action on the resource",
            r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#,
            Fail,
            &[0],
            r#"[{"resources":["arn:aws:s3:::b/secret/*"]}]"#,
        ),
        (
            "resources only: another bucket",
            r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}"#,
            Pass,
            &[],
            r#"[{"resources":["arn:aws:s3:::c/*"]}]"#,
        ),
        (
            "both: the listed action on the listed resource",
            r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::c/*"},{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}"#,
            Fail,
            &[1],
            r#"[{"actions":["s3:PutObject"],"resources":["arn:aws:s3:::b/*","arn:aws:s3:::d/*"]}]"#,
        ),
        (
            "both: listed action only on another resource",
            r#"{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::c/*"}"#,
            Pass,
            &[],
            r#"[{"actions":["s3:PutObject"],"resources":["arn:aws:s3:::b/*"]}]"#,
        ),
        (
            "NotResource with Allow grants every other resource",
            r#"{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::public/*"}"#,
            Fail,
            &[0],
            r#"[{"resources":["arn:aws:s3:::secret/*"]}]"#,
        ),
    ]);
}

#[test]
fn version_2008_makes_variables_literal() {
    let text = r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"${aws:PrincipalTag/team}"},"Null":{"aws:PrincipalTag/team":"false"}}}]}"#;
    let p = policy(text, PolicyType::Identity);
    let r = check_access_not_granted(&p, &access(r#"[{"actions":["s3:GetObject"]}]"#), &opts());
    sane(&r, &p);
    assert_eq!(r.result, Fail, "{}", r.to_json());
}

fn run_no_new(rows: &[(&str, &str, &str, Verdict, &[usize])], t: PolicyType) {
    let mut failures = Vec::new();
    for (why, old, new, want, stmts) in rows {
        let old = policy(&doc(old), t);
        let new = policy(&doc(new), t);
        let res = check_no_new_access(&old, &new, &opts());
        let mut bad = problems(&res, &new);
        if res.result != *want || (*want == Fail && indices(&res) != *stmts) {
            bad.push(format!("want {want:?} {stmts:?}"));
        }
        if !bad.is_empty() {
            failures.push(format!(
                "[{why}]: {}; got {}",
                bad.join("; "),
                res.to_json()
            ));
        }
        if res.result == Fail {
            for reason in &res.reasons {
                let Some(w) = reason.example_request.as_ref() else {
                    continue;
                };
                assert!(!iamproof_eval::evaluate_policy(&old, w).allows(), "[{why}]");
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn no_new_access_identity() {
    const GET_ALL: &str = r#"{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}"#;
    run_no_new(
        &[
            (
                "narrower action",
                GET_ALL,
                r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#,
                Pass,
                &[],
            ),
            (
                "case-insensitive actions",
                r#"{"Effect":"Allow","Action":"s3:getobject","Resource":"*"}"#,
                r#"{"Effect":"Allow","Action":"S3:GetObject","Resource":"*"}"#,
                Pass,
                &[],
            ),
            (
                "reordered statements",
                r#"{"Sid":"A","Effect":"Allow","Action":"s3:Get*","Resource":"*"},{"Sid":"B","Effect":"Allow","Action":"sqs:*","Resource":"*"}"#,
                r#"{"Effect":"Allow","Action":"sqs:*","Resource":"*"},{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}"#,
                Pass,
                &[],
            ),
            (
                "one statement adds an action",
                GET_ALL,
                r#"{"Effect":"Allow","Action":"s3:Get*","Resource":"*"},{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}"#,
                Fail,
                &[1],
            ),
            (
                "two statements add access",
                GET_ALL,
                r#"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"},{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}"#,
                Fail,
                &[0, 2],
            ),
            (
                "removing a condition is new access",
                r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}"#,
                r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#,
                Fail,
                &[0],
            ),
            (
                "adding a condition is not",
                r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#,
                r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}"#,
                Pass,
                &[],
            ),
            (
                "NotAction is the complement",
                r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#,
                r#"{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#,
                Fail,
                &[0],
            ),
            (
                "a new Deny only removes access",
                GET_ALL,
                r#"{"Effect":"Allow","Action":"s3:Get*","Resource":"*"},{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}"#,
                Pass,
                &[],
            ),
            (
                "removing a Deny is new access",
                r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}"#,
                r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#,
                Fail,
                &[0],
            ),
            (
                "StringEquals treats * literally (corner 14)",
                r#"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"StringLike":{"s3:prefix":"home/*"}}}"#,
                r#"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"StringEquals":{"s3:prefix":"home/*"}}}"#,
                Pass,
                &[],
            ),
            (
                "StringLike is wider than StringEquals",
                r#"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"StringEquals":{"s3:prefix":"home/*"}}}"#,
                r#"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"StringLike":{"s3:prefix":"home/*"}}}"#,
                Fail,
                &[0],
            ),
            (
                "ForAnyValue:StringNotEquals is not ForAllValues:StringNotEquals (corner 4)",
                r#"{"Effect":"Allow","Action":"iam:TagUser","Resource":"*","Condition":{"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]}}}"#,
                r#"{"Effect":"Allow","Action":"iam:TagUser","Resource":"*","Condition":{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["secret"]}}}"#,
                Fail,
                &[0],
            ),
            (
                "ArnLike matches field by field, StringLike lets * cross colons (corner 14)",
                r#"{"Effect":"Allow","Action":"sns:Publish","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:*:111122223333:*"}}}"#,
                r#"{"Effect":"Allow","Action":"sns:Publish","Resource":"*","Condition":{"StringLike":{"aws:SourceArn":"arn:aws:s3:*:111122223333:*"}}}"#,
                Fail,
                &[0],
            ),
            (
                "ArnLike is narrower than StringLike (corner 14)",
                r#"{"Effect":"Allow","Action":"sns:Publish","Resource":"*","Condition":{"StringLike":{"aws:SourceArn":"arn:aws:s3:*:111122223333:*"}}}"#,
                r#"{"Effect":"Allow","Action":"sns:Publish","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:*:111122223333:*"}}}"#,
                Pass,
                &[],
            ),
            (
                "resource * spans every ARN",
                r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::*"}"#,
                r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#,
                Fail,
                &[0],
            ),
        ],
        PolicyType::Identity,
    );
}

#[test]
fn no_new_access_resource_policies() {
    run_no_new(
        &[
            (
                "account ≡ root ARN (corner 11)",
                r#"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"*"}"#,
                r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"*"}"#,
                Pass,
                &[],
            ),
            (
                "root ARN ≡ account (corner 11)",
                r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"*"}"#,
                r#"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"*"}"#,
                Pass,
                &[],
            ),
            (
                "Principal * ≡ {AWS: *}",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}"#,
                r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"*"}"#,
                Pass,
                &[],
            ),
            (
                "another account is new",
                r#"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"*"}"#,
                r#"{"Effect":"Allow","Principal":{"AWS":["111122223333","444455556666"]},"Action":"s3:GetObject","Resource":"*"}"#,
                Fail,
                &[0],
            ),
            (
                "a role ARN covers its sessions (corner 12)",
                r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/path/R"},"Action":"s3:GetObject","Resource":"*"}"#,
                r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/R/session-1"},"Action":"s3:GetObject","Resource":"*"}"#,
                Pass,
                &[],
            ),
            (
                "a role ARN grants more than one session (corner 12)",
                r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/R/session-1"},"Action":"s3:GetObject","Resource":"*"}"#,
                r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/path/R"},"Action":"s3:GetObject","Resource":"*"}"#,
                Fail,
                &[0],
            ),
            (
                "a role is within its account",
                r#"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"*"}"#,
                r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/R"},"Action":"s3:GetObject","Resource":"*"}"#,
                Pass,
                &[],
            ),
        ],
        PolicyType::Resource,
    );
}

/// Rows that once needed more of `iamproof-solver` (template reasoning over the request axioms
/// and self-referencing policy variables); the native engine now decides them. The corner-7
/// row's PASS was also confirmed with the z3 and cvc5 backends.
#[test]
fn rows_waiting_for_the_solver() {
    run_access(&[(
        "Version 2012: ${…} is a variable, tag ≠ itself is impossible (corner 7)",
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"${aws:PrincipalTag/team}"},"Null":{"aws:PrincipalTag/team":"false"}}}"#,
        Pass,
        &[],
        r#"[{"actions":["s3:GetObject"]}]"#,
    )]);
    run_no_new(
        &[(
            "a resource whose variable has no value matches nothing (corner 8)",
            r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*","Condition":{"Null":{"aws:username":"false"}}}"#,
            r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}"#,
            Pass,
            &[],
        )],
        PolicyType::Identity,
    );
}
