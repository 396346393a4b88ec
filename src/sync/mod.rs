//! The job (architecture.md): fetch CCV payments, know the open posts, match, and book each
//! paid payment exactly once. Commands call [`run`]; everything here is testable against the
//! sandbox.

mod booking;
pub mod fetch;
pub mod matching;
pub mod posts;

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, TimeZone as _, Utc};

use crate::ccv::{CcvClient, CcvError, Transaction};
use crate::clock::Clock;
use crate::config::Settings;
use crate::error::user_error;
use crate::money::Cents;
use crate::moneybird::{Administration, MoneybirdClient, MoneybirdError};
use crate::store::{BookingState, Outcome, PaymentRow, Store, Tab};
pub use booking::payment_body;
use booking::{BookedThisRun, Decision, carry_out, decide, no_open_post_message};
use matching::{Evidence, Policy, PostIndex};

/// CCV filters on creation time and clocks drift: every fetch reaches this far behind the
/// newest transaction already seen.
const CURSOR_OVERLAP_MS: i64 = 15 * 60 * 1000;
/// `sync` re-reads pending payments this young; `recheck` re-reads all of them.
const RECENT_PENDING_DAYS: i64 = 14;

const META_CURSOR: &str = "ccv_cursor_ms";
const META_ADMINISTRATION: &str = "administration";

/// Error codes a later look can clear (contract.md, "Error codes in use").
pub const RETRYABLE: &[&str] = &[
    "no_open_post",
    "ambiguous_match",
    "amount_exceeds_open",
    "currency_mismatch",
    "invoice_not_open",
    "period_locked",
    "moneybird_rejected",
    "partial_payment",
];

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Pass {
    /// Hourly: new payments, and recent pending ones.
    #[default]
    Sync,
    /// Nightly: every payment fetched but not booked, including retryable errors.
    Recheck,
}

#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    pub pass: Pass,
    pub since: Option<NaiveDate>,
    pub dry_run: bool,
    /// Only these payments: re-read from CCV and processed again (`retry`).
    pub only: Option<Vec<i64>>,
}

#[derive(Clone, Debug)]
pub struct Line {
    pub id: i64,
    pub reference: String,
    pub amount: Cents,
    pub invoice: Option<String>,
    pub payment_date: Option<String>,
    pub error: Option<(String, String)>,
}

#[derive(Debug, Default)]
pub struct RunReport {
    pub new_payments: usize,
    pub booked: Vec<Line>,
    pub planned: Vec<Line>,
    pub new_errors: Vec<Line>,
    /// Why the run stopped booking before it was done, if it did.
    pub stopped_early: Option<String>,
    pub ccv_requests: u64,
    pub moneybird_requests: u64,
    pub throttled_answers: u64,
}

pub struct Job<'a> {
    pub store: &'a mut Store,
    pub ccv: &'a CcvClient,
    pub moneybird: &'a MoneybirdClient,
    pub settings: &'a Settings,
    pub clock: Clock,
    /// Shown on a terminal only; `ProgressBar::hidden()` for cron, tests and the benchmark.
    pub progress: indicatif::ProgressBar,
}

/// One pass of the job. In a dry run nothing is written to Moneybird and every local change
/// is rolled back at the end.
pub fn run(job: &mut Job<'_>, options: &RunOptions) -> anyhow::Result<RunReport> {
    if options.dry_run {
        job.store.begin_scratch()?;
        let result = run_pass(job, options);
        job.store.discard_scratch()?;
        return result;
    }
    run_pass(job, options)
}

fn run_pass(job: &mut Job<'_>, options: &RunOptions) -> anyhow::Result<RunReport> {
    let mut report = RunReport::default();
    let started = std::time::Instant::now();
    job.progress.set_message("fetching payments from CCV");
    match &options.only {
        None => fetch_from_ccv(job, options, &mut report)?,
        Some(ids) => read_again(job, ids)?,
    }
    tracing::debug!("fetched from CCV in {:.2?}", started.elapsed());
    settle_interrupted(job)?;
    let due = match &options.only {
        None => due_condition(options.pass),
        Some(ids) => {
            let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
            format!(
                "{} AND id IN ({})",
                due_condition(Pass::Recheck),
                ids.join(", ")
            )
        }
    };
    if job.store.any_where(&due)? {
        job.progress
            .set_message("reading the open posts from Moneybird");
        book_due(job, options, &due, &mut report)?;
    }
    job.progress.finish_and_clear();
    report.ccv_requests = job.ccv.requests_made();
    report.moneybird_requests = job.moneybird.requests_made();
    report.throttled_answers = job.moneybird.throttled_answers();
    Ok(report)
}

