//! The local state: one SQLite file holding every fetched payment, its history, the last
//! Moneybird exchange per payment, and the cache of open posts.

mod changes;
mod payouts;
mod schema;
pub mod trouble;

pub use changes::{Change, ChangeKind, NewChange};
pub use payouts::{PayoutRow, PayoutState};

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context as _;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

use crate::codes::ErrorCode;
use crate::error::user_error;
use crate::i18n::{Lang, Message};
use crate::money::Cents;
use crate::moneybird::{Exchange, Invoice, InvoiceKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tab {
    Open,
    Rapportage,
    Fouten,
    Closed,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Open, Tab::Rapportage, Tab::Fouten, Tab::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            Tab::Open => "open",
            Tab::Rapportage => "rapportage",
            Tab::Fouten => "fouten",
            Tab::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|tab| tab.as_str() == text)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BookingState {
    None,
    /// Committed right before the POST: if the run dies, the next one reads the invoice
    /// to learn whether the payment arrived, and never posts blindly again.
    Booking,
    Booked,
}

impl BookingState {
    fn as_str(self) -> &'static str {
        match self {
            BookingState::None => "none",
            BookingState::Booking => "booking",
            BookingState::Booked => "booked",
        }
    }

    fn parse(text: &str) -> BookingState {
        match text {
            "booking" => BookingState::Booking,
            "booked" => BookingState::Booked,
            _ => BookingState::None,
        }
    }
}

/// One payment as stored: CCV's facts plus where it stands.
#[derive(Clone, Debug)]
pub struct PaymentRow {
    pub id: i64,
    pub reference: String,
    pub child_reference: Option<String>,
    pub ccv_type: String,
    pub ccv_status: String,
    pub failure_code: Option<String>,
    pub method: Option<String>,
    pub amount: Cents,
    pub currency: String,
    pub created_ms: i64,
    pub paid_ms: Option<i64>,
    pub description: Option<String>,
    pub merchant_order_reference: Option<String>,
    pub tab: Tab,
    pub booking: BookingState,
    pub error_code: Option<ErrorCode>,
    /// In English, as `--json` gives it.
    pub error_message: Option<String>,
    /// The same, to be said in the reader's language (rows written since migration 3).
    pub error_words: Option<Message>,
    pub invoice_kind: Option<InvoiceKind>,
    pub invoice_id: Option<String>,
    pub invoice_label: Option<String>,
    pub payment_date: Option<String>,
    pub moneybird_payment_id: Option<String>,
    pub evidence_json: Option<String>,
    pub resolution: Option<Resolution>,
    /// The price posted, when it is not the CCV amount (above it within the tolerance).
    pub booked: Option<Cents>,
    /// The `rounding_error` payment that closes the invoice, when one is due.
    pub rounding: Option<Cents>,
    /// The `[[ccv.shops]]` name it came from; `None` for the single `[ccv]` shop.
    pub shop: Option<String>,
    /// The CCV payout its money left in, once paid out.
    pub payout_reference: Option<String>,
    /// CCV's amount as it came, when it could not be read (then `amount` is zero).
    pub amount_as_sent: Option<String>,
}

impl PaymentRow {
    /// The amount as a person reads it: in its currency, or, when CCV's could not be read,
    /// as CCV sent it and marked so; never a made-up `€ 0,00`.
    pub fn amount_shown(&self) -> String {
        crate::view::amount_text(self.amount, &self.currency, self.amount_as_sent.as_deref())
    }

    /// Why it sits in Fouten, if it does.
    pub fn failure(&self) -> Option<Failure> {
        Some(Failure {
            code: self.error_code?,
            words: self.error_words.clone().unwrap_or_else(|| {
                Message::verbatim(self.error_message.as_deref().unwrap_or_default())
            }),
        })
    }

    /// The invoice it is (to be) booked on, when one is known.
    pub fn invoice(&self) -> Option<InvoiceRef> {
        Some(InvoiceRef {
            kind: self.invoice_kind?,
            id: self.invoice_id.clone()?,
            label: self.invoice_label.clone()?,
        })
    }

    /// Why it sits in Fouten, in the reader's language.
    pub fn error_text(&self) -> Option<String> {
        match (&self.error_words, &self.error_message) {
            (Some(words), _) => Some(words.say()),
            (None, message) => message.clone(),
        }
    }

    /// The price of this payment's booking in Moneybird.
    pub fn booked_price(&self) -> Cents {
        self.booked.unwrap_or(self.amount)
    }

