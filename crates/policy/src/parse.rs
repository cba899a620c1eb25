//! From JSON text to a [`Policy`]: the grammar of docs/semantics.md, "Document shape" with the rejections of docs/semantics.md, "Document shape"
//!
//! Decisions where AWS's documentation leaves a choice:
//! - A statement may omit both `Resource` and `NotResource` only in a `RESOURCE_POLICY` (role
//!   trust policies have none); `Statement::resource` is then `None`.
//! - `Bool` condition values are split into templates under `2012-10-17` (the current operators
//!   page says variables work with Bool; the Variables page disagrees, docs/semantics.md, "Typed values" and "Open questions and our answers"), and
//!   `validate_policy` flags a variable there.
//! - A `Principal` that is an empty array is accepted as an empty principal (docs/semantics.md, "Document shape" lists
//!   `[]`); any other array is rejected.
//! - `*`/`?` in a principal value is rejected unless the value is exactly `*` under the `AWS` key
//!   (or the string form `"Principal": "*"`).
//! - Resource control policies: `Principal` must be `"*"` and the Version `2012-10-17` (AWS's RCP
//!   rules). `Allow` is accepted: customer RCPs may only Deny, but the AWS-managed
//!   `RCPFullAWSAccess` is an Allow and must be representable; `validate_policy` reports
//!   customer-style Allows.
//! - Under `2012-10-17`, a resource ARN may hold variables in its region, account and resource
//!   fields (AWS's managed policy AmazonTimestreamInfluxDBServiceRolePolicy has
//!   `arn:*:kms:*:${aws:PrincipalAccount}:key/*`), not in the partition or service fields.
//! - An action with an empty name part (`"s3:"`) parses (it matches no action, docs/semantics.md, "Document shape");
//!   `validate_policy` reports it. An empty service prefix is rejected.

use crate::error::{codes, PolicyError};
use crate::issue::IssueCode;
use crate::json::{parse_json, JsonMember, JsonNode, JsonValue};
use crate::model::*;
use crate::span::{JsonPath, Span};
use crate::template::split_template;

const TOP_ELEMENTS: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];
const PRINCIPAL_KEYS: &[&str] = &["AWS", "Service", "Federated", "CanonicalUser"];

/// Parses and checks a policy document of the given type.
///
/// Rejects (docs/semantics.md, "Document shape"): invalid JSON, duplicate keys, unknown or miscased elements, `X` with
/// `NotX`, missing required elements, invalid Version or Effect, partial wildcards in principals,
/// malformed actions, unknown or miscased condition operators, `NullIfExists`, condition keys
/// differing only in case, nested condition values, and policy variables where they are not
/// allowed. The first problem found is returned.
///
/// Decisions where AWS's documentation leaves a choice:
/// - A statement may omit both `Resource` and `NotResource` only in a `RESOURCE_POLICY` (role
///   trust policies have none); `Statement::resource` is then `None`.
/// - `Bool` condition values are split into templates under `2012-10-17` (the current operators
///   page says variables work with Bool; the Variables page disagrees, docs/semantics.md, "Typed values" and "Open questions and our answers"), and
///   `validate_policy` flags a variable there.
/// - A `Principal` that is an empty array is accepted as an empty principal (docs/semantics.md, "Document shape" lists
///   `[]`); any other array is rejected.
/// - `*`/`?` in a principal value is rejected unless the value is exactly `*` under the `AWS` key
///   (or the string form `"Principal": "*"`).
/// - Resource control policies: `Principal` must be `"*"` and the Version `2012-10-17` (AWS's RCP
///   rules). `Allow` is accepted: customer RCPs may only Deny, but the AWS-managed
///   `RCPFullAWSAccess` is an Allow and must be representable; `validate_policy` reports
///   customer-style Allows.
/// - Under `2012-10-17`, a resource ARN may hold variables in its region, account and resource
///   fields (AWS's managed policy AmazonTimestreamInfluxDBServiceRolePolicy has
///   `arn:*:kms:*:${aws:PrincipalAccount}:key/*`), not in the partition or service fields.
/// - An action with an empty name part (`"s3:"`) parses (it matches no action, docs/semantics.md, "Document shape");
///   `validate_policy` reports it. An empty service prefix is rejected.
pub fn parse_policy(text: &str, policy_type: PolicyType) -> Result<Policy, PolicyError> {
    let root = parse_json(text)?;
    parse_policy_tree(&root, policy_type)
}

