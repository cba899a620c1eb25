//! The SARIF 2.1.0 report, for GitHub code scanning and other SARIF viewers.

mod fingerprint;
mod model;
mod uri;

use crate::finding::{Finding, FindingCode, FindingType};
use crate::rules::ClassifiedReport;
use model::*;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The `$schema` written into the log.
pub const SARIF_SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// iamproof's home page, the driver's `informationUri`.
const INFORMATION_URI: &str = "https://github.com/iamproof/iamproof";

/// Where iamproof's own codes are described.
const FINDINGS_DOC: &str = "https://github.com/iamproof/iamproof/blob/main/docs/findings.md";

/// How to write the SARIF report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SarifOptions {
    /// The repository root. Absolute file paths under it (and relative ones starting with it)
    /// are made relative to it; other relative paths are taken as relative to it already. `None`
    /// takes every relative path as relative to the root.
    pub source_root: Option<String>,
}

/// How a finding is listed: its position in the report and whether it blocks or is ignored.
#[derive(Clone, Copy)]
enum Standing<'a> {
    Blocking,
    NonBlocking,
    Ignored(Option<&'a str>),
}

/// The report as a SARIF log.
///
/// One run; the tool is `iamproof`. Each finding code is a rule (`ruleId` = the code, so it is
/// the same on every run), listed once in `tool.driver.rules`, sorted by id. A rule's `helpUri`
/// is Access Analyzer's `learnMoreLink` when a finding of that code carries one in its `details`
/// (the `ValidatePolicy` codes AWS documents), and otherwise iamproof's page on its findings.
///
/// # Levels
///
/// | Finding | `level` |
/// |---|---|
/// | blocking (whatever its type) | `error` |
/// | non-blocking `ERROR`, `SECURITY_WARNING`, `WARNING` | `warning` |
/// | non-blocking `SUGGESTION` | `note` |
///
/// So the results at level `error` are exactly those that make the run exit 1, and a code
/// scanning gate on errors agrees with the exit status. Ignored findings are written too, with the
/// level they would have as non-blocking findings and a `suppressions` entry (`kind: external`,
/// the ignore entry's reason as `justification`): code scanning then shows them as dismissed
/// rather than losing track of them.
///
/// A rule's `security-severity` (which code scanning uses to rank security alerts) follows the
/// finding type (`SECURITY_WARNING` 7.5 high, `ERROR` 5.0 and `WARNING` 4.0 medium, `SUGGESTION`
/// 2.0 low), except public access (9.0, critical) and external access (8.0).
///
/// # Locations and fingerprints
///
/// The region is the finding's source location (statement or document), lines and columns
/// 1-based, columns counted in Unicode code points (`columnKind`), the end exclusive. A finding
/// without a location gets only a logical location, which code scanning cannot place: give every
/// finding one. The artifact URI is the file's path made relative to the source root
/// ([`SarifOptions`]) lexically: forward slashes, no `.` segments, percent-encoded, with
/// `uriBaseId` `%SRCROOT%`; a path outside the root becomes an absolute `file://` URI. Each
/// result also has the logical location `resource.policy`.
///
/// `partialFingerprints` (key `iamproof/v1`) is the SHA-256 of the URI, the code, the resource
/// and policy names, and the statement's `Sid` or else its content as analysed (canonical
/// JSON), plus the message for `ValidatePolicy` codes; never a line, column or statement index,
/// so an unrelated edit keeps every alert. Findings equal in all of these are numbered
/// (`hash:1`, `hash:2`) in report order.
pub fn to_sarif(report: &ClassifiedReport, options: &SarifOptions) -> Value {
    let root = options.source_root.as_deref();
    let entries: Vec<(&Finding, Standing<'_>)> = report
        .blocking
        .iter()
        .map(|f| (f, Standing::Blocking))
        .chain(
            report
                .non_blocking
                .iter()
                .map(|f| (f, Standing::NonBlocking)),
        )
        .chain(
            report
                .ignored
                .iter()
                .map(|i| (&i.finding, Standing::Ignored(i.rule.reason.as_deref()))),
        )
        .collect();

    // One rule per code, sorted by id; each remembers the first finding of its code.
    let mut first_of_code: BTreeMap<&str, &Finding> = BTreeMap::new();
    for (finding, _) in &entries {
        first_of_code
            .entry(finding.code.as_str())
            .or_insert(finding);
    }
    let rule_index: BTreeMap<&str, usize> = first_of_code
        .keys()
        .enumerate()
        .map(|(i, code)| (*code, i))
        .collect();
    let rules: Vec<Rule> = first_of_code
        .values()
        .map(|finding| rule(finding, &entries))
        .collect();

    let uris: Vec<Option<uri::ArtifactUri>> = entries
        .iter()
        .map(|(f, _)| {
            f.location
                .as_ref()
                .map(|l| uri::artifact_uri(&l.path, root))
        })
        .collect();
    let fingerprints = fingerprint::fingerprints(
        entries
            .iter()
            .zip(&uris)
            .map(|((f, _), u)| (u.as_ref().map_or("", |u| u.uri.as_str()), *f)),
    );

    let results: Vec<SarifResult> = entries
        .iter()
        .zip(uris)
        .zip(fingerprints)
        .map(|(((finding, standing), uri), fingerprint)| {
            let code = finding.code.as_str();
            SarifResult {
                rule_id: code.to_string(),
                rule_index: rule_index.get(code).copied().unwrap_or_default(),
                level: level(finding.finding_type, *standing),
                message: Text {
                    text: message(finding),
                },
                locations: vec![location(finding, uri)],
                partial_fingerprints: BTreeMap::from([(fingerprint::KEY, fingerprint)]),
                suppressions: match standing {
                    Standing::Ignored(reason) => vec![Suppression {
                        kind: "external",
                        status: "accepted",
                        justification: reason.map(str::to_string),
                    }],
                    _ => Vec::new(),
                },
                properties: properties(finding, *standing),
            }
        })
        .collect();

    let mut artifacts: Vec<Artifact> = Vec::new();
    for file in &report.files {
        let location = artifact_location(uri::artifact_uri(file, root));
        if !artifacts.iter().any(|a| a.location.uri == location.uri) {
            artifacts.push(Artifact { location });
        }
    }

    let log = Log {
        schema: SARIF_SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "iamproof",
                    version: report.tool_version.clone(),
                    information_uri: INFORMATION_URI,
                    rules,
                },
            },
            artifacts,
            results,
            column_kind: "unicodeCodePoints",
        }],
    };
    // The model holds only strings, numbers, maps with string keys and JSON values: serialising
    // it cannot fail.
    serde_json::to_value(log).unwrap_or(Value::Null)
}

