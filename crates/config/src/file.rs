//! The `.iamproof.toml` format: what a file may hold, and how it is read and checked.

use crate::error::{ConfigError, LineColumn};
use iamproof_report::{BlockingRules, FindingType, IgnoreEntry, IgnoreRule};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use toml::Spanned;

/// The largest configuration file read: 1 MiB, the limit of every document iamproof reads.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// The most actions, and the most resources, of one access (the limit of the
/// `CheckAccessNotGranted` API).
pub const MAX_ACCESS_ITEMS: usize = 100;

/// The access `check-access-not-granted` checks for: actions, resources, or both (a listed
/// action on a listed resource).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Access {
    /// The actions (`service:Name`).
    pub actions: Vec<String>,
    /// The resource ARNs.
    pub resources: Vec<String>,
}

/// The gate settings of a repository, as read from its `.iamproof.toml` and checked. Every
/// field is what the file says, or empty/`None` when the file does not set it; the methods
/// documented under "Flags override the file" combine it with the command line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Config {
    /// `[blocking] finding-types`: the finding types that block (empty for `["NONE"]`), or
    /// `None` when the file does not say.
    pub blocking_finding_types: Option<BTreeSet<FindingType>>,
    /// `[[ignore]]`: the findings accepted, each with its reason.
    pub ignore: Vec<IgnoreRule>,
    /// `[external-access] allowed-principals`: account ids, ARNs or `*`.
    pub allowed_external_principals: Vec<String>,
    /// `[access-not-granted]`: the access that must not be granted, when the file names one.
    pub access_not_granted: Option<Access>,
    /// `[templates] region`.
    pub region: Option<String>,
    /// `[templates] account-id` (12 digits).
    pub account_id: Option<String>,
    /// `[templates] parameters`: template parameter values by name.
    pub parameters: BTreeMap<String, String>,
}

// The file as TOML has it. Every table denies unknown keys, so that a misspelt key is an error
// rather than a setting silently not applied; values keep their spans for the errors of the
// checks serde cannot make.

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    blocking: RawBlocking,
    #[serde(default)]
    ignore: Vec<Spanned<RawIgnore>>,
    #[serde(default)]
    external_access: RawExternalAccess,
    #[serde(default)]
    access_not_granted: Option<Spanned<RawAccess>>,
    #[serde(default)]
    templates: RawTemplates,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawBlocking {
    finding_types: Option<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawIgnore {
    finding: Option<Spanned<String>>,
    resource: Option<Spanned<String>>,
    code: Option<Spanned<String>>,
    reason: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawExternalAccess {
    #[serde(default)]
    allowed_principals: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawAccess {
    actions: Option<Spanned<Vec<Spanned<String>>>>,
    resources: Option<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawTemplates {
    region: Option<Spanned<String>>,
    account_id: Option<Spanned<String>>,
    #[serde(default)]
    parameters: BTreeMap<String, Spanned<String>>,
}

/// Builds the errors of one file: they name it and turn byte offsets into line:column.
struct Errors<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Errors<'_> {
    fn at(&self, offset: usize, message: impl Into<String>) -> ConfigError {
        ConfigError::Invalid {
            path: self.path.to_path_buf(),
            at: LineColumn::of_offset(self.text, offset),
            message: message.into(),
        }
    }

    fn at_value<T>(&self, value: &Spanned<T>, message: impl Into<String>) -> ConfigError {
        self.at(value.span().start, message)
    }
}

/// The value trimmed, or an error naming `what` when nothing is left.
fn nonempty(
    errors: &Errors<'_>,
    value: &Spanned<String>,
    what: &str,
) -> Result<String, ConfigError> {
    let trimmed = value.get_ref().trim();
    if trimmed.is_empty() {
        return Err(errors.at_value(value, format!("{what} is empty")));
    }
    Ok(trimmed.to_string())
}

impl Config {
    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let read_error = |source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        };
        let metadata = std::fs::metadata(path).map_err(read_error)?;
        if metadata.len() > MAX_CONFIG_BYTES {
            return Err(read_error(std::io::Error::other(format!(
                "the file has {} bytes; a configuration file has at most {MAX_CONFIG_BYTES}",
                metadata.len()
            ))));
        }
        let bytes = std::fs::read(path).map_err(read_error)?;
        let text = String::from_utf8(bytes).map_err(|_| ConfigError::NotUtf8 {
            path: path.to_path_buf(),
        })?;
        Config::parse(path, &text)
    }

    /// Reads and checks the text of a configuration file; `path` names it in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let errors = Errors { path, text };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            errors.at(
                e.span().map_or(0, |span| span.start),
                e.message().trim_end().to_string(),
            )
        })?;
        Config::check(&errors, raw)
    }

    fn check(errors: &Errors<'_>, raw: RawConfig) -> Result<Config, ConfigError> {
        let mut config = Config {
            blocking_finding_types: match &raw.blocking.finding_types {
                Some(list) => Some(finding_types(errors, list)?),
                None => None,
            },
            ..Config::default()
        };
        for entry in &raw.ignore {
            config.ignore.push(ignore_rule(errors, entry)?);
        }
        for principal in &raw.external_access.allowed_principals {
            config
                .allowed_external_principals
                .push(external_principal(errors, principal)?);
        }
        if let Some(access) = &raw.access_not_granted {
            config.access_not_granted = Some(access_of(errors, access)?);
        }
        if let Some(region) = &raw.templates.region {
            config.region = Some(nonempty(errors, region, "the region")?);
        }
        if let Some(account) = &raw.templates.account_id {
            let id = account.get_ref().trim();
            if !is_account_id(id) {
                return Err(errors.at_value(
                    account,
                    format!("account-id {id:?} is not an AWS account id: expected 12 digits"),
                ));
            }
            config.account_id = Some(id.to_string());
        }
        for (name, value) in &raw.templates.parameters {
            if name.trim().is_empty() {
                return Err(errors.at_value(value, "a parameter name is empty"));
            }
            config
                .parameters
                .insert(name.clone(), value.get_ref().clone());
        }
        Ok(config)
    }
}

