//! `validate`: every policy of a template through `ValidatePolicy`, plus the public-access check
//! of each resource policy whose resource type Access Analyzer knows, plus the external-access
//! check when the trusted principals are given.

use crate::error::ScanError;
use crate::finding::{
    check_findings, not_analysable_finding, unknowns_finding, unreadable_policy_finding,
    validation_finding,
};
use crate::options::ScanOptions;
use crate::parallel;
use crate::prepared::Prepared;
use crate::source::Sources;
use iamproof_checks::{check_no_external_access, check_no_public_access, ResourceType, TrustZone};
use iamproof_policy::{validate, ValidateOptions};
use iamproof_report::{Finding, FindingCode, FindingType};
use iamproof_templates::{Approximation, ExtractedPolicy, Extraction, PolicyType};

/// What `validate` runs besides `ValidatePolicy`.
#[derive(Debug, Clone, Default)]
pub struct ValidateConfig {
    /// The accounts and organizations outside of which no resource policy may grant access
    /// (`--allow-external-principals` and the template's own account); `None`: no external-access
    /// check.
    pub external: Option<TrustZone>,
    /// Add iamproof's own `IAMPROOF_…` validation findings.
    pub iamproof_checks: bool,
}

/// Reads `--allow-external-principals`: a comma-separated list of account ids and account root
/// ARNs (`arn:aws:iam::111122223333:root`), or `*` (every principal is allowed: no external
/// check). The template's own account is always trusted.
///
/// The external-access check trusts whole accounts: an ARN of a role or user is rejected rather
/// than widened to its account, which would let the check PASS a policy granting the rest of
/// that account.
pub fn parse_allowed_external_principals(
    list: &str,
    own_account: &str,
) -> Result<Option<TrustZone>, ScanError> {
    let mut accounts = vec![own_account.to_string()];
    for (n, item) in list.split(',').map(str::trim).enumerate() {
        if item == "*" {
            return Ok(None);
        }
        if item.is_empty() {
            return Err(ScanError::Option(format!(
                "--allow-external-principals: item {} is empty",
                n + 1
            )));
        }
        let account = match item.strip_prefix("arn:") {
            None => item,
            Some(rest) => {
                let parts: Vec<&str> = rest.split(':').collect();
                match parts.as_slice() {
                    [_, "iam", "", account, "root"] => *account,
                    _ => {
                        return Err(ScanError::Option(format!(
                            "--allow-external-principals: {item:?}: iamproof trusts whole accounts; give the account id (or its root ARN arn:aws:iam::ACCOUNT:root)"
                        )))
                    }
                }
            }
        };
        accounts.push(account.to_string());
    }
    accounts.sort();
    accounts.dedup();
    TrustZone::new(accounts, Vec::new())
        .map(Some)
        .map_err(|e| ScanError::Option(format!("--allow-external-principals: {e}")))
}

/// The Access Analyzer resource type of a resource policy (`None` for other policies and for
/// resource types the custom checks do not know).
pub fn check_resource_type(policy: &ExtractedPolicy) -> Option<ResourceType> {
    match &policy.policy_type {
        PolicyType::ResourcePolicy {
            resource_type: Some(t),
        } => ResourceType::from_aws_name(t),
        _ => None,
    }
}

/// Runs `validate` over an extraction (policies in parallel); the findings in policy order, then
/// one blocking finding per resource whose policy could not be built.
pub fn validate_extraction(
    extraction: &Extraction,
    config: &ValidateConfig,
    opts: &ScanOptions,
    sources: &Sources,
) -> Vec<Finding> {
    let per_policy = parallel::map(&extraction.policies, opts, "validate", |p| {
        validate_policy(p, config, opts, sources)
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

/// The findings of one policy: its unknown values (a note), `ValidatePolicy`'s findings, and the
/// failed public- and external-access checks.
pub fn validate_policy(
    policy: &ExtractedPolicy,
    config: &ValidateConfig,
    opts: &ScanOptions,
    sources: &Sources,
) -> Vec<Finding> {
    let prepared = Prepared::new(policy, Approximation::Over);
    let mut out: Vec<Finding> = unknowns_finding(&prepared).into_iter().collect();
    let validate_resource_type = match &policy.policy_type {
        PolicyType::ResourcePolicy {
            resource_type: Some(t),
        } => iamproof_policy::ResourceType::parse(t),
        _ => None,
    };
    let options = ValidateOptions {
        resource_type: validate_resource_type,
        iamproof_checks: config.iamproof_checks,
        ..ValidateOptions::new(prepared.policy_type())
    };
    out.extend(
        validate(&prepared.text, &options)
            .iter()
            .map(|vf| validation_finding(vf, &prepared, sources)),
    );
    let parsed = match prepared.parse() {
        Ok(p) => p,
        Err(e) => {
            // ValidatePolicy reports a document that does not parse as an ERROR; should it not,
            // the policy still must not pass unnoticed.
            if !out.iter().any(|f| f.finding_type == FindingType::Error) {
                out.push(unreadable_policy_finding(&prepared, &e.to_string()));
            }
            return out;
        }
    };
    if let Some(rt) = check_resource_type(policy) {
        let r = check_no_public_access(&parsed, rt, &opts.check);
        out.extend(check_findings(
            &r,
            FindingCode::CheckNoPublicAccess,
            &prepared,
            sources,
            None,
        ));
        if let Some(zone) = &config.external {
            let r = check_no_external_access(&parsed, rt, zone, &opts.check);
            out.extend(check_findings(
                &r,
                FindingCode::CheckNoExternalAccess,
                &prepared,
                sources,
                None,
            ));
        }
    }
    out
}
