//! The errors a command can end with. Every one of them exits with status 2; status 1 is kept for
//! a check that ran and failed (FAIL, or blocking findings).

use crate::Exit;
use thiserror::Error;

/// Why a command could not give an answer. The `Display` text is printed after `error: `.
#[derive(Debug, Error)]
pub enum CliError {
    /// The command line is wrong in a way clap cannot see (e.g. two documents on stdin).
    #[error("{0}")]
    Usage(String),
    /// A document or argument value is wrong; the message starts with where (`file:line:col: path:`).
    #[error("{0}")]
    Input(String),
    /// The engine could not decide (solver missing, crashed, …).
    #[error("{0}")]
    Engine(String),
    /// Writing the output failed (other than a closed pipe, which ends the program quietly).
    #[error("cannot write output: {0}")]
    Output(std::io::Error),
}

impl CliError {
    /// The exit status for this error (always [`Exit::Error`]).
    pub fn exit(&self) -> Exit {
        Exit::Error
    }
}
