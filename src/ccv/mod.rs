//! The CCV Online Payments client: read-only, Basic auth with the API key as user name.

pub mod model;

use std::cell::{Cell, RefCell};
use std::collections::HashSet;

use base64::Engine as _;
use serde_json::Value;
use url::Url;

use crate::http::{self, Answer, Health};
use crate::retry::{self, Attempt};
pub use model::{Payout, Read, Status, Transaction, Unreadable, screen};

/// What CCV's reference leaves open (docs/ccv-api.md, "Unknowns" 1–3), decided in one place.
/// The client is written so that either answer works.
pub(crate) mod assumptions {
    use serde_json::Value;

    /// Unknown 2: the format of the time filters (`createdAfter`, `createdBefore`,
    /// `paidoutAfter`). `created` itself is epoch milliseconds, so that is tried first; a
    /// CCV that refuses it with a 400 is asked once more in ISO 8601, and the form that
    /// worked is kept (see `CcvClient::time_form`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum TimeForm {
        EpochMillis,
        Iso8601,
    }

    impl TimeForm {
        pub fn write(self, epoch_ms: i64) -> String {
            match self {
                TimeForm::EpochMillis => epoch_ms.to_string(),
                TimeForm::Iso8601 => chrono::DateTime::from_timestamp_millis(epoch_ms)
                    .unwrap_or_default()
                    .format("%Y-%m-%dT%H:%M:%S%.3fZ")
                    .to_string(),
            }
        }

        pub fn other(self) -> TimeForm {
            match self {
                TimeForm::EpochMillis => TimeForm::Iso8601,
                TimeForm::Iso8601 => TimeForm::EpochMillis,
            }
        }

        /// As the state keeps it.
        pub fn as_str(self) -> &'static str {
            match self {
                TimeForm::EpochMillis => "epoch_ms",
                TimeForm::Iso8601 => "iso8601",
            }
        }

        pub fn parse(text: &str) -> Option<TimeForm> {
            match text {
                "epoch_ms" => Some(TimeForm::EpochMillis),
                "iso8601" => Some(TimeForm::Iso8601),
                _ => None,
            }
        }
    }

    /// Unknown 3: a list answer may be a bare array or an object wrapping one (under any
    /// key, beside counts or links); a single read answers with the transaction object
    /// itself. An object wrapping two lists of objects cannot be read without a guess.
    pub fn transactions_in(answer: Value) -> Option<Vec<Value>> {
        match answer {
            Value::Array(items) => Some(items),
            Value::Object(object) if object.contains_key("reference") => {
                Some(vec![Value::Object(object)])
            }
            Value::Object(object) => {
                let mut lists = object.into_iter().filter_map(|(_, value)| match value {
                    Value::Array(items) if items.iter().all(Value::is_object) => Some(items),
                    _ => None,
                });
                let first = lists.next()?;
                let rest: Vec<Vec<Value>> = lists.filter(|list| !list.is_empty()).collect();
                match (first.is_empty(), rest.len()) {
                    (_, 0) => Some(first),
                    (true, 1) => rest.into_iter().next(),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Unknown 1: neither the page size nor the sort order of the list is documented. A
    /// list answer is therefore treated as one contiguous run, in some order, of everything
    /// that matched: what it left out lies before its earliest or after its latest
    /// `created`. See `CcvClient::transactions_created_after`.
    ///
    /// How many references fit in one `references=` read: a URL stays well under 8 KiB.
    pub const REFERENCES_PER_READ: usize = 50;
}

#[derive(Debug)]
pub enum CcvError {
    Unauthorized,
    Blocked(String),
    Status {
        status: u16,
        body: String,
    },
    Transport {
        url: String,
        message: String,
    },
    Malformed(String),
    /// Refused for the rate limit this many times in a row, each after waiting.
    RateLimited(u32),
    /// An answer larger than [`http::MAX_BODY_BYTES`]: at least this many bytes.
    TooLarge(u64),
    /// The time filters refused in both forms, with what CCV said to each.
    TimeFilterRefused {
        epoch_ms: String,
        iso8601: String,
    },
    /// Listing makes no progress: CCV's answers do not follow the time window asked.
    Stuck(crate::i18n::Message),
}

impl CcvError {
    /// What went wrong, kept as a message: said in the reader's language, or in English
    /// where scripts read it.
    pub fn words(&self) -> crate::i18n::Message {
        match self {
            CcvError::Unauthorized => msg!("error-ccv-key"),
            CcvError::Blocked(body) => msg!("error-ccv-blocked", body = body),
            CcvError::Status { status, body } => {
                msg!("ccv-status", status = status.to_string(), body = body)
            }
            CcvError::Transport { url, message } => {
                msg!("ccv-transport", url = url, message = message)
            }
            CcvError::Malformed(message) => msg!("ccv-malformed", message = message),
            CcvError::RateLimited(times) => msg!("ccv-rate-limited", times = *times),
            CcvError::TooLarge(bytes) => msg!(
                "answer-too-large",
                service = "CCV",
                size = http::mebibytes(*bytes),
                limit = http::mebibytes(http::MAX_BODY_BYTES)
            ),
            CcvError::TimeFilterRefused { epoch_ms, iso8601 } => {
                msg!("ccv-time-filter-refused", epoch = epoch_ms, iso = iso8601)
            }
            CcvError::Stuck(what) => msg!("ccv-stuck", what = what.clone()),
        }
    }
}

impl std::fmt::Display for CcvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.words().say())
    }
}

