//! Which invoice gets which payment, once, with which amount and date: one test per
//! outcome of issue 2.

use ccv_moneybird_sandbox::Cents;
use ccv_moneybird_sandbox::InvoiceType;
use ccv_moneybird_sandbox::seed::NewInvoice;

use crate::common::{Booked, Env, InvoicePaid, Sale, ms};

const NOW: &str = "2025-03-10T12:00:00Z";

#[test]
fn full_payment_matched_by_invoice_number_in_description() {
    let env = Env::new(NOW);
    env.world()
        .add_invoice(NewInvoice::sales("2025-0042", Cents(12100)));
    env.world()
        .add_invoice(NewInvoice::sales("2025-0043", Cents(12100)));
    env.world().add_transaction(
        Sale::new("C250304101512345CB87E192.A", 12100)
            .at("2025-03-04T10:15:12.345Z")
            .described("Factuur 2025-0042")
            .build(),
    );

    assert_eq!(env.sync(), "", "a clean sync says nothing");

    assert_eq!(
        env.booked("C250304101512345CB87E192.A"),
        vec![Booked {
            invoice: "2025-0042".into(),
            price: Cents(12100),
            date: "2025-03-04".into(),
            ledger_account_id: Some(env.shop.ledger_accounts["ideal"].clone()),
            manual_payment_action: Some("balance_settlement".into()),
        }]
    );
    let world = env.world();
    let invoice = world.moneybird.invoice_by_label("2025-0042").unwrap();
    assert_eq!(invoice.state, "paid");
    assert_eq!(
        world.moneybird.invoice_by_label("2025-0043").unwrap().state,
        "open"
    );
    drop(world);
    let row = env.row("C250304101512345CB87E192.A");
    assert_eq!(row["tab"], "rapportage");
    assert_eq!(row["invoice"], "2025-0042");
    assert_eq!(row["amount"], "121.00");
    assert!(row["moneybird_payment_id"].is_string());
    assert_eq!(row["error"], serde_json::Value::Null);
}

#[test]
fn payment_matched_by_order_reference_equal_to_invoice_reference() {
    let env = Env::new(NOW);
    env.world()
        .add_invoice(NewInvoice::sales("2025-0100", Cents(4995)).reference("ORDER-10042"));
    let mut transaction = Sale::new("C1", 4995)
        .method("paypal")
        .at("2025-03-05T09:00:00Z")
        .build();
    transaction.merchant_order_reference = Some("ORDER-10042".into());
    transaction.description = Some("Bestelling bij Parkietje".into());
    env.world().add_transaction(transaction);

    env.sync();

    // No tussenrekening is configured for PayPal: the body carries neither key.
    assert_eq!(
        env.booked("C1"),
        vec![Booked {
            invoice: "2025-0100".into(),
            price: Cents(4995),
            date: "2025-03-05".into(),
            ledger_account_id: None,
            manual_payment_action: None,
        }]
    );
    assert_eq!(env.row("C1")["invoice"], "2025-0100");
}

#[test]
fn external_sales_invoice_matched_by_its_reference() {
    let env = Env::new(NOW);
    env.world()
        .add_invoice(NewInvoice::sales("WEB-2025-1187", Cents(999)).reference("elsewhere"));
    env.world()
        .add_invoice(NewInvoice::external("WEB-2025-1188", Cents(2500)));
    let mut transaction = Sale::new("C2", 2500)
        .method("card")
        .at("2025-03-06T15:00:00Z")
        .build();
    transaction.merchant_order_reference = Some("WEB-2025-1188".into());
    env.world().add_transaction(transaction);

    env.sync();

    let booked = env.booked("C2");
    assert_eq!(booked.len(), 1);
    assert_eq!(booked[0].invoice, "WEB-2025-1188");
    assert_eq!(booked[0].price, Cents(2500));
    let world = env.world();
    let external = world.moneybird.invoice_by_label("WEB-2025-1188").unwrap();
    assert_eq!(external.kind, InvoiceType::External);
    assert_eq!(external.state, "paid");
    drop(world);
    assert_eq!(env.row("C2")["invoice"], "WEB-2025-1188");
}

