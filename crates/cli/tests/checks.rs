//! The four check commands on the bundled examples: exit codes (0 PASS, 1 FAIL), the AWS JSON
//! shape, pinpointed statements with positions, every solver, and the CI gate script.

mod common;

use common::{example, examples, iamproof, iamproof_stdin};
use serde_json::Value;

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

fn no_new_access(existing: &str, new: &str, extra: &[&str]) -> common::Run {
    let (e, n) = (example(existing), example(new));
    let mut a = vec![
        "check-no-new-access",
        "--existing-policy-document",
        &e,
        "--new-policy-document",
        &n,
        "--policy-type",
        "IDENTITY_POLICY",
    ];
    a.extend_from_slice(extra);
    iamproof(&a)
}

#[test]
fn no_new_access_fails_on_the_changed_pipeline_policy() {
    let r = no_new_access(
        "identity/pipeline-reference.json",
        "identity/pipeline-changed.json",
        &["--output", "json"],
    );
    assert_eq!(r.code, 1, "{r:?}");
    let v = json(&r.stdout);
    assert_eq!(v["result"], "FAIL");
    assert_eq!(
        v["message"],
        "The modified permissions grant new access compared to your existing policy."
    );
    let reasons = v["reasons"].as_array().unwrap();
    let idx: Vec<u64> = reasons
        .iter()
        .map(|r| r["statementIndex"].as_u64().unwrap())
        .collect();
    assert_eq!(idx, vec![0, 2], "{v}");
    assert_eq!(reasons[0]["statementId"], "ReadWriteBuildArtifacts");
    assert_eq!(
        reasons[0]["description"],
        "New access in the statement with sid: ReadWriteBuildArtifacts."
    );
    // Text: the verdict first, the statements with file:line:col.
    let r = no_new_access(
        "identity/pipeline-reference.json",
        "identity/pipeline-changed.json",
        &[],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.starts_with("FAIL check-no-new-access\n"), "{r:?}");
    assert!(
        r.stdout
            .contains("pipeline-changed.json:4:5: New access in the statement with sid: ReadWriteBuildArtifacts."),
        "{r:?}"
    );
    assert!(
        r.stdout.contains("pipeline-changed.json:16:5: New access"),
        "{r:?}"
    );
}

