//! `doctor`: every precondition of a good run checked at once, one line each, each failure
//! with its fix.

use std::path::Path;

use clap::Args;
use serde::Serialize;

use super::Context;
use crate::moneybird::{InvoiceKind, MoneybirdError};
use crate::store::Store;

/// Check the config, credentials, Moneybird scopes and administration, the mapped ledger
/// accounts, the clock, the state database, the schedule and the last run
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  ccv-moneybird doctor\n  ccv-moneybird doctor --json")]
pub struct DoctorArgs {
    /// Print the checks as a JSON array (`check`, `status`, `detail`, `fix`), in English
    #[arg(long)]
    pub json: bool,
}

/// How far this machine's clock may be from the services' before booking dates are at risk.
const CLOCK_TOLERANCE_SECONDS: i64 = 120;
/// An hourly schedule that has not succeeded for this long is not running.
const LAST_RUN_LIMIT_HOURS: i64 = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    /// Worth knowing, not wrong: the exit code stays 0.
    Warning,
    Failed,
}

/// One check: the JSON keeps `check` and `status` stable; the words follow the language.
#[derive(Debug, Serialize)]
pub struct Check {
    pub check: &'static str,
    pub status: Status,
    pub detail: String,
    pub fix: Option<String>,
}

fn ok(check: &'static str, detail: String) -> Check {
    Check {
        check,
        status: Status::Ok,
        detail,
        fix: None,
    }
}

fn warning(check: &'static str, detail: String, fix: String) -> Check {
    Check {
        check,
        status: Status::Warning,
        detail,
        fix: Some(fix),
    }
}

fn failed(check: &'static str, detail: String, fix: String) -> Check {
    Check {
        check,
        status: Status::Failed,
        detail,
        fix: Some(fix),
    }
}

pub fn run(config: Option<&Path>, args: &DoctorArgs) -> anyhow::Result<()> {
    if args.json {
        crate::i18n::set(crate::i18n::Lang::En);
    }
    let checks = match Context::load(config) {
        Ok(context) => {
            crate::i18n::set(crate::i18n::Lang::choose(context.settings.language));
            if args.json {
                crate::i18n::set(crate::i18n::Lang::En);
            }
            examine(&context)
        }
        Err(error) => vec![failed(
            "config",
            format!("{error:#}"),
            crate::error::hint_of(&error).unwrap_or_else(|| t!("doctor-config-fix")),
        )],
    };
    if args.json {
        crate::view::print(&format!("{}\n", serde_json::to_string_pretty(&checks)?))?;
    } else {
        crate::view::print(&as_text(&checks))?;
    }
    if checks.iter().any(|check| check.status == Status::Failed) {
        return Err(crate::error::Quiet.into());
    }
    Ok(())
}

fn as_text(checks: &[Check]) -> String {
    const INDENT: usize = 25;
    let width = crate::view::table_width(false);
    let mut text = String::new();
    for check in checks {
        let mark = match check.status {
            Status::Ok => "✓",
            Status::Warning => "!",
            Status::Failed => "✗",
        };
        let name = crate::i18n::Message::new(&format!("doctor-check-{}", check.check)).say();
        let detail = crate::view::hanging(&check.detail, INDENT, width);
        text.push_str(&format!("{mark} {name:<22} {detail}\n"));
        if let Some(fix) = &check.fix {
            let fix = crate::view::hanging(&format!("→ {fix}"), INDENT, width);
            text.push_str(&format!("{:INDENT$}{fix}\n", ""));
        }
    }
    let failures = checks
        .iter()
        .filter(|check| check.status == Status::Failed)
        .count();
    text.push_str(&format!("\n{}\n", t!("doctor-summary", failed = failures)));
    text
}

/// Every check after the config: those that need a service are skipped, with a reason,
/// when its credential is missing or refused.
fn examine(context: &Context) -> Vec<Check> {
    let mut checks = vec![ok(
        "config",
        context.settings.config_path.display().to_string(),
    )];
    let http = crate::http::client();
    let ccv = check_ccv(context, http.as_ref().ok());
    let moneybird = check_moneybird(context, http.as_ref().ok());
    checks.extend(ccv.checks);
    checks.extend(moneybird.checks);
    checks.push(check_timezone(context));
    checks.push(check_clock(
        context,
        ccv.server_date.or(moneybird.server_date),
    ));
    checks.extend(check_state(context));
    checks
}

