//! The job (architecture.md): fetch CCV payments, know the open posts, match, and book each
//! paid payment exactly once. Commands call [`run`]; everything here is testable against the
//! sandbox.

mod audit;
mod booking;
pub mod fetch;
pub mod ledgers;
pub mod matching;
pub mod payouts;
pub mod posts;
pub mod undo;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, TimeZone as _, Utc};

use crate::ccv::assumptions::TimeForm;
use crate::ccv::{CcvClient, CcvError, Param, Read};
use crate::clock::Clock;
use crate::codes::ErrorCode;
use crate::config::{Settings, Shop};
use crate::domain::{Failure, InvoiceRef, Outcome, Payment};
use crate::error::user_error;
use crate::money::Cents;
use crate::moneybird::{
    Administration, Invoice, InvoiceKind, MoneybirdClient, MoneybirdError, SYNC_BATCH,
};
use crate::store::{Due, Reread, Store};
pub use booking::payment_body;
use booking::{BookedThisRun, Decision, Lookup, carry_out, decide, no_open_post_message};
use matching::{Evidence, Policy, PostIndex};

/// CCV filters on creation time and clocks drift: every fetch reaches this far behind the
/// newest transaction already seen.
const CURSOR_OVERLAP_MS: i64 = 15 * 60 * 1000;
/// `sync` re-reads pending payments this young; `recheck` re-reads all of them.
const RECENT_PENDING_DAYS: i64 = 14;

const META_CURSOR: &str = "ccv_cursor_ms";
/// The form of time filter CCV took last (ccv-api.md, Unknown 2); `doctor` shows it.
pub const META_TIME_FORM: &str = "ccv_time_filter";
const DAY_MS: i64 = 86_400_000;
/// How far back the nightly recheck looks for payouts of booked payments at most.
const PAYOUT_LOOK_BACK_DAYS: i64 = 120;
const META_ADMINISTRATION: &str = "administration";

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
    /// The open post a person named for the payment in `only` (`retry --invoice`).
    pub invoice: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Line {
    pub id: i64,
    pub reference: String,
    pub amount: Cents,
    /// CCV's amount as it came, when it could not be read.
    pub amount_as_sent: Option<String>,
    pub currency: String,
    pub invoice: Option<String>,
    pub payment_date: Option<String>,
    pub error: Option<Failure>,
}

impl Line {
    /// In its own currency, or as CCV sent it when that could not be read.
    pub fn shown_amount(&self) -> String {
        crate::view::amount_text(self.amount, &self.currency, self.amount_as_sent.as_deref())
    }

    /// A payment that newly landed in Fouten after its booking: as it was booked.
    fn booked_then_failed(row: &Payment, code: ErrorCode, words: crate::i18n::Message) -> Line {
        Line {
            id: row.id,
            reference: row.facts.reference.clone(),
            amount: row.facts.amount,
            amount_as_sent: row.facts.amount_as_sent.clone(),
            currency: row.facts.currency.clone(),
            invoice: row.invoice_label.clone(),
            payment_date: row.payment_date.clone(),
            error: Some(Failure { code, words }),
        }
    }
}

#[derive(Debug, Default)]
pub struct RunReport {
    pub new_payments: usize,
    pub booked: Vec<Line>,
    pub planned: Vec<Line>,
    pub new_errors: Vec<Line>,
    /// What each payment looked at came to, by outcome (`book`, `already_in_moneybird`, or
    /// an error code) and currency: how many, and how much. A dry run prints these as its
    /// totals, never adding two currencies.
    pub outcomes: BTreeMap<(String, String), (usize, Cents)>,
    /// Records that could not be read and were left out, each named.
    pub skipped_records: Vec<String>,
    /// The invoice a person named that is no open post (`retry --invoice`).
    pub unknown_invoice: Option<String>,
    /// Refunds, chargebacks and reversals newly seen, or seen in a new status.
    pub changes: usize,
    /// Shops whose CCV could not be read this run (with several shops only).
    pub shop_failures: Vec<ShopFailure>,
    /// On the very first fetch: the day it looked back to (`first_sync_days`).
    pub first_window: Option<NaiveDate>,
    /// Payouts that newly need a person this run: reference, and why.
    pub payouts_needing_a_look: Vec<(String, crate::i18n::Message)>,
    /// Why the run stopped booking before it was done, if it did.
    pub stopped_early: Option<crate::i18n::Message>,
    pub ccv_requests: u64,
    /// Of those, the ones that looked for payouts.
    pub payout_ccv_requests: u64,
    pub moneybird_requests: u64,
    pub throttled_answers: u64,
}

