//! `partialFingerprints`: what makes a finding the same finding on the next run.
//!
//! Code scanning closes an alert when no result of the next run has its fingerprint, and opens a
//! new one for a result with an unknown fingerprint. So the fingerprint must not depend on where
//! the finding is in the file (a line added above it moves it) nor on other findings, and must
//! depend on what the finding is about. It is the SHA-256 of:
//!
//! - the artifact URI (the file, as the report names it), the rule id (the finding code), the
//!   resource name and the policy name;
//! - the statement: its `Sid` when it has one, otherwise its content as analysed, in canonical
//!   JSON (object keys sorted, no whitespace), so reformatting the file or moving the statement
//!   does not change it; nothing for a finding about the whole document. Never the statement's
//!   index or line;
//! - for `ValidatePolicy` codes, the message too: it names the offending element (`The action
//!   s3:GetObjekt does not exist`), which tells apart two findings of one code in one statement.
//!   Custom-check messages are fixed per check, and iamproof's may cite indexes, so they are left
//!   out.
//!
//! Findings that still share a hash (two unnamed statements with identical content, say) are
//! numbered in report order, and the fingerprint is `hash:n` (n from 1), as code scanning's own
//! `primaryLocationLineHash` does. The key is `iamproof/v1`: a later change to this recipe would
//! use a new key rather than silently reopen every alert.

use crate::finding::{Finding, FindingCode};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

/// The `partialFingerprints` key.
pub(crate) const KEY: &str = "iamproof/v1";

/// Object keys sorted at every level, compact.
fn canonical_json(value: &Value) -> String {
    fn sorted(value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                let ordered: BTreeMap<&String, Value> =
                    map.iter().map(|(k, v)| (k, sorted(v))).collect();
                Value::Object(ordered.into_iter().map(|(k, v)| (k.clone(), v)).collect())
            }
            Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    sorted(value).to_string()
}

/// The hash of one finding, before numbering.
fn base_hash(uri: &str, finding: &Finding) -> String {
    let mut hasher = Sha256::new();
    let mut part = |text: &str| {
        // Length-prefixed, so that no two different lists of parts hash the same bytes.
        hasher.update((text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    };
    part(KEY);
    part(uri);
    part(finding.code.as_str());
    part(&finding.resource_name);
    part(&finding.policy_name);
    match (&finding.statement_id, &finding.statement) {
        (Some(sid), _) => {
            part("sid");
            part(sid);
        }
        (None, Some(statement)) => {
            part("statement");
            part(&canonical_json(statement));
        }
        (None, None) => part("document"),
    }
    if matches!(finding.code, FindingCode::Validation(_)) {
        part(&finding.message);
    }
    let digest = hasher.finalize();
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// The fingerprints of findings in report order, each with the URI of its file ("" when it has
/// none).
pub(crate) fn fingerprints<'a>(
    findings: impl IntoIterator<Item = (&'a str, &'a Finding)>,
) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    findings
        .into_iter()
        .map(|(uri, finding)| {
            let hash = base_hash(uri, finding);
            let n = seen.entry(hash.clone()).or_insert(0);
            *n += 1;
            format!("{hash}:{n}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::canonical_json;
    use serde_json::json;

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let a = json!({"Effect": "Allow", "Action": ["s3:Get*"], "Condition": {"b": 1, "a": {"y": 2, "x": 1}}});
        let b = json!({"Condition": {"a": {"x": 1, "y": 2}, "b": 1}, "Action": ["s3:Get*"], "Effect": "Allow"});
        assert_eq!(canonical_json(&a), canonical_json(&b));
        assert_eq!(
            canonical_json(&a),
            r#"{"Action":["s3:Get*"],"Condition":{"a":{"x":1,"y":2},"b":1},"Effect":"Allow"}"#
        );
    }
}
