//! The bookkeeper's dashboard (issue 3): the tabs, "Meer info", "Verwerk", "Meld probleem",
//! the nightly recheck, and runs that overlap.

use std::time::Duration;

use ccv_moneybird_sandbox::Cents;
use ccv_moneybird_sandbox::seed::NewInvoice;

use crate::common::{Env, InvoicePaid, Sale, ms};

const NOW: &str = "2025-03-10T12:00:00Z";

/// One payment of each kind a bookkeeper meets, with fixed references and times.
fn dashboard_shop() -> Env {
    let env = Env::new(NOW);
    {
        let mut world = env.world();
        world.add_invoice(NewInvoice::sales("2025-0100", Cents(12100)));
        world.add_invoice(NewInvoice::sales("2025-0101", Cents(36300)));
        world.add_invoice(NewInvoice::sales("2025-0102", Cents(10000)));
        world.add_invoice(NewInvoice::sales("2025-0103", Cents(5000)).reference("ORDER-7"));
        world.add_invoice(NewInvoice::sales("2025-0104", Cents(5000)).reference("ORDER-7"));
        world.add_invoice(NewInvoice::sales("2025-0105", Cents(60500)));
        world.add_invoice(NewInvoice::external("WEB-2025-1188", Cents(2500)));
    }
    let mut transactions = vec![
        Sale::new("C250301101500001CB87E192.A", 12100)
            .at("2025-03-01T10:15:00Z")
            .described("Factuur 2025-0100")
            .build(),
        Sale::new("C250302111500002CB87E192.B", 10000)
            .method("card")
            .at("2025-03-02T11:15:00Z")
            .described("Termijn 1 factuur 2025-0101")
            .build(),
        Sale::new("C250303121500003CB87E192.C", 123456)
            .at("2025-03-03T12:15:00Z")
            .described("Factuur 2025-0102")
            .build(),
        Sale::new("C250304131500004CB87E192.D", 4995)
            .method("paypal")
            .at("2025-03-04T13:15:00Z")
            .described("Factuur 2025-0999")
            .build(),
        Sale::new("C250306151500006CB87E192.F", 2500)
            .status("failed")
            .at("2025-03-06T15:15:00Z")
            .build(),
        Sale::new("C250307161500007CB87E192.G", 60500)
            .status("pending")
            .method("banktransfer")
            .at("2025-03-07T16:15:00Z")
            .build(),
        Sale::new("C250308171500008CB87E192.H", 25000)
            .status("manualintervention")
            .method("paypal")
            .at("2025-03-08T17:15:00Z")
            .build(),
    ];
    let mut ambiguous = Sale::new("C250305141500005CB87E192.E", 5000)
        .at("2025-03-05T14:15:00Z")
        .build();
    ambiguous.merchant_order_reference = Some("ORDER-7".into());
    transactions.push(ambiguous);
    let mut external = Sale::new("C250309181500009CB87E192.I", 2500)
        .method("card")
        .at("2025-03-09T18:15:00Z")
        .build();
    external.merchant_order_reference = Some("WEB-2025-1188".into());
    transactions.push(external);
    for transaction in transactions {
        env.world().add_transaction(transaction);
    }
    env
}

fn id_of(env: &Env, reference: &str) -> String {
    env.row(reference)["id"].to_string()
}

#[test]
fn snapshots_of_the_tabs_and_the_summary() {
    let env = dashboard_shop();
    let out = env.sync();
    insta::assert_snapshot!("sync_summary_for_cron", out);
    insta::with_settings!({filters => vec![(env.dir.path().to_str().unwrap(), "[DIR]")]}, {
        insta::assert_snapshot!("status", env.ok(&["status"]));
    });
    for tab in ["open", "rapportage", "fouten", "closed"] {
        insta::assert_snapshot!(format!("tab_{tab}"), env.ok(&["status", "--tab", tab]));
    }
    insta::assert_snapshot!(
        "tab_fouten_limit_1",
        env.ok(&["status", "--tab", "errors", "--limit", "1"])
    );
    insta::assert_snapshot!(
        "tab_all_since",
        env.ok(&["status", "--tab", "all", "--since", "2025-03-07"])
    );
}

