//! The SAT encoding of a [`Formula`]: one SAT variable per atom, Tseitin clauses for the
//! connectives, the per-variable atom tables the theory check reads, and the structural clauses
//! every request satisfies.

use super::memo::StringMemo;
use batsat::{BasicSolver, Lit, SolverInterface, Var as SVar};
use iamproof_logic::TemplatePart;
use iamproof_logic::{Atom, CallerKind, ElemPred, Formula, MatchMode, Node, Test, Var};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// The theory-relevant atoms of one request variable, with their SAT variables.
#[derive(Default)]
pub(super) struct VarAtoms {
    pub(super) tests: Vec<(Test, SVar)>,
    pub(super) present: Option<SVar>,
    pub(super) multi: Option<SVar>,
    pub(super) forall: Vec<(ElemPred, SVar)>,
    pub(super) forany: Vec<(ElemPred, SVar)>,
}

impl VarAtoms {
    pub(super) fn all_vars(&self) -> Vec<SVar> {
        let mut v: Vec<SVar> = self.tests.iter().map(|t| t.1).collect();
        v.extend(self.present);
        v.extend(self.multi);
        v.extend(self.forall.iter().map(|t| t.1));
        v.extend(self.forany.iter().map(|t| t.1));
        v
    }

    /// The variables the template tests refer to.
    pub(super) fn template_refs(&self) -> Vec<Var> {
        let mut out = Vec::new();
        let mut add = |t: &Test| {
            if let Test::Template(tpl) = t {
                out.extend(tpl.refs().cloned());
            }
        };
        self.tests.iter().for_each(|(t, _)| add(t));
        for (p, _) in self.forall.iter().chain(self.forany.iter()) {
            p.any_of.iter().for_each(&mut add);
        }
        out
    }

    pub(super) fn has_template(&self) -> bool {
        let tpl = |t: &Test| matches!(t, Test::Template(_));
        self.tests.iter().any(|(t, _)| tpl(t))
            || self
                .forall
                .iter()
                .chain(self.forany.iter())
                .any(|(p, _)| p.any_of.iter().any(tpl))
    }
}

/// A test of `var` against a template that is `${var}` itself in a mode where every string
/// matches itself taken literally (`Exact`, `ExactIgnoreCase`, `Glob`): the test holds exactly
/// when `var` has a single value, so it is the match-everything pattern `*` (a `Test` atom is
/// already false unless its variable is single-valued).
pub(super) fn self_reference(var: &Var, test: &Test) -> Option<Test> {
    let Test::Template(tpl) = test else {
        return None;
    };
    let is_self = matches!(tpl.parts.as_slice(), [TemplatePart::Ref(r)] if r == var);
    let literal_mode = matches!(
        tpl.mode,
        MatchMode::Exact | MatchMode::ExactIgnoreCase | MatchMode::Glob
    );
    (is_self && literal_mode).then(|| {
        Test::Match(std::sync::Arc::new(iamproof_logic::PatternSet::new(
            MatchMode::Glob,
            vec![iamproof_logic::Glob::parse_wildcards("*")],
        )))
    })
}

/// A variable's value in a candidate model.
#[derive(Debug, Clone)]
pub(super) enum Val {
    Absent,
    Single(String),
    Multi(Vec<String>),
}

/// The SAT instance of one formula, or of a session's base formula and its questions.
pub(super) struct SatEncoding {
    pub(super) solver: BasicSolver,
    pub(super) atom_var: FxHashMap<Atom, SVar>,
    pub(super) vars: BTreeMap<Var, VarAtoms>,
    pub(super) callers: Vec<(CallerKind, SVar)>,
    /// Why the current question's `Unsat` would not be a proof (an inexact clause was learnt).
    pub(super) tainted: Option<String>,
    /// Theory answers of template-free variables by the values of their literals: most SAT
    /// rounds change the literals of one variable and leave the others' answers standing.
    pub(super) memo: FxHashMap<Var, FxHashMap<Vec<u8>, VarAnswer>>,
    /// String answers by requirement list, for the theory checks and their explanations.
    pub(super) strings: StringMemo,
    /// The Tseitin literal of every subformula encoded so far (definitions hold for every
    /// question of a session, so later questions reuse them).
    pub(super) tseitin: FxHashMap<Formula, Lit>,
    /// In a session, the atoms of the base formula and of the current question: the theory
    /// check reads only these (the atoms of earlier questions are unconstrained).
    pub(super) active: Option<rustc_hash::FxHashSet<SVar>>,
    /// In a session, the current question's activation literal: clauses that are not theory
    /// facts (see [`SatEncoding::clause_inexact`]) are learnt under it, so they retire with it.
    pub(super) guard: Option<Lit>,
    /// The atoms whose structural clauses are in (see [`SatEncoding::structural`]).
    structured: rustc_hash::FxHashSet<SVar>,
    /// The template tests whose references' clauses are in.
    templates_done: rustc_hash::FxHashSet<SVar>,
    /// Per variable, how many of its tests [`SatEncoding::pairwise`] has compared.
    pub(super) pairwise_done: FxHashMap<Var, usize>,
}

