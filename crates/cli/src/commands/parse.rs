//! `parse`: the policies found in a template, cloud assembly or plan (no reasoning). All the
//! work is in iamproof-templates; this file only maps options and prints.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use iamproof_templates::{ExtractOptions, Extraction, Format, PolicyType};

use crate::cli::OutputFormat;
use crate::error::CliError;
use crate::output;
use crate::{Exit, Io};

/// `--format` of `parse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum TemplateFormatArg {
    /// Detect: a directory with manifest.json is CDK, a plan JSON is Terraform, else CloudFormation.
    #[default]
    Auto,
    /// A CloudFormation template (JSON or YAML).
    Cloudformation,
    /// An AWS CDK cloud assembly (a cdk.out directory).
    Cdk,
    /// A Terraform plan (`terraform show -json` output).
    Terraform,
}

/// Options of `parse`.
#[derive(Debug, Args)]
pub struct ParseArgs {
    /// The template file, cdk.out directory or Terraform plan JSON.
    #[arg(long, value_name = "PATH")]
    pub template_path: PathBuf,
    /// The input format.
    #[arg(long, value_enum, default_value_t = TemplateFormatArg::Auto)]
    pub format: TemplateFormatArg,
    /// AWS::Region (the partition follows from it).
    #[arg(long, default_value = "us-east-1")]
    pub region: String,
    /// AWS::AccountId.
    #[arg(long, default_value = "123456789012")]
    pub account_id: String,
    /// Template parameters: KEY=VALUE ..., or file://PATH (a JSON list of "KEY=VALUE" or
    /// {"ParameterKey","ParameterValue"} objects).
    #[arg(long, num_args = 1.., value_name = "KEY=VALUE")]
    pub parameters: Vec<String>,
    /// A CloudFormation template configuration file: {"Parameters": {"Key": "Value"}}.
    #[arg(long, value_name = "FILE")]
    pub template_configuration_file: Option<PathBuf>,
    /// Output: the extraction as JSON (default), or one line per policy.
    #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
    pub output: OutputFormat,
}

/// Runs `parse`.
pub fn run(args: &ParseArgs, io: &mut Io<'_>) -> Result<Exit, CliError> {
    let parameters = iamproof_templates::parse_parameters(&args.parameters)?;
    let options = ExtractOptions {
        format: match args.format {
            TemplateFormatArg::Auto => None,
            TemplateFormatArg::Cloudformation => Some(Format::Cloudformation),
            TemplateFormatArg::Cdk => Some(Format::Cdk),
            TemplateFormatArg::Terraform => Some(Format::Terraform),
        },
        region: args.region.clone(),
        account_id: args.account_id.clone(),
        parameters,
        template_configuration_file: args.template_configuration_file.clone(),
        ..ExtractOptions::default()
    };
    let extraction = iamproof_templates::extract(&args.template_path, &options)?;
    let text = match args.output {
        OutputFormat::Json => {
            let mut t = serde_json::to_string_pretty(&extraction)
                .map_err(|e| CliError::Engine(e.to_string()))?;
            t.push('\n');
            t
        }
        OutputFormat::Text => render_text(&extraction),
    };
    output::emit(io.stdout, &text)?;
    Ok(Exit::Pass)
}

fn render_text(x: &Extraction) -> String {
    let mut t = String::new();
    for p in &x.policies {
        let rt = match &p.policy_type {
            PolicyType::ResourcePolicy {
                resource_type: Some(r),
            } => format!(" ({r})"),
            _ => String::new(),
        };
        let unknowns = p.document.unknowns();
        let u = if unknowns.is_empty() {
            String::new()
        } else {
            format!("; unknown: {}", unknowns.join(", "))
        };
        t.push_str(&format!(
            "{}: {} {} {}: {}{rt}, {} statement(s){u}\n",
            p.origin(),
            p.resource_type,
            p.resource,
            p.policy_name,
            p.policy_type.name(),
            p.statement_locations.len()
        ));
    }
    for n in &x.not_analysable {
        let at = match &n.location {
            Some(l) => format!("{}:{l}", n.file),
            None => n.file.clone(),
        };
        t.push_str(&format!(
            "{at}: {} {} {}: not analysable: {}\n",
            n.resource_type, n.resource, n.policy_name, n.reason
        ));
    }
    for n in &x.notes {
        let at = match &n.location {
            Some(l) => format!("{}:{l}", n.file),
            None => n.file.clone(),
        };
        t.push_str(&format!("{at}: note: {}\n", n.message));
    }
    t.push_str(&format!(
        "{} policies, {} not analysable ({})\n",
        x.policies.len(),
        x.not_analysable.len(),
        x.format
    ));
    t
}
