//! cfn-policy-validator, the AWS CloudFormation policy validator, against the server through
//! `AWS_ENDPOINT_URL`, unchanged: its `check-no-public-access` on its own test template.
//!
//! The validator is required: when it is missing the test FAILs and says how to install it
//! (`pip install cfn-policy-validator`; `.ci/run` does it, into `target/aws-clients-venv`, which
//! the test uses when it is there). `IAMPROOF_TEST_CFN_POLICY_VALIDATOR` names another executable. Its `validate` command is not covered: it first calls
//! `ListAnalyzers`/`CreateAnalyzer` and access previews, which the server does not implement
//! (they get `UnknownOperationException`).

mod common;

use common::*;
use iamproof_corpora::Corpora;
use serde_json::Value;
use std::process::Command;

const INSTALL: &str =
    "install the validator the test drives: `python3 -m pip install cfn-policy-validator` \
(or run .ci/run, which installs it into a virtual environment when it is missing)";

#[test]
fn cfn_policy_validator_check_no_public_access() {
    let program = client_program("IAMPROOF_TEST_CFN_POLICY_VALIDATOR", "cfn-policy-validator");
    let template =
        Corpora::locate().path("cfn-policy-validator-tests/test_files/public_access_test.yml");
    assert!(template.is_file(), "{} is missing", template.display());
    let server = start(config());
    let mut c = Command::new(&program);
    for var in [
        "AWS_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_ENDPOINT_URL_ACCESSANALYZER",
        "AWS_ENDPOINT_URL_STS",
    ] {
        c.env_remove(var);
    }
    let out = c
        .env("AWS_ENDPOINT_URL", server.url())
        .env("AWS_ACCESS_KEY_ID", "x")
        .env("AWS_SECRET_ACCESS_KEY", "x")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent/iamproof-test-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/iamproof-test-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .args([
            "check-no-public-access",
            "--region",
            "us-east-1",
            "--template-path",
        ])
        .arg(&template)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{program}`: {e}; {INSTALL}"));
    // 2: blocking findings (the validator's convention).
    assert_eq!(
        out.status.code(),
        Some(2),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
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
