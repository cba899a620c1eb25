//! Latency summaries (nearest-rank percentiles) and the process's peak memory.

use std::time::Duration;

/// A summary of a list of latencies.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Summary {
    /// How many measurements.
    pub n: usize,
    /// Median (nearest rank).
    pub p50: Duration,
    /// 99th percentile (nearest rank).
    pub p99: Duration,
    /// Largest.
    pub max: Duration,
    /// Sum.
    pub total: Duration,
}

/// The nearest-rank percentile `p` (0–100) of sorted values; zero for an empty list.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    let idx = rank.clamp(1, sorted.len()) - 1;
    sorted.get(idx).copied().unwrap_or_default()
}

impl Summary {
    /// Summarizes latencies.
    pub fn of(values: &[Duration]) -> Summary {
        let mut v = values.to_vec();
        v.sort();
        Summary {
            n: v.len(),
            p50: percentile(&v, 50.0),
            p99: percentile(&v, 99.0),
            max: v.last().copied().unwrap_or_default(),
            total: v.iter().sum(),
        }
    }
}

/// Milliseconds with three decimals, for tables.
pub fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1e3)
}

/// A field of `/proc/self/status` in KiB (`VmHWM`, `VmRSS`), if readable.
fn status_kib(field: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
}

/// Peak resident memory of this process so far (`VmHWM`), in KiB.
pub fn peak_rss_kib() -> Option<u64> {
    status_kib("VmHWM:")
}

/// Current resident memory (`VmRSS`), in KiB.
pub fn rss_kib() -> Option<u64> {
    status_kib("VmRSS:")
}

/// Resets the peak-memory mark to the current RSS (Linux `/proc/self/clear_refs` value 5), so the
/// next [`peak_rss_kib`] is the peak of one workload. Returns whether it worked.
pub fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(ms: u64) -> Duration {
        Duration::from_millis(ms)
    }

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<Duration> = (1..=100).map(d).collect();
        let s = Summary::of(&v);
        assert_eq!(s.n, 100);
        assert_eq!(s.p50, d(50));
        assert_eq!(s.p99, d(99));
        assert_eq!(s.max, d(100));
        assert_eq!(s.total, d(5050));
        assert_eq!(Summary::of(&[d(7)]).p99, d(7));
        assert_eq!(Summary::of(&[]).p50, Duration::ZERO);
    }

    #[test]
    fn peak_memory_is_read_on_linux() {
        if std::path::Path::new("/proc/self/status").exists() {
            assert!(peak_rss_kib().is_some_and(|k| k > 0));
        }
    }
}
