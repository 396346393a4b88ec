//! The payments table: CCV's facts per payment and where it stands; which are due.

use std::collections::HashMap;

use rusqlite::{OptionalExtension as _, Row, ToSql, params};

use super::Store;
use crate::codes::ErrorCode;
use crate::domain::{BookingState, CcvFacts, CcvJson, Failure, InvoiceRef, Outcome, Payment, Tab};
use crate::i18n::Message;
use crate::money::Cents;
use crate::moneybird::InvoiceKind;

/// Which payments a pass processes.
#[derive(Clone, Copy, Debug)]
pub enum Due<'a> {
    /// Paid and not booked yet.
    New,
    /// Also the Fouten rows whose error a new look may clear by itself.
    Recheck,
    /// These payments, whatever their error: a person asked (`retry`).
    Only(&'a [i64]),
}

/// Which pending payments are read from CCV again.
#[derive(Clone, Copy, Debug)]
pub enum Reread {
    /// Created since this time, and payment links of any age (they stay pending for up
    /// to two months, and their child must find them).
    Recent { since_ms: i64 },
    /// All of them, and those CCV sent unreadably.
    All,
}

/// Everything but CCV's raw JSON, which only `info` and `report` read (see
/// [`Store::payment_raw`]): a run holding every due payment stays small.
const PAYMENT_COLUMNS: &str = "id, reference, child_reference, ccv_type, ccv_status, failure_code, \
    method, amount_cents, currency, created_ms, paid_ms, description, merchant_order_reference, \
    tab, booking_state, error_code, error_message, invoice_kind, invoice_id, \
    invoice_label, payment_date, moneybird_payment_id, evidence_json, resolution_json, \
    booked_cents, rounding_cents, error_words_json, shop, payout_reference, amount_as_sent";

/// Where `name` stands in [`PAYMENT_COLUMNS`], found while compiling: a row is read by
/// column name at no cost per row (asking SQLite for names costs a string compare per
/// column per value, which a run over 100,000 payments feels), and a misspelt name does not
/// compile.
const fn column_at(name: &str) -> usize {
    let list = PAYMENT_COLUMNS.as_bytes();
    let name = name.as_bytes();
    let (mut index, mut start, mut at) = (0, 0, 0);
    while at <= list.len() {
        if at == list.len() || list[at] == b',' {
            let mut first = start;
            while first < at && list[first] == b' ' {
                first += 1;
            }
            if at - first == name.len() {
                let mut same = 0;
                while same < name.len() && list[first + same] == name[same] {
                    same += 1;
                }
                if same == name.len() {
                    return index;
                }
            }
            index += 1;
            start = at + 1;
        }
        at += 1;
    }
    panic!("not a column of PAYMENT_COLUMNS")
}

macro_rules! column {
    ($name:literal) => {{
        const AT: usize = column_at($name);
        AT
    }};
}

fn payment_from_row(row: &Row<'_>) -> rusqlite::Result<Payment> {
    Ok(Payment {
        id: row.get(column!("id"))?,
        facts: CcvFacts {
            reference: row.get(column!("reference"))?,
            child_reference: row.get(column!("child_reference"))?,
            ccv_type: row.get(column!("ccv_type"))?,
            ccv_status: row.get(column!("ccv_status"))?,
            failure_code: row.get(column!("failure_code"))?,
            method: row.get(column!("method"))?,
            amount: Cents(row.get(column!("amount_cents"))?),
            amount_as_sent: row.get(column!("amount_as_sent"))?,
            currency: row.get(column!("currency"))?,
            created_ms: row.get(column!("created_ms"))?,
            paid_ms: row.get(column!("paid_ms"))?,
            description: row.get(column!("description"))?,
            merchant_order_reference: row.get(column!("merchant_order_reference"))?,
        },
        standing: standing_from_row(row)?,
        shop: Some(row.get::<_, String>(column!("shop"))?).filter(|shop| !shop.is_empty()),
        payout_reference: row.get(column!("payout_reference"))?,
    })
}

