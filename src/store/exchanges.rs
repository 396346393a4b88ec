//! The last Moneybird exchanges per payment, for `info` and `report`.

use rusqlite::{OptionalExtension as _, params};

use super::Store;
use crate::moneybird::Exchange;

impl Store {
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
            Ok((row.get("at_ms")?, exchange_from_row(row)?))
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
                exchange_from_row,
            )
            .optional()?)
    }
}

fn exchange_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Exchange> {
    Ok(Exchange {
        method: row.get("method")?,
        path: row.get("path")?,
        request_body: row.get("request_body")?,
        status: row.get("status")?,
        response_body: row.get("response_body")?,
    })
}
