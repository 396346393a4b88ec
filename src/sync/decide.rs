//! Step 3: what to do with one payment, decided from what was read before the first one:
//! the open posts, earlier candidates, claimed hand bookings, the ledger accounts. Pure: no
//! I/O, so every case is a row in the tables below. What a person did in Moneybird is looked
//! at before anything is booked: a payment booked by hand on any candidate invoice, a payment
//! already carrying this transaction id.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use super::matching::{
    self, CandidateEvidence, Evidence, ForeignPayment, Found, PaymentFacts, Plan, Policy, PostIndex,
};
use crate::codes::ErrorCode;
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
    /// The booking time zone: it makes a payment's booking date.
    pub timezone: chrono_tz::Tz,
    /// CCV payment method → Moneybird ledger account id (the tussenrekening).
    pub ledger_accounts: &'a BTreeMap<String, String>,
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
    let booking_date = row.booking_date(lookup.timezone);
    let earlier = Evidence::of_row(row.standing.evidence_json.as_deref());
    let earlier_posts: Vec<&Invoice> = earlier
        .candidates
        .iter()
        .filter_map(|candidate| lookup.by_id(candidate.kind, &candidate.id))
        .collect();
    if let Some(found) = already_in_moneybird(row, lookup, &earlier, &earlier_posts) {
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
    let Some(found) = look_up(lookup, &facts, chosen) else {
        return Decision::NoSuchInvoice(chosen.unwrap_or_default().to_string());
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
    if chosen.is_none()
        && (earlier.ambiguous || row.error_code() == Some(ErrorCode::AmbiguousMatch))
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

/// The open posts that fit: the one a person named, or what the rules find. `None` when
/// the person named no open post.
fn look_up<'a>(
    lookup: &Lookup<'a>,
    facts: &PaymentFacts<'_>,
    chosen: Option<&str>,
) -> Option<Found<'a>> {
    let Some(label) = chosen else {
        return Some(lookup.open.find(facts));
    };
    match lookup.open.by_label(label).as_slice() {
        [post] => Some(Found::One {
            post,
            rule: matching::Rule::NamedByPerson,
            matched: label.to_string(),
        }),
        _ => None,
    }
}

