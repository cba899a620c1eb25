//! Checks of `Resource` / `NotResource`: ARN syntax and fields, policy variables in ARNs, and
//! redundant resources.

use super::finding::FindingType;
use super::{loc, Validator};
use crate::model::*;
use crate::span::{JsonPath, Span};

impl Validator<'_> {
    pub(super) fn resources(&mut self, st: &Statement) {
        let Some(rc) = &st.resource else { return };
        let name = if rc.negated {
            "NotResource"
        } else {
            "Resource"
        };
        if rc.patterns.is_empty() {
            self.push(
                FindingType::Suggestion,
                "EMPTY_ARRAY_RESOURCE",
                "This statement includes no resources and does not affect the policy. Specify resources.".to_string(),
                vec![self.element_loc(st, name)],
            );
        }
        let vars = self.policy.variables_enabled();
        for r in &rc.patterns {
            if r.text == "*" {
                continue;
            }
            let l = loc(&r.path, r.span);
            let fields: Vec<&str> = r.text.splitn(6, ':').collect();
            if fields.len() < 6 {
                // "Resource ARNs must include at least {{fields}} fields in the following
                // structure: arn:partition:service:region:account:resource"
                self.push(
                    FindingType::Error,
                    "MISSING_ARN_FIELD",
                    "Resource ARNs must include at least 6 fields in the following structure: arn:partition:service:region:account:resource".to_string(),
                    vec![l],
                );
                continue;
            }
            if fields.first() != Some(&"arn") {
                self.push(
                    FindingType::Error,
                    "INVALID_ARN_PREFIX",
                    "Add the required prefix (arn) to the resource ARN.".to_string(),
                    vec![l],
                );
                continue;
            }
            if let (Some(cat), Some(svc)) = (self.actions, fields.get(2)) {
                let literal = !svc.is_empty() && !svc.contains(['*', '?', '$']);
                if literal && !cat.has_service(svc) {
                    self.push(
                        FindingType::Error,
                        "INVALID_SERVICE",
                        format!("The service {svc} does not exist. Use a valid service name."),
                        vec![l.clone()],
                    );
                }
            }
            if fields
                .get(2)
                .is_some_and(|s| s.contains('*') || s.contains('?'))
            {
                self.push(
                    FindingType::Suggestion,
                    "WILDCARD_IN_SERVICE_NAME",
                    "Avoid using wildcards (*, ?) in the service name because it might grant unintended access to other AWS services with similar names.".to_string(),
                    vec![l.clone()],
                );
            }
            if vars && r.template.has_variables() {
                // The parser allows variables in the region and account fields (AWS's own
                // managed policies do this); the documentation allows only the resource field.
                let prefix: String = fields.iter().take(5).copied().collect::<Vec<_>>().join(":");
                if prefix.contains("${") {
                    self.push(
                        FindingType::Warning,
                        "IAMPROOF_VARIABLE_IN_ARN_PREFIX",
                        format!("The resource {} uses a policy variable in the region or account field; the documentation allows variables only in the resource part of the ARN.", r.text),
                        vec![l],
                    );
                }
            }
        }
        let items: Vec<(&str, &JsonPath, Span)> = rc
            .patterns
            .iter()
            .filter(|p| !(vars && p.template.has_variables()))
            .map(|p| (p.text.as_str(), &p.path, p.span))
            .collect();
        self.redundant(&items, false, "REDUNDANT_RESOURCE", |n, named| {
            format!("The {n} resource ARN(s) are redundant because they reference the same resource. Review the use of wildcards (*), or remove the resource {named} to remove the redundancy.")
        });
    }
}
