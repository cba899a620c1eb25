//! Access Analyzer's four policy operations: reading a request's members exactly as the service
//! model defines them, and answering it with the engine, as the command line does.
//!
//! Member checks follow the model (`required`, enum value sets, list limits). A document that is
//! not a policy is a `ValidationException` (`fieldValidationFailed`, the member named in
//! `fieldList`, the message giving line:column and the JSON path) for the three checks, as the
//! command line rejects it with status 2; for `ValidatePolicy` it is a finding, as in AWS.

use crate::error::{ApiError, FieldError};
use iamproof_checks::{AccessSpec, CheckKind, CheckOptions, CheckResult, ResourceType};
use iamproof_policy::{parse_policy, validate_policy, PolicyType};
use serde_json::{json, Map, Value};

/// The operations the server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operation {
    /// Access Analyzer `ValidatePolicy` (`POST /policy/validation`).
    ValidatePolicy,
    /// Access Analyzer `CheckNoNewAccess` (`POST /policy/check-no-new-access`).
    CheckNoNewAccess,
    /// Access Analyzer `CheckAccessNotGranted` (`POST /policy/check-access-not-granted`).
    CheckAccessNotGranted,
    /// Access Analyzer `CheckNoPublicAccess` (`POST /policy/check-no-public-access`).
    CheckNoPublicAccess,
    /// STS `GetCallerIdentity` (query protocol, `POST /`).
    GetCallerIdentity,
    /// `GET /healthz`.
    Health,
    /// `GET /metrics`.
    Metrics,
    /// Anything else (answered with the service's unknown-operation error).
    Unknown,
}

impl Operation {
    /// The operation's name as the service model spells it (used in logs and metrics).
    pub fn name(self) -> &'static str {
        match self {
            Operation::ValidatePolicy => "ValidatePolicy",
            Operation::CheckNoNewAccess => "CheckNoNewAccess",
            Operation::CheckAccessNotGranted => "CheckAccessNotGranted",
            Operation::CheckNoPublicAccess => "CheckNoPublicAccess",
            Operation::GetCallerIdentity => "GetCallerIdentity",
            Operation::Health => "Health",
            Operation::Metrics => "Metrics",
            Operation::Unknown => "Unknown",
        }
    }

    /// The Access Analyzer operation at `method` and `path` (the model's `http` trait), if any.
    pub fn access_analyzer(method: &str, path: &str) -> Option<Operation> {
        if method != "POST" {
            return None;
        }
        match path {
            "/policy/validation" => Some(Operation::ValidatePolicy),
            "/policy/check-no-new-access" => Some(Operation::CheckNoNewAccess),
            "/policy/check-access-not-granted" => Some(Operation::CheckAccessNotGranted),
            "/policy/check-no-public-access" => Some(Operation::CheckNoPublicAccess),
            _ => None,
        }
    }
}

/// One parsed Access Analyzer request, ready to run on a worker.
#[derive(Debug, Clone)]
pub enum Job {
    /// `ValidatePolicy`; `offset`/`max_results` come from `nextToken`/`maxResults`.
    Validate {
        /// `policyDocument`.
        document: String,
        /// `policyType`.
        policy_type: PolicyType,
        /// `maxResults` (at least 1), if given.
        max_results: Option<usize>,
        /// Where the page starts (from `nextToken`).
        offset: usize,
    },
    /// `CheckNoNewAccess`.
    NoNewAccess {
        /// `existingPolicyDocument`.
        existing: String,
        /// `newPolicyDocument`.
        new: String,
        /// `policyType`.
        policy_type: PolicyType,
    },
    /// `CheckAccessNotGranted`.
    AccessNotGranted {
        /// `policyDocument`.
        document: String,
        /// `access`.
        access: AccessSpec,
        /// `policyType`.
        policy_type: PolicyType,
    },
    /// `CheckNoPublicAccess`.
    NoPublicAccess {
        /// `policyDocument`.
        document: String,
        /// `resourceType`.
        resource_type: ResourceType,
    },
}

/// What a job answered: the response body, and whether a check could not be decided.
#[derive(Debug, Clone, PartialEq)]
pub struct JobOutput {
    /// The JSON response body.
    pub body: Value,
    /// A check answered FAIL because it could not decide (`unknownReason`).
    pub undecided: bool,
}

