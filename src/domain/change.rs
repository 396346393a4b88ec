//! What happened to a payment after it was paid: refunds, chargebacks and reversals, each a
//! CCV transaction of its own that names the payment in `originalReference`.

use crate::money::Cents;

/// The kinds of change, read tolerantly: CCV's spelling of the acquirer's types is not
/// documented (docs/ccv-api.md §4), so case and separators do not matter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// Money sent back to the customer by the merchant (also CCV's `AUTO_REFUND`).
    Refund,
    /// The customer's bank took the money back.
    Chargeback,
    /// A direct debit or transfer reversed.
    Reversal,
    /// A chargeback undone: the money came back to the merchant.
    ChargebackReversal,
}

impl ChangeKind {
    pub fn of(ccv_type: &str) -> Option<ChangeKind> {
        let plain: String = ccv_type
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        match plain.as_str() {
            "refund" | "autorefund" => Some(ChangeKind::Refund),
            "chargeback" => Some(ChangeKind::Chargeback),
            "reversal" => Some(ChangeKind::Reversal),
            "chargebackreversal" => Some(ChangeKind::ChargebackReversal),
            _ => None,
        }
    }

    /// As a person calls it, in the reader's language.
    pub fn name(self) -> crate::i18n::Message {
        match self {
            ChangeKind::Refund => msg!("change-refund"),
            ChangeKind::Chargeback => msg!("change-chargeback"),
            ChangeKind::Reversal => msg!("change-reversal"),
            ChangeKind::ChargebackReversal => msg!("change-chargeback-reversal"),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Refund => "refund",
            ChangeKind::Chargeback => "chargeback",
            ChangeKind::Reversal => "reversal",
            ChangeKind::ChargebackReversal => "chargeback_reversal",
        }
    }

    /// Whether, in this status, it took money back from the merchant. A refund does once it
    /// succeeded; the bank's chargebacks and reversals are facts from the moment they are
    /// reported, unless they failed.
    pub fn takes_money_back(self, status: &str) -> bool {
        match self {
            ChangeKind::Refund => status == "success",
            ChangeKind::Chargeback | ChangeKind::Reversal => status != "failed",
            ChangeKind::ChargebackReversal => false,
        }
    }

    /// Whether the money went back against the customer's will: the payment is undone, and
    /// the invoice is open again once the booking is deleted. A refund is the merchant's
    /// own act and wants a credit invoice instead.
    pub fn undoes_the_payment(self) -> bool {
        matches!(self, ChangeKind::Chargeback | ChangeKind::Reversal)
    }
}

/// One change as CCV reported it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub id: i64,
    pub reference: String,
    pub payment_id: i64,
    pub kind: ChangeKind,
    pub status: String,
    pub amount: Cents,
    pub currency: String,
    pub created_ms: i64,
    pub raised: bool,
    /// The payout it was taken off, once CCV says.
    pub payout_reference: Option<String>,
}

impl Change {
    pub fn takes_money_back(&self) -> bool {
        self.kind.takes_money_back(&self.status)
    }
}
