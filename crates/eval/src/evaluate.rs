//! Statement and policy evaluation (docs/semantics.md, "Action and resource matching" and "Cross-account evaluation").

use crate::conditions::conditions_match;
use crate::context::effective_context;
use crate::matching::{
    glob_pattern, not_principal_layers, parse_principal_arn, principal_account,
    principal_entries_match, resolve_template, resource_matches, split_arn, ActionName,
    PrincipalArnKind, PrincipalMatch,
};
use crate::request::{Context, Decision, Principal, Request};
use iamproof_policy::{Effect, Policy, Statement};

/// Whether the action matches the statement's `Action`/`NotAction` (docs/semantics.md, "Action and resource matching").
///
/// An empty list (`"Action": []` or `"NotAction": []`) matches nothing: Access Analyzer says a
/// statement with an empty array "has no effect" (docs/semantics.md, "Document shape", (Access Analyzer's policy check reference)), for the negated
/// elements too.
pub fn statement_action_matches(statement: &Statement, action: &str) -> bool {
    let clause = &statement.action;
    if clause.patterns.is_empty() {
        return false;
    }
    let action = ActionName::new(action);
    let any = clause.patterns.iter().any(|p| action.matched_by(&p.text));
    any != clause.negated
}

/// Whether the resource matches the statement's `Resource`/`NotResource` (docs/semantics.md, "Action and resource matching"). A
/// statement without either (role trust policies) matches every resource. An entry holding an
/// unresolvable variable matches no resource (the Variables page); under `NotResource` it therefore excludes
/// nothing (iam-simulate instead makes the whole statement not match; FLAG). An empty list
/// matches nothing, as for actions.
pub fn statement_resource_matches(
    policy: &Policy,
    statement: &Statement,
    resource: &str,
    ctx: &Context,
) -> bool {
    let Some(clause) = &statement.resource else {
        return true;
    };
    if clause.patterns.is_empty() {
        return false;
    }
    let vars = policy.variables_enabled();
    let any = clause.patterns.iter().any(|p| {
        let pattern = if vars {
            resolve_template(&p.template, ctx, true)
        } else {
            Some(glob_pattern(&p.text))
        };
        pattern.is_some_and(|pat| resource_matches(&pat, resource, policy.policy_type))
    });
    any != clause.negated
}

/// How the statement's `Principal`/`NotPrincipal` matches the request principal (docs/semantics.md, "Principals and accounts"):
/// - no element: [`PrincipalMatch::Direct`] in identity policies and SCPs (they name no
///   principal), [`PrincipalMatch::None`] in resource policies and RCPs (iam-simulate
///   noPrincipalElement.json);
/// - `Principal`: the best match over its entries;
/// - `NotPrincipal`: the most specific layer of the principal (account, user or role, role
///   session) that the entries do not name ([`not_principal_layers`]): [`PrincipalMatch::None`]
///   when every layer is named, [`PrincipalMatch::Account`] when only the account is not, else
///   [`PrincipalMatch::Direct`]. So a listed account exempts only its root from a `Deny`; its
///   users and roles need their own entries. With `Allow` this grants everyone else, anonymous
///   included (docs/semantics.md, "Principals and accounts"), and a caller named everywhere but at its account gets an
///   account-level grant (delegation to the account's identity policies);
/// - an element with no entries (`{}`, `[]`, `{"AWS": []}`) matches nobody, negated or not
///   (docs/semantics.md, "Document shape": a statement with an empty array has no effect).
pub fn statement_principal_match(
    policy: &Policy,
    statement: &Statement,
    principal: &Principal,
) -> PrincipalMatch {
    match &statement.principal {
        None => {
            if policy.policy_type.has_principal() {
                PrincipalMatch::None
            } else {
                PrincipalMatch::Direct
            }
        }
        Some(clause) if clause.entries.is_empty() => PrincipalMatch::None,
        Some(clause) if clause.negated => {
            not_principal_layers(&clause.entries, principal).principal_match()
        }
        Some(clause) => principal_entries_match(&clause.entries, principal),
    }
}

/// Whether the statement applies to the request: principal (direct or account-level match)
/// ∧ action ∧ resource ∧ conditions (docs/semantics.md, "Action and resource matching"). Conditions and variables are evaluated against
/// [`effective_context`] of the request.
pub fn statement_applies(policy: &Policy, statement: &Statement, request: &Request) -> bool {
    let ctx = effective_context(request);
    statement_principal_match(policy, statement, &request.principal) != PrincipalMatch::None
        && statement_applies_ignoring_principal(policy, statement, request, &ctx)
}

