//! `report`: "Meld probleem", one self-contained file with everything support needs about
//! one payment, and no secret.

use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::{TimeZone as _, Utc};
use clap::Args;

use super::{Context, find_payment};
use crate::store::{PaymentRow, Store};

/// Write a support bundle for one payment (secrets removed) and print its path
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  ccv-moneybird report 12\n  ccv-moneybird report 12 --output report.md"
)]
pub struct ReportArgs {
    /// The payment: its id from the tables, or its CCV reference
    pub payment: String,

    /// Where to write the report [default: a new file in the current directory]
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

const REMOVED: &str = "«removed»";

pub fn run(context: &Context, args: &ReportArgs) -> anyhow::Result<()> {
    let store = context.open_existing_store()?;
    let row = find_payment(&store, &args.payment)?;
    // The bundle is for support, who read English; what is said to the person follows
    // their language.
    let language = crate::i18n::current();
    crate::i18n::set(crate::i18n::Lang::En);
    let mut out = String::new();
    let written = the_payment(&mut out, context, &store, &row)
        .and_then(|()| the_exchanges(&mut out, context, &store, &row))
        .and_then(|()| the_configuration(&mut out, context));
    let subject = format!(
        "ccv-moneybird: payment {} {}",
        row.reference,
        state_of(&row)
    );
    crate::i18n::set(language);
    written?;
    // Whatever slipped through above, a secret never leaves in the file.
    for secret in context.secrets.values() {
        out = out.replace(secret.as_str(), REMOVED);
    }
    let path = match &args.output {
        Some(path) => path.clone(),
        None => PathBuf::from(format!(
            "ccv-moneybird-report-{}-{}.md",
            row.id,
            Utc.timestamp_millis_opt(context.clock.now_ms())
                .single()
                .unwrap_or_default()
                .format("%Y%m%dT%H%M%S")
        )),
    };
    std::fs::write(&path, &out).map_err(|error| {
        anyhow::anyhow!(t!(
            "report-cannot-write",
            path = path.display().to_string(),
            error = error.to_string()
        ))
    })?;
    println!("{}", t!("report-wrote", path = path.display().to_string()));
    let body = t!("report-mail-body", path = path.display().to_string());
    println!(
        "mailto:?subject={}&body={}",
        percent_encoding::utf8_percent_encode(&subject, percent_encoding::NON_ALPHANUMERIC),
        percent_encoding::utf8_percent_encode(&body, percent_encoding::NON_ALPHANUMERIC)
    );
    Ok(())
}

fn local_time(context: &Context, epoch_ms: i64) -> String {
    Utc.timestamp_millis_opt(epoch_ms)
        .single()
        .unwrap_or_default()
        .with_timezone(&context.settings.timezone)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

fn json_block(text: &str) -> String {
    let pretty = serde_json::from_str::<serde_json::Value>(text)
        .and_then(|value| serde_json::to_string_pretty(&value))
        .unwrap_or_else(|_| text.to_string());
    format!("```json\n{pretty}\n```\n")
}

/// What the tool says of it, its row, what CCV sent, the evidence and its history.
fn the_payment(
    out: &mut String,
    context: &Context,
    store: &Store,
    row: &PaymentRow,
) -> anyhow::Result<()> {
    let timezone = context.settings.timezone;
    writeln!(
        out,
        "# ccv-moneybird problem report: payment #{} ({})\n",
        row.id, row.reference
    )?;
    writeln!(
        out,
        "Written {} ({timezone}) by ccv-moneybird {} on {}/{}.\n",
        local_time(context, context.clock.now_ms()),
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    )?;
    writeln!(out, "## What the tool says\n\n```text")?;
    out.push_str(&super::info::describe(store, row, timezone)?);
    writeln!(out, "```\n")?;
    writeln!(out, "## The payment row\n")?;
    out.push_str(&json_block(&serde_json::to_string(
        &super::status::JsonRow::of(row),
    )?));
    writeln!(out, "\n## As CCV reported it\n")?;
    let (raw, child) = store.payment_raw(row.id)?;
    out.push_str(&json_block(&raw));
    if let Some(child) = child {
        writeln!(out, "\nThe transaction that paid this payment link:\n")?;
        out.push_str(&json_block(&child));
    }
    writeln!(out, "\n## Matching evidence\n")?;
    match &row.evidence_json {
        Some(evidence) => out.push_str(&json_block(evidence)),
        None => writeln!(out, "Not matched yet.")?,
    }
    writeln!(out, "\n## History\n")?;
    for (at_ms, what) in store.events(row.id, crate::i18n::Lang::En)? {
        writeln!(out, "- {}: {what}", local_time(context, at_ms))?;
    }
    Ok(())
}

/// Every Moneybird request about it, and the answer.
fn the_exchanges(
    out: &mut String,
    context: &Context,
    store: &Store,
    row: &PaymentRow,
) -> anyhow::Result<()> {
    writeln!(out, "\n## Moneybird requests and answers\n")?;
    let exchanges = store.exchanges(row.id)?;
    if exchanges.is_empty() {
        writeln!(out, "None: nothing was sent to Moneybird for this payment.")?;
    }
    for (index, (at_ms, exchange)) in exchanges.iter().enumerate() {
        writeln!(
            out,
            "### {}. {} /api/v2/{} at {}\n",
            index + 1,
            exchange.method,
            exchange.path,
            local_time(context, *at_ms)
        )?;
        if let Some(body) = &exchange.request_body {
            writeln!(out, "Request:\n")?;
            out.push_str(&json_block(body));
        }
        match (exchange.status, &exchange.response_body) {
            (Some(status), Some(body)) => {
                writeln!(out, "\nAnswer ({status}):\n")?;
                out.push_str(&json_block(body));
            }
            (Some(status), None) => writeln!(out, "\nAnswer: {status}, no body")?,
            (None, _) => writeln!(out, "\nAnswer: none came")?,
        }
        out.push('\n');
    }
    Ok(())
}

/// The config with secrets removed, and which credentials are set (never what they are).
fn the_configuration(out: &mut String, context: &Context) -> anyhow::Result<()> {
    writeln!(out, "\n## Configuration (secrets removed)\n")?;
    writeln!(out, "File: {}\n", context.settings.config_path.display())?;
    let config = std::fs::read_to_string(&context.settings.config_path).unwrap_or_default();
    writeln!(out, "```toml\n{}\n```\n", redact_config(&config))?;
    let ccv_key = match &context.secrets.ccv_api_key {
        Some((_, source)) => format!("set, {source} (not shown)"),
        None => "not set".into(),
    };
    let moneybird = match &context.secrets.moneybird {
        Some((crate::credentials::MoneybirdCredential::Personal { .. }, source)) => {
            format!("personal API token, {source} (not shown)")
        }
        Some((crate::credentials::MoneybirdCredential::Oauth { .. }, source)) => {
            format!("OAuth grant, {source} (not shown)")
        }
        None => "not set".into(),
    };
    writeln!(out, "- CCV API key: {ccv_key}")?;
    writeln!(out, "- Moneybird: {moneybird}")?;
    Ok(())
}

/// Where the payment stands, in the words of a support request's subject.
fn state_of(row: &crate::store::PaymentRow) -> String {
    use crate::store::{BookingState, Tab};
    match (&row.resolution, row.tab, row.booking, row.error_code) {
        (Some(_), _, _, _) => "resolved outside the tool".into(),
        (None, _, BookingState::Booked, _) => format!(
            "booked on invoice {}",
            row.invoice_label.as_deref().unwrap_or("?")
        ),
        (None, Tab::Fouten, _, Some(code)) => format!("not booked ({code})"),
        (None, Tab::Closed, _, _) => format!("never paid ({})", row.ccv_status),
        _ => "not booked yet".into(),
    }
}

/// Blanks the value of every key that names a secret. config.toml holds none by design,
/// but people paste things where they do not belong.
fn redact_config(text: &str) -> String {
    text.lines()
        .map(|line| {
            let Some((key, _)) = line.split_once('=') else {
                return line.to_string();
            };
            let lower = key.to_ascii_lowercase();
            if ["secret", "token", "key", "password"]
                .iter()
                .any(|word| lower.contains(word))
            {
                format!("{key}= \"{REMOVED}\"")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
