//! Booked is not the end: refunds, chargebacks and reversals that CCV reports after a
//! payment was booked put it back in front of the bookkeeper, and `--undo-booking` deletes
//! this tool's own payment, and nothing else, when asked.

use ccv_moneybird_sandbox::{CcvTransaction, Cents};

use crate::common::{Env, InvoicePaid, Sale, ms};

const NOW: &str = "2026-11-26T12:00:00Z";
const LATER: &str = "2026-11-27T12:00:00Z";

/// Five booked payments: C1 (€ 60,00 on 2026-0001), C2 (€ 50,00), C3 (€ 40,00), C5
/// (€ 30,00), C6 (€ 20,00); and C4 (€ 10,00), which names no existing invoice.
fn booked_shop() -> Env {
    let env = Env::new(NOW);
    for (number, cents, reference) in [
        ("2026-0001", 6000, "C1"),
        ("2026-0002", 5000, "C2"),
        ("2026-0003", 4000, "C3"),
        ("2026-0005", 3000, "C5"),
        ("2026-0006", 2000, "C6"),
    ] {
        InvoicePaid::new(number, cents)
            .paid_by(reference)
            .method("card")
            .add(&env);
    }
    {
        let mut world = env.world();
        let mut lost = Sale::new("C4", 1000)
            .method("card")
            .described("Factuur 2026-0999")
            .build();
        lost.description = Some("Factuur 2026-0999".into());
        world.add_transaction(lost);
    }
    env.sync();
    for reference in ["C1", "C2", "C3", "C5", "C6"] {
        assert_eq!(env.row(reference)["tab"], "rapportage", "{reference}");
    }
    env
}

/// Money taken back from a payment, as CCV reports it: a refund, chargeback or reversal of
/// `original` (CCV's own spelling of `kind`), succeeded unless said otherwise.
struct TakenBack<'a> {
    original: &'a str,
    kind: &'a str,
    reference: &'a str,
    cents: i64,
    status: &'a str,
    at: &'a str,
}

