//! `retry`: "Verwerk", process one payment (or every retryable error) again now.

use std::io::IsTerminal as _;

use clap::Args;

use super::{Context, find_payment};
use crate::codes::{ErrorCode, Retry};
use crate::domain::{Payment, Tab};
use crate::error::user_error;
use crate::ops::run_pass;
use crate::sync::matching::Evidence;
use crate::sync::{Pass, RunOptions, RunReport, undo};

/// Process a payment again now: re-read it from CCV and the open posts from Moneybird,
/// then match and book it
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  ccv-moneybird retry 12\n  ccv-moneybird retry 12 --invoice 2026-0042\n  ccv-moneybird retry --all-fouten"
)]
#[command(group = clap::ArgGroup::new("which").required(true))]
pub struct RetryArgs {
    /// The payment: its id from the tables, or its CCV reference
    #[arg(group = "which")]
    pub payment: Option<String>,

    /// Book it on this open post: an invoice number, or an external invoice's reference.
    /// The only way an ambiguous match is booked
    #[arg(long, value_name = "NUMBER", requires = "payment")]
    pub invoice: Option<String>,

    /// Retry every payment in Fouten that a retry can help (never an ambiguous match, a
    /// hand booking or a payment Moneybird already holds)
    #[arg(long, group = "which")]
    pub all_fouten: bool,

    /// Delete this tool's own payment of a `changed_after_booking` payment in Moneybird
    /// (after a chargeback or reversal), so the invoice is open again; never a payment it
    /// did not make
    #[arg(long, requires = "payment", conflicts_with = "invoice")]
    pub undo_booking: bool,
}

pub fn run(context: &Context, args: &RetryArgs) -> anyhow::Result<()> {
    if let (true, Some(wanted)) = (args.undo_booking, &args.payment) {
        return undo_booking(context, wanted);
    }
    let store = context.open_existing_store()?;
    let ids: Vec<i64> = match &args.payment {
        Some(wanted) => {
            let row = find_payment(&store, wanted)?;
            if let Some(why) = row.why_retry_cannot_help(args.invoice.is_some()) {
                // A refusal that rests on a payment in Moneybird is checked there first:
                // a claim on a stale copy would send the person in a circle.
                let why = match (claimed_payment_still_there(context, &row), row.standing.tab) {
                    (Some(true) | None, _) => Some(why),
                    (Some(false), Tab::Rapportage) => Some(t!(
                        "retry-booking-gone",
                        payment = row.standing.moneybird_payment_id.as_deref().unwrap_or("?")
                    )),
                    // The payment it was taken for is gone: look again, as for any other.
                    (Some(false), _) => None,
                };
                let Some(why) = why else {
                    drop(store);
                    return retry_ids(context, args, vec![row.id]);
                };
                return Err(refused(&row, why));
            }
            vec![row.id]
        }
        None => store
            .payments(&[Tab::Fouten], None, None)?
            .into_iter()
            .filter(|row| {
                row.why_retry_cannot_help(false).is_none()
                    && row
                        .error_code()
                        .is_none_or(|code| code.retry() == Retry::Automatic)
            })
            .map(|row| row.id)
            .collect(),
    };
    drop(store);
    retry_ids(context, args, ids)
}

/// Whether the Moneybird payment a refusal names is still there, read just now: `None`
/// when the refusal names none, or Moneybird could not be asked.
fn claimed_payment_still_there(context: &Context, row: &Payment) -> Option<bool> {
    let evidence = Evidence::of_row(row.standing.evidence_json.as_deref());
    let (invoice_id, payment_id) = match (row.standing.tab, row.error_code()) {
        (Tab::Rapportage, _) if row.standing.resolution.is_none() => {
            (row.invoice()?.id, row.standing.moneybird_payment_id.clone())
        }
        (Tab::Fouten, Some(ErrorCode::AlreadyBooked | ErrorCode::BookedByHand)) => {
            let hand = evidence.foreign_payment.as_ref();
            let invoice = hand
                .and_then(|hand| {
                    evidence
                        .candidates
                        .iter()
                        .find(|candidate| candidate.label == hand.invoice)
                })
                .map(|candidate| candidate.id.clone())
                .or_else(|| row.invoice().map(|invoice| invoice.id))?;
            (invoice, hand.map(|hand| hand.id.clone()))
        }
        _ => return None,
    };
    let now = crate::view::payment::Now::read(context, row);
    let invoice = now.invoice(&invoice_id)?;
    Some(invoice.is_some_and(|invoice| {
        match &payment_id {
            Some(id) => invoice.payments.iter().any(|payment| &payment.id == id),
            None => invoice
                .payment_with_identifier(&row.facts.reference)
                .is_some(),
        }
    }))
}

