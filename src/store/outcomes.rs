//! Where a payment ends after a look, and the history of how it got there.

use rusqlite::params;

use super::Store;
use crate::codes::ErrorCode;
use crate::domain::{Failure, Outcome};
use crate::i18n::{Lang, Message};

impl Store {
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
            let what: String = row.get("what")?;
            let words = row
                .get::<_, Option<String>>("words_json")?
                .and_then(|json| serde_json::from_str::<Message>(&json).ok());
            Ok((
                row.get("at_ms")?,
                words.map_or(what, |words| words.say_in(lang)),
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