impl<'a> TakenBack<'a> {
    fn of(original: &'a str, kind: &'a str, reference: &'a str, cents: i64) -> TakenBack<'a> {
        TakenBack {
            original,
            kind,
            reference,
            cents,
            status: "success",
            at: "2026-11-26T15:00:00Z",
        }
    }

    fn status(self, status: &'a str) -> TakenBack<'a> {
        TakenBack { status, ..self }
    }

    fn at(self, at: &'a str) -> TakenBack<'a> {
        TakenBack { at, ..self }
    }

    fn add(self, env: &Env) {
        let mut world = env.world();
        let payment = world
            .transaction(self.original)
            .expect("the payment exists");
        world.add_transaction(CcvTransaction::taken_back(
            &payment,
            self.kind,
            self.reference,
            Cents(self.cents),
            self.status,
            ms(self.at),
        ));
    }
}

#[test]
fn refunds_and_chargebacks_of_booked_payments_come_back_with_their_booking_and_a_proposal() {
    let env = booked_shop();
    TakenBack::of("C1", "refund", "P1", 6000)
        .at("2026-11-26T15:00:00Z")
        .add(&env);
    TakenBack::of("C2", "CHARGEBACK", "K2", 5000)
        .at("2026-11-26T15:05:00Z")
        .add(&env);
    TakenBack::of("C3", "refund", "P3", 1000)
        .at("2026-11-26T15:10:00Z")
        .add(&env);
    TakenBack::of("C4", "refund", "P4", 1000)
        .at("2026-11-26T15:15:00Z")
        .add(&env);
    let posts_before = env.payment_posts();
    env.set_now(LATER);
    let summary = env.sync();
    assert!(
        summary.contains("3 booked payments are back in Fouten"),
        "{summary}"
    );

    // Nothing was written to Moneybird: the bookings stand until the bookkeeper acts.
    assert_eq!(env.payment_posts(), posts_before);
    for (reference, invoice, cents) in [
        ("C1", "2026-0001", 6000),
        ("C2", "2026-0002", 5000),
        ("C3", "2026-0003", 4000),
    ] {
        let row = env.row(reference);
        assert_eq!(row["tab"], "fouten", "{reference}");
        assert_eq!(row["error"]["code"], "changed_after_booking", "{reference}");
        assert!(
            row["moneybird_payment_id"].is_string(),
            "{reference}: the booking still stands"
        );
        let booked = env.booked(reference);
        assert_eq!(booked.len(), 1, "{reference}");
        assert_eq!(
            (booked[0].invoice.as_str(), booked[0].price),
            (invoice, Cents(cents))
        );
    }
    assert!(
        env.row("C3")["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("partly refunded: € 10,00 of € 40,00"),
        "{}",
        env.row("C3")
    );

    let payment_c1 = env.row("C1")["moneybird_payment_id"]
        .as_str()
        .unwrap()
        .to_string();
    let info = env.ok(&["info", "C1"]);
    assert!(
        info.contains(&format!(
            "Moneybird payment {payment_c1} on invoice 2026-0001"
        )),
        "{info}"
    );
    assert!(
        info.contains("refund P1 of € 60,00 at CCV, status success"),
        "{info}"
    );
    assert!(info.contains("credit invoice"), "{info}");
    let info = env.ok(&["info", "C2"]);
    assert!(info.contains("chargeback K2 of € 50,00"), "{info}");
    assert!(info.contains("retry 2 --undo-booking"), "{info}");

    // A refund of a payment this tool never booked changes nothing, and says so.
    let never = env.row("C4");
    assert_eq!(never["error"]["code"], "no_open_post");
    let info = env.ok(&["info", "C4"]);
    assert!(
        info.contains("this tool never booked the payment, so nothing changes in Moneybird"),
        "{info}"
    );

    // The booking stands, so a plain retry cannot help; nightly rechecks leave them be.
    let refused = env.said(&["retry", "C1"]);
    assert!(refused.starts_with("exit: 1"), "{refused}");
    assert!(refused.contains("--undo-booking"), "{refused}");
    env.ok(&["recheck"]);
    assert_eq!(env.row("C2")["error"]["code"], "changed_after_booking");
    assert_eq!(env.payment_posts(), posts_before);
}

#[test]
fn undoing_a_booking_deletes_exactly_this_tools_payment() {
    let env = booked_shop();
    TakenBack::of("C2", "chargeback", "K2", 5000)
        .at("2026-11-26T15:05:00Z")
        .add(&env);
    TakenBack::of("C3", "refund", "P3", 1000)
        .at("2026-11-26T15:10:00Z")
        .add(&env);
    env.set_now(LATER);
    env.sync();
    let count = env.payment_count();

    // A partial refund: the rest of the payment stands, so the booking is not undone.
    let partial = env.said(&["retry", "C3", "--undo-booking"]);
    assert!(partial.starts_with("exit: 1"), "{partial}");
    assert!(
        partial.contains("only € 10,00 of € 40,00 was refunded"),
        "{partial}"
    );
    assert_eq!(env.booked("C3").len(), 1);

    let undone = env.ok(&["retry", "C2", "--undo-booking"]);
    assert!(undone.contains("booking undone"), "{undone}");
    assert!(env.booked("C2").is_empty(), "our payment is gone");
    assert_eq!(env.payment_count(), count - 1, "and nothing else");
    let invoice_open = env
        .world()
        .moneybird
        .invoice_by_label("2026-0002")
        .map(|invoice| invoice.total_unpaid())
        .unwrap();
    assert_eq!(invoice_open, Cents(5000), "the invoice is open again");
    let row = env.row("C2");
    assert_eq!(row["tab"], "closed");
    assert!(
        row["resolution"]["note"]
            .as_str()
            .unwrap()
            .starts_with("booking undone"),
        "{row}"
    );

    // Closed for good: not booked again by a run, and nothing to put back.
    env.ok(&["recheck"]);
    assert!(env.booked("C2").is_empty());
    let back = env.said(&["resolve", "--undo", "C2"]);
    assert!(back.starts_with("exit: 1"), "{back}");
}

#[test]
fn a_payment_someone_changed_is_never_deleted() {
    let env = booked_shop();
    // The bookkeeper corrected the price of this tool's payment by hand, then the bank
    // charged the payment back.
    let payment = env.row("C5")["moneybird_payment_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        env.world()
            .change_payment(&payment, Some(Cents(2900)), None)
    );
    TakenBack::of("C5", "reversal", "R5", 3000)
        .at("2026-11-26T15:00:00Z")
        .add(&env);
    env.set_now(LATER);
    env.sync();
    assert_eq!(env.row("C5")["error"]["code"], "changed_after_booking");
    let refused = env.said(&["retry", "C5", "--undo-booking"]);
    assert!(refused.starts_with("exit: 1"), "{refused}");
    assert!(
        crate::common::flat(&refused).contains("no longer as this tool booked it"),
        "{refused}"
    );
    assert_eq!(env.booked("C5").len(), 1, "the changed payment stays");
    assert_eq!(env.row("C5")["tab"], "fouten");
}

#[test]
fn a_pending_refund_changes_nothing_until_it_succeeds() {
    let env = booked_shop();
    TakenBack::of("C6", "refund", "P6", 2000)
        .status("pending")
        .at("2026-11-26T15:00:00Z")
        .add(&env);
    // A newer sale moves the fetch window past the refund: only reading it again by its
    // reference can see it settle.
    InvoicePaid::new("2026-0009", 900)
        .paid_by("C9")
        .at("2026-11-27T11:00:00Z")
        .add(&env);
    env.set_now(LATER);
    env.sync();
    assert_eq!(env.row("C6")["tab"], "rapportage");
    // Days later the refund succeeds; the hourly sync reads it again by its reference.
    env.world()
        .settle_transaction("P6", "success", ms("2026-11-28T09:00:00Z"));
    env.set_now("2026-11-28T12:00:00Z");
    env.sync();
    assert_eq!(env.row("C6")["error"]["code"], "changed_after_booking");
}

#[test]
fn a_refund_fetched_before_its_payment_is_booked_is_not_missed() {
    let env = Env::new(NOW);
    InvoicePaid::new("2026-0001", 6000).method("card").add(&env);
    TakenBack::of("C1", "refund", "P1", 6000)
        .at("2026-11-25T11:00:00Z")
        .add(&env);
    env.sync();
    // Booked in this run after the refund was read: the refund is raised all the same.
    assert_eq!(env.booked("C1").len(), 1);
    assert_eq!(env.row("C1")["error"]["code"], "changed_after_booking");
}

/// Resolving it when handled by hand: the booking stays recorded, in Rapportage.
#[test]
fn resolving_a_changed_booking_keeps_it() {
    let env = booked_shop();
    TakenBack::of("C1", "refund", "P1", 6000)
        .at("2026-11-26T15:00:00Z")
        .add(&env);
    env.set_now(LATER);
    env.sync();
    let payment = env.row("C1")["moneybird_payment_id"].clone();
    env.ok(&["resolve", "C1", "--note", "credit invoice 2026-0100 made"]);
    let row = env.row("C1");
    assert_eq!(row["tab"], "rapportage");
    assert_eq!(row["moneybird_payment_id"], payment);
    env.ok(&["resolve", "--undo", "C1"]);
    assert_eq!(env.row("C1")["error"]["code"], "changed_after_booking");
    assert_eq!(env.booked("C1").len(), 1);
}

/// The Moneybird requests the drift audit of the last recheck made: from its GET of every
/// invoice's version (`state:all`) through the POSTs that read the moved invoices.
fn audit_requests(env: &Env, since: usize) -> usize {
    let world = env.world();
    let log: Vec<_> = world
        .requests(ccv_moneybird_sandbox::Api::Moneybird)
        .skip(since)
        .collect();
    let Some(start) = log
        .iter()
        .position(|request| request.method == "GET" && request.query.contains("state%3Aall"))
    else {
        return 0;
    };
    1 + log[start + 1..]
        .iter()
        .take_while(|request| {
            request.method == "POST" && request.path.ends_with("synchronization.json")
        })
        .count()
}

#[test]
fn recheck_finds_a_deleted_and_a_changed_booking_as_drift_and_books_nothing() {
    let env = booked_shop();
    let before = env.moneybird_requests();
    env.ok(&["recheck"]);
    // First audit: one GET of versions, one POST for the five invoices.
    assert_eq!(audit_requests(&env, before), 2);
    let before = env.moneybird_requests();
    env.ok(&["recheck"]);
    assert_eq!(
        audit_requests(&env, before),
        1,
        "nothing moved: only the versions are read"
    );

    // The bookkeeper deletes one of this tool's payments and changes another's price.
    let deleted = env.row("C1")["moneybird_payment_id"]
        .as_str()
        .unwrap()
        .to_string();
    let changed = env.row("C2")["moneybird_payment_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(env.world().delete_payment(&deleted));
    assert!(
        env.world()
            .change_payment(&changed, Some(Cents(4900)), None)
    );
    let posts = env.payment_posts();
    let before = env.moneybird_requests();
    let said = env.ok(&["recheck"]);
    assert!(
        said.contains("2 booked payments are back in Fouten"),
        "{said}"
    );
    assert!(audit_requests(&env, before) <= 5usize.div_ceil(100) + 2);
    assert_eq!(
        env.payment_posts(),
        posts,
        "nothing is booked again by itself"
    );

    let c1 = env.row("C1");
    assert_eq!(
        (c1["tab"].as_str(), c1["error"]["code"].as_str()),
        (Some("fouten"), Some("drift"))
    );
    assert!(
        c1["error"]["message"]
            .as_str()
            .unwrap()
            .contains("was deleted"),
        "{c1}"
    );
    assert!(c1["moneybird_payment_id"].is_null());
    let c2 = env.row("C2");
    assert_eq!(c2["error"]["code"], "drift");
    assert!(
        c2["error"]["message"]
            .as_str()
            .unwrap()
            .contains("now € 49,00"),
        "{c2}"
    );
    for untouched in ["C3", "C5", "C6"] {
        assert_eq!(env.row(untouched)["tab"], "rapportage", "{untouched}");
    }

    // Another recheck leaves them where they are; a person's retry books the deleted one
    // again, once.
    env.ok(&["recheck"]);
    assert!(env.booked("C1").is_empty());
    // (C4 still has no invoice: that retry ends in exit 1, and must leave C1 alone.)
    env.run(&["retry", "--all-fouten"]);
    assert!(
        env.booked("C1").is_empty(),
        "retry --all-fouten never touches drift"
    );
    env.ok(&["retry", "C1"]);
    let again = env.booked("C1");
    assert_eq!(again.len(), 1);
    assert_eq!(
        (again[0].invoice.as_str(), again[0].price),
        ("2026-0001", Cents(6000))
    );
    assert_eq!(env.row("C1")["tab"], "rapportage");
}

#[test]
fn the_audit_reads_a_hundred_invoices_a_request() {
    // Enough requests to book all of them in one run: the rate limit is not what this is
    // about.
    let env = Env::with_options(
        NOW,
        ccv_moneybird_sandbox::Options {
            rate_limit_requests: 1000,
            ..ccv_moneybird_sandbox::Options::default()
        },
    );
    for index in 0..150 {
        InvoicePaid::new(&format!("2026-{:04}", 1000 + index), 1000 + index)
            .paid_by(&format!("C{index:03}"))
            .at(&format!(
                "2026-11-25T10:{:02}:{:02}Z",
                index / 60,
                index % 60
            ))
            .add(&env);
    }
    env.sync();
    let booked = env
        .rows()
        .iter()
        .filter(|row| row["tab"] == "rapportage")
        .count();
    assert_eq!(booked, 150);
    env.set_now("2026-11-27T03:17:00Z");
    let before = env.moneybird_requests();
    env.ok(&["recheck"]);
    let audit = audit_requests(&env, before);
    assert_eq!(audit, 3, "one GET and two POSTs of at most 100");
    assert!(audit <= 150usize.div_ceil(100) + 2);
}

/// Someone replaced this tool's payment by one of their own with the same transaction id:
/// `--undo-booking` never deletes theirs.
#[test]
fn undoing_never_deletes_a_payment_someone_else_made() {
    let env = booked_shop();
    TakenBack::of("C2", "chargeback", "K2", 5000)
        .at("2026-11-26T15:05:00Z")
        .add(&env);
    env.set_now(LATER);
    env.sync();
    let ours = env.row("C2")["moneybird_payment_id"]
        .as_str()
        .unwrap()
        .to_string();
    let theirs = {
        let mut world = env.world();
        assert!(world.delete_payment(&ours));
        world
            .book_by_hand_with_identifier(
                "2026-0002",
                Cents(5000),
                chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
                Some("C2"),
            )
            .unwrap()
    };
    env.ok(&["retry", "C2", "--undo-booking"]);
    let left = env.booked("C2");
    assert_eq!(left.len(), 1, "their payment is still there");
    assert!(
        env.world()
            .moneybird
            .invoices
            .iter()
            .flat_map(|invoice| &invoice.payments)
            .any(|payment| payment.id == theirs)
    );
    let row = env.row("C2");
    assert_eq!(row["tab"], "closed");
    assert!(
        row["resolution"]["note"]
            .as_str()
            .unwrap()
            .contains("was no longer on invoice 2026-0002"),
        "{row}"
    );
}
