//! What leaves the tool is safe: text from CCV and Moneybird never reaches a terminal, cron
//! mail or a CSV cell able to act (escape sequences, bidi overrides), while `--json` keeps
//! it as it came; an amount that cannot be read is shown as it was sent, never as € 0,00;
//! a report never overwrites a file or follows a link; a tolerance that writes off real
//! money is refused; an invoice in another currency gets its `price_base`.
//!
//! The wrong code these catch: a table or summary that prints CCV's description or
//! reference as it is; an unreadable amount shown as 0.00; `std::fs::write` for the report
//! (follows the link, overwrites, 0644); no upper bound on the tolerance; a payment on a
//! USD invoice posted without `price_base` (the sandbox, like Moneybird, refuses it).

use std::os::unix::fs::PermissionsExt as _;

use ccv_moneybird_sandbox::seed::NewInvoice;
use ccv_moneybird_sandbox::{Api, Cents};
use serde_json::{Value, json};

use crate::common::{Env, Sale};

const NOW: &str = "2026-11-26T12:00:00Z";
/// OSC 52 (writes the clipboard), a bell, clear screen, and a right-to-left override.
const HOSTILE: &str = "\u{1b}]52;c;aGk=\u{7}\u{1b}[2J\u{202e}gnp.exe\u{9b}31m";

fn assert_harmless(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for raw in ['\u{1b}', '\u{7}', '\u{202e}', '\u{9b}'] {
        assert!(!text.contains(raw), "{what} holds {raw:?} raw:\n{text}");
    }
}

/// C1 is booked on an invoice whose Moneybird number holds an escape sequence; its CCV
/// description is hostile. C2 names no invoice and has a hostile reference. C3's amount
/// cannot be read.
fn hostile_shop() -> Env {
    let env = Env::new(NOW);
    // Matching splits words at brackets, so the invoice number carries what it can keep:
    // a right-to-left override and a C1 control sequence introducer.
    let number = "2026-\u{202e}00\u{9b}01";
    {
        let mut world = env.world();
        world.add_invoice(NewInvoice::sales(number, Cents(1000)));
        world.add_transaction(
            Sale::new("C1", 1000)
                .described(&format!("Factuur {number} {HOSTILE}"))
                .build(),
        );
        world.add_transaction(
            Sale::new(&format!("C2{HOSTILE}"), 2000)
                .method("card")
                .at("2026-11-25T11:00:00Z")
                .described(&format!("no invoice {HOSTILE}"))
                .build(),
        );
        let mut unreadable = Sale::new("C3", 500)
            .at("2026-11-25T12:00:00Z")
            .described("Factuur 2026-0003")
            .build();
        unreadable.wire_overrides = vec![("amount".into(), json!("12.345"))];
        world.add_transaction(unreadable);
    }
    env
}

#[test]
fn escape_sequences_and_bidi_overrides_never_reach_a_terminal_or_a_csv_cell_raw() {
    let env = hostile_shop();
    let sync = env.run(&["sync"]);
    assert!(sync.status.success(), "{sync:?}");
    assert_harmless("sync's summary", &sync.stdout);
    assert_harmless("sync's log", &sync.stderr);
    assert_eq!(
        env.booked("C1").len(),
        1,
        "the hostile invoice number still matched"
    );
    let c2 = format!("C2{HOSTILE}");
    for args in [
        vec!["status"],
        vec!["status", "--tab", "all"],
        vec!["status", "--tab", "fouten"],
        vec!["status", "--tab", "rapportage"],
        vec!["info", "C1"],
        vec!["info", c2.as_str()],
        vec!["info", "C3"],
        vec!["report", "1", "--output", "/dev/null/unused"],
        vec!["export", "--from", "2026-11-25", "--to", "2026-11-25"],
        vec![
            "export",
            "--from",
            "2026-11-25",
            "--to",
            "2026-11-25",
            "--format",
            "csv-nl",
        ],
        vec!["-v", "recheck"],
    ] {
        let output = env.run(&args);
        assert_harmless(&format!("{args:?} stdout"), &output.stdout);
        assert_harmless(&format!("{args:?} stderr"), &output.stderr);
    }
    // Shown visibly, so a person can still see something odd is there.
    let info = env.ok(&["info", "C1"]);
    assert!(info.contains("\\u{1b}]52;c;aGk="), "{info}");
    // Scripts get the text as it came.
    let rows = env.rows();
    let c1 = rows.iter().find(|row| row["reference"] == "C1").unwrap();
    assert_eq!(
        c1["description"],
        format!("Factuur 2026-\u{202e}00\u{9b}01 {HOSTILE}")
    );
    assert_eq!(c1["invoice"], "2026-\u{202e}00\u{9b}01");
    assert!(rows.iter().any(|row| row["reference"] == c2.as_str()));
}

