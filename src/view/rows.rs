//! A payment as scripts read it (`status --json`, `info --json`, the support report):
//! one shape, in English, whatever the reader's language.

use chrono::{TimeZone as _, Utc};
use serde::Serialize;

use crate::domain::{Payment, Tab};
use crate::money::Cents;

/// One row of `status --json` (docs/contract.md).
#[derive(Debug, Serialize)]
pub struct JsonRow {
    pub id: i64,
    pub reference: String,
    /// The `[[ccv.shops]]` name it came from; null for a single shop.
    pub shop: Option<String>,
    pub tab: &'static str,
    pub ccv_status: String,
    pub method: Option<String>,
    /// Null when CCV's amount could not be read; then `amount_as_sent` holds it as it came.
    pub amount: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount_as_sent: Option<String>,
    pub currency: String,
    pub created: String,
    pub description: Option<String>,
    pub invoice: Option<String>,
    pub moneybird_payment_id: Option<String>,
    pub error: Option<JsonError>,
    /// Settled outside the tool (`resolve`), or found in Moneybird booked by someone else
    /// for the same amount.
    pub resolution: Option<JsonResolution>,
    /// The price booked, when it is not `amount` (above the open amount within
    /// `rounding_tolerance`); else null.
    pub booked: Option<String>,
    /// `amount` minus `booked`, left on the tussenrekening; null when there is none.
    pub difference: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct JsonResolution {
    pub note: String,
    pub at: String,
    pub moneybird_payment_id: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct JsonError {
    pub code: String,
    pub message: String,
}

impl JsonRow {
    pub fn of(row: &Payment) -> JsonRow {
        JsonRow {
            id: row.id,
            reference: row.facts.reference.clone(),
            shop: row.shop.clone(),
            tab: row.standing.tab.as_str(),
            ccv_status: row.facts.ccv_status.clone(),
            method: row.facts.method.clone(),
            amount: row
                .facts
                .amount_as_sent
                .is_none()
                .then(|| row.facts.amount.to_decimal_string()),
            amount_as_sent: row.facts.amount_as_sent.clone(),
            currency: row.facts.currency.clone(),
            created: utc_text(row.facts.created_ms),
            description: row.facts.description.clone(),
            invoice: row.invoice_label().map(str::to_string),
            // Outside Rapportage only where the booking still stands (docs/contract.md).
            moneybird_payment_id: (row.standing.tab == Tab::Rapportage
                || row.error_code() == Some(crate::codes::ErrorCode::ChangedAfterBooking))
            .then(|| row.standing.moneybird_payment_id.clone())
            .flatten(),
            error: (row.standing.tab == Tab::Fouten)
                .then(|| {
                    row.failure().map(|failure| JsonError {
                        code: failure.code.as_str().to_string(),
                        message: failure.english(),
                    })
                })
                .flatten(),
            resolution: row
                .standing
                .resolution
                .as_ref()
                .map(|resolution| JsonResolution {
                    note: resolution.note.clone(),
                    at: resolution.at.clone(),
                    moneybird_payment_id: resolution.moneybird_payment_id.clone(),
                }),
            booked: row.standing.booked.map(Cents::to_decimal_string),
            difference: row.difference().map(Cents::to_decimal_string),
        }
    }
}

pub fn utc_text(epoch_ms: i64) -> String {
    Utc.timestamp_millis_opt(epoch_ms)
        .single()
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}
