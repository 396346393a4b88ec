//! `demo`: the whole job against the built-in sandbox, with no account needed.

use std::path::PathBuf;

use clap::Args;

use super::Context;
use crate::clock::Clock;
use crate::config::Settings;
use crate::credentials::Secrets;
use crate::store::{Store, Tab};
use crate::sync::{Pass, RunOptions};
use crate::view;
use ccv_moneybird_sandbox::{self as sandbox, Options, Sandbox};

/// Run the job against a built-in imitation of CCV and Moneybird, with a generated shop
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  ccv-moneybird demo\n  ccv-moneybird demo --dir /tmp/ccv-demo --seed 7"
)]
pub struct DemoArgs {
    /// Keep the demo's config and state in this directory, to look around afterwards
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Seed for the generated shop
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
}

/// Moneybird's window is 5 minutes; the demo's is short enough to watch the pacing without
/// waiting for it.
const DEMO_RATE_WINDOW: std::time::Duration = std::time::Duration::from_secs(5);

pub fn run(args: &DemoArgs) -> anyhow::Result<()> {
    let sandbox = Sandbox::start(Options {
        rate_limit_window: DEMO_RATE_WINDOW,
        ..Options::default()
    })?;
    let shop = sandbox::seed::demo_shop(&mut sandbox.world(), args.seed);
    let (transactions, open_posts) = {
        let world = sandbox.world();
        let open = world
            .moneybird
            .invoices
            .iter()
            .filter(|invoice| matches!(invoice.state.as_str(), "open" | "late"))
            .count();
        (world.ccv.transactions().len(), open)
    };
    let temporary = tempfile::tempdir()?;
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| temporary.path().to_path_buf());
    crate::store::create_private_dir(&dir)?;
    let config_path = dir.join("config.toml");
    let mut config = format!(
        "# Written by `ccv-moneybird demo`: the sandbox at {url} is gone once the demo ends.\n\
         [ccv]\nbase_url = \"{url}\"\n\n[moneybird]\nbase_url = \"{url}\"\nadministration_id = \"{administration}\"\n\n\
         [state]\npath = \"{state}\"\n\n[ledger_accounts]\n",
        url = sandbox.url(),
        administration = shop.administration_id,
        state = dir.join("state.sqlite3").display(),
    );
    for (method, ledger) in &shop.ledger_accounts {
        config.push_str(&format!("{method} = \"{ledger}\"\n"));
    }
    std::fs::write(&config_path, config)?;
    let context = Context {
        settings: Settings::load(Some(&config_path))?,
        secrets: Secrets::given(&shop.ccv_api_key, &shop.moneybird_token),
        clock: Clock::system(),
        interactive: false,
        colour: false,
    };
    println!(
        "Demo shop: {transactions} CCV transactions, {open_posts} open invoices in Moneybird (sandbox at {}).",
        sandbox.url()
    );
    println!(
        "Its rate limit is Moneybird's 150 requests, per {} s instead of 5 minutes.",
        DEMO_RATE_WINDOW.as_secs()
    );
    println!("Running `ccv-moneybird sync` against it…\n");
    let options = RunOptions {
        pass: Pass::Sync,
        since: None,
        dry_run: false,
        ..RunOptions::default()
    };
    let report = crate::ops::run_pass(&context, &options)?;
    show(&context, &report)?;
    match &args.dir {
        Some(dir) => println!(
            "\nThe demo's state is kept in {}. Look further with:\n  ccv-moneybird --config {} status --tab fouten",
            dir.display(),
            config_path.display()
        ),
        None => println!(
            "\nRun `ccv-moneybird demo --dir DIR` to keep the state and look around with `status`."
        ),
    }
    Ok(())
}

/// What the sync did, and the newest rows of each tab.
fn show(context: &Context, report: &crate::sync::RunReport) -> anyhow::Result<()> {
    let booked = report.booked.len();
    println!(
        "Fetched {} payments, booked {booked}, {} need a look.",
        report.new_payments,
        report.new_errors.len()
    );
    if booked > 0 {
        println!(
            "Moneybird requests: {} ({:.2} per booked payment).",
            report.moneybird_requests,
            report.moneybird_requests as f64 / booked as f64
        );
    }
    let store = Store::open(&context.settings.state_path)?;
    for tab in Tab::ALL {
        let rows = store.payments(&[tab], None, Some(5))?;
        let count = store.tab_counts()?.get(&tab).copied().unwrap_or(0);
        println!(
            "\n{} ({count}){}",
            tab_title(tab),
            if count > 5 { ", newest 5:" } else { ":" }
        );
        if !rows.is_empty() {
            println!(
                "{}",
                view::table(
                    &rows,
                    context.settings.timezone,
                    view::table_width(false),
                    false,
                )
            );
        }
    }
    Ok(())
}

fn tab_title(tab: Tab) -> &'static str {
    match tab {
        Tab::Open => "Open: waiting for CCV",
        Tab::Rapportage => "Rapportage: booked or settled",
        Tab::Fouten => "Fouten: need a look",
        Tab::Closed => "Closed: never paid",
    }
}
