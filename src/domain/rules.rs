//! What a person may do with a payment, and what becomes of it: `retry`, `resolve`, `resolve
//! --undo` and `retry --undo-booking`. The commands ask these and write what they answer.

use super::{Before, BookingState, Change, Evidence, Failure, Outcome, Payment, Resolution, Tab};
use crate::codes::{ErrorCode, Retry};
use crate::i18n::{Lang, Message};
use crate::money::Cents;

/// The resolutions after which `resolve --undo` has nothing to put back.
pub const UNDONE: [&str; 2] = ["resolution-booking-undone", "resolution-booking-gone"];

/// Where a person's action takes the payment: the outcome to write, the event for its
/// history, and what to tell the person.
#[derive(Debug)]
pub struct Transition {
    pub outcome: Outcome,
    pub event: Message,
    pub said: Message,
}

/// Why an action is refused, and what the person can do instead.
#[derive(Debug, PartialEq, Eq)]
pub struct NotAllowed {
    pub message: String,
    pub hint: String,
}

impl Payment {
    /// Why processing this payment again cannot help, if it cannot. `invoice` is whether a
    /// person names the invoice (`retry --invoice`).
    pub fn why_retry_cannot_help(&self, invoice: bool) -> Option<String> {
        if let Some(resolution) = &self.standing.resolution {
            return Some(t!("retry-resolved", note = resolution.text(), id = self.id));
        }
        match (self.standing.tab, self.error_code()) {
            (Tab::Rapportage, _) => Some(match &self.standing.moneybird_payment_id {
                Some(payment) => t!(
                    "retry-booked-as",
                    payment = payment,
                    invoice = self.invoice_label().unwrap_or("?")
                ),
                None => t!("retry-booked"),
            }),
            (Tab::Closed, _) => Some(t!(
                "retry-never-paid",
                status = crate::ccv::Status::words(&self.facts.ccv_status)
            )),
            _ if self.standing.booking == BookingState::Booking => Some(t!("resolve-settling")),
            // Its booking stands: only undoing it (`--undo-booking`) or `resolve` ends the row.
            (Tab::Fouten, Some(ErrorCode::ChangedAfterBooking)) => {
                Some(t!("retry-changed-after-booking", id = self.id))
            }
            (Tab::Fouten, Some(code)) if code.retry() == Retry::Never && !invoice => {
                Some(match code {
                    ErrorCode::BookedByHand => t!("retry-booked-by-hand", id = self.id),
                    _ => t!("retry-already-booked", id = self.id),
                })
            }
            _ => None,
        }
    }

    /// `resolve --note`: the bookkeeper settled it outside the tool, at `at` (RFC 3339).
    pub fn resolve(&self, note: &str, at: String) -> Result<Transition, NotAllowed> {
        let refused = |why: String| NotAllowed {
            message: t!(
                "resolve-refused",
                id = self.id,
                reference = &self.facts.reference,
                why = why
            ),
            hint: t!("see-info", id = self.id),
        };
        if let Some(resolution) = &self.standing.resolution {
            return Err(refused(t!("resolve-already", note = &resolution.note)));
        }
        // A booking that CCV reports undone since is exactly what `resolve` is for.
        let changed = self.error_code() == Some(ErrorCode::ChangedAfterBooking);
        if self.standing.booking != BookingState::None && !changed {
            return Err(refused(
                match (self.standing.booking, &self.standing.moneybird_payment_id) {
                    (BookingState::Booked, Some(payment)) => {
                        t!("resolve-booked-as", payment = payment)
                    }
                    (BookingState::Booked, None) => t!("resolve-booked"),
                    _ => t!("resolve-settling"),
                },
            ));
        }
        if self.standing.tab == Tab::Closed {
            return Err(refused(t!(
                "resolve-never-paid",
                status = crate::ccv::Status::words(&self.facts.ccv_status)
            )));
        }
        let note = note.trim();
        if note.is_empty() {
            return Err(NotAllowed {
                message: t!("resolve-empty-note"),
                hint: t!("resolve-empty-note-hint"),
            });
        }
        // The payment in Moneybird that stands for this one, where the tool saw it.
        let found = Evidence::of_row(self.standing.evidence_json.as_deref()).foreign_payment;
        let resolution = Resolution {
            note: note.to_string(),
            words: None,
            at,
            moneybird_payment_id: found.as_ref().map(|payment| payment.id.clone()),
            before: Some(Before {
                tab: self.standing.tab.as_str().to_string(),
                error_code: self.error_code().map(|code| code.as_str().to_string()),
                error_message: self.failure().map(|failure| failure.english()),
                error_words: self.failure().map(|failure| failure.words),
            }),
        };
        let outcome = match changed {
            // The booking stays what it was; the bookkeeper settled what happened after it.
            true => Outcome {
                booking: BookingState::Booked,
                payment_date: self.standing.payment_date.clone(),
                moneybird_payment_id: self.standing.moneybird_payment_id.clone(),
                booked: self.standing.booked,
                rounding: self.standing.rounding,
                ..Outcome::resolved(resolution, self.invoice())
            },
            false => Outcome::resolved(resolution, self.invoice()),
        };
        Ok(Transition {
            outcome,
            event: msg!("event-resolved", note = note),
            said: msg!("resolve-done", id = self.id),
        })
    }

