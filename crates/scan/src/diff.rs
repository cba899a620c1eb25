//! The pull-request gate: does the head version of a template grant access its base version
//! does not?
//!
//! Policies are matched by where they are: the resource (a CloudFormation logical id, a Terraform
//! address), the policy's name within it, and, for policies with the same resource and name, their
//! order; for a CDK assembly also the stack template's path inside the assembly. A head policy
//! left unmatched is matched with an unmatched base policy whose document is the same (a renamed
//! resource); otherwise it is *added*. Then:
//!
//! - a matched pair whose documents are the same (the same text and the same unknown
//!   expressions) needs no check;
//! - otherwise `CheckNoNewAccess` of the head document over-approximated
//!   ([`Approximation::Over`]) against the base document under-approximated
//!   ([`Approximation::Under`]): a PASS proves the head allows nothing the base does not,
//!   whatever the unknown values;
//! - an added policy is new access as a whole: it is checked against a policy that allows nothing
//!   (FAIL when it allows anything), unless added policies are accepted ([`DiffOptions`]). A head
//!   policy whose base version could not be built is checked that way even then;
//! - a removed policy is a non-blocking `iamproof-PolicyRemoved` finding;
//! - a head resource whose policy cannot be built is a blocking `iamproof-PolicyNotAnalysable`.

use crate::finding::{
    check_findings, document_location, not_analysable_finding, unknowns_finding,
    unreadable_policy_finding,
};
use crate::options::ScanOptions;
use crate::parallel;
use crate::prepared::Prepared;
use crate::source::Sources;
use iamproof_checks::check_no_new_access;
use iamproof_policy::{parse_policy, Policy};
use iamproof_report::{Finding, FindingCode, FindingType, Position, SourceLocation};
use iamproof_templates::{Approximation, ExtractedPolicy, Extraction, Format};
use serde_json::json;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// The code of the finding about a policy the head version no longer has.
pub const POLICY_REMOVED: &str = "iamproof-PolicyRemoved";

/// How to compare base and head.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// Accept policies the head adds (`--allow-added`): they are not checked.
    pub allow_added: bool,
    /// The path the base was read from (a CDK assembly's stack files are named relative to it).
    pub base_root: String,
    /// The path the head was read from.
    pub head_root: String,
    /// The git revision the base was read from, when it was (`--base-ref`): its policies' files
    /// are then named by the head's path, but their lines are the revision's.
    pub base_revision: Option<String>,
}

/// Where a policy is, independent of the file the version was read from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Key {
    /// The stack template inside a CDK assembly (empty for other formats).
    scope: String,
    resource: String,
    policy_name: String,
    /// The how-manieth policy with this scope, resource and name.
    occurrence: usize,
}

fn scope(policy_file: &str, format: Format, root: &str) -> String {
    if format != Format::Cdk {
        return String::new();
    }
    Path::new(policy_file)
        .strip_prefix(root)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|_| policy_file.to_string())
}

fn keys<'a>(extraction: &'a Extraction, root: &str) -> Vec<(Key, &'a ExtractedPolicy)> {
    let mut seen: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    extraction
        .policies
        .iter()
        .map(|p| {
            let scope = scope(&p.file, p.format, root);
            let n = seen
                .entry((scope.clone(), p.resource.clone(), p.policy_name.clone()))
                .or_insert(0);
            let key = Key {
                scope,
                resource: p.resource.clone(),
                policy_name: p.policy_name.clone(),
                occurrence: *n,
            };
            *n += 1;
            (key, p)
        })
        .collect()
}

/// What to do with one head policy.
enum Task<'a> {
    /// Check head against base.
    Changed {
        head: &'a ExtractedPolicy,
        base: &'a ExtractedPolicy,
    },
    /// Check head against a policy that allows nothing.
    Added { head: &'a ExtractedPolicy },
}

