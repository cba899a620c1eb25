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
/// multivalued keys. Values are strings; operators type them (spec §4).
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
