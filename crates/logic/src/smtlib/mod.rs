//! SMT-LIB 2 export: a formula as a script z3 and cvc5 accept (`(check-sat)` then
//! `(get-value …)` of every request variable), with the symbol table needed to read a model back
//! into an [`Assignment`].
//!
//! # Encoding
//! * `action`, `resource`, `principal`: `String`; `caller`: `Int` in `0..=4` (the
//!   [`CallerKind::ALL`] order; 0 = anonymous, which has no principal value).
//! * key `k` (number `i`): `ki_p` (present), `ki_m` (multivalued), `ki_v` (the single value),
//!   `ki_n` (number of elements when multivalued) and `ki_e0 … ki_e{N-1}`. `N` is the number of
//!   distinct quantified atoms on the key (at least 1): a set satisfying the formula can always
//!   be shrunk to one witness element per quantified atom, so the bound loses no models.
//! * string tests are regular-expression memberships (`str.in_re`) built from the patterns:
//!   `*` is `(re.* re.allchar)`, or a run of non-`:` characters inside the first five ARN fields
//!   and in action names; case-insensitive literals become classes of every character whose
//!   lowercase is that character. Policy variables are `(str.to_re <the variable>)` inside the
//!   regular expression.
//! * IPv4 ranges are exact regular expressions over dotted quads (octet ranges). Numbers, dates
//!   and IPv6 addresses are read through uninterpreted functions of the string (`num`, `isnum`,
//!   `date`, `isdate`, `ip6`/`ip6v`) constrained by true facts: a value is a number iff it has
//!   decimal syntax, an integer-syntax value has its integer value (epoch seconds for dates,
//!   except four-digit years and values over 15 digits, as `iamproof_policy::parse_date` reads them).
//!
//! # What an answer means
//! Every construct is encoded so that each real request gives a model of the script (an
//! over-approximation where the encoding is not exact): **`unsat` is a proof**. A `sat` model is
//! a candidate that callers replay with [`crate::Formula::eval`]; [`SmtScript::exact`] says
//! whether the encoding is exact (then every model replays), and [`SmtScript::notes`] lists the
//! constructs that are over-approximated (fractional or ISO-date numerals, IPv6 text, policy
//! variables inside the first five fields of an ARN pattern or with `IgnoreCase`, resource
//! templates whose field structure depends on the variable).

use crate::assignment::Assignment;
use crate::formula::{Atom, CallerKind, ElemPred, Formula, Key, Node, Test, Var};
use crate::pattern::{fold_case, Glob, GlobPart, MatchMode, PatternSet, Template, TemplatePart};
use crate::value::Cidr;
use iamproof_eval::ContextValue;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::sync::OnceLock;

mod answer;
pub use answer::parse_get_value;

/// Characters the case-insensitive encodings over-approximate (see [`SmtScript::restricted_text`]).
pub const SPECIAL_CASE_CHARS: [char; 2] = ['\u{130}', '\u{3a3}'];

/// The highest character SMT-LIB strings hold (z3 and cvc5: three Unicode planes).
pub const SMT_MAX_CHAR: u32 = 0x2FFFF;

/// A script and its symbol table.
#[derive(Debug, Clone)]
pub struct SmtScript {
    /// The full SMT-LIB 2 text.
    pub text: String,
    /// Whether the encoding is exact: every model is a real request satisfying the formula,
    /// except models with `İ` or `Σ` in a string matched ignoring case (see
    /// [`SmtScript::restricted_text`]). `unsat` is a proof either way.
    pub exact: bool,
    /// The over-approximated constructs, one line each.
    pub notes: Vec<String>,
    /// The keys, in symbol order (`k0`, `k1`, …), with their element bound.
    pub keys: Vec<(Key, usize)>,
    /// String terms read as numbers (`num`) or dates (`date`) or IPv6 (`ip6`).
    pub typed_terms: Vec<(String, Vec<&'static str>)>,
}

/// The value of one SMT symbol in a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmtValue {
    /// A Boolean.
    Bool(bool),
    /// An integer.
    Int(i128),
    /// A string (escapes already decoded).
    Str(String),
}

