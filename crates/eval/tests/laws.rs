//! Property tests: algebraic laws the evaluator must satisfy, and glob matching against a naive
//! regex reference.

use iamproof_eval::conditions::{condition_holds, KeyState, ResolvedValue};
use iamproof_eval::matching::{
    action_matches, arn_like, glob_match, glob_pattern, literal_pattern, split_arn,
};
use iamproof_policy::{BaseOperator, SetQualifier};
use proptest::prelude::*;
use regex::Regex;

/// The naive reference: a glob as an anchored regex (`*` → `.*`, `?` → `.`).
fn glob_regex(pattern: &str, ignore_case: bool) -> Regex {
    let mut re = String::from(if ignore_case { "(?is)^" } else { "(?s)^" });
    for c in pattern.chars() {
        match c {
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            c => re.push_str(&regex::escape(&c.to_string())),
        }
    }
    re.push('$');
    Regex::new(&re).unwrap()
}

fn pattern_str() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[ab/:*?]{0,10}").unwrap()
}

fn text_str() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[ab/:]{0,12}").unwrap()
}

const PAIRS: &[(BaseOperator, BaseOperator)] = &[
    (BaseOperator::StringEquals, BaseOperator::StringNotEquals),
    (
        BaseOperator::StringEqualsIgnoreCase,
        BaseOperator::StringNotEqualsIgnoreCase,
    ),
    (BaseOperator::StringLike, BaseOperator::StringNotLike),
    (BaseOperator::NumericEquals, BaseOperator::NumericNotEquals),
    (BaseOperator::DateEquals, BaseOperator::DateNotEquals),
    (BaseOperator::IpAddress, BaseOperator::NotIpAddress),
    (BaseOperator::ArnEquals, BaseOperator::ArnNotEquals),
    (BaseOperator::ArnLike, BaseOperator::ArnNotLike),
];

fn resolved(op: BaseOperator, values: &[String]) -> Vec<ResolvedValue> {
    let glob = matches!(
        op,
        BaseOperator::StringLike
            | BaseOperator::StringNotLike
            | BaseOperator::ArnEquals
            | BaseOperator::ArnLike
            | BaseOperator::ArnNotEquals
            | BaseOperator::ArnNotLike
    );
    values
        .iter()
        .map(|v| {
            Some(if glob {
                glob_pattern(v)
            } else {
                literal_pattern(v)
            })
        })
        .collect()
}

/// Values that exercise every family: strings, numbers, dates, IPs, ARNs.
fn typed_value() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::string::string_regex("[aA*?]{0,3}").unwrap(),
        (-3i32..4).prop_map(|n| n.to_string()),
        prop_oneof![
            Just("1.0".to_string()),
            Just("01".to_string()),
            Just("x".to_string())
        ],
        prop_oneof![
            Just("2020-01-01T00:00:00Z".to_string()),
            Just("1577836800".to_string()),
            Just("2021".to_string())
        ],
        prop_oneof![
            Just("10.0.0.0/8".to_string()),
            Just("10.1.2.3".to_string()),
            Just("::1".to_string()),
            Just("11.0.0.1".to_string())
        ],
        prop_oneof![
            Just("arn:aws:s3:::b/*".to_string()),
            Just("arn:aws:s3:::b/k".to_string()),
            Just("arn:aws:iam::1:role/*".to_string()),
            Just("arn:aws:iam::1:role/r".to_string())
        ],
    ]
}

