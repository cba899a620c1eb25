//! Terraform plans, as `terraform show -json` prints them.
//!
//! The planned (after) policies come from `planned_values.root_module` and every
//! `child_modules` level below it, with `resource_changes[].change.after_unknown` telling which
//! attributes are known only after apply; the before policies come from
//! `resource_changes[].change.before`. `aws_iam_policy_document` data sources contribute their
//! `json` attribute from `prior_state` (and from the planned values when they are there).
//!
//! Which attributes hold policies (all JSON strings) and of which type follows the Terraform AWS
//! provider's documentation (the table is [`policy_attributes`]). `aws_lambda_permission` has no policy attribute:
//! the statement it adds is built from its attributes. A policy attribute known only after apply
//! makes the resource *not analysable* (the whole document is unknown); inside a built Lambda
//! statement, unknown attributes are explicit unknowns. Unknown fields of the plan are ignored;
//! a `format_version` newer than 1.x is noted.

use std::collections::HashMap;

use crate::error::TemplateError;
use crate::model::{
    ExtractedPolicy, Extraction, Format, Location, NotAnalysable, Note, PolicyType,
};
use crate::value::{concat, parts_of, Kind, Part, Value};

/// Which state of the plan to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanSide {
    /// The planned values (after apply).
    After,
    /// The values before the change (the current state).
    Before,
}