#[test]
fn no_new_access_passes_on_narrowing_and_identity() {
    let r = no_new_access(
        "identity/pipeline-reference.json",
        "identity/pipeline-narrowed.json",
        &["--output", "json"],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let v = json(&r.stdout);
    assert_eq!(v["result"], "PASS");
    assert!(v.get("reasons").is_none(), "{v}");
    let r = no_new_access(
        "identity/pipeline-reference.json",
        "identity/pipeline-reference.json",
        &[],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.starts_with("PASS check-no-new-access\n"), "{r:?}");
}

#[test]
fn every_solver_gives_the_same_verdicts() {
    for solver in ["native", "portfolio"] {
        let fail = no_new_access(
            "identity/pipeline-reference.json",
            "identity/pipeline-changed.json",
            &["--solver", solver, "--output", "json"],
        );
        assert_eq!(fail.code, 1, "{solver}: {fail:?}");
        assert!(
            json(&fail.stdout).get("unknownReason").is_none(),
            "{solver}: {fail:?}"
        );
        let pass = no_new_access(
            "identity/pipeline-reference.json",
            "identity/pipeline-narrowed.json",
            &["--solver", solver],
        );
        assert_eq!(pass.code, 0, "{solver}: {pass:?}");
    }
    // The seed article's bucket policies, on every solver including the external ones.
    for solver in ["native", "z3", "cvc5", "portfolio"] {
        for (policy, code) in [
            ("s3/bucket-public.json", 1),
            ("s3/bucket-restricted.json", 0),
        ] {
            let r = iamproof(&[
                "check-no-public-access",
                "--policy-document",
                &example(policy),
                "--resource-type",
                "AWS::S3::Bucket",
                "--solver",
                solver,
                "--output",
                "json",
            ]);
            assert_eq!(r.code, code, "{solver} {policy}: {r:?}");
            let v = json(&r.stdout);
            assert_eq!(v["engine"], solver, "{v}");
            assert!(v.get("unknownReason").is_none(), "{solver} {policy}: {v}");
            if code == 1 {
                assert_eq!(v["reasons"][0]["statementIndex"], 0, "{v}");
            }
        }
    }
}

#[test]
fn access_not_granted_on_the_pipeline_policies() {
    let run = |policy: &str| {
        iamproof(&[
            "check-access-not-granted",
            "--policy-document",
            &example(policy),
            "--access",
            &example("access-delete.json"),
            "--policy-type",
            "IDENTITY_POLICY",
            "--output",
            "json",
        ])
    };
    let r = run("identity/pipeline-changed.json");
    assert_eq!(r.code, 1, "{r:?}");
    let v = json(&r.stdout);
    assert_eq!(v["result"], "FAIL");
    assert_eq!(v["reasons"][0]["statementIndex"], 0);
    assert!(v["reasons"][0]["exampleRequest"]["action"]
        .as_str()
        .unwrap()
        .eq_ignore_ascii_case("s3:DeleteObject"));
    for policy in [
        "identity/pipeline-reference.json",
        "identity/pipeline-narrowed.json",
    ] {
        let r = run(policy);
        assert_eq!(r.code, 0, "{policy}: {r:?}");
        assert_eq!(
            json(&r.stdout)["message"],
            "The policy document does not grant access to perform the listed actions."
        );
    }
}

#[test]
fn seed_article_debugging_example_names_statement_1() {
    // The article's last policy: s3:DeleteBucket is granted by the statement with index 1.
    let policy = r#"{
   "Version": "2012-10-17",
   "Statement": [
      {
         "Effect": "Allow",
         "Action": ["ec2:DescribeInstance*", "ec2:StartInstances", "ec2:StopInstances"],
         "Resource": "arn:aws:ec2:*:*:instance/*"
      },
      {
         "Effect": "Allow",
         "Action": ["s3:GetObject*", "s3:PutObject", "s3:DeleteBucket"],
         "Resource": "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"
      }
   ]
}"#;
    let r = iamproof_stdin(
        &[
            "check-access-not-granted",
            "--policy-document",
            "-",
            "--access",
            r#"[{"actions":["s3:DeleteBucket"]}]"#,
            "--policy-type",
            "IDENTITY_POLICY",
            "--output",
            "json",
        ],
        policy.as_bytes(),
    );
    assert_eq!(r.code, 1, "{r:?}");
    let v = json(&r.stdout);
    let reasons = v["reasons"].as_array().unwrap();
    assert_eq!(reasons.len(), 1, "{v}");
    assert_eq!(reasons[0]["statementIndex"], 1);
    assert_eq!(
        reasons[0]["description"],
        "One or more of the listed actions in the statement with index: 1."
    );
}

