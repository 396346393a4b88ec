//! The local state: one SQLite file holding every fetched payment, its history, the last
//! Moneybird exchange per payment, and the cache of open posts.

mod changes;
mod exchanges;
mod files;
mod meta;
mod outcomes;
mod payments;
mod payouts;
mod posts;
mod schema;
pub mod trouble;

pub use changes::NewChange;
pub use files::create_private_dir;
pub use meta::{LastRun, Service, ServiceHealth};
pub use payments::{Due, Reread};
pub use payouts::{PayoutRow, PayoutState};

use std::path::Path;

use anyhow::Context as _;
use rusqlite::Connection;

use crate::error::user_error;
use files::refuse_what_is_not_ours;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{BookingState, CcvFacts, CcvJson, Tab};
    use crate::i18n::Lang;
    use crate::money::Cents;

    fn json() -> CcvJson {
        CcvJson {
            own: Some("{}".into()),
            child: None,
        }
    }

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
            .insert_payment(None, &facts("C1"), &json(), Tab::Open, 1)
            .unwrap();
        let row = store.payment(id).unwrap().unwrap();
        assert_eq!(row.standing.resolution, None);
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
        assert_eq!(row.standing.tab, Tab::Rapportage);
        assert_eq!(row.standing.booking, BookingState::Booked);
        assert_eq!(
            row.standing.moneybird_payment_id.as_deref(),
            Some("496081536082249007")
        );
        assert_eq!(
            (
                row.standing.resolution,
                row.standing.booked,
                row.standing.rounding
            ),
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
            .insert_payment(None, &facts("C1"), &json(), Tab::Open, 1)
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
            health: crate::http::Health::Failing(crate::i18n::Message::verbatim("no answer")),
        };
        store.set_service_health(Service::Ccv, &health).unwrap();
        assert_eq!(store.service_health(Service::Ccv).unwrap(), Some(health));
        assert_eq!(store.service_health(Service::Moneybird).unwrap(), None);
    }
}
