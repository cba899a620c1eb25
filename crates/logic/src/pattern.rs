//! Patterns over one string value: IAM wildcards (`*`, `?`), exact strings, ARN field-wise globs,
//! and templates whose parts refer to another variable's value (policy variables).
//!
//! All matching here is total and bounded: a glob match is `iamproof_policy::glob::matches`
//! (the workspace's one matcher, `O(|pattern| · |value|)` at worst, no recursion), and every
//! case-insensitive comparison folds with `iamproof_policy::glob::fold_case`.

use crate::formula::Var;
use iamproof_policy::glob;
use std::fmt;

/// How short ARN patterns (fewer than six fields) of a `Resource` element are read, by policy type
/// (mirrors `iamproof_eval::matching::resource_matches`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ShortArn {
    /// Identity policies: missing fields are padded with `:*`.
    Pad,
    /// Resource policies: padded only if the pattern has a wildcard, else no match.
    PadIfWildcard,
    /// SCPs: padded only if the last field ends with `*`, else no match.
    PadIfTrailingStar,
    /// RCPs: a short ARN never matches.
    Never,
}

/// How a pattern is compared with a value. Every mode mirrors one function of the reference
/// evaluator (`iamproof_eval::matching` / `conditions::value_hits`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MatchMode {
    /// Whole-string equality, case-sensitive (`StringEquals`). Patterns are literal (no
    /// wildcard parts); a pattern with a wildcard part matches nothing.
    Exact,
    /// Equality after [`glob::fold_case`] of both sides (`StringEqualsIgnoreCase`, and `Bool`
    /// against `true`/`false`, where it coincides with ASCII case-insensitivity). Patterns are
    /// literal.
    ExactIgnoreCase,
    /// Whole-string glob, case-sensitive (`StringLike`): `*` any run (possibly empty, spans `:`
    /// and `/`), `?` exactly one character.
    Glob,
    /// ARN glob (`ArnLike`/`ArnEquals`, and `Resource` patterns with six fields): pattern and value
    /// are split into six fields on their first five `:` (only a literal `:` of the pattern
    /// splits); each field is glob-matched case-sensitively, so `*` never crosses a field colon
    /// but spans `:` and `/` inside the sixth field. A pattern or value with fewer than six fields
    /// matches nothing. (No special case for `*`: `Resource: "*"` is encoded as `true`.)
    Arn,
    /// IAM action matching (`Action`/`NotAction`): the pattern is `svc:name-glob` (the encoder
    /// turns `"*"` into `true` and drops malformed patterns). A value matches iff it contains
    /// exactly one `:`, its service part equals `svc` ignoring ASCII case, and its name part
    /// glob-matches the pattern's name part, both folded with [`glob::fold_case`] (character by
    /// character, `char::to_lowercase`). A pattern without a literal `:` in it, with
    /// a second `:`, an empty service or an empty name, matches nothing.
    Action,
    /// `Resource` matching with policy variables whose substitution decides the field structure
    /// (only in [`Template`]s; plain patterns are normalised to [`MatchMode::Arn`] or constants):
    /// a pattern of only `*` parts matches everything; six fields: as [`MatchMode::Arn`]; an empty
    /// pattern nothing; fewer fields: per [`ShortArn`].
    Resource(ShortArn),
}

impl MatchMode {
    /// Whether `*` and `?` parts are wildcards in this mode.
    pub fn has_wildcards(self) -> bool {
        !matches!(self, MatchMode::Exact | MatchMode::ExactIgnoreCase)
    }

    /// Whether the mode compares (some part) case-insensitively.
    pub fn ignores_case(self) -> bool {
        matches!(self, MatchMode::ExactIgnoreCase | MatchMode::Action)
    }
}

/// The case folding of [`MatchMode::ExactIgnoreCase`] and of action names:
/// [`iamproof_policy::glob::fold_case`], each character lowercased on its own
/// (`char::to_lowercase`), the same on the pattern and the value side.
pub(crate) fn fold_case(s: &str) -> String {
    glob::fold_case(s)
}

