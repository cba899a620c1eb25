//! Resolving CloudFormation intrinsic functions, parameters, pseudo parameters, mappings and
//! conditions into a document in which what cannot be known is an explicit unknown.
//!
//! | Construct | Result |
//! |---|---|
//! | `Ref` parameter | the `--parameters` / configuration-file value, else its `Default`, else unknown (`Ref Name`); list types (`CommaDelimitedList`, `List<…>`) become lists; `AWS::SSM::Parameter::Value<…>` types are unknown (resolved by CloudFormation at deploy time) |
//! | `Ref` pseudo parameter | `AWS::Region`, `AWS::AccountId` (options), `AWS::Partition` (from the region: `aws-cn` for `cn-*`, `aws-us-gov` for `us-gov-*`, else `aws`), `AWS::URLSuffix`, `AWS::StackName` (options), `AWS::StackId`; `AWS::NoValue` removes the key or list item; others unknown |
//! | `Ref` / `Fn::GetAtt` of a resource | from the table in [`super::arns`]; unknown for types and attributes not in it |
//! | `Fn::Sub` (both forms) | the string with variables replaced; a variable that is neither in the variable map nor a parameter, pseudo parameter or resource (CloudFormation rejects such a template) makes the policy *not analysable* |
//! | `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::FindInMap` | computed when their arguments are known, else unknown |
//! | `Fn::If`, `Condition`, `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not` | decided when the values compared are known; an undecidable `Fn::If` is unknown (or its branches' common value) |
//! | `Fn::ToJsonString`, `Fn::Length` | computed when known (`Fn::ToJsonString` of a value with unknowns is the value itself) |
//! | `Fn::ImportValue`, `Fn::GetAZs`, `Fn::Base64`, `Fn::Cidr`, other functions | unknown, named after the function and its argument |
//!
//! A cycle (a resource name that refers to itself through `Ref`/`Fn::Sub`, a condition that
//! refers to itself) is an error of the whole template.

use std::cell::RefCell;
use std::collections::BTreeMap;

use crate::cfn::arns::{self, Shape};
use crate::model::Location;
use crate::value::{concat, parts_of, Kind, Part, Value};

/// Why a value could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResolveError {
    /// Where.
    pub location: Option<Location>,
    /// What is wrong.
    pub message: String,
    /// Whether the whole template is unusable (cycles), not just the value.
    pub fatal: bool,
}

type R<T> = Result<T, ResolveError>;

fn err(location: Option<Location>, message: impl Into<String>) -> ResolveError {
    ResolveError {
        location,
        message: message.into(),
        fatal: false,
    }
}

/// The values the template is resolved with.
pub(crate) struct Context<'t> {
    /// `AWS::Region`.
    pub region: String,
    /// `AWS::AccountId`.
    pub account: String,
    /// `AWS::Partition`.
    pub partition: String,
    /// `AWS::StackName`.
    pub stack_name: String,
    parameters: BTreeMap<String, Value>,
    mappings: Option<&'t Value>,
    conditions: Option<&'t Value>,
    resources: &'t [(String, Value)],
    /// Resource names and conditions being resolved (to find cycles).
    stack: RefCell<Vec<String>>,
    condition_cache: RefCell<BTreeMap<String, Option<bool>>>,
    /// Choices made on undecided conditions, for notes.
    assumed: RefCell<Vec<(Option<Location>, String)>>,
}

/// The partition of a region.
pub(crate) fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else {
        "aws"
    }
}

const INTRINSICS: &[&str] = &[
    "Ref",
    "Condition",
    "Fn::Sub",
    "Fn::GetAtt",
    "Fn::Join",
    "Fn::If",
    "Fn::Select",
    "Fn::Split",
    "Fn::FindInMap",
    "Fn::ImportValue",
    "Fn::Base64",
    "Fn::Equals",
    "Fn::And",
    "Fn::Or",
    "Fn::Not",
    "Fn::GetAZs",
    "Fn::Cidr",
    "Fn::Transform",
    "Fn::Length",
    "Fn::ToJsonString",
];

