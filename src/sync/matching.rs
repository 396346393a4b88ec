//! Matching a CCV payment to one open post, and the checks before booking it. Pure code:
//! no I/O, so every rule is tested with plain tables of cases.

use std::collections::HashMap;

use chrono::NaiveDate;
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
}

impl Rule {
    pub fn describe(self) -> &'static str {
        match self {
            Rule::InvoiceNumber => "invoice number",
            Rule::InvoiceReference => "invoice reference",
            Rule::PaymentReference => "payment reference",
        }
    }
}

/// What matching needs to know of a payment.
#[derive(Clone, Debug)]
pub struct PaymentFacts<'a> {
    pub reference: &'a str,
    pub amount: Cents,
    pub currency: &'a str,
    pub merchant_order_reference: Option<&'a str>,
    pub description: Option<&'a str>,
}

/// Lookup tables from normalised identifiers to open posts, built once per run.
pub struct PostIndex<'a> {
    posts: Vec<&'a Invoice>,
    by_rule: [HashMap<String, Vec<usize>>; 3],
    by_identifier: HashMap<&'a str, (usize, &'a InvoicePayment)>,
}

impl<'a> PostIndex<'a> {
    pub fn new(posts: impl IntoIterator<Item = &'a Invoice>) -> PostIndex<'a> {
        let mut index = PostIndex {
            posts: Vec::new(),
            by_rule: Default::default(),
            by_identifier: HashMap::new(),
        };
        for post in posts {
            index.add(post);
        }
        index
    }

    fn add(&mut self, post: &'a Invoice) {
        let at = self.posts.len();
        self.posts.push(post);
        let mut put = |rule: Rule, key: Option<&String>| {
            if let Some(key) = key.map(|key| normalise(key)).filter(|key| !key.is_empty()) {
                let slot = self.by_rule[rule as usize].entry(key).or_default();
                if !slot.contains(&at) {
                    slot.push(at);
                }
            }
        };
        put(Rule::InvoiceNumber, post.number.as_ref());
        put(Rule::InvoiceReference, post.reference.as_ref());
        put(Rule::PaymentReference, post.payment_reference.as_ref());
        put(
            Rule::PaymentReference,
            post.short_payment_reference.as_ref(),
        );
        for payment in &post.payments {
            if let Some(identifier) = payment.transaction_identifier.as_deref() {
                self.by_identifier.insert(identifier, (at, payment));
            }
        }
    }

    /// The invoice and payment in Moneybird that already carry this transaction identifier.
    pub fn booked_with(&self, identifier: &str) -> Option<(&'a Invoice, &'a InvoicePayment)> {
        self.by_identifier
            .get(identifier)
            .map(|&(at, payment)| (self.posts[at], payment))
    }

    pub fn find(&self, payment: &PaymentFacts<'_>) -> Found<'a> {
        let tokens = tokens(payment);
        for rule in [
            Rule::InvoiceNumber,
            Rule::InvoiceReference,
            Rule::PaymentReference,
        ] {
            let mut hits: Vec<usize> = Vec::new();
            let mut matched_text = Vec::new();
            for token in &tokens {
                if let Some(found) = self.by_rule[rule as usize].get(token) {
                    matched_text.push(token.clone());
                    for &at in found {
                        if !hits.contains(&at) {
                            hits.push(at);
                        }
                    }
                }
            }
            match hits.len() {
                0 => continue,
                1 => {
                    return Found::One {
                        post: self.posts[hits[0]],
                        rule,
                        matched: matched_text.join(", "),
                    };
                }
                _ => {
                    return Found::Several {
                        posts: hits.into_iter().map(|at| self.posts[at]).collect(),
                        rule,
                        matched: matched_text.join(", "),
                    };
                }
            }
        }
        Found::None
    }
}

pub enum Found<'a> {
    One {
        post: &'a Invoice,
        rule: Rule,
        matched: String,
    },
    Several {
        posts: Vec<&'a Invoice>,
        rule: Rule,
        matched: String,
    },
    None,
}

/// Identifiers compare without regard to case or surrounding space.
fn normalise(text: &str) -> String {
    text.trim().to_uppercase()
}

/// The words a payment's references and description are searched by: each whole field,
/// and each word in it. Invoice numbers keep their inner `-`, `/` and `.`.
fn tokens(payment: &PaymentFacts<'_>) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    for field in [payment.merchant_order_reference, payment.description]
        .into_iter()
        .flatten()
    {
        let whole = normalise(field);
        if !whole.is_empty() && !tokens.contains(&whole) {
            tokens.push(whole);
        }
        let words = field.split(|c: char| c.is_whitespace() || ",;:()[]{}#\"'".contains(c));
        for word in words {
            let word = normalise(word.trim_end_matches(['.', '!', '?']));
            if !word.is_empty() && !tokens.contains(&word) {
                tokens.push(word);
            }
        }
    }
    tokens
}

/// Why a payment is not booked on its candidate. The codes are the contract's and are
/// never renamed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    pub message: String,
}

