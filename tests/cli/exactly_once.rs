//! A payment is never booked twice: not by a rerun, a lost state file, an unclear answer,
//! or two runs at once.

use ccv_moneybird_sandbox::Cents;
use ccv_moneybird_sandbox::InvoiceType;
use ccv_moneybird_sandbox::seed::NewInvoice;

use crate::common::{Env, Sale};

const NOW: &str = "2025-03-10T12:00:00Z";

/// Five paid payments: three settle their invoice in full, two are partial.
fn shop_with_payments(env: &Env) {
    for index in 0..5 {
        let number = format!("2025-00{index}0");
        let total = if index < 3 { 10000 } else { 30000 };
        env.world()
            .add_invoice(NewInvoice::sales(&number, Cents(total)));
        let at = format!("2025-03-0{}T10:00:00Z", index + 2);
        env.world().add_transaction(
            Sale::new(&format!("C{index}"), 10000)
                .method(if index % 2 == 0 { "ideal" } else { "card" })
                .at(&at)
                .described(&format!("Factuur {number}"))
                .build(),
        );
    }
}

fn assert_each_booked_once(env: &Env) {
    for index in 0..5 {
        let booked = env.booked(&format!("C{index}"));
        assert_eq!(booked.len(), 1, "C{index}: {booked:?}");
        assert_eq!(booked[0].invoice, format!("2025-00{index}0"));
        assert_eq!(booked[0].price, Cents(10000));
    }
    assert_eq!(env.payment_count(), 5);
}

#[test]
fn a_second_sync_books_nothing() {
    let env = Env::new(NOW);
    shop_with_payments(&env);
    env.sync();
    assert_each_booked_once(&env);
    let posts = env.payment_posts();

    env.sync();

    assert_each_booked_once(&env);
    assert_eq!(env.payment_posts(), posts, "no POST the second time");
}

#[test]
fn a_lost_state_file_books_nothing_new_and_recovers_the_rows() {
    let env = Env::new(NOW);
    shop_with_payments(&env);
    env.sync();
    let before: Vec<serde_json::Value> = env.rows();
    let posts = env.payment_posts();

    env.lose_state_file();
    env.sync();

    assert_each_booked_once(&env);
    assert_eq!(env.payment_posts(), posts, "nothing was posted again");
    let after = env.rows();
    assert_eq!(after.len(), 5);
    for row in &after {
        assert_eq!(row["tab"], "rapportage", "{row}");
        let earlier = before
            .iter()
            .find(|old| old["reference"] == row["reference"])
            .unwrap();
        assert_eq!(row["invoice"], earlier["invoice"]);
        assert_eq!(row["moneybird_payment_id"], earlier["moneybird_payment_id"]);
    }
}

#[test]
fn an_unclear_answer_is_settled_by_reading_the_invoice_not_by_posting_again() {
    let env = Env::new(NOW);
    shop_with_payments(&env);
    env.world().faults.lose_payment_answers = 1;

    env.sync();
    // The first payment was made, but its answer was lost: the run stopped there.
    assert_eq!(env.payment_count(), 1);
    assert_eq!(env.row("C0")["tab"], "open");

    env.sync();

    assert_each_booked_once(&env);
    assert_eq!(env.payment_posts(), 5, "the lost one was not posted again");
    assert_eq!(env.row("C0")["tab"], "rapportage");
    assert!(env.row("C0")["moneybird_payment_id"].is_string());
}

#[test]
fn a_partial_payment_found_in_moneybird_counts_as_ours() {
    let env = Env::new(NOW);
    let invoice = env
        .world()
        .add_invoice(NewInvoice::sales("2025-0500", Cents(30000)));
    env.world().add_transaction(
        Sale::new("C50", 10000)
            .method("card")
            .at("2025-03-04T10:00:00Z")
            .described("Factuur 2025-0500")
            .build(),
    );
    // What this tool would have booked, from a run whose state is gone.
    let ledger = env.shop.ledger_accounts["card"].clone();
    {
        let mut world = env.world();
        let date = chrono::NaiveDate::from_ymd_opt(2025, 3, 4).unwrap();
        world.add_manual_payment(
            InvoiceType::Sales,
            &invoice,
            Some("C50"),
            Cents(10000),
            date,
        );
        let invoice = world
            .moneybird
            .invoice_mut(InvoiceType::Sales, &invoice)
            .unwrap();
        invoice.payments[0].ledger_account_id = Some(ledger);
    }

    env.sync();

    assert_eq!(env.booked("C50").len(), 1);
    assert_eq!(env.row("C50")["tab"], "rapportage");
}

#[test]
fn dry_run_books_nothing_and_changes_nothing() {
    let env = Env::new(NOW);
    shop_with_payments(&env);

    let out = env.ok(&["sync", "--dry-run"]);

    assert_eq!(env.payment_count(), 0);
    assert_eq!(
        out.lines()
            .filter(|line| line.starts_with("would book"))
            .count(),
        5,
        "{out}"
    );
    assert!(
        out.contains("would book C0 € 100,00 on invoice 2025-0000 dated 2025-03-02"),
        "{out}"
    );
    assert!(env.rows().is_empty(), "the dry run left no rows");

    env.sync();
    assert_each_booked_once(&env);
}

#[test]
fn a_second_run_while_one_holds_the_lock_exits_75() {
    let env = Env::new(NOW);
    shop_with_payments(&env);
    env.sync();
    let mut lock_path = env.state_path().into_os_string();
    lock_path.push(".lock");
    let holder = std::fs::OpenOptions::new()
        .write(true)
        .open(&lock_path)
        .expect("the lock file exists after a run");
    holder.try_lock().expect("the test takes the lock");

    let output = env.run(&["sync"]);

    assert_eq!(output.status.code(), Some(75));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("another ccv-moneybird run holds the lock"),
        "{stderr}"
    );
    drop(holder);
    assert_each_booked_once(&env);
}
