//! `info`: "Meer info", everything known about one payment and what to do about it.

use std::fmt::Write as _;

use chrono::{TimeZone as _, Utc};
use clap::Args;

use super::{Context, find_payment};
use crate::store::{PaymentRow, Store, Tab};
use crate::sync::matching::Evidence;

/// Everything known about one payment: what CCV said, its history, the matching evidence,
/// the last Moneybird request and answer, and what you can do
#[derive(Debug, Args)]
pub struct InfoArgs {
    /// The payment: its id from the tables, or its CCV reference
    pub payment: String,
}

pub fn run(context: &Context, args: &InfoArgs) -> anyhow::Result<()> {
    let store = context.open_existing_store()?;
    let row = find_payment(&store, &args.payment)?;
    print!("{}", describe(&store, &row, context.settings.timezone)?);
    Ok(())
}

/// The whole story of one payment, as plain text.
pub fn describe(
    store: &Store,
    row: &PaymentRow,
    timezone: chrono_tz::Tz,
) -> anyhow::Result<String> {
    let mut out = String::new();
    where_it_stands(&mut out, row, timezone)?;
    as_ccv_says(&mut out, row, timezone)?;
    matching_evidence(&mut out, row)?;
    history(&mut out, store, row, timezone)?;
    Ok(out)
}

fn local_time(epoch_ms: i64, timezone: chrono_tz::Tz) -> String {
    Utc.timestamp_millis_opt(epoch_ms)
        .single()
        .unwrap_or_default()
        .with_timezone(&timezone)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// Its tab, why it is there, what to do; or where it was booked.
fn where_it_stands(
    out: &mut String,
    row: &PaymentRow,
    timezone: chrono_tz::Tz,
) -> std::fmt::Result {
    writeln!(out, "Payment #{} · {}", row.id, row.reference)?;
    let tab = crate::view::title(row.tab);
    match (&row.error_code, row.tab) {
        (Some(code), Tab::Fouten) => {
            writeln!(out, "Tab:          {tab} ({code})")?;
            writeln!(
                out,
                "Reason:       {}",
                row.error_message.as_deref().unwrap_or("")
            )?;
            writeln!(out, "What to do:   {}", code.advice(row.id, &row.reference))?;
        }
        _ => writeln!(out, "Tab:          {tab}")?,
    }
    if let Some(resolution) = &row.resolution {
        writeln!(
            out,
            "Resolved:     {} ({})",
            resolution.note,
            chrono::DateTime::parse_from_rfc3339(&resolution.at)
                .map(|at| at
                    .with_timezone(&timezone)
                    .format("%Y-%m-%d %H:%M")
                    .to_string())
                .unwrap_or_else(|_| resolution.at.clone())
        )?;
        writeln!(
            out,
            "              Never touched again; `ccv-moneybird resolve --undo {}` puts it back.",
            row.id
        )?;
    }
    if let (Some(id), None) = (&row.moneybird_payment_id, &row.resolution) {
        writeln!(
            out,
            "Booked:       Moneybird payment {id} on invoice {}, dated {}, for {}",
            row.invoice_label.as_deref().unwrap_or("?"),
            row.payment_date.as_deref().unwrap_or("?"),
            row.booked_price().display_in(&row.currency)
        )?;
        if let Some(difference) = row.difference() {
            writeln!(
                out,
                "Difference:   {} more than was open, within booking.rounding_tolerance; it stays on the tussenrekening",
                difference.display_in(&row.currency)
            )?;
        }
        if let Some(rounding) = row.rounding {
            writeln!(
                out,
                "Rounding:     {} closed as a rounding difference (a `rounding_error` payment), so the invoice is paid",
                rounding.display_in(&row.currency)
            )?;
        }
    }

    Ok(())
}

/// The payment as CCV reported it.
fn as_ccv_says(out: &mut String, row: &PaymentRow, timezone: chrono_tz::Tz) -> std::fmt::Result {
    let time = |epoch_ms: i64| local_time(epoch_ms, timezone);
    writeln!(out, "\nCCV")?;
    let status = match row.paid_ms {
        Some(paid_ms) => format!("{} (paid {})", row.ccv_status, time(paid_ms)),
        None => row.ccv_status.clone(),
    };
    writeln!(out, "  status       {status}")?;
    writeln!(
        out,
        "  amount       {}",
        row.amount.display_in(&row.currency)
    )?;
    writeln!(
        out,
        "  method       {}",
        row.method.as_deref().unwrap_or("—")
    )?;
    writeln!(out, "  created      {}", time(row.created_ms))?;
    writeln!(
        out,
        "  order ref    {}",
        row.merchant_order_reference.as_deref().unwrap_or("—")
    )?;
    writeln!(
        out,
        "  description  {}",
        row.description.as_deref().unwrap_or("—")
    )?;
    if let Some(child) = &row.child_reference {
        writeln!(out, "  paid through {child} (payment link)")?;
    }

    Ok(())
}

/// The rule that matched or why none did, and the candidate invoices.
fn matching_evidence(out: &mut String, row: &PaymentRow) -> std::fmt::Result {
    writeln!(out, "\nMatching")?;
    let evidence: Option<Evidence> = row
        .evidence_json
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok());
    match evidence {
        None => writeln!(out, "  not matched yet")?,
        Some(evidence) => {
            match (evidence.rule, &evidence.matched_text) {
                (Some(rule), Some(text)) => {
                    writeln!(out, "  rule         {} ({text})", rule.describe())?
                }
                (None, Some(text)) => writeln!(out, "  found by     {text}")?,
                _ => writeln!(
                    out,
                    "  rule         none matched: no invoice number, reference or payment reference of an open invoice appears in the order reference or description"
                )?,
            }
            if let Some(hand) = &evidence.foreign_payment {
                writeln!(
                    out,
                    "  by hand      Moneybird payment {} on invoice {}: {} on {}, no transaction id",
                    hand.id,
                    hand.invoice,
                    hand.price
                        .as_deref()
                        .and_then(|price| crate::money::Cents::parse_decimal(price).ok())
                        .map_or_else(|| "?".into(), |price| price.to_euro_display()),
                    hand.date.as_deref().unwrap_or("?")
                )?;
            }
            if !evidence.candidates.is_empty() {
                writeln!(out, "  candidates")?;
                for candidate in &evidence.candidates {
                    writeln!(
                        out,
                        "    {:<16} {:<22} {:<8} {:>12} open",
                        candidate.label,
                        candidate.kind.as_str().replace('_', " "),
                        candidate.state,
                        crate::money::Cents::parse_decimal(&candidate.open_amount)
                            .map(|cents| cents.display_in(&candidate.currency))
                            .unwrap_or_else(|_| candidate.open_amount.clone()),
                    )?;
                }
            }
        }
    }

    Ok(())
}

