//! The result of a check, shaped exactly like Access Analyzer's `Check*` responses.
//!
//! `CheckResult::to_json()` gives `{"result":"PASS"|"FAIL","message":…,"reasons":[{"description":…,
//! "statementIndex":N,"statementId":…}]}` (the Access Analyzer API reference's `ReasonSummary`; docs/semantics.md, "Custom policy checks: inputs and results").
//! `reasons` is left out when empty and `statementId` when the statement has no `Sid`, as AWS's own
//! responses do. Everything iamproof adds lives in extra fields (`exampleRequest` on a reason,
//! `engine`, `unknownReason`, `internalError` on the result); AWS's fields keep their meaning.

use iamproof_eval::{ContextValue, Principal, Request};
use iamproof_policy::{Span, Statement};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::fmt;

/// The four checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckKind {
    /// `CheckNoNewAccess`: does the new policy allow anything the existing one does not?
    NoNewAccess,
    /// `CheckAccessNotGranted`: does the policy allow any of the listed actions/resources?
    /// `with_resources` selects AWS's wording for access specs that list resources.
    AccessNotGranted {
        /// Whether the access spec listed resources (AWS then says "actions or resources").
        with_resources: bool,
    },
    /// `CheckNoPublicAccess`: can someone outside every fixed account, organization, network or
    /// source be allowed?
    NoPublicAccess,
    /// iamproof's own check: can a principal outside the trusted accounts and organizations be
    /// allowed?
    NoExternalAccess,
}

impl CheckKind {
    /// The command-line name (`check-no-new-access`, …).
    pub fn cli_name(self) -> &'static str {
        match self {
            CheckKind::NoNewAccess => "check-no-new-access",
            CheckKind::AccessNotGranted { .. } => "check-access-not-granted",
            CheckKind::NoPublicAccess => "check-no-public-access",
            CheckKind::NoExternalAccess => "check-no-external-access",
        }
    }

    /// The `message` of a PASS. AWS's exact text where AWS has the check (botocore/SDK examples).
    pub fn pass_message(self) -> &'static str {
        match self {
            // AWS's FAIL text is the API reference's; this PASS text mirrors it.
            CheckKind::NoNewAccess => {
                "The modified permissions do not grant new access compared to your existing policy."
            }
            CheckKind::AccessNotGranted {
                with_resources: false,
            } => "The policy document does not grant access to perform the listed actions.",
            CheckKind::AccessNotGranted {
                with_resources: true,
            } => {
                "The policy document does not grant access to perform the listed actions or resources."
            }
            CheckKind::NoPublicAccess => {
                "The resource policy does not grant public access for the given resource type."
            }
            CheckKind::NoExternalAccess => {
                "The resource policy does not grant access to principals outside the trusted accounts and organizations."
            }
        }
    }

    /// The `message` of a FAIL.
    pub fn fail_message(self) -> &'static str {
        match self {
            CheckKind::NoNewAccess => {
                "The modified permissions grant new access compared to your existing policy."
            }
            CheckKind::AccessNotGranted {
                with_resources: false,
            } => "The policy document grants access to perform one or more of the listed actions.",
            CheckKind::AccessNotGranted {
                with_resources: true,
            } => {
                "The policy document grants access to perform one or more of the listed actions or resources."
            }
            CheckKind::NoPublicAccess => {
                "The resource policy grants public access for the given resource type."
            }
            CheckKind::NoExternalAccess => {
                "The resource policy grants access to principals outside the trusted accounts and organizations."
            }
        }
    }

    /// The reason text for a statement responsible for a FAIL: AWS names the statement by its
    /// `Sid` when it has one (`… with sid: Bob.`) and by its index otherwise (`… with index: 1.`).
    pub fn statement_description(self, statement_index: usize, sid: Option<&str>) -> String {
        let lead = match self {
            CheckKind::NoNewAccess => "New access in the statement",
            CheckKind::AccessNotGranted {
                with_resources: false,
            } => "One or more of the listed actions in the statement",
            CheckKind::AccessNotGranted {
                with_resources: true,
            } => "One or more of the listed actions or resources in the statement",
            CheckKind::NoPublicAccess => "Public access granted in the following statement",
            CheckKind::NoExternalAccess => "External access granted in the following statement",
        };
        match sid {
            Some(sid) => format!("{lead} with sid: {sid}."),
            None => format!("{lead} with index: {statement_index}."),
        }
    }
}

