//! Access findings on the command line: `iamproof findings`, `iamproof compare`, and the
//! `--findings all` flag of check-no-new-access, check-access-not-granted,
//! check-no-public-access and check-no-external-access. The findings themselves live in `iamproof-checks`.

use crate::cli::{CheckCommon, OutputFormat, PolicyTypeArg, ReportFormat};
use crate::error::CliError;
use crate::input::{Document, Loader};
use crate::output;
use crate::{Exit, Io};
use clap::{Args, ValueEnum};
use iamproof_checks::{
    CheckResult, Findings, FindingsOptions, ResourceType, ServiceReference, SolverEngine, TrustZone,
};
use iamproof_policy::PolicyType;
use std::fmt::Write;
use std::path::PathBuf;

/// Which findings a check lists besides its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FindingsMode {
    /// Every finding: the complete, minimal list of the access the check is about.
    All,
}

/// `--findings` and `--service-reference` of the checks.
#[derive(Debug, Args)]
pub struct FindingsFlags {
    /// Also list all the access the check is about as findings (who, which actions, under which
    /// condition, with the granting statements), proven complete; JSON adds `findings` and
    /// `findingsComplete`, text a table. Takes up to --timeout more.
    #[arg(long, value_enum, value_name = "WHICH")]
    pub findings: Option<FindingsMode>,
    /// The AWS Service Authorization Reference in iam-data's layout (DIR/data/actions/*.json):
    /// each finding also lists the concrete actions it covers. With --findings.
    #[arg(long, value_name = "DIR", requires = "findings")]
    pub service_reference: Option<PathBuf>,
}

impl FindingsFlags {
    /// `--findings` lists the access of one document: an error with `--template-path` (the
    /// flags are shared with check-no-external-access, which has no template mode, so clap
    /// cannot say it).
    pub fn document_mode_only(&self) -> Result<(), CliError> {
        match self.findings {
            Some(_) => Err(CliError::Usage(
                "--findings cannot be used with --template-path".into(),
            )),
            None => Ok(()),
        }
    }

    /// The watchdog's limits of a check with these flags: findings take up to --timeout more.
    pub fn widen(&self, mut limits: crate::limits::Limits) -> crate::limits::Limits {
        if self.findings.is_some() {
            limits.time = limits.time.saturating_mul(2);
        }
        limits
    }
}

/// Arguments of `findings`.
#[derive(Debug, Args)]
pub struct FindingsArgs {
    /// The resource policy.
    #[arg(long, value_name = "DOC")]
    pub policy_document: String,
    /// The resource type, e.g. AWS::S3::Bucket, AWS::KMS::Key.
    #[arg(long, value_name = "TYPE", value_parser = parse_resource_type)]
    pub resource_type: ResourceType,
    /// The account that owns the resource (inside the zone of trust).
    #[arg(long, value_name = "ACCOUNT")]
    pub account_id: String,
    /// Another account inside the zone of trust (repeatable).
    #[arg(long, value_name = "ACCOUNT")]
    pub trusted_account: Vec<String>,
    /// An AWS Organizations id (o-…) inside the zone of trust (repeatable).
    #[arg(long, value_name = "ORG_ID")]
    pub trusted_organization: Vec<String>,
    /// The AWS Service Authorization Reference in iam-data's layout: each finding also lists
    /// the concrete actions it covers.
    #[arg(long, value_name = "DIR")]
    pub service_reference: Option<PathBuf>,
    #[command(flatten)]
    pub common: CheckCommon,
}

/// Arguments of `compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Policy A.
    #[arg(long, value_name = "DOC")]
    pub policy_a: String,
    /// Policy B.
    #[arg(long, value_name = "DOC")]
    pub policy_b: String,
    /// The type of both documents.
    #[arg(long, value_name = "TYPE")]
    pub policy_type: PolicyTypeArg,
    /// The AWS Service Authorization Reference in iam-data's layout: each finding also lists
    /// the concrete actions it covers.
    #[arg(long, value_name = "DIR")]
    pub service_reference: Option<PathBuf>,
    #[command(flatten)]
    pub common: CheckCommon,
}

fn parse_resource_type(s: &str) -> Result<ResourceType, iamproof_checks::UnknownResourceType> {
    s.parse()
}

fn engine(common: &CheckCommon) -> SolverEngine {
    SolverEngine {
        options: super::checks::options(common),
    }
}

fn reference(dir: Option<&PathBuf>) -> Result<Option<ServiceReference>, CliError> {
    dir.map(|d| {
        ServiceReference::load(d).map_err(|e| CliError::Input(format!("--service-reference: {e}")))
    })
    .transpose()
}

fn text_or_json(format: ReportFormat) -> Result<OutputFormat, CliError> {
    match format {
        ReportFormat::Text => Ok(OutputFormat::Text),
        ReportFormat::Json => Ok(OutputFormat::Json),
        ReportFormat::Sarif => Err(CliError::Usage(
            "--output sarif is not available here (text or json)".into(),
        )),
    }
}

