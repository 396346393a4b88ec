//! Operations: what every command starts from, the clients it talks through, and one run
//! of the job with its lock, the health of both services and the record of the last run.
//! The commands in `cmd/` are thin layers over this; `demo` and the benchmark call it too.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use crate::ccv::CcvClient;
use crate::clock::Clock;
use crate::config::Settings;
use crate::credentials::{self, MoneybirdCredential, Secrets};
use crate::lock::RunLock;
use crate::moneybird::{MoneybirdClient, MoneybirdError, Renew, oauth};
use crate::store::{LastRun, Service, ServiceHealth, Store};
use crate::sync::{self, Job, Pass, RunOptions, RunReport, ShopClient};

/// What every command starts from. Clients and the database are opened by the commands
/// that need them, so `status` never builds an HTTP client.
pub struct Context {
    pub settings: Settings,
    pub secrets: Secrets,
    pub clock: Clock,
    /// Whether a person watches stderr: then long runs show their progress.
    pub interactive: bool,
    /// Whether what goes to stdout may be coloured.
    pub colour: bool,
}

impl Context {
    pub fn load(config: Option<&Path>) -> anyhow::Result<Context> {
        let settings = Settings::load(config)?;
        Ok(Context {
            secrets: Secrets::load(&settings)?,
            settings,
            clock: Clock::from_env()?,
            interactive: false,
            colour: false,
        })
    }

    pub fn open_store(&self) -> anyhow::Result<Store> {
        Store::open(&self.settings.state_path)
    }

    /// The state for a command that works on what a run left: never a new, empty one.
    pub fn open_existing_store(&self) -> anyhow::Result<Store> {
        Store::open_existing(&self.settings.state_path)
    }
}

/// The CCV client of the single `[ccv]` shop, or of the first named one.
pub fn ccv_client(
    context: &Context,
    http: &reqwest::blocking::Client,
) -> anyhow::Result<CcvClient> {
    let shop = context
        .settings
        .shops
        .first()
        .expect("the config has at least one shop");
    let (key, _) = context.secrets.ccv_key_of(shop)?;
    Ok(CcvClient::new(http.clone(), &shop.base_url, key))
}

/// A client for every shop with a key. A single `[ccv]` shop must have one; of several, a
/// shop without is left out here and named by the run, which goes on with the others.
pub fn ccv_clients(
    context: &Context,
    http: &reqwest::blocking::Client,
) -> anyhow::Result<Vec<ShopClient>> {
    let mut clients = Vec::new();
    for shop in &context.settings.shops {
        match context.secrets.ccv_key_of(shop) {
            Ok((key, _)) => clients.push(ShopClient {
                shop: shop.clone(),
                client: CcvClient::new(http.clone(), &shop.base_url, key),
            }),
            Err(error) if shop.name.is_none() => return Err(error),
            Err(_) => {}
        }
    }
    Ok(clients)
}

/// How CCV answered: a shop that failed, named, else how the others answered.
fn ccv_health(clients: &[ShopClient]) -> Option<crate::http::Health> {
    use crate::http::Health;
    let mut answered = None;
    for ccv in clients {
        let named = |why: crate::i18n::Message| match &ccv.shop.name {
            Some(shop) => msg!("shop-health", shop = shop.as_str(), why = why),
            None => why,
        };
        match ccv.client.health() {
            Some(Health::Refused(why)) => return Some(Health::Refused(named(why))),
            Some(Health::Failing(why)) => return Some(Health::Failing(named(why))),
            Some(Health::Answering) => answered = Some(Health::Answering),
            None => {}
        }
    }
    answered
}

/// The Moneybird client for the credential in use; an OAuth grant renews itself on a 401.
pub fn moneybird_client(
    context: &Context,
    http: &reqwest::blocking::Client,
    administration_id: Option<String>,
) -> anyhow::Result<MoneybirdClient> {
    let credential = context.secrets.moneybird()?;
    let client = MoneybirdClient::new(
        http.clone(),
        &context.settings.moneybird_base_url,
        credential.bearer(),
        administration_id,
        context.settings.max_wait,
    );
    let (
        MoneybirdCredential::Oauth {
            refresh_token: Some(refresh_token),
            client_secret,
            ..
        },
        Some(file),
        Some(oauth),
    ) = (credential, &context.secrets.file, &context.settings.oauth)
    else {
        return Ok(client);
    };
    let app = oauth::App {
        base_url: context.settings.moneybird_base_url.clone(),
        client_id: oauth.client_id.clone(),
        client_secret: client_secret.clone(),
        redirect_uri: oauth.redirect_uri.clone(),
    };
    Ok(client.with_renewal(Box::new(SavedRenewal {
        app,
        http: http.clone(),
        refresh_token: RefCell::new(refresh_token.clone()),
        file: file.clone(),
    })))
}

/// Renews an OAuth access token and saves the new pair before it is used.
struct SavedRenewal {
    app: oauth::App,
    http: reqwest::blocking::Client,
    refresh_token: RefCell<String>,
    file: PathBuf,
}

