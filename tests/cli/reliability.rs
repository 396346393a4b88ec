//! Nothing lost, nothing twice (issue 5): the tool is killed at every Moneybird request,
//! served by unreliable services, rate-limited, and fed bad input. Each test prints the
//! figures the README quotes (`cargo test --locked reliability -- --show-output`).

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::Duration;

use ccv_moneybird_sandbox::Cents;
use ccv_moneybird_sandbox::seed::NewInvoice;
use ccv_moneybird_sandbox::{Api, Fault, InvoiceType, Moment, Options};
use serde_json::Value;

use crate::common::{Env, Sale};

const NOW: &str = "2025-03-10T12:00:00Z";

/// A shop with `count` bookable payments, some partial, spread over sales and external
/// invoices, plus a few that cannot be booked.
fn bookable_shop(env: &Env, count: usize) {
    let mut world = env.world();
    for index in 0..count {
        let at = format!(
            "2025-03-0{}T{:02}:{:02}:00Z",
            1 + index % 8,
            8 + index % 12,
            index % 60
        );
        let amount = 1_000 + index as i64 * 37;
        if index % 5 == 4 {
            let reference = format!("WEB-{index:04}");
            world.add_invoice(NewInvoice::external(&reference, Cents(amount)));
            let mut transaction = Sale::new(&format!("C{index:03}"), amount)
                .method("card")
                .at(&at)
                .build();
            transaction.merchant_order_reference = Some(reference);
            world.add_transaction(transaction);
        } else {
            let number = format!("2025-{index:04}");
            // Every third invoice is paid in part.
            let total = if index % 3 == 0 { amount * 2 } else { amount };
            world.add_invoice(NewInvoice::sales(&number, Cents(total)));
            world.add_transaction(
                Sale::new(&format!("C{index:03}"), amount)
                    .at(&at)
                    .described(&format!("Factuur {number}"))
                    .build(),
            );
        }
    }
    world.add_transaction(
        Sale::new("X-NONE", 500)
            .at("2025-03-09T09:00:00Z")
            .described("Factuur 1999-0001")
            .build(),
    );
    world.add_transaction(
        Sale::new("X-PENDING", 700)
            .status("pending")
            .method("banktransfer")
            .at("2025-03-09T09:30:00Z")
            .build(),
    );
}

/// Transaction identifier → (invoice, price in cents, payment date).
type Bookings = BTreeMap<String, (String, i64, String)>;
/// Reference → (tab, invoice, error code), as `status --json` shows it.
type Tabs = BTreeMap<String, (String, Value, Value)>;

/// What Moneybird holds: transaction identifier → (invoice, price, date), and how many
/// payments carry each identifier.
fn moneybird_bookings(env: &Env) -> (Bookings, BTreeMap<String, usize>) {
    let world = env.world();
    let mut bookings = BTreeMap::new();
    let mut counts = BTreeMap::new();
    for invoice in &world.moneybird.invoices {
        for payment in &invoice.payments {
            let Some(identifier) = payment.transaction_identifier.clone() else {
                continue;
            };
            *counts.entry(identifier.clone()).or_insert(0) += 1;
            let label = match invoice.kind {
                InvoiceType::Sales => invoice.number.clone().unwrap_or_default(),
                InvoiceType::External => invoice.reference.clone().unwrap_or_default(),
            };
            bookings.insert(
                identifier,
                (label, payment.price.0, payment.payment_date.clone()),
            );
        }
    }
    (bookings, counts)
}

/// The tabs as the tool shows them: reference → (tab, invoice, error code).
fn tabs(env: &Env) -> BTreeMap<String, (String, Value, Value)> {
    env.rows()
        .into_iter()
        .map(|row| {
            (
                row["reference"].as_str().unwrap().to_string(),
                (
                    row["tab"].as_str().unwrap().to_string(),
                    row["invoice"].clone(),
                    row["error"]["code"].clone(),
                ),
            )
        })
        .collect()
}

/// Runs a clean shop once, for the end state every disturbed run must reach.
fn clean_end_state(count: usize) -> (Bookings, Tabs) {
    let env = Env::new(NOW);
    bookable_shop(&env, count);
    env.sync();
    (moneybird_bookings(&env).0, tabs(&env))
}

