//! The imitated CCV Online Payments API: the methods list and transaction reads
//! (docs/ccv-api.md §1, §2, §2a).

use std::collections::HashMap;

use base64::Engine as _;
use serde_json::{Value, json};

use super::world::CcvTransaction;
use super::{Incoming, Reply, World};
use crate::dialect::{CcvDialect, PaidoutAfter};

#[derive(Default)]
pub struct CcvState {
    pub api_keys: Vec<String>,
    pub methods: Vec<String>,
    /// Kept in creation order, with an index by reference, once a read needs them: lists
    /// of a hundred thousand transactions are cut by binary search, not scanned.
    transactions: Vec<CcvTransaction>,
    by_reference: HashMap<String, usize>,
    ordered: bool,
}

impl CcvState {
    pub fn add(&mut self, transaction: CcvTransaction) {
        self.transactions.push(transaction);
        self.ordered = false;
    }

    pub fn transactions(&self) -> &[CcvTransaction] {
        &self.transactions
    }

    pub fn transaction_mut(&mut self, reference: &str) -> Option<&mut CcvTransaction> {
        self.order();
        // The caller may change `created`: order again at the next read.
        self.ordered = false;
        let at = *self.by_reference.get(reference)?;
        self.transactions.get_mut(at)
    }

    fn order(&mut self) {
        if self.ordered {
            return;
        }
        self.transactions
            .sort_by(|a, b| (a.created_ms, &a.reference).cmp(&(b.created_ms, &b.reference)));
        self.by_reference = self
            .transactions
            .iter()
            .enumerate()
            .map(|(at, transaction)| (transaction.reference.clone(), at))
            .collect();
        self.ordered = true;
    }
}

pub(super) fn handle(world: &mut World, request: &Incoming, rest: &str) -> Reply {
    // CCV blocks requests without a User-Agent with a non-API HTML page (docs/ccv-api.md §1).
    if request.header("user-agent").is_none_or(str::is_empty) {
        return Reply::html(403, "<html><body><h1>403 Forbidden</h1></body></html>");
    }
    let Some(key) = api_key(&world.ccv, request) else {
        return error(401, "Invalid API key", "bad_credentials");
    };
    match (request.method.as_str(), rest.trim_end_matches('/')) {
        ("GET", "method") => {
            let methods: Vec<Value> = world
                .ccv
                .methods
                .iter()
                .map(|method| json!({ "method": method }))
                .collect();
            Reply::json(200, &Value::Array(methods))
        }
        ("GET", "transaction") => {
            world.ccv.order();
            transactions(world, request, &key)
        }
        _ => error(404, "Unknown resource", "unknown_resource"),
    }
}

/// Basic auth with the API key as user name and an empty password: the key, if it is one
/// CCV knows.
fn api_key(state: &CcvState, request: &Incoming) -> Option<String> {
    let encoded = request
        .header("authorization")
        .and_then(|value| value.strip_prefix("Basic "))?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8_lossy(&decoded);
    let key = text.split(':').next().unwrap_or_default();
    state
        .api_keys
        .iter()
        .any(|known| known == key)
        .then(|| key.to_string())
}

fn error(status: u16, message: &str, failure_code: &str) -> Reply {
    Reply::json(
        status,
        &json!({ "message": message, "failureCode": failure_code }),
    )
}

