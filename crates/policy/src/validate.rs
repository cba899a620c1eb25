//! Validation findings in the shape of Access Analyzer's `ValidatePolicy` response.
//!
//! Every finding [`validate_policy`] returns carries an issue code from AWS's "IAM policy
//! validation check reference"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>),
//! with the finding type that page gives it and its `learnMoreLink`; the table [`AWS_CHECKS`]
//! is the single place that pairs a code with its type. Findings are reported together as AWS
//! does: a statement that does not parse (say, `MISSING_PRINCIPAL`) yields its `ERROR` and the
//! other statements and the document are still checked (`MISSING_VERSION`…); only invalid JSON
//! stops everything.
//!
//! iamproof's own checks (constructs whose meaning AWS's documentation leaves uncertain) are not
//! AWS's and never pretend to be: they are off unless [`ValidateOptions::iamproof_checks`] is
//! set, and their codes start with `IAMPROOF_` (their link is the README's validate-policy
//! section).
//! The two reader limits (`IAMPROOF_POLICY_TOO_LARGE`, `IAMPROOF_JSON_TOO_DEEP`) are always
//! reported, as the document cannot be read further. The opt-in ones:
//!
//! | Code | Type | What |
//! |---|---|---|
//! | `IAMPROOF_DENY_WITH_NOT_PRINCIPAL` | WARNING | `Deny` + `NotPrincipal` also denies the exempted principal's account and role unless listed |
//! | `IAMPROOF_VARIABLE_IN_ARN_PREFIX` | WARNING | a policy variable in the region or account field of a resource ARN |
//! | `IAMPROOF_IF_EXISTS_ON_NEGATED_OPERATOR` | SUGGESTION | `…IfExists` changes nothing on a negated operator |
//! | `IAMPROOF_FOR_ANY_VALUE_WITH_IF_EXISTS` | WARNING | `ForAnyValue:…IfExists` on a missing key: evaluators disagree |
//! | `IAMPROOF_IGNORE_CASE_WITH_NON_ASCII` | WARNING | case folding of non-ASCII text is undocumented |
//! | `IAMPROOF_EMPTY_STRING_CONDITION_VALUE` | SUGGESTION | an empty string value may be read as a missing key |
//! | `IAMPROOF_IMPRECISE_DATE_VALUE` | SUGGESTION | a partial date or one without a time zone |
//! | `IAMPROOF_BARE_IPV6_ADDRESS` | SUGGESTION | an IPv6 address without a prefix length |
//! | `IAMPROOF_SHORT_ARN_CONDITION_VALUE` | WARNING | an ARN condition value with fewer than six fields |
//! | `IAMPROOF_DENY_NOT_IP_ADDRESS_WITHOUT_SERVICE_EXCEPTION` | WARNING | a `Deny` on `NotIpAddress aws:SourceIp` also denies AWS services acting for the caller |
//!
//! Decisions: a wrong JSON type is `DATA_TYPE_MISMATCH`; a Resource with fewer than six ARN
//! fields (`bucket`, `arn:aws:s3`) is `MISSING_ARN_FIELD`; an action with a comma or an empty
//! name is `INVALID_ACTION`; a policy variable in a `Bool` value is
//! `INVALID_VARIABLE_FOR_OPERATOR`; a non-base64 `Binary` value is `TYPE_MISMATCH_STRING`;
//! without a `Version`, variables get `VARIABLE_UNSUPPORTED_IN_VERSION` (2008-10-17 rules).
//!
//! With a [`ResourceType`] (`validatePolicyResourceType`, `RESOURCE_POLICY` only), the checks AWS
//! runs only for that kind of resource are added (role trust policies, S3, DynamoDB; see
//! `validate_resource_type.rs`). Condition-key facts (type, single/multi-valued) come from a
//! [`ConditionKeyCatalog`]; [`validate_policy`] uses the built-in [`GlobalKeys`].

use crate::error::{codes, PolicyError};
use crate::glob::{covers_chars, glob_matches, MAX_GLOB_CHARS};
use crate::json::{parse_json, JsonMember, JsonNode, JsonValue};
use crate::keys::{ActionCatalog, ConditionKeyCatalog, GlobalKeys, KeyType};
use crate::model::*;
use crate::parse::parse_policy_tree;
use crate::span::{JsonPath, PathElem, Position, Span};
pub use crate::validate_resource_type::ResourceType;
use crate::values::{parse_bool, parse_cidr, parse_date_value, parse_number, DateForm};
use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::collections::HashMap;
use std::net::IpAddr;

/// Access Analyzer's finding types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FindingType {
    /// The policy is invalid or does not do what it says.
    Error,
    /// The policy grants more than it seems to.
    SecurityWarning,
    /// The policy does not follow best practice or its meaning is uncertain.
    Warning,
    /// An improvement that does not change the meaning.
    Suggestion,
}

impl FindingType {
    /// `ERROR`, `SECURITY_WARNING`, `WARNING` or `SUGGESTION`.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingType::Error => "ERROR",
            FindingType::SecurityWarning => "SECURITY_WARNING",
            FindingType::Warning => "WARNING",
            FindingType::Suggestion => "SUGGESTION",
        }
    }

    fn link_slug(self) -> &'static str {
        match self {
            FindingType::Error => "error",
            FindingType::SecurityWarning => "security-warning",
            FindingType::Warning => "general-warning",
            FindingType::Suggestion => "suggestion",
        }
    }
}

/// Where a finding points: a JSON path and the source span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The path from the root.
    pub path: JsonPath,
    /// The source range.
    pub span: Span,
    /// Whether the location is an object *key* (a condition key) rather than a value: Access
    /// Analyzer then writes the last path element as `{"key": …}` instead of `{"value": …}`.
    pub at_key: bool,
}

impl Serialize for Location {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Path<'a>(&'a Location);
        impl Serialize for Path<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeSeq;
                let elems = &self.0.path.0;
                let mut seq = s.serialize_seq(Some(elems.len()))?;
                for (i, e) in elems.iter().enumerate() {
                    let last = i + 1 == elems.len();
                    seq.serialize_element(&Elem(e, last && self.0.at_key))?;
                }
                seq.end()
            }
        }
        struct Elem<'a>(&'a PathElem, bool);
        impl Serialize for Elem<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(1))?;
                match self.0 {
                    PathElem::Index(i) => m.serialize_entry("index", i)?,
                    PathElem::Key(k) if self.1 => m.serialize_entry("key", k)?,
                    PathElem::Key(k) => m.serialize_entry("value", k)?,
                }
                m.end()
            }
        }
        struct Pos(Position);
        impl Serialize for Pos {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut st = s.serialize_struct("Position", 3)?;
                st.serialize_field("line", &self.0.line)?;
                st.serialize_field("column", &self.0.column)?;
                st.serialize_field("offset", &self.0.offset)?;
                st.end()
            }
        }
        struct Sp(Span);
        impl Serialize for Sp {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut st = s.serialize_struct("Span", 2)?;
                st.serialize_field("start", &Pos(self.0.start))?;
                st.serialize_field("end", &Pos(self.0.end))?;
                st.end()
            }
        }
        let mut st = s.serialize_struct("Location", 2)?;
        st.serialize_field("path", &Path(self))?;
        st.serialize_field("span", &Sp(self.span))?;
        st.end()
    }
}

/// One finding, serialised with Access Analyzer's field names (`findingType`, `issueCode`,
/// `findingDetails`, `learnMoreLink`, `locations`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidationFinding {
    /// How serious.
    pub finding_type: FindingType,
    /// What kind of problem: an AWS issue code ([`AWS_CHECKS`]) or an `IAMPROOF_…` one.
    pub issue_code: String,
    /// An explanation.
    pub finding_details: String,
    /// AWS's documentation of the check (iamproof's README for its own codes); always set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub learn_more_link: Option<String>,
    /// Where in the document.
    pub locations: Vec<Location>,
}

