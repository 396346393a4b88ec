//! The Moneybird client. Requests are the scarce resource (150 per 5 minutes), so every one
//! is counted, paced by the headers Moneybird sends, and only reads are ever repeated.

pub mod bank;
pub mod model;
pub mod oauth;

use std::cell::{Cell, RefCell};
use std::time::Duration;

use serde_json::{Value, json};
use url::Url;

use crate::http::{self, Answer, Health};
use crate::retry::{self, Attempt};
pub use model::{Administration, Invoice, InvoiceKind, InvoicePayment, LedgerAccount};

#[derive(Debug)]
pub enum MoneybirdError {
    Unauthorized(String),
    NotFound(String),
    Rejected {
        status: u16,
        message: String,
    },
    RateLimited(Duration),
    /// The same request refused for the rate limit this many times in a row, each time
    /// after waiting as asked.
    Throttled(u32),
    /// An answer larger than [`http::MAX_BODY_BYTES`]: at least this many bytes.
    TooLarge(u64),
    /// A renewed OAuth token could not be stored (or the renewal lock taken): said as
    /// such, never as a refused credential.
    NotStored(String),
    Server {
        status: u16,
        message: String,
    },
    Transport {
        url: String,
        message: String,
    },
    Malformed(String),
}

impl MoneybirdError {
    /// What went wrong, kept as a message: `status`, `info` and the history say it in the
    /// reader's language, `--json` in English.
    pub fn words(&self) -> crate::i18n::Message {
        match self {
            MoneybirdError::Unauthorized(message) => {
                msg!("moneybird-unauthorized", message = message)
            }
            MoneybirdError::NotFound(message) => msg!("moneybird-not-found", message = message),
            MoneybirdError::Rejected { status, message } => msg!(
                "moneybird-rejected",
                status = status.to_string(),
                message = message
            ),
            MoneybirdError::RateLimited(wait) => {
                msg!("moneybird-rate-limited", seconds = wait.as_secs())
            }
            MoneybirdError::Throttled(times) => msg!("moneybird-throttled", times = *times),
            MoneybirdError::TooLarge(bytes) => msg!(
                "answer-too-large",
                service = "Moneybird",
                size = crate::http::mebibytes(*bytes),
                limit = crate::http::mebibytes(http::MAX_BODY_BYTES)
            ),
            MoneybirdError::Server { status, message } => msg!(
                "moneybird-server",
                status = status.to_string(),
                message = message
            ),
            MoneybirdError::Transport { url, message } => {
                msg!("moneybird-transport", url = url, message = message)
            }
            MoneybirdError::Malformed(message) => msg!("moneybird-malformed", message = message),
            MoneybirdError::NotStored(error) => msg!("oauth-not-saved", error = error),
        }
    }
}

impl std::fmt::Display for MoneybirdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.words().say())
    }
}

impl std::error::Error for MoneybirdError {}

impl MoneybirdError {
    /// A write that failed this way may or may not have been applied.
    pub fn outcome_unclear(&self) -> bool {
        matches!(
            self,
            MoneybirdError::Server { .. }
                | MoneybirdError::Transport { .. }
                | MoneybirdError::Malformed(_)
        )
    }
}

/// One request and its answer, kept with the payment it concerns for `info` and `report`.
/// Never holds the token: only method, path, and the bodies.
#[derive(Clone, Debug, Default)]
pub struct Exchange {
    pub method: String,
    pub path: String,
    pub request_body: Option<String>,
    pub status: Option<u16>,
    pub response_body: Option<String>,
}

