//! `status`: connection lights and counts per tab, or one tab as a table or as the
//! contract's JSON rows.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use serde::Serialize;

use super::Context;
use crate::domain::{Payment, Tab};
use crate::http::Health;
use crate::store::{Service, Store};
use crate::view::rows::JsonRow;
use crate::view::{table, table_width, title};

/// Show the connections and the tabs, or list one tab
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  ccv-moneybird status\n  ccv-moneybird status --tab fouten\n  ccv-moneybird status --tab all --since 2026-11-01 --limit 50\n  ccv-moneybird status --json --tab rapportage\n  ccv-moneybird status --json --lights"
)]
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

    /// With --json: the dashboard (each service's light, the count per tab, the last run,
    /// the paths) as one object, instead of the rows
    #[arg(long, requires = "json", conflicts_with_all = ["tab", "since", "limit"])]
    pub lights: bool,
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

pub fn run(context: &Context, args: &StatusArgs) -> anyhow::Result<()> {
    if args.tab.is_none() && !args.json && (args.since.is_some() || args.limit.is_some()) {
        // The dashboard's counts are of everything; a filter there would be silently ignored.
        return Err(
            crate::error::UserError::new(t!("status-filter-without-tab"))
                .with_hint(t!("status-filter-without-tab-hint"))
                .with_exit_code(crate::error::EXIT_USAGE)
                .into(),
        );
    }
    crate::view::print(&render(context, args)?)?;
    Ok(())
}

/// What `status` prints, as text.
pub fn render(context: &Context, args: &StatusArgs) -> anyhow::Result<String> {
    let state = &context.settings.state_path;
    let store = if state.exists() {
        Some(context.open_existing_store()?)
    } else {
        None
    };
    if args.lights {
        // What scripts read is English whatever the reader's language (docs/contract.md).
        crate::i18n::set(crate::i18n::Lang::En);
        let dashboard = Dashboard::read(store.as_ref(), context)?;
        return Ok(format!("{}\n", serde_json::to_string_pretty(&dashboard)?));
    }
    let Some(store) = store else {
        // Nothing has run yet: say so, and create nothing.
        return Ok(match (args.tab, args.json) {
            (_, true) => "[]\n".to_string(),
            (Some(_), false) => format!(
                "{}\n",
                t!("status-no-state", path = state.display().to_string())
            ),
            (None, false) => summary(&Dashboard::read(None, context)?, context),
        });
    };
    let since_ms = args
        .since
        .map(|day| crate::clock::start_of_day(day, context.settings.timezone).timestamp_millis());
    let rows = |tabs: &[Tab]| -> anyhow::Result<Vec<Payment>> {
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
                format!("{}\n", t!("status-no-payments"))
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
        (None, false) => summary(&Dashboard::read(Some(&store), context)?, context),
    })
}

/// What the dashboard shows, read once: `status` prints it as text, `status --json --lights`
/// as it is (docs/contract.md: the keys and the plain values never change with the language).
#[derive(Debug, Serialize)]
pub struct Dashboard {
    pub services: Vec<ServiceLight>,
    /// With [payouts] only: whether any payout needs a person, or waits too long.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payouts: Option<PayoutLight>,
    /// Rows per tab; null before the first run.
    pub tabs: Option<BTreeMap<&'static str, i64>>,
    pub last_run: Option<crate::store::LastRun>,
    pub config: String,
    pub state: String,
}

/// One service's light: what the last run saw of it, and whether a credential is there now.
#[derive(Debug, Serialize)]
pub struct ServiceLight {
    pub service: &'static str,
    pub light: Light,
    /// `not_connected` (no credential), `not_contacted`, `answering`, `refused`, `failing`.
    pub state: &'static str,
    /// When the last run heard from it (RFC 3339).
    pub at: Option<String>,
    /// What it said when it refused or failed.
    pub why: Option<String>,
    /// Which credential is used and where it comes from; never the secret.
    pub credential: Option<String>,
}

/// The payouts' light: red when one needs a look, or has waited for its bank line longer
/// than [`PAYOUT_LATE_DAYS`] after its date; green otherwise.
#[derive(Debug, Serialize)]
pub struct PayoutLight {
    pub light: Light,
    /// CCV's references of the payouts that need a look.
    pub needs_a_look: Vec<String>,
    /// CCV's references of the payouts waiting over [`PAYOUT_LATE_DAYS`].
    pub waiting_too_long: Vec<String>,
    /// Every payout not linked yet and not needing a look.
    pub waiting: usize,
}