struct ServiceChecks {
    checks: Vec<Check>,
    server_date: Option<chrono::DateTime<chrono::Utc>>,
}

/// Each shop's key, asked for the payment methods it may use.
fn check_ccv(context: &Context, http: Option<&reqwest::blocking::Client>) -> ServiceChecks {
    let mut checks = Vec::new();
    let mut server_date = None;
    for shop in &context.settings.shops {
        let named = |detail: String| match &shop.name {
            Some(name) => format!("{name}: {detail}"),
            None => detail,
        };
        let fix =
            || crate::error::hint_of(&crate::credentials::missing_key(shop)).unwrap_or_default();
        let (Ok((key, source)), Some(http)) = (context.secrets.ccv_key_of(shop), http) else {
            checks.push(failed("ccv_key", named(t!("doctor-no-credential")), fix()));
            continue;
        };
        let client = crate::ccv::CcvClient::new(http.clone(), &shop.base_url, key);
        checks.push(match client.payment_methods() {
            Ok(methods) => ok(
                "ccv_key",
                named(t!(
                    "doctor-ccv-ok",
                    source = source.to_string(),
                    methods = methods.join(", ")
                )),
            ),
            Err(crate::ccv::CcvError::Unauthorized) => {
                failed("ccv_key", named(t!("error-ccv-key")), fix())
            }
            Err(error) => failed(
                "ccv_key",
                named(error.to_string()),
                t!("light-failing-fix", name = "CCV"),
            ),
        });
        server_date = server_date.or(client.server_date());
    }
    ServiceChecks {
        checks,
        server_date,
    }
}

fn check_moneybird(context: &Context, http: Option<&reqwest::blocking::Client>) -> ServiceChecks {
    let mut checks = Vec::new();
    let done = |checks, client: Option<&crate::moneybird::MoneybirdClient>| ServiceChecks {
        checks,
        server_date: client.and_then(|client| client.server_date()),
    };
    let (Some((_, source)), Some(http)) = (&context.secrets.moneybird, http) else {
        checks.push(failed(
            "moneybird_credential",
            t!("doctor-no-credential"),
            t!("light-connect", service = "moneybird"),
        ));
        return done(checks, None);
    };
    let administration = context.settings.administration_id.clone();
    let client = match crate::ops::moneybird_client(context, http, administration.clone()) {
        Ok(client) => client,
        Err(error) => {
            checks.push(failed(
                "moneybird_credential",
                format!("{error:#}"),
                t!("light-connect", service = "moneybird"),
            ));
            return done(checks, None);
        }
    };
    let administrations = match client.administrations() {
        Ok(found) => {
            checks.push(ok("moneybird_credential", source.to_string()));
            found
        }
        Err(error) => {
            checks.push(moneybird_failure("moneybird_credential", &error));
            return done(checks, Some(&client));
        }
    };
    let Some(wanted) = administration else {
        checks.push(failed(
            "administration",
            t!("doctor-no-administration"),
            t!("light-connect", service = "moneybird"),
        ));
        return done(checks, Some(&client));
    };
    match administrations.iter().find(|found| found.id == wanted) {
        Some(found) => checks.push(ok("administration", format!("{} ({wanted})", found.name))),
        None => {
            checks.push(failed(
                "administration",
                t!("error-no-administration", id = wanted.as_str()),
                t!("error-no-administration-hint"),
            ));
            return done(checks, Some(&client));
        }
    }
    // Reading the open invoices needs `sales_invoices`; the ledger accounts any of several.
    let today = context
        .clock
        .now()
        .with_timezone(&context.settings.timezone)
        .date_naive();
    let kind = InvoiceKind::SalesInvoice;
    checks.push(
        match client.invoice_versions(kind, &crate::sync::posts::open_filter(kind, today)) {
            Ok(_) => ok("scopes", "sales_invoices".into()),
            Err(error) => moneybird_failure("scopes", &error),
        },
    );
    checks.extend(check_ledger_accounts(context, &client));
    if let Some(section) = &context.settings.payouts {
        checks.extend(check_payouts(section, &client, today));
    }
    done(checks, Some(&client))
}

