//! Moneybird's OAuth authorization-code flow (docs/moneybird-api.md §1): the authorize address,
//! a one-shot listener on the loopback redirect, the paste-the-code fallback, the code
//! exchange, and the refresh of an access token.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::{SocketAddr, TcpListener, ToSocketAddrs as _};
use std::time::{Duration, Instant};

use oauth2::basic::{BasicClient, BasicErrorResponseType};
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet,
    EndpointSet, RedirectUrl, RefreshToken, RequestTokenError, Scope, TokenUrl,
};
use url::Url;

/// What this tool asks for: invoices and their payments, and the ledger accounts.
pub const SCOPES: [&str; 2] = ["sales_invoices", "settings"];
pub const OUT_OF_BAND: &str = "urn:ietf:wg:oauth:2.0:oob";

/// A registered OAuth application of the user's.
#[derive(Clone)]
pub struct App {
    pub base_url: Url,
    pub client_id: String,
    pub client_secret: String,
    pub redirect_uri: String,
}

#[derive(Clone, Debug)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
}

#[derive(Debug)]
pub enum OAuthError {
    /// The grant (code or refresh token) was refused: only a new `connect` helps.
    InvalidGrant(String),
    InvalidClient,
    Other(String),
}

impl std::fmt::Display for OAuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self {
            OAuthError::InvalidGrant(message) => t!("oauth-error-grant", message = message),
            OAuthError::InvalidClient => t!("oauth-error-client"),
            OAuthError::Other(message) => t!("oauth-error-other", message = message),
        })
    }
}

impl std::error::Error for OAuthError {}

type Client = BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

impl App {
    fn client(&self) -> Result<Client, OAuthError> {
        let endpoint = |path: &str| -> Result<String, OAuthError> {
            self.base_url
                .join(path)
                .map(|url| url.to_string())
                .map_err(|error| OAuthError::Other(error.to_string()))
        };
        Ok(BasicClient::new(ClientId::new(self.client_id.clone()))
            .set_client_secret(ClientSecret::new(self.client_secret.clone()))
            // Moneybird's examples send the client credentials in the form body.
            .set_auth_type(AuthType::RequestBody)
            .set_auth_uri(
                AuthUrl::new(endpoint("oauth/authorize")?)
                    .map_err(|error| OAuthError::Other(error.to_string()))?,
            )
            .set_token_uri(
                TokenUrl::new(endpoint("oauth/token")?)
                    .map_err(|error| OAuthError::Other(error.to_string()))?,
            )
            .set_redirect_uri(
                RedirectUrl::new(self.redirect_uri.clone())
                    .map_err(|error| OAuthError::Other(error.to_string()))?,
            ))
    }

    /// The address the user opens to allow access, the `state` it carries, and the PKCE
    /// verifier (RFC 7636, S256) whose challenge it carries: a code intercepted on its way
    /// back is worth nothing without it. `bank` asks for the scope payouts need.
    pub fn authorize_url(&self, bank: bool) -> Result<(Url, String, String), OAuthError> {
        let client = self.client()?;
        let (challenge, verifier) = oauth2::PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(CsrfToken::new_random)
            .set_pkce_challenge(challenge);
        for scope in SCOPES.iter().chain(bank.then_some(&"bank")) {
            request = request.add_scope(Scope::new((*scope).into()));
        }
        let (url, state) = request.url();
        Ok((url, state.secret().clone(), verifier.secret().clone()))
    }

    pub fn exchange_code(
        &self,
        http: &reqwest::blocking::Client,
        code: &str,
        verifier: &str,
    ) -> Result<Tokens, OAuthError> {
        let response = self
            .client()?
            .exchange_code(AuthorizationCode::new(code.into()))
            .set_pkce_verifier(oauth2::PkceCodeVerifier::new(verifier.into()))
            .request(&|request| call(http, request));
        tokens(response)
    }

    pub fn refresh(
        &self,
        http: &reqwest::blocking::Client,
        refresh_token: &str,
    ) -> Result<Tokens, OAuthError> {
        let response = self
            .client()?
            .exchange_refresh_token(&RefreshToken::new(refresh_token.into()))
            .request(&|request| call(http, request));
        tokens(response)
    }
}

fn tokens<T: oauth2::TokenResponse>(
    response: Result<T, RequestTokenError<reqwest::Error, oauth2::basic::BasicErrorResponse>>,
) -> Result<Tokens, OAuthError> {
    match response {
        Ok(token) => Ok(Tokens {
            access_token: token.access_token().secret().clone(),
            refresh_token: token
                .refresh_token()
                .map(|refresh| refresh.secret().clone()),
        }),
        Err(RequestTokenError::ServerResponse(error)) => match error.error() {
            BasicErrorResponseType::InvalidGrant => Err(OAuthError::InvalidGrant(
                error.error_description().cloned().unwrap_or_default(),
            )),
            BasicErrorResponseType::InvalidClient => Err(OAuthError::InvalidClient),
            other => Err(OAuthError::Other(other.to_string())),
        },
        // Never print the request: it holds the client secret.
        Err(RequestTokenError::Request(error)) => Err(OAuthError::Other(t!(
            "oauth-no-answer",
            message = error.without_url().to_string()
        ))),
        Err(RequestTokenError::Parse(error, _)) => Err(OAuthError::Other(t!(
            "oauth-unreadable-answer",
            message = error.to_string()
        ))),
        Err(RequestTokenError::Other(error)) => Err(OAuthError::Other(error)),
    }
}

