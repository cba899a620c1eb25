//! The pre-commit hooks of `.pre-commit-hooks.yaml` run by pre-commit itself (from PyPI, in
//! `<target>/precommit-venv`, which .ci/run and `crates/config/tests/precommit.rs` install) with
//! the real `iamproof` binary on a sample repository: `iamproof-validate` blocks the public bucket
//! policy of the example template, and `iamproof-no-new-access` blocks a change that widens a
//! policy against the committed version, and lets an unrelated edit pass.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn pre_commit() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target directory")
        .to_path_buf();
    let bin = target.join("precommit-venv/bin/pre-commit");
    assert!(
        bin.is_file(),
        "no {}: run `python3 -m venv {v} && {v}/bin/pip install pre-commit` (or .ci/run)",
        bin.display(),
        v = target.join("precommit-venv").display()
    );
    bin
}

fn run(dir: &Path, program: &Path, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("IAMPROOF", env!("CARGO_BIN_EXE_iamproof"))
        .env("PRE_COMMIT_HOME", dir.join("../cache"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("run")
}

fn git(dir: &Path, args: &[&str]) {
    let out = run(dir, Path::new("git"), args);
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

#[test]
fn the_hooks_run_the_real_iamproof_under_pre_commit() {
    let pre_commit = pre_commit();
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join("scripts")).expect("dirs");
    git(&repo, &["init", "--quiet"]);
    git(&repo, &["config", "user.email", "test@example.com"]);
    git(&repo, &["config", "user.name", "test"]);
    git(&repo, &["config", "commit.gpgsign", "false"]);
    std::fs::copy(
        root().join("scripts/pre-commit-hook.sh"),
        repo.join("scripts/pre-commit-hook.sh"),
    )
    .expect("hook script");
    // `repo: local` hooks that are the manifest's hooks, as they are.
    let manifest =
        std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).expect("manifest");
    let hooks: String = manifest.lines().map(|l| format!("    {l}\n")).collect();
    std::fs::write(
        repo.join(".pre-commit-config.yaml"),
        format!("repos:\n  - repo: local\n    hooks:\n{hooks}"),
    )
    .expect("config");
    let template =
        std::fs::read_to_string(common::examples().join("templates/cloudformation.yaml"))
            .expect("example template");
    std::fs::write(repo.join("template.yaml"), &template).expect("template");
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "--quiet", "-m", "base"]);

    // An unrelated edit: validate blocks the public bucket policy, no new access passes.
    std::fs::write(
        repo.join("template.yaml"),
        format!("{template}# reviewed\n"),
    )
    .expect("edit");
    git(&repo, &["add", "-A"]);
    let out = run(
        &repo,
        &pre_commit,
        &["run", "--files", "template.yaml", "--color", "never"],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("policy-analysis-CheckNoPublicAccess ArtifactBucketPolicy"),
        "{text}"
    );
    let no_new = text
        .lines()
        .find(|l| l.starts_with("iamproof check-no-new-access"))
        .unwrap_or_default();
    assert!(no_new.ends_with("Passed"), "{text}");

    // A widened policy: s3:GetObject becomes s3:Get* in the bucket policy.
    let widened = template.replacen("Action: s3:GetObject", "Action: s3:Get*", 1);
    assert_ne!(
        widened, template,
        "the example template changed: update this test"
    );
    std::fs::write(repo.join("template.yaml"), widened).expect("widen");
    git(&repo, &["add", "-A"]);
    let out = run(
        &repo,
        &pre_commit,
        &["run", "--files", "template.yaml", "--color", "never"],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let no_new = text
        .lines()
        .find(|l| l.starts_with("iamproof check-no-new-access"))
        .unwrap_or_default();
    assert!(no_new.ends_with("Failed"), "{text}");
    assert!(
        text.contains("policy-analysis-CheckNoNewAccess ArtifactBucketPolicy"),
        "{text}"
    );
}
