//! The checks Access Analyzer's `ValidatePolicy` runs only when the caller names the resource a
//! `RESOURCE_POLICY` is for (`validatePolicyResourceType`): role trust policies, S3 bucket and
//! access point policies, DynamoDB table policies. Each check quotes the sentence of AWS's "IAM
//! policy validation check reference" it implements.

use crate::glob::glob_matches;
use crate::model::*;
use crate::span::JsonPath;
use crate::span::{Position, Span};
use crate::validate::{
    end_position, loc, FindingType, Location, Validator, ROLE_TRUST_POLICY_CHAR_QUOTA,
};

/// `validatePolicyResourceType`: the resource a resource policy is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceType {
    /// `AWS::S3::Bucket`: a bucket policy.
    S3Bucket,
    /// `AWS::S3::AccessPoint`: an access point policy.
    S3AccessPoint,
    /// `AWS::S3::MultiRegionAccessPoint`: a Multi-Region Access Point policy.
    S3MultiRegionAccessPoint,
    /// `AWS::S3ObjectLambda::AccessPoint`: an Object Lambda access point policy.
    S3ObjectLambdaAccessPoint,
    /// `AWS::IAM::AssumeRolePolicyDocument`: a role trust policy.
    IamAssumeRolePolicyDocument,
    /// `AWS::DynamoDB::Table`: a DynamoDB table policy.
    DynamoDbTable,
}

impl ResourceType {
    /// Every value, in the API's order.
    pub const ALL: [ResourceType; 6] = [
        ResourceType::S3Bucket,
        ResourceType::S3AccessPoint,
        ResourceType::S3MultiRegionAccessPoint,
        ResourceType::S3ObjectLambdaAccessPoint,
        ResourceType::IamAssumeRolePolicyDocument,
        ResourceType::DynamoDbTable,
    ];

    /// The API's name (`AWS::S3::Bucket`…).
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceType::S3Bucket => "AWS::S3::Bucket",
            ResourceType::S3AccessPoint => "AWS::S3::AccessPoint",
            ResourceType::S3MultiRegionAccessPoint => "AWS::S3::MultiRegionAccessPoint",
            ResourceType::S3ObjectLambdaAccessPoint => "AWS::S3ObjectLambda::AccessPoint",
            ResourceType::IamAssumeRolePolicyDocument => "AWS::IAM::AssumeRolePolicyDocument",
            ResourceType::DynamoDbTable => "AWS::DynamoDB::Table",
        }
    }

    /// Reads the API's name (exact spelling).
    pub fn parse(s: &str) -> Option<ResourceType> {
        ResourceType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The service prefix of the actions and resource ARNs such a policy may name (`None` for
    /// trust policies, which name no resource and take STS actions).
    fn service(self) -> Option<&'static str> {
        match self {
            ResourceType::S3Bucket
            | ResourceType::S3AccessPoint
            | ResourceType::S3MultiRegionAccessPoint => Some("s3"),
            ResourceType::S3ObjectLambdaAccessPoint => Some("s3-object-lambda"),
            ResourceType::DynamoDbTable => Some("dynamodb"),
            ResourceType::IamAssumeRolePolicyDocument => None,
        }
    }
}

/// The actions a role trust policy may allow (the STS actions that act on the role itself).
const TRUST_POLICY_ACTIONS: &[&str] = &[
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:TagSession",
    "sts:SetSourceIdentity",
    "sts:SetContext",
];

const GITHUB_OIDC: &str = "token.actions.githubusercontent.com";

/// Runs the checks for `rt` on the validator's policy.
pub(crate) fn check(v: &mut Validator, rt: ResourceType) {
    let policy = v.policy;
    for st in &policy.statements {
        actions(v, st, rt);
        if rt == ResourceType::IamAssumeRolePolicyDocument {
            trust_statement(v, st);
        } else {
            resources(v, st, rt);
            federated_not_supported(v, st);
            irrelevant_keys(v, st, rt);
        }
    }
    if rt == ResourceType::IamAssumeRolePolicyDocument {
        trust_size(v);
    }
}

fn service_of(action: &str) -> &str {
    action.split_once(':').map_or(action, |(s, _)| s)
}

/// "The action {{action}} is not supported for the resource-based policy attached to the
/// resource type {{resourceType}}."
fn actions(v: &mut Validator, st: &Statement, rt: ResourceType) {
    if st.action.negated {
        return;
    }
    for a in &st.action.patterns {
        if a.text == "*" {
            continue;
        }
        let supported = match rt.service() {
            Some(svc) => {
                let p = service_of(&a.text);
                p.contains(['*', '?']) || p.eq_ignore_ascii_case(svc)
            }
            None => TRUST_POLICY_ACTIONS
                .iter()
                .any(|t| glob_matches(&a.text, t, true)),
        };
        if !supported {
            v.push(
                FindingType::Error,
                "UNSUPPORTED_ACTION_IN_POLICY",
                format!(
                    "The action {} is not supported for the resource-based policy attached to the resource type {}.",
                    a.text,
                    rt.as_str()
                ),
                vec![loc(&a.path, a.span)],
            );
        }
    }
}

