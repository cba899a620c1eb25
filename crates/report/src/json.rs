//! The JSON report, in cfn-policy-validator's shape.

use crate::finding::{Finding, SourceLocation};
use crate::rules::ClassifiedReport;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// The report as a JSON value, in cfn-policy-validator's shape:
///
/// ```json
/// {
///     "BlockingFindings": [
///         {
///             "findingType": "SECURITY_WARNING",
///             "code": "policy-analysis-CheckNoNewAccess",
///             "message": "…",
///             "resourceName": "BuildRole",
///             "policyName": "RootPolicy",
///             "details": { … },
///             "physicalName": "build-role",
///             "location": {"path": "template.yaml", "start": {"line": 12, "column": 11}, "end": {"line": 16, "column": 1}},
///             "exampleRequest": { … },
///             "statementIndex": 0,
///             "statementId": "Build"
///         }
///     ],
///     "NonBlockingFindings": []
/// }
/// ```
///
/// The first six keys, in this order, are cfn-policy-validator's (its findings are serialised
/// from their attributes in that order); `details` is `null` when the finding has none. iamproof's
/// keys follow, each left out when it has no value. Ignored findings are left out, as there.
/// The text is indented by four spaces, as that tool prints it. The run's metadata (tool version,
/// files) is not part of this shape; the SARIF report carries it.
pub fn to_json(report: &ClassifiedReport) -> Value {
    json!({
        "BlockingFindings": report.blocking.iter().map(finding_json).collect::<Vec<_>>(),
        "NonBlockingFindings": report.non_blocking.iter().map(finding_json).collect::<Vec<_>>(),
    })
}

/// The report as JSON text, indented by four spaces, with a final newline.
pub fn render_json(report: &ClassifiedReport) -> String {
    let value = to_json(report);
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let written = value
        .serialize(&mut serde_json::Serializer::with_formatter(
            &mut out, formatter,
        ))
        .is_ok();
    // Writing a `Value` into memory cannot fail and gives UTF-8; should that ever change, the
    // compact form is still the same JSON.
    let mut text = match String::from_utf8(out) {
        Ok(text) if written => text,
        _ => value.to_string(),
    };
    text.push('\n');
    text
}

/// One finding: cfn-policy-validator's keys, then iamproof's.
pub(crate) fn finding_json(finding: &Finding) -> Value {
    let mut object = Map::new();
    object.insert("findingType".into(), json!(finding.finding_type));
    object.insert("code".into(), json!(finding.code));
    object.insert("message".into(), json!(finding.message));
    object.insert("resourceName".into(), json!(finding.resource_name));
    object.insert("policyName".into(), json!(finding.policy_name));
    object.insert("details".into(), finding.details.clone());
    if let Some(name) = &finding.physical_name {
        object.insert("physicalName".into(), json!(name));
    }
    if let Some(location) = &finding.location {
        object.insert("location".into(), location_json(location));
    }
    if let Some(request) = &finding.example_request {
        object.insert("exampleRequest".into(), request.clone());
    }
    if let Some(index) = finding.statement_index {
        object.insert("statementIndex".into(), json!(index));
    }
    if let Some(sid) = &finding.statement_id {
        object.insert("statementId".into(), json!(sid));
    }
    Value::Object(object)
}

fn location_json(location: &SourceLocation) -> Value {
    json!({
        "path": location.path,
        "start": {"line": location.start.line, "column": location.start.column},
        "end": {"line": location.end.line, "column": location.end.column},
    })
}
