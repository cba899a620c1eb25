//! `iamproof`: prove facts about AWS IAM policies, offline.
//!
//! Exit status: 0 when the command ran and the answer is "yes" (PASS, no blocking finding), 1
//! when a check ran and the answer is "no" (FAIL, blocking findings), 2 for bad usage, bad input,
//! or an engine error. clap's own usage errors exit with 2 as well.

mod cli;
mod commands;
mod error;
mod input;
mod jsonin;
mod limits;
mod output;
mod request_input;

use clap::Parser;
use std::io::Write;

/// Counts live heap bytes for the watchdog's memory limit (see `limits`).
#[global_allocator]
static ALLOCATOR: limits::CountingAllocator = limits::CountingAllocator;

fn main() {
    // clap prints usage errors to stderr and exits with 2; --help/--version exit with 0.
    let cli = cli::Cli::parse();
    if let Some(l) = cli.command.limits() {
        limits::start(l);
    }
    let code = match commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            limits::claim_output();
            let _ = writeln!(std::io::stderr(), "error: {e}");
            e.exit_code()
        }
    };
    std::process::exit(code);
}
