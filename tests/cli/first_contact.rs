//! First contact with the real CCV: whichever way it answers where `docs/ccv-api.md` could not
//! confirm (each dialect alone and all at once), with odd or hostile records, with answers
//! without end, the story ends the same: every paid payment booked once, on its invoice,
//! with its amount and date; nothing booked from what could not be read; and a run that
//! cannot go on stops, names why, and lets the next one start.
//!
//! The wrong code each test catches: a cursor set to the newest `created` seen (a payment
//! after a future-dated record is never fetched); an unchecked decimal multiply (1e27
//! panics); no size cap (a 256 MiB answer is read whole); a blind retry (endless 429s
//! never end); a paging loop that trusts a CCV ignoring its filters (books the first page
//! and says nothing); a payout look-back that only covers the last day.

use std::io::Read as _;
use std::process::Stdio;
use std::time::{Duration, Instant};

use ccv_moneybird_sandbox::seed::NewInvoice;
use ccv_moneybird_sandbox::{Api, CcvDialect, Cents, Fault, Options};
use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::common::{Env, InvoicePaid, Sale, ms};
use crate::contract::validate_bodies;

const NOW: &str = "2026-11-26T12:00:00Z";

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// A shop in the given dialect, with [payouts] set up.
fn shop_speaking(dialect: CcvDialect) -> Env {
    let env = Env::with_options(
        NOW,
        Options {
            ccv: dialect,
            rate_limit_window: Duration::from_secs(2),
            ..Options::default()
        },
    );
    env.configure_payouts();
    env
}

/// What a bookkeeper checks: invoice, amount and booking date of the one payment Moneybird
/// holds under this CCV reference.
fn assert_booked_once(
    env: &Env,
    reference: &str,
    invoice: &str,
    cents: i64,
    date: &str,
    what: &str,
) {
    let booked = env.booked(reference);
    assert_eq!(booked.len(), 1, "{what}: {reference} booked {booked:?}");
    assert_eq!(booked[0].invoice, invoice, "{what}: {reference}");
    assert_eq!(booked[0].price, Cents(cents), "{what}: {reference}");
    assert_eq!(booked[0].date, date, "{what}: {reference}");
}

