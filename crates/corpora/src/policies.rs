//! Every policy document of every corpus.

use crate::document::{guess_policy_type, to_pretty_text};
use crate::{Corpora, CorpusError, MAX_DEPTH};
use iamproof_policy::PolicyType;
use serde_json::Value;
use std::collections::BTreeMap;

/// One policy document of a corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusPolicy {
    /// `<corpus>/<item>`, unique: `managed/AmazonS3FullAccess`, `mamip/X v3 (new)`,
    /// `quacky/samples/…/policy.json`, `iam-simulate/src/…/rcp.json[2].resourceControlPolicies[0]`.
    /// The corpus is one of `user-guide`, `cloudsplaining`, `managed`, `iam-rs`,
    /// `iam-simulate`, `mamip`, `quacky`. A name that would repeat gets ` [2]`, ` [3]`, ….
    pub name: String,
    /// The document's text: a policy file's exact text, or the pretty-printed JSON of a
    /// document stored in a JSONL row or inside a bigger file (key order kept; duplicate keys of
    /// the original text lost).
    pub text: String,
    /// The type its corpus gives it (the enclosing key of an iam-simulate case or account dump,
    /// identity for managed policies); where the corpus does not say, resource if a statement
    /// names a `Principal`/`NotPrincipal`, else identity.
    pub policy_type: PolicyType,
}

impl CorpusPolicy {
    /// The corpus part of [`CorpusPolicy::name`] (`managed`, `quacky`, …).
    pub fn corpus(&self) -> &str {
        self.name.split('/').next().unwrap_or("")
    }
}

/// The type an enclosing key gives the documents below it (iam-simulate cases, account
/// authorization details).
fn type_of_key(key: &str) -> Option<PolicyType> {
    match key {
        "AssumeRolePolicyDocument" | "resourcePolicy" => Some(PolicyType::Resource),
        "serviceControlPolicies" => Some(PolicyType::ServiceControl),
        "resourceControlPolicies" => Some(PolicyType::ResourceControl),
        "identityPolicies" | "permissionBoundaries" | "sessionPolicy" => Some(PolicyType::Identity),
        _ => None,
    }
}

/// Every object with a `Statement` member below `v` (not searched further), named by its path
/// (`.key`, `[i]`) after `name`, typed by the nearest enclosing key of [`type_of_key`] or else
/// guessed.
fn embedded<'a>(
    v: &'a Value,
    parent_type: Option<PolicyType>,
    name: String,
    depth: usize,
    out: &mut Vec<(String, PolicyType, &'a Value)>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        Value::Object(m) if m.contains_key("Statement") => {
            out.push((name, parent_type.unwrap_or_else(|| guess_policy_type(v)), v));
        }
        Value::Object(m) => {
            for (k, x) in m {
                let t = type_of_key(k).or(parent_type);
                embedded(x, t, format!("{name}.{k}"), depth + 1, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                embedded(x, parent_type, format!("{name}[{i}]"), depth + 1, out);
            }
        }
        _ => {}
    }
}

impl Corpora {
    /// Every policy document of every corpus folder, corpus by corpus in the order `user-guide`
    /// (275), `cloudsplaining` (GAAD dumps and examples), `managed` (iam-dataset, 1641), `iam-rs`
    /// (policies and requests), `iam-simulate` (every policy of every case), `mamip` (1523
    /// current policies `mamip/X v5`, then both sides of the 1500 version pairs
    /// `mamip/X v4 (old)`, `mamip/X v5 (new)`), `quacky` (every sample file with a `Statement`,
    /// including the IAM-shaped Azure role definitions). `iam-data` holds no policies.
    pub fn all_policies(&self) -> Result<Vec<CorpusPolicy>, CorpusError> {
        let mut out = Vec::new();
        for e in self.user_guide_examples()? {
            out.push(CorpusPolicy {
                name: format!("user-guide/{} / {}", e.source, e.heading),
                text: to_pretty_text(&e.policy),
                policy_type: guess_policy_type(&e.policy),
            });
        }
        self.file_policies("cloudsplaining", "cloudsplaining-examples", &mut out)?;
        for m in self.managed_policies()? {
            out.push(CorpusPolicy {
                name: format!("managed/{}", m.name),
                text: to_pretty_text(&m.document),
                policy_type: PolicyType::Identity,
            });
        }
        self.file_policies("iam-rs", "iam-rs-tests", &mut out)?;
        self.file_policies("iam-simulate", "iam-simulate-tests", &mut out)?;
        for p in self.mamip_policies()? {
            out.push(CorpusPolicy {
                name: format!("mamip/{} {}", p.name, p.version),
                text: to_pretty_text(&p.document),
                policy_type: PolicyType::Identity,
            });
        }
        for p in self.mamip_version_pairs()? {
            for (version, side, doc) in [
                (&p.old_version, "old", &p.old),
                (&p.new_version, "new", &p.new),
            ] {
                out.push(CorpusPolicy {
                    name: format!("mamip/{} {version} ({side})", p.policy),
                    text: to_pretty_text(doc),
                    policy_type: PolicyType::Identity,
                });
            }
        }
        self.file_policies("quacky", "quacky", &mut out)?;
        make_unique(&mut out);
        Ok(out)
    }

    /// The documents of every `.json` file below `folder`: a file that is a policy verbatim,
    /// the documents embedded in others re-printed (see [`embedded`]).
    fn file_policies(
        &self,
        corpus: &str,
        folder: &str,
        out: &mut Vec<CorpusPolicy>,
    ) -> Result<(), CorpusError> {
        for file in self.json_files(folder, false)? {
            let text = self.read_text(&file)?;
            let v: Value = serde_json::from_str(&text).map_err(|e| CorpusError::Malformed {
                path: file.clone(),
                line: 0,
                why: e.to_string(),
            })?;
            let rel = self.relative(&file);
            let item = rel.strip_prefix(folder).unwrap_or(&rel);
            let mut found = Vec::new();
            embedded(&v, None, format!("{corpus}{item}"), 0, &mut found);
            for (name, policy_type, doc) in found {
                let text = if std::ptr::eq(doc, &v) {
                    text.clone()
                } else {
                    to_pretty_text(doc)
                };
                out.push(CorpusPolicy {
                    name,
                    text,
                    policy_type,
                });
            }
        }
        Ok(())
    }
}

/// Appends ` [2]`, ` [3]`, … to repeated names.
fn make_unique(policies: &mut [CorpusPolicy]) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for p in policies.iter_mut() {
        let n = seen.entry(p.name.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            p.name = format!("{} [{n}]", p.name);
        }
    }
}
