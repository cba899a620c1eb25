//! Facts every real request satisfies, linking the variables AWS derives from one another: the
//! principal and `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:PrincipalType`,
//! `aws:username`, `aws:userid`, `aws:PrincipalIsAWSService`, `aws:PrincipalServiceName(sList)`,
//! `aws:PrincipalOrgID` — the table of `iamproof_eval::effective_context`.

use crate::formula::{Atom, CallerKind, ElemPred, Formula, Key, Test, Var};
use crate::pattern::{Glob, GlobPart, MatchMode, PatternSet, Template, TemplatePart};
use std::sync::Arc;

pub(crate) fn caller(k: CallerKind) -> Formula {
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
pub(crate) struct Kinds {
    pub(crate) root: Formula,
    pub(crate) user: Formula,
    pub(crate) role: Formula,
    pub(crate) session: Formula,
    pub(crate) federated: Formula,
}

impl Kinds {
    pub(crate) fn new() -> Self {
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

    pub(crate) fn iam(&self) -> Formula {
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use iamproof_eval::{Context, Principal, Request};

    /// A request by `p` (for the tests of the axioms and of the derived-key rewrite).
    pub(crate) fn req(p: Principal) -> Request {
        Request {
            principal: p,
            action: "s3:GetObject".into(),
            resource: "*".into(),
            resource_account: None,
            context: Context::new(),
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
