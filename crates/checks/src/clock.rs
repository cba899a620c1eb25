//! The time budget of one check: the time left for each solver call, and a fair share of it for
//! a part of the check.

use crate::engine::{Engine, SolveAnswer};
use iamproof_logic::Formula;
use std::time::{Duration, Instant};

/// The time budget of one check ([`Engine::time_limit`]), counted from the start of the check,
/// or of a part of it (a share of the time left, see [`Clock::share`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clock {
    /// The check's limit (for messages); `None`: no limit.
    limit: Option<Duration>,
    /// When the whole check must end.
    end: Option<Instant>,
    /// When this part of the check must end (never after `end`).
    part_end: Option<Instant>,
}

/// A duration as people write it: `30 s`, `250 ms`, `1.5 s`.
pub(crate) fn show_duration(d: Duration) -> String {
    if d.subsec_nanos() == 0 {
        format!("{} s", d.as_secs())
    } else if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

impl Clock {
    pub(crate) fn start(engine: &dyn Engine, started: Instant) -> Self {
        let limit = engine.time_limit();
        let end = limit.map(|l| started + l);
        Clock {
            limit,
            end,
            part_end: end,
        }
    }

    /// A part of this part that may take `1/parts` of the time it has left.
    pub(crate) fn share(&self, parts: u32) -> Clock {
        let now = Instant::now();
        let part_end = self
            .part_end
            .map(|e| now + e.saturating_duration_since(now) / parts.max(1));
        Clock { part_end, ..*self }
    }

    /// The time this part has left (`None`: no limit).
    pub(crate) fn left(&self) -> Option<Duration> {
        self.part_end
            .map(|e| e.saturating_duration_since(Instant::now()))
    }

    /// Whether the whole check has run out of time.
    pub(crate) fn expired(&self) -> bool {
        self.end.is_some_and(|e| Instant::now() >= e)
    }

    /// Whether this part has run out of time.
    pub(crate) fn part_expired(&self) -> bool {
        self.part_end.is_some_and(|e| Instant::now() >= e)
    }

    /// The unknown reason of a check (or part) that ran out of time.
    pub(crate) fn reason(&self) -> String {
        let limit = self
            .limit
            .map(|l| format!(" ({})", show_duration(l)))
            .unwrap_or_default();
        if self.expired() {
            format!("the time limit of the check{limit} was reached")
        } else {
            format!("its share of the time limit of the check{limit} ran out")
        }
    }

    /// One solver call with the time this part has left.
    pub(crate) fn ask(&self, engine: &dyn Engine, f: &Formula) -> SolveAnswer {
        let Some(part_end) = self.part_end else {
            return engine.solve(f);
        };
        let left = part_end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return SolveAnswer::Unknown(self.reason());
        }
        match engine.solve_within(f, left) {
            SolveAnswer::Unknown(_) if self.part_expired() => SolveAnswer::Unknown(self.reason()),
            other => other,
        }
    }
}
