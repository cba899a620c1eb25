//! Turning a document with unknown values into concrete policy JSON, in a chosen direction, so
//! that a check's PASS stays a proof.
//!
//! [`Approximation::Over`] is for the policy being checked: the text must allow at least every
//! request the real policy could allow, whatever the unknown values turn out to be.
//! [`Approximation::Under`] is for a reference policy: the text must allow at most what the real
//! one could allow. The rules:
//!
//! | | `Allow` statement with an unknown | `Deny` statement with an unknown |
//! |---|---|---|
//! | **Over** | widened (below) | removed |
//! | **Under** | removed | widened (below) |
//!
//! Widening a statement (each step only makes the statement match more requests):
//! - `Action`, `Resource`: an unknown value becomes `*`; in a partly unknown string only the
//!   unknown parts become `*` (these elements are wildcard patterns, so `arn:aws:s3:::${x}/*`
//!   becomes `arn:aws:s3:::*/*`, which matches every value the real one could have);
//! - `Principal`: an unknown value, or a principal string with an unknown part, becomes `*`
//!   (within its `AWS`/`Service`/... list; a wholly unknown `Principal` becomes `*`);
//! - `NotAction`, `NotResource`, `NotPrincipal`: unknown (or partly unknown) values are dropped;
//!   if that empties the element, it is replaced by `Action: "*"`, `Resource: "*"` or
//!   `Principal: "*"` (the statement covers everything);
//! - `Condition`: a key whose values contain an unknown is removed, and an operator left with no
//!   key is removed (conditions are a conjunction, so dropping one only widens);
//! - an unknown `Effect` is treated as the effect being widened (`Allow` under Over, `Deny`
//!   under Under); an unknown `Sid` is dropped; an unknown `Version` becomes `2012-10-17`;
//! - a wholly unknown statement becomes "everything" (`Principal`, `Action`, `Resource` all `*`)
//!   when widened and is removed otherwise.
//!
//! A statement whose only unknown is its `Sid` keeps its effect; the `Sid` is dropped.
//!
//! A document left with no statement gets one `Deny` of everything, so that it is still a valid
//! policy and allows nothing. Every unknown that was assumed is listed with what was done to it.

use serde::Serialize;

use crate::model::PolicyType;
use crate::value::{Kind, Part, Value};

/// Which direction to approximate unknown values in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Approximation {
    /// Allow at least what the real policy could allow (the policy being checked).
    Over,
    /// Allow at most what the real policy could allow (a reference policy).
    Under,
}

/// An unknown value that was assumed when making a document concrete.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Unknown {
    /// What the value was (`Fn::ImportValue SharedBucketArn`).
    pub what: String,
    /// The index of the statement it was in (`None`: outside statements).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<usize>,
    /// What was done (`became *`, `statement removed`...).
    pub treatment: String,
}

/// The document as concrete policy JSON (pretty-printed), approximated in the given direction,
/// with the unknowns that were assumed.
///
/// `policy_type` decides whether the statements this adds (a `Deny` of everything in a document
/// left without statements, an `Allow` of everything for a wholly unknown statement) carry
/// `Principal: "*"` (resource policies and RCPs) or not (identity policies and SCPs).
pub fn policy_text(
    doc: &Value,
    approximation: Approximation,
    policy_type: &PolicyType,
) -> (String, Vec<Unknown>) {
    let mut unknowns = Vec::new();
    let principal = matches!(
        policy_type,
        PolicyType::ResourcePolicy { .. } | PolicyType::ResourceControlPolicy
    );
    let json = concrete(doc, approximation, principal, &mut unknowns);
    let text = serde_json::to_string_pretty(&json).unwrap_or_else(|_| "{}".to_string());
    (text, unknowns)
}

fn concrete(
    doc: &Value,
    ap: Approximation,
    principal: bool,
    unknowns: &mut Vec<Unknown>,
) -> serde_json::Value {
    use serde_json::Value as J;
    let Some(members) = doc.as_map() else {
        // Not a mapping: nothing to approximate; the engine reports the error.
        return render(doc, unknowns, None, "became *");
    };
    let mut out = serde_json::Map::new();
    let mut saw_statement = false;
    for (k, v) in members {
        match k.as_str() {
            "Statement" => {
                saw_statement = true;
                let items: Vec<&Value> = match &v.kind {
                    Kind::Seq(items) => items.iter().collect(),
                    _ => vec![v],
                };
                let mut stmts = Vec::new();
                for (i, s) in items.into_iter().enumerate() {
                    if let Some(s) = statement(s, i, ap, principal, unknowns) {
                        stmts.push(s);
                    }
                }
                if stmts.is_empty() {
                    stmts.push(everything("Deny", principal));
                }
                out.insert(k.clone(), J::Array(stmts));
            }
            "Version" if v.has_unknown() => {
                unknowns.extend(v.unknowns().into_iter().map(|what| Unknown {
                    what,
                    statement: None,
                    treatment: "Version taken as 2012-10-17".into(),
                }));
                out.insert(k.clone(), J::String("2012-10-17".into()));
            }
            _ => {
                out.insert(k.clone(), render(v, unknowns, None, "became *"));
            }
        }
    }
    if !saw_statement {
        out.insert(
            "Statement".into(),
            J::Array(vec![everything("Deny", principal)]),
        );
    }
    J::Object(out)
}

