//! IAM wildcard patterns as automata, and an exact decision procedure for conjunctions of
//! pattern memberships on ONE string variable:
//!
//! `x ∈ ∪P1 ∧ x ∈ ∪P2 ∧ … ∧ x ∉ ∪N1 ∧ x ∉ ∪N2 ∧ …`
//!
//! The answer is `Unsat`, a shortest witness string (printable where possible), or `Unknown` when
//! a step or time bound is hit — never a wrong answer.
//!
//! How it works (no SMT; see `/work/shared/spec/solvers.md` §4):
//! - every pattern is compiled to a linear NFA over the tokens `Lit(c)`, `LitCi(c)`
//!   (ASCII-case-insensitive), `Any(colon_ok)`, `Star(colon_ok)`. The ARN field-wise semantics is
//!   exact: the first five fields are joined by literal `:` tokens and their wildcards cannot
//!   consume `:`, while wildcards in the resource field (after the 5th colon) can. Since the first
//!   five fields never contain `:`, the split of a string on its first five colons is unique.
//! - NFA states are hash-consed suffixes ("nodes"), so equal pattern tails share a state.
//! - the subset construction is lazy, explored breadth first (shortest witness). Per subset state
//!   the alphabet is the literal characters at its frontier, their case variants, `:` and ONE
//!   representative "other" character: every character outside that set behaves the same, which
//!   makes the search exact over all of Unicode.
//! - pruning: a subset state is dead when a positive group has no live node or the negative set
//!   contains a node that accepts every extension; a positive group that reaches such a node is
//!   satisfied for good. Before the search, patterns that are syntactically included in a
//!   negative pattern (e.g. `ab*` in `a*`, identical globs) are dropped. Inside a subset state,
//!   nodes whose suffix language is syntactically included in another node's are dropped
//!   (simulation), and a new subset state that is subsumed by an already visited one (positive
//!   sets smaller, negative set larger: the antichain order) is not explored.
//!
//! Written by hand because no crate decides IAM globs with field-wise ARNs, case folding and
//! shortest witnesses at this speed (see the measurements in solvers.md: regex-automata cannot
//! complement, aws-smt-strings is 100–1000× slower on these queries).

use iamproof_policy::glob::{self as policy_glob, fold_case};
use rustc_hash::{FxHashMap, FxHashSet};
use std::time::Instant;

/// How a pattern's text is read, one mode per IAM policy element / condition operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GlobMode {
    /// Action / NotAction entries (as `iamproof_eval::matching::action_matches`): the pattern
    /// is `*` (everything) or `svc:name-glob`; a value matches iff it has exactly one `:`, its
    /// service part equals `svc` ignoring ASCII case, and its name part glob-matches the name
    /// glob, both folded per character (`iamproof_policy::glob::fold_case`). A pattern without a `:`, with
    /// a second `:`, a wildcard in the service or an empty part matches nothing.
    Action,
    /// Resource entries and `ArnLike`/`ArnEquals`: six fields split on the first five colons,
    /// compared field by field; `*`/`?` never consume a colon in the first five fields but do in
    /// the resource field. A pattern or string with fewer than five colons matches nothing.
    /// Case-sensitive.
    Arn,
    /// `StringLike`: `*`/`?` over the whole string (spanning `/` and `:`), case-sensitive.
    Like,
    /// `StringEquals`: exact, case-sensitive, `*`/`?` are literal.
    Exact,
    /// `StringEqualsIgnoreCase`: equality after `iamproof_policy::glob::fold_case` (per
    /// character) of both sides, `*`/`?` are literal.
    ExactIgnoreCase,
}

/// One element of a glob as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GlobToken {
    /// A literal character.
    Lit(char),
    /// `?`: exactly one character.
    Any,
    /// `*`: any run of characters, possibly empty.
    Star,
    /// Exactly one character of the list (never an ARN field separator when the list has no
    /// `:`).
    OneOf(Vec<char>),
}

/// A pattern: tokens plus the mode that gives them meaning.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Glob {
    /// The tokens, in order. In the exact modes `Any`/`Star` stand for the characters `?`/`*`.
    pub tokens: Vec<GlobToken>,
    /// How the tokens are matched.
    pub mode: GlobMode,
}

/// The inverse of single-character lowercasing: for a lowercase character, every other
/// character whose `char::to_lowercase` starts with it (`k` → `K`, U+212A KELVIN SIGN; `i` →
/// `I`, U+0130 whose lowercase is `i` + U+0307). Computed once, over the first two planes:
/// no character above them has a lowercase other than itself (a test checks the whole range),
/// and scanning all 1.1 million code points cost every command ~25 ms.
fn inverse_fold(l: char) -> &'static [char] {
    static TABLE: std::sync::OnceLock<FxHashMap<char, Vec<char>>> = std::sync::OnceLock::new();
    let t = TABLE.get_or_init(|| {
        let mut m: FxHashMap<char, Vec<char>> = FxHashMap::default();
        for c in (0u32..=CASED_MAX).filter_map(char::from_u32) {
            let mut lc = c.to_lowercase();
            if let Some(f) = lc.next() {
                if f != c || lc.next().is_some() {
                    m.entry(f).or_default().push(c);
                }
            }
        }
        m
    });
    t.get(&l).map(Vec::as_slice).unwrap_or(&[])
}

/// The last code point [`inverse_fold`] scans (the end of the Supplementary Multilingual
/// Plane, past Adlam, the last cased script).
const CASED_MAX: u32 = 0x1FFFF;

