//! `formula`: the logic formula a policy stands for.

use crate::cli::{FormulaArgs, FormulaFormat};
use crate::error::{CliError, EXIT_OK};
use crate::input::Loader;
use crate::output;

/// Runs `formula`: prints the formula that holds exactly for the requests the policy allows on
/// its own (some Allow statement applies and no Deny statement does).
pub fn run(args: &FormulaArgs) -> Result<i32, CliError> {
    let mut loader = Loader::new();
    let (doc, policy) = super::load_policy(
        &mut loader,
        &args.policy_document,
        "--policy-document",
        args.policy_type.to_policy_type(),
    )?;
    let encoded = iamproof_logic::encode_policy(&policy).map_err(|e| doc.error(e))?;
    let allows = encoded.allows();
    let mut text = match args.format {
        FormulaFormat::Zelkova => iamproof_logic::to_zelkova(&allows),
        FormulaFormat::Smtlib => {
            return Err(CliError::Unavailable {
                command: "formula --format smtlib",
                missing: "crates/logic does not provide to_smtlib yet",
            })
        }
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    output::emit(&text)?;
    Ok(EXIT_OK)
}
