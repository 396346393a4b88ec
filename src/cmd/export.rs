//! `export`: the booked payments of a period for the accountant.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Args;

use super::Context;
use crate::error::{EXIT_USAGE, UserError};
use crate::export::{self, Format};

/// Write the payments booked in a period, one row each, for the accountant
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  ccv-moneybird export --from 2026-10-01 --to 2026-12-31 --format csv-nl --output kwartaal4.csv\n  ccv-moneybird export --from 2026-11-01 --to 2026-11-30 --totals totals.csv > november.csv\n  ccv-moneybird export --from 2026-11-26 --to 2026-11-26 --format json"
)]
pub struct ExportArgs {
    /// The first booking date included
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::view::parse_day)]
    pub from: NaiveDate,

    /// The last booking date included
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::view::parse_day)]
    pub to: NaiveDate,

    /// csv (RFC 4180), csv-nl (for Dutch Excel) or json
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,

    /// Write the rows to this file instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also write the totals booked per day, payment method and currency to this file, in the same format
    #[arg(long, value_name = "FILE")]
    pub totals: Option<PathBuf>,
}

pub fn run(context: &Context, args: &ExportArgs) -> anyhow::Result<()> {
    if args.from > args.to {
        return Err(
            UserError::new(t!("export-backwards", from = args.from, to = args.to))
                .with_hint(t!("export-backwards-hint"))
                .with_exit_code(EXIT_USAGE)
                .into(),
        );
    }
    if let (Some(output), Some(totals)) = (&args.output, &args.totals)
        && same_file(output, totals)
    {
        // Checked before anything is written: one would silently overwrite the other.
        return Err(
            UserError::new(t!("export-same-file", path = output.display().to_string()))
                .with_hint(t!("export-same-file-hint"))
                .with_exit_code(EXIT_USAGE)
                .into(),
        );
    }
    let store = context.open_existing_store()?;
    let rows = export::rows(&store, &context.settings, args.from, args.to)?;
    match &args.output {
        Some(path) => write_file(path, |file| export::write_rows(&rows, args.format, file))?,
        None => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            export::write_rows(&rows, args.format, &mut out)?;
            out.flush()?;
        }
    }
    if let Some(path) = &args.totals {
        let totals = export::totals(&rows);
        write_file(path, |file| {
            export::write_totals(&totals, args.format, file)
        })?;
    }
    if args.output.is_some() || args.totals.is_some() {
        crate::view::say_err(t!("export-written", count = rows.len()));
    }
    Ok(())
}

/// Whether two paths name one file, through `..`, links and a relative folder alike.
fn same_file(one: &Path, other: &Path) -> bool {
    let resolved = |path: &Path| -> PathBuf {
        if let Ok(real) = path.canonicalize() {
            return real;
        }
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        match (absolute.parent(), absolute.file_name()) {
            (Some(folder), Some(name)) => folder
                .canonicalize()
                .map_or_else(|_| absolute.clone(), |folder| folder.join(name)),
            _ => absolute,
        }
    };
    resolved(one) == resolved(other)
}

/// Writes beside the file and renames it into place, so a full disk or a crash never leaves
/// half an export where the accountant expects a whole one.
fn write_file(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let folder = path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let cannot = || t!("export-cannot-write", path = path.display().to_string());
    let mut temporary = tempfile::NamedTempFile::new_in(folder)
        .map_err(|error| anyhow::Error::new(error).context(cannot()))?;
    write(temporary.as_file_mut())
        .and_then(|()| Ok(temporary.as_file().sync_all()?))
        .map_err(|error| error.context(cannot()))?;
    temporary
        .persist(path)
        .map_err(|error| anyhow::Error::new(error.error).context(cannot()))?;
    Ok(())
}
