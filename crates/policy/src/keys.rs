//! What the validator knows about condition keys: their value type and whether they carry
//! several values. A small built-in table covers the global `aws:` keys of docs/semantics.md, "Global condition keys"; callers with
//! a service catalogue (e.g. the iam-data key lists) supply their own [`ConditionKeyCatalog`].

use crate::model::OperatorFamily;

/// The type of a condition key's value, as the Service Authorization Reference names it
/// (without the `ArrayOf` prefix, which is [`KeyInfo::multivalued`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// `String`.
    String,
    /// `ARN`.
    Arn,
    /// `Bool`.
    Bool,
    /// `Date`.
    Date,
    /// `Numeric`.
    Numeric,
    /// `IPAddress`.
    Ip,
    /// `Binary`.
    Binary,
}

impl KeyType {
    /// Parses the reference's type names (`String`, `ArrayOfString`, `ARN`, `ArrayOfARN`, `Bool`,
    /// `Date`, `Numeric`, `IPAddress`, `Binary`, …) into a type and the multivalued flag.
    pub fn from_reference_name(s: &str) -> Option<(KeyType, bool)> {
        let (multi, base) = match s.strip_prefix("ArrayOf") {
            Some(b) => (true, b),
            None => (false, s),
        };
        let t = match base.to_ascii_lowercase().as_str() {
            "string" => KeyType::String,
            "arn" => KeyType::Arn,
            "bool" | "boolean" => KeyType::Bool,
            "date" => KeyType::Date,
            "numeric" | "number" | "integer" | "long" => KeyType::Numeric,
            "ipaddress" | "ip" => KeyType::Ip,
            "binary" => KeyType::Binary,
            _ => return None,
        };
        Some((t, multi))
    }

    /// The operator family meant for this type.
    pub fn family(self) -> OperatorFamily {
        match self {
            KeyType::String => OperatorFamily::String,
            KeyType::Arn => OperatorFamily::Arn,
            KeyType::Bool => OperatorFamily::Bool,
            KeyType::Date => OperatorFamily::Date,
            KeyType::Numeric => OperatorFamily::Numeric,
            KeyType::Ip => OperatorFamily::Ip,
            KeyType::Binary => OperatorFamily::Binary,
        }
    }

    /// The name Access Analyzer uses in "Use the operator type … instead of …".
    pub fn aa_name(self) -> &'static str {
        match self {
            KeyType::String => "String",
            KeyType::Arn => "ARN",
            KeyType::Bool => "Boolean",
            KeyType::Date => "Date",
            KeyType::Numeric => "Numeric",
            KeyType::Ip => "IPAddress",
            KeyType::Binary => "Binary",
        }
    }
}

/// What is known about one condition key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyInfo {
    /// The value type.
    pub value_type: KeyType,
    /// Whether the request may carry several values (`ArrayOf…`).
    pub multivalued: bool,
    /// Whether some services use the key with both one and several values (the validator then
    /// skips single/multi checks). Rare; `false` in the built-in table.
    pub ambiguous_arity: bool,
}

/// A source of condition-key facts. Keys are looked up as written; implementations must compare
/// case-insensitively (key names are case-insensitive, docs/semantics.md, "Case folding").
pub trait ConditionKeyCatalog {
    /// The facts about `key`, if known.
    fn lookup(&self, key: &str) -> Option<KeyInfo>;
}

/// The global keys of docs/semantics.md, "Global condition keys" (and a few more documented global keys), matched
/// case-insensitively; `aws:RequestTag/…`, `aws:ResourceTag/…` and `aws:PrincipalTag/…` are
/// single-valued strings.
#[derive(Debug, Clone, Copy, Default)]
pub struct GlobalKeys;

