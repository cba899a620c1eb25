//! The benchmark workloads: each is a list of checks built from the corpora (or synthesized, for
//! the scaling series).

use crate::corpora::{
    doc_size, guess_policy_type, has_principal, parse_doc, read_json, read_jsonl, statements_of,
    CorpusError,
};
use iamproof_checks::{AccessSpec, ResourceType};
use iamproof_policy::{Policy, PolicyType};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

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
/// [`crate::corpora::doc_size`]).
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
pub fn mamip(corpora: &Path) -> Result<Workload, CorpusError> {
    let rows = read_jsonl(&corpora.join("mamip/version_pairs_recent.jsonl"))?;
    let mut w = Workload {
        name: "mamip".into(),
        description: "check-no-new-access over MAMIP's real old→new managed-policy versions (mamip/version_pairs_recent.jsonl), both directions".into(),
        ..Workload::default()
    };
    for row in &rows {
        let name = row.get("policy").and_then(Value::as_str).unwrap_or("?");
        let ov = row
            .get("old_version")
            .and_then(Value::as_str)
            .unwrap_or("?");
        let nv = row
            .get("new_version")
            .and_then(Value::as_str)
            .unwrap_or("?");
        let label = format!("{name} {ov}->{nv}");
        let (Some(old), Some(new)) = (row.get("old"), row.get("new")) else {
            w.skipped.push((label, "no old/new document".into()));
            continue;
        };
        let size = doc_size(old) + doc_size(new);
        let parsed = parse_doc(old, guess_policy_type(old))
            .and_then(|o| parse_doc(new, guess_policy_type(new)).map(|n| (o, n)));
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

/// A managed policy of iam-dataset: name, document, size.
#[derive(Debug, Clone)]
pub struct ManagedPolicy {
    /// The policy name (last part of its ARN).
    pub name: String,
    /// The document.
    pub document: Value,
    /// [`doc_size`] of the document.
    pub size: usize,
    /// The dataset's `effective_actions`.
    pub effective_actions: Vec<String>,
}

/// Reads iam-dataset-managed-policies/managed_policies.jsonl.
pub fn managed_policies(corpora: &Path) -> Result<Vec<ManagedPolicy>, CorpusError> {
    let rows = read_jsonl(&corpora.join("iam-dataset-managed-policies/managed_policies.jsonl"))?;
    Ok(rows
        .into_iter()
        .map(|mut row| {
            let name = row
                .get("arn")
                .and_then(Value::as_str)
                .and_then(|a| a.rsplit('/').next())
                .or_else(|| row.get("name").and_then(Value::as_str))
                .unwrap_or("?")
                .to_string();
            let document = row.get_mut("document").map(Value::take).unwrap_or_default();
            let effective_actions = row
                .get("effective_actions")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            ManagedPolicy {
                name,
                size: doc_size(&document),
                document,
                effective_actions,
            }
        })
        .collect())
}

/// The managed policies always in workload 2.
pub const NAMED_LARGE: &[&str] = &["ReadOnlyAccess", "ViewOnlyAccess", "SecurityAudit"];

/// Workload 2: the `n` largest managed policies (plus [`NAMED_LARGE`]) against each other:
/// `check_no_new_access(existing = A, new = B)` for every ordered pair A ≠ B.
pub fn managed_pairs(corpora: &Path, n: usize) -> Result<Workload, CorpusError> {
    let mut all = managed_policies(corpora)?;
    all.sort_by(|a, b| b.size.cmp(&a.size).then(a.name.cmp(&b.name)));
    let mut chosen: Vec<ManagedPolicy> = all.iter().take(n).cloned().collect();
    for name in NAMED_LARGE {
        if !chosen.iter().any(|p| p.name == *name) {
            if let Some(p) = all.iter().find(|p| p.name == *name) {
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
    for p in &chosen {
        match parse_doc(&p.document, guess_policy_type(&p.document)) {
            Ok(pol) => parsed.push((p.name.clone(), p.size, pol)),
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
pub fn not_granted(corpora: &Path) -> Result<Workload, CorpusError> {
    let all = managed_policies(corpora)?;
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
        match parse_doc(&p.document, guess_policy_type(&p.document)) {
            Ok(pol) => {
                w.jobs.push(Job {
                    label: format!("{} vs sensitive", p.name),
                    size: p.size,
                    check: CheckJob::NotGranted {
                        policy: pol.clone(),
                        access: sensitive.clone(),
                    },
                });
                w.jobs.push(Job {
                    label: format!("{} vs *:*", p.name),
                    size: p.size,
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

/// Every JSON object with a `Statement` member inside `v` (documents nested in account dumps
/// included), depth-bounded.
fn collect_documents<'a>(v: &'a Value, depth: usize, out: &mut Vec<&'a Value>) {
    if depth > 32 {
        return;
    }
    match v {
        Value::Object(m) => {
            if m.contains_key("Statement") {
                out.push(v);
                return;
            }
            for x in m.values() {
                collect_documents(x, depth + 1, out);
            }
        }
        Value::Array(a) => {
            for x in a {
                collect_documents(x, depth + 1, out);
            }
        }
        _ => {}
    }
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    if depth > 16 {
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            json_files(&p, out, depth + 1);
        } else if matches!(
            p.extension().and_then(|s| s.to_str()),
            Some("json") | Some("jsonl")
        ) {
            out.push(p);
        }
    }
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

/// The corpus folders scanned for resource policies (the managed-policy corpora hold identity
/// policies only; iam-data holds no policies).
pub const RESOURCE_POLICY_SOURCES: &[&str] = &[
    "aws-iam-user-guide-example-policies",
    "iam-rs-tests",
    "cloudsplaining-examples",
    "quacky/samples",
    "iam-simulate-tests",
];

/// Workload 4: `check_no_public_access` over every resource policy (a document naming a
/// principal) found in [`RESOURCE_POLICY_SOURCES`], deduplicated, with the resource type of
/// [`guess_resource_type`].
pub fn public(corpora: &Path) -> Result<Workload, CorpusError> {
    let mut w = Workload {
        name: "public".into(),
        description: format!(
            "check-no-public-access over every distinct resource policy (a document naming a Principal) in {}",
            RESOURCE_POLICY_SOURCES.join(", ")
        ),
        ..Workload::default()
    };
    let mut seen = BTreeSet::new();
    for src in RESOURCE_POLICY_SOURCES {
        let root = corpora.join(src);
        if !root.is_dir() {
            return Err(CorpusError::Missing {
                path: root,
                source: std::io::Error::from(std::io::ErrorKind::NotFound),
            });
        }
        let mut files = Vec::new();
        json_files(&root, &mut files, 0);
        for f in files {
            let values = if f.extension().and_then(|s| s.to_str()) == Some("jsonl") {
                read_jsonl(&f).unwrap_or_default()
            } else {
                read_json(&f).map(|v| vec![v]).unwrap_or_default()
            };
            let rel = f.strip_prefix(corpora).unwrap_or(&f).display().to_string();
            for v in &values {
                let mut docs = Vec::new();
                collect_documents(v, 0, &mut docs);
                for (i, d) in docs.into_iter().enumerate() {
                    if !has_principal(d) {
                        continue;
                    }
                    let key = serde_json::to_string(d).unwrap_or_default();
                    if !seen.insert(key) {
                        continue;
                    }
                    let label = format!("{rel}#{i}");
                    match parse_doc(d, PolicyType::Resource) {
                        Ok(policy) => {
                            let resource_type = guess_resource_type(d);
                            w.jobs.push(Job {
                                label: format!("{label} as {}", resource_type.aws_name()),
                                size: doc_size(d),
                                check: CheckJob::Public {
                                    policy,
                                    resource_type,
                                },
                            });
                        }
                        Err(e) => w.skipped.push((label, format!("parse error: {e}"))),
                    }
                }
            }
        }
    }
    Ok(w)
}
