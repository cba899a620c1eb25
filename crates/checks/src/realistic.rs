//! Realistic requests: the formula every request AWS could receive satisfies (well-formed
//! callers, actions and resources in one partition, single-valued keys single), solving under it
//! with the derived-key axioms added lazily, and rewriting a solver's invalid witness into a
//! valid request.

use crate::clock::Clock;
use crate::engine::{Engine, SolveAnswer};
use crate::examples::EXAMPLE_ACCOUNT;
use iamproof_eval::{Principal, Request};
use iamproof_logic::{Formula, Glob, Key, MatchMode, PatternSet, Var};
use iamproof_policy::Policy;

/// A resource pattern made a concrete resource: a wildcard region `us-east-1`, a wildcard account
/// [`EXAMPLE_ACCOUNT`], other `*` `example` and `?` `x` (the result is replayed, never trusted).
pub(crate) fn fill_resource(pattern: &str) -> String {
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
pub(crate) const MAX_VALUES_TRIED: usize = 16;

/// At most this many times a query is asked again, with the invalid values its engine answered
/// excluded, when its witness is not a valid request and no rewrite of it is.
pub(crate) const MAX_REASKS: usize = 3;

/// The ASCII control characters: never in a request's action, resource or principal.
pub(crate) fn control_chars() -> Vec<char> {
    ('\0'..='\x1f').chain(['\x7f']).collect()
}

/// `value` with every character `ok` rejects replaced by `with` (`drop`: removed instead).
pub(crate) fn sanitize(value: &str, ok: impl Fn(char) -> bool, with: char, drop: bool) -> String {
    value
        .chars()
        .filter_map(|c| match (ok(c), drop) {
            (true, _) => Some(c),
            (false, true) => None,
            (false, false) => Some(with),
        })
        .collect()
}
/// ARNs with a field no request's ARN can hold (`iamproof_eval::Request::check_concrete`): the
/// service allows letters, digits and `-`, the region and the account lowercase letters, digits
/// and `-`, and the resource part is not empty. Stated for ASCII (other characters are left to
/// the witness checks). Asked for only once a witness had such a resource ([`exclusion`]): as a
/// part of every query it cost 13% of workload 1.
fn malformed_arn() -> PatternSet {
    use iamproof_logic::GlobPart;
    let lit = |s: &str| GlobPart::Lit(s.to_string());
    let ascii_except = |ok: &dyn Fn(char) -> bool| -> Vec<char> {
        (' '..='~').filter(|c| *c != ':' && !ok(*c)).collect()
    };
    let svc_bad = ascii_except(&|c| c.is_ascii_alphanumeric() || c == '-');
    let field_bad = ascii_except(&|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    // An ARN whose field `field` holds a character of `bad` (an empty `bad`: the field is empty).
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
        }
        Glob::from_parts(parts)
    };
    PatternSet::new(
        MatchMode::Arn,
        vec![
            bad_in(2, &svc_bad),
            bad_in(3, &field_bad),
            bad_in(4, &field_bad),
            bad_in(5, &[]),
        ],
    )
}

/// A formula that excludes the invalid part of `w`: its exact value, and for actions,
/// resources and principals every value with a character of the class that made it invalid
/// (for actions: any ASCII character other than letters, digits, `:` and `-`; for resources and
/// principals: control characters, and for principals wildcards too), and for resources every
/// ARN with a malformed field ([`malformed_arn`]). Only invalid requests are excluded, so a
/// query asked again with it still has every valid request, and its UNSAT is a proof.
pub(crate) fn exclusion(w: &Request, bad: &iamproof_eval::InvalidRequest) -> Formula {
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
                // Case-sensitive: a case variant of an invalid action can be valid (the Kelvin
                // sign folds to `k`), and every exclusion must hold only invalid requests.
                not_equal(Var::Action, MatchMode::Exact, &w.action),
                containing(Var::Action, odd),
            )
        }
        RequestPart::Resource => Formula::and([
            not_equal(Var::Resource, MatchMode::Exact, &w.resource),
            containing(Var::Resource, control_chars()),
            Formula::not(Formula::matches(Var::Resource, malformed_arn())),
        ]),
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

/// The condition keys a formula mentions.
pub(crate) fn keys_of(f: &Formula) -> Vec<Key> {
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
pub(crate) const DERIVED_KEYS: &[&str] = &[
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principaltype",
    "aws:username",
    "aws:userid",
    "aws:principalisawsservice",
    "aws:principalservicename",
    "aws:principalservicenameslist",
];

/// Decides `goal` for requests AWS could produce. First the keys AWS derives from an IAM/STS
/// principal are replaced by tests of the principal where the axioms make them functions of it
/// (`iamproof_logic::derive_principal_keys`: the same answer on every realistic request). The
/// request axioms of `iamproof-logic` (which link the principal and the keys derived from it) are
/// only added when a witness violates them: `goal` alone UNSAT already proves `goal ∧ axioms`
/// UNSAT, and a witness that satisfies them (or does once its derived keys are dropped) is
/// realistic as it is.
pub(crate) fn solve_realistic(engine: &dyn Engine, clock: &Clock, goal: &Formula) -> SolveAnswer {
    let goal = &iamproof_logic::derive_principal_keys(goal);
    let axioms = iamproof_logic::request_axioms(&goal.vars());
    let w = match clock.ask(engine, goal) {
        SolveAnswer::Sat(w) => w,
        // The model broke the keys derived from the principal: the axioms settle them.
        SolveAnswer::Unknown(why) if why.contains(iamproof_solver::MODEL_FAILED_EVAL) => {
            return clock.ask(engine, &Formula::and2(goal.clone(), axioms));
        }
        other => return other,
    };
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

/// Drops the keys AWS derives from the principal from the request's context (the evaluator
/// then derives them from its principal).
pub(crate) fn strip_derived_keys(r: &mut Request) {
    for k in DERIVED_KEYS {
        r.context.remove(k);
    }
}

/// Realistic variants of a witness whose principal and derived keys disagree: the keys derived
/// from its principal; the principal named by its `aws:PrincipalArn`; its principal moved to the
/// account of its `aws:PrincipalAccount`.
pub(crate) fn repairs(w: &Request) -> Vec<Request> {
    use iamproof_eval::ContextValue;
    let strip = strip_derived_keys;
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
pub(crate) fn solve(
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

/// Keys AWS documents as single-valued never carry a set of values in a real request (docs/semantics.md, "Global condition keys";
/// `iamproof_policy::GlobalKeys`). Keys the catalogue does not know stay unconstrained.
pub fn single_valued_keys(f: &Formula) -> Formula {
    use iamproof_policy::{ConditionKeyCatalog, GlobalKeys};
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
pub(crate) const PARTITIONS: &[&str] = &[
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
pub(crate) fn partitions_of(policies: &[&Policy]) -> Vec<&'static str> {
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
/// `arn:aws:iam::111122223333:root` (docs/semantics.md, "Principals and accounts") and makes witnesses readable.
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
        let star = PatternSet::new(MatchMode::Exact, vec![Glob::literal("*")]);
        let resource_ok = Formula::or2(
            Formula::matches(Var::Resource, star),
            Formula::matches(Var::Resource, resources),
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
