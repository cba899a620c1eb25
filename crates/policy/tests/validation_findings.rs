//! `validate_policy`: which findings each construct gets, with type and location.

use iamproof_policy::{validate, validate_policy, FindingType, PolicyType, ValidateOptions};

use FindingType::{Error as E, SecurityWarning as SW, Suggestion as SG, Warning as W};

/// (issue code, finding type, path of the first location), AWS's checks and iamproof's own.
fn findings(text: &str, ty: PolicyType) -> Vec<(String, FindingType, String)> {
    let opts = ValidateOptions {
        iamproof_checks: true,
        ..ValidateOptions::new(ty)
    };
    let all = validate(text, &opts);
    // Without iamproof's checks: exactly the AWS-coded findings.
    let aws: Vec<_> = all.iter().filter(|f| f.is_aws()).cloned().collect();
    assert_eq!(validate_policy(text, ty), aws, "for {text}");
    for f in &all {
        assert!(f.learn_more_link.is_some(), "{f:?}");
        assert!(f.is_aws() || f.issue_code.starts_with("IAMPROOF_"), "{f:?}");
    }
    all.into_iter()
        .map(|f| {
            let p = f
                .locations
                .first()
                .map(|l| l.path.to_string())
                .unwrap_or_default();
            (f.issue_code, f.finding_type, p)
        })
        .collect()
}

fn v12(statements: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#)
}

fn check(text: &str, ty: PolicyType, want: &[(&str, FindingType, &str)]) {
    let got = findings(text, ty);
    let want: Vec<(String, FindingType, String)> = want
        .iter()
        .map(|(c, t, p)| (c.to_string(), *t, p.to_string()))
        .collect();
    assert_eq!(got, want, "for {text}");
}

const ALLOW_S3: &str =
    r#""Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*""#;

