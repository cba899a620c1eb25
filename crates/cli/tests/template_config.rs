//! `.iamproof.toml` in the template commands: found from the working directory or given with
//! `--config`, flags override it, a bad file is bad input (exit 2, `file:line:col`).

mod common;

use std::path::Path;
use std::process::Command;

fn template() -> std::path::PathBuf {
    common::examples().join("templates/cloudformation.yaml")
}

/// Runs the binary in `dir`; (exit status, stdout, stderr).
fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_iamproof"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run iamproof");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn blocking_codes(stdout: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(stdout).expect("JSON report");
    v["BlockingFindings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| format!("{}.{}", f["resourceName"], f["code"]).replace('"', ""))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_config_file_is_found_and_flags_override_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A repository root: discovery stops here.
    std::fs::create_dir(dir.path().join(".git")).expect(".git");
    let t = template();
    let t = t.to_string_lossy();
    let args = ["validate", "--template-path", &t, "--output", "json"];

    // Without a file: the public bucket policy blocks.
    let (code, out, _) = run_in(dir.path(), &args);
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        blocking_codes(&out),
        vec!["ArtifactBucketPolicy.policy-analysis-CheckNoPublicAccess"]
    );

    // The file ignores it, with a reason; found from a subdirectory.
    std::fs::write(
        dir.path().join(".iamproof.toml"),
        "[[ignore]]\nfinding = \"ArtifactBucketPolicy.policy-analysis-CheckNoPublicAccess\"\nreason = \"a public website bucket, approved in SEC-1\"\n",
    )
    .expect("write config");
    let sub = dir.path().join("infra");
    std::fs::create_dir(&sub).expect("subdir");
    let (code, out, _) = run_in(&sub, &args);
    assert_eq!(code, 0, "{out}");
    assert!(blocking_codes(&out).is_empty());

    // A flag overrides the file's blocking types: suggestions block too.
    let mut with_flag = args.to_vec();
    with_flag.extend(["--treat-finding-type-as-blocking", "SUGGESTION"]);
    let (code, out, _) = run_in(&sub, &with_flag);
    assert_eq!(code, 1, "{out}");
    assert!(blocking_codes(&out)
        .iter()
        .all(|c| c.ends_with("iamproof-UnknownValuesAssumed")));

    // --config names another file: its settings, not the discovered one's.
    let other = dir.path().join("strict.toml");
    std::fs::write(&other, "[blocking]\nfinding-types = [\"NONE\"]\n").expect("write");
    let other = other.to_string_lossy().to_string();
    let mut explicit = args.to_vec();
    explicit.extend(["--config", &other]);
    let (code, _, _) = run_in(&sub, &explicit);
    assert_eq!(code, 0);
}

#[test]
fn access_not_granted_reads_its_actions_from_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect(".git");
    let t = template();
    let t = t.to_string_lossy();
    let args = [
        "check-access-not-granted",
        "--template-path",
        &t,
        "--output",
        "json",
    ];
    let (code, _, err) = run_in(dir.path(), &args);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("needs --actions or --resources"), "{err}");
    std::fs::write(
        dir.path().join(".iamproof.toml"),
        "[access-not-granted]\nactions = [\"iam:CreateUser\"]\n",
    )
    .expect("write config");
    let (code, out, err) = run_in(dir.path(), &args);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn a_bad_config_file_is_bad_input_with_its_position() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect(".git");
    std::fs::write(
        dir.path().join(".iamproof.toml"),
        "[blocking]\nfinding-types = [\"ERROR\"]\ncolour = \"red\"\n",
    )
    .expect("write config");
    let t = template();
    let t = t.to_string_lossy();
    let (code, _, err) = run_in(dir.path(), &["validate", "--template-path", &t]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(".iamproof.toml:3:1"), "{err}");
}
