//! The base version of a template, for the gate: another path, a git revision of the same path
//! (read with `git show`, without a checkout), or the before side of a Terraform plan.

use crate::error::ScanError;
use iamproof_templates::{extract, extract_terraform_before, ExtractOptions, Extraction, Format};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the base version comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseSource {
    /// Another template, plan or cloud assembly (`--base-template-path`).
    Path(PathBuf),
    /// The same path at a git revision (`--base-ref`), read with `git show` from the repository
    /// the path is in.
    GitRef(String),
    /// The values before the change of the head Terraform plan itself.
    PlanBefore,
}

/// A base version, read: the extraction and the path its policies' files are named under.
#[derive(Debug, Clone)]
pub struct Base {
    /// The base's policies. For a git revision, their files are named by the head's path (the
    /// lines are the base version's).
    pub extraction: Extraction,
    /// The path the base was read from, as its policies' files start with it.
    pub root: String,
}

/// Reads the base version of `head_path`.
pub fn read_base(
    head_path: &Path,
    source: &BaseSource,
    options: &ExtractOptions,
) -> Result<Base, ScanError> {
    let head_shown = head_path.to_string_lossy().to_string();
    match source {
        BaseSource::Path(p) => Ok(Base {
            extraction: extract(p, options)?,
            root: p.to_string_lossy().to_string(),
        }),
        BaseSource::PlanBefore => {
            let extraction = extract_terraform_before(head_path, options)?;
            if extraction.format != Format::Terraform {
                return Err(ScanError::Option(format!(
                    "{head_shown}: is not a Terraform plan; give the base version with --base-template-path, --base-ref or --reference-policy"
                )));
            }
            Ok(Base {
                extraction,
                root: head_shown,
            })
        }
        BaseSource::GitRef(rev) => {
            let extraction = if head_path.is_dir() {
                git_directory(head_path, &head_shown, rev, options)?
            } else {
                let text = git_show(head_path, rev)?;
                iamproof_templates::extract_text(&head_shown, &text, options)?
            };
            Ok(Base {
                extraction,
                root: head_shown,
            })
        }
    }
}

/// The directory `git` runs in for `path`, and the path's name in it.
fn git_place(path: &Path) -> Result<(PathBuf, String), ScanError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .ok_or_else(|| {
            ScanError::Option(format!(
                "{}: --base-ref needs the template's path by name (not . or ..)",
                path.display()
            ))
        })?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((dir, name))
}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, ScanError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| ScanError::Git(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(ScanError::Git(format!(
            "git {} (in {}): {}",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(out.stdout)
}

/// `git show REV:./NAME`, run in the file's directory.
fn git_show(path: &Path, rev: &str) -> Result<String, ScanError> {
    let (dir, name) = git_place(path)?;
    let bytes = git(&dir, &["show", &format!("{rev}:./{name}")])?;
    String::from_utf8(bytes).map_err(|_| {
        ScanError::Git(format!(
            "{rev}:{}: the base version is not UTF-8 text",
            path.display()
        ))
    })
}

/// A directory (a `cdk.out`) at a revision: its files listed with `git ls-tree` and each read with
/// `git show` into a temporary directory, then extracted there; the policies' files are renamed
/// to the head's path.
fn git_directory(
    path: &Path,
    head_shown: &str,
    rev: &str,
    options: &ExtractOptions,
) -> Result<Extraction, ScanError> {
    let (dir, name) = git_place(path)?;
    let listing = git(
        &dir,
        &["ls-tree", "-r", "-z", "--name-only", rev, "--", &name],
    )?;
    let tmp = tempfile::tempdir().map_err(|e| ScanError::Io {
        path: "temporary directory".into(),
        message: e.to_string(),
    })?;
    let mut any = false;
    for file in listing.split(|b| *b == 0).filter(|f| !f.is_empty()) {
        let file = String::from_utf8_lossy(file).to_string();
        let rel = Path::new(&file);
        if rel
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            continue;
        }
        let bytes = git(&dir, &["show", &format!("{rev}:./{file}")])?;
        let target = tmp.path().join(rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| ScanError::Io {
                path: parent.display().to_string(),
                message: e.to_string(),
            })?;
        }
        std::fs::write(&target, bytes).map_err(|e| ScanError::Io {
            path: target.display().to_string(),
            message: e.to_string(),
        })?;
        any = true;
    }
    if !any {
        return Err(ScanError::Git(format!(
            "{head_shown}: no such directory at {rev}"
        )));
    }
    let base_dir = tmp.path().join(&name);
    let base_shown = base_dir.to_string_lossy().to_string();
    let mut extraction = extract(&base_dir, options)?;
    let rename = |file: &mut String| {
        if let Some(rest) = file.strip_prefix(&base_shown) {
            *file = format!("{head_shown}{rest}");
        }
    };
    extraction
        .policies
        .iter_mut()
        .for_each(|p| rename(&mut p.file));
    extraction
        .not_analysable
        .iter_mut()
        .for_each(|n| rename(&mut n.file));
    extraction
        .notes
        .iter_mut()
        .for_each(|n| rename(&mut n.file));
    Ok(extraction)
}
