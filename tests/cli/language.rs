//! The bookkeeper's language and terminal: every screen a person reads, in Dutch and in
//! English, at 80 and at 100 columns; and what scripts read, the same in both.

use std::process::Command;

use ccv_moneybird_sandbox::Cents;
use ccv_moneybird_sandbox::seed::NewInvoice;

use crate::common::{Env, InvoicePaid, Sale, ambiguous_and_lost};

const NOW: &str = "2026-11-26T12:00:00Z";

/// One payment on every tab: booked (C1), ambiguous (C2), no invoice (C3), pending (C4),
/// failed (C5); C6 booked 5 cents over the open amount, within the tolerance.
fn shop() -> Env {
    let env = Env::new(NOW);
    env.write_config("rounding_tolerance = \"0.05\"\n");
    InvoicePaid::new("2026-0001", 123456).add(&env);
    ambiguous_and_lost(&env);
    {
        let mut world = env.world();
        world.add_transaction(
            Sale::new("C4", 4000)
                .status("pending")
                .method("banktransfer")
                .at("2026-11-25T13:00:00Z")
                .build(),
        );
        world.add_transaction(
            Sale::new("C5", 5000)
                .status("failed")
                .method("card")
                .at("2026-11-25T14:00:00Z")
                .build(),
        );
        world.add_invoice(NewInvoice::sales("2026-0006", Cents(6000)));
        let mut over = Sale::new("C6", 6005).at("2026-11-25T23:30:00Z").build();
        over.description = Some("Factuur 2026-0006".into());
        world.add_transaction(over);
    }
    env.sync();
    env
}

/// A command in a language and at a width, with a PATH that holds no `crontab`.
fn in_language(env: &Env, lang: &str, columns: u16, args: &[&str]) -> Command {
    let mut command = env.command(args);
    command
        .env("COLUMNS", columns.to_string())
        .env("PATH", env.config_path().parent().unwrap());
    if !lang.is_empty() {
        command.env("LANG", lang);
    }
    command
}

/// Every screen a person reads, one after the other, as one text to snapshot.
fn screens(env: &Env, lang: &str, columns: u16) -> String {
    let mut said = String::new();
    for args in [
        &["status"][..],
        &["status", "--tab", "open"],
        &["status", "--tab", "rapportage"],
        &["status", "--tab", "fouten"],
        &["status", "--tab", "closed"],
        &["status", "--tab", "all"],
        &["info", "C2"],
        &["info", "C6"],
        &["retry", "C1"],
        &["retry", "C2"],
        &["retry", "C3"],
        &["doctor"],
    ] {
        said.push_str(&format!("$ ccv-moneybird {}\n", args.join(" ")));
        said.push_str(&env.said_by(in_language(env, lang, columns, args)));
        said.push('\n');
    }
    said
}

fn longest_line(text: &str) -> usize {
    text.lines()
        .map(|line| line.chars().count())
        .max()
        .unwrap_or(0)
}

#[test]
fn english_at_100_columns() {
    let env = shop();
    insta::assert_snapshot!(screens(&env, "", 100));
}

#[test]
fn english_at_80_columns() {
    let env = shop();
    let said = screens(&env, "en_GB.UTF-8", 80);
    insta::assert_snapshot!(said);
}

#[test]
fn dutch_at_100_columns() {
    let env = shop();
    insta::assert_snapshot!(screens(&env, "nl_NL.UTF-8", 100));
}

#[test]
fn dutch_at_80_columns() {
    let env = shop();
    insta::assert_snapshot!(screens(&env, "nl_NL.UTF-8", 80));
}

/// Tables fit the width they were given, in either language.
#[test]
fn tables_fit_in_both_languages() {
    let env = shop();
    for lang in ["", "nl_NL.UTF-8"] {
        for columns in [80, 100] {
            for tab in ["open", "rapportage", "fouten", "closed", "all"] {
                let said = env.said_by(in_language(&env, lang, columns, &["status", "--tab", tab]));
                let table: String = said
                    .lines()
                    .skip_while(|line| !line.starts_with("--- stdout"))
                    .skip(1)
                    .take_while(|line| !line.starts_with("--- stderr"))
                    .collect::<Vec<_>>()
                    .join("\n");
                assert!(
                    longest_line(&table) <= usize::from(columns),
                    "{lang:?} {tab} at {columns}:\n{table}"
                );
            }
        }
    }
}