/// How a policy attribute's type is known.
#[derive(Debug, Clone, Copy)]
enum Kindof {
    Identity,
    Resource(Option<&'static str>),
    /// `aws_organizations_policy`: from its `type` attribute.
    Organizations,
}

/// Policy attributes per resource type: `attr` (a top-level attribute) or `list[].attr` (an
/// attribute of each item of a list attribute).
const ATTRIBUTES: &[(&str, &str, Kindof)] = {
    use Kindof::{Identity, Organizations, Resource};
    &[
        ("aws_iam_policy", "policy", Identity),
        ("aws_iam_role_policy", "policy", Identity),
        ("aws_iam_user_policy", "policy", Identity),
        ("aws_iam_group_policy", "policy", Identity),
        (
            "aws_iam_role",
            "assume_role_policy",
            Resource(Some("AWS::IAM::AssumeRolePolicyDocument")),
        ),
        ("aws_iam_role", "inline_policy[].policy", Identity),
        (
            "aws_ssoadmin_permission_set_inline_policy",
            "inline_policy",
            Identity,
        ),
        ("aws_iot_policy", "policy", Identity),
        ("aws_transfer_access", "policy", Identity),
        ("aws_transfer_user", "policy", Identity),
        ("aws_organizations_policy", "content", Organizations),
        ("aws_s3_bucket", "policy", Resource(Some("AWS::S3::Bucket"))),
        (
            "aws_s3_bucket_policy",
            "policy",
            Resource(Some("AWS::S3::Bucket")),
        ),
        (
            "aws_s3control_bucket_policy",
            "policy",
            Resource(Some("AWS::S3Outposts::Bucket")),
        ),
        (
            "aws_s3_access_point",
            "policy",
            Resource(Some("AWS::S3::AccessPoint")),
        ),
        (
            "aws_s3control_access_point_policy",
            "policy",
            Resource(Some("AWS::S3::AccessPoint")),
        ),
        (
            "aws_s3control_multi_region_access_point_policy",
            "details[].policy",
            Resource(None),
        ),
        (
            "aws_s3control_object_lambda_access_point_policy",
            "policy",
            Resource(None),
        ),
        (
            "aws_s3tables_table_bucket_policy",
            "resource_policy",
            Resource(Some("AWS::S3Tables::TableBucket")),
        ),
        (
            "aws_s3tables_table_policy",
            "resource_policy",
            Resource(Some("AWS::S3Tables::Table")),
        ),
        ("aws_kms_key", "policy", Resource(Some("AWS::KMS::Key"))),
        (
            "aws_kms_external_key",
            "policy",
            Resource(Some("AWS::KMS::Key")),
        ),
        (
            "aws_kms_replica_key",
            "policy",
            Resource(Some("AWS::KMS::Key")),
        ),
        (
            "aws_kms_replica_external_key",
            "policy",
            Resource(Some("AWS::KMS::Key")),
        ),
        ("aws_sqs_queue", "policy", Resource(Some("AWS::SQS::Queue"))),
        (
            "aws_sqs_queue_policy",
            "policy",
            Resource(Some("AWS::SQS::Queue")),
        ),
        ("aws_sns_topic", "policy", Resource(Some("AWS::SNS::Topic"))),
        (
            "aws_sns_topic_policy",
            "policy",
            Resource(Some("AWS::SNS::Topic")),
        ),
        (
            "aws_secretsmanager_secret",
            "policy",
            Resource(Some("AWS::SecretsManager::Secret")),
        ),
        (
            "aws_secretsmanager_secret_policy",
            "policy",
            Resource(Some("AWS::SecretsManager::Secret")),
        ),
        (
            "aws_opensearch_domain",
            "access_policies",
            Resource(Some("AWS::OpenSearchService::Domain")),
        ),
        (
            "aws_opensearch_domain_policy",
            "access_policies",
            Resource(Some("AWS::OpenSearchService::Domain")),
        ),
        (
            "aws_elasticsearch_domain",
            "access_policies",
            Resource(Some("AWS::OpenSearchService::Domain")),
        ),
        (
            "aws_elasticsearch_domain_policy",
            "access_policies",
            Resource(Some("AWS::OpenSearchService::Domain")),
        ),
        (
            "aws_efs_file_system_policy",
            "policy",
            Resource(Some("AWS::EFS::FileSystem")),
        ),
        (
            "aws_backup_vault_policy",
            "policy",
            Resource(Some("AWS::Backup::BackupVault")),
        ),
        (
            "aws_api_gateway_rest_api",
            "policy",
            Resource(Some("AWS::ApiGateway::RestApi")),
        ),
        (
            "aws_api_gateway_rest_api_policy",
            "policy",
            Resource(Some("AWS::ApiGateway::RestApi")),
        ),
        (
            "aws_dynamodb_resource_policy",
            "policy",
            Resource(Some("AWS::DynamoDB::Table")),
        ),
        (
            "aws_kinesis_resource_policy",
            "policy",
            Resource(Some("AWS::Kinesis::Stream")),
        ),
        (
            "aws_codeartifact_domain_permissions_policy",
            "policy_document",
            Resource(Some("AWS::CodeArtifact::Domain")),
        ),
        (
            "aws_codeartifact_repository_permissions_policy",
            "policy_document",
            Resource(None),
        ),
        (
            "aws_glacier_vault",
            "access_policy",
            Resource(Some("AWS::S3::Glacier")),
        ),
        (
            "aws_glacier_vault_lock",
            "policy",
            Resource(Some("AWS::S3::Glacier")),
        ),
        ("aws_cloudwatch_event_bus_policy", "policy", Resource(None)),
        (
            "aws_cloudwatch_log_destination_policy",
            "access_policy",
            Resource(None),
        ),
        (
            "aws_cloudwatch_log_resource_policy",
            "policy_document",
            Resource(None),
        ),
        ("aws_codebuild_resource_policy", "policy", Resource(None)),
        ("aws_ecr_registry_policy", "policy", Resource(None)),
        ("aws_ecr_repository_policy", "policy", Resource(None)),
        ("aws_ecrpublic_repository_policy", "policy", Resource(None)),
        ("aws_glue_resource_policy", "policy", Resource(None)),
        ("aws_media_store_container_policy", "policy", Resource(None)),
        (
            "aws_networkfirewall_resource_policy",
            "policy",
            Resource(None),
        ),
        ("aws_ses_identity_policy", "policy", Resource(None)),
        (
            "aws_sagemaker_model_package_group_policy",
            "resource_policy",
            Resource(None),
        ),
        ("aws_vpc_endpoint", "policy", Resource(None)),
    ]
};

/// The policy attributes of a Terraform resource type, as `attr` or `list[].attr`.
pub fn policy_attributes(tf_type: &str) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = ATTRIBUTES
        .iter()
        .filter(|(t, _, _)| *t == tf_type)
        .map(|(_, a, _)| *a)
        .collect();
    if tf_type == "aws_lambda_permission" {
        v.push("(statement)");
    }
    v
}