proptest! {
    #[test]
    fn glob_match_equals_regex_reference(p in pattern_str(), t in text_str()) {
        prop_assert_eq!(glob_match(&glob_pattern(&p), &t), glob_regex(&p, false).is_match(&t));
    }

    #[test]
    fn glob_is_case_sensitive(p in "[aAbB*?]{0,6}", t in "[aAbB]{0,6}") {
        prop_assert_eq!(glob_match(&glob_pattern(&p), &t), glob_regex(&p, false).is_match(&t));
    }

    #[test]
    fn action_match_equals_reference(
        svc in "[sS]3|ec2",
        name in "[gGeEtT*?]{0,5}",
        rsvc in "s3|S3|ec2",
        rname in "[gGeEtT]{0,5}",
    ) {
        let pattern = format!("{svc}:{name}");
        let action = format!("{rsvc}:{rname}");
        let expected = !name.is_empty()
            && svc.eq_ignore_ascii_case(&rsvc)
            && glob_regex(&name, true).is_match(&rname);
        prop_assert_eq!(action_matches(&pattern, &action), expected);
    }

    #[test]
    fn arn_like_is_field_wise_glob(p in "[a:*?]{0,12}", t in "[a:/]{0,14}") {
        let expected = match (split_arn(&p), split_arn(&t)) {
            (Some(pf), Some(tf)) => pf.iter().zip(tf.iter()).all(|(a, b)| glob_regex(a, false).is_match(b)),
            _ => false,
        };
        prop_assert_eq!(arn_like(&glob_pattern(&p), &t), expected);
    }

    #[test]
    fn for_all_values_is_and_over_singletons(
        pair in 0..PAIRS.len(),
        negated in any::<bool>(),
        values in proptest::collection::vec(typed_value(), 1..3),
        set in proptest::collection::vec(typed_value(), 0..4),
    ) {
        let (pos, neg) = PAIRS[pair];
        let op = if negated { neg } else { pos };
        let p = resolved(op, &values);
        let q = Some(SetQualifier::ForAllValues);
        let whole = condition_holds(op, q, false, &p, KeyState::Multi(&set));
        let each = set.iter().all(|r| {
            let one = vec![r.clone()];
            condition_holds(op, q, false, &p, KeyState::Multi(&one))
        });
        prop_assert_eq!(whole, each);
    }

    #[test]
    fn for_any_value_is_or_over_singletons(
        pair in 0..PAIRS.len(),
        negated in any::<bool>(),
        values in proptest::collection::vec(typed_value(), 1..3),
        set in proptest::collection::vec(typed_value(), 0..4),
    ) {
        let (pos, neg) = PAIRS[pair];
        let op = if negated { neg } else { pos };
        let p = resolved(op, &values);
        let q = Some(SetQualifier::ForAnyValue);
        let whole = condition_holds(op, q, false, &p, KeyState::Multi(&set));
        let each = set.iter().any(|r| {
            let one = vec![r.clone()];
            condition_holds(op, q, false, &p, KeyState::Multi(&one))
        });
        prop_assert_eq!(whole, each);
    }

    #[test]
    fn negated_is_not_positive_on_a_present_single_value(
        pair in 0..PAIRS.len(),
        values in proptest::collection::vec(typed_value(), 1..3),
        r in typed_value(),
    ) {
        let (pos, neg) = PAIRS[pair];
        let hp = condition_holds(pos, None, false, &resolved(pos, &values), KeyState::Single(&r));
        let hn = condition_holds(neg, None, false, &resolved(neg, &values), KeyState::Single(&r));
        prop_assert_eq!(hn, !hp, "{:?} {:?} on {}", pos, values, r);
    }

    #[test]
    fn if_exists_only_changes_the_absent_case(
        pair in 0..PAIRS.len(),
        negated in any::<bool>(),
        values in proptest::collection::vec(typed_value(), 1..3),
        r in typed_value(),
    ) {
        let (pos, neg) = PAIRS[pair];
        let op = if negated { neg } else { pos };
        let p = resolved(op, &values);
        prop_assert_eq!(
            condition_holds(op, None, true, &p, KeyState::Single(&r)),
            condition_holds(op, None, false, &p, KeyState::Single(&r))
        );
        prop_assert!(condition_holds(op, None, true, &p, KeyState::Absent));
    }
}

#[test]
fn glob_matching_is_bounded_on_adversarial_input() {
    let pattern = "*a".repeat(2000) + "b";
    let text = "a".repeat(20_000);
    let start = std::time::Instant::now();
    assert!(!glob_match(&glob_pattern(&pattern), &text));
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
}

mod policy_laws {
    use iamproof_eval::{
        evaluate, evaluate_policy, statement_applies, Context, ContextValue, Decision, PolicySet,
        Principal, Request,
    };
    use iamproof_policy::{parse_policy, PolicyType};
    use proptest::prelude::*;

