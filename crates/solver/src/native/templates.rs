//! Policy-variable templates: their relaxation to plain globs, the bindings a witness
//! suggests for their references, cancelling true/false pairs, and the hints of the retry loop.

use crate::automata::{self, Glob as AGlob, Limits, StrOutcome};
use batsat::Var as SVar;
use iamproof_logic::{ElemPred, GlobPart, MatchMode, Test, Var};
use iamproof_logic::{Template, TemplatePart};
use std::collections::BTreeMap;

use super::encoding::VarAtoms;
use super::value::to_automata;

/// How many times one SAT model's theory check is re-run with other values of template
/// references before the conflict is learnt coarsely.
pub(super) const MAX_RETRIES: usize = 16;

/// A template with exactly one reference, as (glob before, reference, glob after) in plain
/// wildcard semantics, when that reading is exact (`Glob`, or `Exact` over literal text) or,
/// with `widen`, includes the template's language (also `Arn`: each of six fields matching
/// its pattern field implies the whole value matching the whole pattern). `None` for other
/// shapes and modes.
pub(super) fn split_template(tpl: &Template, widen: bool) -> Option<(AGlob, Var, AGlob)> {
    let at = tpl
        .parts
        .iter()
        .position(|p| matches!(p, TemplatePart::Ref(_)))?;
    let (before, rest) = tpl.parts.split_at(at);
    let (Some(TemplatePart::Ref(r)), after) = (rest.first(), rest.get(1..).unwrap_or(&[])) else {
        return None;
    };
    let side = |parts: &[TemplatePart]| -> Option<Vec<GlobPart>> {
        let mut out = Vec::new();
        for p in parts {
            match p {
                TemplatePart::Glob(g) => out.extend(g.parts.iter().cloned()),
                TemplatePart::Ref(_) => return None,
            }
        }
        Some(out)
    };
    let (b, a) = (side(before)?, side(after)?);
    let literal = || {
        b.iter()
            .chain(a.iter())
            .all(|p| matches!(p, GlobPart::Lit(_)))
    };
    let usable = match tpl.mode {
        MatchMode::Glob => true,
        MatchMode::Exact => literal(),
        MatchMode::Arn => widen,
        _ => false,
    };
    if !usable {
        return None;
    }
    let glob = |parts: Vec<GlobPart>| {
        to_automata(&iamproof_logic::Glob::from_parts(parts), MatchMode::Glob)
    };
    Some((glob(b)?, r.clone(), glob(a)?))
}

/// A true template `A·${r}·C` and a false one `B·${r}·D` on the same variable with
/// `A ⊆ B` and `C ⊆ D`: every value `a·x·c` of the first matches the second (the substituted
/// reference is literal text in both), so the two literals conflict whatever `r` is.
pub(super) fn cancelling_templates(
    a: &VarAtoms,
    val_of: &dyn Fn(SVar) -> Option<bool>,
    limits: &Limits,
) -> Option<(SVar, SVar)> {
    let with = |want: bool, widen: bool| -> Vec<(SVar, (AGlob, Var, AGlob))> {
        a.tests
            .iter()
            .filter(|(_, sv)| val_of(*sv) == Some(want))
            .filter_map(|(t, sv)| match t {
                Test::Template(tpl) => split_template(tpl, widen).map(|s| (*sv, s)),
                _ => None,
            })
            .collect()
    };
    let included = |x: &AGlob, y: &AGlob| {
        matches!(
            automata::decide(&[vec![x.clone()]], &[vec![y.clone()]], limits),
            StrOutcome::Unsat
        )
    };
    let falses = with(false, false);
    if falses.is_empty() {
        return None;
    }
    for (t, (a1, r1, c1)) in with(true, true) {
        for (f, (b2, r2, d2)) in &falses {
            if r1 == *r2 && included(&a1, b2) && included(&c1, d2) {
                return Some((t, *f));
            }
        }
    }
    None
}

/// A glob whose language includes a template's under every value of its references (each
/// reference read as `*`, as substituted text is literal): `Glob` templates, `Exact` ones with
/// literal text, and `Arn` ones whose five field colons come before the first reference (so
/// substituted text stays in the sixth field). `None` otherwise.
pub(super) fn relaxed_glob(tpl: &Template) -> Option<(MatchMode, iamproof_logic::Glob)> {
    let mut parts = Vec::new();
    let mut colons_before_ref = 0;
    let mut seen_ref = false;
    let mut literal = true;
    for p in &tpl.parts {
        match p {
            TemplatePart::Glob(g) => {
                for q in &g.parts {
                    match q {
                        GlobPart::Lit(s) if !seen_ref => {
                            colons_before_ref += s.matches(':').count()
                        }
                        GlobPart::Lit(_) => {}
                        _ => literal = false,
                    }
                }
                parts.extend(g.parts.iter().cloned());
            }
            TemplatePart::Ref(_) => {
                seen_ref = true;
                parts.push(GlobPart::AnyRun);
            }
        }
    }
    let mode = match tpl.mode {
        MatchMode::Glob => MatchMode::Glob,
        MatchMode::Exact if literal => MatchMode::Glob,
        MatchMode::Arn if colons_before_ref >= 5 => MatchMode::Arn,
        _ => return None,
    };
    Some((mode, iamproof_logic::Glob::from_parts(parts)))
}

