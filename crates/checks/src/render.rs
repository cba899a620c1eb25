//! The human-readable rendering of a `CheckResult`: the verdict, each responsible statement
//! quoted from the policy source with its line numbers, and the concrete request that proves the
//! FAIL.

use crate::result::{CheckResult, Reason, Verdict};
use iamproof_eval::{ContextValue, Principal, Request};
use std::fmt::Write as _;

/// At most this many source lines are quoted per statement; the rest is summarised.
const MAX_QUOTED_LINES: usize = 40;

/// A quoted line longer than this many characters is clipped to the statement (from its first
/// character on its first line, to its last on its last line) and then to this width, with `…`
/// where text is left out: a minified policy is one long line.
const MAX_QUOTED_CHARS: usize = 160;

impl CheckResult {
    /// Renders the result as text. `policy_source` is the text of the policy the reasons point
    /// into (the *new* policy for `check-no-new-access`); pass `""` to leave out the quotes.
    ///
    /// ```text
    /// FAIL check-no-new-access
    /// The modified permissions grant new access compared to your existing policy.
    ///
    /// - New access in the statement with index: 0.
    ///   statement 0, lines 3-12:
    ///      3 |     {
    ///      …
    ///   example request (allowed by this policy):
    ///     principal: {"AWS": "arn:aws:iam::111122223333:user/example"}
    ///     …
    /// ```
    pub fn render_text(&self, policy_source: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{} {}", self.result, self.check.cli_name());
        let _ = writeln!(out, "{}", self.message);
        if let Some(u) = &self.unknown_reason {
            let _ = writeln!(out, "(the engine could not decide: {u})");
        }
        if let Some(e) = &self.internal_error {
            let _ = writeln!(out, "(internal error: {e})");
        }
        if let Some(e) = &self.engine {
            let _ = writeln!(out, "engine: {e}");
        }
        for reason in &self.reasons {
            out.push('\n');
            self.render_reason(&mut out, reason, policy_source);
        }
        out
    }

    fn render_reason(&self, out: &mut String, reason: &Reason, source: &str) {
        let _ = writeln!(out, "- {}", reason.description);
        if let (Some(loc), Some(index)) = (&reason.location, reason.statement_index) {
            let (first, last) = (loc.span.start.line as usize, loc.span.end.line as usize);
            if first > 0 && last >= first {
                if first == last {
                    let _ = writeln!(out, "  statement {index}, line {first}:");
                } else {
                    let _ = writeln!(out, "  statement {index}, lines {first}-{last}:");
                }
                quote_lines(out, source, &loc.span);
            }
        }
        if let Some(req) = &reason.example_request {
            let what = match (self.check, self.result) {
                (crate::result::CheckKind::NoNewAccess, Verdict::Fail) => {
                    "allowed by the new policy, not by the existing one"
                }
                _ => "allowed by this policy",
            };
            let _ = writeln!(out, "  example request ({what}):");
            render_request(out, req, "    ");
        }
    }
}

/// Quotes the lines of `span` in `source` with right-aligned line numbers; long lines are
/// clipped ([`clip_line`]).
fn quote_lines(out: &mut String, source: &str, span: &iamproof_policy::Span) {
    if source.is_empty() {
        return;
    }
    let (first, last) = (span.start.line as usize, span.end.line as usize);
    let width = last.to_string().len();
    for (shown, (n, line)) in source
        .lines()
        .enumerate()
        .skip(first.saturating_sub(1))
        .enumerate()
    {
        let lineno = n + 1;
        if lineno > last {
            break;
        }
        if shown == MAX_QUOTED_LINES {
            let _ = writeln!(
                out,
                "    {:>width$} | … ({} more lines)",
                "",
                last - lineno + 1
            );
            break;
        }
        let from = (lineno == first).then_some(span.start.column as usize);
        let to = (lineno == last).then_some(span.end.column as usize);
        let _ = writeln!(out, "    {lineno:>width$} | {}", clip_line(line, from, to));
    }
}

/// `line` as quoted: unchanged when it has at most [`MAX_QUOTED_CHARS`] characters; otherwise
/// the part from character `from` to character `to` (the statement's columns on its first and
/// last lines), cut to [`MAX_QUOTED_CHARS`], with `…` for each side that was cut.
fn clip_line(line: &str, from: Option<usize>, to: Option<usize>) -> String {
    let len = line.chars().count();
    if len <= MAX_QUOTED_CHARS {
        return line.to_string();
    }
    let start = from.unwrap_or(0).min(len);
    let end = to.unwrap_or(len).clamp(start, len);
    let stop = end.min(start + MAX_QUOTED_CHARS);
    let mut clipped = String::new();
    if start > 0 {
        clipped.push('…');
    }
    clipped.extend(line.chars().skip(start).take(stop - start));
    if stop < len {
        clipped.push('…');
    }
    clipped
}

