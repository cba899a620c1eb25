//! z3 and cvc5 as external processes: the formula's SMT-LIB script
//! ([`iamproof_logic::smtlib_script`]) is fed on stdin (`z3 -in -smt2`,
//! `cvc5 --lang smt2 --produce-models --strings-exp`), each run has a time limit and is killed
//! when it passes, and the `(get-value …)` answer is read back into an [`Assignment`].
//!
//! Soundness: the script over-approximates where it is not exact, so `unsat` is a proof. A `sat`
//! model is replayed with [`Formula::eval`] on the request it describes; a model that does not
//! replay gives `Unknown` (never a wrong `Sat`).

use iamproof_logic::{smtlib_script, Assignment, Formula, SmtValue};
use std::collections::HashMap;
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

/// The answer of an external solver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternalOutcome {
    /// Satisfiable, with a model that replays (the formula is true of its request).
    Sat(Assignment),
    /// Unsatisfiable: a proof.
    Unsat,
    /// No definite answer (timeout, `unknown`, or a model that does not replay), with why.
    Unknown(String),
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
) -> Result<ExternalOutcome, ExternalError> {
    let script = smtlib_script(f);
    let program = solver.program();
    let out = run_process(program, &solver.args(timeout), &script.text, timeout)?;
    let Some(out) = out else {
        return Ok(ExternalOutcome::Unknown(format!(
            "{program}: killed after {timeout:?}"
        )));
    };
    let mut lines = out.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("");
    match first {
        "unsat" => Ok(ExternalOutcome::Unsat),
        "sat" => {
            let rest: String = lines.collect::<Vec<_>>().join("\n");
            let values = parse_values(&rest).ok_or_else(|| ExternalError::BadOutput {
                program,
                output: truncate(&rest),
            })?;
            let assignment = script.assignment(&values);
            if f.eval(&assignment.to_request()) {
                Ok(ExternalOutcome::Sat(assignment))
            } else {
                Ok(ExternalOutcome::Unknown(format!(
                    "{program}: the model does not replay (over-approximated construct: {})",
                    script.notes.join("; ")
                )))
            }
        }
        "unknown" | "timeout" => Ok(ExternalOutcome::Unknown(format!("{program}: {first}"))),
        _ if first.contains("timeout") || first.contains("interrupted") => {
            Ok(ExternalOutcome::Unknown(format!("{program}: {first}")))
        }
        _ => Err(ExternalError::BadOutput {
            program,
            output: truncate(&out),
        }),
    }
}

