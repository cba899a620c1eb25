//! What is known of the typed views of a string term (`num`, `date`, `ip6`): facts true of the
//! real parse functions, asserted for the terms the formula reads as numbers, dates or IPv6.

use std::collections::BTreeSet;
use std::fmt::Write as _;

/// Integer text that `iamproof_policy::parse_date` reads as epoch seconds (at most 15
/// digits), unless it is a [`YEAR_RE`].
pub(super) const EPOCH_INT_RE: &str =
    "(re.++ (re.opt (str.to_re \"-\")) ((_ re.loop 1 15) (re.range \"0\" \"9\")))";
/// Four digits: a year for `iamproof_policy::parse_date`, not epoch seconds.
pub(super) const YEAR_RE: &str = "((_ re.loop 4 4) (re.range \"0\" \"9\"))";

/// Facts about the typed views of a string term (all true of the real parse functions), for the
/// kinds of tests the term takes.
pub(super) fn typed_facts(term: &str, kinds: &BTreeSet<&'static str>) -> String {
    let digits = "(re.+ (re.range \"0\" \"9\"))";
    let opt_digits = "(re.* (re.range \"0\" \"9\"))";
    let int_re = format!("(re.++ (re.opt (str.to_re \"-\")) {digits})");
    let abs_int = format!(
        "(ite (= (str.at {term} 0) \"-\") (- (str.to_int (str.substr {term} 1 (- (str.len {term}) 1)))) (str.to_int {term}))"
    );
    let mut s = String::new();
    if kinds.contains("num") {
        // `iamproof_policy::parse_number`: an optional exponent of magnitude at most
        // 400 (any leading zeros), text at most 512 bytes.
        let exp_value = "(re.union ((_ re.loop 1 2) (re.range \"0\" \"9\")) (re.++ (re.range \"1\" \"3\") ((_ re.loop 2 2) (re.range \"0\" \"9\"))) (str.to_re \"400\"))";
        let exponent = format!(
            "(re.opt (re.++ (re.union (str.to_re \"e\") (str.to_re \"E\")) (re.opt (re.union (str.to_re \"-\") (str.to_re \"+\"))) (re.* (str.to_re \"0\")) {exp_value}))"
        );
        let decimal = format!(
            "(re.++ (re.opt (re.union (str.to_re \"-\") (str.to_re \"+\"))) (re.union (re.++ {digits} (re.opt (re.++ (str.to_re \".\") {opt_digits}))) (re.++ (str.to_re \".\") {digits})) {exponent})"
        );
        let _ = writeln!(
            s,
            "(assert (= (isnum {term}) (and (<= (str.len {term}) 512) (str.in_re {term} {decimal}))))"
        );
        let _ = writeln!(
            s,
            "(assert (=> (str.in_re {term} {int_re}) (= (num {term}) (to_real {abs_int}))))"
        );
    }
    if kinds.contains("date") {
        let epoch_int = EPOCH_INT_RE;
        let year = YEAR_RE;
        let _ = writeln!(
            s,
            // `iamproof_policy::parse_date`: integer text is epoch seconds when it has
            // at most 15 digits and is not a four-digit year.
            "(assert (=> (and (str.in_re {term} {epoch_int}) (not (str.in_re {term} {year}))) (and (isdate {term}) (= (date {term}) (to_real {abs_int})))))"
        );
    }
    if kinds.contains("ip6") {
        let _ = writeln!(
            s,
            "(assert (=> (ip6 {term}) (str.in_re {term} (re.+ (re.union (re.range \"0\" \"9\") (re.range \"a\" \"f\") (re.range \"A\" \"F\") (str.to_re \":\") (str.to_re \".\"))))))"
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::super::regex::smt_string;
    use super::*;

    /// The typed facts are true of the real parse functions (`iamproof_policy::parse_number`…):
    /// with the views set to what Rust reads, z3 finds the facts satisfiable. Skipped without z3.
    #[test]
    fn typed_facts_hold_of_the_parsers() {
        use std::io::Write as _;
        let samples = [
            "0",
            "-0",
            "+5",
            "5.",
            ".5",
            "1e3",
            "1.5E-2",
            "1e400",
            "1e401",
            "1e0400",
            "2024",
            "-2024",
            "20240",
            "0123",
            "123",
            "999999999999999",
            "1000000000000000",
            "-999999999999999",
            "1.25",
            "-1.25",
            "2020-01-01",
            "1e",
            "x",
            "",
            "-",
        ];
        let kinds: BTreeSet<&'static str> = ["num", "date"].into_iter().collect();
        for v in samples {
            let t = smt_string(v);
            let mut script = String::from(
                "(set-logic ALL)\n(declare-fun isnum (String) Bool)\n(declare-fun num (String) Real)\n(declare-fun isdate (String) Bool)\n(declare-fun date (String) Real)\n",
            );
            script.push_str(&typed_facts(&t, &kinds));
            let readings = [
                ("num", crate::semantics::parse_number(v)),
                ("date", crate::semantics::parse_date(v)),
            ];
            for (view, reading) in readings {
                let _ = writeln!(
                    script,
                    "{}",
                    match reading {
                        Some(n) => format!(
                            "(assert (and (is{view} {t}) (= ({view} {t}) {})))",
                            n.to_smt_real()
                        ),
                        None => format!("(assert (not (is{view} {t})))"),
                    }
                );
            }
            script.push_str("(check-sat)\n");
            let Ok(mut child) = std::process::Command::new("z3")
                .arg("-in")
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
            else {
                eprintln!("z3 not found; skipped");
                return;
            };
            if let Some(mut stdin) = child.stdin.take() {
                stdin.write_all(script.as_bytes()).unwrap();
            }
            let out = child.wait_with_output().unwrap();
            let answer = String::from_utf8_lossy(&out.stdout);
            assert_eq!(
                answer.trim(),
                "sat",
                "facts contradict the parsers on {v:?}:\n{script}"
            );
        }
    }
}
