//! `validate_policy` speaks Access Analyzer's language: AWS's issue codes with AWS's finding
//! types and links, every finding reported together, and the `validatePolicyResourceType`
//! checks. Each rule quotes the sentence of AWS's "IAM policy validation check reference"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>)
//! it implements.

use iamproof_policy::{aws_finding_type, AWS_CHECKS};
use iamproof_policy::{
    validate, validate_policy, FindingType, PolicyType, ResourceType, ValidateOptions,
    ValidationFinding,
};

use FindingType::{Error as E, SecurityWarning as SW, Suggestion as SG, Warning as W};

/// (issue code, finding type, path of the first location)
fn summary(findings: &[ValidationFinding]) -> Vec<(String, FindingType, String)> {
    findings
        .iter()
        .map(|f| {
            let p = f
                .locations
                .first()
                .map(|l| l.path.to_string())
                .unwrap_or_default();
            (f.issue_code.clone(), f.finding_type, p)
        })
        .collect()
}

fn want(w: &[(&str, FindingType, &str)]) -> Vec<(String, FindingType, String)> {
    w.iter()
        .map(|(c, t, p)| (c.to_string(), *t, p.to_string()))
        .collect()
}

/// Every finding is AWS's, with AWS's type and link.
fn assert_aws_shape(findings: &[ValidationFinding]) {
    for f in findings {
        assert_eq!(
            aws_finding_type(&f.issue_code),
            Some(f.finding_type),
            "{f:?}"
        );
        let slug = match f.finding_type {
            E => "error",
            SW => "security-warning",
            W => "general-warning",
            SG => "suggestion",
        };
        assert_eq!(
            f.learn_more_link.as_deref(),
            Some(
                format!(
                    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-{slug}-{}",
                    f.issue_code.to_ascii_lowercase().replace('_', "-")
                )
                .as_str()
            )
        );
        let j = serde_json::to_value(f).unwrap();
        let keys: Vec<&String> = j.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "findingType",
                "issueCode",
                "findingDetails",
                "learnMoreLink",
                "locations"
            ]
        );
    }
}

fn check(text: &str, ty: PolicyType, w: &[(&str, FindingType, &str)]) {
    let f = validate_policy(text, ty);
    assert_aws_shape(&f);
    assert_eq!(summary(&f), want(w), "for {text}");
}

fn check_rt(text: &str, rt: ResourceType, w: &[(&str, FindingType, &str)]) {
    let f = validate(
        text,
        &ValidateOptions {
            resource_type: Some(rt),
            ..ValidateOptions::new(PolicyType::Resource)
        },
    );
    assert_aws_shape(&f);
    assert_eq!(summary(&f), want(w), "for {text}");
}

fn v12(statements: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#)
}

#[test]
fn the_code_table_is_well_formed() {
    for (i, (code, _)) in AWS_CHECKS.iter().enumerate() {
        assert!(
            code.bytes().all(|c| c.is_ascii_uppercase() || c == b'_'),
            "{code}"
        );
        assert!(
            !AWS_CHECKS[..i].iter().any(|(c, _)| c == code),
            "{code} twice"
        );
    }
}

