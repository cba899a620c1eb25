//! Tests of the native procedure: hand-written queries, template queries, and property tests
//! that check every model with `Formula::eval` and every `Unsat` by brute force over a small
//! universe of requests.

#[cfg(test)]
mod queries {
    use crate::{solve, Outcome, SolveOptions};
    use iamproof_logic::{
        Atom, CallerKind, Cmp, Decimal, ElemPred, Formula, Glob, Key, MatchMode, PatternSet, Test,
        Var,
    };
    use std::sync::Arc;

    fn set(mode: MatchMode, pats: &[&str]) -> PatternSet {
        PatternSet::new(
            mode,
            pats.iter().map(|p| Glob::parse_wildcards(p)).collect(),
        )
    }

    fn m(var: Var, mode: MatchMode, pats: &[&str]) -> Formula {
        Formula::matches(var, set(mode, pats))
    }

    fn run(f: &Formula) -> Outcome {
        let out = solve(f, &SolveOptions::default());
        if let Outcome::Sat(a) = &out {
            assert!(f.eval(&a.to_request()), "model {a:?} fails {f:?}");
        }
        out
    }

    #[test]
    fn actions_and_resources() {
        let new = Formula::and2(
            m(Var::Action, MatchMode::Action, &["s3:Get*", "s3:List*"]),
            m(Var::Resource, MatchMode::Arn, &["arn:aws:s3:::bucket/*"]),
        );
        let old = Formula::and2(
            m(
                Var::Action,
                MatchMode::Action,
                &["s3:GetObject", "s3:List*"],
            ),
            m(Var::Resource, MatchMode::Arn, &["arn:aws:s3:::*"]),
        );
        let out = run(&Formula::and2(new.clone(), Formula::not(old.clone())));
        let Outcome::Sat(a) = out else {
            panic!("{out:?}")
        };
        assert_eq!(a.resource, "arn:aws:s3:::bucket/");
        assert!(a.action.starts_with("s3:get"));
        assert_eq!(
            run(&Formula::and2(old.clone(), Formula::not(old))),
            Outcome::Unsat
        );
        let wider = Formula::and2(
            m(Var::Action, MatchMode::Action, &["s3:*"]),
            m(Var::Resource, MatchMode::Arn, &["arn:aws:s3:::*"]),
        );
        assert_eq!(
            run(&Formula::and2(new, Formula::not(wider))),
            Outcome::Unsat
        );
    }

    #[test]
    fn keys_numbers_and_presence() {
        let k = Var::key("s3:max-keys");
        let lt = |v: &str| {
            Formula::test(
                k.clone(),
                Test::Numeric {
                    cmp: Cmp::Lt,
                    value: Decimal::parse_plain(v).unwrap(),
                },
            )
        };
        let out = run(&Formula::and2(lt("10"), Formula::not(lt("5"))));
        let Outcome::Sat(a) = out else {
            panic!("{out:?}")
        };
        assert!(a.keys.contains_key(&Key::new("s3:max-keys")));
        assert_eq!(
            run(&Formula::and2(lt("5"), Formula::not(lt("10")))),
            Outcome::Unsat
        );
        // negated test true when absent
        let out = run(&Formula::not(lt("5")));
        assert!(matches!(out, Outcome::Sat(_)));
        let present = Formula::atom(Atom::Present(Key::new("s3:max-keys")));
        let out = run(&Formula::and2(present, Formula::not(lt("5"))));
        assert!(matches!(out, Outcome::Sat(_)), "{out:?}");
    }

    #[test]
    fn multi_valued_keys() {
        let key = Key::new("aws:TagKeys");
        let pred = |negated: bool, pats: &[&str]| ElemPred {
            negated,
            any_of: vec![Test::Match(Arc::new(set(MatchMode::Glob, pats)))],
        };
        let any_a = Formula::atom(Atom::ForAny {
            key: key.clone(),
            pred: pred(false, &["a*"]),
        });
        let all_not_ab = Formula::atom(Atom::ForAll {
            key: key.clone(),
            pred: pred(true, &["ab*"]),
        });
        let multi = Formula::atom(Atom::Multi(key.clone()));
        let out = run(&Formula::and([any_a.clone(), all_not_ab, multi]));
        assert!(matches!(out, Outcome::Sat(_)), "{out:?}");
        let all_not_a = Formula::atom(Atom::ForAll {
            key,
            pred: pred(true, &["a*"]),
        });
        assert_eq!(run(&Formula::and2(any_a, all_not_a)), Outcome::Unsat);
    }