/// oauth2's synchronous HTTP client, on our reqwest client (which follows no redirects, as
/// oauth2 asks of token requests).
fn call(
    http: &reqwest::blocking::Client,
    request: oauth2::HttpRequest,
) -> Result<oauth2::HttpResponse, reqwest::Error> {
    let response = http.execute(reqwest::blocking::Request::try_from(request)?)?;
    let mut builder = oauth2::http::Response::builder().status(response.status());
    for (name, value) in response.headers() {
        builder = builder.header(name, value);
    }
    Ok(builder
        .body(response.bytes()?.to_vec())
        .expect("a response rebuilt from valid parts"))
}

/// How the code comes back to us.
pub enum Redirect {
    /// A loopback `http://` address: listen there for one request.
    Loopback { address: SocketAddr, path: String },
    /// Out of band (or anything else): the user pastes the code.
    Paste,
}

pub fn redirect_kind(redirect_uri: &str) -> Redirect {
    if redirect_uri == OUT_OF_BAND {
        return Redirect::Paste;
    }
    let Ok(url) = Url::parse(redirect_uri) else {
        return Redirect::Paste;
    };
    let loopback = match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    let address = (
        url.host_str()
            .unwrap_or("127.0.0.1")
            .trim_matches(['[', ']']),
        url.port().unwrap_or(80),
    )
        .to_socket_addrs()
        .ok()
        .and_then(|mut addresses| addresses.next());
    match (url.scheme(), loopback, address) {
        ("http", true, Some(address)) => Redirect::Loopback {
            address,
            path: url.path().to_string(),
        },
        _ => Redirect::Paste,
    }
}

/// Waits for the browser to arrive at the redirect, checks `state`, answers with a short
/// page, and returns the code. Other requests (a favicon, a stray visit) are answered 404
/// and ignored.
pub fn receive_code(
    listener: &TcpListener,
    path: &str,
    state: &str,
    timeout: Duration,
) -> anyhow::Result<String> {
    let deadline = Instant::now() + timeout;
    listener.set_nonblocking(true)?;
    loop {
        let (stream, _) = match listener.accept() {
            Ok(connection) => connection,
            Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => {
                if Instant::now() >= deadline {
                    anyhow::bail!(t!(
                        "oauth-browser-timeout",
                        minutes = (timeout.as_secs() / 60).to_string()
                    ));
                }
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
            Err(error) => return Err(error.into()),
        };
        stream.set_nonblocking(false)?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        let mut reader = BufReader::new(&stream);
        let mut request_line = String::new();
        reader.read_line(&mut request_line)?;
        let target = request_line.split_whitespace().nth(1).unwrap_or("/");
        let url = Url::parse("http://loopback").and_then(|base| base.join(target));
        let respond = |status: &str, text: &str| {
            let body = format!("<html><body><h1>{text}</h1></body></html>");
            let _ = write!(
                &stream,
                "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        };
        let Ok(url) = url
            .map_err(|_| ())
            .and_then(|url| if url.path() == path { Ok(url) } else { Err(()) })
        else {
            respond("404 Not Found", &t!("oauth-page-not-found"));
            continue;
        };
        let query: std::collections::HashMap<String, String> =
            url.query_pairs().into_owned().collect();
        // Before anything else: an answer that is not this login's is not read at all, not
        // even its error (a forged redirect must not end the login either).
        if query.get("state").map(String::as_str) != Some(state) {
            respond("400 Bad Request", &t!("oauth-page-other-login"));
            continue;
        }
        if let Some(error) = query.get("error") {
            respond("400 Bad Request", &t!("oauth-page-not-granted"));
            anyhow::bail!(t!("oauth-not-granted", error = error));
        }
        let Some(code) = query.get("code") else {
            respond("400 Bad Request", &t!("oauth-page-no-code"));
            anyhow::bail!(t!("oauth-answer-no-code"));
        };
        respond("200 OK", &t!("oauth-page-connected"));
        return Ok(code.clone());
    }
}

/// The code from what the user pasted: the code itself, or the whole address they were
/// sent to (then its `state` must match).
pub fn code_from_pasted(pasted: &str, state: &str) -> anyhow::Result<String> {
    let pasted = pasted.trim();
    if let Ok(url) = Url::parse(pasted)
        && url.query().is_some()
    {
        let query: std::collections::HashMap<String, String> =
            url.query_pairs().into_owned().collect();
        if let Some(returned) = query.get("state")
            && returned != state
        {
            anyhow::bail!(t!("oauth-pasted-other-login"));
        }
        return query
            .get("code")
            .cloned()
            .ok_or_else(|| anyhow::anyhow!(t!("oauth-pasted-no-code")));
    }
    if pasted.is_empty() || pasted.contains(char::is_whitespace) {
        anyhow::bail!(t!("oauth-not-a-code"));
    }
    Ok(pasted.to_string())
}