/// One element of a glob.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GlobPart {
    /// Literal text (never a wildcard, whatever characters it holds).
    Lit(String),
    /// `?`: exactly one character.
    AnyChar,
    /// `*`: any run of characters, possibly empty.
    AnyRun,
    /// Exactly one character from the (sorted) list; never a field separator in ARN modes. Used
    /// for the ASCII-case-insensitive role name of a role principal (`[rR][oO]…`).
    OneOf(Vec<char>),
}

/// A pattern with literal text and wildcards already separated, so that escaped `*`/`?` (from
/// `${*}`, `${?}`) and substituted variable values stay literal. In [`MatchMode::Exact`] and
/// [`MatchMode::ExactIgnoreCase`] sets every part is a [`GlobPart::Lit`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Glob {
    /// The parts in order; adjacent literals are merged and a run of `*` is a single `AnyRun`.
    pub parts: Vec<GlobPart>,
}

impl Glob {
    /// A literal pattern (no wildcards).
    pub fn literal(s: &str) -> Self {
        Glob::from_parts(vec![GlobPart::Lit(s.to_string())])
    }

    /// Parses IAM wildcard syntax: `*` and `?` are wildcards, everything else literal.
    pub fn parse_wildcards(s: &str) -> Self {
        let mut parts = Vec::new();
        let mut lit = String::new();
        for c in s.chars() {
            match c {
                '*' | '?' => {
                    if !lit.is_empty() {
                        parts.push(GlobPart::Lit(std::mem::take(&mut lit)));
                    }
                    parts.push(if c == '*' {
                        GlobPart::AnyRun
                    } else {
                        GlobPart::AnyChar
                    });
                }
                _ => lit.push(c),
            }
        }
        if !lit.is_empty() {
            parts.push(GlobPart::Lit(lit));
        }
        Glob::from_parts(parts)
    }

    /// Normalises: merges adjacent literals, drops empty literals, collapses `**` to `*`.
    pub fn from_parts(parts: Vec<GlobPart>) -> Self {
        let mut out: Vec<GlobPart> = Vec::with_capacity(parts.len());
        for p in parts {
            match (out.last_mut(), p) {
                (_, GlobPart::Lit(s)) if s.is_empty() => {}
                (Some(GlobPart::Lit(prev)), GlobPart::Lit(s)) => prev.push_str(&s),
                (Some(GlobPart::AnyRun), GlobPart::AnyRun) => {}
                (_, p) => out.push(p),
            }
        }
        Glob { parts: out }
    }

    /// Whether the glob has a `*` or `?`.
    pub fn has_wildcard(&self) -> bool {
        self.parts.iter().any(|p| !matches!(p, GlobPart::Lit(_)))
    }

    /// The literal text if the glob has no wildcard.
    pub fn as_literal(&self) -> Option<String> {
        let mut s = String::new();
        for p in &self.parts {
            match p {
                GlobPart::Lit(l) => s.push_str(l),
                _ => return None,
            }
        }
        Some(s)
    }

    /// Whether this is the single-part pattern `*`.
    pub fn is_star(&self) -> bool {
        self.parts == [GlobPart::AnyRun]
    }

    /// The glob as a sequence of single-character tokens (`fold`: literal characters folded with
    /// [`fold_case`]).
    fn tokens(&self, fold: bool) -> Vec<Tok> {
        let mut t = Vec::new();
        for p in &self.parts {
            match p {
                GlobPart::Lit(s) => {
                    if fold {
                        t.extend(fold_case(s).chars().map(Tok::Char));
                    } else {
                        t.extend(s.chars().map(Tok::Char));
                    }
                }
                GlobPart::AnyChar => t.push(Tok::One),
                GlobPart::AnyRun => t.push(Tok::Run),
                GlobPart::OneOf(cs) => t.push(Tok::Class(cs.clone())),
            }
        }
        t
    }

