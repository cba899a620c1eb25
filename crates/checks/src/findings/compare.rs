//! Comparing two policies: the access each grants that the other does not.

use super::{new_access_findings, Findings, FindingsOptions};
use crate::engine::Engine;
use iamproof_policy::Policy;

/// How two policies compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComparisonVerdict {
    /// They allow exactly the same requests (proven both ways).
    Equivalent,
    /// A allows everything B does, and more.
    AMorePermissive,
    /// B allows everything A does, and more.
    BMorePermissive,
    /// Each allows some request the other does not.
    Incomparable,
    /// The engine could not decide one of the directions.
    Undecided,
}

impl ComparisonVerdict {
    /// The name shown in reports (`equivalent`, `a-more-permissive`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ComparisonVerdict::Equivalent => "equivalent",
            ComparisonVerdict::AMorePermissive => "a-more-permissive",
            ComparisonVerdict::BMorePermissive => "b-more-permissive",
            ComparisonVerdict::Incomparable => "incomparable",
            ComparisonVerdict::Undecided => "undecided",
        }
    }
}

/// The comparison of policies A and B.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The verdict.
    pub verdict: ComparisonVerdict,
    /// The access A grants that B does not.
    pub a_extra: Findings,
    /// The access B grants that A does not.
    pub b_extra: Findings,
}

/// Whether the findings show extra access: `Some(true)` when there is a finding (each is
/// backed by a replayed request), `Some(false)` when the empty list is proven complete.
fn extra(f: &Findings) -> Option<bool> {
    if !f.findings.is_empty() {
        Some(true)
    } else if f.complete {
        Some(false)
    } else {
        None
    }
}

/// Compares `a` and `b` (of the same policy type) with two no-new-access questions.
pub fn compare_policies(
    a: &Policy,
    b: &Policy,
    engine: &dyn Engine,
    opts: &FindingsOptions<'_>,
) -> Comparison {
    let a_extra = new_access_findings(b, a, engine, opts);
    let b_extra = new_access_findings(a, b, engine, opts);
    let verdict = match (extra(&a_extra), extra(&b_extra)) {
        (Some(true), Some(true)) => ComparisonVerdict::Incomparable,
        (Some(false), Some(false)) => ComparisonVerdict::Equivalent,
        (Some(true), Some(false)) => ComparisonVerdict::AMorePermissive,
        (Some(false), Some(true)) => ComparisonVerdict::BMorePermissive,
        _ => ComparisonVerdict::Undecided,
    };
    Comparison {
        verdict,
        a_extra,
        b_extra,
    }
}
