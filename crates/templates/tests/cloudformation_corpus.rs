//! The real CloudFormation templates of the shared corpus (JSON and YAML): every template parses
//! or fails with a `file:line:col` error; the policies found per resource agree with a count
//! made another way (a generic walk of the template read by an independent YAML reader); the
//! JSON and YAML renderings of the same template give the same policies.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use iamproof_templates::{extract, Approximation, ExtractOptions, Extraction};
use serde_json::Value as J;

/// The corpus's templates (the iamproof-corpora crate locates `../shared/corpora`).
fn corpus_templates() -> Vec<PathBuf> {
    match iamproof_corpora::Corpora::locate().cloudformation_templates() {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    }
}

/// The template as generic JSON; YAML tags become `{"!Tag": value}` (ignored by the count).
fn generic(path: &Path) -> Option<J> {
    let text = std::fs::read_to_string(path).ok()?;
    if path.extension().and_then(|e| e.to_str()) == Some("json") {
        return serde_json::from_str(&text).ok();
    }
    let y: serde_yaml::Value = serde_yaml::from_str(&text).ok()?;
    Some(yaml_to_json(&y))
}

fn yaml_to_json(y: &serde_yaml::Value) -> J {
    match y {
        serde_yaml::Value::Null => J::Null,
        serde_yaml::Value::Bool(b) => J::Bool(*b),
        serde_yaml::Value::Number(n) => J::String(n.to_string()),
        serde_yaml::Value::String(s) => J::String(s.clone()),
        serde_yaml::Value::Sequence(s) => J::Array(s.iter().map(yaml_to_json).collect()),
        serde_yaml::Value::Mapping(m) => J::Object(
            m.iter()
                .map(|(k, v)| {
                    let k = match k {
                        serde_yaml::Value::String(s) => s.clone(),
                        other => serde_yaml::to_string(other)
                            .unwrap_or_default()
                            .trim()
                            .to_string(),
                    };
                    (k, yaml_to_json(v))
                })
                .collect(),
        ),
        serde_yaml::Value::Tagged(t) => {
            let mut m = serde_json::Map::new();
            m.insert(t.tag.to_string(), yaml_to_json(&t.value));
            J::Object(m)
        }
    }
}

/// Whether a value is an intrinsic function call (long form `Fn::X`/`Ref` or a YAML tag).
fn is_intrinsic(v: &J) -> bool {
    match v.as_object() {
        Some(m) if m.len() == 1 => m
            .keys()
            .all(|k| k.starts_with("Fn::") || k == "Ref" || k.starts_with('!')),
        _ => false,
    }
}

