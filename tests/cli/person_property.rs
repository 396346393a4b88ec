//! The exactly-once rule with a person in the loop, as a property: whatever sequence of
//! runs (sync, recheck, retry, retry --all-fouten, retry --invoice) and bookkeeper actions
//! (booking by hand as the advice allows, resolve, resolve --undo) happens over a shop whose
//! references are ambiguous, no CCV payment ever has more than one booking across all
//! invoices: the tool's and the hand-made ones counted together.

use std::collections::BTreeMap;

use ccv_moneybird_sandbox::Cents;
use ccv_moneybird_sandbox::seed::NewInvoice;
use proptest::prelude::*;
use serde_json::Value;

use crate::common::{Env, Sale};

const NOW: &str = "2026-11-26T12:00:00Z";

/// A payment of the shop: its reference, amount, and the invoices its order reference fits.
struct Payment {
    reference: &'static str,
    cents: i64,
    candidates: &'static [&'static str],
}

/// Two pairs of invoices share an order reference; two payments fit the first pair, one
/// the second (paid later), and one has an invoice of its own.
const PAYMENTS: &[Payment] = &[
    Payment {
        reference: "P1A",
        cents: 5000,
        candidates: &["2026-0101", "2026-0102"],
    },
    Payment {
        reference: "P1B",
        cents: 5000,
        candidates: &["2026-0101", "2026-0102"],
    },
    Payment {
        reference: "P2",
        cents: 7500,
        candidates: &["2026-0201", "2026-0202"],
    },
    Payment {
        reference: "P3",
        cents: 1234,
        candidates: &["2026-0301"],
    },
];

fn order_of(payment: &Payment) -> &'static str {
    match payment.candidates[0] {
        "2026-0101" => "ORDER-1",
        "2026-0201" => "ORDER-2",
        _ => "2026-0301",
    }
}

#[derive(Clone, Debug)]
enum Action {
    Sync,
    Recheck,
    RetryAll,
    Retry(usize),
    RetryNamed(usize, usize),
    /// The bookkeeper books a payment that sits in Fouten by hand on one of its invoices,
    /// as the advice of its error allows.
    BookByHand(usize, usize),
    Resolve(usize),
    Undo(usize),
    /// CCV reports the pending payment paid.
    Paid,
    /// The next day, so the daily reads are done again.
    NextDay,
}

fn action() -> impl Strategy<Value = Action> {
    let payment = 0..PAYMENTS.len();
    prop_oneof![
        3 => Just(Action::Sync),
        2 => Just(Action::Recheck),
        1 => Just(Action::RetryAll),
        2 => payment.clone().prop_map(Action::Retry),
        5 => (payment.clone(), 0..2usize).prop_map(|(p, i)| Action::RetryNamed(p, i)),
        6 => (payment.clone(), 0..2usize).prop_map(|(p, i)| Action::BookByHand(p, i)),
        2 => payment.clone().prop_map(Action::Resolve),
        1 => payment.prop_map(Action::Undo),
        1 => Just(Action::Paid),
        1 => Just(Action::NextDay),
    ]
}

fn shop() -> Env {
    let env = Env::new(NOW);
    let mut world = env.world();
    for (number, reference, cents) in [
        ("2026-0101", "ORDER-1", 5000),
        ("2026-0102", "ORDER-1", 5000),
        ("2026-0201", "ORDER-2", 7500),
        ("2026-0202", "ORDER-2", 7500),
        ("2026-0301", "WEB-0301", 1234),
    ] {
        world.add_invoice(NewInvoice::sales(number, Cents(cents)).reference(reference));
    }
    for (index, payment) in PAYMENTS.iter().enumerate() {
        let status = if payment.reference == "P2" {
            "pending"
        } else {
            "success"
        };
        let at = format!("2026-11-26T0{index}:30:00Z");
        let mut transaction = Sale::new(payment.reference, payment.cents)
            .status(status)
            .at(&at)
            .build();
        transaction.merchant_order_reference = Some(order_of(payment).into());
        world.add_transaction(transaction);
    }
    drop(world);
    env
}

fn row_of(env: &Env, reference: &str) -> Option<Value> {
    env.rows()
        .into_iter()
        .find(|row| row["reference"] == reference)
}

/// Carries out one action; what the tool answers does not matter here, only what it does.
fn act(env: &Env, action: &Action, by_hand: &mut BTreeMap<&'static str, usize>, day: &mut u32) {
    let reference = |index: usize| PAYMENTS[index].reference;
    match action {
        Action::Sync => drop(env.run(&["sync"])),
        Action::Recheck => drop(env.run(&["recheck"])),
        Action::RetryAll => drop(env.run(&["retry", "--all-fouten"])),
        Action::Retry(index) => drop(env.run(&["retry", reference(*index)])),
        Action::RetryNamed(index, which) => {
            let candidates = PAYMENTS[*index].candidates;
            let invoice = candidates[which % candidates.len()];
            drop(env.run(&["retry", reference(*index), "--invoice", invoice]));
        }
        Action::BookByHand(index, which) => {
            let payment = &PAYMENTS[*index];
            let Some(row) = row_of(env, payment.reference) else {
                return;
            };
            // Only where the advice says to book it by hand: a Fouten row that is not
            // already accounted to a payment in Moneybird.
            // Once is what the bookkeeper does; the second time would be their own mistake.
            let code = row["error"]["code"].as_str().unwrap_or_default();
            if row["tab"] != "fouten"
                || matches!(code, "booked_by_hand" | "already_booked")
                || by_hand.contains_key(payment.reference)
            {
                return;
            }
            let invoice = payment.candidates[which % payment.candidates.len()];
            let date = chrono::NaiveDate::from_ymd_opt(2026, 11, *day).unwrap();
            if env
                .world()
                .book_by_hand(invoice, Cents(payment.cents), date)
                .is_ok()
            {
                *by_hand.entry(payment.reference).or_default() += 1;
            }
        }
        Action::Resolve(index) => {
            drop(env.run(&["resolve", reference(*index), "--note", "handled by hand"]));
        }
        Action::Undo(index) => drop(env.run(&["resolve", "--undo", reference(*index)])),
        Action::Paid => {
            let at = crate::common::ms(&format!("2026-11-{day:02}T11:00:00Z"));
            env.world().settle_transaction("P2", "success", at);
        }
        Action::NextDay => {
            *day = (*day + 1).min(30);
            env.set_now(&format!("2026-11-{day:02}T12:00:00Z"));
        }
    }
}

fn bookings_of(env: &Env, reference: &str) -> usize {
    env.booked(reference)
        .iter()
        .filter(|booked| booked.manual_payment_action.as_deref() != Some("rounding_error"))
        .count()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        max_shrink_iters: 64,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_payment_is_ever_booked_twice_by_the_tool_and_the_bookkeeper_together(
        actions in proptest::collection::vec(action(), 1..16)
    ) {
        let env = shop();
        let mut by_hand = BTreeMap::new();
        let mut day = 26;
        for (step, action) in actions.iter().enumerate() {
            act(&env, action, &mut by_hand, &mut day);
            for payment in PAYMENTS {
                let tool = bookings_of(&env, payment.reference);
                let hand = by_hand.get(payment.reference).copied().unwrap_or(0);
                prop_assert!(
                    tool + hand <= 1,
                    "{} booked {tool}× by the tool and {hand}× by hand after step {step} of {actions:?}",
                    payment.reference
                );
            }
        }
    }
}
