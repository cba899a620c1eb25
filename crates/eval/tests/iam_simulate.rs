//! Runs the iam-simulate test corpus (read at run time from `../shared/corpora`, never copied:
//! it is AGPL) through the evaluator and compares decisions.
//!
//! Mapping (see `SOURCE.txt` of the corpus for the format):
//! - core engine cases (`src/core_engine/coreEngineTests/**.json`): `request` → [`Request`]
//!   (`resource.accountId` → `resource_account`; a principal string starting with `arn:` is an
//!   ARN principal, one ending in `.amazonaws.com` a service principal, `{"type":"Anonymous"}`
//!   anonymous); identity policies → `PolicyType::Identity`, `resourcePolicy` → `Resource`,
//!   SCP levels → `ServiceControl`, RCP levels → `ResourceControl` with the AWS-managed
//!   `RCPFullAWSAccess` added to every level (as the corpus's own runner and AWS do),
//!   boundaries and session policy → `Identity`, endpoint policies → `Resource`. Judged:
//!   `expected.response`.
//! - simulation-engine integration cases
//!   (`src/simulation_engine/simulationEngineIntegrationTests/**.json`): `simulation.request`
//!   (`contextVariables`) and the `{name, policy}` wrappers, judged on `expected.overallResult`.
//!
//! Skipped, with the count printed:
//! - `Discovery` simulation mode (core `simulation.mode`, integration
//!   `simulationOptions.simulationMode`): it deliberately ignores conditions, so it is not a
//!   concrete evaluation;
//! - integration cases whose `resultType` is not `single`: their request resource is a pattern
//!   (`arn:aws:s3:::bucket/*`) standing for many resources, which a concrete evaluator does not
//!   take;
//! - the `resourcePolicies` (plural) field, which the corpus's own runner ignores too.
//!
//! iam-simulate ignores `Principal` in identity-like policies and requires none in SCPs, RCPs
//! and endpoint policies; our parser is strict, so the harness removes `Principal`/`NotPrincipal`
//! from identity policies, boundaries, session policies and SCPs, and adds `"Principal":"*"` to
//! RCP and endpoint statements that have neither (the meaning iam-simulate gives them).
//!
//! Every disagreement must be listed in `tests/known_differences.txt` (`name<TAB>reason`) and
//! every listed case must still disagree.

use iamproof_eval::{evaluate, Context, ContextValue, PolicySet, Principal, Request};
use iamproof_policy::{parse_policy, Policy, PolicyType};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// How a policy is to be massaged before parsing (see the module doc).
#[derive(Clone, Copy)]
enum Shape {
    NoPrincipal,
    StarPrincipal,
    AsIs,
}

fn reshape(policy: &Value, shape: Shape) -> Value {
    let mut p = policy.clone();
    let fix = |s: &mut Map<String, Value>| match shape {
        Shape::NoPrincipal => {
            s.remove("Principal");
            s.remove("NotPrincipal");
        }
        Shape::StarPrincipal => {
            if !s.contains_key("Principal") && !s.contains_key("NotPrincipal") {
                s.insert("Principal".into(), Value::String("*".into()));
            }
        }
        // A string Principal other than "*" needs no rewriting: iamproof-policy reads it as
        // {"AWS": …}, as iam-simulate does.
        Shape::AsIs => {}
    };
    if let Some(stmts) = p.get_mut("Statement") {
        match stmts {
            Value::Array(a) => {
                for s in a.iter_mut() {
                    if let Value::Object(o) = s {
                        fix(o);
                    }
                }
            }
            Value::Object(o) => fix(o),
            _ => {}
        }
    }
    p
}

fn parse(policy: &Value, t: PolicyType, shape: Shape) -> Result<Policy, String> {
    let reshaped = reshape(policy, shape);
    let text = serde_json::to_string(&reshaped).map_err(|e| e.to_string())?;
    match parse_policy(&text, t) {
        Ok(p) => Ok(p),
        Err(e) if t == PolicyType::Resource => {
            resource_policy_by_statement(&reshaped).ok_or(format!("policy rejected by parser: {e}"))
        }
        Err(e) => Err(format!("policy rejected by parser: {e}")),
    }
}

