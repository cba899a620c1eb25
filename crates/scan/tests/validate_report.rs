//! `validate` over the bundled CloudFormation template: the findings, their places in the YAML
//! source, and the three renderings (text, cfn-policy-validator's JSON, SARIF 2.1.0 valid against
//! the schema, read the way crates/report/tests/sarif.rs reads it).

use iamproof_report::{
    render_json, render_sarif, render_text, to_sarif, BlockingRules, ClassifiedReport, Report,
    SarifOptions,
};
use iamproof_scan::{report_files, validate_extraction, ScanOptions, Sources, ValidateConfig};
use iamproof_templates::{extract, ExtractOptions};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn classified(params: &[(&str, &str)]) -> (ClassifiedReport, String) {
    let path = examples().join("templates/cloudformation.yaml");
    let options = ExtractOptions {
        parameters: params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..ExtractOptions::default()
    };
    let extraction = extract(&path, &options).expect("the example template reads");
    let findings = validate_extraction(
        &extraction,
        &ValidateConfig::default(),
        &ScanOptions::default(),
        &Sources::new(),
    );
    let shown = path.to_string_lossy().to_string();
    let mut report = Report::new("0.1.0");
    report.files = report_files(&shown, &extraction);
    report.findings = findings;
    (BlockingRules::default().classify(report), shown)
}

