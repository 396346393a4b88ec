//! Step 1: fetching from CCV. Every shop through its own key and cursor, the pending
//! payments read again, the payouts asked for; each page handed to [`ingest`] as it comes.

use std::collections::{BTreeMap, HashSet};

use super::ingest::{self, Ingested};
use super::run::{Halt, Job, Line, Pass, RunOptions, RunReport, ShopClient, ShopFailure};
use crate::ccv::assumptions::TimeForm;
use crate::ccv::{CcvClient, CcvError, Param, Read};
use crate::clock::start_of_day;
use crate::codes::ErrorCode;
use crate::config::Shop;
use crate::domain::Failure;
use crate::error::ccv_shop_failure;
use crate::store::{Reread, Store};

const DAY_MS: i64 = 86_400_000;
/// CCV filters on creation time and clocks drift: every fetch reaches this far behind the
/// newest transaction already seen.
const CURSOR_OVERLAP_MS: i64 = 15 * 60 * 1000;

/// `sync` re-reads pending payments this young; `recheck` re-reads all of them.
const RECENT_PENDING_DAYS: i64 = 14;

const META_CURSOR: &str = "ccv_cursor_ms";

/// The form of time filter CCV took last (docs/ccv-api.md, Unknown 2); `doctor` shows it.
pub const META_TIME_FORM: &str = "ccv_time_filter";

/// How far back the nightly recheck looks for payouts of booked payments at most.
const PAYOUT_LOOK_BACK_DAYS: i64 = 120;

fn note_ingested(ingested: Ingested, report: &mut RunReport) {
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
            error: Some(Box::new(Failure {
                code: ErrorCode::Unreadable,
                words: message,
            })),
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

/// Every shop in turn, each through its own key and with its own cursor. With several
/// shops, one that fails (a refused key, no answer) is named in the report and the others
/// go on; a single shop's failure stops the run as before.
pub(super) fn from_ccv(
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
                let ingested = ingest::ingest(store, page, shop, now_ms)?;
                newest = newest.max(ingested.newest_created);
                note_ingested(ingested, report);
                Ok(())
            });
    remember_time_form(job.store, &ccv.client)?;
    listed.map_err(|error| error.into_anyhow(&ccv.shop))?;

    read_pending_again(job, ccv, options.pass, &fetched, report)?;
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

/// Pending payments, and refunds still pending at CCV, that the listing did not bring:
/// either may have moved since. `sync` reads the recent ones, `recheck` all of them.
fn read_pending_again(
    job: &mut Job<'_>,
    ccv: &ShopClient,
    pass: Pass,
    fetched: &HashSet<String>,
    report: &mut RunReport,
) -> Result<(), Halt> {
    let shop = ccv.shop.name.as_deref();
    let now_ms = job.clock.now_ms();
    let which = match pass {
        Pass::Recheck => Reread::All,
        Pass::Sync => Reread::Recent {
            since_ms: now_ms - RECENT_PENDING_DAYS * DAY_MS,
        },
    };
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
            .map_err(|error| anyhow::Error::from(ccv_shop_failure(&ccv.shop, error)))?;
        let ingested = ingest::ingest(job.store, transactions, shop, now_ms)?;
        note_ingested(ingested, report);
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
/// holiday), and what `paidoutAfter` compares is not documented (docs/ccv-api.md, Unknown 1):
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
            let ingested = ingest::ingest_known(store, page, shop, now_ms)?;
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
            FetchError::Ccv(error) => ccv_shop_failure(shop, error).into(),
            FetchError::Local(error) => error,
        }
    }
}

/// Re-reads the given payments from CCV, for `retry`: each through its own shop's key.
pub(super) fn read_again(
    job: &mut Job<'_>,
    ids: &[i64],
    report: &mut RunReport,
) -> Result<(), Halt> {
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
            .map_err(|error| anyhow::Error::from(ccv_shop_failure(&ccv.shop, error)))?;
        let ingested =
            ingest::ingest(job.store, transactions, shop.as_deref(), job.clock.now_ms())?;
        note_ingested(ingested, report);
    }
    Ok(())
}
