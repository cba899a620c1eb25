//! The subcommands: read the inputs, call the engine crates, render the answer.

use crate::cli::{Cli, Command};
use crate::error::CliError;

mod checks;
pub mod findings;
mod formula;
pub mod parse;
mod scan;
pub(crate) mod serve;
mod simulate;
mod validate;

/// Runs a parsed command line; returns the exit status.
pub fn run(cli: Cli) -> Result<i32, CliError> {
    match cli.command {
        Command::ValidatePolicy(a) => validate::run(&a),
        Command::Simulate(a) => simulate::run(&a),
        Command::Formula(a) => formula::run(&a),
        Command::CheckNoNewAccess(a) => checks::no_new_access(&a),
        Command::CheckAccessNotGranted(a) => checks::access_not_granted(&a),
        Command::CheckNoPublicAccess(a) => checks::no_public_access(&a),
        Command::CheckNoExternalAccess(a) => checks::no_external_access(&a),
        Command::Parse(a) => parse::run(&a),
        Command::Serve(a) => serve::run(&a),
        Command::Validate(a) => scan::validate(&a),
        Command::Findings(a) => findings::run(&a),
        Command::Compare(a) => findings::compare(&a),
    }
}

/// Reads and parses one policy DOC; parse errors read `origin:line:col: path: message`.
pub fn load_policy(
    loader: &mut crate::input::Loader,
    arg: &str,
    what: &str,
    policy_type: iamproof_policy::PolicyType,
) -> Result<(crate::input::Document, iamproof_policy::Policy), CliError> {
    let doc = loader.load(arg, what)?;
    let policy =
        iamproof_policy::parse_policy(&doc.text, policy_type).map_err(|e| doc.error_at(e))?;
    Ok((doc, policy))
}
