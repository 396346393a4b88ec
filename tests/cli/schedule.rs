//! `schedule`: cron lines with absolute paths, installed once however often it is asked, and
//! systemd units that systemd itself accepts.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::process::Command;

use crate::common::{Env, InvoicePaid};

const NOW: &str = "2026-11-26T12:00:00Z";

fn script(bin: &Path, name: &str, body: &str) {
    let path = bin.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A `crontab` that keeps the user's crontab in `$FAKE_CRONTAB`, as cron's own does.
pub fn fake_crontab(bin: &Path) {
    script(
        bin,
        "crontab",
        r#"case "$1" in
  -l) if [ -f "$FAKE_CRONTAB" ]; then cat "$FAKE_CRONTAB"; else echo "no crontab for tester" >&2; exit 1; fi ;;
  -) cat > "$FAKE_CRONTAB" ;;
  *) echo "unexpected: $*" >&2; exit 2 ;;
esac
"#,
    );
}

fn with_fakes(env: &Env, bin: &Path, args: &[&str]) -> Command {
    let mut command = env.command(args);
    command
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("FAKE_CRONTAB", bin.join("crontab.txt"))
        .env("FAKE_SYSTEMCTL_LOG", bin.join("systemctl.log"));
    command
}

fn binary() -> String {
    Path::new(env!("CARGO_BIN_EXE_ccv-moneybird"))
        .canonicalize()
        .unwrap()
        .display()
        .to_string()
}

#[test]
fn the_cron_lines_name_everything_absolutely() {
    let env = Env::new(NOW);
    let bin = tempfile::tempdir().unwrap();
    let printed = env.ok_by(with_fakes(&env, bin.path(), &["schedule"]));
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 2, "{printed}");
    let config = env.config_path().display().to_string();
    assert!(lines[0].starts_with("7 * * * * "), "{printed}");
    assert!(lines[1].starts_with("17 3 * * * "), "{printed}");
    let state = env.state_path().display().to_string();
    for (line, job) in lines.iter().zip(["sync", "recheck"]) {
        // Everything pinned, and the line ends in the tool: cron sees its exit status.
        assert!(
            line.contains(&format!(
                "'{}' --config '{config}' --state '{state}' --log '",
                binary()
            )),
            "{line}"
        );
        assert!(
            line.contains(&format!(
                "ccv-moneybird.log' --quiet {job} # ccv-moneybird {job} "
            )),
            "{line}"
        );
        assert!(!line.contains('|'), "no pipe hides the exit status: {line}");
    }
    // Printing installs nothing.
    assert!(!bin.path().join("crontab.txt").exists());
}

#[test]
fn installing_twice_leaves_one_entry_each_and_the_other_lines_alone() {
    let env = Env::new(NOW);
    let bin = tempfile::tempdir().unwrap();
    fake_crontab(bin.path());
    let theirs = "MAILTO=shop@example.nl\n0 5 * * * /usr/local/bin/backup --all\n";
    std::fs::write(bin.path().join("crontab.txt"), theirs).unwrap();

    let first = env.ok_by(with_fakes(&env, bin.path(), &["schedule", "--install"]));
    assert!(first.contains("Added to your crontab"), "{first}");
    let once = std::fs::read_to_string(bin.path().join("crontab.txt")).unwrap();
    let second = env.ok_by(with_fakes(&env, bin.path(), &["schedule", "--install"]));
    assert!(second.contains("nothing changed"), "{second}");
    let twice = std::fs::read_to_string(bin.path().join("crontab.txt")).unwrap();

    assert_eq!(once, twice);
    assert!(twice.starts_with(theirs), "{twice}");
    assert_eq!(twice.matches(" --quiet sync #").count(), 1, "{twice}");
    assert_eq!(twice.matches(" --quiet recheck #").count(), 1, "{twice}");
    assert_eq!(twice.lines().count(), 4, "{twice}");

    // A crontab that never existed gets just the two lines.
    std::fs::remove_file(bin.path().join("crontab.txt")).unwrap();
    env.ok_by(with_fakes(&env, bin.path(), &["schedule", "--install"]));
    let fresh = std::fs::read_to_string(bin.path().join("crontab.txt")).unwrap();
    assert_eq!(fresh.lines().count(), 2, "{fresh}");
}

#[test]
fn without_cron_installing_says_what_to_do() {
    let env = Env::new(NOW);
    let bin = tempfile::tempdir().unwrap();
    let said = env.said_by(with_fakes(&env, bin.path(), &["schedule", "--install"]));
    assert!(said.starts_with("exit: 1"), "{said}");
    assert!(said.contains("--systemd --install"), "{said}");
}

