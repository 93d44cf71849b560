//! [`FaultProxy`]: an HTTP/1.1 proxy in front of the server that misbehaves on purpose.
//!
//! It runs in this process on its own thread and tokio runtime (so a test's own runtime
//! cannot starve it), listens on a loopback port and forwards every request to the server.
//! For requests whose path starts with [`FaultConfig::path_prefix`] it draws, from one seeded
//! RNG, a fate:
//!
//! - **drop the request**: it never reaches the server; the connection is closed without an
//!   answer;
//! - **lose the response**: the server handles the request (and commits), then the connection
//!   is closed without an answer;
//! - **cut the response**: the status line, headers (with the full `Content-Length`) and part
//!   of the body are sent, then the connection is aborted;
//! - **duplicate the request**: it is sent to the server twice, concurrently or one after the
//!   other, and one of the two answers is returned;
//! - **delay**: a random pause before forwarding and/or before answering, so concurrent
//!   requests overtake each other.
//!
//! Drop, lose and cut exclude each other; duplication and delays combine with them. Every
//! fault is counted ([`FaultStats`]) when it is carried out, and [`FaultProxy::set_enabled`]
//! turns them all off (plain forwarding) or on again. With the same seed and the same sequence
//! of requests, the proxy makes the same decisions.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::thread::JoinHandle;
use std::time::Duration;

use bytes::Bytes;
use http_body::Frame;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderValue, CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, HOST, TRANSFER_ENCODING};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::sync::oneshot;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type ProxyBody = BoxBody<Bytes, BoxError>;

/// What the proxy does to the requests it applies faults to. Probabilities are per request.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultConfig {
    /// Close the connection without forwarding the request.
    pub drop_request: f64,
    /// Forward the request, then close the connection without answering.
    pub lose_response: f64,
    /// Forward the request, then send part of the answer and abort the connection.
    pub cut_response: f64,
    /// Send the request to the server twice and return one of the answers.
    pub duplicate_request: f64,
    /// Pause a random time up to `max_delay` before forwarding (and, drawn again, before
    /// answering).
    pub delay: f64,
    pub max_delay: Duration,
    /// Faults apply to paths starting with this (default: the sync endpoints, so that logins
    /// and refreshes, which are not idempotent by design, pass untouched); `""` for all.
    pub path_prefix: String,
}

impl FaultConfig {
    /// No faults: a plain forwarding proxy.
    pub fn none() -> FaultConfig {
        FaultConfig {
            drop_request: 0.0,
            lose_response: 0.0,
            cut_response: 0.0,
            duplicate_request: 0.0,
            delay: 0.0,
            max_delay: Duration::ZERO,
            path_prefix: "/api/v1/sync/".into(),
        }
    }

    /// A harsh mix: about a third of the requests fail one way or another, a fifth are
    /// duplicated, a third are delayed up to 20 ms.
    pub fn chaos() -> FaultConfig {
        FaultConfig {
            drop_request: 0.1,
            lose_response: 0.12,
            cut_response: 0.1,
            duplicate_request: 0.2,
            delay: 0.3,
            max_delay: Duration::from_millis(20),
            ..FaultConfig::none()
        }
    }
}

/// How many of each fault the proxy carried out, and what it forwarded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaultStats {
    /// Requests received from clients.
    pub requests: u64,
    /// Requests sent to the server (a duplicated request counts twice).
    pub forwarded: u64,
    pub dropped_requests: u64,
    pub lost_responses: u64,
    pub cut_responses: u64,
    pub duplicated_requests: u64,
    /// Requests that were paused at least once.
    pub delayed_requests: u64,
    /// Sum of all pauses, in milliseconds.
    pub total_delay_ms: u64,
    /// Forwarding failures (the server was down): answered with 502.
    pub upstream_errors: u64,
}

#[derive(Default)]
struct Counters {
    requests: AtomicU64,
    forwarded: AtomicU64,
    dropped_requests: AtomicU64,
    lost_responses: AtomicU64,
    cut_responses: AtomicU64,
    duplicated_requests: AtomicU64,
    delayed_requests: AtomicU64,
    total_delay_us: AtomicU64,
    upstream_errors: AtomicU64,
}

fn bump(c: &AtomicU64) {
    c.fetch_add(1, Ordering::SeqCst);
}

/// The fate of one request, drawn at once so that the RNG sequence follows the request order.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    Pass,
    Drop,
    Lose,
    /// Cut after this fraction of the body.
    Cut(f64),
}

#[derive(Debug, Clone, Copy)]
struct Fate {
    outcome: Outcome,
    /// `Some(concurrent)` to send twice.
    duplicate: Option<bool>,
    /// Which of the two answers to return.
    second_answer: bool,
    delay_before: Option<Duration>,
    delay_after: Option<Duration>,
}

const PASS: Fate = Fate { outcome: Outcome::Pass, duplicate: None, second_answer: false, delay_before: None, delay_after: None };

struct Shared {
    upstream: String,
    client: reqwest::Client,
    enabled: AtomicBool,
    config: Mutex<FaultConfig>,
    rng: Mutex<StdRng>,
    counters: Counters,
}