    #[test]
    fn principals_and_ips() {
        let anon = Formula::atom(Atom::Caller(CallerKind::Anonymous));
        let p = m(Var::Principal, MatchMode::Exact, &["arn:aws:iam::1:root"]);
        assert_eq!(run(&Formula::and2(anon.clone(), p.clone())), Outcome::Unsat);
        let out = run(&Formula::and2(Formula::not(anon), p));
        assert!(matches!(out, Outcome::Sat(_)), "{out:?}");
        let ip = |s: &str| {
            Formula::test(
                Var::key("aws:SourceIp"),
                Test::Ip(iamproof_logic::semantics::parse_cidr(s).unwrap()),
            )
        };
        let out = run(&Formula::and2(
            ip("10.0.0.0/8"),
            Formula::not(ip("10.0.0.0/9")),
        ));
        assert!(matches!(out, Outcome::Sat(_)), "{out:?}");
        assert_eq!(
            run(&Formula::and2(
                ip("10.0.0.0/9"),
                Formula::not(ip("10.0.0.0/8"))
            )),
            Outcome::Unsat
        );
    }
}

#[cfg(test)]
mod template_tests {
    use crate::{solve, Outcome, SolveOptions};
    use iamproof_logic::{Atom, Formula, Glob, Key, MatchMode, PatternSet, Test, Var};
    use iamproof_logic::{Template, TemplatePart};
    use std::sync::Arc;

    fn run(f: &Formula) -> Outcome {
        let out = solve(f, &SolveOptions::default());
        if let Outcome::Sat(a) = &out {
            assert!(f.eval(&a.to_request()), "model {a:?} fails {f:?}");
        }
        out
    }

    fn tpl(var: Var, mode: MatchMode, parts: Vec<TemplatePart>) -> Formula {
        Formula::test(var, Test::Template(Arc::new(Template { mode, parts })))
    }

    fn eq_ref(var: &str, r: &str) -> Formula {
        tpl(
            Var::key(var),
            MatchMode::Exact,
            vec![TemplatePart::Ref(Var::key(r))],
        )
    }

    fn one_of(var: &str, vals: &[&str]) -> Formula {
        Formula::matches(
            Var::key(var),
            PatternSet::new(
                MatchMode::Exact,
                vals.iter().map(|v| Glob::literal(v)).collect(),
            ),
        )
    }

    fn single(k: &str) -> Formula {
        Formula::and2(
            Formula::atom(Atom::Present(Key::new(k))),
            Formula::not(Formula::atom(Atom::Multi(Key::new(k)))),
        )
    }

    #[test]
    fn a_value_equals_itself() {
        // corner 7: StringNotEquals k ${k} on a single value is impossible
        let f = Formula::and2(single("k"), Formula::not(eq_ref("k", "k")));
        assert_eq!(run(&f), Outcome::Unsat);
        assert!(matches!(run(&eq_ref("k", "k")), Outcome::Sat(_)));
    }

    #[test]
    fn equality_between_variables() {
        let f = Formula::and2(eq_ref("x", "v"), one_of("v", &["alice"]));
        let Outcome::Sat(a) = run(&f) else {
            panic!("expected a model")
        };
        assert_eq!(
            a.keys.get(&Key::new("x")),
            Some(&iamproof_eval::ContextValue::Single("alice".into()))
        );
        let f = Formula::and([
            eq_ref("x", "v"),
            one_of("v", &["alice"]),
            one_of("x", &["bob"]),
        ]);
        assert_eq!(run(&f), Outcome::Unsat);
        // the referenced variable must be present and single
        let f = Formula::and2(
            eq_ref("x", "v"),
            Formula::not(Formula::atom(Atom::Present(Key::new("v")))),
        );
        assert_eq!(run(&f), Outcome::Unsat);
    }

    #[test]
    fn disequality_between_variables() {
        let f = Formula::and([
            single("x"),
            Formula::not(eq_ref("x", "v")),
            one_of("x", &["a"]),
            one_of("v", &["a", "b"]),
        ]);
        assert!(matches!(run(&f), Outcome::Sat(_)));
        let f = Formula::and([
            single("x"),
            Formula::not(eq_ref("x", "v")),
            one_of("x", &["a"]),
            one_of("v", &["a"]),
        ]);
        assert_eq!(run(&f), Outcome::Unsat);
    }

