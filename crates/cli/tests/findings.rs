//! `iamproof findings`, `iamproof compare` and `--findings all` on the bundled examples.

mod common;

use common::{example, iamproof};
use serde_json::Value;

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

fn iam_data() -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpora/iam-data")
        .display()
        .to_string()
}

#[test]
fn findings_of_the_kms_key_policy() {
    let key = example("kms/key-policy.json");
    let r = iamproof(&[
        "findings",
        "--policy-document",
        &key,
        "--resource-type",
        "AWS::KMS::Key",
        "--account-id",
        "123456789012",
        "--output",
        "json",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    let v = json(&r.stdout);
    assert_eq!(v["complete"], true, "{v}");
    let f = v["findings"].as_array().unwrap();
    assert_eq!(f.len(), 1, "{v}");
    assert_eq!(
        f[0]["principal"]["AWS"],
        "arn:aws:iam::444455556666:role/Analytics"
    );
    assert_eq!(f[0]["isPublic"], false);
    assert_eq!(f[0]["statementIndexes"], serde_json::json!([2]));
    assert_eq!(
        f[0]["condition"]["StringEquals"]["kms:ViaService"][0],
        "s3.us-east-1.amazonaws.com"
    );
    // Trusting the analytics account leaves nothing: exit 0.
    let r = iamproof(&[
        "findings",
        "--policy-document",
        &key,
        "--resource-type",
        "AWS::KMS::Key",
        "--account-id",
        "123456789012",
        "--trusted-account",
        "444455556666",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("no findings"), "{r:?}");
    assert!(r.stdout.contains("complete:"), "{r:?}");
}

#[test]
fn findings_list_concrete_actions_with_a_service_reference() {
    let dir = iam_data();
    if !std::path::Path::new(&dir).is_dir() {
        eprintln!("iam-data not found; skipped");
        return;
    }
    let r = iamproof(&[
        "findings",
        "--policy-document",
        &example("kms/key-policy.json"),
        "--resource-type",
        "AWS::KMS::Key",
        "--account-id",
        "123456789012",
        "--service-reference",
        &dir,
        "--output",
        "json",
    ]);
    let v = json(&r.stdout);
    let actions = v["findings"][0]["concreteActions"].as_array().unwrap();
    assert!(actions.iter().any(|a| a == "kms:Decrypt"), "{v}");
    assert!(
        actions.iter().any(|a| a == "kms:GenerateDataKeyPair"),
        "{v}"
    );
    assert!(!actions.iter().any(|a| a == "kms:Encrypt"), "{v}");
}

#[test]
fn no_new_access_with_all_findings() {
    let args = |output: &'static str| {
        vec![
            "check-no-new-access".to_string(),
            "--existing-policy-document".into(),
            example("identity/pipeline-reference.json"),
            "--new-policy-document".into(),
            example("identity/pipeline-changed.json"),
            "--policy-type".into(),
            "IDENTITY_POLICY".into(),
            "--findings".into(),
            "all".into(),
            "--output".into(),
            output.into(),
        ]
    };
    let a = args("json");
    let r = iamproof(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(r.code, 1, "{r:?}");
    let v = json(&r.stdout);
    // AWS's fields stay as they are; the findings are added.
    assert_eq!(v["result"], "FAIL");
    assert_eq!(v["reasons"].as_array().unwrap().len(), 2);
    assert_eq!(v["findingsComplete"], true, "{v}");
    let f = v["findings"].as_array().unwrap();
    assert!(!f.is_empty());
    assert!(f.iter().all(|x| x["principalClass"] == "caller"), "{v}");
    // GetObject and PutObject were already allowed: not shown as new access.
    let shown: Vec<&Value> = f
        .iter()
        .flat_map(|x| x["action"].as_array().unwrap().iter())
        .collect();
    assert!(shown.iter().any(|a| *a == "s3:DeleteObject"), "{v}");
    assert!(!shown.iter().any(|a| *a == "s3:GetObject"), "{v}");
    let a = args("text");
    let r = iamproof(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(r.stdout.contains("All findings:"), "{r:?}");
    assert!(r.stdout.contains("finding 1:"), "{r:?}");
}

#[test]
fn public_access_and_not_granted_with_all_findings() {
    let r = iamproof(&[
        "check-no-public-access",
        "--policy-document",
        &example("s3/bucket-public.json"),
        "--resource-type",
        "AWS::S3::Bucket",
        "--findings",
        "all",
        "--output",
        "json",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    let v = json(&r.stdout);
    assert_eq!(v["findingsComplete"], true, "{v}");
    assert_eq!(v["findings"][0]["principal"], "*", "{v}");
    assert_eq!(v["findings"][0]["isPublic"], true, "{v}");
    // A PASS has nothing to list, proven.
    let r = iamproof(&[
        "check-no-public-access",
        "--policy-document",
        &example("s3/bucket-restricted.json"),
        "--resource-type",
        "AWS::S3::Bucket",
        "--findings",
        "all",
        "--output",
        "json",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    let v = json(&r.stdout);
    assert_eq!(v["findings"], serde_json::json!([]));
    assert_eq!(v["findingsComplete"], true);
    let r = iamproof(&[
        "check-access-not-granted",
        "--policy-document",
        &example("identity/pipeline-changed.json"),
        "--access",
        r#"[{"actions":["s3:DeleteObject","ecr:PutImage"]}]"#,
        "--policy-type",
        "IDENTITY_POLICY",
        "--findings",
        "all",
        "--output",
        "json",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    let v = json(&r.stdout);
    assert_eq!(v["findingsComplete"], true, "{v}");
    let mut st: Vec<u64> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["statementIndexes"].as_array().unwrap().clone())
        .filter_map(|i| i.as_u64())
        .collect();
    st.sort_unstable();
    assert_eq!(st, vec![0, 2], "{v}");
}

#[test]
fn compare_gives_the_four_answers() {
    let run = |a: &str, b: &str| {
        iamproof(&[
            "compare",
            "--policy-a",
            &example(a),
            "--policy-b",
            &example(b),
            "--policy-type",
            "IDENTITY_POLICY",
            "--output",
            "json",
        ])
    };
    let same = run(
        "identity/pipeline-reference.json",
        "identity/pipeline-reference.json",
    );
    assert_eq!(same.code, 0, "{same:?}");
    assert_eq!(json(&same.stdout)["result"], "equivalent");
    let r = run(
        "identity/pipeline-reference.json",
        "identity/pipeline-changed.json",
    );
    assert_eq!(r.code, 1, "{r:?}");
    let v = json(&r.stdout);
    assert_eq!(v["result"], "b-more-permissive", "{v}");
    assert_eq!(v["aExtra"]["findings"], serde_json::json!([]));
    assert!(!v["bExtra"]["findings"].as_array().unwrap().is_empty());
    let r = run(
        "identity/pipeline-changed.json",
        "identity/pipeline-reference.json",
    );
    assert_eq!(json(&r.stdout)["result"], "a-more-permissive");
}

#[test]
fn external_access_with_all_findings() {
    // The KMS key policy gives an analytics role of another account access through S3: with
    // only the owner trusted, that access is the one finding (as `iamproof findings` says);
    // trusting the analytics account too, the check PASSes with nothing to list.
    let key = example("kms/key-policy.json");
    let run = |trusted: &[&str]| {
        let mut args = vec![
            "check-no-external-access",
            "--policy-document",
            &key,
            "--resource-type",
            "AWS::KMS::Key",
            "--findings",
            "all",
            "--output",
            "json",
        ];
        for t in trusted {
            args.extend(["--trusted-account", t]);
        }
        iamproof(&args)
    };
    let r = run(&["123456789012"]);
    assert_eq!(r.code, 1, "{r:?}");
    let v = json(&r.stdout);
    assert_eq!(v["result"], "FAIL", "{v}");
    assert_eq!(v["findingsComplete"], true, "{v}");
    let f = v["findings"].as_array().unwrap();
    assert_eq!(f.len(), 1, "{v}");
    assert_eq!(
        f[0]["principal"]["AWS"],
        "arn:aws:iam::444455556666:role/Analytics"
    );
    assert_eq!(f[0]["statementIndexes"], serde_json::json!([2]));
    let r = run(&["123456789012", "444455556666"]);
    assert_eq!(r.code, 0, "{r:?}");
    let v = json(&r.stdout);
    assert_eq!(v["findings"], serde_json::json!([]), "{v}");
    assert_eq!(v["findingsComplete"], true);
}

#[test]
fn findings_need_a_document_not_a_template() {
    let r = iamproof(&[
        "check-no-public-access",
        "--template-path",
        &example("templates/cloudformation.yaml"),
        "--findings",
        "all",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr
            .contains("--findings cannot be used with --template-path"),
        "{r:?}"
    );
}
