//! The `access` argument of `CheckAccessNotGranted`: the critical actions and resources, parsed
//! and validated against AWS's limits (the `CheckAccessNotGranted` API reference; docs/semantics.md, "Custom policy checks: inputs and results"): at most 1 item, at most 100 actions and 100
//! resources, each resource at most 2048 characters with wildcards only in the resource-id part.

use serde::Deserialize;
use thiserror::Error;

/// At most this many actions (AWS `ActionsList` max).
pub const MAX_ACTIONS: usize = 100;
/// At most this many resources (AWS `ResourcesList` max).
pub const MAX_RESOURCES: usize = 100;
/// At most this many characters per resource ARN (AWS `Resource` max).
pub const MAX_RESOURCE_LEN: usize = 2048;
/// At most this many characters per action (generous; IAM action names are far shorter).
pub const MAX_ACTION_LEN: usize = 2048;

/// The critical access: actions, resources, or both (at least one of them non-empty).
///
/// Meaning (AWS API doc): actions only → the action on any resource; resources only → any action
/// on the resource; both → a listed action on a listed resource.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccessSpec {
    /// Action patterns as in a policy's `Action` element (`s3:DeleteBucket`, `iam:Put*`, `*`).
    pub actions: Vec<String>,
    /// Resource ARNs; `*` and `?` only in the resource part (after the fifth `:`).
    pub resources: Vec<String>,
}

/// Why an `access` argument was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AccessSpecError {
    /// Not JSON of the expected shape.
    #[error("access is not valid JSON of the form [{{\"actions\":[…],\"resources\":[…]}}]: {0}")]
    Syntax(String),
    /// More than one access item.
    #[error("access may hold at most 1 item, found {0}")]
    TooManyItems(usize),
    /// Neither actions nor resources.
    #[error("access must list at least one action or resource")]
    Empty,
    /// Too many actions.
    #[error("access may list at most {MAX_ACTIONS} actions, found {0}")]
    TooManyActions(usize),
    /// Too many resources.
    #[error("access may list at most {MAX_RESOURCES} resources, found {0}")]
    TooManyResources(usize),
    /// A malformed action.
    #[error("action {index} ({action:?}) is not an IAM action: {why}")]
    BadAction {
        /// 0-based position in `actions`.
        index: usize,
        /// The action as given (truncated to 100 characters).
        action: String,
        /// What is wrong.
        why: &'static str,
    },
    /// A malformed resource.
    #[error("resource {index} ({resource:?}) is not allowed: {why}")]
    BadResource {
        /// 0-based position in `resources`.
        index: usize,
        /// The resource as given (truncated to 100 characters).
        resource: String,
        /// What is wrong.
        why: &'static str,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AccessItem {
    #[serde(default)]
    actions: Vec<String>,
    #[serde(default)]
    resources: Vec<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum AccessInput {
    List(Vec<AccessItem>),
    One(AccessItem),
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 100 {
        let mut t: String = s.chars().take(100).collect();
        t.push('…');
        t
    } else {
        s.to_string()
    }
}

impl AccessSpec {
    /// Parses AWS's `access` JSON: a list with at most one `{"actions":[…],"resources":[…]}`
    /// object, or that object alone, then validates it (see [`AccessSpec::new`]).
    pub fn from_json(text: &str) -> Result<AccessSpec, AccessSpecError> {
        let input: AccessInput = serde_json::from_str(text).map_err(|e| {
            AccessSpecError::Syntax(match e.classify() {
                serde_json::error::Category::Data => {
                    "expected a list with one object holding \"actions\" and/or \"resources\" (lists of strings)".to_string()
                }
                _ => e.to_string(),
            })
        })?;
        let item = match input {
            AccessInput::One(i) => i,
            AccessInput::List(mut items) => {
                if items.len() > 1 {
                    return Err(AccessSpecError::TooManyItems(items.len()));
                }
                items.pop().ok_or(AccessSpecError::Empty)?
            }
        };
        AccessSpec::new(item.actions, item.resources)
    }

    /// Builds and validates an access spec: at least one action or resource; at most 100 of each;
    /// an action is `*` or `service:name` (wildcards allowed in the name, as in a policy); a
    /// resource is an ARN of at most 2048 characters, with `*`/`?` only after the fifth `:`.
    pub fn new(
        actions: Vec<String>,
        resources: Vec<String>,
    ) -> Result<AccessSpec, AccessSpecError> {
        if actions.is_empty() && resources.is_empty() {
            return Err(AccessSpecError::Empty);
        }
        if actions.len() > MAX_ACTIONS {
            return Err(AccessSpecError::TooManyActions(actions.len()));
        }
        if resources.len() > MAX_RESOURCES {
            return Err(AccessSpecError::TooManyResources(resources.len()));
        }
        for (index, a) in actions.iter().enumerate() {
            if let Err(why) = validate_action(a) {
                return Err(AccessSpecError::BadAction {
                    index,
                    action: truncate(a),
                    why,
                });
            }
        }
        for (index, r) in resources.iter().enumerate() {
            if let Err(why) = validate_resource(r) {
                return Err(AccessSpecError::BadResource {
                    index,
                    resource: truncate(r),
                    why,
                });
            }
        }
        Ok(AccessSpec { actions, resources })
    }

    /// Whether resources are listed (decides AWS's message wording).
    pub fn has_resources(&self) -> bool {
        !self.resources.is_empty()
    }
}

fn validate_action(a: &str) -> Result<(), &'static str> {
    if a.is_empty() {
        return Err("it is empty");
    }
    if a.len() > MAX_ACTION_LEN {
        return Err("it is longer than 2048 characters");
    }
    if a == "*" {
        return Ok(());
    }
    let Some((service, name)) = a.split_once(':') else {
        return Err("expected service:action, e.g. s3:GetObject");
    };
    if service.is_empty() {
        return Err("the service prefix is empty");
    }
    if name.is_empty() {
        return Err("the action name is empty");
    }
    if name.contains(':') {
        return Err("an action has exactly one ':'");
    }
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '*' | '?');
    if !service.chars().all(ok) {
        return Err(
            "the service prefix may hold only letters, digits, '-', '_', '.' and wildcards",
        );
    }
    if !name.chars().all(ok) {
        return Err("the action name may hold only letters, digits, '-', '_', '.' and wildcards");
    }
    Ok(())
}

