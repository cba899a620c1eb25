//! The name AWS knows a policy's resource by ([`crate::ExtractedPolicy::physical_name`]), as
//! cfn-policy-validator names resources in its reports, so that a report of iamproof and one of
//! the validator name the same resource the same way.
//!
//! | Type | Name |
//! |---|---|
//! | `AWS::IAM::Role`, `User`, `Group` | `RoleName`, `UserName`, `GroupName` |
//! | `AWS::IAM::RolePolicy`, `UserPolicy`, `GroupPolicy` | the principal it is attached to (`RoleName`...) |
//! | `AWS::IAM::Policy`, `ManagedPolicy` | the principal, when `Roles`/`Users`/`Groups` name exactly one; else `ManagedPolicyName` (managed) |
//! | `AWS::SSO::PermissionSet` | `Name` |
//! | `AWS::S3::BucketPolicy`, `AWS::S3Express::BucketPolicy` | `Bucket` |
//! | `AWS::S3::AccessPoint`, `AWS::S3Express::AccessPoint` | `Name` |
//! | `AWS::S3::MultiRegionAccessPointPolicy` | `MrapName` |
//! | `AWS::S3Tables::TableBucketPolicy`, `TablePolicy` | what follows `:bucket/` in `TableBucketARN` / `TableARN` |
//! | `AWS::SQS::QueuePolicy` | each queue: the last segment of its URL in `Queues` |
//! | `AWS::SQS::QueueInlinePolicy` | the last segment of `Queue` |
//! | `AWS::SNS::TopicPolicy` | the topic, when `Topics` has one: the last `:` field of its ARN |
//! | `AWS::SNS::TopicInlinePolicy` | the last `:` field of `TopicArn` |
//! | `AWS::SecretsManager::ResourcePolicy` | what follows `secret:` in `SecretId` (without the random suffix of a secret of the template) |
//! | `AWS::Lambda::Permission` | the function's name (from a name, a partial or a full ARN in `FunctionName`) |
//! | `AWS::Lambda::LayerVersionPermission` | `name:version` of `LayerVersionArn` |
//! | `AWS::ApiGateway::RestApi`, `AWS::Events::EventBus`, `AWS::Organizations::Policy` | `Name` |
//! | `AWS::CodeArtifact::Domain` / `Repository` | `DomainName` / `RepositoryName` |
//! | `AWS::CloudTrail::ResourcePolicy` | what follows the type in `ResourceArn` (`dashboard/NAME`) |
//! | `AWS::Backup::BackupVault` | `BackupVaultName` |
//! | `AWS::ECR::Repository` | `RepositoryName` |
//! | `AWS::OpenSearchService::Domain`, `AWS::Elasticsearch::Domain` | `DomainName` |
//! | `AWS::Logs::ResourcePolicy` | `PolicyName` |
//! | `AWS::Events::EventBusPolicy` | `EventBusName` (`default` without one) |
//! | `AWS::Serverless::Function` | `FunctionName` |
//!
//! A name property that is absent, or that cannot be resolved, gives the logical id (as
//! cfn-policy-validator does); values known only at deployment are shown as `${...}`.

use super::{render_parts, Extractor};
use crate::value::{parts_of, Kind, Part, Value};

impl Extractor<'_, '_> {
    /// The resolved text of a property (`None`: absent, not text, or not resolvable).
    fn text_prop(&self, props: &Value, key: &str) -> Option<Vec<Part>> {
        let raw = props.get(key)?;
        let v = self.ctx.resolve(raw).ok()??;
        parts_of(&v)
    }

    /// The resolved items of a list property (a single value counts as one item).
    fn list_prop(&self, props: &Value, key: &str) -> Option<Vec<Value>> {
        let raw = props.get(key)?;
        let v = self.ctx.resolve(raw).ok()??;
        Some(match v.kind {
            Kind::Seq(items) => items,
            _ => vec![v],
        })
    }

