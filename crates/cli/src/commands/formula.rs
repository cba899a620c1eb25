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
            let script = iamproof_logic::smtlib_script(&allows);
            let mut t = format!(
                "; iamproof formula: the requests {} allows (sat: some request is allowed)\n",
                doc.origin.to_string().replace('\n', " ")
            );
            if !script.exact {
                t.push_str("; over-approximated (unsat is still a proof):\n");
                for n in &script.notes {
                    t.push_str(&format!(";   {}\n", n.replace('\n', " ")));
                }
            }
            t.push_str(&script.text);
            t
        }
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    output::emit(&text)?;
    Ok(EXIT_OK)
}
