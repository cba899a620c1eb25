//! `iamproof-bench`: runs the benchmark workloads and prints Markdown tables (see BENCHMARKS.md).

use clap::{Parser, Subcommand};
use iamproof_bench::engine::BenchEngine;
use iamproof_bench::engine::{backend_name, timed_solve, Answer};
use iamproof_bench::run::{run_check, run_workload, RunOptions, WorkloadReport};
use iamproof_bench::scaling::scale_points;
use iamproof_bench::stats::{ms, peak_rss_kib};
use iamproof_bench::svg::{loglog, Line};
use iamproof_bench::workloads::{self, Workload};
use iamproof_checks::Verdict;
use iamproof_corpora::{Corpora, CorpusError};
use iamproof_solver::Backend;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The same allocator as the `iamproof` binary, so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser, Debug)]
#[command(
    name = "iamproof-bench",
    about = "iamproof benchmarks: native engine vs z3 and cvc5 on the same queries"
)]
struct Cli {
    /// The corpora directory (default: $IAMPROOF_CORPORA, else <workspace>/../shared/corpora).
    #[arg(long, global = true)]
    corpora: Option<PathBuf>,
    /// Compare the decision query of every K-th check with the external solvers (0: never).
    #[arg(long, global = true, default_value_t = 50)]
    sample_every: usize,
    /// At most this many sampled checks per workload.
    #[arg(long, global = true, default_value_t = 30)]
    external_limit: usize,
    /// Time limit of one external solver call, in seconds.
    #[arg(long, global = true, default_value_t = 10.0)]
    timeout: f64,
    /// External solvers to compare with (z3, cvc5); "none" for native only.
    #[arg(long, global = true, value_delimiter = ',', default_value = "z3,cvc5")]
    solvers: Vec<String>,
    /// Time limit of one native solver call, in seconds.
    #[arg(long, global = true, default_value_t = 10.0)]
    native_timeout: f64,
    /// Run only every N-th check of a workload (a deterministic subset; 1: all).
    #[arg(long, global = true, default_value_t = 1)]
    every: usize,
    /// Print one line per check to stderr.
    #[arg(long, short, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Workload 1: check-no-new-access over MAMIP's old→new versions, both directions.
    Mamip,
    /// Workload 2: the largest managed policies against each other.
    ManagedPairs {
        /// How many of the largest policies.
        #[arg(long, default_value_t = 8)]
        n: usize,
    },
    /// Workload 3: check-access-not-granted of every managed policy vs sensitive actions.
    NotGranted,
    /// Workload 4: check-no-public-access over every resource policy in the corpora.
    Public,
    /// Workload 5: the scaling series; writes the SVG plot.
    Scaling {
        /// Largest pattern count.
        #[arg(long, default_value_t = 10000)]
        max_patterns: usize,
        /// Where to write the plot.
        #[arg(long, default_value = "docs/bench-latency.svg")]
        svg: PathBuf,
    },
    /// Workloads 1–4 in turn (the scaling series is `scaling`).
    All {
        /// Largest-policy count of workload 2.
        #[arg(long, default_value_t = 8)]
        n: usize,
    },
}

fn parse_solvers(names: &[String]) -> Result<Vec<Backend>, String> {
    let mut out = Vec::new();
    for n in names {
        match n.as_str() {
            "z3" => out.push(Backend::Z3),
            "cvc5" => out.push(Backend::Cvc5),
            "none" | "" => {}
            other => {
                return Err(format!(
                    "unknown solver {other:?} (expected z3, cvc5 or none)"
                ))
            }
        }
    }
    Ok(out)
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "?".into());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<u64>().ok())
        })
        .map(|k| format!("{:.1} GiB", k as f64 / 1048576.0))
        .unwrap_or_else(|| "?".into());
    let n = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    format!("{n} CPUs, {cpu}, {mem} RAM")
}

