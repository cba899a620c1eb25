//! Checks of `Action` / `NotAction`: action syntax, unknown services and actions, redundant
//! actions, and `iam:PassRole` / service-linked-role statements.

use super::finding::{FindingType, Location};
use super::{loc, Validator};
use crate::glob::glob_matches;
use crate::model::*;
use crate::span::{JsonPath, Span};

impl Validator<'_> {
    pub(super) fn actions(&mut self, st: &Statement) {
        let name = if st.action.negated {
            "NotAction"
        } else {
            "Action"
        };
        if st.action.patterns.is_empty() {
            self.push(
                FindingType::Suggestion,
                "EMPTY_ARRAY_ACTION",
                "This statement includes no actions and does not affect the policy. Specify actions.".to_string(),
                vec![self.element_loc(st, name)],
            );
        }
        for a in &st.action.patterns {
            let name_part = a.text.split_once(':').map(|(_, n)| n).unwrap_or("");
            if a.text != "*" && (name_part.is_empty() || a.text.chars().any(char::is_whitespace)) {
                self.push(
                    FindingType::Error,
                    "INVALID_ACTION",
                    format!("The action {} does not exist.", a.text),
                    vec![loc(&a.path, a.span)],
                );
            } else if a.text.contains(',') && self.actions.is_none() {
                // No action name holds a comma (a comma does not separate actions inside one
                // string); with a catalogue the check below reports it.
                self.push(
                    FindingType::Error,
                    "INVALID_ACTION",
                    format!("The action {} does not exist.", a.text),
                    vec![loc(&a.path, a.span)],
                );
            }
        }
        if let Some(cat) = self.actions {
            for a in &st.action.patterns {
                let Some((svc, name)) = a.text.split_once(':') else {
                    continue;
                };
                if svc.is_empty() || name.is_empty() || svc.contains(char::is_whitespace) {
                    continue;
                }
                if !cat.has_service(svc) {
                    self.push(
                        FindingType::Error,
                        "INVALID_SERVICE_IN_ACTION",
                        format!(
                            "The service {} specified in the action does not exist.",
                            a.text
                        ),
                        vec![loc(&a.path, a.span)],
                    );
                } else if !name.contains(['*', '?']) && !cat.has_action(svc, name) {
                    self.push(
                        FindingType::Error,
                        "INVALID_ACTION",
                        format!("The action {} does not exist.", a.text),
                        vec![loc(&a.path, a.span)],
                    );
                }
            }
        }
        let items: Vec<(&str, &JsonPath, Span)> = st
            .action
            .patterns
            .iter()
            .map(|a| (a.text.as_str(), &a.path, a.span))
            .collect();
        self.redundant(&items, true, "REDUNDANT_ACTION", |n, named| {
            format!("The {n} action(s) are redundant because they provide similar permissions. Update the policy to remove the redundant action such as: {named}.")
        });
    }

    pub(super) fn pass_role_and_slr(&mut self, st: &Statement) {
        // Only identity policies grant iam:PassRole / iam:CreateServiceLinkedRole to a caller.
        if self.policy.policy_type != PolicyType::Identity
            || st.effect != Effect::Allow
            || st.action.negated
        {
            return;
        }
        let Some(rc) = &st.resource else { return };
        if rc.negated {
            return;
        }
        let star_res: Vec<&ResourcePattern> =
            rc.patterns.iter().filter(|p| p.text == "*").collect();
        if star_res.is_empty() {
            return;
        }
        let res_locs: Vec<Location> = if self.is_array(st, "Resource") {
            star_res.iter().map(|p| loc(&p.path, p.span)).collect()
        } else {
            vec![self.element_loc(st, "Resource")]
        };
        let action_is_array = self.is_array(st, "Action");
        for (action, guard_key, exact_code, star_code, what) in [
            (
                "iam:PassRole",
                "iam:passedtoservice",
                "PASS_ROLE_WITH_STAR_IN_RESOURCE",
                "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
                "pass",
            ),
            (
                "iam:CreateServiceLinkedRole",
                "iam:awsservicename",
                "CREATE_SLR_WITH_STAR_IN_RESOURCE",
                "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE",
                "slr",
            ),
        ] {
            // A guard restricts only if an absent key or a pattern cannot satisfy it: a positive
            // operator without IfExists and with fixed values (AA still warns about
            // `StringEqualsIfExists` and `StringLike "*a4b.amazonaws.com"`, mamip corpus).
            let guarded = st.conditions.iter().any(|c| {
                c.key_lower() == guard_key
                    && !c.operator.base.is_negated()
                    && !c.operator.if_exists
                    && !c.values.is_empty()
                    && c.values.iter().all(|v| !v.text.contains(['*', '?']))
            });
            // AA also stays silent when a PassRole statement pins iam:AssociatedResourceArn
            // (AWSServiceRoleForSMS, mamip corpus), even with a pattern.
            let associated = what == "pass"
                && st.conditions.iter().any(|c| {
                    c.key_lower() == "iam:associatedresourcearn"
                        && !c.operator.base.is_negated()
                        && !c.operator.if_exists
                });
            if guarded || associated {
                continue;
            }
            let covering: Vec<&ActionPattern> = st
                .action
                .patterns
                .iter()
                .filter(|a| glob_matches(&a.text, action, true))
                .collect();
            if covering.is_empty() {
                continue;
            }
            let exact: Vec<&&ActionPattern> = covering
                .iter()
                .filter(|a| !a.text.contains('*') && !a.text.contains('?'))
                .collect();
            let (code, act_locs): (&str, Vec<Location>) = if !exact.is_empty() {
                let locs = if action_is_array {
                    exact.iter().map(|a| loc(&a.path, a.span)).collect()
                } else {
                    vec![self.element_loc(st, "Action")]
                };
                (exact_code, locs)
            } else {
                let locs = if action_is_array {
                    covering.iter().map(|a| loc(&a.path, a.span)).collect()
                } else {
                    vec![self.element_loc(st, "Action")]
                };
                (star_code, locs)
            };
            let (ty, details) = match (what, code == exact_code) {
                ("pass", true) => (FindingType::SecurityWarning, "Using the iam:PassRole action with wildcards (*) in the resource can be overly permissive because it allows iam:PassRole permissions on multiple resources. We recommend that you specify resource ARNs or add the iam:PassedToService condition key to your statement."),
                ("pass", false) => (FindingType::SecurityWarning, "Using wildcards (*) in the action and the resource can be overly permissive because it allows iam:PassRole permissions on all resources. We recommend that you specify resource ARNs or add the iam:PassedToService condition key to your statement."),
                (_, true) => (FindingType::Warning, "Using the iam:CreateServiceLinkedRole action with wildcards (*) in the resource can allow creation of unintended service-linked roles. We recommend that you specify resource ARNs instead."),
                (_, false) => (FindingType::Warning, "Using wildcards (*) in the action and the resource can allow creation of unintended service-linked roles because it allows iam:CreateServiceLinkedRole permissions on all resources. We recommend that you specify resource ARNs instead."),
            };
            let mut locs = act_locs;
            locs.extend(res_locs.iter().cloned());
            self.push(ty, code, details.to_string(), locs);
        }
    }
}
