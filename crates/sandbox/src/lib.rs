//! A stateful imitation of the CCV and Moneybird APIs over real HTTP on loopback, built from
//! the reference documents (docs/ccv-api.md, docs/moneybird-api.md and Moneybird's OpenAPI
//! description in tests/fixtures/) rather than from what the client happens to need. `demo`, the tests and the benchmark
//! all run against it.
//!
//! Where the references leave a behaviour open, the sandbox picks one and says so where it
//! does; several of those choices can be switched in [`Options`] so the client is tested
//! against each.
//!
//! It shares no code with the client: money, ids and times are read its own way, so a bug
//! in the client's parsers cannot hide in both. Misbehaviour on demand (faults, a request
//! log, a kill switch) is behind the `testing` feature, which only the tests and the
//! benchmark turn on: the product's `demo` carries none of it.

mod bank;
pub mod bookkeeper;
mod ccv;
mod clock;
pub mod dialect;
#[cfg(feature = "testing")]
pub mod faults;
mod money;
mod moneybird;
mod oauth;
pub mod seed;
pub mod world;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::NaiveDate;

pub use bank::{FinancialMutation, LedgerBooking};
pub use clock::Clock;
pub use dialect::{CcvDialect, PaidoutAfter, TimeFilters};
#[cfg(feature = "testing")]
pub use faults::{Fault, Faults, Kill, LoggedRequest, Moment};
pub use money::Cents;
pub use moneybird::touch as world_touch;
pub use world::{Api, CcvTransaction, InvoiceRecord, InvoiceType, PaymentRecord};

/// How the sandbox behaves where the real services leave a choice.
#[derive(Clone, Debug)]
pub struct Options {
    /// Moneybird's limit: this many requests per window (150 per 5 minutes for real). A
    /// shorter window lets tests and benchmarks run in accelerated time.
    pub rate_limit_requests: u32,
    pub rate_limit_window: Duration,
    /// How CCV answers where its documents leave it open.
    pub ccv: CcvDialect,
    /// The sandbox's idea of "now" for the invoices' dates and `late` states.
    pub clock: Clock,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            rate_limit_requests: 150,
            rate_limit_window: Duration::from_secs(300),
            ccv: CcvDialect::default(),
            clock: Clock::system(),
        }
    }
}

/// Everything both imitated services know, behind one lock.
pub struct World {
    pub options: Options,
    #[cfg(feature = "testing")]
    pub faults: Faults,
    pub ccv: ccv::CcvState,
    pub moneybird: moneybird::MoneybirdState,
    pub oauth: oauth::OAuthState,
    #[cfg(feature = "testing")]
    pub log: Vec<LoggedRequest>,
    rate: RateWindow,
}

impl World {
    fn new(options: Options) -> World {
        World {
            rate: RateWindow::new(),
            #[cfg(feature = "testing")]
            faults: Faults::default(),
            options,
            ccv: ccv::CcvState::default(),
            moneybird: moneybird::MoneybirdState::default(),
            oauth: oauth::OAuthState::default(),
            #[cfg(feature = "testing")]
            log: Vec::new(),
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.options
            .clock
            .now()
            .with_timezone(&chrono_tz::Europe::Amsterdam)
            .date_naive()
    }

    pub fn now_ms(&self) -> i64 {
        self.options.clock.now_ms()
    }

    /// "Now" as Moneybird writes its `created_at` times.
    pub fn moneybird_time(&self) -> String {
        self.options
            .clock
            .now()
            .format("%Y-%m-%dT%H:%M:%S%.3fZ")
            .to_string()
    }

    /// Requests to one API, in the order they came.
    #[cfg(feature = "testing")]
    pub fn requests(&self, api: Api) -> impl Iterator<Item = &LoggedRequest> {
        self.log.iter().filter(move |request| request.api == api)
    }
}

/// Moneybird's limit as a fixed window: `requests` per `window`. Windows are aligned to
/// multiples of their length since the epoch, as a limiter keyed on `now / window` does;
/// whether the live service aligns them so is not documented. Aligned windows make the
/// epoch-second `RateLimit-Reset` exact, which an accelerated window of a second or two
/// needs.
struct RateWindow {
    index: Option<i64>,
    used: u32,
}

impl RateWindow {
    fn new() -> RateWindow {
        RateWindow {
            index: None,
            used: 0,
        }
    }

