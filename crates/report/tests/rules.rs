//! The blocking rules, case by case as cfn-policy-validator documents and tests them
//! (`--treat-finding-type-as-blocking`, `--ignore-finding`, `--treat-findings-as-non-blocking`),
//! plus iamproof's choices (dots in resource names, empty items, structured ignore entries).

use iamproof_report::{
    BlockingRules, ExitStatus, Finding, FindingCode, FindingType, IgnoreEntry, IgnoreTarget,
    Report, RulesError,
};
use std::collections::BTreeSet;

fn finding(finding_type: FindingType, resource: &str, code: &str) -> Finding {
    Finding::new(
        finding_type,
        FindingCode::parse(code),
        "example",
        resource,
        "policy",
    )
}

/// One finding of each type, resource `resource<N>`, code `code<N>`.
fn one_of_each_type() -> Report {
    let mut report = Report::new("test");
    report.findings = vec![
        finding(FindingType::Suggestion, "resource4", "code4"),
        finding(FindingType::Warning, "resource3", "code3"),
        finding(FindingType::SecurityWarning, "resource2", "code2"),
        finding(FindingType::Error, "resource1", "code1"),
    ];
    report
}

fn codes(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.code.as_str()).collect()
}

#[test]
fn treat_finding_type_as_blocking() {
    // (flag value, blocking codes, non-blocking codes); codeN has the Nth type.
    let cases: &[(Option<&str>, &[&str], &[&str])] = &[
        // Default: ERROR and SECURITY_WARNING.
        (None, &["code1", "code2"], &["code3", "code4"]),
        (
            Some("ERROR,SECURITY_WARNING"),
            &["code1", "code2"],
            &["code3", "code4"],
        ),
        (Some("ERROR"), &["code1"], &["code2", "code3", "code4"]),
        (
            Some("SUGGESTION,WARNING"),
            &["code3", "code4"],
            &["code1", "code2"],
        ),
        (
            Some("ERROR,SECURITY_WARNING,WARNING,SUGGESTION"),
            &["code1", "code2", "code3", "code4"],
            &[],
        ),
        // Case-insensitive, spaces around items ignored.
        (
            Some(" error , Security_Warning,warning "),
            &["code1", "code2", "code3"],
            &["code4"],
        ),
        // NONE: nothing blocks, even listed with other types.
        (Some("NONE"), &[], &["code1", "code2", "code3", "code4"]),
        (Some("none"), &[], &["code1", "code2", "code3", "code4"]),
        (
            Some("NONE,ERROR"),
            &[],
            &["code1", "code2", "code3", "code4"],
        ),
        (
            Some("ERROR,NONE"),
            &[],
            &["code1", "code2", "code3", "code4"],
        ),
    ];
    for (flag, blocking, non_blocking) in cases {
        let rules = BlockingRules::from_flags(*flag, None).unwrap();
        let classified = rules.classify(one_of_each_type());
        assert_eq!(codes(&classified.blocking), *blocking, "{flag:?}");
        assert_eq!(codes(&classified.non_blocking), *non_blocking, "{flag:?}");
        assert!(classified.ignored.is_empty());
        let expected = if blocking.is_empty() { 0 } else { 1 };
        assert_eq!(ExitStatus::of(&classified).code(), expected, "{flag:?}");
    }
}

#[test]
fn bad_finding_type_lists_are_errors() {
    let cases: &[(&str, usize, &str)] = &[
        ("ERRORS", 1, "ERRORS"),
        ("ERROR,SECURITY-WARNING", 2, "SECURITY-WARNING"),
        ("", 1, ""),
        ("ERROR,", 2, ""),
        ("ERROR,,WARNING", 2, ""),
        ("INFO,NONE", 1, "INFO"),
    ];
    for (list, item, found) in cases {
        assert_eq!(
            BlockingRules::parse_blocking_types(list),
            Err(RulesError::UnknownFindingType {
                item: *item,
                found: found.to_string()
            }),
            "{list:?}"
        );
    }
    let message = BlockingRules::parse_blocking_types("ERROR,INFO")
        .unwrap_err()
        .to_string();
    assert_eq!(
        message,
        "item 2 of the finding types, \"INFO\", is not a finding type: expected ERROR, SECURITY_WARNING, WARNING, SUGGESTION or NONE"
    );
}

