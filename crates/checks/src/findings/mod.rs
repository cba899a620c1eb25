//! Access findings: *who* outside the trusted zone (or: what new access, which listed access) a
//! policy allows, as a short list that provably covers every such request.
//!
//! A check answers "is there a request allowed by `P` with property `X`?" (`X`: made by an
//! outsider, not allowed by the existing policy, one of the listed accesses). The findings
//! answer "which are they all?". A *finding* is a principal (one entry of a statement's
//! `Principal`; a `NotPrincipal` list as a whole; the caller, for identity policies) with the
//! statement(s) granting it access, their actions, resources and condition, and a replayed
//! example request. Its *coverage* is the formula `applies_{i,p} ∧ ¬P.deny ∧ X`: statement `i`
//! applies through principal entry `p`, no `Deny` applies, and the request has property `X`.
//!
//! * **Search** (`search.rs`): one engine session over `P.allows ∧ X` (with the realistic-request
//!   constraints and the request axioms) is asked `¬(F_1 ∨ … ∨ F_k)` for the findings found so
//!   far. A witness (replayed through the reference evaluator) names the (statement, principal
//!   entry) pairs that apply to it: new findings. UNSAT proves the list **complete**; an
//!   undecided answer or the time limit ends the search with `complete: false` and the reason.
//!   Every allowed request is covered by some pair, so the search asks at most one question per
//!   pair (plus one).
//! * **Minimisation** (`minimize.rs`): findings with the same principal and the same condition
//!   are merged (their statements, actions and resources grouped); then a finding whose coverage
//!   is contained in another's (`F_i ∧ ¬F_j` UNSAT) is dropped.
//! * **Concrete actions** (`concrete.rs`): with a service reference ([`ServiceReference`]), the
//!   reference's actions that a finding's patterns name and that its coverage really allows
//!   (`F ∧ Action = a` satisfiable) are listed.
//! * **Public** (`public.rs`): for a resource policy of a known type, `isPublic` says whether
//!   the finding's coverage contains a request by a caller outside every fixed account,
//!   organization, network and source (the public check's [`Zone`]).
//!
//! docs/access-findings.md describes the algorithm and its guarantees.

mod compare;
mod concrete;
mod minimize;
mod public;
mod reference;
mod render;
mod search;

pub use compare::{compare_policies, Comparison, ComparisonVerdict};
pub use reference::{ServiceReference, ServiceReferenceError};

use crate::access::AccessSpec;
use crate::access_not_granted::build_access_not_granted;
use crate::clock::Clock;
use crate::engine::{Engine, SolveAnswer};
use crate::no_new_access::build_no_new_access;
use crate::public::build_zone_query;
use crate::query::Query;
use crate::resource_type::ResourceType;
use crate::result::CheckKind;
use crate::zone::{TrustZone, Zone};
use iamproof_eval::Request;
use iamproof_logic::Formula;
use iamproof_policy::Policy;
use std::time::Instant;

/// What kind of principal a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalClass {
    /// `"Principal": "*"` or `{"AWS": "*"}` without an organization condition: anyone.
    Public,
    /// `{"AWS": "*"}` restricted by `aws:PrincipalOrgID`/`aws:PrincipalOrgPaths`.
    Organization,
    /// An account id or an account's root ARN.
    Account,
    /// An IAM role, user, session or federated-user ARN.
    Arn,
    /// An AWS service principal.
    Service,
    /// A web-identity, SAML or OIDC provider.
    Federated,
    /// An S3 canonical user.
    CanonicalUser,
    /// Everyone except the principals of a `NotPrincipal` list.
    NotPrincipal,
    /// The principal an identity policy is attached to.
    Caller,
}

impl PrincipalClass {
    /// The name shown in reports (`public`, `account`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalClass::Public => "public",
            PrincipalClass::Organization => "organization",
            PrincipalClass::Account => "account",
            PrincipalClass::Arn => "arn",
            PrincipalClass::Service => "service",
            PrincipalClass::Federated => "federated",
            PrincipalClass::CanonicalUser => "canonicalUser",
            PrincipalClass::NotPrincipal => "notPrincipal",
            PrincipalClass::Caller => "caller",
        }
    }
}

/// The principal of a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingPrincipal {
    /// Its class.
    pub class: PrincipalClass,
    /// `(element kind, value)`: `("AWS", "123456789012")`, `("*", "*")` for `"Principal": "*"`,
    /// the excluded entries of a `NotPrincipal`; empty for [`PrincipalClass::Caller`].
    pub entries: Vec<(String, String)>,
}