/// [`parse_policy`] on an already-read JSON tree (from [`crate::json::parse_json`]).
pub(crate) fn parse_policy_tree(
    root: &JsonNode,
    policy_type: PolicyType,
) -> Result<Policy, PolicyError> {
    let members = match &root.value {
        JsonValue::Object(m) => m,
        other => {
            return Err(err(
                root.span,
                JsonPath::root(),
                codes::INVALID_ELEMENT_TYPE,
                format!(
                    "a policy must be a JSON object, found {}",
                    other.type_name()
                ),
            ))
        }
    };
    let root_path = JsonPath::root();
    for m in members {
        check_element_name(m, TOP_ELEMENTS, &root_path)?;
    }
    let mut version = None;
    let mut id = None;
    let mut statement = None;
    for m in members {
        let path = root_path.key(&m.key);
        match m.key.as_ref() {
            "Version" => {
                let s = expect_string(&m.value, &path, "Version")?;
                version = Some(match s {
                    "2012-10-17" => Version::V2012_10_17,
                    "2008-10-17" => Version::V2008_10_17,
                    other => {
                        return Err(err(
                            m.value.span,
                            path,
                            codes::INVALID_VERSION,
                            format!(
                                "invalid Version {other:?}: use \"2012-10-17\" (or the legacy \"2008-10-17\")"
                            ),
                        ))
                    }
                });
            }
            "Id" => id = Some(expect_string(&m.value, &path, "Id")?.to_string()),
            _ => statement = Some(m),
        }
    }
    let Some(statement) = statement else {
        return Err(err(
            root.span,
            root_path,
            codes::MISSING_STATEMENT,
            "missing Statement element".to_string(),
        ));
    };
    if policy_type == PolicyType::ResourceControl && version != Some(Version::V2012_10_17) {
        return Err(err(
            root.span,
            JsonPath::root().key("Version"),
            codes::INVALID_RCP,
            "a resource control policy must have \"Version\": \"2012-10-17\"".to_string(),
        ));
    }
    let ctx = Ctx {
        policy_type,
        vars: version == Some(Version::V2012_10_17),
    };
    let spath = root_path.key("Statement");
    let mut statements = Vec::new();
    match &statement.value.value {
        JsonValue::Object(_) => {
            statements.push(parse_statement(&ctx, &statement.value, 0, spath)?);
        }
        JsonValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                statements.push(parse_statement(&ctx, item, i, spath.index(i))?);
            }
        }
        other => {
            return Err(err(
                statement.value.span,
                spath,
                codes::INVALID_ELEMENT_TYPE,
                format!(
                    "Statement must be an object or an array of objects, found {}",
                    other.type_name()
                ),
            ))
        }
    }
    Ok(Policy {
        version,
        id,
        statements,
        policy_type,
    })
}

struct Ctx {
    policy_type: PolicyType,
    /// Whether `${…}` is a policy variable (Version 2012-10-17).
    vars: bool,
}

fn describe(t: PolicyType) -> &'static str {
    match t {
        PolicyType::Identity => "an identity policy",
        PolicyType::Resource => "a resource policy",
        PolicyType::ServiceControl => "a service control policy",
        PolicyType::ResourceControl => "a resource control policy",
    }
}

fn err(span: Span, path: JsonPath, code: IssueCode, message: String) -> PolicyError {
    PolicyError::new(span, path, code, message)
}

fn check_element_name(
    m: &JsonMember,
    allowed: &[&str],
    parent: &JsonPath,
) -> Result<(), PolicyError> {
    if allowed.contains(&m.key.as_ref()) {
        return Ok(());
    }
    let hint = allowed
        .iter()
        .find(|a| a.eq_ignore_ascii_case(&m.key))
        .map(|a| format!(": element names are case-sensitive; did you mean \"{a}\"?"))
        .unwrap_or_else(|| format!(" (expected one of {})", allowed.join(", ")));
    Err(err(
        m.key_span,
        parent.key(&m.key),
        codes::INVALID_ELEMENT,
        format!("invalid policy element {:?}{hint}", m.key.as_ref()),
    ))
}

