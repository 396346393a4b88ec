//! The bank side of the sandbox and the client (the ground for payouts, #13): a bank line
//! imported as a bookkeeper's bank does, read in bulk, and linked to ledger accounts until
//! its open amount is zero, each body as Moneybird's OpenAPI description says.

use std::time::Duration;

use ccv_moneybird::money::Cents as ClientCents;
use ccv_moneybird::moneybird::MoneybirdClient;
use ccv_moneybird_sandbox::{Api, Cents};

use crate::common::Env;

const NOW: &str = "2026-11-26T12:00:00Z";

fn client(env: &Env) -> MoneybirdClient {
    MoneybirdClient::new(
        ccv_moneybird::http::client().unwrap(),
        &env.sandbox.url().parse().unwrap(),
        &env.shop.moneybird_token,
        Some(env.shop.administration_id.clone()),
        Duration::from_secs(1),
    )
}

#[test]
fn a_payout_line_is_linked_to_the_tussenrekeningen_and_the_costs_until_nothing_is_open() {
    let env = Env::new(NOW);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let line = env.world().import_bank_line(
        &env.shop.bank_account,
        day,
        "CCV PAYOUT 7781234 PO-2026-0042",
        Cents(123_400),
    );
    let moneybird = client(&env);
    let versions = moneybird
        .financial_mutation_versions(&env.shop.bank_account, "20261101..20261130")
        .unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].0, line);
    let read = moneybird
        .financial_mutations_by_id(std::slice::from_ref(&line))
        .unwrap();
    assert_eq!(read[0].amount, ClientCents(123_400));
    assert_eq!(read[0].amount_open, ClientCents(123_400));
    assert!(read[0].message.contains("PO-2026-0042"));

    // 800,00 of iDEAL and 450,00 of card payments, less 16,00 of CCV's costs. The costs go
    // first: booked after the gross, the line would be over-booked for a moment, and then
    // Moneybird swaps the signs (OpenAPI, `price_base`).
    for (ledger, cents) in [
        (&env.shop.costs_ledger_account, -1_600),
        (&env.shop.ledger_accounts["ideal"], 80_000),
        (&env.shop.ledger_accounts["card"], 45_000),
    ] {
        let (result, exchange) =
            moneybird.link_booking(&line, ledger, ClientCents(cents), "CCV payout PO-2026-0042");
        result.unwrap();
        assert_eq!(exchange.status, Some(200));
    }
    let linked = moneybird
        .financial_mutations_by_id(std::slice::from_ref(&line))
        .unwrap();
    assert_eq!(linked[0].amount_open, ClientCents(0));
    assert_eq!(linked[0].bookings.len(), 3);
    assert!(
        linked[0].version > read[0].version,
        "a link moves the version"
    );

    let log: Vec<_> = env.world().requests(Api::Moneybird).cloned().collect();
    let (validated, _) = crate::contract::validate_bodies(&log);
    assert_eq!(
        validated, 5,
        "two synchronization POSTs and three link_booking PATCHes"
    );
}

#[test]
fn linking_needs_the_bank_scope() {
    let env = Env::new(NOW);
    let line = env.world().import_bank_line(
        &env.shop.bank_account,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        "CCV PAYOUT",
        Cents(1_000),
    );
    let token = env.shop.moneybird_token.clone();
    env.world()
        .moneybird
        .limit_scopes(&token, &["sales_invoices", "settings"]);
    let (result, exchange) = client(&env).link_booking(
        &line,
        &env.shop.costs_ledger_account,
        ClientCents(1_000),
        "x",
    );
    assert_eq!(exchange.status, Some(401));
    assert!(format!("{}", result.unwrap_err()).contains("No access to bank"));
    assert!(
        env.world()
            .financial_mutation(&line)
            .unwrap()
            .bookings
            .is_empty()
    );
}

/// The sign rule of an over-booked line: a positive amount then books against it.
#[test]
fn an_over_booked_line_takes_positive_amounts_against_it() {
    let env = Env::new(NOW);
    let line = env.world().import_bank_line(
        &env.shop.bank_account,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        "CCV PAYOUT",
        Cents(1_000),
    );
    let moneybird = client(&env);
    let ideal = &env.shop.ledger_accounts["ideal"];
    moneybird
        .link_booking(&line, ideal, ClientCents(1_200), "gross")
        .0
        .unwrap();
    assert_eq!(
        env.world().financial_mutation(&line).unwrap().amount_open(),
        Cents(-200)
    );
    moneybird
        .link_booking(
            &line,
            &env.shop.costs_ledger_account,
            ClientCents(200),
            "costs",
        )
        .0
        .unwrap();
    assert_eq!(
        env.world().financial_mutation(&line).unwrap().amount_open(),
        Cents(0)
    );
}
