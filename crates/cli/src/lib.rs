//! The `iamproof` command line as a library: [`run`] parses the arguments, runs one command with
//! the given standard streams, prints its answer or its error, and gives the [`Exit`] status.
//!
//! The binary (`main.rs`) is a thin wrapper over [`run`]; tests call [`run`] in-process with
//! in-memory streams. The hard limits of check commands (a watchdog thread that ends the process,
//! and a counting global allocator) belong to the binary: the library installs no allocator and
//! starts the watchdog only when [`Options::watchdog`] asks for it.
//!
//! Exit status: 0 when the command ran and the answer is "yes" (PASS, no blocking finding), 1
//! when a check ran and the answer is "no" (FAIL, blocking findings), 2 for bad usage, bad input,
//! or an engine error. clap's own usage errors exit with 2 as well.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

mod cli;
mod commands;
mod diagnostics;
mod error;
mod exit;
mod input;
mod jsonin;
mod limits;
mod output;
mod request_input;

pub use error::CliError;
pub use exit::Exit;
pub use limits::CountingAllocator;

use clap::Parser;
use std::ffi::OsString;
use std::io::{Read, Write};

/// The standard streams a run reads and writes.
pub struct Io<'a> {
    /// Standard input (read only for a `-` document).
    pub stdin: &'a mut dyn Read,
    /// Standard output: the answer.
    pub stdout: &'a mut dyn Write,
    /// Standard error: errors and summaries.
    pub stderr: &'a mut dyn Write,
    /// Whether standard output takes colours (a terminal).
    pub stdout_color: bool,
    /// Whether standard error takes colours (a terminal).
    pub stderr_color: bool,
}

/// How [`run`] runs, beyond the arguments.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Start the watchdog of check commands (see the binary's docs): when their time or memory
    /// limit is reached it prints FAIL and ends the *process* with status 1. Only the binary
    /// should ask for it; the memory limit needs [`CountingAllocator`] as the global allocator.
    pub watchdog: bool,
}

/// Runs the command line `args` (the program name first, as `std::env::args_os` gives it).
pub fn run<I, T>(args: I, io: &mut Io<'_>, options: Options) -> Exit
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    // clap's usage errors go to stderr with status 2; --help/--version to stdout with status 0.
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let (out, color): (&mut dyn Write, bool) = if e.use_stderr() {
                (&mut *io.stderr, io.stderr_color)
            } else {
                (&mut *io.stdout, io.stdout_color)
            };
            let styled = e.render();
            let _ = if color {
                write!(out, "{}", styled.ansi())
            } else {
                write!(out, "{styled}")
            };
            let _ = out.flush();
            return if e.exit_code() == 0 {
                Exit::Pass
            } else {
                Exit::Error
            };
        }
    };
    if options.watchdog {
        if let Some(l) = cli.command.limits() {
            limits::start(l);
        }
    }
    match commands::run(cli, io) {
        Ok(code) => code,
        Err(e) => {
            limits::claim_output();
            diagnostics::write_error(io.stderr, &e, io.stderr_color);
            e.exit()
        }
    }
}