/// "The resource ARN is not supported for the resource-based policy attached to the resource
/// type {{resourceType}}." (an S3 policy names S3 resources, a table policy DynamoDB ones).
fn resources(v: &mut Validator, st: &Statement, rt: ResourceType) {
    let (Some(rc), Some(svc)) = (&st.resource, rt.service()) else {
        return;
    };
    for r in &rc.patterns {
        let fields: Vec<&str> = r.text.splitn(6, ':').collect();
        let Some(service) = fields.get(2) else {
            continue;
        };
        if r.text == "*" || fields.first() != Some(&"arn") || fields.len() < 6 {
            continue;
        }
        // Access point policies name access points (`…:accesspoint/name/object/key`).
        let access_point = matches!(
            rt,
            ResourceType::S3AccessPoint
                | ResourceType::S3MultiRegionAccessPoint
                | ResourceType::S3ObjectLambdaAccessPoint
        );
        let resource = fields.get(5).copied().unwrap_or("");
        let wrong_kind = access_point
            && !resource.starts_with(['*', '?'])
            && !resource.starts_with("accesspoint");
        if !glob_matches(service, svc, false) || wrong_kind {
            v.push(
                FindingType::Error,
                "UNSUPPORTED_RESOURCE_ARN_IN_POLICY",
                format!(
                    "The resource ARN is not supported for the resource-based policy attached to the resource type {}.",
                    rt.as_str()
                ),
                vec![loc(&r.path, r.span)],
            );
        }
    }
}

/// "Identity policies and other resource-based policies don't support a federated identity
/// provider in the `Principal` element."
fn federated_not_supported(v: &mut Validator, st: &Statement) {
    let Some(pc) = &st.principal else { return };
    for e in &pc.entries {
        if e.kind == PrincipalKind::Federated {
            v.push(
                FindingType::Error,
                "FEDERATED_PRINCIPAL_NOT_SUPPORTED",
                "The policy type does not support a federated identity provider in the principal element. Use a supported principal.".to_string(),
                vec![loc(&e.path, e.span)],
            );
        }
    }
}

/// "Some condition keys aren't relevant for resource-based policies. For example, the
/// `s3:ResourceAccount` condition key isn't relevant for the resource-based policy attached to
/// an Amazon S3 bucket or Amazon S3 access point resource type."
fn irrelevant_keys(v: &mut Validator, st: &Statement, rt: ResourceType) {
    if !matches!(rt, ResourceType::S3Bucket | ResourceType::S3AccessPoint) {
        return;
    }
    for c in &st.conditions {
        if c.key_lower() == "s3:resourceaccount" {
            let l = v.key_loc(c);
            v.push(
                FindingType::Suggestion,
                "IRRELEVANT_CONDITION_KEY_IN_POLICY",
                format!(
                    "The condition key {} is not relevant for the {} policy.  Use this key in an identity-based policy to govern access to this resource.",
                    c.key,
                    rt.as_str()
                ),
                vec![l],
            );
        }
    }
}

/// A SAML provider ARN (`arn:aws:iam::123456789012:saml-provider/Name`).
fn is_saml_provider(s: &str) -> bool {
    s.starts_with("arn:") && s.contains(":saml-provider/")
}

/// An OIDC provider: its IAM ARN (`…:oidc-provider/host/path`) or a well-known domain name
/// (`accounts.google.com`, `cognito-identity.amazonaws.com`…).
fn oidc_host(s: &str) -> Option<&str> {
    if s.starts_with("arn:") {
        return s.split_once(":oidc-provider/").map(|(_, h)| h);
    }
    is_domain(s).then_some(s)
}

fn is_domain(s: &str) -> bool {
    let labels: Vec<&str> = s.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-'))
}

