//! What a failing state database means for the person: read-only (the file, its folder, or
//! the journal files SQLite keeps beside it), a full disk, locked by another program, not a
//! state database at all. Each is named with its fix, instead of a bare SQLite message.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::error::user_error;

/// The state database this process opened, so an error anywhere in a run can be named for
/// the file it is about.
static OPENED: OnceLock<PathBuf> = OnceLock::new();

pub(super) fn remember(path: &Path) {
    let _ = OPENED.set(path.to_path_buf());
}

/// The person's version of a state database error, if it is one of the troubles above.
pub fn explain(error: &anyhow::Error) -> Option<anyhow::Error> {
    let path = OPENED.get()?;
    let failure = error
        .chain()
        .find_map(|cause| cause.downcast_ref::<rusqlite::Error>())?;
    of(path, failure)
}

/// [`explain`] for an error met while opening `path`.
pub fn of(path: &Path, error: &rusqlite::Error) -> Option<anyhow::Error> {
    use rusqlite::ErrorCode;
    let rusqlite::Error::SqliteFailure(failure, _) = error else {
        return None;
    };
    let shown = path.display().to_string();
    let folder = path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // A full disk shows as SQLITE_FULL, or as an I/O error where SQLite maps its shared
    // memory; the free space tells.
    let full = failure.code == ErrorCode::DiskFull
        || (matches!(
            failure.code,
            ErrorCode::SystemIoFailure | ErrorCode::CannotOpen
        ) && no_room(folder));
    Some(match failure.code {
        _ if full => user_error(
            t!("store-disk-full", path = shown),
            t!(
                "store-disk-full-hint",
                folder = folder.display().to_string()
            ),
        ),
        ErrorCode::ReadOnly
        | ErrorCode::CannotOpen
        | ErrorCode::PermissionDenied
        | ErrorCode::SystemIoFailure
            if unwritable(path).is_some() =>
        {
            unwritable(path)?
        }
        ErrorCode::DiskFull => user_error(
            t!("store-disk-full", path = shown),
            t!(
                "store-disk-full-hint",
                folder = folder.display().to_string()
            ),
        ),
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => {
            user_error(t!("store-locked", path = shown), t!("store-locked-hint"))
        }
        ErrorCode::NotADatabase => user_error(
            t!("store-not-ours", path = shown, error = error.to_string()),
            t!("store-not-ours-hint"),
        ),
        _ => return None,
    })
}

/// What keeps this process from writing the state, if anything does: the file, then its
/// folder, then journal files left read-only. `doctor` says the same.
pub fn unwritable(path: &Path) -> Option<anyhow::Error> {
    let folder = path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let shown = path.display().to_string();
    if path.exists() && !writable(path) {
        return Some(user_error(
            t!("store-read-only", path = shown.clone()),
            t!("store-read-only-hint", path = shown),
        ));
    }
    if !writable(folder) {
        return Some(user_error(
            t!(
                "store-folder-read-only",
                folder = folder.display().to_string()
            ),
            t!(
                "store-folder-read-only-hint",
                folder = folder.display().to_string()
            ),
        ));
    }
    let leftovers = journals_writable(path);
    (!leftovers.is_empty()).then(|| {
        user_error(
            t!("store-journal-read-only", files = leftovers.join(", ")),
            t!("store-journal-read-only-hint", files = leftovers.join(" ")),
        )
    })
}

/// Whether the filesystem holding `folder` has (next to) no room left.
fn no_room(folder: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt as _;
    let Ok(name) = std::ffi::CString::new(folder.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: statvfs fills the zeroed struct it is given from the NUL-terminated name.
    let mut stats: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(name.as_ptr(), &mut stats) } != 0 {
        return false;
    }
    (stats.f_bavail as u128) * (stats.f_frsize as u128) < 64 * 1024
}

/// Journal files this user owns that a read-only run left read-only (SQLite gives them the
/// database's mode): made writable again, so that restoring the database's mode is fix
/// enough. Another user's are left alone, and named if they stop a run.
pub fn heal_journals(path: &Path) {
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
    // SAFETY: geteuid has no preconditions.
    let me = unsafe { libc::geteuid() };
    for suffix in ["-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let journal = PathBuf::from(name);
        let Ok(metadata) = std::fs::metadata(&journal) else {
            continue;
        };
        if metadata.uid() == me && metadata.permissions().mode() & 0o200 == 0 {
            tracing::info!("made {} writable again", journal.display());
            let _ = std::fs::set_permissions(&journal, std::fs::Permissions::from_mode(0o600));
        }
    }
}

/// Whether this process may write there (what the kernel says, for this user).
pub fn writable(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt as _;
    let Ok(name) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: access only reads the NUL-terminated name it is given.
    unsafe { libc::access(name.as_ptr(), libc::W_OK) == 0 }
}

/// SQLite's `-wal` and `-shm` files beside the database that exist and cannot be written:
/// left so by a restore or a `chmod`, they keep every later run failing.
pub fn journals_writable(path: &Path) -> Vec<String> {
    ["-wal", "-shm"]
        .iter()
        .map(|suffix| {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            PathBuf::from(name)
        })
        .filter(|journal| journal.exists() && !writable(journal))
        .map(|journal| journal.display().to_string())
        .collect()
}