impl Refusal {
    fn new(code: &'static str, message: String) -> Refusal {
        Refusal { code, message }
    }
}

/// The policy half of the config that the checks need.
#[derive(Clone, Debug)]
pub struct Policy {
    pub allow_partial: bool,
    pub rounding_tolerance: Cents,
    pub period_locked_until: Option<NaiveDate>,
}

/// The checks between "this is the invoice" and "book it" (architecture.md step 3).
pub fn check(
    payment: &PaymentFacts<'_>,
    post: &Invoice,
    booking_date: NaiveDate,
    policy: &Policy,
) -> Result<(), Refusal> {
    let label = post.label();
    if !post.is_open() {
        return Err(Refusal::new(
            "invoice_not_open",
            format!("invoice {label} is {} and takes no payment", post.state),
        ));
    }
    if !payment.currency.eq_ignore_ascii_case(&post.currency) {
        return Err(Refusal::new(
            "currency_mismatch",
            format!(
                "the payment is in {} but invoice {label} is in {}",
                payment.currency, post.currency
            ),
        ));
    }
    let ceiling = post
        .total_unpaid
        .checked_add(policy.rounding_tolerance)
        .unwrap_or(post.total_unpaid);
    if payment.amount > ceiling {
        return Err(Refusal::new(
            "amount_exceeds_open",
            format!(
                "the payment of {} is more than the {} still open on invoice {label}",
                payment.amount.to_euro_display(),
                post.total_unpaid.to_euro_display()
            ),
        ));
    }
    if payment.amount < post.total_unpaid && !policy.allow_partial {
        return Err(Refusal::new(
            "partial_payment",
            format!(
                "the payment of {} is less than the {} open on invoice {label}, and partial payments are off (booking.allow_partial)",
                payment.amount.to_euro_display(),
                post.total_unpaid.to_euro_display()
            ),
        ));
    }
    if let Some(locked) = policy.period_locked_until
        && booking_date <= locked
    {
        return Err(Refusal::new(
            "period_locked",
            format!("the booking date {booking_date} lies in the period locked until {locked}"),
        ));
    }
    Ok(())
}

/// Whether a payment Moneybird already holds with our transaction identifier is the one
/// this tool would have made: then a lost or restored state file is being rebuilt, and the
/// payment counts as booked. Otherwise someone else booked it.
pub fn is_our_booking(
    existing: &InvoicePayment,
    amount: Cents,
    booking_date: NaiveDate,
    ledger_account: Option<&str>,
) -> bool {
    let same_ledger = match ledger_account {
        Some(ledger) => existing.ledger_account_id.as_deref() == Some(ledger),
        None => true,
    };
    existing.price == amount
        && existing.payment_date.as_deref() == Some(booking_date.to_string().as_str())
        && same_ledger
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
}

impl CandidateEvidence {
    pub fn of(post: &Invoice) -> CandidateEvidence {
        CandidateEvidence {
            kind: post.kind,
            id: post.id.clone(),
            label: post.label(),
            state: post.state.clone(),
            open_amount: post.total_unpaid.to_decimal_string(),
            currency: post.currency.clone(),
        }
    }
}

