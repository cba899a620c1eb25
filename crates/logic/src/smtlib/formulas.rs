//! Writing formulas: each atom and test of a formula as an SMT-LIB Boolean term over the request
//! symbols, collecting the keys' element bounds, the typed terms and the over-approximations.

use super::regex::{ipv4_range_regex, re_concat, re_glob, re_pattern, smt_string, Ctx};
use crate::formula::{Atom, CallerKind, ElemPred, Formula, Key, Test, Var};
use crate::pattern::{Glob, GlobPart, MatchMode, PatternSet, Template, TemplatePart};
use crate::value::Cidr;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

pub(super) struct Builder {
    pub(super) keys: Vec<(Key, usize)>,
    pub(super) key_index: HashMap<Key, usize>,
    pub(super) defs: String,
    pub(super) names: HashMap<Formula, String>,
    pub(super) notes: BTreeSet<String>,
    pub(super) typed_terms: BTreeMap<String, BTreeSet<&'static str>>,
    pub(super) fresh: usize,
}

impl Builder {
    fn key(&self, k: &Key) -> usize {
        self.key_index.get(k).copied().unwrap_or(0)
    }

    pub(super) fn note(&mut self, s: &str) {
        self.notes.insert(s.to_string());
    }

    /// (term, guard) of a variable's single value.
    fn single_term(&self, v: &Var) -> (String, String) {
        match v {
            Var::Action => ("action".into(), "true".into()),
            Var::Resource => ("resource".into(), "true".into()),
            Var::Principal => ("principal".into(), "(not (= caller 0))".into()),
            Var::Key(k) => {
                let i = self.key(k);
                (format!("k{i}_v"), format!("(and k{i}_p (not k{i}_m))"))
            }
        }
    }

    fn test(&mut self, t: &Test, term: &str) -> String {
        match t {
            Test::Match(set) => self.match_set(set, term),
            Test::Template(tpl) => self.template(tpl, term),
            Test::Numeric { cmp, value } => {
                self.typed_terms
                    .entry(term.to_string())
                    .or_default()
                    .insert("num");
                format!(
                    "(and (isnum {term}) ({} (num {term}) {}))",
                    cmp.smt(),
                    value.to_smt_real()
                )
            }
            Test::Date { cmp, value } => {
                self.typed_terms
                    .entry(term.to_string())
                    .or_default()
                    .insert("date");
                format!(
                    "(and (isdate {term}) ({} (date {term}) {}))",
                    cmp.smt(),
                    value.to_smt_real()
                )
            }
            Test::Ip(c) if !c.v6 => format!("(str.in_re {term} {})", ipv4_range_regex(c)),
            Test::Ip(c) => {
                self.typed_terms
                    .entry(term.to_string())
                    .or_default()
                    .insert("ip6");
                ip_test(c, term)
            }
            Test::Binary(b) => {
                // `iamproof_policy::decode_base64` takes the canonical encoding with or
                // without its padding, and nothing else.
                let padded = crate::semantics::encode_base64(b);
                let bare = padded.trim_end_matches('=');
                if bare.len() == padded.len() {
                    format!("(= {term} {})", smt_string(&padded))
                } else {
                    format!(
                        "(or (= {term} {}) (= {term} {}))",
                        smt_string(&padded),
                        smt_string(bare)
                    )
                }
            }
        }
    }

    fn match_set(&mut self, set: &PatternSet, term: &str) -> String {
        if set.mode() == MatchMode::Exact {
            let alts: Vec<String> = set
                .patterns()
                .iter()
                .filter_map(|g| g.as_literal())
                .map(|t| format!("(= {term} {})", smt_string(&t)))
                .collect();
            return or_list(alts);
        }
        let alts: Vec<String> = set
            .patterns()
            .iter()
            .map(|g| format!("(str.in_re {term} {})", re_pattern(g, set.mode())))
            .collect();
        or_list(alts)
    }

