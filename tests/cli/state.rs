//! The state database's troubles, named for what they are, each with its fix: a read-only
//! file, a read-only folder, journal files left read-only, a full disk. After the fix the
//! tool works again, and nothing is booked twice.
//!
//! Modes do not count for root, so as root these tests run the tool as `nobody` over a
//! test folder given to it; a machine where neither works skips them, saying so. The wrong
//! code they catch: every open error called "not a state database"; a bare SQLite message.

use std::os::unix::fs::PermissionsExt as _;
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::Output;

use crate::common::{Env, InvoicePaid};

const NOW: &str = "2026-11-26T12:00:00Z";
const NOBODY: u32 = 65534;

/// Who the tool runs as: `nobody` when the tests run as root (the folder handed over to it).
struct User {
    id: Option<u32>,
}

impl User {
    fn for_whom_modes_count(env: &Env) -> Option<User> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return Some(User { id: None });
        }
        give_away(env.dir.path(), NOBODY);
        let user = User { id: Some(NOBODY) };
        let mut command = env.command(&["--version"]);
        command.uid(NOBODY).gid(NOBODY);
        let output = command.output();
        if !output.as_ref().is_ok_and(|output| output.status.success()) {
            eprintln!(
                "skipped: cannot run the tool as nobody here ({output:?}); modes do not count for root"
            );
            return None;
        }
        Some(user)
    }

    fn run(&self, env: &Env, args: &[&str]) -> Output {
        let mut command = env.command(args);
        if let Some(id) = self.id {
            command.uid(id).gid(id);
        }
        env.checked(command.output().unwrap())
    }
}

fn give_away(path: &Path, id: u32) {
    std::os::unix::fs::chown(path, Some(id), Some(id)).unwrap();
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            give_away(&entry.unwrap().path(), id);
        }
    }
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// What it said, stdout and stderr, with lines unwrapped.
fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
    .split_whitespace()
    .collect::<Vec<_>>()
    .join(" ")
}

/// A shop whose first payment is booked, its state made by the user the tool runs as.
fn booked_once() -> Option<(Env, User)> {
    let env = Env::new(NOW);
    crate::common::one_paid(&env);
    let user = User::for_whom_modes_count(&env)?;
    let first = user.run(&env, &["sync"]);
    assert!(first.status.success(), "{first:?}");
    Some((env, user))
}

