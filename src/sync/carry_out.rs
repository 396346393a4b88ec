//! Step 4: carrying out a decision, exactly once. The intent is committed before the POST,
//! and after a crash the invoice is read before anything is posted again (see
//! docs/architecture.md, "Book, exactly once").

use serde_json::{Value, json};

use super::decide::{BookedThisRun, Decision, Existing, ledger_account};
use super::matching::{Evidence, ForeignPayment, Plan};
use super::run::{Halt, Job, Line, RunOptions, RunReport};
use crate::codes::ErrorCode;
use crate::config::Settings;
use crate::domain::{BookingState, Failure, InvoiceRef, Outcome, Payment, Resolution, Tab};
use crate::i18n::{Lang, Message};
use crate::money::Cents;
use crate::moneybird::{Invoice, InvoicePayment, MoneybirdError};

/// Carries out one decision.
pub(super) fn carry_out(
    job: &mut Job<'_>,
    options: &RunOptions,
    row: &Payment,
    decision: Decision,
    booked_this_run: &mut BookedThisRun,
    report: &mut RunReport,
) -> Result<(), Halt> {
    match decision {
        Decision::NoCandidate => unreachable!("resolved before carrying out"),
        Decision::NoSuchInvoice(label) => {
            report.unknown_invoice = Some(label);
            Ok(())
        }
        Decision::Refuse {
            code,
            message,
            post,
            evidence,
        } => refuse(job, row, code, message, post.as_ref(), &evidence, report),
        Decision::AlreadyInMoneybird {
            post,
            payment,
            existing,
            evidence,
        } => record_existing(job, row, &post, &payment, existing, &evidence, report),
        Decision::Book {
            post,
            plan,
            evidence,
        } => book(
            job,
            options,
            row,
            &post,
            plan,
            &evidence,
            booked_this_run,
            report,
        ),
    }
}

/// The payment as the summary names it: on `invoice`, on its booking day.
fn line(row: &Payment, job: &Job<'_>, invoice: Option<String>) -> Line {
    let day = row.booking_date(job.settings.timezone).to_string();
    Line::of(row, invoice, Some(day))
}

fn refuse(
    job: &mut Job<'_>,
    row: &Payment,
    code: ErrorCode,
    message: Message,
    post: Option<&Invoice>,
    evidence: &Evidence,
    report: &mut RunReport,
) -> Result<(), Halt> {
    let now_ms = job.clock.now_ms();
    let newly = row.standing.tab != Tab::Fouten || row.error_code() != Some(code);
    let outcome = Outcome::refused(code, message.clone(), post.map(InvoiceRef::of))
        .with_evidence(serde_json::to_string(evidence).map_err(anyhow::Error::from)?);
    let event = msg!(
        "event-not-booked",
        why = message.clone(),
        code = code.as_str()
    );
    job.store
        .record(row.id, &outcome, now_ms, newly.then_some(&event))?;
    report.count(code.as_str(), row);
    if newly {
        report
            .new_errors
            .push(line(row, job, post.map(Invoice::label)).failed(code, message));
    }
    Ok(())
}

fn record_existing(
    job: &mut Job<'_>,
    row: &Payment,
    post: &Invoice,
    payment: &InvoicePayment,
    existing: Existing,
    evidence: &Evidence,
    report: &mut RunReport,
) -> Result<(), Halt> {
    let now_ms = job.clock.now_ms();
    let date = row.booking_date(job.settings.timezone).to_string();
    let evidence_json = serde_json::to_string(evidence).map_err(anyhow::Error::from)?;
    let label = post.label();
    let (outcome, event) = match existing {
        Existing::Ours => (
            Outcome {
                booked: payment.price.filter(|price| *price != row.facts.amount),
                ..Outcome::booked(InvoiceRef::of(post), date, payment.id.clone())
            },
            msg!(
                "event-already-ours",
                payment = &payment.id,
                invoice = &label
            ),
        ),
        Existing::SameAmount => (
            booked_elsewhere(post, payment, job.clock.now().to_rfc3339()),
            msg!(
                "event-booked-elsewhere",
                payment = &payment.id,
                invoice = &label
            ),
        ),
        Existing::OtherAmount => {
            let evidence = Evidence {
                foreign_payment: Some(ForeignPayment::of(post, payment)),
                ..evidence.clone()
            };
            let message = already_booked(&label, payment);
            return refuse(
                job,
                row,
                ErrorCode::AlreadyBooked,
                message,
                Some(post),
                &evidence,
                report,
            );
        }
    };
    job.store.record(
        row.id,
        &outcome.with_evidence(evidence_json),
        now_ms,
        Some(&event),
    )?;
    report.count("already_in_moneybird", row);
    Ok(())
}

/// Moneybird holds this transaction, booked by someone else for the same amount: it is
/// accounted for, and resolved as such.
fn booked_elsewhere(post: &Invoice, payment: &InvoicePayment, at: String) -> Outcome {
    let note = msg!(
        "resolution-booked-elsewhere",
        payment = &payment.id,
        invoice = post.label(),
        date = payment.payment_date.as_deref().unwrap_or("?")
    );
    let resolution = Resolution {
        note: note.say_in(Lang::En),
        words: Some(note),
        at,
        moneybird_payment_id: Some(payment.id.clone()),
        before: None,
    };
    Outcome::resolved(resolution, Some(InvoiceRef::of(post)))
}