    #[test]
    fn arn_template_with_a_literal_prefix() {
        let res = tpl(
            Var::Resource,
            MatchMode::Arn,
            vec![
                TemplatePart::Glob(Glob::literal("arn:aws:s3:::b/")),
                TemplatePart::Ref(Var::key("aws:username")),
                TemplatePart::Glob(Glob::parse_wildcards("/*")),
            ],
        );
        let star = Formula::matches(
            Var::Resource,
            PatternSet::new(MatchMode::Exact, vec![Glob::literal("*")]),
        );
        assert_eq!(run(&Formula::and2(res.clone(), star)), Outcome::Unsat);
        let Outcome::Sat(a) = run(&res) else {
            panic!("expected a model")
        };
        assert!(a.resource.starts_with("arn:aws:s3:::b/"));
    }

    /// Keys that refer to each other (`k1 = ${k2}` in one statement, `k2 = ${k1}` in
    /// another, as AWSControlTowerAccountServiceRolePolicy does with the principal and
    /// resource accounts) are solved, not given up on as a cycle.
    #[test]
    fn references_in_a_cycle() {
        let both = Formula::and([
            single("k1"),
            single("k2"),
            eq_ref("k1", "k2"),
            eq_ref("k2", "k1"),
        ]);
        let Outcome::Sat(a) = run(&both) else {
            panic!("expected a model")
        };
        assert_eq!(a.keys.get(&Key::new("k1")), a.keys.get(&Key::new("k2")));
        let either = Formula::or([
            Formula::and2(eq_ref("k1", "k2"), one_of("x", &["1"])),
            Formula::and2(eq_ref("k2", "k1"), one_of("x", &["2"])),
        ]);
        assert!(matches!(run(&either), Outcome::Sat(_)));
        let apart = Formula::and([both.clone(), one_of("k1", &["a"]), one_of("k2", &["b"])]);
        assert!(!matches!(run(&apart), Outcome::Sat(_)));
        let together = Formula::and([both, one_of("k1", &["a", "b"]), one_of("k2", &["b"])]);
        let Outcome::Sat(a) = run(&together) else {
            panic!("expected a model")
        };
        assert_eq!(
            a.keys.get(&Key::new("k1")),
            Some(&iamproof_eval::ContextValue::Single("b".into()))
        );
    }

    /// `v ArnLike arn:aws:ec2:*:*:instance/${id}` implies `v StringLike *${id}` for every
    /// `id` (a MAMIP version pair of AWSEC2VssSnapshotPolicy narrows one to the other).
    #[test]
    fn a_wrapped_reference_cancels() {
        let id = || TemplatePart::Ref(Var::key("ec2:instanceid"));
        let arn = tpl(
            Var::key("v"),
            MatchMode::Arn,
            vec![
                TemplatePart::Glob(Glob::parse_wildcards("arn:aws:ec2:*:*:instance/")),
                id(),
            ],
        );
        let suffix = |prefix: &str| {
            tpl(
                Var::key("v"),
                MatchMode::Glob,
                vec![TemplatePart::Glob(Glob::parse_wildcards(prefix)), id()],
            )
        };
        let narrowed = Formula::and2(arn.clone(), Formula::not(suffix("*")));
        assert_eq!(run(&narrowed), Outcome::Unsat);
        // not included: `arn:…` values need not start with `x`
        let wider = Formula::and2(arn, Formula::not(suffix("x*")));
        assert!(matches!(run(&wider), Outcome::Sat(_)));
    }

    /// A principal ARN tied to `aws:PrincipalAccount` and restricted to 12-digit accounts:
    /// the account is read off a witness of the principal instead of enumerated.
    #[test]
    fn a_reference_value_is_read_off_a_witness() {
        let account = || TemplatePart::Ref(Var::key("aws:principalaccount"));
        let principal = tpl(
            Var::Principal,
            MatchMode::Arn,
            vec![
                TemplatePart::Glob(Glob::parse_wildcards("arn:*:*:*:")),
                account(),
                TemplatePart::Glob(Glob::parse_wildcards(":*")),
            ],
        );
        let twelve = Formula::matches(
            Var::Principal,
            PatternSet::new(
                MatchMode::Arn,
                vec![Glob::parse_wildcards("arn:aws:iam::????????????:role/?*")],
            ),
        );
        let f = Formula::and([single("aws:principalaccount"), principal, twelve]);
        let Outcome::Sat(a) = run(&f) else {
            panic!("expected a model")
        };
        assert!(a.principal.starts_with("arn:aws:iam::"), "{a:?}");
        // followed through a referenced variable with a template of its own
        // (`aws:PrincipalAccount = ${aws:ResourceAccount}`, AWSBackupServiceLinkedRolePolicy…)
        let chained = Formula::and([
            f,
            single("aws:resourceaccount"),
            eq_ref("aws:principalaccount", "aws:resourceaccount"),
        ]);
        let Outcome::Sat(a) = run(&chained) else {
            panic!("expected a model")
        };
        assert_eq!(
            a.keys.get(&Key::new("aws:principalaccount")),
            a.keys.get(&Key::new("aws:resourceaccount"))
        );
    }
}

