//! Which condition keys can keep a grant from reaching an outsider, and what values an
//! outsider's request can hold under each (docs/semantics.md, "Global condition keys" and "Who counts as public").
//!
//! The public and external-access checks ask: is some request *by an outsider* allowed? An
//! outsider is a caller outside every fixed account, organization, network and source (public),
//! or outside the trusted accounts and organizations (external). The caller does not choose who
//! they are (identity keys), nor, for the public check, which network or resource they come
//! through (network and source keys); they do choose everything else (caller-controlled keys:
//! user agent, tags, time, region, secure transport, `sts:ExternalId`, …). Unknown keys are
//! caller-controlled: treating a key as restricting when it is not would turn a FAIL into a PASS,
//! and a PASS must be a proof.
//!
//! "Fresh" below means: different from every constant of the zone (for the public check, every
//! literal the policy mentions; for the external check, the trusted accounts/organizations).
//! So `StringEquals aws:SourceVpc vpc-1` restricts, `StringLike aws:SourceVpc vpc-*` does not,
//! and a negated operator or `IfExists` never restricts because absence is a legal value
//! wherever the global condition keys page says the key can be absent (docs/semantics.md,
//! "Global condition keys").

use crate::resource_type::ResourceType;

/// What a condition key says about a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyRole {
    /// Who the caller is (account, ARN, organization, user id, federated audience).
    Identity,
    /// The network path (VPC, VPC endpoint, source IP).
    Network,
    /// The resource or account a service principal acts for (confused-deputy keys), or the S3
    /// access point / KMS key the request goes through.
    Source,
    /// Chosen by the caller (or a property of the resource that does not depend on the caller).
    CallerControlled,
}

/// The values an outsider's request can hold under a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutsiderDomain {
    /// Always present: the outsider's own account id (fresh; `anonymous` for unsigned requests).
    /// `aws:PrincipalAccount`, `kms:CallerAccount`.
    Account,
    /// Present for signed requests: an IAM/STS ARN in the outsider's (fresh) account.
    /// `aws:PrincipalArn`.
    PrincipalArn,
    /// Always present: a value other than every literal of the policy (a role's sessions
    /// `ROLEID:name` included: `ROLEID:*` does not restrict), or the account id for root, or
    /// `anonymous`. `aws:userid`.
    UserId,
    /// Absent, or one fresh value. Organization ids, VPCs, endpoints, source ARNs and accounts,
    /// federated audiences.
    AbsentOrFresh,
    /// Absent, or a set of values each fresh (`aws:PrincipalOrgPaths`, `aws:SourceOrgPaths`).
    AbsentOrFreshSet,
    /// Absent, or one of these values (enumerated keys such as `s3:AccessPointNetworkOrigin`).
    AbsentOrOneOf(&'static [&'static str]),
    /// Never present for an outsider (service-principal keys).
    Absent,
    /// Absent, or one account id outside the zone (`s3:DataAccessPointAccount` in a bucket
    /// policy).
    AbsentOrAccount,
    /// Absent, or one ARN whose account field is an account id outside the zone, whatever its
    /// other fields (`s3:DataAccessPointArn` in a bucket policy: S3 counts an access point
    /// ARN with a fixed account as non-public even when its name is a wildcard).
    AbsentOrArnOfAccount,
    /// Absent, or a public IP address outside every fixed range of the zone (`aws:SourceIp`,
    /// `aws:VpcSourceIp`).
    SourceIp,
    /// Any value, or absent.
    Free,
}

/// The classification of one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyInfo {
    /// What the key says about the request.
    pub role: KeyRole,
    /// What an outsider's request can hold under it.
    pub outsider: OutsiderDomain,
}

impl KeyInfo {
    const fn new(role: KeyRole, outsider: OutsiderDomain) -> Self {
        KeyInfo { role, outsider }
    }

    /// A caller-controlled key.
    pub const FREE: KeyInfo = KeyInfo::new(KeyRole::CallerControlled, OutsiderDomain::Free);
}

