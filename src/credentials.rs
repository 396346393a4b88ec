//! Credentials: the CCV API key and the Moneybird token (personal, or OAuth with its
//! refresh token and client secret). Stored by `connect` in `credentials.toml` beside the
//! state database, readable by the owner only; the environment overrides what is stored.

use std::io::Write as _;
use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use crate::config::{CCV_API_KEY_ENV, MONEYBIRD_TOKEN_ENV, Settings};
use crate::error::user_error;

pub const CLIENT_SECRET_ENV: &str = "MONEYBIRD_CLIENT_SECRET";

/// What `connect` stores. Never printed: `Debug` shows which parts are present, not them.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stored {
    pub ccv_api_key: Option<String>,
    /// The API key of each `[[ccv.shops]]` entry, by name (`connect ccv --shop NAME`).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub ccv_shops: std::collections::BTreeMap<String, String>,
    pub moneybird: Option<MoneybirdCredential>,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum MoneybirdCredential {
    /// A personal API token: used as it is, never refreshed.
    Personal { token: String },
    /// An OAuth grant: the access token is renewed with the refresh token on a 401.
    Oauth {
        access_token: String,
        refresh_token: Option<String>,
        client_secret: String,
    },
}

impl MoneybirdCredential {
    pub fn bearer(&self) -> &str {
        match self {
            MoneybirdCredential::Personal { token } => token,
            MoneybirdCredential::Oauth { access_token, .. } => access_token,
        }
    }
}

impl std::fmt::Debug for Stored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stored")
            .field("ccv_api_key", &self.ccv_api_key.as_ref().map(|_| "…"))
            .field("moneybird", &self.moneybird.as_ref().map(|_| "…"))
            .finish()
    }
}

/// No key for this shop: what to run, or which variable to set.
pub fn missing_key(shop: &crate::config::Shop) -> anyhow::Error {
    let (service, missing) = match &shop.name {
        None => ("ccv".to_string(), t!("credentials-no-ccv-key")),
        Some(name) => (
            format!("ccv --shop {name}"),
            t!("credentials-no-shop-key", shop = name.as_str()),
        ),
    };
    user_error(
        missing,
        t!(
            "credentials-set-hint",
            service = service,
            variable = shop.key_variable()
        ),
    )
}

/// Where a credential in use came from, for `status`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Environment(String),
    Stored,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Environment(variable) => f.write_str(&t!("source-env", variable = variable)),
            Source::Stored => f.write_str(&t!("source-stored")),
        }
    }
}

/// The file beside the state database.
pub fn path(settings: &Settings) -> PathBuf {
    settings.state_path.parent().map_or_else(
        || PathBuf::from("credentials.toml"),
        |dir| dir.join("credentials.toml"),
    )
}

pub fn load(path: &Path) -> anyhow::Result<Stored> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        // No directory yet (or a file in its place, which opening the state reports
        // clearly): nothing is stored.
        Err(error)
            if matches!(
                error.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(Stored::default());
        }
        Err(error) => {
            return Err(anyhow::Error::new(error)
                .context(t!("file-cannot-read", path = path.display().to_string())));
        }
    };
    let mode = std::fs::metadata(path)?.permissions().mode();
    if mode & 0o077 != 0 {
        eprintln!(
            "{} {}",
            t!("warning-prefix"),
            t!(
                "credentials-readable",
                path = path.display().to_string(),
                mode = format!("{:o}", mode & 0o777)
            )
        );
    }
    toml::from_str(&text).map_err(|error| {
        user_error(
            t!(
                "credentials-damaged",
                path = path.display().to_string(),
                error = error.message()
            ),
            t!("credentials-damaged-hint"),
        )
    })
}

/// Writes the whole file atomically (a temporary file renamed over it), mode 0600 in a
/// 0700 directory, so a crash never leaves half a token behind.
pub fn save(path: &Path, stored: &Stored) -> anyhow::Result<()> {
    let directory = path.parent().unwrap_or(Path::new("."));
    crate::store::create_private_dir(directory)?;
    let text = toml::to_string(stored)?;
    let temporary = directory.join(format!(".credentials.toml.{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&temporary)?;
        file.write_all(b"# Written by ccv-moneybird connect. Secrets: keep this file private.\n")?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    };
    write().map_err(|error| {
        let _ = std::fs::remove_file(&temporary);
        anyhow::Error::new(error).context(t!(
            "credentials-cannot-save",
            path = path.display().to_string()
        ))
    })
}

/// Changes the stored credentials under a read-modify-write.
pub fn update(path: &Path, change: impl FnOnce(&mut Stored)) -> anyhow::Result<()> {
    let mut stored = load(path)?;
    change(&mut stored);
    save(path, &stored).context(t!("credentials-unchanged"))
}

/// The credentials in use: the environment first, then what `connect` stored.
#[derive(Clone, Default)]
pub struct Secrets {
    pub ccv_api_key: Option<(String, Source)>,
    /// The keys of named shops (`[[ccv.shops]]`), by name.
    pub shop_keys: std::collections::BTreeMap<String, (String, Source)>,
    pub moneybird: Option<(MoneybirdCredential, Source)>,
    /// Where stored credentials live, so a refreshed OAuth token can be saved.
    pub file: Option<PathBuf>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets { .. }")
    }
}