#[test]
fn parse_blocking_types_gives_the_set() {
    assert_eq!(
        BlockingRules::parse_blocking_types("warning,ERROR,warning").unwrap(),
        BTreeSet::from([FindingType::Error, FindingType::Warning])
    );
    assert_eq!(
        BlockingRules::default().blocking_types(),
        &BTreeSet::from([FindingType::Error, FindingType::SecurityWarning])
    );
}

#[test]
fn treat_findings_as_non_blocking() {
    // The custom checks' flag: without it, ERROR and SECURITY_WARNING block; with it, nothing.
    let checks = |non_blocking: bool| BlockingRules::from_check_flags(non_blocking, None).unwrap();
    assert_eq!(checks(true), BlockingRules::nothing_blocking());
    assert_eq!(checks(false), BlockingRules::default());
    let mut report = Report::new("test");
    report.findings = vec![
        finding(
            FindingType::SecurityWarning,
            "MyRole",
            "policy-analysis-CheckNoNewAccess",
        ),
        finding(
            FindingType::Error,
            "MyQueue",
            "policy-analysis-CheckNoPublicAccess",
        ),
    ];
    let blocking = checks(false).classify(report.clone());
    assert_eq!(blocking.blocking.len(), 2);
    assert_eq!(ExitStatus::of(&blocking), ExitStatus::Blocking);
    let non_blocking = checks(true).classify(report);
    assert!(non_blocking.blocking.is_empty());
    assert_eq!(non_blocking.non_blocking.len(), 2);
    assert_eq!(ExitStatus::of(&non_blocking).code(), 0);
    assert_eq!(ExitStatus::of(&non_blocking).aws_validator_code(), 0);
    assert_eq!(ExitStatus::of(&blocking).aws_validator_code(), 2);
    assert_eq!(blocking.exit_status(), ExitStatus::Blocking);

    // With an ignore list too.
    let rules = BlockingRules::from_check_flags(false, Some("MyQueue")).unwrap();
    let mut report = Report::new("test");
    report.findings = vec![finding(
        FindingType::Error,
        "MyQueue",
        "policy-analysis-CheckNoPublicAccess",
    )];
    assert_eq!(rules.classify(report).exit_status(), ExitStatus::Clean);
}

/// The findings of cfn-policy-validator's reporter tests: (type, resource, code).
fn two_findings(second_code: &str) -> Report {
    let mut report = Report::new("test");
    report.findings = vec![
        finding(FindingType::Error, "resource1", "code"),
        finding(FindingType::SecurityWarning, "resource2", second_code),
    ];
    report
}

#[test]
fn ignore_finding() {
    // (ignore list, second finding's code, resources left blocking, resources ignored)
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        // A code that matches nothing.
        ("wrong_code", "code", &["resource1", "resource2"], &[]),
        // A code: every finding with it.
        ("code", "code2", &["resource2"], &["resource1"]),
        ("CoDe", "code2", &["resource2"], &["resource1"]),
        ("code", "code", &[], &["resource1", "resource2"]),
        // A resource: every finding of it.
        ("resource3", "code", &["resource1", "resource2"], &[]),
        ("resource1", "code", &["resource2"], &["resource1"]),
        ("ReSOurCe1", "code", &["resource2"], &["resource1"]),
        // RESOURCE.CODE: that resource's findings with that code only.
        ("resource1.code", "code", &["resource2"], &["resource1"]),
        ("RESOURCE1.CODE", "code", &["resource2"], &["resource1"]),
        ("resource1.code2", "code2", &["resource1", "resource2"], &[]),
        ("resource3.code", "code", &["resource1", "resource2"], &[]),
        // Several items, spaces around them ignored.
        (
            "resource1 , code2",
            "code2",
            &[],
            &["resource1", "resource2"],
        ),
        (
            "resource2.code2,resource1",
            "code2",
            &[],
            &["resource1", "resource2"],
        ),
    ];
    for (list, second_code, blocking, ignored) in cases {
        let rules = BlockingRules::from_flags(None, Some(list)).unwrap();
        let classified = rules.classify(two_findings(second_code));
        let names = |fs: Vec<&Finding>| {
            fs.into_iter()
                .map(|f| f.resource_name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(classified.blocking.iter().collect()),
            *blocking,
            "{list:?}"
        );
        assert_eq!(
            names(classified.ignored.iter().map(|i| &i.finding).collect()),
            *ignored,
            "{list:?}"
        );
        assert!(classified.non_blocking.is_empty());
    }
}