    /// Counts one request. Returns the headers to send, and whether it is refused.
    fn admit(&mut self, limit: u32, window: Duration) -> (Vec<(String, String)>, bool) {
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis() as i64;
        let length_ms = (window.as_millis() as i64).max(1);
        let index = now_ms / length_ms;
        if self.index != Some(index) {
            self.index = Some(index);
            self.used = 0;
        }
        let refused = self.used >= limit;
        if !refused {
            self.used += 1;
        }
        let end_ms = (index + 1) * length_ms;
        let seconds_left = (end_ms - now_ms + 999) / 1000;
        // Rounded up, so that waiting until this second is always enough.
        let reset_epoch = (end_ms + 999) / 1000;
        let mut headers = vec![
            ("RateLimit-Limit".to_string(), limit.to_string()),
            // As observed on the live service (docs/moneybird-api.md §2.3): seconds left in the
            // window here, and the requests left in the undocumented header below.
            ("RateLimit-Remaining".to_string(), seconds_left.to_string()),
            (
                "RateLimit-RequestsRemaining".to_string(),
                (limit - self.used).to_string(),
            ),
            ("RateLimit-Reset".to_string(), reset_epoch.to_string()),
        ];
        if refused {
            headers.push(("Retry-After".to_string(), reset_epoch.to_string()));
        }
        (headers, refused)
    }
}

/// A request, read whole.
pub(crate) struct Incoming {
    pub method: String,
    pub path: String,
    pub query: HashMap<String, String>,
    /// The query as it came, for the request log.
    #[cfg(feature = "testing")]
    pub raw_query: String,
    pub headers: HashMap<String, String>,
    pub body: String,
}

impl Incoming {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}

/// An answer, before it is written.
pub(crate) struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// White space streamed after the body's first byte, without a length (chunked), as a
    /// hostile or broken server sends an endless answer; valid JSON all the same.
    pub padding: u64,
}

impl Reply {
    pub fn json(status: u16, value: &serde_json::Value) -> Reply {
        Reply {
            status,
            content_type: "application/json; charset=utf-8",
            headers: Vec::new(),
            body: value.to_string(),
            padding: 0,
        }
    }

    pub fn html(status: u16, body: &str) -> Reply {
        Reply {
            status,
            content_type: "text/html; charset=utf-8",
            headers: Vec::new(),
            body: body.to_string(),
            padding: 0,
        }
    }

    pub fn empty(status: u16) -> Reply {
        Reply {
            status,
            content_type: "application/json; charset=utf-8",
            headers: Vec::new(),
            body: String::new(),
            padding: 0,
        }
    }
}

/// The running sandbox. Dropping it stops the server.
pub struct Sandbox {
    server: Arc<tiny_http::Server>,
    world: Arc<Mutex<World>>,
    url: String,
    workers: Vec<JoinHandle<()>>,
}

const WORKERS: usize = 4;

impl Sandbox {
    /// Starts on a free loopback port.
    pub fn start(options: Options) -> anyhow::Result<Sandbox> {
        Sandbox::start_on("127.0.0.1:0", options)
    }

    pub fn start_on(address: &str, options: Options) -> anyhow::Result<Sandbox> {
        let listener = std::net::TcpListener::bind(address)
            .map_err(|error| anyhow::anyhow!("cannot start the sandbox on {address}: {error}"))?;
        // Answers are written in pieces; without TCP_NODELAY a request that follows a POST
        // on the same connection waits ~40 ms for a delayed ACK. Accepted sockets inherit
        // the option from the listener on Linux.
        set_nodelay(&listener);
        let server = tiny_http::Server::from_listener(listener, None)
            .map_err(|error| anyhow::anyhow!("cannot start the sandbox on {address}: {error}"))?;
        let port = server
            .server_addr()
            .to_ip()
            .map(|address| address.port())
            .ok_or_else(|| anyhow::anyhow!("the sandbox has no IP address"))?;
        let server = Arc::new(server);
        let world = Arc::new(Mutex::new(World::new(options)));
        let workers = (0..WORKERS)
            .map(|_| {
                let server = Arc::clone(&server);
                let world = Arc::clone(&world);
                std::thread::spawn(move || serve(&server, &world))
            })
            .collect();
        Ok(Sandbox {
            server,
            world,
            url: format!("http://127.0.0.1:{port}"),
            workers,
        })
    }

