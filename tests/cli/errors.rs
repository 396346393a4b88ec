//! Error paths as a person meets them: the message, the hint that names the fix, and the
//! exit code, snapshotted together so that none of the three changes unseen.

use crate::common::{Env, InvoicePaid, ambiguous_and_lost};

const NOW: &str = "2026-11-26T12:00:00Z";

/// A booked payment (C1), an ambiguous one (C2), and one without an invoice (C3).
fn shop() -> Env {
    let env = Env::new(NOW);
    crate::common::one_paid(&env);
    ambiguous_and_lost(&env);
    env.sync();
    env
}

#[test]
fn refusals_of_retry_and_resolve() {
    let env = shop();
    insta::assert_snapshot!("retry_unknown_payment", env.said(&["retry", "C404"]));
    insta::assert_snapshot!("retry_booked", env.said(&["retry", "C1"]));
    insta::assert_snapshot!(
        "retry_ambiguous_without_terminal",
        env.said(&["retry", "C2"])
    );
    insta::assert_snapshot!(
        "retry_named_invoice_unknown",
        env.said(&["retry", "C2", "--invoice", "2026-0999"])
    );
    insta::assert_snapshot!("retry_still_no_open_post", env.said(&["retry", "C3"]));
    insta::assert_snapshot!(
        "resolve_booked",
        env.said(&["resolve", "C1", "--note", "x"])
    );
    insta::assert_snapshot!(
        "resolve_undo_not_resolved",
        env.said(&["resolve", "--undo", "C3"])
    );
    insta::assert_snapshot!("resolve_without_note", env.said(&["resolve", "C3"]));
}

#[test]
fn failures_of_a_run() {
    let env = shop();
    env.keep_secret("t_wrong");
    let output = env.checked(
        env.command(&["sync"])
            .env("CCV_API_KEY", "t_wrong")
            .output()
            .unwrap(),
    );
    insta::assert_snapshot!(
        "sync_wrong_ccv_key",
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            output.status.code().unwrap(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    );
    InvoicePaid::new("2026-0004", 4000)
        .paid_by("C4")
        .at("2026-11-26T10:00:00Z")
        .add(&env);
    env.world().moneybird.tokens.clear();
    insta::assert_snapshot!("sync_revoked_token", env.said(&["sync"]));
    std::fs::write(
        env.config_path(),
        "[booking]\ntimezone = \"Europe/Amsterdam\"\nallow_partial = maybe\n",
    )
    .unwrap();
    insta::assert_snapshot!("sync_broken_config", env.said(&["sync"]));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // The wrong code this catches: `println!` into a pipe whose reader is gone panics.
    let env = shop();
    let (reader, writer) = std::io::pipe().unwrap();
    // The reader is gone before the program writes a byte, as `status | head -0` does.
    drop(reader);
    let output = env
        .command(&["status", "--tab", "all"])
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}

#[test]
fn an_export_into_a_closed_pipe_ends_quietly_with_exit_0() {
    // `export | head -1`: the wrong code ends in "Broken pipe" and exit 1.
    let env = shop();
    for format in ["csv", "csv-nl", "json"] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let output = env
            .command(&[
                "export",
                "--from",
                "2025-01-01",
                "--to",
                "2026-12-31",
                "--format",
                format,
            ])
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.is_empty(), "{format}: {stderr}");
        assert_eq!(output.status.code(), Some(0), "{format}: {stderr}");
    }
}

#[test]
fn days_are_taken_as_people_type_them() {
    let env = shop();
    for (iso, dutch) in [("2025-03-01", "01-03-2025"), ("2026-11-26", "26-11-2026")] {
        assert_eq!(
            env.ok(&["status", "--tab", "all", "--since", iso]),
            env.ok(&["status", "--tab", "all", "--since", dutch])
        );
        assert_eq!(
            env.ok(&["export", "--from", iso, "--to", "2026-12-31"]),
            env.ok(&["export", "--from", dutch, "--to", "31-12-2026"])
        );
    }
    let output = env.run(&["sync", "--dry-run", "--since", "01-11-2026"]);
    assert!(output.status.success(), "{output:?}");
}

#[test]
fn status_options_that_do_not_fit() {
    let env = shop();
    insta::assert_snapshot!(
        "status_since_not_a_day",
        env.said(&["status", "--tab", "fouten", "--since", "26/11/2026"])
    );
    insta::assert_snapshot!(
        "status_limit_without_tab",
        env.said(&["status", "--limit", "1"])
    );
}

#[test]
fn the_first_sync_at_a_terminal_says_how_far_back_it_looked() {
    // At a terminal (a person starting it by hand): where the window begins and how to
    // reach further. Piped, as from cron, it stays quiet.
    let env = crate::common::Env::new("2026-11-26T12:00:00Z");
    let mut session =
        rexpect::session::spawn_command(env.command(&["sync"]), Some(15_000)).expect("a pty");
    let before = session.exp_string("sync --since").unwrap();
    session.exp_eof().unwrap();
    assert!(
        before.contains("2026-10-27"),
        "30 days before the 26th: {before}"
    );
    // Not again on the second run, and never piped.
    let mut again =
        rexpect::session::spawn_command(env.command(&["sync"]), Some(15_000)).expect("a pty");
    let rest = again.exp_eof().unwrap();
    assert!(!rest.contains("First run"), "{rest}");
    let fresh = crate::common::Env::new("2026-11-26T12:00:00Z");
    assert_eq!(fresh.sync(), "", "cron hears nothing");
}
