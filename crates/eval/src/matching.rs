//! Concrete matching of the statement elements against one request (docs/semantics.md, "Action and resource matching" and "Version and policy variables"): globs,
//! actions, resources/ARNs, principals, and policy-variable templates.
//!
//! Every function here is total and bounded. Glob matching and case folding are
//! `iamproof_policy::glob` (the workspace's one matcher: two pointers with backtracking to the
//! last star, `O(|pattern| · |text|)` at worst, linear in the common case); nothing recurses on
//! input.

use crate::request::{Context, ContextValue, Principal};
use iamproof_policy::glob;
use iamproof_policy::{PolicyType, PrincipalEntry, PrincipalKind, Template, TemplatePart};

/// One element of a glob pattern: `Char(c)` (literal, or ignoring case where the caller asks for
/// it), `AnyRun` (`*`), `AnyOne` (`?`). The shared [`iamproof_policy::glob::Token`].
pub use iamproof_policy::glob::Token as PatternChar;

/// Reads `*` and `?` in `s` as wildcards and every other character literally.
pub fn glob_pattern(s: &str) -> Vec<PatternChar> {
    glob::parse(s)
}

/// Reads every character of `s` literally (no wildcards).
pub fn literal_pattern(s: &str) -> Vec<PatternChar> {
    glob::literal(s)
}

/// Glob match of a whole text against a pattern, case-sensitively (`*` spans everything,
/// including `/` and `:`). See [`iamproof_policy::glob::matches`].
pub fn glob_match(pattern: &[PatternChar], text: &str) -> bool {
    glob::matches_str(pattern, text)
}

/// [`glob_match`] over a pre-split text.
pub fn glob_match_chars(pattern: &[PatternChar], text: &[char]) -> bool {
    glob::matches(pattern, text)
}

/// `StringLike` on literal text: case-sensitive glob where `*`/`?` in `pattern` are wildcards.
pub fn string_like(pattern: &str, value: &str) -> bool {
    glob_match(&glob_pattern(pattern), value)
}

/// Action matching (docs/semantics.md, "Action and resource matching"): `*` matches every action; `svc:pat` matches iff the service
/// prefixes are equal ignoring ASCII case and `pat` glob-matches the action name ignoring case
/// (both sides folded per character with [`iamproof_policy::glob::fold_case`], so a final `Σ`
/// is `σ` on both sides). A pattern or action without exactly one colon (other than `*`)
/// matches nothing, and so does a wildcard in the service prefix (the parser rejects it). A comma or whitespace is an ordinary
/// character, so `s3:GetObject,PutObject` and `s3: GetObject` match nothing real
/// (iam-simulate commas.json / whitespaceActions.json).
pub fn action_matches(pattern: &str, action: &str) -> bool {
    ActionName::new(action).matched_by(pattern)
}

/// An action split once into service prefix and name, to be matched against many patterns
/// (a statement's `Action` list): [`action_matches`] on each, without splitting the action
/// again, and with the service prefixes compared first (most patterns of a long list name
/// another service).
#[derive(Debug, Clone, Copy)]
pub struct ActionName<'a> {
    /// `(service, name)`; `None` when the action does not have exactly one colon.
    parts: Option<(&'a str, &'a str)>,
}

impl<'a> ActionName<'a> {
    /// Splits `action` on its colon.
    pub fn new(action: &'a str) -> Self {
        ActionName {
            parts: action
                .split_once(':')
                .filter(|(_, name)| !name.contains(':')),
        }
    }

    /// [`action_matches`]`(pattern, action)`.
    pub fn matched_by(&self, pattern: &str) -> bool {
        if pattern == "*" {
            return true;
        }
        let (Some((rs, ra)), Some((ps, pa))) = (self.parts, pattern.split_once(':')) else {
            return false;
        };
        if ps.is_empty() || !ps.eq_ignore_ascii_case(rs) || ps.contains(['*', '?']) {
            return false;
        }
        if pa.is_empty() || pa.contains(':') {
            return false;
        }
        glob::matches_text_ignore_case(pa, ra)
    }
}

