//! The hourly `sync` and nightly `recheck`, for cron or as systemd user timers, with
//! absolute paths, since neither cron nor systemd runs in the user's shell: what `schedule`
//! installs and removes, and what `doctor` checks is installed.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::Context as _;

use crate::error::user_error;
use crate::ops::Context;

/// The two jobs: what they run and when.
const JOBS: [Job; 2] = [
    Job {
        command: "sync",
        cron: "7 * * * *",
        on_calendar: "hourly",
        what: "book new CCV payments in Moneybird",
    },
    Job {
        command: "recheck",
        cron: "17 3 * * *",
        on_calendar: "*-*-* 03:17:00",
        what: "look again at everything fetched but not booked",
    },
];

struct Job {
    command: &'static str,
    cron: &'static str,
    on_calendar: &'static str,
    what: &'static str,
}

/// Where the jobs run from, all absolute, as the installing shell resolved them: cron's
/// environment (no `XDG_*`, another `PATH`) then cannot point a run at another state.
pub struct Paths {
    pub binary: PathBuf,
    pub config: PathBuf,
    pub state: PathBuf,
    pub log: PathBuf,
}

impl Paths {
    pub fn of(context: &Context) -> anyhow::Result<Paths> {
        let binary = std::env::current_exe()
            .and_then(|path| path.canonicalize())
            .context(t!("schedule-no-binary"))?;
        let config = std::path::absolute(&context.settings.config_path)?;
        let state = std::path::absolute(&context.settings.state_path)?;
        let log = std::path::absolute(
            context
                .settings
                .state_path
                .with_file_name("ccv-moneybird.log"),
        )?;
        Ok(Paths {
            binary,
            config,
            state,
            log,
        })
    }
}

/// A path as the shell reads it, whatever it holds. Cron also takes `%` for a newline.
fn shell_quoted(path: &Path) -> String {
    let text = path.display().to_string();
    format!("'{}'", text.replace('\'', r"'\''").replace('%', r"\%"))
}

/// Marks a crontab line as this config's, so `--install` finds it again; the shell reads it
/// as a comment.
fn cron_marker(command: &str, config: &Path) -> String {
    format!("# ccv-moneybird {command} {}", config.display())
}

/// The line ends in the tool, so cron sees its exit status; it writes its own log, and
/// what it prints cron mails to the user: the jobs print only when a person is needed.
pub fn cron_lines(paths: &Paths) -> String {
    JOBS.iter()
        .map(|job| {
            format!(
                "{} {} {}\n",
                job.cron,
                command_line(paths, job.command),
                cron_marker(job.command, &paths.config)
            )
        })
        .collect()
}

/// The command a scheduled job runs, every path pinned.
fn command_line(paths: &Paths, command: &str) -> String {
    format!(
        "{} --config {} --state {} --log {} --quiet {command}",
        shell_quoted(&paths.binary),
        shell_quoted(&paths.config),
        shell_quoted(&paths.state),
        shell_quoted(&paths.log),
    )
}

/// Whether this config's installed cron lines (or systemd units) run what this shell would:
/// the same binary, config, state and log. `None` when none is installed.
pub fn installed_lines_match(paths: &Paths) -> Option<bool> {
    let units = unit_dir().ok().map(|dir| {
        units(paths)
            .into_iter()
            .filter(|(name, _)| name.ends_with(".service"))
            .filter_map(|(name, wanted)| {
                std::fs::read_to_string(dir.join(name))
                    .ok()
                    .map(|found| found == wanted)
            })
            .collect::<Vec<bool>>()
    });
    if let Some(found) = units.filter(|found| !found.is_empty()) {
        return Some(found.iter().all(|same| *same));
    }
    let crontab = read_crontab().ok().flatten()?;
    let ours: Vec<&str> = crontab
        .lines()
        .filter(|line| {
            JOBS.iter()
                .any(|job| line.ends_with(&cron_marker(job.command, &paths.config)))
        })
        .collect();
    if ours.is_empty() {
        return None;
    }
    Some(JOBS.iter().all(|job| {
        ours.iter()
            .any(|line| line.contains(&command_line(paths, job.command)))
    }))
}