fn expect_string<'a>(n: &'a JsonNode, path: &JsonPath, what: &str) -> Result<&'a str, PolicyError> {
    match &n.value {
        JsonValue::String(s) => Ok(s),
        other => Err(err(
            n.span,
            path.clone(),
            codes::INVALID_ELEMENT_TYPE,
            format!("{what} must be a string, found {}", other.type_name()),
        )),
    }
}

/// A string or an array of strings, as (text, span, path) triples.
fn string_list<'a>(
    n: &'a JsonNode,
    path: &JsonPath,
    what: &str,
) -> Result<Vec<(&'a str, Span, JsonPath)>, PolicyError> {
    match &n.value {
        JsonValue::String(s) => Ok(vec![(s.as_ref(), n.span, path.clone())]),
        JsonValue::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, it)| {
                let p = path.index(i);
                match &it.value {
                    JsonValue::String(s) => Ok((s.as_ref(), it.span, p)),
                    other => Err(err(
                        it.span,
                        p,
                        codes::INVALID_ELEMENT_TYPE,
                        format!(
                            "each {what} entry must be a string, found {}",
                            other.type_name()
                        ),
                    )),
                }
            })
            .collect(),
        other => Err(err(
            n.span,
            path.clone(),
            codes::INVALID_ELEMENT_TYPE,
            format!(
                "{what} must be a string or an array of strings, found {}",
                other.type_name()
            ),
        )),
    }
}

fn no_variable(
    ctx: &Ctx,
    text: &str,
    span: Span,
    path: &JsonPath,
    element: &str,
) -> Result<(), PolicyError> {
    if ctx.vars && text.contains("${") {
        return Err(err(
            span,
            path.clone(),
            codes::VARIABLE_UNSUPPORTED_IN_ELEMENT,
            format!(
                "Variable unsupported in element: policy variables are not allowed in {element}"
            ),
        ));
    }
    Ok(())
}

fn parse_statement(
    ctx: &Ctx,
    node: &JsonNode,
    index: usize,
    path: JsonPath,
) -> Result<Statement, PolicyError> {
    let members = match &node.value {
        JsonValue::Object(m) => m,
        other => {
            return Err(err(
                node.span,
                path,
                codes::INVALID_ELEMENT_TYPE,
                format!("a statement must be an object, found {}", other.type_name()),
            ))
        }
    };
    for m in members {
        check_element_name(m, STATEMENT_ELEMENTS, &path)?;
    }
    // Mutually exclusive pairs: report at the later of the two.
    for (a, b) in [
        ("Principal", "NotPrincipal"),
        ("Action", "NotAction"),
        ("Resource", "NotResource"),
    ] {
        let ia = members.iter().position(|m| m.key == a);
        let ib = members.iter().position(|m| m.key == b);
        if let (Some(ia), Some(ib)) = (ia, ib) {
            if let Some(later) = members.get(ia.max(ib)) {
                return Err(err(
                    later.key_span,
                    path.key(&later.key),
                    codes::UNSUPPORTED_ELEMENT_COMBINATION,
                    format!("a statement cannot have both {a} and {b}"),
                ));
            }
        }
    }

    let mut sid = None;
    let mut effect = None;
    let mut principal = None;
    let mut action = None;
    let mut resource = None;
    let mut conditions = Vec::new();
    let mut has_condition_element = false;
    for m in members {
        let p = path.key(&m.key);
        match m.key.as_ref() {
            "Sid" => sid = Some(expect_string(&m.value, &p, "Sid")?.to_string()),
            "Effect" => {
                let s = expect_string(&m.value, &p, "Effect")?;
                let e = match s {
                    "Allow" => Effect::Allow,
                    "Deny" => Effect::Deny,
                    other => {
                        let hint = if other.eq_ignore_ascii_case("allow")
                            || other.eq_ignore_ascii_case("deny")
                        {
                            " (the value is case-sensitive)"
                        } else {
                            ""
                        };
                        return Err(err(
                            m.value.span,
                            p,
                            codes::INVALID_EFFECT,
                            format!("Effect must be \"Allow\" or \"Deny\", found {other:?}{hint}"),
                        ));
                    }
                };
                effect = Some(e);
            }
            "Principal" | "NotPrincipal" => {
                principal = Some(parse_principal(ctx, m, p)?);
            }
            "Action" | "NotAction" => {
                action = Some(parse_action(ctx, m, p)?);
            }
            "Resource" | "NotResource" => {
                resource = Some(parse_resource(ctx, m, p)?);
            }
            _ => {
                has_condition_element = true;
                conditions = parse_condition(ctx, &m.value, p)?;
            }
        }
    }
    let Some(effect) = effect else {
        return Err(err(
            node.span,
            path,
            codes::MISSING_EFFECT,
            "statement has no Effect".to_string(),
        ));
    };
    let Some(action) = action else {
        return Err(err(
            node.span,
            path,
            codes::MISSING_ACTION,
            "statement has neither Action nor NotAction".to_string(),
        ));
    };
    if resource.is_none() && ctx.policy_type != PolicyType::Resource {
        return Err(err(
            node.span,
            path,
            codes::MISSING_RESOURCE,
            format!(
                "statement has neither Resource nor NotResource (required in {})",
                describe(ctx.policy_type)
            ),
        ));
    }
    if principal.is_none() && ctx.policy_type.has_principal() {
        return Err(err(
            node.span,
            path,
            codes::MISSING_PRINCIPAL,
            format!(
                "statement has neither Principal nor NotPrincipal (required in {})",
                describe(ctx.policy_type)
            ),
        ));
    }
    Ok(Statement {
        index,
        sid,
        effect,
        principal,
        action,
        resource,
        conditions,
        has_condition_element,
        span: node.span,
        path,
    })
}