fn fetch_from_ccv(
    job: &mut Job<'_>,
    options: &RunOptions,
    report: &mut RunReport,
) -> anyhow::Result<()> {
    let now = job.clock.now();
    let cursor: Option<i64> = job
        .store
        .meta(META_CURSOR)?
        .and_then(|text| text.parse().ok());
    let first_window =
        now.timestamp_millis() - i64::from(job.settings.first_sync_days) * 86_400_000;
    let mut after = cursor.map_or(first_window, |cursor| cursor - CURSOR_OVERLAP_MS);
    if let Some(since) = options.since {
        after = after.min(start_of_day(since, job.settings.timezone).timestamp_millis() - 1);
    }
    let now_ms = now.timestamp_millis();
    let mut fetched: HashSet<String> = HashSet::new();
    let mut newest: Option<i64> = None;
    let store = &mut *job.store;
    job.ccv
        .transactions_created_after(after, |page: Vec<Transaction>| -> Result<(), FetchError> {
            for transaction in &page {
                fetched.insert(transaction.reference.clone());
                newest = newest.max(Some(transaction.created_ms));
            }
            let ingested = fetch::ingest(store, page, now_ms)?;
            report.new_payments += ingested.new_payments;
            Ok(())
        })
        .map_err(FetchError::into_anyhow)?;

    let recent_limit = now_ms - RECENT_PENDING_DAYS * 86_400_000;
    let condition = match options.pass {
        Pass::Recheck => "ccv_status NOT IN ('success', 'failed')".to_string(),
        // Payment links stay pending for up to two months; their child must find them.
        Pass::Sync => format!(
            "ccv_status NOT IN ('success', 'failed') AND (created_ms >= {recent_limit} \
             OR json_extract(raw_json, '$.method') = 'landingpage')"
        ),
    };
    let again: Vec<String> = job
        .store
        .payments_where(&condition)?
        .into_iter()
        .map(|row| row.reference)
        .filter(|reference| !fetched.contains(reference))
        .collect();
    if !again.is_empty() {
        let transactions = job
            .ccv
            .transactions_by_reference(&again)
            .map_err(ccv_failure)?;
        fetch::ingest(job.store, transactions, now_ms)?;
    }
    if let Some(newest) = newest
        && cursor.is_none_or(|cursor| newest > cursor)
    {
        job.store.set_meta(META_CURSOR, &newest.to_string())?;
    }
    Ok(())
}

/// A fetch fails at CCV (with a hint for the user) or locally.
enum FetchError {
    Ccv(CcvError),
    Local(anyhow::Error),
}

impl From<CcvError> for FetchError {
    fn from(error: CcvError) -> FetchError {
        FetchError::Ccv(error)
    }
}

impl From<anyhow::Error> for FetchError {
    fn from(error: anyhow::Error) -> FetchError {
        FetchError::Local(error)
    }
}

impl FetchError {
    fn into_anyhow(self) -> anyhow::Error {
        match self {
            FetchError::Ccv(error) => ccv_failure(error),
            FetchError::Local(error) => error,
        }
    }
}

/// Re-reads the given payments from CCV, for `retry`.
fn read_again(job: &mut Job<'_>, ids: &[i64]) -> anyhow::Result<()> {
    let mut references = Vec::new();
    for id in ids {
        if let Some(row) = job.store.payment(*id)? {
            references.extend(row.child_reference.clone());
            references.push(row.reference);
        }
    }
    let transactions = job
        .ccv
        .transactions_by_reference(&references)
        .map_err(ccv_failure)?;
    fetch::ingest(job.store, transactions, job.clock.now_ms())?;
    Ok(())
}

