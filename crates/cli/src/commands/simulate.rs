//! `simulate`: concrete requests against a set of policies, with the reference evaluator.

use crate::cli::{OutputFormat, SimulateArgs};
use crate::error::CliError;
use crate::input::{Document, Loader};
use crate::jsonin;
use crate::output;
use crate::request_input::{self, RequestFile, DEFAULT_CALLER_ARN};
use crate::{Exit, Io};
use iamproof_eval::{
    evaluate, Decision, PolicyKind, PolicyRef, PolicySet, Principal, Request, StatementRef,
};
use iamproof_policy::{Policy, PolicyType};
use serde::Serialize;

/// Which slot of the evaluation a policy fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// `--policy-input-list`.
    Identity,
    /// `--resource-policy`.
    Resource,
    /// `--permissions-boundary-policy-input-list`.
    Boundary,
    /// `--session-policy`.
    Session,
    /// `--scp`.
    Scp,
    /// `--rcp`.
    Rcp,
}

impl Slot {
    fn policy_type(self) -> PolicyType {
        match self {
            Slot::Identity | Slot::Boundary | Slot::Session => PolicyType::Identity,
            Slot::Resource => PolicyType::Resource,
            Slot::Scp => PolicyType::ServiceControl,
            Slot::Rcp => PolicyType::ResourceControl,
        }
    }

    fn option(self) -> &'static str {
        match self {
            Slot::Identity => "--policy-input-list",
            Slot::Resource => "--resource-policy",
            Slot::Boundary => "--permissions-boundary-policy-input-list",
            Slot::Session => "--session-policy",
            Slot::Scp => "--scp",
            Slot::Rcp => "--rcp",
        }
    }
}

/// A policy read for simulation.
#[derive(Debug)]
pub struct Loaded {
    /// Its slot.
    pub slot: Slot,
    /// Its text and origin.
    pub doc: Document,
    /// The parsed policy.
    pub policy: Policy,
}

/// Reads every policy of the command line, in slot order.
fn load_policies(args: &SimulateArgs, loader: &mut Loader) -> Result<Vec<Loaded>, CliError> {
    let mut lists: Vec<(Slot, Vec<&String>)> = vec![
        (Slot::Identity, args.policy_input_list.iter().collect()),
        (Slot::Resource, args.resource_policy.iter().collect()),
        (
            Slot::Boundary,
            args.permissions_boundary_policy_input_list.iter().collect(),
        ),
        (Slot::Session, args.session_policy.iter().collect()),
        (Slot::Scp, args.scp.iter().collect()),
        (Slot::Rcp, args.rcp.iter().collect()),
    ];
    let mut out = Vec::new();
    for (slot, list) in lists.drain(..) {
        for arg in list {
            let (doc, policy) = super::load_policy(loader, arg, slot.option(), slot.policy_type())?;
            out.push(Loaded { slot, doc, policy });
        }
    }
    if !out
        .iter()
        .any(|l| matches!(l.slot, Slot::Identity | Slot::Resource))
    {
        return Err(CliError::Usage(
            "give at least one policy that can allow: --policy-input-list or --resource-policy"
                .to_string(),
        ));
    }
    Ok(out)
}

