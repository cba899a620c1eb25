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
//!    shows them responsible), so a policy whose statements overlap needs few queries.
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

use crate::access::AccessSpec;
use crate::engine::{Engine, SolveAnswer};
use crate::resource_type::ResourceType;
use crate::result::{CheckKind, CheckResult, Reason};
use crate::zone::{TrustZone, Zone};
use iamproof_eval::matching::{action_matches, arn_like, glob_pattern};
use iamproof_eval::{evaluate_policy, Principal, Request};
use iamproof_logic::encode::{encode_policy, EncodedPolicy, StatementFormula};
use iamproof_logic::{Formula, Glob, Key, MatchMode, PatternSet, Var};
use iamproof_policy::{Effect, Policy};
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// The account of the readable principal shown in examples for identity policies
/// (`arn:aws:iam::111122223333:user/example`) when the check has no account of its own.
pub const EXAMPLE_ACCOUNT: &str = "111122223333";

/// At most this many actions and resources of a statement make cheap witness candidates.
const MAX_CHEAP_PATTERNS: usize = 4;

/// A resource pattern made a concrete resource: a wildcard region `us-east-1`, a wildcard account
/// [`EXAMPLE_ACCOUNT`], other `*` `example` and `?` `x` (the result is replayed, never trusted).
fn fill_resource(pattern: &str) -> String {
    let fill = |f: &str| f.replace('*', "example").replace('?', "x");
    let fields: Vec<&str> = pattern.splitn(6, ':').collect();
    match fields[..] {
        ["arn", p, svc, region, account, rest] => {
            let region = if region.contains(['*', '?']) {
                "us-east-1".to_string()
            } else {
                region.to_string()
            };
            let account = if account.contains(['*', '?']) {
                EXAMPLE_ACCOUNT.to_string()
            } else {
                account.to_string()
            };
            format!(
                "arn:{}:{}:{region}:{account}:{}",
                fill(p),
                fill(svc),
                fill(rest)
            )
        }
        _ => fill(pattern),
    }
}

/// At most this many values of a multi-valued key are tried alone when simplifying an example.
const MAX_VALUES_TRIED: usize = 16;

/// At most this many times a query is asked again, with the invalid values its engine answered
/// excluded, when its witness is not a valid request and no rewrite of it is.
const MAX_REASKS: usize = 3;

/// The ASCII control characters: never in a request's action, resource or principal.
fn control_chars() -> Vec<char> {
    ('\0'..='\x1f').chain(['\x7f']).collect()
}

/// `value` with every character `ok` rejects replaced by `with` (`drop`: removed instead).
fn sanitize(value: &str, ok: impl Fn(char) -> bool, with: char, drop: bool) -> String {
    value
        .chars()
        .filter_map(|c| match (ok(c), drop) {
            (true, _) => Some(c),
            (false, true) => None,
            (false, false) => Some(with),
        })
        .collect()
}

/// A formula that excludes the invalid part of `w`: its exact value, and for actions,
/// resources and principals every value with a character of the class that made it invalid
/// (for actions: any ASCII character other than letters, digits, `:` and `-`; for resources and
/// principals: control characters, and for principals wildcards too). Only invalid requests
/// are excluded, so a query asked again with it still has every valid request.
fn exclusion(w: &Request, bad: &iamproof_eval::InvalidRequest) -> Formula {
    use iamproof_eval::RequestPart;
    use iamproof_logic::GlobPart;
    let containing = |var: Var, chars: Vec<char>| {
        Formula::not(Formula::matches(
            var,
            PatternSet::new(
                MatchMode::Glob,
                vec![Glob::from_parts(vec![
                    GlobPart::AnyRun,
                    GlobPart::OneOf(chars),
                    GlobPart::AnyRun,
                ])],
            ),
        ))
    };
    let not_equal = |var: Var, mode: MatchMode, value: &str| {
        Formula::not(Formula::matches(
            var,
            PatternSet::new(mode, vec![Glob::literal(value)]),
        ))
    };
    match &bad.part {
        RequestPart::Action => {
            let mut odd: Vec<char> = ('\0'..='\x7f')
                .filter(|c| !c.is_ascii_alphanumeric() && *c != ':' && *c != '-')
                .collect();
            odd.sort_unstable();
            Formula::and2(
                not_equal(Var::Action, MatchMode::ExactIgnoreCase, &w.action),
                containing(Var::Action, odd),
            )
        }
        RequestPart::Resource => Formula::and2(
            not_equal(Var::Resource, MatchMode::Exact, &w.resource),
            containing(Var::Resource, control_chars()),
        ),
        RequestPart::Principal => match &w.principal {
            Principal::Arn(a) => {
                let mut odd = control_chars();
                odd.extend(['*', '?']);
                odd.sort_unstable();
                Formula::and2(
                    not_equal(Var::Principal, MatchMode::Exact, a),
                    containing(Var::Principal, odd),
                )
            }
            Principal::Service(s) | Principal::Federated(s) | Principal::CanonicalUser(s) => {
                not_equal(Var::Principal, MatchMode::Exact, s)
            }
            Principal::Anonymous => Formula::tt(),
        },
        RequestPart::ResourceAccount | RequestPart::Context(_) => Formula::tt(),
    }
}

/// A request that is not valid and could not be rewritten into a valid one, with its problem.
type Unrepaired = (Request, iamproof_eval::InvalidRequest);