#[test]
fn ignored_findings_are_not_counted_as_blocking() {
    let rules = BlockingRules::from_flags(None, Some("code")).unwrap();
    let classified = rules.classify(two_findings("code"));
    assert!(!classified.has_blocking_findings());
    assert_eq!(ExitStatus::of(&classified), ExitStatus::Clean);
}

#[test]
fn resource_names_with_dots() {
    // Terraform addresses contain dots: the item is split at its last dot, and the whole item
    // also names a resource.
    let mut report = Report::new("test");
    report.findings = vec![
        finding(
            FindingType::Error,
            "module.ci.aws_iam_role.deploy",
            "MISSING_VERSION",
        ),
        finding(
            FindingType::Error,
            "module.ci.aws_iam_role.deploy",
            "PASS_ROLE_WITH_STAR_IN_RESOURCE",
        ),
        finding(FindingType::Error, "aws_iam_role.build", "MISSING_VERSION"),
        finding(FindingType::Error, "BuildRole", "MISSING_VERSION"),
    ];
    let cases: &[(&str, &[usize])] = &[
        ("module.ci.aws_iam_role.deploy.MISSING_VERSION", &[0]),
        ("module.ci.aws_iam_role.deploy", &[0, 1]),
        (
            "MODULE.CI.AWS_IAM_ROLE.DEPLOY.pass_role_with_star_in_resource",
            &[1],
        ),
        ("aws_iam_role.build", &[2]),
        ("aws_iam_role.build.MISSING_VERSION", &[2]),
        // CloudFormation's form is unchanged.
        ("BuildRole.MISSING_VERSION", &[3]),
        ("BuildRole", &[3]),
        ("MISSING_VERSION", &[0, 2, 3]),
        // A prefix of an address is not the resource.
        ("module.ci", &[]),
        ("aws_iam_role", &[]),
    ];
    for (list, ignored) in cases {
        let rules = BlockingRules::from_flags(None, Some(list)).unwrap();
        let classified = rules.classify(report.clone());
        let got: Vec<usize> = classified
            .ignored
            .iter()
            .map(|i| {
                report
                    .findings
                    .iter()
                    .position(|f| *f == i.finding)
                    .unwrap()
            })
            .collect();
        assert_eq!(got, *ignored, "{list:?}");
    }
}

#[test]
fn bad_ignore_lists_are_errors() {
    let cases: &[(&str, RulesError)] = &[
        ("", RulesError::EmptyIgnoreItem { item: 1 }),
        ("a,", RulesError::EmptyIgnoreItem { item: 2 }),
        ("a,,b", RulesError::EmptyIgnoreItem { item: 2 }),
        (
            "a, .CODE",
            RulesError::EmptyIgnorePart {
                item: 2,
                found: ".CODE".into(),
                side: "before",
            },
        ),
        (
            "Resource.",
            RulesError::EmptyIgnorePart {
                item: 1,
                found: "Resource.".into(),
                side: "after",
            },
        ),
    ];
    for (list, error) in cases {
        assert_eq!(
            BlockingRules::parse_ignore_findings(list).as_ref(),
            Err(error),
            "{list:?}"
        );
    }
    assert_eq!(
        RulesError::EmptyIgnorePart {
            item: 1,
            found: "Resource.".into(),
            side: "after"
        }
        .to_string(),
        "item 1 of the findings to ignore, \"Resource.\", has nothing after its last dot: expected CODE, RESOURCE_NAME or RESOURCE_NAME.CODE"
    );
}