    /// The base URL of both imitated services.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn world(&self) -> MutexGuard<'_, World> {
        self.world
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        for _ in &self.workers {
            self.server.unblock();
        }
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

fn set_nodelay(listener: &std::net::TcpListener) {
    use std::os::fd::AsRawFd as _;
    let on: libc::c_int = 1;
    // SAFETY: setsockopt reads `size_of::<c_int>()` bytes from a live local; a failure only
    // leaves the socket as it was.
    unsafe {
        libc::setsockopt(
            listener.as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_NODELAY,
            (&on as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        );
    }
}

/// What the sandbox does with one request: the reply (none: the connection is dropped),
/// how long it waits before sending it, and, in tests, a client to kill once it is applied.
pub(crate) struct Answered {
    pub reply: Option<Reply>,
    pub delay: Duration,
    #[cfg(feature = "testing")]
    pub kill_after: Option<Kill>,
}

/// Without the `testing` feature the sandbox only ever answers as the services do.
#[cfg(not(feature = "testing"))]
fn answer(world: &mut World, incoming: &Incoming) -> Answered {
    Answered {
        reply: Some(route(world, incoming).0),
        delay: Duration::ZERO,
    }
}

#[cfg(feature = "testing")]
fn answer(world: &mut World, incoming: &Incoming) -> Answered {
    faults::answer(world, incoming)
}

fn serve(server: &tiny_http::Server, world: &Mutex<World>) {
    while let Ok(mut request) = server.recv() {
        let incoming = read(&mut request);
        let (answered, now) = {
            let mut world = world
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            (answer(&mut world, &incoming), world.options.clock.now())
        };
        #[cfg(feature = "testing")]
        if let Some(kill) = &answered.kill_after {
            kill.strike();
        }
        let Some(mut reply) = answered.reply else {
            // Closing the connection unanswered: the client sees it drop.
            drop(request.into_writer());
            continue;
        };
        if !answered.delay.is_zero() {
            std::thread::sleep(answered.delay);
        }
        let mut headers = std::mem::take(&mut reply.headers);
        headers.push(("Content-Type".into(), reply.content_type.into()));
        // The servers' own clock, as the real ones send it (RFC 9110 §6.6.1): `doctor`
        // compares it with this machine's.
        headers.push((
            "Date".into(),
            now.format("%a, %d %b %Y %H:%M:%S GMT").to_string(),
        ));
        let headers: Vec<tiny_http::Header> = headers
            .into_iter()
            .filter_map(|(name, value)| {
                tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
            })
            .collect();
        let _ = if reply.padding == 0 {
            let mut response =
                tiny_http::Response::from_string(reply.body).with_status_code(reply.status);
            for header in headers {
                response.add_header(header);
            }
            request.respond(response)
        } else {
            request.respond(padded(reply, headers))
        };
    }
}

/// An answer whose body is the reply's, with its padding streamed in after the first
/// byte, never held whole in memory, and without a length.
fn padded(
    reply: Reply,
    headers: Vec<tiny_http::Header>,
) -> tiny_http::Response<Box<dyn std::io::Read + Send>> {
    use std::io::Read as _;
    let body = reply.body.into_bytes();
    let (head, tail) = body.split_at(body.len().min(1));
    let stream: Box<dyn std::io::Read + Send> = Box::new(
        std::io::Cursor::new(head.to_vec())
            .chain(std::io::repeat(b' ').take(reply.padding))
            .chain(std::io::Cursor::new(tail.to_vec())),
    );
    tiny_http::Response::new(reply.status.into(), headers, stream, None, None)
}

fn read(request: &mut tiny_http::Request) -> Incoming {
    let url = request.url().to_string();
    let (path, raw_query) = url.split_once('?').unwrap_or((&url, ""));
    let query = url::form_urlencoded::parse(raw_query.as_bytes())
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    let headers = request
        .headers()
        .iter()
        .map(|header| {
            (
                header.field.as_str().as_str().to_ascii_lowercase(),
                header.value.as_str().to_string(),
            )
        })
        .collect();
    let mut body = String::new();
    let _ = request.as_reader().read_to_string(&mut body);
    Incoming {
        method: request.method().as_str().to_string(),
        path: percent_encoding::percent_decode_str(path)
            .decode_utf8_lossy()
            .into_owned(),
        query,
        #[cfg(feature = "testing")]
        raw_query: raw_query.to_string(),
        headers,
        body,
    }
}

fn route(world: &mut World, request: &Incoming) -> (Reply, Api) {
    if let Some(rest) = request.path.strip_prefix("/api/v1/") {
        return (ccv::handle(world, request, rest), Api::Ccv);
    }
    if let Some(rest) = request.path.strip_prefix("/api/v2/") {
        let (limit, window) = (
            world.options.rate_limit_requests,
            world.options.rate_limit_window,
        );
        let (headers, refused) = world.rate.admit(limit, window);
        let mut reply = if refused {
            // The body is the JSON string the OAS documents.
            Reply::json(429, &serde_json::json!("Retry later"))
        } else {
            moneybird::handle(world, request, rest)
        };
        reply.headers.extend(headers);
        return (reply, Api::Moneybird);
    }
    if let Some(rest) = request.path.strip_prefix("/oauth/") {
        return (oauth::handle(world, request, rest), Api::Other);
    }
    (
        Reply::json(404, &serde_json::json!({"error": "Not Found"})),
        Api::Other,
    )
}