/// The whole story in one dialect: a first sync, a rerun, a bank transfer that settles,
/// a payout linked, and a last rerun that changes nothing.
fn story(name: &str, dialect: CcvDialect) {
    let env = shop_speaking(dialect.clone());
    // Amounts whose trailing zero CCV drops, two payments in one millisecond, one paid
    // just after midnight in Amsterdam (the 26th there, the 25th in UTC).
    let paid_payments: [(&str, &str, i64, &str, &str); 8] = [
        ("P01", "2026-0101", 2820, "ideal", "2026-11-25T10:00:00Z"),
        ("P02", "2026-0102", 12100, "card", "2026-11-25T10:00:00Z"),
        ("P03", "2026-0103", 995, "ideal", "2026-11-25T23:30:00Z"),
        ("P04", "2026-0104", 1001, "card", "2026-11-25T11:00:00Z"),
        ("P05", "2026-0105", 1002, "ideal", "2026-11-25T12:00:00Z"),
        ("P06", "2026-0106", 1003, "card", "2026-11-25T13:00:00Z"),
        ("P07", "2026-0107", 1004, "ideal", "2026-11-25T14:00:00Z"),
        ("P08", "2026-0108", 1005, "card", "2026-11-25T15:00:00Z"),
    ];
    for (reference, invoice, cents, method, at) in paid_payments {
        InvoicePaid::new(invoice, cents)
            .paid_by(reference)
            .method(method)
            .at(at)
            .add(&env);
    }
    {
        let mut world = env.world();
        world.add_invoice(NewInvoice::sales("2026-0109", Cents(60500)));
        world.add_transaction(
            Sale::new("P09", 60500)
                .status("pending")
                .method("banktransfer")
                .at("2026-11-20T08:00:00Z")
                .described("Factuur 2026-0109")
                .build(),
        );
        world.add_invoice(NewInvoice::sales("2026-0110", Cents(4995)));
        world.add_transaction(
            Sale::new("P10", 4995)
                .status("failed")
                .method("card")
                .at("2026-11-25T11:30:00Z")
                .described("Factuur 2026-0110")
                .build(),
        );
    }

    env.sync();
    for (reference, invoice, cents, _, at) in paid_payments {
        let date = if reference == "P03" {
            "2026-11-26"
        } else {
            &at[..10]
        };
        assert_booked_once(&env, reference, invoice, cents, date, name);
    }
    assert_eq!(env.row("P09")["tab"], "open", "{name}");
    assert_eq!(env.row("P10")["tab"], "closed", "{name}");
    let posts = env.payment_posts();
    assert_eq!(posts, 8, "{name}");

    env.sync();
    assert_eq!(
        env.payment_posts(),
        posts,
        "{name}: a second sync books nothing"
    );

    env.world()
        .settle_transaction("P09", "success", ms("2026-11-27T09:00:00Z"));
    env.set_now("2026-11-27T12:00:00Z");
    env.ok(&["recheck"]);
    assert_booked_once(&env, "P09", "2026-0109", 60500, "2026-11-27", name);

    // CCV pays out the tussenrekening payments (P09 went straight to the bank).
    let references: Vec<&str> = paid_payments.iter().map(|payment| payment.0).collect();
    let gross = env.world().pay_out(
        &references,
        "PO-1",
        "CCV PAYOUT PO-1",
        day("2026-11-27"),
        ms("2026-11-27T14:00:00Z"),
    );
    env.world().import_bank_line(
        &env.shop.bank_account,
        day("2026-11-28"),
        "CCV PAYOUT PO-1",
        Cents(gross.0 - 8 * 29),
    );
    env.set_now("2026-11-28T12:00:00Z");
    env.sync();
    let payouts: Vec<Value> = serde_json::from_str(&env.ok(&["payouts", "--json"])).unwrap();
    assert_eq!(payouts.len(), 1, "{name}: {payouts:?}");
    assert_eq!(payouts[0]["state"], "linked", "{name}: {payouts:?}");
    assert_eq!(payouts[0]["gross"], gross.to_decimal_string(), "{name}");

    let before = env.world().log.len();
    env.sync();
    let writes = env.world().log[before..]
        .iter()
        .filter(|request| request.api == Api::Moneybird && request.method != "GET")
        .count();
    assert_eq!(writes, 0, "{name}: the last sync writes nothing");
    assert_eq!(env.payment_count(), 9, "{name}: nothing else was booked");

    let log: Vec<_> = env.world().requests(Api::Moneybird).cloned().collect();
    validate_bodies(&log);
    // The time-filter form is learnt once and kept: at most one refusal in the story.
    let refusals = env
        .world()
        .requests(Api::Ccv)
        .filter(|request| request.status == 400)
        .count();
    let learns = dialect.time_filters == ccv_moneybird_sandbox::TimeFilters::Iso8601;
    assert_eq!(refusals, usize::from(learns), "{name}");
    let doctor = String::from_utf8(env.run(&["doctor"]).stdout).unwrap();
    let form = if learns {
        "ISO 8601"
    } else {
        "epoch milliseconds"
    };
    assert!(
        doctor.contains(&format!("time filters as {form}")),
        "{name}: {doctor}"
    );
}

#[test]
fn the_whole_story_holds_in_each_ccv_dialect() {
    for (name, dialect) in CcvDialect::each() {
        story(name, dialect);
    }
}

#[test]
fn the_whole_story_holds_with_every_unknown_read_the_other_way_at_once() {
    story("all at once", CcvDialect::all_at_once());
}

