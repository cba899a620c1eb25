//! The solver measurement queries, rebuilt at run time from the AWS managed
//! policy `ReadOnlyAccess` (corpus `iam-dataset-managed-policies`) and from seeded synthetic
//! S3-ARN globs. Each query is `Pnew ∧ ¬Pold` on one variable, decided through [`solve`]
//! (native engine, end to end from the `Formula`).
//!
//! Set `IAMPROOF_BENCH_EXTERNAL=1` to also time z3 and cvc5 (as processes) on the same formulas.

use criterion::{criterion_group, criterion_main, Criterion};
use iamproof_logic::{Formula, Glob, MatchMode, PatternSet, Var};
use iamproof_solver::automata::{self, Glob as AGlob, GlobMode, Limits, StrOutcome};
use iamproof_solver::{solve, Backend, Outcome, SolveOptions};
use std::time::Duration;

/// The Action entries of ReadOnlyAccess, lowercased.
fn read_only_access() -> Vec<String> {
    let policies = iamproof_corpora::Corpora::locate()
        .managed_policies()
        .unwrap_or_else(|e| panic!("{e}"));
    let Some(p) = policies
        .iter()
        .find(|p| p.arn.as_deref() == Some("arn:aws:iam::aws:policy/ReadOnlyAccess"))
    else {
        panic!("ReadOnlyAccess not in the corpus");
    };
    let stmts = match &p.document["Statement"] {
        serde_json::Value::Array(a) => a.clone(),
        s => vec![s.clone()],
    };
    let mut out = Vec::new();
    for s in stmts {
        match &s["Action"] {
            serde_json::Value::String(a) => out.push(a.to_lowercase()),
            serde_json::Value::Array(a) => {
                out.extend(a.iter().filter_map(|x| x.as_str()).map(str::to_lowercase))
            }
            _ => {}
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A small deterministic generator (xorshift64*), so the queries are the same every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

fn set(var: Var, mode: MatchMode, pats: &[String]) -> Formula {
    Formula::matches(
        var,
        PatternSet::new(
            mode,
            pats.iter().map(|p| Glob::parse_wildcards(p)).collect(),
        ),
    )
}

fn query(var: Var, mode: MatchMode, new: &[String], old: &[String]) -> Formula {
    Formula::and2(
        set(var.clone(), mode, new),
        Formula::not(set(var, mode, old)),
    )
}

/// 1,500 synthetic S3-ARN globs with 2–4 wildcards in the middle.
fn mid_globs(rng: &mut Rng) -> Vec<String> {
    const WORDS: &[&str] = &[
        "logs", "data", "tmp", "img", "raw", "out", "cfg", "db", "web", "app",
    ];
    let mut out = Vec::new();
    while out.len() < 1500 {
        let bucket = format!("bkt{}", rng.below(60));
        let mut key = String::new();
        let wild = 2 + rng.below(3);
        let mut placed = 0;
        for seg in 0..4 {
            if seg > 0 {
                key.push('/');
            }
            key.push_str(WORDS[rng.below(WORDS.len())]);
            if placed < wild && (rng.below(2) == 0 || 4 - seg <= wild - placed) {
                key.push(if rng.below(3) == 0 { '?' } else { '*' });
                key.push_str(WORDS[rng.below(WORDS.len())]);
                placed += 1;
            }
        }
        while placed < wild {
            key.push('*');
            key.push('x');
            placed += 1;
        }
        out.push(format!("arn:aws:s3:::{bucket}/{key}"));
    }
    out.sort();
    out.dedup();
    out
}

/// `?`→`q`, `*`→`zz*`, and `k` inserted before the first `*`: each result is included in its
/// original.
fn narrow_mid(g: &str) -> String {
    let mut s = String::new();
    let mut first = true;
    for c in g.chars() {
        match c {
            '?' => s.push('q'),
            '*' => {
                if first {
                    s.push('k');
                    first = false;
                }
                s.push_str("zz*");
            }
            c => s.push(c),
        }
    }
    s
}

struct Query {
    name: &'static str,
    formula: Formula,
    sat: bool,
    /// The same query as automata input: (positive groups, negative groups).
    globs: (Vec<Vec<AGlob>>, Vec<Vec<AGlob>>),
}

fn globs(mode: GlobMode, new: &[String], old: &[String]) -> (Vec<Vec<AGlob>>, Vec<Vec<AGlob>>) {
    let conv = |v: &[String]| v.iter().map(|p| AGlob::parse(p, mode)).collect::<Vec<_>>();
    (vec![conv(new)], vec![conv(old)])
}

fn queries() -> Vec<Query> {
    let all = read_only_access();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut shuffled = all.clone();
    rng.shuffle(&mut shuffled);
    let sub1500: Vec<String> = shuffled.iter().take(1500).cloned().collect();
    let wc = sub1500
        .iter()
        .find(|a| a.ends_with('*'))
        .cloned()
        .unwrap_or_default();
    let lit = sub1500
        .iter()
        .find(|a| !a.contains(['*', '?']))
        .cloned()
        .unwrap_or_default();
    let minus = |x: &str| -> Vec<String> { sub1500.iter().filter(|a| *a != x).cloned().collect() };
    // n1500: every `p*` becomes `px*`, `pabc`, `p?z`; literals stay.
    let mut narrowed = Vec::new();
    for a in &sub1500 {
        if let Some(p) = a.strip_suffix('*') {
            narrowed.push(format!("{p}x*"));
            narrowed.push(format!("{p}abc"));
            narrowed.push(format!("{p}?z"));
        } else {
            narrowed.push(a.clone());
        }
    }
    let mut reshuffled = all.clone();
    rng.shuffle(&mut reshuffled);
    let mid = mid_globs(&mut rng);
    let mid_minus: Vec<String> = mid.iter().skip(1).cloned().collect();
    let midn: Vec<String> = mid.iter().take(1381).map(|g| narrow_mid(g)).collect();
    let a = Var::Action;
    let r = Var::Resource;
    vec![
        Query {
            name: "a1500_sat_lit",
            formula: query(a.clone(), MatchMode::Action, &sub1500, &minus(&lit)),
            sat: true,
            globs: globs(GlobMode::Action, &sub1500, &minus(&lit)),
        },
        Query {
            name: "a1500_sat_wc",
            formula: query(a.clone(), MatchMode::Action, &sub1500, &minus(&wc)),
            sat: true,
            globs: globs(GlobMode::Action, &sub1500, &minus(&wc)),
        },
        Query {
            name: "n1500_unsat",
            formula: query(a.clone(), MatchMode::Action, &narrowed, &sub1500),
            sat: false,
            globs: globs(GlobMode::Action, &narrowed, &sub1500),
        },
        Query {
            name: "aall_unsat",
            formula: query(a, MatchMode::Action, &all, &reshuffled),
            sat: false,
            globs: globs(GlobMode::Action, &all, &reshuffled),
        },
        Query {
            name: "mid_sat",
            formula: query(r.clone(), MatchMode::Arn, &mid, &mid_minus),
            sat: true,
            globs: globs(GlobMode::Arn, &mid, &mid_minus),
        },
        Query {
            name: "midn_unsat",
            formula: query(r, MatchMode::Arn, &midn, &mid),
            sat: false,
            globs: globs(GlobMode::Arn, &midn, &mid),
        },
    ]
}

fn bench(c: &mut Criterion) {
    let opts = SolveOptions {
        backend: Backend::Native,
        timeout: Duration::from_secs(120),
        max_steps: 100_000,
    };
    let external = std::env::var("IAMPROOF_BENCH_EXTERNAL").is_ok();
    let mut g = c.benchmark_group("native");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(3));
    for q in queries() {
        let out = solve(&q.formula, &opts);
        match (&out, q.sat) {
            (Outcome::Sat(_), true) | (Outcome::Unsat, false) => {}
            _ => panic!("{}: unexpected {out:?}", q.name),
        }
        g.bench_function(q.name, |b| b.iter(|| solve(&q.formula, &opts)));
        if external {
            for backend in [Backend::Z3, Backend::Cvc5] {
                let o = SolveOptions {
                    backend,
                    timeout: Duration::from_secs(60),
                    ..opts
                };
                let t = std::time::Instant::now();
                let out = solve(&q.formula, &o);
                let verdict = match out {
                    Outcome::Sat(_) => "sat".to_string(),
                    Outcome::Unsat => "unsat".to_string(),
                    Outcome::Unknown(r) => format!("unknown ({r})"),
                };
                println!("{} {backend:?}: {verdict} in {:?}", q.name, t.elapsed());
            }
        }
    }
    g.finish();
    let mut g = c.benchmark_group("automata");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(3));
    for q in queries() {
        let (pos, neg) = &q.globs;
        let (out, stats) = automata::decide_with_stats(pos, neg, &Limits::default());
        println!(
            "{}: {:?} {stats:?}",
            q.name,
            matches!(out, StrOutcome::Sat(_))
        );
        g.bench_function(q.name, |b| {
            b.iter(|| automata::decide(pos, neg, &Limits::default()))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
