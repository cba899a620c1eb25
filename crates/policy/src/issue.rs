//! `IssueCode`: every issue code a parse error or a validation finding can carry, as one enum.
//!
//! The codes are data, not string literals: [`IssueCode::as_str`] gives the exact text (Access
//! Analyzer's `issueCode` where AWS has the check, so JSON output is AWS's), and
//! [`IssueCode::label`] a few words for the source excerpt under the offending span. The parser's
//! codes come first (several are AWS's own: `INVALID_EFFECT`, `MISSING_ACTION`…), then the
//! remaining codes of AWS's policy check reference ([`crate::AWS_CHECKS`] gives their finding
//! types). iamproof's own validation codes (`IAMPROOF_…`) are not in the enum: they are
//! iamproof's, and a finding keeps them as text.

use std::fmt;

/// Declares [`IssueCode`] from `Variant = "TEXT"` entries, with an optional `label "…"`.
macro_rules! issue_codes {
    ($($variant:ident = $text:literal $(, label $label:literal)?;)*) => {
        /// An issue code of a parse error ([`crate::PolicyError::code`]) or of a validation finding
        /// ([`crate::ValidationFinding::code`]).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum IssueCode {
            $(
                #[doc = concat!("`", $text, "`", $(": ", $label,)? ".")]
                $variant,
            )*
        }

        impl IssueCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [IssueCode] = &[$(IssueCode::$variant),*];

            /// The code as text (`INVALID_EFFECT`): Access Analyzer's `issueCode` where AWS has
            /// the check.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(IssueCode::$variant => $text,)*
                }
            }

            /// A few words for the offending span in a source excerpt (`not Allow or Deny`), for
            /// the parser's codes; the finding's own details say it for the others.
            pub fn label(self) -> Option<&'static str> {
                match self {
                    $(IssueCode::$variant => issue_codes!(@label $($label)?),)*
                }
            }
        }
    };
    (@label $label:literal) => { Some($label) };
    (@label) => { None };
}