/// What finding a valid witness for one query gave.
enum Found {
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
fn group_undecided(undecided: &[(usize, String)]) -> String {
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
type Replay<'a> = dyn Fn(&Request) -> Result<(), String> + 'a;

/// One check, ready to run.
struct Query<'a> {
    kind: CheckKind,
    /// The policy whose statements the reasons name.
    policy: &'a Policy,
    encoded: EncodedPolicy,
    /// The property `X` of the request.
    extra: Formula,
    /// Tried first (conjoined) for readable witnesses; dropped if it makes the query UNSAT.
    preferred: Option<Formula>,
    /// What every real request satisfies (see [`realistic_request`]), conjoined with every query.
    realistic: Formula,
    /// The independent check of `X` on a witness.
    replay: Box<Replay<'a>>,
    /// Action spellings from the documents (`s3:DeleteBucket`), to show witnesses readably.
    spellings: Vec<String>,
    /// The account of the readable example principal (the zone's example outsider account);
    /// `None`: [`EXAMPLE_ACCOUNT`].
    example_account: Option<String>,
    /// When the check started (its time limit counts from here).
    started: Instant,
}

/// The literal (wildcard-free) action names the policies and access spec write.
fn action_spellings(policies: &[&Policy], extra: &[String]) -> Vec<String> {
    let mut out: Vec<String> = extra
        .iter()
        .filter(|a| !a.contains(['*', '?']))
        .cloned()
        .collect();
    for p in policies {
        for st in &p.statements {
            for a in &st.action.patterns {
                if !a.text.contains(['*', '?']) {
                    out.push(a.text.clone());
                }
            }
        }
    }
    out
}

/// The condition keys a formula mentions.
fn keys_of(f: &Formula) -> Vec<Key> {
    f.vars()
        .into_iter()
        .filter_map(|v| match v {
            Var::Key(k) => Some(k),
            _ => None,
        })
        .collect()
}

/// The keys AWS derives from the principal (`iamproof_eval::effective_context`); a witness that
/// gives them inconsistently is repaired by dropping them and letting them be derived.
const DERIVED_KEYS: &[&str] = &[
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principaltype",
    "aws:username",
    "aws:userid",
    "aws:principalisawsservice",
    "aws:principalservicename",
    "aws:principalservicenameslist",
];

/// The time budget of one check ([`Engine::time_limit`]), counted from the start of the check,
/// or of a part of it (a share of the time left, see [`Clock::share`]).
#[derive(Debug, Clone, Copy)]
struct Clock {
    /// The check's limit (for messages); `None`: no limit.
    limit: Option<Duration>,
    /// When the whole check must end.
    end: Option<Instant>,
    /// When this part of the check must end (never after `end`).
    part_end: Option<Instant>,
}

/// A duration as people write it: `30 s`, `250 ms`, `1.5 s`.
fn show_duration(d: Duration) -> String {
    if d.subsec_nanos() == 0 {
        format!("{} s", d.as_secs())
    } else if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

impl Clock {
    fn start(engine: &dyn Engine, started: Instant) -> Self {
        let limit = engine.time_limit();
        let end = limit.map(|l| started + l);
        Clock {
            limit,
            end,
            part_end: end,
        }
    }

    /// A part of this part that may take `1/parts` of the time it has left.
    fn share(&self, parts: u32) -> Clock {
        let now = Instant::now();
        let part_end = self
            .part_end
            .map(|e| now + e.saturating_duration_since(now) / parts.max(1));
        Clock { part_end, ..*self }
    }

    /// Whether the whole check has run out of time.
    fn expired(&self) -> bool {
        self.end.is_some_and(|e| Instant::now() >= e)
    }

    /// Whether this part has run out of time.
    fn part_expired(&self) -> bool {
        self.part_end.is_some_and(|e| Instant::now() >= e)
    }

    /// The unknown reason of a check (or part) that ran out of time.
    fn reason(&self) -> String {
        let limit = self
            .limit
            .map(|l| format!(" ({})", show_duration(l)))
            .unwrap_or_default();
        if self.expired() {
            format!("the time limit of the check{limit} was reached")
        } else {
            format!("its share of the time limit of the check{limit} ran out")
        }
    }

    /// One solver call with the time this part has left.
    fn ask(&self, engine: &dyn Engine, f: &Formula) -> SolveAnswer {
        let Some(part_end) = self.part_end else {
            return engine.solve(f);
        };
        let left = part_end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return SolveAnswer::Unknown(self.reason());
        }
        match engine.solve_within(f, left) {
            SolveAnswer::Unknown(_) if self.part_expired() => SolveAnswer::Unknown(self.reason()),
            other => other,
        }
    }
}

/// Decides `goal` for requests AWS could produce. The request axioms of `iamproof-logic` (which
/// link the principal and the keys derived from it) are only added when a witness violates them:
/// `goal` alone UNSAT already proves `goal ∧ axioms` UNSAT, and a witness that satisfies them (or
/// does once its derived keys are dropped) is realistic as it is.
fn solve_realistic(engine: &dyn Engine, clock: &Clock, goal: &Formula) -> SolveAnswer {
    let w = match clock.ask(engine, goal) {
        SolveAnswer::Sat(w) => w,
        other => return other,
    };
    let axioms = iamproof_logic::axioms::request_axioms(&goal.vars());
    if axioms.eval(&w) {
        return SolveAnswer::Sat(w);
    }
    for candidate in repairs(&w) {
        if goal.eval(&candidate) && axioms.eval(&candidate) {
            return SolveAnswer::Sat(candidate);
        }
    }
    clock.ask(engine, &Formula::and2(goal.clone(), axioms))
}

/// Realistic variants of a witness whose principal and derived keys disagree: the keys derived
/// from its principal; the principal named by its `aws:PrincipalArn`; its principal moved to the
/// account of its `aws:PrincipalAccount`.
fn repairs(w: &Request) -> Vec<Request> {
    use iamproof_eval::ContextValue;
    let strip = |r: &mut Request| {
        for k in DERIVED_KEYS {
            r.context.remove(k);
        }
    };
    let single = |k: &str| match w.context.get(k) {
        Some(ContextValue::Single(v)) => Some(v.clone()),
        _ => None,
    };
    let mut out = Vec::new();
    let mut derived = w.clone();
    strip(&mut derived);
    out.push(derived);
    if let Some(arn) = single("aws:PrincipalArn") {
        let mut r = w.clone();
        strip(&mut r);
        r.principal = Principal::Arn(arn.clone());
        out.push(r);
        // A role's ARN is what its sessions present: call as a session of that role.
        let fields: Vec<&str> = arn.splitn(6, ':').collect();
        if let ["arn", p, "iam", "", account, rest] = fields[..] {
            if let Some(name) = rest
                .strip_prefix("role/")
                .and_then(|r| r.rsplit('/').next())
            {
                let mut r = w.clone();
                strip(&mut r);
                r.context
                    .insert("aws:PrincipalArn", ContextValue::Single(arn.clone()));
                r.principal = Principal::Arn(format!(
                    "arn:{p}:sts::{account}:assumed-role/{name}/session"
                ));
                out.push(r);
            }
        }
    }
    if let (Some(account), Principal::Arn(arn)) = (single("aws:PrincipalAccount"), &w.principal) {
        let fields: Vec<&str> = arn.splitn(6, ':').collect();
        if let [a, p, svc, region, _, rest] = fields[..] {
            let mut r = w.clone();
            strip(&mut r);
            r.principal = Principal::Arn(format!("{a}:{p}:{svc}:{region}:{account}:{rest}"));
            out.push(r);
        }
    }
    out
}

/// Decides `goal`, trying `goal ∧ preferred` first (with half the time) while `*prefer` holds.
/// Every query of a check implies its first query, so once `goal ∧ preferred` is UNSAT for one
/// of them it is for all later ones: `*prefer` is then cleared and the preferred query is not
/// asked again.
fn solve(
    engine: &dyn Engine,
    clock: &Clock,
    goal: &Formula,
    preferred: Option<&Formula>,
    prefer: &mut bool,
) -> SolveAnswer {
    if let (Some(p), true) = (preferred, *prefer) {
        // At most half the time: the query without the preference must still be asked.
        let half = clock.share(2);
        match solve_realistic(engine, &half, &Formula::and2(goal.clone(), p.clone())) {
            SolveAnswer::Sat(r) => return SolveAnswer::Sat(r),
            SolveAnswer::Unsat => *prefer = false,
            SolveAnswer::Unknown(_) => {}
        }
    }
    solve_realistic(engine, clock, goal)
}

/// Keys AWS documents as single-valued never carry a set of values in a real request (spec §6;
/// `iamproof_policy::keys::GlobalKeys`). Keys the catalogue does not know stay unconstrained.
pub fn single_valued_keys(f: &Formula) -> Formula {
    use iamproof_policy::keys::{ConditionKeyCatalog, GlobalKeys};
    Formula::and(keys_of(f).into_iter().filter_map(|k| {
        let info = GlobalKeys.lookup(k.as_str())?;
        if info.multivalued {
            None
        } else {
            Some(Formula::not(Formula::atom(iamproof_logic::Atom::Multi(k))))
        }
    }))
}

/// The AWS partitions.
const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// The partitions the policies name in their ARNs (principals, resources, condition values);
/// `aws` if they name none.
fn partitions_of(policies: &[&Policy]) -> Vec<&'static str> {
    let mut found: Vec<&'static str> = Vec::new();
    let mut note = |text: &str| {
        if let Some(rest) = text.strip_prefix("arn:") {
            let part = rest.split(':').next().unwrap_or("");
            if let Some(p) = PARTITIONS.iter().find(|p| **p == part) {
                if !found.contains(p) {
                    found.push(p);
                }
            }
        }
    };
    for p in policies {
        for st in &p.statements {
            if let Some(pr) = &st.principal {
                pr.entries.iter().for_each(|e| note(&e.value));
            }
            if let Some(r) = &st.resource {
                r.patterns.iter().for_each(|x| note(&x.text));
            }
            for c in &st.conditions {
                c.values.iter().for_each(|v| note(&v.text));
            }
        }
    }
    if found.is_empty() {
        found.push("aws");
    }
    found
}

