//! The AWS validators through the server agree with iamproof's own template commands.
//!
//! For each of `check-no-public-access`, `check-access-not-granted` and `check-no-new-access`,
//! cfn-policy-validator runs on its own test templates (tf-policy-validator on its own test
//! plans) against the server, and iamproof's template command runs in-process on the same input
//! (the scan crate's [`check_extraction`], which `iamproof check-… --template-path` runs). Their
//! reports must agree on the set of (resource name, policy, check code, verdict, statement
//! indexes of the reasons): the verdict is `FAIL`, or `ERROR` when the policy could not be
//! checked (the validator's `…ValidationException` code, iamproof's
//! `iamproof-PolicyNotAnalysable`).
//!
//! Names: cfn-policy-validator names a resource by its physical name (iamproof's
//! `physicalName`) and a policy by its kind (`BucketPolicy`, `TrustPolicy`...; [`cfn_policy`]
//! maps iamproof's policies to those); tf-policy-validator puts the resource's address in
//! `policyName` (with `.inline_policy.N` for a role's inline policy), which is what iamproof's
//! `resourceName` holds ([`tf_policy`]).
//!
//! Legitimate differences are listed in [`KNOWN`], each with its reason; any other difference
//! fails the test. The validators are required (see `validators.rs`).

mod common;

use common::*;
use iamproof_checks::{AccessSpec, Backend, CheckOptions};
use iamproof_corpora::Corpora;
use iamproof_scan::{check_extraction, ReferencePolicy, ScanOptions, Sources, TemplateCheck};
use iamproof_templates::{extract, ExtractOptions, ExtractedPolicy, Extraction};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// The account the server's STS reports, which the validators put in the ARNs they build.
const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";

/// One finding as both reports can say it: resource, policy, check code, verdict, statements.
type Key = (String, String, String, String, Vec<u64>);

/// A difference that is not a disagreement: (input: its directory and file name, a final `*`
/// for any end;
/// check, `*` for all; which side has the finding; the start of its `resource.policy`; reason).
const KNOWN: &[(&str, &str, &str, &str, &str)] = &[
    (
        "test_files/test_file_2.*",
        "*",
        VALIDATOR_ONLY,
        "MyIAMUser.MyManagedPolicy",
        MANAGED_ATTACHED,
    ),
    (
        "test_files/test_file_2.*",
        "*",
        VALIDATOR_ONLY,
        "MyIAMGroup.MyManagedPolicy",
        MANAGED_ATTACHED,
    ),
    (
        "test_files/test_file_2.*",
        "*",
        IAMPROOF_ONLY,
        "MyManagedPolicy.MyManagedPolicy",
        MANAGED_ATTACHED,
    ),
    (
        "test_files/test_file_2.*",
        "*",
        IAMPROOF_ONLY,
        "MyOrphanedPolicy.MyOrphanedPolicy",
        "a managed policy attached to no principal of the template: cfn-policy-validator's \
         check commands skip it (only `validate` reads such policies), iamproof checks every \
         policy of the template",
    ),
    (
        "public_access/test_plan.json",
        "*",
        IAMPROOF_ONLY,
        "aws_lambda_permission.with_sns",
        "tf-policy-validator builds the permission's statement with Resource \
         `arn::lambda:::function:NAME` (no partition, region or account), an ARN no function \
         has, so the statement grants nothing and Access Analyzer's checks (and the server's) \
         PASS; iamproof builds the function's ARN, and the permission to Principal `*` is \
         public (it is new access against the reference policy)",
    ),
    (
        "*",
        "*",
        IAMPROOF_ONLY,
        "data.aws_iam_policy_document.",
        "iamproof also checks each `aws_iam_policy_document` data source on its own (a \
         document with a principal as a resource policy); tf-policy-validator checks only the \
         resources' policies",
    ),
];

