//! The drift audit of `recheck`: is every payment this tool booked still in Moneybird as it
//! was posted? Read in bulk through the synchronization endpoints: one GET of ids and
//! versions per kind of invoice, then only the invoices whose version moved since the last
//! audit, 100 a request. A payment deleted or changed by someone becomes `drift` and is
//! never booked again by itself.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::posts;
use super::run::{Halt, Job, Line, RunReport};
use crate::codes::ErrorCode;
use crate::domain::{Failure, Outcome, Payment, Tab};
use crate::i18n::{Arg, Message};
use crate::moneybird::{Invoice, InvoiceKind, SYNC_BATCH};

pub(super) fn audit(
    job: &mut Job<'_>,
    today: NaiveDate,
    report: &mut RunReport,
) -> Result<(), Halt> {
    let booked = job.store.booked_for_audit()?;
    let mut by_invoice: HashMap<(InvoiceKind, String), Vec<Payment>> = HashMap::new();
    for row in booked {
        if let Some(crate::domain::InvoiceRef { kind, id, .. }) = row.invoice() {
            by_invoice.entry((kind, id)).or_default().push(row);
        }
    }
    // Every invoice of any state over the same years as the open posts.
    let filter = format!("state:all,period:{}", posts::open_period(today));
    for kind in InvoiceKind::ALL {
        if !by_invoice.keys().any(|(of, _)| *of == kind) {
            continue;
        }
        let listed: HashMap<String, i64> = job
            .moneybird
            .invoice_versions(kind, &filter)
            .map_err(Halt::from)?
            .into_iter()
            .collect();
        let audited = job.store.audited_versions(kind)?;
        let mut moved = Vec::new();
        for (of, id) in by_invoice.keys().filter(|(of, _)| *of == kind) {
            match listed.get(id) {
                None => {
                    for row in &by_invoice[&(*of, id.clone())] {
                        drifted(
                            job,
                            row,
                            msg!("drift-invoice-gone", invoice = invoice_label(row)),
                            report,
                        )?;
                    }
                }
                Some(version) if audited.get(id) == Some(version) => {}
                Some(_) => moved.push(id.clone()),
            }
        }
        for batch in moved.chunks(SYNC_BATCH) {
            let invoices = job
                .moneybird
                .invoices_by_id(kind, batch)
                .map_err(Halt::from)?;
            for invoice in &invoices {
                for row in by_invoice
                    .get(&(kind, invoice.id.clone()))
                    .into_iter()
                    .flatten()
                {
                    if let Some(words) = what_drifted(invoice, row) {
                        drifted(job, row, words, report)?;
                    }
                }
                job.store
                    .set_audited_version(kind, &invoice.id, invoice.version)?;
            }
        }
    }
    Ok(())
}

fn invoice_label(row: &Payment) -> String {
    row.invoice_label()
        .map(str::to_string)
        .unwrap_or_else(|| "?".into())
}

/// How this tool's payment on the invoice differs from what it posted, if it does.
fn what_drifted(invoice: &Invoice, row: &Payment) -> Option<Message> {
    let posted = row.standing.moneybird_payment_id.as_deref()?;
    let label = invoice_label(row);
    let Some(payment) = invoice.payments.iter().find(|payment| payment.id == posted) else {
        return Some(msg!("drift-deleted", payment = posted, invoice = label));
    };
    let price_now = payment.price;
    let same = payment.transaction_identifier.as_deref() == Some(row.facts.reference.as_str())
        && price_now == Some(row.booked_price())
        && payment.payment_date == row.standing.payment_date;
    (!same).then(|| {
        msg!(
            "drift-changed",
            payment = posted,
            invoice = label,
            booked = row.booked_price().display_in(&row.facts.currency),
            date = Arg::day_or_text(row.standing.payment_date.as_deref().unwrap_or("?")),
            price_now =
                price_now.map_or_else(|| "?".into(), |price| price.display_in(&row.facts.currency)),
            date_now = Arg::day_or_text(payment.payment_date.as_deref().unwrap_or("?"))
        )
    })
}

/// Out of Rapportage into Fouten: not booked any more as far as this tool can tell, and
/// only a person's `retry` books it again.
fn drifted(
    job: &mut Job<'_>,
    row: &Payment,
    words: Message,
    report: &mut RunReport,
) -> Result<(), Halt> {
    let outcome = Outcome {
        tab: Tab::Fouten,
        error: Some(Failure {
            code: ErrorCode::Drift,
            words: words.clone(),
        }),
        invoice: row.invoice(),
        ..Outcome::open()
    };
    job.store.record(
        row.id,
        &outcome,
        job.clock.now_ms(),
        Some(&msg!(
            "event-back-in-fouten",
            why = words.clone(),
            code = "drift"
        )),
    )?;
    report.count(ErrorCode::Drift.as_str(), row);
    report
        .new_errors
        .push(Line::booked_then_failed(row, ErrorCode::Drift, words));
    Ok(())
}