/// Why processing this payment again cannot help, if it cannot.
pub fn why_retry_cannot_help(row: &PaymentRow) -> Option<String> {
    match (row.tab, row.error_code.as_deref()) {
        (Tab::Rapportage, _) => Some(format!(
            "it is already booked{}",
            row.moneybird_payment_id
                .as_ref()
                .map(|id| format!(" as Moneybird payment {id} on invoice {}", row.invoice_label.as_deref().unwrap_or("?")))
                .unwrap_or_default()
        )),
        (Tab::Closed, _) => Some(format!("CCV reports it {}: it was never paid", row.ccv_status)),
        (Tab::Fouten, Some("already_booked")) => Some(
            "Moneybird already holds a payment with this transaction id that this tool did not make; \
             remove that payment in Moneybird if it is wrong, and the next recheck books this one"
                .to_string(),
        ),
        _ if row.booking == BookingState::Booking => Some(
            "its booking is being settled: the next sync reads the invoice to learn whether it arrived".to_string(),
        ),
        _ => None,
    }
}

/// What a person can do about an error code: the "Meer info" advice.
pub fn advice(code: &str) -> &'static str {
    match code {
        "no_open_post" => {
            "Make sure the invoice exists in Moneybird and is sent (not a draft), and that the CCV order reference or description names its invoice number or reference; then retry."
        }
        "ambiguous_match" => {
            "Several open invoices fit. Give the invoices distinct references, or book this payment by hand on the right one."
        }
        "amount_exceeds_open" => {
            "The customer paid more than is open. Correct the invoice in Moneybird, or book the difference by hand; then retry. A small difference can be allowed with booking.rounding_tolerance."
        }
        "currency_mismatch" => {
            "The payment and the invoice are in different currencies. Book it by hand in Moneybird."
        }
        "invoice_not_open" => {
            "The invoice is already paid, a draft, or uncollectible. If the customer paid twice, refund one payment in CCV; if the invoice was marked paid by mistake, reopen it and retry."
        }
        "period_locked" => {
            "The payment date lies in a period closed in Moneybird. Reopen the period (or book it by hand in an open one); then retry."
        }
        "already_booked" => {
            "Someone already registered this CCV payment in Moneybird by hand. Nothing is needed unless that booking is wrong; a retry cannot help."
        }
        "moneybird_rejected" => {
            "Moneybird refused the booking; its message says why. Fix the cause in Moneybird (e.g. the tussenrekening of this method), then retry."
        }
        "partial_payment" => {
            "The payment is less than the open amount, and partial payments are off (booking.allow_partial). Book it by hand, or allow partial payments and retry."
        }
        _ => "Look at the history and the last Moneybird answer below.",
    }
}

/// A payment left in `booking` means a run stopped between committing its intent and
/// learning the answer. The invoice tells whether the payment arrived; nothing is posted
/// again until it has been read.
fn settle_interrupted(job: &mut Job<'_>) -> anyhow::Result<()> {
    let now_ms = job.clock.now_ms();
    for row in job.store.payments_where("booking_state = 'booking'")? {
        let (Some(kind), Some(invoice_id)) = (row.invoice_kind, row.invoice_id.clone()) else {
            job.store.set_outcome(row.id, &open_outcome(), now_ms)?;
            continue;
        };
        let invoice = match job.moneybird.invoice(kind, &invoice_id) {
            Ok(invoice) => invoice,
            Err(MoneybirdError::Unauthorized(message)) => {
                return Err(reconnect_moneybird(&message));
            }
            Err(error) => {
                tracing::warn!("cannot settle {} yet: {error}", row.reference);
                continue;
            }
        };
        let found = invoice
            .as_ref()
            .and_then(|invoice| invoice.payment_with_identifier(&row.reference).cloned());
        let (outcome, event) = match found {
            Some(payment) => (
                Outcome {
                    tab: Tab::Rapportage,
                    booking: BookingState::Booked,
                    error: None,
                    invoice: row
                        .invoice_kind
                        .zip(row.invoice_id.clone())
                        .map(|(kind, id)| {
                            (kind, id, row.invoice_label.clone().unwrap_or_default())
                        }),
                    payment_date: row.payment_date.clone(),
                    moneybird_payment_id: Some(payment.id.clone()),
                    evidence_json: None,
                },
                format!(
                    "found booked in Moneybird (payment {}) after an interrupted run",
                    payment.id
                ),
            ),
            None => (
                open_outcome(),
                "not in Moneybird after an interrupted run; it will be matched and booked again"
                    .to_string(),
            ),
        };
        job.store.record(row.id, &outcome, now_ms, Some(&event))?;
    }
    Ok(())
}