fn parse_principal(
    ctx: &Ctx,
    m: &JsonMember,
    path: JsonPath,
) -> Result<PrincipalClause, PolicyError> {
    let negated = m.key == "NotPrincipal";
    match ctx.policy_type {
        PolicyType::Identity => {
            return Err(err(
                m.key_span,
                path,
                codes::PRINCIPAL_IN_IDENTITY_POLICY,
                format!("{} is not allowed in an identity policy", m.key),
            ))
        }
        PolicyType::ServiceControl => {
            return Err(err(
                m.key_span,
                path,
                codes::PRINCIPAL_IN_SERVICE_CONTROL_POLICY,
                format!("{} is not allowed in a service control policy", m.key),
            ))
        }
        PolicyType::Resource | PolicyType::ResourceControl => {}
    }
    let n = &m.value;
    let mut entries = Vec::new();
    match &n.value {
        JsonValue::String(s) => {
            no_variable(ctx, s, n.span, &path, &m.key)?;
            if s == "*" {
                entries.push(PrincipalEntry {
                    kind: PrincipalKind::Everyone,
                    value: "*".to_string(),
                    span: n.span,
                    path: path.clone(),
                });
            } else {
                // IAM's grammar allows only "*" as a string principal, but AWS's own article on
                // custom policy checks (the Amazon Science article introducing them) writes `"NotPrincipal": "123456789012"` and
                // iam-simulate reads such a string as `{"AWS": …}`. We read it the same way, so the
                // article's policies check as published, and `validate_policy` reports it as an
                // ERROR (AWS would reject the document) with code INVALID_PRINCIPAL_FORMAT. The
                // entry's path is the element itself (no "AWS" key), which is how it is recognised.
                if s.contains('*') || s.contains('?') {
                    return Err(err(
                        n.span,
                        path,
                        codes::UNSUPPORTED_WILDCARD_IN_PRINCIPAL,
                        format!(
                            "Unsupported wildcard in principal {s:?}: a wildcard may only stand alone, as \"*\" or {{\"AWS\": \"*\"}}"
                        ),
                    ));
                }
                entries.push(PrincipalEntry {
                    kind: PrincipalKind::Aws,
                    value: s.to_string(),
                    span: n.span,
                    path: path.clone(),
                });
            }
        }
        JsonValue::Array(items) if items.is_empty() => {}
        JsonValue::Object(keys) => {
            for k in keys {
                let kp = path.key(&k.key);
                let kind = match k.key.as_ref() {
                    "AWS" => PrincipalKind::Aws,
                    "Service" => PrincipalKind::Service,
                    "Federated" => PrincipalKind::Federated,
                    "CanonicalUser" => PrincipalKind::CanonicalUser,
                    other => {
                        let hint = PRINCIPAL_KEYS
                            .iter()
                            .find(|a| a.eq_ignore_ascii_case(other))
                            .map(|a| {
                                format!(
                                    ": principal keys are case-sensitive; did you mean \"{a}\"?"
                                )
                            })
                            .unwrap_or_else(|| {
                                format!(" (expected one of {})", PRINCIPAL_KEYS.join(", "))
                            });
                        return Err(err(
                            k.key_span,
                            kp,
                            codes::INVALID_PRINCIPAL_KEY,
                            format!("invalid principal key {other:?}{hint}"),
                        ));
                    }
                };
                for (text, span, p) in string_list(&k.value, &kp, "principal")? {
                    no_variable(ctx, text, span, &p, &m.key)?;
                    // `{"AWS": "*"}` is everyone; `{"Federated": "*"}` (and likewise `Service`,
                    // `CanonicalUser`) is read as every principal of that kind, as Access
                    // Analyzer's CheckNoNewAccess reads it (docs/semantics.md, "Principal
                    // wildcards of one kind"); validate_policy reports it as an ERROR.
                    let bare_star = text == "*";
                    if !bare_star && (text.contains('*') || text.contains('?')) {
                        return Err(err(
                            span,
                            p,
                            codes::UNSUPPORTED_WILDCARD_IN_PRINCIPAL,
                            format!(
                                "Unsupported wildcard in principal {text:?}: a wildcard may only stand alone, as \"*\" or {{\"AWS\": \"*\"}}"
                            ),
                        ));
                    }
                    entries.push(PrincipalEntry {
                        kind,
                        value: text.to_string(),
                        span,
                        path: p,
                    });
                }
            }
        }
        other => {
            return Err(err(
                n.span,
                path,
                codes::INVALID_ELEMENT_TYPE,
                format!(
                    "{} must be \"*\" or an object such as {{\"AWS\": …}}, found {}",
                    m.key,
                    other.type_name()
                ),
            ))
        }
    }
    if ctx.policy_type == PolicyType::ResourceControl
        && (negated || !matches!(entries.as_slice(), [e] if e.kind == PrincipalKind::Everyone))
    {
        return Err(err(
            n.span,
            path,
            codes::INVALID_RCP,
            "a resource control policy must use \"Principal\": \"*\"".to_string(),
        ));
    }
    Ok(PrincipalClause {
        negated,
        entries,
        span: n.span,
    })
}

