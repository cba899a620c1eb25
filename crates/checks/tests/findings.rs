//! Access findings against an independent computation: on small policies (the article's bucket
//! policies, the bundled KMS key policy, hand-written ones with NotPrincipal and conditions),
//! every request over the policy's literals (and fresh values) that the reference evaluator
//! allows and that lies outside the zone is covered by some finding, and every finding's example
//! replays to Allow and lies outside.

mod common;

use common::{opts, policy};
use iamproof_checks::{
    access_findings, access_not_granted_findings, compare_policies, new_access_findings,
    public_access_findings, AccessSpec, ComparisonVerdict, Findings, FindingsOptions,
    PrincipalClass, ResourceType, ServiceReference, SolverEngine, TrustZone, Zone,
};
use iamproof_eval::matching::action_matches;
use iamproof_eval::{evaluate_policy, Context, ContextValue, Principal, Request};
use iamproof_logic::encode_policy;
use iamproof_logic::Formula;
use iamproof_policy::{OperatorFamily, Policy, PolicyType, PrincipalKind};

const PUBLIC_PUT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",
  "Action":["s3:PutObject"],"Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET"}]}"#;

const PUBLIC_PUT_DENY_OTHERS: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Principal":"*","Action":["s3:PutObject"],"Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET"},
  {"Effect":"Deny","NotPrincipal":"123456789012","Action":"*","Resource":"*"}]}"#;

const ACCOUNT_PUT_DELETE: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
  "Principal":"123456789012","Action":["s3:PutObject","s3:DeleteBucket"],
  "Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET"}]}"#;

const KMS_KEY_POLICY: &str = include_str!("../../../examples/kms/key-policy.json");