/// Action ∧ resource ∧ conditions, with a precomputed effective context.
pub fn statement_applies_ignoring_principal(
    policy: &Policy,
    statement: &Statement,
    request: &Request,
    ctx: &Context,
) -> bool {
    statement_action_matches(statement, &request.action)
        && statement_resource_matches(policy, statement, &request.resource, ctx)
        && conditions_match(&statement.conditions, ctx, policy.variables_enabled())
}

/// One statement that applies to a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementMatch {
    /// The statement's 0-based index in its policy.
    pub statement_index: usize,
    /// The statement's `Sid`, if any.
    pub sid: Option<String>,
    /// How the principal matched ([`PrincipalMatch::Direct`] for policies without principals).
    pub principal: PrincipalMatch,
}

/// The meaning of one policy for one request: the Allow and the Deny statements that apply.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PolicyEvaluation {
    /// Applicable `Allow` statements.
    pub allow: Vec<StatementMatch>,
    /// Applicable `Deny` statements.
    pub deny: Vec<StatementMatch>,
}

impl PolicyEvaluation {
    /// Some Allow applies and no Deny applies.
    pub fn allows(&self) -> bool {
        !self.allow.is_empty() && self.deny.is_empty()
    }

    /// Some Deny applies.
    pub fn denies(&self) -> bool {
        !self.deny.is_empty()
    }

    /// Some applicable Allow matched the principal directly (or as a role/federated session),
    /// not only at account level.
    pub fn allows_directly(&self) -> bool {
        self.allow
            .iter()
            .any(|s| s.principal > PrincipalMatch::Account)
    }
}

/// Evaluates one policy on its own (docs/semantics.md, "Action and resource matching"): which Allow and which Deny statements apply.
/// A statement applies when its principal matches (directly or at account level), its action,
/// resource and conditions match. The boundary-specific `NotPrincipal` rule (docs/semantics.md, "Boundaries, session policies, SCPs and RCPs") is not
/// part of the single-policy meaning; [`crate::evaluate()`] applies it.
pub fn evaluate_policy(policy: &Policy, request: &Request) -> PolicyEvaluation {
    let ctx = effective_context(request);
    evaluate_policy_in(policy, request, &ctx, false)
}

/// [`evaluate_policy`] with a precomputed effective context; `principal_has_boundary` makes
/// every `Deny`+`NotPrincipal` statement match the principal (docs/semantics.md, "Boundaries, session policies, SCPs and RCPs", (the NotPrincipal page)).
pub fn evaluate_policy_in(
    policy: &Policy,
    request: &Request,
    ctx: &Context,
    principal_has_boundary: bool,
) -> PolicyEvaluation {
    let mut out = PolicyEvaluation::default();
    for statement in &policy.statements {
        let forced = principal_has_boundary
            && statement.effect == Effect::Deny
            && statement.principal.as_ref().is_some_and(|p| p.negated);
        let principal = if forced {
            PrincipalMatch::Direct
        } else {
            statement_principal_match(policy, statement, &request.principal)
        };
        if principal == PrincipalMatch::None
            || !statement_applies_ignoring_principal(policy, statement, request, ctx)
        {
            continue;
        }
        let m = StatementMatch {
            statement_index: statement.index,
            sid: statement.sid.clone(),
            principal,
        };
        match statement.effect {
            Effect::Allow => out.allow.push(m),
            Effect::Deny => out.deny.push(m),
        }
    }
    out
}

/// The kind of a policy within a [`PolicySet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// An identity-based policy of the principal.
    Identity,
    /// The resource-based policy (bucket policy, key policy, role trust policy…).
    Resource,
    /// A permissions boundary of the principal.
    PermissionBoundary,
    /// The session policy.
    Session,
    /// A service control policy at the given level of the OU path (0 = root).
    ServiceControl {
        /// The level of the OU path.
        level: usize,
    },
    /// A resource control policy at the given level of the OU path (0 = root).
    ResourceControl {
        /// The level of the OU path.
        level: usize,
    },
    /// A VPC endpoint policy.
    Endpoint,
}

/// Which policy of a [`PolicySet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PolicyRef {
    /// The kind (and OU level for SCPs/RCPs).
    pub kind: PolicyKind,
    /// The index within its list (0 for the single resource or session policy).
    pub index: usize,
}

/// One statement of one policy of a [`PolicySet`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StatementRef {
    /// The policy.
    pub policy: PolicyRef,
    /// The statement's 0-based index in the policy.
    pub statement_index: usize,
    /// The statement's `Sid`, if any.
    pub sid: Option<String>,
}

