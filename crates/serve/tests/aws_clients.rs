//! The real AWS CLI and boto3 against the server: their answers must equal iamproof's own
//! library output on the bundled examples and on a sample of the corpora (Quacky pairs, MAMIP
//! version pairs, resource policies of the IAM User Guide).
//!
//! The clients are required: when `aws` or boto3 is missing the tests FAIL and say how to install
//! them (`pip install awscli boto3`; `.ci/run` does it, into `target/aws-clients-venv`, which the
//! tests use when it is there). `IAMPROOF_TEST_AWS` and `IAMPROOF_TEST_PYTHON` name other
//! executables.

mod common;

use common::*;
use iamproof_checks::{AccessSpec, Backend, CheckOptions, ResourceType};
use iamproof_corpora::{guess_policy_type, to_pretty_text, Corpora};
use iamproof_policy::{parse_policy, validate_policy, PolicyType};
use serde_json::{json, Value};
use std::io::Write;
use std::process::{Command, Stdio};

const INSTALL: &str =
    "install the AWS clients the test drives: `python3 -m pip install awscli boto3` \
(or run .ci/run, which installs them into a virtual environment when they are missing)";

fn aws_program() -> String {
    client_program("IAMPROOF_TEST_AWS", "aws")
}

fn python_program() -> String {
    client_program("IAMPROOF_TEST_PYTHON", "python3")
}

/// A command with dummy credentials and no user configuration.
fn client_command(program: &str) -> Command {
    let mut c = Command::new(program);
    for var in [
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_ACCESSANALYZER",
        "AWS_ENDPOINT_URL_STS",
        "AWS_CA_BUNDLE",
    ] {
        c.env_remove(var);
    }
    c.env("AWS_ACCESS_KEY_ID", "x")
        .env("AWS_SECRET_ACCESS_KEY", "x")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent/iamproof-test-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/iamproof-test-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("AWS_PAGER", "");
    c
}

