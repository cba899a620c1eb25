//! Facts every real request satisfies, linking the variables AWS derives from one another: the
//! principal and `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:PrincipalType`,
//! `aws:username`, `aws:userid`, `aws:PrincipalIsAWSService`, `aws:PrincipalServiceName(sList)`,
//! `aws:PrincipalOrgID` — the table of `iamproof_eval::effective_context`.

use crate::formula::{Atom, CallerKind, ElemPred, Formula, Key, Node, Test, Var};
use crate::pattern::{Glob, GlobPart, MatchMode, PatternSet, Template, TemplatePart};
use std::sync::Arc;

fn caller(k: CallerKind) -> Formula {
    Formula::atom(Atom::Caller(k))
}

fn arn_like(pattern: &str) -> Formula {
    Formula::and2(
        caller(CallerKind::Arn),
        Formula::matches(
            Var::Principal,
            PatternSet::new(MatchMode::Arn, vec![Glob::parse_wildcards(pattern)]),
        ),
    )
}

fn present(k: &Key) -> Formula {
    Formula::atom(Atom::Present(k.clone()))
}

fn single(k: &Key) -> Formula {
    Formula::and2(
        present(k),
        Formula::not(Formula::atom(Atom::Multi(k.clone()))),
    )
}

fn equals(k: &Key, value: &str) -> Formula {
    Formula::matches(
        Var::Key(k.clone()),
        PatternSet::new(MatchMode::Exact, vec![Glob::literal(value)]),
    )
}

fn template(var: Var, mode: MatchMode, parts: Vec<TemplatePart>) -> Formula {
    Formula::test(var, Test::Template(Arc::new(Template { mode, parts })))
}

fn glob(s: &str) -> TemplatePart {
    TemplatePart::Glob(Glob::parse_wildcards(s))
}

/// The IAM/STS principal kinds (formulas over the principal).
struct Kinds {
    root: Formula,
    user: Formula,
    role: Formula,
    session: Formula,
    federated: Formula,
}

impl Kinds {
    fn new() -> Self {
        let session = Formula::and2(
            arn_like("arn:*:sts:*:*:assumed-role/?*/?*"),
            Formula::not(arn_like("arn:*:sts:*:*:assumed-role//*")),
        );
        Kinds {
            root: arn_like("arn:*:iam:*:*:root"),
            user: arn_like("arn:*:iam:*:*:user/*"),
            role: arn_like("arn:*:iam:*:*:role/*"),
            session,
            federated: arn_like("arn:*:sts:*:*:federated-user/*"),
        }
    }

    fn iam(&self) -> Formula {
        Formula::or([
            self.root.clone(),
            self.user.clone(),
            self.role.clone(),
            self.session.clone(),
            self.federated.clone(),
        ])
    }
}