/// The AWS issue codes iamproof reports, each with the finding type AWS's policy check reference
/// gives it (the reference writes `GENERAL_WARNING` where the API answers `WARNING`).
pub const AWS_CHECKS: &[(&str, FindingType)] = {
    use FindingType::{Error as E, SecurityWarning as SW, Suggestion as SG, Warning as W};
    &[
        ("ALLOW_WITH_NOT_PRINCIPAL", SW),
        ("ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", SG),
        ("CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE", W),
        ("CREATE_SLR_WITH_STAR_IN_RESOURCE", W),
        ("DATA_TYPE_MISMATCH", E),
        ("DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", SW),
        ("DUPLICATE_KEYS_WITH_DIFFERENT_CASE", E),
        ("EMPTY_ARRAY_ACTION", SG),
        ("EMPTY_ARRAY_CONDITION", SG),
        ("EMPTY_ARRAY_CONDITION_FORALLVALUES", SG),
        ("EMPTY_ARRAY_CONDITION_FORANYVALUE", SG),
        ("EMPTY_ARRAY_CONDITION_IFEXISTS", SG),
        ("EMPTY_ARRAY_PRINCIPAL", SG),
        ("EMPTY_ARRAY_RESOURCE", SG),
        ("EMPTY_OBJECT_CONDITION", SG),
        ("EMPTY_OBJECT_PRINCIPAL", SG),
        ("EMPTY_SID_VALUE", SG),
        ("EMPTY_VARIABLE", E),
        ("EQUIVALENT_TO_NULL_FALSE", SG),
        ("EQUIVALENT_TO_NULL_TRUE", SG),
        ("FEDERATED_PRINCIPAL_NOT_SUPPORTED", E),
        ("FORALLVALUES_WITH_SINGLE_VALUED_KEY", SW),
        ("IMPROVE_IP_RANGE", SG),
        ("INVALID_ACTION", E),
        ("INVALID_ARN_PREFIX", E),
        ("INVALID_CONDITION_KEY_FORMAT", E),
        ("INVALID_CONDITION_MULTIPLE_BOOLEAN", E),
        ("INVALID_CONDITION_OPERATOR", E),
        ("INVALID_DATE_VALUE", W),
        ("INVALID_EFFECT", E),
        ("INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY", E),
        ("INVALID_POLICY_ELEMENT", E),
        ("INVALID_PRINCIPAL_FORMAT", E),
        ("INVALID_PRINCIPAL_KEY", E),
        ("INVALID_SERVICE", E),
        ("INVALID_SERVICE_CONDITION_KEY", E),
        ("INVALID_SERVICE_IN_ACTION", E),
        ("INVALID_SERVICE_PRINCIPAL_FORMAT", E),
        ("INVALID_VARIABLE_FOR_OPERATOR", E),
        ("INVALID_VERSION", E),
        ("INVALID_VPCE_FORMAT", E),
        ("INVALID_VPC_FORMAT", E),
        ("IRRELEVANT_CONDITION_KEY_IN_POLICY", SG),
        ("JSON_SYNTAX_ERROR", E),
        ("MISMATCHED_ACTION_FOR_PRINCIPAL", E),
        ("MISSING_ACTION", E),
        ("MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY", E),
        ("MISSING_ARN_FIELD", E),
        ("MISSING_BRACE_IN_VARIABLE", E),
        ("MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL", SW),
        ("MISSING_EFFECT", E),
        ("MISSING_GITHUB_REPO_CONDITION_KEY", SW),
        ("MISSING_PRINCIPAL", E),
        ("MISSING_QUALIFIER", E),
        ("MISSING_QUOTE_IN_VARIABLE", E),
        ("MISSING_RESOURCE", E),
        ("MISSING_STATEMENT", E),
        ("MISSING_TAG_KEY_IN_CONDITION", E),
        ("MISSING_VERSION", W),
        ("NULL_WITH_IF_EXISTS", E),
        ("NULL_WITH_QUALIFIER", SG),
        ("PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE", SW),
        ("PASS_ROLE_WITH_STAR_IN_RESOURCE", SW),
        ("POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA", W),
        ("POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA", W),
        ("PRIVATE_IP_ADDRESS", E),
        ("PRIVATE_IP_ADDRESS_SUBSET", SG),
        ("PRIVATE_NOT_IP_ADDRESS", E),
        ("PRIVATE_NOT_IP_ADDRESS_SUBSET", SG),
        ("RCP_SYNTAX_ERROR_ALLOW", E),
        ("RCP_SYNTAX_ERROR_NOTACTION", E),
        ("RCP_SYNTAX_ERROR_PRINCIPAL", E),
        ("REDUNDANT_ACTION", SG),
        ("REDUNDANT_CONDITION_VALUE_NUM", SG),
        ("REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY", SG),
        ("REDUNDANT_RESOURCE", SG),
        ("ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL", E),
        ("ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE", E),
        ("ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL", E),
        ("SCP_SYNTAX_ERROR_PRINCIPAL", E),
        ("SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED", W),
        ("STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS", SW),
        ("TYPE_MISMATCH", W),
        ("TYPE_MISMATCH_BOOLEAN", W),
        ("TYPE_MISMATCH_DATE", W),
        ("TYPE_MISMATCH_IP_RANGE", E),
        ("TYPE_MISMATCH_NUMBER", W),
        ("TYPE_MISMATCH_STRING", W),
        ("UNIQUE_SIDS_REQUIRED", E),
        ("UNSUPPORTED_ACTION_IN_POLICY", E),
        ("UNSUPPORTED_ELEMENT_COMBINATION", E),
        ("UNSUPPORTED_PRINCIPAL", E),
        ("UNSUPPORTED_RESOURCE_ARN_IN_POLICY", E),
        ("UNSUPPORTED_SPACE_IN_VARIABLE", E),
        ("UNSUPPORTED_WILDCARD_IN_PRINCIPAL", E),
        ("VARIABLE_UNSUPPORTED_IN_ELEMENT", E),
        ("VARIABLE_UNSUPPORTED_IN_VERSION", E),
        ("WILDCARD_IN_SERVICE_NAME", SG),
        ("WILDCARD_WITHOUT_LIKE_OPERATOR", W),
    ]
};

/// The finding type AWS gives an issue code, if the code is one of [`AWS_CHECKS`].
pub fn aws_finding_type(code: &str) -> Option<FindingType> {
    AWS_CHECKS.iter().find(|(c, _)| *c == code).map(|(_, t)| *t)
}

/// The prefix of iamproof's own issue codes.
pub const IAMPROOF_CODE_PREFIX: &str = "IAMPROOF_";

/// Where iamproof's own codes are documented.
const IAMPROOF_LINK: &str = "https://github.com/iamproof/iamproof#validate-policy";

/// Identity policies over this many non-whitespace characters get
/// `POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA` (the figure Access Analyzer's message uses).
pub const IDENTITY_POLICY_CHAR_QUOTA: usize = 10_240;

/// Role trust policies over this many non-whitespace characters get
/// `POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA` (IAM's default role trust policy length quota).
pub const ROLE_TRUST_POLICY_CHAR_QUOTA: usize = 2_048;

impl ValidationFinding {
    /// A finding with an AWS issue code: the finding type is the one [`AWS_CHECKS`] gives the
    /// code, and the learn-more link is AWS's page for it. A code AWS does not have is reported
    /// as iamproof's own (`IAMPROOF_` prefixed) `ERROR`, so it never passes for AWS's.
    pub fn aws(issue_code: &str, finding_details: String, locations: Vec<Location>) -> Self {
        match aws_finding_type(issue_code) {
            Some(ty) => ValidationFinding {
                finding_type: ty,
                issue_code: issue_code.to_string(),
                finding_details,
                learn_more_link: Some(format!(
                    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-{}-{}",
                    ty.link_slug(),
                    issue_code.to_ascii_lowercase().replace('_', "-")
                )),
                locations,
            },
            None => Self::iamproof(issue_code, FindingType::Error, finding_details, locations),
        }
    }

    /// One of iamproof's own findings: the code gets the `IAMPROOF_` prefix (if it lacks it) and
    /// the link points at iamproof's documentation.
    pub fn iamproof(
        issue_code: &str,
        finding_type: FindingType,
        finding_details: String,
        locations: Vec<Location>,
    ) -> Self {
        let issue_code = if issue_code.starts_with(IAMPROOF_CODE_PREFIX) {
            issue_code.to_string()
        } else {
            format!("{IAMPROOF_CODE_PREFIX}{issue_code}")
        };
        ValidationFinding {
            finding_type,
            issue_code,
            finding_details,
            learn_more_link: Some(IAMPROOF_LINK.to_string()),
            locations,
        }
    }

    /// Whether the code is AWS's (not one of iamproof's own).
    pub fn is_aws(&self) -> bool {
        aws_finding_type(&self.issue_code).is_some()
    }

    /// The `ERROR` finding for a document that does not parse, under AWS's code for the problem
    /// (the parser's own codes are mapped: a wrong JSON type is `DATA_TYPE_MISMATCH`, an unknown
    /// element `INVALID_POLICY_ELEMENT`…).
    pub fn from_error(e: &PolicyError) -> Self {
        let locations = vec![Location {
            path: e.path.clone(),
            span: e.span,
            at_key: false,
        }];
        match aws_code_for_error(e) {
            Some(code) => {
                let details =
                    aws_fixed_details(code).map_or_else(|| e.message.clone(), str::to_string);
                ValidationFinding::aws(code, details, locations)
            }
            None => ValidationFinding::iamproof(
                e.code,
                FindingType::Error,
                e.message.clone(),
                locations,
            ),
        }
    }
}

/// AWS's `findingDetails` for the codes whose text has no placeholder (the parser's own, more
/// specific message is kept for the others).
fn aws_fixed_details(code: &str) -> Option<&'static str> {
    Some(match code {
        "MISSING_ACTION" => "Add an Action or NotAction element to the policy statement.",
        "MISSING_EFFECT" => "Add an Effect element to the policy statement with a value of Allow or Deny.",
        "MISSING_PRINCIPAL" => "Add a Principal element to the policy statement.",
        "MISSING_RESOURCE" => "Add a Resource or NotResource element to the policy statement.",
        "MISSING_STATEMENT" => "Add a statement to the policy",
        "NULL_WITH_IF_EXISTS" => "The Null condition operator cannot be used with the IfExists suffix. Update the operator or the suffix.",
        "EMPTY_VARIABLE" => "Empty policy variable. Remove the ${ } variable structure or provide a variable within the structure.",
        "MISSING_BRACE_IN_VARIABLE" => "The policy variable is missing a closing curly brace. Add } after the variable text.",
        "MISSING_QUOTE_IN_VARIABLE" => "The policy variable default value must begin and end with a single quote. Add the missing quote.",
        "UNSUPPORTED_SPACE_IN_VARIABLE" => "A space is not supported within the policy variable text. Remove the space.",
        "INVALID_VARIABLE_FOR_OPERATOR" => "Policy variables can only be used with String and ARN operators.",
        "SCP_SYNTAX_ERROR_PRINCIPAL" => "SCPs do not support specifying principals. Remove the Principal or NotPrincipal element.",
        "RCP_SYNTAX_ERROR_PRINCIPAL" => "The Principal element contents are not valid. RCPs only support specifying all principals (\"*\") in the Principal element. The NotPrincipal element is not supported for RCPs.",
        "INVALID_PRINCIPAL_FORMAT" => "The Principal element contents are not valid. Specify a key-value pair in the Principal element.",
        "INVALID_CONDITION_KEY_FORMAT" => "The condition key format is not valid. Use the format service:keyname.",
        _ => return None,
    })
}

/// AWS's issue code for a parse error, or `None` for the reader's own limits (size, depth).
fn aws_code_for_error(e: &PolicyError) -> Option<&'static str> {
    Some(match e.code {
        codes::JSON_SYNTAX | codes::DUPLICATE_KEY => "JSON_SYNTAX_ERROR",
        codes::POLICY_TOO_LARGE | codes::JSON_TOO_DEEP => return None,
        codes::INVALID_ELEMENT_TYPE | codes::INVALID_CONDITION_VALUE => "DATA_TYPE_MISMATCH",
        codes::INVALID_ELEMENT => "INVALID_POLICY_ELEMENT",
        codes::PRINCIPAL_IN_IDENTITY_POLICY => "UNSUPPORTED_PRINCIPAL",
        codes::PRINCIPAL_IN_SERVICE_CONTROL_POLICY => "SCP_SYNTAX_ERROR_PRINCIPAL",
        codes::INVALID_CONDITION_KEY => "INVALID_CONDITION_KEY_FORMAT",
        codes::INVALID_VARIABLE => {
            let m = e.message.as_str();
            if m.contains("names no key") {
                "EMPTY_VARIABLE"
            } else if m.contains("quote") {
                "MISSING_QUOTE_IN_VARIABLE"
            } else if m.contains("space") || m.contains("' '") {
                "UNSUPPORTED_SPACE_IN_VARIABLE"
            } else {
                "MISSING_BRACE_IN_VARIABLE"
            }
        }
        codes::INVALID_RCP => {
            if matches!(e.path.0.last(), Some(PathElem::Key(k)) if k == "Version") {
                "INVALID_VERSION"
            } else {
                "RCP_SYNTAX_ERROR_PRINCIPAL"
            }
        }
        other => match AWS_CHECKS.iter().find(|(c, _)| *c == other) {
            Some((c, _)) => c,
            None => return None,
        },
    })
}