/// Runs `findings`: exit 0 when the list is empty and proven complete, 1 otherwise.
pub fn run(args: &FindingsArgs, io: &mut Io<'_>) -> Result<Exit, CliError> {
    let format = text_or_json(args.common.output)?;
    let mut zone = TrustZone::new(
        args.trusted_account.clone(),
        args.trusted_organization.clone(),
    )
    .map_err(|e| CliError::Input(e.to_string()))?;
    let owner = TrustZone::new(vec![args.account_id.clone()], Vec::new())
        .map_err(|e| CliError::Input(format!("--account-id: {e}")))?;
    zone.accounts.extend(owner.accounts);
    let reference = reference(args.service_reference.as_ref())?;
    let mut loader = Loader::new(&mut *io.stdin);
    let (_, policy) = super::load_policy(
        &mut loader,
        &args.policy_document,
        "--policy-document",
        PolicyType::Resource,
    )?;
    let opts = FindingsOptions {
        service_reference: reference.as_ref(),
        max_action_questions: 0,
    };
    let started = std::time::Instant::now();
    let f = iamproof_checks::external_access_findings(
        &policy,
        args.resource_type,
        &zone,
        &engine(&args.common),
        &opts,
    );
    let text = match format {
        OutputFormat::Json => output::json_text(&f.to_json_value())?,
        OutputFormat::Text => format!(
            "{}{} finding(s) in {:.2} s\n",
            f.render_table(),
            f.findings.len(),
            started.elapsed().as_secs_f64()
        ),
    };
    output::emit(io.stdout, &text)?;
    Ok(if f.findings.is_empty() && f.complete {
        Exit::Pass
    } else {
        Exit::Fail
    })
}

/// Runs `compare`: exit 0 when the policies are proven equivalent, 1 otherwise (a difference,
/// or undecided).
pub fn compare(args: &CompareArgs, io: &mut Io<'_>) -> Result<Exit, CliError> {
    let format = text_or_json(args.common.output)?;
    let reference = reference(args.service_reference.as_ref())?;
    let ty = args.policy_type.to_policy_type();
    let mut loader = Loader::new(&mut *io.stdin);
    let (_, a) = super::load_policy(&mut loader, &args.policy_a, "--policy-a", ty)?;
    let (_, b) = super::load_policy(&mut loader, &args.policy_b, "--policy-b", ty)?;
    let opts = FindingsOptions {
        service_reference: reference.as_ref(),
        max_action_questions: 0,
    };
    let c = iamproof_checks::compare_policies(&a, &b, &engine(&args.common), &opts);
    let text = match format {
        OutputFormat::Json => output::json_text(&c.to_json_value())?,
        OutputFormat::Text => c.render_text(),
    };
    output::emit(io.stdout, &text)?;
    Ok(
        if c.verdict == iamproof_checks::ComparisonVerdict::Equivalent {
            Exit::Pass
        } else {
            Exit::Fail
        },
    )
}

/// What the findings of a check are about.
pub enum Question<'a> {
    /// check-no-new-access.
    NewAccess(&'a iamproof_policy::Policy, &'a iamproof_policy::Policy),
    /// check-access-not-granted.
    NotGranted(&'a iamproof_policy::Policy, &'a iamproof_checks::AccessSpec),
    /// check-no-public-access.
    Public(&'a iamproof_policy::Policy, ResourceType),
    /// check-no-external-access.
    External(&'a iamproof_policy::Policy, ResourceType, &'a TrustZone),
}

/// With `--findings all`: prints the check's result with its findings and returns the exit
/// status (the check's); `None` without the flag (the caller prints the result as usual).
pub fn finish_with_findings(
    flags: &FindingsFlags,
    question: Question<'_>,
    result: &CheckResult,
    doc: &Document,
    common: &CheckCommon,
    io: &mut Io<'_>,
) -> Result<Option<Exit>, CliError> {
    if flags.findings.is_none() {
        return Ok(None);
    }
    let format = text_or_json(common.output)?;
    let reference = reference(flags.service_reference.as_ref())?;
    let opts = FindingsOptions {
        service_reference: reference.as_ref(),
        max_action_questions: 0,
    };
    let engine = engine(common);
    let findings: Findings = match question {
        // A PASS is a proof that there is nothing to list.
        _ if result.is_pass() => Findings {
            findings: Vec::new(),
            complete: true,
            incomplete_reason: None,
            minimal: true,
            engine: result.engine.clone().unwrap_or_default(),
            questions: 0,
        },
        Question::NewAccess(existing, new) => {
            iamproof_checks::new_access_findings(existing, new, &engine, &opts)
        }
        Question::NotGranted(policy, access) => {
            iamproof_checks::access_not_granted_findings(policy, access, &engine, &opts)
        }
        Question::Public(policy, rt) => {
            iamproof_checks::public_access_findings(policy, rt, &engine, &opts)
        }
        Question::External(policy, rt, zone) => {
            iamproof_checks::external_access_findings(policy, rt, zone, &engine, &opts)
        }
    };
    crate::limits::claim_output();
    let text = match format {
        OutputFormat::Json => {
            let mut v = result.to_json_value();
            if let Some(m) = v.as_object_mut() {
                let fj = findings.to_json_value();
                m.insert("findings".into(), fj["findings"].clone());
                m.insert("findingsComplete".into(), findings.complete.into());
                if let Some(r) = &findings.incomplete_reason {
                    m.insert("findingsIncompleteReason".into(), r.clone().into());
                }
            }
            output::json_text(&v)?
        }
        OutputFormat::Text => {
            let mut t = super::checks::result_text(result, doc);
            let _ = writeln!(t, "\nAll findings:");
            t.push_str(&findings.render_table());
            t
        }
    };
    output::emit(io.stdout, &text)?;
    Ok(Some(if result.is_pass() {
        Exit::Pass
    } else {
        Exit::Fail
    }))
}
