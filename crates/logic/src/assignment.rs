//! Models: values for the variables of a formula, and their conversion to a concrete request.

use crate::formula::{CallerKind, Key};
use iamproof_eval::{Context, ContextValue, Request};
use std::collections::BTreeMap;

/// A satisfying assignment (a model): a value for every request variable. Keys not in `keys` are
/// absent from the request context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// The principal's kind.
    pub caller: CallerKind,
    /// The principal's identifying string (ignored for anonymous callers).
    pub principal: String,
    /// The action.
    pub action: String,
    /// The resource.
    pub resource: String,
    /// The account owning the resource (`None`: the principal's own account).
    pub resource_account: Option<String>,
    /// Present condition keys and their values.
    pub keys: BTreeMap<Key, ContextValue>,
}

impl Default for Assignment {
    fn default() -> Self {
        Assignment {
            caller: CallerKind::Anonymous,
            principal: String::new(),
            action: String::new(),
            resource: String::new(),
            resource_account: None,
            keys: BTreeMap::new(),
        }
    }
}

impl Assignment {
    /// The concrete request this model describes.
    pub fn to_request(&self) -> Request {
        let mut context = Context::new();
        for (k, v) in &self.keys {
            context.insert(k.as_str(), v.clone());
        }
        Request {
            principal: self.caller.principal(&self.principal),
            action: self.action.clone(),
            resource: self.resource.clone(),
            resource_account: self.resource_account.clone(),
            context,
        }
    }

    /// The assignment describing a request (its context as given).
    pub fn from_request(r: &Request) -> Self {
        let (caller, id) = CallerKind::of(&r.principal);
        Assignment {
            caller,
            principal: id.unwrap_or("").to_string(),
            action: r.action.clone(),
            resource: r.resource.clone(),
            resource_account: r.resource_account.clone(),
            keys: r
                .context
                .iter()
                .map(|(k, v)| (Key::new(k), v.clone()))
                .collect(),
        }
    }
}