fn retry_ids(context: &Context, args: &RetryArgs, ids: Vec<i64>) -> anyhow::Result<()> {
    if ids.is_empty() {
        crate::view::say(t!("retry-nothing"))?;
        return Ok(());
    }
    let options = RunOptions {
        pass: Pass::Recheck,
        only: Some(ids.clone()),
        invoice: args.invoice.clone(),
        ..RunOptions::default()
    };
    let mut report = run_pass(context, &options)?;
    if let Some(label) = &report.unknown_invoice {
        let store = context.open_existing_store()?;
        let row = store.payment(ids[0])?;
        return Err(user_error(
            t!("retry-no-such-invoice", label = label),
            match row
                .as_ref()
                .map(open_candidates)
                .filter(|found| !found.is_empty())
            {
                Some(found) => t!("retry-open-candidates", candidates = found.join(", ")),
                None => t!("retry-name-an-open-invoice"),
            },
        ));
    }
    if args.payment.is_some()
        && args.invoice.is_none()
        && let Some(label) = pick_invoice(context, ids[0])?
    {
        let options = RunOptions {
            invoice: Some(label),
            ..options
        };
        report = run_pass(context, &options)?;
    }
    explain(context, args, &ids, &report)
}

/// Deletes this tool's payment of a payment whose money went back, under the run lock so
/// that no run books or reads it meanwhile.
fn undo_booking(context: &Context, wanted: &str) -> anyhow::Result<()> {
    let _lock = crate::lock::RunLock::acquire(&context.settings.lock_path())?;
    let store = context.open_existing_store()?;
    let row = find_payment(&store, wanted)?;
    if let Some(why) = row.why_booking_stays(&store.changes_of(row.id)?) {
        return Err(refused(&row, why));
    }
    let http = crate::http::client()?;
    let administration = context.settings.administration_id()?.to_string();
    let moneybird = crate::ops::moneybird_client(context, &http, Some(administration))?;
    undo::undo_booking(&store, &moneybird, &context.clock, &row)?;
    let closed = store
        .payment(row.id)?
        .and_then(|row| row.standing.resolution);
    crate::view::say(t!(
        "retry-undone",
        id = row.id,
        reference = &row.facts.reference,
        what = closed
            .map(|resolution| resolution.text())
            .unwrap_or_default()
    ))?;
    Ok(())
}

/// The open posts an ambiguous payment was matched to, as a person names them.
fn open_candidates(row: &Payment) -> Vec<String> {
    Evidence::of_row(row.standing.evidence_json.as_deref())
        .candidates
        .into_iter()
        .filter(|candidate| candidate.is_open())
        .map(|candidate| candidate.label)
        .collect()
}

