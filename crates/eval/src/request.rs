//! A concrete request and the decision about it.

use std::collections::BTreeMap;

/// Who makes a request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Principal {
    /// An unsigned request (S3, SQS, SNS only).
    Anonymous,
    /// An IAM or STS principal by ARN: `arn:aws:iam::A:root`, `…:user/path/name`,
    /// `…:role/path/name`, `arn:aws:sts::A:assumed-role/name/session`,
    /// `arn:aws:sts::A:federated-user/name`.
    Arn(String),
    /// An AWS service principal, e.g. `lambda.amazonaws.com`.
    Service(String),
    /// A web-identity or SAML federated caller, by identity provider (`accounts.google.com`, an
    /// IdP ARN…).
    Federated(String),
    /// An S3 canonical user id.
    CanonicalUser(String),
}

/// The value of a condition key in a request: one string, or a set (possibly empty) for
/// multivalued keys. Values are strings; operators type them (docs/semantics.md, "Missing keys and negated operators").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ContextValue {
    /// One value (a single-valued key).
    Single(String),
    /// A set of values (a multivalued key), possibly empty.
    Multi(Vec<String>),
}

/// The request context: condition keys (case-insensitive names) to values. A key not in the map is
/// absent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Context {
    /// Lowercased key → (key as given, value).
    entries: BTreeMap<String, (String, ContextValue)>,
}

impl Context {
    /// An empty context (every key absent).
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a key (replacing any value under a key equal to it ignoring case).
    pub fn insert(&mut self, key: &str, value: ContextValue) {
        self.entries
            .insert(key.to_ascii_lowercase(), (key.to_string(), value));
    }

    /// Looks a key up, ignoring case.
    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        self.entries.get(&key.to_ascii_lowercase()).map(|(_, v)| v)
    }

    /// Whether the key is present, ignoring case.
    pub fn contains(&self, key: &str) -> bool {
        self.entries.contains_key(&key.to_ascii_lowercase())
    }

    /// Removes a key, ignoring case.
    pub fn remove(&mut self, key: &str) -> Option<ContextValue> {
        self.entries
            .remove(&key.to_ascii_lowercase())
            .map(|(_, v)| v)
    }

    /// The entries as (key as given, value), in lowercase-key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.entries.values().map(|(k, v)| (k.as_str(), v))
    }

    /// The number of keys present.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no key is present.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// One concrete request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Who makes the request.
    pub principal: Principal,
    /// `service:Action`.
    pub action: String,
    /// The resource ARN, or `*` for actions that take no resource.
    pub resource: String,
    /// The account that owns the resource (decides same- vs cross-account evaluation); `None`
    /// means the principal's own account.
    pub resource_account: Option<String>,
    /// The condition keys the request carries (the principal-derived global keys are added by
    /// `effective_context` when absent).
    pub context: Context,
}

/// The outcome of evaluating a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    /// Some policy allows and nothing denies.
    Allowed,
    /// An applicable Deny statement.
    ExplicitlyDenied,
    /// No applicable Deny, but the required Allows are missing (the default).
    ImplicitlyDenied,
}

impl Decision {
    /// The name iam-simulate and `aws iam simulate-*` use (`Allowed`, `ExplicitlyDenied`,
    /// `ImplicitlyDenied`).
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "Allowed",
            Decision::ExplicitlyDenied => "ExplicitlyDenied",
            Decision::ImplicitlyDenied => "ImplicitlyDenied",
        }
    }
}

/// The part of a request that is not valid (see [`Request::check_concrete`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RequestPart {
    /// The action.
    Action,
    /// The resource.
    Resource,
    /// The principal.
    Principal,
    /// The account that owns the resource.
    ResourceAccount,
    /// A condition key of the context (its name or value), by name as given.
    Context(String),
}

impl std::fmt::Display for RequestPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RequestPart::Action => f.write_str("action"),
            RequestPart::Resource => f.write_str("resource"),
            RequestPart::Principal => f.write_str("principal"),
            RequestPart::ResourceAccount => f.write_str("resource account"),
            RequestPart::Context(k) => write!(f, "context key {k:?}"),
        }
    }
}

