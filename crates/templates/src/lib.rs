//! Finding the IAM policies in infrastructure code: CloudFormation templates (JSON and YAML),
//! AWS CDK cloud assemblies (`cdk.out`) and Terraform plans (`terraform show -json`).
//!
//! [`extract`] reads one input and returns an [`Extraction`]: every policy document found
//! ([`ExtractedPolicy`]: the resource, the policy's name and type, the document, and where the
//! document and each statement are in the source file), the policy-bearing resources whose
//! policy could not be built ([`NotAnalysable`], so that reports can block on them) and
//! [`Note`]s. Nothing is guessed silently: a value not known at analysis time (an
//! `Fn::ImportValue`, a parameter without a value, a Terraform attribute known only after apply)
//! is an explicit unknown in the document ([`value::Kind::Unknown`], [`value::Kind::Partial`]).
//! [`ExtractedPolicy::policy_text`] turns a document into concrete policy JSON for the engine,
//! approximating the unknowns in the direction that keeps a PASS a proof ([`Approximation`]; the
//! rules are in [`approximate`]).
//!
//! How each format is read: [`cfn`] (policy-bearing resources, and the resolution of intrinsic
//! functions in [`cfn::resolve`]), [`terraform`] and the CDK reader (the stacks of the
//! assembly's `manifest.json`, and the nested stacks whose templates are in the assembly).
//!
//! ```no_run
//! use iamproof_templates::{extract, Approximation, ExtractOptions};
//!
//! let extraction = extract("template.yaml".as_ref(), &ExtractOptions::default())?;
//! for p in &extraction.policies {
//!     let (json, assumed) = p.policy_text(Approximation::Over);
//!     println!("{} {} {}: {} unknowns assumed", p.origin(), p.resource, p.policy_name, assumed.len());
//!     let _policy = iamproof_policy::parse_policy(&json, p.policy_type.to_policy_type());
//! }
//! for n in &extraction.not_analysable {
//!     eprintln!("{}: {} {}: not analysable: {}", n.file, n.resource, n.policy_name, n.reason);
//! }
//! # Ok::<(), iamproof_templates::TemplateError>(())
//! ```

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod approximate;
mod cdk;
pub mod cfn;
mod error;
mod model;
mod options;
mod read;
pub mod terraform;
pub mod value;

use std::path::Path;

pub use approximate::{Approximation, Unknown};
pub use error::TemplateError;
pub use model::{
    ExtractedPolicy, Extraction, Format, Location, NotAnalysable, Note, PolicyType, Position,
};
pub use options::{parse_parameters, read_template_configuration, ExtractOptions};
pub use terraform::PlanSide;
pub use value::{Kind, Part, Value};

/// Largest input file read (templates are at most 1 MB in CloudFormation; plans can be larger).
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Reads a template, plan or cloud assembly and extracts its policies. With
/// `options.format == None` the format is detected: a directory with a `manifest.json` is a CDK
/// assembly, a JSON object with `planned_values`/`resource_changes` is a Terraform plan, anything
/// else a CloudFormation template.
pub fn extract(path: &Path, options: &ExtractOptions) -> Result<Extraction, TemplateError> {
    let shown = path.to_string_lossy().to_string();
    let mut opts = options.clone();
    if let Some(cfg) = &options.template_configuration_file {
        let mut params = read_template_configuration(cfg)?;
        params.extend(options.parameters.clone());
        opts.parameters = params;
    }
    if path.is_dir() {
        return match options.format {
            None | Some(Format::Cdk) => cdk::extract_assembly(path, &shown, &opts),
            Some(f) => Err(TemplateError::Option(format!(
                "{shown}: is a directory; --format {f} needs a file (a directory is read as a CDK cloud assembly)"
            ))),
        };
    }
    let text = read_text(path, &shown)?;
    match options.format {
        Some(Format::Cdk) => {
            if path.file_name().is_some_and(|n| n == "manifest.json") {
                let dir = path.parent().unwrap_or(Path::new("."));
                let shown_dir = dir.to_string_lossy().to_string();
                return cdk::extract_assembly(dir, &shown_dir, &opts);
            }
            Err(TemplateError::Option(format!(
                "{shown}: --format cdk needs a cdk.out directory (or its manifest.json)"
            )))
        }
        Some(Format::Terraform) => {
            let tree = read::read_json(&shown, &text)?;
            terraform::extract_plan(
                &shown,
                &tree,
                opts.plan_side,
                &opts.region,
                &opts.account_id,
            )
        }
        Some(Format::Cloudformation) => {
            let tree = read_any(&shown, &text)?;
            extract_cfn_tree(&shown, Format::Cloudformation, &tree, &opts)
        }
        None => {
            let tree = read_any(&shown, &text)?;
            if tree.get("planned_values").is_some()
                || tree.get("resource_changes").is_some()
                || tree.get("terraform_version").is_some()
            {
                return terraform::extract_plan(
                    &shown,
                    &tree,
                    opts.plan_side,
                    &opts.region,
                    &opts.account_id,
                );
            }
            if path.file_name().is_some_and(|n| n == "manifest.json")
                && tree.get("artifacts").is_some()
            {
                let dir = path.parent().unwrap_or(Path::new("."));
                return cdk::extract_assembly(dir, &dir.to_string_lossy(), &opts);
            }
            extract_cfn_tree(&shown, Format::Cloudformation, &tree, &opts)
        }
    }
}

