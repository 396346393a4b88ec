//! `recheck`: the nightly pass over everything fetched but not booked.

use clap::Args;

use super::Context;
use crate::sync::{Pass, RunOptions};

/// Re-read every pending payment from CCV, look again at retryable errors, and book what can be booked
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  ccv-moneybird recheck\n  ccv-moneybird recheck --dry-run")]
pub struct RecheckArgs {
    /// Show what would be booked; write nothing to Moneybird and change nothing locally
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(context: &Context, args: &RecheckArgs) -> anyhow::Result<()> {
    let options = RunOptions {
        pass: Pass::Recheck,
        dry_run: args.dry_run,
        ..RunOptions::default()
    };
    super::run_and_tell(context, &options)
}
