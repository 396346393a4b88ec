//! `retry <id> --undo-booking`: the money of a booked payment went back (a chargeback, a
//! reversal, a full refund), and the bookkeeper asks to delete this tool's own payment from
//! the invoice, so that Moneybird shows the invoice open again. Only ever a payment this
//! tool made, exactly as it made it.

use crate::clock::Clock;
use crate::domain::Payment;
use crate::error::user_error;
use crate::moneybird::{InvoicePayment, MoneybirdClient, MoneybirdError};
use crate::store::Store;

/// What became of the booking.
pub enum Undone {
    /// This Moneybird payment (and its rounding payment, if any) was deleted.
    Deleted { payment: String },
    /// It was no longer in Moneybird: someone deleted it, or the invoice, before.
    AlreadyGone,
}

/// Deletes the booking after reading the invoice: the payment must carry this payment's
/// CCV reference, the price and the date this tool posted, and the id it recorded.
pub fn undo_booking(
    store: &Store,
    moneybird: &MoneybirdClient,
    clock: &Clock,
    row: &Payment,
) -> anyhow::Result<Undone> {
    let (Some(invoice_ref), Some(payment_id)) =
        (row.invoice(), row.standing.moneybird_payment_id.clone())
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
                .and_then(|invoice| invoice.rounding_with_identifier(&row.facts.reference))
                .filter(|_| row.standing.rounding.is_some())
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
    let closed = row.booking_undone(words.clone(), payment_id, clock.now().to_rfc3339());
    store.record(row.id, &closed, clock.now_ms(), Some(&words))?;
    Ok(undone)
}

/// Exactly the payment this tool posted for the row.
fn as_booked(payment: &InvoicePayment, row: &Payment) -> bool {
    payment.transaction_identifier.as_deref() == Some(row.facts.reference.as_str())
        && payment.price == Some(row.booked_price())
        && payment.payment_date.is_some()
        && payment.payment_date == row.standing.payment_date
        && !payment.is_rounding()
}

fn delete(
    store: &Store,
    moneybird: &MoneybirdClient,
    clock: &Clock,
    row: &Payment,
    invoice: &crate::domain::InvoiceRef,
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
    crate::error::UserError::from(error).into()
}
