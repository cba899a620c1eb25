//! Tests of validate-policy's findings.

use super::redundant::redundant_groups;
use super::*;
use crate::error::PolicyError;

fn codes(text: &str, ty: PolicyType) -> Vec<String> {
    validate_policy(text, ty)
        .into_iter()
        .map(|f| f.issue_code)
        .collect()
}

#[test]
fn parse_error_is_one_error() {
    let f = validate_policy("{\"Statement\": [}", PolicyType::Identity);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].finding_type, FindingType::Error);
    assert_eq!(f[0].issue_code, "JSON_SYNTAX_ERROR");
}

#[test]
fn serialises_like_access_analyzer() {
    let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:TagKeys":"a"}}}]}"#;
    let f = validate_policy(text, PolicyType::Identity);
    let mq = f
        .iter()
        .find(|f| f.issue_code == "MISSING_QUALIFIER")
        .unwrap();
    let j = serde_json::to_value(mq).unwrap();
    assert_eq!(j["findingType"], "ERROR");
    assert_eq!(
        j["locations"][0]["path"],
        serde_json::json!([{"value":"Statement"},{"index":0},{"value":"Condition"},{"value":"StringEquals"},{"key":"aws:TagKeys"}])
    );
    assert_eq!(j["locations"][0]["span"]["start"]["column"], 115);
    assert_eq!(j["locations"][0]["span"]["end"]["column"], 128);
    assert!(j["learnMoreLink"]
        .as_str()
        .unwrap()
        .ends_with("#access-analyzer-reference-policy-checks-error-missing-qualifier"));
}

#[test]
fn flags() {
    let t = |body: &str| format!(r#"{{"Version":"2012-10-17","Statement":[{body}]}}"#);
    let c = codes(
        &t(
            r#"{"Effect":"Allow","NotPrincipal":{"AWS":"123456789012"},"Action":"s3:*","Resource":"*"}"#,
        ),
        PolicyType::Resource,
    );
    assert!(c.contains(&"ALLOW_WITH_NOT_PRINCIPAL".to_string()));
    let c = codes(
        &t(
            r#"{"Effect":"Allow","Action":["s3:GetObject","s3:Get*"],"Resource":["arn:aws:s3:::b/*","arn:aws:s3:::b/x"]}"#,
        ),
        PolicyType::Identity,
    );
    assert_eq!(c, vec!["REDUNDANT_ACTION", "REDUNDANT_RESOURCE"]);
    let c = codes(
        &t(r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}"#),
        PolicyType::Identity,
    );
    assert_eq!(c, vec!["PASS_ROLE_WITH_STAR_IN_RESOURCE"]);
    let c = codes(
        &t(
            r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}}"#,
        ),
        PolicyType::Identity,
    );
    assert!(c.is_empty(), "{c:?}");
    let c = codes(
        &t(
            r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:PrincipalOrgID":"o-1"},"StringEquals":{"aws:SourceVpce":"vpce-*"},"NullIfExists2":{}}}"#,
        ),
        PolicyType::Identity,
    );
    assert_eq!(c, vec!["INVALID_CONDITION_OPERATOR"]);
    let c = codes(
        &t(
            r#"{"Effect":"Allow","Action":[],"Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:PrincipalOrgID":"o-1"},"StringEquals":{"aws:SourceVpce":"vpce-*"},"StringNotEqualsIfExists":{"aws:SourceVpc":[]}}}"#,
        ),
        PolicyType::Identity,
    );
    assert_eq!(
        c,
        vec![
            "EMPTY_ARRAY_ACTION",
            "FORALLVALUES_WITH_SINGLE_VALUED_KEY",
            "WILDCARD_WITHOUT_LIKE_OPERATOR",
            // "The IfExists suffix with an empty condition key matches only if the key
            // {{key}} is missing from the request context."
            "EMPTY_ARRAY_CONDITION_IFEXISTS",
        ]
    );
    let c = codes(
        r#"{"Statement":{"Effect":"Deny","Action":"*","Resource":"arn:aws:s3:::b/${aws:username}","Condition":{"NotIpAddress":{"aws:SourceIp":["10.0.0.1/8"]}}}}"#,
        PolicyType::Identity,
    );
    assert_eq!(
        c,
        vec![
            "MISSING_VERSION",
            "IMPROVE_IP_RANGE",
            "PRIVATE_NOT_IP_ADDRESS",
            // Without a Version, `${…}` is literal text: "To include variables in your
            // policy, use the policy version 2012-10-17 or later."
            "VARIABLE_UNSUPPORTED_IN_VERSION",
        ]
    );
    let f = validate_policy(
        r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b/${aws:username}"}}"#,
        PolicyType::Identity,
    );
    assert_eq!(f[0].issue_code, "MISSING_VERSION");
    assert_eq!(
        f[0].finding_details,
        "We recommend that you specify the Version element to help you with debugging permission issues."
    );
    assert_eq!(f[1].issue_code, "VARIABLE_UNSUPPORTED_IN_VERSION");
    assert!(f[1].finding_details.contains("2012-10-17"));
    let c = codes(
        r#"{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}"}}"#,
        PolicyType::Identity,
    );
    assert_eq!(c, vec!["VARIABLE_UNSUPPORTED_IN_VERSION"]);
}

