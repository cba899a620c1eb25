//! The four checks as queries over the formulas of `iamproof-logic`, decided by an [`Engine`],
//! with statement pinpointing and witness replay.
//!
//! Every check has the same shape. The policy under test `P` is encoded with one `applies_i`
//! formula per statement; a check adds a property `X` of the request (not allowed by the existing
//! policy; one of the critical actions/resources; made by an outsider). Then:
//!
//! 1. `P.allows ∧ X` (with the request axioms) is decided. UNSAT is a proof: PASS. Unknown: FAIL
//!    with a reason saying the check could not be completed.
//! 2. On SAT, each `Allow` statement `i` is responsible iff `applies_i ∧ ¬P.deny ∧ X` is SAT.
//!    Statements that already apply to a witness found earlier are not asked again (the witness
//!    shows them responsible), so a policy whose statements overlap needs few queries; nor are
//!    statements `X` excludes on sight (`X = ¬(… ∨ applies_i ∨ …)`: a statement the existing
//!    policy has too, in `check-no-new-access`; see `crate::pinpoint::excluded`).
//! 3. Every witness is replayed through the reference evaluator
//!    (`iamproof_eval::evaluate_policy(P, r).allows()` and statement `i` among the applicable
//!    Allows) and against `X` before it is shown. A witness that does not replay is a bug in
//!    iamproof; the check then FAILs with an "internal disagreement" reason (never PASSes).
//!    A witness must also be a request AWS could receive (`Request::check_concrete`): solvers
//!    may answer values no request has (an action `s3:LIST*UCKET`, or one with a NUL, for the
//!    pattern `s3:List?ucket`). Such a witness is rewritten (the odd characters replaced by
//!    letters, `*` or the statement's resources for the resource, a readable principal…) into a
//!    valid request that replays, or else the query is asked again with the invalid values
//!    excluded (at most 3 times); if neither gives one, the check FAILs saying so.
//! 4. The examples shown are simplified: context keys the verdicts do not depend on are dropped,
//!    and for identity policies the principal becomes `arn:aws:iam::111122223333:user/example`
//!    when that changes no verdict (each simplified example is replayed again).
//!
//! The whole check runs under the engine's time limit ([`Engine::time_limit`], the
//! `CheckOptions::timeout` of the solver engine): each solver call gets the time left (a
//! pinpointing query its fair share of it), and a check that runs out FAILs with an unknown
//! reason saying so.

use crate::clock::Clock;
use crate::engine::{Engine, SolveAnswer};
use crate::examples::EXAMPLE_ACCOUNT;
use crate::incremental::SessionEngine;
use crate::pinpoint::{excluded, MAX_CHEAP_PATTERNS};
use crate::realistic::{exclusion, fill_resource, sanitize, single_valued_keys, solve, MAX_REASKS};
use crate::result::{CheckKind, CheckResult, Reason};
use iamproof_eval::{evaluate_policy, Principal, Request};
use iamproof_logic::Formula;
use iamproof_logic::{encode_policy, EncodedPolicy, StatementFormula};
use iamproof_policy::{Effect, Policy};
use std::collections::VecDeque;
use std::time::Instant;

/// A request that is not valid and could not be rewritten into a valid one, with its problem.
pub(crate) type Unrepaired = (Request, iamproof_eval::InvalidRequest);

/// What finding a valid witness for one query gave.
pub(crate) enum Found {
    /// A valid request that replays, and the statements that apply to it.
    Witness(Request, Vec<usize>),
    /// The query is unsatisfiable (asked once, with nothing excluded: a proof).
    Unsat,
    /// The engine could not decide the query (asked once).
    Unknown(String),
    /// The engine's witness does not replay: a bug (see [`Query::internal_error`]).
    Disagreement(String),
    /// The engine's witnesses were not valid requests, and neither a rewrite of them nor asking
    /// again with them excluded gave one.
    Invalid(String),
}

