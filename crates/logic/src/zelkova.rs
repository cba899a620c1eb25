//! Printing formulas in the notation of the Zelkova papers and the Amazon Science article:
//! `(Action = "s3:PutObject") ∧ (Resource = "arn:aws:s3:::DOC-EXAMPLE-BUCKET")`.
//!
//! A single-pattern test prints with `=` when the pattern has no wildcard (`≈` when case is
//! ignored and it matters) and with `like` when it has one; several patterns print as a set
//! (`∈ {…}` / `like {…}`).

use crate::formula::{Atom, ElemPred, Formula, Node, Test, Var};
use crate::pattern::{Glob, MatchMode, PatternSet, Template, TemplatePart};

/// The formula in Zelkova's notation.
pub fn to_zelkova(f: &Formula) -> String {
    let mut s = String::new();
    write_formula(&mut s, f, true);
    s
}

fn write_formula(out: &mut String, f: &Formula, top: bool) {
    match f.node() {
        Node::True => out.push_str("true"),
        Node::False => out.push_str("false"),
        Node::Atom(a) => write_atom(out, a),
        Node::Not(g) => {
            out.push('¬');
            write_formula(out, g, false);
        }
        Node::And(gs) | Node::Or(gs) => {
            let op = if matches!(f.node(), Node::And(_)) {
                " ∧ "
            } else {
                " ∨ "
            };
            if !top {
                out.push('(');
            }
            for (i, g) in gs.iter().enumerate() {
                if i > 0 {
                    out.push_str(op);
                }
                write_formula(out, g, false);
            }
            if !top {
                out.push(')');
            }
        }
    }
}

fn quote(s: &str) -> String {
    let mut q = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

fn glob_text(g: &Glob, mode: MatchMode) -> String {
    if mode.has_wildcards() {
        g.to_string()
    } else {
        g.as_literal().unwrap_or_else(|| g.to_string())
    }
}

fn set_rel(set: &PatternSet) -> &'static str {
    let wild = set.mode().has_wildcards() && set.patterns().iter().any(Glob::has_wildcard);
    match (set.mode(), wild) {
        (MatchMode::Arn, true) => "like",
        (_, true) => "like",
        (MatchMode::ExactIgnoreCase, false) => "≈",
        (_, false) => "=",
    }
}

fn write_test(out: &mut String, subject: &str, t: &Test) {
    match t {
        Test::Match(set) => {
            if let Some(acct) = account_pattern(subject, set) {
                out.push_str(&format!("({subject} = {acct})"));
                return;
            }
            let rel = set_rel(set);
            let arn = if set.mode() == MatchMode::Arn
                && subject != "Resource"
                && subject != "Principal"
                && rel == "like"
            {
                "arn-"
            } else {
                ""
            };
            if set.patterns().len() == 1 {
                if let Some(p) = set.patterns().first() {
                    out.push_str(&format!(
                        "({subject} {arn}{rel} {})",
                        quote(&glob_text(p, set.mode()))
                    ));
                }
            } else {
                let items: Vec<String> = set
                    .patterns()
                    .iter()
                    .map(|p| quote(&glob_text(p, set.mode())))
                    .collect();
                let rel = if rel == "=" {
                    "∈"
                } else if rel == "≈" {
                    "≈∈"
                } else {
                    rel
                };
                out.push_str(&format!("({subject} {arn}{rel} {{{}}})", items.join(", ")));
            }
        }
        Test::Template(tpl) => {
            out.push_str(&format!(
                "({subject} {} {})",
                template_rel(tpl),
                quote(&template_text(tpl))
            ));
        }
        Test::Numeric { cmp, value } => {
            out.push_str(&format!("({subject} {} {value})", cmp.symbol()))
        }
        Test::Date { cmp, value } => {
            out.push_str(&format!("({subject} {} date({value}))", cmp.symbol()))
        }
        Test::Ip(c) => out.push_str(&format!("({subject} ∈ {c})")),
        Test::Binary(b) => out.push_str(&format!(
            "({subject} = base64 {})",
            quote(&crate::semantics::encode_base64(b))
        )),
    }
}

/// The account of a principal pattern `arn:*:*:*:<12 digits>:*` (an account principal), printed
/// as `Principal = 123456789012` like the article does.
fn account_pattern(subject: &str, set: &PatternSet) -> Option<String> {
    if subject != "Principal" || set.mode() != MatchMode::Arn || set.patterns().len() != 1 {
        return None;
    }
    let fields = set.patterns().first()?.arn_fields();
    let star = |i: usize| fields.get(i).is_some_and(Glob::is_star);
    let acct = fields.get(4)?.as_literal()?;
    (fields.len() == 6
        && fields.first()?.as_literal()? == "arn"
        && star(1)
        && star(2)
        && star(3)
        && star(5)
        && acct.len() == 12
        && acct.bytes().all(|b| b.is_ascii_digit()))
    .then_some(acct)
}

fn template_rel(t: &Template) -> &'static str {
    let wild = t.mode.has_wildcards()
        && t.parts
            .iter()
            .any(|p| matches!(p, TemplatePart::Glob(g) if g.has_wildcard()));
    match (t.mode, wild) {
        (MatchMode::ExactIgnoreCase, _) => "≈",
        (_, true) => "like",
        _ => "=",
    }
}

fn template_text(t: &Template) -> String {
    let mut s = String::new();
    for p in &t.parts {
        match p {
            TemplatePart::Glob(g) => s.push_str(&glob_text(g, t.mode)),
            TemplatePart::Ref(v) => s.push_str(&format!("${{{v}}}")),
        }
    }
    s
}

fn write_pred(out: &mut String, p: &ElemPred) {
    if p.negated {
        out.push('¬');
    }
    if p.any_of.len() == 1 {
        if let Some(t) = p.any_of.first() {
            write_test(out, "x", t);
        }
    } else if p.any_of.is_empty() {
        out.push_str("false");
    } else {
        out.push('(');
        for (i, t) in p.any_of.iter().enumerate() {
            if i > 0 {
                out.push_str(" ∨ ");
            }
            write_test(out, "x", t);
        }
        out.push(')');
    }
}

fn write_atom(out: &mut String, a: &Atom) {
    match a {
        Atom::Caller(k) => out.push_str(&format!("(Caller = {})", k.name())),
        Atom::Present(k) => out.push_str(&format!("({k} ≠ null)")),
        Atom::Multi(k) => out.push_str(&format!("multi({k})")),
        Atom::Test { var, test } => {
            let subject = match var {
                Var::Key(k) => k.to_string(),
                v => v.to_string(),
            };
            write_test(out, &subject, test)
        }
        Atom::ForAll { key, pred } if pred.any_of.is_empty() && !pred.negated => {
            out.push_str(&format!("({key} = null)"));
        }
        Atom::ForAll { key, pred } => {
            out.push_str(&format!("(∀x ∈ {key}. "));
            write_pred(out, pred);
            out.push(')');
        }
        Atom::ForAny { key, pred } => {
            out.push_str(&format!("(∃x ∈ {key}. "));
            write_pred(out, pred);
            out.push(')');
        }
    }
}
