//! Tests of the automata: hand-written cases, property tests against a reference matcher, and
//! the reference itself.

#[allow(unused_imports)]
use super::case_fold::{fold_fixed, inverse_fold, CASED_MAX};
use super::compile::{compile, CTok, Classes};
use super::inclusion::includes;
use super::relevance::{prepare, refs};
use super::search::OTHER_CANDIDATES;
use super::*;
#[allow(unused_imports)]
use iamproof_policy::glob::fold_case;

#[cfg(test)]
mod cases {
    use super::*;

    fn g(s: &str, m: GlobMode) -> Glob {
        Glob::parse(s, m)
    }

    /// [`inverse_fold`] scans up to [`CASED_MAX`]: nothing above lowercases to another
    /// character.
    #[test]
    fn no_cased_characters_above_the_scanned_range() {
        for c in (CASED_MAX + 1..=0x10FFFF).filter_map(char::from_u32) {
            assert!(fold_fixed(c), "{c:?} lowercases to something else");
        }
    }

    fn check(pos: &[Vec<Glob>], neg: &[Vec<Glob>]) -> StrOutcome {
        let out = decide(pos, neg, &Limits::default());
        if let StrOutcome::Sat(w) = &out {
            for grp in pos {
                assert!(grp.iter().any(|p| p.matches(w)), "{w:?} misses {grp:?}");
            }
            for grp in neg {
                assert!(!grp.iter().any(|p| p.matches(w)), "{w:?} hits {grp:?}");
            }
        }
        out
    }

    #[test]
    fn action_globs() {
        let a = GlobMode::Action;
        let pos = vec![vec![g("s3:Get*", a)]];
        let neg = vec![vec![g("s3:getobject", a)]];
        assert_eq!(check(&pos, &neg), StrOutcome::Sat("s3:get".into()));
        let neg = vec![vec![g("S3:*", a)]];
        assert_eq!(check(&pos, &neg), StrOutcome::Unsat);
        let neg = vec![vec![g("s3:get?*", a), g("s3:get", a)]];
        assert_eq!(check(&pos, &neg), StrOutcome::Unsat);
    }

    #[test]
    fn final_capital_sigma_folds_per_character() {
        // One folding rule everywhere (`iamproof_policy::glob::fold_case`): `Σ` → `σ` even at
        // the end, on the pattern and on the value side; `ς` stays `ς`.
        let a = GlobMode::Action;
        assert!(g("svc:GetΣ", a).matches("svc:GetΣ"));
        assert!(g("svc:getσ", a).matches("SVC:GETΣ"));
        assert!(!g("svc:GetΣ", a).matches("svc:getς"));
        let pos = vec![vec![g("svc:getσ", a)]];
        assert_eq!(check(&pos, &[vec![g("svc:GETΣ", a)]]), StrOutcome::Unsat);
        assert!(matches!(
            check(&pos, &[vec![g("svc:getς", a)]]),
            StrOutcome::Sat(_)
        ));
        let e = GlobMode::ExactIgnoreCase;
        assert!(g("ΟΔΟΣ", e).matches("οδοσ"));
        assert!(!g("ΟΔΟΣ", e).matches("οδος"));
        let pos = vec![vec![g("ΟΔΟΣ", e)]];
        assert_eq!(check(&pos, &[vec![g("οδοσ", e)]]), StrOutcome::Unsat);
    }

    #[test]
    fn arn_fields() {
        let r = GlobMode::Arn;
        // `*` in the region field cannot take a colon
        let pos = vec![vec![g("arn:aws:s3:*:*:b/*", r)]];
        let neg = vec![vec![g("arn:aws:s3:::b/*", r)]];
        let out = check(&pos, &neg);
        assert!(matches!(out, StrOutcome::Sat(_)));
        // the worked example of docs/semantics.md, "ARN matching"
        let p = g("arn:aws:someservice:*:111122223333:finance/*", r);
        let s = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
        assert!(!p.matches(s));
        assert!(g(
            "arn:aws:someservice:*:111122223333:finance/*",
            GlobMode::Like
        )
        .matches(s));
        // fewer than five colons: never matches
        assert_eq!(check(&[vec![g("arn:aws:s3", r)]], &[]), StrOutcome::Unsat);
        assert_eq!(
            check(
                &[vec![g("*", GlobMode::Like)]],
                &[vec![g("*:*:*:*:*:*", r)]]
            ),
            StrOutcome::Sat(String::new())
        );
        // the resource field spans colons
        let pos = vec![vec![g("arn:*:*:*:*:*", r)]];
        let out = check(&pos, &[]);
        assert_eq!(out, StrOutcome::Sat("arn:::::".into()));
    }