fn trust_statement(v: &mut Validator, st: &Statement) {
    // "Role trust policies do not support NotPrincipal. Update the policy to use a Principal
    // element instead."
    if st.principal.as_ref().is_some_and(|p| p.negated) {
        let l = v.element_loc(st, "NotPrincipal");
        v.push(
            FindingType::Error,
            "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL",
            "Role trust policies do not support NotPrincipal. Update the policy to use a Principal element instead.".to_string(),
            vec![l],
        );
    }
    // "Role trust policies apply to the role that they are attached to. You cannot specify a
    // resource. Remove the Resource or NotResource element."
    if let Some(rc) = &st.resource {
        let l = v.element_loc(
            st,
            if rc.negated {
                "NotResource"
            } else {
                "Resource"
            },
        );
        v.push(
            FindingType::Error,
            "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE",
            "Role trust policies apply to the role that they are attached to. You cannot specify a resource. Remove the Resource or NotResource element.".to_string(),
            vec![l],
        );
    }
    let Some(pc) = st.principal.as_ref().filter(|p| !p.negated) else {
        return;
    };
    // "\"Principal:\" \"*\" is not supported in the principal element of a role trust policy."
    for e in &pc.entries {
        if e.kind == PrincipalKind::Everyone {
            v.push(
                FindingType::Error,
                "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
                "\"Principal:\" \"*\" is not supported in the principal element of a role trust policy. Replace the wildcard with a valid principal value.".to_string(),
                vec![loc(&e.path, e.span)],
            );
        }
    }
    // "The principal value specifies a federated principal that does not match the expected
    // format. Update the federated principal to a domain name or a SAML metadata ARN."
    for e in &pc.entries {
        if e.kind == PrincipalKind::Federated
            && !is_saml_provider(&e.value)
            && oidc_host(&e.value).is_none()
        {
            v.push(
                FindingType::Error,
                "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY",
                "The principal value specifies a federated principal that does not match the expected format. Update the federated principal to a domain name or a SAML metadata ARN.".to_string(),
                vec![loc(&e.path, e.span)],
            );
        }
    }
    mismatched_actions(v, st, pc);
    roles_anywhere(v, st, pc);
    oidc_conditions(v, st, pc);
    redundant_principals(v, pc);
}

/// "Use a SAML provider principal with the sts:AssumeRoleWithSAML action or use an OIDC provider
/// principal with the sts:AssumeRoleWithWebIdentity action. Ensure the provider is Federated if
/// you use either of the two options."
fn mismatched_actions(v: &mut Validator, st: &Statement, pc: &PrincipalClause) {
    if st.action.negated {
        return;
    }
    for a in &st.action.patterns {
        let wants: fn(&PrincipalEntry) -> bool =
            if a.text.eq_ignore_ascii_case("sts:AssumeRoleWithSAML") {
                |e| e.kind == PrincipalKind::Federated && is_saml_provider(&e.value)
            } else if a.text.eq_ignore_ascii_case("sts:AssumeRoleWithWebIdentity") {
                |e| {
                    e.kind == PrincipalKind::Federated
                        && !is_saml_provider(&e.value)
                        && oidc_host(&e.value).is_some()
                }
            } else {
                continue;
            };
        let bad: Vec<&PrincipalEntry> = pc.entries.iter().filter(|e| !wants(e)).collect();
        if bad.is_empty() {
            continue;
        }
        let names = bad
            .iter()
            .map(|e| e.value.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let mut locs = vec![loc(&a.path, a.span)];
        locs.extend(bad.iter().map(|e| loc(&e.path, e.span)));
        v.push(
            FindingType::Error,
            "MISMATCHED_ACTION_FOR_PRINCIPAL",
            format!("The {} action is invalid with the following principal(s): {names}. Use a SAML provider principal with the sts:AssumeRoleWithSAML action or use an OIDC provider principal with the sts:AssumeRoleWithWebIdentity action. Ensure the provider is Federated if you use either of the two options.", a.text),
            locs,
        );
    }
}

/// "The rolesanywhere.amazonaws.com service principal requires the sts:AssumeRole,
/// sts:SetSourceIdentity, and sts:TagSession permissions to assume a role."
fn roles_anywhere(v: &mut Validator, st: &Statement, pc: &PrincipalClause) {
    if st.effect != Effect::Allow || st.action.negated {
        return;
    }
    let trusts = pc
        .entries
        .iter()
        .any(|e| e.kind == PrincipalKind::Service && e.value == "rolesanywhere.amazonaws.com");
    if !trusts {
        return;
    }
    let covered = |needed: &str| {
        st.action
            .patterns
            .iter()
            .any(|a| glob_matches(&a.text, needed, true))
    };
    if ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]
        .iter()
        .all(|n| covered(n))
    {
        return;
    }
    let l = v.element_loc(st, "Action");
    v.push(
        FindingType::Error,
        "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY",
        "The rolesanywhere.amazonaws.com service principal requires the sts:AssumeRole, sts:SetSourceIdentity, and sts:TagSession permissions to assume a role. Add the missing permissions to the policy.".to_string(),
        vec![l],
    );
}