    fn template(&mut self, tpl: &Template, term: &str) -> String {
        let mut guards = Vec::new();
        let mut parts: Vec<(Option<String>, Option<&Glob>)> = Vec::new();
        for p in &tpl.parts {
            match p {
                TemplatePart::Glob(g) => parts.push((None, Some(g))),
                TemplatePart::Ref(v) => {
                    let (t, g) = self.single_term(v);
                    guards.push(g);
                    parts.push((Some(t), None));
                }
            }
        }
        let body = match tpl.mode {
            MatchMode::Exact => {
                let mut items = Vec::new();
                for (r, g) in &parts {
                    match (r, g) {
                        (Some(r), _) => items.push(r.clone()),
                        (None, Some(g)) => match g.as_literal() {
                            Some(t) => items.push(smt_string(&t)),
                            None => return "false".into(),
                        },
                        _ => {}
                    }
                }
                let rhs = match items.len() {
                    0 => "\"\"".to_string(),
                    1 => items.pop().unwrap_or_default(),
                    _ => format!("(str.++ {})", items.join(" ")),
                };
                format!("(= {term} {rhs})")
            }
            MatchMode::Glob => {
                let items: Vec<String> = parts
                    .iter()
                    .map(|(r, g)| match (r, g) {
                        (Some(r), _) => format!("(str.to_re {r})"),
                        (None, Some(g)) => re_glob(&g.parts, Ctx::Any, false),
                        _ => "(str.to_re \"\")".into(),
                    })
                    .collect();
                format!("(str.in_re {term} {})", re_concat(items))
            }
            MatchMode::Arn => {
                // Fields are split on the literal `:` of the pattern; a reference before the
                // fifth one is exact only if its value has no `:` (else over-approximated).
                let mut items = Vec::new();
                let mut colons = 0usize;
                let mut early_refs = Vec::new();
                for (r, g) in &parts {
                    if let Some(r) = r {
                        if colons < 5 {
                            early_refs.push(r.clone());
                        }
                        items.push(format!("(str.to_re {r})"));
                        continue;
                    }
                    let Some(g) = g else { continue };
                    let mut cur: Vec<GlobPart> = Vec::new();
                    for p in &g.parts {
                        match p {
                            GlobPart::Lit(s) => {
                                let mut lit = String::new();
                                for c in s.chars() {
                                    if c == ':' && colons < 5 {
                                        cur.push(GlobPart::Lit(std::mem::take(&mut lit)));
                                        items.push(re_glob(&cur, Ctx::NoColon, false));
                                        items.push("(str.to_re \":\")".into());
                                        cur.clear();
                                        colons += 1;
                                    } else {
                                        lit.push(c);
                                    }
                                }
                                cur.push(GlobPart::Lit(lit));
                            }
                            other => cur.push(other.clone()),
                        }
                    }
                    let ctx = if colons < 5 { Ctx::NoColon } else { Ctx::Any };
                    items.push(re_glob(&cur, ctx, false));
                }
                {
                    // Fewer than six fields with colon-free values: never matches.
                    let exact = if colons < 5 {
                        "false".to_string()
                    } else {
                        format!("(str.in_re {term} {})", re_concat(items))
                    };
                    if early_refs.is_empty() {
                        exact
                    } else {
                        let no_colon: Vec<String> = early_refs
                            .iter()
                            .map(|r| format!("(not (str.contains {r} \":\"))"))
                            .collect();
                        self.note("a policy variable with a `:` in its value inside the first five ARN fields is over-approximated");
                        let free = self.fresh_bool();
                        format!(
                            "(or (and {} {exact}) (and (not {}) {free}))",
                            and_list(no_colon.clone()),
                            and_list(no_colon)
                        )
                    }
                }
            }
            _ => {
                self.note("a policy variable whose value decides ARN fields, or under IgnoreCase, is over-approximated");
                return self.fresh_bool();
            }
        };
        let mut all = guards;
        all.push(body);
        and_list(all)
    }

    fn fresh_bool(&mut self) -> String {
        let name = format!("u{}", self.fresh);
        self.fresh += 1;
        let _ = writeln!(self.defs, "(declare-const {name} Bool)");
        name
    }

    fn pred(&mut self, p: &ElemPred, term: &str) -> String {
        let any = or_list(p.any_of.iter().map(|t| self.test(t, term)).collect());
        if p.negated {
            format!("(not {any})")
        } else {
            any
        }
    }

    pub(super) fn atom(&mut self, a: &Atom) -> String {
        match a {
            Atom::Caller(k) => {
                let i = CallerKind::ALL.iter().position(|x| x == k).unwrap_or(0);
                format!("(= caller {i})")
            }
            Atom::Present(k) => format!("k{}_p", self.key(k)),
            Atom::Multi(k) => {
                let i = self.key(k);
                format!("(and k{i}_p k{i}_m)")
            }
            Atom::Test { var, test } => {
                let (term, guard) = self.single_term(var);
                let t = self.test(test, &term);
                and_list(vec![guard, t])
            }
            Atom::ForAll { key, pred } | Atom::ForAny { key, pred } => {
                let all = matches!(a, Atom::ForAll { .. });
                let i = self.key(key);
                let n = self.keys.get(i).map(|(_, n)| *n).unwrap_or(1);
                let single = self.pred(pred, &format!("k{i}_v"));
                let mut elems = Vec::new();
                for j in 0..n {
                    let pe = self.pred(pred, &format!("k{i}_e{j}"));
                    elems.push(if all {
                        format!("(=> (> k{i}_n {j}) {pe})")
                    } else {
                        format!("(and (> k{i}_n {j}) {pe})")
                    });
                }
                if all {
                    format!(
                        "(or (not k{i}_p) (and (not k{i}_m) (or (= k{i}_v \"\") {single})) (and k{i}_m {}))",
                        and_list(elems)
                    )
                } else {
                    format!(
                        "(and k{i}_p (or (and (not k{i}_m) (not (= k{i}_v \"\")) {single}) (and k{i}_m {})))",
                        or_list(elems)
                    )
                }
            }
        }
    }
}

fn ip_test(c: &Cidr, term: &str) -> String {
    if c.v6 {
        format!(
            "(and (ip6 {term}) (<= {} (ip6v {term})) (<= (ip6v {term}) {}))",
            c.first, c.last
        )
    } else {
        format!(
            "(and (ip4 {term}) (<= {} (ip4v {term})) (<= (ip4v {term}) {}))",
            c.first, c.last
        )
    }
}

pub(super) fn or_list(v: Vec<String>) -> String {
    match v.len() {
        0 => "false".into(),
        1 => v.into_iter().next().unwrap_or_default(),
        _ => format!("(or {})", v.join(" ")),
    }
}

pub(super) fn and_list(v: Vec<String>) -> String {
    let v: Vec<String> = v.into_iter().filter(|s| s != "true").collect();
    match v.len() {
        0 => "true".into(),
        1 => v.into_iter().next().unwrap_or_default(),
        _ => format!("(and {})", v.join(" ")),
    }
}