    #[test]
    fn ignore_case_and_exact() {
        let pos = vec![vec![g("AbC", GlobMode::ExactIgnoreCase)]];
        let neg = vec![vec![g("abc", GlobMode::Exact), g("ABC", GlobMode::Exact)]];
        let out = check(&pos, &neg);
        assert!(
            matches!(out, StrOutcome::Sat(ref w) if w.len() == 3),
            "{out:?}"
        );
        let pos = vec![vec![g("a*", GlobMode::Exact)]];
        assert_eq!(check(&pos, &[]), StrOutcome::Sat("a*".into()));
    }

    #[test]
    fn other_char_is_unicode_safe() {
        // every printable candidate excluded: the witness must still be found
        let lits: Vec<Glob> = OTHER_CANDIDATES
            .chars()
            .map(|c| g(&c.to_string(), GlobMode::Exact))
            .collect();
        let pos = vec![vec![g("?", GlobMode::Like)]];
        let out = check(&pos, &[lits]);
        assert!(matches!(out, StrOutcome::Sat(_)), "{out:?}");
    }

    #[test]
    fn syntactic_inclusion() {
        let cl = Classes::default();
        let includes = |a: &[CTok], b: &[CTok]| super::includes(a, b, &cl);
        let c = |s: &str| compile(&g(s, GlobMode::Like), &mut Classes::default()).unwrap();
        assert!(includes(&c("a*"), &c("ab*")));
        assert!(includes(&c("a*c?e"), &c("abkzz*cqe")));
        assert!(!includes(&c("ab*"), &c("a*")));
        assert!(includes(&c("*"), &c("")));
        let r = |s: &str| compile(&g(s, GlobMode::Arn), &mut Classes::default()).unwrap();
        assert!(includes(&r("arn:*:*:*:*:*"), &c("arn:aws:s3:::x")));
        assert!(includes(&r("arn:*:*:*:*:*"), &c("arn:aws:s3:::*")));
        assert!(!includes(&r("arn:*:*:*:*:*"), &c("arn:aws:s3*")));
        assert!(includes(&r("arn:aws:*:::*"), &r("arn:aws::::*")));
        assert!(!includes(&r("arn:aws:s:::*"), &r("arn:aws:*:::*")));
        assert!(includes(&r("arn:aws:*:::*"), &r("arn:aws:s?:::*")));
        assert!(includes(&r("arn:*:*:*:*:*"), &r("arn:aws:s3:::x*")));
    }

    #[test]
    fn limits_give_unknown() {
        let pos = vec![vec![g("*a????????????", GlobMode::Like)]];
        let neg = vec![vec![g("*b?????????????", GlobMode::Like)]];
        let lim = Limits {
            max_states: 3,
            deadline: None,
        };
        assert!(matches!(decide(&pos, &neg, &lim), StrOutcome::Unknown(_)));
    }
}

#[cfg(test)]
mod prop {
    use super::*;
    use proptest::prelude::*;

    fn tok(chars: &'static [char]) -> impl Strategy<Value = GlobToken> {
        prop_oneof![
            4 => proptest::sample::select(chars).prop_map(GlobToken::Lit),
            1 => Just(GlobToken::Any),
            1 => Just(GlobToken::Star),
            1 => proptest::collection::vec(proptest::sample::select(chars), 1..3)
                .prop_map(GlobToken::OneOf),
        ]
    }

    fn glob() -> impl Strategy<Value = Glob> {
        let mode = proptest::sample::select(vec![
            GlobMode::Action,
            GlobMode::Like,
            GlobMode::Exact,
            GlobMode::ExactIgnoreCase,
            GlobMode::Arn,
        ]);
        (
            proptest::collection::vec(tok(&['a', 'i', 'A', 'I', ':', '\u{130}']), 0..5),
            mode,
        )
            .prop_map(|(tokens, mode)| Glob { tokens, mode })
    }

    fn arn_glob() -> impl Strategy<Value = Glob> {
        let field = proptest::collection::vec(tok(&['a', 'b']), 0..2);
        let mode = proptest::sample::select(vec![GlobMode::Arn, GlobMode::Like]);
        (proptest::collection::vec(field, 6), tok(&[':', 'a']), mode).prop_map(
            |(fs, extra, mode)| {
                let mut tokens = Vec::new();
                for (i, f) in fs.into_iter().enumerate() {
                    if i > 0 {
                        tokens.push(GlobToken::Lit(':'));
                    }
                    tokens.extend(f);
                }
                tokens.push(extra);
                Glob { tokens, mode }
            },
        )
    }

    fn all_strings(alpha: &[char], max_len: usize) -> Vec<String> {
        let mut out = vec![String::new()];
        let mut layer = vec![String::new()];
        for _ in 0..max_len {
            let mut next = Vec::new();
            for s in &layer {
                for c in alpha {
                    let mut t = s.clone();
                    t.push(*c);
                    next.push(t);
                }
            }
            out.extend(next.iter().cloned());
            layer = next;
        }
        out
    }

