//! Errors that reach the user: what went wrong, what to do about it, and the exit code that
//! cron wrappers and scripts can rely on (docs/contract.md, "Exit codes").

use std::fmt;

use crate::ccv::CcvError;
use crate::config::Shop;
use crate::moneybird::MoneybirdError;

pub const EXIT_FAILURE: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
/// An internal error: a bug, not the user's doing (sysexits' EX_SOFTWARE).
pub const EXIT_INTERNAL: u8 = 70;
pub const EXIT_LOCKED: u8 = 75;

/// A panic is a bug, said as one, with its own exit code so a cron wrapper can tell it from
/// a failed run. (A closed pipe is no panic: output goes through [`crate::view::print`],
/// whose error [`report`] ends quietly.)
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        let at = info
            .location()
            .map(|location| format!(" at {}:{}", location.file(), location.line()))
            .unwrap_or_default();
        if !crate::i18n::can_speak() {
            eprintln!("error: internal error: {message}{at}");
            std::process::exit(i32::from(EXIT_INTERNAL));
        }
        eprintln!(
            "{} {}",
            t!("error-prefix"),
            t!("error-internal", message = message, at = at)
        );
        eprintln!("{} {}", t!("error-hint"), t!("error-internal-hint"));
        std::process::exit(i32::from(EXIT_INTERNAL));
    }));
}

/// An error with a hint that names the fix, in the style of cargo and jj.
#[derive(Debug)]
pub struct UserError {
    pub message: String,
    pub hint: Option<String>,
    pub exit_code: u8,
    /// What it rests on, said under "Caused by".
    source: Option<anyhow::Error>,
}

impl UserError {
    pub fn new(message: impl Into<String>) -> UserError {
        UserError {
            message: message.into(),
            hint: None,
            exit_code: EXIT_FAILURE,
            source: None,
        }
    }

