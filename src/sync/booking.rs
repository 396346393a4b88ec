//! Step 4: deciding what to do with one payment and doing it, exactly once. The intent is
//! committed before the POST, and Moneybird's own record of the transaction id is asked
//! before every booking (architecture.md, "Book, exactly once"). What a person did in
//! Moneybird is looked at before anything is posted: a payment booked by hand on any
//! candidate invoice, a payment already carrying this transaction id.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::matching::{
    self, CandidateEvidence, Evidence, ForeignPayment, Found, PaymentFacts, Plan, Policy, PostIndex,
};
use super::{Halt, Job, Line, RunOptions, RunReport, reconnect_moneybird};
use crate::codes::ErrorCode;
use crate::config::Settings;
use crate::domain::{BookingState, Failure, InvoiceRef, Outcome, Payment, Resolution, Tab};
use crate::i18n::{Lang, Message};
use crate::money::Cents;
use crate::moneybird::{Invoice, InvoiceKind, InvoicePayment, MoneybirdError};

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

/// Everything a decision may look at, gathered before the first one.
pub(super) struct Lookup<'a> {
    /// The open posts, freshly synchronized.
    pub open: &'a PostIndex<'a>,
    /// Fresh copies of the invoices that earlier looks named as candidates and that are no
    /// longer open (paid since, perhaps by hand).
    pub earlier: &'a PostIndex<'a>,
    /// Moneybird payments some resolved row already stands for.
    pub claimed: &'a HashSet<String>,
    /// Per payment method mapped to a ledger account that Moneybird does not offer: why.
    pub unusable_ledgers: &'a HashMap<String, crate::i18n::Message>,
    pub policy: &'a Policy,
}

impl<'a> Lookup<'a> {
    /// A fresh copy of the invoice with this id: open, or a candidate that left since.
    fn by_id(&self, kind: InvoiceKind, id: &str) -> Option<&'a Invoice> {
        self.open
            .by_id(kind, id)
            .or_else(|| self.earlier.by_id(kind, id))
    }
}

/// How a payment Moneybird already holds with this transaction id relates to ours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Existing {
    /// Exactly what this tool would have posted: ours, from a run whose state is gone.
    Ours,
    /// Booked outside this tool for the same amount: accounted for.
    SameAmount,
    /// Booked outside this tool for another amount.
    OtherAmount,
}

/// What to do with one payment.
pub(super) enum Decision {
    Book {
        post: Invoice,
        plan: Plan,
        evidence: Evidence,
    },
    AlreadyInMoneybird {
        post: Invoice,
        payment: InvoicePayment,
        existing: Existing,
        evidence: Evidence,
    },
    Refuse {
        code: ErrorCode,
        message: Message,
        post: Option<Invoice>,
        evidence: Evidence,
    },
    /// No open post fits: the recently paid invoices are asked before refusing.
    NoCandidate,
    /// A person named an invoice that is not an open post; the payment stays as it was.
    NoSuchInvoice(String),
}