/// A statement of the given effect covering every request.
fn everything(effect: &str, principal: bool) -> serde_json::Value {
    if principal {
        serde_json::json!({"Effect": effect, "Principal": "*", "Action": "*", "Resource": "*"})
    } else {
        serde_json::json!({"Effect": effect, "Action": "*", "Resource": "*"})
    }
}

/// One statement, or `None` when it is removed.
fn statement(
    s: &Value,
    index: usize,
    ap: Approximation,
    with_principal: bool,
    unknowns: &mut Vec<Unknown>,
) -> Option<serde_json::Value> {
    let widen_effect = match ap {
        Approximation::Over => "Allow",
        Approximation::Under => "Deny",
    };
    let Some(members) = s.as_map() else {
        if !s.has_unknown() {
            return Some(render(s, unknowns, Some(index), "became *"));
        }
        let names = s.unknowns();
        return match ap {
            Approximation::Over => {
                record(
                    unknowns,
                    names,
                    index,
                    "the unknown statement became Allow everything",
                );
                Some(everything("Allow", with_principal))
            }
            Approximation::Under => {
                record(unknowns, names, index, "the unknown statement was removed");
                None
            }
        };
    };
    if !s.has_unknown() {
        return Some(render(s, unknowns, Some(index), "became *"));
    }
    // A `Sid` has no effect on what a statement allows: an unknown one is only dropped.
    if !members.iter().any(|(k, v)| k != "Sid" && v.has_unknown()) {
        let mut out = serde_json::Map::new();
        for (k, v) in members {
            if v.has_unknown() {
                record(unknowns, v.unknowns(), index, "Sid dropped");
            } else {
                out.insert(k.clone(), render(v, unknowns, Some(index), "became *"));
            }
        }
        return Some(serde_json::Value::Object(out));
    }
    let effect = s.get("Effect");
    let effect_text = effect.and_then(Value::as_str);
    let widen = match effect_text {
        Some(e) => e == widen_effect,
        None => true, // an unknown Effect is taken as the effect being widened
    };
    if !widen {
        record(
            unknowns,
            s.unknowns(),
            index,
            &format!("the {} statement was removed", effect_text.unwrap_or("?")),
        );
        return None;
    }
    let mut out = serde_json::Map::new();
    let mut fill: Vec<(&str, serde_json::Value)> = Vec::new();
    for (k, v) in members {
        match k.as_str() {
            "Effect" => {
                if v.has_unknown() {
                    record(
                        unknowns,
                        v.unknowns(),
                        index,
                        &format!("Effect taken as {widen_effect}"),
                    );
                }
                out.insert(k.clone(), serde_json::Value::String(widen_effect.into()));
            }
            "Sid" if v.has_unknown() => {
                record(unknowns, v.unknowns(), index, "Sid dropped");
            }
            "Action" | "Resource" => {
                out.insert(k.clone(), patterns(v, index, unknowns));
            }
            "Principal" => {
                out.insert(k.clone(), principal(v, index, unknowns));
            }
            "NotAction" | "NotResource" | "NotPrincipal" => {
                match not_element(v, k, index, unknowns) {
                    Some(j) => {
                        out.insert(k.clone(), j);
                    }
                    None => {
                        let positive = &k[3..];
                        fill.push((positive, serde_json::Value::String("*".into())));
                    }
                }
            }
            "Condition" => {
                if let Some(c) = condition(v, index, unknowns) {
                    out.insert(k.clone(), c);
                }
            }
            _ => {
                out.insert(k.clone(), render(v, unknowns, Some(index), "became *"));
            }
        }
    }
    for (k, v) in fill {
        out.insert(k.to_string(), v);
    }
    Some(serde_json::Value::Object(out))
}

fn record(unknowns: &mut Vec<Unknown>, names: Vec<String>, index: usize, treatment: &str) {
    unknowns.extend(names.into_iter().map(|what| Unknown {
        what,
        statement: Some(index),
        treatment: treatment.to_string(),
    }));
}

/// `Action`/`Resource` values: unknown parts become `*`.
fn patterns(v: &Value, index: usize, unknowns: &mut Vec<Unknown>) -> serde_json::Value {
    let one = |x: &Value, unknowns: &mut Vec<Unknown>| -> serde_json::Value {
        match &x.kind {
            Kind::Unknown(u) => {
                record(unknowns, vec![u.clone()], index, "became *");
                serde_json::Value::String("*".into())
            }
            Kind::Partial(parts) => {
                let mut s = String::new();
                for p in parts {
                    match p {
                        Part::Text(t) => s.push_str(t),
                        Part::Unknown(u) => {
                            record(unknowns, vec![u.clone()], index, "this part became *");
                            s.push('*');
                        }
                    }
                }
                serde_json::Value::String(s)
            }
            _ => render(x, unknowns, Some(index), "became *"),
        }
    };
    match &v.kind {
        Kind::Seq(items) => {
            serde_json::Value::Array(items.iter().map(|x| one(x, unknowns)).collect())
        }
        _ => one(v, unknowns),
    }
}

