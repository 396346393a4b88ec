//! Small records kept by key: cursors, the last run, each service's health, cached
//! answers.

use rusqlite::{OptionalExtension as _, params};
use serde::{Deserialize, Serialize};

use super::Store;
use crate::i18n::Message;

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

impl Store {
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
}
