//! The cache of open posts, kept up to date through Moneybird's synchronization
//! endpoints.

use std::collections::HashMap;

use anyhow::Context as _;
use rusqlite::params;

use super::Store;
use crate::moneybird::{Invoice, InvoiceKind};

impl Store {
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
        // Sized once: 100,000 posts are too many to copy over while growing.
        let count: i64 =
            self.connection
                .query_row("SELECT COUNT(*) FROM open_posts", [], |row| row.get(0))?;
        let mut statement = self.connection.prepare("SELECT invoice FROM open_posts")?;
        let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
        let mut invoices = Vec::with_capacity(usize::try_from(count).unwrap_or_default());
        for row in rows {
            invoices.push(serde_json::from_str(&row?).context(t!("store-post-unreadable"))?);
        }
        Ok(invoices)
    }
}