struct Ctx<'a> {
    file: &'a str,
    /// `configuration.root_module`, to tell a computed attribute from a configured one.
    configuration: Option<&'a Value>,
    partition: String,
    region: String,
    account: String,
    out: Extraction,
}

/// Extracts the policies of one side of a plan already read into a tree.
pub(crate) fn extract_plan(
    file: &str,
    plan: &Value,
    side: PlanSide,
    region: &str,
    account: &str,
) -> Result<Extraction, TemplateError> {
    if plan.as_map().is_none() {
        return Err(TemplateError::invalid(
            file,
            plan.location,
            "",
            "a Terraform plan must be a JSON object",
        ));
    }
    let mut cx = Ctx {
        file,
        configuration: plan.get("configuration").and_then(|c| c.get("root_module")),
        partition: crate::cfn::resolve::partition_of(region).to_string(),
        region: region.to_string(),
        account: account.to_string(),
        out: Extraction {
            format: Format::Terraform,
            policies: Vec::new(),
            not_analysable: Vec::new(),
            notes: Vec::new(),
        },
    };
    match plan.get("format_version").and_then(Value::as_str) {
        Some(v) if v.split('.').next() == Some("1") || v.starts_with("0.") => {}
        Some(v) => cx.note(None, plan.location, format!("plan format_version {v} is newer than the 1.x this reader knows; unknown fields are ignored")),
        None => cx.note(None, plan.location, "the plan has no format_version; reading it as 1.x".into()),
    }
    if plan.get("planned_values").is_none() && plan.get("resource_changes").is_none() {
        return Err(TemplateError::invalid(
            file,
            plan.location,
            "",
            "not a Terraform plan: no planned_values or resource_changes (expected `terraform show -json` output)",
        ));
    }
    let changes: Vec<(usize, &Value)> = plan
        .get("resource_changes")
        .and_then(Value::as_seq)
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .collect();
    match side {
        PlanSide::After => {
            let unknown_by_address: HashMap<&str, &Value> = changes
                .iter()
                .filter_map(|(_, c)| {
                    Some((
                        c.get("address")?.as_str()?,
                        c.get("change")?.get("after_unknown")?,
                    ))
                })
                .collect();
            let mut seen = std::collections::HashSet::new();
            if let Some(root) = plan
                .get("planned_values")
                .and_then(|p| p.get("root_module"))
            {
                cx.module(
                    root,
                    "planned_values.root_module",
                    &unknown_by_address,
                    &mut seen,
                );
            }
            // Resources whose after values are in resource_changes only (should not happen).
            for (i, c) in &changes {
                let Some(addr) = c.get("address").and_then(Value::as_str) else {
                    continue;
                };
                if seen.contains(addr) {
                    continue;
                }
                let deleted = c
                    .get("change")
                    .and_then(|ch| ch.get("actions"))
                    .and_then(Value::as_seq)
                    .is_some_and(|a| {
                        a.iter().any(|x| x.as_str() == Some("delete"))
                            && !a.iter().any(|x| x.as_str() == Some("create"))
                    });
                if deleted {
                    continue;
                }
                if let Some(after) = c.get("change").and_then(|ch| ch.get("after")) {
                    let unk = c.get("change").and_then(|ch| ch.get("after_unknown"));
                    cx.resource(
                        c,
                        after,
                        unk,
                        &format!("resource_changes[{i}].change.after"),
                    );
                }
            }
        }
        PlanSide::Before => {
            for (i, c) in &changes {
                if let Some(before) = c.get("change").and_then(|ch| ch.get("before")) {
                    if matches!(before.kind, Kind::Map(_)) {
                        cx.resource(
                            c,
                            before,
                            None,
                            &format!("resource_changes[{i}].change.before"),
                        );
                    }
                }
            }
        }
    }
    // Data sources read at plan time.
    if let Some(root) = plan
        .get("prior_state")
        .and_then(|p| p.get("values"))
        .and_then(|v| v.get("root_module"))
    {
        cx.data_sources(root, "prior_state.values.root_module");
    }
    Ok(cx.out)
}

