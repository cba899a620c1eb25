//! z3 and cvc5 as external processes: the formula's SMT-LIB script
//! ([`iamproof_logic::smtlib_script`]) is fed on stdin (`z3 -in -smt2`,
//! `cvc5 --lang smt2 --produce-models --strings-exp`), each run has a time limit and is killed
//! when it passes, and the `(get-value …)` answer is read back into an [`Assignment`].
//!
//! Soundness: the script over-approximates where it is not exact, so `unsat` is a proof. A `sat`
//! model is replayed with [`Formula::eval`] on the request it describes; a model that does not
//! replay gives `Unknown` (never a wrong `Sat`).

use crate::Outcome;
use iamproof_logic::parse_get_value;
use iamproof_logic::{smtlib_script, Formula};
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Which external solver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExternalSolver {
    /// `z3 -in -smt2`.
    Z3,
    /// `cvc5 --lang smt2 --produce-models --strings-exp`.
    Cvc5,
}

impl ExternalSolver {
    /// The executable name.
    pub fn program(self) -> &'static str {
        match self {
            ExternalSolver::Z3 => "z3",
            ExternalSolver::Cvc5 => "cvc5",
        }
    }

    fn args(self, timeout: Duration) -> Vec<String> {
        let ms = timeout.as_millis().max(1);
        match self {
            ExternalSolver::Z3 => vec!["-in".into(), "-smt2".into(), format!("-t:{ms}")],
            ExternalSolver::Cvc5 => vec![
                "--lang".into(),
                "smt2".into(),
                "--produce-models".into(),
                "--strings-exp".into(),
                format!("--tlimit={ms}"),
            ],
        }
    }
}

/// Why an external solver could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ExternalError {
    /// The executable could not be started (not installed?).
    #[error("cannot start {program}: {source}")]
    Spawn {
        /// The executable.
        program: &'static str,
        /// The OS error.
        source: std::io::Error,
    },
    /// Talking to the process failed.
    #[error("i/o with {program}: {source}")]
    Io {
        /// The executable.
        program: &'static str,
        /// The OS error.
        source: std::io::Error,
    },
    /// The solver printed something that is not an answer.
    #[error("{program} gave no answer: {output}")]
    BadOutput {
        /// The executable.
        program: &'static str,
        /// The start of what it printed.
        output: String,
    },
}