impl SmtScript {
    /// The symbols whose values make up a model (the `get-value` list).
    pub fn model_symbols(&self) -> Vec<String> {
        let mut v = vec![
            "caller".to_string(),
            "principal".to_string(),
            "action".to_string(),
            "resource".to_string(),
        ];
        for (i, (_, n)) in self.keys.iter().enumerate() {
            v.push(format!("k{i}_p"));
            v.push(format!("k{i}_m"));
            v.push(format!("k{i}_v"));
            v.push(format!("k{i}_n"));
            for j in 0..*n {
                v.push(format!("k{i}_e{j}"));
            }
        }
        v
    }

    /// The script with every string of the model restricted to exclude `İ` (U+0130) and `Σ`
    /// (U+03A3), the two characters whose lowercase depends on context or has two characters
    /// (the case-insensitive encodings over-approximate them), and numbers and dates restricted
    /// to integer syntax (whose readings the facts determine). A model of this script replays
    /// unless an over-approximated template is involved; `unsat` of it proves nothing.
    pub fn restricted_text(&self) -> String {
        let mut extra = String::new();
        for s in self.model_symbols() {
            if s == "caller" || s.ends_with("_p") || s.ends_with("_m") || s.ends_with("_n") {
                continue;
            }
            let _ = writeln!(
                extra,
                "(assert (not (str.contains {s} \"\\u{{130}}\")))\n(assert (not (str.contains {s} \"\\u{{3a3}}\")))"
            );
        }
        // Typed terms: integer syntax only, so the uninterpreted readings are determined.
        for (t, kinds) in &self.typed_terms {
            if kinds.contains(&"num") || kinds.contains(&"date") {
                let _ = writeln!(
                    extra,
                    "(assert (not (str.contains {t} \".\")))\n(assert (not (str.contains (str.substr {t} 1 (str.len {t})) \"-\")))\n(assert (not (str.prefixof \"+\" {t})))\n(assert (not (str.contains {t} \"e\")))\n(assert (not (str.contains {t} \"E\")))\n(assert (<= (str.len {t}) 16))\n(assert (=> (isdate {t}) (and (str.in_re {t} {EPOCH_INT_RE}) (not (str.in_re {t} {YEAR_RE})))))"
                );
            }
        }
        match self.text.find("(check-sat)") {
            Some(i) => format!("{}{extra}{}", &self.text[..i], &self.text[i..]),
            None => self.text.clone(),
        }
    }

    /// Builds the request a model describes (symbols missing from `values` take defaults:
    /// empty strings, `false`, 0).
    pub fn assignment(&self, values: &HashMap<String, SmtValue>) -> Assignment {
        let s = |name: &str| match values.get(name) {
            Some(SmtValue::Str(s)) => s.clone(),
            _ => String::new(),
        };
        let b = |name: &str| matches!(values.get(name), Some(SmtValue::Bool(true)));
        let n = |name: &str| match values.get(name) {
            Some(SmtValue::Int(i)) => *i,
            _ => 0,
        };
        let caller = usize::try_from(n("caller"))
            .ok()
            .and_then(|i| CallerKind::ALL.get(i).copied())
            .unwrap_or(CallerKind::Anonymous);
        let mut keys = BTreeMap::new();
        for (i, (k, bound)) in self.keys.iter().enumerate() {
            if !b(&format!("k{i}_p")) {
                continue;
            }
            let v = if b(&format!("k{i}_m")) {
                let count = usize::try_from(n(&format!("k{i}_n")))
                    .unwrap_or(0)
                    .min(*bound);
                ContextValue::Multi((0..count).map(|j| s(&format!("k{i}_e{j}"))).collect())
            } else {
                ContextValue::Single(s(&format!("k{i}_v")))
            };
            keys.insert(k.clone(), v);
        }
        Assignment {
            caller,
            principal: s("principal"),
            action: s("action"),
            resource: s("resource"),
            resource_account: None,
            keys,
        }
    }
}

/// The formula as an SMT-LIB 2 script (see [`smtlib_script`]).
pub fn to_smtlib(f: &Formula) -> String {
    smtlib_script(f).text
}

/// An SMT-LIB string literal (`"` doubled, everything outside printable ASCII as `\u{…}`).
pub fn smt_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\"\""),
            '\\' => out.push_str("\\u{5c}"),
            ' '..='~' => out.push(c),
            c => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c).min(SMT_MAX_CHAR));
            }
        }
    }
    out.push('"');
    out
}

fn char_lit(c: char) -> String {
    smt_string(&c.to_string())
}