/// Whether `c` lowercases to itself (one character).
fn fold_fixed(c: char) -> bool {
    let mut lc = c.to_lowercase();
    lc.next() == Some(c) && lc.next().is_none()
}

impl Glob {
    /// Reads `text` in `mode`: in the wildcard modes `*` and `?` are wildcards, in the exact modes
    /// every character is literal.
    pub fn parse(text: &str, mode: GlobMode) -> Glob {
        let wild = matches!(mode, GlobMode::Action | GlobMode::Arn | GlobMode::Like);
        let tokens = text
            .chars()
            .map(|c| match c {
                '*' if wild => GlobToken::Star,
                '?' if wild => GlobToken::Any,
                c => GlobToken::Lit(c),
            })
            .collect();
        Glob { tokens, mode }
    }

    /// The pattern text (wildcards written as `*`/`?`, a class as its first character).
    pub fn text(&self) -> String {
        self.tokens.iter().map(tok_char).collect()
    }

    /// Concrete matching, independent of the automata (used to check witnesses): the
    /// workspace's one matcher and case folding (`iamproof_policy::glob`), as
    /// `iamproof_eval::matching` / `iamproof_logic::pattern` use them.
    pub fn matches(&self, s: &str) -> bool {
        match self.mode {
            GlobMode::Arn => match (split_arn_tokens(&self.tokens), split_arn_str(s)) {
                (Some(pf), Some(sf)) => pf
                    .iter()
                    .zip(sf.iter())
                    .all(|(p, f)| policy_glob::matches_str(p, f)),
                _ => false,
            },
            GlobMode::Like => policy_glob::matches_str(&self.tokens, s),
            GlobMode::Exact => {
                let lits: Vec<GlobToken> = self.tokens.iter().map(literal_of).collect();
                policy_glob::matches_str(&lits, s)
            }
            GlobMode::ExactIgnoreCase => {
                let text: String = self.tokens.iter().map(tok_char).collect();
                let classes = self.tokens.iter().any(|t| matches!(t, GlobToken::OneOf(_)));
                if classes {
                    let mut lits = Vec::new();
                    for t in &self.tokens {
                        match literal_of(t) {
                            GlobToken::Lit(c) => lits.extend(c.to_lowercase().map(GlobToken::Lit)),
                            other => lits.push(fold_token(&other)),
                        }
                    }
                    policy_glob::matches_str(&lits, &fold_case(s))
                } else {
                    fold_case(&text) == fold_case(s)
                }
            }
            GlobMode::Action => {
                if self.tokens == [GlobToken::Star] {
                    return true;
                }
                let Some(split) = self.tokens.iter().position(|t| *t == GlobToken::Lit(':')) else {
                    return false;
                };
                let (svc, name) = (&self.tokens[..split], &self.tokens[split + 1..]);
                let Some((vs, vn)) = s.split_once(':') else {
                    return false;
                };
                if svc.is_empty()
                    || name.is_empty()
                    || vn.contains(':')
                    || name.contains(&GlobToken::Lit(':'))
                    || !svc.iter().all(|t| matches!(t, GlobToken::Lit(_)))
                {
                    return false;
                }
                let svc_text: String = svc.iter().map(tok_char).collect();
                if !svc_text.eq_ignore_ascii_case(vs) {
                    return false;
                }
                let mut pat = Vec::new();
                for t in name {
                    match t {
                        GlobToken::Lit(c) => pat.extend(c.to_lowercase().map(GlobToken::Lit)),
                        other => pat.push(fold_token(other)),
                    }
                }
                policy_glob::matches_str(&pat, &fold_case(vn))
            }
        }
    }
}

/// A wildcard token read literally (exact modes).
fn literal_of(t: &GlobToken) -> GlobToken {
    match t {
        GlobToken::Any => GlobToken::Lit('?'),
        GlobToken::Star => GlobToken::Lit('*'),
        other => other.clone(),
    }
}

/// A token of a lowercased region: class members stay as given (they are compared with the
/// lowercased input, as `iamproof_logic::pattern` does).
fn fold_token(t: &GlobToken) -> GlobToken {
    t.clone()
}

/// The first character of `c`'s lowercase.
fn fold1(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// Splits ARN pattern tokens into 6 fields on the first five literal colons.
fn split_arn_tokens(toks: &[GlobToken]) -> Option<Vec<&[GlobToken]>> {
    let mut out = Vec::with_capacity(6);
    let mut start = 0;
    for (i, t) in toks.iter().enumerate() {
        if out.len() < 5 && *t == GlobToken::Lit(':') {
            out.push(toks.get(start..i)?);
            start = i + 1;
        }
    }
    if out.len() < 5 {
        return None;
    }
    out.push(toks.get(start..)?);
    Some(out)
}

/// Splits an ARN string into 6 fields on the first five colons.
fn split_arn_str(s: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    if parts.len() == 6 {
        Some(parts)
    } else {
        None
    }
}

/// The workspace's one concrete matcher (`iamproof_policy::glob::matches`) reads these tokens.
impl policy_glob::Element for GlobToken {
    fn is_any_run(&self) -> bool {
        *self == GlobToken::Star
    }

    fn accepts(&self, c: char) -> bool {
        match self {
            GlobToken::Lit(x) => *x == c,
            GlobToken::Any => true,
            GlobToken::OneOf(cs) => cs.contains(&c),
            GlobToken::Star => false,
        }
    }
}

/// The result of deciding a conjunction on one string variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StrOutcome {
    /// No string satisfies every constraint.
    Unsat,
    /// A shortest string that satisfies every constraint.
    Sat(String),
    /// A bound was hit before an answer; the reason says which.
    Unknown(String),
}

