//! Hard limits on a whole check command: wall time and memory, whatever the input.
//!
//! The engine bounds its own searches (`CheckOptions::timeout`, state and clause budgets), but
//! parsing, encoding and automaton construction of a hostile document can still run long or
//! grow large before the engine looks at the clock. So every check command also runs under a
//! watchdog thread started before the documents are read: when the command's time limit plus
//! [`GRACE`] has passed, or the heap has grown past `--max-memory`, the watchdog prints the
//! check's answer, FAIL because the check could not be completed (PASS must be a proof), in the
//! requested output format, and ends the process with exit status 1.
//!
//! The heap is measured by [`CountingAllocator`], the binary's global allocator (the library
//! only defines it; `main.rs` installs it): mimalloc (the engine allocates many small,
//! short-lived vectors, and mimalloc serves them markedly faster than the system allocator;
//! BENCHMARKS.md) plus one atomic counter of live bytes, switched on only for check commands. The
//! watchdog looks every [`POLL`], so the heap can overshoot the limit by what the program
//! allocates in that time.
//!
//! The command's own answer and the watchdog's never both appear: the command calls
//! [`claim_output`] before it prints (an answer or an error), the watchdog prints only if it
//! takes the same lock first; whichever takes it keeps it until the process ends.

use crate::cli::OutputFormat;
use iamproof_checks::{CheckKind, CheckResult};
use mimalloc::MiMalloc;
use std::alloc::{GlobalAlloc, Layout};
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long after the check's own time limit the watchdog answers: the engine's own answer at
/// its time limit comes first when it can.
pub const GRACE: Duration = Duration::from_millis(300);

/// How often the watchdog looks at the clock and the heap.
const POLL: Duration = Duration::from_millis(5);

/// Bytes allocated minus bytes freed since the watchdog started (frees of earlier blocks make it
/// fall a little below the live heap: only what the command's start-up allocated).
static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);
/// Counting is on only for check commands (see [`start`]): other commands, `serve` above all,
/// allocate from many threads and should not share one counter.
static COUNTING: AtomicBool = AtomicBool::new(false);

fn count(delta: isize) {
    if COUNTING.load(Ordering::Relaxed) {
        LIVE_BYTES.fetch_add(delta, Ordering::Relaxed);
    }
}

fn signed(n: usize) -> isize {
    isize::try_from(n).unwrap_or(isize::MAX)
}
/// Whether the watchdog runs: without it (the library called in-process) there is nothing to
/// claim standard output from.
static STARTED: AtomicBool = AtomicBool::new(false);
static OUTPUT: Mutex<()> = Mutex::new(());
/// The check the watchdog answers for, once the command knows it exactly (its wording depends
/// on the parsed arguments, e.g. whether `--access` lists resources).
static CHECK: Mutex<Option<CheckKind>> = Mutex::new(None);

/// mimalloc, counting the bytes currently allocated.
pub struct CountingAllocator;

// SAFETY: every call is forwarded to `MiMalloc` unchanged; the counter is only arithmetic.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on to `MiMalloc`.
        let p = unsafe { MiMalloc.alloc(layout) };
        if !p.is_null() {
            count(signed(layout.size()));
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let p = unsafe { MiMalloc.alloc_zeroed(layout) };
        if !p.is_null() {
            count(signed(layout.size()));
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `MiMalloc` with `layout` (see `alloc`).
        unsafe { MiMalloc.dealloc(ptr, layout) };
        count(-signed(layout.size()));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract for `realloc` is passed on to `MiMalloc`.
        let p = unsafe { MiMalloc.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            count(signed(new_size) - signed(layout.size()));
        }
        p
    }
}

/// Bytes currently allocated on the heap.
pub fn live_bytes() -> usize {
    usize::try_from(LIVE_BYTES.load(Ordering::Relaxed)).unwrap_or(0)
}

/// Claims standard output for the command's own answer, for the rest of the process: from now
/// on the watchdog never prints (see the module docs).
pub fn claim_output() {
    if !STARTED.load(Ordering::SeqCst) {
        return;
    }
    let guard: MutexGuard<'static, ()> = OUTPUT
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    std::mem::forget(guard);
}

/// Tells the watchdog which check it answers for (see [`CHECK`]).
pub fn set_check(check: CheckKind) {
    *CHECK.lock().unwrap_or_else(|p| p.into_inner()) = Some(check);
}

/// What the watchdog needs to answer for a check.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The check being run.
    pub check: CheckKind,
    /// Its output format.
    pub format: OutputFormat,
    /// The check's time limit (`--timeout`).
    pub time: Duration,
    /// The heap limit in bytes (`--max-memory`).
    pub max_memory: usize,
}

/// Starts the watchdog for a check command (see the module docs).
pub fn start(limits: Limits) {
    STARTED.store(true, Ordering::SeqCst);
    COUNTING.store(true, Ordering::Relaxed);
    let started = Instant::now();
    let deadline = started + limits.time + GRACE;
    let spawned = std::thread::Builder::new()
        .name("iamproof-watchdog".into())
        .spawn(move || loop {
            std::thread::sleep(POLL);
            let why = if Instant::now() >= deadline {
                format!(
                    "the time limit of the check ({} s) was reached before it finished",
                    limits.time.as_secs()
                )
            } else if live_bytes() > limits.max_memory {
                format!(
                    "the memory limit of the check ({} MiB) was reached",
                    limits.max_memory >> 20
                )
            } else {
                continue;
            };
            answer_undecided(limits, &why);
        });
    // Without a watchdog the engine's own limits still apply; nothing else to do.
    drop(spawned);
}

fn answer_undecided(limits: Limits, why: &str) -> ! {
    // If the command is already printing its own answer, let it finish.
    let Ok(_guard) = OUTPUT.try_lock() else {
        loop {
            std::thread::park();
        }
    };
    let check = CHECK
        .lock()
        .map(|c| *c)
        .unwrap_or_else(|p| *p.into_inner())
        .unwrap_or(limits.check);
    let result = CheckResult::unknown(check, why);
    let text = match limits.format {
        OutputFormat::Json => crate::output::json_text(&result).unwrap_or_default(),
        OutputFormat::Text => result.render_text(""),
    };
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    std::process::exit(crate::Exit::Fail.code())
}
