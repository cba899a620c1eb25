//! A report over a CloudFormation template and a Terraform plan, shared by the tests.

#![allow(dead_code)]

use iamproof_report::{
    Excerpt, Finding, FindingCode, FindingType, Position, Report, SourceLocation,
};
use serde_json::json;

pub const TEMPLATE_PATH: &str = "./infra/app.yaml";
pub const PLAN_PATH: &str = "infra\\tf\\plan.json";

/// The template the findings point into (line numbers matter).
pub const TEMPLATE: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  BuildRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: codebuild.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: RootPolicy
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Sid: Build
                Effect: Allow
                Action: ["s3:GetObject", "s3:DeleteObject"]
                Resource: "arn:aws:s3:::artifacts/*"
              - Effect: Allow
                Action: iam:PassRole
                Resource: "*"
  LogsQueuePolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref LogsQueue]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: sqs:SendMessage
            Resource: "*"
"#;

fn loc(path: &str, start: (u32, u32), end: (u32, u32)) -> SourceLocation {
    SourceLocation::new(
        path,
        Position::new(start.0, start.1),
        Position::new(end.0, end.1),
    )
}

fn excerpt(start: (u32, u32), end: (u32, u32)) -> Excerpt {
    Excerpt::from_source(
        TEMPLATE,
        Position::new(start.0, start.1),
        Position::new(end.0, end.1),
    )
    .expect("the excerpt is inside the template")
}

pub fn new_access() -> Finding {
    Finding::new(
        FindingType::SecurityWarning,
        FindingCode::CheckNoNewAccess,
        "The modified permissions grant new access compared to your existing policy.",
        "BuildRole",
        "RootPolicy",
    )
    .with_details(json!({
        "result": "FAIL",
        "message": "The modified permissions grant new access compared to your existing policy.",
        "reasons": [{"description": "New access in the statement with index: 0.", "statementIndex": 0, "statementId": "Build"}]
    }))
    .with_location(loc(TEMPLATE_PATH, (17, 17), (20, 53)))
    .with_statement(
        0,
        Some("Build".into()),
        json!({"Sid": "Build", "Effect": "Allow", "Action": ["s3:GetObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::artifacts/*"}),
    )
    .with_example_request(json!({"action": "s3:DeleteObject", "resource": "arn:aws:s3:::artifacts/a"}))
    .with_excerpt(excerpt((17, 17), (20, 53)))
}

pub fn pass_role() -> Finding {
    Finding::new(
        FindingType::SecurityWarning,
        FindingCode::Validation("PASS_ROLE_WITH_STAR_IN_RESOURCE".into()),
        "Using the iam:PassRole action with wildcards (*) in the resource can be overly permissive because it allows iam:PassRole permissions on multiple resources.",
        "BuildRole",
        "RootPolicy",
    )
    .with_details(json!({
        "findingType": "SECURITY_WARNING",
        "issueCode": "PASS_ROLE_WITH_STAR_IN_RESOURCE",
        "findingDetails": "Using the iam:PassRole action with wildcards (*) in the resource can be overly permissive because it allows iam:PassRole permissions on multiple resources.",
        "learnMoreLink": "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-security-warning-pass-role-with-star-in-resource",
        "locations": [{"path": [{"value": "Statement"}, {"index": 1}, {"value": "Resource"}], "span": {"start": {"line": 1, "column": 200, "offset": 200}, "end": {"line": 1, "column": 203, "offset": 203}}}]
    }))
    .with_location(loc(TEMPLATE_PATH, (21, 17), (23, 30)))
    .with_statement(
        1,
        None,
        json!({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}),
    )
    .with_excerpt(excerpt((21, 17), (23, 30)))
}

pub fn missing_version() -> Finding {
    Finding::new(
        FindingType::Warning,
        FindingCode::Validation("MISSING_VERSION".into()),
        "We recommend that you specify the Version element to help you with debugging permission issues.",
        "LogsQueuePolicy",
        "QueuePolicy",
    )
    .with_details(json!({
        "findingType": "WARNING",
        "issueCode": "MISSING_VERSION",
        "findingDetails": "We recommend that you specify the Version element to help you with debugging permission issues.",
        "learnMoreLink": "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-general-warning-missing-version",
        "locations": []
    }))
    .with_location(loc(TEMPLATE_PATH, (29, 9), (33, 26)))
}

pub fn public_access() -> Finding {
    Finding::new(
        FindingType::SecurityWarning,
        FindingCode::CheckNoPublicAccess,
        "The resource policy grants public access for the given resource type.",
        "LogsQueuePolicy",
        "QueuePolicy",
    )
    .with_details(json!({
        "result": "FAIL",
        "message": "The resource policy grants public access for the given resource type.",
        "reasons": [{"description": "Public access granted in the following statement with index: 0.", "statementIndex": 0}]
    }))
    .with_location(loc(TEMPLATE_PATH, (30, 13), (33, 26)))
    .with_statement(
        0,
        None,
        json!({"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*"}),
    )
    .with_example_request(json!({"principal": "anonymous", "action": "sqs:SendMessage", "resource": "*"}))
}

pub fn unknown_values() -> Finding {
    Finding::new(
        FindingType::Suggestion,
        FindingCode::UnknownValuesAssumed,
        "Queues refers to LogsQueue, whose ARN is known only at deployment; any value was assumed.",
        "LogsQueuePolicy",
        "QueuePolicy",
    )
    .with_location(loc(TEMPLATE_PATH, (27, 7), (27, 31)))
}

pub fn not_analysable() -> Finding {
    Finding::new(
        FindingType::Error,
        FindingCode::PolicyNotAnalysable,
        "The policy is known only after apply.",
        "module.ci.aws_iam_role.deploy",
        "inline_policy[0]",
    )
    .with_location(loc(PLAN_PATH, (120, 11), (120, 40)))
}

/// The whole report, in the order an analysis would produce it.
pub fn report() -> Report {
    let mut report = Report::new("0.1.0");
    report.files = vec![TEMPLATE_PATH.into(), PLAN_PATH.into()];
    report.findings = vec![
        new_access(),
        pass_role(),
        missing_version(),
        public_access(),
        unknown_values(),
        not_analysable(),
    ];
    report
}
