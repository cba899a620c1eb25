//! `aws-iam-user-guide-example-policies`: the policies of the AWS IAM User Guide.

use crate::{Corpora, CorpusError};
use serde::Deserialize;
use serde_json::Value;

/// One example of `example_policies.jsonl`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct UserGuideExample {
    /// The page it is on (`doc_source/<page>.md`).
    pub source: String,
    /// The nearest heading above it.
    pub heading: String,
    /// The policy document.
    #[serde(default)]
    pub policy: Value,
}

impl Corpora {
    /// The 275 User Guide examples, in file order (line `i` is element `i`).
    pub fn user_guide_examples(&self) -> Result<Vec<UserGuideExample>, CorpusError> {
        self.read_jsonl("aws-iam-user-guide-example-policies/example_policies.jsonl")
    }
}
