//! Validation findings in the shape of Access Analyzer's `ValidatePolicy` response.
//!
//! What is checked, and iamproof's own opt-in checks, are documented on [`validate`].

mod actions;
mod conditions;
mod document;
mod finding;
mod principal;
mod redundant;
mod resource_type;
mod resources;
#[cfg(test)]
mod tests;

pub use self::finding::{
    aws_finding_type, FindingType, Location, ValidationFinding, AWS_CHECKS, IAMPROOF_CODE_PREFIX,
    IDENTITY_POLICY_CHAR_QUOTA, ROLE_TRUST_POLICY_CHAR_QUOTA,
};
pub use self::resource_type::ResourceType;
use crate::json::{parse_json, JsonMember, JsonNode, JsonValue};
use crate::keys::{ActionCatalog, ConditionKeyCatalog, GlobalKeys};
use crate::model::*;
use crate::parse::parse_policy_tree;
use crate::span::{JsonPath, PathElem, Position, Span};
use std::borrow::Cow;

/// How to validate: the policy type, the optional resource type, the catalogues, and whether to
/// add iamproof's own checks.
#[derive(Clone, Copy)]
pub struct ValidateOptions<'a> {
    /// `IDENTITY_POLICY`, `RESOURCE_POLICY`…
    pub policy_type: PolicyType,
    /// `validatePolicyResourceType`; used only with [`PolicyType::Resource`], as in AWS.
    pub resource_type: Option<ResourceType>,
    /// Condition-key facts (unknown keys are not checked for type or arity).
    pub keys: &'a dyn ConditionKeyCatalog,
    /// Known services and actions; adds the checks for unknown services and actions.
    pub actions: Option<&'a dyn ActionCatalog>,
    /// Add iamproof's own (`IAMPROOF_…`) findings.
    pub iamproof_checks: bool,
}

impl<'a> ValidateOptions<'a> {
    /// AWS's checks for `policy_type`, with the built-in global condition keys.
    pub fn new(policy_type: PolicyType) -> Self {
        ValidateOptions {
            policy_type,
            resource_type: None,
            keys: &GlobalKeys,
            actions: None,
            iamproof_checks: false,
        }
    }
}

/// Validates a policy with the built-in global condition keys (AWS's checks only).
pub fn validate_policy(text: &str, policy_type: PolicyType) -> Vec<ValidationFinding> {
    validate(text, &ValidateOptions::new(policy_type))
}

/// Validates a policy, taking condition-key facts from `keys` (unknown keys are not checked for
/// type or arity).
pub fn validate_policy_with(
    text: &str,
    policy_type: PolicyType,
    keys: &dyn ConditionKeyCatalog,
) -> Vec<ValidationFinding> {
    validate_policy_with_catalogs(text, policy_type, keys, None)
}

/// Validates a policy with condition-key facts and, if given, an action catalogue (which adds
/// the checks for unknown services and actions).
pub fn validate_policy_with_catalogs(
    text: &str,
    policy_type: PolicyType,
    keys: &dyn ConditionKeyCatalog,
    actions: Option<&dyn ActionCatalog>,
) -> Vec<ValidationFinding> {
    validate(
        text,
        &ValidateOptions {
            keys,
            actions,
            ..ValidateOptions::new(policy_type)
        },
    )
}

/// At most this many statements that do not parse are reported (each costs a re-parse).
const MAX_STATEMENT_ERRORS: usize = 100;

