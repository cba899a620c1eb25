//! From the engine's answers to report findings: a check's result or a `ValidatePolicy` finding
//! about one policy of a template becomes [`Finding`]s that name the resource, the policy and the
//! statement, point at the statement in the source file, and carry the example request.

use crate::prepared::Prepared;
use crate::source::Sources;
use iamproof_checks::{CheckResult, RequestJson};
use iamproof_policy::{PathElem, ValidationFinding};
use iamproof_report::{Finding, FindingCode, FindingType, Position, SourceLocation};
use iamproof_templates::{ExtractedPolicy, Location, NotAnalysable};
use serde_json::{json, Value};

fn position(p: iamproof_templates::Position) -> Position {
    Position::new(p.line.max(1), p.column.max(1))
}

fn source_location(file: &str, location: Option<Location>) -> SourceLocation {
    match location {
        Some(l) => SourceLocation::new(file, position(l.start), position(l.end)),
        None => SourceLocation::new(file, Position::new(1, 1), Position::new(1, 1)),
    }
}

/// Where the whole document of a policy is (the file's start when not known).
pub fn document_location(policy: &ExtractedPolicy) -> SourceLocation {
    source_location(&policy.file, policy.location)
}

/// Where the statement at `index` of the prepared text is in the source file: the statement's
/// own range when known, else the document's.
pub fn statement_location(prepared: &Prepared<'_>, index: usize) -> SourceLocation {
    let policy = prepared.policy;
    let at = prepared
        .source_statement(index)
        .and_then(|i| policy.statement_locations.get(i).copied().flatten())
        .or(policy.location);
    source_location(&policy.file, at)
}

fn with_excerpt(finding: Finding, sources: &Sources) -> Finding {
    let excerpt = finding
        .location
        .as_ref()
        .and_then(|l| sources.excerpt(&l.path, l.start, l.end));
    match excerpt {
        Some(e) => finding.with_excerpt(e),
        None => finding,
    }
}

