//! The SMT-LIB scripts are accepted by z3 and cvc5, and their answers are consistent with the
//! concrete semantics: on a sample of corpus policies (and CheckNoNewAccess-style differences of
//! policy pairs), every `sat` model of an exact script replays (the formula is true of the
//! request it describes), and `unsat` never contradicts a request the sampler found.
//!
//! Needs `z3` and `cvc5` on PATH (Debian: `apt-get install z3 cvc5`).

mod support;

use iamproof_corpora::{Corpora, VersionPair};
use iamproof_logic::parse_get_value;
use iamproof_logic::{encode_policy, request_axioms, smtlib_script, Formula};
use iamproof_policy::{parse_policy, Policy, PolicyType};
use std::io::Write;
use std::process::{Command, Stdio};

fn run(program: &str, args: &[&str], input: &str) -> String {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {program} (apt-get install z3 cvc5): {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[derive(Debug, PartialEq)]
enum Answer {
    Sat(bool),
    Unsat,
    Unknown,
}

/// Runs one solver on the formula; `Sat(replays)`.
fn solve(program: &str, f: &Formula) -> Answer {
    let script = smtlib_script(f);
    let out = match program {
        "z3" => run("z3", &["-in", "-smt2", "-T:5"], &script.text),
        _ => run(
            "cvc5",
            &[
                "--lang",
                "smt2",
                "--produce-models",
                "--strings-exp",
                "--tlimit=5000",
            ],
            &script.text,
        ),
    };
    let first = out.lines().next().unwrap_or("");
    assert!(
        !(first.contains("(error") || (first.trim() == "sat" && out.contains("(error"))),
        "{program} rejected the script: {}\n{}",
        out.chars().take(600).collect::<String>(),
        script.text.chars().take(3000).collect::<String>()
    );
    let mut lines = out.lines();
    match lines.next().unwrap_or("").trim() {
        "sat" => {
            let rest: Vec<&str> = lines.collect();
            let values = parse_get_value(&rest.join("\n")).expect("a get-value answer");
            let a = script.assignment(&values);
            let replays = f.eval(&a.to_request());
            let special = format!("{a:?}").contains(iamproof_logic::SPECIAL_CASE_CHARS);
            assert!(
                replays || !script.exact || special,
                "{program}: a model of an exact script does not replay: {a:?}"
            );
            Answer::Sat(replays)
        }
        "unsat" => Answer::Unsat,
        _ => Answer::Unknown,
    }
}

/// Every 11th User Guide example, every 301st current MAMIP policy and every 547th iam-dataset
/// managed policy.
fn sample_policies() -> Vec<(String, Policy)> {
    let c = Corpora::locate();
    let mut out = Vec::new();
    for (corpus, docs, every) in [
        (
            "user-guide",
            c.user_guide_examples()
                .unwrap()
                .into_iter()
                .map(|e| e.policy)
                .collect::<Vec<_>>(),
            11,
        ),
        (
            "mamip",
            c.mamip_policies()
                .unwrap()
                .into_iter()
                .map(|p| p.document)
                .collect(),
            301,
        ),
        (
            "managed",
            c.managed_policies()
                .unwrap()
                .into_iter()
                .map(|p| p.document)
                .collect(),
            547,
        ),
    ] {
        for (i, doc) in docs.iter().enumerate().step_by(every) {
            let has_principal = doc.to_string().contains("\"Principal\"");
            let ty = if has_principal {
                PolicyType::Resource
            } else {
                PolicyType::Identity
            };
            if let Ok(p) = parse_policy(&doc.to_string(), ty) {
                out.push((format!("{corpus}:{i}"), p));
            }
        }
    }
    out
}

#[test]
fn solvers_accept_scripts_and_models_replay() {
    let policies = sample_policies();
    assert!(policies.len() > 25, "too few sampled policies");
    let mut stats = std::collections::BTreeMap::<String, usize>::new();
    for (name, p) in &policies {
        let enc = encode_policy(p).unwrap();
        let allows = enc.allows();
        let f = Formula::and2(allows.clone(), request_axioms(&allows.vars()));
        // A request the sampler finds allowed refutes `unsat`.
        let mut rng = support::Rng::new(7);
        let vocab = support::Vocab::of(p, &mut rng);
        let witness = (0..200)
            .map(|_| vocab.request(&mut rng))
            .find(|r| f.eval(r));
        for program in ["z3", "cvc5"] {
            let a = solve(program, &f);
            if witness.is_some() {
                assert_ne!(
                    a,
                    Answer::Unsat,
                    "{program} says unsat for {name}, but {witness:?} is allowed"
                );
            }
            if a == Answer::Unsat {
                println!("{program} unsat: {name}");
            }
            *stats.entry(format!("{program} {a:?}")).or_default() += 1;
        }
    }
    println!("{} policies: {stats:?}", policies.len());
}

/// CheckNoNewAccess-style queries `P_new ∧ ¬P_old` on real version pairs.
#[test]
fn version_pair_differences() {
    let text = Corpora::locate()
        .read_text("mamip/version_pairs_recent.jsonl")
        .unwrap();
    let mut stats = std::collections::BTreeMap::<String, usize>::new();
    // Small pairs (the solvers' regular-expression reasoning does not scale to the big managed
    // policies; those are the native engine's job).
    let mut taken = 0;
    for line in text.lines() {
        if line.len() > 2500 || taken >= 10 {
            continue;
        }
        taken += 1;
        let v: VersionPair = serde_json::from_str(line).unwrap();
        let parse = |d: &serde_json::Value| {
            parse_policy(&serde_json::to_string(d).ok()?, PolicyType::Identity).ok()
        };
        let (Some(old), Some(new)) = (parse(&v.old), parse(&v.new)) else {
            continue;
        };
        let f = Formula::and2(
            encode_policy(&new).unwrap().allows(),
            Formula::not(encode_policy(&old).unwrap().allows()),
        );
        let f = Formula::and2(f.clone(), request_axioms(&f.vars()));
        let answers: Vec<Answer> = ["z3", "cvc5"]
            .iter()
            .map(|program| {
                let a = solve(program, &f);
                *stats.entry(format!("{program} {a:?}")).or_default() += 1;
                a
            })
            .collect();
        // The two solvers never contradict each other on definite answers.
        let sat = answers.iter().any(|a| matches!(a, Answer::Sat(true)));
        let unsat = answers.contains(&Answer::Unsat);
        assert!(!(sat && unsat), "z3 and cvc5 disagree: {answers:?}");
    }
    println!("version pairs: {stats:?}");
}