/// Dutch writes a day as 25-11-2026 and thousands with a dot; English keeps ISO days.
#[test]
fn money_and_days_as_the_bookkeeper_writes_them() {
    let env = shop();
    let dutch = env.ok_by(in_language(
        &env,
        "nl_NL.UTF-8",
        100,
        &["status", "--tab", "rapportage"],
    ));
    assert!(dutch.contains("25-11-2026"), "{dutch}");
    assert!(dutch.contains("€ 1.234,56"), "{dutch}");
    assert!(!dutch.contains("2026-11-25 "), "{dutch}");
    let english = env.ok_by(in_language(
        &env,
        "",
        100,
        &["status", "--tab", "rapportage"],
    ));
    assert!(english.contains("2026-11-25"), "{english}");
    assert!(english.contains("€ 1.234,56"), "{english}");
    // C6 was paid at 00:30 in Amsterdam on the 26th: the day is Amsterdam's, in both.
    assert!(dutch.contains("26-11-2026"), "{dutch}");
    assert!(english.contains("2026-11-26"), "{english}");
}

/// What scripts read never changes with the language.
#[test]
fn json_is_the_same_in_both_languages() {
    let env = shop();
    for args in [
        &["status", "--json"][..],
        &["status", "--json", "--lights"],
        &["info", "C2", "--json"],
        &["info", "C3", "--json"],
        &["doctor", "--json"],
    ] {
        let english = env.said_by(in_language(&env, "", 100, args));
        let dutch = env.said_by(in_language(&env, "nl_NL.UTF-8", 80, args));
        assert_eq!(english, dutch, "{args:?}");
    }
    let info: serde_json::Value = serde_json::from_str(&env.ok_by(in_language(
        &env,
        "nl_NL.UTF-8",
        80,
        &["info", "C3", "--json"],
    )))
    .unwrap();
    assert_eq!(info["payment"]["error"]["code"], "no_open_post");
    assert!(
        info["advice"]
            .as_str()
            .unwrap()
            .contains("ccv-moneybird retry 3")
    );
    assert!(!info["history"].as_array().unwrap().is_empty());
}

/// `[ui] language` wins over the locale; LC_ALL wins over LANG.
#[test]
fn the_language_is_chosen_as_the_contract_says() {
    let env = shop();
    let tabs = |command: &mut Command| -> String {
        String::from_utf8(command.output().unwrap().stdout).unwrap()
    };
    let mut by_lang = in_language(&env, "nl_NL.UTF-8", 100, &["status"]);
    assert!(tabs(&mut by_lang).contains("Gesloten"));
    let mut by_lc_all = in_language(&env, "nl_NL.UTF-8", 100, &["status"]);
    by_lc_all.env("LC_ALL", "en_US.UTF-8");
    assert!(tabs(&mut by_lc_all).contains("Closed"));
    let mut by_messages = in_language(&env, "en_US.UTF-8", 100, &["status"]);
    by_messages.env("LC_MESSAGES", "nl_BE.UTF-8");
    assert!(tabs(&mut by_messages).contains("Gesloten"));

    let config = std::fs::read_to_string(env.config_path()).unwrap();
    std::fs::write(
        env.config_path(),
        format!("{config}\n[ui]\nlanguage = \"nl\"\n"),
    )
    .unwrap();
    let mut by_config = in_language(&env, "en_US.UTF-8", 100, &["status"]);
    assert!(tabs(&mut by_config).contains("Gesloten"));
    let help = env.said_by(in_language(&env, "en_US.UTF-8", 100, &["status", "--help"]));
    assert!(help.contains("Gebruik:"), "{help}");
    assert!(help.contains("Toon dit tabblad"), "{help}");

    std::fs::write(
        env.config_path(),
        format!("{config}\n[ui]\nlanguage = \"fr\"\n"),
    )
    .unwrap();
    let refused = env.said_by(in_language(&env, "", 100, &["status"]));
    assert!(refused.starts_with("exit: 1"), "{refused}");
    assert!(refused.contains("\"nl\""), "{refused}");
}

