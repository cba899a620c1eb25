//! Running a workload: every check on the native engine (timed end to end), and the decision
//! query of a deterministic sample of checks on the native engine, z3 and cvc5 (timed per query).

use crate::engine::{backend_name, timed_solve, Answer, BenchEngine};
use crate::stats::{ms, peak_rss_kib, reset_peak_rss, Summary};
use crate::workloads::{CheckJob, Job, Workload};
use iamproof_checks::{
    check_access_not_granted_with, check_no_new_access_with, check_no_public_access_with,
    CheckResult, Engine, Verdict,
};
use iamproof_solver::Backend;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// How a workload is run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The external solvers compared with the native engine.
    pub external: Vec<Backend>,
    /// Compare the decision query of every `sample_every`-th check (0: none)…
    pub sample_every: usize,
    /// …and at most this many checks per workload.
    pub external_limit: usize,
    /// The time limit of one external solver call (a call that reaches it counts as a timeout).
    pub external_timeout: Duration,
    /// The time limit of one native solver call.
    pub native_timeout: Duration,
    /// Print one line per check to stderr.
    pub verbose: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            external: vec![Backend::Z3, Backend::Cvc5],
            sample_every: 50,
            external_limit: 30,
            external_timeout: Duration::from_secs(10),
            native_timeout: Duration::from_secs(60),
            verbose: false,
        }
    }
}

/// One solver's answer and time on a sampled query.
#[derive(Debug, Clone)]
pub struct QueryTiming {
    /// The backend.
    pub backend: Backend,
    /// Its answer.
    pub answer: Answer,
    /// Wall-clock time of the call.
    pub time: Duration,
    /// Why it answered unknown.
    pub why: String,
}

/// The result of one check.
#[derive(Debug, Clone)]
pub struct JobResult {
    /// The job's label.
    pub label: String,
    /// The job's size.
    pub size: usize,
    /// End-to-end time of the check on the native engine (encoding, queries, pinpointing,
    /// witness replay).
    pub check_time: Duration,
    /// PASS / FAIL.
    pub verdict: Verdict,
    /// Whether the check gave up (unknown reason or internal error).
    pub undecided: bool,
    /// Solver calls the check made.
    pub queries: usize,
    /// For sampled checks: the decision query on every backend (native first).
    pub sampled: Vec<QueryTiming>,
}

/// A workload's results.
#[derive(Debug, Clone)]
pub struct WorkloadReport {
    /// The workload's name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// One result per check.
    pub results: Vec<JobResult>,
    /// Inputs left out.
    pub skipped: Vec<(String, String)>,
    /// Wall-clock time of the whole workload (native checks only).
    pub native_total: Duration,
    /// Peak RSS during the native run, KiB (process peak if it could not be reset).
    pub peak_rss_kib: Option<u64>,
    /// Whether the peak was reset before the workload.
    pub peak_is_per_workload: bool,
    /// The options used.
    pub options: RunOptions,
}

/// Runs one check on an engine.
pub fn run_check(job: &CheckJob, engine: &dyn Engine) -> CheckResult {
    match job {
        CheckJob::NoNewAccess { existing, new } => check_no_new_access_with(existing, new, engine),
        CheckJob::NotGranted { policy, access } => {
            check_access_not_granted_with(policy, access, engine)
        }
        CheckJob::Public {
            policy,
            resource_type,
        } => check_no_public_access_with(policy, *resource_type, engine),
    }
}

fn is_sampled(i: usize, opts: &RunOptions, taken: usize) -> bool {
    i.checked_rem(opts.sample_every) == Some(0) && taken < opts.external_limit
}

