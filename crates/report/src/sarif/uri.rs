//! File paths as SARIF artifact URIs.
//!
//! Code scanning matches a result to a file of the repository by `artifactLocation.uri`, a path
//! relative to the repository root, and its alerts keep their identity only if that path is the
//! same on every run. So a path as the user gave it is turned into that form, lexically (the file
//! system is never read):
//!
//! - backslashes become forward slashes (`infra\app.yaml` → `infra/app.yaml`);
//! - `.` segments and repeated slashes go, `a/../` collapses (`./infra//x/../app.yaml` →
//!   `infra/app.yaml`);
//! - an absolute path inside the source root loses the root (`/home/runner/work/r/r/infra/app.yaml`
//!   with the root `/home/runner/work/r/r` → `infra/app.yaml`); so does a relative path that
//!   starts with a relative root;
//! - a relative path is otherwise taken as relative to the root already (run iamproof from the
//!   repository root, as CI does by default);
//! - an absolute path outside the root stays absolute, as a `file://` URI (code scanning cannot
//!   place it; other SARIF viewers can);
//! - characters other than letters, digits and `-._~!$&'()*+,;=@` are percent-encoded (UTF-8),
//!   so a space is `%20`; `/` separates segments.
//!
//! Relative URIs carry `uriBaseId: "%SRCROOT%"`, the conventional name for the source root.

/// An artifact URI and whether it is relative to the source root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ArtifactUri {
    pub uri: String,
    pub relative: bool,
}

/// Splits a path into its segments after normalising separators, `.` and `..`. Returns whether
/// it was absolute, the drive (`C:`) if any, and the segments.
fn segments(path: &str) -> (bool, Option<String>, Vec<String>) {
    let path = path.replace('\\', "/");
    let (drive, rest) = match path.as_bytes() {
        [letter, b':', b'/', ..] if letter.is_ascii_alphabetic() => {
            (Some(path[..2].to_ascii_uppercase()), &path[2..])
        }
        _ => (None, path.as_str()),
    };
    let absolute = drive.is_some() || rest.starts_with('/');
    let mut out: Vec<String> = Vec::new();
    for segment in rest.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|last| last != "..") {
                    out.pop();
                } else if !absolute {
                    out.push("..".to_string());
                }
            }
            other => out.push(other.to_string()),
        }
    }
    (absolute, drive, out)
}

/// Percent-encodes one path segment.
fn encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@".contains(&byte);
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn join(segments: &[String]) -> String {
    segments
        .iter()
        .map(|s| encode(s))
        .collect::<Vec<_>>()
        .join("/")
}

/// The artifact URI of `path`, relative to `source_root` when it is inside it.
pub(crate) fn artifact_uri(path: &str, source_root: Option<&str>) -> ArtifactUri {
    let (absolute, drive, segs) = segments(path);
    if let Some(root) = source_root {
        let (root_absolute, root_drive, root_segs) = segments(root);
        let same_kind = root_absolute == absolute
            && root_drive.as_deref().map(str::to_ascii_uppercase)
                == drive.as_deref().map(str::to_ascii_uppercase);
        if same_kind && segs.len() > root_segs.len() && segs.starts_with(&root_segs) {
            return ArtifactUri {
                uri: join(&segs[root_segs.len()..]),
                relative: true,
            };
        }
    }
    if absolute {
        let drive = drive.map(|d| format!("/{d}")).unwrap_or_default();
        ArtifactUri {
            uri: format!("file://{drive}/{}", join(&segs)),
            relative: false,
        }
    } else {
        ArtifactUri {
            uri: join(&segs),
            relative: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::artifact_uri;

    #[test]
    fn paths_become_stable_relative_uris() {
        let cases: &[(&str, Option<&str>, &str, bool)] = &[
            ("templates/app.yaml", None, "templates/app.yaml", true),
            ("./templates/app.yaml", None, "templates/app.yaml", true),
            ("templates\\app.yaml", None, "templates/app.yaml", true),
            ("./a//b/../app.yaml", None, "a/app.yaml", true),
            ("../other/app.yaml", None, "../other/app.yaml", true),
            ("my dir/ap%p.yaml", None, "my%20dir/ap%25p.yaml", true),
            ("café/x:y.json", None, "caf%C3%A9/x%3Ay.json", true),
            (
                "/home/runner/work/r/r/infra/app.yaml",
                Some("/home/runner/work/r/r"),
                "infra/app.yaml",
                true,
            ),
            (
                "/home/runner/work/r/r/infra/app.yaml",
                Some("/home/runner/work/r/r/"),
                "infra/app.yaml",
                true,
            ),
            ("infra/app.yaml", Some("infra"), "app.yaml", true),
            (
                "/elsewhere/app.yaml",
                Some("/repo"),
                "file:///elsewhere/app.yaml",
                false,
            ),
            ("/repo", Some("/repo"), "file:///repo", false),
            (
                "C:\\repo\\infra\\app.yaml",
                Some("c:/repo"),
                "infra/app.yaml",
                true,
            ),
            ("C:\\x\\app.yaml", None, "file:///C:/x/app.yaml", false),
        ];
        for (path, root, uri, relative) in cases {
            let got = artifact_uri(path, *root);
            assert_eq!(got.uri, *uri, "{path} with root {root:?}");
            assert_eq!(got.relative, *relative, "{path} with root {root:?}");
        }
    }
}