#[test]
fn help_in_dutch_names_every_command() {
    let env = shop();
    let help = env.said_by(in_language(&env, "nl_NL.UTF-8", 100, &["--help"]));
    insta::assert_snapshot!(help);
    let english = env.said_by(in_language(&env, "", 100, &["--help"]));
    insta::assert_snapshot!(english);
}

/// Every command's help shows examples, in either language.
#[test]
fn every_command_has_examples() {
    let env = shop();
    for command in [
        "connect", "sync", "recheck", "status", "info", "retry", "resolve", "report", "doctor",
        "schedule", "demo",
    ] {
        let english = env.ok_by(in_language(&env, "", 100, &[command, "--help"]));
        assert!(
            english.contains("Examples:\n  ccv-moneybird "),
            "{command}: {english}"
        );
        let dutch = env.ok_by(in_language(&env, "nl_NL.UTF-8", 100, &[command, "--help"]));
        assert!(
            dutch.contains("Voorbeelden:\n  ccv-moneybird "),
            "{command}: {dutch}"
        );
    }
}

/// Setting up speaks Dutch too: a refused key, said as the bookkeeper reads it, stores nothing.
#[test]
fn connect_speaks_dutch() {
    let env = Env::new(NOW);
    env.keep_secret("t_wrong");
    let mut command = in_language(
        &env,
        "nl_NL.UTF-8",
        100,
        &["connect", "ccv", "--api-key-stdin"],
    );
    command
        .env_remove("CCV_API_KEY")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = command.spawn().unwrap();
    use std::io::Write as _;
    child.stdin.take().unwrap().write_all(b"t_wrong\n").unwrap();
    let output = env.checked(child.wait_with_output().unwrap());
    let said = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        said.contains("fout: CCV weigerde deze API-sleutel (401); er is niets opgeslagen"),
        "{said}"
    );
    assert!(said.contains("tip: kopieer de sleutel opnieuw"), "{said}");
    assert!(!env.credentials_path().exists());
}

/// A run in Dutch that CCV refuses: the dashboard says why in Dutch, `--json --lights` in
/// English, whichever language the run was in.
#[test]
fn what_a_run_saw_is_said_in_the_readers_language() {
    let env = shop();
    env.keep_secret("t_revoked");
    let mut run = in_language(&env, "nl_NL.UTF-8", 100, &["sync"]);
    run.env("CCV_API_KEY", "t_revoked");
    let failed = env.checked(run.output().unwrap());
    assert_eq!(failed.status.code(), Some(1));
    let dutch = env.ok_by(in_language(&env, "nl_NL.UTF-8", 100, &["status"]));
    assert!(
        dutch.contains(
            "weigerde de inloggegevens op 26-11-2026 13:00: CCV weigerde de API-sleutel (401)"
        ),
        "{dutch}"
    );
    let english = env.ok_by(in_language(&env, "", 100, &["status"]));
    assert!(
        english
            .contains("refused the credential at 2026-11-26 13:00: CCV refused the API key (401)"),
        "{english}"
    );
    let lights: serde_json::Value = serde_json::from_str(&env.ok_by(in_language(
        &env,
        "nl_NL.UTF-8",
        100,
        &["status", "--json", "--lights"],
    )))
    .unwrap();
    assert_eq!(lights["services"][0]["state"], "refused");
    assert_eq!(
        lights["services"][0]["why"],
        "CCV refused the API key (401)"
    );
}

