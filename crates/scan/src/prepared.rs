//! A policy of a template made ready for the engine: its concrete text in one approximation
//! direction, the unknown values assumed, and which source statement each statement of the text
//! comes from.

use iamproof_policy::{parse_policy, Policy, PolicyError};
use iamproof_templates::{Approximation, ExtractedPolicy, Kind, Unknown};
use serde_json::Value;

/// The end of the `treatment` of an [`Unknown`] whose statement was left out of the text
/// (`iamproof_templates::approximate`: "the Deny statement was removed").
const REMOVED: &str = "statement was removed";

/// One policy of a template, as the engine reads it.
#[derive(Debug, Clone)]
pub struct Prepared<'a> {
    /// The policy as extracted.
    pub policy: &'a ExtractedPolicy,
    /// The direction unknown values were approximated in.
    pub approximation: Approximation,
    /// The concrete policy JSON.
    pub text: String,
    /// The unknown values that were assumed.
    pub unknowns: Vec<Unknown>,
    /// `text` as JSON.
    json: Value,
    /// For each statement of `text`, the index of the statement of the source document it comes
    /// from (`None` for a statement the approximation added).
    statement_map: Vec<Option<usize>>,
}

impl<'a> Prepared<'a> {
    /// The policy in the given direction (`Over` for a policy being checked, `Under` for a
    /// reference).
    pub fn new(policy: &'a ExtractedPolicy, approximation: Approximation) -> Self {
        let (text, unknowns) = policy.policy_text(approximation);
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        let source_count = match policy.document.get("Statement").map(|s| &s.kind) {
            Some(Kind::Seq(items)) => items.len(),
            Some(_) => 1,
            None => 0,
        };
        let removed: Vec<usize> = unknowns
            .iter()
            .filter(|u| u.treatment.ends_with(REMOVED))
            .filter_map(|u| u.statement)
            .collect();
        let mut statement_map: Vec<Option<usize>> = (0..source_count)
            .filter(|i| !removed.contains(i))
            .map(Some)
            .collect();
        if statement_map.is_empty() {
            statement_map.push(None);
        }
        Prepared {
            policy,
            approximation,
            text,
            unknowns,
            json,
            statement_map,
        }
    }

    /// The engine's policy type of the document.
    pub fn policy_type(&self) -> iamproof_policy::PolicyType {
        self.policy.policy_type.to_policy_type()
    }

    /// The text parsed as a policy of its type.
    pub fn parse(&self) -> Result<Policy, PolicyError> {
        parse_policy(&self.text, self.policy_type())
    }

    /// The index in the source document of the statement at `index` in the text.
    pub fn source_statement(&self, index: usize) -> Option<usize> {
        self.statement_map.get(index).copied().flatten()
    }

    /// The statement at `index` of the text, as analysed.
    pub fn statement_json(&self, index: usize) -> Option<&Value> {
        self.json.get("Statement")?.get(index)
    }

    /// Whether the text and the unknowns assumed are those of `other` (the same document as far
    /// as the engine can tell, the same unknown expressions included).
    pub fn same_document(&self, other: &Prepared<'_>) -> bool {
        self.text == other.text
            && self.policy.document.unknowns() == other.policy.document.unknowns()
            && self.policy.policy_type == other.policy.policy_type
    }
}
