//! Wildcard expansion agreement with iam-dataset-managed-policies (see
//! `iamproof_bench::wildcards`). The expected differences are in `wildcard_differences.txt`
//! (policy, `+` ours only / `-` theirs only, action, reason); the test fails if a difference
//! appears or disappears.

use iamproof_bench::wildcards::expansion_report;
use iamproof_corpora::Corpora;
use std::collections::BTreeSet;

#[test]
fn wildcard_expansion_matches_iam_dataset() {
    let corpora = Corpora::locate();
    let rep = expansion_report(&corpora).unwrap_or_else(|e| panic!("{e}"));
    println!(
        "wildcard expansion: {} / {} policies equal; {} actions compared; catalogues: ours {}, theirs (effective_actions union) {}, common {}; {} policies skipped",
        rep.equal,
        rep.total,
        rep.actions_compared,
        rep.our_catalogue,
        rep.their_catalogue,
        rep.common_catalogue,
        rep.skipped.len()
    );
    for (n, why) in &rep.skipped {
        println!("skipped {n}: {why}");
    }
    let mut got = BTreeSet::new();
    for d in &rep.diffs {
        println!(
            "{}: {} only ours, {} only theirs",
            d.policy,
            d.only_ours.len(),
            d.only_theirs.len()
        );
        for a in &d.only_ours {
            got.insert(format!("{}\t+\t{a}", d.policy));
        }
        for a in &d.only_theirs {
            got.insert(format!("{}\t-\t{a}", d.policy));
        }
    }
    let file = include_str!("wildcard_differences.txt");
    let expected: BTreeSet<String> = file
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').take(3).collect::<Vec<_>>().join("\t"))
        .collect();
    let new: Vec<_> = got.difference(&expected).collect();
    let gone: Vec<_> = expected.difference(&got).collect();
    for l in &new {
        println!("NEW difference: {l}");
    }
    for l in &gone {
        println!("listed difference no longer seen: {l}");
    }
    assert!(
        new.is_empty() && gone.is_empty(),
        "{} new differences, {} listed differences gone (update tests/wildcard_differences.txt)",
        new.len(),
        gone.len()
    );
    assert!(rep.total > 1500, "only {} policies compared", rep.total);
}