#[test]
fn info_explains_an_ambiguous_match_and_an_overpayment() {
    let env = dashboard_shop();
    env.sync();
    let ambiguous = id_of(&env, "C250305141500005CB87E192.E");
    insta::assert_snapshot!("info_ambiguous_match", env.ok(&["info", &ambiguous]));
    insta::assert_snapshot!(
        "info_amount_exceeds_open",
        env.ok(&["info", "C250303121500003CB87E192.C"])
    );
}

#[test]
fn retry_books_once_the_missing_invoice_exists() {
    let env = dashboard_shop();
    env.sync();
    let reference = "C250304131500004CB87E192.D";
    assert_eq!(env.row(reference)["error"]["code"], "no_open_post");

    // Still missing: the retry says so and fails.
    let output = env.run(&["retry", reference]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("still not booked: no_open_post"));

    env.world()
        .add_invoice(NewInvoice::sales("2025-0999", Cents(4995)));
    let out = env.ok(&["retry", &id_of(&env, reference)]);

    assert!(out.contains("booked on invoice 2025-0999"), "{out}");
    let booked = env.booked(reference);
    assert_eq!(booked.len(), 1);
    assert_eq!(booked[0].invoice, "2025-0999");
    assert_eq!(booked[0].date, "2025-03-04");
    assert_eq!(env.row(reference)["tab"], "rapportage");
}

#[test]
fn retry_refuses_what_a_retry_cannot_help() {
    let env = Env::new(NOW);
    InvoicePaid::new("2025-1200", 30000)
        .paid_by("C15")
        .amount(10000)
        .at("2025-03-04T10:00:00Z")
        .typed_in_by_hand_on("2025-03-05")
        .add(&env);
    InvoicePaid::new("2025-1201", 100)
        .paid_by("C16")
        .at("2025-03-04T11:00:00Z")
        .add(&env);
    // The bookkeeper typed C15's reference in by hand, for another amount.
    env.world().ccv.transaction_mut("C15").unwrap().amount = Cents(10100);
    env.sync();
    assert_eq!(env.row("C15")["error"]["code"], "already_booked");
    let requests = env.moneybird_requests();

    for (reference, expected) in [("C15", "did not make"), ("C16", "already booked")] {
        let output = env.run(&["retry", reference]);
        assert_eq!(output.status.code(), Some(1), "{reference}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{stderr}");
    }

    assert_eq!(
        env.booked("C15").len(),
        1,
        "still only the bookkeeper's payment"
    );
    assert_eq!(env.booked("C16").len(), 1);
    // Before refusing on what Moneybird holds, retry reads it again: one bulk read per
    // kind of invoice at most, and it writes nothing.
    let asked: Vec<_> = env
        .world()
        .requests(ccv_moneybird_sandbox::Api::Moneybird)
        .skip(requests)
        .map(|request| (request.method.clone(), request.path.clone()))
        .collect();
    assert!(asked.len() <= 4, "{asked:?}");
    assert!(
        asked
            .iter()
            .all(|(method, path)| method == "GET" || path.ends_with("/synchronization.json")),
        "a refused retry only reads: {asked:?}"
    );
}

