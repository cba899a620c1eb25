//! Which findings block a run, and which are ignored.

use crate::exit::ExitStatus;
use crate::finding::{Finding, FindingType, Report};
use serde::Deserialize;
use std::collections::BTreeSet;

/// A list given to `--treat-finding-type-as-blocking` or `--ignore-finding`, or an ignore entry,
/// that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RulesError {
    /// An item of the finding-type list is not a finding type nor `NONE`.
    #[error(
        "item {item} of the finding types, {found:?}, is not a finding type: expected ERROR, SECURITY_WARNING, WARNING, SUGGESTION or NONE"
    )]
    UnknownFindingType {
        /// 1-based position of the item in the list.
        item: usize,
        /// The item as given.
        found: String,
    },
    /// An item of the ignore list is empty (`a,,b`, a trailing comma).
    #[error("item {item} of the findings to ignore is empty")]
    EmptyIgnoreItem {
        /// 1-based position of the item in the list.
        item: usize,
    },
    /// An item `RESOURCE.CODE` with nothing before or after its last dot.
    #[error(
        "item {item} of the findings to ignore, {found:?}, has nothing {side} its last dot: expected CODE, RESOURCE_NAME or RESOURCE_NAME.CODE"
    )]
    EmptyIgnorePart {
        /// 1-based position of the item in the list.
        item: usize,
        /// The item as given.
        found: String,
        /// `"before"` or `"after"`.
        side: &'static str,
    },
    /// A structured ignore entry names neither a resource nor a code.
    #[error("an ignore entry must name a resource, a code, or both")]
    IgnoreEntryWithoutTarget,
}

/// What an ignore rule matches.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum IgnoreTarget {
    /// A command-line item without a dot: the findings whose resource name or code equals it.
    ResourceOrCode(String),
    /// A command-line item with a dot: the findings of the resource before the last dot with
    /// the code after it, and the findings of the resource named by the whole item.
    ResourceDotCode(String),
    /// Every finding of a resource (a structured entry with only `resource`).
    Resource(String),
    /// Every finding with a code (a structured entry with only `code`).
    Code(String),
    /// The findings of a resource with a code (a structured entry with both).
    ResourceAndCode {
        /// The resource name.
        resource: String,
        /// The finding code.
        code: String,
    },
}

impl IgnoreTarget {
    /// Whether the finding is one this target names (case-insensitively).
    pub fn matches(&self, finding: &Finding) -> bool {
        let resource = finding.resource_name.as_str();
        let code = finding.code.as_str();
        match self {
            IgnoreTarget::ResourceOrCode(value) => {
                value.eq_ignore_ascii_case(resource) || value.eq_ignore_ascii_case(code)
            }
            IgnoreTarget::ResourceDotCode(value) => {
                value.eq_ignore_ascii_case(resource)
                    || value.rsplit_once('.').is_some_and(|(r, c)| {
                        r.eq_ignore_ascii_case(resource) && c.eq_ignore_ascii_case(code)
                    })
            }
            IgnoreTarget::Resource(value) => value.eq_ignore_ascii_case(resource),
            IgnoreTarget::Code(value) => value.eq_ignore_ascii_case(code),
            IgnoreTarget::ResourceAndCode {
                resource: r,
                code: c,
            } => r.eq_ignore_ascii_case(resource) && c.eq_ignore_ascii_case(code),
        }
    }
}

/// One structured ignore entry, as a configuration file would hold it
/// (`{ resource = "MyRole", code = "PASS_ROLE_WITH_STAR_IN_RESOURCE", reason = "…" }`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreEntry {
    /// The resource name (compared case-insensitively, taken whole: dots are part of it).
    pub resource: Option<String>,
    /// The finding code.
    pub code: Option<String>,
    /// Why the finding is accepted; shown as the justification of SARIF's suppression.
    pub reason: Option<String>,
}

/// One rule that ignores findings, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreRule {
    /// What it matches.
    pub target: IgnoreTarget,
    /// Why (from a structured entry); command-line items have none.
    pub reason: Option<String>,
}

impl IgnoreRule {
    /// Reads a structured entry.
    pub fn from_entry(entry: IgnoreEntry) -> Result<IgnoreRule, RulesError> {
        let nonempty =
            |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let target = match (nonempty(entry.resource), nonempty(entry.code)) {
            (Some(resource), Some(code)) => IgnoreTarget::ResourceAndCode { resource, code },
            (Some(resource), None) => IgnoreTarget::Resource(resource),
            (None, Some(code)) => IgnoreTarget::Code(code),
            (None, None) => return Err(RulesError::IgnoreEntryWithoutTarget),
        };
        Ok(IgnoreRule {
            target,
            reason: entry.reason,
        })
    }
}

/// A finding left out of the report by an ignore rule.
#[derive(Debug, Clone, PartialEq)]
pub struct IgnoredFinding {
    /// The finding.
    pub finding: Finding,
    /// The rule that matched it first.
    pub rule: IgnoreRule,
}

