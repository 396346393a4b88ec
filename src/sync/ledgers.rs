//! The ledger accounts (tussenrekeningen) the config maps payment methods to, checked
//! against Moneybird before any payment is posted to one: a mapping to an account that does
//! not exist, or is not active, would only earn one refused POST per payment.
//!
//! Moneybird's list is read at most once a day, and again when the mapping changed or a
//! person retries a payment (who may just have fixed the account).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::run::{Halt, Job};

const META_LEDGER_ACCOUNTS: &str = "ledger_accounts";

#[derive(Serialize, Deserialize)]
struct Cached {
    day: String,
    mapping: BTreeMap<String, String>,
    accounts: Vec<Known>,
}

#[derive(Clone, Serialize, Deserialize)]
struct Known {
    id: String,
    name: String,
    active: bool,
}

/// Per mapped method whose ledger account cannot take payments: why, in words that name
/// the method and the id.
pub(super) fn unusable(
    job: &mut Job<'_>,
    today: NaiveDate,
    fresh: bool,
) -> Result<HashMap<String, crate::i18n::Message>, Halt> {
    let mapping: BTreeMap<String, String> = job
        .settings
        .ledger_accounts
        .iter()
        .map(|(method, id)| (method.clone(), id.clone()))
        .collect();
    if mapping.is_empty() {
        return Ok(HashMap::new());
    }
    let cached: Option<Cached> = job
        .store
        .meta(META_LEDGER_ACCOUNTS)?
        .and_then(|text| serde_json::from_str(&text).ok());
    let accounts = match cached {
        Some(cached)
            if cached.day == today.to_string()
                && cached.mapping == mapping
                && (!fresh || problems(&mapping, &cached.accounts).is_empty()) =>
        {
            cached.accounts
        }
        _ => {
            let accounts: Vec<Known> = job
                .moneybird
                .ledger_accounts()
                .map_err(Halt::from)?
                .into_iter()
                .map(|ledger| Known {
                    id: ledger.id,
                    name: ledger.name,
                    active: ledger.active,
                })
                .collect();
            let cached = Cached {
                day: today.to_string(),
                mapping: mapping.clone(),
                accounts,
            };
            let text = serde_json::to_string(&cached).map_err(anyhow::Error::from)?;
            job.store.set_meta(META_LEDGER_ACCOUNTS, &text)?;
            cached.accounts
        }
    };
    Ok(problems(&mapping, &accounts))
}

fn problems(
    mapping: &BTreeMap<String, String>,
    accounts: &[Known],
) -> HashMap<String, crate::i18n::Message> {
    let mut problems = HashMap::new();
    for (method, id) in mapping {
        let why = match accounts.iter().find(|known| &known.id == id) {
            None => msg!("refused-ledger-unknown", method = method, id = id),
            Some(known) if !known.active => msg!(
                "refused-ledger-inactive",
                method = method,
                id = id,
                name = &known.name
            ),
            Some(_) => continue,
        };
        problems.insert(method.clone(), why);
    }
    problems
}