#[test]
fn retry_all_fouten_retries_every_retryable_one() {
    let env = dashboard_shop();
    env.sync();
    env.world()
        .add_invoice(NewInvoice::sales("2025-0999", Cents(4995)));
    {
        let mut world = env.world();
        let duplicate = world
            .moneybird
            .invoices
            .iter_mut()
            .find(|invoice| invoice.number.as_deref() == Some("2025-0104"))
            .unwrap();
        duplicate.reference = Some("ORDER-8".into());
        ccv_moneybird_sandbox::world_touch(duplicate, ms(NOW));
    }

    let output = env.run(&["retry", "--all-fouten"]);

    // The overpayment stays; the ambiguous one is not even tried, though only one
    // candidate is left: a person names its invoice.
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("1 of 2 payments are still not booked"),
        "{output:?}"
    );
    assert_eq!(
        env.booked("C250304131500004CB87E192.D")[0].invoice,
        "2025-0999"
    );
    assert!(env.booked("C250305141500005CB87E192.E").is_empty());
    assert_eq!(
        env.row("C250305141500005CB87E192.E")["error"]["code"],
        "ambiguous_match"
    );
    assert!(env.booked("C250303121500003CB87E192.C").is_empty());
    // Not by the nightly pass, nor by a retry of that payment alone.
    env.ok(&["recheck"]);
    let output = env.run(&["retry", "C250305141500005CB87E192.E"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--invoice"));
    assert!(env.booked("C250305141500005CB87E192.E").is_empty());

    let out = env.ok(&[
        "retry",
        "C250305141500005CB87E192.E",
        "--invoice",
        "2025-0103",
    ]);
    assert!(out.contains("booked on invoice 2025-0103"), "{out}");
    assert_eq!(env.booked("C250305141500005CB87E192.E").len(), 1);
}

#[test]
fn report_holds_what_support_needs_and_no_secret() {
    let env = Env::new(NOW);
    InvoicePaid::new("2025-0299", 4200)
        .paid_by("C250310081500001CB87E192.Y")
        .method("card")
        .at("2025-03-09T08:15:00Z")
        .add(&env);
    env.sync();
    // Later that day the card tussenrekening is switched off in Moneybird, after the
    // tool's daily look at the ledger accounts: Moneybird itself refuses the booking.
    let card = env.shop.ledger_accounts["card"].clone();
    env.world()
        .moneybird
        .ledger_accounts
        .iter_mut()
        .find(|ledger| ledger.id == card)
        .unwrap()
        .active = false;
    InvoicePaid::new("2025-0300", 4200)
        .paid_by("C250310091500001CB87E192.Z")
        .method("card")
        .at("2025-03-09T09:15:00Z")
        .add(&env);
    env.sync();
    let row = env.row("C250310091500001CB87E192.Z");
    assert_eq!(row["error"]["code"], "moneybird_rejected");
    let path = env.dir.path().join("report.md");

    let out = env
        .command(&[
            "report",
            "C250310091500001CB87E192.Z",
            "--output",
            path.to_str().unwrap(),
        ])
        .env("MONEYBIRD_CLIENT_SECRET", "client-secret-for-the-test")
        .output()
        .unwrap();
    env.keep_secret("client-secret-for-the-test");
    let out = env.checked(out);

    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(&path.display().to_string()));
    assert!(
        stdout
            .lines()
            .any(|line| line.starts_with("mailto:?subject=")),
        "{stdout}"
    );
    let report = std::fs::read_to_string(&path).unwrap();
    assert!(report.contains("C250310091500001CB87E192.Z"));
    assert!(
        report.contains("\"ledger_account_id\": ["),
        "Moneybird's answer: {report}"
    );
    assert!(report.contains("is invalid"));
    assert!(report.contains("Answer (422)"));
    for secret in [
        env.shop.ccv_api_key.as_str(),
        env.shop.moneybird_token.as_str(),
        "client-secret-for-the-test",
    ] {
        assert!(!report.contains(secret), "the report holds a secret");
        assert!(!stdout.contains(secret));
    }
}

#[test]
fn recheck_books_a_payment_that_turned_paid_days_later() {
    let env = Env::new("2025-02-01T12:00:00Z");
    env.world()
        .add_invoice(NewInvoice::sales("2025-0050", Cents(60500)));
    env.world().add_transaction(
        Sale::new("C30", 60500)
            .status("pending")
            .method("banktransfer")
            .at("2025-02-01T09:00:00Z")
            .described("Factuur 2025-0050")
            .build(),
    );
    // Later payments move the fetch cursor past the transfer.
    env.world().add_transaction(
        Sale::new("C31", 100)
            .status("failed")
            .at("2025-02-01T11:00:00Z")
            .build(),
    );
    env.sync();
    assert_eq!(env.row("C30")["tab"], "open");

    // Three weeks later the money arrives, at 00:30 Amsterdam time on the 26th.
    env.set_now("2025-02-25T23:20:00Z");
    env.world()
        .settle_transaction("C30", "success", ms("2025-02-25T23:30:00Z"));
    env.set_now("2025-02-26T03:00:00Z");
    env.sync();
    assert_eq!(
        env.row("C30")["tab"],
        "open",
        "sync re-reads only recent pending payments"
    );

    assert_eq!(env.ok(&["recheck"]), "");

    let booked = env.booked("C30");
    assert_eq!(booked.len(), 1);
    assert_eq!(booked[0].date, "2025-02-26");
    assert_eq!(env.row("C30")["tab"], "rapportage");
}