/// Why a payment Moneybird holds with this transaction id, for another amount, stops it.
fn already_booked(label: &str, payment: &InvoicePayment) -> Message {
    match payment.price {
        Some(price) => msg!(
            "refused-already-booked",
            invoice = label,
            payment = &payment.id,
            amount = price.to_euro_display()
        ),
        None => msg!(
            "refused-already-booked-unknown-amount",
            invoice = label,
            payment = &payment.id
        ),
    }
}

/// A booking on its way: the payment, its invoice and what is posted.
struct Booking<'a> {
    row: &'a Payment,
    post: &'a Invoice,
    plan: Plan,
    /// What was committed before the request left (guard two).
    intent: Outcome,
}

#[allow(clippy::too_many_arguments)]
fn book(
    job: &mut Job<'_>,
    options: &RunOptions,
    row: &Payment,
    post: &Invoice,
    plan: Plan,
    evidence: &Evidence,
    booked_this_run: &mut BookedThisRun,
    report: &mut RunReport,
) -> Result<(), Halt> {
    let booking_date = row.booking_date(job.settings.timezone).to_string();
    report.count("book", row);
    if options.dry_run {
        report.planned.push(line(row, job, Some(post.label())));
        booked_this_run.add(post, plan.price + plan.rounding);
        return Ok(());
    }
    let base_currency = administration_currency(job)?;
    let mut body = payment_body(job.settings, row, &booking_date, plan.price);
    with_price_base(&mut body, post, &base_currency, plan.price);
    // Guard two: the intent, and all it will post, is committed before the request leaves.
    let intent = Outcome {
        tab: row.standing.tab,
        booking: BookingState::Booking,
        error: row.failure(),
        invoice: Some(InvoiceRef::of(post)),
        payment_date: Some(booking_date),
        moneybird_payment_id: None,
        evidence_json: Some(serde_json::to_string(evidence).map_err(anyhow::Error::from)?),
        resolution: None,
        booked: (plan.price != row.facts.amount).then_some(plan.price),
        rounding: (plan.rounding.0 > 0).then_some(plan.rounding),
    };
    job.store.record(
        row.id,
        &intent,
        job.clock.now_ms(),
        Some(&msg!("event-booking", invoice = post.label())),
    )?;
    let (result, exchange) = job.moneybird.create_payment(post.kind, &post.id, &body);
    job.store
        .add_exchange(row.id, job.clock.now_ms(), &exchange)?;
    let booking = Booking {
        row,
        post,
        plan,
        intent,
    };
    match result {
        Ok(payment) => {
            booked_this_run.add(post, plan.price + plan.rounding);
            record_booked(job, booking, &payment, report)
        }
        Err(error) => record_not_booked(job, booking, error, report),
    }
}

/// Moneybird took the booking: Rapportage, once a rounding payment it needs is there too.
fn record_booked(
    job: &mut Job<'_>,
    booking: Booking<'_>,
    payment: &InvoicePayment,
    report: &mut RunReport,
) -> Result<(), Halt> {
    let Booking {
        row,
        post,
        plan,
        intent,
    } = booking;
    let now_ms = job.clock.now_ms();
    if payment.transaction_identifier.as_deref() != Some(row.facts.reference.as_str()) {
        job.store.add_event(
            row.id,
            now_ms,
            &msg!(
                "event-answer-without-reference",
                reference = &row.facts.reference,
                said = format!("{:?}", payment.transaction_identifier),
                payment = &payment.id
            ),
        )?;
    }
    let booked = Outcome {
        booking: BookingState::Booked,
        tab: Tab::Rapportage,
        error: None,
        moneybird_payment_id: Some(payment.id.clone()),
        evidence_json: None,
        ..intent
    };
    let event = msg!("event-booked", payment = &payment.id);
    if plan.rounding.0 > 0 {
        // The booking stands; the mark stays `booking` until the rounding payment is known
        // to be there, so a crash in between is finished, not doubled.
        let standing = Outcome {
            booking: BookingState::Booking,
            ..booked.clone()
        };
        job.store.record(row.id, &standing, now_ms, Some(&event))?;
        let date = booked.payment_date.clone().unwrap_or_default();
        close_with_rounding(job, row, post, &date, plan.rounding)?;
        job.store.record(row.id, &booked, now_ms, None)?;
    } else {
        job.store.record(row.id, &booked, now_ms, Some(&event))?;
    }
    report.booked.push(line(row, job, Some(post.label())));
    Ok(())
}

