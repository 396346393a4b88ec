//! What happened to a payment after it was paid: refunds, chargebacks and reversals, each a
//! CCV transaction of its own that names the payment in `originalReference`.

use rusqlite::{OptionalExtension as _, params};

use super::Store;
use crate::domain::{Change, ChangeKind};
use crate::money::Cents;

/// A change as it came from CCV, before it is stored.
#[derive(Clone, Debug)]
pub struct NewChange<'a> {
    pub reference: &'a str,
    pub payment_id: i64,
    pub kind: ChangeKind,
    pub status: &'a str,
    pub amount: Cents,
    pub currency: &'a str,
    pub created_ms: i64,
    pub raw_json: String,
}

const CHANGE_COLUMNS: &str = "id, reference, payment_id, kind, status, amount_cents, currency, \
    created_ms, raised, payout_reference";

fn change_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Change> {
    let kind: String = row.get("kind")?;
    Ok(Change {
        id: row.get("id")?,
        reference: row.get("reference")?,
        payment_id: row.get("payment_id")?,
        kind: ChangeKind::of(&kind).unwrap_or(ChangeKind::Refund),
        status: row.get("status")?,
        amount: Cents(row.get("amount_cents")?),
        currency: row.get("currency")?,
        created_ms: row.get("created_ms")?,
        raised: row.get::<_, i64>("raised")? != 0,
        payout_reference: row.get("payout_reference")?,
    })
}

impl Store {
    /// Keeps a change, or its new status. Returns it as stored, and whether it is news: new,
    /// or in another status than before.
    pub fn record_change(&self, change: &NewChange<'_>) -> anyhow::Result<(Change, bool)> {
        let before = self.change_by_reference(change.reference)?;
        self.connection
            .prepare_cached(
                "INSERT INTO changes (reference, payment_id, kind, status, amount_cents, currency,
                    created_ms, raw_json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (reference) DO UPDATE SET status = excluded.status,
                    amount_cents = excluded.amount_cents, raw_json = excluded.raw_json",
            )?
            .execute(params![
                change.reference,
                change.payment_id,
                change.kind.as_str(),
                change.status,
                change.amount.0,
                change.currency,
                change.created_ms,
                change.raw_json,
            ])?;
        let after = self
            .change_by_reference(change.reference)?
            .expect("the change was just stored");
        let news = before.is_none_or(|before| before.status != after.status);
        Ok((after, news))
    }

    fn change_by_reference(&self, reference: &str) -> anyhow::Result<Option<Change>> {
        Ok(self
            .connection
            .prepare_cached(&format!(
                "SELECT {CHANGE_COLUMNS} FROM changes WHERE reference = ?1"
            ))?
            .query_row([reference], change_from_row)
            .optional()?)
    }

    /// A payment's changes, oldest first.
    pub fn changes_of(&self, payment_id: i64) -> anyhow::Result<Vec<Change>> {
        let mut statement = self.connection.prepare_cached(&format!(
            "SELECT {CHANGE_COLUMNS} FROM changes WHERE payment_id = ?1 ORDER BY created_ms, id"
        ))?;
        let rows = statement.query_map([payment_id], change_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One shop's changes whose status may still move (a refund pending at CCV): read
    /// again each run.
    pub fn unsettled_change_references(&self, shop: Option<&str>) -> anyhow::Result<Vec<String>> {
        let mut statement = self.connection.prepare_cached(
            "SELECT changes.reference FROM changes JOIN payments ON payments.id = changes.payment_id
             WHERE changes.status NOT IN ('success', 'failed') AND payments.shop = ?1",
        )?;
        let rows = statement.query_map([shop.unwrap_or("")], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Payments with a change not yet put in front of the bookkeeper.
    pub fn payments_with_unraised_changes(&self) -> anyhow::Result<Vec<i64>> {
        let mut statement = self
            .connection
            .prepare_cached("SELECT DISTINCT payment_id FROM changes WHERE raised = 0")?;
        let rows = statement.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The payments this tool booked and nothing has settled since: what the drift audit
    /// checks.
    pub fn booked_for_audit(&self) -> anyhow::Result<Vec<crate::domain::Payment>> {
        self.payments_where(
            "booking_state = 'booked' AND tab = 'rapportage' AND resolution_json IS NULL
             AND moneybird_payment_id IS NOT NULL",
        )
    }

    /// Payments booked by this tool (their booking standing, whatever came after), settled
    /// outside it, or whose booking was undone: what the accountant's export lists.
    pub fn booked_or_settled(&self) -> anyhow::Result<Vec<crate::domain::Payment>> {
        self.payments_where("booking_state = 'booked' OR resolution_json IS NOT NULL")
    }

    /// The version of each invoice of this kind when the audit last found it in order.
    pub fn audited_versions(
        &self,
        kind: crate::moneybird::InvoiceKind,
    ) -> anyhow::Result<std::collections::HashMap<String, i64>> {
        let mut statement = self
            .connection
            .prepare_cached("SELECT id, version FROM audited_invoices WHERE kind = ?1")?;
        let rows = statement.query_map([kind.as_str()], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn set_audited_version(
        &self,
        kind: crate::moneybird::InvoiceKind,
        id: &str,
        version: i64,
    ) -> anyhow::Result<()> {
        self.connection
            .prepare_cached(
                "INSERT INTO audited_invoices (kind, id, version) VALUES (?1, ?2, ?3)
                 ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version",
            )?
            .execute(params![kind.as_str(), id, version])?;
        Ok(())
    }

    pub fn mark_change_raised(&self, id: i64) -> anyhow::Result<()> {
        self.connection
            .prepare_cached("UPDATE changes SET raised = 1 WHERE id = ?1")?
            .execute([id])?;
        Ok(())
    }
}