/// The linking axioms for the variables of a query (pass `formula.vars()` of everything the
/// check asserts). Only keys among `vars` are constrained (and `aws:principalaccount` when
/// `aws:principalarn` is).
///
/// The evaluator lets a request *give* any of these keys (a given key wins over the derived one),
/// so without these facts a solver could pick `Principal = a user of account A` together with
/// `aws:PrincipalAccount = B`. Checks conjoin [`request_axioms`] of the variables of their query
/// so that models are requests AWS could actually produce, and so that, e.g., `Principal` in
/// account A and `aws:PrincipalAccount ≠ A` cannot both hold.
///
/// What is linked, per principal kind (IAM/STS kinds as `iamproof_eval::matching::
/// parse_principal_arn` reads the ARN):
///
/// | principal | PrincipalAccount | PrincipalArn | PrincipalType | username | userid | IsAWSService | ServiceName(sList) | OrgID |
/// |---|---|---|---|---|---|---|---|---|
/// | root | = account field | = the ARN | `Account` | absent | = account | `false` | absent | free |
/// | user | = account field | = the ARN | `User` | = last path segment | free | `false` | absent | free |
/// | role (as caller) | = account field | = the ARN | `AssumedRole` | absent | free | `false` | absent | free |
/// | role session | = account field | `arn:*:iam::<account>:role/…` (role name not linked) | `AssumedRole` | absent | free | `false` | absent | free |
/// | federated user | = account field | = the ARN | `FederatedUser` | absent | free | `false` | absent | free |
/// | other ARN, federated IdP, canonical user | free | free | free | free | free | free | free | free |
/// | service | absent | absent | absent | absent | free | `true` | = the service / `[service]` | absent |
/// | anonymous | absent | absent | `Anonymous` | absent | `anonymous` | absent | absent | absent |
pub fn request_axioms(vars: &[Var]) -> Formula {
    let has = |name: &str| {
        vars.iter()
            .any(|v| matches!(v, Var::Key(k) if k.as_str() == name))
    };
    let kinds = Kinds::new();
    let iam = kinds.iam();
    let anonymous = caller(CallerKind::Anonymous);
    let service = caller(CallerKind::Service);
    let mut facts = Vec::new();

    let account = Key::new("aws:principalaccount");
    if has("aws:principalaccount") || has("aws:principalarn") || has("aws:userid") {
        let colon_free = Formula::not(Formula::matches(
            Var::Key(account.clone()),
            PatternSet::new(MatchMode::Glob, vec![Glob::parse_wildcards("*:*")]),
        ));
        let linked = Formula::and([
            single(&account),
            colon_free,
            template(
                Var::Principal,
                MatchMode::Arn,
                vec![
                    glob("arn:*:*:*:"),
                    TemplatePart::Ref(Var::Key(account.clone())),
                    glob(":*"),
                ],
            ),
        ]);
        facts.push(Formula::implies(iam.clone(), linked));
        facts.push(Formula::implies(
            Formula::or2(anonymous.clone(), service.clone()),
            Formula::not(present(&account)),
        ));
    }
    if has("aws:principalarn") {
        let k = Key::new("aws:principalarn");
        let same = Formula::and2(
            single(&k),
            template(
                Var::Key(k.clone()),
                MatchMode::Exact,
                vec![TemplatePart::Ref(Var::Principal)],
            ),
        );
        let non_session = Formula::or([
            kinds.root.clone(),
            kinds.user.clone(),
            kinds.role.clone(),
            kinds.federated.clone(),
        ]);
        facts.push(Formula::implies(non_session, same));
        let role_of_account = Formula::and2(
            single(&k),
            template(
                Var::Key(k.clone()),
                MatchMode::Arn,
                vec![
                    glob("arn:*:iam::"),
                    TemplatePart::Ref(Var::Key(account.clone())),
                    glob(":role/*"),
                ],
            ),
        );
        facts.push(Formula::implies(kinds.session.clone(), role_of_account));
        facts.push(Formula::implies(
            Formula::or2(anonymous.clone(), service.clone()),
            Formula::not(present(&k)),
        ));
    }
    if has("aws:principaltype") {
        let k = Key::new("aws:principaltype");
        for (kind, name) in [
            (&kinds.root, "Account"),
            (&kinds.user, "User"),
            (&kinds.role, "AssumedRole"),
            (&kinds.session, "AssumedRole"),
            (&kinds.federated, "FederatedUser"),
            (&anonymous, "Anonymous"),
        ] {
            facts.push(Formula::implies(kind.clone(), equals(&k, name)));
        }
        facts.push(Formula::implies(service.clone(), Formula::not(present(&k))));
    }
    if has("aws:username") {
        let k = Key::new("aws:username");
        let last_segment = Formula::and([
            single(&k),
            Formula::not(Formula::matches(
                Var::Key(k.clone()),
                PatternSet::new(MatchMode::Glob, vec![Glob::parse_wildcards("*/*")]),
            )),
            template(
                Var::Principal,
                MatchMode::Glob,
                vec![
                    TemplatePart::Glob(Glob::from_parts(vec![
                        GlobPart::AnyRun,
                        GlobPart::Lit("/".into()),
                    ])),
                    TemplatePart::Ref(Var::Key(k.clone())),
                ],
            ),
        ]);
        facts.push(Formula::implies(kinds.user.clone(), last_segment));
        let not_user = Formula::or([
            kinds.root.clone(),
            kinds.role.clone(),
            kinds.session.clone(),
            kinds.federated.clone(),
            anonymous.clone(),
            service.clone(),
        ]);
        facts.push(Formula::implies(not_user, Formula::not(present(&k))));
    }
    if has("aws:userid") {
        let k = Key::new("aws:userid");
        facts.push(Formula::implies(
            kinds.root.clone(),
            Formula::and2(
                single(&k),
                template(
                    Var::Key(k.clone()),
                    MatchMode::Exact,
                    vec![TemplatePart::Ref(Var::Key(account.clone()))],
                ),
            ),
        ));
        facts.push(Formula::implies(anonymous.clone(), equals(&k, "anonymous")));
    }
    if has("aws:principalisawsservice") {
        let k = Key::new("aws:principalisawsservice");
        facts.push(Formula::implies(iam.clone(), equals(&k, "false")));
        facts.push(Formula::implies(service.clone(), equals(&k, "true")));
        facts.push(Formula::implies(
            anonymous.clone(),
            Formula::not(present(&k)),
        ));
    }
    if has("aws:principalservicename") {
        let k = Key::new("aws:principalservicename");
        facts.push(Formula::implies(
            service.clone(),
            Formula::and2(
                single(&k),
                template(
                    Var::Key(k.clone()),
                    MatchMode::Exact,
                    vec![TemplatePart::Ref(Var::Principal)],
                ),
            ),
        ));
        facts.push(Formula::implies(
            Formula::not(service.clone()),
            Formula::not(present(&k)),
        ));
    }
    if has("aws:principalservicenameslist") {
        let k = Key::new("aws:principalservicenameslist");
        let is_principal = Test::Template(Arc::new(Template {
            mode: MatchMode::Exact,
            parts: vec![TemplatePart::Ref(Var::Principal)],
        }));
        let list = Formula::and([
            Formula::atom(Atom::Multi(k.clone())),
            Formula::atom(Atom::ForAll {
                key: k.clone(),
                pred: ElemPred {
                    negated: false,
                    any_of: vec![is_principal.clone()],
                },
            }),
            Formula::atom(Atom::ForAny {
                key: k.clone(),
                pred: ElemPred {
                    negated: false,
                    any_of: vec![is_principal],
                },
            }),
        ]);
        facts.push(Formula::implies(service.clone(), list));
        facts.push(Formula::implies(
            Formula::not(service.clone()),
            Formula::not(present(&k)),
        ));
    }
    if has("aws:principalorgid") {
        let k = Key::new("aws:principalorgid");
        facts.push(Formula::implies(
            Formula::or2(anonymous.clone(), service.clone()),
            Formula::not(present(&k)),
        ));
    }
    Formula::and(facts)
}

