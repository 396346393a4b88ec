//! `doctor`: each precondition checked for what it is, its failure named with its fix, and
//! exit 1 when anything failed.

use std::path::Path;
use std::process::Command;

use chrono::{DateTime, Duration, Utc};

use crate::common::Env;

const NOW: &str = "2026-11-26T12:00:00Z";

fn shop() -> Env {
    let env = Env::new(NOW);
    crate::common::one_paid(&env);
    env.sync();
    env
}

/// `doctor --json` with a PATH of only `bin` and the basic tools, so no real crontab is read.
fn doctor(
    env: &Env,
    bin: &Path,
    configure: impl FnOnce(&mut Command),
) -> (i32, Vec<serde_json::Value>) {
    let mut command = env.command(&["doctor", "--json"]);
    command.env("PATH", format!("{}:/usr/bin:/bin", bin.display()));
    configure(&mut command);
    let output = env.checked(command.output().unwrap());
    let checks = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("JSON: {}", String::from_utf8_lossy(&output.stdout)));
    (output.status.code().unwrap(), checks)
}

fn status_of<'a>(checks: &'a [serde_json::Value], name: &str) -> Vec<&'a str> {
    checks
        .iter()
        .filter(|check| check["check"] == name)
        .map(|check| check["status"].as_str().unwrap())
        .collect()
}

fn failures(checks: &[serde_json::Value]) -> Vec<String> {
    checks
        .iter()
        .filter(|check| check["status"] == "failed")
        .map(|check| format!("{}: {} → {}", check["check"], check["detail"], check["fix"]))
        .collect()
}

#[test]
fn a_healthy_setup_passes_with_only_the_schedule_to_note() {
    let env = shop();
    let bin = tempfile::tempdir().unwrap();
    let (code, checks) = doctor(&env, bin.path(), |_| {});
    assert_eq!(code, 0, "{:#?}", failures(&checks));
    for name in [
        "config",
        "ccv_key",
        "moneybird_credential",
        "administration",
        "scopes",
        "ledger_accounts",
        "timezone",
        "clock",
        "state",
        "last_run",
    ] {
        let said = status_of(&checks, name);
        assert!(
            !said.is_empty() && said.iter().all(|status| *status == "ok"),
            "{name}: {said:?}"
        );
    }
    assert_eq!(status_of(&checks, "schedule"), ["warning"]);
}

#[test]
fn a_refused_key_a_missing_scope_and_a_gone_ledger_account_each_fail_with_their_fix() {
    let env = shop();
    let bin = tempfile::tempdir().unwrap();
    env.keep_secret("t_revoked");
    {
        let mut world = env.world();
        let token = env.shop.moneybird_token.clone();
        world.moneybird.limit_scopes(&token, &["settings"]);
        let card = env.shop.ledger_accounts["card"].clone();
        world
            .moneybird
            .ledger_accounts
            .iter_mut()
            .find(|account| account.id == card)
            .unwrap()
            .active = false;
    }
    let (code, checks) = doctor(&env, bin.path(), |command| {
        command.env("CCV_API_KEY", "t_revoked");
    });
    assert_eq!(code, 1);
    let failed = failures(&checks);
    assert!(
        failed
            .iter()
            .any(|line| line.starts_with("\"ccv_key\"") && line.contains("connect ccv")),
        "{failed:#?}"
    );
    assert!(
        failed
            .iter()
            .any(|line| line.starts_with("\"scopes\"")
                && line.contains("No access to sales_invoices")),
        "{failed:#?}"
    );
    assert!(
        failed
            .iter()
            .any(|line| line.starts_with("\"ledger_accounts\"") && line.contains("not active")),
        "{failed:#?}"
    );
    // The iDEAL mapping is still fine, and says so on its own line.
    assert_eq!(status_of(&checks, "ledger_accounts"), ["failed", "ok"]);
}

