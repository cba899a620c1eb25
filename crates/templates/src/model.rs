//! The extraction model: every policy found in a template, plan or cloud assembly, with where it is.

use serde::Serialize;
use std::fmt;

use crate::value::Value;

/// Which kind of input a policy came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// A CloudFormation template (JSON or YAML).
    Cloudformation,
    /// An AWS CDK cloud assembly (`cdk.out`): the CloudFormation templates of its stacks.
    Cdk,
    /// A Terraform plan as `terraform show -json` prints it.
    Terraform,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Cloudformation => "cloudformation",
            Format::Cdk => "cdk",
            Format::Terraform => "terraform",
        })
    }
}

/// A position in a source file: 1-based line and 1-based column (in characters), as editors and
/// SARIF count them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// A range `[start, end)` of a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Location {
    /// The first position of the range.
    pub start: Position,
    /// The first position after the range.
    pub end: Position,
}

impl fmt::Display for Location {
    /// `line:column` of the start.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.start.line, self.start.column)
    }
}

/// What kind of policy a document is, in Access Analyzer's terms.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PolicyType {
    /// Attached to a principal (inline or managed policy, permission set).
    IdentityPolicy,
    /// Attached to a resource.
    ResourcePolicy {
        /// Access Analyzer's resource type for the resource, when one applies (`AWS::S3::Bucket`,
        /// `AWS::IAM::AssumeRolePolicyDocument`, `AWS::KMS::Key`...).
        #[serde(skip_serializing_if = "Option::is_none")]
        resource_type: Option<String>,
    },
    /// An AWS Organizations service control policy.
    ServiceControlPolicy,
    /// An AWS Organizations resource control policy.
    ResourceControlPolicy,
}

impl PolicyType {
    /// A resource policy of the given Access Analyzer resource type.
    pub fn resource(resource_type: &str) -> Self {
        PolicyType::ResourcePolicy {
            resource_type: Some(resource_type.to_string()),
        }
    }

    /// The engine's policy type (`IDENTITY_POLICY`, `RESOURCE_POLICY`...).
    pub fn to_policy_type(&self) -> iamproof_policy::PolicyType {
        match self {
            PolicyType::IdentityPolicy => iamproof_policy::PolicyType::Identity,
            PolicyType::ResourcePolicy { .. } => iamproof_policy::PolicyType::Resource,
            PolicyType::ServiceControlPolicy => iamproof_policy::PolicyType::ServiceControl,
            PolicyType::ResourceControlPolicy => iamproof_policy::PolicyType::ResourceControl,
        }
    }

    /// The Access Analyzer name of the type (`IDENTITY_POLICY`, `RESOURCE_POLICY`...).
    pub fn name(&self) -> &'static str {
        match self {
            PolicyType::IdentityPolicy => "IDENTITY_POLICY",
            PolicyType::ResourcePolicy { .. } => "RESOURCE_POLICY",
            PolicyType::ServiceControlPolicy => "SERVICE_CONTROL_POLICY",
            PolicyType::ResourceControlPolicy => "RESOURCE_CONTROL_POLICY",
        }
    }
}

/// One policy document found in the input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExtractedPolicy {
    /// The input format it came from.
    pub format: Format,
    /// The file, as given (or relative to the given directory for CDK), for reports.
    pub file: String,
    /// The resource: a CloudFormation logical id, or a Terraform address
    /// (`module.x.aws_iam_role.r`). For CDK, the logical id inside the stack's template (`file`
    /// tells the stacks apart).
    pub resource: String,
    /// The resource's type (`AWS::IAM::Role`, `aws_iam_role`...).
    pub resource_type: String,
    /// The name AWS knows the policy's resource by, as cfn-policy-validator names it in its
    /// reports: the physical name the template gives (resolved: a bucket policy's bucket, a
    /// role's `RoleName`, a queue policy's queue, the function of a Lambda permission...), else
    /// the logical id. `None` where the input has no such name (Terraform: the address names
    /// the resource). See [`crate::cfn`] for the name of each resource type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub physical_name: Option<String>,
    /// Which policy of the resource: an inline policy's name, `AssumeRolePolicyDocument`,
    /// `PolicyDocument`, a Terraform attribute (`assume_role_policy`, `inline_policy[0].policy`)...
    pub policy_name: String,
    /// Where the document sits in the file, as a path (`Resources.R.Properties.PolicyDocument`,
    /// `resource_changes[2].change.after.policy`).
    pub source_path: String,
    /// The policy's type.
    pub policy_type: PolicyType,
    /// The document; values unknown at analysis time are
    /// [`Kind::Unknown`](crate::value::Kind::Unknown) or
    /// [`Kind::Partial`](crate::value::Kind::Partial).
    pub document: Value,
    /// Where the document is in the file (`None` only when the file was too large to be read with
    /// positions).
    pub location: Option<Location>,
    /// Where each statement is, in order (`None` when unknown). For a document given as a JSON
    /// string (Terraform, some CloudFormation properties) these are the string's location.
    pub statement_locations: Vec<Option<Location>>,
}

impl ExtractedPolicy {
    /// The document as concrete policy JSON for the engine, approximated in the given direction,
    /// with the unknown values that were assumed. See [`crate::approximate`].
    pub fn policy_text(
        &self,
        approximation: crate::Approximation,
    ) -> (String, Vec<crate::Unknown>) {
        crate::approximate::policy_text(&self.document, approximation, &self.policy_type)
    }

    /// `file:line:col` of the document (just the file when its position is not known).
    pub fn origin(&self) -> String {
        match &self.location {
            Some(l) => format!("{}:{}", self.file, l),
            None => self.file.clone(),
        }
    }
}

/// A policy-bearing resource whose policy could not be built: reports should block on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotAnalysable {
    /// The file.
    pub file: String,
    /// The resource (logical id or address).
    pub resource: String,
    /// The resource's type.
    pub resource_type: String,
    /// Which policy (property or attribute).
    pub policy_name: String,
    /// Where, when known.
    pub location: Option<Location>,
    /// Why it could not be built.
    pub reason: String,
}

/// Something worth knowing about the extraction that is not a policy: a managed policy ARN
/// attached to a role, a SAM policy template, a newer plan format...
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// The file.
    pub file: String,
    /// The resource it is about, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// Where, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The note.
    pub message: String,
}

/// Everything found in one input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Extraction {
    /// The input's format.
    pub format: Format,
    /// The policies found, in file order.
    pub policies: Vec<ExtractedPolicy>,
    /// The policy-bearing resources whose policy could not be built.
    pub not_analysable: Vec<NotAnalysable>,
    /// Notes.
    pub notes: Vec<Note>,
}