/// Bounds for one decision.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The most subset states to create before giving up.
    pub max_states: u64,
    /// Give up after this instant.
    pub deadline: Option<Instant>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_states: 2_000_000,
            deadline: None,
        }
    }
}

/// Statistics of one decision (for benchmarks and tuning).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Subset states created.
    pub states: u64,
    /// Subset states skipped because a visited state subsumes them.
    pub subsumed: u64,
    /// Patterns dropped before the search by syntactic inclusion.
    pub pruned_patterns: u64,
    /// Syntactic inclusion checks run before the search.
    pub inclusion_checks: u64,
}

// ---------------------------------------------------------------------------------------------
// Compiled tokens and hash-consed suffix nodes.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Tok {
    /// Literal (compared with the input character, or with its lowercase in a folded region).
    Lit(char),
    /// ASCII letter compared ignoring ASCII case (stored lowercase; action service prefixes).
    LitCi(char),
    /// One character; `true` if it may be `:`.
    Any(bool),
    /// Any run; `true` if it may contain `:`.
    Star(bool),
    /// One character of a class (index into [`Classes`]).
    Set(u32),
}

/// A compiled token: the token and whether it reads folded input (`fold_case` regions, one
/// input character at a time: action names, `StringEqualsIgnoreCase`).
type CTok = (Tok, bool);

/// Interned character classes.
#[derive(Default)]
struct Classes {
    sets: Vec<Vec<char>>,
    index: FxHashMap<Vec<char>, u32>,
}

impl Classes {
    fn intern(&mut self, mut cs: Vec<char>) -> u32 {
        cs.sort_unstable();
        cs.dedup();
        if let Some(&i) = self.index.get(&cs) {
            return i;
        }
        let i = self.sets.len() as u32;
        self.sets.push(cs.clone());
        self.index.insert(cs, i);
        i
    }

    fn get(&self, i: u32) -> &[char] {
        self.sets.get(i as usize).map(Vec::as_slice).unwrap_or(&[])
    }
}

impl Tok {
    fn accepts(self, c: char, classes: &Classes) -> bool {
        match self {
            Tok::Lit(d) => c == d,
            Tok::LitCi(l) => c.to_ascii_lowercase() == l,
            Tok::Any(co) | Tok::Star(co) => co || c != ':',
            Tok::Set(i) => classes.get(i).binary_search(&c).is_ok(),
        }
    }
}

/// Compiles a glob to tokens; `None` means it matches nothing (an ARN pattern with fewer than
/// five colons, a malformed action pattern).
fn compile(g: &Glob, classes: &mut Classes) -> Option<Vec<CTok>> {
    let wild = |t: &GlobToken, colon_ok: bool, fold: bool, classes: &mut Classes| -> Tok {
        match t {
            GlobToken::Lit(c) => Tok::Lit(*c),
            GlobToken::Any => Tok::Any(colon_ok),
            GlobToken::Star => Tok::Star(colon_ok),
            // class members are compared as given, also with lowercased input (as
            // `iamproof_logic::pattern` does)
            GlobToken::OneOf(cs) => {
                let _ = fold;
                Tok::Set(classes.intern(cs.clone()))
            }
        }
    };
    match g.mode {
        GlobMode::Like => Some(
            g.tokens
                .iter()
                .map(|t| (wild(t, true, false, classes), false))
                .collect(),
        ),
        GlobMode::Exact => Some(
            g.tokens
                .iter()
                .map(|t| (wild(&literal_of(t), true, false, classes), false))
                .collect(),
        ),
        GlobMode::ExactIgnoreCase => {
            if g.tokens.iter().any(|t| matches!(t, GlobToken::OneOf(_))) {
                let mut out = Vec::new();
                for t in &g.tokens {
                    match literal_of(t) {
                        GlobToken::Lit(c) => {
                            out.extend(c.to_lowercase().map(|l| (Tok::Lit(l), true)))
                        }
                        other => out.push((wild(&other, true, true, classes), true)),
                    }
                }
                return Some(out);
            }
            let text: String = g.tokens.iter().map(tok_char).collect();
            Some(
                fold_case(&text)
                    .chars()
                    .map(|c| (Tok::Lit(c), true))
                    .collect(),
            )
        }
        GlobMode::Action => {
            if g.tokens == [GlobToken::Star] {
                return Some(vec![(Tok::Star(true), false)]);
            }
            let split = g.tokens.iter().position(|t| *t == GlobToken::Lit(':'))?;
            let (svc, name) = (g.tokens.get(..split)?, g.tokens.get(split + 1..)?);
            if svc.is_empty() || name.is_empty() || name.contains(&GlobToken::Lit(':')) {
                return None;
            }
            let mut out = Vec::with_capacity(g.tokens.len() + 2);
            for t in svc {
                match t {
                    GlobToken::Lit(c) if c.is_ascii_alphabetic() => {
                        out.push((Tok::LitCi(c.to_ascii_lowercase()), false))
                    }
                    GlobToken::Lit(c) => out.push((Tok::Lit(*c), false)),
                    _ => return None,
                }
            }
            out.push((Tok::Lit(':'), false));
            for t in name {
                match t {
                    GlobToken::Lit(c) => out.extend(c.to_lowercase().map(|l| (Tok::Lit(l), true))),
                    // the value's name part never contains `:`
                    GlobToken::OneOf(cs) => {
                        let cs: Vec<char> = cs.iter().copied().filter(|c| *c != ':').collect();
                        out.push((wild(&GlobToken::OneOf(cs), false, true, classes), true))
                    }
                    other => out.push((wild(other, false, true, classes), true)),
                }
            }
            Some(out)
        }
        GlobMode::Arn => {
            let fields = split_arn_tokens(&g.tokens)?;
            let mut out = Vec::with_capacity(g.tokens.len());
            for (i, f) in fields.iter().enumerate() {
                if i > 0 {
                    out.push((Tok::Lit(':'), false));
                }
                for t in f.iter() {
                    out.push((wild(t, i == 5, false, classes), false));
                }
            }
            Some(out)
        }
    }
}