/// `goal` with the tests of keys AWS derives from an IAM/STS principal replaced, where the
/// request axioms make them functions of the principal, by tests of the principal itself:
///
/// * `aws:PrincipalAccount` (case-sensitive tests only): for the IAM/STS kinds, the ARN's
///   account field, so `StringLike aws:PrincipalAccount P` becomes `Principal ArnLike
///   arn:*:*:*:P:*`;
/// * `aws:PrincipalArn`: for every kind but role sessions (whose value is the role's ARN, not a
///   function of the session ARN the solver sees), the principal itself;
/// * `aws:PrincipalType`: a constant per kind (absent for services).
///
/// Presence, multi-valuedness and the set operators (`Null`, `ForAllValues`, `ForAnyValue`)
/// follow; tests of other kinds (numeric, templates…) stay as they are. Callers of other kinds
/// keep the original atoms (there the keys are free, as in the axioms).
///
/// For every request that satisfies [`request_axioms`], `goal` and the result agree, so
/// `result ∧ axioms` is unsatisfiable iff `goal ∧ axioms` is. The point is the engine's: a
/// condition such as `StringNotEquals aws:PrincipalAccount A` beside `Principal: A` becomes a
/// contradiction between two tests of one variable, which the solver refutes directly instead
/// of through the policy-variable templates of the axioms.
pub fn derive_principal_keys(goal: &Formula) -> Formula {
    let derived = [
        "aws:principalaccount",
        "aws:principalarn",
        "aws:principaltype",
    ];
    if !goal
        .vars()
        .iter()
        .any(|v| matches!(v, Var::Key(k) if derived.contains(&k.as_str())))
    {
        return goal.clone();
    }
    Derivation::new().rewrite(goal)
}

