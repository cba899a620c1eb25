//! Reading the documents named on the command line.
//!
//! A DOC argument is, as in the AWS CLI, `file://PATH`, or a plain path, or `-` for standard
//! input, or the JSON text itself (anything whose first non-blank character is `{` or `[`).
//! Every document gets an origin name used in error messages: the path as written, `<stdin>` or
//! `<inline>`.

use crate::error::CliError;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest document we read: the policy parser's limit
/// ([`iamproof_policy::MAX_INPUT_BYTES`], 1 MiB), the one limit of every document
/// (policies, requests, `--access`, context entries). The largest IAM policy AWS accepts is a
/// KMS key policy of 32 KiB; anything far beyond that is a mistake (a wrong file), not a policy.
pub const MAX_DOCUMENT_BYTES: u64 = iamproof_policy::MAX_INPUT_BYTES as u64;

/// Where a document came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A file, by the path as written on the command line (without `file://`).
    File(PathBuf),
    /// Standard input (`-`).
    Stdin,
    /// Inline JSON given as the argument itself.
    Inline,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File(p) => write!(f, "{}", p.display()),
            Origin::Stdin => f.write_str("<stdin>"),
            Origin::Inline => f.write_str("<inline>"),
        }
    }
}

/// A document read from its origin: the text, ready for a parser.
#[derive(Debug, Clone)]
pub struct Document {
    /// Where it came from (for messages).
    pub origin: Origin,
    /// The text, with a leading UTF-8 byte order mark removed (editors hide it, so positions
    /// are counted as the user sees them).
    pub text: String,
}

impl Document {
    /// An error about this document as a whole: `origin: message`.
    pub fn error(&self, message: impl fmt::Display) -> CliError {
        CliError::Document {
            origin: self.origin.clone(),
            message: message.to_string(),
        }
    }
}

/// Reads DOC arguments, making sure standard input is read at most once.
pub struct Loader<'a> {
    /// Standard input, until a `-` argument reads it.
    stdin: Option<&'a mut dyn Read>,
}

impl<'a> Loader<'a> {
    /// A loader that has not read `stdin` (standard input) yet.
    pub fn new(stdin: &'a mut dyn Read) -> Self {
        Loader { stdin: Some(stdin) }
    }

    /// Reads one DOC argument (see the module docs). `what` names the option for messages,
    /// e.g. `--policy-document`.
    pub fn load(&mut self, arg: &str, what: &str) -> Result<Document, CliError> {
        let trimmed = arg.trim_start();
        if trimmed.starts_with('{') || trimmed.starts_with('[') {
            return finish(Origin::Inline, arg.as_bytes().to_vec());
        }
        if arg == "-" {
            let Some(stdin) = self.stdin.take() else {
                return Err(CliError::Usage(format!(
                    "{what}: standard input (-) can be used for only one document"
                )));
            };
            let bytes = read_limited(stdin, &Origin::Stdin)?;
            return finish(Origin::Stdin, bytes);
        }
        if arg.is_empty() {
            return Err(CliError::Usage(format!(
                "{what}: expected a document (file://PATH, PATH, - or inline JSON), found an empty argument"
            )));
        }
        let path = Path::new(arg.strip_prefix("file://").unwrap_or(arg));
        if path.as_os_str().is_empty() {
            return Err(CliError::Usage(format!(
                "{what}: `file://` must be followed by a path"
            )));
        }
        let origin = Origin::File(path.to_path_buf());
        if path.is_dir() {
            return Err(CliError::Document {
                origin,
                message: "is a directory".to_string(),
            });
        }
        let file = std::fs::File::open(path).map_err(|e| {
            let hint = if e.kind() == std::io::ErrorKind::NotFound && !arg.starts_with("file://") {
                format!(
                    " (give a file path, file://PATH, - for standard input, or the JSON itself \
                     for {what})"
                )
            } else {
                String::new()
            };
            CliError::Read {
                origin: origin.clone(),
                source: e,
                hint,
            }
        })?;
        let bytes = read_limited(file, &origin)?;
        finish(origin, bytes)
    }
}