/// Splits a pattern into its 6 ARN fields on the first five `:` characters (a `:` from any
/// source, including a substituted variable, separates fields). `None` if there are fewer than
/// five colons.
pub fn split_arn_pattern(pattern: &[PatternChar]) -> Option<[&[PatternChar]; 6]> {
    let mut fields: [&[PatternChar]; 6] = [&[]; 6];
    let mut start = 0usize;
    let mut n = 0usize;
    for (i, c) in pattern.iter().enumerate() {
        if n == 5 {
            break;
        }
        if *c == PatternChar::Char(':') {
            *fields.get_mut(n)? = pattern.get(start..i)?;
            start = i + 1;
            n += 1;
        }
    }
    if n < 5 {
        return None;
    }
    fields[5] = pattern.get(start..)?;
    Some(fields)
}

/// Splits an ARN into its 6 fields on the first five colons; `None` if there are fewer.
pub fn split_arn(arn: &str) -> Option<[&str; 6]> {
    let mut it = arn.splitn(6, ':');
    let f = [
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
    ];
    Some(f)
}

/// `ArnLike`/`ArnEquals` (docs/semantics.md, "ARN matching"): both sides split into 6 fields on the first five colons;
/// each field glob-matches case-sensitively (so `*` never crosses a field-separating colon, but
/// inside the 6th field it spans `/` and `:`). A side with fewer than six fields never matches.
pub fn arn_like(pattern: &[PatternChar], value: &str) -> bool {
    let (Some(pf), Some(vf)) = (split_arn_pattern(pattern), split_arn(value)) else {
        return false;
    };
    pf.iter().zip(vf.iter()).all(|(p, v)| glob_match(p, v))
}

/// Resource matching for one (already resolved) `Resource` entry (docs/semantics.md, "Action and resource matching"):
/// - a pattern that is only `*` matches every resource, including `*` (actions without a
///   resource ARN);
/// - otherwise the pattern is matched field-wise like [`arn_like`], and a request resource of
///   `*` (or anything that is not an ARN) matches no specific pattern;
/// - **short ARNs** (fewer than six fields) follow iam-simulate's resource.ts, which is the
///   only precise source (AWS is silent; FLAG): in identity, session and boundary policies
///   (`PolicyType::Identity`) the missing fields are padded with `*`; in resource (and VPC
///   endpoint) policies a short ARN matches only if it contains a wildcard, and then padded;
///   in SCPs only if its last field ends with `*` (otherwise it is rejected, so no match); in
///   RCPs never.
///
/// Wildcards are glob-matched in every field, the service field included (docs/semantics.md, "Action and resource matching": the
/// Resource page says a wildcard there is not allowed, Access Analyzer only suggests avoiding
/// it; the parser FLAGs it), and inside the resource field `*` spans `/` and `:` (as
/// iam-simulate; the resource field is one ARN segment).
///
/// Field comparison is case-sensitive in all six fields (docs/semantics.md, "Open questions and our answers"). (iam-simulate ignores case in the first
/// five; AWS requires the service field to be lowercase and documents ARN matching as
/// case-sensitive (the condition operators page ArnLike), so a non-canonical pattern simply matches nothing here.)
pub fn resource_matches(pattern: &[PatternChar], resource: &str, policy_type: PolicyType) -> bool {
    if pattern.iter().all(|c| *c == PatternChar::AnyRun) && !pattern.is_empty() {
        return true;
    }
    if split_arn_pattern(pattern).is_some() {
        return arn_like(pattern, resource);
    }
    if pattern.is_empty() {
        return false;
    }
    // A short ARN.
    let has_wildcard = pattern
        .iter()
        .any(|c| matches!(c, PatternChar::AnyRun | PatternChar::AnyOne));
    let expand = match policy_type {
        PolicyType::Identity => true,
        PolicyType::Resource => has_wildcard,
        PolicyType::ServiceControl => {
            let last_field = pattern
                .rsplit(|c| *c == PatternChar::Char(':'))
                .next()
                .unwrap_or(&[]);
            last_field.last() == Some(&PatternChar::AnyRun)
        }
        PolicyType::ResourceControl => false,
    };
    if !expand {
        return false;
    }
    let colons = pattern
        .iter()
        .filter(|c| **c == PatternChar::Char(':'))
        .count();
    let mut padded = pattern.to_vec();
    for _ in colons..5 {
        padded.push(PatternChar::Char(':'));
        padded.push(PatternChar::AnyRun);
    }
    arn_like(&padded, resource)
}