impl RunReport {
    fn count(&mut self, outcome: &str, row: &Payment) {
        self.count_amount(outcome, row.facts.amount, &row.facts.currency);
    }

    fn count_amount(&mut self, outcome: &str, amount: Cents, currency: &str) {
        let entry = self
            .outcomes
            .entry((outcome.to_string(), currency.to_string()))
            .or_default();
        entry.0 += 1;
        entry.1 = entry.1.checked_add(amount).unwrap_or(entry.1);
    }
}

/// One CCV account and the client that reads it with its key.
pub struct ShopClient {
    pub shop: Shop,
    pub client: CcvClient,
}

/// A shop whose CCV answers could not be had this run, while the others went on.
#[derive(Clone, Debug)]
pub struct ShopFailure {
    pub shop: String,
    pub error: String,
    pub hint: Option<String>,
}

pub struct Job<'a> {
    pub store: &'a mut Store,
    /// One per shop that has a key: the single `[ccv]` shop, or each `[[ccv.shops]]` entry.
    pub ccv: &'a [ShopClient],
    pub moneybird: &'a MoneybirdClient,
    pub settings: &'a Settings,
    pub clock: Clock,
    /// Shown on a terminal only; `ProgressBar::hidden()` for cron, tests and the benchmark.
    pub progress: indicatif::ProgressBar,
}

/// How a pass ends before it is done: the one way to stop, passed up with `?`.
pub(crate) enum Halt {
    /// Stop booking for now; what is left stays as it is for the next run.
    Stop(crate::i18n::Message),
    Fail(anyhow::Error),
}

impl From<anyhow::Error> for Halt {
    fn from(error: anyhow::Error) -> Halt {
        Halt::Fail(error)
    }
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
    match pass(job, options, &mut report) {
        Ok(()) => {}
        Err(Halt::Stop(reason)) => report.stopped_early = Some(reason),
        Err(Halt::Fail(error)) => return Err(error),
    }
    job.progress.finish_and_clear();
    report.skipped_records.extend(
        job.moneybird
            .take_skipped()
            .into_iter()
            .map(|what| t!("skipped-moneybird", what = what)),
    );
    report.ccv_requests = job.ccv.iter().map(|ccv| ccv.client.requests_made()).sum();
    report.moneybird_requests = job.moneybird.requests_made();
    report.throttled_answers = job.moneybird.throttled_answers();
    Ok(report)
}

fn pass(job: &mut Job<'_>, options: &RunOptions, report: &mut RunReport) -> Result<(), Halt> {
    let started = std::time::Instant::now();
    job.progress.set_message(t!("progress-fetching"));
    match &options.only {
        None => fetch_from_ccv(job, options, report)?,
        Some(ids) => read_again(job, ids, report)?,
    }
    tracing::debug!("fetched from CCV in {:.2?}", started.elapsed());
    settle_interrupted(job)?;
    if options.pass == Pass::Recheck && options.only.is_none() {
        // Nightly, before anything is booked: what this tool booked, is it still there?
        let today = job
            .clock
            .now()
            .with_timezone(&job.settings.timezone)
            .date_naive();
        audit::audit(job, today, report)?;
    }
    let due = match &options.only {
        None if options.pass == Pass::Sync => Due::New,
        None => Due::Recheck,
        Some(ids) => Due::Only(ids),
    };
    if job.store.any_due(due)? {
        job.progress.set_message(t!("progress-open-posts"));
        book_due(job, options, due, report)?;
    }
    raise_changes(job, report)?;
    // A dry run writes nothing to Moneybird: no links either.
    if let Some(section) = job.settings.payouts.clone()
        && !options.dry_run
    {
        let today = job
            .clock
            .now()
            .with_timezone(&job.settings.timezone)
            .date_naive();
        payouts::link(job, &section, today, &mut report.payouts_needing_a_look)?;
    }
    Ok(())
}