fn open_outcome() -> Outcome {
    Outcome {
        tab: Tab::Open,
        booking: BookingState::None,
        error: None,
        invoice: None,
        payment_date: None,
        moneybird_payment_id: None,
        evidence_json: None,
    }
}

/// Which payments a pass books: paid and not booked, and for the nightly pass also those
/// whose error a new look may clear.
fn due_condition(pass: Pass) -> String {
    let retryable = RETRYABLE
        .iter()
        .map(|code| format!("'{code}'"))
        .collect::<Vec<_>>()
        .join(", ");
    match pass {
        Pass::Sync => {
            "ccv_status = 'success' AND booking_state = 'none' AND tab = 'open'".to_string()
        }
        Pass::Recheck => format!(
            "ccv_status = 'success' AND booking_state = 'none' AND \
             (tab = 'open' OR (tab = 'fouten' AND error_code IN ({retryable})))"
        ),
    }
}

/// Due payments are read this many at a time, so a backfill of any size stays small.
const DUE_CHUNK: usize = 1000;

fn book_due(
    job: &mut Job<'_>,
    options: &RunOptions,
    due: &str,
    report: &mut RunReport,
) -> anyhow::Result<()> {
    let today = job
        .clock
        .now()
        .with_timezone(&job.settings.timezone)
        .date_naive();
    let administration = match administration(job, today) {
        Ok(administration) => administration,
        Err(Stop(reason)) => {
            report.stopped_early = Some(reason);
            return Ok(());
        }
        Err(Fail(error)) => return Err(error),
    };
    let started = std::time::Instant::now();
    match posts::refresh(job.store, job.moneybird, today) {
        Ok(refreshed) => tracing::debug!(
            "open posts: {} fetched, {} no longer open, in {:.2?}",
            refreshed.fetched,
            refreshed.dropped,
            started.elapsed()
        ),
        Err(posts::RefreshError::Moneybird(error)) => match classify(error) {
            Stop(reason) => {
                report.stopped_early = Some(reason);
                return Ok(());
            }
            Fail(error) => return Err(error),
        },
        Err(posts::RefreshError::Store(error)) => return Err(error),
    }
    let started = std::time::Instant::now();
    let open_posts = job.store.open_posts()?;
    let index = PostIndex::new(&open_posts);
    tracing::debug!(
        "{} open posts loaded and indexed in {:.2?}",
        open_posts.len(),
        started.elapsed()
    );
    let policy = Policy {
        allow_partial: job.settings.allow_partial,
        rounding_tolerance: job.settings.rounding_tolerance,
        period_locked_until: administration.period_locked_until,
    };
    let mut booked_this_run = BookedThisRun::default();
    let mut unmatched = Vec::new();
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} {prefix}{msg} {pos}/{len} [{elapsed}]")
    {
        job.progress.set_style(style);
    }
    job.progress.set_length(job.store.count_where(due)?);
    job.progress.set_position(0);
    job.progress.set_message(if options.dry_run {
        "matching"
    } else {
        "booking"
    });
    let mut position = None;
    loop {
        let chunk = job.store.payments_after(due, position, DUE_CHUNK)?;
        let Some(last) = chunk.last() else { break };
        position = Some((last.created_ms, last.id));
        for row in chunk {
            job.progress.inc(1);
            let decision = decide(job.settings, &row, &index, &booked_this_run, &policy);
            if let Decision::NoCandidate = decision {
                unmatched.push(row);
                continue;
            }
            if let Some(reason) =
                carry_out(job, options, &row, decision, &mut booked_this_run, report)?
            {
                report.stopped_early = Some(reason);
                return Ok(());
            }
        }
    }
    if unmatched.is_empty() {
        return Ok(());
    }
    let oldest = unmatched
        .iter()
        .map(|row| row.created_ms)
        .min()
        .unwrap_or_default();
    let since = Utc
        .timestamp_millis_opt(oldest)
        .single()
        .unwrap_or_default()
        - chrono::Days::new(1);
    let paid = match posts::recently_paid(job.moneybird, today, since) {
        Ok(paid) => paid,
        Err(error) => match classify(error) {
            Stop(reason) => {
                report.stopped_early = Some(reason);
                return Ok(());
            }
            Fail(error) => return Err(error),
        },
    };
    let paid_index = PostIndex::new(&paid);
    for row in unmatched {
        let decision = match decide(job.settings, &row, &paid_index, &booked_this_run, &policy) {
            Decision::NoCandidate => Decision::Refuse {
                code: "no_open_post",
                message: no_open_post_message(&row),
                post: None,
                evidence: Evidence::default(),
            },
            // Only an open post may be booked on; a paid one explains the refusal.
            Decision::Book { post, evidence } => Decision::Refuse {
                code: "invoice_not_open",
                message: format!(
                    "invoice {} is {} and takes no payment",
                    post.label(),
                    post.state
                ),
                post: Some(post),
                evidence,
            },
            other => other,
        };
        if let Some(reason) = carry_out(job, options, &row, decision, &mut booked_this_run, report)?
        {
            report.stopped_early = Some(reason);
            return Ok(());
        }
    }
    Ok(())
}

