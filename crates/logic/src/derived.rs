//! The keys AWS derives from an IAM/STS principal (`aws:PrincipalAccount`, `aws:PrincipalArn`,
//! `aws:PrincipalType`) rewritten, where the request axioms make them functions of the
//! principal, as tests of the principal itself: [`derive_principal_keys`].

use crate::axioms::{caller, Kinds};
use crate::formula::{Atom, CallerKind, ElemPred, Formula, Key, Node, Test, Var};
use crate::pattern::{Glob, GlobPart, MatchMode, PatternSet};

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
/// For every request that satisfies [`request_axioms`](crate::request_axioms), `goal` and the result agree, so
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
            Node::Not(g) => {
                let h = self.rewrite(g);
                if h == *g {
                    f.clone()
                } else {
                    Formula::not(h)
                }
            }
            Node::And(gs) | Node::Or(gs) => {
                let hs: Vec<Formula> = gs.iter().map(|g| self.rewrite(g)).collect();
                if hs == *gs {
                    // unchanged: the same (shared) formula, not a rebuilt copy
                    f.clone()
                } else if matches!(f.node(), Node::And(_)) {
                    Formula::and(hs)
                } else {
                    Formula::or(hs)
                }
            }
            Node::Atom(a) => self.atom(f, a).unwrap_or_else(|| f.clone()),
        };
        self.memo.insert(f.clone(), out.clone());
        out
    }

    /// `Some(rewritten)` for an atom of a derived key this module replaces (`keep` is the atom
    /// as a formula).
    fn atom(&self, keep: &Formula, a: &Atom) -> Option<Formula> {
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
        out.push(Formula::and2(
            Formula::not(Formula::or(fixed)),
            keep.clone(),
        ));
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
    if !matches!(set.mode(), MatchMode::Exact | MatchMode::Glob) {
        return None;
    }
    let any = || GlobPart::AnyRun;
    let lit = |s: &str| GlobPart::Lit(s.to_string());
    let patterns = set
        .patterns()
        .iter()
        .filter(|p| {
            let exact_with_wildcards = set.mode() == MatchMode::Exact
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
    use crate::axioms::request_axioms;
    use crate::axioms::tests::req;
    use iamproof_eval::Principal;

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
}
