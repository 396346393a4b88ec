//! `config.toml`: where it lives, what it may hold, and the checks that turn it into
//! [`Settings`]. Secrets never live here; see [`Secrets`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::Deserialize;
use url::Url;

use crate::error::user_error;
use crate::i18n::Lang;
use crate::money::Cents;

/// The largest `[booking] rounding_tolerance` (docs/contract.md): 1.00.
pub const MAX_ROUNDING_TOLERANCE: Cents = Cents(100);

/// `--state PATH`: the state database the command line names, over the config's. The
/// scheduled runs name it so, as the installing shell resolved it, so that cron's own
/// environment can never point them at another, empty state.
pub static STATE_OVERRIDE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

pub const CONFIG_ENV: &str = "CCV_MONEYBIRD_CONFIG";
pub const CCV_API_KEY_ENV: &str = "CCV_API_KEY";
pub const MONEYBIRD_TOKEN_ENV: &str = "MONEYBIRD_TOKEN";
const APP_DIR: &str = "ccv-moneybird";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub ccv: CcvSection,
    #[serde(default)]
    pub moneybird: MoneybirdSection,
    #[serde(default)]
    pub state: StateSection,
    #[serde(default)]
    pub booking: BookingSection,
    #[serde(default)]
    pub ledger_accounts: BTreeMap<String, String>,
    #[serde(default)]
    pub ui: UiSection,
    /// Linking CCV's payouts to the bank lines, when set.
    pub payouts: Option<PayoutsSection>,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PayoutsSection {
    /// The Moneybird financial account of the bank where CCV's payouts arrive.
    pub financial_account_id: String,
    /// The ledger account CCV's costs (gross minus received) are booked on.
    pub costs_ledger_account_id: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiSection {
    /// "nl" or "en"; unset means the locale's (docs/contract.md, "Language").
    pub language: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CcvSection {
    #[serde(default = "default_ccv_base_url")]
    pub base_url: String,
    /// Several CCV webshops feeding one administration, each with its own API key.
    #[serde(default)]
    pub shops: Vec<ShopSection>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShopSection {
    pub name: String,
    pub base_url: Option<String>,
}

/// One CCV account the payments come from: the single `[ccv]`, or a `[[ccv.shops]]` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shop {
    /// `None` for the single `[ccv]` form.
    pub name: Option<String>,
    pub base_url: Url,
}

impl Shop {
    /// `CCV_API_KEY_<NAME>`: the name upper-cased, anything but A–Z and 0–9 as `_`.
    pub fn key_variable(&self) -> String {
        match &self.name {
            None => CCV_API_KEY_ENV.to_string(),
            Some(name) => format!(
                "{CCV_API_KEY_ENV}_{}",
                name.chars()
                    .map(|c| if c.is_ascii_alphanumeric() {
                        c.to_ascii_uppercase()
                    } else {
                        '_'
                    })
                    .collect::<String>()
            ),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoneybirdSection {
    #[serde(default = "default_moneybird_base_url")]
    pub base_url: String,
    pub administration_id: Option<String>,
    /// The longest a run waits for Moneybird's rate limit before it leaves the rest for
    /// the next run.
    #[serde(default = "default_max_wait_seconds")]
    pub max_wait_seconds: u64,
    pub oauth: Option<OAuthSection>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthSection {
    pub client_id: String,
    pub redirect_uri: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateSection {
    pub path: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookingSection {
    #[serde(default = "default_timezone")]
    pub timezone: String,
    #[serde(default = "default_first_sync_days")]
    pub first_sync_days: u32,
    #[serde(default = "default_true")]
    pub allow_partial: bool,
    #[serde(default = "default_tolerance")]
    pub rounding_tolerance: String,
}

fn default_ccv_base_url() -> String {
    "https://api.psp.ccv.eu".into()
}
fn default_moneybird_base_url() -> String {
    "https://moneybird.com".into()
}
fn default_max_wait_seconds() -> u64 {
    330
}
fn default_timezone() -> String {
    "Europe/Amsterdam".into()
}
fn default_first_sync_days() -> u32 {
    30
}
fn default_true() -> bool {
    true
}
fn default_tolerance() -> String {
    "0.00".into()
}

impl Default for CcvSection {
    fn default() -> Self {
        CcvSection {
            base_url: default_ccv_base_url(),
            shops: Vec::new(),
        }
    }
}

impl Default for MoneybirdSection {
    fn default() -> Self {
        MoneybirdSection {
            base_url: default_moneybird_base_url(),
            administration_id: None,
            max_wait_seconds: default_max_wait_seconds(),
            oauth: None,
        }
    }
}

impl Default for BookingSection {
    fn default() -> Self {
        BookingSection {
            timezone: default_timezone(),
            first_sync_days: default_first_sync_days(),
            allow_partial: true,
            rounding_tolerance: default_tolerance(),
        }
    }
}

/// `[ui] language` of the config a command will use, read before anything else so that
/// `--help` and the first errors speak it too; anything unreadable is left to `load` to say.
pub fn peek_language(explicit: Option<&Path>) -> Option<Lang> {
    let path = explicit
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os(CONFIG_ENV).map(PathBuf::from))
        .or_else(|| config_dir().ok().map(|dir| dir.join("config.toml")))?;
    let text = std::fs::read_to_string(path).ok()?;
    let value: toml::Table = toml::from_str(&text).ok()?;
    Lang::parse(value.get("ui")?.get("language")?.as_str()?)
}

/// The checked configuration every command works with.
#[derive(Clone, Debug)]
pub struct Settings {
    pub config_path: PathBuf,
    pub ccv_base_url: Url,
    /// Where the payments come from: one unnamed shop, or each `[[ccv.shops]]` entry.
    pub shops: Vec<Shop>,
    pub moneybird_base_url: Url,
    pub administration_id: Option<String>,
    pub state_path: PathBuf,
    pub timezone: chrono_tz::Tz,
    pub first_sync_days: u32,
    pub allow_partial: bool,
    pub rounding_tolerance: Cents,
    /// CCV payment method → Moneybird ledger account id (the "tussenrekening").
    pub ledger_accounts: BTreeMap<String, String>,
    /// The user's OAuth application, when `connect moneybird` should use OAuth.
    pub oauth: Option<OAuthSection>,
    pub max_wait: std::time::Duration,
    /// `[ui] language`; `None` leaves the choice to the locale.
    pub language: Option<Lang>,
    /// `[payouts]`: `None` leaves payouts alone (and costs no request).
    pub payouts: Option<PayoutsSection>,
}

impl Settings {
    /// Loads the config named by `--config`, else `CCV_MONEYBIRD_CONFIG`, else the XDG
    /// default. A missing file at the default place means "all defaults"; a missing file
    /// that the user named explicitly is an error.
    pub fn load(explicit: Option<&Path>) -> anyhow::Result<Settings> {
        let from_env = std::env::var_os(CONFIG_ENV).map(PathBuf::from);
        let named = explicit.map(Path::to_path_buf).or(from_env);
        let path = match &named {
            Some(path) => path.clone(),
            None => config_dir()?.join("config.toml"),
        };
        let file = match std::fs::read_to_string(&path) {
            Ok(text) => parse_config(&text, &path)?,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound && named.is_none() => {
                ConfigFile::default()
            }
            Err(error) => {
                return Err(anyhow::Error::new(error)
                    .context(t!("config-cannot-read", path = path.display().to_string())));
            }
        };
        Settings::from_file(file, path)
    }

    pub fn from_file(file: ConfigFile, config_path: PathBuf) -> anyhow::Result<Settings> {
        let ccv_base_url = checked_base_url("ccv.base_url", &file.ccv.base_url)?;
        let shops = shops(&file.ccv, &ccv_base_url)?;
        let moneybird_base_url = checked_base_url("moneybird.base_url", &file.moneybird.base_url)?;
        let timezone: chrono_tz::Tz = file.booking.timezone.parse().map_err(|_| {
            user_error(
                t!("config-bad-timezone", value = &file.booking.timezone),
                t!("config-bad-timezone-hint"),
            )
        })?;
        let rounding_tolerance = Cents::parse_decimal(&file.booking.rounding_tolerance)
            .ok()
            .filter(|cents| cents.0 >= 0)
            .ok_or_else(|| {
                user_error(
                    t!(
                        "config-bad-tolerance",
                        value = &file.booking.rounding_tolerance
                    ),
                    t!("config-bad-tolerance-hint"),
                )
            })?;
        // A tolerance writes money off silently; more than a euro is no rounding.
        if rounding_tolerance > MAX_ROUNDING_TOLERANCE {
            return Err(user_error(
                t!(
                    "config-tolerance-too-large",
                    value = &file.booking.rounding_tolerance
                ),
                t!("config-tolerance-too-large-hint"),
            ));
        }
        let state_path = match (STATE_OVERRIDE.get(), file.state.path) {
            (Some(path), _) => std::path::absolute(path)?,
            (None, Some(path)) => resolve_path(&path, &config_path)?,
            (None, None) => data_dir()?.join("state.sqlite3"),
        };
        let administration_id = file
            .moneybird
            .administration_id
            .filter(|id| !id.trim().is_empty());
        let language = match file.ui.language.as_deref() {
            None => None,
            Some(text) => Some(Lang::parse(text).ok_or_else(|| {
                user_error(
                    t!("config-bad-language", value = text),
                    t!("config-bad-language-hint"),
                )
            })?),
        };
        Ok(Settings {
            config_path,
            ccv_base_url,
            shops,
            moneybird_base_url,
            administration_id,
            state_path,
            timezone,
            first_sync_days: file.booking.first_sync_days,
            allow_partial: file.booking.allow_partial,
            rounding_tolerance,
            ledger_accounts: file.ledger_accounts,
            oauth: file.moneybird.oauth,
            max_wait: std::time::Duration::from_secs(file.moneybird.max_wait_seconds),
            language,
            payouts: file.payouts,
        })
    }

    pub fn administration_id(&self) -> anyhow::Result<&str> {
        self.administration_id.as_deref().ok_or_else(|| {
            user_error(
                t!(
                    "config-no-administration",
                    path = self.config_path.display().to_string()
                ),
                t!("config-no-administration-hint"),
            )
        })
    }

    /// The run lock sits beside the state database, so two configs that share a database
    /// also share the lock.
    pub fn lock_path(&self) -> PathBuf {
        let mut name = self.state_path.as_os_str().to_owned();
        name.push(".lock");
        PathBuf::from(name)
    }
}

fn shops(section: &CcvSection, default_url: &Url) -> anyhow::Result<Vec<Shop>> {
    if section.shops.is_empty() {
        return Ok(vec![Shop {
            name: None,
            base_url: default_url.clone(),
        }]);
    }
    let mut shops: Vec<Shop> = Vec::new();
    for entry in &section.shops {
        let name = entry.name.trim().to_string();
        let taken = shops.iter().any(|shop| {
            shop.name
                .as_deref()
                .is_some_and(|other| other.eq_ignore_ascii_case(&name))
        });
        if name.is_empty() || taken {
            return Err(user_error(
                t!("config-bad-shop-name", name = name),
                t!("config-bad-shop-name-hint"),
            ));
        }
        let base_url = match &entry.base_url {
            Some(url) => checked_base_url(&format!("ccv.shops.{name}.base_url"), url)?,
            None => default_url.clone(),
        };
        shops.push(Shop {
            name: Some(name),
            base_url,
        });
    }
    Ok(shops)
}

fn parse_config(text: &str, path: &Path) -> anyhow::Result<ConfigFile> {
    toml::from_str(text).map_err(|error| {
        let place = error
            .span()
            .map(|span| {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.len() - before.rfind('\n').map_or(0, |at| at + 1) + 1;
                t!("config-place", line = line, column = column)
            })
            .unwrap_or_default();
        user_error(
            t!(
                "config-invalid",
                path = path.display().to_string(),
                place = place,
                error = error.message()
            ),
            t!("doctor-config-fix"),
        )
    })
}

fn checked_base_url(key: &str, text: &str) -> anyhow::Result<Url> {
    let url = Url::parse(text).map_err(|error| {
        user_error(
            t!(
                "config-bad-url",
                key = key,
                value = text,
                error = error.to_string()
            ),
            t!("config-bad-url-hint", host = example_host(key)),
        )
    })?;
    let loopback = match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        _ => Err(user_error(
            t!("config-not-https", key = key, value = text),
            t!("config-not-https-hint"),
        )),
    }
}

fn example_host(key: &str) -> &'static str {
    if key.starts_with("ccv") {
        "api.psp.ccv.eu"
    } else {
        "moneybird.com"
    }
}

/// A path from the config: `~` is the home directory, and a relative path is relative to the
/// config file's folder, not to wherever the command happens to run (cron runs in $HOME).
fn resolve_path(path: &Path, config_path: &Path) -> anyhow::Result<PathBuf> {
    if let Ok(rest) = path.strip_prefix("~") {
        return Ok(home_dir()?.join(rest));
    }
    if path.is_absolute() {
        return Ok(path.to_path_buf());
    }
    let folder = config_path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Ok(std::path::absolute(folder)
        .with_context(|| format!("cannot resolve {}", folder.display()))?
        .join(path))
}

fn home_dir() -> anyhow::Result<PathBuf> {
    std::env::var_os("HOME")
        .filter(|home| !home.is_empty())
        .map(PathBuf::from)
        .context(t!("config-no-home"))
}

fn xdg_dir(variable: &str, fallback: &str) -> anyhow::Result<PathBuf> {
    let base = match std::env::var_os(variable).filter(|value| !value.is_empty()) {
        Some(value) => PathBuf::from(value),
        None => home_dir()?.join(fallback),
    };
    Ok(base.join(APP_DIR))
}

pub fn config_dir() -> anyhow::Result<PathBuf> {
    xdg_dir("XDG_CONFIG_HOME", ".config")
}

pub fn data_dir() -> anyhow::Result<PathBuf> {
    xdg_dir("XDG_DATA_HOME", ".local/share")
}

/// Changes keys in the config file, keeping the user's comments and layout. Creates the
/// file when there is none yet. Written atomically: a crash leaves the old file whole.
pub fn edit(path: &Path, change: impl FnOnce(&mut toml_edit::DocumentMut)) -> anyhow::Result<()> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            "# ccv-moneybird configuration; see config.example.toml for every key.\n".to_string()
        }
        Err(error) => {
            return Err(anyhow::Error::new(error)
                .context(t!("file-cannot-read", path = path.display().to_string())));
        }
    };
    let mut document: toml_edit::DocumentMut =
        text.parse().map_err(|error: toml_edit::TomlError| {
            user_error(
                t!(
                    "config-invalid",
                    path = path.display().to_string(),
                    place = "",
                    error = error.message()
                ),
                t!("config-edit-invalid-hint"),
            )
        })?;
    change(&mut document);
    let directory = path
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(directory)
        .with_context(|| t!("file-cannot-create", path = directory.display().to_string()))?;
    let temporary = directory.join(format!(".config.toml.{}", std::process::id()));
    std::fs::write(&temporary, document.to_string())
        .and_then(|()| std::fs::rename(&temporary, path))
        .with_context(|| t!("config-cannot-write", path = path.display().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(text: &str) -> anyhow::Result<Settings> {
        let file = parse_config(text, Path::new("config.toml"))?;
        Settings::from_file(file, PathBuf::from("config.toml"))
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let error = settings("[ccv]\nbase_url = \n").unwrap_err();
        assert!(error.to_string().contains("line 2, column"), "{error}");
    }

    #[test]
    fn unknown_keys_are_refused() {
        let error = settings("[booking]\ntimezon = \"UTC\"\n").unwrap_err();
        assert!(error.to_string().contains("timezon"), "{error}");
    }

    #[test]
    fn plain_http_only_for_loopback() {
        assert!(settings("[ccv]\nbase_url = \"http://127.0.0.1:4000\"\n").is_ok());
        assert!(settings("[ccv]\nbase_url = \"http://localhost:4000\"\n").is_ok());
        assert!(settings("[ccv]\nbase_url = \"http://[::1]:4000\"\n").is_ok());
        let error = settings("[ccv]\nbase_url = \"http://api.psp.ccv.eu\"\n").unwrap_err();
        assert!(error.to_string().contains("must use https"), "{error}");
    }
}
