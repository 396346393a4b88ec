//! The error codes of the Fouten tab (docs/contract.md, "Error codes in use"): their names, which
//! kind of retry may touch them, and the advice a person gets. Codes are never renamed.

use std::fmt;

/// Why a payment sits in Fouten.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    NoOpenPost,
    AmbiguousMatch,
    AmountExceedsOpen,
    CurrencyMismatch,
    InvoiceNotOpen,
    PeriodLocked,
    AlreadyBooked,
    MoneybirdRejected,
    PartialPayment,
    BookedByHand,
    Unreadable,
    LedgerAccountUnknown,
    ChangedAfterBooking,
    Drift,
}

/// Who may process a Fouten row again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// `recheck`, `retry --all-fouten` and `retry <id>`: a new look may clear it by itself.
    Automatic,
    /// Only a person naming the invoice (`retry <id> --invoice`): booking it by itself could
    /// pay the wrong invoice, or pay one twice.
    NamedInvoice,
    /// Only a person: Moneybird already holds something for this payment. `resolve`, or
    /// `retry <id> --invoice` when the person knows the other payment is another one.
    Never,
    /// Only a person asking for this payment (`retry <id>`), never a nightly recheck: what
    /// Moneybird holds was changed by someone, and booking again may undo their work.
    OnRequest,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 14] = [
        ErrorCode::NoOpenPost,
        ErrorCode::AmbiguousMatch,
        ErrorCode::AmountExceedsOpen,
        ErrorCode::CurrencyMismatch,
        ErrorCode::InvoiceNotOpen,
        ErrorCode::PeriodLocked,
        ErrorCode::AlreadyBooked,
        ErrorCode::MoneybirdRejected,
        ErrorCode::PartialPayment,
        ErrorCode::BookedByHand,
        ErrorCode::Unreadable,
        ErrorCode::LedgerAccountUnknown,
        ErrorCode::ChangedAfterBooking,
        ErrorCode::Drift,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NoOpenPost => "no_open_post",
            ErrorCode::AmbiguousMatch => "ambiguous_match",
            ErrorCode::AmountExceedsOpen => "amount_exceeds_open",
            ErrorCode::CurrencyMismatch => "currency_mismatch",
            ErrorCode::InvoiceNotOpen => "invoice_not_open",
            ErrorCode::PeriodLocked => "period_locked",
            ErrorCode::AlreadyBooked => "already_booked",
            ErrorCode::MoneybirdRejected => "moneybird_rejected",
            ErrorCode::PartialPayment => "partial_payment",
            ErrorCode::BookedByHand => "booked_by_hand",
            ErrorCode::Unreadable => "unreadable",
            ErrorCode::LedgerAccountUnknown => "ledger_account_unknown",
            ErrorCode::ChangedAfterBooking => "changed_after_booking",
            ErrorCode::Drift => "drift",
        }
    }

    pub fn parse(text: &str) -> Option<ErrorCode> {
        ErrorCode::ALL
            .into_iter()
            .find(|code| code.as_str() == text)
    }

    pub fn retry(self) -> Retry {
        match self {
            ErrorCode::AmbiguousMatch => Retry::NamedInvoice,
            ErrorCode::AlreadyBooked | ErrorCode::BookedByHand | ErrorCode::ChangedAfterBooking => {
                Retry::Never
            }
            ErrorCode::Drift => Retry::OnRequest,
            ErrorCode::NoOpenPost
            | ErrorCode::AmountExceedsOpen
            | ErrorCode::CurrencyMismatch
            | ErrorCode::InvoiceNotOpen
            | ErrorCode::PeriodLocked
            | ErrorCode::MoneybirdRejected
            | ErrorCode::PartialPayment
            | ErrorCode::Unreadable
            | ErrorCode::LedgerAccountUnknown => Retry::Automatic,
        }
    }

    /// The codes `recheck` and `retry --all-fouten` look at again.
    pub fn automatic() -> impl Iterator<Item = ErrorCode> {
        ErrorCode::ALL
            .into_iter()
            .filter(|code| code.retry() == Retry::Automatic)
    }

    /// What a person can do about it ("Meer info"). Every advice ends in a step that empties
    /// the row: a retry, a fix followed by a retry, or `resolve`; never a circle.
    pub fn advice(self, id: i64, reference: &str) -> String {
        self.advice_words(id, reference).say()
    }

    pub fn advice_words(self, id: i64, reference: &str) -> crate::i18n::Message {
        match self {
            ErrorCode::NoOpenPost => msg!("advice-no-open-post"),
            ErrorCode::AmbiguousMatch => msg!("advice-ambiguous-match"),
            ErrorCode::AmountExceedsOpen => msg!("advice-amount-exceeds-open"),
            ErrorCode::CurrencyMismatch => msg!("advice-currency-mismatch"),
            ErrorCode::InvoiceNotOpen => msg!("advice-invoice-not-open"),
            ErrorCode::PeriodLocked => msg!("advice-period-locked"),
            ErrorCode::AlreadyBooked => msg!("advice-already-booked"),
            ErrorCode::MoneybirdRejected => msg!("advice-moneybird-rejected"),
            ErrorCode::PartialPayment => msg!("advice-partial-payment"),
            ErrorCode::BookedByHand => msg!("advice-booked-by-hand"),
            ErrorCode::Unreadable => msg!("advice-unreadable"),
            ErrorCode::LedgerAccountUnknown => msg!("advice-ledger-account-unknown"),
            ErrorCode::ChangedAfterBooking => msg!("advice-changed-after-booking"),
            ErrorCode::Drift => msg!("advice-drift"),
        }
        .arg("id", id.to_string())
        .arg("reference", reference)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_never_change() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
        }
        assert_eq!(ErrorCode::AmbiguousMatch.as_str(), "ambiguous_match");
    }

    #[test]
    fn every_advice_ends_in_a_step_that_empties_the_row() {
        for lang in [crate::i18n::Lang::En, crate::i18n::Lang::Nl] {
            for code in ErrorCode::ALL {
                let advice = code.advice_words(7, "C1").say_in(lang);
                assert!(
                    advice.contains("retry 7") || advice.contains("resolve 7"),
                    "{code}: {advice}"
                );
                // Advice that sends a person to another tool's screen must come back here.
                if advice.contains("by hand") || advice.contains("met de hand") {
                    assert!(advice.contains("resolve 7"), "{code}: {advice}");
                }
                // Booking by hand is only traced back when the reference is typed in.
                if advice.contains("transaction-id field") || advice.contains("veld transactie-ID")
                {
                    assert!(advice.contains("C1"), "{code}: {advice}");
                }
            }
        }
    }

    #[test]
    fn ambiguity_and_foreign_bookings_are_never_retried_automatically() {
        let automatic: Vec<ErrorCode> = ErrorCode::automatic().collect();
        for code in [
            ErrorCode::AmbiguousMatch,
            ErrorCode::AlreadyBooked,
            ErrorCode::BookedByHand,
            ErrorCode::ChangedAfterBooking,
            ErrorCode::Drift,
        ] {
            assert!(!automatic.contains(&code), "{code}");
        }
    }
}