#[test]
fn two_syncs_at_once_one_works_the_other_exits_75() {
    let env = Env::new(NOW);
    for index in 0..4 {
        let number = format!("2025-070{index}");
        env.world()
            .add_invoice(NewInvoice::sales(&number, Cents(1000)));
        env.world().add_transaction(
            Sale::new(&format!("C7{index}"), 1000)
                .at("2025-03-09T10:00:00Z")
                .described(&format!("Factuur {number}"))
                .build(),
        );
    }
    env.world().faults.moneybird_delay = Duration::from_millis(250);

    let first = env
        .command(&["sync"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The lock is taken before the first request: once CCV is asked, the first run holds it.
    while env
        .world()
        .requests(ccv_moneybird_sandbox::Api::Ccv)
        .next()
        .is_none()
    {
        std::thread::sleep(Duration::from_millis(5));
    }
    let second = env.run(&["sync"]);
    let first = env.checked(first.wait_with_output().unwrap()).status;

    assert!(first.success());
    assert_eq!(second.status.code(), Some(75));
    assert!(second.stdout.is_empty());
    for index in 0..4 {
        assert_eq!(env.booked(&format!("C7{index}")).len(), 1);
    }
    assert_eq!(env.payment_count(), 4);
}

#[test]
fn tabs_are_named_in_either_language_and_any_case() {
    let env = dashboard_shop();
    env.sync();
    let fouten = env.ok(&["status", "--tab", "fouten"]);
    for name in ["Fouten", "ERRORS", "errors"] {
        assert_eq!(env.ok(&["status", "--tab", name]), fouten, "{name}");
    }
    let closed = env.ok(&["status", "--tab", "closed"]);
    assert_eq!(env.ok(&["status", "--tab", "Gesloten"]), closed);
    assert_eq!(
        env.ok(&["status", "--tab", "alle"]),
        env.ok(&["status", "--tab", "all"])
    );
    assert_eq!(
        env.ok(&["status", "--tab", "Rapportage"]),
        env.ok(&["status", "--tab", "report"])
    );
}

#[test]
fn colour_at_a_terminal_and_none_when_asked_not_to() {
    let env = dashboard_shop();
    env.sync();
    let at_a_terminal = |extra: &[(&str, &str)], args: &[&str]| {
        let mut command = env.command(args);
        for (name, value) in extra {
            command.env(name, value);
        }
        let mut session = rexpect::session::spawn_command(command, Some(15_000)).expect("a pty");
        let (before, _) = session.exp_regex("Last successful run").unwrap();
        session.exp_eof().unwrap();
        before
    };
    // rexpect reads the terminal byte by byte: the escape, not the UTF-8 dot after it.
    let green = "\u{1b}[32m";
    let shown = at_a_terminal(&[], &["status"]);
    assert!(shown.contains(green), "{shown:?}");
    assert!(!at_a_terminal(&[("NO_COLOR", "1")], &["status"]).contains('\u{1b}'));
    assert!(!at_a_terminal(&[], &["status", "--color", "never"]).contains('\u{1b}'));
    // Off a terminal: none, unless forced.
    assert!(!env.ok(&["status"]).contains('\u{1b}'));
    assert!(env.ok(&["status", "--color", "always"]).contains(green));
    let forced = env
        .command(&["status"])
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&forced.stdout).contains(green));
}