    fn agree(pos: &[Vec<Glob>], neg: &[Vec<Glob>], alpha: &[char], max_len: usize) {
        let out = decide(pos, neg, &Limits::default());
        let sat = |w: &str| {
            pos.iter().all(|g| g.iter().any(|p| p.matches(w)))
                && !neg.iter().any(|g| g.iter().any(|p| p.matches(w)))
        };
        let brute = all_strings(alpha, max_len).into_iter().find(|w| sat(w));
        match (&out, &brute) {
            (StrOutcome::Sat(w), _) => {
                assert!(sat(w), "witness {w:?} fails");
                if let Some(b) = &brute {
                    assert!(
                        w.chars().count() <= b.chars().count(),
                        "{w:?} longer than {b:?}"
                    );
                }
            }
            (StrOutcome::Unsat, Some(b)) => panic!("Unsat but {b:?} satisfies"),
            (StrOutcome::Unsat, None) => {}
            (StrOutcome::Unknown(r), _) => panic!("unknown: {r}"),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn small_globs_agree_with_brute_force(
            pos in proptest::collection::vec(proptest::collection::vec(glob(), 0..3), 0..3),
            neg in proptest::collection::vec(proptest::collection::vec(glob(), 0..3), 0..2),
        ) {
            agree(&pos, &neg, &['a', 'i', 'A', 'I', ':', 'z', '\u{130}'], 4);
        }

        /// Syntactic inclusion is sound: `includes(h, g)` only when every string `g` matches,
        /// `h` matches too (the quick answers before its table included).
        #[test]
        fn syntactic_inclusion_is_sound(h in glob(), g in glob()) {
            let mut cl = Classes::default();
            if let (Some(ch), Some(cg)) = (compile(&h, &mut cl), compile(&g, &mut cl)) {
                if includes(&ch, &cg, &cl) {
                    for w in all_strings(&['a', 'i', 'A', 'I', ':', 'z', '\u{130}'], 4) {
                        prop_assert!(!g.matches(&w) || h.matches(&w), "{w:?}: {g:?} not in {h:?}");
                    }
                }
            }
        }

        /// One store kept across a run of decisions answers each as a fresh one does.
        #[test]
        fn a_kept_store_answers_as_a_fresh_one(
            queries in proptest::collection::vec(
                (
                    proptest::collection::vec(proptest::collection::vec(glob(), 0..3), 0..3),
                    proptest::collection::vec(proptest::collection::vec(glob(), 0..3), 0..2),
                ),
                1..8,
            ),
        ) {
            let mut store = Store::default();
            for (pos, neg) in &queries {
                let (pp, pn) = (prepare(pos), prepare(neg));
                let (rp, rn) = (refs(&pp), refs(&pn));
                let kept = decide_in(&mut store, &rp, &rn, &Limits::default());
                let fresh = decide(pos, neg, &Limits::default());
                // both shortest (ties may be broken differently: node numbers differ)
                let len = |o: &StrOutcome| match o {
                    StrOutcome::Sat(w) => Some(w.chars().count()),
                    _ => None,
                };
                prop_assert_eq!(len(&kept), len(&fresh), "{:?} vs {:?}", kept, fresh);
                prop_assert_eq!(matches!(kept, StrOutcome::Unsat), matches!(fresh, StrOutcome::Unsat));
                if let StrOutcome::Sat(w) = &kept {
                    prop_assert!(pos.iter().all(|g| g.iter().any(|p| p.matches(w))));
                    prop_assert!(!neg.iter().any(|g| g.iter().any(|p| p.matches(w))));
                }
            }
        }

        #[test]
        fn arn_globs_agree_with_brute_force(
            pos in proptest::collection::vec(proptest::collection::vec(arn_glob(), 1..3), 1..2),
            neg in proptest::collection::vec(proptest::collection::vec(arn_glob(), 0..3), 0..2),
        ) {
            agree(&pos, &neg, &['a', ':', 'b'], 9);
        }
    }
}

#[cfg(test)]
mod reference {
    use super::*;
    use iamproof_eval::matching::{action_matches, arn_like, glob_pattern, string_like};
    use proptest::prelude::*;

    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            proptest::sample::select(vec!['a', 'B', ':', '*', '?', 'i', 'I', '\u{130}', '/']),
            0..9,
        )
        .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// The concrete matcher agrees with the reference evaluator's.
        #[test]
        fn matcher_agrees_with_eval(p in text(), v in text()) {
            let v = v.replace(['*', '?'], "x");
            prop_assert_eq!(Glob::parse(&p, GlobMode::Action).matches(&v), action_matches(&p, &v));
            prop_assert_eq!(Glob::parse(&p, GlobMode::Like).matches(&v), string_like(&p, &v));
            prop_assert_eq!(
                Glob::parse(&p, GlobMode::Arn).matches(&v),
                arn_like(&glob_pattern(&p), &v)
            );
        }
    }
}
