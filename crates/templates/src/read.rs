//! Reading JSON and YAML text into a located [`Value`] tree.
//!
//! JSON goes through iamproof-policy's strict, span-keeping reader (duplicate keys rejected, exact
//! positions); a JSON file larger than that reader's limit is read with `serde_json`, without
//! positions. YAML goes through `saphyr-parser`'s event stream, which keeps tags and marks:
//! CloudFormation's short forms become the long form here (`!Sub x` is `{"Fn::Sub": x}`, `!Ref x`
//! is `{"Ref": x}`, `!Condition x` is `{"Condition": x}`, `!GetAtt a.b` is
//! `{"Fn::GetAtt": ["a", "b"]}`, split at the first dot), so the resolver sees one form only. An
//! unknown `!Tag` is an error at its position.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YSpan};

use crate::error::TemplateError;
use crate::model::{Location, Position};
use crate::value::{Kind, Value};

/// The short-form tags CloudFormation accepts (without `!`), mapped to the long form's key.
const SHORT_FORMS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("Sub", "Fn::Sub"),
    ("GetAtt", "Fn::GetAtt"),
    ("Join", "Fn::Join"),
    ("If", "Fn::If"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("FindInMap", "Fn::FindInMap"),
    ("ImportValue", "Fn::ImportValue"),
    ("Base64", "Fn::Base64"),
    ("Equals", "Fn::Equals"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("Not", "Fn::Not"),
    ("GetAZs", "Fn::GetAZs"),
    ("Cidr", "Fn::Cidr"),
    ("Transform", "Fn::Transform"),
    ("Length", "Fn::Length"),
    ("ToJsonString", "Fn::ToJsonString"),
    ("ForEach", "Fn::ForEach"),
    ("FindInMap", "Fn::FindInMap"),
    ("Contains", "Fn::Contains"),
    ("EachMemberEquals", "Fn::EachMemberEquals"),
    ("EachMemberIn", "Fn::EachMemberIn"),
    ("RefAll", "Fn::RefAll"),
    ("ValueOf", "Fn::ValueOf"),
    ("ValueOfAll", "Fn::ValueOfAll"),
    ("Rain::Embed", "Rain::Embed"),
    ("Rain::S3Http", "Rain::S3Http"),
    ("Rain::S3", "Rain::S3"),
    ("Rain::Constant", "Rain::Constant"),
    ("Rain::Module", "Rain::Module"),
];

/// Reads JSON text.
pub fn read_json(file: &str, text: &str) -> Result<Value, TemplateError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() > iamproof_policy::MAX_INPUT_BYTES {
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| TemplateError::Syntax {
                file: file.to_string(),
                line: u32::try_from(e.line()).unwrap_or(u32::MAX),
                column: u32::try_from(e.column()).unwrap_or(u32::MAX),
                message: e.to_string(),
            })?;
        return Ok(Value::from_json(&v));
    }
    match iamproof_policy::parse_json(text) {
        Ok(node) => Ok(from_json_node(&node)),
        Err(e) => Err(TemplateError::Syntax {
            file: file.to_string(),
            line: e.position.line,
            column: e.position.column + 1,
            message: e.message.clone(),
        }),
    }
}

fn loc_of(span: &iamproof_policy::Span) -> Location {
    Location {
        start: Position {
            line: span.start.line,
            column: span.start.column + 1,
        },
        end: Position {
            line: span.end.line,
            column: span.end.column + 1,
        },
    }
}

fn from_json_node(n: &iamproof_policy::JsonNode<'_>) -> Value {
    use iamproof_policy::JsonValue as J;
    let kind = match &n.value {
        J::Null => Kind::Null,
        J::Bool(b) => Kind::Bool(*b),
        J::Number(s) => Kind::Number(s.to_string()),
        J::String(s) => Kind::String(s.to_string()),
        J::Array(items) => Kind::Seq(items.iter().map(from_json_node).collect()),
        J::Object(members) => Kind::Map(
            members
                .iter()
                .map(|m| (m.key.to_string(), from_json_node(&m.value)))
                .collect(),
        ),
    };
    Value::new(kind, Some(loc_of(&n.span)))
}

