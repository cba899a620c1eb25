//! Who counts as an *outsider*, as a `Formula` over the request variables.
//!
//! The public check (docs/semantics.md, "Who counts as public") asks whether some request by a caller outside every **fixed**
//! account, organization, network and source can be allowed; the external-access check asks the
//! same for a caller outside the **trusted** accounts and organizations. A [`Zone`] collects the
//! constants that define "fixed"/"trusted" and builds the outsider formula:
//!
//! * the caller is an IAM/STS principal (root, user, role session, federated user) of an account
//!   that is not one of the zone's accounts; or anonymous, where the resource type has anonymous
//!   callers (S3, SQS, SNS); or a web-identity/OIDC caller for role trust policies. AWS service
//!   principals are never outsiders (Access Analyzer does not report them, docs/semantics.md, "Who counts as public");
//! * every condition key the policy mentions holds a value an outsider can have
//!   ([`crate::keys::OutsiderDomain`]): identity keys agree with an outsider identity, network and
//!   source keys (public check only) are absent or fresh, the rest is free.
//!
//! Each constraint holds for every real outsider request, so the outsider formula only ever
//! *over*-approximates real outsiders per variable; an UNSAT query is therefore a proof that no
//! outsider is allowed. The constraints are stated per variable; the links between the principal
//! and the keys AWS derives from it are the request axioms of `iamproof-logic`.

use crate::keys::{classify_key, classify_key_external, KeyInfo, OutsiderDomain};
use crate::resource_type::ResourceType;
use iamproof_logic::{
    Atom, CallerKind, Cidr, ElemPred, Formula, Glob, GlobPart, Key, MatchMode, PatternSet, Test,
    Var,
};
use iamproof_policy::{OperatorFamily, Policy};
use std::collections::BTreeSet;
use std::sync::Arc;
use thiserror::Error;

/// The accounts and organizations whose principals may have access (external-access check).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrustZone {
    /// 12-digit account ids.
    pub accounts: Vec<String>,
    /// AWS Organizations ids (`o-…`).
    pub organizations: Vec<String>,
}

/// Why a trust zone was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TrustZoneError {
    /// Not a 12-digit account id.
    #[error("trusted account {0:?} is not a 12-digit AWS account id")]
    BadAccount(String),
    /// Not an organization id.
    #[error("trusted organization {0:?} is not an AWS Organizations id (o- followed by 10 to 32 lowercase letters or digits)")]
    BadOrganization(String),
}

impl TrustZone {
    /// Validates and builds a trust zone.
    pub fn new(accounts: Vec<String>, organizations: Vec<String>) -> Result<Self, TrustZoneError> {
        for a in &accounts {
            if !is_account_id(a) {
                return Err(TrustZoneError::BadAccount(a.clone()));
            }
        }
        for o in &organizations {
            let ok = o.strip_prefix("o-").is_some_and(|rest| {
                (10..=32).contains(&rest.len())
                    && rest
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
            if !ok {
                return Err(TrustZoneError::BadOrganization(o.clone()));
            }
        }
        Ok(TrustZone {
            accounts,
            organizations,
        })
    }
}

/// Which question the zone answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneKind {
    /// Outside every fixed account, organization, network and source.
    Public,
    /// Outside the trusted accounts and organizations.
    External,
}

/// The constants that define the inside of a zone, and the outsider formula built from them.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    /// Public or external.
    pub kind: ZoneKind,
    /// The resource type the policy is attached to.
    pub resource_type: ResourceType,
    /// Accounts an outsider is not in.
    pub accounts: BTreeSet<String>,
    /// Organizations an outsider is not in.
    pub organizations: BTreeSet<String>,
    /// Values (compared ignoring case) an outsider's fresh keys do not hold (public only).
    pub values: BTreeSet<String>,
    /// IP ranges an outsider's source address is not in (public only): the policy's ranges of
    /// at least /8 (IPv4) or /32 (IPv6), and the private ranges (`aws:SourceIp` is public).
    pub fixed_ranges: Vec<Cidr>,
}

