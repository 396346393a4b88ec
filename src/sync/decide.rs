//! Step 3: what to do with one payment, decided from what was read before the first one:
//! the open posts, earlier candidates, claimed hand bookings, the ledger accounts. Pure: no
//! I/O, so every case is a row in the tables below. What a person did in Moneybird is looked
//! at before anything is booked: a payment booked by hand on any candidate invoice, a payment
//! already carrying this transaction id.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::matching::{
    self, CandidateEvidence, Evidence, ForeignPayment, Found, PaymentFacts, Plan, Policy, PostIndex,
};
use crate::codes::ErrorCode;
use crate::config::Settings;
use crate::domain::Payment;
use crate::i18n::Message;
use crate::money::Cents;
use crate::moneybird::{Invoice, InvoiceKind, InvoicePayment};

/// What this run has booked per invoice, so later payments see the lower open amount.
#[derive(Default)]
pub(super) struct BookedThisRun {
    paid: HashMap<(InvoiceKind, String), Cents>,
}

impl BookedThisRun {
    pub(super) fn current(&self, post: &Invoice) -> Invoice {
        let mut post = post.clone();
        if let Some(paid) = self.paid.get(&(post.kind, post.id.clone())) {
            post.total_unpaid = post
                .total_unpaid
                .checked_sub(*paid)
                .unwrap_or(post.total_unpaid);
            if post.total_unpaid.0 <= 0 {
                post.state = "paid".into();
            }
        }
        post
    }

    pub(super) fn add(&mut self, post: &Invoice, amount: Cents) {
        let entry = self.paid.entry((post.kind, post.id.clone())).or_default();
        *entry = entry.checked_add(amount).unwrap_or(*entry);
    }
}

/// Everything a decision may look at, gathered before the first one.
pub(super) struct Lookup<'a> {
    /// The open posts, freshly synchronized.
    pub open: &'a PostIndex<'a>,
    /// Fresh copies of the invoices that earlier looks named as candidates and that are no
    /// longer open (paid since, perhaps by hand).
    pub earlier: &'a PostIndex<'a>,
    /// Moneybird payments some resolved row already stands for.
    pub claimed: &'a HashSet<String>,
    /// Per payment method mapped to a ledger account that Moneybird does not offer: why.
    pub unusable_ledgers: &'a HashMap<String, crate::i18n::Message>,
    pub policy: &'a Policy,
}

impl<'a> Lookup<'a> {
    /// A fresh copy of the invoice with this id: open, or a candidate that left since.
    fn by_id(&self, kind: InvoiceKind, id: &str) -> Option<&'a Invoice> {
        self.open
            .by_id(kind, id)
            .or_else(|| self.earlier.by_id(kind, id))
    }
}

/// How a payment Moneybird already holds with this transaction id relates to ours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Existing {
    /// Exactly what this tool would have posted: ours, from a run whose state is gone.
    Ours,
    /// Booked outside this tool for the same amount: accounted for.
    SameAmount,
    /// Booked outside this tool for another amount.
    OtherAmount,
}

/// What to do with one payment.
pub(super) enum Decision {
    Book {
        post: Invoice,
        plan: Plan,
        evidence: Evidence,
    },
    AlreadyInMoneybird {
        post: Invoice,
        payment: InvoicePayment,
        existing: Existing,
        evidence: Evidence,
    },
    Refuse {
        code: ErrorCode,
        message: Message,
        post: Option<Invoice>,
        evidence: Evidence,
    },
    /// No open post fits: the recently paid invoices are asked before refusing.
    NoCandidate,
    /// A person named an invoice that is not an open post; the payment stays as it was.
    NoSuchInvoice(String),
}

