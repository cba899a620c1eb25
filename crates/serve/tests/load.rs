//! A bounded load test on loopback: N keep-alive clients send a mix of the four operations for
//! a fixed short time. Prints throughput, p50/p99 latency, the error count and the peak RSS of
//! the test process (server and clients together); asserts only correctness (every answer is
//! the library's, no errors), never times.
//!
//! `IAMPROOF_LOAD_SECS` (default 3) and `IAMPROOF_LOAD_CLIENTS` (default 8) change the run.

mod common;

use common::*;
use iamproof_checks::{Backend, CheckOptions, ResourceType};
use iamproof_policy::{parse_policy, validate_policy, PolicyType};
use iamproof_serve::ServeConfig;
use serde_json::{json, Value};
use std::io::Write;
use std::time::{Duration, Instant};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The requests of the mix and the answers the library gives.
fn mix() -> Vec<(String, Value, Value)> {
    let opts = CheckOptions {
        backend: Backend::Native,
        ..CheckOptions::default()
    };
    let public = example("s3/bucket-public.json");
    let restricted = example("s3/bucket-restricted.json");
    let reference = example("identity/pipeline-reference.json");
    let changed = example("identity/pipeline-changed.json");
    let resource = |t: &str| parse_policy(t, PolicyType::Resource).expect("example");
    let identity = |t: &str| parse_policy(t, PolicyType::Identity).expect("example");
    let access = iamproof_checks::AccessSpec::from_json(&example("access-delete.json"))
        .expect("access example");
    vec![
        (
            "/policy/check-no-public-access".into(),
            json!({"policyDocument": public, "resourceType": "AWS::S3::Bucket"}),
            iamproof_checks::check_no_public_access(
                &resource(&public),
                ResourceType::S3Bucket,
                &opts,
            )
            .to_aws_json_value(),
        ),
        (
            "/policy/check-no-public-access".into(),
            json!({"policyDocument": restricted, "resourceType": "AWS::S3::Bucket"}),
            iamproof_checks::check_no_public_access(
                &resource(&restricted),
                ResourceType::S3Bucket,
                &opts,
            )
            .to_aws_json_value(),
        ),
        (
            "/policy/check-no-new-access".into(),
            json!({"existingPolicyDocument": reference, "newPolicyDocument": changed, "policyType": "IDENTITY_POLICY"}),
            iamproof_checks::check_no_new_access(&identity(&reference), &identity(&changed), &opts)
                .to_aws_json_value(),
        ),
        (
            "/policy/check-access-not-granted".into(),
            json!({"policyDocument": changed, "access": serde_json::from_str::<Value>(&example("access-delete.json")).expect("json"), "policyType": "IDENTITY_POLICY"}),
            iamproof_checks::check_access_not_granted(&identity(&changed), &access, &opts)
                .to_aws_json_value(),
        ),
        (
            "/policy/validation".into(),
            json!({"policyDocument": restricted, "policyType": "RESOURCE_POLICY"}),
            json!({"findings": validate_policy(&restricted, PolicyType::Resource)}),
        ),
    ]
}

#[test]
fn bounded_load_on_loopback() {
    let secs = env_number("IAMPROOF_LOAD_SECS", 3);
    let clients = env_number("IAMPROOF_LOAD_CLIENTS", 8) as usize;
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let server = start(ServeConfig {
        workers,
        max_concurrency: clients.max(1) * 2,
        ..config()
    });
    let addr = server.addr();
    let mix = std::sync::Arc::new(mix());
    let deadline = Instant::now() + Duration::from_secs(secs);
    let start = Instant::now();
    let threads: Vec<_> = (0..clients)
        .map(|c| {
            let mix = mix.clone();
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                let mut errors = Vec::new();
                let mut stream = connect(addr);
                let mut i = c;
                while Instant::now() < deadline {
                    let (path, body, expected) = &mix[i % mix.len()];
                    i += 1;
                    let body = body.to_string();
                    let head = format!(
                        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                        body.len()
                    );
                    let t = Instant::now();
                    if stream
                        .write_all(head.as_bytes())
                        .and_then(|()| stream.write_all(body.as_bytes()))
                        .is_err()
                    {
                        errors.push(format!("{path}: write failed"));
                        stream = connect(addr);
                        continue;
                    }
                    let r = read_response(&mut stream);
                    latencies.push(t.elapsed());
                    if r.status != 200 {
                        errors.push(format!("{path}: status {}: {}", r.status, r.text()));
                    } else if &r.json() != expected {
                        errors.push(format!("{path}: answer {} differs from {expected}", r.text()));
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = Vec::new();
    for t in threads {
        let (l, e) = t.join().expect("client thread");
        latencies.extend(l);
        errors.extend(e);
    }
    let elapsed = start.elapsed();
    latencies.sort();
    let pct = |p: f64| {
        let i = ((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1);
        latencies.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "load: {clients} clients, {workers} workers, {:.1} s: {} requests, {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms, {} errors, peak RSS {} MiB (server and clients)",
        elapsed.as_secs_f64(),
        latencies.len(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50),
        pct(0.99),
        errors.len(),
        peak_rss_kib().map_or("?".to_string(), |k| format!("{:.1}", k as f64 / 1024.0)),
    );
    assert!(
        errors.is_empty(),
        "{} errors, first: {:?}",
        errors.len(),
        errors.first()
    );
    assert!(!latencies.is_empty(), "no request was answered");
    let metrics = send(addr, "GET", "/metrics", &[], b"").text();
    assert!(
        !metrics.contains("iamproof_checks_undecided_total{"),
        "{metrics}"
    );
}