impl Renew for SavedRenewal {
    /// One process renews at a time, under a lock beside the credentials: a run that waited
    /// for it finds the tokens the other stored and uses them, instead of spending a refresh
    /// token that was rotated meanwhile (which Moneybird refuses, and which would send the
    /// person to reconnect for nothing).
    fn renew(&self) -> Result<String, MoneybirdError> {
        let _lock = renewal_lock(&self.file)?;
        let current = self.refresh_token.borrow().clone();
        if let Some((access, refresh)) = self.stored_tokens()
            && refresh != current
        {
            tracing::info!("another run renewed the Moneybird token; using what it stored");
            self.refresh_token.replace(refresh);
            return Ok(access);
        }
        let tokens = match self.app.refresh(&self.http, &current) {
            Ok(tokens) => tokens,
            Err(oauth::OAuthError::InvalidGrant(message)) => {
                // Refused: whatever was stored since is tried once before the person is asked
                // to reconnect (a run of an older version renews without the lock).
                if let Some((access, refresh)) = self.stored_tokens()
                    && refresh != current
                {
                    self.refresh_token.replace(refresh);
                    return Ok(access);
                }
                tracing::debug!("the refresh was refused: {message}");
                return Err(MoneybirdError::Unauthorized(t!("oauth-invalid-grant")));
            }
            Err(oauth::OAuthError::InvalidClient) => {
                return Err(MoneybirdError::Unauthorized(t!("oauth-invalid-client")));
            }
            // Not the grant's fault: the next run tries again; nothing to reconnect.
            Err(oauth::OAuthError::Other(message)) => {
                return Err(MoneybirdError::Transport {
                    url: self
                        .app
                        .base_url
                        .join("oauth/token")
                        .map_or_else(|_| String::new(), |url| url.to_string()),
                    message: t!("oauth-renewal-failed", message = message),
                });
            }
        };
        // Moneybird may rotate the refresh token: keep whichever came back. Stored (whole,
        // owner-only) before the new access token is used, or the new refresh token would be
        // lost with this process.
        let refresh = tokens.refresh_token.clone().unwrap_or(current);
        credentials::update(&self.file, |stored| {
            stored.moneybird = Some(MoneybirdCredential::Oauth {
                access_token: tokens.access_token.clone(),
                refresh_token: Some(refresh.clone()),
                client_secret: self.app.client_secret.clone(),
            });
        })
        .map_err(|error| MoneybirdError::NotStored(format!("{error:#}")))?;
        self.refresh_token.replace(refresh);
        Ok(tokens.access_token)
    }
}

impl SavedRenewal {
    /// The OAuth tokens stored now: (access, refresh).
    fn stored_tokens(&self) -> Option<(String, String)> {
        match credentials::load(&self.file).ok()?.moneybird? {
            MoneybirdCredential::Oauth {
                access_token,
                refresh_token: Some(refresh_token),
                ..
            } => Some((access_token, refresh_token)),
            _ => None,
        }
    }
}

/// Waits for the renewal lock beside the credentials file. The kernel drops it when the
/// process ends, however it ends.
fn renewal_lock(credentials_file: &std::path::Path) -> Result<std::fs::File, MoneybirdError> {
    let mut name = credentials_file.as_os_str().to_owned();
    name.push(".lock");
    let opened = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(std::path::PathBuf::from(name))
        .and_then(|file| file.lock().map(|()| file));
    opened.map_err(|error| {
        MoneybirdError::NotStored(t!("oauth-cannot-lock", error = error.to_string()))
    })
}

/// Takes the run lock, opens everything, runs one pass and records how it went: the health
/// of both services, and (unless it was a dry run) the last run.
pub fn run_pass(context: &Context, options: &RunOptions) -> anyhow::Result<RunReport> {
    let _lock = RunLock::acquire(&context.settings.lock_path())?;
    let mut store = context.open_store()?;
    let http = crate::http::client()?;
    let ccv = ccv_clients(context, &http)?;
    let administration = context.settings.administration_id()?.to_string();
    let progress = progress_bar(context.interactive);
    let shown = progress.clone();
    let moneybird =
        moneybird_client(context, &http, Some(administration))?.on_wait(Box::new(move |wait| {
            match wait {
                Some(wait) => shown.set_prefix(format!(
                    "{} · ",
                    t!("progress-rate-limit", seconds = wait.as_secs().max(1))
                )),
                None => shown.set_prefix(""),
            }
        }));
    let result = {
        let mut job = Job {
            store: &mut store,
            ccv: &ccv,
            moneybird: &moneybird,
            settings: &context.settings,
            clock: context.clock,
            progress,
        };
        sync::run(&mut job, options)
    };
    let at = context.clock.now().to_rfc3339();
    for (service, health) in [
        (Service::Ccv, ccv_health(&ccv)),
        (Service::Moneybird, moneybird.health()),
    ] {
        if let Some(health) = health {
            store.set_service_health(
                service,
                &ServiceHealth {
                    at: at.clone(),
                    health,
                },
            )?;
        }
    }
    let report = result?;
    if !options.dry_run {
        store.set_last_run(&LastRun {
            at,
            pass: if options.only.is_some() {
                "retry"
            } else {
                match options.pass {
                    Pass::Sync => "sync",
                    Pass::Recheck => "recheck",
                }
            }
            .to_string(),
            booked: report.booked.len(),
            new_errors: report.new_errors.len(),
            stopped_early: report.stopped_early.clone(),
        })?;
    }
    tracing::info!(
        "{} new payments, {} booked, {} new errors; {} CCV and {} Moneybird requests",
        report.new_payments,
        report.booked.len(),
        report.new_errors.len(),
        report.ccv_requests,
        report.moneybird_requests
    );
    if let Some(reason) = &report.stopped_early {
        tracing::info!("stopped early, the rest waits for the next run: {reason}");
    }
    Ok(report)
}

/// A bar for long runs at a terminal; nothing at all from cron.
fn progress_bar(interactive: bool) -> indicatif::ProgressBar {
    if !interactive {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template("{spinner} {prefix}{msg} [{elapsed}]")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}