/// Runs every check of a job list on the native engine, then the external comparison on the
/// sample (every `sample_every`-th check, index 0 first, at most `external_limit`).
pub fn run_jobs(name: &str, description: &str, jobs: &[Job], opts: &RunOptions) -> WorkloadReport {
    let reset = reset_peak_rss();
    let engine = BenchEngine::recording(Backend::Native, opts.native_timeout);
    let mut results = Vec::with_capacity(jobs.len());
    let mut decision_queries = Vec::new();
    let start = Instant::now();
    for (i, job) in jobs.iter().enumerate() {
        let t = Instant::now();
        let r = run_check(&job.check, &engine);
        let check_time = t.elapsed();
        let recorded = engine.take_recorded();
        if is_sampled(i, opts, decision_queries.len()) {
            if let Some(f) = recorded.first() {
                decision_queries.push((i, f.clone()));
            }
        }
        let undecided = r.unknown_reason.is_some() || r.internal_error.is_some();
        if opts.verbose {
            eprintln!(
                "{name} {i} {} {} {} ms{}",
                job.label,
                r.result.as_str(),
                ms(check_time),
                r.unknown_reason
                    .as_deref()
                    .or(r.internal_error.as_deref())
                    .map(|w| format!(" ({w})"))
                    .unwrap_or_default()
            );
        }
        results.push(JobResult {
            label: job.label.clone(),
            size: job.size,
            check_time,
            verdict: r.result,
            undecided,
            queries: recorded.len(),
            sampled: Vec::new(),
        });
    }
    let native_total = start.elapsed();
    let peak = peak_rss_kib();
    for (i, f) in decision_queries {
        let mut timings = Vec::new();
        for b in std::iter::once(Backend::Native).chain(opts.external.iter().copied()) {
            let limit = if b == Backend::Native {
                opts.native_timeout
            } else {
                opts.external_timeout
            };
            let (answer, time, why) = timed_solve(&f, b, limit);
            if opts.verbose {
                eprintln!(
                    "{name} {i} decision query on {}: {} in {} ms {}",
                    backend_name(b),
                    answer.as_str(),
                    ms(time),
                    why
                );
            }
            timings.push(QueryTiming {
                backend: b,
                answer,
                time,
                why,
            });
        }
        if let Some(r) = results.get_mut(i) {
            r.sampled = timings;
        }
    }
    WorkloadReport {
        name: name.to_string(),
        description: description.to_string(),
        results,
        skipped: Vec::new(),
        native_total,
        peak_rss_kib: peak,
        peak_is_per_workload: reset,
        options: opts.clone(),
    }
}

/// Runs a workload (see [`run_jobs`]).
pub fn run_workload(w: &Workload, opts: &RunOptions) -> WorkloadReport {
    let mut r = run_jobs(&w.name, &w.description, &w.jobs, opts);
    r.skipped = w.skipped.clone();
    r
}

/// Per-backend figures over the sampled decision queries.
#[derive(Debug, Clone)]
pub struct BackendSummary {
    /// The backend.
    pub backend: Backend,
    /// Latency summary (timeouts counted at the time they took).
    pub summary: Summary,
    /// Calls that answered unknown (nearly always a timeout).
    pub unknown: usize,
    /// Calls whose sat/unsat answer differs from the native engine's.
    pub disagreements: usize,
}

impl WorkloadReport {
    /// The latency summary of the native checks.
    pub fn check_summary(&self) -> Summary {
        Summary::of(
            &self
                .results
                .iter()
                .map(|r| r.check_time)
                .collect::<Vec<_>>(),
        )
    }

    /// (PASS, FAIL decided, undecided).
    pub fn verdicts(&self) -> (usize, usize, usize) {
        let pass = self
            .results
            .iter()
            .filter(|r| r.verdict == Verdict::Pass)
            .count();
        let undecided = self.results.iter().filter(|r| r.undecided).count();
        (pass, self.results.len() - pass - undecided, undecided)
    }

    /// The sampled checks.
    pub fn sampled(&self) -> Vec<&JobResult> {
        self.results
            .iter()
            .filter(|r| !r.sampled.is_empty())
            .collect()
    }

    /// Per-backend figures over the sampled decision queries (native first).
    pub fn backend_summaries(&self) -> Vec<BackendSummary> {
        let sampled = self.sampled();
        let mut out = Vec::new();
        for b in std::iter::once(Backend::Native).chain(self.options.external.iter().copied()) {
            let mut times = Vec::new();
            let mut unknown = 0;
            let mut disagreements = 0;
            for r in &sampled {
                let native = r.sampled.first().map(|t| t.answer);
                if let Some(t) = r.sampled.iter().find(|t| t.backend == b) {
                    times.push(t.time);
                    if t.answer == Answer::Unknown {
                        unknown += 1;
                    } else if native.is_some_and(|n| n != Answer::Unknown && n != t.answer) {
                        disagreements += 1;
                    }
                }
            }
            out.push(BackendSummary {
                backend: b,
                summary: Summary::of(&times),
                unknown,
                disagreements,
            });
        }
        out
    }

