//! The bank side of Moneybird that payouts need: financial mutations (bank statement lines)
//! read in bulk through the synchronization endpoints, and `link_booking` of a mutation to
//! a ledger account (scope `bank`).

use serde_json::{Value, json};

use super::model::id_string;
use super::{Exchange, MoneybirdClient, MoneybirdError, Repeat, SYNC_BATCH, encode};
use crate::money::Cents;

/// One bank statement line, as far as payouts read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FinancialMutation {
    pub id: String,
    pub financial_account_id: Option<String>,
    /// ISO day.
    pub date: String,
    pub message: String,
    /// Positive for money in.
    pub amount: Cents,
    pub amount_open: Cents,
    pub bookings: Vec<LedgerBooking>,
    pub version: i64,
}

/// A part of a mutation booked on a ledger account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerBooking {
    pub ledger_account_id: String,
    pub price: Cents,
}

impl FinancialMutation {
    pub fn from_json(value: &Value) -> Result<FinancialMutation, String> {
        let id = value.get("id").and_then(id_string).ok_or("no id")?;
        let money = |key: &str| -> Result<Cents, String> {
            value
                .get(key)
                .ok_or_else(|| format!("mutation {id}: no {key}"))
                .and_then(|amount| {
                    Cents::from_json(amount)
                        .map_err(|error| format!("mutation {id}: {key} {error}"))
                })
        };
        let bookings = value
            .get("ledger_account_bookings")
            .and_then(Value::as_array)
            .map(|bookings| {
                bookings
                    .iter()
                    .map(|booking| {
                        Ok(LedgerBooking {
                            ledger_account_id: booking
                                .get("ledger_account_id")
                                .and_then(id_string)
                                .ok_or_else(|| format!("mutation {id}: a booking has no ledger"))?,
                            price: booking
                                .get("price")
                                .ok_or_else(|| format!("mutation {id}: a booking has no price"))
                                .and_then(|price| {
                                    Cents::from_json(price).map_err(|error| error.to_string())
                                })?,
                        })
                    })
                    .collect::<Result<Vec<_>, String>>()
            })
            .transpose()?
            .unwrap_or_default();
        Ok(FinancialMutation {
            financial_account_id: value.get("financial_account_id").and_then(id_string),
            date: value
                .get("date")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            message: value
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            amount: money("amount")?,
            amount_open: money("amount_open")?,
            bookings,
            version: value
                .get("version")
                .and_then(id_string)
                .and_then(|version| version.parse().ok())
                .unwrap_or_default(),
            id,
        })
    }
}

impl MoneybirdClient {
    /// The ids of the administration's financial accounts (bank, cash, …); scope `settings`.
    pub fn financial_account_ids(&self) -> Result<Vec<String>, MoneybirdError> {
        let path = self.path("financial_accounts.json")?;
        let answer = self.send("GET", &path, &[], None, Repeat::Reads)?;
        self.parse_list(&answer, |item| {
            item.get("id")
                .and_then(id_string)
                .ok_or_else(|| "no id".to_string())
        })
    }

    /// Ids and versions of the mutations of one financial account in `period`
    /// (`YYYYMMDD..YYYYMMDD`).
    pub fn financial_mutation_versions(
        &self,
        financial_account_id: &str,
        period: &str,
    ) -> Result<Vec<(String, i64)>, MoneybirdError> {
        let path = self.path("financial_mutations/synchronization.json")?;
        let query = [(
            "filter",
            format!("financial_account_id:{financial_account_id},period:{period}"),
        )];
        let answer = self.send("GET", &path, &query, None, Repeat::Reads)?;
        self.parse_list(&answer, |item| {
            let id = item.get("id").and_then(id_string).ok_or("no id")?;
            let version = item
                .get("version")
                .and_then(id_string)
                .and_then(|version| version.parse().ok())
                .ok_or("no version")?;
            Ok((id, version))
        })
    }

    /// Full mutations for up to [`SYNC_BATCH`] ids in one request.
    pub fn financial_mutations_by_id(
        &self,
        ids: &[String],
    ) -> Result<Vec<FinancialMutation>, MoneybirdError> {
        debug_assert!(ids.len() <= SYNC_BATCH);
        let path = self.path("financial_mutations/synchronization.json")?;
        let body = json!({ "ids": ids });
        let answer = self.send("POST", &path, &[], Some(&body), Repeat::Reads)?;
        self.parse_list(&answer, FinancialMutation::from_json)
    }

    /// Books `price` of a mutation on a ledger account: positive in the mutation's own
    /// direction, negative against it. A write: sent once.
    pub fn link_booking(
        &self,
        mutation_id: &str,
        ledger_account_id: &str,
        price: Cents,
        description: &str,
    ) -> (Result<(), MoneybirdError>, Exchange) {
        let body = json!({
            "booking_type": "LedgerAccount",
            "booking_id": ledger_account_id,
            "price_base": price.to_decimal_string(),
            "description": description,
        });
        let resource = format!(
            "financial_mutations/{}/link_booking.json",
            encode(mutation_id)
        );
        let (answer, exchange) = self.write("PATCH", &resource, Some(&body));
        (answer.map(|_| ()), exchange)
    }
}
