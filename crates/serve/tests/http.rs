//! The wire protocol seen by a raw HTTP client: answers, error shapes, limits, slow clients,
//! throttling, paging, STS, health, metrics and graceful shutdown.

mod common;

use common::*;
use iamproof_serve::ServeConfig;
use serde_json::json;
use std::io::Write;
use std::time::Duration;

const MULTI_FINDING_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:getobject","s3:GetObject","ec2:*"],"Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/4"}}},{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}"#;

fn assert_error(r: &HttpResponse, status: u16, ty: &str) -> serde_json::Value {
    assert_eq!(r.status, status, "{}", r.text());
    assert_eq!(r.header("x-amzn-errortype"), Some(ty), "{:?}", r.headers);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert!(r.header("x-amzn-requestid").is_some());
    let body = r.json();
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    body
}

fn field_names(body: &serde_json::Value) -> Vec<String> {
    body["fieldList"]
        .as_array()
        .map(|l| {
            l.iter()
                .filter_map(|f| f["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn answers_the_four_operations() {
    let server = start(config());
    let a = server.addr();
    let r = post_json(
        a,
        "/policy/check-no-public-access",
        &json!({"policyDocument": example("s3/bucket-public.json"), "resourceType": "AWS::S3::Bucket"}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"));
    let v = r.json();
    assert_eq!(v["result"], "FAIL");
    assert_eq!(v["reasons"][0]["statementIndex"], 0);
    // AWS's members only by default.
    assert!(v["reasons"][0].get("exampleRequest").is_none());
    assert!(v.get("engine").is_none());

    let r = post_json(
        a,
        "/policy/check-no-public-access",
        &json!({"policyDocument": example("s3/bucket-restricted.json"), "resourceType": "AWS::S3::Bucket"}),
    );
    assert_eq!(r.json()["result"], "PASS");

    let r = post_json(
        a,
        "/policy/check-no-new-access",
        &json!({
            "existingPolicyDocument": example("identity/pipeline-reference.json"),
            "newPolicyDocument": example("identity/pipeline-narrowed.json"),
            "policyType": "IDENTITY_POLICY"}),
    );
    assert_eq!(r.json()["result"], "PASS", "{}", r.text());

    let r = post_json(
        a,
        "/policy/check-access-not-granted",
        &json!({
            "policyDocument": example("identity/pipeline-changed.json"),
            "access": [{"actions": ["s3:DeleteObject"]}],
            "policyType": "IDENTITY_POLICY"}),
    );
    assert_eq!(r.json()["result"], "FAIL", "{}", r.text());

    let r = post_json(
        a,
        "/policy/validation",
        &json!({"policyDocument": MULTI_FINDING_POLICY, "policyType": "IDENTITY_POLICY"}),
    );
    let v = r.json();
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .map(|f| f.iter().filter_map(|x| x["issueCode"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(codes, ["REDUNDANT_ACTION", "IMPROVE_IP_RANGE"]);
    assert!(v.get("nextToken").is_none());
    server.shutdown().expect("clean shutdown");
}

#[test]
fn extras_are_added_only_when_asked() {
    let server = start(ServeConfig {
        extras: true,
        ..config()
    });
    let r = post_json(
        server.addr(),
        "/policy/check-no-public-access",
        &json!({"policyDocument": example("s3/bucket-public.json"), "resourceType": "AWS::S3::Bucket"}),
    );
    let v = r.json();
    assert!(
        v["reasons"][0]["exampleRequest"]["action"].is_string(),
        "{v}"
    );
    assert_eq!(v["engine"], "native");
}

#[test]
fn validate_policy_pages_with_max_results_and_next_token() {
    let server = start(config());
    let a = server.addr();
    let body = json!({"policyDocument": MULTI_FINDING_POLICY, "policyType": "IDENTITY_POLICY"});
    let first = post_json(a, "/policy/validation?maxResults=1", &body).json();
    assert_eq!(first["findings"].as_array().map(Vec::len), Some(1));
    let token = first["nextToken"]
        .as_str()
        .expect("a nextToken")
        .to_string();
    let second = post_json(
        a,
        &format!("/policy/validation?maxResults=1&nextToken={token}"),
        &body,
    )
    .json();
    assert_eq!(second["findings"][0]["issueCode"], "IMPROVE_IP_RANGE");
    assert!(second.get("nextToken").is_none());
    let bad = post_json(a, "/policy/validation?nextToken=garbage", &body);
    let v = assert_error(&bad, 400, "ValidationException");
    assert_eq!(field_names(&v), ["nextToken"]);
    let bad = post_json(a, "/policy/validation?maxResults=0", &body);
    assert_eq!(
        field_names(&assert_error(&bad, 400, "ValidationException")),
        ["maxResults"]
    );
}

#[test]
fn malformed_and_incomplete_requests_are_validation_exceptions() {
    let server = start(config());
    let a = server.addr();
    // Not JSON.
    let r = send(
        a,
        "POST",
        "/policy/check-no-new-access",
        &[],
        b"{\"newPolicyDocument\":",
    );
    let v = assert_error(&r, 400, "ValidationException");
    assert_eq!(v["reason"], "cannotParse");
    // Not an object.
    let r = send(a, "POST", "/policy/validation", &[], b"[1,2]");
    assert_eq!(
        assert_error(&r, 400, "ValidationException")["reason"],
        "cannotParse"
    );
    // Every missing member is named.
    let r = post_json(a, "/policy/check-no-new-access", &json!({}));
    let v = assert_error(&r, 400, "ValidationException");
    assert_eq!(v["reason"], "fieldValidationFailed");
    assert_eq!(
        field_names(&v),
        ["newPolicyDocument", "existingPolicyDocument", "policyType"]
    );
    // An empty body is an empty object: the members are missing.
    let r = send(a, "POST", "/policy/check-no-public-access", &[], b"");
    let v = assert_error(&r, 400, "ValidationException");
    assert_eq!(field_names(&v), ["policyDocument", "resourceType"]);
    // Values outside the model's enums, wrong types.
    let r = post_json(
        a,
        "/policy/check-access-not-granted",
        &json!({"policyDocument": 5, "access": [{"actions": ["s3:GetObject"]}], "policyType": "SERVICE_CONTROL_POLICY"}),
    );
    let v = assert_error(&r, 400, "ValidationException");
    assert_eq!(field_names(&v), ["policyDocument", "policyType"]);
    let r = post_json(
        a,
        "/policy/check-no-public-access",
        &json!({"policyDocument": "{}", "resourceType": "AWS::EC2::Instance"}),
    );
    assert_eq!(
        field_names(&assert_error(&r, 400, "ValidationException")),
        ["resourceType"]
    );
    // The access list's limits (one item) and shape.
    let r = post_json(
        a,
        "/policy/check-access-not-granted",
        &json!({"policyDocument": example("identity/pipeline-changed.json"),
                "access": [{"actions": ["s3:GetObject"]}, {"actions": ["s3:PutObject"]}],
                "policyType": "IDENTITY_POLICY"}),
    );
    assert_eq!(
        field_names(&assert_error(&r, 400, "ValidationException")),
        ["access"]
    );
    let r = post_json(
        a,
        "/policy/check-access-not-granted",
        &json!({"policyDocument": example("identity/pipeline-changed.json"),
                "access": [], "policyType": "IDENTITY_POLICY"}),
    );
    assert_eq!(
        field_names(&assert_error(&r, 400, "ValidationException")),
        ["access"]
    );
    // A document that is not a policy: the member, line:column and JSON path are named.
    let r = post_json(
        a,
        "/policy/check-no-public-access",
        &json!({"policyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"allow\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Principal\":\"*\"}]}",
                "resourceType": "AWS::S3::Bucket"}),
    );
    let v = assert_error(&r, 400, "ValidationException");
    assert_eq!(field_names(&v), ["policyDocument"]);
    let msg = v["fieldList"][0]["message"].as_str().unwrap_or("");
    assert!(msg.contains("1:") && msg.contains("Effect"), "{msg}");
    // ValidatePolicy reports a bad document as a finding, as AWS does.
    let r = post_json(
        a,
        "/policy/validation",
        &json!({"policyDocument": "{", "policyType": "IDENTITY_POLICY"}),
    );
    assert_eq!(r.status, 200);
    assert!(r.json()["findings"][0]["findingType"] == "ERROR");
}

#[test]
fn unknown_operations_get_the_services_errors() {
    let server = start(config());
    let a = server.addr();
    let r = post_json(a, "/policy/check-no-external-access", &json!({}));
    assert_error(&r, 404, "UnknownOperationException");
    let r = send(a, "GET", "/policy/validation", &[], b"");
    assert_error(&r, 404, "UnknownOperationException");
    let r = send(a, "GET", "/analyzer", &[], b"");
    assert_error(&r, 404, "UnknownOperationException");
    // STS: an action other than GetCallerIdentity is STS's InvalidAction, in XML.
    let r = send(
        a,
        "POST",
        "/",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        b"Action=AssumeRole&Version=2011-06-15",
    );
    assert_eq!(r.status, 400);
    assert!(
        r.text().contains("<Code>InvalidAction</Code>"),
        "{}",
        r.text()
    );
}

#[test]
fn sts_get_caller_identity_reports_the_configured_account() {
    let server = start(ServeConfig {
        account_id: "111122223333".into(),
        ..config()
    });
    let r = send(
        server.addr(),
        "POST",
        "/",
        &[(
            "Content-Type",
            "application/x-www-form-urlencoded; charset=utf-8",
        )],
        b"Action=GetCallerIdentity&Version=2011-06-15",
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/xml"));
    let t = r.text();
    assert!(t.contains("<Account>111122223333</Account>"), "{t}");
    assert!(
        t.contains("<Arn>arn:aws:iam::111122223333:user/iamproof</Arn>"),
        "{t}"
    );
}

#[test]
fn too_large_bodies_get_413() {
    let server = start(config());
    let a = server.addr();
    // 10 MB announced by Content-Length: refused before it is read.
    let body = vec![b' '; 10 * 1024 * 1024];
    let mut s = connect(a);
    s.write_all(
        format!(
            "POST /policy/validation HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    )
    .expect("write headers");
    let mut writer = s.try_clone().expect("clone");
    let t = std::thread::spawn(move || {
        let _ = writer.write_all(&body);
    });
    let r = read_response(&mut s);
    assert_error(&r, 413, "RequestEntityTooLargeException");
    drop(s);
    let _ = t.join();
    // 2 MB without a length (chunked): refused once the limit is passed.
    let mut s = connect(a);
    s.write_all(
        b"POST /policy/validation HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
    )
    .expect("write headers");
    let mut writer = s.try_clone().expect("clone");
    let t = std::thread::spawn(move || {
        let chunk = vec![b' '; 64 * 1024];
        for _ in 0..32 {
            if writer
                .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                .and_then(|()| writer.write_all(&chunk))
                .and_then(|()| writer.write_all(b"\r\n"))
                .is_err()
            {
                return;
            }
        }
        let _ = writer.write_all(b"0\r\n\r\n");
    });
    let r = read_response(&mut s);
    assert_error(&r, 413, "RequestEntityTooLargeException");
    drop(s);
    let _ = t.join();
    // The server is still well.
    assert_eq!(send(a, "GET", "/healthz", &[], b"").status, 200);
}

#[test]
fn slow_clients_do_not_block_others() {
    let server = start(ServeConfig {
        header_read_timeout: Duration::from_secs(1),
        body_read_timeout: Duration::from_secs(1),
        ..config()
    });
    let a = server.addr();
    // Headers started, then nothing.
    let mut stalled_headers = connect(a);
    stalled_headers
        .write_all(b"POST /policy/validation HTTP/1.1\r\nHost: x\r\n")
        .expect("write");
    // Headers complete, body stalled.
    let mut stalled_body = connect(a);
    stalled_body
        .write_all(
            b"POST /policy/validation HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"policy",
        )
        .expect("write");
    // Others are answered meanwhile.
    for _ in 0..3 {
        let r = post_json(
            a,
            "/policy/check-no-public-access",
            &json!({"policyDocument": example("s3/bucket-public.json"), "resourceType": "AWS::S3::Bucket"}),
        );
        assert_eq!(r.status, 200);
    }
    // The stalled body gets 408; the stalled headers get their connection closed.
    let r = read_response(&mut stalled_body);
    assert_error(&r, 408, "RequestTimeoutException");
    let mut rest = Vec::new();
    let closed = match std::io::Read::read_to_end(&mut stalled_headers, &mut rest) {
        Ok(_) => true,
        Err(e) => {
            e.kind() != std::io::ErrorKind::WouldBlock && e.kind() != std::io::ErrorKind::TimedOut
        }
    };
    assert!(closed, "the stalled connection was not closed");
}

#[test]
fn past_the_concurrency_limit_requests_are_throttled() {
    let server = start(ServeConfig {
        max_concurrency: 1,
        workers: 1,
        body_read_timeout: Duration::from_secs(30),
        ..config()
    });
    let a = server.addr();
    // Request A holds the one slot while its body arrives.
    let body = json!({"policyDocument": example("s3/bucket-public.json"), "resourceType": "AWS::S3::Bucket"}).to_string();
    let bytes = request_bytes(
        "POST",
        "/policy/check-no-public-access",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    );
    let split = bytes.len() - 10;
    let mut slow = connect(a);
    slow.write_all(&bytes[..split]).expect("write");
    wait_in_flight(a, 2);
    // B is throttled at once, in the model's shape.
    let r = post_json(
        a,
        "/policy/check-no-public-access",
        &json!({"policyDocument": example("s3/bucket-public.json"), "resourceType": "AWS::S3::Bucket"}),
    );
    assert_error(&r, 429, "ThrottlingException");
    assert_eq!(r.header("retry-after"), Some("1"));
    // Health and metrics are not throttled.
    assert_eq!(send(a, "GET", "/healthz", &[], b"").status, 200);
    // A completes and is answered; then the slot is free again.
    slow.write_all(&bytes[split..]).expect("write");
    let r = read_response(&mut slow);
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["result"], "FAIL");
    let r = post_json(
        a,
        "/policy/check-no-public-access",
        &json!({"policyDocument": example("s3/bucket-restricted.json"), "resourceType": "AWS::S3::Bucket"}),
    );
    assert_eq!(r.json()["result"], "PASS");
    let metrics = send(a, "GET", "/metrics", &[], b"").text();
    assert!(metrics.contains(
        "iamproof_errors_total{operation=\"CheckNoPublicAccess\",type=\"ThrottlingException\"} 1"
    ));
}

#[test]
fn a_flood_gets_answers_or_well_formed_throttling() {
    let server = start(ServeConfig {
        max_concurrency: 2,
        workers: 1,
        ..config()
    });
    let a = server.addr();
    let threads: Vec<_> = (0..24)
        .map(|i| {
            std::thread::spawn(move || {
                let doc = if i % 2 == 0 {
                    "s3/bucket-public.json"
                } else {
                    "s3/bucket-restricted.json"
                };
                let r = post_json(
                    a,
                    "/policy/check-no-public-access",
                    &json!({"policyDocument": example(doc), "resourceType": "AWS::S3::Bucket"}),
                );
                (i, r)
            })
        })
        .collect();
    for t in threads {
        let (i, r) = t.join().expect("client thread");
        match r.status {
            200 => assert_eq!(r.json()["result"], if i % 2 == 0 { "FAIL" } else { "PASS" }),
            429 => {
                assert_error(&r, 429, "ThrottlingException");
            }
            s => panic!("unexpected status {s}: {}", r.text()),
        }
    }
    assert_eq!(send(a, "GET", "/healthz", &[], b"").status, 200);
}

#[test]
fn health_and_metrics() {
    let server = start(config());
    let a = server.addr();
    let h = send(a, "GET", "/healthz", &[], b"");
    assert_eq!(h.status, 200);
    assert_eq!(h.json()["status"], "ok");
    post_json(
        a,
        "/policy/validation",
        &json!({"policyDocument": "{}", "policyType": "IDENTITY_POLICY"}),
    );
    post_json(a, "/policy/validation", &json!({}));
    let m = send(a, "GET", "/metrics", &[], b"");
    assert!(m
        .header("content-type")
        .is_some_and(|c| c.starts_with("text/plain")));
    let t = m.text();
    for needle in [
        "iamproof_requests_total{operation=\"ValidatePolicy\",status=\"200\"} 1",
        "iamproof_requests_total{operation=\"ValidatePolicy\",status=\"400\"} 1",
        "iamproof_errors_total{operation=\"ValidatePolicy\",type=\"ValidationException\"} 1",
        "iamproof_request_duration_seconds_count{operation=\"ValidatePolicy\"} 2",
        "# TYPE iamproof_checks_undecided_total counter",
    ] {
        assert!(t.contains(needle), "{needle} missing from:\n{t}");
    }
}

#[test]
fn shutdown_lets_requests_in_progress_finish() {
    let server = start(config());
    let a = server.addr();
    let body = json!({"policyDocument": example("s3/bucket-public.json"), "resourceType": "AWS::S3::Bucket"}).to_string();
    let bytes = request_bytes(
        "POST",
        "/policy/check-no-public-access",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    );
    let split = bytes.len() - 10;
    let mut slow = connect(a);
    slow.write_all(&bytes[..split]).expect("write");
    wait_in_flight(a, 2);
    let stopping = std::thread::spawn(move || server.shutdown());
    std::thread::sleep(Duration::from_millis(200));
    slow.write_all(&bytes[split..]).expect("write");
    let r = read_response(&mut slow);
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["result"], "FAIL");
    stopping
        .join()
        .expect("shutdown thread")
        .expect("clean shutdown");
    assert!(
        std::net::TcpStream::connect(a).is_err(),
        "still accepting after shutdown"
    );
}

#[test]
fn a_check_out_of_time_answers_fail_never_pass() {
    let server = start(ServeConfig {
        timeout: Duration::from_nanos(1),
        extras: true,
        ..config()
    });
    let a = server.addr();
    // PASS with time to decide; here the check runs out of time at once.
    let r = post_json(
        a,
        "/policy/check-no-public-access",
        &json!({"policyDocument": example("s3/bucket-restricted.json"), "resourceType": "AWS::S3::Bucket"}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(v["result"], "FAIL", "{v}");
    assert!(v["unknownReason"].is_string(), "{v}");
    let metrics = send(a, "GET", "/metrics", &[], b"").text();
    assert!(
        metrics.contains("iamproof_checks_undecided_total{operation=\"CheckNoPublicAccess\"} 1"),
        "{metrics}"
    );
}