/// One finding: a principal, what it may do, and under which condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Who.
    pub principal: FindingPrincipal,
    /// Whether a caller outside every fixed account, organization, network and source is among
    /// the requests the finding covers; `None` when not asked (identity policies, no resource
    /// type) or undecided.
    pub is_public: Option<bool>,
    /// The `Action` patterns of its statements that grant some request the finding covers
    /// (patterns that only grant access outside the question, e.g. access the existing policy
    /// already has, are left out; a pattern not decided in time stays).
    pub actions: Vec<String>,
    /// The `NotAction` patterns of its statements (the finding covers actions they do not name).
    pub not_actions: Vec<String>,
    /// The `Resource` patterns of its statements (empty with no `Resource` element).
    pub resources: Vec<String>,
    /// The `NotResource` patterns of its statements.
    pub not_resources: Vec<String>,
    /// The condition block of its statements (`{}` when none), operator → key → values.
    pub condition: serde_json::Value,
    /// The 0-based indexes of the statements granting the access.
    pub statement_indexes: Vec<usize>,
    /// The `Sid`s of those statements that have one.
    pub statement_ids: Vec<String>,
    /// The service reference's actions the finding covers (`None` without a reference).
    pub concrete_actions: Option<Vec<String>>,
    /// Some candidate actions were not decided (question cap or time limit): the list may miss
    /// some.
    pub concrete_actions_truncated: bool,
    /// A request the finding covers, replayed through the reference evaluator: allowed, and
    /// with the property of the question (outside the trusted zone, new, listed).
    pub example_request: Request,
    /// The requests the finding covers: `(∨ applies_{i,p}) ∧ ¬deny ∧ X` over its (statement,
    /// principal entry) pairs.
    pub coverage: Formula,
}

/// The findings of one question.
#[derive(Debug, Clone, PartialEq)]
pub struct Findings {
    /// The findings, in statement order.
    pub findings: Vec<Finding>,
    /// Proven: every request with the property that the policy allows is covered by a finding.
    pub complete: bool,
    /// Why the list is not proven complete.
    pub incomplete_reason: Option<String>,
    /// Proven: no finding's coverage is contained in another's.
    pub minimal: bool,
    /// The engine's name.
    pub engine: String,
    /// How many questions the engine was asked.
    pub questions: usize,
}

impl Findings {
    fn failed(engine: &dyn Engine, why: String) -> Self {
        Findings {
            findings: Vec::new(),
            complete: false,
            incomplete_reason: Some(why),
            minimal: false,
            engine: engine.name(),
            questions: 0,
        }
    }
}

/// Options of a findings run.
#[derive(Debug, Clone, Default)]
pub struct FindingsOptions<'r> {
    /// The actions of the service reference, to list each finding's concrete actions.
    pub service_reference: Option<&'r ServiceReference>,
    /// At most this many engine questions per finding to decide its concrete actions (default
    /// [`DEFAULT_ACTION_QUESTIONS`] when 0).
    pub max_action_questions: usize,
}

/// The default cap on engine questions per finding for its concrete actions.
pub const DEFAULT_ACTION_QUESTIONS: usize = 64;

/// Findings of external access: requests of the policy (attached to a resource of
/// `resource_type` in account `account_id`) by principals outside `account_id` and the trusted
/// accounts and organizations.
pub fn access_findings(
    policy: &Policy,
    resource_type: ResourceType,
    account_id: &str,
    trusted: &TrustZone,
    engine: &dyn Engine,
    opts: &FindingsOptions<'_>,
) -> Findings {
    let mut zone = trusted.clone();
    if !zone.accounts.iter().any(|a| a == account_id) {
        zone.accounts.push(account_id.to_string());
    }
    external_access_findings(policy, resource_type, &zone, engine, opts)
}

/// Findings of `check-no-external-access`: principals outside the trusted zone.
pub fn external_access_findings(
    policy: &Policy,
    resource_type: ResourceType,
    trusted: &TrustZone,
    engine: &dyn Engine,
    opts: &FindingsOptions<'_>,
) -> Findings {
    let zone = Zone::external(resource_type, trusted);
    let built = build_zone_query(CheckKind::NoExternalAccess, policy, zone);
    run_built(built, engine, opts, Public::Ask(resource_type))
}

