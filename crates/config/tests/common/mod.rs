//! Helpers of the Action and pre-commit tests: the repository root, and a stand-in `iamproof`
//! that records how it was called.

#![allow(dead_code)] // each test binary uses a part

use std::path::{Path, PathBuf};

/// The repository root (the workspace), where action.yml and .pre-commit-hooks.yaml are.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The fixed JSON report the stand-in prints for `--output json`.
pub const STUB_REPORT: &str = r#"{"BlockingFindings":[{"findingType":"ERROR","code":"STUB_CODE","message":"from the stub","resourceName":"MyRole","policyName":"Root","details":{}}],"NonBlockingFindings":[]}"#;

/// Writes a stand-in `iamproof` into `bin_dir`. It appends its arguments to the file named by
/// `STUB_LOG`, one per line, then a line `--end--`; writes `stub FORMAT report` to the file of
/// `--output-file`, or prints [`STUB_REPORT`] for `--output json` (other formats: a line); and
/// exits with `STUB_STATUS` (default 0), or with `STUB_SPECIAL_STATUS` when one of its arguments
/// is `STUB_SPECIAL_ARG`.
pub fn write_stub(bin_dir: &Path) -> PathBuf {
    std::fs::create_dir_all(bin_dir).unwrap();
    let path = bin_dir.join("iamproof");
    let script = format!(
        r#"#!/bin/sh
# A stand-in for iamproof (tests only).
{{ for arg in "$@"; do printf '%s\n' "$arg"; done; echo '--end--'; }} >>"$STUB_LOG"
status=${{STUB_STATUS:-0}}
format=text
file=
while [ $# -gt 0 ]; do
    case $1 in
        --output) format=$2; shift ;;
        --output-file) file=$2; shift ;;
    esac
    if [ -n "${{STUB_SPECIAL_ARG:-}}" ] && [ "$1" = "$STUB_SPECIAL_ARG" ]; then
        status=$STUB_SPECIAL_STATUS
    fi
    shift
done
if [ -n "$file" ]; then
    printf 'stub %s report\n' "$format" >"$file"
elif [ "$format" = json ]; then
    printf '%s\n' '{STUB_REPORT}'
else
    echo "stub $format output"
fi
exit "$status"
"#
    );
    std::fs::write(&path, script).unwrap();
    make_executable(&path);
    path
}

/// Sets the executable bits of a file.
pub fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mut permissions = std::fs::metadata(path).unwrap().permissions();
    permissions.set_mode(0o755);
    std::fs::set_permissions(path, permissions).unwrap();
}

/// The calls recorded in a stub log: each call's arguments.
pub fn invocations(log: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let mut calls = Vec::new();
    let mut current = Vec::new();
    for line in text.lines() {
        if line == "--end--" {
            calls.push(std::mem::take(&mut current));
        } else {
            current.push(line.to_string());
        }
    }
    calls
}

/// `["a", "b"]` as owned strings.
pub fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The PATH of a test's child process: the stub's directory first, then the system's.
pub fn path_with(bin_dir: &Path) -> String {
    format!("{}:/usr/local/bin:/usr/bin:/bin", bin_dir.display())
}
