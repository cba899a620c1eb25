//! `iamproof serve`: a local IAM Access Analyzer endpoint. It answers Access Analyzer's policy
//! operations (`ValidatePolicy`, `CheckNoNewAccess`, `CheckAccessNotGranted`,
//! `CheckNoPublicAccess`) over the service's own REST-JSON protocol, and STS
//! `GetCallerIdentity`, so the AWS CLI, the SDKs and the AWS policy validators work unchanged
//! when pointed at it (`--endpoint-url`, `AWS_ENDPOINT_URL`).
//!
//! # Protocol
//! Exactly the service model's (botocore's `accessanalyzer/2019-11-01/service-2.json`):
//! * `POST /policy/validation` (`maxResults`, `nextToken` in the query string; tokens encode the
//!   position, so paging needs no server state), `POST /policy/check-no-new-access`,
//!   `POST /policy/check-access-not-granted`, `POST /policy/check-no-public-access`; JSON bodies
//!   with the model's members; answers with the model's members only (iamproof's extras —
//!   `exampleRequest`, `engine`, `unknownReason` — with [`ServeConfig::extras`]; SDKs ignore
//!   members they do not know, so they stay compatible).
//! * Errors: the HTTP status of the error shape, the `x-amzn-ErrorType` header and a JSON body
//!   with `message`: `ValidationException` (400; `reason` and `fieldList`) for a body that is not
//!   JSON (`cannotParse`), missing or ill-typed members, values outside an enum, a policy
//!   document that does not parse (`fieldValidationFailed`); `ThrottlingException` (429, with
//!   `Retry-After`) past the in-flight limit; `InternalServerException` (500);
//!   `UnknownOperationException` (404) for any other path; 413 `RequestEntityTooLargeException`
//!   and 408 `RequestTimeoutException` for bodies too large or too slow.
//! * STS (`POST /` or `GET /?Action=…`, query protocol): `GetCallerIdentity` answers the
//!   configured account (`arn:aws:iam::ACCOUNT:user/iamproof`); other actions get STS's
//!   `InvalidAction` (400, XML), as the real service answers.
//! * Requests may be signed (SigV4) or not; **signatures are not verified** and every caller is
//!   answered. Run it on loopback, in a private network, or behind your own authentication.
//!   `AccessDeniedException` is therefore never returned.
//!
//! # Semantics
//! Each operation calls the checks crate exactly as the command line does
//! ([`iamproof_checks::check_no_new_access`] etc. with [`iamproof_checks::CheckOptions`] holding
//! [`ServeConfig::timeout`] and [`ServeConfig::backend`]); a check that cannot decide in time
//! answers FAIL, never PASS.
//!
//! # Operations
//! `GET /healthz`; `GET /metrics` (Prometheus text: requests by operation and status, errors,
//! latency histogram, undecided checks, requests in flight); one JSON log line per request on
//! standard error; graceful shutdown on SIGTERM/SIGINT. The server is stateless: any number of
//! instances can sit behind a load balancer.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

mod config;
mod error;
mod metrics;
mod operations;
mod server;
mod sts;

pub use config::ServeConfig;
pub use error::{ApiError, FieldError, ServeError};
pub use metrics::Metrics;
pub use operations::{parse_job, Job, JobOutput, Operation};
pub use server::{run, serve, spawn, ServerHandle};