/// Characters whose (single-character) lowercase is the key; `İ` (lowercase `i̇`, two
/// characters) is added to `i` (an over-approximation). Folding is per character
/// (`iamproof_policy::glob::fold_case`), so `Σ` is under `σ` only, never under `ς`.
fn inverse_lowercase() -> &'static HashMap<char, Vec<char>> {
    static MAP: OnceLock<HashMap<char, Vec<char>>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut m: HashMap<char, Vec<char>> = HashMap::new();
        for u in 0..=SMT_MAX_CHAR {
            let Some(c) = char::from_u32(u) else {
                continue;
            };
            let mut l = c.to_lowercase();
            if let (Some(x), None) = (l.next(), l.next()) {
                if x != c {
                    m.entry(x).or_default().push(c);
                }
            }
        }
        m.entry('i').or_default().push('\u{130}');
        m
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// `*`/`?` range over every character.
    Any,
    /// `*`/`?` range over characters other than `:`.
    NoColon,
}

fn re_any(ctx: Ctx) -> String {
    match ctx {
        Ctx::Any => "re.allchar".into(),
        Ctx::NoColon => format!(
            "(re.union (re.range {} {}) (re.range {} {}))",
            char_lit('\0'),
            char_lit('9'),
            char_lit(';'),
            smt_string(
                &char::from_u32(SMT_MAX_CHAR)
                    .map(String::from)
                    .unwrap_or_default()
            )
        ),
    }
}

fn re_concat(items: Vec<String>) -> String {
    match items.len() {
        0 => "(str.to_re \"\")".into(),
        1 => items.into_iter().next().unwrap_or_default(),
        _ => format!("(re.++ {})", items.join(" ")),
    }
}

fn re_union(items: Vec<String>) -> String {
    match items.len() {
        0 => "re.none".into(),
        1 => items.into_iter().next().unwrap_or_default(),
        _ => format!("(re.union {})", items.join(" ")),
    }
}

/// One character matching `c` ignoring case (`c` already lowercase).
fn re_char_fold(c: char) -> String {
    let mut cs = vec![c];
    if let Some(v) = inverse_lowercase().get(&c) {
        cs.extend(v.iter().copied());
    }
    cs.sort_unstable();
    cs.dedup();
    if cs.len() == 1 {
        format!("(str.to_re {})", char_lit(c))
    } else {
        re_union(
            cs.into_iter()
                .map(|c| format!("(str.to_re {})", char_lit(c)))
                .collect(),
        )
    }
}

/// `k` consecutive `?` of a case-insensitive glob: `k` characters of the *lowercased* value,
/// where `İ` lowercases to two characters. Raw characters are any (one lowered character each,
/// `İ` included as an over-approximation) or `İ` standing for two.
fn re_fold_any_run(k: usize, ctx: Ctx) -> String {
    if k > 8 {
        return format!("((_ re.loop {} {k}) {})", k.div_ceil(2), re_any(ctx));
    }
    let dotted = "(str.to_re \"\\u{130}\")".to_string();
    let mut memo: Vec<String> = vec!["(str.to_re \"\")".into(), re_any(ctx)];
    for n in 2..=k {
        let one = re_concat(vec![
            re_any(ctx),
            memo.get(n - 1).cloned().unwrap_or_default(),
        ]);
        let two = re_concat(vec![
            dotted.clone(),
            memo.get(n - 2).cloned().unwrap_or_default(),
        ]);
        memo.push(re_union(vec![one, two]));
    }
    memo.get(k).cloned().unwrap_or_default()
}

/// The regular expression of glob parts. `fold`: literals compare ignoring case.
fn re_glob(parts: &[GlobPart], ctx: Ctx, fold: bool) -> String {
    let mut items = Vec::new();
    let mut pending_any = 0usize;
    for p in parts {
        if fold {
            if *p == GlobPart::AnyChar {
                pending_any += 1;
                continue;
            }
            if pending_any > 0 {
                items.push(re_fold_any_run(pending_any, ctx));
                pending_any = 0;
            }
        }
        match p {
            GlobPart::Lit(s) => {
                if fold {
                    for c in s.chars().flat_map(char::to_lowercase) {
                        items.push(re_char_fold(c));
                    }
                } else if !s.is_empty() {
                    items.push(format!("(str.to_re {})", smt_string(s)));
                }
            }
            GlobPart::AnyChar => items.push(re_any(ctx)),
            GlobPart::AnyRun => items.push(format!("(re.* {})", re_any(ctx))),
            GlobPart::OneOf(cs) => items.push(re_union(
                cs.iter()
                    .filter(|c| ctx == Ctx::Any || **c != ':')
                    .map(|c| format!("(str.to_re {})", char_lit(*c)))
                    .collect(),
            )),
        }
    }
    if pending_any > 0 {
        items.push(re_fold_any_run(pending_any, ctx));
    }
    re_concat(items)
}