#[test]
fn partial_payment_is_booked_and_leaves_the_rest_open() {
    let env = Env::new(NOW);
    env.world()
        .add_invoice(NewInvoice::sales("2025-0200", Cents(36300)));
    env.world().add_transaction(
        Sale::new("C3", 10000)
            .at("2025-03-07T08:00:00Z")
            .described("Termijn 1 van 2025-0200")
            .build(),
    );

    env.sync();

    assert_eq!(env.booked("C3").len(), 1);
    assert_eq!(env.booked("C3")[0].price, Cents(10000));
    let world = env.world();
    let invoice = world.moneybird.invoice_by_label("2025-0200").unwrap();
    assert_eq!(invoice.total_unpaid(), Cents(26300));
    assert_eq!(invoice.state, "open");
    drop(world);
    assert_eq!(env.row("C3")["tab"], "rapportage");
}

#[test]
fn partial_payments_refused_when_switched_off() {
    let env = Env::new(NOW);
    env.write_config("allow_partial = false");
    env.world()
        .add_invoice(NewInvoice::sales("2025-0201", Cents(36300)));
    env.world().add_transaction(
        Sale::new("C3B", 10000)
            .at("2025-03-07T08:00:00Z")
            .described("Factuur 2025-0201")
            .build(),
    );

    env.sync();

    assert!(env.booked("C3B").is_empty());
    assert_eq!(env.row("C3B")["error"]["code"], "partial_payment");
}

#[test]
fn overpayment_goes_to_fouten_and_books_nothing() {
    let env = Env::new(NOW);
    env.world()
        .add_invoice(NewInvoice::sales("2025-0300", Cents(10000)));
    env.world().add_transaction(
        Sale::new("C4", 10050)
            .at("2025-03-07T08:00:00Z")
            .described("Factuur 2025-0300")
            .build(),
    );

    let out = env.sync();

    assert!(env.booked("C4").is_empty());
    assert_eq!(env.payment_posts(), 0);
    let row = env.row("C4");
    assert_eq!(row["tab"], "fouten");
    assert_eq!(row["error"]["code"], "amount_exceeds_open");
    assert_eq!(row["invoice"], "2025-0300");
    assert!(
        out.contains("amount_exceeds_open"),
        "cron gets one short summary: {out}"
    );
}

#[test]
fn overpayment_within_the_rounding_tolerance_is_booked() {
    let env = Env::new(NOW);
    env.write_config("rounding_tolerance = \"0.05\"");
    env.world()
        .add_invoice(NewInvoice::sales("2025-0301", Cents(10000)));
    env.world().add_transaction(
        Sale::new("C4B", 10004)
            .at("2025-03-07T08:00:00Z")
            .described("Factuur 2025-0301")
            .build(),
    );

    env.sync();

    // Never a price above the open amount: the invoice's 100.00 is booked, and the 0.04
    // more that CCV paid stays on the tussenrekening, shown on the row.
    let booked = env.booked("C4B");
    assert_eq!(booked.len(), 1);
    assert_eq!(booked[0].price, Cents(10000));
    let row = env.row("C4B");
    assert_eq!(row["tab"], "rapportage");
    assert_eq!(row["amount"], "100.04");
    assert_eq!(row["booked"], "100.00");
    assert_eq!(row["difference"], "0.04");
}

#[test]
fn two_matching_open_invoices_book_nothing() {
    let env = Env::new(NOW);
    env.world()
        .add_invoice(NewInvoice::sales("2025-0400", Cents(5000)).reference("ORDER-7"));
    env.world()
        .add_invoice(NewInvoice::sales("2025-0401", Cents(5000)).reference("ORDER-7"));
    let mut transaction = Sale::new("C5", 5000).at("2025-03-08T10:00:00Z").build();
    transaction.merchant_order_reference = Some("ORDER-7".into());
    env.world().add_transaction(transaction);

    env.sync();

    assert_eq!(env.payment_count(), 0);
    let row = env.row("C5");
    assert_eq!(row["tab"], "fouten");
    assert_eq!(row["error"]["code"], "ambiguous_match");
    assert_eq!(row["invoice"], serde_json::Value::Null);
    let message = row["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("2025-0400") && message.contains("2025-0401"),
        "{message}"
    );
}

#[test]
fn no_open_post() {
    let env = Env::new(NOW);
    env.world()
        .add_invoice(NewInvoice::sales("2025-0500", Cents(5000)));
    env.world().add_transaction(
        Sale::new("C6", 5000)
            .at("2025-03-08T10:00:00Z")
            .described("Factuur 2025-0999")
            .build(),
    );

    env.sync();

    assert_eq!(env.payment_count(), 0);
    let row = env.row("C6");
    assert_eq!(row["error"]["code"], "no_open_post");
    assert_eq!(row["invoice"], serde_json::Value::Null);
}

