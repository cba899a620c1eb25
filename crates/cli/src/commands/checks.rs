//! The four check commands. The checks themselves live in `iamproof-checks`; this module reads
//! the inputs, picks the solver, and renders the result.

use crate::cli::{
    CheckAccessNotGrantedArgs, CheckCommon, CheckNoExternalAccessArgs, CheckNoNewAccessArgs,
    CheckNoPublicAccessArgs, CheckPolicyTypeArg, OutputFormat, ReportFormat, SolverArg,
};
use crate::error::CliError;
use crate::input::{Document, Loader};
use crate::{jsonin, output};
use crate::{Exit, Io};
use iamproof_checks::{AccessSpec, Backend, CheckOptions, CheckResult, TrustZone};
use iamproof_policy::PolicyType;
use serde::Deserialize;
use std::fmt::Write;

/// One item of `--access`, as in CheckAccessNotGranted's `Access`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessItem {
    /// Actions (`service:Name`, wildcards allowed).
    #[serde(default)]
    pub actions: Vec<String>,
    /// Resource ARNs (wildcards allowed in the resource id).
    #[serde(default)]
    pub resources: Vec<String>,
}

/// Reads and checks `--access`, in one of three forms (README, "check-access-not-granted"):
/// * the API's `access` list, `[{"actions":[…],"resources":[…]}]`, as inline JSON, file://PATH,
///   PATH or -, with located JSON errors;
/// * that list's one object alone, `{"actions":[…]}` (what the list holds; the library's
///   `AccessSpec::from_json` accepts it too);
/// * the AWS CLI's shorthand for one item, `actions=s3:DeleteBucket,s3:GetObject,resources=ARN,…`
///   (values may be bracketed, `actions=[a,b]`), so an `aws accessanalyzer
///   check-access-not-granted` command line can be reused as it is.
///
/// The limits (1 item, 100 actions, 100 resources, ARNs ≤ 2048 characters) are AWS's.
pub fn parse_access(arg: &str, loader: &mut Loader) -> Result<AccessSpec, CliError> {
    if arg.starts_with("actions=") || arg.starts_with("resources=") {
        let item = access_shorthand(arg)?;
        return AccessSpec::new(item.actions, item.resources)
            .map_err(|e| CliError::Input(format!("--access {arg:?}: {e}")));
    }
    let doc = loader.load(arg, "--access")?;
    let item = if doc.text.trim_start().starts_with('{') {
        jsonin::parse::<AccessItem>(&doc)?
    } else {
        let mut items: Vec<AccessItem> = jsonin::parse(&doc)?;
        if items.len() > 1 {
            return Err(doc.error(format_args!(
                "at most 1 access item is allowed (as in CheckAccessNotGranted), found {}",
                items.len()
            )));
        }
        items.pop().ok_or_else(|| {
            doc.error("give one access item: [{\"actions\":[…],\"resources\":[…]}]")
        })?
    };
    AccessSpec::new(item.actions, item.resources).map_err(|e| doc.error(e))
}

/// Parses the AWS CLI shorthand of one access item: `actions=a,b,resources=r1,r2` (either field
/// may be left out; `actions=[a,b]` brackets are allowed). An item after a comma that does not
/// start a new `actions=`/`resources=` field continues the current list.
fn access_shorthand(arg: &str) -> Result<AccessItem, CliError> {
    let bad = |m: String| CliError::Input(format!("--access {arg:?}: {m}"));
    let mut item = AccessItem {
        actions: Vec::new(),
        resources: Vec::new(),
    };
    let mut seen: Vec<&str> = Vec::new();
    let mut current: Option<&str> = None;
    let mut bracket = false;
    for part in arg.split(',') {
        let value = match part.split_once('=') {
            Some((field @ ("actions" | "resources"), value)) if !bracket => {
                if seen.contains(&field) {
                    return Err(bad(format!("{field} is given twice")));
                }
                seen.push(field);
                current = Some(field);
                match value.strip_prefix('[') {
                    Some(rest) => {
                        bracket = true;
                        rest
                    }
                    None => value,
                }
            }
            _ if current.is_some() => part,
            _ => {
                return Err(bad(format!(
                    "expected actions=… or resources=…, found {part:?}"
                )))
            }
        };
        let value = match value.strip_suffix(']') {
            Some(v) if bracket => {
                bracket = false;
                v
            }
            _ => value,
        };
        if value.is_empty() {
            continue;
        }
        match current {
            Some("actions") => item.actions.push(value.to_string()),
            _ => item.resources.push(value.to_string()),
        }
    }
    if bracket {
        return Err(bad("a list opened with [ is not closed with ]".to_string()));
    }
    Ok(item)
}