/// The number of policies a resource carries, counted from the property names alone; `None`
/// when it depends on an intrinsic function (a list built by `Fn::If`...).
fn independent_count(ty: &str, props: &J) -> Option<usize> {
    let has = |k: &str| props.get(k).is_some_and(|v| !v.is_null());
    let list_len = |k: &str| -> Option<usize> {
        match props.get(k) {
            None | Some(J::Null) => Some(0),
            Some(J::Array(items)) if !items.iter().any(is_intrinsic) => Some(items.len()),
            _ => None,
        }
    };
    let one = |k: &str| -> Option<usize> {
        match props.get(k) {
            Some(v) if is_intrinsic(v) => None,
            _ => Some(usize::from(has(k))),
        }
    };
    match ty {
        "AWS::IAM::Role" => Some(one("AssumeRolePolicyDocument")? + list_len("Policies")?),
        "AWS::IAM::User" | "AWS::IAM::Group" => list_len("Policies"),
        "AWS::IAM::Policy"
        | "AWS::IAM::ManagedPolicy"
        | "AWS::IAM::RolePolicy"
        | "AWS::IAM::UserPolicy"
        | "AWS::IAM::GroupPolicy"
        | "AWS::S3::BucketPolicy"
        | "AWS::SNS::TopicPolicy"
        | "AWS::SNS::TopicInlinePolicy"
        | "AWS::SQS::QueueInlinePolicy"
        | "AWS::Logs::ResourcePolicy" => one("PolicyDocument"),
        "AWS::SQS::QueuePolicy" => match (one("PolicyDocument")?, props.get("Queues")) {
            (0, _) => Some(0),
            (_, Some(J::Array(q))) if !q.iter().any(is_intrinsic) => Some(q.len().max(1)),
            (_, Some(J::Array(_))) => None,
            _ => Some(1),
        },
        "AWS::KMS::Key" | "AWS::KMS::ReplicaKey" => one("KeyPolicy"),
        "AWS::S3::AccessPoint" | "AWS::Events::EventBus" | "AWS::ApiGateway::RestApi" => {
            one("Policy")
        }
        "AWS::SSO::PermissionSet" => one("InlinePolicy"),
        "AWS::SecretsManager::ResourcePolicy" => one("ResourcePolicy"),
        "AWS::ECR::Repository" => one("RepositoryPolicyText"),
        "AWS::EFS::FileSystem" => one("FileSystemPolicy"),
        "AWS::OpenSearchService::Domain" | "AWS::Elasticsearch::Domain" => one("AccessPolicies"),
        "AWS::Backup::BackupVault" => one("AccessPolicy"),
        "AWS::Lambda::Permission"
        | "AWS::Lambda::LayerVersionPermission"
        | "AWS::Events::EventBusPolicy" => Some(1),
        "AWS::Organizations::Policy" => match props.get("Type").and_then(J::as_str) {
            Some("SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY") => Some(1),
            Some(_) => Some(0),
            None => None,
        },
        "AWS::Serverless::Function" => match props.get("Policies") {
            None => Some(0),
            Some(J::Array(items)) => Some(
                items
                    .iter()
                    .filter(|i| i.get("Statement").is_some())
                    .count(),
            ),
            Some(J::Object(m)) if m.contains_key("Statement") => Some(1),
            Some(J::Object(_)) | Some(J::String(_)) => Some(0),
            _ => None,
        },
        _ => Some(0),
    }
}

fn found_for(x: &Extraction, id: &str) -> usize {
    x.policies.iter().filter(|p| p.resource == id).count()
        + x.not_analysable.iter().filter(|n| n.resource == id).count()
}