    /// What CCV paid beyond what was booked: it stays on the tussenrekening.
    pub fn difference(&self) -> Option<Cents> {
        self.booked
            .and_then(|booked| self.amount.checked_sub(booked))
            .filter(|difference| difference.0 != 0)
    }
}

/// The bookkeeper settled this payment outside the tool (`resolve`), or Moneybird already
/// held it, booked by someone else for the same amount. Such a row is never touched again,
/// until `resolve --undo`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    /// The person's own words, or (found by the tool) the English of `words`.
    pub note: String,
    /// What the tool found, to be said in the reader's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<Message>,
    /// RFC 3339.
    pub at: String,
    pub moneybird_payment_id: Option<String>,
    /// Where the row stood before, for `resolve --undo`.
    #[serde(default)]
    pub before: Option<Before>,
}

impl Resolution {
    /// The note in the reader's language where the tool wrote it.
    pub fn text(&self) -> String {
        self.words
            .as_ref()
            .map_or_else(|| self.note.clone(), Message::say)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Before {
    pub tab: String,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    #[serde(default)]
    pub error_words: Option<Message>,
}

/// How the last run that did its job went, for `status`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastRun {
    /// RFC 3339.
    pub at: String,
    /// `sync`, `recheck` or `retry`.
    pub pass: String,
    pub booked: usize,
    pub new_errors: usize,
    pub stopped_early: Option<Message>,
}

/// The two services whose health `status` shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    Ccv,
    Moneybird,
}

impl Service {
    fn key(self) -> &'static str {
        match self {
            Service::Ccv => "health:ccv",
            Service::Moneybird => "health:moneybird",
        }
    }
}

/// How a service answered the last run that asked it something.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceHealth {
    /// RFC 3339.
    pub at: String,
    pub health: crate::http::Health,
}

const META_LAST_RUN: &str = "last_run";

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

fn payment_from_row(row: &Row<'_>) -> rusqlite::Result<PaymentRow> {
    Ok(PaymentRow {
        id: row.get(0)?,
        reference: row.get(1)?,
        child_reference: row.get(2)?,
        ccv_type: row.get(3)?,
        ccv_status: row.get(4)?,
        failure_code: row.get(5)?,
        method: row.get(6)?,
        amount: Cents(row.get(7)?),
        currency: row.get(8)?,
        created_ms: row.get(9)?,
        paid_ms: row.get(10)?,
        description: row.get(11)?,
        merchant_order_reference: row.get(12)?,
        tab: Tab::parse(&row.get::<_, String>(13)?).unwrap_or(Tab::Open),
        booking: BookingState::parse(&row.get::<_, String>(14)?),
        error_code: row
            .get::<_, Option<String>>(15)?
            .and_then(|code| ErrorCode::parse(&code)),
        error_message: row.get(16)?,
        invoice_kind: row
            .get::<_, Option<String>>(17)?
            .and_then(|kind| InvoiceKind::parse(&kind)),
        invoice_id: row.get(18)?,
        invoice_label: row.get(19)?,
        payment_date: row.get(20)?,
        moneybird_payment_id: row.get(21)?,
        evidence_json: row.get(22)?,
        resolution: row
            .get::<_, Option<String>>(23)?
            .and_then(|json| serde_json::from_str(&json).ok()),
        booked: row.get::<_, Option<i64>>(24)?.map(Cents),
        rounding: row.get::<_, Option<i64>>(25)?.map(Cents),
        error_words: row
            .get::<_, Option<String>>(26)?
            .and_then(|json| serde_json::from_str(&json).ok()),
        shop: Some(row.get::<_, String>(27)?).filter(|shop| !shop.is_empty()),
        payout_reference: row.get(28)?,
        amount_as_sent: row.get(29)?,
    })
}

/// CCV's facts about a payment, as the fetch step hands them to the store.
#[derive(Clone, Debug)]
pub struct CcvFacts {
    pub reference: String,
    pub child_reference: Option<String>,
    pub ccv_type: String,
    pub ccv_status: String,
    pub failure_code: Option<String>,
    pub method: Option<String>,
    pub amount: Cents,
    /// CCV's amount as it came, when it could not be read (then `amount` is zero).
    pub amount_as_sent: Option<String>,
    pub currency: String,
    pub created_ms: i64,
    pub paid_ms: Option<i64>,
    pub description: Option<String>,
    pub merchant_order_reference: Option<String>,
    /// CCV's object as it came; `None` on an update keeps the stored one.
    pub raw_json: Option<String>,
    pub child_raw_json: Option<String>,
}