/// Builds the requests to evaluate from the flags and the `--request` file.
pub fn requests(args: &SimulateArgs, loader: &mut Loader) -> Result<Vec<Request>, CliError> {
    let file = match &args.request {
        Some(arg) => {
            let doc = loader.load(arg, "--request")?;
            let r: RequestFile = jsonin::parse(&doc)?;
            Some(r)
        }
        None => None,
    };
    let flag_principal = if args.anonymous {
        Some(Principal::Anonymous)
    } else if let Some(s) = &args.service_principal {
        Some(Principal::Service(s.clone()))
    } else if let Some(a) = &args.caller_arn {
        Some(
            request_input::aws_principal(a)
                .map_err(|m| CliError::Input(format!("--caller-arn: {m}")))?,
        )
    } else {
        None
    };
    let principal =
        match (
            flag_principal,
            file.as_ref().and_then(|f| f.principal.clone()),
        ) {
            (Some(p), _) => p,
            (None, Some(p)) => p.0,
            (None, None) if args.resource_policy.is_some() => return Err(CliError::Usage(
                "--caller-arn (or --anonymous, --service-principal, or a principal in --request) \
                 is required with --resource-policy, as in aws iam simulate-custom-policy"
                    .to_string(),
            )),
            (None, None) => Principal::Arn(DEFAULT_CALLER_ARN.to_string()),
        };
    let mut context = match &file {
        Some(f) => f.context.to_context(),
        None => iamproof_eval::Context::new(),
    };
    for (k, v) in request_input::context_entries(&args.context_entries, loader)?.iter() {
        context.insert(k, v.clone());
    }
    let resource_account = args
        .resource_owner
        .clone()
        .or_else(|| file.as_ref().and_then(|f| f.resource_account.clone()));
    if let Some(acct) = &resource_account {
        if acct.len() != 12 || !acct.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CliError::Input(format!(
                "--resource-owner: {acct:?} is not a 12-digit account id"
            )));
        }
    }
    let (actions, resources): (Vec<String>, Vec<String>) = match &file {
        Some(f) => (
            vec![f.action.clone()],
            vec![f.resource.clone().unwrap_or_else(|| "*".to_string())],
        ),
        None => {
            if args.action_names.is_empty() {
                return Err(CliError::Usage(
                    "give --action-names ACTION... or --request FILE".to_string(),
                ));
            }
            let resources = if args.resource_arns.is_empty() {
                vec!["*".to_string()]
            } else {
                args.resource_arns.clone()
            };
            (args.action_names.clone(), resources)
        }
    };
    let mut out = Vec::new();
    for action in &actions {
        for resource in &resources {
            let request = Request {
                principal: principal.clone(),
                action: action.clone(),
                resource: resource.clone(),
                resource_account: resource_account.clone(),
                context: context.clone(),
            };
            // The same shape the checks' example requests have (iamproof_eval's predicate).
            request
                .check_concrete()
                .map_err(|e| CliError::Input(e.to_string()))?;
            out.push(request);
        }
    }
    Ok(out)
}

/// The policies of the command line, as the evaluator's set plus what is needed to point back
/// into their documents.
struct LoadedSet {
    set: PolicySet,
    /// Documents by (kind, index) in the set.
    docs: Vec<(PolicyKind, usize, Document)>,
}

fn build_set(loaded: Vec<Loaded>) -> LoadedSet {
    let mut set = PolicySet::default();
    let mut docs = Vec::new();
    // All --scp documents apply at one level (ORed, as SCPs attached to the same account), and
    // so do all --rcp documents.
    let mut scps = Vec::new();
    let mut rcps = Vec::new();
    for l in loaded {
        let (kind, index) = match l.slot {
            Slot::Identity => {
                set.identity.push(l.policy);
                (PolicyKind::Identity, set.identity.len() - 1)
            }
            Slot::Resource => {
                set.resource = Some(l.policy);
                (PolicyKind::Resource, 0)
            }
            Slot::Boundary => {
                set.permission_boundaries.push(l.policy);
                (
                    PolicyKind::PermissionBoundary,
                    set.permission_boundaries.len() - 1,
                )
            }
            Slot::Session => {
                set.session = Some(l.policy);
                (PolicyKind::Session, 0)
            }
            Slot::Scp => {
                scps.push(l.policy);
                (PolicyKind::ServiceControl { level: 0 }, scps.len() - 1)
            }
            Slot::Rcp => {
                rcps.push(l.policy);
                (PolicyKind::ResourceControl { level: 0 }, rcps.len() - 1)
            }
        };
        docs.push((kind, index, l.doc));
    }
    if !scps.is_empty() {
        set.scps.push(scps);
    }
    if !rcps.is_empty() {
        set.rcps.push(rcps);
    }
    LoadedSet { set, docs }
}

impl LoadedSet {
    fn policy(&self, r: &PolicyRef) -> Option<&Policy> {
        match r.kind {
            PolicyKind::Identity => self.set.identity.get(r.index),
            PolicyKind::Resource => self.set.resource.as_ref(),
            PolicyKind::PermissionBoundary => self.set.permission_boundaries.get(r.index),
            PolicyKind::Session => self.set.session.as_ref(),
            PolicyKind::ServiceControl { level } => {
                self.set.scps.get(level).and_then(|l| l.get(r.index))
            }
            PolicyKind::ResourceControl { level } => {
                self.set.rcps.get(level).and_then(|l| l.get(r.index))
            }
            PolicyKind::Endpoint => self.set.endpoint.get(r.index),
        }
    }

