//! Moneybird's OAuth endpoints (docs/moneybird-api.md §1.2): the authorization-code grant and
//! its refresh, with the error bodies of an OAuth server. The sandbox's user consents at
//! once, so a test can "play the browser" by following the authorize address.

use std::collections::HashMap;

use base64::Engine as _;
use serde_json::json;

use super::{Incoming, Reply, World};

/// A registered OAuth application.
#[derive(Clone, Debug)]
pub struct OAuthApp {
    pub client_id: String,
    pub client_secret: String,
    pub redirect_uri: String,
}

#[derive(Default)]
pub struct OAuthState {
    pub apps: Vec<OAuthApp>,
    /// Authorization code → (client id, redirect URI, the scopes asked for); each is used
    /// once.
    /// Each code's client, redirect, scopes, and PKCE challenge (S256) when one was sent.
    codes: HashMap<String, (String, String, Vec<String>, Option<String>)>,
    /// Refresh token → (client id, the access token it renews).
    refresh_tokens: HashMap<String, (String, String)>,
    issued: u64,
}

const OUT_OF_BAND: &str = "urn:ietf:wg:oauth:2.0:oob";

impl World {
    pub fn register_oauth_app(&mut self, client_id: &str, client_secret: &str, redirect_uri: &str) {
        self.oauth.apps.push(OAuthApp {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            redirect_uri: redirect_uri.into(),
        });
    }

    /// The user (or Moneybird) withdraws every access token; refresh tokens stay valid.
    pub fn revoke_access_tokens(&mut self) {
        let access: Vec<String> = self
            .oauth
            .refresh_tokens
            .values()
            .map(|(_, access)| access.clone())
            .collect();
        self.moneybird
            .tokens
            .retain(|token| !access.contains(token));
    }

    /// The grant is withdrawn whole: refreshing fails with `invalid_grant`.
    pub fn revoke_refresh_tokens(&mut self) {
        self.oauth.refresh_tokens.clear();
    }

    fn issue(&mut self, prefix: &str) -> String {
        self.oauth.issued += 1;
        let random = fastrand::u64(..);
        format!("{prefix}{:016x}{:08x}", random, self.oauth.issued)
    }
}

pub(super) fn handle(world: &mut World, request: &Incoming, rest: &str) -> Reply {
    match (request.method.as_str(), rest) {
        ("GET", "authorize") => authorize(world, request),
        ("POST", "token") => token(world, request),
        _ => Reply::html(404, "<html><body>Not found</body></html>"),
    }
}

fn authorize(world: &mut World, request: &Incoming) -> Reply {
    let query = &request.query;
    let client_id = query.get("client_id").map(String::as_str).unwrap_or("");
    let redirect_uri = query.get("redirect_uri").map(String::as_str).unwrap_or("");
    let Some(app) = world
        .oauth
        .apps
        .iter()
        .find(|app| app.client_id == client_id)
        .cloned()
    else {
        return Reply::html(
            401,
            "<html><body><h1>Client authentication failed: unknown client.</h1></body></html>",
        );
    };
    // The redirect must equal the registered one exactly (docs/moneybird-api.md §1.3).
    if redirect_uri != app.redirect_uri {
        return Reply::html(
            400,
            "<html><body><h1>The redirect uri included is not valid.</h1></body></html>",
        );
    }
    if query.get("response_type").map(String::as_str) != Some("code") {
        return Reply::html(
            400,
            "<html><body><h1>The authorization server does not support this response type.</h1></body></html>",
        );
    }
    // Space separated (`+` in the query); none at all grants `sales_invoices`
    // (docs/moneybird-api.md §1.4).
    let mut scopes: Vec<String> = query
        .get("scope")
        .map(|scope| {
            scope
                .split([' ', '+'])
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if scopes.is_empty() {
        scopes.push("sales_invoices".into());
    }
    // PKCE (RFC 7636): only S256 is taken; `plain` would give the challenge away.
    let challenge = query.get("code_challenge").cloned();
    if challenge.is_some() && query.get("code_challenge_method").map(String::as_str) != Some("S256")
    {
        return Reply::html(
            400,
            "<html><body><h1>Code challenge method not supported.</h1></body></html>",
        );
    }
    let code = world.issue("code");
    world.oauth.codes.insert(
        code.clone(),
        (
            app.client_id.clone(),
            app.redirect_uri.clone(),
            scopes,
            challenge,
        ),
    );
    if redirect_uri == OUT_OF_BAND {
        return Reply::html(
            200,
            &format!(
                "<html><body><h1>Authorization code</h1><code id=\"authorization_code\">{code}</code></body></html>"
            ),
        );
    }
    let mut target = match url::Url::parse(redirect_uri) {
        Ok(target) => target,
        Err(_) => {
            return Reply::html(
                400,
                "<html><body>The redirect uri included is not valid.</body></html>",
            );
        }
    };
    target.query_pairs_mut().append_pair("code", &code);
    if let Some(state) = query.get("state") {
        target.query_pairs_mut().append_pair("state", state);
    }
    let mut reply = Reply::html(302, "<html><body>You are being redirected.</body></html>");
    reply.headers.push(("Location".into(), target.to_string()));
    reply
}

/// BASE64URL(SHA256(verifier)) without padding (RFC 7636 §4.2).
fn s256(verifier: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()))
}

