//! `serve`: a local IAM Access Analyzer endpoint. Everything is in `iamproof-serve`; this
//! module maps the options onto its settings.

use crate::cli::SolverArg;
use crate::error::CliError;
use crate::{Exit, Io};
use clap::Args;
use iamproof_checks::Backend;
use iamproof_serve::ServeConfig;
use std::net::SocketAddr;
use std::time::Duration;

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address and port to listen on (0.0.0.0:8080 to accept other hosts; requests are not
    /// authenticated).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// The account STS GetCallerIdentity reports (12 digits).
    #[arg(long, value_name = "ID", default_value = "123456789012")]
    pub account_id: String,
    /// The region the server stands for (picks the partition of the caller ARN).
    #[arg(long, value_name = "REGION", default_value = "us-east-1")]
    pub region: String,
    /// How many checks run at once [default: the number of cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub workers: Option<u32>,
    /// The largest request body, in bytes; larger gets HTTP 413.
    #[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024, value_parser = clap::value_parser!(u64).range(1..=1024 * 1024 * 1024))]
    pub max_body: u64,
    /// Time limit of one check, in seconds; running out gives FAIL (PASS must be a proof).
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,
    /// Requests in progress at once; more are answered ThrottlingException (HTTP 429)
    /// [default: 4 × workers].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max_concurrency: Option<u32>,
    /// Which solver decides the checks.
    #[arg(long, value_enum, default_value_t = SolverArg::Portfolio)]
    pub solver: SolverArg,
    /// Add iamproof's extra members to check responses (exampleRequest, engine, unknownReason).
    #[arg(long)]
    pub extras: bool,
    /// No request log lines on standard error.
    #[arg(long)]
    pub quiet: bool,
}

/// Runs `serve` until SIGTERM or SIGINT.
pub fn run(args: &ServeArgs, _io: &mut Io<'_>) -> Result<Exit, CliError> {
    let defaults = ServeConfig::default();
    let workers = args.workers.map_or(defaults.workers, |n| n as usize);
    let config = ServeConfig {
        listen: args.listen,
        account_id: args.account_id.clone(),
        region: args.region.clone(),
        workers,
        max_concurrency: args
            .max_concurrency
            .map_or(workers.saturating_mul(4), |n| n as usize),
        max_body: usize::try_from(args.max_body).unwrap_or(usize::MAX),
        timeout: Duration::from_secs(args.timeout),
        backend: match args.solver {
            SolverArg::Native => Backend::Native,
            SolverArg::Z3 => Backend::Z3,
            SolverArg::Cvc5 => Backend::Cvc5,
            SolverArg::Portfolio => Backend::Portfolio,
        },
        extras: args.extras,
        quiet: args.quiet,
        ..defaults
    };
    config
        .validate()
        .map_err(|e| CliError::Usage(e.to_string()))?;
    iamproof_serve::run(config).map_err(|e| CliError::Engine(e.to_string()))?;
    Ok(Exit::Pass)
}
