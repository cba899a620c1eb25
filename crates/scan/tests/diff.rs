//! How the gate matches base and head policies: renamed resources, added and removed policies,
//! `--allow-added`, unknown values, statements shifted by the approximation, and a deterministic
//! order whatever the number of threads.

use iamproof_report::{Finding, FindingType};
use iamproof_scan::{diff_extractions, DiffOptions, ScanOptions, Sources, POLICY_REMOVED};
use iamproof_templates::{extract_text, ExtractOptions, Extraction};
use std::num::NonZeroUsize;

fn template(resources: &str) -> Extraction {
    let text = format!("Resources:\n{resources}");
    extract_text("template.yaml", &text, &ExtractOptions::default()).expect("template reads")
}

fn role(id: &str, statements: &str) -> String {
    format!(
        "  {id}:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n{statements}"
    )
}

const READ: &str = "          - Sid: Read\n            Effect: Allow\n            Action: s3:GetObject\n            Resource: arn:aws:s3:::data/*\n";
const WRITE: &str = "          - Sid: Write\n            Effect: Allow\n            Action: s3:PutObject\n            Resource: arn:aws:s3:::data/*\n";

fn gate(base: &Extraction, head: &Extraction, allow_added: bool, threads: usize) -> Vec<Finding> {
    let diff = DiffOptions {
        allow_added,
        base_root: "template.yaml".into(),
        head_root: "template.yaml".into(),
        base_revision: None,
    };
    let opts = ScanOptions {
        threads: NonZeroUsize::new(threads),
        quiet: true,
        ..ScanOptions::default()
    };
    diff_extractions(base, head, &diff, &opts, &Sources::new())
}

fn summary(findings: &[Finding]) -> Vec<(String, String, Option<String>, FindingType)> {
    findings
        .iter()
        .map(|f| {
            (
                f.code.as_str().to_string(),
                f.resource_name.clone(),
                f.statement_id.clone(),
                f.finding_type,
            )
        })
        .collect()
}

#[test]
fn a_renamed_resource_with_the_same_document_is_the_same_policy() {
    let base = template(&role("ReadPolicy", READ));
    let head = template(&role("ReadPolicyRenamed", READ));
    assert_eq!(summary(&gate(&base, &head, false, 2)), []);
    // Renamed and widened: a new policy, checked as a whole; the old one is reported removed.
    let head = template(&role("ReadPolicyRenamed", &format!("{READ}{WRITE}")));
    let findings = gate(&base, &head, false, 2);
    assert_eq!(
        summary(&findings),
        [
            (
                "policy-analysis-CheckNoNewAccess".into(),
                "ReadPolicyRenamed".into(),
                Some("Read".into()),
                FindingType::SecurityWarning
            ),
            (
                "policy-analysis-CheckNoNewAccess".into(),
                "ReadPolicyRenamed".into(),
                Some("Write".into()),
                FindingType::SecurityWarning
            ),
            (
                POLICY_REMOVED.into(),
                "ReadPolicy".into(),
                None,
                FindingType::Suggestion
            ),
        ]
    );
    assert!(
        findings[0].message.starts_with("The policy is new"),
        "{}",
        findings[0].message
    );
    // --allow-added accepts the new policy; the removal is still reported (non-blocking).
    assert_eq!(
        summary(&gate(&base, &head, true, 2)),
        [(
            POLICY_REMOVED.into(),
            "ReadPolicy".into(),
            None,
            FindingType::Suggestion
        )]
    );
}

#[test]
fn unknown_values_widen_the_head_and_narrow_the_base() {
    let with_import = "          - Sid: Shared\n            Effect: Allow\n            Action: s3:GetObject\n            Resource: !ImportValue shared-bucket-arn\n";
    // The same document with the same unknown expression: unchanged, nothing to check.
    let base = template(&role("P", &format!("{READ}{with_import}")));
    let head = template(&role("P", &format!("{READ}{with_import}")));
    assert_eq!(summary(&gate(&base, &head, false, 2)), []);
    // A changed document with an unknown: the unknown is any value in the head and none in the
    // base, so the statement holding it is new access (and a note names the unknown).
    let head = template(&role("P", &format!("{WRITE}{with_import}")));
    let s = summary(&gate(&base, &head, false, 2));
    assert_eq!(s.len(), 3, "{s:?}");
    assert_eq!(s[0].0, "iamproof-UnknownValuesAssumed");
    assert_eq!(s[0].3, FindingType::Suggestion);
    let failing: Vec<Option<String>> = s[1..].iter().map(|x| x.2.clone()).collect();
    assert_eq!(failing, [Some("Write".into()), Some("Shared".into())]);
}

