//! The four check commands. The checks themselves live in `iamproof-checks`.

use crate::cli::{
    CheckAccessNotGrantedArgs, CheckNoExternalAccessArgs, CheckNoNewAccessArgs,
    CheckNoPublicAccessArgs,
};
use crate::error::CliError;
use crate::input::{Document, Loader};
use crate::jsonin;
use serde::Deserialize;

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

/// The `--access` limits of the AWS API (anchors §2.2).
const MAX_ACCESS_ITEMS: usize = 1;
const MAX_ACCESS_VALUES: usize = 100;
const MAX_RESOURCE_LEN: usize = 2048;

/// Reads and checks `--access` (inline JSON, file://PATH, PATH or -).
pub fn parse_access(
    arg: &str,
    loader: &mut Loader,
) -> Result<(Document, Vec<AccessItem>), CliError> {
    let doc = loader.load(arg, "--access")?;
    let items: Vec<AccessItem> = jsonin::parse(&doc)?;
    if items.len() > MAX_ACCESS_ITEMS {
        return Err(doc.error(format_args!(
            "at most {MAX_ACCESS_ITEMS} access item is allowed (as in CheckAccessNotGranted), found {}",
            items.len()
        )));
    }
    for (i, item) in items.iter().enumerate() {
        if item.actions.is_empty() && item.resources.is_empty() {
            return Err(doc.error(format_args!(
                "[{i}]: give at least one of \"actions\" and \"resources\""
            )));
        }
        for (field, list) in [("actions", &item.actions), ("resources", &item.resources)] {
            if list.len() > MAX_ACCESS_VALUES {
                return Err(doc.error(format_args!(
                    "[{i}].{field}: at most {MAX_ACCESS_VALUES} values are allowed, found {}",
                    list.len()
                )));
            }
        }
        for (j, r) in item.resources.iter().enumerate() {
            if r.len() > MAX_RESOURCE_LEN {
                return Err(doc.error(format_args!(
                    "[{i}].resources[{j}]: a resource is at most {MAX_RESOURCE_LEN} characters, found {}",
                    r.len()
                )));
            }
        }
    }
    Ok((doc, items))
}

fn unavailable(command: &'static str) -> CliError {
    CliError::Unavailable {
        command,
        missing: "crates/checks does not provide this check yet",
    }
}

/// Runs `check-no-new-access`.
pub fn no_new_access(args: &CheckNoNewAccessArgs) -> Result<i32, CliError> {
    let mut loader = Loader::new();
    let ty = args.policy_type.to_policy_type();
    let _existing = super::load_policy(
        &mut loader,
        &args.existing_policy_document,
        "--existing-policy-document",
        ty,
    )?;
    let _new = super::load_policy(
        &mut loader,
        &args.new_policy_document,
        "--new-policy-document",
        ty,
    )?;
    let _ = (args.common.output, args.common.solver);
    Err(unavailable("check-no-new-access"))
}

/// Runs `check-access-not-granted`.
pub fn access_not_granted(args: &CheckAccessNotGrantedArgs) -> Result<i32, CliError> {
    let mut loader = Loader::new();
    let _policy = super::load_policy(
        &mut loader,
        &args.policy_document,
        "--policy-document",
        args.policy_type.to_policy_type(),
    )?;
    let _access = parse_access(&args.access, &mut loader)?;
    Err(unavailable("check-access-not-granted"))
}

/// Runs `check-no-public-access`.
pub fn no_public_access(args: &CheckNoPublicAccessArgs) -> Result<i32, CliError> {
    let mut loader = Loader::new();
    let _policy = super::load_policy(
        &mut loader,
        &args.policy_document,
        "--policy-document",
        iamproof_policy::PolicyType::Resource,
    )?;
    let _ = &args.resource_type;
    Err(unavailable("check-no-public-access"))
}

/// Runs `check-no-external-access`.
pub fn no_external_access(args: &CheckNoExternalAccessArgs) -> Result<i32, CliError> {
    let mut loader = Loader::new();
    let _policy = super::load_policy(
        &mut loader,
        &args.policy_document,
        "--policy-document",
        iamproof_policy::PolicyType::Resource,
    )?;
    let _ = (
        &args.resource_type,
        &args.trusted_account,
        &args.trusted_organization,
    );
    Err(unavailable("check-no-external-access"))
}