/// `[payouts]`: the bank account and the costs account exist, and the token may read and
/// link bank lines (scope `bank`).
fn check_payouts(
    section: &crate::config::PayoutsSection,
    client: &crate::moneybird::MoneybirdClient,
    today: chrono::NaiveDate,
) -> Vec<Check> {
    let mut checks = Vec::new();
    checks.push(match client.financial_account_ids() {
        Ok(ids) if ids.contains(&section.financial_account_id) => ok(
            "payouts",
            t!("doctor-payouts-bank", id = &section.financial_account_id),
        ),
        Ok(_) => failed(
            "payouts",
            t!("doctor-payouts-no-bank", id = &section.financial_account_id),
            t!("doctor-payouts-fix"),
        ),
        Err(error) => moneybird_failure("payouts", &error),
    });
    checks.push(match client.ledger_accounts() {
        Ok(accounts)
            if accounts
                .iter()
                .any(|account| account.id == section.costs_ledger_account_id && account.active) =>
        {
            ok(
                "payouts",
                t!(
                    "doctor-payouts-costs",
                    id = &section.costs_ledger_account_id
                ),
            )
        }
        Ok(_) => failed(
            "payouts",
            t!(
                "doctor-payouts-no-costs",
                id = &section.costs_ledger_account_id
            ),
            t!("doctor-payouts-fix"),
        ),
        Err(error) => moneybird_failure("payouts", &error),
    });
    let period = format!("{}..{}", today.format("%Y%m01"), today.format("%Y%m%d"));
    checks.push(
        match client.financial_mutation_versions(&section.financial_account_id, &period) {
            Ok(_) => ok("scopes", "bank".into()),
            Err(error) => moneybird_failure("scopes", &error),
        },
    );
    checks
}

fn moneybird_failure(check: &'static str, error: &MoneybirdError) -> Check {
    match error {
        MoneybirdError::Unauthorized(message) if message.contains("No access to") => {
            failed(check, message.clone(), t!("doctor-scope-fix"))
        }
        MoneybirdError::Unauthorized(message) => failed(
            check,
            t!("error-moneybird-token", message = message.as_str()),
            t!("error-moneybird-token-hint"),
        ),
        other => failed(
            check,
            other.to_string(),
            t!("light-failing-fix", name = "Moneybird"),
        ),
    }
}

fn check_ledger_accounts(
    context: &Context,
    client: &crate::moneybird::MoneybirdClient,
) -> Vec<Check> {
    let mapping = &context.settings.ledger_accounts;
    if mapping.is_empty() {
        return vec![warning(
            "ledger_accounts",
            t!("doctor-no-ledger-accounts"),
            t!("doctor-ledger-fix"),
        )];
    }
    let accounts = match client.ledger_accounts() {
        Ok(accounts) => accounts,
        Err(error) => return vec![moneybird_failure("ledger_accounts", &error)],
    };
    mapping
        .iter()
        .map(
            |(method, id)| match accounts.iter().find(|account| &account.id == id) {
                Some(account) if account.active => ok(
                    "ledger_accounts",
                    format!("{method} → {} ({id})", account.name),
                ),
                Some(account) => failed(
                    "ledger_accounts",
                    t!(
                        "refused-ledger-inactive",
                        method = method,
                        id = id,
                        name = &account.name
                    ),
                    t!("doctor-ledger-fix"),
                ),
                None => failed(
                    "ledger_accounts",
                    t!("refused-ledger-unknown", method = method, id = id),
                    t!("doctor-ledger-fix"),
                ),
            },
        )
        .collect()
}

fn check_timezone(context: &Context) -> Check {
    use chrono::Offset as _;
    let zone = context.settings.timezone;
    let offset = context
        .clock
        .now()
        .with_timezone(&zone)
        .offset()
        .fix()
        .to_string();
    ok(
        "timezone",
        t!("doctor-timezone", zone = zone.name(), offset = offset),
    )
}

fn check_clock(context: &Context, server: Option<chrono::DateTime<chrono::Utc>>) -> Check {
    let Some(server) = server else {
        return warning(
            "clock",
            t!("doctor-clock-unknown"),
            t!("doctor-clock-unknown-fix"),
        );
    };
    let off = (context.clock.now() - server).num_seconds();
    if off.abs() <= CLOCK_TOLERANCE_SECONDS {
        ok("clock", t!("doctor-clock-ok", seconds = off.abs()))
    } else {
        failed(
            "clock",
            t!(
                "doctor-clock-off",
                seconds = off,
                server = server.to_rfc3339()
            ),
            t!("doctor-clock-fix"),
        )
    }
}