#[test]
fn public_and_external_access_on_the_examples() {
    let r = iamproof(&[
        "check-no-public-access",
        "--policy-document",
        &example("s3/bucket-public.json"),
        "--resource-type",
        "AWS::S3::Bucket",
        "--output",
        "json",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    let v = json(&r.stdout);
    assert_eq!(
        v["message"],
        "The resource policy grants public access for the given resource type."
    );
    assert_eq!(v["reasons"][0]["statementIndex"], 0);

    let external = |policy: &str, rtype: &str, trusted: &[&str]| {
        let p = example(policy);
        let mut a = vec![
            "check-no-external-access",
            "--policy-document",
            &p,
            "--resource-type",
            rtype,
        ];
        for t in trusted {
            a.push("--trusted-account");
            a.push(t);
        }
        iamproof(&a)
    };
    let r = external("kms/key-policy.json", "AWS::KMS::Key", &["123456789012"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stdout
            .contains("key-policy.json:33:5: External access granted"),
        "{r:?}"
    );
    let r = external(
        "kms/key-policy.json",
        "AWS::KMS::Key",
        &["123456789012", "444455556666"],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let r = external(
        "s3/bucket-restricted.json",
        "AWS::S3::Bucket",
        &["123456789012"],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let r = external(
        "s3/bucket-public.json",
        "AWS::S3::Bucket",
        &["123456789012"],
    );
    assert_eq!(r.code, 1, "{r:?}");
    let r = external(
        "iam/trust-policy.json",
        "AWS::IAM::AssumeRolePolicyDocument",
        &["123456789012"],
    );
    assert_eq!(r.code, 1, "the CI role of 111122223333 is external: {r:?}");
}

#[test]
fn a_check_on_an_invalid_policy_exits_2() {
    let r = iamproof(&[
        "check-no-new-access",
        "--existing-policy-document",
        &example("identity/pipeline-reference.json"),
        "--new-policy-document",
        &example("s3/bucket-public.json"),
        "--policy-type",
        "IDENTITY_POLICY",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stdout.is_empty(), "{r:?}");
    assert!(
        r.stderr
            .contains("bucket-public.json:6:7: Statement[0].Principal: "),
        "{r:?}"
    );
}

#[test]
fn the_gate_script_blocks_new_access() {
    let gate = examples().join("gate.sh");
    let bin = env!("CARGO_BIN_EXE_iamproof");
    let run = |changed: &str| {
        std::process::Command::new("bash")
            .arg(&gate)
            .arg(examples().join("identity/pipeline-reference.json"))
            .arg(examples().join(changed))
            .env("IAMPROOF", bin)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    };
    let out = run("identity/pipeline-changed.json");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("gate: FAIL"),
        "{out:?}"
    );
    let out = run("identity/pipeline-narrowed.json");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("gate: PASS"),
        "{out:?}"
    );
    let out = run("no-such-policy.json");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}

/// Whether `a` is a concrete action, `service:Name` (letters, digits and `-`).
fn is_concrete_action(a: &str) -> bool {
    let part = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    matches!(a.split_once(':'), Some((svc, name)) if part(svc) && part(name))
}

#[test]
fn examples_are_requests_on_every_solver() {
    // A `?` in an action lets a solver answer any character there (z3 answered a NUL, cvc5 a
    // `0`, another a `*`), and a `k` the Kelvin sign: the example shown must still be a request
    // that `simulate --request` accepts and allows.
    let policy = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":["s3:List?ucket","s3:Get*"],"Resource":"arn:aws:s3:::b?cket/*"}]}"#;
    for solver in ["native", "z3", "cvc5"] {
        let r = iamproof(&[
            "check-access-not-granted",
            "--policy-document",
            policy,
            "--access",
            r#"[{"actions":["s3:List*"]}]"#,
            "--policy-type",
            "IDENTITY_POLICY",
            "--solver",
            solver,
            "--timeout",
            "120",
            "--output",
            "json",
        ]);
        assert_eq!(r.code, 1, "{solver}: {r:?}");
        let v = json(&r.stdout);
        let examples: Vec<&Value> = v["reasons"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| x.get("exampleRequest"))
            .collect();
        // z3 may run out of time on it (a FAIL saying so); the others must answer.
        if solver != "z3" || v.get("unknownReason").is_none() {
            assert!(!examples.is_empty(), "{solver}: {v}");
        }
        for ex in examples {
            let action = ex["action"].as_str().unwrap_or("");
            assert!(is_concrete_action(action), "{solver}: {ex}");
            let resource = ex["resource"].as_str().unwrap_or("");
            assert!(!resource.chars().any(char::is_control), "{solver}: {ex}");
            let sim = iamproof(&[
                "simulate",
                "--policy-input-list",
                policy,
                "--request",
                &ex.to_string(),
                "--output",
                "json",
            ]);
            assert_eq!(sim.code, 0, "{solver}: {ex}: {sim:?}");
            let s = json(&sim.stdout);
            assert_eq!(
                s["EvaluationResults"][0]["EvalDecision"], "allowed",
                "{solver}: {ex}: {s}"
            );
        }
    }
}

#[test]
fn access_is_a_list_its_one_object_or_the_aws_cli_shorthand() {
    let policy = example("identity/pipeline-changed.json");
    let run = |access: &str| {
        iamproof(&[
            "check-access-not-granted",
            "--policy-document",
            &policy,
            "--access",
            access,
            "--policy-type",
            "IDENTITY_POLICY",
            "--solver",
            "native",
            "--output",
            "json",
        ])
    };
    let list = run(r#"[{"actions":["s3:DeleteBucket","s3:DeleteObject"]}]"#);
    assert_eq!(list.code, 1, "{list:?}");
    for same in [
        r#"{"actions":["s3:DeleteBucket","s3:DeleteObject"]}"#,
        "actions=s3:DeleteBucket,s3:DeleteObject",
        "actions=[s3:DeleteBucket,s3:DeleteObject]",
    ] {
        let r = run(same);
        assert_eq!(r.code, list.code, "{same}: {r:?}");
        assert_eq!(
            json(&r.stdout)["reasons"],
            json(&list.stdout)["reasons"],
            "{same}"
        );
    }
    // Resources in the shorthand: ARNs keep their colons and slashes.
    let with = run(
        r#"[{"actions":["s3:DeleteObject"],"resources":["arn:aws:s3:::nope/*","arn:aws:s3:::other/*"]}]"#,
    );
    let short = run("actions=s3:DeleteObject,resources=arn:aws:s3:::nope/*,arn:aws:s3:::other/*");
    assert_eq!(with.code, 0, "{with:?}");
    assert_eq!(short.code, 0, "{short:?}");
    assert_eq!(json(&short.stdout), json(&with.stdout));
    for (bad, why) in [
        ("actions=a:b,actions=c:d", "actions is given twice"),
        ("actions=[a:b,c:d", "not closed"),
        ("actions=", "at least one"),
    ] {
        let r = run(bad);
        assert_eq!(r.code, 2, "{bad}: {r:?}");
        assert!(r.stderr.contains(why), "{bad}: {r:?}");
    }
}

#[test]
fn a_policy_that_allows_only_invalid_actions_fails_saying_so() {
    // Every action name starting with a letter, digit or `-` is denied: only values no action
    // has are allowed. The solvers find those; the check must not show them, and must not
    // PASS either (the validity of requests is not part of the proof).
    let denied: Vec<String> = ('a'..='z')
        .chain('0'..='9')
        .chain(['-'])
        .map(|c| format!("\"s3:{c}*\""))
        .collect();
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:*","Resource":"*"}},
        {{"Effect":"Deny","Action":[{}],"Resource":"*"}}]}}"#,
        denied.join(",")
    );
    for solver in ["native", "cvc5"] {
        let r = iamproof(&[
            "check-access-not-granted",
            "--policy-document",
            &policy,
            "--access",
            "actions=s3:*",
            "--policy-type",
            "IDENTITY_POLICY",
            "--solver",
            solver,
            "--timeout",
            "120",
            "--output",
            "json",
        ]);
        assert_eq!(r.code, 1, "{solver}: {r:?}");
        let v = json(&r.stdout);
        let why = v["unknownReason"].as_str().unwrap_or("");
        assert!(why.contains("were not valid requests"), "{solver}: {v}");
        assert!(
            v["reasons"]
                .as_array()
                .into_iter()
                .flatten()
                .all(|x| x.get("exampleRequest").is_none()),
            "{solver}: {v}"
        );
    }
}
