//! `report`: "Meld probleem", one self-contained file with everything support needs about
//! one payment, and no secret.

use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::{TimeZone as _, Utc};
use clap::Args;

use super::{Context, find_payment};
use crate::domain::Payment;
use crate::store::Store;

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
        row.facts.reference,
        state_of(&row)
    );
    crate::i18n::set(language);
    written?;
    // Whatever slipped through above, a secret never leaves in the file.
    for secret in context.secrets.values() {
        out = out.replace(secret.as_str(), REMOVED);
    }
    let path = write_new(args.output.as_deref(), row.id, context, &out)?;
    crate::view::say(t!("report-wrote", path = path.display().to_string()))?;
    let body = t!("report-mail-body", path = path.display().to_string());
    crate::view::print(&format!(
        "mailto:?subject={}&body={}\n",
        percent_encoding::utf8_percent_encode(&subject, percent_encoding::NON_ALPHANUMERIC),
        percent_encoding::utf8_percent_encode(&body, percent_encoding::NON_ALPHANUMERIC)
    ))?;
    Ok(())
}

/// Writes the report to a file that did not exist: created exclusively, never through a
/// link planted at its name, owner-only. A name given with `--output` that exists is
/// refused; the default name gets a number until it is new.
fn write_new(
    output: Option<&std::path::Path>,
    id: i64,
    context: &Context,
    text: &str,
) -> anyhow::Result<PathBuf> {
    use std::io::Write as _;
    let stamp = Utc
        .timestamp_millis_opt(context.clock.now_ms())
        .single()
        .unwrap_or_default()
        .format("%Y%m%dT%H%M%S");
    let candidates: Vec<PathBuf> = match output {
        Some(path) => vec![path.to_path_buf()],
        None => (1..=100)
            .map(|number| {
                PathBuf::from(match number {
                    1 => format!("ccv-moneybird-report-{id}-{stamp}.md"),
                    _ => format!("ccv-moneybird-report-{id}-{stamp}-{number}.md"),
                })
            })
            .collect(),
    };
    let cannot = |path: &std::path::Path, error: std::io::Error| {
        anyhow::anyhow!(t!(
            "report-cannot-write",
            path = path.display().to_string(),
            error = error.to_string()
        ))
    };
    for path in &candidates {
        let opened = {
            use std::os::unix::fs::OpenOptionsExt as _;
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .custom_flags(libc::O_NOFOLLOW)
                .open(path)
        };
        match opened {
            Ok(mut file) => {
                file.write_all(text.as_bytes())
                    .and_then(|()| file.sync_all())
                    .map_err(|error| cannot(path, error))?;
                return Ok(path.clone());
            }
            // Taken (a file, or a link planted there): another name, or for a name the
            // person gave, a refusal.
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(error) => return Err(cannot(path, error)),
        }
    }
    let taken = candidates.last().expect("at least one name");
    Err(crate::error::user_error(
        t!("report-exists", path = taken.display().to_string()),
        t!("report-exists-hint"),
    ))
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
    row: &Payment,
) -> anyhow::Result<()> {
    let timezone = context.settings.timezone;
    writeln!(
        out,
        "# ccv-moneybird problem report: payment #{} ({})\n",
        row.id, row.facts.reference
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
    out.push_str(&crate::view::payment::describe(store, row, timezone)?);
    writeln!(out, "```\n")?;
    writeln!(out, "## The payment row\n")?;
    out.push_str(&json_block(&serde_json::to_string(
        &crate::view::rows::JsonRow::of(row),
    )?));
    writeln!(out, "\n## As CCV reported it\n")?;
    let (raw, child) = store.payment_raw(row.id)?;
    out.push_str(&json_block(&raw));
    if let Some(child) = child {
        writeln!(out, "\nThe transaction that paid this payment link:\n")?;
        out.push_str(&json_block(&child));
    }
    writeln!(out, "\n## Matching evidence\n")?;
    match &row.standing.evidence_json {
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
    row: &Payment,
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
    writeln!(out, "```toml\n{}\n```\n", parsed_config(&config))?;
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
fn state_of(row: &crate::domain::Payment) -> String {
    use crate::domain::{BookingState, Tab};
    match (
        &row.standing.resolution,
        row.standing.tab,
        row.standing.booking,
        row.error_code(),
    ) {
        (Some(_), _, _, _) => "resolved outside the tool".into(),
        (None, _, BookingState::Booked, _) => {
            format!("booked on invoice {}", row.invoice_label().unwrap_or("?"))
        }
        (None, Tab::Fouten, _, Some(code)) => format!("not booked ({code})"),
        (None, Tab::Closed, _, _) => format!("never paid ({})", row.facts.ccv_status),
        _ => "not booked yet".into(),
    }
}

/// The config as it was read: its keys and values only (comments, which people fill with
/// anything, are left out), and every key that names a secret blanked. config.toml holds
/// none by design, but people paste things where they do not belong.
fn parsed_config(text: &str) -> String {
    let Ok(mut table) = text.parse::<toml::Table>() else {
        return "(the config could not be read as TOML)".to_string();
    };
    redact(&mut table);
    toml::to_string(&table)
        .unwrap_or_default()
        .trim_end()
        .to_string()
}

fn redact(table: &mut toml::Table) {
    for (key, value) in table.iter_mut() {
        let lower = key.to_ascii_lowercase();
        if ["secret", "token", "key", "password"]
            .iter()
            .any(|word| lower.contains(word))
        {
            *value = toml::Value::String(REMOVED.to_string());
            continue;
        }
        match value {
            toml::Value::Table(inner) => redact(inner),
            toml::Value::Array(items) => {
                for item in items {
                    if let toml::Value::Table(inner) = item {
                        redact(inner);
                    }
                }
            }
            _ => {}
        }
    }
}
