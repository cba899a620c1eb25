//! Locating and reading the external corpora (never copied into the repository) for tests and
//! benchmarks.
//!
//! The corpora live outside the repository, at `<workspace>/../shared/corpora` (override with
//! `$IAMPROOF_CORPORA`): several are copyleft (AGPL, GPL), so they are read at run time and never
//! vendored. Each folder there has a `SOURCE.txt` saying where it comes from and what it holds.
//!
//! [`corpora_dir`] finds the folder; [`Corpora`] reads it: every policy document of every corpus
//! ([`Corpora::all_policies`], also the free function [`all_policies`]) and typed loaders for the
//! oracles the tests and benchmarks compare against (managed policies, MAMIP version pairs,
//! Access Analyzer findings, Quacky's relative-permissiveness results, iam-simulate cases, the
//! service-reference action and condition-key catalogues). A missing or unreadable file is a
//! [`CorpusError`] naming the file and where the corpora are expected.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

mod document;
mod iam_data;
mod iam_simulate;
mod mamip;
mod managed;
mod policies;
mod quacky;
mod user_guide;

pub use document::{
    doc_size, guess_policy_type, has_principal, parse_document, statements_of, to_pretty_text,
};
pub use iam_data::{ConditionKeyEntry, ServiceReferenceActions, ServiceReferenceKeys};
pub use iam_simulate::IamSimulateFile;
pub use mamip::{AccessAnalyzerFindings, MamipPolicy, VersionPair};
pub use managed::ManagedPolicy;
pub use policies::CorpusPolicy;
pub use quacky::{QuackyPair, QuackyRow};
pub use user_guide::UserGuideExample;

use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// The environment variable that overrides the corpora directory.
pub const CORPORA_ENV: &str = "IAMPROOF_CORPORA";

/// How deep directory walks and JSON searches go (the corpora nest far less deeply; the bound
/// only keeps a malformed tree from recursing without end).
const MAX_DEPTH: usize = 64;

/// Errors while reading a corpus.
#[derive(Error)]
pub enum CorpusError {
    /// A corpus file or folder cannot be read (most often: the corpora are not there at all).
    #[error(
        "cannot read corpus file {path} ({source}); the external corpora are expected at {corpora} \
         (<workspace>/../shared/corpora, or set ${CORPORA_ENV}); they are never copied into the repository"
    )]
    Missing {
        /// The file or folder.
        path: PathBuf,
        /// The corpora folder it was looked up in.
        corpora: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A line or file is not the JSON expected.
    #[error("corpus file {path}:{line}: {why}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based line (0 for a whole file).
        line: usize,
        /// What is wrong.
        why: String,
    },
}

/// `Debug` is the `Display` message, so that `.unwrap()` in a test and a `Result`-returning test
/// print the clear message (which file, where the corpora should be).
impl std::fmt::Debug for CorpusError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

/// The corpora directory: `$IAMPROOF_CORPORA` if set, else `<workspace>/../shared/corpora`
/// (computed from this crate's manifest directory).
pub fn corpora_dir() -> PathBuf {
    if let Some(p) = std::env::var_os(CORPORA_ENV) {
        return PathBuf::from(p);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora")
}

/// Every policy document of every corpus (see [`Corpora::all_policies`]), from [`corpora_dir`].
pub fn all_policies() -> Result<Vec<CorpusPolicy>, CorpusError> {
    Corpora::locate().all_policies()
}

/// The corpora folder and the readers of its files. Paths given to its methods are relative to
/// the folder (`"mamip/policies_current.jsonl"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corpora {
    root: PathBuf,
}

impl Default for Corpora {
    fn default() -> Self {
        Corpora::locate()
    }
}

impl Corpora {
    /// The corpora at [`corpora_dir`].
    pub fn locate() -> Self {
        Corpora {
            root: corpora_dir(),
        }
    }

    /// The corpora at `root` (a `--corpora` option, a test fixture).
    pub fn at(root: impl Into<PathBuf>) -> Self {
        Corpora { root: root.into() }
    }