fn tok_char(t: &GlobToken) -> char {
    match t {
        GlobToken::Lit(c) => *c,
        GlobToken::Any => '?',
        GlobToken::Star => '*',
        GlobToken::OneOf(cs) => cs.first().copied().unwrap_or('?'),
    }
}

/// Node 0 is the end (accepting, no token).
const END: u32 = 0;

struct Nodes {
    /// (token, folded, next node); entry 0 is a dummy for END.
    nodes: Vec<(Tok, bool, u32)>,
    intern: FxHashMap<(Tok, bool, u32), u32>,
    /// Whether the node accepts every string (only `Star(true)` up to the end).
    universal: Vec<bool>,
    classes: Classes,
}

impl Nodes {
    fn new(classes: Classes) -> Self {
        Nodes {
            nodes: vec![(Tok::Lit('\0'), false, END)],
            intern: FxHashMap::default(),
            universal: vec![false],
            classes,
        }
    }

    fn node(&mut self, t: CTok, next: u32) -> u32 {
        // collapse `**`
        if let Tok::Star(_) = t.0 {
            if next != END && self.ctok(next) == Some(t) {
                return next;
            }
        }
        let key = (t.0, t.1, next);
        if let Some(&id) = self.intern.get(&key) {
            return id;
        }
        let id = self.nodes.len() as u32;
        let univ = t.0 == Tok::Star(true) && (next == END || self.is_universal(next));
        self.nodes.push(key);
        self.universal.push(univ);
        self.intern.insert(key, id);
        id
    }

    fn add_pattern(&mut self, toks: &[CTok]) -> u32 {
        let mut n = END;
        for t in toks.iter().rev() {
            n = self.node(*t, n);
        }
        n
    }

    fn ctok(&self, n: u32) -> Option<CTok> {
        if n == END {
            None
        } else {
            self.nodes.get(n as usize).map(|x| (x.0, x.1))
        }
    }

    fn tok(&self, n: u32) -> Option<Tok> {
        self.ctok(n).map(|x| x.0)
    }

    fn next(&self, n: u32) -> u32 {
        self.nodes.get(n as usize).map_or(END, |x| x.2)
    }

    fn is_universal(&self, n: u32) -> bool {
        self.universal.get(n as usize).copied().unwrap_or(false)
    }

    /// Adds the epsilon closure of `n` to `out`.
    fn close_into(&self, mut n: u32, out: &mut Vec<u32>) {
        loop {
            out.push(n);
            match self.tok(n) {
                Some(Tok::Star(_)) => n = self.next(n),
                _ => return,
            }
        }
    }

    fn tokens_of(&self, mut n: u32) -> Vec<CTok> {
        let mut v = Vec::new();
        while let Some(t) = self.ctok(n) {
            v.push(t);
            n = self.next(n);
        }
        v
    }

    /// One NFA step of node `n` (an element of a closed set) on input character `c`; the
    /// successors go to `out` (not necessarily closed). In a folded region the input is the
    /// character's lowercase, which for U+0130 is two characters.
    fn step(&self, n: u32, c: char, out: &mut Vec<u32>) {
        let Some((t, fold)) = self.ctok(n) else {
            return;
        };
        if !fold || fold_fixed(c) || c.to_lowercase().count() == 1 {
            let ch = if fold { fold1(c) } else { c };
            if t.accepts(ch, &self.classes) {
                out.push(if matches!(t, Tok::Star(_)) {
                    n
                } else {
                    self.next(n)
                });
            }
            return;
        }
        let seq: Vec<char> = c.to_lowercase().collect();
        let mut cur = vec![n];
        for (k, ch) in seq.iter().enumerate() {
            let mut nxt = Vec::new();
            for &m in &cur {
                if let Some((t, _)) = self.ctok(m) {
                    if t.accepts(*ch, &self.classes) {
                        let succ = if matches!(t, Tok::Star(_)) {
                            m
                        } else {
                            self.next(m)
                        };
                        if k + 1 < seq.len() {
                            self.close_into(succ, &mut nxt);
                        } else {
                            nxt.push(succ);
                        }
                    }
                }
            }
            nxt.sort_unstable();
            nxt.dedup();
            cur = nxt;
        }
        out.extend(cur);
    }
}

/// Whether token `h` (of the including glob) covers the single token `g` of the included glob.
/// Tokens of different folding are never compared (sound: `false` only loses pruning).
fn tok_covers(h: CTok, g: CTok, cl: &Classes) -> bool {
    if h.1 != g.1 {
        return false;
    }
    match (h.0, g.0) {
        (Tok::Lit(a), Tok::Lit(b)) => a == b,
        (Tok::LitCi(a), Tok::Lit(b)) => b.to_ascii_lowercase() == a,
        (Tok::LitCi(a), Tok::LitCi(b)) => a == b,
        (Tok::Any(co), Tok::Lit(c)) => co || c != ':',
        (Tok::Any(_), Tok::LitCi(_)) => true,
        (Tok::Any(co), Tok::Any(cg)) => co || !cg,
        (Tok::Any(co), Tok::Set(s)) => co || !cl.get(s).contains(&':'),
        (Tok::Set(a), Tok::Lit(b)) => cl.get(a).contains(&b),
        (Tok::Set(a), Tok::Set(b)) => cl.get(b).iter().all(|c| cl.get(a).contains(c)),
        _ => false,
    }
}

