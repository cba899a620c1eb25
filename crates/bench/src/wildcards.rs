//! Wildcard expansion agreement with iam-dataset-managed-policies: for every managed policy, the
//! catalogue actions (AWS service reference, iam-data) our engine says its Allow statements can
//! reach must equal the dataset's `effective_actions`, compared on actions both catalogues know.
//!
//! Semantics (the dataset's SOURCE.txt): the union over `Allow` statements of catalogue actions
//! matched by an `Action` pattern, or matched by no `NotAction` pattern; `Deny`, `Resource` and
//! `Condition` are ignored. Matching is `iamproof_eval::matching::action_matches` on the parsed
//! model (`iamproof_policy`), one catalogue action at a time, with patterns indexed by service
//! prefix.

use iamproof_corpora::{guess_policy_type, parse_document, Corpora, CorpusError};
use iamproof_eval::matching::action_matches;
use iamproof_policy::{Effect, Policy};
use std::collections::{BTreeMap, BTreeSet};

/// One policy's difference (action names lower-cased).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpansionDiff {
    /// The policy name.
    pub policy: String,
    /// Actions we say are granted that the dataset does not list.
    pub only_ours: Vec<String>,
    /// Actions the dataset lists that we say are not granted.
    pub only_theirs: Vec<String>,
}

/// The agreement over all policies.
#[derive(Debug, Clone, Default)]
pub struct ExpansionReport {
    /// Policies compared.
    pub total: usize,
    /// Policies whose sets are equal.
    pub equal: usize,
    /// Actions compared in all (sum over policies of the union of both sets).
    pub actions_compared: usize,
    /// Actions in our catalogue.
    pub our_catalogue: usize,
    /// Distinct actions in the dataset's `effective_actions` (a lower bound of its catalogue).
    pub their_catalogue: usize,
    /// Actions in both.
    pub common_catalogue: usize,
    /// The differing policies.
    pub diffs: Vec<ExpansionDiff>,
    /// Policies not compared: (name, why).
    pub skipped: Vec<(String, String)>,
}

/// The catalogue actions `policy`'s Allow statements reach (lower-cased `service:action`).
pub fn granted_actions(
    policy: &Policy,
    by_service: &BTreeMap<String, Vec<String>>,
) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for st in &policy.statements {
        if st.effect != Effect::Allow {
            continue;
        }
        let pats: Vec<&str> = st.action.patterns.iter().map(|p| p.text.as_str()).collect();
        if !st.action.negated {
            for p in &pats {
                if *p == "*" {
                    out.extend(by_service.values().flatten().cloned());
                    continue;
                }
                let Some((svc, _)) = p.split_once(':') else {
                    continue;
                };
                if let Some(actions) = by_service.get(&svc.to_lowercase()) {
                    out.extend(actions.iter().filter(|a| action_matches(p, a)).cloned());
                }
            }
        } else {
            for (svc, actions) in by_service {
                let relevant: Vec<&str> = pats
                    .iter()
                    .copied()
                    .filter(|p| {
                        *p == "*"
                            || p.split_once(':')
                                .is_some_and(|(s, _)| s.eq_ignore_ascii_case(svc))
                    })
                    .collect();
                out.extend(
                    actions
                        .iter()
                        .filter(|a| !relevant.iter().any(|p| action_matches(p, a)))
                        .cloned(),
                );
            }
        }
    }
    out
}

/// Runs the comparison over every managed policy of the dataset.
pub fn expansion_report(corpora: &Corpora) -> Result<ExpansionReport, CorpusError> {
    let by_service = corpora.actions_by_service()?;
    let ours_universe: BTreeSet<String> = by_service.values().flatten().cloned().collect();
    let policies = corpora.managed_policies()?;
    let theirs_universe: BTreeSet<String> = policies
        .iter()
        .flat_map(|p| p.effective_actions.iter().map(|a| a.to_lowercase()))
        .collect();
    let mut rep = ExpansionReport {
        our_catalogue: ours_universe.len(),
        their_catalogue: theirs_universe.len(),
        common_catalogue: ours_universe.intersection(&theirs_universe).count(),
        ..ExpansionReport::default()
    };
    for p in &policies {
        let policy = match parse_document(&p.document, guess_policy_type(&p.document)) {
            Ok(x) => x,
            Err(e) => {
                rep.skipped
                    .push((p.name.clone(), format!("parse error: {e}")));
                continue;
            }
        };
        rep.total += 1;
        let ours: BTreeSet<String> = granted_actions(&policy, &by_service)
            .into_iter()
            .filter(|a| theirs_universe.contains(a))
            .collect();
        let theirs: BTreeSet<String> = p
            .effective_actions
            .iter()
            .map(|a| a.to_lowercase())
            .filter(|a| ours_universe.contains(a))
            .collect();
        rep.actions_compared += ours.union(&theirs).count();
        if ours == theirs {
            rep.equal += 1;
        } else {
            rep.diffs.push(ExpansionDiff {
                policy: p.name.clone(),
                only_ours: ours.difference(&theirs).cloned().collect(),
                only_theirs: theirs.difference(&ours).cloned().collect(),
            });
        }
    }
    Ok(rep)
}