impl Shared {
    fn decide(&self, path: &str) -> Fate {
        if !self.enabled.load(Ordering::SeqCst) {
            return PASS;
        }
        let config = self.config.lock().unwrap_or_else(PoisonError::into_inner).clone();
        if !path.starts_with(&config.path_prefix) {
            return PASS;
        }
        let mut rng = self.rng.lock().unwrap_or_else(PoisonError::into_inner);
        let p = |rng: &mut StdRng, prob: f64| prob > 0.0 && rng.random_bool(prob.min(1.0));
        let roll: f64 = rng.random();
        let outcome = if roll < config.drop_request {
            Outcome::Drop
        } else if roll < config.drop_request + config.lose_response {
            Outcome::Lose
        } else if roll < config.drop_request + config.lose_response + config.cut_response {
            Outcome::Cut(rng.random_range(0.05..0.95))
        } else {
            Outcome::Pass
        };
        let duplicate = p(&mut rng, config.duplicate_request).then(|| rng.random_bool(0.5));
        let second_answer = rng.random_bool(0.5);
        let delay = |rng: &mut StdRng| {
            (p(rng, config.delay) && !config.max_delay.is_zero()).then(|| rng.random_range(Duration::ZERO..=config.max_delay))
        };
        let delay_before = delay(&mut rng);
        let delay_after = delay(&mut rng);
        Fate { outcome, duplicate, second_answer, delay_before, delay_after }
    }

    async fn pause(&self, d: Duration) {
        self.counters.total_delay_us.fetch_add(d.as_micros() as u64, Ordering::SeqCst);
        tokio::time::sleep(d).await;
    }

    /// Sends the request to the server; `None` when the server cannot be reached.
    async fn forward(&self, parts: &hyper::http::request::Parts, body: Bytes) -> Option<Upstream> {
        bump(&self.counters.forwarded);
        let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        let mut headers = parts.headers.clone();
        strip_hop_headers(&mut headers);
        headers.remove(HOST);
        let sent = self
            .client
            .request(parts.method.clone(), format!("{}{path}", self.upstream))
            .headers(headers)
            .body(body)
            .send()
            .await;
        let response = match sent {
            Ok(r) => r,
            Err(_) => {
                bump(&self.counters.upstream_errors);
                return None;
            }
        };
        let status = response.status();
        let mut headers = response.headers().clone();
        match response.bytes().await {
            Ok(body) => {
                strip_hop_headers(&mut headers);
                Some(Upstream { status, headers, body })
            }
            Err(_) => {
                bump(&self.counters.upstream_errors);
                None
            }
        }
    }
}

fn strip_hop_headers(headers: &mut HeaderMap) {
    for h in [CONNECTION, CONTENT_LENGTH, TRANSFER_ENCODING] {
        headers.remove(h);
    }
    headers.remove("keep-alive");
}

/// A complete answer from the server.
struct Upstream {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// Why the proxy closed a connection without (a complete) answer.
#[derive(Debug)]
struct Injected(&'static str);

impl std::fmt::Display for Injected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "fault injected: {}", self.0)
    }
}

impl std::error::Error for Injected {}

/// A body that sends its prefix, pauses so that the prefix is flushed to the client, then fails,
/// which makes hyper abort the connection mid-body.
struct CutBody {
    prefix: Option<Bytes>,
    pause: Option<Pin<Box<tokio::time::Sleep>>>,
    failed: bool,
}

impl http_body::Body for CutBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        if let Some(prefix) = self.prefix.take() {
            return Poll::Ready(Some(Ok(Frame::data(prefix))));
        }
        if let Some(pause) = self.pause.as_mut() {
            if pause.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            self.pause = None;
        }
        if !self.failed {
            self.failed = true;
            return Poll::Ready(Some(Err(Box::new(Injected("response cut")))));
        }
        Poll::Ready(None)
    }
}

fn full(body: Bytes) -> ProxyBody {
    Full::new(body).map_err(|never: Infallible| match never {}).boxed()
}

fn respond(up: Upstream, body: ProxyBody, content_length: usize) -> Response<ProxyBody> {
    let mut response = Response::new(body);
    *response.status_mut() = up.status;
    *response.headers_mut() = up.headers;
    response.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from(content_length));
    response
}

