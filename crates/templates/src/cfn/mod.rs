//! CloudFormation templates: which resources carry policies, and building each document.
//!
//! Policy-bearing resources and properties (documents given as JSON strings are parsed):
//!
//! | Type | Property | Policy type |
//! |---|---|---|
//! | `AWS::IAM::Role` | `AssumeRolePolicyDocument` | resource (`AWS::IAM::AssumeRolePolicyDocument`) |
//! | `AWS::IAM::Role`, `User`, `Group` | `Policies[].PolicyDocument` (named by `PolicyName`) | identity |
//! | `AWS::IAM::Policy`, `ManagedPolicy`, `RolePolicy`, `UserPolicy`, `GroupPolicy` | `PolicyDocument` | identity |
//! | `AWS::SSO::PermissionSet` | `InlinePolicy` | identity |
//! | `AWS::S3::BucketPolicy` | `PolicyDocument` | resource (`AWS::S3::Bucket`) |
//! | `AWS::S3::AccessPoint` | `Policy` | resource (`AWS::S3::AccessPoint`) |
//! | `AWS::SQS::QueuePolicy` | `PolicyDocument`, one per queue in `Queues` | resource (`AWS::SQS::Queue`) |
//! | `AWS::SQS::QueueInlinePolicy`, `AWS::SNS::TopicPolicy`, `AWS::SNS::TopicInlinePolicy` | `PolicyDocument` | resource (`AWS::SQS::Queue`, `AWS::SNS::Topic`) |
//! | `AWS::KMS::Key`, `AWS::KMS::ReplicaKey` | `KeyPolicy` | resource (`AWS::KMS::Key`) |
//! | `AWS::SecretsManager::ResourcePolicy` | `ResourcePolicy` | resource (`AWS::SecretsManager::Secret`) |
//! | `AWS::ECR::Repository` | `RepositoryPolicyText` | resource |
//! | `AWS::Lambda::Permission` | the statement it adds (principal, action, function ARN, `SourceArn`/`SourceAccount`/`PrincipalOrgID`/`EventSourceToken`/`FunctionUrlAuthType` conditions) | resource (`AWS::Lambda::Function`) |
//! | `AWS::Lambda::LayerVersionPermission` | the statement it adds | resource |
//! | `AWS::EFS::FileSystem` | `FileSystemPolicy` | resource (`AWS::EFS::FileSystem`) |
//! | `AWS::OpenSearchService::Domain`, `AWS::Elasticsearch::Domain` | `AccessPolicies` | resource (`AWS::OpenSearchService::Domain`) |
//! | `AWS::Backup::BackupVault` | `AccessPolicy` | resource (`AWS::Backup::BackupVault`) |
//! | `AWS::Logs::ResourcePolicy` | `PolicyDocument` (a JSON string) | resource |
//! | `AWS::Events::EventBusPolicy` | `Statement`, or the statement built from `Action`/`Principal`/`Condition` | resource |
//! | `AWS::Events::EventBus` | `Policy` | resource |
//! | `AWS::ApiGateway::RestApi` | `Policy` | resource (`AWS::ApiGateway::RestApi`) |
//! | `AWS::Organizations::Policy` | `Content`, when `Type` is `SERVICE_CONTROL_POLICY` or `RESOURCE_CONTROL_POLICY` | SCP / RCP |
//! | `AWS::Serverless::Function` | `Policies` items that are policy documents (SAM policy templates and managed policy names are notes) | identity |
//! | `AWS::S3::MultiRegionAccessPointPolicy` | `Policy` | resource (`AWS::S3::MultiRegionAccessPoint`) |
//! | `AWS::S3Express::AccessPoint` | `Policy` | resource (`AWS::S3Express::AccessPoint`) |
//! | `AWS::S3Express::BucketPolicy` | `PolicyDocument` | resource (`AWS::S3Express::DirectoryBucket`) |
//! | `AWS::S3Tables::TableBucketPolicy` | `ResourcePolicy` | resource (`AWS::S3Tables::TableBucket`) |
//! | `AWS::S3Tables::TablePolicy` | `ResourcePolicy` | resource (`AWS::S3Tables::Table`) |
//! | `AWS::CodeArtifact::Domain` | `PermissionsPolicyDocument` | resource (`AWS::CodeArtifact::Domain`) |
//! | `AWS::CodeArtifact::Repository` | `PermissionsPolicyDocument` | resource |
//! | `AWS::CloudTrail::ResourcePolicy` | `ResourcePolicy` | resource (`AWS::CloudTrail::Dashboard` or `AWS::CloudTrail::EventDataStore` by `ResourceArn`; a channel's has no Access Analyzer type) |
//!
//! Each policy also carries the name AWS knows its resource by
//! ([`ExtractedPolicy::physical_name`], see [`names`]).
//!
//! A resource whose `Condition` is decided false is not created and its policies are left out
//! (with a note); an undecided one is kept (with a note). `ManagedPolicyArns` become notes.