/// Its history, the last Moneybird exchange, and CCV's own record.
fn history(
    out: &mut String,
    store: &Store,
    row: &PaymentRow,
    timezone: chrono_tz::Tz,
) -> anyhow::Result<()> {
    let time = |epoch_ms: i64| local_time(epoch_ms, timezone);
    writeln!(out, "\nHistory")?;
    for (at_ms, what) in store.events(row.id)? {
        writeln!(out, "  {}  {what}", time(at_ms))?;
    }

    writeln!(out, "\nLast Moneybird request")?;
    match store.last_exchange(row.id)? {
        None => writeln!(
            out,
            "  none: nothing was sent to Moneybird for this payment"
        )?,
        Some(exchange) => {
            writeln!(out, "  {} /api/v2/{}", exchange.method, exchange.path)?;
            if let Some(body) = &exchange.request_body {
                writeln!(out, "  sent:     {body}")?;
            }
            match exchange.status {
                Some(status) => writeln!(
                    out,
                    "  answer:   {status} {}",
                    exchange.response_body.as_deref().unwrap_or("")
                )?,
                None => writeln!(out, "  answer:   none (no answer came)")?,
            }
        }
    }

    writeln!(out, "\nAs CCV reported it")?;
    let (raw, _) = store.payment_raw(row.id)?;
    let raw: serde_json::Value = serde_json::from_str(&raw)?;
    for line in serde_json::to_string_pretty(&raw)?.lines() {
        writeln!(out, "  {line}")?;
    }
    Ok(())
}