/// A variable's theory answer: its value, or a conflict (`Err(None)`) or an unknown
/// (`Err(Some(why))`).
pub(super) type VarAnswer = Result<Val, Option<String>>;

/// Remembered theory answers per variable, at most.
pub(super) const MEMO_PER_VAR: usize = 256;

impl SatEncoding {
    /// An empty instance.
    pub(super) fn new() -> Self {
        SatEncoding {
            solver: BasicSolver::new(batsat::SolverOpts::default(), batsat::BasicCallbacks::new()),
            atom_var: FxHashMap::default(),
            vars: BTreeMap::new(),
            callers: Vec::new(),
            tainted: None,
            memo: FxHashMap::default(),
            strings: StringMemo::default(),
            tseitin: FxHashMap::default(),
            active: None,
            guard: None,
            structured: rustc_hash::FxHashSet::default(),
            templates_done: rustc_hash::FxHashSet::default(),
            pairwise_done: FxHashMap::default(),
        }
    }

    /// Learns a clause that is not a theory fact (it blocks a whole assignment after a
    /// conflict that could not be explained exactly): the current question's `Unsat` is then
    /// no proof (`why`), and in a session the clause holds for this question only.
    pub(super) fn clause_inexact(&mut self, lits: &[Lit], why: &str) {
        self.tainted = Some(why.to_string());
        let mut c = lits.to_vec();
        if let Some(g) = self.guard {
            c.push(!g);
        }
        self.clause(&c);
    }

    pub(super) fn new_var(&mut self) -> SVar {
        self.solver.new_var_default()
    }

    pub(super) fn clause(&mut self, lits: &[Lit]) {
        let mut c = lits.to_vec();
        self.solver.add_clause_reuse(&mut c);
    }

    pub(super) fn atom(&mut self, a: &Atom) -> SVar {
        if let Some(v) = self.atom_var.get(a) {
            return *v;
        }
        let v = self.new_var();
        self.atom_var.insert(a.clone(), v);
        match a {
            Atom::Caller(k) => {
                self.ensure_callers();
                if let Some((_, cv)) = self.callers.iter().find(|c| c.0 == *k) {
                    let cv = *cv;
                    self.clause(&[Lit::new(v, false), Lit::new(cv, true)]);
                    self.clause(&[Lit::new(v, true), Lit::new(cv, false)]);
                }
            }
            Atom::Present(k) => {
                self.entry(&Var::Key(k.clone())).present = Some(v);
            }
            Atom::Multi(k) => {
                self.entry(&Var::Key(k.clone())).multi = Some(v);
            }
            Atom::Test { var, test } => {
                let test = self_reference(var, test).unwrap_or_else(|| test.clone());
                self.note_template_refs(&test);
                self.entry(var).tests.push((test, v));
            }
            Atom::ForAll { key, pred } => {
                self.entry(&Var::Key(key.clone()))
                    .forall
                    .push((pred.clone(), v));
                pred.any_of.iter().for_each(|t| self.note_template_refs(t));
            }
            Atom::ForAny { key, pred } => {
                self.entry(&Var::Key(key.clone()))
                    .forany
                    .push((pred.clone(), v));
                pred.any_of.iter().for_each(|t| self.note_template_refs(t));
            }
        }
        v
    }

    pub(super) fn note_template_refs(&mut self, t: &Test) {
        if let Test::Template(tpl) = t {
            for p in &tpl.parts {
                if let TemplatePart::Ref(r) = p {
                    self.entry(r);
                }
            }
        }
    }

    pub(super) fn entry(&mut self, v: &Var) -> &mut VarAtoms {
        if *v == Var::Principal {
            self.ensure_callers();
        }
        self.vars.entry(v.clone()).or_default()
    }

    pub(super) fn ensure_callers(&mut self) {
        if !self.callers.is_empty() {
            return;
        }
        let mut cs = Vec::new();
        for k in CallerKind::ALL {
            let v = self.new_var();
            cs.push((k, v));
        }
        // exactly one kind
        let all: Vec<Lit> = cs.iter().map(|c| Lit::new(c.1, true)).collect();
        self.clause(&all);
        for i in 0..cs.len() {
            for j in i + 1..cs.len() {
                if let (Some(a), Some(b)) = (cs.get(i), cs.get(j)) {
                    self.clause(&[Lit::new(a.1, false), Lit::new(b.1, false)]);
                }
            }
        }
        self.callers = cs;
    }