/// Several principals, conditions, an organization, a service and a NotPrincipal Allow.
const MIXED: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Sid":"Partners","Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::444455556666:role/Reader"]},
   "Action":["s3:GetObject","s3:List*"],"Resource":["arn:aws:s3:::bucket","arn:aws:s3:::bucket/*"]},
  {"Sid":"Org","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*",
   "Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abcdefghij"}}},
  {"Sid":"Logs","Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject",
   "Resource":"arn:aws:s3:::bucket/logs/*","Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}},
  {"Sid":"Vpc","Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::bucket/up/*",
   "Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}]}"#;

const NOT_PRINCIPAL_ALLOW: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::444455556666:user/blocked"},"Action":"sqs:SendMessage","Resource":"*"},
  {"Effect":"Deny","Principal":"*","Action":"sqs:SendMessage","Resource":"*",
   "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;

/// Everything the policy names, with wildcards filled, plus fresh values.
fn fill(s: &str) -> String {
    s.replace('*', "Foo").replace('?', "x")
}

fn principals_of(p: &Policy) -> Vec<Principal> {
    let mut out = vec![
        Principal::Arn("arn:aws:iam::111122223333:root".into()),
        Principal::Arn("arn:aws:iam::999988887777:user/x".into()),
        Principal::Arn("arn:aws:sts::999988887777:assumed-role/r/s".into()),
        Principal::Anonymous,
        Principal::Service("s3.amazonaws.com".into()),
        Principal::Federated("accounts.google.com".into()),
    ];
    for st in &p.statements {
        let Some(c) = &st.principal else { continue };
        for e in &c.entries {
            let v = e.value.as_str();
            match e.kind {
                PrincipalKind::Aws if v.len() == 12 => {
                    out.push(Principal::Arn(format!("arn:aws:iam::{v}:root")));
                    out.push(Principal::Arn(format!("arn:aws:iam::{v}:user/u")));
                }
                PrincipalKind::Aws if v.starts_with("arn:") => {
                    out.push(Principal::Arn(v.to_string()));
                    let f: Vec<&str> = v.splitn(6, ':').collect();
                    if let ["arn", part, "iam", _, acct, rest] = f[..] {
                        if let Some(role) = rest.strip_prefix("role/") {
                            out.push(Principal::Arn(format!(
                                "arn:{part}:sts::{acct}:assumed-role/{role}/s"
                            )));
                        }
                        out.push(Principal::Arn(format!("arn:{part}:iam::{acct}:user/other")));
                    }
                }
                PrincipalKind::Service => out.push(Principal::Service(v.to_string())),
                PrincipalKind::Federated => out.push(Principal::Federated(v.to_string())),
                _ => {}
            }
        }
    }
    out.dedup();
    out
}

fn actions_of(p: &Policy) -> Vec<String> {
    let mut out = vec!["s3:GetObject".to_string(), "svcx:Fresh".to_string()];
    for st in &p.statements {
        for a in &st.action.patterns {
            if a.text == "*" {
                continue;
            }
            let f = fill(&a.text);
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    out
}

fn resources_of(p: &Policy) -> Vec<String> {
    let mut out = vec!["arn:aws:s3:::other".to_string()];
    for st in &p.statements {
        for r in st.resource.iter().flat_map(|r| r.patterns.iter()) {
            let f = if r.text == "*" {
                "arn:aws:kms:us-east-1:123456789012:key/k".to_string()
            } else {
                fill(&r.text)
            };
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    out
}

/// Per condition key: absent, each value the policy names, a fresh value.
fn contexts_of(p: &Policy) -> Vec<Context> {
    let mut keys: Vec<(String, Vec<String>)> = Vec::new();
    for st in &p.statements {
        for c in &st.conditions {
            let mut values: Vec<String> = c
                .values
                .iter()
                .map(|v| {
                    if c.operator.base.family() == OperatorFamily::Ip {
                        v.text.split('/').next().unwrap_or("").to_string()
                    } else {
                        fill(&v.text)
                    }
                })
                .collect();
            values.push(if c.operator.base.family() == OperatorFamily::Ip {
                "198.51.100.7".into()
            } else if c.operator.base.family() == OperatorFamily::Bool {
                "true".into()
            } else {
                "fresh-value".into()
            });
            match keys
                .iter_mut()
                .find(|(k, _)| k.eq_ignore_ascii_case(&c.key))
            {
                Some((_, vs)) => vs.extend(values),
                None => keys.push((c.key.clone(), values)),
            }
        }
    }
    let mut out = vec![Context::new()];
    for (k, vs) in keys {
        let mut next = Vec::new();
        for ctx in &out {
            next.push(ctx.clone());
            for v in &vs {
                let mut c = ctx.clone();
                c.insert(&k, ContextValue::Single(v.clone()));
                next.push(c);
            }
        }
        out = next;
    }
    out
}

fn requests(p: &Policy) -> Vec<Request> {
    let mut out = Vec::new();
    for principal in principals_of(p) {
        for action in actions_of(p) {
            for resource in resources_of(p) {
                for context in contexts_of(p) {
                    out.push(Request {
                        principal: principal.clone(),
                        action: action.clone(),
                        resource: resource.clone(),
                        resource_account: None,
                        context,
                    });
                }
            }
        }
    }
    out
}

/// The constraints every real request satisfies (the findings' completeness is over them).
fn realistic(p: &Policy, x: &Formula) -> Formula {
    let e = encode_policy(p).unwrap();
    let goal = Formula::and([
        e.allows(),
        x.clone(),
        iamproof_checks::realistic_request(&[p]),
    ]);
    let goal = Formula::and2(goal.clone(), iamproof_checks::single_valued_keys(&goal));
    let axioms = iamproof_logic::request_axioms(&goal.vars());
    Formula::and2(iamproof_checks::realistic_request(&[p]), axioms)
}

/// The brute-force oracle: `outside` says whether a request has the property; returns how many
/// allowed requests with the property were enumerated.
fn brute(
    p: &Policy,
    f: &Findings,
    realistic: &Formula,
    outside: &dyn Fn(&Request) -> bool,
) -> usize {
    assert!(f.complete, "not complete: {:?}", f.incomplete_reason);
    for (n, finding) in f.findings.iter().enumerate() {
        let w = &finding.example_request;
        assert!(
            evaluate_policy(p, w).allows(),
            "finding {n}'s example is not allowed: {}",
            f.to_json_value()
        );
        assert!(outside(w), "finding {n}'s example is not outside");
        assert!(
            finding.coverage.eval(w),
            "finding {n}'s example is not in its coverage"
        );
        let ev = evaluate_policy(p, w);
        assert!(
            ev.allow
                .iter()
                .any(|m| finding.statement_indexes.contains(&m.statement_index)),
            "finding {n}'s example is not granted by its statements"
        );
    }
    let mut allowed = 0;
    for r in requests(p) {
        if r.check_concrete().is_err() || !realistic.eval(&r) {
            continue;
        }
        if !evaluate_policy(p, &r).allows() || !outside(&r) {
            continue;
        }
        allowed += 1;
        assert!(
            f.findings.iter().any(|x| x.coverage.eval(&r)),
            "allowed outside request covered by no finding: {:?}\nfindings: {}",
            r,
            f.to_json_value()
        );
        // The action patterns shown never hide the request's action.
        assert!(
            f.findings.iter().any(|x| x.coverage.eval(&r)
                && (!x.not_actions.is_empty()
                    || x.actions.iter().any(|p| action_matches(p, &r.action)))),
            "no covering finding shows a pattern of {}: {}",
            r.action,
            f.to_json_value()
        );
    }
    allowed
}

fn engine() -> SolverEngine {
    SolverEngine { options: opts() }
}

fn external(p: &Policy, rt: ResourceType, account: &str) -> (Findings, Zone) {
    let zone = Zone::external(
        rt,
        &TrustZone::new(vec![account.to_string()], vec![]).unwrap(),
    );
    let f = access_findings(
        p,
        rt,
        account,
        &TrustZone::default(),
        &engine(),
        &FindingsOptions::default(),
    );
    (f, zone)
}

fn outsider_of(p: &Policy, zone: &Zone) -> Formula {
    let e = encode_policy(p).unwrap();
    let keys: Vec<_> = Formula::or2(e.allow.clone(), e.deny.clone())
        .vars()
        .into_iter()
        .filter_map(|v| match v {
            iamproof_logic::Var::Key(k) => Some(k),
            _ => None,
        })
        .collect();
    zone.outsider(&keys)
}

#[test]
fn seed_public_bucket_has_one_public_finding() {
    let p = policy(PUBLIC_PUT, PolicyType::Resource);
    let (f, zone) = external(&p, ResourceType::S3Bucket, "123456789012");
    let x = outsider_of(&p, &zone);
    let n = brute(&p, &f, &realistic(&p, &x), &|r| x.eval(r));
    assert!(n > 0);
    assert_eq!(f.findings.len(), 1, "{}", f.to_json_value());
    let only = &f.findings[0];
    assert_eq!(only.principal.class, PrincipalClass::Public);
    assert_eq!(only.is_public, Some(true));
    assert_eq!(only.actions, vec!["s3:PutObject".to_string()]);
    assert_eq!(only.statement_indexes, vec![0]);
    assert!(f.minimal);
}

#[test]
fn seed_deny_not_principal_has_no_finding() {
    for text in [PUBLIC_PUT_DENY_OTHERS, ACCOUNT_PUT_DELETE] {
        let p = policy(text, PolicyType::Resource);
        let (f, zone) = external(&p, ResourceType::S3Bucket, "123456789012");
        let x = outsider_of(&p, &zone);
        assert_eq!(brute(&p, &f, &realistic(&p, &x), &|r| x.eval(r)), 0);
        assert!(f.findings.is_empty(), "{}", f.to_json_value());
    }
}

#[test]
fn kms_key_policy_names_the_analytics_role_with_its_condition() {
    let p = policy(KMS_KEY_POLICY, PolicyType::Resource);
    let (f, zone) = external(&p, ResourceType::KmsKey, "123456789012");
    let x = outsider_of(&p, &zone);
    assert!(brute(&p, &f, &realistic(&p, &x), &|r| x.eval(r)) > 0);
    assert_eq!(f.findings.len(), 1, "{}", f.to_json_value());
    let a = &f.findings[0];
    assert_eq!(a.principal.class, PrincipalClass::Arn);
    assert_eq!(
        a.principal.entries,
        vec![(
            "AWS".to_string(),
            "arn:aws:iam::444455556666:role/Analytics".to_string()
        )]
    );
    assert_eq!(a.statement_indexes, vec![2]);
    assert_eq!(a.is_public, Some(false));
    assert_eq!(
        a.condition["StringEquals"]["kms:ViaService"][0],
        "s3.us-east-1.amazonaws.com"
    );
}

#[test]
fn mixed_principals_and_conditions() {
    let p = policy(MIXED, PolicyType::Resource);
    let (f, zone) = external(&p, ResourceType::S3Bucket, "123456789012");
    let x = outsider_of(&p, &zone);
    assert!(brute(&p, &f, &realistic(&p, &x), &|r| x.eval(r)) > 0);
    let classes: Vec<PrincipalClass> = f.findings.iter().map(|x| x.principal.class).collect();
    // The two partner principals, the organization and the VPC endpoint; the service principal
    // is no outsider.
    assert!(classes.contains(&PrincipalClass::Account), "{classes:?}");
    assert!(classes.contains(&PrincipalClass::Arn), "{classes:?}");
    assert!(
        classes.contains(&PrincipalClass::Organization),
        "{classes:?}"
    );
    assert!(!classes.contains(&PrincipalClass::Service), "{classes:?}");
    assert_eq!(f.findings.len(), 4, "{}", f.to_json_value());
}

/// Conditions on the keys AWS derives from the principal (the findings issue's example, with a
/// second account): the account the condition excludes gets no finding, and the list is proven
/// complete (the keys are tests of the principal, docs/semantics.md "Global condition keys").
#[test]
fn principal_account_condition_excludes_an_account() {
    let p = policy(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
          "Principal":{"AWS":["arn:aws:iam::111122223333:root","444455556666"]},
          "Action":"s3:*t","Resource":"arn:aws:s3:::BKT/*",
          "Condition":{"StringNotEquals":{"aws:PrincipalAccount":"111122223333"}}}]}"#,
        PolicyType::Resource,
    );
    let (f, zone) = external(&p, ResourceType::S3Bucket, "999988887777");
    let x = outsider_of(&p, &zone);
    brute(&p, &f, &realistic(&p, &x), &|r| x.eval(r));
    assert_eq!(f.findings.len(), 1, "{}", f.to_json_value());
    assert_eq!(f.findings[0].principal.class, PrincipalClass::Account);
    assert!(
        f.to_json_value().to_string().contains("444455556666"),
        "{}",
        f.to_json_value()
    );
}

#[test]
fn not_principal_allow_is_one_class() {
    let p = policy(NOT_PRINCIPAL_ALLOW, PolicyType::Resource);
    let (f, zone) = external(&p, ResourceType::SqsQueue, "123456789012");
    let x = outsider_of(&p, &zone);
    assert!(brute(&p, &f, &realistic(&p, &x), &|r| x.eval(r)) > 0);
    assert_eq!(f.findings.len(), 1, "{}", f.to_json_value());
    assert_eq!(f.findings[0].principal.class, PrincipalClass::NotPrincipal);
    assert_eq!(f.findings[0].is_public, Some(true));
}

#[test]
fn seed_new_access_is_delete_bucket_by_the_account() {
    let old = policy(PUBLIC_PUT_DENY_OTHERS, PolicyType::Resource);
    let new = policy(ACCOUNT_PUT_DELETE, PolicyType::Resource);
    let f = new_access_findings(&old, &new, &engine(), &FindingsOptions::default());
    let e = encode_policy(&old).unwrap();
    let x = Formula::not(e.allows());
    let outside = |r: &Request| !evaluate_policy(&old, r).allows();
    assert!(brute(&new, &f, &realistic(&new, &x), &outside) > 0);
    assert_eq!(f.findings.len(), 1, "{}", f.to_json_value());
    assert_eq!(f.findings[0].principal.class, PrincipalClass::Account);
    // DeleteBucket is new; so is PutObject for the account's users (the old Deny's
    // NotPrincipal exempts only the account's root), so both patterns are shown.
    assert_eq!(
        f.findings[0].actions,
        vec!["s3:PutObject".to_string(), "s3:DeleteBucket".to_string()]
    );
    let user_put = Request {
        principal: Principal::Arn("arn:aws:iam::123456789012:user/u".into()),
        action: "s3:PutObject".into(),
        resource: "arn:aws:s3:::DOC-EXAMPLE-BUCKET".into(),
        resource_account: None,
        context: Context::new(),
    };
    assert!(
        evaluate_policy(&new, &user_put).allows() && !evaluate_policy(&old, &user_put).allows()
    );
    // Against the public PutObject policy alone, PutObject is not new: only DeleteBucket shows.
    let public = policy(PUBLIC_PUT, PolicyType::Resource);
    let f = new_access_findings(&public, &new, &engine(), &FindingsOptions::default());
    assert_eq!(f.findings.len(), 1, "{}", f.to_json_value());
    assert_eq!(f.findings[0].actions, vec!["s3:DeleteBucket".to_string()]);
}

#[test]
fn access_not_granted_and_public_findings() {
    let p = policy(MIXED, PolicyType::Resource);
    let access = AccessSpec::from_json(r#"[{"actions":["s3:PutObject"]}]"#).unwrap();
    let f = access_not_granted_findings(&p, &access, &engine(), &FindingsOptions::default());
    let outside = |r: &Request| iamproof_checks::access_matches(&access, r);
    let x = iamproof_checks::access_formula(&access);
    assert!(brute(&p, &f, &realistic(&p, &x), &outside) > 0);
    let mut st: Vec<usize> = f
        .findings
        .iter()
        .flat_map(|x| x.statement_indexes.clone())
        .collect();
    st.sort_unstable();
    st.dedup();
    assert_eq!(st, vec![2, 3], "{}", f.to_json_value());

    let f = public_access_findings(
        &p,
        ResourceType::S3Bucket,
        &engine(),
        &FindingsOptions::default(),
    );
    let zone = Zone::public(&p, ResourceType::S3Bucket);
    let x = outsider_of(&p, &zone);
    // Every account, organization and endpoint the policy names is fixed: nothing is public.
    assert_eq!(brute(&p, &f, &realistic(&p, &x), &|r| x.eval(r)), 0);
    assert!(f.findings.is_empty(), "{}", f.to_json_value());

    let p = policy(PUBLIC_PUT, PolicyType::Resource);
    let f = public_access_findings(
        &p,
        ResourceType::S3Bucket,
        &engine(),
        &FindingsOptions::default(),
    );
    let zone = Zone::public(&p, ResourceType::S3Bucket);
    let x = outsider_of(&p, &zone);
    assert!(brute(&p, &f, &realistic(&p, &x), &|r| x.eval(r)) > 0);
    assert_eq!(f.findings.len(), 1);
    assert_eq!(f.findings[0].is_public, Some(true));
}

#[test]
fn compare_both_ways() {
    let a = policy(PUBLIC_PUT, PolicyType::Resource);
    let b = policy(PUBLIC_PUT_DENY_OTHERS, PolicyType::Resource);
    let c = policy(ACCOUNT_PUT_DELETE, PolicyType::Resource);
    let o = FindingsOptions::default();
    assert_eq!(
        compare_policies(&a, &a, &engine(), &o).verdict,
        ComparisonVerdict::Equivalent
    );
    assert_eq!(
        compare_policies(&a, &b, &engine(), &o).verdict,
        ComparisonVerdict::AMorePermissive
    );
    assert_eq!(
        compare_policies(&b, &a, &engine(), &o).verdict,
        ComparisonVerdict::BMorePermissive
    );
    let ac = compare_policies(&a, &c, &engine(), &o);
    assert_eq!(ac.verdict, ComparisonVerdict::Incomparable);
    assert!(!ac.a_extra.findings.is_empty() && !ac.b_extra.findings.is_empty());
}

fn iam_data() -> Option<ServiceReference> {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/iam-data");
    ServiceReference::load(&dir).ok()
}

#[test]
fn concrete_actions_of_the_kms_finding() {
    let Some(reference) = iam_data() else {
        eprintln!("iam-data not found; skipped");
        return;
    };
    let p = policy(KMS_KEY_POLICY, PolicyType::Resource);
    let o = FindingsOptions {
        service_reference: Some(&reference),
        max_action_questions: 0,
    };
    let f = access_findings(
        &p,
        ResourceType::KmsKey,
        "123456789012",
        &TrustZone::default(),
        &engine(),
        &o,
    );
    let a = f.findings[0].concrete_actions.clone().unwrap();
    let expected = reference.expand(
        &["kms:Decrypt".into(), "kms:GenerateDataKey*".into()],
        false,
    );
    assert_eq!(a, expected);
    assert!(a.iter().any(|x| x == "kms:GenerateDataKeyWithoutPlaintext"));
    assert!(!f.findings[0].concrete_actions_truncated);
}

/// The resource policies of the AWS IAM User Guide examples: findings of external access (the
/// owner being the first account the document names, or 123456789012) are complete, every
/// example replays and lies outside, and on documents small enough the brute-force oracle finds
/// no allowed outside request that the findings miss; the same for the public findings against
/// the public zone.
#[test]
fn user_guide_resource_policies() {
    let examples = iamproof_corpora::Corpora::locate()
        .user_guide_examples()
        .unwrap();
    let engine = SolverEngine {
        options: iamproof_checks::CheckOptions {
            backend: iamproof_checks::Backend::Native,
            timeout: std::time::Duration::from_secs(10),
        },
    };
    let (mut n, mut enumerated, mut with_findings) = (0, 0, 0);
    let mut incomplete = Vec::new();
    for v in &examples {
        let doc = serde_json::to_string(&v.policy).unwrap_or_default();
        if !doc.contains("Principal\"") {
            continue;
        }
        let Ok(p) = iamproof_policy::parse_policy(&doc, PolicyType::Resource) else {
            continue;
        };
        n += 1;
        let owner = doc
            .split(|c: char| !c.is_ascii_digit())
            .find(|t| t.len() == 12)
            .unwrap_or("123456789012")
            .to_string();
        let rt = ResourceType::S3Bucket;
        let f = access_findings(
            &p,
            rt,
            &owner,
            &TrustZone::default(),
            &engine,
            &FindingsOptions::default(),
        );
        if !f.complete {
            incomplete.push(format!("{}: {:?}", v.source, f.incomplete_reason));
            continue;
        }
        if !f.findings.is_empty() {
            with_findings += 1;
        }
        let zone = Zone::external(rt, &TrustZone::new(vec![owner], vec![]).unwrap());
        let x = outsider_of(&p, &zone);
        let small = principals_of(&p).len()
            * actions_of(&p).len()
            * resources_of(&p).len()
            * contexts_of(&p).len()
            <= 200_000;
        // The public findings of the same document, against the public zone.
        let fp = public_access_findings(&p, rt, &engine, &FindingsOptions::default());
        if !fp.complete {
            incomplete.push(format!("{} (public): {:?}", v.source, fp.incomplete_reason));
            continue;
        }
        let public_zone = Zone::public(&p, rt);
        let xp = outsider_of(&p, &public_zone);
        if small {
            enumerated += 1;
            brute(&p, &f, &realistic(&p, &x), &|r| x.eval(r));
            brute(&p, &fp, &realistic(&p, &xp), &|r| xp.eval(r));
        } else {
            for finding in &f.findings {
                assert!(evaluate_policy(&p, &finding.example_request).allows());
                assert!(x.eval(&finding.example_request));
            }
        }
    }
    println!(
        "user guide: {n} resource policies, {with_findings} with findings, {enumerated} enumerated, {} incomplete",
        incomplete.len()
    );
    assert!(incomplete.is_empty(), "{}", incomplete.join("\n"));
    assert!(
        n >= 20 && enumerated >= 10,
        "{n} policies, {enumerated} enumerated"
    );
}

/// The oracle is not vacuous: with any one finding left out, it finds an allowed outside
/// request that no remaining finding covers.
#[test]
fn oracle_catches_a_missing_finding() {
    let p = policy(MIXED, PolicyType::Resource);
    let (f, zone) = external(&p, ResourceType::S3Bucket, "123456789012");
    let x = outsider_of(&p, &zone);
    let real = realistic(&p, &x);
    assert!(f.findings.len() > 1);
    for i in 0..f.findings.len() {
        let mut fewer = f.clone();
        fewer.findings.remove(i);
        let caught = std::panic::catch_unwind(|| brute(&p, &fewer, &real, &|r| x.eval(r)));
        assert!(caught.is_err(), "finding {i} left out went unnoticed");
    }
}

/// A statement whose grant another one contains gives no finding of its own.
#[test]
fn contained_grants_are_dropped() {
    let text = r#"{"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"},
      {"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/k"}]}"#;
    let p = policy(text, PolicyType::Resource);
    let (f, zone) = external(&p, ResourceType::S3Bucket, "123456789012");
    let x = outsider_of(&p, &zone);
    assert!(brute(&p, &f, &realistic(&p, &x), &|r| x.eval(r)) > 0);
    assert_eq!(f.findings.len(), 1, "{}", f.to_json_value());
    assert_eq!(f.findings[0].principal.class, PrincipalClass::Public);
    assert!(f.minimal);
}

/// An engine that never proves anything never gives a complete list, and compare never says
/// equivalent with it.
#[test]
fn an_undecided_engine_gives_no_proof() {
    let p = policy(PUBLIC_PUT, PolicyType::Resource);
    let w = Request {
        principal: Principal::Arn("arn:aws:iam::111122223333:root".into()),
        action: "s3:PutObject".into(),
        resource: "arn:aws:s3:::DOC-EXAMPLE-BUCKET".into(),
        resource_account: None,
        context: Context::new(),
    };
    let engine = iamproof_checks::PoolEngine { pool: vec![w] };
    let o = FindingsOptions::default();
    let f = access_findings(
        &p,
        ResourceType::S3Bucket,
        "123456789012",
        &TrustZone::default(),
        &engine,
        &o,
    );
    assert!(!f.complete);
    assert!(f.incomplete_reason.is_some());
    assert_eq!(f.findings.len(), 1, "{}", f.to_json_value());
    assert_eq!(
        compare_policies(&p, &p, &engine, &o).verdict,
        ComparisonVerdict::Undecided
    );
}