/// Removes this config's lines, byte for byte nothing else.
pub fn uninstall_cron(paths: &Paths) -> anyhow::Result<()> {
    let Some(current) = read_crontab()? else {
        crate::view::say(t!("schedule-nothing-to-remove"))?;
        return Ok(());
    };
    let mut kept = String::with_capacity(current.len());
    let mut removed: usize = 0;
    for line in current.split_inclusive('\n') {
        let ours = JOBS.iter().any(|job| {
            line.trim_end_matches('\n')
                .ends_with(&cron_marker(job.command, &paths.config))
        });
        if ours {
            removed += 1;
        } else {
            kept.push_str(line);
        }
    }
    if removed == 0 {
        crate::view::say(t!("schedule-nothing-to-remove"))?;
        return Ok(());
    }
    write_crontab(&kept)?;
    crate::view::say(t!("schedule-removed-cron", count = removed))?;
    Ok(())
}

fn write_crontab(text: &str) -> anyhow::Result<()> {
    let mut child = Command::new("crontab")
        .arg("-")
        .stdin(Stdio::piped())
        .spawn()
        .context(t!("schedule-crontab-failed"))?;
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(text.as_bytes())?;
    if !child.wait()?.success() {
        return Err(user_error(
            t!("schedule-crontab-refused"),
            t!("schedule-crontab-hint"),
        ));
    }
    Ok(())
}

/// Stops and removes the four units `--systemd --install` wrote; nothing else.
pub fn uninstall_systemd() -> anyhow::Result<()> {
    let dir = unit_dir()?;
    let timers: Vec<String> = JOBS
        .iter()
        .map(|job| format!("ccv-moneybird-{}.timer", job.command))
        .collect();
    let present: Vec<&String> = timers
        .iter()
        .filter(|timer| dir.join(timer).exists())
        .collect();
    if !present.is_empty() {
        let mut disable = vec!["--user", "disable", "--now"];
        disable.extend(present.iter().map(|timer| timer.as_str()));
        systemctl(&disable)?;
    }
    let mut removed: usize = 0;
    for job in &JOBS {
        for kind in ["service", "timer"] {
            let path = dir.join(format!("ccv-moneybird-{}.{kind}", job.command));
            match std::fs::remove_file(&path) {
                Ok(()) => removed += 1,
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => {
                    return Err(anyhow::Error::new(error).context(t!(
                        "schedule-cannot-write",
                        path = path.display().to_string()
                    )));
                }
            }
        }
    }
    if removed == 0 {
        crate::view::say(t!("schedule-nothing-to-remove"))?;
        return Ok(());
    }
    systemctl(&["--user", "daemon-reload"])?;
    crate::view::say(t!(
        "schedule-removed-systemd",
        count = removed,
        dir = dir.display().to_string()
    ))?;
    Ok(())
}

/// The user's crontab as it is; empty when there is none yet.
fn read_crontab() -> anyhow::Result<Option<String>> {
    let output = match Command::new("crontab").arg("-l").output() {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error).context(t!("schedule-crontab-failed")),
    };
    if output.status.success() {
        return Ok(Some(String::from_utf8_lossy(&output.stdout).into_owned()));
    }
    let said = String::from_utf8_lossy(&output.stderr);
    if said.to_ascii_lowercase().contains("no crontab") {
        return Ok(Some(String::new()));
    }
    Err(user_error(
        t!("schedule-crontab-unreadable", said = said.trim()),
        t!("schedule-crontab-hint"),
    ))
}

/// Whether the jobs of this config are in the crontab or in the systemd user units.
pub fn installed(paths: &Paths) -> Option<&'static str> {
    let in_cron = read_crontab().ok().flatten().is_some_and(|crontab| {
        JOBS.iter()
            .all(|job| crontab.contains(&cron_marker(job.command, &paths.config)))
    });
    if in_cron {
        return Some("cron");
    }
    let units = unit_dir().ok()?;
    JOBS.iter()
        .all(|job| {
            units
                .join(format!("ccv-moneybird-{}.timer", job.command))
                .exists()
        })
        .then_some("systemd")
}