#[cfg(test)]
mod template_prop {
    use crate::{solve, SolveOptions};
    use iamproof_eval::{Context, ContextValue, Principal, Request};
    use iamproof_logic::{Atom, Formula, Glob, Key, MatchMode, PatternSet, Test, Var};
    use iamproof_logic::{Template, TemplatePart};
    use proptest::prelude::*;
    use std::sync::Arc;

    const KEYS: [&str; 2] = ["x", "v"];

    fn atom() -> impl Strategy<Value = Formula> {
        let key = proptest::sample::select(KEYS.to_vec());
        prop_oneof![
            (
                key.clone(),
                proptest::collection::vec(proptest::sample::select(vec!["", "a", "b"]), 1..3),
                any::<bool>()
            )
                .prop_map(|(k, vals, glob)| Formula::matches(
                    Var::key(k),
                    PatternSet::new(
                        if glob {
                            MatchMode::Glob
                        } else {
                            MatchMode::Exact
                        },
                        vals.iter().map(|v| Glob::literal(v)).collect()
                    )
                )),
            (key.clone(), key.clone(), any::<bool>()).prop_map(|(k, r, glob)| Formula::test(
                Var::key(k),
                Test::Template(Arc::new(Template {
                    mode: if glob {
                        MatchMode::Glob
                    } else {
                        MatchMode::Exact
                    },
                    parts: vec![TemplatePart::Ref(Var::key(r))],
                }))
            )),
            key.clone()
                .prop_map(|k| Formula::atom(Atom::Present(Key::new(k)))),
            key.prop_map(|k| Formula::atom(Atom::Multi(Key::new(k)))),
        ]
    }

    fn formula() -> impl Strategy<Value = Formula> {
        atom().prop_recursive(3, 10, 3, |inner| {
            prop_oneof![
                inner.clone().prop_map(Formula::not),
                proptest::collection::vec(inner.clone(), 2..4).prop_map(Formula::and),
                proptest::collection::vec(inner, 2..4).prop_map(Formula::or),
            ]
        })
    }

    fn requests() -> Vec<Request> {
        let mut vals: Vec<Option<ContextValue>> = vec![None];
        for v in ["", "a", "b", "c", "d"] {
            vals.push(Some(ContextValue::Single(v.into())));
        }
        vals.push(Some(ContextValue::Multi(vec![])));
        vals.push(Some(ContextValue::Multi(vec!["a".into()])));
        let mut out = Vec::new();
        for x in &vals {
            for v in &vals {
                let mut context = Context::new();
                for (k, val) in KEYS.iter().zip([x, v]) {
                    if let Some(val) = val {
                        context.insert(k, val.clone());
                    }
                }
                out.push(Request {
                    principal: Principal::Anonymous,
                    action: "s3:a".into(),
                    resource: "*".into(),
                    resource_account: None,
                    context,
                });
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// With `${v}` templates between two keys: Sat models satisfy the formula, Unsat agrees
        /// with brute force over small requests.
        #[test]
        fn templates_agree_with_brute_force(f in formula()) {
            let out = solve(&f, &SolveOptions::default());
            super::prop::models_and_proofs_hold(&f, &out, requests())?;
        }
    }
}

#[cfg(test)]
mod prop {
    use crate::{solve, Outcome, SolveOptions};
    use iamproof_eval::{Context, ContextValue, Principal, Request};
    use iamproof_logic::{
        Atom, Cmp, Decimal, ElemPred, Formula, Glob, Key, MatchMode, PatternSet, Test, Var,
    };
    use proptest::prelude::*;
    use std::sync::Arc;

    /// A Sat model satisfies `f`, and Unsat means no request of `universe` satisfies it.
    pub(super) fn models_and_proofs_hold(
        f: &Formula,
        out: &Outcome,
        universe: Vec<Request>,
    ) -> Result<(), TestCaseError> {
        match out {
            Outcome::Sat(a) => prop_assert!(f.eval(&a.to_request())),
            Outcome::Unsat => {
                let hit = universe.into_iter().find(|r| f.eval(r));
                prop_assert!(hit.is_none(), "Unsat but {:?} satisfies {:?}", hit, f);
            }
            Outcome::Unknown(_) => {}
        }
        Ok(())
    }

    fn glob_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(vec!["a", "b", "*", "?"]), 0..4)
            .prop_map(|v| v.concat())
    }