/// Findings of `check-no-public-access`: every public access (each finding is public).
pub fn public_access_findings(
    policy: &Policy,
    resource_type: ResourceType,
    engine: &dyn Engine,
    opts: &FindingsOptions<'_>,
) -> Findings {
    let zone = Zone::public(policy, resource_type);
    let built = build_zone_query(CheckKind::NoPublicAccess, policy, zone);
    run_built(built, engine, opts, Public::Yes)
}

/// Findings of `check-no-new-access`: all the access `new` grants that `existing` does not.
pub fn new_access_findings(
    existing: &Policy,
    new: &Policy,
    engine: &dyn Engine,
    opts: &FindingsOptions<'_>,
) -> Findings {
    run_built(
        build_no_new_access(existing, new),
        engine,
        opts,
        Public::NotAsked,
    )
}

/// Findings of `check-access-not-granted`: all the listed access the policy grants.
pub fn access_not_granted_findings(
    policy: &Policy,
    access: &AccessSpec,
    engine: &dyn Engine,
    opts: &FindingsOptions<'_>,
) -> Findings {
    let built = build_access_not_granted(policy, access);
    run_built(built, engine, opts, Public::NotAsked)
}

/// How `isPublic` is settled.
enum Public {
    /// Every finding is public (the question's `X` is the public zone).
    Yes,
    /// Asked, with the public zone of this resource type.
    Ask(ResourceType),
    /// Not asked.
    NotAsked,
}

/// The formulas every question of a run shares.
pub(crate) struct Base {
    /// `P.allows ∧ X ∧ realistic ∧ axioms`: the session's base.
    pub(crate) formula: Formula,
    /// The realistic-request constraints (with single-valued keys).
    pub(crate) realistic: Formula,
    /// The request axioms.
    pub(crate) axioms: Formula,
}

impl Base {
    pub(crate) fn of(q: &Query<'_>) -> Base {
        let realistic = q.realistic_constraints();
        // (the keys AWS derives from the principal as tests of the principal, as the checks ask:
        // docs/semantics.md, "Global condition keys"; every question is derived the same way)
        let (formula, axioms) =
            with_axioms(&[q.encoded.allows(), q.extra.clone(), realistic.clone()]);
        Base {
            formula,
            realistic,
            axioms,
        }
    }
}

/// The conjunction of `parts` with the derived keys as tests of the principal, and with the
/// request axioms of its variables; and those axioms.
pub(crate) fn with_axioms(parts: &[Formula]) -> (Formula, Formula) {
    let goal = iamproof_logic::derive_principal_keys(&Formula::and(parts.iter().cloned()));
    let axioms = iamproof_logic::request_axioms(&goal.vars());
    (Formula::and2(goal, axioms.clone()), axioms)
}

/// Asks one question of a session with the time `clock` has left; `Unknown` once it ran out.
pub(crate) fn ask(
    session: &mut dyn crate::engine::Session,
    clock: &Clock,
    extra: &Formula,
    questions: &mut usize,
) -> SolveAnswer {
    if clock.part_expired() {
        return SolveAnswer::Unknown(clock.reason());
    }
    *questions += 1;
    let extra = iamproof_logic::derive_principal_keys(extra);
    match session.solve_with(&extra, clock.left()) {
        SolveAnswer::Unknown(_) if clock.part_expired() => SolveAnswer::Unknown(clock.reason()),
        other => other,
    }
}

/// [`run`] on a built query; a query that could not be built (a policy that cannot be encoded)
/// gives no findings, `complete: false`, with the check's reason.
fn run_built(
    built: Result<Query<'_>, Box<crate::result::CheckResult>>,
    engine: &dyn Engine,
    opts: &FindingsOptions<'_>,
    public: Public,
) -> Findings {
    match built {
        Ok(q) => run(&q, engine, opts, public),
        Err(r) => Findings::failed(engine, r.unknown_reason.clone().unwrap_or(r.message)),
    }
}

