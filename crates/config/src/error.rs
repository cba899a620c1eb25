//! What can go wrong reading a configuration file.

use std::fmt;
use std::path::PathBuf;

/// A place in a configuration file, counted from 1 (the column in characters), as in every
/// message iamproof prints for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineColumn {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1, in characters (not bytes).
    pub column: usize,
}

impl LineColumn {
    /// The line and column of a byte offset into `text`. An offset past the end (or inside a
    /// multi-byte character) counts the characters before it.
    pub fn of_offset(text: &str, offset: usize) -> LineColumn {
        let before = text.get(..offset).unwrap_or_else(|| {
            // Not a character boundary or past the end: the longest prefix that is one.
            let mut end = offset.min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.get(..end).unwrap_or(text)
        });
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        LineColumn {
            line: before.matches('\n').count() + 1,
            column: before.get(line_start..).map_or(0, |s| s.chars().count()) + 1,
        }
    }
}

impl fmt::Display for LineColumn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A configuration file that cannot be read or is not valid.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file (or the directory discovery starts from) cannot be read.
    #[error("{path}: {source}", path = path.display())]
    Read {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not UTF-8 text.
    #[error("{path}: the file is not UTF-8 text", path = path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
    },
    /// The file is not valid TOML, has a key the format does not know, a value of the wrong
    /// type, or a value iamproof rejects.
    #[error("{path}:{at}: {message}", path = path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Where in the file.
        at: LineColumn,
        /// What is wrong.
        message: String,
    },
}

impl ConfigError {
    /// The line and column of an [`ConfigError::Invalid`] error.
    pub fn position(&self) -> Option<LineColumn> {
        match self {
            ConfigError::Invalid { at, .. } => Some(*at),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LineColumn;

    #[test]
    fn offsets_become_one_based_lines_and_character_columns() {
        let text = "a = 1\nbé = 2\n";
        let cases = [
            (0, 1, 1),
            (4, 1, 5),
            (6, 2, 1),
            (9, 2, 3), // after the two-byte `é`: the third character
            (8, 2, 2), // inside `é`: counts the characters before it
            (100, 3, 1),
        ];
        for (offset, line, column) in cases {
            assert_eq!(
                LineColumn::of_offset(text, offset),
                LineColumn { line, column },
                "offset {offset}"
            );
        }
    }
}