/// A bank transfer takes a working day or two; past this, something is wrong.
const PAYOUT_LATE_DAYS: u64 = 3;

impl PayoutLight {
    fn read(store: &Store, context: &Context) -> anyhow::Result<PayoutLight> {
        use crate::store::PayoutState;
        let today = context
            .clock
            .now()
            .with_timezone(&context.settings.timezone)
            .date_naive();
        let mut light = PayoutLight {
            light: Light::Green,
            needs_a_look: Vec::new(),
            waiting_too_long: Vec::new(),
            waiting: 0,
        };
        for payout in store.payouts()? {
            let late = payout
                .date
                .as_deref()
                .and_then(|date| chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok())
                .is_some_and(|date| date + chrono::Days::new(PAYOUT_LATE_DAYS) < today);
            match payout.state {
                PayoutState::Linked => {}
                PayoutState::NeedsALook => light.needs_a_look.push(payout.reference),
                PayoutState::Waiting => {
                    light.waiting += 1;
                    if late {
                        light.waiting_too_long.push(payout.reference);
                    }
                }
            }
        }
        if !light.needs_a_look.is_empty() || !light.waiting_too_long.is_empty() {
            light.light = Light::Red;
        }
        Ok(light)
    }

    fn text(&self) -> String {
        match self.light {
            Light::Red => format!(
                "{}\n{:14}→ {}",
                t!(
                    "light-payouts-attention",
                    look = self.needs_a_look.len(),
                    late = self.waiting_too_long.len()
                ),
                "",
                t!("light-payouts-fix")
            ),
            _ => t!("light-payouts-ok", waiting = self.waiting),
        }
    }
}

#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Light {
    Green,
    Red,
    Off,
}

impl Dashboard {
    pub fn read(store: Option<&Store>, context: &Context) -> anyhow::Result<Dashboard> {
        let mut services = Vec::new();
        for which in [Service::Ccv, Service::Moneybird] {
            services.push(ServiceLight::read(store, context, which)?);
        }
        let tabs = store
            .map(|store| -> anyhow::Result<BTreeMap<&'static str, i64>> {
                let counts = store.tab_counts()?;
                Ok(Tab::ALL
                    .into_iter()
                    .map(|tab| (tab.as_str(), counts.get(&tab).copied().unwrap_or(0)))
                    .collect())
            })
            .transpose()?;
        let payouts = match (store, &context.settings.payouts) {
            (Some(store), Some(_)) => Some(PayoutLight::read(store, context)?),
            _ => None,
        };
        Ok(Dashboard {
            services,
            payouts,
            tabs,
            last_run: store.map(Store::last_run).transpose()?.flatten(),
            config: context.settings.config_path.display().to_string(),
            state: context.settings.state_path.display().to_string(),
        })
    }
}

impl ServiceLight {
    fn read(
        store: Option<&Store>,
        context: &Context,
        which: Service,
    ) -> anyhow::Result<ServiceLight> {
        let service = match which {
            Service::Ccv => "ccv",
            Service::Moneybird => "moneybird",
        };
        let credential = credential_in_use(context, which);
        let seen = match (&credential, store) {
            (Some(_), Some(store)) => store.service_health(which)?,
            _ => None,
        };
        let (light, state, why) = match (&credential, seen.as_ref().map(|seen| &seen.health)) {
            (None, _) => (Light::Off, "not_connected", None),
            (Some(_), None) => (Light::Off, "not_contacted", None),
            (Some(_), Some(Health::Answering)) => (Light::Green, "answering", None),
            (Some(_), Some(Health::Refused(why))) => (Light::Red, "refused", Some(why.say())),
            (Some(_), Some(Health::Failing(why))) => (Light::Red, "failing", Some(why.say())),
        };
        Ok(ServiceLight {
            service,
            light,
            state,
            at: seen.map(|seen| seen.at),
            why,
            credential,
        })
    }

    /// The light's line and, when something is wrong, the fix. Failures advise by their
    /// kind: a refused credential, or a service out of reach.
    fn text(&self, context: &Context) -> String {
        let indent = " ".repeat(14);
        let at = self
            .at
            .as_deref()
            .map(|at| local_time(at, context))
            .unwrap_or_default();
        let why = self.why.clone().unwrap_or_default();
        match self.state {
            "not_connected" => format!(
                "{}\n{indent}→ {}",
                t!("light-not-connected"),
                t!("light-connect", service = self.service)
            ),
            "not_contacted" => t!("light-not-contacted"),
            "answering" => t!("light-connected", at = at),
            "refused" => format!(
                "{}\n{indent}→ {}",
                t!("light-refused", at = at, why = why),
                t!(
                    "light-refused-fix",
                    service = self.service,
                    variable = match self.service {
                        "ccv" => "CCV_API_KEY",
                        _ => "MONEYBIRD_TOKEN",
                    }
                )
            ),
            _ => format!(
                "{}\n{indent}→ {}",
                t!("light-failing", at = at, why = why),
                t!("light-failing-fix", name = service_name(self.service))
            ),
        }
    }
}