/// Every policy that takes part in one authorization (docs/semantics.md, "Cross-account evaluation").
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PolicySet {
    /// Identity-based policies of the principal (ORed).
    pub identity: Vec<Policy>,
    /// The resource-based policy, if the resource has one.
    pub resource: Option<Policy>,
    /// Permissions boundaries of the principal (each must allow; empty = none).
    pub permission_boundaries: Vec<Policy>,
    /// The session policy, if the session has one.
    pub session: Option<Policy>,
    /// SCPs of the principal's account, by OU-path level (root first): every level must allow
    /// (AND across levels, OR within one). Empty = no SCPs apply.
    pub scps: Vec<Vec<Policy>>,
    /// RCPs of the resource's account, by OU-path level. Only their Deny statements matter:
    /// AWS attaches the managed `RCPFullAWSAccess` (allow everything) to every root, OU and
    /// account once RCPs are enabled and it cannot be detached (the policy evaluation logic page), so every level
    /// always allows. Giving it explicitly changes nothing. Empty = none.
    pub rcps: Vec<Vec<Policy>>,
    /// VPC endpoint policies the request passes through (each must allow; empty = none).
    pub endpoint: Vec<Policy>,
}

/// The result of [`evaluate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// The decision.
    pub decision: Decision,
    /// For `ExplicitlyDenied`: every applicable Deny statement. For `Allowed`: the Allow
    /// statements of the identity and resource policies that grant. Empty for
    /// `ImplicitlyDenied`.
    pub deciding: Vec<StatementRef>,
    /// Whether principal and resource are in the same account.
    pub same_account: bool,
}

struct Evaluated<'a> {
    kind: PolicyKind,
    index: usize,
    eval: PolicyEvaluation,
    _policy: &'a Policy,
}

impl Evaluated<'_> {
    fn refs<'s>(&'s self, list: &'s [StatementMatch]) -> impl Iterator<Item = StatementRef> + 's {
        list.iter().map(move |m| StatementRef {
            policy: PolicyRef {
                kind: self.kind,
                index: self.index,
            },
            statement_index: m.statement_index,
            sid: m.sid.clone(),
        })
    }
}

fn eval_all<'a>(
    policies: &'a [Policy],
    kind: PolicyKind,
    request: &Request,
    ctx: &Context,
    has_boundary: bool,
) -> Vec<Evaluated<'a>> {
    policies
        .iter()
        .enumerate()
        .map(|(index, p)| Evaluated {
            kind,
            index,
            eval: evaluate_policy_in(p, request, ctx, has_boundary),
            _policy: p,
        })
        .collect()
}