/// The calendar day, in the booking time zone, on which CCV reports the payment paid.
pub fn booking_date(row: &PaymentRow, timezone: chrono_tz::Tz) -> NaiveDate {
    let paid_ms = row.paid_ms.unwrap_or(row.created_ms);
    Utc.timestamp_millis_opt(paid_ms)
        .single()
        .unwrap_or_default()
        .with_timezone(&timezone)
        .date_naive()
}

pub fn start_of_day(day: NaiveDate, timezone: chrono_tz::Tz) -> DateTime<Utc> {
    timezone
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight exists"))
        .earliest()
        .map_or_else(
            || day.and_hms_opt(0, 0, 0).unwrap().and_utc(),
            |at| at.with_timezone(&Utc),
        )
}

enum Halt {
    /// Stop booking for now; what is left stays `open` for the next run.
    Stop(String),
    Fail(anyhow::Error),
}
use Halt::{Fail, Stop};

fn classify(error: MoneybirdError) -> Halt {
    match error {
        MoneybirdError::RateLimited(_) => Stop(error.to_string()),
        MoneybirdError::Unauthorized(message) => Fail(reconnect_moneybird(&message)),
        other => {
            Fail(anyhow::Error::new(other).context("cannot read the open posts from Moneybird"))
        }
    }
}

/// The administration, read at most once a day: its locked period changes rarely, and
/// requests are scarce.
fn administration(job: &mut Job<'_>, today: NaiveDate) -> Result<Administration, Halt> {
    let wanted = job.settings.administration_id().map_err(Fail)?.to_string();
    let cached: Option<(String, Administration)> = job
        .store
        .meta(META_ADMINISTRATION)
        .map_err(Fail)?
        .and_then(|text| serde_json::from_str(&text).ok());
    if let Some((day, administration)) = cached
        && day == today.to_string()
        && administration.id == wanted
    {
        return Ok(administration);
    }
    let all = job.moneybird.administrations().map_err(classify)?;
    let Some(found) = all
        .into_iter()
        .find(|administration| administration.id == wanted)
    else {
        return Err(Fail(user_error(
            format!("the Moneybird token has no access to administration {wanted}"),
            "check `administration_id` under [moneybird], or run `ccv-moneybird connect moneybird` again",
        )));
    };
    let text =
        serde_json::to_string(&(today.to_string(), &found)).map_err(|error| Fail(error.into()))?;
    job.store
        .set_meta(META_ADMINISTRATION, &text)
        .map_err(Fail)?;
    Ok(found)
}

fn reconnect_moneybird(message: &str) -> anyhow::Error {
    user_error(
        format!("Moneybird refused the token: {message}"),
        "run `ccv-moneybird connect moneybird` again (or check MONEYBIRD_TOKEN); nothing was lost",
    )
}

pub fn ccv_failure(error: CcvError) -> anyhow::Error {
    match error {
        CcvError::Unauthorized => user_error(
            "CCV refused the API key (401)",
            "run `ccv-moneybird connect ccv` again with a valid key (or check CCV_API_KEY)",
        ),
        CcvError::Blocked(body) => user_error(
            format!("CCV blocked the request (403): {body}"),
            "CCV blocks unknown IP addresses; ask CCV support to allow this machine",
        ),
        other => anyhow::Error::new(other).context("cannot fetch payments from CCV"),
    }
}
