//! Errors that reach the user: what went wrong, what to do about it, and the exit code that
//! cron wrappers and scripts can rely on (contract.md, "Exit codes").

use std::fmt;

pub const EXIT_FAILURE: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
/// An internal error: a bug, not the user's doing (sysexits' EX_SOFTWARE).
pub const EXIT_INTERNAL: u8 = 70;
pub const EXIT_LOCKED: u8 = 75;

/// A closed pipe (`status | head`) ends the program quietly; any other panic is a bug,
/// said as one, with its own exit code so a cron wrapper can tell it from a failed run.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        // `println!` panics with this when the reader of stdout has gone away.
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        let at = info
            .location()
            .map(|location| format!(" at {}:{}", location.file(), location.line()))
            .unwrap_or_default();
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
}

impl UserError {
    pub fn new(message: impl Into<String>) -> UserError {
        UserError {
            message: message.into(),
            hint: None,
            exit_code: EXIT_FAILURE,
        }
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

impl std::error::Error for UserError {}

impl From<crate::domain::NotAllowed> for UserError {
    fn from(refused: crate::domain::NotAllowed) -> UserError {
        UserError::new(refused.message).with_hint(refused.hint)
    }
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
