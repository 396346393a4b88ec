//! The job (docs/architecture.md): fetch CCV payments, know the open posts, match, and book each
//! paid payment exactly once. Commands call [`run`]; everything here is testable against the
//! sandbox.

mod audit;
mod book;
mod carry_out;
mod changes;
mod decide;
mod fetch;
pub mod ingest;
pub mod ledgers;
pub mod matching;
pub mod payouts;
pub mod posts;
mod run;
mod settle;
pub mod undo;

pub use carry_out::payment_body;
pub use fetch::META_TIME_FORM;
pub use run::{Job, Line, Pass, RunOptions, RunReport, ShopClient, ShopFailure};

use crate::store::Due;
use run::Halt;

/// One pass of the job. In a dry run nothing is written to Moneybird and every local change
/// is rolled back at the end.
pub fn run(job: &mut Job<'_>, options: &RunOptions) -> anyhow::Result<RunReport> {
    if options.dry_run {
        job.store.begin_scratch()?;
        let result = run_pass(job, options);
        job.store.discard_scratch()?;
        return result;
    }
    run_pass(job, options)
}

fn run_pass(job: &mut Job<'_>, options: &RunOptions) -> anyhow::Result<RunReport> {
    let mut report = RunReport::default();
    match pass(job, options, &mut report) {
        Ok(()) => {}
        Err(Halt::Stop(reason)) => report.stopped_early = Some(reason),
        Err(Halt::Fail(error)) => return Err(error),
    }
    job.progress.finish_and_clear();
    report.skipped_records.extend(
        job.moneybird
            .take_skipped()
            .into_iter()
            .map(|what| t!("skipped-moneybird", what = what)),
    );
    report.ccv_requests = job.ccv.iter().map(|ccv| ccv.client.requests_made()).sum();
    report.moneybird_requests = job.moneybird.requests_made();
    report.throttled_answers = job.moneybird.throttled_answers();
    Ok(report)
}

fn pass(job: &mut Job<'_>, options: &RunOptions, report: &mut RunReport) -> Result<(), Halt> {
    let started = std::time::Instant::now();
    job.progress.set_message(t!("progress-fetching"));
    match &options.only {
        None => fetch::from_ccv(job, options, report)?,
        Some(ids) => fetch::read_again(job, ids, report)?,
    }
    tracing::debug!("fetched from CCV in {:.2?}", started.elapsed());
    settle::settle_interrupted(job)?;
    if options.pass == Pass::Recheck && options.only.is_none() {
        // Nightly, before anything is booked: what this tool booked, is it still there?
        audit::audit(job, job.today(), report)?;
    }
    let due = match &options.only {
        None if options.pass == Pass::Sync => Due::New,
        None => Due::Recheck,
        Some(ids) => Due::Only(ids),
    };
    if job.store.any_due(due)? {
        job.progress.set_message(t!("progress-open-posts"));
        book::book_due(job, options, due, report)?;
    }
    changes::raise_changes(job, report)?;
    // A dry run writes nothing to Moneybird: no links either.
    if let Some(section) = job.settings.payouts.clone()
        && !options.dry_run
    {
        let today = job.today();
        payouts::link(job, &section, today, &mut report.payouts_needing_a_look)?;
    }
    Ok(())
}
