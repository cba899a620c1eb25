//! The text report, pinned by snapshots.

mod common;

use iamproof_report::{render_text, BlockingRules, Report};

#[test]
fn text_report() {
    let classified =
        BlockingRules::from_flags(None, Some("LogsQueuePolicy.iamproof-UnknownValuesAssumed"))
            .unwrap()
            .classify(common::report());
    let text = render_text(&classified);
    // The block of the first finding, in the format the crate documents.
    assert!(text.starts_with(
        "Blocking findings:\ninfra\\tf\\plan.json:120:11: ERROR iamproof-PolicyNotAnalysable module.ci.aws_iam_role.deploy.inline_policy[0]: The policy is known only after apply.\n"
    ));
    assert!(text.ends_with("\n4 blocking findings, 1 non-blocking finding, 1 ignored.\n"));
    insta::assert_snapshot!(text);
}

#[test]
fn text_report_without_findings() {
    let classified = BlockingRules::default().classify(Report::new("0.1.0"));
    assert_eq!(
        render_text(&classified),
        "0 blocking findings, 0 non-blocking findings.\n"
    );
}

#[test]
fn text_report_with_nothing_blocking() {
    let classified = BlockingRules::nothing_blocking().classify(common::report());
    let text = render_text(&classified);
    assert!(text.starts_with("Non-blocking findings:\n"));
    assert!(text.ends_with("\n0 blocking findings, 6 non-blocking findings.\n"));
}
