//! Differential test against iam-dataset's `effective_actions` of AWS managed policies
//! (shared/corpora/iam-dataset-managed-policies, read at run time, never copied): for a policy
//! without Deny statements, `check_access_not_granted([a])` must FAIL for an action `a` the
//! dataset lists as reachable by an Allow statement, and PASS for a catalogue action it does not
//! list (the dataset ignores Resource and Condition, which can only narrow a grant, never remove
//! every request).

use iamproof_checks::{check_access_not_granted, AccessSpec, Backend, CheckOptions, Verdict};
use iamproof_corpora::{Corpora, ManagedPolicy};
use iamproof_policy::{parse_policy, Effect, PolicyType};
use std::collections::BTreeSet;
use std::time::Duration;

#[test]
fn access_not_granted_agrees_with_effective_actions() {
    let rows = Corpora::locate().managed_policies().unwrap();
    let effective =
        |v: &ManagedPolicy| -> BTreeSet<String> { v.effective_actions.iter().cloned().collect() };
    let catalogue: BTreeSet<String> = rows.iter().flat_map(effective).collect();
    let opts = CheckOptions {
        backend: Backend::Native,
        timeout: Duration::from_secs(10),
    };
    let (mut checked, mut unknown, mut wrong) = (0, 0, Vec::new());
    // A deterministic sample: every 40th policy.
    for v in rows.iter().step_by(40) {
        let name = &v.name;
        let Ok(doc) = serde_json::to_string(&v.document) else {
            continue;
        };
        let Ok(p) = parse_policy(&doc, PolicyType::Identity) else {
            continue;
        };
        if p.statements.iter().any(|s| s.effect == Effect::Deny) {
            continue;
        }
        let eff = effective(v);
        let mut probes: Vec<(String, Verdict)> = Vec::new();
        if let Some(a) = eff.iter().next() {
            probes.push((a.clone(), Verdict::Fail));
        }
        if let Some(a) = eff.iter().nth(eff.len() / 2) {
            probes.push((a.clone(), Verdict::Fail));
        }
        // A catalogue action the policy does not reach, from the middle of the catalogue.
        if let Some(a) = catalogue
            .iter()
            .skip(catalogue.len() / 2)
            .find(|a| !eff.contains(*a))
        {
            probes.push((a.clone(), Verdict::Pass));
        }
        for (action, want) in probes {
            let access = AccessSpec::new(vec![action.clone()], vec![]).expect("a valid action");
            let r = check_access_not_granted(&p, &access, &opts);
            assert!(
                r.internal_error.is_none(),
                "{name} {action}: {}",
                r.to_json()
            );
            if r.result == Verdict::Fail && r.reasons.iter().all(|x| x.statement_index.is_none()) {
                unknown += 1;
                continue;
            }
            checked += 1;
            if r.result != want {
                wrong.push(format!(
                    "{name} {action}: want {want:?}, got {}",
                    r.to_json()
                ));
            }
        }
    }
    println!(
        "managed policies: {checked} checks decided, {unknown} unknown, {} wrong",
        wrong.len()
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(checked >= 60, "only {checked} checks were decided");
}
