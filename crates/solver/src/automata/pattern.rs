//! IAM wildcard patterns as token sequences ([`Glob`]): reading a pattern's text in one of
//! the [`GlobMode`]s, splitting ARN patterns into fields, and the concrete matcher's view of
//! the tokens.

use super::case_fold::fold_token;
use super::compile::tok_char;
use iamproof_policy::glob::{self as policy_glob, fold_case};

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
    /// `iamproof_eval::matching` / `iamproof_logic::PatternSet` use them.
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
pub(super) fn literal_of(t: &GlobToken) -> GlobToken {
    match t {
        GlobToken::Any => GlobToken::Lit('?'),
        GlobToken::Star => GlobToken::Lit('*'),
        other => other.clone(),
    }
}

/// Splits ARN pattern tokens into 6 fields on the first five literal colons.
pub(super) fn split_arn_tokens(toks: &[GlobToken]) -> Option<Vec<&[GlobToken]>> {
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
pub(super) fn split_arn_str(s: &str) -> Option<Vec<&str>> {
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