const POLICY_TYPES: &[&str] = &[
    "IDENTITY_POLICY",
    "RESOURCE_POLICY",
    "SERVICE_CONTROL_POLICY",
    "RESOURCE_CONTROL_POLICY",
];
const CHECK_POLICY_TYPES: &[&str] = &["IDENTITY_POLICY", "RESOURCE_POLICY"];
const VALIDATE_RESOURCE_TYPES: &[&str] = &[
    "AWS::S3::Bucket",
    "AWS::S3::AccessPoint",
    "AWS::S3::MultiRegionAccessPoint",
    "AWS::S3ObjectLambda::AccessPoint",
    "AWS::IAM::AssumeRolePolicyDocument",
    "AWS::DynamoDB::Table",
];
const LOCALES: &[&str] = &[
    "DE", "EN", "ES", "FR", "IT", "JA", "KO", "PT_BR", "ZH_CN", "ZH_TW",
];
/// `nextToken` values start with this; the rest is the index of the page's first finding.
/// Findings are computed again for each page (they are a function of the document), so paging
/// needs no state on the server and works behind a load balancer.
const TOKEN_PREFIX: &str = "iamproof-v1-";

fn policy_type(name: &str) -> PolicyType {
    match name {
        "RESOURCE_POLICY" => PolicyType::Resource,
        "SERVICE_CONTROL_POLICY" => PolicyType::ServiceControl,
        "RESOURCE_CONTROL_POLICY" => PolicyType::ResourceControl,
        _ => PolicyType::Identity,
    }
}

/// Reads the members of a JSON body, collecting every member that fails.
struct Members<'a> {
    map: &'a Map<String, Value>,
    errors: Vec<FieldError>,
}

impl<'a> Members<'a> {
    fn value(&mut self, name: &str, required: bool) -> Option<&'a Value> {
        match self.map.get(name) {
            None | Some(Value::Null) => {
                if required {
                    self.errors.push(FieldError::new(
                        name,
                        format!("Value null at '{name}' failed to satisfy constraint: Member must not be null"),
                    ));
                }
                None
            }
            Some(v) => Some(v),
        }
    }

    fn string(&mut self, name: &str, required: bool) -> Option<&'a str> {
        match self.value(name, required)? {
            Value::String(s) => Some(s),
            other => {
                self.errors.push(FieldError::new(
                    name,
                    format!(
                        "Value at '{name}' must be a string, found {}",
                        json_kind(other)
                    ),
                ));
                None
            }
        }
    }

    fn enumerated(&mut self, name: &str, allowed: &[&str], required: bool) -> Option<&'a str> {
        let s = self.string(name, required)?;
        if allowed.contains(&s) {
            Some(s)
        } else {
            self.errors.push(FieldError::new(
                name,
                format!(
                    "Value '{}' at '{name}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                    shorten(s),
                    allowed.join(", ")
                ),
            ));
            None
        }
    }

    fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::fields(self.errors))
        }
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 100 {
        let mut t: String = s.chars().take(100).collect();
        t.push('…');
        t
    } else {
        s.to_string()
    }
}

/// The body as a JSON object; an empty body is `{}` (its required members are then missing).
fn body_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(Map::new());
    }
    let text = std::str::from_utf8(body)
        .map_err(|e| ApiError::cannot_parse(format!("the request body is not UTF-8: {e}")))?;
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(other) => Err(ApiError::cannot_parse(format!(
            "the request body must be a JSON object, found {}",
            json_kind(&other)
        ))),
        Err(e) => Err(ApiError::cannot_parse(format!(
            "the request body is not valid JSON: {e}"
        ))),
    }
}

/// Parses `maxResults` and `nextToken` from the query string of `ValidatePolicy`.
fn paging(query: Option<&str>) -> Result<(Option<usize>, usize), ApiError> {
    let mut max_results = None;
    let mut offset = 0;
    let mut errors = Vec::new();
    for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        match k.as_ref() {
            "maxResults" => match v.parse::<usize>() {
                Ok(n) if n >= 1 => max_results = Some(n),
                _ => errors.push(FieldError::new(
                    "maxResults",
                    format!(
                        "Value '{}' at 'maxResults' must be a positive integer",
                        shorten(&v)
                    ),
                )),
            },
            "nextToken" => match v
                .strip_prefix(TOKEN_PREFIX)
                .and_then(|n| n.parse::<usize>().ok())
            {
                Some(n) => offset = n,
                None => errors.push(FieldError::new(
                    "nextToken",
                    format!(
                        "Value '{}' at 'nextToken' is not a token this server gave",
                        shorten(&v)
                    ),
                )),
            },
            _ => {}
        }
    }
    if errors.is_empty() {
        Ok((max_results, offset))
    } else {
        Err(ApiError::fields(errors))
    }
}

