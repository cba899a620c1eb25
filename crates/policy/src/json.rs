//! A strict, span-keeping JSON reader (RFC 8259).
//!
//! Why by hand: policy checks must point at the exact line and column of every node and must
//! *reject* duplicate object keys at every level (IAM says elements must not repeat a key, and
//! picking one silently would change a policy's meaning). `serde_json` keeps only one of the
//! duplicates and has no node positions; `jsonc-parser` has ranges but is a lenient JSONC reader
//! whose duplicate handling and column counting (we need Unicode-scalar columns, as Access
//! Analyzer's `Position` counts characters) would have to be re-checked on every release. A strict
//! JSON reader is ~400 lines, so it lives here.
//!
//! Limits, each with a clear error: input size ([`MAX_INPUT_BYTES`]) and nesting depth
//! ([`MAX_DEPTH`]). A leading UTF-8 byte-order mark is skipped (RFC 8259 §8.1 allows ignoring it).
//! Lines are 1-based and only `\n` starts a new line (`\r\n` works, a lone `\r` does not count);
//! columns are 0-based counts of Unicode scalar values; offsets are bytes.

use crate::error::{codes, PolicyError};
use crate::issue::IssueCode;
use crate::span::{JsonPath, PathElem, Position, Span};
use std::borrow::Cow;
use std::collections::HashMap;

/// The largest document accepted, in bytes.
pub const MAX_INPUT_BYTES: usize = 1 << 20;
/// The deepest nesting of arrays and objects accepted.
pub(crate) const MAX_DEPTH: usize = 64;

/// A JSON value with the span of its source text. Strings borrow from the input when they have
/// no escapes.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonNode<'a> {
    /// The value.
    pub value: JsonValue<'a>,
    /// Where the value is in the document (for strings, including the quotes).
    pub span: Span,
}

/// A JSON value. Numbers keep their exact source text.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonValue<'a> {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, as written (already checked against the RFC 8259 grammar).
    Number(Cow<'a, str>),
    /// A string with escapes resolved.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<JsonNode<'a>>),
    /// An object, members in document order; keys are unique.
    Object(Vec<JsonMember<'a>>),
}

impl JsonValue<'_> {
    /// A short name of the JSON type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            JsonValue::Null => "null",
            JsonValue::Bool(_) => "a boolean",
            JsonValue::Number(_) => "a number",
            JsonValue::String(_) => "a string",
            JsonValue::Array(_) => "an array",
            JsonValue::Object(_) => "an object",
        }
    }
}

/// One `"key": value` member of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonMember<'a> {
    /// The key with escapes resolved.
    pub key: Cow<'a, str>,
    /// The span of the key, including its quotes.
    pub key_span: Span,
    /// The value.
    pub value: JsonNode<'a>,
}

/// Parses one JSON document of at most [`MAX_INPUT_BYTES`] bytes and 64 levels of nesting.
/// Errors carry the position and the JSON path of the failure and use
/// the codes `JSON_SYNTAX`, `DUPLICATE_KEY`, `POLICY_TOO_LARGE` or `JSON_TOO_DEEP`.
pub fn parse_json(text: &str) -> Result<JsonNode<'_>, PolicyError> {
    if text.len() > MAX_INPUT_BYTES {
        let p = Position {
            line: 1,
            column: 0,
            offset: 0,
        };
        return Err(PolicyError::new(
            Span { start: p, end: p },
            JsonPath::root(),
            codes::POLICY_TOO_LARGE,
            format!(
                "document is {} bytes; the limit is {} bytes",
                text.len(),
                MAX_INPUT_BYTES
            ),
        ));
    }
    let mut r = Reader {
        src: text,
        bytes: text.as_bytes(),
        pos: 0,
        line: 1,
        col: 0,
        path: Vec::new(),
        depth: 0,
    };
    if r.bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        // Skipped, and not counted as a column.
        r.pos = 3;
    }
    r.skip_ws();
    if r.pos >= r.bytes.len() {
        return Err(r.err("empty document: expected a JSON value"));
    }
    let node = r.value()?;
    r.skip_ws();
    if r.pos < r.bytes.len() {
        return Err(r.err("unexpected text after the end of the JSON document"));
    }
    Ok(node)
}