fn assert_exactly_once(env: &Env, expected: &BTreeMap<String, (String, i64, String)>, what: &str) {
    let (bookings, counts) = moneybird_bookings(env);
    for (identifier, count) in &counts {
        assert_eq!(*count, 1, "{what}: {identifier} is booked {count} times");
    }
    assert_eq!(
        &bookings, expected,
        "{what}: the bookings differ from a clean run's"
    );
}

#[test]
fn reliability_killed_at_every_moneybird_request() {
    const PAYMENTS: usize = 30;
    let (expected, expected_tabs) = clean_end_state(PAYMENTS);
    let requests = {
        let env = Env::new(NOW);
        bookable_shop(&env, PAYMENTS);
        env.sync();
        env.moneybird_requests()
    };
    let mut crash_points = 0;
    for at in 1..=requests {
        for moment in [Moment::BeforeApplying, Moment::AfterApplying] {
            let env = Env::new(NOW);
            bookable_shop(&env, PAYMENTS);
            assert!(
                !env.sync_killed_at(at, moment),
                "request {at} {moment:?}: the run was not killed"
            );

            env.sync();

            let what = format!("killed at request {at} {moment:?}");
            assert_exactly_once(&env, &expected, &what);
            assert_eq!(
                tabs(&env),
                expected_tabs,
                "{what}: the tabs differ from Moneybird's truth"
            );
            crash_points += 1;
        }
    }
    println!(
        "reliability: {crash_points} crash points ({requests} Moneybird requests × before/after applying) on {PAYMENTS} payments; 0 lost, 0 doubled"
    );
}

#[test]
fn reliability_unreliable_services_reach_the_clean_end_state() {
    const PAYMENTS: usize = 40;
    let (expected, expected_tabs) = clean_end_state(PAYMENTS);
    let mut total_runs = 0;
    let mut total_faults = 0;
    for seed in 1..=3 {
        let env = Env::new(NOW);
        bookable_shop(&env, PAYMENTS);
        {
            let mut world = env.world();
            world.faults.per_mille = 200;
            world.faults.seed(seed);
            world.faults.slow = Duration::from_millis(600);
        }
        let mut runs = 0;
        loop {
            runs += 1;
            assert!(runs <= 60, "seed {seed}: no end state after {runs} runs");
            let output = env
                .command(&["sync"])
                .env("__CCV_MONEYBIRD_TEST_TIMEOUT_MS", "300")
                .env("__CCV_MONEYBIRD_TEST_BACKOFF_MS", "5")
                .output()
                .unwrap();
            env.checked(output);
            // `status` reads only the state, so the faults do not touch it.
            let rows = env.rows();
            let settled = rows.len() == PAYMENTS + 2
                && rows
                    .iter()
                    .all(|row| !(row["tab"] == "open" && row["ccv_status"] == "success"));
            if settled {
                break;
            }
        }
        total_runs += runs;
        total_faults += env.world().faults.dealt;
        env.world().faults.per_mille = 0;
        assert_exactly_once(&env, &expected, &format!("seed {seed}"));
        assert_eq!(
            tabs(&env),
            expected_tabs,
            "seed {seed}: a transient fault left a mark in the tabs"
        );
    }
    println!(
        "reliability: 20% of requests failed (500, 502, 429, slow past the timeout, no answer, truncated body); 3 shops of {PAYMENTS} payments reached the clean end state in {total_runs} runs with {total_faults} faults; 0 lost, 0 doubled, 0 in Fouten for a passing fault"
    );
}