/// Reads YAML text (the first document of the stream).
pub fn read_yaml(file: &str, text: &str) -> Result<Value, TemplateError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = YamlReader {
        file,
        parser: Parser::new_from_str(text),
        anchors: HashMap::new(),
        depth: 0,
        nodes: 0,
    };
    reader.document()
}

/// Deepest YAML nesting accepted (a guard against stack exhaustion on hostile input).
const MAX_YAML_DEPTH: usize = 256;

struct YamlReader<'a, 'i> {
    file: &'a str,
    parser: Parser<'i, saphyr_parser::StrInput<'i>>,
    /// Anchored values and their sizes in nodes.
    anchors: HashMap<usize, (Value, usize)>,
    depth: usize,
    /// Nodes produced so far, aliases counted at their expanded size.
    nodes: usize,
}

/// Most nodes a YAML document may expand to (aliases included): a guard against alias bombs.
const MAX_YAML_NODES: usize = 2_000_000;

fn size(v: &Value) -> usize {
    1 + match &v.kind {
        Kind::Seq(items) => items.iter().map(size).sum(),
        Kind::Map(m) => m.iter().map(|(_, v)| size(v)).sum(),
        _ => 0,
    }
}

fn yloc(span: &YSpan) -> Location {
    let p = |m: &saphyr_parser::Marker| Position {
        line: u32::try_from(m.line()).unwrap_or(u32::MAX),
        column: u32::try_from(m.col() + 1).unwrap_or(u32::MAX),
    };
    Location {
        start: p(&span.start),
        end: p(&span.end),
    }
}