/// Whether the text is an AWS account id: 12 digits.
fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// `finding-types`: finding type names, or `["NONE"]` alone.
fn finding_types(
    errors: &Errors<'_>,
    list: &Spanned<Vec<Spanned<String>>>,
) -> Result<BTreeSet<FindingType>, ConfigError> {
    let items = list.get_ref();
    if items.is_empty() {
        return Err(errors.at_value(
            list,
            "finding-types is empty: list the finding types that block, or write [\"NONE\"] for none",
        ));
    }
    let mut types = BTreeSet::new();
    for item in items {
        let name = item.get_ref().trim();
        if name.eq_ignore_ascii_case("NONE") {
            if items.len() > 1 {
                return Err(errors.at_value(
                    item,
                    "\"NONE\" makes nothing blocking; it cannot be listed with other finding types",
                ));
            }
            continue;
        }
        let finding_type = name.parse::<FindingType>().map_err(|_| {
            errors.at_value(
                item,
                format!("{name:?} is not a finding type: expected ERROR, SECURITY_WARNING, WARNING, SUGGESTION or NONE"),
            )
        })?;
        types.insert(finding_type);
    }
    Ok(types)
}

/// One `[[ignore]]` entry: `finding` (read as one `--ignore-finding` item) or
/// `resource`/`code`, and a reason.
fn ignore_rule(errors: &Errors<'_>, entry: &Spanned<RawIgnore>) -> Result<IgnoreRule, ConfigError> {
    let raw = entry.get_ref();
    let Some(reason) = &raw.reason else {
        return Err(errors.at_value(
            entry,
            "this [[ignore]] entry has no `reason`: say why the finding is accepted (a ticket, a review)",
        ));
    };
    let reason = nonempty(errors, reason, "the reason")?;
    match (&raw.finding, raw.resource.as_ref().or(raw.code.as_ref())) {
        (Some(finding), Some(other)) => Err(errors.at_value(
            other,
            format!(
                "this [[ignore]] entry has both `finding` ({:?}) and `resource`/`code`: use one form",
                finding.get_ref()
            ),
        )),
        (None, None) => Err(errors.at_value(
            entry,
            "this [[ignore]] entry names no finding: give `finding` (\"CODE\", \"RESOURCE\" or \"RESOURCE.CODE\"), or `resource` and/or `code`",
        )),
        (Some(finding), None) => finding_rule(errors, finding, reason),
        (None, Some(_)) => {
            let resource = match &raw.resource {
                Some(value) => Some(nonempty(errors, value, "the resource")?),
                None => None,
            };
            let code = match &raw.code {
                Some(value) => Some(nonempty(errors, value, "the code")?),
                None => None,
            };
            IgnoreRule::from_entry(IgnoreEntry {
                resource,
                code,
                reason: Some(reason),
            })
            .map_err(|e| errors.at_value(entry, e.to_string()))
        }
    }
}