/// What clap says in English by itself, which a Dutch reader must never meet.
const CLAP_ENGLISH: [&str; 12] = [
    "error:",
    "Usage:",
    "unexpected argument",
    "unrecognized subcommand",
    "invalid value",
    "For more information",
    "possible values",
    "Possible values",
    "[default:",
    "[OPTIONS]",
    "<COMMAND>",
    "tip: a similar",
];

#[test]
fn argument_errors_and_help_are_dutch_in_dutch() {
    // The wrong code: clap's error printed as it comes, in English, whatever the locale.
    let env = shop();
    for (args, expected) in [
        (vec!["sync", "--bogus"], "onverwacht argument '--bogus'"),
        (vec!["snyc"], "bedoelt u 'sync'?"),
        (vec!["status", "--tab", "x"], "mogelijke waarden: open"),
        (
            vec![
                "export",
                "--format",
                "xml",
                "--from",
                "2026-01-01",
                "--to",
                "2026-01-02",
            ],
            "ongeldige waarde 'xml'",
        ),
        (vec!["export"], "verplichte argumenten ontbreken"),
        (vec!["status", "--since", "gisteren"], "is geen datum"),
    ] {
        let said = env.said_by(in_language(&env, "nl_NL.UTF-8", 100, &args));
        assert!(said.starts_with("exit: 2"), "{args:?}: {said}");
        assert!(said.contains(expected), "{args:?}: {said}");
        assert!(
            said.contains("fout:") && said.contains("probeer '--help'"),
            "{said}"
        );
        for english in CLAP_ENGLISH {
            assert!(!said.contains(english), "{args:?}: `{english}` in {said}");
        }
        // English readers keep clap's own words.
        let english = env.said_by(in_language(&env, "", 100, &args));
        assert!(english.contains("error:"), "{english}");
    }
    for command in [
        "connect", "sync", "recheck", "status", "info", "retry", "resolve", "report", "export",
        "payouts", "doctor", "schedule", "demo",
    ] {
        let help = env.ok_by(in_language(&env, "nl_NL.UTF-8", 100, &[command, "--help"]));
        for english in CLAP_ENGLISH {
            assert!(!help.contains(english), "{command}: `{english}` in {help}");
        }
        assert!(help.contains("Gebruik:"), "{command}: {help}");
    }
}

/// English words a Dutch reader would stumble on, whole words, any case. Names of commands,
/// codes and methods (`sync`, `ideal`) are not in it: a Dutch screen names them too.
const ENGLISH_WORDS: &[&str] = &[
    "the",
    "and",
    "payment",
    "payments",
    "invoice",
    "invoices",
    "booked",
    "not",
    "could",
    "with",
    "from",
    "found",
    "would",
    "please",
    "this",
    "that",
    "which",
    "there",
    "none",
    "waiting",
    "needs",
    "linked",
    "success",
    "pending",
    "failed",
    "paid",
    "error",
    "usage",
    "warning",
    "options",
    "command",
    "unreadable",
    "amount",
    "since",
    "nothing",
    "look",
];

/// What a reader reads of a screen: without commands in backticks, JSON, addresses, paths,
/// ids and references.
fn prose(screen: &str) -> String {
    let mut kept = String::new();
    for line in screen.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with(['{', '}', '"', '[', ']', '$', '/']) {
            continue;
        }
        let mut in_code = false;
        for part in line.split('`') {
            if !in_code {
                kept.push_str(part);
            }
            in_code = !in_code;
        }
        kept.push('\n');
    }
    // The product's name is a name.
    kept.replace("Online Payments", "")
        .split_whitespace()
        .filter(|word| !word.contains("--"))
        .filter(|word| !word.contains(['/', '_', '@', '=', '.']) || word.ends_with('.'))
        .collect::<Vec<_>>()
        .join(" ")
}

fn english_in(screen: &str) -> Vec<String> {
    prose(screen)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| ENGLISH_WORDS.contains(&word.to_lowercase().as_str()))
        .map(str::to_string)
        .collect()
}