    /// Per sampled query, the time of the faster external solver over the native time; the
    /// median of these ratios, and the ratio of the totals. Timeouts count at the time limit, so
    /// ratios involving them are lower bounds.
    pub fn speedup(&self) -> Option<(f64, f64)> {
        let mut ratios = Vec::new();
        let (mut ext_total, mut nat_total) = (0.0, 0.0);
        for r in self.sampled() {
            let native = r.sampled.first()?.time.as_secs_f64().max(1e-7);
            let best = r
                .sampled
                .iter()
                .skip(1)
                .map(|t| t.time.as_secs_f64())
                .fold(f64::INFINITY, f64::min);
            if best.is_finite() {
                ratios.push(best / native);
                ext_total += best;
                nat_total += native;
            }
        }
        if ratios.is_empty() {
            return None;
        }
        ratios.sort_by(|a, b| a.total_cmp(b));
        let med = ratios.get((ratios.len() - 1) / 2).copied()?;
        Some((med, ext_total / nat_total.max(1e-9)))
    }

    /// The report as Markdown.
    pub fn to_markdown(&self) -> String {
        let mut s = String::new();
        let sum = self.check_summary();
        let (pass, fail, und) = self.verdicts();
        let queries: usize = self.results.iter().map(|r| r.queries).sum();
        let _ = writeln!(s, "### Workload `{}`\n\n{}\n", self.name, self.description);
        let _ = writeln!(
            s,
            "| checks | PASS | FAIL | undecided | solver calls | p50 ms | p99 ms | max ms | total s | peak RSS MiB |"
        );
        let _ = writeln!(s, "|---|---|---|---|---|---|---|---|---|---|");
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {:.2} | {}{} |",
            sum.n,
            pass,
            fail,
            und,
            queries,
            ms(sum.p50),
            ms(sum.p99),
            ms(sum.max),
            self.native_total.as_secs_f64(),
            self.peak_rss_kib
                .map(|k| format!("{:.1}", k as f64 / 1024.0))
                .unwrap_or_else(|| "?".into()),
            if self.peak_is_per_workload {
                ""
            } else {
                " (process)"
            }
        );
        if !self.skipped.is_empty() {
            let _ = writeln!(s, "\n{} inputs skipped:", self.skipped.len());
            for (l, why) in self.skipped.iter().take(10) {
                let _ = writeln!(s, "- {l}: {why}");
            }
        }
        let undecided: Vec<&JobResult> = self.results.iter().filter(|r| r.undecided).collect();
        if !undecided.is_empty() {
            let _ = writeln!(s, "\nUndecided checks (first 10):");
            for r in undecided.iter().take(10) {
                let _ = writeln!(s, "- {}", r.label);
            }
        }
        let sampled = self.sampled();
        if !sampled.is_empty() {
            let o = &self.options;
            let _ = writeln!(
                s,
                "\nSolver comparison on the decision query (the check's first solver call: the policy allows ∧ the check's property) of every {}-th check (index 0, {}, …), at most {} checks: {} queries; external limit {} s per query, timeouts counted at the time they took.\n",
                o.sample_every,
                o.sample_every,
                o.external_limit,
                sampled.len(),
                o.external_timeout.as_secs_f64()
            );
            let _ = writeln!(
                s,
                "| solver | queries | p50 ms | p99 ms | max ms | total s | timeouts/unknown | disagree with native |"
            );
            let _ = writeln!(s, "|---|---|---|---|---|---|---|---|");
            for b in self.backend_summaries() {
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} | {} | {:.3} | {} | {} |",
                    backend_name(b.backend),
                    b.summary.n,
                    ms(b.summary.p50),
                    ms(b.summary.p99),
                    ms(b.summary.max),
                    b.summary.total.as_secs_f64(),
                    b.unknown,
                    b.disagreements
                );
            }
            if let Some((med, tot)) = self.speedup() {
                let _ = writeln!(
                    s,
                    "\nSpeed-up of native over the faster of the external solvers, per query: median {med:.0}×; on the totals {tot:.0}× (lower bounds where an external solver timed out)."
                );
            }
        }
        s
    }
}
