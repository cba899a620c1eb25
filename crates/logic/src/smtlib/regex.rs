//! Writing patterns as SMT-LIB regular expressions: string literals, globs (with or without case
//! folding, inside or outside ARN fields), the matching modes of a pattern set, and IPv4 ranges as
//! exact expressions over dotted quads.

use crate::pattern::{fold_case, Glob, GlobPart, MatchMode};
use crate::value::Cidr;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

/// The highest character SMT-LIB strings hold (z3 and cvc5: three Unicode planes).
const SMT_MAX_CHAR: u32 = 0x2FFFF;

/// An SMT-LIB string literal (`"` doubled, everything outside printable ASCII as `\u{…}`).
pub(super) fn smt_string(s: &str) -> String {
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
pub(super) enum Ctx {
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

pub(super) fn re_concat(items: Vec<String>) -> String {
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
pub(super) fn re_glob(parts: &[GlobPart], ctx: Ctx, fold: bool) -> String {
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
pub(super) fn re_pattern(g: &Glob, mode: MatchMode) -> String {
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

/// The decimal text of an octet value without leading zeros, for every value in `lo..=hi`.
fn octet_range_regex(lo: u32, hi: u32) -> String {
    if lo == 0 && hi == 255 {
        return "(re.union (re.range \"0\" \"9\") (re.++ (re.range \"1\" \"9\") (re.range \"0\" \"9\")) (re.++ (str.to_re \"1\") (re.range \"0\" \"9\") (re.range \"0\" \"9\")) (re.++ (str.to_re \"2\") (re.range \"0\" \"4\") (re.range \"0\" \"9\")) (re.++ (str.to_re \"25\") (re.range \"0\" \"5\")))".into();
    }
    re_union((lo..=hi).map(|n| format!("(str.to_re \"{n}\")")).collect())
}

/// The dotted quads (as `std::net::Ipv4Addr` parses them: four decimal octets without leading
/// zeros) inside an IPv4 range: exact.
pub(super) fn ipv4_range_regex(c: &Cidr) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

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