fn note_ingested(ingested: fetch::Ingested, report: &mut RunReport) {
    report.new_payments += ingested.new_payments;
    for (id, message, facts) in ingested.new_unreadable {
        report.count_amount(
            ErrorCode::Unreadable.as_str(),
            facts.amount,
            &facts.currency,
        );
        report.new_errors.push(Line {
            id,
            reference: facts.reference,
            amount: facts.amount,
            amount_as_sent: facts.amount_as_sent,
            currency: facts.currency,
            invoice: None,
            payment_date: None,
            error: Some(Failure {
                code: ErrorCode::Unreadable,
                words: message,
            }),
        });
    }
    report.skipped_records.extend(
        ingested
            .nameless
            .into_iter()
            .map(|what| t!("skipped-ccv-nameless", what = what)),
    );
    report.changes += ingested.changes;
}

/// Booked payments with money taken back since: `changed_after_booking`, and in the summary.
fn raise_changes(job: &mut Job<'_>, report: &mut RunReport) -> Result<(), Halt> {
    for (row, words) in fetch::raise_changes(job.store, job.clock.now_ms())? {
        report.count(ErrorCode::ChangedAfterBooking.as_str(), &row);
        report.new_errors.push(Line::booked_then_failed(
            &row,
            ErrorCode::ChangedAfterBooking,
            words,
        ));
    }
    Ok(())
}

/// Every shop in turn, each through its own key and with its own cursor. With several
/// shops, one that fails (a refused key, no answer) is named in the report and the others
/// go on; a single shop's failure stops the run as before.
fn fetch_from_ccv(
    job: &mut Job<'_>,
    options: &RunOptions,
    report: &mut RunReport,
) -> Result<(), Halt> {
    let several = job.settings.shops.len() > 1;
    for shop in job.settings.shops.clone() {
        let client = job.ccv.iter().find(|client| client.shop == shop);
        let fetched = match client {
            Some(client) => fetch_shop(job, client, options, report),
            None => Err(Halt::Fail(crate::credentials::missing_key(&shop))),
        };
        match (fetched, &shop.name) {
            (Err(Halt::Fail(error)), Some(name)) if several => {
                report.shop_failures.push(ShopFailure {
                    shop: name.clone(),
                    error: format!("{error:#}"),
                    hint: crate::error::hint_of(&error),
                });
            }
            (result, _) => result?,
        }
    }
    Ok(())
}

/// What the cursor of a shop is kept under.
fn cursor_key(shop: &Shop) -> String {
    match &shop.name {
        None => META_CURSOR.to_string(),
        Some(name) => format!("{META_CURSOR}:{name}"),
    }
}

fn fetch_shop(
    job: &mut Job<'_>,
    ccv: &ShopClient,
    options: &RunOptions,
    report: &mut RunReport,
) -> Result<(), Halt> {
    let shop = ccv.shop.name.as_deref();
    let now = job.clock.now();
    let cursor: Option<i64> = job
        .store
        .meta(&cursor_key(&ccv.shop))?
        .and_then(|text| text.parse().ok());
    let first_window =
        now.timestamp_millis() - i64::from(job.settings.first_sync_days) * 86_400_000;
    let mut after = cursor.map_or(first_window, |cursor| cursor - CURSOR_OVERLAP_MS);
    if cursor.is_none() && options.since.is_none() {
        report.first_window = chrono::DateTime::from_timestamp_millis(first_window)
            .map(|at| at.with_timezone(&job.settings.timezone).date_naive());
    }
    if let Some(since) = options.since {
        after = after.min(start_of_day(since, job.settings.timezone).timestamp_millis() - 1);
    }
    let now_ms = now.timestamp_millis();
    if let Some(form) = job
        .store
        .meta(META_TIME_FORM)?
        .as_deref()
        .and_then(TimeForm::parse)
    {
        ccv.client.use_time_form(form);
    }
    let mut fetched: HashSet<String> = HashSet::new();
    let mut newest: Option<i64> = None;
    let store = &mut *job.store;
    let listed =
        ccv.client
            .transactions_created_after(after, |page: Vec<Read>| -> Result<(), FetchError> {
                fetched.extend(page.iter().flatten().map(|read| read.reference.clone()));
                let ingested = fetch::ingest(store, page, shop, now_ms)?;
                newest = newest.max(ingested.newest_created);
                note_ingested(ingested, report);
                Ok(())
            });
    remember_time_form(job.store, &ccv.client)?;
    listed.map_err(|error| error.into_anyhow(&ccv.shop))?;

    let which = match options.pass {
        Pass::Recheck => Reread::All,
        Pass::Sync => Reread::Recent {
            since_ms: now_ms - RECENT_PENDING_DAYS * 86_400_000,
        },
    };
    // Pending payments, and refunds still pending at CCV: either may have moved since.
    let again: Vec<String> = job
        .store
        .to_reread(which)?
        .into_iter()
        .filter(|row| row.shop.as_deref() == shop)
        .map(|row| row.facts.reference)
        .chain(job.store.unsettled_change_references(shop)?)
        .filter(|reference| !fetched.contains(reference))
        .collect();
    if !again.is_empty() {
        let transactions = ccv
            .client
            .transactions_by_reference(&again)
            .map_err(|error| shop_failure(&ccv.shop, error))?;
        let ingested = fetch::ingest(job.store, transactions, shop, now_ms)?;
        note_ingested(ingested, report);
    }
    // Never past the run's own clock: a transaction CCV dates ahead of it must not hide
    // the payments made in between. A first run that found nothing keeps its window's
    // start, so the next one is no first run again.
    let newest = newest.or_else(|| cursor.is_none().then_some(after));
    if let Some(newest) = newest.map(|newest| newest.min(now_ms))
        && cursor.is_none_or(|cursor| newest > cursor)
    {
        job.store
            .set_meta(&cursor_key(&ccv.shop), &newest.to_string())?;
    }
    if job.settings.payouts.is_some() {
        fetch_payouts(job, ccv, options.pass, report)?;
    }
    Ok(())
}