fn parse_action(ctx: &Ctx, m: &JsonMember, path: JsonPath) -> Result<ActionClause, PolicyError> {
    let mut patterns = Vec::new();
    for (text, span, p) in string_list(&m.value, &path, &m.key)? {
        no_variable(ctx, text, span, &p, &m.key)?;
        if text != "*" {
            let why = match text.split_once(':') {
                None => Some("an action must be \"*\" or \"service:action\"".to_string()),
                Some((_, name)) if name.contains(':') => {
                    Some("an action has exactly one ':'".to_string())
                }
                Some(("", _)) => Some("the service prefix is empty".to_string()),
                Some((svc, _)) if svc.contains('*') || svc.contains('?') => {
                    Some("wildcards are not allowed in the service prefix".to_string())
                }
                Some(_) => None,
            };
            if let Some(why) = why {
                return Err(err(
                    span,
                    p,
                    codes::INVALID_ACTION,
                    format!("invalid action {text:?}: {why}"),
                ));
            }
        }
        patterns.push(ActionPattern {
            text: text.to_string(),
            span,
            path: p,
        });
    }
    Ok(ActionClause {
        negated: m.key == "NotAction",
        patterns,
        span: m.value.span,
    })
}

fn parse_resource(
    ctx: &Ctx,
    m: &JsonMember,
    path: JsonPath,
) -> Result<ResourceClause, PolicyError> {
    let mut patterns = Vec::new();
    for (text, span, p) in string_list(&m.value, &path, &m.key)? {
        let template = if ctx.vars && text.contains("${") {
            let t = split_template(text)
                .map_err(|e| err(span, p.clone(), codes::INVALID_VARIABLE, e.message))?;
            // Variables only after the service field (the 3rd ':'). The Variables page says
            // after the 5th, but AWS's own managed policy AmazonTimestreamInfluxDBServiceRolePolicy
            // uses `arn:*:kms:*:${aws:PrincipalAccount}:key/*`, so AWS accepts variables in the
            // region and account fields; iamproof's own checks (`IAMPROOF_VARIABLE_IN_ARN_PREFIX`)
            // report them.
            let mut colons = 0usize;
            for part in &t.parts {
                match part {
                    TemplatePart::Literal(s) | TemplatePart::Escaped(s) => {
                        colons += s.matches(':').count();
                    }
                    TemplatePart::Variable { .. } if colons < 3 => {
                        return Err(err(
                            span,
                            p,
                            codes::VARIABLE_UNSUPPORTED_IN_ELEMENT,
                            format!(
                                "Variable unsupported in element: in {text:?} a policy variable appears in the ARN prefix (variables are not allowed in the partition or service fields)"
                            ),
                        ));
                    }
                    TemplatePart::Variable { .. } => {}
                }
            }
            t
        } else {
            Template::literal(text)
        };
        patterns.push(ResourcePattern {
            text: text.to_string(),
            template,
            span,
            path: p,
        });
    }
    Ok(ResourceClause {
        negated: m.key == "NotResource",
        patterns,
        span: m.value.span,
    })
}

