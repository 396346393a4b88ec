//! Steps 3 and 4 for every due payment: the open posts and what a decision needs are read
//! once, then each payment is decided and carried out in turn, a chunk at a time.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, TimeZone as _, Utc};

use super::carry_out::carry_out;
use super::decide::{BookedThisRun, Decision, Lookup, decide, decide_among_paid};
use super::matching::{Evidence, Policy, PostIndex};
use super::run::{Halt, Job, RunOptions, RunReport};
use super::{ledgers, posts};
use crate::domain::Payment;
use crate::error::user_error;
use crate::moneybird::{Administration, Invoice, InvoiceKind, SYNC_BATCH};
use crate::store::Due;

/// Due payments are read this many at a time, so a backfill of any size stays small.
const DUE_CHUNK: usize = 1000;

pub(super) fn book_due(
    job: &mut Job<'_>,
    options: &RunOptions,
    due: Due<'_>,
    report: &mut RunReport,
) -> Result<(), Halt> {
    let today = job.today();
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
    let settings = job.settings;
    let lookup = Lookup {
        open: &open,
        earlier: &earlier,
        claimed: &claimed,
        unusable_ledgers: &unusable_ledgers,
        policy: &policy,
        timezone: settings.timezone,
        ledger_accounts: &settings.ledger_accounts,
    };
    let mut booked_this_run = BookedThisRun::default();
    let count = show_progress(job, due, options.dry_run)?;
    // Each due payment is a line of the summary: room for them at once, not by doubling.
    match options.dry_run {
        true => report.planned.reserve(count),
        false => report.booked.reserve(count),
    }
    let mut unmatched = Vec::new();
    let mut position = None;
    loop {
        let chunk = job.store.due(due, position, DUE_CHUNK)?;
        let Some(last) = chunk.last() else { break };
        position = Some((last.facts.created_ms, last.id));
        for row in chunk {
            job.progress.inc(1);
            let chosen = options.invoice.as_deref();
            match decide(&row, &lookup, &booked_this_run, chosen) {
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
        let decision = decide_among_paid(&row, &lookup, &booked_this_run);
        carry_out(job, options, &row, decision, &mut booked_this_run, report)?;
    }
    Ok(())
}

fn refresh_open_posts(job: &mut Job<'_>, today: NaiveDate) -> Result<(), Halt> {
    let started = std::time::Instant::now();
    let refreshed =
        posts::refresh(job.store, job.moneybird, today).map_err(|error| match error {
            posts::RefreshError::Moneybird(error) => Halt::from(error),
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

/// Shows how many are due, and returns it.
fn show_progress(job: &mut Job<'_>, due: Due<'_>, dry_run: bool) -> Result<usize, Halt> {
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} {prefix}{msg} {pos}/{len} [{elapsed}]")
    {
        job.progress.set_style(style);
    }
    let count = job.store.count_due(due)?;
    job.progress.set_length(count);
    job.progress.set_position(0);
    job.progress.set_message(if dry_run {
        t!("progress-matching")
    } else {
        t!("progress-booking")
    });
    Ok(usize::try_from(count).unwrap_or_default())
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
    posts::recently_paid(job.moneybird, today, since).map_err(Halt::from)
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
                    .map_err(Halt::from)?,
            );
        }
    }
    Ok(invoices)
}

const META_ADMINISTRATION: &str = "administration";

/// The administration, read at most once a day: its locked period changes rarely, and
/// requests are scarce.
pub(super) fn administration(job: &mut Job<'_>, today: NaiveDate) -> Result<Administration, Halt> {
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
    let all = job.moneybird.administrations().map_err(Halt::from)?;
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