const IAMPROOF_ONLY: &str = "iamproof only";
const MANAGED_ATTACHED: &str = "a managed policy of the template attached through a \
principal's `ManagedPolicyArns`: cfn-policy-validator checks it once per principal and names \
it by the principal, iamproof checks the document once, where it is defined, named by its \
`ManagedPolicyName`";
const VALIDATOR_ONLY: &str = "validator only";

/// The actions of the `check-access-not-granted` runs: some each template grants, some it
/// does not.
const ACTIONS: &str = "s3:GetObject,s3:PutObject,kms:Decrypt,sqs:SendMessage,sns:Publish,\
iam:PassRole,sts:AssumeRole,secretsmanager:DeleteSecret,execute-api:Invoke,\
codeartifact:ReadFromRepository,backup:StartRestoreJob,cloudtrail:StartQuery,ec2:DescribeInstances";

/// An identity reference policy for `check-no-new-access --reference-policy-type identity`:
/// reading objects and publishing (narrower than the templates' identity policies, so that some
/// FAIL and some PASS; the validator's own `valid_reference_policy.json` allows everything).
const IDENTITY_REFERENCE: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
"Action":["s3:GetObject","sns:Publish","logs:*"],"Resource":"*"}]}"#;

/// A resource reference policy for `check-no-new-access --reference-policy-type resource`: one
/// account may read objects.
const RESOURCE_REFERENCE: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
"Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"*"}]}"#;

#[derive(Clone)]
enum Check {
    Public,
    Access,
    NewAccess {
        reference: PathBuf,
        kind: &'static str,
    },
}

impl Check {
    fn command(&self) -> &'static str {
        match self {
            Check::Public => "check-no-public-access",
            Check::Access => "check-access-not-granted",
            Check::NewAccess { .. } => "check-no-new-access",
        }
    }

    fn validator_args(&self) -> Vec<String> {
        match self {
            Check::Public => vec![],
            Check::Access => vec!["--actions".into(), ACTIONS.into()],
            Check::NewAccess { reference, kind } => vec![
                "--reference-policy".into(),
                reference.to_string_lossy().into_owned(),
                "--reference-policy-type".into(),
                (*kind).into(),
            ],
        }
    }

    fn template_check(&self) -> TemplateCheck {
        match self {
            Check::Public => TemplateCheck::NoPublicAccess,
            Check::Access => TemplateCheck::AccessNotGranted(AccessSpec {
                actions: ACTIONS.split(',').map(str::to_string).collect(),
                resources: Vec::new(),
            }),
            Check::NewAccess { reference, kind } => {
                let text = std::fs::read_to_string(reference).expect("the reference policy");
                let t = if *kind == "identity" {
                    iamproof_policy::PolicyType::Identity
                } else {
                    iamproof_policy::PolicyType::Resource
                };
                let policy = ReferencePolicy::parse(&reference.to_string_lossy(), &text, t)
                    .expect("the reference policy parses");
                TemplateCheck::NoNewAccess(policy)
            }
        }
    }
}

/// One input and how both tools read it.
struct Input {
    path: PathBuf,
    /// `--parameters` of the validator (`KEY=VALUE`), the same for iamproof.
    parameters: Vec<(&'static str, &'static str)>,
    /// `--exclude-resource-types`, the same for both.
    exclude: Vec<&'static str>,
    /// A tf-policy-validator config file (Terraform plans only).
    config: Option<PathBuf>,
}

fn validator_keys(report: &Value, terraform: bool) -> BTreeSet<Key> {
    let mut out = BTreeSet::new();
    for list in ["BlockingFindings", "NonBlockingFindings"] {
        for f in report[list].as_array().into_iter().flatten() {
            let code = f["code"].as_str().unwrap_or_default();
            let Some(check) = [
                "CheckNoPublicAccess",
                "CheckAccessNotGranted",
                "CheckNoNewAccess",
            ]
            .into_iter()
            .find(|c| code.starts_with(&format!("policy-analysis-{c}"))) else {
                continue;
            };
            let base = format!("policy-analysis-{check}");
            let verdict = if code == base {
                f["details"]["result"].as_str().unwrap_or("?").to_string()
            } else {
                "ERROR".to_string()
            };
            let mut statements: Vec<u64> = f["details"]["reasons"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r["statementIndex"].as_u64())
                .collect();
            statements.sort_unstable();
            statements.dedup();
            let name = f["resourceName"].as_str().unwrap_or_default().to_string();
            let policy = f["policyName"].as_str().unwrap_or_default().to_string();
            let (name, policy) = if terraform {
                (policy, String::new())
            } else {
                (name, policy)
            };
            out.insert((name, policy, base, verdict, statements));
        }
    }
    out
}