/// Parses an operator name, exact canonical case; errors name the canonical spelling.
pub(crate) fn parse_operator(name: &str) -> Result<Operator, (String, IssueCode)> {
    let (qualifier, rest) = match name.split_once(':') {
        None => (None, name),
        Some(("ForAllValues", rest)) => (Some(SetQualifier::ForAllValues), rest),
        Some(("ForAnyValue", rest)) => (Some(SetQualifier::ForAnyValue), rest),
        Some((q, _)) => {
            let hint = ["ForAllValues", "ForAnyValue"]
                .iter()
                .find(|c| c.eq_ignore_ascii_case(q))
                .map(|c| format!("; operator names are case-sensitive: did you mean \"{c}\"?"))
                .unwrap_or_else(|| {
                    "; the qualifier must be ForAllValues or ForAnyValue".to_string()
                });
            return Err((
                format!("invalid condition operator {name:?}: unknown qualifier {q:?}{hint}"),
                codes::INVALID_CONDITION_OPERATOR,
            ));
        }
    };
    let (base_name, if_exists) = match rest.strip_suffix("IfExists") {
        Some(b) => (b, true),
        None => (rest, false),
    };
    let Some(base) = BaseOperator::from_name(base_name) else {
        // Look for a miscased spelling to name.
        let lower = rest.to_ascii_lowercase();
        let (b, ie) = match lower.strip_suffix("ifexists") {
            Some(b) => (b.to_string(), true),
            None => (lower.clone(), false),
        };
        let canon = BaseOperator::ALL
            .iter()
            .find(|op| op.name().eq_ignore_ascii_case(&b))
            .map(|op| {
                let mut s = String::new();
                if let Some((q, _)) = name.split_once(':') {
                    s.push_str(q);
                    s.push(':');
                }
                s.push_str(op.name());
                if ie {
                    s.push_str("IfExists");
                }
                s
            });
        let hint = match canon {
            Some(c) => format!("; operator names are case-sensitive: did you mean \"{c}\"?"),
            None => String::new(),
        };
        return Err((
            format!("invalid condition operator {name:?}{hint}"),
            codes::INVALID_CONDITION_OPERATOR,
        ));
    };
    if base == BaseOperator::Null && if_exists {
        return Err((
            format!("invalid condition operator {name:?}: Null cannot take IfExists"),
            codes::NULL_WITH_IF_EXISTS,
        ));
    }
    Ok(Operator {
        qualifier,
        base,
        if_exists,
    })
}