/// Moneybird did not take the booking, or its answer is unclear.
fn record_not_booked(
    job: &mut Job<'_>,
    booking: Booking<'_>,
    error: MoneybirdError,
    report: &mut RunReport,
) -> Result<(), Halt> {
    let Booking {
        row, post, intent, ..
    } = booking;
    let now_ms = job.clock.now_ms();
    if error.outcome_unclear() {
        job.store.add_event(
            row.id,
            now_ms,
            &msg!("event-outcome-unclear", error = error.words()),
        )?;
        return Err(Halt::Stop(msg!(
            "stop-unclear-booking",
            reference = &row.facts.reference,
            error = error.words()
        )));
    }
    // Refused before anything was done: the intent is taken back.
    let back = Outcome {
        booking: BookingState::None,
        booked: None,
        rounding: None,
        ..intent
    };
    let (code, message) = match error {
        MoneybirdError::Unauthorized(message) => {
            job.store.set_outcome(row.id, &back, now_ms)?;
            return Err(Halt::from(MoneybirdError::Unauthorized(message)));
        }
        MoneybirdError::RateLimited(_) => {
            job.store.set_outcome(row.id, &back, now_ms)?;
            return Err(Halt::Stop(error.words()));
        }
        MoneybirdError::NotFound(_) => (
            ErrorCode::NoOpenPost,
            msg!("refused-invoice-gone", invoice = post.label()),
        ),
        MoneybirdError::Rejected { message, .. } => {
            (ErrorCode::MoneybirdRejected, Message::verbatim(&message))
        }
        other => (ErrorCode::MoneybirdRejected, other.words()),
    };
    let failed = Outcome {
        tab: Tab::Fouten,
        error: Some(Failure {
            code,
            words: message.clone(),
        }),
        ..back
    };
    job.store.record(
        row.id,
        &failed,
        now_ms,
        Some(&msg!(
            "event-refused-by-moneybird",
            why = message.clone(),
            code = code.as_str()
        )),
    )?;
    report
        .new_errors
        .push(line(row, job, Some(post.label())).failed(code, message));
    Ok(())
}

/// Posts the `rounding_error` payment that closes what the tolerance leaves open. Its
/// transaction id is the CCV reference too, so it is known as this tool's after a crash.
pub(super) fn close_with_rounding(
    job: &mut Job<'_>,
    row: &Payment,
    post: &Invoice,
    booking_date: &str,
    rounding: Cents,
) -> Result<(), Halt> {
    let mut body = json!({ "payment": {
        "payment_date": booking_date,
        "price": rounding.to_decimal_string(),
        "transaction_identifier": row.facts.reference,
        "manual_payment_action": "rounding_error",
    }});
    let base_currency = administration_currency(job)?;
    with_price_base(&mut body, post, &base_currency, rounding);
    let (result, exchange) = job.moneybird.create_payment(post.kind, &post.id, &body);
    let now_ms = job.clock.now_ms();
    job.store.add_exchange(row.id, now_ms, &exchange)?;
    let event = match result {
        Ok(payment) => msg!(
            "event-rounding-closed",
            invoice = post.label(),
            amount = rounding.display_in(&row.facts.currency),
            payment = &payment.id
        ),
        Err(error) if error.outcome_unclear() => {
            return Err(Halt::Stop(msg!(
                "stop-unclear-rounding",
                invoice = post.label(),
                error = error.words()
            )));
        }
        Err(MoneybirdError::Unauthorized(message)) => {
            return Err(Halt::from(MoneybirdError::Unauthorized(message)));
        }
        Err(MoneybirdError::RateLimited(wait)) => {
            return Err(Halt::Stop(MoneybirdError::RateLimited(wait).words()));
        }
        // The booking itself stands; only the few cents stay open on the invoice.
        Err(error) => msg!(
            "event-rounding-refused",
            amount = rounding.display_in(&row.facts.currency),
            error = error.words(),
            invoice = post.label()
        ),
    };
    job.store.add_event(row.id, now_ms, &event)?;
    Ok(())
}

/// The administration's own currency, from the administration read once a day.
fn administration_currency(job: &mut Job<'_>) -> Result<String, Halt> {
    let today = job
        .clock
        .now()
        .with_timezone(&job.settings.timezone)
        .date_naive();
    Ok(super::book::administration(job, today)?.currency)
}

/// A payment on an invoice in another currency than the administration's carries its
/// amount in the administration's currency too, at the invoice's own rate: Moneybird
/// refuses it without (docs/moneybird-api.md §4.3).
fn with_price_base(body: &mut Value, post: &Invoice, base_currency: &str, price: Cents) {
    if post.currency.eq_ignore_ascii_case(base_currency) {
        return;
    }
    if let Some(base) = post.price_base(price) {
        body["payment"]["price_base"] = json!(base.to_decimal_string());
    }
}

/// The body of docs/contract.md, "What goes to Moneybird": nothing more, nothing less.
pub fn payment_body(settings: &Settings, row: &Payment, booking_date: &str, price: Cents) -> Value {
    let mut payment = json!({
        "payment_date": booking_date,
        "price": price.to_decimal_string(),
        "transaction_identifier": row.facts.reference,
    });
    if let Some(ledger) = ledger_account(&settings.ledger_accounts, row) {
        payment["manual_payment_action"] = json!("balance_settlement");
        payment["ledger_account_id"] = json!(ledger);
    }
    json!({ "payment": payment })
}