struct Derivation {
    account: Key,
    arn: Key,
    kind_type: Key,
    iam: Formula,
    not_session: Formula,
    types: Vec<(Formula, &'static str)>,
    typed: Formula,
    memo: std::collections::HashMap<Formula, Formula>,
}

impl Derivation {
    fn new() -> Self {
        let kinds = Kinds::new();
        let not_session = Formula::or([
            kinds.root.clone(),
            kinds.user.clone(),
            kinds.role.clone(),
            kinds.federated.clone(),
        ]);
        let types = vec![
            (kinds.root.clone(), "Account"),
            (kinds.user.clone(), "User"),
            (kinds.role.clone(), "AssumedRole"),
            (kinds.session.clone(), "AssumedRole"),
            (kinds.federated.clone(), "FederatedUser"),
            (caller(CallerKind::Anonymous), "Anonymous"),
        ];
        // the kinds whose type the axioms fix, services included (no type)
        let typed = Formula::or(
            types
                .iter()
                .map(|(k, _)| k.clone())
                .chain([caller(CallerKind::Service)]),
        );
        Derivation {
            account: Key::new("aws:principalaccount"),
            arn: Key::new("aws:principalarn"),
            kind_type: Key::new("aws:principaltype"),
            iam: kinds.iam(),
            not_session,
            types,
            typed,
            memo: std::collections::HashMap::new(),
        }
    }

    fn rewrite(&mut self, f: &Formula) -> Formula {
        if let Some(done) = self.memo.get(f) {
            return done.clone();
        }
        let out = match f.node() {
            Node::True | Node::False => f.clone(),
            Node::Not(g) => Formula::not(self.rewrite(g)),
            Node::And(gs) => Formula::and(gs.iter().map(|g| self.rewrite(g)).collect::<Vec<_>>()),
            Node::Or(gs) => Formula::or(gs.iter().map(|g| self.rewrite(g)).collect::<Vec<_>>()),
            Node::Atom(a) => self.atom(a).unwrap_or_else(|| f.clone()),
        };
        self.memo.insert(f.clone(), out.clone());
        out
    }