/// The SARIF 2.1.0 schema shipped in the `serde-sarif` crate's source (as in
/// crates/report/tests/sarif.rs, which explains the choice), or `IAMPROOF_SARIF_SCHEMA`.
fn sarif_validator() -> jsonschema::Validator {
    let path = std::env::var_os("IAMPROOF_SARIF_SCHEMA")
        .map(PathBuf::from)
        .or_else(|| {
            let home = std::env::var_os("CARGO_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))?;
            let mut found: Vec<PathBuf> = std::fs::read_dir(home.join("registry/src"))
                .ok()?
                .flatten()
                .flat_map(|index| {
                    std::fs::read_dir(index.path())
                        .into_iter()
                        .flatten()
                        .flatten()
                })
                .filter(|k| k.file_name().to_string_lossy().starts_with("serde-sarif-"))
                .map(|k| k.path().join("src/schema.json"))
                .filter(|s| s.is_file())
                .collect();
            found.sort();
            found.pop()
        })
        .expect("the SARIF schema: run `cargo fetch` or set IAMPROOF_SARIF_SCHEMA");
    let text = std::fs::read_to_string(&path).expect("read the schema");
    // OASIS errata 01: the `language` pattern of the published schema is not a valid regex.
    let text = text.replace(
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
        r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#,
    );
    let schema: Value = serde_json::from_str(&text).expect("schema JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

#[test]
fn validate_finds_the_public_bucket_statement_and_notes_the_unknowns() {
    let (report, shown) = classified(&[]);
    // Without a value for PartnerAccount the bucket's principal is any account: public access,
    // at the statement's line in the YAML source.
    assert_eq!(report.blocking.len(), 1, "{}", render_text(&report));
    let f = &report.blocking[0];
    assert_eq!(f.code.as_str(), "policy-analysis-CheckNoPublicAccess");
    assert_eq!(
        (f.resource_name.as_str(), f.policy_name.as_str()),
        ("ArtifactBucketPolicy", "PolicyDocument")
    );
    assert_eq!(f.statement_id.as_deref(), Some("PartnerReadsReleases"));
    let location = f.location.as_ref().expect("a location");
    assert_eq!(location.path, shown);
    assert_eq!((location.start.line, location.start.column), (29, 13));
    assert!(f.example_request.is_some());
    // Two notes: the two policies holding values known only at deployment.
    let notes: Vec<(&str, &str)> = report
        .non_blocking
        .iter()
        .map(|f| (f.code.as_str(), f.resource_name.as_str()))
        .collect();
    assert_eq!(
        notes,
        [
            ("iamproof-UnknownValuesAssumed", "ArtifactBucketPolicy"),
            ("iamproof-UnknownValuesAssumed", "BuildRole")
        ]
    );

    // Text: file:line:col, the statement quoted, the example request, the summary.
    let text = render_text(&report);
    assert!(text.contains(&format!(
        "{shown}:29:13: SECURITY_WARNING policy-analysis-CheckNoPublicAccess ArtifactBucketPolicy.PolicyDocument:"
    )), "{text}");
    assert!(
        text.contains("  29 |           - Sid: PartnerReadsReleases\n"),
        "{text}"
    );
    assert!(
        text.ends_with("1 blocking finding, 2 non-blocking findings.\n"),
        "{text}"
    );

    // JSON: cfn-policy-validator's shape.
    let json: Value = serde_json::from_str(&render_json(&report)).expect("JSON");
    assert_eq!(
        json["BlockingFindings"][0]["findingType"],
        "SECURITY_WARNING"
    );
    assert_eq!(
        json["BlockingFindings"][0]["resourceName"],
        "ArtifactBucketPolicy"
    );
    assert_eq!(json["BlockingFindings"][0]["details"]["result"], "FAIL");
    assert_eq!(
        json["NonBlockingFindings"].as_array().map(Vec::len),
        Some(2)
    );

    // With the partner account given, the policy names fixed accounts only: nothing blocks.
    let (report, _) = classified(&[("PartnerAccount", "444455556666")]);
    assert!(report.blocking.is_empty(), "{}", render_text(&report));
}

#[test]
fn the_sarif_report_is_valid_and_points_at_the_statement() {
    let (report, _) = classified(&[]);
    let root = examples()
        .join("..")
        .canonicalize()
        .expect("workspace root");
    let options = SarifOptions {
        source_root: Some(root.to_string_lossy().to_string()),
    };
    let sarif = to_sarif(&report, &options);
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema violations:\n{}",
        errors.join("\n")
    );
    // The rendered text is the same log.
    let text: Value = serde_json::from_str(&render_sarif(&report, &options)).expect("SARIF JSON");
    assert_eq!(text, sarif);

    let results = sarif["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let public = results
        .iter()
        .find(|r| r["ruleId"] == "policy-analysis-CheckNoPublicAccess")
        .expect("the public-access result");
    assert_eq!(public["level"], "error");
    let physical = &public["locations"][0]["physicalLocation"];
    assert_eq!(physical["region"]["startLine"], 29);
    assert_eq!(physical["region"]["startColumn"], 13);
    let uri = physical["artifactLocation"]["uri"]
        .as_str()
        .unwrap_or_default();
    assert!(
        uri.ends_with("examples/templates/cloudformation.yaml"),
        "{uri}"
    );
    // The source line at the region is the statement's first line.
    let yaml =
        std::fs::read_to_string(examples().join("templates/cloudformation.yaml")).expect("read");
    assert_eq!(
        yaml.lines().nth(28).map(str::trim),
        Some("- Sid: PartnerReadsReleases")
    );
    let notes: Vec<&Value> = results.iter().filter(|r| r["level"] == "note").collect();
    assert_eq!(notes.len(), 2, "{}", json!(results));
}

/// A check's findings name the resource both ways: the logical id (`resourceName`) and the name
/// AWS knows it by (`physicalName`, as cfn-policy-validator names it).
#[test]
fn findings_carry_the_physical_name() {
    let template = "Resources:
  Bucket: {Type: AWS::S3::Bucket, Properties: {BucketName: site-assets}}
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - {Effect: Allow, Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site-assets/*'}
";
    let extraction =
        iamproof_templates::extract_text("t.yaml", template, &ExtractOptions::default())
            .expect("the template reads");
    let findings = iamproof_scan::check_extraction(
        &extraction,
        &iamproof_scan::TemplateCheck::NoPublicAccess,
        &ScanOptions::default(),
        &Sources::new(),
    );
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].resource_name, "BucketPolicy");
    assert_eq!(findings[0].physical_name.as_deref(), Some("site-assets"));
}
