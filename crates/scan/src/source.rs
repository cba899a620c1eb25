//! The source files findings point into, read once each, for the lines quoted under a finding.

use iamproof_report::{Excerpt, Position};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// At most this many lines are quoted under a finding.
const MAX_EXCERPT_LINES: u32 = 15;

/// A cache of source files by the name findings give them.
#[derive(Debug, Default)]
pub struct Sources {
    files: Mutex<HashMap<String, Option<Arc<String>>>>,
}

impl Sources {
    /// An empty cache.
    pub fn new() -> Self {
        Sources::default()
    }

    /// The text of `file`, or `None` when it cannot be read (e.g. a base version from git).
    pub fn text(&self, file: &str) -> Option<Arc<String>> {
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        files
            .entry(file.to_string())
            .or_insert_with(|| std::fs::read_to_string(file).ok().map(Arc::new))
            .clone()
    }

    /// The lines of `file` from `start` to `end` (at most 15).
    pub fn excerpt(&self, file: &str, start: Position, end: Position) -> Option<Excerpt> {
        let text = self.text(file)?;
        let end = if end.line > start.line + MAX_EXCERPT_LINES {
            Position::new(start.line + MAX_EXCERPT_LINES - 1, u32::MAX)
        } else {
            end
        };
        Excerpt::from_source(&text, start, end)
    }
}
