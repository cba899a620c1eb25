//! Runs `ValidatePolicy` and the custom checks over every policy of a template and reports
//! findings.
//!
//! The input is what [`iamproof_templates::extract`] reads (a CloudFormation template, a CDK
//! cloud assembly, a Terraform plan); the output is [`iamproof_report::Finding`]s, which the
//! report crate classifies (blocking or not) and renders (JSON, text, SARIF).
//!
//! - [`validate_extraction`]: `ValidatePolicy` on every policy, the public-access check of every
//!   resource policy whose resource type Access Analyzer knows, and the external-access check
//!   when trusted accounts are given ([`ValidateConfig`]).
//! - [`check_extraction`]: one custom check on every policy it applies to ([`TemplateCheck`]:
//!   no new access against a reference policy, access not granted, no public access).
//! - [`diff_extractions`]: the pull-request gate, base version against head version (see the
//!   [`diff`] module for how policies are matched); [`read_base`] reads the base from another
//!   path, a git revision or a Terraform plan's before side.
//!
//! Every policy is analysed on its own, in parallel on all cores ([`ScanOptions::threads`]), and
//! the findings come out in a fixed order (policy order). Each check has its own time limit
//! ([`ScanOptions::check`]); a check that runs out FAILs. Values known only at deployment are
//! approximated in the direction that keeps a PASS a proof, and reported in a non-blocking
//! `iamproof-UnknownValuesAssumed` finding; a policy that cannot be built or read is a blocking
//! `iamproof-PolicyNotAnalysable` finding, never skipped.
//!
//! ```no_run
//! use iamproof_report::{render_text, BlockingRules, Report};
//! use iamproof_scan::{validate_extraction, ScanOptions, Sources, ValidateConfig};
//! use iamproof_templates::{extract, ExtractOptions};
//!
//! let extraction = extract("template.yaml".as_ref(), &ExtractOptions::default())?;
//! let findings = validate_extraction(
//!     &extraction,
//!     &ValidateConfig::default(),
//!     &ScanOptions::default(),
//!     &Sources::new(),
//! );
//! let mut report = Report::new("0.1.0");
//! report.files.push("template.yaml".into());
//! report.findings = findings;
//! print!("{}", render_text(&BlockingRules::default().classify(report)));
//! # Ok::<(), iamproof_templates::TemplateError>(())
//! ```

#![deny(rustdoc::broken_intra_doc_links)]
#![deny(missing_docs)]

mod base;
mod checks;
pub mod diff;
mod error;
mod finding;
mod options;
mod parallel;
mod prepared;
mod source;
mod validate;

pub use base::{read_base, Base, BaseSource};
pub use checks::{check_extraction, check_policy, ReferencePolicy, TemplateCheck};
pub use diff::{diff_extractions, DiffOptions, POLICY_REMOVED};
pub use error::ScanError;
pub use finding::{
    check_findings, document_location, not_analysable_finding, statement_location,
    unknowns_finding, validation_finding,
};
pub use options::ScanOptions;
pub use prepared::Prepared;
pub use source::Sources;
pub use validate::{
    check_resource_type, parse_allowed_external_principals, validate_extraction, validate_policy,
    ValidateConfig,
};

/// The files a report covers: the input path, then each file a policy or unanalysable resource
/// is in, without repeats.
pub fn report_files(input: &str, extraction: &iamproof_templates::Extraction) -> Vec<String> {
    let mut files: Vec<String> = Vec::new();
    let in_dir = std::path::Path::new(input).is_dir();
    if !in_dir {
        files.push(input.to_string());
    }
    for f in extraction
        .policies
        .iter()
        .map(|p| &p.file)
        .chain(extraction.not_analysable.iter().map(|n| &n.file))
    {
        if !files.contains(f) {
            files.push(f.clone());
        }
    }
    files
}
