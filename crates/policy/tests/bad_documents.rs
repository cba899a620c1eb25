//! Malformed policy documents: each is rejected with an exact position (line:column, 1-based
//! column), JSON path, message and issue code.

use iamproof_policy::{parse_policy, PolicyType};

struct Case {
    name: &'static str,
    ty: PolicyType,
    text: &'static str,
    /// `line:col: path: message`
    want: &'static str,
    code: &'static str,
}

const I: PolicyType = PolicyType::Identity;
const R: PolicyType = PolicyType::Resource;

const CASES: &[Case] = &[
    Case {
        name: "empty document",
        ty: I,
        text: "",
        want: "1:1: $: empty document: expected a JSON value",
        code: "JSON_SYNTAX",
    },
    Case {
        name: "array at top level",
        ty: I,
        text: "[]",
        want: "1:1: $: a policy must be a JSON object, found an array",
        code: "INVALID_ELEMENT_TYPE",
    },
    Case {
        name: "trailing comma in object",
        ty: I,
        text: "{\"Statement\": [], }",
        want: "1:19: $: trailing comma before '}'",
        code: "JSON_SYNTAX",
    },
    Case {
        name: "unterminated string",
        ty: I,
        text: "{\"Statement\": \"abc",
        want: "1:19: Statement: unterminated string: expected '\"'",
        code: "JSON_SYNTAX",
    },
    Case {
        name: "missing colon",
        ty: I,
        text: "{\"Statement\" []}",
        want: "1:14: $: expected ':' after an object key, found '['",
        code: "JSON_SYNTAX",
    },
    Case {
        name: "single-quoted key",
        ty: I,
        text: "{'Statement': []}",
        want: "1:2: $: expected a double-quoted object key, found '''",
        code: "JSON_SYNTAX",
    },
    Case {
        name: "bare word value",
        ty: I,
        text: "{\"Version\": True}",
        want: "1:13: Version: unexpected 'T': expected a JSON value",
        code: "JSON_SYNTAX",
    },
    Case {
        name: "leading zero number",
        ty: I,
        text: "{\"Id\": 01}",
        want: "1:9: Id: invalid number: leading zeros are not allowed",
        code: "JSON_SYNTAX",
    },
    Case {
        name: "invalid escape",
        ty: I,
        text: "{\"Id\": \"a\\x\"}",
        want: "1:10: Id: invalid escape sequence: '\\' followed by 'x'",
        code: "JSON_SYNTAX",
    },
    Case {
        name: "lone surrogate escape",
        ty: I,
        text: "{\"Id\": \"\\ud800x\"}",
        want: "1:9: Id: invalid \\u escape: unpaired UTF-16 surrogate",
        code: "JSON_SYNTAX",
    },
    Case {
        name: "raw control character in string",
        ty: I,
        text: "{\"Id\": \"a\tb\"}",
        want: "1:10: Id: control character U+0009 in string: it must be escaped",
        code: "JSON_SYNTAX",
    },
    Case {
        name: "text after the document",
        ty: I,
        text: "{\"Statement\": []} x",
        want: "1:19: $: unexpected text after the end of the JSON document",
        code: "JSON_SYNTAX",
    },
    Case {
        name: "nesting too deep",
        ty: I,
        text: "{\"Statement\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
        want: "1:78: Statement[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]: nesting is deeper than 64 levels",
        code: "JSON_TOO_DEEP",
    },
    Case {
        name: "duplicate top-level key",
        ty: I,
        text: "{\"Statement\": [],\n \"Statement\": []}",
        want: "2:2: Statement: duplicate key \"Statement\" (first used at 1:2)",
        code: "DUPLICATE_KEY",
    },
    Case {
        name: "duplicate statement key",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\",\n  \"Action\": \"s3:*\", \"Effect\": \"Deny\", \"Resource\": \"*\"}}",
        want: "2:21: Statement.Effect: duplicate key \"Effect\" (first used at 1:41)",
        code: "DUPLICATE_KEY",
    },
    Case {
        name: "duplicate condition key",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"aws:SourceVpc\": \"a\", \"aws:SourceVpc\": \"b\"}}}}",
        want: "1:148: Statement.Condition.StringEquals[\"aws:SourceVpc\"]: duplicate key \"aws:SourceVpc\" (first used at 1:126)",
        code: "DUPLICATE_KEY",
    },
    Case {
        name: "unknown top-level element",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statements\": []}",
        want: "1:27: Statements: invalid policy element \"Statements\" (expected one of Version, Id, Statement)",
        code: "INVALID_ELEMENT",
    },
    Case {
        name: "miscased statement element",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": [{\"effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]}",
        want: "1:42: Statement[0].effect: invalid policy element \"effect\": element names are case-sensitive; did you mean \"Effect\"?",
        code: "INVALID_ELEMENT",
    },
    Case {
        name: "invalid version",
        ty: I,
        text: "{\"Version\": \"2012-10-18\", \"Statement\": []}",
        want: "1:13: Version: invalid Version \"2012-10-18\": use \"2012-10-17\" (or the legacy \"2008-10-17\")",
        code: "INVALID_VERSION",
    },
    Case {
        name: "version as number",
        ty: I,
        text: "{\"Version\": 2012, \"Statement\": []}",
        want: "1:13: Version: Version must be a string, found a number",
        code: "INVALID_ELEMENT_TYPE",
    },
    Case {
        name: "missing Statement",
        ty: I,
        text: "{\"Version\": \"2012-10-17\"}",
        want: "1:1: $: missing Statement element",
        code: "MISSING_STATEMENT",
    },
    Case {
        name: "Statement as string",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": \"Allow everything\"}",
        want: "1:40: Statement: Statement must be an object or an array of objects, found a string",
        code: "INVALID_ELEMENT_TYPE",
    },
    Case {
        name: "statement entry not an object",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}, 7]}",
        want: "1:94: Statement[1]: a statement must be an object, found a number",
        code: "INVALID_ELEMENT_TYPE",
    },
    Case {
        name: "missing Effect",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\n  \"Action\": \"s3:*\",\n  \"Resource\": \"*\"\n}}",
        want: "1:40: Statement: statement has no Effect",
        code: "MISSING_EFFECT",
    },
    Case {
        name: "miscased Effect value",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}}",
        want: "1:51: Statement.Effect: Effect must be \"Allow\" or \"Deny\", found \"allow\" (the value is case-sensitive)",
        code: "INVALID_EFFECT",
    },
    Case {
        name: "missing Action",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Resource\": \"*\"}}",
        want: "1:40: Statement: statement has neither Action nor NotAction",
        code: "MISSING_ACTION",
    },
    Case {
        name: "Action with NotAction",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"NotAction\": \"iam:*\", \"Resource\": \"*\"}}",
        want: "1:78: Statement.NotAction: a statement cannot have both Action and NotAction",
        code: "UNSUPPORTED_ELEMENT_COMBINATION",
    },
    Case {
        name: "Resource with NotResource",
        ty: R,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Principal\": \"*\", \"NotResource\": \"*\", \"Action\": \"s3:*\", \"Resource\": \"*\"}}",
        want: "1:116: Statement.Resource: a statement cannot have both Resource and NotResource",
        code: "UNSUPPORTED_ELEMENT_COMBINATION",
    },
    Case {
        name: "missing Resource in identity policy",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\"}}",
        want: "1:40: Statement: statement has neither Resource nor NotResource (required in an identity policy)",
        code: "MISSING_RESOURCE",
    },
    Case {
        name: "Principal in identity policy",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:*\", \"Resource\": \"*\"}}",
        want: "1:60: Statement.Principal: Principal is not allowed in an identity policy",
        code: "PRINCIPAL_IN_IDENTITY_POLICY",
    },
    Case {
        name: "Principal in service control policy",
        ty: PolicyType::ServiceControl,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Deny\", \"NotPrincipal\": {\"AWS\": \"111122223333\"}, \"Action\": \"s3:*\", \"Resource\": \"*\"}}",
        want: "1:59: Statement.NotPrincipal: NotPrincipal is not allowed in a service control policy",
        code: "PRINCIPAL_IN_SERVICE_CONTROL_POLICY",
    },
    Case {
        name: "missing Principal in resource policy",
        ty: R,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}}",
        want: "1:40: Statement: statement has neither Principal nor NotPrincipal (required in a resource policy)",
        code: "MISSING_PRINCIPAL",
    },
    Case {
        name: "string Principal with a partial wildcard",
        ty: R,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Principal\": \"arn:aws:iam::*:root\", \"Action\": \"s3:*\", \"Resource\": \"*\"}}",
        want: "1:73: Statement.Principal: Unsupported wildcard in principal \"arn:aws:iam::*:root\": a wildcard may only stand alone, as \"*\" or {\"AWS\": \"*\"}",
        code: "UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
    },
    Case {
        name: "miscased principal key",
        ty: R,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Principal\": {\"aws\": \"111122223333\"}, \"Action\": \"s3:*\", \"Resource\": \"*\"}}",
        want: "1:74: Statement.Principal.aws: invalid principal key \"aws\": principal keys are case-sensitive; did you mean \"AWS\"?",
        code: "INVALID_PRINCIPAL_KEY",
    },
    Case {
        name: "partial wildcard in principal",
        ty: R,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": [\"111122223333\", \"arn:aws:iam::*:root\"]}, \"Action\": \"s3:*\", \"Resource\": \"*\"}}",
        want: "1:98: Statement.Principal.AWS[1]: Unsupported wildcard in principal \"arn:aws:iam::*:root\": a wildcard may only stand alone, as \"*\" or {\"AWS\": \"*\"}",
        code: "UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
    },
    Case {
        name: "partial wildcard service principal",
        ty: R,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"s3.*.com\"}, \"Action\": \"s3:*\", \"Resource\": \"*\"}}",
        want: "1:85: Statement.Principal.Service: Unsupported wildcard in principal \"s3.*.com\": a wildcard may only stand alone, as \"*\" or {\"AWS\": \"*\"}",
        code: "UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
    },
    Case {
        name: "non-empty Principal array",
        ty: R,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Principal\": [\"*\"], \"Action\": \"s3:*\", \"Resource\": \"*\"}}",
        want: "1:73: Statement.Principal: Principal must be \"*\" or an object such as {\"AWS\": …}, found an array",
        code: "INVALID_ELEMENT_TYPE",
    },
    Case {
        name: "variable in Principal",
        ty: R,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:user/${aws:username}\"}, \"Action\": \"s3:*\", \"Resource\": \"*\"}}",
        want: "1:81: Statement.Principal.AWS: Variable unsupported in element: policy variables are not allowed in Principal",
        code: "VARIABLE_UNSUPPORTED_IN_ELEMENT",
    },
    Case {
        name: "action without colon",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"s3GetObject\"], \"Resource\": \"*\"}}",
        want: "1:87: Statement.Action[1]: invalid action \"s3GetObject\": an action must be \"*\" or \"service:action\"",
        code: "INVALID_ACTION",
    },
    Case {
        name: "action with two colons",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:Get:Object\", \"Resource\": \"*\"}}",
        want: "1:70: Statement.Action: invalid action \"s3:Get:Object\": an action has exactly one ':'",
        code: "INVALID_ACTION",
    },
    Case {
        name: "wildcard in action service",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s*:GetObject\", \"Resource\": \"*\"}}",
        want: "1:70: Statement.Action: invalid action \"s*:GetObject\": wildcards are not allowed in the service prefix",
        code: "INVALID_ACTION",
    },
    Case {
        name: "empty action service",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \":GetObject\", \"Resource\": \"*\"}}",
        want: "1:70: Statement.Action: invalid action \":GetObject\": the service prefix is empty",
        code: "INVALID_ACTION",
    },
    Case {
        name: "number in Action array",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", 42], \"Resource\": \"*\"}}",
        want: "1:87: Statement.Action[1]: each Action entry must be a string, found a number",
        code: "INVALID_ELEMENT_TYPE",
    },
    Case {
        name: "variable in Action",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:${aws:username}\", \"Resource\": \"*\"}}",
        want: "1:70: Statement.Action: Variable unsupported in element: policy variables are not allowed in Action",
        code: "VARIABLE_UNSUPPORTED_IN_ELEMENT",
    },
    Case {
        name: "Resource as object",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": {\"arn\": \"*\"}}}",
        want: "1:90: Statement.Resource: Resource must be a string or an array of strings, found an object",
        code: "INVALID_ELEMENT_TYPE",
    },
    Case {
        name: "variable in ARN service field",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"arn:aws:${aws:username}:::b\"}}",
        want: "1:90: Statement.Resource: Variable unsupported in element: in \"arn:aws:${aws:username}:::b\" a policy variable appears in the ARN prefix (variables are not allowed in the partition or service fields)",
        code: "VARIABLE_UNSUPPORTED_IN_ELEMENT",
    },
    Case {
        name: "unterminated variable in Resource",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"arn:aws:s3:::b/${aws:username\"}}",
        want: "1:90: Statement.Resource: Invalid variable: unterminated `${`",
        code: "INVALID_VARIABLE",
    },
    Case {
        name: "Condition as array",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\": []}}",
        want: "1:108: Statement.Condition: Condition must be an object, found an array",
        code: "INVALID_ELEMENT_TYPE",
    },
    Case {
        name: "unknown condition operator",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\": {\"StringMatches\": {\"s3:prefix\": \"a\"}}}}",
        want: "1:109: Statement.Condition.StringMatches: invalid condition operator \"StringMatches\"",
        code: "INVALID_CONDITION_OPERATOR",
    },
    Case {
        name: "miscased condition operator",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\": {\"stringEqualsIfExists\": {\"s3:prefix\": \"a\"}}}}",
        want: "1:109: Statement.Condition.stringEqualsIfExists: invalid condition operator \"stringEqualsIfExists\"; operator names are case-sensitive: did you mean \"StringEqualsIfExists\"?",
        code: "INVALID_CONDITION_OPERATOR",
    },
    Case {
        name: "bad qualifier",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\": {\"ForAllValue:StringEquals\": {\"aws:TagKeys\": \"a\"}}}}",
        want: "1:109: Statement.Condition[\"ForAllValue:StringEquals\"]: invalid condition operator \"ForAllValue:StringEquals\": unknown qualifier \"ForAllValue\"; the qualifier must be ForAllValues or ForAnyValue",
        code: "INVALID_CONDITION_OPERATOR",
    },
    Case {
        name: "miscased qualifier",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\": {\"forAnyValue:StringEquals\": {\"aws:TagKeys\": \"a\"}}}}",
        want: "1:109: Statement.Condition[\"forAnyValue:StringEquals\"]: invalid condition operator \"forAnyValue:StringEquals\": unknown qualifier \"forAnyValue\"; operator names are case-sensitive: did you mean \"ForAnyValue\"?",
        code: "INVALID_CONDITION_OPERATOR",
    },
    Case {
        name: "NullIfExists",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\": {\"NullIfExists\": {\"aws:TokenIssueTime\": \"true\"}}}}",
        want: "1:109: Statement.Condition.NullIfExists: invalid condition operator \"NullIfExists\": Null cannot take IfExists",
        code: "NULL_WITH_IF_EXISTS",
    },
    Case {
        name: "condition keys differing only in case",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"aws:SourceVpc\": \"a\", \"AWS:SourceVPC\": \"b\"}}}}",
        want: "1:148: Statement.Condition.StringEquals[\"AWS:SourceVPC\"]: Duplicate keys with different case: \"aws:SourceVpc\" and \"AWS:SourceVPC\" name the same condition key (key names are case-insensitive)",
        code: "DUPLICATE_KEYS_WITH_DIFFERENT_CASE",
    },
    Case {
        name: "empty condition key",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"\": \"a\"}}}}",
        want: "1:126: Statement.Condition.StringEquals[\"\"]: empty condition key",
        code: "INVALID_CONDITION_KEY",
    },
    Case {
        name: "operator value not an object",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\": \"a\"}}}",
        want: "1:125: Statement.Condition.StringEquals: the value of condition operator StringEquals must be an object of condition keys, found a string",
        code: "INVALID_ELEMENT_TYPE",
    },
    Case {
        name: "condition value object",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"s3:prefix\": {\"a\": 1}}}}}",
        want: "1:139: Statement.Condition.StringEquals[\"s3:prefix\"]: a condition value must be a string, number or boolean, found an object",
        code: "INVALID_CONDITION_VALUE",
    },
    Case {
        name: "condition value nested array",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"s3:prefix\": [\"a\", [\"b\"]]}}}}",
        want: "1:145: Statement.Condition.StringEquals[\"s3:prefix\"][1]: a condition value must be a string, number or boolean, found an array",
        code: "INVALID_CONDITION_VALUE",
    },
    Case {
        name: "condition value null",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\": {\"Null\": {\"s3:prefix\": null}}}}",
        want: "1:131: Statement.Condition.Null[\"s3:prefix\"]: a condition value must be a string, number or boolean, found null",
        code: "INVALID_CONDITION_VALUE",
    },
    Case {
        name: "variable in numeric condition",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\": {\"NumericLessThan\": {\"s3:max-keys\": \"${aws:PrincipalTag/max}\"}}}}",
        want: "1:144: Statement.Condition.NumericLessThan[\"s3:max-keys\"]: Invalid variable for operator: policy variables are not allowed in NumericLessThan values",
        code: "INVALID_VARIABLE_FOR_OPERATOR",
    },
    Case {
        name: "empty variable in condition",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\": {\"StringLike\": {\"s3:prefix\": [\"home/${}\"]}}}}",
        want: "1:138: Statement.Condition.StringLike[\"s3:prefix\"][0]: Invalid variable: `${}` names no key",
        code: "INVALID_VARIABLE",
    },
    Case {
        name: "variable in condition key",
        ty: I,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"aws:PrincipalTag/${aws:username}\": \"a\"}}}}",
        want: "1:126: Statement.Condition.StringEquals[\"aws:PrincipalTag/${aws:username}\"]: Variable unsupported in element: policy variables are not allowed in condition keys",
        code: "VARIABLE_UNSUPPORTED_IN_ELEMENT",
    },
    Case {
        name: "RCP with a named principal",
        ty: PolicyType::ResourceControl,
        text: "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Deny\", \"Principal\": {\"AWS\": \"111122223333\"}, \"Action\": \"s3:*\", \"Resource\": \"*\"}}",
        want: "1:72: Statement.Principal: a resource control policy must use \"Principal\": \"*\"",
        code: "INVALID_RESOURCE_CONTROL_POLICY",
    },
    Case {
        name: "columns count characters, not bytes",
        ty: I,
        text: "{\"Id\": \"é€😀\", \"Ünknown\": 1, \"Statement\": []}",
        want: "1:15: [\"Ünknown\"]: invalid policy element \"Ünknown\" (expected one of Version, Id, Statement)",
        code: "INVALID_ELEMENT",
    },
    Case {
        name: "error after several lines",
        ty: I,
        text: "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"*\",\n      \"Condition\": {\"Bool\": {\"aws:SecureTransport\": [\"true\",]}}\n    }\n  ]\n}",
        want: "8:61: Statement[0].Condition.Bool[\"aws:SecureTransport\"]: trailing comma before ']'",
        code: "JSON_SYNTAX",
    },
];

#[test]
fn every_bad_document_is_rejected_exactly() {
    assert!(CASES.len() >= 30);
    let mut failures = Vec::new();
    for c in CASES {
        match parse_policy(c.text, c.ty) {
            Ok(_) => failures.push(format!("{}: parsed, expected {}", c.name, c.want)),
            Err(e) => {
                if e.to_string() != c.want || e.code != c.code {
                    failures.push(format!(
                        "{}:\n   got  {} [{}]\n   want {} [{}]",
                        c.name, e, e.code, c.want, c.code
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn huge_input_is_rejected_not_parsed() {
    let text = format!(
        "{{\"Id\": \"{}\"}}",
        "x".repeat(iamproof_policy::MAX_INPUT_BYTES)
    );
    let e = parse_policy(&text, I).unwrap_err();
    assert_eq!(e.code, "POLICY_TOO_LARGE");
    assert!(e.to_string().starts_with("1:1: $: document is "));
}
