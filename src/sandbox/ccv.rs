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
    if !authorised(&world.ccv, request) {
        return error(401, "Invalid API key", "bad_credentials");
    }
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
            transactions(world, request)
        }
        _ => error(404, "Unknown resource", "unknown_resource"),
    }
}

/// Basic auth with the API key as user name and an empty password.
fn authorised(state: &CcvState, request: &Incoming) -> bool {
    let Some(encoded) = request
        .header("authorization")
        .and_then(|value| value.strip_prefix("Basic "))
    else {
        return false;
    };
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
        return false;
    };
    let text = String::from_utf8_lossy(&decoded);
    let key = text.split(':').next().unwrap_or_default();
    state.api_keys.iter().any(|known| known == key)
}

fn error(status: u16, message: &str, failure_code: &str) -> Reply {
    Reply::json(
        status,
        &json!({ "message": message, "failureCode": failure_code }),
    )
}

fn transactions(world: &World, request: &Incoming) -> Reply {
    let all = &world.ccv.transactions;
    if let Some(reference) = request.query.get("reference") {
        return match all
            .iter()
            .find(|transaction| &transaction.reference == reference)
        {
            Some(transaction) => Reply::json(200, &transaction.to_json()),
            None => error(404, "Transaction not found", "unknown_reference"),
        };
    }
    if let Some(references) = request.query.get("references") {
        let wanted: Vec<&str> = references.split(',').map(str::trim).collect();
        let found: Vec<Value> = all
            .iter()
            .filter(|transaction| wanted.contains(&transaction.reference.as_str()))
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
    let equals =
        |name: &str, value: &str| request.query.get(name).is_none_or(|wanted| wanted == value);
    let mut selected: Vec<&CcvTransaction> = all
        .iter()
        // Both bounds are exclusive (ccv-api.md §2a).
        .filter(|transaction| after.is_none_or(|after| transaction.created_ms > after))
        .filter(|transaction| before.is_none_or(|before| transaction.created_ms < before))
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
        .collect();
    selected.sort_by_key(|transaction| (transaction.created_ms, transaction.reference.clone()));
    if world.options.ccv_newest_first {
        selected.reverse();
    }
    selected.truncate(world.options.ccv_page_size.max(1));
    list_reply(
        world,
        selected.into_iter().map(CcvTransaction::to_json).collect(),
    )
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
