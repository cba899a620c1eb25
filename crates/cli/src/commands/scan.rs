//! Template mode: `validate` and the check commands with `--template-path`. The work is in
//! iamproof-scan (the analyses) and iamproof-report (blocking rules, renderings); this file maps
//! the flags and writes the report.

use crate::cli::{
    CheckAccessNotGrantedArgs, CheckNoNewAccessArgs, CheckNoPublicAccessArgs,
    ReferencePolicyTypeArg, ReportFormat, SolverArg, TemplateOptions, ValidateArgs,
};
use crate::commands::parse::TemplateFormatArg;
use crate::error::CliError;
use crate::input::Loader;
use crate::output;
use crate::{Exit, Io};
use iamproof_checks::{AccessSpec, Backend, CheckOptions};
use iamproof_config::Config;
use iamproof_report::{
    render_json, render_sarif, render_text, summary, BlockingRules, ExitStatus, Report,
    SarifOptions,
};
use iamproof_scan::{
    check_extraction, diff_extractions, parse_allowed_external_principals, read_base, report_files,
    validate_extraction, BaseSource, DiffOptions, ReferencePolicy, ScanOptions, Sources,
    TemplateCheck, ValidateConfig,
};
use iamproof_templates::{ExtractOptions, Extraction, Format};
use std::path::Path;
use std::time::Duration;

/// The gate's settings: `--config FILE`, else the `.iamproof.toml` found from the working
/// directory, else none (every setting from the flags and their defaults).
fn config(t: &TemplateOptions) -> Result<Config, CliError> {
    let cwd = std::env::current_dir()
        .map_err(|e| CliError::Input(format!("cannot read the working directory: {e}")))?;
    let found = Config::locate(t.config.as_deref(), &cwd)?;
    Ok(found.map(|(_, c)| c).unwrap_or_default())
}

fn extract_options(t: &TemplateOptions, config: &Config) -> Result<ExtractOptions, CliError> {
    let defaults = ExtractOptions::default();
    let flags = iamproof_templates::parse_parameters(&t.parameters)?;
    Ok(ExtractOptions {
        format: match t.template_format.unwrap_or_default() {
            TemplateFormatArg::Auto => None,
            TemplateFormatArg::Cloudformation => Some(Format::Cloudformation),
            TemplateFormatArg::Cdk => Some(Format::Cdk),
            TemplateFormatArg::Terraform => Some(Format::Terraform),
        },
        region: config
            .region(t.region.as_deref())
            .unwrap_or(defaults.region),
        account_id: config
            .account_id(t.account_id.as_deref())
            .unwrap_or(defaults.account_id),
        parameters: config.parameters(flags),
        template_configuration_file: t.template_configuration_file.clone(),
        ..ExtractOptions::default()
    })
}

fn scan_options(solver: SolverArg, timeout: u64, t: &TemplateOptions) -> ScanOptions {
    let backend = match solver {
        SolverArg::Native => Backend::Native,
        SolverArg::Z3 => Backend::Z3,
        SolverArg::Cvc5 => Backend::Cvc5,
        SolverArg::Portfolio => Backend::Portfolio,
    };
    ScanOptions {
        check: CheckOptions {
            backend,
            timeout: Duration::from_secs(timeout),
        },
        exclude_resource_types: t.exclude_resource_types.clone(),
        quiet: t.quiet,
        threads: None,
    }
}

fn extract(
    path: &Path,
    options: &ExtractOptions,
    scan: &ScanOptions,
) -> Result<Extraction, CliError> {
    iamproof_templates::extract(path, options)
        .map(|x| scan.apply_exclusions(x))
        .map_err(CliError::from)
}

/// Classifies, renders and writes the report; the exit status of its blocking findings.
fn finish(
    input: &Path,
    extraction: &Extraction,
    findings: Vec<iamproof_report::Finding>,
    rules: &BlockingRules,
    format: ReportFormat,
    t: &TemplateOptions,
    io: &mut Io<'_>,
) -> Result<Exit, CliError> {
    let mut report = Report::new(env!("CARGO_PKG_VERSION"));
    report.files = report_files(&input.to_string_lossy(), extraction);
    report.findings = findings;
    let classified = rules.classify(report);
    let text = match format {
        ReportFormat::Text => render_text(&classified),
        ReportFormat::Json => render_json(&classified),
        ReportFormat::Sarif => render_sarif(
            &classified,
            &SarifOptions {
                source_root: std::env::current_dir()
                    .ok()
                    .map(|d| d.to_string_lossy().to_string()),
            },
        ),
    };
    match &t.output_file {
        Some(file) => std::fs::write(file, &text).map_err(|source| CliError::WriteReport {
            path: file.clone(),
            source,
        })?,
        None => output::emit(io.stdout, &text)?,
    }
    if !t.quiet && (t.output_file.is_some() || format != ReportFormat::Text) {
        let _ = writeln!(io.stderr, "{}", summary(&classified));
    }
    Ok(match ExitStatus::of(&classified) {
        ExitStatus::Clean => Exit::Pass,
        ExitStatus::Blocking => Exit::Fail,
    })
}

/// The custom checks' blocking rules: the file's, with `--treat-findings-as-non-blocking`
/// making nothing blocking and `--ignore-finding` adding to the file's ignores.
fn check_rules(
    non_blocking: bool,
    t: &TemplateOptions,
    config: &Config,
) -> Result<BlockingRules, CliError> {
    config
        .blocking_rules(non_blocking.then_some("NONE"), t.ignore_finding.as_deref())
        .map_err(|e| CliError::Usage(format!("--ignore-finding: {e}")))
}