    fn test() -> impl Strategy<Value = Test> {
        prop_oneof![
            glob_text().prop_map(|g| Test::Match(Arc::new(PatternSet::new(
                MatchMode::Glob,
                vec![Glob::parse_wildcards(&g)]
            )))),
            (
                proptest::sample::select(vec![Cmp::Eq, Cmp::Lt, Cmp::Le, Cmp::Gt, Cmp::Ge]),
                1i128..4
            )
                .prop_map(|(cmp, v)| Test::Numeric {
                    cmp,
                    value: Decimal::from_i128(v)
                }),
        ]
    }

    fn atom() -> impl Strategy<Value = Formula> {
        let k = Key::new("k");
        let k2 = k.clone();
        let k3 = k.clone();
        prop_oneof![
            glob_text().prop_map(|g| Formula::matches(
                Var::Action,
                PatternSet::new(
                    MatchMode::Action,
                    vec![Glob::parse_wildcards(&format!("s3:{g}"))]
                )
            )),
            test().prop_map(move |t| Formula::test(Var::Key(k.clone()), t)),
            Just(Formula::atom(Atom::Present(k2.clone()))),
            Just(Formula::atom(Atom::Multi(k2))),
            (test(), any::<bool>(), any::<bool>()).prop_map(move |(t, neg, all)| {
                let pred = ElemPred {
                    negated: neg,
                    any_of: vec![t],
                };
                Formula::atom(if all {
                    Atom::ForAll {
                        key: k3.clone(),
                        pred,
                    }
                } else {
                    Atom::ForAny {
                        key: k3.clone(),
                        pred,
                    }
                })
            }),
        ]
    }

    fn formula() -> impl Strategy<Value = Formula> {
        atom().prop_recursive(3, 12, 3, |inner| {
            prop_oneof![
                inner.clone().prop_map(Formula::not),
                proptest::collection::vec(inner.clone(), 2..4).prop_map(Formula::and),
                proptest::collection::vec(inner, 2..4).prop_map(Formula::or),
            ]
        })
    }

    fn requests() -> Vec<Request> {
        let actions = [
            "s3:", "s3:a", "s3:b", "s3:ab", "s3:ba", "s3:aa", "s3:aba", "x:a",
        ];
        let vals = ["0", "1", "1.5", "2", "2.5", "3", "4", "a", "ab", "b", ""];
        let mut keys: Vec<Option<ContextValue>> = vec![None];
        keys.extend(
            vals.iter()
                .map(|v| Some(ContextValue::Single(v.to_string()))),
        );
        keys.push(Some(ContextValue::Multi(vec![])));
        for v in vals {
            keys.push(Some(ContextValue::Multi(vec![v.to_string()])));
            for w in ["1", "a", "b"] {
                keys.push(Some(ContextValue::Multi(vec![
                    v.to_string(),
                    w.to_string(),
                ])));
            }
        }
        let mut out = Vec::new();
        for a in actions {
            for k in &keys {
                let mut context = Context::new();
                if let Some(v) = k {
                    context.insert("k", v.clone());
                }
                out.push(Request {
                    principal: Principal::Anonymous,
                    action: a.to_string(),
                    resource: "*".to_string(),
                    resource_account: None,
                    context,
                });
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// Sat models satisfy the formula; Unsat agrees with brute force over small requests.
        #[test]
        fn native_agrees_with_brute_force(f in formula()) {
            let out = solve(&f, &SolveOptions::default());
            models_and_proofs_hold(&f, &out, requests())?;
            if let Outcome::Unknown(r) = &out {
                // an honest limit of the mixed-theory check (numbers and patterns on one value)
                prop_assert!(r.contains("several theories"), "unknown: {}", r);
            }
        }
    }
}

#[cfg(test)]
mod pairwise_prop {
    use crate::native::pairwise::{finite_members, PatternOutline};
    use crate::native::templates::relaxed_glob;
    use iamproof_logic::{Glob, GlobPart, MatchMode, PatternSet, Test, Var};
    use iamproof_logic::{Template, TemplatePart};
    use proptest::prelude::*;
    use std::sync::Arc;

    fn pattern_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            proptest::sample::select(vec!["a", "B", ":", "/", "*", "?", "a:b:c:d:e:"]),
            0..6,
        )
        .prop_map(|v| v.concat())
    }

