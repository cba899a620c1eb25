//! Wildcard expansion agreement with iam-dataset-managed-policies (see
//! `iamproof_bench::wildcards`). The expected differences are in `wildcard_differences.txt`
//! (policy, `+` ours only / `-` theirs only, action, reason); the test fails if a difference
//! appears or disappears.

use iamproof_bench::expected::compare_with_list;
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
    let cmp = compare_with_list(&got, include_str!("wildcard_differences.txt"), 3);
    assert!(
        cmp.is_exact(),
        "{}",
        cmp.describe("difference", "tests/wildcard_differences.txt")
    );
    assert!(rep.total > 1500, "only {} policies compared", rep.total);
}
