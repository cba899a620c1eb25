//! `iam-data`: the AWS Service Authorization Reference (actions and condition keys per service).

use crate::{Corpora, CorpusError};
use iamproof_policy::{ActionCatalog, ConditionKeyCatalog, KeyInfo, KeyType};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// One condition key of `conditionKeys/<service>.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionKeyEntry {
    /// The key as the file's map key: lower-cased, `${…}` standing for any suffix
    /// (`aws:requesttag/${tagkey}`).
    pub key: String,
    /// The key in AWS's spelling (`aws:RequestTag/${TagKey}`), if given.
    pub name: Option<String>,
    /// The reference type name (`String`, `ArrayOfString`, `ARN`, `Bool`, …), if given.
    pub type_name: Option<String>,
}

/// The condition-key facts of the reference, as an [`ConditionKeyCatalog`]: keys compared
/// case-insensitively; a key with `${…}` matches any non-empty suffix of its prefix.
#[derive(Debug, Clone, Default)]
pub struct ServiceReferenceKeys {
    exact: HashMap<String, KeyInfo>,
    prefixes: Vec<(String, KeyInfo)>,
}

impl ServiceReferenceKeys {
    /// The catalogue of `entries` (a later exact key replaces an earlier one; the first
    /// matching `${…}` prefix wins); entries without a known type are left out.
    pub fn new(entries: &[ConditionKeyEntry]) -> Self {
        let mut exact = HashMap::new();
        let mut prefixes = Vec::new();
        for e in entries {
            let Some((value_type, multivalued)) = e
                .type_name
                .as_deref()
                .and_then(KeyType::from_reference_name)
            else {
                continue;
            };
            let info = KeyInfo {
                value_type,
                multivalued,
                ambiguous_arity: false,
            };
            let k = e.key.to_ascii_lowercase();
            match k.split_once("${") {
                Some((prefix, _)) => prefixes.push((prefix.to_string(), info)),
                None => {
                    exact.insert(k, info);
                }
            }
        }
        ServiceReferenceKeys { exact, prefixes }
    }
}

impl ConditionKeyCatalog for ServiceReferenceKeys {
    fn lookup(&self, key: &str) -> Option<KeyInfo> {
        let k = key.to_ascii_lowercase();
        if let Some(i) = self.exact.get(&k) {
            return Some(*i);
        }
        self.prefixes
            .iter()
            .find(|(p, _)| k.starts_with(p.as_str()) && k.len() > p.len())
            .map(|(_, i)| *i)
    }
}

/// The services and actions of the reference, as an [`ActionCatalog`] (case-insensitive).
#[derive(Debug, Clone, Default)]
pub struct ServiceReferenceActions {
    actions: HashMap<String, BTreeSet<String>>,
}

impl ServiceReferenceActions {
    /// The catalogue of `service:Action` names (as [`Corpora::action_catalogue`] gives them).
    pub fn new(catalogue: &[String]) -> Self {
        let mut actions: HashMap<String, BTreeSet<String>> = HashMap::new();
        for a in catalogue {
            if let Some((svc, name)) = a.split_once(':') {
                actions
                    .entry(svc.to_ascii_lowercase())
                    .or_default()
                    .insert(name.to_ascii_lowercase());
            }
        }
        ServiceReferenceActions { actions }
    }
}

impl ActionCatalog for ServiceReferenceActions {
    fn has_service(&self, prefix: &str) -> bool {
        self.actions.contains_key(&prefix.to_ascii_lowercase())
    }
    fn has_action(&self, prefix: &str, name: &str) -> bool {
        self.actions
            .get(&prefix.to_ascii_lowercase())
            .is_some_and(|a| a.contains(&name.to_ascii_lowercase()))
    }
}

fn service_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default()
}

impl Corpora {
    /// Every action of the reference (`iam-data/data/actions/<service>.json`) as
    /// `service:Action`, the action in AWS's spelling, sorted and deduplicated.
    pub fn action_catalogue(&self) -> Result<Vec<String>, CorpusError> {
        let mut out = Vec::new();
        for path in self.json_files("iam-data/data/actions", false)? {
            let service = service_of(&path);
            let m: Map<String, Value> = self.read_json(&path)?;
            for (key, a) in m {
                let name = a.get("name").and_then(Value::as_str).unwrap_or(&key);
                out.push(format!("{service}:{name}"));
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// The actions of the reference by lower-cased service prefix, each list lower-cased,
    /// sorted and deduplicated.
    pub fn actions_by_service(&self) -> Result<BTreeMap<String, Vec<String>>, CorpusError> {
        let mut by_service: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for a in self.action_catalogue()? {
            if let Some((svc, _)) = a.split_once(':') {
                by_service
                    .entry(svc.to_lowercase())
                    .or_default()
                    .push(a.to_lowercase());
            }
        }
        for v in by_service.values_mut() {
            v.sort();
            v.dedup();
        }
        Ok(by_service)
    }

    /// The reference's actions as an [`ActionCatalog`].
    pub fn action_catalog(&self) -> Result<ServiceReferenceActions, CorpusError> {
        Ok(ServiceReferenceActions::new(&self.action_catalogue()?))
    }

    /// Every condition key of the reference (`iam-data/data/conditionKeys/<service>.json`):
    /// files in path order, keys in file order.
    pub fn condition_keys(&self) -> Result<Vec<ConditionKeyEntry>, CorpusError> {
        let mut out = Vec::new();
        for path in self.json_files("iam-data/data/conditionKeys", false)? {
            let m: Map<String, Value> = self.read_json(&path)?;
            for (key, info) in m {
                let s = |k: &str| info.get(k).and_then(Value::as_str).map(str::to_string);
                out.push(ConditionKeyEntry {
                    name: s("key"),
                    type_name: s("type"),
                    key,
                });
            }
        }
        Ok(out)
    }

    /// The reference's condition keys as a [`ConditionKeyCatalog`].
    pub fn condition_key_catalog(&self) -> Result<ServiceReferenceKeys, CorpusError> {
        Ok(ServiceReferenceKeys::new(&self.condition_keys()?))
    }
}
