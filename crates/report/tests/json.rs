//! The JSON report against a hand-written expected report in cfn-policy-validator's shape.

mod common;

use iamproof_report::{render_json, to_json, BlockingRules, Report};

#[test]
fn json_report_has_cfn_policy_validators_shape() {
    let mut report = Report::new("0.1.0");
    report.findings = vec![
        common::missing_version(),
        common::new_access(),
        common::not_analysable(),
    ];
    let classified = BlockingRules::default().classify(report);
    let expected = r#"{
    "BlockingFindings": [
        {
            "findingType": "ERROR",
            "code": "iamproof-PolicyNotAnalysable",
            "message": "The policy is known only after apply.",
            "resourceName": "module.ci.aws_iam_role.deploy",
            "policyName": "inline_policy[0]",
            "details": null,
            "location": {
                "path": "infra\\tf\\plan.json",
                "start": {
                    "line": 120,
                    "column": 11
                },
                "end": {
                    "line": 120,
                    "column": 40
                }
            }
        },
        {
            "findingType": "SECURITY_WARNING",
            "code": "policy-analysis-CheckNoNewAccess",
            "message": "The modified permissions grant new access compared to your existing policy.",
            "resourceName": "BuildRole",
            "policyName": "RootPolicy",
            "details": {
                "result": "FAIL",
                "message": "The modified permissions grant new access compared to your existing policy.",
                "reasons": [
                    {
                        "description": "New access in the statement with index: 0.",
                        "statementIndex": 0,
                        "statementId": "Build"
                    }
                ]
            },
            "location": {
                "path": "./infra/app.yaml",
                "start": {
                    "line": 17,
                    "column": 17
                },
                "end": {
                    "line": 20,
                    "column": 53
                }
            },
            "exampleRequest": {
                "action": "s3:DeleteObject",
                "resource": "arn:aws:s3:::artifacts/a"
            },
            "statementIndex": 0,
            "statementId": "Build"
        }
    ],
    "NonBlockingFindings": [
        {
            "findingType": "WARNING",
            "code": "MISSING_VERSION",
            "message": "We recommend that you specify the Version element to help you with debugging permission issues.",
            "resourceName": "LogsQueuePolicy",
            "policyName": "QueuePolicy",
            "details": {
                "findingType": "WARNING",
                "issueCode": "MISSING_VERSION",
                "findingDetails": "We recommend that you specify the Version element to help you with debugging permission issues.",
                "learnMoreLink": "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-general-warning-missing-version",
                "locations": []
            },
            "location": {
                "path": "./infra/app.yaml",
                "start": {
                    "line": 29,
                    "column": 9
                },
                "end": {
                    "line": 33,
                    "column": 26
                }
            }
        }
    ]
}
"#;
    assert_eq!(render_json(&classified), expected);
}

#[test]
fn empty_report() {
    let classified = BlockingRules::default().classify(Report::new("0.1.0"));
    assert_eq!(
        render_json(&classified),
        "{\n    \"BlockingFindings\": [],\n    \"NonBlockingFindings\": []\n}\n"
    );
}

#[test]
fn every_finding_starts_with_the_six_keys_of_cfn_policy_validator() {
    let classified = BlockingRules::from_flags(
        Some("ERROR"),
        Some("BuildRole.PASS_ROLE_WITH_STAR_IN_RESOURCE"),
    )
    .unwrap()
    .classify(common::report());
    let json = to_json(&classified);
    let top: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(top, ["BlockingFindings", "NonBlockingFindings"]);
    let all: Vec<&serde_json::Value> = ["BlockingFindings", "NonBlockingFindings"]
        .iter()
        .flat_map(|k| json[k].as_array().unwrap())
        .collect();
    // Six findings, one ignored: left out of the report.
    assert_eq!(all.len(), 5);
    assert_eq!(json["BlockingFindings"].as_array().unwrap().len(), 1);
    for finding in all {
        let keys: Vec<&str> = finding
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys[..6],
            [
                "findingType",
                "code",
                "message",
                "resourceName",
                "policyName",
                "details"
            ]
        );
        for extra in &keys[6..] {
            assert!(
                [
                    "physicalName",
                    "location",
                    "exampleRequest",
                    "statementIndex",
                    "statementId"
                ]
                .contains(extra),
                "{extra}"
            );
        }
    }
}

#[test]
fn the_physical_name_follows_details_when_known() {
    let mut report = Report::new("0.1.0");
    report.findings = vec![
        common::new_access().with_physical_name(Some("build-role".into())),
        common::missing_version(),
    ];
    let json = to_json(&BlockingRules::default().classify(report));
    let all: Vec<&serde_json::Value> = ["BlockingFindings", "NonBlockingFindings"]
        .iter()
        .flat_map(|k| json[k].as_array().into_iter().flatten())
        .collect();
    let named: Vec<&serde_json::Value> = all
        .iter()
        .copied()
        .filter(|f| f.get("physicalName").is_some())
        .collect();
    assert_eq!(named.len(), 1, "{json}");
    assert_eq!(named[0]["physicalName"], "build-role");
    assert_eq!(named[0]["resourceName"], "BuildRole");
    let keys: Vec<&str> = named[0]
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(keys.get(6), Some(&"physicalName"), "{keys:?}");
}