/// One record CCV sends that cannot be true, and why the tool says it is unreadable.
struct Implausible {
    what: &'static str,
    reference: &'static str,
    /// Keys sent as given.
    overrides: Vec<(&'static str, Value)>,
    /// When it was made, as the sandbox files it.
    created: &'static str,
    /// A word of the reason the row carries.
    reason: &'static str,
}

fn implausible_records() -> Vec<Implausible> {
    let amount = |text: &str| -> Value { serde_json::from_str(text).unwrap() };
    let record = |what, reference, key: &'static str, value: Value, reason| Implausible {
        what,
        reference,
        overrides: vec![(key, value)],
        created: "2026-11-25T16:00:00Z",
        reason,
    };
    vec![
        Implausible {
            what: "created in 2099",
            reference: "X-2099",
            overrides: vec![],
            created: "2099-01-01T00:00:00Z",
            reason: "24 hours",
        },
        Implausible {
            what: "created three days ahead",
            reference: "X-AHEAD",
            overrides: vec![],
            created: "2026-11-29T12:00:00Z",
            reason: "24 hours",
        },
        record(
            "created before 2000",
            "X-1999",
            "created",
            json!(ms("1999-12-31T12:00:00Z")),
            "before 2000",
        ),
        record(
            "an amount of 1e27",
            "X-1E27",
            "amount",
            amount("1e27"),
            "too large",
        ),
        record(
            "an amount of NaN",
            "X-NAN",
            "amount",
            json!("NaN"),
            "not an amount",
        ),
        record(
            "an amount above a billion",
            "X-BILLION",
            "amount",
            amount("1000000000.01"),
            "above 1,000,000,000",
        ),
        record(
            "a negative sale",
            "X-NEGATIVE",
            "amount",
            amount("-5.00"),
            "no payment",
        ),
        record("a zero sale", "X-ZERO", "amount", amount("0"), "no payment"),
        record("no type", "X-UNTYPED", "type", Value::Null, "no `type`"),
        record(
            "an unknown type",
            "X-GIFTWRAP",
            "type",
            json!("gift_wrap"),
            "unknown `type`",
        ),
    ]
}

/// The records, each on an open invoice of € 5,00 that its description names, beside two
/// ordinary payments.
fn shop_with(records: &[&Implausible]) -> Env {
    let env = Env::new(NOW);
    InvoicePaid::new("2026-0001", 1000)
        .paid_by("GOOD-1")
        .add(&env);
    InvoicePaid::new("2026-0002", 2000)
        .paid_by("GOOD-2")
        .method("card")
        .at("2026-11-25T18:00:00Z")
        .add(&env);
    let mut world = env.world();
    for (index, record) in records.iter().enumerate() {
        let number = format!("2026-{:04}", 100 + index);
        world.add_invoice(NewInvoice::sales(&number, Cents(500)));
        let mut transaction = Sale::new(record.reference, 500)
            .at(record.created)
            .described(&format!("Factuur {number}"))
            .build();
        transaction.wire_overrides = record
            .overrides
            .iter()
            .map(|(key, value)| (key.to_string(), value.clone()))
            .collect();
        world.add_transaction(transaction);
    }
    drop(world);
    env
}

fn assert_unreadable_and_the_rest_booked(env: &Env, records: &[&Implausible]) {
    assert_booked_once(
        env,
        "GOOD-1",
        "2026-0001",
        1000,
        "2026-11-25",
        "beside hostile records",
    );
    assert_booked_once(
        env,
        "GOOD-2",
        "2026-0002",
        2000,
        "2026-11-25",
        "beside hostile records",
    );
    for record in records {
        assert!(
            env.booked(record.reference).is_empty(),
            "{}: never posted",
            record.what
        );
        let row = env.row(record.reference);
        assert_eq!(row["tab"], "fouten", "{}: {row}", record.what);
        assert_eq!(row["error"]["code"], "unreadable", "{}: {row}", record.what);
        let message = row["error"]["message"].as_str().unwrap();
        assert!(
            message.contains(record.reason),
            "{}: {message}",
            record.what
        );
    }
    assert_eq!(env.payment_count(), 2, "only the two ordinary payments");
}

#[test]
fn each_implausible_record_alone_is_unreadable_and_the_others_are_booked() {
    for record in &implausible_records() {
        let env = shop_with(&[record]);
        let output = env.run(&["sync"]);
        assert_eq!(output.status.code(), Some(0), "{}: {output:?}", record.what);
        let said = String::from_utf8_lossy(&output.stdout);
        assert!(
            said.contains(record.reference),
            "{}: named in the summary: {said}",
            record.what
        );
        assert_unreadable_and_the_rest_booked(&env, &[record]);
    }
}