/// Validates a policy with every option: the general form of [`validate_policy`].
///
/// Every finding [`validate_policy`] returns carries an issue code from AWS's "IAM policy
/// validation check reference"
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>),
/// with the finding type that page gives it and its `learnMoreLink`; the table [`AWS_CHECKS`]
/// is the single place that pairs a code with its type. Findings are reported together as AWS
/// does: a statement that does not parse (say, `MISSING_PRINCIPAL`) yields its `ERROR` and the
/// other statements and the document are still checked (`MISSING_VERSION`…); only invalid JSON
/// stops everything.
///
/// iamproof's own checks (constructs whose meaning AWS's documentation leaves uncertain) are not
/// AWS's and never pretend to be: they are off unless [`ValidateOptions::iamproof_checks`] is
/// set, and their codes start with `IAMPROOF_` (their link is the README's validate-policy
/// section).
/// The two reader limits (`IAMPROOF_POLICY_TOO_LARGE`, `IAMPROOF_JSON_TOO_DEEP`) are always
/// reported, as the document cannot be read further. The opt-in ones:
///
/// | Code | Type | What |
/// |---|---|---|
/// | `IAMPROOF_DENY_WITH_NOT_PRINCIPAL` | WARNING | `Deny` + `NotPrincipal` also denies the exempted principal's account and role unless listed |
/// | `IAMPROOF_VARIABLE_IN_ARN_PREFIX` | WARNING | a policy variable in the region or account field of a resource ARN |
/// | `IAMPROOF_IF_EXISTS_ON_NEGATED_OPERATOR` | SUGGESTION | `…IfExists` changes nothing on a negated operator |
/// | `IAMPROOF_FOR_ANY_VALUE_WITH_IF_EXISTS` | WARNING | `ForAnyValue:…IfExists` on a missing key: evaluators disagree |
/// | `IAMPROOF_IGNORE_CASE_WITH_NON_ASCII` | WARNING | case folding of non-ASCII text is undocumented |
/// | `IAMPROOF_EMPTY_STRING_CONDITION_VALUE` | SUGGESTION | an empty string value may be read as a missing key |
/// | `IAMPROOF_IMPRECISE_DATE_VALUE` | SUGGESTION | a partial date or one without a time zone |
/// | `IAMPROOF_BARE_IPV6_ADDRESS` | SUGGESTION | an IPv6 address without a prefix length |
/// | `IAMPROOF_SHORT_ARN_CONDITION_VALUE` | WARNING | an ARN condition value with fewer than six fields |
/// | `IAMPROOF_DENY_NOT_IP_ADDRESS_WITHOUT_SERVICE_EXCEPTION` | WARNING | a `Deny` on `NotIpAddress aws:SourceIp` also denies AWS services acting for the caller |
///
/// Decisions: a wrong JSON type is `DATA_TYPE_MISMATCH`; a Resource with fewer than six ARN
/// fields (`bucket`, `arn:aws:s3`) is `MISSING_ARN_FIELD`; an action with a comma or an empty
/// name is `INVALID_ACTION`; a policy variable in a `Bool` value is
/// `INVALID_VARIABLE_FOR_OPERATOR`; a non-base64 `Binary` value is `TYPE_MISMATCH_STRING`;
/// without a `Version`, variables get `VARIABLE_UNSUPPORTED_IN_VERSION` (2008-10-17 rules).
///
/// With a [`ResourceType`] (`validatePolicyResourceType`, `RESOURCE_POLICY` only), the checks AWS
/// runs only for that kind of resource are added (role trust policies, S3, DynamoDB).
/// Condition-key facts (type, single/multi-valued) come from a
/// [`ConditionKeyCatalog`]; [`validate_policy`] uses the built-in [`GlobalKeys`].
pub fn validate(text: &str, opts: &ValidateOptions) -> Vec<ValidationFinding> {
    let tree = match parse_json(text) {
        Ok(t) => t,
        Err(e) => return vec![ValidationFinding::from_error(&e)],
    };
    // A statement that does not parse is reported and replaced by an inert stand-in, so the
    // rest of the document is still checked (AWS reports all findings together).
    let mut errors: Vec<ValidationFinding> = Vec::new();
    let mut work: Cow<JsonNode> = Cow::Borrowed(&tree);
    let mut replaced: Vec<JsonPath> = Vec::new();
    let mut parsed = None;
    for _ in 0..=MAX_STATEMENT_ERRORS {
        match parse_policy_tree(&work, opts.policy_type) {
            Ok(p) => {
                parsed = Some(p);
                break;
            }
            Err(e) => {
                errors.push(ValidationFinding::from_error(&e));
                let Some(stmt_path) = statement_of(&work, &e.path) else {
                    break;
                };
                if replaced.contains(&stmt_path) {
                    break;
                }
                let mut next = work.into_owned();
                stand_in(&mut next, &stmt_path, opts.policy_type);
                work = Cow::Owned(next);
                replaced.push(stmt_path);
            }
        }
    }
    let mut out = Vec::new();
    match parsed {
        Some(policy) => {
            let mut v = Validator {
                text,
                tree: &work,
                keys: opts.keys,
                actions: opts.actions,
                policy: &policy,
                extra: opts.iamproof_checks,
                out: Vec::new(),
            };
            v.document();
            for st in &policy.statements {
                v.statement(st);
            }
            if opts.policy_type == PolicyType::Resource {
                if let Some(rt) = opts.resource_type {
                    resource_type::check(&mut v, rt);
                }
            }
            let in_stand_in = |f: &ValidationFinding| {
                f.locations
                    .iter()
                    .any(|l| replaced.iter().any(|r| l.path.0.starts_with(&r.0)))
            };
            let (doc, rest): (Vec<_>, Vec<_>) = v
                .out
                .into_iter()
                .filter(|f| !in_stand_in(f))
                .partition(|f| f.issue_code == "MISSING_VERSION");
            out.extend(doc);
            out.extend(errors);
            out.extend(rest);
        }
        None => {
            // The document itself is broken; the one check that still applies is the Version.
            let has_version =
                matches!(&tree.value, JsonValue::Object(m) if m.iter().any(|m| m.key == "Version"));
            if matches!(tree.value, JsonValue::Object(_)) && !has_version {
                out.push(missing_version(tree.span));
            }
            out.extend(errors);
        }
    }
    out
}