/// What matching found, kept with the payment for `info`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Evidence {
    pub rule: Option<Rule>,
    pub matched_text: Option<String>,
    pub candidates: Vec<CandidateEvidence>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invoice(
        kind: InvoiceKind,
        id: &str,
        number: Option<&str>,
        reference: Option<&str>,
        unpaid: i64,
    ) -> Invoice {
        Invoice {
            kind,
            id: id.into(),
            number: number.map(Into::into),
            reference: reference.map(Into::into),
            payment_reference: Some(format!("RF00{id}")),
            short_payment_reference: None,
            state: "open".into(),
            currency: "EUR".into(),
            total_unpaid: Cents(unpaid),
            version: 1,
            payments: Vec::new(),
        }
    }

    fn facts<'a>(
        order: Option<&'a str>,
        description: Option<&'a str>,
        amount: i64,
    ) -> PaymentFacts<'a> {
        PaymentFacts {
            reference: "C1",
            amount: Cents(amount),
            currency: "EUR",
            merchant_order_reference: order,
            description,
        }
    }

    fn found_id(found: Found<'_>) -> Result<String, usize> {
        match found {
            Found::One { post, .. } => Ok(post.id.clone()),
            Found::Several { posts, .. } => Err(posts.len()),
            Found::None => Err(0),
        }
    }

    #[test]
    fn rules_in_order() {
        let posts = [
            invoice(
                InvoiceKind::SalesInvoice,
                "1",
                Some("2025-0042"),
                Some("ORDER-7"),
                12100,
            ),
            invoice(
                InvoiceKind::SalesInvoice,
                "2",
                Some("2025-0043"),
                Some("2025-0042"),
                5000,
            ),
            invoice(
                InvoiceKind::ExternalSalesInvoice,
                "3",
                None,
                Some("WEB-2026-1187"),
                2500,
            ),
            invoice(
                InvoiceKind::SalesInvoice,
                "4",
                Some("2025-0050"),
                Some("SHARED"),
                100,
            ),
            invoice(
                InvoiceKind::SalesInvoice,
                "5",
                Some("2025-0051"),
                Some("shared"),
                100,
            ),
        ];
        let index = PostIndex::new(&posts);
        // (order reference, description, expected invoice id or number of candidates)
        type Case<'a> = (Option<&'a str>, Option<&'a str>, Result<&'a str, usize>);
        let cases: &[Case] = &[
            // The invoice number beats another invoice's equal reference.
            (None, Some("Factuur 2025-0042"), Ok("1")),
            (Some("2025-0042"), None, Ok("1")),
            (Some("order-7"), Some("Bestelling"), Ok("1")),
            (Some("WEB-2026-1187"), None, Ok("3")),
            (None, Some("Betaling RF003."), Ok("3")),
            (Some("SHARED"), None, Err(2)),
            (None, Some("Facturen 2025-0042 en 2025-0043"), Err(2)),
            (None, Some("Order 20250042"), Err(0)),
            (None, None, Err(0)),
        ];
        for (order, description, expected) in cases {
            let got = found_id(index.find(&facts(*order, *description, 100)));
            assert_eq!(
                got,
                expected.map(str::to_string),
                "{order:?} {description:?}"
            );
        }
    }

    #[test]
    fn checks_before_booking() {
        let policy = Policy {
            allow_partial: true,
            rounding_tolerance: Cents(1),
            period_locked_until: NaiveDate::from_ymd_opt(2025, 3, 31),
        };
        let post = invoice(
            InvoiceKind::SalesInvoice,
            "1",
            Some("2025-0042"),
            None,
            12100,
        );
        let day = NaiveDate::from_ymd_opt(2025, 4, 1).unwrap();
        let code = |amount: i64, currency: &str, date: NaiveDate, policy: &Policy| {
            let mut payment = facts(None, None, amount);
            payment.currency = currency;
            check(&payment, &post, date, policy)
                .err()
                .map(|refusal| refusal.code)
        };
        assert_eq!(code(12100, "EUR", day, &policy), None);
        assert_eq!(
            code(12101, "EUR", day, &policy),
            None,
            "within the tolerance"
        );
        assert_eq!(
            code(12102, "EUR", day, &policy),
            Some("amount_exceeds_open")
        );
        assert_eq!(code(100, "EUR", day, &policy), None, "partial");
        assert_eq!(code(12100, "GBP", day, &policy), Some("currency_mismatch"));
        let locked_day = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
        assert_eq!(
            code(12100, "EUR", locked_day, &policy),
            Some("period_locked")
        );
        let strict = Policy {
            allow_partial: false,
            ..policy.clone()
        };
        assert_eq!(code(100, "EUR", day, &strict), Some("partial_payment"));
        let mut paid = post.clone();
        paid.state = "paid".into();
        let payment = facts(None, None, 100);
        assert_eq!(
            check(&payment, &paid, day, &policy).unwrap_err().code,
            "invoice_not_open"
        );
    }
}
