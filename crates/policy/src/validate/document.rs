//! Document- and statement-level checks: `Version`, size quotas, policy variables under the
//! 2008 version, statement shape, and tag condition keys on actions that support none.

use super::finding::{FindingType, Location, IDENTITY_POLICY_CHAR_QUOTA};
use super::{end_position, loc, lookup, missing_version, Validator};
use crate::glob::glob_matches;
use crate::model::*;
use crate::span::{JsonPath, Position, Span};
use std::collections::HashMap;

impl Validator<'_> {
    pub(super) fn document(&mut self) {
        let p = self.policy;
        if p.version.is_none() {
            self.out.push(missing_version(self.tree.span));
        }
        if p.policy_type == PolicyType::Identity {
            let n = self.text.chars().filter(|c| !c.is_whitespace()).count();
            if n > IDENTITY_POLICY_CHAR_QUOTA {
                let start = Position {
                    line: 1,
                    column: 0,
                    offset: 0,
                };
                self.push(
                    FindingType::Warning,
                    "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
                    format!("The {n} characters in the identity policy, excluding whitespace, exceed the {IDENTITY_POLICY_CHAR_QUOTA} character maximum for inline and managed policies. We recommend that you use multiple granular policies."),
                    vec![loc(&JsonPath::root(), Span { start, end: end_position(self.text) })],
                );
            }
        }
        // "Add a value to the empty string in the Sid element."
        for st in &p.statements {
            if st.sid.as_deref() == Some("") {
                let l = self.element_loc(st, "Sid");
                self.push(
                    FindingType::Suggestion,
                    "EMPTY_SID_VALUE",
                    "Add a value to the empty string in the Sid element.".to_string(),
                    vec![l],
                );
            }
        }
        // Unique Sids.
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for st in &p.statements {
            if let Some(sid) = &st.sid {
                if let Some(first) = seen.get(sid.as_str()) {
                    let first_loc = p.statements.get(*first).map(|f| self.element_loc(f, "Sid"));
                    let mut locs: Vec<Location> = first_loc.into_iter().collect();
                    locs.push(self.element_loc(st, "Sid"));
                    self.push(
                        FindingType::Error,
                        "UNIQUE_SIDS_REQUIRED",
                        "Duplicate statement IDs are not supported for this policy type. Update the Sid value.".to_string(),
                        locs,
                    );
                } else {
                    seen.insert(sid, st.index);
                }
            }
        }
    }

    pub(super) fn statement(&mut self, st: &Statement) {
        self.principal(st);
        self.actions(st);
        self.resources(st);
        self.conditions(st);
        self.unsupported_tag_keys(st);
        self.pass_role_and_slr(st);
        self.version_variables(st);
        if self.policy.policy_type == PolicyType::ResourceControl {
            // "RCPs only support specifying all principals ("*") in the Principal element, all
            // resources ("*") in the Resource element, and no Condition element with an effect
            // of Allow." (the Principal part is checked by the parser).
            let star_resource = st
                .resource
                .as_ref()
                .is_some_and(|r| !r.negated && r.patterns.iter().any(|p| p.text == "*"));
            let has_condition = lookup(self.tree, &st.path.key("Condition")).is_some();
            if st.effect == Effect::Allow && (!star_resource || has_condition) {
                self.push(
                    FindingType::Error,
                    "RCP_SYNTAX_ERROR_ALLOW",
                    "RCPs only support specifying all principals (\"*\") in the Principal element, all resources (\"*\") in the Resource element, and no Condition element with an effect of Allow.".to_string(),
                    vec![self.element_loc(st, "Effect")],
                );
            }
            // "RCPs do not support the NotAction element. Update to use the Action element."
            if st.action.negated {
                self.push(
                    FindingType::Error,
                    "RCP_SYNTAX_ERROR_NOTACTION",
                    "RCPs do not support the NotAction element. Update to use the Action element."
                        .to_string(),
                    vec![self.element_loc(st, "NotAction")],
                );
            }
        }
    }

    /// "Using the effect Allow with the tag condition key {{conditionKeyName}} and actions for
    /// services with the following prefixes does not affect the policy: {{serviceNames}}."
    /// (and the Deny counterpart, "…can be overly permissive"): actions listed by name whose
    /// reference entry (own keys and resource types' keys) has no tag key at all (neither
    /// `aws:ResourceTag/…`, `aws:RequestTag/…` nor `aws:TagKeys`: AWS does not flag the
    /// `Create…` actions that only take request tags), one finding per service. A wildcard
    /// action is flagged when one of the actions it matches is (`sagemaker-mlflow:*`, mamip). Negated, `…IfExists` and `Null` operators are not flagged (AWS
    /// warns against them as workarounds, which it could only do if they silence the finding).
    pub(super) fn unsupported_tag_keys(&mut self, st: &Statement) {
        let Some(cat) = self.actions else { return };
        if st.action.negated {
            return;
        }
        let (code, ty, details) = match st.effect {
            Effect::Allow => ("ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", FindingType::Suggestion, "does not affect the policy: {svc}. The actions for the listed service are not allowed by this statement."),
            Effect::Deny => ("DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", FindingType::SecurityWarning, "can be overly permissive: {svc}. The actions for the listed service are not denied by this statement."),
        };
        for c in &st.conditions {
            let op = c.operator;
            if !c.key_lower().starts_with("aws:resourcetag/")
                || op.base.is_negated()
                || op.if_exists
                || op.base == BaseOperator::Null
            {
                continue;
            }
            let mut by_service: Vec<(String, Vec<Location>)> = Vec::new();
            for a in &st.action.patterns {
                let Some((svc, name)) = a.text.split_once(':') else {
                    continue;
                };
                let tag_key = |k: &String| {
                    k.starts_with("aws:resourcetag/")
                        || k.starts_with("aws:requesttag/")
                        || k == "aws:tagkeys"
                };
                let unsupported = |n: &str| {
                    cat.action_condition_keys(svc, n)
                        .is_some_and(|keys| !keys.iter().any(tag_key))
                };
                let flagged = if name.contains(['*', '?']) {
                    // A pattern is flagged when one of the actions it matches is.
                    cat.service_actions(svc).is_some_and(|all| {
                        all.iter()
                            .any(|n| glob_matches(name, n, true) && unsupported(n))
                    })
                } else {
                    unsupported(name)
                };
                if !flagged {
                    continue;
                }
                let svc = svc.to_ascii_lowercase();
                let l = loc(&a.path, a.span);
                match by_service.iter_mut().find(|(s, _)| *s == svc) {
                    Some((_, locs)) => locs.push(l),
                    None => by_service.push((svc, vec![l])),
                }
            }
            for (svc, mut locs) in by_service {
                locs.push(self.key_loc(c));
                let effect = if st.effect == Effect::Allow {
                    "Allow"
                } else {
                    "Deny"
                };
                self.push(
                    ty,
                    code,
                    format!(
                        "Using the effect {effect} with the condition key {} and actions for services with the following prefixes {} We recommend that you move these actions to a different statement without this condition key.",
                        c.key,
                        details.replace("{svc}", &svc)
                    ),
                    locs,
                );
            }
        }
    }

    pub(super) fn version_variables(&mut self, st: &Statement) {
        // "To include variables in your policy, use the policy version 2012-10-17 or later."
        // Without a Version the 2008-10-17 rules apply.
        if self.policy.version == Some(Version::V2012_10_17) {
            return;
        }
        let mut locs = Vec::new();
        if let Some(rc) = &st.resource {
            locs.extend(
                rc.patterns
                    .iter()
                    .filter(|p| p.text.contains("${"))
                    .map(|p| loc(&p.path, p.span)),
            );
        }
        for c in &st.conditions {
            locs.extend(
                c.values
                    .iter()
                    .filter(|v| v.text.contains("${"))
                    .map(|v| loc(&v.path, v.span)),
            );
        }
        for l in locs {
            self.push(
                FindingType::Error,
                "VARIABLE_UNSUPPORTED_IN_VERSION",
                "To include variables in your policy, use the policy version 2012-10-17 or later."
                    .to_string(),
                vec![l],
            );
        }
    }
}