pub mod arns;
pub mod names;
pub mod resolve;
mod synthesized;

use std::collections::BTreeMap;

use crate::error::TemplateError;
use crate::model::{
    ExtractedPolicy, Extraction, Format, Location, NotAnalysable, Note, PolicyType,
};
use crate::value::{parts_of, Kind, Part, Value};
use resolve::{Context, ResolveError};

/// Extracts the policies of a template already read into a tree.
pub(crate) fn extract_template(
    file: &str,
    format: Format,
    template: &Value,
    region: &str,
    account: &str,
    stack_name: &str,
    parameters: &BTreeMap<String, String>,
) -> Result<Extraction, TemplateError> {
    let mut out = Extraction {
        format,
        policies: Vec::new(),
        not_analysable: Vec::new(),
        notes: Vec::new(),
    };
    if template.as_map().is_none() {
        return Err(TemplateError::invalid(
            file,
            template.location,
            "",
            "a CloudFormation template must be a mapping (object)",
        ));
    }
    let Some(resources) = template.get("Resources") else {
        return Err(TemplateError::invalid(
            file,
            template.location,
            "",
            "not a CloudFormation template: no Resources section",
        ));
    };
    let Some(resources) = resources.as_map() else {
        return Err(TemplateError::invalid(
            file,
            resources.location,
            "Resources",
            "Resources must be a mapping",
        ));
    };
    if let Some(t) = template.get("Transform") {
        out.notes.push(Note {
            file: file.to_string(),
            resource: None,
            location: t.location,
            message: format!(
                "the template declares Transform {}; macros are not expanded (SAM functions' \
                 inline policies are read as written)",
                serde_json::to_string(t).unwrap_or_default()
            ),
        });
    }
    let ctx = Context::new(template, region, account, stack_name, parameters);
    let mut ex = Extractor {
        file,
        format,
        ctx: &ctx,
        out: &mut out,
        name: None,
    };
    for (id, res) in resources {
        ex.resource(id, res)?;
    }
    Ok(out)
}

/// Resource types whose policies this module reads (for `Fn::ForEach` bodies and tests).
pub const POLICY_BEARING_TYPES: &[&str] = &[
    "AWS::IAM::Role",
    "AWS::IAM::User",
    "AWS::IAM::Group",
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::RolePolicy",
    "AWS::IAM::UserPolicy",
    "AWS::IAM::GroupPolicy",
    "AWS::SSO::PermissionSet",
    "AWS::S3::BucketPolicy",
    "AWS::S3::AccessPoint",
    "AWS::SQS::QueuePolicy",
    "AWS::SQS::QueueInlinePolicy",
    "AWS::SNS::TopicPolicy",
    "AWS::SNS::TopicInlinePolicy",
    "AWS::KMS::Key",
    "AWS::KMS::ReplicaKey",
    "AWS::SecretsManager::ResourcePolicy",
    "AWS::ECR::Repository",
    "AWS::Lambda::Permission",
    "AWS::Lambda::LayerVersionPermission",
    "AWS::EFS::FileSystem",
    "AWS::OpenSearchService::Domain",
    "AWS::Elasticsearch::Domain",
    "AWS::Backup::BackupVault",
    "AWS::Logs::ResourcePolicy",
    "AWS::Events::EventBusPolicy",
    "AWS::Events::EventBus",
    "AWS::ApiGateway::RestApi",
    "AWS::Organizations::Policy",
    "AWS::Serverless::Function",
    "AWS::S3::MultiRegionAccessPointPolicy",
    "AWS::S3Express::AccessPoint",
    "AWS::S3Express::BucketPolicy",
    "AWS::S3Tables::TableBucketPolicy",
    "AWS::S3Tables::TablePolicy",
    "AWS::CodeArtifact::Domain",
    "AWS::CodeArtifact::Repository",
    "AWS::CloudTrail::ResourcePolicy",
];