#[test]
fn systemd_units_are_written_enabled_and_valid() {
    let env = Env::new(NOW);
    let bin = tempfile::tempdir().unwrap();
    script(
        bin.path(),
        "systemctl",
        "echo \"$*\" >> \"$FAKE_SYSTEMCTL_LOG\"\n",
    );
    let printed = env.ok_by(with_fakes(&env, bin.path(), &["schedule", "--systemd"]));
    assert!(printed.contains("OnCalendar=hourly"), "{printed}");
    assert!(
        !bin.path().join("systemctl.log").exists(),
        "printing starts nothing"
    );

    env.ok_by(with_fakes(
        &env,
        bin.path(),
        &["schedule", "--systemd", "--install"],
    ));
    let units = env
        .config_path()
        .parent()
        .unwrap()
        .join("config/systemd/user");
    let read = |name: &str| std::fs::read_to_string(units.join(name)).unwrap();
    let sync_timer = read("ccv-moneybird-sync.timer");
    assert!(sync_timer.contains("OnCalendar=hourly\n"), "{sync_timer}");
    assert!(sync_timer.contains("Persistent=true\n"), "{sync_timer}");
    let recheck_timer = read("ccv-moneybird-recheck.timer");
    assert!(
        recheck_timer.contains("OnCalendar=*-*-* 03:17:00\n"),
        "{recheck_timer}"
    );
    assert!(
        recheck_timer.contains("Persistent=true\n"),
        "{recheck_timer}"
    );
    let service = read("ccv-moneybird-sync.service");
    let config = env.config_path().display().to_string();
    assert!(
        service.contains(&format!(
            "ExecStart=\"{}\" --config \"{config}\" --state \"{}\" sync\n",
            binary(),
            env.state_path().display()
        )),
        "{service}"
    );
    let log = std::fs::read_to_string(bin.path().join("systemctl.log")).unwrap();
    assert_eq!(
        log,
        "--user daemon-reload\n--user enable --now ccv-moneybird-sync.timer ccv-moneybird-recheck.timer\n"
    );

    // systemd's own judgement, where this machine has it.
    let Ok(verified) = Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .args(["sync", "recheck"].iter().flat_map(|job| {
            ["service", "timer"].map(|kind| units.join(format!("ccv-moneybird-{job}.{kind}")))
        }))
        .output()
    else {
        eprintln!("systemd-analyze is not installed here: the units were not verified by systemd");
        return;
    };
    assert!(
        verified.status.success() && verified.stderr.is_empty(),
        "systemd-analyze verify: {}",
        String::from_utf8_lossy(&verified.stderr)
    );
}

/// The command part of an installed crontab line: what cron hands to `sh -c`.
fn command_of(line: &str) -> String {
    let fields: Vec<&str> = line.splitn(6, ' ').collect();
    fields[5].to_string()
}

#[test]
fn the_installed_line_runs_on_the_same_state_from_a_bare_cron_environment() {
    // The wrong code: a line without the state pinned, so cron (no XDG_DATA_HOME) runs on
    // another, empty state and books from scratch; and `| tee`, which makes every run exit 0.
    let env = Env::new(NOW);
    InvoicePaid::new("2026-0001", 1000).add(&env);
    // Credentials stored by `connect`, beside the state, as a real setup has them.
    let connected = env.run_with_input(
        &["connect", "ccv", "--api-key-stdin"],
        &format!("{}\n", env.shop.ccv_api_key),
    );
    assert!(connected.status.success(), "{connected:?}");
    let bin = tempfile::tempdir().unwrap();
    fake_crontab(bin.path());
    // The installing shell has its own XDG_DATA_HOME, as Env sets it.
    env.ok_by(with_fakes(&env, bin.path(), &["schedule", "--install"]));
    let crontab = std::fs::read_to_string(bin.path().join("crontab.txt")).unwrap();
    let sync_line = crontab
        .lines()
        .find(|line| line.contains(" sync #"))
        .unwrap();

    // As cron runs it: sh, a minimal environment, another working folder.
    let cron = |line: &str| {
        Command::new("/bin/sh")
            .arg("-c")
            .arg(command_of(line))
            .env_clear()
            .env("HOME", bin.path())
            .env("PATH", "/usr/bin:/bin")
            .env("SHELL", "/bin/sh")
            .env("TZ", "Pacific/Kiritimati")
            .env("__CCV_MONEYBIRD_TEST_NOW", NOW)
            .env("MONEYBIRD_TOKEN", &env.shop.moneybird_token)
            .current_dir("/")
            .output()
            .unwrap()
    };
    let first = cron(sync_line);
    assert!(first.status.success(), "{first:?}");
    assert_eq!(env.booked("C1").len(), 1);
    assert_eq!(
        env.rows().len(),
        1,
        "the installing shell's state holds the run"
    );
    assert!(
        !bin.path().join(".local").exists(),
        "no second state under cron's HOME"
    );

    // A refused key: cron sees the exit status, and mails what was said.
    let credentials = env.credentials_path();
    let stored = std::fs::read_to_string(&credentials).unwrap();
    std::fs::write(
        &credentials,
        stored.replace(&env.shop.ccv_api_key, "t_revoked"),
    )
    .unwrap();
    let failed = cron(sync_line);
    assert_eq!(failed.status.code(), Some(1), "{failed:?}");
    assert!(
        String::from_utf8_lossy(&failed.stderr).contains("connect ccv"),
        "{failed:?}"
    );

    // Its own log: owner-only, every line stamped, both runs and how they ended.
    let log = env.state_path().with_file_name("ccv-moneybird.log");
    let mode = std::fs::metadata(&log).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.lines().count() >= 2, "{text}");
    for line in text.lines() {
        let (time, _) = line.split_once(' ').unwrap();
        assert!(chrono::DateTime::parse_from_rfc3339(time).is_ok(), "{line}");
    }
    assert!(text.contains("1 booked"), "{text}");
    assert!(text.contains("exit 1"), "{text}");
}

