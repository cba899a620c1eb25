//! Redundant patterns: groups of patterns of one element that another pattern of the same
//! element covers, reported as one suggestion per group.

use super::finding::FindingType;
use super::{loc, Validator};
use crate::glob::{covers_chars, MAX_GLOB_CHARS};
use crate::span::{JsonPath, Span};
use std::collections::HashMap;

impl Validator<'_> {
    /// One SUGGESTION per group of patterns that other patterns of the same element cover.
    pub(super) fn redundant(
        &mut self,
        items: &[(&str, &JsonPath, Span)],
        ignore_case: bool,
        code: &str,
        details: impl Fn(usize, &str) -> String,
    ) {
        for group in redundant_groups(items, ignore_case) {
            let named = group
                .covered
                .last()
                .and_then(|&i| items.get(i))
                .map_or("", |x| x.0);
            let locs = group
                .all
                .iter()
                .filter_map(|&i| items.get(i))
                .map(|x| loc(x.1, x.2))
                .collect::<Vec<_>>();
            self.push(
                FindingType::Suggestion,
                code,
                details(locs.len(), named),
                locs,
            );
        }
    }
}

/// A set of redundant entries: the covering entry and those it covers, as item indices.
pub(super) struct Redundancy {
    /// Every index in the group, ascending.
    pub(super) all: Vec<usize>,
    /// The covered ones, ascending.
    pub(super) covered: Vec<usize>,
}

/// Groups entries covered by another entry of the same list (a wildcard covering them, or an
/// equal duplicate) under their outermost cover. `ignore_case` for actions.
pub(super) fn redundant_groups(
    items: &[(&str, &JsonPath, Span)],
    ignore_case: bool,
) -> Vec<Redundancy> {
    const MAX_WORK: usize = 2_000_000;
    let n = items.len();
    let norm = |s: &str| {
        if ignore_case {
            s.to_lowercase()
        } else {
            s.to_string()
        }
    };
    let wild: Vec<usize> = (0..n)
        .filter(|&i| items.get(i).is_some_and(|x| x.0.contains(['*', '?'])))
        .collect();
    if wild.len().saturating_mul(n) > MAX_WORK {
        return Vec::new();
    }
    let prepared: Vec<Vec<char>> = items
        .iter()
        .map(|it| {
            if ignore_case {
                it.0.chars().flat_map(char::to_lowercase).collect()
            } else {
                it.0.chars().collect()
            }
        })
        .collect();
    let service_of = |s: &str| s.split(':').next().unwrap_or("").to_ascii_lowercase();
    // Actions: wildcard patterns by service, and the bare `*` ones.
    let mut by_service: HashMap<String, Vec<usize>> = HashMap::new();
    let mut star: Vec<usize> = Vec::new();
    if ignore_case {
        for &j in &wild {
            match items.get(j) {
                Some(it) if it.0 == "*" => star.push(j),
                Some(it) => by_service.entry(service_of(it.0)).or_default().push(j),
                None => {}
            }
        }
    }
    let mut first_of: HashMap<String, usize> = HashMap::new();
    let mut cover: Vec<Option<usize>> = vec![None; n];
    for (i, it) in items.iter().enumerate() {
        let key = norm(it.0);
        if let Some(&j) = first_of.get(&key) {
            if let Some(c) = cover.get_mut(i) {
                *c = Some(j);
            }
            continue;
        }
        first_of.insert(key, i);
        let Some(si) = prepared.get(i) else { continue };
        if si.len() > MAX_GLOB_CHARS {
            continue;
        }
        // Candidate covers: for actions, the wildcard patterns of the same service and `*`;
        // for resources, every wildcard pattern.
        let candidates: &[usize] = if ignore_case {
            by_service
                .get(service_of(it.0).as_str())
                .map_or(&[][..], Vec::as_slice)
        } else {
            &wild
        };
        for &j in star.iter().chain(candidates.iter()) {
            if j == i {
                continue;
            }
            let Some(gj) = prepared.get(j) else {
                continue;
            };
            if gj.len() > MAX_GLOB_CHARS {
                continue;
            }
            if covers_chars(gj, si) {
                // Mutual cover (same language): the earlier one is the cover.
                if covers_chars(si, gj) && i < j {
                    continue;
                }
                if let Some(c) = cover.get_mut(i) {
                    *c = Some(j);
                }
                break;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for i in 0..n {
        let Some(mut root) = cover.get(i).copied().flatten() else {
            continue;
        };
        for _ in 0..n {
            match cover.get(root).copied().flatten() {
                Some(r) if r != i => root = r,
                _ => break,
            }
        }
        groups.entry(root).or_default().push(i);
    }
    groups
        .into_iter()
        .map(|(root, covered)| {
            let mut all = covered.clone();
            all.push(root);
            all.sort_unstable();
            all.dedup();
            Redundancy { all, covered }
        })
        .collect()
}