/// At a terminal, a payment that is still ambiguous after a fresh look is settled by the
/// person picking its invoice; elsewhere nothing is asked.
fn pick_invoice(context: &Context, id: i64) -> anyhow::Result<Option<String>> {
    let store = context.open_existing_store()?;
    let Some(row) = store.payment(id)? else {
        return Ok(None);
    };
    if row.error_code() != Some(ErrorCode::AmbiguousMatch)
        || !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal())
    {
        return Ok(None);
    }
    let candidates: Vec<_> = Evidence::of_row(row.standing.evidence_json.as_deref())
        .candidates
        .into_iter()
        .filter(|candidate| candidate.is_open())
        .collect();
    if candidates.is_empty() {
        return Ok(None);
    }
    // What a person tells invoices apart by: who, how much is open, and when.
    let mut items: Vec<String> = candidates
        .iter()
        .map(|candidate| {
            let open = crate::money::Cents::parse_decimal(&candidate.open_amount)
                .map(|cents| cents.display_in(&candidate.currency))
                .unwrap_or_else(|_| candidate.open_amount.clone());
            crate::text::for_terminal(&t!(
                "pick-invoice",
                invoice = &candidate.label,
                customer = candidate.customer.as_deref().unwrap_or("?"),
                amount = open,
                date = crate::i18n::day_text(candidate.date.as_deref().unwrap_or("?"))
            ))
            .into_owned()
        })
        .collect();
    items.push(t!("pick-none"));
    let picked = dialoguer::Select::new()
        .with_prompt(t!(
            "pick-prompt",
            id = row.id,
            reference = &row.facts.reference,
            amount = row.amount_shown()
        ))
        .items(&items)
        .default(items.len() - 1)
        .interact()?;
    Ok(candidates
        .get(picked)
        .map(|candidate| candidate.label.clone()))
}

/// What became of the retried payments; exit 1 when one is still not booked.
fn explain(
    context: &Context,
    args: &RetryArgs,
    ids: &[i64],
    report: &RunReport,
) -> anyhow::Result<()> {
    let store = context.open_existing_store()?;
    let mut unbooked = Vec::new();
    for id in ids {
        let Some(row) = store.payment(*id)? else {
            continue;
        };
        match (&row.standing.resolution, row.standing.tab) {
            (Some(resolution), _) => crate::view::say(t!(
                "retry-was-in-moneybird",
                id = row.id,
                reference = &row.facts.reference,
                note = resolution.text()
            ))?,
            (None, Tab::Rapportage) => crate::view::say(t!(
                "retry-booked-on",
                id = row.id,
                reference = &row.facts.reference,
                invoice = row.invoice_label().unwrap_or("?")
            ))?,
            _ => unbooked.push(row),
        }
    }
    match unbooked.as_slice() {
        [] => Ok(()),
        [row] if args.payment.is_some() => {
            let why = match (row.standing.tab, row.error_code()) {
                (Tab::Fouten, Some(code)) => {
                    format!("{code}: {}", row.error_text().unwrap_or_default())
                }
                _ if row.facts.ccv_status != "success" => {
                    t!(
                        "retry-not-paid-yet",
                        status = crate::ccv::Status::words(&row.facts.ccv_status)
                    )
                }
                _ => report
                    .stopped_early
                    .as_ref()
                    .map(crate::i18n::Message::say)
                    .unwrap_or_else(|| t!("retry-waiting")),
            };
            let hint = match row.error_code() {
                Some(ErrorCode::AmbiguousMatch) => match open_candidates(row).as_slice() {
                    [] => t!("retry-name-the-invoice", id = row.id),
                    candidates => t!(
                        "retry-name-the-invoice-of",
                        id = row.id,
                        candidates = candidates.join(", ")
                    ),
                },
                Some(code) if row.standing.tab == Tab::Fouten => {
                    code.advice(row.id, &row.facts.reference)
                }
                _ => t!("see-info", id = row.id),
            };
            Err(user_error(
                t!(
                    "retry-still-not-booked",
                    id = row.id,
                    reference = &row.facts.reference,
                    why = why
                ),
                hint,
            ))
        }
        rows => Err(user_error(
            t!(
                "retry-several-not-booked",
                count = rows.len(),
                total = ids.len()
            ),
            t!("see-fouten"),
        )),
    }
}

/// A retry that cannot help, and why: `info` tells the whole story.
fn refused(row: &Payment, why: String) -> anyhow::Error {
    user_error(
        t!(
            "retry-refused",
            id = row.id,
            reference = &row.facts.reference,
            why = why
        ),
        t!("see-info", id = row.id),
    )
}
