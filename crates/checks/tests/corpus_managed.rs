//! Differential test against iam-dataset's `effective_actions` of AWS managed policies
//! (shared/corpora/iam-dataset-managed-policies, read at run time, never copied): for a policy
//! without Deny statements, `check_access_not_granted([a])` must FAIL for an action `a` the
//! dataset lists as reachable by an Allow statement, and PASS for a catalogue action it does not
//! list (the dataset ignores Resource and Condition, which can only narrow a grant, never remove
//! every request).

use iamproof_checks::{check_access_not_granted, AccessSpec, Backend, CheckOptions, Verdict};
use iamproof_policy::{parse_policy, Effect, PolicyType};
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

#[test]
fn access_not_granted_agrees_with_effective_actions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora");
    assert!(
        root.is_dir(),
        "the shared corpora folder is missing: expected it at {}",
        root.display()
    );
    let text =
        std::fs::read_to_string(root.join("iam-dataset-managed-policies/managed_policies.jsonl"))
            .expect("iam-dataset-managed-policies/managed_policies.jsonl is readable");
    let rows: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON row"))
        .collect();
    let effective = |v: &serde_json::Value| -> BTreeSet<String> {
        v["effective_actions"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let catalogue: BTreeSet<String> = rows.iter().flat_map(effective).collect();
    let opts = CheckOptions {
        backend: Backend::Native,
        timeout: Duration::from_secs(10),
    };
    let (mut checked, mut unknown, mut wrong) = (0, 0, Vec::new());
    // A deterministic sample: every 40th policy.
    for v in rows.iter().step_by(40) {
        let name = v["name"].as_str().unwrap_or("?");
        let Ok(doc) = serde_json::to_string(&v["document"]) else {
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
