//! `status`: counts per tab, or one tab as a table or as the contract's JSON rows.

use chrono::{TimeZone as _, Utc};
use clap::{Args, ValueEnum};
use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

use super::Context;
use crate::store::{PaymentRow, Store, Tab};

/// Show the tabs: counts, or one tab's payments
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// List this tab
    #[arg(long, value_enum)]
    pub tab: Option<TabChoice>,

    /// Print the rows as JSON on stdout (all tabs unless --tab says otherwise)
    #[arg(long)]
    pub json: bool,

    /// At most this many rows, newest first
    #[arg(long)]
    pub limit: Option<usize>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum TabChoice {
    Open,
    #[value(alias = "report")]
    Rapportage,
    #[value(alias = "errors")]
    Fouten,
    Closed,
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
            created: Utc
                .timestamp_millis_opt(row.created_ms)
                .single()
                .unwrap_or_default()
                .format("%Y-%m-%dT%H:%M:%S%.3fZ")
                .to_string(),
            description: row.description.clone(),
            invoice: row.invoice_label.clone(),
            moneybird_payment_id: (row.tab == Tab::Rapportage)
                .then(|| row.moneybird_payment_id.clone())
                .flatten(),
            error: (row.tab == Tab::Fouten)
                .then(|| {
                    row.error_code.clone().map(|code| JsonError {
                        code,
                        message: row.error_message.clone().unwrap_or_default(),
                    })
                })
                .flatten(),
        }
    }
}

pub fn run(context: &Context, args: &StatusArgs) -> anyhow::Result<()> {
    let store = context.open_store()?;
    match (args.tab, args.json) {
        (tab, true) => {
            let tabs = tab.map_or_else(Vec::new, TabChoice::tabs);
            let rows: Vec<JsonRow> = store
                .payments(&tabs, args.limit)?
                .iter()
                .map(JsonRow::of)
                .collect();
            println!("{}", serde_json::to_string_pretty(&rows)?);
        }
        (Some(tab), false) => {
            let rows = store.payments(&tab.tabs(), args.limit)?;
            println!("{}", table(&rows, context.settings.timezone));
        }
        (None, false) => print!("{}", summary(&store)?),
    }
    Ok(())
}

pub fn summary(store: &Store) -> anyhow::Result<String> {
    let counts = store.tab_counts()?;
    let mut text = String::new();
    for tab in Tab::ALL {
        text.push_str(&format!(
            "{:<12}{:>6}\n",
            title(tab),
            counts.get(&tab).copied().unwrap_or(0)
        ));
    }
    if let Some(last) = store.meta("last_run")? {
        let last: serde_json::Value = serde_json::from_str(&last)?;
        text.push_str(&format!(
            "Last run: {} at {}, {} booked, {} new errors\n",
            last["pass"].as_str().unwrap_or("?"),
            last["at"].as_str().unwrap_or("?"),
            last["booked"],
            last["new_errors"]
        ));
    }
    Ok(text)
}

fn title(tab: Tab) -> &'static str {
    match tab {
        Tab::Open => "Open",
        Tab::Rapportage => "Rapportage",
        Tab::Fouten => "Fouten",
        Tab::Closed => "Closed",
    }
}

pub fn table(rows: &[PaymentRow], timezone: chrono_tz::Tz) -> String {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header([
            "id",
            "date",
            "amount",
            "method",
            "CCV reference",
            "invoice",
            "status",
        ]);
    for row in rows {
        let date = Utc
            .timestamp_millis_opt(row.paid_ms.unwrap_or(row.created_ms))
            .single()
            .unwrap_or_default()
            .with_timezone(&timezone)
            .format("%Y-%m-%d");
        let status = match (&row.error_code, row.tab) {
            (Some(code), Tab::Fouten) => {
                format!("{code}: {}", row.error_message.as_deref().unwrap_or(""))
            }
            _ => row.ccv_status.clone(),
        };
        table.add_row([
            row.id.to_string(),
            date.to_string(),
            row.amount.to_euro_display(),
            row.method.clone().unwrap_or_default(),
            row.reference.clone(),
            row.invoice_label.clone().unwrap_or_default(),
            status,
        ]);
    }
    table.to_string()
}
