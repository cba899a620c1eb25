//! The repository's gate settings: the `.iamproof.toml` file that holds, once for every run of
//! the template commands (`validate`, `check-no-new-access`, `check-access-not-granted`,
//! `check-no-public-access`), what would otherwise be repeated on each command line, in CI and
//! in pre-commit hooks — which finding types block, the findings accepted and why, the
//! principals allowed external access, the access that must never be granted, and how templates
//! are resolved.
//!
//! # Where the file is
//!
//! `--config FILE` names it ([`Config::locate`]). Otherwise [`Config::discover`] looks for
//! `.iamproof.toml` in the working directory and then in each parent, and stops after checking
//! a directory that contains `.git` (the repository's root) or at the filesystem root. No file
//! is not an error: every setting then has its default.
//!
//! # The format
//!
//! ```toml
//! # Which finding types block (exit status 1). Default: ["ERROR", "SECURITY_WARNING"].
//! # ["NONE"] makes nothing blocking (findings are still reported).
//! [blocking]
//! finding-types = ["ERROR", "SECURITY_WARNING"]
//!
//! # Findings accepted, one table per finding; `reason` is required.
//! [[ignore]]
//! finding = "MyRole.PASS_ROLE_WITH_STAR_IN_RESOURCE" # CODE, RESOURCE or RESOURCE.CODE
//! reason = "approved in SEC-123"
//!
//! [[ignore]]                      # the same, with resource and code apart: for a resource
//! resource = "module.ci.aws_iam_role.deploy" # name with dots (a Terraform address)
//! code = "PASS_ROLE_WITH_STAR_IN_RESOURCE"   # either one alone matches all of its findings
//! reason = "approved in SEC-124"
//!
//! # Principals outside the account that may be granted access.
//! [external-access]
//! allowed-principals = ["123456789012", "arn:aws:iam::111122223333:root"]
//!
//! # The access check-access-not-granted checks for (at most 100 of each).
//! [access-not-granted]
//! actions = ["iam:PassRole", "s3:DeleteBucket"]
//! resources = []
//!
//! # How templates are resolved.
//! [templates]
//! region = "us-east-1"
//! account-id = "123456789012"
//! parameters = { Env = "prod" }
//! ```
//!
//! | Key | Type | Flag | Meaning |
//! |---|---|---|---|
//! | `blocking.finding-types` | list of `ERROR`, `SECURITY_WARNING`, `WARNING`, `SUGGESTION` (any case), or `["NONE"]` | `--treat-finding-type-as-blocking` | the finding types that block |
//! | `ignore[].finding` | string: `CODE`, `RESOURCE` or `RESOURCE.CODE` | `--ignore-finding` | a finding accepted, read exactly as one `--ignore-finding` item (case-insensitive; split at the last dot; an item with a dot also names the resource called by the whole item) |
//! | `ignore[].resource`, `ignore[].code` | strings | — | instead of `finding`: the resource (taken whole, dots included), the code, or both |
//! | `ignore[].reason` | string, required | — | why the finding is accepted; shown as the justification of the SARIF suppression |
//! | `external-access.allowed-principals` | list of 12-digit account ids, ARNs, `"*"` | `--allow-external-principals` | principals allowed access from outside |
//! | `access-not-granted.actions` | list of `service:Name` | `--actions` | actions that must not be granted |
//! | `access-not-granted.resources` | list of ARNs | `--resources` | resources on which no (listed) action may be granted |
//! | `templates.region` | string | `--region` | the region of `AWS::Region` and ARNs |
//! | `templates.account-id` | 12 digits | `--account-id` | the account of `AWS::AccountId` and ARNs |
//! | `templates.parameters` | table of strings | `--parameters K=V` | template parameter values |
//!
//! Every table and key is optional. An unknown key, a value of the wrong type, an `[[ignore]]`
//! entry without `reason` and every value the table rejects is an error naming the file and
//! the line:column (from 1, columns in characters) of the offending key, value or table:
//!
//! ```text
//! .iamproof.toml:2:1: unknown field `finding-type`, expected `finding-types`
//! .iamproof.toml:7:1: this [[ignore]] entry has no `reason`: say why the finding is accepted (a ticket, a review)
//! ```
//!
//! # Flags override the file
//!
//! A flag given on the command line replaces the file's value; `--ignore-finding` adds to the
//! file's entries; `--parameters` replace the file's values name by name. The methods of
//! [`Config`] take the command line's optional values and apply these rules
//! ([`Config::blocking_rules`], [`Config::allowed_external_principals`],
//! [`Config::access_not_granted`], [`Config::region`], [`Config::account_id`],
//! [`Config::parameters`]):
//!
//! | Setting | Rule |
//! |---|---|
//! | `--treat-finding-type-as-blocking` / `[blocking] finding-types` | the flag replaces the file's list; neither: `ERROR,SECURITY_WARNING` |
//! | `--ignore-finding` / `[[ignore]]` | **added**: the file's entries (with their reasons) and then the flag's items; a flag cannot un-ignore a reviewed exception |
//! | `--allow-external-principals` / `[external-access] allowed-principals` | the flag replaces the file's list |
//! | `--actions`, `--resources` / `[access-not-granted]` | either flag replaces the whole access of the file (the pair describes one access: a flag's actions are never combined with the file's resources) |
//! | `--region`, `--account-id` / `[templates]` | the flag replaces the file's value |
//! | `--parameters K=V` / `[templates] parameters` | per name: a flag's value replaces the file's value of that name; the file's other names stay |
//!
//! ```
//! use iamproof_config::Config;
//! use std::path::Path;
//!
//! let config = Config::parse(
//!     Path::new(".iamproof.toml"),
//!     r#"
//! [blocking]
//! finding-types = ["ERROR"]
//! [[ignore]]
//! finding = "BuildRole.PASS_ROLE_WITH_STAR_IN_RESOURCE"
//! reason = "approved in SEC-123"
//! "#,
//! )?;
//! // No flag: the file's blocking types and ignore entries.
//! let rules = config.blocking_rules(None, None)?;
//! assert_eq!(rules.blocking_types().len(), 1);
//! assert_eq!(rules.ignores()[0].reason.as_deref(), Some("approved in SEC-123"));
//! // `--treat-finding-type-as-blocking NONE --ignore-finding MISSING_VERSION`.
//! let rules = config.blocking_rules(Some("NONE"), Some("MISSING_VERSION"))?;
//! assert!(rules.blocking_types().is_empty());
//! assert_eq!(rules.ignores().len(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

mod discover;
mod error;
mod file;
mod merge;

pub use discover::CONFIG_FILE_NAME;
pub use error::{ConfigError, LineColumn};
pub use file::{Access, Config, MAX_ACCESS_ITEMS, MAX_CONFIG_BYTES};
