//! One payment told whole, as `info` shows it and the support report keeps it: where it
//! stands, what CCV said, what matching found, what happened after, its history.

use std::fmt::Write as _;

use chrono::{TimeZone as _, Utc};

use crate::domain::{Payment, Tab};
use crate::ops::Context;
use crate::store::Store;
use crate::sync::matching::Evidence;

/// What Moneybird holds now of the invoices a payment's story names (where it was booked,
/// its candidates), read in bulk, one request per kind of invoice, so that `info` never
/// shows a stale copy as the truth: an invoice paid since, a payment deleted since.
pub struct Now {
    invoices: std::collections::HashMap<String, crate::moneybird::Invoice>,
    /// Whether Moneybird was asked and answered.
    asked: bool,
    /// Why it could not be asked, when it could not.
    failure: Option<String>,
}

impl Now {
    /// Nothing asked: the story as last seen (the support report says it so).
    pub fn as_last_seen() -> Now {
        Now {
            invoices: std::collections::HashMap::new(),
            asked: false,
            failure: None,
        }
    }

    pub fn read(context: &Context, row: &Payment) -> Now {
        use crate::moneybird::InvoiceKind;
        let evidence = Evidence::of_row(row.standing.evidence_json.as_deref());
        let mut wanted: Vec<(InvoiceKind, String)> = row
            .invoice()
            .map(|invoice| (invoice.kind, invoice.id))
            .into_iter()
            .chain(
                evidence
                    .candidates
                    .iter()
                    .map(|candidate| (candidate.kind, candidate.id.clone())),
            )
            .collect();
        wanted.sort_by(|a, b| (a.0.as_str(), &a.1).cmp(&(b.0.as_str(), &b.1)));
        wanted.dedup();
        if wanted.is_empty() {
            return Now::as_last_seen();
        }
        let mut now = Now::as_last_seen();
        let asked = crate::http::client().and_then(|http| {
            let client = crate::ops::moneybird_client(
                context,
                &http,
                context.settings.administration_id.clone(),
            )?;
            for kind in InvoiceKind::ALL {
                let ids: Vec<String> = wanted
                    .iter()
                    .filter(|(wanted_kind, _)| *wanted_kind == kind)
                    .map(|(_, id)| id.clone())
                    .collect();
                for batch in ids.chunks(crate::moneybird::SYNC_BATCH) {
                    for invoice in client.invoices_by_id(kind, batch)? {
                        now.invoices.insert(invoice.id.clone(), invoice);
                    }
                }
            }
            Ok(())
        });
        match asked {
            Ok(()) => now.asked = true,
            Err(error) => now.failure = Some(format!("{error:#}")),
        }
        now
    }

    /// The invoice as Moneybird holds it now: `Some(None)` when it was asked and is gone.
    pub(crate) fn invoice(&self, id: &str) -> Option<Option<&crate::moneybird::Invoice>> {
        self.asked.then(|| self.invoices.get(id))
    }
}

/// The whole story of one payment, as plain text, as last seen.
pub fn describe(store: &Store, row: &Payment, timezone: chrono_tz::Tz) -> anyhow::Result<String> {
    describe_now(store, row, timezone, &Now::as_last_seen())
}

/// [`describe`], with what Moneybird holds now where it was asked.
pub fn describe_now(
    store: &Store,
    row: &Payment,
    timezone: chrono_tz::Tz,
    now: &Now,
) -> anyhow::Result<String> {
    let mut out = String::new();
    where_it_stands(&mut out, row, timezone, now)?;
    as_ccv_says(&mut out, row, timezone)?;
    matching_evidence(&mut out, row, now)?;
    after_payment(&mut out, store, row, timezone)?;
    history(&mut out, store, row, timezone)?;
    Ok(out)
}

fn local_time(epoch_ms: i64, timezone: chrono_tz::Tz) -> String {
    crate::i18n::moment(
        Utc.timestamp_millis_opt(epoch_ms)
            .single()
            .unwrap_or_default()
            .with_timezone(&timezone)
            .naive_local(),
    )
}

/// A labelled line: the label padded so the values line up in either language, and a long
/// value wrapped under itself to the terminal's width.
fn line(out: &mut String, label: &str, value: &str) -> std::fmt::Result {
    let value = crate::view::hanging(value, LABEL_WIDTH, crate::view::table_width(false));
    writeln!(out, "{:<LABEL_WIDTH$}{value}", format!("{label}:"))
}

const LABEL_WIDTH: usize = 14;

