//! Terraform plans (after and before sides, child modules, unknown attributes, newer formats)
//! and CDK cloud assemblies (stacks, environments, nested stacks), on the bundled examples and
//! small inputs written here.

use std::path::{Path, PathBuf};

use iamproof_templates::{
    extract, extract_terraform_before, extract_text, Approximation, ExtractOptions, Format,
    PolicyType,
};
use serde_json::{json, Value as J};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/templates")
}

#[test]
fn terraform_plan_after_side_walks_child_modules() {
    let x = extract(
        &examples().join("terraform-plan.json"),
        &ExtractOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(x.format, Format::Terraform);
    let got: Vec<(&str, &str)> = x
        .policies
        .iter()
        .map(|p| (p.resource.as_str(), p.policy_name.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("aws_iam_role.deploy", "assume_role_policy"),
            ("aws_iam_role.deploy", "inline_policy[read-config].policy"),
            ("module.storage.aws_s3_bucket_policy.artifacts", "policy"),
        ]
    );
    assert_eq!(
        x.policies[0].policy_type,
        PolicyType::resource("AWS::IAM::AssumeRolePolicyDocument")
    );
    assert_eq!(
        x.policies[2].source_path,
        "planned_values.root_module.child_modules[0].resources[1].values.policy"
    );
    // The location is the attribute's string in the plan file.
    assert_eq!(x.policies[2].location.map(|l| l.start.line), Some(44));
    assert_eq!(x.policies[2].statement_locations.len(), 1);
    let doc = serde_json::to_value(&x.policies[1].document).unwrap_or(J::Null);
    assert_eq!(
        doc["Statement"][0]["Resource"],
        json!("arn:aws:ssm:us-east-1:123456789012:parameter/deploy/*")
    );
    // A policy set in the configuration but known only after apply: not analysable.
    assert_eq!(x.not_analysable.len(), 1);
    assert_eq!(
        x.not_analysable[0].resource,
        "module.storage.aws_sqs_queue_policy.events"
    );
    assert!(x.not_analysable[0]
        .reason
        .contains("known only after apply"));
    // The bucket's computed `policy` (not in the configuration) is only a note.
    assert!(x
        .notes
        .iter()
        .any(|n| n.resource.as_deref() == Some("module.storage.aws_s3_bucket.artifacts")));
}

#[test]
fn terraform_plan_before_side() {
    let x = extract_terraform_before(
        &examples().join("terraform-plan.json"),
        &ExtractOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let got: Vec<&str> = x.policies.iter().map(|p| p.policy_name.as_str()).collect();
    assert_eq!(
        got,
        vec!["assume_role_policy", "inline_policy[read-config].policy"],
        "only the role existed before"
    );
    let doc = serde_json::to_value(&x.policies[1].document).unwrap_or(J::Null);
    assert_eq!(
        doc["Statement"][0]["Resource"],
        json!("arn:aws:ssm:us-east-1:123456789012:parameter/deploy/app")
    );
    assert!(x.policies[1]
        .source_path
        .starts_with("resource_changes[0].change.before"));
}

#[test]
fn terraform_lambda_permissions_newer_formats_and_bad_plans() {
    let plan = json!({
        "format_version": "2.0",
        "some_future_field": {"x": 1},
        "planned_values": {"root_module": {"child_modules": [{"address": "module.a", "child_modules": [{"address": "module.a.module.b", "resources": [
            {"address": "module.a.module.b.aws_lambda_permission.p", "mode": "managed", "type": "aws_lambda_permission", "name": "p",
             "values": {"action": "lambda:InvokeFunction", "function_name": "f", "principal": "events.amazonaws.com", "statement_id": "S", "source_account": null}}
        ]}]}]}},
        "resource_changes": [{"address": "module.a.module.b.aws_lambda_permission.p", "type": "aws_lambda_permission", "change": {
            "actions": ["create"], "before": null, "after": {}, "after_unknown": {"source_arn": true}}}]
    });
    let x = extract_text("plan.json", &plan.to_string(), &ExtractOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        x.notes
            .iter()
            .any(|n| n.message.contains("format_version 2.0")),
        "{:?}",
        x.notes
    );
    assert_eq!(x.policies.len(), 1);
    let p = &x.policies[0];
    assert_eq!(p.resource, "module.a.module.b.aws_lambda_permission.p");
    let doc = serde_json::to_value(&p.document).unwrap_or(J::Null);
    assert_eq!(
        doc["Statement"][0]["Principal"],
        json!({"Service": "events.amazonaws.com"})
    );
    assert_eq!(
        doc["Statement"][0]["Resource"],
        json!("arn:aws:lambda:us-east-1:123456789012:function:f")
    );
    assert_eq!(
        doc["Statement"][0]["Condition"]["ArnLike"]["AWS:SourceArn"],
        json!({"iamproof:unknown": "module.a.module.b.aws_lambda_permission.p.source_arn (known after apply)"})
    );
    // Over: the unknown condition is dropped (the permission is wider), and the text parses.
    let (over, unknowns) = p.policy_text(Approximation::Over);
    assert_eq!(unknowns.len(), 1);
    assert!(
        iamproof_policy::parse_policy(&over, p.policy_type.to_policy_type()).is_ok(),
        "{over}"
    );
    assert!(!over.contains("Condition"));

    let e = extract_text(
        "plan.json",
        "{\"format_version\": \"1.2\"}",
        &ExtractOptions::default(),
    );
    assert!(
        e.is_err(),
        "a plan with neither planned_values nor resource_changes"
    );
    let opts = ExtractOptions {
        format: Some(Format::Terraform),
        ..ExtractOptions::default()
    };
    let e = extract_text("plan.json", "{\"format_version\": \"1.2\"}", &opts)
        .expect_err("not a plan")
        .to_string();
    assert!(
        e.starts_with("plan.json:1:1:") && e.contains("not a Terraform plan"),
        "{e}"
    );
    let e = extract_text("plan.json", "{\"planned_values\": ", &opts)
        .expect_err("truncated")
        .to_string();
    assert!(e.starts_with("plan.json:1:"), "{e}");
}

#[test]
fn cdk_assembly_of_the_examples() {
    let x = extract(&examples().join("cdk.out"), &ExtractOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(x.format, Format::Cdk);
    assert_eq!(x.policies.len(), 3);
    assert!(x.policies.iter().all(
        |p| p.format == Format::Cdk && p.file.ends_with("cdk.out/PipelineStack.template.json")
    ));
    // The stack's environment gives the account and region.
    let key = serde_json::to_value(&x.policies[0].document).unwrap_or(J::Null);
    assert_eq!(
        key["Statement"][0]["Principal"]["AWS"],
        json!("arn:aws:iam::111122223333:root")
    );
    let policy = serde_json::to_value(&x.policies[2].document).unwrap_or(J::Null);
    assert!(policy["Statement"][0]["Resource"]
        .as_str()
        .is_some_and(|r| r.starts_with("arn:aws:kms:eu-west-1:111122223333:key/")));
    // The manifest itself also selects the assembly.
    let y = extract(
        &examples().join("cdk.out/manifest.json"),
        &ExtractOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(y.policies.len(), 3);
}

#[test]
fn cdk_nested_stacks_and_nested_assemblies() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = dir.path();
    let write =
        |p: &str, v: J| std::fs::write(d.join(p), v.to_string()).unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir(d.join("assembly-Prod")).unwrap_or_else(|e| panic!("{e}"));
    write(
        "manifest.json",
        json!({"artifacts": {
        "Parent": {"type": "aws:cloudformation:stack", "environment": "aws://unknown-account/unknown-region", "properties": {"templateFile": "Parent.template.json"}},
        "Prod": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "assembly-Prod"}}}}),
    );
    write(
        "Parent.template.json",
        json!({"Resources": {
        "Child": {"Type": "AWS::CloudFormation::Stack", "Metadata": {"aws:asset:path": "ParentChild.nested.template.json"}, "Properties": {"TemplateURL": "https://s3/x"}},
        "Missing": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": {"Fn::Sub": "https://s3/${AWS::Region}/y"}}}}}),
    );
    write(
        "ParentChild.nested.template.json",
        json!({"Resources": {
        "T": {"Type": "AWS::SNS::TopicPolicy", "Properties": {"Topics": ["t"], "PolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sns:Publish", "Resource": "*"}]}}}}}),
    );
    write(
        "assembly-Prod/manifest.json",
        json!({"artifacts": {"S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "S.template.json"}}}}),
    );
    write(
        "assembly-Prod/S.template.json",
        json!({"Resources": {
        "Q": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "q", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]}}}}}),
    );
    let x = extract(d, &ExtractOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let got: Vec<(&str, &str)> = x
        .policies
        .iter()
        .map(|p| (p.resource.as_str(), p.policy_name.as_str()))
        .collect();
    assert_eq!(got, vec![("T", "PolicyDocument"), ("Q", "q")]);
    assert!(x.policies[0]
        .file
        .ends_with("ParentChild.nested.template.json"));
    assert!(x.policies[1]
        .file
        .ends_with("assembly-Prod/S.template.json"));
    assert_eq!(
        x.not_analysable.len(),
        1,
        "the nested stack whose template is not there"
    );
    assert_eq!(x.not_analysable[0].resource, "Missing");

    // A directory without manifest.json, and a missing path.
    let empty = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let e = extract(empty.path(), &ExtractOptions::default())
        .expect_err("no manifest")
        .to_string();
    assert!(e.contains("no manifest.json"), "{e}");
    let e = extract(
        Path::new("no/such/template.yaml"),
        &ExtractOptions::default(),
    )
    .expect_err("missing")
    .to_string();
    assert_eq!(e, "no/such/template.yaml: no such file or directory");
}

#[test]
fn the_cloudformation_example_resolves_with_parameters() {
    let path = examples().join("cloudformation.yaml");
    let x = extract(&path, &ExtractOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(x.policies.len(), 4);
    let bucket = serde_json::to_value(&x.policies[0].document).unwrap_or(J::Null);
    assert_eq!(
        bucket["Statement"][0]["Resource"],
        json!("arn:aws:s3:::build-artifacts-dev-123456789012/release/*")
    );
    assert!(
        x.policies[0].document.has_unknown(),
        "PartnerAccount has no value"
    );
    let mut opts = ExtractOptions::default();
    opts.parameters
        .insert("PartnerAccount".into(), "444455556666".into());
    opts.parameters.insert("Env".into(), "prod".into());
    let y = extract(&path, &opts).unwrap_or_else(|e| panic!("{e}"));
    let bucket = serde_json::to_value(&y.policies[0].document).unwrap_or(J::Null);
    assert_eq!(
        bucket["Statement"][0]["Principal"]["AWS"],
        json!("arn:aws:iam::444455556666:root")
    );
    let queue = serde_json::to_value(&y.policies[1].document).unwrap_or(J::Null);
    assert_eq!(
        queue["Statement"][0]["Resource"],
        json!("arn:aws:sqs:us-east-1:123456789012:build-jobs")
    );
    // Statement locations are the YAML lines of the statements.
    let lines: Vec<u32> = y.policies[0]
        .statement_locations
        .iter()
        .filter_map(|l| l.map(|l| l.start.line))
        .collect();
    assert_eq!(lines, vec![29, 35]);
}
