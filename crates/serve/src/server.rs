//! The HTTP server: one listener, routing by path, the limits (body size, read timeouts,
//! in-flight requests, workers, check time), request logs, metrics, graceful shutdown.
//!
//! Life of an Access Analyzer request: the headers arrive (a client that stalls before that is
//! cut off by hyper's header-read timeout and holds nothing); the request takes an in-flight
//! slot or is answered `ThrottlingException` at once (the slots bound the memory of the bodies
//! being read: `max_concurrency × max_body`); the body is read within `body_read_timeout` and
//! `max_body`; the members are checked; the job waits (at most `timeout`) for a free worker and
//! runs on tokio's blocking pool, so the async threads never run a check; the answer is written
//! and logged.

use crate::config::ServeConfig;
use crate::error::{ApiError, ServeError};
use crate::metrics::Metrics;
use crate::operations::{check_output, parse_job, Job, JobOutput, Operation};
use crate::sts;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue, CONNECTION, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::{Request, Response, StatusCode};
use iamproof_checks::{CheckOptions, CheckResult};
use serde_json::{json, Value};
use std::convert::Infallible;
use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

type Resp = Response<Full<Bytes>>;

/// How much longer than its own time limit a check may run before the server stops waiting and
/// answers FAIL for it (the engine keeps to its limit; this only guards against a stuck one).
const CHECK_GRACE: Duration = Duration::from_secs(5);

struct State {
    config: ServeConfig,
    options: CheckOptions,
    metrics: Metrics,
    in_flight: Arc<Semaphore>,
    workers: Arc<Semaphore>,
    requests: AtomicU64,
    seed: u64,
}

impl State {
    fn new(config: ServeConfig) -> State {
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        State {
            options: CheckOptions {
                backend: config.backend,
                timeout: config.timeout,
            },
            in_flight: Arc::new(Semaphore::new(config.max_concurrency)),
            workers: Arc::new(Semaphore::new(config.workers)),
            metrics: Metrics::default(),
            requests: AtomicU64::new(0),
            seed,
            config,
        }
    }

    /// A request id shaped like AWS's (a UUID), unique within the process.
    fn request_id(&self) -> String {
        let n = self.requests.fetch_add(1, Ordering::Relaxed);
        let a = self.seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            (a >> 32) as u32,
            (a >> 16) as u16,
            (a & 0xfff) as u16,
            (n >> 48) as u16 & 0xfff,
            n & 0xffff_ffff_ffff
        )
    }
}

fn response(status: u16, content_type: &'static str, body: impl Into<Bytes>) -> Resp {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

fn json_response(status: u16, body: &Value) -> Resp {
    response(status, "application/json", body.to_string())
}

/// An Access Analyzer error: status, `x-amzn-ErrorType`, JSON body.
fn error_response(e: &ApiError) -> Resp {
    let mut r = json_response(e.status(), &e.body());
    let h = r.headers_mut();
    h.insert(
        HeaderName::from_static("x-amzn-errortype"),
        HeaderValue::from_static(e.error_type()),
    );
    match e {
        ApiError::Throttling(_) => {
            h.insert(
                HeaderName::from_static("retry-after"),
                HeaderValue::from_static("1"),
            );
        }
        // The body was not read to its end: the connection cannot carry another request.
        ApiError::TooLarge(_) | ApiError::Timeout(_) => {
            h.insert(CONNECTION, HeaderValue::from_static("close"));
        }
        _ => {}
    }
    r
}

/// What one request came to, for the log and the metrics.
struct Outcome {
    operation: Operation,
    response: Resp,
    error: Option<&'static str>,
}

impl Outcome {
    fn ok(operation: Operation, response: Resp) -> Outcome {
        Outcome {
            operation,
            response,
            error: None,
        }
    }

    fn api_error(operation: Operation, e: &ApiError) -> Outcome {
        Outcome {
            operation,
            response: error_response(e),
            error: Some(e.error_type()),
        }
    }
}

async fn handle(state: Arc<State>, req: Request<Incoming>) -> Resp {
    let start = Instant::now();
    state.metrics.started();
    let request_id = state.request_id();
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let outcome = dispatch(&state, req, &request_id).await;
    let mut resp = outcome.response;
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        resp.headers_mut()
            .insert(HeaderName::from_static("x-amzn-requestid"), v);
    }
    let elapsed = start.elapsed();
    let status = resp.status().as_u16();
    state
        .metrics
        .finished(outcome.operation.name(), status, outcome.error, elapsed);
    if !state.config.quiet {
        let time = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or(0.0);
        let mut line = json!({
            "time": (time * 1000.0).round() / 1000.0,
            "requestId": request_id,
            "method": method,
            "path": path,
            "operation": outcome.operation.name(),
            "status": status,
            "durationMs": (elapsed.as_secs_f64() * 1e6).round() / 1000.0,
        });
        if let Some(e) = outcome.error {
            line["error"] = Value::String(e.to_string());
        }
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    }
    resp
}