#[test]
fn all_implausible_records_together_cost_nothing_but_themselves() {
    let records = implausible_records();
    let all: Vec<&Implausible> = records.iter().collect();
    let env = shop_with(&all);
    let output = env.run(&["sync"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_unreadable_and_the_rest_booked(&env, &all);
    // Read again every run, they stay as they are and nothing is booked.
    env.sync();
    assert_unreadable_and_the_rest_booked(&env, &all);
}

#[test]
fn a_future_dated_record_never_hides_the_payments_after_it() {
    let env = Env::new(NOW);
    // One a few hours ahead (clock skew at CCV: plausible, read and kept) and one in 2099
    // (unreadable). A cursor set to the newest `created` seen would jump past the payment
    // below and never fetch it.
    InvoicePaid::new("2026-0001", 1000)
        .paid_by("C-SKEWED")
        .at("2026-11-27T08:00:00Z")
        .add(&env);
    {
        let mut world = env.world();
        world.add_invoice(NewInvoice::sales("2026-0002", Cents(500)));
        world.add_transaction(
            Sale::new("C-2099", 500)
                .at("2099-01-01T00:00:00Z")
                .described("Factuur 2026-0002")
                .build(),
        );
    }
    env.sync();
    assert_eq!(env.row("C-2099")["error"]["code"], "unreadable");

    InvoicePaid::new("2026-0003", 3000)
        .paid_by("C-NEXT")
        .method("card")
        .at("2026-11-26T13:00:00Z")
        .add(&env);
    env.set_now("2026-11-26T14:00:00Z");
    env.sync();
    assert_booked_once(
        &env,
        "C-NEXT",
        "2026-0003",
        3000,
        "2026-11-26",
        "after a future-dated record",
    );
    assert!(env.booked("C-2099").is_empty());
}

/// Runs the binary, killed after `limit`: a run that never ends fails the test instead of
/// hanging it. Returns the exit code, stderr, and the child's peak memory in KiB as its
/// own `VmHWM` shows it (`ru_maxrss` would count the test process it was spawned from).
fn run_bounded(env: &Env, args: &[&str], limit: Duration) -> (Option<i32>, String, u64) {
    let mut child = env
        .command(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let peak_of = |pid: u32| -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    let deadline = Instant::now() + limit;
    let mut peak_kib = 0;
    let status = loop {
        peak_kib = peak_kib.max(peak_of(child.id()).unwrap_or(0));
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`{}` still ran after {limit:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stderr = reader.join().unwrap();
    env.assert_no_secret("stderr", stderr.as_bytes());
    // As a reader reads it, across the lines it was wrapped into.
    let stderr = crate::common::flat(&stderr);
    (status.code(), stderr, peak_kib)
}

#[test]
fn an_answer_over_32_mib_is_refused_with_flat_memory_and_nothing_booked() {
    let env = Env::new(NOW);
    crate::common::one_paid(&env);
    // 256 MiB of white space inside the list, streamed without a length: valid JSON that a
    // client without a cap reads whole.
    env.world().faults.ccv_padding = 256 * 1024 * 1024;
    let (code, stderr, peak_kib) = run_bounded(&env, &["sync"], Duration::from_secs(120));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("over the limit of 32 MiB"), "{stderr}");
    assert!(
        peak_kib < 100 * 1024,
        "the run took {} MiB for an answer it refused",
        peak_kib / 1024
    );
    assert_eq!(env.payment_posts(), 0);

    env.world().faults.ccv_padding = 0;
    env.sync();
    assert_booked_once(
        &env,
        "C1",
        "2026-0001",
        1000,
        "2026-11-25",
        "once the answer is normal",
    );
}

#[test]
fn paging_that_makes_no_progress_stops_the_run_before_any_booking() {
    let env = Env::new(NOW);
    env.world().options.ccv.page_size = 3;
    for index in 0..10 {
        InvoicePaid::new(&format!("2026-{:04}", index + 1), 1000 + index)
            .paid_by(&format!("C{index:02}"))
            .at(&format!("2026-11-25T1{index}:00:00Z"))
            .add(&env);
    }
    env.world().faults.ccv_ignores_time_filters = true;
    for _ in 0..2 {
        // Twice: the lock of the first run is gone with it.
        let (code, stderr, _) = run_bounded(&env, &["sync"], Duration::from_secs(60));
        assert_eq!(code, Some(1), "{stderr}");
        assert!(stderr.contains("makes no progress"), "{stderr}");
        assert!(
            stderr.contains("createdAfter"),
            "names the assumption: {stderr}"
        );
        assert_eq!(
            env.payment_posts(),
            0,
            "nothing booked from a list read half"
        );
    }

    env.world().faults.ccv_ignores_time_filters = false;
    env.sync();
    assert_eq!(env.payment_posts(), 10);
    for index in 0..10 {
        assert_eq!(env.booked(&format!("C{index:02}")).len(), 1);
    }
}

#[test]
fn five_429s_in_a_row_from_ccv_stop_the_run_and_release_the_lock() {
    let env = Env::new(NOW);
    crate::common::one_paid(&env);
    {
        let mut world = env.world();
        world.faults.per_mille = 1000;
        world.faults.kinds = vec![Fault::Throttled];
        world.faults.only = Some(Api::Ccv);
    }
    for run in 1..=2 {
        let (code, stderr, _) = run_bounded(&env, &["sync"], Duration::from_secs(60));
        assert_eq!(code, Some(1), "{stderr}");
        assert!(stderr.contains("rate limit 5 times in a row"), "{stderr}");
        assert_eq!(
            env.world().requests(Api::Ccv).count(),
            5 * run,
            "each waited, none blind"
        );
    }
    env.world().faults.per_mille = 0;
    env.sync();
    assert_booked_once(
        &env,
        "C1",
        "2026-0001",
        1000,
        "2026-11-25",
        "after the rate limit",
    );
}

#[test]
fn five_429s_in_a_row_from_moneybird_stop_the_run_and_nothing_is_posted_twice() {
    let env = Env::new(NOW);
    for index in 0..3 {
        InvoicePaid::new(&format!("2026-{:04}", index + 1), 1000 + index)
            .paid_by(&format!("C{index}"))
            .add(&env);
    }
    {
        let mut world = env.world();
        world.faults.per_mille = 1000;
        world.faults.kinds = vec![Fault::Throttled];
        world.faults.only = Some(Api::Moneybird);
    }
    let (code, stderr, _) = run_bounded(&env, &["sync"], Duration::from_secs(60));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("Moneybird refused the same request"),
        "{stderr}"
    );
    assert_eq!(env.moneybird_requests(), 5);
    env.world().faults.per_mille = 0;
    env.sync();
    env.sync();
    assert_eq!(env.payment_posts(), 3);
    for index in 0..3 {
        assert_eq!(env.booked(&format!("C{index}")).len(), 1);
    }
}

#[test]
fn a_payout_flagged_after_the_weekend_is_linked_by_the_next_recheck() {
    let env = shop_speaking(CcvDialect::default());
    let references = ["C1", "C2", "C3"];
    for (index, reference) in references.iter().enumerate() {
        InvoicePaid::new(&format!("2026-{:04}", index + 1), 1000 * (index as i64 + 1))
            .paid_by(reference)
            .add(&env);
    }
    env.sync();
    // Paid out on Friday the 27th, its bank line there on Saturday; CCV flags the payments
    // only on Monday the 30th, while the hourly syncs went on and the shop sold every day
    // (so the fetch window moved on past the paid-out payments).
    for (index, today) in ["2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30"]
        .into_iter()
        .enumerate()
    {
        InvoicePaid::new(&format!("2026-{:04}", 10 + index), 500)
            .paid_by(&format!("D{index}"))
            .method("card")
            .at(&format!("{today}T09:00:00Z"))
            .add(&env);
        if today != "2026-11-30" {
            env.set_now(&format!("{today}T12:00:00Z"));
            env.sync();
        }
    }
    let gross = env.world().pay_out(
        &references,
        "PO-LATE",
        "CCV PAYOUT PO-LATE",
        day("2026-11-27"),
        ms("2026-11-30T07:00:00Z"),
    );
    env.world().import_bank_line(
        &env.shop.bank_account,
        day("2026-11-28"),
        "CCV PAYOUT PO-LATE",
        Cents(gross.0 - 87),
    );
    env.set_now("2026-11-30T12:00:00Z");
    env.sync();
    env.set_now("2026-12-01T03:17:00Z");
    let before = env.world().requests(Api::Ccv).count();
    env.ok(&["recheck"]);
    let look_back = env.world().requests(Api::Ccv).count() - before;
    let payouts: Vec<Value> = serde_json::from_str(&env.ok(&["payouts", "--json"])).unwrap();
    assert_eq!(payouts.len(), 1, "{payouts:?}");
    assert_eq!(payouts[0]["reference"], "PO-LATE");
    assert_eq!(payouts[0]["state"], "linked", "{payouts:?}");
    assert!(
        look_back <= 8,
        "the nightly recheck took {look_back} CCV requests"
    );
}