/// The regular expression of a plain glob under a mode.
fn re_pattern(g: &Glob, mode: MatchMode) -> String {
    match mode {
        MatchMode::Exact => match g.as_literal() {
            Some(t) => format!("(str.to_re {})", smt_string(&t)),
            None => "re.none".into(),
        },
        MatchMode::ExactIgnoreCase => match g.as_literal() {
            Some(t) => {
                let folded = fold_case(&t);
                re_concat(folded.chars().map(re_char_fold).collect())
            }
            None => "re.none".into(),
        },
        MatchMode::Glob => re_glob(&g.parts, Ctx::Any, false),
        MatchMode::Arn | MatchMode::Resource(_) => {
            let fields = g.arn_fields();
            if fields.len() != 6 {
                return "re.none".into();
            }
            let mut items = Vec::new();
            for (i, f) in fields.iter().enumerate() {
                if i > 0 {
                    items.push("(str.to_re \":\")".to_string());
                }
                items.push(re_glob(
                    &f.parts,
                    if i < 5 { Ctx::NoColon } else { Ctx::Any },
                    false,
                ));
            }
            re_concat(items)
        }
        MatchMode::Action => {
            let Some((svc, name)) = g.split_action() else {
                return "re.none".into();
            };
            let mut items = Vec::new();
            for c in svc.chars() {
                if c.is_ascii_alphabetic() {
                    items.push(re_union(vec![
                        format!("(str.to_re {})", char_lit(c.to_ascii_lowercase())),
                        format!("(str.to_re {})", char_lit(c.to_ascii_uppercase())),
                    ]));
                } else {
                    items.push(format!("(str.to_re {})", char_lit(c)));
                }
            }
            items.push("(str.to_re \":\")".into());
            items.push(re_glob(&name.parts, Ctx::NoColon, true));
            re_concat(items)
        }
    }
}

struct Builder {
    keys: Vec<(Key, usize)>,
    key_index: HashMap<Key, usize>,
    defs: String,
    names: HashMap<Formula, String>,
    notes: BTreeSet<String>,
    typed_terms: BTreeMap<String, BTreeSet<&'static str>>,
    fresh: usize,
}

impl Builder {
    fn key(&self, k: &Key) -> usize {
        self.key_index.get(k).copied().unwrap_or(0)
    }

