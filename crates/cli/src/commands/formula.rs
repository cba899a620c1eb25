//! `formula`: the logic formula a policy stands for.

use crate::cli::{FormulaArgs, FormulaFormat, PolicyTypeArg};
use crate::error::CliError;
use crate::input::Loader;
use crate::output;
use crate::{Exit, Io};

/// Runs `formula`: prints the formula that holds exactly for the requests the policy allows on
/// its own (some Allow statement applies and no Deny statement does). Without `--policy-type`
/// the document is read as an `IDENTITY_POLICY`; when that fails and it would parse as a
/// `RESOURCE_POLICY` (it has a `Principal`), the error ends with a note saying so.
pub fn run(args: &FormulaArgs, io: &mut Io<'_>) -> Result<Exit, CliError> {
    let mut loader = Loader::new(&mut *io.stdin);
    let ty = args.policy_type.unwrap_or(PolicyTypeArg::Identity);
    let doc = loader.load(&args.policy_document, "--policy-document")?;
    let policy = match iamproof_policy::parse_policy(&doc.text, ty.to_policy_type()) {
        Ok(p) => p,
        Err(e) => {
            let resource = iamproof_policy::PolicyType::Resource;
            let note = if args.policy_type.is_none()
                && iamproof_policy::parse_policy(&doc.text, resource).is_ok()
            {
                "\nnote: without --policy-type the document is read as an IDENTITY_POLICY (the \
                 default); it parses as a RESOURCE_POLICY: give --policy-type RESOURCE_POLICY"
            } else {
                ""
            };
            let mut error = CliError::policy(&doc, e);
            if let CliError::Policy(p) = &mut error {
                p.note = note.to_string();
            }
            return Err(error);
        }
    };
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
    output::emit(io.stdout, &text)?;
    Ok(Exit::Pass)
}
