//! Symbolic vs concrete on random policies: proptest builds policies from a grammar over small
//! alphabets (every operator family, qualifiers, IfExists, Null, variables with defaults, every
//! principal form, Not* elements, short ARNs, all policy types) and random requests; the formula's
//! truth value must equal the evaluator's, overall and per statement.

mod support;

use iamproof_policy::{parse_policy, PolicyType};
use proptest::prelude::*;

const PRINCIPALS: &[&str] = &[
    r#""*""#,
    r#"{"AWS":"*"}"#,
    r#"{"AWS":"111122223333"}"#,
    r#"{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::444455556666:user/bob"]}"#,
    r#"{"AWS":"arn:aws:iam::111122223333:role/path/Admin"}"#,
    r#"{"AWS":"arn:aws:sts::111122223333:assumed-role/Admin/s1"}"#,
    r#"{"AWS":"arn:aws:iam::111122223333:user/x/bob"}"#,
    r#"{"Federated":"*","CanonicalUser":"*"}"#,
    r#"{"Service":"*"}"#,
    // Every layer of a role session (NotPrincipal is checked layer by layer).
    r#"{"AWS":["arn:aws:sts::111122223333:assumed-role/Admin/sess","arn:aws:iam::111122223333:role/Admin","111122223333"]}"#,
    r#"{"AWS":["arn:aws:iam::444455556666:user/bob","arn:aws:iam::444455556666:root","arn:aws:iam:x:444455556666:thing"]}"#,
    r#"{"Service":["lambda.amazonaws.com","s3.amazonaws.com"]}"#,
    r#"{"Federated":"accounts.google.com","CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}"#,
];

const ACTIONS: &[&str] = &[
    "s3:Get*",
    "s3:GetObject",
    "s3:?etObject",
    "S3:put*",
    "*",
    "iam:*",
    "ec2:Describe*Instances",
    "s3:*Object*",
];