fn service_name(service: &str) -> &'static str {
    match service {
        "ccv" => "CCV",
        _ => "Moneybird",
    }
}

/// The dashboard as text: a light per service, the count per tab, and the last run.
pub fn summary(dashboard: &Dashboard, context: &Context) -> String {
    let colour = context.colour;
    let mut text = String::new();
    for light in &dashboard.services {
        let dot = match (colour, light.light) {
            (true, Light::Green) => "\x1b[32m●\x1b[0m",
            (true, Light::Red) => "\x1b[31m●\x1b[0m",
            (false, Light::Green | Light::Red) => "●",
            (_, Light::Off) => "○",
        };
        let name = service_name(light.service);
        text.push_str(&format!("{dot} {name:<11} {}\n", light.text(context)));
        if let Some(credential) = &light.credential {
            text.push_str(&format!("{:14}{credential}\n", ""));
        }
    }
    if let Some(payouts) = &dashboard.payouts {
        let dot = match (colour, payouts.light) {
            (true, Light::Red) => "\x1b[31m●\x1b[0m",
            (true, _) => "\x1b[32m●\x1b[0m",
            (false, _) => "●",
        };
        let name = t!("light-payouts-name");
        text.push_str(&format!("{dot} {name:<11} {}\n", payouts.text()));
    }
    text.push('\n');
    let paths = format!(
        "{:<8}{}\n{:<8}{}\n",
        format!("{}:", t!("status-config")),
        dashboard.config,
        format!("{}:", t!("status-state")),
        dashboard.state
    );
    let Some(counts) = &dashboard.tabs else {
        text.push_str(&format!("{}\n\n", t!("status-no-state-yet")));
        text.push_str(&paths);
        return text;
    };
    for tab in Tab::ALL {
        text.push_str(&format!(
            "{:<12}{:>6}\n",
            title(tab),
            counts.get(tab.as_str()).copied().unwrap_or(0)
        ));
    }
    text.push('\n');
    if let Some(last) = &dashboard.last_run {
        let at = local_time(&last.at, context);
        let run = match &last.stopped_early {
            Some(why) => t!(
                "status-last-run-stopped",
                pass = &last.pass,
                at = at,
                booked = last.booked,
                errors = last.new_errors,
                why = why.say()
            ),
            None => t!(
                "status-last-run",
                pass = &last.pass,
                at = at,
                booked = last.booked,
                errors = last.new_errors
            ),
        };
        text.push_str(&format!("{run}\n"));
    } else {
        text.push_str(&format!("{}\n", t!("status-no-run-yet")));
    }
    text.push('\n');
    text.push_str(&paths);
    text
}

/// Which credential a service is reached with, and where it comes from; never what it is.
fn credential_in_use(context: &Context, service: Service) -> Option<String> {
    match service {
        Service::Ccv => {
            let described: Vec<String> = context
                .settings
                .shops
                .iter()
                .filter_map(|shop| {
                    let (key, source) = context.secrets.ccv_key_of(shop).ok()?;
                    let kind = match key.get(..2) {
                        Some("t_") => t!("credentials-test-key"),
                        Some("l_") => t!("credentials-live-key"),
                        _ => t!("credentials-key"),
                    };
                    Some(match &shop.name {
                        None => format!("{kind} {source}"),
                        Some(name) => format!("{name}: {kind} {source}"),
                    })
                })
                .collect();
            (!described.is_empty()).then(|| described.join("; "))
        }
        Service::Moneybird => context
            .secrets
            .moneybird
            .as_ref()
            .map(|(credential, source)| match credential {
                crate::credentials::MoneybirdCredential::Personal { .. } => {
                    format!("{} {source}", t!("credentials-personal-token"))
                }
                crate::credentials::MoneybirdCredential::Oauth { .. } => {
                    format!("{} {source}", t!("credentials-oauth"))
                }
            }),
    }
}

fn local_time(rfc3339: &str, context: &Context) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|at| crate::i18n::moment(at.with_timezone(&context.settings.timezone).naive_local()))
        .unwrap_or_else(|_| rfc3339.to_string())
}