impl<'i> YamlReader<'_, 'i> {
    fn next(&mut self) -> Result<(Event<'i>, YSpan), TemplateError> {
        match self.parser.next_event() {
            Some(Ok(ev)) => Ok(ev),
            Some(Err(e)) => Err(TemplateError::Syntax {
                file: self.file.to_string(),
                line: u32::try_from(e.marker().line()).unwrap_or(u32::MAX),
                column: u32::try_from(e.marker().col() + 1).unwrap_or(u32::MAX),
                message: e.info().to_string(),
            }),
            None => Err(self.err_at(None, "unexpected end of the YAML stream")),
        }
    }

    fn err_at(&self, l: Option<Location>, message: &str) -> TemplateError {
        let (line, column) = l.map(|l| (l.start.line, l.start.column)).unwrap_or((1, 1));
        TemplateError::Syntax {
            file: self.file.to_string(),
            line,
            column,
            message: message.to_string(),
        }
    }

    fn document(&mut self) -> Result<Value, TemplateError> {
        loop {
            let (ev, span) = self.next()?;
            match ev {
                Event::StreamStart | Event::Nothing => continue,
                Event::DocumentStart(_) => {
                    let (ev, span) = self.next()?;
                    return self.node(ev, span);
                }
                Event::StreamEnd => {
                    return Err(self.err_at(Some(yloc(&span)), "the YAML file is empty"))
                }
                _ => return Err(self.err_at(Some(yloc(&span)), "unexpected YAML event")),
            }
        }
    }

    fn node(&mut self, ev: Event<'i>, span: YSpan) -> Result<Value, TemplateError> {
        let loc = yloc(&span);
        self.depth += 1;
        if self.depth > MAX_YAML_DEPTH {
            return Err(self.err_at(Some(loc), "the YAML is nested too deeply"));
        }
        self.nodes += 1;
        if self.nodes > MAX_YAML_NODES {
            return Err(self.err_at(Some(loc), "the YAML expands to too many nodes (aliases)"));
        }
        let out = match ev {
            Event::Alias(id) => match self.anchors.get(&id) {
                Some((v, n)) => {
                    self.nodes += n;
                    if self.nodes > MAX_YAML_NODES {
                        return Err(
                            self.err_at(Some(loc), "the YAML expands to too many nodes (aliases)")
                        );
                    }
                    Ok(v.clone())
                }
                None => Err(self.err_at(Some(loc), "alias to an unknown anchor")),
            },
            Event::Scalar(text, style, anchor, tag) => {
                let kind = scalar_kind(&text, style, tag.as_deref());
                let v = Value::new(kind, Some(loc));
                let v = self.tagged(v, tag.as_deref(), loc)?;
                if anchor > 0 {
                    self.anchors.insert(anchor, (v.clone(), size(&v)));
                }
                Ok(v)
            }
            Event::SequenceStart(anchor, tag) => {
                let mut items = Vec::new();
                let end = loop {
                    let (ev, sp) = self.next()?;
                    if let Event::SequenceEnd = ev {
                        break sp;
                    }
                    items.push(self.node(ev, sp)?);
                };
                // A block collection ends where its last item ends (the end event's mark is at
                // the next token, possibly lines below).
                let end = items
                    .last()
                    .and_then(|i| i.location)
                    .filter(|_| !is_flow(&end))
                    .unwrap_or(yloc(&end));
                let v = Value::new(Kind::Seq(items), Some(join(loc, end)));
                let v = self.tagged(v, tag.as_deref(), loc)?;
                if anchor > 0 {
                    self.anchors.insert(anchor, (v.clone(), size(&v)));
                }
                Ok(v)
            }
            Event::MappingStart(anchor, tag) => {
                let mut members: Vec<(String, Value)> = Vec::new();
                let end = loop {
                    let (ev, sp) = self.next()?;
                    if let Event::MappingEnd = ev {
                        break sp;
                    }
                    let key = self.node(ev, sp)?;
                    let k = match &key.kind {
                        Kind::String(s) | Kind::Number(s) => s.clone(),
                        Kind::Bool(b) => b.to_string(),
                        Kind::Null => String::new(),
                        _ => {
                            return Err(self.err_at(key.location, "a mapping key must be a scalar"))
                        }
                    };
                    if k == "<<" {
                        // A merge key: the members of the merged mapping(s) come in, unless set.
                        let (ev, sp) = self.next()?;
                        let merged = self.node(ev, sp)?;
                        let sources: Vec<Value> = match merged.kind {
                            Kind::Seq(s) => s,
                            _ => vec![merged],
                        };
                        for src in sources {
                            if let Kind::Map(m) = src.kind {
                                for (mk, mv) in m {
                                    if !members.iter().any(|(x, _)| *x == mk) {
                                        members.push((mk, mv));
                                    }
                                }
                            }
                        }
                        continue;
                    }
                    if members.iter().any(|(x, _)| *x == k) {
                        return Err(
                            self.err_at(key.location, &format!("duplicate mapping key \"{k}\""))
                        );
                    }
                    let (ev, sp) = self.next()?;
                    let value = self.node(ev, sp)?;
                    members.push((k, value));
                };
                let end = members
                    .last()
                    .and_then(|(_, v)| v.location)
                    .filter(|_| !is_flow(&end))
                    .unwrap_or(yloc(&end));
                let v = Value::new(Kind::Map(members), Some(join(loc, end)));
                let v = self.tagged(v, tag.as_deref(), loc)?;
                if anchor > 0 {
                    self.anchors.insert(anchor, (v.clone(), size(&v)));
                }
                Ok(v)
            }
            _ => Err(self.err_at(Some(loc), "unexpected YAML event")),
        };
        self.depth -= 1;
        out
    }

    /// Applies a tag: CloudFormation's short forms become the long form.
    fn tagged(
        &self,
        v: Value,
        tag: Option<&saphyr_parser::Tag>,
        loc: Location,
    ) -> Result<Value, TemplateError> {
        let Some(tag) = tag else { return Ok(v) };
        if tag.handle == "tag:yaml.org,2002:" || tag.handle == "!!" {
            return Ok(v); // core schema tags: the scalar kind already followed them
        }
        if tag.handle != "!" {
            return Err(self.err_at(
                Some(loc),
                &format!("unknown YAML tag {}{}", tag.handle, tag.suffix),
            ));
        }
        let Some((_, key)) = SHORT_FORMS.iter().find(|(s, _)| *s == tag.suffix) else {
            return Err(self.err_at(
                Some(loc),
                &format!(
                    "unknown tag !{} (not a CloudFormation intrinsic function)",
                    tag.suffix
                ),
            ));
        };
        let arg = if *key == "Fn::GetAtt" {
            match &v.kind {
                Kind::String(s) => {
                    let (a, b) = s.split_once('.').unwrap_or((s.as_str(), ""));
                    Value::new(
                        Kind::Seq(vec![
                            Value::string(a, v.location),
                            Value::string(b, v.location),
                        ]),
                        v.location,
                    )
                }
                _ => v,
            }
        } else {
            v
        };
        let whole = match arg.location {
            Some(a) => join(loc, a),
            None => loc,
        };
        Ok(Value::new(
            Kind::Map(vec![(key.to_string(), arg)]),
            Some(whole),
        ))
    }
}