/// At most this many values of a reference are read off one witness.
pub(super) const MAX_HINTS: usize = 8;

/// The values of the references of a template under which `w` matches it with each glob part
/// taken as a plain (case-sensitive, field-blind) wildcard pattern: hints, not facts (every
/// value found is checked exactly afterwards). At most `max` bindings, shortest splits first.
pub(super) fn template_bindings(tpl: &Template, w: &str, max: usize) -> Vec<(Var, String)> {
    pub(super) fn walk(
        parts: &[TemplatePart],
        w: &[char],
        bound: &mut Vec<(Var, String)>,
        out: &mut Vec<(Var, String)>,
        budget: &mut usize,
        max: usize,
    ) {
        if out.len() >= max || *budget == 0 {
            return;
        }
        *budget -= 1;
        let Some((first, rest)) = parts.split_first() else {
            if w.is_empty() {
                for b in bound.iter() {
                    if out.len() < max && !out.contains(b) {
                        out.push(b.clone());
                    }
                }
            }
            return;
        };
        for end in 0..=w.len() {
            let (head, tail) = w.split_at(end);
            let text: String = head.iter().collect();
            match first {
                TemplatePart::Glob(g) => {
                    if g.matches(MatchMode::Glob, &text) {
                        walk(rest, tail, bound, out, budget, max);
                    }
                }
                TemplatePart::Ref(r) => {
                    let clash = bound.iter().any(|(v, x)| v == r && *x != text);
                    if !clash {
                        bound.push((r.clone(), text));
                        walk(rest, tail, bound, out, budget, max);
                        bound.pop();
                    }
                }
            }
        }
    }
    let chars: Vec<char> = w.chars().collect();
    let mut out = Vec::new();
    // a bound on the matching work: templates have a handful of parts and values are short
    let mut budget = 4096;
    walk(
        &tpl.parts,
        &chars,
        &mut Vec::new(),
        &mut out,
        &mut budget,
        max,
    );
    out
}

/// Values the template retry loop steers referenced variables away from (`avoid`: values
/// that made a template conflict) or towards (`prefer`: values read off a witness of the
/// template's own variable), tried before the variable's own shortest witness.
#[derive(Default)]
pub(super) struct RetryHints {
    pub(super) avoid: BTreeMap<Var, Vec<String>>,
    pub(super) prefer: BTreeMap<Var, Vec<String>>,
}

/// One variable's share of a [`RetryHints`].
#[derive(Default, Clone, Copy)]
pub(super) struct HintsForVar<'a> {
    pub(super) avoid: &'a [String],
    pub(super) prefer: &'a [String],
}

/// A relaxation of a template variable's constraints that mentions no other variable: a true
/// template test becomes its [`relaxed_glob`] (each reference as `*`: substituted text is
/// literal, which `*` covers), or for other `Arn` templates the literal text before the first
/// reference or wildcard followed by `*`; other template literals are dropped.
pub(super) fn relax(a: &VarAtoms, val: &dyn Fn(SVar) -> Option<bool>) -> VarAtoms {
    relax_unvalued(a, val, &|_| false)
}

/// [`relax`] of the templates that refer to a variable without a value yet (`valued` says
/// which have one); the others are kept exact.
pub(super) fn relax_unvalued(
    a: &VarAtoms,
    val: &dyn Fn(SVar) -> Option<bool>,
    valued: &dyn Fn(&Var) -> bool,
) -> VarAtoms {
    let resolved = |t: &Test| match t {
        Test::Template(tpl) => tpl.refs().all(valued),
        _ => true,
    };
    let mut tests = Vec::new();
    for (t, sv) in &a.tests {
        match t {
            Test::Template(tpl) if !resolved(t) => {
                if val(*sv) != Some(true) {
                    continue;
                }
                let (mode, glob) = match relaxed_glob(tpl) {
                    Some(r) => r,
                    None if tpl.mode == MatchMode::Arn => {
                        // The fields inside the literal text before the first reference or
                        // wildcard are matched literally (case-sensitively), so the value
                        // starts with it.
                        let mut parts = Vec::new();
                        for p in &tpl.parts {
                            let TemplatePart::Glob(g) = p else { break };
                            let lits: Vec<&GlobPart> = g
                                .parts
                                .iter()
                                .take_while(|q| matches!(q, GlobPart::Lit(_)))
                                .collect();
                            let whole = lits.len() == g.parts.len();
                            parts.extend(lits.into_iter().cloned());
                            if !whole {
                                break;
                            }
                        }
                        parts.push(GlobPart::AnyRun);
                        (MatchMode::Glob, iamproof_logic::Glob::from_parts(parts))
                    }
                    None => continue,
                };
                let set = iamproof_logic::PatternSet::new(mode, vec![glob]);
                tests.push((Test::Match(std::sync::Arc::new(set)), *sv));
            }
            _ => tests.push((t.clone(), *sv)),
        }
    }
    let plain = |ps: &[(ElemPred, SVar)]| -> Vec<(ElemPred, SVar)> {
        ps.iter()
            .filter(|(p, _)| p.any_of.iter().all(resolved))
            .cloned()
            .collect()
    };
    VarAtoms {
        tests,
        present: a.present,
        multi: a.multi,
        forall: plain(&a.forall),
        forany: plain(&a.forany),
    }
}
