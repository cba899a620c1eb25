//! `check-no-new-access` on real edits of AWS managed policies (shared/corpora/mamip, GPL data read
//! at run time, never copied): every result replays, and two syntactic oracles hold:
//! * if every Allow statement of the new version appears verbatim in the old one and neither has
//!   a Deny, the check PASSes;
//! * if the new version adds, in an unconditional `Resource: "*"` Allow statement, a literal
//!   action that no Allow pattern of the old version matches (and the old one has no NotAction
//!   and the new one no Deny), the check FAILs naming that statement.

use iamproof_checks::{check_no_new_access, Backend, CheckOptions, Verdict};
use iamproof_corpora::Corpora;
use iamproof_eval::matching::action_matches;
use iamproof_policy::{parse_policy, Effect, Policy, PolicyType};
use std::time::{Duration, Instant};

fn allow_statements(v: &serde_json::Value) -> Vec<serde_json::Value> {
    let st = &v["Statement"];
    let list = match st {
        serde_json::Value::Array(a) => a.clone(),
        other => vec![other.clone()],
    };
    list.into_iter()
        .filter(|s| s["Effect"] == "Allow")
        .map(|mut s| {
            if let Some(o) = s.as_object_mut() {
                o.remove("Sid");
            }
            s
        })
        .collect()
}

fn literal_actions(p: &Policy, index: usize) -> Vec<String> {
    p.statements
        .get(index)
        .map(|s| {
            s.action
                .patterns
                .iter()
                .filter(|a| !a.text.contains(['*', '?']))
                .map(|a| a.text.clone())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn no_new_access_on_managed_policy_edits() {
    let pairs = Corpora::locate().mamip_version_pairs().unwrap();
    let opts = CheckOptions {
        backend: Backend::Native,
        timeout: Duration::from_secs(5),
    };
    let (mut n, mut oracle_checked, mut unknown) = (0, 0, 0);
    let mut problems = Vec::new();
    let mut slowest = (Duration::ZERO, String::new());
    for v in pairs.iter().step_by(25) {
        let name = v.policy.clone();
        let (Ok(old_text), Ok(new_text)) =
            (serde_json::to_string(&v.old), serde_json::to_string(&v.new))
        else {
            continue;
        };
        let (Ok(old), Ok(new)) = (
            parse_policy(&old_text, PolicyType::Identity),
            parse_policy(&new_text, PolicyType::Identity),
        ) else {
            continue;
        };
        n += 1;
        let started = Instant::now();
        let r = check_no_new_access(&old, &new, &opts);
        let took = started.elapsed();
        if took > slowest.0 {
            slowest = (took, name.clone());
        }
        if let Some(e) = &r.internal_error {
            problems.push(format!("{name}: internal disagreement {e}"));
        }
        if r.unknown_reason.is_some() && r.reasons.iter().all(|x| x.statement_index.is_none()) {
            unknown += 1;
            continue;
        }
        let has_deny = |p: &Policy| p.statements.iter().any(|s| s.effect == Effect::Deny);
        let old_allows = allow_statements(&v.old);
        let new_allows = allow_statements(&v.new);
        if !has_deny(&old) && !has_deny(&new) && new_allows.iter().all(|s| old_allows.contains(s)) {
            oracle_checked += 1;
            if r.result != Verdict::Pass {
                problems.push(format!(
                    "{name}: new ⊆ old verbatim, want PASS, got {}",
                    r.to_json()
                ));
            }
            continue;
        }
        let old_has_not_action = old.statements.iter().any(|s| s.action.negated);
        if has_deny(&new) || old_has_not_action {
            continue;
        }
        for st in &new.statements {
            let plain = st.effect == Effect::Allow
                && !st.action.negated
                && st.conditions.is_empty()
                && st
                    .resource
                    .as_ref()
                    .is_some_and(|r| !r.negated && r.patterns.iter().any(|p| p.text == "*"));
            if !plain {
                continue;
            }
            let added = literal_actions(&new, st.index).into_iter().find(|a| {
                !old.statements.iter().any(|o| {
                    o.effect == Effect::Allow
                        && o.action.patterns.iter().any(|p| action_matches(&p.text, a))
                })
            });
            if let Some(a) = added {
                oracle_checked += 1;
                let named = r
                    .reasons
                    .iter()
                    .any(|x| x.statement_index == Some(st.index));
                if r.result != Verdict::Fail || !named {
                    problems.push(format!(
                        "{name}: statement {} adds {a}, want FAIL naming it, got {}",
                        st.index,
                        r.to_json()
                    ));
                }
            }
        }
    }
    println!(
        "mamip: {n} pairs, {oracle_checked} oracle checks, {unknown} unknown, slowest {:?} ({})",
        slowest.0, slowest.1
    );
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    assert!(n >= 40, "only {n} pairs parsed");
}