    /// `Some(rewritten)` for an atom of a derived key this module replaces.
    fn atom(&self, a: &Atom) -> Option<Formula> {
        let keep = Formula::atom(a.clone());
        let key = match a {
            Atom::Present(k) | Atom::Multi(k) | Atom::ForAll { key: k, .. } => k,
            Atom::ForAny { key: k, .. } => k,
            Atom::Test {
                var: Var::Key(k), ..
            } => k,
            _ => return None,
        };
        // Each principal kind where the key is a function of the principal, with its value
        // there (`None`: absent); the other kinds keep the atom.
        let mut cases: Vec<(Formula, Option<Value>)> = Vec::new();
        let mut fixed: Vec<Formula> = Vec::new();
        if *key == self.account {
            cases.push((self.iam.clone(), Some(Value::AccountField)));
            fixed.push(self.iam.clone());
        } else if *key == self.arn {
            cases.push((self.not_session.clone(), Some(Value::Principal)));
            fixed.push(self.not_session.clone());
        } else if *key == self.kind_type {
            for (kind, name) in &self.types {
                cases.push((kind.clone(), Some(Value::Name(name))));
            }
            cases.push((caller(CallerKind::Service), None));
            fixed.push(self.typed.clone());
        } else {
            return None;
        }
        let mut out = Vec::new();
        for (kind, value) in cases {
            out.push(Formula::and2(kind, value_atom(a, value.as_ref())?));
        }
        out.push(Formula::and2(Formula::not(Formula::or(fixed)), keep));
        Some(Formula::or(out))
    }
}

/// What a derived key holds for one principal kind.
enum Value {
    /// The account field of the principal's ARN (possibly empty).
    AccountField,
    /// The principal itself (an ARN, never empty).
    Principal,
    /// A constant (never empty).
    Name(&'static str),
}

/// An atom of a derived key, for principals whose key holds `value` (`None`: absent), as a
/// formula over the principal; `None` where that is not expressible (tests other than pattern
/// matches; case-insensitive tests of the account field). A single value counts under the
/// quantifiers as a one-element set, or as the empty set when it is `""`.
fn value_atom(a: &Atom, value: Option<&Value>) -> Option<Formula> {
    let test = |t: &Test| -> Option<Formula> {
        let Test::Match(set) = t else { return None };
        match value? {
            Value::AccountField => Some(Formula::matches(
                Var::Principal,
                account_field_patterns(set)?,
            )),
            Value::Principal => Some(Formula::test(Var::Principal, t.clone())),
            Value::Name(name) => Some(Formula::constant(set.matches(name))),
        }
    };
    let empty = || match value {
        Some(Value::AccountField) => Formula::matches(
            Var::Principal,
            PatternSet::new(MatchMode::Arn, vec![Glob::parse_wildcards("arn:*:*:*::*")]),
        ),
        _ => Formula::ff(),
    };
    let pred = |p: &ElemPred| -> Option<Formula> {
        let any = Formula::or(p.any_of.iter().map(test).collect::<Option<Vec<_>>>()?);
        Some(if p.negated { Formula::not(any) } else { any })
    };
    let present = value.is_some();
    Some(match a {
        Atom::Present(_) => Formula::constant(present),
        Atom::Multi(_) => Formula::ff(),
        Atom::Test { test: t, .. } if present => test(t)?,
        Atom::Test { .. } => Formula::ff(),
        Atom::ForAll { pred: p, .. } if present => Formula::or2(empty(), pred(p)?),
        Atom::ForAll { .. } => Formula::tt(),
        Atom::ForAny { pred: p, .. } if present => Formula::and2(Formula::not(empty()), pred(p)?),
        Atom::ForAny { .. } => Formula::ff(),
        Atom::Caller(_) => return None,
    })
}

/// The principal patterns equivalent, for IAM/STS principals, to a test of their account field
/// (`arn:*:*:*:P:*` in ARN mode for each pattern `P`); `None` for modes that compare without
/// case. Patterns with a literal `:` never match an account (a field) and are dropped.
fn account_field_patterns(set: &PatternSet) -> Option<PatternSet> {
    if !matches!(set.mode, MatchMode::Exact | MatchMode::Glob) {
        return None;
    }
    let any = || GlobPart::AnyRun;
    let lit = |s: &str| GlobPart::Lit(s.to_string());
    let patterns = set
        .patterns
        .iter()
        .filter(|p| {
            let exact_with_wildcards = set.mode == MatchMode::Exact
                && p.parts.iter().any(|q| !matches!(q, GlobPart::Lit(_)));
            let colon = p
                .parts
                .iter()
                .any(|q| matches!(q, GlobPart::Lit(s) if s.contains(':')));
            !exact_with_wildcards && !colon
        })
        .map(|p| {
            let mut parts = vec![
                lit("arn:"),
                any(),
                lit(":"),
                any(),
                lit(":"),
                any(),
                lit(":"),
            ];
            parts.extend(p.parts.iter().cloned());
            parts.extend([lit(":"), any()]);
            Glob::from_parts(parts)
        })
        .collect();
    Some(PatternSet::new(MatchMode::Arn, patterns))
}

#[cfg(test)]
mod tests {
    use super::*;
    use iamproof_eval::{Context, Principal, Request};

    fn req(p: Principal) -> Request {
        Request {
            principal: p,
            action: "s3:GetObject".into(),
            resource: "*".into(),
            resource_account: None,
            context: Context::new(),
        }
    }

