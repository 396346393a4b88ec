//! One file per command: arguments in, a library call, output out.

pub mod connect;
pub mod demo;
pub mod info;
pub mod recheck;
pub mod report;
pub mod resolve;
pub mod retry;
pub mod status;
pub mod sync;

use std::cell::RefCell;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use crate::ccv::CcvClient;
use crate::cli::{Cli, Command};
use crate::clock::Clock;
use crate::config::Settings;
use crate::credentials::{self, MoneybirdCredential, Secrets};
use crate::error::user_error;
use crate::moneybird::{MoneybirdClient, MoneybirdError, Renew, oauth};
use crate::store::{PaymentRow, Store};

/// What every command starts from. Clients and the database are opened by the commands
/// that need them, so `status` never builds an HTTP client.
pub struct Context {
    pub settings: Settings,
    pub secrets: Secrets,
    pub clock: Clock,
    /// Whether a person watches stderr: then long runs show their progress.
    pub interactive: bool,
}

impl Context {
    pub fn load(config: Option<&Path>) -> anyhow::Result<Context> {
        let settings = Settings::load(config)?;
        Ok(Context {
            secrets: Secrets::load(&settings)?,
            settings,
            clock: Clock::from_env()?,
            interactive: false,
        })
    }

    pub fn open_store(&self) -> anyhow::Result<Store> {
        Store::open(&self.settings.state_path)
    }
}

/// The CCV client for the configured key.
pub fn ccv_client(
    context: &Context,
    http: &reqwest::blocking::Client,
) -> anyhow::Result<CcvClient> {
    Ok(CcvClient::new(
        http.clone(),
        &context.settings.ccv_base_url,
        context.secrets.ccv_api_key()?,
    ))
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
    fn renew(&self) -> Result<String, MoneybirdError> {
        let current = self.refresh_token.borrow().clone();
        let tokens = self
            .app
            .refresh(&self.http, &current)
            .map_err(|error| match error {
                oauth::OAuthError::InvalidGrant(_) => MoneybirdError::Unauthorized(
                    "the access token expired and the refresh token was refused (invalid_grant)"
                        .into(),
                ),
                oauth::OAuthError::InvalidClient => MoneybirdError::Unauthorized(
                    "the access token expired and the OAuth client was refused (invalid_client)"
                        .into(),
                ),
                // Not the grant's fault: the next run tries again; nothing to reconnect.
                oauth::OAuthError::Other(message) => MoneybirdError::Transport {
                    url: self
                        .app
                        .base_url
                        .join("oauth/token")
                        .map_or_else(|_| String::new(), |url| url.to_string()),
                    message: format!("renewing the access token failed: {message}"),
                },
            })?;
        // Moneybird may rotate the refresh token: keep whichever came back.
        let refresh = tokens.refresh_token.clone().unwrap_or(current);
        credentials::update(&self.file, |stored| {
            stored.moneybird = Some(MoneybirdCredential::Oauth {
                access_token: tokens.access_token.clone(),
                refresh_token: Some(refresh.clone()),
                client_secret: self.app.client_secret.clone(),
            });
        })
        .map_err(|error| {
            MoneybirdError::Unauthorized(format!(
                "the renewed access token could not be saved: {error:#}"
            ))
        })?;
        self.refresh_token.replace(refresh);
        Ok(tokens.access_token)
    }
}

/// A payment by the short number shown in the tables, or by its CCV reference.
pub fn find_payment(store: &Store, id_or_reference: &str) -> anyhow::Result<PaymentRow> {
    let wanted = id_or_reference.trim().trim_start_matches('#');
    let found = match wanted.parse::<i64>() {
        Ok(id) => store.payment(id)?,
        Err(_) => store.payment_by_reference(wanted)?,
    };
    found.ok_or_else(|| {
        user_error(
            format!("no payment `{id_or_reference}` is known"),
            "use the id from `ccv-moneybird status --tab all`, or a CCV reference",
        )
    })
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Demo(args) => demo::run(&args),
        Command::Connect(args) => connect::run(cli.config.as_deref(), &args),
        command => {
            let mut context = Context::load(cli.config.as_deref())?;
            context.interactive = !cli.quiet && std::io::stderr().is_terminal();
            match command {
                Command::Sync(args) => sync::run(&context, &args),
                Command::Recheck(args) => recheck::run(&context, &args),
                Command::Status(args) => status::run(&context, &args),
                Command::Info(args) => info::run(&context, &args),
                Command::Retry(args) => retry::run(&context, &args),
                Command::Report(args) => report::run(&context, &args),
                Command::Resolve(args) => resolve::run(&context, &args),
                Command::Demo(_) | Command::Connect(_) => unreachable!("handled above"),
            }
        }
    }
}
