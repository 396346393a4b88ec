//! `demo`: the whole job against the built-in sandbox, with no account needed.

use std::path::PathBuf;

use clap::Args;

use super::Context;
use crate::clock::Clock;
use crate::config::Settings;
use crate::credentials::Secrets;
use crate::domain::Tab;
use crate::store::Store;
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
         [state]\npath = \"{state}\"\n\n\
         [payouts]\nfinancial_account_id = \"{bank}\"\ncosts_ledger_account_id = \"{costs}\"\n\n[ledger_accounts]\n",
        url = sandbox.url(),
        administration = shop.administration_id,
        state = dir.join("state.sqlite3").display(),
        bank = shop.bank_account,
        costs = shop.costs_ledger_account,
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
    crate::view::say(t!(
        "demo-shop",
        transactions = transactions,
        open_posts = open_posts,
        url = sandbox.url()
    ))?;
    crate::view::say(t!("demo-rate-limit", seconds = DEMO_RATE_WINDOW.as_secs()))?;
    crate::view::say(format!("{}\n", t!("demo-running")))?;
    let options = RunOptions {
        pass: Pass::Sync,
        since: None,
        dry_run: false,
        ..RunOptions::default()
    };
    let report = crate::ops::run_pass(&context, &options)?;
    show(&context, &report)?;
    pay_out(&sandbox, &shop, &context)?;
    // CCV flags payouts weeks after their dates here: the nightly recheck reaches back for
    // them, as it does for a payout flagged after a weekend.
    let nightly = RunOptions {
        pass: Pass::Recheck,
        ..options
    };
    crate::ops::run_pass(&context, &nightly)?;
    show_payouts(&sandbox, &context)?;
    match &args.dir {
        Some(dir) => crate::view::say(format!(
            "\n{}\n  ccv-moneybird --config {} status --tab fouten",
            t!("demo-kept", dir = dir.display().to_string()),
            config_path.display()
        )),
        None => crate::view::say(format!("\n{}", t!("demo-keep-hint"))),
    }?;
    Ok(())
}

/// CCV pays out the booked payments of the two oldest days, each the next day but one, less
/// 29 cents a payment; their bank lines arrive the day after.
fn pay_out(sandbox: &Sandbox, shop: &sandbox::seed::Shop, context: &Context) -> anyhow::Result<()> {
    use std::collections::BTreeMap;
    let store = Store::open(&context.settings.state_path)?;
    let mut by_day: BTreeMap<chrono::NaiveDate, Vec<String>> = BTreeMap::new();
    for row in store.payments(&[Tab::Rapportage], None, None)? {
        // Only what sits on a tussenrekening can be cleared from it.
        let on_tussenrekening = row
            .facts
            .method
            .as_deref()
            .is_some_and(|method| context.settings.ledger_accounts.contains_key(method));
        if row.standing.booking != crate::domain::BookingState::Booked
            || row.standing.resolution.is_some()
            || !on_tussenrekening
        {
            continue;
        }
        let Some(paid) = chrono::DateTime::from_timestamp_millis(
            row.facts.paid_ms.unwrap_or(row.facts.created_ms),
        ) else {
            continue;
        };
        let day = paid.with_timezone(&context.settings.timezone).date_naive();
        by_day.entry(day).or_default().push(row.facts.reference);
    }
    let mut world = sandbox.world();
    let now_ms = world.now_ms();
    for (number, (day, references)) in by_day.into_iter().take(2).enumerate() {
        let reference = format!("PO-DEMO-{}", number + 1);
        let remittance = format!("CCV PAYOUT {reference} {}", day.format("%Y%m%d"));
        let refs: Vec<&str> = references.iter().map(String::as_str).collect();
        let gross = world.pay_out(
            &refs,
            &reference,
            &remittance,
            day + chrono::Days::new(2),
            now_ms,
        );
        let costs = 29 * references.len() as i64;
        world.import_bank_line(
            &shop.bank_account,
            day + chrono::Days::new(3),
            &format!("{remittance} CCV ONLINE PAYMENTS"),
            sandbox::Cents(gross.0 - costs),
        );
    }
    Ok(())
}

/// The payouts after the run that linked them, and what their bank lines have left open.
fn show_payouts(sandbox: &Sandbox, context: &Context) -> anyhow::Result<()> {
    let store = Store::open(&context.settings.state_path)?;
    crate::view::say(format!("\n{}", t!("demo-payouts")))?;
    crate::view::say(crate::view::payouts::table(&store)?)?;
    let open: i64 = sandbox
        .world()
        .moneybird
        .financial_mutations
        .iter()
        .map(|line| line.amount_open().0)
        .sum();
    crate::view::say(format!(
        "\n{}",
        t!(
            "demo-payouts-open",
            amount = crate::money::Cents(open).to_euro_display()
        )
    ))?;
    Ok(())
}

/// What the sync did, and the newest rows of each tab.
fn show(context: &Context, report: &crate::sync::RunReport) -> anyhow::Result<()> {
    let booked = report.booked.len();
    crate::view::say(t!(
        "demo-summary",
        fetched = report.new_payments,
        booked = booked,
        errors = report.new_errors.len()
    ))?;
    if booked > 0 {
        // Hundredths of a request, in integers: a figure, not money, but no floats either.
        let hundredths = report.moneybird_requests * 100 / booked as u64;
        crate::view::say(t!(
            "demo-requests",
            requests = report.moneybird_requests,
            per_payment = crate::i18n::hundredths(hundredths)
        ))?;
    }
    let store = Store::open(&context.settings.state_path)?;
    for tab in Tab::ALL {
        let rows = store.payments(&[tab], None, Some(5))?;
        let count = store.tab_counts()?.get(&tab).copied().unwrap_or(0);
        let heading = if count > 5 {
            t!("demo-tab-newest", tab = tab_title(tab), count = count)
        } else {
            t!("demo-tab", tab = tab_title(tab), count = count)
        };
        crate::view::say(format!("\n{heading}"))?;
        if !rows.is_empty() {
            crate::view::say(view::table(
                &rows,
                context.settings.timezone,
                view::table_width(false),
                false,
            ))?;
        }
    }
    Ok(())
}

fn tab_title(tab: Tab) -> String {
    match tab {
        Tab::Open => t!("demo-tab-open"),
        Tab::Rapportage => t!("demo-tab-rapportage"),
        Tab::Fouten => t!("demo-tab-fouten"),
        Tab::Closed => t!("demo-tab-closed"),
    }
}