/// Why a request is not one AWS could receive: `action "s3:LIST*UCKET": … (no wildcards)`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{part} {value:?}: {why}")]
pub struct InvalidRequest {
    /// The offending part.
    pub part: RequestPart,
    /// Its value (for a context key, the offending value, or the key itself).
    pub value: String,
    /// What is wrong with it.
    pub why: &'static str,
}

/// Letters, digits and `-`: the characters of service prefixes (`vpc-lattice`) and action names
/// (`AssociateViaAWSService-EventsAndStates`); `*` and `?` are wildcards, never in a request.
fn is_action_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

/// Whether `s` is non-empty and all its characters satisfy `ok`.
fn all_of(s: &str, ok: impl Fn(char) -> bool) -> bool {
    !s.is_empty() && s.chars().all(ok)
}

/// Checks that `action` names one concrete action: `service:Name`, both parts made of ASCII
/// letters, digits and `-` (no wildcard, no second `:`).
pub fn check_action(action: &str) -> Result<(), &'static str> {
    match action.split_once(':') {
        Some((svc, name)) if all_of(svc, is_action_char) && all_of(name, is_action_char) => Ok(()),
        _ if action.contains(['*', '?']) => {
            Err("a request names one concrete action, service:Name (no wildcards)")
        }
        _ => Err("a request names one action, service:Name, made of letters, digits and -"),
    }
}

/// The six fields of an ARN `arn:partition:service:region:account:resource`, if it has them with
/// a well-formed partition (`aws`, `aws-cn`…), a non-empty service, a region and an account made
/// of lowercase letters, digits and `-`, and a non-empty resource without control characters.
fn arn_fields(arn: &str) -> Option<[&str; 5]> {
    let mut it = arn.splitn(6, ':');
    let (Some("arn"), Some(p), Some(svc), Some(region), Some(account), Some(rest)) = (
        it.next(),
        it.next(),
        it.next(),
        it.next(),
        it.next(),
        it.next(),
    ) else {
        return None;
    };
    let field = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    let ok = all_of(p, field)
        && all_of(svc, is_action_char)
        && region.chars().all(field)
        && account.chars().all(field)
        && !rest.is_empty()
        && !rest.chars().any(char::is_control);
    ok.then_some([p, svc, region, account, rest])
}

/// Checks that `resource` is `*` or an ARN (`arn:partition:service:region:account:resource`, see
/// the README's request format). The resource part may hold any printable characters, `*` and
/// `?` included (S3 object keys can), and is compared literally.
pub fn check_resource(resource: &str) -> Result<(), &'static str> {
    if resource == "*" || arn_fields(resource).is_some() {
        Ok(())
    } else {
        Err("a request's resource is * or an ARN, arn:partition:service:region:account:resource")
    }
}

/// Checks the shape of a principal: an IAM/STS ARN without wildcards or control characters, a
/// service name (`lambda.amazonaws.com`), a federated provider or canonical user id without
/// wildcards or control characters.
pub fn check_principal(principal: &Principal) -> Result<(), &'static str> {
    let plain = |s: &str| all_of(s, |c| !c.is_control() && c != '*' && c != '?');
    match principal {
        Principal::Anonymous => Ok(()),
        Principal::Arn(a) => match arn_fields(a) {
            Some([_, "iam" | "sts", _, _, rest]) if plain(rest) && rest.is_ascii() => Ok(()),
            _ => Err("a caller is an IAM or STS ARN such as arn:aws:iam::123456789012:user/name (no wildcards)"),
        },
        Principal::Service(s) => {
            if all_of(s, |c| c.is_ascii_alphanumeric() || c == '.' || c == '-') {
                Ok(())
            } else {
                Err("a service principal is a name such as lambda.amazonaws.com")
            }
        }
        Principal::Federated(s) | Principal::CanonicalUser(s) => {
            if plain(s) {
                Ok(())
            } else {
                Err("a principal has no wildcards or control characters")
            }
        }
    }
}

