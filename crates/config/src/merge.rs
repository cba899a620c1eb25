//! Flags override the file: how the command line's values combine with a [`Config`] (the rules
//! are in the crate documentation).

use crate::file::{Access, Config};
use iamproof_report::{BlockingRules, FindingType, RulesError};
use std::collections::{BTreeMap, BTreeSet};

/// A comma-separated flag value as trimmed items, empty items left out.
fn comma_list(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl Config {
    /// The finding types that block: `--treat-finding-type-as-blocking` when given (read as the
    /// report crate reads it, `NONE` included), else the file's `finding-types`, else `ERROR`
    /// and `SECURITY_WARNING`.
    pub fn blocking_types(&self, flag: Option<&str>) -> Result<BTreeSet<FindingType>, RulesError> {
        match (flag, &self.blocking_finding_types) {
            (Some(list), _) => BlockingRules::parse_blocking_types(list),
            (None, Some(types)) => Ok(types.clone()),
            (None, None) => Ok(BlockingRules::default().blocking_types().clone()),
        }
    }

    /// The blocking rules of a run: the blocking types of [`Config::blocking_types`], and the
    /// file's `[[ignore]]` entries followed by the `--ignore-finding` items. The custom checks'
    /// `--treat-findings-as-non-blocking` is `treat_as_blocking = Some("NONE")`.
    pub fn blocking_rules(
        &self,
        treat_as_blocking: Option<&str>,
        ignore_finding: Option<&str>,
    ) -> Result<BlockingRules, RulesError> {
        let types = self.blocking_types(treat_as_blocking)?;
        let flag_ignores = match ignore_finding {
            Some(list) => BlockingRules::parse_ignore_findings(list)?,
            None => Vec::new(),
        };
        Ok(BlockingRules::new(types, self.ignore.clone()).with_ignores(flag_ignores))
    }

    /// The principals allowed external access: the comma-separated
    /// `--allow-external-principals` when given, else the file's list.
    pub fn allowed_external_principals(&self, flag: Option<&str>) -> Vec<String> {
        match flag {
            Some(list) => comma_list(list),
            None => self.allowed_external_principals.clone(),
        }
    }

    /// The access `check-access-not-granted` checks: the comma-separated `--actions` and
    /// `--resources` when either is given, else the file's `[access-not-granted]`; `None` when
    /// neither names one.
    pub fn access_not_granted(
        &self,
        actions: Option<&str>,
        resources: Option<&str>,
    ) -> Option<Access> {
        if actions.is_none() && resources.is_none() {
            return self.access_not_granted.clone();
        }
        Some(Access {
            actions: actions.map(comma_list).unwrap_or_default(),
            resources: resources.map(comma_list).unwrap_or_default(),
        })
    }

    /// The region templates are resolved in: `--region`, else the file's.
    pub fn region(&self, flag: Option<&str>) -> Option<String> {
        flag.map(str::to_string).or_else(|| self.region.clone())
    }

    /// The account id templates are resolved in: `--account-id`, else the file's.
    pub fn account_id(&self, flag: Option<&str>) -> Option<String> {
        flag.map(str::to_string).or_else(|| self.account_id.clone())
    }

    /// The template parameters: the file's, with each `--parameters` pair replacing the value
    /// of its name (later pairs win over earlier ones).
    pub fn parameters<K, V>(
        &self,
        flags: impl IntoIterator<Item = (K, V)>,
    ) -> BTreeMap<String, String>
    where
        K: Into<String>,
        V: Into<String>,
    {
        let mut parameters = self.parameters.clone();
        for (name, value) in flags {
            parameters.insert(name.into(), value.into());
        }
        parameters
    }
}