fn parse_condition(
    ctx: &Ctx,
    node: &JsonNode,
    path: JsonPath,
) -> Result<Vec<Condition>, PolicyError> {
    let ops = match &node.value {
        JsonValue::Object(m) => m,
        other => {
            return Err(err(
                node.span,
                path,
                codes::INVALID_ELEMENT_TYPE,
                format!("Condition must be an object, found {}", other.type_name()),
            ))
        }
    };
    let mut out = Vec::new();
    for op in ops {
        let op_path = path.key(&op.key);
        let operator = parse_operator(&op.key)
            .map_err(|(msg, code)| err(op.key_span, op_path.clone(), code, msg))?;
        let keys = match &op.value.value {
            JsonValue::Object(k) => k,
            other => {
                return Err(err(
                    op.value.span,
                    op_path,
                    codes::INVALID_ELEMENT_TYPE,
                    format!(
                        "the value of condition operator {} must be an object of condition keys, found {}",
                        op.key,
                        other.type_name()
                    ),
                ))
            }
        };
        for (i, k) in keys.iter().enumerate() {
            let kp = op_path.key(&k.key);
            if k.key.is_empty() {
                return Err(err(
                    k.key_span,
                    kp,
                    codes::INVALID_CONDITION_KEY,
                    "empty condition key".to_string(),
                ));
            }
            if let Some(prev) = keys
                .iter()
                .take(i)
                .find(|p| p.key.eq_ignore_ascii_case(&k.key))
            {
                return Err(err(
                    k.key_span,
                    kp,
                    codes::DUPLICATE_KEYS_WITH_DIFFERENT_CASE,
                    format!(
                        "Duplicate keys with different case: {:?} and {:?} name the same condition key (key names are case-insensitive)",
                        prev.key, k.key
                    ),
                ));
            }
            no_variable(ctx, &k.key, k.key_span, &kp, "condition keys")?;
            let values = parse_condition_values(ctx, operator, &k.value, &kp)?;
            out.push(Condition {
                operator,
                key: k.key.to_string(),
                values,
                span: Span {
                    start: k.key_span.start,
                    end: k.value.span.end,
                },
                path: kp,
            });
        }
    }
    Ok(out)
}

fn parse_condition_values(
    ctx: &Ctx,
    operator: Operator,
    node: &JsonNode,
    path: &JsonPath,
) -> Result<Vec<ConditionValue>, PolicyError> {
    let one = |n: &JsonNode, p: JsonPath| -> Result<ConditionValue, PolicyError> {
        let (text, kind) = match &n.value {
            JsonValue::String(s) => (s.to_string(), JsonKind::String),
            JsonValue::Number(s) => (s.to_string(), JsonKind::Number),
            JsonValue::Bool(b) => (b.to_string(), JsonKind::Bool),
            other => {
                return Err(err(
                    n.span,
                    p,
                    codes::INVALID_CONDITION_VALUE,
                    format!(
                        "a condition value must be a string, number or boolean, found {}",
                        other.type_name()
                    ),
                ))
            }
        };
        let template = if ctx.vars && text.contains("${") {
            match operator.base.family() {
                OperatorFamily::String | OperatorFamily::Arn | OperatorFamily::Bool => {
                    split_template(&text)
                        .map_err(|e| err(n.span, p.clone(), codes::INVALID_VARIABLE, e.message))?
                }
                _ => {
                    return Err(err(
                        n.span,
                        p,
                        codes::INVALID_VARIABLE_FOR_OPERATOR,
                        format!(
                            "Invalid variable for operator: policy variables are not allowed in {} values",
                            operator.base.name()
                        ),
                    ))
                }
            }
        } else {
            Template::literal(&text)
        };
        Ok(ConditionValue {
            text,
            kind,
            template,
            span: n.span,
            path: p,
        })
    };
    match &node.value {
        JsonValue::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, it)| one(it, path.index(i)))
            .collect(),
        _ => Ok(vec![one(node, path.clone())?]),
    }
}
