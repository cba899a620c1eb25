//! Shared test support: a request sampler that draws requests from the vocabulary of a policy
//! (its own actions, resources, principals, keys and values, with wildcards instantiated and
//! values perturbed), and the agreement check between the encoding and the reference evaluator.

#![allow(dead_code)]

use iamproof_eval::{evaluate_policy, Context, ContextValue, PrincipalMatch, Request};
use iamproof_logic::{encode_policy, EncodedPolicy};
use iamproof_policy::{Policy, PrincipalKind, TemplatePart};
use std::collections::BTreeSet;

/// A tiny deterministic PRNG (xorshift64*), so failures reproduce.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> Option<&'a T> {
        if v.is_empty() {
            None
        } else {
            v.get(self.below(v.len()))
        }
    }
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        self.next() % den < num
    }
}

/// Instantiations of a wildcard text: `*` → several fillers, `?` → one char.
fn instantiate(text: &str, rng: &mut Rng) -> String {
    const FILL: &[&str] = &["", "x", "Get", "a/b", "a:b", "*", "Ab/c:d"];
    let mut s = String::new();
    for c in text.chars() {
        match c {
            '*' => s.push_str(rng.pick(FILL).copied().unwrap_or("")),
            '?' => s.push(*rng.pick(&['a', 'Z', '/', ':', '?']).unwrap_or(&'a')),
            c => s.push(c),
        }
    }
    s
}

fn flip_case(s: &str, rng: &mut Rng) -> String {
    s.chars()
        .map(|c| {
            if rng.chance(1, 3) {
                if c.is_uppercase() {
                    c.to_ascii_lowercase()
                } else {
                    c.to_ascii_uppercase()
                }
            } else {
                c
            }
        })
        .collect()
}

fn template_text(t: &iamproof_policy::Template, fill: &[String], rng: &mut Rng) -> String {
    let mut s = String::new();
    for p in &t.parts {
        match p {
            TemplatePart::Literal(l) => s.push_str(l),
            TemplatePart::Escaped(l) => s.push_str(l),
            TemplatePart::Variable { default, .. } => {
                if let Some(d) = default.as_ref().filter(|_| rng.chance(1, 2)) {
                    s.push_str(d);
                } else {
                    s.push_str(rng.pick(fill).map(String::as_str).unwrap_or("v"));
                }
            }
        }
    }
    s
}

/// Everything a policy mentions, to build requests that exercise it.
pub struct Vocab {
    pub actions: Vec<String>,
    pub resources: Vec<String>,
    pub principals: Vec<iamproof_eval::Principal>,
    pub keys: Vec<String>,
    pub values: Vec<String>,
}

fn ip_variants(text: &str) -> Vec<String> {
    let addr = text.split('/').next().unwrap_or(text);
    let mut out = vec![addr.to_string()];
    if let Ok(a) = addr.parse::<std::net::Ipv4Addr>() {
        let n = u32::from(a);
        for d in [1u32, 255, 256, 65536] {
            out.push(std::net::Ipv4Addr::from(n.wrapping_add(d)).to_string());
            out.push(std::net::Ipv4Addr::from(n.wrapping_sub(d)).to_string());
        }
    }
    if let Ok(a) = addr.parse::<std::net::Ipv6Addr>() {
        let n = u128::from(a);
        for d in [1u128, 1 << 80, 1 << 100] {
            out.push(std::net::Ipv6Addr::from(n.wrapping_add(d)).to_string());
        }
    }
    out
}

fn number_variants(text: &str) -> Vec<String> {
    let mut out = vec![text.to_string(), format!("{text}0"), format!("-{text}")];
    if let Ok(n) = text.parse::<i64>() {
        for d in [-1i64, 1, 3600] {
            out.push((n + d).to_string());
        }
    }
    out.push(format!("{text}.5"));
    out
}