fn from_env(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

impl Secrets {
    pub fn load(settings: &Settings) -> anyhow::Result<Secrets> {
        let file = path(settings);
        let stored = load(&file)?;
        let ccv_api_key = match from_env(CCV_API_KEY_ENV) {
            Some(key) => Some((key, Source::Environment(CCV_API_KEY_ENV.into()))),
            None => stored.ccv_api_key.map(|key| (key, Source::Stored)),
        };
        let mut shop_keys = std::collections::BTreeMap::new();
        for shop in &settings.shops {
            let Some(name) = &shop.name else { continue };
            let variable = shop.key_variable();
            let key = match from_env(&variable) {
                Some(key) => Some((key, Source::Environment(variable))),
                None => stored
                    .ccv_shops
                    .get(name)
                    .map(|key| (key.clone(), Source::Stored)),
            };
            if let Some(key) = key {
                shop_keys.insert(name.clone(), key);
            }
        }
        let moneybird = match from_env(MONEYBIRD_TOKEN_ENV) {
            Some(token) => Some((
                MoneybirdCredential::Personal { token },
                Source::Environment(MONEYBIRD_TOKEN_ENV.into()),
            )),
            None => stored
                .moneybird
                .map(|credential| (credential, Source::Stored)),
        };
        Ok(Secrets {
            ccv_api_key,
            shop_keys,
            moneybird,
            file: Some(file),
        })
    }

    /// Fixed credentials, for the demo.
    pub fn given(ccv_api_key: &str, moneybird_token: &str) -> Secrets {
        Secrets {
            ccv_api_key: Some((ccv_api_key.into(), Source::Stored)),
            shop_keys: std::collections::BTreeMap::new(),
            moneybird: Some((
                MoneybirdCredential::Personal {
                    token: moneybird_token.into(),
                },
                Source::Stored,
            )),
            file: None,
        }
    }

    pub fn ccv_api_key(&self) -> anyhow::Result<&str> {
        self.ccv_api_key
            .as_ref()
            .map(|(key, _)| key.as_str())
            .ok_or_else(|| {
                user_error(
                    t!("credentials-no-ccv-key"),
                    t!(
                        "credentials-set-hint",
                        service = "ccv",
                        variable = CCV_API_KEY_ENV
                    ),
                )
            })
    }

    /// The key of one shop, and where it comes from.
    pub fn ccv_key_of(&self, shop: &crate::config::Shop) -> anyhow::Result<&(String, Source)> {
        let found = match &shop.name {
            None => self.ccv_api_key.as_ref(),
            Some(name) => self.shop_keys.get(name),
        };
        found.ok_or_else(|| missing_key(shop))
    }

    pub fn moneybird(&self) -> anyhow::Result<&MoneybirdCredential> {
        self.moneybird
            .as_ref()
            .map(|(credential, _)| credential)
            .ok_or_else(|| {
                user_error(
                    t!("credentials-no-moneybird-token"),
                    t!(
                        "credentials-set-hint",
                        service = "moneybird",
                        variable = MONEYBIRD_TOKEN_ENV
                    ),
                )
            })
    }

    /// Every secret value in use, to keep them out of anything written or shown.
    pub fn values(&self) -> Vec<String> {
        let mut values = Vec::new();
        if let Some((key, _)) = &self.ccv_api_key {
            values.push(key.clone());
        }
        values.extend(self.shop_keys.values().map(|(key, _)| key.clone()));
        match &self.moneybird {
            Some((MoneybirdCredential::Personal { token }, _)) => values.push(token.clone()),
            Some((
                MoneybirdCredential::Oauth {
                    access_token,
                    refresh_token,
                    client_secret,
                },
                _,
            )) => {
                values.push(access_token.clone());
                values.extend(refresh_token.clone());
                values.push(client_secret.clone());
            }
            None => {}
        }
        values.extend(from_env(CLIENT_SECRET_ENV));
        values.retain(|value| value.len() >= 4);
        values
    }
}
