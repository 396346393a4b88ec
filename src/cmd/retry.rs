//! `retry`: "Verwerk", process one payment (or every retryable error) again now.

use clap::Args;

use super::sync::run_pass;
use super::{Context, find_payment};
use crate::error::user_error;
use crate::store::Tab;
use crate::sync::{self, Pass, RunOptions};

/// Process a payment again now: re-read it from CCV and the open posts from Moneybird,
/// then match and book it
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("which").required(true))]
pub struct RetryArgs {
    /// The payment: its id from the tables, or its CCV reference
    #[arg(group = "which")]
    pub payment: Option<String>,

    /// Retry every payment in Fouten that a retry can help
    #[arg(long, group = "which")]
    pub all_fouten: bool,
}

pub fn run(context: &Context, args: &RetryArgs) -> anyhow::Result<()> {
    let store = context.open_store()?;
    let ids: Vec<i64> = match &args.payment {
        Some(wanted) => {
            let row = find_payment(&store, wanted)?;
            if let Some(why) = sync::why_retry_cannot_help(&row) {
                return Err(user_error(
                    format!(
                        "payment #{} ({}) is not retried: {why}",
                        row.id, row.reference
                    ),
                    format!("see `ccv-moneybird info {}`", row.id),
                ));
            }
            vec![row.id]
        }
        None => store
            .payments(&[Tab::Fouten], None, None)?
            .into_iter()
            .filter(|row| sync::why_retry_cannot_help(row).is_none())
            .map(|row| row.id)
            .collect(),
    };
    drop(store);
    if ids.is_empty() {
        println!("Nothing in Fouten that a retry can help.");
        return Ok(());
    }
    let options = RunOptions {
        pass: Pass::Recheck,
        only: Some(ids.clone()),
        ..RunOptions::default()
    };
    let report = run_pass(context, &options)?;
    let store = context.open_store()?;
    let mut unbooked = Vec::new();
    for id in &ids {
        let Some(row) = store.payment(*id)? else {
            continue;
        };
        match row.tab {
            Tab::Rapportage => println!(
                "#{} {} booked on invoice {}",
                row.id,
                row.reference,
                row.invoice_label.as_deref().unwrap_or("?")
            ),
            _ => unbooked.push(row),
        }
    }
    match unbooked.as_slice() {
        [] => Ok(()),
        [row] if args.payment.is_some() => {
            let why = match (row.tab, &row.error_code) {
                (Tab::Fouten, Some(code)) => format!(
                    "{code}: {}",
                    row.error_message.as_deref().unwrap_or_default()
                ),
                _ if row.ccv_status != "success" => format!(
                    "CCV reports it {}; it is booked once CCV reports it paid",
                    row.ccv_status
                ),
                _ => report
                    .stopped_early
                    .clone()
                    .unwrap_or_else(|| "it is waiting for the next run".into()),
            };
            Err(user_error(
                format!(
                    "payment #{} ({}) is still not booked: {why}",
                    row.id, row.reference
                ),
                format!("see `ccv-moneybird info {}`", row.id),
            ))
        }
        rows => Err(user_error(
            format!(
                "{} of {} payments are still not booked",
                rows.len(),
                ids.len()
            ),
            "see `ccv-moneybird status --tab fouten`",
        )),
    }
}