    /// `resolve --undo`: back to where it stood before it was resolved.
    pub fn undo_resolution(&self) -> Result<Transition, NotAllowed> {
        let not_allowed = |message: String| NotAllowed {
            message,
            hint: t!("see-info", id = self.id),
        };
        let reference = &self.facts.reference;
        let Some(resolution) = &self.standing.resolution else {
            return Err(not_allowed(t!(
                "resolve-undo-nothing",
                id = self.id,
                reference = reference
            )));
        };
        if resolution
            .words
            .as_ref()
            .is_some_and(|words| UNDONE.contains(&words.id.as_str()))
        {
            return Err(not_allowed(t!(
                "resolve-undo-undone",
                id = self.id,
                reference = reference
            )));
        }
        let before = resolution.before.clone();
        let tab = before
            .as_ref()
            .and_then(|before| Tab::parse(&before.tab))
            .unwrap_or(Tab::Open);
        let error = before.and_then(|before| {
            Some(Failure {
                code: ErrorCode::parse(&before.error_code?)?,
                words: before.error_words.unwrap_or_else(|| {
                    Message::verbatim(before.error_message.as_deref().unwrap_or_default())
                }),
            })
        });
        let outcome = match error {
            // Its booking stood all along: back to where CCV's news left it.
            Some(Failure {
                code: ErrorCode::ChangedAfterBooking,
                words,
            }) => Outcome::changed_after_booking(self, words),
            error => Outcome {
                tab,
                error: error.filter(|_| tab == Tab::Fouten),
                invoice: self.invoice(),
                ..Outcome::open()
            },
        };
        Ok(Transition {
            outcome,
            event: msg!("event-resolution-undone", note = &resolution.note),
            said: msg!("resolve-undone", tab = crate::view::title(tab)),
        })
    }

    /// Why the booking of this payment may not be deleted (`retry --undo-booking`), given
    /// what CCV reported after it: only a booking whose money all went back.
    pub fn why_booking_stays(&self, changes: &[Change]) -> Option<String> {
        if self.error_code() != Some(ErrorCode::ChangedAfterBooking)
            || self.standing.booking != BookingState::Booked
            || self.standing.resolution.is_some()
        {
            return Some(t!("undo-not-changed"));
        }
        let taken: Vec<&Change> = changes
            .iter()
            .filter(|change| change.takes_money_back())
            .collect();
        let back: Cents = taken.iter().map(|change| change.amount).sum();
        let undone = taken.iter().any(|change| change.kind.undoes_the_payment());
        if !undone && back < self.facts.amount {
            // The rest of the payment was kept: deleting the whole booking would be wrong.
            return Some(t!(
                "undo-partial-refund",
                amount = back.display_in(&self.facts.currency),
                paid = self.facts.amount.display_in(&self.facts.currency)
            ));
        }
        None
    }

    /// Closed after its booking was deleted (or found gone): `words` say which.
    pub fn booking_undone(&self, words: Message, payment_id: String, at: String) -> Outcome {
        let resolution = Resolution {
            note: words.say_in(Lang::En),
            words: Some(words),
            at,
            moneybird_payment_id: Some(payment_id),
            before: None,
        };
        Outcome {
            tab: Tab::Closed,
            invoice: self.invoice(),
            resolution: Some(resolution),
            ..Outcome::open()
        }
    }
}
