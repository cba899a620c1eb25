//! Case folding: which characters lowercase to a given one (the inverse of
//! `char::to_lowercase`), and the folded form of a token or character.

use super::pattern::GlobToken;
use rustc_hash::FxHashMap;

/// The inverse of single-character lowercasing: for a lowercase character, every other
/// character whose `char::to_lowercase` starts with it (`k` → `K`, U+212A KELVIN SIGN; `i` →
/// `I`, U+0130 whose lowercase is `i` + U+0307). Computed once, over the first two planes:
/// no character above them has a lowercase other than itself (a test checks the whole range),
/// and scanning all 1.1 million code points cost every command ~25 ms.
pub(super) fn inverse_fold(l: char) -> &'static [char] {
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
pub(super) const CASED_MAX: u32 = 0x1FFFF;

/// Whether `c` lowercases to itself (one character).
pub(super) fn fold_fixed(c: char) -> bool {
    let mut lc = c.to_lowercase();
    lc.next() == Some(c) && lc.next().is_none()
}

/// A token of a lowercased region: class members stay as given (they are compared with the
/// lowercased input, as `iamproof_logic::PatternSet` does).
pub(super) fn fold_token(t: &GlobToken) -> GlobToken {
    t.clone()
}

/// The first character of `c`'s lowercase.
pub(super) fn fold1(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}