#[test]
fn parse_ignore_findings_gives_the_targets() {
    let rules = BlockingRules::parse_ignore_findings("MyRole, CODE ,My.Role.CODE").unwrap();
    let targets: Vec<&IgnoreTarget> = rules.iter().map(|r| &r.target).collect();
    assert_eq!(
        targets,
        [
            &IgnoreTarget::ResourceOrCode("MyRole".into()),
            &IgnoreTarget::ResourceOrCode("CODE".into()),
            &IgnoreTarget::ResourceDotCode("My.Role.CODE".into()),
        ]
    );
    assert!(rules.iter().all(|r| r.reason.is_none()));
}

#[test]
fn structured_ignore_entries() {
    let entries: Vec<IgnoreEntry> = serde_json::from_value(serde_json::json!([
        {"resource": "resource1", "code": "code", "reason": "reviewed in SEC-12"},
        {"code": "code2"},
        {"resource": "module.ci.aws_iam_role.deploy"}
    ]))
    .unwrap();
    let rules = BlockingRules::default()
        .with_ignore_entries(entries)
        .unwrap();
    assert_eq!(
        rules
            .ignores()
            .iter()
            .map(|r| &r.target)
            .collect::<Vec<_>>(),
        [
            &IgnoreTarget::ResourceAndCode {
                resource: "resource1".into(),
                code: "code".into()
            },
            &IgnoreTarget::Code("code2".into()),
            &IgnoreTarget::Resource("module.ci.aws_iam_role.deploy".into()),
        ]
    );

    let mut report = two_findings("code2");
    report.findings.push(finding(
        FindingType::Error,
        "module.ci.aws_iam_role.deploy",
        "MISSING_VERSION",
    ));
    // A resource-only entry does not match a finding whose *code* equals it.
    report
        .findings
        .push(finding(FindingType::Error, "other", "resource1"));
    let classified = rules.classify(report);
    let ignored: Vec<(&str, Option<&str>)> = classified
        .ignored
        .iter()
        .map(|i| (i.finding.resource_name.as_str(), i.rule.reason.as_deref()))
        .collect();
    assert_eq!(
        ignored,
        [
            ("resource1", Some("reviewed in SEC-12")),
            ("module.ci.aws_iam_role.deploy", None),
            ("resource2", None),
        ]
    );
    assert_eq!(codes(&classified.blocking), ["resource1"]);

    // An entry must name something; unknown fields are rejected.
    assert_eq!(
        BlockingRules::default().with_ignore_entries([IgnoreEntry {
            resource: Some("  ".into()),
            code: None,
            reason: Some("why".into())
        }]),
        Err(RulesError::IgnoreEntryWithoutTarget)
    );
    assert!(serde_json::from_value::<IgnoreEntry>(serde_json::json!({"resourse": "x"})).is_err());
}

#[test]
fn findings_are_ordered_by_type_then_as_produced() {
    let mut report = Report::new("test");
    report.findings = vec![
        finding(FindingType::Warning, "r", "w1"),
        finding(FindingType::SecurityWarning, "r", "s1"),
        finding(FindingType::Error, "r", "e1"),
        finding(FindingType::Suggestion, "r", "g1"),
        finding(FindingType::SecurityWarning, "r", "s2"),
        finding(FindingType::Error, "r", "e2"),
        finding(FindingType::Warning, "r", "w2"),
    ];
    let classified = BlockingRules::default().classify(report);
    assert_eq!(codes(&classified.blocking), ["e1", "e2", "s1", "s2"]);
    assert_eq!(codes(&classified.non_blocking), ["w1", "w2", "g1"]);
}