async fn dispatch(state: &Arc<State>, req: Request<Incoming>, request_id: &str) -> Outcome {
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    match (method.as_str(), path.as_str()) {
        ("GET", "/healthz") => {
            let body = json!({
                "status": "ok",
                "region": state.config.region,
                "version": env!("CARGO_PKG_VERSION"),
            });
            return Outcome::ok(Operation::Health, json_response(200, &body));
        }
        ("GET", "/metrics") => {
            return Outcome::ok(
                Operation::Metrics,
                response(
                    200,
                    "text/plain; version=0.0.4; charset=utf-8",
                    state.metrics.render(),
                ),
            );
        }
        (_, "/") => return sts_request(state, req, request_id).await,
        _ => {}
    }
    let Some(op) = Operation::access_analyzer(&method, &path) else {
        let e = ApiError::UnknownOperation(format!(
            "no operation at {method} {path}: this server answers Access Analyzer's ValidatePolicy (POST /policy/validation), CheckNoNewAccess, CheckAccessNotGranted, CheckNoPublicAccess (POST /policy/check-…) and STS GetCallerIdentity (POST /)"
        ));
        return Outcome::api_error(Operation::Unknown, &e);
    };
    match access_analyzer(state, op, req).await {
        Ok(out) => {
            if out.undecided {
                state.metrics.undecided(op.name());
            }
            Outcome::ok(op, json_response(200, &out.body))
        }
        Err(e) => Outcome::api_error(op, &e),
    }
}

async fn access_analyzer(
    state: &Arc<State>,
    op: Operation,
    req: Request<Incoming>,
) -> Result<JobOutput, ApiError> {
    let _slot = state.in_flight.clone().try_acquire_owned().map_err(|_| {
        ApiError::Throttling(format!(
            "Rate exceeded: {} requests are in progress (--max-concurrency); retry later",
            state.config.max_concurrency
        ))
    })?;
    let query = req.uri().query().map(str::to_string);
    let body = read_body(state, req).await?;
    let job = parse_job(op, query.as_deref(), &body)?;
    drop(body);
    run_job(state, job).await
}

async fn read_body(state: &State, req: Request<Incoming>) -> Result<Bytes, ApiError> {
    let max = state.config.max_body;
    let too_large = || {
        ApiError::TooLarge(format!(
            "the request body is larger than the limit of {max} bytes (--max-body)"
        ))
    };
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return Err(too_large());
    }
    let body = Limited::new(req.into_body(), max);
    match tokio::time::timeout(state.config.body_read_timeout, body.collect()).await {
        Err(_) => Err(ApiError::Timeout(format!(
            "the request body did not arrive within {} s",
            state.config.body_read_timeout.as_secs_f64()
        ))),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => Err(too_large()),
        Ok(Err(e)) => Err(ApiError::cannot_parse(format!(
            "the request body could not be read: {e}"
        ))),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
    }
}

async fn run_job(state: &Arc<State>, job: Job) -> Result<JobOutput, ApiError> {
    let limit = state.config.timeout;
    let worker = match tokio::time::timeout(limit, state.workers.clone().acquire_owned()).await {
        Ok(Ok(permit)) => permit,
        Ok(Err(_)) => return Err(ApiError::Internal("the worker pool is closed".into())),
        Err(_) => {
            return Err(ApiError::Throttling(format!(
                "no worker became free within {} s; retry later",
                limit.as_secs_f64()
            )))
        }
    };
    let kind = job.check_kind();
    let options = state.options.clone();
    let extras = state.config.extras;
    let task = tokio::task::spawn_blocking(move || {
        let _worker = worker;
        job.run(&options, extras)
    });
    match tokio::time::timeout(limit + CHECK_GRACE, task).await {
        Ok(Ok(answer)) => answer,
        Ok(Err(e)) => Err(ApiError::Internal(format!(
            "the operation stopped unexpectedly: {e}"
        ))),
        // The engine overran its limit: the check is undecided, so FAIL (never PASS); the
        // worker stays taken until it really ends.
        Err(_) => match kind {
            Some(kind) => Ok(check_output(
                &CheckResult::unknown(
                    kind,
                    &format!("the time limit of {} s was reached", limit.as_secs_f64()),
                ),
                extras,
            )),
            None => Err(ApiError::Internal(format!(
                "the validation did not finish within {} s",
                limit.as_secs_f64()
            ))),
        },
    }
}

async fn sts_request(state: &Arc<State>, req: Request<Incoming>, request_id: &str) -> Outcome {
    let mut params: Vec<(String, String)> = req
        .uri()
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let body = match read_body(state, req).await {
        Ok(b) => b,
        Err(e) => return Outcome::api_error(Operation::GetCallerIdentity, &e),
    };
    params.extend(form_urlencoded::parse(&body).into_owned());
    let answer = sts::answer(&params, &state.config, request_id);
    let operation = if answer.error_code.is_none() {
        Operation::GetCallerIdentity
    } else {
        Operation::Unknown
    };
    Outcome {
        operation,
        response: response(answer.status, "text/xml", answer.body),
        error: answer.error_code,
    }
}

