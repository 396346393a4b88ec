//! What both API clients share: one configured `reqwest` client, and plain response values
//! so the clients can inspect status, headers and body without holding the connection.

use std::time::Duration;

pub const USER_AGENT: &str = concat!("ccv-moneybird/", env!("CARGO_PKG_VERSION"));

/// Total time one request may take; both APIs answer in well under a second normally.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Test knobs, named so that nobody takes them for settings: a shorter request timeout and
/// backoff, so tests of slow and failing services take seconds instead of minutes.
const TIMEOUT_ENV: &str = "__CCV_MONEYBIRD_TEST_TIMEOUT_MS";
const BACKOFF_ENV: &str = "__CCV_MONEYBIRD_TEST_BACKOFF_MS";

fn millis_from_env(name: &str) -> Option<Duration> {
    std::env::var(name)
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .map(Duration::from_millis)
}

pub fn client() -> anyhow::Result<reqwest::blocking::Client> {
    // Already installed by an earlier client of this process is fine too.
    let _ = rustls::crypto::ring::default_provider().install_default();
    // CCV blocks requests without a User-Agent with a bare 403 page.
    Ok(reqwest::blocking::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(millis_from_env(TIMEOUT_ENV).unwrap_or(REQUEST_TIMEOUT))
        .redirect(reqwest::redirect::Policy::none())
        .build()?)
}

#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn read(response: reqwest::blocking::Response) -> reqwest::Result<Answer> {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.text()?;
        Ok(Answer {
            status,
            headers,
            body,
        })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    pub fn header_i64(&self, name: &str) -> Option<i64> {
        self.header(name)
            .and_then(|value| value.trim().parse().ok())
    }

    /// The server's clock, from its `Date` header.
    pub fn date(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        chrono::DateTime::parse_from_rfc2822(self.header("date")?)
            .ok()
            .map(|date| date.with_timezone(&chrono::Utc))
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The first part of the body, for error messages; bodies can be whole HTML pages.
    pub fn snippet(&self) -> String {
        let flat: String = self.body.split_whitespace().collect::<Vec<_>>().join(" ");
        match flat.char_indices().nth(300) {
            Some((cut, _)) => format!("{}…", &flat[..cut]),
            None => flat,
        }
    }
}

/// Backoff after the `failed`-th attempt of a read that failed for a passing reason.
pub fn backoff(failed: u32) -> Duration {
    let base = millis_from_env(BACKOFF_ENV).unwrap_or(Duration::from_millis(250));
    crate::retry::backoff(base, failed)
}

/// How a service answered the last time it was asked: what `status` shows as its light.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "state", content = "why", rename_all = "snake_case")]
pub enum Health {
    /// It answered, even if it refused something in particular (a 4xx on one payment).
    Answering,
    /// It did not answer, answered with a server error, or blocked this machine.
    Failing(crate::i18n::Message),
    /// It refused the credential: the key or token is wrong, expired or revoked.
    Refused(crate::i18n::Message),
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_tls_client_can_be_built() {
        // reqwest panics at build time when no rustls crypto provider is installed.
        assert!(super::client().is_ok());
        assert!(
            super::client().is_ok(),
            "a second client in the same process"
        );
    }
}
