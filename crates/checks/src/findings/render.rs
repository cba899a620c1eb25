//! Findings as JSON (the shape of an Access Analyzer finding, plus iamproof's fields) and as a
//! text table.

use super::{Comparison, Finding, FindingPrincipal, Findings, PrincipalClass};
use crate::render::render_request;
use crate::result::RequestJson;
use serde_json::{json, Map, Value};
use std::fmt::Write;

impl FindingPrincipal {
    /// As the policy writes it: `{"AWS": "…"}`, `"*"`, `{"NotPrincipal": {"AWS": […]}}`, or
    /// `null` for the caller of an identity policy.
    pub fn to_json_value(&self) -> Value {
        let by_kind = |entries: &[(String, String)]| {
            let mut m = Map::new();
            for (k, v) in entries {
                let slot = m
                    .entry(k.clone())
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(a) = slot {
                    a.push(Value::String(v.clone()));
                }
            }
            Value::Object(m)
        };
        match self.class {
            PrincipalClass::Caller => Value::Null,
            PrincipalClass::NotPrincipal => json!({ "NotPrincipal": by_kind(&self.entries) }),
            _ => match self.entries.first() {
                Some((k, v)) if k == "*" => Value::String(v.clone()),
                Some((k, v)) => json!({ k.clone(): v.clone() }),
                None => Value::String("*".into()),
            },
        }
    }

    /// One line: `AWS 123456789012`, `* (public)`, `NotPrincipal AWS a, b`, `the caller`.
    pub fn describe(&self) -> String {
        match self.class {
            PrincipalClass::Caller => "the caller".into(),
            PrincipalClass::NotPrincipal => {
                let list: Vec<String> = self
                    .entries
                    .iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect();
                format!("everyone but NotPrincipal {}", list.join(", "))
            }
            _ => self
                .entries
                .iter()
                .map(|(k, v)| {
                    if k == "*" {
                        "*".to_string()
                    } else {
                        format!("{k} {v}")
                    }
                })
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

impl Finding {
    /// `{principal, principalClass, action, notAction, resource, notResource, condition,
    /// isPublic, statementIndexes, statementIds, concreteActions, concreteActionsTruncated, exampleRequest}`
    /// (empty lists and unknown values left out).
    pub fn to_json_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("principal".into(), self.principal.to_json_value());
        m.insert(
            "principalClass".into(),
            json!(self.principal.class.as_str()),
        );
        let mut list = |name: &str, v: &Vec<String>| {
            if !v.is_empty() {
                m.insert(name.into(), json!(v));
            }
        };
        list("action", &self.actions);
        list("notAction", &self.not_actions);
        list("resource", &self.resources);
        list("notResource", &self.not_resources);
        m.insert("condition".into(), self.condition.clone());
        if let Some(p) = self.is_public {
            m.insert("isPublic".into(), json!(p));
        }
        m.insert("statementIndexes".into(), json!(self.statement_indexes));
        if !self.statement_ids.is_empty() {
            m.insert("statementIds".into(), json!(self.statement_ids));
        }
        if let Some(a) = &self.concrete_actions {
            m.insert("concreteActions".into(), json!(a));
            m.insert(
                "concreteActionsTruncated".into(),
                json!(self.concrete_actions_truncated),
            );
        }
        m.insert(
            "exampleRequest".into(),
            serde_json::to_value(RequestJson(&self.example_request)).unwrap_or(Value::Null),
        );
        Value::Object(m)
    }
}

impl Findings {
    /// `{"findings": […], "complete": bool, "incompleteReason": …, "minimal": bool, "engine":
    /// …, "questions": N}`.
    pub fn to_json_value(&self) -> Value {
        let mut m = Map::new();
        m.insert(
            "findings".into(),
            Value::Array(self.findings.iter().map(Finding::to_json_value).collect()),
        );
        m.insert("complete".into(), json!(self.complete));
        if let Some(r) = &self.incomplete_reason {
            m.insert("incompleteReason".into(), json!(r));
        }
        m.insert("minimal".into(), json!(self.minimal));
        m.insert("engine".into(), json!(self.engine));
        m.insert("questions".into(), json!(self.questions));
        Value::Object(m)
    }

    /// A text table, one block per finding, and a line saying whether the list is complete.
    pub fn render_table(&self) -> String {
        let mut t = String::new();
        for (n, f) in self.findings.iter().enumerate() {
            let _ = writeln!(t, "finding {}: {}", n + 1, f.principal.describe());
            let mut row = |name: &str, value: String| {
                let _ = writeln!(t, "  {name:<12}{value}");
            };
            row("class", f.principal.class.as_str().to_string());
            if let Some(p) = f.is_public {
                row("public", if p { "yes" } else { "no" }.to_string());
            }
            if !f.actions.is_empty() {
                row("actions", f.actions.join(", "));
            }
            if !f.not_actions.is_empty() {
                row("not actions", f.not_actions.join(", "));
            }
            if let Some(a) = &f.concrete_actions {
                let more = if f.concrete_actions_truncated {
                    " (and possibly more: not all were decided)"
                } else {
                    ""
                };
                const SHOWN: usize = 12;
                let mut list: Vec<&str> = a.iter().take(SHOWN).map(String::as_str).collect();
                let rest = format!("… and {} more", a.len().saturating_sub(SHOWN));
                if a.len() > SHOWN {
                    list.push(&rest);
                }
                row(
                    "concrete",
                    format!("{} action(s){more}: {}", a.len(), list.join(", ")),
                );
            }
            if !f.resources.is_empty() {
                row("resources", f.resources.join(", "));
            }
            if !f.not_resources.is_empty() {
                row("not resources", f.not_resources.join(", "));
            }
            let condition = if f.condition.as_object().is_some_and(|m| m.is_empty()) {
                "none".to_string()
            } else {
                f.condition.to_string()
            };
            row("condition", condition);
            let statements: Vec<String> =
                f.statement_indexes.iter().map(usize::to_string).collect();
            row("statements", statements.join(", "));
            let _ = writeln!(t, "  example:");
            render_request(&mut t, &f.example_request, "    ");
        }
        if self.findings.is_empty() {
            t.push_str("no findings\n");
        }
        if self.complete {
            let _ = writeln!(
                t,
                "complete: every such request is covered by a finding above (proven)"
            );
        } else {
            let _ = writeln!(
                t,
                "NOT proven complete: {}",
                self.incomplete_reason.as_deref().unwrap_or("undecided")
            );
        }
        t
    }
}

impl Comparison {
    /// `{"result": "equivalent"|…, "aExtra": findings, "bExtra": findings}`.
    pub fn to_json_value(&self) -> Value {
        json!({
            "result": self.verdict.as_str(),
            "aExtra": self.a_extra.to_json_value(),
            "bExtra": self.b_extra.to_json_value(),
        })
    }

    /// The verdict and the findings of each side's extra access.
    pub fn render_text(&self) -> String {
        let mut t = format!("{}\n", self.verdict.as_str());
        for (name, f) in [("A", &self.a_extra), ("B", &self.b_extra)] {
            let _ = writeln!(t, "\naccess {name} grants that the other does not:");
            t.push_str(&f.render_table());
        }
        t
    }
}
