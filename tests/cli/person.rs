//! A person in the loop (issue 9): the bookkeeper acts in Moneybird's own screens between
//! two runs, following the tool's advice, and still no payment is booked twice; every row
//! can leave Fouten; one record that cannot be read stops only itself.

use ccv_moneybird_sandbox::Cents;
use ccv_moneybird_sandbox::seed::NewInvoice;
use chrono::NaiveDate;
use serde_json::Value;

use crate::common::{Env, InvoicePaid, Sale};

const NOW: &str = "2026-11-26T12:00:00Z";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn id_of(env: &Env, reference: &str) -> String {
    env.row(reference)["id"].to_string()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn fouten(env: &Env) -> usize {
    env.rows()
        .iter()
        .filter(|row| row["tab"] == "fouten")
        .count()
}

/// Two open invoices of € 240,44 sharing the order reference a payment carries.
fn ambiguous_pair(env: &Env, reference: &str) {
    let mut world = env.world();
    world.add_invoice(
        NewInvoice::sales("2026-0202", Cents(24044))
            .reference("ORDER-201")
            .customer("Bakkerij De Korenaar"),
    );
    world.add_invoice(
        NewInvoice::sales("2026-0203", Cents(24044))
            .reference("ORDER-201")
            .customer("Fietsenmaker Van Dam"),
    );
    let mut payment = Sale::new(reference, 24044)
        .at("2026-11-25T09:30:00Z")
        .build();
    payment.merchant_order_reference = Some("ORDER-201".into());
    world.add_transaction(payment);
}

/// All payments Moneybird holds on the invoice with this number, whoever made them.
fn payments_on(env: &Env, number: &str) -> Vec<(Option<String>, Cents, Option<String>)> {
    env.world()
        .moneybird
        .invoices
        .iter()
        .find(|invoice| invoice.number.as_deref() == Some(number))
        .map(|invoice| {
            invoice
                .payments
                .iter()
                .map(|payment| {
                    (
                        payment.transaction_identifier.clone(),
                        payment.price,
                        payment.manual_payment_action.clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn invoice_state(env: &Env, number: &str) -> String {
    env.world()
        .moneybird
        .invoices
        .iter()
        .find(|invoice| invoice.number.as_deref() == Some(number))
        .map(|invoice| invoice.state.clone())
        .unwrap()
}

#[test]
fn an_ambiguous_payment_booked_by_hand_is_not_booked_again_by_retry_recheck_or_retry_all() {
    let env = Env::new(NOW);
    ambiguous_pair(&env, "C201");
    env.sync();
    assert_eq!(env.row("C201")["error"]["code"], "ambiguous_match");
    let id = id_of(&env, "C201");

    // The bookkeeper books it by hand on 2026-0202, in Moneybird's own screen.
    let hand = env
        .world()
        .book_by_hand("2026-0202", Cents(24044), today())
        .unwrap();

    // Only 2026-0203 is open now, the one a blind retry would pay.
    let output = env.run(&["retry", &id]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("booked_by_hand"), "{output:?}");
    assert!(stderr(&output).contains("resolve"), "{output:?}");
    env.ok(&["recheck"]);
    let output = env.ok(&["retry", "--all-fouten"]);
    assert!(output.contains("Nothing in Fouten"), "{output}");
    env.sync();
    // Not even when the other invoice is named: the hand booking is seen first.
    let output = env.run(&["retry", &id, "--invoice", "2026-0203"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("booked_by_hand"), "{output:?}");

    assert!(env.booked("C201").is_empty(), "the tool booked nothing");
    assert!(
        payments_on(&env, "2026-0203").is_empty(),
        "2026-0203 unpaid"
    );
    assert_eq!(payments_on(&env, "2026-0202").len(), 1, "the hand booking");
    assert_eq!(env.payment_posts(), 0);
    let row = env.row("C201");
    assert_eq!(row["error"]["code"], "booked_by_hand");
    let info = env.ok(&["info", &id]);
    assert!(info.contains(&hand), "info names the hand payment:\n{info}");

    // Fouten reaches zero: the bookkeeper says it is handled.
    let out = env.ok(&["resolve", &id, "--note", "booked by hand on 2026-0202"]);
    assert!(out.contains("resolved"), "{out}");
    let row = env.row("C201");
    assert_eq!(row["tab"], "rapportage");
    assert_eq!(row["error"], Value::Null);
    assert_eq!(row["resolution"]["note"], "booked by hand on 2026-0202");
    assert_eq!(row["resolution"]["moneybird_payment_id"], hand.as_str());
    assert!(
        row["resolution"]["at"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-26T12:00:00")
    );
    assert_eq!(fouten(&env), 0);
    let table = env.ok(&["status", "--tab", "rapportage"]);
    assert!(table.contains("resolved: booked by hand"), "{table}");

    // Never touched again: not by a retry, not by the nightly pass.
    let output = env.run(&["retry", &id]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("resolved"), "{output:?}");
    env.ok(&["recheck"]);
    assert_eq!(env.payment_posts(), 0);

    // Undone, it is back where it was.
    env.ok(&["resolve", "--undo", &id]);
    let row = env.row("C201");
    assert_eq!(row["tab"], "fouten");
    assert_eq!(row["error"]["code"], "booked_by_hand");
    assert_eq!(row["resolution"], Value::Null);
    env.ok(&["recheck"]);
    assert_eq!(env.payment_posts(), 0);
}

#[test]
fn the_nightly_recheck_does_not_book_again_what_the_bookkeeper_booked_by_hand() {
    // The wrong code this catches: a recheck that matches the still-open invoice and books
    // because the checks pass now, without looking at what was paid by hand since.
    let env = Env::new(NOW);
    env.write_config("allow_partial = false");
    env.world()
        .add_invoice(NewInvoice::sales("2026-0079", Cents(10000)));
    env.world().add_transaction(
        Sale::new("C79", 5000)
            .described("Factuur 2026-0079")
            .build(),
    );
    env.sync();
    assert_eq!(env.row("C79")["error"]["code"], "partial_payment");

    // As the advice says: booked by hand. Then partial payments are allowed after all.
    env.world()
        .book_by_hand("2026-0079", Cents(5000), today())
        .unwrap();
    env.write_config("allow_partial = true");
    env.set_now("2026-11-27T03:30:00Z");
    env.ok(&["recheck"]);

    assert!(env.booked("C79").is_empty());
    assert_eq!(payments_on(&env, "2026-0079").len(), 1);
    assert_eq!(env.row("C79")["error"]["code"], "booked_by_hand");
    assert_eq!(env.payment_posts(), 0);
}

#[test]
fn a_payment_booked_by_hand_before_the_tool_saw_it_is_not_booked_again() {
    let env = Env::new(NOW);
    env.world()
        .add_invoice(NewInvoice::sales("2026-0080", Cents(10000)));
    env.world().add_transaction(
        Sale::new("C80", 4000)
            .at("2026-11-26T10:00:00Z")
            .described("Factuur 2026-0080")
            .build(),
    );
    // Faster than cron: the bookkeeper saw the money come in and typed it in.
    env.world()
        .book_by_hand("2026-0080", Cents(4000), today())
        .unwrap();

    env.sync();

    assert!(env.booked("C80").is_empty());
    assert_eq!(env.row("C80")["error"]["code"], "booked_by_hand");
}

#[test]
fn an_ambiguous_payment_is_booked_only_on_the_invoice_a_person_names() {
    let env = Env::new(NOW);
    ambiguous_pair(&env, "C201");
    env.sync();
    let id = id_of(&env, "C201");

    // Without a terminal nothing is asked: the candidates and the flag are named.
    let output = env.run(&["retry", &id]);
    assert_eq!(output.status.code(), Some(1));
    let said = stderr(&output);
    assert!(said.contains("--invoice"), "{said}");
    assert!(
        said.contains("2026-0202") && said.contains("2026-0203"),
        "{said}"
    );
    assert!(env.booked("C201").is_empty());

    // A name that is no open post changes nothing.
    let output = env.run(&["retry", &id, "--invoice", "2026-9999"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no open invoice is named `2026-9999`"));
    assert_eq!(env.row("C201")["error"]["code"], "ambiguous_match");

    let out = env.ok(&["retry", &id, "--invoice", "2026-0203"]);
    assert!(out.contains("booked on invoice 2026-0203"), "{out}");
    let booked = env.booked("C201");
    assert_eq!(booked.len(), 1);
    assert_eq!(booked[0].invoice, "2026-0203");
    assert_eq!(booked[0].price, Cents(24044));
    assert_eq!(booked[0].date, "2026-11-25");
    assert_eq!(env.row("C201")["invoice"], "2026-0203");

    // Once booked, never again, whichever invoice is named.
    let output = env.run(&["retry", &id, "--invoice", "2026-0202"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("already booked"), "{output:?}");
    assert_eq!(env.booked("C201").len(), 1);
    assert!(payments_on(&env, "2026-0202").is_empty());
}

#[test]
fn a_currency_mismatch_booked_by_hand_as_advised_leaves_fouten() {
    let env = Env::new(NOW);
    env.world()
        .add_invoice(NewInvoice::sales("2026-0300", Cents(23000)));
    let mut pounds = Sale::new("C300", 19600)
        .method("card")
        .described("Factuur 2026-0300")
        .build();
    pounds.currency = "gbp".into();
    env.world().add_transaction(pounds);
    env.sync();
    let id = id_of(&env, "C300");
    assert_eq!(env.row("C300")["error"]["code"], "currency_mismatch");
    // Each currency shown as itself: never a euro sign on pounds.
    let table = env.ok(&["status", "--tab", "fouten"]);
    assert!(
        table.contains("£ 196,00") && !table.contains("€ 196,00"),
        "{table}"
    );
    let info = env.ok(&["info", &id]);
    assert!(info.contains("transaction-id field"), "{info}");
    assert!(info.contains(&format!("resolve {id}")), "{info}");

    // As the advice says: by hand, in euros, with the CCV reference as transaction id.
    let hand = env
        .world()
        .book_by_hand_with_identifier("2026-0300", Cents(23000), today(), Some("C300"))
        .unwrap();
    let output = env.run(&["retry", &id]);

    // Not sent round to "refund one payment in CCV": it is seen for what it is.
    assert_eq!(output.status.code(), Some(1));
    let row = env.row("C300");
    assert_eq!(row["error"]["code"], "already_booked");
    assert!(stderr(&output).contains("resolve"), "{output:?}");
    assert_eq!(env.booked("C300").len(), 1, "only the bookkeeper's");

    env.ok(&["resolve", &id, "--note", "booked by hand in euros"]);
    let row = env.row("C300");
    assert_eq!(row["tab"], "rapportage");
    assert_eq!(row["resolution"]["moneybird_payment_id"], hand.as_str());
    assert_eq!(fouten(&env), 0);
}

#[test]
fn the_rounding_tolerance_leaves_every_invoice_paid_both_ways() {
    // The wrong code this catches: posting the CCV amount (16.15) on an open 16.10, which
    // Moneybird refuses, or leaving 0.05 open below it.
    let env = Env::new(NOW);
    env.write_config("rounding_tolerance = \"0.05\"\nallow_partial = false");
    InvoicePaid::new("2026-0400", 1610)
        .paid_by("C400")
        .add(&env);
    InvoicePaid::new("2026-0401", 1610)
        .paid_by("C401")
        .at("2026-11-25T11:00:00Z")
        .add(&env);
    env.world().ccv.transaction_mut("C400").unwrap().amount = Cents(1615);
    env.world().ccv.transaction_mut("C401").unwrap().amount = Cents(1605);

    env.sync();

    // Above: the open amount is booked, the 0.05 stays on the tussenrekening.
    let above = env.booked("C400");
    assert_eq!(above.len(), 1);
    assert_eq!(above[0].price, Cents(1610));
    assert_eq!(invoice_state(&env, "2026-0400"), "paid");
    let row = env.row("C400");
    assert_eq!(
        (row["amount"].as_str(), row["booked"].as_str()),
        (Some("16.15"), Some("16.10"))
    );
    assert_eq!(row["difference"], "0.05");
    let info = env.ok(&["info", "C400"]);
    assert!(info.contains("€ 0,05 more than was open"), "{info}");

    // Below: the payment, and a rounding payment that closes the invoice.
    let below = payments_on(&env, "2026-0401");
    assert_eq!(below.len(), 2, "{below:?}");
    assert_eq!(
        below[0],
        (
            Some("C401".into()),
            Cents(1605),
            Some("balance_settlement".into())
        )
    );
    assert_eq!(
        below[1],
        (Some("C401".into()), Cents(5), Some("rounding_error".into()))
    );
    assert_eq!(invoice_state(&env, "2026-0401"), "paid");
    assert_eq!(env.row("C401")["tab"], "rapportage");
    assert_eq!(env.row("C401")["difference"], Value::Null);

    // Both are this tool's own after the state file is lost: nothing is posted again.
    let posts = env.payment_posts();
    env.lose_state_file();
    env.sync();
    assert_eq!(env.payment_posts(), posts);
    for reference in ["C400", "C401"] {
        let row = env.row(reference);
        assert_eq!(row["tab"], "rapportage", "{row}");
        assert_eq!(
            row["resolution"],
            Value::Null,
            "ours, not someone else's: {row}"
        );
    }
}

#[test]
fn a_crash_between_the_booking_and_its_rounding_payment_is_finished_not_doubled() {
    let env = Env::new(NOW);
    env.write_config("rounding_tolerance = \"0.05\"");
    InvoicePaid::new("2026-0402", 1610)
        .paid_by("C402")
        .add(&env);
    env.world().ccv.transaction_mut("C402").unwrap().amount = Cents(1607);
    // The booking is made, but its answer is lost: the run stops before the rounding.
    env.world().faults.lose_payment_answers = 1;

    env.sync();
    assert_eq!(payments_on(&env, "2026-0402").len(), 1);
    assert_eq!(env.row("C402")["tab"], "open");

    env.sync();

    let payments = payments_on(&env, "2026-0402");
    assert_eq!(payments.len(), 2, "{payments:?}");
    assert_eq!(payments[0].1, Cents(1607));
    assert_eq!(
        payments[1],
        (Some("C402".into()), Cents(3), Some("rounding_error".into()))
    );
    assert_eq!(invoice_state(&env, "2026-0402"), "paid");
    assert_eq!(env.row("C402")["tab"], "rapportage");
    env.sync();
    assert_eq!(payments_on(&env, "2026-0402").len(), 2);
}

#[test]
fn one_unreadable_ccv_transaction_stops_only_itself() {
    let env = Env::new(NOW);
    InvoicePaid::new("2026-0500", 1000)
        .paid_by("C500")
        .add(&env);
    InvoicePaid::new("2026-0501", 1025)
        .paid_by("C501")
        .at("2026-11-25T10:05:00Z")
        .add(&env);
    InvoicePaid::new("2026-0502", 3000)
        .paid_by("C502")
        .at("2026-11-25T10:10:00Z")
        .add(&env);
    InvoicePaid::new("2026-0503", 4000)
        .paid_by("C503")
        .at("2026-11-25T10:15:00Z")
        .add(&env);
    {
        let mut world = env.world();
        // Float noise from a sender that went through f64: it is 10.25.
        let noisy: Value = serde_json::from_str("10.249999999999998").unwrap();
        world.ccv.transaction_mut("C501").unwrap().wire_overrides = vec![("amount".into(), noisy)];
        // Finer than a cent, for real: this one cannot be read.
        let fine: Value = serde_json::from_str("30.005").unwrap();
        world.ccv.transaction_mut("C502").unwrap().wire_overrides = vec![("amount".into(), fine)];
        // No reference at all: nothing to keep a row under.
        world.ccv.transaction_mut("C503").unwrap().wire_overrides =
            vec![("reference".into(), Value::Null)];
    }

    let out = env.sync();

    assert_eq!(env.booked("C500")[0].price, Cents(1000));
    assert_eq!(env.booked("C501")[0].price, Cents(1025));
    assert!(env.booked("C502").is_empty());
    let row = env.row("C502");
    assert_eq!(row["tab"], "fouten");
    assert_eq!(row["error"]["code"], "unreadable");
    assert!(out.contains("C502") && out.contains("unreadable"), "{out}");
    assert!(out.contains("CCV transaction without a reference"), "{out}");
    let info = env.ok(&["info", "C502"]);
    assert!(info.contains("30.005"), "the raw JSON is kept:\n{info}");

    // CCV corrects it; the nightly pass books it.
    env.world()
        .ccv
        .transaction_mut("C502")
        .unwrap()
        .wire_overrides
        .clear();
    env.ok(&["recheck"]);
    assert_eq!(env.booked("C502")[0].price, Cents(3000));
    assert_eq!(env.row("C502")["tab"], "rapportage");
}

/// Sends this payment's price as null, as Moneybird's schema allows.
fn null_price(world: &mut ccv_moneybird_sandbox::World, payment: &str) {
    let record = world
        .moneybird
        .invoices
        .iter_mut()
        .flat_map(|invoice| invoice.payments.iter_mut())
        .find(|record| record.id == payment)
        .unwrap();
    record.wire_overrides = vec![("price".into(), Value::Null)];
}

#[test]
fn one_unreadable_moneybird_record_stops_only_itself() {
    let env = Env::new(NOW);
    InvoicePaid::new("2026-0600", 1000)
        .paid_by("C600")
        .add(&env);
    InvoicePaid::new("2026-0601", 2000)
        .paid_by("C601")
        .at("2026-11-25T10:05:00Z")
        .add(&env);
    InvoicePaid::new("2026-0602", 3000)
        .paid_by("C602")
        .at("2026-11-25T10:10:00Z")
        .add(&env);
    InvoicePaid::new("2026-0603", 4000)
        .paid_by("C603")
        .at("2026-11-25T10:15:00Z")
        .add(&env);
    {
        let mut world = env.world();
        // Moneybird's schema allows a payment without a price.
        let day = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let price = world.book_by_hand("2026-0601", Cents(500), day).unwrap();
        null_price(&mut world, &price);
        world.ccv.transaction_mut("C601").unwrap().amount = Cents(1500);
        // And a payment with a null price that carries C603's transaction id: someone
        // registered it, so it is never booked again.
        let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let carrying = world
            .book_by_hand_with_identifier("2026-0603", Cents(100), day, Some("C603"))
            .unwrap();
        null_price(&mut world, &carrying);
        // An invoice whose open amount cannot be read.
        let broken = world
            .moneybird
            .invoices
            .iter_mut()
            .find(|invoice| invoice.number.as_deref() == Some("2026-0602"))
            .unwrap();
        broken.wire_overrides = vec![("total_unpaid".into(), Value::String("dertig".into()))];
    }

    let out = env.sync();

    assert_eq!(
        env.booked("C600")[0].price,
        Cents(1000),
        "{out}\n{:#?}",
        env.rows()
    );
    assert_eq!(env.booked("C601")[0].invoice, "2026-0601");
    assert!(env.booked("C602").is_empty(), "its invoice cannot be read");
    assert_eq!(env.row("C602")["tab"], "fouten");
    assert_eq!(env.row("C603")["error"]["code"], "already_booked");
    assert_eq!(env.booked("C603").len(), 1, "only the one Moneybird had");
    assert!(
        out.contains("left out, cannot be read") && out.contains("total_unpaid"),
        "{out}"
    );
}

#[test]
fn an_unknown_ledger_account_posts_nothing_and_the_other_methods_go_on() {
    let env = Env::new(NOW);
    let card = env.shop.ledger_accounts["card"].clone();
    std::fs::write(
        env.config_path(),
        std::fs::read_to_string(env.config_path())
            .unwrap()
            .replace(&env.shop.ledger_accounts["ideal"], "Tussenrekening iDEAL"),
    )
    .unwrap();
    InvoicePaid::new("2026-0700", 1000)
        .paid_by("C700")
        .add(&env);
    InvoicePaid::new("2026-0701", 2000)
        .paid_by("C701")
        .at("2026-11-25T10:05:00Z")
        .add(&env);
    InvoicePaid::new("2026-0702", 3000)
        .paid_by("C702")
        .method("card")
        .at("2026-11-25T10:10:00Z")
        .add(&env);

    let dry = env.ok(&["sync", "--dry-run"]);
    assert!(dry.contains("ledger_account_unknown"), "{dry}");
    env.sync();

    assert_eq!(env.payment_posts(), 1, "only the card payment was posted");
    assert_eq!(
        env.booked("C702")[0].ledger_account_id.as_deref(),
        Some(card.as_str())
    );
    for reference in ["C700", "C701"] {
        let row = env.row(reference);
        assert_eq!(row["error"]["code"], "ledger_account_unknown");
        let message = row["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("ideal") && message.contains("Tussenrekening iDEAL"),
            "{message}"
        );
    }

    // Fixed in the config, the retry books them.
    env.write_config("");
    env.ok(&["retry", "--all-fouten"]);
    assert_eq!(env.booked("C700").len(), 1);
    assert_eq!(env.booked("C701").len(), 1);
}

#[test]
fn an_inactive_ledger_account_posts_nothing() {
    let env = Env::new(NOW);
    let ideal = env.shop.ledger_accounts["ideal"].clone();
    env.world()
        .moneybird
        .ledger_accounts
        .iter_mut()
        .find(|ledger| ledger.id == ideal)
        .unwrap()
        .active = false;
    InvoicePaid::new("2026-0710", 1000)
        .paid_by("C710")
        .add(&env);

    env.sync();

    assert_eq!(env.payment_posts(), 0);
    let message = env.row("C710")["error"]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains("not active"), "{message}");
}

#[test]
fn a_dry_run_promises_no_ids_and_gives_totals() {
    let env = Env::new(NOW);
    InvoicePaid::new("2026-0800", 1000)
        .paid_by("C800")
        .add(&env);
    InvoicePaid::new("2026-0801", 2500)
        .paid_by("C801")
        .at("2026-11-25T10:05:00Z")
        .add(&env);
    ambiguous_pair(&env, "C802");
    env.world().add_transaction(
        Sale::new("C803", 999)
            .at("2026-11-25T10:15:00Z")
            .described("Factuur 2026-9999")
            .build(),
    );

    let out = env.ok(&["sync", "--dry-run"]);

    assert!(
        !out.contains('#'),
        "no ids for rows that were not stored:\n{out}"
    );
    assert!(!out.contains("status"), "no tab promised:\n{out}");
    assert!(
        out.contains("would book C800 € 10,00 on invoice 2026-0800"),
        "{out}"
    );
    let total = |what: &str| {
        out.lines()
            .skip_while(|line| !line.starts_with("Totals"))
            .find(|line| line.trim_start().starts_with(what))
            .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| panic!("no total for {what}:\n{out}"))
    };
    assert_eq!(total("would book"), "would book 2 € 35,00");
    assert_eq!(total("ambiguous_match"), "ambiguous_match 1 € 240,44");
    assert_eq!(total("no_open_post"), "no_open_post 1 € 9,99");
    assert!(env.rows().is_empty());
    assert_eq!(env.payment_count(), 0);
}

#[test]
fn connect_refuses_a_method_ccv_does_not_offer_and_reuses_a_tussenrekening() {
    let env = Env::new(NOW);
    let accounts = env.world().moneybird.ledger_accounts.len();
    let token = format!("{}\n", env.shop.moneybird_token);

    let output = env.run_with_input(
        &[
            "connect",
            "moneybird",
            "--token-stdin",
            "--ledger-account",
            "creditcard=new",
        ],
        &token,
    );
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let said = stderr(&output);
    assert!(
        said.contains("CCV offers no payment method `creditcard`"),
        "{said}"
    );
    assert!(said.contains("ideal") && said.contains("card"), "{said}");
    assert_eq!(
        env.world().moneybird.ledger_accounts.len(),
        accounts,
        "nothing created"
    );

    let output = env.run_with_input(
        &[
            "connect",
            "moneybird",
            "--token-stdin",
            "--ledger-account",
            "ideal=new",
        ],
        &token,
    );
    assert!(output.status.success(), "{output:?}");
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        said.contains("Using the existing ledger account “Tussenrekening CCV iDEAL”"),
        "{said}"
    );
    assert_eq!(
        env.world().moneybird.ledger_accounts.len(),
        accounts,
        "no second one"
    );
}

#[test]
fn the_report_of_a_booked_payment_says_so_in_its_subject() {
    let env = Env::new(NOW);
    InvoicePaid::new("2026-0900", 1000)
        .paid_by("C900")
        .add(&env);
    env.sync();
    let path = env.dir.path().join("report.md");

    let out = env.ok(&["report", "C900", "--output", path.to_str().unwrap()]);

    let subject = out
        .lines()
        .find(|line| line.starts_with("mailto:"))
        .unwrap();
    assert!(
        subject.contains("booked%20on%20invoice%202026%2D0900"),
        "{subject}"
    );
    assert!(!subject.contains("not%20booked"), "{subject}");
}

#[test]
fn at_a_terminal_retry_offers_the_candidates_of_an_ambiguous_payment() {
    let env = Env::new(NOW);
    ambiguous_pair(&env, "C201");
    env.sync();
    let id = id_of(&env, "C201");

    let command = env.command(&["retry", &id]);
    let mut session = rexpect::session::spawn_command(command, Some(15_000)).expect("a pty");
    session.exp_string("fits several open invoices").unwrap();
    // Each told apart as a person would: customer, what is open, and its date (the pty
    // hands the euro sign back as bytes, so the amount is matched from its digits).
    for customer in [
        "invoice 2026-0202: Bakkerij De Korenaar,",
        "invoice 2026-0203: Fietsenmaker Van Dam,",
    ] {
        session.exp_string(customer).unwrap();
        session.exp_string("240,44 open, dated 2026-11-19").unwrap();
    }
    // The first candidate is 2026-0202; one down is 2026-0203.
    session.send("\x1b[A").unwrap();
    session.send("\x1b[A").unwrap();
    session.send("\x1b[B").unwrap();
    session.send_line("").unwrap();
    let (before, _) = session.exp_regex("booked on invoice .*").unwrap();
    session.exp_eof().unwrap();

    let booked = env.booked("C201");
    assert_eq!(booked.len(), 1, "{before}");
    assert_eq!(booked[0].invoice, "2026-0203");
    assert!(payments_on(&env, "2026-0202").is_empty());
}