    pub fn caused_by(mut self, source: impl Into<anyhow::Error>) -> UserError {
        self.source = Some(source.into());
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> UserError {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_exit_code(mut self, exit_code: u8) -> UserError {
        self.exit_code = exit_code;
        self
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|source| -> &(dyn std::error::Error + 'static) { source.as_ref() })
    }
}

// The one boundary between the clients and the person: every CCV and Moneybird error
// becomes a message with its fix here, and nowhere else.

impl From<CcvError> for UserError {
    fn from(error: CcvError) -> UserError {
        match error {
            CcvError::Unauthorized => {
                UserError::new(t!("error-ccv-key")).with_hint(t!("error-ccv-key-hint"))
            }
            CcvError::Blocked(body) => UserError::new(t!("error-ccv-blocked", body = body))
                .with_hint(t!("error-ccv-blocked-hint")),
            // What comes from CCV and cannot be read stops the run before anything is
            // booked; each names what failed and what a person can do.
            error @ (CcvError::RateLimited(_)
            | CcvError::TooLarge(_)
            | CcvError::TimeFilterRefused { .. }
            | CcvError::Stuck(_)) => {
                let hint = match &error {
                    CcvError::RateLimited(_) => t!("error-ccv-rate-limited-hint"),
                    CcvError::TooLarge(_) => t!("error-ccv-too-large-hint"),
                    _ => t!("error-ccv-unreadable-hint"),
                };
                UserError::new(format!(
                    "{}: {}",
                    t!("error-ccv-fetch"),
                    error.words().say()
                ))
                .with_hint(hint)
            }
            other => UserError::new(t!("error-ccv-fetch")).caused_by(other),
        }
    }
}

/// A CCV error of one shop among several: a refused key names that shop's own fix.
pub fn ccv_shop_failure(shop: &Shop, error: CcvError) -> UserError {
    match (&shop.name, error) {
        (Some(name), CcvError::Unauthorized) => UserError::new(t!("error-ccv-key")).with_hint(t!(
            "credentials-set-hint",
            service = format!("ccv --shop {name}"),
            variable = shop.key_variable()
        )),
        (_, error) => error.into(),
    }
}

impl From<MoneybirdError> for UserError {
    fn from(error: MoneybirdError) -> UserError {
        match error {
            MoneybirdError::Unauthorized(message) => {
                UserError::new(t!("error-moneybird-token", message = message))
                    .with_hint(t!("error-moneybird-token-hint"))
            }
            MoneybirdError::NotStored(_) => {
                UserError::new(error.words().say()).with_hint(t!("error-oauth-not-stored-hint"))
            }
            MoneybirdError::Throttled(_) | MoneybirdError::RateLimited(_) => {
                UserError::new(error.words().say()).with_hint(t!("error-moneybird-throttled-hint"))
            }
            other => UserError::new(t!("error-moneybird-request")).caused_by(other),
        }
    }
}

impl From<crate::domain::NotAllowed> for UserError {
    fn from(refused: crate::domain::NotAllowed) -> UserError {
        UserError::new(refused.message).with_hint(refused.hint)
    }
}

/// `connect ccv`: the key is tried for the first time, and nothing is stored unless CCV
/// takes it.
pub fn first_contact_with_ccv(error: CcvError) -> UserError {
    match error {
        CcvError::Unauthorized => {
            UserError::new(t!("connect-ccv-refused")).with_hint(t!("connect-ccv-refused-hint"))
        }
        CcvError::Blocked(_) => {
            UserError::new(t!("connect-ccv-blocked")).with_hint(t!("error-ccv-blocked-hint"))
        }
        CcvError::Transport { url, message } => unreachable("CCV", "ccv", &url, &message),
        other => UserError::new(t!("connect-ccv-not-understood")).caused_by(other),
    }
}

/// `connect moneybird`: the credential is tried for the first time, and nothing is stored
/// unless Moneybird takes it.
pub fn first_contact_with_moneybird(error: MoneybirdError) -> UserError {
    match error {
        MoneybirdError::Unauthorized(message) => {
            UserError::new(t!("connect-moneybird-refused", message = message))
                .with_hint(t!("connect-moneybird-refused-hint"))
        }
        MoneybirdError::Transport { url, message } => {
            unreachable("Moneybird", "moneybird", &url, &message)
        }
        other => UserError::new(t!("connect-nothing-stored")).caused_by(other),
    }
}

/// A service that did not answer at all: its address is named, with the config section
/// that sets it.
fn unreachable(service: &str, section: &str, url: &str, message: &str) -> UserError {
    UserError::new(t!(
        "connect-unreachable",
        service = service,
        url = url,
        message = message
    ))
    .with_hint(t!("connect-unreachable-hint", section = section))
}

/// Shorthand for returning a [`UserError`] from any `anyhow` function.
pub fn user_error(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    UserError::new(message).with_hint(hint).into()
}

/// A failure the command has already told the person about in its own output (`doctor`):
/// only the exit code is left to give.
#[derive(Debug)]
pub struct Quiet;

impl fmt::Display for Quiet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("failed; see above")
    }
}

impl std::error::Error for Quiet {}

/// The hint of the first [`UserError`] in a chain.
pub fn hint_of(error: &anyhow::Error) -> Option<String> {
    error
        .chain()
        .find_map(|cause| cause.downcast_ref::<UserError>())
        .and_then(|user| user.hint.clone())
}

/// Whether the error is a write into a pipe whose reader has gone, however it was wrapped.
fn closed_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let kind = cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| {
                cause
                    .downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
            })
            .or_else(|| match cause.downcast_ref::<csv::Error>()?.kind() {
                csv::ErrorKind::Io(io) => Some(io.kind()),
                _ => None,
            });
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// Prints an error chain as `error: …`, `Caused by: …`, `hint: …` and returns its exit code.
pub fn report(error: &anyhow::Error) -> u8 {
    if error.is::<Quiet>() {
        return EXIT_FAILURE;
    }
    // `export | head -1`: the reader had what it wanted and went away. Not a failure.
    if closed_pipe(error) {
        return 0;
    }
    // A state database that cannot be written (read-only, a full disk) is said as such,
    // wherever in the run it was met.
    if error
        .chain()
        .all(|cause| cause.downcast_ref::<UserError>().is_none())
        && let Some(named) = crate::store::trouble::explain(error)
    {
        return report(&named);
    }
    eprintln!(
        "{}",
        crate::view::fit(&format!("{} {error}", t!("error-prefix")))
    );
    let causes: Vec<String> = error
        .chain()
        .skip(1)
        .map(|cause| cause.to_string())
        .collect();
    if !causes.is_empty() {
        eprintln!("{}", t!("error-caused-by"));
        for cause in causes {
            eprintln!("{}", crate::view::fit(&format!("  {cause}")));
        }
    }
    let user = error
        .chain()
        .find_map(|cause| cause.downcast_ref::<UserError>());
    if let Some(hint) = user.and_then(|user| user.hint.as_deref()) {
        eprintln!(
            "{}",
            crate::view::fit(&format!("{} {hint}", t!("error-hint")))
        );
    }
    user.map_or(EXIT_FAILURE, |user| user.exit_code)
}
