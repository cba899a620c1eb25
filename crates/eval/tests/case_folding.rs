//! One case-folding rule for every case-insensitive comparison of the evaluator: each character
//! is lowercased on its own (`char::to_lowercase`), the same on the policy side and the request
//! side (`iamproof_policy::glob::fold_case`). The only place this differs from
//! `str::to_lowercase` is a capital sigma at the end of a word (`Σ` → `σ`, not `ς`).

use iamproof_eval::conditions::value_hits;
use iamproof_eval::matching::{action_matches, literal_pattern};
use iamproof_policy::BaseOperator;

#[test]
fn action_with_final_capital_sigma_matches_itself() {
    assert!(action_matches("svc:ListΣ", "svc:ListΣ"));
    assert!(action_matches("SVC:listσ", "svc:LISTΣ"));
    assert!(action_matches("svc:List?", "svc:ListΣ"));
    assert!(action_matches("svc:*Σ", "svc:ΑΣ"));
    // `ς` lowercases to itself, and `Σ` to `σ`: they stay different.
    assert!(!action_matches("svc:ListΣ", "svc:listς"));
    assert!(!action_matches("svc:Listς", "svc:ListΣ"));
}

#[test]
fn string_equals_ignore_case_folds_final_sigma_like_actions() {
    let hits = |policy: &str, request: &str| {
        value_hits(
            BaseOperator::StringEqualsIgnoreCase,
            request,
            &literal_pattern(policy),
        )
    };
    assert!(hits("ΟΔΟΣ", "ΟΔΟΣ"));
    assert!(hits("ΟΔΟΣ", "οδοσ"));
    assert!(!hits("ΟΔΟΣ", "οδος"));
    assert!(hits("AbC", "aBc"));
}