impl Ctx<'_> {
    fn note(&mut self, resource: Option<&str>, location: Option<Location>, message: String) {
        self.out.notes.push(Note {
            file: self.file.to_string(),
            resource: resource.map(str::to_string),
            location,
            message,
        });
    }

    fn module<'v>(
        &mut self,
        m: &'v Value,
        path: &str,
        unknown: &HashMap<&str, &Value>,
        seen: &mut std::collections::HashSet<&'v str>,
    ) {
        for (i, r) in m
            .get("resources")
            .and_then(Value::as_seq)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            let Some(addr) = r.get("address").and_then(Value::as_str) else {
                continue;
            };
            seen.insert(addr);
            if r.get("mode").and_then(Value::as_str) == Some("data") {
                self.data_source(r, &format!("{path}.resources[{i}]"));
                continue;
            }
            let Some(values) = r.get("values") else {
                continue;
            };
            self.resource(
                r,
                values,
                unknown.get(addr).copied(),
                &format!("{path}.resources[{i}].values"),
            );
        }
        for (i, c) in m
            .get("child_modules")
            .and_then(Value::as_seq)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            self.module(c, &format!("{path}.child_modules[{i}]"), unknown, seen);
        }
    }

    fn data_sources(&mut self, m: &Value, path: &str) {
        for (i, r) in m
            .get("resources")
            .and_then(Value::as_seq)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            if r.get("mode").and_then(Value::as_str) == Some("data") {
                self.data_source(r, &format!("{path}.resources[{i}]"));
            }
        }
        for (i, c) in m
            .get("child_modules")
            .and_then(Value::as_seq)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            self.data_sources(c, &format!("{path}.child_modules[{i}]"));
        }
    }

    /// An `aws_iam_policy_document` data source: its `json`, an identity policy until used (a
    /// resource policy when a statement names a principal).
    fn data_source(&mut self, r: &Value, path: &str) {
        if r.get("type").and_then(Value::as_str) != Some("aws_iam_policy_document") {
            return;
        }
        let addr = r
            .get("address")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        if self.out.policies.iter().any(|p| p.resource == addr) {
            return;
        }
        match r.get("values").and_then(|v| v.get("json")) {
            Some(j) if j.as_str().is_some() => {
                self.push(&addr, "aws_iam_policy_document", "json", &format!("{path}.values.json"), j, PolicyType::IdentityPolicy);
                // A document with a principal is a resource policy (read as an identity policy
                // it would not parse, and block the report for nothing).
                if let Some(p) = self.out.policies.last_mut().filter(|p| p.resource == addr) {
                    if names_principal(&p.document) {
                        p.policy_type = PolicyType::ResourcePolicy { resource_type: None };
                    }
                }
            }
            _ => self.note(Some(&addr), r.location, "aws_iam_policy_document whose json is not known at plan time; the resources using it are reported on their own".into()),
        }
    }

    fn resource(&mut self, r: &Value, values: &Value, unknown: Option<&Value>, path: &str) {
        let Some(ty) = r.get("type").and_then(Value::as_str) else {
            return;
        };
        let addr = r
            .get("address")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        if r.get("mode").and_then(Value::as_str) == Some("data") {
            return;
        }
        if ty == "aws_lambda_permission" {
            self.lambda_permission(&addr, values, unknown, path);
            return;
        }
        for (t, attr, kind) in ATTRIBUTES {
            if *t != ty {
                continue;
            }
            let kind = match kind {
                Kindof::Identity => Some(PolicyType::IdentityPolicy),
                Kindof::Resource(rt) => Some(PolicyType::ResourcePolicy {
                    resource_type: rt.map(str::to_string),
                }),
                Kindof::Organizations => match values.get("type").and_then(Value::as_str) {
                    Some("SERVICE_CONTROL_POLICY") => Some(PolicyType::ServiceControlPolicy),
                    Some("RESOURCE_CONTROL_POLICY") => Some(PolicyType::ResourceControlPolicy),
                    Some(other) => {
                        self.note(Some(&addr), r.location, format!("Organizations policy of type {other} is not an IAM policy; not analysed"));
                        None
                    }
                    None => {
                        self.not_analysable(
                            &addr,
                            ty,
                            "content",
                            values.location,
                            "the policy type is not known".into(),
                        );
                        None
                    }
                },
            };
            let Some(kind) = kind else { continue };
            match attr.split_once("[].") {
                None => {
                    let unk = unknown.and_then(|u| u.get(attr)).is_some_and(is_true);
                    self.attribute(
                        &addr,
                        ty,
                        attr,
                        &format!("{path}.{attr}"),
                        values.get(attr),
                        unk,
                        values.location,
                        kind,
                    );
                }
                Some((list, inner)) => {
                    let list_unknown = unknown.and_then(|u| u.get(list));
                    if list_unknown.is_some_and(is_true) {
                        if self.configured(&addr, list) == Some(false) {
                            self.note(
                                Some(&addr),
                                values.location,
                                format!("{list} is computed by the provider (not set in the configuration)"),
                            );
                            continue;
                        }
                        self.not_analysable(
                            &addr,
                            ty,
                            list,
                            values.location,
                            format!("{list} is known only after apply"),
                        );
                        continue;
                    }
                    for (i, item) in values
                        .get(list)
                        .and_then(Value::as_seq)
                        .unwrap_or(&[])
                        .iter()
                        .enumerate()
                    {
                        let unk = list_unknown
                            .and_then(Value::as_seq)
                            .and_then(|s| s.get(i))
                            .and_then(|u| u.get(inner))
                            .is_some_and(is_true);
                        let name = item
                            .get("name")
                            .and_then(Value::as_str)
                            .filter(|n| !n.is_empty())
                            .map(|n| format!("{list}[{n}].{inner}"))
                            .unwrap_or_else(|| format!("{list}[{i}].{inner}"));
                        self.attribute(
                            &addr,
                            ty,
                            &name,
                            &format!("{path}.{list}[{i}].{inner}"),
                            item.get(inner),
                            unk,
                            item.location,
                            kind.clone(),
                        );
                    }
                }
            }
        }
    }

    /// Whether the configuration sets `attr` on the resource at `addr` (`None`: the resource is
    /// not found in the configuration).
    fn configured(&self, addr: &str, attr: &str) -> Option<bool> {
        let (modules, resource) = split_address(addr);
        let mut m = self.configuration?;
        for name in modules {
            m = m.get("module_calls")?.get(&name)?.get("module")?;
        }
        let r = m
            .get("resources")?
            .as_seq()?
            .iter()
            .find(|r| r.get("address").and_then(Value::as_str) == Some(resource.as_str()))?;
        Some(r.get("expressions").and_then(|e| e.get(attr)).is_some())
    }

    #[allow(clippy::too_many_arguments)]
    fn attribute(
        &mut self,
        addr: &str,
        ty: &str,
        name: &str,
        source_path: &str,
        v: Option<&Value>,
        unknown: bool,
        owner: Option<Location>,
        kind: PolicyType,
    ) {
        if unknown {
            let attr = name.split(['[', '.']).next().unwrap_or(name);
            if self.configured(addr, attr) == Some(false) {
                self.note(
                    Some(addr),
                    owner,
                    format!("{name} is computed by the provider (not set in the configuration); the policy is read from the resource that sets it"),
                );
                return;
            }
            let reason = format!("{name} is known only after apply");
            self.not_analysable(addr, ty, name, owner, reason);
            return;
        }
        let Some(v) = v else { return };
        match &v.kind {
            Kind::Null => {}
            Kind::String(s) if s.trim().is_empty() => {}
            _ => self.push(addr, ty, name, source_path, v, kind),
        }
    }

    fn not_analysable(
        &mut self,
        addr: &str,
        ty: &str,
        name: &str,
        location: Option<Location>,
        reason: String,
    ) {
        self.out.not_analysable.push(NotAnalysable {
            file: self.file.to_string(),
            resource: addr.to_string(),
            resource_type: ty.to_string(),
            policy_name: name.to_string(),
            location,
            reason,
        });
    }

    fn push(
        &mut self,
        addr: &str,
        ty: &str,
        name: &str,
        source_path: &str,
        v: &Value,
        kind: PolicyType,
    ) {
        let location = v.location;
        let document = match &v.kind {
            Kind::String(s) => match crate::read::read_json(self.file, s) {
                Ok(mut d) => {
                    strip(&mut d, location);
                    d
                }
                Err(e) => {
                    let reason = format!(
                        "{name} is not a JSON policy document: {}",
                        crate::read::string_error(&e)
                    );
                    self.not_analysable(addr, ty, name, location, reason);
                    return;
                }
            },
            Kind::Map(_) => v.clone(),
            _ => {
                let reason = format!("{name} is not a JSON policy document");
                self.not_analysable(addr, ty, name, location, reason);
                return;
            }
        };
        let n = match document.get("Statement").map(|s| &s.kind) {
            Some(Kind::Seq(items)) => items.len(),
            Some(_) => 1,
            None => 0,
        };
        self.out.policies.push(ExtractedPolicy {
            format: Format::Terraform,
            file: self.file.to_string(),
            resource: addr.to_string(),
            resource_type: ty.to_string(),
            physical_name: None,
            policy_name: name.to_string(),
            source_path: source_path.to_string(),
            policy_type: kind,
            document,
            location,
            statement_locations: vec![location; n],
        });
    }

    /// The statement an `aws_lambda_permission` adds to its function's policy.
    fn lambda_permission(
        &mut self,
        addr: &str,
        values: &Value,
        unknown: Option<&Value>,
        path: &str,
    ) {
        let get = |k: &str| -> Option<Value> {
            if unknown.and_then(|u| u.get(k)).is_some_and(is_true) {
                return Some(Value::unknown(
                    format!("{addr}.{k} (known after apply)"),
                    values.location,
                ));
            }
            match values.get(k) {
                None => None,
                Some(v) if matches!(v.kind, Kind::Null) => None,
                Some(v) if v.as_str() == Some("") => None,
                Some(v) => Some(v.clone()),
            }
        };
        let principal = get("principal")
            .unwrap_or_else(|| Value::unknown(format!("{addr}.principal"), values.location));
        let principal = match principal.as_str() {
            Some("*") => principal,
            Some(s) if s.ends_with(".amazonaws.com") || s.ends_with(".amazonaws.com.cn") => {
                Value::new(
                    Kind::Map(vec![("Service".into(), principal.clone())]),
                    principal.location,
                )
            }
            Some(_) => Value::new(
                Kind::Map(vec![("AWS".into(), principal.clone())]),
                principal.location,
            ),
            None => principal,
        };
        let function = get("function_name")
            .unwrap_or_else(|| Value::unknown(format!("{addr}.function_name"), values.location));
        let resource = match function.as_str() {
            Some(f) if f.starts_with("arn:") => function.clone(),
            _ => {
                let mut parts = vec![Part::Text(format!(
                    "arn:{}:lambda:{}:{}:function:",
                    self.partition, self.region, self.account
                ))];
                parts.extend(
                    parts_of(&function)
                        .unwrap_or_else(|| vec![Part::Unknown(format!("{addr}.function_name"))]),
                );
                if let Some(q) = get("qualifier").and_then(|q| parts_of(&q)) {
                    parts.push(Part::Text(":".into()));
                    parts.extend(q);
                }
                concat(parts, function.location)
            }
        };
        let mut conditions: Vec<(String, Value)> = Vec::new();
        let mut add = |op: &str, key: &str, v: Option<Value>| {
            if let Some(v) = v {
                let entry = (key.to_string(), v);
                match conditions.iter_mut().find(|(o, _)| o == op) {
                    Some((
                        _,
                        Value {
                            kind: Kind::Map(m), ..
                        },
                    )) => m.push(entry),
                    _ => {
                        conditions.push((op.to_string(), Value::new(Kind::Map(vec![entry]), None)))
                    }
                }
            }
        };
        add("ArnLike", "AWS:SourceArn", get("source_arn"));
        add("StringEquals", "AWS:SourceAccount", get("source_account"));
        add(
            "StringEquals",
            "aws:PrincipalOrgID",
            get("principal_org_id"),
        );
        add(
            "StringEquals",
            "lambda:EventSourceToken",
            get("event_source_token"),
        );
        add(
            "StringEquals",
            "lambda:FunctionUrlAuthType",
            get("function_url_auth_type"),
        );
        let mut stmt = vec![
            (
                "Sid".to_string(),
                get("statement_id").unwrap_or_else(|| Value::string(addr, None)),
            ),
            ("Effect".to_string(), Value::string("Allow", None)),
            ("Principal".to_string(), principal),
            (
                "Action".to_string(),
                get("action")
                    .unwrap_or_else(|| Value::unknown(format!("{addr}.action"), values.location)),
            ),
            ("Resource".to_string(), resource),
        ];
        if !conditions.is_empty() {
            stmt.push((
                "Condition".to_string(),
                Value::new(Kind::Map(conditions), None),
            ));
        }
        let doc = Value::new(
            Kind::Map(vec![
                ("Version".into(), Value::string("2012-10-17", None)),
                (
                    "Statement".into(),
                    Value::new(
                        Kind::Seq(vec![Value::new(Kind::Map(stmt), values.location)]),
                        values.location,
                    ),
                ),
            ]),
            values.location,
        );
        self.push(
            addr,
            "aws_lambda_permission",
            "(statement)",
            path,
            &doc,
            PolicyType::resource("AWS::Lambda::Function"),
        );
    }
}

