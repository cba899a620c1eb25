//! Resources whose policy CloudFormation builds from their properties rather than reading a
//! document: `AWS::Lambda::Permission`, `AWS::Lambda::LayerVersionPermission` and
//! `AWS::Events::EventBusPolicy` (the statement each adds).

use super::{Extractor, Fail};
use crate::model::{Location, PolicyType};
use crate::value::{concat, parts_of, Kind, Part, Value};

impl Extractor<'_, '_> {
    fn function_arn(&self, f: Value) -> Value {
        let loc = f.location;
        let parts = parts_of(&f).unwrap_or_else(|| vec![Part::Unknown("FunctionName".into())]);
        let starts_arn = matches!(parts.first(), Some(Part::Text(t)) if t.starts_with("arn:"));
        let is_partial_arn = matches!(parts.first(), Some(Part::Text(t)) if t.contains(":function:") && !t.starts_with("arn:"));
        if starts_arn {
            return concat(parts, loc);
        }
        if is_partial_arn {
            let mut p = vec![Part::Text(format!(
                "arn:{}:lambda:{}:",
                self.ctx.partition, self.ctx.region
            ))];
            p.extend(parts);
            return concat(p, loc);
        }
        let mut p = vec![Part::Text(format!(
            "arn:{}:lambda:{}:{}:function:",
            self.ctx.partition, self.ctx.region, self.ctx.account
        ))];
        p.extend(parts);
        concat(p, loc)
    }

    pub(super) fn lambda_permission(
        &mut self,
        id: &str,
        ty: &str,
        props: &Value,
        path: &str,
    ) -> Result<(), Fail> {
        let get = |s: &Self, k: &str| s.prop(props, k, path);
        let r = (|| -> Result<Value, Fail> {
            let action = get(self, "Action")?
                .unwrap_or_else(|| Value::unknown("Action (missing)", props.location));
            let function = get(self, "FunctionName")?
                .unwrap_or_else(|| Value::unknown("FunctionName (missing)", props.location));
            let principal = get(self, "Principal")?
                .unwrap_or_else(|| Value::unknown("Principal (missing)", props.location));
            let mut conditions: Vec<(String, Value)> = Vec::new();
            let mut add = |op: &str, key: &str, v: Option<Value>| {
                if let Some(v) = v {
                    let entry = (key.to_string(), v);
                    match conditions.iter_mut().find(|(o, _)| o == op) {
                        Some((
                            _,
                            Value {
                                kind: Kind::Map(m), ..
                            },
                        )) => m.push(entry),
                        _ => conditions
                            .push((op.to_string(), Value::new(Kind::Map(vec![entry]), None))),
                    }
                }
            };
            add("ArnLike", "AWS:SourceArn", get(self, "SourceArn")?);
            add(
                "StringEquals",
                "AWS:SourceAccount",
                get(self, "SourceAccount")?,
            );
            add(
                "StringEquals",
                "aws:PrincipalOrgID",
                get(self, "PrincipalOrgID")?,
            );
            add(
                "StringEquals",
                "lambda:EventSourceToken",
                get(self, "EventSourceToken")?,
            );
            add(
                "StringEquals",
                "lambda:FunctionUrlAuthType",
                get(self, "FunctionUrlAuthType")?,
            );
            let mut stmt = vec![
                ("Sid".to_string(), Value::string(id, None)),
                ("Effect".to_string(), Value::string("Allow", None)),
                ("Principal".to_string(), principal_value(principal, true)),
                ("Action".to_string(), action),
                ("Resource".to_string(), self.function_arn(function)),
            ];
            if !conditions.is_empty() {
                stmt.push((
                    "Condition".to_string(),
                    Value::new(Kind::Map(conditions), None),
                ));
            }
            Ok(document_of(
                vec![Value::new(Kind::Map(stmt), props.location)],
                props.location,
            ))
        })();
        self.synthesized(
            id,
            ty,
            "Permission",
            path,
            r,
            PolicyType::resource("AWS::Lambda::Function"),
        )
    }

    pub(super) fn layer_permission(
        &mut self,
        id: &str,
        ty: &str,
        props: &Value,
        path: &str,
    ) -> Result<(), Fail> {
        let r = (|| -> Result<Value, Fail> {
            let action = self
                .prop(props, "Action", path)?
                .unwrap_or_else(|| Value::string("lambda:GetLayerVersion", None));
            let layer = self
                .prop(props, "LayerVersionArn", path)?
                .unwrap_or_else(|| Value::unknown("LayerVersionArn (missing)", props.location));
            let principal = self
                .prop(props, "Principal", path)?
                .unwrap_or_else(|| Value::unknown("Principal (missing)", props.location));
            let org = self.prop(props, "OrganizationId", path)?;
            let mut stmt = vec![
                ("Sid".to_string(), Value::string(id, None)),
                ("Effect".to_string(), Value::string("Allow", None)),
                ("Principal".to_string(), principal_value(principal, false)),
                ("Action".to_string(), action),
                ("Resource".to_string(), layer),
            ];
            if let Some(o) = org {
                stmt.push((
                    "Condition".into(),
                    Value::new(
                        Kind::Map(vec![(
                            "StringEquals".into(),
                            Value::new(Kind::Map(vec![("aws:PrincipalOrgID".into(), o)]), None),
                        )]),
                        None,
                    ),
                ));
            }
            Ok(document_of(
                vec![Value::new(Kind::Map(stmt), props.location)],
                props.location,
            ))
        })();
        let pt = PolicyType::ResourcePolicy {
            resource_type: None,
        };
        self.synthesized(id, ty, "Permission", path, r, pt)
    }