impl<'t> Context<'t> {
    /// A context for a template's sections, with the given parameter values.
    pub fn new(
        template: &'t Value,
        region: &str,
        account: &str,
        stack_name: &str,
        given: &BTreeMap<String, String>,
    ) -> Self {
        let mut parameters = BTreeMap::new();
        if let Some(ps) = template.get("Parameters").and_then(Value::as_map) {
            for (name, decl) in ps {
                let ty = decl.get("Type").and_then(Value::as_str).unwrap_or("String");
                let is_list = ty == "CommaDelimitedList" || ty.starts_with("List<");
                let raw: Option<Value> = match given.get(name) {
                    Some(v) => Some(Value::string(v.clone(), decl.location)),
                    None if ty.starts_with("AWS::SSM::Parameter::Value") => None,
                    None => decl.get("Default").cloned(),
                };
                let v = match raw {
                    None => Value::unknown(format!("Ref {name}"), decl.location),
                    Some(v)
                        if ty.starts_with("AWS::SSM::Parameter::Value")
                            && given.get(name).is_none() =>
                    {
                        Value::unknown(format!("Ref {name}"), v.location)
                    }
                    Some(v) => match (&v.kind, is_list) {
                        (Kind::String(s), true) => Value::new(
                            Kind::Seq(
                                s.split(',')
                                    .map(|x| Value::string(x.trim(), v.location))
                                    .collect(),
                            ),
                            v.location,
                        ),
                        (Kind::Number(n), false) => Value::string(n.clone(), v.location),
                        _ => v,
                    },
                };
                parameters.insert(name.clone(), v);
            }
        }
        Context {
            region: region.to_string(),
            account: account.to_string(),
            partition: partition_of(region).to_string(),
            stack_name: stack_name.to_string(),
            parameters,
            mappings: template.get("Mappings"),
            conditions: template.get("Conditions"),
            resources: template
                .get("Resources")
                .and_then(Value::as_map)
                .unwrap_or(&[]),
            stack: RefCell::new(Vec::new()),
            condition_cache: RefCell::new(BTreeMap::new()),
            assumed: RefCell::new(Vec::new()),
        }
    }

    /// The choices made on undecided conditions since the last call.
    pub fn take_assumptions(&self) -> Vec<(Option<Location>, String)> {
        std::mem::take(&mut *self.assumed.borrow_mut())
    }