    /// The name of the resource `id` of type `ty` (see the module's table).
    pub(super) fn physical_name(&self, id: &str, ty: &str, props: &Value) -> String {
        let text = |key: &str| self.text_prop(props, key).map(|p| render_parts(&p));
        let name = match ty {
            "AWS::IAM::Role" => text("RoleName"),
            "AWS::IAM::User" => text("UserName"),
            "AWS::IAM::Group" => text("GroupName"),
            "AWS::IAM::RolePolicy" => text("RoleName"),
            "AWS::IAM::UserPolicy" => text("UserName"),
            "AWS::IAM::GroupPolicy" => text("GroupName"),
            "AWS::IAM::Policy" => self.single_principal(props),
            "AWS::IAM::ManagedPolicy" => self
                .single_principal(props)
                .or_else(|| text("ManagedPolicyName")),
            "AWS::SSO::PermissionSet"
            | "AWS::S3::AccessPoint"
            | "AWS::S3Express::AccessPoint"
            | "AWS::ApiGateway::RestApi"
            | "AWS::Events::EventBus"
            | "AWS::Organizations::Policy" => text("Name"),
            "AWS::S3::BucketPolicy" | "AWS::S3Express::BucketPolicy" => text("Bucket"),
            "AWS::S3::MultiRegionAccessPointPolicy" => text("MrapName"),
            "AWS::S3Tables::TableBucketPolicy" => self
                .text_prop(props, "TableBucketARN")
                .and_then(|p| after(&p, ":bucket/")),
            "AWS::S3Tables::TablePolicy" => self
                .text_prop(props, "TableARN")
                .and_then(|p| after(&p, ":bucket/")),
            "AWS::SQS::QueuePolicy" => match self.list_prop(props, "Queues").as_deref() {
                Some([one]) => queue_name(one),
                _ => None,
            },
            "AWS::SQS::QueueInlinePolicy" => self.text_prop(props, "Queue").and_then(|p| {
                let t = render_parts(&p);
                t.rsplit('/').next().map(str::to_string)
            }),
            "AWS::SNS::TopicPolicy" => match self.list_prop(props, "Topics").as_deref() {
                Some([one]) => parts_of(one).map(|p| last_field(&render_parts(&p))),
                _ => None,
            },
            "AWS::SNS::TopicInlinePolicy" => text("TopicArn").map(|t| last_field(&t)),
            "AWS::SecretsManager::ResourcePolicy" => {
                self.text_prop(props, "SecretId").and_then(|mut p| {
                    // A secret of the template: its ARN ends with `-` and a random suffix.
                    if matches!(p.last(), Some(Part::Unknown(_))) {
                        p.pop();
                        if let Some(Part::Text(t)) = p.last_mut() {
                            if let Some(s) = t.strip_suffix('-') {
                                *t = s.to_string();
                            }
                        }
                    }
                    after(&p, "secret:")
                })
            }
            "AWS::Lambda::Permission" => text("FunctionName").map(|f| function_name(&f)),
            "AWS::Lambda::LayerVersionPermission" => self
                .text_prop(props, "LayerVersionArn")
                .and_then(|p| after(&p, ":layer:")),
            "AWS::CodeArtifact::Domain" => text("DomainName"),
            "AWS::CodeArtifact::Repository" => text("RepositoryName"),
            "AWS::CloudTrail::ResourcePolicy" => text("ResourceArn").and_then(|a| {
                let rest = a.splitn(6, ':').nth(5)?;
                rest.split('/').nth(1).map(str::to_string)
            }),
            "AWS::Backup::BackupVault" => text("BackupVaultName"),
            "AWS::ECR::Repository" => text("RepositoryName"),
            "AWS::OpenSearchService::Domain" | "AWS::Elasticsearch::Domain" => text("DomainName"),
            "AWS::Logs::ResourcePolicy" => text("PolicyName"),
            "AWS::Events::EventBusPolicy" => {
                Some(text("EventBusName").unwrap_or_else(|| "default".into()))
            }
            "AWS::Serverless::Function" => text("FunctionName"),
            _ => None,
        };
        name.filter(|n| !n.is_empty())
            .unwrap_or_else(|| id.to_string())
    }

    /// The one principal `Roles`, `Users` and `Groups` name together, if exactly one.
    fn single_principal(&self, props: &Value) -> Option<String> {
        let mut all = Vec::new();
        for key in ["Roles", "Users", "Groups"] {
            all.extend(self.list_prop(props, key).unwrap_or_default());
        }
        match all.as_slice() {
            [one] => parts_of(one).map(|p| render_parts(&p)),
            _ => None,
        }
    }
}

/// The last path segment of a queue URL.
pub(super) fn queue_name(url: &Value) -> Option<String> {
    let t = render_parts(&parts_of(url)?);
    t.trim_end_matches('/')
        .rsplit('/')
        .next()
        .map(str::to_string)
}

/// The last `:`-separated field.
fn last_field(t: &str) -> String {
    t.rsplit(':').next().unwrap_or(t).to_string()
}

/// The text after the first `marker` (`None` without one).
fn after(parts: &[Part], marker: &str) -> Option<String> {
    let t = render_parts(parts);
    t.split_once(marker).map(|(_, rest)| rest.to_string())
}

/// A Lambda function's name from `FunctionName`: a name, a partial ARN (`ACCOUNT:function:NAME`)
/// or an ARN, with or without a qualifier.
fn function_name(f: &str) -> String {
    let fields: Vec<&str> = f.split(':').collect();
    match fields
        .iter()
        .position(|p| p.eq_ignore_ascii_case("function"))
    {
        Some(i) => fields.get(i + 1).copied().unwrap_or(f).to_string(),
        None => f.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{function_name, last_field};

    #[test]
    fn function_names() {
        assert_eq!(function_name("f"), "f");
        assert_eq!(function_name("123456789012:function:f"), "f");
        assert_eq!(
            function_name("arn:aws:lambda:us-east-1:123456789012:function:f:live"),
            "f"
        );
        assert_eq!(last_field("arn:aws:sns:us-east-1:1:t"), "t");
    }
}
