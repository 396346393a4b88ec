//! Payouts: CCV's transfer of many payments arrives as one bank line, which the tool links
//! to the tussenrekening of each method (the gross) and to the costs account (what CCV
//! kept), so the tussenrekening returns to zero; once, whatever happens.

use ccv_moneybird_sandbox::{Api, CcvTransaction, Cents, Moment};
use chrono::NaiveDate;

use crate::common::{Env, InvoicePaid, Sale, ms};

const NOW: &str = "2026-11-26T12:00:00Z";
const NEXT_DAY: &str = "2026-11-27T12:00:00Z";
const REMITTANCE: &str = "CCV PAYOUT PO-2026-0042 7781234";

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// 30 booked payments, 20 iDEAL (€ 10,00 + n cents) and 10 card (€ 20,00 + n cents), and
/// [payouts] set up.
fn booked_shop() -> (Env, Vec<String>) {
    let env = Env::new(NOW);
    env.configure_payouts();
    let mut references = Vec::new();
    for index in 0..30 {
        let (method, cents) = if index < 20 {
            ("ideal", 1000)
        } else {
            ("card", 2000)
        };
        let reference = format!("C{index:02}");
        InvoicePaid::new(&format!("2026-{:04}", 100 + index), cents + index)
            .paid_by(&reference)
            .method(method)
            .at(&format!("2026-11-25T10:{index:02}:00Z"))
            .add(&env);
        references.push(reference);
    }
    env.sync();
    assert_eq!(
        env.rows()
            .iter()
            .filter(|row| row["tab"] == "rapportage")
            .count(),
        30
    );
    (env, references)
}

/// CCV pays out `references` on the 26th; returns the gross.
fn pay_out(env: &Env, references: &[String]) -> Cents {
    let refs: Vec<&str> = references.iter().map(String::as_str).collect();
    env.world().pay_out(
        &refs,
        "PO-2026-0042",
        REMITTANCE,
        day("2026-11-26"),
        ms("2026-11-26T14:00:00Z"),
    )
}

/// The payout's bank line arrives on the 27th: the gross less CCV's `costs` cents.
fn bank_line(env: &Env, gross: Cents, costs: i64) -> String {
    env.world().import_bank_line(
        &env.shop.bank_account,
        day("2026-11-27"),
        REMITTANCE,
        Cents(gross.0 - costs),
    )
}

fn payouts(env: &Env) -> Vec<serde_json::Value> {
    serde_json::from_str(&env.ok(&["payouts", "--json"])).unwrap()
}

/// The payouts' light of `status --json --lights`.
fn lights(env: &Env) -> serde_json::Value {
    let dashboard: serde_json::Value =
        serde_json::from_str(&env.ok(&["status", "--json", "--lights"])).unwrap();
    dashboard["payouts"].clone()
}

fn link_requests(env: &Env) -> usize {
    env.world()
        .requests(Api::Moneybird)
        .filter(|request| request.method == "PATCH" && request.path.contains("/link_booking"))
        .count()
}

#[test]
fn a_payout_of_30_payments_is_linked_with_three_requests_and_nothing_stays_open() {
    let (env, references) = booked_shop();
    let gross = pay_out(&env, &references);
    let ideal: i64 = (0..20).map(|index| 1000 + index).sum();
    let card: i64 = (20..30).map(|index| 2000 + index).sum();
    assert_eq!(gross, Cents(ideal + card));
    let line = env.world().import_bank_line(
        &env.shop.bank_account,
        day("2026-11-27"),
        &format!("{REMITTANCE} CCV ONLINE PAYMENTS"),
        Cents(gross.0 - 1234),
    );
    env.set_now(NEXT_DAY);
    let before = env.moneybird_requests();
    env.sync();
    assert_eq!(link_requests(&env), 3, "two tussenrekeningen and the costs");

    let world = env.world();
    let mutation = world.financial_mutation(&line).unwrap();
    assert_eq!(mutation.amount_open(), Cents(0));
    let mut bookings: Vec<(String, Cents)> = mutation
        .bookings
        .iter()
        .map(|booking| (booking.ledger_account_id.clone(), booking.price))
        .collect();
    bookings.sort();
    let mut expected = vec![
        (env.shop.ledger_accounts["ideal"].clone(), Cents(ideal)),
        (env.shop.ledger_accounts["card"].clone(), Cents(card)),
        (env.shop.costs_ledger_account.clone(), Cents(-1234)),
    ];
    expected.sort();
    assert_eq!(bookings, expected);
    // Reads of the bank: one GET of versions and one POST for the changed line.
    let bank_reads = world
        .requests(Api::Moneybird)
        .skip(before)
        .filter(|request| request.path.contains("financial_mutations/synchronization"))
        .count();
    assert!(bank_reads <= 1usize.div_ceil(100) + 2, "{bank_reads}");
    drop(world);

    let listed = payouts(&env);
    assert_eq!(listed.len(), 1);
    let payout = &listed[0];
    assert_eq!(payout["reference"], "PO-2026-0042");
    assert_eq!(payout["remittance"], REMITTANCE);
    assert_eq!(payout["state"], "linked");
    assert_eq!(payout["payments"], 30);
    assert_eq!(payout["costs"], "12.34");
    assert_eq!(payout["mutation_id"], line.as_str());

    // A payment names its payout, in `info` and in the accountant's export.
    let info = env.ok(&["info", "C00"]);
    assert!(info.contains("Payout:       PO-2026-0042"), "{info}");
    let export = env.ok(&["export", "--from", "2026-11-25", "--to", "2026-11-25"]);
    assert!(
        export
            .lines()
            .skip(1)
            .all(|row| row.ends_with(",PO-2026-0042")),
        "{export}"
    );

    // Linked once: the next runs link nothing again.
    env.sync();
    env.ok(&["recheck"]);
    assert_eq!(link_requests(&env), 3);
}