/// Global keys that restrict (docs/semantics.md, "Global condition keys" and "Who counts as public"). Every other `aws:` key is caller-controlled.
const GLOBAL: &[(&str, KeyInfo)] = &[
    (
        "aws:principalaccount",
        KeyInfo::new(KeyRole::Identity, OutsiderDomain::Account),
    ),
    (
        "aws:principalarn",
        KeyInfo::new(KeyRole::Identity, OutsiderDomain::PrincipalArn),
    ),
    (
        "aws:principalorgid",
        KeyInfo::new(KeyRole::Identity, OutsiderDomain::AbsentOrFresh),
    ),
    (
        "aws:principalorgpaths",
        KeyInfo::new(KeyRole::Identity, OutsiderDomain::AbsentOrFreshSet),
    ),
    (
        "aws:userid",
        KeyInfo::new(KeyRole::Identity, OutsiderDomain::UserId),
    ),
    // Only a direct service-principal call has these; an outsider is not an AWS service.
    (
        "aws:principalisawsservice",
        KeyInfo::new(KeyRole::Identity, OutsiderDomain::AbsentOrOneOf(&["false"])),
    ),
    (
        "aws:principalservicename",
        KeyInfo::new(KeyRole::Identity, OutsiderDomain::Absent),
    ),
    (
        "aws:principalservicenameslist",
        KeyInfo::new(KeyRole::Identity, OutsiderDomain::Absent),
    ),
    (
        "aws:sourceip",
        KeyInfo::new(KeyRole::Network, OutsiderDomain::SourceIp),
    ),
    (
        "aws:vpcsourceip",
        KeyInfo::new(KeyRole::Network, OutsiderDomain::SourceIp),
    ),
    (
        "aws:sourcevpc",
        KeyInfo::new(KeyRole::Network, OutsiderDomain::AbsentOrFresh),
    ),
    (
        "aws:sourcevpce",
        KeyInfo::new(KeyRole::Network, OutsiderDomain::AbsentOrFresh),
    ),
    (
        "aws:sourcevpcarn",
        KeyInfo::new(KeyRole::Network, OutsiderDomain::AbsentOrFresh),
    ),
    (
        "aws:vpceaccount",
        KeyInfo::new(KeyRole::Network, OutsiderDomain::AbsentOrFresh),
    ),
    (
        "aws:vpceorgid",
        KeyInfo::new(KeyRole::Network, OutsiderDomain::AbsentOrFresh),
    ),
    (
        "aws:vpceorgpaths",
        KeyInfo::new(KeyRole::Network, OutsiderDomain::AbsentOrFreshSet),
    ),
    (
        "aws:sourcearn",
        KeyInfo::new(KeyRole::Source, OutsiderDomain::AbsentOrFresh),
    ),
    (
        "aws:sourceaccount",
        KeyInfo::new(KeyRole::Source, OutsiderDomain::AbsentOrFresh),
    ),
    (
        "aws:sourceowner",
        KeyInfo::new(KeyRole::Source, OutsiderDomain::AbsentOrFresh),
    ),
    (
        "aws:sourceorgid",
        KeyInfo::new(KeyRole::Source, OutsiderDomain::AbsentOrFresh),
    ),
    (
        "aws:sourceorgpaths",
        KeyInfo::new(KeyRole::Source, OutsiderDomain::AbsentOrFreshSet),
    ),
];

/// Web-identity audience keys that pin one application (Access Analyzer filter keys, docs/semantics.md, "Who counts as public").
const FEDERATED: &[&str] = &[
    "cognito-identity.amazonaws.com:aud",
    "accounts.google.com:aud",
    "graph.facebook.com:app_id",
    "www.amazon.com:app_id",
];

/// Suffixes of OIDC provider keys (`<provider host>:sub`, …) that identify the caller's
/// application or subject; a fixed value pins them.
const OIDC_SUFFIXES: &[&str] = &["aud", "sub", "oaud", "azp", "app_id"];

