//! Step 4: deciding what to do with one payment and doing it, exactly once. The intent is
//! committed before the POST, and Moneybird's own record of the transaction id is asked
//! before every booking (architecture.md, "Book, exactly once").

use std::collections::HashMap;

use serde_json::{Value, json};

use super::matching::{self, CandidateEvidence, Evidence, Found, PaymentFacts, Policy, PostIndex};
use super::{Job, Line, RunOptions, RunReport, booking_date, reconnect_moneybird};
use crate::config::Settings;
use crate::money::Cents;
use crate::moneybird::{Invoice, InvoiceKind, MoneybirdError};
use crate::store::{BookingState, Outcome, PaymentRow, Tab};

/// What this run has booked per invoice, so later payments see the lower open amount.
#[derive(Default)]
pub(super) struct BookedThisRun {
    paid: HashMap<(InvoiceKind, String), Cents>,
}

impl BookedThisRun {
    pub(super) fn current(&self, post: &Invoice) -> Invoice {
        let mut post = post.clone();
        if let Some(paid) = self.paid.get(&(post.kind, post.id.clone())) {
            post.total_unpaid = post
                .total_unpaid
                .checked_sub(*paid)
                .unwrap_or(post.total_unpaid);
            if post.total_unpaid.0 <= 0 {
                post.state = "paid".into();
            }
        }
        post
    }

    pub(super) fn add(&mut self, post: &Invoice, amount: Cents) {
        let entry = self.paid.entry((post.kind, post.id.clone())).or_default();
        *entry = entry.checked_add(amount).unwrap_or(*entry);
    }
}

/// What to do with one payment.
pub(super) enum Decision {
    Book {
        post: Invoice,
        evidence: Evidence,
    },
    AlreadyInMoneybird {
        post: Invoice,
        payment_id: String,
        ours: bool,
        evidence: Evidence,
    },
    Refuse {
        code: &'static str,
        message: String,
        post: Option<Invoice>,
        evidence: Evidence,
    },
    NoCandidate,
}

