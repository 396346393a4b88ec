//! CCV's payouts as the store keeps them: which payments (and refunds) left CCV in each, the
//! bank line it arrived as, and how far linking it got.

use rusqlite::{OptionalExtension as _, params};

use super::Store;
use crate::domain::Payment;
use crate::i18n::Message;

/// How far a payout got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayoutState {
    /// Its bank line has not arrived, or a payment in it is not booked yet.
    Waiting,
    /// The bank line is linked to the tussenrekeningen and the costs.
    Linked,
    /// Something a person must look at: several candidate bank lines, say.
    NeedsALook,
}

impl PayoutState {
    pub fn as_str(self) -> &'static str {
        match self {
            PayoutState::Waiting => "waiting",
            PayoutState::Linked => "linked",
            PayoutState::NeedsALook => "needs_a_look",
        }
    }

    fn parse(text: &str) -> PayoutState {
        match text {
            "linked" => PayoutState::Linked,
            "needs_a_look" => PayoutState::NeedsALook,
            _ => PayoutState::Waiting,
        }
    }
}

#[derive(Clone, Debug)]
pub struct PayoutRow {
    pub shop: Option<String>,
    pub reference: String,
    pub remittance: Option<String>,
    /// ISO day.
    pub date: Option<String>,
    pub state: PayoutState,
    pub reason: Option<Message>,
    pub mutation_id: Option<String>,
    pub received: Option<crate::money::Cents>,
}

fn payout_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<PayoutRow> {
    Ok(PayoutRow {
        shop: Some(row.get::<_, String>("shop")?).filter(|shop| !shop.is_empty()),
        reference: row.get("reference")?,
        remittance: row.get("remittance")?,
        date: row.get("date")?,
        state: PayoutState::parse(&row.get::<_, String>("state")?),
        reason: row
            .get::<_, Option<String>>("reason_json")?
            .and_then(|json| serde_json::from_str(&json).ok()),
        mutation_id: row.get("mutation_id")?,
        received: row
            .get::<_, Option<i64>>("received_cents")?
            .map(crate::money::Cents),
    })
}

const PAYOUT_COLUMNS: &str =
    "shop, reference, remittance, date, state, reason_json, mutation_id, received_cents";

impl Store {
    /// Notes that a transaction's money left CCV in this payout: the payment (or the
    /// refund) with this reference, and the payout itself.
    pub fn note_payout(
        &self,
        shop: Option<&str>,
        transaction_reference: &str,
        payout: &crate::ccv::Payout,
    ) -> anyhow::Result<()> {
        let shop_key = shop.unwrap_or("");
        self.connection
            .prepare_cached(
                "INSERT INTO payouts (shop, reference, remittance, date) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (shop, reference) DO UPDATE SET
                    remittance = COALESCE(excluded.remittance, remittance),
                    date = COALESCE(excluded.date, date)",
            )?
            .execute(params![
                shop_key,
                payout.reference,
                payout.remittance,
                payout.date.map(|day| day.to_string())
            ])?;
        self.connection
            .prepare_cached(
                "UPDATE payments SET payout_reference = ?3
                 WHERE shop = ?1 AND (reference = ?2 OR child_reference = ?2)",
            )?
            .execute(params![shop_key, transaction_reference, payout.reference])?;
        self.connection
            .prepare_cached("UPDATE changes SET payout_reference = ?2 WHERE reference = ?1")?
            .execute(params![transaction_reference, payout.reference])?;
        Ok(())
    }

    pub fn payouts(&self) -> anyhow::Result<Vec<PayoutRow>> {
        let mut statement = self.connection.prepare_cached(&format!(
            "SELECT {PAYOUT_COLUMNS} FROM payouts ORDER BY date DESC, reference"
        ))?;
        let rows = statement.query_map([], payout_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn payout(&self, shop: Option<&str>, reference: &str) -> anyhow::Result<Option<PayoutRow>> {
        Ok(self
            .connection
            .prepare_cached(&format!(
                "SELECT {PAYOUT_COLUMNS} FROM payouts WHERE shop = ?1 AND reference = ?2"
            ))?
            .query_row(params![shop.unwrap_or(""), reference], payout_from_row)
            .optional()?)
    }

    /// When the oldest payment of this shop created after `since_ms` was made that is in
    /// Rapportage (booked, by this tool or by hand) and has no payout yet: how far back
    /// the nightly look for payouts must reach.
    pub fn oldest_booked_without_payout(
        &self,
        shop: Option<&str>,
        since_ms: i64,
    ) -> anyhow::Result<Option<i64>> {
        Ok(self
            .connection
            .prepare_cached(
                "SELECT MIN(created_ms) FROM payments
                 WHERE shop = ?1 AND tab = 'rapportage' AND payout_reference IS NULL
                   AND created_ms > ?2",
            )?
            .query_row(params![shop.unwrap_or(""), since_ms], |row| row.get(0))?)
    }

    /// The payments paid out in it.
    pub fn payout_payments(
        &self,
        shop: Option<&str>,
        reference: &str,
    ) -> anyhow::Result<Vec<Payment>> {
        self.payments_where_with(
            "shop = ?1 AND payout_reference = ?2",
            params![shop.unwrap_or(""), reference],
        )
    }

    /// The refunds and chargebacks taken off it.
    pub fn payout_changes(&self, reference: &str) -> anyhow::Result<Vec<crate::domain::Change>> {
        let ids: Vec<i64> = {
            let mut statement = self
                .connection
                .prepare_cached("SELECT payment_id FROM changes WHERE payout_reference = ?1")?;
            let rows = statement.query_map([reference], |row| row.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut changes = Vec::new();
        for payment_id in ids {
            changes.extend(
                self.changes_of(payment_id)?
                    .into_iter()
                    .filter(|change| change.payout_reference.as_deref() == Some(reference)),
            );
        }
        changes.dedup_by_key(|change| change.id);
        Ok(changes)
    }

    pub fn set_payout_state(
        &self,
        payout: &PayoutRow,
        state: PayoutState,
        reason: Option<&Message>,
        mutation_id: Option<&str>,
        received: Option<crate::money::Cents>,
    ) -> anyhow::Result<()> {
        self.connection
            .prepare_cached(
                "UPDATE payouts SET state = ?3, reason_json = ?4, mutation_id = ?5,
                    received_cents = ?6 WHERE shop = ?1 AND reference = ?2",
            )?
            .execute(params![
                payout.shop.as_deref().unwrap_or(""),
                payout.reference,
                state.as_str(),
                reason.map(serde_json::to_string).transpose()?,
                mutation_id,
                received.map(|cents| cents.0),
            ])?;
        Ok(())
    }

    /// The bank lines as last read, and their versions.
    pub fn bank_line_versions(&self) -> anyhow::Result<std::collections::HashMap<String, i64>> {
        let mut statement = self
            .connection
            .prepare_cached("SELECT id, version FROM bank_lines")?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn save_bank_line(&self, id: &str, version: i64, json: &str) -> anyhow::Result<()> {
        self.connection
            .prepare_cached(
                "INSERT INTO bank_lines (id, version, json) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET version = excluded.version, json = excluded.json",
            )?
            .execute(params![id, version, json])?;
        Ok(())
    }

    pub fn bank_lines(&self) -> anyhow::Result<Vec<String>> {
        let mut statement = self
            .connection
            .prepare_cached("SELECT json FROM bank_lines")?;
        let rows = statement.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