#[test]
fn currency_mismatch() {
    let env = Env::new(NOW);
    env.world()
        .add_invoice(NewInvoice::sales("2025-0600", Cents(5000)));
    let mut transaction = Sale::new("C7", 5000)
        .method("card")
        .at("2025-03-08T10:00:00Z")
        .described("Invoice 2025-0600")
        .build();
    transaction.currency = "gbp".into();
    env.world().add_transaction(transaction);

    env.sync();

    assert_eq!(env.payment_count(), 0);
    let row = env.row("C7");
    assert_eq!(row["currency"], "GBP");
    assert_eq!(row["error"]["code"], "currency_mismatch");
}

#[test]
fn paid_invoice_is_not_open() {
    let env = Env::new(NOW);
    let invoice = env
        .world()
        .add_invoice(NewInvoice::sales("2025-0650", Cents(5000)));
    let paid_on = chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
    env.world()
        .add_manual_payment(InvoiceType::Sales, &invoice, None, Cents(5000), paid_on);
    env.world().add_transaction(
        Sale::new("C7B", 5000)
            .at("2025-03-08T10:00:00Z")
            .described("Factuur 2025-0650")
            .build(),
    );

    env.sync();

    assert_eq!(env.payment_count(), 1, "only the bookkeeper's payment");
    assert_eq!(env.row("C7B")["error"]["code"], "invoice_not_open");
    assert_eq!(env.row("C7B")["invoice"], "2025-0650");
}

#[test]
fn locked_period_is_refused_before_posting() {
    let env = Env::new(NOW);
    env.world()
        .lock_period_until(chrono::NaiveDate::from_ymd_opt(2025, 2, 28));
    env.world()
        .add_invoice(NewInvoice::sales("2025-0660", Cents(5000)));
    env.world()
        .add_invoice(NewInvoice::sales("2025-0661", Cents(5000)));
    env.world().add_transaction(
        Sale::new("C7C", 5000)
            .at("2025-02-28T22:30:00Z")
            .described("Factuur 2025-0660")
            .build(),
    );
    env.world().add_transaction(
        Sale::new("C7D", 5000)
            .at("2025-02-28T23:30:00Z")
            .described("Factuur 2025-0661")
            .build(),
    );

    env.sync();

    // 23:30 UTC on the 28th is already 1 March in Amsterdam: after the locked period.
    assert_eq!(env.row("C7C")["error"]["code"], "period_locked");
    assert_eq!(env.booked("C7D")[0].date, "2025-03-01");
    assert_eq!(env.payment_posts(), 1);
}

#[test]
fn pending_payment_waits_in_open_and_is_booked_once_ccv_says_success() {
    let env = Env::new(NOW);
    env.world()
        .add_invoice(NewInvoice::sales("2025-0700", Cents(60500)));
    env.world().add_transaction(
        Sale::new("C8", 60500)
            .status("pending")
            .method("banktransfer")
            .at("2025-03-01T08:00:00Z")
            .described("Factuur 2025-0700")
            .build(),
    );

    env.sync();
    assert_eq!(env.row("C8")["tab"], "open");
    assert_eq!(env.row("C8")["ccv_status"], "pending");
    assert_eq!(env.payment_count(), 0);

    // Three days later the transfer arrives, just after midnight in Amsterdam.
    env.world()
        .settle_transaction("C8", "success", ms("2025-03-03T23:10:00Z"));
    env.sync();

    let booked = env.booked("C8");
    assert_eq!(booked.len(), 1);
    assert_eq!(booked[0].date, "2025-03-04");
    assert_eq!(
        booked[0].ledger_account_id, None,
        "no tussenrekening for bank transfers"
    );
    assert_eq!(env.row("C8")["tab"], "rapportage");
}

#[test]
fn failed_and_cancelled_payments_are_closed() {
    let env = Env::new(NOW);
    env.world()
        .add_invoice(NewInvoice::sales("2025-0800", Cents(4995)));
    let mut cancelled = Sale::new("C9", 4995)
        .status("failed")
        .at("2025-03-04T11:00:00Z")
        .build();
    cancelled.description = Some("Factuur 2025-0800".into());
    let mut expired = Sale::new("C10", 4995)
        .status("failed")
        .at("2025-03-04T12:00:00Z")
        .build();
    expired.failure_code = Some("expired".into());
    expired.description = Some("Factuur 2025-0800".into());
    env.world().add_transaction(cancelled);
    env.world().add_transaction(expired);

    assert_eq!(env.sync(), "");

    assert_eq!(env.payment_count(), 0);
    for reference in ["C9", "C10"] {
        let row = env.row(reference);
        assert_eq!(row["tab"], "closed");
        assert_eq!(row["ccv_status"], "failed");
    }
}

