//! The finding model: what one policy of one resource gave, as data.
//!
//! The fields are those of cfn-policy-validator's findings (`findingType`, `code`, `message`,
//! `resourceName`, `policyName`, `details`), plus what iamproof knows and the AWS validators do
//! not: where the statement or document sits in the source file, the statement's index and `Sid`,
//! an example request, and the source lines to quote.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
use std::str::FromStr;

/// How serious a finding is: the four finding types of IAM Access Analyzer's `ValidatePolicy`.
///
/// The order is the order reports list findings in: errors first (as cfn-policy-validator does).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FindingType {
    /// The policy is invalid, or an analysis could not be made.
    Error,
    /// The policy grants access that is probably not intended (a failed custom check is one).
    SecurityWarning,
    /// The policy does not follow best practice, or its meaning is uncertain.
    Warning,
    /// The policy could be written better; its meaning is unchanged.
    Suggestion,
}

impl FindingType {
    /// Every finding type, in report order.
    pub const ALL: [FindingType; 4] = [
        FindingType::Error,
        FindingType::SecurityWarning,
        FindingType::Warning,
        FindingType::Suggestion,
    ];

    /// The name AWS uses: `ERROR`, `SECURITY_WARNING`, `WARNING`, `SUGGESTION`.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingType::Error => "ERROR",
            FindingType::SecurityWarning => "SECURITY_WARNING",
            FindingType::Warning => "WARNING",
            FindingType::Suggestion => "SUGGESTION",
        }
    }
}

impl fmt::Display for FindingType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not one of the four finding types.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid finding type {found:?}: expected ERROR, SECURITY_WARNING, WARNING or SUGGESTION")]
pub struct UnknownFindingType {
    /// The name as given.
    pub found: String,
}

impl FromStr for FindingType {
    type Err = UnknownFindingType;

    /// Case-insensitive, surrounding whitespace ignored (as cfn-policy-validator reads them).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        FindingType::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| UnknownFindingType {
                found: s.to_string(),
            })
    }
}

/// What kind of finding it is. Its text form ([`FindingCode::as_str`]) is the `code` of the
/// JSON report and the `ruleId` of SARIF, so it never changes for a given kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum FindingCode {
    /// A `ValidatePolicy` issue code (`MISSING_VERSION`, `PASS_ROLE_WITH_STAR_IN_RESOURCE`…),
    /// including iamproof's own validation codes; kept verbatim.
    Validation(String),
    /// `policy-analysis-CheckNoNewAccess`: the policy grants access the reference policy does
    /// not (cfn-policy-validator's code).
    CheckNoNewAccess,
    /// `policy-analysis-CheckAccessNotGranted`: the policy grants some of the listed access
    /// (cfn-policy-validator's code).
    CheckAccessNotGranted,
    /// `policy-analysis-CheckNoPublicAccess`: the resource policy grants public access
    /// (cfn-policy-validator's code).
    CheckNoPublicAccess,
    /// `policy-analysis-CheckNoExternalAccess`: the resource policy grants access outside the
    /// trusted accounts and organizations. iamproof's own check, named in the same family.
    /// (cfn-policy-validator's `EXTERNAL_PRINCIPAL` comes from Access Analyzer access previews
    /// and carries a different `details`; iamproof does not reuse that code.)
    CheckNoExternalAccess,
    /// `iamproof-PolicyNotAnalysable`: a policy could not be analysed at all (it does not parse,
    /// or the template gives it a shape no value can resolve). iamproof's own code.
    PolicyNotAnalysable,
    /// `iamproof-UnknownValuesAssumed`: the policy holds values known only at deployment (a
    /// parameter without a value, an attribute known after apply) and the analysis assumed any
    /// value for them. iamproof's own code.
    UnknownValuesAssumed,
}

const CHECK_NO_NEW_ACCESS: &str = "policy-analysis-CheckNoNewAccess";
const CHECK_ACCESS_NOT_GRANTED: &str = "policy-analysis-CheckAccessNotGranted";
const CHECK_NO_PUBLIC_ACCESS: &str = "policy-analysis-CheckNoPublicAccess";
const CHECK_NO_EXTERNAL_ACCESS: &str = "policy-analysis-CheckNoExternalAccess";
const POLICY_NOT_ANALYSABLE: &str = "iamproof-PolicyNotAnalysable";
const UNKNOWN_VALUES_ASSUMED: &str = "iamproof-UnknownValuesAssumed";

impl FindingCode {
    /// The code as reports write it.
    pub fn as_str(&self) -> &str {
        match self {
            FindingCode::Validation(code) => code,
            FindingCode::CheckNoNewAccess => CHECK_NO_NEW_ACCESS,
            FindingCode::CheckAccessNotGranted => CHECK_ACCESS_NOT_GRANTED,
            FindingCode::CheckNoPublicAccess => CHECK_NO_PUBLIC_ACCESS,
            FindingCode::CheckNoExternalAccess => CHECK_NO_EXTERNAL_ACCESS,
            FindingCode::PolicyNotAnalysable => POLICY_NOT_ANALYSABLE,
            FindingCode::UnknownValuesAssumed => UNKNOWN_VALUES_ASSUMED,
        }
    }