fn any_allow(list: &[Evaluated<'_>]) -> bool {
    list.iter().any(|e| !e.eval.allow.is_empty())
}

/// Evaluates a request against a set of policies (docs/semantics.md, "Cross-account evaluation"):
///
/// 1. `sts:GetCallerIdentity` by any authenticated principal is allowed whatever the policies
///    say ("No permissions are required … even if … explicitly denies";
///    <https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html>).
/// 2. An applicable Deny in any policy that applies to the caller wins: identity, boundaries,
///    session, SCPs (IAM principals only), RCPs, endpoint, and the resource policy (also when it
///    matches the caller only at account level, and `Deny`+`NotPrincipal` always matches a
///    principal with a boundary).
/// 3. Guards: every SCP level must allow (IAM principals only: SCPs do not limit service
///    principals or anonymous callers); every endpoint policy must allow. RCP levels always
///    allow (the undetachable `RCPFullAWSAccess`), so RCPs act through their Denies only.
/// 4. Grant: with `identity path` = (identity allow, or the caller is the account root user) ∧
///    every boundary allows ∧ the session policy (if any) allows:
///    - anonymous, service, federated-IdP and canonical-user callers: a resource-policy Allow
///      that names them directly;
///    - same account: `identity path` ∨ a direct resource-policy grant to the user/session ARN
///      (or `*`) ∨ a grant through the role ARN or the federated session's user ARN that the
///      boundaries and session policy also allow (the policy evaluation logic page). For KMS keys (`kms` resources
///      `key/…`) and for STS with a resource (role trust) policy, the identity path counts only
///      if the resource policy also allows the caller's account (the policy evaluation logic page; iam-simulate: Kms/Sts).
///    - cross account: the resource policy allows the caller (at any level, account included)
///      ∧ `identity path` (the cross-account evaluation page).
/// 5. AWS-fixed restrictions that no policy can lift (checked last, on an Allow): AWS-managed
///    IAM policies cannot be changed, roles under `/aws-reserved/` cannot be changed, and AWS
///    managed KMS aliases (`alias/aws/…`) cannot be created, updated or deleted.
pub fn evaluate(set: &PolicySet, request: &Request) -> Evaluation {
    let ctx = effective_context(request);
    let principal = &request.principal;
    let p_account = principal_account(principal);
    let r_account = request.resource_account.as_deref().or(p_account);
    let same_account = p_account.is_some() && p_account == r_account;
    let iam_principal = matches!(principal, Principal::Arn(_));
    let is_root = match principal {
        Principal::Arn(a) => {
            parse_principal_arn(a).is_some_and(|p| p.kind == PrincipalArnKind::Root)
        }
        _ => false,
    };
    let has_boundary = !set.permission_boundaries.is_empty();

    if iam_principal && request.action.eq_ignore_ascii_case("sts:GetCallerIdentity") {
        return Evaluation {
            decision: Decision::Allowed,
            deciding: Vec::new(),
            same_account,
        };
    }

    // Policies that apply to this caller.
    let caller_policies = iam_principal;
    let identity = if caller_policies {
        eval_all(&set.identity, PolicyKind::Identity, request, &ctx, false)
    } else {
        Vec::new()
    };
    let boundaries = if caller_policies {
        eval_all(
            &set.permission_boundaries,
            PolicyKind::PermissionBoundary,
            request,
            &ctx,
            false,
        )
    } else {
        Vec::new()
    };
    let session = match (&set.session, caller_policies) {
        (Some(p), true) => eval_all(
            std::slice::from_ref(p),
            PolicyKind::Session,
            request,
            &ctx,
            false,
        ),
        _ => Vec::new(),
    };
    let scps: Vec<Vec<Evaluated<'_>>> = if caller_policies {
        set.scps
            .iter()
            .enumerate()
            .map(|(level, ps)| {
                eval_all(
                    ps,
                    PolicyKind::ServiceControl { level },
                    request,
                    &ctx,
                    false,
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let rcps: Vec<Vec<Evaluated<'_>>> = set
        .rcps
        .iter()
        .enumerate()
        .map(|(level, ps)| {
            eval_all(
                ps,
                PolicyKind::ResourceControl { level },
                request,
                &ctx,
                false,
            )
        })
        .collect();
    let endpoint = eval_all(&set.endpoint, PolicyKind::Endpoint, request, &ctx, false);
    let resource = match &set.resource {
        Some(p) => eval_all(
            std::slice::from_ref(p),
            PolicyKind::Resource,
            request,
            &ctx,
            has_boundary && iam_principal,
        ),
        None => Vec::new(),
    };

    // 2. Explicit denies.
    let mut denies: Vec<StatementRef> = Vec::new();
    for e in identity
        .iter()
        .chain(&boundaries)
        .chain(&session)
        .chain(scps.iter().flatten())
        .chain(rcps.iter().flatten())
        .chain(&endpoint)
        .chain(&resource)
    {
        denies.extend(e.refs(&e.eval.deny));
    }
    if !denies.is_empty() {
        return Evaluation {
            decision: Decision::ExplicitlyDenied,
            deciding: denies,
            same_account,
        };
    }

    let implicit = Evaluation {
        decision: Decision::ImplicitlyDenied,
        deciding: Vec::new(),
        same_account,
    };

    // 3. Guards.
    if !scps.iter().all(|level| any_allow(level))
        || !endpoint.iter().all(|e| !e.eval.allow.is_empty())
    {
        return implicit;
    }

    // 4. Grant.
    let rp: Option<&Evaluated<'_>> = resource.first();
    let rp_allows = |pred: &dyn Fn(PrincipalMatch) -> bool| -> Vec<StatementRef> {
        match rp {
            Some(e) => {
                let ms: Vec<StatementMatch> = e
                    .eval
                    .allow
                    .iter()
                    .filter(|m| pred(m.principal))
                    .cloned()
                    .collect();
                e.refs(&ms).collect()
            }
            None => Vec::new(),
        }
    };
    let direct = rp_allows(&|m| m == PrincipalMatch::Direct);
    let via_session = rp_allows(&|m| {
        matches!(
            m,
            PrincipalMatch::SessionViaRole | PrincipalMatch::SessionViaUser
        )
    });
    let account_level = rp_allows(&|m| m == PrincipalMatch::Account);

    if !iam_principal {
        return if direct.is_empty() {
            implicit
        } else {
            Evaluation {
                decision: Decision::Allowed,
                deciding: direct,
                same_account,
            }
        };
    }

    let identity_allows: Vec<StatementRef> = identity
        .iter()
        .flat_map(|e| e.refs(&e.eval.allow))
        .collect();
    let boundaries_ok = boundaries.iter().all(|e| !e.eval.allow.is_empty());
    let session_ok = session.iter().all(|e| !e.eval.allow.is_empty());
    let limits_ok = boundaries_ok && session_ok;
    let identity_path = (is_root || !identity_allows.is_empty()) && limits_ok;

    let mut grant: Vec<StatementRef> = Vec::new();
    let allowed = if same_account {
        let trust_ok =
            !explicit_trust_required(request, set.resource.is_some()) || !account_level.is_empty();
        let via_identity = identity_path && trust_ok;
        if via_identity {
            grant.extend(identity_allows.iter().cloned());
            grant.extend(account_level.iter().cloned());
        }
        grant.extend(direct.iter().cloned());
        let via_session_ok = limits_ok && !via_session.is_empty();
        if via_session_ok {
            grant.extend(via_session.iter().cloned());
        }
        via_identity || !direct.is_empty() || via_session_ok
    } else {
        let resource_side: Vec<StatementRef> = direct
            .iter()
            .chain(&via_session)
            .chain(&account_level)
            .cloned()
            .collect();
        let ok = identity_path && !resource_side.is_empty();
        if ok {
            grant.extend(identity_allows.iter().cloned());
            grant.extend(resource_side);
        }
        ok
    };
    if !allowed {
        return implicit;
    }
    if aws_fixed_restriction(request) {
        return implicit;
    }
    Evaluation {
        decision: Decision::Allowed,
        deciding: grant,
        same_account,
    }
}

/// Whether, within one account, identity policies count only when the resource policy allows
/// the account: KMS keys (the policy evaluation logic page "AWS KMS key policies")(iam-simulate: KmsServiceAuthorizer.ts) and STS
/// with a role trust policy (the policy evaluation logic page "IAM role trust policies")(iam-simulate: StsServiceAuthorizer.ts).
pub fn explicit_trust_required(request: &Request, has_resource_policy: bool) -> bool {
    let service = request
        .action
        .split_once(':')
        .map(|(s, _)| s.to_ascii_lowercase())
        .unwrap_or_default();
    match service.as_str() {
        "kms" => split_arn(&request.resource).is_some_and(|f| {
            f[2] == "kms"
                && f[5]
                    .get(..4)
                    .is_some_and(|p| p.eq_ignore_ascii_case("key/"))
        }),
        "sts" => has_resource_policy,
        _ => false,
    }
}

/// AWS-fixed restrictions no policy can lift (see [`evaluate`] step 5):
/// - AWS managed policies (`arn:aws:iam::aws:policy/…`) cannot be created, versioned, deleted or
///   tagged (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies>: "You cannot change the permissions defined in AWS managed policies");
/// - roles under the `/aws-reserved/` path (IAM Identity Center) cannot be modified
///   (<https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html>);
/// - AWS managed KMS key aliases (`alias/aws/…`) cannot be created, updated or deleted
///   (<https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html>).
pub fn aws_fixed_restriction(request: &Request) -> bool {
    let action = request.action.to_ascii_lowercase();
    let Some(f) = split_arn(&request.resource) else {
        return false;
    };
    let res = f[5].to_ascii_lowercase();
    const POLICY_ACTIONS: &[&str] = &[
        "iam:createpolicy",
        "iam:createpolicyversion",
        "iam:deletepolicy",
        "iam:deletepolicyversion",
        "iam:setdefaultpolicyversion",
        "iam:tagpolicy",
        "iam:untagpolicy",
    ];
    const ROLE_ACTIONS: &[&str] = &[
        "iam:attachrolepolicy",
        "iam:createrole",
        "iam:createservicelinkedrole",
        "iam:deleterole",
        "iam:deleterolepermissionsboundary",
        "iam:deleterolepolicy",
        "iam:deleteservicelinkedrole",
        "iam:detachrolepolicy",
        "iam:passrole",
        "iam:putrolepermissionsboundary",
        "iam:putrolepolicy",
        "iam:tagrole",
        "iam:untagrole",
        "iam:updateassumerolepolicy",
        "iam:updaterole",
        "iam:updateroledescription",
    ];
    const ALIAS_ACTIONS: &[&str] = &["kms:createalias", "kms:deletealias", "kms:updatealias"];
    (POLICY_ACTIONS.contains(&action.as_str()) && f[4] == "aws" && res.starts_with("policy/"))
        || (ROLE_ACTIONS.contains(&action.as_str()) && res.starts_with("role/aws-reserved/"))
        || (ALIAS_ACTIONS.contains(&action.as_str()) && res.starts_with("alias/aws/"))
}