/// The findings of a check's result on one policy: none for a PASS; for a FAIL one per
/// statement the result names (at that statement, with its example request), or one at the
/// document when it names none (the check could not be completed). `lead` is put before each
/// message (e.g. to say the policy is new). `details` is the check's whole result JSON.
pub fn check_findings(
    result: &CheckResult,
    code: FindingCode,
    prepared: &Prepared<'_>,
    sources: &Sources,
    lead: Option<&str>,
) -> Vec<Finding> {
    if result.is_pass() {
        return Vec::new();
    }
    let policy = prepared.policy;
    let details = result.to_json_value();
    let lead = lead.map(|l| format!("{l} ")).unwrap_or_default();
    let mut out = Vec::new();
    for reason in &result.reasons {
        let Some(index) = reason.statement_index else {
            continue;
        };
        let mut f = Finding::new(
            FindingType::SecurityWarning,
            code.clone(),
            format!("{lead}{} {}", result.message, reason.description),
            &policy.resource,
            &policy.policy_name,
        )
        .with_physical_name(policy.physical_name.clone())
        .with_details(details.clone())
        .with_location(statement_location(prepared, index));
        if let Some(statement) = prepared.statement_json(index) {
            f = f.with_statement(index, reason.statement_id.clone(), statement.clone());
        }
        if let Some(request) = &reason.example_request {
            f = f.with_example_request(
                serde_json::to_value(RequestJson(request)).unwrap_or(Value::Null),
            );
        }
        out.push(with_excerpt(f, sources));
    }
    // No statement named, or the check stopped before deciding every statement: a finding at
    // the document says why (the statements found so far have their own).
    if out.is_empty() || result.unknown_reason.is_some() {
        let why = result
            .reasons
            .iter()
            .filter(|r| out.is_empty() || r.statement_index.is_none())
            .map(|r| r.description.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let f = Finding::new(
            FindingType::SecurityWarning,
            code,
            format!("{lead}{} {why}", result.message)
                .trim_end()
                .to_string(),
            &policy.resource,
            &policy.policy_name,
        )
        .with_physical_name(policy.physical_name.clone())
        .with_details(details)
        .with_location(document_location(policy));
        out.push(with_excerpt(f, sources));
    }
    out
}

fn finding_type(t: iamproof_policy::FindingType) -> FindingType {
    match t {
        iamproof_policy::FindingType::Error => FindingType::Error,
        iamproof_policy::FindingType::SecurityWarning => FindingType::SecurityWarning,
        iamproof_policy::FindingType::Warning => FindingType::Warning,
        iamproof_policy::FindingType::Suggestion => FindingType::Suggestion,
    }
}

/// A `ValidatePolicy` finding on one policy, at the statement its first location is in (the
/// document when it is in none). `details` is the finding in Access Analyzer's shape.
pub fn validation_finding(
    vf: &ValidationFinding,
    prepared: &Prepared<'_>,
    sources: &Sources,
) -> Finding {
    let policy = prepared.policy;
    let index = vf
        .locations
        .first()
        .and_then(|l| match l.path.0.as_slice() {
            [PathElem::Key(k), PathElem::Index(i), ..] if k == "Statement" => Some(*i),
            _ => None,
        });
    let details = serde_json::to_value(vf).unwrap_or(Value::Null);
    let mut f = Finding::new(
        finding_type(vf.finding_type),
        FindingCode::Validation(vf.issue_code.clone()),
        &vf.finding_details,
        &policy.resource,
        &policy.policy_name,
    )
    .with_physical_name(policy.physical_name.clone())
    .with_details(details);
    match index {
        Some(i) => {
            f = f.with_location(statement_location(prepared, i));
            if let Some(statement) = prepared.statement_json(i) {
                let sid = statement
                    .get("Sid")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                f = f.with_statement(i, sid, statement.clone());
            }
        }
        None => f = f.with_location(document_location(policy)),
    }
    with_excerpt(f, sources)
}

/// The non-blocking note that a policy holds values known only at deployment and which were
/// assumed (`None` when there are none).
pub fn unknowns_finding(prepared: &Prepared<'_>) -> Option<Finding> {
    if prepared.unknowns.is_empty() {
        return None;
    }
    let policy = prepared.policy;
    let mut names: Vec<&str> = prepared.unknowns.iter().map(|u| u.what.as_str()).collect();
    names.dedup();
    let message = format!(
        "The policy holds values known only at deployment ({}); the analysis assumed any value for them, in the direction that keeps a PASS a proof.",
        names.join(", ")
    );
    Some(
        Finding::new(
            FindingType::Suggestion,
            FindingCode::UnknownValuesAssumed,
            message,
            &policy.resource,
            &policy.policy_name,
        )
        .with_physical_name(policy.physical_name.clone())
        .with_details(json!({ "unknowns": prepared.unknowns.iter().map(|u| json!({
            "value": u.what,
            "statementIndex": u.statement,
            "treatment": u.treatment,
        })).collect::<Vec<_>>() }))
        .with_location(document_location(policy)),
    )
}

/// The blocking finding of a policy-bearing resource whose policy could not be built.
pub fn not_analysable_finding(n: &NotAnalysable, sources: &Sources) -> Finding {
    let f = Finding::new(
        FindingType::Error,
        FindingCode::PolicyNotAnalysable,
        format!(
            "The policy could not be analysed, so it might allow anything: {}",
            n.reason
        ),
        &n.resource,
        &n.policy_name,
    )
    .with_details(json!({ "resourceType": n.resource_type, "reason": n.reason }))
    .with_location(source_location(&n.file, n.location));
    with_excerpt(f, sources)
}

/// The blocking finding of a policy whose document is not a policy the engine can read (the
/// reason says why).
pub fn unreadable_policy_finding(prepared: &Prepared<'_>, reason: &str) -> Finding {
    let policy = prepared.policy;
    Finding::new(
        FindingType::Error,
        FindingCode::PolicyNotAnalysable,
        format!("The policy could not be analysed, so it might allow anything: {reason}"),
        &policy.resource,
        &policy.policy_name,
    )
    .with_physical_name(policy.physical_name.clone())
    .with_details(json!({ "resourceType": policy.resource_type, "reason": reason }))
    .with_location(document_location(policy))
}