fn oauth_error(status: u16, error: &str, description: &str) -> Reply {
    Reply::json(
        status,
        &json!({ "error": error, "error_description": description }),
    )
}

/// The client's id and secret: in the form, as Moneybird's examples send them, or as HTTP
/// Basic.
fn client_credentials(request: &Incoming, form: &HashMap<String, String>) -> (String, String) {
    let basic = request
        .header("authorization")
        .and_then(|value| value.strip_prefix("Basic "))
        .and_then(|encoded| {
            base64::engine::general_purpose::STANDARD
                .decode(encoded.trim())
                .ok()
        })
        .and_then(|decoded| String::from_utf8(decoded).ok())
        .and_then(|pair| {
            pair.split_once(':')
                .map(|(id, secret)| (id.to_string(), secret.to_string()))
        });
    match (form.get("client_id"), form.get("client_secret"), basic) {
        (Some(id), Some(secret), _) => (id.clone(), secret.clone()),
        (_, _, Some(pair)) => pair,
        _ => (String::new(), String::new()),
    }
}

fn token(world: &mut World, request: &Incoming) -> Reply {
    let form: HashMap<String, String> = url::form_urlencoded::parse(request.body.as_bytes())
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    let (client_id, client_secret) = client_credentials(request, &form);
    let known = world
        .oauth
        .apps
        .iter()
        .any(|app| app.client_id == client_id && app.client_secret == client_secret);
    if !known {
        return oauth_error(
            401,
            "invalid_client",
            "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
        );
    }
    let invalid_grant = || {
        oauth_error(
            400,
            "invalid_grant",
            "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
        )
    };
    let (replaced_access, scopes) = match form.get("grant_type").map(String::as_str) {
        Some("authorization_code") => {
            let code = form.get("code").cloned().unwrap_or_default();
            let redirect_uri = form.get("redirect_uri").cloned().unwrap_or_default();
            let verifier = form.get("code_verifier").map(String::as_str);
            match world.oauth.codes.remove(&code) {
                Some((id, uri, scopes, challenge))
                    if id == client_id
                        && uri == redirect_uri
                        && challenge.as_deref().is_none_or(|challenge| {
                            verifier.is_some_and(|verifier| s256(verifier) == challenge)
                        }) =>
                {
                    (None, scopes)
                }
                _ => return invalid_grant(),
            }
        }
        Some("refresh_token") => {
            let refresh = form.get("refresh_token").cloned().unwrap_or_default();
            match world.oauth.refresh_tokens.remove(&refresh) {
                // A renewed token carries the scopes of the one it replaces.
                Some((id, access)) if id == client_id => {
                    let scopes = world
                        .moneybird
                        .scopes
                        .get(&access)
                        .cloned()
                        .unwrap_or_default();
                    (Some(access), scopes)
                }
                _ => return invalid_grant(),
            }
        }
        _ => {
            return oauth_error(
                400,
                "unsupported_grant_type",
                "The authorization grant type is not supported by the authorization server.",
            );
        }
    };
    if let Some(old) = replaced_access {
        world.moneybird.tokens.retain(|token| *token != old);
    }
    // Refresh tokens rotate: the client must keep whichever comes back.
    let access = world.issue("access");
    let refresh = world.issue("refresh");
    world.moneybird.tokens.push(access.clone());
    if !scopes.is_empty() {
        let scope_refs: Vec<&str> = scopes.iter().map(String::as_str).collect();
        world.moneybird.limit_scopes(&access, &scope_refs);
    }
    world
        .oauth
        .refresh_tokens
        .insert(refresh.clone(), (client_id, access.clone()));
    let created_at = world.now_ms() / 1000;
    Reply::json(
        200,
        &json!({
            "access_token": access,
            "token_type": "bearer",
            "refresh_token": refresh,
            "scope": scopes.join(" "),
            "created_at": created_at,
        }),
    )
}