issue_codes! {
    JsonSyntax = "JSON_SYNTAX", label "not valid JSON here";
    DuplicateKey = "DUPLICATE_KEY", label "this key is already in the object";
    PolicyTooLarge = "POLICY_TOO_LARGE", label "the document is too large";
    JsonTooDeep = "JSON_TOO_DEEP", label "nested too deep";
    InvalidElementType = "INVALID_ELEMENT_TYPE", label "wrong JSON type for this element";
    InvalidElement = "INVALID_ELEMENT", label "not a policy element";
    InvalidVersion = "INVALID_VERSION", label "not 2012-10-17 or 2008-10-17";
    MissingStatement = "MISSING_STATEMENT", label "no Statement";
    MissingEffect = "MISSING_EFFECT", label "no Effect in this statement";
    InvalidEffect = "INVALID_EFFECT", label "not Allow or Deny";
    MissingAction = "MISSING_ACTION", label "no Action or NotAction in this statement";
    MissingResource = "MISSING_RESOURCE", label "no Resource or NotResource in this statement";
    MissingPrincipal = "MISSING_PRINCIPAL", label "no Principal or NotPrincipal in this statement";
    UnsupportedElementCombination = "UNSUPPORTED_ELEMENT_COMBINATION", label "an element together with its Not form";
    PrincipalInIdentityPolicy = "PRINCIPAL_IN_IDENTITY_POLICY", label "an identity policy takes no principal";
    PrincipalInServiceControlPolicy = "PRINCIPAL_IN_SERVICE_CONTROL_POLICY", label "an SCP takes no principal";
    InvalidPrincipalKey = "INVALID_PRINCIPAL_KEY", label "not AWS, Service, Federated or CanonicalUser";
    InvalidPrincipalFormat = "INVALID_PRINCIPAL_FORMAT", label "not a principal";
    UnsupportedWildcardInPrincipal = "UNSUPPORTED_WILDCARD_IN_PRINCIPAL", label "a wildcard inside a principal";
    InvalidAction = "INVALID_ACTION", label "not service:Action";
    InvalidConditionOperator = "INVALID_CONDITION_OPERATOR", label "not a condition operator";
    NullWithIfExists = "NULL_WITH_IF_EXISTS", label "Null takes no IfExists";
    DuplicateKeysWithDifferentCase = "DUPLICATE_KEYS_WITH_DIFFERENT_CASE", label "keys that differ only in case";
    InvalidConditionKey = "INVALID_CONDITION_KEY", label "an empty condition key";
    InvalidConditionValue = "INVALID_CONDITION_VALUE", label "not a condition value";
    InvalidVariable = "INVALID_VARIABLE", label "a malformed ${…} variable";
    VariableUnsupportedInElement = "VARIABLE_UNSUPPORTED_IN_ELEMENT", label "this element takes no variables";
    InvalidVariableForOperator = "INVALID_VARIABLE_FOR_OPERATOR", label "a variable with a non-string operator";
    InvalidResourceControlPolicy = "INVALID_RESOURCE_CONTROL_POLICY", label "not allowed in a resource control policy";
    AllowWithNotPrincipal = "ALLOW_WITH_NOT_PRINCIPAL";
    AllowWithUnsupportedTagConditionKeyForService = "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE";
    CreateSlrWithStarInActionAndResource = "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE";
    CreateSlrWithStarInResource = "CREATE_SLR_WITH_STAR_IN_RESOURCE";
    DataTypeMismatch = "DATA_TYPE_MISMATCH";
    DenyWithUnsupportedTagConditionKeyForService = "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE";
    EmptyArrayAction = "EMPTY_ARRAY_ACTION";
    EmptyArrayCondition = "EMPTY_ARRAY_CONDITION";
    EmptyArrayConditionForallvalues = "EMPTY_ARRAY_CONDITION_FORALLVALUES";
    EmptyArrayConditionForanyvalue = "EMPTY_ARRAY_CONDITION_FORANYVALUE";
    EmptyArrayConditionIfexists = "EMPTY_ARRAY_CONDITION_IFEXISTS";
    EmptyArrayPrincipal = "EMPTY_ARRAY_PRINCIPAL";
    EmptyArrayResource = "EMPTY_ARRAY_RESOURCE";
    EmptyObjectCondition = "EMPTY_OBJECT_CONDITION";
    EmptyObjectPrincipal = "EMPTY_OBJECT_PRINCIPAL";
    EmptySidValue = "EMPTY_SID_VALUE";
    EmptyVariable = "EMPTY_VARIABLE";
    EquivalentToNullFalse = "EQUIVALENT_TO_NULL_FALSE";
    EquivalentToNullTrue = "EQUIVALENT_TO_NULL_TRUE";
    FederatedPrincipalNotSupported = "FEDERATED_PRINCIPAL_NOT_SUPPORTED";
    ForallvaluesWithSingleValuedKey = "FORALLVALUES_WITH_SINGLE_VALUED_KEY";
    ImproveIpRange = "IMPROVE_IP_RANGE";
    InvalidArnPrefix = "INVALID_ARN_PREFIX";
    InvalidConditionKeyFormat = "INVALID_CONDITION_KEY_FORMAT";
    InvalidConditionMultipleBoolean = "INVALID_CONDITION_MULTIPLE_BOOLEAN";
    InvalidDateValue = "INVALID_DATE_VALUE";
    InvalidFederatedPrincipalSyntaxInRoleTrustPolicy = "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY";
    InvalidPolicyElement = "INVALID_POLICY_ELEMENT";
    InvalidService = "INVALID_SERVICE";
    InvalidServiceConditionKey = "INVALID_SERVICE_CONDITION_KEY";
    InvalidServiceInAction = "INVALID_SERVICE_IN_ACTION";
    InvalidServicePrincipalFormat = "INVALID_SERVICE_PRINCIPAL_FORMAT";
    InvalidVpceFormat = "INVALID_VPCE_FORMAT";
    InvalidVpcFormat = "INVALID_VPC_FORMAT";
    IrrelevantConditionKeyInPolicy = "IRRELEVANT_CONDITION_KEY_IN_POLICY";
    JsonSyntaxError = "JSON_SYNTAX_ERROR";
    MismatchedActionForPrincipal = "MISMATCHED_ACTION_FOR_PRINCIPAL";
    MissingActionForRolesAnywhereTrustPolicy = "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY";
    MissingArnField = "MISSING_ARN_FIELD";
    MissingBraceInVariable = "MISSING_BRACE_IN_VARIABLE";
    MissingConditionKeyForOidcPrincipal = "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL";
    MissingGithubRepoConditionKey = "MISSING_GITHUB_REPO_CONDITION_KEY";
    MissingQualifier = "MISSING_QUALIFIER";
    MissingQuoteInVariable = "MISSING_QUOTE_IN_VARIABLE";
    MissingTagKeyInCondition = "MISSING_TAG_KEY_IN_CONDITION";
    MissingVersion = "MISSING_VERSION";
    NullWithQualifier = "NULL_WITH_QUALIFIER";
    PassRoleWithStarInActionAndResource = "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE";
    PassRoleWithStarInResource = "PASS_ROLE_WITH_STAR_IN_RESOURCE";
    PolicySizeExceedsIdentityPolicyQuota = "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA";
    PolicySizeExceedsRoleTrustPolicyQuota = "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA";
    PrivateIpAddress = "PRIVATE_IP_ADDRESS";
    PrivateIpAddressSubset = "PRIVATE_IP_ADDRESS_SUBSET";
    PrivateNotIpAddress = "PRIVATE_NOT_IP_ADDRESS";
    PrivateNotIpAddressSubset = "PRIVATE_NOT_IP_ADDRESS_SUBSET";
    RcpSyntaxErrorAllow = "RCP_SYNTAX_ERROR_ALLOW";
    RcpSyntaxErrorNotaction = "RCP_SYNTAX_ERROR_NOTACTION";
    RcpSyntaxErrorPrincipal = "RCP_SYNTAX_ERROR_PRINCIPAL";
    RedundantAction = "REDUNDANT_ACTION";
    RedundantConditionValueNum = "REDUNDANT_CONDITION_VALUE_NUM";
    RedundantPrincipalInRoleTrustPolicy = "REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY";
    RedundantResource = "REDUNDANT_RESOURCE";
    RoleTrustPolicySyntaxErrorNotprincipal = "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL";
    RoleTrustPolicySyntaxErrorResource = "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE";
    RoleTrustPolicyUnsupportedWildcardInPrincipal = "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL";
    ScpSyntaxErrorPrincipal = "SCP_SYNTAX_ERROR_PRINCIPAL";
    SpecificGithubRepoAndBranchRecommended = "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED";
    StringLikeOperatorWithArnConditionKeys = "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS";
    TypeMismatch = "TYPE_MISMATCH";
    TypeMismatchBoolean = "TYPE_MISMATCH_BOOLEAN";
    TypeMismatchDate = "TYPE_MISMATCH_DATE";
    TypeMismatchIpRange = "TYPE_MISMATCH_IP_RANGE";
    TypeMismatchNumber = "TYPE_MISMATCH_NUMBER";
    TypeMismatchString = "TYPE_MISMATCH_STRING";
    UniqueSidsRequired = "UNIQUE_SIDS_REQUIRED";
    UnsupportedActionInPolicy = "UNSUPPORTED_ACTION_IN_POLICY";
    UnsupportedPrincipal = "UNSUPPORTED_PRINCIPAL";
    UnsupportedResourceArnInPolicy = "UNSUPPORTED_RESOURCE_ARN_IN_POLICY";
    UnsupportedSpaceInVariable = "UNSUPPORTED_SPACE_IN_VARIABLE";
    VariableUnsupportedInVersion = "VARIABLE_UNSUPPORTED_IN_VERSION";
    WildcardInServiceName = "WILDCARD_IN_SERVICE_NAME";
    WildcardWithoutLikeOperator = "WILDCARD_WITHOUT_LIKE_OPERATOR";
}

impl IssueCode {
    /// The code whose text is `text`, if there is one.
    pub fn from_text(text: &str) -> Option<IssueCode> {
        IssueCode::ALL.iter().copied().find(|c| c.as_str() == text)
    }
}

impl fmt::Display for IssueCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for IssueCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for IssueCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl serde::Serialize for IssueCode {
    /// As its text (`"INVALID_EFFECT"`).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::IssueCode;
    use crate::validate::AWS_CHECKS;

    #[test]
    fn texts_are_unique_and_round_trip() {
        for (i, c) in IssueCode::ALL.iter().enumerate() {
            assert_eq!(IssueCode::from_text(c.as_str()), Some(*c));
            assert!(
                !IssueCode::ALL[..i].iter().any(|d| d.as_str() == c.as_str()),
                "{c}"
            );
        }
    }

    #[test]
    fn every_aws_check_is_a_code() {
        for (text, _) in AWS_CHECKS {
            assert!(IssueCode::from_text(text).is_some(), "{text}");
        }
    }
}
