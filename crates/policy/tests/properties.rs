//! Properties over generated policy-like documents: the parser and validator never panic, every
//! position they report agrees with its byte offset, and spans cut out the node's own text.

use iamproof_policy::*;
use proptest::prelude::*;

/// (line, column) of a byte offset, counted the way `Position` documents it.
fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line = 1 + before.matches('\n').count() as u32;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() as u32;
    (line, col)
}

fn check_position(text: &str, p: Position) {
    assert!(p.offset <= text.len(), "{p:?} beyond {}", text.len());
    assert!(text.is_char_boundary(p.offset));
    assert_eq!(
        line_col(text, p.offset),
        (p.line, p.column),
        "{p:?} in {text:?}"
    );
}

fn check_span(text: &str, s: Span) {
    check_position(text, s.start);
    check_position(text, s.end);
    assert!(s.start.offset <= s.end.offset);
}

/// JSON snippets from the policy grammar, good and bad.
fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\"*\"".to_string()),
        Just("\"s3:GetObject\"".to_string()),
        Just("\"s3:Get*\"".to_string()),
        Just("\"arn:aws:s3:::b/${aws:username}/*\"".to_string()),
        Just("\"arn:aws:${x}:::b\"".to_string()),
        Just("\"${\"".to_string()),
        Just("\"é€😀\\n\\u00e9\"".to_string()),
        Just("\"Allow\"".to_string()),
        Just("\"Deny\"".to_string()),
        Just("\"2012-10-17\"".to_string()),
        Just("\"111122223333\"".to_string()),
        Just("1.5e3".to_string()),
        Just("true".to_string()),
        Just("null".to_string()),
        Just("\"10.0.0.0/8\"".to_string()),
        Just("\"\"".to_string()),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Version"),
        Just("Statement"),
        Just("Effect"),
        Just("Action"),
        Just("NotAction"),
        Just("Resource"),
        Just("Principal"),
        Just("NotPrincipal"),
        Just("AWS"),
        Just("Service"),
        Just("Condition"),
        Just("StringEquals"),
        Just("ForAnyValue:StringLike"),
        Just("NumericLessThanIfExists"),
        Just("Bool"),
        Just("NullIfExists"),
        Just("aws:TagKeys"),
        Just("AWS:tagkeys"),
        Just("aws:SourceIp"),
        Just("Sid"),
        Just("effect"),
    ]
    .prop_map(|s| format!("\"{s}\""))
}

fn value() -> impl Strategy<Value = String> {
    scalar().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec((key(), inner), 0..6).prop_map(|m| {
                let body: Vec<String> = m.into_iter().map(|(k, v)| format!("{k}: {v}")).collect();
                format!("{{\n  {}\n}}", body.join(",\n  "))
            }),
        ]
    })
}

/// A mostly well-formed statement: each element present with high probability.
fn statement() -> impl Strategy<Value = String> {
    let effect = prop_oneof![8 => Just("\"Allow\""), 8 => Just("\"Deny\""), 1 => Just("\"allow\"")];
    let action = prop::collection::vec(
        prop_oneof![
            8 => Just("\"s3:GetObject\""),
            4 => Just("\"s3:Get*\""),
            2 => Just("\"*\""),
            2 => Just("\"iam:PassRole\""),
            2 => Just("\"S3:get?bject,x\""),
            1 => Just("\"ec2:${aws:username}\""),
            1 => Just("\"s3\""),
        ],
        0..4,
    );
    let resource = prop::collection::vec(
        prop_oneof![
            Just("\"*\""),
            Just("\"arn:aws:s3:::b/*\""),
            Just("\"arn:aws:s3:::b/${aws:username}/x\""),
            Just("\"arn:aws:s3\""),
        ],
        0..4,
    );
    let principal = prop_oneof![
        12 => Just(""),
        1 => Just(", \"Principal\": \"*\""),
        1 => Just(", \"Principal\": {\"AWS\": [\"111122223333\", \"*\"]}"),
        1 => Just(", \"NotPrincipal\": {\"Service\": \"ec2.amazonaws.com\"}"),
    ];
    let op = prop_oneof![
        4 => Just("StringEquals"),
        2 => Just("ForAllValues:StringLike"),
        2 => Just("NumericLessThan"),
        2 => Just("DateGreaterThanIfExists"),
        2 => Just("IpAddress"),
        2 => Just("Bool"),
        2 => Just("Null"),
        2 => Just("ArnLike"),
        1 => Just("stringequals"),
    ];
    let ckey = prop_oneof![
        Just("aws:TagKeys"),
        Just("aws:SourceIp"),
        Just("aws:CurrentTime"),
        Just("s3:max-keys"),
        Just("aws:PrincipalArn"),
    ];
    let cvalue = prop_oneof![
        Just("\"a\""),
        Just("\"*\""),
        Just("\"10.0.0.0/8\""),
        Just("\"2020-01-01T00:00:00Z\""),
        Just("5"),
        Just("true"),
        Just("\"é\""),
    ];
    let condition = prop::collection::vec((op, ckey, prop::collection::vec(cvalue, 0..3)), 0..3);
    (
        effect,
        action,
        resource,
        principal,
        condition,
        any::<bool>(),
    )
        .prop_map(|(e, a, r, p, c, with_condition)| {
            let mut s = format!(
                "{{\"Effect\": {e}, \"Action\": [{}], \"Resource\": [{}]{p}",
                a.join(", "),
                r.join(", ")
            );
            if with_condition {
                // Operator blocks numbered so that repeated operators stay distinct keys.
                let ops: Vec<String> = c
                    .iter()
                    .enumerate()
                    .map(|(i, (o, k, v))| {
                        let suffix = if i == 1 && *o != "Null" {
                            "IfExists"
                        } else {
                            ""
                        };
                        format!("\"{o}{suffix}\": {{\"{k}\": [{}]}}", v.join(", "))
                    })
                    .collect();
                s.push_str(&format!(",\n  \"Condition\": {{{}}}", ops.join(", ")));
            }
            s.push('}');
            s
        })
}

