//! `validate-policy`: Access Analyzer's ValidatePolicy, offline.

use crate::cli::{OutputFormat, ValidatePolicyArgs};
use crate::error::{CliError, EXIT_FAIL, EXIT_OK};
use crate::input::{Document, Loader};
use crate::output;
use iamproof_policy::{FindingType, ValidationFinding};
use std::fmt::Write;

/// Runs `validate-policy`. Exit status 1 when a finding is an `ERROR` or a `SECURITY_WARNING`
/// (the findings cfn-policy-validator treats as blocking by default), else 0.
pub fn run(args: &ValidatePolicyArgs) -> Result<i32, CliError> {
    let mut loader = Loader::new();
    let doc = loader.load(&args.policy_document, "--policy-document")?;
    let findings = iamproof_policy::validate_policy(&doc.text, args.policy_type.to_policy_type());
    // A document that is not JSON is bad input: exit status 2 with the error on stderr, as for
    // every command (`--output json` still prints ValidatePolicy's response first).
    let not_json = iamproof_policy::json::parse_json(&doc.text).err();
    if let (Some(e), OutputFormat::Text) = (&not_json, args.output) {
        return Err(doc.error_at(e));
    }
    let text = match args.output {
        OutputFormat::Json => output::json_text(&serde_json::json!({ "findings": findings }))?,
        OutputFormat::Text => render(&doc, &findings),
    };
    output::emit(&text)?;
    if let Some(e) = not_json {
        return Err(doc.error_at(e));
    }
    let blocking = findings.iter().any(is_blocking);
    Ok(if blocking { EXIT_FAIL } else { EXIT_OK })
}

/// Whether a finding blocks (exit status 1).
pub fn is_blocking(f: &ValidationFinding) -> bool {
    matches!(
        f.finding_type,
        FindingType::Error | FindingType::SecurityWarning
    )
}

/// One line per finding, `origin:line:col: TYPE CODE: path: details`, extra locations indented
/// under it, then a summary line.
pub fn render(doc: &Document, findings: &[ValidationFinding]) -> String {
    let mut out = String::new();
    for f in findings {
        let ty = f.finding_type.as_str();
        match f.locations.split_first() {
            Some((first, rest)) => {
                let _ = writeln!(
                    out,
                    "{}:{}: {ty} {}: {}: {}",
                    doc.origin, first.span.start, f.issue_code, first.path, f.finding_details
                );
                for loc in rest {
                    let _ = writeln!(
                        out,
                        "    also at {}:{}: {}",
                        doc.origin, loc.span.start, loc.path
                    );
                }
            }
            None => {
                let _ = writeln!(
                    out,
                    "{}: {ty} {}: {}",
                    doc.origin, f.issue_code, f.finding_details
                );
            }
        }
        if let Some(link) = &f.learn_more_link {
            let _ = writeln!(out, "    see {link}");
        }
    }
    let count = |t: FindingType| findings.iter().filter(|f| f.finding_type == t).count();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if findings.is_empty() {
        let _ = writeln!(out, "{}: no findings", doc.origin);
    } else {
        let _ = writeln!(
            out,
            "{}: {}, {}, {}, {}",
            doc.origin,
            plural(count(FindingType::Error), "error", "errors"),
            plural(
                count(FindingType::SecurityWarning),
                "security warning",
                "security warnings"
            ),
            plural(count(FindingType::Warning), "warning", "warnings"),
            plural(count(FindingType::Suggestion), "suggestion", "suggestions"),
        );
    }
    out
}