struct Reader<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    line: u32,
    col: u32,
    /// The path to the node being read. Keys are kept as the byte offset of their opening quote
    /// and decoded only when an error needs the path (saves an allocation per member).
    path: Vec<Step>,
    depth: usize,
}

#[derive(Clone, Copy)]
enum Step {
    Key(usize),
    Index(usize),
}

impl<'a> Reader<'a> {
    fn here(&self) -> Position {
        Position {
            line: self.line,
            column: self.col,
            offset: self.pos,
        }
    }

    fn err(&self, msg: impl Into<String>) -> PolicyError {
        self.err_code(codes::JSON_SYNTAX, msg)
    }

    fn err_code(&self, code: IssueCode, msg: impl Into<String>) -> PolicyError {
        let p = self.here();
        PolicyError::new(
            Span { start: p, end: p },
            self.json_path(),
            code,
            msg.into(),
        )
    }

    /// The current path with keys decoded.
    fn json_path(&self) -> JsonPath {
        JsonPath(
            self.path
                .iter()
                .map(|s| match *s {
                    Step::Index(i) => PathElem::Index(i),
                    Step::Key(at) => {
                        let mut r = Reader {
                            src: self.src,
                            bytes: self.bytes,
                            pos: at,
                            line: 0,
                            col: 0,
                            path: Vec::new(),
                            depth: 0,
                        };
                        PathElem::Key(r.string().map(Cow::into_owned).unwrap_or_default())
                    }
                })
                .collect(),
        )
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Advances over one byte that is not a newline (columns count non-continuation bytes).
    fn bump(&mut self) {
        if let Some(&b) = self.bytes.get(self.pos) {
            if b & 0xC0 != 0x80 {
                self.col += 1;
            }
            self.pos += 1;
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\r' => {
                    self.pos += 1;
                    self.col += 1;
                }
                b'\n' => {
                    self.pos += 1;
                    self.line += 1;
                    self.col = 0;
                }
                _ => break,
            }
        }
    }

    fn describe_here(&self) -> String {
        match self.peek() {
            None => "end of input".to_string(),
            Some(_) => {
                let rest = self.bytes.get(self.pos..).unwrap_or_default();
                let s = std::str::from_utf8(rest).unwrap_or_default();
                match s.chars().next() {
                    Some(c) if c.is_control() => format!("character U+{:04X}", c as u32),
                    Some(c) => format!("'{c}'"),
                    None => "end of input".to_string(),
                }
            }
        }
    }

    fn value(&mut self) -> Result<JsonNode<'a>, PolicyError> {
        let start = self.here();
        let value = match self.peek() {
            None => return Err(self.err("unexpected end of input: expected a JSON value")),
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'"') => JsonValue::String(self.string()?),
            Some(b't') => self.literal("true", JsonValue::Bool(true))?,
            Some(b'f') => self.literal("false", JsonValue::Bool(false))?,
            Some(b'n') => self.literal("null", JsonValue::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => {
                return Err(self.err(format!(
                    "unexpected {}: expected a JSON value",
                    self.describe_here()
                )))
            }
        };
        Ok(JsonNode {
            value,
            span: Span {
                start,
                end: self.here(),
            },
        })
    }

    fn literal(&mut self, word: &str, v: JsonValue<'a>) -> Result<JsonValue<'a>, PolicyError> {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        if rest.starts_with(word.as_bytes()) {
            for _ in 0..word.len() {
                self.bump();
            }
            Ok(v)
        } else {
            Err(self.err(format!(
                "invalid literal: expected `{word}` (JSON strings need double quotes)"
            )))
        }
    }

    fn number(&mut self) -> Result<JsonValue<'a>, PolicyError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.bump();
        }
        match self.peek() {
            Some(b'0') => {
                self.bump();
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(self.err("invalid number: leading zeros are not allowed"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.err("invalid number: expected a digit")),
        }
        if self.peek() == Some(b'.') {
            self.bump();
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.err("invalid number: expected a digit after '.'"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.bump();
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.bump();
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.err("invalid number: expected a digit in the exponent"));
            }
            self.digits();
        }
        let text = self.src.get(start..self.pos).unwrap_or_default();
        Ok(JsonValue::Number(Cow::Borrowed(text)))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
            self.col += 1;
        }
    }

    fn hex4(&mut self) -> Result<u32, PolicyError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.err("invalid \\u escape: expected 4 hex digits")),
            };
            v = v * 16 + u32::from(d);
            self.bump();
        }
        Ok(v)
    }

    /// Reads a string starting at the opening quote.
    fn string(&mut self) -> Result<Cow<'a, str>, PolicyError> {
        self.bump(); // opening quote
        let mut out = String::new();
        let mut first_run = true;
        loop {
            // Fast path: copy a run of plain characters.
            let run_start = self.pos;
            let rest = self.bytes.get(run_start..).unwrap_or_default();
            let n = rest
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .unwrap_or(rest.len());
            let chars = rest
                .get(..n)
                .unwrap_or_default()
                .iter()
                .filter(|&&b| b & 0xC0 != 0x80)
                .count();
            self.col = self
                .col
                .saturating_add(u32::try_from(chars).unwrap_or(u32::MAX));
            self.pos += n;
            // The run ends at an ASCII byte or the end, so it lies on character boundaries.
            let run = self.src.get(run_start..self.pos).unwrap_or_default();
            if first_run && self.peek() == Some(b'"') {
                // No escapes: borrow from the input.
                self.bump();
                return Ok(Cow::Borrowed(run));
            }
            first_run = false;
            out.push_str(run);
            match self.peek() {
                None => return Err(self.err("unterminated string: expected '\"'")),
                Some(b'"') => {
                    self.bump();
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    let esc_start = self.here();
                    self.bump();
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.bump();
                            let hi = self.hex4()?;
                            let cp = if (0xD800..0xDC00).contains(&hi) {
                                let rest = self.bytes.get(self.pos..).unwrap_or_default();
                                if !rest.starts_with(b"\\u") {
                                    return Err(self.surrogate_err(esc_start));
                                }
                                self.bump();
                                self.bump();
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.surrogate_err(esc_start));
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else if (0xDC00..0xE000).contains(&hi) {
                                return Err(self.surrogate_err(esc_start));
                            } else {
                                hi
                            };
                            match char::from_u32(cp) {
                                Some(c) => out.push(c),
                                None => return Err(self.surrogate_err(esc_start)),
                            }
                            continue;
                        }
                        _ => {
                            let mut e = self.err(format!(
                                "invalid escape sequence: '\\' followed by {}",
                                self.describe_here()
                            ));
                            e.position = esc_start;
                            e.span.start = esc_start;
                            return Err(e);
                        }
                    };
                    self.bump();
                    out.push(c);
                }
                Some(b) => {
                    return Err(self.err(format!(
                        "control character U+{:04X} in string: it must be escaped",
                        b
                    )))
                }
            }
        }
    }

    fn surrogate_err(&self, at: Position) -> PolicyError {
        let mut e = self.err("invalid \\u escape: unpaired UTF-16 surrogate");
        e.position = at;
        e.span.start = at;
        e
    }

    fn enter(&mut self) -> Result<(), PolicyError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err_code(
                codes::JSON_TOO_DEEP,
                format!("nesting is deeper than {MAX_DEPTH} levels"),
            ));
        }
        Ok(())
    }

    fn array(&mut self) -> Result<JsonValue<'a>, PolicyError> {
        self.enter()?;
        self.bump(); // [
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.bump();
            self.depth -= 1;
            return Ok(JsonValue::Array(items));
        }
        loop {
            self.path.push(Step::Index(items.len()));
            self.skip_ws();
            let v = self.value()?;
            self.path.pop();
            items.push(v);
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    self.bump();
                    self.skip_ws();
                    if self.peek() == Some(b']') {
                        return Err(self.err("trailing comma before ']'"));
                    }
                }
                Some(b']') => {
                    self.bump();
                    break;
                }
                _ => {
                    return Err(self.err(format!(
                        "expected ',' or ']' after an array element, found {}",
                        self.describe_here()
                    )))
                }
            }
        }
        self.depth -= 1;
        Ok(JsonValue::Array(items))
    }

    fn object(&mut self) -> Result<JsonValue<'a>, PolicyError> {
        self.enter()?;
        self.bump(); // {
        let mut members: Vec<JsonMember<'a>> = Vec::new();
        // Built only for large objects; small ones are scanned linearly.
        let mut index: Option<HashMap<String, usize>> = None;
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.bump();
            self.depth -= 1;
            return Ok(JsonValue::Object(members));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.err(format!(
                    "expected a double-quoted object key, found {}",
                    self.describe_here()
                )));
            }
            let kstart = self.here();
            let key = self.string()?;
            let key_span = Span {
                start: kstart,
                end: self.here(),
            };
            let first = match &index {
                Some(map) => map.get(key.as_ref()).copied(),
                None => members.iter().position(|m| m.key == key),
            };
            if let Some(i) = first {
                let prev = members.get(i).map(|m| m.key_span.start).unwrap_or_default();
                let mut path = self.json_path();
                path.0.push(PathElem::Key(key.to_string()));
                return Err(PolicyError::new(
                    key_span,
                    path,
                    codes::DUPLICATE_KEY,
                    format!("duplicate key {:?} (first used at {prev})", key.as_ref()),
                ));
            }
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.err(format!(
                    "expected ':' after an object key, found {}",
                    self.describe_here()
                )));
            }
            self.bump();
            self.skip_ws();
            self.path.push(Step::Key(kstart.offset));
            let value = self.value()?;
            self.path.pop();
            if let Some(map) = &mut index {
                map.insert(key.to_string(), members.len());
            }
            members.push(JsonMember {
                key,
                key_span,
                value,
            });
            if index.is_none() && members.len() >= 16 {
                index = Some(
                    members
                        .iter()
                        .enumerate()
                        .map(|(i, m)| (m.key.to_string(), i))
                        .collect(),
                );
            }
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    self.bump();
                    self.skip_ws();
                    if self.peek() == Some(b'}') {
                        return Err(self.err("trailing comma before '}'"));
                    }
                }
                Some(b'}') => {
                    self.bump();
                    break;
                }
                _ => {
                    return Err(self.err(format!(
                        "expected ',' or '}}' after an object member, found {}",
                        self.describe_here()
                    )))
                }
            }
        }
        self.depth -= 1;
        Ok(JsonValue::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let n = parse_json("{\"a\": \"é\", \"b\": [1, 2.5e3, true, null]}").unwrap();
        let JsonValue::Object(m) = n.value else {
            panic!()
        };
        assert_eq!(m[1].key_span.start.column, 11);
        assert_eq!(m[1].key_span.start.offset, 12);
        let JsonValue::Array(items) = &m[1].value.value else {
            panic!()
        };
        assert_eq!(items[1].value, JsonValue::Number("2.5e3".into()));
    }

    #[test]
    fn duplicate_keys_rejected() {
        let e = parse_json("{\"a\": {\"x\": 1,\n \"x\": 2}}").unwrap_err();
        assert_eq!(e.code, codes::DUPLICATE_KEY);
        assert_eq!(
            e.to_string(),
            "2:2: a.x: duplicate key \"x\" (first used at 1:8)"
        );
    }

    #[test]
    fn many_keys_duplicate() {
        let mut s = String::from("{");
        for i in 0..40 {
            s.push_str(&format!("\"k{i}\": {i},"));
        }
        s.push_str("\"k3\": 0}");
        assert_eq!(parse_json(&s).unwrap_err().code, codes::DUPLICATE_KEY);
    }

    #[test]
    fn depth_bounded() {
        let s = "[".repeat(100) + &"]".repeat(100);
        assert_eq!(parse_json(&s).unwrap_err().code, codes::JSON_TOO_DEEP);
        let s = "[".repeat(64) + &"]".repeat(64);
        assert!(parse_json(&s).is_ok());
    }

    #[test]
    fn byte_order_mark_is_skipped_and_not_a_column() {
        let e = parse_json("\u{feff}{\"a\": x}").unwrap_err();
        assert_eq!(
            (e.position.line, e.position.column, e.position.offset),
            (1, 6, 9)
        );
    }

    #[test]
    fn escapes() {
        let n = parse_json(r#""a\u00e9\ud83d\ude00\n""#).unwrap();
        assert_eq!(n.value, JsonValue::String("aé😀\n".into()));
        assert!(parse_json(r#""\ud83d""#).is_err());
        assert!(parse_json(r#""\x""#).is_err());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,64}") {
            let _ = parse_json(&s);
        }

        #[test]
        fn never_panics_jsonish(s in "[\\[\\]{}\":,0-9a-z\\\\ \n-]{0,64}") {
            let _ = parse_json(&s);
        }
    }
}