/// Each webshop's key sees its own transactions only: a merchant with two shops has two
/// CCV accounts.
fn transactions(world: &World, request: &Incoming, key: &str) -> Reply {
    let dialect = &world.options.ccv;
    let all = &world.ccv.transactions;
    let visible = |transaction: &&CcvTransaction| transaction.visible_to(key);
    let by_reference = |reference: &str| {
        world
            .ccv
            .by_reference
            .get(reference)
            .map(|&at| &all[at])
            .filter(visible)
    };
    if let Some(reference) = request.query.get("reference") {
        return match by_reference(reference) {
            Some(transaction) => Reply::json(200, &transaction.to_json(dialect)),
            None => error(404, "Transaction not found", "unknown_reference"),
        };
    }
    if let Some(references) = request.query.get("references") {
        let found: Vec<Value> = references
            .split(',')
            .filter_map(|reference| by_reference(reference.trim()))
            .map(|transaction| transaction.to_json(dialect))
            .collect();
        return list_reply(dialect, found);
    }
    let bound = |name: &str| -> Result<Option<i64>, Reply> {
        match request.query.get(name) {
            None => Ok(None),
            Some(text) => dialect
                .read_time(text)
                .map(Some)
                .ok_or_else(|| error(400, &format!("Invalid value for {name}"), "invalid_request")),
        }
    };
    let (after, before, paid_out_after) = match (
        bound("createdAfter"),
        bound("createdBefore"),
        bound("paidoutAfter"),
    ) {
        (Ok(after), Ok(before), Ok(paid_out_after)) => (after, before, paid_out_after),
        (Err(reply), _, _) | (_, Err(reply), _) | (_, _, Err(reply)) => return reply,
    };
    let window = created_window(world, after, before);
    let in_order: Box<dyn Iterator<Item = &CcvTransaction>> = if dialect.newest_first {
        Box::new(window.iter().rev())
    } else {
        Box::new(window.iter())
    };
    // Filters compare codes in any case, as the dialect may write them in either.
    let equals = |name: &str, value: &str| {
        request
            .query
            .get(name)
            .is_none_or(|wanted| wanted.eq_ignore_ascii_case(value))
    };
    let selected: Vec<Value> = in_order
        .filter(visible)
        .filter(|transaction| {
            match request
                .query
                .get("paidout")
                .map(|text| text.to_ascii_lowercase())
                .as_deref()
            {
                None => true,
                Some("yes") => transaction.payout.is_some(),
                Some("no") => transaction.payout.is_none() && transaction.status == "success",
                Some(_) => false,
            }
        })
        .filter(|transaction| {
            paid_out_after.is_none_or(|after| {
                transaction.payout.as_ref().is_some_and(|payout| {
                    let compared = match dialect.paidout_after {
                        PaidoutAfter::PaidoutDate => payout.date_start_ms(),
                        PaidoutAfter::FlaggedAt => payout.at_ms,
                    };
                    compared > after
                })
            })
        })
        .filter(|transaction| equals("type", &transaction.kind))
        .filter(|transaction| equals("status", &transaction.status))
        .filter(|transaction| equals("method", &transaction.method))
        .filter(|transaction| {
            request
                .query
                .get("merchantOrderReference")
                .is_none_or(|wanted| {
                    transaction.merchant_order_reference.as_deref() == Some(wanted.as_str())
                })
        })
        .take(dialect.page_size.max(1))
        .map(|transaction| transaction.to_json(dialect))
        .collect();
    list_reply(dialect, selected)
}

/// The transactions created between the bounds, both exclusive (docs/ccv-api.md §2a); they are
/// kept in creation order. A CCV that ignores the time filters (a test's hostile switch)
/// answers from the start whatever was asked.
fn created_window(world: &World, after: Option<i64>, before: Option<i64>) -> &[CcvTransaction] {
    let all = &world.ccv.transactions;
    #[cfg(feature = "testing")]
    if world.faults.ccv_ignores_time_filters {
        return all;
    }
    let start = after.map_or(0, |after| {
        all.partition_point(|transaction| transaction.created_ms <= after)
    });
    let end = before.map_or(all.len(), |before| {
        all.partition_point(|transaction| transaction.created_ms < before)
    });
    &all[start..end.max(start)]
}

fn list_reply(dialect: &CcvDialect, items: Vec<Value>) -> Reply {
    if dialect.wrapped_lists {
        let count = items.len();
        Reply::json(200, &json!({ "transactions": items, "count": count }))
    } else {
        Reply::json(200, &Value::Array(items))
    }
}
