//! The document tree: a JSON-like value in which what is not known at analysis time is explicit.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use crate::model::Location;

/// A JSON-like value with its location in the source file. Templates are read into it (without
/// unknowns), and resolved documents are built from it (with unknowns).
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// The value.
    pub kind: Kind,
    /// Where it is in the source (`None` when not known, e.g. a value computed from several).
    pub location: Option<Location>,
}

/// The kinds of [`Value`].
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string.
    String(String),
    /// A list.
    Seq(Vec<Value>),
    /// A mapping, keys in source order.
    Map(Vec<(String, Value)>),
    /// A value not known at analysis time; the text says what it was
    /// (`Fn::ImportValue SharedBucketArn`).
    Unknown(String),
    /// A string of which some parts are unknown (`arn:aws:s3:::${unknown}/*`).
    Partial(Vec<Part>),
}

/// A part of a [`Kind::Partial`] string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Known text.
    Text(String),
    /// An unknown value, named as in [`Kind::Unknown`].
    Unknown(String),
}

impl Value {
    /// A value of the given kind at the given location.
    pub fn new(kind: Kind, location: Option<Location>) -> Self {
        Value { kind, location }
    }

    /// A string.
    pub fn string(s: impl Into<String>, location: Option<Location>) -> Self {
        Value::new(Kind::String(s.into()), location)
    }

    /// An unknown value.
    pub fn unknown(what: impl Into<String>, location: Option<Location>) -> Self {
        Value::new(Kind::Unknown(what.into()), location)
    }

    /// The string, if this is a known string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }

    /// The members, if this is a mapping.
    pub fn as_map(&self) -> Option<&[(String, Value)]> {
        match &self.kind {
            Kind::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The items, if this is a list.
    pub fn as_seq(&self) -> Option<&[Value]> {
        match &self.kind {
            Kind::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The value of a mapping's member.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Whether the value or anything inside it is unknown.
    pub fn has_unknown(&self) -> bool {
        match &self.kind {
            Kind::Unknown(_) | Kind::Partial(_) => true,
            Kind::Seq(s) => s.iter().any(Value::has_unknown),
            Kind::Map(m) => m.iter().any(|(_, v)| v.has_unknown()),
            _ => false,
        }
    }

    /// The names of the unknown values inside, in order.
    pub fn unknowns(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_unknowns(&mut out);
        out
    }

    fn collect_unknowns(&self, out: &mut Vec<String>) {
        match &self.kind {
            Kind::Unknown(u) => out.push(u.clone()),
            Kind::Partial(parts) => out.extend(parts.iter().filter_map(|p| match p {
                Part::Unknown(u) => Some(u.clone()),
                Part::Text(_) => None,
            })),
            Kind::Seq(s) => s.iter().for_each(|v| v.collect_unknowns(out)),
            Kind::Map(m) => m.iter().for_each(|(_, v)| v.collect_unknowns(out)),
            _ => {}
        }
    }

    /// Converts a known value to `serde_json` (`None` if anything inside is unknown).
    pub fn to_json(&self) -> Option<serde_json::Value> {
        Some(match &self.kind {
            Kind::Null => serde_json::Value::Null,
            Kind::Bool(b) => serde_json::Value::Bool(*b),
            Kind::Number(n) => match serde_json::from_str::<serde_json::Number>(n) {
                Ok(n) => serde_json::Value::Number(n),
                Err(_) => serde_json::Value::String(n.clone()),
            },
            Kind::String(s) => serde_json::Value::String(s.clone()),
            Kind::Seq(s) => {
                serde_json::Value::Array(s.iter().map(Value::to_json).collect::<Option<Vec<_>>>()?)
            }
            Kind::Map(m) => serde_json::Value::Object(
                m.iter()
                    .map(|(k, v)| Some((k.clone(), v.to_json()?)))
                    .collect::<Option<serde_json::Map<_, _>>>()?,
            ),
            Kind::Unknown(_) | Kind::Partial(_) => return None,
        })
    }

    /// A value read from `serde_json` (no locations).
    pub fn from_json(v: &serde_json::Value) -> Self {
        let kind = match v {
            serde_json::Value::Null => Kind::Null,
            serde_json::Value::Bool(b) => Kind::Bool(*b),
            serde_json::Value::Number(n) => Kind::Number(n.to_string()),
            serde_json::Value::String(s) => Kind::String(s.clone()),
            serde_json::Value::Array(a) => Kind::Seq(a.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(o) => Kind::Map(
                o.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        };
        Value::new(kind, None)
    }
}

/// The key marking an unknown value in serialized documents: `{"iamproof:unknown": "Ref X"}`.
pub const UNKNOWN_KEY: &str = "iamproof:unknown";
/// The key marking a partly unknown string in serialized documents:
/// `{"iamproof:concat": ["arn:aws:s3:::", {"iamproof:unknown": "Ref B"}, "/*"]}`.
pub const CONCAT_KEY: &str = "iamproof:concat";

impl Serialize for Value {
    /// As JSON; an unknown is `{"iamproof:unknown": what}` and a partly unknown string is
    /// `{"iamproof:concat": [text or unknown, ...]}`. Locations are not serialized.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.kind {
            Kind::Null => s.serialize_unit(),
            Kind::Bool(b) => s.serialize_bool(*b),
            Kind::Number(n) => match serde_json::from_str::<serde_json::Number>(n) {
                Ok(num) => num.serialize(s),
                Err(_) => s.serialize_str(n),
            },
            Kind::String(t) => s.serialize_str(t),
            Kind::Seq(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for i in items {
                    seq.serialize_element(i)?;
                }
                seq.end()
            }
            Kind::Map(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            Kind::Unknown(u) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry(UNKNOWN_KEY, u)?;
                map.end()
            }
            Kind::Partial(parts) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry(CONCAT_KEY, &PartsSer(parts))?;
                map.end()
            }
        }
    }
}

struct PartsSer<'a>(&'a [Part]);

impl Serialize for PartsSer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for p in self.0 {
            match p {
                Part::Text(t) => seq.serialize_element(t)?,
                Part::Unknown(u) => {
                    let mut m = serde_json::Map::new();
                    m.insert(UNKNOWN_KEY.into(), serde_json::Value::String(u.clone()));
                    seq.serialize_element(&m)?
                }
            }
        }
        seq.end()
    }
}

/// Builds a string from parts, merging neighbouring text; all-text gives [`Kind::String`].
pub fn concat(parts: Vec<Part>, location: Option<Location>) -> Value {
    let mut out: Vec<Part> = Vec::new();
    for p in parts {
        match (out.last_mut(), p) {
            (Some(Part::Text(a)), Part::Text(b)) => a.push_str(&b),
            (_, Part::Text(b)) if b.is_empty() => {}
            (_, p) => out.push(p),
        }
    }
    match out.as_slice() {
        [] => Value::string("", location),
        [Part::Text(t)] => Value::string(t.clone(), location),
        [Part::Unknown(u)] => Value::unknown(u.clone(), location),
        _ => Value::new(Kind::Partial(out), location),
    }
}

/// The parts of a string-like value (`None` for lists, mappings...). Numbers and booleans count
/// as their text, as CloudFormation converts them.
pub fn parts_of(v: &Value) -> Option<Vec<Part>> {
    match &v.kind {
        Kind::String(s) | Kind::Number(s) => Some(vec![Part::Text(s.clone())]),
        Kind::Bool(b) => Some(vec![Part::Text(b.to_string())]),
        Kind::Unknown(u) => Some(vec![Part::Unknown(u.clone())]),
        Kind::Partial(p) => Some(p.clone()),
        _ => None,
    }
}