fn with_condition(cond: &str) -> String {
    v12(&format!(r#"{{{ALLOW_S3}, "Condition": {cond}}}"#))
}

#[test]
fn a_clean_policy_has_no_findings() {
    check(
        &with_condition(r#"{"StringEquals": {"aws:PrincipalOrgID": "o-123"}}"#),
        PolicyType::Identity,
        &[],
    );
}

#[test]
fn action_and_resource_findings() {
    check(
        &v12(
            r#"{"Effect": "Allow", "Action": ["s3:GetObject,PutObject", "s3:"],
               "Resource": ["bucket", "arn:aws:s3", "arn:aws:*:us-east-1:1:x", "arn:aws:s3:${aws:username}::b/c"]}"#,
        ),
        PolicyType::Identity,
        &[
            // "The action {{action}} does not exist." (no action name holds a comma)
            ("INVALID_ACTION", E, "Statement[0].Action[0]"),
            ("INVALID_ACTION", E, "Statement[0].Action[1]"),
            // "Resource ARNs must include at least {{fields}} fields in the following
            // structure: arn:partition:service:region:account:resource"
            ("MISSING_ARN_FIELD", E, "Statement[0].Resource[0]"),
            ("MISSING_ARN_FIELD", E, "Statement[0].Resource[1]"),
            ("WILDCARD_IN_SERVICE_NAME", SG, "Statement[0].Resource[2]"),
            (
                "IAMPROOF_VARIABLE_IN_ARN_PREFIX",
                W,
                "Statement[0].Resource[3]",
            ),
        ],
    );
    check(
        &v12(&format!(r#"{{{ALLOW_S3}, "Condition": {{}}}}"#)),
        PolicyType::Identity,
        &[("EMPTY_OBJECT_CONDITION", SG, "Statement[0].Condition")],
    );
    check(
        &v12(r#"{"Effect": "Allow", "Action": [], "Resource": []}"#),
        PolicyType::Identity,
        &[
            ("EMPTY_ARRAY_ACTION", SG, "Statement[0].Action"),
            ("EMPTY_ARRAY_RESOURCE", SG, "Statement[0].Resource"),
        ],
    );
    check(
        &v12(r#"{"Effect": "Allow", "Action": ["iam:*"], "Resource": "*"}"#),
        PolicyType::Identity,
        &[
            (
                "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
                SW,
                "Statement[0].Action[0]",
            ),
            (
                "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE",
                W,
                "Statement[0].Action[0]",
            ),
        ],
    );
}

#[test]
fn principal_findings() {
    check(
        &v12(
            r#"{"Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "*"},
               {"Effect": "Allow", "Principal": {}, "Action": "sts:AssumeRole"},
               {"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "EC2.amazonaws.com"]}, "Action": "sts:AssumeRole"}"#,
        ),
        PolicyType::Resource,
        &[
            (
                "IAMPROOF_DENY_WITH_NOT_PRINCIPAL",
                W,
                "Statement[0].NotPrincipal",
            ),
            ("EMPTY_OBJECT_PRINCIPAL", SG, "Statement[1].Principal"),
            (
                "INVALID_SERVICE_PRINCIPAL_FORMAT",
                E,
                "Statement[2].Principal.Service[1]",
            ),
        ],
    );
    check(
        &v12(r#"{"Effect": "Allow", "Principal": [], "Action": "sts:AssumeRole"}"#),
        PolicyType::Resource,
        &[("EMPTY_ARRAY_PRINCIPAL", SG, "Statement[0].Principal")],
    );
    check(
        &v12(
            r#"{"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {}}}"#,
        ),
        PolicyType::Resource,
        // {"AWS": "*"} gets no finding from AWS.
        &[(
            "EMPTY_OBJECT_CONDITION",
            SG,
            "Statement[0].Condition.StringEquals",
        )],
    );
}

#[test]
fn document_findings() {
    check(
        &v12(&format!(
            r#"{{"Sid": "A", {ALLOW_S3}}}, {{"Sid": "A", {ALLOW_S3}}}"#
        )),
        PolicyType::Identity,
        &[("UNIQUE_SIDS_REQUIRED", E, "Statement[0].Sid")],
    );
    // "RCPs only support specifying all principals ("*") in the Principal element, all
    // resources ("*") in the Resource element, and no Condition element with an effect of
    // Allow."
    let rcp = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#;
    check(
        rcp,
        PolicyType::ResourceControl,
        &[("RCP_SYNTAX_ERROR_ALLOW", E, "Statement[0].Effect")],
    );
    // "RCPs do not support the NotAction element. Update to use the Action element."
    let rcp = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "NotAction": "s3:GetObject", "Resource": "*"}]}"#;
    check(
        rcp,
        PolicyType::ResourceControl,
        &[("RCP_SYNTAX_ERROR_NOTACTION", E, "Statement[0].NotAction")],
    );
    let full_access = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}"#;
    check(full_access, PolicyType::ResourceControl, &[]);
    let big = v12(&(0..200)
        .map(|i| format!(r#"{{"Sid": "S{i}", {ALLOW_S3}}}"#))
        .collect::<Vec<_>>()
        .join(","));
    let f = validate_policy(&big, PolicyType::Identity);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].issue_code, "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA");
    assert_eq!(f[0].locations[0].span.end.offset, big.len());
    // Resource policies have another quota, not checked.
    assert!(validate_policy(
        &big.replace(r#""Effect""#, r#""Principal": "*", "Effect""#),
        PolicyType::Resource
    )
    .is_empty());
}

#[test]
fn condition_findings() {
    check(
        &with_condition(
            r#"{"ForAllValues:Null": {"aws:TagKeys": "true"},
                "ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": "a"},
                "StringNotLikeIfExists": {"s3:prefix": "a*"},
                "StringEqualsIgnoreCase": {"s3:prefix": ["", "é"]},
                "Bool": {"aws:SecureTransport": ["true", "yes"]},
                "Null": {"s3:x-amz-acl": "maybe"}}"#,
        ),
        PolicyType::Identity,
        &[
            // "Avoid using the Null condition operator with the ForAllValues or ForAnyValue
            // qualifiers because they always return a true or false respectively." (SUGGESTION)
            (
                "NULL_WITH_QUALIFIER",
                SG,
                "Statement[0].Condition[\"ForAllValues:Null\"][\"aws:TagKeys\"]",
            ),
            (
                "IAMPROOF_FOR_ANY_VALUE_WITH_IF_EXISTS",
                W,
                "Statement[0].Condition[\"ForAnyValue:StringEqualsIfExists\"][\"aws:TagKeys\"]",
            ),
            (
                "IAMPROOF_IF_EXISTS_ON_NEGATED_OPERATOR",
                SG,
                "Statement[0].Condition.StringNotLikeIfExists[\"s3:prefix\"]",
            ),
            (
                "IAMPROOF_EMPTY_STRING_CONDITION_VALUE",
                SG,
                "Statement[0].Condition.StringEqualsIgnoreCase[\"s3:prefix\"][0]",
            ),
            (
                "IAMPROOF_IGNORE_CASE_WITH_NON_ASCII",
                W,
                "Statement[0].Condition.StringEqualsIgnoreCase[\"s3:prefix\"][1]",
            ),
            // "The condition key does not support multiple Boolean values. Use a single Boolean
            // value."
            (
                "INVALID_CONDITION_MULTIPLE_BOOLEAN",
                E,
                "Statement[0].Condition.Bool[\"aws:SecureTransport\"]",
            ),
            (
                "TYPE_MISMATCH_BOOLEAN",
                W,
                "Statement[0].Condition.Bool[\"aws:SecureTransport\"][1]",
            ),
            (
                "TYPE_MISMATCH_BOOLEAN",
                W,
                "Statement[0].Condition.Null[\"s3:x-amz-acl\"]",
            ),
        ],
    );
}

#[test]
fn typed_value_findings() {
    check(
        &with_condition(
            r#"{"NumericLessThan": {"s3:max-keys": "ten"},
                "DateGreaterThan": {"aws:CurrentTime": ["2020", "tomorrow", "2020-01-01T00:00:00Z"]},
                "IpAddress": {"aws:SourceIp": ["203.0.113.5/24", "2001:db8::1", "10.0.0.0/8x"]},
                "BinaryEquals": {"s3:x": "not base64!"},
                "ArnLike": {"aws:SourceArn": "arn:aws:s3"},
                "Bool": {"aws:SecureTransport": "${aws:PrincipalTag/x}"}}"#,
        ),
        PolicyType::Identity,
        &[
            (
                "TYPE_MISMATCH_NUMBER",
                W,
                "Statement[0].Condition.NumericLessThan[\"s3:max-keys\"]",
            ),
            (
                "IAMPROOF_IMPRECISE_DATE_VALUE",
                SG,
                "Statement[0].Condition.DateGreaterThan[\"aws:CurrentTime\"][0]",
            ),
            (
                "TYPE_MISMATCH_DATE",
                W,
                "Statement[0].Condition.DateGreaterThan[\"aws:CurrentTime\"][1]",
            ),
            (
                "IMPROVE_IP_RANGE",
                SG,
                "Statement[0].Condition.IpAddress[\"aws:SourceIp\"][0]",
            ),
            (
                "IAMPROOF_BARE_IPV6_ADDRESS",
                SG,
                "Statement[0].Condition.IpAddress[\"aws:SourceIp\"][1]",
            ),
            // "The condition operator {{operator}} is used with an invalid IP range value.
            // Specify the IP range in standard CIDR format." (ERROR)
            (
                "TYPE_MISMATCH_IP_RANGE",
                E,
                "Statement[0].Condition.IpAddress[\"aws:SourceIp\"][2]",
            ),
            // "Add a valid base64-encoded string value for the condition operator {{operator}}."
            (
                "TYPE_MISMATCH_STRING",
                W,
                "Statement[0].Condition.BinaryEquals[\"s3:x\"]",
            ),
            (
                "IAMPROOF_SHORT_ARN_CONDITION_VALUE",
                W,
                "Statement[0].Condition.ArnLike[\"aws:SourceArn\"]",
            ),
            // "Policy variables can only be used with String and ARN operators."
            (
                "INVALID_VARIABLE_FOR_OPERATOR",
                E,
                "Statement[0].Condition.Bool[\"aws:SecureTransport\"]",
            ),
        ],
    );
}

#[test]
fn key_catalogue_findings() {
    check(
        &with_condition(
            r#"{"StringEquals": {"aws:SecureTransport": "true", "aws:CalledVia": "athena.amazonaws.com"},
                "StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/x", "aws:userid": "*"},
                "IpAddress": {"aws:SourceIp": "10.1.0.0/16"}}"#,
        ),
        PolicyType::Identity,
        &[
            (
                "TYPE_MISMATCH",
                W,
                "Statement[0].Condition.StringEquals[\"aws:SecureTransport\"]",
            ),
            (
                "MISSING_QUALIFIER",
                E,
                "Statement[0].Condition.StringEquals[\"aws:CalledVia\"]",
            ),
            (
                "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS",
                SW,
                "Statement[0].Condition.StringLike[\"aws:PrincipalArn\"]",
            ),
            (
                "EQUIVALENT_TO_NULL_FALSE",
                SG,
                "Statement[0].Condition.StringLike[\"aws:userid\"]",
            ),
            // "aws:SourceIp works only for public IP address ranges. The values for condition key
            // aws:SourceIp include only private IP addresses and will not have the desired
            // effect." (ERROR)
            (
                "PRIVATE_IP_ADDRESS",
                E,
                "Statement[0].Condition.IpAddress[\"aws:SourceIp\"]",
            ),
        ],
    );
}