#[test]
fn reliability_a_backfill_larger_than_the_rate_limit_window() {
    let env = Env::with_options(
        NOW,
        Options {
            rate_limit_requests: 150,
            rate_limit_window: Duration::from_secs(2),
            ..Options::default()
        },
    );
    bookable_shop(&env, 200);

    env.sync();

    let (_, counts) = moneybird_bookings(&env);
    assert_eq!(counts.len(), 200);
    assert!(counts.values().all(|count| *count == 1));
    let requests = env.moneybird_requests();
    let refused = env
        .world()
        .requests(Api::Moneybird)
        .filter(|request| request.status == 429)
        .count();
    assert!(requests > 150, "more than one window: {requests}");
    assert_eq!(refused, 0, "the client paced itself by the headers");
    let fouten: Vec<Value> = env
        .rows()
        .into_iter()
        .filter(|row| row["tab"] == "fouten")
        .collect();
    assert_eq!(
        fouten.len(),
        1,
        "only the payment without an invoice: {fouten:?}"
    );
    println!(
        "reliability: a backfill of 200 payments ({requests} requests, 150 per window) ran with 0 refused requests and 0 in Fouten"
    );
}

#[test]
fn reliability_a_wait_past_the_bound_stops_cleanly_and_leaves_the_rest_open() {
    let env = Env::with_options(
        NOW,
        Options {
            rate_limit_requests: 150,
            rate_limit_window: Duration::from_secs(60),
            ..Options::default()
        },
    );
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    std::fs::write(
        env.config_path(),
        config.replacen(
            "administration_id",
            "max_wait_seconds = 1\nadministration_id",
            1,
        ),
    )
    .unwrap();
    bookable_shop(&env, 200);

    let output = env.run(&["sync"]);

    assert!(output.status.success(), "{output:?}");
    assert!(output.stdout.is_empty(), "nothing needs a person yet");
    let rows = env.rows();
    let booked = rows.iter().filter(|row| row["tab"] == "rapportage").count();
    let waiting = rows
        .iter()
        .filter(|row| row["tab"] == "open" && row["ccv_status"] == "success")
        .count();
    assert!(
        booked > 0 && waiting > 0,
        "booked {booked}, waiting {waiting}"
    );
    assert_eq!(rows.iter().filter(|row| row["tab"] == "fouten").count(), 0);
    let (_, counts) = moneybird_bookings(&env);
    assert_eq!(counts.len(), booked);
    let status = env.ok(&["status"]);
    assert!(status.contains("stopped early"), "{status}");
}

