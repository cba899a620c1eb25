//! `cargo bench -p iamproof-policy`: parsing and validating a synthetic ~36 KiB policy.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use iamproof_policy::{parse_json, parse_policy, validate_policy, PolicyType};

/// About 36 KiB: statements with action lists, resource ARNs with variables and conditions.
fn synthetic_policy() -> String {
    let mut statements = Vec::new();
    for i in 0..60 {
        statements.push(format!(
            r#"{{
      "Sid": "Stmt{i}",
      "Effect": "{effect}",
      "Action": ["s3:GetObject", "s3:PutObject", "s3:List*", "ec2:Describe*", "iam:GetRole", "kms:Decrypt"],
      "Resource": ["arn:aws:s3:::bucket-{i}/${{aws:username}}/*", "arn:aws:kms:us-east-1:111122223333:key/{i}"],
      "Condition": {{
        "StringEquals": {{"aws:PrincipalOrgID": "o-abc{i}", "aws:RequestedRegion": ["us-east-1", "eu-west-1"]}},
        "IpAddress": {{"aws:SourceIp": ["203.0.113.0/24", "198.51.100.7"]}},
        "DateLessThan": {{"aws:CurrentTime": "2030-01-01T00:00:00Z"}},
        "ForAnyValue:StringLike": {{"aws:TagKeys": ["team-*", "cost-?"]}}
      }}
    }}"#,
            effect = if i % 5 == 0 { "Deny" } else { "Allow" }
        ));
    }
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {}\n  ]\n}}",
        statements.join(",\n    ")
    )
}

fn bench(c: &mut Criterion) {
    let text = synthetic_policy();
    assert!(text.len() > 32 * 1024, "{} bytes", text.len());
    c.bench_function("parse_json 36KiB", |b| {
        b.iter(|| parse_json(black_box(&text)).map(|_| ()))
    });
    c.bench_function("parse_policy 36KiB", |b| {
        b.iter(|| parse_policy(black_box(&text), PolicyType::Identity).map(|_| ()))
    });
    c.bench_function("validate_policy 36KiB", |b| {
        b.iter(|| validate_policy(black_box(&text), PolicyType::Identity).len())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
