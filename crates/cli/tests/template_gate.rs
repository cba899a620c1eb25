//! The pull-request gate over whole templates: `check-no-new-access --template-path` against the
//! base version from git (`--base-ref`), from another cloud assembly (`--base-template-path`),
//! and a Terraform plan's own before values. It FAILs exactly on the widened policies, naming
//! each resource, policy and statement at its place in the head file, and PASSes the narrowed
//! and unchanged ones.

use serde_json::Value as J;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the binary in `dir`.
fn iamproof_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_iamproof"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run iamproof");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const BASE: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  DataBucket:
    Type: AWS::S3::Bucket
  DataBucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref DataBucket
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: PartnerReads
            Effect: Allow
            Principal:
              AWS: arn:aws:iam::111122223333:root
            Action: s3:GetObject
            Resource: !Sub "${DataBucket.Arn}/*"
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: read-objects
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Sid: ReadObjects
                Effect: Allow
                Action: s3:GetObject
                Resource: arn:aws:s3:::app-data/*
        - PolicyName: logs
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Sid: WriteLogs
                Effect: Allow
                Action: logs:PutLogEvents
                Resource: arn:aws:logs:us-east-1:123456789012:log-group:/app/one:*
        - PolicyName: tagged
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Sid: StartTagged
                Effect: Allow
                Action: ec2:StartInstances
                Resource: "*"
                Condition:
                  StringEquals:
                    aws:ResourceTag/team: app
        - PolicyName: queue
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Sid: Send
                Effect: Allow
                Action: sqs:SendMessage
                Resource: arn:aws:sqs:us-east-1:123456789012:jobs
        - PolicyName: tables
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Sid: Tables
                Effect: Allow
                Action: dynamodb:*
                Resource: arn:aws:dynamodb:us-east-1:123456789012:table/app
"#;

/// The head: a new principal in the bucket policy, a new action, a wider resource, a removed
/// condition, a new Allow statement; `tables` is narrowed; the trust policy is unchanged. A
/// comment line moves every statement down by one line.
fn head() -> String {
    BASE.replace(
        "Resources:\n",
        "# reviewed in the pull request\nResources:\n",
    )
    .replace(
        "              AWS: arn:aws:iam::111122223333:root\n",
        "              AWS:\n                - arn:aws:iam::111122223333:root\n                - arn:aws:iam::444455556666:root\n",
    )
    .replace(
        "                Action: s3:GetObject\n",
        "                Action: [s3:GetObject, s3:PutObject]\n",
    )
    .replace("log-group:/app/one:*", "log-group:/app/*")
    .replace(
        "                Condition:\n                  StringEquals:\n                    aws:ResourceTag/team: app\n",
        "",
    )
    .replace(
        "                Resource: arn:aws:sqs:us-east-1:123456789012:jobs\n",
        "                Resource: arn:aws:sqs:us-east-1:123456789012:jobs\n              - Sid: Receive\n                Effect: Allow\n                Action: sqs:ReceiveMessage\n                Resource: arn:aws:sqs:us-east-1:123456789012:jobs\n",
    )
    .replace("Action: dynamodb:*", "Action: dynamodb:GetItem")
}

/// `line:col` (1-based) of the statement starting with `- Sid: SID` in `text`: the column of the
/// statement's first key, after `- `.
fn statement_position(text: &str, sid: &str) -> (u64, u64) {
    let needle = format!("- Sid: {sid}");
    for (i, line) in text.lines().enumerate() {
        if line.trim_end().ends_with(&needle) {
            let col = line.find(&needle).expect("found") + 3;
            return (i as u64 + 1, col as u64);
        }
    }
    panic!("no statement {sid}");
}

/// `(resource, policy, statementId)` of each blocking finding.
fn blocking(report: &J) -> BTreeSet<(String, String, String)> {
    report["BlockingFindings"]
        .as_array()
        .expect("BlockingFindings")
        .iter()
        .map(|f| {
            (
                f["resourceName"].as_str().unwrap_or_default().to_string(),
                f["policyName"].as_str().unwrap_or_default().to_string(),
                f["statementId"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn set(items: &[(&str, &str, &str)]) -> BTreeSet<(String, String, String)> {
    items
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

#[test]
fn the_gate_fails_exactly_on_the_widened_policies_of_a_cloudformation_template_from_git() {
    let repo = tempfile::tempdir().expect("tempdir");
    let dir = repo.path();
    git(dir, &["init", "-q"]);
    git(dir, &["config", "user.name", "iamproof test"]);
    git(dir, &["config", "user.email", "test@example.com"]);
    git(dir, &["config", "commit.gpgsign", "false"]);
    std::fs::write(dir.join("template.yaml"), BASE).expect("write");
    git(dir, &["add", "template.yaml"]);
    git(dir, &["commit", "-q", "-m", "base"]);
    let head = head();
    std::fs::write(dir.join("template.yaml"), &head).expect("write");
    git(dir, &["commit", "-q", "-am", "head"]);

    let r = iamproof_in(
        dir,
        &[
            "check-no-new-access",
            "--template-path",
            "template.yaml",
            "--base-ref",
            "HEAD~1",
            "--output",
            "json",
        ],
    );
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let report: J = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout));
    let widened = [
        ("DataBucketPolicy", "PolicyDocument", "PartnerReads"),
        ("AppRole", "read-objects", "ReadObjects"),
        ("AppRole", "logs", "WriteLogs"),
        ("AppRole", "tagged", "StartTagged"),
        ("AppRole", "queue", "Receive"),
    ];
    assert_eq!(blocking(&report), set(&widened), "{}", r.stdout);
    for f in report["BlockingFindings"].as_array().into_iter().flatten() {
        assert_eq!(f["code"], "policy-analysis-CheckNoNewAccess");
        assert_eq!(f["findingType"], "SECURITY_WARNING");
        assert_eq!(f["location"]["path"], "template.yaml");
        let sid = f["statementId"].as_str().unwrap_or_default();
        let (line, col) = statement_position(&head, sid);
        assert_eq!(
            (
                f["location"]["start"]["line"].as_u64(),
                f["location"]["start"]["column"].as_u64()
            ),
            (Some(line), Some(col)),
            "{sid}"
        );
        assert!(f["exampleRequest"]["action"].is_string(), "{f}");
    }
    // The narrowed and the unchanged policies give nothing; nothing else is reported.
    assert_eq!(report["NonBlockingFindings"], serde_json::json!([]));

    // The text report names file:line:col, resource.policy and the statement.
    let r = iamproof_in(
        dir,
        &[
            "check-no-new-access",
            "--template-path",
            "template.yaml",
            "--base-ref",
            "HEAD~1",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    for (resource, policy, sid) in widened {
        let (line, col) = statement_position(&head, sid);
        let lead = format!(
            "template.yaml:{line}:{col}: SECURITY_WARNING policy-analysis-CheckNoNewAccess {resource}.{policy}: "
        );
        let found = r.stdout.lines().find(|l| l.starts_with(&lead));
        assert!(
            found.is_some_and(|l| l.contains(&format!("with sid: {sid}."))),
            "{lead}\n{}",
            r.stdout
        );
    }
    assert!(
        r.stdout
            .ends_with("5 blocking findings, 0 non-blocking findings.\n"),
        "{}",
        r.stdout
    );

    // Against itself the gate passes; the narrowed policy alone passes.
    let r = iamproof_in(
        dir,
        &[
            "check-no-new-access",
            "--template-path",
            "template.yaml",
            "--base-ref",
            "HEAD",
        ],
    );
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "0 blocking findings, 0 non-blocking findings.\n")
    );

    // --treat-findings-as-non-blocking reports them and exits 0; --ignore-finding drops one
    // resource's findings.
    let r = iamproof_in(
        dir,
        &[
            "check-no-new-access",
            "--template-path",
            "template.yaml",
            "--base-ref",
            "HEAD~1",
            "--treat-findings-as-non-blocking",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(
        r.stdout
            .ends_with("0 blocking findings, 5 non-blocking findings.\n"),
        "{}",
        r.stdout
    );
    let r = iamproof_in(
        dir,
        &[
            "check-no-new-access",
            "--template-path",
            "template.yaml",
            "--base-ref",
            "HEAD~1",
            "--ignore-finding",
            "AppRole",
            "--output",
            "json",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let report: J = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(
        blocking(&report),
        set(&[("DataBucketPolicy", "PolicyDocument", "PartnerReads")])
    );

    // SARIF into a file; the summary on standard error.
    let r = iamproof_in(
        dir,
        &[
            "check-no-new-access",
            "--template-path",
            "template.yaml",
            "--base-ref",
            "HEAD~1",
            "--output",
            "sarif",
            "--output-file",
            "iamproof.sarif",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("5 blocking findings"), "{}", r.stderr);
    let sarif: J = serde_json::from_str(
        &std::fs::read_to_string(dir.join("iamproof.sarif")).expect("sarif written"),
    )
    .expect("sarif json");
    let results = sarif["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(results.len(), 5);
    for result in &results {
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "template.yaml");
        assert_eq!(result["level"], "error");
    }

    // A revision that does not exist, a missing base: exit 2.
    let r = iamproof_in(
        dir,
        &[
            "check-no-new-access",
            "--template-path",
            "template.yaml",
            "--base-ref",
            "no-such-ref",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("git"), "{}", r.stderr);
    let r = iamproof_in(
        dir,
        &["check-no-new-access", "--template-path", "template.yaml"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--base-ref"), "{}", r.stderr);
}

/// A Terraform plan: each resource's before against its after; a created policy is new access.
#[test]
fn a_terraform_plan_is_gated_on_its_own_before_values() {
    let policy = |actions: &str| {
        format!(
            r#"{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Sid\":\"Params\",\"Effect\":\"Allow\",\"Action\":{actions},\"Resource\":\"arn:aws:ssm:us-east-1:123456789012:parameter/app/*\"}}]}}"#
        )
    };
    let bucket = |principals: &str| {
        format!(
            r#"{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Sid\":\"Partner\",\"Effect\":\"Allow\",\"Principal\":{{\"AWS\":{principals}}},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::data/*\"}}]}}"#
        )
    };
    let change = |address: &str, ty: &str, actions: &str, before: String, after: String| {
        format!(
            r#"{{"address":"{address}","mode":"managed","type":"{ty}","name":"x","change":{{"actions":{actions},"before":{before},"after":{after},"after_unknown":{{}}}}}}"#
        )
    };
    let values = |p: &str| format!(r#"{{"name":"app","policy":"{p}"}}"#);
    let plan = format!(
        r#"{{
"format_version": "1.2",
"terraform_version": "1.9.5",
"resource_changes": [
{},
{},
{}
]
}}"#,
        change(
            "aws_iam_role_policy.params",
            "aws_iam_role_policy",
            r#"["update"]"#,
            values(&policy(r#"\"ssm:GetParameter\""#)),
            values(&policy(r#"[\"ssm:GetParameter\",\"ssm:PutParameter\"]"#)),
        ),
        change(
            "aws_s3_bucket_policy.data",
            "aws_s3_bucket_policy",
            r#"["update"]"#,
            values(&bucket(
                r#"[\"arn:aws:iam::111122223333:root\",\"arn:aws:iam::444455556666:root\"]"#
            )),
            values(&bucket(r#"\"arn:aws:iam::111122223333:root\""#)),
        ),
        change(
            "aws_iam_policy.deploy",
            "aws_iam_policy",
            r#"["create"]"#,
            "null".into(),
            values(&policy(r#"\"ssm:GetParameters\""#)),
        ),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("plan.json"), &plan).expect("write");
    let r = iamproof_in(
        dir.path(),
        &[
            "check-no-new-access",
            "--template-path",
            "plan.json",
            "--output",
            "json",
        ],
    );
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let report: J = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout));
    assert_eq!(
        blocking(&report),
        set(&[
            ("aws_iam_role_policy.params", "policy", "Params"),
            ("aws_iam_policy.deploy", "policy", "Params"),
        ]),
        "{}",
        r.stdout
    );
    for f in report["BlockingFindings"].as_array().into_iter().flatten() {
        assert_eq!(f["location"]["path"], "plan.json");
        // The policy is a JSON string: the location is the string's, on its resource's line.
        let line = f["location"]["start"]["line"].as_u64().unwrap_or_default();
        let address = format!(
            "\"address\":\"{}\"",
            f["resourceName"].as_str().unwrap_or_default()
        );
        let expected = plan
            .lines()
            .position(|l| l.contains(&address))
            .map(|i| i as u64 + 1);
        assert_eq!(Some(line), expected, "{f}");
    }
    // With --allow-added the created policy is accepted.
    let r = iamproof_in(
        dir.path(),
        &[
            "check-no-new-access",
            "--template-path",
            "plan.json",
            "--allow-added",
            "--output",
            "json",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let report: J = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(
        blocking(&report),
        set(&[("aws_iam_role_policy.params", "policy", "Params")])
    );
}

fn write_assembly(dir: &Path, statements: &str) {
    std::fs::create_dir_all(dir).expect("mkdir");
    std::fs::write(
        dir.join("manifest.json"),
        r#"{"version":"36.0.0","artifacts":{"AppStack":{"type":"aws:cloudformation:stack","environment":"aws://123456789012/us-east-1","properties":{"templateFile":"AppStack.template.json"}}}}"#,
    )
    .expect("write manifest");
    let template = format!(
        r#"{{
  "Resources": {{
    "AppRoleDefaultPolicy1234ABCD": {{
      "Type": "AWS::IAM::Policy",
      "Properties": {{
        "PolicyName": "AppRoleDefaultPolicy1234ABCD",
        "Roles": ["app"],
        "PolicyDocument": {{
          "Version": "2012-10-17",
          "Statement": [
{statements}
          ]
        }}
      }}
    }}
  }}
}}
"#
    );
    std::fs::write(dir.join("AppStack.template.json"), template).expect("write template");
}

/// Two cloud assemblies: the head's default policy gains a statement.
#[test]
fn two_cdk_assemblies_are_compared_stack_by_stack() {
    let dir = tempfile::tempdir().expect("tempdir");
    let read = r#"            { "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/app" }"#;
    let write = r#"            { "Effect": "Allow", "Action": "dynamodb:PutItem", "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/app" }"#;
    write_assembly(&dir.path().join("base/cdk.out"), read);
    write_assembly(
        &dir.path().join("head/cdk.out"),
        &format!("{read},\n{write}"),
    );
    let r = iamproof_in(
        dir.path(),
        &[
            "check-no-new-access",
            "--template-path",
            "head/cdk.out",
            "--base-template-path",
            "base/cdk.out",
            "--output",
            "json",
        ],
    );
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let report: J = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout));
    let findings = report["BlockingFindings"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(findings.len(), 1, "{}", r.stdout);
    let f = &findings[0];
    assert_eq!(f["resourceName"], "AppRoleDefaultPolicy1234ABCD");
    assert_eq!(f["policyName"], "AppRoleDefaultPolicy1234ABCD");
    assert_eq!(f["statementIndex"], 1);
    assert_eq!(f["location"]["path"], "head/cdk.out/AppStack.template.json");
    let head_template =
        std::fs::read_to_string(dir.path().join("head/cdk.out/AppStack.template.json"))
            .expect("read");
    let line = head_template
        .lines()
        .position(|l| l.contains("dynamodb:PutItem"))
        .map(|i| i as u64 + 1);
    assert_eq!(f["location"]["start"]["line"].as_u64(), line);
    assert_eq!(f["exampleRequest"]["action"], "dynamodb:PutItem");

    // The same assemblies as two commits of a repository: the base directory is read from git.
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(&repo).expect("mkdir");
    git(&repo, &["init", "-q"]);
    git(&repo, &["config", "user.name", "iamproof test"]);
    git(&repo, &["config", "user.email", "test@example.com"]);
    git(&repo, &["config", "commit.gpgsign", "false"]);
    write_assembly(&repo.join("infra/cdk.out"), read);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "base"]);
    write_assembly(&repo.join("infra/cdk.out"), &format!("{read},\n{write}"));
    git(&repo, &["commit", "-q", "-am", "head"]);
    let r = iamproof_in(
        &repo,
        &[
            "check-no-new-access",
            "--template-path",
            "infra/cdk.out",
            "--base-ref",
            "HEAD~1",
            "--output",
            "json",
        ],
    );
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let report: J = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout));
    let findings = report["BlockingFindings"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(findings.len(), 1, "{}", r.stdout);
    assert_eq!(
        findings[0]["location"]["path"],
        "infra/cdk.out/AppStack.template.json"
    );
    assert_eq!(findings[0]["exampleRequest"]["action"], "dynamodb:PutItem");

    // The other way round, the head only narrows: PASS, exit 0.
    let r = iamproof_in(
        dir.path(),
        &[
            "check-no-new-access",
            "--template-path",
            "base/cdk.out",
            "--base-template-path",
            "head/cdk.out",
        ],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
}

/// The document mode and the template mode exclude each other; template flags need a template.
#[test]
fn document_and_template_modes_exclude_each_other() {
    let dir = tempfile::tempdir().expect("tempdir");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let template = examples.join("templates/cloudformation.yaml");
    let template = template.to_string_lossy();
    for args in [
        vec![
            "check-no-new-access",
            "--template-path",
            &template,
            "--new-policy-document",
            "{}",
        ],
        vec![
            "check-no-public-access",
            "--template-path",
            &template,
            "--policy-document",
            "{}",
        ],
        vec![
            "check-no-public-access",
            "--policy-document",
            "{}",
            "--resource-type",
            "AWS::S3::Bucket",
            "--region",
            "eu-west-1",
        ],
        vec![
            "check-access-not-granted",
            "--template-path",
            &template,
            "--access",
            "actions=s3:Get*",
        ],
        vec![
            "check-no-new-access",
            "--template-path",
            &template,
            "--base-ref",
            "HEAD",
            "--base-template-path",
            &template,
        ],
        vec![
            "check-no-public-access",
            "--policy-document",
            "{}",
            "--resource-type",
            "AWS::S3::Bucket",
            "--output",
            "sarif",
        ],
        vec!["check-access-not-granted", "--template-path", &template],
    ] {
        let r = iamproof_in(dir.path(), &args);
        assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
    }
    // Template-mode flags with a (valid) document: a usage error naming the flag.
    let bucket = examples.join("s3/bucket-restricted.json");
    let bucket = bucket.to_string_lossy();
    for (flag, value) in [
        ("--region", Some("eu-west-1")),
        ("--treat-findings-as-non-blocking", None),
        ("--reference-policy", Some(&*bucket)),
        ("--base-ref", Some("HEAD")),
        ("--allow-added", None),
    ] {
        let mut args = vec![
            "check-no-new-access",
            "--existing-policy-document",
            &*bucket,
            "--new-policy-document",
            &*bucket,
            "--policy-type",
            "RESOURCE_POLICY",
            flag,
        ];
        args.extend(value);
        if flag == "--reference-policy" {
            args.extend(["--reference-policy-type", "resource"]);
        }
        let r = iamproof_in(dir.path(), &args);
        assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains(flag), "{args:?}: {}", r.stderr);
    }
}

/// The template modes of check-access-not-granted and check-no-public-access.
#[test]
fn access_not_granted_and_public_access_over_a_template() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("template.yaml"), head()).expect("write");
    let r = iamproof_in(
        dir.path(),
        &[
            "check-access-not-granted",
            "--template-path",
            "template.yaml",
            "--actions",
            "s3:PutObject,sqs:ReceiveMessage",
            "--output",
            "json",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let report: J = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(
        blocking(&report),
        set(&[
            ("AppRole", "read-objects", "ReadObjects"),
            ("AppRole", "queue", "Receive")
        ])
    );
    assert!(report["BlockingFindings"]
        .as_array()
        .into_iter()
        .flatten()
        .all(|f| f["code"] == "policy-analysis-CheckAccessNotGranted"));

    // The bucket's principals are two fixed accounts: not public.
    let r = iamproof_in(
        dir.path(),
        &["check-no-public-access", "--template-path", "template.yaml"],
    );
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "0 blocking findings, 0 non-blocking findings.\n"),
        "{}",
        r.stderr
    );
}