/// The database, the schedule and the last run: all read from this machine.
/// What the runs learnt of how CCV answers where its documents are silent (docs/ccv-api.md,
/// Unknown 2): the form of time filter it takes.
fn check_ccv_dialect(store: &Store) -> Check {
    let learnt = store
        .meta(crate::sync::META_TIME_FORM)
        .ok()
        .flatten()
        .as_deref()
        .and_then(crate::ccv::assumptions::TimeForm::parse);
    ok(
        "ccv_dialect",
        match learnt {
            Some(crate::ccv::assumptions::TimeForm::EpochMillis) => {
                t!("doctor-ccv-time-form", form = t!("doctor-time-form-epoch"))
            }
            Some(crate::ccv::assumptions::TimeForm::Iso8601) => {
                t!("doctor-ccv-time-form", form = t!("doctor-time-form-iso"))
            }
            None => t!("doctor-ccv-time-form-unknown"),
        },
    )
}

fn check_state(context: &Context) -> Vec<Check> {
    let mut checks = Vec::new();
    let store = match open_state(&context.settings.state_path) {
        Ok(store) => Some(store),
        Err(check) => {
            checks.push(check);
            None
        }
    };
    if let Some(store) = &store {
        checks.push(match store.integrity_problems() {
            Ok(problems) if problems.is_empty() => {
                ok("state", context.settings.state_path.display().to_string())
            }
            Ok(problems) => failed("state", problems.join("; "), t!("doctor-state-fix")),
            Err(error) => failed("state", format!("{error:#}"), t!("doctor-state-fix")),
        });
        checks.push(check_ccv_dialect(store));
    }
    let paths = crate::schedule::Paths::of(context).ok();
    let scheduled = paths.as_ref().and_then(crate::schedule::installed);
    let pinned_elsewhere = paths
        .as_ref()
        .and_then(crate::schedule::installed_lines_match)
        == Some(false);
    checks.push(match scheduled {
        Some(_) if pinned_elsewhere => warning(
            "schedule",
            t!("doctor-schedule-elsewhere"),
            t!("doctor-schedule-elsewhere-fix"),
        ),
        Some(how) => ok("schedule", t!("doctor-scheduled", how = how)),
        None => warning(
            "schedule",
            t!("doctor-not-scheduled"),
            t!("doctor-schedule-fix"),
        ),
    });
    let last = store
        .as_ref()
        .and_then(|store| store.last_run().ok().flatten());
    checks.push(check_last_run(context, last, scheduled.is_some()));
    checks
}

/// The state as the runs will meet it: writable (the file, its folder where SQLite keeps
/// its journal files, journal files left read-only) and readable as this tool's.
fn open_state(path: &std::path::Path) -> Result<Store, Check> {
    if !path.exists() {
        return Err(warning(
            "state",
            t!("status-no-state", path = path.display().to_string()),
            t!("doctor-run-sync"),
        ));
    }
    if let Some(error) = crate::store::trouble::unwritable(path) {
        return Err(failed(
            "state",
            error.to_string(),
            crate::error::hint_of(&error).unwrap_or_default(),
        ));
    }
    Store::open_existing(path).map_err(|error| {
        failed(
            "state",
            format!("{error:#}"),
            crate::error::hint_of(&error).unwrap_or_else(|| t!("doctor-state-fix")),
        )
    })
}

fn check_last_run(
    context: &Context,
    last: Option<crate::store::LastRun>,
    scheduled: bool,
) -> Check {
    let Some(last) = last else {
        return warning("last_run", t!("status-no-run-yet"), t!("doctor-run-sync"));
    };
    let at = chrono::DateTime::parse_from_rfc3339(&last.at).ok();
    let hours = at.map(|at| (context.clock.now() - at.with_timezone(&chrono::Utc)).num_hours());
    let when = at
        .map(|at| crate::i18n::moment(at.with_timezone(&context.settings.timezone).naive_local()))
        .unwrap_or(last.at.clone());
    match hours {
        Some(hours) if hours < LAST_RUN_LIMIT_HOURS => ok(
            "last_run",
            t!("doctor-last-run", pass = &last.pass, at = when),
        ),
        _ if !scheduled => warning(
            "last_run",
            t!("doctor-last-run", pass = &last.pass, at = when),
            t!("doctor-schedule-fix"),
        ),
        _ => failed(
            "last_run",
            t!("doctor-last-run-old", pass = &last.pass, at = when),
            t!(
                "doctor-last-run-fix",
                log = crate::schedule::Paths::of(context)
                    .map(|paths| paths.log.display().to_string())
                    .unwrap_or_default()
            ),
        ),
    }
}
