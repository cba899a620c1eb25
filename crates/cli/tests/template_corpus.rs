//! `validate` and `check-no-public-access` over every template of the CloudFormation corpus
//! (`../shared/corpora/cloudformation-templates`): no panic, and the exit status says what the
//! templates crate says about the file (0 or 1 with a JSON report when it reads it, 2 with a
//! located error when it does not: the corpus also holds files that are not templates). Prints
//! the policies analysed per second (this is a debug build; BENCHMARKS.md has release figures).

use serde_json::Value as J;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

/// The corpus's templates (the iamproof-corpora crate locates `../shared/corpora`).
fn corpus_templates() -> Vec<PathBuf> {
    match iamproof_corpora::Corpora::locate().cloudformation_templates() {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn validate_and_public_access_over_the_cloudformation_corpus() {
    let files = corpus_templates();
    assert!(
        files.len() > 100,
        "the CloudFormation corpus is missing (see README)"
    );
    let options = iamproof_templates::ExtractOptions::default();
    let (mut read, mut policies, mut findings) = (0usize, 0usize, 0usize);
    for command in ["validate", "check-no-public-access"] {
        let started = Instant::now();
        for file in &files {
            let expected = iamproof_templates::extract(file, &options);
            let shown = file.to_string_lossy();
            let out = Command::new(env!("CARGO_BIN_EXE_iamproof"))
                .args([
                    command,
                    "--template-path",
                    &shown,
                    "--output",
                    "json",
                    "--quiet",
                ])
                .args(["--timeout", "10"])
                .output()
                .expect("run iamproof");
            let code = out.status.code().unwrap_or(-1);
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!stderr.contains("panicked"), "{shown}: {stderr}");
            match expected {
                Ok(x) => {
                    assert!(
                        code == 0 || code == 1,
                        "{command} {shown}: exit {code}: {stderr}"
                    );
                    let report: J = serde_json::from_str(&stdout)
                        .unwrap_or_else(|e| panic!("{command} {shown}: {e}: {stdout}"));
                    let blocking = report["BlockingFindings"].as_array().map_or(0, Vec::len);
                    assert_eq!(code == 1, blocking > 0, "{command} {shown}");
                    if command == "validate" {
                        read += 1;
                        policies += x.policies.len();
                        findings +=
                            blocking + report["NonBlockingFindings"].as_array().map_or(0, Vec::len);
                    }
                }
                Err(e) => {
                    assert_eq!(code, 2, "{command} {shown}: {stdout}");
                    assert!(
                        stderr.starts_with(&format!("error: {shown}")),
                        "{command} {shown}: {stderr} (templates crate: {e})"
                    );
                }
            }
        }
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "{command}: {} files ({read} templates, {policies} policies) in {seconds:.1} s: {:.0} policies/s",
            files.len(),
            policies as f64 / seconds.max(1e-9)
        );
    }
    println!("validate: {findings} findings");
    assert!(policies > 300, "{policies} policies");
}
