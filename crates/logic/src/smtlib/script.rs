//! The script: declarations of the request symbols, the keys and the typed views, the formula as
//! one `define-fun` per node, then `(check-sat)` and the `(get-value …)` of a model.

use super::facts::typed_facts;
use super::formulas::{and_list, or_list, Builder};
use super::SmtScript;
use crate::formula::{Atom, Formula, Key, Node, Var};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

/// Builds the script of a formula.
///
/// # Encoding
/// * `action`, `resource`, `principal`: `String`; `caller`: `Int` in `0..=4` (the
///   [`crate::CallerKind::ALL`] order; 0 = anonymous, which has no principal value).
/// * key `k` (number `i`): `ki_p` (present), `ki_m` (multivalued), `ki_v` (the single value),
///   `ki_n` (number of elements when multivalued) and `ki_e0 … ki_e{N-1}`. `N` is the number of
///   distinct quantified atoms on the key (at least 1): a set satisfying the formula can always
///   be shrunk to one witness element per quantified atom, so the bound loses no models.
/// * string tests are regular-expression memberships (`str.in_re`) built from the patterns:
///   `*` is `(re.* re.allchar)`, or a run of non-`:` characters inside the first five ARN fields
///   and in action names; case-insensitive literals become classes of every character whose
///   lowercase is that character. Policy variables are `(str.to_re <the variable>)` inside the
///   regular expression.
/// * IPv4 ranges are exact regular expressions over dotted quads (octet ranges). Numbers, dates
///   and IPv6 addresses are read through uninterpreted functions of the string (`num`, `isnum`,
///   `date`, `isdate`, `ip6`/`ip6v`) constrained by true facts: a value is a number iff it has
///   decimal syntax, an integer-syntax value has its integer value (epoch seconds for dates,
///   except four-digit years and values over 15 digits, as `iamproof_policy::parse_date` reads
///   them).
///
/// # What an answer means
/// Every construct is encoded so that each real request gives a model of the script (an
/// over-approximation where the encoding is not exact): **`unsat` is a proof**. A `sat` model is
/// a candidate that callers replay with [`crate::Formula::eval`]; [`SmtScript::exact`] says
/// whether the encoding is exact (then every model replays), and [`SmtScript::notes`] lists the
/// constructs that are over-approximated (fractional or ISO-date numerals, IPv6 text, policy
/// variables inside the first five fields of an ARN pattern or with `IgnoreCase`, resource
/// templates whose field structure depends on the variable).
pub fn smtlib_script(f: &Formula) -> SmtScript {
    // Keys and their element bounds.
    let mut keyset: BTreeSet<Key> = BTreeSet::new();
    for v in f.vars() {
        if let Var::Key(k) = v {
            keyset.insert(k);
        }
    }
    let mut quantified: BTreeMap<Key, usize> = BTreeMap::new();
    for a in f.atoms() {
        if let Atom::ForAll { key, .. } | Atom::ForAny { key, .. } = &a {
            *quantified.entry(key.clone()).or_default() += 1;
        }
    }
    let keys: Vec<(Key, usize)> = keyset
        .into_iter()
        .map(|k| {
            let n = quantified.get(&k).copied().unwrap_or(0).max(1);
            (k, n)
        })
        .collect();
    let key_index = keys
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (k.clone(), i))
        .collect();
    let mut b = Builder {
        keys,
        key_index,
        defs: String::new(),
        names: HashMap::new(),
        notes: BTreeSet::new(),
        typed_terms: BTreeMap::new(),
        fresh: 0,
    };
    let mut body = String::new();
    let mut order = Vec::new();
    f.visit(&mut |g| order.push(g.clone()));
    for (counter, g) in order.into_iter().enumerate() {
        let expr = match g.node() {
            Node::True => "true".to_string(),
            Node::False => "false".to_string(),
            Node::Atom(a) => b.atom(a),
            Node::Not(x) => format!("(not {})", b.names.get(x).cloned().unwrap_or_default()),
            Node::And(xs) => and_list(
                xs.iter()
                    .map(|x| b.names.get(x).cloned().unwrap_or_default())
                    .collect(),
            ),
            Node::Or(xs) => or_list(
                xs.iter()
                    .map(|x| b.names.get(x).cloned().unwrap_or_default())
                    .collect(),
            ),
        };
        let name = format!("f{counter}");
        let _ = writeln!(body, "(define-fun {name} () Bool {expr})");
        b.names.insert(g, name);
    }
    let root = b.names.get(f).cloned().unwrap_or_else(|| "true".into());

    let mut text = String::new();
    text.push_str("; iamproof formula (SMT-LIB 2.6, strings)\n(set-logic ALL)\n(set-option :produce-models true)\n");
    text.push_str("(declare-const caller Int)\n(assert (and (<= 0 caller) (<= caller 4)))\n");
    text.push_str("; caller: 0 Anonymous, 1 Arn, 2 Service, 3 Federated, 4 CanonicalUser\n");
    text.push_str("(declare-const principal String)\n(declare-const action String)\n(declare-const resource String)\n");
    for (i, (k, n)) in b.keys.iter().enumerate() {
        let _ = writeln!(text, "; k{i} = {}", k.as_str().replace('\n', " "));
        let _ = writeln!(
            text,
            "(declare-const k{i}_p Bool)\n(declare-const k{i}_m Bool)\n(declare-const k{i}_v String)\n(declare-const k{i}_n Int)\n(assert (and (<= 0 k{i}_n) (<= k{i}_n {n})))"
        );
        for j in 0..*n {
            let _ = writeln!(text, "(declare-const k{i}_e{j} String)");
        }
    }
    text.push_str("(declare-fun isnum (String) Bool)\n(declare-fun num (String) Real)\n(declare-fun isdate (String) Bool)\n(declare-fun date (String) Real)\n(declare-fun ip4 (String) Bool)\n(declare-fun ip4v (String) Int)\n(declare-fun ip6 (String) Bool)\n(declare-fun ip6v (String) Int)\n");
    text.push_str(&b.defs);
    for (t, kinds) in &b.typed_terms {
        text.push_str(&typed_facts(t, kinds));
    }
    if !b.typed_terms.is_empty() {
        b.note("numbers, dates and IPv6 addresses are read through uninterpreted functions constrained by true facts (fractional and ISO-date numerals, IPv6 text are free)");
    }
    text.push_str(&body);
    let _ = writeln!(text, "(assert {root})\n(check-sat)");
    let script = SmtScript {
        text: String::new(),
        exact: b.notes.is_empty(),
        notes: b.notes.into_iter().collect(),
        keys: b.keys,
        typed_terms: b
            .typed_terms
            .into_iter()
            .map(|(t, k)| (t, k.into_iter().collect()))
            .collect(),
    };
    let symbols = script.model_symbols();
    let _ = writeln!(text, "(get-value ({}))", symbols.join(" "));
    SmtScript { text, ..script }
}
