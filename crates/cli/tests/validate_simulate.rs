//! `validate-policy` and `simulate`: exit codes, text and JSON shapes.

mod common;

use common::{example, iamproof, iamproof_stdin};
use serde_json::Value;

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

#[test]
fn validate_clean_policy_exits_0() {
    let r = iamproof(&[
        "validate-policy",
        "--policy-document",
        &example("identity/pipeline-reference.json"),
        "--policy-type",
        "IDENTITY_POLICY",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.ends_with("pipeline-reference.json: no findings\n"),
        "{r:?}"
    );
    let r = iamproof(&[
        "validate-policy",
        "--policy-document",
        &example("identity/pipeline-reference.json"),
        "--policy-type",
        "IDENTITY_POLICY",
        "--output",
        "json",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(json(&r.stdout), serde_json::json!({ "findings": [] }));
}

#[test]
fn validate_json_is_validate_policy_shape() {
    let policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\n\"NotPrincipal\":{\"AWS\":\"123456789012\"},\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}";
    let r = iamproof_stdin(
        &[
            "validate-policy",
            "--policy-document",
            "-",
            "--policy-type",
            "RESOURCE_POLICY",
            "--output",
            "json",
        ],
        policy.as_bytes(),
    );
    assert_eq!(r.code, 1, "a SECURITY_WARNING blocks: {r:?}");
    let v = json(&r.stdout);
    let obj = v.as_object().unwrap();
    assert_eq!(obj.keys().collect::<Vec<_>>(), vec!["findings"]);
    let findings = v["findings"].as_array().unwrap();
    let f = findings
        .iter()
        .find(|f| f["issueCode"] == "ALLOW_WITH_NOT_PRINCIPAL")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(f["findingType"], "SECURITY_WARNING");
    assert!(f["findingDetails"].is_string());
    let loc = &f["locations"][0];
    assert_eq!(
        loc["path"],
        serde_json::json!([{"value": "Statement"}, {"index": 0}, {"value": "NotPrincipal"}])
    );
    assert_eq!(loc["span"]["start"]["line"], 2);
    assert_eq!(loc["span"]["start"]["column"], 15);
    assert!(loc["span"]["start"]["offset"].is_u64());
    // Text output: origin:line:col, type, code, path.
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
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stdout.contains(
            "<stdin>:2:16: SECURITY_WARNING ALLOW_WITH_NOT_PRINCIPAL: Statement[0].NotPrincipal: "
        ),
        "{r:?}"
    );
    assert!(r.stdout.contains("1 security warning"), "{r:?}");
}

#[test]
fn validate_reports_parse_errors_as_error_findings() {
    let r = iamproof(&[
        "validate-policy",
        "--policy-document",
        "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"allow\",\"Action\":\"*\",\"Resource\":\"*\"}}",
        "--policy-type",
        "IDENTITY_POLICY",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stdout
            .starts_with("<inline>:1:47: ERROR INVALID_EFFECT: Statement.Effect: "),
        "{r:?}"
    );
    // Warnings alone do not block.
    let r = iamproof(&[
        "validate-policy",
        "--policy-document",
        "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}}",
        "--policy-type",
        "IDENTITY_POLICY",
        "--output",
        "json",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    let v = json(&r.stdout);
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["findingType"] != "ERROR" && f["findingType"] != "SECURITY_WARNING"));
}

#[test]
fn simulate_identity_policy_per_action_and_resource() {
    let r = iamproof(&[
        "simulate",
        "--policy-input-list",
        &example("identity/pipeline-changed.json"),
        "--action-names",
        "s3:GetObject",
        "s3:DeleteBucket",
        "--resource-arns",
        "arn:aws:s3:::build-artifacts/app.tar",
        "--output",
        "json",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    let v = json(&r.stdout);
    let results = v["EvaluationResults"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["EvalActionName"], "s3:GetObject");
    assert_eq!(
        results[0]["EvalResourceName"],
        "arn:aws:s3:::build-artifacts/app.tar"
    );
    assert_eq!(results[0]["EvalDecision"], "allowed");
    let m = &results[0]["MatchedStatements"][0];
    assert!(m["SourcePolicyId"]
        .as_str()
        .unwrap()
        .ends_with("pipeline-changed.json"));
    assert_eq!(m["SourcePolicyType"], "identity");
    assert_eq!(m["StatementIndex"], 0);
    assert_eq!(m["StatementId"], "ReadWriteBuildArtifacts");
    assert_eq!(
        m["StartPosition"],
        serde_json::json!({"Line": 4, "Column": 5})
    );
    assert_eq!(results[1]["EvalDecision"], "implicitDeny");
    assert_eq!(results[1]["MatchedStatements"], serde_json::json!([]));
}

#[test]
fn simulate_seed_bucket_policies() {
    // The seed article: the public policy lets another account put objects, the Deny with
    // NotPrincipal stops it.
    let args = |policy: &str, caller: &str| -> Vec<String> {
        vec![
            "simulate".into(),
            "--resource-policy".into(),
            example(policy),
            "--caller-arn".into(),
            caller.into(),
            "--action-names".into(),
            "s3:PutObject".into(),
            "--resource-arns".into(),
            "arn:aws:s3:::DOC-EXAMPLE-BUCKET".into(),
            "--resource-owner".into(),
            "123456789012".into(),
        ]
    };
    let run = |a: Vec<String>| iamproof(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let mallory = "arn:aws:iam::111122223333:root";
    let r = run(args("s3/bucket-public.json", mallory));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout
            .starts_with("s3:PutObject on arn:aws:s3:::DOC-EXAMPLE-BUCKET: allowed\n"),
        "{r:?}"
    );
    assert!(
        r.stdout
            .contains("bucket-public.json:4:5: resource policy, statement 0"),
        "{r:?}"
    );
    let r = run(args("s3/bucket-restricted.json", mallory));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains(": explicitDeny\n"), "{r:?}");
    assert!(r.stdout.contains("denied by "), "{r:?}");
    assert!(
        r.stdout
            .contains("bucket-restricted.json:10:5: resource policy, statement 1"),
        "{r:?}"
    );
    let r = run(args(
        "s3/bucket-restricted.json",
        "arn:aws:iam::123456789012:root",
    ));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains(": allowed\n"), "{r:?}");
}

#[test]
fn simulate_request_file_and_context_entries() {
    let r = iamproof(&[
        "simulate",
        "--resource-policy",
        &example("s3/bucket-restricted.json"),
        "--request",
        &example("requests/put-from-other-account.json"),
        "--output",
        "json",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    let v = json(&r.stdout);
    assert_eq!(v["EvaluationResults"][0]["EvalDecision"], "explicitDeny");

    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
        "Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]}"#;
    let decide = |entries: &[&str]| {
        let mut a = vec![
            "simulate",
            "--policy-input-list",
            policy,
            "--action-names",
            "s3:GetObject",
            "--output",
            "json",
        ];
        if !entries.is_empty() {
            a.push("--context-entries");
            a.extend_from_slice(entries);
        }
        let r = iamproof(&a);
        assert_eq!(r.code, 0, "{r:?}");
        json(&r.stdout)["EvaluationResults"][0]["EvalDecision"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(decide(&[]), "implicitDeny");
    assert_eq!(
        decide(&["ContextKeyName=aws:SourceIp,ContextKeyValues=203.0.113.7,ContextKeyType=ip"]),
        "allowed"
    );
    assert_eq!(
        decide(&[
            r#"[{"ContextKeyName":"aws:SourceIp","ContextKeyValues":["198.51.100.1"],"ContextKeyType":"ip"}]"#
        ]),
        "implicitDeny"
    );
    // A request file on stdin, with the context there.
    let r = iamproof_stdin(
        &["simulate", "--policy-input-list", policy, "--request", "-"],
        br#"{"action":"s3:GetObject","resource":"arn:aws:s3:::b/k","context":{"aws:SourceIp":"203.0.113.9"}}"#,
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout
            .starts_with("s3:GetObject on arn:aws:s3:::b/k: allowed\n"),
        "{r:?}"
    );
}

#[test]
fn simulate_request_file_errors_are_located() {
    let r = iamproof(&[
        "simulate",
        "--policy-input-list",
        &example("identity/pipeline-reference.json"),
        "--request",
        "{\"action\": \"s3:GetObject\",\n \"context\": {\"aws:SourceIp\": {\"bad\": 1}}}",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.starts_with("error: <inline>:2:"), "{r:?}");
    assert!(
        r.stderr
            .contains("context[\"aws:SourceIp\"]: invalid type: map"),
        "{r:?}"
    );
}

#[test]
fn simulate_cross_account_role_assumption_needs_both_sides() {
    let base = |with_identity: bool, external_id: Option<&str>| {
        let mut a: Vec<String> = vec![
            "simulate".into(),
            "--resource-policy".into(),
            example("iam/trust-policy.json"),
            "--caller-arn".into(),
            "arn:aws:sts::111122223333:assumed-role/ci-runner/build-42".into(),
            "--action-names".into(),
            "sts:AssumeRole".into(),
            "--resource-arns".into(),
            "arn:aws:iam::123456789012:role/deploy".into(),
            "--resource-owner".into(),
            "123456789012".into(),
            "--output".into(),
            "json".into(),
        ];
        if with_identity {
            a.push("--policy-input-list".into());
            a.push(example("iam/ci-runner-identity.json"));
        }
        if let Some(id) = external_id {
            a.push("--context-entries".into());
            a.push(format!(
                "ContextKeyName=sts:ExternalId,ContextKeyValues={id},ContextKeyType=string"
            ));
        }
        let r = iamproof(&a.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(r.code, 0, "{r:?}");
        json(&r.stdout)["EvaluationResults"][0].clone()
    };
    let ok = base(true, Some("pipeline-7f3a"));
    assert_eq!(ok["EvalDecision"], "allowed", "{ok}");
    let kinds: Vec<_> = ok["MatchedStatements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["SourcePolicyType"].as_str().unwrap().to_string())
        .collect();
    assert!(
        kinds.contains(&"identity".to_string()) && kinds.contains(&"resource".to_string()),
        "{ok}"
    );
    assert_eq!(
        base(false, Some("pipeline-7f3a"))["EvalDecision"],
        "implicitDeny"
    );
    assert_eq!(base(true, None)["EvalDecision"], "implicitDeny");
    assert_eq!(base(true, Some("other"))["EvalDecision"], "implicitDeny");
}

#[test]
fn formula_in_both_notations() {
    let r = iamproof(&[
        "formula",
        "--policy-document",
        &example("s3/bucket-public.json"),
        "--policy-type",
        "RESOURCE_POLICY",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    // The seed article's formula.
    assert_eq!(
        r.stdout,
        "(Action = \"s3:PutObject\") ∧ (Resource = \"arn:aws:s3:::DOC-EXAMPLE-BUCKET\")\n"
    );
    let r = iamproof(&[
        "formula",
        "--policy-document",
        &example("s3/bucket-restricted.json"),
        "--policy-type",
        "RESOURCE_POLICY",
        "--format",
        "smtlib",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.starts_with("; iamproof formula: the requests "),
        "{r:?}"
    );
    assert!(r.stdout.contains("(check-sat)"), "{r:?}");
    assert!(r.stdout.contains("\"DOC-EXAMPLE-BUCKET\""), "{r:?}");
    // A resource policy read as an identity policy is an error with a position.
    let r = iamproof(&[
        "formula",
        "--policy-document",
        &example("s3/bucket-public.json"),
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr
            .contains("bucket-public.json:6:7: Statement[0].Principal: "),
        "{r:?}"
    );
}

#[test]
fn validate_policy_resource_type_adds_the_checks_aws_runs_for_it() {
    // A trust policy that names a resource and an S3 action.
    let trust = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "ec2.amazonaws.com"}, "Action": ["sts:AssumeRole", "s3:GetObject"],
        "Resource": "*"}]}"#;
    let run = |extra: &[&str]| {
        let mut args = vec![
            "validate-policy",
            "--policy-document",
            trust,
            "--policy-type",
            "RESOURCE_POLICY",
            "--output",
            "json",
        ];
        args.extend_from_slice(extra);
        iamproof(&args)
    };
    // Without a resource type: the checks for all resource policies only.
    let r = run(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(json(&r.stdout), serde_json::json!({ "findings": [] }));
    let r = run(&[
        "--validate-policy-resource-type",
        "AWS::IAM::AssumeRolePolicyDocument",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    let v = json(&r.stdout);
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["issueCode"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "UNSUPPORTED_ACTION_IN_POLICY",
            "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE"
        ]
    );
    for f in v["findings"].as_array().unwrap() {
        assert_eq!(f["findingType"], "ERROR");
        assert!(f["learnMoreLink"]
            .as_str()
            .unwrap()
            .starts_with("https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-error-"));
    }
    assert_eq!(
        v["findings"][0]["locations"][0]["path"],
        serde_json::json!([{"value": "Statement"}, {"index": 0}, {"value": "Action"}, {"index": 1}])
    );
    // An S3 bucket policy may not name STS actions.
    let r = run(&["--validate-policy-resource-type", "AWS::S3::Bucket"]);
    assert_eq!(r.code, 1, "{r:?}");
    let v = json(&r.stdout);
    assert_eq!(
        v["findings"][0]["issueCode"],
        "UNSUPPORTED_ACTION_IN_POLICY"
    );
    assert!(v["findings"][0]["findingDetails"]
        .as_str()
        .unwrap()
        .contains("AWS::S3::Bucket"));
    // Text output names the finding too.
    let r = iamproof(&[
        "validate-policy",
        "--policy-document",
        trust,
        "--policy-type",
        "RESOURCE_POLICY",
        "--validate-policy-resource-type",
        "AWS::IAM::AssumeRolePolicyDocument",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stdout
            .contains("ERROR ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE: Statement[0].Resource: "),
        "{r:?}"
    );
}

#[test]
fn validate_policy_resource_type_needs_a_resource_policy_and_a_known_value() {
    // Only with RESOURCE_POLICY, as AWS's API.
    let r = iamproof(&[
        "validate-policy",
        "--policy-document",
        "{}",
        "--policy-type",
        "IDENTITY_POLICY",
        "--validate-policy-resource-type",
        "AWS::S3::Bucket",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("RESOURCE_POLICY"), "{r:?}");
    // AWS's spelling only.
    let r = iamproof(&[
        "validate-policy",
        "--policy-document",
        "{}",
        "--policy-type",
        "RESOURCE_POLICY",
        "--validate-policy-resource-type",
        "AWS::S3::bucket",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("AWS::S3::Bucket"), "{r:?}");
    assert!(r.stderr.contains("AWS::DynamoDB::Table"), "{r:?}");
}

#[test]
fn validate_iamproof_checks_are_opt_in_and_marked() {
    let policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny",
        "NotPrincipal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "*"}]}"#;
    let args = [
        "validate-policy",
        "--policy-document",
        policy,
        "--policy-type",
        "RESOURCE_POLICY",
        "--output",
        "json",
    ];
    let r = iamproof(&args);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(json(&r.stdout), serde_json::json!({ "findings": [] }));
    let mut with = args.to_vec();
    with.push("--iamproof-checks");
    let r = iamproof(&with);
    assert_eq!(r.code, 0, "a WARNING does not block: {r:?}");
    let v = json(&r.stdout);
    assert_eq!(
        v["findings"][0]["issueCode"],
        "IAMPROOF_DENY_WITH_NOT_PRINCIPAL"
    );
    assert!(v["findings"][0]["learnMoreLink"].is_string());
}

#[test]
fn validate_on_malformed_json_exits_2_and_json_columns_are_aws_positions() {
    let text = "{\"Version\": \"2012-10-17\",";
    let args = |out: &'static str| {
        [
            "validate-policy",
            "--policy-document",
            text,
            "--policy-type",
            "IDENTITY_POLICY",
            "--output",
            out,
        ]
    };
    let r = iamproof(&args("text"));
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.starts_with("error: <inline>:1:26: $: "), "{r:?}");
    let r = iamproof(&args("json"));
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.starts_with("error: <inline>:1:26: "), "{r:?}");
    // ValidatePolicy's response is still printed; its column counts from 0, as AWS's Position.
    let v = json(&r.stdout);
    let f = &v["findings"][0];
    assert_eq!(f["issueCode"], "JSON_SYNTAX_ERROR", "{v}");
    assert_eq!(f["locations"][0]["span"]["start"]["line"], 1, "{v}");
    assert_eq!(f["locations"][0]["span"]["start"]["column"], 25, "{v}");
}

#[test]
fn formula_says_the_default_policy_type_when_a_principal_needs_another() {
    let r = iamproof(&[
        "formula",
        "--policy-document",
        &example("s3/bucket-public.json"),
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains(
            "note: without --policy-type the document is read as an IDENTITY_POLICY (the default)"
        ),
        "{r:?}"
    );
    // No note when the type was given, or when the document is wrong as a resource policy too.
    let r = iamproof(&[
        "formula",
        "--policy-document",
        &example("s3/bucket-public.json"),
        "--policy-type",
        "IDENTITY_POLICY",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(!r.stderr.contains("note:"), "{r:?}");
}

#[test]
fn simulate_rejects_context_values_that_are_not_of_their_type() {
    let policy = example("identity/pipeline-changed.json");
    let run = |entry: &str| {
        iamproof(&[
            "simulate",
            "--policy-input-list",
            &policy,
            "--action-names",
            "s3:GetObject",
            "--context-entries",
            entry,
        ])
    };
    for (entry, why) in [
        (
            "ContextKeyName=aws:CurrentTime,ContextKeyValues=notadate,ContextKeyType=date",
            "\"notadate\" is not a date",
        ),
        (
            "ContextKeyName=aws:EpochTime,ContextKeyValues=2024-13-01,ContextKeyType=date",
            "is not a date",
        ),
        (
            "ContextKeyName=s3:max-keys,ContextKeyValues=NaN,ContextKeyType=numeric",
            "\"NaN\" is not a number",
        ),
        (
            "ContextKeyName=aws:SecureTransport,ContextKeyValues=yes,ContextKeyType=boolean",
            "\"yes\" is not true or false",
        ),
        (
            "ContextKeyName=aws:SourceIp,ContextKeyValues=10.0.0.0/33,ContextKeyType=ip",
            "not an IP address",
        ),
        (
            "ContextKeyName=aws:TagKeys,ContextKeyValues=1,x,ContextKeyType=numericList",
            "\"x\" is not a number",
        ),
    ] {
        let r = run(entry);
        assert_eq!(r.code, 2, "{entry}: {r:?}");
        assert!(r.stderr.contains(why), "{entry}: {r:?}");
    }
    for entry in [
        "ContextKeyName=aws:CurrentTime,ContextKeyValues=2024-01-31T12:00:00Z,ContextKeyType=date",
        "ContextKeyName=aws:EpochTime,ContextKeyValues=1706702400,ContextKeyType=date",
        "ContextKeyName=s3:max-keys,ContextKeyValues=10,ContextKeyType=numeric",
        "ContextKeyName=aws:SecureTransport,ContextKeyValues=TRUE,ContextKeyType=boolean",
    ] {
        let r = run(entry);
        assert_eq!(r.code, 0, "{entry}: {r:?}");
    }
}