/// Whether a `Star(co)` of the including glob can absorb token `g` of the included glob.
fn star_absorbs(h: CTok, g: CTok, cl: &Classes) -> bool {
    let Tok::Star(co) = h.0 else { return false };
    if h.1 != g.1 {
        return false;
    }
    match g.0 {
        Tok::Lit(c) => co || c != ':',
        Tok::LitCi(_) => true,
        Tok::Any(cg) | Tok::Star(cg) => co || !cg,
        Tok::Set(s) => co || !cl.get(s).contains(&':'),
    }
}

/// At most this many cells in one [`includes`] table; larger pairs are not compared (the
/// answer `false` is always sound), which keeps two long patterns from costing seconds.
const MAX_INCLUSION_CELLS: usize = 1 << 22;

/// Sound syntactic inclusion: `true` means L(g) ⊆ L(h) (the converse need not hold).
fn includes(h: &[CTok], g: &[CTok], cl: &Classes) -> bool {
    if h.len().saturating_mul(g.len() + 1) > MAX_INCLUSION_CELLS {
        return false;
    }
    let m = g.len();
    // dp over h from the end; row[j] = h[i..] ⊇ g[j..]
    let mut row = vec![false; m + 1];
    row[m] = true;
    let mut cur = vec![false; m + 1];
    for &ht in h.iter().rev() {
        cur.iter_mut().for_each(|c| *c = false);
        if let Tok::Star(_) = ht.0 {
            cur[m] = row[m];
            for j in (0..m).rev() {
                cur[j] = row[j] || (star_absorbs(ht, g[j], cl) && cur[j + 1]);
            }
        } else {
            for j in 0..m {
                cur[j] = tok_covers(ht, g[j], cl) && row[j + 1];
            }
        }
        std::mem::swap(&mut row, &mut cur);
    }
    row[0]
}

fn is_wild(t: CTok) -> bool {
    matches!(t.0, Tok::Any(_) | Tok::Star(_) | Tok::Set(_))
}

fn key_char(t: CTok) -> char {
    match t.0 {
        Tok::Lit(c) | Tok::LitCi(c) => c.to_ascii_lowercase(),
        _ => '\0',
    }
}

/// The ASCII-lowercased literal prefix (tokens before the first wildcard).
fn lit_prefix(t: &[CTok]) -> String {
    t.iter()
        .take_while(|t| !is_wild(**t))
        .map(|t| key_char(*t))
        .collect()
}

/// The ASCII-lowercased literal suffix (tokens after the last wildcard), reversed.
fn lit_suffix_rev(t: &[CTok]) -> String {
    t.iter()
        .rev()
        .take_while(|t| !is_wild(**t))
        .map(|t| key_char(*t))
        .collect()
}

/// An index over patterns that can include others, keyed by folded literal prefix.
struct InclusionIndex<'a> {
    pats: &'a [Vec<CTok>],
    classes: &'a Classes,
    by_prefix: FxHashMap<String, Vec<usize>>,
    suffixes: Vec<String>,
    wild: Vec<bool>,
    /// The distinct lengths (in bytes) of the keys of `by_prefix`, ascending.
    key_lengths: Vec<usize>,
    budget: u64,
    /// Pruning is optional (sound to skip), so the index stops looking at the deadline.
    deadline: Option<Instant>,
}

impl<'a> InclusionIndex<'a> {
    fn new(
        pats: &'a [Vec<CTok>],
        classes: &'a Classes,
        budget: u64,
        deadline: Option<Instant>,
    ) -> Self {
        let mut by_prefix: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (i, p) in pats.iter().enumerate() {
            by_prefix.entry(lit_prefix(p)).or_default().push(i);
        }
        let mut key_lengths: Vec<usize> = by_prefix.keys().map(String::len).collect();
        key_lengths.sort_unstable();
        key_lengths.dedup();
        InclusionIndex {
            pats,
            classes,
            by_prefix,
            suffixes: pats.iter().map(|p| lit_suffix_rev(p)).collect(),
            wild: pats.iter().map(|p| p.iter().any(|t| is_wild(*t))).collect(),
            key_lengths,
            budget,
            deadline,
        }
    }

    /// Some indexed pattern (other than `skip`) that includes `g`; `accept` filters candidates.
    fn find_includer(
        &mut self,
        g: &[CTok],
        skip: Option<usize>,
        accept: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        let gp = lit_prefix(g);
        let gs = lit_suffix_rev(g);
        // Only the prefix lengths some indexed pattern has (hashing every prefix of a long
        // literal would be quadratic in its length).
        let ends: Vec<usize> = self
            .key_lengths
            .iter()
            .copied()
            .filter(|&l| l <= gp.len() && gp.is_char_boundary(l))
            .collect();
        for end in ends {
            let Some(key) = gp.get(..end) else { continue };
            let Some(cands) = self.by_prefix.get(key) else {
                continue;
            };
            for &h in cands {
                if Some(h) == skip || !accept(h) {
                    continue;
                }
                let hs = self.suffixes.get(h).map(String::as_str).unwrap_or("");
                let hw = self.wild.get(h).copied().unwrap_or(true);
                // a wildcard-free includer must have its whole text as g's prefix/suffix
                if (hw && !gs.starts_with(hs)) || (!hw && key.len() != gp.len()) {
                    continue;
                }
                if self.budget == 0 {
                    return None;
                }
                self.budget -= 1;
                if self.budget.is_multiple_of(256)
                    && self.deadline.is_some_and(|d| Instant::now() >= d)
                {
                    self.budget = 0;
                    return None;
                }
                if let Some(hp) = self.pats.get(h) {
                    if includes(hp, g, self.classes) {
                        return Some(h);
                    }
                }
            }
        }
        None
    }
}