#[test]
fn a_payout_waits_for_its_bank_line_and_two_candidates_need_a_look() {
    let (env, references) = booked_shop();
    let gross = pay_out(&env, &references);
    env.set_now(NEXT_DAY);
    env.sync();
    let waiting = &payouts(&env)[0];
    assert_eq!(waiting["state"], "waiting");
    assert!(
        waiting["reason"]
            .as_str()
            .unwrap()
            .contains("bank line has not arrived")
    );
    assert_eq!(link_requests(&env), 0);

    assert_eq!(lights(&env)["light"], "green");

    for _ in 0..2 {
        bank_line(&env, gross, 1000);
    }
    // One line when it newly needs a person (cron mails it), nothing on the next run.
    let said = env.sync();
    let lines: Vec<&str> = said
        .lines()
        .filter(|line| line.contains("PO-2026-0042"))
        .collect();
    assert_eq!(lines.len(), 1, "{said}");
    assert!(
        lines[0].contains("needs a look") && lines[0].contains("2 bank lines fit"),
        "{said}"
    );
    assert_eq!(env.sync(), "", "quiet once said");
    let light = lights(&env);
    assert_eq!(light["light"], "red");
    assert_eq!(light["needs_a_look"], serde_json::json!(["PO-2026-0042"]));
    let status = env.ok(&["status"]);
    assert!(status.contains("1 need a look"), "{status}");
    let look = &payouts(&env)[0];
    assert_eq!(look["state"], "needs_a_look");
    assert!(
        look["reason"]
            .as_str()
            .unwrap()
            .contains("2 bank lines fit")
    );
    assert_eq!(link_requests(&env), 0, "never a guess");
}

#[test]
fn a_payout_waiting_over_three_days_for_its_bank_line_turns_its_light_red() {
    let (env, references) = booked_shop();
    pay_out(&env, &references);
    env.set_now(NEXT_DAY);
    env.sync();
    // Paid out on the 26th: on the 29th it may still come, on the 30th it is late.
    env.set_now("2026-11-29T12:00:00Z");
    let light = lights(&env);
    assert_eq!(light["light"], "green", "{light}");
    assert_eq!(light["waiting"], 1);
    env.set_now("2026-11-30T12:00:00Z");
    let light = lights(&env);
    assert_eq!(light["light"], "red", "{light}");
    assert_eq!(
        light["waiting_too_long"],
        serde_json::json!(["PO-2026-0042"])
    );
    let status = env.ok(&["status"]);
    assert!(status.contains("1 waiting over 3 days"), "{status}");
    assert!(status.contains("ccv-moneybird payouts"), "{status}");
}

#[test]
fn a_refund_in_the_payout_is_taken_off_the_gross() {
    let (env, references) = booked_shop();
    let refunded = env.world().transaction("C00").unwrap();
    env.world().add_transaction(CcvTransaction::taken_back(
        &refunded,
        "refund",
        "P00",
        Cents(500),
        "success",
        ms("2026-11-26T09:00:00Z"),
    ));
    let mut all = references.clone();
    all.push("P00".into());
    let gross = pay_out(&env, &all);
    let ideal: i64 = (0..20).map(|index| 1000 + index).sum::<i64>() - 500;
    let line = bank_line(&env, gross, 1234);
    env.set_now(NEXT_DAY);
    env.sync();
    let world = env.world();
    let mutation = world.financial_mutation(&line).unwrap();
    assert_eq!(mutation.amount_open(), Cents(0));
    assert!(
        mutation
            .bookings
            .iter()
            .any(
                |booking| booking.ledger_account_id == env.shop.ledger_accounts["ideal"]
                    && booking.price == Cents(ideal)
            )
    );
}

