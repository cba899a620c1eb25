//! Why an input could not be read.

use thiserror::Error;

use crate::model::{Location, Position};

/// An input (template, plan, cloud assembly, parameter file) that cannot be read. The message
/// starts with where: `file:line:col:` when the position is known.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TemplateError {
    /// The file or directory cannot be read.
    #[error("{file}: {message}")]
    Io {
        /// The path.
        file: String,
        /// What went wrong (`no such file`...).
        message: String,
    },
    /// The text is not valid JSON or YAML (unclosed quote, bad indentation, unknown tag...).
    #[error("{file}:{line}:{column}: {message}")]
    Syntax {
        /// The path.
        file: String,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// What is wrong.
        message: String,
    },
    /// The text is well-formed but is not a valid template, plan or assembly (a cyclic `Ref`, a
    /// `Resources` that is not a mapping...).
    #[error("{file}{}: {path}{}{message}", at(.location), if .path.is_empty() { "" } else { ": " })]
    Invalid {
        /// The path.
        file: String,
        /// Where, when known.
        location: Option<Location>,
        /// The path inside the document (`Resources.Role.Properties`).
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A command-line option value is wrong (`--parameters`, `--format`...).
    #[error("{0}")]
    Option(String),
}

fn at(l: &Option<Location>) -> String {
    match l {
        Some(l) => format!(":{l}"),
        None => String::new(),
    }
}

impl TemplateError {
    /// The file and the range the error points at, when it has a position (a syntax error is
    /// a point: its range is empty).
    pub fn location(&self) -> Option<(&str, Location)> {
        match self {
            TemplateError::Syntax {
                file, line, column, ..
            } => {
                let at = Position {
                    line: *line,
                    column: *column,
                };
                Some((file, Location { start: at, end: at }))
            }
            TemplateError::Invalid {
                file,
                location: Some(l),
                ..
            } => Some((file, *l)),
            _ => None,
        }
    }

    pub(crate) fn io(file: &str, e: &std::io::Error) -> Self {
        let message = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            std::io::ErrorKind::InvalidData => "the file is not UTF-8 text".to_string(),
            _ => e.to_string(),
        };
        TemplateError::Io {
            file: file.to_string(),
            message,
        }
    }

    pub(crate) fn invalid(
        file: &str,
        location: Option<Location>,
        path: &str,
        message: impl Into<String>,
    ) -> Self {
        TemplateError::Invalid {
            file: file.to_string(),
            location,
            path: path.to_string(),
            message: message.into(),
        }
    }
}