fn missing_version(span: Span) -> ValidationFinding {
    ValidationFinding::aws(
        "MISSING_VERSION",
        "We recommend that you specify the Version element to help you with debugging permission issues.".to_string(),
        vec![loc(&JsonPath::root(), span)],
    )
}

/// The path of the statement an error lies in (`Statement[i]`, or `Statement` when it is a
/// single object), if the error is inside one statement.
fn statement_of(root: &JsonNode, path: &JsonPath) -> Option<JsonPath> {
    let JsonValue::Object(members) = &root.value else {
        return None;
    };
    let st = members.iter().find(|m| m.key == "Statement")?;
    let base = JsonPath::root().key("Statement");
    match (&st.value.value, path.0.get(1)) {
        (JsonValue::Array(_), Some(PathElem::Index(i))) if path.0.first() == base.0.first() => {
            Some(base.index(*i))
        }
        (JsonValue::Object(_), Some(_)) if path.0.first() == base.0.first() => Some(base),
        (JsonValue::Object(_), None) if path == &base => Some(base),
        _ => None,
    }
}

/// Replaces the statement at `path` by a statement that parses for `policy_type` and grants
/// nothing (its own findings are dropped).
fn stand_in(root: &mut JsonNode, path: &JsonPath, policy_type: PolicyType) {
    let mut node = root;
    for e in &path.0 {
        let next = match (e, &mut node.value) {
            (PathElem::Key(k), JsonValue::Object(members)) => members
                .iter_mut()
                .find(|m| &m.key == k)
                .map(|m| &mut m.value),
            (PathElem::Index(i), JsonValue::Array(items)) => items.get_mut(*i),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => return,
        }
    }
    let span = node.span;
    let member = |k: &'static str, value: JsonValue<'static>| JsonMember {
        key: Cow::Borrowed(k),
        key_span: span,
        value: JsonNode { value, span },
    };
    let mut members = vec![
        member("Effect", JsonValue::String(Cow::Borrowed("Deny"))),
        member("Action", JsonValue::Array(Vec::new())),
        member("Resource", JsonValue::Array(Vec::new())),
    ];
    match policy_type {
        PolicyType::Resource => members.push(member("Principal", JsonValue::Array(Vec::new()))),
        PolicyType::ResourceControl => {
            members.push(member("Principal", JsonValue::String(Cow::Borrowed("*"))))
        }
        PolicyType::Identity | PolicyType::ServiceControl => {}
    }
    node.value = JsonValue::Object(members);
}

