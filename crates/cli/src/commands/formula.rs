//! `formula`.

use crate::cli::FormulaArgs;
use crate::error::CliError;
use crate::input::Loader;

/// Runs `formula`.
pub fn run(args: &FormulaArgs) -> Result<i32, CliError> {
    let mut loader = Loader::new();
    let (_doc, _policy) = super::load_policy(
        &mut loader,
        &args.policy_document,
        "--policy-document",
        args.policy_type.to_policy_type(),
    )?;
    let _ = args.format;
    Err(CliError::Unavailable {
        command: "formula",
        missing: "crates/logic does not provide encode_policy yet",
    })
}