fn require_aws() {
    match Command::new(aws_program()).arg("--version").output() {
        Ok(o) if o.status.success() => {}
        Ok(o) => panic!(
            "`{} --version` failed ({}): {}; {INSTALL}",
            aws_program(),
            o.status,
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => panic!(
            "the AWS CLI (`{}`) cannot be run: {e}; {INSTALL}",
            aws_program()
        ),
    }
}

fn require_boto3() {
    match Command::new(python_program())
        .args(["-c", "import boto3"])
        .output()
    {
        Ok(o) if o.status.success() => {}
        Ok(o) => panic!(
            "boto3 cannot be imported by `{}`: {}; {INSTALL}",
            python_program(),
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => panic!("`{}` cannot be run: {e}; {INSTALL}", python_program()),
    }
}

fn options() -> CheckOptions {
    CheckOptions {
        backend: Backend::Native,
        ..CheckOptions::default()
    }
}

/// One request and the answer iamproof's library gives for it.
struct Case {
    name: String,
    operation: &'static str,
    params: Value,
    expected: Value,
}

fn type_name(t: PolicyType) -> &'static str {
    match t {
        PolicyType::Resource => "RESOURCE_POLICY",
        PolicyType::ServiceControl => "SERVICE_CONTROL_POLICY",
        PolicyType::ResourceControl => "RESOURCE_CONTROL_POLICY",
        _ => "IDENTITY_POLICY",
    }
}

fn validate_case(name: &str, doc: &str, ty: PolicyType) -> Case {
    Case {
        name: format!("validate {name}"),
        operation: "ValidatePolicy",
        params: json!({"policyDocument": doc, "policyType": type_name(ty)}),
        expected: json!({"findings": validate_policy(doc, ty)}),
    }
}

fn no_new_access_case(name: &str, existing: &str, new: &str, ty: PolicyType) -> Option<Case> {
    let e = parse_policy(existing, ty).ok()?;
    let n = parse_policy(new, ty).ok()?;
    Some(Case {
        name: format!("no-new-access {name}"),
        operation: "CheckNoNewAccess",
        params: json!({"existingPolicyDocument": existing, "newPolicyDocument": new, "policyType": type_name(ty)}),
        expected: iamproof_checks::check_no_new_access(&e, &n, &options()).to_aws_json_value(),
    })
}

fn access_case(name: &str, doc: &str, ty: PolicyType, access: Value) -> Option<Case> {
    let p = parse_policy(doc, ty).ok()?;
    let spec = AccessSpec::from_json(&access.to_string()).ok()?;
    Some(Case {
        name: format!("access-not-granted {name}"),
        operation: "CheckAccessNotGranted",
        params: json!({"policyDocument": doc, "access": access, "policyType": type_name(ty)}),
        expected: iamproof_checks::check_access_not_granted(&p, &spec, &options())
            .to_aws_json_value(),
    })
}

fn public_case(name: &str, doc: &str, rt: ResourceType) -> Option<Case> {
    let p = parse_policy(doc, PolicyType::Resource).ok()?;
    Some(Case {
        name: format!("no-public-access {name}"),
        operation: "CheckNoPublicAccess",
        params: json!({"policyDocument": doc, "resourceType": rt.aws_name()}),
        expected: iamproof_checks::check_no_public_access(&p, rt, &options()).to_aws_json_value(),
    })
}

fn example_cases() -> Vec<Case> {
    let reference = example("identity/pipeline-reference.json");
    let changed = example("identity/pipeline-changed.json");
    let narrowed = example("identity/pipeline-narrowed.json");
    let public = example("s3/bucket-public.json");
    let restricted = example("s3/bucket-restricted.json");
    let key = example("kms/key-policy.json");
    let trust = example("iam/trust-policy.json");
    let access: Value =
        serde_json::from_str(&example("access-delete.json")).expect("examples/access-delete.json");
    let mut cases = vec![
        validate_case("pipeline-changed", &changed, PolicyType::Identity),
        validate_case("bucket-restricted", &restricted, PolicyType::Resource),
        validate_case("key-policy", &key, PolicyType::Resource),
        validate_case(
            "two findings",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:getobject","s3:GetObject"],"Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/4"}}}]}"#,
            PolicyType::Identity,
        ),
    ];
    cases.extend(
        [
            no_new_access_case("changed", &reference, &changed, PolicyType::Identity),
            no_new_access_case("narrowed", &reference, &narrowed, PolicyType::Identity),
            access_case("delete", &changed, PolicyType::Identity, access),
            access_case(
                "resources",
                &changed,
                PolicyType::Identity,
                json!([{"actions": ["s3:PutObject"], "resources": ["arn:aws:s3:::build-artifacts/*"]}]),
            ),
            public_case("bucket-public", &public, ResourceType::S3Bucket),
            public_case("bucket-restricted", &restricted, ResourceType::S3Bucket),
            public_case("key-policy", &key, ResourceType::KmsKey),
            public_case("trust-policy", &trust, ResourceType::IamAssumeRolePolicyDocument),
        ]
        .into_iter()
        .flatten(),
    );
    cases
}

fn resource_type_for(doc: &str) -> ResourceType {
    let lower = doc.to_ascii_lowercase();
    if lower.contains("\"kms:") {
        ResourceType::KmsKey
    } else if lower.contains("\"sqs:") {
        ResourceType::SqsQueue
    } else if lower.contains("\"sns:") {
        ResourceType::SnsTopic
    } else if lower.contains("sts:assumerole") {
        ResourceType::IamAssumeRolePolicyDocument
    } else {
        ResourceType::S3Bucket
    }
}

fn corpus_cases() -> Vec<Case> {
    let c = Corpora::locate();
    let mut cases = Vec::new();
    let pairs = c
        .quacky_pairs()
        .expect("the Quacky corpus (../shared/corpora/quacky)");
    for p in pairs.iter().step_by(97).take(4) {
        let read = |rel: &str| c.read_text(c.path(&format!("quacky/{rel}")));
        let (Ok(t1), Ok(t2)) = (read(&p.policy1), read(&p.policy2)) else {
            panic!("cannot read Quacky pair {} / {}", p.policy1, p.policy2);
        };
        let ty = serde_json::from_str::<Value>(&t1)
            .map(|v| guess_policy_type(&v))
            .unwrap_or(PolicyType::Identity);
        cases.extend(no_new_access_case(
            &format!("quacky {}", p.policy1),
            &t2,
            &t1,
            ty,
        ));
        cases.push(validate_case(&format!("quacky {}", p.policy1), &t1, ty));
    }
    let mamip = c.mamip_version_pairs().expect("the MAMIP corpus");
    for p in mamip.iter().step_by(53).take(3) {
        let (old, new) = (to_pretty_text(&p.old), to_pretty_text(&p.new));
        cases.extend(no_new_access_case(
            &format!("mamip {} {}→{}", p.policy, p.old_version, p.new_version),
            &old,
            &new,
            PolicyType::Identity,
        ));
    }
    let resource_policies: Vec<_> = c
        .all_policies()
        .expect("the corpora")
        .into_iter()
        .filter(|p| p.corpus() == "user-guide" && p.policy_type == PolicyType::Resource)
        .filter(|p| parse_policy(&p.text, PolicyType::Resource).is_ok())
        .collect();
    for p in resource_policies.iter().step_by(7).take(5) {
        cases.extend(public_case(&p.name, &p.text, resource_type_for(&p.text)));
        cases.push(validate_case(&p.name, &p.text, PolicyType::Resource));
    }
    assert!(cases.len() >= 15, "too few corpus cases: {}", cases.len());
    cases
}

fn run_boto3(url: &str, cases: &[(&'static str, Value)]) -> Vec<Value> {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/boto3_client.py");
    let input: Vec<Value> = cases
        .iter()
        .map(|(op, params)| json!({"operation": op, "params": params}))
        .collect();
    let mut child = client_command(&python_program())
        .arg(&script)
        .arg(url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}; {INSTALL}", python_program()));
    let mut stdin = child.stdin.take().expect("stdin");
    let payload = Value::Array(input).to_string();
    let writer = std::thread::spawn(move || stdin.write_all(payload.as_bytes()));
    let out = child.wait_with_output().expect("boto3 script");
    let _ = writer.join();
    assert!(
        out.status.success(),
        "the boto3 script failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    match serde_json::from_slice::<Value>(&out.stdout) {
        Ok(Value::Array(a)) => a,
        other => panic!("the boto3 script printed {other:?}"),
    }
}

#[test]
fn boto3_answers_equal_the_library() {
    require_boto3();
    let server = start(config());
    let url = server.url();
    let mut cases = example_cases();
    cases.extend(corpus_cases());
    let calls: Vec<(&'static str, Value)> = cases
        .iter()
        .map(|c| (c.operation, c.params.clone()))
        .collect();
    let answers = run_boto3(&url, &calls);
    assert_eq!(answers.len(), cases.len());
    for (case, answer) in cases.iter().zip(&answers) {
        let mut got = answer["response"].clone();
        assert!(got.is_object(), "{}: {answer}", case.name);
        if case.operation == "ValidatePolicy" {
            let n = case.expected["findings"].as_array().map_or(0, Vec::len);
            assert_eq!(
                got["pages"],
                json!(n.max(1)),
                "{}: one page per finding",
                case.name
            );
            if let Some(o) = got.as_object_mut() {
                o.remove("pages");
            }
        }
        assert_eq!(got, case.expected, "{}", case.name);
    }
    let fails = cases
        .iter()
        .filter(|c| c.expected["result"] == "FAIL")
        .count();
    let passes = cases
        .iter()
        .filter(|c| c.expected["result"] == "PASS")
        .count();
    let findings: usize = cases
        .iter()
        .filter_map(|c| c.expected["findings"].as_array().map(Vec::len))
        .sum();
    println!(
        "boto3: {} answers equal the library's ({passes} PASS, {fails} FAIL, {findings} findings)",
        cases.len()
    );
    assert!(
        passes > 0 && fails > 0 && findings > 0,
        "the sample must hold both verdicts and findings"
    );

    // Errors and STS through boto3.
    let extra = run_boto3(
        &url,
        &[
            (
                "CheckNoPublicAccess",
                json!({"policyDocument": "{\"Statement\": 5}", "resourceType": "AWS::S3::Bucket"}),
            ),
            (
                "CheckAccessNotGranted",
                json!({"policyDocument": example("identity/pipeline-changed.json"), "access": [{"actions": ["not an action"]}], "policyType": "IDENTITY_POLICY"}),
            ),
            ("GetCallerIdentity", json!({})),
        ],
    );
    assert_eq!(extra[0]["error"], "ValidationException", "{}", extra[0]);
    assert_eq!(extra[0]["status"], 400);
    assert_eq!(extra[0]["reason"], "fieldValidationFailed");
    assert_eq!(extra[0]["fieldList"][0]["name"], "policyDocument");
    assert_eq!(extra[1]["error"], "ValidationException", "{}", extra[1]);
    assert_eq!(extra[1]["fieldList"][0]["name"], "access");
    assert_eq!(
        extra[2]["response"]["Account"], "123456789012",
        "{}",
        extra[2]
    );
    assert_eq!(
        extra[2]["response"]["Arn"],
        "arn:aws:iam::123456789012:user/iamproof"
    );
}

fn kebab(member: &str) -> String {
    let mut out = String::new();
    for ch in member.chars() {
        if ch.is_ascii_uppercase() {
            out.push('-');
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

fn aws_cli(url: &str, args: &[String]) -> std::process::Output {
    client_command(&aws_program())
        .args(args)
        .args(["--endpoint-url", url, "--output", "json"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}; {INSTALL}", aws_program()))
}

#[test]
fn aws_cli_answers_equal_the_library() {
    require_aws();
    let server = start(config());
    let url = server.url();
    let mut cases = example_cases();
    // A small corpus sample: the CLI starts a Python process per call.
    cases.extend(corpus_cases().into_iter().step_by(5));
    for case in &cases {
        let command = match case.operation {
            "ValidatePolicy" => "validate-policy",
            "CheckNoNewAccess" => "check-no-new-access",
            "CheckAccessNotGranted" => "check-access-not-granted",
            _ => "check-no-public-access",
        };
        let mut args = vec!["accessanalyzer".to_string(), command.to_string()];
        for (k, v) in case.params.as_object().into_iter().flatten() {
            args.push(format!("--{}", kebab(k)));
            args.push(match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
        }
        let out = aws_cli(&url, &args);
        assert!(
            out.status.success(),
            "{}: aws failed: {}",
            case.name,
            String::from_utf8_lossy(&out.stderr)
        );
        let got: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{}: aws printed no JSON ({e})", case.name));
        assert_eq!(got, case.expected, "{}", case.name);
    }
    println!("aws CLI: {} answers equal the library's", cases.len());

    // The shorthand syntax of --access, STS, and an error.
    let changed = example("identity/pipeline-changed.json");
    let out = aws_cli(
        &url,
        &[
            "accessanalyzer".into(),
            "check-access-not-granted".into(),
            "--policy-document".into(),
            changed.clone(),
            "--access".into(),
            "actions=s3:DeleteObject,s3:DeleteBucket".into(),
            "--policy-type".into(),
            "IDENTITY_POLICY".into(),
        ],
    );
    let got: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let policy = parse_policy(&changed, PolicyType::Identity).expect("example parses");
    let spec = AccessSpec::new(
        vec!["s3:DeleteObject".into(), "s3:DeleteBucket".into()],
        vec![],
    )
    .expect("access");
    assert_eq!(
        got,
        iamproof_checks::check_access_not_granted(&policy, &spec, &options()).to_aws_json_value()
    );
    let out = aws_cli(&url, &["sts".into(), "get-caller-identity".into()]);
    let got: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(got["Account"], "123456789012");
    let out = aws_cli(
        &url,
        &[
            "accessanalyzer".into(),
            "check-no-new-access".into(),
            "--existing-policy-document".into(),
            "{".into(),
            "--new-policy-document".into(),
            changed,
            "--policy-type".into(),
            "IDENTITY_POLICY".into(),
        ],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("(ValidationException)") && stderr.contains("existingPolicyDocument"),
        "{stderr}"
    );
}
