//! The native decision procedure for [`Formula`]s: a CDCL SAT solver (batsat) over the atoms,
//! with a lazy theory check per request variable (strings by [`crate::automata`], numbers, dates,
//! IP addresses and binary values by [`crate::theories`], presence and multi-valued keys by a
//! small-model argument). A theory conflict of one variable is learnt as a blocking clause over
//! that variable's atoms only (minimised by deletion), so the search does not revisit it.
//!
//! Bounded by SAT rounds, automaton states and wall-clock time; past a bound the answer is
//! `Unknown`, never a wrong one. Every model is re-checked with [`Formula::eval`].
//!
//! Multi-valued keys: a set needs at most one element per existential constraint (a false
//! `ForAll` or a true `ForAny`), each satisfying every universal one, so the model is built from
//! such witnesses (or the empty set).
//!
//! Templates (policy variables) are decided after the variables they refer to, with the chosen
//! values substituted. A test of `v` against `${v}` itself (literal modes) is "v is single".
//! A true template test implies its referenced variables are single-valued (a clause). A
//! template conflict is explained exactly when (a) a relaxation without the other variables
//! conflicts too (a true `Glob`/`Exact` template with each reference as `*`; an `Arn` template
//! as its literal prefix followed by `*`), or (b) the referenced variable's literals force its
//! value (re-solving it without that value fails); otherwise other values of the referenced
//! variables are tried (bounded), and only if none works is the conflict learnt over every
//! variable's literals, which makes an eventual `Unsat` an `Unknown`.
//!
//! One phase per module: [`encoding`] (formula to clauses), [`pairwise`] (redundant clauses
//! between tests of one variable), [`value`] (the value theories), [`templates`] (policy
//! variables), [`model_check`] (the theory check of one SAT model), [`explain`] (shrinking a
//! conflict before it is learnt) and [`memo`] (what the value theories keep for a whole
//! instance); this module runs the SAT rounds, for one formula or for the
//! questions of a [`NativeSession`].

mod encoding;
mod explain;
mod memo;
mod model_check;
mod pairwise;
mod templates;
#[cfg(test)]
mod tests;
mod value;

use crate::automata::Limits;
use batsat::{lbool, Lit, SolverInterface, Var as SVar};
use iamproof_logic::{Formula, Var};
use rustc_hash::FxHashSet;
use std::time::Instant;

use self::encoding::SatEncoding;
use self::model_check::{theory_check, Check};
use self::pairwise::PAIRWISE_AFTER;
use self::templates::{RetryHints, MAX_RETRIES};
use crate::Outcome;

/// Decides `f` natively.
pub(crate) fn solve_native(f: &Formula, max_steps: u64, deadline: Instant) -> Outcome {
    let mut ctx = SatEncoding::new();
    let root = ctx.encode(f);
    ctx.clause(&[root]);
    // Action and Resource always exist.
    ctx.entry(&Var::Action);
    ctx.entry(&Var::Resource);
    ctx.structural();
    rounds(&mut ctx, f, &[], max_steps, deadline)
}

/// An incremental session of the native engine: the base formula is encoded once; each
/// question `base ∧ extra` is asked under an activation literal, and everything learnt that is
/// a theory fact (conflict clauses, pairwise clauses, Tseitin definitions) serves the later
/// questions. A question's clauses that are not facts are learnt under its activation literal
/// and retire with it, and the theory check reads only the atoms of the base and of the
/// current question, so every answer is the one a fresh instance would give.
pub(crate) struct NativeSession {
    ctx: SatEncoding,
    base: Formula,
    /// The atoms of the base formula (with the callers' variables).
    base_atoms: FxHashSet<SVar>,
}

impl NativeSession {
    /// A session about `base`.
    pub(crate) fn new(base: &Formula) -> Self {
        let mut ctx = SatEncoding::new();
        let root = ctx.encode(base);
        ctx.clause(&[root]);
        ctx.entry(&Var::Action);
        ctx.entry(&Var::Resource);
        ctx.ensure_callers();
        ctx.structural();
        let base_atoms = active_atoms(&ctx);
        NativeSession {
            ctx,
            base: base.clone(),
            base_atoms,
        }
    }