struct Extractor<'a, 't> {
    file: &'a str,
    format: Format,
    ctx: &'a Context<'t>,
    out: &'a mut Extraction,
    /// The physical name of the resource being read (see [`names`]).
    name: Option<String>,
}

/// A resolution failure that is not fatal becomes a `not analysable` entry.
enum Fail {
    Fatal(TemplateError),
    Skip(String, Option<Location>),
}

impl Extractor<'_, '_> {
    fn fatal(&self, e: ResolveError, path: &str) -> TemplateError {
        TemplateError::invalid(self.file, e.location, path, e.message)
    }

    fn note(&mut self, resource: &str, location: Option<Location>, message: String) {
        self.out.notes.push(Note {
            file: self.file.to_string(),
            resource: Some(resource.to_string()),
            location,
            message,
        });
    }

    fn not_analysable(
        &mut self,
        id: &str,
        ty: &str,
        name: &str,
        location: Option<Location>,
        reason: String,
    ) {
        self.out.not_analysable.push(NotAnalysable {
            file: self.file.to_string(),
            resource: id.to_string(),
            resource_type: ty.to_string(),
            policy_name: name.to_string(),
            location,
            reason,
        });
    }

    /// Resolves a property (`Ok(None)`: absent or `AWS::NoValue`).
    fn prop(&self, props: &Value, key: &str, path: &str) -> Result<Option<Value>, Fail> {
        let Some(raw) = props.get(key) else {
            return Ok(None);
        };
        match self.ctx.resolve(raw) {
            Ok(v) => Ok(v),
            Err(e) if e.fatal => Err(Fail::Fatal(self.fatal(e, &format!("{path}.{key}")))),
            Err(e) => Err(Fail::Skip(e.message, e.location.or(raw.location))),
        }
    }

    fn resource(&mut self, id: &str, res: &Value) -> Result<(), TemplateError> {
        let path = format!("Resources.{id}");
        if id.starts_with("Fn::ForEach::") {
            let text = serde_json::to_string(res).unwrap_or_default();
            if let Some(t) = POLICY_BEARING_TYPES
                .iter()
                .find(|t| text.contains(&format!("\"{t}\"")))
            {
                self.not_analysable(
                    id,
                    t,
                    "",
                    res.location,
                    "Fn::ForEach (AWS::LanguageExtensions) is not expanded; the loop creates policy-bearing resources".into(),
                );
            }
            return Ok(());
        }
        let ty = res.get("Type").and_then(Value::as_str).unwrap_or("");
        if !POLICY_BEARING_TYPES.contains(&ty) {
            return Ok(());
        }
        if let Some(c) = res.get("Condition") {
            let name = c.as_str().unwrap_or("");
            match self.ctx.condition(name, c.location) {
                Ok(Some(false)) => {
                    self.note(
                        id,
                        c.location,
                        format!("{ty} {id} is not created: its condition {name} is false"),
                    );
                    return Ok(());
                }
                Ok(Some(true)) => {}
                Ok(None) => self.note(
                    id,
                    c.location,
                    format!("{ty} {id} exists only if condition {name} holds, which depends on values not known; its policies are analysed"),
                ),
                Err(e) if e.fatal => return Err(self.fatal(e, &format!("{path}.Condition"))),
                Err(e) => self.note(id, c.location, format!("condition {name}: {}", e.message)),
            }
        }
        let empty = Value::new(Kind::Map(Vec::new()), res.location);
        let props = res.get("Properties").unwrap_or(&empty);
        let ppath = format!("{path}.Properties");
        let start = self.out.policies.len();
        self.name = None;
        let r = self.policies(id, ty, props, &ppath);
        for (loc, message) in self.ctx.take_assumptions() {
            self.note(id, loc, message);
        }
        // The name is for reports, not analysed: what resolving it assumed is not noted.
        let name = self.physical_name(id, ty, props);
        drop(self.ctx.take_assumptions());
        for p in self.out.policies.iter_mut().skip(start) {
            if p.physical_name.is_none() {
                p.physical_name = Some(name.clone());
            }
        }
        match r {
            Ok(()) => Ok(()),
            Err(Fail::Fatal(e)) => Err(e),
            Err(Fail::Skip(reason, loc)) => {
                self.not_analysable(id, ty, "", loc.or(props.location), reason);
                Ok(())
            }
        }
    }