/// Renews an OAuth access token after a 401. Implementations save the new tokens before
/// handing the access token back, so a crash never loses a rotated refresh token.
pub trait Renew {
    fn renew(&self) -> Result<String, MoneybirdError>;
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Repeat {
    /// Reads: repeated after 5xx and transport errors.
    Reads,
    /// Writes: never repeated blindly; only a 429, which Moneybird refused before doing
    /// anything, is sent again.
    OnlyWhenThrottled,
}

#[derive(Clone, Copy, Debug)]
struct Budget {
    requests_left: i64,
    resets_at_epoch: i64,
}

pub struct MoneybirdClient {
    http: reqwest::blocking::Client,
    api_root: Url,
    administration_id: Option<String>,
    authorization: RefCell<String>,
    renewal: Option<Box<dyn Renew>>,
    renewed: Cell<bool>,
    /// Told when a wait for the rate limit starts (`Some`) and ends (`None`).
    wait_observer: Option<Box<dyn Fn(Option<Duration>)>>,
    max_wait: Duration,
    budget: Cell<Option<Budget>>,
    requests: Cell<u64>,
    server_date: Cell<Option<chrono::DateTime<chrono::Utc>>>,
    throttled: Cell<u64>,
    /// Status and body of the last refused request, for the payment's exchange record.
    last_failure: Cell<Option<(u16, String)>>,
    health: RefCell<Option<Health>>,
    /// Records left out because they could not be read, each named; one such record never
    /// costs the others.
    skipped: RefCell<Vec<String>>,
}

const READ_ATTEMPTS: u32 = 4;
pub const PER_PAGE: usize = 100;
/// The synchronization endpoint returns at most this many records per call.
pub const SYNC_BATCH: usize = 100;

impl MoneybirdClient {
    pub fn new(
        http: reqwest::blocking::Client,
        base_url: &Url,
        token: &str,
        administration_id: Option<String>,
        max_wait: Duration,
    ) -> MoneybirdClient {
        let mut api_root = base_url.clone();
        api_root.set_path(&format!(
            "{}/api/v2/",
            base_url.path().trim_end_matches('/')
        ));
        MoneybirdClient {
            http,
            api_root,
            administration_id,
            authorization: RefCell::new(format!("Bearer {token}")),
            renewal: None,
            renewed: Cell::new(false),
            wait_observer: None,
            max_wait,
            budget: Cell::new(None),
            requests: Cell::new(0),
            server_date: Cell::new(None),
            throttled: Cell::new(0),
            last_failure: Cell::new(None),
            health: RefCell::new(None),
            skipped: RefCell::new(Vec::new()),
        }
    }

    /// The records left out since the last call, each named with what was wrong.
    pub fn take_skipped(&self) -> Vec<String> {
        self.skipped.take()
    }

    fn skip(&self, skipped: Vec<String>) {
        for what in &skipped {
            // The run's summary names it to the person; the log keeps this.
            tracing::info!("left out a Moneybird record that cannot be read: {what}");
        }
        self.skipped.borrow_mut().extend(skipped);
    }

    fn parse_list<T>(
        &self,
        answer: &Answer,
        parse: impl Fn(&Value) -> Result<T, String>,
    ) -> Result<Vec<T>, MoneybirdError> {
        let (items, skipped) = parse_list(answer, parse)?;
        self.skip(skipped);
        Ok(items)
    }

    fn parse_invoices(
        &self,
        kind: InvoiceKind,
        answer: &Answer,
    ) -> Result<Vec<Invoice>, MoneybirdError> {
        let (invoices, skipped) =
            Invoice::parse_list(kind, &answer.body).map_err(MoneybirdError::Malformed)?;
        self.skip(skipped);
        Ok(invoices)
    }

    /// Tells `observer` before each wait for the rate limit, e.g. to show it at a terminal.
    pub fn on_wait(mut self, observer: Box<dyn Fn(Option<Duration>)>) -> MoneybirdClient {
        self.wait_observer = Some(observer);
        self
    }

    fn wait_for(&self, wait: Duration) {
        if let Some(observer) = &self.wait_observer {
            observer(Some(wait));
        }
        std::thread::sleep(wait);
        if let Some(observer) = &self.wait_observer {
            observer(None);
        }
    }