#[test]
fn the_lights_tell_a_refused_key_from_a_service_out_of_reach_and_a_missing_credential() {
    let env = dashboard_shop();
    env.sync();

    // CCV out of reach: advice about the connection, not about the key.
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    let unreachable = config.replacen(env.sandbox.url(), "http://127.0.0.1:9", 1);
    std::fs::write(env.config_path(), &unreachable).unwrap();
    let output = env
        .command(&["sync"])
        .env("__CCV_MONEYBIRD_TEST_BACKOFF_MS", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let status = env.ok(&["status"]);
    let ccv = status.lines().take(3).collect::<Vec<_>>().join("\n");
    assert!(ccv.contains("failing since"), "{status}");
    assert!(
        ccv.contains("check this machine's connection to CCV"),
        "{status}"
    );
    assert!(!ccv.contains("API key again"), "{status}");
    std::fs::write(env.config_path(), &config).unwrap();

    // Moneybird refuses the token: advice about the token.
    InvoicePaid::new("2025-0900", 1000)
        .paid_by("C900")
        .at("2025-03-10T09:00:00Z")
        .add(&env);
    env.world().moneybird.tokens.clear();
    assert_eq!(env.run(&["sync"]).status.code(), Some(1));
    let status = env.ok(&["status"]);
    assert!(status.contains("refused the credential"), "{status}");
    assert!(
        status.contains("run `ccv-moneybird connect moneybird` again"),
        "{status}"
    );

    // No credential now: not shown as connected, whatever the last run saw.
    let output = env
        .command(&["status"])
        .env_remove("CCV_API_KEY")
        .output()
        .unwrap();
    let status = String::from_utf8_lossy(&output.stdout);
    let ccv = status.lines().next().unwrap();
    assert!(ccv.starts_with("○ CCV"), "{status}");
    assert!(ccv.contains("not connected: no credential"), "{status}");
    assert!(
        status.contains("run `ccv-moneybird connect ccv`"),
        "{status}"
    );
}

#[test]
fn the_state_path_is_found_from_anywhere_and_never_made_by_a_look() {
    let env = dashboard_shop();
    let elsewhere = tempfile::tempdir().unwrap();
    let run_elsewhere = |args: &[&str]| {
        let output = env
            .command(args)
            .current_dir(elsewhere.path())
            .output()
            .unwrap();
        env.checked(output)
    };
    // Relative to the config's folder, not to where the command runs.
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    std::fs::write(
        env.config_path(),
        config.replace(
            "[booking]",
            "[state]\npath = \"books/state.sqlite3\"\n\n[booking]",
        ),
    )
    .unwrap();

    // A look creates nothing.
    let status = String::from_utf8(run_elsewhere(&["status"]).stdout).unwrap();
    assert!(
        status.contains("No state yet: run `ccv-moneybird sync`"),
        "{status}"
    );
    let info = run_elsewhere(&["info", "1"]);
    assert_eq!(info.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&info.stderr).contains("no state at"));
    let books = env.dir.path().join("books");
    assert!(!books.exists(), "no database was made by looking");

    assert!(run_elsewhere(&["sync"]).status.success());
    assert!(books.join("state.sqlite3").exists());
    assert!(!elsewhere.path().join("books").exists());
    let status = String::from_utf8(run_elsewhere(&["status"]).stdout).unwrap();
    assert!(status.contains("Rapportage       3"), "{status}");
    assert!(
        status.contains(&format!(
            "State:  {}",
            books.join("state.sqlite3").display()
        )),
        "{status}"
    );
    assert!(
        status.contains(&format!("Config: {}", env.config_path().display())),
        "{status}"
    );

    // `~` is the home directory.
    std::fs::write(
        env.config_path(),
        config.replace(
            "[booking]",
            "[state]\npath = \"~/kept/state.sqlite3\"\n\n[booking]",
        ),
    )
    .unwrap();
    assert!(run_elsewhere(&["sync"]).status.success());
    assert!(env.dir.path().join("kept/state.sqlite3").exists());
    assert!(!elsewhere.path().join("~").exists());
}

