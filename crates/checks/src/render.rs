//! The human-readable rendering of a `CheckResult`: the verdict, each responsible statement
//! quoted from the policy source with its line numbers, and the concrete request that proves the
//! FAIL.

use crate::result::{CheckResult, Reason, Verdict};
use iamproof_eval::{ContextValue, Principal, Request};
use std::fmt::Write as _;

/// At most this many source lines are quoted per statement; the rest is summarised.
const MAX_QUOTED_LINES: usize = 40;

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
                quote_lines(out, source, first, last);
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

/// Quotes lines `first..=last` (1-based) of `source` with right-aligned line numbers.
fn quote_lines(out: &mut String, source: &str, first: usize, last: usize) {
    if source.is_empty() {
        return;
    }
    let width = last.to_string().len();
    for (shown, (n, line)) in source.lines().enumerate().skip(first - 1).enumerate() {
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
        let _ = writeln!(out, "    {lineno:>width$} | {line}");
    }
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