    fn note(&mut self, s: &str) {
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
        if set.mode == MatchMode::Exact {
            let alts: Vec<String> = set
                .patterns
                .iter()
                .filter_map(|g| g.as_literal())
                .map(|t| format!("(= {term} {})", smt_string(&t)))
                .collect();
            return or_list(alts);
        }
        let alts: Vec<String> = set
            .patterns
            .iter()
            .map(|g| format!("(str.in_re {term} {})", re_pattern(g, set.mode)))
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

    fn atom(&mut self, a: &Atom) -> String {
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

fn or_list(v: Vec<String>) -> String {
    match v.len() {
        0 => "false".into(),
        1 => v.into_iter().next().unwrap_or_default(),
        _ => format!("(or {})", v.join(" ")),
    }
}

fn and_list(v: Vec<String>) -> String {
    let v: Vec<String> = v.into_iter().filter(|s| s != "true").collect();
    match v.len() {
        0 => "true".into(),
        1 => v.into_iter().next().unwrap_or_default(),
        _ => format!("(and {})", v.join(" ")),
    }
}

/// The decimal text of an octet value without leading zeros, for every value in `lo..=hi`.
fn octet_range_regex(lo: u32, hi: u32) -> String {
    if lo == 0 && hi == 255 {
        return "(re.union (re.range \"0\" \"9\") (re.++ (re.range \"1\" \"9\") (re.range \"0\" \"9\")) (re.++ (str.to_re \"1\") (re.range \"0\" \"9\") (re.range \"0\" \"9\")) (re.++ (str.to_re \"2\") (re.range \"0\" \"4\") (re.range \"0\" \"9\")) (re.++ (str.to_re \"25\") (re.range \"0\" \"5\")))".into();
    }
    re_union((lo..=hi).map(|n| format!("(str.to_re \"{n}\")")).collect())
}

/// The dotted quads (as `std::net::Ipv4Addr` parses them: four decimal octets without leading
/// zeros) inside an IPv4 range: exact.
fn ipv4_range_regex(c: &Cidr) -> String {
    let first = u32::try_from(c.first).unwrap_or(0);
    let last = u32::try_from(c.last).unwrap_or(u32::MAX);
    let mut items = Vec::new();
    for i in 0..4u32 {
        let shift = 24 - 8 * i;
        let lo = (first >> shift) & 0xff;
        let hi = (last >> shift) & 0xff;
        if i > 0 {
            items.push("(str.to_re \".\")".to_string());
        }
        items.push(octet_range_regex(lo, hi));
    }
    re_concat(items)
}

/// Integer text that `iamproof_policy::parse_date` reads as epoch seconds (at most 15
/// digits), unless it is a [`YEAR_RE`].
const EPOCH_INT_RE: &str =
    "(re.++ (re.opt (str.to_re \"-\")) ((_ re.loop 1 15) (re.range \"0\" \"9\")))";
/// Four digits: a year for `iamproof_policy::parse_date`, not epoch seconds.
const YEAR_RE: &str = "((_ re.loop 4 4) (re.range \"0\" \"9\"))";

/// Facts about the typed views of a string term (all true of the real parse functions), for the
/// kinds of tests the term takes.
fn typed_facts(term: &str, kinds: &BTreeSet<&'static str>) -> String {
    let digits = "(re.+ (re.range \"0\" \"9\"))";
    let opt_digits = "(re.* (re.range \"0\" \"9\"))";
    let int_re = format!("(re.++ (re.opt (str.to_re \"-\")) {digits})");
    let abs_int = format!(
        "(ite (= (str.at {term} 0) \"-\") (- (str.to_int (str.substr {term} 1 (- (str.len {term}) 1)))) (str.to_int {term}))"
    );
    let mut s = String::new();
    if kinds.contains("num") {
        // `iamproof_policy::parse_number`: an optional exponent of magnitude at most
        // 400 (any leading zeros), text at most 512 bytes.
        let exp_value = "(re.union ((_ re.loop 1 2) (re.range \"0\" \"9\")) (re.++ (re.range \"1\" \"3\") ((_ re.loop 2 2) (re.range \"0\" \"9\"))) (str.to_re \"400\"))";
        let exponent = format!(
            "(re.opt (re.++ (re.union (str.to_re \"e\") (str.to_re \"E\")) (re.opt (re.union (str.to_re \"-\") (str.to_re \"+\"))) (re.* (str.to_re \"0\")) {exp_value}))"
        );
        let decimal = format!(
            "(re.++ (re.opt (re.union (str.to_re \"-\") (str.to_re \"+\"))) (re.union (re.++ {digits} (re.opt (re.++ (str.to_re \".\") {opt_digits}))) (re.++ (str.to_re \".\") {digits})) {exponent})"
        );
        let _ = writeln!(
            s,
            "(assert (= (isnum {term}) (and (<= (str.len {term}) 512) (str.in_re {term} {decimal}))))"
        );
        let _ = writeln!(
            s,
            "(assert (=> (str.in_re {term} {int_re}) (= (num {term}) (to_real {abs_int}))))"
        );
    }
    if kinds.contains("date") {
        let epoch_int = EPOCH_INT_RE;
        let year = YEAR_RE;
        let _ = writeln!(
            s,
            // `iamproof_policy::parse_date`: integer text is epoch seconds when it has
            // at most 15 digits and is not a four-digit year.
            "(assert (=> (and (str.in_re {term} {epoch_int}) (not (str.in_re {term} {year}))) (and (isdate {term}) (= (date {term}) (to_real {abs_int})))))"
        );
    }
    if kinds.contains("ip6") {
        let _ = writeln!(
            s,
            "(assert (=> (ip6 {term}) (str.in_re {term} (re.+ (re.union (re.range \"0\" \"9\") (re.range \"a\" \"f\") (re.range \"A\" \"F\") (str.to_re \":\") (str.to_re \".\"))))))"
        );
    }
    s
}

/// Builds the script (see the module documentation).
pub fn smtlib_script(f: &Formula) -> SmtScript {
    // Keys and their element bounds.
    let mut keyset: BTreeSet<Key> = BTreeSet::new();
    for v in f.vars() {
        if let Var::Key(k) = v {
            keyset.insert(k);
        }
    }
    let mut quantified: BTreeMap<Key, usize> = BTreeMap::new();
    for a in f.atoms() {
        if let Atom::ForAll { key, .. } | Atom::ForAny { key, .. } = &a {
            *quantified.entry(key.clone()).or_default() += 1;
        }
    }
    let keys: Vec<(Key, usize)> = keyset
        .into_iter()
        .map(|k| {
            let n = quantified.get(&k).copied().unwrap_or(0).max(1);
            (k, n)
        })
        .collect();
    let key_index = keys
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (k.clone(), i))
        .collect();
    let mut b = Builder {
        keys,
        key_index,
        defs: String::new(),
        names: HashMap::new(),
        notes: BTreeSet::new(),
        typed_terms: BTreeMap::new(),
        fresh: 0,
    };
    let mut body = String::new();
    let mut order = Vec::new();
    f.visit(&mut |g| order.push(g.clone()));
    for (counter, g) in order.into_iter().enumerate() {
        let expr = match g.node() {
            Node::True => "true".to_string(),
            Node::False => "false".to_string(),
            Node::Atom(a) => b.atom(a),
            Node::Not(x) => format!("(not {})", b.names.get(x).cloned().unwrap_or_default()),
            Node::And(xs) => and_list(
                xs.iter()
                    .map(|x| b.names.get(x).cloned().unwrap_or_default())
                    .collect(),
            ),
            Node::Or(xs) => or_list(
                xs.iter()
                    .map(|x| b.names.get(x).cloned().unwrap_or_default())
                    .collect(),
            ),
        };
        let name = format!("f{counter}");
        let _ = writeln!(body, "(define-fun {name} () Bool {expr})");
        b.names.insert(g, name);
    }
    let root = b.names.get(f).cloned().unwrap_or_else(|| "true".into());

    let mut text = String::new();
    text.push_str("; iamproof formula (SMT-LIB 2.6, strings)\n(set-logic ALL)\n(set-option :produce-models true)\n");
    text.push_str("(declare-const caller Int)\n(assert (and (<= 0 caller) (<= caller 4)))\n");
    text.push_str("; caller: 0 Anonymous, 1 Arn, 2 Service, 3 Federated, 4 CanonicalUser\n");
    text.push_str("(declare-const principal String)\n(declare-const action String)\n(declare-const resource String)\n");
    for (i, (k, n)) in b.keys.iter().enumerate() {
        let _ = writeln!(text, "; k{i} = {}", k.as_str().replace('\n', " "));
        let _ = writeln!(
            text,
            "(declare-const k{i}_p Bool)\n(declare-const k{i}_m Bool)\n(declare-const k{i}_v String)\n(declare-const k{i}_n Int)\n(assert (and (<= 0 k{i}_n) (<= k{i}_n {n})))"
        );
        for j in 0..*n {
            let _ = writeln!(text, "(declare-const k{i}_e{j} String)");
        }
    }
    text.push_str("(declare-fun isnum (String) Bool)\n(declare-fun num (String) Real)\n(declare-fun isdate (String) Bool)\n(declare-fun date (String) Real)\n(declare-fun ip4 (String) Bool)\n(declare-fun ip4v (String) Int)\n(declare-fun ip6 (String) Bool)\n(declare-fun ip6v (String) Int)\n");
    text.push_str(&b.defs);
    for (t, kinds) in &b.typed_terms {
        text.push_str(&typed_facts(t, kinds));
    }
    if !b.typed_terms.is_empty() {
        b.note("numbers, dates and IPv6 addresses are read through uninterpreted functions constrained by true facts (fractional and ISO-date numerals, IPv6 text are free)");
    }
    text.push_str(&body);
    let _ = writeln!(text, "(assert {root})\n(check-sat)");
    let script = SmtScript {
        text: String::new(),
        exact: b.notes.is_empty(),
        notes: b.notes.into_iter().collect(),
        keys: b.keys,
        typed_terms: b
            .typed_terms
            .into_iter()
            .map(|(t, k)| (t, k.into_iter().collect()))
            .collect(),
    };
    let symbols = script.model_symbols();
    let _ = writeln!(text, "(get-value ({}))", symbols.join(" "));
    SmtScript { text, ..script }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The typed facts are true of the real parse functions (`iamproof_policy::parse_number`…): with
    /// the views set to what Rust reads, z3 finds the facts satisfiable. Skipped without z3.
    #[test]
    fn typed_facts_hold_of_the_parsers() {
        use std::io::Write as _;
        let samples = [
            "0",
            "-0",
            "+5",
            "5.",
            ".5",
            "1e3",
            "1.5E-2",
            "1e400",
            "1e401",
            "1e0400",
            "2024",
            "-2024",
            "20240",
            "0123",
            "123",
            "999999999999999",
            "1000000000000000",
            "-999999999999999",
            "1.25",
            "-1.25",
            "2020-01-01",
            "1e",
            "x",
            "",
            "-",
        ];
        let kinds: BTreeSet<&'static str> = ["num", "date"].into_iter().collect();
        for v in samples {
            let t = smt_string(v);
            let mut script = String::from(
                "(set-logic ALL)\n(declare-fun isnum (String) Bool)\n(declare-fun num (String) Real)\n(declare-fun isdate (String) Bool)\n(declare-fun date (String) Real)\n",
            );
            script.push_str(&typed_facts(&t, &kinds));
            let readings = [
                ("num", crate::semantics::parse_number(v)),
                ("date", crate::semantics::parse_date(v)),
            ];
            for (view, reading) in readings {
                let _ = writeln!(
                    script,
                    "{}",
                    match reading {
                        Some(n) => format!(
                            "(assert (and (is{view} {t}) (= ({view} {t}) {})))",
                            n.to_smt_real()
                        ),
                        None => format!("(assert (not (is{view} {t})))"),
                    }
                );
            }
            script.push_str("(check-sat)\n");
            let Ok(mut child) = std::process::Command::new("z3")
                .arg("-in")
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
            else {
                eprintln!("z3 not found; skipped");
                return;
            };
            if let Some(mut stdin) = child.stdin.take() {
                stdin.write_all(script.as_bytes()).unwrap();
            }
            let out = child.wait_with_output().unwrap();
            let answer = String::from_utf8_lossy(&out.stdout);
            assert_eq!(
                answer.trim(),
                "sat",
                "facts contradict the parsers on {v:?}:\n{script}"
            );
        }
    }

    #[test]
    fn parses_get_value_output() {
        let v = parse_get_value(
            "((caller 1)\n (principal \"arn:aws:iam::1:user/\"\"x\"\"\\u{e9}\")\n (k0_n (- 3)) (k0_p true))",
        )
        .unwrap();
        assert_eq!(v.get("caller"), Some(&SmtValue::Int(1)));
        assert_eq!(
            v.get("principal"),
            Some(&SmtValue::Str("arn:aws:iam::1:user/\"x\"é".into()))
        );
        assert_eq!(v.get("k0_n"), Some(&SmtValue::Int(-3)));
        assert_eq!(v.get("k0_p"), Some(&SmtValue::Bool(true)));
    }

    /// The IPv4 regular expressions assume the evaluator's parser (`std::net::Ipv4Addr`) reads
    /// exactly the dotted quads without leading zeros.
    #[test]
    fn ipv4_syntax_assumption() {
        use std::net::Ipv4Addr;
        assert!("1.2.3.4".parse::<Ipv4Addr>().is_ok());
        assert!("0.0.0.0".parse::<Ipv4Addr>().is_ok());
        assert!("01.2.3.4".parse::<Ipv4Addr>().is_err());
        assert!("1.2.3".parse::<Ipv4Addr>().is_err());
        assert!("256.1.1.1".parse::<Ipv4Addr>().is_err());
        assert!(" 1.2.3.4".parse::<Ipv4Addr>().is_err());
        let c = crate::semantics::parse_cidr("203.0.113.0/23").unwrap();
        let re = ipv4_range_regex(&c);
        assert!(re.contains("\"112\"") && re.contains("\"113\"") && !re.contains("\"114\""));
    }
}