    /// Splits on the first five literal `:` into at most six globs (fewer if there are fewer).
    pub fn arn_fields(&self) -> Vec<Glob> {
        let mut fields: Vec<Vec<GlobPart>> = vec![Vec::new()];
        for p in &self.parts {
            match p {
                GlobPart::Lit(s) => {
                    let mut cur = String::new();
                    for c in s.chars() {
                        if c == ':' && fields.len() < 6 {
                            if let Some(f) = fields.last_mut() {
                                f.push(GlobPart::Lit(std::mem::take(&mut cur)));
                            }
                            fields.push(Vec::new());
                        } else {
                            cur.push(c);
                        }
                    }
                    if let Some(f) = fields.last_mut() {
                        f.push(GlobPart::Lit(cur));
                    }
                }
                other => {
                    if let Some(f) = fields.last_mut() {
                        f.push(other.clone());
                    }
                }
            }
        }
        fields.into_iter().map(Glob::from_parts).collect()
    }

    /// Whether every part is `*` and there is at least one.
    pub fn is_all_stars(&self) -> bool {
        !self.parts.is_empty() && self.parts.iter().all(|p| *p == GlobPart::AnyRun)
    }

    /// Pads a short ARN glob with `:*` up to six fields.
    pub fn pad_arn(&self) -> Glob {
        let n = self.arn_fields().len();
        let mut parts = self.parts.clone();
        for _ in n..6 {
            parts.push(GlobPart::Lit(":".into()));
            parts.push(GlobPart::AnyRun);
        }
        Glob::from_parts(parts)
    }

    /// Whether a short ARN glob may be padded under `rule`.
    pub fn short_arn_expands(&self, rule: ShortArn) -> bool {
        match rule {
            ShortArn::Pad => true,
            ShortArn::PadIfWildcard => self
                .parts
                .iter()
                .any(|p| matches!(p, GlobPart::AnyRun | GlobPart::AnyChar)),
            ShortArn::PadIfTrailingStar => self.parts.last() == Some(&GlobPart::AnyRun),
            ShortArn::Never => false,
        }
    }

    /// Whether `value` matches this glob under `mode` (see [`MatchMode`]).
    pub fn matches(&self, mode: MatchMode, value: &str) -> bool {
        match mode {
            MatchMode::Exact => self.as_literal().is_some_and(|t| t == value),
            MatchMode::ExactIgnoreCase => self
                .as_literal()
                .is_some_and(|t| fold_case(&t) == fold_case(value)),
            MatchMode::Glob => glob::matches_str(&self.tokens(false), value),
            MatchMode::Arn => self.arn_match(value),
            MatchMode::Action => self.action_match(value),
            MatchMode::Resource(rule) => {
                if self.is_all_stars() {
                    true
                } else if self.arn_fields().len() == 6 {
                    self.arn_match(value)
                } else if self.parts.is_empty() || !self.short_arn_expands(rule) {
                    false
                } else {
                    self.pad_arn().arn_match(value)
                }
            }
        }
    }

    fn arn_match(&self, value: &str) -> bool {
        let pf = self.arn_fields();
        let vf = split_arn(value);
        if pf.len() != 6 || vf.len() != 6 {
            return false;
        }
        pf.iter()
            .zip(vf.iter())
            .all(|(p, v)| glob::matches_str(&p.tokens(false), v))
    }

    fn action_match(&self, value: &str) -> bool {
        let Some((svc, name)) = self.split_action() else {
            return false;
        };
        let Some((rs, ra)) = value.split_once(':') else {
            return false;
        };
        if ra.contains(':') || !svc.eq_ignore_ascii_case(rs) {
            return false;
        }
        glob::matches_str(&name.tokens(true), &fold_case(ra))
    }

    /// For an action pattern `svc:name`: the literal service and the name glob. `None` if the
    /// pattern is malformed (no literal `:` in the first part, a wildcard before it, a second
    /// `:`, an empty service or an empty name).
    pub fn split_action(&self) -> Option<(String, Glob)> {
        let first = match self.parts.first()? {
            GlobPart::Lit(s) => s,
            _ => return None,
        };
        let (svc, rest) = first.split_once(':')?;
        if svc.is_empty() || svc.contains(['*', '?']) {
            return None;
        }
        let mut parts = vec![GlobPart::Lit(rest.to_string())];
        parts.extend(self.parts.iter().skip(1).cloned());
        let name = Glob::from_parts(parts);
        if name.parts.is_empty()
            || name
                .parts
                .iter()
                .any(|p| matches!(p, GlobPart::Lit(s) if s.contains(':')))
        {
            return None;
        }
        Some((svc.to_string(), name))
    }
}