/// Its tab, why it is there, what to do; or where it was booked.
fn where_it_stands(
    out: &mut String,
    row: &Payment,
    timezone: chrono_tz::Tz,
    now: &Now,
) -> std::fmt::Result {
    writeln!(
        out,
        "{}",
        t!("info-title", id = row.id, reference = &row.facts.reference)
    )?;
    if let Some(why) = &now.failure {
        line(out, &t!("info-moneybird"), &t!("info-not-asked", why = why))?;
    }
    if let Some(shop) = &row.shop {
        line(out, &t!("info-shop"), shop)?;
    }
    if let Some(payout) = &row.payout_reference {
        line(out, &t!("info-payout"), payout)?;
    }
    let tab = crate::view::title(row.standing.tab);
    match (&row.error_code(), row.standing.tab) {
        (Some(code), Tab::Fouten) => {
            line(out, &t!("info-tab"), &format!("{tab} ({code})"))?;
            line(
                out,
                &t!("info-reason"),
                &row.error_text().unwrap_or_default(),
            )?;
            line(
                out,
                &t!("info-what-to-do"),
                &code.advice(row.id, &row.facts.reference),
            )?;
        }
        _ => line(out, &t!("info-tab"), &tab)?,
    }
    resolved(out, row, timezone)?;
    booked(out, row, now)
}

/// How a person (or the tool, finding it done) settled it, and how to undo that.
fn resolved(out: &mut String, row: &Payment, timezone: chrono_tz::Tz) -> std::fmt::Result {
    if let Some(resolution) = &row.standing.resolution {
        let at = chrono::DateTime::parse_from_rfc3339(&resolution.at)
            .map(|at| crate::i18n::moment(at.with_timezone(&timezone).naive_local()))
            .unwrap_or_else(|_| resolution.at.clone());
        line(
            out,
            &t!("info-resolved"),
            &format!("{} ({at})", resolution.text()),
        )?;
        let undo = t!("info-resolved-undo", id = row.id);
        let undo = crate::view::hanging(&undo, LABEL_WIDTH, crate::view::table_width(false));
        writeln!(out, "{:LABEL_WIDTH$}{undo}", "")?;
    }
    Ok(())
}

/// The booking this tool made, whether it still stands, and what it left open.
fn booked(out: &mut String, row: &Payment, now: &Now) -> std::fmt::Result {
    if let (Some(id), None) = (&row.standing.moneybird_payment_id, &row.standing.resolution) {
        line(
            out,
            &t!("info-booked"),
            &t!(
                "info-booked-as",
                payment = id,
                invoice = row.invoice_label().unwrap_or("?"),
                date = crate::i18n::day_text(row.standing.payment_date.as_deref().unwrap_or("?")),
                amount = row.booked_price().display_in(&row.facts.currency)
            ),
        )?;
        let standing = row.invoice().and_then(|invoice| now.invoice(&invoice.id));
        if let Some(invoice) = standing
            && !invoice
                .is_some_and(|invoice| invoice.payments.iter().any(|payment| &payment.id == id))
        {
            line(
                out,
                &t!("info-moneybird"),
                &t!("info-booking-gone", payment = id),
            )?;
        }
        if let Some(difference) = row.difference() {
            line(
                out,
                &t!("info-difference"),
                &t!(
                    "info-difference-text",
                    amount = difference.display_in(&row.facts.currency)
                ),
            )?;
        }
        if let Some(rounding) = row.standing.rounding {
            line(
                out,
                &t!("info-rounding"),
                &t!(
                    "info-rounding-text",
                    amount = rounding.display_in(&row.facts.currency)
                ),
            )?;
        }
    }

    Ok(())
}

/// A value under a heading, its name padded so the values line up.
fn field(out: &mut String, name: &str, value: &str) -> std::fmt::Result {
    let value = crate::view::hanging(value, 15, crate::view::table_width(false));
    writeln!(out, "  {name:<13}{value}")
}

/// The payment as CCV reported it.
fn as_ccv_says(out: &mut String, row: &Payment, timezone: chrono_tz::Tz) -> std::fmt::Result {
    let time = |epoch_ms: i64| local_time(epoch_ms, timezone);
    writeln!(out, "\nCCV")?;
    let said = crate::ccv::Status::words(&row.facts.ccv_status);
    let status = match row.facts.paid_ms {
        Some(paid_ms) => t!("info-status-paid", status = said, at = time(paid_ms)),
        None => said.say(),
    };
    field(out, &t!("info-field-status"), &status)?;
    field(out, &t!("info-field-amount"), &row.amount_shown())?;
    field(
        out,
        &t!("info-field-method"),
        row.facts.method.as_deref().unwrap_or("—"),
    )?;
    field(out, &t!("info-field-created"), &time(row.facts.created_ms))?;
    field(
        out,
        &t!("info-field-order"),
        row.facts.merchant_order_reference.as_deref().unwrap_or("—"),
    )?;
    field(
        out,
        &t!("info-field-description"),
        row.facts.description.as_deref().unwrap_or("—"),
    )?;
    if let Some(child) = &row.facts.child_reference {
        writeln!(out, "  {}", t!("info-paid-through", child = child))?;
    }

    Ok(())
}