    fn doc(&self, r: &PolicyRef) -> Option<&Document> {
        self.docs
            .iter()
            .find(|(k, i, _)| *k == r.kind && *i == r.index)
            .map(|(_, _, d)| d)
    }
}

fn kind_name(k: PolicyKind) -> &'static str {
    match k {
        PolicyKind::Identity => "identity",
        PolicyKind::Resource => "resource",
        PolicyKind::PermissionBoundary => "permissions-boundary",
        PolicyKind::Session => "session",
        PolicyKind::ServiceControl { .. } => "scp",
        PolicyKind::ResourceControl { .. } => "rcp",
        PolicyKind::Endpoint => "endpoint",
    }
}

/// `aws iam simulate-*`'s `EvalDecision` spelling.
fn decision_name(d: Decision) -> &'static str {
    match d {
        Decision::Allowed => "allowed",
        Decision::ExplicitlyDenied => "explicitDeny",
        Decision::ImplicitlyDenied => "implicitDeny",
    }
}

/// A JSON position: 1-based line and column, as the text output prints them.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JsonPosition {
    line: u32,
    column: u32,
}

/// One entry of `MatchedStatements`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct MatchedStatement {
    source_policy_id: String,
    source_policy_type: &'static str,
    statement_index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    statement_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_position: Option<JsonPosition>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_position: Option<JsonPosition>,
}

/// One entry of `EvaluationResults`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct EvaluationResult {
    eval_action_name: String,
    eval_resource_name: String,
    eval_decision: &'static str,
    matched_statements: Vec<MatchedStatement>,
}

fn matched(set: &LoadedSet, r: &StatementRef) -> MatchedStatement {
    let span = set
        .policy(&r.policy)
        .and_then(|p| p.statements.get(r.statement_index))
        .map(|st| st.span);
    let pos = |p: iamproof_policy::Position| JsonPosition {
        line: p.line,
        column: p.column + 1,
    };
    MatchedStatement {
        source_policy_id: set
            .doc(&r.policy)
            .map(|d| d.origin.to_string())
            .unwrap_or_default(),
        source_policy_type: kind_name(r.policy.kind),
        statement_index: r.statement_index,
        statement_id: r.sid.clone(),
        start_position: span.map(|s| pos(s.start)),
        end_position: span.map(|s| pos(s.end)),
    }
}

/// Runs `simulate`. Exit status 0 whatever the decisions.
pub fn run(args: &SimulateArgs, io: &mut Io<'_>) -> Result<Exit, CliError> {
    let mut loader = Loader::new(&mut *io.stdin);
    let set = build_set(load_policies(args, &mut loader)?);
    let requests = requests(args, &mut loader)?;
    let results: Vec<EvaluationResult> = requests
        .iter()
        .map(|req| {
            let ev = evaluate(&set.set, req);
            EvaluationResult {
                eval_action_name: req.action.clone(),
                eval_resource_name: req.resource.clone(),
                eval_decision: decision_name(ev.decision),
                matched_statements: ev.deciding.iter().map(|r| matched(&set, r)).collect(),
            }
        })
        .collect();
    let text = match args.output {
        OutputFormat::Json => {
            output::json_text(&serde_json::json!({ "EvaluationResults": results }))?
        }
        OutputFormat::Text => render(&results),
    };
    output::emit(io.stdout, &text)?;
    Ok(Exit::Pass)
}

fn render(results: &[EvaluationResult]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for r in results {
        let _ = writeln!(
            out,
            "{} on {}: {}",
            r.eval_action_name, r.eval_resource_name, r.eval_decision
        );
        for m in &r.matched_statements {
            let at = match &m.start_position {
                Some(p) => format!("{}:{}:{}", m.source_policy_id, p.line, p.column),
                None => m.source_policy_id.clone(),
            };
            let sid = match &m.statement_id {
                Some(s) => format!(" (Sid {s:?})"),
                None => String::new(),
            };
            let verb = if r.eval_decision == "explicitDeny" {
                "denied by"
            } else {
                "allowed by"
            };
            let _ = writeln!(
                out,
                "    {verb} {at}: {} policy, statement {}{sid}",
                m.source_policy_type, m.statement_index
            );
        }
        if r.matched_statements.is_empty() && r.eval_decision == "implicitDeny" {
            let _ = writeln!(out, "    no statement allows it");
        }
    }
    out
}