#[test]
fn reliability_ten_runs_at_once_one_works() {
    let env = Env::new(NOW);
    bookable_shop(&env, 10);
    env.world().faults.moneybird_delay = Duration::from_millis(100);

    let children: Vec<_> = (0..10)
        .map(|index| {
            env.command(&[if index % 2 == 0 { "sync" } else { "recheck" }])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let codes: Vec<Option<i32>> = children
        .into_iter()
        .map(|child| env.checked(child.wait_with_output().unwrap()).status.code())
        .collect();

    assert_eq!(
        codes.iter().filter(|code| **code == Some(0)).count(),
        1,
        "{codes:?}"
    );
    assert_eq!(
        codes.iter().filter(|code| **code == Some(75)).count(),
        9,
        "{codes:?}"
    );
    let (_, counts) = moneybird_bookings(&env);
    assert_eq!(counts.len(), 10);
    assert!(counts.values().all(|count| *count == 1));
    println!("reliability: 10 runs started at once: 1 worked, 9 exited 75; 0 doubled");
}

/// A bad input: a clear message, exit code 1, and no change to the state.
fn assert_refused(env: &Env, args: &[&str], expected: &[&str]) {
    let before = std::fs::read(env.state_path()).ok();
    let output = env.run(args);
    assert_eq!(output.status.code(), Some(1), "{args:?}: {output:?}");
    let stderr = crate::common::flat(&String::from_utf8_lossy(&output.stderr));
    for text in expected {
        assert!(
            stderr.contains(text),
            "{args:?}: `{text}` not in:\n{stderr}"
        );
    }
    assert_eq!(
        std::fs::read(env.state_path()).ok(),
        before,
        "{args:?} changed the state"
    );
}

#[test]
fn reliability_bad_input_is_refused_clearly_and_changes_nothing() {
    let env = Env::new(NOW);
    bookable_shop(&env, 3);
    env.sync();
    let good = std::fs::read_to_string(env.config_path()).unwrap();
    let mut tried = 0;

    std::fs::write(env.config_path(), good.replace("timezone", "time_zone")).unwrap();
    assert_refused(
        &env,
        &["sync"],
        &["unknown field `time_zone`", "config.example.toml"],
    );
    tried += 1;
    std::fs::write(
        env.config_path(),
        good.replacen("http://127.0.0.1", "http://payments.example.nl", 1),
    )
    .unwrap();
    assert_refused(&env, &["sync"], &["must use https", "loopback"]);
    tried += 1;
    std::fs::write(
        env.config_path(),
        good.replace("administration_id", "# administration_id"),
    )
    .unwrap();
    assert_refused(
        &env,
        &["sync"],
        &[
            "no Moneybird administration is configured",
            "connect moneybird",
        ],
    );
    tried += 1;
    std::fs::write(
        env.config_path(),
        good.replace("[booking]\n", "[booking]\nfirst_sync_days = \"thirty\"\n"),
    )
    .unwrap();
    assert_refused(&env, &["sync"], &["line", "column"]);
    tried += 1;
    std::fs::write(env.config_path(), &good).unwrap();

    // Services that answer what cannot be read.
    {
        let mut world = env.world();
        world.faults.per_mille = 1000;
        world.faults.kinds = vec![Fault::Truncated];
        world.faults.only = Some(Api::Ccv);
    }
    assert_refused(&env, &["sync"], &["CCV's answer could not be read"]);
    env.world().faults.only = Some(Api::Moneybird);
    env.world()
        .add_invoice(NewInvoice::sales("2025-9000", Cents(100)));
    env.world().add_transaction(
        Sale::new("C-LATE", 100)
            .at("2025-03-09T23:00:00Z")
            .described("Factuur 2025-9000")
            .build(),
    );
    let payments = env.payment_count();
    let output = env.run(&["sync"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("Moneybird's answer could not be read"),
        "{output:?}"
    );
    assert_eq!(env.payment_count(), payments, "nothing was booked");
    assert_eq!(
        env.row("C-LATE")["tab"],
        "open",
        "fetched and kept for the next run"
    );
    tried += 2;
    env.world().faults.per_mille = 0;

    // A state file from a newer version, and one that is no database at all.
    let state = env.state_path();
    {
        let connection = rusqlite::Connection::open(&state).unwrap();
        connection.pragma_update(None, "user_version", 99).unwrap();
    }
    assert_refused(
        &env,
        &["sync"],
        &["written by a newer version", "schema 99"],
    );
    assert_refused(&env, &["status"], &["written by a newer version"]);
    tried += 2;
    let elsewhere = env.dir.path().join("not-a-database.sqlite3");
    std::fs::write(
        &elsewhere,
        "these are not the payments you are looking for\n".repeat(100),
    )
    .unwrap();
    let config = good.replace(
        "[booking]",
        &format!("[state]\npath = \"{}\"\n\n[booking]", elsewhere.display()),
    );
    std::fs::write(env.config_path(), &config).unwrap();
    let before = std::fs::read(&elsewhere).unwrap();
    let output = env.run(&["sync"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("is not a state database of this tool")
    );
    assert_eq!(std::fs::read(&elsewhere).unwrap(), before);
    tried += 1;

    // A state directory that cannot be written: its place is taken by a file.
    let blocked = env.dir.path().join("blocked");
    std::fs::write(&blocked, "a file where a directory should be").unwrap();
    let config = good.replace(
        "[booking]",
        &format!(
            "[state]\npath = \"{}\"\n\n[booking]",
            blocked.join("state.sqlite3").display()
        ),
    );
    std::fs::write(env.config_path(), &config).unwrap();
    let output = env.run(&["sync"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("cannot create the directory"),
        "{output:?}"
    );
    tried += 1;
    std::fs::write(env.config_path(), &good).unwrap();

    println!(
        "reliability: {tried} bad inputs (config syntax, unknown key, plain http to a remote host, no administration, unreadable CCV and Moneybird answers, newer state ×2, not a database, unwritable state directory) refused with exit 1 and no change to the state; wrong key and revoked token are in contract.rs"
    );
}
