//! The SARIF report: valid against the SARIF 2.1.0 JSON schema, readable by an independent SARIF
//! reader, regions where the findings are, rule ids and fingerprints stable across runs and
//! unrelated edits, levels as documented.
//!
//! # The schema
//!
//! The OASIS SARIF 2.1.0 schema is not vendored (OASIS's terms are not the repository's licence).
//! The test reads the copy shipped inside the `serde-sarif` crate's source (`src/schema.json`,
//! the OASIS schema, draft-07 form), which cargo has unpacked under
//! `$CARGO_HOME/registry/src/*/serde-sarif-*/` since `serde-sarif` is a dev-dependency of this
//! crate. To use another copy (e.g. `sarif-schema-2.1.0.json` from the OASIS `sarif-spec`
//! repository, or `lib/schemas/sarif-2.1.0-rtm.5.json` of the npm package `@microsoft/jest-sarif`),
//! set `IAMPROOF_SARIF_SCHEMA` to its path.

mod common;

use iamproof_report::{
    render_sarif, to_sarif, BlockingRules, ClassifiedReport, Finding, FindingCode, FindingType,
    IgnoreEntry, Position, Report, SarifOptions, SourceLocation,
};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn schema_path() -> PathBuf {
    if let Some(path) = std::env::var_os("IAMPROOF_SARIF_SCHEMA") {
        return PathBuf::from(path);
    }
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .expect("neither CARGO_HOME nor HOME is set");
    let registry = cargo_home.join("registry").join("src");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&registry)
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|index| {
            std::fs::read_dir(index.path())
                .into_iter()
                .flatten()
                .flatten()
        })
        .filter(|krate| {
            krate
                .file_name()
                .to_string_lossy()
                .starts_with("serde-sarif-")
        })
        .map(|krate| krate.path().join("src").join("schema.json"))
        .filter(|schema| schema.is_file())
        .collect();
    found.sort();
    found.pop().unwrap_or_else(|| {
        panic!(
            "the SARIF 2.1.0 schema was not found under {}: run `cargo fetch` (serde-sarif is a \
             dev-dependency and ships it), or set IAMPROOF_SARIF_SCHEMA to a copy of \
             sarif-schema-2.1.0.json",
            registry.display()
        )
    })
}

/// The `language` pattern of the schema before OASIS's errata 01 has an unbalanced `]`, which is
/// not a valid regular expression; errata 01 corrected it to this.
const LANGUAGE_PATTERN_BEFORE_ERRATA: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
const LANGUAGE_PATTERN_ERRATA_01: &str = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$";

fn apply_errata(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if key == "pattern" && value == LANGUAGE_PATTERN_BEFORE_ERRATA {
                    *value = json!(LANGUAGE_PATTERN_ERRATA_01);
                } else {
                    apply_errata(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(apply_errata),
        _ => {}
    }
}

fn validator() -> jsonschema::Validator {
    let path = schema_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut schema: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        schema["title"]
            .as_str()
            .is_some_and(|t| t.contains("SARIF") && t.contains("2.1.0")),
        "{} is not the SARIF 2.1.0 schema",
        path.display()
    );
    apply_errata(&mut schema);
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn assert_valid(validator: &jsonschema::Validator, sarif: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema violations:\n{}",
        errors.join("\n")
    );
}

/// The full report: default rules, one finding ignored with a reason.
fn classified(report: Report) -> ClassifiedReport {
    BlockingRules::default()
        .with_ignore_entries([IgnoreEntry {
            resource: Some("LogsQueuePolicy".into()),
            code: Some("iamproof-UnknownValuesAssumed".into()),
            reason: Some("the queue is created by the same stack".into()),
        }])
        .unwrap()
        .classify(report)
}

fn sarif_of(report: Report) -> Value {
    to_sarif(&classified(report), &SarifOptions::default())
}

fn results(sarif: &Value) -> &Vec<Value> {
    sarif["runs"][0]["results"].as_array().unwrap()
}

