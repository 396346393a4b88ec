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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CcvFacts, ChangeKind, InvoiceRef};
    use crate::moneybird::InvoiceKind;

    fn payment(standing: Outcome) -> Payment {
        Payment {
            id: 7,
            facts: CcvFacts {
                reference: "C7".into(),
                child_reference: None,
                ccv_type: "sale".into(),
                ccv_status: "success".into(),
                failure_code: None,
                method: Some("ideal".into()),
                amount: Cents(1000),
                amount_as_sent: None,
                currency: "EUR".into(),
                created_ms: 0,
                paid_ms: Some(0),
                description: None,
                merchant_order_reference: None,
            },
            standing,
            shop: None,
            payout_reference: None,
        }
    }

    fn invoice() -> InvoiceRef {
        InvoiceRef {
            kind: InvoiceKind::SalesInvoice,
            id: "1".into(),
            label: "2026-0001".into(),
        }
    }

    fn refused(code: ErrorCode) -> Outcome {
        Outcome::refused(code, Message::verbatim("why"), Some(invoice()))
    }

    fn booked() -> Outcome {
        Outcome::booked(invoice(), "2026-11-25".into(), "MB1".into())
    }

    fn changed() -> Outcome {
        Outcome::changed_after_booking(&payment(booked()), Message::verbatim("refunded"))
    }

    fn resolved() -> Outcome {
        payment(refused(ErrorCode::NoOpenPost))
            .resolve("booked by hand", "2026-11-26T10:00:00Z".into())
            .unwrap()
            .outcome
    }

    fn change(kind: ChangeKind, status: &str, cents: i64) -> Change {
        Change {
            id: 1,
            reference: "R1".into(),
            payment_id: 7,
            kind,
            status: status.into(),
            amount: Cents(cents),
            currency: "EUR".into(),
            created_ms: 0,
            raised: true,
            payout_reference: None,
        }
    }

    #[test]
    fn when_a_retry_can_help() {
        let closed = Outcome {
            tab: Tab::Closed,
            ..Outcome::open()
        };
        let booking = Outcome {
            booking: BookingState::Booking,
            ..refused(ErrorCode::NoOpenPost)
        };
        // (what it is, where it stands, whether an invoice is named, whether a retry helps)
        let cases = [
            ("waiting in Open", Outcome::open(), false, true),
            ("no open post", refused(ErrorCode::NoOpenPost), false, true),
            (
                "ambiguous, named",
                refused(ErrorCode::AmbiguousMatch),
                true,
                true,
            ),
            (
                "already booked, named",
                refused(ErrorCode::AlreadyBooked),
                true,
                true,
            ),
            (
                "already booked",
                refused(ErrorCode::AlreadyBooked),
                false,
                false,
            ),
            (
                "booked by hand",
                refused(ErrorCode::BookedByHand),
                false,
                false,
            ),
            ("changed after booking", changed(), false, false),
            ("changed after booking, named", changed(), true, false),
            ("booked by this tool", booked(), false, false),
            ("never paid", closed, false, false),
            ("a booking under way", booking, false, false),
            ("resolved", resolved(), true, false),
        ];
        for (name, standing, named, helps) in cases {
            let why = payment(standing).why_retry_cannot_help(named);
            assert_eq!(why.is_none(), helps, "{name}: {why:?}");
        }
    }

    #[test]
    fn what_resolve_takes_and_where_it_leaves_the_payment() {
        let at = "2026-11-26T10:00:00Z".to_string();
        let from_fouten = payment(refused(ErrorCode::NoOpenPost))
            .resolve("  booked by hand  ", at.clone())
            .unwrap();
        assert_eq!(from_fouten.outcome.tab, Tab::Rapportage);
        assert_eq!(from_fouten.outcome.booking, BookingState::None);
        let resolution = from_fouten.outcome.resolution.unwrap();
        assert_eq!(resolution.note, "booked by hand");
        assert_eq!(
            resolution
                .before
                .map(|before| (before.tab, before.error_code)),
            Some(("fouten".into(), Some("no_open_post".into())))
        );
        // Money taken back after booking: the booking stands, the row leaves Fouten.
        let after_change = payment(changed())
            .resolve("refund booked", at.clone())
            .unwrap();
        assert_eq!(after_change.outcome.tab, Tab::Rapportage);
        assert_eq!(after_change.outcome.booking, BookingState::Booked);
        assert_eq!(
            after_change.outcome.moneybird_payment_id.as_deref(),
            Some("MB1")
        );
        let refusals = [
            ("booked by this tool", booked(), "note"),
            ("already resolved", resolved(), "note"),
            ("empty note", refused(ErrorCode::NoOpenPost), "   "),
            (
                "never paid",
                Outcome {
                    tab: Tab::Closed,
                    ..Outcome::open()
                },
                "note",
            ),
        ];
        for (name, standing, note) in refusals {
            assert!(
                payment(standing).resolve(note, at.clone()).is_err(),
                "{name}"
            );
        }
    }

    #[test]
    fn resolve_undo_puts_it_back_where_it_was() {
        let at = "2026-11-26T10:00:00Z".to_string();
        let mut row = payment(refused(ErrorCode::BookedByHand));
        row.standing = row.resolve("note", at.clone()).unwrap().outcome;
        let back = row.undo_resolution().unwrap().outcome;
        assert_eq!(back.tab, Tab::Fouten);
        assert_eq!(
            back.error.map(|error| error.code),
            Some(ErrorCode::BookedByHand)
        );
        assert_eq!(back.invoice, Some(invoice()));

        let mut row = payment(changed());
        row.standing = row.resolve("note", at).unwrap().outcome;
        let back = row.undo_resolution().unwrap().outcome;
        assert_eq!(
            (back.tab, back.booking, back.moneybird_payment_id.as_deref()),
            (Tab::Fouten, BookingState::Booked, Some("MB1"))
        );

        assert!(
            payment(refused(ErrorCode::NoOpenPost))
                .undo_resolution()
                .is_err()
        );
        let mut undone = payment(changed());
        undone.standing = undone.booking_undone(
            msg!(
                "resolution-booking-undone",
                payment = "MB1",
                invoice = "2026-0001"
            ),
            "MB1".into(),
            "2026-11-27T10:00:00Z".into(),
        );
        assert_eq!(undone.standing.tab, Tab::Closed);
        assert!(
            undone.undo_resolution().is_err(),
            "an undone booking stays undone"
        );
    }

    #[test]
    fn a_booking_is_deleted_only_when_all_its_money_went_back() {
        let row = payment(changed());
        let cases = [
            (
                "a chargeback",
                vec![change(ChangeKind::Chargeback, "success", 1000)],
                true,
            ),
            (
                "a reversal, even in part",
                vec![change(ChangeKind::Reversal, "pending", 400)],
                true,
            ),
            (
                "a full refund",
                vec![change(ChangeKind::Refund, "success", 1000)],
                true,
            ),
            (
                "two refunds making the whole",
                vec![
                    change(ChangeKind::Refund, "success", 600),
                    change(ChangeKind::Refund, "success", 400),
                ],
                true,
            ),
            (
                "part refunded",
                vec![change(ChangeKind::Refund, "success", 400)],
                false,
            ),
            (
                "a refund still pending",
                vec![change(ChangeKind::Refund, "pending", 1000)],
                false,
            ),
        ];
        for (name, changes, deletable) in cases {
            let why = row.why_booking_stays(&changes);
            assert_eq!(why.is_none(), deletable, "{name}: {why:?}");
        }
        let full = [change(ChangeKind::Chargeback, "success", 1000)];
        assert!(
            payment(booked()).why_booking_stays(&full).is_some(),
            "nothing changed"
        );
        assert!(
            payment(resolved()).why_booking_stays(&full).is_some(),
            "resolved"
        );
    }
}
