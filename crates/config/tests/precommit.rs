//! The pre-commit hooks (.pre-commit-hooks.yaml and scripts/pre-commit-hook.sh): pre-commit
//! itself (installed from PyPI into a virtual environment under the target directory) runs
//! hooks that mirror the manifest's on a sample repository, with a stand-in `iamproof`; and the
//! hook script's own rules (one run per file, the worst exit status, finding iamproof).

mod common;

use common::{invocations, make_executable, path_with, repo_root, strings, write_stub};
use serde_yaml::{Mapping, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// pre-commit, installed once into `<target>/precommit-venv` (as .ci/run does). A failed
/// install fails the test, with the commands to run by hand.
fn pre_commit() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target directory")
        .to_path_buf();
    let venv = target.join("precommit-venv");
    let bin = venv.join("bin/pre-commit");
    if bin.is_file() {
        return bin;
    }
    let how = format!(
        "python3 -m venv {venv} && {venv}/bin/pip install pre-commit",
        venv = venv.display()
    );
    let venv_arg = venv.display().to_string();
    let pip = venv.join("bin/pip").display().to_string();
    let steps = [
        ("python3".to_string(), vec!["-m", "venv", venv_arg.as_str()]),
        (pip, vec!["install", "--quiet", "pre-commit"]),
    ];
    for (program, args) in steps {
        let out = Command::new(&program).args(&args).output();
        match out {
            Ok(out) if out.status.success() => {}
            Ok(out) => panic!(
                "installing pre-commit failed ({program} {}: {}); run: {how}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            ),
            Err(e) => panic!("installing pre-commit failed ({program}: {e}); run: {how}"),
        }
    }
    assert!(bin.is_file(), "no {} after: {how}", bin.display());
    bin
}

fn git(dir: &Path, env: &[(&str, &Path)], args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The hooks of .pre-commit-hooks.yaml, as they are.
fn manifest_hooks() -> Vec<Mapping> {
    let text = std::fs::read_to_string(repo_root().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: Vec<Mapping> = serde_yaml::from_str(&text).unwrap();
    let ids: Vec<_> = hooks.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["iamproof-validate", "iamproof-no-new-access"]);
    for hook in &hooks {
        assert_eq!(hook["language"].as_str(), Some("script"));
        assert_eq!(hook["files"].as_str(), Some(r"\.(json|ya?ml|template)$"));
        assert_eq!(
            hook["exclude"].as_str(),
            Some(r"^(\.pre-commit-config\.yaml|\.github/)")
        );
        assert_eq!(hook["pass_filenames"].as_bool(), Some(true));
        // A `script` entry is a file of the hook repository.
        let entry = hook["entry"].as_str().unwrap();
        let script = entry.split(' ').next().unwrap();
        assert!(repo_root().join(script).is_file(), "{entry}");
    }
    hooks
}

const TEMPLATE: &str = "Resources:\n  MyRole:\n    Type: AWS::IAM::Role\n";

#[test]
fn pre_commit_runs_the_hooks_on_each_template() {
    let pre_commit = pre_commit();
    let tmp = tempfile::tempdir().unwrap();
    let sample = tmp.path().join("sample");
    let home = tmp.path().join("home");
    let bin = tmp.path().join("bin");
    let log = tmp.path().join("stub-log");
    for dir in [&sample, &home] {
        std::fs::create_dir_all(dir).unwrap();
    }
    write_stub(&bin);
    let env: [(&str, &Path); 2] = [
        ("HOME", &home),
        ("PRE_COMMIT_HOME", &tmp.path().join("cache")),
    ];

    // The sample repository: the hook script where a hook repository has it, a configuration
    // whose `repo: local` hooks are the manifest's hooks (plus a user's `args`), and files.
    git(&sample, &env, &["init", "--quiet"]);
    git(&sample, &env, &["config", "user.email", "test@example.com"]);
    git(&sample, &env, &["config", "user.name", "test"]);
    git(&sample, &env, &["config", "commit.gpgsign", "false"]);
    std::fs::create_dir_all(sample.join("scripts")).unwrap();
    let script = sample.join("scripts/pre-commit-hook.sh");
    std::fs::copy(repo_root().join("scripts/pre-commit-hook.sh"), &script).unwrap();
    make_executable(&script);
    let mut hooks = manifest_hooks();
    if let Some(validate) = hooks.first_mut() {
        validate.insert(
            "args".into(),
            Value::Sequence(vec!["--region=eu-west-1".into()]),
        );
    }
    let mut local = Mapping::new();
    local.insert("repo".into(), "local".into());
    local.insert(
        "hooks".into(),
        Value::Sequence(hooks.into_iter().map(Value::Mapping).collect()),
    );
    let mut config = Mapping::new();
    config.insert("repos".into(), Value::Sequence(vec![Value::Mapping(local)]));
    std::fs::write(
        sample.join(".pre-commit-config.yaml"),
        serde_yaml::to_string(&config).unwrap(),
    )
    .unwrap();
    std::fs::create_dir_all(sample.join("infra")).unwrap();
    std::fs::create_dir_all(sample.join("docs")).unwrap();
    std::fs::write(sample.join("infra/app.yaml"), TEMPLATE).unwrap();
    std::fs::write(sample.join("infra/plan.json"), "{}\n").unwrap();
    std::fs::write(sample.join("docs/notes.md"), "not a template\n").unwrap();
    std::fs::create_dir_all(sample.join(".github/workflows")).unwrap();
    std::fs::write(sample.join(".github/workflows/ci.yml"), "on: push\n").unwrap();
    git(&sample, &env, &["add", "-A"]);
    git(&sample, &env, &["commit", "--quiet", "-m", "sample"]);

    let run = |stub_status: i32| -> Output {
        let _ = std::fs::remove_file(&log);
        Command::new(&pre_commit)
            .args(["run", "--all-files", "--color", "never"])
            .current_dir(&sample)
            .env_clear()
            .envs(env.iter().copied())
            .env("PATH", path_with(&bin))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("STUB_LOG", &log)
            .env("STUB_STATUS", stub_status.to_string())
            .output()
            .unwrap()
    };

    // Each matching file, once per hook; not the Markdown file, not the excluded YAML files.
    let out = run(0);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files = ["infra/app.yaml", "infra/plan.json"];
    let mut expected = BTreeSet::new();
    for file in files {
        expected.insert(strings(&[
            "validate",
            "--template-path",
            file,
            "--region=eu-west-1",
        ]));
        expected.insert(strings(&[
            "check-no-new-access",
            "--template-path",
            file,
            "--base-ref",
            "HEAD",
        ]));
    }
    let calls = invocations(&log);
    assert_eq!(calls.len(), expected.len(), "{calls:?}");
    assert_eq!(calls.into_iter().collect::<BTreeSet<_>>(), expected);
    assert!(
        stdout.contains("iamproof validate") && stdout.contains("Passed"),
        "{stdout}"
    );

    // The hooks fail when iamproof does, with its status.
    for status in [1, 2] {
        let out = run(status);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "stub {status}: {stdout}");
        assert_eq!(
            stdout.matches("Failed").count(),
            2,
            "stub {status}: {stdout}"
        );
        assert_eq!(
            stdout.matches(&format!("- exit code: {status}")).count(),
            2,
            "stub {status}: {stdout}"
        );
        assert!(
            stdout.contains("- hook id: iamproof-no-new-access"),
            "{stdout}"
        );
    }
}

/// Runs the hook script directly.
fn hook(
    args: &[&str],
    env: &[(&str, &str)],
    path: &str,
    script: &Path,
    log: &Path,
) -> (i32, String) {
    let out = Command::new("bash")
        .arg(script)
        .args(args)
        .env_clear()
        .env("PATH", path)
        .env("STUB_LOG", log)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_hook_checks_every_file_and_exits_with_the_worst_status() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("bin");
    let stub = write_stub(&bin);
    let log = tmp.path().join("log");
    let script = repo_root().join("scripts/pre-commit-hook.sh");
    let path = path_with(&bin);
    let files = ["a.yaml", "b.yaml", "c.yaml"];
    let args: Vec<&str> = ["validate", "--config=gate.toml"]
        .into_iter()
        .chain(files)
        .collect();
    // (default status, status of b.yaml, the hook's)
    for (status, b, expected) in [
        (0, 0, 0),
        (0, 1, 1),
        (1, 2, 2),
        (0, 2, 2),
        (1, 0, 1),
        (0, 7, 2),
    ] {
        let _ = std::fs::remove_file(&log);
        let (code, stderr) = hook(
            &args,
            &[
                ("STUB_STATUS", &status.to_string()),
                ("STUB_SPECIAL_ARG", "b.yaml"),
                ("STUB_SPECIAL_STATUS", &b.to_string()),
            ],
            &path,
            &script,
            &log,
        );
        assert_eq!(code, expected, "a, c exit {status}, b exits {b}: {stderr}");
        let calls: Vec<Vec<String>> = files
            .iter()
            .map(|f| strings(&["validate", "--template-path", f, "--config=gate.toml"]))
            .collect();
        assert_eq!(
            invocations(&log),
            calls,
            "every file is checked, whatever the others gave"
        );
    }

    // IAMPROOF names the binary; without it nor iamproof on PATH nor the source, exit 2.
    let _ = std::fs::remove_file(&log);
    let stub = stub.display().to_string();
    let (code, _) = hook(
        &["no-new-access", "t.json"],
        &[("IAMPROOF", &stub)],
        "/usr/bin:/bin",
        &script,
        &log,
    );
    assert_eq!(code, 0);
    assert_eq!(
        invocations(&log),
        [strings(&[
            "check-no-new-access",
            "--template-path",
            "t.json",
            "--base-ref",
            "HEAD"
        ])]
    );
    let elsewhere = tmp.path().join("hooks/scripts");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::copy(&script, elsewhere.join("pre-commit-hook.sh")).unwrap();
    let (code, stderr) = hook(
        &["validate", "t.json"],
        &[],
        "/usr/bin:/bin",
        &elsewhere.join("pre-commit-hook.sh"),
        &log,
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("iamproof: not found"), "{stderr}");
    let (code, stderr) = hook(&["scan", "t.json"], &[], &path, &script, &log);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("usage: "), "{stderr}");
}