// ---------------------------------------------------------------------------------------------
// The search.

/// A subset state: one closed, sorted node set per positive group, then the negative set.
#[derive(Clone, PartialEq, Eq, Hash)]
struct State {
    sets: Vec<Vec<u32>>,
}

/// Decides `x ∈ ∪P1 ∧ … ∧ x ∉ ∪N1 ∧ …` for the groups given: each entry of `positive` is a
/// group `x` must match some pattern of; each entry of `negative` a group `x` must match no
/// pattern of. An empty positive group is unsatisfiable; an empty negative group is no constraint.
pub fn decide(positive: &[Vec<Glob>], negative: &[Vec<Glob>], limits: &Limits) -> StrOutcome {
    decide_with_stats(positive, negative, limits).0
}

/// [`decide`], also returning search statistics.
pub fn decide_with_stats(
    positive: &[Vec<Glob>],
    negative: &[Vec<Glob>],
    limits: &Limits,
) -> (StrOutcome, Stats) {
    let (out, stats) = decide_inner(positive, negative, limits);
    // Safety net in debug builds (and tests): a witness must satisfy every constraint under the
    // concrete matcher. Release callers re-check whole models anyway (`Formula::eval`).
    if let (true, StrOutcome::Sat(w)) = (cfg!(debug_assertions), &out) {
        let ok = positive.iter().all(|g| g.iter().any(|p| p.matches(w)))
            && !negative.iter().any(|g| g.iter().any(|p| p.matches(w)));
        if !ok {
            return (
                StrOutcome::Unknown(format!("internal: witness {w:?} failed the concrete check")),
                stats,
            );
        }
    }
    (out, stats)
}

fn decide_inner(
    positive: &[Vec<Glob>],
    negative: &[Vec<Glob>],
    limits: &Limits,
) -> (StrOutcome, Stats) {
    let mut stats = Stats::default();
    let mut classes = Classes::default();
    let unsat = |stats: Stats| (StrOutcome::Unsat, stats);
    // Negative patterns merged (x ∉ ∪N1 ∧ x ∉ ∪N2 ≡ x ∉ ∪(N1 ∪ N2)), deduplicated.
    let mut seen = FxHashSet::default();
    let mut neg: Vec<Vec<CTok>> = Vec::new();
    for g in negative.iter().flatten() {
        if let Some(t) = compile(g, &mut classes) {
            if seen.insert(t.clone()) {
                neg.push(t);
            }
        }
    }
    let mut pos: Vec<Vec<Vec<CTok>>> = Vec::new();
    for grp in positive {
        let mut seen = FxHashSet::default();
        let mut pats = Vec::new();
        for g in grp {
            if let Some(t) = compile(g, &mut classes) {
                if seen.insert(t.clone()) {
                    pats.push(t);
                }
            }
        }
        pos.push(pats);
    }
    let budget = 4_000_000;
    // Drop negative patterns included in another negative pattern.
    {
        let mut keep = vec![true; neg.len()];
        let mut idx = InclusionIndex::new(&neg, &classes, budget, limits.deadline);
        let before = idx.budget;
        for i in 0..neg.len() {
            let Some(g) = neg.get(i) else { continue };
            let found = idx.find_includer(g, Some(i), |h| keep.get(h).copied().unwrap_or(false));
            if found.is_some() {
                if let Some(k) = keep.get_mut(i) {
                    *k = false;
                }
                stats.pruned_patterns += 1;
            }
        }
        stats.inclusion_checks += before - idx.budget;
        let mut it = keep.iter();
        neg.retain(|_| it.next().copied().unwrap_or(true));
    }
    // Drop positive patterns included in a negative one (they can never give a witness).
    let mut kept_pos: Vec<Vec<Vec<CTok>>> = Vec::new();
    {
        let mut neg_idx = InclusionIndex::new(&neg, &classes, budget, limits.deadline);
        let before = neg_idx.budget;
        let neg_set: FxHashSet<&Vec<CTok>> = neg.iter().collect();
        for pats in pos {
            let mut kept = Vec::new();
            for p in pats {
                // identical to a negative pattern: settled without the dynamic program
                if neg_set.contains(&p) || neg_idx.find_includer(&p, None, |_| true).is_some() {
                    stats.pruned_patterns += 1;
                } else {
                    kept.push(p);
                }
            }
            kept_pos.push(kept);
        }
        stats.inclusion_checks += before - neg_idx.budget;
    }
    let mut nodes = Nodes::new(classes);
    let neg_roots: Vec<u32> = neg.iter().map(|t| nodes.add_pattern(t)).collect();
    if neg_roots.iter().any(|&n| nodes.is_universal(n)) {
        return unsat(stats);
    }
    let mut groups: Vec<Vec<u32>> = Vec::new();
    for pats in kept_pos {
        let roots: Vec<u32> = pats.iter().map(|p| nodes.add_pattern(p)).collect();
        if roots.is_empty() {
            return unsat(stats);
        }
        if !roots.iter().any(|&r| nodes.is_universal(r)) {
            groups.push(roots);
        }
    }
    let mut search = Search {
        nodes,
        n_pos: groups.len(),
        states: Vec::new(),
        index: FxHashMap::default(),
        by_node: FxHashMap::default(),
        incl_memo: FxHashMap::default(),
        stats,
    };
    let mut init: Vec<Vec<u32>> = groups;
    init.push(neg_roots);
    let out = search.run(init, limits);
    let stats = search.stats;
    match out {
        StrOutcome::Unsat => unsat(stats),
        other => (other, stats),
    }
}

