//! `sync`: the hourly job.

use chrono::NaiveDate;
use clap::Args;

use super::Context;
use crate::sync::{Pass, RunOptions};

/// Fetch new CCV payments and book every paid one onto its open Moneybird invoice
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  ccv-moneybird sync\n  ccv-moneybird sync --dry-run\n  ccv-moneybird sync --since 2026-11-01"
)]
pub struct SyncArgs {
    /// Show what would be booked; write nothing to Moneybird and change nothing locally
    #[arg(long)]
    pub dry_run: bool,

    /// Also look at payments created since this day (YYYY-MM-DD or DD-MM-YYYY)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::view::parse_day)]
    pub since: Option<NaiveDate>,
}

pub(crate) fn run(context: &Context, args: &SyncArgs) -> anyhow::Result<()> {
    let options = RunOptions {
        pass: Pass::Sync,
        since: args.since,
        dry_run: args.dry_run,
        ..RunOptions::default()
    };
    super::run_and_tell(context, &options)
}