/// iam-simulate accepts resource-policy statements without `Principal` (they never match);
/// the strict parser rejects the document. Build the model statement by statement instead:
/// statements without a principal element are parsed in an identity-policy wrapper (which
/// allows that) and then placed in a resource policy, where the evaluator gives them their
/// meaning (no principal element: never matches).
fn resource_policy_by_statement(policy: &Value) -> Option<Policy> {
    let version = policy.get("Version").cloned();
    let stmts = match policy.get("Statement")? {
        Value::Array(a) => a.clone(),
        other => vec![other.clone()],
    };
    let mut statements = Vec::new();
    for (index, s) in stmts.iter().enumerate() {
        let has_principal = s.get("Principal").is_some() || s.get("NotPrincipal").is_some();
        let mut doc = Map::new();
        if let Some(v) = &version {
            doc.insert("Version".into(), v.clone());
        }
        doc.insert("Statement".into(), Value::Array(vec![s.clone()]));
        let text = serde_json::to_string(&Value::Object(doc)).ok()?;
        let t = if has_principal {
            PolicyType::Resource
        } else {
            PolicyType::Identity
        };
        let mut one = parse_policy(&text, t).ok()?;
        let mut st = one.statements.pop()?;
        st.index = index;
        statements.push(st);
    }
    Some(Policy {
        version: match version.as_ref().and_then(Value::as_str) {
            Some("2012-10-17") => Some(iamproof_policy::Version::V2012_10_17),
            Some("2008-10-17") => Some(iamproof_policy::Version::V2008_10_17),
            _ => None,
        },
        id: None,
        statements,
        policy_type: PolicyType::Resource,
    })
}

/// `{name, policy}` wrapper (integration files) or a bare policy (core files).
fn unwrap_policy(v: &Value) -> &Value {
    v.get("policy").unwrap_or(v)
}

fn parse_list(v: Option<&Value>, t: PolicyType, shape: Shape) -> Result<Vec<Policy>, String> {
    let mut out = Vec::new();
    if let Some(Value::Array(a)) = v {
        for p in a {
            out.push(parse(unwrap_policy(p), t, shape)?);
        }
    }
    Ok(out)
}

fn parse_levels(
    v: Option<&Value>,
    t: PolicyType,
    shape: Shape,
    default: Option<&Policy>,
) -> Result<Vec<Vec<Policy>>, String> {
    let mut levels = Vec::new();
    if let Some(Value::Array(a)) = v {
        for level in a {
            let mut ps: Vec<Policy> = default.into_iter().cloned().collect();
            ps.extend(parse_list(level.get("policies"), t, shape)?);
            levels.push(ps);
        }
    }
    Ok(levels)
}

fn principal(v: &Value) -> Result<Principal, String> {
    match v {
        Value::String(s) if s.starts_with("arn:") => Ok(Principal::Arn(s.clone())),
        Value::String(s) if s.ends_with(".amazonaws.com") => Ok(Principal::Service(s.clone())),
        Value::Object(o) if o.get("type").and_then(Value::as_str) == Some("Anonymous") => {
            Ok(Principal::Anonymous)
        }
        other => Err(format!("unmapped principal {other}")),
    }
}

fn scalar(v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(format!("unmapped context value {other}")),
    }
}

fn request(r: &Value, context_field: &str) -> Result<Request, String> {
    let action = r
        .get("action")
        .and_then(Value::as_str)
        .ok_or("no action")?
        .to_string();
    let res = r.get("resource").ok_or("no resource")?;
    let resource = res
        .get("resource")
        .and_then(Value::as_str)
        .ok_or("no resource.resource")?
        .to_string();
    let resource_account = res
        .get("accountId")
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut context = Context::new();
    if let Some(Value::Object(c)) = r.get(context_field) {
        for (k, v) in c {
            let value = match v {
                Value::Array(a) => {
                    ContextValue::Multi(a.iter().map(scalar).collect::<Result<_, _>>()?)
                }
                other => ContextValue::Single(scalar(other)?),
            };
            context.insert(k, value);
        }
    }
    Ok(Request {
        principal: principal(r.get("principal").ok_or("no principal")?)?,
        action,
        resource,
        resource_account,
        context,
    })
}

fn full_access_rcp() -> Policy {
    let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#;
    match parse_policy(text, PolicyType::ResourceControl) {
        Ok(p) => p,
        Err(e) => panic!("RCPFullAWSAccess does not parse: {e}"),
    }
}

/// Builds the policy set from a case object holding the policy fields.
fn policy_set(c: &Value, boundary_field: &str) -> Result<PolicySet, String> {
    let rcp_default = full_access_rcp();
    Ok(PolicySet {
        identity: parse_list(
            c.get("identityPolicies"),
            PolicyType::Identity,
            Shape::NoPrincipal,
        )?,
        resource: match c.get("resourcePolicy") {
            Some(Value::Null) | None => None,
            Some(p) => Some(parse(unwrap_policy(p), PolicyType::Resource, Shape::AsIs)?),
        },
        permission_boundaries: parse_list(
            c.get(boundary_field),
            PolicyType::Identity,
            Shape::NoPrincipal,
        )?,
        session: match c.get("sessionPolicy") {
            Some(Value::Null) | None => None,
            Some(p) => Some(parse(
                unwrap_policy(p),
                PolicyType::Identity,
                Shape::NoPrincipal,
            )?),
        },
        scps: parse_levels(
            c.get("serviceControlPolicies"),
            PolicyType::ServiceControl,
            Shape::NoPrincipal,
            None,
        )?,
        rcps: parse_levels(
            c.get("resourceControlPolicies"),
            PolicyType::ResourceControl,
            Shape::StarPrincipal,
            Some(&rcp_default),
        )?,
        endpoint: parse_list(
            c.get("endpointPolicies"),
            PolicyType::Resource,
            Shape::StarPrincipal,
        )?,
    })
}