/// cfn-policy-validator's name for the kind of a policy: its `policyName`.
fn cfn_policy(p: &ExtractedPolicy) -> String {
    let kind = match (p.resource_type.as_str(), p.policy_name.as_str()) {
        ("AWS::IAM::Role", "AssumeRolePolicyDocument") => "TrustPolicy",
        ("AWS::S3::BucketPolicy", _) => "BucketPolicy",
        ("AWS::S3::AccessPoint", _) => "AccessPointPolicy",
        ("AWS::S3::MultiRegionAccessPointPolicy", _) => "MultiRegionAccessPointPolicy",
        ("AWS::S3Tables::TableBucketPolicy", _) => "TableBucketPolicy",
        ("AWS::SQS::QueuePolicy", _) => "QueuePolicy",
        ("AWS::SNS::TopicPolicy", _) => "TopicPolicy",
        ("AWS::KMS::Key", _) => "KeyPolicy",
        ("AWS::SecretsManager::ResourcePolicy" | "AWS::CloudTrail::ResourcePolicy", _) => {
            "ResourcePolicy"
        }
        ("AWS::ApiGateway::RestApi" | "AWS::S3Express::AccessPoint", _) => "Policy",
        ("AWS::Backup::BackupVault", _) => "AccessPolicy",
        ("AWS::CodeArtifact::Domain", _) => "PermissionsPolicyDocument",
        ("AWS::Lambda::Permission", _) => "PermissionsPolicy",
        ("AWS::Lambda::LayerVersionPermission", _) => "LayerVersionPermission",
        ("AWS::SSO::PermissionSet", _) => "InlinePolicy",
        (_, name) => name,
    };
    kind.to_string()
}

/// tf-policy-validator's name of a policy: the address, with `.inline_policy.N` for a role's
/// inline policy.
fn tf_policy(p: &ExtractedPolicy) -> String {
    if !p.policy_name.starts_with("inline_policy") {
        return p.resource.clone();
    }
    // The block's index is in the source path (`...values.inline_policy[0].policy`).
    let index = p
        .source_path
        .rsplit_once("inline_policy[")
        .and_then(|(_, r)| r.split_once(']'))
        .map(|(n, _)| n.to_string())
        .unwrap_or_default();
    format!("{}.inline_policy.{index}", p.resource)
}

fn native_keys(
    extraction: &Extraction,
    check: &Check,
    exclude: &[&str],
    terraform: bool,
) -> BTreeSet<Key> {
    let opts = ScanOptions {
        check: CheckOptions::with_backend(Backend::Native),
        exclude_resource_types: exclude.iter().map(|s| s.to_string()).collect(),
        quiet: true,
        threads: None,
    };
    let extraction = opts.apply_exclusions(extraction.clone());
    let findings = check_extraction(&extraction, &check.template_check(), &opts, &Sources::new());
    // (logical id, policy name) -> the policy.
    let policies: BTreeMap<(&str, &str), &ExtractedPolicy> = extraction
        .policies
        .iter()
        .map(|p| ((p.resource.as_str(), p.policy_name.as_str()), p))
        .collect();
    let code = match check {
        Check::Public => "policy-analysis-CheckNoPublicAccess",
        Check::Access => "policy-analysis-CheckAccessNotGranted",
        Check::NewAccess { .. } => "policy-analysis-CheckNoNewAccess",
    };
    let mut grouped: BTreeMap<(String, String, String), BTreeSet<u64>> = BTreeMap::new();
    for f in &findings {
        let verdict = match f.code.as_str() {
            c if c == code => "FAIL",
            "iamproof-PolicyNotAnalysable" => "ERROR",
            _ => continue,
        };
        let (name, policy) = match policies.get(&(f.resource_name.as_str(), f.policy_name.as_str()))
        {
            Some(p) if terraform => (tf_policy(p), String::new()),
            Some(p) => (
                p.physical_name
                    .clone()
                    .unwrap_or_else(|| p.resource.clone()),
                cfn_policy(p),
            ),
            None => (f.resource_name.clone(), f.policy_name.clone()),
        };
        let entry = grouped
            .entry((name, policy, verdict.to_string()))
            .or_default();
        if let Some(i) = f.statement_index {
            entry.insert(i as u64);
        }
    }
    grouped
        .into_iter()
        .map(|((name, policy, verdict), s)| {
            (
                name,
                policy,
                code.to_string(),
                verdict,
                s.into_iter().collect(),
            )
        })
        .collect()
}

