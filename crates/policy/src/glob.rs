//! Glob patterns (`*` = any run, `?` = one character) as IAM uses them in Action, Resource and
//! `…Like` conditions: matching a value, and deciding whether one pattern covers another.
//!
//! A public module rather than root re-exports: its functions (`parse`, `literal`, `matches`…)
//! are named for use qualified (`glob::parse`), and other crates implement [`Element`] for
//! their own tokens to reuse the matcher.
//!
//! This is the one concrete matcher of the workspace: the reference evaluator
//! (`iamproof_eval::matching`), the logic layer (`iamproof_logic::PatternSet`) and the solver's
//! witness checks all call [`matches()`], and every case-insensitive comparison folds with
//! [`fold_case`].
//!
//! **Case folding** is per character, the same on both sides: every character is replaced by its
//! Unicode lowercase (`char::to_lowercase`, one or more characters), with no context. AWS only
//! says that action names are case-insensitive (`iam:ListAccessKeys` ≡ `IAM:listaccesskeys`,
//! IAM User Guide, "IAM JSON policy elements: Action") and leaves non-ASCII folding undocumented.
//! Per-character folding is the rule that makes folding a homomorphism (`fold(ab) =
//! fold(a)·fold(b)`), so every text matches itself ignoring case and a pattern can be folded
//! token by token. It differs from `str::to_lowercase` only for a final capital sigma: `Σ` folds
//! to `σ` wherever it stands (`str::to_lowercase` gives `ς` at the end of a word).
//!
//! ```
//! use iamproof_policy::glob::{fold_case, matches_str, matches_ignore_case, parse};
//!
//! assert!(matches_str(&parse("s3:Get*"), "s3:GetObject"));
//! assert!(matches_ignore_case(&parse("S3:get?bject"), "s3:GetObject"));
//! assert_eq!(fold_case("ΟΔΟΣ"), "οδοσ");
//! ```

/// Longest pattern or text (in characters) [`glob_matches`] and [`glob_covers`] examine; longer
/// input gives `false` (keeps the quadratic algorithms bounded).
pub(crate) const MAX_GLOB_CHARS: usize = 4096;

/// One element of a glob pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Token {
    /// A character that must match exactly (a `*` or `?` here is literal).
    Char(char),
    /// `*`: any run of characters, possibly empty.
    AnyRun,
    /// `?`: exactly one character.
    AnyOne,
}

/// A pattern element [`matches()`] understands: `*` (any run), or an element that matches exactly
/// one character satisfying a predicate. [`Token`] implements it; other crates implement it for
/// richer tokens (a character class, say) and reuse the matcher.
pub trait Element {
    /// Whether this element is `*`: any run of characters, possibly empty.
    fn is_any_run(&self) -> bool;
    /// Whether this one-character element accepts `c` (never asked of a `*`).
    fn accepts(&self, c: char) -> bool;
}

impl Element for Token {
    fn is_any_run(&self) -> bool {
        *self == Token::AnyRun
    }

    fn accepts(&self, c: char) -> bool {
        match self {
            Token::Char(x) => *x == c,
            Token::AnyOne => true,
            Token::AnyRun => false,
        }
    }
}

/// Reads `*` and `?` in `s` as wildcards and every other character literally.
pub fn parse(s: &str) -> Vec<Token> {
    s.chars()
        .map(|c| match c {
            '*' => Token::AnyRun,
            '?' => Token::AnyOne,
            c => Token::Char(c),
        })
        .collect()
}

/// Reads every character of `s` literally (no wildcards).
pub fn literal(s: &str) -> Vec<Token> {
    s.chars().map(Token::Char).collect()
}

/// The case folding of every case-insensitive comparison: each character replaced by its
/// lowercase (`char::to_lowercase`), independently of its neighbours (see the module docs).
pub fn fold_case(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).collect()
}

/// [`fold_case`] applied to the literal characters of a pattern (wildcards stay).
pub(crate) fn fold_tokens(pattern: &[Token]) -> Vec<Token> {
    let mut out = Vec::with_capacity(pattern.len());
    for t in pattern {
        match t {
            Token::Char(c) => out.extend(c.to_lowercase().map(Token::Char)),
            other => out.push(*other),
        }
    }
    out
}