/// Keeps the form of time filter CCV took, so the next run asks in it at once.
fn remember_time_form(store: &Store, client: &CcvClient) -> anyhow::Result<()> {
    let form = client.time_form().as_str();
    if store.meta(META_TIME_FORM)?.as_deref() != Some(form) {
        store.set_meta(META_TIME_FORM, form)?;
    }
    Ok(())
}

/// Which transactions CCV paid out since the last run (a day of overlap), created in the
/// four months before: a payment's money leaves CCV within days, a bank transfer's weeks.
///
/// CCV may flag a payment as paid out days after the payout's date (a weekend, a bank
/// holiday), and what `paidoutAfter` compares is not documented (ccv-api.md, Unknown 1):
/// the nightly recheck therefore reaches back to the oldest booked payment still without
/// a payout, at most [`PAYOUT_LOOK_BACK_DAYS`].
fn fetch_payouts(
    job: &mut Job<'_>,
    ccv: &ShopClient,
    pass: Pass,
    report: &mut RunReport,
) -> Result<(), Halt> {
    let shop = ccv.shop.name.as_deref();
    let key = format!("payout_{}", cursor_key(&ccv.shop));
    let now_ms = job.clock.now_ms();
    let mut since = job
        .store
        .meta(&key)?
        .and_then(|text| text.parse::<i64>().ok())
        .map_or(now_ms - 30 * DAY_MS, |last| last - DAY_MS);
    let mut created_after = since - 120 * DAY_MS;
    if pass == Pass::Recheck
        && let Some(oldest) = job
            .store
            .oldest_booked_without_payout(shop, now_ms - PAYOUT_LOOK_BACK_DAYS * DAY_MS)?
    {
        // A payout is dated on or after the day its payments were made; two days of margin
        // for a date written as a day rather than a moment.
        since = since.min(oldest - 2 * DAY_MS);
        created_after = created_after.min(oldest - 1);
    }
    let filter = [
        ("paidout", Param::Text("yes".into())),
        ("paidoutAfter", Param::Time(since)),
    ];
    let requests_before = ccv.client.requests_made();
    let store = &mut *job.store;
    let listed = ccv.client.transactions_created_after_where(
        created_after,
        &filter,
        |page: Vec<Read>| -> Result<(), FetchError> {
            let ingested = fetch::ingest_known(store, page, shop, now_ms)?;
            note_ingested(ingested, report);
            Ok(())
        },
    );
    report.payout_ccv_requests += ccv.client.requests_made() - requests_before;
    remember_time_form(job.store, &ccv.client)?;
    listed.map_err(|error| error.into_anyhow(&ccv.shop))?;
    job.store.set_meta(&key, &now_ms.to_string())?;
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
    fn into_anyhow(self, shop: &Shop) -> anyhow::Error {
        match self {
            FetchError::Ccv(error) => shop_failure(shop, error),
            FetchError::Local(error) => error,
        }
    }
}