/// [`extract`] on text already in memory: a CloudFormation template (JSON or YAML) or a
/// Terraform plan (JSON). `shown` names it in locations and errors. CDK assemblies are
/// directories and need [`extract`].
pub fn extract_text(
    shown: &str,
    text: &str,
    options: &ExtractOptions,
) -> Result<Extraction, TemplateError> {
    let mut opts = options.clone();
    if let Some(cfg) = &options.template_configuration_file {
        let mut params = read_template_configuration(cfg)?;
        params.extend(options.parameters.clone());
        opts.parameters = params;
    }
    let tree = read_any(shown, text)?;
    let plan = tree.get("planned_values").is_some()
        || tree.get("resource_changes").is_some()
        || tree.get("terraform_version").is_some();
    match options.format {
        Some(Format::Terraform) => {
            terraform::extract_plan(shown, &tree, opts.plan_side, &opts.region, &opts.account_id)
        }
        None if plan => {
            terraform::extract_plan(shown, &tree, opts.plan_side, &opts.region, &opts.account_id)
        }
        Some(Format::Cdk) => Err(TemplateError::Option(format!(
            "{shown}: a CDK cloud assembly is a directory; use extract"
        ))),
        _ => extract_cfn_tree(shown, Format::Cloudformation, &tree, &opts),
    }
}

/// [`extract`] of the values *before* the change of a Terraform plan (the current state), for
/// comparing base and head. Other formats are read as [`extract`] reads them.
pub fn extract_terraform_before(
    path: &Path,
    options: &ExtractOptions,
) -> Result<Extraction, TemplateError> {
    let mut opts = options.clone();
    opts.plan_side = PlanSide::Before;
    extract(path, &opts)
}

pub(crate) fn extract_cfn_tree(
    shown: &str,
    format: Format,
    tree: &Value,
    opts: &ExtractOptions,
) -> Result<Extraction, TemplateError> {
    cfn::extract_template(
        shown,
        format,
        tree,
        &opts.region,
        &opts.account_id,
        &opts.stack_name,
        &opts.parameters,
    )
}

pub(crate) fn read_text(path: &Path, shown: &str) -> Result<String, TemplateError> {
    let meta = std::fs::metadata(path).map_err(|e| TemplateError::io(shown, &e))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(TemplateError::Io {
            file: shown.to_string(),
            message: format!("the file is larger than {} MiB", MAX_FILE_BYTES >> 20),
        });
    }
    std::fs::read_to_string(path).map_err(|e| TemplateError::io(shown, &e))
}

/// JSON when the text starts with `{` or `[`, else YAML.
pub(crate) fn read_any(shown: &str, text: &str) -> Result<Value, TemplateError> {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('{') || t.starts_with('[') {
        read::read_json(shown, text)
    } else {
        read::read_yaml(shown, text)
    }
}