    /// Reads a code back from its text: the known names give their variant (exact case), any
    /// other text is a [`FindingCode::Validation`] code.
    pub fn parse(code: &str) -> FindingCode {
        match code {
            CHECK_NO_NEW_ACCESS => FindingCode::CheckNoNewAccess,
            CHECK_ACCESS_NOT_GRANTED => FindingCode::CheckAccessNotGranted,
            CHECK_NO_PUBLIC_ACCESS => FindingCode::CheckNoPublicAccess,
            CHECK_NO_EXTERNAL_ACCESS => FindingCode::CheckNoExternalAccess,
            POLICY_NOT_ANALYSABLE => FindingCode::PolicyNotAnalysable,
            UNKNOWN_VALUES_ASSUMED => FindingCode::UnknownValuesAssumed,
            other => FindingCode::Validation(other.to_string()),
        }
    }

    /// Whether the code is one of the custom checks' (`policy-analysis-*`).
    pub fn is_custom_check(&self) -> bool {
        matches!(
            self,
            FindingCode::CheckNoNewAccess
                | FindingCode::CheckAccessNotGranted
                | FindingCode::CheckNoPublicAccess
                | FindingCode::CheckNoExternalAccess
        )
    }
}

impl fmt::Display for FindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for FindingCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FindingCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Ok(FindingCode::parse(&code))
    }
}

/// A position in a source file: both 1-based, the column counting characters (Unicode scalar
/// values), as editors and SARIF (`columnKind: unicodeCodePoints`) count them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

impl Position {
    /// The position at `line`, `column` (both 1-based).
    pub fn new(line: u32, column: u32) -> Self {
        Position { line, column }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Where a finding is in the source file (the template, the plan, the policy file): the range of
/// the statement, or of the whole policy document when the finding is about the document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SourceLocation {
    /// The file path as the user gave it (`templates/app.yaml`, `./cdk.out/App.template.json`).
    /// The SARIF renderer makes it relative to the source root, with forward slashes.
    pub path: String,
    /// The first character of the range.
    pub start: Position,
    /// The position just after the last character of the range (exclusive, as SARIF's
    /// `endColumn`).
    pub end: Position,
}

impl SourceLocation {
    /// The range `[start, end)` of the file at `path`.
    pub fn new(path: impl Into<String>, start: Position, end: Position) -> Self {
        SourceLocation {
            path: path.into(),
            start,
            end,
        }
    }
}

/// Source lines to quote under a finding: usually the statement's lines.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Excerpt {
    /// The 1-based number of the first line.
    pub first_line: u32,
    /// The lines, without their line terminators.
    pub lines: Vec<String>,
}

impl Excerpt {
    /// The lines `first_line..` (1-based).
    pub fn new(first_line: u32, lines: Vec<String>) -> Self {
        Excerpt { first_line, lines }
    }

    /// The lines `start.line..=end.line` of `source` (`end.line` excluded when the range ends at
    /// column 1 of it), or `None` when the range is not inside `source`.
    pub fn from_source(source: &str, start: Position, end: Position) -> Option<Excerpt> {
        let last = if end.column <= 1 && end.line > start.line {
            end.line - 1
        } else {
            end.line
        };
        if start.line == 0 || last < start.line {
            return None;
        }
        let skip = usize::try_from(start.line - 1).ok()?;
        let take = usize::try_from(last - start.line + 1).ok()?;
        let lines: Vec<String> = source
            .lines()
            .skip(skip)
            .take(take)
            .map(str::to_string)
            .collect();
        (lines.len() == take).then(|| Excerpt::new(start.line, lines))
    }
}

/// One finding about one policy of one resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// How serious it is.
    pub finding_type: FindingType,
    /// What kind of finding it is.
    pub code: FindingCode,
    /// One sentence for people (`findingDetails` of a `ValidatePolicy` finding, the check's
    /// `message`).
    pub message: String,
    /// The resource the policy belongs to: the CloudFormation logical id, the Terraform address
    /// (which may contain dots), the file name for a lone policy file.
    pub resource_name: String,
    /// The name AWS knows the resource by, as cfn-policy-validator's `resourceName` gives it
    /// (the physical name a CloudFormation template sets, else the logical id), when it is
    /// known; `resource_name` keeps the logical id.
    pub physical_name: Option<String>,
    /// The policy's name within the resource (`RootPolicy`, `TrustPolicy`, `BucketPolicy`…).
    pub policy_name: String,
    /// The finding as the analysis gave it: the `ValidatePolicy` finding, or the check's result
    /// JSON. `Null` when there is nothing more to say.
    pub details: Value,
    /// Where it is in the source file.
    pub location: Option<SourceLocation>,
    /// A request the policy allows that shows the finding (custom checks), in the format of
    /// `iamproof simulate --request`.
    pub example_request: Option<Value>,
    /// The 0-based index of the statement in its policy, when the finding is about one.
    pub statement_index: Option<usize>,
    /// The statement's `Sid`, when it has one.
    pub statement_id: Option<String>,
    /// The statement as analysed (template values resolved), when the finding is about one.
    /// Not printed; it identifies the finding in SARIF fingerprints when it has no `Sid`.
    pub statement: Option<Value>,
    /// Source lines to quote.
    pub excerpt: Option<Excerpt>,
}

