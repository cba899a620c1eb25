//! Agreement with Quacky's published relative-permissiveness results (see
//! `iamproof_bench::quacky`). Every disagreement is listed with which side is right and why in
//! `quacky_disagreements.txt`; the test fails if a disagreement appears or a listed one
//! disappears.

use iamproof_bench::corpora::corpora_dir;
use iamproof_bench::quacky::quacky_cases;
use std::collections::BTreeSet;
use std::time::Duration;

#[test]
fn agreement_with_quacky() {
    let corpora = corpora_dir(None);
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
    let got: BTreeSet<String> = disagree.iter().map(|c| c.key()).collect();
    let file = include_str!("quacky_disagreements.txt");
    let expected: BTreeSet<String> = file
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').take(5).collect::<Vec<_>>().join("\t"))
        .collect();
    let new: Vec<_> = got.difference(&expected).collect();
    let gone: Vec<_> = expected.difference(&got).collect();
    for l in &new {
        println!("NEW disagreement: {l}");
    }
    for l in &gone {
        println!("listed disagreement no longer seen: {l}");
    }
    assert!(
        new.is_empty() && gone.is_empty(),
        "{} new disagreements, {} listed ones gone (update tests/quacky_disagreements.txt)",
        new.len(),
        gone.len()
    );
    assert_eq!(total, 2 * 546, "expected 546 pairs in both directions");
}