    #[allow(clippy::too_many_lines)]
    fn policies(&mut self, id: &str, ty: &str, props: &Value, path: &str) -> Result<(), Fail> {
        let res = |t: &str| PolicyType::resource(t);
        let plain_resource = PolicyType::ResourcePolicy {
            resource_type: None,
        };
        match ty {
            "AWS::IAM::Role" => {
                self.document(
                    id,
                    ty,
                    props,
                    "AssumeRolePolicyDocument",
                    path,
                    res("AWS::IAM::AssumeRolePolicyDocument"),
                )?;
                self.inline_policies(id, ty, props, path)?;
                self.managed_arns(id, props, path)?;
            }
            "AWS::IAM::User" | "AWS::IAM::Group" => {
                self.inline_policies(id, ty, props, path)?;
                self.managed_arns(id, props, path)?;
            }
            "AWS::IAM::Policy"
            | "AWS::IAM::RolePolicy"
            | "AWS::IAM::UserPolicy"
            | "AWS::IAM::GroupPolicy" => {
                let name = self.name_of(props, "PolicyName", path)?;
                self.document_named(
                    id,
                    ty,
                    props,
                    "PolicyDocument",
                    name,
                    path,
                    PolicyType::IdentityPolicy,
                )?;
            }
            "AWS::IAM::ManagedPolicy" => {
                let name = self.name_of(props, "ManagedPolicyName", path)?;
                self.document_named(
                    id,
                    ty,
                    props,
                    "PolicyDocument",
                    name,
                    path,
                    PolicyType::IdentityPolicy,
                )?;
            }
            "AWS::SSO::PermissionSet" => self.document(
                id,
                ty,
                props,
                "InlinePolicy",
                path,
                PolicyType::IdentityPolicy,
            )?,
            "AWS::S3::BucketPolicy" => self.document(
                id,
                ty,
                props,
                "PolicyDocument",
                path,
                res("AWS::S3::Bucket"),
            )?,
            "AWS::S3::AccessPoint" => {
                self.document(id, ty, props, "Policy", path, res("AWS::S3::AccessPoint"))?
            }
            "AWS::SQS::QueuePolicy" => {
                let queues = self.prop(props, "Queues", path)?;
                let n = match queues.as_ref().map(|q| &q.kind) {
                    Some(Kind::Seq(items)) => items.len(),
                    _ => 1,
                };
                if n == 1 {
                    self.document(
                        id,
                        ty,
                        props,
                        "PolicyDocument",
                        path,
                        res("AWS::SQS::Queue"),
                    )?;
                } else {
                    for i in 0..n {
                        self.name = Some(
                            queues
                                .as_ref()
                                .and_then(|q| q.as_seq())
                                .and_then(|items| items.get(i))
                                .and_then(names::queue_name)
                                .unwrap_or_else(|| id.to_string()),
                        );
                        self.document_named(
                            id,
                            ty,
                            props,
                            "PolicyDocument",
                            Some(format!("PolicyDocument[Queues[{i}]]")),
                            path,
                            res("AWS::SQS::Queue"),
                        )?;
                    }
                    self.name = None;
                }
            }
            "AWS::SQS::QueueInlinePolicy" => self.document(
                id,
                ty,
                props,
                "PolicyDocument",
                path,
                res("AWS::SQS::Queue"),
            )?,
            "AWS::SNS::TopicPolicy" | "AWS::SNS::TopicInlinePolicy" => self.document(
                id,
                ty,
                props,
                "PolicyDocument",
                path,
                res("AWS::SNS::Topic"),
            )?,
            "AWS::KMS::Key" | "AWS::KMS::ReplicaKey" => {
                self.document(id, ty, props, "KeyPolicy", path, res("AWS::KMS::Key"))?
            }
            "AWS::SecretsManager::ResourcePolicy" => self.document(
                id,
                ty,
                props,
                "ResourcePolicy",
                path,
                res("AWS::SecretsManager::Secret"),
            )?,
            "AWS::ECR::Repository" => {
                self.document(id, ty, props, "RepositoryPolicyText", path, plain_resource)?
            }
            "AWS::EFS::FileSystem" => self.document(
                id,
                ty,
                props,
                "FileSystemPolicy",
                path,
                res("AWS::EFS::FileSystem"),
            )?,
            "AWS::OpenSearchService::Domain" | "AWS::Elasticsearch::Domain" => self.document(
                id,
                ty,
                props,
                "AccessPolicies",
                path,
                res("AWS::OpenSearchService::Domain"),
            )?,
            "AWS::Backup::BackupVault" => self.document(
                id,
                ty,
                props,
                "AccessPolicy",
                path,
                res("AWS::Backup::BackupVault"),
            )?,
            "AWS::Logs::ResourcePolicy" => {
                self.document(id, ty, props, "PolicyDocument", path, plain_resource)?
            }
            "AWS::Events::EventBus" => {
                self.document(id, ty, props, "Policy", path, plain_resource)?
            }
            "AWS::ApiGateway::RestApi" => self.document(
                id,
                ty,
                props,
                "Policy",
                path,
                res("AWS::ApiGateway::RestApi"),
            )?,
            "AWS::Events::EventBusPolicy" => self.event_bus_policy(id, ty, props, path)?,
            "AWS::Lambda::Permission" => self.lambda_permission(id, ty, props, path)?,
            "AWS::Lambda::LayerVersionPermission" => self.layer_permission(id, ty, props, path)?,
            "AWS::Organizations::Policy" => {
                let t = self.prop(props, "Type", path)?;
                match t.as_ref().and_then(Value::as_str) {
                    Some("SERVICE_CONTROL_POLICY") => self.document(id, ty, props, "Content", path, PolicyType::ServiceControlPolicy)?,
                    Some("RESOURCE_CONTROL_POLICY") => self.document(id, ty, props, "Content", path, PolicyType::ResourceControlPolicy)?,
                    Some(other) => self.note(id, props.location, format!("Organizations policy of type {other} is not an IAM policy; not analysed")),
                    None => self.not_analysable(id, ty, "Content", props.location, "the policy Type is not known, so neither is the kind of policy".into()),
                }
            }
            "AWS::Serverless::Function" => self.sam_policies(id, ty, props, path)?,
            "AWS::S3::MultiRegionAccessPointPolicy" => self.document(
                id,
                ty,
                props,
                "Policy",
                path,
                res("AWS::S3::MultiRegionAccessPoint"),
            )?,
            "AWS::S3Express::AccessPoint" => self.document(
                id,
                ty,
                props,
                "Policy",
                path,
                res("AWS::S3Express::AccessPoint"),
            )?,
            "AWS::S3Express::BucketPolicy" => self.document(
                id,
                ty,
                props,
                "PolicyDocument",
                path,
                res("AWS::S3Express::DirectoryBucket"),
            )?,
            "AWS::S3Tables::TableBucketPolicy" => self.document(
                id,
                ty,
                props,
                "ResourcePolicy",
                path,
                res("AWS::S3Tables::TableBucket"),
            )?,
            "AWS::S3Tables::TablePolicy" => self.document(
                id,
                ty,
                props,
                "ResourcePolicy",
                path,
                res("AWS::S3Tables::Table"),
            )?,
            "AWS::CodeArtifact::Domain" => self.document(
                id,
                ty,
                props,
                "PermissionsPolicyDocument",
                path,
                res("AWS::CodeArtifact::Domain"),
            )?,
            "AWS::CodeArtifact::Repository" => self.document(
                id,
                ty,
                props,
                "PermissionsPolicyDocument",
                path,
                plain_resource,
            )?,
            "AWS::CloudTrail::ResourcePolicy" => {
                let pt = self.cloudtrail_policy_type(props);
                self.document(id, ty, props, "ResourcePolicy", path, pt)?
            }
            _ => {}
        }
        Ok(())
    }