#[test]
fn uninstall_removes_exactly_its_own_lines_and_units() {
    let env = Env::new(NOW);
    let bin = tempfile::tempdir().unwrap();
    fake_crontab(bin.path());
    script(
        bin.path(),
        "systemctl",
        "echo \"$*\" >> \"$FAKE_SYSTEMCTL_LOG\"\n",
    );
    // Theirs, with no newline at the end and a line that mentions ccv-moneybird.
    let theirs = "MAILTO=shop@example.nl\n# ccv-moneybird notes: keep\n0 5 * * * /usr/local/bin/backup --all";
    std::fs::write(bin.path().join("crontab.txt"), theirs).unwrap();
    env.ok_by(with_fakes(&env, bin.path(), &["schedule", "--install"]));
    let said = env.ok_by(with_fakes(&env, bin.path(), &["schedule", "--uninstall"]));
    assert!(said.contains("Removed 2 line(s)"), "{said}");
    let after = std::fs::read_to_string(bin.path().join("crontab.txt")).unwrap();
    assert_eq!(
        after,
        format!("{theirs}\n"),
        "the other lines byte for byte"
    );
    let again = env.ok_by(with_fakes(&env, bin.path(), &["schedule", "--uninstall"]));
    assert!(again.contains("nothing was changed"), "{again}");

    let units = env
        .config_path()
        .parent()
        .unwrap()
        .join("config/systemd/user");
    std::fs::create_dir_all(&units).unwrap();
    std::fs::write(units.join("other.timer"), "[Timer]\n").unwrap();
    env.ok_by(with_fakes(
        &env,
        bin.path(),
        &["schedule", "--systemd", "--install"],
    ));
    env.ok_by(with_fakes(
        &env,
        bin.path(),
        &["schedule", "--systemd", "--uninstall"],
    ));
    let left: Vec<String> = std::fs::read_dir(&units)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["other.timer"]);
    let calls = std::fs::read_to_string(bin.path().join("systemctl.log")).unwrap();
    assert!(
        calls.ends_with("--user disable --now ccv-moneybird-sync.timer ccv-moneybird-recheck.timer\n--user daemon-reload\n"),
        "{calls}"
    );
}

#[test]
fn doctor_warns_when_the_installed_lines_point_elsewhere() {
    let env = Env::new(NOW);
    let bin = tempfile::tempdir().unwrap();
    fake_crontab(bin.path());
    env.ok_by(with_fakes(&env, bin.path(), &["schedule", "--install"]));
    let crontab = std::fs::read_to_string(bin.path().join("crontab.txt")).unwrap();
    let state = env.state_path().display().to_string();
    std::fs::write(
        bin.path().join("crontab.txt"),
        crontab.replace(&state, "/var/lib/elsewhere/state.sqlite3"),
    )
    .unwrap();
    let output = with_fakes(&env, bin.path(), &["doctor"]).output().unwrap();
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        said.contains("run another binary, config, state or log"),
        "{said}"
    );
    assert!(said.contains("schedule --install"), "{said}");

    // The same for systemd units whose ExecStart was edited by hand.
    env.ok_by(with_fakes(&env, bin.path(), &["schedule", "--install"]));
    script(bin.path(), "systemctl", "exit 0\n");
    env.ok_by(with_fakes(
        &env,
        bin.path(),
        &["schedule", "--systemd", "--install"],
    ));
    let fine = with_fakes(&env, bin.path(), &["doctor"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&fine.stdout).contains("run another binary"));
    let unit = env
        .config_path()
        .parent()
        .unwrap()
        .join("config/systemd/user/ccv-moneybird-sync.service");
    let text = std::fs::read_to_string(&unit).unwrap();
    std::fs::write(
        &unit,
        text.replace(&state, "/var/lib/elsewhere/state.sqlite3"),
    )
    .unwrap();
    let output = with_fakes(&env, bin.path(), &["doctor"]).output().unwrap();
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        said.contains("run another binary, config, state or log"),
        "{said}"
    );
}