/// Whether a collection's end mark is a flow end (`]` or `}`), which is exact, rather than the
/// start of the next token after a block collection.
fn is_flow(end: &YSpan) -> bool {
    end.end.index() > end.start.index()
}

fn join(a: Location, b: Location) -> Location {
    Location {
        start: a.start,
        end: b.end,
    }
}

/// YAML 1.2 core schema resolution of a scalar (plain scalars only; quoted ones are strings).
fn scalar_kind(text: &str, style: ScalarStyle, tag: Option<&saphyr_parser::Tag>) -> Kind {
    if let Some(t) = tag {
        if t.handle == "tag:yaml.org,2002:" || t.handle == "!!" {
            return match t.suffix.as_str() {
                "str" => Kind::String(text.to_string()),
                "bool" => Kind::Bool(text == "true" || text == "True" || text == "TRUE"),
                "null" => Kind::Null,
                "int" | "float" => Kind::Number(text.to_string()),
                _ => Kind::String(text.to_string()),
            };
        }
        // Short-form intrinsic arguments are read as strings.
        if style == ScalarStyle::Plain && text.is_empty() {
            return Kind::String(String::new());
        }
    }
    if style != ScalarStyle::Plain {
        return Kind::String(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Kind::Null,
        "true" | "True" | "TRUE" => Kind::Bool(true),
        "false" | "False" | "FALSE" => Kind::Bool(false),
        _ if is_number(text) => Kind::Number(text.to_string()),
        _ => Kind::String(text.to_string()),
    }
}

fn is_number(t: &str) -> bool {
    let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits(body.as_bytes()) {
        return true;
    }
    if let Some(h) = t.strip_prefix("0x") {
        return !h.is_empty() && h.bytes().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(o) = t.strip_prefix("0o") {
        return !o.is_empty() && o.bytes().all(|c| (b'0'..=b'7').contains(&c));
    }
    // float: [-+]? (\. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    let (mant, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let mant_ok = match mant.split_once('.') {
        Some((a, c)) => {
            (digits(a.as_bytes()) || a.is_empty())
                && (c.is_empty() || digits(c.as_bytes()))
                && !(a.is_empty() && c.is_empty())
        }
        None => digits(mant.as_bytes()),
    };
    let exp_ok = match exp {
        None => true,
        Some(e) => digits(e.strip_prefix(['-', '+']).unwrap_or(e).as_bytes()),
    };
    mant_ok && exp_ok
}

/// An error of a JSON document read from a string value, described relative to the string
/// (its positions are not positions of the file).
pub(crate) fn string_error(e: &TemplateError) -> String {
    match e {
        TemplateError::Syntax {
            line,
            column,
            message,
            ..
        } => format!("at line {line}, column {column} of the string: {message}"),
        other => other.to_string(),
    }
}
