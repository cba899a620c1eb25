//! The errors a command can end with, as data: each kind keeps the typed error it comes from
//! (the policy parser's, the template reader's, the configuration's, an I/O error with its
//! path…), and its `Display` is the one-line message printed after `error: `. Every one of them
//! exits with status 2; status 1 is kept for a check that ran and failed (FAIL, or blocking
//! findings).

use crate::input::{io_message, Document, Origin};
use crate::Exit;
use iamproof_config::ConfigError;
use iamproof_policy::PolicyError;
use iamproof_scan::ScanError;
use iamproof_templates::TemplateError;
use std::path::PathBuf;
use thiserror::Error;

/// Why a command could not give an answer. The `Display` text is printed after `error: `.
#[derive(Debug, Error)]
pub enum CliError {
    /// The command line is wrong in a way clap cannot see (e.g. two documents on stdin).
    #[error("{0}")]
    Usage(String),
    /// A policy document is not a valid policy (or not JSON): `origin:line:col: path: message`.
    #[error("{}:{}{}", .0.doc.origin, .0.error, .0.note)]
    Policy(Box<PolicyInputError>),
    /// A DOC argument cannot be read: `origin: no such file`, with a hint when one helps.
    #[error("{origin}: {}{hint}", io_message(.source))]
    Read {
        /// The document.
        origin: Origin,
        /// Why.
        #[source]
        source: std::io::Error,
        /// Text added after the reason (empty, or ` (give a file path…)`).
        hint: String,
    },
    /// A document was read but cannot be what its option takes (not UTF-8, empty, too large,
    /// more items than allowed…): `origin: message`.
    #[error("{origin}: {message}")]
    Document {
        /// The document.
        origin: Origin,
        /// What is wrong.
        message: String,
    },
    /// A JSON argument (request file, context entries, `--access`) has a bad field:
    /// `origin:line:col: path: message`.
    #[error("{origin}:{line}:{column}: {path}: {message}")]
    Json {
        /// The document.
        origin: Origin,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The JSON path of the bad field (`$` for the document).
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A template, plan or cloud assembly cannot be read (the message says where).
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// The configuration file (`.iamproof.toml`) cannot be read or is not valid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A template-mode run could not start (a reference policy, git, a file; see [`ScanError`]).
    #[error(transparent)]
    Scan(ScanError),
    /// An argument value is wrong (`--access`, `--caller-arn`, `--resource-owner`…); the message
    /// names the option.
    #[error("{0}")]
    Input(String),
    /// The engine could not decide (solver missing, crashed, …).
    #[error("{0}")]
    Engine(String),
    /// Writing the output failed (other than a closed pipe, which ends the program quietly).
    #[error("cannot write output: {0}")]
    Output(#[source] std::io::Error),
    /// Writing the report file (`--output-file`) failed.
    #[error("{}: cannot write the report: {source}", .path.display())]
    WriteReport {
        /// The report file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// A policy parse error in the document it was found in (for the message and the source excerpt).
#[derive(Debug)]
pub struct PolicyInputError {
    /// The document.
    pub doc: Document,
    /// The parser's error.
    pub error: PolicyError,
    /// Text added after the error's message (empty, or a `\nnote: …` line).
    pub note: String,
}

impl CliError {
    /// A policy parse error in `doc`.
    pub fn policy(doc: &Document, error: PolicyError) -> Self {
        CliError::Policy(Box::new(PolicyInputError {
            doc: doc.clone(),
            error,
            note: String::new(),
        }))
    }

    /// The exit status for this error: [`Exit::Error`] for every kind (status 1 means a check
    /// ran and said no, which an error never does).
    pub fn exit(&self) -> Exit {
        match self {
            CliError::Usage(_)
            | CliError::Policy(_)
            | CliError::Read { .. }
            | CliError::Document { .. }
            | CliError::Json { .. }
            | CliError::Template(_)
            | CliError::Config(_)
            | CliError::Scan(_)
            | CliError::Input(_)
            | CliError::Engine(_)
            | CliError::Output(_)
            | CliError::WriteReport { .. } => Exit::Error,
        }
    }
}

impl From<ScanError> for CliError {
    /// A wrong option is a usage error; a template that cannot be read keeps its own kind.
    fn from(e: ScanError) -> Self {
        match e {
            ScanError::Option(m) => CliError::Usage(m),
            ScanError::Template(t) => CliError::Template(t),
            other => CliError::Scan(other),
        }
    }
}
