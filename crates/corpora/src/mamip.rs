//! `mamip`: current AWS managed policies, real old/new version pairs, and Access Analyzer's
//! ValidatePolicy findings on them.

use crate::{Corpora, CorpusError};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// One current managed policy of `policies_current.jsonl`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct MamipPolicy {
    /// The policy name.
    pub name: String,
    /// Its default version (`v3`).
    #[serde(default)]
    pub version: String,
    /// When that version was created.
    #[serde(default)]
    pub create_date: String,
    /// The policy document (an identity policy).
    #[serde(default)]
    pub document: Value,
}

/// One real change of a managed policy (`version_pairs_recent.jsonl`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct VersionPair {
    /// The policy name.
    pub policy: String,
    /// The MAMIP commit that recorded the change.
    #[serde(default)]
    pub commit: String,
    /// Its date.
    #[serde(default)]
    pub date: String,
    /// The version before (`v2`).
    #[serde(default)]
    pub old_version: String,
    /// The version after (`v3`).
    #[serde(default)]
    pub new_version: String,
    /// The document before.
    #[serde(default)]
    pub old: Value,
    /// The document after.
    #[serde(default)]
    pub new: Value,
}

/// Access Analyzer's ValidatePolicy findings on one managed policy.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AccessAnalyzerFindings {
    /// The policy name (look its document up in [`Corpora::mamip_policies`]).
    pub name: String,
    /// The findings as AWS returned them (`findingType`, `issueCode`, `locations`, …).
    #[serde(default)]
    pub findings: Vec<Value>,
}

impl Corpora {
    /// The 1523 current managed policies of MAMIP, in file order.
    pub fn mamip_policies(&self) -> Result<Vec<MamipPolicy>, CorpusError> {
        self.read_jsonl("mamip/policies_current.jsonl")
    }

    /// The 1500 most recent real document changes, in file order (newest first).
    pub fn mamip_version_pairs(&self) -> Result<Vec<VersionPair>, CorpusError> {
        self.read_jsonl("mamip/version_pairs_recent.jsonl")
    }

    /// The policies with Access Analyzer findings (the other analysed policies had none), in
    /// file order.
    pub fn access_analyzer_findings(&self) -> Result<Vec<AccessAnalyzerFindings>, CorpusError> {
        self.read_jsonl("mamip/access_analyzer_validate_policy_findings.jsonl")
    }

    /// The names of the deprecated managed policies (`mamip/DEPRECATED.json`).
    pub fn deprecated_managed_policies(&self) -> Result<BTreeSet<String>, CorpusError> {
        let m: Map<String, Value> = self.read_json("mamip/DEPRECATED.json")?;
        Ok(m.into_iter().map(|(k, _)| k).collect())
    }
}