/// Re-reads the given payments from CCV, for `retry`: each through its own shop's key.
fn read_again(job: &mut Job<'_>, ids: &[i64], report: &mut RunReport) -> Result<(), Halt> {
    let mut by_shop: BTreeMap<Option<String>, Vec<String>> = BTreeMap::new();
    for id in ids {
        if let Some(row) = job.store.payment(*id)? {
            let references = by_shop.entry(row.shop.clone()).or_default();
            references.extend(row.facts.child_reference.clone());
            references.push(row.facts.reference);
        }
    }
    for (shop, references) in by_shop {
        let Some(ccv) = job.ccv.iter().find(|client| client.shop.name == shop) else {
            let missing = job.settings.shops.iter().find(|known| known.name == shop);
            return Err(Halt::Fail(match missing {
                Some(known) => crate::credentials::missing_key(known),
                None => anyhow::anyhow!(t!("shop-not-configured", shop = shop.unwrap_or_default())),
            }));
        };
        let transactions = ccv
            .client
            .transactions_by_reference(&references)
            .map_err(|error| shop_failure(&ccv.shop, error))?;
        let ingested = fetch::ingest(job.store, transactions, shop.as_deref(), job.clock.now_ms())?;
        note_ingested(ingested, report);
    }
    Ok(())
}

/// A payment left in `booking` means a run stopped between committing its intent and
/// learning the answer. The invoice tells whether the payment arrived; nothing is posted
/// again until it has been read.
fn settle_interrupted(job: &mut Job<'_>) -> Result<(), Halt> {
    for row in job.store.interrupted()? {
        let (Some(kind), Some(invoice_id)) = (row.invoice_kind, row.invoice_id.clone()) else {
            job.store
                .set_outcome(row.id, &Outcome::open(), job.clock.now_ms())?;
            continue;
        };
        let invoice = match job.moneybird.invoice(kind, &invoice_id) {
            Ok(invoice) => invoice,
            Err(MoneybirdError::Unauthorized(message)) => {
                return Err(Halt::Fail(reconnect_moneybird(&message)));
            }
            Err(error) => {
                // It stays in `booking` and is settled by the next run; nothing to do.
                tracing::info!("cannot settle {} yet: {error}", row.facts.reference);
                continue;
            }
        };
        settle_one(job, &row, kind, invoice_id, invoice.as_ref())?;
    }
    Ok(())
}

fn settle_one(
    job: &mut Job<'_>,
    row: &Payment,
    kind: InvoiceKind,
    invoice_id: String,
    invoice: Option<&Invoice>,
) -> Result<(), Halt> {
    let now_ms = job.clock.now_ms();
    let found = invoice.and_then(|invoice| invoice.payment_with_identifier(&row.facts.reference));
    let (Some(invoice), Some(payment)) = (invoice, found) else {
        job.store.record(
            row.id,
            &Outcome::open(),
            now_ms,
            Some(&msg!("event-interrupted-not-there")),
        )?;
        return Ok(());
    };
    let date = row
        .payment_date
        .clone()
        .unwrap_or_else(|| row.booking_date(job.settings.timezone).to_string());
    if let Some(rounding) = row.rounding
        && invoice
            .rounding_with_identifier(&row.facts.reference)
            .is_none()
        && invoice.is_open()
        && invoice.total_unpaid == rounding
    {
        // The booking arrived and the rounding payment did not: finish what was begun,
        // now that the invoice has been read.
        booking::close_with_rounding(job, row, invoice, &date, rounding)?;
    }
    let label = row.invoice_label.clone().unwrap_or_else(|| invoice.label());
    let outcome = Outcome {
        booked: row.booked,
        rounding: row.rounding,
        ..Outcome::booked(
            InvoiceRef {
                kind,
                id: invoice_id,
                label,
            },
            date,
            payment.id.clone(),
        )
    };
    job.store.record(
        row.id,
        &outcome,
        now_ms,
        Some(&msg!("event-interrupted-found", payment = &payment.id)),
    )?;
    Ok(())
}

/// Due payments are read this many at a time, so a backfill of any size stays small.
const DUE_CHUNK: usize = 1000;