pub(super) fn decide(
    settings: &Settings,
    row: &Payment,
    lookup: &Lookup<'_>,
    booked_this_run: &BookedThisRun,
    chosen: Option<&str>,
) -> Decision {
    let facts = PaymentFacts {
        reference: &row.facts.reference,
        amount: row.facts.amount,
        currency: &row.facts.currency,
        merchant_order_reference: row.facts.merchant_order_reference.as_deref(),
        description: row.facts.description.as_deref(),
    };
    let booking_date = row.booking_date(settings.timezone);
    let earlier = Evidence::of_row(row.evidence_json.as_deref());
    let earlier_posts: Vec<&Invoice> = earlier
        .candidates
        .iter()
        .filter_map(|candidate| lookup.by_id(candidate.kind, &candidate.id))
        .collect();
    if let Some(found) = already_in_moneybird(settings, row, lookup, &earlier, &earlier_posts) {
        return found;
    }
    if let Some(why) = row
        .facts
        .method
        .as_deref()
        .and_then(|method| lookup.unusable_ledgers.get(method))
    {
        return Decision::Refuse {
            code: ErrorCode::LedgerAccountUnknown,
            message: why.clone(),
            post: None,
            evidence: earlier,
        };
    }
    let found = match chosen {
        Some(label) => match lookup.open.by_label(label).as_slice() {
            [post] => Found::One {
                post,
                rule: matching::Rule::NamedByPerson,
                matched: label.to_string(),
            },
            _ => return Decision::NoSuchInvoice(label.to_string()),
        },
        None => lookup.open.find(&facts),
    };
    let look = Look {
        found: &found,
        chosen: chosen.is_some(),
        earlier: &earlier,
        booked_this_run,
    };
    let matched = look.posts();
    // A person may have booked it by hand on any candidate, as the advice allowed: this
    // look's, an earlier look's, or the one a person names now.
    for post in matched.iter().chain(&earlier_posts) {
        if let Some(payment) = matching::hand_booking(
            post,
            row.facts.amount,
            lookup.policy.rounding_tolerance,
            row.facts.created_ms,
            lookup.claimed,
        ) {
            return booked_by_hand(post, payment, look.evidence(&matched));
        }
    }
    // Ambiguity is settled by a person naming the invoice, never by what is left over.
    if chosen.is_none() && (earlier.ambiguous || row.error_code == Some(ErrorCode::AmbiguousMatch))
    {
        return still_ambiguous(lookup, &look, &matched);
    }
    match &found {
        Found::None => Decision::NoCandidate,
        Found::Several { .. } => several(&look, &matched),
        Found::One { post, .. } => checked(
            &facts,
            booked_this_run.current(post),
            booking_date,
            lookup.policy,
            look.evidence(&[*post]),
        ),
    }
}

/// Several open posts fit: nothing is booked.
fn several(look: &Look<'_, '_>, posts: &[&Invoice]) -> Decision {
    let Found::Several { rule, matched, .. } = look.found else {
        unreachable!("only for several open posts")
    };
    Decision::Refuse {
        code: ErrorCode::AmbiguousMatch,
        message: msg!(
            "refused-ambiguous",
            count = posts.len(),
            rule = rule.describe(),
            matched = matched,
            invoices = posts
                .iter()
                .map(|post| post.label())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        post: None,
        evidence: look.evidence(posts),
    }
}

/// Guard three: Moneybird itself is asked before every booking whether it already holds
/// this transaction, on the open posts and on every earlier candidate.
fn already_in_moneybird(
    settings: &Settings,
    row: &Payment,
    lookup: &Lookup<'_>,
    earlier: &Evidence,
    earlier_posts: &[&Invoice],
) -> Option<Decision> {
    let (post, payment) = lookup.open.booked_with(&row.facts.reference).or_else(|| {
        earlier_posts.iter().find_map(|post| {
            post.payment_with_identifier(&row.facts.reference)
                .map(|payment| (*post, payment))
        })
    })?;
    let existing = classify_existing(
        payment,
        row,
        lookup.policy,
        row.booking_date(settings.timezone),
        ledger_account(settings, row),
    );
    Some(Decision::AlreadyInMoneybird {
        existing,
        post: post.clone(),
        payment: payment.clone(),
        evidence: Evidence {
            rule: Some(matching::Rule::TransactionIdentifier),
            matched_text: Some(row.facts.reference.clone()),
            candidates: vec![CandidateEvidence::of(post)],
            foreign_payment: None,
            ambiguous: false,
        }
        .keeping(earlier),
    })
}

/// What one look at the open posts found, and how it becomes evidence.
struct Look<'a, 'p> {
    found: &'a Found<'p>,
    chosen: bool,
    earlier: &'a Evidence,
    booked_this_run: &'a BookedThisRun,
}

impl<'p> Look<'_, 'p> {
    fn posts(&self) -> Vec<&'p Invoice> {
        match self.found {
            Found::One { post, .. } => vec![*post],
            Found::Several { posts, .. } => posts.clone(),
            Found::None => Vec::new(),
        }
    }

    /// The evidence of this look about `posts`, keeping what earlier looks found.
    fn evidence(&self, posts: &[&Invoice]) -> Evidence {
        let (rule, matched_text) = match self.found {
            // No rule chose a named invoice: a person did.
            Found::One { rule, matched, .. } | Found::Several { rule, matched, .. } => {
                (Some(*rule).filter(|_| !self.chosen), Some(matched.clone()))
            }
            Found::None => (None, None),
        };
        Evidence {
            rule,
            matched_text,
            candidates: posts
                .iter()
                .map(|post| CandidateEvidence::of(&self.booked_this_run.current(post)))
                .collect(),
            foreign_payment: None,
            ambiguous: posts.len() > 1,
        }
        .keeping(self.earlier)
    }
}