/// OIDC principals: "Add condition keys with a prefix that matches your federated OIDC
/// principals to ensure that only the intended identity provider assumes the role."; for GitHub,
/// "Add the token.actions.githubusercontent.com:sub condition key and specify the branch and
/// repository name in the value." and "Using a wildcard (*) in
/// token.actions.githubusercontent.com:sub can allow requests from more sources than you
/// intended."
fn oidc_conditions(v: &mut Validator, st: &Statement, pc: &PrincipalClause) {
    if st.effect != Effect::Allow {
        return;
    }
    for e in &pc.entries {
        if e.kind != PrincipalKind::Federated || is_saml_provider(&e.value) {
            continue;
        }
        let Some(host) = oidc_host(&e.value) else {
            continue;
        };
        let prefix = format!("{}:", host.to_ascii_lowercase());
        let keys: Vec<&Condition> = st
            .conditions
            .iter()
            .filter(|c| c.key_lower().starts_with(&prefix))
            .collect();
        let l = loc(&e.path, e.span);
        if host.eq_ignore_ascii_case(GITHUB_OIDC) {
            let sub_key = format!("{GITHUB_OIDC}:sub");
            let subs: Vec<&&Condition> = keys.iter().filter(|c| c.key_lower() == sub_key).collect();
            if subs.is_empty() {
                v.push(
                    FindingType::SecurityWarning,
                    "MISSING_GITHUB_REPO_CONDITION_KEY",
                    "Granting a federated GitHub principal permissions without a condition key can allow more sources to assume the role than you intended. Add the token.actions.githubusercontent.com:sub condition key and specify the branch and repository name in the value.".to_string(),
                    vec![l],
                );
                continue;
            }
            let has_ref = keys
                .iter()
                .any(|c| c.key_lower() == format!("{GITHUB_OIDC}:ref"));
            for c in subs {
                if !has_ref && c.values.iter().any(|x| x.text.contains('*')) {
                    let kl = v.key_loc(c);
                    v.push(
                        FindingType::Warning,
                        "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED",
                        "Using a wildcard (*) in token.actions.githubusercontent.com:sub can allow requests from more sources than you intended. Specify the value of token.actions.githubusercontent.com:sub with the repository and branch name. If the subject claim does not include the branch, specify it in a token.actions.githubusercontent.com:ref condition key.".to_string(),
                        vec![kl],
                    );
                }
            }
        } else if keys.is_empty() {
            v.push(
                FindingType::SecurityWarning,
                "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL",
                "Using an Open ID Connect principal without a condition can be overly permissive. Add condition keys with a prefix that matches your federated OIDC principals to ensure that only the intended identity provider assumes the role.".to_string(),
                vec![l],
            );
        }
    }
}

/// "The assumed-role principal {{redundant_principal}} is redundant with its parent role
/// {{parent_role}}. Remove the assumed-role principal."
fn redundant_principals(v: &mut Validator, pc: &PrincipalClause) {
    let aws: Vec<&PrincipalEntry> = pc
        .entries
        .iter()
        .filter(|e| e.kind == PrincipalKind::Aws)
        .collect();
    for e in &aws {
        // arn:PARTITION:sts::ACCOUNT:assumed-role/NAME/SESSION
        let f: Vec<&str> = e.value.splitn(6, ':').collect();
        let (Some(partition), Some(&"sts"), Some(account), Some(res)) =
            (f.get(1), f.get(2), f.get(4), f.get(5))
        else {
            continue;
        };
        let Some(name) = res
            .strip_prefix("assumed-role/")
            .and_then(|r| r.split('/').next())
        else {
            continue;
        };
        let parent = format!("arn:{partition}:iam::{account}:role/{name}");
        if aws.iter().any(|p| p.value == parent) {
            v.push(
                FindingType::Suggestion,
                "REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY",
                format!("The assumed-role principal {} is redundant with its parent role {parent}. Remove the assumed-role principal.", e.value),
                vec![loc(&e.path, e.span)],
            );
        }
    }
}

/// "The characters in the role trust policy, excluding whitespace, exceed the character
/// maximum." (IAM's default quota, [`ROLE_TRUST_POLICY_CHAR_QUOTA`]).
fn trust_size(v: &mut Validator) {
    let n = v.text.chars().filter(|c| !c.is_whitespace()).count();
    if n <= ROLE_TRUST_POLICY_CHAR_QUOTA {
        return;
    }
    let start = Position {
        line: 1,
        column: 0,
        offset: 0,
    };
    let span = Span {
        start,
        end: end_position(v.text),
    };
    v.push(
        FindingType::Warning,
        "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA",
        "The characters in the role trust policy, excluding whitespace, exceed the character maximum. We recommend that you request a role trust policy length quota increase using Service Quotas and AWS Support Center. If the quotas have already been increased, then you can ignore this warning.".to_string(),
        vec![Location {
            path: JsonPath::root(),
            span,
            at_key: false,
        }],
    );
}
