//! The actions of the AWS Service Authorization Reference, read from a directory laid out as the
//! `iam-data` project lays it out (`actions/<service>.json`, each a JSON object whose values
//! carry the action's `name`), to turn a finding's action patterns into the concrete actions they
//! cover.

use iamproof_eval::matching::action_matches;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Why a service reference could not be read.
#[derive(Debug, Error)]
pub enum ServiceReferenceError {
    /// Neither `DIR/data/actions` nor `DIR/actions` is a directory.
    #[error("{0}: no actions directory (expected DIR/data/actions/<service>.json or DIR/actions/<service>.json)")]
    NoActions(PathBuf),
    /// A file or directory could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// A file is not a JSON object.
    #[error("{path}: not a JSON object of actions: {why}")]
    Json {
        /// The path.
        path: PathBuf,
        /// What is wrong.
        why: String,
    },
}

/// Every action of the reference, as `service:Action` in AWS's spelling.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceReference {
    actions: Vec<String>,
    /// Lowercase service prefix → the range of `actions` of that service (they are sorted by
    /// lowercase name, so a service's actions are contiguous).
    services: BTreeMap<String, (usize, usize)>,
}

impl ServiceReference {
    /// A reference of these `service:Action` names (sorted and deduplicated ignoring case).
    pub fn from_actions(actions: impl IntoIterator<Item = String>) -> Self {
        let mut actions: Vec<String> = actions.into_iter().collect();
        actions.sort_by_key(|a| a.to_ascii_lowercase());
        actions.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        let mut services: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for (i, a) in actions.iter().enumerate() {
            let svc = a.split(':').next().unwrap_or("").to_ascii_lowercase();
            services
                .entry(svc)
                .and_modify(|r| r.1 = i + 1)
                .or_insert((i, i + 1));
        }
        ServiceReference { actions, services }
    }

    /// Reads `dir/data/actions/*.json` (or `dir/actions/*.json`): the service is the file's
    /// name, each action the `name` of an entry (or its key).
    pub fn load(dir: &Path) -> Result<Self, ServiceReferenceError> {
        let actions_dir = [dir.join("data").join("actions"), dir.join("actions")]
            .into_iter()
            .find(|d| d.is_dir())
            .ok_or_else(|| ServiceReferenceError::NoActions(dir.to_path_buf()))?;
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| ServiceReferenceError::Io { path, source }
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(&actions_dir)
            .map_err(io(&actions_dir))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        let mut out = Vec::new();
        for path in files {
            let service = path
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&path).map_err(io(&path))?;
            let value: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| ServiceReferenceError::Json {
                    path: path.clone(),
                    why: e.to_string(),
                })?;
            let Some(map) = value.as_object() else {
                return Err(ServiceReferenceError::Json {
                    path,
                    why: "the top level is not an object".into(),
                });
            };
            for (key, a) in map {
                let name = a.get("name").and_then(|n| n.as_str()).unwrap_or(key);
                out.push(format!("{service}:{name}"));
            }
        }
        Ok(ServiceReference::from_actions(out))
    }

    /// Every action, sorted ignoring case.
    pub fn actions(&self) -> &[String] {
        &self.actions
    }

    /// The actions an `Action` (or, `negated`, a `NotAction`) list of patterns covers.
    pub fn expand(&self, patterns: &[String], negated: bool) -> Vec<String> {
        let mut hit = vec![false; self.actions.len()];
        for p in patterns {
            // A pattern names one service (or is `*`): only that service's actions are tried.
            let range = if p == "*" {
                Some((0, self.actions.len()))
            } else {
                p.split_once(':')
                    .and_then(|(svc, _)| self.services.get(&svc.to_ascii_lowercase()))
                    .copied()
            };
            let Some((from, to)) = range else { continue };
            for i in from..to {
                if let (Some(a), Some(h)) = (self.actions.get(i), hit.get_mut(i)) {
                    if !*h && action_matches(p, a) {
                        *h = true;
                    }
                }
            }
        }
        self.actions
            .iter()
            .zip(hit)
            .filter(|(_, h)| *h != negated)
            .map(|(a, _)| a.clone())
            .collect()
    }
}
