//! Moneybird's bank side, as far as payouts need it: financial mutations (the lines of a
//! bank statement), their synchronization endpoints, and `link_booking` with booking type
//! `LedgerAccount` (docs/moneybird-api.md §5.4; the OpenAPI description's `link_booking`).

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::moneybird::{error, parse_period, symbolic, touch_version};
use super::{Incoming, Reply, World};
use crate::money::Cents;

/// One bank statement line.
#[derive(Clone, Debug)]
pub struct FinancialMutation {
    pub id: String,
    pub financial_account_id: String,
    pub date: NaiveDate,
    /// The remittance text the bank shows.
    pub message: String,
    /// Positive for money in.
    pub amount: Cents,
    pub bookings: Vec<LedgerBooking>,
    pub version: i64,
    pub updated_ms: i64,
}

/// A part of a mutation booked on a ledger account.
#[derive(Clone, Debug)]
pub struct LedgerBooking {
    pub id: String,
    pub ledger_account_id: String,
    /// Positive books in the mutation's own direction.
    pub price: Cents,
    pub description: Option<String>,
}

impl FinancialMutation {
    /// What is left to book: the amount minus every booking on it.
    pub fn amount_open(&self) -> Cents {
        Cents(
            self.amount.0
                - self
                    .bookings
                    .iter()
                    .map(|booking| booking.price.0)
                    .sum::<i64>(),
        )
    }

    fn to_json(&self, administration_id: &str) -> Value {
        let open = self.amount_open();
        json!({
            "id": self.id,
            "administration_id": administration_id,
            "amount": self.amount.to_moneybird(),
            "amount_open": open.to_moneybird(),
            "code": null,
            "date": self.date.to_string(),
            "message": self.message,
            "contra_account_name": "CCV Online Payments",
            "contra_account_number": null,
            "state": if open.0 == 0 { "processed" } else { "unprocessed" },
            "settlement_state": null,
            "batch_reference": null,
            "financial_account_id": self.financial_account_id,
            "currency": "EUR",
            "original_amount": null,
            "version": self.version,
            "financial_statement_id": null,
            "processed_at": null,
            "payments": [],
            "ledger_account_bookings": self.bookings.iter().map(|booking| json!({
                "id": booking.id,
                "administration_id": administration_id,
                "financial_mutation_id": self.id,
                "ledger_account_id": booking.ledger_account_id,
                "project_id": null,
                "description": booking.description,
                "price": booking.price.to_moneybird(),
            })).collect::<Vec<Value>>(),
        })
    }
}

impl World {
    /// The bank line of a payout arrives, as a bank statement import makes it. Its id.
    pub fn import_bank_line(
        &mut self,
        financial_account_id: &str,
        date: NaiveDate,
        message: &str,
        amount: Cents,
    ) -> String {
        let id = self.moneybird.new_id();
        let now_ms = self.now_ms();
        self.moneybird.financial_mutations.push(FinancialMutation {
            id: id.clone(),
            financial_account_id: financial_account_id.into(),
            date,
            message: message.into(),
            amount,
            bookings: Vec::new(),
            version: now_ms / 1000,
            updated_ms: now_ms,
        });
        id
    }

    pub fn financial_mutation(&self, id: &str) -> Option<&FinancialMutation> {
        self.moneybird
            .financial_mutations
            .iter()
            .find(|mutation| mutation.id == id)
    }
}

pub(super) fn route(
    world: &mut World,
    request: &Incoming,
    method: &str,
    resource: &[&str],
) -> Option<Reply> {
    Some(match (method, resource) {
        ("GET", ["financial_mutations", "synchronization"]) => versions(world, request),
        ("POST", ["financial_mutations", "synchronization"]) => by_ids(world, request),
        ("PATCH", ["financial_mutations", id, "link_booking"]) => link_booking(world, request, id),
        _ => return None,
    })
}

fn versions(world: &World, request: &Incoming) -> Reply {
    let mut account = None;
    // Without a period, Moneybird's default: this year.
    let Ok(mut period) = parse_period("this_year", world.today()) else {
        return error(500, "no default period");
    };
    for term in request
        .query
        .get("filter")
        .map(String::as_str)
        .unwrap_or("")
        .split(',')
        .filter(|term| !term.is_empty())
    {
        match term.split_once(':') {
            Some(("financial_account_id", id)) => account = Some(id.to_string()),
            Some(("period", value)) => match parse_period(value, world.today()) {
                Ok(parsed) => period = parsed,
                Err(reply) => return reply,
            },
            Some(("state" | "mutation_type", _)) => {}
            _ => return symbolic(400, "Filter is invalid", "filter", "invalid"),
        }
    }
    let items: Vec<Value> = world
        .moneybird
        .financial_mutations
        .iter()
        .filter(|mutation| {
            account
                .as_ref()
                .is_none_or(|id| &mutation.financial_account_id == id)
        })
        .filter(|mutation| mutation.date >= period.0 && mutation.date <= period.1)
        .map(|mutation| json!({ "id": mutation.id, "version": mutation.version }))
        .collect();
    Reply::json(200, &Value::Array(items))
}

fn by_ids(world: &World, request: &Incoming) -> Reply {
    let Some(ids) = serde_json::from_str::<Value>(&request.body)
        .ok()
        .and_then(|body| body.get("ids").and_then(Value::as_array).cloned())
    else {
        return symbolic(400, "Ids is required", "ids", "required");
    };
    let administration_id = world.moneybird.administration_id().to_string();
    let items: Vec<Value> = ids
        .iter()
        .take(100)
        .filter_map(crate::world::id_string)
        .filter_map(|id| world.financial_mutation(&id))
        .map(|mutation| mutation.to_json(&administration_id))
        .collect();
    Reply::json(200, &Value::Array(items))
}

/// Books part of a mutation on a ledger account. Only `LedgerAccount` is imitated; the
/// amount is `price_base` with the OpenAPI description's sign rule.
fn link_booking(world: &mut World, request: &Incoming, id: &str) -> Reply {
    let Ok(body) = serde_json::from_str::<Value>(&request.body) else {
        return symbolic(400, "Body is invalid", "body", "invalid");
    };
    if body.get("booking_type").and_then(Value::as_str) != Some("LedgerAccount") {
        return symbolic(
            422,
            "Booking type is not supported here",
            "booking_type",
            "invalid",
        );
    }
    let Some(ledger) = body.get("booking_id").and_then(crate::world::id_string) else {
        return symbolic(422, "Booking can't be blank", "booking_id", "blank");
    };
    if !world
        .moneybird
        .ledger_accounts
        .iter()
        .any(|account| account.id == ledger)
    {
        return symbolic(422, "Booking not found", "booking_id", "not_found");
    }
    let Some(price) = body.get("price_base").and_then(Cents::from_request) else {
        return symbolic(422, "Price base is invalid", "price_base", "invalid");
    };
    let booking_id = world.moneybird.new_id();
    let now_ms = world.now_ms();
    let Some(mutation) = world
        .moneybird
        .financial_mutations
        .iter_mut()
        .find(|mutation| mutation.id == id)
    else {
        return error(404, "Not Found");
    };
    // Once more is booked on an incoming line than it holds, the signs swap (OpenAPI).
    let over_booked = mutation.amount.0 > 0 && mutation.amount_open().0 < 0;
    let price = if over_booked { Cents(-price.0) } else { price };
    mutation.bookings.push(LedgerBooking {
        id: booking_id,
        ledger_account_id: ledger,
        price,
        description: body
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string),
    });
    touch_version(&mut mutation.version, &mut mutation.updated_ms, now_ms);
    Reply::json(200, &json!(200))
}