/// Lists undecided statements grouped by reason: `statements 1, 2: why; statement 4: other`.
pub(crate) fn group_undecided(undecided: &[(usize, String)]) -> String {
    let mut groups: Vec<(Vec<usize>, &str)> = Vec::new();
    for (i, why) in undecided {
        match groups.iter_mut().find(|(_, w)| *w == why.as_str()) {
            Some((ids, _)) => ids.push(*i),
            None => groups.push((vec![*i], why)),
        }
    }
    groups
        .iter()
        .map(|(ids, why)| {
            let list: Vec<String> = ids.iter().map(usize::to_string).collect();
            let noun = if ids.len() == 1 {
                "statement"
            } else {
                "statements"
            };
            format!("{noun} {}: {why}", list.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// What a witness must satisfy besides being allowed by the policy under test.
pub(crate) type Replay<'a> = dyn Fn(&Request) -> Result<(), String> + 'a;

/// One check, ready to run.
pub(crate) struct Query<'a> {
    pub(crate) kind: CheckKind,
    /// The policy whose statements the reasons name.
    pub(crate) policy: &'a Policy,
    pub(crate) encoded: EncodedPolicy,
    /// The property `X` of the request.
    pub(crate) extra: Formula,
    /// Tried first (conjoined) for readable witnesses; dropped if it makes the query UNSAT.
    pub(crate) preferred: Option<Formula>,
    /// What every real request satisfies (see [`realistic_request`]), conjoined with every query.
    pub(crate) realistic: Formula,
    /// The independent check of `X` on a witness.
    pub(crate) replay: Box<Replay<'a>>,
    /// Action spellings from the documents (`s3:DeleteBucket`), to show witnesses readably.
    pub(crate) spellings: Vec<String>,
    /// The account of the readable example principal (the zone's example outsider account);
    /// `None`: [`EXAMPLE_ACCOUNT`].
    pub(crate) example_account: Option<String>,
    /// When the check started (its time limit counts from here).
    pub(crate) started: Instant,
}

pub(crate) fn describe_request(r: &Request) -> String {
    serde_json::to_string(&crate::result::RequestJson(r)).unwrap_or_default()
}

impl Query<'_> {
    /// Replays a witness: allowed by the policy (through statement `stmt`, if given) per the
    /// reference evaluator, and has the property `X`.
    pub(crate) fn verify(&self, w: &Request, stmt: Option<usize>) -> Result<Vec<usize>, String> {
        let ev = evaluate_policy(self.policy, w);
        if !ev.allows() {
            return Err(format!(
                "the reference evaluator does not allow the engine's example request {}",
                describe_request(w)
            ));
        }
        if let Some(i) = stmt {
            if !ev.allow.iter().any(|m| m.statement_index == i) {
                return Err(format!(
                    "the reference evaluator says statement {i} does not apply to the engine's example request {}",
                    describe_request(w)
                ));
            }
        }
        (self.replay)(w)
            .map_err(|why| format!("the engine's example request {} {why}", describe_request(w)))?;
        Ok(ev.allow.iter().map(|m| m.statement_index).collect())
    }

    /// Decides `q` and turns its witness into a valid request that replays (statement `stmt`
    /// among the applicable Allows, if given): the witness itself when it is valid
    /// ([`Request::check_concrete`]); else a rewrite of its invalid part ([`Query::repair`]);
    /// else `q` is asked again, at most [`MAX_REASKS`] times, with the invalid values excluded.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn find(
        &self,
        engine: &dyn Engine,
        clock: &Clock,
        q: &Formula,
        stmt: Option<usize>,
        prefer: &mut bool,
        realistic: &Formula,
        axioms: &Formula,
    ) -> Found {
        let preferred = self.preferred.as_ref();
        self.find_with(
            &mut |q: &Formula| solve(engine, clock, q, preferred, prefer),
            q,
            stmt,
            realistic,
            axioms,
        )
    }

    /// [`Query::find`] with the questions asked through `ask` (an engine, or a session whose
    /// base the caller keeps; `q` is then the extra formula of the session's question).
    pub(crate) fn find_with(
        &self,
        ask: &mut dyn FnMut(&Formula) -> SolveAnswer,
        q: &Formula,
        stmt: Option<usize>,
        realistic: &Formula,
        axioms: &Formula,
    ) -> Found {
        let mut q = q.clone();
        // The invalid values, grouped by what is wrong with them, and how the last ask ended.
        let mut problems: Vec<(&'static str, Vec<String>)> = Vec::new();
        let mut ending = format!("asked {MAX_REASKS} more times, the engine gave no valid one");
        for attempt in 0..=MAX_REASKS {
            let w = match ask(&q) {
                SolveAnswer::Sat(w) => w,
                SolveAnswer::Unsat if attempt == 0 => return Found::Unsat,
                SolveAnswer::Unknown(why) if attempt == 0 => return Found::Unknown(why),
                // Every exclusion holds only requests that are not valid ([`exclusion`]), so no
                // valid request satisfies `q`: a proof, as on the first ask.
                SolveAnswer::Unsat => return Found::Unsat,
                SolveAnswer::Unknown(why) => {
                    ending = format!("asked again, the engine could not decide: {why}");
                    break;
                }
            };
            let w = self.simplify_example(w, stmt);
            if let Err(e) = self.verify(&w, stmt) {
                return Found::Disagreement(e);
            }
            let (w, bad) = match self.repair(w, stmt, realistic, axioms) {
                Ok((w, applies)) => return Found::Witness(w, applies),
                Err(bad) => *bad,
            };
            let value = format!("{} {:?}", bad.part, bad.value);
            match problems.iter_mut().find(|(why, _)| *why == bad.why) {
                Some((_, values)) => values.push(value),
                None => problems.push((bad.why, vec![value])),
            }
            q = Formula::and2(q, exclusion(&w, &bad));
        }
        let problems: Vec<String> = problems
            .iter()
            .map(|(why, values)| format!("{}: {why}", values.join(", ")))
            .collect();
        Found::Invalid(format!(
            "the engine's example requests were not valid requests ({}; {ending}); the check \
             fails because PASS must be a proof",
            problems.join("; ")
        ))
    }

    /// `w` if it is a valid request, else `w` with its invalid parts rewritten ([`rewrites`]) so
    /// that it is valid and still replays (through statement `stmt`, if given), is realistic and
    /// satisfies the request axioms; with the statements that apply to it. Otherwise the last
    /// request tried and what is wrong with it.
    pub(crate) fn repair(
        &self,
        mut w: Request,
        stmt: Option<usize>,
        realistic: &Formula,
        axioms: &Formula,
    ) -> Result<(Request, Vec<usize>), Box<Unrepaired>> {
        // Each round fixes one part; a request has at most four parts plus its context keys.
        for _ in 0..(4 + w.context.len()) {
            let bad = match w.check_concrete() {
                Ok(()) if realistic.eval(&w) && axioms.eval(&w) => match self.verify(&w, stmt) {
                    Ok(applies) => return Ok((w, applies)),
                    Err(_) => break,
                },
                Ok(()) => break,
                Err(bad) => bad,
            };
            // A part is fixed at a time: the request is realistic (a property of all its parts)
            // only once every part is valid.
            let fixed = self.rewrites(&w, &bad, stmt).into_iter().find(|c| {
                let rest = c.check_concrete();
                rest.as_ref().err().is_none_or(|e| e.part != bad.part)
                    && (rest.is_err() || (realistic.eval(c) && axioms.eval(c)))
                    && self.verify(c, stmt).is_ok()
            });
            match fixed {
                Some(c) => w = c,
                None => return Err(Box::new((w, bad))),
            }
        }
        let bad = w
            .check_concrete()
            .err()
            .unwrap_or(iamproof_eval::InvalidRequest {
                part: iamproof_eval::RequestPart::Action,
                value: w.action.clone(),
                why: "no rewrite of the request replays",
            });
        Err(Box::new((w, bad)))
    }

    /// Candidate rewrites of the invalid part of `w`: odd characters replaced by a letter (or
    /// dropped), the action spellings of the documents, `*` or the statement's resources made
    /// concrete, a readable principal, a context key dropped. Every candidate is checked by the
    /// caller; none is trusted.
    pub(crate) fn rewrites(
        &self,
        w: &Request,
        bad: &iamproof_eval::InvalidRequest,
        stmt: Option<usize>,
    ) -> Vec<Request> {
        use iamproof_eval::{ContextValue, RequestPart};
        const LETTERS: [char; 4] = ['a', 'e', 'x', 's'];
        let with = |f: &dyn Fn(&mut Request)| {
            let mut c = w.clone();
            f(&mut c);
            c
        };
        let mut out = Vec::new();
        match &bad.part {
            RequestPart::Action => {
                let action_char = |c: char| c.is_ascii_alphanumeric() || c == '-';
                // A non-ASCII character whose lowercase is an ASCII letter (the Kelvin sign `K`
                // for `k`, the long `ſ` for `s`) matches as that letter: use the letter.
                let folded: String = w
                    .action
                    .chars()
                    .map(|c| {
                        let mut lower = c.to_lowercase();
                        match (action_char(c), lower.next(), lower.next()) {
                            (false, Some(l), None) if l.is_ascii_alphanumeric() => l,
                            _ => c,
                        }
                    })
                    .collect();
                let (svc, name) = folded.split_once(':').unwrap_or(("", &folded));
                for (letter, drop) in LETTERS.iter().map(|l| (*l, false)).chain([('a', true)]) {
                    let svc = sanitize(svc, action_char, letter, drop).to_ascii_lowercase();
                    let name = sanitize(name, action_char, letter, drop);
                    if !svc.is_empty() && !name.is_empty() {
                        out.push(with(&|c| c.action = format!("{svc}:{name}")));
                    }
                }
                for a in &self.spellings {
                    out.push(with(&|c| c.action = a.clone()));
                }
            }
            RequestPart::Resource => {
                out.push(with(&|c| c.resource = "*".to_string()));
                let statements: Vec<&iamproof_policy::Statement> = match stmt {
                    Some(i) => self.policy.statements.get(i).into_iter().collect(),
                    None => self.policy.statements.iter().collect(),
                };
                let patterns = statements
                    .iter()
                    .filter_map(|s| s.resource.as_ref().filter(|r| !r.negated))
                    .flat_map(|r| r.patterns.iter())
                    .filter(|p| !p.text.contains('$') && p.text != "*")
                    .take(4 * MAX_CHEAP_PATTERNS);
                for p in patterns {
                    let r = fill_resource(&p.text);
                    out.push(with(&|c| c.resource = r.clone()));
                }
                let fields: Vec<&str> = w.resource.splitn(6, ':').collect();
                if let ["arn", p, svc, region, account, rest] = fields[..] {
                    let field = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
                    let p = if p.is_empty() || !p.chars().all(field) {
                        "aws".to_string()
                    } else {
                        p.to_string()
                    };
                    let svc = sanitize(&svc.to_ascii_lowercase(), field, 'x', false);
                    let svc = if svc.is_empty() {
                        "example".into()
                    } else {
                        svc
                    };
                    let region = sanitize(&region.to_ascii_lowercase(), field, 'x', false);
                    let account = sanitize(account, field, 'x', false);
                    let rest = sanitize(rest, |c| !c.is_control(), 'x', false);
                    let rest = if rest.is_empty() {
                        "example".into()
                    } else {
                        rest
                    };
                    let r = format!("arn:{p}:{svc}:{region}:{account}:{rest}");
                    out.push(with(&|c| c.resource = r.clone()));
                }
            }
            RequestPart::Principal => match &w.principal {
                Principal::Arn(arn) => {
                    let fields: Vec<&str> = arn.splitn(6, ':').collect();
                    if let ["arn", p, svc, _, account, rest] = fields[..] {
                        let name_char =
                            |c: char| c.is_ascii_alphanumeric() || "+=,.@_/-".contains(c);
                        let account =
                            if account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) {
                                account
                            } else {
                                self.example_account.as_deref().unwrap_or(EXAMPLE_ACCOUNT)
                            };
                        let rest = sanitize(rest, name_char, 'x', false);
                        let fixed = format!("arn:{p}:{svc}::{account}:{rest}");
                        out.push(with(&|c| c.principal = Principal::Arn(fixed.clone())));
                        let nice = format!("arn:{p}:iam::{account}:user/example");
                        out.push(with(&|c| c.principal = Principal::Arn(nice.clone())));
                    }
                }
                Principal::Service(s) => {
                    let ok = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == '-';
                    let fixed = sanitize(s, ok, 'x', false);
                    out.push(with(&|c| c.principal = Principal::Service(fixed.clone())));
                }
                Principal::Federated(s) | Principal::CanonicalUser(s) => {
                    let ok = |c: char| !c.is_control() && c != '*' && c != '?';
                    let fixed = sanitize(s, ok, 'x', false);
                    out.push(with(&|c| {
                        c.principal = match &w.principal {
                            Principal::Federated(_) => Principal::Federated(fixed.clone()),
                            _ => Principal::CanonicalUser(fixed.clone()),
                        }
                    }));
                }
                Principal::Anonymous => {}
            },
            RequestPart::ResourceAccount => {
                out.push(with(&|c| c.resource_account = None));
                let account = self
                    .example_account
                    .clone()
                    .unwrap_or_else(|| EXAMPLE_ACCOUNT.to_string());
                out.push(with(&|c| c.resource_account = Some(account.clone())));
            }
            RequestPart::Context(k) => {
                out.push(with(&|c| {
                    c.context.remove(k);
                }));
                let clean = |v: &str| sanitize(v, |c| !c.is_control(), 'x', false);
                let fixed = match w.context.get(k) {
                    Some(ContextValue::Single(v)) => Some(ContextValue::Single(clean(v))),
                    Some(ContextValue::Multi(vs)) => {
                        Some(ContextValue::Multi(vs.iter().map(|v| clean(v)).collect()))
                    }
                    None => None,
                };
                if let Some(v) = fixed {
                    let key = if k.chars().any(char::is_control) {
                        sanitize(k, |c| !c.is_control(), 'x', false)
                    } else {
                        k.clone()
                    };
                    out.push(with(&|c| {
                        c.context.remove(k);
                        c.context.insert(&key, v.clone());
                    }));
                }
            }
        }
        out
    }

    pub(crate) fn internal_error(
        &self,
        mut reasons: Vec<Reason>,
        detail: String,
        engine: &dyn Engine,
    ) -> CheckResult {
        reasons.push(Reason::general(format!(
            "Internal disagreement between the engine and the reference evaluator ({detail}); this is a bug in iamproof. The check fails because PASS must be a proof."
        )));
        let mut r = CheckResult::fail(self.kind, reasons);
        r.internal_error = Some(detail);
        r.engine = Some(engine.name());
        r
    }

    /// What every request of this check must be: [`Query::realistic`] and the keys AWS
    /// documents as single-valued (of the policy and the property) single.
    pub(crate) fn realistic_constraints(&self) -> Formula {
        Formula::and2(
            self.realistic.clone(),
            single_valued_keys(&Formula::and2(
                Formula::or2(self.encoded.allow.clone(), self.encoded.deny.clone()),
                self.extra.clone(),
            )),
        )
    }

    pub(crate) fn run(self, engine: &dyn Engine) -> CheckResult {
        let clock = Clock::start(engine, self.started);
        let realistic = self.realistic_constraints();
        let goal = Formula::and([self.encoded.allows(), self.extra.clone(), realistic.clone()]);
        let axioms = iamproof_logic::request_axioms(&goal.vars());
        let mut prefer = true;
        let preferred = self.preferred.as_ref();
        let not_denied = Formula::not(self.encoded.deny.clone());
        // Every question of the check (the decision query `allow ∧ ¬deny ∧ X ∧ realistic`, then
        // the statements' `applies_i ∧ ¬deny ∧ X ∧ realistic`) shares `¬deny ∧ X ∧ realistic`
        // (as the realistic solve asks them: with the derived keys replaced): one engine
        // session about it, so what the decision query learnt serves the pinpointing.
        let shared = iamproof_logic::derive_principal_keys(&Formula::and([
            not_denied.clone(),
            self.extra.clone(),
            realistic.clone(),
        ]));
        let pin = SessionEngine::new(engine, &shared);
        let (first, applies) =
            match self.find(&pin, &clock, &goal, None, &mut prefer, &realistic, &axioms) {
                Found::Witness(w, applies) => (w, applies),
                Found::Unsat => {
                    let mut r = CheckResult::pass(self.kind);
                    r.engine = Some(engine.name());
                    return r;
                }
                Found::Unknown(why) | Found::Invalid(why) => {
                    let mut r = CheckResult::unknown(self.kind, &why);
                    r.engine = Some(engine.name());
                    return r;
                }
                Found::Disagreement(e) => return self.internal_error(Vec::new(), e, engine),
            };
        let n = self.policy.statements.len();
        let mut witness: Vec<Option<Request>> = vec![None; n];
        let cover = |witness: &mut Vec<Option<Request>>, w: &Request, applies: &[usize]| {
            for &i in applies {
                if let Some(slot) = witness.get_mut(i) {
                    if slot.is_none() {
                        *slot = Some(w.clone());
                    }
                }
            }
        };
        cover(&mut witness, &first, &applies);
        // The witnesses cheap candidates are built from: the first and the latest.
        let mut bases: Vec<Request> = vec![first];
        // Pinpointing: statement `i` is responsible iff `applies_i ∧ ¬deny ∧ X` is SAT. Every
        // replayed witness shows all the statements that apply to it responsible (the
        // evaluator's applicable Allows, the same as `applies_i` on the witness), so only the
        // statements no witness covers yet are asked, one at a time: a query narrowed to one
        // statement's actions is far easier than the joint `(∨ applies_i) ∧ ¬deny ∧ X` (measured
        // on AWS managed policies with the native solver: ~10x slower jointly).
        // Each query gets a fair share of the time left (time left / statements left); a
        // statement that runs out of its share is asked again, once, with the time left after all
        // the others, so one hard statement does not starve the rest.
        let mut left: VecDeque<&StatementFormula> = self
            .encoded
            .statements
            .iter()
            .filter(|st| {
                st.effect == Effect::Allow && witness.get(st.index).is_some_and(Option::is_none)
            })
            .collect();
        let mut undecided: Vec<(usize, String)> = Vec::new();
        let mut retry: VecDeque<&StatementFormula> = VecDeque::new();
        let mut retried = false;
        let started = Instant::now();
        let budget = engine.pinpoint_budget();
        loop {
            if left.is_empty() {
                if retried || retry.is_empty() {
                    break;
                }
                retried = true;
                left = std::mem::take(&mut retry);
            }
            let spent = if clock.expired() {
                Some(clock.reason())
            } else if budget.is_some_and(|b| started.elapsed() > b) {
                Some("time budget spent".to_string())
            } else {
                None
            };
            if let Some(why) = spent {
                undecided.extend(
                    left.drain(..)
                        .chain(retry.drain(..))
                        .map(|st| (st.index, why.clone())),
                );
                break;
            }
            let part = clock.share(u32::try_from(left.len()).unwrap_or(u32::MAX));
            let Some(st) = left.pop_front() else {
                continue;
            };
            if excluded(&self.extra, &st.applies) {
                // `applies_i ∧ X` is unsatisfiable on sight: not responsible
                continue;
            }
            // A witness for this statement built from one already found, without a solver call.
            let cheap = self
                .cheap_candidates(st.index, &bases)
                .into_iter()
                .find(|c| {
                    c.check_concrete().is_ok()
                        && realistic.eval(c)
                        && axioms.eval(c)
                        && (!prefer || preferred.is_none_or(|p| p.eval(c)))
                        && self.verify(c, Some(st.index)).is_ok()
                });
            if let Some(w) = cheap {
                if let Ok(applies) = self.verify(&w, Some(st.index)) {
                    left.retain(|s| !applies.contains(&s.index));
                    retry.retain(|s| !applies.contains(&s.index));
                    cover(&mut witness, &w, &applies);
                    continue;
                }
            }
            let q = Formula::and([
                st.applies.clone(),
                not_denied.clone(),
                self.extra.clone(),
                realistic.clone(),
            ]);
            let found = self.find(
                &pin,
                &part,
                &q,
                Some(st.index),
                &mut prefer,
                &realistic,
                &axioms,
            );
            match found {
                Found::Unsat => {}
                Found::Unknown(_) if !retried && part.part_expired() && !clock.expired() => {
                    retry.push_back(st)
                }
                Found::Unknown(why) | Found::Invalid(why) => undecided.push((st.index, why)),
                Found::Witness(w, applies) => {
                    if bases.len() > 1 {
                        bases.pop();
                    }
                    bases.push(w.clone());
                    left.retain(|s| !applies.contains(&s.index));
                    retry.retain(|s| !applies.contains(&s.index));
                    cover(&mut witness, &w, &applies);
                }
                Found::Disagreement(e) => {
                    let reasons = self.reasons(&witness);
                    return self.internal_error(reasons, e, engine);
                }
            }
        }
        undecided.sort_by_key(|(i, _)| *i);
        let witness = self.simplify_all(witness, &axioms, &realistic);
        let reasons = self.reasons(&witness);
        if reasons.is_empty() {
            return self.internal_error(
                Vec::new(),
                "the query is satisfiable but no statement grants the access".into(),
                engine,
            );
        }
        let mut r = CheckResult::fail(self.kind, reasons);
        r.engine = Some(engine.name());
        if !undecided.is_empty() {
            r.unknown_reason = Some(format!(
                "whether these statements also grant the access could not be decided: {}",
                group_undecided(&undecided)
            ));
        }
        r
    }

    pub(crate) fn reasons(&self, witness: &[Option<Request>]) -> Vec<Reason> {
        self.policy
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Allow)
            .filter_map(|s| {
                let w = witness.get(s.index)?.clone()?;
                let mut reason = Reason::for_statement(self.kind, s, Some(w.clone()));
                if self.kind == CheckKind::NoExternalAccess {
                    if let Principal::Arn(a) = &w.principal {
                        reason
                            .description
                            .push_str(&format!(" Example principal: {a}."));
                    }
                }
                Some(reason)
            })
            .collect()
    }
}

pub(crate) fn encode(
    policy: &Policy,
    kind: CheckKind,
    what: &str,
) -> Result<EncodedPolicy, Box<CheckResult>> {
    encode_policy(policy).map_err(|e| {
        Box::new(CheckResult::unknown(
            kind,
            &format!("the {what} could not be encoded: {e}"),
        ))
    })
}

#[cfg(test)]
mod tests;
