//! Finding a repository's `.iamproof.toml`.

use crate::error::ConfigError;
use crate::file::Config;
use std::path::{Path, PathBuf};

/// The name of the configuration file.
pub const CONFIG_FILE_NAME: &str = ".iamproof.toml";

impl Config {
    /// Looks for `.iamproof.toml` in `start_dir` and then in each parent directory, and reads
    /// the first one found. The search stops after a directory that contains `.git` (a
    /// repository's root: a directory, or the file of a worktree or submodule) has been
    /// checked, and at the filesystem root. `Ok(None)` when there is none; an error when the
    /// start directory cannot be resolved or the file found is not valid.
    ///
    /// `start_dir` is made absolute and its symbolic links resolved first, so `..` means the
    /// real parent.
    pub fn discover(start_dir: &Path) -> Result<Option<(PathBuf, Config)>, ConfigError> {
        let start = start_dir
            .canonicalize()
            .map_err(|source| ConfigError::Read {
                path: start_dir.to_path_buf(),
                source,
            })?;
        for dir in start.ancestors() {
            let candidate = dir.join(CONFIG_FILE_NAME);
            if candidate.is_file() {
                let config = Config::load(&candidate)?;
                return Ok(Some((candidate, config)));
            }
            if dir.join(".git").exists() {
                break;
            }
        }
        Ok(None)
    }

    /// The configuration of a run: the file given with `--config FILE` (which must exist), or
    /// else the one [`Config::discover`] finds from `working_dir`.
    pub fn locate(
        explicit: Option<&Path>,
        working_dir: &Path,
    ) -> Result<Option<(PathBuf, Config)>, ConfigError> {
        match explicit {
            Some(path) => Ok(Some((path.to_path_buf(), Config::load(path)?))),
            None => Config::discover(working_dir),
        }
    }
}
