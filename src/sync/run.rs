//! What every step of a pass shares: the job it works for, the options it was given, how it
//! reports, and how it stops.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::ccv::CcvClient;
use crate::clock::Clock;
use crate::codes::ErrorCode;
use crate::config::{Settings, Shop};
use crate::domain::{Failure, Payment};
use crate::error::UserError;
use crate::money::Cents;
use crate::moneybird::{MoneybirdClient, MoneybirdError};
use crate::store::Store;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Pass {
    /// Hourly: new payments, and recent pending ones.
    #[default]
    Sync,
    /// Nightly: every payment fetched but not booked, including retryable errors.
    Recheck,
}

#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    pub pass: Pass,
    pub since: Option<NaiveDate>,
    pub dry_run: bool,
    /// Only these payments: re-read from CCV and processed again (`retry`).
    pub only: Option<Vec<i64>>,
    /// The open post a person named for the payment in `only` (`retry --invoice`).
    pub invoice: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Line {
    pub id: i64,
    pub reference: String,
    pub amount: Cents,
    /// CCV's amount as it came, when it could not be read.
    pub amount_as_sent: Option<String>,
    pub currency: String,
    pub invoice: Option<String>,
    pub payment_date: Option<String>,
    /// Boxed: most lines have none, and a dry run of 100,000 payments keeps them all.
    pub error: Option<Box<Failure>>,
}

impl Line {
    /// In its own currency, or as CCV sent it when that could not be read.
    pub fn shown_amount(&self) -> String {
        crate::view::amount_text(self.amount, &self.currency, self.amount_as_sent.as_deref())
    }

    /// A payment as the summary names it, on `invoice` at `payment_date`.
    pub(super) fn of(row: &Payment, invoice: Option<String>, payment_date: Option<String>) -> Line {
        Line {
            id: row.id,
            reference: row.facts.reference.clone(),
            amount: row.facts.amount,
            amount_as_sent: row.facts.amount_as_sent.clone(),
            currency: row.facts.currency.clone(),
            invoice,
            payment_date,
            error: None,
        }
    }

    /// Why it did not end where it was meant to.
    pub(super) fn failed(self, code: ErrorCode, words: crate::i18n::Message) -> Line {
        Line {
            error: Some(Box::new(Failure { code, words })),
            ..self
        }
    }

    /// A payment that newly landed in Fouten after its booking: as it was booked.
    pub(super) fn booked_then_failed(
        row: &Payment,
        code: ErrorCode,
        words: crate::i18n::Message,
    ) -> Line {
        Line::of(
            row,
            row.invoice_label().map(str::to_string),
            row.standing.payment_date.clone(),
        )
        .failed(code, words)
    }
}

#[derive(Debug, Default)]
pub struct RunReport {
    pub new_payments: usize,
    pub booked: Vec<Line>,
    pub planned: Vec<Line>,
    pub new_errors: Vec<Line>,
    /// What each payment looked at came to, by outcome (`book`, `already_in_moneybird`, or
    /// an error code) and currency: how many, and how much. A dry run prints these as its
    /// totals, never adding two currencies.
    pub outcomes: BTreeMap<(String, String), (usize, Cents)>,
    /// Records that could not be read and were left out, each named.
    pub skipped_records: Vec<String>,
    /// The invoice a person named that is no open post (`retry --invoice`).
    pub unknown_invoice: Option<String>,
    /// Refunds, chargebacks and reversals newly seen, or seen in a new status.
    pub changes: usize,
    /// Shops whose CCV could not be read this run (with several shops only).
    pub shop_failures: Vec<ShopFailure>,
    /// On the very first fetch: the day it looked back to (`first_sync_days`).
    pub first_window: Option<NaiveDate>,
    /// Payouts that newly need a person this run: reference, and why.
    pub payouts_needing_a_look: Vec<(String, crate::i18n::Message)>,
    /// Why the run stopped booking before it was done, if it did.
    pub stopped_early: Option<crate::i18n::Message>,
    pub ccv_requests: u64,
    /// Of those, the ones that looked for payouts.
    pub payout_ccv_requests: u64,
    pub moneybird_requests: u64,
    pub throttled_answers: u64,
}

impl RunReport {
    pub(super) fn count(&mut self, outcome: &str, row: &Payment) {
        self.count_amount(outcome, row.facts.amount, &row.facts.currency);
    }

    pub(super) fn count_amount(&mut self, outcome: &str, amount: Cents, currency: &str) {
        // A handful of keys, met once per payment: found without making two strings.
        let found = self
            .outcomes
            .iter_mut()
            .find(|((known, in_currency), _)| known == outcome && in_currency == currency)
            .map(|(_, entry)| entry);
        let entry = match found {
            Some(entry) => entry,
            None => self
                .outcomes
                .entry((outcome.to_string(), currency.to_string()))
                .or_default(),
        };
        entry.0 += 1;
        entry.1 = entry.1.checked_add(amount).unwrap_or(entry.1);
    }
}

/// One CCV account and the client that reads it with its key.
pub struct ShopClient {
    pub shop: Shop,
    pub client: CcvClient,
}

/// A shop whose CCV answers could not be had this run, while the others went on.
#[derive(Clone, Debug)]
pub struct ShopFailure {
    pub shop: String,
    pub error: String,
    pub hint: Option<String>,
}

pub struct Job<'a> {
    pub store: &'a mut Store,
    /// One per shop that has a key: the single `[ccv]` shop, or each `[[ccv.shops]]` entry.
    pub ccv: &'a [ShopClient],
    pub moneybird: &'a MoneybirdClient,
    pub settings: &'a Settings,
    pub clock: Clock,
    /// Shown on a terminal only; `ProgressBar::hidden()` for cron, tests and the benchmark.
    pub progress: indicatif::ProgressBar,
}

/// How a pass ends before it is done: the one way to stop, passed up with `?`.
pub(crate) enum Halt {
    /// Stop booking for now; what is left stays as it is for the next run.
    Stop(crate::i18n::Message),
    Fail(anyhow::Error),
}

impl From<anyhow::Error> for Halt {
    fn from(error: anyhow::Error) -> Halt {
        Halt::Fail(error)
    }
}

impl From<MoneybirdError> for Halt {
    /// Moneybird's rate limit stops booking for now; anything else fails the run, said
    /// with its fix.
    fn from(error: MoneybirdError) -> Halt {
        match error {
            MoneybirdError::RateLimited(_) => Halt::Stop(error.words()),
            other => Halt::Fail(UserError::from(other).into()),
        }
    }
}

impl Job<'_> {
    /// The run's calendar day in the booking time zone.
    pub fn today(&self) -> NaiveDate {
        self.clock
            .now()
            .with_timezone(&self.settings.timezone)
            .date_naive()
    }
}