/// A payment that fits no open post, decided again against the invoices paid since: one
/// of them may hold it (booked by hand, or by an earlier run of this tool), or it explains
/// why nothing can be booked. Nothing is ever booked on a paid invoice.
pub(super) fn decide_among_paid(
    row: &Payment,
    paid: &Lookup<'_>,
    booked_this_run: &BookedThisRun,
) -> Decision {
    match decide(row, paid, booked_this_run, None) {
        Decision::NoCandidate => Decision::Refuse {
            code: ErrorCode::NoOpenPost,
            message: no_open_post_message(row),
            post: None,
            evidence: Evidence::of_row(row.standing.evidence_json.as_deref()),
        },
        Decision::Book { post, evidence, .. } => Decision::Refuse {
            code: ErrorCode::InvoiceNotOpen,
            message: msg!(
                "refused-not-open",
                invoice = post.label(),
                state = matching::invoice_state(&post.state)
            ),
            post: Some(post),
            evidence,
        },
        other => other,
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
        row.booking_date(lookup.timezone),
        ledger_account(lookup.ledger_accounts, row),
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

fn no_open_post_message(row: &Payment) -> Message {
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

pub(super) fn ledger_account<'a>(
    ledger_accounts: &'a BTreeMap<String, String>,
    row: &Payment,
) -> Option<&'a str> {
    row.facts
        .method
        .as_deref()
        .and_then(|method| ledger_accounts.get(method))
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CcvFacts, Outcome};

    /// 2026-03-03 23:30 UTC: already 4 March in Amsterdam, the booking day.
    const PAID_MS: i64 = 1_772_580_600_000;

    fn payment(order: &str, cents: i64) -> Payment {
        Payment {
            id: 1,
            facts: CcvFacts {
                reference: "C1".into(),
                child_reference: None,
                ccv_type: "sale".into(),
                ccv_status: "success".into(),
                failure_code: None,
                method: Some("ideal".into()),
                amount: Cents(cents),
                amount_as_sent: None,
                currency: "EUR".into(),
                created_ms: PAID_MS - 60_000,
                paid_ms: Some(PAID_MS),
                description: None,
                merchant_order_reference: Some(order.into()),
            },
            standing: Outcome::open(),
            shop: None,
            payout_reference: None,
        }
    }

    fn post(id: &str, number: &str, unpaid: i64) -> Invoice {
        Invoice::open_sales(id, Some(number), None, Cents(unpaid))
    }

    fn paid_on(mut invoice: Invoice, payment: InvoicePayment) -> Invoice {
        invoice.payments.push(payment);
        invoice
    }

    fn existing(identifier: Option<&str>, cents: i64, date: &str) -> InvoicePayment {
        InvoicePayment {
            id: "MB1".into(),
            transaction_identifier: identifier.map(Into::into),
            price: Some(Cents(cents)),
            payment_date: Some(date.into()),
            ledger_account_id: None,
            manual_payment_action: None,
            created_at: Some("2026-03-04T09:00:00+01:00".into()),
        }
    }

    /// What a decision came to, in a form a table can hold.
    #[derive(Debug, PartialEq, Eq)]
    enum Came {
        Book {
            invoice: String,
            price: i64,
            rounding: i64,
        },
        Already(Existing),
        Refuse(ErrorCode),
        NoCandidate,
        NoSuchInvoice,
    }

    fn came(decision: Decision) -> Came {
        match decision {
            Decision::Book { post, plan, .. } => Came::Book {
                invoice: post.label(),
                price: plan.price.0,
                rounding: plan.rounding.0,
            },
            Decision::AlreadyInMoneybird { existing, .. } => Came::Already(existing),
            Decision::Refuse { code, .. } => Came::Refuse(code),
            Decision::NoCandidate => Came::NoCandidate,
            Decision::NoSuchInvoice(_) => Came::NoSuchInvoice,
        }
    }

    /// Everything a case may set beside the payment and the open posts.
    #[derive(Default)]
    struct World {
        earlier: Vec<Invoice>,
        claimed: HashSet<String>,
        unusable: HashMap<String, Message>,
        ledger_accounts: BTreeMap<String, String>,
        allow_partial: bool,
        tolerance: i64,
        locked_until: Option<NaiveDate>,
        /// Already booked by this run on an invoice number: how much.
        booked_before: Vec<(usize, i64)>,
    }

    /// Runs `decide` (or its like) on what `world` and `posts` make known.
    fn with_lookup(
        world: &World,
        posts: &[Invoice],
        decide: impl FnOnce(&Lookup<'_>, &BookedThisRun) -> Decision,
    ) -> Came {
        let open = PostIndex::new(posts);
        let earlier = PostIndex::new(&world.earlier);
        let policy = Policy {
            allow_partial: world.allow_partial,
            rounding_tolerance: Cents(world.tolerance),
            period_locked_until: world.locked_until,
        };
        let lookup = Lookup {
            open: &open,
            earlier: &earlier,
            claimed: &world.claimed,
            unusable_ledgers: &world.unusable,
            policy: &policy,
            timezone: chrono_tz::Europe::Amsterdam,
            ledger_accounts: &world.ledger_accounts,
        };
        let mut booked = BookedThisRun::default();
        for (index, cents) in &world.booked_before {
            booked.add(&posts[*index], Cents(*cents));
        }
        came(decide(&lookup, &booked))
    }

    fn book(invoice: &str, price: i64, rounding: i64) -> Came {
        Came::Book {
            invoice: invoice.into(),
            price,
            rounding,
        }
    }

    #[test]
    fn what_is_decided_for_one_payment() {
        let ambiguous_earlier = Evidence {
            ambiguous: true,
            candidates: vec![CandidateEvidence::of(&post("1", "2026-0001", 1000))],
            ..Evidence::default()
        };
        let with_evidence = |evidence: &Evidence| {
            let mut row = payment("2026-0001", 1000);
            row.standing.evidence_json = Some(serde_json::to_string(evidence).unwrap());
            row
        };
        let mapped_to_unusable = World {
            unusable: HashMap::from([("ideal".into(), msg!("refused-nothing-to-match-by"))]),
            ..World::default()
        };
        let claimed = World {
            claimed: HashSet::from(["MB1".to_string()]),
            ..World::default()
        };
        // (what the case is, what else is known, the payment, the open posts, the invoice a
        // person names, what is decided)
        type Case<'a> = (&'a str, World, Payment, Vec<Invoice>, Option<&'a str>, Came);
        let cases: Vec<Case> = vec![
            (
                "one open post by its number, the whole amount",
                World::default(),
                payment("2026-0001", 1000),
                vec![post("1", "2026-0001", 1000)],
                None,
                book("2026-0001", 1000, 0),
            ),
            (
                "nothing fits: the paid invoices are asked next",
                World::default(),
                payment("2026-0009", 1000),
                vec![post("1", "2026-0001", 1000)],
                None,
                Came::NoCandidate,
            ),
            (
                "two posts fit: a person chooses",
                World::default(),
                Payment {
                    facts: CcvFacts {
                        description: Some("2026-0002".into()),
                        ..payment("2026-0001", 1000).facts
                    },
                    ..payment("2026-0001", 1000)
                },
                vec![post("1", "2026-0001", 1000), post("2", "2026-0002", 1000)],
                None,
                Came::Refuse(ErrorCode::AmbiguousMatch),
            ),
            (
                "Moneybird holds our own booking (a lost state file)",
                World::default(),
                payment("2026-0001", 1000),
                vec![paid_on(
                    post("1", "2026-0001", 0),
                    existing(Some("C1"), 1000, "2026-03-04"),
                )],
                None,
                Came::Already(Existing::Ours),
            ),
            (
                "our transaction id, the same amount, another day: booked elsewhere",
                World::default(),
                payment("2026-0001", 1000),
                vec![paid_on(
                    post("1", "2026-0001", 0),
                    existing(Some("C1"), 1000, "2026-03-01"),
                )],
                None,
                Came::Already(Existing::SameAmount),
            ),
            (
                "our transaction id for another amount",
                World::default(),
                payment("2026-0001", 1000),
                vec![paid_on(
                    post("1", "2026-0001", 500),
                    existing(Some("C1"), 500, "2026-03-04"),
                )],
                None,
                Came::Already(Existing::OtherAmount),
            ),
            (
                "the same amount booked by hand after the payment came in",
                World::default(),
                payment("2026-0001", 1000),
                vec![paid_on(
                    post("1", "2026-0001", 0),
                    existing(None, 1000, "2026-03-04"),
                )],
                None,
                Came::Refuse(ErrorCode::BookedByHand),
            ),
            (
                "a hand booking another payment stands for is not taken for this one",
                claimed,
                payment("2026-0001", 1000),
                vec![paid_on(
                    post("1", "2026-0001", 1000),
                    existing(None, 1000, "2026-03-04"),
                )],
                None,
                book("2026-0001", 1000, 0),
            ),
            (
                "a method mapped to a ledger account Moneybird does not offer",
                mapped_to_unusable,
                payment("2026-0001", 1000),
                vec![post("1", "2026-0001", 1000)],
                None,
                Came::Refuse(ErrorCode::LedgerAccountUnknown),
            ),
            (
                "a person names an open post no rule found",
                World::default(),
                payment("nothing to go by", 1000),
                vec![post("1", "2026-0001", 1000)],
                Some("2026-0001"),
                book("2026-0001", 1000, 0),
            ),
            (
                "a person names an invoice that is no open post",
                World::default(),
                payment("2026-0001", 1000),
                vec![post("1", "2026-0001", 1000)],
                Some("2026-0077"),
                Came::NoSuchInvoice,
            ),
            (
                "once ambiguous, one candidate left is still a person's choice",
                World::default(),
                with_evidence(&ambiguous_earlier),
                vec![post("1", "2026-0001", 1000)],
                None,
                Came::Refuse(ErrorCode::AmbiguousMatch),
            ),
            (
                "more than the open amount",
                World::default(),
                payment("2026-0001", 1500),
                vec![post("1", "2026-0001", 1000)],
                None,
                Came::Refuse(ErrorCode::AmountExceedsOpen),
            ),
            (
                "up to the tolerance above the open amount: the open amount is booked",
                World {
                    tolerance: 2,
                    ..World::default()
                },
                payment("2026-0001", 1002),
                vec![post("1", "2026-0001", 1000)],
                None,
                book("2026-0001", 1000, 0),
            ),
            (
                "up to the tolerance below: a rounding payment closes the invoice",
                World {
                    tolerance: 2,
                    ..World::default()
                },
                payment("2026-0001", 998),
                vec![post("1", "2026-0001", 1000)],
                None,
                book("2026-0001", 998, 2),
            ),
            (
                "part of the open amount, not allowed",
                World::default(),
                payment("2026-0001", 400),
                vec![post("1", "2026-0001", 1000)],
                None,
                Came::Refuse(ErrorCode::PartialPayment),
            ),
            (
                "part of the open amount, allowed",
                World {
                    allow_partial: true,
                    ..World::default()
                },
                payment("2026-0001", 400),
                vec![post("1", "2026-0001", 1000)],
                None,
                book("2026-0001", 400, 0),
            ),
            (
                "what this run booked before lowers the open amount",
                World {
                    booked_before: vec![(0, 1000)],
                    ..World::default()
                },
                payment("2026-0001", 1000),
                vec![post("1", "2026-0001", 1000)],
                None,
                Came::Refuse(ErrorCode::InvoiceNotOpen),
            ),
            (
                "the booking day (Amsterdam) falls in a locked period",
                World {
                    locked_until: NaiveDate::from_ymd_opt(2026, 3, 4),
                    ..World::default()
                },
                payment("2026-0001", 1000),
                vec![post("1", "2026-0001", 1000)],
                None,
                Came::Refuse(ErrorCode::PeriodLocked),
            ),
            (
                "the day after a locked period",
                World {
                    locked_until: NaiveDate::from_ymd_opt(2026, 3, 3),
                    ..World::default()
                },
                payment("2026-0001", 1000),
                vec![post("1", "2026-0001", 1000)],
                None,
                book("2026-0001", 1000, 0),
            ),
            (
                "a hand booking on an earlier candidate that left the open posts",
                World {
                    earlier: vec![paid_on(
                        post("1", "2026-0001", 0),
                        existing(None, 1000, "2026-03-04"),
                    )],
                    ..World::default()
                },
                with_evidence(&Evidence {
                    candidates: vec![CandidateEvidence::of(&post("1", "2026-0001", 1000))],
                    ..Evidence::default()
                }),
                Vec::new(),
                None,
                Came::Refuse(ErrorCode::BookedByHand),
            ),
        ];
        for (name, world, row, posts, chosen, expected) in cases {
            let decided = with_lookup(&world, &posts, |lookup, booked| {
                decide(&row, lookup, booked, chosen)
            });
            assert_eq!(decided, expected, "{name}");
        }
    }

    #[test]
    fn among_the_paid_invoices_nothing_is_booked() {
        let world = World::default();
        let paid = |state: &str| Invoice {
            state: state.into(),
            ..post("1", "2026-0001", 1000)
        };
        let cases = [
            (
                "a paid invoice fits",
                vec![paid("paid")],
                ErrorCode::InvoiceNotOpen,
            ),
            // Moneybird's answer about paid invoices is never taken as leave to book.
            (
                "one listed as paid is open again",
                vec![paid("open")],
                ErrorCode::InvoiceNotOpen,
            ),
            ("nothing fits", Vec::new(), ErrorCode::NoOpenPost),
        ];
        for (name, posts, expected) in cases {
            let decided = with_lookup(&world, &posts, |lookup, booked| {
                decide_among_paid(&payment("2026-0001", 1000), lookup, booked)
            });
            assert_eq!(decided, Came::Refuse(expected), "{name}");
        }
    }
}