    /// Tseitin encoding: a literal equivalent to `f`.
    pub(super) fn encode(&mut self, f: &Formula) -> Lit {
        let mut memo = std::mem::take(&mut self.tseitin);
        let mut result = None;
        f.visit(&mut |g| {
            if let Some(l) = memo.get(g) {
                result = Some(*l);
                return;
            }
            let lit = match g.node() {
                Node::True | Node::False => {
                    let v = self.new_var();
                    let l = Lit::new(v, true);
                    self.clause(&[l]);
                    if matches!(g.node(), Node::True) {
                        l
                    } else {
                        !l
                    }
                }
                Node::Atom(a) => Lit::new(self.atom(a), true),
                Node::Not(h) => match memo.get(h) {
                    Some(l) => !*l,
                    None => Lit::new(self.new_var(), true),
                },
                Node::And(hs) | Node::Or(hs) => {
                    let is_and = matches!(g.node(), Node::And(_));
                    let kids: Vec<Lit> = hs.iter().filter_map(|h| memo.get(h).copied()).collect();
                    let v = Lit::new(self.new_var(), true);
                    // and: v → k_i ; (∧k_i) → v.  or: k_i → v ; v → ∨k_i
                    let (a, b) = if is_and { (v, !v) } else { (!v, v) };
                    for k in &kids {
                        let k2 = if is_and { *k } else { !*k };
                        self.clause(&[!a, k2]);
                    }
                    let mut big: Vec<Lit> =
                        kids.iter().map(|k| if is_and { !*k } else { *k }).collect();
                    big.push(if is_and { v } else { !v });
                    let _ = b;
                    self.clause(&big);
                    v
                }
            };
            memo.insert(g.clone(), lit);
            result = Some(lit);
        });
        self.tseitin = memo;
        result.unwrap_or_else(|| {
            let v = self.new_var();
            Lit::new(v, true)
        })
    }

    /// Clauses every request satisfies, per variable.
    pub(super) fn structural(&mut self) {
        // A true template test needs every referenced variable to have a single value.
        let mut needs: Vec<(SVar, Var)> = Vec::new();
        for a in self.vars.values() {
            for (t, sv) in &a.tests {
                if let (Test::Template(tpl), false) = (t, self.templates_done.contains(sv)) {
                    needs.extend(tpl.refs().map(|r| (*sv, r.clone())));
                }
            }
        }
        for (sv, r) in needs {
            self.templates_done.insert(sv);
            let t = Lit::new(sv, true);
            match &r {
                Var::Key(k) => {
                    let p = self.atom(&Atom::Present(k.clone()));
                    let m = self.atom(&Atom::Multi(k.clone()));
                    self.clause(&[!t, Lit::new(p, true)]);
                    self.clause(&[!t, Lit::new(m, false)]);
                }
                Var::Principal => {
                    self.ensure_callers();
                    let anon = self
                        .callers
                        .iter()
                        .find(|c| c.0 == CallerKind::Anonymous)
                        .map(|c| c.1);
                    if let Some(anon) = anon {
                        self.clause(&[!t, Lit::new(anon, false)]);
                    }
                }
                Var::Action | Var::Resource => {}
            }
        }
        let keys: Vec<Var> = self.vars.keys().cloned().collect();
        for var in keys {
            let Var::Key(k) = &var else {
                if var == Var::Principal {
                    // a Principal test needs a non-anonymous caller
                    let anon = self
                        .callers
                        .iter()
                        .find(|c| c.0 == CallerKind::Anonymous)
                        .map(|c| c.1);
                    let tests: Vec<SVar> = self
                        .vars
                        .get(&var)
                        .map(|a| a.tests.iter().map(|t| t.1).collect())
                        .unwrap_or_default();
                    let tests: Vec<SVar> = tests
                        .into_iter()
                        .filter(|t| self.structured.insert(*t))
                        .collect();
                    if let Some(anon) = anon {
                        for t in tests {
                            self.clause(&[Lit::new(t, false), Lit::new(anon, false)]);
                        }
                    }
                }
                continue;
            };
            let present = match self.vars.get(&var).and_then(|a| a.present) {
                Some(p) => p,
                None => self.atom(&Atom::Present(k.clone())),
            };
            let multi = match self.vars.get(&var).and_then(|a| a.multi) {
                Some(m) => m,
                None => self.atom(&Atom::Multi(k.clone())),
            };
            let Some(a) = self.vars.get(&var) else {
                continue;
            };
            let tests: Vec<SVar> = a.tests.iter().map(|t| t.1).collect();
            let foralls: Vec<SVar> = a.forall.iter().map(|t| t.1).collect();
            let foranys: Vec<SVar> = a.forany.iter().map(|t| t.1).collect();
            let fresh = |v: &SVar, done: &mut rustc_hash::FxHashSet<SVar>| done.insert(*v);
            let tests: Vec<SVar> = tests
                .into_iter()
                .filter(|v| fresh(v, &mut self.structured))
                .collect();
            let foralls: Vec<SVar> = foralls
                .into_iter()
                .filter(|v| fresh(v, &mut self.structured))
                .collect();
            let foranys: Vec<SVar> = foranys
                .into_iter()
                .filter(|v| fresh(v, &mut self.structured))
                .collect();
            let (p, m) = (Lit::new(present, true), Lit::new(multi, true));
            if self.structured.insert(multi) {
                self.clause(&[!m, p]);
            }
            for t in tests {
                let t = Lit::new(t, true);
                self.clause(&[!t, p]);
                self.clause(&[!t, !m]);
            }
            for f in foralls {
                self.clause(&[p, Lit::new(f, true)]);
            }
            for f in foranys {
                self.clause(&[!Lit::new(f, true), p]);
            }
        }
    }
}
