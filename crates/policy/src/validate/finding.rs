//! The finding model: finding types, locations, findings and their JSON form (Access
//! Analyzer's), the table [`AWS_CHECKS`] of AWS's issue codes with their types, and the AWS codes
//! and fixed texts of the parser's errors.

use crate::error::{codes, PolicyError};
use crate::issue::IssueCode;
use crate::span::{JsonPath, PathElem, Position, Span};
use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

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

    pub(super) fn link_slug(self) -> &'static str {
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
pub(super) const IAMPROOF_LINK: &str = "https://github.com/iamproof/iamproof#validate-policy";

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

    /// The issue code as data: `None` for iamproof's own codes (`IAMPROOF_…`), which are kept
    /// as text only.
    pub fn code(&self) -> Option<IssueCode> {
        IssueCode::from_text(&self.issue_code)
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
                e.code.as_str(),
                FindingType::Error,
                e.message.clone(),
                locations,
            ),
        }
    }
}

/// AWS's `findingDetails` for the codes whose text has no placeholder (the parser's own, more
/// specific message is kept for the others).
pub(super) fn aws_fixed_details(code: &str) -> Option<&'static str> {
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
pub(super) fn aws_code_for_error(e: &PolicyError) -> Option<&'static str> {
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
        other => match AWS_CHECKS.iter().find(|(c, _)| other == *c) {
            Some((c, _)) => c,
            None => return None,
        },
    })
}