    /// The corpora folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The absolute path of `rel`.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn missing(&self, path: &Path, source: std::io::Error) -> CorpusError {
        CorpusError::Missing {
            path: path.to_path_buf(),
            corpora: self.root.clone(),
            source,
        }
    }

    /// The error for a folder a reader needs that is not there.
    fn check_dir(&self, rel: &str) -> Result<PathBuf, CorpusError> {
        let dir = self.path(rel);
        if dir.is_dir() {
            Ok(dir)
        } else {
            Err(self.missing(&dir, std::io::Error::from(std::io::ErrorKind::NotFound)))
        }
    }

    /// A whole file (absolute, or relative to the corpora folder) as text.
    pub fn read_text(&self, path: impl AsRef<Path>) -> Result<String, CorpusError> {
        let path = self.root.join(path);
        std::fs::read_to_string(&path).map_err(|e| self.missing(&path, e))
    }

    /// A JSON file.
    pub fn read_json<T: DeserializeOwned>(&self, path: impl AsRef<Path>) -> Result<T, CorpusError> {
        let path = self.root.join(path);
        let text = self.read_text(&path)?;
        serde_json::from_str(&text).map_err(|e| CorpusError::Malformed {
            path,
            line: 0,
            why: e.to_string(),
        })
    }

    /// A JSON-lines file, one `T` per non-blank line, in file order.
    pub fn read_jsonl<T: DeserializeOwned>(
        &self,
        path: impl AsRef<Path>,
    ) -> Result<Vec<T>, CorpusError> {
        let path = self.root.join(path);
        let text = self.read_text(&path)?;
        let mut out = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v = serde_json::from_str(line).map_err(|e| CorpusError::Malformed {
                path: path.clone(),
                line: i + 1,
                why: e.to_string(),
            })?;
            out.push(v);
        }
        Ok(out)
    }

    /// Every `.json` file (and `.jsonl` if `with_jsonl`) below the folder `rel`, sorted by path;
    /// an error if the folder is missing.
    pub fn json_files(&self, rel: &str, with_jsonl: bool) -> Result<Vec<PathBuf>, CorpusError> {
        let extensions: &[&str] = if with_jsonl {
            &["json", "jsonl"]
        } else {
            &["json"]
        };
        self.files_with(rel, extensions)
    }

    /// Every file below the folder `rel` whose extension is one of `extensions`, sorted by
    /// path; an error if the folder is missing.
    pub fn files_with(&self, rel: &str, extensions: &[&str]) -> Result<Vec<PathBuf>, CorpusError> {
        let dir = self.check_dir(rel)?;
        let mut out = Vec::new();
        self.walk(&dir, Some(extensions), 0, &mut out)?;
        Ok(out)
    }

    /// Every file below the folder `rel`, sorted by path; an error if the folder is missing.
    pub fn all_files(&self, rel: &str) -> Result<Vec<PathBuf>, CorpusError> {
        let dir = self.check_dir(rel)?;
        let mut out = Vec::new();
        self.walk(&dir, None, 0, &mut out)?;
        Ok(out)
    }

    /// The CloudFormation templates (JSON and YAML) of `cloudformation-templates`, sorted.
    pub fn cloudformation_templates(&self) -> Result<Vec<PathBuf>, CorpusError> {
        self.files_with("cloudformation-templates", &["json", "yaml", "yml"])
    }

    fn walk(
        &self,
        dir: &Path,
        extensions: Option<&[&str]>,
        depth: usize,
        out: &mut Vec<PathBuf>,
    ) -> Result<(), CorpusError> {
        if depth > MAX_DEPTH {
            return Ok(());
        }
        let rd = std::fs::read_dir(dir).map_err(|e| self.missing(dir, e))?;
        let mut entries = Vec::new();
        for e in rd {
            entries.push(e.map_err(|e| self.missing(dir, e))?.path());
        }
        entries.sort();
        for p in entries {
            if p.is_dir() {
                self.walk(&p, extensions, depth + 1, out)?;
            } else if extensions.is_none_or(|list| {
                p.extension()
                    .and_then(|s| s.to_str())
                    .is_some_and(|e| list.contains(&e))
            }) {
                out.push(p);
            }
        }
        Ok(())
    }

    /// `path` relative to the corpora folder, with `/` separators (for labels).
    pub fn relative(&self, path: &Path) -> String {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn missing_corpora_name_the_file_and_the_folder() {
        let c = Corpora::at("/nonexistent/corpora");
        let e = c
            .read_text("mamip/policies_current.jsonl")
            .expect_err("no such folder");
        let msg = e.to_string();
        assert!(
            msg.contains("/nonexistent/corpora/mamip/policies_current.jsonl"),
            "{msg}"
        );
        assert!(msg.contains("expected at /nonexistent/corpora"), "{msg}");
        assert!(msg.contains(CORPORA_ENV), "{msg}");
        assert_eq!(format!("{e:?}"), msg);
        let e = c.all_policies().expect_err("no such folder");
        assert!(e.to_string().contains("/nonexistent/corpora"), "{e}");
    }

    #[test]
    fn malformed_lines_are_located() {
        let dir =
            std::env::temp_dir().join(format!("iamproof-corpora-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("x.jsonl"), "{\"a\": 1}\n\n{oops\n").unwrap();
        let c = Corpora::at(&dir);
        let e = c
            .read_jsonl::<Value>("x.jsonl")
            .expect_err("line 3 is not JSON");
        assert!(matches!(e, CorpusError::Malformed { line: 3, .. }), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