    /// The Access Analyzer type of an `AWS::CloudTrail::ResourcePolicy`, by the resource its
    /// `ResourceArn` names (a dashboard, an event data store; a channel, or an ARN not known,
    /// has none).
    fn cloudtrail_policy_type(&self, props: &Value) -> PolicyType {
        let arn = props
            .get("ResourceArn")
            .and_then(|raw| self.ctx.resolve(raw).ok().flatten())
            .and_then(|v| parts_of(&v))
            .map(|p| render_parts(&p))
            .unwrap_or_default();
        let resource = arn.splitn(6, ':').nth(5).unwrap_or("");
        if resource.starts_with("dashboard/") {
            PolicyType::resource("AWS::CloudTrail::Dashboard")
        } else if resource.starts_with("eventdatastore/") {
            PolicyType::resource("AWS::CloudTrail::EventDataStore")
        } else {
            PolicyType::ResourcePolicy {
                resource_type: None,
            }
        }
    }

    fn name_of(&self, props: &Value, key: &str, path: &str) -> Result<Option<String>, Fail> {
        Ok(self
            .prop(props, key, path)?
            .and_then(|v| parts_of(&v))
            .map(|p| render_parts(&p)))
    }

    fn document(
        &mut self,
        id: &str,
        ty: &str,
        props: &Value,
        key: &str,
        path: &str,
        pt: PolicyType,
    ) -> Result<(), Fail> {
        self.document_named(id, ty, props, key, None, path, pt)
    }