/// How to validate: the policy type, the optional resource type, the catalogues, and whether to
/// add iamproof's own checks.
#[derive(Clone, Copy)]
pub struct ValidateOptions<'a> {
    /// `IDENTITY_POLICY`, `RESOURCE_POLICY`…
    pub policy_type: PolicyType,
    /// `validatePolicyResourceType`; used only with [`PolicyType::Resource`], as in AWS.
    pub resource_type: Option<ResourceType>,
    /// Condition-key facts (unknown keys are not checked for type or arity).
    pub keys: &'a dyn ConditionKeyCatalog,
    /// Known services and actions; adds the checks for unknown services and actions.
    pub actions: Option<&'a dyn ActionCatalog>,
    /// Add iamproof's own (`IAMPROOF_…`) findings.
    pub iamproof_checks: bool,
}

impl<'a> ValidateOptions<'a> {
    /// AWS's checks for `policy_type`, with the built-in global condition keys.
    pub fn new(policy_type: PolicyType) -> Self {
        ValidateOptions {
            policy_type,
            resource_type: None,
            keys: &GlobalKeys,
            actions: None,
            iamproof_checks: false,
        }
    }
}

/// Validates a policy with the built-in global condition keys (AWS's checks only).
pub fn validate_policy(text: &str, policy_type: PolicyType) -> Vec<ValidationFinding> {
    validate(text, &ValidateOptions::new(policy_type))
}

/// Validates a policy, taking condition-key facts from `keys` (unknown keys are not checked for
/// type or arity).
pub fn validate_policy_with(
    text: &str,
    policy_type: PolicyType,
    keys: &dyn ConditionKeyCatalog,
) -> Vec<ValidationFinding> {
    validate_policy_with_catalogs(text, policy_type, keys, None)
}

/// Validates a policy with condition-key facts and, if given, an action catalogue (which adds
/// the checks for unknown services and actions).
pub fn validate_policy_with_catalogs(
    text: &str,
    policy_type: PolicyType,
    keys: &dyn ConditionKeyCatalog,
    actions: Option<&dyn ActionCatalog>,
) -> Vec<ValidationFinding> {
    validate(
        text,
        &ValidateOptions {
            keys,
            actions,
            ..ValidateOptions::new(policy_type)
        },
    )
}

/// At most this many statements that do not parse are reported (each costs a re-parse).
const MAX_STATEMENT_ERRORS: usize = 100;

/// Validates a policy with every option.
pub fn validate(text: &str, opts: &ValidateOptions) -> Vec<ValidationFinding> {
    let tree = match parse_json(text) {
        Ok(t) => t,
        Err(e) => return vec![ValidationFinding::from_error(&e)],
    };
    // A statement that does not parse is reported and replaced by an inert stand-in, so the
    // rest of the document is still checked (AWS reports all findings together).
    let mut errors: Vec<ValidationFinding> = Vec::new();
    let mut work: Cow<JsonNode> = Cow::Borrowed(&tree);
    let mut replaced: Vec<JsonPath> = Vec::new();
    let mut parsed = None;
    for _ in 0..=MAX_STATEMENT_ERRORS {
        match parse_policy_tree(&work, opts.policy_type) {
            Ok(p) => {
                parsed = Some(p);
                break;
            }
            Err(e) => {
                errors.push(ValidationFinding::from_error(&e));
                let Some(stmt_path) = statement_of(&work, &e.path) else {
                    break;
                };
                if replaced.contains(&stmt_path) {
                    break;
                }
                let mut next = work.into_owned();
                stand_in(&mut next, &stmt_path, opts.policy_type);
                work = Cow::Owned(next);
                replaced.push(stmt_path);
            }
        }
    }
    let mut out = Vec::new();
    match parsed {
        Some(policy) => {
            let mut v = Validator {
                text,
                tree: &work,
                keys: opts.keys,
                actions: opts.actions,
                policy: &policy,
                extra: opts.iamproof_checks,
                out: Vec::new(),
            };
            v.document();
            for st in &policy.statements {
                v.statement(st);
            }
            if opts.policy_type == PolicyType::Resource {
                if let Some(rt) = opts.resource_type {
                    crate::validate_resource_type::check(&mut v, rt);
                }
            }
            let in_stand_in = |f: &ValidationFinding| {
                f.locations
                    .iter()
                    .any(|l| replaced.iter().any(|r| l.path.0.starts_with(&r.0)))
            };
            let (doc, rest): (Vec<_>, Vec<_>) = v
                .out
                .into_iter()
                .filter(|f| !in_stand_in(f))
                .partition(|f| f.issue_code == "MISSING_VERSION");
            out.extend(doc);
            out.extend(errors);
            out.extend(rest);
        }
        None => {
            // The document itself is broken; the one check that still applies is the Version.
            let has_version =
                matches!(&tree.value, JsonValue::Object(m) if m.iter().any(|m| m.key == "Version"));
            if matches!(tree.value, JsonValue::Object(_)) && !has_version {
                out.push(missing_version(tree.span));
            }
            out.extend(errors);
        }
    }
    out
}

fn missing_version(span: Span) -> ValidationFinding {
    ValidationFinding::aws(
        "MISSING_VERSION",
        "We recommend that you specify the Version element to help you with debugging permission issues.".to_string(),
        vec![loc(&JsonPath::root(), span)],
    )
}

/// The path of the statement an error lies in (`Statement[i]`, or `Statement` when it is a
/// single object), if the error is inside one statement.
fn statement_of(root: &JsonNode, path: &JsonPath) -> Option<JsonPath> {
    let JsonValue::Object(members) = &root.value else {
        return None;
    };
    let st = members.iter().find(|m| m.key == "Statement")?;
    let base = JsonPath::root().key("Statement");
    match (&st.value.value, path.0.get(1)) {
        (JsonValue::Array(_), Some(PathElem::Index(i))) if path.0.first() == base.0.first() => {
            Some(base.index(*i))
        }
        (JsonValue::Object(_), Some(_)) if path.0.first() == base.0.first() => Some(base),
        (JsonValue::Object(_), None) if path == &base => Some(base),
        _ => None,
    }
}

/// Replaces the statement at `path` by a statement that parses for `policy_type` and grants
/// nothing (its own findings are dropped).
fn stand_in(root: &mut JsonNode, path: &JsonPath, policy_type: PolicyType) {
    let mut node = root;
    for e in &path.0 {
        let next = match (e, &mut node.value) {
            (PathElem::Key(k), JsonValue::Object(members)) => members
                .iter_mut()
                .find(|m| &m.key == k)
                .map(|m| &mut m.value),
            (PathElem::Index(i), JsonValue::Array(items)) => items.get_mut(*i),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => return,
        }
    }
    let span = node.span;
    let member = |k: &'static str, value: JsonValue<'static>| JsonMember {
        key: Cow::Borrowed(k),
        key_span: span,
        value: JsonNode { value, span },
    };
    let mut members = vec![
        member("Effect", JsonValue::String(Cow::Borrowed("Deny"))),
        member("Action", JsonValue::Array(Vec::new())),
        member("Resource", JsonValue::Array(Vec::new())),
    ];
    match policy_type {
        PolicyType::Resource => members.push(member("Principal", JsonValue::Array(Vec::new()))),
        PolicyType::ResourceControl => {
            members.push(member("Principal", JsonValue::String(Cow::Borrowed("*"))))
        }
        PolicyType::Identity | PolicyType::ServiceControl => {}
    }
    node.value = JsonValue::Object(members);
}

pub(crate) struct Validator<'a> {
    pub(crate) text: &'a str,
    pub(crate) tree: &'a JsonNode<'a>,
    keys: &'a dyn ConditionKeyCatalog,
    actions: Option<&'a dyn ActionCatalog>,
    pub(crate) policy: &'a Policy,
    /// Whether iamproof's own checks run.
    extra: bool,
    pub(crate) out: Vec<ValidationFinding>,
}

pub(crate) fn loc(path: &JsonPath, span: Span) -> Location {
    Location {
        path: path.clone(),
        span,
        at_key: false,
    }
}

/// Finds the node at `path` and, when the last step is a key, that key's span.
pub(crate) fn lookup<'t, 'j>(
    root: &'t JsonNode<'j>,
    path: &JsonPath,
) -> Option<(&'t JsonNode<'j>, Option<Span>)> {
    let mut node = root;
    let mut key_span = None;
    for e in &path.0 {
        match (e, &node.value) {
            (PathElem::Key(k), JsonValue::Object(members)) => {
                let m = members.iter().find(|m| &m.key == k)?;
                key_span = Some(m.key_span);
                node = &m.value;
            }
            (PathElem::Index(i), JsonValue::Array(items)) => {
                node = items.get(*i)?;
                key_span = None;
            }
            _ => return None,
        }
    }
    Some((node, key_span))
}

pub(crate) fn end_position(text: &str) -> Position {
    let mut line = 1u32;
    let mut column = 0u32;
    for c in text.chars() {
        if c == '\n' {
            line += 1;
            column = 0;
        } else {
            column += 1;
        }
    }
    Position {
        line,
        column,
        offset: text.len(),
    }
}

/// `name.amazonaws.com` (or `.amazon.com`, `.amazonaws.com.cn`), one lower-case label: Access
/// Analyzer rejects `application-signals.cloudwatch.amazonaws.com` (mamip corpus).
fn is_service_principal_format(s: &str) -> bool {
    let body = ["amazonaws.com.cn", "amazonaws.com", "amazon.com"]
        .iter()
        .find_map(|suf| s.strip_suffix(suf).and_then(|b| b.strip_suffix('.')));
    match body {
        Some(b) => {
            !b.is_empty()
                && b.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        }
        None => false,
    }
}

fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => a.is_private() || a.is_loopback() || a.is_link_local(),
        IpAddr::V6(a) => {
            let seg = a.segments();
            a.is_loopback() || (seg[0] & 0xfe00) == 0xfc00 || (seg[0] & 0xffc0) == 0xfe80
        }
    }
}