#[test]
fn every_corpus_template_parses_or_fails_clearly_and_counts_agree() {
    let files = corpus_templates();
    assert!(
        files.len() >= 300,
        "expected the 312 corpus templates, found {}",
        files.len()
    );
    let opts = ExtractOptions::default();
    let (mut parsed, mut policies, mut failures, mut not_analysable, mut compared) =
        (0, 0, Vec::new(), 0, 0);
    let mut mismatches = Vec::new();
    let mut engine_rejects: Vec<String> = Vec::new();
    let mut by_stem: BTreeMap<PathBuf, Vec<(PathBuf, Extraction)>> = BTreeMap::new();
    for f in &files {
        match extract(f, &opts) {
            Ok(x) => {
                parsed += 1;
                policies += x.policies.len();
                not_analysable += x.not_analysable.len();
                for p in &x.policies {
                    // Every document can be made concrete in both directions.
                    let (over, _) = p.policy_text(Approximation::Over);
                    let (under, _) = p.policy_text(Approximation::Under);
                    assert!(
                        serde_json::from_str::<J>(&over).is_ok()
                            && serde_json::from_str::<J>(&under).is_ok()
                    );
                    for text in [&over, &under] {
                        if let Err(e) =
                            iamproof_policy::parse_policy(text, p.policy_type.to_policy_type())
                        {
                            engine_rejects.push(format!(
                                "{} {} {}: {}",
                                p.file, p.resource, p.policy_name, e.message
                            ));
                        }
                    }
                    assert!(
                        p.location.is_some(),
                        "{}: {} has no location",
                        p.file,
                        p.resource
                    );
                }
                if let Some(g) = generic(f) {
                    for (id, res) in g
                        .get("Resources")
                        .and_then(J::as_object)
                        .into_iter()
                        .flatten()
                    {
                        if res.get("Condition").is_some() {
                            continue;
                        }
                        let ty = res.get("Type").and_then(J::as_str).unwrap_or("");
                        let empty = J::Object(serde_json::Map::new());
                        let props = res.get("Properties").unwrap_or(&empty);
                        if let Some(n) = independent_count(ty, props) {
                            compared += usize::from(n > 0);
                            let got = found_for(&x, id);
                            if got != n {
                                mismatches.push(format!(
                                    "{}: {id} ({ty}): {got} found, {n} expected",
                                    f.display()
                                ));
                            }
                        }
                    }
                }
                by_stem
                    .entry(f.with_extension(""))
                    .or_default()
                    .push((f.clone(), x));
            }
            Err(e) => {
                let msg = e.to_string();
                let shown = f.to_string_lossy();
                assert!(
                    msg.starts_with(shown.as_ref()),
                    "the error names the file: {msg}"
                );
                failures.push(msg);
            }
        }
    }
    for m in &failures {
        println!("failed: {m}");
    }
    for m in &engine_rejects {
        println!("the policy parser rejects: {m}");
    }
    for m in &mismatches {
        println!("count mismatch: {m}");
    }
    println!(
        "templates: {parsed} parsed, {policies} policies, {not_analysable} not analysable, {} failed; {compared} policy-bearing resources counted independently; {} policies rejected by the policy parser",
        failures.len(),
        engine_rejects.len()
    );
    // The corpus holds a few files that are not templates (event samples, build specs, a GitHub
    // workflow); they must be refused as such. Real templates must all be read.
    let real: Vec<_> = failures
        .iter()
        .filter(|m| !m.contains("not a CloudFormation template: no Resources section"))
        .collect();
    assert!(real.is_empty(), "templates that fail to parse: {real:?}");
    assert!(
        failures.len() <= 20,
        "too many files refused: {}",
        failures.len()
    );
    assert!(
        policies > 300,
        "expected several hundred policies, found {policies}"
    );
    assert!(
        compared > 200,
        "the independent count must cover most resources: {compared}"
    );
    assert!(
        mismatches.is_empty(),
        "{} resources whose policy count differs",
        mismatches.len()
    );

    // JSON and YAML renderings of the same template.
    let mut pairs = 0;
    let mut differ = Vec::new();
    for (stem, xs) in &by_stem {
        let json = xs
            .iter()
            .find(|(p, _)| p.extension().and_then(|e| e.to_str()) == Some("json"));
        let yaml = xs
            .iter()
            .find(|(p, _)| p.extension().and_then(|e| e.to_str()) != Some("json"));
        let (Some((_, a)), Some((_, b))) = (json, yaml) else {
            continue;
        };
        pairs += 1;
        let key = |x: &Extraction| -> Vec<String> {
            let mut v: Vec<String> = x
                .policies
                .iter()
                .map(|p| {
                    format!(
                        "{} {} {} {}",
                        p.resource,
                        p.policy_name,
                        p.policy_type.name(),
                        canonical(&serde_json::to_value(&p.document).unwrap_or(J::Null))
                    )
                })
                .collect();
            v.sort();
            v
        };
        if key(a) != key(b) {
            differ.push(stem.display().to_string());
        }
    }
    for d in &differ {
        println!("JSON and YAML differ: {d}");
    }
    println!("JSON/YAML pairs: {pairs}, {} differ", differ.len());
    assert!(
        pairs >= 100,
        "expected about 140 JSON/YAML pairs, found {pairs}"
    );
    assert!(
        differ.is_empty(),
        "{} JSON/YAML pairs give different policies",
        differ.len()
    );
}

/// JSON text with numbers and booleans as strings (YAML and JSON renderings differ there).
fn canonical(v: &J) -> String {
    fn norm(v: &J) -> J {
        match v {
            J::Number(n) => J::String(n.to_string()),
            J::Bool(b) => J::String(b.to_string()),
            J::Array(a) => J::Array(a.iter().map(norm).collect()),
            J::Object(o) => J::Object(o.iter().map(|(k, v)| (k.clone(), norm(v))).collect()),
            other => other.clone(),
        }
    }
    norm(v).to_string()
}