#[test]
fn a_clock_off_the_servers_fails() {
    let env = shop();
    let bin = tempfile::tempdir().unwrap();
    let servers: DateTime<Utc> = NOW.parse::<DateTime<Utc>>().unwrap() + Duration::minutes(10);
    env.world().options.clock = ccv_moneybird_sandbox::Clock::fixed(servers);
    let (code, checks) = doctor(&env, bin.path(), |_| {});
    assert_eq!(code, 1);
    assert_eq!(
        status_of(&checks, "clock"),
        ["failed"],
        "{:#?}",
        failures(&checks)
    );
    assert!(
        failures(&checks)[0].contains("-600 s"),
        "{:#?}",
        failures(&checks)
    );

    // Within the tolerance it passes: the check compares, it does not just fail.
    let servers = NOW.parse::<DateTime<Utc>>().unwrap() + Duration::seconds(90);
    env.world().options.clock = ccv_moneybird_sandbox::Clock::fixed(servers);
    let (code, checks) = doctor(&env, bin.path(), |_| {});
    assert_eq!((code, status_of(&checks, "clock")), (0, vec!["ok"]));
}

#[test]
fn a_broken_config_and_a_foreign_state_file_are_named() {
    let env = shop();
    let bin = tempfile::tempdir().unwrap();
    std::fs::write(env.state_path(), b"not a database, someone's notes").unwrap();
    let (code, checks) = doctor(&env, bin.path(), |_| {});
    assert_eq!(code, 1);
    assert_eq!(status_of(&checks, "state"), ["failed"]);
    // The notes are still there: doctor looks, it never replaces.
    assert_eq!(
        std::fs::read(env.state_path()).unwrap(),
        b"not a database, someone's notes"
    );

    std::fs::write(
        env.config_path(),
        "[booking]\ntimezone = \"Mars/Olympus\"\n",
    )
    .unwrap();
    let (code, checks) = doctor(&env, bin.path(), |_| {});
    assert_eq!(code, 1);
    assert_eq!(checks.len(), 1, "{checks:#?}");
    assert_eq!(checks[0]["check"], "config");
    assert!(
        checks[0]["detail"]
            .as_str()
            .unwrap()
            .contains("Mars/Olympus")
    );
    assert!(
        checks[0]["fix"]
            .as_str()
            .unwrap()
            .contains("Europe/Amsterdam")
    );
}

/// A schedule that is installed but has not run for hours is a failure; without a schedule
/// an old run is only worth a note.
#[test]
fn an_old_last_run_fails_only_when_a_schedule_should_have_run() {
    let env = shop();
    let bin = tempfile::tempdir().unwrap();
    env.set_now("2026-11-26T18:00:00Z");
    let (code, checks) = doctor(&env, bin.path(), |_| {});
    assert_eq!((code, status_of(&checks, "last_run")), (0, vec!["warning"]));

    crate::schedule::fake_crontab(bin.path());
    let crontab = bin.path().join("crontab.txt");
    let install = env
        .command(&["schedule", "--install"])
        .env("PATH", format!("{}:/usr/bin:/bin", bin.path().display()))
        .env("FAKE_CRONTAB", &crontab)
        .output()
        .unwrap();
    assert!(install.status.success(), "{install:?}");
    let (code, checks) = doctor(&env, bin.path(), |command| {
        command.env("FAKE_CRONTAB", &crontab);
    });
    assert_eq!(code, 1);
    assert_eq!(status_of(&checks, "schedule"), ["ok"]);
    assert_eq!(status_of(&checks, "last_run"), ["failed"]);
    assert!(
        failures(&checks)[0].contains("ccv-moneybird.log"),
        "{:#?}",
        failures(&checks)
    );
}

#[test]
fn config_example_toml_loads_as_shipped_and_only_the_credentials_are_missing() {
    // The wrong code: a `[payouts]` header left in the example without its keys, so a copy
    // of it fails to load ("missing field `financial_account_id`").
    let env = crate::common::Env::new("2026-11-26T12:00:00Z");
    env.use_stored_credentials();
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
    std::fs::copy(&example, env.config_path()).unwrap();
    let status = env.run(&["status"]);
    assert!(status.status.success(), "{status:?}");
    let output = env.run(&["doctor"]);
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("✓ config"), "{said}");
    assert_eq!(said.matches("no credential").count(), 2, "{said}");
    assert!(
        said.contains("connect ccv") && said.contains("connect moneybird"),
        "{said}"
    );
    assert_eq!(
        said.matches('✗').count(),
        2,
        "only the two credentials fail: {said}"
    );
}