pub fn install_cron(paths: &Paths) -> anyhow::Result<()> {
    let Some(current) = read_crontab()? else {
        return Err(user_error(
            t!("schedule-no-crontab"),
            t!("schedule-no-crontab-hint"),
        ));
    };
    let ours = cron_lines(paths);
    // Every other line stays as it was; ours are replaced, so paths that moved are updated.
    let mut kept: Vec<&str> = current
        .lines()
        .filter(|line| {
            !JOBS
                .iter()
                .any(|job| line.ends_with(&cron_marker(job.command, &paths.config)))
        })
        .collect();
    while kept.last().is_some_and(|line| line.trim().is_empty()) {
        kept.pop();
    }
    let mut wanted = kept.join("\n");
    if !wanted.is_empty() {
        wanted.push('\n');
    }
    wanted.push_str(&ours);
    if wanted == current {
        crate::view::say(t!("schedule-already"))?;
        return Ok(());
    }
    write_crontab(&wanted)?;
    crate::view::say(t!(
        "schedule-installed-cron",
        log = paths.log.display().to_string()
    ))?;
    crate::view::print(&ours)?;
    Ok(())
}

/// `$XDG_CONFIG_HOME/systemd/user`, where a user's own units live.
pub fn unit_dir() -> anyhow::Result<PathBuf> {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|path| path.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")))
        .ok_or_else(|| user_error(t!("schedule-no-home"), t!("schedule-no-home-hint")))?;
    Ok(config.join("systemd").join("user"))
}

/// The service and timer of each job. Their output goes to the journal
/// (`journalctl --user -u ccv-moneybird-sync`).
pub fn units(paths: &Paths) -> Vec<(String, String)> {
    let quoted = |path: &Path| format!("\"{}\"", path.display().to_string().replace('"', "\\\""));
    let mut units = Vec::new();
    for job in &JOBS {
        units.push((
            format!("ccv-moneybird-{}.service", job.command),
            format!(
                "[Unit]\nDescription=ccv-moneybird {}: {}\nDocumentation=man:ccv-moneybird(1)\n\n\
                 [Service]\nType=oneshot\nExecStart={} --config {} --state {} {}\n",
                job.command,
                job.what,
                quoted(&paths.binary),
                quoted(&paths.config),
                quoted(&paths.state),
                job.command,
            ),
        ));
        units.push((
            format!("ccv-moneybird-{}.timer", job.command),
            format!(
                "[Unit]\nDescription=Run ccv-moneybird {} ({})\n\n\
                 [Timer]\nOnCalendar={}\nPersistent=true\nRandomizedDelaySec=120\n\n\
                 [Install]\nWantedBy=timers.target\n",
                job.command, job.on_calendar, job.on_calendar,
            ),
        ));
    }
    units
}

pub fn install_systemd(paths: &Paths) -> anyhow::Result<()> {
    let dir = unit_dir()?;
    crate::store::create_private_dir(&dir)?;
    for (name, text) in units(paths) {
        let path = dir.join(&name);
        std::fs::write(&path, text)
            .with_context(|| t!("schedule-cannot-write", path = path.display().to_string()))?;
    }
    let timers: Vec<String> = JOBS
        .iter()
        .map(|job| format!("ccv-moneybird-{}.timer", job.command))
        .collect();
    systemctl(&["--user", "daemon-reload"])?;
    let mut enable = vec!["--user", "enable", "--now"];
    enable.extend(timers.iter().map(String::as_str));
    systemctl(&enable)?;
    crate::view::say(t!(
        "schedule-installed-systemd",
        dir = dir.display().to_string()
    ))?;
    Ok(())
}

fn systemctl(args: &[&str]) -> anyhow::Result<()> {
    let status = Command::new("systemctl")
        .args(args)
        .status()
        .context(t!("schedule-systemctl-failed"))?;
    if !status.success() {
        return Err(user_error(
            t!("schedule-systemctl-refused", args = args.join(" ")),
            t!("schedule-systemctl-hint"),
        ));
    }
    Ok(())
}