impl fmt::Display for Glob {
    /// IAM wildcard syntax; a literal `*`, `?` or `$` is written `${*}`, `${?}`, `${$}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.parts {
            match p {
                GlobPart::Lit(l) => {
                    for c in l.chars() {
                        match c {
                            '*' => f.write_str("${*}")?,
                            '?' => f.write_str("${?}")?,
                            c => write!(f, "{c}")?,
                        }
                    }
                }
                GlobPart::AnyChar => f.write_str("?")?,
                GlobPart::AnyRun => f.write_str("*")?,
                GlobPart::OneOf(cs) => {
                    f.write_str("[")?;
                    for c in cs {
                        write!(f, "{c}")?;
                    }
                    f.write_str("]")?;
                }
            }
        }
        Ok(())
    }
}

/// Splits a value into ARN fields on its first five `:`.
pub(crate) fn split_arn(value: &str) -> Vec<&str> {
    value.splitn(6, ':').collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Char(char),
    One,
    Run,
    Class(Vec<char>),
}

impl glob::Element for Tok {
    fn is_any_run(&self) -> bool {
        *self == Tok::Run
    }

    fn accepts(&self, c: char) -> bool {
        match self {
            Tok::Char(x) => *x == c,
            Tok::One => true,
            Tok::Class(cs) => cs.contains(&c),
            Tok::Run => false,
        }
    }
}

/// A union of patterns of one mode: the set of values matching at least one of them. Patterns are
/// sorted and deduplicated, so equal sets compare equal.
///
/// The set's structural hash is computed once, when it is built: atoms, and so formulas, hash
/// their pattern sets on every construction and lookup, and a set can hold hundreds of patterns.
/// The fields are read through [`PatternSet::mode`] and [`PatternSet::patterns`] so that the
/// cached hash cannot go stale.
#[derive(Debug, Clone)]
pub struct PatternSet {
    mode: MatchMode,
    patterns: Vec<Glob>,
    hash: u64,
}

impl PartialEq for PatternSet {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash && self.mode == other.mode && self.patterns == other.patterns
    }
}

impl Eq for PatternSet {}

impl std::hash::Hash for PatternSet {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

impl PartialOrd for PatternSet {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PatternSet {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.mode, &self.patterns).cmp(&(other.mode, &other.patterns))
    }
}

impl PatternSet {
    /// Builds a set, sorting and deduplicating the patterns.
    pub fn new(mode: MatchMode, mut patterns: Vec<Glob>) -> Self {
        use std::hash::{Hash, Hasher};
        patterns.sort();
        patterns.dedup();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (mode, &patterns).hash(&mut h);
        PatternSet {
            mode,
            patterns,
            hash: h.finish(),
        }
    }

    /// How every pattern of the set is compared.
    pub fn mode(&self) -> MatchMode {
        self.mode
    }

    /// The patterns (sorted, no duplicates). Empty means the empty set.
    pub fn patterns(&self) -> &[Glob] {
        &self.patterns
    }

    /// Whether `value` matches at least one pattern.
    pub fn matches(&self, value: &str) -> bool {
        self.patterns.iter().any(|p| p.matches(self.mode, value))
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether the set contains a pattern matching every value (`*` in [`MatchMode::Glob`]).
    pub fn is_universal(&self) -> bool {
        self.mode == MatchMode::Glob && self.patterns.iter().any(|p| p.is_star())
    }
}

/// One element of a [`Template`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TemplatePart {
    /// Fixed glob text (wildcards active in glob modes).
    Glob(Glob),
    /// The current value of another variable, inserted literally (its `*`/`?` are not wildcards).
    /// The referenced variable must be single-valued and present, otherwise the template test is
    /// false (the encoder handles `${key, 'default'}` by a separate literal alternative).
    Ref(Var),
}

