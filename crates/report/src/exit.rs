//! The exit status a run's report asks for.

use crate::rules::ClassifiedReport;

/// The exit status of a run that produced a report.
///
/// | Situation | iamproof | cfn-policy-validator, tf-policy-validator |
/// |---|---|---|
/// | no blocking finding | 0 | 0 |
/// | at least one blocking finding | **1** | **2** |
/// | bad usage, unreadable input, internal error | **2** | **1** |
///
/// iamproof keeps the convention of `grep` and `diff` (1: "found", 2: "trouble") that its other
/// commands follow. A pipeline written for the AWS validators that tests `$? -eq 2` for blocking
/// findings must test `$? -eq 1` with iamproof; one that only tests `$? -ne 0` works unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExitStatus {
    /// No blocking finding: 0.
    Clean,
    /// At least one blocking finding: 1.
    Blocking,
}

impl ExitStatus {
    /// The status for a classified report.
    pub fn of(report: &ClassifiedReport) -> ExitStatus {
        if report.has_blocking_findings() {
            ExitStatus::Blocking
        } else {
            ExitStatus::Clean
        }
    }

    /// The process exit code: 0 or 1.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Clean => 0,
            ExitStatus::Blocking => 1,
        }
    }

    /// The code cfn-policy-validator would exit with: 0 or 2.
    pub fn aws_validator_code(self) -> u8 {
        match self {
            ExitStatus::Clean => 0,
            ExitStatus::Blocking => 2,
        }
    }
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        std::process::ExitCode::from(status.code())
    }
}
