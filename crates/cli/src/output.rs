//! Writing the answer to standard output. A closed pipe (`iamproof … | head -1`) is not an
//! error: the program stops writing and still exits with the status of its answer.

use crate::error::CliError;
use std::io::Write;

/// Writes `text` to `out` (standard output) and flushes it.
pub fn emit(out: &mut dyn Write, text: &str) -> Result<(), CliError> {
    let r = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    match r {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::Output(e)),
    }
}

/// Serializes `value` as pretty JSON followed by a newline.
pub fn json_text(value: &impl serde::Serialize) -> Result<String, CliError> {
    let mut s = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::Engine(format!("cannot serialize the result as JSON: {e}")))?;
    s.push('\n');
    Ok(s)
}
