//! What the parser builds: element forms, principal kinds, condition values, and the Version rule
//! for policy variables (docs/semantics.md, "Version and policy variables").

use iamproof_policy::*;

fn lit(s: &str) -> TemplatePart {
    TemplatePart::Literal(s.into())
}

fn var(k: &str) -> TemplatePart {
    TemplatePart::Variable {
        key: k.into(),
        default: None,
    }
}

fn doc(version: Option<&str>, statement: &str) -> String {
    match version {
        Some(v) => format!(r#"{{"Version": "{v}", "Statement": {statement}}}"#),
        None => format!(r#"{{"Statement": {statement}}}"#),
    }
}

const WITH_VARIABLES: &str = r#"{"Effect": "Allow", "Action": "s3:GetObject",
  "Resource": "arn:aws:s3:::bucket/${aws:username}/*",
  "Condition": {"StringLike": {"s3:prefix": ["home/${aws:username}/${*}", "x"]},
                "NumericLessThan": {"s3:max-keys": "${aws:PrincipalTag/max}"}}}"#;

#[test]
fn variables_are_literal_under_2008_and_without_version() {
    for version in [Some("2008-10-17"), None] {
        let p = parse_policy(&doc(version, WITH_VARIABLES), PolicyType::Identity).unwrap();
        assert!(!p.variables_enabled());
        let st = &p.statements[0];
        let r = &st.resource.as_ref().unwrap().patterns[0];
        assert_eq!(
            r.template.parts,
            vec![lit("arn:aws:s3:::bucket/${aws:username}/*")]
        );
        assert!(!r.template.has_variables());
        let like = &st.conditions[0];
        assert_eq!(
            like.values[0].template.parts,
            vec![lit("home/${aws:username}/${*}")]
        );
        // A variable in a Numeric value is plain (non-numeric) text here, not an error.
        assert_eq!(
            st.conditions[1].values[0].template.parts,
            vec![lit("${aws:PrincipalTag/max}")]
        );
    }
    let v = parse_policy(&doc(None, WITH_VARIABLES), PolicyType::Identity).unwrap();
    assert_eq!(v.version, None);
}

#[test]
fn variables_are_split_under_2012() {
    let without_numeric = WITH_VARIABLES
        .split(",\n                \"NumericLessThan\"")
        .next()
        .unwrap()
        .to_string()
        + "}}";
    let text = doc(Some("2012-10-17"), &without_numeric);
    assert!(!text.contains("NumericLessThan"), "{text}");
    let p = parse_policy(&text, PolicyType::Identity).unwrap();
    assert!(p.variables_enabled());
    let st = &p.statements[0];
    assert_eq!(
        st.resource.as_ref().unwrap().patterns[0].template.parts,
        vec![lit("arn:aws:s3:::bucket/"), var("aws:username"), lit("/*")]
    );
    assert_eq!(
        st.conditions[0].values[0].template.parts,
        vec![
            lit("home/"),
            var("aws:username"),
            lit("/"),
            TemplatePart::Escaped("*".into())
        ]
    );
    assert_eq!(st.conditions[0].values[1].template.parts, vec![lit("x")]);
}

#[test]
fn variable_rules_apply_only_under_2012() {
    let numeric = r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*",
        "Condition": {"NumericLessThan": {"s3:max-keys": "${aws:PrincipalTag/max}"}}}"#;
    let e = parse_policy(&doc(Some("2012-10-17"), numeric), PolicyType::Identity).unwrap_err();
    assert_eq!(e.code, "INVALID_VARIABLE_FOR_OPERATOR");
    assert!(parse_policy(&doc(Some("2008-10-17"), numeric), PolicyType::Identity).is_ok());

    let action = r#"{"Effect": "Allow", "Action": "s3:${x}", "Resource": "*"}"#;
    let e = parse_policy(&doc(Some("2012-10-17"), action), PolicyType::Identity).unwrap_err();
    assert_eq!(e.code, "VARIABLE_UNSUPPORTED_IN_ELEMENT");
    assert!(parse_policy(&doc(None, action), PolicyType::Identity).is_ok());

    let malformed = r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/${}"}"#;
    let e = parse_policy(&doc(Some("2012-10-17"), malformed), PolicyType::Identity).unwrap_err();
    assert_eq!(e.code, "INVALID_VARIABLE");
    assert!(parse_policy(&doc(Some("2008-10-17"), malformed), PolicyType::Identity).is_ok());
}

#[test]
fn variables_in_arn_account_field_and_bool_values_are_accepted() {
    let text = doc(
        Some("2012-10-17"),
        r#"{"Effect": "Allow", "Action": "kms:Decrypt",
            "Resource": "arn:aws:kms:*:${aws:PrincipalAccount}:key/*",
            "Condition": {"Bool": {"aws:SecureTransport": "${aws:PrincipalTag/tls, 'true'}"},
                          "ArnLike": {"aws:SourceArn": "arn:aws:s3:::${aws:PrincipalTag/b}"}}}"#,
    );
    let p = parse_policy(&text, PolicyType::Identity).unwrap();
    let st = &p.statements[0];
    assert!(st.resource.as_ref().unwrap().patterns[0]
        .template
        .has_variables());
    assert_eq!(
        st.conditions[0].values[0].template.parts,
        vec![TemplatePart::Variable {
            key: "aws:PrincipalTag/tls".into(),
            default: Some("true".into())
        }]
    );
    assert!(st.conditions[1].values[0].template.has_variables());
}

