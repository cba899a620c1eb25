//! SMT-LIB 2 export: a formula as a script z3 and cvc5 accept (`(check-sat)` then
//! `(get-value …)` of every request variable), with the symbol table needed to read a model back
//! into an [`Assignment`].
//!
//! The phases, one file each: [`regex`] writes patterns as regular expressions, [`formulas`]
//! writes atoms and tests as terms, [`facts`] states what is known of the typed views of a string,
//! [`script`] assembles the declarations and the formula into one script, and [`answer`] reads a
//! model back. The encoding itself is documented on [`smtlib_script`].

use crate::assignment::Assignment;
use crate::formula::{CallerKind, Formula, Key};
use facts::{EPOCH_INT_RE, YEAR_RE};
use iamproof_eval::ContextValue;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

mod answer;
mod facts;
mod formulas;
mod regex;
mod script;

pub use answer::parse_get_value;
pub use script::smtlib_script;

/// Characters the case-insensitive encodings over-approximate (see [`SmtScript::restricted_text`]).
pub const SPECIAL_CASE_CHARS: [char; 2] = ['\u{130}', '\u{3a3}'];

/// A script and its symbol table.
#[derive(Debug, Clone)]
pub struct SmtScript {
    /// The full SMT-LIB 2 text.
    pub text: String,
    /// Whether the encoding is exact: every model is a real request satisfying the formula,
    /// except models with `İ` or `Σ` in a string matched ignoring case (see
    /// [`SmtScript::restricted_text`]). `unsat` is a proof either way.
    pub exact: bool,
    /// The over-approximated constructs, one line each.
    pub notes: Vec<String>,
    /// The keys, in symbol order (`k0`, `k1`, …), with their element bound.
    pub keys: Vec<(Key, usize)>,
    /// String terms read as numbers (`num`) or dates (`date`) or IPv6 (`ip6`).
    pub typed_terms: Vec<(String, Vec<&'static str>)>,
}

/// The value of one SMT symbol in a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmtValue {
    /// A Boolean.
    Bool(bool),
    /// An integer.
    Int(i128),
    /// A string (escapes already decoded).
    Str(String),
}

impl SmtScript {
    /// The symbols whose values make up a model (the `get-value` list).
    pub fn model_symbols(&self) -> Vec<String> {
        let mut v = vec![
            "caller".to_string(),
            "principal".to_string(),
            "action".to_string(),
            "resource".to_string(),
        ];
        for (i, (_, n)) in self.keys.iter().enumerate() {
            v.push(format!("k{i}_p"));
            v.push(format!("k{i}_m"));
            v.push(format!("k{i}_v"));
            v.push(format!("k{i}_n"));
            for j in 0..*n {
                v.push(format!("k{i}_e{j}"));
            }
        }
        v
    }

    /// The script with every string of the model restricted to exclude `İ` (U+0130) and `Σ`
    /// (U+03A3), the two characters whose lowercase depends on context or has two characters
    /// (the case-insensitive encodings over-approximate them), and numbers and dates restricted
    /// to integer syntax (whose readings the facts determine). A model of this script replays
    /// unless an over-approximated template is involved; `unsat` of it proves nothing.
    pub fn restricted_text(&self) -> String {
        let mut extra = String::new();
        for s in self.model_symbols() {
            if s == "caller" || s.ends_with("_p") || s.ends_with("_m") || s.ends_with("_n") {
                continue;
            }
            let _ = writeln!(
                extra,
                "(assert (not (str.contains {s} \"\\u{{130}}\")))\n(assert (not (str.contains {s} \"\\u{{3a3}}\")))"
            );
        }
        // Typed terms: integer syntax only, so the uninterpreted readings are determined.
        for (t, kinds) in &self.typed_terms {
            if kinds.contains(&"num") || kinds.contains(&"date") {
                let _ = writeln!(
                    extra,
                    "(assert (not (str.contains {t} \".\")))\n(assert (not (str.contains (str.substr {t} 1 (str.len {t})) \"-\")))\n(assert (not (str.prefixof \"+\" {t})))\n(assert (not (str.contains {t} \"e\")))\n(assert (not (str.contains {t} \"E\")))\n(assert (<= (str.len {t}) 16))\n(assert (=> (isdate {t}) (and (str.in_re {t} {EPOCH_INT_RE}) (not (str.in_re {t} {YEAR_RE})))))"
                );
            }
        }
        match self.text.find("(check-sat)") {
            Some(i) => format!("{}{extra}{}", &self.text[..i], &self.text[i..]),
            None => self.text.clone(),
        }
    }

    /// Builds the request a model describes (symbols missing from `values` take defaults:
    /// empty strings, `false`, 0).
    pub fn assignment(&self, values: &HashMap<String, SmtValue>) -> Assignment {
        let s = |name: &str| match values.get(name) {
            Some(SmtValue::Str(s)) => s.clone(),
            _ => String::new(),
        };
        let b = |name: &str| matches!(values.get(name), Some(SmtValue::Bool(true)));
        let n = |name: &str| match values.get(name) {
            Some(SmtValue::Int(i)) => *i,
            _ => 0,
        };
        let caller = usize::try_from(n("caller"))
            .ok()
            .and_then(|i| CallerKind::ALL.get(i).copied())
            .unwrap_or(CallerKind::Anonymous);
        let mut keys = BTreeMap::new();
        for (i, (k, bound)) in self.keys.iter().enumerate() {
            if !b(&format!("k{i}_p")) {
                continue;
            }
            let v = if b(&format!("k{i}_m")) {
                let count = usize::try_from(n(&format!("k{i}_n")))
                    .unwrap_or(0)
                    .min(*bound);
                ContextValue::Multi((0..count).map(|j| s(&format!("k{i}_e{j}"))).collect())
            } else {
                ContextValue::Single(s(&format!("k{i}_v")))
            };
            keys.insert(k.clone(), v);
        }
        Assignment {
            caller,
            principal: s("principal"),
            action: s("action"),
            resource: s("resource"),
            resource_account: None,
            keys,
        }
    }
}

/// The formula as an SMT-LIB 2 script (see [`smtlib_script`]).
pub fn to_smtlib(f: &Formula) -> String {
    smtlib_script(f).text
}