/// Reads an Access Analyzer request: the operation's members from the JSON `body`, and for
/// `ValidatePolicy` the paging members from the `query` string. Every member that fails is
/// listed in one `ValidationException`.
pub fn parse_job(op: Operation, query: Option<&str>, body: &[u8]) -> Result<Job, ApiError> {
    let map = body_object(body)?;
    let mut m = Members {
        map: &map,
        errors: Vec::new(),
    };
    let job = match op {
        Operation::ValidatePolicy => {
            let document = m.string("policyDocument", true);
            let ty = m.enumerated("policyType", POLICY_TYPES, true);
            // Checked against the model's value sets; they do not change iamproof's findings
            // (English only; no resource-type-specific checks).
            let _ = m.enumerated("locale", LOCALES, false);
            let resource_type =
                m.enumerated("validatePolicyResourceType", VALIDATE_RESOURCE_TYPES, false);
            if resource_type.is_some() && ty.is_some() && ty != Some("RESOURCE_POLICY") {
                m.errors.push(FieldError::new(
                    "validatePolicyResourceType",
                    "validatePolicyResourceType may only be given with policyType RESOURCE_POLICY",
                ));
            }
            let (max_results, offset) = match paging(query) {
                Ok(p) => p,
                Err(ApiError::Validation { fields, .. }) => {
                    m.errors.extend(fields);
                    (None, 0)
                }
                Err(e) => return Err(e),
            };
            let (document, ty) = (document.unwrap_or(""), ty.unwrap_or(""));
            m.finish()?;
            Job::Validate {
                document: document.to_string(),
                policy_type: policy_type(ty),
                max_results,
                offset,
            }
        }
        Operation::CheckNoNewAccess => {
            let new = m.string("newPolicyDocument", true);
            let existing = m.string("existingPolicyDocument", true);
            let ty = m.enumerated("policyType", CHECK_POLICY_TYPES, true);
            let (new, existing, ty) = (new.unwrap_or(""), existing.unwrap_or(""), ty.unwrap_or(""));
            m.finish()?;
            Job::NoNewAccess {
                existing: existing.to_string(),
                new: new.to_string(),
                policy_type: policy_type(ty),
            }
        }
        Operation::CheckAccessNotGranted => {
            let document = m.string("policyDocument", true);
            let access = match m.value("access", true) {
                Some(v @ Value::Array(_)) => match AccessSpec::from_json(&v.to_string()) {
                    Ok(a) => Some(a),
                    Err(e) => {
                        m.errors.push(FieldError::new("access", e.to_string()));
                        None
                    }
                },
                Some(other) => {
                    m.errors.push(FieldError::new(
                        "access",
                        format!(
                            "Value at 'access' must be a list of {{\"actions\":[…],\"resources\":[…]}}, found {}",
                            json_kind(other)
                        ),
                    ));
                    None
                }
                None => None,
            };
            let ty = m.enumerated("policyType", CHECK_POLICY_TYPES, true);
            let document = document.unwrap_or("").to_string();
            let ty = ty.unwrap_or("");
            m.finish()?;
            let access = access.ok_or_else(|| ApiError::Internal("access was not read".into()))?;
            Job::AccessNotGranted {
                document,
                access,
                policy_type: policy_type(ty),
            }
        }
        Operation::CheckNoPublicAccess => {
            let document = m.string("policyDocument", true);
            let resource_type = match m.string("resourceType", true) {
                Some(s) => match ResourceType::from_aws_name(s) {
                    Some(t) => Some(t),
                    None => {
                        m.errors.push(FieldError::new(
                            "resourceType",
                            format!(
                                "Value '{}' at 'resourceType' failed to satisfy constraint: Member must be one of the AccessCheckResourceType values (AWS::S3::Bucket, AWS::KMS::Key, …)",
                                shorten(s)
                            ),
                        ));
                        None
                    }
                },
                None => None,
            };
            let document = document.unwrap_or("").to_string();
            m.finish()?;
            let resource_type = resource_type
                .ok_or_else(|| ApiError::Internal("resourceType was not read".into()))?;
            Job::NoPublicAccess {
                document,
                resource_type,
            }
        }
        other => {
            return Err(ApiError::UnknownOperation(format!(
                "{} is not an Access Analyzer policy operation",
                other.name()
            )))
        }
    };
    Ok(job)
}

fn parse_member(
    text: &str,
    member: &str,
    ty: PolicyType,
) -> Result<iamproof_policy::Policy, ApiError> {
    parse_policy(text, ty).map_err(|e| {
        ApiError::fields(vec![FieldError::new(
            member,
            format!("not a valid policy: {e}"),
        )])
    })
}

