//! `export`: what the accountant gets is true. One row per payment booked or settled in the
//! period, each saying who settled it (`handled_by`); `booked` only where this tool's own
//! payment stands in Moneybird, so per currency the column adds up to exactly those
//! payments; totals of `booked` only, per day, method and currency; the same figures in
//! every format; and no cell a spreadsheet would run as a formula.
//!
//! The wrong code these tests catch: a `booked` that sums every row's amount (a payment
//! resolved by hand, one Moneybird already held, an undone booking would all count), and
//! one total per day and method (euros and pounds added up).

use std::collections::BTreeMap;

use ccv_moneybird_sandbox::seed::NewInvoice;
use ccv_moneybird_sandbox::{CcvTransaction, Cents};
use serde_json::Value;

use crate::common::{Env, InvoicePaid, Sale, ms};

const NOW: &str = "2026-11-27T12:00:00Z";
/// A resolve note a spreadsheet would run as a formula.
const FORMULA_NOTE: &str = "=HYPERLINK(\"http://evil.example\",\"kas\")";

/// Who settled each payment of the story, and the amount this tool's payment stands for.
const EXPECTED: [(&str, &str, Option<&str>); 9] = [
    ("C1", "tool", Some("1234.56")),
    ("C2", "tool", Some("60.00")),
    ("C4", "person", None),
    ("H1", "moneybird", None),
    ("U1", "undone", None),
    ("R1", "tool", Some("50.00")),
    ("E1", "tool", Some("10.00")),
    ("G1", "tool", Some("196.00")),
    ("M1", "tool", Some("7.00")),
];

/// The story: booked by the tool (C1; C2 above its invoice within the tolerance; C3 the
/// day before the period), resolved by a person (C4), found booked by hand (H1), undone
/// after a chargeback (U1), refunded in part after booking (R1), a second currency (G1),
/// and C5, which never found an invoice.
fn shop() -> Env {
    let env = Env::new(NOW);
    env.write_config("rounding_tolerance = \"0.05\"\n");
    InvoicePaid::new("2026-0001", 123456).add(&env);
    InvoicePaid::new("2026-0003", 2000)
        .paid_by("C3")
        .method("card")
        .at("2026-11-24T10:00:00Z")
        .add(&env);
    InvoicePaid::new("2026-0005", 4000)
        .paid_by("U1")
        .method("card")
        .at("2026-11-25T13:00:00Z")
        .add(&env);
    InvoicePaid::new("2026-0006", 5000)
        .paid_by("R1")
        .at("2026-11-25T14:00:00Z")
        .add(&env);
    InvoicePaid::new("2026-0008", 1000)
        .paid_by("E1")
        .method("card")
        .at("2026-11-26T11:00:00Z")
        .add(&env);
    InvoicePaid::new("2026-0009", 700)
        .paid_by("M1")
        .method("card")
        .at("2026-11-26T12:00:00Z")
        .add(&env);
    InvoicePaid::new("2026-0004", 3000)
        .paid_by("H1")
        .at("2026-11-25T12:00:00Z")
        .typed_in_by_hand_on("2026-11-26")
        .add(&env);
    {
        let mut world = env.world();
        world.add_invoice(NewInvoice::sales("2026-0002", Cents(6000)));
        world.add_transaction(
            Sale::new("C2", 6005)
                .at("2026-11-26T09:00:00Z")
                .described("Factuur 2026-0002")
                .build(),
        );
        world.add_transaction(
            Sale::new("C4", 1500)
                .method("card")
                .at("2026-11-25T11:00:00Z")
                .described("Factuur 2026-0999")
                .build(),
        );
        world.add_transaction(
            Sale::new("C5", 999)
                .method("card")
                .at("2026-11-25T12:00:00Z")
                .described("no invoice at all")
                .build(),
        );
        world.add_invoice(NewInvoice::sales("2026-0007", Cents(19600)).currency("GBP"));
        let mut pounds = Sale::new("G1", 19600)
            .method("card")
            .at("2026-11-26T10:00:00Z")
            .described("Factuur 2026-0007")
            .build();
        pounds.currency = "gbp".into();
        world.add_transaction(pounds);
    }
    env.sync();
    env.ok(&["resolve", "C4", "--note", FORMULA_NOTE]);
    {
        let mut world = env.world();
        for (original, kind, reference, cents) in [
            ("U1", "CHARGEBACK", "CB-U1", 4000),
            ("R1", "refund", "RF-R1", 2000),
        ] {
            let payment = world.transaction(original).unwrap();
            world.add_transaction(CcvTransaction::taken_back(
                &payment,
                kind,
                reference,
                Cents(cents),
                "success",
                ms("2026-11-27T09:00:00Z"),
            ));
        }
    }
    env.sync();
    env.ok(&["retry", "U1", "--undo-booking"]);
    env
}

