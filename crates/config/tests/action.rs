//! The GitHub Action (action.yml and scripts/action-run.sh): the inputs the script reads are
//! the ones the Action declares and passes, and the script, run as the runner runs it with a
//! stand-in `iamproof`, builds the right command line for each policy-check-type, writes the
//! report file, sets the `result` output and fails the step as iamproof's exit status says.

mod common;

use common::{invocations, path_with, repo_root, strings, write_stub, STUB_REPORT};
use serde_yaml::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

fn action() -> Value {
    let text = std::fs::read_to_string(repo_root().join("action.yml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

fn script_path() -> PathBuf {
    repo_root().join("scripts/action-run.sh")
}

/// The environment variable of an input: `INPUT_` and its name in upper case, `-` as `_`.
fn env_name(input: &str) -> String {
    format!("INPUT_{}", input.to_uppercase().replace('-', "_"))
}

fn steps(action: &Value) -> Vec<Value> {
    action["runs"]["steps"].as_sequence().unwrap().clone()
}

#[test]
fn the_script_reads_exactly_the_declared_inputs() {
    let action = action();
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let inputs = action["inputs"].as_mapping().unwrap();
    let declared: BTreeSet<String> = inputs
        .keys()
        .map(|k| env_name(k.as_str().unwrap()))
        .collect();
    for wanted in [
        "policy-check-type",
        "template-path",
        "base-ref",
        "reference-policy",
        "reference-policy-type",
        "actions",
        "resources",
        "output-format",
        "output-file",
        "treat-finding-type-as-blocking",
        "ignore-finding",
        "config",
        "region",
        "account-id",
    ] {
        assert!(
            declared.contains(&env_name(wanted)),
            "input {wanted} is not declared"
        );
    }
    assert_eq!(
        inputs[&Value::from("policy-check-type")]["required"],
        Value::from(true)
    );
    assert_eq!(
        inputs[&Value::from("template-path")]["required"],
        Value::from(true)
    );
    assert_eq!(
        inputs[&Value::from("output-format")]["default"].as_str(),
        Some("sarif")
    );
    assert_eq!(
        inputs[&Value::from("output-file")]["default"].as_str(),
        Some("iamproof.sarif")
    );

    // The run step passes each input as its environment variable, and nothing else.
    let steps = steps(&action);
    let run = steps
        .iter()
        .find(|s| s["id"].as_str() == Some("run"))
        .expect("a step with id run");
    assert_eq!(run["shell"].as_str(), Some("bash"));
    assert_eq!(
        run["run"].as_str(),
        Some("bash \"$GITHUB_ACTION_PATH/scripts/action-run.sh\""),
        "the step runs the script and has no input in its text"
    );
    let env = run["env"].as_mapping().unwrap();
    let mut passed = BTreeSet::new();
    for (name, value) in env {
        let name = name.as_str().unwrap().to_string();
        let input = inputs
            .keys()
            .map(|k| k.as_str().unwrap())
            .find(|k| env_name(k) == name)
            .unwrap_or_else(|| panic!("{name} is not an input's variable"));
        assert_eq!(
            value.as_str(),
            Some(format!("${{{{ inputs.{input} }}}}").as_str())
        );
        passed.insert(name);
    }
    assert_eq!(passed, declared, "every input is passed to the script");

    // The script reads exactly those variables.
    let script = std::fs::read_to_string(script_path()).unwrap();
    let mut read = BTreeSet::new();
    let mut rest = script.as_str();
    while let Some(at) = rest.find("INPUT_") {
        let name: String = rest[at..]
            .chars()
            .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
            .collect();
        rest = &rest[at + name.len()..];
        // `INPUT_<NAME>` in the script's comments is the pattern, not a variable.
        if name != "INPUT_" {
            read.insert(name);
        }
    }
    assert_eq!(
        read, declared,
        "the script reads the declared inputs, and only them"
    );

    // No step's script text interpolates an input or other expression.
    for step in &steps {
        if let Some(text) = step["run"].as_str() {
            assert!(!text.contains("${{"), "expression in a script: {text}");
        }
    }

    // Rust, a cache keyed on Cargo.lock, and iamproof installed from this repository's source.
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert!(uses.contains(&"dtolnay/rust-toolchain@stable"), "{uses:?}");
    let cache = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/cache@"))
        })
        .expect("a cache step");
    let paths = cache["with"]["path"].as_str().unwrap();
    assert!(
        paths.contains("~/.cargo/") && paths.contains("/target"),
        "{paths}"
    );
    assert!(cache["with"]["key"]
        .as_str()
        .unwrap()
        .contains("steps.lock.outputs.hash"));
    let install = steps
        .iter()
        .filter_map(|s| s["run"].as_str())
        .find(|r| r.contains("cargo install"))
        .expect("an install step");
    assert_eq!(
        install,
        "cargo install --locked --path \"$ACTION_PATH/crates/cli\""
    );
    assert_eq!(
        action["outputs"]["result"]["value"].as_str(),
        Some("${{ steps.run.outputs.result }}")
    );
}

/// One run of the script, as the runner runs it.
struct Run {
    status: i32,
    stderr: String,
    calls: Vec<Vec<String>>,
    output: String,
    workspace: tempfile::TempDir,
}

impl Run {
    fn file(&self, name: &str) -> Option<String> {
        std::fs::read_to_string(self.workspace.path().join(name)).ok()
    }

    /// The value of the `result` output, read as the runner reads a `name<<DELIMITER` block.
    fn result(&self) -> Option<String> {
        let mut lines = self.output.lines();
        let first = lines.next()?;
        let delimiter = first.strip_prefix("result<<")?;
        assert!(delimiter.len() > 16, "a random delimiter: {delimiter}");
        let mut value = Vec::new();
        for line in lines.by_ref() {
            if line == delimiter {
                assert_eq!(
                    lines.next(),
                    None,
                    "only the result output: {}",
                    self.output
                );
                return Some(value.join("\n"));
            }
            value.push(line);
        }
        panic!("unterminated output: {}", self.output)
    }
}

fn run(inputs: &[(&str, &str)], stub_status: i32) -> Run {
    let workspace = tempfile::tempdir().unwrap();
    let bin = workspace.path().join(".stub-bin");
    write_stub(&bin);
    let log = workspace.path().join(".stub-log");
    let output = workspace.path().join(".github-output");
    std::fs::write(&output, "").unwrap();
    let mut command = Command::new("bash");
    command
        .arg(script_path())
        .current_dir(workspace.path())
        .env_clear()
        .env("PATH", path_with(&bin))
        .env("STUB_LOG", &log)
        .env("STUB_STATUS", stub_status.to_string())
        .env("GITHUB_OUTPUT", &output)
        .env("RUNNER_TEMP", workspace.path());
    for (name, value) in inputs {
        command.env(env_name(name), value);
    }
    let out = command.output().unwrap();
    Run {
        status: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        calls: invocations(&log),
        output: std::fs::read_to_string(&output).unwrap(),
        workspace,
    }
}

/// The two calls of a run writing a SARIF (or text) report: JSON for `result`, then the file.
fn two_calls(args: &[&str], format: &str, file: &str) -> Vec<Vec<String>> {
    let mut json = strings(args);
    json.extend(strings(&["--output", "json"]));
    let mut report = strings(args);
    report.extend(strings(&[
        "--output",
        format,
        "--output-file",
        file,
        "--quiet",
    ]));
    vec![json, report]
}

/// A case: its name, the inputs, and the calls of iamproof expected.
type CommandCase<'a> = (&'a str, Vec<(&'a str, &'a str)>, Vec<Vec<String>>);