/// The rule that matched or why none did, and the candidate invoices.
fn matching_evidence(out: &mut String, row: &Payment, now: &Now) -> std::fmt::Result {
    writeln!(out, "\n{}", t!("info-matching"))?;
    let evidence: Option<Evidence> = row
        .standing
        .evidence_json
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok());
    let Some(evidence) = evidence else {
        return writeln!(out, "  {}", t!("info-not-matched"));
    };
    match (evidence.rule, &evidence.matched_text) {
        (Some(rule), Some(text)) => field(
            out,
            &t!("info-field-rule"),
            &format!("{} ({text})", rule.describe().say()),
        )?,
        (None, Some(text)) => field(out, &t!("info-field-found-by"), text)?,
        _ => field(out, &t!("info-field-rule"), &t!("info-no-rule"))?,
    }
    if let Some(hand) = &evidence.foreign_payment {
        booked_by_someone_else(out, row, &evidence, hand, now)?;
    }
    if !evidence.candidates.is_empty() {
        candidates(out, &evidence, now)?;
    }
    Ok(())
}

/// The payment someone else made in Moneybird that stands for this one, and whether it is
/// there still.
fn booked_by_someone_else(
    out: &mut String,
    row: &Payment,
    evidence: &Evidence,
    hand: &crate::domain::ForeignPayment,
    now: &Now,
) -> std::fmt::Result {
    let invoice_id = evidence
        .candidates
        .iter()
        .find(|candidate| candidate.label == hand.invoice)
        .map(|candidate| candidate.id.clone())
        .or_else(|| row.invoice().map(|invoice| invoice.id));
    let gone = invoice_id
        .as_deref()
        .and_then(|id| now.invoice(id))
        .is_some_and(|invoice| {
            !invoice
                .is_some_and(|invoice| invoice.payments.iter().any(|payment| payment.id == hand.id))
        });
    if gone {
        field(
            out,
            &t!("info-field-by-hand"),
            &t!(
                "info-by-hand-gone",
                payment = &hand.id,
                invoice = &hand.invoice
            ),
        )?;
    }
    field(
        out,
        &t!("info-field-by-hand"),
        &t!(
            "info-by-hand",
            payment = &hand.id,
            invoice = &hand.invoice,
            amount = hand
                .price
                .as_deref()
                .and_then(|price| crate::money::Cents::parse_decimal(price).ok())
                .map_or_else(|| "?".into(), |price| price.to_euro_display()),
            date = crate::i18n::day_text(hand.date.as_deref().unwrap_or("?"))
        ),
    )?;
    Ok(())
}

/// The invoices matching named, as Moneybird has them now where it was asked.
fn candidates(out: &mut String, evidence: &Evidence, now: &Now) -> std::fmt::Result {
    writeln!(out, "  {}", t!("info-candidates"))?;
    for candidate in &evidence.candidates {
        let open = crate::money::Cents::parse_decimal(&candidate.open_amount)
            .map(|cents| cents.display_in(&candidate.currency))
            .unwrap_or_else(|_| candidate.open_amount.clone());
        // What Moneybird says now, over what it said when the payment was matched.
        let state_words = |state: &str| crate::sync::matching::invoice_state(state).say();
        let (state, open) = match now.invoice(&candidate.id) {
            Some(Some(invoice)) => (
                state_words(&invoice.state),
                invoice.total_unpaid.display_in(&invoice.currency),
            ),
            Some(None) => (t!("info-invoice-gone"), String::new()),
            None => (state_words(&candidate.state), open),
        };
        writeln!(
            out,
            "    {:<16} {:<22} {:<8} {:>12} {}",
            candidate.label,
            match candidate.kind {
                crate::moneybird::InvoiceKind::SalesInvoice => t!("kind-sales-invoice"),
                crate::moneybird::InvoiceKind::ExternalSalesInvoice => t!("kind-external"),
            },
            state,
            open,
            t!("info-open")
        )?;
    }
    Ok(())
}

