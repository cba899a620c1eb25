//! `--findings all` on real edits of AWS managed policies (shared/corpora/mamip, read at run
//! time, never copied), in both directions: on every FAIL of check-no-new-access the findings
//! are complete; where every statement of both versions is unconditional on `Resource: "*"`,
//! the union of the findings' concrete actions is exactly the actions of the service reference
//! the new version allows and the old one does not.
//!
//! The test samples the pairs (every 10th) by default; `IAMPROOF_FINDINGS_FULL=1` runs all of
//! them and prints the numbers BENCHMARKS.md quotes, timing every findings run twice: on the
//! engine's incremental session and on a fresh instance per question (the same engine without
//! its session), in the same run.

use iamproof_checks::{
    check_no_new_access, new_access_findings, Backend, CheckOptions, Engine, FindingsOptions,
    ServiceReference, SolveAnswer, SolverEngine, Verdict,
};
use iamproof_logic::Formula;

/// The solver engine without its incremental session: every question of a findings run is
/// asked of a fresh instance (`Engine::session`'s default).
struct Fresh<'a>(&'a SolverEngine);

impl Engine for Fresh<'_> {
    fn name(&self) -> String {
        self.0.name()
    }
    fn solve(&self, formula: &Formula) -> SolveAnswer {
        self.0.solve(formula)
    }
    fn time_limit(&self) -> Option<Duration> {
        self.0.time_limit()
    }
    fn solve_within(&self, formula: &Formula, limit: Duration) -> SolveAnswer {
        self.0.solve_within(formula, limit)
    }
}
use iamproof_corpora::Corpora;
use iamproof_policy::{parse_policy, Effect, Policy, PolicyType};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// The reference actions a policy allows, when every statement is unconditional on `*`
/// resources (and principals do not matter: identity policies); `None` otherwise.
fn expand(p: &Policy, reference: &ServiceReference) -> Option<BTreeSet<String>> {
    let mut allowed = BTreeSet::new();
    let mut denied = BTreeSet::new();
    for st in &p.statements {
        let plain = st.conditions.is_empty()
            && st.principal.is_none()
            && st
                .resource
                .as_ref()
                .is_some_and(|r| !r.negated && r.patterns.iter().all(|x| x.text == "*"));
        if !plain {
            return None;
        }
        let patterns: Vec<String> = st.action.patterns.iter().map(|a| a.text.clone()).collect();
        let set = reference.expand(&patterns, st.action.negated);
        match st.effect {
            Effect::Allow => allowed.extend(set),
            Effect::Deny => denied.extend(set),
        }
    }
    Some(allowed.difference(&denied).cloned().collect())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[test]
fn findings_on_managed_policy_edits() {
    let corpora = Corpora::locate();
    let pairs = corpora.mamip_version_pairs().unwrap();
    let reference = ServiceReference::load(&corpora.path("iam-data")).unwrap();
    let full = std::env::var("IAMPROOF_FINDINGS_FULL").is_ok_and(|v| v == "1");
    let step = if full { 1 } else { 10 };
    let options = CheckOptions {
        backend: Backend::Native,
        timeout: Duration::from_secs(10),
    };
    let engine = SolverEngine {
        options: options.clone(),
    };
    let opts = FindingsOptions {
        service_reference: Some(&reference),
        max_action_questions: 0,
    };
    let (mut questions, mut fails, mut oracle, mut truncated) = (0, 0, 0, 0);
    let mut times: Vec<Duration> = Vec::new();
    let mut fresh_times: Vec<Duration> = Vec::new();
    let mut counts: Vec<usize> = Vec::new();
    let mut problems = Vec::new();
    for v in pairs.iter().step_by(step) {
        let (Ok(a_text), Ok(b_text)) =
            (serde_json::to_string(&v.old), serde_json::to_string(&v.new))
        else {
            continue;
        };
        let (Ok(a), Ok(b)) = (
            parse_policy(&a_text, PolicyType::Identity),
            parse_policy(&b_text, PolicyType::Identity),
        ) else {
            continue;
        };
        for (dir, old, new) in [("old→new", &a, &b), ("new→old", &b, &a)] {
            questions += 1;
            let r = check_no_new_access(old, new, &options);
            if r.result != Verdict::Fail {
                continue;
            }
            fails += 1;
            let started = Instant::now();
            let f = new_access_findings(old, new, &engine, &opts);
            let took = started.elapsed();
            times.push(took);
            if full {
                let started = Instant::now();
                let g = new_access_findings(old, new, &Fresh(&engine), &opts);
                fresh_times.push(started.elapsed());
                if g.complete != f.complete || g.findings.len() != f.findings.len() {
                    problems.push(format!(
                        "{} {}: the fresh engine gave {} finding(s) (complete {}), the session {} ({})",
                        v.policy,
                        v.new_version,
                        g.findings.len(),
                        g.complete,
                        f.findings.len(),
                        f.complete
                    ));
                }
            }
            counts.push(f.findings.len());
            let name = format!("{} {} {dir}", v.policy, v.new_version);
            if full {
                println!(
                    "{name}: {} finding(s), {:.3} s",
                    f.findings.len(),
                    took.as_secs_f64()
                );
            }
            if !f.complete {
                problems.push(format!("{name}: not complete: {:?}", f.incomplete_reason));
                continue;
            }
            if r.unknown_reason.is_none() && f.findings.is_empty() {
                problems.push(format!("{name}: the check FAILs but there is no finding"));
            }
            for x in &f.findings {
                if !iamproof_eval::evaluate_policy(new, &x.example_request).allows()
                    || iamproof_eval::evaluate_policy(old, &x.example_request).allows()
                {
                    problems.push(format!("{name}: an example does not replay as new access"));
                }
            }
            if f.findings.iter().any(|x| x.concrete_actions_truncated) {
                truncated += 1;
                continue;
            }
            if let (Some(e_new), Some(e_old)) = (expand(new, &reference), expand(old, &reference)) {
                oracle += 1;
                let want: BTreeSet<String> = e_new.difference(&e_old).cloned().collect();
                let got: BTreeSet<String> = f
                    .findings
                    .iter()
                    .flat_map(|x| x.concrete_actions.clone().unwrap_or_default())
                    .collect();
                if want != got {
                    let missing: Vec<&String> = want.difference(&got).take(5).collect();
                    let extra: Vec<&String> = got.difference(&want).take(5).collect();
                    problems.push(format!(
                        "{name}: concrete actions differ from the reference difference: missing {missing:?}, extra {extra:?}"
                    ));
                }
            }
        }
    }
    times.sort();
    fresh_times.sort();
    if full {
        let sum = |t: &[Duration]| t.iter().sum::<Duration>();
        println!(
            "per FAIL, incremental session: p50 {:?} p99 {:?} total {:?}; fresh instance per question: p50 {:?} p99 {:?} total {:?}",
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            sum(&times),
            percentile(&fresh_times, 0.5),
            percentile(&fresh_times, 0.99),
            sum(&fresh_times),
        );
    }
    let total: usize = counts.iter().sum();
    println!(
        "mamip findings: {} questions, {fails} FAIL, {total} findings (max {}), {oracle} action-set oracle checks, {truncated} with truncated concrete actions; time per FAIL p50 {:?} p99 {:?} max {:?}",
        questions,
        counts.iter().max().copied().unwrap_or(0),
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times.last().copied().unwrap_or_default(),
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(fails >= 20, "only {fails} FAILs");
    assert!(oracle >= 10, "only {oracle} oracle checks");
}