/// Classifies a condition key for the public check of a resource type (`None`: no type, the
/// global rules only). Key names compare ignoring case (docs/semantics.md, "Case folding").
pub fn classify_key(key: &str, resource_type: Option<ResourceType>) -> KeyInfo {
    let k = key.to_ascii_lowercase();
    if let Some((_, info)) = GLOBAL.iter().find(|(n, _)| *n == k) {
        return *info;
    }
    if let Some(t) = resource_type {
        if let Some(sk) = t.service_keys().iter().find(|sk| sk.key == k) {
            return KeyInfo::new(sk.role, sk.outsider);
        }
    }
    if FEDERATED.contains(&k.as_str()) {
        return KeyInfo::new(KeyRole::Identity, OutsiderDomain::AbsentOrFresh);
    }
    // `<oidc provider host>:sub` etc.: the prefix is a host name (has a dot), not a service.
    if let Some((prefix, suffix)) = k.rsplit_once(':') {
        if prefix.contains('.') && !prefix.contains(':') && OIDC_SUFFIXES.contains(&suffix) {
            return KeyInfo::new(KeyRole::Identity, OutsiderDomain::AbsentOrFresh);
        }
    }
    KeyInfo::FREE
}

/// The domain of a key for the *external-access* check: only identity keys restrict (a principal
/// of another account can use your network, and a service acting for a resource is not an
/// external principal of its own); every other key is free.
pub fn classify_key_external(key: &str, resource_type: Option<ResourceType>) -> KeyInfo {
    let info = classify_key(key, resource_type);
    match info.role {
        KeyRole::Identity => info,
        _ => KeyInfo::FREE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_network_source_and_free_keys() {
        let c = |k| classify_key(k, None);
        assert_eq!(c("aws:PrincipalOrgID").role, KeyRole::Identity);
        assert_eq!(c("AWS:PRINCIPALACCOUNT").outsider, OutsiderDomain::Account);
        assert_eq!(c("aws:SourceVpce").role, KeyRole::Network);
        assert_eq!(c("aws:SourceIp").outsider, OutsiderDomain::SourceIp);
        assert_eq!(c("aws:SourceArn").role, KeyRole::Source);
        assert_eq!(
            c("aws:SourceAccount").outsider,
            OutsiderDomain::AbsentOrFresh
        );
        for free in [
            "aws:UserAgent",
            "aws:Referer",
            "aws:SecureTransport",
            "aws:CurrentTime",
            "aws:RequestedRegion",
            "aws:RequestTag/team",
            "aws:PrincipalTag/team",
            "aws:username",
            "sts:ExternalId",
            "aws:SoureVpce", // misspelt: absent, so it restricts nothing
            "s3:prefix",
        ] {
            assert_eq!(c(free), KeyInfo::FREE, "{free}");
        }
    }

    #[test]
    fn service_keys_only_for_their_type() {
        let k = classify_key("kms:CallerAccount", Some(ResourceType::KmsKey));
        assert_eq!(k.outsider, OutsiderDomain::Account);
        assert_eq!(
            classify_key("kms:CallerAccount", Some(ResourceType::S3Bucket)),
            KeyInfo::FREE
        );
        assert_eq!(
            classify_key("s3:DataAccessPointAccount", Some(ResourceType::S3Bucket)).role,
            KeyRole::Source
        );
        assert_eq!(
            classify_key(
                "elasticfilesystem:AccessedViaMountTarget",
                Some(ResourceType::EfsFileSystem)
            )
            .outsider,
            OutsiderDomain::AbsentOrOneOf(&["false"])
        );
    }

    #[test]
    fn federated_audiences_are_identity() {
        for k in [
            "cognito-identity.amazonaws.com:aud",
            "accounts.google.com:aud",
            "token.actions.githubusercontent.com:sub",
            "graph.facebook.com:app_id",
        ] {
            assert_eq!(classify_key(k, None).role, KeyRole::Identity, "{k}");
        }
        assert_eq!(
            classify_key("cognito-identity.amazonaws.com:amr", None),
            KeyInfo::FREE
        );
    }

    #[test]
    fn external_check_ignores_network_and_source() {
        assert_eq!(classify_key_external("aws:SourceVpc", None), KeyInfo::FREE);
        assert_eq!(classify_key_external("aws:SourceArn", None), KeyInfo::FREE);
        assert_eq!(
            classify_key_external("aws:PrincipalOrgID", None).role,
            KeyRole::Identity
        );
    }
}
