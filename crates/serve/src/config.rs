//! The server's settings.

use crate::error::ServeError;
use iamproof_checks::Backend;
use std::net::SocketAddr;
use std::time::Duration;

/// Settings of one server. [`ServeConfig::default`] gives the command line's defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeConfig {
    /// The address to listen on (default `127.0.0.1:8080`; port 0 picks a free port).
    pub listen: SocketAddr,
    /// The account STS `GetCallerIdentity` answers with (12 digits, default `123456789012`).
    pub account_id: String,
    /// The region the server stands for (default `us-east-1`); it picks the partition of the
    /// caller ARN (`aws-cn` for `cn-*`, `aws-us-gov` for `us-gov-*`) and is shown by `/healthz`.
    /// Requests signed for any region are answered.
    pub region: String,
    /// How many checks run at once, on threads of their own (default: the number of cores).
    pub workers: usize,
    /// How many Access Analyzer requests may be in progress at once (reading their body, waiting
    /// for a worker, or running); one more is answered `ThrottlingException` (HTTP 429) at once.
    /// Default: 4 × `workers`.
    pub max_concurrency: usize,
    /// The largest request body accepted, in bytes (default 1 MiB); larger gets HTTP 413.
    pub max_body: usize,
    /// The time limit of one check (default 30 s), as the command line's `--timeout`: a check
    /// that runs out answers FAIL, never PASS. A request waits at most this long for a free
    /// worker before it is answered `ThrottlingException`.
    pub timeout: Duration,
    /// The decision procedure of the checks (default: the portfolio, as the command line).
    pub backend: Backend,
    /// Include iamproof's extra response members (`exampleRequest` on each reason, `engine`,
    /// `unknownReason`, `internalError`). Off by default: the responses then hold exactly the
    /// members of the service model. AWS's SDKs ignore members they do not know, so turning it
    /// on does not break them; it shows the extras to raw-HTTP clients.
    pub extras: bool,
    /// No request log lines on standard error.
    pub quiet: bool,
    /// How long a client may take to send a request's headers (default 10 s); the connection is
    /// closed after that, so a stalled client holds nothing.
    pub header_read_timeout: Duration,
    /// How long a client may take to send a request's body (default 30 s); HTTP 408 after that.
    pub body_read_timeout: Duration,
}

impl Default for ServeConfig {
    fn default() -> Self {
        let workers = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        ServeConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            account_id: "123456789012".to_string(),
            region: "us-east-1".to_string(),
            workers,
            max_concurrency: 4 * workers,
            max_body: 1024 * 1024,
            timeout: Duration::from_secs(30),
            backend: Backend::Portfolio,
            extras: false,
            quiet: false,
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(30),
        }
    }
}

impl ServeConfig {
    /// Checks the settings: positive counts and limits, a 12-digit account id, a region name.
    pub fn validate(&self) -> Result<(), ServeError> {
        let bad = |m: String| Err(ServeError::Config(m));
        if self.workers == 0 {
            return bad("workers must be at least 1".into());
        }
        if self.max_concurrency == 0 {
            return bad("max-concurrency must be at least 1".into());
        }
        if self.max_body == 0 {
            return bad("max-body must be at least 1 byte".into());
        }
        if self.timeout.is_zero() {
            return bad("timeout must be positive".into());
        }
        if self.header_read_timeout.is_zero() || self.body_read_timeout.is_zero() {
            return bad("read timeouts must be positive".into());
        }
        if self.account_id.len() != 12 || !self.account_id.bytes().all(|b| b.is_ascii_digit()) {
            return bad(format!(
                "account-id must be 12 digits, found {:?}",
                self.account_id
            ));
        }
        if self.region.is_empty()
            || !self
                .region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return bad(format!(
                "region must look like us-east-1, found {:?}",
                self.region
            ));
        }
        Ok(())
    }

    /// The partition of the configured region (`aws`, `aws-cn`, `aws-us-gov`).
    pub fn partition(&self) -> &'static str {
        if self.region.starts_with("cn-") {
            "aws-cn"
        } else if self.region.starts_with("us-gov-") {
            "aws-us-gov"
        } else {
            "aws"
        }
    }
}