#[test]
fn an_unreadable_amount_is_shown_as_ccv_sent_it_never_as_zero() {
    let env = hostile_shop();
    let said = env.sync();
    assert!(
        said.contains("12.345 (unreadable, as CCV sent it)"),
        "{said}"
    );
    assert!(!said.contains("€ 0,00"), "{said}");
    let row = env.row("C3");
    assert_eq!(row["error"]["code"], "unreadable");
    assert_eq!(row["amount"], Value::Null);
    assert_eq!(row["amount_as_sent"], "12.345");
    let fouten = env.ok(&["status", "--tab", "fouten"]);
    assert!(fouten.contains("12.345 (unreadable"), "{fouten}");
    assert!(env.ok(&["info", "C3"]).contains("12.345 (unreadable"));
    let dutch = String::from_utf8(
        env.command(&["status", "--tab", "fouten"])
            .env("LANG", "nl_NL.UTF-8")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(dutch.contains("12.345 (onleesbaar"), "{dutch}");
    // The reason too is the reader's language, not the English it is kept in for scripts.
    let flat = dutch.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("heeft meer dan twee decimalen"), "{dutch}");
    assert!(!flat.contains("more than two decimals"), "{dutch}");
    // A readable row keeps its amount as a decimal string.
    assert_eq!(env.row("C1")["amount"], "10.00");
    assert!(env.row("C1").get("amount_as_sent").is_none());
}

