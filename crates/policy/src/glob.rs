//! Glob patterns (`*` = any run, `?` = one character) as IAM uses them in Action, Resource and
//! `…Like` conditions: matching a value, and deciding whether one pattern covers another.

/// Longest pattern or text (in characters) the functions here examine; longer input gives
/// `false` (keeps the quadratic algorithms bounded).
pub const MAX_GLOB_CHARS: usize = 4096;

fn eq(a: char, b: char, ignore_case: bool) -> bool {
    a == b
        || (ignore_case
            && (a.eq_ignore_ascii_case(&b)
                || (!a.is_ascii() && a.to_lowercase().eq(b.to_lowercase()))))
}

/// Whether `text` matches `pattern` (`*` any run, possibly empty, crossing every character; `?`
/// exactly one character). `ignore_case` compares with Unicode simple lower-casing.
pub fn glob_matches(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    if p.len() > MAX_GLOB_CHARS || t.len() > MAX_GLOB_CHARS {
        return false;
    }
    // Classic linear-time wildcard matching with backtracking to the last star.
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || t.get(ti).is_some_and(|&x| eq(c, x, ignore_case)) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|&c| c == '*'))
}

/// Whether every text matched by `specific` is also matched by `general` (a sound check: `true`
/// is always right; for these simple globs it is also complete in practice). Both are globs.
pub fn glob_covers(general: &str, specific: &str, ignore_case: bool) -> bool {
    let prep = |s: &str| -> Vec<char> {
        if ignore_case {
            s.chars().flat_map(char::to_lowercase).collect()
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

/// [`glob_covers`] on prepared (already case-folded if wanted) character slices.
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

    proptest! {
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
