//! Analysing many policies on all cores, with the results in input order, and a progress bar on
//! standard error for long runs at a terminal.
//!
//! The work queue is an atomic counter over the items: each worker takes the next index until
//! none is left, so a slow policy (a check that runs to its time limit) holds up one worker only.
//! Results are stored at their item's index, so the report's order does not depend on timing.
//! (`std::thread::scope` is enough here; a work-stealing pool would add a dependency for no gain
//! with one task per policy.)

use crate::options::ScanOptions;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A run is "long" once it has taken this long; the bar appears then (at a terminal).
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// `f` applied to every item, in parallel, the results in item order. `what` names the work on
/// the progress bar ("validate", "check-no-new-access"...).
pub fn map<T: Sync, R: Send>(
    items: &[T],
    opts: &ScanOptions,
    what: &str,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let progress = Progress::new(items.len(), opts.quiet, what);
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let workers = opts.thread_count().clamp(1, items.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let (Some(item), Some(slot)) = (items.get(i), slots.get(i)) else {
                    break;
                };
                let r = f(item);
                *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(r);
                progress.tick();
            });
        }
    });
    progress.finish();
    slots
        .into_iter()
        .filter_map(|s| s.into_inner().unwrap_or_else(|p| p.into_inner()))
        .collect()
}

/// The progress bar: hidden unless standard error is a terminal, `--quiet` is off and the run
/// has lasted [`SHOW_AFTER`].
struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: std::sync::atomic::AtomicBool,
}

impl Progress {
    fn new(len: usize, quiet: bool, what: &str) -> Progress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(
                Some(u64::try_from(len).unwrap_or(u64::MAX)),
                ProgressDrawTarget::hidden(),
            );
            if let Ok(style) = ProgressStyle::with_template(
                "{prefix} [{elapsed_precise}] {bar:40} {pos}/{len} policies",
            ) {
                bar.set_style(style);
            }
            bar.set_prefix(what.to_string());
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
            shown: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn tick(&self) {
        let Some(bar) = &self.bar else { return };
        bar.inc(1);
        if self.started.elapsed() >= SHOW_AFTER && !self.shown.swap(true, Ordering::Relaxed) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
