//! The AWS validators' own test inputs: every CloudFormation template, parameter file,
//! configuration file and Terraform plan is read (bad ones fail with a clear error), and every
//! policy that tf-policy-validator's configuration names is found, in every module.

use std::path::{Path, PathBuf};

use iamproof_templates::{
    extract, extract_terraform_before, parse_parameters, read_template_configuration,
    ExtractOptions, Format, PlanSide,
};
use serde_json::Value as J;

fn corpora() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora")
}

#[test]
fn cfn_policy_validator_inputs_are_read_or_refused_clearly() {
    let dir = "cfn-policy-validator-tests/test_files";
    let opts = ExtractOptions::default();
    let mut templates = 0;
    for f in files_in(dir) {
        let name = f
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let shown = f.to_string_lossy().to_string();
        if name.starts_with("parameters_") {
            let r = parse_parameters(&[format!("file://{shown}")]);
            if name.contains("invalid") {
                let e = r.expect_err(&name).to_string();
                assert!(e.starts_with(&shown) && e.contains(':'), "{e}");
            } else {
                let p = r.unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(
                    p.get("EnvironmentName").map(String::as_str),
                    Some("test"),
                    "{name}"
                );
                assert_eq!(
                    p.get("CodestarConnectionArn").map(String::as_str),
                    Some("fakearn")
                );
            }
            continue;
        }
        if name.starts_with("template_configuration") {
            let r = read_template_configuration(&f);
            if name.contains("invalid") {
                let e = r.expect_err(&name).to_string();
                assert!(e.starts_with(&shown), "{e}");
            } else {
                let p = r.unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(p.get("EnvironmentName").map(String::as_str), Some("test"));
            }
            continue;
        }
        match extract(&f, &opts) {
            Ok(x) => {
                templates += 1;
                assert_eq!(x.format, Format::Cloudformation);
                println!(
                    "{name}: {} policies, {} not analysable",
                    x.policies.len(),
                    x.not_analysable.len()
                );
            }
            Err(e) => {
                let e = e.to_string();
                println!("{name}: refused: {e}");
                assert!(e.starts_with(&shown), "{e}");
                assert!(
                    name.contains("invalid") || name.contains("reference_policy"),
                    "a template of the validator's tests is refused: {e}"
                );
            }
        }
    }
    assert!(templates >= 6, "{templates}");

    // The template with parameters: values from the configuration file replace the unknowns.
    let dir = corpora().join(dir);
    let t = dir.join("test_file_2.yml");
    let without = extract(&t, &opts).unwrap_or_else(|e| panic!("{e}"));
    let unknown = |x: &iamproof_templates::Extraction| {
        x.policies
            .iter()
            .filter(|p| p.document.has_unknown())
            .count()
    };
    assert!(unknown(&without) > 0);
    let with = extract(
        &t,
        &ExtractOptions {
            template_configuration_file: Some(dir.join("template_configuration_file.json")),
            ..ExtractOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(unknown(&with), 0, "every parameter has a value");
    assert_eq!(with.policies.len(), without.policies.len());

    // The validator's own unit-test inputs (not templates) are refused or read, never a panic.
    for f in files_in("cfn-policy-validator-tests/cfn_policy_validator") {
        if let Err(e) = extract(&f, &opts) {
            assert!(e.to_string().starts_with(f.to_string_lossy().as_ref()));
        }
    }
}

/// Every file below `rel` in the corpora (the iamproof-corpora crate's walker).
fn files_in(rel: &str) -> Vec<PathBuf> {
    iamproof_corpora::Corpora::locate()
        .all_files(rel)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The attributes tf-policy-validator's configuration names, read from its YAML at run time.
fn tf_config() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(
        corpora().join("tf-policy-validator-tests/iam_check/config/default.yaml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let y: serde_yaml::Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    let Some(m) = y
        .get("iamPolicyAttributes")
        .and_then(serde_yaml::Value::as_mapping)
    else {
        panic!("no iamPolicyAttributes")
    };
    for (k, v) in m {
        let ty = k.as_str().unwrap_or("").to_string();
        match v {
            serde_yaml::Value::String(a) => out.push((ty, a.clone())),
            serde_yaml::Value::Sequence(items) => out.extend(
                items
                    .iter()
                    .filter_map(|a| a.as_str())
                    .map(|a| (ty.clone(), a.to_string())),
            ),
            _ => {}
        }
    }
    out
}

fn walk_module<'a>(m: &'a J, out: &mut Vec<&'a J>) {
    out.extend(
        m.get("resources")
            .and_then(J::as_array)
            .into_iter()
            .flatten(),
    );
    for c in m
        .get("child_modules")
        .and_then(J::as_array)
        .into_iter()
        .flatten()
    {
        walk_module(c, out);
    }
}

/// Checks that every policy attribute the configuration names is found in a plan.
fn every_configured_policy_is_found(plan_path: &Path) -> usize {
    let config = tf_config();
    let plan: J = serde_json::from_str(&std::fs::read_to_string(plan_path).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{}: {e}", plan_path.display()));
    let x = extract(plan_path, &ExtractOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(x.format, Format::Terraform);
    let mut resources = Vec::new();
    if let Some(root) = plan.pointer("/planned_values/root_module") {
        walk_module(root, &mut resources);
    }
    let mut expected = 0;
    for r in resources {
        let ty = r.get("type").and_then(J::as_str).unwrap_or("");
        let addr = r.get("address").and_then(J::as_str).unwrap_or("");
        for (t, attr) in config.iter().filter(|(t, _)| t == ty) {
            let present = match attr.split_once('.') {
                None => r
                    .pointer(&format!("/values/{attr}"))
                    .and_then(J::as_str)
                    .is_some_and(|s| !s.is_empty()),
                Some((list, inner)) => r
                    .pointer(&format!("/values/{list}"))
                    .and_then(J::as_array)
                    .is_some_and(|items| {
                        items.iter().any(|i| {
                            i.get(inner)
                                .and_then(J::as_str)
                                .is_some_and(|s| !s.is_empty())
                        })
                    }),
            };
            let lambda = t == "aws_lambda_permission";
            if present || lambda {
                expected += 1;
                let found = x.policies.iter().any(|p| p.resource == addr)
                    || x.not_analysable.iter().any(|n| n.resource == addr);
                assert!(
                    found,
                    "{}: {addr} ({t}.{attr}) not found",
                    plan_path.display()
                );
            }
        }
    }
    expected
}

#[test]
fn tf_policy_validator_plans_are_read_and_every_configured_policy_is_found() {
    let dir = "tf-policy-validator-tests/iam_check/test";
    let mut plans = 0;
    let mut expected = 0;
    for f in files_in(dir) {
        let name = f.to_string_lossy().to_string();
        if name.ends_with("test_plan.json") {
            plans += 1;
            expected += every_configured_policy_is_found(&f);
            // The before side of a plan of new resources is empty, never an error.
            let before = extract_terraform_before(&f, &ExtractOptions::default())
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(before.not_analysable.is_empty());
        } else if name.ends_with(".json") {
            // Reference policies: not plans; refused as templates, with the file named.
            if let Err(e) = extract(&f, &ExtractOptions::default()) {
                assert!(e.to_string().starts_with(&name), "{e}");
            }
        } else if name.ends_with(".plan") {
            // The binary plan file: refused clearly (it is not `terraform show -json` output).
            let e = extract(&f, &ExtractOptions::default()).expect_err("a binary plan is not JSON");
            assert!(e.to_string().starts_with(&name), "{e}");
        }
    }
    println!("terraform plans: {plans}, {expected} configured policies found");
    assert_eq!(plans, 6);
    assert!(expected >= 20, "{expected}");
    let _ = PlanSide::After;
}
