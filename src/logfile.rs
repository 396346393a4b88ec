//! `--log FILE`: the tool's own log, for the scheduled runs. Appended to, owner-only, every
//! line starting with its ISO 8601 time (UTC), and rotated at [`ROTATE_AT`] keeping one old
//! file (`FILE.1`), so a year of hourly runs neither fills the disk nor loses last week.

use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A log this large is moved aside to `FILE.1` (replacing the one there) when a run starts.
pub const ROTATE_AT: u64 = 10 * 1024 * 1024;

/// The open log file, shared by every line the run writes.
#[derive(Clone)]
pub struct LogFile {
    file: Arc<Mutex<std::fs::File>>,
}

impl LogFile {
    pub fn open(path: &Path) -> std::io::Result<LogFile> {
        // The first scheduled run may come before any run made the state's folder.
        if let Some(folder) = path
            .parent()
            .filter(|folder| !folder.as_os_str().is_empty())
        {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(folder)?;
        }
        if std::fs::metadata(path).is_ok_and(|metadata| metadata.len() >= ROTATE_AT) {
            std::fs::rename(path, rotated(path))?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(path)?;
        // A log made by an older version, or by hand, becomes owner-only too.
        std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
        Ok(LogFile {
            file: Arc::new(Mutex::new(file)),
        })
    }
}

/// Where a full log goes.
pub fn rotated(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".1");
    PathBuf::from(name)
}

impl std::io::Write for LogFile {
    /// One event as the formatter wrote it: each of its lines gets the time in front, and
    /// outside text in it is made harmless as on a terminal.
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let text = String::from_utf8_lossy(bytes);
        let mut stamped = String::with_capacity(text.len() + 32);
        for line in text.lines() {
            stamped.push_str(&now);
            stamped.push(' ');
            stamped.push_str(&crate::text::for_terminal(line));
            stamped.push('\n');
        }
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        file.write_all(stamped.as_bytes())?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .flush()
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;

    #[test]
    fn every_line_is_stamped_and_a_full_log_is_rotated_once() {
        let dir = tempfile::tempdir().unwrap();
        // A folder that does not exist yet, as before the first run.
        let path = dir.path().join("not-yet").join("run.log");
        let mut log = LogFile::open(&path).unwrap();
        log.write_all(b"first\nsecond \x1b[2J\n").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        for line in &lines {
            let (time, _) = line.split_once(' ').unwrap();
            assert!(chrono::DateTime::parse_from_rfc3339(time).is_ok(), "{line}");
        }
        assert!(lines[1].ends_with("second \\u{1b}[2J"), "{}", lines[1]);
        let mode = std::fs::metadata(&path).unwrap().permissions();
        assert_eq!(
            std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
            0o600
        );

        std::fs::write(&path, vec![b'x'; ROTATE_AT as usize]).unwrap();
        let mut log = LogFile::open(&path).unwrap();
        log.write_all(b"after\n").unwrap();
        assert_eq!(std::fs::metadata(rotated(&path)).unwrap().len(), ROTATE_AT);
        assert!(
            std::fs::read_to_string(&path)
                .unwrap()
                .ends_with(" after\n")
        );
    }
}