/// The account most examples name (the AWS documentation's example account); witnesses prefer it.
pub const EXAMPLE_OUTSIDE_ACCOUNT: &str = "111122223333";

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Every maximal run of exactly 12 ASCII digits in `s`.
fn account_ids_in(s: &str, out: &mut BTreeSet<String>) {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 12 {
                out.insert(s[start..i].to_string());
            }
        } else {
            i += 1;
        }
    }
}

/// Every organization id (`o-` + lowercase letters/digits, not preceded by a letter or digit).
fn org_ids_in(s: &str, out: &mut BTreeSet<String>) {
    let b = s.as_bytes();
    let mut i = 0;
    while i + 2 < b.len() {
        let boundary = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        if boundary && b[i] == b'o' && b[i + 1] == b'-' {
            let start = i;
            let mut j = i + 2;
            while j < b.len() && (b[j].is_ascii_lowercase() || b[j].is_ascii_digit()) {
                j += 1;
            }
            if j > i + 2 {
                out.insert(s[start..j].to_string());
            }
            i = j;
        } else {
            i += 1;
        }
    }
}

fn private_ranges() -> Vec<Cidr> {
    let v4 = |a: u32, p: u8| Cidr::new(false, u128::from(a), p);
    let v6 = |a: u128, p: u8| Cidr::new(true, a, p);
    [
        v4(0x0A00_0000, 8),    // 10.0.0.0/8
        v4(0xAC10_0000, 12),   // 172.16.0.0/12
        v4(0xC0A8_0000, 16),   // 192.168.0.0/16
        v4(0x7F00_0000, 8),    // 127.0.0.0/8
        v4(0xA9FE_0000, 16),   // 169.254.0.0/16
        v6(1, 128),            // ::1
        v6(0xFC00 << 112, 7),  // fc00::/7
        v6(0xFE80 << 112, 10), // fe80::/10
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn digit() -> GlobPart {
    GlobPart::OneOf(('0'..='9').collect())
}

/// 12 digits.
fn account_glob() -> Glob {
    Glob::from_parts((0..12).map(|_| digit()).collect())
}

fn lit(s: &str) -> GlobPart {
    GlobPart::Lit(s.to_string())
}

/// The ARN shapes of IAM/STS callers in an account given as glob parts.
fn caller_arn_shapes(account: &[GlobPart]) -> Vec<Glob> {
    let mk = |svc: &str, rest: Vec<GlobPart>| {
        let mut parts = vec![lit("arn:"), GlobPart::AnyRun, lit(&format!(":{svc}::"))];
        parts.extend(account.iter().cloned());
        parts.push(lit(":"));
        parts.extend(rest);
        Glob::from_parts(parts)
    };
    vec![
        mk("iam", vec![lit("root")]),
        mk("iam", vec![lit("user/"), GlobPart::AnyRun]),
        mk(
            "sts",
            vec![
                lit("assumed-role/"),
                GlobPart::AnyRun,
                lit("/"),
                GlobPart::AnyRun,
            ],
        ),
        mk("sts", vec![lit("federated-user/"), GlobPart::AnyRun]),
    ]
}

/// The ARN shapes `aws:PrincipalArn` takes for IAM/STS callers (a role session yields the role).
fn principal_arn_shapes(account: &[GlobPart]) -> Vec<Glob> {
    let mk = |svc: &str, rest: Vec<GlobPart>| {
        let mut parts = vec![lit("arn:"), GlobPart::AnyRun, lit(&format!(":{svc}::"))];
        parts.extend(account.iter().cloned());
        parts.push(lit(":"));
        parts.extend(rest);
        Glob::from_parts(parts)
    };
    vec![
        mk("iam", vec![lit("root")]),
        mk("iam", vec![lit("user/"), GlobPart::AnyRun]),
        mk("iam", vec![lit("role/"), GlobPart::AnyRun]),
        mk("sts", vec![lit("federated-user/"), GlobPart::AnyRun]),
    ]
}

fn single(var: Var) -> Formula {
    Formula::matches(
        var,
        PatternSet::new(
            MatchMode::Glob,
            vec![Glob::from_parts(vec![GlobPart::AnyRun])],
        ),
    )
}

fn present(key: &Key) -> Formula {
    Formula::atom(Atom::Present(key.clone()))
}

fn caller(kind: CallerKind) -> Formula {
    Formula::atom(Atom::Caller(kind))
}

fn exact_in(var: Var, values: &BTreeSet<String>, ignore_case: bool) -> Formula {
    let mode = if ignore_case {
        MatchMode::ExactIgnoreCase
    } else {
        MatchMode::Exact
    };
    Formula::matches(
        var,
        PatternSet::new(mode, values.iter().map(|v| Glob::literal(v)).collect()),
    )
}

impl Zone {
    /// The zone of the public check for `policy` attached to a resource of type `resource_type`:
    /// every constant the policy mentions is "fixed".
    pub fn public(policy: &Policy, resource_type: ResourceType) -> Zone {
        let mut z = Zone {
            kind: ZoneKind::Public,
            resource_type,
            accounts: BTreeSet::new(),
            organizations: BTreeSet::new(),
            values: BTreeSet::new(),
            fixed_ranges: private_ranges(),
        };
        for st in &policy.statements {
            if let Some(p) = &st.principal {
                for e in &p.entries {
                    z.add_constant(&e.value);
                }
            }
            for c in &st.conditions {
                for v in &c.values {
                    z.add_constant(&v.text);
                    if c.operator.base.family() == OperatorFamily::Ip {
                        if let Some(cidr) = iamproof_logic::semantics::parse_cidr(v.text.trim()) {
                            let fixed = if cidr.v6 {
                                cidr.prefix >= 32
                            } else {
                                cidr.prefix >= 8
                            };
                            if fixed && !z.fixed_ranges.contains(&cidr) {
                                z.fixed_ranges.push(cidr);
                            }
                        }
                    }
                }
            }
        }
        z
    }

    /// The zone of the external-access check: the trusted accounts and organizations.
    pub fn external(resource_type: ResourceType, trusted: &TrustZone) -> Zone {
        Zone {
            kind: ZoneKind::External,
            resource_type,
            accounts: trusted.accounts.iter().cloned().collect(),
            organizations: trusted.organizations.iter().cloned().collect(),
            values: trusted
                .organizations
                .iter()
                .chain(trusted.accounts.iter())
                .cloned()
                .collect(),
            fixed_ranges: Vec::new(),
        }
    }

    fn add_constant(&mut self, text: &str) {
        self.values.insert(text.to_string());
        account_ids_in(text, &mut self.accounts);
        org_ids_in(text, &mut self.organizations);
    }

    /// How a key is classified for this zone.
    pub fn key_info(&self, key: &str) -> KeyInfo {
        match self.kind {
            ZoneKind::Public => classify_key(key, Some(self.resource_type)),
            ZoneKind::External => classify_key_external(key, Some(self.resource_type)),
        }
    }

    /// The caller is an outsider (principal part only).
    pub fn outsider_caller(&self) -> Formula {
        let mut kinds = Vec::new();
        let acct = [account_glob()];
        let acct_parts: Vec<GlobPart> = acct[0].parts.clone();
        let shapes = PatternSet::new(MatchMode::Arn, caller_arn_shapes(&acct_parts));
        let inside = self.inside_account_arns_of(Var::Principal);
        kinds.push(Formula::and([
            caller(CallerKind::Arn),
            Formula::matches(Var::Principal, shapes),
            Formula::not(inside),
        ]));
        if self.resource_type.allows_anonymous() {
            kinds.push(caller(CallerKind::Anonymous));
        }
        // Federated callers, for every resource type (docs/semantics.md, "Who counts as
        // public"): web-identity providers (`accounts.google.com`, `graph.facebook.com`,
        // `www.amazon.com`, `cognito-identity.amazonaws.com`) and OIDC providers authenticate
        // people of any account; a SAML provider's users are its owner's, so only a SAML
        // provider of an account outside the zone is an outsider.
        let saml_inside = Formula::and2(
            Formula::matches(
                Var::Principal,
                PatternSet::new(
                    MatchMode::Arn,
                    vec![Glob::parse_wildcards("arn:*:iam::*:saml-provider/*")],
                ),
            ),
            self.inside_account_arns_of(Var::Principal),
        );
        kinds.push(Formula::and([
            caller(CallerKind::Federated),
            Formula::not(saml_inside),
        ]));
        Formula::or(kinds)
    }

    /// The outsider formula for a request whose condition keys of interest are `keys`
    /// (lowercase names; normally the keys the policy mentions).
    pub fn outsider(&self, keys: &[Key]) -> Formula {
        let mut parts = vec![self.outsider_caller()];
        for k in keys {
            parts.push(self.key_constraint(k));
        }
        Formula::and(parts)
    }

    /// The action concerns the resource type (`s3:*` for buckets, `sts:*` for trust policies…).
    /// Only a preference for examples: every action the policy allows counts as access (no AWS
    /// document narrows public access to the resource type's own service; docs/semantics.md,
    /// "Who counts as public").
    pub fn relevant_action(&self) -> Formula {
        let pats = self
            .resource_type
            .action_prefixes()
            .iter()
            .map(|p| Glob::from_parts(vec![lit(&format!("{p}:")), GlobPart::AnyRun]))
            .collect();
        Formula::matches(Var::Action, PatternSet::new(MatchMode::Action, pats))
    }

    /// The values an outsider can hold under one key.
    pub fn key_constraint(&self, key: &Key) -> Formula {
        let var = Var::Key(key.clone());
        let info = self.key_info(key.as_str());
        let absent = Formula::not(present(key));
        let accounts_excluded = Formula::not(exact_in(var.clone(), &self.accounts, false));
        match info.outsider {
            OutsiderDomain::Free => Formula::tt(),
            OutsiderDomain::Absent => absent,
            OutsiderDomain::AbsentOrOneOf(vals) => {
                let set: BTreeSet<String> = vals.iter().map(|v| v.to_string()).collect();
                Formula::or([absent, exact_in(var, &set, true)])
            }
            OutsiderDomain::Account => {
                let fresh = Formula::and([
                    Formula::matches(
                        var.clone(),
                        PatternSet::new(MatchMode::Glob, vec![account_glob()]),
                    ),
                    accounts_excluded,
                ]);
                if key.as_str() == "aws:principalaccount" {
                    // Derived by AWS for every IAM/STS caller, absent otherwise.
                    Formula::and([
                        Formula::implies(caller(CallerKind::Arn), fresh),
                        Formula::implies(Formula::not(caller(CallerKind::Arn)), absent),
                    ])
                } else {
                    Formula::or([absent, fresh])
                }
            }
            OutsiderDomain::PrincipalArn => {
                let acct_parts = account_glob().parts;
                let shapes = PatternSet::new(MatchMode::Arn, principal_arn_shapes(&acct_parts));
                let inside = self.inside_account_arns_of(var.clone());
                let fresh = Formula::and([Formula::matches(var, shapes), Formula::not(inside)]);
                Formula::and([
                    Formula::implies(caller(CallerKind::Arn), fresh),
                    Formula::implies(Formula::not(caller(CallerKind::Arn)), absent),
                ])
            }
            OutsiderDomain::UserId => {
                if self.kind == ZoneKind::External {
                    return Formula::tt();
                }
                // S3 "The meaning of public": "A fixed value of aws:userid outside the pattern
                // AROLEID:*" makes a grant non-public; a role id followed by a wildcard does
                // not. So an outsider's user id differs from every literal of the policy (and
                // from the zone's account ids, the user ids of their roots), nothing more.
                let fresh = Formula::and([
                    single(var.clone()),
                    Formula::not(exact_in(var.clone(), &self.accounts, false)),
                    Formula::not(exact_in(var.clone(), &self.values, false)),
                ]);
                let anon: BTreeSet<String> = ["anonymous".to_string()].into_iter().collect();
                Formula::and([
                    Formula::implies(
                        Formula::not(caller(CallerKind::Anonymous)),
                        Formula::or([absent, fresh]),
                    ),
                    Formula::implies(caller(CallerKind::Anonymous), exact_in(var, &anon, false)),
                ])
            }
            OutsiderDomain::AbsentOrFresh => {
                let excluded = match info.role {
                    crate::keys::KeyRole::Identity if self.kind == ZoneKind::External => {
                        &self.organizations
                    }
                    _ => &self.values,
                };
                Formula::or([
                    absent,
                    Formula::and([
                        single(var.clone()),
                        Formula::not(exact_in(var, excluded, true)),
                    ]),
                ])
            }
            OutsiderDomain::AbsentOrFreshSet => {
                // Each element of an org-path set starts with a fresh organization id.
                let mut pats: Vec<Glob> = Vec::new();
                for o in &self.organizations {
                    pats.push(Glob::literal(o));
                    pats.push(Glob::from_parts(vec![
                        lit(&format!("{o}/")),
                        GlobPart::AnyRun,
                    ]));
                }
                if self.kind == ZoneKind::Public {
                    pats.extend(self.values.iter().map(|v| Glob::literal(v)));
                }
                if pats.is_empty() {
                    return Formula::tt();
                }
                let pred = ElemPred {
                    negated: true,
                    any_of: vec![Test::Match(Arc::new(PatternSet::new(
                        MatchMode::Glob,
                        pats,
                    )))],
                };
                Formula::atom(Atom::ForAll {
                    key: key.clone(),
                    pred,
                })
            }
            OutsiderDomain::AbsentOrAccount => Formula::or([
                absent,
                Formula::and([
                    Formula::matches(
                        var.clone(),
                        PatternSet::new(MatchMode::Glob, vec![account_glob()]),
                    ),
                    accounts_excluded,
                ]),
            ]),
            OutsiderDomain::AbsentOrArnOfAccount => {
                let acct_arn = Glob::from_parts(
                    [
                        lit("arn:"),
                        GlobPart::AnyRun,
                        lit(":"),
                        GlobPart::AnyRun,
                        lit(":"),
                        GlobPart::AnyRun,
                        lit(":"),
                    ]
                    .into_iter()
                    .chain(account_glob().parts)
                    .chain([lit(":"), GlobPart::AnyRun])
                    .collect(),
                );
                let fresh = Formula::and([
                    Formula::matches(var.clone(), PatternSet::new(MatchMode::Arn, vec![acct_arn])),
                    Formula::not(self.inside_account_arns_of(var)),
                ]);
                Formula::or([absent, fresh])
            }
            OutsiderDomain::SourceIp => {
                if self.fixed_ranges.is_empty() {
                    return Formula::tt();
                }
                let inside = Formula::or(
                    self.fixed_ranges
                        .iter()
                        .map(|c| Formula::test(var.clone(), Test::Ip(*c))),
                );
                Formula::or([absent, Formula::and([single(var), Formula::not(inside)])])
            }
        }
    }

    /// ARNs (any service) in `var` whose account field is one of the zone's accounts.
    fn inside_account_arns_of(&self, var: Var) -> Formula {
        let pats: Vec<Glob> = self
            .accounts
            .iter()
            .map(|a| {
                Glob::from_parts(vec![
                    lit("arn:"),
                    GlobPart::AnyRun,
                    lit(":"),
                    GlobPart::AnyRun,
                    lit(":"),
                    GlobPart::AnyRun,
                    lit(&format!(":{a}:")),
                    GlobPart::AnyRun,
                ])
            })
            .collect();
        Formula::matches(var, PatternSet::new(MatchMode::Arn, pats))
    }

    /// The preferred outsider for witnesses: the root of [`EXAMPLE_OUTSIDE_ACCOUNT`] (or of the
    /// first 12-digit account not in the zone), as a formula pinning the principal.
    pub fn preferred_caller(&self) -> Option<(String, Formula)> {
        let account = std::iter::once(EXAMPLE_OUTSIDE_ACCOUNT.to_string())
            .chain((1..=9u64).map(|d| d.to_string().repeat(12)))
            .find(|a| !self.accounts.contains(a))?;
        let arn = format!("arn:aws:iam::{account}:root");
        let set: BTreeSet<String> = [arn.clone()].into_iter().collect();
        Some((
            account,
            Formula::and([
                caller(CallerKind::Arn),
                exact_in(Var::Principal, &set, false),
            ]),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iamproof_eval::{Context, ContextValue, Principal, Request};
    use iamproof_policy::{parse_policy, PolicyType};

    fn req(p: Principal, keys: &[(&str, &str)]) -> Request {
        let mut context = Context::new();
        for (k, v) in keys {
            context.insert(k, ContextValue::Single(v.to_string()));
        }
        Request {
            principal: p,
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::b/k".into(),
            resource_account: None,
            context,
        }
    }

    fn arn(s: &str) -> Principal {
        Principal::Arn(s.to_string())
    }

    #[test]
    fn constants_are_collected_from_principals_and_conditions() {
        let p = parse_policy(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},
               "Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abcdefghij","aws:SourceVpce":"vpce-1"},
               "IpAddress":{"aws:SourceIp":["203.0.113.0/24","0.0.0.0/1"]}}}]}"#,
            PolicyType::Resource,
        )
        .unwrap();
        let z = Zone::public(&p, ResourceType::S3Bucket);
        assert!(z.accounts.contains("123456789012"));
        assert!(z.organizations.contains("o-abcdefghij"));
        assert!(z.values.contains("vpce-1"));
        let fixed: Vec<String> = z.fixed_ranges.iter().map(|c| c.to_string()).collect();
        assert!(fixed.contains(&"203.0.113.0/24".to_string()));
        assert!(!fixed.contains(&"0.0.0.0/1".to_string()));
    }

    #[test]
    fn outsider_caller_formula_on_concrete_requests() {
        let p = parse_policy(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"s3:*","Resource":"*"}]}"#,
            PolicyType::Resource,
        )
        .unwrap();
        let z = Zone::public(&p, ResourceType::S3Bucket);
        let f = z.outsider(&[]);
        assert!(f.eval(&req(arn("arn:aws:iam::111122223333:user/x"), &[])));
        assert!(f.eval(&req(arn("arn:aws:sts::111122223333:assumed-role/r/s"), &[])));
        assert!(!f.eval(&req(arn("arn:aws:iam::123456789012:user/x"), &[])));
        assert!(f.eval(&req(Principal::Anonymous, &[])));
        assert!(!f.eval(&req(Principal::Service("s3.amazonaws.com".into()), &[])));
        // KMS keys have no anonymous callers.
        let zk = Zone::public(&p, ResourceType::KmsKey);
        assert!(!zk.outsider(&[]).eval(&req(Principal::Anonymous, &[])));
    }

    #[test]
    fn key_constraints_on_concrete_requests() {
        let p = parse_policy(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*",
               "Condition":{"StringEquals":{"aws:SourceVpc":"vpc-1","aws:PrincipalOrgID":"o-abcdefghij","aws:userid":"AROAEXAMPLE:*"},
               "IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]}"#,
            PolicyType::Resource,
        )
        .unwrap();
        let z = Zone::public(&p, ResourceType::S3Bucket);
        let who = arn("arn:aws:iam::111122223333:user/x");
        let c = |k: &str| z.key_constraint(&Key::new(k));
        assert!(c("aws:SourceVpc").eval(&req(who.clone(), &[])));
        assert!(c("aws:SourceVpc").eval(&req(who.clone(), &[("aws:SourceVpc", "vpc-2")])));
        assert!(!c("aws:SourceVpc").eval(&req(who.clone(), &[("aws:SourceVpc", "VPC-1")])));
        assert!(!c("aws:PrincipalOrgID")
            .eval(&req(who.clone(), &[("aws:PrincipalOrgID", "o-abcdefghij")])));
        assert!(c("aws:SourceIp").eval(&req(who.clone(), &[("aws:SourceIp", "198.51.100.7")])));
        assert!(!c("aws:SourceIp").eval(&req(who.clone(), &[("aws:SourceIp", "203.0.113.9")])));
        assert!(!c("aws:SourceIp").eval(&req(who.clone(), &[("aws:SourceIp", "10.1.2.3")])));
        // `AROLEID:*` does not restrict (S3, the meaning of public): a session of that role can
        // be an outsider; the literal itself cannot.
        assert!(c("aws:userid").eval(&req(who.clone(), &[("aws:userid", "AROAEXAMPLE:s")])));
        assert!(!c("aws:userid").eval(&req(who.clone(), &[("aws:userid", "AROAEXAMPLE:*")])));
        assert!(c("aws:userid").eval(&req(who.clone(), &[("aws:userid", "AROAOTHER:s")])));
        assert!(c("aws:PrincipalAccount").eval(&req(
            who.clone(),
            &[("aws:PrincipalAccount", "111122223333")]
        )));
        assert!(!c("aws:PrincipalAccount").eval(&req(
            who.clone(),
            &[("aws:PrincipalAccount", "aaaaaaaaaaaa")]
        )));
        assert!(c("aws:PrincipalAccount").eval(&req(Principal::Anonymous, &[])));
        assert!(c("aws:UserAgent").is_true());
    }

    #[test]
    fn external_zone_uses_only_trusted_identity() {
        let t = TrustZone::new(vec!["123456789012".into()], vec!["o-abcdefghij".into()]).unwrap();
        let z = Zone::external(ResourceType::S3Bucket, &t);
        let who = arn("arn:aws:iam::111122223333:user/x");
        assert!(z.outsider(&[]).eval(&req(who.clone(), &[])));
        assert!(!z
            .outsider(&[])
            .eval(&req(arn("arn:aws:iam::123456789012:root"), &[])));
        assert!(z.key_constraint(&Key::new("aws:SourceVpc")).is_true());
        let org = z.key_constraint(&Key::new("aws:PrincipalOrgID"));
        assert!(!org.eval(&req(who.clone(), &[("aws:PrincipalOrgID", "o-abcdefghij")])));
        assert!(org.eval(&req(who, &[("aws:PrincipalOrgID", "o-zzzzzzzzzz")])));
    }

    #[test]
    fn trust_zone_validation() {
        assert!(TrustZone::new(vec!["12345".into()], vec![]).is_err());
        assert!(TrustZone::new(vec![], vec!["org-1".into()]).is_err());
        assert!(TrustZone::new(vec!["123456789012".into()], vec!["o-a1b2c3d4e5".into()]).is_ok());
    }

    #[test]
    fn preferred_caller_avoids_inside_accounts() {
        let t = TrustZone::new(vec![EXAMPLE_OUTSIDE_ACCOUNT.into()], vec![]).unwrap();
        let z = Zone::external(ResourceType::S3Bucket, &t);
        let (a, _) = z.preferred_caller().unwrap();
        assert_ne!(a, EXAMPLE_OUTSIDE_ACCOUNT);
    }
}