fn report(w: &Workload, opts: &RunOptions, every: usize) -> WorkloadReport {
    let mut w = w.clone();
    if every > 1 {
        let total = w.jobs.len();
        w.jobs = w
            .jobs
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i.checked_rem(every) == Some(0))
            .map(|(_, j)| j)
            .collect();
        w.description = format!(
            "{} — subset: every {every}-th check (index 0, {every}, …), {} of {total}",
            w.description,
            w.jobs.len()
        );
    }
    let w = &w;
    eprintln!("running {} ({} checks)…", w.name, w.jobs.len());
    let r = run_workload(w, opts);
    println!("{}", r.to_markdown());
    r
}

fn goals(r: &WorkloadReport) {
    let s = r.check_summary();
    println!("Goals (workload 1):");
    println!(
        "- p99 ≤ 10 ms per check: {} (p99 {} ms)",
        if s.p99 <= Duration::from_millis(10) {
            "met"
        } else {
            "NOT met"
        },
        ms(s.p99)
    );
    println!(
        "- whole workload < 10 s: {} ({:.2} s)",
        if r.native_total < Duration::from_secs(10) {
            "met"
        } else {
            "NOT met"
        },
        r.native_total.as_secs_f64()
    );
    match r.speedup() {
        Some((med, tot)) => println!(
            "- ≥ 100× faster than the faster of z3/cvc5 on the same queries: {} (median per-query ratio {med:.0}×, totals {tot:.0}×)",
            if med >= 100.0 { "met" } else { "NOT met" }
        ),
        None => println!("- ≥ 100× faster than z3/cvc5: not measured (no sampled queries)"),
    }
    println!();
}

fn scaling(
    corpora: &Corpora,
    max: usize,
    svg: &std::path::Path,
    opts: &RunOptions,
) -> Result<(), String> {
    let cat = corpora.action_catalogue().map_err(|e| e.to_string())?;
    let points = scale_points(&cat, max);
    println!("### Workload `scaling`\n");
    println!("Synthetic check-no-new-access pairs: `actions/S-stmt` = N action patterns (every 5th a prefix wildcard) split over S statements, new = old plus one literal (sat) or old minus one, reordered (unsat); `conditions` = one statement with StringLike on K keys, one key widened (sat) or narrowed (unsat). Native: whole check, median of 5 runs, and the decision query; z3/cvc5: the same decision query, one run, limit {} s.\n", opts.external_timeout.as_secs_f64());
    println!(
        "| series | x | expect | verdict | native check ms | native query ms | {} |",
        opts.external
            .iter()
            .map(|b| format!("{} query ms", backend_name(*b)))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    println!(
        "|---|---|---|---|---|---|{}",
        "---|".repeat(opts.external.len())
    );
    let mut data: Vec<(String, bool, Backend, usize, f64, bool)> = Vec::new();
    for p in &points {
        let engine = BenchEngine::recording(Backend::Native, opts.native_timeout);
        let mut times = Vec::new();
        let mut verdict = Verdict::Fail;
        let mut first = None;
        for _ in 0..5 {
            let t = Instant::now();
            let r = run_check(&p.job.check, &engine);
            times.push(t.elapsed());
            verdict = r.result;
            let rec = engine.take_recorded();
            if first.is_none() {
                first = rec.first().cloned();
            }
        }
        times.sort();
        let check = times.get(2).copied().unwrap_or_default();
        let mut cells = Vec::new();
        let mut native_q = String::from("-");
        if let Some(f) = &first {
            for b in std::iter::once(Backend::Native).chain(opts.external.iter().copied()) {
                let limit = if b == Backend::Native {
                    opts.native_timeout
                } else {
                    opts.external_timeout
                };
                let (a, t, _) = timed_solve(f, b, limit);
                let cell = match a {
                    Answer::Unknown => format!("{} (unknown)", ms(t)),
                    a => format!("{} ({})", ms(t), a.as_str()),
                };
                if b == Backend::Native {
                    native_q = cell;
                } else {
                    cells.push(cell);
                }
                data.push((
                    p.series.clone(),
                    p.expect_fail,
                    b,
                    p.x,
                    t.as_secs_f64() * 1e3,
                    a == Answer::Unknown,
                ));
            }
        }
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            p.series,
            p.x,
            if p.expect_fail { "FAIL" } else { "PASS" },
            verdict.as_str(),
            ms(check),
            native_q,
            cells.join(" | ")
        );
        eprintln!("scaling {} done", p.job.label);
    }
    let colors = [
        (Backend::Native, "#1f77b4"),
        (Backend::Z3, "#d62728"),
        (Backend::Cvc5, "#2ca02c"),
    ];
    let mut lines = Vec::new();
    for (b, c) in colors {
        for fail in [true, false] {
            let points: Vec<(f64, f64, bool)> = data
                .iter()
                .filter(|d| d.0 == "actions/1-stmt" && d.1 == fail && d.2 == b)
                .map(|d| (d.3 as f64, d.4, d.5))
                .collect();
            if points.is_empty() {
                continue;
            }
            lines.push(Line {
                name: format!(
                    "{} ({})",
                    backend_name(b),
                    if fail { "sat" } else { "unsat" }
                ),
                color: c.to_string(),
                dashed: !fail,
                points,
            });
        }
    }
    let text = loglog(
        "check-no-new-access decision query: latency vs policy size (1 statement)",
        "action patterns in the policy",
        "latency (ms)",
        &lines,
    );
    if let Some(dir) = svg.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
    }
    std::fs::write(svg, text).map_err(|e| format!("{}: {e}", svg.display()))?;
    println!("\nPlot written to {}.", svg.display());
    Ok(())
}

