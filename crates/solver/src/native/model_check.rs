//! The theory check of one SAT model: each request variable's value decided under its
//! literals ([`var_value`]), template variables after the ones they refer to, conflicts learnt
//! as blocking clauses, and the model assembled into an [`Assignment`].

use crate::automata::Limits;
use crate::theories::ValueOutcome;
use batsat::{lbool, Lit, SolverInterface, Var as SVar};
use iamproof_eval::ContextValue;
use iamproof_logic::{Assignment, CallerKind, ElemPred, MatchMode, Test, Var};
use std::collections::BTreeMap;

use super::encoding::{SatEncoding, Val, VarAnswer, VarAtoms, MEMO_PER_VAR};
use super::explain::minimise;
use super::memo::Theory;
use super::templates::{
    cancelling_templates, relax, relax_unvalued, template_bindings, HintsForVar, RetryHints,
    MAX_HINTS,
};
use super::value::{pred_req, req_holds, solve_value, test_holds, ValueRequirement};

pub(super) enum Check {
    Model(Assignment),
    Blocked,
    Unknown(String),
    /// A template conflict that other values of the referenced variables might avoid: their
    /// current values to avoid, and values read off a witness of the relaxed template
    /// variable to try first.
    Retry {
        avoid: Vec<(Var, String)>,
        hints: Vec<(Var, String)>,
    },
    /// A conflict of this variable under avoided values (not a theory fact).
    RetryFailed(Var),
}

/// One variable's requirements under the current literal values; `Err` if contradictory
/// without looking at values.
pub(super) fn var_value(
    a: &VarAtoms,
    val: &dyn Fn(SVar) -> Option<bool>,
    is_key: bool,
    present_default: bool,
    refs: &dyn Fn(&Var) -> Option<String>,
    th: &Theory<'_>,
    steer: HintsForVar<'_>,
) -> VarAnswer {
    let avoid = steer.avoid;
    // substitute templates
    let subst = |t: &Test| -> Test {
        if let Test::Template(tpl) = t {
            match tpl.substitute(&|v: &Var| refs(v)) {
                Some(g) => {
                    let (mode, g) = (tpl.mode, g);
                    Test::Match(std::sync::Arc::new(iamproof_logic::PatternSet::new(
                        mode,
                        vec![g],
                    )))
                }
                None => Test::Match(std::sync::Arc::new(iamproof_logic::PatternSet::new(
                    MatchMode::Exact,
                    Vec::new(),
                ))),
            }
        } else {
            t.clone()
        }
    };
    let present = if is_key {
        a.present.and_then(val).unwrap_or(false)
    } else {
        present_default
    };
    let multi = is_key && a.multi.and_then(val).unwrap_or(false);
    let tests: Vec<(Test, bool)> = a
        .tests
        .iter()
        .filter_map(|(t, v)| val(*v).map(|b| (subst(t), b)))
        .collect();
    let subst_pred = |p: &ElemPred| ElemPred {
        negated: p.negated,
        any_of: p.any_of.iter().map(subst).collect(),
    };
    let foralls: Vec<(ElemPred, bool)> = a
        .forall
        .iter()
        .filter_map(|(p, v)| val(*v).map(|b| (subst_pred(p), b)))
        .collect();
    let foranys: Vec<(ElemPred, bool)> = a
        .forany
        .iter()
        .filter_map(|(p, v)| val(*v).map(|b| (subst_pred(p), b)))
        .collect();
    if !present {
        if tests.iter().any(|t| t.1) || foranys.iter().any(|t| t.1) || foralls.iter().any(|t| !t.1)
        {
            return Err(None);
        }
        return Ok(Val::Absent);
    }
    if !multi {
        // The single value "" counts as the empty set under the quantifiers.
        let quant_empty_ok = foralls.iter().all(|t| t.1) && foranys.iter().all(|t| !t.1);
        let empty_ok = quant_empty_ok
            && !avoid.iter().any(String::is_empty)
            && tests.iter().all(|(t, b)| test_holds(t, "") == *b);
        let mut reqs: Vec<ValueRequirement> = avoid
            .iter()
            .map(|w| {
                ValueRequirement::Not(Test::Match(std::sync::Arc::new(
                    iamproof_logic::PatternSet::new(
                        MatchMode::Exact,
                        vec![iamproof_logic::Glob::literal(w)],
                    ),
                )))
            })
            .collect();
        for (t, b) in tests {
            reqs.push(if b {
                ValueRequirement::Any(vec![t])
            } else {
                ValueRequirement::Not(t)
            });
        }
        if !foralls.is_empty() || !foranys.is_empty() {
            reqs.push(ValueRequirement::Not(Test::Match(std::sync::Arc::new(
                iamproof_logic::PatternSet::new(
                    MatchMode::Exact,
                    vec![iamproof_logic::Glob::literal("")],
                ),
            ))));
        }
        for (p, b) in foralls.iter().chain(foranys.iter()) {
            reqs.extend(pred_req(p, *b));
        }
        if let Some(c) = steer
            .prefer
            .iter()
            .find(|c| reqs.iter().all(|r| req_holds(r, c)))
        {
            return Ok(Val::Single(c.clone()));
        }
        if empty_ok {
            return Ok(Val::Single(String::new()));
        }
        return match solve_value(&reqs, th) {
            ValueOutcome::Sat(w) => Ok(Val::Single(w)),
            ValueOutcome::Unsat => Err(None),
            ValueOutcome::Unknown(r) => Err(Some(r)),
        };
    }
    if tests.iter().any(|t| t.1) {
        return Err(None);
    }
    let mut universal: Vec<ValueRequirement> = Vec::new();
    let mut existential: Vec<Vec<ValueRequirement>> = Vec::new();
    for (p, b) in &foralls {
        if *b {
            universal.extend(pred_req(p, true));
        } else {
            existential.push(pred_req(p, false));
        }
    }
    for (p, b) in &foranys {
        if *b {
            existential.push(pred_req(p, true));
        } else {
            universal.extend(pred_req(p, false));
        }
    }
    let mut elems = Vec::new();
    for e in existential {
        let mut reqs = universal.clone();
        reqs.extend(e);
        match solve_value(&reqs, th) {
            ValueOutcome::Sat(w) => elems.push(w),
            ValueOutcome::Unsat => return Err(None),
            ValueOutcome::Unknown(r) => return Err(Some(r)),
        }
    }
    Ok(Val::Multi(elems))
}