#[test]
fn every_parse_error_code_has_an_aws_code() {
    use crate::error::codes as c;
    let all = [
        c::JSON_SYNTAX,
        c::DUPLICATE_KEY,
        c::INVALID_ELEMENT_TYPE,
        c::INVALID_ELEMENT,
        c::INVALID_VERSION,
        c::MISSING_STATEMENT,
        c::MISSING_EFFECT,
        c::INVALID_EFFECT,
        c::MISSING_ACTION,
        c::MISSING_RESOURCE,
        c::MISSING_PRINCIPAL,
        c::UNSUPPORTED_ELEMENT_COMBINATION,
        c::PRINCIPAL_IN_IDENTITY_POLICY,
        c::PRINCIPAL_IN_SERVICE_CONTROL_POLICY,
        c::INVALID_PRINCIPAL_KEY,
        c::INVALID_PRINCIPAL_FORMAT,
        c::UNSUPPORTED_WILDCARD_IN_PRINCIPAL,
        c::INVALID_ACTION,
        c::INVALID_CONDITION_OPERATOR,
        c::NULL_WITH_IF_EXISTS,
        c::DUPLICATE_KEYS_WITH_DIFFERENT_CASE,
        c::INVALID_CONDITION_KEY,
        c::INVALID_CONDITION_VALUE,
        c::INVALID_VARIABLE,
        c::VARIABLE_UNSUPPORTED_IN_ELEMENT,
        c::INVALID_VARIABLE_FOR_OPERATOR,
        c::INVALID_RCP,
    ];
    for code in all {
        let e = PolicyError::new(Span::default(), JsonPath::root(), code, String::new());
        let f = ValidationFinding::from_error(&e);
        assert!(f.is_aws(), "{code} -> {}", f.issue_code);
        assert_eq!(f.finding_type, FindingType::Error, "{code}");
    }
    for code in [c::POLICY_TOO_LARGE, c::JSON_TOO_DEEP] {
        let e = PolicyError::new(Span::default(), JsonPath::root(), code, String::new());
        let f = ValidationFinding::from_error(&e);
        assert_eq!(f.issue_code, format!("IAMPROOF_{code}"));
        assert_eq!(f.finding_type, FindingType::Error);
    }
}

#[test]
fn redundancy_groups() {
    let p = JsonPath::root();
    let s = Span::default();
    let items = vec![
        ("ecs:DescribeClusters", &p, s),
        ("ecs:Describe*", &p, s),
        ("ecs:*", &p, s),
        ("s3:GetObject", &p, s),
        ("S3:getobject", &p, s),
    ];
    let g = redundant_groups(&items, true);
    assert_eq!(g.len(), 2);
    assert_eq!(g[0].all, vec![0, 1, 2]);
    assert_eq!(g[1].all, vec![3, 4]);
}