/// Where a stored payment stands, as the step that left it there wrote it.
fn standing_from_row(row: &Row<'_>) -> rusqlite::Result<Outcome> {
    let json = |at: usize| -> rusqlite::Result<Option<String>> { row.get(at) };
    let code = row
        .get::<_, Option<String>>(column!("error_code"))?
        .and_then(|code| ErrorCode::parse(&code));
    let words: Option<Message> =
        json(column!("error_words_json"))?.and_then(|json| serde_json::from_str(&json).ok());
    let english: Option<String> = row.get(column!("error_message"))?;
    let kind = row
        .get::<_, Option<String>>(column!("invoice_kind"))?
        .and_then(|kind| InvoiceKind::parse(&kind));
    let id: Option<String> = row.get(column!("invoice_id"))?;
    let label: Option<String> = row.get(column!("invoice_label"))?;
    Ok(Outcome {
        tab: Tab::parse(&row.get::<_, String>(column!("tab"))?).unwrap_or(Tab::Open),
        booking: BookingState::parse(&row.get::<_, String>(column!("booking_state"))?),
        // Rows from before migration 3 have their reason in English only.
        error: code.map(|code| Failure {
            code,
            words: words.unwrap_or_else(|| Message::verbatim(&english.unwrap_or_default())),
        }),
        invoice: match (kind, id, label) {
            (Some(kind), Some(id), Some(label)) => Some(InvoiceRef { kind, id, label }),
            _ => None,
        },
        payment_date: row.get(column!("payment_date"))?,
        moneybird_payment_id: row.get(column!("moneybird_payment_id"))?,
        evidence_json: row.get(column!("evidence_json"))?,
        resolution: json(column!("resolution_json"))?
            .and_then(|json| serde_json::from_str(&json).ok()),
        booked: row
            .get::<_, Option<i64>>(column!("booked_cents"))?
            .map(Cents),
        rounding: row
            .get::<_, Option<i64>>(column!("rounding_cents"))?
            .map(Cents),
    })
}

impl Store {
    pub fn payment(&self, id: i64) -> anyhow::Result<Option<Payment>> {
        let sql = format!("SELECT {PAYMENT_COLUMNS} FROM payments WHERE id = ?1");
        Ok(self
            .connection
            .query_row(&sql, [id], payment_from_row)
            .optional()?)
    }