const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b/${aws:username}/*",
    "arn:aws:s3:::b/${aws:PrincipalTag/team, 'dflt'}*",
    "arn:aws:sqs",
    "arn:aws:sqs:*",
    "arn:aws:s3:::b?",
    "arn:*:s3:*:*:*",
    "arn:aws:iam::${aws:PrincipalAccount}:role/*",
    "arn:aws:s3:::b/${*}x",
];

/// (operator, key, values as JSON)
const CONDITIONS: &[(&str, &str, &str)] = &[
    (
        "StringEquals",
        "aws:PrincipalAccount",
        r#"["111122223333","444455556666"]"#,
    ),
    ("StringNotEquals", "aws:PrincipalOrgID", r#""o-1""#),
    ("StringEqualsIgnoreCase", "k1", r#""MiXeD""#),
    ("StringNotEqualsIgnoreCaseIfExists", "k1", r#"["a","B"]"#),
    ("StringLike", "k1", r#"["a*","*${aws:username}*"]"#),
    ("StringNotLike", "aws:username", r#""b?b""#),
    ("ForAllValues:StringEquals", "aws:TagKeys", r#"["a","b"]"#),
    ("ForAnyValue:StringLike", "aws:TagKeys", r#""a*""#),
    ("ForAllValues:StringNotLike", "aws:TagKeys", r#""x*""#),
    (
        "ForAnyValue:StringNotEqualsIfExists",
        "aws:TagKeys",
        r#"["a"]"#,
    ),
    ("StringEquals", "k1", r#"[]"#),
    ("ForAllValues:StringEquals", "k1", r#"[]"#),
    ("NumericLessThan", "s3:max-keys", r#""10""#),
    ("NumericGreaterThanEquals", "s3:max-keys", r#"["1.5","x"]"#),
    ("NumericNotEquals", "s3:max-keys", "7"),
    (
        "DateLessThan",
        "aws:CurrentTime",
        r#""2020-01-01T00:00:00Z""#,
    ),
    ("DateGreaterThan", "aws:CurrentTime", r#""1577836800""#),
    ("DateNotEquals", "aws:CurrentTime", r#""2020-01-01""#),
    ("Bool", "aws:SecureTransport", "true"),
    ("Bool", "aws:SecureTransport", r#""False""#),
    ("BinaryEquals", "k1", r#""aGk=""#),
    (
        "IpAddress",
        "aws:SourceIp",
        r#"["203.0.113.0/24","2001:db8::/32"]"#,
    ),
    ("NotIpAddress", "aws:SourceIp", r#""203.0.113.7""#),
    ("ArnLike", "aws:PrincipalArn", r#""arn:aws:iam::*:role/*""#),
    ("ArnNotEquals", "aws:SourceArn", r#""arn:aws:s3:::b""#),
    (
        "ArnLike",
        "aws:SourceArn",
        r#""arn:aws:s3:::${aws:username}""#,
    ),
    (
        "ArnEquals",
        "aws:SourceArn",
        r#""arn:aws:iam::${aws:PrincipalAccount}:root""#,
    ),
    ("Null", "k1", "true"),
    ("Null", "aws:TagKeys", r#""false""#),
    ("ForAllValues:Null", "k1", "true"),
    ("ForAnyValue:Null", "k1", "false"),
    (
        "StringEqualsIfExists",
        "aws:username",
        r#""${aws:PrincipalTag/team}""#,
    ),
];

fn statement_json(
    ty: PolicyType,
    effect: bool,
    principal: Option<(bool, usize)>,
    action: (bool, Vec<usize>),
    resource: Option<(bool, Vec<usize>)>,
    conds: Vec<usize>,
) -> String {
    let mut parts = vec![format!(
        r#""Effect":"{}""#,
        if effect { "Allow" } else { "Deny" }
    )];
    if ty.has_principal() {
        if let Some((neg, i)) = principal {
            parts.push(format!(
                r#""{}":{}"#,
                if neg { "NotPrincipal" } else { "Principal" },
                PRINCIPALS[i % PRINCIPALS.len()]
            ));
        }
    }
    let list = |ix: &[usize], table: &[&str]| {
        let v: Vec<String> = ix
            .iter()
            .map(|i| format!("{:?}", table[i % table.len()]))
            .collect();
        format!("[{}]", v.join(","))
    };
    parts.push(format!(
        r#""{}":{}"#,
        if action.0 { "NotAction" } else { "Action" },
        list(&action.1, ACTIONS)
    ));
    if let Some((neg, ix)) = resource {
        parts.push(format!(
            r#""{}":{}"#,
            if neg { "NotResource" } else { "Resource" },
            list(&ix, RESOURCES).replace("\\$", "$")
        ));
    }
    if !conds.is_empty() {
        // Group by operator (duplicate operator names are not allowed in one block).
        let mut by_op: std::collections::BTreeMap<&str, Vec<(&str, &str)>> = Default::default();
        for c in conds {
            let (op, k, v) = CONDITIONS[c % CONDITIONS.len()];
            let e = by_op.entry(op).or_default();
            if !e.iter().any(|(k2, _)| k2.eq_ignore_ascii_case(k)) {
                e.push((k, v));
            }
        }
        let blocks: Vec<String> = by_op
            .iter()
            .map(|(op, kv)| {
                let inner: Vec<String> = kv.iter().map(|(k, v)| format!("{k:?}:{v}")).collect();
                format!("{op:?}:{{{}}}", inner.join(","))
            })
            .collect();
        parts.push(format!(r#""Condition":{{{}}}"#, blocks.join(",")));
    }
    format!("{{{}}}", parts.join(","))
}

type StmtSpec = (
    bool,
    Option<(bool, usize)>,
    (bool, Vec<usize>),
    Option<(bool, Vec<usize>)>,
    Vec<usize>,
);

fn stmt() -> impl Strategy<Value = StmtSpec> {
    (
        any::<bool>(),
        proptest::option::weighted(0.9, (any::<bool>(), 0usize..100)),
        (
            proptest::bool::weighted(0.2),
            proptest::collection::vec(0usize..100, 1..4),
        ),
        proptest::option::weighted(
            0.9,
            (
                proptest::bool::weighted(0.2),
                proptest::collection::vec(0usize..100, 1..3),
            ),
        ),
        proptest::collection::vec(0usize..1000, 0..4),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, .. ProptestConfig::default() })]

    #[test]
    fn random_policies_agree_with_the_evaluator(
        ty in prop_oneof![
            Just(PolicyType::Identity),
            Just(PolicyType::Resource),
            Just(PolicyType::ServiceControl),
            Just(PolicyType::ResourceControl),
        ],
        version in prop_oneof![Just("\"Version\":\"2012-10-17\","), Just("\"Version\":\"2008-10-17\","), Just("")],
        stmts in proptest::collection::vec(stmt(), 1..4),
        seed in any::<u64>(),
    ) {
        let body: Vec<String> = stmts
            .into_iter()
            .map(|(e, p, a, r, c)| statement_json(ty, e, p, a, r, c))
            .collect();
        let text = format!(r#"{{{version}"Statement":[{}]}}"#, body.join(","));
        let parsed = parse_policy(&text, ty);
        if std::env::var("IAMPROOF_DEBUG_PARSE").is_ok() { eprintln!("PARSE {}", match &parsed { Ok(_) => "ok".to_string(), Err(e) => format!("{} {}", e.code, e) }); }
        let Ok(policy) = parsed else {
            // The grammar can build documents the parser rightly rejects.
            return Ok(());
        };
        let (_, failure) = support::check_policy(&policy, 150, seed);
        prop_assert!(failure.is_none(), "policy {text}\n{}", failure.unwrap_or_default());
    }
}
