//! `sync`: the hourly job.

use std::io::IsTerminal as _;

use chrono::NaiveDate;
use clap::Args;

use super::Context;
use crate::lock::RunLock;
use crate::sync::{self, Job, Pass, RunOptions, RunReport};

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

pub fn run(context: &Context, args: &SyncArgs) -> anyhow::Result<()> {
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

/// Takes the run lock, opens everything, runs one pass and records how it went.
pub fn run_pass(context: &Context, options: &RunOptions) -> anyhow::Result<RunReport> {
    let _lock = RunLock::acquire(&context.settings.lock_path())?;
    let mut store = context.open_store()?;
    let http = crate::http::client()?;
    let ccv = super::ccv_client(context, &http)?;
    let administration = context.settings.administration_id()?.to_string();
    let progress = progress_bar(context.interactive);
    let shown = progress.clone();
    let moneybird = super::moneybird_client(context, &http, Some(administration))?.on_wait(
        Box::new(move |wait| match wait {
            Some(wait) => shown.set_prefix(format!(
                "waiting {}s for Moneybird's rate limit · ",
                wait.as_secs().max(1)
            )),
            None => shown.set_prefix(""),
        }),
    );
    let result = {
        let mut job = Job {
            store: &mut store,
            ccv: &ccv,
            moneybird: &moneybird,
            settings: &context.settings,
            clock: context.clock,
            progress,
        };
        sync::run(&mut job, options)
    };
    let at = context.clock.now().to_rfc3339();
    for (service, health) in [("ccv", ccv.health()), ("moneybird", moneybird.health())] {
        if let Some(health) = health {
            let seen = serde_json::json!({ "at": at, "health": health });
            store.set_meta(&format!("health:{service}"), &seen.to_string())?;
        }
    }
    let report = result?;
    if !options.dry_run {
        let summary = serde_json::json!({
            "at": at,
            "pass": if options.only.is_some() { "retry" } else { pass_name(options.pass) },
            "booked": report.booked.len(),
            "new_errors": report.new_errors.len(),
            "stopped_early": report.stopped_early,
        });
        store.set_meta("last_run", &summary.to_string())?;
    }
    tracing::info!(
        "{} new payments, {} booked, {} new errors; {} CCV and {} Moneybird requests",
        report.new_payments,
        report.booked.len(),
        report.new_errors.len(),
        report.ccv_requests,
        report.moneybird_requests
    );
    if let Some(reason) = &report.stopped_early {
        tracing::info!("stopped early, the rest waits for the next run: {reason}");
    }
    Ok(report)
}

/// A bar for long runs at a terminal; nothing at all from cron.
fn progress_bar(interactive: bool) -> indicatif::ProgressBar {
    if !interactive {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template("{spinner} {prefix}{msg} [{elapsed}]")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

fn pass_name(pass: Pass) -> &'static str {
    match pass {
        Pass::Sync => "sync",
        Pass::Recheck => "recheck",
    }
}

/// Quiet unless a person is needed, so cron mails only when it matters. On a terminal
/// the bookings are listed too.
pub fn print_report(report: &RunReport, dry_run: bool) {
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
                line.amount.to_euro_display(),
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
                line.amount.to_euro_display()
            );
        }
        println!("Run `ccv-moneybird status --tab fouten` for the list.");
    }
}

fn error_of(line: &sync::Line) -> (&str, &str) {
    line.error.as_ref().map_or(("", ""), |(code, message)| {
        (code.as_str(), message.as_str())
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
            line.amount.to_euro_display(),
            line.invoice.as_deref().unwrap_or("?"),
            line.payment_date.as_deref().unwrap_or("?")
        );
    }
    for line in &report.new_errors {
        let (code, message) = error_of(line);
        println!(
            "would not book {} {}: {code}: {message}",
            line.reference,
            line.amount.to_euro_display()
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