#[test]
fn each_check_type_builds_its_command_line() {
    let t = ("template-path", "infra/app.yaml");
    let cases: Vec<CommandCase> = vec![
        (
            "validate, defaults",
            vec![("policy-check-type", "VALIDATE_POLICY"), t],
            two_calls(
                &["validate", "--template-path", "infra/app.yaml"],
                "sarif",
                "iamproof.sarif",
            ),
        ),
        (
            "validate, every common input",
            vec![
                ("policy-check-type", "VALIDATE_POLICY"),
                t,
                (
                    "allow-external-principals",
                    "123456789012,arn:aws:iam::111122223333:role/ci",
                ),
                ("region", "eu-west-1"),
                ("account-id", "111122223333"),
                ("parameters", "Env=prod\n  Team=web"),
                (
                    "ignore-finding",
                    "MyRole.PASS_ROLE_WITH_STAR_IN_RESOURCE,MISSING_VERSION",
                ),
                ("treat-finding-type-as-blocking", "ERROR"),
                ("config", "ci/iamproof.toml"),
                ("output-format", "text"),
                ("output-file", "reports/iamproof.txt"),
            ],
            two_calls(
                &[
                    "validate",
                    "--template-path",
                    "infra/app.yaml",
                    "--allow-external-principals",
                    "123456789012,arn:aws:iam::111122223333:role/ci",
                    "--region",
                    "eu-west-1",
                    "--account-id",
                    "111122223333",
                    "--parameters",
                    "Env=prod",
                    "Team=web",
                    "--ignore-finding",
                    "MyRole.PASS_ROLE_WITH_STAR_IN_RESOURCE,MISSING_VERSION",
                    "--treat-finding-type-as-blocking",
                    "ERROR",
                    "--config",
                    "ci/iamproof.toml",
                ],
                "text",
                "reports/iamproof.txt",
            ),
        ),
        (
            "no new access against a git revision",
            vec![
                ("policy-check-type", "CHECK_NO_NEW_ACCESS"),
                t,
                ("base-ref", "origin/main"),
            ],
            two_calls(
                &[
                    "check-no-new-access",
                    "--template-path",
                    "infra/app.yaml",
                    "--base-ref",
                    "origin/main",
                ],
                "sarif",
                "iamproof.sarif",
            ),
        ),
        (
            "no new access against a base template",
            vec![
                ("policy-check-type", "CHECK_NO_NEW_ACCESS"),
                t,
                ("base-template-path", "base.yaml"),
            ],
            two_calls(
                &[
                    "check-no-new-access",
                    "--template-path",
                    "infra/app.yaml",
                    "--base-template-path",
                    "base.yaml",
                ],
                "sarif",
                "iamproof.sarif",
            ),
        ),
        (
            "no new access against a reference policy",
            vec![
                ("policy-check-type", "CHECK_NO_NEW_ACCESS"),
                t,
                ("reference-policy", "reference.json"),
                ("reference-policy-type", "identity"),
                ("treat-finding-type-as-blocking", "NONE"),
            ],
            two_calls(
                &[
                    "check-no-new-access",
                    "--template-path",
                    "infra/app.yaml",
                    "--reference-policy",
                    "reference.json",
                    "--reference-policy-type",
                    "identity",
                    "--treat-finding-type-as-blocking",
                    "NONE",
                ],
                "sarif",
                "iamproof.sarif",
            ),
        ),
        (
            "access not granted",
            vec![
                ("policy-check-type", "CHECK_ACCESS_NOT_GRANTED"),
                t,
                ("actions", "iam:PassRole,s3:DeleteBucket"),
                ("resources", "arn:aws:s3:::prod-*"),
            ],
            two_calls(
                &[
                    "check-access-not-granted",
                    "--template-path",
                    "infra/app.yaml",
                    "--actions",
                    "iam:PassRole,s3:DeleteBucket",
                    "--resources",
                    "arn:aws:s3:::prod-*",
                ],
                "sarif",
                "iamproof.sarif",
            ),
        ),
        (
            "access not granted, from the configuration file",
            vec![("policy-check-type", "CHECK_ACCESS_NOT_GRANTED"), t],
            two_calls(
                &[
                    "check-access-not-granted",
                    "--template-path",
                    "infra/app.yaml",
                ],
                "sarif",
                "iamproof.sarif",
            ),
        ),
        (
            "no public access, JSON report: one run",
            vec![
                ("policy-check-type", "CHECK_NO_PUBLIC_ACCESS"),
                t,
                ("output-format", "json"),
                ("output-file", "iamproof.json"),
            ],
            vec![strings(&[
                "check-no-public-access",
                "--template-path",
                "infra/app.yaml",
                "--output",
                "json",
            ])],
        ),
        (
            "an input is one argument, never shell code",
            vec![
                ("policy-check-type", "VALIDATE_POLICY"),
                ("template-path", "$(touch pwned); `touch pwned` *"),
            ],
            two_calls(
                &[
                    "validate",
                    "--template-path",
                    "$(touch pwned); `touch pwned` *",
                ],
                "sarif",
                "iamproof.sarif",
            ),
        ),
    ];
    for (name, inputs, expected) in cases {
        let run = run(&inputs, 0);
        assert_eq!(run.status, 0, "{name}: {}", run.stderr);
        assert_eq!(run.calls, expected, "{name}");
        assert_eq!(
            run.result().as_deref(),
            Some(STUB_REPORT),
            "{name}: the result output"
        );
        assert!(
            !run.workspace.path().join("pwned").exists(),
            "{name}: an input ran"
        );
        let (format, file) = match inputs.iter().find(|(k, _)| *k == "output-format") {
            Some((_, format)) => (
                *format,
                inputs
                    .iter()
                    .find(|(k, _)| *k == "output-file")
                    .map(|(_, v)| *v)
                    .unwrap(),
            ),
            None => ("sarif", "iamproof.sarif"),
        };
        let expected_file = if format == "json" {
            format!("{STUB_REPORT}\n")
        } else {
            format!("stub {format} report\n")
        };
        assert_eq!(
            run.file(file),
            Some(expected_file),
            "{name}: the report file"
        );
    }
}