    /// Decides `base ∧ extra`.
    pub(crate) fn solve_with(
        &mut self,
        extra: &Formula,
        max_steps: u64,
        deadline: Instant,
    ) -> Outcome {
        let ctx = &mut self.ctx;
        let lit = ctx.encode(extra);
        let act = Lit::new(ctx.new_var(), true);
        ctx.clause(&[!act, lit]);
        ctx.structural();
        // the active atoms: the base's and the question's (with what `structural` added for
        // their variables: every atom of a variable the question tests)
        let mut active = self.base_atoms.clone();
        let touched: std::collections::BTreeSet<Var> = extra.vars().into_iter().collect();
        for a in extra.atoms() {
            if let Some(v) = ctx.atom_var.get(&a) {
                active.insert(*v);
            }
        }
        for (var, atoms) in &ctx.vars {
            if touched.contains(var) {
                active.extend(atoms.present);
                active.extend(atoms.multi);
            }
        }
        ctx.active = Some(active);
        ctx.guard = Some(act);
        ctx.tainted = None;
        let f = Formula::and2(self.base.clone(), extra.clone());
        let out = rounds(ctx, &f, &[act], max_steps, deadline);
        // retire the question: its activation literal is false from now on
        ctx.clause(&[!act]);
        ctx.guard = None;
        ctx.active = None;
        out
    }
}

/// The SAT variables the theory check reads in a session: every atom now encoded (the base's,
/// at the start) and the callers.
fn active_atoms(ctx: &SatEncoding) -> FxHashSet<SVar> {
    let mut out: FxHashSet<SVar> = ctx.atom_var.values().copied().collect();
    out.extend(ctx.callers.iter().map(|c| c.1));
    out
}

/// The SAT rounds: a propositional model under `assumptions`, its theory check, and a learnt
/// clause when it fails, until a checked model, `Unsat` or a bound.
fn rounds(
    ctx: &mut SatEncoding,
    f: &Formula,
    assumptions: &[Lit],
    max_steps: u64,
    deadline: Instant,
) -> Outcome {
    let limits = Limits {
        max_states: 2_000_000,
        deadline: Some(deadline),
    };
    let mut rounds: u64 = 0;
    loop {
        if rounds >= max_steps.max(1) {
            return Outcome::Unknown(format!("stopped after {rounds} SAT rounds"));
        }
        if Instant::now() >= deadline {
            return Outcome::Unknown("time limit".into());
        }
        rounds += 1;
        if rounds == PAIRWISE_AFTER {
            ctx.pairwise(deadline);
        }
        let r = ctx.solver.solve_limited(assumptions);
        if r == lbool::FALSE {
            return match ctx.tainted.take() {
                Some(why) => Outcome::Unknown(why),
                None => Outcome::Unsat,
            };
        }
        if r != lbool::TRUE {
            return Outcome::Unknown("SAT solver gave up".into());
        }
        let mut steer = RetryHints::default();
        let mut check = theory_check(ctx, &limits, &steer, true, None);
        let mut retries = 0;
        let mut forced: Option<Var> = None;
        while let Check::Retry { avoid, hints } = &check {
            retries += 1;
            if retries > MAX_RETRIES || Instant::now() >= deadline {
                check = Check::Unknown(String::new());
                break;
            }
            for (v, w) in avoid {
                steer.avoid.entry(v.clone()).or_default().push(w.clone());
            }
            for (v, w) in hints {
                let p = steer.prefer.entry(v.clone()).or_default();
                if !p.contains(w) {
                    p.push(w.clone());
                }
            }
            check = theory_check(ctx, &limits, &steer, true, None);
            if let Check::RetryFailed(r) = &check {
                // a variable forced to its first value by its own literals
                if retries == 1
                    && steer.avoid.len() == 1
                    && steer.avoid.get(r).is_some_and(|w| w.len() == 1)
                {
                    forced = Some(r.clone());
                }
            }
        }
        if matches!(check, Check::RetryFailed(_)) || retries > MAX_RETRIES {
            // no other values found: learn the template conflict (exactly if a referenced
            // variable is forced, else tainting the answer)
            check = theory_check(ctx, &limits, &RetryHints::default(), false, forced.as_ref());
        }
        match check {
            Check::Model(a) => {
                // The theories treat the keys AWS derives from the principal as free, so a
                // model can fail the request semantics through them (the request axioms of
                // `iamproof_logic::request_axioms` tie them to the principal; callers add them).
                return if f.eval(&a.to_request()) {
                    Outcome::Sat(a)
                } else {
                    Outcome::Unknown(crate::MODEL_FAILED_EVAL.into())
                };
            }
            Check::Blocked => continue,
            Check::Unknown(why) => return Outcome::Unknown(why),
            Check::Retry { .. } | Check::RetryFailed(_) => {
                return Outcome::Unknown("internal: template retry".into())
            }
        }
    }
}