/// A payment that once fitted several invoices, refused again with the candidates as
/// they stand now.
fn still_ambiguous(lookup: &Lookup<'_>, look: &Look<'_, '_>, matched: &[&Invoice]) -> Decision {
    let mut evidence = look.evidence(matched);
    evidence.ambiguous = true;
    for candidate in &mut evidence.candidates {
        if let Some(post) = lookup.by_id(candidate.kind, &candidate.id) {
            *candidate = CandidateEvidence::of(&look.booked_this_run.current(post));
        }
    }
    Decision::Refuse {
        code: ErrorCode::AmbiguousMatch,
        message: msg!(
            "refused-still-ambiguous",
            candidates = candidate_list(&evidence.candidates)
        ),
        post: None,
        evidence,
    }
}

fn checked(
    facts: &PaymentFacts<'_>,
    post: Invoice,
    booking_date: NaiveDate,
    policy: &Policy,
    evidence: Evidence,
) -> Decision {
    match matching::check(facts, &post, booking_date, policy) {
        Ok(plan) => Decision::Book {
            post,
            plan,
            evidence,
        },
        Err(refusal) => Decision::Refuse {
            code: refusal.code,
            message: refusal.message,
            post: Some(post),
            evidence,
        },
    }
}

pub(super) fn booked_by_hand(
    post: &Invoice,
    payment: &InvoicePayment,
    mut evidence: Evidence,
) -> Decision {
    let found = ForeignPayment::of(post, payment);
    evidence.foreign_payment = Some(found.clone());
    Decision::Refuse {
        code: ErrorCode::BookedByHand,
        message: msg!(
            "refused-booked-by-hand",
            invoice = post.label(),
            amount = payment
                .price
                .map_or_else(|| "?".to_string(), Cents::to_euro_display),
            date = crate::i18n::Arg::day_or_text(found.date.as_deref().unwrap_or("?")),
            payment = &payment.id
        ),
        post: Some(post.clone()),
        evidence,
    }
}

fn candidate_list(candidates: &[CandidateEvidence]) -> Message {
    let open: Vec<&CandidateEvidence> = candidates
        .iter()
        .filter(|candidate| candidate.is_open())
        .collect();
    let all = candidates
        .iter()
        .map(|candidate| candidate.label.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    match open.len() {
        0 => msg!("candidates-none-open", all = all),
        1 => msg!("candidates-one-open", all = all, open = &open[0].label),
        count => msg!("candidates-several-open", count = count, all = all),
    }
}

fn classify_existing(
    payment: &InvoicePayment,
    row: &Payment,
    policy: &Policy,
    booking_date: NaiveDate,
    ledger: Option<&str>,
) -> Existing {
    if matching::is_our_booking(
        payment,
        row.facts.amount,
        policy.rounding_tolerance,
        booking_date,
        ledger,
    ) {
        Existing::Ours
    } else if payment.price == Some(row.facts.amount) {
        Existing::SameAmount
    } else {
        Existing::OtherAmount
    }
}

pub(super) fn no_open_post_message(row: &Payment) -> Message {
    let said: Vec<String> = [&row.facts.merchant_order_reference, &row.facts.description]
        .into_iter()
        .flatten()
        .map(|text| format!("`{text}`"))
        .collect();
    match said.as_slice() {
        [] => msg!("refused-nothing-to-match-by"),
        [one] => msg!("refused-no-open-post", said = one),
        [one, other, ..] => msg!("refused-no-open-post-either", said = one, other = other),
    }
}

pub(super) fn ledger_account<'a>(settings: &'a Settings, row: &Payment) -> Option<&'a str> {
    row.facts
        .method
        .as_deref()
        .and_then(|method| settings.ledger_accounts.get(method))
        .map(String::as_str)
}
