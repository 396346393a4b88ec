//! `payouts`: CCV's payouts, and how far each got in clearing the tussenrekening.

use clap::Args;

use super::Context;

/// List CCV's payouts: their bank line and whether it is linked to the tussenrekeningen
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  ccv-moneybird payouts\n  ccv-moneybird payouts --json")]
pub struct PayoutsArgs {
    /// Print them as JSON (docs/contract.md, "Payouts"), in English
    #[arg(long)]
    pub json: bool,
}

pub fn run(context: &Context, args: &PayoutsArgs) -> anyhow::Result<()> {
    let state = &context.settings.state_path;
    if !state.exists() {
        crate::view::say(if args.json {
            "[]".to_string()
        } else {
            t!("payouts-none")
        })?;
        return Ok(());
    }
    if args.json {
        crate::i18n::set(crate::i18n::Lang::En);
    }
    let store = context.open_existing_store()?;
    if args.json {
        crate::view::print(&format!(
            "{}\n",
            serde_json::to_string_pretty(&crate::view::payouts::rows(&store)?)?
        ))?;
        return Ok(());
    }
    crate::view::say(crate::view::payouts::table(&store)?)?;
    Ok(())
}