impl Validator<'_> {
    /// Records a finding: an AWS code with its type from [`AWS_CHECKS`] (`ty` must agree), any
    /// other code as iamproof's own, and only when iamproof's checks are on.
    pub(crate) fn push(
        &mut self,
        ty: FindingType,
        code: &str,
        details: String,
        locations: Vec<Location>,
    ) {
        match aws_finding_type(code) {
            Some(aws_ty) => {
                debug_assert_eq!(aws_ty, ty, "{code}");
                self.out
                    .push(ValidationFinding::aws(code, details, locations));
            }
            None if self.extra => {
                self.out
                    .push(ValidationFinding::iamproof(code, ty, details, locations));
            }
            None => {}
        }
    }

    /// The location of a condition key (the key itself).
    pub(crate) fn key_loc(&self, c: &Condition) -> Location {
        let span = lookup(self.tree, &c.path)
            .and_then(|(_, k)| k)
            .unwrap_or(c.span);
        Location {
            path: c.path.clone(),
            span,
            at_key: true,
        }
    }

    /// The location of a condition key's value (the scalar or the array).
    fn value_loc(&self, c: &Condition) -> Location {
        let span = lookup(self.tree, &c.path)
            .map(|(n, _)| n.span)
            .unwrap_or(c.span);
        loc(&c.path, span)
    }

    pub(crate) fn element_loc(&self, st: &Statement, name: &str) -> Location {
        let path = st.path.key(name);
        let span = lookup(self.tree, &path)
            .map(|(n, _)| n.span)
            .unwrap_or(st.span);
        loc(&path, span)
    }

    fn document(&mut self) {
        let p = self.policy;
        if p.version.is_none() {
            self.out.push(missing_version(self.tree.span));
        }
        if p.policy_type == PolicyType::Identity {
            let n = self.text.chars().filter(|c| !c.is_whitespace()).count();
            if n > IDENTITY_POLICY_CHAR_QUOTA {
                let start = Position {
                    line: 1,
                    column: 0,
                    offset: 0,
                };
                self.push(
                    FindingType::Warning,
                    "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
                    format!("The {n} characters in the identity policy, excluding whitespace, exceed the {IDENTITY_POLICY_CHAR_QUOTA} character maximum for inline and managed policies. We recommend that you use multiple granular policies."),
                    vec![loc(&JsonPath::root(), Span { start, end: end_position(self.text) })],
                );
            }
        }
        // "Add a value to the empty string in the Sid element."
        for st in &p.statements {
            if st.sid.as_deref() == Some("") {
                let l = self.element_loc(st, "Sid");
                self.push(
                    FindingType::Suggestion,
                    "EMPTY_SID_VALUE",
                    "Add a value to the empty string in the Sid element.".to_string(),
                    vec![l],
                );
            }
        }
        // Unique Sids.
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for st in &p.statements {
            if let Some(sid) = &st.sid {
                if let Some(first) = seen.get(sid.as_str()) {
                    let first_loc = p.statements.get(*first).map(|f| self.element_loc(f, "Sid"));
                    let mut locs: Vec<Location> = first_loc.into_iter().collect();
                    locs.push(self.element_loc(st, "Sid"));
                    self.push(
                        FindingType::Error,
                        "UNIQUE_SIDS_REQUIRED",
                        "Duplicate statement IDs are not supported for this policy type. Update the Sid value.".to_string(),
                        locs,
                    );
                } else {
                    seen.insert(sid, st.index);
                }
            }
        }
    }

    fn statement(&mut self, st: &Statement) {
        self.principal(st);
        self.actions(st);
        self.resources(st);
        self.conditions(st);
        self.unsupported_tag_keys(st);
        self.pass_role_and_slr(st);
        self.version_variables(st);
        if self.policy.policy_type == PolicyType::ResourceControl {
            // "RCPs only support specifying all principals ("*") in the Principal element, all
            // resources ("*") in the Resource element, and no Condition element with an effect
            // of Allow." (the Principal part is checked by the parser).
            let star_resource = st
                .resource
                .as_ref()
                .is_some_and(|r| !r.negated && r.patterns.iter().any(|p| p.text == "*"));
            let has_condition = lookup(self.tree, &st.path.key("Condition")).is_some();
            if st.effect == Effect::Allow && (!star_resource || has_condition) {
                self.push(
                    FindingType::Error,
                    "RCP_SYNTAX_ERROR_ALLOW",
                    "RCPs only support specifying all principals (\"*\") in the Principal element, all resources (\"*\") in the Resource element, and no Condition element with an effect of Allow.".to_string(),
                    vec![self.element_loc(st, "Effect")],
                );
            }
            // "RCPs do not support the NotAction element. Update to use the Action element."
            if st.action.negated {
                self.push(
                    FindingType::Error,
                    "RCP_SYNTAX_ERROR_NOTACTION",
                    "RCPs do not support the NotAction element. Update to use the Action element."
                        .to_string(),
                    vec![self.element_loc(st, "NotAction")],
                );
            }
        }
    }

    /// "Using the effect Allow with the tag condition key {{conditionKeyName}} and actions for
    /// services with the following prefixes does not affect the policy: {{serviceNames}}."
    /// (and the Deny counterpart, "…can be overly permissive"): actions listed by name whose
    /// reference entry (own keys and resource types' keys) has no tag key at all (neither
    /// `aws:ResourceTag/…`, `aws:RequestTag/…` nor `aws:TagKeys`: AWS does not flag the
    /// `Create…` actions that only take request tags), one finding per service. A wildcard
    /// action is flagged when one of the actions it matches is (`sagemaker-mlflow:*`, mamip). Negated, `…IfExists` and `Null` operators are not flagged (AWS
    /// warns against them as workarounds, which it could only do if they silence the finding).
    fn unsupported_tag_keys(&mut self, st: &Statement) {
        let Some(cat) = self.actions else { return };
        if st.action.negated {
            return;
        }
        let (code, ty, details) = match st.effect {
            Effect::Allow => ("ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", FindingType::Suggestion, "does not affect the policy: {svc}. The actions for the listed service are not allowed by this statement."),
            Effect::Deny => ("DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", FindingType::SecurityWarning, "can be overly permissive: {svc}. The actions for the listed service are not denied by this statement."),
        };
        for c in &st.conditions {
            let op = c.operator;
            if !c.key_lower().starts_with("aws:resourcetag/")
                || op.base.is_negated()
                || op.if_exists
                || op.base == BaseOperator::Null
            {
                continue;
            }
            let mut by_service: Vec<(String, Vec<Location>)> = Vec::new();
            for a in &st.action.patterns {
                let Some((svc, name)) = a.text.split_once(':') else {
                    continue;
                };
                let tag_key = |k: &String| {
                    k.starts_with("aws:resourcetag/")
                        || k.starts_with("aws:requesttag/")
                        || k == "aws:tagkeys"
                };
                let unsupported = |n: &str| {
                    cat.action_condition_keys(svc, n)
                        .is_some_and(|keys| !keys.iter().any(tag_key))
                };
                let flagged = if name.contains(['*', '?']) {
                    // A pattern is flagged when one of the actions it matches is.
                    cat.service_actions(svc).is_some_and(|all| {
                        all.iter()
                            .any(|n| glob_matches(name, n, true) && unsupported(n))
                    })
                } else {
                    unsupported(name)
                };
                if !flagged {
                    continue;
                }
                let svc = svc.to_ascii_lowercase();
                let l = loc(&a.path, a.span);
                match by_service.iter_mut().find(|(s, _)| *s == svc) {
                    Some((_, locs)) => locs.push(l),
                    None => by_service.push((svc, vec![l])),
                }
            }
            for (svc, mut locs) in by_service {
                locs.push(self.key_loc(c));
                let effect = if st.effect == Effect::Allow {
                    "Allow"
                } else {
                    "Deny"
                };
                self.push(
                    ty,
                    code,
                    format!(
                        "Using the effect {effect} with the condition key {} and actions for services with the following prefixes {} We recommend that you move these actions to a different statement without this condition key.",
                        c.key,
                        details.replace("{svc}", &svc)
                    ),
                    locs,
                );
            }
        }
    }

    fn principal(&mut self, st: &Statement) {
        let Some(pc) = &st.principal else { return };
        let name = if pc.negated {
            "NotPrincipal"
        } else {
            "Principal"
        };
        let el = self.element_loc(st, name);
        if pc.negated {
            if st.effect == Effect::Allow {
                self.push(
                    FindingType::SecurityWarning,
                    "ALLOW_WITH_NOT_PRINCIPAL",
                    "Using Allow with NotPrincipal can be overly permissive. We recommend that you use Principal instead.".to_string(),
                    vec![el.clone()],
                );
            } else {
                self.push(
                    FindingType::Warning,
                    "DENY_WITH_NOT_PRINCIPAL",
                    "Deny with NotPrincipal is error-prone: it denies every principal not listed, so the exempted principal's account (and role) ARN must be listed too, and it always denies principals that have a permissions boundary. We recommend a Principal \"*\" Deny with an aws:PrincipalArn condition instead.".to_string(),
                    vec![el.clone()],
                );
            }
        }
        if pc.entries.is_empty() {
            let is_array = lookup(self.tree, &el.path)
                .is_some_and(|(n, _)| matches!(n.value, JsonValue::Array(_)));
            let code = if is_array {
                "EMPTY_ARRAY_PRINCIPAL"
            } else {
                "EMPTY_OBJECT_PRINCIPAL"
            };
            self.push(
                FindingType::Suggestion,
                code,
                "This statement includes no principals and does not affect the policy. Specify principals.".to_string(),
                vec![el],
            );
        }
        for e in &pc.entries {
            // A string principal other than "*" (read as {"AWS": …} by the parser) stands at the
            // element's own path, with no "AWS" key under it.
            let shorthand = e.kind == PrincipalKind::Aws
                && matches!(e.path.0.last(), Some(PathElem::Key(k)) if k == name);
            if shorthand {
                self.push(
                    FindingType::Error,
                    "INVALID_PRINCIPAL_FORMAT",
                    "The Principal element contents are not valid. Specify a key-value pair in the Principal element.".to_string(),
                    vec![loc(&e.path, e.span)],
                );
            }
            if e.kind != PrincipalKind::Aws && e.kind != PrincipalKind::Everyone && e.value == "*" {
                // docs/semantics.md, "Principal wildcards of one kind": checked as every
                // principal of the kind, reported as AWS reports a wildcard in a principal.
                let key = match e.kind {
                    PrincipalKind::Service => "Service",
                    PrincipalKind::Federated => "Federated",
                    _ => "CanonicalUser",
                };
                self.push(
                    FindingType::Error,
                    "UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
                    format!("Wildcards (*, ?) are not supported with the principal key {key}. Replace the wildcard with a valid principal value."),
                    vec![loc(&e.path, e.span)],
                );
                continue;
            }
            if e.kind == PrincipalKind::Service && !is_service_principal_format(&e.value) {
                self.push(
                    FindingType::Error,
                    "INVALID_SERVICE_PRINCIPAL_FORMAT",
                    "The service principal does not match the expected format. Use the format {service-name}.amazonaws.com.".to_string(),
                    vec![loc(&e.path, e.span)],
                );
            }
        }
    }

    fn actions(&mut self, st: &Statement) {
        let name = if st.action.negated {
            "NotAction"
        } else {
            "Action"
        };
        if st.action.patterns.is_empty() {
            self.push(
                FindingType::Suggestion,
                "EMPTY_ARRAY_ACTION",
                "This statement includes no actions and does not affect the policy. Specify actions.".to_string(),
                vec![self.element_loc(st, name)],
            );
        }
        for a in &st.action.patterns {
            let name_part = a.text.split_once(':').map(|(_, n)| n).unwrap_or("");
            if a.text != "*" && (name_part.is_empty() || a.text.chars().any(char::is_whitespace)) {
                self.push(
                    FindingType::Error,
                    "INVALID_ACTION",
                    format!("The action {} does not exist.", a.text),
                    vec![loc(&a.path, a.span)],
                );
            } else if a.text.contains(',') && self.actions.is_none() {
                // No action name holds a comma (a comma does not separate actions inside one
                // string); with a catalogue the check below reports it.
                self.push(
                    FindingType::Error,
                    "INVALID_ACTION",
                    format!("The action {} does not exist.", a.text),
                    vec![loc(&a.path, a.span)],
                );
            }
        }
        if let Some(cat) = self.actions {
            for a in &st.action.patterns {
                let Some((svc, name)) = a.text.split_once(':') else {
                    continue;
                };
                if svc.is_empty() || name.is_empty() || svc.contains(char::is_whitespace) {
                    continue;
                }
                if !cat.has_service(svc) {
                    self.push(
                        FindingType::Error,
                        "INVALID_SERVICE_IN_ACTION",
                        format!(
                            "The service {} specified in the action does not exist.",
                            a.text
                        ),
                        vec![loc(&a.path, a.span)],
                    );
                } else if !name.contains(['*', '?']) && !cat.has_action(svc, name) {
                    self.push(
                        FindingType::Error,
                        "INVALID_ACTION",
                        format!("The action {} does not exist.", a.text),
                        vec![loc(&a.path, a.span)],
                    );
                }
            }
        }
        let items: Vec<(&str, &JsonPath, Span)> = st
            .action
            .patterns
            .iter()
            .map(|a| (a.text.as_str(), &a.path, a.span))
            .collect();
        self.redundant(&items, true, "REDUNDANT_ACTION", |n, named| {
            format!("The {n} action(s) are redundant because they provide similar permissions. Update the policy to remove the redundant action such as: {named}.")
        });
    }

    /// One SUGGESTION per group of patterns that other patterns of the same element cover.
    fn redundant(
        &mut self,
        items: &[(&str, &JsonPath, Span)],
        ignore_case: bool,
        code: &str,
        details: impl Fn(usize, &str) -> String,
    ) {
        for group in redundant_groups(items, ignore_case) {
            let named = group
                .covered
                .last()
                .and_then(|&i| items.get(i))
                .map_or("", |x| x.0);
            let locs = group
                .all
                .iter()
                .filter_map(|&i| items.get(i))
                .map(|x| loc(x.1, x.2))
                .collect::<Vec<_>>();
            self.push(
                FindingType::Suggestion,
                code,
                details(locs.len(), named),
                locs,
            );
        }
    }

    fn resources(&mut self, st: &Statement) {
        let Some(rc) = &st.resource else { return };
        let name = if rc.negated {
            "NotResource"
        } else {
            "Resource"
        };
        if rc.patterns.is_empty() {
            self.push(
                FindingType::Suggestion,
                "EMPTY_ARRAY_RESOURCE",
                "This statement includes no resources and does not affect the policy. Specify resources.".to_string(),
                vec![self.element_loc(st, name)],
            );
        }
        let vars = self.policy.variables_enabled();
        for r in &rc.patterns {
            if r.text == "*" {
                continue;
            }
            let l = loc(&r.path, r.span);
            let fields: Vec<&str> = r.text.splitn(6, ':').collect();
            if fields.len() < 6 {
                // "Resource ARNs must include at least {{fields}} fields in the following
                // structure: arn:partition:service:region:account:resource"
                self.push(
                    FindingType::Error,
                    "MISSING_ARN_FIELD",
                    "Resource ARNs must include at least 6 fields in the following structure: arn:partition:service:region:account:resource".to_string(),
                    vec![l],
                );
                continue;
            }
            if fields.first() != Some(&"arn") {
                self.push(
                    FindingType::Error,
                    "INVALID_ARN_PREFIX",
                    "Add the required prefix (arn) to the resource ARN.".to_string(),
                    vec![l],
                );
                continue;
            }
            if let (Some(cat), Some(svc)) = (self.actions, fields.get(2)) {
                let literal = !svc.is_empty() && !svc.contains(['*', '?', '$']);
                if literal && !cat.has_service(svc) {
                    self.push(
                        FindingType::Error,
                        "INVALID_SERVICE",
                        format!("The service {svc} does not exist. Use a valid service name."),
                        vec![l.clone()],
                    );
                }
            }
            if fields
                .get(2)
                .is_some_and(|s| s.contains('*') || s.contains('?'))
            {
                self.push(
                    FindingType::Suggestion,
                    "WILDCARD_IN_SERVICE_NAME",
                    "Avoid using wildcards (*, ?) in the service name because it might grant unintended access to other AWS services with similar names.".to_string(),
                    vec![l.clone()],
                );
            }
            if vars && r.template.has_variables() {
                // The parser allows variables in the region and account fields (AWS's own
                // managed policies do this); the documentation allows only the resource field.
                let prefix: String = fields.iter().take(5).copied().collect::<Vec<_>>().join(":");
                if prefix.contains("${") {
                    self.push(
                        FindingType::Warning,
                        "IAMPROOF_VARIABLE_IN_ARN_PREFIX",
                        format!("The resource {} uses a policy variable in the region or account field; the documentation allows variables only in the resource part of the ARN.", r.text),
                        vec![l],
                    );
                }
            }
        }
        let items: Vec<(&str, &JsonPath, Span)> = rc
            .patterns
            .iter()
            .filter(|p| !(vars && p.template.has_variables()))
            .map(|p| (p.text.as_str(), &p.path, p.span))
            .collect();
        self.redundant(&items, false, "REDUNDANT_RESOURCE", |n, named| {
            format!("The {n} resource ARN(s) are redundant because they reference the same resource. Review the use of wildcards (*), or remove the resource {named} to remove the redundancy.")
        });
    }

    fn pass_role_and_slr(&mut self, st: &Statement) {
        // Only identity policies grant iam:PassRole / iam:CreateServiceLinkedRole to a caller.
        if self.policy.policy_type != PolicyType::Identity
            || st.effect != Effect::Allow
            || st.action.negated
        {
            return;
        }
        let Some(rc) = &st.resource else { return };
        if rc.negated {
            return;
        }
        let star_res: Vec<&ResourcePattern> =
            rc.patterns.iter().filter(|p| p.text == "*").collect();
        if star_res.is_empty() {
            return;
        }
        let res_locs: Vec<Location> = if self.is_array(st, "Resource") {
            star_res.iter().map(|p| loc(&p.path, p.span)).collect()
        } else {
            vec![self.element_loc(st, "Resource")]
        };
        let action_is_array = self.is_array(st, "Action");
        for (action, guard_key, exact_code, star_code, what) in [
            (
                "iam:PassRole",
                "iam:passedtoservice",
                "PASS_ROLE_WITH_STAR_IN_RESOURCE",
                "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
                "pass",
            ),
            (
                "iam:CreateServiceLinkedRole",
                "iam:awsservicename",
                "CREATE_SLR_WITH_STAR_IN_RESOURCE",
                "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE",
                "slr",
            ),
        ] {
            // A guard restricts only if an absent key or a pattern cannot satisfy it: a positive
            // operator without IfExists and with fixed values (AA still warns about
            // `StringEqualsIfExists` and `StringLike "*a4b.amazonaws.com"`, mamip corpus).
            let guarded = st.conditions.iter().any(|c| {
                c.key_lower() == guard_key
                    && !c.operator.base.is_negated()
                    && !c.operator.if_exists
                    && !c.values.is_empty()
                    && c.values.iter().all(|v| !v.text.contains(['*', '?']))
            });
            // AA also stays silent when a PassRole statement pins iam:AssociatedResourceArn
            // (AWSServiceRoleForSMS, mamip corpus), even with a pattern.
            let associated = what == "pass"
                && st.conditions.iter().any(|c| {
                    c.key_lower() == "iam:associatedresourcearn"
                        && !c.operator.base.is_negated()
                        && !c.operator.if_exists
                });
            if guarded || associated {
                continue;
            }
            let covering: Vec<&ActionPattern> = st
                .action
                .patterns
                .iter()
                .filter(|a| glob_matches(&a.text, action, true))
                .collect();
            if covering.is_empty() {
                continue;
            }
            let exact: Vec<&&ActionPattern> = covering
                .iter()
                .filter(|a| !a.text.contains('*') && !a.text.contains('?'))
                .collect();
            let (code, act_locs): (&str, Vec<Location>) = if !exact.is_empty() {
                let locs = if action_is_array {
                    exact.iter().map(|a| loc(&a.path, a.span)).collect()
                } else {
                    vec![self.element_loc(st, "Action")]
                };
                (exact_code, locs)
            } else {
                let locs = if action_is_array {
                    covering.iter().map(|a| loc(&a.path, a.span)).collect()
                } else {
                    vec![self.element_loc(st, "Action")]
                };
                (star_code, locs)
            };
            let (ty, details) = match (what, code == exact_code) {
                ("pass", true) => (FindingType::SecurityWarning, "Using the iam:PassRole action with wildcards (*) in the resource can be overly permissive because it allows iam:PassRole permissions on multiple resources. We recommend that you specify resource ARNs or add the iam:PassedToService condition key to your statement."),
                ("pass", false) => (FindingType::SecurityWarning, "Using wildcards (*) in the action and the resource can be overly permissive because it allows iam:PassRole permissions on all resources. We recommend that you specify resource ARNs or add the iam:PassedToService condition key to your statement."),
                (_, true) => (FindingType::Warning, "Using the iam:CreateServiceLinkedRole action with wildcards (*) in the resource can allow creation of unintended service-linked roles. We recommend that you specify resource ARNs instead."),
                (_, false) => (FindingType::Warning, "Using wildcards (*) in the action and the resource can allow creation of unintended service-linked roles because it allows iam:CreateServiceLinkedRole permissions on all resources. We recommend that you specify resource ARNs instead."),
            };
            let mut locs = act_locs;
            locs.extend(res_locs.iter().cloned());
            self.push(ty, code, details.to_string(), locs);
        }
    }

    fn is_array_value(&self, c: &Condition) -> bool {
        lookup(self.tree, &c.path).is_some_and(|(n, _)| matches!(n.value, JsonValue::Array(_)))
    }

    fn is_array(&self, st: &Statement, element: &str) -> bool {
        lookup(self.tree, &st.path.key(element))
            .is_some_and(|(n, _)| matches!(n.value, JsonValue::Array(_)))
    }

    fn version_variables(&mut self, st: &Statement) {
        // "To include variables in your policy, use the policy version 2012-10-17 or later."
        // Without a Version the 2008-10-17 rules apply.
        if self.policy.version == Some(Version::V2012_10_17) {
            return;
        }
        let mut locs = Vec::new();
        if let Some(rc) = &st.resource {
            locs.extend(
                rc.patterns
                    .iter()
                    .filter(|p| p.text.contains("${"))
                    .map(|p| loc(&p.path, p.span)),
            );
        }
        for c in &st.conditions {
            locs.extend(
                c.values
                    .iter()
                    .filter(|v| v.text.contains("${"))
                    .map(|v| loc(&v.path, v.span)),
            );
        }
        for l in locs {
            self.push(
                FindingType::Error,
                "VARIABLE_UNSUPPORTED_IN_VERSION",
                "To include variables in your policy, use the policy version 2012-10-17 or later."
                    .to_string(),
                vec![l],
            );
        }
    }

    fn conditions(&mut self, st: &Statement) {
        let cond_is_empty_object = lookup(self.tree, &st.path.key("Condition"))
            .is_some_and(|(n, _)| matches!(&n.value, JsonValue::Object(m) if m.is_empty()));
        if cond_is_empty_object {
            let l = self.element_loc(st, "Condition");
            self.push(
                FindingType::Suggestion,
                "EMPTY_OBJECT_CONDITION",
                "This condition block is empty and it does not affect the policy. Specify conditions.".to_string(),
                vec![l],
            );
        }
        // Operator blocks without keys (`"StringEquals": {}`) add no condition.
        let cpath = st.path.key("Condition");
        if let Some((
            JsonNode {
                value: JsonValue::Object(ops),
                ..
            },
            _,
        )) = lookup(self.tree, &cpath)
        {
            for op in ops {
                if matches!(&op.value.value, JsonValue::Object(keys) if keys.is_empty()) {
                    self.push(
                        FindingType::Suggestion,
                        "EMPTY_OBJECT_CONDITION",
                        "This condition block is empty and it does not affect the policy. Specify conditions.".to_string(),
                        vec![loc(&cpath.key(&op.key), op.value.span)],
                    );
                }
            }
        }
        let guards_network = st.conditions.iter().any(|c| {
            matches!(
                c.key_lower().as_str(),
                "aws:viaawsservice"
                    | "aws:sourcevpc"
                    | "aws:sourcevpce"
                    | "aws:calledvia"
                    | "aws:principalisawsservice"
            )
        });
        for c in &st.conditions {
            self.condition(st, c, guards_network);
        }
    }

    fn condition(&mut self, st: &Statement, c: &Condition, guards_network: bool) {
        let op = c.operator;
        let base = op.base;
        let family = base.family();
        let key_lower = c.key_lower();
        let info = self.keys.lookup(&c.key);

        if c.values.is_empty() {
            let k = &c.key;
            let (code, details) = match (op.qualifier, op.if_exists) {
                (Some(SetQualifier::ForAllValues), _) => ("EMPTY_ARRAY_CONDITION_FORALLVALUES", format!("The ForAllValues prefix with an empty condition key matches only if the key {k} is missing from the request context. To determine if the request context is empty, we recommend that you use the Null condition operator with the value of true instead.")),
                (Some(SetQualifier::ForAnyValue), _) => ("EMPTY_ARRAY_CONDITION_FORANYVALUE", format!("The ForAnyValue prefix with an empty condition key {k} never matches the request context and it does not affect the policy. Specify conditions.")),
                (None, true) => ("EMPTY_ARRAY_CONDITION_IFEXISTS", format!("The IfExists suffix with an empty condition key matches only if the key {k} is missing from the request context. To determine if the request context is empty, we recommend that you use the Null condition operator with the value of true instead.")),
                (None, false) => ("EMPTY_ARRAY_CONDITION", format!("There are no values for the condition key {k} and it does not affect the policy. Specify conditions.")),
            };
            self.push(
                FindingType::Suggestion,
                code,
                details,
                vec![self.value_loc(c)],
            );
        }
        if base == BaseOperator::Null && op.qualifier.is_some() {
            // "Avoid using the Null condition operator with the ForAllValues or ForAnyValue
            // qualifiers because they always return a true or false respectively."
            self.push(
                FindingType::Suggestion,
                "NULL_WITH_QUALIFIER",
                "Avoid using the Null condition operator with the ForAllValues or ForAnyValue qualifiers because they always return a true or false respectively.".to_string(),
                vec![self.key_loc(c)],
            );
        }
        if op.if_exists && base.is_negated() && op.qualifier.is_none() {
            self.push(
                FindingType::Suggestion,
                "IF_EXISTS_ON_NEGATED_OPERATOR",
                format!("{op}: IfExists changes nothing here, because the negated operator {} is already true when the key {} is missing. Check that the statement means what you want when the key is absent.", base.name(), c.key),
                vec![self.key_loc(c)],
            );
        }
        if op.if_exists && op.qualifier == Some(SetQualifier::ForAnyValue) {
            self.push(
                FindingType::Warning,
                "FOR_ANY_VALUE_WITH_IF_EXISTS",
                format!("{op}: when {} is missing, the IfExists rule makes this true while some evaluators return false (AWS does not document the case). Avoid IfExists under ForAnyValue.", c.key),
                vec![self.key_loc(c)],
            );
        }

        // "The condition key {{key}} does not exist in the service {{service}}. Use a valid
        // condition key." (a key of a known service that the key catalogue does not know)
        if let (Some(cat), Some((svc, name)), None) = (self.actions, c.key.split_once(':'), info) {
            // Keys with a `/` suffix (`s3:ExistingObjectTag/…`) stand for families the catalogue
            // may list without a type; they are not judged.
            if !svc.eq_ignore_ascii_case("aws") && !name.contains('/') && cat.has_service(svc) {
                self.push(
                    FindingType::Error,
                    "INVALID_SERVICE_CONDITION_KEY",
                    format!("The condition key {} does not exist in the service {svc}. Use a valid condition key.", c.key),
                    vec![self.key_loc(c)],
                );
            }
        }

        // Key facts: arity and type.
        if let Some(info) = info {
            if !info.ambiguous_arity && base != BaseOperator::Null {
                if info.multivalued && op.qualifier.is_none() {
                    self.push(
                        FindingType::Error,
                        "MISSING_QUALIFIER",
                        format!("The request context key {} has multiple values. Use the ForAllValues or ForAnyValue condition key qualifiers in your policy.", c.key),
                        vec![self.key_loc(c)],
                    );
                }
                if !info.multivalued
                    && op.qualifier == Some(SetQualifier::ForAllValues)
                    && st.effect == Effect::Allow
                {
                    self.push(
                        FindingType::SecurityWarning,
                        "FORALLVALUES_WITH_SINGLE_VALUED_KEY",
                        format!("Using ForAllValues qualifier with the single-valued condition key {} can be overly permissive. We recommend that you remove ForAllValues:.", c.key),
                        vec![self.key_loc(c)],
                    );
                }
            }
            let want = info.value_type;
            let mismatch = base != BaseOperator::Null && want.family() != family;
            // String operators on ARN keys: exact string comparison still works, so Access
            // Analyzer only warns about the Like forms (and about any other family).
            let string_on_arn = want == KeyType::Arn && family == OperatorFamily::String;
            if string_on_arn {
                if matches!(base, BaseOperator::StringLike | BaseOperator::StringNotLike) {
                    self.push(
                        FindingType::SecurityWarning,
                        "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS",
                        format!("Use the operator type ARN instead of operator string for the condition key {}.", c.key),
                        vec![self.key_loc(c)],
                    );
                }
            } else if mismatch
                && !(want == KeyType::Date
                    && family == OperatorFamily::Numeric
                    && key_lower == "aws:epochtime")
                && !(want == KeyType::String && family == OperatorFamily::Arn)
            {
                let have = match family {
                    OperatorFamily::String => "string",
                    OperatorFamily::Numeric => "numeric",
                    OperatorFamily::Date => "date",
                    OperatorFamily::Bool => "Boolean",
                    OperatorFamily::Binary => "binary",
                    OperatorFamily::Ip => "IP address",
                    OperatorFamily::Arn => "ARN",
                    OperatorFamily::Null => "null",
                };
                self.push(
                    FindingType::Warning,
                    "TYPE_MISMATCH",
                    format!("Use the operator type {} instead of operator {have} for the condition key {}.", want.aa_name(), c.key),
                    vec![self.key_loc(c)],
                );
            }
        }

        // Values.
        // "We recommend replacing the key {{key}} in the condition block of {{operator}} with
        // {{{recommendedKey}}: false}" (`StringLike "*"`: the key is present) and "…: true}"
        // (`StringNotLike "*"`: the key is absent).
        let only_star = !c.values.is_empty() && c.values.iter().all(|v| v.text == "*");
        let null_value = match base {
            BaseOperator::StringLike => "false",
            _ => "true",
        };
        if matches!(base, BaseOperator::StringLike | BaseOperator::StringNotLike)
            && op.qualifier.is_none()
            && only_star
        {
            // AA points at the value, or at each element of an array value.
            let locs = if self.is_array_value(c) {
                c.values.iter().map(|v| loc(&v.path, v.span)).collect()
            } else {
                vec![self.value_loc(c)]
            };
            let code = if null_value == "false" {
                "EQUIVALENT_TO_NULL_FALSE"
            } else {
                "EQUIVALENT_TO_NULL_TRUE"
            };
            self.push(
                FindingType::Suggestion,
                code,
                format!("We recommend replacing the key {k} in the condition block of {op} with {{{k}: {null_value}}} to ensure better enforcement of the condition.", k = c.key),
                locs,
            );
        }
        if base == BaseOperator::Bool && op.qualifier.is_none() && c.values.len() > 1 {
            self.push(
                FindingType::Error,
                "INVALID_CONDITION_MULTIPLE_BOOLEAN",
                "The condition key does not support multiple Boolean values. Use a single Boolean value.".to_string(),
                vec![self.value_loc(c)],
            );
        }
        // "The condition key {{conditionKeyName}} must include a tag key to control access
        // based on tags. Use the format {{conditionKeyName}}tag-key and specify a key name for
        // tag-key."
        let bare_tag = key_lower.trim_end_matches('/');
        if matches!(
            bare_tag,
            "aws:resourcetag" | "aws:requesttag" | "aws:principaltag"
        ) {
            let name = format!("{}/", c.key.trim_end_matches('/'));
            self.push(
                FindingType::Error,
                "MISSING_TAG_KEY_IN_CONDITION",
                format!("The condition key {name} must include a tag key to control access based on tags. Use the format {name}tag-key and specify a key name for tag-key."),
                vec![self.key_loc(c)],
            );
        }
        // "Multiple values in {{operator}} are redundant. Replace with the {{greatest/least}}
        // single value for {{key}}."
        if op.qualifier.is_none() && c.values.len() > 1 {
            let extreme = match base {
                BaseOperator::NumericLessThan | BaseOperator::NumericLessThanEquals => {
                    Some("greatest")
                }
                BaseOperator::NumericGreaterThan | BaseOperator::NumericGreaterThanEquals => {
                    Some("least")
                }
                _ => None,
            };
            if let Some(extreme) = extreme {
                if c.values.iter().all(|v| parse_number(&v.text).is_some()) {
                    self.push(
                        FindingType::Suggestion,
                        "REDUNDANT_CONDITION_VALUE_NUM",
                        format!("Multiple values in {op} are redundant. Replace with the {extreme} single value for {}.", c.key),
                        vec![self.key_loc(c)],
                    );
                }
            }
        }
        let vars = self.policy.variables_enabled();
        let mut ip_values: Vec<IpAddr> = Vec::new();
        let mut ip_all_parsed = true;
        for v in &c.values {
            let l = loc(&v.path, v.span);
            let has_var = vars && v.template.has_variables();
            match family {
                OperatorFamily::String => {
                    let literal_wild = v.template.parts.iter().any(|p| {
                        matches!(p, TemplatePart::Literal(s) if s.contains('*') || s.contains('?'))
                    });
                    if !matches!(base, BaseOperator::StringLike | BaseOperator::StringNotLike)
                        && literal_wild
                    {
                        self.push(
                            FindingType::Warning,
                            "WILDCARD_WITHOUT_LIKE_OPERATOR",
                            "Your condition value includes a * or ? character. If you meant to use a wildcard (*, ?), update the condition operator to include Like.".to_string(),
                            vec![l.clone()],
                        );
                    }
                    if matches!(
                        base,
                        BaseOperator::StringEqualsIgnoreCase | BaseOperator::StringNotEqualsIgnoreCase
                    ) && !v.text.is_ascii()
                    {
                        self.push(
                            FindingType::Warning,
                            "IGNORE_CASE_WITH_NON_ASCII",
                            format!("How {} folds the case of non-ASCII text ({:?}) is undocumented.", base.name(), v.text),
                            vec![l.clone()],
                        );
                    }
                    if v.text.is_empty() {
                        self.push(
                            FindingType::Suggestion,
                            "EMPTY_STRING_CONDITION_VALUE",
                            format!("The empty string value of {}: AWS may treat a key with an empty value as missing (null), so the result of this comparison is uncertain.", c.key),
                            vec![l.clone()],
                        );
                    }
                    // "The VPC identifier in the condition key value is not valid. Use the prefix
                    // 'vpc-' followed by 8 or 17 alphanumeric characters." (and `vpce-`)
                    let vpc = match key_lower.as_str() {
                        "aws:sourcevpc" => Some(("vpc-", "INVALID_VPC_FORMAT", "VPC")),
                        "aws:sourcevpce" => Some(("vpce-", "INVALID_VPCE_FORMAT", "VPCE")),
                        _ => None,
                    };
                    if let Some((prefix, code, what)) = vpc {
                        let well_formed = v.text.strip_prefix(prefix).is_some_and(|id| {
                            matches!(id.len(), 8 | 17) && id.bytes().all(|b| b.is_ascii_alphanumeric())
                        });
                        if !has_var && !v.text.contains(['*', '?']) && !well_formed {
                            self.push(
                                FindingType::Error,
                                code,
                                format!("The {what} identifier in the condition key value is not valid.{} Use the prefix '{prefix}' followed by 8 or 17 alphanumeric characters.", if what == "VPCE" { " " } else { "" }),
                                vec![l.clone()],
                            );
                        }
                    }
                    if matches!(
                        key_lower.as_str(),
                        "aws:calledvia" | "aws:calledviafirst" | "aws:calledvialast" | "aws:principalservicename" | "aws:principalservicenameslist"
                    ) && !has_var
                        && !v.text.contains('*')
                        && !v.text.contains('?')
                        && !is_service_principal_format(&v.text)
                    {
                        self.push(
                            FindingType::Error,
                            "INVALID_SERVICE_PRINCIPAL_FORMAT",
                            "The service principal does not match the expected format. Use the format {service-name}.amazonaws.com.".to_string(),
                            vec![l.clone()],
                        );
                    }
                }
                OperatorFamily::Bool => {
                    if has_var {
                        // "Policy variables can only be used with String and ARN operators."
                        self.push(
                            FindingType::Error,
                            "INVALID_VARIABLE_FOR_OPERATOR",
                            "Policy variables can only be used with String and ARN operators.".to_string(),
                            vec![l.clone()],
                        );
                    } else if parse_bool(&v.text).is_none() {
                        self.push(
                            FindingType::Warning,
                            "TYPE_MISMATCH_BOOLEAN",
                            format!("Add a valid Boolean value (true or false) for the condition operator {op}."),
                            vec![l.clone()],
                        );
                    }
                }
                OperatorFamily::Null => {
                    if parse_bool(&v.text).is_none() {
                        self.push(
                            FindingType::Warning,
                            "TYPE_MISMATCH_BOOLEAN",
                            format!("Add a valid Boolean value (true or false) for the condition operator {op}."),
                            vec![l.clone()],
                        );
                    }
                }
                OperatorFamily::Numeric => {
                    if parse_number(&v.text).is_none() {
                        self.push(
                            FindingType::Warning,
                            "TYPE_MISMATCH_NUMBER",
                            format!("Add a valid numeric value for the condition operator {op}."),
                            vec![l.clone()],
                        );
                    }
                }
                OperatorFamily::Date => match parse_date_value(&v.text) {
                    None => self.push(
                        FindingType::Warning,
                        "TYPE_MISMATCH_DATE",
                        "The date condition operator is used with an invalid value. Specify a valid date using YYYY-MM-DD or other ISO 8601 date/time format.".to_string(),
                        vec![l.clone()],
                    ),
                    // "The date {{date}} might not resolve as expected. We recommend that you use
                    // the YYYY-MM-DD format." (epoch seconds)
                    Some(d) if d.form == DateForm::Epoch => self.push(
                        FindingType::Warning,
                        "INVALID_DATE_VALUE",
                        format!("The date {} might not resolve as expected. We recommend that you use the YYYY-MM-DD format.", v.text),
                        vec![l.clone()],
                    ),
                    Some(d) if matches!(d.form, DateForm::Partial | DateForm::NoZone) => self.push(
                        FindingType::Suggestion,
                        "IMPRECISE_DATE_VALUE",
                        format!("The date {:?} is partial or has no time zone; its exact instant is undocumented (read here as UTC, at the start of the period). Write a full time with Z or an offset.", v.text),
                        vec![l.clone()],
                    ),
                    Some(_) => {}
                },
                OperatorFamily::Ip => match parse_cidr(&v.text) {
                    None => {
                        ip_all_parsed = false;
                        self.push(
                            FindingType::Error,
                            "TYPE_MISMATCH_IP_RANGE",
                            format!("The condition operator {op} is used with an invalid IP range value. Specify the IP range in standard CIDR format."),
                            vec![l.clone()],
                        );
                    }
                    Some(net) => {
                        ip_values.push(net.network());
                        let literal_addr = v.text.split('/').next().and_then(|a| a.parse::<IpAddr>().ok());
                        if net.had_explicit_prefix() && literal_addr != Some(net.network()) {
                            self.push(
                                FindingType::Suggestion,
                                "IMPROVE_IP_RANGE",
                                format!("The non-zero bits in the IP address after the masked bits are ignored. Replace address with {net}."),
                                vec![l.clone()],
                            );
                        }
                        if net.is_ipv6() && !net.had_explicit_prefix() {
                            self.push(
                                FindingType::Suggestion,
                                "BARE_IPV6_ADDRESS",
                                format!("The IPv6 address {} has no prefix length; it is read as /128, which AWS does not document. Write the prefix.", v.text),
                                vec![l.clone()],
                            );
                        }
                    }
                },
                OperatorFamily::Binary => {
                    if crate::values::decode_base64(&v.text).is_none() {
                        self.push(
                            FindingType::Warning,
                            "TYPE_MISMATCH_STRING",
                            format!("Add a valid base64-encoded string value for the condition operator {op}."),
                            vec![l.clone()],
                        );
                    }
                }
                OperatorFamily::Arn => {
                    if !has_var && v.text != "*" && v.text.split(':').count() < 6 {
                        self.push(
                            FindingType::Warning,
                            "SHORT_ARN_CONDITION_VALUE",
                            format!("The ARN value {:?} of {} has fewer than six fields; ARN operators never match it.", v.text, c.key),
                            vec![l.clone()],
                        );
                    }
                }
            }
        }
        if key_lower == "aws:sourceip" && family == OperatorFamily::Ip {
            let private = ip_values.iter().filter(|ip| is_private(**ip)).count();
            let all_private = ip_all_parsed && !ip_values.is_empty() && private == ip_values.len();
            if all_private {
                let (code, details) = if base.is_negated() {
                    ("PRIVATE_NOT_IP_ADDRESS", "The values for condition key aws:SourceIp include only private IP addresses and has no effect. aws:SourceIp works only for public IP address ranges. Update the value to include only public IP addresses.")
                } else {
                    ("PRIVATE_IP_ADDRESS", "aws:SourceIp works only for public IP address ranges. The values for condition key aws:SourceIp include only private IP addresses and will not have the desired effect. Update the value to include only public IP addresses.")
                };
                self.push(
                    FindingType::Error,
                    code,
                    details.to_string(),
                    vec![self.key_loc(c)],
                );
            } else if private > 0 {
                let (code, details) = if base.is_negated() {
                    ("PRIVATE_NOT_IP_ADDRESS_SUBSET", "The values for condition key aws:SourceIp include a mix of private and public IP addresses. The private addresses have no effect. aws:SourceIp works only for public IP address ranges. To define permissions for private IP ranges, use aws:VpcSourceIp.")
                } else {
                    ("PRIVATE_IP_ADDRESS_SUBSET", "The values for condition key aws:SourceIp include a mix of private and public IP addresses. The private addresses will not have the desired effect. aws:SourceIp works only for public IP address ranges. To define permissions for private IP ranges, use aws:VpcSourceIp.")
                };
                self.push(
                    FindingType::Suggestion,
                    code,
                    details.to_string(),
                    vec![self.key_loc(c)],
                );
            }
            if st.effect == Effect::Deny && base.is_negated() && !guards_network {
                self.push(
                    FindingType::Warning,
                    "DENY_NOT_IP_ADDRESS_WITHOUT_SERVICE_EXCEPTION",
                    "aws:SourceIp is missing for requests through a VPC endpoint and may be missing when an AWS service acts for the caller, and NotIpAddress is then true: this Deny also denies those requests. Consider adding an aws:ViaAWSService or aws:SourceVpce condition.".to_string(),
                    vec![self.key_loc(c)],
                );
            }
        }
    }
}