#[test]
fn a_payment_in_fouten_holds_its_payout_back() {
    let (env, mut references) = booked_shop();
    env.world().add_transaction(
        Sale::new("C99", 777)
            .at("2026-11-25T11:00:00Z")
            .described("Factuur 2026-9999")
            .build(),
    );
    env.sync();
    assert_eq!(env.row("C99")["tab"], "fouten");
    references.push("C99".into());
    let gross = pay_out(&env, &references);
    bank_line(&env, gross, 1234);
    env.set_now(NEXT_DAY);
    env.sync();
    let held = &payouts(&env)[0];
    assert_eq!(held["state"], "waiting");
    assert!(held["reason"].as_str().unwrap().contains("C99"), "{held}");
    assert_eq!(link_requests(&env), 0);
}

/// A run killed right after its second link: the next run reads the line and links only
/// the third part.
#[test]
fn a_crash_between_two_links_is_finished_never_doubled() {
    let setup = || {
        let (env, references) = booked_shop();
        let gross = pay_out(&env, &references);
        let line = bank_line(&env, gross, 1234);
        env.set_now(NEXT_DAY);
        (env, line)
    };
    // Where the second link falls in the run, from a run that is not killed.
    let (probe, _) = setup();
    let before = probe.moneybird_requests();
    probe.sync();
    let second_link = probe
        .world()
        .requests(Api::Moneybird)
        .skip(before)
        .enumerate()
        .filter(|(_, request)| request.method == "PATCH")
        .nth(1)
        .map(|(at, _)| before + at + 1)
        .unwrap();

    let (env, line) = setup();
    assert!(
        !env.sync_killed_at(second_link, Moment::AfterApplying),
        "the run was killed"
    );
    assert_eq!(
        env.world()
            .financial_mutation(&line)
            .unwrap()
            .bookings
            .len(),
        2
    );

    env.sync();
    let world = env.world();
    let mutation = world.financial_mutation(&line).unwrap();
    assert_eq!(
        mutation.bookings.len(),
        3,
        "every amount linked exactly once"
    );
    assert_eq!(mutation.amount_open(), Cents(0));
}

#[test]
fn doctor_checks_the_bank_scope_and_both_ids() {
    let (env, _) = booked_shop();
    let said: Vec<serde_json::Value> =
        serde_json::from_str(&env.ok(&["doctor", "--json"])).unwrap();
    let payouts: Vec<&serde_json::Value> = said
        .iter()
        .filter(|check| check["check"] == "payouts")
        .collect();
    assert_eq!(payouts.len(), 2);
    assert!(
        payouts.iter().all(|check| check["status"] == "ok"),
        "{payouts:?}"
    );
    let token = env.shop.moneybird_token.clone();
    env.world()
        .moneybird
        .limit_scopes(&token, &["sales_invoices", "settings"]);
    let output = env.run(&["doctor", "--json"]);
    assert_eq!(output.status.code(), Some(1));
    let said: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        said.iter().any(|check| check["check"] == "scopes"
            && check["status"] == "failed"
            && check["detail"]
                .as_str()
                .unwrap()
                .contains("No access to bank")),
        "{said:?}"
    );
}

/// `demo` ends with its payouts linked and nothing left open on their bank lines.
#[test]
fn the_demo_clears_the_tussenrekening() {
    let env = Env::new(NOW);
    let output = env
        .command(&["demo"])
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let said = String::from_utf8(output.stdout).unwrap();
    let payouts: Vec<&str> = said
        .lines()
        .filter(|line| line.contains("PO-DEMO-"))
        .collect();
    assert_eq!(payouts.len(), 2, "{said}");
    assert!(
        payouts
            .iter()
            .all(|line| line.trim_end().ends_with("linked")),
        "{said}"
    );
    assert!(
        said.contains("Left open on the payouts' bank lines: € 0,00"),
        "{said}"
    );
    assert!(
        said.lines().all(|line| line.chars().count() <= 100),
        "{said}"
    );
}

/// A dry run links nothing.
#[test]
fn a_dry_run_links_nothing() {
    let (env, references) = booked_shop();
    let gross = pay_out(&env, &references);
    bank_line(&env, gross, 1234);
    env.set_now(NEXT_DAY);
    env.ok(&["sync", "--dry-run"]);
    assert_eq!(link_requests(&env), 0);
    env.sync();
    assert_eq!(link_requests(&env), 3);
}

/// CCV's list of what it paid out reaches back months, past this tool's first window: a
/// payment from before it is the bookkeeper's past, never fetched or booked from there.
#[test]
fn a_payout_of_old_payments_books_nothing_from_before_the_first_window() {
    let (env, _) = booked_shop();
    InvoicePaid::new("2026-0900", 5000)
        .paid_by("OLD")
        .at("2026-09-01T10:00:00Z")
        .add(&env);
    env.world().pay_out(
        &["OLD"],
        "PO-OLD",
        "CCV PAYOUT PO-OLD",
        day("2026-11-26"),
        ms("2026-11-26T14:00:00Z"),
    );
    env.set_now(NEXT_DAY);
    env.sync();
    assert!(env.booked("OLD").is_empty());
    assert!(env.rows().iter().all(|row| row["reference"] != "OLD"));
    assert!(payouts(&env).is_empty(), "no payout of nothing known");
}