/// Decides `f` with an external solver within `timeout` (the process is killed when it passes).
pub fn solve_external(
    f: &Formula,
    solver: ExternalSolver,
    timeout: Duration,
) -> Result<Outcome, ExternalError> {
    let start = Instant::now();
    let script = smtlib_script(f);
    let program = solver.program();
    let out = run_process(program, &solver.args(timeout), &script.text, timeout)?;
    let Some(out) = out else {
        return Ok(Outcome::Unknown(format!(
            "{program}: killed after {timeout:?}"
        )));
    };
    let mut lines = out.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("");
    match first {
        "unsat" => Ok(Outcome::Unsat),
        "sat" => {
            let rest: String = lines.collect::<Vec<_>>().join("\n");
            let values = parse_get_value(&rest).ok_or_else(|| ExternalError::BadOutput {
                program,
                output: truncate(&rest),
            })?;
            let assignment = script.assignment(&values);
            if f.eval(&assignment.to_request()) {
                return Ok(Outcome::Sat(assignment));
            }
            // Case folding of `İ` and non-integer numerals are over-approximated: ask again
            // without them, in the time left.
            let left = timeout.saturating_sub(start.elapsed());
            if !left.is_zero() {
                if let Some(out) =
                    run_process(program, &solver.args(left), &script.restricted_text(), left)?
                {
                    let mut lines = out.lines().map(str::trim).filter(|l| !l.is_empty());
                    if lines.next() == Some("sat") {
                        let rest: String = lines.collect::<Vec<_>>().join("\n");
                        if let Some(values) = parse_get_value(&rest) {
                            let a = script.assignment(&values);
                            if f.eval(&a.to_request()) {
                                return Ok(Outcome::Sat(a));
                            }
                        }
                    }
                }
            }
            Ok(Outcome::Unknown(format!(
                "{program}: the model does not replay (over-approximated: {})",
                if script.notes.is_empty() {
                    "case folding of İ".to_string()
                } else {
                    script.notes.join("; ")
                }
            )))
        }
        "unknown" | "timeout" => Ok(Outcome::Unknown(format!("{program}: {first}"))),
        _ if first.contains("timeout") || first.contains("interrupted") || first.is_empty() => {
            Ok(Outcome::Unknown(format!("{program}: {first}")))
        }
        _ => Err(ExternalError::BadOutput {
            program,
            output: truncate(&out),
        }),
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(400).collect()
}

/// Runs a process with `input` on stdin; `None` if it had to be killed at the deadline.
fn run_process(
    program: &'static str,
    args: &[String],
    input: &str,
    timeout: Duration,
) -> Result<Option<String>, ExternalError> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| ExternalError::Spawn { program, source })?;
    let io = |source| ExternalError::Io { program, source };
    // Write stdin from a thread so a solver that answers early cannot block us.
    let mut stdin = child.stdin.take();
    let data = input.to_string();
    let writer = std::thread::spawn(move || {
        if let Some(s) = stdin.as_mut() {
            let _ = s.write_all(data.as_bytes());
        }
        drop(stdin);
    });
    // Drain stderr too, so a chatty solver cannot block on a full pipe.
    let mut stderr = child.stderr.take();
    let err_reader = std::thread::spawn(move || {
        let mut buf = String::new();
        if let Some(s) = stderr.as_mut() {
            let _ = s.read_to_string(&mut buf);
        }
        buf
    });
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut buf = String::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.read_to_string(&mut buf);
        }
        buf
    });
    // Grace period on top of the solver's own limit.
    let deadline = Instant::now() + timeout + Duration::from_millis(500);
    let status = loop {
        match child.try_wait().map_err(io)? {
            Some(st) => break Some(st),
            None if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    // A solver that stops on its own time limit may print its verdict on stderr only.
    Ok(status.map(|_| if out.trim().is_empty() { err } else { out }))
}

#[cfg(test)]
mod solver_tests {
    use super::*;
    use iamproof_logic::{
        encode_policy, Atom, CallerKind, Formula, Glob, MatchMode, PatternSet, Var,
    };
    use iamproof_policy::{parse_policy, PolicyType};

    const ALLOW: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":["s3:PutObject"],"Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET"}]}"#;
    const WITH_DENY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":["s3:PutObject"],"Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET"},{"Effect":"Deny","NotPrincipal":{"AWS":"123456789012"},"Action":"*","Resource":"*"}]}"#;

    fn outside_account() -> Formula {
        // Not a principal of account 123456789012.
        Formula::not(Formula::and2(
            Formula::atom(Atom::Caller(CallerKind::Arn)),
            Formula::matches(
                Var::Principal,
                PatternSet::new(
                    MatchMode::Arn,
                    vec![Glob::parse_wildcards("arn:*:*:*:123456789012:*")],
                ),
            ),
        ))
    }

    fn available(s: ExternalSolver) -> bool {
        Command::new(s.program())
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok()
    }

    #[test]
    fn seed_cross_account_question() {
        for s in [ExternalSolver::Z3, ExternalSolver::Cvc5] {
            assert!(
                available(s),
                "{} is not installed (apt-get install z3 cvc5)",
                s.program()
            );
            let p = parse_policy(ALLOW, PolicyType::Resource).unwrap();
            let f = Formula::and2(encode_policy(&p).unwrap().allows(), outside_account());
            match solve_external(&f, s, Duration::from_secs(20)).unwrap() {
                Outcome::Sat(a) => {
                    let r = a.to_request();
                    assert!(iamproof_eval::evaluate_policy(&p, &r).allows());
                    assert_eq!(r.action.to_lowercase(), "s3:putobject");
                }
                other => panic!("{}: expected sat, got {other:?}", s.program()),
            }
            let p = parse_policy(WITH_DENY, PolicyType::Resource).unwrap();
            let f = Formula::and2(encode_policy(&p).unwrap().allows(), outside_account());
            assert_eq!(
                solve_external(&f, s, Duration::from_secs(20)).unwrap(),
                Outcome::Unsat,
                "{}",
                s.program()
            );
        }
    }

    const TYPED: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::b/${aws:username}/*","Condition":{"NumericLessThan":{"s3:max-keys":"10"},"IpAddress":{"aws:SourceIp":"203.0.113.0/24"},"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"},"ForAnyValue:StringLike":{"aws:TagKeys":"team*"},"ForAllValues:StringEquals":{"aws:TagKeys":["team-a","team-b"]},"Bool":{"aws:SecureTransport":"true"}}}]}"#;

    #[test]
    fn typed_conditions_give_replayable_models_and_contradictions_are_unsat() {
        let p = parse_policy(TYPED, PolicyType::Identity).unwrap();
        let allows = encode_policy(&p).unwrap().allows();
        let f = Formula::and2(
            allows.clone(),
            iamproof_logic::request_axioms(&allows.vars()),
        );
        let mut sat = 0;
        for s in [ExternalSolver::Z3, ExternalSolver::Cvc5] {
            match solve_external(&f, s, Duration::from_secs(20)).unwrap() {
                Outcome::Sat(a) => {
                    let r = a.to_request();
                    assert!(iamproof_eval::evaluate_policy(&p, &r).allows(), "{r:?}");
                    sat += 1;
                }
                Outcome::Unsat => panic!("{}: unsat for a satisfiable policy", s.program()),
                Outcome::Unknown(why) => eprintln!("unknown: {why}"),
            }
            let contradiction = Formula::and2(allows.clone(), Formula::not(allows.clone()));
            assert_eq!(
                solve_external(&contradiction, s, Duration::from_secs(20)).unwrap(),
                Outcome::Unsat
            );
        }
        assert!(sat >= 1, "neither solver found the model");
        let narrow = parse_policy(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericGreaterThan":{"s3:max-keys":"20"},"NotIpAddress":{"aws:SourceIp":"203.0.0.0/16"}}}]}"#,
            PolicyType::Identity,
        )
        .unwrap();
        let both = Formula::and2(allows, encode_policy(&narrow).unwrap().allows());
        for s in [ExternalSolver::Z3, ExternalSolver::Cvc5] {
            assert_ne!(
                solve_external(&both, s, Duration::from_secs(20)).unwrap(),
                Outcome::Sat(iamproof_logic::Assignment::default()),
            );
            let out = solve_external(&both, s, Duration::from_secs(20)).unwrap();
            assert!(
                matches!(out, Outcome::Unsat | Outcome::Unknown(_)),
                "{}: {out:?}",
                s.program()
            );
        }
    }
}
