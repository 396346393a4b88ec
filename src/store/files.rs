//! The state file and its folder on disk: whose they are and who may read them.

use std::path::Path;

use rusqlite::Connection;

use crate::error::user_error;

/// An empty file, or an SQLite database of something else, is named and left alone: never
/// silently turned into a new state database.
pub(super) fn refuse_what_is_not_ours(path: &Path) -> anyhow::Result<()> {
    let Ok(metadata) = std::fs::metadata(path) else {
        return Ok(());
    };
    if metadata.is_file() && metadata.len() == 0 {
        return Err(user_error(
            t!("store-empty-file", path = path.display().to_string()),
            t!("store-not-ours-hint"),
        ));
    }
    let Ok(connection) =
        Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
    else {
        return Ok(());
    };
    let version: i64 = connection
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap_or(0);
    let tables: i64 = connection
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |row| row.get(0),
        )
        .unwrap_or(0);
    if version == 0 && tables > 0 {
        return Err(user_error(
            t!("store-other-database", path = path.display().to_string()),
            t!("store-not-ours-hint"),
        ));
    }
    Ok(())
}

/// The state directory holds payment data; only its owner may read it.
pub fn create_private_dir(directory: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    if directory.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(directory)
        .map_err(|error| {
            user_error(
                t!(
                    "store-cannot-create-dir",
                    path = directory.display().to_string(),
                    error = error.to_string()
                ),
                t!("store-cannot-create-dir-hint"),
            )
        })
}
