//! `sync`: the hourly job.

use std::io::IsTerminal as _;

use chrono::NaiveDate;
use clap::Args;

use super::Context;
use crate::ops::run_pass;
use crate::sync::{self, Pass, RunOptions, RunReport};

/// Fetch new CCV payments and book every paid one onto its open Moneybird invoice
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Show what would be booked; write nothing to Moneybird and change nothing locally
    #[arg(long)]
    pub dry_run: bool,

    /// Also look at payments created since this day (YYYY-MM-DD)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub since: Option<NaiveDate>,
}

pub(crate) fn run(context: &Context, args: &SyncArgs) -> anyhow::Result<()> {
    let options = RunOptions {
        pass: Pass::Sync,
        since: args.since,
        dry_run: args.dry_run,
        only: None,
        invoice: None,
    };
    let report = run_pass(context, &options)?;
    print_report(&report, args.dry_run);
    Ok(())
}

/// Quiet unless a person is needed, so cron mails only when it matters. On a terminal
/// the bookings are listed too.
pub(crate) fn print_report(report: &RunReport, dry_run: bool) {
    if dry_run {
        print_dry_run(report);
        return;
    }
    if std::io::stdout().is_terminal() {
        const SHOWN: usize = 20;
        for line in report.booked.iter().take(SHOWN) {
            println!(
                "booked {} {} on invoice {}",
                line.reference,
                line.amount.display_in(&line.currency),
                line.invoice.as_deref().unwrap_or("?")
            );
        }
        if report.booked.len() > SHOWN {
            println!(
                "… and {} more; `ccv-moneybird status --tab rapportage` lists them all.",
                report.booked.len() - SHOWN
            );
        }
    }
    print_skipped(report);
    if !report.new_errors.is_empty() {
        let count = report.new_errors.len();
        println!(
            "{count} payment{} could not be booked (tab Fouten):",
            if count == 1 { "" } else { "s" }
        );
        for line in &report.new_errors {
            let (code, message) = error_of(line);
            println!(
                "  #{} {} {}: {code}: {message}",
                line.id,
                line.reference,
                line.amount.display_in(&line.currency)
            );
        }
        println!("Run `ccv-moneybird status --tab fouten` for the list.");
    }
}

fn error_of(line: &sync::Line) -> (&str, &str) {
    line.error.as_ref().map_or(("", ""), |failure| {
        (failure.code.as_str(), failure.message.as_str())
    })
}

/// Records left out because they could not be read: named, so a person can look.
fn print_skipped(report: &RunReport) {
    for what in &report.skipped_records {
        println!("left out, cannot be read: {what}");
    }
}

/// A dry run stores nothing, so it shows no ids and promises no tab: only what a real run
/// would do, payment by payment, and the totals per outcome.
fn print_dry_run(report: &RunReport) {
    for line in &report.planned {
        println!(
            "would book {} {} on invoice {} dated {}",
            line.reference,
            line.amount.display_in(&line.currency),
            line.invoice.as_deref().unwrap_or("?"),
            line.payment_date.as_deref().unwrap_or("?")
        );
    }
    for line in &report.new_errors {
        let (code, message) = error_of(line);
        println!(
            "would not book {} {}: {code}: {message}",
            line.reference,
            line.amount.display_in(&line.currency)
        );
    }
    print_skipped(report);
    if report.outcomes.is_empty() {
        println!("Nothing to book.");
        return;
    }
    println!("Totals (dry run: nothing was written, here or in Moneybird):");
    for (outcome, (count, amount)) in &report.outcomes {
        let what = match outcome.as_str() {
            "book" => "would book",
            "already_in_moneybird" => "already in Moneybird",
            code => code,
        };
        println!("  {what:<24}{count:>6}  {:>16}", amount.to_euro_display());
    }
}