impl Finding {
    /// A finding with the AWS validators' fields; `details` is `Null` and iamproof's extras are
    /// empty until set with the `with_*` methods.
    pub fn new(
        finding_type: FindingType,
        code: FindingCode,
        message: impl Into<String>,
        resource_name: impl Into<String>,
        policy_name: impl Into<String>,
    ) -> Self {
        Finding {
            finding_type,
            code,
            message: message.into(),
            resource_name: resource_name.into(),
            physical_name: None,
            policy_name: policy_name.into(),
            details: Value::Null,
            location: None,
            example_request: None,
            statement_index: None,
            statement_id: None,
            statement: None,
            excerpt: None,
        }
    }

    /// Sets the physical name (`None` leaves it unset).
    pub fn with_physical_name(mut self, name: Option<String>) -> Self {
        self.physical_name = name;
        self
    }

    /// Sets `details`.
    pub fn with_details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }

    /// Sets the source location.
    pub fn with_location(mut self, location: SourceLocation) -> Self {
        self.location = Some(location);
        self
    }

    /// Sets the statement the finding is about: its index, `Sid` and content (as analysed).
    pub fn with_statement(mut self, index: usize, sid: Option<String>, statement: Value) -> Self {
        self.statement_index = Some(index);
        self.statement_id = sid;
        self.statement = Some(statement);
        self
    }

    /// Sets the example request.
    pub fn with_example_request(mut self, request: Value) -> Self {
        self.example_request = Some(request);
        self
    }

    /// Sets the excerpt.
    pub fn with_excerpt(mut self, excerpt: Excerpt) -> Self {
        self.excerpt = Some(excerpt);
        self
    }
}

/// Everything one run found, with what the run was.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    /// The version of the tool that made the report (`iamproof --version`).
    pub tool_version: String,
    /// The files analysed, as given (also those without findings).
    pub files: Vec<String>,
    /// The findings, in the order the analysis made them.
    pub findings: Vec<Finding>,
}

impl Report {
    /// An empty report of the given tool version.
    pub fn new(tool_version: impl Into<String>) -> Self {
        Report {
            tool_version: tool_version.into(),
            files: Vec::new(),
            findings: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Excerpt, FindingCode, FindingType, Position};

    const SOURCE: &str = "one\ntwo\nthree\nfour\n";

    #[test]
    fn excerpts_take_the_lines_of_the_range() {
        let lines = |start: (u32, u32), end: (u32, u32)| {
            Excerpt::from_source(
                SOURCE,
                Position::new(start.0, start.1),
                Position::new(end.0, end.1),
            )
            .map(|e| (e.first_line, e.lines))
        };
        assert_eq!(
            lines((2, 1), (3, 4)),
            Some((2, vec!["two".into(), "three".into()]))
        );
        // A range ending at column 1 ends on the line before.
        assert_eq!(
            lines((2, 1), (4, 1)),
            Some((2, vec!["two".into(), "three".into()]))
        );
        assert_eq!(lines((2, 2), (2, 3)), Some((2, vec!["two".into()])));
        assert_eq!(lines((4, 1), (5, 1)), Some((4, vec!["four".into()])));
        // Outside the source, or inverted: none.
        assert_eq!(lines((4, 1), (5, 2)), None);
        assert_eq!(lines((0, 1), (1, 2)), None);
        assert_eq!(lines((3, 1), (2, 1)), None);
    }

    #[test]
    fn codes_and_types_read_back() {
        for code in [
            "policy-analysis-CheckNoNewAccess",
            "policy-analysis-CheckAccessNotGranted",
            "policy-analysis-CheckNoPublicAccess",
            "policy-analysis-CheckNoExternalAccess",
            "iamproof-PolicyNotAnalysable",
            "iamproof-UnknownValuesAssumed",
            "MISSING_VERSION",
        ] {
            assert_eq!(FindingCode::parse(code).as_str(), code);
        }
        assert_eq!(
            FindingCode::parse("MISSING_VERSION"),
            FindingCode::Validation("MISSING_VERSION".into())
        );
        assert!(FindingCode::CheckNoNewAccess.is_custom_check());
        assert!(!FindingCode::PolicyNotAnalysable.is_custom_check());
        assert_eq!(
            " security_warning ".parse(),
            Ok(FindingType::SecurityWarning)
        );
        assert!("NONE".parse::<FindingType>().is_err());
        assert_eq!(
            serde_json::to_value(FindingType::SecurityWarning).unwrap(),
            "SECURITY_WARNING"
        );
        assert_eq!(
            serde_json::from_value::<FindingCode>(serde_json::json!(
                "policy-analysis-CheckNoPublicAccess"
            ))
            .unwrap(),
            FindingCode::CheckNoPublicAccess
        );
    }
}