fn export(env: &Env, format: &str) -> Vec<u8> {
    let output = env.run(&[
        "export",
        "--from",
        "2026-11-25",
        "--to",
        "2026-11-26",
        "--format",
        format,
    ]);
    assert!(output.status.success(), "{output:?}");
    output.stdout
}

/// The rows of each format as (reference → column → text), amounts with a decimal point.
fn read(format: &str, bytes: &[u8]) -> BTreeMap<String, BTreeMap<String, String>> {
    if format == "json" {
        let rows: Vec<Value> = serde_json::from_slice(bytes).unwrap();
        return rows
            .into_iter()
            .map(|row| {
                let columns = row
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(key, value)| {
                        let text = match value {
                            Value::Null => String::new(),
                            Value::String(text) => text.clone(),
                            Value::Array(items) => items
                                .iter()
                                .map(|item| item.as_str().unwrap_or_default().to_string())
                                .collect::<Vec<_>>()
                                .join("; "),
                            other => other.to_string(),
                        };
                        (key.clone(), text)
                    })
                    .collect::<BTreeMap<_, _>>();
                (columns["reference"].clone(), columns)
            })
            .collect();
    }
    let (delimiter, text) = match format {
        "csv-nl" => {
            assert!(bytes.starts_with("\u{feff}".as_bytes()), "UTF-8 with BOM");
            (b';', String::from_utf8(bytes[3..].to_vec()).unwrap())
        }
        _ => (b',', String::from_utf8(bytes.to_vec()).unwrap()),
    };
    assert!(text.contains("\r\n"), "RFC 4180 lines end in CRLF");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    // The Dutch heading, mapped to the script names by position.
    let english = [
        "booking_date",
        "reference",
        "shop",
        "method",
        "tussenrekening",
        "invoice",
        "currency",
        "amount",
        "handled_by",
        "booked",
        "difference",
        "taken_back",
        "changes",
        "moneybird_payment_id",
        "resolution",
        "payout",
    ];
    assert_eq!(header.len(), english.len(), "{header:?}");
    if format == "csv" {
        assert_eq!(header, english);
    }
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            let columns: BTreeMap<String, String> = english
                .iter()
                .zip(record.iter())
                .map(|(name, value)| {
                    let value = match (format, *name) {
                        ("csv-nl", "booking_date") => {
                            let (day, month, year) = (&value[0..2], &value[3..5], &value[6..]);
                            format!("{year}-{month}-{day}")
                        }
                        ("csv-nl", "amount" | "booked" | "difference" | "taken_back") => {
                            value.replace(',', ".")
                        }
                        _ => value.to_string(),
                    };
                    (name.to_string(), value)
                })
                .collect();
            (columns["reference"].clone(), columns)
        })
        .collect()
}

fn cents(text: &str) -> i64 {
    let (whole, fraction) = text.split_once('.').unwrap();
    whole.parse::<i64>().unwrap() * 100 + fraction.parse::<i64>().unwrap()
}

