//! AWS CDK cloud assemblies (`cdk.out`): the CloudFormation template of every stack listed in
//! `manifest.json` (artifacts of type `aws:cloudformation:stack`, `properties.templateFile`),
//! nested assemblies (`cdk:cloud-assembly`, e.g. CDK stages), and nested stacks
//! (`AWS::CloudFormation::Stack` resources whose template is an asset of the same directory,
//! named by the `aws:asset:path` metadata or a relative `TemplateURL`). A stack's environment
//! (`aws://ACCOUNT/REGION`) gives `AWS::AccountId` and `AWS::Region` when it is concrete.

use std::collections::HashSet;
use std::path::Path;

use crate::error::TemplateError;
use crate::model::{Extraction, Format, NotAnalysable};
use crate::options::ExtractOptions;
use crate::value::Value;

/// Deepest nesting of assemblies and nested stacks followed.
const MAX_NESTING: usize = 16;

pub(crate) fn extract_assembly(
    dir: &Path,
    shown: &str,
    opts: &ExtractOptions,
) -> Result<Extraction, TemplateError> {
    let mut out = Extraction {
        format: Format::Cdk,
        policies: Vec::new(),
        not_analysable: Vec::new(),
        notes: Vec::new(),
    };
    assembly(dir, shown, opts, &mut out, 0)?;
    Ok(out)
}

fn join(shown: &str, rel: &str) -> String {
    if shown.is_empty() || shown == "." {
        rel.to_string()
    } else {
        format!("{}/{rel}", shown.trim_end_matches('/'))
    }
}

fn assembly(
    dir: &Path,
    shown: &str,
    opts: &ExtractOptions,
    out: &mut Extraction,
    depth: usize,
) -> Result<(), TemplateError> {
    let manifest_path = dir.join("manifest.json");
    let manifest_shown = join(shown, "manifest.json");
    if !manifest_path.is_file() {
        return Err(TemplateError::Io {
            file: shown.to_string(),
            message: "a directory is read as a CDK cloud assembly, but it has no manifest.json"
                .into(),
        });
    }
    let text = crate::read_text(&manifest_path, &manifest_shown)?;
    let manifest = crate::read::read_json(&manifest_shown, &text)?;
    let Some(artifacts) = manifest.get("artifacts").and_then(Value::as_map) else {
        return Err(TemplateError::invalid(
            &manifest_shown,
            manifest.location,
            "artifacts",
            "a cloud assembly manifest needs an \"artifacts\" object",
        ));
    };
    for (name, art) in artifacts {
        let ty = art.get("type").and_then(Value::as_str).unwrap_or("");
        let props = art.get("properties");
        match ty {
            "aws:cloudformation:stack" => {
                let Some(tf) = props
                    .and_then(|p| p.get("templateFile"))
                    .and_then(Value::as_str)
                else {
                    return Err(TemplateError::invalid(
                        &manifest_shown,
                        art.location,
                        &format!("artifacts.{name}.properties.templateFile"),
                        "a stack artifact needs properties.templateFile",
                    ));
                };
                let mut o = opts.clone();
                if let Some(env) = art.get("environment").and_then(Value::as_str) {
                    if let Some((acct, region)) =
                        env.strip_prefix("aws://").and_then(|e| e.split_once('/'))
                    {
                        if acct.bytes().all(|b| b.is_ascii_digit()) && acct.len() == 12 {
                            o.account_id = acct.to_string();
                        }
                        if !region.starts_with("unknown") && !region.is_empty() {
                            o.region = region.to_string();
                        }
                    }
                }
                if let Some(sn) = props
                    .and_then(|p| p.get("stackName"))
                    .and_then(Value::as_str)
                {
                    o.stack_name = sn.to_string();
                }
                let mut visited = HashSet::new();
                stack(dir, shown, tf, &o, out, depth, &mut visited)?;
            }
            "cdk:cloud-assembly" => {
                let Some(sub) = props
                    .and_then(|p| p.get("directoryName"))
                    .and_then(Value::as_str)
                else {
                    continue;
                };
                if depth >= MAX_NESTING {
                    return Err(TemplateError::invalid(
                        &manifest_shown,
                        art.location,
                        "",
                        "nested assemblies too deep",
                    ));
                }
                assembly(&dir.join(sub), &join(shown, sub), opts, out, depth + 1)?;
            }
            _ => {}
        }
    }
    Ok(())
}

fn stack(
    dir: &Path,
    shown: &str,
    rel: &str,
    opts: &ExtractOptions,
    out: &mut Extraction,
    depth: usize,
    visited: &mut HashSet<String>,
) -> Result<(), TemplateError> {
    let file = join(shown, rel);
    if !visited.insert(rel.to_string()) || depth > MAX_NESTING {
        return Err(TemplateError::invalid(
            &file,
            None,
            "",
            "nested stacks refer to each other in a cycle (or nest too deeply)",
        ));
    }
    let text = crate::read_text(&dir.join(rel), &file)?;
    let tree = crate::read_any(&file, &text)?;
    let mut ex = crate::extract_cfn_tree(&file, Format::Cdk, &tree, opts)?;
    out.policies.append(&mut ex.policies);
    out.not_analysable.append(&mut ex.not_analysable);
    out.notes.append(&mut ex.notes);
    for (id, res) in tree.get("Resources").and_then(Value::as_map).unwrap_or(&[]) {
        if res.get("Type").and_then(Value::as_str) != Some("AWS::CloudFormation::Stack") {
            continue;
        }
        let asset = res
            .get("Metadata")
            .and_then(|m| m.get("aws:asset:path"))
            .and_then(Value::as_str)
            .or_else(|| {
                res.get("Properties")
                    .and_then(|p| p.get("TemplateURL"))
                    .and_then(Value::as_str)
                    .filter(|u| !u.contains("://"))
            });
        match asset {
            Some(a) if dir.join(a).is_file() && !a.contains("..") => {
                stack(dir, shown, a, opts, out, depth + 1, visited)?;
            }
            _ => out.not_analysable.push(NotAnalysable {
                file: file.clone(),
                resource: id.clone(),
                resource_type: "AWS::CloudFormation::Stack".into(),
                policy_name: String::new(),
                location: res.location,
                reason: "nested stack whose template is not in the assembly; its policies cannot be read".into(),
            }),
        }
    }
    visited.remove(rel);
    Ok(())
}