    /// On a 401, renew the token once this way and repeat the request.
    pub fn with_renewal(mut self, renewal: Box<dyn Renew>) -> MoneybirdClient {
        self.renewal = Some(renewal);
        self
    }

    /// Moneybird's clock as its last answer gave it.
    pub fn server_date(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.server_date.get()
    }

    pub fn requests_made(&self) -> u64 {
        self.requests.get()
    }

    pub fn throttled_answers(&self) -> u64 {
        self.throttled.get()
    }

    /// How Moneybird answered the last request, if one was made. Being throttled is pacing,
    /// not a failure, and leaves it as it was.
    pub fn health(&self) -> Option<Health> {
        self.health.borrow().clone()
    }

    pub fn administrations(&self) -> Result<Vec<Administration>, MoneybirdError> {
        let answer = self.send("GET", "administrations.json", &[], None, Repeat::Reads)?;
        self.parse_list(&answer, Administration::from_json)
    }

    pub fn ledger_accounts(&self) -> Result<Vec<LedgerAccount>, MoneybirdError> {
        let path = self.path("ledger_accounts.json")?;
        let answer = self.send("GET", &path, &[], None, Repeat::Reads)?;
        self.parse_list(&answer, LedgerAccount::from_json)
    }

    /// Creates a tussenrekening: a current-assets ledger account with the RGS code for
    /// transitory payment accounts (docs/moneybird-api.md §5.2, §5.4).
    pub fn create_tussenrekening(&self, name: &str) -> Result<LedgerAccount, MoneybirdError> {
        let path = self.path("ledger_accounts.json")?;
        let body = json!({
            "ledger_account": { "name": name, "account_type": "current_assets" },
            "rgs_code": "BVorTusTbt",
        });
        let answer = self.send("POST", &path, &[], Some(&body), Repeat::OnlyWhenThrottled)?;
        let value: Value = serde_json::from_str(&answer.body)
            .map_err(|error| MoneybirdError::Malformed(error.to_string()))?;
        LedgerAccount::from_json(&value).map_err(MoneybirdError::Malformed)
    }

    /// Ids and versions of every invoice of this kind that matches `filter`.
    pub fn invoice_versions(
        &self,
        kind: InvoiceKind,
        filter: &str,
    ) -> Result<Vec<(String, i64)>, MoneybirdError> {
        let path = self.path(&format!("{}/synchronization.json", kind.resource()))?;
        let query = [("filter", filter.to_string())];
        let answer = self.send("GET", &path, &query, None, Repeat::Reads)?;
        self.parse_list(&answer, |item| {
            let id = item.get("id").and_then(model::id_string).ok_or("no id")?;
            let version = item
                .get("version")
                .and_then(model::id_string)
                .and_then(|version| version.parse().ok())
                .ok_or("no version")?;
            Ok((id, version))
        })
    }

    /// Full invoices for up to [`SYNC_BATCH`] ids in one request.
    pub fn invoices_by_id(
        &self,
        kind: InvoiceKind,
        ids: &[String],
    ) -> Result<Vec<Invoice>, MoneybirdError> {
        debug_assert!(ids.len() <= SYNC_BATCH);
        let path = self.path(&format!("{}/synchronization.json", kind.resource()))?;
        let body = json!({ "ids": ids });
        let answer = self.send("POST", &path, &[], Some(&body), Repeat::Reads)?;
        self.parse_invoices(kind, &answer)
    }