/// A pattern whose parts may refer to the values of other variables (a policy variable such as
/// `arn:aws:s3:::bucket/${aws:username}/*`). Semantics: if every referenced variable has a single
/// value, substitute the values (as literals) and match as a [`Glob`] in `mode`; otherwise false.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Template {
    /// How the substituted pattern is compared.
    pub mode: MatchMode,
    /// The parts in order.
    pub parts: Vec<TemplatePart>,
}

impl Template {
    /// The variables the template refers to, in order (with repeats).
    pub fn refs(&self) -> impl Iterator<Item = &Var> {
        self.parts.iter().filter_map(|p| match p {
            TemplatePart::Ref(v) => Some(v),
            TemplatePart::Glob(_) => None,
        })
    }

    /// Substitutes values for the references (`lookup` gives a variable's single value, or
    /// `None` if it has none) and returns the resulting glob.
    pub fn substitute(&self, lookup: &dyn Fn(&Var) -> Option<String>) -> Option<Glob> {
        let mut parts = Vec::new();
        for p in &self.parts {
            match p {
                TemplatePart::Glob(g) => parts.extend(g.parts.iter().cloned()),
                TemplatePart::Ref(v) => parts.push(GlobPart::Lit(lookup(v)?)),
            }
        }
        Some(Glob::from_parts(parts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        let g = Glob::parse_wildcards("s3:Get*");
        assert!(g.matches(MatchMode::Action, "S3:GETOBJECT"));
        assert!(!g.matches(MatchMode::Action, "S3:GETOBJECT:x"));
        assert!(!g.matches(MatchMode::Glob, "S3:GETOBJECT"));
        assert!(g.matches(MatchMode::Glob, "s3:Get"));
        let q = Glob::parse_wildcards("a?c");
        assert!(q.matches(MatchMode::Glob, "abc"));
        assert!(!q.matches(MatchMode::Glob, "ac"));
        assert!(Glob::parse_wildcards("*").matches(MatchMode::Glob, ""));
    }

    #[test]
    fn final_capital_sigma_folds_to_small_sigma_on_both_sides() {
        let a = Glob::parse_wildcards("svc:GetΣ");
        assert!(a.matches(MatchMode::Action, "svc:GetΣ"));
        assert!(a.matches(MatchMode::Action, "SVC:getσ"));
        assert!(!a.matches(MatchMode::Action, "svc:getς"));
        let e = Glob::literal("ΟΔΟΣ");
        assert!(e.matches(MatchMode::ExactIgnoreCase, "ΟΔΟΣ"));
        assert!(e.matches(MatchMode::ExactIgnoreCase, "οδοσ"));
        assert!(!e.matches(MatchMode::ExactIgnoreCase, "οδος"));
        assert_eq!(fold_case("ΑΣ"), "ασ");
    }

    #[test]
    fn arn_fieldwise() {
        let p = Glob::parse_wildcards("arn:aws:someservice:*:111122223333:finance/*");
        let v = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
        assert!(!p.matches(MatchMode::Arn, v));
        assert!(p.matches(MatchMode::Glob, v));
        let b = Glob::parse_wildcards("arn:aws:s3:::bucket/*/test/*");
        assert!(b.matches(MatchMode::Arn, "arn:aws:s3:::bucket//test/object.jpg"));
        assert!(b.matches(MatchMode::Arn, "arn:aws:s3:::bucket/1/test/"));
        assert!(!b.matches(MatchMode::Arn, "arn:aws:s3:::bucket/test/object.jpg"));
        let res = MatchMode::Resource(ShortArn::Pad);
        assert!(Glob::parse_wildcards("*").matches(res, "*"));
        assert!(!Glob::parse_wildcards("*").matches(MatchMode::Arn, "*"));
        assert!(!b.matches(MatchMode::Arn, "*"));
        assert!(Glob::parse_wildcards("arn:aws:sqs").matches(res, "arn:aws:sqs:r:1:q"));
        assert!(!Glob::parse_wildcards("arn:aws:sqs").matches(
            MatchMode::Resource(ShortArn::PadIfWildcard),
            "arn:aws:sqs:r:1:q"
        ));
    }
}
