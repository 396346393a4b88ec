//! `retry <id> --undo-booking`: the money of a booked payment went back (a chargeback, a
//! reversal, a full refund), and the bookkeeper asks to delete this tool's own payment from
//! the invoice, so that Moneybird shows the invoice open again. Only ever a payment this
//! tool made, exactly as it made it.

use crate::clock::Clock;
use crate::codes::ErrorCode;
use crate::error::user_error;
use crate::i18n::Lang;
use crate::moneybird::{InvoicePayment, MoneybirdClient, MoneybirdError};
use crate::store::{BookingState, Outcome, PaymentRow, Resolution, Store, Tab};

/// The resolutions after which `resolve --undo` has nothing to put back.
pub const UNDONE: [&str; 2] = ["resolution-booking-undone", "resolution-booking-gone"];

/// What became of the booking.
pub enum Undone {
    /// This Moneybird payment (and its rounding payment, if any) was deleted.
    Deleted { payment: String },
    /// It was no longer in Moneybird: someone deleted it, or the invoice, before.
    AlreadyGone,
}

/// Why the booking of this row may not be undone, if it may not.
pub fn refusal(store: &Store, row: &PaymentRow) -> anyhow::Result<Option<String>> {
    if row.error_code != Some(ErrorCode::ChangedAfterBooking)
        || row.booking != BookingState::Booked
        || row.resolution.is_some()
    {
        return Ok(Some(t!("undo-not-changed")));
    }
    let taken: Vec<_> = store
        .changes_of(row.id)?
        .into_iter()
        .filter(|change| change.takes_money_back())
        .collect();
    let back = taken.iter().fold(crate::money::Cents::ZERO, |sum, change| {
        sum.checked_add(change.amount).unwrap_or(sum)
    });
    let undone = taken.iter().any(|change| change.kind.undoes_the_payment());
    if !undone && back < row.amount {
        // The rest of the payment was kept: deleting the whole booking would be wrong.
        return Ok(Some(t!(
            "undo-partial-refund",
            amount = back.display_in(&row.currency),
            paid = row.amount.display_in(&row.currency)
        )));
    }
    Ok(None)
}

/// Deletes the booking after reading the invoice: the payment must carry this payment's
/// CCV reference, the price and the date this tool posted, and the id it recorded.
pub fn undo_booking(
    store: &Store,
    moneybird: &MoneybirdClient,
    clock: &Clock,
    row: &PaymentRow,
) -> anyhow::Result<Undone> {
    let (Some(invoice_ref), Some(payment_id)) = (row.invoice(), row.moneybird_payment_id.clone())
    else {
        return Err(user_error(
            t!("undo-not-changed"),
            t!("see-info", id = row.id),
        ));
    };
    let invoice = moneybird
        .invoice(invoice_ref.kind, &invoice_ref.id)
        .map_err(failure)?;
    let found = invoice.as_ref().and_then(|invoice| {
        invoice
            .payments
            .iter()
            .find(|payment| payment.id == payment_id)
    });
    let undone = match found {
        None => Undone::AlreadyGone,
        Some(payment) if !as_booked(payment, row) => {
            return Err(user_error(
                t!(
                    "undo-not-ours",
                    payment = &payment_id,
                    invoice = &invoice_ref.label
                ),
                t!("undo-not-ours-hint", id = row.id),
            ));
        }
        Some(_) => {
            delete(store, moneybird, clock, row, &invoice_ref, &payment_id)?;
            // The rounding payment this tool added under the same reference goes with it.
            let rounding = invoice
                .as_ref()
                .and_then(|invoice| invoice.rounding_with_identifier(&row.reference))
                .filter(|_| row.rounding.is_some())
                .map(|payment| payment.id.clone());
            if let Some(rounding) = rounding {
                delete(store, moneybird, clock, row, &invoice_ref, &rounding)?;
            }
            Undone::Deleted {
                payment: payment_id.clone(),
            }
        }
    };
    let words = match &undone {
        Undone::Deleted { .. } => msg!(
            "resolution-booking-undone",
            payment = &payment_id,
            invoice = &invoice_ref.label
        ),
        Undone::AlreadyGone => msg!(
            "resolution-booking-gone",
            payment = &payment_id,
            invoice = &invoice_ref.label
        ),
    };
    let resolution = Resolution {
        note: words.say_in(Lang::En),
        words: Some(words.clone()),
        at: clock.now().to_rfc3339(),
        moneybird_payment_id: Some(payment_id),
        before: None,
    };
    let closed = Outcome {
        tab: Tab::Closed,
        invoice: row.invoice(),
        resolution: Some(resolution),
        ..Outcome::open()
    };
    store.record(row.id, &closed, clock.now_ms(), Some(&words))?;
    Ok(undone)
}

/// Exactly the payment this tool posted for the row.
fn as_booked(payment: &InvoicePayment, row: &PaymentRow) -> bool {
    payment.transaction_identifier.as_deref() == Some(row.reference.as_str())
        && payment.price == Some(row.booked_price())
        && payment.payment_date.is_some()
        && payment.payment_date == row.payment_date
        && !payment.is_rounding()
}

fn delete(
    store: &Store,
    moneybird: &MoneybirdClient,
    clock: &Clock,
    row: &PaymentRow,
    invoice: &crate::store::InvoiceRef,
    payment_id: &str,
) -> anyhow::Result<()> {
    let (result, exchange) = moneybird.delete_payment(invoice.kind, &invoice.id, payment_id);
    store.add_exchange(row.id, clock.now_ms(), &exchange)?;
    match result {
        Ok(()) | Err(MoneybirdError::NotFound(_)) => Ok(()),
        Err(error) if error.outcome_unclear() => Err(user_error(
            t!("undo-unclear", error = error.to_string()),
            t!("undo-unclear-hint", id = row.id),
        )),
        Err(error) => Err(failure(error)),
    }
}

fn failure(error: MoneybirdError) -> anyhow::Error {
    match error {
        MoneybirdError::Unauthorized(message) => super::reconnect_moneybird(&message),
        other => anyhow::Error::new(other),
    }
}