pub(crate) struct Validator<'a> {
    pub(crate) text: &'a str,
    pub(crate) tree: &'a JsonNode<'a>,
    keys: &'a dyn ConditionKeyCatalog,
    actions: Option<&'a dyn ActionCatalog>,
    pub(crate) policy: &'a Policy,
    /// Whether iamproof's own checks run.
    extra: bool,
    pub(crate) out: Vec<ValidationFinding>,
}

pub(crate) fn loc(path: &JsonPath, span: Span) -> Location {
    Location {
        path: path.clone(),
        span,
        at_key: false,
    }
}

/// Finds the node at `path` and, when the last step is a key, that key's span.
pub(crate) fn lookup<'t, 'j>(
    root: &'t JsonNode<'j>,
    path: &JsonPath,
) -> Option<(&'t JsonNode<'j>, Option<Span>)> {
    let mut node = root;
    let mut key_span = None;
    for e in &path.0 {
        match (e, &node.value) {
            (PathElem::Key(k), JsonValue::Object(members)) => {
                let m = members.iter().find(|m| &m.key == k)?;
                key_span = Some(m.key_span);
                node = &m.value;
            }
            (PathElem::Index(i), JsonValue::Array(items)) => {
                node = items.get(*i)?;
                key_span = None;
            }
            _ => return None,
        }
    }
    Some((node, key_span))
}

pub(crate) fn end_position(text: &str) -> Position {
    let mut line = 1u32;
    let mut column = 0u32;
    for c in text.chars() {
        if c == '\n' {
            line += 1;
            column = 0;
        } else {
            column += 1;
        }
    }
    Position {
        line,
        column,
        offset: text.len(),
    }
}

impl Validator<'_> {
    /// Records a finding: an AWS code with its type from [`AWS_CHECKS`] (`ty` must agree), any
    /// other code as iamproof's own, and only when iamproof's checks are on.
    pub(crate) fn push(
        &mut self,
        ty: FindingType,
        code: &str,
        details: String,
        locations: Vec<Location>,
    ) {
        match aws_finding_type(code) {
            Some(aws_ty) => {
                debug_assert_eq!(aws_ty, ty, "{code}");
                self.out
                    .push(ValidationFinding::aws(code, details, locations));
            }
            None if self.extra => {
                self.out
                    .push(ValidationFinding::iamproof(code, ty, details, locations));
            }
            None => {}
        }
    }

    /// The location of a condition key (the key itself).
    pub(crate) fn key_loc(&self, c: &Condition) -> Location {
        let span = lookup(self.tree, &c.path)
            .and_then(|(_, k)| k)
            .unwrap_or(c.span);
        Location {
            path: c.path.clone(),
            span,
            at_key: true,
        }
    }

    /// The location of a condition key's value (the scalar or the array).
    fn value_loc(&self, c: &Condition) -> Location {
        let span = lookup(self.tree, &c.path)
            .map(|(n, _)| n.span)
            .unwrap_or(c.span);
        loc(&c.path, span)
    }

    pub(crate) fn element_loc(&self, st: &Statement, name: &str) -> Location {
        let path = st.path.key(name);
        let span = lookup(self.tree, &path)
            .map(|(n, _)| n.span)
            .unwrap_or(st.span);
        loc(&path, span)
    }

    fn is_array_value(&self, c: &Condition) -> bool {
        lookup(self.tree, &c.path).is_some_and(|(n, _)| matches!(n.value, JsonValue::Array(_)))
    }

    fn is_array(&self, st: &Statement, element: &str) -> bool {
        lookup(self.tree, &st.path.key(element))
            .is_some_and(|(n, _)| matches!(n.value, JsonValue::Array(_)))
    }
}
