//! `schedule`: cron lines with absolute paths, installed once however often it is asked, and
//! systemd units that systemd itself accepts.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::process::Command;

use crate::common::Env;

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
    for (line, job) in lines.iter().zip(["sync", "recheck"]) {
        assert!(
            line.contains(&format!(
                "'{}' --config '{config}' --quiet {job} 2>&1 | tee -a '",
                binary()
            )),
            "{line}"
        );
        assert!(
            line.contains("ccv-moneybird.log' # ccv-moneybird "),
            "{line}"
        );
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
    assert_eq!(twice.matches(" sync 2>&1").count(), 1, "{twice}");
    assert_eq!(twice.matches(" recheck 2>&1").count(), 1, "{twice}");
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
            "ExecStart=\"{}\" --config \"{config}\" sync\n",
            binary()
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
