//! Why a scan could not run (as opposed to the findings it makes).

use iamproof_templates::TemplateError;

/// A scan that could not run: the input could not be read, an option is wrong, or git could not
/// give the base version. Findings are never errors; an error means there is no report.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// The template, plan or cloud assembly could not be read (the message says where).
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// An option value is wrong.
    #[error("{0}")]
    Option(String),
    /// A reference policy given on the command line is not a valid policy.
    #[error("{0}")]
    Policy(String),
    /// git could not give the base version of the template.
    #[error("git: {0}")]
    Git(String),
    /// A file could not be read or written.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
}