#[test]
fn every_row_says_who_settled_it_and_booked_is_what_stands_in_moneybird() {
    let env = shop();
    let mut figures = Vec::new();
    for format in ["csv", "csv-nl", "json"] {
        let rows = read(format, &export(&env, format));
        let references: Vec<&str> = rows.keys().map(String::as_str).collect();
        let mut expected: Vec<&str> = EXPECTED.iter().map(|(reference, ..)| *reference).collect();
        expected.sort();
        assert_eq!(
            references, expected,
            "{format}: C3 lies before the period, C5 was never settled"
        );
        for (reference, handled_by, booked) in EXPECTED {
            let row = &rows[reference];
            assert_eq!(row["handled_by"], handled_by, "{format} {reference}");
            assert_eq!(row["booked"], booked.unwrap_or(""), "{format} {reference}");
            // Against the sandbox's own payments: the tool's stands exactly once, at that price.
            let in_moneybird: Vec<Cents> = env
                .booked(reference)
                .iter()
                .filter(|payment| {
                    payment.manual_payment_action.as_deref() != Some("rounding_error")
                })
                .map(|payment| payment.price)
                .collect();
            match (handled_by, booked) {
                ("tool", Some(booked)) => {
                    assert_eq!(in_moneybird, [Cents(cents(booked))], "{format} {reference}")
                }
                ("moneybird", _) => assert_eq!(in_moneybird.len(), 1, "typed in by hand"),
                _ => assert!(
                    in_moneybird.is_empty(),
                    "{format} {reference}: {in_moneybird:?}"
                ),
            }
        }
        assert_eq!(rows["C2"]["difference"], "0.05", "{format}");
        assert_eq!(
            rows["R1"]["taken_back"], "20.00",
            "{format}: the refund after booking"
        );
        assert!(
            rows["R1"]["changes"].contains("refund RF-R1 20.00 success"),
            "{format}"
        );
        assert!(
            rows["U1"]["changes"].contains("chargeback CB-U1 40.00"),
            "{format}"
        );
        assert_eq!(rows["G1"]["currency"], "GBP", "{format}");
        let note = match format {
            "json" => FORMULA_NOTE.to_string(),
            _ => format!("'{FORMULA_NOTE}"),
        };
        assert_eq!(
            rows["C4"]["resolution"], note,
            "{format}: never a live formula"
        );
        // Per currency, the column adds up to the tool's payments in Moneybird.
        let mut per_currency: BTreeMap<String, i64> = BTreeMap::new();
        for row in rows.values().filter(|row| !row["booked"].is_empty()) {
            *per_currency.entry(row["currency"].clone()).or_default() += cents(&row["booked"]);
        }
        assert_eq!(
            per_currency,
            BTreeMap::from([
                ("EUR".to_string(), 123456 + 6000 + 5000 + 1000 + 700),
                ("GBP".to_string(), 19600)
            ]),
            "{format}"
        );
        figures.push(
            rows.iter()
                .map(|(reference, row)| {
                    (
                        reference.clone(),
                        row["booking_date"].clone(),
                        row["amount"].clone(),
                        row["booked"].clone(),
                        row["difference"].clone(),
                    )
                })
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(
        figures[0], figures[1],
        "csv and csv-nl hold the same figures"
    );
    assert_eq!(figures[0], figures[2], "csv and json hold the same figures");
}

#[test]
fn totals_count_only_what_this_tool_booked_per_day_method_and_currency() {
    let env = shop();
    let dir = tempfile::tempdir().unwrap();
    let mut per_format = Vec::new();
    for format in ["csv", "csv-nl", "json"] {
        let out = dir.path().join(format!("rows.{format}"));
        let totals = dir.path().join(format!("totals.{format}"));
        let said = env.run(&[
            "export",
            "--from",
            "2026-11-24",
            "--to",
            "2026-11-26",
            "--format",
            format,
            "--output",
            out.to_str().unwrap(),
            "--totals",
            totals.to_str().unwrap(),
        ]);
        assert!(said.status.success(), "{said:?}");
        assert!(
            said.stdout.is_empty(),
            "with --output nothing goes to stdout"
        );
        let bytes = std::fs::read(&totals).unwrap();
        let lines: Vec<(String, String, String, String, String)> = if format == "json" {
            let totals: Vec<Value> = serde_json::from_slice(&bytes).unwrap();
            totals
                .iter()
                .map(|total| {
                    let text = |key: &str| match &total[key] {
                        Value::String(text) => text.clone(),
                        other => other.to_string(),
                    };
                    (
                        text("booking_date"),
                        text("method"),
                        text("currency"),
                        text("payments"),
                        text("booked"),
                    )
                })
                .collect()
        } else {
            let (delimiter, text) = if format == "csv-nl" {
                (b';', String::from_utf8(bytes[3..].to_vec()).unwrap())
            } else {
                (b',', String::from_utf8(bytes).unwrap())
            };
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .from_reader(text.as_bytes());
            reader
                .records()
                .map(|record| {
                    let record = record.unwrap();
                    let day = if format == "csv-nl" {
                        format!(
                            "{}-{}-{}",
                            &record[0][6..],
                            &record[0][3..5],
                            &record[0][0..2]
                        )
                    } else {
                        record[0].to_string()
                    };
                    (
                        day,
                        record[1].into(),
                        record[2].into(),
                        record[3].into(),
                        record[4].replace(',', "."),
                    )
                })
                .collect()
        };
        per_format.push(lines);
    }
    let expected: Vec<(String, String, String, String, String)> = [
        ("2026-11-24", "card", "EUR", "1", "20.00"),
        // C1 and R1 (its booking stands; the refund is on its row); H1 was Moneybird's.
        ("2026-11-25", "ideal", "EUR", "2", "1284.56"),
        // Euros and pounds on one day and method: two figures, never one.
        ("2026-11-26", "card", "EUR", "2", "17.00"),
        ("2026-11-26", "card", "GBP", "1", "196.00"),
        ("2026-11-26", "ideal", "EUR", "1", "60.00"),
    ]
    .iter()
    .map(|(a, b, c, d, e)| {
        (
            a.to_string(),
            b.to_string(),
            c.to_string(),
            d.to_string(),
            e.to_string(),
        )
    })
    .collect();
    for lines in &per_format {
        assert_eq!(lines, &expected);
    }
}

#[test]
fn output_and_totals_naming_one_file_is_refused_before_anything_is_written() {
    let env = shop();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.csv");
    std::fs::write(&file, "the accountant's earlier export\n").unwrap();
    let other_spelling = dir.path().join(".").join("export.csv");
    let said = env.said(&[
        "export",
        "--from",
        "2026-11-25",
        "--to",
        "2026-11-26",
        "--output",
        file.to_str().unwrap(),
        "--totals",
        other_spelling.to_str().unwrap(),
    ]);
    assert!(said.starts_with("exit: 2"), "{said}");
    assert!(said.contains("--output and --totals both name"), "{said}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "the accountant's earlier export\n",
        "nothing was written"
    );
}

#[test]
fn a_cell_a_spreadsheet_would_run_is_quoted_and_numbers_stay_numbers() {
    let env = shop();
    for format in ["csv", "csv-nl"] {
        let bytes = export(&env, format);
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.contains(&format!("'{}", FORMULA_NOTE.replace('"', "\"\""))),
            "{format}: {text}"
        );
        for line in text.lines() {
            for cell in line.split([',', ';']) {
                let cell = cell.trim_matches('"');
                assert!(
                    !cell.starts_with('=') && !cell.starts_with('@') && !cell.starts_with('+'),
                    "{format}: {cell} in {line}"
                );
            }
        }
    }
    // JSON keeps the note as the person wrote it.
    let json: Vec<Value> = serde_json::from_slice(&export(&env, "json")).unwrap();
    let c4 = json.iter().find(|row| row["reference"] == "C4").unwrap();
    assert_eq!(c4["resolution"], FORMULA_NOTE);
}

#[test]
fn a_period_backwards_is_refused() {
    let env = Env::new(NOW);
    env.sync();
    let said = env.said(&["export", "--from", "2026-11-26", "--to", "2026-11-25"]);
    assert!(said.starts_with("exit: 2"), "{said}");
    assert!(
        said.contains("--from 2026-11-26 lies after --to 2026-11-25"),
        "{said}"
    );
}