impl Vocab {
    pub fn of(policy: &Policy, rng: &mut Rng) -> Vocab {
        let mut actions = BTreeSet::new();
        let mut resources = BTreeSet::new();
        let mut principals = vec![
            iamproof_eval::Principal::Anonymous,
            iamproof_eval::Principal::Arn("arn:aws:iam::111122223333:user/alice".into()),
            iamproof_eval::Principal::Arn("arn:aws:sts::111122223333:assumed-role/Admin/s".into()),
            iamproof_eval::Principal::Service("lambda.amazonaws.com".into()),
        ];
        let mut keys: BTreeSet<String> = [
            "aws:PrincipalAccount",
            "aws:PrincipalArn",
            "aws:username",
            "aws:SourceIp",
            "aws:TagKeys",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut values: BTreeSet<String> = [
            "",
            "true",
            "false",
            "TRUE",
            "111122223333",
            "x",
            "10",
            "2020-01-01T00:00:00Z",
            "203.0.113.7",
            "::1",
            "aGk=",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for extra in [
            "s3:GetObject",
            "iam:PassRole",
            "ec2:RunInstances",
            "nocolon",
            "a:b:c",
        ] {
            actions.insert(extra.to_string());
        }
        for extra in [
            "*",
            "arn:aws:s3:::bucket/key",
            "arn:aws:s3:::bucket",
            "notanarn",
            "",
        ] {
            resources.insert(extra.to_string());
        }
        // Condition values first: they feed variable fills.
        for st in &policy.statements {
            for c in &st.conditions {
                keys.insert(c.key.clone());
                for v in &c.values {
                    values.insert(v.text.clone());
                    values.insert(instantiate(&v.text, rng));
                    values.insert(flip_case(&v.text, rng));
                    for t in &v.template.parts {
                        if let TemplatePart::Variable { key, .. } = t {
                            keys.insert(key.trim().to_string());
                        }
                    }
                    for x in ip_variants(&v.text) {
                        values.insert(x);
                    }
                    for x in number_variants(&v.text) {
                        values.insert(x);
                    }
                }
            }
        }
        let fill: Vec<String> = values.iter().cloned().collect();
        for st in &policy.statements {
            for p in &st.action.patterns {
                actions.insert(p.text.clone());
                for _ in 0..3 {
                    actions.insert(instantiate(&p.text, rng));
                    actions.insert(flip_case(&instantiate(&p.text, rng), rng));
                }
            }
            if let Some(r) = &st.resource {
                for p in &r.patterns {
                    for t in &p.template.parts {
                        if let TemplatePart::Variable { key, .. } = t {
                            keys.insert(key.trim().to_string());
                        }
                    }
                    resources.insert(p.text.clone());
                    for _ in 0..4 {
                        let t = template_text(&p.template, &fill, rng);
                        resources.insert(instantiate(&t, rng));
                    }
                }
            }
            if let Some(pc) = &st.principal {
                for e in &pc.entries {
                    let v = e.value.clone();
                    match e.kind {
                        PrincipalKind::Service => {
                            principals.push(iamproof_eval::Principal::Service(v))
                        }
                        PrincipalKind::Federated => {
                            principals.push(iamproof_eval::Principal::Federated(v))
                        }
                        PrincipalKind::CanonicalUser => {
                            principals.push(iamproof_eval::Principal::CanonicalUser(v))
                        }
                        PrincipalKind::Everyone => {}
                        PrincipalKind::Aws => {
                            if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) {
                                for s in [
                                    format!("arn:aws:iam::{v}:root"),
                                    format!("arn:aws:iam::{v}:user/bob"),
                                    format!("arn:aws-cn:iam::{v}:user/bob"),
                                    format!("arn:aws:sts::{v}:assumed-role/R/s"),
                                    format!("arn:aws:sts::{v}:federated-user/bob"),
                                    format!("arn:aws:iam:x:{v}:thing"),
                                ] {
                                    principals.push(iamproof_eval::Principal::Arn(s));
                                }
                            } else {
                                principals.push(iamproof_eval::Principal::Arn(v.clone()));
                                let f: Vec<&str> = v.splitn(6, ':').collect();
                                if f.len() == 6 {
                                    let (p, a, r) = (f[1], f[4], f[5]);
                                    let last = r.rsplit('/').next().unwrap_or("");
                                    let name = r.strip_prefix("user/").unwrap_or(last);
                                    for s in [
                                        format!("arn:{p}:sts::{a}:assumed-role/{last}/sess"),
                                        format!(
                                            "arn:{p}:sts:r:{a}:assumed-role/{}/s/x",
                                            flip_case(last, rng)
                                        ),
                                        format!("arn:{p}:sts::{a}:assumed-role/{last}/"),
                                        format!("arn:{p}:sts::{a}:federated-user/{name}"),
                                        format!("arn:{p}:iam::{a}:root"),
                                        format!("arn:{p}:iam::{a}:user/{name}"),
                                        format!("arn:{p}:sts::999999999999:assumed-role/{last}/s"),
                                    ] {
                                        principals.push(iamproof_eval::Principal::Arn(s));
                                    }
                                }
                                principals.push(iamproof_eval::Principal::Service(v));
                            }
                        }
                    }
                }
            }
        }
        Vocab {
            actions: actions.into_iter().collect(),
            resources: resources.into_iter().collect(),
            principals,
            keys: keys.into_iter().collect(),
            values: values.into_iter().collect(),
        }
    }

    /// A random request over the vocabulary.
    pub fn request(&self, rng: &mut Rng) -> Request {
        let mut context = Context::new();
        for k in &self.keys {
            match rng.below(5) {
                0 | 1 => {}
                2 | 3 => {
                    let v = rng.pick(&self.values).cloned().unwrap_or_default();
                    context.insert(k, ContextValue::Single(v));
                }
                _ => {
                    let n = rng.below(4);
                    let vs = (0..n)
                        .map(|_| rng.pick(&self.values).cloned().unwrap_or_default())
                        .collect();
                    context.insert(k, ContextValue::Multi(vs));
                }
            }
        }
        Request {
            principal: rng
                .pick(&self.principals)
                .cloned()
                .unwrap_or(iamproof_eval::Principal::Anonymous),
            action: rng.pick(&self.actions).cloned().unwrap_or_default(),
            resource: rng.pick(&self.resources).cloned().unwrap_or_default(),
            resource_account: None,
            context,
        }
    }
}

/// Compares the encoding with the evaluator on one request; returns a description of the
/// first disagreement.
pub fn disagreement(policy: &Policy, enc: &EncodedPolicy, req: &Request) -> Option<String> {
    let ev = evaluate_policy(policy, req);
    let sym = enc.allows().eval(req);
    if sym != ev.allows() {
        return Some(format!(
            "allows: formula {sym}, evaluator {}\nrequest {req:?}\nformula {}",
            ev.allows(),
            enc.allows()
        ));
    }
    for s in &enc.statements {
        let m = ev
            .allow
            .iter()
            .chain(ev.deny.iter())
            .find(|m| m.statement_index == s.index);
        let applies = s.applies.eval(req);
        if applies != m.is_some() {
            return Some(format!(
                "statement {}: formula applies={applies}, evaluator {}\nrequest {req:?}\nformula {}",
                s.index,
                m.is_some(),
                s.applies
            ));
        }
        if let Some(m) = m {
            let direct = s.principal_direct.eval(req);
            if direct != (m.principal > PrincipalMatch::Account) {
                return Some(format!(
                    "statement {}: principal_direct={direct}, evaluator {:?}\nrequest {req:?}",
                    s.index, m.principal
                ));
            }
        }
    }
    None
}

/// What a batch of comparisons covered.
#[derive(Debug, Default, Clone, Copy)]
pub struct Coverage {
    /// Requests compared.
    pub requests: usize,
    /// Requests some statement applied to.
    pub some_statement_applied: usize,
    /// Requests the policy allowed.
    pub allowed: usize,
}

/// Encodes and checks `n` sampled requests; returns what was covered and the first
/// disagreement.
pub fn check_policy(policy: &Policy, n: usize, seed: u64) -> (Coverage, Option<String>) {
    let mut cov = Coverage::default();
    let enc = match encode_policy(policy) {
        Ok(e) => e,
        Err(e) => return (cov, Some(format!("encode error: {e}"))),
    };
    let mut rng = Rng::new(seed);
    let vocab = Vocab::of(policy, &mut rng);
    for _ in 0..n {
        let req = vocab.request(&mut rng);
        cov.requests += 1;
        let ev = evaluate_policy(policy, &req);
        if !ev.allow.is_empty() || !ev.deny.is_empty() {
            cov.some_statement_applied += 1;
        }
        if ev.allows() {
            cov.allowed += 1;
        }
        if let Some(d) = disagreement(policy, &enc, &req) {
            return (cov, Some(d));
        }
    }
    (cov, None)
}