const GLOBAL_KEYS: &[(&str, KeyType, bool)] = &[
    ("aws:calledvia", KeyType::String, true),
    ("aws:calledviafirst", KeyType::String, false),
    ("aws:calledvialast", KeyType::String, false),
    ("aws:currenttime", KeyType::Date, false),
    ("aws:epochtime", KeyType::Date, false),
    ("aws:federatedprovider", KeyType::String, false),
    ("aws:multifactorauthage", KeyType::Numeric, false),
    ("aws:multifactorauthpresent", KeyType::Bool, false),
    ("aws:principalaccount", KeyType::String, false),
    ("aws:principalarn", KeyType::Arn, false),
    ("aws:principalisawsservice", KeyType::Bool, false),
    ("aws:principalorgid", KeyType::String, false),
    ("aws:principalorgpaths", KeyType::String, true),
    ("aws:principalservicename", KeyType::String, false),
    ("aws:principalservicenameslist", KeyType::String, true),
    ("aws:principaltype", KeyType::String, false),
    ("aws:referer", KeyType::String, false),
    ("aws:requestedregion", KeyType::String, false),
    ("aws:resourceaccount", KeyType::String, false),
    ("aws:resourceorgid", KeyType::String, false),
    ("aws:resourceorgpaths", KeyType::String, true),
    ("aws:securetransport", KeyType::Bool, false),
    ("aws:sourceaccount", KeyType::String, false),
    ("aws:sourcearn", KeyType::Arn, false),
    ("aws:sourceidentity", KeyType::String, false),
    ("aws:sourceip", KeyType::Ip, false),
    ("aws:sourceorgid", KeyType::String, false),
    ("aws:sourceorgpaths", KeyType::String, true),
    ("aws:sourcevpc", KeyType::String, false),
    ("aws:sourcevpcarn", KeyType::Arn, false),
    ("aws:sourcevpce", KeyType::String, false),
    ("aws:tagkeys", KeyType::String, true),
    ("aws:tokenissuetime", KeyType::Date, false),
    ("aws:useragent", KeyType::String, false),
    ("aws:userid", KeyType::String, false),
    ("aws:username", KeyType::String, false),
    ("aws:viaawsservice", KeyType::Bool, false),
    ("aws:vpceaccount", KeyType::String, false),
    ("aws:vpceorgid", KeyType::String, false),
    ("aws:vpceorgpaths", KeyType::String, true),
    ("aws:vpcsourceip", KeyType::Ip, false),
    ("aws:ec2instancesourceprivateipv4", KeyType::Ip, false),
    ("aws:ec2instancesourcevpc", KeyType::String, false),
];

impl ConditionKeyCatalog for GlobalKeys {
    fn lookup(&self, key: &str) -> Option<KeyInfo> {
        let lower = key.to_ascii_lowercase();
        for prefix in ["aws:requesttag/", "aws:resourcetag/", "aws:principaltag/"] {
            if lower.starts_with(prefix) && lower.len() > prefix.len() {
                return Some(KeyInfo {
                    value_type: KeyType::String,
                    multivalued: false,
                    ambiguous_arity: false,
                });
            }
        }
        GLOBAL_KEYS
            .iter()
            .find(|(k, _, _)| k.eq_ignore_ascii_case(&lower))
            .map(|&(_, value_type, multivalued)| KeyInfo {
                value_type,
                multivalued,
                ambiguous_arity: false,
            })
    }
}

/// Looks a key up in `first`, then in `second`.
#[derive(Debug, Clone, Copy)]
pub struct Chain<A, B>(pub A, pub B);

impl<A: ConditionKeyCatalog, B: ConditionKeyCatalog> ConditionKeyCatalog for Chain<A, B> {
    fn lookup(&self, key: &str) -> Option<KeyInfo> {
        self.0.lookup(key).or_else(|| self.1.lookup(key))
    }
}

impl<T: ConditionKeyCatalog + ?Sized> ConditionKeyCatalog for &T {
    fn lookup(&self, key: &str) -> Option<KeyInfo> {
        (**self).lookup(key)
    }
}

/// Which services and actions exist (e.g. from the Service Authorization Reference). Enables
/// the `INVALID_SERVICE_IN_ACTION`, `INVALID_ACTION` and `INVALID_SERVICE` findings.
pub trait ActionCatalog {
    /// Whether `prefix` (as written; compare case-insensitively) is a known service prefix.
    fn has_service(&self, prefix: &str) -> bool;
    /// Whether `prefix:name` is a known action (case-insensitive).
    fn has_action(&self, prefix: &str, name: &str) -> bool;
    /// The condition keys `prefix:name` supports, its own and those of its resource types,
    /// lower-cased, `${…}` standing for any suffix (`aws:resourcetag/${tagkey}`); `None` when
    /// unknown (the default). Enables the `…_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE`
    /// findings.
    fn action_condition_keys(&self, prefix: &str, name: &str) -> Option<Vec<String>> {
        let _ = (prefix, name);
        None
    }
    /// The names of the actions of service `prefix`, to expand wildcard actions; `None` when
    /// unknown (the default).
    fn service_actions(&self, prefix: &str) -> Option<Vec<String>> {
        let _ = prefix;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globals() {
        let g = GlobalKeys;
        assert!(g.lookup("AWS:TagKeys").unwrap().multivalued);
        assert!(!g.lookup("aws:SourceIp").unwrap().multivalued);
        assert_eq!(
            g.lookup("aws:ResourceTag/Team").unwrap().value_type,
            KeyType::String
        );
        assert_eq!(g.lookup("aws:RequestTag/"), None);
        assert_eq!(g.lookup("s3:prefix"), None);
        assert_eq!(
            KeyType::from_reference_name("ArrayOfARN"),
            Some((KeyType::Arn, true))
        );
    }
}