#[test]
fn a_read_only_state_file_is_named_with_its_fix_and_works_once_restored() {
    let Some((env, user)) = booked_once() else {
        return;
    };
    InvoicePaid::new("2026-0002", 2000)
        .paid_by("C2")
        .at("2026-11-26T10:00:00Z")
        .add(&env);
    chmod(&env.state_path(), 0o444);
    let output = user.run(&env, &["sync"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let text = said(&output);
    assert!(text.contains("is read-only"), "{text}");
    assert!(text.contains("chmod u+w"), "{text}");
    assert!(!text.contains("not a state database"), "{text}");
    let doctor = said(&user.run(&env, &["doctor"]));
    assert!(doctor.contains("is read-only"), "{doctor}");

    chmod(&env.state_path(), 0o600);
    let output = user.run(&env, &["sync"]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(env.booked("C1").len(), 1);
    assert_eq!(env.booked("C2").len(), 1);
}

#[test]
fn a_read_only_state_folder_is_named_not_called_a_foreign_file() {
    let Some((env, user)) = booked_once() else {
        return;
    };
    let folder = env.state_path().parent().unwrap().to_path_buf();
    chmod(&folder, 0o500);
    let output = user.run(&env, &["sync"]);
    chmod(&folder, 0o700);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let text = said(&output);
    assert!(text.contains("is read-only"), "{text}");
    assert!(text.contains(&folder.display().to_string()), "{text}");
    assert!(!text.contains("not a state database"), "{text}");

    chmod(&folder, 0o500);
    let doctor = said(&user.run(&env, &["doctor"]));
    chmod(&folder, 0o700);
    assert!(doctor.contains("is read-only"), "{doctor}");
    assert!(user.run(&env, &["sync"]).status.success());
}

#[test]
fn journal_files_of_another_user_left_read_only_are_named_or_overcome() {
    let Some((env, user)) = booked_once() else {
        return;
    };
    let Some(id) = user.id else {
        eprintln!("skipped: another user's files need root to make");
        return;
    };
    InvoicePaid::new("2026-0002", 2000)
        .paid_by("C2")
        .at("2026-11-26T10:00:00Z")
        .add(&env);
    // A run against a read-only database leaves journal files as read-only as it; here
    // they then belong to someone else (a restore as root), so the tool cannot mend them.
    chmod(&env.state_path(), 0o444);
    assert_eq!(user.run(&env, &["sync"]).status.code(), Some(1));
    chmod(&env.state_path(), 0o600);
    let journals: Vec<std::path::PathBuf> = ["-wal", "-shm"]
        .iter()
        .map(|suffix| {
            let mut name = env.state_path().into_os_string();
            name.push(suffix);
            std::path::PathBuf::from(name)
        })
        .filter(|journal| journal.exists())
        .collect();
    for journal in &journals {
        std::os::unix::fs::chown(journal, Some(0), Some(0)).unwrap();
        chmod(journal, 0o444);
    }
    let output = user.run(&env, &["sync"]);
    if !output.status.success() {
        // Named, with the fix; and the fix works.
        let text = said(&output);
        assert!(text.contains("journal files cannot be written"), "{text}");
        assert!(text.contains("state.sqlite3-"), "{text}");
        for journal in &journals {
            std::os::unix::fs::chown(journal, Some(id), Some(id)).unwrap();
            chmod(journal, 0o600);
        }
        let output = user.run(&env, &["sync"]);
        assert!(output.status.success(), "{output:?}");
    }
    assert_eq!(env.booked("C2").len(), 1);
    assert_eq!(env.booked("C1").len(), 1);
}

/// A small filesystem of its own, unmounted when dropped.
struct SmallDisk {
    path: std::path::PathBuf,
}

impl SmallDisk {
    fn mount(path: &Path) -> Option<SmallDisk> {
        std::fs::create_dir_all(path).ok()?;
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=4m,mode=0777", "tmpfs"])
            .arg(path)
            .status()
            .ok()?;
        status.success().then(|| SmallDisk {
            path: path.to_path_buf(),
        })
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(&self.path)
            .status();
    }
}

#[test]
fn a_full_disk_is_named_and_nothing_is_booked_twice_once_there_is_room() {
    let env = Env::new(NOW);
    let Some(disk) = SmallDisk::mount(&env.dir.path().join("small")) else {
        eprintln!("skipped: no small filesystem can be mounted here (needs root and tmpfs)");
        return;
    };
    let state = disk.path.join("state.sqlite3");
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    std::fs::write(
        env.config_path(),
        format!("[state]\npath = \"{}\"\n\n{config}", state.display()),
    )
    .unwrap();
    crate::common::one_paid(&env);
    env.sync();
    for index in 0..40 {
        InvoicePaid::new(&format!("2026-{:04}", 100 + index), 1000 + index)
            .paid_by(&format!("C{index:03}"))
            .at("2026-11-26T10:00:00Z")
            .add(&env);
    }
    // Fill what is left of the disk.
    let filler = disk.path.join("filler");
    let _ = std::fs::write(&filler, vec![0u8; 8 * 1024 * 1024]);
    let output = env.run(&["sync"]);
    let text = said(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("is full"), "{text}");
    assert!(text.contains("df -h"), "{text}");

    std::fs::remove_file(&filler).unwrap();
    env.sync();
    for index in 0..40 {
        assert_eq!(env.booked(&format!("C{index:03}")).len(), 1, "C{index:03}");
    }
    assert_eq!(env.booked("C1").len(), 1);
    drop(disk);
}

#[test]
fn a_state_locked_by_another_program_is_named() {
    let env = Env::new(NOW);
    crate::common::one_paid(&env);
    env.sync();
    InvoicePaid::new("2026-0002", 2000)
        .paid_by("C2")
        .at("2026-11-26T10:00:00Z")
        .add(&env);
    // An SQLite browser holding a write transaction open.
    let other = rusqlite::Connection::open(env.state_path()).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let output = env.run(&["sync"]);
    let text = said(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("is locked by another program"), "{text}");
    other.execute_batch("ROLLBACK").unwrap();
    drop(other);
    env.sync();
    assert_eq!(env.booked("C2").len(), 1);
}
