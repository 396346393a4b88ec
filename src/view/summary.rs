//! What a run says when it is done: quiet unless a person is needed.

use std::io::IsTerminal as _;

use crate::codes::ErrorCode;
use crate::sync::{self, RunReport};

/// With several shops, those whose CCV could not be read end the run in exit 1, named, once
/// the others are done; cron mails it.
pub fn failed_shops(report: &RunReport) -> anyhow::Result<()> {
    if report.shop_failures.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = report
        .shop_failures
        .iter()
        .map(|failure| t!("shop-failed", shop = &failure.shop, error = &failure.error))
        .collect();
    let hints: Vec<String> = report
        .shop_failures
        .iter()
        .filter_map(|failure| failure.hint.clone())
        .collect();
    Err(crate::error::user_error(
        format!(
            "{}:\n  {}",
            t!("shops-failed", count = report.shop_failures.len()),
            lines.join("\n  ")
        ),
        hints.join("; "),
    ))
}

/// Quiet unless a person is needed, so cron mails only when it matters. On a terminal
/// the bookings are listed too.
pub fn print_report(report: &RunReport, dry_run: bool) -> std::io::Result<()> {
    if dry_run {
        return print_dry_run(report);
    }
    if std::io::stdout().is_terminal() {
        const SHOWN: usize = 20;
        for line in report.booked.iter().take(SHOWN) {
            crate::view::say(t!(
                "sync-booked",
                reference = &line.reference,
                amount = line.shown_amount(),
                invoice = line.invoice.as_deref().unwrap_or("?")
            ))?;
        }
        if report.booked.len() > SHOWN {
            crate::view::say(t!("sync-booked-more", count = report.booked.len() - SHOWN))?;
        }
    }
    print_skipped(report)?;
    // Once, on the first run, to the person who starts it by hand (cron stays quiet):
    // payments older than the window are never fetched by themselves, so they are told
    // where it starts and how to reach further.
    if let Some(day) = report.first_window
        && std::io::stdout().is_terminal()
    {
        crate::view::say(t!(
            "sync-first-window",
            day = day,
            earlier = crate::i18n::day(day - chrono::Days::new(30))
        ))?;
    }
    for (reference, why) in &report.payouts_needing_a_look {
        crate::view::say(t!(
            "sync-payout-needs-a-look",
            reference = reference,
            why = why.say()
        ))?;
    }
    if report.new_errors.is_empty() {
        return Ok(());
    }
    // A booking that stands and came back (a refund after it, a drift) is no payment that
    // "could not be booked": it is counted apart.
    let (back, not_booked): (Vec<&sync::Line>, Vec<&sync::Line>) =
        report.new_errors.iter().partition(|line| {
            line.error.as_ref().is_some_and(|failure| {
                matches!(
                    failure.code,
                    ErrorCode::ChangedAfterBooking | ErrorCode::Drift
                )
            })
        });
    for (lines, booked_before) in [(not_booked, false), (back, true)] {
        if lines.is_empty() {
            continue;
        }
        let heading = match booked_before {
            true => t!("sync-back-in-fouten", count = lines.len()),
            false => t!("sync-not-booked", count = lines.len()),
        };
        crate::view::say(heading)?;
        for line in lines {
            let (code, message) = error_of(line);
            crate::view::say(format!(
                "  #{} {} {}: {code}: {message}",
                line.id,
                crate::text::for_terminal(&line.reference),
                line.shown_amount()
            ))?;
        }
    }
    crate::view::say(t!("sync-see-fouten"))
}

fn error_of(line: &sync::Line) -> (&str, String) {
    line.error.as_ref().map_or(("", String::new()), |failure| {
        (failure.code.as_str(), failure.words.say())
    })
}

/// Records left out because they could not be read: named, so a person can look.
fn print_skipped(report: &RunReport) -> std::io::Result<()> {
    for what in &report.skipped_records {
        crate::view::say(t!("sync-left-out", what = what))?;
    }
    Ok(())
}

/// A dry run stores nothing, so it shows no ids and promises no tab: only what a real run
/// would do, payment by payment, and the totals per outcome.
fn print_dry_run(report: &RunReport) -> std::io::Result<()> {
    for line in &report.planned {
        crate::view::say(t!(
            "dry-would-book",
            reference = &line.reference,
            amount = line.shown_amount(),
            invoice = line.invoice.as_deref().unwrap_or("?"),
            date = crate::i18n::day_text(line.payment_date.as_deref().unwrap_or("?"))
        ))?;
    }
    for line in &report.new_errors {
        let (code, message) = error_of(line);
        crate::view::say(t!(
            "dry-would-not-book",
            reference = &line.reference,
            amount = line.shown_amount(),
            code = code,
            message = message
        ))?;
    }
    print_skipped(report)?;
    if report.outcomes.is_empty() {
        return crate::view::say(t!("dry-nothing"));
    }
    crate::view::say(t!("dry-totals"))?;
    for ((outcome, currency), (count, amount)) in &report.outcomes {
        let what = match outcome.as_str() {
            "book" => t!("dry-outcome-book"),
            "already_in_moneybird" => t!("dry-outcome-already"),
            code => code.to_string(),
        };
        crate::view::print(&format!(
            "  {what:<24}{count:>6}  {:>16}\n",
            amount.display_in(currency)
        ))?;
    }
    Ok(())
}