#[test]
fn a_report_never_follows_a_link_nor_overwrites_a_file_and_is_owner_only() {
    let env = Env::new(NOW);
    crate::common::one_paid(&env);
    env.sync();
    let dir = tempfile::tempdir().unwrap();
    let precious = dir.path().join("precious.txt");
    std::fs::write(&precious, "keep me\n").unwrap();
    let link = dir.path().join("report.md");
    std::os::unix::fs::symlink(&precious, &link).unwrap();
    let existing = dir.path().join("existing.md");
    std::fs::write(&existing, "an earlier report\n").unwrap();

    for (path, what) in [
        (&link, "a link planted at its name"),
        (&existing, "a file of that name"),
    ] {
        let said = env.said(&["report", "1", "--output", path.to_str().unwrap()]);
        assert!(said.starts_with("exit: 1"), "{what}: {said}");
        assert!(said.contains("exists already"), "{what}: {said}");
    }
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "keep me\n");
    assert_eq!(
        std::fs::read_to_string(&existing).unwrap(),
        "an earlier report\n"
    );

    // Without --output: a new name every time, owner-only, the config without comments.
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    std::fs::write(
        env.config_path(),
        format!("# my notes: the old key was l_0123456789\n{config}\n[ui]\nlanguage = \"en\" # en or nl\n"),
    )
    .unwrap();
    let mut written = Vec::new();
    for _ in 0..2 {
        let output = env
            .command(&["report", "1"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let said = String::from_utf8(output.stdout).unwrap();
        let name = said
            .lines()
            .next()
            .unwrap()
            .trim_start_matches("Wrote ")
            .to_string();
        written.push(dir.path().join(name));
    }
    assert_ne!(
        written[0], written[1],
        "a second report gets a name of its own"
    );
    for path in &written {
        let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", path.display());
        let report = std::fs::read_to_string(path).unwrap();
        assert!(
            !report.contains("my notes") && !report.contains("l_0123456789"),
            "{report}"
        );
        assert!(
            report.contains("language = \"en\""),
            "the parsed config is there: {report}"
        );
        assert!(!report.contains("# en or nl"), "{report}");
    }
}

#[test]
fn a_rounding_tolerance_above_one_euro_is_a_config_error_naming_the_key() {
    let env = Env::new(NOW);
    crate::common::one_paid(&env);
    env.write_config("rounding_tolerance = \"5.00\"\n");
    let said = env.said(&["sync"]);
    assert!(said.starts_with("exit: 1"), "{said}");
    assert!(
        said.contains("rounding_tolerance `5.00` is more than 1.00"),
        "{said}"
    );
    assert_eq!(env.world().requests(Api::Moneybird).count(), 0);
    env.write_config("rounding_tolerance = \"1.00\"\n");
    env.sync();
    assert_eq!(env.booked("C1").len(), 1);
}

#[test]
fn a_usd_invoice_in_a_euro_administration_is_booked_with_price_base_at_its_own_rate() {
    let env = Env::new(NOW);
    {
        let mut world = env.world();
        world.add_invoice(NewInvoice::sales("2026-0042", Cents(10000)).currency("USD"));
        let mut dollars = Sale::new("C1", 10000)
            .method("card")
            .described("Factuur 2026-0042")
            .build();
        dollars.currency = "usd".into();
        world.add_transaction(dollars);
    }
    let dry = env.ok(&["sync", "--dry-run"]);
    assert!(dry.contains("$ 100,00"), "{dry}");
    assert!(
        !dry.contains("€ 100,00"),
        "never a euro sign on dollars: {dry}"
    );
    let said = env.sync();
    assert!(!said.contains("C1"), "nothing for a person to do: {said}");
    let booked = env.booked("C1");
    assert_eq!(booked.len(), 1, "{said}");
    assert_eq!(booked[0].price, Cents(10000));
    let post = env
        .world()
        .requests(Api::Moneybird)
        .find(|request| request.method == "POST" && request.path.ends_with("/payments.json"))
        .and_then(|request| request.body.clone())
        .unwrap();
    let body: Value = serde_json::from_str(&post).unwrap();
    // $ 100,00 at the invoice's 0.9215: € 92,15.
    assert_eq!(body["payment"]["price_base"], "92.15", "{body}");
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

#[test]
fn info_shows_a_candidate_invoice_as_moneybird_holds_it_now() {
    // The wrong code: the candidates as the evidence kept them, "open" after it was paid.
    let env = Env::new(NOW);
    crate::common::ambiguous_and_lost(&env);
    env.sync();
    let before = env.ok(&["info", "C2"]);
    let open_line = |info: &str| {
        info.lines()
            .find(|line| line.trim_start().starts_with("2026-0003"))
            .unwrap_or_default()
            .to_string()
    };
    assert!(open_line(&before).contains("open"), "{before}");
    env.world()
        .book_by_hand("2026-0003", Cents(2000), today())
        .unwrap();
    let after = env.ok(&["info", "C2"]);
    assert!(open_line(&after).contains("paid"), "{after}");
    assert!(!open_line(&after).contains(" open "), "{after}");
}

#[test]
fn info_and_retry_say_when_a_booking_is_no_longer_in_moneybird() {
    let env = Env::new(NOW);
    crate::common::one_paid(&env);
    env.sync();
    let payment = env.row("C1")["moneybird_payment_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(env.world().delete_payment(&payment));
    let info = env.ok(&["info", "C1"]);
    assert!(info.contains("no longer holds payment"), "{info}");
    let said = env.said(&["retry", "C1"]);
    assert!(said.starts_with("exit: 1"), "{said}");
    assert!(
        said.contains("is no longer there"),
        "not 'already booked': {said}"
    );
    // And where Moneybird cannot be asked, info says it shows what it last saw.
    let offline = env
        .command(&["info", "C1"])
        .env_remove("MONEYBIRD_TOKEN")
        .output()
        .unwrap();
    let offline = String::from_utf8(offline.stdout).unwrap();
    assert!(offline.contains("as last seen"), "{offline}");
}

#[test]
fn retry_books_a_payment_once_the_wrong_payment_under_its_id_is_deleted() {
    // The wrong code: refusing on the stale claim that Moneybird holds a payment with this
    // transaction id, after the bookkeeper deleted it as the advice said.
    let env = Env::new(NOW);
    env.world()
        .add_invoice(NewInvoice::sales("2026-0001", Cents(5000)));
    let wrong = env
        .world()
        .book_by_hand_with_identifier("2026-0001", Cents(1234), today(), Some("C1"))
        .unwrap();
    env.world()
        .add_transaction(Sale::new("C1", 5000).described("Factuur 2026-0001").build());
    env.sync();
    assert_eq!(env.row("C1")["error"]["code"], "already_booked");
    assert!(env.world().delete_payment(&wrong));
    env.ok(&["retry", "C1"]);
    let booked = env.booked("C1");
    assert_eq!(booked.len(), 1, "{booked:?}");
    assert_eq!(booked[0].price, Cents(5000));
    assert_eq!(env.row("C1")["tab"], "rapportage");
}