#[test]
fn serialised_shape() {
    let f = validate_policy(
        &v12(r#"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:*"], "Resource": "*"}"#),
        PolicyType::Identity,
    );
    let j = serde_json::to_value(&f).unwrap();
    assert_eq!(
        j,
        serde_json::json!([{
            "findingType": "SUGGESTION",
            "issueCode": "REDUNDANT_ACTION",
            "findingDetails": "The 2 action(s) are redundant because they provide similar permissions. Update the policy to remove the redundant action such as: s3:GetObject.",
            "learnMoreLink": "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-suggestion-redundant-action",
            "locations": [
                {"path": [{"value": "Statement"}, {"index": 0}, {"value": "Action"}, {"index": 0}],
                 "span": {"start": {"line": 1, "column": 71, "offset": 71}, "end": {"line": 1, "column": 85, "offset": 85}}},
                {"path": [{"value": "Statement"}, {"index": 0}, {"value": "Action"}, {"index": 1}],
                 "span": {"start": {"line": 1, "column": 87, "offset": 87}, "end": {"line": 1, "column": 93, "offset": 93}}}
            ]
        }])
    );
}

#[test]
fn action_catalogue_findings() {
    use iamproof_policy::validate_policy_with_catalogs;
    use iamproof_policy::{ActionCatalog, GlobalKeys};
    struct Toy;
    impl ActionCatalog for Toy {
        fn has_service(&self, p: &str) -> bool {
            p.eq_ignore_ascii_case("s3")
        }
        fn has_action(&self, p: &str, n: &str) -> bool {
            self.has_service(p) && n.eq_ignore_ascii_case("GetObject")
        }
    }
    let text = v12(
        r#"{"Effect": "Allow", "Action": ["S3:getobject", "s3:Get*", "s3:GetObjekt", "s4:GetObject"],
            "Resource": ["arn:aws:s3:::b", "arn:aws:s4:::b", "arn:aws:s*:::b"]}"#,
    );
    let got: Vec<(String, String)> =
        validate_policy_with_catalogs(&text, PolicyType::Identity, &GlobalKeys, Some(&Toy))
            .into_iter()
            .map(|f| (f.issue_code, f.locations[0].path.to_string()))
            .collect();
    let want = [
        ("INVALID_ACTION", "Statement[0].Action[2]"),
        ("INVALID_SERVICE_IN_ACTION", "Statement[0].Action[3]"),
        ("REDUNDANT_ACTION", "Statement[0].Action[0]"),
        ("INVALID_SERVICE", "Statement[0].Resource[1]"),
        ("WILDCARD_IN_SERVICE_NAME", "Statement[0].Resource[2]"),
        // `arn:aws:s*:::b` covers the other two.
        ("REDUNDANT_RESOURCE", "Statement[0].Resource[0]"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn string_principal_shorthand_parses_as_aws_but_is_an_error_finding() {
    // Amazon Science's article on the custom policy checks writes `"NotPrincipal": "123456789012"`; IAM's grammar allows only
    // "*" as a string. We read it as {"AWS": …} and report what AWS would say.
    let text = v12(
        r#"{"Effect": "Deny", "NotPrincipal": "123456789012", "Action": "*", "Resource": "*"}"#,
    );
    let policy = iamproof_policy::parse_policy(&text, PolicyType::Resource).unwrap();
    let pc = policy.statements[0].principal.as_ref().unwrap();
    assert!(pc.negated);
    assert_eq!(pc.entries.len(), 1);
    assert_eq!(pc.entries[0].kind, iamproof_policy::PrincipalKind::Aws);
    assert_eq!(pc.entries[0].value, "123456789012");
    check(
        &text,
        PolicyType::Resource,
        &[
            (
                "IAMPROOF_DENY_WITH_NOT_PRINCIPAL",
                W,
                "Statement[0].NotPrincipal",
            ),
            // "The Principal element contents are not valid. Specify a key-value pair in the
            // Principal element."
            ("INVALID_PRINCIPAL_FORMAT", E, "Statement[0].NotPrincipal"),
        ],
    );
}
