//! `export`: one row per booked payment of the period, in each format, loadable as a table
//! (including by Dutch Excel), with totals apart.

use crate::common::{Env, invoice_and_payment};

const NOW: &str = "2026-11-27T12:00:00Z";

/// Booked: C1 € 1.234,56 on the 25th, C2 € 60,05 on 2026-0002 of € 60,00 on the 26th
/// (€ 0,05 stays on the tussenrekening), C3 € 20,00 on the 24th (outside most periods).
/// C4 was booked by hand and resolved with a note full of separators; C5 is not booked.
fn shop() -> Env {
    let env = Env::new(NOW);
    env.write_config("rounding_tolerance = \"0.05\"\n");
    invoice_and_payment(
        &env,
        "2026-0001",
        123456,
        "C1",
        "ideal",
        "2026-11-25T10:00:00Z",
    );
    {
        let mut world = env.world();
        world.add_invoice(ccv_moneybird_sandbox::seed::NewInvoice::sales(
            "2026-0002",
            ccv_moneybird_sandbox::Cents(6000),
        ));
        world.add_transaction(crate::common::paid(
            "C2",
            6005,
            "ideal",
            "2026-11-26T09:00:00Z",
            "Factuur 2026-0002",
        ));
        world.add_transaction(crate::common::paid(
            "C4",
            1500,
            "card",
            "2026-11-25T11:00:00Z",
            "Factuur 2026-0999",
        ));
        world.add_transaction(crate::common::paid(
            "C5",
            999,
            "card",
            "2026-11-25T12:00:00Z",
            "no invoice at all",
        ));
    }
    invoice_and_payment(
        &env,
        "2026-0003",
        2000,
        "C3",
        "card",
        "2026-11-24T10:00:00Z",
    );
    env.sync();
    env.ok(&[
        "resolve",
        "C4",
        "--note",
        "booked by hand; \"kas\", invoice 2026-0999",
    ]);
    env
}

fn export(env: &Env, format: &str) -> String {
    env.ok(&[
        "export",
        "--from",
        "2026-11-25",
        "--to",
        "2026-11-26",
        "--format",
        format,
    ])
}

#[test]
fn csv_is_one_row_per_booked_payment() {
    let env = shop();
    let text = export(&env, "csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        [
            "booking_date",
            "reference",
            "shop",
            "method",
            "tussenrekening",
            "invoice",
            "currency",
            "amount",
            "booked",
            "difference",
            "moneybird_payment_id",
            "resolution",
            "payout"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let summary: Vec<(String, String, String, String, String)> = rows
        .iter()
        .map(|row| {
            (
                row[0].into(),
                row[1].into(),
                row[7].into(),
                row[8].into(),
                row[9].into(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "2026-11-25".into(),
                "C1".into(),
                "1234.56".into(),
                "1234.56".into(),
                "0.00".into()
            ),
            (
                "2026-11-25".into(),
                "C4".into(),
                "15.00".into(),
                "15.00".into(),
                "0.00".into()
            ),
            (
                "2026-11-26".into(),
                "C2".into(),
                "60.05".into(),
                "60.00".into(),
                "0.05".into()
            ),
        ]
    );
    let c1 = &rows[0];
    assert_eq!(&c1[5], "2026-0001");
    assert_eq!(
        &c1[10],
        env.row("C1")["moneybird_payment_id"].as_str().unwrap()
    );
    assert_eq!(&c1[4], env.shop.ledger_accounts["ideal"].as_str());
    assert_eq!(&rows[1][11], "booked by hand; \"kas\", invoice 2026-0999");
    assert!(text.contains("\r\n"), "RFC 4180 lines end in CRLF");
}

/// What Dutch Excel does with the file: a BOM says UTF-8, `;` separates, a decimal comma.
#[test]
fn csv_nl_opens_right_in_dutch_excel() {
    let env = shop();
    let output = env.run(&[
        "export",
        "--from",
        "2026-11-25",
        "--to",
        "2026-11-26",
        "--format",
        "csv-nl",
    ]);
    assert!(output.status.success());
    let bytes = output.stdout;
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "UTF-8 with BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    assert_eq!(&reader.headers().unwrap()[0], "boekdatum");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!((&rows[0][0], &rows[0][7]), ("25-11-2026", "1234,56"));
    assert_eq!(&rows[2][9], "0,05");
    // Read back as Excel would: the amounts are numbers that add up to what CCV paid.
    let cents: i64 = rows
        .iter()
        .map(|row| {
            let (whole, fraction) = row[7].split_once(',').unwrap();
            whole.parse::<i64>().unwrap() * 100 + fraction.parse::<i64>().unwrap()
        })
        .sum();
    assert_eq!(cents, 123456 + 1500 + 6005);
    // A note with `;` and quotes stays one field.
    assert_eq!(rows[1].len(), 13);
}

#[test]
fn json_rows_and_totals_apart() {
    let env = shop();
    let json: serde_json::Value = serde_json::from_str(&export(&env, "json")).unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2]["reference"], "C2");
    assert_eq!(rows[2]["amount"], "60.05");
    assert_eq!(rows[2]["booked"], "60.00");
    assert_eq!(rows[2]["difference"], "0.05");
    assert!(rows[2]["shop"].is_null());

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rows.csv");
    let totals = dir.path().join("totals.csv");
    let said = env.run(&[
        "export",
        "--from",
        "2026-11-24",
        "--to",
        "2026-11-26",
        "--output",
        out.to_str().unwrap(),
        "--totals",
        totals.to_str().unwrap(),
    ]);
    assert!(said.status.success());
    assert!(
        said.stdout.is_empty(),
        "with --output nothing goes to stdout"
    );
    let rows = std::fs::read_to_string(&out).unwrap();
    assert_eq!(rows.lines().count(), 1 + 4);
    let totals = std::fs::read_to_string(&totals).unwrap();
    let lines: Vec<&str> = totals.lines().collect();
    assert_eq!(
        lines,
        [
            "booking_date,method,currency,payments,amount,booked,difference",
            "2026-11-24,card,EUR,1,20.00,20.00,0.00",
            "2026-11-25,card,EUR,1,15.00,15.00,0.00",
            "2026-11-25,ideal,EUR,1,1234.56,1234.56,0.00",
            "2026-11-26,ideal,EUR,1,60.05,60.00,0.05",
        ]
    );
}

#[test]
fn a_period_backwards_is_refused() {
    let env = shop();
    let said = env.said(&["export", "--from", "2026-11-26", "--to", "2026-11-25"]);
    assert!(said.starts_with("exit: 2"), "{said}");
    assert!(
        said.contains("--from 2026-11-26 lies after --to 2026-11-25"),
        "{said}"
    );
}
