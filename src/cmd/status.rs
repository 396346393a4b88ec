//! `status`: connection lights and counts per tab, or one tab as a table or as the
//! contract's JSON rows.

use chrono::{NaiveDate, TimeZone as _, Utc};
use clap::{Args, ValueEnum};
use serde::Serialize;

use super::Context;
use crate::http::Health;
use crate::money::Cents;
use crate::store::{PaymentRow, Service, Store, Tab};
use crate::view::{table, table_width, title};

/// Show the connections and the tabs, or list one tab
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// List this tab (in either language, any case: fouten/errors, rapportage/report,
    /// open, gesloten/closed, alle/all)
    #[arg(long, value_enum, ignore_case = true)]
    pub tab: Option<TabChoice>,

    /// Print the rows as JSON on stdout (all tabs unless --tab says otherwise)
    #[arg(long)]
    pub json: bool,

    /// At most this many rows, newest first (with --tab or --json)
    #[arg(long)]
    pub limit: Option<usize>,

    /// Lines as long as the table needs (else the terminal's width, or 100 off a terminal)
    #[arg(long)]
    pub wide: bool,

    /// Only payments created on or after this day (with --tab or --json)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::view::parse_day)]
    pub since: Option<NaiveDate>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum TabChoice {
    Open,
    #[value(alias = "report")]
    Rapportage,
    #[value(alias = "errors")]
    Fouten,
    #[value(alias = "gesloten")]
    Closed,
    #[value(alias = "alle")]
    All,
}

impl TabChoice {
    fn tabs(self) -> Vec<Tab> {
        match self {
            TabChoice::Open => vec![Tab::Open],
            TabChoice::Rapportage => vec![Tab::Rapportage],
            TabChoice::Fouten => vec![Tab::Fouten],
            TabChoice::Closed => vec![Tab::Closed],
            TabChoice::All => Vec::new(),
        }
    }
}