pub(super) fn decide(
    settings: &Settings,
    row: &Payment,
    lookup: &Lookup<'_>,
    booked_this_run: &BookedThisRun,
    chosen: Option<&str>,
) -> Decision {
    let facts = PaymentFacts {
        reference: &row.facts.reference,
        amount: row.facts.amount,
        currency: &row.facts.currency,
        merchant_order_reference: row.facts.merchant_order_reference.as_deref(),
        description: row.facts.description.as_deref(),
    };
    let booking_date = row.booking_date(settings.timezone);
    let earlier = Evidence::of_row(row.evidence_json.as_deref());
    let earlier_posts: Vec<&Invoice> = earlier
        .candidates
        .iter()
        .filter_map(|candidate| lookup.by_id(candidate.kind, &candidate.id))
        .collect();
    if let Some(found) = already_in_moneybird(settings, row, lookup, &earlier, &earlier_posts) {
        return found;
    }
    if let Some(why) = row
        .facts
        .method
        .as_deref()
        .and_then(|method| lookup.unusable_ledgers.get(method))
    {
        return Decision::Refuse {
            code: ErrorCode::LedgerAccountUnknown,
            message: why.clone(),
            post: None,
            evidence: earlier,
        };
    }
    let found = match chosen {
        Some(label) => match lookup.open.by_label(label).as_slice() {
            [post] => Found::One {
                post,
                rule: matching::Rule::NamedByPerson,
                matched: label.to_string(),
            },
            _ => return Decision::NoSuchInvoice(label.to_string()),
        },
        None => lookup.open.find(&facts),
    };
    let look = Look {
        found: &found,
        chosen: chosen.is_some(),
        earlier: &earlier,
        booked_this_run,
    };
    let matched = look.posts();
    // A person may have booked it by hand on any candidate, as the advice allowed: this
    // look's, an earlier look's, or the one a person names now.
    for post in matched.iter().chain(&earlier_posts) {
        if let Some(payment) = matching::hand_booking(
            post,
            row.facts.amount,
            lookup.policy.rounding_tolerance,
            row.facts.created_ms,
            lookup.claimed,
        ) {
            return booked_by_hand(post, payment, look.evidence(&matched));
        }
    }
    // Ambiguity is settled by a person naming the invoice, never by what is left over.
    if chosen.is_none() && (earlier.ambiguous || row.error_code == Some(ErrorCode::AmbiguousMatch))
    {
        return still_ambiguous(lookup, &look, &matched);
    }
    match &found {
        Found::None => Decision::NoCandidate,
        Found::Several { .. } => several(&look, &matched),
        Found::One { post, .. } => checked(
            &facts,
            booked_this_run.current(post),
            booking_date,
            lookup.policy,
            look.evidence(&[*post]),
        ),
    }
}

/// Several open posts fit: nothing is booked.
fn several(look: &Look<'_, '_>, posts: &[&Invoice]) -> Decision {
    let Found::Several { rule, matched, .. } = look.found else {
        unreachable!("only for several open posts")
    };
    Decision::Refuse {
        code: ErrorCode::AmbiguousMatch,
        message: msg!(
            "refused-ambiguous",
            count = posts.len(),
            rule = rule.describe(),
            matched = matched,
            invoices = posts
                .iter()
                .map(|post| post.label())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        post: None,
        evidence: look.evidence(posts),
    }
}

/// Guard three: Moneybird itself is asked before every booking whether it already holds
/// this transaction, on the open posts and on every earlier candidate.
fn already_in_moneybird(
    settings: &Settings,
    row: &Payment,
    lookup: &Lookup<'_>,
    earlier: &Evidence,
    earlier_posts: &[&Invoice],
) -> Option<Decision> {
    let (post, payment) = lookup.open.booked_with(&row.facts.reference).or_else(|| {
        earlier_posts.iter().find_map(|post| {
            post.payment_with_identifier(&row.facts.reference)
                .map(|payment| (*post, payment))
        })
    })?;
    let existing = classify_existing(
        payment,
        row,
        lookup.policy,
        row.booking_date(settings.timezone),
        ledger_account(settings, row),
    );
    Some(Decision::AlreadyInMoneybird {
        existing,
        post: post.clone(),
        payment: payment.clone(),
        evidence: Evidence {
            rule: Some(matching::Rule::TransactionIdentifier),
            matched_text: Some(row.facts.reference.clone()),
            candidates: vec![CandidateEvidence::of(post)],
            foreign_payment: None,
            ambiguous: false,
        }
        .keeping(earlier),
    })
}

/// What one look at the open posts found, and how it becomes evidence.
struct Look<'a, 'p> {
    found: &'a Found<'p>,
    chosen: bool,
    earlier: &'a Evidence,
    booked_this_run: &'a BookedThisRun,
}

impl<'p> Look<'_, 'p> {
    fn posts(&self) -> Vec<&'p Invoice> {
        match self.found {
            Found::One { post, .. } => vec![*post],
            Found::Several { posts, .. } => posts.clone(),
            Found::None => Vec::new(),
        }
    }

    /// The evidence of this look about `posts`, keeping what earlier looks found.
    fn evidence(&self, posts: &[&Invoice]) -> Evidence {
        let (rule, matched_text) = match self.found {
            // No rule chose a named invoice: a person did.
            Found::One { rule, matched, .. } | Found::Several { rule, matched, .. } => {
                (Some(*rule).filter(|_| !self.chosen), Some(matched.clone()))
            }
            Found::None => (None, None),
        };
        Evidence {
            rule,
            matched_text,
            candidates: posts
                .iter()
                .map(|post| CandidateEvidence::of(&self.booked_this_run.current(post)))
                .collect(),
            foreign_payment: None,
            ambiguous: posts.len() > 1,
        }
        .keeping(self.earlier)
    }
}