/// Which finding types block, and which findings are ignored: the rules of cfn-policy-validator
/// and tf-policy-validator, so that pipelines written for them keep their meaning.
///
/// - `--treat-finding-type-as-blocking ERROR,SECURITY_WARNING` ([`BlockingRules::parse_blocking_types`]):
///   a comma-separated list of finding types, case-insensitive, spaces around items ignored.
///   Default `ERROR,SECURITY_WARNING`. `NONE` makes nothing blocking, even next to other types.
///   Findings of the other types are reported as non-blocking.
/// - `--treat-findings-as-non-blocking` (the custom checks' flag, [`BlockingRules::from_check_flags`]):
///   nothing blocks; without it the checks block on `ERROR` and `SECURITY_WARNING`, the default
///   above.
/// - `--ignore-finding` ([`BlockingRules::parse_ignore_findings`]): a comma-separated list, each
///   item `CODE`, `RESOURCE_NAME` or `RESOURCE_NAME.CODE`, compared case-insensitively. An item
///   without a dot ignores every finding whose resource name *or* code equals it; an item with a
///   dot ignores the findings of that resource with that code. Ignored findings are left out of
///   the blocking and non-blocking lists (as in the AWS validators); iamproof keeps them aside so
///   SARIF can show them as suppressed.
///
/// # Dots in resource names
///
/// cfn-policy-validator and tf-policy-validator split an item at its first dot. No finding code
/// contains a dot and no CloudFormation logical id does, so for CloudFormation any split gives
/// the same answer. A Terraform address does contain dots (`module.net.aws_iam_role.ci`), so
/// iamproof splits at the **last** dot (`module.net.aws_iam_role.ci.PASS_ROLE_WITH_STAR_IN_RESOURCE`
/// is the resource `module.net.aws_iam_role.ci` and that code), and an item with a dot also
/// ignores the findings of the resource named by the whole item (`aws_iam_role.ci` alone ignores
/// every finding of that resource). Neither changes the meaning of an item written for
/// CloudFormation. (tf-policy-validator names a resource by its name attribute, e.g. the role
/// name, rather than by its address; an item for a name with a dot differs there.)
///
/// # Differences from the AWS validators
///
/// An empty item (`a,,b`, a trailing comma) and an item with an empty side of its dot (`.CODE`,
/// `Resource.`) are errors here; the AWS validators accept them and they then ignore nothing
/// (or, for `--treat-finding-type-as-blocking`, fail with "Invalid finding type").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockingRules {
    blocking_types: BTreeSet<FindingType>,
    ignores: Vec<IgnoreRule>,
}

impl Default for BlockingRules {
    /// `ERROR` and `SECURITY_WARNING` block; nothing is ignored.
    fn default() -> Self {
        BlockingRules {
            blocking_types: BTreeSet::from([FindingType::Error, FindingType::SecurityWarning]),
            ignores: Vec::new(),
        }
    }
}

/// Splits a comma-separated list into trimmed items, with their 1-based positions.
fn items(list: &str) -> impl Iterator<Item = (usize, &str)> {
    list.split(',')
        .map(str::trim)
        .enumerate()
        .map(|(i, s)| (i + 1, s))
}

impl BlockingRules {
    /// The rules with the given blocking finding types and ignore rules.
    pub fn new(
        blocking_types: impl IntoIterator<Item = FindingType>,
        ignores: Vec<IgnoreRule>,
    ) -> Self {
        BlockingRules {
            blocking_types: blocking_types.into_iter().collect(),
            ignores,
        }
    }

    /// Nothing blocks (`--treat-findings-as-non-blocking`, `--treat-finding-type-as-blocking NONE`).
    pub fn nothing_blocking() -> Self {
        BlockingRules::new([], Vec::new())
    }

    /// The rules of the command-line flags: `treat_as_blocking` is the value of
    /// `--treat-finding-type-as-blocking` (default `ERROR,SECURITY_WARNING` when absent) and
    /// `ignore` the value of `--ignore-finding`.
    pub fn from_flags(
        treat_as_blocking: Option<&str>,
        ignore: Option<&str>,
    ) -> Result<Self, RulesError> {
        let mut rules = BlockingRules::default();
        if let Some(list) = treat_as_blocking {
            rules.blocking_types = BlockingRules::parse_blocking_types(list)?;
        }
        if let Some(list) = ignore {
            rules.ignores = BlockingRules::parse_ignore_findings(list)?;
        }
        Ok(rules)
    }

    /// The rules of the custom checks' flags: `treat_findings_as_non_blocking` is
    /// `--treat-findings-as-non-blocking` (nothing blocks; otherwise `ERROR` and
    /// `SECURITY_WARNING` do) and `ignore` the value of `--ignore-finding`.
    pub fn from_check_flags(
        treat_findings_as_non_blocking: bool,
        ignore: Option<&str>,
    ) -> Result<Self, RulesError> {
        let mut rules = BlockingRules::from_flags(None, ignore)?;
        if treat_findings_as_non_blocking {
            rules.blocking_types.clear();
        }
        Ok(rules)
    }

