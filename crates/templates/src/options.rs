//! Extraction options and the parameter sources of the AWS validators' command lines.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::TemplateError;
use crate::model::Format;
use crate::terraform::PlanSide;
use crate::value::{Kind, Value};

/// How to read an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractOptions {
    /// The input format; `None` detects it.
    pub format: Option<Format>,
    /// `AWS::Region` (default `us-east-1`); the partition follows from it.
    pub region: String,
    /// `AWS::AccountId` (default `123456789012`).
    pub account_id: String,
    /// `AWS::StackName` (default `iamproof-stack`).
    pub stack_name: String,
    /// Template parameter values (they override the configuration file's and the defaults).
    pub parameters: BTreeMap<String, String>,
    /// A CloudFormation template configuration file, `{"Parameters": {...}}`.
    pub template_configuration_file: Option<PathBuf>,
    /// Which side of a Terraform plan to read (default: after).
    pub plan_side: PlanSide,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            format: None,
            region: "us-east-1".into(),
            account_id: "123456789012".into(),
            stack_name: "iamproof-stack".into(),
            parameters: BTreeMap::new(),
            template_configuration_file: None,
            plan_side: PlanSide::After,
        }
    }
}

/// Parses `--parameters` values: `KEY=VALUE` items, or `file://PATH` (a JSON list of
/// `"KEY=VALUE"` strings, or of CloudFormation's `{"ParameterKey":…,"ParameterValue":…}`).
pub fn parse_parameters(args: &[String]) -> Result<BTreeMap<String, String>, TemplateError> {
    let mut out = BTreeMap::new();
    for a in args {
        if let Some(p) = a.strip_prefix("file://") {
            out.extend(read_parameter_file(Path::new(p))?);
            continue;
        }
        match a.split_once('=') {
            Some((k, v)) if !k.is_empty() => {
                out.insert(k.to_string(), v.to_string());
            }
            _ => {
                return Err(TemplateError::Option(format!(
                    "--parameters: \"{a}\" is not KEY=VALUE (or file://PATH)"
                )))
            }
        }
    }
    Ok(out)
}

fn read_parameter_file(path: &Path) -> Result<BTreeMap<String, String>, TemplateError> {
    let shown = path.to_string_lossy().to_string();
    let text = crate::read_text(path, &shown)?;
    let tree = crate::read::read_json(&shown, &text)?;
    let bad = |v: &Value, m: &str| TemplateError::invalid(&shown, v.location, "", m.to_string());
    let Some(items) = tree.as_seq() else {
        return Err(bad(&tree, "a parameter file must be a JSON list of \"KEY=VALUE\" strings or {\"ParameterKey\", \"ParameterValue\"} objects"));
    };
    let mut out = BTreeMap::new();
    for item in items {
        match &item.kind {
            Kind::String(s) => match s.split_once('=') {
                Some((k, v)) if !k.is_empty() => {
                    out.insert(k.to_string(), v.to_string());
                }
                _ => return Err(bad(item, &format!("\"{s}\" is not KEY=VALUE"))),
            },
            Kind::Map(_) => {
                let k = item.get("ParameterKey").and_then(Value::as_str);
                let v = item.get("ParameterValue").and_then(scalar);
                match (k, v) {
                    (Some(k), Some(v)) => {
                        out.insert(k.to_string(), v);
                    }
                    _ => {
                        return Err(bad(
                            item,
                            "expected {\"ParameterKey\": string, \"ParameterValue\": string}",
                        ))
                    }
                }
            }
            _ => {
                return Err(bad(
                    item,
                    "expected \"KEY=VALUE\" or {\"ParameterKey\", \"ParameterValue\"}",
                ))
            }
        }
    }
    Ok(out)
}

fn scalar(v: &Value) -> Option<String> {
    match &v.kind {
        Kind::String(s) | Kind::Number(s) => Some(s.clone()),
        Kind::Bool(b) => Some(b.to_string()),
        Kind::Seq(items) => items
            .iter()
            .map(scalar)
            .collect::<Option<Vec<_>>>()
            .map(|v| v.join(",")),
        _ => None,
    }
}

/// Reads a CloudFormation template configuration file (`{"Parameters": {"Key": "Value"}, ...}`,
/// as CodePipeline and cfn-policy-validator use it); other members (`Tags`, `StackPolicy`) are
/// ignored.
pub fn read_template_configuration(path: &Path) -> Result<BTreeMap<String, String>, TemplateError> {
    let shown = path.to_string_lossy().to_string();
    let text = crate::read_text(path, &shown)?;
    let tree = crate::read::read_json(&shown, &text)?;
    let Some(params) = tree.get("Parameters") else {
        if tree.as_map().is_some() {
            return Ok(BTreeMap::new());
        }
        return Err(TemplateError::invalid(
            &shown,
            tree.location,
            "",
            "a template configuration file must be a JSON object",
        ));
    };
    let Some(members) = params.as_map() else {
        return Err(TemplateError::invalid(
            &shown,
            params.location,
            "Parameters",
            "Parameters must be an object of \"Key\": \"Value\"",
        ));
    };
    let mut out = BTreeMap::new();
    for (k, v) in members {
        match scalar(v) {
            Some(s) => {
                out.insert(k.clone(), s);
            }
            None => {
                return Err(TemplateError::invalid(
                    &shown,
                    v.location,
                    &format!("Parameters.{k}"),
                    "a parameter value must be a string",
                ))
            }
        }
    }
    Ok(out)
}