/// PASS (a proof) or FAIL (the policy might allow the access).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// Proven: no request has the property.
    Pass,
    /// Some request might have the property (or the check could not be completed).
    Fail,
}

impl Verdict {
    /// `PASS` or `FAIL`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::Fail => "FAIL",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Verdict {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Where a responsible statement sits in its document (for the text rendering; not serialized).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatementLocation {
    /// The statement's span in the policy source.
    pub span: Span,
}

/// One entry of `reasons`.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    /// AWS's `description`.
    pub description: String,
    /// AWS's `statementIndex` (0-based); `None` for reasons that name no statement (e.g. "could
    /// not be completed").
    pub statement_index: Option<usize>,
    /// AWS's `statementId`: the statement's `Sid`, when it has one.
    pub statement_id: Option<String>,
    /// iamproof's `exampleRequest`: a concrete request, replayed through the reference evaluator,
    /// that shows the access this statement grants.
    pub example_request: Option<Request>,
    /// Where the statement is in the source (text rendering only).
    pub location: Option<StatementLocation>,
}

impl Reason {
    /// A reason naming a statement.
    pub fn for_statement(kind: CheckKind, statement: &Statement, example: Option<Request>) -> Self {
        Reason {
            description: kind.statement_description(statement.index, statement.sid.as_deref()),
            statement_index: Some(statement.index),
            statement_id: statement.sid.clone(),
            example_request: example,
            location: Some(StatementLocation {
                span: statement.span,
            }),
        }
    }

    /// A reason that names no statement.
    pub fn general(description: impl Into<String>) -> Self {
        Reason {
            description: description.into(),
            statement_index: None,
            statement_id: None,
            example_request: None,
            location: None,
        }
    }
}

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("description", &self.description)?;
        if let Some(i) = self.statement_index {
            m.serialize_entry("statementIndex", &i)?;
        }
        if let Some(id) = &self.statement_id {
            m.serialize_entry("statementId", id)?;
        }
        if let Some(r) = &self.example_request {
            m.serialize_entry("exampleRequest", &RequestJson(r))?;
        }
        m.end()
    }
}

/// The JSON form of a request: `{"principal":…,"action":…,"resource":…,"resourceAccount":…,
/// "context":{key: value | [values]}}`. The principal is `"anonymous"` or an object with one of
/// `AWS`, `Service`, `Federated`, `CanonicalUser` (the `Principal` element's own shape).
pub struct RequestJson<'a>(pub &'a Request);

impl Serialize for RequestJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("principal", &PrincipalJson(&r.principal))?;
        m.serialize_entry("action", &r.action)?;
        m.serialize_entry("resource", &r.resource)?;
        if let Some(a) = &r.resource_account {
            m.serialize_entry("resourceAccount", a)?;
        }
        m.serialize_entry("context", &ContextJson(r))?;
        m.end()
    }
}

struct PrincipalJson<'a>(&'a Principal);

impl Serialize for PrincipalJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (k, v) = match self.0 {
            Principal::Anonymous => return s.serialize_str("anonymous"),
            Principal::Arn(a) => ("AWS", a),
            Principal::Service(v) => ("Service", v),
            Principal::Federated(v) => ("Federated", v),
            Principal::CanonicalUser(v) => ("CanonicalUser", v),
        };
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry(k, v)?;
        m.end()
    }
}

struct ContextJson<'a>(&'a Request);

impl Serialize for ContextJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.context.len()))?;
        for (k, v) in self.0.context.iter() {
            match v {
                ContextValue::Single(x) => m.serialize_entry(k, x)?,
                ContextValue::Multi(xs) => m.serialize_entry(k, xs)?,
            }
        }
        m.end()
    }
}

