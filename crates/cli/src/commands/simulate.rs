//! `simulate`: concrete requests against a set of policies, with the reference evaluator.

use crate::cli::SimulateArgs;
use crate::error::CliError;
use crate::input::{Document, Loader};
use crate::jsonin;
use crate::request_input::{self, RequestFile, DEFAULT_CALLER_ARN};
use iamproof_eval::{Principal, Request};
use iamproof_policy::{Policy, PolicyType};

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
    for a in &actions {
        check_action(a)?;
    }
    let mut out = Vec::new();
    for action in &actions {
        for resource in &resources {
            out.push(Request {
                principal: principal.clone(),
                action: action.clone(),
                resource: resource.clone(),
                resource_account: resource_account.clone(),
                context: context.clone(),
            });
        }
    }
    Ok(out)
}

/// A request names one concrete action: `service:Name`, no wildcards.
fn check_action(a: &str) -> Result<(), CliError> {
    let ok = match a.split_once(':') {
        Some((svc, name)) => {
            !svc.is_empty() && !name.is_empty() && !name.contains(':') && !a.contains(['*', '?'])
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err(CliError::Input(format!(
            "action {a:?}: a request names one concrete action, service:Name (no wildcards)"
        )))
    }
}

/// Runs `simulate`.
pub fn run(args: &SimulateArgs) -> Result<i32, CliError> {
    let mut loader = Loader::new();
    let _policies = load_policies(args, &mut loader)?;
    let _requests = requests(args, &mut loader)?;
    let _ = args.output;
    Err(CliError::Unavailable {
        command: "simulate",
        missing: "crates/eval does not provide evaluate yet",
    })
}
