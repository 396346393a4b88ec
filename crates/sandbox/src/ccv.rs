//! The imitated CCV Online Payments API: the methods list and transaction reads
//! (ccv-api.md §1, §2, §2a).

use std::collections::HashMap;

use base64::Engine as _;
use serde_json::{Value, json};

use super::world::CcvTransaction;
use super::{Incoming, Reply, World};

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
    // CCV blocks requests without a User-Agent with a non-API HTML page (ccv-api.md §1).
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
            Some(transaction) => Reply::json(200, &transaction.to_json()),
            None => error(404, "Transaction not found", "unknown_reference"),
        };
    }
    if let Some(references) = request.query.get("references") {
        let found: Vec<Value> = references
            .split(',')
            .filter_map(|reference| by_reference(reference.trim()))
            .map(CcvTransaction::to_json)
            .collect();
        return list_reply(world, found);
    }
    let bound = |name: &str| -> Result<Option<i64>, Reply> {
        match request.query.get(name) {
            None => Ok(None),
            Some(text) => parse_time(text)
                .map(Some)
                .ok_or_else(|| error(400, &format!("Invalid value for {name}"), "invalid_request")),
        }
    };
    let (after, before) = match (bound("createdAfter"), bound("createdBefore")) {
        (Ok(after), Ok(before)) => (after, before),
        (Err(reply), _) | (_, Err(reply)) => return reply,
    };
    // Both bounds are exclusive (ccv-api.md §2a); the transactions are in creation order.
    let start = after.map_or(0, |after| {
        all.partition_point(|transaction| transaction.created_ms <= after)
    });
    let end = before.map_or(all.len(), |before| {
        all.partition_point(|transaction| transaction.created_ms < before)
    });
    let window = &all[start..end.max(start)];
    let in_order: Box<dyn Iterator<Item = &CcvTransaction>> = if world.options.ccv_newest_first {
        Box::new(window.iter().rev())
    } else {
        Box::new(window.iter())
    };
    let equals =
        |name: &str, value: &str| request.query.get(name).is_none_or(|wanted| wanted == value);
    let paid_out_after = match request
        .query
        .get("paidoutAfter")
        .map(|text| parse_time(text))
    {
        None => None,
        Some(Some(after)) => Some(after),
        Some(None) => return error(400, "Invalid value for paidoutAfter", "invalid_request"),
    };
    let selected: Vec<Value> = in_order
        .filter(visible)
        .filter(
            |transaction| match request.query.get("paidout").map(String::as_str) {
                None => true,
                Some("yes") => transaction.payout.is_some(),
                Some("no") => transaction.payout.is_none() && transaction.status == "success",
                Some(_) => false,
            },
        )
        .filter(|transaction| {
            paid_out_after.is_none_or(|after| {
                transaction
                    .payout
                    .as_ref()
                    .is_some_and(|payout| payout.at_ms > after)
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
        .take(world.options.ccv_page_size.max(1))
        .map(CcvTransaction::to_json)
        .collect();
    list_reply(world, selected)
}

fn list_reply(world: &World, items: Vec<Value>) -> Reply {
    if world.options.ccv_wrapped_lists {
        Reply::json(200, &json!({ "transactions": items }))
    } else {
        Reply::json(200, &Value::Array(items))
    }
}

/// Epoch milliseconds, or an ISO 8601 time: the format is undocumented (Unknown 2), so the
/// sandbox takes both and the client's choice is tested either way.
fn parse_time(text: &str) -> Option<i64> {
    text.trim().parse::<i64>().ok().or_else(|| {
        chrono::DateTime::parse_from_rfc3339(text.trim())
            .ok()
            .map(|at| at.timestamp_millis())
    })
}
