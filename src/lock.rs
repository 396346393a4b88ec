//! One run at a time: an exclusive lock on a file beside the state database, held for the
//! whole run. The kernel drops it when the process ends, even by SIGKILL: no stale locks.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use anyhow::Context as _;

use crate::error::{EXIT_LOCKED, UserError};

pub struct RunLock {
    _file: File,
}

impl RunLock {
    /// Takes the lock, or fails at once with exit code 75 when another run holds it.
    pub fn acquire(path: &Path) -> anyhow::Result<RunLock> {
        if let Some(directory) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            crate::store::create_private_dir(directory)?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .with_context(|| t!("lock-cannot-open", path = path.display().to_string()))?;
        match file.try_lock() {
            Ok(()) => Ok(RunLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(UserError::new(t!(
                "lock-held",
                path = path.display().to_string()
            ))
            .with_hint(t!("lock-held-hint"))
            .with_exit_code(EXIT_LOCKED)
            .into()),
            Err(TryLockError::Error(error)) => Err(anyhow::Error::new(error)
                .context(t!("lock-cannot-lock", path = path.display().to_string()))),
        }
    }
}
