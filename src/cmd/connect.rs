//! `connect ccv` and `connect moneybird`: the three installation steps of the manual (§4).
//! Every prompt has a flag or environment variable, so the same steps run without a
//! terminal.

use std::collections::BTreeMap;
use std::io::{BufRead as _, IsTerminal as _};
use std::net::TcpListener;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use clap::{Args, Subcommand};

use crate::ccv::CcvClient;
use crate::config::{MONEYBIRD_TOKEN_ENV, Settings, Shop};
use crate::credentials::{self, CLIENT_SECRET_ENV, MoneybirdCredential};
use crate::error::user_error;
use crate::moneybird::oauth::{self, App, Redirect};
use crate::moneybird::{LedgerAccount, MoneybirdClient, MoneybirdError};

/// Connect to CCV or Moneybird and store the credentials (owner-only)
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  ccv-moneybird connect ccv\n  ccv-moneybird connect ccv --api-key-stdin < key.txt\n  ccv-moneybird connect moneybird\n  ccv-moneybird connect moneybird --ledger-account ideal=new --ledger-account card=496081700000000002"
)]
pub struct ConnectArgs {
    #[command(subcommand)]
    pub service: Service,
}

#[derive(Debug, Subcommand)]
pub enum Service {
    /// Check a CCV API key and store it
    Ccv(CcvArgs),
    /// Connect a Moneybird administration (personal token or OAuth), then map the CCV
    /// payment methods to their tussenrekeningen
    Moneybird(MoneybirdArgs),
}

#[derive(Debug, Args)]
pub struct CcvArgs {
    /// Read the API key from standard input instead of asking for it
    #[arg(long)]
    pub api_key_stdin: bool,

    /// The key of this `[[ccv.shops]]` entry (added to the config when it is not there yet)
    #[arg(long, value_name = "NAME")]
    pub shop: Option<String>,
}

#[derive(Debug, Args)]
pub struct MoneybirdArgs {
    /// Read a personal API token from standard input instead of asking for it
    #[arg(long)]
    pub token_stdin: bool,

    /// The administration to use, when the token sees several
    #[arg(long, value_name = "ID")]
    pub administration: Option<String>,

    /// Map a CCV payment method to a Moneybird ledger account id; `new` creates a
    /// tussenrekening for it, `none` removes the mapping (repeatable)
    #[arg(long = "ledger-account", value_name = "METHOD=ID")]
    pub ledger_accounts: Vec<String>,

    /// Leave the tussenrekeningen as they are
    #[arg(long)]
    pub skip_ledger_accounts: bool,
}

pub fn run(config: Option<&Path>, args: &ConnectArgs) -> anyhow::Result<()> {
    let settings = Settings::load(config)?;
    match &args.service {
        Service::Ccv(args) => connect_ccv(&settings, args),
        Service::Moneybird(args) => connect_moneybird(&settings, args),
    }
}

fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

fn read_stdin_line(what: &str) -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let line = line.trim().to_string();
    if line.is_empty() {
        return Err(user_error(
            t!("connect-stdin-empty", what = what),
            t!("connect-stdin-empty-hint", what = what),
        ));
    }
    Ok(line)
}

/// Asks at the terminal; without one, names the flag (if any) and variable to use instead.
fn ask_secret(
    prompt: &str,
    flag: Option<&str>,
    variable: &str,
    what: &str,
) -> anyhow::Result<String> {
    if !interactive() {
        let hint = match flag {
            Some(flag) => t!("connect-pipe-or-set", flag = flag, variable = variable),
            None => t!("connect-set", variable = variable),
        };
        return Err(user_error(t!("connect-no-terminal", what = what), hint));
    }
    // No "[hidden]" echoed after the answer: English dialoguer would print it in any language.
    let answer = dialoguer::Password::new()
        .with_prompt(prompt)
        .report(false)
        .interact()?;
    Ok(answer.trim().to_string())
}