fn run(cli: Cli) -> Result<(), String> {
    let corpora = cli.corpora.clone().map(Corpora::at).unwrap_or_default();
    let opts = RunOptions {
        external: parse_solvers(&cli.solvers)?,
        sample_every: cli.sample_every,
        external_limit: cli.external_limit,
        external_timeout: Duration::from_secs_f64(cli.timeout.max(0.001)),
        verbose: cli.verbose,
        native_timeout: Duration::from_secs_f64(cli.native_timeout.max(0.001)),
    };
    println!(
        "Machine: {}. Corpora: {}.\n",
        machine(),
        corpora.root().display()
    );
    let err = |e: CorpusError| e.to_string();
    match cli.command {
        Cmd::Mamip => {
            let r = report(&workloads::mamip(&corpora).map_err(err)?, &opts, cli.every);
            goals(&r);
        }
        Cmd::ManagedPairs { n } => {
            report(
                &workloads::managed_pairs(&corpora, n).map_err(err)?,
                &opts,
                cli.every,
            );
        }
        Cmd::NotGranted => {
            report(
                &workloads::not_granted(&corpora).map_err(err)?,
                &opts,
                cli.every,
            );
        }
        Cmd::Public => {
            report(&workloads::public(&corpora).map_err(err)?, &opts, cli.every);
        }
        Cmd::Scaling { max_patterns, svg } => scaling(&corpora, max_patterns, &svg, &opts)?,
        Cmd::All { n } => {
            let r = report(&workloads::mamip(&corpora).map_err(err)?, &opts, cli.every);
            goals(&r);
            report(
                &workloads::managed_pairs(&corpora, n).map_err(err)?,
                &opts,
                cli.every,
            );
            report(
                &workloads::not_granted(&corpora).map_err(err)?,
                &opts,
                cli.every,
            );
            report(&workloads::public(&corpora).map_err(err)?, &opts, cli.every);
        }
    }
    if let Some(k) = peak_rss_kib() {
        println!("Process peak RSS: {:.1} MiB.", k as f64 / 1024.0);
    }
    Ok(())
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("iamproof-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
