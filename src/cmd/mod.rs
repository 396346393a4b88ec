//! One file per command: arguments in, an ops or library call, output out. Dispatch lives
//! with the command definitions in `cli.rs`.

pub(crate) mod completions;
pub(crate) mod connect;
#[cfg(feature = "demo")]
pub(crate) mod demo;
pub(crate) mod doctor;
pub(crate) mod export;
pub(crate) mod info;
pub(crate) mod payouts;
pub(crate) mod recheck;
pub(crate) mod report;
pub(crate) mod resolve;
pub(crate) mod retry;
pub(crate) mod schedule;
pub(crate) mod status;
pub(crate) mod sync;

use crate::domain::Payment;
use crate::error::user_error;
use crate::store::Store;

pub(crate) use crate::ops::Context;

/// A payment by the short number shown in the tables, or by its CCV reference.
pub(crate) fn find_payment(store: &Store, id_or_reference: &str) -> anyhow::Result<Payment> {
    let wanted = id_or_reference.trim().trim_start_matches('#');
    let found = match wanted.parse::<i64>() {
        Ok(id) => store.payment(id)?,
        Err(_) => match store.payments_by_reference(wanted)?.as_slice() {
            [] => None,
            [one] => Some(one.clone()),
            // The same reference in two shops: only the id tells them apart.
            several => {
                return Err(user_error(
                    t!("several-with-reference", reference = wanted),
                    t!(
                        "several-with-reference-hint",
                        ids = several
                            .iter()
                            .map(|row| format!(
                                "#{} ({})",
                                row.id,
                                row.shop.as_deref().unwrap_or("ccv")
                            ))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        },
    };
    found.ok_or_else(|| {
        user_error(
            t!("no-such-payment", wanted = id_or_reference),
            t!("no-such-payment-hint"),
        )
    })
}

/// One pass, and what it came to: the summary, then any shop that could not be read (the
/// others went on), as a failure of the run.
fn run_and_tell(context: &Context, options: &crate::sync::RunOptions) -> anyhow::Result<()> {
    let report = crate::ops::run_pass(context, options)?;
    crate::view::summary::print_report(&report, options.dry_run)?;
    crate::view::summary::failed_shops(&report)
}
