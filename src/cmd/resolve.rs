//! `resolve`: the bookkeeper settled a payment outside the tool (booked it by hand,
//! refunded it, wrote it off). It leaves Fouten for Rapportage with its resolution and is
//! never touched again; `resolve --undo` puts it back where it was.

use clap::Args;

use super::{Context, find_payment};
use crate::error::UserError;
use crate::lock::RunLock;

/// Mark a payment as handled outside the tool (it leaves Fouten), or put it back with --undo
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  ccv-moneybird resolve 12 --note \"booked by hand on 2026-11-20\"\n  ccv-moneybird resolve --undo 12"
)]
pub struct ResolveArgs {
    /// The payment: its id from the tables, or its CCV reference
    pub payment: String,

    /// What was done, in your own words (e.g. "booked by hand on 2026-0202")
    #[arg(long, required_unless_present = "undo")]
    pub note: Option<String>,

    /// Put a resolved payment back where it was before
    #[arg(long, conflicts_with = "note")]
    pub undo: bool,
}

pub fn run(context: &Context, args: &ResolveArgs) -> anyhow::Result<()> {
    // A run must not book the payment while it is being settled by hand.
    let _lock = RunLock::acquire(&context.settings.lock_path())?;
    let store = context.open_existing_store()?;
    let row = find_payment(&store, &args.payment)?;
    let now = context.clock.now();
    let transition = match &args.note {
        Some(note) if !args.undo => row.resolve(note, now.to_rfc3339()),
        _ => row.undo_resolution(),
    }
    .map_err(UserError::from)?;
    store.record(
        row.id,
        &transition.outcome,
        now.timestamp_millis(),
        Some(&transition.event),
    )?;
    crate::view::say(format!(
        "#{} {} {}",
        row.id,
        crate::text::for_terminal(&row.facts.reference),
        transition.said.say()
    ))?;
    Ok(())
}
