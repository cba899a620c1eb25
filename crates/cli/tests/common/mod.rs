//! Running `iamproof` in tests: in-process through the library (the default, fast), or as the
//! binary for the end-to-end tests of what only a process shows (exit status, standard input,
//! the watchdog's limits).
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// What a run gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The workspace's `examples/` folder.
pub fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// `file://` URL of an example.
pub fn example(rel: &str) -> String {
    format!("file://{}", examples().join(rel).display())
}

/// Runs the command line in-process with empty standard input (as in CI).
pub fn iamproof(args: &[&str]) -> Run {
    in_process(args, &[])
}

/// Runs the command line in-process with `input` on standard input.
pub fn iamproof_stdin(args: &[&str], input: &[u8]) -> Run {
    in_process(args, input)
}

/// Runs the binary with no standard input (as in CI).
pub fn iamproof_bin(args: &[&str]) -> Run {
    binary(args, None)
}

/// Runs the binary with `input` on standard input.
pub fn iamproof_bin_stdin(args: &[&str], input: &[u8]) -> Run {
    binary(args, Some(input))
}

fn in_process(args: &[&str], mut input: &[u8]) -> Run {
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let mut io = iamproof_cli::Io {
        stdin: &mut input,
        stdout: &mut stdout,
        stderr: &mut stderr,
        stdout_color: false,
        stderr_color: false,
    };
    let argv = std::iter::once("iamproof").chain(args.iter().copied());
    let exit = iamproof_cli::run(argv, &mut io, iamproof_cli::Options::default());
    Run {
        code: exit.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

fn binary(args: &[&str], input: Option<&[u8]>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iamproof"));
    cmd.args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    let mut child = cmd.spawn().expect("spawn iamproof");
    if let Some(bytes) = input {
        let mut stdin = child.stdin.take().unwrap();
        // The program may exit before reading everything (e.g. a usage error): ignore EPIPE.
        let _ = stdin.write_all(bytes);
    }
    let out = child.wait_with_output().expect("wait for iamproof");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