    fn resource(&self, id: &str) -> Option<&'t Value> {
        self.resources.iter().find(|(k, _)| k == id).map(|(_, v)| v)
    }

    /// Resolves a value; `None` means `AWS::NoValue` (the key or item is removed).
    pub fn resolve(&self, v: &Value) -> R<Option<Value>> {
        match &v.kind {
            Kind::Map(members) => {
                if let [(k, arg)] = members.as_slice() {
                    if INTRINSICS.contains(&k.as_str()) {
                        return self.intrinsic(k, arg, v.location);
                    }
                }
                let mut out = Vec::with_capacity(members.len());
                for (k, m) in members {
                    if let Some(r) = self.resolve(m)? {
                        out.push((k.clone(), r));
                    }
                }
                Ok(Some(Value::new(Kind::Map(out), v.location)))
            }
            Kind::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    if let Some(r) = self.resolve(i)? {
                        out.push(r);
                    }
                }
                Ok(Some(Value::new(Kind::Seq(out), v.location)))
            }
            _ => Ok(Some(v.clone())),
        }
    }

    /// Resolves a value that must be present (`AWS::NoValue` is an error here).
    fn value(&self, v: &Value) -> R<Value> {
        self.resolve(v)?
            .ok_or_else(|| err(v.location, "AWS::NoValue is not allowed here"))
    }

    fn intrinsic(&self, f: &str, arg: &Value, loc: Option<Location>) -> R<Option<Value>> {
        let unknown = |what: String| Ok(Some(Value::unknown(what, loc)));
        match f {
            "Ref" => {
                let Some(name) = arg.as_str() else {
                    let a = self.value(arg)?;
                    return match a.as_str() {
                        Some(n) => self.reference(n, loc),
                        None => unknown("Ref (computed target)".into()),
                    };
                };
                self.reference(name, loc)
            }
            "Fn::GetAtt" => {
                let (res, attr) = match &arg.kind {
                    Kind::Seq(items) => match items.as_slice() {
                        [r, a] => (self.value(r)?, self.value(a)?),
                        _ => return Err(err(loc, "Fn::GetAtt takes [LogicalId, Attribute]")),
                    },
                    Kind::String(s) => {
                        let (a, b) = s.split_once('.').unwrap_or((s.as_str(), ""));
                        (Value::string(a, loc), Value::string(b, loc))
                    }
                    _ => return Err(err(loc, "Fn::GetAtt takes [LogicalId, Attribute]")),
                };
                match (res.as_str(), attr.as_str()) {
                    (Some(r), Some(a)) => self.get_att(r, a, loc).map(Some),
                    _ => unknown("Fn::GetAtt (computed attribute)".into()),
                }
            }
            "Fn::Sub" => self.sub(arg, loc).map(Some),
            "Fn::Join" => {
                let items = arg.as_seq().unwrap_or(&[]);
                let [d, list] = items else {
                    return Err(err(loc, "Fn::Join takes [delimiter, [values]]"));
                };
                let d = self.value(d)?;
                let list = self.value(list)?;
                let Some(delim) = d.as_str() else {
                    return unknown("Fn::Join (unknown delimiter)".into());
                };
                let Some(values) = list.as_seq() else {
                    return match list.kind {
                        Kind::Unknown(u) => unknown(format!("Fn::Join over {u}")),
                        _ => Err(err(loc, "Fn::Join: the second argument must be a list")),
                    };
                };
                let mut parts = Vec::new();
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        parts.push(Part::Text(delim.to_string()));
                    }
                    match parts_of(v) {
                        Some(p) => parts.extend(p),
                        None => return Err(err(v.location, "Fn::Join: a value is not a string")),
                    }
                }
                Ok(Some(concat(parts, loc)))
            }
            "Fn::Select" => {
                let [i, list] = arg.as_seq().unwrap_or(&[]) else {
                    return Err(err(loc, "Fn::Select takes [index, [values]]"));
                };
                let i = self.value(i)?;
                let list = self.value(list)?;
                let index = match &i.kind {
                    Kind::String(s) | Kind::Number(s) => s.trim().parse::<usize>().ok(),
                    _ => None,
                };
                match (index, list.as_seq()) {
                    (Some(n), Some(items)) => match items.get(n) {
                        Some(v) => Ok(Some(v.clone())),
                        None => Err(err(loc, format!("Fn::Select: index {n} is out of range"))),
                    },
                    _ => unknown("Fn::Select (unknown index or list)".into()),
                }
            }
            "Fn::Split" => {
                let [d, s] = arg.as_seq().unwrap_or(&[]) else {
                    return Err(err(loc, "Fn::Split takes [delimiter, string]"));
                };
                let d = self.value(d)?;
                let s = self.value(s)?;
                match (d.as_str(), s.as_str()) {
                    (Some(d), Some(s)) if !d.is_empty() => Ok(Some(Value::new(
                        Kind::Seq(s.split(d).map(|x| Value::string(x, loc)).collect()),
                        loc,
                    ))),
                    _ => unknown("Fn::Split (unknown string)".into()),
                }
            }
            "Fn::FindInMap" => self.find_in_map(arg, loc),
            "Fn::If" => {
                let [c, a, b] = arg.as_seq().unwrap_or(&[]) else {
                    return Err(err(
                        loc,
                        "Fn::If takes [condition, value if true, value if false]",
                    ));
                };
                let cond = self.value(c)?;
                let Some(name) = cond.as_str() else {
                    return Err(err(loc, "Fn::If: the condition must be a condition name"));
                };
                match self.condition(name, loc)? {
                    Some(true) => self.resolve(a),
                    Some(false) => self.resolve(b),
                    None => {
                        let ra = self.resolve(a)?;
                        let rb = self.resolve(b)?;
                        match (ra, rb) {
                            (Some(x), Some(y)) if same(&x, &y) => Ok(Some(x)),
                            // A value present or absent depending on the condition (the usual
                            // optional policy or statement): taken as present, with a note.
                            (Some(x), None) | (None, Some(x)) => {
                                self.assumed.borrow_mut().push((
                                    loc,
                                    format!("Fn::If {name}: the condition depends on values not known; the value that is present in one branch is analysed as present"),
                                ));
                                Ok(Some(x))
                            }
                            (None, None) => Ok(None),
                            _ => unknown(format!("Fn::If {name}")),
                        }
                    }
                }
            }
            "Condition" | "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" => {
                let whole = Value::new(Kind::Map(vec![(f.to_string(), arg.clone())]), loc);
                match self.truth(&whole)? {
                    Some(b) => Ok(Some(Value::new(Kind::Bool(b), loc))),
                    None => unknown(format!("{f} (undecided)")),
                }
            }
            "Fn::ImportValue" => {
                let a = self.value(arg)?;
                let name = match &a.kind {
                    Kind::String(s) => s.clone(),
                    _ => serde_json::to_string(&a).unwrap_or_default(),
                };
                unknown(format!("Fn::ImportValue {name}"))
            }
            "Fn::ToJsonString" => {
                // AWS::LanguageExtensions: the JSON text of a value. Known: the text; with
                // unknowns: the value itself (policy properties accept both forms).
                let v = self.value(arg)?;
                match v.to_json() {
                    Some(j) => Ok(Some(Value::string(j.to_string(), loc))),
                    None => Ok(Some(v)),
                }
            }
            "Fn::Length" => {
                let v = self.value(arg)?;
                match v.as_seq() {
                    Some(items) => Ok(Some(Value::new(Kind::Number(items.len().to_string()), loc))),
                    None => unknown("Fn::Length (unknown list)".into()),
                }
            }
            _ => unknown(format!("{f} (not evaluated)")),
        }
    }

    fn reference(&self, name: &str, loc: Option<Location>) -> R<Option<Value>> {
        let s = |t: String| Ok(Some(Value::string(t, loc)));
        match name {
            "AWS::NoValue" => return Ok(None),
            "AWS::Region" => return s(self.region.clone()),
            "AWS::AccountId" => return s(self.account.clone()),
            "AWS::Partition" => return s(self.partition.clone()),
            "AWS::StackName" => return s(self.stack_name.clone()),
            "AWS::StackId" => {
                return s(format!(
                    "arn:{}:cloudformation:{}:{}:stack/{}/{}",
                    self.partition,
                    self.region,
                    self.account,
                    self.stack_name,
                    arns::generated_id(&self.stack_name)
                ))
            }
            "AWS::URLSuffix" => {
                return s(if self.partition == "aws-cn" {
                    "amazonaws.com.cn".into()
                } else {
                    "amazonaws.com".into()
                })
            }
            _ => {}
        }
        if let Some(p) = self.parameters.get(name) {
            let mut v = p.clone();
            v.location = loc;
            return Ok(Some(v));
        }
        if name.starts_with("AWS::") {
            return Ok(Some(Value::unknown(format!("Ref {name}"), loc)));
        }
        if self.resource(name).is_some() {
            return self.resource_value(name, None, loc).map(Some);
        }
        Err(err(
            loc,
            format!("Ref {name}: not a parameter, pseudo parameter or resource of the template"),
        ))
    }

    fn get_att(&self, res: &str, attr: &str, loc: Option<Location>) -> R<Value> {
        if self.resource(res).is_none() {
            return Err(err(
                loc,
                format!("Fn::GetAtt {res}.{attr}: {res} is not a resource of the template"),
            ));
        }
        self.resource_value(res, Some(attr), loc)
    }

    /// `Ref` (attr `None`) or `Fn::GetAtt` of a resource of the template.
    fn resource_value(&self, id: &str, attr: Option<&str>, loc: Option<Location>) -> R<Value> {
        let what = match attr {
            None => format!("Ref {id}"),
            Some(a) => format!("Fn::GetAtt {id}.{a}"),
        };
        let Some(res) = self.resource(id) else {
            return Ok(Value::unknown(what, loc));
        };
        let ty = res.get("Type").and_then(Value::as_str).unwrap_or("");
        let Some(rule) = arns::rule(ty) else {
            return Ok(Value::unknown(what, loc));
        };
        let shape = match attr {
            None => rule.reference,
            Some(a) => match rule.attributes.iter().find(|(n, _)| *n == a) {
                Some((_, s)) => *s,
                None => return Ok(Value::unknown(what, loc)),
            },
        };
        let name = self.physical_name(id, res, rule)?;
        let path = res
            .get("Properties")
            .and_then(|p| p.get("Path"))
            .map(|p| self.value(p))
            .transpose()?;
        let path_parts = match path.as_ref().and_then(parts_of) {
            Some(p) => p,
            None => vec![Part::Text("/".into())],
        };
        let pattern = match shape {
            Shape::Name => "{name}",
            Shape::Arn(p) | Shape::Text(p) => p,
        };
        let mut parts = Vec::new();
        let mut rest = pattern;
        while let Some(open) = rest.find('{') {
            parts.push(Part::Text(rest[..open].to_string()));
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else { break };
            let key = &after[..close];
            match key {
                "partition" => parts.push(Part::Text(self.partition.clone())),
                "region" => parts.push(Part::Text(self.region.clone())),
                "account" => parts.push(Part::Text(self.account.clone())),
                "name" => parts.extend(name.clone()),
                "path" => parts.extend(path_parts.clone()),
                "id" => parts.push(Part::Text(arns::generated_id(id))),
                _ => parts.push(Part::Unknown(format!("{what} (generated part)"))),
            }
            rest = &after[close + 1..];
        }
        parts.push(Part::Text(rest.to_string()));
        Ok(concat(parts, loc))
    }

    fn physical_name(&self, id: &str, res: &Value, rule: &arns::TypeRule) -> R<Vec<Part>> {
        let prop = rule
            .name_property
            .and_then(|p| res.get("Properties").and_then(|ps| ps.get(p)));
        if let Some(p) = prop {
            {
                let mut stack = self.stack.borrow_mut();
                if stack.iter().any(|s| s == id) {
                    let mut cycle = stack.clone();
                    cycle.push(id.to_string());
                    return Err(ResolveError {
                        location: p.location,
                        message: format!("cyclic reference: {}", cycle.join(" -> ")),
                        fatal: true,
                    });
                }
                stack.push(id.to_string());
            }
            let r = self.resolve(p);
            self.stack.borrow_mut().pop();
            if let Some(v) = r? {
                if let Some(parts) = parts_of(&v) {
                    return Ok(parts);
                }
            }
        }
        Ok(vec![Part::Text(if rule.lower_case {
            id.to_lowercase()
        } else {
            id.to_string()
        })])
    }

    fn sub(&self, arg: &Value, loc: Option<Location>) -> R<Value> {
        let (template, vars) = match &arg.kind {
            Kind::String(s) => (s.clone(), None),
            Kind::Seq(items) => match items.as_slice() {
                [t, m] => {
                    let t = self.value(t)?;
                    let Some(t) = t.as_str() else {
                        return Ok(Value::unknown("Fn::Sub (computed string)", loc));
                    };
                    (t.to_string(), Some(m))
                }
                [t] => match t.as_str() {
                    Some(t) => (t.to_string(), None),
                    None => {
                        return Err(err(loc, "Fn::Sub takes a string or [string, {variables}]"))
                    }
                },
                _ => return Err(err(loc, "Fn::Sub takes a string or [string, {variables}]")),
            },
            _ => return Err(err(loc, "Fn::Sub takes a string or [string, {variables}]")),
        };
        let mut parts = Vec::new();
        let mut rest = template.as_str();
        while let Some(i) = rest.find("${") {
            parts.push(Part::Text(rest[..i].to_string()));
            let after = &rest[i + 2..];
            if let Some(lit) = after.strip_prefix('!') {
                // `${!Literal}` is the text `${Literal}`.
                parts.push(Part::Text("${".into()));
                rest = lit;
                continue;
            }
            let Some(close) = after.find('}') else {
                parts.push(Part::Text(rest[i..].to_string()));
                rest = "";
                break;
            };
            let var = after[..close].trim();
            rest = &after[close + 1..];
            let from_map = vars
                .and_then(|m| m.as_map())
                .and_then(|m| m.iter().find(|(k, _)| k == var))
                .map(|(_, v)| v);
            let value = match from_map {
                Some(v) => self.value(v)?,
                None => {
                    if let Some((r, a)) = var.split_once('.') {
                        if self.resource(r).is_some() {
                            self.get_att(r, a, loc)?
                        } else {
                            return Err(err(
                                loc,
                                format!("Fn::Sub: ${{{var}}} names no resource of the template"),
                            ));
                        }
                    } else if var.starts_with("AWS::")
                        || self.parameters.contains_key(var)
                        || self.resource(var).is_some()
                    {
                        match self.reference(var, loc)? {
                            Some(v) => v,
                            None => Value::string("", loc),
                        }
                    } else {
                        return Err(err(
                            loc,
                            format!(
                                "Fn::Sub: ${{{var}}} is not a parameter, pseudo parameter, resource or key of the variable map"
                            ),
                        ));
                    }
                }
            };
            match parts_of(&value) {
                Some(p) => parts.extend(p),
                None => {
                    // A list parameter substituted into a string: CloudFormation rejects it; a
                    // value we cannot render is unknown.
                    parts.push(Part::Unknown(format!("Fn::Sub ${{{var}}}")))
                }
            }
        }
        parts.push(Part::Text(rest.to_string()));
        Ok(concat(parts, loc))
    }

    fn find_in_map(&self, arg: &Value, loc: Option<Location>) -> R<Option<Value>> {
        let items = arg.as_seq().unwrap_or(&[]);
        if items.len() < 3 {
            return Err(err(
                loc,
                "Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey]",
            ));
        }
        let mut keys = Vec::new();
        for i in items.iter().take(3) {
            let v = self.value(i)?;
            match &v.kind {
                Kind::String(s) | Kind::Number(s) => keys.push(s.clone()),
                _ => {
                    return Ok(Some(Value::unknown(
                        "Fn::FindInMap (unknown key)".to_string(),
                        loc,
                    )))
                }
            }
        }
        let [map, top, second] = keys.as_slice() else {
            return Err(err(
                loc,
                "Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey]",
            ));
        };
        let found = self
            .mappings
            .and_then(|m| m.get(map))
            .and_then(|m| m.get(top))
            .and_then(|m| m.get(second));
        match found {
            Some(v) => self.resolve(v),
            None => {
                let default = items.get(3).and_then(|d| d.get("DefaultValue"));
                match default {
                    Some(d) => self.resolve(d),
                    None => Err(err(
                        loc,
                        format!("Fn::FindInMap: no {map}.{top}.{second} in Mappings"),
                    )),
                }
            }
        }
    }

    /// Evaluates a named condition (`None`: undecidable).
    pub fn condition(&self, name: &str, loc: Option<Location>) -> R<Option<bool>> {
        if let Some(c) = self.condition_cache.borrow().get(name) {
            return Ok(*c);
        }
        let Some(def) = self.conditions.and_then(|c| c.get(name)) else {
            return Err(err(
                loc,
                format!("condition {name} is not declared in Conditions"),
            ));
        };
        let key = format!("Conditions.{name}");
        {
            let mut stack = self.stack.borrow_mut();
            if stack.contains(&key) {
                let mut cycle = stack.clone();
                cycle.push(key);
                return Err(ResolveError {
                    location: def.location,
                    message: format!("cyclic condition: {}", cycle.join(" -> ")),
                    fatal: true,
                });
            }
            stack.push(key);
        }
        let r = self.truth(def);
        self.stack.borrow_mut().pop();
        let r = r?;
        self.condition_cache
            .borrow_mut()
            .insert(name.to_string(), r);
        Ok(r)
    }

    fn truth(&self, v: &Value) -> R<Option<bool>> {
        match &v.kind {
            Kind::Bool(b) => return Ok(Some(*b)),
            Kind::String(s) if s == "true" => return Ok(Some(true)),
            Kind::String(s) if s == "false" => return Ok(Some(false)),
            _ => {}
        }
        let Some([(f, arg)]) = v.as_map() else {
            return Ok(None);
        };
        let args = arg.as_seq().unwrap_or(&[]);
        match f.as_str() {
            "Condition" => match arg.as_str() {
                Some(n) => self.condition(n, v.location),
                None => Ok(None),
            },
            "Fn::Equals" => {
                let [a, b] = args else {
                    return Err(err(v.location, "Fn::Equals takes two values"));
                };
                let a = self.resolve(a)?;
                let b = self.resolve(b)?;
                match (a, b) {
                    (Some(a), Some(b)) if !a.has_unknown() && !b.has_unknown() => {
                        Ok(Some(scalar_text(&a) == scalar_text(&b)))
                    }
                    _ => Ok(None),
                }
            }
            "Fn::Not" => Ok(match args {
                [a] => self.truth(a)?.map(|b| !b),
                _ => None,
            }),
            "Fn::And" | "Fn::Or" => {
                let is_and = f == "Fn::And";
                let mut undecided = false;
                for a in args {
                    match self.truth(a)? {
                        Some(b) if b != is_and => return Ok(Some(b)),
                        Some(_) => {}
                        None => undecided = true,
                    }
                }
                Ok(if undecided { None } else { Some(is_and) })
            }
            _ => {
                let r = self.resolve(v)?;
                match r.map(|r| r.kind) {
                    Some(Kind::Bool(b)) => Ok(Some(b)),
                    Some(Kind::String(s)) if s == "true" => Ok(Some(true)),
                    Some(Kind::String(s)) if s == "false" => Ok(Some(false)),
                    _ => Ok(None),
                }
            }
        }
    }
}

fn scalar_text(v: &Value) -> String {
    match &v.kind {
        Kind::String(s) | Kind::Number(s) => s.clone(),
        Kind::Bool(b) => b.to_string(),
        _ => serde_json::to_string(v).unwrap_or_default(),
    }
}

/// Equality ignoring locations.
fn same(a: &Value, b: &Value) -> bool {
    serde_json::to_string(a).ok() == serde_json::to_string(b).ok()
}