    /// The law of [`derive_principal_keys`]: on every request that satisfies the axioms, the
    /// rewritten formula and the original agree (conditions of every operator family on the
    /// three derived keys, principals of every kind, keys derived or given consistently).
    #[test]
    fn derived_key_rewrite_agrees_on_realistic_requests() {
        use crate::encode::encode_policy;
        use iamproof_policy::{parse_policy, PolicyType};
        let conditions = [
            r#"{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}"#,
            r#"{"StringNotEquals":{"aws:PrincipalAccount":["111122223333","444455556666"]}}"#,
            r#"{"StringLike":{"aws:PrincipalAccount":"1111*"}}"#,
            r#"{"StringNotLike":{"aws:PrincipalAccount":"*:*"}}"#,
            r#"{"StringEqualsIgnoreCase":{"aws:PrincipalAccount":"111122223333"}}"#,
            r#"{"StringEquals":{"aws:PrincipalAccount":"1111*"}}"#,
            r#"{"Null":{"aws:PrincipalAccount":"true"}}"#,
            r#"{"StringEqualsIfExists":{"aws:PrincipalAccount":"111122223333"}}"#,
            r#"{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/R"}}"#,
            r#"{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/*"}}"#,
            r#"{"StringLike":{"aws:PrincipalArn":"*:root"}}"#,
            r#"{"Null":{"aws:PrincipalArn":"false"}}"#,
            r#"{"StringEquals":{"aws:PrincipalType":["User","Anonymous"]}}"#,
            r#"{"StringNotEquals":{"aws:PrincipalType":"AssumedRole"}}"#,
            r#"{"StringLike":{"aws:PrincipalType":"*e*"}}"#,
            r#"{"Null":{"aws:PrincipalType":"true"}}"#,
            r#"{"ForAnyValue:StringLike":{"aws:PrincipalAccount":"1111*"}}"#,
            r#"{"ForAllValues:StringNotEquals":{"aws:PrincipalAccount":"111122223333"}}"#,
            r#"{"ForAllValues:StringEquals":{"aws:PrincipalType":"User"}}"#,
            r#"{"ForAnyValue:ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/*"}}"#,
            r#"{"NumericLessThan":{"aws:PrincipalAccount":"5"}}"#,
        ];
        let principals = [
            Principal::Anonymous,
            Principal::Service("lambda.amazonaws.com".into()),
            Principal::Arn("arn:aws:iam::111122223333:root".into()),
            Principal::Arn("arn:aws:iam::444455556666:user/path/bob".into()),
            Principal::Arn("arn:aws:iam::111122223333:role/R".into()),
            Principal::Arn("arn:aws:sts::111122223333:assumed-role/R/s".into()),
            Principal::Arn("arn:aws:sts::111122223333:federated-user/bob".into()),
            Principal::Arn("arn:aws:s3:::bucket".into()),
            Principal::Arn("arn:aws:iam:::root".into()),
            Principal::Federated("accounts.google.com".into()),
        ];
        for c in conditions {
            let text = format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*",
                "Action":"s3:GetObject","Resource":"*","Condition":{c}}}]}}"#
            );
            let policy = parse_policy(&text, PolicyType::Resource).expect("policy");
            let goal = encode_policy(&policy).expect("encodes").allows();
            let ax = request_axioms(&goal.vars());
            let derived = derive_principal_keys(&goal);
            for p in &principals {
                let mut requests = vec![req(p.clone())];
                // the keys given, as the effective context derives them
                let mut given = req(p.clone());
                given.context = iamproof_eval::effective_context(&given);
                requests.push(given);
                for r in requests {
                    if ax.eval(&r) {
                        assert_eq!(goal.eval(&r), derived.eval(&r), "{c} {p:?}");
                    }
                }
            }
        }
    }

    /// Requests with only derived keys satisfy the axioms (the derived values are the linked
    /// ones), and a contradicting given key violates them.
    #[test]
    fn derived_contexts_satisfy_the_axioms() {
        let vars: Vec<Var> = [
            "aws:PrincipalAccount",
            "aws:PrincipalArn",
            "aws:PrincipalType",
            "aws:username",
            "aws:userid",
            "aws:PrincipalIsAWSService",
            "aws:PrincipalServiceName",
            "aws:PrincipalServiceNamesList",
            "aws:PrincipalOrgID",
        ]
        .iter()
        .map(|k| Var::key(k))
        .collect();
        let ax = request_axioms(&vars);
        for p in [
            Principal::Anonymous,
            Principal::Service("lambda.amazonaws.com".into()),
            Principal::Arn("arn:aws:iam::111122223333:root".into()),
            Principal::Arn("arn:aws:iam::111122223333:user/path/bob".into()),
            Principal::Arn("arn:aws:iam::111122223333:role/R".into()),
            Principal::Arn("arn:aws:sts::111122223333:assumed-role/R/s".into()),
            Principal::Arn("arn:aws:sts::111122223333:federated-user/bob".into()),
            Principal::Federated("accounts.google.com".into()),
        ] {
            assert!(ax.eval(&req(p.clone())), "{p:?}");
        }
        let mut r = req(Principal::Arn("arn:aws:iam::111122223333:user/bob".into()));
        r.context.insert(
            "aws:PrincipalAccount",
            iamproof_eval::ContextValue::Single("444455556666".into()),
        );
        assert!(!ax.eval(&r));
    }
}
