//! Agreement with Quacky's published relative-permissiveness results (see
//! `iamproof_bench::quacky`). Every disagreement is listed with which side is right and why in
//! `quacky_disagreements.txt`; the test fails if a disagreement appears or a listed one
//! disappears, or if any pair-direction (including those Quacky's own runs disagree on) is not
//! decided (an internal disagreement, an undecided query or a policy that does not parse).
//!
//! This is the one Quacky differential test (it replaced the checks crate's
//! `corpus_quacky.rs`, which ran a subset of these pairs on the same engine).

use iamproof_bench::expected::compare_with_list;
use iamproof_bench::quacky::quacky_cases;
use iamproof_corpora::Corpora;
use std::collections::BTreeSet;
use std::time::Duration;

#[test]
fn agreement_with_quacky() {
    let corpora = Corpora::locate();
    let cases = quacky_cases(&corpora, Duration::from_secs(20)).unwrap_or_else(|e| panic!("{e}"));
    let total = cases.len();
    let mixed = cases.iter().filter(|c| c.quacky_mixed()).count();
    let disagree: Vec<_> = cases.iter().filter(|c| c.disagrees()).collect();
    let agree = total - mixed - disagree.len();
    println!(
        "quacky: {} pair-directions ({} pairs); agree {agree}; Quacky's runs disagree among themselves on {mixed}; we differ from Quacky on {}",
        total,
        total / 2,
        disagree.len()
    );
    for c in cases.iter().filter(|c| c.quacky_mixed()) {
        println!("quacky-mixed\t{}", c.key());
    }
    let undecided: Vec<String> = cases
        .iter()
        .filter(|c| c.ours != "SAT" && c.ours != "UNSAT")
        .map(|c| c.key())
        .collect();
    assert!(
        undecided.is_empty(),
        "{} pair-directions not decided (internal disagreement, unknown or parse error):\n{}",
        undecided.len(),
        undecided.join("\n")
    );
    let got: BTreeSet<String> = disagree.iter().map(|c| c.key()).collect();
    let cmp = compare_with_list(&got, include_str!("quacky_disagreements.txt"), 5);
    assert!(
        cmp.is_exact(),
        "{}",
        cmp.describe("disagreement", "tests/quacky_disagreements.txt")
    );
    assert_eq!(total, 2 * 546, "expected 546 pairs in both directions");
}
