//! The CCV Online Payments client: read-only, Basic auth with the API key as user name.

pub mod model;

use std::cell::{Cell, RefCell};
use std::collections::HashSet;

use base64::Engine as _;
use serde_json::Value;
use url::Url;

use crate::http::{self, Answer, Health};
use crate::retry::{self, Attempt};
pub use model::{Payout, Read, Status, Transaction, Unreadable};

/// What CCV's reference leaves open (ccv-api.md, "Unknowns" 1–3), decided in one place.
/// The client is written so that either answer works.
pub(crate) mod assumptions {
    use serde_json::Value;

    /// Unknown 2: the format of `createdAfter`/`createdBefore`. `created` itself is epoch
    /// milliseconds, so the filters are assumed to take the same.
    pub fn time_filter(epoch_ms: i64) -> String {
        epoch_ms.to_string()
    }

    /// Unknown 3: a list answer may be a bare array or an object wrapping one (under any
    /// key); a single read answers with the transaction object itself.
    pub fn transactions_in(answer: Value) -> Option<Vec<Value>> {
        match answer {
            Value::Array(items) => Some(items),
            Value::Object(object) if object.contains_key("reference") => {
                Some(vec![Value::Object(object)])
            }
            Value::Object(object) => object.into_iter().find_map(|(_, value)| match value {
                Value::Array(items) => Some(items),
                _ => None,
            }),
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
    Status { status: u16, body: String },
    Transport { url: String, message: String },
    Malformed(String),
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

/// A creation-time window still to be listed.
struct Window {
    after: i64,
    before: Option<i64>,
    /// Set when this request tests whether answers in that order can be trusted.
    probes: Option<usize>,
}

pub struct CcvClient {
    http: reqwest::blocking::Client,
    api_root: Url,
    authorization: String,
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
            requests: Cell::new(0),
            health: RefCell::new(None),
            server_date: Cell::new(None),
        }
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
            Err(error @ CcvError::Unauthorized) => Health::Refused(error.words()),
            Err(error) => Health::Failing(error.words()),
        };
        self.health.replace(Some(health));
        result
    }

    /// The payment methods this key may use; cheap, so it doubles as the key check.
    pub fn payment_methods(&self) -> Result<Vec<String>, CcvError> {
        let answer = self.get("method", &[])?;
        let items = answer
            .as_array()
            .ok_or_else(|| CcvError::Malformed("the method list is not an array".into()))?;
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
        filter: &[(&str, String)],
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
            let mut query = vec![("createdAfter", assumptions::time_filter(window.after))];
            if let Some(before) = window.before {
                query.push(("createdBefore", assumptions::time_filter(before)));
            }
            query.extend(filter.iter().cloned());
            let page = self.transactions(&query)?;
            let created: Vec<i64> = page.iter().filter_map(model::created_of).collect();
            let new: Vec<Read> = page
                .into_iter()
                .filter(|read| seen.insert(model::identity_of(read)))
                .collect();
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
            let query = [("references", batch.join(","))];
            all.extend(self.transactions(&query)?);
        }
        Ok(all)
    }

    /// One list answer, item by item: a transaction that cannot be read never costs the
    /// others.
    fn transactions(&self, query: &[(&str, String)]) -> Result<Vec<Read>, CcvError> {
        let answer = self.get("transaction", query)?;
        let items = assumptions::transactions_in(answer).ok_or_else(|| {
            CcvError::Malformed("the transaction list is neither an array nor wraps one".into())
        })?;
        Ok(items.into_iter().map(Transaction::read).collect())
    }

    fn get_with_retries(&self, path: &str, query: &[(&str, String)]) -> Result<Value, CcvError> {
        let url = self.api_root.join(path).expect("static CCV path");
        retry::with_retries(
            READ_ATTEMPTS,
            |failed| std::thread::sleep(http::backoff(failed)),
            || self.attempt(&url, query),
        )
    }

    /// One request, and what it came to.
    fn attempt(&self, url: &Url, query: &[(&str, String)]) -> Attempt<Value, CcvError> {
        self.requests.set(self.requests.get() + 1);
        let result = self
            .http
            .get(url.clone())
            .query(query)
            .header(reqwest::header::AUTHORIZATION, &self.authorization)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .and_then(Answer::read);
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
            Ok(answer) if answer.status == 429 || answer.status >= 500 => CcvError::Status {
                status: answer.status,
                body: answer.snippet(),
            },
            Ok(answer) => {
                return Attempt::Done(Err(CcvError::Status {
                    status: answer.status,
                    body: answer.snippet(),
                }));
            }
            Err(error) => CcvError::Transport {
                url: url.to_string(),
                message: error.to_string(),
            },
        };
        tracing::debug!("CCV read failed ({passing}); trying again");
        Attempt::Passing(passing)
    }
}
