//! `validate-policy`: Access Analyzer's ValidatePolicy, offline.

use crate::cli::{OutputFormat, PolicyTypeArg, ValidatePolicyArgs};
use crate::error::CliError;
use crate::input::{Document, Loader};
use crate::{diagnostics, output};
use crate::{Exit, Io};
use iamproof_policy::{FindingType, ValidateOptions, ValidationFinding};
use std::fmt::Write;

/// Runs `validate-policy`. Exit status 1 when a finding is an `ERROR` or a `SECURITY_WARNING`
/// (the findings cfn-policy-validator treats as blocking by default), else 0.
///
/// `--validate-policy-resource-type` is accepted only with `RESOURCE_POLICY`, as AWS's API
/// (exit status 2 otherwise).
pub fn run(args: &ValidatePolicyArgs, io: &mut Io<'_>) -> Result<Exit, CliError> {
    let policy_type = args.policy_type.to_policy_type();
    if args.validate_policy_resource_type.is_some() && args.policy_type != PolicyTypeArg::Resource {
        return Err(CliError::Usage(
            "--validate-policy-resource-type can be used only with --policy-type RESOURCE_POLICY"
                .to_string(),
        ));
    }
    let mut loader = Loader::new(&mut *io.stdin);
    let doc = loader.load(&args.policy_document, "--policy-document")?;
    let opts = ValidateOptions {
        resource_type: args
            .validate_policy_resource_type
            .map(|t| t.to_resource_type()),
        iamproof_checks: args.iamproof_checks,
        ..ValidateOptions::new(policy_type)
    };
    let findings = iamproof_policy::validate(&doc.text, &opts);
    // A document that is not JSON is bad input: exit status 2 with the error on stderr, as for
    // every command (`--output json` still prints ValidatePolicy's response first).
    let not_json = iamproof_policy::parse_json(&doc.text).err();
    if let (Some(e), OutputFormat::Text) = (&not_json, args.output) {
        return Err(CliError::policy(&doc, e.clone()));
    }
    let text = match args.output {
        OutputFormat::Json => output::json_text(&serde_json::json!({ "findings": findings }))?,
        OutputFormat::Text => render(&doc, &findings, io.stdout_color),
    };
    output::emit(io.stdout, &text)?;
    if let Some(e) = not_json {
        return Err(CliError::policy(&doc, e));
    }
    let blocking = findings.iter().any(is_blocking);
    Ok(if blocking { Exit::Fail } else { Exit::Pass })
}

/// Whether a finding blocks (exit status 1).
pub fn is_blocking(f: &ValidationFinding) -> bool {
    matches!(
        f.finding_type,
        FindingType::Error | FindingType::SecurityWarning
    )
}

/// One line per finding, `origin:line:col: TYPE CODE: path: details`, extra locations indented
/// under it, the link, the source excerpt with the locations underlined (see
/// [`crate::diagnostics`]), then a summary line.
pub fn render(doc: &Document, findings: &[ValidationFinding], color: bool) -> String {
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
        if let Some(x) = diagnostics::excerpt(&doc.origin.to_string(), &doc.text, f, color) {
            out.push_str(&x);
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
