//! Step 2: a payment left in `booking` means a run stopped between committing its intent
//! and learning the answer. The invoice tells whether the payment arrived; nothing is posted
//! again until it has been read.

use super::carry_out;
use super::run::{Halt, Job};
use crate::domain::{InvoiceRef, Outcome, Payment};
use crate::moneybird::{Invoice, InvoiceKind, MoneybirdError};

/// A payment left in `booking` means a run stopped between committing its intent and
/// learning the answer. The invoice tells whether the payment arrived; nothing is posted
/// again until it has been read.
pub(super) fn settle_interrupted(job: &mut Job<'_>) -> Result<(), Halt> {
    for row in job.store.interrupted()? {
        let Some(InvoiceRef {
            kind,
            id: invoice_id,
            ..
        }) = row.invoice()
        else {
            job.store
                .set_outcome(row.id, &Outcome::open(), job.clock.now_ms())?;
            continue;
        };
        let invoice = match job.moneybird.invoice(kind, &invoice_id) {
            Ok(invoice) => invoice,
            Err(MoneybirdError::Unauthorized(message)) => {
                return Err(Halt::from(MoneybirdError::Unauthorized(message)));
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
        .standing
        .payment_date
        .clone()
        .unwrap_or_else(|| row.booking_date(job.settings.timezone).to_string());
    if let Some(rounding) = row.standing.rounding
        && invoice
            .rounding_with_identifier(&row.facts.reference)
            .is_none()
        && invoice.is_open()
        && invoice.total_unpaid == rounding
    {
        // The booking arrived and the rounding payment did not: finish what was begun,
        // now that the invoice has been read.
        carry_out::close_with_rounding(job, row, invoice, &date, rounding)?;
    }
    let label = row
        .invoice_label()
        .map(str::to_string)
        .unwrap_or_else(|| invoice.label());
    let outcome = Outcome {
        booked: row.standing.booked,
        rounding: row.standing.rounding,
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