fn bad_gateway() -> Response<ProxyBody> {
    let body = Bytes::from_static(br#"{"code":"bad_gateway","message":"the fault proxy could not reach the server"}"#);
    let mut response = Response::new(full(body));
    *response.status_mut() = StatusCode::BAD_GATEWAY;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

async fn handle(shared: Arc<Shared>, req: Request<Incoming>) -> Result<Response<ProxyBody>, BoxError> {
    bump(&shared.counters.requests);
    let (parts, body) = req.into_parts();
    let body = body.collect().await?.to_bytes();
    let fate = shared.decide(parts.uri.path());
    if fate.delay_before.is_some() || fate.delay_after.is_some() {
        bump(&shared.counters.delayed_requests);
    }
    if let Some(d) = fate.delay_before {
        shared.pause(d).await;
    }
    if fate.outcome == Outcome::Drop {
        bump(&shared.counters.dropped_requests);
        return Err(Box::new(Injected("request dropped")));
    }
    let upstream = match fate.duplicate {
        None => shared.forward(&parts, body).await,
        Some(concurrent) => {
            bump(&shared.counters.duplicated_requests);
            let (a, b) = if concurrent {
                tokio::join!(shared.forward(&parts, body.clone()), shared.forward(&parts, body))
            } else {
                let a = shared.forward(&parts, body.clone()).await;
                (a, shared.forward(&parts, body).await)
            };
            match (a, b) {
                (Some(a), Some(b)) => Some(if fate.second_answer { b } else { a }),
                (a, b) => a.or(b),
            }
        }
    };
    let Some(upstream) = upstream else {
        return Ok(bad_gateway());
    };
    if let Some(d) = fate.delay_after {
        shared.pause(d).await;
    }
    match fate.outcome {
        Outcome::Lose => {
            bump(&shared.counters.lost_responses);
            Err(Box::new(Injected("response lost")))
        }
        Outcome::Cut(fraction) if upstream.body.len() >= 2 => {
            bump(&shared.counters.cut_responses);
            let len = upstream.body.len();
            let keep = ((len as f64 * fraction) as usize).clamp(1, len - 1);
            let body = CutBody {
                prefix: Some(upstream.body.slice(..keep)),
                pause: Some(Box::pin(tokio::time::sleep(Duration::from_millis(5)))),
                failed: false,
            };
            Ok(respond(upstream, body.boxed(), len))
        }
        Outcome::Cut(_) => {
            // Nothing to cut in an empty body: the answer is lost instead.
            bump(&shared.counters.lost_responses);
            Err(Box::new(Injected("response lost")))
        }
        Outcome::Pass | Outcome::Drop => {
            let len = upstream.body.len();
            let body = full(upstream.body.clone());
            Ok(respond(upstream, body, len))
        }
    }
}

/// The running proxy. Dropping it stops it and closes every connection.
pub struct FaultProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for FaultProxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaultProxy").field("addr", &self.addr).field("upstream", &self.shared.upstream).finish()
    }
}

impl FaultProxy {
    /// Starts a proxy to `upstream` (a base URL such as `http://127.0.0.1:8080`) on a free
    /// loopback port, with faults on, drawn from an RNG seeded with `seed`.
    pub fn start(upstream: &str, config: FaultConfig, seed: u64) -> std::io::Result<FaultProxy> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let client =
            reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(30)).build().map_err(std::io::Error::other)?;
        let shared = Arc::new(Shared {
            upstream: upstream.trim_end_matches('/').to_string(),
            client,
            enabled: AtomicBool::new(true),
            config: Mutex::new(config),
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
            counters: Counters::default(),
        });
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).thread_name("fault-proxy").enable_all().build()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let serving = shared.clone();
        let thread = std::thread::Builder::new().name("fault-proxy".into()).spawn(move || {
            runtime.block_on(accept_loop(listener, serving, stopped));
            runtime.shutdown_timeout(Duration::from_millis(200));
        })?;
        Ok(FaultProxy { addr, shared, stop: Some(stop), thread: Some(thread) })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`: give it to a device instead of the server's.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The API through this proxy.
    pub fn api(&self) -> crate::Api {
        crate::Api::new(self.base_url())
    }

    /// Turns all faults on or off (off: plain forwarding). Requests already in the proxy keep
    /// the fate they drew.
    pub fn set_enabled(&self, enabled: bool) {
        self.shared.enabled.store(enabled, Ordering::SeqCst);
    }

    pub fn is_enabled(&self) -> bool {
        self.shared.enabled.load(Ordering::SeqCst)
    }

    /// Replaces the fault probabilities.
    pub fn set_config(&self, config: FaultConfig) {
        *self.shared.config.lock().unwrap_or_else(PoisonError::into_inner) = config;
    }

    /// What the proxy has done so far.
    pub fn stats(&self) -> FaultStats {
        let c = &self.shared.counters;
        let get = |a: &AtomicU64| a.load(Ordering::SeqCst);
        FaultStats {
            requests: get(&c.requests),
            forwarded: get(&c.forwarded),
            dropped_requests: get(&c.dropped_requests),
            lost_responses: get(&c.lost_responses),
            cut_responses: get(&c.cut_responses),
            duplicated_requests: get(&c.duplicated_requests),
            delayed_requests: get(&c.delayed_requests),
            total_delay_ms: get(&c.total_delay_us) / 1000,
            upstream_errors: get(&c.upstream_errors),
        }
    }
}

async fn accept_loop(listener: std::net::TcpListener, shared: Arc<Shared>, mut stopped: oneshot::Receiver<()>) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else { return };
    loop {
        tokio::select! {
            _ = &mut stopped => return,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let shared = shared.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| handle(shared.clone(), req));
                    // An injected fault ends the connection with an error: that is the point.
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
        }
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