    fn mode() -> impl Strategy<Value = MatchMode> {
        proptest::sample::select(vec![
            MatchMode::Glob,
            MatchMode::Exact,
            MatchMode::Arn,
            MatchMode::Action,
        ])
    }

    /// Strings that match `g` (its wildcards filled in a few ways), case variants included.
    fn instances(g: &Glob) -> Vec<String> {
        let mut out = Vec::new();
        for fill in ["", "a", ":", "a:b", "/b/"] {
            let mut s = String::new();
            for p in &g.parts {
                match p {
                    GlobPart::Lit(t) => s.push_str(t),
                    GlobPart::AnyRun => s.push_str(fill),
                    GlobPart::AnyChar | GlobPart::OneOf(_) => {
                        s.push(fill.chars().next().unwrap_or('x'))
                    }
                }
            }
            out.push(s.to_ascii_uppercase());
            out.push(s.to_ascii_lowercase());
            out.push(s);
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Tests found apart share no value; a finite set's members decide inclusion and
        /// disjointness for every value it allows.
        #[test]
        fn pairwise_clauses_are_sound(
            (m1, p1) in (mode(), proptest::collection::vec(pattern_text(), 1..3)),
            (m2, p2) in (mode(), proptest::collection::vec(pattern_text(), 1..3)),
        ) {
            let set = |m: MatchMode, ps: &[String]| {
                PatternSet::new(m, ps.iter().map(|p| Glob::parse_wildcards(p)).collect())
            };
            let (a, b) = (set(m1, &p1), set(m2, &p2));
            let (ta, tb) = (Test::Match(Arc::new(a.clone())), Test::Match(Arc::new(b.clone())));
            let sv = batsat::Var::unsafe_from_idx;
            let (Some(x), Some(y)) = (PatternOutline::of(&ta, sv(0)), PatternOutline::of(&tb, sv(1))) else {
                return Ok(());
            };
            let values: Vec<String> = a.patterns().iter().chain(b.patterns().iter()).flat_map(instances).collect();
            if x.apart(&y) {
                for v in &values {
                    prop_assert!(!(a.matches(v) && b.matches(v)), "apart but {v:?} matches both");
                }
            }
            if let Some(members) = finite_members(&a) {
                if let Some(hits) = x.hits(&members, &y) {
                    prop_assert_eq!(hits, members.iter().filter(|(_, m)| b.matches(m)).count());
                    for v in values.iter().filter(|v| a.matches(v)) {
                        prop_assert!(hits != 0 || !b.matches(v), "{v:?} in both, no member in b");
                        prop_assert!(hits != members.len() || b.matches(v), "{v:?} in a only, all members in b");
                    }
                }
            }
        }

        /// A template's relaxed glob matches every value the template matches, whatever the
        /// reference's value.
        #[test]
        fn relaxed_templates_include(
            before in pattern_text(),
            after in pattern_text(),
            mode in proptest::sample::select(vec![MatchMode::Glob, MatchMode::Exact, MatchMode::Arn]),
            r in proptest::sample::select(vec!["", "x", "x:y", "*", "a:b:c:d:e:f"]),
        ) {
            let tpl = Template {
                mode,
                parts: vec![
                    TemplatePart::Glob(Glob::parse_wildcards(&before)),
                    TemplatePart::Ref(Var::key("r")),
                    TemplatePart::Glob(Glob::parse_wildcards(&after)),
                ],
            };
            let Some((rmode, relaxed)) = relaxed_glob(&tpl) else {
                return Ok(());
            };
            let Some(exact) = tpl.substitute(&|_| Some(r.to_string())) else {
                return Ok(());
            };
            for v in instances(&exact) {
                if exact.matches(mode, &v) {
                    prop_assert!(relaxed.matches(rmode, &v), "{v:?}");
                }
            }
        }
    }
}