    /// One shop's payment by booking reference, or by the child reference of a payment
    /// link; `None` is the single `[ccv]` shop.
    pub fn payment_by_reference(
        &self,
        shop: Option<&str>,
        reference: &str,
    ) -> anyhow::Result<Option<Payment>> {
        // Asked once per fetched transaction: the text is made once.
        static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            format!(
                "SELECT {PAYMENT_COLUMNS} FROM payments WHERE shop = ?1 AND reference = ?2
                 UNION ALL SELECT {PAYMENT_COLUMNS} FROM payments WHERE shop = ?1 AND child_reference = ?2
                 LIMIT 1"
            )
        });
        Ok(self
            .connection
            .prepare_cached(&SQL)?
            .query_row(params![shop.unwrap_or(""), reference], payment_from_row)
            .optional()?)
    }

    /// Every payment a person may mean by a reference, in whichever shop.
    pub fn payments_by_reference(&self, reference: &str) -> anyhow::Result<Vec<Payment>> {
        let sql = format!(
            "SELECT {PAYMENT_COLUMNS} FROM payments WHERE reference = ?1 OR child_reference = ?1
             ORDER BY id"
        );
        let mut statement = self.connection.prepare_cached(&sql)?;
        let rows = statement.query_map([reference], payment_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Payments in the given tabs (all when empty), created since `since_ms` if given,
    /// newest first.
    pub fn payments(
        &self,
        tabs: &[Tab],
        since_ms: Option<i64>,
        limit: Option<usize>,
    ) -> anyhow::Result<Vec<Payment>> {
        let tabs: Vec<&str> = if tabs.is_empty() {
            Tab::ALL.iter().map(|tab| tab.as_str()).collect()
        } else {
            tabs.iter().map(|tab| tab.as_str()).collect()
        };
        let placeholders = vec!["?"; tabs.len()].join(", ");
        let limit = limit.map_or(-1, |limit| limit as i64);
        let since_ms = since_ms.unwrap_or(i64::MIN);
        let sql = format!(
            "SELECT {PAYMENT_COLUMNS} FROM payments WHERE tab IN ({placeholders}) AND created_ms >= {since_ms}
             ORDER BY created_ms DESC, id DESC LIMIT {limit}"
        );
        let mut statement = self.connection.prepare(&sql)?;
        let rows = statement.query_map(rusqlite::params_from_iter(tabs), payment_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub(super) fn payments_where(&self, condition: &str) -> anyhow::Result<Vec<Payment>> {
        self.payments_where_with(condition, [])
    }

    /// [`Store::payments_where`] with values bound to the condition's `?1`, `?2`, ….
    pub(super) fn payments_where_with(
        &self,
        condition: &str,
        values: impl rusqlite::Params,
    ) -> anyhow::Result<Vec<Payment>> {
        let sql = format!(
            "SELECT {PAYMENT_COLUMNS} FROM payments WHERE {condition} ORDER BY created_ms, id"
        );
        let mut statement = self.connection.prepare(&sql)?;
        let rows = statement.query_map(values, payment_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Payments whose booking was started and not settled: a run stopped between
    /// committing its intent and learning Moneybird's answer.
    pub fn interrupted(&self) -> anyhow::Result<Vec<Payment>> {
        self.payments_where("booking_state = 'booking'")
    }

    /// Pending payments to read from CCV again. A resolved one is never touched again.
    pub fn to_reread(&self, which: Reread) -> anyhow::Result<Vec<Payment>> {
        match which {
            Reread::Recent { since_ms } => self.payments_where(&format!(
                "ccv_status NOT IN ('success', 'failed') AND resolution_json IS NULL
                 AND (created_ms >= {since_ms} OR json_extract(raw_json, '$.method') = 'landingpage')"
            )),
            Reread::All => self.payments_where(&format!(
                "resolution_json IS NULL AND (ccv_status NOT IN ('success', 'failed')
                 OR (tab = 'fouten' AND error_code = '{}'))",
                ErrorCode::Unreadable.as_str()
            )),
        }
    }

    /// The SQL condition for `due`: the exactly-once rules of which payments may be booked
    /// live here, and only here. Never a booked, booking or resolved payment.
    fn due_condition(due: Due<'_>) -> String {
        let unbooked =
            "ccv_status = 'success' AND booking_state = 'none' AND resolution_json IS NULL";
        match due {
            Due::New => format!("{unbooked} AND tab = 'open'"),
            Due::Recheck => {
                let automatic = ErrorCode::automatic()
                    .map(|code| format!("'{code}'"))
                    .collect::<Vec<_>>()
                    .join(", ");
                format!(
                    "{unbooked} AND (tab = 'open' OR (tab = 'fouten' AND error_code IN ({automatic})))"
                )
            }
            Due::Only(ids) => {
                let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
                format!(
                    "{unbooked} AND tab IN ('open', 'fouten') AND id IN ({})",
                    ids.join(", ")
                )
            }
        }
    }

    /// Up to `limit` due payments, in creation order, after `position` (the `created_ms`
    /// and id of the last one of the previous chunk).
    pub fn due(
        &self,
        due: Due<'_>,
        position: Option<(i64, i64)>,
        limit: usize,
    ) -> anyhow::Result<Vec<Payment>> {
        let (created_ms, id) = position.unwrap_or((i64::MIN, i64::MIN));
        let sql = format!(
            "SELECT {PAYMENT_COLUMNS} FROM payments WHERE ({})
             AND (created_ms > ?1 OR (created_ms = ?1 AND id > ?2))
             ORDER BY created_ms, id LIMIT {limit}",
            Store::due_condition(due)
        );
        let mut statement = self.connection.prepare_cached(&sql)?;
        let rows = statement.query_map([created_ms, id], payment_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn count_due(&self, due: Due<'_>) -> anyhow::Result<u64> {
        let sql = format!(
            "SELECT COUNT(*) FROM payments WHERE {}",
            Store::due_condition(due)
        );
        Ok(self
            .connection
            .query_row(&sql, [], |row| row.get::<_, i64>(0))? as u64)
    }

    pub fn any_due(&self, due: Due<'_>) -> anyhow::Result<bool> {
        let sql = format!(
            "SELECT EXISTS (SELECT 1 FROM payments WHERE {})",
            Store::due_condition(due)
        );
        Ok(self.connection.query_row(&sql, [], |row| row.get(0))?)
    }

    /// The matching evidence of the due payments that have one: the candidates of their
    /// earlier looks.
    pub fn due_evidence(&self, due: Due<'_>) -> anyhow::Result<Vec<String>> {
        let sql = format!(
            "SELECT evidence_json FROM payments WHERE ({}) AND evidence_json IS NOT NULL",
            Store::due_condition(due)
        );
        let mut statement = self.connection.prepare(&sql)?;
        let rows = statement.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The Moneybird payments some row already accounts for as settled outside the tool:
    /// a hand booking claimed by one payment is not taken for another's.
    pub fn claimed_payment_ids(&self) -> anyhow::Result<std::collections::HashSet<String>> {
        let mut statement = self.connection.prepare(
            "SELECT json_extract(resolution_json, '$.moneybird_payment_id') FROM payments
             WHERE resolution_json IS NOT NULL AND booking_state = 'none'",
        )?;
        let rows = statement.query_map([], |row| row.get::<_, Option<String>>(0))?;
        let mut claimed = std::collections::HashSet::new();
        for row in rows {
            claimed.extend(row?);
        }
        Ok(claimed)
    }

    /// What SQLite's own check finds wrong with the database file; empty when nothing.
    pub fn integrity_problems(&self) -> anyhow::Result<Vec<String>> {
        let mut statement = self.connection.prepare("PRAGMA quick_check")?;
        let said = statement.query_map([], |row| row.get::<_, String>(0))?;
        let said: Vec<String> = said.collect::<Result<_, _>>()?;
        Ok(said.into_iter().filter(|line| line != "ok").collect())
    }

    pub fn tab_counts(&self) -> anyhow::Result<HashMap<Tab, i64>> {
        let mut statement = self
            .connection
            .prepare("SELECT tab, COUNT(*) FROM payments GROUP BY tab")?;
        let rows = statement.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get(1)?)))?;
        let mut counts = HashMap::new();
        for row in rows {
            let (tab, count) = row?;
            if let Some(tab) = Tab::parse(&tab) {
                counts.insert(tab, count);
            }
        }
        Ok(counts)
    }

    /// Inserts a new payment in the given tab. Returns its id.
    pub fn insert_payment(
        &self,
        shop: Option<&str>,
        facts: &CcvFacts,
        json: &CcvJson,
        tab: Tab,
        now_ms: i64,
    ) -> anyhow::Result<i64> {
        let tab = tab.as_str();
        let shop = shop.unwrap_or("");
        let mut values = fact_values(facts, json, &tab, &now_ms);
        values.extend([
            (":reference", &facts.reference as &dyn ToSql),
            (":shop", &shop),
        ]);
        self.connection
            .prepare_cached(
                "INSERT INTO payments (reference, child_reference, ccv_type, ccv_status,
                    failure_code, method, amount_cents, currency, created_ms, paid_ms,
                    description, merchant_order_reference, raw_json, child_raw_json, tab,
                    first_seen_ms, updated_ms, shop, amount_as_sent)
                 VALUES (:reference, :child_reference, :ccv_type, :ccv_status, :failure_code,
                    :method, :amount_cents, :currency, :created_ms, :paid_ms, :description,
                    :merchant_order_reference, :raw_json, :child_raw_json, :tab, :now_ms,
                    :now_ms, :shop, :amount_as_sent)",
            )?
            .execute(&*values)?;
        Ok(self.connection.last_insert_rowid())
    }

    /// Replaces CCV's facts on an existing payment and moves it to `tab`. Returns whether
    /// anything changed; an unchanged re-read writes nothing.
    pub fn update_ccv_facts(
        &self,
        id: i64,
        facts: &CcvFacts,
        json: &CcvJson,
        tab: Tab,
        now_ms: i64,
    ) -> anyhow::Result<bool> {
        let tab = tab.as_str();
        let mut values = fact_values(facts, json, &tab, &now_ms);
        values.push((":id", &id));
        let changed = self
            .connection
            .prepare_cached(
                "UPDATE payments SET child_reference = :child_reference, ccv_type = :ccv_type,
                    ccv_status = :ccv_status, failure_code = :failure_code, method = :method,
                    amount_cents = :amount_cents, currency = :currency, created_ms = :created_ms,
                    paid_ms = :paid_ms, description = :description,
                    merchant_order_reference = :merchant_order_reference,
                    raw_json = COALESCE(:raw_json, raw_json),
                    child_raw_json = COALESCE(:child_raw_json, child_raw_json), tab = :tab,
                    updated_ms = :now_ms, amount_as_sent = :amount_as_sent,
                    error_code = CASE WHEN :tab = 'fouten' THEN error_code END,
                    error_message = CASE WHEN :tab = 'fouten' THEN error_message END,
                    error_words_json = CASE WHEN :tab = 'fouten' THEN error_words_json END
                 WHERE id = :id AND (raw_json IS NOT COALESCE(:raw_json, raw_json)
                    OR ccv_status IS NOT :ccv_status OR method IS NOT :method
                    OR child_reference IS NOT :child_reference OR tab IS NOT :tab
                    OR (:child_raw_json IS NOT NULL AND child_raw_json IS NOT :child_raw_json))",
            )?
            .execute(&*values)?;
        Ok(changed > 0)
    }

    /// CCV's objects as they came: the payment's, and that of the transaction that paid it
    /// when it is a payment link.
    pub fn payment_raw(&self, id: i64) -> anyhow::Result<(String, Option<String>)> {
        Ok(self.connection.query_row(
            "SELECT raw_json, child_raw_json FROM payments WHERE id = ?1",
            [id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?)
    }

    pub fn delete_payment(&self, id: i64) -> anyhow::Result<()> {
        self.connection
            .execute("DELETE FROM payments WHERE id = ?1", [id])?;
        Ok(())
    }
}

/// CCV's facts as the named values an insert and an update of a payment both bind.
fn fact_values<'a>(
    facts: &'a CcvFacts,
    json: &'a CcvJson,
    tab: &'a &'static str,
    now_ms: &'a i64,
) -> Vec<(&'static str, &'a dyn ToSql)> {
    vec![
        (":child_reference", &facts.child_reference),
        (":ccv_type", &facts.ccv_type),
        (":ccv_status", &facts.ccv_status),
        (":failure_code", &facts.failure_code),
        (":method", &facts.method),
        (":amount_cents", &facts.amount.0),
        (":currency", &facts.currency),
        (":created_ms", &facts.created_ms),
        (":paid_ms", &facts.paid_ms),
        (":description", &facts.description),
        (":merchant_order_reference", &facts.merchant_order_reference),
        (":raw_json", &json.own),
        (":child_raw_json", &json.child),
        (":tab", tab),
        (":now_ms", now_ms),
        (":amount_as_sent", &facts.amount_as_sent),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_column_is_where_sqlite_says_it_is() {
        let store = Store::open(&tempfile::tempdir().unwrap().path().join("state.db")).unwrap();
        let sql = format!("SELECT {PAYMENT_COLUMNS} FROM payments");
        let statement = store.connection.prepare(&sql).unwrap();
        for name in statement.column_names() {
            assert_eq!(
                column_at(name),
                statement.column_index(name).unwrap(),
                "{name}"
            );
        }
    }
}