/// Requests AWS could produce, as far as the policies can tell: an IAM/STS caller has a
/// well-formed principal ARN (root, user, role, role session, federated user; 12-digit account);
/// the caller of an identity policy is an IAM/STS principal; the action is `service:Name`; the
/// resource is `*` or an ARN; and caller and resource are in one partition, one the policies
/// name (a policy lives in the partition its ARNs name; one that names none behaves the same in
/// every partition, so `aws` stands for all). Every real request satisfies this, so adding it
/// never turns a real FAIL into a PASS; it keeps `"AWS": "111122223333"` equivalent to
/// `arn:aws:iam::111122223333:root` (spec §0 corner 11) and makes witnesses readable.
pub fn realistic_request(policies: &[&Policy]) -> Formula {
    use iamproof_logic::{Atom, CallerKind, GlobPart};
    let lit = |s: &str| GlobPart::Lit(s.to_string());
    let digits = || GlobPart::OneOf(('0'..='9').collect());
    let nonempty = || [GlobPart::AnyChar, GlobPart::AnyRun];
    let per_partition = partitions_of(policies).into_iter().map(|p| {
        let shape = |svc: &str, rest: Vec<GlobPart>| {
            let mut parts = vec![lit(&format!("arn:{p}:{svc}::"))];
            parts.extend((0..12).map(|_| digits()));
            parts.push(lit(":"));
            parts.extend(rest);
            Glob::from_parts(parts)
        };
        let mut user = vec![lit("user/")];
        user.extend(nonempty());
        let mut role = vec![lit("role/")];
        role.extend(nonempty());
        let mut session = vec![lit("assumed-role/")];
        session.extend(nonempty());
        session.push(lit("/"));
        session.extend(nonempty());
        let mut fed = vec![lit("federated-user/")];
        fed.extend(nonempty());
        let principals = PatternSet::new(
            MatchMode::Arn,
            vec![
                shape("iam", vec![lit("root")]),
                shape("iam", user),
                shape("iam", role),
                shape("sts", session),
                shape("sts", fed),
            ],
        );
        let arn_caller = Formula::atom(Atom::Caller(CallerKind::Arn));
        // Names are never empty: no principal ARN ends with `/` or has `//`.
        let trailing_slash = PatternSet::new(
            MatchMode::Glob,
            vec![Glob::parse_wildcards("*/"), Glob::parse_wildcards("*//*")],
        );
        let principal_ok = Formula::implies(
            arn_caller,
            Formula::and2(
                Formula::matches(Var::Principal, principals),
                Formula::not(Formula::matches(Var::Principal, trailing_slash)),
            ),
        );
        let resources = PatternSet::new(
            MatchMode::Arn,
            vec![Glob::from_parts(vec![
                lit(&format!("arn:{p}:")),
                GlobPart::AnyRun,
                lit(":"),
                GlobPart::AnyRun,
                lit(":"),
                GlobPart::AnyRun,
                lit(":"),
                GlobPart::AnyRun,
            ])],
        );
        // The fields a request's ARN can hold (`iamproof_eval::Request::check_concrete`): a
        // service of letters, digits and `-`, a region and an account of lowercase letters,
        // digits and `-`, a non-empty resource part. Stated for ASCII; other characters are left
        // to the witness checks.
        let ascii_except = |ok: &dyn Fn(char) -> bool| -> Vec<char> {
            (' '..='~').filter(|c| *c != ':' && !ok(*c)).collect()
        };
        let svc_bad = ascii_except(&|c| c.is_ascii_alphanumeric() || c == '-');
        let field_bad = ascii_except(&|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        let bad_in = |field: usize, bad: &[char]| {
            let mut parts = vec![lit("arn:"), GlobPart::AnyRun];
            for i in 2..6 {
                parts.push(lit(":"));
                if i != field {
                    parts.push(GlobPart::AnyRun);
                } else if !bad.is_empty() {
                    parts.extend([
                        GlobPart::AnyRun,
                        GlobPart::OneOf(bad.to_vec()),
                        GlobPart::AnyRun,
                    ]);
                }
                // (an empty `bad` list: the field itself is empty)
            }
            Glob::from_parts(parts)
        };
        let malformed = PatternSet::new(
            MatchMode::Arn,
            vec![
                bad_in(2, &svc_bad),
                bad_in(3, &field_bad),
                bad_in(4, &field_bad),
                bad_in(5, &[]),
            ],
        );
        let star = PatternSet::new(MatchMode::Exact, vec![Glob::literal("*")]);
        let resource_ok = Formula::or2(
            Formula::matches(Var::Resource, star),
            Formula::and2(
                Formula::matches(Var::Resource, resources),
                Formula::not(Formula::matches(Var::Resource, malformed)),
            ),
        );
        Formula::and2(principal_ok, resource_ok)
    });
    // `service:Name`, both parts non-empty, one colon.
    let action_ok = Formula::and2(
        Formula::matches(
            Var::Action,
            PatternSet::new(
                MatchMode::Glob,
                vec![Glob::from_parts(vec![
                    GlobPart::AnyChar,
                    GlobPart::AnyRun,
                    lit(":"),
                    GlobPart::AnyChar,
                    GlobPart::AnyRun,
                ])],
            ),
        ),
        Formula::not(Formula::matches(
            Var::Action,
            PatternSet::new(MatchMode::Glob, vec![Glob::parse_wildcards("*:*:*")]),
        )),
    );
    // Identity policies are attached to IAM principals: only IAM/STS callers are evaluated
    // against them.
    let identity_only = !policies.is_empty()
        && policies
            .iter()
            .all(|p| p.policy_type == iamproof_policy::PolicyType::Identity);
    let caller_ok = if identity_only {
        Formula::atom(Atom::Caller(CallerKind::Arn))
    } else {
        Formula::tt()
    };
    Formula::and([action_ok, caller_ok, Formula::or(per_partition)])
}

fn describe_request(r: &Request) -> String {
    serde_json::to_string(&crate::result::RequestJson(r)).unwrap_or_default()
}

impl Query<'_> {
    /// Replays a witness: allowed by the policy (through statement `stmt`, if given) per the
    /// reference evaluator, and has the property `X`.
    fn verify(&self, w: &Request, stmt: Option<usize>) -> Result<Vec<usize>, String> {
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

    /// The witness with its action written as the documents write it (actions compare ignoring
    /// case, solvers answer in lowercase), if that still replays; otherwise unchanged.
    fn prettify(&self, w: Request, stmt: Option<usize>) -> Request {
        let Some(spelling) = self
            .spellings
            .iter()
            .find(|a| a.eq_ignore_ascii_case(&w.action) && **a != w.action)
        else {
            return w;
        };
        let mut nice = w.clone();
        nice.action = spelling.clone();
        if iamproof_eval::check_action(&nice.action).is_ok() && self.verify(&nice, stmt).is_ok() {
            nice
        } else {
            w
        }
    }

    /// Decides `q` and turns its witness into a valid request that replays (statement `stmt`
    /// among the applicable Allows, if given): the witness itself when it is valid
    /// ([`Request::check_concrete`]); else a rewrite of its invalid part ([`Query::repair`]);
    /// else `q` is asked again, at most [`MAX_REASKS`] times, with the invalid values excluded.
    #[allow(clippy::too_many_arguments)]
    fn find(
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
        let mut q = q.clone();
        // The invalid values, grouped by what is wrong with them, and how the last ask ended.
        let mut problems: Vec<(&'static str, Vec<String>)> = Vec::new();
        let mut ending = format!("asked {MAX_REASKS} more times, the engine gave no valid one");
        for attempt in 0..=MAX_REASKS {
            let w = match solve(engine, clock, &q, preferred, prefer) {
                SolveAnswer::Sat(w) => w,
                SolveAnswer::Unsat if attempt == 0 => return Found::Unsat,
                SolveAnswer::Unknown(why) if attempt == 0 => return Found::Unknown(why),
                SolveAnswer::Unsat => {
                    ending = "asked again with them excluded, the engine found no request".into();
                    break;
                }
                SolveAnswer::Unknown(why) => {
                    ending = format!("asked again, the engine could not decide: {why}");
                    break;
                }
            };
            let w = self.prettify(w, stmt);
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
    fn repair(
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
    fn rewrites(
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

    fn internal_error(
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

    fn run(self, engine: &dyn Engine) -> CheckResult {
        let clock = Clock::start(engine, self.started);
        let realistic = Formula::and2(
            self.realistic.clone(),
            single_valued_keys(&Formula::and2(
                Formula::or2(self.encoded.allow.clone(), self.encoded.deny.clone()),
                self.extra.clone(),
            )),
        );
        let goal = Formula::and([self.encoded.allows(), self.extra.clone(), realistic.clone()]);
        let axioms = iamproof_logic::axioms::request_axioms(&goal.vars());
        let mut prefer = true;
        let preferred = self.preferred.as_ref();
        let (first, applies) = match self.find(
            engine,
            &clock,
            &goal,
            None,
            &mut prefer,
            &realistic,
            &axioms,
        ) {
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
        let not_denied = Formula::not(self.encoded.deny.clone());
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
                engine,
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

    /// Candidate witnesses for statement `index` built from witnesses already found: each with
    /// one of the statement's literal actions and a resource its `Resource` element names (`*`
    /// and `?` filled in, region and account fields with readable values), or the witness's own
    /// resource for `"*"` and `NotResource`. The caller replays each through the evaluator like
    /// a solver's witness, so a candidate only ever adds a genuine witness. Bounded: at most
    /// [`MAX_CHEAP_PATTERNS`] actions and resources per witness; `NotAction` statements and
    /// resources with policy variables give none.
    fn cheap_candidates(&self, index: usize, bases: &[Request]) -> Vec<Request> {
        let Some(st) = self.policy.statements.get(index) else {
            return Vec::new();
        };
        if st.action.negated {
            return Vec::new();
        }
        let actions: Vec<&str> = st
            .action
            .patterns
            .iter()
            .map(|p| p.text.as_str())
            .filter(|a| !a.contains(['*', '?']))
            .take(MAX_CHEAP_PATTERNS)
            .collect();
        let resources: Vec<Option<String>> = match &st.resource {
            Some(c) if !c.negated => c
                .patterns
                .iter()
                .filter(|p| !p.text.contains('$'))
                .take(MAX_CHEAP_PATTERNS)
                .map(|p| (p.text != "*").then(|| fill_resource(&p.text)))
                .collect(),
            _ => vec![None],
        };
        let mut out = Vec::new();
        for base in bases {
            for a in &actions {
                for r in &resources {
                    let mut c = base.clone();
                    c.action = (*a).to_string();
                    if let Some(r) = r {
                        c.resource = r.clone();
                    }
                    out.push(c);
                }
            }
        }
        out
    }

    /// Every example made more readable ([`Query::simplify`]); equal witnesses are simplified
    /// once.
    fn simplify_all(
        &self,
        witness: Vec<Option<Request>>,
        axioms: &Formula,
        realistic: &Formula,
    ) -> Vec<Option<Request>> {
        let mut done: Vec<(Request, Request)> = Vec::new();
        witness
            .into_iter()
            .map(|slot| {
                let w = slot?;
                if let Some((_, nice)) = done.iter().find(|(raw, _)| *raw == w) {
                    return Some(nice.clone());
                }
                let nice = self.simplify(w.clone(), axioms, realistic);
                done.push((w, nice.clone()));
                Some(nice)
            })
            .collect()
    }

    /// A more readable example with the same verdicts: for identity policies, a user ARN instead
    /// of the solver's principal (see [`EXAMPLE_ACCOUNT`]); then, one pass over the context
    /// keys, each key dropped (or a multi-valued key cut to one of its values) when that keeps
    /// the request allowed through the same statements, the property `X` (the existing policy's
    /// verdict for no-new-access), and the request realistic. Otherwise the witness unchanged.
    fn simplify(&self, w: Request, axioms: &Formula, realistic: &Formula) -> Request {
        use iamproof_eval::ContextValue;
        let Ok(mut target) = self.verify(&w, None) else {
            return w;
        };
        target.sort_unstable();
        target.dedup();
        let same = |c: &Request| {
            c.check_concrete().is_ok()
                && realistic.eval(c)
                && axioms.eval(c)
                && self.verify(c, None).is_ok_and(|mut a| {
                    a.sort_unstable();
                    a.dedup();
                    a == target
                })
        };
        let mut best = w;
        if self.policy.policy_type == iamproof_policy::PolicyType::Identity {
            if let Some(c) = self
                .readable_principals(&best)
                .into_iter()
                .find(|c| same(c))
            {
                best = c;
            }
        }
        let keys: Vec<String> = best.context.iter().map(|(k, _)| k.to_string()).collect();
        for k in keys {
            let mut c = best.clone();
            let Some(value) = c.context.remove(&k) else {
                continue;
            };
            if same(&c) {
                best = c;
                continue;
            }
            if let ContextValue::Multi(values) = value {
                if values.len() > 1 {
                    for v in values.iter().take(MAX_VALUES_TRIED) {
                        c.context.insert(&k, ContextValue::Multi(vec![v.clone()]));
                        if same(&c) {
                            best = c;
                            break;
                        }
                    }
                }
            }
        }
        best
    }

    /// `arn:<partition>:iam::<account>:user/example` in place of the witness's IAM/STS
    /// principal, with the check's example account or [`EXAMPLE_ACCOUNT`]: as is, and with the
    /// keys derived from the principal dropped (so they are derived from the new one).
    fn readable_principals(&self, w: &Request) -> Vec<Request> {
        let Principal::Arn(arn) = &w.principal else {
            return Vec::new();
        };
        let partition = match arn.split(':').collect::<Vec<_>>()[..] {
            ["arn", p, "iam" | "sts", ..] if !p.is_empty() => p,
            _ => return Vec::new(),
        };
        let account = self.example_account.as_deref().unwrap_or(EXAMPLE_ACCOUNT);
        let nice = format!("arn:{partition}:iam::{account}:user/example");
        if *arn == nice {
            return Vec::new();
        }
        let mut plain = w.clone();
        plain.principal = Principal::Arn(nice);
        let mut derived = plain.clone();
        for k in DERIVED_KEYS {
            derived.context.remove(k);
        }
        if derived == plain {
            vec![plain]
        } else {
            vec![plain, derived]
        }
    }

    fn reasons(&self, witness: &[Option<Request>]) -> Vec<Reason> {
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

fn encode(policy: &Policy, kind: CheckKind, what: &str) -> Result<EncodedPolicy, Box<CheckResult>> {
    encode_policy(policy).map_err(|e| {
        Box::new(CheckResult::unknown(
            kind,
            &format!("the {what} could not be encoded: {e}"),
        ))
    })
}

/// `check-no-new-access` on an engine (see [`crate::check_no_new_access`]).
pub fn check_no_new_access_with(
    existing: &Policy,
    new: &Policy,
    engine: &dyn Engine,
) -> CheckResult {
    let started = Instant::now();
    let kind = CheckKind::NoNewAccess;
    let old = match encode(existing, kind, "existing policy") {
        Ok(e) => e,
        Err(r) => return *r,
    };
    let encoded = match encode(new, kind, "new policy") {
        Ok(e) => e,
        Err(r) => return *r,
    };
    Query {
        kind,
        policy: new,
        encoded,
        extra: Formula::not(old.allows()),
        preferred: None,
        realistic: realistic_request(&[existing, new]),
        spellings: action_spellings(&[new, existing], &[]),
        example_account: None,
        started,
        replay: Box::new(move |w: &Request| {
            if evaluate_policy(existing, w).allows() {
                Err("is also allowed by the existing policy".into())
            } else {
                Ok(())
            }
        }),
    }
    .run(engine)
}

/// The formula "the request is one of the listed accesses" (actions only: the action on any
/// resource; resources only: any action on the resource; both: a listed action on a listed
/// resource).
pub fn access_formula(access: &AccessSpec) -> Formula {
    let actions = if access.actions.is_empty() || access.actions.iter().any(|a| a == "*") {
        Formula::tt()
    } else {
        Formula::matches(
            Var::Action,
            PatternSet::new(
                MatchMode::Action,
                access
                    .actions
                    .iter()
                    .map(|a| Glob::parse_wildcards(a))
                    .collect(),
            ),
        )
    };
    let resources = if access.resources.is_empty() {
        Formula::tt()
    } else {
        Formula::matches(
            Var::Resource,
            PatternSet::new(
                MatchMode::Arn,
                access
                    .resources
                    .iter()
                    .map(|r| Glob::parse_wildcards(r))
                    .collect(),
            ),
        )
    };
    Formula::and2(actions, resources)
}

/// Whether a concrete request is one of the listed accesses, by the reference evaluator's own
/// matching functions (independent of [`access_formula`]).
pub fn access_matches(access: &AccessSpec, r: &Request) -> bool {
    let action_ok =
        access.actions.is_empty() || access.actions.iter().any(|a| action_matches(a, &r.action));
    let resource_ok = access.resources.is_empty()
        || access
            .resources
            .iter()
            .any(|p| arn_like(&glob_pattern(p), &r.resource));
    action_ok && resource_ok
}

/// `check-access-not-granted` on an engine (see [`crate::check_access_not_granted`]).
pub fn check_access_not_granted_with(
    policy: &Policy,
    access: &AccessSpec,
    engine: &dyn Engine,
) -> CheckResult {
    let started = Instant::now();
    let kind = CheckKind::AccessNotGranted {
        with_resources: access.has_resources(),
    };
    let encoded = match encode(policy, kind, "policy") {
        Ok(e) => e,
        Err(r) => return *r,
    };
    Query {
        kind,
        policy,
        encoded,
        extra: access_formula(access),
        preferred: None,
        realistic: realistic_request(&[policy]),
        spellings: action_spellings(&[policy], &access.actions),
        example_account: None,
        started,
        replay: Box::new(move |w: &Request| {
            if access_matches(access, w) {
                Ok(())
            } else {
                Err("is not one of the listed actions/resources".into())
            }
        }),
    }
    .run(engine)
}

fn zone_query(kind: CheckKind, policy: &Policy, zone: Zone, engine: &dyn Engine) -> CheckResult {
    let started = Instant::now();
    let encoded = match encode(policy, kind, "policy") {
        Ok(e) => e,
        Err(r) => return *r,
    };
    let keys = keys_of(&Formula::or2(encoded.allow.clone(), encoded.deny.clone()));
    // Every action the policy allows counts; examples prefer the resource type's own service.
    let extra = zone.outsider(&keys);
    let (example_account, preferred) = match zone.preferred_caller() {
        Some((account, f)) => (
            Some(account),
            Some(Formula::and2(f, zone.relevant_action())),
        ),
        None => (None, Some(zone.relevant_action())),
    };
    let check = extra.clone();
    Query {
        kind,
        policy,
        encoded,
        extra,
        preferred,
        realistic: realistic_request(&[policy]),
        spellings: action_spellings(&[policy], &[]),
        example_account,
        started,
        replay: Box::new(move |w: &Request| {
            if !check.eval(w) {
                Err("is not made by an outsider".into())
            } else {
                Ok(())
            }
        }),
    }
    .run(engine)
}

/// `check-no-public-access` on an engine (see [`crate::check_no_public_access`]).
pub fn check_no_public_access_with(
    policy: &Policy,
    resource_type: ResourceType,
    engine: &dyn Engine,
) -> CheckResult {
    let zone = Zone::public(policy, resource_type);
    zone_query(CheckKind::NoPublicAccess, policy, zone, engine)
}

/// `check-no-external-access` on an engine (see [`crate::check_no_external_access`]).
pub fn check_no_external_access_with(
    policy: &Policy,
    resource_type: ResourceType,
    trusted: &TrustZone,
    engine: &dyn Engine,
) -> CheckResult {
    let zone = Zone::external(resource_type, trusted);
    zone_query(CheckKind::NoExternalAccess, policy, zone, engine)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::PoolEngine;
    use crate::result::Verdict;
    use iamproof_eval::Context;
    use iamproof_policy::{parse_policy, PolicyType};

    /// Answers `Sat` with the same request, whatever the formula: a broken engine.
    struct LyingEngine(Request);
    impl Engine for LyingEngine {
        fn name(&self) -> String {
            "lying".into()
        }
        fn solve(&self, _: &Formula) -> SolveAnswer {
            SolveAnswer::Sat(self.0.clone())
        }
    }

    struct UnknownEngine;
    impl Engine for UnknownEngine {
        fn name(&self) -> String {
            "unknown".into()
        }
        fn solve(&self, _: &Formula) -> SolveAnswer {
            SolveAnswer::Unknown("timeout after 1 s".into())
        }
    }

    fn req(principal: &str, action: &str, resource: &str) -> Request {
        Request {
            principal: Principal::Arn(principal.into()),
            action: action.into(),
            resource: resource.into(),
            resource_account: None,
            context: Context::new(),
        }
    }

    const DEV_POLICY: &str = r#"{
   "Version": "2012-10-17",
   "Statement": [
      {
         "Effect": "Allow",
         "Action": [
            "ec2:DescribeInstance*",
            "ec2:StartInstances",
            "ec2:StopInstances"
         ],
         "Resource": "arn:aws:ec2:*:*:instance/*"
      },
      {
         "Effect": "Allow",
         "Action": [
            "s3:GetObject*",
            "s3:PutObject",
            "s3:DeleteBucket"
         ],
         "Resource": "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"
      }
   ]
}"#;

    fn pool() -> PoolEngine {
        let who = "arn:aws:iam::111122223333:user/dev";
        PoolEngine {
            pool: vec![
                req(
                    who,
                    "ec2:StartInstances",
                    "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
                ),
                req(who, "s3:GetObject", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/k"),
                req(who, "s3:DeleteBucket", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/k"),
                req(who, "s3:DeleteBucket", "arn:aws:s3:::DOC-EXAMPLE-BUCKET"),
            ],
        }
    }

    #[test]
    fn access_not_granted_pinpoints_the_seed_statement() {
        let p = parse_policy(DEV_POLICY, PolicyType::Identity).unwrap();
        let access = AccessSpec::new(vec!["s3:DeleteBucket".into()], vec![]).unwrap();
        let r = check_access_not_granted_with(&p, &access, &pool());
        assert_eq!(r.result, Verdict::Fail);
        assert!(r.internal_error.is_none(), "{:?}", r.internal_error);
        assert_eq!(r.reasons.len(), 1);
        assert_eq!(r.reasons[0].statement_index, Some(1));
        assert_eq!(
            r.reasons[0].description,
            "One or more of the listed actions in the statement with index: 1."
        );
        let w = r.reasons[0].example_request.as_ref().unwrap();
        assert_eq!(w.action, "s3:DeleteBucket");
        assert!(evaluate_policy(&p, w).allows());
    }

    #[test]
    fn a_witness_that_does_not_replay_is_an_internal_error_never_a_pass() {
        let p = parse_policy(DEV_POLICY, PolicyType::Identity).unwrap();
        let access = AccessSpec::new(vec!["s3:DeleteBucket".into()], vec![]).unwrap();
        // Not allowed by the policy at all.
        let liar = LyingEngine(req("arn:aws:iam::1:user/x", "iam:CreateUser", "*"));
        let r = check_access_not_granted_with(&p, &access, &liar);
        assert_eq!(r.result, Verdict::Fail);
        assert!(r.internal_error.is_some());
        assert!(r
            .reasons
            .iter()
            .any(|x| x.description.contains("Internal disagreement")));
        // Allowed, but not one of the listed actions.
        let liar = LyingEngine(req(
            "arn:aws:iam::1:user/x",
            "s3:GetObject",
            "arn:aws:s3:::DOC-EXAMPLE-BUCKET/k",
        ));
        let r = check_access_not_granted_with(&p, &access, &liar);
        assert_eq!(r.result, Verdict::Fail);
        assert!(r
            .internal_error
            .as_deref()
            .unwrap_or("")
            .contains("not one of the listed"));
    }

    #[test]
    fn an_undecided_engine_gives_fail_with_a_could_not_complete_reason() {
        let p = parse_policy(DEV_POLICY, PolicyType::Identity).unwrap();
        let access = AccessSpec::new(vec!["s3:DeleteBucket".into()], vec![]).unwrap();
        let r = check_access_not_granted_with(&p, &access, &UnknownEngine);
        assert_eq!(r.result, Verdict::Fail);
        assert_eq!(r.unknown_reason.as_deref(), Some("timeout after 1 s"));
        assert!(r.reasons[0].description.contains("could not be completed"));
        assert_eq!(r.reasons[0].statement_index, None);
    }

    #[test]
    fn no_new_access_replays_against_the_existing_policy() {
        let old = parse_policy(DEV_POLICY, PolicyType::Identity).unwrap();
        let new = old.clone();
        // A request the existing policy allows is not new access.
        let liar = LyingEngine(req(
            "arn:aws:iam::1:user/x",
            "s3:GetObject",
            "arn:aws:s3:::DOC-EXAMPLE-BUCKET/k",
        ));
        let r = check_no_new_access_with(&old, &new, &liar);
        assert_eq!(r.result, Verdict::Fail);
        assert!(r
            .internal_error
            .as_deref()
            .unwrap_or("")
            .contains("also allowed by the existing policy"));
    }

    /// A pool engine with no time for pinpointing.
    struct HurriedPool(PoolEngine);
    impl Engine for HurriedPool {
        fn name(&self) -> String {
            "hurried".into()
        }
        fn solve(&self, f: &Formula) -> SolveAnswer {
            self.0.solve(f)
        }
        fn pinpoint_budget(&self) -> Option<std::time::Duration> {
            Some(std::time::Duration::ZERO)
        }
    }

    #[test]
    fn pinpointing_stops_when_the_budget_is_spent_and_the_fail_stands() {
        let p = parse_policy(DEV_POLICY, PolicyType::Identity).unwrap();
        let access = AccessSpec::new(vec!["*".into()], vec![]).unwrap();
        let r = check_access_not_granted_with(&p, &access, &HurriedPool(pool()));
        assert_eq!(r.result, Verdict::Fail);
        assert!(r.internal_error.is_none());
        // The first witness (ec2:StartInstances) shows statement 0; statement 1 was not asked.
        assert_eq!(r.reasons.len(), 1);
        assert_eq!(r.reasons[0].statement_index, Some(0));
        assert!(r
            .unknown_reason
            .as_deref()
            .unwrap_or("")
            .contains("statement 1: time budget spent"));
        // With time, both statements are named.
        let r = check_access_not_granted_with(&p, &access, &pool());
        let idx: Vec<_> = r.reasons.iter().filter_map(|x| x.statement_index).collect();
        assert_eq!(idx, vec![0, 1]);
    }

    const LIST_BUCKET: &str = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":"s3:List?ucket","Resource":"*"}]}"#;

    #[test]
    fn a_witness_that_is_not_a_request_is_rewritten_into_one_that_replays() {
        let p = parse_policy(LIST_BUCKET, PolicyType::Identity).unwrap();
        let access = AccessSpec::new(vec!["s3:*".into()], vec![]).unwrap();
        for (action, resource) in [
            ("s3:LIST*UCKET", "*"),
            // z3's answer: a NUL for `?` and the Kelvin sign for `k`.
            (
                "S3:LIst\u{0}UC\u{212a}ET",
                "arn:aws:;;\u{4000}\u{13a}[t;k[::^k;:;",
            ),
            ("s3:listaucket", "arn:aws::::"),
        ] {
            let liar = LyingEngine(req("arn:aws:iam::111122223333:user/x", action, resource));
            let r = check_access_not_granted_with(&p, &access, &liar);
            assert_eq!(r.result, Verdict::Fail);
            assert!(r.internal_error.is_none(), "{:?}", r.internal_error);
            assert!(r.unknown_reason.is_none(), "{:?}", r.unknown_reason);
            let w = r.reasons[0].example_request.as_ref().unwrap();
            assert!(w.check_concrete().is_ok(), "{w:?}");
            assert!(evaluate_policy(&p, w).allows());
            assert_eq!(w.action.len(), "s3:ListBucket".len(), "{w:?}");
        }
    }

    #[test]
    fn an_invalid_witness_that_cannot_be_repaired_is_a_fail_with_a_reason() {
        // The policy allows only a literal `*` in the action: no valid request matches, and the
        // lying engine keeps answering the invalid one. FAIL (never PASS), saying why.
        // The policy allows only actions whose name starts with a character no action has.
        let denied: Vec<String> = ('a'..='z')
            .chain('0'..='9')
            .chain(['-'])
            .map(|c| format!("\"s3:{c}*\""))
            .collect();
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:*","Resource":"*"}},
            {{"Effect":"Deny","Action":[{}],"Resource":"*"}}]}}"#,
            denied.join(",")
        );
        let p = parse_policy(&text, PolicyType::Identity).unwrap();
        let access = AccessSpec::new(vec!["s3:*".into()], vec![]).unwrap();
        let liar = LyingEngine(req("arn:aws:iam::111122223333:user/x", "s3:*x", "*"));
        let r = check_access_not_granted_with(&p, &access, &liar);
        assert_eq!(r.result, Verdict::Fail);
        assert!(r.internal_error.is_none(), "{:?}", r.internal_error);
        let why = r.unknown_reason.as_deref().unwrap_or("");
        assert!(why.contains("not valid requests"), "{why}");
        assert!(why.contains("\"s3:*x\""), "{why}");
        assert!(r.reasons.iter().all(|x| x.example_request.is_none()));
    }

    #[test]
    fn access_matching_is_independent_of_the_formula() {
        let a =
            AccessSpec::new(vec!["s3:Delete*".into()], vec!["arn:aws:s3:::b/*".into()]).unwrap();
        let f = access_formula(&a);
        for (action, resource, want) in [
            ("s3:DeleteObject", "arn:aws:s3:::b/k", true),
            ("S3:deleteobject", "arn:aws:s3:::b/k", true),
            ("s3:DeleteObject", "arn:aws:s3:::c/k", false),
            ("s3:GetObject", "arn:aws:s3:::b/k", false),
            ("s3:DeleteBucket", "*", false),
        ] {
            let r = req("arn:aws:iam::1:user/x", action, resource);
            assert_eq!(access_matches(&a, &r), want, "{action} {resource}");
            assert_eq!(f.eval(&r), want, "{action} {resource}");
        }
        let any = AccessSpec::new(vec!["*".into()], vec![]).unwrap();
        assert!(access_formula(&any).is_true());
        assert!(access_matches(&any, &req("a", "x:y", "*")));
    }
}