/// Compares the head extraction with the base one; the findings in head order, then the removed
/// policies, then the head's unanalysable resources.
pub fn diff_extractions(
    base: &Extraction,
    head: &Extraction,
    diff: &DiffOptions,
    opts: &ScanOptions,
    sources: &Sources,
) -> Vec<Finding> {
    let base_keys = keys(base, &diff.base_root);
    let head_keys = keys(head, &diff.head_root);
    let base_by_key: BTreeMap<&Key, &ExtractedPolicy> =
        base_keys.iter().map(|(k, p)| (k, *p)).collect();
    let unreadable_in_base: HashSet<(String, String)> = base
        .not_analysable
        .iter()
        .map(|n| (n.resource.clone(), n.policy_name.clone()))
        .collect();

    let mut matched_base: HashSet<&Key> = HashSet::new();
    let mut pairs: Vec<(&ExtractedPolicy, Option<&ExtractedPolicy>)> = Vec::new();
    for (k, h) in &head_keys {
        match base_by_key.get(k) {
            Some(b) => {
                matched_base.insert(k);
                pairs.push((h, Some(b)));
            }
            None => pairs.push((h, None)),
        }
    }
    // Renamed resources: an unmatched head policy whose document is an unmatched base one's.
    let unmatched_base: Vec<(&Key, Prepared<'_>)> = base_keys
        .iter()
        .filter(|(k, _)| !matched_base.contains(k))
        .map(|(k, b)| (k, Prepared::new(b, Approximation::Over)))
        .collect();
    if !unmatched_base.is_empty() {
        for pair in pairs.iter_mut().filter(|(_, b)| b.is_none()) {
            let head_over = Prepared::new(pair.0, Approximation::Over);
            let found = unmatched_base
                .iter()
                .find(|(k, b)| !matched_base.contains(k) && head_over.same_document(b));
            if let Some((k, b)) = found {
                matched_base.insert(k);
                pair.1 = Some(b.policy);
            }
        }
    }

    let mut tasks: Vec<Task<'_>> = Vec::new();
    for (head, base) in pairs {
        match base {
            Some(base) if base.policy_type == head.policy_type => {
                let same = Prepared::new(head, Approximation::Over)
                    .same_document(&Prepared::new(base, Approximation::Over));
                if !same {
                    tasks.push(Task::Changed { head, base });
                }
            }
            _ => {
                let unreadable_before =
                    unreadable_in_base.contains(&(head.resource.clone(), head.policy_name.clone()));
                if !diff.allow_added || unreadable_before {
                    tasks.push(Task::Added { head });
                }
            }
        }
    }

    let per_task = parallel::map(&tasks, opts, "check-no-new-access", |t| {
        run_task(t, opts, sources)
    });
    let mut out: Vec<Finding> = per_task.into_iter().flatten().collect();
    for (k, b) in &base_keys {
        if !matched_base.contains(k) {
            out.push(removed_finding(b, diff.base_revision.as_deref()));
        }
    }
    out.extend(
        head.not_analysable
            .iter()
            .map(|n| not_analysable_finding(n, sources)),
    );
    out
}

/// A policy of the given type that allows nothing.
fn nothing(policy_type: iamproof_policy::PolicyType) -> Option<Policy> {
    let principal = matches!(
        policy_type,
        iamproof_policy::PolicyType::Resource | iamproof_policy::PolicyType::ResourceControl
    );
    let statement = if principal {
        json!({"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"})
    } else {
        json!({"Effect": "Deny", "Action": "*", "Resource": "*"})
    };
    let text = json!({"Version": "2012-10-17", "Statement": [statement]}).to_string();
    parse_policy(&text, policy_type).ok()
}

fn run_task(task: &Task<'_>, opts: &ScanOptions, sources: &Sources) -> Vec<Finding> {
    let head = match task {
        Task::Changed { head, .. } | Task::Added { head } => *head,
    };
    let prepared = Prepared::new(head, Approximation::Over);
    let mut out: Vec<Finding> = unknowns_finding(&prepared).into_iter().collect();
    let head_policy = match prepared.parse() {
        Ok(p) => p,
        Err(e) => {
            out.push(unreadable_policy_finding(&prepared, &e.to_string()));
            return out;
        }
    };
    let (reference, lead) = match task {
        Task::Changed { base, .. } => {
            let base = Prepared::new(base, Approximation::Under);
            match base.parse() {
                Ok(p) => (Some(p), None),
                // A base that does not parse allows nothing as far as the gate can prove.
                Err(_) => (
                    nothing(prepared.policy_type()),
                    Some("The base version of the policy could not be read, so the policy is compared with one that allows nothing."),
                ),
            }
        }
        Task::Added { .. } => (
            nothing(prepared.policy_type()),
            Some("The policy is new (compared with a policy that allows nothing)."),
        ),
    };
    let Some(reference) = reference else {
        out.push(unreadable_policy_finding(
            &prepared,
            "no reference policy of its type can be built",
        ));
        return out;
    };
    let result = check_no_new_access(&reference, &head_policy, &opts.check);
    out.extend(check_findings(
        &result,
        FindingCode::CheckNoNewAccess,
        &prepared,
        sources,
        lead,
    ));
    out
}

/// The note of a policy the head no longer has. It is located in the base file, or, for a base
/// read from git (whose lines are not the working tree's), at the start of the head file.
fn removed_finding(base: &ExtractedPolicy, revision: Option<&str>) -> Finding {
    let (at, location) = match revision {
        Some(rev) => {
            let line = base.location.map_or(1, |l| l.start.line);
            (
                format!("{rev}:{}, line {line}", base.file),
                SourceLocation::new(&base.file, Position::new(1, 1), Position::new(1, 1)),
            )
        }
        None => (base.origin(), document_location(base)),
    };
    Finding::new(
        FindingType::Suggestion,
        FindingCode::Validation(POLICY_REMOVED.into()),
        format!("The policy is in the base version ({at}) and not in the head version."),
        &base.resource,
        &base.policy_name,
    )
    .with_details(
        json!({"resourceType": base.resource_type, "policyType": base.policy_type.name()}),
    )
    .with_location(location)
}