    #[allow(clippy::too_many_arguments)]
    fn document_named(
        &mut self,
        id: &str,
        ty: &str,
        props: &Value,
        key: &str,
        name: Option<String>,
        path: &str,
        pt: PolicyType,
    ) -> Result<(), Fail> {
        let name = name.unwrap_or_else(|| key.to_string());
        let doc = match self.prop(props, key, path) {
            Ok(Some(d)) => d,
            Ok(None) => return Ok(()),
            Err(Fail::Skip(reason, loc)) => {
                self.not_analysable(id, ty, &name, loc, reason);
                return Ok(());
            }
            Err(f) => return Err(f),
        };
        let source_path = format!("{path}.{key}");
        self.push(id, ty, &name, &source_path, doc, pt);
        Ok(())
    }

    /// Adds a resolved document (parsing it when it is a JSON string).
    fn push(
        &mut self,
        id: &str,
        ty: &str,
        name: &str,
        source_path: &str,
        doc: Value,
        pt: PolicyType,
    ) {
        let location = doc.location;
        let (document, from_string) = match &doc.kind {
            Kind::Map(_) => (doc, false),
            Kind::String(s) => match crate::read::read_json(self.file, s) {
                Ok(mut d) => {
                    relocate(&mut d, location);
                    (d, true)
                }
                Err(e) => {
                    self.not_analysable(
                        id,
                        ty,
                        name,
                        location,
                        format!(
                            "the policy is a string that is not a JSON document: {}",
                            crate::read::string_error(&e)
                        ),
                    );
                    return;
                }
            },
            Kind::Unknown(u) => {
                self.not_analysable(
                    id,
                    ty,
                    name,
                    location,
                    format!("the whole policy document is unknown ({u})"),
                );
                return;
            }
            Kind::Partial(_) => {
                self.not_analysable(
                    id,
                    ty,
                    name,
                    location,
                    format!(
                        "the policy is a JSON string built from values not known ({})",
                        doc.unknowns().join(", ")
                    ),
                );
                return;
            }
            _ => {
                self.not_analysable(
                    id,
                    ty,
                    name,
                    location,
                    "the policy document must be a mapping or a JSON string".to_string(),
                );
                return;
            }
        };
        let statement_locations = match document.get("Statement").map(|s| &s.kind) {
            Some(Kind::Seq(items)) if !from_string => items.iter().map(|s| s.location).collect(),
            Some(Kind::Seq(items)) => items.iter().map(|_| location).collect(),
            Some(_) if !from_string => vec![document.get("Statement").and_then(|s| s.location)],
            Some(_) => vec![location],
            None => Vec::new(),
        };
        self.out.policies.push(ExtractedPolicy {
            format: self.format,
            file: self.file.to_string(),
            resource: id.to_string(),
            resource_type: ty.to_string(),
            physical_name: self.name.clone(),
            policy_name: name.to_string(),
            source_path: source_path.to_string(),
            policy_type: pt,
            document,
            location,
            statement_locations,
        });
    }

