//! Checks of `Principal` / `NotPrincipal`: formats of accounts, ARNs, services and federated
//! principals, and the principals each policy type allows.

use super::finding::FindingType;
use super::{loc, lookup, Validator};
use crate::json::JsonValue;
use crate::model::*;
use crate::span::PathElem;

/// `name.amazonaws.com` (or `.amazon.com`, `.amazonaws.com.cn`), one lower-case label: Access
/// Analyzer rejects `application-signals.cloudwatch.amazonaws.com` (mamip corpus).
pub(super) fn is_service_principal_format(s: &str) -> bool {
    let body = ["amazonaws.com.cn", "amazonaws.com", "amazon.com"]
        .iter()
        .find_map(|suf| s.strip_suffix(suf).and_then(|b| b.strip_suffix('.')));
    match body {
        Some(b) => {
            !b.is_empty()
                && b.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        }
        None => false,
    }
}

impl Validator<'_> {
    pub(super) fn principal(&mut self, st: &Statement) {
        let Some(pc) = &st.principal else { return };
        let name = if pc.negated {
            "NotPrincipal"
        } else {
            "Principal"
        };
        let el = self.element_loc(st, name);
        if pc.negated {
            if st.effect == Effect::Allow {
                self.push(
                    FindingType::SecurityWarning,
                    "ALLOW_WITH_NOT_PRINCIPAL",
                    "Using Allow with NotPrincipal can be overly permissive. We recommend that you use Principal instead.".to_string(),
                    vec![el.clone()],
                );
            } else {
                self.push(
                    FindingType::Warning,
                    "DENY_WITH_NOT_PRINCIPAL",
                    "Deny with NotPrincipal is error-prone: it denies every principal not listed, so the exempted principal's account (and role) ARN must be listed too, and it always denies principals that have a permissions boundary. We recommend a Principal \"*\" Deny with an aws:PrincipalArn condition instead.".to_string(),
                    vec![el.clone()],
                );
            }
        }
        if pc.entries.is_empty() {
            let is_array = lookup(self.tree, &el.path)
                .is_some_and(|(n, _)| matches!(n.value, JsonValue::Array(_)));
            let code = if is_array {
                "EMPTY_ARRAY_PRINCIPAL"
            } else {
                "EMPTY_OBJECT_PRINCIPAL"
            };
            self.push(
                FindingType::Suggestion,
                code,
                "This statement includes no principals and does not affect the policy. Specify principals.".to_string(),
                vec![el],
            );
        }
        for e in &pc.entries {
            // A string principal other than "*" (read as {"AWS": …} by the parser) stands at the
            // element's own path, with no "AWS" key under it.
            let shorthand = e.kind == PrincipalKind::Aws
                && matches!(e.path.0.last(), Some(PathElem::Key(k)) if k == name);
            if shorthand {
                self.push(
                    FindingType::Error,
                    "INVALID_PRINCIPAL_FORMAT",
                    "The Principal element contents are not valid. Specify a key-value pair in the Principal element.".to_string(),
                    vec![loc(&e.path, e.span)],
                );
            }
            if e.kind != PrincipalKind::Aws && e.kind != PrincipalKind::Everyone && e.value == "*" {
                // docs/semantics.md, "Principal wildcards of one kind": checked as every
                // principal of the kind, reported as AWS reports a wildcard in a principal.
                let key = match e.kind {
                    PrincipalKind::Service => "Service",
                    PrincipalKind::Federated => "Federated",
                    _ => "CanonicalUser",
                };
                self.push(
                    FindingType::Error,
                    "UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
                    format!("Wildcards (*, ?) are not supported with the principal key {key}. Replace the wildcard with a valid principal value."),
                    vec![loc(&e.path, e.span)],
                );
                continue;
            }
            if e.kind == PrincipalKind::Service && !is_service_principal_format(&e.value) {
                self.push(
                    FindingType::Error,
                    "INVALID_SERVICE_PRINCIPAL_FORMAT",
                    "The service principal does not match the expected format. Use the format {service-name}.amazonaws.com.".to_string(),
                    vec![loc(&e.path, e.span)],
                );
            }
        }
    }
}
