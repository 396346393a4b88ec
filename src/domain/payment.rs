//! A payment as this tool knows it: CCV's facts, its tab, and its booking.

use chrono::{NaiveDate, TimeZone as _, Utc};

use super::{Failure, InvoiceRef, Outcome};
use crate::ccv::Status;
use crate::codes::ErrorCode;
use crate::money::Cents;

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
    pub fn as_str(self) -> &'static str {
        match self {
            BookingState::None => "none",
            BookingState::Booking => "booking",
            BookingState::Booked => "booked",
        }
    }

    pub fn parse(text: &str) -> BookingState {
        match text {
            "booking" => BookingState::Booking,
            "booked" => BookingState::Booked,
            _ => BookingState::None,
        }
    }
}

impl Tab {
    /// Where a payment belongs given what CCV says now.
    pub fn given(booking: BookingState, current: Option<Tab>, status: &Status) -> Tab {
        match booking {
            BookingState::Booked => Tab::Rapportage,
            BookingState::Booking => current.unwrap_or(Tab::Open),
            BookingState::None => match status {
                Status::Failed => Tab::Closed,
                // A payment in `fouten` stays there until `recheck` or `retry` looks again.
                Status::Success if current == Some(Tab::Fouten) => Tab::Fouten,
                _ => Tab::Open,
            },
        }
    }
}

/// One payment: CCV's facts, and where it stands here and in Moneybird.
#[derive(Clone, Debug)]
pub struct Payment {
    pub id: i64,
    /// What CCV says of it, as last read.
    pub facts: CcvFacts,
    /// Where the last look left it: what that step wrote.
    pub standing: Outcome,
    /// The `[[ccv.shops]]` name it came from; `None` for the single `[ccv]` shop.
    pub shop: Option<String>,
    /// The CCV payout its money left in, once paid out.
    pub payout_reference: Option<String>,
}

impl Payment {
    /// The amount as a person reads it: in its currency, or, when CCV's could not be read,
    /// as CCV sent it and marked so; never a made-up `€ 0,00`.
    pub fn amount_shown(&self) -> String {
        crate::view::amount_text(
            self.facts.amount,
            &self.facts.currency,
            self.facts.amount_as_sent.as_deref(),
        )
    }

    /// Why it sits in Fouten, if it does.
    pub fn failure(&self) -> Option<Failure> {
        self.standing.error.clone()
    }

    pub fn error_code(&self) -> Option<ErrorCode> {
        self.standing.error.as_ref().map(|failure| failure.code)
    }

    /// The invoice it is (to be) booked on, when one is known.
    pub fn invoice(&self) -> Option<InvoiceRef> {
        self.standing.invoice.clone()
    }

    /// Its number, or an external invoice's reference.
    pub fn invoice_label(&self) -> Option<&str> {
        self.standing
            .invoice
            .as_ref()
            .map(|invoice| invoice.label.as_str())
    }

    /// Why it sits in Fouten, in the reader's language.
    pub fn error_text(&self) -> Option<String> {
        self.standing
            .error
            .as_ref()
            .map(|failure| failure.words.say())
    }

    /// The price of this payment's booking in Moneybird.
    pub fn booked_price(&self) -> Cents {
        self.standing.booked.unwrap_or(self.facts.amount)
    }

    /// What CCV paid beyond what was booked: it stays on the tussenrekening.
    pub fn difference(&self) -> Option<Cents> {
        self.standing
            .booked
            .and_then(|booked| self.facts.amount.checked_sub(booked))
            .filter(|difference| difference.0 != 0)
    }

    /// The calendar day, in the booking time zone, on which CCV reports the payment paid.
    pub fn booking_date(&self, timezone: chrono_tz::Tz) -> NaiveDate {
        let paid_ms = self.facts.paid_ms.unwrap_or(self.facts.created_ms);
        Utc.timestamp_millis_opt(paid_ms)
            .single()
            .unwrap_or_default()
            .with_timezone(&timezone)
            .date_naive()
    }
}

/// CCV's facts about a payment: what a fetch learns, and all a decision reads of CCV.
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
}

/// CCV's objects as they came, kept for `info` and `report` only; `None` on an update keeps
/// the stored one.
#[derive(Clone, Debug, Default)]
pub struct CcvJson {
    pub own: Option<String>,
    /// A payment link's child, which paid it.
    pub child: Option<String>,
}
