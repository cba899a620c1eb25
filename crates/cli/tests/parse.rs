//! `iamproof parse`: the policies of the bundled template, assembly and plan; bad input exits 2.

mod common;

use common::{examples, iamproof};
use serde_json::Value as J;

fn path(rel: &str) -> String {
    examples().join(rel).display().to_string()
}

#[test]
fn parse_prints_the_extraction_as_json() {
    let r = iamproof(&[
        "parse",
        "--template-path",
        &path("templates/cloudformation.yaml"),
        "--parameters",
        "Env=prod",
        "PartnerAccount=444455556666",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j: J = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout));
    assert_eq!(j["format"], "cloudformation");
    let policies = j["policies"].as_array().cloned().unwrap_or_default();
    assert_eq!(policies.len(), 4);
    assert_eq!(policies[0]["resource"], "ArtifactBucketPolicy");
    assert_eq!(
        policies[0]["policy_type"],
        serde_json::json!({"kind": "RESOURCE_POLICY", "resource_type": "AWS::S3::Bucket"})
    );
    assert_eq!(policies[0]["statement_locations"][0]["start"]["line"], 29);
    assert_eq!(
        policies[3]["document"]["Statement"][2]["Resource"],
        serde_json::json!({"iamproof:unknown": "Fn::ImportValue shared-build-log-group-arn"})
    );

    for (rel, format, n) in [
        ("templates/cdk.out", "cdk", 3),
        ("templates/terraform-plan.json", "terraform", 3),
    ] {
        let r = iamproof(&[
            "parse",
            "--template-path",
            &path(rel),
            "--region",
            "eu-west-1",
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let j: J = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(j["format"], format);
        assert_eq!(j["policies"].as_array().map(Vec::len), Some(n), "{rel}");
    }
    let r = iamproof(&[
        "parse",
        "--template-path",
        &path("templates/terraform-plan.json"),
        "--output",
        "text",
    ]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout
            .contains("module.storage.aws_sqs_queue_policy.events policy: not analysable"),
        "{}",
        r.stdout
    );
}

#[test]
fn parse_errors_exit_2_and_say_where() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "Resources:\n  R:\n    Type: !Nope x\n").unwrap_or_else(|e| panic!("{e}"));
    let shown = bad.display().to_string();
    let r = iamproof(&["parse", "--template-path", &shown]);
    assert_eq!(r.code, 2);
    // The message line, then the source excerpt with the position marked.
    assert_eq!(
        r.stderr.trim(),
        format!(
            "error: {shown}:3:11: unknown tag !Nope (not a CloudFormation intrinsic function)\n   \
             ╭─[{shown}:3:11]\n 2 │   R:\n 3 │     Type: !Nope x\n   ·           ▲\n   ╰────"
        )
    );
    let r = iamproof(&["parse", "--template-path", "no/such.yaml"]);
    assert_eq!(
        (r.code, r.stderr.trim()),
        (2, "error: no/such.yaml: no such file or directory")
    );
    let r = iamproof(&[
        "parse",
        "--template-path",
        &path("templates/cloudformation.yaml"),
        "--parameters",
        "oops",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("KEY=VALUE"), "{}", r.stderr);
    let r = iamproof(&[
        "parse",
        "--template-path",
        &path("templates/cdk.out"),
        "--format",
        "terraform",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}
