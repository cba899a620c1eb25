//! The AWS policy validators against the server through `AWS_ENDPOINT_URL`, unchanged:
//! cfn-policy-validator's `check-no-public-access` and `check-access-not-granted` on its own test
//! template, tf-policy-validator's
//! `check-no-public-access` and `check-no-new-access` on its own test plans.
//!
//! The validators are required: when one is missing the test FAILs and says how to install it
//! (`pip install cfn-policy-validator tf-policy-validator`; `.ci/run` does it, into
//! `target/aws-clients-venv`, which the tests use when it is there).
//! `IAMPROOF_TEST_CFN_POLICY_VALIDATOR` and `IAMPROOF_TEST_TF_POLICY_VALIDATOR` name other
//! executables. Their `validate` command is not covered: it first calls
//! `ListAnalyzers`/`CreateAnalyzer` and access previews, which the server does not implement
//! (they get `UnknownOperationException`).

mod common;

use common::*;
use iamproof_corpora::Corpora;

#[test]
fn cfn_policy_validator_check_no_public_access() {
    let program = client_program("IAMPROOF_TEST_CFN_POLICY_VALIDATOR", "cfn-policy-validator");
    let template =
        Corpora::locate().path("cfn-policy-validator-tests/test_files/public_access_test.yml");
    assert!(template.is_file(), "{} is missing", template.display());
    let server = start(config());
    let template = template.to_string_lossy().into_owned();
    let (code, report) = validator(
        &program,
        &server.url(),
        &[
            "check-no-public-access",
            "--region",
            "us-east-1",
            "--template-path",
            &template,
        ],
    );
    // 2: blocking findings (the validators' convention).
    assert_eq!(code, Some(2), "{report}");
    let findings = report["BlockingFindings"]
        .as_array()
        .expect("BlockingFindings");
    assert!(findings.len() >= 5, "{report}");
    for f in findings {
        assert_eq!(f["code"], "policy-analysis-CheckNoPublicAccess", "{f}");
        assert_eq!(f["details"]["result"], "FAIL", "{f}");
    }
    // The key policy's fourth statement grants kms:Decrypt to everyone.
    let key = findings
        .iter()
        .find(|f| f["resourceName"] == "MyKey")
        .expect("a finding for MyKey");
    assert_eq!(key["details"]["reasons"][0]["statementIndex"], 3, "{key}");
    assert_eq!(
        key["details"]["reasons"][0]["statementId"],
        "Allow public use of the key"
    );
    // It called STS and one CheckNoPublicAccess per policy, and nothing failed.
    let metrics = send(server.addr(), "GET", "/metrics", &[], b"").text();
    assert!(
        metrics.contains("iamproof_requests_total{operation=\"GetCallerIdentity\",status=\"200\"}"),
        "{metrics}"
    );
    assert!(!metrics.contains("iamproof_errors_total{"), "{metrics}");
    println!(
        "cfn-policy-validator: {} blocking findings, all FAIL answers of the server",
        findings.len()
    );
}

#[test]
fn cfn_policy_validator_check_access_not_granted() {
    let program = client_program("IAMPROOF_TEST_CFN_POLICY_VALIDATOR", "cfn-policy-validator");
    let template =
        Corpora::locate().path("cfn-policy-validator-tests/test_files/public_access_test.yml");
    let server = start(config());
    let template = template.to_string_lossy().into_owned();
    let run = |actions: &str| {
        validator(
            &program,
            &server.url(),
            &[
                "check-access-not-granted",
                "--region",
                "us-east-1",
                "--template-path",
                &template,
                "--actions",
                actions,
            ],
        )
    };
    // The key policy grants kms:Decrypt: a blocking finding for MyKey, as the server answered.
    let (code, report) = run("kms:Decrypt");
    assert_eq!(code, Some(2), "{report}");
    let findings = report["BlockingFindings"]
        .as_array()
        .expect("BlockingFindings");
    assert!(
        findings.iter().any(|f| f["resourceName"] == "MyKey"
            && f["code"] == "policy-analysis-CheckAccessNotGranted"),
        "{report}"
    );
    // No policy of the template grants iam:CreateUser: nothing blocks.
    let (code, report) = run("iam:CreateUser");
    assert_eq!(code, Some(0), "{report}");
}

#[test]
fn tf_policy_validator_checks() {
    let program = client_program("IAMPROOF_TEST_TF_POLICY_VALIDATOR", "tf-policy-validator");
    let dir = Corpora::locate().path("tf-policy-validator-tests/iam_check");
    let path = |rel: &str| dir.join(rel).to_string_lossy().into_owned();
    let server = start(config());
    let (code, report) = validator(
        &program,
        &server.url(),
        &[
            "check-no-public-access",
            "--region",
            "us-east-1",
            "--config",
            &path("config/default.yaml"),
            "--template-path",
            &path("test/public_access/test_plan.json"),
        ],
    );
    // 2: blocking findings (the validators' convention).
    assert_eq!(code, Some(2), "{report}");
    let findings = report["BlockingFindings"]
        .as_array()
        .expect("BlockingFindings");
    assert!(findings.len() >= 5, "{report}");
    for f in findings {
        assert_eq!(f["code"], "policy-analysis-CheckNoPublicAccess", "{f}");
        assert_eq!(f["details"]["result"], "FAIL", "{f}");
    }
    let public = findings.len();
    let (code, report) = validator(
        &program,
        &server.url(),
        &[
            "check-no-new-access",
            "--region",
            "us-east-1",
            "--config",
            &path("config/default.yaml"),
            "--template-path",
            &path("test/multiple_policies/test_plan.json"),
            "--reference-policy",
            &path("test/multiple_policies/identity_reference_policy.json"),
            "--reference-policy-type",
            "identity",
        ],
    );
    assert_eq!(code, Some(2), "{report}");
    let findings = report["BlockingFindings"]
        .as_array()
        .expect("BlockingFindings");
    assert!(!findings.is_empty(), "{report}");
    for f in findings {
        assert_eq!(f["code"], "policy-analysis-CheckNoNewAccess", "{f}");
        assert_eq!(f["details"]["result"], "FAIL", "{f}");
    }
    let metrics = send(server.addr(), "GET", "/metrics", &[], b"").text();
    assert!(!metrics.contains("iamproof_errors_total{"), "{metrics}");
    println!(
        "tf-policy-validator: {public} public-access and {} new-access blocking findings, all FAIL answers of the server",
        findings.len()
    );
}
