//! The error codes of the Fouten tab (contract.md, "Error codes in use"): their names, which
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
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 12] = [
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
            ErrorCode::AlreadyBooked | ErrorCode::BookedByHand => Retry::Never,
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
        let resolve = format!("`ccv-moneybird resolve {id} --note \"…\"`");
        let retry = format!("`ccv-moneybird retry {id}`");
        let by_hand = format!(
            "book it by hand in Moneybird, typing {reference} in the transaction-id field, then run {resolve}"
        );
        match self {
            ErrorCode::NoOpenPost => format!(
                "Make sure the invoice exists in Moneybird and is sent (not a draft), and that the CCV order reference or description names its number or reference; then run {retry}. \
                 To book it on an invoice of your choice: `ccv-moneybird retry {id} --invoice NUMBER`. Not for an invoice at all? Run {resolve}."
            ),
            ErrorCode::AmbiguousMatch => format!(
                "Several open invoices fit, so nothing is booked until you choose: `ccv-moneybird retry {id} --invoice NUMBER` (at a terminal, {retry} lets you pick). \
                 Booked it by hand already? Run {resolve}."
            ),
            ErrorCode::AmountExceedsOpen => format!(
                "The customer paid more than is open. Correct the invoice in Moneybird and run {retry}; or {by_hand}. \
                 A small difference can be allowed with booking.rounding_tolerance."
            ),
            ErrorCode::CurrencyMismatch => format!(
                "The payment and the invoice are in different currencies. Correct the invoice's currency and run {retry}; or {by_hand}."
            ),
            ErrorCode::InvoiceNotOpen => format!(
                "The invoice is paid, a draft, or uncollectible. Sent or reopened it in Moneybird? Run {retry}. \
                 The customer paid twice? Refund one payment in CCV, then run {resolve}."
            ),
            ErrorCode::PeriodLocked => format!(
                "The payment date lies in a period closed in Moneybird. Reopen the period and run {retry}; or {by_hand}."
            ),
            ErrorCode::AlreadyBooked => format!(
                "Moneybird already holds a payment with this transaction id for another amount, not made by this tool. If it is right, run {resolve}. \
                 If it is wrong, delete it in Moneybird and run `ccv-moneybird retry {id} --invoice NUMBER`."
            ),
            ErrorCode::MoneybirdRejected => format!(
                "Moneybird refused the booking; its message says why. Fix the cause in Moneybird (e.g. the tussenrekening of this method) and run {retry}; or {by_hand}."
            ),
            ErrorCode::PartialPayment => format!(
                "The payment is less than the open amount, and partial payments are off (booking.allow_partial). Allow them and run {retry}; or {by_hand}."
            ),
            ErrorCode::BookedByHand => format!(
                "A candidate invoice was paid by hand with this amount after this payment came in, so nothing was booked. If that is this payment, run {resolve}. \
                 If it is another payment, book this one by hand on its own invoice (typing {reference} in the transaction-id field) and run {resolve}. \
                 If the customer paid twice, refund one payment in CCV and run {resolve}."
            ),
            ErrorCode::Unreadable => format!(
                "CCV sent this transaction in a form that cannot be read (see the raw data in `ccv-moneybird report {id}`). Ask CCV support to correct it and run {retry}; or {by_hand}."
            ),
            ErrorCode::LedgerAccountUnknown => format!(
                "Map this payment method to an existing, active ledger account, e.g. `ccv-moneybird connect moneybird --ledger-account METHOD=ID` (or METHOD=new, or METHOD=none), then run {retry} or `ccv-moneybird retry --all-fouten`."
            ),
        }
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
        for code in ErrorCode::ALL {
            let advice = code.advice(7, "C1");
            assert!(
                advice.contains("retry 7") || advice.contains("resolve 7"),
                "{code}: {advice}"
            );
            // Advice that sends a person to another tool's screen must come back here.
            if advice.contains("by hand") {
                assert!(advice.contains("resolve 7"), "{code}: {advice}");
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
        ] {
            assert!(!automatic.contains(&code), "{code}");
        }
    }
}
