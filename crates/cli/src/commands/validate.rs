//! `validate-policy`.

use crate::cli::ValidatePolicyArgs;
use crate::error::CliError;
use crate::input::Loader;

/// Runs `validate-policy`.
pub fn run(args: &ValidatePolicyArgs) -> Result<i32, CliError> {
    let mut loader = Loader::new();
    let _doc = loader.load(&args.policy_document, "--policy-document")?;
    let _ = (args.policy_type, args.output);
    Err(CliError::Unavailable {
        command: "validate-policy",
        missing: "crates/policy does not provide validate_policy yet",
    })
}
