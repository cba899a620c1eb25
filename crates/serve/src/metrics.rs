//! Counters and a latency histogram, exposed in the Prometheus text format (version 0.0.4).
//! Hand-written: a handful of counters under one mutex needs no metrics framework.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds (seconds) of the latency histogram's buckets.
const BUCKETS: &[f64] = &[
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
];

#[derive(Debug, Default, Clone)]
struct Histogram {
    counts: Vec<u64>,
    sum: f64,
    count: u64,
}

#[derive(Debug, Default)]
struct Inner {
    requests: BTreeMap<(&'static str, u16), u64>,
    errors: BTreeMap<(&'static str, &'static str), u64>,
    latency: BTreeMap<&'static str, Histogram>,
    undecided: BTreeMap<&'static str, u64>,
    in_flight: i64,
}

/// The server's metrics.
#[derive(Debug, Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        // A poisoned lock only means another request panicked while counting; the counts stay
        // usable.
        let mut g = match self.inner.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        f(&mut g)
    }

    /// One more request in progress.
    pub fn started(&self) {
        self.with(|m| m.in_flight += 1);
    }

    /// A request finished: its operation, HTTP status, error type (if any) and duration.
    pub fn finished(
        &self,
        operation: &'static str,
        status: u16,
        error: Option<&'static str>,
        elapsed: Duration,
    ) {
        self.with(|m| {
            m.in_flight -= 1;
            *m.requests.entry((operation, status)).or_default() += 1;
            if let Some(e) = error {
                *m.errors.entry((operation, e)).or_default() += 1;
            }
            let h = m.latency.entry(operation).or_insert_with(|| Histogram {
                counts: vec![0; BUCKETS.len()],
                ..Histogram::default()
            });
            let secs = elapsed.as_secs_f64();
            for (c, b) in h.counts.iter_mut().zip(BUCKETS) {
                if secs <= *b {
                    *c += 1;
                }
            }
            h.sum += secs;
            h.count += 1;
        });
    }

    /// A check answered FAIL because it could not decide in time (or at all).
    pub fn undecided(&self, operation: &'static str) {
        self.with(|m| *m.undecided.entry(operation).or_default() += 1);
    }

    /// The metrics in the Prometheus text format.
    pub fn render(&self) -> String {
        self.with(|m| {
            let mut out = String::new();
            let _ = writeln!(out, "# HELP iamproof_requests_total Requests answered, by operation and HTTP status.");
            let _ = writeln!(out, "# TYPE iamproof_requests_total counter");
            for ((op, status), n) in &m.requests {
                let _ = writeln!(
                    out,
                    "iamproof_requests_total{{operation=\"{op}\",status=\"{status}\"}} {n}"
                );
            }
            let _ = writeln!(out, "# HELP iamproof_errors_total Error responses, by operation and error type.");
            let _ = writeln!(out, "# TYPE iamproof_errors_total counter");
            for ((op, ty), n) in &m.errors {
                let _ = writeln!(
                    out,
                    "iamproof_errors_total{{operation=\"{op}\",type=\"{ty}\"}} {n}"
                );
            }
            let _ = writeln!(out, "# HELP iamproof_checks_undecided_total Checks that answered FAIL because they could not decide (time limit or engine).");
            let _ = writeln!(out, "# TYPE iamproof_checks_undecided_total counter");
            for (op, n) in &m.undecided {
                let _ = writeln!(
                    out,
                    "iamproof_checks_undecided_total{{operation=\"{op}\"}} {n}"
                );
            }
            let _ = writeln!(out, "# HELP iamproof_requests_in_flight Requests in progress.");
            let _ = writeln!(out, "# TYPE iamproof_requests_in_flight gauge");
            let _ = writeln!(out, "iamproof_requests_in_flight {}", m.in_flight);
            let _ = writeln!(out, "# HELP iamproof_request_duration_seconds Time from the request's headers to its answer, by operation.");
            let _ = writeln!(out, "# TYPE iamproof_request_duration_seconds histogram");
            for (op, h) in &m.latency {
                for (c, b) in h.counts.iter().zip(BUCKETS) {
                    let _ = writeln!(
                        out,
                        "iamproof_request_duration_seconds_bucket{{operation=\"{op}\",le=\"{b}\"}} {c}"
                    );
                }
                let _ = writeln!(
                    out,
                    "iamproof_request_duration_seconds_bucket{{operation=\"{op}\",le=\"+Inf\"}} {}",
                    h.count
                );
                let _ = writeln!(
                    out,
                    "iamproof_request_duration_seconds_sum{{operation=\"{op}\"}} {}",
                    h.sum
                );
                let _ = writeln!(
                    out,
                    "iamproof_request_duration_seconds_count{{operation=\"{op}\"}} {}",
                    h.count
                );
            }
            out
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_cumulative_buckets() {
        let m = Metrics::default();
        m.started();
        m.finished("CheckNoNewAccess", 200, None, Duration::from_millis(20));
        m.started();
        m.finished(
            "CheckNoNewAccess",
            429,
            Some("ThrottlingException"),
            Duration::from_millis(1),
        );
        m.undecided("CheckNoNewAccess");
        let text = m.render();
        assert!(text
            .contains("iamproof_requests_total{operation=\"CheckNoNewAccess\",status=\"200\"} 1"));
        assert!(text.contains(
            "iamproof_errors_total{operation=\"CheckNoNewAccess\",type=\"ThrottlingException\"} 1"
        ));
        assert!(text.contains("iamproof_checks_undecided_total{operation=\"CheckNoNewAccess\"} 1"));
        assert!(text.contains("iamproof_request_duration_seconds_bucket{operation=\"CheckNoNewAccess\",le=\"0.025\"} 2"));
        assert!(text.contains("iamproof_request_duration_seconds_bucket{operation=\"CheckNoNewAccess\",le=\"0.01\"} 1"));
        assert!(text
            .contains("iamproof_request_duration_seconds_count{operation=\"CheckNoNewAccess\"} 2"));
        assert!(text.contains("iamproof_requests_in_flight 0"));
    }
}