/// Whether the whole of `text` matches `pattern`, case-sensitively: `*` spans every character
/// (`/` and `:` included), every other element consumes exactly one character.
///
/// The classic two-pointer algorithm with backtracking to the last `*` only (correct because
/// every other element consumes exactly one character): linear in the common case,
/// `O(|pattern| · |text|)` at worst, no recursion and no allocation.
pub fn matches<E: Element>(pattern: &[E], text: &[char]) -> bool {
    walk(pattern, text, E::is_any_run, |e, c| e.accepts(*c))
}

/// The two-pointer walk of [`matches()`] over any pattern and text elements: `is_star` tells a
/// `*`, `accepts` whether a one-character element takes a text element.
fn walk<P, T>(
    pattern: &[P],
    text: &[T],
    is_star: impl Fn(&P) -> bool,
    accepts: impl Fn(&P, &T) -> bool,
) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    // The position after the last `*` seen, and the text position it has absorbed up to.
    let mut star: Option<(usize, usize)> = None;
    while let Some(c) = text.get(t) {
        match pattern.get(p) {
            Some(e) if is_star(e) => {
                star = Some((p + 1, t));
                p += 1;
            }
            Some(e) if accepts(e, c) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                // Let the last star absorb one more character and retry after it.
                Some((sp, st)) => {
                    p = sp;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(is_star))
}

/// [`matches()`] on a text given as a string.
pub fn matches_str<E: Element>(pattern: &[E], text: &str) -> bool {
    let text: Vec<char> = text.chars().collect();
    matches(pattern, &text)
}

/// Case-insensitive [`matches_str`]: pattern and text both folded with [`fold_case`].
pub fn matches_ignore_case(pattern: &[Token], text: &str) -> bool {
    matches_str(&fold_tokens(pattern), &fold_case(text))
}

/// [`matches_ignore_case`]`(&parse(pattern), text)`, without allocating when both are ASCII
/// (action names nearly always are): the same two-pointer walk on bytes, comparing them
/// ignoring ASCII case, which is what [`fold_case`] does to ASCII characters. Any non-ASCII
/// character sends both to the general matcher.
pub fn matches_text_ignore_case(pattern: &str, text: &str) -> bool {
    if !(pattern.is_ascii() && text.is_ascii()) {
        return matches_ignore_case(&parse(pattern), text);
    }
    walk(
        pattern.as_bytes(),
        text.as_bytes(),
        |b| *b == b'*',
        |e, c| *e == b'?' || e.eq_ignore_ascii_case(c),
    )
}

/// Whether `text` matches the glob text `pattern` (`*` any run, possibly empty, crossing every
/// character; `?` exactly one character). `ignore_case` folds both sides with [`fold_case`]
/// first. Input longer than [`MAX_GLOB_CHARS`] characters gives `false`.
pub(crate) fn glob_matches(pattern: &str, text: &str, ignore_case: bool) -> bool {
    if pattern.chars().count() > MAX_GLOB_CHARS || text.chars().count() > MAX_GLOB_CHARS {
        return false;
    }
    let pattern = parse(pattern);
    if ignore_case {
        matches_ignore_case(&pattern, text)
    } else {
        matches_str(&pattern, text)
    }
}

/// Whether every text matched by `specific` is also matched by `general` (a sound check: `true`
/// is always right; for these simple globs it is also complete in practice). Both are globs.
/// Only the tests use this string form; validation calls [`covers_chars`] on prepared text.
#[cfg(test)]
pub(crate) fn glob_covers(general: &str, specific: &str, ignore_case: bool) -> bool {
    let prep = |s: &str| -> Vec<char> {
        if ignore_case {
            fold_case(s).chars().collect()
        } else {
            s.chars().collect()
        }
    };
    let (g, s) = (prep(general), prep(specific));
    if g.len() > MAX_GLOB_CHARS || s.len() > MAX_GLOB_CHARS {
        return false;
    }
    covers_chars(&g, &s)
}

/// `glob_covers` on prepared (already case-folded if wanted) character slices.
pub(crate) fn covers_chars(g: &[char], s: &[char]) -> bool {
    let wild = |c: &char| *c == '*' || *c == '?';
    // Quick rejections: the literal text before the first wildcard of `g` must begin `s`, and
    // the literal text after the last one must end it (as literals in `s`).
    let head = g.iter().position(wild).unwrap_or(g.len());
    if head == g.len() {
        return g == s;
    }
    if s.len() < head || g.get(..head) != s.get(..head) {
        return false;
    }
    let tail = g.iter().rev().position(wild).unwrap_or(0);
    if tail > 0 {
        let (Some(gt), Some(st)) = (
            g.get(g.len() - tail..),
            s.len().checked_sub(tail).and_then(|i| s.get(i..)),
        ) else {
            return false;
        };
        if gt != st {
            return false;
        }
    }
    let (g, s) = match (g.get(head..g.len() - tail), s.get(head..s.len() - tail)) {
        (Some(g), Some(s)) => (g, s),
        _ => return false,
    };
    // next[j] = g[i+1..] covers s[j..]; computed from the end of g backwards.
    let m = s.len();
    let mut next = vec![false; m + 1];
    let mut cur = vec![false; m + 1];
    if let Some(last) = next.get_mut(m) {
        *last = true;
    }
    for &gc in g.iter().rev() {
        for j in (0..=m).rev() {
            let sj = s.get(j).copied();
            let at = |v: &[bool], k: usize| v.get(k).copied().unwrap_or(false);
            let val = match gc {
                // `*` covers nothing more of s, or swallows s[j] (whatever it is).
                '*' => at(&next, j) || (sj.is_some() && at(&cur, j + 1)),
                // `?` covers exactly one character of s, a literal or a `?`.
                '?' => matches!(sj, Some(c) if c != '*') && at(&next, j + 1),
                c => matches!(sj, Some(x) if x == c) && at(&next, j + 1),
            };
            if let Some(slot) = cur.get_mut(j) {
                *slot = val;
            }
        }
        std::mem::swap(&mut next, &mut cur);
    }
    next.first().copied().unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn matching() {
        assert!(glob_matches("s3:Get*", "s3:GetObject", false));
        assert!(glob_matches("S3:get*", "s3:GetObject", true));
        assert!(!glob_matches("S3:get*", "s3:GetObject", false));
        assert!(glob_matches("a?c", "abc", false));
        assert!(!glob_matches("a?c", "ac", false));
        assert!(glob_matches("*", "", false));
        assert!(glob_matches("a*b*c", "axxbyyc", false));
        assert!(!glob_matches("a*b*c", "axxbyy", false));
    }

    #[test]
    fn covering() {
        assert!(glob_covers("ecs:Describe*", "ecs:DescribeClusters", true));
        assert!(glob_covers("*", "a*b?", false));
        assert!(glob_covers("a*", "a?b*", false));
        assert!(!glob_covers("a?", "a*", false));
        assert!(!glob_covers("ab", "a?", false));
        assert!(glob_covers("a?", "a?", false));
        assert!(glob_covers(
            "arn:aws:s3:::deeplens*",
            "arn:aws:s3:::deeplens*/*",
            false
        ));
        assert!(!glob_covers("arn:aws:s3:::b/*", "arn:aws:s3:::b", false));
    }

    #[test]
    fn final_capital_sigma_folds_like_any_other_sigma() {
        // One rule on both sides: `Σ` folds to `σ` even at the end of a word.
        assert_eq!(fold_case("ΑΣ"), "ασ");
        assert!(glob_matches("s3:GetΣ", "s3:GetΣ", true));
        assert!(glob_matches("s3:getσ", "S3:GETΣ", true));
        assert!(glob_matches("s3:GetΣ", "s3:getσ", true));
        assert!(!glob_matches("s3:GetΣ", "s3:getς", true));
        assert!(matches_ignore_case(&parse("*Σ"), "ΑΣ"));
    }

    #[test]
    fn multi_character_lowercase_is_folded_first() {
        // `İ` lowercases to `i` + U+0307: two characters after folding.
        assert!(!glob_matches("?", "İ", true));
        assert!(glob_matches("??", "İ", true));
        assert!(glob_matches("?", "İ", false));
        assert!(glob_matches("i*", "İ", true));
    }

    #[test]
    fn matching_is_bounded_on_adversarial_input() {
        let text = format!("{}j", "a".repeat(5000));
        assert!(!matches_str(&parse("a*b*c*d*e*f*g*h*i*j"), &text));
        assert!(matches_str(&parse("a*a*a*a*a*a*a*a*a*j"), &text));
        assert!(!glob_matches("*", &"a".repeat(MAX_GLOB_CHARS + 1), false));
    }

    /// The definition, read recursively (exponential; only for short inputs).
    fn reference(p: &[Token], t: &[char]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some((Token::AnyRun, rest)) => {
                (0..=t.len()).any(|k| t.get(k..).is_some_and(|tail| reference(rest, tail)))
            }
            Some((tok, rest)) => match t.split_first() {
                Some((c, tail)) => tok.accepts(*c) && reference(rest, tail),
                None => false,
            },
        }
    }

    /// A glob as an anchored regex (`*` → `.*`, `?` → `.`), the other independent reference.
    fn regex_of(pattern: &str, ignore_case: bool) -> regex::Regex {
        let mut re = String::from(if ignore_case { "(?is)^" } else { "(?s)^" });
        for c in pattern.chars() {
            match c {
                '*' => re.push_str(".*"),
                '?' => re.push('.'),
                c => re.push_str(&regex::escape(&c.to_string())),
            }
        }
        re.push('$');
        regex::Regex::new(&re).unwrap()
    }

    // The case-folding laws draw texts from a small alphabet with case pairs, separators and
    // characters whose lowercase is special (`Σ`, `ς`, `İ` → two characters, KELVIN SIGN → `k`).
    proptest! {
        #[test]
        fn star_matches_everything(t in "\\PC{0,12}") {
            prop_assert!(matches_str(&parse("*"), &t));
            prop_assert!(matches_str(&parse("**"), &t));
            prop_assert!(matches_ignore_case(&parse("*"), &t));
        }

        #[test]
        fn literal_matches_only_itself(a in "[ab*?]{0,6}", b in "[ab*?]{0,6}") {
            prop_assert_eq!(matches_str(&literal(&a), &b), a == b);
            prop_assert!(matches_str(&literal(&a), &a));
        }

        #[test]
        fn literal_ignoring_case_is_equality_of_folds(a in "[aAbB/:ΣσςİiK\u{212A}]{0,5}", b in "[aAbB/:ΣσςİiK\u{212A}]{0,5}") {
            prop_assert_eq!(matches_ignore_case(&literal(&a), &b), fold_case(&a) == fold_case(&b));
            // Every text matches itself ignoring case (no context-dependent folding).
            prop_assert!(matches_ignore_case(&literal(&a), &a));
            prop_assert!(matches_ignore_case(&parse(&a), &a));
        }

        #[test]
        fn agrees_with_the_recursive_definition(p in "[ab:*?]{0,8}", t in "[ab:]{0,10}") {
            let tc: Vec<char> = t.chars().collect();
            prop_assert_eq!(matches(&parse(&p), &tc), reference(&parse(&p), &tc));
        }

        #[test]
        fn agrees_with_regex_translation(p in "[ab/:*?]{0,10}", t in "[ab/:]{0,12}") {
            prop_assert_eq!(matches_str(&parse(&p), &t), regex_of(&p, false).is_match(&t));
            prop_assert_eq!(glob_matches(&p, &t, false), regex_of(&p, false).is_match(&t));
        }

        #[test]
        fn ascii_case_insensitive_agrees_with_regex(p in "[aAbB*?]{0,8}", t in "[aAbB]{0,10}") {
            prop_assert_eq!(glob_matches(&p, &t, true), regex_of(&p, true).is_match(&t));
        }

        #[test]
        fn ignoring_case_is_matching_the_folds(p in "[aAbB/:ΣσςİiK\u{212A}*?]{0,6}", t in "[aAbB/:ΣσςİiK\u{212A}]{0,6}") {
            let folded: Vec<char> = fold_case(&t).chars().collect();
            prop_assert_eq!(matches_ignore_case(&parse(&p), &t), reference(&fold_tokens(&parse(&p)), &folded));
            prop_assert_eq!(glob_matches(&p, &t, true), matches_ignore_case(&parse(&p), &t));
            // Folding is per character: a homomorphism.
            let split = t.chars().count() / 2;
            let (l, r): (String, String) = (t.chars().take(split).collect(), t.chars().skip(split).collect());
            prop_assert_eq!(fold_case(&t), fold_case(&l) + &fold_case(&r));
        }

        /// If `general` covers `specific`, every text matching `specific` matches `general`.
        #[test]
        fn covering_is_sound(g in "[ab*?]{0,6}", s in "[ab*?]{0,6}", t in "[abc]{0,8}") {
            if glob_covers(&g, &s, false) && glob_matches(&s, &t, false) {
                prop_assert!(glob_matches(&g, &t, false), "{g} covers {s} but not {t}");
            }
        }

        /// A literal text is covered by a pattern exactly when it matches.
        #[test]
        fn covering_literals_is_matching(g in "[ab*?]{0,6}", t in "[ab]{0,8}") {
            prop_assert_eq!(glob_covers(&g, &t, false), glob_matches(&g, &t, false));
        }
    }
}