/// A set of redundant entries: the covering entry and those it covers, as item indices.
struct Redundancy {
    /// Every index in the group, ascending.
    all: Vec<usize>,
    /// The covered ones, ascending.
    covered: Vec<usize>,
}

/// Groups entries covered by another entry of the same list (a wildcard covering them, or an
/// equal duplicate) under their outermost cover. `ignore_case` for actions.
fn redundant_groups(items: &[(&str, &JsonPath, Span)], ignore_case: bool) -> Vec<Redundancy> {
    const MAX_WORK: usize = 2_000_000;
    let n = items.len();
    let norm = |s: &str| {
        if ignore_case {
            s.to_lowercase()
        } else {
            s.to_string()
        }
    };
    let wild: Vec<usize> = (0..n)
        .filter(|&i| items.get(i).is_some_and(|x| x.0.contains(['*', '?'])))
        .collect();
    if wild.len().saturating_mul(n) > MAX_WORK {
        return Vec::new();
    }
    let prepared: Vec<Vec<char>> = items
        .iter()
        .map(|it| {
            if ignore_case {
                it.0.chars().flat_map(char::to_lowercase).collect()
            } else {
                it.0.chars().collect()
            }
        })
        .collect();
    let service_of = |s: &str| s.split(':').next().unwrap_or("").to_ascii_lowercase();
    // Actions: wildcard patterns by service, and the bare `*` ones.
    let mut by_service: HashMap<String, Vec<usize>> = HashMap::new();
    let mut star: Vec<usize> = Vec::new();
    if ignore_case {
        for &j in &wild {
            match items.get(j) {
                Some(it) if it.0 == "*" => star.push(j),
                Some(it) => by_service.entry(service_of(it.0)).or_default().push(j),
                None => {}
            }
        }
    }
    let mut first_of: HashMap<String, usize> = HashMap::new();
    let mut cover: Vec<Option<usize>> = vec![None; n];
    for (i, it) in items.iter().enumerate() {
        let key = norm(it.0);
        if let Some(&j) = first_of.get(&key) {
            if let Some(c) = cover.get_mut(i) {
                *c = Some(j);
            }
            continue;
        }
        first_of.insert(key, i);
        let Some(si) = prepared.get(i) else { continue };
        if si.len() > MAX_GLOB_CHARS {
            continue;
        }
        // Candidate covers: for actions, the wildcard patterns of the same service and `*`;
        // for resources, every wildcard pattern.
        let candidates: &[usize] = if ignore_case {
            by_service
                .get(service_of(it.0).as_str())
                .map_or(&[][..], Vec::as_slice)
        } else {
            &wild
        };
        for &j in star.iter().chain(candidates.iter()) {
            if j == i {
                continue;
            }
            let Some(gj) = prepared.get(j) else {
                continue;
            };
            if gj.len() > MAX_GLOB_CHARS {
                continue;
            }
            if covers_chars(gj, si) {
                // Mutual cover (same language): the earlier one is the cover.
                if covers_chars(si, gj) && i < j {
                    continue;
                }
                if let Some(c) = cover.get_mut(i) {
                    *c = Some(j);
                }
                break;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for i in 0..n {
        let Some(mut root) = cover.get(i).copied().flatten() else {
            continue;
        };
        for _ in 0..n {
            match cover.get(root).copied().flatten() {
                Some(r) if r != i => root = r,
                _ => break,
            }
        }
        groups.entry(root).or_default().push(i);
    }
    groups
        .into_iter()
        .map(|(root, covered)| {
            let mut all = covered.clone();
            all.push(root);
            all.sort_unstable();
            all.dedup();
            Redundancy { all, covered }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str, ty: PolicyType) -> Vec<String> {
        validate_policy(text, ty)
            .into_iter()
            .map(|f| f.issue_code)
            .collect()
    }

    #[test]
    fn parse_error_is_one_error() {
        let f = validate_policy("{\"Statement\": [}", PolicyType::Identity);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].finding_type, FindingType::Error);
        assert_eq!(f[0].issue_code, "JSON_SYNTAX_ERROR");
    }

    #[test]
    fn serialises_like_access_analyzer() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:TagKeys":"a"}}}]}"#;
        let f = validate_policy(text, PolicyType::Identity);
        let mq = f
            .iter()
            .find(|f| f.issue_code == "MISSING_QUALIFIER")
            .unwrap();
        let j = serde_json::to_value(mq).unwrap();
        assert_eq!(j["findingType"], "ERROR");
        assert_eq!(
            j["locations"][0]["path"],
            serde_json::json!([{"value":"Statement"},{"index":0},{"value":"Condition"},{"value":"StringEquals"},{"key":"aws:TagKeys"}])
        );
        assert_eq!(j["locations"][0]["span"]["start"]["column"], 115);
        assert_eq!(j["locations"][0]["span"]["end"]["column"], 128);
        assert!(j["learnMoreLink"]
            .as_str()
            .unwrap()
            .ends_with("#access-analyzer-reference-policy-checks-error-missing-qualifier"));
    }

    #[test]
    fn flags() {
        let t = |body: &str| format!(r#"{{"Version":"2012-10-17","Statement":[{body}]}}"#);
        let c = codes(
            &t(
                r#"{"Effect":"Allow","NotPrincipal":{"AWS":"123456789012"},"Action":"s3:*","Resource":"*"}"#,
            ),
            PolicyType::Resource,
        );
        assert!(c.contains(&"ALLOW_WITH_NOT_PRINCIPAL".to_string()));
        let c = codes(
            &t(
                r#"{"Effect":"Allow","Action":["s3:GetObject","s3:Get*"],"Resource":["arn:aws:s3:::b/*","arn:aws:s3:::b/x"]}"#,
            ),
            PolicyType::Identity,
        );
        assert_eq!(c, vec!["REDUNDANT_ACTION", "REDUNDANT_RESOURCE"]);
        let c = codes(
            &t(r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}"#),
            PolicyType::Identity,
        );
        assert_eq!(c, vec!["PASS_ROLE_WITH_STAR_IN_RESOURCE"]);
        let c = codes(
            &t(
                r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}}"#,
            ),
            PolicyType::Identity,
        );
        assert!(c.is_empty(), "{c:?}");
        let c = codes(
            &t(
                r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:PrincipalOrgID":"o-1"},"StringEquals":{"aws:SourceVpce":"vpce-*"},"NullIfExists2":{}}}"#,
            ),
            PolicyType::Identity,
        );
        assert_eq!(c, vec!["INVALID_CONDITION_OPERATOR"]);
        let c = codes(
            &t(
                r#"{"Effect":"Allow","Action":[],"Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:PrincipalOrgID":"o-1"},"StringEquals":{"aws:SourceVpce":"vpce-*"},"StringNotEqualsIfExists":{"aws:SourceVpc":[]}}}"#,
            ),
            PolicyType::Identity,
        );
        assert_eq!(
            c,
            vec![
                "EMPTY_ARRAY_ACTION",
                "FORALLVALUES_WITH_SINGLE_VALUED_KEY",
                "WILDCARD_WITHOUT_LIKE_OPERATOR",
                // "The IfExists suffix with an empty condition key matches only if the key
                // {{key}} is missing from the request context."
                "EMPTY_ARRAY_CONDITION_IFEXISTS",
            ]
        );
        let c = codes(
            r#"{"Statement":{"Effect":"Deny","Action":"*","Resource":"arn:aws:s3:::b/${aws:username}","Condition":{"NotIpAddress":{"aws:SourceIp":["10.0.0.1/8"]}}}}"#,
            PolicyType::Identity,
        );
        assert_eq!(
            c,
            vec![
                "MISSING_VERSION",
                "IMPROVE_IP_RANGE",
                "PRIVATE_NOT_IP_ADDRESS",
                // Without a Version, `${…}` is literal text: "To include variables in your
                // policy, use the policy version 2012-10-17 or later."
                "VARIABLE_UNSUPPORTED_IN_VERSION",
            ]
        );
        let f = validate_policy(
            r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b/${aws:username}"}}"#,
            PolicyType::Identity,
        );
        assert_eq!(f[0].issue_code, "MISSING_VERSION");
        assert_eq!(
            f[0].finding_details,
            "We recommend that you specify the Version element to help you with debugging permission issues."
        );
        assert_eq!(f[1].issue_code, "VARIABLE_UNSUPPORTED_IN_VERSION");
        assert!(f[1].finding_details.contains("2012-10-17"));
        let c = codes(
            r#"{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}"}}"#,
            PolicyType::Identity,
        );
        assert_eq!(c, vec!["VARIABLE_UNSUPPORTED_IN_VERSION"]);
    }

    #[test]
    fn every_parse_error_code_has_an_aws_code() {
        use crate::error::codes as c;
        let all = [
            c::JSON_SYNTAX,
            c::DUPLICATE_KEY,
            c::INVALID_ELEMENT_TYPE,
            c::INVALID_ELEMENT,
            c::INVALID_VERSION,
            c::MISSING_STATEMENT,
            c::MISSING_EFFECT,
            c::INVALID_EFFECT,
            c::MISSING_ACTION,
            c::MISSING_RESOURCE,
            c::MISSING_PRINCIPAL,
            c::UNSUPPORTED_ELEMENT_COMBINATION,
            c::PRINCIPAL_IN_IDENTITY_POLICY,
            c::PRINCIPAL_IN_SERVICE_CONTROL_POLICY,
            c::INVALID_PRINCIPAL_KEY,
            c::INVALID_PRINCIPAL_FORMAT,
            c::UNSUPPORTED_WILDCARD_IN_PRINCIPAL,
            c::INVALID_ACTION,
            c::INVALID_CONDITION_OPERATOR,
            c::NULL_WITH_IF_EXISTS,
            c::DUPLICATE_KEYS_WITH_DIFFERENT_CASE,
            c::INVALID_CONDITION_KEY,
            c::INVALID_CONDITION_VALUE,
            c::INVALID_VARIABLE,
            c::VARIABLE_UNSUPPORTED_IN_ELEMENT,
            c::INVALID_VARIABLE_FOR_OPERATOR,
            c::INVALID_RCP,
        ];
        for code in all {
            let e = PolicyError::new(Span::default(), JsonPath::root(), code, String::new());
            let f = ValidationFinding::from_error(&e);
            assert!(f.is_aws(), "{code} -> {}", f.issue_code);
            assert_eq!(f.finding_type, FindingType::Error, "{code}");
        }
        for code in [c::POLICY_TOO_LARGE, c::JSON_TOO_DEEP] {
            let e = PolicyError::new(Span::default(), JsonPath::root(), code, String::new());
            let f = ValidationFinding::from_error(&e);
            assert_eq!(f.issue_code, format!("IAMPROOF_{code}"));
            assert_eq!(f.finding_type, FindingType::Error);
        }
    }

    #[test]
    fn redundancy_groups() {
        let p = JsonPath::root();
        let s = Span::default();
        let items = vec![
            ("ecs:DescribeClusters", &p, s),
            ("ecs:Describe*", &p, s),
            ("ecs:*", &p, s),
            ("s3:GetObject", &p, s),
            ("S3:getobject", &p, s),
        ];
        let g = redundant_groups(&items, true);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].all, vec![0, 1, 2]);
        assert_eq!(g[1].all, vec![3, 4]);
    }
}
