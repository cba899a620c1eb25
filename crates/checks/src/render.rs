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