pub(super) fn options(common: &CheckCommon) -> CheckOptions {
    let backend = match common.solver {
        SolverArg::Native => Backend::Native,
        SolverArg::Z3 => Backend::Z3,
        SolverArg::Cvc5 => Backend::Cvc5,
        SolverArg::Portfolio => Backend::Portfolio,
    };
    CheckOptions {
        backend,
        timeout: std::time::Duration::from_secs(common.timeout),
    }
}

/// The output format of a document-mode check (SARIF needs a template).
fn document_output(format: ReportFormat) -> Result<OutputFormat, CliError> {
    match format {
        ReportFormat::Text => Ok(OutputFormat::Text),
        ReportFormat::Json => Ok(OutputFormat::Json),
        ReportFormat::Sarif => Err(CliError::Usage(
            "--output sarif needs --template-path (a policy document gives text or json)".into(),
        )),
    }
}

/// Refuses template-mode flags in document mode (`flag` is the first one given).
fn no_template_flags(flag: Option<&'static str>) -> Result<(), CliError> {
    match flag {
        Some(flag) => Err(CliError::Usage(format!(
            "{flag} needs --template-path (it is a template-mode option)"
        ))),
        None => Ok(()),
    }
}

/// A document-mode flag clap requires unless `--template-path` is given.
fn required<'a, T>(value: &'a Option<T>, flag: &str) -> Result<&'a T, CliError> {
    value
        .as_ref()
        .ok_or_else(|| CliError::Usage(format!("{flag} is required")))
}

/// Prints a result and gives the exit status: 0 PASS, 1 FAIL. `doc` is the document the
/// reasons point into.
/// A check's text report: the result quoting its statements from the document, then one
/// `origin:line:column: reason` line per located reason (for editors and CI annotations).
pub(super) fn result_text(result: &CheckResult, doc: &Document) -> String {
    let mut t = result.render_text(&doc.text);
    let located: Vec<_> = result
        .reasons
        .iter()
        .filter_map(|r| r.location.map(|l| (l, &r.description)))
        .collect();
    if !located.is_empty() {
        t.push('\n');
        for (l, d) in located {
            let _ = writeln!(t, "{}:{}: {d}", doc.origin, l.span.start);
        }
    }
    t
}

fn finish(
    result: &CheckResult,
    doc: &Document,
    format: ReportFormat,
    io: &mut Io<'_>,
) -> Result<Exit, CliError> {
    let format = document_output(format)?;
    // The watchdog of `crate::limits` must not print after or over this answer.
    crate::limits::claim_output();
    let text = match format {
        OutputFormat::Json => output::json_text(result)?,
        OutputFormat::Text => result_text(result, doc),
    };
    output::emit(io.stdout, &text)?;
    Ok(if result.is_pass() {
        Exit::Pass
    } else {
        Exit::Fail
    })
}

/// Runs `check-no-new-access`.
pub fn no_new_access(args: &CheckNoNewAccessArgs, io: &mut Io<'_>) -> Result<Exit, CliError> {
    if let Some(path) = &args.template_path {
        args.findings.document_mode_only()?;
        return super::scan::no_new_access(args, path, io);
    }
    no_template_flags(args.template.first_given().or_else(|| {
        [
            (args.base_template_path.is_some(), "--base-template-path"),
            (args.base_ref.is_some(), "--base-ref"),
            (args.reference_policy.is_some(), "--reference-policy"),
            (args.allow_added, "--allow-added"),
            (
                args.treat_findings_as_non_blocking,
                "--treat-findings-as-non-blocking",
            ),
        ]
        .into_iter()
        .find_map(|(given, flag)| given.then_some(flag))
    }))?;
    document_output(args.common.output)?;
    let mut loader = Loader::new(&mut *io.stdin);
    let ty = required(&args.policy_type, "--policy-type")?.to_policy_type();
    let (_, existing) = super::load_policy(
        &mut loader,
        required(&args.existing_policy_document, "--existing-policy-document")?,
        "--existing-policy-document",
        ty,
    )?;
    let (new_doc, new) = super::load_policy(
        &mut loader,
        required(&args.new_policy_document, "--new-policy-document")?,
        "--new-policy-document",
        ty,
    )?;
    let result = iamproof_checks::check_no_new_access(&existing, &new, &options(&args.common));
    let question = super::findings::Question::NewAccess(&existing, &new);
    let flags = &args.findings;
    if let Some(code) =
        super::findings::finish_with_findings(flags, question, &result, &new_doc, &args.common, io)?
    {
        return Ok(code);
    }
    finish(&result, &new_doc, args.common.output, io)
}