#[test]
fn the_step_fails_as_iamproof_exits() {
    let inputs = [
        ("policy-check-type", "CHECK_NO_PUBLIC_ACCESS"),
        ("template-path", "app.yaml"),
    ];
    // (iamproof's status, the step's, whether the report file is written)
    for (stub, step, written) in [(0, 0, true), (1, 1, true), (2, 2, false), (101, 2, false)] {
        let run = run(&inputs, stub);
        assert_eq!(run.status, step, "iamproof exits {stub}: {}", run.stderr);
        assert_eq!(
            run.result().as_deref(),
            Some(STUB_REPORT),
            "iamproof exits {stub}"
        );
        assert_eq!(
            run.file("iamproof.sarif").is_some(),
            written,
            "iamproof exits {stub}"
        );
        assert_eq!(
            run.calls.len(),
            if written { 2 } else { 1 },
            "iamproof exits {stub}"
        );
        match step {
            0 => assert!(!run.stderr.contains("::error"), "{}", run.stderr),
            1 => assert!(
                run.stderr
                    .contains("::error title=iamproof::blocking findings"),
                "{}",
                run.stderr
            ),
            _ => assert!(
                run.stderr.contains("::error title=iamproof::iamproof"),
                "{}",
                run.stderr
            ),
        }
    }
}