    /// One invoice, or `None` when Moneybird no longer has it.
    pub fn invoice(&self, kind: InvoiceKind, id: &str) -> Result<Option<Invoice>, MoneybirdError> {
        let path = self.path(&format!("{}/{}.json", kind.resource(), encode(id)))?;
        match self.send("GET", &path, &[], None, Repeat::Reads) {
            Ok(answer) => Invoice::parse_one(kind, &answer.body)
                .map(Some)
                .map_err(MoneybirdError::Malformed),
            Err(MoneybirdError::NotFound(_)) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Every invoice of this kind matching `filter`, page by page.
    pub fn invoices(
        &self,
        kind: InvoiceKind,
        filter: &str,
    ) -> Result<Vec<Invoice>, MoneybirdError> {
        let path = self.path(&format!("{}.json", kind.resource()))?;
        let mut all = Vec::new();
        for page in 1.. {
            let query = [
                ("filter", filter.to_string()),
                ("per_page", PER_PAGE.to_string()),
                ("page", page.to_string()),
            ];
            let answer = self.send("GET", &path, &query, None, Repeat::Reads)?;
            let invoices = self.parse_invoices(kind, &answer)?;
            let count = invoices.len();
            all.extend(invoices);
            let has_next = answer
                .header("link")
                .is_some_and(|link| link.contains("rel=\"next\""));
            if !has_next || count == 0 {
                break;
            }
        }
        Ok(all)
    }

    /// Books one payment. The exchange is returned whatever happened, so the caller can
    /// keep it with the payment.
    pub fn create_payment(
        &self,
        kind: InvoiceKind,
        invoice_id: &str,
        body: &Value,
    ) -> (Result<InvoicePayment, MoneybirdError>, Exchange) {
        let resource = format!("{}/{}/payments.json", kind.resource(), encode(invoice_id));
        let (answer, exchange) = self.write("POST", &resource, Some(body));
        let payment = answer.and_then(|answer| {
            serde_json::from_str::<Value>(&answer.body)
                .map_err(|error| error.to_string())
                .and_then(|value| InvoicePayment::from_json(&value))
                .map_err(MoneybirdError::Malformed)
        });
        (payment, exchange)
    }

    /// Deletes one payment from an invoice; Moneybird opens the invoice again. Only sent
    /// once, like every write: a lost answer is settled by reading the invoice.
    pub fn delete_payment(
        &self,
        kind: InvoiceKind,
        invoice_id: &str,
        payment_id: &str,
    ) -> (Result<(), MoneybirdError>, Exchange) {
        let resource = format!(
            "{}/{}/payments/{}.json",
            kind.resource(),
            encode(invoice_id),
            encode(payment_id)
        );
        let (answer, exchange) = self.write("DELETE", &resource, None);
        (answer.map(|_| ()), exchange)
    }

    /// One write, sent once (again only after a 429, which did nothing), with the exchange
    /// as it went: what was sent, and what came back, refused or not.
    pub(super) fn write(
        &self,
        method: &str,
        resource: &str,
        body: Option<&Value>,
    ) -> (Result<Answer, MoneybirdError>, Exchange) {
        let path = match self.path(resource) {
            Ok(path) => path,
            Err(error) => return (Err(error), Exchange::default()),
        };
        let mut exchange = Exchange {
            method: method.into(),
            path: path.clone(),
            request_body: body.map(Value::to_string),
            ..Exchange::default()
        };
        let result = self.send(method, &path, &[], body, Repeat::OnlyWhenThrottled);
        match &result {
            Ok(answer) => {
                exchange.status = Some(answer.status);
                exchange.response_body = Some(answer.body.clone());
            }
            Err(_) => {
                if let Some((status, body)) = self.last_failure.take() {
                    exchange.status = Some(status);
                    exchange.response_body = Some(body);
                }
            }
        }
        (result, exchange)
    }

    fn path(&self, resource: &str) -> Result<String, MoneybirdError> {
        let administration =
            self.administration_id
                .as_deref()
                .ok_or_else(|| MoneybirdError::Rejected {
                    status: 0,
                    message: "no administration is configured".into(),
                })?;
        Ok(format!("{}/{resource}", encode(administration)))
    }

    fn send(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
        repeat: Repeat,
    ) -> Result<Answer, MoneybirdError> {
        let result = self.send_with_retries(method, path, query, body, repeat);
        let health = match &result {
            Ok(_) | Err(MoneybirdError::NotFound(_) | MoneybirdError::Rejected { .. }) => {
                Some(Health::Answering)
            }
            Err(MoneybirdError::RateLimited(_)) => None,
            Err(error @ MoneybirdError::Unauthorized(_)) => Some(Health::Refused(error.words())),
            Err(error) => Some(Health::Failing(error.words())),
        };
        if let Some(health) = health {
            self.health.replace(Some(health));
        }
        result
    }

    fn send_with_retries(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
        repeat: Repeat,
    ) -> Result<Answer, MoneybirdError> {
        let url = self
            .api_root
            .join(path)
            .map_err(|error| MoneybirdError::Malformed(error.to_string()))?;
        let attempts = match repeat {
            Repeat::Reads => READ_ATTEMPTS,
            Repeat::OnlyWhenThrottled => 1,
        };
        retry::with_retries(
            attempts,
            |pause| match pause {
                retry::Pause::Wait(wait) => self.wait_for(wait),
                backoff => http::pause(backoff),
            },
            || self.attempt(method, &url, query, body),
        )
    }

    /// One request, and what it came to.
    fn attempt(
        &self,
        method: &str,
        url: &Url,
        query: &[(&str, String)],
        body: Option<&Value>,
    ) -> Attempt<Answer, MoneybirdError> {
        if let Err(error) = self.wait_for_budget() {
            return Attempt::Done(Err(error));
        }
        self.requests.set(self.requests.get() + 1);
        let mut request = self
            .http
            .request(method.parse().expect("static HTTP method"), url.clone())
            .query(query)
            .header(
                reqwest::header::AUTHORIZATION,
                self.authorization.borrow().as_str(),
            )
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(body) = body {
            request = request.json(body);
        }
        let answer = match Answer::fetch(request) {
            Ok(answer) => answer,
            Err(http::NoAnswer::TooLarge(bytes)) => {
                return Attempt::Done(Err(MoneybirdError::TooLarge(bytes)));
            }
            Err(http::NoAnswer::Transport(message)) => {
                let failure = MoneybirdError::Transport {
                    url: url.to_string(),
                    message,
                };
                tracing::debug!("Moneybird request failed ({failure})");
                return Attempt::Passing(failure);
            }
        };
        self.note_budget(&answer);
        if let Some(date) = answer.date() {
            self.server_date.set(Some(date));
        }
        if answer.is_success() {
            return Attempt::Done(Ok(answer));
        }
        self.refused(&answer)
    }

    /// What a refusal comes to: wait and send again, renew the token and send again, or an
    /// error.
    fn refused(&self, answer: &Answer) -> Attempt<Answer, MoneybirdError> {
        let message = error_message(answer);
        self.last_failure
            .set(Some((answer.status, answer.body.clone())));
        match answer.status {
            429 => {
                self.throttled.set(self.throttled.get() + 1);
                let wait = http::wait_from_headers(answer).unwrap_or_else(|| http::backoff(2));
                if wait > self.max_wait {
                    return Attempt::Done(Err(MoneybirdError::RateLimited(wait)));
                }
                tracing::info!(
                    "Moneybird's rate limit is reached; waiting {:.1}s",
                    wait.as_secs_f64()
                );
                // Refused before anything was done: sending it again is safe, writes too.
                Attempt::Throttled {
                    error: MoneybirdError::Throttled(retry::THROTTLED_IN_A_ROW),
                    wait,
                }
            }
            401 => match &self.renewal {
                // A refused request did nothing, so repeating it after the renewal is
                // safe, writes included.
                Some(renewal) if !self.renewed.get() => {
                    self.renewed.set(true);
                    match renewal.renew() {
                        Ok(token) => {
                            self.authorization.replace(format!("Bearer {token}"));
                            tracing::info!("renewed the Moneybird access token");
                            Attempt::Again
                        }
                        Err(error) => Attempt::Done(Err(error)),
                    }
                }
                _ => Attempt::Done(Err(MoneybirdError::Unauthorized(message))),
            },
            404 => Attempt::Done(Err(MoneybirdError::NotFound(message))),
            status if status >= 500 => {
                tracing::debug!("Moneybird answered {status}: {message}");
                Attempt::Passing(MoneybirdError::Server { status, message })
            }
            status => Attempt::Done(Err(MoneybirdError::Rejected { status, message })),
        }
    }

    /// Paces to the headers: when the window's requests are used up, wait for its reset
    /// instead of spending a request on a 429.
    fn wait_for_budget(&self) -> Result<(), MoneybirdError> {
        let Some(budget) = self.budget.get() else {
            return Ok(());
        };
        if budget.requests_left > 0 {
            return Ok(());
        }
        let wait = http::until_epoch(budget.resets_at_epoch);
        self.budget.set(None);
        if wait > self.max_wait {
            return Err(MoneybirdError::RateLimited(wait));
        }
        if !wait.is_zero() {
            tracing::info!(
                "Moneybird's request budget is used up; waiting {:.1}s",
                wait.as_secs_f64()
            );
            self.wait_for(wait);
        }
        Ok(())
    }

    fn note_budget(&self, answer: &Answer) {
        // `RateLimit-Remaining` holds seconds, not requests, on the live service
        // (docs/moneybird-api.md §2.3); the request count is the undocumented header below.
        let left = answer.header_i64("ratelimit-requestsremaining");
        let reset = answer.header_i64("ratelimit-reset");
        if let (Some(requests_left), Some(resets_at_epoch)) = (left, reset) {
            self.budget.set(Some(Budget {
                requests_left,
                resets_at_epoch,
            }));
        }
    }
}

/// The human part of a Moneybird error body, in any of its shapes (docs/moneybird-api.md §2.4).
pub fn error_message(answer: &Answer) -> String {
    match serde_json::from_str::<Value>(&answer.body) {
        Ok(Value::Object(object)) => match object.get("error") {
            Some(Value::String(text)) => text.clone(),
            Some(Value::Object(fields)) => fields
                .iter()
                .map(|(field, messages)| {
                    let messages: Vec<String> = match messages {
                        Value::Array(items) => items
                            .iter()
                            .map(|item| {
                                item.as_str()
                                    .map_or_else(|| item.to_string(), str::to_string)
                            })
                            .collect(),
                        other => vec![other.to_string()],
                    };
                    format!("{field} {}", messages.join(", "))
                })
                .collect::<Vec<_>>()
                .join("; "),
            _ => answer.snippet(),
        },
        Ok(Value::String(text)) => text,
        _ => answer.snippet(),
    }
}

/// A list answer, read item by item: the items that parse, and what was wrong with the others.
fn parse_list<T>(
    answer: &Answer,
    parse: impl Fn(&Value) -> Result<T, String>,
) -> Result<(Vec<T>, Vec<String>), MoneybirdError> {
    let value: Value = serde_json::from_str(&answer.body)
        .map_err(|error| MoneybirdError::Malformed(format!("{error} in `{}`", answer.snippet())))?;
    let items = value.as_array().ok_or_else(|| {
        MoneybirdError::Malformed(format!("expected a list, got `{}`", answer.snippet()))
    })?;
    let mut parsed = Vec::with_capacity(items.len());
    let mut skipped = Vec::new();
    for item in items {
        match parse(item) {
            Ok(value) => parsed.push(value),
            Err(error) => skipped.push(error),
        }
    }
    Ok((parsed, skipped))
}

fn encode(segment: &str) -> String {
    percent_encoding::utf8_percent_encode(segment, percent_encoding::NON_ALPHANUMERIC).to_string()
}