/// Writes a request as indented `name: value` lines.
pub fn render_request(out: &mut String, req: &Request, indent: &str) {
    let principal = match &req.principal {
        Principal::Anonymous => "anonymous (unsigned request)".to_string(),
        Principal::Arn(a) => format!("{{\"AWS\": \"{a}\"}}"),
        Principal::Service(s) => format!("{{\"Service\": \"{s}\"}}"),
        Principal::Federated(f) => format!("{{\"Federated\": \"{f}\"}}"),
        Principal::CanonicalUser(c) => format!("{{\"CanonicalUser\": \"{c}\"}}"),
    };
    let _ = writeln!(out, "{indent}principal: {principal}");
    let _ = writeln!(out, "{indent}action:    {}", req.action);
    let _ = writeln!(out, "{indent}resource:  {}", req.resource);
    if let Some(a) = &req.resource_account {
        let _ = writeln!(out, "{indent}resource account: {a}");
    }
    if req.context.is_empty() {
        let _ = writeln!(out, "{indent}context:   (no condition keys)");
    } else {
        let _ = writeln!(out, "{indent}context:");
        for (k, v) in req.context.iter() {
            match v {
                ContextValue::Single(x) => {
                    let _ = writeln!(out, "{indent}  {k} = {x:?}");
                }
                ContextValue::Multi(xs) => {
                    let _ = writeln!(out, "{indent}  {k} = {xs:?}");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::result::{CheckKind, CheckResult, Reason, StatementLocation};
    use iamproof_eval::{Context, ContextValue, Principal, Request};
    use iamproof_policy::{Position, Span};

    fn span(first: u32, last: u32) -> Span {
        Span {
            start: Position {
                line: first,
                column: 0,
                offset: 0,
            },
            end: Position {
                line: last,
                column: 1,
                offset: 0,
            },
        }
    }

    fn reason(first: u32, last: u32) -> Reason {
        let mut context = Context::new();
        context.insert("aws:SourceVpce", ContextValue::Single("vpce-2".into()));
        context.insert(
            "aws:TagKeys",
            ContextValue::Multi(vec!["a".into(), "b".into()]),
        );
        Reason {
            description: "Public access granted in the following statement with index: 0.".into(),
            statement_index: Some(0),
            statement_id: None,
            example_request: Some(Request {
                principal: Principal::Anonymous,
                action: "s3:GetObject".into(),
                resource: "arn:aws:s3:::b/k".into(),
                resource_account: None,
                context,
            }),
            location: Some(StatementLocation {
                span: span(first, last),
            }),
        }
    }

    #[test]
    fn quotes_lines_and_shows_the_request() {
        let source = "{\n  \"Statement\": [\n    {\"Effect\": \"Allow\"}\n  ]\n}\n";
        let r = CheckResult::fail(CheckKind::NoPublicAccess, vec![reason(3, 3)]);
        let text = r.render_text(source);
        assert!(
            text.contains("  statement 0, line 3:\n    3 |     {\"Effect\": \"Allow\"}\n"),
            "{text}"
        );
        assert!(
            text.contains("principal: anonymous (unsigned request)"),
            "{text}"
        );
        assert!(text.contains("aws:SourceVpce = \"vpce-2\""), "{text}");
        assert!(text.contains("aws:TagKeys = [\"a\", \"b\"]"), "{text}");
        // Without the source, no quote but the rest stays.
        let bare = r.render_text("");
        assert!(!bare.contains(" | "), "{bare}");
        assert!(bare.contains("action:    s3:GetObject"), "{bare}");
    }

    #[test]
    fn long_statements_are_cut_after_40_lines() {
        let source: String = (1..=100).map(|i| format!("line {i}\n")).collect();
        let r = CheckResult::fail(CheckKind::NoPublicAccess, vec![reason(1, 100)]);
        let text = r.render_text(&source);
        assert!(text.contains(" 40 | line 40\n"), "{text}");
        assert!(!text.contains("line 41\n"), "{text}");
        assert!(text.contains("… (60 more lines)"), "{text}");
    }

    #[test]
    fn a_minified_policy_is_clipped_to_the_statement() {
        let padding = "x".repeat(300);
        let statement = r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#;
        let source = format!(
            r#"{{"Version":"2012-10-17","Id":"{padding}","Statement":[{statement},{statement}]}}"#
        );
        let start = source.find(statement).unwrap();
        let end = start + statement.len();
        let mut reason = reason(1, 1);
        reason.location = Some(StatementLocation {
            span: Span {
                start: Position {
                    line: 1,
                    column: start as u32,
                    offset: start,
                },
                end: Position {
                    line: 1,
                    column: end as u32,
                    offset: end,
                },
            },
        });
        let r = CheckResult::fail(CheckKind::NoPublicAccess, vec![reason]);
        let text = r.render_text(&source);
        assert!(text.contains(&format!("    1 | …{statement}…\n")), "{text}");
        assert!(!text.contains(&padding), "{text}");
        // A long statement is cut to the width as well.
        assert_eq!(
            super::clip_line(&padding, Some(10), None).chars().count(),
            162
        );
        assert_eq!(super::clip_line("short", Some(2), Some(3)), "short");
    }

    #[test]
    fn json_of_an_example_request() {
        let r = CheckResult::fail(CheckKind::NoPublicAccess, vec![reason(1, 1)]);
        let v = r.to_json_value();
        let w = &v["reasons"][0]["exampleRequest"];
        assert_eq!(w["principal"], "anonymous");
        assert_eq!(w["action"], "s3:GetObject");
        assert_eq!(w["context"]["aws:TagKeys"], serde_json::json!(["a", "b"]));
        assert!(v["reasons"][0].get("statementId").is_none());
        // AWS's fields only.
        assert!(r.to_aws_json_value()["reasons"][0]
            .get("exampleRequest")
            .is_none());
    }

    #[test]
    fn unknown_results_say_the_check_could_not_be_completed() {
        let r = CheckResult::unknown(CheckKind::NoNewAccess, "time limit");
        assert_eq!(r.result, crate::result::Verdict::Fail);
        let text = r.render_text("");
        assert!(
            text.contains("(the engine could not decide: time limit)"),
            "{text}"
        );
        assert_eq!(r.to_json_value()["unknownReason"], "time limit");
    }
}