impl Request {
    /// Checks that this is a request AWS could receive, as `iamproof simulate --request` accepts
    /// it: a concrete action ([`check_action`]), a resource that is `*` or an ARN
    /// ([`check_resource`]), a well-formed principal ([`check_principal`]), a 12-digit resource
    /// account, and context keys and values without control characters. Solvers can answer with
    /// requests that satisfy a formula and still are not requests (an action `s3:LIST*UCKET` for
    /// the pattern `s3:List?ucket`): the checks never show those.
    pub fn check_concrete(&self) -> Result<(), InvalidRequest> {
        let bad = |part: RequestPart, value: &str, why: &'static str| InvalidRequest {
            part,
            value: value.to_string(),
            why,
        };
        check_action(&self.action).map_err(|w| bad(RequestPart::Action, &self.action, w))?;
        check_resource(&self.resource)
            .map_err(|w| bad(RequestPart::Resource, &self.resource, w))?;
        check_principal(&self.principal).map_err(|w| {
            let text = match &self.principal {
                Principal::Anonymous => "anonymous",
                Principal::Arn(s)
                | Principal::Service(s)
                | Principal::Federated(s)
                | Principal::CanonicalUser(s) => s,
            };
            bad(RequestPart::Principal, text, w)
        })?;
        if let Some(a) = &self.resource_account {
            if a.len() != 12 || !a.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad(
                    RequestPart::ResourceAccount,
                    a,
                    "an account id has 12 digits",
                ));
            }
        }
        for (k, v) in self.context.iter() {
            let part = || RequestPart::Context(k.to_string());
            if k.is_empty() || k.chars().any(char::is_control) {
                return Err(bad(
                    part(),
                    k,
                    "a condition key is a non-empty name without control characters",
                ));
            }
            let values: &[String] = match v {
                ContextValue::Single(s) => std::slice::from_ref(s),
                ContextValue::Multi(vs) => vs,
            };
            if let Some(s) = values.iter().find(|s| s.chars().any(char::is_control)) {
                return Err(bad(
                    part(),
                    s,
                    "a condition value has no control characters",
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(action: &str, resource: &str) -> Request {
        Request {
            principal: Principal::Arn("arn:aws:iam::111122223333:user/alice".into()),
            action: action.into(),
            resource: resource.into(),
            resource_account: None,
            context: Context::new(),
        }
    }

    #[test]
    fn wildcards_and_odd_characters_are_not_actions() {
        let e = req("s3:LIST*UCKET", "*").check_concrete().unwrap_err();
        assert_eq!(e.part, RequestPart::Action);
        assert!(e.to_string().contains("no wildcards"), "{e}");
        for bad in [
            "s3:List?ucket",
            "s3:LIst\u{0}UCKET",
            "s3:",
            ":GetObject",
            "s3:Get:Object",
            "s3 GetObject",
            "s3:Gét",
        ] {
            assert!(check_action(bad).is_err(), "{bad:?}");
        }
        for good in [
            "s3:ListBucket",
            "S3:LISTBUCKET",
            "vpc-lattice:AssociateViaAWSService-EventsAndStates",
        ] {
            assert_eq!(check_action(good), Ok(()), "{good}");
        }
    }

    #[test]
    fn resources_principals_and_context_have_request_shapes() {
        assert!(req("s3:GetObject", "*").check_concrete().is_ok());
        assert!(req("s3:GetObject", "arn:aws:s3:::b/a*b")
            .check_concrete()
            .is_ok());
        for bad in [
            "arn:aws::::",
            "arn:aws:;;\u{4000}:k[::^k;:;",
            "bucket",
            "arn:aws:s3:::",
            "arn:aws:s3:::b/\u{1}",
        ] {
            let e = req("s3:GetObject", bad).check_concrete().unwrap_err();
            assert_eq!(e.part, RequestPart::Resource, "{bad:?}");
        }
        let mut r = req("s3:GetObject", "*");
        r.principal = Principal::Arn("arn:aws:iam::111122223333:user/a*".into());
        assert_eq!(r.check_concrete().unwrap_err().part, RequestPart::Principal);
        r.principal = Principal::Service("lambda.amazonaws.com".into());
        assert!(r.check_concrete().is_ok());
        r.context
            .insert("aws:UserAgent", ContextValue::Single("a\u{0}".into()));
        assert_eq!(
            r.check_concrete().unwrap_err().part,
            RequestPart::Context("aws:UserAgent".into())
        );
        r.context
            .insert("aws:UserAgent", ContextValue::Single("curl".into()));
        r.resource_account = Some("12345".into());
        assert_eq!(
            r.check_concrete().unwrap_err().part,
            RequestPart::ResourceAccount
        );
    }
}