impl std::error::Error for CcvError {}

const ASCENDING: usize = 0;
const DESCENDING: usize = 1;

/// A value in a CCV query: text as it is, or a time (epoch ms) to be written in the form
/// CCV takes.
#[derive(Clone, Debug)]
pub enum Param {
    Text(String),
    Time(i64),
}

impl Param {
    fn written(
        query: &[(&'static str, Param)],
        form: assumptions::TimeForm,
    ) -> Vec<(&'static str, String)> {
        query
            .iter()
            .map(|(name, value)| {
                let text = match value {
                    Param::Text(text) => text.clone(),
                    Param::Time(epoch_ms) => form.write(*epoch_ms),
                };
                (*name, text)
            })
            .collect()
    }
}

/// A creation-time window still to be listed.
struct Window {
    after: i64,
    before: Option<i64>,
    /// Set when this request tests whether answers in that order can be trusted.
    probes: Option<usize>,
}

impl Window {
    /// Paging goes on only while CCV's answers keep to the windows asked: an answer with a
    /// transaction outside its window (a filter ignored), or one that brings nothing new
    /// yet holds more than the transactions on its edges (the same page again), would
    /// page for ever or end blind. Either stops the run, named. The edges are allowed
    /// either way, in case CCV reads its bounds as inclusive.
    fn check_progress(&self, created: &[i64], nothing_new: bool) -> Result<(), CcvError> {
        let outside = created
            .iter()
            .find(|&&at| at < self.after || self.before.is_some_and(|before| at > before));
        let inside_edges =
            |at: i64| at > self.after + 1 && self.before.is_none_or(|before| at < before - 1);
        let stuck = nothing_new && created.iter().any(|&at| inside_edges(at));
        let before = match self.before {
            Some(before) => crate::i18n::Arg::Text(time_text(before)),
            None => msg!("ccv-stuck-now").into(),
        };
        match (outside, stuck) {
            (Some(&at), _) => Err(CcvError::Stuck(
                msg!(
                    "ccv-stuck-outside",
                    after = time_text(self.after),
                    at = time_text(at)
                )
                .arg("before", before),
            )),
            (None, true) => Err(CcvError::Stuck(
                msg!("ccv-stuck-repeated", after = time_text(self.after)).arg("before", before),
            )),
            (None, false) => Ok(()),
        }
    }
}

fn time_text(epoch_ms: i64) -> String {
    assumptions::TimeForm::Iso8601.write(epoch_ms)
}

pub struct CcvClient {
    http: reqwest::blocking::Client,
    api_root: Url,
    authorization: String,
    /// How the time filters are written: learnt on first contact, kept in the state.
    time_form: Cell<assumptions::TimeForm>,
    requests: Cell<u64>,
    health: RefCell<Option<Health>>,
    server_date: Cell<Option<chrono::DateTime<chrono::Utc>>>,
}

const READ_ATTEMPTS: u32 = 4;

impl CcvClient {
    pub fn new(http: reqwest::blocking::Client, base_url: &Url, api_key: &str) -> CcvClient {
        let mut api_root = base_url.clone();
        api_root.set_path(&format!(
            "{}/api/v1/",
            base_url.path().trim_end_matches('/')
        ));
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{api_key}:"));
        CcvClient {
            http,
            api_root,
            authorization: format!("Basic {token}"),
            time_form: Cell::new(assumptions::TimeForm::EpochMillis),
            requests: Cell::new(0),
            health: RefCell::new(None),
            server_date: Cell::new(None),
        }
    }

    /// How the time filters are written from now on: the form CCV took last time.
    pub fn use_time_form(&self, form: assumptions::TimeForm) {
        self.time_form.set(form);
    }

    /// The form of time filter CCV takes, as far as this client learnt it.
    pub fn time_form(&self) -> assumptions::TimeForm {
        self.time_form.get()
    }

    /// CCV's clock as its last answer gave it.
    pub fn server_date(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.server_date.get()
    }

    pub fn requests_made(&self) -> u64 {
        self.requests.get()
    }

    /// How CCV answered the last request, if one was made.
    pub fn health(&self) -> Option<Health> {
        self.health.borrow().clone()
    }

    fn get(&self, path: &str, query: &[(&str, String)]) -> Result<Value, CcvError> {
        let result = self.get_with_retries(path, query);
        let health = match &result {
            Ok(_) | Err(CcvError::Malformed(_)) => Health::Answering,
            Err(CcvError::Status { status, .. }) if *status < 500 && *status != 429 => {
                Health::Answering
            }
            Err(CcvError::TimeFilterRefused { .. } | CcvError::Stuck(_)) => Health::Answering,
            Err(error @ CcvError::Unauthorized) => Health::Refused(error.words()),
            Err(error) => Health::Failing(error.words()),
        };
        self.health.replace(Some(health));
        result
    }

    /// The payment methods this key may use; cheap, so it doubles as the key check.
    pub fn payment_methods(&self) -> Result<Vec<String>, CcvError> {
        let answer = self.get("method", &[])?;
        let items = assumptions::transactions_in(answer).ok_or_else(|| {
            CcvError::Malformed("the method list is neither an array nor wraps one".into())
        })?;
        Ok(items
            .iter()
            .filter_map(|item| item.get("method").and_then(Value::as_str))
            .map(str::to_string)
            .collect())
    }

    /// Every transaction created after `after_ms` (exclusive), however CCV pages and sorts,
    /// handed to `visit` a page at a time (each transaction once) so that a backfill of any
    /// size is never held in memory whole.
    ///
    /// Each answer covers a contiguous run between its earliest and latest `created`; the
    /// windows on either side are asked again (boundaries inclusive, so equal timestamps
    /// are not lost) until a window brings nothing new. Once an answer in (reverse)
    /// creation order has shown that it starts at its window's start (end), the side
    /// before (after) such answers is no longer asked: one request per page, plus one.
    pub fn transactions_created_after<E: From<CcvError>>(
        &self,
        after_ms: i64,
        visit: impl FnMut(Vec<Read>) -> Result<(), E>,
    ) -> Result<(), E> {
        self.transactions_created_after_where(after_ms, &[], visit)
    }

    /// [`CcvClient::transactions_created_after`], of only the transactions that also pass
    /// `filter` (e.g. `paidout=yes`, `paidoutAfter=…`).
    pub fn transactions_created_after_where<E: From<CcvError>>(
        &self,
        after_ms: i64,
        filter: &[(&'static str, Param)],
        mut visit: impl FnMut(Vec<Read>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut seen: HashSet<String> = HashSet::new();
        let mut windows: Vec<Window> = vec![Window {
            after: after_ms,
            before: None,
            probes: None,
        }];
        // Whether an answer in (reverse) creation order is known to start at its window's
        // start (end): then the other side needs no request. Learnt from one probe each.
        let mut trusted = [None::<bool>; 2];
        while let Some(window) = windows.pop() {
            let mut query = vec![("createdAfter", Param::Time(window.after))];
            if let Some(before) = window.before {
                query.push(("createdBefore", Param::Time(before)));
            }
            query.extend(filter.iter().cloned());
            let page = self.list(&query)?;
            let created: Vec<i64> = page.iter().filter_map(model::created_of).collect();
            let new: Vec<Read> = page
                .into_iter()
                .filter(|read| seen.insert(model::identity_of(read)))
                .collect();
            window.check_progress(&created, new.is_empty())?;
            if let Some(order) = window.probes {
                trusted[order] = Some(new.is_empty());
            }
            let (Some(&earliest), Some(&latest)) = (created.iter().min(), created.iter().max())
            else {
                continue;
            };
            if new.is_empty() {
                continue;
            }
            visit(new)?;
            let order = if earliest == latest {
                None
            } else if created.windows(2).all(|pair| pair[0] <= pair[1]) {
                Some(ASCENDING)
            } else if created.windows(2).all(|pair| pair[0] >= pair[1]) {
                Some(DESCENDING)
            } else {
                None
            };
            let skip = |side: usize| order == Some(side) && trusted[side] == Some(true);
            let probe =
                |side: usize| (order == Some(side) && trusted[side].is_none()).then_some(side);
            // Before the answer: needed unless it is a trusted run in creation order; after
            // it: unless it is a trusted run in reverse creation order.
            let before_it = (!skip(ASCENDING)).then(|| Window {
                after: window.after,
                before: Some(earliest + 1),
                probes: probe(ASCENDING),
            });
            let after_it = (!skip(DESCENDING)).then(|| Window {
                after: latest - 1,
                before: window.before,
                probes: probe(DESCENDING),
            });
            // A probe goes last onto the stack, so its answer is known before the next page.
            let mut next: Vec<Window> = before_it.into_iter().chain(after_it).collect();
            next.sort_by_key(|window| window.probes.is_some());
            windows.extend(next);
        }
        Ok(())
    }

    /// Reads the given transactions again, in batches.
    pub fn transactions_by_reference(&self, references: &[String]) -> Result<Vec<Read>, CcvError> {
        let mut all = Vec::with_capacity(references.len());
        for batch in references.chunks(assumptions::REFERENCES_PER_READ) {
            let query = [("references", Param::Text(batch.join(",")))];
            all.extend(self.list(&query)?);
        }
        Ok(all)
    }

    /// One list answer, with the time filters in the form CCV takes: a 400 to one form is
    /// asked once more in the other, and the form that worked is kept for every later
    /// request.
    fn list(&self, query: &[(&'static str, Param)]) -> Result<Vec<Read>, CcvError> {
        let form = self.time_form.get();
        let first = self.transactions(&Param::written(query, form));
        let has_time = query
            .iter()
            .any(|(_, value)| matches!(value, Param::Time(_)));
        let refusal = match first {
            Err(CcvError::Status { status: 400, body }) if has_time => body,
            other => return other,
        };
        match self.transactions(&Param::written(query, form.other())) {
            Ok(page) => {
                tracing::info!(
                    "CCV refused time filters as {}; it takes them as {}",
                    form.as_str(),
                    form.other().as_str()
                );
                self.time_form.set(form.other());
                Ok(page)
            }
            Err(CcvError::Status { status: 400, body }) => {
                let (epoch_ms, iso8601) = match form {
                    assumptions::TimeForm::EpochMillis => (refusal, body),
                    assumptions::TimeForm::Iso8601 => (body, refusal),
                };
                Err(CcvError::TimeFilterRefused { epoch_ms, iso8601 })
            }
            Err(other) => Err(other),
        }
    }

    /// One list answer, item by item: a transaction that cannot be read never costs the
    /// others.
    fn transactions(&self, query: &[(&str, String)]) -> Result<Vec<Read>, CcvError> {
        let answer = self.get("transaction", query)?;
        let items = assumptions::transactions_in(answer).ok_or_else(|| {
            CcvError::Malformed(
                "the transaction list is neither an array nor wraps exactly one".into(),
            )
        })?;
        Ok(items.into_iter().map(Transaction::read).collect())
    }

    fn get_with_retries(&self, path: &str, query: &[(&str, String)]) -> Result<Value, CcvError> {
        let url = self.api_root.join(path).expect("static CCV path");
        retry::with_retries(READ_ATTEMPTS, http::pause, || self.attempt(&url, query))
    }

    /// One request, and what it came to.
    fn attempt(&self, url: &Url, query: &[(&str, String)]) -> Attempt<Value, CcvError> {
        self.requests.set(self.requests.get() + 1);
        let result = Answer::fetch(
            self.http
                .get(url.clone())
                .query(query)
                .header(reqwest::header::AUTHORIZATION, &self.authorization)
                .header(reqwest::header::ACCEPT, "application/json"),
        );
        if let Some(date) = result.as_ref().ok().and_then(Answer::date) {
            self.server_date.set(Some(date));
        }
        let passing = match result {
            Ok(answer) if answer.is_success() => {
                return Attempt::Done(serde_json::from_str(&answer.body).map_err(|error| {
                    CcvError::Malformed(format!("{error} in `{}`", answer.snippet()))
                }));
            }
            Ok(answer) if answer.status == 401 => {
                return Attempt::Done(Err(CcvError::Unauthorized));
            }
            Ok(answer) if answer.status == 403 => {
                return Attempt::Done(Err(CcvError::Blocked(answer.snippet())));
            }
            Ok(answer) if answer.status == 429 => {
                // CCV documents no header for how long (docs/ccv-api.md §5); then back off.
                let wait = http::wait_from_headers(&answer).unwrap_or_else(|| http::backoff(2));
                tracing::debug!("CCV's rate limit is reached; waiting {wait:.1?}");
                return Attempt::Throttled {
                    error: CcvError::RateLimited(retry::THROTTLED_IN_A_ROW),
                    wait,
                };
            }
            Ok(answer) if answer.status >= 500 => CcvError::Status {
                status: answer.status,
                body: answer.snippet(),
            },
            Ok(answer) => {
                return Attempt::Done(Err(CcvError::Status {
                    status: answer.status,
                    body: answer.snippet(),
                }));
            }
            Err(http::NoAnswer::TooLarge(bytes)) => {
                return Attempt::Done(Err(CcvError::TooLarge(bytes)));
            }
            Err(http::NoAnswer::Transport(message)) => CcvError::Transport {
                url: url.to_string(),
                message,
            },
        };
        tracing::debug!("CCV read failed ({passing}); trying again");
        Attempt::Passing(passing)
    }
}
