//! Locating and reading the external corpora (`<workspace>/../shared/corpora`), never copied
//! into the repository.

use iamproof_policy::{parse_policy, Policy, PolicyType};
use serde_json::Value;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// The environment variable that overrides the corpora directory.
pub const CORPORA_ENV: &str = "IAMPROOF_CORPORA";

/// Errors while reading a corpus.
#[derive(Debug, Error)]
pub enum CorpusError {
    /// The corpora directory (or a file in it) is missing.
    #[error("corpus file {path} cannot be read ({source}); the benchmarks and agreement tests need the external corpora at <workspace>/../shared/corpora (or set {CORPORA_ENV})")]
    Missing {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A line or file is not the JSON expected.
    #[error("{path}:{line}: {why}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based line (0 for a whole file).
        line: usize,
        /// What is wrong.
        why: String,
    },
}

/// The corpora directory: `explicit` if given, else `$IAMPROOF_CORPORA`, else
/// `<workspace>/../shared/corpora` computed from this crate's manifest directory.
pub fn corpora_dir(explicit: Option<&Path>) -> PathBuf {
    if let Some(p) = explicit {
        return p.to_path_buf();
    }
    if let Some(p) = std::env::var_os(CORPORA_ENV) {
        return PathBuf::from(p);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora")
}

/// Reads a whole file as text.
pub fn read_text(path: &Path) -> Result<String, CorpusError> {
    std::fs::read_to_string(path).map_err(|source| CorpusError::Missing {
        path: path.to_path_buf(),
        source,
    })
}

/// Reads a JSON file.
pub fn read_json(path: &Path) -> Result<Value, CorpusError> {
    let text = read_text(path)?;
    serde_json::from_str(&text).map_err(|e| CorpusError::Malformed {
        path: path.to_path_buf(),
        line: 0,
        why: e.to_string(),
    })
}

/// Reads a JSON-lines file (blank lines skipped).
pub fn read_jsonl(path: &Path) -> Result<Vec<Value>, CorpusError> {
    let text = read_text(path)?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v = serde_json::from_str(line).map_err(|e| CorpusError::Malformed {
            path: path.to_path_buf(),
            line: i + 1,
            why: e.to_string(),
        })?;
        out.push(v);
    }
    Ok(out)
}

/// The statements of a policy document as JSON (a single statement object counts as a list of
/// one).
pub fn statements_of(doc: &Value) -> Vec<&Value> {
    match doc.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => Vec::new(),
    }
}

/// Whether some statement of a document names a `Principal` or `NotPrincipal` (then it is read
/// as a resource policy, otherwise as an identity policy).
pub fn has_principal(doc: &Value) -> bool {
    statements_of(doc)
        .iter()
        .any(|s| s.get("Principal").is_some() || s.get("NotPrincipal").is_some())
}

/// The policy type a corpus document is read as: [`PolicyType::Resource`] if it names a
/// principal, else [`PolicyType::Identity`].
pub fn guess_policy_type(doc: &Value) -> PolicyType {
    if has_principal(doc) {
        PolicyType::Resource
    } else {
        PolicyType::Identity
    }
}

/// Parses a JSON document with the parser of `iamproof-policy` (the text is re-serialized in the
/// document's key order).
pub fn parse_doc(doc: &Value, policy_type: PolicyType) -> Result<Policy, String> {
    let text = serde_json::to_string(doc).map_err(|e| e.to_string())?;
    parse_policy(&text, policy_type).map_err(|e| e.to_string())
}

/// The number of patterns and values a document holds (actions, resources, principals and
/// condition values, each list element counted once): the "policy size" of the plots.
pub fn doc_size(doc: &Value) -> usize {
    fn count(v: &Value) -> usize {
        match v {
            Value::Array(a) => a.iter().map(count).sum(),
            Value::Object(m) => m.values().map(count).sum(),
            Value::Null => 0,
            _ => 1,
        }
    }
    statements_of(doc)
        .iter()
        .map(|s| {
            [
                "Action",
                "NotAction",
                "Resource",
                "NotResource",
                "Principal",
                "NotPrincipal",
                "Condition",
            ]
            .iter()
            .filter_map(|k| s.get(*k))
            .map(count)
            .sum::<usize>()
        })
        .sum()
}

/// The action catalogue of the AWS service authorization reference (`iam-data/data/actions/`):
/// every `service:Action`, with the action name in AWS's spelling, sorted.
pub fn action_catalogue(corpora: &Path) -> Result<Vec<String>, CorpusError> {
    let dir = corpora.join("iam-data/data/actions");
    let entries = std::fs::read_dir(&dir).map_err(|source| CorpusError::Missing {
        path: dir.clone(),
        source,
    })?;
    let mut out = Vec::new();
    for e in entries {
        let e = e.map_err(|source| CorpusError::Missing {
            path: dir.clone(),
            source,
        })?;
        let path = e.path();
        let Some(service) = path
            .file_stem()
            .and_then(|s| s.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        if path.extension().and_then(|s| s.to_str()) != Some("json") {
            continue;
        }
        let v = read_json(&path)?;
        if let Value::Object(m) = v {
            for (key, a) in m {
                let name = a.get("name").and_then(Value::as_str).unwrap_or(&key);
                out.push(format!("{service}:{name}"));
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}