fn book_due(
    job: &mut Job<'_>,
    options: &RunOptions,
    due: Due<'_>,
    report: &mut RunReport,
) -> Result<(), Halt> {
    let today = job
        .clock
        .now()
        .with_timezone(&job.settings.timezone)
        .date_naive();
    let administration = administration(job, today)?;
    // A person retrying one payment may just have fixed the account in Moneybird.
    let unusable_ledgers = ledgers::unusable(job, today, options.only.is_some())?;
    refresh_open_posts(job, today)?;
    let open_posts = job.store.open_posts()?;
    let open = PostIndex::new(&open_posts);
    let earlier_posts = earlier_candidates(job, due, &open)?;
    let earlier = PostIndex::new(&earlier_posts);
    let claimed = job.store.claimed_payment_ids()?;
    let policy = Policy {
        allow_partial: job.settings.allow_partial,
        rounding_tolerance: job.settings.rounding_tolerance,
        period_locked_until: administration.period_locked_until,
    };
    let lookup = Lookup {
        open: &open,
        earlier: &earlier,
        claimed: &claimed,
        unusable_ledgers: &unusable_ledgers,
        policy: &policy,
    };
    let mut booked_this_run = BookedThisRun::default();
    show_progress(job, due, options.dry_run)?;
    let mut unmatched = Vec::new();
    let mut position = None;
    loop {
        let chunk = job.store.due(due, position, DUE_CHUNK)?;
        let Some(last) = chunk.last() else { break };
        position = Some((last.facts.created_ms, last.id));
        for row in chunk {
            job.progress.inc(1);
            let chosen = options.invoice.as_deref();
            match decide(job.settings, &row, &lookup, &booked_this_run, chosen) {
                Decision::NoCandidate => unmatched.push(row),
                decision => carry_out(job, options, &row, decision, &mut booked_this_run, report)?,
            }
        }
    }
    if unmatched.is_empty() {
        return Ok(());
    }
    // Payments that fit no open post: an invoice paid since may hold them, or say why not.
    let paid = recently_paid(job, today, &unmatched)?;
    let paid_index = PostIndex::new(&paid);
    let lookup = Lookup {
        open: &paid_index,
        ..lookup
    };
    for row in unmatched {
        let decision = match decide(job.settings, &row, &lookup, &booked_this_run, None) {
            Decision::NoCandidate => Decision::Refuse {
                code: ErrorCode::NoOpenPost,
                message: no_open_post_message(&row),
                post: None,
                evidence: Evidence::of_row(row.evidence_json.as_deref()),
            },
            // Only an open post may be booked on; a paid one explains the refusal.
            Decision::Book { post, evidence, .. } => Decision::Refuse {
                code: ErrorCode::InvoiceNotOpen,
                message: msg!(
                    "refused-not-open",
                    invoice = post.label(),
                    state = matching::invoice_state(&post.state)
                ),
                post: Some(post),
                evidence,
            },
            other => other,
        };
        carry_out(job, options, &row, decision, &mut booked_this_run, report)?;
    }
    Ok(())
}

fn refresh_open_posts(job: &mut Job<'_>, today: NaiveDate) -> Result<(), Halt> {
    let started = std::time::Instant::now();
    let refreshed =
        posts::refresh(job.store, job.moneybird, today).map_err(|error| match error {
            posts::RefreshError::Moneybird(error) => classify(error),
            posts::RefreshError::Store(error) => Halt::Fail(error),
        })?;
    tracing::debug!(
        "open posts: {} fetched, {} no longer open, in {:.2?}",
        refreshed.fetched,
        refreshed.dropped,
        started.elapsed()
    );
    Ok(())
}

fn show_progress(job: &mut Job<'_>, due: Due<'_>, dry_run: bool) -> Result<(), Halt> {
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} {prefix}{msg} {pos}/{len} [{elapsed}]")
    {
        job.progress.set_style(style);
    }
    job.progress.set_length(job.store.count_due(due)?);
    job.progress.set_position(0);
    job.progress.set_message(if dry_run {
        t!("progress-matching")
    } else {
        t!("progress-booking")
    });
    Ok(())
}

/// The invoices paid since the oldest of these payments came in.
fn recently_paid(
    job: &mut Job<'_>,
    today: NaiveDate,
    unmatched: &[Payment],
) -> Result<Vec<Invoice>, Halt> {
    let oldest = unmatched
        .iter()
        .map(|row| row.facts.created_ms)
        .min()
        .unwrap_or_default();
    let since = Utc
        .timestamp_millis_opt(oldest)
        .single()
        .unwrap_or_default()
        - chrono::Days::new(1);
    posts::recently_paid(job.moneybird, today, since).map_err(classify)
}

