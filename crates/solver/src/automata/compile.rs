//! Compiling a [`Glob`] to a linear NFA: interned character classes, compiled tokens
//! ([`CTok`]) and hash-consed suffix nodes, so equal pattern tails share a state.

use super::case_fold::{fold1, fold_fixed};
use super::pattern::{literal_of, split_arn_tokens, Glob, GlobMode, GlobToken};
use iamproof_policy::glob::fold_case;
use rustc_hash::FxHashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Tok {
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
pub(super) type CTok = (Tok, bool);

/// Interned character classes.
#[derive(Default)]
pub(super) struct Classes {
    pub(super) sets: Vec<Vec<char>>,
    pub(super) index: FxHashMap<Vec<char>, u32>,
}

impl Classes {
    pub(super) fn intern(&mut self, mut cs: Vec<char>) -> u32 {
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

    pub(super) fn get(&self, i: u32) -> &[char] {
        self.sets.get(i as usize).map(Vec::as_slice).unwrap_or(&[])
    }
}

impl Tok {
    pub(super) fn accepts(self, c: char, classes: &Classes) -> bool {
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
pub(super) fn compile(g: &Glob, classes: &mut Classes) -> Option<Vec<CTok>> {
    let wild = |t: &GlobToken, colon_ok: bool, fold: bool, classes: &mut Classes| -> Tok {
        match t {
            GlobToken::Lit(c) => Tok::Lit(*c),
            GlobToken::Any => Tok::Any(colon_ok),
            GlobToken::Star => Tok::Star(colon_ok),
            // class members are compared as given, also with lowercased input (as
            // `iamproof_logic::PatternSet` does)
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

pub(super) fn tok_char(t: &GlobToken) -> char {
    match t {
        GlobToken::Lit(c) => *c,
        GlobToken::Any => '?',
        GlobToken::Star => '*',
        GlobToken::OneOf(cs) => cs.first().copied().unwrap_or('?'),
    }
}

/// Node 0 is the end (accepting, no token).
pub(super) const END: u32 = 0;

pub(super) struct Nodes {
    /// (token, folded, next node); entry 0 is a dummy for END.
    pub(super) nodes: Vec<(Tok, bool, u32)>,
    pub(super) intern: FxHashMap<(Tok, bool, u32), u32>,
    /// Whether the node accepts every string (only `Star(true)` up to the end).
    pub(super) universal: Vec<bool>,
    pub(super) classes: Classes,
}

impl Nodes {
    pub(super) fn new(classes: Classes) -> Self {
        Nodes {
            nodes: vec![(Tok::Lit('\0'), false, END)],
            intern: FxHashMap::default(),
            universal: vec![false],
            classes,
        }
    }

    pub(super) fn node(&mut self, t: CTok, next: u32) -> u32 {
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

    pub(super) fn add_pattern(&mut self, toks: &[CTok]) -> u32 {
        let mut n = END;
        for t in toks.iter().rev() {
            n = self.node(*t, n);
        }
        n
    }

    pub(super) fn ctok(&self, n: u32) -> Option<CTok> {
        if n == END {
            None
        } else {
            self.nodes.get(n as usize).map(|x| (x.0, x.1))
        }
    }

    pub(super) fn tok(&self, n: u32) -> Option<Tok> {
        self.ctok(n).map(|x| x.0)
    }

    pub(super) fn next(&self, n: u32) -> u32 {
        self.nodes.get(n as usize).map_or(END, |x| x.2)
    }

    pub(super) fn is_universal(&self, n: u32) -> bool {
        self.universal.get(n as usize).copied().unwrap_or(false)
    }

    /// Adds the epsilon closure of `n` to `out`.
    pub(super) fn close_into(&self, mut n: u32, out: &mut Vec<u32>) {
        loop {
            out.push(n);
            match self.tok(n) {
                Some(Tok::Star(_)) => n = self.next(n),
                _ => return,
            }
        }
    }

    pub(super) fn tokens_of(&self, mut n: u32) -> Vec<CTok> {
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
    pub(super) fn step(&self, n: u32, c: char, out: &mut Vec<u32>) {
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