/// Why a payment sits in Fouten: the code scripts read, and the words a person reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub code: ErrorCode,
    pub words: Message,
}

impl Failure {
    /// As `--json` and the history say it: in English, whatever the reader's language.
    pub fn english(&self) -> String {
        self.words.say_in(Lang::En)
    }
}

/// The invoice a payment is (to be) booked on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoiceRef {
    pub kind: InvoiceKind,
    pub id: String,
    /// Its number, or an external invoice's reference.
    pub label: String,
}

/// Where a payment ends after matching and booking.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub tab: Tab,
    pub booking: BookingState,
    pub error: Option<Failure>,
    pub invoice: Option<InvoiceRef>,
    pub payment_date: Option<String>,
    pub moneybird_payment_id: Option<String>,
    /// Kept as it was when `None`.
    pub evidence_json: Option<String>,
    pub resolution: Option<Resolution>,
    pub booked: Option<Cents>,
    pub rounding: Option<Cents>,
}

impl Outcome {
    /// Back in Open, waiting for the next run, with nothing of an earlier attempt.
    pub fn open() -> Outcome {
        Outcome {
            tab: Tab::Open,
            booking: BookingState::None,
            error: None,
            invoice: None,
            payment_date: None,
            moneybird_payment_id: None,
            evidence_json: None,
            resolution: None,
            booked: None,
            rounding: None,
        }
    }

    /// In Fouten for `code`, nothing booked.
    pub fn refused(code: ErrorCode, words: Message, invoice: Option<InvoiceRef>) -> Outcome {
        Outcome {
            tab: Tab::Fouten,
            error: Some(Failure { code, words }),
            invoice,
            ..Outcome::open()
        }
    }

    /// Back in Fouten because CCV reports a refund, chargeback or reversal after it was
    /// booked; the booking still stands in Moneybird and stays recorded as it was.
    pub fn changed_after_booking(row: &PaymentRow, words: Message) -> Outcome {
        Outcome {
            tab: Tab::Fouten,
            booking: BookingState::Booked,
            error: Some(Failure {
                code: ErrorCode::ChangedAfterBooking,
                words,
            }),
            invoice: row.invoice(),
            payment_date: row.payment_date.clone(),
            moneybird_payment_id: row.moneybird_payment_id.clone(),
            evidence_json: None,
            resolution: None,
            booked: row.booked,
            rounding: row.rounding,
        }
    }

    /// Booked by this tool as Moneybird payment `payment_id`.
    pub fn booked(invoice: InvoiceRef, payment_date: String, payment_id: String) -> Outcome {
        Outcome {
            tab: Tab::Rapportage,
            booking: BookingState::Booked,
            invoice: Some(invoice),
            payment_date: Some(payment_date),
            moneybird_payment_id: Some(payment_id),
            ..Outcome::open()
        }
    }

    /// Settled outside the tool: in Rapportage with its resolution, never touched again.
    pub fn resolved(resolution: Resolution, invoice: Option<InvoiceRef>) -> Outcome {
        Outcome {
            tab: Tab::Rapportage,
            moneybird_payment_id: resolution.moneybird_payment_id.clone(),
            invoice,
            resolution: Some(resolution),
            ..Outcome::open()
        }
    }

    pub fn with_evidence(mut self, evidence_json: String) -> Outcome {
        self.evidence_json = Some(evidence_json);
        self
    }
}

pub struct Store {
    connection: Connection,
}

impl Store {
    /// Opens the state database for a command that only reads or changes what is there:
    /// none is created where there is none.
    pub fn open_existing(path: &Path) -> anyhow::Result<Store> {
        if !path.exists() {
            return Err(user_error(
                t!("store-none", path = path.display().to_string()),
                t!("store-none-hint"),
            ));
        }
        Store::open(path)
    }