/// One row of `status --json` (contract.md).
#[derive(Debug, Serialize)]
pub struct JsonRow {
    pub id: i64,
    pub reference: String,
    pub tab: &'static str,
    pub ccv_status: String,
    pub method: Option<String>,
    pub amount: String,
    pub currency: String,
    pub created: String,
    pub description: Option<String>,
    pub invoice: Option<String>,
    pub moneybird_payment_id: Option<String>,
    pub error: Option<JsonError>,
    /// Settled outside the tool (`resolve`), or found in Moneybird booked by someone else
    /// for the same amount.
    pub resolution: Option<JsonResolution>,
    /// The price booked, when it is not `amount` (above the open amount within
    /// `rounding_tolerance`); else null.
    pub booked: Option<String>,
    /// `amount` minus `booked`, left on the tussenrekening; null when there is none.
    pub difference: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct JsonResolution {
    pub note: String,
    pub at: String,
    pub moneybird_payment_id: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct JsonError {
    pub code: String,
    pub message: String,
}

impl JsonRow {
    pub fn of(row: &PaymentRow) -> JsonRow {
        JsonRow {
            id: row.id,
            reference: row.reference.clone(),
            tab: row.tab.as_str(),
            ccv_status: row.ccv_status.clone(),
            method: row.method.clone(),
            amount: row.amount.to_decimal_string(),
            currency: row.currency.clone(),
            created: utc_text(row.created_ms),
            description: row.description.clone(),
            invoice: row.invoice_label.clone(),
            moneybird_payment_id: (row.tab == Tab::Rapportage)
                .then(|| row.moneybird_payment_id.clone())
                .flatten(),
            error: (row.tab == Tab::Fouten)
                .then(|| {
                    row.error_code.map(|code| JsonError {
                        code: code.as_str().to_string(),
                        message: row.error_message.clone().unwrap_or_default(),
                    })
                })
                .flatten(),
            resolution: row.resolution.as_ref().map(|resolution| JsonResolution {
                note: resolution.note.clone(),
                at: resolution.at.clone(),
                moneybird_payment_id: resolution.moneybird_payment_id.clone(),
            }),
            booked: row.booked.map(Cents::to_decimal_string),
            difference: row.difference().map(Cents::to_decimal_string),
        }
    }
}

fn utc_text(epoch_ms: i64) -> String {
    Utc.timestamp_millis_opt(epoch_ms)
        .single()
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

pub fn run(context: &Context, args: &StatusArgs) -> anyhow::Result<()> {
    if args.tab.is_none() && !args.json && (args.since.is_some() || args.limit.is_some()) {
        // The dashboard's counts are of everything; a filter there would be silently ignored.
        return Err(crate::error::UserError::new(
            "--since and --limit choose rows of a tab, and the dashboard lists none",
        )
        .with_hint("add `--tab all` (or a tab's name), or `--json`")
        .with_exit_code(crate::error::EXIT_USAGE)
        .into());
    }
    print!("{}", render(context, args)?);
    Ok(())
}

/// What `status` prints, as text.
pub fn render(context: &Context, args: &StatusArgs) -> anyhow::Result<String> {
    let state = &context.settings.state_path;
    if !state.exists() {
        // Nothing has run yet: say so, and create nothing.
        return Ok(match (args.tab, args.json) {
            (_, true) => "[]\n".to_string(),
            (Some(_), false) => format!(
                "No state at {} yet: run `ccv-moneybird sync`.\n",
                state.display()
            ),
            (None, false) => summary(None, context)?,
        });
    }
    let store = context.open_existing_store()?;
    let since_ms = args
        .since
        .map(|day| crate::sync::start_of_day(day, context.settings.timezone).timestamp_millis());
    let rows = |tabs: &[Tab]| -> anyhow::Result<Vec<PaymentRow>> {
        store.payments(tabs, since_ms, args.limit)
    };
    Ok(match (args.tab, args.json) {
        (tab, true) => {
            let tabs = tab.map_or_else(Vec::new, TabChoice::tabs);
            let json: Vec<JsonRow> = rows(&tabs)?.iter().map(JsonRow::of).collect();
            format!("{}\n", serde_json::to_string_pretty(&json)?)
        }
        (Some(tab), false) => {
            let listed = rows(&tab.tabs())?;
            if listed.is_empty() {
                "No payments here.\n".to_string()
            } else {
                format!(
                    "{}\n",
                    table(
                        &listed,
                        context.settings.timezone,
                        table_width(args.wide),
                        matches!(tab, TabChoice::All),
                    )
                )
            }
        }
        (None, false) => summary(Some(&store), context)?,
    })
}

/// The dashboard: a light per service, the count per tab, and the last run.
pub fn summary(store: Option<&Store>, context: &Context) -> anyhow::Result<String> {
    let colour = context.colour;
    let mut text = String::new();
    for (which, service, name) in [
        (Service::Ccv, "ccv", "CCV"),
        (Service::Moneybird, "moneybird", "Moneybird"),
    ] {
        let (dot, line) = light(store, context, which, service, name)?;
        let dot = match (colour, dot) {
            (true, Light::Green) => "\x1b[32m●\x1b[0m",
            (true, Light::Red) => "\x1b[31m●\x1b[0m",
            (false, Light::Green | Light::Red) => "●",
            (_, Light::Off) => "○",
        };
        text.push_str(&format!("{dot} {name:<11} {line}\n"));
        if let Some(credential) = credential_in_use(context, which) {
            text.push_str(&format!("{:14}{credential}\n", ""));
        }
    }
    text.push('\n');
    let paths = format!(
        "Config: {}\nState:  {}\n",
        context.settings.config_path.display(),
        context.settings.state_path.display()
    );
    let Some(store) = store else {
        text.push_str("No state yet: run `ccv-moneybird sync`.\n\n");
        text.push_str(&paths);
        return Ok(text);
    };
    let counts = store.tab_counts()?;
    for tab in Tab::ALL {
        text.push_str(&format!(
            "{:<12}{:>6}\n",
            title(tab),
            counts.get(&tab).copied().unwrap_or(0)
        ));
    }
    text.push('\n');
    if let Some(last) = store.last_run()? {
        let stopped = last
            .stopped_early
            .as_deref()
            .map(|why| format!("; stopped early: {why}"))
            .unwrap_or_default();
        text.push_str(&format!(
            "Last successful run: {} at {}: {} booked, {} new in Fouten{stopped}\n",
            last.pass,
            local_time(&last.at, context),
            last.booked,
            last.new_errors,
        ));
    } else {
        text.push_str("No sync has run yet: run `ccv-moneybird sync`.\n");
    }
    text.push('\n');
    text.push_str(&paths);
    Ok(text)
}

#[derive(Clone, Copy)]
enum Light {
    Green,
    Red,
    Off,
}

/// A service's light: what the last run saw of it, and whether a credential is there now.
/// Failures advise by their kind: a refused credential, or a service out of reach.
fn light(
    store: Option<&Store>,
    context: &Context,
    which: Service,
    service: &str,
    name: &str,
) -> anyhow::Result<(Light, String)> {
    let indent = " ".repeat(14);
    if credential_in_use(context, which).is_none() {
        return Ok((
            Light::Off,
            format!(
                "not connected: no credential\n{indent}→ run `ccv-moneybird connect {service}`"
            ),
        ));
    }
    let Some(seen) = store
        .map(|store| store.service_health(which))
        .transpose()?
        .flatten()
    else {
        return Ok((Light::Off, "not contacted yet".into()));
    };
    let at = local_time(&seen.at, context);
    Ok(match seen.health {
        Health::Answering => (Light::Green, format!("connected (last answer {at})")),
        Health::Refused(why) => (
            Light::Red,
            format!(
                "refused the credential at {at}: {why}\n{indent}→ run `ccv-moneybird connect {service}` again (or check {})",
                match which {
                    Service::Ccv => "CCV_API_KEY",
                    Service::Moneybird => "MONEYBIRD_TOKEN",
                }
            ),
        ),
        Health::Failing(why) => (
            Light::Red,
            format!(
                "failing since {at}: {why}\n{indent}→ check this machine's connection to {name}; the next run tries again, nothing is lost"
            ),
        ),
    })
}

/// Which credential a service is reached with, and where it comes from; never what it is.
fn credential_in_use(context: &Context, service: Service) -> Option<String> {
    match service {
        Service::Ccv => context.secrets.ccv_api_key.as_ref().map(|(key, source)| {
            let kind = match key.get(..2) {
                Some("t_") => "test API key",
                Some("l_") => "live API key",
                _ => "API key",
            };
            format!("{kind} {source}")
        }),
        Service::Moneybird => context
            .secrets
            .moneybird
            .as_ref()
            .map(|(credential, source)| match credential {
                crate::credentials::MoneybirdCredential::Personal { .. } => {
                    format!("personal API token {source}")
                }
                crate::credentials::MoneybirdCredential::Oauth { .. } => {
                    format!("OAuth grant {source}")
                }
            }),
    }
}

fn local_time(rfc3339: &str, context: &Context) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|at| {
            at.with_timezone(&context.settings.timezone)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| rfc3339.to_string())
}