    /// Reads a `--treat-finding-type-as-blocking` list. `NONE` anywhere gives the empty set.
    pub fn parse_blocking_types(list: &str) -> Result<BTreeSet<FindingType>, RulesError> {
        let mut types = BTreeSet::new();
        let mut none = false;
        for (item, text) in items(list) {
            if text.eq_ignore_ascii_case("NONE") {
                none = true;
                continue;
            }
            let finding_type =
                text.parse::<FindingType>()
                    .map_err(|_| RulesError::UnknownFindingType {
                        item,
                        found: text.to_string(),
                    })?;
            types.insert(finding_type);
        }
        if none {
            types.clear();
        }
        Ok(types)
    }

    /// Reads an `--ignore-finding` list.
    pub fn parse_ignore_findings(list: &str) -> Result<Vec<IgnoreRule>, RulesError> {
        items(list)
            .map(|(item, text)| {
                if text.is_empty() {
                    return Err(RulesError::EmptyIgnoreItem { item });
                }
                let target = match text.rsplit_once('.') {
                    None => IgnoreTarget::ResourceOrCode(text.to_string()),
                    Some((resource, code)) => {
                        let side = if resource.is_empty() {
                            Some("before")
                        } else if code.is_empty() {
                            Some("after")
                        } else {
                            None
                        };
                        if let Some(side) = side {
                            return Err(RulesError::EmptyIgnorePart {
                                item,
                                found: text.to_string(),
                                side,
                            });
                        }
                        IgnoreTarget::ResourceDotCode(text.to_string())
                    }
                };
                Ok(IgnoreRule {
                    target,
                    reason: None,
                })
            })
            .collect()
    }

    /// These rules with more ignore rules (from a configuration file, say).
    pub fn with_ignores(mut self, rules: impl IntoIterator<Item = IgnoreRule>) -> Self {
        self.ignores.extend(rules);
        self
    }

    /// These rules with the ignore entries of a configuration file.
    pub fn with_ignore_entries(
        self,
        entries: impl IntoIterator<Item = IgnoreEntry>,
    ) -> Result<Self, RulesError> {
        let rules = entries
            .into_iter()
            .map(IgnoreRule::from_entry)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(self.with_ignores(rules))
    }

    /// The finding types that block.
    pub fn blocking_types(&self) -> &BTreeSet<FindingType> {
        &self.blocking_types
    }

    /// The ignore rules, in order.
    pub fn ignores(&self) -> &[IgnoreRule] {
        &self.ignores
    }

    /// The first ignore rule matching the finding.
    pub fn ignored_by(&self, finding: &Finding) -> Option<&IgnoreRule> {
        self.ignores
            .iter()
            .find(|rule| rule.target.matches(finding))
    }

    /// Whether a finding that is not ignored blocks.
    pub fn is_blocking(&self, finding: &Finding) -> bool {
        self.blocking_types.contains(&finding.finding_type)
    }

    /// Splits a report's findings into blocking, non-blocking and ignored. Within each list the
    /// findings are ordered by finding type (errors, security warnings, warnings, suggestions,
    /// as cfn-policy-validator lists them), and in their original order within a type.
    pub fn classify(&self, report: Report) -> ClassifiedReport {
        let Report {
            tool_version,
            files,
            mut findings,
        } = report;
        findings.sort_by_key(|f| f.finding_type);
        let mut classified = ClassifiedReport {
            tool_version,
            files,
            blocking: Vec::new(),
            non_blocking: Vec::new(),
            ignored: Vec::new(),
        };
        for finding in findings {
            if let Some(rule) = self.ignored_by(&finding) {
                let rule = rule.clone();
                classified.ignored.push(IgnoredFinding { finding, rule });
            } else if self.is_blocking(&finding) {
                classified.blocking.push(finding);
            } else {
                classified.non_blocking.push(finding);
            }
        }
        classified
    }
}

/// A report whose findings have been split by [`BlockingRules::classify`]: what every renderer
/// takes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClassifiedReport {
    /// The version of the tool that made the report.
    pub tool_version: String,
    /// The files analysed, as given.
    pub files: Vec<String>,
    /// The findings that block the run.
    pub blocking: Vec<Finding>,
    /// The findings reported without blocking.
    pub non_blocking: Vec<Finding>,
    /// The findings an ignore rule left out.
    pub ignored: Vec<IgnoredFinding>,
}

impl ClassifiedReport {
    /// Whether some finding blocks.
    pub fn has_blocking_findings(&self) -> bool {
        !self.blocking.is_empty()
    }

    /// The exit status the report asks for: 0 without blocking findings, 1 with.
    pub fn exit_status(&self) -> ExitStatus {
        ExitStatus::of(self)
    }
}