fn run(q: &Query<'_>, engine: &dyn Engine, opts: &FindingsOptions<'_>, public: Public) -> Findings {
    let started = Instant::now();
    let clock = Clock::start(engine, started);
    let base = Base::of(q);
    let pairs = match search::pairs(q.policy) {
        Ok(p) => p,
        Err(why) => return Findings::failed(engine, why),
    };
    let mut session = engine.session(&base.formula);
    let mut questions = 0;
    let outcome = search::search(q, session.as_mut(), &clock, &pairs, &base, &mut questions);
    let groups = minimize::merge(q, &pairs, &outcome.found);
    let not_denied = Formula::not(q.encoded.deny.clone());
    let (groups, minimal) =
        minimize::drop_implied(groups, &pairs, session.as_mut(), &clock, &mut questions);
    let mut findings = Vec::new();
    for g in groups {
        let applies = Formula::or(
            g.parts
                .iter()
                .filter_map(|i| pairs.get(*i))
                .map(|p| p.applies.clone()),
        );
        let coverage = Formula::and([applies.clone(), not_denied.clone(), q.extra.clone()]);
        let shown = |r: &Request| {
            coverage.eval(r)
                && base.formula.eval(r)
                && r.check_concrete().is_ok()
                && q.verify(r, None).is_ok()
        };
        let example = named_caller(&g.principal, &g.example)
            .into_iter()
            .find(|r| shown(r))
            .unwrap_or_else(|| g.example.clone());
        let example = {
            let nice = q.simplify(example.clone(), &base.axioms, &base.realistic);
            if shown(&nice) {
                nice
            } else {
                example
            }
        };
        let statements = g.statements(&pairs);
        let (concrete_actions, truncated) = match opts.service_reference {
            Some(reference) => {
                let cap = if opts.max_action_questions == 0 {
                    DEFAULT_ACTION_QUESTIONS
                } else {
                    opts.max_action_questions
                };
                let asking = concrete::Asking {
                    applies: &applies,
                    example: &example,
                    base: &base.formula,
                    session: session.as_mut(),
                    clock: &clock,
                    questions: &mut questions,
                };
                let (a, t) =
                    concrete::concrete_actions(reference, q.policy, &statements, asking, cap);
                (Some(a), t)
            }
            None => (None, false),
        };
        let mut finding = g.into_finding(
            q.policy,
            statements,
            coverage,
            example,
            concrete_actions,
            truncated,
        );
        let actions = std::mem::take(&mut finding.actions);
        let asking = concrete::Asking {
            applies: &applies,
            example: &finding.example_request,
            base: &base.formula,
            session: session.as_mut(),
            clock: &clock,
            questions: &mut questions,
        };
        finding.actions = concrete::granting_patterns(
            actions,
            finding.concrete_actions.as_deref().unwrap_or_default(),
            asking,
            DEFAULT_ACTION_QUESTIONS,
        );
        findings.push(finding);
    }
    drop(session);
    match public {
        Public::Yes => findings.iter_mut().for_each(|f| f.is_public = Some(true)),
        Public::NotAsked => {}
        Public::Ask(rt) => public::ask_public(q, rt, engine, &clock, &mut findings, &mut questions),
    }
    let mut incomplete_reason = outcome.reason;
    if !outcome.complete && incomplete_reason.is_none() {
        incomplete_reason = Some("the search for findings ended undecided".into());
    }
    Findings {
        findings,
        complete: outcome.complete,
        incomplete_reason,
        minimal: minimal && outcome.complete,
        engine: engine.name(),
        questions,
    }
}

/// The example with the finding's own principal as the caller (an account id as its root), the
/// keys derived from the principal dropped: readable when it still replays.
fn named_caller(p: &FindingPrincipal, w: &Request) -> Vec<Request> {
    let Some((kind, value)) = p.entries.first() else {
        return Vec::new();
    };
    let principal = match kind.as_str() {
        "AWS" if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) => {
            iamproof_eval::Principal::Arn(format!("arn:aws:iam::{value}:root"))
        }
        "AWS" if value.starts_with("arn:") && !value.contains(['*', '?']) => {
            iamproof_eval::Principal::Arn(value.clone())
        }
        _ => return Vec::new(),
    };
    if p.class == PrincipalClass::NotPrincipal || w.principal == principal {
        return Vec::new();
    }
    // A role calls through a session of it.
    let mut callers = vec![principal];
    let fields: Vec<&str> = value.splitn(6, ':').collect();
    if let ["arn", part, "iam", _, account, rest] = fields[..] {
        if let Some(name) = rest
            .strip_prefix("role/")
            .and_then(|r| r.rsplit('/').next())
        {
            callers.insert(
                0,
                iamproof_eval::Principal::Arn(format!(
                    "arn:{part}:sts::{account}:assumed-role/{name}/session"
                )),
            );
        }
    }
    let mut out = Vec::new();
    for principal in callers {
        let mut r = w.clone();
        r.principal = principal;
        let mut derived = r.clone();
        crate::realistic::strip_derived_keys(&mut derived);
        out.push(r);
        out.push(derived);
    }
    out
}