pub(super) fn decide(
    settings: &Settings,
    row: &PaymentRow,
    index: &PostIndex<'_>,
    booked_this_run: &BookedThisRun,
    policy: &Policy,
) -> Decision {
    let facts = PaymentFacts {
        reference: &row.reference,
        amount: row.amount,
        currency: &row.currency,
        merchant_order_reference: row.merchant_order_reference.as_deref(),
        description: row.description.as_deref(),
    };
    let booking_date = booking_date(row, settings.timezone);
    let ledger = ledger_account(settings, row);
    // Guard three: Moneybird itself is asked before every booking whether it already
    // holds this transaction, so a lost state file cannot cause a second booking.
    if let Some((post, existing)) = index.booked_with(&row.reference) {
        let ours = matching::is_our_booking(existing, row.amount, booking_date, ledger);
        return Decision::AlreadyInMoneybird {
            post: post.clone(),
            payment_id: existing.id.clone(),
            ours,
            evidence: Evidence {
                rule: None,
                matched_text: Some(format!("transaction identifier {}", row.reference)),
                candidates: vec![CandidateEvidence::of(post)],
            },
        };
    }
    match index.find(&facts) {
        Found::None => Decision::NoCandidate,
        Found::Several {
            posts,
            rule,
            matched,
        } => Decision::Refuse {
            code: "ambiguous_match",
            message: format!(
                "{} open posts match by {} ({matched}): {}; nothing was booked",
                posts.len(),
                rule.describe(),
                posts
                    .iter()
                    .map(|post| post.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            post: None,
            evidence: Evidence {
                rule: Some(rule),
                matched_text: Some(matched),
                candidates: posts
                    .iter()
                    .map(|post| CandidateEvidence::of(post))
                    .collect(),
            },
        },
        Found::One {
            post,
            rule,
            matched,
        } => {
            let current = booked_this_run.current(post);
            let evidence = Evidence {
                rule: Some(rule),
                matched_text: Some(matched),
                candidates: vec![CandidateEvidence::of(&current)],
            };
            match matching::check(&facts, &current, booking_date, policy) {
                Ok(()) => Decision::Book {
                    post: current,
                    evidence,
                },
                Err(refusal) => Decision::Refuse {
                    code: refusal.code,
                    message: refusal.message,
                    post: Some(current),
                    evidence,
                },
            }
        }
    }
}

pub(super) fn no_open_post_message(row: &PaymentRow) -> String {
    let said: Vec<String> = [&row.merchant_order_reference, &row.description]
        .into_iter()
        .flatten()
        .map(|text| format!("`{text}`"))
        .collect();
    if said.is_empty() {
        "the payment carries no order reference or description to find its invoice by".into()
    } else {
        format!("no open invoice matches {}", said.join(" or "))
    }
}

/// Carries out one decision. Returns why the run must stop booking, if it must.
pub(super) fn carry_out(
    job: &mut Job<'_>,
    options: &RunOptions,
    row: &PaymentRow,
    decision: Decision,
    booked_this_run: &mut BookedThisRun,
    report: &mut RunReport,
) -> anyhow::Result<Option<String>> {
    let now_ms = job.clock.now_ms();
    let booking_date = booking_date(row, job.settings.timezone).to_string();
    let line = |invoice: Option<&Invoice>, error: Option<(String, String)>| Line {
        id: row.id,
        reference: row.reference.clone(),
        amount: row.amount,
        invoice: invoice.map(Invoice::label),
        payment_date: Some(booking_date.clone()),
        error,
    };
    match decision {
        Decision::NoCandidate => unreachable!("resolved before carrying out"),
        Decision::Refuse {
            code,
            message,
            post,
            evidence,
        } => {
            let error = (code.to_string(), message);
            let newly = row.tab != Tab::Fouten || row.error_code.as_deref() != Some(code);
            let outcome = Outcome {
                tab: Tab::Fouten,
                booking: BookingState::None,
                error: Some(error.clone()),
                invoice: post
                    .as_ref()
                    .map(|post| (post.kind, post.id.clone(), post.label())),
                payment_date: None,
                moneybird_payment_id: None,
                evidence_json: Some(serde_json::to_string(&evidence)?),
            };
            let event = format!("not booked: {} ({})", error.1, error.0);
            job.store
                .record(row.id, &outcome, now_ms, newly.then_some(event.as_str()))?;
            if newly {
                report.new_errors.push(line(post.as_ref(), Some(error)));
            }
            Ok(None)
        }
        Decision::AlreadyInMoneybird {
            post,
            payment_id,
            ours,
            evidence,
        } => {
            let (outcome, what) = if ours {
                (
                    Outcome {
                        tab: Tab::Rapportage,
                        booking: BookingState::Booked,
                        error: None,
                        invoice: Some((post.kind, post.id.clone(), post.label())),
                        payment_date: Some(booking_date.clone()),
                        moneybird_payment_id: Some(payment_id.clone()),
                        evidence_json: Some(serde_json::to_string(&evidence)?),
                    },
                    format!(
                        "already booked in Moneybird as payment {payment_id} on invoice {}; recorded, not booked again",
                        post.label()
                    ),
                )
            } else {
                let message = format!(
                    "invoice {} already holds Moneybird payment {payment_id} with this transaction id, not made by this tool",
                    post.label()
                );
                (
                    Outcome {
                        tab: Tab::Fouten,
                        booking: BookingState::None,
                        error: Some(("already_booked".into(), message.clone())),
                        invoice: Some((post.kind, post.id.clone(), post.label())),
                        payment_date: None,
                        moneybird_payment_id: None,
                        evidence_json: Some(serde_json::to_string(&evidence)?),
                    },
                    format!("not booked: {message}"),
                )
            };
            let newly_failed = !ours && row.error_code.as_deref() != Some("already_booked");
            job.store.record(row.id, &outcome, now_ms, Some(&what))?;
            if newly_failed {
                report
                    .new_errors
                    .push(line(Some(&post), outcome.error.clone()));
            }
            Ok(None)
        }
        Decision::Book { post, evidence } => {
            let body = payment_body(job.settings, row, &booking_date);
            if options.dry_run {
                report.planned.push(line(Some(&post), None));
                booked_this_run.add(&post, row.amount);
                return Ok(None);
            }
            // Guard two: the intent is committed before the request leaves.
            let intent = Outcome {
                tab: row.tab,
                booking: BookingState::Booking,
                error: row.error_code.clone().zip(row.error_message.clone()),
                invoice: Some((post.kind, post.id.clone(), post.label())),
                payment_date: Some(booking_date.clone()),
                moneybird_payment_id: None,
                evidence_json: Some(serde_json::to_string(&evidence)?),
            };
            job.store.record(
                row.id,
                &intent,
                now_ms,
                Some(&format!("booking on invoice {}", post.label())),
            )?;
            let (result, exchange) = job.moneybird.create_payment(post.kind, &post.id, &body);
            let now_ms = job.clock.now_ms();
            job.store.add_exchange(row.id, now_ms, &exchange)?;
            match result {
                Ok(payment) => {
                    booked_this_run.add(&post, row.amount);
                    let outcome = Outcome {
                        tab: Tab::Rapportage,
                        booking: BookingState::Booked,
                        error: None,
                        moneybird_payment_id: Some(payment.id.clone()),
                        evidence_json: None,
                        ..intent
                    };
                    job.store.record(
                        row.id,
                        &outcome,
                        now_ms,
                        Some(&format!("booked: Moneybird payment {}", payment.id)),
                    )?;
                    report.booked.push(line(Some(&post), None));
                    Ok(None)
                }
                Err(error) if error.outcome_unclear() => {
                    job.store.add_event(
                        row.id,
                        now_ms,
                        &format!("outcome unclear ({error}); the next run reads the invoice before doing anything"),
                    )?;
                    Ok(Some(format!(
                        "Moneybird did not answer clearly while booking {}: {error}",
                        row.reference
                    )))
                }
                Err(error) => {
                    let back = Outcome {
                        booking: BookingState::None,
                        ..intent
                    };
                    match error {
                        MoneybirdError::Unauthorized(message) => {
                            job.store.set_outcome(row.id, &back, now_ms)?;
                            Err(reconnect_moneybird(&message))
                        }
                        MoneybirdError::RateLimited(_) => {
                            job.store.set_outcome(row.id, &back, now_ms)?;
                            Ok(Some(error.to_string()))
                        }
                        other => {
                            let (code, message) = match &other {
                                MoneybirdError::NotFound(_) => (
                                    "no_open_post",
                                    format!(
                                        "invoice {} no longer exists in Moneybird",
                                        post.label()
                                    ),
                                ),
                                MoneybirdError::Rejected { message, .. } => {
                                    ("moneybird_rejected", message.clone())
                                }
                                other => ("moneybird_rejected", other.to_string()),
                            };
                            let failed = Outcome {
                                tab: Tab::Fouten,
                                error: Some((code.to_string(), message.clone())),
                                ..back
                            };
                            job.store.record(
                                row.id,
                                &failed,
                                now_ms,
                                Some(&format!(
                                    "Moneybird refused the booking: {message} ({code})"
                                )),
                            )?;
                            report
                                .new_errors
                                .push(line(Some(&post), failed.error.clone()));
                            Ok(None)
                        }
                    }
                }
            }
        }
    }
}

/// The body of contract.md, "What goes to Moneybird": nothing more, nothing less.
pub fn payment_body(settings: &Settings, row: &PaymentRow, booking_date: &str) -> Value {
    let mut payment = json!({
        "payment_date": booking_date,
        "price": row.amount.to_decimal_string(),
        "transaction_identifier": row.reference,
    });
    if let Some(ledger) = ledger_account(settings, row) {
        payment["manual_payment_action"] = json!("balance_settlement");
        payment["ledger_account_id"] = json!(ledger);
    }
    json!({ "payment": payment })
}

fn ledger_account<'a>(settings: &'a Settings, row: &PaymentRow) -> Option<&'a str> {
    row.method
        .as_deref()
        .and_then(|method| settings.ledger_accounts.get(method))
        .map(String::as_str)
}
