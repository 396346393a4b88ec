//! Where a payment ends after a look: the outcome a step writes, why it failed, and how a
//! person settled it.

use serde::{Deserialize, Serialize};

use super::{BookingState, Payment, Tab};
use crate::codes::ErrorCode;
use crate::i18n::{Lang, Message};
use crate::money::Cents;
use crate::moneybird::{Invoice, InvoiceKind};

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

impl InvoiceRef {
    pub fn of(post: &Invoice) -> InvoiceRef {
        InvoiceRef {
            kind: post.kind,
            id: post.id.clone(),
            label: post.label(),
        }
    }
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
    pub fn changed_after_booking(row: &Payment, words: Message) -> Outcome {
        Outcome {
            tab: Tab::Fouten,
            booking: BookingState::Booked,
            error: Some(Failure {
                code: ErrorCode::ChangedAfterBooking,
                words,
            }),
            evidence_json: None,
            resolution: None,
            ..row.standing.clone()
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