/// Runs one check both ways on one input; the differences not in [`KNOWN`] (as messages) and
/// the number of findings the two agree on.
fn compare(program: &str, url: &str, input: &Input, check: &Check) -> (Vec<String>, usize) {
    let terraform = input.config.is_some();
    let path = input.path.to_string_lossy().into_owned();
    let mut args: Vec<String> = vec![
        check.command().into(),
        "--region".into(),
        REGION.into(),
        "--template-path".into(),
        path.clone(),
    ];
    if let Some(c) = &input.config {
        args.push("--config".into());
        args.push(c.to_string_lossy().into_owned());
    }
    if !input.parameters.is_empty() {
        args.push("--parameters".into());
        args.extend(input.parameters.iter().map(|(k, v)| format!("{k}={v}")));
    }
    if !input.exclude.is_empty() {
        args.push("--exclude-resource-types".into());
        args.push(input.exclude.join(","));
    }
    args.extend(check.validator_args());
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, report) = validator(program, url, &argv);
    assert!(
        matches!(code, Some(0) | Some(2)),
        "{program} {argv:?}: exit {code:?}: {report}"
    );
    let theirs = validator_keys(&report, terraform);

    let options = ExtractOptions {
        region: REGION.into(),
        account_id: ACCOUNT.into(),
        parameters: input
            .parameters
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..ExtractOptions::default()
    };
    let extraction = extract(&input.path, &options)
        .unwrap_or_else(|e| panic!("iamproof cannot read {path}: {e}"));
    let ours = native_keys(&extraction, check, &input.exclude, terraform);

    let file = input
        .path
        .iter()
        .rev()
        .take(2)
        .map(|f| f.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<Vec<_>>()
        .join("/");
    let known = |side: &str, k: &Key| {
        KNOWN
            .iter()
            .find(|(f, c, s, r, _)| {
                (*f == file || f.strip_suffix('*').is_some_and(|p| file.starts_with(p)))
                    && (*c == "*" || *c == check.command())
                    && *s == side
                    && format!("{}.{}", k.0, k.1).starts_with(r)
            })
            .map(|(.., why)| *why)
    };
    let mut problems = Vec::new();
    for (side, only) in [
        (VALIDATOR_ONLY, theirs.difference(&ours)),
        (IAMPROOF_ONLY, ours.difference(&theirs)),
    ] {
        for k in only {
            match known(side, k) {
                Some(why) => println!("{file} {}: {side}: {k:?}: known: {why}", check.command()),
                None => problems.push(format!("{file} {}: {side}: {k:?}", check.command())),
            }
        }
    }
    let agreed = theirs.intersection(&ours).count();
    println!(
        "{file} {}: {agreed} findings agree ({} validator, {} iamproof)",
        check.command(),
        theirs.len(),
        ours.len()
    );
    (problems, agreed)
}