/// A payment that once fitted several invoices, refused again with the candidates as
/// they stand now.
fn still_ambiguous(lookup: &Lookup<'_>, look: &Look<'_, '_>, matched: &[&Invoice]) -> Decision {
    let mut evidence = look.evidence(matched);
    evidence.ambiguous = true;
    for candidate in &mut evidence.candidates {
        if let Some(post) = lookup.by_id(candidate.kind, &candidate.id) {
            *candidate = CandidateEvidence::of(&look.booked_this_run.current(post));
        }
    }
    Decision::Refuse {
        code: ErrorCode::AmbiguousMatch,
        message: msg!(
            "refused-still-ambiguous",
            candidates = candidate_list(&evidence.candidates)
        ),
        post: None,
        evidence,
    }
}

fn checked(
    facts: &PaymentFacts<'_>,
    post: Invoice,
    booking_date: NaiveDate,
    policy: &Policy,
    evidence: Evidence,
) -> Decision {
    match matching::check(facts, &post, booking_date, policy) {
        Ok(plan) => Decision::Book {
            post,
            plan,
            evidence,
        },
        Err(refusal) => Decision::Refuse {
            code: refusal.code,
            message: refusal.message,
            post: Some(post),
            evidence,
        },
    }
}

pub(super) fn booked_by_hand(
    post: &Invoice,
    payment: &InvoicePayment,
    mut evidence: Evidence,
) -> Decision {
    let found = ForeignPayment::of(post, payment);
    evidence.foreign_payment = Some(found.clone());
    Decision::Refuse {
        code: ErrorCode::BookedByHand,
        message: msg!(
            "refused-booked-by-hand",
            invoice = post.label(),
            amount = payment
                .price
                .map_or_else(|| "?".to_string(), Cents::to_euro_display),
            date = crate::i18n::Arg::day_or_text(found.date.as_deref().unwrap_or("?")),
            payment = &payment.id
        ),
        post: Some(post.clone()),
        evidence,
    }
}

