//! The text report, for people at a terminal or reading a CI log.

use crate::finding::{Excerpt, Finding};
use crate::rules::ClassifiedReport;
use std::fmt::Write as _;

/// The report as text, ending with the summary line and a newline.
///
/// ```text
/// Blocking findings:
/// template.yaml:12:11: SECURITY_WARNING policy-analysis-CheckNoNewAccess BuildRole.RootPolicy: The modified permissions grant new access compared to your existing policy.
///    12 |           - Sid: Build
///    13 |             Effect: Allow
///   example request: {"action":"s3:DeleteObject","resource":"arn:aws:s3:::artifacts/x"}
///
/// 1 blocking finding, 0 non-blocking findings.
/// ```
///
/// One block per finding: `file:line:col: TYPE CODE resource.policy: message` (the location is
/// left out when the finding has none), the source excerpt with line numbers, and the example
/// request as compact JSON. Blocking findings come first, under a heading, then the non-blocking
/// ones; ignored findings are only counted. The last line counts them.
pub fn render_text(report: &ClassifiedReport) -> String {
    let mut out = String::new();
    for (heading, findings) in [
        ("Blocking findings:", &report.blocking),
        ("Non-blocking findings:", &report.non_blocking),
    ] {
        if findings.is_empty() {
            continue;
        }
        out.push_str(heading);
        out.push('\n');
        for finding in findings {
            finding_block(&mut out, finding);
        }
        out.push('\n');
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

/// The summary line: `2 blocking findings, 1 non-blocking finding, 1 ignored.`
pub fn summary(report: &ClassifiedReport) -> String {
    let plural = |n: usize, what: &str| {
        if n == 1 {
            format!("{n} {what} finding")
        } else {
            format!("{n} {what} findings")
        }
    };
    let mut line = format!(
        "{}, {}",
        plural(report.blocking.len(), "blocking"),
        plural(report.non_blocking.len(), "non-blocking")
    );
    if !report.ignored.is_empty() {
        let _ = write!(line, ", {} ignored", report.ignored.len());
    }
    line.push('.');
    line
}

fn finding_block(out: &mut String, finding: &Finding) {
    if let Some(location) = &finding.location {
        let _ = write!(out, "{}:{}: ", location.path, location.start);
    }
    let _ = writeln!(
        out,
        "{} {} {}.{}: {}",
        finding.finding_type,
        finding.code,
        finding.resource_name,
        finding.policy_name,
        finding.message
    );
    if let Some(excerpt) = &finding.excerpt {
        excerpt_lines(out, excerpt);
    }
    if let Some(request) = &finding.example_request {
        let _ = writeln!(out, "  example request: {request}");
    }
}

fn excerpt_lines(out: &mut String, excerpt: &Excerpt) {
    let first = u64::from(excerpt.first_line);
    let last = first + excerpt.lines.len().saturating_sub(1) as u64;
    let width = last.to_string().len();
    for (number, line) in (first..).zip(&excerpt.lines) {
        let line = line.trim_end();
        if line.is_empty() {
            let _ = writeln!(out, "  {number:>width$} |");
        } else {
            let _ = writeln!(out, "  {number:>width$} | {line}");
        }
    }
}