/// Refunds, chargebacks and reversals CCV reported, and what to do about them in Moneybird.
fn after_payment(
    out: &mut String,
    store: &Store,
    row: &Payment,
    timezone: chrono_tz::Tz,
) -> anyhow::Result<()> {
    let changes = store.changes_of(row.id)?;
    if changes.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n{}", t!("info-after-payment"))?;
    for change in &changes {
        writeln!(
            out,
            "  {}  {}",
            local_time(change.created_ms, timezone),
            t!(
                "event-change",
                kind = change.kind.name(),
                reference = &change.reference,
                amount = change.amount.display_in(&change.currency),
                status = &change.status
            )
        )?;
    }
    let width = crate::view::table_width(false);
    let proposal = proposed_action(row, &changes);
    writeln!(out, "  → {}", crate::view::hanging(&proposal, 4, width))?;
    Ok(())
}

/// What the bookkeeper should do in Moneybird about money that went back.
fn proposed_action(row: &Payment, changes: &[crate::domain::Change]) -> String {
    let taken: Vec<_> = changes
        .iter()
        .filter(|change| change.takes_money_back())
        .collect();
    let back = taken.iter().fold(crate::money::Cents::ZERO, |sum, change| {
        sum.checked_add(change.amount).unwrap_or(sum)
    });
    let back_text = back.display_in(&row.facts.currency);
    let booked = row.standing.booking == crate::domain::BookingState::Booked;
    match (taken.is_empty(), booked, row.standing.resolution.is_some()) {
        (true, _, _) => t!("proposal-nothing-yet"),
        (false, _, true) => t!("proposal-settled"),
        (false, false, false) => t!("event-change-never-booked"),
        (false, true, false) if taken.iter().any(|change| change.kind.undoes_the_payment()) => t!(
            "proposal-undo",
            id = row.id,
            payment = row.standing.moneybird_payment_id.as_deref().unwrap_or("?"),
            invoice = row.invoice_label().unwrap_or("?")
        ),
        (false, true, false) if back >= row.facts.amount => {
            t!("proposal-credit-invoice", id = row.id, amount = back_text)
        }
        (false, true, false) => t!(
            "proposal-credit-invoice-partial",
            id = row.id,
            amount = back_text,
            booked = row.booked_price().display_in(&row.facts.currency)
        ),
    }
}

/// Its history, the last Moneybird exchange, and CCV's own record.
fn history(
    out: &mut String,
    store: &Store,
    row: &Payment,
    timezone: chrono_tz::Tz,
) -> anyhow::Result<()> {
    let time = |epoch_ms: i64| local_time(epoch_ms, timezone);
    writeln!(out, "\n{}", t!("info-history"))?;
    for (at_ms, what) in store.events(row.id, crate::i18n::current())? {
        let at = time(at_ms);
        let indent = 4 + at.chars().count();
        let what = crate::view::hanging(&what, indent, crate::view::table_width(false));
        writeln!(out, "  {at}  {what}")?;
    }

    writeln!(out, "\n{}", t!("info-last-request"))?;
    match store.last_exchange(row.id)? {
        None => writeln!(out, "  {}", t!("info-no-request"))?,
        Some(exchange) => {
            // The path under Moneybird's /api/v2/, so it fits a line of 80.
            writeln!(out, "  {} {}", exchange.method, exchange.path)?;
            // Bodies are JSON: one key a line, so they fit a narrow screen.
            let body = |text: &str| {
                let pretty = serde_json::from_str::<serde_json::Value>(text)
                    .and_then(|value| serde_json::to_string_pretty(&value))
                    .unwrap_or_else(|_| text.to_string());
                pretty
                    .lines()
                    .map(|line| format!("    {line}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            if let Some(sent) = &exchange.request_body {
                writeln!(out, "  {}:\n{}", t!("info-sent"), body(sent))?;
            }
            match exchange.status {
                Some(status) => writeln!(
                    out,
                    "  {}: {status}\n{}",
                    t!("info-answer"),
                    body(exchange.response_body.as_deref().unwrap_or(""))
                )?,
                None => writeln!(out, "  {}: {}", t!("info-answer"), t!("info-no-answer"))?,
            }
        }
    }

    writeln!(out, "\n{}", t!("info-as-ccv-reported"))?;
    let (raw, _) = store.payment_raw(row.id)?;
    let raw: serde_json::Value = serde_json::from_str(&raw)?;
    for line in serde_json::to_string_pretty(&raw)?.lines() {
        writeln!(out, "  {line}")?;
    }
    Ok(())
}