/// Runs `check-access-not-granted`.
pub fn access_not_granted(
    args: &CheckAccessNotGrantedArgs,
    io: &mut Io<'_>,
) -> Result<Exit, CliError> {
    if let Some(path) = &args.template_path {
        args.findings.document_mode_only()?;
        return super::scan::access_not_granted(args, path, io);
    }
    no_template_flags(args.template.first_given().or_else(|| {
        [
            (!args.actions.is_empty(), "--actions"),
            (!args.resources.is_empty(), "--resources"),
            (
                args.treat_findings_as_non_blocking,
                "--treat-findings-as-non-blocking",
            ),
        ]
        .into_iter()
        .find_map(|(given, flag)| given.then_some(flag))
    }))?;
    document_output(args.common.output)?;
    let mut loader = Loader::new(&mut *io.stdin);
    let policy_type: &CheckPolicyTypeArg = required(&args.policy_type, "--policy-type")?;
    let (doc, policy) = super::load_policy(
        &mut loader,
        required(&args.policy_document, "--policy-document")?,
        "--policy-document",
        policy_type.to_policy_type(),
    )?;
    let access = parse_access(required(&args.access, "--access")?, &mut loader)?;
    crate::limits::set_check(iamproof_checks::CheckKind::AccessNotGranted {
        with_resources: !access.resources.is_empty(),
    });
    let result =
        iamproof_checks::check_access_not_granted(&policy, &access, &options(&args.common));
    let question = super::findings::Question::NotGranted(&policy, &access);
    let flags = &args.findings;
    if let Some(code) =
        super::findings::finish_with_findings(flags, question, &result, &doc, &args.common, io)?
    {
        return Ok(code);
    }
    finish(&result, &doc, args.common.output, io)
}

/// Runs `check-no-public-access`.
pub fn no_public_access(args: &CheckNoPublicAccessArgs, io: &mut Io<'_>) -> Result<Exit, CliError> {
    if let Some(path) = &args.template_path {
        args.findings.document_mode_only()?;
        return super::scan::no_public_access(args, path, io);
    }
    no_template_flags(
        args.template.first_given().or(args
            .treat_findings_as_non_blocking
            .then_some("--treat-findings-as-non-blocking")),
    )?;
    document_output(args.common.output)?;
    let resource_type = *required(&args.resource_type, "--resource-type")?;
    let mut loader = Loader::new(&mut *io.stdin);
    let (doc, policy) = super::load_policy(
        &mut loader,
        required(&args.policy_document, "--policy-document")?,
        "--policy-document",
        PolicyType::Resource,
    )?;
    let result =
        iamproof_checks::check_no_public_access(&policy, resource_type, &options(&args.common));
    let question = super::findings::Question::Public(&policy, resource_type);
    let flags = &args.findings;
    if let Some(code) =
        super::findings::finish_with_findings(flags, question, &result, &doc, &args.common, io)?
    {
        return Ok(code);
    }
    finish(&result, &doc, args.common.output, io)
}

/// Runs `check-no-external-access`.
pub fn no_external_access(
    args: &CheckNoExternalAccessArgs,
    io: &mut Io<'_>,
) -> Result<Exit, CliError> {
    let trusted = TrustZone::new(
        args.trusted_account.clone(),
        args.trusted_organization.clone(),
    )
    .map_err(|e| CliError::Input(e.to_string()))?;
    document_output(args.common.output)?;
    let mut loader = Loader::new(&mut *io.stdin);
    let (doc, policy) = super::load_policy(
        &mut loader,
        &args.policy_document,
        "--policy-document",
        PolicyType::Resource,
    )?;
    let result = iamproof_checks::check_no_external_access(
        &policy,
        args.resource_type,
        &trusted,
        &options(&args.common),
    );
    let question = super::findings::Question::External(&policy, args.resource_type, &trusted);
    let flags = &args.findings;
    if let Some(code) =
        super::findings::finish_with_findings(flags, question, &result, &doc, &args.common, io)?
    {
        return Ok(code);
    }
    finish(&result, &doc, args.common.output, io)
}
