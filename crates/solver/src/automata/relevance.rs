//! Dropping patterns that cannot matter before anything is compiled: a pattern whose literal
//! prefix disagrees with the prefix of every pattern of some positive group can match no string
//! the conjunction allows.
//!
//! Policies are long lists of `service:Name*` actions and `arn:aws:service:…` resources, and a
//! question about one statement sets a handful of them against every pattern of the other
//! policy: most negative patterns name another service. Compiling, indexing and pruning them
//! cost more than the search itself; this filter removes them by comparing strings.
//!
//! Why it is exact: every mode constrains the start of the value's folded form. A pattern whose
//! tokens begin with the literal characters `p` accepts only values `x` with `fold(x)` starting
//! with `fold(p)` (case-sensitive modes: `x` starts with `p`, and folding is per character; the
//! case-insensitive modes compare folded text; an action's service part compares ASCII letters
//! ignoring case). Only the ASCII start of `p` is used, where folding is ASCII lowercasing, so
//! every prefix below is a prefix of `fold(x)`. If `x` must match some pattern of a positive
//! group `G`, `fold(x)` starts with one of `G`'s prefixes; a pattern whose prefix is neither a
//! prefix nor an extension of any of them cannot match `x`. Dropping it from a negative group
//! drops a constraint that always holds; dropping it from another positive group drops a
//! disjunct that never holds.

use super::pattern::{literal_of, Glob, GlobMode, GlobToken};

/// The ASCII-lowercased literal start of `g`'s folded form (see the module documentation): its
/// tokens up to the first wildcard or class (in the exact modes every `*`/`?` is literal), cut
/// at the first non-ASCII character.
fn prefix(g: &Glob) -> String {
    let exact = matches!(g.mode, GlobMode::Exact | GlobMode::ExactIgnoreCase);
    let mut out = String::new();
    for t in &g.tokens {
        let t = if exact { literal_of(t) } else { t.clone() };
        match t {
            GlobToken::Lit(c) if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            _ => break,
        }
    }
    out
}

/// A glob with its literal prefix, read once for many decisions ([`super::decide_in`]): a
/// solver session keeps one per pattern of its policies.
#[derive(Debug, Clone)]
pub struct Prepared {
    glob: Glob,
    prefix: String,
}

impl Prepared {
    /// Prepares `glob`.
    pub fn new(glob: Glob) -> Self {
        let prefix = prefix(&glob);
        Prepared { glob, prefix }
    }

    /// The glob.
    pub fn glob(&self) -> &Glob {
        &self.glob
    }
}

/// Every glob of `groups` prepared.
pub(super) fn prepare(groups: &[Vec<Glob>]) -> Vec<Vec<Prepared>> {
    groups
        .iter()
        .map(|grp| grp.iter().cloned().map(Prepared::new).collect())
        .collect()
}

/// The groups as references, as [`super::decide_in`] takes them.
pub(super) fn refs(groups: &[Vec<Prepared>]) -> Vec<Vec<&Prepared>> {
    groups.iter().map(|grp| grp.iter().collect()).collect()
}

/// Whether one of the two prefixes extends the other (both may start the same value).
fn compatible(a: &str, b: &str) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

/// At most this many positive groups are used as filters (the smallest ones).
const MAX_FILTER_GROUPS: usize = 3;

/// The patterns of `positive` and `negative` that may matter (see the module documentation):
/// each group keeps its order, a negative group may come out empty (no constraint), a positive
/// group may come out empty (unsatisfiable), as the patterns dropped could match nothing there.
pub(super) fn relevant<'a>(
    positive: &[Vec<&'a Prepared>],
    negative: &[Vec<&'a Prepared>],
) -> (Vec<Vec<&'a Prepared>>, Vec<Vec<&'a Prepared>>) {
    // The filter groups: positive groups whose every pattern has a non-empty prefix, smallest
    // first.
    let mut filters: Vec<(usize, &Vec<&Prepared>)> = positive
        .iter()
        .enumerate()
        .filter(|(_, g)| !g.is_empty() && g.iter().all(|p| !p.prefix.is_empty()))
        .collect();
    if filters.is_empty() {
        return (positive.to_vec(), negative.to_vec());
    }
    filters.sort_by_key(|(_, ps)| ps.len());
    filters.truncate(MAX_FILTER_GROUPS);
    // `g` (not of group `own`) matches nothing some filter group allows.
    let excluded = |g: &Prepared, own: Option<usize>| {
        !g.prefix.is_empty()
            && filters.iter().any(|(i, ps)| {
                Some(*i) != own && ps.iter().all(|q| !compatible(&q.prefix, &g.prefix))
            })
    };
    let positive = positive
        .iter()
        .enumerate()
        .map(|(i, grp)| {
            grp.iter()
                .copied()
                .filter(|g| !excluded(g, Some(i)))
                .collect()
        })
        .collect();
    let negative = negative
        .iter()
        .map(|grp| grp.iter().copied().filter(|g| !excluded(g, None)).collect())
        .collect();
    (positive, negative)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(s: &str, m: GlobMode) -> Glob {
        Glob::parse(s, m)
    }

    /// [`relevant`] on globs, as the texts of the patterns kept.
    fn kept(pos: &[Vec<Glob>], neg: &[Vec<Glob>]) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
        let (p, n) = (prepare(pos), prepare(neg));
        let (p, n) = relevant(&refs(&p), &refs(&n));
        let texts = |gs: Vec<Vec<&Prepared>>| -> Vec<Vec<String>> {
            gs.into_iter()
                .map(|grp| grp.into_iter().map(|x| x.glob.text()).collect())
                .collect()
        };
        (texts(p), texts(n))
    }

    #[test]
    fn other_services_are_dropped() {
        let a = GlobMode::Action;
        let pos = vec![vec![
            g("sagemaker:Create*", a),
            g("SageMaker:DescribeApp", a),
        ]];
        let neg = vec![vec![g("s3:Get*", a), g("sagemaker:*", a), g("*", a)]];
        let (p, n) = kept(&pos, &neg);
        assert_eq!(p[0].len(), 2);
        assert_eq!(n[0], ["sagemaker:*", "*"]);
    }

    #[test]
    fn prefixes_compare_folded_and_stop_at_non_ascii() {
        let pos = vec![vec![g("arn:aws:s3:::Bucket/*", GlobMode::Arn)]];
        // a case-insensitive pattern may match the same value: kept
        let neg = vec![vec![
            g("ARN:AWS:S3:::BUCKET/X", GlobMode::ExactIgnoreCase),
            g("arn:aws:s3:::other", GlobMode::Exact),
            g("arn:aws:s3:::\u{130}", GlobMode::Like),
        ]];
        let (_, n) = kept(&pos, &neg);
        assert_eq!(n[0], ["ARN:AWS:S3:::BUCKET/X", "arn:aws:s3:::\u{130}"]);
    }

    #[test]
    fn a_positive_disjunct_another_group_excludes_is_dropped() {
        let l = GlobMode::Like;
        let pos = vec![vec![g("ab*", l)], vec![g("ac*", l), g("a*", l)]];
        let (p, _) = kept(&pos, &[]);
        assert_eq!(p[0].len(), 1);
        assert_eq!(p[1], ["a*"]);
    }
}
