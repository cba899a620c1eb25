//! `{"Federated": "*"}`, `{"Service": "*"}` and `{"CanonicalUser": "*"}` (docs/semantics.md,
//! "Principal wildcards of one kind"): IAM's reference allows a wildcard principal only as `"*"`
//! or `{"AWS": "*"}`, yet Access Analyzer's CheckNoNewAccess accepts `{"Federated": "*"}` and
//! answers for any federated provider. iamproof parses the three forms as every principal of the
//! kind, and validate-policy reports each as AWS reports a wildcard in a principal.

use iamproof_policy::{parse_policy, validate_policy, PolicyType, PrincipalKind};

#[test]
fn kind_wildcards_parse_and_are_reported() {
    for key in ["Federated", "Service", "CanonicalUser"] {
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"{key}":"*"}},"Action":"sts:AssumeRole"}}]}}"#
        );
        let p = match parse_policy(&text, PolicyType::Resource) {
            Ok(p) => p,
            Err(e) => panic!("{key}: {e}"),
        };
        let entry = &p.statements[0]
            .principal
            .as_ref()
            .map(|c| c.entries.clone());
        let entry = entry.as_ref().and_then(|e| e.first()).cloned();
        let entry = entry.unwrap_or_else(|| panic!("{key}: no entry"));
        assert_eq!(entry.value, "*");
        assert_ne!(entry.kind, PrincipalKind::Aws);
        let findings = validate_policy(&text, PolicyType::Resource);
        let codes: Vec<&str> = findings.iter().map(|f| f.issue_code.as_str()).collect();
        assert!(
            codes.contains(&"UNSUPPORTED_WILDCARD_IN_PRINCIPAL"),
            "{key}: {codes:?}"
        );
    }
}