pub(super) fn theory_check(
    ctx: &mut SatEncoding,
    limits: &Limits,
    steer: &RetryHints,
    may_retry: bool,
    forced: Option<&Var>,
) -> Check {
    // (taken out for the check, so the check may learn clauses while it reads them)
    let active = ctx.active.take();
    let strings = std::mem::take(&mut ctx.strings);
    let th = Theory {
        limits: *limits,
        strings: &strings,
    };
    let check = check_model(ctx, active.as_ref(), &th, steer, may_retry, forced);
    ctx.active = active;
    ctx.strings = strings;
    check
}

/// [`theory_check`] with the session's active atoms (`None`: every atom).
fn check_model(
    ctx: &mut SatEncoding,
    active: Option<&rustc_hash::FxHashSet<SVar>>,
    th: &Theory<'_>,
    steer: &RetryHints,
    may_retry: bool,
    forced: Option<&Var>,
) -> Check {
    let model: Vec<lbool> = ctx.solver.get_model().to_vec();
    let val_of = |v: SVar| -> Option<bool> {
        if active.is_some_and(|a| !a.contains(&v)) {
            return None;
        }
        model.get(v.idx() as usize).map(|b| *b == lbool::TRUE)
    };
    let caller = ctx
        .callers
        .iter()
        .find(|c| val_of(c.1) == Some(true))
        .map(|c| c.0)
        .unwrap_or(CallerKind::Arn);
    let mut values: BTreeMap<Var, Val> = BTreeMap::new();
    let mut deferred_vars: Vec<Var> = Vec::new();
    let order: Vec<Var> = {
        let mut plain: Vec<Var> = Vec::new();
        let mut tpl: Vec<Var> = Vec::new();
        for (v, a) in &ctx.vars {
            if a.has_template() {
                tpl.push(v.clone());
            } else {
                plain.push(v.clone());
            }
        }
        // template variables after the variables they refer to
        let mut rest = tpl;
        while !rest.is_empty() {
            let ready: Vec<Var> = rest
                .iter()
                .filter(|v| {
                    ctx.vars.get(v).is_none_or(|a| {
                        a.template_refs()
                            .iter()
                            .all(|r| plain.contains(r) || !ctx.vars.contains_key(r))
                    })
                })
                .cloned()
                .collect();
            if ready.is_empty() {
                // a cycle: break it at one variable (solved with those references relaxed,
                // see below), a condition key rather than the principal or resource, whose
                // values are better computed from the others'
                let pick = rest
                    .iter()
                    .position(|v| matches!(v, Var::Key(_)))
                    .unwrap_or(0);
                if pick < rest.len() {
                    plain.push(rest.remove(pick));
                }
                continue;
            }
            rest.retain(|v| !ready.contains(v));
            plain.extend(ready);
        }
        plain
    };
    for var in order {
        let Some(a) = ctx.vars.get(&var) else {
            continue;
        };
        let is_key = matches!(var, Var::Key(_));
        let present_default = match var {
            Var::Principal => caller != CallerKind::Anonymous,
            _ => true,
        };
        let templ = a.has_template();
        // Variables referring to each other (across statements, `k1 = ${k2}` and
        // `k2 = ${k1}`): the first one of the cycle is solved with its templates over
        // unvalued references relaxed, and those templates are checked once all values are in.
        let unvalued = |r: &Var| !values.contains_key(r) && ctx.vars.contains_key(r);
        let deferred = templ && a.template_refs().iter().any(unvalued);
        let quantified_refs = a
            .forall
            .iter()
            .chain(a.forany.iter())
            .flat_map(|(p, _)| p.any_of.iter())
            .any(|t| matches!(t, Test::Template(tpl) if tpl.refs().any(unvalued)));
        if deferred && quantified_refs {
            return Check::Unknown(
                "policy variables that refer to each other in a cycle through a set operator"
                    .into(),
            );
        }
        let relaxed_here;
        let a_solved = if deferred {
            relaxed_here = relax_unvalued(a, &val_of, &|r: &Var| values.contains_key(r));
            deferred_vars.push(var.clone());
            &relaxed_here
        } else {
            a
        };
        let snapshot = values.clone();
        let refs = |v: &Var| match snapshot.get(v) {
            Some(Val::Single(s)) => Some(s.clone()),
            _ => None,
        };
        let avoid_here = steer.avoid.get(&var).map(Vec::as_slice).unwrap_or(&[]);
        let here = HintsForVar {
            avoid: avoid_here,
            prefer: steer.prefer.get(&var).map(Vec::as_slice).unwrap_or(&[]),
        };
        let memo_key = (!templ && here.avoid.is_empty() && here.prefer.is_empty()).then(|| {
            let mut k: Vec<u8> = a
                .all_vars()
                .into_iter()
                .map(|v| match val_of(v) {
                    None => 0,
                    Some(false) => 1,
                    Some(true) => 2,
                })
                .collect();
            k.push(u8::from(present_default));
            k
        });
        let known = memo_key
            .as_ref()
            .and_then(|k| ctx.memo.get(&var).and_then(|m| m.get(k)))
            .cloned();
        let res = match known {
            Some(r) => r,
            None => {
                let r = var_value(a_solved, &val_of, is_key, present_default, &refs, th, here);
                if let Some(k) = memo_key {
                    let m = ctx.memo.entry(var.clone()).or_default();
                    if m.len() < MEMO_PER_VAR {
                        m.insert(k, r.clone());
                    }
                }
                r
            }
        };
        match res {
            Ok(v) => {
                values.insert(var, v);
            }
            Err(Some(reason)) => return Check::Unknown(reason),
            Err(None) if !avoid_here.is_empty() => {
                // the conflict may come from the avoided values: not a theory fact
                return Check::RetryFailed(var);
            }
            Err(None) if deferred => {
                // the relaxation conflicts: its literals are a sound explanation
                let lits = minimise(a_solved, &val_of, is_key, present_default, &refs, th);
                let mut clause: Vec<Lit> = lits.iter().map(|(v, b)| Lit::new(*v, !*b)).collect();
                if var == Var::Principal {
                    clause.extend(negations(ctx.callers.iter().map(|c| c.1), &val_of));
                }
                clause.sort_unstable_by_key(|l| l.idx());
                clause.dedup();
                ctx.clause(&clause);
                return Check::Blocked;
            }
            Err(None) => {
                if templ {
                    // A relaxation of the variable's constraints that no longer mentions
                    // other variables: if it conflicts too, its literals are a sound
                    // explanation.
                    let relaxed = relax(a, &val_of);
                    let relaxed_value = var_value(
                        &relaxed,
                        &val_of,
                        is_key,
                        present_default,
                        &refs,
                        th,
                        HintsForVar::default(),
                    );
                    if let Err(None) = relaxed_value {
                        let lits = minimise(&relaxed, &val_of, is_key, present_default, &refs, th);
                        let mut clause: Vec<Lit> =
                            lits.iter().map(|(v, b)| Lit::new(*v, !*b)).collect();
                        if var == Var::Principal {
                            clause.extend(negations(ctx.callers.iter().map(|c| c.1), &val_of));
                        }
                        clause.sort_unstable_by_key(|l| l.idx());
                        clause.dedup();
                        ctx.clause(&clause);
                        return Check::Blocked;
                    }
                    // A true template and a false one that wrap the same reference in
                    // languages where the first is included in the second: a conflict for
                    // every value of the reference.
                    if let Some((t, f)) = cancelling_templates(a, &val_of, &th.limits) {
                        ctx.clause(&[Lit::new(t, false), Lit::new(f, true)]);
                        return Check::Blocked;
                    }
                    // The referenced variable's literals allow only its current value: the
                    // conflict is explained by both variables' literals.
                    let refs_here = a.template_refs();
                    if let Some(r) = forced.filter(|r| refs_here.iter().all(|x| x == *r)) {
                        let lits = minimise(a, &val_of, is_key, present_default, &refs, th);
                        let mut clause: Vec<Lit> =
                            lits.iter().map(|(v, b)| Lit::new(*v, !*b)).collect();
                        if let Some(ra) = ctx.vars.get(r) {
                            clause.extend(negations(ra.all_vars(), &val_of));
                        }
                        if var == Var::Principal || *r == Var::Principal {
                            clause.extend(negations(ctx.callers.iter().map(|c| c.1), &val_of));
                        }
                        clause.sort_unstable_by_key(|l| l.idx());
                        clause.dedup();
                        ctx.clause(&clause);
                        return Check::Blocked;
                    }
                    // otherwise try other values for the referenced variables first: avoid
                    // their current values, and prefer the values a witness of the relaxed
                    // constraints spells out (e.g. the account field of a principal ARN),
                    // followed through referenced variables that have templates of their own
                    let mut retry = Vec::new();
                    for (r, rv) in &snapshot {
                        let referenced = a.template_refs().contains(r);
                        if let (true, Val::Single(w)) = (referenced, rv) {
                            retry.push((r.clone(), w.clone()));
                        }
                    }
                    let mut hints: Vec<(Var, String)> = Vec::new();
                    let add_hints = |tests: &[(Test, SVar)], w: &str, hints: &mut Vec<_>| {
                        for (t, sv) in tests {
                            if let (Test::Template(tpl), Some(true)) = (t, val_of(*sv)) {
                                for (r, h) in template_bindings(tpl, w, MAX_HINTS) {
                                    let current = snapshot.get(&r);
                                    let fresh = !matches!(current, Some(Val::Single(c)) if *c == h);
                                    if fresh && !hints.contains(&(r.clone(), h.clone())) {
                                        hints.push((r, h));
                                    }
                                }
                            }
                        }
                    };
                    if let Ok(Val::Single(w)) = &relaxed_value {
                        add_hints(&a.tests, w, &mut hints);
                    }
                    let mut k = 0;
                    while let Some((r, h)) = hints.get(k).cloned() {
                        k += 1;
                        if hints.len() >= 4 * MAX_HINTS {
                            break;
                        }
                        if let Some(ra) = ctx.vars.get(&r) {
                            add_hints(&ra.tests, &h, &mut hints);
                        }
                    }
                    // a variable with templates is steered by hints only (a cycle's deferred
                    // one was solved without its references, so avoiding works too)
                    let steerable = |r: &Var| {
                        !ctx.vars.get(r).is_some_and(VarAtoms::has_template)
                            || deferred_vars.contains(r)
                    };
                    let unsteered = retry
                        .iter()
                        .any(|(r, _)| !steerable(r) && !hints.iter().any(|(h, _)| h == r));
                    if may_retry && !retry.is_empty() && !unsteered {
                        retry.retain(|(r, _)| steerable(r));
                        return Check::Retry {
                            avoid: retry,
                            hints,
                        };
                    }
                }
                // learn: not this combination of the variable's literals
                let lits = minimise(a, &val_of, is_key, present_default, &refs, th);
                let mut clause: Vec<Lit> = lits.iter().map(|(v, b)| Lit::new(*v, !*b)).collect();
                if templ {
                    // the conflict depends on the referenced variables' values: block the
                    // whole assignment of the referenced variables too
                    for (other, oa) in &ctx.vars {
                        if *other != var {
                            clause.extend(negations(oa.all_vars(), &val_of));
                        }
                    }
                    clause.extend(negations(ctx.callers.iter().map(|c| c.1), &val_of));
                }
                if var == Var::Principal {
                    clause.extend(negations(ctx.callers.iter().map(|c| c.1), &val_of));
                }
                clause.sort_unstable_by_key(|l| l.idx());
                clause.dedup();
                if templ {
                    ctx.clause_inexact(&clause, "a conflict involved a policy-variable template");
                } else {
                    ctx.clause(&clause);
                }
                return Check::Blocked;
            }
        }
    }
    // the templates a cycle deferred, under the final values
    for var in &deferred_vars {
        let Some(a) = ctx.vars.get(var) else { continue };
        let value = values.get(var);
        let refs = |v: &Var| match values.get(v) {
            Some(Val::Single(s)) => Some(s.clone()),
            _ => None,
        };
        let broken = a.tests.iter().any(|(t, sv)| {
            let (Test::Template(tpl), Some(want)) = (t, val_of(*sv)) else {
                return false;
            };
            let holds = match (value, tpl.substitute(&refs)) {
                (Some(Val::Single(s)), Some(g)) => g.matches(tpl.mode, s),
                _ => false,
            };
            holds != want
        });
        if !broken {
            continue;
        }
        if let (true, Some(Val::Single(w))) = (may_retry, value) {
            return Check::Retry {
                avoid: vec![(var.clone(), w.clone())],
                hints: Vec::new(),
            };
        }
        // no value found that closes the cycle: block this whole assignment (inexactly)
        let mut clause: Vec<Lit> = Vec::new();
        for oa in ctx.vars.values() {
            clause.extend(negations(oa.all_vars(), &val_of));
        }
        clause.extend(negations(ctx.callers.iter().map(|c| c.1), &val_of));
        clause.sort_unstable_by_key(|l| l.idx());
        clause.dedup();
        ctx.clause_inexact(
            &clause,
            "policy variables that refer to each other in a cycle",
        );
        return Check::Blocked;
    }
    let mut a = Assignment {
        caller,
        ..Assignment::default()
    };
    for (var, v) in values {
        match (var, v) {
            (Var::Action, Val::Single(s)) => a.action = s,
            (Var::Resource, Val::Single(s)) => a.resource = s,
            (Var::Principal, Val::Single(s)) => a.principal = s,
            (Var::Key(k), Val::Single(s)) => {
                a.keys.insert(k, ContextValue::Single(s));
            }
            (Var::Key(k), Val::Multi(es)) => {
                a.keys.insert(k, ContextValue::Multi(es));
            }
            _ => {}
        }
    }
    if a.caller != CallerKind::Anonymous && !ctx.vars.contains_key(&Var::Principal) {
        // unconstrained principal: a readable default
        a.principal = "arn:aws:iam::111122223333:user/example".into();
    }
    Check::Model(a)
}

/// The literals that block the current values of `svars` (the unassigned ones left out), for
/// a learnt clause.
pub(super) fn negations(
    svars: impl IntoIterator<Item = SVar>,
    val_of: &dyn Fn(SVar) -> Option<bool>,
) -> Vec<Lit> {
    svars
        .into_iter()
        .filter_map(|sv| val_of(sv).map(|b| Lit::new(sv, !b)))
        .collect()
}