/// Resolves a template to a glob pattern against the (effective) context (docs/semantics.md, "Version and policy variables"):
/// - `Literal` text: `*`/`?` are wildcards when `glob` is true, literal otherwise;
/// - `Escaped` text (`${*}`, `${?}`, `${$}`): always literal;
/// - `Variable`: the key's single value, substituted **literally** (a `*` or `?` in the value is
///   not a wildcard; iam-simulate util.ts escaping; FLAG). A multivalued key behaves like a
///   missing one (iam-simulate util.ts). A missing key uses the default (`${k, 'd'}`, also
///   literal) or, without a default, makes the whole value unresolvable: `None`.
///
/// Variable names `*`, `?` and `$` resolve to themselves even if the parser left them as
/// variables.
pub fn resolve_template(
    template: &Template,
    ctx: &Context,
    glob: bool,
) -> Option<Vec<PatternChar>> {
    let mut out = Vec::new();
    for part in &template.parts {
        match part {
            TemplatePart::Literal(s) => {
                if glob {
                    out.extend(glob_pattern(s));
                } else {
                    out.extend(literal_pattern(s));
                }
            }
            TemplatePart::Escaped(s) => out.extend(literal_pattern(s)),
            TemplatePart::Variable { key, default } => {
                let value = variable_value(key, ctx).or_else(|| default.clone())?;
                out.extend(literal_pattern(&value));
            }
        }
    }
    Some(out)
}

/// The value a `${key}` variable takes: `*`, `?`, `$` for the special names, the key's value if
/// it is single-valued, `None` if it is missing or multivalued.
pub fn variable_value(key: &str, ctx: &Context) -> Option<String> {
    match key.trim() {
        "*" | "?" | "$" => return Some(key.trim().to_string()),
        _ => {}
    }
    match ctx.get(key.trim()) {
        Some(ContextValue::Single(s)) => Some(s.clone()),
        _ => None,
    }
}

/// The text of a fully literal pattern, or `None` if it has a wildcard.
pub fn pattern_text(pattern: &[PatternChar]) -> Option<String> {
    pattern
        .iter()
        .map(|c| match c {
            PatternChar::Char(c) => Some(*c),
            _ => None,
        })
        .collect()
}

/// How a request principal matches one `Principal` entry (docs/semantics.md, "Principals and accounts"), strongest last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrincipalMatch {
    /// No match.
    None,
    /// The entry names the principal's account (`"123456789012"` or `arn:…:iam::A:root`): the
    /// account delegates to its own identity policies; grants nothing alone (docs/semantics.md, "Principals and accounts").
    Account,
    /// A federated-user session matched through the IAM user ARN that (by name) owns it; limited
    /// by boundaries and session policies like a role grant (docs/semantics.md, "Boundaries, session policies, SCPs and RCPs").
    SessionViaUser,
    /// A role session matched through its role ARN; limited by boundaries and session policies
    /// (docs/semantics.md, "Boundaries, session policies, SCPs and RCPs").
    SessionViaRole,
    /// The principal is named directly: `*`, its exact ARN, service, federated provider or
    /// canonical user.
    Direct,
}

/// The parts of an IAM/STS principal ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalArn<'a> {
    /// `aws`, `aws-cn`, …
    pub partition: &'a str,
    /// `iam` or `sts`.
    pub service: &'a str,
    /// The 12-digit account (or whatever the ARN holds there).
    pub account: &'a str,
    /// What kind of principal the ARN names.
    pub kind: PrincipalArnKind<'a>,
}

