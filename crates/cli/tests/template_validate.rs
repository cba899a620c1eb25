//! `iamproof validate --template-path`: the three outputs on the bundled templates, the
//! blocking rules' flags, excluded resource types, trusted external principals, and resources
//! whose policy cannot be built.

mod common;

use common::{examples, iamproof};
use serde_json::Value as J;

fn path(rel: &str) -> String {
    examples().join(rel).display().to_string()
}

fn codes(report: &J, list: &str) -> Vec<(String, String)> {
    report[list]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default().to_string(),
                f["resourceName"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn validate_prints_text_json_and_sarif() {
    let template = path("templates/cloudformation.yaml");
    let r = iamproof(&["validate", "--template-path", &template]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.starts_with("Blocking findings:\n"), "{}", r.stdout);
    assert!(
        r.stdout.contains(&format!("{template}:29:13: SECURITY_WARNING policy-analysis-CheckNoPublicAccess ArtifactBucketPolicy.PolicyDocument: ")),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("  example request: {"), "{}", r.stdout);
    assert!(
        r.stdout
            .ends_with("1 blocking finding, 2 non-blocking findings.\n"),
        "{}",
        r.stdout
    );

    let r = iamproof(&["validate", "--template-path", &template, "--output", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let report: J = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(
        codes(&report, "BlockingFindings"),
        pairs(&[(
            "policy-analysis-CheckNoPublicAccess",
            "ArtifactBucketPolicy"
        )])
    );
    assert_eq!(
        report["BlockingFindings"][0]["location"]["start"]["line"],
        29
    );
    assert!(
        r.stderr
            .contains("1 blocking finding, 2 non-blocking findings."),
        "{}",
        r.stderr
    );

    let r = iamproof(&[
        "validate",
        "--template-path",
        &template,
        "--output",
        "sarif",
        "--quiet",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    let sarif: J = serde_json::from_str(&r.stdout).expect("sarif");
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let public = results
        .iter()
        .find(|r| r["ruleId"] == "policy-analysis-CheckNoPublicAccess")
        .expect("public access result");
    assert_eq!(
        public["locations"][0]["physicalLocation"]["region"]["startLine"],
        29
    );

    // The blocking rules of the AWS validators' flags.
    let r = iamproof(&[
        "validate",
        "--template-path",
        &template,
        "--treat-finding-type-as-blocking",
        "NONE",
    ]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let r = iamproof(&[
        "validate",
        "--template-path",
        &template,
        "--ignore-finding",
        "ArtifactBucketPolicy.policy-analysis-CheckNoPublicAccess",
    ]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(
        r.stdout
            .ends_with("0 blocking findings, 2 non-blocking findings, 1 ignored.\n"),
        "{}",
        r.stdout
    );
    let r = iamproof(&[
        "validate",
        "--template-path",
        &template,
        "--exclude-resource-types",
        "AWS::S3::BucketPolicy",
    ]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let r = iamproof(&[
        "validate",
        "--template-path",
        &template,
        "--treat-finding-type-as-blocking",
        "ERROR,BAD",
    ]);
    assert_eq!(r.code, 2, "{}", r.stdout);
}

#[test]
fn validate_checks_external_principals_when_given() {
    let template = path("templates/cloudformation.yaml");
    let args = |trusted: &'static str| {
        let mut a = vec![
            "validate".to_string(),
            "--template-path".into(),
            template.clone(),
            "--parameters".into(),
            "PartnerAccount=444455556666".into(),
            "--output".into(),
            "json".into(),
        ];
        if !trusted.is_empty() {
            a.extend(["--allow-external-principals".into(), trusted.into()]);
        }
        a
    };
    let run = |trusted: &'static str| {
        let a = args(trusted);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        iamproof(&a)
    };
    // Without the flag: no external-access check; the partner account is a fixed account.
    let r = run("");
    assert_eq!(r.code, 0, "{}", r.stdout);
    // The partner is not trusted: external access in the bucket policy.
    let r = run("111122223333");
    assert_eq!(r.code, 1, "{}", r.stderr);
    let report: J = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(
        codes(&report, "BlockingFindings"),
        pairs(&[(
            "policy-analysis-CheckNoExternalAccess",
            "ArtifactBucketPolicy"
        )])
    );
    // Trusted (by id or root ARN), or everyone: nothing blocks.
    for trusted in ["444455556666", "arn:aws:iam::444455556666:root", "*"] {
        let r = run(trusted);
        assert_eq!(r.code, 0, "{trusted}: {}", r.stdout);
    }
    // A role ARN is refused rather than widened to its account.
    let r = run("arn:aws:iam::444455556666:role/reader");
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("whole accounts"), "{}", r.stderr);
}

#[test]
fn validate_blocks_on_a_policy_that_cannot_be_built_and_reads_cdk_and_terraform() {
    let r = iamproof(&[
        "validate",
        "--template-path",
        &path("templates/terraform-plan.json"),
        "--output",
        "json",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let report: J = serde_json::from_str(&r.stdout).expect("json");
    assert!(
        codes(&report, "BlockingFindings").contains(&(
            "iamproof-PolicyNotAnalysable".to_string(),
            "module.storage.aws_sqs_queue_policy.events".to_string()
        )),
        "{}",
        r.stdout
    );
    let r = iamproof(&[
        "validate",
        "--template-path",
        &path("templates/cdk.out"),
        "--output",
        "json",
    ]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let report: J = serde_json::from_str(&r.stdout).expect("json");
    assert!(report["BlockingFindings"].is_array());

    // A file that is not a template: exit 2, located.
    let r = iamproof(&["validate", "--template-path", &path("access-delete.json")]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
}