    fn inline_policies(
        &mut self,
        id: &str,
        ty: &str,
        props: &Value,
        path: &str,
    ) -> Result<(), Fail> {
        let list = match self.prop(props, "Policies", path) {
            Ok(Some(l)) => l,
            Ok(None) => return Ok(()),
            Err(Fail::Skip(reason, loc)) => {
                self.not_analysable(id, ty, "Policies", loc, reason);
                return Ok(());
            }
            Err(f) => return Err(f),
        };
        let Some(items) = list.as_seq() else {
            self.not_analysable(
                id,
                ty,
                "Policies",
                list.location,
                format!("Policies is not a list ({})", list.unknowns().join(", ")),
            );
            return Ok(());
        };
        for (i, item) in items.iter().enumerate() {
            let name = item
                .get("PolicyName")
                .and_then(parts_of)
                .map(|p| render_parts(&p))
                .unwrap_or_else(|| format!("Policies[{i}]"));
            match item.get("PolicyDocument") {
                Some(doc) => self.push(
                    id,
                    ty,
                    &name,
                    &format!("{path}.Policies[{i}].PolicyDocument"),
                    doc.clone(),
                    PolicyType::IdentityPolicy,
                ),
                None => self.not_analysable(
                    id,
                    ty,
                    &name,
                    item.location,
                    format!("Policies[{i}] has no PolicyDocument"),
                ),
            }
        }
        Ok(())
    }

    fn managed_arns(&mut self, id: &str, props: &Value, path: &str) -> Result<(), Fail> {
        let Ok(Some(list)) = self.prop(props, "ManagedPolicyArns", path) else {
            return Ok(());
        };
        let arns: Vec<String> = match list.as_seq() {
            Some(items) => items
                .iter()
                .map(|v| {
                    parts_of(v)
                        .map(|p| render_parts(&p))
                        .unwrap_or_else(|| "?".into())
                })
                .collect(),
            None => vec![render_parts(&parts_of(&list).unwrap_or_default())],
        };
        self.note(
            id,
            list.location,
            format!(
                "managed policies attached (not analysed here): {}",
                arns.join(", ")
            ),
        );
        Ok(())
    }

    fn sam_policies(&mut self, id: &str, ty: &str, props: &Value, path: &str) -> Result<(), Fail> {
        let list = match self.prop(props, "Policies", path) {
            Ok(Some(l)) => l,
            Ok(None) => return Ok(()),
            Err(Fail::Skip(reason, loc)) => {
                self.not_analysable(id, ty, "Policies", loc, reason);
                return Ok(());
            }
            Err(f) => return Err(f),
        };
        let items: Vec<Value> = match &list.kind {
            Kind::Seq(items) => items.clone(),
            _ => vec![list.clone()],
        };
        let single = !matches!(list.kind, Kind::Seq(_));
        for (i, item) in items.into_iter().enumerate() {
            let name = if single {
                "Policies".to_string()
            } else {
                format!("Policies[{i}]")
            };
            let sp = if single {
                format!("{path}.Policies")
            } else {
                format!("{path}.Policies[{i}]")
            };
            match &item.kind {
                Kind::Map(_) if item.get("Statement").is_some() => {
                    self.push(id, ty, &name, &sp, item, PolicyType::IdentityPolicy)
                }
                Kind::Map(m) => {
                    let t = m.first().map(|(k, _)| k.clone()).unwrap_or_default();
                    self.note(
                        id,
                        item.location,
                        format!("SAM policy template {t} in {name} is not expanded; not analysed"),
                    );
                }
                Kind::String(s) => self.note(
                    id,
                    item.location,
                    format!("managed policy {s} attached by {name} (not analysed here)"),
                ),
                _ => self.not_analysable(
                    id,
                    ty,
                    &name,
                    item.location,
                    format!("{name} is not known ({})", item.unknowns().join(", ")),
                ),
            }
        }
        Ok(())
    }
}

/// Text of parts, unknowns as `${what}`.
fn render_parts(parts: &[Part]) -> String {
    parts
        .iter()
        .map(|p| match p {
            Part::Text(t) => t.clone(),
            Part::Unknown(u) => format!("${{{u}}}"),
        })
        .collect()
}

/// Sets every location of a tree (a document parsed from a string sits at the string).
fn relocate(v: &mut Value, loc: Option<Location>) {
    v.location = loc;
    match &mut v.kind {
        Kind::Seq(items) => items.iter_mut().for_each(|i| relocate(i, loc)),
        Kind::Map(m) => m.iter_mut().for_each(|(_, i)| relocate(i, loc)),
        _ => {}
    }
}