fn document() -> impl Strategy<Value = String> {
    let stmt = prop_oneof![12 => statement(), 1 => value()];
    (prop::collection::vec(stmt, 1..4), any::<bool>()).prop_map(|(stmts, version)| {
        let v = if version {
            "\"Version\": \"2012-10-17\", "
        } else {
            ""
        };
        format!("{{{v}\"Statement\": [{}]}}", stmts.join(", "))
    })
}

fn policy_type() -> impl Strategy<Value = PolicyType> {
    prop_oneof![
        Just(PolicyType::Identity),
        Just(PolicyType::Resource),
        Just(PolicyType::ServiceControl),
        Just(PolicyType::ResourceControl),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn positions_agree_with_offsets(doc in document(), ty in policy_type()) {
        match parse_policy(&doc, ty) {
            Err(e) => {
                check_span(&doc, e.span);
                prop_assert_eq!(e.position, e.span.start);
                prop_assert!(!e.code.as_str().is_empty());
            }
            Ok(p) => {
                for st in &p.statements {
                    check_span(&doc, st.span);
                    prop_assert!(doc[st.span.start.offset..].starts_with('{'), "statement span");
                    for a in &st.action.patterns {
                        check_span(&doc, a.span);
                        prop_assert!(doc[a.span.start.offset..].starts_with('"'), "action span");
                    }
                    for c in &st.conditions {
                        check_span(&doc, c.span);
                        for v in &c.values {
                            check_span(&doc, v.span);
                        }
                    }
                }
            }
        }
        for f in validate_policy(&doc, ty) {
            for l in &f.locations {
                check_span(&doc, l.span);
            }
        }
    }

    #[test]
    fn truncated_documents_never_panic(doc in document(), cut in 0usize..400, ty in policy_type()) {
        let mut cut = cut.min(doc.len());
        while !doc.is_char_boundary(cut) {
            cut -= 1;
        }
        let text = &doc[..cut];
        if let Err(e) = parse_policy(text, ty) {
            check_span(text, e.span);
        }
        let _ = validate_policy(text, ty);
    }

    #[test]
    fn a_parsed_policy_validates_without_parse_errors(doc in document(), ty in policy_type()) {
        if parse_policy(&doc, ty).is_ok() {
            let f = validate_policy(&doc, ty);
            let parse_error = f.iter().any(|f| f.issue_code == "JSON_SYNTAX");
            prop_assert!(!parse_error);
        }
    }
}

/// The generator must reach both outcomes, or the properties above test little.
#[test]
fn generator_reaches_valid_and_invalid_documents() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut ok, mut err) = (0, 0);
    for _ in 0..500 {
        let doc = document().new_tree(&mut runner).unwrap().current();
        match parse_policy(&doc, PolicyType::Identity) {
            Ok(_) => ok += 1,
            Err(_) => err += 1,
        }
    }
    println!("generated documents: {ok} parse, {err} rejected");
    assert!(ok >= 25 && err >= 25, "{ok} parse, {err} rejected");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The allocation-free ASCII matcher answers as the general one (parse, fold, match), on
    /// ASCII and non-ASCII input alike.
    #[test]
    fn text_matcher_agrees_with_the_token_matcher(
        pattern in "[aAbB*?:é]{0,8}",
        text in "[aAbB:*?é]{0,8}",
    ) {
        use iamproof_policy::glob::{matches_ignore_case, matches_text_ignore_case, parse};
        prop_assert_eq!(
            matches_text_ignore_case(&pattern, &text),
            matches_ignore_case(&parse(&pattern), &text)
        );
    }
}
