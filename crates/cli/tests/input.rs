//! The command line (in-process; the binary for exit statuses, --help and standard input): usage
//! errors, document input (file://, paths, stdin, inline) and never panicking on bad input.

mod common;

use common::{examples, iamproof, iamproof_bin, iamproof_bin_stdin, iamproof_stdin};
use std::path::Path;

#[test]
fn usage_errors_exit_2() {
    let r = iamproof_bin(&[]);
    assert_eq!(r.code, 2, "{r:?}");
    let r = iamproof_bin(&["frobnicate"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("error:"), "{r:?}");
    let r = iamproof_bin(&["validate-policy", "--policy-document", "{}"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("--policy-type"), "{r:?}");
    let r = iamproof_bin(&[
        "validate-policy",
        "--policy-document",
        "{}",
        "--policy-type",
        "identity_policy",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("IDENTITY_POLICY"), "{r:?}");
    let r = iamproof_bin(&[
        "check-no-new-access",
        "--existing-policy-document",
        "{}",
        "--new-policy-document",
        "{}",
        "--policy-type",
        "SERVICE_CONTROL_POLICY",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    let r = iamproof_bin(&[
        "simulate",
        "--policy-input-list",
        "{}",
        "--caller-arn",
        "arn:aws:iam::123456789012:root",
        "--anonymous",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("cannot be used with"), "{r:?}");
}

#[test]
fn help_and_version_exit_0() {
    let r = iamproof_bin(&["--help"]);
    assert_eq!(r.code, 0, "{r:?}");
    for cmd in [
        "validate-policy",
        "simulate",
        "formula",
        "check-no-new-access",
        "check-access-not-granted",
        "check-no-public-access",
        "check-no-external-access",
    ] {
        assert!(r.stdout.contains(cmd), "{cmd} missing from --help: {r:?}");
        let h = iamproof_bin(&[cmd, "--help"]);
        assert_eq!(h.code, 0, "{h:?}");
        assert!(h.stdout.contains("Usage: iamproof"), "{h:?}");
    }
    let r = iamproof_bin(&["--version"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.starts_with("iamproof "), "{r:?}");
}

#[test]
fn missing_files_and_directories_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.json");
    let arg = format!("file://{}", missing.display());
    let r = iamproof(&[
        "formula",
        "--policy-document",
        &arg,
        "--policy-type",
        "IDENTITY_POLICY",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(
        r.stderr.trim_end(),
        format!("error: {}: no such file", missing.display())
    );
    let plain = missing.to_str().unwrap();
    let r = iamproof(&["formula", "--policy-document", plain]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr
            .contains("nope.json: no such file (give a file path, file://PATH"),
        "{r:?}"
    );
    let d = dir.path().to_str().unwrap();
    let r = iamproof(&["formula", "--policy-document", d]);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(r.stderr.trim_end(), format!("error: {d}: is a directory"));
}

#[test]
fn binary_and_empty_documents_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("policy.bin");
    std::fs::write(&bin, [0x7f, b'E', b'L', b'F', 0xff, 0x00, 0x01]).unwrap();
    let r = iamproof(&["formula", "--policy-document", bin.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("policy.bin: not UTF-8 text"), "{r:?}");
    let empty = dir.path().join("empty.json");
    std::fs::write(&empty, "").unwrap();
    let r = iamproof(&["formula", "--policy-document", empty.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("empty.json: the document is empty"),
        "{r:?}"
    );
    let r = iamproof_stdin(&["formula", "--policy-document", "-"], b"");
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("<stdin>: the document is empty"), "{r:?}");
}

#[test]
fn policy_errors_give_origin_line_column_and_path() {
    let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]\n}\n";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("policy.json");
    std::fs::write(&file, text).unwrap();
    let want_tail =
        "3:28: Statement[0].Effect: Effect must be \"Allow\" or \"Deny\", found \"allow\"";
    let r = iamproof(&[
        "check-access-not-granted",
        "--policy-document",
        &format!("file://{}", file.display()),
        "--access",
        r#"[{"actions":["s3:DeleteBucket"]}]"#,
        "--policy-type",
        "IDENTITY_POLICY",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    let first = r.stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(&format!("error: {}:{want_tail}", file.display())),
        "{r:?}"
    );
    let r = iamproof_stdin(
        &[
            "check-no-new-access",
            "--existing-policy-document",
            "-",
            "--new-policy-document",
            text,
            "--policy-type",
            "IDENTITY_POLICY",
        ],
        text.as_bytes(),
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.starts_with(&format!("error: <stdin>:{want_tail}")),
        "{r:?}"
    );
    let r = iamproof(&[
        "check-no-public-access",
        "--policy-document",
        "{\"Statement\": [}",
        "--resource-type",
        "AWS::S3::Bucket",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.starts_with("error: <inline>:1:"), "{r:?}");
}

#[test]
fn stdin_serves_one_document_only() {
    let p = examples().join("identity/pipeline-reference.json");
    let text = std::fs::read(&p).unwrap();
    let r = iamproof_bin_stdin(
        &[
            "check-no-new-access",
            "--existing-policy-document",
            "-",
            "--new-policy-document",
            "-",
            "--policy-type",
            "IDENTITY_POLICY",
        ],
        &text,
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr
            .contains("standard input (-) can be used for only one document"),
        "{r:?}"
    );
}

#[test]
fn bad_access_and_context_arguments_are_located() {
    let policy = examples().join("identity/pipeline-changed.json");
    let policy = format!("file://{}", policy.display());
    let r = iamproof(&[
        "check-access-not-granted",
        "--policy-document",
        &policy,
        "--access",
        r#"[{"actions":["s3:DeleteBucket"], "resource":["*"]}]"#,
        "--policy-type",
        "IDENTITY_POLICY",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.starts_with("error: <inline>:1:"), "{r:?}");
    assert!(
        r.stderr.contains("[0].resource: unknown field `resource`"),
        "{r:?}"
    );
    let r = iamproof(&[
        "check-access-not-granted",
        "--policy-document",
        &policy,
        "--access",
        r#"[{"actions":["a:b"]},{"actions":["c:d"]}]"#,
        "--policy-type",
        "IDENTITY_POLICY",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("at most 1 access item"), "{r:?}");
    let r = iamproof(&[
        "simulate",
        "--policy-input-list",
        &policy,
        "--action-names",
        "s3:GetObject",
        "--context-entries",
        "ContextKeyName=aws:SourceIp,ContextKeyValues=300.1.1.1,ContextKeyType=ip",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("\"300.1.1.1\" is not an IP address"),
        "{r:?}"
    );
    let r = iamproof(&[
        "simulate",
        "--policy-input-list",
        &policy,
        "--action-names",
        "s3:Get*",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("one concrete action"), "{r:?}");
    let r = iamproof(&[
        "simulate",
        "--resource-policy",
        &format!(
            "file://{}",
            examples().join("s3/bucket-public.json").display()
        ),
        "--action-names",
        "s3:PutObject",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("--caller-arn"), "{r:?}");
}

/// Inputs that are not policies, fed to every command in every input form: the binary must
/// answer with an exit status of 0, 1 or 2 and never panic (a panic exits with 101).
#[test]
fn garbage_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let mut garbage: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"   \n".to_vec(),
        b"{".to_vec(),
        b"}".to_vec(),
        b"[".to_vec(),
        b"[]".to_vec(),
        b"{}".to_vec(),
        b"null".to_vec(),
        b"\"Statement\"".to_vec(),
        b"{\"Statement\":[]}".to_vec(),
        b"{\"Statement\":{}}".to_vec(),
        b"{\"Statement\":[null, 1, \"x\", []]}".to_vec(),
        b"{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"${\"}}"
            .to_vec(),
        b"{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\":\",\"Resource\":\"*\",\"Condition\":{\"\":{\"\":[[]]}}}}"
            .to_vec(),
        "{\"Statement\":{\"Sid\":\"\u{1F600}\u{0}\",\"Effect\":\"Deny\"}}".as_bytes().to_vec(),
        vec![0u8; 64],
        vec![0xff, 0xfe, 0x7b, 0x00],
        "\u{feff}{\"Statement\":1}".as_bytes().to_vec(),
    ];
    garbage.push(format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes());
    garbage.push(format!("{}1{}", "{\"a\":".repeat(5_000), "}".repeat(5_000)).into_bytes());
    let mut n = 0;
    for (i, g) in garbage.iter().enumerate() {
        let path = dir.path().join(format!("g{i}.json"));
        std::fs::write(&path, g).unwrap();
        let file_arg = format!("file://{}", path.display());
        let commands: Vec<Vec<&str>> = vec![
            vec![
                "validate-policy",
                "--policy-type",
                "RESOURCE_POLICY",
                "--policy-document",
            ],
            vec!["formula", "--policy-document"],
            vec![
                "check-no-public-access",
                "--resource-type",
                "AWS::S3::Bucket",
                "--policy-document",
            ],
            vec![
                "check-no-external-access",
                "--resource-type",
                "AWS::S3::Bucket",
                "--trusted-account",
                "123456789012",
                "--policy-document",
            ],
            vec![
                "check-access-not-granted",
                "--policy-type",
                "IDENTITY_POLICY",
                "--access",
                r#"[{"actions":["s3:GetObject"]}]"#,
                "--policy-document",
            ],
            vec![
                "check-no-new-access",
                "--policy-type",
                "IDENTITY_POLICY",
                "--existing-policy-document",
                "{\"Version\":\"2012-10-17\",\"Statement\":[]}",
                "--new-policy-document",
            ],
            vec![
                "simulate",
                "--action-names",
                "s3:GetObject",
                "--policy-input-list",
            ],
            vec![
                "simulate",
                "--policy-input-list",
                "{\"Version\":\"2012-10-17\",\"Statement\":[]}",
                "--request",
            ],
        ];
        for cmd in &commands {
            for form in ["file", "stdin"] {
                let mut args = cmd.clone();
                let r = if form == "file" {
                    args.push(&file_arg);
                    iamproof(&args)
                } else {
                    args.push("-");
                    iamproof_stdin(&args, g)
                };
                n += 1;
                assert!(
                    (0..=2).contains(&r.code) && !r.stderr.contains("panicked"),
                    "input {i} ({form}) to {cmd:?}: {r:?}"
                );
                if r.code == 2 {
                    assert!(
                        r.stderr.starts_with("error: "),
                        "input {i} to {cmd:?}: {r:?}"
                    );
                }
            }
        }
        // Inline: only texts that look like JSON are taken as inline documents.
        if let Ok(s) = std::str::from_utf8(g) {
            if s.trim_start().starts_with(['{', '[']) && !s.contains('\0') {
                let r = iamproof(&["formula", "--policy-document", s]);
                assert!((0..=2).contains(&r.code), "inline input {i}: {r:?}");
            }
        }
    }
    assert!(n > 200);
    assert!(Path::new(&examples()).is_dir());
}

#[test]
fn check_arguments_are_validated() {
    let policy = common::example("kms/key-policy.json");
    let r = iamproof(&[
        "check-no-public-access",
        "--policy-document",
        &policy,
        "--resource-type",
        "AWS::KMS::Keys",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr
            .contains("unsupported resource type \"AWS::KMS::Keys\""),
        "{r:?}"
    );
    let r = iamproof(&[
        "check-no-external-access",
        "--policy-document",
        &policy,
        "--resource-type",
        "AWS::KMS::Key",
    ]);
    assert_eq!(
        r.code, 2,
        "a trusted account or organization is required: {r:?}"
    );
    let r = iamproof(&[
        "check-no-external-access",
        "--policy-document",
        &policy,
        "--resource-type",
        "AWS::KMS::Key",
        "--trusted-organization",
        "o-BAD",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr
            .starts_with("error: trusted organization \"o-BAD\""),
        "{r:?}"
    );
    let r = iamproof(&[
        "check-no-external-access",
        "--policy-document",
        &policy,
        "--resource-type",
        "AWS::KMS::Key",
        "--trusted-account",
        "1234",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    let r = iamproof(&[
        "check-access-not-granted",
        "--policy-document",
        &common::example("identity/pipeline-changed.json"),
        "--access",
        r#"{"actions":["s3"]}"#,
        "--policy-type",
        "IDENTITY_POLICY",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("is not an IAM action"), "{r:?}");
    let r = iamproof(&[
        "check-access-not-granted",
        "--policy-document",
        &common::example("identity/pipeline-changed.json"),
        "--access",
        "[]",
        "--policy-type",
        "IDENTITY_POLICY",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    for solver in ["fast", "Z3"] {
        let r = iamproof(&[
            "check-no-new-access",
            "--existing-policy-document",
            "{}",
            "--new-policy-document",
            "{}",
            "--policy-type",
            "IDENTITY_POLICY",
            "--solver",
            solver,
        ]);
        assert_eq!(r.code, 2, "{r:?}");
    }
}

#[test]
fn endless_and_oversized_inputs_are_cut_off() {
    if std::path::Path::new("/dev/zero").exists() {
        let r = iamproof_bin(&["formula", "--policy-document", "/dev/zero"]);
        assert_eq!(r.code, 2, "{r:?}");
        assert!(
            r.stderr
                .contains("/dev/zero: document is larger than 1 MiB"),
            "{r:?}"
        );
    }
    // One limit for every reader (the README's 1 MiB): just over it is refused when read, for
    // every command, with the same message.
    for size in [5 * 1024 * 1024, 1024 * 1024 + 1] {
        let big = vec![b' '; size];
        for args in [
            &["formula", "--policy-document", "-"][..],
            &[
                "check-no-public-access",
                "--policy-document",
                "-",
                "--resource-type",
                "AWS::S3::Bucket",
            ][..],
        ] {
            let r = iamproof_bin_stdin(args, &big);
            assert_eq!(r.code, 2, "{r:?}");
            assert!(
                r.stderr.contains("<stdin>: document is larger than 1 MiB"),
                "{r:?}"
            );
        }
    }
}

#[test]
fn control_characters_in_keys_are_escaped_in_errors() {
    for (text, expected) in [
        (
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Eff\\u0001ect\":\"Allow\"}]}",
            "invalid policy element \"Eff\\u{1}ect\"",
        ),
        (
            "{\"Version\":\"2012-10-17\",\"a\\u001bb\":1,\"a\\u001bb\":2}",
            "duplicate key \"a\\u{1b}b\"",
        ),
        (
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"A\\u0007\":\"*\"},\"Action\":\"s3:*\",\"Resource\":\"*\"}]}",
            "invalid principal key \"A\\u{7}\"",
        ),
    ] {
        let r = iamproof_stdin(
            &[
                "validate-policy",
                "--policy-document",
                "-",
                "--policy-type",
                "RESOURCE_POLICY",
            ],
            text.as_bytes(),
        );
        let r2 = iamproof_stdin(
            &[
                "formula",
                "--policy-document",
                "-",
                "--policy-type",
                "RESOURCE_POLICY",
            ],
            text.as_bytes(),
        );
        for out in [&r.stdout, &r.stderr, &r2.stderr] {
            assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
        }
        assert_eq!(r2.code, 2, "{r2:?}");
        assert!(r2.stderr.contains(expected), "{expected}: {r2:?}");
    }
}