/// The SARIF log as JSON text (two-space indent) with a final newline.
pub fn render_sarif(report: &ClassifiedReport, options: &SarifOptions) -> String {
    let value = to_sarif(report, options);
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string());
    text.push('\n');
    text
}

fn level(finding_type: FindingType, standing: Standing<'_>) -> &'static str {
    match (standing, finding_type) {
        (Standing::Blocking, _) => "error",
        (_, FindingType::Suggestion) => "note",
        _ => "warning",
    }
}

/// `resource.policy: message`, then the example request when there is one.
fn message(finding: &Finding) -> String {
    let mut text = format!(
        "{}.{}: {}",
        finding.resource_name, finding.policy_name, finding.message
    );
    if let Some(sid) = &finding.statement_id {
        text.push_str(&format!(" (statement {sid})"));
    }
    if let Some(request) = &finding.example_request {
        text.push_str(&format!("\nExample request: {request}"));
    }
    text
}

fn artifact_location(uri: uri::ArtifactUri) -> ArtifactLocation {
    ArtifactLocation {
        uri_base_id: uri.relative.then_some("%SRCROOT%"),
        uri: uri.uri,
    }
}

fn location(finding: &Finding, uri: Option<uri::ArtifactUri>) -> Location {
    let physical_location = finding
        .location
        .as_ref()
        .zip(uri)
        .map(|(l, uri)| PhysicalLocation {
            artifact_location: artifact_location(uri),
            region: Region {
                start_line: l.start.line.max(1),
                start_column: l.start.column.max(1),
                end_line: l.end.line.max(1),
                end_column: l.end.column.max(1),
            },
        });
    Location {
        physical_location,
        logical_locations: vec![LogicalLocation {
            name: finding.policy_name.clone(),
            fully_qualified_name: format!("{}.{}", finding.resource_name, finding.policy_name),
            kind: "resource",
        }],
    }
}

fn properties(finding: &Finding, standing: Standing<'_>) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("findingType".into(), json!(finding.finding_type));
    map.insert(
        "blocking".into(),
        json!(matches!(standing, Standing::Blocking)),
    );
    map.insert("resourceName".into(), json!(finding.resource_name));
    map.insert("policyName".into(), json!(finding.policy_name));
    if let Some(index) = finding.statement_index {
        map.insert("statementIndex".into(), json!(index));
    }
    if let Some(sid) = &finding.statement_id {
        map.insert("statementId".into(), json!(sid));
    }
    if let Some(request) = &finding.example_request {
        map.insert("exampleRequest".into(), request.clone());
    }
    map
}

/// The rule for a code, from the first finding of that code.
fn rule(first: &Finding, entries: &[(&Finding, Standing<'_>)]) -> Rule {
    let code = first.code.as_str();
    // Access Analyzer's page for the code, from any finding of it that carries one.
    let learn_more = entries
        .iter()
        .filter(|(f, _)| f.code == first.code)
        .find_map(|(f, _)| f.details.get("learnMoreLink").and_then(Value::as_str))
        .filter(|link| link.starts_with("https://"));
    let (short, full, severity, tags): (String, String, &'static str, Vec<&'static str>) =
        match &first.code {
            FindingCode::CheckNoNewAccess => (
                "Policy grants new access".into(),
                "The policy allows requests that the reference policy does not allow. The finding names the statements that grant the new access and gives an example request.".into(),
                "7.5",
                vec!["security", "aws-iam", "custom-policy-check"],
            ),
            FindingCode::CheckAccessNotGranted => (
                "Policy grants listed access".into(),
                "The policy allows at least one of the actions or resources the check lists as critical. The finding names the statements that grant it and gives an example request.".into(),
                "7.5",
                vec!["security", "aws-iam", "custom-policy-check"],
            ),
            FindingCode::CheckNoPublicAccess => (
                "Resource policy grants public access".into(),
                "The resource policy can allow a principal outside every fixed account, organization, network or source: anyone. The finding names the statements and gives an example request.".into(),
                "9.0",
                vec!["security", "aws-iam", "custom-policy-check", "external/cwe/cwe-732"],
            ),
            FindingCode::CheckNoExternalAccess => (
                "Resource policy grants external access".into(),
                "The resource policy can allow a principal outside the trusted accounts and organizations. The finding names the statements and gives an example request.".into(),
                "8.0",
                vec!["security", "aws-iam", "custom-policy-check", "external/cwe/cwe-732"],
            ),
            FindingCode::PolicyNotAnalysable => (
                "Policy could not be analysed".into(),
                "The policy could not be analysed: it does not parse, or the template gives it a value that cannot be resolved. Nothing is known about what it allows.".into(),
                "5.0",
                vec!["security", "aws-iam", "analysis"],
            ),
            FindingCode::UnknownValuesAssumed => (
                "Unknown values assumed".into(),
                "The policy holds values known only at deployment, and the analysis assumed they could be anything: a PASS holds whatever they turn out to be, but a failed check may come from a value the deployment will never use.".into(),
                "3.0",
                vec!["security", "aws-iam", "analysis"],
            ),
            FindingCode::Validation(_) => (
                humanise(code),
                format!(
                    "Policy validation finding {code} ({}), as IAM Access Analyzer's ValidatePolicy reports it: the policy's grammar, or a common mistake in it.",
                    first.finding_type
                ),
                match first.finding_type {
                    FindingType::SecurityWarning => "7.5",
                    FindingType::Error => "5.0",
                    FindingType::Warning => "4.0",
                    FindingType::Suggestion => "2.0",
                },
                vec!["security", "aws-iam", "policy-validation"],
            ),
        };
    let help_uri = match learn_more {
        Some(link) => link.to_string(),
        None if matches!(first.code, FindingCode::Validation(_)) => {
            format!("{FINDINGS_DOC}#policy-validation")
        }
        None => format!("{FINDINGS_DOC}#{}", code.to_ascii_lowercase()),
    };
    let default_level = match first.finding_type {
        FindingType::Error | FindingType::SecurityWarning => "error",
        FindingType::Warning => "warning",
        FindingType::Suggestion => "note",
    };
    Rule {
        id: code.to_string(),
        name: rule_name(code),
        help: Text {
            text: format!("{full} See {help_uri}"),
        },
        short_description: Text { text: short },
        full_description: Text { text: full },
        help_uri,
        default_configuration: Configuration {
            level: default_level,
        },
        properties: RuleProperties {
            tags,
            security_severity: severity,
        },
    }
}

/// `MISSING_VERSION` → `Missing version`.
fn humanise(code: &str) -> String {
    let words = code.replace(['_', '-'], " ").to_ascii_lowercase();
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The rule's `name`, an identifier: `MISSING_VERSION` → `MissingVersion`,
/// `policy-analysis-CheckNoNewAccess` → `CheckNoNewAccess`, `iamproof-UnknownValuesAssumed` →
/// `UnknownValuesAssumed`.
fn rule_name(code: &str) -> String {
    let code = code
        .strip_prefix("policy-analysis-")
        .or_else(|| code.strip_prefix("iamproof-"))
        .unwrap_or(code);
    if code.contains(['_', '-']) || code.chars().all(|c| !c.is_ascii_lowercase()) {
        code.split(['_', '-'])
            .filter(|w| !w.is_empty())
            .map(|w| {
                let lower = w.to_ascii_lowercase();
                let mut chars = lower.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                    None => String::new(),
                }
            })
            .collect()
    } else {
        code.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::{humanise, rule_name};

    #[test]
    fn rule_names_are_identifiers() {
        assert_eq!(rule_name("MISSING_VERSION"), "MissingVersion");
        assert_eq!(
            rule_name("policy-analysis-CheckNoNewAccess"),
            "CheckNoNewAccess"
        );
        assert_eq!(
            rule_name("iamproof-UnknownValuesAssumed"),
            "UnknownValuesAssumed"
        );
        assert_eq!(
            humanise("PASS_ROLE_WITH_STAR_IN_RESOURCE"),
            "Pass role with star in resource"
        );
    }
}