struct Search {
    nodes: Nodes,
    n_pos: usize,
    /// Visited states with (parent, char).
    states: Vec<(State, u32, char)>,
    index: FxHashMap<State, u32>,
    /// Antichain index: first node of the first positive set → states having it there.
    by_node: FxHashMap<u32, Vec<u32>>,
    incl_memo: FxHashMap<(u32, u32), bool>,
    stats: Stats,
}

/// Characters tried as the "other" representative, most readable first.
const OTHER_CANDIDATES: &str =
    "abcdefghijklmnopqrstuvwxyz0123456789-_.ABCDEFGHIJKLMNOPQRSTUVWXYZ/+=,@!#%&~";

impl Search {
    /// Closes, prunes and normalises a raw state; `None` if dead.
    fn normalise(&mut self, raw: Vec<Vec<u32>>) -> Option<State> {
        let mut sets = Vec::with_capacity(raw.len());
        let last = raw.len().saturating_sub(1);
        for (gi, set) in raw.into_iter().enumerate() {
            let negative = gi == last;
            let mut closed = Vec::with_capacity(set.len() * 2);
            for n in set {
                self.nodes.close_into(n, &mut closed);
            }
            closed.sort_unstable();
            closed.dedup();
            if closed.iter().any(|&n| self.nodes.is_universal(n)) {
                if negative {
                    return None;
                }
                // satisfied for good: the universal node alone (plus END)
                let u = closed
                    .iter()
                    .copied()
                    .find(|&n| self.nodes.is_universal(n))
                    .unwrap_or(END);
                sets.push(vec![END, u]);
                continue;
            }
            if !negative && closed.is_empty() {
                return None;
            }
            if self.simulate(&mut closed) {
                // keep the set closed: re-add the closures of the survivors
                let kept = std::mem::take(&mut closed);
                for n in kept {
                    self.nodes.close_into(n, &mut closed);
                }
                closed.sort_unstable();
                closed.dedup();
            }
            sets.push(closed);
        }
        Some(State { sets })
    }

    /// Drops nodes whose suffix is syntactically included in another node's of the same set;
    /// `true` if any was dropped.
    fn simulate(&mut self, set: &mut Vec<u32>) -> bool {
        const MAX: usize = 24;
        if set.len() < 2 || set.len() > MAX {
            return false;
        }
        let mut drop = vec![false; set.len()];
        for i in 0..set.len() {
            for j in 0..set.len() {
                if i == j || drop[j] || drop[i] {
                    continue;
                }
                let (a, b) = (set[j], set[i]);
                // only a node starting with a wildcard can include a node with a different
                // first token; equal first tokens are compared one step later anyway
                if a == END
                    || b == END
                    || !matches!(self.nodes.tok(a), Some(Tok::Star(_)) | Some(Tok::Any(_)))
                {
                    continue;
                }
                if self.node_includes(a, b) {
                    // a ⊇ b: b is redundant (ties broken by index so one survives)
                    if !(self.node_includes(b, a) && i < j) {
                        drop[i] = true;
                    }
                }
            }
        }
        let any = drop.iter().any(|d| *d);
        let mut it = drop.iter();
        set.retain(|_| !it.next().copied().unwrap_or(false));
        any
    }

    fn node_includes(&mut self, a: u32, b: u32) -> bool {
        if let Some(&r) = self.incl_memo.get(&(a, b)) {
            return r;
        }
        let ta = self.nodes.tokens_of(a);
        let tb = self.nodes.tokens_of(b);
        let r = includes(&ta, &tb, &self.nodes.classes);
        if self.incl_memo.len() < 1_000_000 {
            self.incl_memo.insert((a, b), r);
        }
        r
    }

    fn accepting(&self, s: &State) -> bool {
        let n = s.sets.len();
        s.sets.iter().enumerate().all(|(i, set)| {
            let has_end = set.binary_search(&END).is_ok();
            if i + 1 == n {
                !has_end
            } else {
                has_end
            }
        })
    }

    /// Whether visited state `a` subsumes `b`: L(b) ⊆ L(a).
    fn subsumes(a: &State, b: &State, n_pos: usize) -> bool {
        a.sets
            .iter()
            .zip(b.sets.iter())
            .enumerate()
            .all(|(i, (sa, sb))| {
                if i < n_pos {
                    is_subset(sb, sa)
                } else {
                    is_subset(sa, sb)
                }
            })
    }

    fn subsumed(&mut self, s: &State) -> bool {
        let Some(first) = s.sets.first().and_then(|x| x.first()) else {
            return false;
        };
        if self.n_pos == 0 {
            return false;
        }
        let Some(cands) = self.by_node.get(first) else {
            return false;
        };
        for &c in cands.iter().rev().take(32) {
            if let Some((st, _, _)) = self.states.get(c as usize) {
                if Self::subsumes(st, s, self.n_pos) {
                    return true;
                }
            }
        }
        false
    }