#[test]
fn bad_inputs_stop_before_iamproof_runs() {
    let t = ("template-path", "app.yaml");
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![t], "policy-check-type is required"),
        (
            vec![("policy-check-type", "VALIDATE_POLICY")],
            "template-path is required",
        ),
        (
            vec![("policy-check-type", "validate"), t],
            "policy-check-type must be",
        ),
        (
            vec![("policy-check-type", "CHECK_NO_NEW_ACCESS"), t],
            "exactly one of",
        ),
        (
            vec![
                ("policy-check-type", "CHECK_NO_NEW_ACCESS"),
                t,
                ("base-ref", "main"),
                ("base-template-path", "b.yaml"),
            ],
            "exactly one of",
        ),
        (
            vec![
                ("policy-check-type", "CHECK_NO_NEW_ACCESS"),
                t,
                ("reference-policy", "r.json"),
            ],
            "needs reference-policy-type",
        ),
        (
            vec![
                ("policy-check-type", "VALIDATE_POLICY"),
                t,
                ("base-ref", "main"),
            ],
            "base-ref is for policy-check-type CHECK_NO_NEW_ACCESS",
        ),
        (
            vec![
                ("policy-check-type", "CHECK_NO_PUBLIC_ACCESS"),
                t,
                ("actions", "s3:GetObject"),
            ],
            "actions is for policy-check-type CHECK_ACCESS_NOT_GRANTED",
        ),
        (
            vec![
                ("policy-check-type", "VALIDATE_POLICY"),
                t,
                ("output-format", "xml"),
            ],
            "output-format must be",
        ),
    ];
    for (inputs, message) in cases {
        let run = run(&inputs, 0);
        assert_eq!(run.status, 2, "{inputs:?}");
        assert!(
            run.stderr.contains("::error title=iamproof::") && run.stderr.contains(message),
            "{inputs:?}: {}",
            run.stderr
        );
        assert!(run.calls.is_empty(), "{inputs:?}: iamproof ran");
        assert_eq!(run.output, "", "{inputs:?}");
    }
}
