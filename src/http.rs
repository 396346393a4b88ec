//! What both API clients share: one configured `reqwest` client, and plain response values
//! so the clients can inspect status, headers and body without holding the connection.

use std::time::Duration;

pub const USER_AGENT: &str = concat!("ccv-moneybird/", env!("CARGO_PKG_VERSION"));

/// Total time one request may take; both APIs answer in well under a second normally.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The largest answer either service may send. A page of CCV's list is kilobytes; an
/// answer past this is no answer to read, and reading it whole could take the machine's
/// memory (docs/contract.md, "What comes from CCV": "a body over 32 MiB is refused").
pub const MAX_BODY_BYTES: u64 = 32 * 1024 * 1024;

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

/// Why an answer could not be had.
#[derive(Debug)]
pub enum NoAnswer {
    /// The connection failed, timed out or was cut: it may pass.
    Transport(String),
    /// The body is larger than [`MAX_BODY_BYTES`]: at least this many bytes. Nothing past
    /// the limit was read.
    TooLarge(u64),
}

impl From<reqwest::Error> for NoAnswer {
    fn from(error: reqwest::Error) -> NoAnswer {
        NoAnswer::Transport(error.to_string())
    }
}

impl Answer {
    /// Sends the request and reads its answer, at most [`MAX_BODY_BYTES`] of it: a larger
    /// one is refused by its `Content-Length` before a byte is read, or once the limit is
    /// passed when it has none, so memory stays bounded whatever is sent.
    pub fn fetch(request: reqwest::blocking::RequestBuilder) -> Result<Answer, NoAnswer> {
        use std::io::Read as _;
        let response = request.send()?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        if let Some(length) = response.content_length()
            && length > MAX_BODY_BYTES
        {
            return Err(NoAnswer::TooLarge(length));
        }
        // Read in pieces and joined once at the end: a buffer grown by doubling would leave
        // its earlier sizes with the allocator, several times the answer at its peak.
        let mut pieces: Vec<Vec<u8>> = Vec::new();
        let mut length = 0;
        let mut response = response.take(MAX_BODY_BYTES + 1);
        loop {
            let mut piece = vec![0; BODY_PIECE_BYTES];
            let read = read_fully(&mut response, &mut piece)
                .map_err(|error| NoAnswer::Transport(error.to_string()))?;
            piece.truncate(read);
            length += read;
            if length as u64 > MAX_BODY_BYTES {
                return Err(NoAnswer::TooLarge(length as u64));
            }
            if read == 0 {
                break;
            }
            pieces.push(piece);
        }
        let body = pieces.concat();
        let body = String::from_utf8(body)
            .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned());
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

/// How long a 429 asks to wait. Moneybird writes `Retry-After` as an epoch time; a small
/// number is read as seconds, as HTTP intends. `RateLimit-Reset` is the fallback. CCV
/// documents no header at all (docs/ccv-api.md §5): then `None`, and the caller backs off.
pub fn wait_from_headers(answer: &Answer) -> Option<Duration> {
    let value = answer
        .header_i64("retry-after")
        .or_else(|| answer.header_i64("ratelimit-reset"))?;
    if value > 1_000_000_000 {
        Some(until_epoch(value))
    } else {
        Some(Duration::from_secs(value.max(0) as u64))
    }
}

pub fn until_epoch(epoch_seconds: i64) -> Duration {
    let target = std::time::UNIX_EPOCH + Duration::from_secs(epoch_seconds.max(0) as u64);
    target
        .duration_since(std::time::SystemTime::now())
        .unwrap_or(Duration::ZERO)
}

/// A size as people read it: `32 MiB`, `256.5 MiB`.
pub fn mebibytes(bytes: u64) -> String {
    let tenths = bytes * 10 / (1024 * 1024);
    match tenths % 10 {
        0 => format!("{} MiB", tenths / 10),
        rest => format!("{}.{rest} MiB", tenths / 10),
    }
}

/// Sleeps as a retry asks.
pub(crate) fn pause(pause: crate::retry::Pause) {
    std::thread::sleep(match pause {
        crate::retry::Pause::Backoff(failed) => backoff(failed),
        crate::retry::Pause::Wait(wait) => wait,
    });
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

/// The pieces an answer is read in.
const BODY_PIECE_BYTES: usize = 256 * 1024;

/// Fills `buffer` as far as the reader goes; fewer bytes only at its end.
fn read_fully(reader: &mut impl std::io::Read, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
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