/// An I/O error as a sentence, without Rust's `(os error N)` suffix.
pub fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

/// Reads at most `MAX_DOCUMENT_BYTES` (+1 to detect overflow).
fn read_limited(r: impl Read, origin: &Origin) -> Result<Vec<u8>, CliError> {
    let mut buf = Vec::new();
    r.take(MAX_DOCUMENT_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| CliError::Read {
            origin: origin.clone(),
            source: e,
            hint: String::new(),
        })?;
    if buf.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(CliError::Document {
            origin: origin.clone(),
            message: format!(
                "document is larger than {} MiB; IAM policies are at most 32 KiB",
                MAX_DOCUMENT_BYTES / (1024 * 1024)
            ),
        });
    }
    Ok(buf)
}

fn finish(origin: Origin, bytes: Vec<u8>) -> Result<Document, CliError> {
    let mut text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            return Err(CliError::Document {
                origin,
                message: format!(
                    "not UTF-8 text (invalid byte at offset {at}); a policy document is JSON"
                ),
            });
        }
    };
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if text.trim().is_empty() {
        return Err(CliError::Document {
            origin,
            message: "the document is empty; expected a JSON policy document".to_string(),
        });
    }
    Ok(Document { origin, text })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_json_is_recognised_after_whitespace() {
        let mut empty = std::io::empty();
        let mut l = Loader::new(&mut empty);
        let d = l.load("  \n{\"Version\":\"2012-10-17\"}", "--x").unwrap();
        assert_eq!(d.origin, Origin::Inline);
        let d = l.load("[1]", "--x").unwrap();
        assert_eq!(d.origin, Origin::Inline);
    }

    #[test]
    fn file_urls_and_plain_paths_read_the_same_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.json");
        std::fs::write(&p, "\u{feff}{}").unwrap();
        let mut empty = std::io::empty();
        let mut l = Loader::new(&mut empty);
        let a = l.load(&format!("file://{}", p.display()), "--x").unwrap();
        let b = l.load(p.to_str().unwrap(), "--x").unwrap();
        assert_eq!(a.text, "{}");
        assert_eq!(b.text, "{}");
        assert_eq!(a.origin, Origin::File(p.clone()));
        assert_eq!(a.origin.to_string(), p.display().to_string());
    }

    #[test]
    fn bad_files_give_errors_naming_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut empty = std::io::empty();
        let mut l = Loader::new(&mut empty);
        let e = l.load(dir.path().to_str().unwrap(), "--x").unwrap_err();
        assert!(e.to_string().ends_with(": is a directory"), "{e}");
        let missing = dir.path().join("missing.json");
        let e = l.load(missing.to_str().unwrap(), "--x").unwrap_err();
        assert!(e.to_string().contains("missing.json: no such file"), "{e}");
        let bin = dir.path().join("bin");
        std::fs::write(&bin, [0x7b, 0xff, 0xfe, 0x00]).unwrap();
        let e = l.load(bin.to_str().unwrap(), "--x").unwrap_err();
        assert!(
            e.to_string()
                .contains("not UTF-8 text (invalid byte at offset 1)"),
            "{e}"
        );
        let empty = dir.path().join("empty");
        std::fs::write(&empty, " \n\t").unwrap();
        let e = l.load(empty.to_str().unwrap(), "--x").unwrap_err();
        assert!(e.to_string().contains("the document is empty"), "{e}");
        let e = l.load("file://", "--x").unwrap_err();
        assert!(matches!(e, CliError::Usage(_)));
        let e = l.load("", "--x").unwrap_err();
        assert!(matches!(e, CliError::Usage(_)));
    }

    #[test]
    fn stdin_only_once() {
        let mut empty = std::io::empty();
        let mut l = Loader::new(&mut empty);
        l.stdin = None;
        let e = l.load("-", "--x").unwrap_err();
        assert!(e.to_string().contains("only one document"), "{e}");
    }
}
