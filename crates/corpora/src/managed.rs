//! `iam-dataset-managed-policies`: AWS managed policies with iam-dataset's effective actions.

use crate::{Corpora, CorpusError};
use serde::Deserialize;
use serde_json::Value;

/// One managed policy of `managed_policies.jsonl` (the fields the tests and benchmarks use).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ManagedPolicy {
    /// The policy name (`AmazonS3FullAccess`).
    pub name: String,
    /// Its ARN, when the dataset has one.
    #[serde(default)]
    pub arn: Option<String>,
    /// The default version (`v3`).
    #[serde(default)]
    pub version: Option<String>,
    /// The policy document (an identity policy).
    #[serde(default)]
    pub document: Value,
    /// iam-dataset's expansion: the catalogue actions some Allow statement reaches through
    /// `Action`/`NotAction` alone (Deny, Resource and Condition ignored), sorted.
    #[serde(default)]
    pub effective_actions: Vec<String>,
}

impl Corpora {
    /// The 1641 managed policies of iam-dataset, in file order.
    pub fn managed_policies(&self) -> Result<Vec<ManagedPolicy>, CorpusError> {
        self.read_jsonl("iam-dataset-managed-policies/managed_policies.jsonl")
    }
}
