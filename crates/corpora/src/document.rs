//! Helpers on policy documents held as JSON values.

use iamproof_policy::{parse_policy, Policy, PolicyError, PolicyType};
use serde_json::Value;

/// The statements of a policy document (a single statement object counts as a list of one).
pub fn statements_of(doc: &Value) -> Vec<&Value> {
    match doc.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => Vec::new(),
    }
}

/// Whether some statement of a document names a `Principal` or `NotPrincipal`.
pub fn has_principal(doc: &Value) -> bool {
    statements_of(doc)
        .iter()
        .any(|s| s.get("Principal").is_some() || s.get("NotPrincipal").is_some())
}

/// The type a document is read as when its corpus does not say: [`PolicyType::Resource`] if a
/// statement names a principal, else [`PolicyType::Identity`].
pub fn guess_policy_type(doc: &Value) -> PolicyType {
    if has_principal(doc) {
        PolicyType::Resource
    } else {
        PolicyType::Identity
    }
}

/// Parses a document with `iamproof-policy` (its compact JSON text, key order kept).
pub fn parse_document(doc: &Value, policy_type: PolicyType) -> Result<Policy, PolicyError> {
    parse_policy(&doc.to_string(), policy_type)
}

/// The pretty-printed JSON text of a document (key order kept): how documents stored inside
/// JSONL rows or bigger files are handed out as text.
pub fn to_pretty_text(doc: &Value) -> String {
    // Serialising a `Value` cannot fail (its keys are strings); fall back to the compact form.
    serde_json::to_string_pretty(doc).unwrap_or_else(|_| doc.to_string())
}

/// The number of patterns and values a document holds (actions, resources, principals and
/// condition values, each list element counted once): the "policy size" of the benchmark plots.
pub fn doc_size(doc: &Value) -> usize {
    fn count(v: &Value, depth: usize) -> usize {
        if depth > crate::MAX_DEPTH {
            return 0;
        }
        match v {
            Value::Array(a) => a.iter().map(|x| count(x, depth + 1)).sum(),
            Value::Object(m) => m.values().map(|x| count(x, depth + 1)).sum(),
            Value::Null => 0,
            _ => 1,
        }
    }
    const ELEMENTS: [&str; 7] = [
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Principal",
        "NotPrincipal",
        "Condition",
    ];
    statements_of(doc)
        .iter()
        .map(|s| {
            ELEMENTS
                .iter()
                .filter_map(|k| s.get(*k))
                .map(|v| count(v, 0))
                .sum::<usize>()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn principal_decides_the_guessed_type() {
        let id = json!({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}});
        let res = json!({"Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": "x"}, "Action": "s3:*"}]});
        assert_eq!(guess_policy_type(&id), PolicyType::Identity);
        assert_eq!(guess_policy_type(&res), PolicyType::Resource);
        assert_eq!(statements_of(&id).len(), 1);
        assert!(parse_document(&id, PolicyType::Identity).is_ok());
    }

    #[test]
    fn size_counts_patterns_and_values() {
        let d = json!({"Statement": [
            {"Effect": "Allow", "Action": ["a:b", "c:d"], "Resource": "*",
             "Condition": {"StringEquals": {"k": ["x", "y"]}}, "Sid": "ignored"}
        ]});
        assert_eq!(doc_size(&d), 5);
    }
}