#[test]
fn an_empty_or_foreign_state_file_is_named_and_left_alone() {
    let env = dashboard_shop();
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    let empty = env.dir.path().join("empty.sqlite3");
    std::fs::write(&empty, "").unwrap();
    let foreign = env.dir.path().join("foreign.sqlite3");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('stamppot');")
        .unwrap();
    for (file, said) in [
        (&empty, "is an empty file"),
        (&foreign, "of something else"),
    ] {
        let before = std::fs::read(file).unwrap();
        std::fs::write(
            env.config_path(),
            config.replace(
                "[booking]",
                &format!("[state]\npath = \"{}\"\n\n[booking]", file.display()),
            ),
        )
        .unwrap();
        let output = env.run(&["sync"]);
        assert_eq!(output.status.code(), Some(1), "{}", file.display());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(said), "{stderr}");
        assert_eq!(std::fs::read(file).unwrap(), before, "left as it was");
    }
}

#[test]
fn tables_fit_eighty_columns_and_a_hundred_off_a_terminal() {
    // The wrong code this catches: a reason column squeezed to one letter a line.
    let env = dashboard_shop();
    env.sync();
    let longest = |text: &str| {
        text.lines()
            .map(|line| line.chars().count())
            .max()
            .unwrap_or(0)
    };
    let eighty = env
        .command(&["status", "--tab", "fouten"])
        .env("COLUMNS", "80")
        .output()
        .unwrap();
    let eighty = String::from_utf8(eighty.stdout).unwrap();
    assert!(longest(&eighty) <= 80, "{eighty}");
    let reason = "2 open posts match by invoice reference (ORDER-7): 2025-0103, 2025-0104; nothing was booked";
    // The reason's lines, under its row: the first marked, the rest indented.
    let joined = eighty
        .lines()
        .filter_map(|line| line.strip_prefix("  ↳ ").or(line.strip_prefix("    ")))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(joined.contains(reason), "{eighty}");
    assert!(
        eighty.lines().count() < 20,
        "a line per row and its reason: {eighty}"
    );

    let piped = env
        .command(&["status", "--tab", "all"])
        .env_remove("COLUMNS")
        .output()
        .unwrap();
    assert!(longest(&String::from_utf8(piped.stdout).unwrap()) <= 100);
    let wide = env
        .command(&["status", "--tab", "fouten", "--wide"])
        .env_remove("COLUMNS")
        .output()
        .unwrap();
    let wide = String::from_utf8(wide.stdout).unwrap();
    assert!(
        longest(&wide) > 100,
        "--wide keeps a row on one line: {wide}"
    );
    assert!(wide.contains(reason), "{wide}");

    // `--tab all` says each row's tab: in its own column, or under the row when narrow.
    let all = env.ok(&["status", "--tab", "all", "--wide"]);
    assert!(
        all.contains("┆ Fouten ") && all.contains("┆ Rapportage "),
        "{all}"
    );
    let all = env
        .command(&["status", "--tab", "all"])
        .env("COLUMNS", "80")
        .output()
        .unwrap();
    let all = String::from_utf8(all.stdout).unwrap();
    assert!(longest(&all) <= 80, "{all}");
    assert!(
        all.contains("  ↳ Rapportage") && all.contains("  ↳ Closed\n"),
        "{all}"
    );
}

#[test]
fn completions_and_a_man_page_from_the_command_definitions() {
    let env = Env::new(NOW);
    for shell in ["bash", "zsh", "fish"] {
        let script = env.ok(&["completions", shell]);
        for command in ["sync", "recheck", "resolve", "retry"] {
            assert!(script.contains(command), "{shell} lacks {command}");
        }
        assert!(script.contains("invoice"), "{shell}");
    }
    let page = env.ok(&["man"]);
    assert!(page.contains(".TH ccv-moneybird 1"), "{page}");
    assert!(page.contains("resolve"), "{page}");
    let output = env.run(&["completions", "powerpoint"]);
    assert_eq!(output.status.code(), Some(2));
}
