//! The benchmark workloads: each is a list of checks built from the corpora (or synthesized, for
//! the scaling series).

use iamproof_checks::{AccessSpec, ResourceType};
use iamproof_corpora::{
    doc_size, guess_policy_type, has_principal, parse_document, statements_of, Corpora,
    CorpusError, ManagedPolicy,
};
use iamproof_policy::{Policy, PolicyType};
use serde_json::Value;
use std::collections::BTreeSet;

/// One check to run.
#[derive(Debug, Clone)]
pub enum CheckJob {
    /// `check_no_new_access(existing, new)`.
    NoNewAccess {
        /// The existing (reference) policy.
        existing: Policy,
        /// The new policy.
        new: Policy,
    },
    /// `check_access_not_granted(policy, access)`.
    NotGranted {
        /// The policy under test.
        policy: Policy,
        /// The critical actions.
        access: AccessSpec,
    },
    /// `check_no_public_access(policy, resource_type)`.
    Public {
        /// The resource policy.
        policy: Policy,
        /// The resource type it is attached to.
        resource_type: ResourceType,
    },
}

/// A labelled check with the size of its input (patterns and values, see
/// [`iamproof_corpora::doc_size`]).
#[derive(Debug, Clone)]
pub struct Job {
    /// What it is (policy names, direction…).
    pub label: String,
    /// The input size (both policies for `NoNewAccess`).
    pub size: usize,
    /// The check.
    pub check: CheckJob,
}

/// A workload: its checks and the inputs left out (with why).
#[derive(Debug, Clone, Default)]
pub struct Workload {
    /// Short name (`mamip`, `managed-pairs`, …).
    pub name: String,
    /// One line saying what it runs.
    pub description: String,
    /// The checks.
    pub jobs: Vec<Job>,
    /// Inputs not turned into checks: (label, reason).
    pub skipped: Vec<(String, String)>,
}

/// Workload 1: `check-no-new-access` over MAMIP's real old→new managed-policy versions, both
/// directions (new vs old, then old vs new).
pub fn mamip(corpora: &Corpora) -> Result<Workload, CorpusError> {
    let rows = corpora.mamip_version_pairs()?;
    let mut w = Workload {
        name: "mamip".into(),
        description: "check-no-new-access over MAMIP's real old→new managed-policy versions (mamip/version_pairs_recent.jsonl), both directions".into(),
        ..Workload::default()
    };
    for row in &rows {
        let label = format!("{} {}->{}", row.policy, row.old_version, row.new_version);
        let (old, new) = (&row.old, &row.new);
        if old.is_null() || new.is_null() {
            w.skipped.push((label, "no old/new document".into()));
            continue;
        }
        let size = doc_size(old) + doc_size(new);
        let parsed = parse_document(old, guess_policy_type(old))
            .and_then(|o| parse_document(new, guess_policy_type(new)).map(|n| (o, n)));
        match parsed {
            Ok((o, n)) => {
                w.jobs.push(Job {
                    label: format!("{label} (new ⊆ old?)"),
                    size,
                    check: CheckJob::NoNewAccess {
                        existing: o.clone(),
                        new: n.clone(),
                    },
                });
                w.jobs.push(Job {
                    label: format!("{label} (old ⊆ new?)"),
                    size,
                    check: CheckJob::NoNewAccess {
                        existing: n,
                        new: o,
                    },
                });
            }
            Err(e) => w.skipped.push((label, format!("parse error: {e}"))),
        }
    }
    Ok(w)
}

/// The managed policies always in workload 2.
pub const NAMED_LARGE: &[&str] = &["ReadOnlyAccess", "ViewOnlyAccess", "SecurityAudit"];

/// Workload 2: the `n` largest managed policies (plus [`NAMED_LARGE`]) against each other:
/// `check_no_new_access(existing = A, new = B)` for every ordered pair A ≠ B.
pub fn managed_pairs(corpora: &Corpora, n: usize) -> Result<Workload, CorpusError> {
    let mut all: Vec<(usize, ManagedPolicy)> = corpora
        .managed_policies()?
        .into_iter()
        .map(|p| (doc_size(&p.document), p))
        .collect();
    all.sort_by(|(asz, a), (bsz, b)| bsz.cmp(asz).then(a.name.cmp(&b.name)));
    let mut chosen: Vec<(usize, ManagedPolicy)> = all.iter().take(n).cloned().collect();
    for name in NAMED_LARGE {
        if !chosen.iter().any(|(_, p)| p.name == *name) {
            if let Some(p) = all.iter().find(|(_, p)| p.name == *name) {
                chosen.push(p.clone());
            }
        }
    }
    let mut w = Workload {
        name: "managed-pairs".into(),
        description: format!(
            "check-no-new-access between the {} largest managed policies (iam-dataset) and {}, every ordered pair",
            n,
            NAMED_LARGE.join(", ")
        ),
        ..Workload::default()
    };
    let mut parsed = Vec::new();
    for (size, p) in &chosen {
        match parse_document(&p.document, guess_policy_type(&p.document)) {
            Ok(pol) => parsed.push((p.name.clone(), *size, pol)),
            Err(e) => w
                .skipped
                .push((p.name.clone(), format!("parse error: {e}"))),
        }
    }
    for (an, asz, a) in &parsed {
        for (bn, bsz, b) in &parsed {
            if an == bn {
                continue;
            }
            w.jobs.push(Job {
                label: format!("{bn} ⊆ {an}?"),
                size: asz + bsz,
                check: CheckJob::NoNewAccess {
                    existing: a.clone(),
                    new: b.clone(),
                },
            });
        }
    }
    Ok(w)
}