fn is_true(v: &Value) -> bool {
    matches!(v.kind, Kind::Bool(true))
}

/// A document parsed from a JSON string sits at the string's location in the plan.
fn strip(v: &mut Value, loc: Option<Location>) {
    v.location = loc;
    match &mut v.kind {
        Kind::Seq(items) => items.iter_mut().for_each(|i| strip(i, loc)),
        Kind::Map(m) => m.iter_mut().for_each(|(_, i)| strip(i, loc)),
        _ => {}
    }
}

/// Whether a statement of the document has `Principal` or `NotPrincipal`.
fn names_principal(document: &Value) -> bool {
    let has = |s: &Value| s.get("Principal").is_some() || s.get("NotPrincipal").is_some();
    match document.get("Statement").map(|s| &s.kind) {
        Some(Kind::Seq(items)) => items.iter().any(has),
        Some(_) => document.get("Statement").is_some_and(has),
        None => false,
    }
}

/// The module names and the `type.name` (or `data.type.name`) of a resource address, index keys
/// removed: `module.a["x"].module.b.aws_iam_role.r[0]` gives `([a, b], "aws_iam_role.r")`.
fn split_address(addr: &str) -> (Vec<String>, String) {
    let mut plain = String::new();
    let mut depth = 0usize;
    let mut in_str = false;
    let mut escaped = false;
    for c in addr.chars() {
        if in_str {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
            }
            continue;
        }
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '"' if depth > 0 => in_str = true,
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let mut tokens = plain.split('.').peekable();
    let mut modules = Vec::new();
    let mut rest = Vec::new();
    while let Some(t) = tokens.next() {
        if t == "module" && rest.is_empty() {
            if let Some(name) = tokens.next() {
                modules.push(name.to_string());
            }
        } else {
            rest.push(t);
        }
    }
    (modules, rest.join("."))
}

#[cfg(test)]
mod tests {
    use super::split_address;

    #[test]
    fn addresses_split_into_modules_and_resource() {
        assert_eq!(
            split_address("module.a[\"x.y\"].module.b.aws_iam_role.r[0]"),
            (
                vec!["a".to_string(), "b".to_string()],
                "aws_iam_role.r".to_string()
            )
        );
        assert_eq!(
            split_address("data.aws_iam_policy_document.d"),
            (vec![], "data.aws_iam_policy_document.d".to_string())
        );
    }
}
