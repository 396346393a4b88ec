//! Matching a CCV payment to one open post, and the checks before booking it. Pure code:
//! no I/O, so every rule is tested with plain tables of cases.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::codes::ErrorCode;
pub use crate::domain::{CandidateEvidence, Evidence, ForeignPayment, Rule};
use crate::money::Cents;
use crate::moneybird::{Invoice, InvoiceKind, InvoicePayment};

fn post_at(postings: &mut PostingsByKey, key: String, at: usize) {
    match postings.get_mut(key.as_str()) {
        Some(found) => found.add(at),
        None => {
            postings.insert(key.into_boxed_str(), Postings::One(at));
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

/// The open posts one normalised identifier names: nearly always one, so that one is kept
/// without an allocation of its own (a scale run indexes 100,000 posts four ways).
#[derive(Debug)]
enum Postings {
    One(usize),
    Several(Vec<usize>),
}

impl Postings {
    fn add(&mut self, at: usize) {
        match self {
            Postings::One(first) if *first != at => *self = Postings::Several(vec![*first, at]),
            Postings::One(_) => {}
            Postings::Several(all) if !all.contains(&at) => all.push(at),
            Postings::Several(_) => {}
        }
    }

    fn as_slice(&self) -> &[usize] {
        match self {
            Postings::One(at) => std::slice::from_ref(at),
            Postings::Several(all) => all,
        }
    }
}

type PostingsByKey = HashMap<Box<str>, Postings>;

/// Lookup tables from normalised identifiers to open posts, built once per run.
pub struct PostIndex<'a> {
    posts: Vec<&'a Invoice>,
    by_rule: [PostingsByKey; 3],
    by_identifier: HashMap<&'a str, (usize, &'a InvoicePayment)>,
    by_id: HashMap<(InvoiceKind, &'a str), usize>,
    by_label: PostingsByKey,
}

impl<'a> PostIndex<'a> {
    pub fn new(posts: impl IntoIterator<Item = &'a Invoice>) -> PostIndex<'a> {
        let posts = posts.into_iter();
        // Sized once: growing a table of 100,000 keys doubles it in passing.
        let size = posts.size_hint().0;
        let mut index = PostIndex {
            posts: Vec::with_capacity(size),
            by_rule: std::array::from_fn(|_| HashMap::with_capacity(size)),
            by_identifier: HashMap::new(),
            by_id: HashMap::with_capacity(size),
            by_label: HashMap::with_capacity(size),
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
                post_at(&mut self.by_rule[rule as usize], key, at);
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
                // The booking itself, not the rounding payment beside it, stands for it.
                let taken = self
                    .by_identifier
                    .get(identifier)
                    .is_some_and(|(_, known)| !known.is_rounding());
                if !taken {
                    self.by_identifier.insert(identifier, (at, payment));
                }
            }
        }
        self.by_id.insert((post.kind, post.id.as_str()), at);
        post_at(&mut self.by_label, normalise(&post.label()), at);
    }

    /// The invoice with this Moneybird id, if it is here.
    pub fn by_id(&self, kind: InvoiceKind, id: &str) -> Option<&'a Invoice> {
        self.by_id.get(&(kind, id)).map(|&at| self.posts[at])
    }

    /// The invoices a person calls by this number (or external reference).
    pub fn by_label(&self, label: &str) -> Vec<&'a Invoice> {
        self.by_label
            .get(normalise(label).as_str())
            .map(|found| found.as_slice().iter().map(|&at| self.posts[at]).collect())
            .unwrap_or_default()
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
                if let Some(found) = self.by_rule[rule as usize].get(token.as_str()) {
                    matched_text.push(token.clone());
                    for &at in found.as_slice() {
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

/// An invoice's state as Moneybird names it, in the reader's language.
pub fn invoice_state(state: &str) -> crate::i18n::Message {
    match state {
        "draft" => msg!("invoice-state-draft"),
        "open" => msg!("invoice-state-open"),
        "scheduled" => msg!("invoice-state-scheduled"),
        "pending_payment" => msg!("invoice-state-pending-payment"),
        "late" => msg!("invoice-state-late"),
        "reminded" => msg!("invoice-state-reminded"),
        "paid" => msg!("invoice-state-paid"),
        "uncollectible" => msg!("invoice-state-uncollectible"),
        "new" => msg!("invoice-state-new"),
        other => crate::i18n::Message::verbatim(other),
    }
}

/// Why a payment is not booked on its candidate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub code: ErrorCode,
    pub message: crate::i18n::Message,
}

impl Refusal {
    fn new(code: ErrorCode, message: crate::i18n::Message) -> Refusal {
        Refusal { code, message }
    }
}

/// What is posted for a payment that passed the checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The booking's price: the CCV amount, or the open amount when the payment is above it
    /// within the tolerance (the difference stays on the tussenrekening).
    pub price: Cents,
    /// A `rounding_error` payment closing what is left open when the payment is below the
    /// open amount within the tolerance; zero when none is due.
    pub rounding: Cents,
}

/// The policy half of the config that the checks need.
#[derive(Clone, Debug)]
pub struct Policy {
    pub allow_partial: bool,
    pub rounding_tolerance: Cents,
    pub period_locked_until: Option<NaiveDate>,
}

/// The checks between "this is the invoice" and "book it" (docs/architecture.md step 3), and
/// what to post when they pass. Never a price above the open amount.
pub fn check(
    payment: &PaymentFacts<'_>,
    post: &Invoice,
    booking_date: NaiveDate,
    policy: &Policy,
) -> Result<Plan, Refusal> {
    let label = post.label();
    if !post.is_open() {
        return Err(Refusal::new(
            ErrorCode::InvoiceNotOpen,
            msg!(
                "refused-not-open",
                invoice = &label,
                state = invoice_state(&post.state)
            ),
        ));
    }
    if !payment.currency.eq_ignore_ascii_case(&post.currency) {
        return Err(Refusal::new(
            ErrorCode::CurrencyMismatch,
            msg!(
                "refused-currency",
                currency = payment.currency,
                invoice = &label,
                invoice_currency = &post.currency
            ),
        ));
    }
    let open = post.total_unpaid;
    let tolerance = policy.rounding_tolerance;
    let plan = if payment.amount > open {
        if payment.amount - open > tolerance {
            return Err(Refusal::new(
                ErrorCode::AmountExceedsOpen,
                msg!(
                    "refused-exceeds-open",
                    amount = payment.amount.display_in(payment.currency),
                    open = open.display_in(&post.currency),
                    invoice = &label
                ),
            ));
        }
        Plan {
            price: open,
            rounding: Cents::ZERO,
        }
    } else if payment.amount < open && open - payment.amount <= tolerance {
        Plan {
            price: payment.amount,
            rounding: open - payment.amount,
        }
    } else {
        if payment.amount < open && !policy.allow_partial {
            return Err(Refusal::new(
                ErrorCode::PartialPayment,
                msg!(
                    "refused-partial",
                    amount = payment.amount.display_in(payment.currency),
                    open = open.display_in(&post.currency),
                    invoice = &label
                ),
            ));
        }
        Plan {
            price: payment.amount,
            rounding: Cents::ZERO,
        }
    };
    if let Some(locked) = policy.period_locked_until
        && booking_date <= locked
    {
        return Err(Refusal::new(
            ErrorCode::PeriodLocked,
            msg!(
                "refused-period-locked",
                date = booking_date,
                locked = locked
            ),
        ));
    }
    Ok(plan)
}

/// Whether a payment Moneybird already holds with our transaction identifier is the one
/// this tool would have made: then a lost or restored state file is being rebuilt, and the
/// payment counts as booked. Its price is the CCV amount, or less by at most the tolerance
/// (the open amount was booked). Otherwise someone else booked it.
pub fn is_our_booking(
    existing: &InvoicePayment,
    amount: Cents,
    tolerance: Cents,
    booking_date: NaiveDate,
    ledger_account: Option<&str>,
) -> bool {
    let same_ledger = match ledger_account {
        Some(ledger) => existing.ledger_account_id.as_deref() == Some(ledger),
        None => true,
    };
    let price_fits = existing
        .price
        .is_some_and(|price| price <= amount && amount - price <= tolerance);
    price_fits
        && existing.payment_date.as_deref() == Some(booking_date.to_string().as_str())
        && same_ledger
}

/// Hand bookings are told from other payments by when they were made: this long before
/// the CCV payment was created still counts, for clocks that differ.
const CLOCK_SKEW_MS: i64 = 10 * 60 * 1000;

/// A payment on `post` that looks like this CCV payment booked by hand: no transaction
/// identifier (Moneybird's own screen sets none), this amount (within the tolerance), made
/// after the CCV payment came in, and not already accounted to another payment.
pub fn hand_booking<'a>(
    post: &'a Invoice,
    amount: Cents,
    tolerance: Cents,
    ccv_created_ms: i64,
    claimed: &std::collections::HashSet<String>,
) -> Option<&'a InvoicePayment> {
    post.payments.iter().find(|payment| {
        payment.transaction_identifier.is_none()
            && payment
                .price
                .is_some_and(|price| (price - amount).0.saturating_abs() <= tolerance.0)
            && !claimed.contains(&payment.id)
            // A payment whose time is not known may be the hand booking: the safe guess.
            && payment
                .created_ms()
                .is_none_or(|created| created >= ccv_created_ms - CLOCK_SKEW_MS)
    })
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
            payment_reference: Some(format!("RF00{id}")),
            ..Invoice::open_sales(id, number, reference, Cents(unpaid))
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
            Some(ErrorCode::AmountExceedsOpen)
        );
        assert_eq!(code(100, "EUR", day, &policy), None, "partial");
        assert_eq!(
            code(12100, "GBP", day, &policy),
            Some(ErrorCode::CurrencyMismatch)
        );
        let locked_day = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
        assert_eq!(
            code(12100, "EUR", locked_day, &policy),
            Some(ErrorCode::PeriodLocked)
        );
        let strict = Policy {
            allow_partial: false,
            ..policy.clone()
        };
        assert_eq!(
            code(100, "EUR", day, &strict),
            Some(ErrorCode::PartialPayment)
        );
        let mut paid = post.clone();
        paid.state = "paid".into();
        let payment = facts(None, None, 100);
        assert_eq!(
            check(&payment, &paid, day, &policy).unwrap_err().code,
            ErrorCode::InvoiceNotOpen
        );
    }

    #[test]
    fn the_tolerance_never_posts_above_the_open_amount() {
        let policy = Policy {
            allow_partial: false,
            rounding_tolerance: Cents(5),
            period_locked_until: None,
        };
        let post = invoice(
            InvoiceKind::SalesInvoice,
            "1",
            Some("2026-0001"),
            None,
            1610,
        );
        let day = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        let plan = |amount: i64| check(&facts(None, None, amount), &post, day, &policy);
        // Above within the tolerance: the open amount, the rest stays on the tussenrekening.
        assert_eq!(
            plan(1615),
            Ok(Plan {
                price: Cents(1610),
                rounding: Cents::ZERO
            })
        );
        // Below within it: the payment, and a rounding payment that closes the invoice,
        // even with partial payments off.
        assert_eq!(
            plan(1605),
            Ok(Plan {
                price: Cents(1605),
                rounding: Cents(5)
            })
        );
        assert_eq!(
            plan(1610),
            Ok(Plan {
                price: Cents(1610),
                rounding: Cents::ZERO
            })
        );
        assert_eq!(plan(1616).unwrap_err().code, ErrorCode::AmountExceedsOpen);
        assert_eq!(plan(1604).unwrap_err().code, ErrorCode::PartialPayment);
    }
}