fn validate_resource(r: &str) -> Result<(), &'static str> {
    if r.is_empty() {
        return Err("it is empty");
    }
    if r.chars().count() > MAX_RESOURCE_LEN {
        return Err("it is longer than 2048 characters");
    }
    if r.chars().any(char::is_control) {
        return Err("it contains a control character");
    }
    let fields: Vec<&str> = r.splitn(6, ':').collect();
    if fields.len() < 6 {
        return Err("expected an ARN arn:partition:service:region:account:resource (a wildcard is allowed only in the resource part)");
    }
    let head = &fields[..5];
    if head[0] != "arn" {
        return Err("an ARN starts with 'arn:'");
    }
    if head.iter().any(|f| f.contains(['*', '?'])) {
        return Err(
            "a wildcard is allowed only in the resource-id part of the ARN (after the fifth ':')",
        );
    }
    if head[1].is_empty() || head[2].is_empty() {
        return Err("the partition and service fields of the ARN must not be empty");
    }
    if fields[5].is_empty() {
        return Err("the resource part of the ARN is empty");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_aws_list_and_single_object() {
        let a = AccessSpec::from_json(r#"[{"actions":["s3:DeleteBucket"]}]"#).unwrap();
        assert_eq!(a.actions, vec!["s3:DeleteBucket"]);
        assert!(a.resources.is_empty());
        let b = AccessSpec::from_json(
            r#"{"actions":["iam:Put*"],"resources":["arn:aws:s3:::my-bucket/*"]}"#,
        )
        .unwrap();
        assert_eq!(b.resources, vec!["arn:aws:s3:::my-bucket/*"]);
        assert!(b.has_resources());
        let c = AccessSpec::from_json(r#"[{"resources":["arn:aws:s3:::b"]}]"#).unwrap();
        assert!(c.actions.is_empty());
    }

    #[test]
    fn rejects_bad_shapes_with_clear_errors() {
        assert_eq!(
            AccessSpec::from_json(r#"[{"actions":["a:b"]},{"actions":["c:d"]}]"#),
            Err(AccessSpecError::TooManyItems(2))
        );
        assert_eq!(AccessSpec::from_json("[]"), Err(AccessSpecError::Empty));
        assert_eq!(AccessSpec::from_json("[{}]"), Err(AccessSpecError::Empty));
        assert!(matches!(
            AccessSpec::from_json(r#"[{"action":["a:b"]}]"#),
            Err(AccessSpecError::Syntax(_))
        ));
        assert!(matches!(
            AccessSpec::from_json("not json"),
            Err(AccessSpecError::Syntax(_))
        ));
        assert!(matches!(
            AccessSpec::from_json(r#"[{"actions":"s3:GetObject"}]"#),
            Err(AccessSpecError::Syntax(_))
        ));
    }

    #[test]
    fn enforces_aws_limits() {
        let many: Vec<String> = (0..101).map(|i| format!("s3:Action{i}")).collect();
        assert_eq!(
            AccessSpec::new(many.clone(), vec![]),
            Err(AccessSpecError::TooManyActions(101))
        );
        assert!(AccessSpec::new(many[..100].to_vec(), vec![]).is_ok());
        let res: Vec<String> = (0..101).map(|i| format!("arn:aws:s3:::b{i}")).collect();
        assert_eq!(
            AccessSpec::new(vec![], res.clone()),
            Err(AccessSpecError::TooManyResources(101))
        );
        assert!(AccessSpec::new(vec![], res[..100].to_vec()).is_ok());
        let long = format!("arn:aws:s3:::{}", "x".repeat(2048));
        assert!(matches!(
            AccessSpec::new(vec![], vec![long]),
            Err(AccessSpecError::BadResource { index: 0, .. })
        ));
        let exact = format!("arn:aws:s3:::{}", "x".repeat(2048 - 13));
        assert!(AccessSpec::new(vec![], vec![exact]).is_ok());
    }

    #[test]
    fn wildcards_only_in_the_resource_id() {
        assert!(AccessSpec::new(vec![], vec!["arn:aws:s3:::bucket/*".into()]).is_ok());
        assert!(
            AccessSpec::new(vec![], vec!["arn:aws:iam::123456789012:role/a?b*".into()]).is_ok()
        );
        for bad in [
            "*",
            "arn:aws:s3:*::bucket",
            "arn:aws:iam::*:role/x",
            "arn:*:s3:::b",
            "arn:aws:dynamodb:us-east-?:1:table/t",
            "arn:aws:s3:::",
            "s3:::bucket",
            "bucket",
        ] {
            assert!(
                matches!(
                    AccessSpec::new(vec![], vec![bad.into()]),
                    Err(AccessSpecError::BadResource { .. })
                ),
                "{bad} should be rejected"
            );
        }
    }

    #[test]
    fn actions_look_like_policy_actions() {
        for good in [
            "*",
            "s3:GetObject",
            "s3:Get*",
            "iam:*",
            "ec2:Describe?nstances",
        ] {
            assert!(AccessSpec::new(vec![good.into()], vec![]).is_ok(), "{good}");
        }
        for bad in ["", "s3", "s3:", ":Get", "s3:Get:Object", "s3:Get Object"] {
            assert!(
                matches!(
                    AccessSpec::new(vec![bad.into()], vec![]),
                    Err(AccessSpecError::BadAction { .. })
                ),
                "{bad:?} should be rejected"
            );
        }
    }
}