/// The rule of `finding = "…"`: the same reading as one `--ignore-finding` item, so the file
/// and the command line never differ.
fn finding_rule(
    errors: &Errors<'_>,
    finding: &Spanned<String>,
    reason: String,
) -> Result<IgnoreRule, ConfigError> {
    let item = nonempty(errors, finding, "the finding")?;
    if item.contains(',') {
        return Err(errors.at_value(
            finding,
            format!("the finding {item:?} has a comma: one finding per [[ignore]] entry"),
        ));
    }
    if let Some((resource, code)) = item.rsplit_once('.') {
        if resource.is_empty() || code.is_empty() {
            let side = if resource.is_empty() {
                "before"
            } else {
                "after"
            };
            return Err(errors.at_value(
                finding,
                format!("the finding {item:?} has nothing {side} its last dot: expected CODE, RESOURCE or RESOURCE.CODE"),
            ));
        }
    }
    let mut rules = BlockingRules::parse_ignore_findings(&item)
        .map_err(|e| errors.at_value(finding, e.to_string()))?;
    match (rules.pop(), rules.is_empty()) {
        (Some(mut rule), true) => {
            rule.reason = Some(reason);
            Ok(rule)
        }
        _ => Err(errors.at_value(finding, "expected exactly one finding")),
    }
}

/// An `allowed-principals` item: `*`, a 12-digit account id, or an ARN.
fn external_principal(errors: &Errors<'_>, value: &Spanned<String>) -> Result<String, ConfigError> {
    let principal = nonempty(errors, value, "an allowed principal")?;
    if principal == "*" || is_account_id(&principal) || principal.starts_with("arn:") {
        Ok(principal)
    } else {
        Err(errors.at_value(
            value,
            format!("{principal:?} is not a principal: expected a 12-digit account id, an ARN (arn:…) or \"*\""),
        ))
    }
}

/// The items of an `[access-not-granted]` list: at most 100, none empty.
fn access_items(
    errors: &Errors<'_>,
    list: Option<&Spanned<Vec<Spanned<String>>>>,
    key: &str,
    what: &str,
) -> Result<Vec<String>, ConfigError> {
    let Some(list) = list else {
        return Ok(Vec::new());
    };
    if list.get_ref().len() > MAX_ACCESS_ITEMS {
        return Err(errors.at_value(
            list,
            format!(
                "{key} has {} items; the most is {MAX_ACCESS_ITEMS}",
                list.get_ref().len()
            ),
        ));
    }
    list.get_ref()
        .iter()
        .map(|item| nonempty(errors, item, what))
        .collect()
}

/// `[access-not-granted]`: at least one action or resource, at most 100 of each, actions
/// `service:Name`.
fn access_of(errors: &Errors<'_>, raw: &Spanned<RawAccess>) -> Result<Access, ConfigError> {
    let access = raw.get_ref();
    let actions = access_items(errors, access.actions.as_ref(), "actions", "an action")?;
    let resources = access_items(errors, access.resources.as_ref(), "resources", "a resource")?;
    let action_items = access
        .actions
        .as_ref()
        .map_or(&[][..], |list| list.get_ref());
    for (item, action) in action_items.iter().zip(&actions) {
        let well_formed = action
            .split_once(':')
            .is_some_and(|(service, name)| !service.is_empty() && !name.is_empty());
        if !well_formed {
            return Err(errors.at_value(
                item,
                format!("{action:?} is not an action: expected service:Name (s3:DeleteBucket)"),
            ));
        }
    }
    if actions.is_empty() && resources.is_empty() {
        return Err(errors.at_value(
            raw,
            "[access-not-granted] names no access: give actions, resources, or both",
        ));
    }
    Ok(Access { actions, resources })
}