#[test]
fn parse_problems_use_aws_codes() {
    // "Fix the JSON syntax error at index {{index}} line {{line}} column {{column}}."
    check(
        "{\"Statement\": [}",
        PolicyType::Identity,
        &[("JSON_SYNTAX_ERROR", E, "Statement[0]")],
    );
    // "The text does not match the expected JSON data type {{data_type}}." A wrong JSON type
    // of an element, reported with the missing Version.
    check(
        r#"{"Statement": [{"Effect": 1, "Action": "s3:*", "Resource": "*"}]}"#,
        PolicyType::Identity,
        &[
            ("MISSING_VERSION", W, "$"),
            ("DATA_TYPE_MISMATCH", E, "Statement[0].Effect"),
        ],
    );
    // "The policy element {{element}} is not valid."
    check(
        &v12(r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Foo": 1}"#),
        PolicyType::Identity,
        &[("INVALID_POLICY_ELEMENT", E, "Statement[0].Foo")],
    );
    // "The policy type {{policy_type}} does not support the Principal element."
    check(
        &v12(r#"{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}"#),
        PolicyType::Identity,
        &[("UNSUPPORTED_PRINCIPAL", E, "Statement[0].Principal")],
    );
    // "SCPs do not support specifying principals. Remove the Principal or NotPrincipal element."
    check(
        &v12(r#"{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}"#),
        PolicyType::ServiceControl,
        &[("SCP_SYNTAX_ERROR_PRINCIPAL", E, "Statement[0].Principal")],
    );
    // "Empty policy variable. Remove the ${ } variable structure or provide a variable within
    // the structure."
    check(
        &v12(r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/${}"}"#),
        PolicyType::Identity,
        &[("EMPTY_VARIABLE", E, "Statement[0].Resource")],
    );
    // "The policy variable is missing a closing curly brace. Add } after the variable text."
    check(
        &v12(
            r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/${aws:username"}"#,
        ),
        PolicyType::Identity,
        &[("MISSING_BRACE_IN_VARIABLE", E, "Statement[0].Resource")],
    );
}

#[test]
fn findings_are_reported_together() {
    // "Resource-based policies must include a `Principal` element." — and the Version is still
    // missing, and the other statements are still checked.
    let text = r#"{"Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": ["s3:GetObject", "s3:Get*"], "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:GetObject"}]}"#;
    check(
        text,
        PolicyType::Resource,
        &[
            ("MISSING_VERSION", W, "$"),
            ("MISSING_PRINCIPAL", E, "Statement[0]"),
            ("MISSING_PRINCIPAL", E, "Statement[2]"),
            ("REDUNDANT_ACTION", SG, "Statement[1].Action[0]"),
        ],
    );
    let f = validate_policy(text, PolicyType::Resource);
    assert_eq!(
        f[1].finding_details,
        "Add a Principal element to the policy statement."
    );
    // A single statement object.
    check(
        r#"{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#,
        PolicyType::Resource,
        &[
            ("MISSING_VERSION", W, "$"),
            ("MISSING_PRINCIPAL", E, "Statement"),
        ],
    );
    // A broken document still gets the missing Version.
    check(
        r#"{"Statement": 3}"#,
        PolicyType::Identity,
        &[
            ("MISSING_VERSION", W, "$"),
            ("DATA_TYPE_MISMATCH", E, "Statement"),
        ],
    );
}

#[test]
fn resources_and_conditions() {
    let s = |cond: &str| {
        v12(&format!(
            r#"{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {cond}}}"#
        ))
    };
    // "Add the required prefix (arn) to the resource ARN."
    check(
        &v12(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "urn:aws:s3:::b:x/y"}"#),
        PolicyType::Identity,
        &[("INVALID_ARN_PREFIX", E, "Statement[0].Resource")],
    );
    check(
        &s(r#"{"ForAllValues:StringEquals": {"aws:TagKeys": []},
               "ForAnyValue:StringEquals": {"aws:TagKeys": []},
               "StringEqualsIfExists": {"s3:prefix": []}}"#),
        PolicyType::Identity,
        &[
            // "The ForAllValues prefix with an empty condition key matches only if the key
            // {{key}} is missing from the request context."
            (
                "EMPTY_ARRAY_CONDITION_FORALLVALUES",
                SG,
                "Statement[0].Condition[\"ForAllValues:StringEquals\"][\"aws:TagKeys\"]",
            ),
            // "The ForAnyValue prefix with an empty condition key {{key}} never matches the
            // request context and it does not affect the policy."
            (
                "EMPTY_ARRAY_CONDITION_FORANYVALUE",
                SG,
                "Statement[0].Condition[\"ForAnyValue:StringEquals\"][\"aws:TagKeys\"]",
            ),
            // "The IfExists suffix with an empty condition key matches only if the key {{key}}
            // is missing from the request context."
            (
                "EMPTY_ARRAY_CONDITION_IFEXISTS",
                SG,
                "Statement[0].Condition.StringEqualsIfExists[\"s3:prefix\"]",
            ),
        ],
    );
    check(
        &s(
            r#"{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "203.0.113.0/24"]},
               "NotIpAddress": {"aws:SourceIp": ["192.168.0.0/16", "198.51.100.0/24"]},
               "DateLessThan": {"aws:CurrentTime": "1700000000"}}"#,
        ),
        PolicyType::Identity,
        &[
            // "The values for condition key aws:SourceIp include a mix of private and public IP
            // addresses. The private addresses will not have the desired effect."
            (
                "PRIVATE_IP_ADDRESS_SUBSET",
                SG,
                "Statement[0].Condition.IpAddress[\"aws:SourceIp\"]",
            ),
            // "The values for condition key aws:SourceIp include a mix of private and public IP
            // addresses. The private addresses have no effect."
            (
                "PRIVATE_NOT_IP_ADDRESS_SUBSET",
                SG,
                "Statement[0].Condition.NotIpAddress[\"aws:SourceIp\"]",
            ),
            // "The date {{date}} might not resolve as expected. We recommend that you use the
            // YYYY-MM-DD format."
            (
                "INVALID_DATE_VALUE",
                W,
                "Statement[0].Condition.DateLessThan[\"aws:CurrentTime\"]",
            ),
        ],
    );
}

#[test]
fn sid_tag_vpc_and_numeric_checks() {
    check(
        &v12(
            r#"{"Sid": "", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                "Condition": {"StringEquals": {"aws:ResourceTag": "x", "aws:SourceVpc": ["vpc-1234", "vpc-12345678"],
                                               "aws:SourceVpce": "vpce-1a2b3c4d5e6f7a8b9"},
                              "NumericLessThan": {"aws:MultiFactorAuthAge": ["2700", "3600"]}}}"#,
        ),
        PolicyType::Identity,
        &[
            // "Add a value to the empty string in the Sid element."
            ("EMPTY_SID_VALUE", SG, "Statement[0].Sid"),
            // "The condition key {{conditionKeyName}} must include a tag key to control access
            // based on tags."
            (
                "MISSING_TAG_KEY_IN_CONDITION",
                E,
                "Statement[0].Condition.StringEquals[\"aws:ResourceTag\"]",
            ),
            // "The VPC identifier in the condition key value is not valid. Use the prefix
            // 'vpc-' followed by 8 or 17 alphanumeric characters."
            (
                "INVALID_VPC_FORMAT",
                E,
                "Statement[0].Condition.StringEquals[\"aws:SourceVpc\"][0]",
            ),
            // "Multiple values in {{operator}} are redundant. Replace with the
            // {{greatest/least}} single value for {{key}}."
            (
                "REDUNDANT_CONDITION_VALUE_NUM",
                SG,
                "Statement[0].Condition.NumericLessThan[\"aws:MultiFactorAuthAge\"]",
            ),
        ],
    );
    // "We recommend replacing the key {{key}} in the condition block of {{operator}} with
    // {{{recommendedKey}}: true} to ensure better enforcement of the condition."
    check(
        &v12(
            r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                "Condition": {"StringNotLike": {"aws:userid": "*"}}}"#,
        ),
        PolicyType::Identity,
        &[(
            "EQUIVALENT_TO_NULL_TRUE",
            SG,
            "Statement[0].Condition.StringNotLike[\"aws:userid\"]",
        )],
    );
    let f = validate_policy(
        &v12(
            r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                "Condition": {"NumericGreaterThan": {"s3:max-keys": ["10", "20"]}}}"#,
        ),
        PolicyType::Identity,
    );
    assert_eq!(
        f[0].finding_details,
        "Multiple values in NumericGreaterThan are redundant. Replace with the least single value for s3:max-keys."
    );
}

