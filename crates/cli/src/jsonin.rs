//! Typed JSON arguments (request files, context entries, `--access`): errors say
//! `origin:line:col: path: message`, like policy errors.

use crate::error::CliError;
use crate::input::Document;
use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;
use std::fmt::Write;

/// Deserializes `doc` into `T`, with errors located in the document.
pub fn parse<T: DeserializeOwned>(doc: &Document) -> Result<T, CliError> {
    let mut de = serde_json::Deserializer::from_str(&doc.text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| located(doc, e))?;
    de.end().map_err(|e| CliError::Json {
        origin: doc.origin.clone(),
        line: e.line(),
        column: e.column(),
        path: "$".to_string(),
        message: bare_message(&e),
    })?;
    Ok(value)
}

fn located(doc: &Document, e: serde_path_to_error::Error<serde_json::Error>) -> CliError {
    let path = path_text(e.path());
    let inner = e.inner();
    CliError::Json {
        origin: doc.origin.clone(),
        line: inner.line(),
        column: inner.column(),
        path,
        message: bare_message(inner),
    }
}

/// serde_json's message without its ` at line L column C` suffix (we print the position first).
pub fn bare_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match s.strip_suffix(&suffix) {
        Some(m) => m.to_string(),
        None => s,
    }
}

/// A path as `[0].ContextKeyType` (`$` for the root), the notation policy errors use.
fn path_text(path: &serde_path_to_error::Path) -> String {
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => {
                let _ = write!(out, "[{index}]");
            }
            Segment::Map { key } | Segment::Enum { variant: key } => {
                let plain = !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                if plain {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                } else {
                    let _ = write!(out, "[{key:?}]");
                }
            }
            Segment::Unknown => out.push_str(".?"),
        }
    }
    if out.is_empty() {
        out.push('$');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Origin;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        a: Vec<u8>,
    }

    fn doc(text: &str) -> Document {
        Document {
            origin: Origin::Inline,
            text: text.to_string(),
        }
    }

    #[test]
    fn errors_carry_position_and_path() {
        let e = parse::<Vec<Item>>(&doc("[{\"a\":[1]},\n {\"a\":[1,\"x\"]}]")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "<inline>:2:12: [1].a[1]: invalid type: string \"x\", expected u8"
        );
        let e = parse::<Vec<Item>>(&doc("[] x")).unwrap_err();
        assert_eq!(e.to_string(), "<inline>:1:4: $: trailing characters");
        let e = parse::<Vec<Item>>(&doc("[{\"b\":1}]")).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("<inline>:1:5: [0].b: unknown field `b`"),
            "{e}"
        );
    }
}
