//! Step 5: booked payments with money taken back since (refunds, chargebacks, reversals)
//! come back to Fouten as `changed_after_booking`, and into the summary.

use super::ingest;
use super::run::{Halt, Job, Line, RunReport};
use crate::codes::ErrorCode;

/// Booked payments with money taken back since: `changed_after_booking`, and in the summary.
pub(super) fn raise_changes(job: &mut Job<'_>, report: &mut RunReport) -> Result<(), Halt> {
    for (row, words) in ingest::raise_changes(job.store, job.clock.now_ms())? {
        report.count(ErrorCode::ChangedAfterBooking.as_str(), &row);
        report.new_errors.push(Line::booked_then_failed(
            &row,
            ErrorCode::ChangedAfterBooking,
            words,
        ));
    }
    Ok(())
}
