//! `schedule`: the hourly `sync` and nightly `recheck`, for cron or as systemd user timers.

use clap::Args;

use super::Context;
use crate::schedule;

/// Print (or with --install install, with --uninstall remove) the hourly sync and nightly
/// recheck for cron, or as systemd user timers with --systemd
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  ccv-moneybird schedule\n  ccv-moneybird schedule --install\n  ccv-moneybird schedule --systemd --install\n  ccv-moneybird schedule --uninstall"
)]
pub struct ScheduleArgs {
    /// Add the entries to your crontab (or, with --systemd, write and enable the timers);
    /// running it again changes nothing, and other entries are left alone
    #[arg(long, conflicts_with = "uninstall")]
    pub install: bool,

    /// Remove exactly the entries (or with --systemd the units) `--install` made for this
    /// config; everything else stays as it was
    #[arg(long)]
    pub uninstall: bool,

    /// systemd user service and timer units instead of cron entries
    #[arg(long)]
    pub systemd: bool,
}

pub fn run(context: &Context, args: &ScheduleArgs) -> anyhow::Result<()> {
    let paths = schedule::Paths::of(context)?;
    match (args.systemd, args.install) {
        _ if args.uninstall && args.systemd => schedule::uninstall_systemd()?,
        _ if args.uninstall => schedule::uninstall_cron(&paths)?,
        (false, false) => crate::view::print(&schedule::cron_lines(&paths))?,
        (false, true) => schedule::install_cron(&paths)?,
        (true, false) => {
            for (name, text) in schedule::units(&paths) {
                crate::view::print(&format!(
                    "# {}\n{text}\n",
                    schedule::unit_dir()?.join(name).display()
                ))?;
            }
        }
        (true, true) => schedule::install_systemd(&paths)?,
    }
    Ok(())
}