fn env_value(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

/// The shop a key is for: the single `[ccv]`, or a named one, added to the config if new.
fn shop_to_connect(settings: &Settings, args: &CcvArgs) -> anyhow::Result<Shop> {
    let named = settings.shops.iter().any(|shop| shop.name.is_some());
    let Some(wanted) = args.shop.as_deref().map(str::trim) else {
        if named {
            let names: Vec<&str> = settings
                .shops
                .iter()
                .filter_map(|shop| shop.name.as_deref())
                .collect();
            return Err(user_error(
                t!("connect-which-shop"),
                t!("connect-which-shop-hint", shops = names.join(", ")),
            ));
        }
        return Ok(settings.shops[0].clone());
    };
    if let Some(shop) = settings
        .shops
        .iter()
        .find(|shop| shop.name.as_deref() == Some(wanted))
    {
        return Ok(shop.clone());
    }
    let shop = Shop {
        name: Some(wanted.to_string()),
        base_url: settings.ccv_base_url.clone(),
    };
    if wanted.is_empty() {
        return Err(user_error(
            t!("config-bad-shop-name", name = wanted),
            t!("config-bad-shop-name-hint"),
        ));
    }
    Ok(shop)
}

/// Adds a `[[ccv.shops]]` entry for a shop first connected by name.
fn add_shop(settings: &Settings, shop: &Shop) -> anyhow::Result<()> {
    let Some(name) = &shop.name else {
        return Ok(());
    };
    if settings.shops.iter().any(|known| known == shop) {
        return Ok(());
    }
    crate::config::edit(&settings.config_path, |document| {
        if document.get("ccv").is_none() {
            document["ccv"] = toml_edit::table();
        }
        let ccv = &mut document["ccv"];
        if ccv.get("shops").is_none() {
            ccv["shops"] = toml_edit::Item::ArrayOfTables(toml_edit::ArrayOfTables::new());
        }
        if let Some(shops) = ccv["shops"].as_array_of_tables_mut() {
            let mut entry = toml_edit::Table::new();
            entry["name"] = toml_edit::value(name.clone());
            shops.push(entry);
        }
    })
}

fn connect_ccv(settings: &Settings, args: &CcvArgs) -> anyhow::Result<()> {
    let shop = shop_to_connect(settings, args)?;
    let variable = shop.key_variable();
    let key = if args.api_key_stdin {
        read_stdin_line(&t!("connect-what-ccv-key"))?
    } else if let Some(key) = env_value(&variable) {
        key
    } else {
        ask_secret(
            &t!("connect-prompt-ccv-key"),
            Some("--api-key-stdin"),
            &variable,
            &t!("connect-what-ccv-key"),
        )?
    };
    if key.is_empty() {
        return Err(user_error(
            t!("connect-ccv-empty"),
            t!("connect-ccv-empty-hint"),
        ));
    }
    let http = crate::http::client()?;
    let ccv = CcvClient::new(http, &shop.base_url, &key);
    let methods = ccv
        .payment_methods()
        .map_err(crate::error::first_contact_with_ccv)?;
    let file = credentials::path(settings);
    credentials::update(&file, |stored| match &shop.name {
        None => stored.ccv_api_key = Some(key.clone()),
        Some(name) => {
            stored.ccv_shops.insert(name.clone(), key.clone());
        }
    })?;
    add_shop(settings, &shop)?;
    let kind = match key.get(..2) {
        Some("t_") => t!("connect-ccv-test-key"),
        Some("l_") => t!("connect-ccv-live-key"),
        _ => t!("connect-ccv-unknown-key"),
    };
    crate::view::say(t!("connect-ccv-connected", kind = kind))?;
    if methods.is_empty() {
        crate::view::say(t!("connect-ccv-no-methods"))?;
    } else {
        crate::view::say(t!("connect-ccv-methods", methods = methods.join(", ")))?;
    }
    crate::view::say(t!("connect-ccv-stored", path = file.display().to_string()))?;
    Ok(())
}

fn connect_moneybird(settings: &Settings, args: &MoneybirdArgs) -> anyhow::Result<()> {
    let http = crate::http::client()?;
    let (credential, administrations) = administrations(settings, args, &http)?;
    let chosen = choose_administration(&administrations, args.administration.as_deref())?;
    let file = credentials::path(settings);
    credentials::update(&file, |stored| stored.moneybird = Some(credential.clone()))?;
    crate::config::edit(&settings.config_path, |document| {
        document["moneybird"]["administration_id"] = toml_edit::value(chosen.id.clone());
    })?;
    crate::view::say(t!(
        "connect-moneybird-connected",
        name = &chosen.name,
        id = &chosen.id
    ))?;
    crate::view::say(t!(
        "connect-moneybird-stored",
        path = file.display().to_string(),
        config = settings.config_path.display().to_string()
    ))?;
    if args.skip_ledger_accounts {
        return Ok(());
    }
    let client = MoneybirdClient::new(
        http.clone(),
        &settings.moneybird_base_url,
        credential.bearer(),
        Some(chosen.id.clone()),
        settings.max_wait,
    );
    map_ledger_accounts(settings, args, &client, &http)
}

/// The credential to connect with, and the administrations Moneybird shows it: a token
/// given now, else the one stored (asked anew when Moneybird no longer takes it), else a
/// new one.
fn administrations(
    settings: &Settings,
    args: &MoneybirdArgs,
    http: &reqwest::blocking::Client,
) -> anyhow::Result<(MoneybirdCredential, Vec<crate::moneybird::Administration>)> {
    let stored = credentials::load(&credentials::path(settings))
        .ok()
        .and_then(|stored| stored.moneybird);
    let from_stored =
        !args.token_stdin && env_value(MONEYBIRD_TOKEN_ENV).is_none() && stored.is_some();
    let credential = if args.token_stdin {
        MoneybirdCredential::Personal {
            token: read_stdin_line(&t!("connect-what-moneybird-token"))?,
        }
    } else if let Some(token) = env_value(MONEYBIRD_TOKEN_ENV) {
        MoneybirdCredential::Personal { token }
    } else if let Some(stored) = stored {
        // Run again (a later step failed, or to change a choice): the credential already
        // stored is used, not asked for again; `--token-stdin` replaces it. One Moneybird
        // no longer takes is asked for anew below, never sent round in a circle.
        crate::view::say_err(t!("connect-using-stored"));
        stored
    } else {
        fresh_credential(settings, http)?
    };
    let read = |credential: &MoneybirdCredential| {
        MoneybirdClient::new(
            http.clone(),
            &settings.moneybird_base_url,
            credential.bearer(),
            None,
            settings.max_wait,
        )
        .administrations()
    };
    let (credential, answer) = match read(&credential) {
        Err(MoneybirdError::Unauthorized(_)) if from_stored => {
            crate::view::say_err(t!("connect-stored-refused"));
            let fresh = fresh_credential(settings, http)?;
            let answer = read(&fresh);
            (fresh, answer)
        }
        answer => (credential, answer),
    };
    let administrations = answer.map_err(crate::error::first_contact_with_moneybird)?;
    Ok((credential, administrations))
}

/// A new Moneybird credential: the OAuth login where it is set up, else a personal token
/// asked for.
fn fresh_credential(
    settings: &Settings,
    http: &reqwest::blocking::Client,
) -> anyhow::Result<MoneybirdCredential> {
    match &settings.oauth {
        Some(oauth) => oauth_login(settings, oauth, http),
        None => Ok(MoneybirdCredential::Personal {
            token: ask_secret(
                &t!("connect-prompt-moneybird-token"),
                Some("--token-stdin"),
                MONEYBIRD_TOKEN_ENV,
                &t!("connect-what-moneybird-token"),
            )?,
        }),
    }
}

fn choose_administration<'a>(
    administrations: &'a [crate::moneybird::Administration],
    wanted: Option<&str>,
) -> anyhow::Result<&'a crate::moneybird::Administration> {
    let listing = || {
        administrations
            .iter()
            .map(|administration| format!("{} ({})", administration.id, administration.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(wanted) = wanted {
        return administrations
            .iter()
            .find(|administration| administration.id == wanted)
            .ok_or_else(|| {
                user_error(
                    t!("connect-no-such-administration", id = wanted),
                    t!("connect-it-sees", administrations = listing()),
                )
            });
    }
    match administrations {
        [] => Err(user_error(
            t!("connect-no-administration"),
            t!("connect-no-administration-hint"),
        )),
        [only] => Ok(only),
        several if interactive() => {
            let names: Vec<String> = several
                .iter()
                .map(|administration| {
                    crate::text::for_terminal(&format!(
                        "{} ({})",
                        administration.name, administration.id
                    ))
                    .into_owned()
                })
                .collect();
            let index = dialoguer::Select::new()
                .with_prompt(t!("connect-pick-administration"))
                .items(&names)
                .default(0)
                .interact()?;
            Ok(&several[index])
        }
        several => Err(user_error(
            t!("connect-several-administrations", count = several.len()),
            t!(
                "connect-several-administrations-hint",
                administrations = listing()
            ),
        )),
    }
}

/// The OAuth authorization-code flow: the browser (or the user) brings back a code, which
/// is exchanged for an access and a refresh token.
fn oauth_login(
    settings: &Settings,
    section: &crate::config::OAuthSection,
    http: &reqwest::blocking::Client,
) -> anyhow::Result<MoneybirdCredential> {
    let client_secret = match env_value(CLIENT_SECRET_ENV) {
        Some(secret) => secret,
        None => ask_secret(
            &t!("connect-prompt-client-secret"),
            None,
            CLIENT_SECRET_ENV,
            &t!("connect-what-client-secret"),
        )?,
    };
    let app = App {
        base_url: settings.moneybird_base_url.clone(),
        client_id: section.client_id.clone(),
        client_secret: client_secret.clone(),
        redirect_uri: section.redirect_uri.clone(),
    };
    let (url, state, verifier) = app.authorize_url(settings.payouts.is_some())?;
    let (sender, receiver) = mpsc::channel::<anyhow::Result<String>>();
    let listening = listen_for_code(&section.redirect_uri, &state, &sender);
    eprintln!("{}\n\n  {url}\n", t!("connect-open-address"));
    let browser = open_browser(url.as_str());
    // Without a listener, or without a browser here (e.g. over SSH), the user pastes the
    // code or the address the browser ended on.
    if !listening || (!browser && interactive()) {
        crate::view::say_err(t!("connect-paste-code"));
        let state = state.clone();
        std::thread::spawn(move || {
            let mut line = String::new();
            let result = std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(anyhow::Error::from)
                .and_then(|_| oauth::code_from_pasted(&line, &state));
            let _ = sender.send(result);
        });
    } else {
        drop(sender);
        crate::view::say_err(t!(
            "connect-waiting",
            address = section.redirect_uri.to_string()
        ));
    }
    let code = receiver
        .recv()
        .map_err(|_| anyhow::anyhow!(t!("connect-no-answer")))??;
    let tokens = app
        .exchange_code(http, &code, &verifier)
        .map_err(|error| match error {
            oauth::OAuthError::InvalidClient => user_error(
                t!("connect-client-refused"),
                t!("connect-client-refused-hint", variable = CLIENT_SECRET_ENV),
            ),
            other => anyhow::Error::new(other).context(t!("connect-code-not-exchanged")),
        })?;
    Ok(MoneybirdCredential::Oauth {
        access_token: tokens.access_token,
        refresh_token: tokens.refresh_token,
        client_secret,
    })
}

/// Listens at a loopback redirect address for the browser bringing the code, on a thread
/// that sends it. Returns whether it listens.
fn listen_for_code(
    redirect_uri: &str,
    state: &str,
    sender: &mpsc::Sender<anyhow::Result<String>>,
) -> bool {
    let Redirect::Loopback { address, path } = oauth::redirect_kind(redirect_uri) else {
        return false;
    };
    match TcpListener::bind(address) {
        Ok(listener) => {
            let sender = sender.clone();
            let state = state.to_string();
            std::thread::spawn(move || {
                let _ = sender.send(oauth::receive_code(
                    &listener,
                    &path,
                    &state,
                    Duration::from_secs(600),
                ));
            });
            true
        }
        Err(error) => {
            crate::view::say_err(t!(
                "connect-cannot-listen",
                address = address.to_string(),
                error = error.to_string()
            ));
            false
        }
    }
}

/// Opens the address in a browser when there is one to open. Returns whether it tried.
fn open_browser(url: &str) -> bool {
    let graphical = std::env::var_os("DISPLAY").is_some()
        || std::env::var_os("WAYLAND_DISPLAY").is_some()
        || cfg!(target_os = "macos");
    graphical && interactive() && open::that_detached(url).is_ok()
}

/// Step 3 of the manual: each CCV payment method to its tussenrekening, or to none.
fn map_ledger_accounts(
    settings: &Settings,
    args: &MoneybirdArgs,
    client: &MoneybirdClient,
    http: &reqwest::blocking::Client,
) -> anyhow::Result<()> {
    let mut ledgers = client
        .ledger_accounts()
        .map_err(|error| anyhow::Error::new(error).context(t!("connect-cannot-read-ledgers")))?;
    let ccv_methods = active_ccv_methods(settings, http);
    let mut mapping = mapping_from_flags(args, client, &mut ledgers, &ccv_methods)?;
    if interactive() {
        let unasked: Vec<&String> = ccv_methods
            .iter()
            .filter(|method| !mapping.contains_key(*method))
            .collect();
        for method in unasked {
            let choice = ask_mapping(method, settings.ledger_accounts.get(method), &ledgers)?;
            let target = match choice {
                Choice::Keep => continue,
                Choice::Nothing => None,
                Choice::Ledger(id) => Some(id),
                Choice::Create => Some(create(client, method, &mut ledgers)?),
            };
            // Kept at once: a step that fails later loses none of the choices made.
            save_mapping(
                settings,
                &BTreeMap::from([(method.clone(), target.clone())]),
            )?;
            mapping.insert(method.clone(), target);
        }
    } else if mapping.is_empty() && !ccv_methods.is_empty() {
        crate::view::say_err(t!(
            "connect-ledgers-unchanged",
            methods = ccv_methods.join(", ")
        ));
    }
    if mapping.is_empty() {
        return Ok(());
    }
    save_mapping(settings, &mapping)?;
    for (method, target) in &mapping {
        let name = target
            .as_ref()
            .and_then(|id| ledgers.iter().find(|ledger| &ledger.id == id))
            .map_or_else(|| t!("connect-no-tussenrekening"), ledger_label);
        crate::view::say(format!("{method:<14} → {name}"))?;
    }
    Ok(())
}

/// A ledger account as the bookkeeper knows it: its code and name (its id only where it
/// has no code).
fn ledger_label(ledger: &LedgerAccount) -> String {
    let text = match ledger.code.as_deref().filter(|code| !code.is_empty()) {
        Some(code) => format!("{code} {}", ledger.name),
        None => format!("{} ({})", ledger.name, ledger.id),
    };
    crate::text::for_terminal(&text).into_owned()
}

/// Writes these methods' tussenrekeningen into the config (`None` removes one).
fn save_mapping(
    settings: &Settings,
    mapping: &BTreeMap<String, Option<String>>,
) -> anyhow::Result<()> {
    crate::config::edit(&settings.config_path, |document| {
        if document.get("ledger_accounts").is_none() {
            document["ledger_accounts"] = toml_edit::table();
        }
        for (method, target) in mapping {
            match target {
                Some(id) => {
                    document["ledger_accounts"][method.as_str()] = toml_edit::value(id.clone())
                }
                None => {
                    if let Some(table) = document["ledger_accounts"].as_table_like_mut() {
                        table.remove(method);
                    }
                }
            }
        }
    })
}

/// The mapping the `--ledger-account METHOD=ID` flags ask for: `none` removes one, `new`
/// creates (or reuses) a tussenrekening, an id must exist in Moneybird, and a method must be
/// one CCV offers.
fn mapping_from_flags(
    args: &MoneybirdArgs,
    client: &MoneybirdClient,
    ledgers: &mut Vec<LedgerAccount>,
    ccv_methods: &[String],
) -> anyhow::Result<BTreeMap<String, Option<String>>> {
    let mut mapping: BTreeMap<String, Option<String>> = BTreeMap::new();
    for pair in &args.ledger_accounts {
        let Some((method, id)) = pair.split_once('=') else {
            return Err(user_error(
                t!("connect-bad-pair", pair = pair),
                t!("connect-bad-pair-hint"),
            ));
        };
        let method = method.trim().to_ascii_lowercase();
        // Removing a mapping is always allowed: the method may have been switched off.
        if id.trim() != "none" && !ccv_methods.is_empty() && !ccv_methods.contains(&method) {
            return Err(user_error(
                t!("connect-no-such-method", method = &method),
                t!("connect-methods-offered", methods = ccv_methods.join(", ")),
            ));
        }
        let target = match id.trim() {
            "none" => None,
            "new" => Some(create(client, &method, ledgers)?),
            id => {
                match ledgers.iter().find(|ledger| ledger.id == id) {
                    None => {
                        return Err(user_error(
                            t!("connect-no-such-ledger", id = id),
                            t!("connect-pick-one-of", ledgers = describe_ledgers(ledgers)),
                        ));
                    }
                    // The debtors' account, a bank's, revenue: no place to park a payment.
                    Some(ledger) if !ledger.can_take_payments() => {
                        return Err(user_error(
                            t!(
                                "connect-not-a-tussenrekening",
                                ledger = ledger_label(ledger)
                            ),
                            t!("connect-pick-one-of", ledgers = describe_ledgers(ledgers)),
                        ));
                    }
                    Some(_) => {}
                }
                Some(id.to_string())
            }
        };
        mapping.insert(method, target);
    }
    Ok(mapping)
}

fn create(
    client: &MoneybirdClient,
    method: &str,
    ledgers: &mut Vec<LedgerAccount>,
) -> anyhow::Result<String> {
    let name = format!("Tussenrekening CCV {method}");
    // `new` twice, or an account made by hand as "Tussenrekening CCV iDEAL": one is enough.
    if let Some(existing) = ledgers
        .iter()
        .find(|ledger| ledger.name.trim().eq_ignore_ascii_case(&name) && ledger.can_take_payments())
    {
        crate::view::say(t!(
            "connect-ledger-existing",
            name = &existing.name,
            id = &existing.id
        ))?;
        return Ok(existing.id.clone());
    }
    let created = client.create_tussenrekening(&name).map_err(|error| {
        anyhow::Error::new(error).context(t!("connect-cannot-create-ledger", name = &name))
    })?;
    if !created.can_take_payments() {
        return Err(user_error(
            t!(
                "connect-ledger-wrong-type",
                name = &created.name,
                id = &created.id,
                kind = &created.account_type
            ),
            t!("connect-ledger-wrong-type-hint"),
        ));
    }
    crate::view::say(t!(
        "connect-ledger-created",
        name = &created.name,
        id = &created.id
    ))?;
    let id = created.id.clone();
    ledgers.push(created);
    Ok(id)
}

fn describe_ledgers(ledgers: &[LedgerAccount]) -> String {
    ledgers
        .iter()
        .filter(|ledger| ledger.can_take_payments())
        .map(|ledger| format!("{} = {}", ledger.id, ledger_label(ledger)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The methods CCV has active in any shop whose key is at hand; none without a key.
fn active_ccv_methods(settings: &Settings, http: &reqwest::blocking::Client) -> Vec<String> {
    let Ok(secrets) = credentials::Secrets::load(settings) else {
        return Vec::new();
    };
    let mut methods: Vec<String> = Vec::new();
    for shop in &settings.shops {
        let Ok((key, _)) = secrets.ccv_key_of(shop) else {
            continue;
        };
        for method in CcvClient::new(http.clone(), &shop.base_url, key)
            .payment_methods()
            .unwrap_or_default()
        {
            if method != "landingpage" && !methods.contains(&method) {
                methods.push(method);
            }
        }
    }
    methods
}

enum Choice {
    Keep,
    Nothing,
    Ledger(String),
    Create,
}

fn ask_mapping(
    method: &str,
    current: Option<&String>,
    ledgers: &[LedgerAccount],
) -> anyhow::Result<Choice> {
    let candidates: Vec<&LedgerAccount> = ledgers
        .iter()
        .filter(|ledger| ledger.can_take_payments())
        .collect();
    let mut items = Vec::new();
    if let Some(current) = current {
        let known = ledgers.iter().find(|ledger| &ledger.id == current);
        items.push(t!(
            "connect-keep",
            current = known.map_or_else(|| current.clone(), ledger_label)
        ));
    }
    items.push(t!("connect-no-tussenrekening"));
    items.extend(candidates.iter().map(|ledger| ledger_label(ledger)));
    items.push(t!("connect-create", method = method));
    let index = dialoguer::Select::new()
        .with_prompt(t!("connect-pick-tussenrekening", method = method))
        .items(&items)
        .default(0)
        .interact()?;
    let offset = usize::from(current.is_some());
    Ok(match index {
        0 if current.is_some() => Choice::Keep,
        index if index == offset => Choice::Nothing,
        index if index == items.len() - 1 => Choice::Create,
        index => Choice::Ledger(candidates[index - offset - 1].id.clone()),
    })
}