/// `validate --template-path`.
pub fn validate(args: &ValidateArgs, io: &mut Io<'_>) -> Result<Exit, CliError> {
    let t = &args.template;
    let config = config(t)?;
    let rules = config
        .blocking_rules(
            args.treat_finding_type_as_blocking.as_deref(),
            t.ignore_finding.as_deref(),
        )
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let options = extract_options(t, &config)?;
    let scan = scan_options(args.solver, args.timeout, t);
    let allowed = config.allowed_external_principals(args.allow_external_principals.as_deref());
    let external = if allowed.is_empty() {
        None
    } else {
        parse_allowed_external_principals(&allowed.join(","), &options.account_id)?
    };
    let extraction = extract(&args.template_path, &options, &scan)?;
    let config = ValidateConfig {
        external,
        iamproof_checks: false,
    };
    let findings = validate_extraction(&extraction, &config, &scan, &Sources::new());
    finish(
        &args.template_path,
        &extraction,
        findings,
        &rules,
        args.output,
        t,
        io,
    )
}

/// `check-no-new-access --template-path`.
pub fn no_new_access(
    args: &CheckNoNewAccessArgs,
    head_path: &Path,
    io: &mut Io<'_>,
) -> Result<Exit, CliError> {
    let t = &args.template;
    let config = config(t)?;
    let rules = check_rules(args.treat_findings_as_non_blocking, t, &config)?;
    let options = extract_options(t, &config)?;
    let scan = scan_options(args.common.solver, args.common.timeout, t);
    let head = extract(head_path, &options, &scan)?;
    let sources = Sources::new();
    if let Some(reference) = &args.reference_policy {
        let policy_type = match args.reference_policy_type {
            Some(ReferencePolicyTypeArg::Resource) => iamproof_policy::PolicyType::Resource,
            _ => iamproof_policy::PolicyType::Identity,
        };
        let mut loader = Loader::new(&mut *io.stdin);
        let doc = loader.load(&reference.to_string_lossy(), "--reference-policy")?;
        let reference = ReferencePolicy::parse(&doc.origin.to_string(), &doc.text, policy_type)?;
        let findings = check_extraction(
            &head,
            &TemplateCheck::NoNewAccess(reference),
            &scan,
            &sources,
        );
        return finish(
            head_path,
            &head,
            findings,
            &rules,
            args.common.output,
            t,
            io,
        );
    }
    let source = match (&args.base_template_path, &args.base_ref) {
        (Some(p), _) => BaseSource::Path(p.clone()),
        (None, Some(r)) => BaseSource::GitRef(r.clone()),
        (None, None) if head.format == Format::Terraform => BaseSource::PlanBefore,
        (None, None) => {
            return Err(CliError::Usage(format!(
                "{}: give what to compare with: --base-ref REF, --base-template-path PATH or --reference-policy FILE (only a Terraform plan compares with its own before values)",
                head_path.display()
            )))
        }
    };
    let base = read_base(head_path, &source, &options)?;
    let base_extraction = scan.apply_exclusions(base.extraction);
    let diff = DiffOptions {
        allow_added: args.allow_added,
        base_root: base.root,
        head_root: head_path.to_string_lossy().to_string(),
        base_revision: args.base_ref.clone(),
    };
    let findings = diff_extractions(&base_extraction, &head, &diff, &scan, &sources);
    finish(
        head_path,
        &head,
        findings,
        &rules,
        args.common.output,
        t,
        io,
    )
}

/// `check-access-not-granted --template-path`.
pub fn access_not_granted(
    args: &CheckAccessNotGrantedArgs,
    path: &Path,
    io: &mut Io<'_>,
) -> Result<Exit, CliError> {
    let t = &args.template;
    let config = config(t)?;
    let rules = check_rules(args.treat_findings_as_non_blocking, t, &config)?;
    // --actions/--resources when either is given, else the file's [access-not-granted].
    let (actions, resources) = if args.actions.is_empty() && args.resources.is_empty() {
        let from_file = config.access_not_granted(None, None).unwrap_or_default();
        (from_file.actions, from_file.resources)
    } else {
        (args.actions.clone(), args.resources.clone())
    };
    if actions.is_empty() && resources.is_empty() {
        return Err(CliError::Usage(
            "check-access-not-granted --template-path needs --actions or --resources (or [access-not-granted] in .iamproof.toml)".to_string(),
        ));
    }
    let access = AccessSpec::new(actions, resources).map_err(|e| {
        CliError::Usage(format!(
            "--actions/--resources (or [access-not-granted] in .iamproof.toml): {e}"
        ))
    })?;
    let options = extract_options(t, &config)?;
    let scan = scan_options(args.common.solver, args.common.timeout, t);
    let extraction = extract(path, &options, &scan)?;
    let findings = check_extraction(
        &extraction,
        &TemplateCheck::AccessNotGranted(access),
        &scan,
        &Sources::new(),
    );
    finish(
        path,
        &extraction,
        findings,
        &rules,
        args.common.output,
        t,
        io,
    )
}

/// `check-no-public-access --template-path`.
pub fn no_public_access(
    args: &CheckNoPublicAccessArgs,
    path: &Path,
    io: &mut Io<'_>,
) -> Result<Exit, CliError> {
    let t = &args.template;
    let config = config(t)?;
    let rules = check_rules(args.treat_findings_as_non_blocking, t, &config)?;
    let options = extract_options(t, &config)?;
    let scan = scan_options(args.common.solver, args.common.timeout, t);
    let extraction = extract(path, &options, &scan)?;
    let findings = check_extraction(
        &extraction,
        &TemplateCheck::NoPublicAccess,
        &scan,
        &Sources::new(),
    );
    finish(
        path,
        &extraction,
        findings,
        &rules,
        args.common.output,
        t,
        io,
    )
}