#[test]
fn iamproof_checks_never_pass_for_aws() {
    let text = v12(
        r#"{"Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "*"}"#,
    );
    // Off by default.
    check(&text, PolicyType::Resource, &[]);
    let f = validate(
        &text,
        &ValidateOptions {
            iamproof_checks: true,
            ..ValidateOptions::new(PolicyType::Resource)
        },
    );
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].issue_code, "IAMPROOF_DENY_WITH_NOT_PRINCIPAL");
    assert!(!f[0].is_aws());
    assert!(f[0]
        .learn_more_link
        .as_deref()
        .unwrap()
        .contains("iamproof"));
}

#[test]
fn resource_type_is_used_only_for_resource_policies() {
    let text = v12(r#"{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}"#);
    let f = validate(
        &text,
        &ValidateOptions {
            resource_type: Some(ResourceType::S3Bucket),
            ..ValidateOptions::new(PolicyType::Identity)
        },
    );
    assert!(f.is_empty(), "{f:?}");
    for t in ResourceType::ALL {
        assert_eq!(ResourceType::parse(t.as_str()), Some(t));
    }
    assert_eq!(ResourceType::parse("AWS::S3::bucket"), None);
}

#[test]
fn role_trust_policy_checks() {
    let rt = ResourceType::IamAssumeRolePolicyDocument;
    check_rt(
        &v12(
            r#"{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"},
               {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": ["sts:AssumeRole", "sts:TagSession"]}"#,
        ),
        rt,
        &[],
    );
    check_rt(
        &v12(
            r#"{"Effect": "Allow", "Principal": "*", "Action": ["sts:AssumeRole", "s3:GetObject"], "Resource": "*"},
               {"Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole"}"#,
        ),
        rt,
        &[
            // "The action {{action}} is not supported for the resource-based policy attached
            // to the resource type {{resourceType}}."
            ("UNSUPPORTED_ACTION_IN_POLICY", E, "Statement[0].Action[1]"),
            // "Role trust policies apply to the role that they are attached to. You cannot
            // specify a resource."
            (
                "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE",
                E,
                "Statement[0].Resource",
            ),
            // "\"Principal:\" \"*\" is not supported in the principal element of a role trust
            // policy."
            (
                "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
                E,
                "Statement[0].Principal",
            ),
            // "Role trust policies do not support NotPrincipal."
            (
                "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL",
                E,
                "Statement[1].NotPrincipal",
            ),
        ],
    );
    check_rt(
        &v12(
            r#"{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"}, "Action": "sts:AssumeRoleWithWebIdentity"},
               {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "sts:AssumeRoleWithSAML"},
               {"Effect": "Allow", "Principal": {"Federated": "not a provider"}, "Action": "sts:AssumeRoleWithSAML"}"#,
        ),
        rt,
        &[
            // "The {{actionName}} action is invalid with the following principal(s):
            // {{principalNames}}. Use a SAML provider principal with the
            // sts:AssumeRoleWithSAML action or use an OIDC provider principal with the
            // sts:AssumeRoleWithWebIdentity action."
            ("MISMATCHED_ACTION_FOR_PRINCIPAL", E, "Statement[0].Action"),
            ("MISMATCHED_ACTION_FOR_PRINCIPAL", E, "Statement[1].Action"),
            // "The principal value specifies a federated principal that does not match the
            // expected format."
            (
                "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY",
                E,
                "Statement[2].Principal.Federated",
            ),
            ("MISMATCHED_ACTION_FOR_PRINCIPAL", E, "Statement[2].Action"),
        ],
    );
    check_rt(
        &v12(
            r#"{"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:TagSession"]},
               {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity"},
               {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:org/*"}}},
               {"Effect": "Allow", "Principal": {"Federated": "accounts.google.com"}, "Action": "sts:AssumeRoleWithWebIdentity"},
               {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/R", "arn:aws:sts::111122223333:assumed-role/R/s"]}, "Action": "sts:AssumeRole"}"#,
        ),
        rt,
        &[
            // "The rolesanywhere.amazonaws.com service principal requires the sts:AssumeRole,
            // sts:SetSourceIdentity, and sts:TagSession permissions to assume a role."
            (
                "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY",
                E,
                "Statement[0].Action",
            ),
            // "Add the token.actions.githubusercontent.com:sub condition key and specify the
            // branch and repository name in the value."
            (
                "MISSING_GITHUB_REPO_CONDITION_KEY",
                SW,
                "Statement[1].Principal.Federated",
            ),
            // "Using a wildcard (*) in token.actions.githubusercontent.com:sub can allow
            // requests from more sources than you intended."
            (
                "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED",
                W,
                "Statement[2].Condition.StringLike[\"token.actions.githubusercontent.com:sub\"]",
            ),
            // "Using an Open ID Connect principal without a condition can be overly
            // permissive."
            (
                "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL",
                SW,
                "Statement[3].Principal.Federated",
            ),
            // "The assumed-role principal {{redundant_principal}} is redundant with its parent
            // role {{parent_role}}."
            (
                "REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY",
                SG,
                "Statement[4].Principal.AWS[1]",
            ),
        ],
    );
}

#[test]
fn s3_and_dynamodb_policy_checks() {
    let text = v12(
        r#"{"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"}, "Action": ["s3:GetObject", "kms:Decrypt"],
            "Resource": ["arn:aws:s3:::b/*", "arn:aws:kms:us-east-1:111122223333:key/k"],
            "Condition": {"StringEquals": {"s3:ResourceAccount": "111122223333"}}}"#,
    );
    check_rt(
        &text,
        ResourceType::S3Bucket,
        &[
            // "Some actions aren't supported in the `Action` element in the resource-based
            // policy attached to a different resource type. For example, AWS Key Management
            // Service actions aren't supported in Amazon S3 bucket policies."
            ("UNSUPPORTED_ACTION_IN_POLICY", E, "Statement[0].Action[1]"),
            // "For example, AWS KMS ARNs aren't supported in the `Resource` element for Amazon
            // S3 bucket policies."
            (
                "UNSUPPORTED_RESOURCE_ARN_IN_POLICY",
                E,
                "Statement[0].Resource[1]",
            ),
            // "For example, you can't use a SAML principal in an Amazon S3 bucket policy."
            (
                "FEDERATED_PRINCIPAL_NOT_SUPPORTED",
                E,
                "Statement[0].Principal.Federated",
            ),
            // "the `s3:ResourceAccount` condition key isn't relevant for the resource-based
            // policy attached to an Amazon S3 bucket or Amazon S3 access point resource type."
            (
                "IRRELEVANT_CONDITION_KEY_IN_POLICY",
                SG,
                "Statement[0].Condition.StringEquals[\"s3:ResourceAccount\"]",
            ),
        ],
    );
    check_rt(
        &v12(
            r#"{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": ["dynamodb:GetItem", "s3:GetObject"],
                "Resource": ["arn:aws:dynamodb:us-east-1:111122223333:table/T", "arn:aws:s3:::b"]}"#,
        ),
        ResourceType::DynamoDbTable,
        &[
            ("UNSUPPORTED_ACTION_IN_POLICY", E, "Statement[0].Action[1]"),
            (
                "UNSUPPORTED_RESOURCE_ARN_IN_POLICY",
                E,
                "Statement[0].Resource[1]",
            ),
        ],
    );
    // An access point policy names access points.
    check_rt(
        &v12(
            r#"{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject",
                "Resource": ["arn:aws:s3:us-east-1:111122223333:accesspoint/ap/object/*", "arn:aws:s3:::b/*"]}"#,
        ),
        ResourceType::S3AccessPoint,
        &[(
            "UNSUPPORTED_RESOURCE_ARN_IN_POLICY",
            E,
            "Statement[0].Resource[1]",
        )],
    );
    // Without a resource type none of these checks run.
    let f = validate_policy(&text, PolicyType::Resource);
    assert!(f.is_empty(), "{f:?}");
}

/// Two services: `svc:Tagged` supports `aws:ResourceTag/…`, `svc:ListThings` has no tag key,
/// `svc:CreateThing` only request tags.
struct ToyCatalog;

impl iamproof_policy::ActionCatalog for ToyCatalog {
    fn has_service(&self, p: &str) -> bool {
        p == "svc"
    }
    fn has_action(&self, p: &str, n: &str) -> bool {
        p == "svc" && ["Tagged", "ListThings", "CreateThing"].contains(&n)
    }
    fn action_condition_keys(&self, p: &str, n: &str) -> Option<Vec<String>> {
        let keys: &[&str] = match (p, n) {
            ("svc", "Tagged") => &["aws:resourcetag/${tagkey}"],
            ("svc", "ListThings") => &[],
            ("svc", "CreateThing") => &["aws:requesttag/${tagkey}", "aws:tagkeys"],
            _ => return None,
        };
        Some(keys.iter().map(|k| k.to_string()).collect())
    }
    fn service_actions(&self, p: &str) -> Option<Vec<String>> {
        (p == "svc").then(|| vec!["Tagged".into(), "ListThings".into(), "CreateThing".into()])
    }
}

#[test]
fn catalogue_checks() {
    let run = |text: &str| {
        let f = validate(
            text,
            &ValidateOptions {
                actions: Some(&ToyCatalog),
                ..ValidateOptions::new(PolicyType::Identity)
            },
        );
        assert_aws_shape(&f);
        summary(&f)
    };
    let st = |effect: &str, actions: &str, cond: &str| {
        v12(&format!(
            r#"{{"Effect": "{effect}", "Action": {actions}, "Resource": "*", "Condition": {cond}}}"#
        ))
    };
    // "Using the effect Allow with the tag condition key {{conditionKeyName}} and actions for
    // services with the following prefixes does not affect the policy: {{serviceNames}}."
    let f = validate(
        &st(
            "Allow",
            r#"["svc:Tagged", "svc:ListThings", "svc:CreateThing"]"#,
            r#"{"StringEquals": {"aws:ResourceTag/team": "a"}}"#,
        ),
        &ValidateOptions {
            actions: Some(&ToyCatalog),
            ..ValidateOptions::new(PolicyType::Identity)
        },
    );
    assert_aws_shape(&f);
    assert_eq!(
        summary(&f),
        want(&[(
            "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
            SG,
            "Statement[0].Action[1]"
        )])
    );
    assert_eq!(
        f[0].locations.len(),
        2,
        "the action, then the condition key"
    );
    assert!(f[0]
        .finding_details
        .contains("following prefixes does not affect the policy: svc."));
    // A wildcard that matches an unsupported action; "Using the effect Deny with the tag
    // condition key {{conditionKeyName}} and actions for services with the following prefixes
    // can be overly permissive: {{serviceNames}}."
    assert_eq!(
        run(&st(
            "Deny",
            r#""svc:*""#,
            r#"{"StringEquals": {"aws:ResourceTag/team": "a"}}"#
        )),
        want(&[(
            "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
            SW,
            "Statement[0].Action"
        )])
    );
    // Negated and IfExists operators are not flagged.
    assert_eq!(
        run(&st(
            "Allow",
            r#""svc:ListThings""#,
            r#"{"StringNotEquals": {"aws:ResourceTag/team": "a"}, "StringEqualsIfExists": {"aws:ResourceTag/x": "b"}}"#
        )),
        want(&[])
    );
    // "The condition key {{key}} does not exist in the service {{service}}. Use a valid
    // condition key."
    assert_eq!(
        run(&st(
            "Allow",
            r#""svc:Tagged""#,
            r#"{"StringEquals": {"svc:NoSuchKey": "a", "other:Key": "b"}}"#
        )),
        want(&[(
            "INVALID_SERVICE_CONDITION_KEY",
            E,
            "Statement[0].Condition.StringEquals[\"svc:NoSuchKey\"]"
        )])
    );
}