    pub fn open(path: &Path) -> anyhow::Result<Store> {
        refuse_what_is_not_ours(path)?;
        if path.exists() && trouble::writable(path) {
            trouble::heal_journals(path);
        }
        if let Some(directory) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            create_private_dir(directory)?;
        }
        let connection = Connection::open(path)
            .with_context(|| t!("store-cannot-open", path = path.display().to_string()))?;
        let mut store = Store { connection };
        store.prepare(path)?;
        Ok(store)
    }

    fn prepare(&mut self, path: &Path) -> anyhow::Result<()> {
        trouble::remember(path);
        // Read-only, full, locked: named for what it is; anything else here means the file
        // is no state database of this tool.
        let not_a_database = |error: rusqlite::Error| {
            trouble::of(path, &error).unwrap_or_else(|| {
                user_error(
                    t!(
                        "store-not-ours",
                        path = path.display().to_string(),
                        error = error.to_string()
                    ),
                    t!("store-not-ours-hint"),
                )
            })
        };
        self.connection
            .busy_timeout(std::time::Duration::from_secs(10))
            .map_err(not_a_database)?;
        let version: i64 = self
            .connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(not_a_database)?;
        let known = schema::MIGRATIONS.len() as i64;
        if version > known {
            return Err(user_error(
                t!(
                    "store-newer",
                    path = path.display().to_string(),
                    version = version,
                    known = known
                ),
                t!("store-newer-hint"),
            ));
        }
        self.connection
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(not_a_database)?;
        // Each commit reaches the disk at the next checkpoint rather than at once. A power
        // cut may lose the last commits, never corrupt the file; a lost `booking` mark is
        // harmless because every booking first looks for its transaction id in Moneybird.
        self.connection
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(not_a_database)?;
        // Off while migrating (the bundled SQLite turns them on by default): a migration that
        // rebuilds a table must not cascade into its history. Outside any transaction, where
        // the pragma takes effect.
        self.connection
            .pragma_update(None, "foreign_keys", "OFF")
            .map_err(not_a_database)?;
        for (index, migration) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
            let transaction = self.connection.transaction()?;
            transaction
                .execute_batch(migration)
                .with_context(|| format!("state migration {} failed", index + 1))?;
            transaction.pragma_update(None, "user_version", index as i64 + 1)?;
            transaction.commit()?;
        }
        self.connection
            .pragma_update(None, "foreign_keys", "ON")
            .map_err(not_a_database)?;
        Ok(())
    }

    pub fn meta(&self, key: &str) -> anyhow::Result<Option<String>> {
        Ok(self
            .connection
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()?)
    }

    pub fn set_meta(&self, key: &str, value: &str) -> anyhow::Result<()> {
        self.connection.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    pub fn last_run(&self) -> anyhow::Result<Option<LastRun>> {
        self.typed_meta(META_LAST_RUN)
    }

    pub fn set_last_run(&self, last: &LastRun) -> anyhow::Result<()> {
        self.set_meta(META_LAST_RUN, &serde_json::to_string(last)?)
    }

    pub fn service_health(&self, service: Service) -> anyhow::Result<Option<ServiceHealth>> {
        self.typed_meta(service.key())
    }

    pub fn set_service_health(
        &self,
        service: Service,
        health: &ServiceHealth,
    ) -> anyhow::Result<()> {
        self.set_meta(service.key(), &serde_json::to_string(health)?)
    }

    /// A record kept as JSON under `key`; one this version cannot read counts as none.
    fn typed_meta<T: serde::de::DeserializeOwned>(&self, key: &str) -> anyhow::Result<Option<T>> {
        Ok(self
            .meta(key)?
            .and_then(|text| serde_json::from_str(&text).ok()))
    }

    pub fn payment(&self, id: i64) -> anyhow::Result<Option<PaymentRow>> {
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
    ) -> anyhow::Result<Option<PaymentRow>> {
        let sql = format!(
            "SELECT {PAYMENT_COLUMNS} FROM payments WHERE shop = ?1 AND reference = ?2
             UNION ALL SELECT {PAYMENT_COLUMNS} FROM payments WHERE shop = ?1 AND child_reference = ?2
             LIMIT 1"
        );
        Ok(self
            .connection
            .prepare_cached(&sql)?
            .query_row(params![shop.unwrap_or(""), reference], payment_from_row)
            .optional()?)
    }

    /// Every payment a person may mean by a reference, in whichever shop.
    pub fn payments_by_reference(&self, reference: &str) -> anyhow::Result<Vec<PaymentRow>> {
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
    ) -> anyhow::Result<Vec<PaymentRow>> {
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

    fn payments_where(&self, condition: &str) -> anyhow::Result<Vec<PaymentRow>> {
        self.payments_where_with(condition, [])
    }

    /// [`Store::payments_where`] with values bound to the condition's `?1`, `?2`, ….
    fn payments_where_with(
        &self,
        condition: &str,
        values: impl rusqlite::Params,
    ) -> anyhow::Result<Vec<PaymentRow>> {
        let sql = format!(
            "SELECT {PAYMENT_COLUMNS} FROM payments WHERE {condition} ORDER BY created_ms, id"
        );
        let mut statement = self.connection.prepare(&sql)?;
        let rows = statement.query_map(values, payment_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Payments whose booking was started and not settled: a run stopped between
    /// committing its intent and learning Moneybird's answer.
    pub fn interrupted(&self) -> anyhow::Result<Vec<PaymentRow>> {
        self.payments_where("booking_state = 'booking'")
    }

    /// Pending payments to read from CCV again. A resolved one is never touched again.
    pub fn to_reread(&self, which: Reread) -> anyhow::Result<Vec<PaymentRow>> {
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
    ) -> anyhow::Result<Vec<PaymentRow>> {
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
        tab: Tab,
        now_ms: i64,
    ) -> anyhow::Result<i64> {
        self.connection.prepare_cached(
            "INSERT INTO payments (reference, child_reference, ccv_type, ccv_status, failure_code,
                method, amount_cents, currency, created_ms, paid_ms, description,
                merchant_order_reference, raw_json, child_raw_json, tab, first_seen_ms, updated_ms,
                shop, amount_as_sent)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, ?17,
                ?18)",
        )?
        .execute(params![
                facts.reference,
                facts.child_reference,
                facts.ccv_type,
                facts.ccv_status,
                facts.failure_code,
                facts.method,
                facts.amount.0,
                facts.currency,
                facts.created_ms,
                facts.paid_ms,
                facts.description,
                facts.merchant_order_reference,
                facts.raw_json,
                facts.child_raw_json,
                tab.as_str(),
                now_ms,
                shop.unwrap_or(""),
                facts.amount_as_sent,
            ])?;
        Ok(self.connection.last_insert_rowid())
    }

    /// Replaces CCV's facts on an existing payment and moves it to `tab`. Returns whether
    /// anything changed; an unchanged re-read writes nothing.
    pub fn update_ccv_facts(
        &self,
        id: i64,
        facts: &CcvFacts,
        tab: Tab,
        now_ms: i64,
    ) -> anyhow::Result<bool> {
        let changed = self
            .connection
            .prepare_cached(
                "UPDATE payments SET child_reference = ?2, ccv_type = ?3, ccv_status = ?4,
                failure_code = ?5, method = ?6, amount_cents = ?7, currency = ?8, created_ms = ?9,
                paid_ms = ?10, description = ?11, merchant_order_reference = ?12,
                raw_json = COALESCE(?13, raw_json),
                child_raw_json = COALESCE(?14, child_raw_json), tab = ?15, updated_ms = ?16,
                amount_as_sent = ?17,
                error_code = CASE WHEN ?15 = 'fouten' THEN error_code END,
                error_message = CASE WHEN ?15 = 'fouten' THEN error_message END,
                error_words_json = CASE WHEN ?15 = 'fouten' THEN error_words_json END
             WHERE id = ?1 AND (raw_json IS NOT COALESCE(?13, raw_json) OR ccv_status IS NOT ?4
                OR method IS NOT ?6 OR child_reference IS NOT ?2 OR tab IS NOT ?15
                OR (?14 IS NOT NULL AND child_raw_json IS NOT ?14))",
            )?
            .execute(params![
                id,
                facts.child_reference,
                facts.ccv_type,
                facts.ccv_status,
                facts.failure_code,
                facts.method,
                facts.amount.0,
                facts.currency,
                facts.created_ms,
                facts.paid_ms,
                facts.description,
                facts.merchant_order_reference,
                facts.raw_json,
                facts.child_raw_json,
                tab.as_str(),
                now_ms,
                facts.amount_as_sent,
            ])?;
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

    pub fn set_outcome(&self, id: i64, outcome: &Outcome, now_ms: i64) -> anyhow::Result<()> {
        let error_code = outcome.error.as_ref().map(|failure| failure.code);
        let error_message = outcome.error.as_ref().map(Failure::english);
        let error_words = outcome
            .error
            .as_ref()
            .map(|failure| serde_json::to_string(&failure.words))
            .transpose()?;
        let invoice = outcome.invoice.as_ref();
        let resolution = outcome
            .resolution
            .as_ref()
            .map(serde_json::to_string)
            .transpose()?;
        self.connection.prepare_cached(
            "UPDATE payments SET tab = ?2, booking_state = ?3, error_code = ?4, error_message = ?5,
                invoice_kind = ?6, invoice_id = ?7, invoice_label = ?8, payment_date = ?9,
                moneybird_payment_id = ?10, evidence_json = COALESCE(?11, evidence_json),
                updated_ms = ?12, resolution_json = ?13, booked_cents = ?14, rounding_cents = ?15,
                error_words_json = ?16
             WHERE id = ?1",
        )?
        .execute(params![
                id,
                outcome.tab.as_str(),
                outcome.booking.as_str(),
                error_code.map(ErrorCode::as_str),
                error_message,
                invoice.map(|invoice| invoice.kind.as_str()),
                invoice.map(|invoice| invoice.id.clone()),
                invoice.map(|invoice| invoice.label.clone()),
                outcome.payment_date,
                outcome.moneybird_payment_id,
                outcome.evidence_json,
                now_ms,
                resolution,
                outcome.booked.map(|cents| cents.0),
                outcome.rounding.map(|cents| cents.0),
                error_words,
            ])?;
        Ok(())
    }

    /// Records where a payment ends and, when there is news, the line in its history that
    /// says so: both land, or neither.
    pub fn record(
        &self,
        id: i64,
        outcome: &Outcome,
        now_ms: i64,
        event: Option<&Message>,
    ) -> anyhow::Result<()> {
        self.atomically(|store| {
            store.set_outcome(id, outcome, now_ms)?;
            match event {
                Some(what) => store.add_event(id, now_ms, what),
                None => Ok(()),
            }
        })
    }

    /// A line in a payment's history: English in `what` (for old readers and support), and
    /// the message itself, to be said in the reader's language.
    pub fn add_event(&self, payment_id: i64, at_ms: i64, what: &Message) -> anyhow::Result<()> {
        self.connection
            .prepare_cached(
                "INSERT INTO events (payment_id, at_ms, what, words_json) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                payment_id,
                at_ms,
                what.say_in(Lang::En),
                serde_json::to_string(what)?
            ])?;
        Ok(())
    }

    /// A payment's history, each line in `lang`.
    pub fn events(&self, payment_id: i64, lang: Lang) -> anyhow::Result<Vec<(i64, String)>> {
        let mut statement = self.connection.prepare(
            "SELECT at_ms, what, words_json FROM events WHERE payment_id = ?1 ORDER BY id",
        )?;
        let rows = statement.query_map([payment_id], |row| {
            let what: String = row.get(1)?;
            let words = row
                .get::<_, Option<String>>(2)?
                .and_then(|json| serde_json::from_str::<Message>(&json).ok());
            Ok((row.get(0)?, words.map_or(what, |words| words.say_in(lang))))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn add_exchange(
        &self,
        payment_id: i64,
        at_ms: i64,
        exchange: &Exchange,
    ) -> anyhow::Result<()> {
        self.connection.prepare_cached(
            "INSERT INTO exchanges (payment_id, at_ms, method, path, request_body, status, response_body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
                payment_id,
                at_ms,
                exchange.method,
                exchange.path,
                exchange.request_body,
                exchange.status,
                exchange.response_body,
            ])?;
        Ok(())
    }

    /// Every Moneybird exchange about this payment, oldest first, with its time.
    pub fn exchanges(&self, payment_id: i64) -> anyhow::Result<Vec<(i64, Exchange)>> {
        let mut statement = self.connection.prepare(
            "SELECT at_ms, method, path, request_body, status, response_body FROM exchanges
             WHERE payment_id = ?1 ORDER BY id",
        )?;
        let rows = statement.query_map([payment_id], |row| {
            Ok((
                row.get(0)?,
                Exchange {
                    method: row.get(1)?,
                    path: row.get(2)?,
                    request_body: row.get(3)?,
                    status: row.get(4)?,
                    response_body: row.get(5)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn last_exchange(&self, payment_id: i64) -> anyhow::Result<Option<Exchange>> {
        Ok(self
            .connection
            .query_row(
                "SELECT method, path, request_body, status, response_body FROM exchanges
                 WHERE payment_id = ?1 ORDER BY id DESC LIMIT 1",
                [payment_id],
                |row| {
                    Ok(Exchange {
                        method: row.get(0)?,
                        path: row.get(1)?,
                        request_body: row.get(2)?,
                        status: row.get(3)?,
                        response_body: row.get(4)?,
                    })
                },
            )
            .optional()?)
    }

    pub fn post_versions(&self, kind: InvoiceKind) -> anyhow::Result<HashMap<String, i64>> {
        let mut statement = self
            .connection
            .prepare("SELECT id, version FROM open_posts WHERE kind = ?1")?;
        let rows = statement.query_map([kind.as_str()], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Stores fresh copies of invoices; those no longer open leave the cache.
    pub fn save_posts(&mut self, invoices: &[Invoice]) -> anyhow::Result<()> {
        self.atomically(|store| {
            let mut upsert = store.connection.prepare_cached(
                "INSERT INTO open_posts (kind, id, version, invoice) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version, invoice = excluded.invoice",
            )?;
            let mut remove = store
                .connection
                .prepare_cached("DELETE FROM open_posts WHERE kind = ?1 AND id = ?2")?;
            for invoice in invoices {
                if invoice.is_open() {
                    upsert.execute(params![
                        invoice.kind.as_str(),
                        invoice.id,
                        invoice.version,
                        serde_json::to_string(invoice)?,
                    ])?;
                } else {
                    remove.execute(params![invoice.kind.as_str(), invoice.id])?;
                }
            }
            Ok(())
        })
    }

    pub fn forget_posts(&mut self, kind: InvoiceKind, ids: &[String]) -> anyhow::Result<()> {
        self.atomically(|store| {
            let mut remove = store
                .connection
                .prepare_cached("DELETE FROM open_posts WHERE kind = ?1 AND id = ?2")?;
            for id in ids {
                remove.execute(params![kind.as_str(), id])?;
            }
            Ok(())
        })
    }

    pub fn open_posts(&self) -> anyhow::Result<Vec<Invoice>> {
        let mut statement = self.connection.prepare("SELECT invoice FROM open_posts")?;
        let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
        let mut invoices = Vec::new();
        for row in rows {
            invoices.push(serde_json::from_str(&row?).context("a cached open post is unreadable")?);
        }
        Ok(invoices)
    }

    /// Runs `work` in one transaction: all of it lands, or none. Savepoints nest, so this
    /// also works inside a dry run's scratch transaction.
    pub fn atomically<T>(
        &self,
        work: impl FnOnce(&Store) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        self.connection.execute_batch("SAVEPOINT work")?;
        match work(self) {
            Ok(value) => {
                self.connection.execute_batch("RELEASE work")?;
                Ok(value)
            }
            Err(error) => {
                let _ = self
                    .connection
                    .execute_batch("ROLLBACK TO work; RELEASE work");
                Err(error)
            }
        }
    }

    /// Starts a transaction that [`Store::discard_scratch`] throws away whole: a dry run.
    pub fn begin_scratch(&self) -> anyhow::Result<()> {
        self.connection.execute_batch("SAVEPOINT scratch")?;
        Ok(())
    }

    pub fn discard_scratch(&self) -> anyhow::Result<()> {
        self.connection
            .execute_batch("ROLLBACK TO scratch; RELEASE scratch")?;
        Ok(())
    }
}

/// An empty file, or an SQLite database of something else, is named and left alone: never
/// silently turned into a new state database.
fn refuse_what_is_not_ours(path: &Path) -> anyhow::Result<()> {
    let Ok(metadata) = std::fs::metadata(path) else {
        return Ok(());
    };
    let leave_it = "point `path` under [state] in the config at another file, or move this one away; \
                    the next sync rebuilds the state from CCV and Moneybird without booking anything twice";
    if metadata.is_file() && metadata.len() == 0 {
        return Err(user_error(
            format!(
                "{} is an empty file, not a state database of this tool",
                path.display()
            ),
            leave_it,
        ));
    }
    let Ok(connection) =
        Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
    else {
        return Ok(());
    };
    let version: i64 = connection
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap_or(0);
    let tables: i64 = connection
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |row| row.get(0),
        )
        .unwrap_or(0);
    if version == 0 && tables > 0 {
        return Err(user_error(
            format!(
                "{} is an SQLite database of something else, not a state database of this tool",
                path.display()
            ),
            leave_it,
        ));
    }
    Ok(())
}

/// The state directory holds payment data; only its owner may read it.
pub fn create_private_dir(directory: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    if directory.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(directory)
        .map_err(|error| {
            user_error(
                t!(
                    "store-cannot-create-dir",
                    path = directory.display().to_string(),
                    error = error.to_string()
                ),
                t!("store-cannot-create-dir-hint"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(reference: &str) -> CcvFacts {
        CcvFacts {
            reference: reference.into(),
            child_reference: None,
            ccv_type: "sale".into(),
            ccv_status: "success".into(),
            failure_code: None,
            method: Some("ideal".into()),
            amount: Cents(12100),
            amount_as_sent: None,
            currency: "EUR".into(),
            created_ms: 1_741_083_312_345,
            paid_ms: Some(1_741_083_420_001),
            description: Some("Factuur 2025-0042".into()),
            merchant_order_reference: None,
            raw_json: Some("{}".into()),
            child_raw_json: None,
        }
    }

    fn version(path: &Path) -> i64 {
        Connection::open(path)
            .unwrap()
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .unwrap()
    }

    #[test]
    fn every_migration_runs_on_an_empty_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.sqlite3");
        let store = Store::open(&path).unwrap();
        let id = store
            .insert_payment(None, &facts("C1"), Tab::Open, 1)
            .unwrap();
        let row = store.payment(id).unwrap().unwrap();
        assert_eq!(row.resolution, None);
        drop(store);
        assert_eq!(version(&path), schema::MIGRATIONS.len() as i64);
    }

    #[test]
    fn a_version_1_database_is_brought_up_to_date_with_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.sqlite3");
        {
            // The state file of the first release: migration 1 only, with a booked payment.
            let connection = Connection::open(&path).unwrap();
            connection.execute_batch(schema::MIGRATIONS[0]).unwrap();
            connection.pragma_update(None, "user_version", 1).unwrap();
            connection
                .execute(
                    "INSERT INTO payments (reference, ccv_type, ccv_status, amount_cents, currency,
                        created_ms, raw_json, tab, booking_state, moneybird_payment_id,
                        first_seen_ms, updated_ms)
                     VALUES ('C1', 'sale', 'success', 12100, 'EUR', 1, '{}', 'rapportage',
                        'booked', '496081536082249007', 1, 1)",
                    [],
                )
                .unwrap();
            connection
                .execute(
                    "INSERT INTO events (payment_id, at_ms, what) VALUES (1, 1, 'booked')",
                    [],
                )
                .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let row = store.payment_by_reference(None, "C1").unwrap().unwrap();
        // The table rebuilt for several shops (migration 5) kept the history with it.
        assert_eq!(store.events(row.id, Lang::En).unwrap().len(), 1);
        assert_eq!(row.shop, None);
        assert_eq!(row.tab, Tab::Rapportage);
        assert_eq!(row.booking, BookingState::Booked);
        assert_eq!(
            row.moneybird_payment_id.as_deref(),
            Some("496081536082249007")
        );
        assert_eq!(
            (row.resolution, row.booked, row.rounding),
            (None, None, None)
        );
        drop(store);
        assert_eq!(version(&path), schema::MIGRATIONS.len() as i64);
    }

    #[test]
    fn opening_twice_in_a_row_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.sqlite3");
        let store = Store::open(&path).unwrap();
        store
            .insert_payment(None, &facts("C1"), Tab::Open, 1)
            .unwrap();
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(store.tab_counts().unwrap().get(&Tab::Open), Some(&1));
        drop(store);
        Store::open(&path).unwrap();
        assert_eq!(version(&path), schema::MIGRATIONS.len() as i64);
    }

    #[test]
    fn typed_records_survive_a_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("state.sqlite3")).unwrap();
        assert_eq!(store.last_run().unwrap(), None);
        let last = LastRun {
            at: "2026-11-26T12:00:00+00:00".into(),
            pass: "sync".into(),
            booked: 3,
            new_errors: 1,
            stopped_early: None,
        };
        store.set_last_run(&last).unwrap();
        assert_eq!(store.last_run().unwrap(), Some(last));
        let health = ServiceHealth {
            at: "2026-11-26T12:00:00+00:00".into(),
            health: crate::http::Health::Failing(Message::verbatim("no answer")),
        };
        store.set_service_health(Service::Ccv, &health).unwrap();
        assert_eq!(store.service_health(Service::Ccv).unwrap(), Some(health));
        assert_eq!(store.service_health(Service::Moneybird).unwrap(), None);
    }
}
