//! `resolve`: the bookkeeper settled a payment outside the tool (booked it by hand,
//! refunded it, wrote it off). It leaves Fouten for Rapportage with its resolution and is
//! never touched again; `resolve --undo` puts it back where it was.

use clap::Args;

use super::{Context, find_payment};
use crate::codes::ErrorCode;
use crate::error::user_error;
use crate::i18n::Message;
use crate::lock::RunLock;
use crate::store::{Before, BookingState, Failure, Outcome, PaymentRow, Resolution, Tab};
use crate::sync::matching::Evidence;

/// Mark a payment as handled outside the tool (it leaves Fouten), or put it back with --undo
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  ccv-moneybird resolve 12 --note \"booked by hand on 2026-11-20\"\n  ccv-moneybird resolve --undo 12"
)]
pub struct ResolveArgs {
    /// The payment: its id from the tables, or its CCV reference
    pub payment: String,

    /// What was done, in your own words (e.g. "booked by hand on 2026-0202")
    #[arg(long, required_unless_present = "undo")]
    pub note: Option<String>,

    /// Put a resolved payment back where it was before
    #[arg(long, conflicts_with = "note")]
    pub undo: bool,
}

pub fn run(context: &Context, args: &ResolveArgs) -> anyhow::Result<()> {
    // A run must not book the payment while it is being settled by hand.
    let _lock = RunLock::acquire(&context.settings.lock_path())?;
    let store = context.open_existing_store()?;
    let row = find_payment(&store, &args.payment)?;
    let now = context.clock.now();
    let (outcome, event, said) = match &args.note {
        Some(note) if !args.undo => resolve(&row, note, now.to_rfc3339())?,
        _ => undo(&row)?,
    };
    store.record(row.id, &outcome, now.timestamp_millis(), Some(&event))?;
    crate::view::say(format!(
        "#{} {} {}",
        row.id,
        crate::text::for_terminal(&row.reference),
        said.say()
    ));
    Ok(())
}

fn resolve(
    row: &PaymentRow,
    note: &str,
    at: String,
) -> anyhow::Result<(Outcome, Message, Message)> {
    let refused = |why: String| {
        user_error(
            t!(
                "resolve-refused",
                id = row.id,
                reference = &row.reference,
                why = why
            ),
            t!("see-info", id = row.id),
        )
    };
    if let Some(resolution) = &row.resolution {
        return Err(refused(t!("resolve-already", note = &resolution.note)));
    }
    // A booking that CCV reports undone since is exactly what `resolve` is for.
    let changed = row.error_code == Some(ErrorCode::ChangedAfterBooking);
    if row.booking != BookingState::None && !changed {
        return Err(refused(match (row.booking, &row.moneybird_payment_id) {
            (BookingState::Booked, Some(payment)) => {
                t!("resolve-booked-as", payment = payment)
            }
            (BookingState::Booked, None) => t!("resolve-booked"),
            _ => t!("resolve-settling"),
        }));
    }
    if row.tab == Tab::Closed {
        return Err(refused(t!(
            "resolve-never-paid",
            status = crate::ccv::Status::words(&row.ccv_status)
        )));
    }
    let note = note.trim();
    if note.is_empty() {
        return Err(user_error(
            t!("resolve-empty-note"),
            t!("resolve-empty-note-hint"),
        ));
    }
    // The payment in Moneybird that stands for this one, where the tool saw it.
    let found = Evidence::of_row(row.evidence_json.as_deref()).foreign_payment;
    let resolution = Resolution {
        note: note.to_string(),
        words: None,
        at,
        moneybird_payment_id: found.as_ref().map(|payment| payment.id.clone()),
        before: Some(Before {
            tab: row.tab.as_str().to_string(),
            error_code: row.error_code.map(|code| code.as_str().to_string()),
            error_message: row.error_message.clone(),
            error_words: row.error_words.clone(),
        }),
    };
    let outcome = match changed {
        // The booking stays what it was; the bookkeeper settled what happened after it.
        true => Outcome {
            booking: BookingState::Booked,
            payment_date: row.payment_date.clone(),
            moneybird_payment_id: row.moneybird_payment_id.clone(),
            booked: row.booked,
            rounding: row.rounding,
            ..Outcome::resolved(resolution, row.invoice())
        },
        false => Outcome::resolved(resolution, row.invoice()),
    };
    Ok((
        outcome,
        msg!("event-resolved", note = note),
        msg!("resolve-done", id = row.id),
    ))
}

fn undo(row: &PaymentRow) -> anyhow::Result<(Outcome, Message, Message)> {
    let Some(resolution) = &row.resolution else {
        return Err(user_error(
            t!(
                "resolve-undo-nothing",
                id = row.id,
                reference = &row.reference
            ),
            t!("see-info", id = row.id),
        ));
    };
    if resolution
        .words
        .as_ref()
        .is_some_and(|words| crate::sync::undo::UNDONE.contains(&words.id.as_str()))
    {
        return Err(user_error(
            t!(
                "resolve-undo-undone",
                id = row.id,
                reference = &row.reference
            ),
            t!("see-info", id = row.id),
        ));
    }
    let before = resolution.before.clone();
    let tab = before
        .as_ref()
        .and_then(|before| Tab::parse(&before.tab))
        .unwrap_or(Tab::Open);
    let error = before.and_then(|before| {
        Some(Failure {
            code: ErrorCode::parse(&before.error_code?)?,
            words: before.error_words.unwrap_or_else(|| {
                Message::verbatim(before.error_message.as_deref().unwrap_or_default())
            }),
        })
    });
    let outcome = match error {
        // Its booking stood all along: back to where CCV's news left it.
        Some(Failure {
            code: ErrorCode::ChangedAfterBooking,
            words,
        }) => Outcome::changed_after_booking(row, words),
        error => Outcome {
            tab,
            error: error.filter(|_| tab == Tab::Fouten),
            invoice: row.invoice(),
            ..Outcome::open()
        },
    };
    Ok((
        outcome,
        msg!("event-resolution-undone", note = &resolution.note),
        msg!("resolve-undone", tab = crate::view::title(tab)),
    ))
}
