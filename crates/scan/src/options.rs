//! The options every scan shares: the checks' engine and time limit, the resource types left
//! out, and how the run shows progress.

use iamproof_checks::CheckOptions;
use iamproof_templates::Extraction;
use std::num::NonZeroUsize;

/// How to run a scan.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// The engine and the time limit of *each* check (one policy, one check): a check that runs
    /// out FAILs, never PASSes.
    pub check: CheckOptions,
    /// Resource types whose policies are left out (`--exclude-resource-types`), compared
    /// case-insensitively with the CloudFormation type or the Terraform type of the resource
    /// (`AWS::SQS::QueuePolicy`, `aws_sqs_queue_policy`).
    pub exclude_resource_types: Vec<String>,
    /// No progress bar (`--quiet`).
    pub quiet: bool,
    /// How many policies are analysed at once (default: the number of cores).
    pub threads: Option<NonZeroUsize>,
}

impl ScanOptions {
    /// Whether a resource type is excluded.
    pub fn excluded(&self, resource_type: &str) -> bool {
        self.exclude_resource_types
            .iter()
            .any(|t| t.trim().eq_ignore_ascii_case(resource_type))
    }

    /// The extraction without the policies (and unanalysable resources) of excluded types.
    pub fn apply_exclusions(&self, mut extraction: Extraction) -> Extraction {
        if self.exclude_resource_types.is_empty() {
            return extraction;
        }
        extraction
            .policies
            .retain(|p| !self.excluded(&p.resource_type));
        extraction
            .not_analysable
            .retain(|n| !self.excluded(&n.resource_type));
        extraction
    }

    /// The number of worker threads.
    pub fn thread_count(&self) -> usize {
        self.threads
            .or_else(|| std::thread::available_parallelism().ok())
            .map_or(1, NonZeroUsize::get)
    }
}