/// Lines wider than `width`, but for a word that has no room anyway (a URL, a path).
fn too_wide(screen: &str, width: usize) -> Vec<String> {
    screen
        .lines()
        .filter(|line| line.chars().count() > width)
        .filter(|line| {
            line.split_whitespace()
                .all(|word| word.chars().count() < width / 2)
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn every_screen_fits_80_columns_piped_and_at_a_terminal_and_is_dutch_in_dutch() {
    // The wrong code: a table, summary or help wider than 80; English left in Dutch.
    let env = shop();
    env.configure_payouts();
    let mut screens: Vec<Vec<&str>> = vec![
        vec!["status"],
        vec!["status", "--tab", "open"],
        vec!["status", "--tab", "rapportage"],
        vec!["status", "--tab", "fouten"],
        vec!["status", "--tab", "closed"],
        vec!["status", "--tab", "all"],
        vec!["payouts"],
        vec!["recheck"],
        vec!["doctor"],
        vec!["retry", "C1"],
        vec!["retry", "C3"],
        vec!["sync", "--dry-run"],
        vec!["sync", "--bogus"],
        vec!["status", "--since", "gisteren"],
        vec!["--help"],
        vec!["connect", "moneybird", "--skip-ledger-accounts"],
        vec!["resolve", "C3", "--note", "met de hand geboekt"],
        vec!["resolve", "--undo", "C3"],
    ];
    for id in ["C1", "C2", "C3", "C4", "C5", "C6"] {
        screens.push(vec!["info", id]);
    }
    for command in [
        "connect",
        "sync",
        "recheck",
        "status",
        "info",
        "retry",
        "resolve",
        "report",
        "export",
        "payouts",
        "doctor",
        "schedule",
        "demo",
        "completions",
        "man",
    ] {
        screens.push(vec![command, "--help"]);
    }
    let mut problems = Vec::new();
    for lang in ["", "nl_NL.UTF-8"] {
        for args in &screens {
            let piped = env.said_by(in_language(&env, lang, 80, args));
            let mut command = in_language(&env, lang, 80, args);
            command.env("TERM", "dumb");
            let mut session =
                rexpect::session::spawn_command(command, Some(20_000)).expect("a pty");
            // The pty hands back bytes as characters: read them as the UTF-8 they are.
            let raw = session.exp_eof().unwrap_or_default();
            let bytes: Vec<u8> = raw.chars().map(|c| c as u32 as u8).collect();
            let at_terminal = String::from_utf8(bytes).unwrap_or(raw).replace('\r', "");
            for (how, screen) in [("piped", &piped), ("terminal", &at_terminal)] {
                for line in too_wide(screen, 80) {
                    problems.push(format!("[{lang} {how}] {args:?} is wider than 80: {line}"));
                }
                if !lang.is_empty() {
                    let english = english_in(screen);
                    if !english.is_empty() {
                        problems.push(format!("[{how}] {args:?} says in Dutch: {english:?}"));
                    }
                }
            }
        }
    }
    // The first sync's summary, piped (as cron mails it) and at a terminal.
    for lang in ["", "nl_NL.UTF-8"] {
        for at_terminal in [false, true] {
            let fresh = Env::new(NOW);
            ambiguous_and_lost(&fresh);
            let command = in_language(&fresh, lang, 80, &["sync"]);
            let screen = if at_terminal {
                let mut session =
                    rexpect::session::spawn_command(command, Some(20_000)).expect("a pty");
                let raw = session.exp_eof().unwrap_or_default();
                let bytes: Vec<u8> = raw.chars().map(|c| c as u32 as u8).collect();
                String::from_utf8(bytes).unwrap_or(raw).replace('\r', "")
            } else {
                fresh.said_by(command)
            };
            assert!(screen.contains("C2"), "{screen}");
            for line in too_wide(&screen, 80) {
                problems.push(format!(
                    "[{lang} sync, terminal {at_terminal}] wider than 80: {line}"
                ));
            }
            if !lang.is_empty() && !english_in(&screen).is_empty() {
                problems.push(format!("[sync] says in Dutch: {:?}", english_in(&screen)));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
