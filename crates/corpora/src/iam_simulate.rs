//! `iam-simulate-tests`: iam-simulate's request cases with expected decisions (AGPL data: read
//! here at run time, never copied).

use crate::{Corpora, CorpusError};
use serde_json::Value;

/// One test file of iam-simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct IamSimulateFile {
    /// The path relative to `iam-simulate-tests/src/` (`core_engine/coreEngineTests/…json`).
    pub rel: String,
    /// Whether it is a simulation-engine integration file (`simulation_engine/…`; else a core
    /// engine file).
    pub integration: bool,
    /// Its cases (a file holding one object counts as one case).
    pub cases: Vec<Value>,
}

impl Corpora {
    /// Every test file of iam-simulate, sorted by path.
    pub fn iam_simulate_files(&self) -> Result<Vec<IamSimulateFile>, CorpusError> {
        let src = self.path("iam-simulate-tests/src");
        let mut out = Vec::new();
        for file in self.json_files("iam-simulate-tests/src", false)? {
            let rel = file
                .strip_prefix(&src)
                .unwrap_or(&file)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let cases = match self.read_json(&file)? {
                Value::Array(a) => a,
                other => vec![other],
            };
            out.push(IamSimulateFile {
                integration: rel.starts_with("simulation_engine"),
                rel,
                cases,
            });
        }
        Ok(out)
    }
}
