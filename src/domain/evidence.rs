//! What matching found, kept with a payment: the rule, the candidates, a payment someone
//! else made that stands for it. `info` shows it; later looks and `resolve` read it.

use serde::{Deserialize, Serialize};

use crate::money::Cents;
use crate::moneybird::{Invoice, InvoiceKind, InvoicePayment};

/// The rules, strongest first. The first rule that finds anything decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A sales invoice's number appears in the order reference or description.
    InvoiceNumber,
    /// An invoice's `reference` (or an external invoice's number) appears there.
    InvoiceReference,
    /// The structured payment reference printed on the invoice appears there.
    PaymentReference,
    /// A person named the invoice (`retry --invoice`); no rule was asked.
    NamedByPerson,
    /// Moneybird already holds a payment with the CCV reference as its transaction id.
    TransactionIdentifier,
}

impl Rule {
    pub fn describe(self) -> crate::i18n::Message {
        match self {
            Rule::InvoiceNumber => msg!("rule-invoice-number"),
            Rule::InvoiceReference => msg!("rule-invoice-reference"),
            Rule::PaymentReference => msg!("rule-payment-reference"),
            Rule::NamedByPerson => msg!("rule-named-by-person"),
            Rule::TransactionIdentifier => msg!("rule-transaction-identifier"),
        }
    }
}

/// One open post in `info`'s list of candidates.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CandidateEvidence {
    pub kind: InvoiceKind,
    pub id: String,
    pub label: String,
    pub state: String,
    pub open_amount: String,
    pub currency: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

impl CandidateEvidence {
    pub fn is_open(&self) -> bool {
        self.kind.open_states().contains(&self.state.as_str())
    }

    pub fn of(post: &Invoice) -> CandidateEvidence {
        CandidateEvidence {
            kind: post.kind,
            id: post.id.clone(),
            label: post.label(),
            state: post.state.clone(),
            open_amount: post.total_unpaid.to_decimal_string(),
            currency: post.currency.clone(),
            customer: post.customer.as_deref().map(str::to_string),
            date: post.date.map(|day| day.to_string()),
        }
    }
}

/// A payment found in Moneybird that this tool did not make but that stands for this one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignPayment {
    pub id: String,
    pub invoice: String,
    pub price: Option<String>,
    pub date: Option<String>,
}

impl ForeignPayment {
    pub fn of(post: &Invoice, payment: &InvoicePayment) -> ForeignPayment {
        ForeignPayment {
            id: payment.id.clone(),
            invoice: post.label(),
            price: payment.price.map(Cents::to_decimal_string),
            date: payment.payment_date.clone(),
        }
    }
}

/// What matching found, kept with the payment for `info`. The candidates of earlier looks
/// are kept too: a hand booking on one that has left the open posts since must still be
/// seen.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Evidence {
    pub rule: Option<Rule>,
    pub matched_text: Option<String>,
    pub candidates: Vec<CandidateEvidence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foreign_payment: Option<ForeignPayment>,
    /// Several open posts once fitted: from then on only a person names the invoice, even
    /// when one candidate is left.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ambiguous: bool,
}

impl Evidence {
    pub fn of_row(evidence_json: Option<&str>) -> Evidence {
        evidence_json
            .and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or_default()
    }

    /// Adds what an earlier look found that this one does not: its candidates, and that
    /// they were several.
    pub fn keeping(mut self, earlier: &Evidence) -> Evidence {
        self.ambiguous |= earlier.ambiguous;
        for candidate in &earlier.candidates {
            let known = self
                .candidates
                .iter()
                .any(|present| present.kind == candidate.kind && present.id == candidate.id);
            if !known {
                self.candidates.push(candidate.clone());
            }
        }
        self
    }
}