/// Runs both solvers one after the other and returns the first definite answer (`Sat`/`Unsat`),
/// else the last `Unknown`. Each gets the whole `timeout`.
pub fn solve_portfolio(f: &Formula, timeout: Duration) -> Result<ExternalOutcome, ExternalError> {
    let mut last = ExternalOutcome::Unknown("no solver ran".into());
    let mut errors = Vec::new();
    for s in [ExternalSolver::Cvc5, ExternalSolver::Z3] {
        match solve_external(f, s, timeout) {
            Ok(ExternalOutcome::Unknown(why)) => last = ExternalOutcome::Unknown(why),
            Ok(definite) => return Ok(definite),
            Err(e) => errors.push(e),
        }
    }
    match (last, errors.pop()) {
        (ExternalOutcome::Unknown(w), Some(e)) if w == "no solver ran" => Err(e),
        (last, _) => Ok(last),
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
    Ok(status.map(|_| out))
}

/// S-expressions of a `get-value` answer.
#[derive(Debug, Clone, PartialEq)]
enum Sexp {
    Atom(String),
    Str(String),
    List(Vec<Sexp>),
}

fn parse_sexp(chars: &[char], pos: &mut usize, depth: usize) -> Option<Sexp> {
    if depth > 200 {
        return None;
    }
    while chars.get(*pos).is_some_and(|c| c.is_whitespace()) {
        *pos += 1;
    }
    match chars.get(*pos)? {
        '(' => {
            *pos += 1;
            let mut items = Vec::new();
            loop {
                while chars.get(*pos).is_some_and(|c| c.is_whitespace()) {
                    *pos += 1;
                }
                match chars.get(*pos)? {
                    ')' => {
                        *pos += 1;
                        return Some(Sexp::List(items));
                    }
                    _ => items.push(parse_sexp(chars, pos, depth + 1)?),
                }
            }
        }
        '"' => {
            *pos += 1;
            let mut s = String::new();
            loop {
                let c = *chars.get(*pos)?;
                *pos += 1;
                if c == '"' {
                    if chars.get(*pos) == Some(&'"') {
                        s.push('"');
                        *pos += 1;
                    } else {
                        return Some(Sexp::Str(unescape(&s)));
                    }
                } else {
                    s.push(c);
                }
            }
        }
        _ => {
            let mut s = String::new();
            while let Some(&c) = chars.get(*pos) {
                if c.is_whitespace() || c == '(' || c == ')' {
                    break;
                }
                s.push(c);
                *pos += 1;
            }
            Some(Sexp::Atom(s))
        }
    }
}

/// Decodes SMT-LIB 2.6 string escapes `\u{X…}`, `\uXXXX` (and z3's older `\xXX`).
fn unescape(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c == '\\' {
            let hex = |from: usize, to: usize| -> Option<char> {
                let h: String = chars.get(from..to)?.iter().collect();
                u32::from_str_radix(&h, 16).ok().and_then(char::from_u32)
            };
            match chars.get(i + 1) {
                Some('u') if chars.get(i + 2) == Some(&'{') => {
                    if let Some(end) = chars.iter().skip(i + 3).position(|&c| c == '}') {
                        if let Some(ch) = hex(i + 3, i + 3 + end) {
                            out.push(ch);
                            i += end + 4;
                            continue;
                        }
                    }
                }
                Some('u') => {
                    if let Some(ch) = hex(i + 2, i + 6) {
                        out.push(ch);
                        i += 6;
                        continue;
                    }
                }
                Some('x') => {
                    if let Some(ch) = hex(i + 2, i + 4) {
                        out.push(ch);
                        i += 4;
                        continue;
                    }
                }
                _ => {}
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

fn value_of(e: &Sexp) -> Option<SmtValue> {
    match e {
        Sexp::Str(s) => Some(SmtValue::Str(s.clone())),
        Sexp::Atom(a) if a == "true" => Some(SmtValue::Bool(true)),
        Sexp::Atom(a) if a == "false" => Some(SmtValue::Bool(false)),
        Sexp::Atom(a) => a.parse::<i128>().ok().map(SmtValue::Int),
        Sexp::List(items) => match items.as_slice() {
            [Sexp::Atom(m), x] if m == "-" => match value_of(x)? {
                SmtValue::Int(i) => Some(SmtValue::Int(-i)),
                _ => None,
            },
            _ => None,
        },
    }
}

/// Parses `((sym value) …)`.
fn parse_values(text: &str) -> Option<HashMap<String, SmtValue>> {
    let chars: Vec<char> = text.chars().collect();
    let mut pos = 0;
    let Sexp::List(items) = parse_sexp(&chars, &mut pos, 0)? else {
        return None;
    };
    let mut out = HashMap::new();
    for it in items {
        if let Sexp::List(pair) = it {
            if let [Sexp::Atom(name), v] = pair.as_slice() {
                if let Some(v) = value_of(v) {
                    out.insert(name.clone(), v);
                }
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_get_value_output() {
        let v = parse_values(
            "((caller 1)\n (principal \"arn:aws:iam::1:user/\"\"x\"\"\\u{e9}\")\n (k0_n (- 3)) (k0_p true))",
        )
        .unwrap();
        assert_eq!(v.get("caller"), Some(&SmtValue::Int(1)));
        assert_eq!(
            v.get("principal"),
            Some(&SmtValue::Str("arn:aws:iam::1:user/\"x\"é".into()))
        );
        assert_eq!(v.get("k0_n"), Some(&SmtValue::Int(-3)));
        assert_eq!(v.get("k0_p"), Some(&SmtValue::Bool(true)));
    }
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
                ExternalOutcome::Sat(a) => {
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
                ExternalOutcome::Unsat,
                "{}",
                s.program()
            );
        }
    }
}