/// The outcome of one check.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckResult {
    /// Which check produced this result.
    pub check: CheckKind,
    /// PASS or FAIL.
    pub result: Verdict,
    /// AWS's `message`.
    pub message: String,
    /// AWS's `reasons`: for a FAIL, one per responsible statement (plus general reasons when the
    /// check could not be completed).
    pub reasons: Vec<Reason>,
    /// Extra `engine`: which decision procedure answered (e.g. `native`, `z3`, `cvc5`).
    pub engine: Option<String>,
    /// Extra `unknownReason`: set when the engine could not decide, which makes the result a FAIL.
    pub unknown_reason: Option<String>,
    /// Extra `internalError`: set when a witness did not replay through the reference evaluator
    /// (a bug in iamproof); the result is then a FAIL.
    pub internal_error: Option<String>,
}

impl CheckResult {
    /// A PASS of `check`.
    pub fn pass(check: CheckKind) -> Self {
        CheckResult {
            check,
            result: Verdict::Pass,
            message: check.pass_message().to_string(),
            reasons: Vec::new(),
            engine: None,
            unknown_reason: None,
            internal_error: None,
        }
    }

    /// A FAIL of `check` with these reasons.
    pub fn fail(check: CheckKind, reasons: Vec<Reason>) -> Self {
        CheckResult {
            check,
            result: Verdict::Fail,
            message: check.fail_message().to_string(),
            reasons,
            engine: None,
            unknown_reason: None,
            internal_error: None,
        }
    }

    /// A FAIL because the engine could not decide (PASS must be a proof).
    pub fn unknown(check: CheckKind, why: &str) -> Self {
        let mut r = CheckResult::fail(
            check,
            vec![Reason::general(format!(
                "The check could not be completed, so the policy might allow the access: {why}"
            ))],
        );
        r.unknown_reason = Some(why.to_string());
        r
    }

    /// Whether the result is a PASS.
    pub fn is_pass(&self) -> bool {
        self.result == Verdict::Pass
    }

    /// The result as a JSON value in AWS's shape (plus iamproof's extra fields).
    pub fn to_json_value(&self) -> serde_json::Value {
        // Serializing our own types into a Value cannot fail (all map keys are strings).
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// The result as pretty-printed JSON in AWS's shape (plus iamproof's extra fields).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The result as JSON with only AWS's fields (`result`, `message`, `reasons[]` of
    /// `description`, `statementIndex`, `statementId`), for byte-for-byte comparison with AWS.
    pub fn to_aws_json_value(&self) -> serde_json::Value {
        let mut v = serde_json::Map::new();
        v.insert("result".into(), self.result.as_str().into());
        v.insert("message".into(), self.message.clone().into());
        if !self.reasons.is_empty() {
            let reasons = self
                .reasons
                .iter()
                .map(|r| {
                    let mut o = serde_json::Map::new();
                    o.insert("description".into(), r.description.clone().into());
                    if let Some(i) = r.statement_index {
                        o.insert("statementIndex".into(), i.into());
                    }
                    if let Some(id) = &r.statement_id {
                        o.insert("statementId".into(), id.clone().into());
                    }
                    serde_json::Value::Object(o)
                })
                .collect();
            v.insert("reasons".into(), serde_json::Value::Array(reasons));
        }
        serde_json::Value::Object(v)
    }
}

impl Serialize for CheckResult {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("result", &self.result)?;
        m.serialize_entry("message", &self.message)?;
        if !self.reasons.is_empty() {
            m.serialize_entry("reasons", &self.reasons)?;
        }
        if let Some(e) = &self.engine {
            m.serialize_entry("engine", e)?;
        }
        if let Some(u) = &self.unknown_reason {
            m.serialize_entry("unknownReason", u)?;
        }
        if let Some(e) = &self.internal_error {
            m.serialize_entry("internalError", e)?;
        }
        m.end()
    }
}