    fn action() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "*",
            "s3:*",
            "s3:Get*",
            "s3:GetObject",
            "ec2:*",
            "s3:?etObject",
        ])
    }

    fn resource() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "*",
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::b/${aws:username}/*",
            "arn:aws:s3:::other/*",
            "arn:aws:s3",
        ])
    }

    fn condition() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "",
            r#","Condition":{"StringEquals":{"aws:username":"bob"}}"#,
            r#","Condition":{"StringNotEquals":{"aws:username":["bob","eve"]}}"#,
            r#","Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":"a*"}}"#,
            r#","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}"#,
            r#","Condition":{"NumericLessThanIfExists":{"s3:max-keys":"10"}}"#,
            r#","Condition":{"Null":{"aws:SourceIp":"true"}}"#,
            r#","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#,
        ])
    }

    fn statement() -> impl Strategy<Value = String> {
        (
            any::<bool>(),
            any::<bool>(),
            action(),
            any::<bool>(),
            resource(),
            condition(),
        )
            .prop_map(|(allow, not_action, a, not_resource, r, c)| {
                format!(
                    r#"{{"Effect":"{}","{}":"{a}","{}":"{r}"{c}}}"#,
                    if allow { "Allow" } else { "Deny" },
                    if not_action { "NotAction" } else { "Action" },
                    if not_resource {
                        "NotResource"
                    } else {
                        "Resource"
                    },
                )
            })
    }

    fn request() -> impl Strategy<Value = Request> {
        (
            prop::sample::select(vec!["bob", "eve", "b*"]),
            prop::sample::select(vec!["s3:GetObject", "s3:PutObject", "ec2:RunInstances"]),
            prop::sample::select(vec![
                "arn:aws:s3:::b/bob/x",
                "arn:aws:s3:::b/eve/x",
                "arn:aws:s3:::other/k",
                "*",
            ]),
            prop::option::of(prop::collection::vec(
                prop::sample::select(vec!["a", "ab", "b", "c"]),
                0..3,
            )),
            prop::option::of(prop::sample::select(vec!["10.1.1.1", "8.8.8.8", "::1"])),
            prop::option::of(prop::sample::select(vec!["5", "10", "x"])),
        )
            .prop_map(|(user, action, resource, tags, ip, max_keys)| {
                let mut context = Context::new();
                if let Some(t) = tags {
                    context.insert(
                        "aws:TagKeys",
                        ContextValue::Multi(t.into_iter().map(String::from).collect()),
                    );
                }
                if let Some(ip) = ip {
                    context.insert("aws:SourceIp", ContextValue::Single(ip.into()));
                }
                if let Some(m) = max_keys {
                    context.insert("s3:max-keys", ContextValue::Single(m.into()));
                }
                Request {
                    principal: Principal::Arn(format!("arn:aws:iam::111111111111:user/{user}")),
                    action: action.into(),
                    resource: resource.into(),
                    resource_account: None,
                    context,
                }
            })
    }

    proptest! {
        /// `evaluate_policy` agrees with `statement_applies`, and an identity-only policy set
        /// decides exactly what the single policy means.
        #[test]
        fn single_policy_meaning_is_consistent(
            stmts in prop::collection::vec(statement(), 1..4),
            req in request(),
        ) {
            let text = format!(r#"{{"Version":"2012-10-17","Statement":[{}]}}"#, stmts.join(","));
            let policy = parse_policy(&text, PolicyType::Identity).unwrap();
            let ev = evaluate_policy(&policy, &req);
            let allow_applies = policy.statements.iter().any(|s| {
                s.effect == iamproof_policy::Effect::Allow && statement_applies(&policy, s, &req)
            });
            let deny_applies = policy.statements.iter().any(|s| {
                s.effect == iamproof_policy::Effect::Deny && statement_applies(&policy, s, &req)
            });
            prop_assert_eq!(ev.allows(), allow_applies && !deny_applies);
            prop_assert_eq!(ev.denies(), deny_applies);
            let set = PolicySet { identity: vec![policy], ..Default::default() };
            let expected = if deny_applies {
                Decision::ExplicitlyDenied
            } else if allow_applies {
                Decision::Allowed
            } else {
                Decision::ImplicitlyDenied
            };
            prop_assert_eq!(evaluate(&set, &req).decision, expected);
        }
    }
}