    fn add(&mut self, s: State, parent: u32, c: char) -> Option<u32> {
        if self.index.contains_key(&s) {
            return None;
        }
        if self.subsumed(&s) {
            self.stats.subsumed += 1;
            return None;
        }
        let id = self.states.len() as u32;
        if self.n_pos > 0 {
            if let Some(set) = s.sets.first() {
                for &n in set {
                    self.by_node.entry(n).or_default().push(id);
                }
            }
        }
        self.index.insert(s.clone(), id);
        self.states.push((s, parent, c));
        self.stats.states += 1;
        Some(id)
    }

    fn witness(&self, mut id: u32) -> String {
        let mut chars = Vec::new();
        while let Some((_, parent, c)) = self.states.get(id as usize) {
            if *parent == u32::MAX {
                break;
            }
            chars.push(*c);
            id = *parent;
        }
        chars.iter().rev().collect()
    }

    fn run(&mut self, init: Vec<Vec<u32>>, limits: &Limits) -> StrOutcome {
        let Some(s0) = self.normalise(init) else {
            return StrOutcome::Unsat;
        };
        let Some(root) = self.add(s0, u32::MAX, '\0') else {
            return StrOutcome::Unsat;
        };
        let mut queue = std::collections::VecDeque::new();
        queue.push_back(root);
        let mut alphabet: Vec<char> = Vec::new();
        let mut pops: u64 = 0;
        while let Some(id) = queue.pop_front() {
            pops += 1;
            let Some((state, _, _)) = self.states.get(id as usize) else {
                continue;
            };
            if self.accepting(state) {
                return StrOutcome::Sat(self.witness(id));
            }
            if self.stats.states >= limits.max_states {
                return StrOutcome::Unknown(format!(
                    "string search stopped after {} subset states",
                    self.stats.states
                ));
            }
            if let Some(d) = limits.deadline {
                if pops.is_multiple_of(256) && Instant::now() >= d {
                    return StrOutcome::Unknown("string search hit the time limit".into());
                }
            }
            let state = state.clone();
            // the alphabet of this state
            alphabet.clear();
            let mut colon_matters = false;
            let mut folded = false;
            // case variants of a literal only behave differently from the literal itself when
            // some node compares case-sensitively
            let mut has_cs = false;
            let mut has_nonfold = false;
            let mut folded_i = false;
            for set in &state.sets {
                for &n in set {
                    if let Some((t, fold)) = self.nodes.ctok(n) {
                        folded |= fold;
                        has_nonfold |= !fold;
                        folded_i |= fold && t.accepts('i', &self.nodes.classes);
                        has_cs |= !fold && matches!(t, Tok::Lit(_) | Tok::Set(_));
                    }
                }
            }
            for set in &state.sets {
                for &n in set {
                    let Some((t, fold)) = self.nodes.ctok(n) else {
                        continue;
                    };
                    let add = |c: char, alphabet: &mut Vec<char>| {
                        alphabet.push(c);
                        if fold && has_cs {
                            alphabet.extend_from_slice(inverse_fold(c));
                        }
                    };
                    match t {
                        Tok::Lit(c) => add(c, &mut alphabet),
                        Tok::LitCi(c) => {
                            alphabet.push(c);
                            if has_cs {
                                alphabet.push(c.to_ascii_uppercase());
                            }
                        }
                        Tok::Set(i) => {
                            for &c in self.nodes.classes.get(i) {
                                add(c, &mut alphabet);
                            }
                        }
                        Tok::Any(false) | Tok::Star(false) => colon_matters = true,
                        _ => {}
                    }
                }
            }
            if colon_matters {
                alphabet.push(':');
            }
            if folded && (has_nonfold || folded_i) {
                // lowercases to two characters (`i` + U+0307): a different class next to
                // unfolded nodes, and possibly a shorter witness where `i` is accepted
                alphabet.push('\u{130}');
            }
            // lowercase before uppercase, for readable witnesses
            alphabet.sort_unstable_by_key(|c| (c.is_ascii_uppercase(), *c));
            alphabet.dedup();
            let other = pick_other(&alphabet);
            let mut chars = alphabet.clone();
            if let Some(o) = other {
                chars.push(o);
            }
            for &c in &chars {
                let raw: Vec<Vec<u32>> = state
                    .sets
                    .iter()
                    .map(|set| {
                        let mut next = Vec::new();
                        for &n in set {
                            self.nodes.step(n, c, &mut next);
                        }
                        next
                    })
                    .collect();
                if let Some(ns) = self.normalise(raw) {
                    if let Some(nid) = self.add(ns, id, c) {
                        queue.push_back(nid);
                    }
                }
            }
        }
        StrOutcome::Unsat
    }
}

fn is_subset(a: &[u32], b: &[u32]) -> bool {
    // both sorted
    let mut j = 0;
    for x in a {
        while j < b.len() && b[j] < *x {
            j += 1;
        }
        if j >= b.len() || b[j] != *x {
            return false;
        }
    }
    true
}

/// A character outside `used` (and not `:`, and not a case variant of a used letter).
fn pick_other(used: &[char]) -> Option<char> {
    let bad = |c: char| c == ':' || !fold_fixed(c) || used.contains(&c);
    OTHER_CANDIDATES
        .chars()
        .chain(('\u{a1}'..='\u{10ffff}').take(used.len() + 2))
        .find(|c| !bad(*c))
}

#[cfg(test)]
mod tests {
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
        // the worked example of spec §4.9
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