/// The principal kinds an IAM/STS ARN can name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalArnKind<'a> {
    /// `arn:P:iam::A:root`
    Root,
    /// `arn:P:iam::A:user/path/name`: the user name (last path segment).
    User(&'a str),
    /// `arn:P:iam::A:role/path/name`: the role name (last path segment).
    Role(&'a str),
    /// `arn:P:sts::A:assumed-role/name/session`.
    AssumedRole {
        /// The role name (no path).
        role: &'a str,
        /// The session name.
        session: &'a str,
    },
    /// `arn:P:sts::A:federated-user/name`.
    FederatedUser(&'a str),
    /// Any other IAM/STS ARN.
    Other,
}

/// Parses an IAM/STS principal ARN; `None` if it is not an ARN.
pub fn parse_principal_arn(arn: &str) -> Option<PrincipalArn<'_>> {
    let [prefix, partition, service, _region, account, resource] = split_arn(arn)?;
    if prefix != "arn" {
        return None;
    }
    let kind = match (service, resource) {
        ("iam", "root") => PrincipalArnKind::Root,
        ("iam", r) if r.starts_with("user/") => {
            PrincipalArnKind::User(r.rsplit('/').next().unwrap_or(""))
        }
        ("iam", r) if r.starts_with("role/") => {
            PrincipalArnKind::Role(r.rsplit('/').next().unwrap_or(""))
        }
        ("sts", r) if r.starts_with("assumed-role/") => {
            let rest = &r["assumed-role/".len()..];
            match rest.split_once('/') {
                Some((role, session)) if !role.is_empty() && !session.is_empty() => {
                    PrincipalArnKind::AssumedRole { role, session }
                }
                _ => PrincipalArnKind::Other,
            }
        }
        ("sts", r) if r.starts_with("federated-user/") => {
            PrincipalArnKind::FederatedUser(&r["federated-user/".len()..])
        }
        _ => PrincipalArnKind::Other,
    };
    Some(PrincipalArn {
        partition,
        service,
        account,
        kind,
    })
}

/// The account a principal belongs to: the account field of an IAM/STS ARN; `None` for
/// anonymous, service, federated-provider and canonical-user principals.
pub fn principal_account(principal: &Principal) -> Option<&str> {
    match principal {
        Principal::Arn(a) => parse_principal_arn(a).map(|p| p.account),
        _ => None,
    }
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Matches one `Principal`/`NotPrincipal` entry against the request principal (docs/semantics.md, "Principals and accounts"):
/// - `Everyone` and `{"AWS":"*"}` match every caller, anonymous included; anonymous matches
///   nothing else; `{"Service":"*"}`, `{"Federated":"*"}` and `{"CanonicalUser":"*"}` match
///   every caller of that kind;
/// - `{"AWS": account-id}` and `{"AWS": "arn:P:iam::A:root"}`: [`PrincipalMatch::Account`] for
///   any IAM/STS principal of account A (same partition for the ARN form);
/// - a role ARN: [`PrincipalMatch::SessionViaRole`] for the role itself used as a caller and `arn:P:sts::A:assumed-role/<name>/…`
///   where `<name>` is the role ARN's last path segment, compared ignoring ASCII case (IAM role
///   names are unique ignoring case and AWS stores the principal as the role's unique id, so the
///   case of the name in the policy cannot matter; iam-simulate principal.ts does the same);
/// - a user ARN: [`PrincipalMatch::SessionViaUser`] for `arn:P:sts::A:federated-user/<name>`
///   when `arn:P:iam::A:user/<name>` equals it (the session ARN does not say which user made
///   it; iam-simulate's heuristic);
/// - otherwise exact, case-sensitive string equality gives [`PrincipalMatch::Direct`]: an ARN
///   against an ARN principal, `Service` against a service principal, `Federated` against a
///   federated principal, `CanonicalUser` against a canonical user.
pub fn principal_entry_matches(entry: &PrincipalEntry, principal: &Principal) -> PrincipalMatch {
    let value = entry.value.as_str();
    let everyone = match entry.kind {
        PrincipalKind::Everyone => true,
        PrincipalKind::Aws => value == "*",
        _ => false,
    };
    if everyone {
        return PrincipalMatch::Direct;
    }
    // `{"Service": "*"}`, `{"Federated": "*"}`, `{"CanonicalUser": "*"}`: every principal of the
    // kind (docs/semantics.md, "Principal wildcards of one kind").
    let any_of_kind = value == "*"
        && matches!(
            (entry.kind, principal),
            (PrincipalKind::Service, Principal::Service(_))
                | (PrincipalKind::Federated, Principal::Federated(_))
                | (PrincipalKind::CanonicalUser, Principal::CanonicalUser(_))
        );
    if any_of_kind {
        return PrincipalMatch::Direct;
    }
    let direct_if = |b: bool| {
        if b {
            PrincipalMatch::Direct
        } else {
            PrincipalMatch::None
        }
    };
    match (entry.kind, principal) {
        (_, Principal::Anonymous) => PrincipalMatch::None,
        (PrincipalKind::Service, Principal::Service(s)) => direct_if(s == value),
        (PrincipalKind::Federated, Principal::Federated(f)) => direct_if(f == value),
        (PrincipalKind::CanonicalUser, Principal::CanonicalUser(c)) => direct_if(c == value),
        (PrincipalKind::Aws, Principal::Arn(arn)) => aws_entry_matches(value, arn),
        _ => PrincipalMatch::None,
    }
}

fn aws_entry_matches(value: &str, arn: &str) -> PrincipalMatch {
    let Some(req) = parse_principal_arn(arn) else {
        return PrincipalMatch::None;
    };
    if is_account_id(value) {
        return if req.account == value {
            PrincipalMatch::Account
        } else {
            PrincipalMatch::None
        };
    }
    if value == arn {
        // A role acts only through its sessions, so a role ARN used as the caller and named in
        // the policy is a grant *to the role*: limited by boundaries and session policies
        // (the policy evaluation logic page), like a session matched through its role.
        return if matches!(req.kind, PrincipalArnKind::Role(_)) {
            PrincipalMatch::SessionViaRole
        } else {
            PrincipalMatch::Direct
        };
    }
    let Some(ent) = parse_principal_arn(value) else {
        return PrincipalMatch::None;
    };
    if ent.partition != req.partition || ent.account != req.account {
        return PrincipalMatch::None;
    }
    match (&ent.kind, &req.kind) {
        (PrincipalArnKind::Root, _) if ent.service == "iam" => PrincipalMatch::Account,
        (PrincipalArnKind::Role(role), PrincipalArnKind::AssumedRole { role: r, .. })
            if role.eq_ignore_ascii_case(r) =>
        {
            PrincipalMatch::SessionViaRole
        }
        (PrincipalArnKind::User(_), PrincipalArnKind::FederatedUser(name)) => {
            let user_arn = format!("arn:{}:iam::{}:user/{}", req.partition, req.account, name);
            if user_arn == value {
                PrincipalMatch::SessionViaUser
            } else {
                PrincipalMatch::None
            }
        }
        _ => PrincipalMatch::None,
    }
}

/// Which layers of the request principal a `NotPrincipal` list names (docs/semantics.md,
/// "NotPrincipal, layer by layer").
///
/// The IAM User Guide's `NotPrincipal` page says AWS checks a principal in layers, the account,
/// then the user or role, then the role session, and that a `Deny` with `NotPrincipal` applies
/// at every layer whose identity is not listed: with
/// `["arn:aws:iam::444455556666:user/Bob", "arn:aws:iam::444455556666:root"]` "all principals
/// except the user named Bob in AWS account 444455556666 are explicitly denied". The layers of
/// a caller are:
/// - the account root `arn:P:iam::A:root`: its account (an account id `A` or the root ARN);
/// - an IAM user, a role used as a caller, any other IAM/STS ARN: its account, then its own
///   exact ARN;
/// - a federated-user session `arn:P:sts::A:federated-user/N`: its account, then its own exact
///   ARN or the IAM user that names it in a `Principal` (`arn:P:iam::A:user/N`, as
///   [`principal_entry_matches`] matches sessions to users);
/// - a role session `arn:P:sts::A:assumed-role/R/S`: its account, its role (a role ARN whose
///   name is `R`, matched as [`principal_entry_matches`] matches sessions to roles), then its
///   exact session ARN;
/// - a service, federated identity provider or canonical user: itself, exactly;
/// - anonymous: only `*` names it.
///
/// `*` (or `{"AWS": "*"}`) names every layer of every caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotPrincipalLayers {
    /// The account layer is named (always `true` for callers without an account layer).
    pub account: bool,
    /// Every layer below the account is named (for an account root: its account).
    pub identity: bool,
}

impl NotPrincipalLayers {
    /// How a `NotPrincipal` statement matches the caller: at the most specific layer that is
    /// not named. [`PrincipalMatch::None`] when every layer is named;
    /// [`PrincipalMatch::Account`] when only the account is not named (an `Allow` then grants
    /// the account, which delegates to its identity policies, and a `Deny` denies);
    /// [`PrincipalMatch::Direct`] when the caller's own identity is not named.
    pub fn principal_match(self) -> PrincipalMatch {
        match (self.account, self.identity) {
            (true, true) => PrincipalMatch::None,
            (false, true) => PrincipalMatch::Account,
            (_, false) => PrincipalMatch::Direct,
        }
    }
}

/// The layers of `principal` that the `NotPrincipal` `entries` name; see [`NotPrincipalLayers`].
pub fn not_principal_layers(
    entries: &[PrincipalEntry],
    principal: &Principal,
) -> NotPrincipalLayers {
    let all = |b: bool| NotPrincipalLayers {
        account: b,
        identity: b,
    };
    let everyone = entries.iter().any(|e| {
        e.kind == PrincipalKind::Everyone || (e.kind == PrincipalKind::Aws && e.value == "*")
    });
    if everyone {
        return all(true);
    }
    let arn = match principal {
        Principal::Anonymous => return all(false),
        Principal::Arn(arn) => arn,
        _ => {
            return all(entries
                .iter()
                .any(|e| principal_entry_matches(e, principal) == PrincipalMatch::Direct))
        }
    };
    let Some(req) = parse_principal_arn(arn) else {
        return all(false);
    };
    let matches: Vec<PrincipalMatch> = entries
        .iter()
        .map(|e| principal_entry_matches(e, principal))
        .collect();
    let own = entries
        .iter()
        .any(|e| e.kind == PrincipalKind::Aws && e.value == *arn);
    let account =
        matches.contains(&PrincipalMatch::Account) || (req.kind == PrincipalArnKind::Root && own);
    let identity = match req.kind {
        PrincipalArnKind::Root => account,
        PrincipalArnKind::AssumedRole { .. } => {
            own && matches.contains(&PrincipalMatch::SessionViaRole)
        }
        // The entry that names the session in a `Principal` (its user) names it here too.
        PrincipalArnKind::FederatedUser(_) => {
            own || matches.contains(&PrincipalMatch::SessionViaUser)
        }
        _ => own,
    };
    NotPrincipalLayers { account, identity }
}

/// The best match of the principal against a list of entries (the entries are ORed).
pub fn principal_entries_match(
    entries: &[PrincipalEntry],
    principal: &Principal,
) -> PrincipalMatch {
    entries
        .iter()
        .map(|e| principal_entry_matches(e, principal))
        .max()
        .unwrap_or(PrincipalMatch::None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_basics() {
        assert!(string_like("a*c", "abbbc"));
        assert!(string_like("a*c", "ac"));
        assert!(!string_like("a*c", "ab"));
        assert!(string_like("a?c", "abc"));
        assert!(!string_like("a?c", "ac"));
        assert!(string_like("*", ""));
        assert!(string_like("", ""));
        assert!(!string_like("", "a"));
        assert!(string_like("*a*b*", "xxaxxbxx"));
        assert!(!string_like("A*", "abc"));
        assert!(!string_like(
            "a*b*c*d*e*f*g*h*i*j",
            &format!("{}j", "a".repeat(5000))
        ));
    }

    #[test]
    fn actions() {
        assert!(action_matches("*", "s3:GetObject"));
        assert!(action_matches("S3:get*", "s3:GetObject"));
        assert!(action_matches("iam:ListAccessKeys", "IAM:listaccesskeys"));
        assert!(action_matches("s3:Get?bject", "s3:GetObject"));
        assert!(!action_matches("s3:GetObject,PutObject", "s3:GetObject"));
        assert!(!action_matches("s3:", "s3:GetObject"));
        assert!(!action_matches("s3: GetObject", "s3:GetObject"));
        assert!(!action_matches("s*:GetObject", "s3:GetObject"));
        assert!(!action_matches("ec2:*", "s3:GetObject"));
    }

    #[test]
    fn action_case_folding_is_per_character_on_both_sides() {
        // A final capital sigma folds to `σ` on both sides (not `ς` on the action side only), so
        // an action matches itself.
        assert!(action_matches("svc:GetΣ", "svc:GetΣ"));
        assert!(action_matches("svc:getσ", "SVC:GETΣ"));
        assert!(action_matches("svc:GETΣ", "svc:getσ"));
        assert!(action_matches("svc:Get*Σ", "svc:GetΑΣ"));
        assert!(!action_matches("svc:GetΣ", "svc:getς"));
    }

    #[test]
    fn resources_spec_examples() {
        let m = |p: &str, r: &str| resource_matches(&glob_pattern(p), r, PolicyType::Identity);
        assert!(m(
            "arn:aws:s3:::bucket/*/test/*",
            "arn:aws:s3:::bucket//test/object.jpg"
        ));
        assert!(m(
            "arn:aws:s3:::bucket/*/test/*",
            "arn:aws:s3:::bucket/1/test/"
        ));
        assert!(!m(
            "arn:aws:s3:::bucket/*/test/*",
            "arn:aws:s3:::bucket/test/object.jpg"
        ));
        assert!(m("*", "*"));
        assert!(!m("arn:aws:s3:::*", "*"));
        assert!(m("arn:aws:sqs:*:*:*", "arn:aws:sqs:us-east-1:1:q"));
        assert!(!m("arn:aws:sqs:*:*", "*"));
        assert!(m("arn:aws:sqs", "arn:aws:sqs:us-east-1:1:q"));
        assert!(!resource_matches(
            &glob_pattern("arn:aws:sqs"),
            "arn:aws:sqs:us-east-1:1:q",
            PolicyType::Resource
        ));
        assert!(m(
            "arn:aws:ec2:*:*:instance/*",
            "arn:aws:ec2:r:1:instance/a:b/c"
        ));
        assert!(!m("arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:r:1:volume/a"));
        assert!(!m("arn:aws:*:r:1:x", "arn:aws:ec2:r:1:x:y"));
        // A wildcard in the service field matches.
        assert!(m("arn:aws:s*:::b", "arn:aws:s3:::b"));
        // The first fields are case-sensitive.
        assert!(!m("arn:aws:S3:::b", "arn:aws:s3:::b"));
        assert!(!m("arn:aws:s3:::B", "arn:aws:s3:::b"));
    }

    #[test]
    fn arn_like_is_field_wise() {
        let p = glob_pattern("arn:aws:someservice:*:111122223333:finance/*");
        let v = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
        assert!(!arn_like(&p, v));
        assert!(string_like(
            "arn:aws:someservice:*:111122223333:finance/*",
            v
        ));
        assert!(!arn_like(&glob_pattern("arn:aws:s3"), "arn:aws:s3"));
    }

    fn entry(kind: PrincipalKind, v: &str) -> PrincipalEntry {
        PrincipalEntry {
            kind,
            value: v.to_string(),
            span: Default::default(),
            path: Default::default(),
        }
    }

    #[test]
    fn principals() {
        let arn = |s: &str| Principal::Arn(s.to_string());
        let aws = |s: &str| entry(PrincipalKind::Aws, s);
        let sess = arn("arn:aws:sts::111111111111:assumed-role/Role/s1");
        assert_eq!(
            principal_entry_matches(&aws("arn:aws:iam::111111111111:role/path/role"), &sess),
            PrincipalMatch::SessionViaRole
        );
        // The role name is compared ignoring ASCII case (`path/role` vs session `Role`).
        assert_eq!(
            principal_entry_matches(&aws("arn:aws:iam::111111111111:role/ROLE"), &sess),
            PrincipalMatch::SessionViaRole
        );
        assert_eq!(
            principal_entry_matches(&aws("arn:aws:iam::222222222222:role/Role"), &sess),
            PrincipalMatch::None
        );
        assert_eq!(
            principal_entry_matches(&aws("111111111111"), &sess),
            PrincipalMatch::Account
        );
        assert_eq!(
            principal_entry_matches(&aws("arn:aws:iam::111111111111:root"), &sess),
            PrincipalMatch::Account
        );
        assert_eq!(
            principal_entry_matches(
                &aws("arn:aws:sts::111111111111:assumed-role/Role/s1"),
                &sess
            ),
            PrincipalMatch::Direct
        );
        assert_eq!(
            principal_entry_matches(
                &aws("arn:aws:sts::111111111111:assumed-role/Role/s2"),
                &sess
            ),
            PrincipalMatch::None
        );
        assert_eq!(
            principal_entry_matches(&aws("*"), &Principal::Anonymous),
            PrincipalMatch::Direct
        );
        assert_eq!(
            principal_entry_matches(&entry(PrincipalKind::Everyone, "*"), &Principal::Anonymous),
            PrincipalMatch::Direct
        );
        assert_eq!(
            principal_entry_matches(&aws("111111111111"), &Principal::Anonymous),
            PrincipalMatch::None
        );
        // A role used as the caller, named by its own ARN: a grant to the role (limited by
        // boundaries and session policies), not a direct grant.
        let role = arn("arn:aws:iam::111111111111:role/path/role");
        assert_eq!(
            principal_entry_matches(&aws("arn:aws:iam::111111111111:role/path/role"), &role),
            PrincipalMatch::SessionViaRole
        );
        let svc = Principal::Service("lambda.amazonaws.com".into());
        assert_eq!(
            principal_entry_matches(&entry(PrincipalKind::Service, "lambda.amazonaws.com"), &svc),
            PrincipalMatch::Direct
        );
        let fed = arn("arn:aws:sts::111111111111:federated-user/bob");
        assert_eq!(
            principal_entry_matches(&aws("arn:aws:iam::111111111111:user/bob"), &fed),
            PrincipalMatch::SessionViaUser
        );
    }

    #[test]
    fn templates() {
        let mut ctx = Context::new();
        ctx.insert("aws:username", ContextValue::Single("b*b".into()));
        ctx.insert("aws:TagKeys", ContextValue::Multi(vec!["a".into()]));
        let t = Template {
            parts: vec![
                TemplatePart::Literal("x/".into()),
                TemplatePart::Variable {
                    key: "AWS:UserName".into(),
                    default: None,
                },
                TemplatePart::Literal("/*".into()),
            ],
        };
        let p = resolve_template(&t, &ctx, true).unwrap();
        assert!(glob_match(&p, "x/b*b/anything"));
        assert!(!glob_match(&p, "x/bob/anything"));
        let multi = Template {
            parts: vec![TemplatePart::Variable {
                key: "aws:TagKeys".into(),
                default: Some("d".into()),
            }],
        };
        assert_eq!(
            resolve_template(&multi, &ctx, true),
            Some(literal_pattern("d"))
        );
        let missing = Template {
            parts: vec![TemplatePart::Variable {
                key: "aws:nothing".into(),
                default: None,
            }],
        };
        assert_eq!(resolve_template(&missing, &ctx, true), None);
    }
}
