//! Shared by the integration tests: starting a server on an ephemeral loopback port, and a tiny
//! HTTP/1.1 client on `std::net::TcpStream` (exact control over what is sent, and when).

#![allow(dead_code)]

use iamproof_checks::Backend;
use iamproof_serve::{spawn, ServeConfig, ServerHandle};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// Test settings: an ephemeral port, the native engine, no request log.
pub fn config() -> ServeConfig {
    ServeConfig {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        backend: Backend::Native,
        quiet: true,
        workers: 2,
        max_concurrency: 8,
        ..ServeConfig::default()
    }
}

/// Starts a server with `config`.
pub fn start(config: ServeConfig) -> ServerHandle {
    match spawn(config) {
        Ok(h) => h,
        Err(e) => panic!("the server did not start: {e}"),
    }
}

/// A parsed HTTP response.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Header names (lower case) and values.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A header's value (name in lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        match serde_json::from_slice(&self.body) {
            Ok(v) => v,
            Err(e) => panic!(
                "the body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            ),
        }
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// The bytes of a request (with `Content-Length`, `Connection: close`).
pub fn request_bytes(method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// Connects with a read timeout (so a test never hangs).
pub fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect(addr).expect("connect to the server");
    s.set_read_timeout(Some(Duration::from_secs(60)))
        .expect("set a read timeout");
    // Requests are written in pieces (headers, then body): without this, Nagle's algorithm and
    // delayed acknowledgements add about 40 ms to each.
    s.set_nodelay(true).expect("set TCP_NODELAY");
    s
}

/// Reads one response from `stream` (until the body named by `Content-Length` is complete or the
/// connection ends). A reset after a complete response is not an error.
pub fn read_response(stream: &mut TcpStream) -> HttpResponse {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16384];
    loop {
        if let Some(r) = parse_response(&buf) {
            return r;
        }
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) => {
                if let Some(r) = parse_response(&buf) {
                    return r;
                }
                panic!(
                    "reading the response failed: {e}; read so far: {:?}",
                    String::from_utf8_lossy(&buf)
                );
            }
        }
    }
    parse_response(&buf)
        .unwrap_or_else(|| panic!("incomplete response: {:?}", String::from_utf8_lossy(&buf)))
}

/// A complete response at the start of `buf`, if there is one.
pub fn parse_response(buf: &[u8]) -> Option<HttpResponse> {
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&buf[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let body = buf.get(end + 4..end + 4 + len)?.to_vec();
    Some(HttpResponse {
        status,
        headers,
        body,
    })
}

/// Sends one request on a new connection and reads the answer.
pub fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> HttpResponse {
    let mut s = connect(addr);
    s.write_all(&request_bytes(method, path, headers, body))
        .expect("write the request");
    read_response(&mut s)
}

/// POSTs a JSON body to an Access Analyzer path.
pub fn post_json(addr: SocketAddr, path: &str, body: &serde_json::Value) -> HttpResponse {
    send(
        addr,
        "POST",
        path,
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    )
}

/// The value of the `iamproof_requests_in_flight` gauge.
pub fn in_flight(addr: SocketAddr) -> i64 {
    let m = send(addr, "GET", "/metrics", &[], b"").text();
    m.lines()
        .find_map(|l| l.strip_prefix("iamproof_requests_in_flight "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(-1)
}

/// Waits until `in_flight` reaches `n` (the metrics request itself counts as one).
pub fn wait_in_flight(addr: SocketAddr, n: i64) {
    for _ in 0..600 {
        if in_flight(addr) >= n {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the server never had {n} requests in flight");
}

/// The text of a bundled example, `examples/REL`.
pub fn example(rel: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The client program `name` the tests drive: `$env_var` if set, else the one `.ci/run`
/// installed into `target/aws-clients-venv` if it is there, else `name` from `PATH`.
pub fn client_program(env_var: &str, name: &str) -> String {
    if let Ok(p) = std::env::var(env_var) {
        return p;
    }
    let venv = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/aws-clients-venv/bin")
        .join(name);
    if venv.is_file() {
        return venv.to_string_lossy().into_owned();
    }
    name.to_string()
}

/// How to install the validators the tests drive.
pub const INSTALL: &str = "install the validators the tests drive: \
`python3 -m pip install cfn-policy-validator tf-policy-validator` \
(or run .ci/run, which installs them into a virtual environment when they are missing)";

/// Runs a validator against `url` with dummy credentials; its exit status and JSON report.
pub fn validator(program: &str, url: &str, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut c = std::process::Command::new(program);
    for var in [
        "AWS_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_ENDPOINT_URL_ACCESSANALYZER",
        "AWS_ENDPOINT_URL_STS",
    ] {
        c.env_remove(var);
    }
    let out = c
        .env("AWS_ENDPOINT_URL", url)
        .env("AWS_ACCESS_KEY_ID", "x")
        .env("AWS_SECRET_ACCESS_KEY", "x")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent/iamproof-test-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/iamproof-test-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{program}`: {e}; {INSTALL}"));
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "`{program}` printed no JSON report ({e}); stdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code(), report)
}