fn candidate_list(candidates: &[CandidateEvidence]) -> Message {
    let open: Vec<&CandidateEvidence> = candidates
        .iter()
        .filter(|candidate| candidate.is_open())
        .collect();
    let all = candidates
        .iter()
        .map(|candidate| candidate.label.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    match open.len() {
        0 => msg!("candidates-none-open", all = all),
        1 => msg!("candidates-one-open", all = all, open = &open[0].label),
        count => msg!("candidates-several-open", count = count, all = all),
    }
}

fn classify_existing(
    payment: &InvoicePayment,
    row: &Payment,
    policy: &Policy,
    booking_date: NaiveDate,
    ledger: Option<&str>,
) -> Existing {
    if matching::is_our_booking(
        payment,
        row.facts.amount,
        policy.rounding_tolerance,
        booking_date,
        ledger,
    ) {
        Existing::Ours
    } else if payment.price == Some(row.facts.amount) {
        Existing::SameAmount
    } else {
        Existing::OtherAmount
    }
}

pub(super) fn no_open_post_message(row: &Payment) -> Message {
    let said: Vec<String> = [&row.facts.merchant_order_reference, &row.facts.description]
        .into_iter()
        .flatten()
        .map(|text| format!("`{text}`"))
        .collect();
    match said.as_slice() {
        [] => msg!("refused-nothing-to-match-by"),
        [one] => msg!("refused-no-open-post", said = one),
        [one, other, ..] => msg!("refused-no-open-post-either", said = one, other = other),
    }
}

fn invoice_ref(post: &Invoice) -> InvoiceRef {
    InvoiceRef {
        kind: post.kind,
        id: post.id.clone(),
        label: post.label(),
    }
}

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

fn line(row: &Payment, job: &Job<'_>, invoice: Option<String>) -> Line {
    Line {
        id: row.id,
        reference: row.facts.reference.clone(),
        amount: row.facts.amount,
        amount_as_sent: row.facts.amount_as_sent.clone(),
        currency: row.facts.currency.clone(),
        invoice,
        payment_date: Some(row.booking_date(job.settings.timezone).to_string()),
        error: None,
    }
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
    let newly = row.tab != Tab::Fouten || row.error_code != Some(code);
    let outcome = Outcome::refused(code, message.clone(), post.map(invoice_ref))
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
        report.new_errors.push(Line {
            error: Some(Failure {
                code,
                words: message,
            }),
            ..line(row, job, post.map(Invoice::label))
        });
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
                ..Outcome::booked(invoice_ref(post), date, payment.id.clone())
            },
            msg!(
                "event-already-ours",
                payment = &payment.id,
                invoice = &label
            ),
        ),
        Existing::SameAmount => {
            let note = msg!(
                "resolution-booked-elsewhere",
                payment = &payment.id,
                invoice = &label,
                date = payment.payment_date.as_deref().unwrap_or("?")
            );
            let resolution = Resolution {
                note: note.say_in(Lang::En),
                words: Some(note),
                at: job.clock.now().to_rfc3339(),
                moneybird_payment_id: Some(payment.id.clone()),
                before: None,
            };
            (
                Outcome::resolved(resolution, Some(invoice_ref(post))),
                msg!(
                    "event-booked-elsewhere",
                    payment = &payment.id,
                    invoice = &label
                ),
            )
        }
        Existing::OtherAmount => {
            let message = match payment.price {
                Some(price) => msg!(
                    "refused-already-booked",
                    invoice = &label,
                    payment = &payment.id,
                    amount = price.to_euro_display()
                ),
                None => msg!(
                    "refused-already-booked-unknown-amount",
                    invoice = &label,
                    payment = &payment.id
                ),
            };
            let evidence = Evidence {
                foreign_payment: Some(ForeignPayment::of(post, payment)),
                ..evidence.clone()
            };
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
        tab: row.tab,
        booking: BookingState::Booking,
        error: row.failure(),
        invoice: Some(invoice_ref(post)),
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
            return Err(Halt::Fail(reconnect_moneybird(&message)));
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
    report.new_errors.push(Line {
        error: Some(Failure {
            code,
            words: message,
        }),
        ..line(row, job, Some(post.label()))
    });
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
            return Err(Halt::Fail(reconnect_moneybird(&message)));
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
    Ok(super::administration(job, today)?.currency)
}

/// A payment on an invoice in another currency than the administration's carries its
/// amount in the administration's currency too, at the invoice's own rate: Moneybird
/// refuses it without (moneybird-api.md §4.3).
fn with_price_base(body: &mut Value, post: &Invoice, base_currency: &str, price: Cents) {
    if post.currency.eq_ignore_ascii_case(base_currency) {
        return;
    }
    if let Some(base) = post.price_base(price) {
        body["payment"]["price_base"] = json!(base.to_decimal_string());
    }
}

/// The body of contract.md, "What goes to Moneybird": nothing more, nothing less.
pub fn payment_body(settings: &Settings, row: &Payment, booking_date: &str, price: Cents) -> Value {
    let mut payment = json!({
        "payment_date": booking_date,
        "price": price.to_decimal_string(),
        "transaction_identifier": row.facts.reference,
    });
    if let Some(ledger) = ledger_account(settings, row) {
        payment["manual_payment_action"] = json!("balance_settlement");
        payment["ledger_account_id"] = json!(ledger);
    }
    json!({ "payment": payment })
}

fn ledger_account<'a>(settings: &'a Settings, row: &Payment) -> Option<&'a str> {
    row.facts
        .method
        .as_deref()
        .and_then(|method| settings.ledger_accounts.get(method))
        .map(String::as_str)
}