fn run_all(program: &str, inputs: &[Input], checks: &[Check]) -> usize {
    let server = start(config());
    let mut problems = Vec::new();
    let mut agreed = 0;
    for input in inputs {
        for check in checks {
            let (p, n) = compare(program, &server.url(), input, check);
            problems.extend(p);
            agreed += n;
        }
    }
    println!("{program}: {agreed} findings agree in all");
    assert!(
        problems.is_empty(),
        "the validator and iamproof disagree:\n{}",
        problems.join("\n")
    );
    agreed
}

fn write_temp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("iamproof-agreement-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write a temporary file");
    p
}

#[test]
fn cfn_policy_validator_agrees_with_the_template_commands() {
    let program = client_program("IAMPROOF_TEST_CFN_POLICY_VALIDATOR", "cfn-policy-validator");
    let dir = Corpora::locate().path("cfn-policy-validator-tests/test_files");
    let file = |name: &str| -> PathBuf {
        let p = dir.join(name);
        assert!(p.is_file(), "{} is missing", p.display());
        p
    };
    let plain = |name: &str| Input {
        path: file(name),
        parameters: Vec::new(),
        exclude: Vec::new(),
        config: None,
    };
    let inputs = vec![
        plain("public_access_test.yml"),
        plain("check_access_not_granted_test.yaml"),
        plain("kms_resource.yml"),
        plain("bad_template.json"),
        // Its roles and permission set attach AWS managed policies, which the validator reads
        // with IAM's GetPolicy (not served): they are left out, on both sides.
        Input {
            path: file("test_file_2.yml"),
            parameters: vec![
                ("EnvironmentName", "test"),
                ("CodestarConnectionArn", "fakearn"),
            ],
            exclude: vec!["AWS::IAM::Role", "AWS::SSO::PermissionSet"],
            config: None,
        },
        // The same template in JSON.
        Input {
            path: file("test_file_2.json"),
            parameters: vec![
                ("EnvironmentName", "test"),
                ("CodestarConnectionArn", "fakearn"),
            ],
            exclude: vec!["AWS::IAM::Role", "AWS::SSO::PermissionSet"],
            config: None,
        },
    ];
    let checks = vec![
        Check::Public,
        Check::Access,
        Check::NewAccess {
            reference: write_temp("identity_reference.json", IDENTITY_REFERENCE),
            kind: "identity",
        },
        Check::NewAccess {
            reference: write_temp("resource_reference.json", RESOURCE_REFERENCE),
            kind: "resource",
        },
    ];
    let agreed = run_all(&program, &inputs, &checks);
    assert!(agreed > 20, "only {agreed} findings compared");
}

#[test]
fn tf_policy_validator_agrees_with_the_template_commands() {
    let program = client_program("IAMPROOF_TEST_TF_POLICY_VALIDATOR", "tf-policy-validator");
    let dir = Corpora::locate().path("tf-policy-validator-tests/iam_check");
    let config_file = dir.join("config/default.yaml");
    let plan = |name: &str| {
        let p = dir.join("test").join(name).join("test_plan.json");
        assert!(p.is_file(), "{} is missing", p.display());
        Input {
            path: p,
            parameters: Vec::new(),
            exclude: Vec::new(),
            config: Some(config_file.clone()),
        }
    };
    let inputs: Vec<Input> = [
        "public_access",
        "multiple_policies",
        "role_inline_assume_policy",
        "identity_policies",
        "iam_policy",
        "no_access_granted",
    ]
    .into_iter()
    .map(plan)
    .collect();
    let test = |rel: &str| dir.join("test").join(rel);
    let checks = vec![
        Check::Public,
        Check::Access,
        Check::NewAccess {
            reference: test("multiple_policies/identity_reference_policy.json"),
            kind: "identity",
        },
        Check::NewAccess {
            reference: test("multiple_policies/resource_reference_policy.json"),
            kind: "resource",
        },
    ];
    let agreed = run_all(&program, &inputs, &checks);
    assert!(agreed > 10, "only {agreed} findings compared");
}