/// The sensitive actions of workload 3.
pub const SENSITIVE_ACTIONS: &[&str] = &[
    "iam:PassRole",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:AttachRolePolicy",
    "iam:AttachUserPolicy",
    "iam:PutRolePolicy",
    "iam:PutUserPolicy",
    "iam:CreatePolicyVersion",
    "iam:UpdateAssumeRolePolicy",
    "sts:AssumeRole",
    "s3:DeleteBucket",
    "s3:PutBucketPolicy",
    "s3:GetObject",
    "kms:Decrypt",
    "kms:ScheduleKeyDeletion",
    "secretsmanager:GetSecretValue",
    "ssm:GetParameter",
    "lambda:UpdateFunctionCode",
    "ec2:TerminateInstances",
    "organizations:LeaveOrganization",
    "cloudtrail:StopLogging",
];

/// Workload 3: `check_access_not_granted` of every managed policy against
/// [`SENSITIVE_ACTIONS`], and against `*:*` (every action), two checks per policy.
pub fn not_granted(corpora: &Corpora) -> Result<Workload, CorpusError> {
    let all = corpora.managed_policies()?;
    let sensitive = AccessSpec {
        actions: SENSITIVE_ACTIONS.iter().map(|s| s.to_string()).collect(),
        resources: Vec::new(),
    };
    let everything = AccessSpec {
        actions: vec!["*:*".to_string()],
        resources: Vec::new(),
    };
    let mut w = Workload {
        name: "not-granted".into(),
        description: format!(
            "check-access-not-granted of every managed policy (iam-dataset) against {} sensitive actions, and against `*:*`",
            SENSITIVE_ACTIONS.len()
        ),
        ..Workload::default()
    };
    for p in &all {
        let size = doc_size(&p.document);
        match parse_document(&p.document, guess_policy_type(&p.document)) {
            Ok(pol) => {
                w.jobs.push(Job {
                    label: format!("{} vs sensitive", p.name),
                    size,
                    check: CheckJob::NotGranted {
                        policy: pol.clone(),
                        access: sensitive.clone(),
                    },
                });
                w.jobs.push(Job {
                    label: format!("{} vs *:*", p.name),
                    size,
                    check: CheckJob::NotGranted {
                        policy: pol,
                        access: everything.clone(),
                    },
                });
            }
            Err(e) => w
                .skipped
                .push((p.name.clone(), format!("parse error: {e}"))),
        }
    }
    Ok(w)
}

/// The resource type a resource policy is checked as: role trust policies (any `sts:` action)
/// are `AWS::IAM::AssumeRolePolicyDocument`; otherwise the first type whose service prefix is
/// the prefix of one of its actions; `AWS::S3::Bucket` if none is.
pub fn guess_resource_type(doc: &Value) -> ResourceType {
    let mut actions = Vec::new();
    for s in statements_of(doc) {
        for k in ["Action", "NotAction"] {
            match s.get(k) {
                Some(Value::String(a)) => actions.push(a.to_lowercase()),
                Some(Value::Array(a)) => {
                    actions.extend(a.iter().filter_map(Value::as_str).map(|x| x.to_lowercase()))
                }
                _ => {}
            }
        }
    }
    if actions.iter().any(|a| a.starts_with("sts:")) {
        return ResourceType::IamAssumeRolePolicyDocument;
    }
    for a in &actions {
        if let Some((svc, _)) = a.split_once(':') {
            if let Some(t) = ResourceType::ALL
                .iter()
                .find(|t| t.action_prefixes().contains(&svc))
            {
                return *t;
            }
        }
    }
    ResourceType::S3Bucket
}

/// The corpora (as named by [`iamproof_corpora::CorpusPolicy::corpus`]) scanned for resource
/// policies, in this order (the managed-policy corpora hold identity policies only; iam-data holds
/// no policies).
pub const RESOURCE_POLICY_SOURCES: &[&str] = &[
    "user-guide",
    "iam-rs",
    "cloudsplaining",
    "quacky",
    "iam-simulate",
];

/// Workload 4: `check_no_public_access` over every resource policy (a document naming a
/// principal) of [`RESOURCE_POLICY_SOURCES`] ([`Corpora::all_policies`]), deduplicated, with the
/// resource type of [`guess_resource_type`]. Labels are the corpus policy names.
pub fn public(corpora: &Corpora) -> Result<Workload, CorpusError> {
    let mut w = Workload {
        name: "public".into(),
        description: format!(
            "check-no-public-access over every distinct resource policy (a document naming a Principal) in {}",
            RESOURCE_POLICY_SOURCES.join(", ")
        ),
        ..Workload::default()
    };
    let all = corpora.all_policies()?;
    let mut seen = BTreeSet::new();
    for src in RESOURCE_POLICY_SOURCES {
        for p in all.iter().filter(|p| p.corpus() == *src) {
            let Ok(d) = serde_json::from_str::<Value>(&p.text) else {
                continue;
            };
            if !has_principal(&d) || !seen.insert(d.to_string()) {
                continue;
            }
            match parse_document(&d, PolicyType::Resource) {
                Ok(policy) => {
                    let resource_type = guess_resource_type(&d);
                    w.jobs.push(Job {
                        label: format!("{} as {}", p.name, resource_type.aws_name()),
                        size: doc_size(&d),
                        check: CheckJob::Public {
                            policy,
                            resource_type,
                        },
                    });
                }
                Err(e) => w
                    .skipped
                    .push((p.name.clone(), format!("parse error: {e}"))),
            }
        }
    }
    Ok(w)
}
