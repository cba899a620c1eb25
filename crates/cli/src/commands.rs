//! The subcommands: read the inputs, call the engine crates, render the answer.

use crate::cli::{Cli, Command};
use crate::error::CliError;
use crate::{Exit, Io};

mod checks;
pub mod findings;
mod formula;
pub mod parse;
mod scan;
pub(crate) mod serve;
mod simulate;
mod validate;

/// Runs a parsed command line; returns the exit status.
pub fn run(cli: Cli, io: &mut Io<'_>) -> Result<Exit, CliError> {
    match cli.command {
        Command::ValidatePolicy(a) => validate::run(&a, io),
        Command::Simulate(a) => simulate::run(&a, io),
        Command::Formula(a) => formula::run(&a, io),
        Command::CheckNoNewAccess(a) => checks::no_new_access(&a, io),
        Command::CheckAccessNotGranted(a) => checks::access_not_granted(&a, io),
        Command::CheckNoPublicAccess(a) => checks::no_public_access(&a, io),
        Command::CheckNoExternalAccess(a) => checks::no_external_access(&a, io),
        Command::Parse(a) => parse::run(&a, io),
        Command::Serve(a) => serve::run(&a, io),
        Command::Validate(a) => scan::validate(&a, io),
        Command::Findings(a) => findings::run(&a, io),
        Command::Compare(a) => findings::compare(&a, io),
    }
}

/// Reads and parses one policy DOC; parse errors read `origin:line:col: path: message`.
pub fn load_policy(
    loader: &mut crate::input::Loader<'_>,
    arg: &str,
    what: &str,
    policy_type: iamproof_policy::PolicyType,
) -> Result<(crate::input::Document, iamproof_policy::Policy), CliError> {
    let doc = loader.load(arg, what)?;
    let policy = iamproof_policy::parse_policy(&doc.text, policy_type)
        .map_err(|e| CliError::policy(&doc, e))?;
    Ok((doc, policy))
}