impl Job {
    /// The check this job runs (none for `ValidatePolicy`).
    pub fn check_kind(&self) -> Option<CheckKind> {
        match self {
            Job::Validate { .. } => None,
            Job::NoNewAccess { .. } => Some(CheckKind::NoNewAccess),
            Job::AccessNotGranted { access, .. } => Some(CheckKind::AccessNotGranted {
                with_resources: !access.resources.is_empty(),
            }),
            Job::NoPublicAccess { .. } => Some(CheckKind::NoPublicAccess),
        }
    }

    /// Runs the job (CPU-bound, synchronous: call it on a worker thread). `extras` adds
    /// iamproof's extra members to a check's response.
    pub fn run(self, opts: &CheckOptions, extras: bool) -> Result<JobOutput, ApiError> {
        let result = match self {
            Job::Validate {
                document,
                policy_type,
                max_results,
                offset,
            } => return validate(&document, policy_type, max_results, offset),
            Job::NoNewAccess {
                existing,
                new,
                policy_type,
            } => {
                let new = parse_member(&new, "newPolicyDocument", policy_type)?;
                let existing = parse_member(&existing, "existingPolicyDocument", policy_type)?;
                iamproof_checks::check_no_new_access(&existing, &new, opts)
            }
            Job::AccessNotGranted {
                document,
                access,
                policy_type,
            } => {
                let policy = parse_member(&document, "policyDocument", policy_type)?;
                iamproof_checks::check_access_not_granted(&policy, &access, opts)
            }
            Job::NoPublicAccess {
                document,
                resource_type,
            } => {
                let policy = parse_member(&document, "policyDocument", PolicyType::Resource)?;
                iamproof_checks::check_no_public_access(&policy, resource_type, opts)
            }
        };
        Ok(check_output(&result, extras))
    }
}

/// The response of a check: the model's members, plus iamproof's extras when asked.
pub fn check_output(result: &CheckResult, extras: bool) -> JobOutput {
    JobOutput {
        body: if extras {
            result.to_json_value()
        } else {
            result.to_aws_json_value()
        },
        undecided: result.unknown_reason.is_some(),
    }
}

fn validate(
    document: &str,
    ty: PolicyType,
    max_results: Option<usize>,
    offset: usize,
) -> Result<JobOutput, ApiError> {
    let findings = validate_policy(document, ty);
    if offset > 0 && offset >= findings.len() {
        return Err(ApiError::fields(vec![FieldError::new(
            "nextToken",
            "the token does not belong to this policy document",
        )]));
    }
    let end = match max_results {
        Some(n) => offset.saturating_add(n).min(findings.len()),
        None => findings.len(),
    };
    let page = findings.get(offset..end).unwrap_or(&[]);
    let mut body = json!({ "findings": page });
    if end < findings.len() {
        body["nextToken"] = Value::String(format!("{TOKEN_PREFIX}{end}"));
    }
    Ok(JobOutput {
        body,
        undecided: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(e: &ApiError) -> Vec<String> {
        match e {
            ApiError::Validation { fields, .. } => fields.iter().map(|f| f.name.clone()).collect(),
            other => panic!("not a ValidationException: {other}"),
        }
    }

    #[test]
    fn members_are_checked_against_the_model() {
        let e = parse_job(Operation::CheckNoNewAccess, None, b"{}").unwrap_err();
        assert_eq!(
            names(&e),
            ["newPolicyDocument", "existingPolicyDocument", "policyType"]
        );
        let e = parse_job(
            Operation::ValidatePolicy,
            Some("maxResults=x"),
            br#"{"policyDocument":"{}","policyType":"IDENTITY_POLICY","locale":"XX","validatePolicyResourceType":"AWS::S3::Bucket"}"#,
        )
        .unwrap_err();
        assert_eq!(
            names(&e),
            ["locale", "validatePolicyResourceType", "maxResults"]
        );
        let e = parse_job(Operation::CheckNoPublicAccess, None, b"[]").unwrap_err();
        assert!(matches!(
            e,
            ApiError::Validation {
                reason: "cannotParse",
                ..
            }
        ));
    }

    #[test]
    fn paging_tokens_name_the_next_finding() {
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:getobject","s3:GetObject"],"Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/4"}}}]}"#;
        let first = validate(doc, PolicyType::Identity, Some(1), 0).unwrap();
        let token = first.body["nextToken"].as_str().unwrap().to_string();
        let (max, offset) = paging(Some(&format!("maxResults=1&nextToken={token}"))).unwrap();
        let second = validate(doc, PolicyType::Identity, max, offset).unwrap();
        assert_eq!(second.body["findings"].as_array().map(Vec::len), Some(1));
        assert!(second.body.get("nextToken").is_none());
        assert!(validate(doc, PolicyType::Identity, None, 7).is_err());
    }
}