enum Case {
    Run {
        set: Box<PolicySet>,
        request: Request,
        expected: String,
    },
    Skip(&'static str),
    Unmappable(String),
}

fn core_case(rel: &str, c: &Value) -> Case {
    if c.pointer("/simulation/mode").and_then(Value::as_str) == Some("Discovery") {
        return Case::Skip("discovery mode");
    }
    let res = c
        .pointer("/request/resource/resource")
        .and_then(Value::as_str)
        .unwrap_or("");
    if rel.contains("resourceWildcards/") || (res.contains('*') && res != "*") {
        return Case::Skip("wildcard request resource");
    }
    let expected = match c.pointer("/expected/response").and_then(Value::as_str) {
        Some(e) => e.to_string(),
        None => return Case::Unmappable("no expected.response".into()),
    };
    let request = match c
        .get("request")
        .ok_or("no request".to_string())
        .and_then(|r| request(r, "context"))
    {
        Ok(r) => r,
        Err(e) => return Case::Unmappable(e),
    };
    match policy_set(c, "permissionBoundaries") {
        Ok(set) => Case::Run {
            set: Box::new(set),
            request,
            expected,
        },
        Err(e) => Case::Unmappable(e),
    }
}

fn integration_case(c: &Value) -> Case {
    if c.pointer("/simulationOptions/simulationMode")
        .and_then(Value::as_str)
        == Some("Discovery")
    {
        return Case::Skip("discovery mode");
    }
    if c.pointer("/expected/resultType").and_then(Value::as_str) != Some("single") {
        return Case::Skip("wildcard request resource");
    }
    let expected = match c.pointer("/expected/overallResult").and_then(Value::as_str) {
        Some(e) => e.to_string(),
        None => return Case::Unmappable("no expected.overallResult".into()),
    };
    let Some(sim) = c.get("simulation") else {
        return Case::Unmappable("no simulation".into());
    };
    let request = match sim
        .get("request")
        .ok_or("no request".to_string())
        .and_then(|r| request(r, "contextVariables"))
    {
        Ok(r) => r,
        Err(e) => return Case::Unmappable(e),
    };
    match policy_set(sim, "permissionBoundaryPolicies") {
        Ok(set) => Case::Run {
            set: Box::new(set),
            request,
            expected,
        },
        Err(e) => Case::Unmappable(e),
    }
}

fn known_differences() -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/known_differences.txt");
    let text = fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(n, r)| (n.to_string(), r.to_string()))
        .collect()
}

#[test]
fn iam_simulate_corpus() {
    let files = iamproof_corpora::Corpora::locate()
        .iam_simulate_files()
        .unwrap();
    let known = known_differences();
    let (mut agreed, mut judged) = (0usize, 0usize);
    let mut skipped: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut failures: Vec<String> = Vec::new();
    let mut still_differ = std::collections::BTreeSet::new();
    for file in &files {
        let (rel, integration, cases) = (&file.rel, file.integration, &file.cases);
        for c in cases {
            let name = format!(
                "{}::{}",
                rel,
                c.get("name").and_then(Value::as_str).unwrap_or("?")
            );
            let case = if integration {
                integration_case(c)
            } else {
                core_case(rel, c)
            };
            match case {
                Case::Skip(why) => *skipped.entry(why).or_default() += 1,
                Case::Unmappable(why) => {
                    judged += 1;
                    if known.contains_key(&name) {
                        still_differ.insert(name.clone());
                    } else {
                        failures.push(format!("{name}\n    not run: {why}"));
                    }
                }
                Case::Run {
                    set,
                    request,
                    expected,
                } => {
                    judged += 1;
                    let got = evaluate(&set, &request);
                    if got.decision.as_str() == expected {
                        agreed += 1;
                        if known.contains_key(&name) {
                            failures.push(format!(
                                "{name}\n    listed in known_differences.txt but now agrees"
                            ));
                        }
                    } else if known.contains_key(&name) {
                        still_differ.insert(name.clone());
                    } else {
                        failures.push(format!(
                            "{name}\n    expected {expected}, got {} (deciding {:?})",
                            got.decision.as_str(),
                            got.deciding
                        ));
                    }
                }
            }
        }
    }
    for name in known.keys() {
        if !still_differ.contains(name) && !failures.iter().any(|f| f.starts_with(name.as_str())) {
            failures.push(format!(
                "{name}\n    listed in known_differences.txt but not found"
            ));
        }
    }
    println!("agreed {agreed} of {judged}");
    println!("skipped: {skipped:?}");
    println!("known differences: {}", still_differ.len());
    assert!(
        failures.is_empty(),
        "{} unlisted disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
