//! The custom checks over every policy of a template: no new access against a reference policy,
//! access not granted, no public access.

use crate::error::ScanError;
use crate::finding::{
    check_findings, not_analysable_finding, unknowns_finding, unreadable_policy_finding,
};
use crate::options::ScanOptions;
use crate::parallel;
use crate::prepared::Prepared;
use crate::source::Sources;
use crate::validate::check_resource_type;
use iamproof_checks::{
    check_access_not_granted, check_no_new_access, check_no_public_access, AccessSpec,
};
use iamproof_policy::{parse_policy, Policy};
use iamproof_report::{Finding, FindingCode};
use iamproof_templates::{Approximation, ExtractedPolicy, Extraction, PolicyType};

/// A reference policy of `check-no-new-access --reference-policy`, and the type of the template's
/// policies it is compared with (`--reference-policy-type identity|resource`).
#[derive(Debug, Clone)]
pub struct ReferencePolicy {
    /// The reference policy, parsed as its type.
    pub policy: Policy,
}

impl ReferencePolicy {
    /// Parses a reference policy. `name` names it in errors (its path).
    pub fn parse(
        name: &str,
        text: &str,
        policy_type: iamproof_policy::PolicyType,
    ) -> Result<Self, ScanError> {
        parse_policy(text, policy_type)
            .map(|policy| ReferencePolicy { policy })
            .map_err(|e| ScanError::Policy(format!("{name}:{e}")))
    }

    fn applies_to(&self, policy: &ExtractedPolicy) -> bool {
        policy.policy_type.to_policy_type() == self.policy.policy_type
    }
}

/// A custom check to run on every policy of a template.
#[derive(Debug, Clone)]
pub enum TemplateCheck {
    /// `CheckNoNewAccess` of each policy of the reference's type against the reference.
    NoNewAccess(ReferencePolicy),
    /// `CheckAccessNotGranted` of each identity and resource policy.
    AccessNotGranted(AccessSpec),
    /// `CheckNoPublicAccess` of each resource policy whose resource type Access Analyzer knows.
    NoPublicAccess,
}

impl TemplateCheck {
    /// The command-line name, for the progress bar.
    pub fn name(&self) -> &'static str {
        match self {
            TemplateCheck::NoNewAccess(_) => "check-no-new-access",
            TemplateCheck::AccessNotGranted(_) => "check-access-not-granted",
            TemplateCheck::NoPublicAccess => "check-no-public-access",
        }
    }

    fn applies_to(&self, policy: &ExtractedPolicy) -> bool {
        match self {
            TemplateCheck::NoNewAccess(reference) => reference.applies_to(policy),
            TemplateCheck::AccessNotGranted(_) => matches!(
                policy.policy_type,
                PolicyType::IdentityPolicy | PolicyType::ResourcePolicy { .. }
            ),
            TemplateCheck::NoPublicAccess => check_resource_type(policy).is_some(),
        }
    }
}

/// Runs a check over the policies of an extraction it applies to (in parallel); the findings in
/// policy order, then one blocking finding per resource whose policy could not be built.
pub fn check_extraction(
    extraction: &Extraction,
    check: &TemplateCheck,
    opts: &ScanOptions,
    sources: &Sources,
) -> Vec<Finding> {
    let policies: Vec<&ExtractedPolicy> = extraction
        .policies
        .iter()
        .filter(|p| check.applies_to(p))
        .collect();
    let per_policy = parallel::map(&policies, opts, check.name(), |p| {
        check_policy(p, check, opts, sources)
    });
    let mut out: Vec<Finding> = per_policy.into_iter().flatten().collect();
    out.extend(
        extraction
            .not_analysable
            .iter()
            .map(|n| not_analysable_finding(n, sources)),
    );
    out
}

/// The findings of one check on one policy: its unknown values (a note), and the check's FAIL.
pub fn check_policy(
    policy: &ExtractedPolicy,
    check: &TemplateCheck,
    opts: &ScanOptions,
    sources: &Sources,
) -> Vec<Finding> {
    let prepared = Prepared::new(policy, Approximation::Over);
    let mut out: Vec<Finding> = unknowns_finding(&prepared).into_iter().collect();
    let parsed = match prepared.parse() {
        Ok(p) => p,
        Err(e) => {
            out.push(unreadable_policy_finding(&prepared, &e.to_string()));
            return out;
        }
    };
    let (result, code) = match check {
        TemplateCheck::NoNewAccess(reference) => (
            check_no_new_access(&reference.policy, &parsed, &opts.check),
            FindingCode::CheckNoNewAccess,
        ),
        TemplateCheck::AccessNotGranted(access) => (
            check_access_not_granted(&parsed, access, &opts.check),
            FindingCode::CheckAccessNotGranted,
        ),
        TemplateCheck::NoPublicAccess => match check_resource_type(policy) {
            Some(rt) => (
                check_no_public_access(&parsed, rt, &opts.check),
                FindingCode::CheckNoPublicAccess,
            ),
            None => return out,
        },
    };
    out.extend(check_findings(&result, code, &prepared, sources, None));
    out
}
