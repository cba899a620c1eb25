//! The public and external-access checks on the resource policies of the AWS IAM User Guide
//! examples (shared/corpora/aws-iam-user-guide-example-policies, read at run time): every result
//! replays (no internal disagreement, every FAIL's example allowed by its statement), and the two
//! checks are consistent: trusting every account and organization the policy names leaves fewer
//! outsiders than the public zone, so external PASS implies public PASS.

use iamproof_checks::{
    check_no_external_access, check_no_public_access, Backend, CheckOptions, ResourceType,
    TrustZone, Verdict,
};
use iamproof_corpora::Corpora;
use iamproof_eval::evaluate_policy;
use iamproof_policy::{parse_policy, PolicyType};
use std::time::Duration;

fn resource_type_for(doc: &str) -> ResourceType {
    ResourceType::ALL
        .iter()
        .copied()
        .filter(|t| *t != ResourceType::S3Bucket)
        .find(|t| {
            t.action_prefixes()
                .iter()
                .any(|p| doc.contains(&format!("\"{p}:")))
        })
        .unwrap_or(ResourceType::S3Bucket)
}

fn tokens(doc: &str, f: impl Fn(&str) -> bool) -> Vec<String> {
    let mut out: Vec<String> = doc
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|t| f(t))
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn public_and_external_checks_on_doc_examples() {
    let examples = Corpora::locate().user_guide_examples().unwrap();
    let opts = CheckOptions {
        backend: Backend::Native,
        timeout: Duration::from_secs(10),
    };
    let (mut n, mut fails, mut unknown) = (0, 0, 0);
    let mut problems = Vec::new();
    for v in &examples {
        let doc = serde_json::to_string(&v.policy).unwrap_or_default();
        if !doc.contains("Principal\"") {
            continue;
        }
        let Ok(p) = parse_policy(&doc, PolicyType::Resource) else {
            continue;
        };
        n += 1;
        let t = resource_type_for(&doc);
        let accounts = tokens(&doc, |t| {
            t.len() == 12 && t.bytes().all(|b| b.is_ascii_digit())
        });
        let orgs = tokens(&doc, |t| {
            t.strip_prefix("o-").is_some_and(|r| {
                (10..=32).contains(&r.len())
                    && r.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            })
        });
        let trusted = TrustZone::new(accounts, orgs).expect("valid trust zone");
        let public = check_no_public_access(&p, t, &opts);
        let external = check_no_external_access(&p, t, &trusted, &opts);
        for r in [&public, &external] {
            if let Some(e) = &r.internal_error {
                problems.push(format!("{doc}: internal disagreement {e}"));
            }
            if r.unknown_reason.is_some() {
                unknown += 1;
            }
            for reason in &r.reasons {
                if let (Some(i), Some(w)) = (reason.statement_index, &reason.example_request) {
                    let ev = evaluate_policy(&p, w);
                    if !ev.allow.iter().any(|m| m.statement_index == i) || !ev.allows() {
                        problems.push(format!("{doc}: example of statement {i} does not replay"));
                    }
                }
            }
        }
        if public.result == Verdict::Fail {
            fails += 1;
        }
        if external.result == Verdict::Pass
            && public.result == Verdict::Fail
            && public.unknown_reason.is_none()
        {
            problems.push(format!(
                "{doc} ({t}): external PASS but public FAIL {}",
                public.to_json()
            ));
        }
    }
    println!("doc examples: {n} resource policies, {fails} public, {unknown} undecided results");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    assert!(n >= 40, "only {n} resource policies parsed");
}
