//! The report of a run over many policies (every policy of a CloudFormation, CDK or Terraform
//! template): the findings as data, the blocking rules of the AWS policy validators, the
//! JSON, text and SARIF renderings, and the exit status.
//!
//! The crate knows nothing of policies or checks: whatever analyses a policy builds
//! [`Finding`]s (plain data: a type, a code, a message, the resource and policy names, the
//! analysis's own JSON as `details`, and where in the source file it is); this crate decides what
//! blocks and writes it out.
//!
//! 1. Collect the findings in a [`Report`].
//! 2. [`BlockingRules`] (from `--treat-finding-type-as-blocking`, `--ignore-finding`,
//!    `--treat-findings-as-non-blocking`, or structured [`IgnoreEntry`]s) split them into
//!    blocking, non-blocking and ignored: a [`ClassifiedReport`].
//! 3. Render it: [`render_json`] (cfn-policy-validator's `{"BlockingFindings":[…],
//!    "NonBlockingFindings":[…]}`), [`render_text`], or [`render_sarif`] (SARIF 2.1.0 for GitHub
//!    code scanning).
//! 4. Exit with [`ExitStatus::of`]: 0 without blocking findings, 1 with.
//!
//! ```
//! use iamproof_report::{
//!     render_json, render_sarif, render_text, BlockingRules, ExitStatus, Finding, FindingCode,
//!     FindingType, Position, Report, SarifOptions, SourceLocation,
//! };
//! use serde_json::json;
//!
//! // 1. Findings, as the analysis of each policy produces them.
//! let mut report = Report::new("0.1.0");
//! report.files.push("infra/app.yaml".into());
//! report.findings.push(
//!     Finding::new(
//!         FindingType::SecurityWarning,
//!         FindingCode::CheckNoNewAccess,
//!         "The modified permissions grant new access compared to your existing policy.",
//!         "BuildRole",
//!         "RootPolicy",
//!     )
//!     .with_details(json!({"result": "FAIL", "message": "…", "reasons": []}))
//!     .with_location(SourceLocation::new(
//!         "infra/app.yaml",
//!         Position::new(12, 11),
//!         Position::new(16, 1),
//!     ))
//!     .with_statement(0, Some("Build".into()), json!({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}))
//!     .with_example_request(json!({"action": "s3:DeleteObject", "resource": "arn:aws:s3:::artifacts/x"})),
//! );
//! report.findings.push(Finding::new(
//!     FindingType::Warning,
//!     FindingCode::Validation("MISSING_VERSION".into()),
//!     "We recommend that you specify the Version element to help you with debugging permission issues.",
//!     "LogsQueue",
//!     "QueuePolicy",
//! ));
//!
//! // 2. The rules of the command line (here: the defaults, and one ignored code).
//! let rules = BlockingRules::from_flags(Some("ERROR,SECURITY_WARNING"), Some("LogsQueue.MISSING_VERSION"))?;
//! let classified = rules.classify(report);
//!
//! // 3. Renderings.
//! let json = render_json(&classified);
//! assert!(json.starts_with("{\n    \"BlockingFindings\": ["));
//! let text = render_text(&classified);
//! assert!(text.contains("infra/app.yaml:12:11: SECURITY_WARNING policy-analysis-CheckNoNewAccess BuildRole.RootPolicy:"));
//! assert!(text.ends_with("1 blocking finding, 0 non-blocking findings, 1 ignored.\n"));
//! let sarif = render_sarif(&classified, &SarifOptions::default());
//! assert!(sarif.contains("\"ruleId\": \"policy-analysis-CheckNoNewAccess\""));
//!
//! // 4. The exit status.
//! assert_eq!(ExitStatus::of(&classified).code(), 1);
//! # Ok::<(), iamproof_report::RulesError>(())
//! ```
//!
//! # Exit status
//!
//! | Situation | iamproof | cfn-policy-validator, tf-policy-validator |
//! |---|---|---|
//! | no blocking finding | 0 | 0 |
//! | at least one blocking finding | **1** | **2** |
//! | bad usage, unreadable input, internal error | **2** | **1** |
//!
//! iamproof keeps the convention of `grep` and `diff` that all its commands follow. A pipeline
//! that tests `$? -ne 0` works with both; one that tests `$? -eq 2` for blocking findings must
//! test `$? -eq 1` with iamproof.
//!
//! # Finding codes
//!
//! `ValidatePolicy` findings keep Access Analyzer's issue codes; failed custom checks use
//! cfn-policy-validator's `policy-analysis-CheckNoNewAccess`, `policy-analysis-CheckAccessNotGranted`
//! and `policy-analysis-CheckNoPublicAccess`, and iamproof's own external-access check
//! `policy-analysis-CheckNoExternalAccess`. iamproof adds `iamproof-PolicyNotAnalysable` and
//! `iamproof-UnknownValuesAssumed` ([`FindingCode`]).

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

mod exit;
mod finding;
mod json;
mod rules;
mod sarif;
mod text;

pub use exit::ExitStatus;
pub use finding::{
    Excerpt, Finding, FindingCode, FindingType, Position, Report, SourceLocation,
    UnknownFindingType,
};
pub use json::{render_json, to_json};
pub use rules::{
    BlockingRules, ClassifiedReport, IgnoreEntry, IgnoreRule, IgnoreTarget, IgnoredFinding,
    RulesError,
};
pub use sarif::{render_sarif, to_sarif, SarifOptions, SARIF_SCHEMA_URI};
pub use text::{render_text, summary};
