//! Source positions and JSON paths, so every error and finding can say where it is.

use std::fmt;

/// A position in a policy document. `line` is 1-based; `column` is 0-based and counts characters
/// (Unicode scalar values) as Access Analyzer's `Position` does; `offset` is the 0-based byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 0-based column, in characters.
    pub column: u32,
    /// 0-based byte offset.
    pub offset: usize,
}

impl fmt::Display for Position {
    /// `line:column`, with the column 1-based as editors and compilers print it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column + 1)
    }
}

/// A half-open range `[start, end)` of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// The first position inside the range.
    pub start: Position,
    /// The first position after the range.
    pub end: Position,
}

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathElem {
    /// An object member, by key.
    Key(String),
    /// An array element, by 0-based index.
    Index(usize),
}

/// Where a value sits in a document, as a path from the root: `Statement[0].Condition.StringEquals`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct JsonPath(pub Vec<PathElem>);

impl JsonPath {
    /// The empty path (the document itself).
    pub fn root() -> Self {
        JsonPath(Vec::new())
    }
    /// This path extended by an object key.
    pub fn key(&self, k: &str) -> Self {
        let mut v = Vec::with_capacity(self.0.len() + 1);
        v.extend_from_slice(&self.0);
        v.push(PathElem::Key(k.to_string()));
        JsonPath(v)
    }
    /// This path extended by an array index.
    pub fn index(&self, i: usize) -> Self {
        let mut v = Vec::with_capacity(self.0.len() + 1);
        v.extend_from_slice(&self.0);
        v.push(PathElem::Index(i));
        JsonPath(v)
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return write!(f, "$");
        }
        let mut first = true;
        for e in &self.0 {
            match e {
                PathElem::Key(k) => {
                    let plain = !k.is_empty()
                        && k.chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                    if plain {
                        if !first {
                            write!(f, ".")?;
                        }
                        write!(f, "{k}")?;
                    } else {
                        write!(f, "[{k:?}]")?;
                    }
                }
                PathElem::Index(i) => write!(f, "[{i}]")?,
            }
            first = false;
        }
        Ok(())
    }
}
