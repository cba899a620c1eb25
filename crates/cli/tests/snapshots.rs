//! Snapshots (insta) of the rendered text output: validate-policy's findings with their source
//! excerpts, each check's PASS and FAIL on the bundled examples, and the rendering of a parse
//! error. The runs are in-process, with paths relative to this crate (`../../examples/…`) and
//! the native solver (the portfolio's engine and example requests depend on which solver answers
//! first), so the text is the same on every machine. A mismatch fails the test; `cargo insta
//! review` (or `INSTA_UPDATE=always`) updates the `.snap` files after a deliberate change.

mod common;

use common::{iamproof, iamproof_stdin, Run};

const EXAMPLES: &str = "../../examples";

fn ex(rel: &str) -> String {
    format!("{EXAMPLES}/{rel}")
}

/// The exit status, then standard output, then standard error (when not empty).
fn shown(r: &Run) -> String {
    let mut s = format!("exit status {}\n--- stdout\n{}", r.code, r.stdout);
    if !r.stderr.is_empty() {
        s.push_str("--- stderr\n");
        s.push_str(&r.stderr);
    }
    s
}

#[test]
fn validate_policy_text() {
    let policy = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\n    \"Effect\": \"Allow\",\n    \"NotPrincipal\": {\"AWS\": \"arn:aws:iam::123456789012:root\"},\n    \"Action\": [\"s3:GetObject\", \"s3:GetObject\"],\n    \"Resource\": \"arn:aws:s3:::b/*\"\n  }]\n}\n";
    let r = iamproof_stdin(
        &[
            "validate-policy",
            "--policy-document",
            "-",
            "--policy-type",
            "RESOURCE_POLICY",
        ],
        policy.as_bytes(),
    );
    insta::assert_snapshot!(shown(&r));
    let r = iamproof(&[
        "validate-policy",
        "--policy-document",
        &ex("identity/pipeline-reference.json"),
        "--policy-type",
        "IDENTITY_POLICY",
    ]);
    insta::assert_snapshot!("validate_policy_text_no_findings", shown(&r));
}

fn check(args: &[&str]) -> String {
    let mut a = args.to_vec();
    a.extend(["--solver", "native"]);
    shown(&iamproof(&a))
}

#[test]
fn check_no_new_access_text() {
    let run = |new: &str| {
        check(&[
            "check-no-new-access",
            "--existing-policy-document",
            &ex("identity/pipeline-reference.json"),
            "--new-policy-document",
            &ex(new),
            "--policy-type",
            "IDENTITY_POLICY",
        ])
    };
    insta::assert_snapshot!(
        "check_no_new_access_fail",
        run("identity/pipeline-changed.json")
    );
    insta::assert_snapshot!(
        "check_no_new_access_pass",
        run("identity/pipeline-narrowed.json")
    );
}

#[test]
fn check_access_not_granted_text() {
    let run = |policy: &str| {
        check(&[
            "check-access-not-granted",
            "--policy-document",
            &ex(policy),
            "--access",
            &ex("access-delete.json"),
            "--policy-type",
            "IDENTITY_POLICY",
        ])
    };
    insta::assert_snapshot!(
        "check_access_not_granted_fail",
        run("identity/pipeline-changed.json")
    );
    insta::assert_snapshot!(
        "check_access_not_granted_pass",
        run("identity/pipeline-narrowed.json")
    );
}

#[test]
fn check_no_public_access_text() {
    let run = |policy: &str| {
        check(&[
            "check-no-public-access",
            "--policy-document",
            &ex(policy),
            "--resource-type",
            "AWS::S3::Bucket",
        ])
    };
    insta::assert_snapshot!("check_no_public_access_fail", run("s3/bucket-public.json"));
    insta::assert_snapshot!(
        "check_no_public_access_pass",
        run("s3/bucket-restricted.json")
    );
}

#[test]
fn check_no_external_access_text() {
    let run = |policy: &str, resource_type: &str| {
        check(&[
            "check-no-external-access",
            "--policy-document",
            &ex(policy),
            "--resource-type",
            resource_type,
            "--trusted-account",
            "123456789012",
        ])
    };
    insta::assert_snapshot!(
        "check_no_external_access_fail",
        run("kms/key-policy.json", "AWS::KMS::Key")
    );
    insta::assert_snapshot!(
        "check_no_external_access_pass",
        run("s3/bucket-restricted.json", "AWS::S3::Bucket")
    );
}

#[test]
fn parse_error_rendering() {
    let policy = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": {\n    \"Effect\": \"allow\",\n    \"Action\": \"s3:GetObject\",\n    \"Resource\": \"*\"\n  }\n}\n";
    let r = iamproof_stdin(
        &[
            "check-no-public-access",
            "--policy-document",
            "-",
            "--resource-type",
            "AWS::S3::Bucket",
        ],
        policy.as_bytes(),
    );
    insta::assert_snapshot!("parse_error_policy", shown(&r));
    // Not JSON: the point where reading stopped.
    let r = iamproof(&[
        "formula",
        "--policy-document",
        "{\"Version\": \"2012-10-17\", \"Statement\": [}",
    ]);
    insta::assert_snapshot!("parse_error_json_syntax", shown(&r));
    // A template: the file is read again for the excerpt.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("template.yaml");
    std::fs::write(
        &file,
        "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties: !Nope x\n",
    )
    .unwrap();
    let r = iamproof(&["parse", "--template-path", file.to_str().unwrap()]);
    let shown = shown(&r).replace(&dir.path().display().to_string(), "[TMP]");
    insta::assert_snapshot!("parse_error_template", shown);
}