#[test]
fn manual_intervention_stays_in_open() {
    let env = Env::new(NOW);
    env.world()
        .add_invoice(NewInvoice::sales("2025-0900", Cents(25000)));
    env.world().add_transaction(
        Sale::new("C11", 25000)
            .status("manualintervention")
            .method("paypal")
            .at("2025-03-05T09:00:00Z")
            .described("Factuur 2025-0900")
            .build(),
    );

    env.sync();

    assert_eq!(env.row("C11")["tab"], "open");
    assert_eq!(env.row("C11")["ccv_status"], "manualintervention");
    assert_eq!(env.payment_count(), 0);
}

#[test]
fn refund_is_never_booked_as_a_payment() {
    let env = Env::new(NOW);
    InvoicePaid::new("2025-1000", 12100)
        .paid_by("C12")
        .method("card")
        .at("2025-03-04T10:00:00Z")
        .add(&env);
    let mut refund = Sale::new("P12", 2100)
        .method("card")
        .at("2025-03-06T10:00:00Z")
        .described("Factuur 2025-1000")
        .build();
    refund.kind = "refund".into();
    refund.original_reference = Some("C12".into());
    env.world().add_transaction(refund);

    env.sync();

    assert!(env.booked("P12").is_empty());
    assert_eq!(env.booked("C12").len(), 1);
    assert_eq!(env.payment_count(), 1);
    let references: Vec<String> = env
        .rows()
        .iter()
        .map(|row| row["reference"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(references, vec!["C12"], "a refund gets no row of its own");
}

#[test]
fn payment_link_parent_and_child_are_booked_once() {
    let env = Env::new(NOW);
    env.world()
        .add_invoice(NewInvoice::sales("2025-1100", Cents(7500)));
    let mut parent = Sale::new("C13-PARENT", 7500)
        .method("landingpage")
        .at("2025-03-02T10:00:00Z")
        .described("Factuur 2025-1100")
        .build();
    parent.child_reference = Some("C13-CHILD".into());
    parent.status_final_ms = Some(ms("2025-03-02T10:05:12Z"));
    let child = Sale::new("C13-CHILD", 7500)
        .at("2025-03-02T10:05:12Z")
        .described("Factuur 2025-1100")
        .build();
    env.world().add_transaction(parent);
    env.world().add_transaction(child);

    env.sync();
    env.sync();

    assert!(env.booked("C13-CHILD").is_empty());
    let booked = env.booked("C13-PARENT");
    assert_eq!(booked.len(), 1, "booked once, under the parent's reference");
    assert_eq!(
        booked[0].ledger_account_id.as_deref(),
        Some(env.shop.ledger_accounts["ideal"].as_str()),
        "with the tussenrekening of the method that paid"
    );
    let rows = env.rows();
    assert_eq!(rows.len(), 1, "one row: {rows:?}");
    assert_eq!(rows[0]["method"], "ideal");
}

#[test]
fn payment_link_child_seen_before_its_parent_is_paid() {
    let env = Env::new(NOW);
    env.world()
        .add_invoice(NewInvoice::sales("2025-1101", Cents(7500)));
    env.world().add_transaction(
        Sale::new("C14-PARENT", 7500)
            .status("pending")
            .method("landingpage")
            .at("2025-03-02T10:00:00Z")
            .described("Factuur 2025-1101")
            .build(),
    );
    env.sync();
    assert_eq!(env.row("C14-PARENT")["tab"], "open");

    // The customer pays through the link; CCV adds the child and finishes the parent.
    env.world().add_transaction(
        Sale::new("C14-CHILD", 7500)
            .method("card")
            .at("2025-03-04T09:00:00Z")
            .described("Factuur 2025-1101")
            .build(),
    );
    {
        let mut world = env.world();
        let link = world.ccv.transaction_mut("C14-PARENT").unwrap();
        link.child_reference = Some("C14-CHILD".into());
    }
    env.world()
        .settle_transaction("C14-PARENT", "success", ms("2025-03-04T09:00:30Z"));
    env.sync();

    assert_eq!(env.booked("C14-PARENT").len(), 1);
    assert!(env.booked("C14-CHILD").is_empty());
    assert_eq!(env.rows().len(), 1);
    assert_eq!(env.row("C14-PARENT")["method"], "card");
}

#[test]
fn transaction_id_already_booked_by_someone_else() {
    let env = Env::new(NOW);
    // The bookkeeper typed it in by hand, a day later.
    InvoicePaid::new("2025-1200", 30000)
        .paid_by("C15")
        .amount(10000)
        .at("2025-03-04T10:00:00Z")
        .typed_in_by_hand_on("2025-03-05")
        .add(&env);

    // And another, typed with the wrong amount.
    InvoicePaid::new("2025-1201", 30000)
        .paid_by("C16")
        .amount(9000)
        .at("2025-03-04T11:00:00Z")
        .typed_in_by_hand_on("2025-03-05")
        .add(&env);
    env.world().ccv.transaction_mut("C16").unwrap().amount = Cents(10000);

    let out = env.sync();

    assert_eq!(env.payment_posts(), 0, "nothing posted for either");
    assert_eq!(env.booked("C15").len(), 1, "only the bookkeeper's payment");
    assert_eq!(env.booked("C16").len(), 1, "only the bookkeeper's payment");
    // The same amount: accounted for, in Rapportage with a resolution naming the payment.
    let same = env.row("C15");
    assert_eq!(same["tab"], "rapportage");
    assert_eq!(same["error"], serde_json::Value::Null);
    let note = same["resolution"]["note"].as_str().unwrap();
    assert!(note.contains("booked outside this tool"), "{note}");
    assert!(same["resolution"]["moneybird_payment_id"].is_string());
    // Another amount: the bookkeeper must look.
    let other = env.row("C16");
    assert_eq!(other["tab"], "fouten");
    assert_eq!(other["error"]["code"], "already_booked");
    assert!(out.contains("already_booked"), "{out}");
    assert!(
        !out.contains("C15"),
        "only what needs a person is said: {out}"
    );
}

#[test]
fn booking_date_is_the_amsterdam_calendar_day() {
    let env = Env::new("2025-04-01T12:00:00Z");
    env.world()
        .add_invoice(NewInvoice::sales("2025-1300", Cents(1000)));
    env.world()
        .add_invoice(NewInvoice::sales("2025-1301", Cents(1000)));
    env.world()
        .add_invoice(NewInvoice::sales("2025-1302", Cents(1000)));
    // Summer time starts on 30 March 2025: 23:30 UTC is 01:30 the next day.
    env.world().add_transaction(
        Sale::new("C16", 1000)
            .at("2025-03-30T23:30:00Z")
            .described("Factuur 2025-1300")
            .build(),
    );
    // Winter time: 23:30 UTC is 00:30 the next day.
    env.world().add_transaction(
        Sale::new("C17", 1000)
            .at("2025-03-15T23:30:00Z")
            .described("Factuur 2025-1301")
            .build(),
    );
    env.world().add_transaction(
        Sale::new("C18", 1000)
            .at("2025-03-15T22:59:59Z")
            .described("Factuur 2025-1302")
            .build(),
    );

    env.sync();

    assert_eq!(env.booked("C16")[0].date, "2025-03-31");
    assert_eq!(env.booked("C17")[0].date, "2025-03-16");
    assert_eq!(env.booked("C18")[0].date, "2025-03-15");
}

#[test]
fn booking_date_in_winter_january() {
    let env = Env::new("2025-01-20T12:00:00Z");
    InvoicePaid::new("2025-0001", 1000)
        .paid_by("C19")
        .method("card")
        .at("2025-01-15T23:30:00Z")
        .add(&env);

    env.sync();

    assert_eq!(env.booked("C19")[0].date, "2025-01-16");
}

#[test]
fn invoices_of_earlier_years_are_open_posts_too() {
    let env = Env::new("2026-01-05T12:00:00Z");
    let last_year = chrono::NaiveDate::from_ymd_opt(2024, 11, 2).unwrap();
    env.world()
        .add_invoice(NewInvoice::sales("2024-0777", Cents(1500)).dated(last_year));
    env.world().add_transaction(
        Sale::new("C20", 1500)
            .at("2026-01-04T10:00:00Z")
            .described("Factuur 2024-0777")
            .build(),
    );

    env.sync();

    assert_eq!(env.booked("C20").len(), 1);
}
