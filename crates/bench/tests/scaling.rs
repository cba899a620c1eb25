//! The scaling series' synthetic checks give the verdicts they are built for (small sizes only;
//! the benchmark itself does not run in CI).

use iamproof_bench::engine::BenchEngine;
use iamproof_bench::run::run_check;
use iamproof_bench::scaling::{action_patterns, scale_points};
use iamproof_checks::Verdict;
use iamproof_solver::Backend;
use std::time::Duration;

#[test]
fn small_scaling_points_have_the_intended_verdicts() {
    let catalogue: Vec<String> = (0..500)
        .map(|i| {
            format!(
                "svc{}:{}Describe{i}Thing",
                i % 7,
                ["Get", "List", "Put"][i % 3]
            )
        })
        .collect();
    let pats = action_patterns(&catalogue, 30);
    assert_eq!(pats.len(), 30);
    assert!(pats.iter().skip(4).step_by(5).all(|p| p.ends_with('*')));
    let engine = BenchEngine::new(Backend::Native, Duration::from_secs(20));
    let points: Vec<_> = scale_points(&catalogue, 30)
        .into_iter()
        .filter(|p| p.x <= 10 || p.series == "actions/1-stmt")
        .collect();
    assert!(points.len() >= 8);
    for p in &points {
        let r = run_check(&p.job.check, &engine);
        let want = if p.expect_fail {
            Verdict::Fail
        } else {
            Verdict::Pass
        };
        println!("{}: {}", p.job.label, r.result.as_str());
        assert_eq!(r.result, want, "{}", p.job.label);
    }
}