/// Fresh copies of the invoices that earlier looks at the due payments named as
/// candidates and that have left the open posts since: read in bulk, at most 100 a
/// request, and only for payments that were refused before.
fn earlier_candidates(
    job: &mut Job<'_>,
    due: Due<'_>,
    open: &PostIndex<'_>,
) -> Result<Vec<Invoice>, Halt> {
    let mut wanted: HashMap<InvoiceKind, Vec<String>> = HashMap::new();
    let mut seen = HashSet::new();
    for evidence_json in job.store.due_evidence(due)? {
        for candidate in Evidence::of_row(Some(&evidence_json)).candidates {
            if open.by_id(candidate.kind, &candidate.id).is_none()
                && seen.insert((candidate.kind, candidate.id.clone()))
            {
                wanted.entry(candidate.kind).or_default().push(candidate.id);
            }
        }
    }
    let mut invoices = Vec::new();
    for (kind, ids) in wanted {
        for batch in ids.chunks(SYNC_BATCH) {
            invoices.extend(
                job.moneybird
                    .invoices_by_id(kind, batch)
                    .map_err(classify)?,
            );
        }
    }
    Ok(invoices)
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

fn classify(error: MoneybirdError) -> Halt {
    match error {
        MoneybirdError::RateLimited(_) => Halt::Stop(error.words()),
        MoneybirdError::NotStored(_) => Halt::Fail(user_error(
            error.words().say(),
            t!("error-oauth-not-stored-hint"),
        )),
        MoneybirdError::Throttled(_) => Halt::Fail(user_error(
            error.words().say(),
            t!("error-moneybird-throttled-hint"),
        )),
        MoneybirdError::Unauthorized(message) => Halt::Fail(reconnect_moneybird(&message)),
        other => Halt::Fail(
            anyhow::Error::new(other).context("cannot read the open posts from Moneybird"),
        ),
    }
}

/// The administration, read at most once a day: its locked period changes rarely, and
/// requests are scarce.
fn administration(job: &mut Job<'_>, today: NaiveDate) -> Result<Administration, Halt> {
    let wanted = job.settings.administration_id()?.to_string();
    let cached: Option<(String, Administration)> = job
        .store
        .meta(META_ADMINISTRATION)?
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
        return Err(Halt::Fail(user_error(
            t!("error-no-administration", id = wanted),
            t!("error-no-administration-hint"),
        )));
    };
    let text = serde_json::to_string(&(today.to_string(), &found)).map_err(anyhow::Error::from)?;
    job.store.set_meta(META_ADMINISTRATION, &text)?;
    Ok(found)
}

pub(crate) fn reconnect_moneybird(message: &str) -> anyhow::Error {
    user_error(
        t!("error-moneybird-token", message = message),
        t!("error-moneybird-token-hint"),
    )
}

/// [`ccv_failure`] for one shop: a refused key names the shop's own fix.
fn shop_failure(shop: &Shop, error: CcvError) -> anyhow::Error {
    match (&shop.name, error) {
        (Some(name), CcvError::Unauthorized) => user_error(
            t!("error-ccv-key"),
            t!(
                "credentials-set-hint",
                service = format!("ccv --shop {name}"),
                variable = shop.key_variable()
            ),
        ),
        (_, error) => ccv_failure(error),
    }
}

pub fn ccv_failure(error: CcvError) -> anyhow::Error {
    match error {
        CcvError::Unauthorized => user_error(t!("error-ccv-key"), t!("error-ccv-key-hint")),
        CcvError::Blocked(body) => user_error(
            t!("error-ccv-blocked", body = body),
            t!("error-ccv-blocked-hint"),
        ),
        // What comes from CCV and cannot be read stops the run before anything is booked;
        // each names what failed and what a person can do.
        error @ (CcvError::RateLimited(_)
        | CcvError::TooLarge(_)
        | CcvError::TimeFilterRefused { .. }
        | CcvError::Stuck(_)) => {
            let hint = match &error {
                CcvError::RateLimited(_) => t!("error-ccv-rate-limited-hint"),
                CcvError::TooLarge(_) => t!("error-ccv-too-large-hint"),
                _ => t!("error-ccv-unreadable-hint"),
            };
            user_error(
                format!("{}: {}", t!("error-ccv-fetch"), error.words().say()),
                hint,
            )
        }
        other => anyhow::Error::new(other).context(t!("error-ccv-fetch")),
    }
}