/// `(ruleId, resource, policy, statementIndex)` → fingerprint.
fn fingerprints(sarif: &Value) -> BTreeMap<(String, String, String, Option<u64>), String> {
    results(sarif)
        .iter()
        .map(|r| {
            let key = (
                r["ruleId"].as_str().unwrap().to_string(),
                r["properties"]["resourceName"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                r["properties"]["policyName"].as_str().unwrap().to_string(),
                r["properties"]["statementIndex"].as_u64(),
            );
            let fingerprint = r["partialFingerprints"]["iamproof/v1"]
                .as_str()
                .unwrap()
                .to_string();
            (key, fingerprint)
        })
        .collect()
}

#[test]
fn sarif_is_valid_against_the_schema() {
    let validator = validator();
    let sarif = sarif_of(common::report());
    assert_valid(&validator, &sarif);
    // Also with nothing blocking, and with no findings at all.
    assert_valid(
        &validator,
        &to_sarif(
            &BlockingRules::nothing_blocking().classify(common::report()),
            &SarifOptions::default(),
        ),
    );
    assert_valid(
        &validator,
        &to_sarif(
            &BlockingRules::default().classify(Report::new("0.1.0")),
            &SarifOptions::default(),
        ),
    );
    // A finding without a location, and one whose file is outside the source root.
    let mut odd = Report::new("0.1.0");
    odd.findings.push(Finding::new(
        FindingType::Error,
        FindingCode::PolicyNotAnalysable,
        "no location",
        "R",
        "P",
    ));
    odd.findings.push(
        Finding::new(
            FindingType::Warning,
            FindingCode::Validation("MISSING_VERSION".into()),
            "outside",
            "R",
            "P",
        )
        .with_location(SourceLocation::new(
            "/elsewhere/a b.json",
            Position::new(1, 1),
            Position::new(2, 1),
        )),
    );
    let options = SarifOptions {
        source_root: Some("/repo".into()),
    };
    let sarif = to_sarif(&BlockingRules::default().classify(odd), &options);
    assert_eq!(
        results(&sarif)[1]["locations"][0]["physicalLocation"]["artifactLocation"],
        json!({"uri": "file:///elsewhere/a%20b.json"})
    );
    assert_valid(&validator, &sarif);
}

#[test]
fn the_schema_test_rejects_invalid_sarif() {
    // The validator really checks: a level SARIF does not have, a region without its start line.
    let validator = validator();
    let mut sarif = sarif_of(common::report());
    sarif["runs"][0]["results"][0]["level"] = json!("fatal");
    assert!(!validator.is_valid(&sarif));
    let mut sarif = sarif_of(common::report());
    sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        json!(0);
    assert!(!validator.is_valid(&sarif));
    let mut sarif = sarif_of(common::report());
    sarif["runs"][0]["tool"]["driver"]["unknownMember"] = json!(1);
    assert!(!validator.is_valid(&sarif));
}

#[test]
fn sarif_reads_back_with_serde_sarif() {
    let text = render_sarif(&classified(common::report()), &SarifOptions::default());
    let log: serde_sarif::sarif::Sarif = serde_json::from_str(&text).unwrap();
    let run = &log.runs[0];
    assert_eq!(run.tool.driver.name, "iamproof");
    assert_eq!(run.results.as_ref().map(Vec::len), Some(6));
}

#[test]
fn driver_and_rules() {
    let sarif = sarif_of(common::report());
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(
        sarif["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let driver = &sarif["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "iamproof");
    assert_eq!(driver["version"], "0.1.0");
    assert_eq!(
        driver["informationUri"],
        "https://github.com/iamproof/iamproof"
    );
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    // One rule per code, sorted by id.
    assert_eq!(
        ids,
        [
            "MISSING_VERSION",
            "PASS_ROLE_WITH_STAR_IN_RESOURCE",
            "iamproof-PolicyNotAnalysable",
            "iamproof-UnknownValuesAssumed",
            "policy-analysis-CheckNoNewAccess",
            "policy-analysis-CheckNoPublicAccess",
        ]
    );
    let rule = |id: &str| rules.iter().find(|r| r["id"] == id).unwrap();
    // Access Analyzer's learn-more link where the finding carries one, iamproof's docs otherwise.
    assert_eq!(
        rule("PASS_ROLE_WITH_STAR_IN_RESOURCE")["helpUri"],
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-security-warning-pass-role-with-star-in-resource"
    );
    assert_eq!(
        rule("policy-analysis-CheckNoNewAccess")["helpUri"],
        "https://github.com/iamproof/iamproof/blob/main/docs/findings.md#policy-analysis-checknonewaccess"
    );
    assert_eq!(
        rule("policy-analysis-CheckNoNewAccess")["name"],
        "CheckNoNewAccess"
    );
    assert_eq!(rule("MISSING_VERSION")["name"], "MissingVersion");
    // security-severity: a number, in a string.
    for rule in rules {
        let severity = rule["properties"]["security-severity"].as_str().unwrap();
        let value: f64 = severity.parse().unwrap();
        assert!((0.0..=10.0).contains(&value), "{severity}");
        assert!(!rule["properties"]["tags"].as_array().unwrap().is_empty());
        assert!(!rule["shortDescription"]["text"]
            .as_str()
            .unwrap()
            .is_empty());
        assert!(!rule["fullDescription"]["text"].as_str().unwrap().is_empty());
    }
    assert_eq!(
        rule("policy-analysis-CheckNoPublicAccess")["properties"]["security-severity"],
        "9.0"
    );
    assert_eq!(
        rule("PASS_ROLE_WITH_STAR_IN_RESOURCE")["properties"]["security-severity"],
        "7.5"
    );
    // Every result points at its rule.
    for result in results(&sarif) {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
    // The analysed files, as relative URIs.
    assert_eq!(
        sarif["runs"][0]["artifacts"],
        json!([
            {"location": {"uri": "infra/app.yaml", "uriBaseId": "%SRCROOT%"}},
            {"location": {"uri": "infra/tf/plan.json", "uriBaseId": "%SRCROOT%"}}
        ])
    );
    assert_eq!(sarif["runs"][0]["columnKind"], "unicodeCodePoints");
}

#[test]
fn regions_are_the_findings_locations() {
    let report = common::report();
    let sarif = sarif_of(report.clone());
    assert_eq!(results(&sarif).len(), report.findings.len());
    for result in results(&sarif) {
        let finding = report
            .findings
            .iter()
            .find(|f| {
                f.code.as_str() == result["ruleId"]
                    && f.resource_name == result["properties"]["resourceName"]
                    && f.policy_name == result["properties"]["policyName"]
            })
            .unwrap();
        let location = finding.location.as_ref().unwrap();
        let physical = &result["locations"][0]["physicalLocation"];
        assert_eq!(
            physical["region"],
            json!({
                "startLine": location.start.line,
                "startColumn": location.start.column,
                "endLine": location.end.line,
                "endColumn": location.end.column,
            })
        );
        let uri = if location.path == common::TEMPLATE_PATH {
            "infra/app.yaml"
        } else {
            "infra/tf/plan.json"
        };
        assert_eq!(
            physical["artifactLocation"],
            json!({"uri": uri, "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
            format!("{}.{}", finding.resource_name, finding.policy_name)
        );
    }
}

#[test]
fn the_source_root_is_removed_from_absolute_paths() {
    let mut report = common::report();
    for finding in &mut report.findings {
        if let Some(location) = &mut finding.location {
            location.path = format!(
                "/home/runner/work/app/app/{}",
                location.path.trim_start_matches("./")
            );
        }
    }
    let options = SarifOptions {
        source_root: Some("/home/runner/work/app/app".into()),
    };
    let sarif = to_sarif(&classified(report), &options);
    let relative = sarif_of(common::report());
    // Same URIs, hence the same fingerprints, as with the relative paths.
    assert_eq!(fingerprints(&sarif), fingerprints(&relative));
    assert_eq!(
        results(&sarif)[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "infra/tf/plan.json"
    );
}

#[test]
fn levels_follow_blocking() {
    let sarif = sarif_of(common::report());
    let levels: Vec<(&str, &str, bool)> = results(&sarif)
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap(),
                r["level"].as_str().unwrap(),
                r.get("suppressions").is_some(),
            )
        })
        .collect();
    assert_eq!(
        levels,
        [
            ("iamproof-PolicyNotAnalysable", "error", false),
            ("policy-analysis-CheckNoNewAccess", "error", false),
            ("PASS_ROLE_WITH_STAR_IN_RESOURCE", "error", false),
            ("policy-analysis-CheckNoPublicAccess", "error", false),
            ("MISSING_VERSION", "warning", false),
            ("iamproof-UnknownValuesAssumed", "note", true),
        ]
    );
    assert_eq!(
        results(&sarif)[5]["suppressions"],
        json!([{"kind": "external", "status": "accepted", "justification": "the queue is created by the same stack"}])
    );
    // Nothing blocking: no error level at all.
    let sarif = to_sarif(
        &BlockingRules::nothing_blocking().classify(common::report()),
        &SarifOptions::default(),
    );
    assert!(results(&sarif).iter().all(|r| r["level"] != "error"));
}

#[test]
fn rule_ids_and_fingerprints_are_stable_across_runs() {
    let first = render_sarif(&classified(common::report()), &SarifOptions::default());
    let second = render_sarif(&classified(common::report()), &SarifOptions::default());
    assert_eq!(first, second);
    let sarif: Value = serde_json::from_str(&first).unwrap();
    let prints = fingerprints(&sarif);
    assert_eq!(prints.len(), 6);
    let distinct: std::collections::BTreeSet<&String> = prints.values().collect();
    assert_eq!(distinct.len(), 6, "fingerprints are distinct");
    // The fingerprint is a hash and a count, as code scanning's own.
    for print in prints.values() {
        let (hash, n) = print.split_once(':').unwrap();
        assert_eq!(hash.len(), 32);
        assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(n, "1");
    }
}

#[test]
fn fingerprints_survive_unrelated_edits() {
    let before = fingerprints(&sarif_of(common::report()));

    // The edit: ten lines added at the top of the template (every location moves), the template
    // reformatted (excerpts change), a new finding in another resource, and the analysis listing
    // the findings in another order.
    let mut edited = common::report();
    for finding in &mut edited.findings {
        if let Some(location) = &mut finding.location {
            if location.path == common::TEMPLATE_PATH {
                location.start.line += 10;
                location.end.line += 10;
                location.start.column += 2;
                location.end.column += 2;
            }
        }
        finding.excerpt = None;
    }
    edited.findings.reverse();
    edited.findings.insert(
        2,
        Finding::new(
            FindingType::SecurityWarning,
            FindingCode::CheckNoNewAccess,
            "The modified permissions grant new access compared to your existing policy.",
            "DeployRole",
            "RootPolicy",
        )
        .with_location(SourceLocation::new(
            common::TEMPLATE_PATH,
            Position::new(3, 5),
            Position::new(8, 1),
        ))
        .with_statement(
            0,
            None,
            json!({"Effect": "Allow", "Action": "*", "Resource": "*"}),
        ),
    );
    let after = fingerprints(&sarif_of(edited));
    assert_eq!(after.len(), before.len() + 1);
    for (key, print) in &before {
        assert_eq!(after.get(key), Some(print), "{key:?}");
    }

    // A statement without Sid inserted before the PASS_ROLE statement: its index changes, its
    // content does not, so neither does its fingerprint.
    let mut shifted = common::report();
    let pass_role = shifted
        .findings
        .iter_mut()
        .find(|f| f.code.as_str() == "PASS_ROLE_WITH_STAR_IN_RESOURCE")
        .unwrap();
    pass_role.statement_index = Some(2);
    let after = fingerprints(&sarif_of(shifted));
    let key = |index| {
        (
            "PASS_ROLE_WITH_STAR_IN_RESOURCE".to_string(),
            "BuildRole".to_string(),
            "RootPolicy".to_string(),
            Some(index),
        )
    };
    assert_eq!(after.get(&key(2)), before.get(&key(1)));
}

#[test]
fn fingerprints_change_with_what_the_finding_is_about() {
    let before = fingerprints(&sarif_of(common::report()));
    let key = (
        "policy-analysis-CheckNoPublicAccess".to_string(),
        "LogsQueuePolicy".to_string(),
        "QueuePolicy".to_string(),
        Some(0),
    );
    // The statement's content changes: a different finding.
    let mut changed = common::report();
    let public = changed
        .findings
        .iter_mut()
        .find(|f| f.code == FindingCode::CheckNoPublicAccess)
        .unwrap();
    public.statement =
        Some(json!({"Effect": "Allow", "Principal": "*", "Action": "sqs:*", "Resource": "*"}));
    let after = fingerprints(&sarif_of(changed));
    assert_ne!(after.get(&key), before.get(&key));

    // Two findings identical in every part get numbered.
    let mut twice = Report::new("0.1.0");
    twice.findings = vec![common::public_access(), common::public_access()];
    let sarif = sarif_of(twice);
    let prints: Vec<&str> = results(&sarif)
        .iter()
        .map(|r| r["partialFingerprints"]["iamproof/v1"].as_str().unwrap())
        .collect();
    assert_eq!(
        prints[0].split_once(':').unwrap().0,
        prints[1].split_once(':').unwrap().0
    );
    assert!(prints[0].ends_with(":1") && prints[1].ends_with(":2"));
}

#[test]
fn sarif_snapshot() {
    insta::assert_json_snapshot!(sarif_of(common::report()));
}
