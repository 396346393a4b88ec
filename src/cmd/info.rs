//! `info`: "Meer info", everything known about one payment and what to do about it.

use chrono::{TimeZone as _, Utc};
use clap::Args;

use super::{Context, find_payment};
use crate::domain::{Payment, Tab};
use crate::i18n::Lang;
use crate::store::Store;

/// Everything known about one payment: what CCV said, its history, the matching evidence,
/// the last Moneybird request and answer, and what you can do
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  ccv-moneybird info 12\n  ccv-moneybird info C201126123456789AB --json"
)]
pub struct InfoArgs {
    /// The payment: its id from the tables, or its CCV reference
    pub payment: String,

    /// Print it as one JSON object (the `status --json` row, its history, the matching
    /// evidence, the last Moneybird exchange and CCV's own record); always in English
    #[arg(long)]
    pub json: bool,
}

pub fn run(context: &Context, args: &InfoArgs) -> anyhow::Result<()> {
    let store = context.open_existing_store()?;
    let row = find_payment(&store, &args.payment)?;
    if args.json {
        let json = as_json(&store, &row)?;
        crate::view::print(&format!("{}\n", serde_json::to_string_pretty(&json)?))?;
        return Ok(());
    }
    let now = crate::view::payment::Now::read(context, &row);
    // Its fields, the exchanges and CCV's object are outside text through and through.
    crate::view::print(&crate::text::for_terminal(
        &crate::view::payment::describe_now(&store, &row, context.settings.timezone, &now)?,
    ))?;
    Ok(())
}

/// `info --json`: what scripts read, in English whatever the reader's language.
fn as_json(store: &Store, row: &Payment) -> anyhow::Result<serde_json::Value> {
    let history: Vec<serde_json::Value> = store
        .events(row.id, Lang::En)?
        .into_iter()
        .map(|(at_ms, what)| serde_json::json!({ "at": utc_text(at_ms), "what": what }))
        .collect();
    let exchange = store.last_exchange(row.id)?.map(|exchange| {
        serde_json::json!({
            "method": exchange.method,
            "path": format!("/api/v2/{}", exchange.path),
            "request_body": exchange.request_body,
            "status": exchange.status,
            "response_body": exchange.response_body,
        })
    });
    let (raw, _) = store.payment_raw(row.id)?;
    let advice = match (row.standing.tab, row.error_code()) {
        (Tab::Fouten, Some(code)) => Some(
            code.advice_words(row.id, &row.facts.reference)
                .say_in(Lang::En),
        ),
        _ => None,
    };
    let changes: Vec<serde_json::Value> = store
        .changes_of(row.id)?
        .into_iter()
        .map(|change| {
            serde_json::json!({
                "reference": change.reference,
                "kind": change.kind.as_str(),
                "status": change.status,
                "amount": change.amount.to_decimal_string(),
                "currency": change.currency,
                "created": utc_text(change.created_ms),
            })
        })
        .collect();
    Ok(serde_json::json!({
        "payment": crate::view::rows::JsonRow::of(row),
        "changes": changes,
        "advice": advice,
        "booking": {
            "payment_date": row.standing.payment_date,
            "booked": row.booked_price().to_decimal_string(),
            "rounding": row.standing.rounding.map(crate::money::Cents::to_decimal_string),
        },
        "evidence": row.standing.evidence_json.as_deref().and_then(|json| serde_json::from_str::<serde_json::Value>(json).ok()),
        "history": history,
        "last_moneybird_exchange": exchange,
        "ccv": serde_json::from_str::<serde_json::Value>(&raw).unwrap_or(serde_json::Value::String(raw)),
    }))
}

fn utc_text(epoch_ms: i64) -> String {
    Utc.timestamp_millis_opt(epoch_ms)
        .single()
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