/// Serves on `listener` until `shutdown` completes, then stops accepting, lets the requests in
/// progress finish (idle connections are closed at once) and returns.
pub async fn serve(
    listener: TcpListener,
    config: ServeConfig,
    shutdown: impl Future<Output = ()>,
) -> Result<(), ServeError> {
    config.validate()?;
    let drain_limit = config.timeout * 2 + config.body_read_timeout + CHECK_GRACE;
    let header_timeout = config.header_read_timeout;
    let state = Arc::new(State::new(config));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    let _ = stream.set_nodelay(true);
                    let st = state.clone();
                    let service = hyper::service::service_fn(move |req| {
                        let st = st.clone();
                        async move { Ok::<_, Infallible>(handle(st, req).await) }
                    });
                    let mut builder = hyper::server::conn::http1::Builder::new();
                    builder
                        .timer(hyper_util::rt::TokioTimer::new())
                        .header_read_timeout(header_timeout)
                        .keep_alive(true);
                    let conn = builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
                    let watched = graceful.watch(conn);
                    tokio::spawn(async move {
                        let _ = watched.await;
                    });
                }
                // Out of file descriptors and the like: wait a little rather than spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            },
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(drain_limit, graceful.shutdown()).await;
    Ok(())
}

fn runtime(config: &ServeConfig) -> Result<tokio::runtime::Runtime, ServeError> {
    tokio::runtime::Builder::new_multi_thread()
        // The async threads only move bytes; checks run on the blocking pool.
        .worker_threads(2)
        .max_blocking_threads(config.workers.saturating_mul(2).saturating_add(2))
        .thread_name("iamproof-serve")
        .enable_io()
        .enable_time()
        .build()
        .map_err(ServeError::Runtime)
}

async fn bind(addr: SocketAddr) -> Result<TcpListener, ServeError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind {
            addr: addr.to_string(),
            source,
        })
}

/// Runs a server in the foreground until SIGTERM or SIGINT, then shuts down gracefully. Prints
/// the address it listens on to standard error (unless `quiet`).
pub fn run(config: ServeConfig) -> Result<(), ServeError> {
    config.validate()?;
    let rt = runtime(&config)?;
    let result = rt.block_on(async {
        let listener = bind(config.listen).await?;
        let addr = listener.local_addr().map_err(ServeError::Runtime)?;
        let signal = shutdown_signal()?;
        let quiet = config.quiet;
        let shutdown = async move {
            signal.await;
            if !quiet {
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "iamproof serve: stopping; requests in progress finish first"
                );
            }
        };
        if !config.quiet {
            let _ = writeln!(
                std::io::stderr().lock(),
                "iamproof serve: listening on http://{addr} (IAM Access Analyzer policy checks and STS GetCallerIdentity; request signatures are not verified)"
            );
        }
        serve(listener, config, shutdown).await
    });
    // Checks still running past their limit are not waited for.
    rt.shutdown_timeout(Duration::from_secs(1));
    result
}

/// Completes on the first SIGINT or SIGTERM.
fn shutdown_signal() -> Result<impl Future<Output = ()>, ServeError> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(ServeError::Runtime)?;
    Ok(async move {
        #[cfg(unix)]
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// A server running on a thread of its own (for tests and embedding): [`spawn`] starts it,
/// [`ServerHandle::shutdown`] (or dropping the handle) stops it gracefully.
#[derive(Debug)]
pub struct ServerHandle {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<Result<(), ServeError>>>,
}

impl ServerHandle {
    /// The address the server listens on (the port chosen when the configured port was 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The server's base URL, `http://ADDR`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, lets the requests in progress finish, and waits for the server to end.
    pub fn shutdown(mut self) -> Result<(), ServeError> {
        self.stop_and_join()
    }

    fn stop_and_join(&mut self) -> Result<(), ServeError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take() {
            Some(t) => t.join().map_err(|_| ServeError::Panicked)?,
            None => Ok(()),
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        let _ = self.stop_and_join();
    }
}

/// Starts a server on a background thread, listening on `config.listen` (port 0: a free port,
/// see [`ServerHandle::addr`]). Returns once the listener is bound.
pub fn spawn(config: ServeConfig) -> Result<ServerHandle, ServeError> {
    config.validate()?;
    let rt = runtime(&config)?;
    let listener = rt.block_on(bind(config.listen))?;
    let addr = listener.local_addr().map_err(ServeError::Runtime)?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("iamproof-serve-main".into())
        .spawn(move || {
            let result = rt.block_on(serve(listener, config, async {
                let _ = stopped.await;
            }));
            rt.shutdown_timeout(Duration::from_secs(1));
            result
        })
        .map_err(ServeError::Runtime)?;
    Ok(ServerHandle {
        addr,
        stop: Some(stop),
        thread: Some(thread),
    })
}