    pub(super) fn event_bus_policy(
        &mut self,
        id: &str,
        ty: &str,
        props: &Value,
        path: &str,
    ) -> Result<(), Fail> {
        let pt = PolicyType::ResourcePolicy {
            resource_type: None,
        };
        let r = (|| -> Result<Value, Fail> {
            let sid = self.prop(props, "StatementId", path)?;
            if let Some(mut s) = self.prop(props, "Statement", path)? {
                if let (Kind::Map(m), Some(sid)) = (&mut s.kind, sid) {
                    if !m.iter().any(|(k, _)| k == "Sid") {
                        m.insert(0, ("Sid".into(), sid));
                    }
                }
                return Ok(document_of(vec![s], props.location));
            }
            let bus = self
                .prop(props, "EventBusName", path)?
                .unwrap_or_else(|| Value::string("default", None));
            let mut resource = vec![Part::Text(format!(
                "arn:{}:events:{}:{}:event-bus/",
                self.ctx.partition, self.ctx.region, self.ctx.account
            ))];
            resource.extend(
                parts_of(&bus).unwrap_or_else(|| vec![Part::Unknown("EventBusName".into())]),
            );
            let principal = self
                .prop(props, "Principal", path)?
                .unwrap_or_else(|| Value::unknown("Principal (missing)", props.location));
            let principal = match principal.as_str() {
                Some("*") => principal,
                Some(acct) => Value::new(
                    Kind::Map(vec![(
                        "AWS".into(),
                        Value::string(
                            format!("arn:{}:iam::{acct}:root", self.ctx.partition),
                            principal.location,
                        ),
                    )]),
                    principal.location,
                ),
                None => principal,
            };
            let action = self
                .prop(props, "Action", path)?
                .unwrap_or_else(|| Value::string("events:PutEvents", None));
            let mut stmt = vec![
                (
                    "Sid".to_string(),
                    sid.unwrap_or_else(|| Value::string(id, None)),
                ),
                ("Effect".to_string(), Value::string("Allow", None)),
                ("Principal".to_string(), principal),
                ("Action".to_string(), action),
                ("Resource".to_string(), concat(resource, None)),
            ];
            if let Some(c) = self.prop(props, "Condition", path)? {
                let key = c.get("Key").cloned();
                let value = c.get("Value").cloned();
                if let (Some(Kind::String(k)), Some(v)) = (key.map(|k| k.kind), value) {
                    let op = c
                        .get("Type")
                        .and_then(Value::as_str)
                        .unwrap_or("StringEquals")
                        .to_string();
                    stmt.push((
                        "Condition".into(),
                        Value::new(
                            Kind::Map(vec![(op, Value::new(Kind::Map(vec![(k, v)]), None))]),
                            None,
                        ),
                    ));
                } else {
                    return Err(Fail::Skip(
                        "Condition must have Key and Value".to_string(),
                        c.location,
                    ));
                }
            }
            Ok(document_of(
                vec![Value::new(Kind::Map(stmt), props.location)],
                props.location,
            ))
        })();
        self.synthesized(id, ty, "Statement", path, r, pt)
    }

    /// Records the policy built for resource `id` (its `name`), or, when a property it needs
    /// was not usable, the resource as not analysable; other failures go up.
    fn synthesized(
        &mut self,
        id: &str,
        ty: &str,
        name: &str,
        path: &str,
        built: Result<Value, Fail>,
        pt: PolicyType,
    ) -> Result<(), Fail> {
        match built {
            Ok(doc) => self.push(id, ty, name, path, doc, pt),
            Err(Fail::Skip(reason, loc)) => self.not_analysable(id, ty, name, loc, reason),
            Err(f) => return Err(f),
        }
        Ok(())
    }
}

/// `Principal` of a statement built from a permission resource: `*`, a service principal, or an
/// account/ARN. Unknown values stay unknown (the approximation decides what they become).
fn principal_value(p: Value, services: bool) -> Value {
    let loc = p.location;
    match p.as_str() {
        Some("*") => p,
        Some(s)
            if services
                && (s.ends_with(".amazonaws.com")
                    || s.ends_with(".amazonaws.com.cn")
                    || s.ends_with(".aws.internal")) =>
        {
            Value::new(Kind::Map(vec![("Service".into(), p)]), loc)
        }
        Some(_) => Value::new(Kind::Map(vec![("AWS".into(), p)]), loc),
        None => p,
    }
}

pub(super) fn document_of(statements: Vec<Value>, loc: Option<Location>) -> Value {
    Value::new(
        Kind::Map(vec![
            ("Version".into(), Value::string("2012-10-17", None)),
            ("Statement".into(), Value::new(Kind::Seq(statements), loc)),
        ]),
        loc,
    )
}