#[test]
fn principal_forms() {
    let text = doc(
        Some("2012-10-17"),
        r#"[{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"},
            {"Effect": "Deny", "NotPrincipal": {"AWS": ["*", "111122223333"], "Service": "ec2.amazonaws.com",
              "Federated": "cognito-identity.amazonaws.com", "CanonicalUser": "abc"}, "Action": "s3:*", "Resource": "*"},
            {"Effect": "Allow", "Principal": {}, "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": [], "Action": "sts:AssumeRole"}]"#,
    );
    let p = parse_policy(&text, PolicyType::Resource).unwrap();
    let everyone = p.statements[0].principal.as_ref().unwrap();
    assert!(!everyone.negated);
    assert_eq!(everyone.entries.len(), 1);
    assert_eq!(everyone.entries[0].kind, PrincipalKind::Everyone);
    let np = p.statements[1].principal.as_ref().unwrap();
    assert!(np.negated);
    let kinds: Vec<(PrincipalKind, &str)> = np
        .entries
        .iter()
        .map(|e| (e.kind, e.value.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (PrincipalKind::Aws, "*"),
            (PrincipalKind::Aws, "111122223333"),
            (PrincipalKind::Service, "ec2.amazonaws.com"),
            (PrincipalKind::Federated, "cognito-identity.amazonaws.com"),
            (PrincipalKind::CanonicalUser, "abc"),
        ]
    );
    assert_eq!(
        np.entries[1].path.to_string(),
        "Statement[1].NotPrincipal.AWS[1]"
    );
    // Role trust policies: no Resource; empty principals parse (and match nothing).
    assert!(p.statements[2].resource.is_none());
    assert!(p.statements[2]
        .principal
        .as_ref()
        .unwrap()
        .entries
        .is_empty());
    assert!(p.statements[3]
        .principal
        .as_ref()
        .unwrap()
        .entries
        .is_empty());
}

#[test]
fn statements_actions_and_condition_values() {
    let text = r#"{"Version": "2012-10-17", "Id": "x",
      "Statement": {"Sid": "One", "Effect": "Deny", "NotAction": ["iam:*", "S3:get?bject"],
        "NotResource": "arn:aws:s3:::b",
        "Condition": {"ForAnyValue:NumericLessThanEquals": {"s3:max-keys": [1.50, "2", true]},
                      "Null": {"aws:TokenIssueTime": false}, "StringEquals": {"aws:SourceVpc": []},
                      "DateGreaterThanIfExists": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}}}"#;
    let p = parse_policy(text, PolicyType::ServiceControl).unwrap();
    assert_eq!(p.id.as_deref(), Some("x"));
    assert_eq!(p.statements.len(), 1);
    let st = &p.statements[0];
    assert_eq!(st.index, 0);
    assert_eq!(st.path.to_string(), "Statement");
    assert_eq!(st.sid.as_deref(), Some("One"));
    assert_eq!(st.effect, Effect::Deny);
    assert!(st.action.negated);
    assert_eq!(st.action.patterns[1].text, "S3:get?bject");
    assert!(st.resource.as_ref().unwrap().negated);
    assert!(st.has_condition_element);
    let c = &st.conditions;
    assert_eq!(c.len(), 4);
    assert_eq!(
        c[0].operator,
        Operator {
            qualifier: Some(SetQualifier::ForAnyValue),
            base: BaseOperator::NumericLessThanEquals,
            if_exists: false
        }
    );
    let vals: Vec<(&str, JsonKind)> = c[0]
        .values
        .iter()
        .map(|v| (v.text.as_str(), v.kind))
        .collect();
    assert_eq!(
        vals,
        vec![
            ("1.50", JsonKind::Number),
            ("2", JsonKind::String),
            ("true", JsonKind::Bool)
        ]
    );
    assert_eq!(c[1].values[0].text, "false");
    assert!(c[2].values.is_empty());
    assert_eq!(c[3].operator.to_string(), "DateGreaterThanIfExists");
    assert_eq!(c[3].key_lower(), "aws:currenttime");
    assert_eq!(
        c[0].path.to_string(),
        "Statement.Condition[\"ForAnyValue:NumericLessThanEquals\"][\"s3:max-keys\"]"
    );
    // Spans: the statement starts at its `{` (line 2, column 19 0-based).
    assert_eq!((st.span.start.line, st.span.start.column), (2, 19));
}

#[test]
fn big_policies_parse() {
    // A 40 KiB policy of many statements (no timing assertion; just that it works).
    let mut stmts = Vec::new();
    for i in 0..400 {
        stmts.push(format!(
            r#"{{"Sid": "S{i}", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::bucket-{i}/*"}}"#
        ));
    }
    let text = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
        stmts.join(",\n")
    );
    assert!(text.len() > 40_000);
    let p = parse_policy(&text, PolicyType::Identity).unwrap();
    assert_eq!(p.statements.len(), 400);
    assert_eq!(p.statements[399].span.start.line, 400);
}
