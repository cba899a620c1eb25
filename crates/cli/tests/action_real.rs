//! The GitHub Action's run step (`scripts/action-run.sh`, what `action.yml` calls) run the way
//! the runner runs it, inputs as `INPUT_*` variables and a `GITHUB_OUTPUT` file, with the real
//! `iamproof` binary on `PATH`: the SARIF report file is written and valid JSON of version 2.1.0,
//! the `result` output holds the JSON report, and blocking findings fail the step.

mod common;

use std::path::PathBuf;
use std::process::Command;

#[test]
fn the_action_step_runs_the_real_iamproof() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let tmp = tempfile::tempdir().expect("temp dir");
    let bin = tmp.path().join("bin");
    std::fs::create_dir(&bin).expect("bin");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_iamproof"), bin.join("iamproof"))
        .expect("link iamproof");
    let output = tmp.path().join("github-output");
    let sarif = tmp.path().join("iamproof.sarif");
    let template = common::examples().join("templates/cloudformation.yaml");
    let run = |parameters: &str| {
        std::fs::write(&output, "").expect("output file");
        Command::new("bash")
            .arg(root.join("scripts/action-run.sh"))
            .current_dir(tmp.path())
            .env(
                "PATH",
                format!(
                    "{}:{}",
                    bin.display(),
                    std::env::var("PATH").unwrap_or_default()
                ),
            )
            .env("GITHUB_OUTPUT", &output)
            .env("INPUT_POLICY_CHECK_TYPE", "VALIDATE_POLICY")
            .env("INPUT_TEMPLATE_PATH", &template)
            .env("INPUT_OUTPUT_FORMAT", "sarif")
            .env("INPUT_OUTPUT_FILE", &sarif)
            .env("INPUT_PARAMETERS", parameters)
            .output()
            .expect("run the action step")
    };

    // The example's bucket policy is public while its partner account is unknown: blocking.
    let out = run("");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).expect("SARIF file"))
            .expect("SARIF is JSON");
    assert_eq!(report["version"], "2.1.0");
    assert_eq!(
        report["runs"][0]["results"][0]["ruleId"],
        "policy-analysis-CheckNoPublicAccess"
    );
    let github_output = std::fs::read_to_string(&output).expect("GITHUB_OUTPUT");
    assert!(github_output.starts_with("result<<"), "{github_output}");
    assert!(
        github_output.contains("\"BlockingFindings\""),
        "{github_output}"
    );

    // With the partner account given, nothing blocks.
    let out = run("PartnerAccount=444455556666");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}