/// `Principal`: an unknown or partly unknown principal becomes `*`.
fn principal(v: &Value, index: usize, unknowns: &mut Vec<Unknown>) -> serde_json::Value {
    let star = |x: &Value, unknowns: &mut Vec<Unknown>| -> serde_json::Value {
        if x.has_unknown() {
            record(unknowns, x.unknowns(), index, "the principal became *");
            serde_json::Value::String("*".into())
        } else {
            render(x, unknowns, Some(index), "became *")
        }
    };
    match &v.kind {
        Kind::Map(m) => {
            let mut out = serde_json::Map::new();
            for (k, x) in m {
                let j = match &x.kind {
                    Kind::Seq(items) => {
                        serde_json::Value::Array(items.iter().map(|i| star(i, unknowns)).collect())
                    }
                    _ => star(x, unknowns),
                };
                out.insert(k.clone(), j);
            }
            serde_json::Value::Object(out)
        }
        _ => star(v, unknowns),
    }
}

/// `NotAction`/`NotResource`/`NotPrincipal`: unknown values dropped; `None` when nothing is left.
fn not_element(
    v: &Value,
    key: &str,
    index: usize,
    unknowns: &mut Vec<Unknown>,
) -> Option<serde_json::Value> {
    let treatment = format!("dropped from {key}");
    let keep = |x: &Value, unknowns: &mut Vec<Unknown>| -> Option<serde_json::Value> {
        if x.has_unknown() {
            record(unknowns, x.unknowns(), index, &treatment);
            None
        } else {
            Some(render(x, unknowns, Some(index), "became *"))
        }
    };
    let list = |items: &[Value], unknowns: &mut Vec<Unknown>| -> Option<serde_json::Value> {
        let kept: Vec<_> = items.iter().filter_map(|i| keep(i, unknowns)).collect();
        if kept.is_empty() {
            None
        } else {
            Some(serde_json::Value::Array(kept))
        }
    };
    match &v.kind {
        Kind::Seq(items) => list(items, unknowns),
        Kind::Map(m) if key == "NotPrincipal" => {
            let mut out = serde_json::Map::new();
            for (k, x) in m {
                let j = match &x.kind {
                    Kind::Seq(items) => list(items, unknowns),
                    _ => keep(x, unknowns),
                };
                if let Some(j) = j {
                    out.insert(k.clone(), j);
                }
            }
            if out.is_empty() {
                None
            } else {
                Some(serde_json::Value::Object(out))
            }
        }
        _ => keep(v, unknowns),
    }
}

/// `Condition`: keys with unknown values removed; `None` when nothing is left.
fn condition(v: &Value, index: usize, unknowns: &mut Vec<Unknown>) -> Option<serde_json::Value> {
    let Some(ops) = v.as_map() else {
        record(unknowns, v.unknowns(), index, "the Condition was removed");
        return None;
    };
    let mut out = serde_json::Map::new();
    for (op, keys) in ops {
        let Some(keys) = keys.as_map() else {
            if keys.has_unknown() {
                record(
                    unknowns,
                    keys.unknowns(),
                    index,
                    &format!("condition operator {op} removed"),
                );
            } else {
                out.insert(op.clone(), render(keys, unknowns, Some(index), "became *"));
            }
            continue;
        };
        let mut kept = serde_json::Map::new();
        for (key, values) in keys {
            if values.has_unknown() {
                record(
                    unknowns,
                    values.unknowns(),
                    index,
                    &format!("condition {op} {key} removed"),
                );
            } else {
                kept.insert(
                    key.clone(),
                    render(values, unknowns, Some(index), "became *"),
                );
            }
        }
        if !kept.is_empty() {
            out.insert(op.clone(), serde_json::Value::Object(kept));
        }
    }
    if out.is_empty() {
        None
    } else {
        Some(serde_json::Value::Object(out))
    }
}

/// A value as JSON; a stray unknown (somewhere no rule covers) is rendered as `*` and recorded.
fn render(
    v: &Value,
    unknowns: &mut Vec<Unknown>,
    index: Option<usize>,
    treatment: &str,
) -> serde_json::Value {
    use serde_json::Value as J;
    match &v.kind {
        Kind::Null => J::Null,
        Kind::Bool(b) => J::Bool(*b),
        // IAM keeps policy values as strings; a YAML plain number (an account id, a port) is its
        // text, as CloudFormation passes it.
        Kind::Number(n) => J::String(n.clone()),
        Kind::String(s) => J::String(s.clone()),
        Kind::Seq(items) => J::Array(
            items
                .iter()
                .map(|i| render(i, unknowns, index, treatment))
                .collect(),
        ),
        Kind::Map(m) => J::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), render(x, unknowns, index, treatment)))
                .collect(),
        ),
        Kind::Unknown(_) | Kind::Partial(_) => {
            unknowns.extend(v.unknowns().into_iter().map(|what| Unknown {
                what,
                statement: index,
                treatment: treatment.to_string(),
            }));
            J::String("*".into())
        }
    }
}