#[test]
fn findings_point_at_the_source_statement_when_the_approximation_drops_one() {
    // Statement 0 is a Deny with an unknown: the over-approximation drops it, so the checked
    // text's statement 0 is the source's statement 1.
    let deny = "          - Sid: DenyShared\n            Effect: Deny\n            Action: s3:DeleteObject\n            Resource: !ImportValue shared-bucket-arn\n";
    let base = template(&role("P", READ));
    let head_text = format!("Resources:\n{}", role("P", &format!("{deny}{WRITE}")));
    let head =
        extract_text("template.yaml", &head_text, &ExtractOptions::default()).expect("reads");
    let findings = gate(&base, &head, false, 2);
    let fail = findings
        .iter()
        .find(|f| f.code.as_str() == "policy-analysis-CheckNoNewAccess")
        .expect("a FAIL");
    assert_eq!(fail.statement_id.as_deref(), Some("Write"));
    let line = head_text
        .lines()
        .position(|l| l.contains("- Sid: Write"))
        .map(|i| i as u32 + 1);
    assert_eq!(fail.location.as_ref().map(|l| l.start.line), line);
}

#[test]
fn the_order_of_findings_does_not_depend_on_the_threads() {
    let mut base = String::new();
    let mut head = String::new();
    for i in 0..12 {
        base.push_str(&role(&format!("P{i}"), READ));
        let widened = if i % 3 == 0 {
            format!("{READ}{WRITE}")
        } else {
            READ.to_string()
        };
        head.push_str(&role(&format!("P{i}"), &widened));
    }
    let base = template(&base);
    let head = template(&head);
    let one = summary(&gate(&base, &head, false, 1));
    let four = summary(&gate(&base, &head, false, 4));
    assert_eq!(one, four);
    let resources: Vec<&str> = one.iter().map(|f| f.1.as_str()).collect();
    assert_eq!(resources, ["P0", "P3", "P6", "P9"]);
}

#[test]
fn a_head_policy_that_cannot_be_built_blocks() {
    let base = template(&role("P", READ));
    let head = template(
        "  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: !GetAtt Missing.Document\n",
    );
    let findings = gate(&base, &head, true, 2);
    assert!(
        findings
            .iter()
            .any(|f| f.code.as_str() == "iamproof-PolicyNotAnalysable"
                && f.finding_type == FindingType::Error),
        "{:?}",
        summary(&findings)
    );
}

#[test]
fn a_check_that_runs_out_of_time_fails() {
    // The head only narrows the base, so a completed check would PASS; with no time at all the
    // check cannot complete and must FAIL.
    let base = template(&role("P", &format!("{READ}{WRITE}")));
    let head = template(&role("P", READ));
    let diff = DiffOptions {
        allow_added: false,
        base_root: "template.yaml".into(),
        head_root: "template.yaml".into(),
        base_revision: None,
    };
    let mut opts = ScanOptions {
        quiet: true,
        ..ScanOptions::default()
    };
    assert_eq!(
        summary(&diff_extractions(
            &base,
            &head,
            &diff,
            &opts,
            &Sources::new()
        )),
        []
    );
    opts.check.timeout = std::time::Duration::ZERO;
    let findings = diff_extractions(&base, &head, &diff, &opts, &Sources::new());
    assert_eq!(findings.len(), 1, "{:?}", summary(&findings));
    assert_eq!(
        findings[0].code.as_str(),
        "policy-analysis-CheckNoNewAccess"
    );
    assert!(
        findings[0].details["unknownReason"].is_string(),
        "{}",
        findings[0].details
    );
}
