//! Connect and configure (issue 4): the CCV key, the Moneybird token or OAuth grant, the
//! administration, the tussenrekeningen, and where the secrets end up.

use std::io::{BufRead as _, BufReader};
use std::os::unix::fs::PermissionsExt as _;
use std::process::Stdio;

use ccv_moneybird_sandbox::Cents;
use ccv_moneybird_sandbox::seed::NewInvoice;

use crate::common::{Env, InvoicePaid, Sale};

const NOW: &str = "2025-03-10T12:00:00Z";

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn connect_ccv_stores_a_good_key_and_sync_uses_it() {
    let env = Env::new(NOW);
    env.use_stored_credentials();
    InvoicePaid::new("2025-0001", 1000)
        .at("2025-03-09T10:00:00Z")
        .add(&env);

    let output = env.run_with_input(
        &["connect", "ccv", "--api-key-stdin"],
        &format!("{}\n", env.shop.ccv_api_key),
    );

    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("Connected to CCV with a test key"),
        "{stdout}"
    );
    assert!(stdout.contains("ideal, card, banktransfer"), "{stdout}");
    assert_eq!(mode(&env.credentials_path()), 0o600);
    assert_eq!(mode(env.credentials_path().parent().unwrap()), 0o700);

    // The Moneybird token still comes from the environment; the CCV key does not.
    let output = env
        .command(&["sync"])
        .env("MONEYBIRD_TOKEN", &env.shop.moneybird_token)
        .output()
        .unwrap();
    env.checked(output.clone());
    assert!(output.status.success(), "{output:?}");
    assert_eq!(env.booked("C1").len(), 1);
}

#[test]
fn connect_ccv_with_a_wrong_key_stores_nothing() {
    let env = Env::new(NOW);
    env.use_stored_credentials();
    env.keep_secret("t_wrongkey123456");

    let output = env.run_with_input(&["connect", "ccv", "--api-key-stdin"], "t_wrongkey123456\n");

    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("CCV refused this API key (401); nothing was stored"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: copy the key again"), "{stderr}");
    assert!(!env.credentials_path().exists());
}

#[test]
fn connect_without_a_terminal_names_the_flag_to_use() {
    let env = Env::new(NOW);
    env.use_stored_credentials();

    let output = env.run_with_input(&["connect", "ccv"], "");

    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("there is no terminal to ask for the CCV API key"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--api-key-stdin") && stderr.contains("CCV_API_KEY"),
        "{stderr}"
    );
}

#[test]
fn connect_ccv_asks_for_the_key_in_a_real_terminal() {
    let env = Env::new(NOW);
    env.use_stored_credentials();
    let command = env.command(&["connect", "ccv"]);

    let mut session = rexpect::session::spawn_command(command, Some(15_000)).expect("a pty");
    session.exp_string("CCV API key").unwrap();
    session.send_line(&env.shop.ccv_api_key).unwrap();
    let (before, _) = session.exp_regex("Active payment methods: .*").unwrap();
    session.exp_eof().unwrap();

    assert!(
        before.contains("Connected to CCV with a test key"),
        "{before}"
    );
    env.assert_no_secret("the terminal", before.as_bytes());
    let stored = std::fs::read_to_string(env.credentials_path()).unwrap();
    assert!(stored.contains(&env.shop.ccv_api_key));
}

#[test]
fn connect_moneybird_with_a_token_maps_tussenrekeningen_and_keeps_comments() {
    let env = Env::new(NOW);
    env.use_stored_credentials();
    let ideal = env.shop.ledger_accounts["ideal"].clone();
    std::fs::write(
        env.config_path(),
        format!(
            "# Parkietje's config\n[ccv]\nbase_url = \"{url}\" # the sandbox\n\n[moneybird]\n# filled in by connect\nbase_url = \"{url}\"\n",
            url = env.sandbox.url()
        ),
    )
    .unwrap();

    let output = env.run_with_input(
        &[
            "connect",
            "moneybird",
            "--token-stdin",
            "--ledger-account",
            &format!("ideal={ideal}"),
            "--ledger-account",
            "card=new",
        ],
        &format!("{}\n", env.shop.moneybird_token),
    );

    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("Connected to Moneybird administration “Parkietje B.V.”"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Created the ledger account “Tussenrekening CCV card”"),
        "{stdout}"
    );
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    for comment in [
        "# Parkietje's config",
        "# the sandbox",
        "# filled in by connect",
    ] {
        assert!(config.contains(comment), "lost `{comment}`:\n{config}");
    }
    assert!(
        config.contains(&format!(
            "administration_id = \"{}\"",
            env.shop.administration_id
        )),
        "{config}"
    );
    assert!(config.contains(&format!("ideal = \"{ideal}\"")), "{config}");
    let card = env
        .world()
        .moneybird
        .ledger_accounts
        .iter()
        .find(|ledger| ledger.name == "Tussenrekening CCV card")
        .map(|ledger| ledger.id.clone())
        .expect("created in Moneybird");
    assert!(config.contains(&format!("card = \"{card}\"")), "{config}");

    // The next bookings of both methods carry their tussenrekening.
    env.world()
        .add_invoice(NewInvoice::sales("2025-0001", Cents(1000)));
    env.world()
        .add_invoice(NewInvoice::sales("2025-0002", Cents(2000)));
    env.world().add_transaction(
        Sale::new("C1", 1000)
            .at("2025-03-09T10:00:00Z")
            .described("Factuur 2025-0001")
            .build(),
    );
    env.world().add_transaction(
        Sale::new("C2", 2000)
            .method("card")
            .at("2025-03-09T11:00:00Z")
            .described("Factuur 2025-0002")
            .build(),
    );
    let output = env
        .command(&["sync"])
        .env("CCV_API_KEY", &env.shop.ccv_api_key)
        .output()
        .unwrap();
    assert!(env.checked(output).status.success());
    for (reference, ledger) in [("C1", ideal.as_str()), ("C2", card.as_str())] {
        let booked = env.booked(reference);
        assert_eq!(booked[0].ledger_account_id.as_deref(), Some(ledger));
        assert_eq!(
            booked[0].manual_payment_action.as_deref(),
            Some("balance_settlement")
        );
    }
    let status = env.ok(&["status"]);
    assert!(
        status.contains("personal API token stored by `connect`"),
        "{status}"
    );
}

#[test]
fn connect_moneybird_refuses_an_unknown_ledger_account() {
    let env = Env::new(NOW);

    let output = env.run(&["connect", "moneybird", "--ledger-account", "ideal=123"]);

    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("Moneybird has no ledger account 123")
    );
}

/// What a browser does with an address: follow the redirects, and show the page.
fn browser_get(address: &str) -> String {
    // Building the tool's client installs the TLS crypto provider that reqwest needs.
    ccv_moneybird::http::client().unwrap();
    reqwest::blocking::get(address).unwrap().text().unwrap()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn oauth_login_refresh_and_a_refused_refresh() {
    let env = Env::new(NOW);
    env.use_stored_credentials();
    let redirect = format!("http://127.0.0.1:{}/callback", free_port());
    let client_secret = "oauth-client-secret-of-the-test";
    env.keep_secret(client_secret);
    env.world()
        .register_oauth_app("ccv-moneybird-test", client_secret, &redirect);
    env.configure_oauth("ccv-moneybird-test", &redirect);

    let (child, authorize, _stderr) = start_oauth(&env, client_secret, Stdio::null());
    assert!(authorize.contains("/oauth/authorize?"), "{authorize}");
    assert!(authorize.contains("state="), "{authorize}");
    assert!(
        authorize.contains("code_challenge_method=S256"),
        "{authorize}"
    );
    assert!(authorize.contains("code_challenge="), "{authorize}");
    // A forged redirect with another `state` (an error, or a code of someone else's) is
    // refused before anything in it is read, and the login goes on.
    for forged in ["error=access_denied", "code=stolen"] {
        let page = browser_get(&format!("{redirect}?{forged}&state=not-this-login"));
        assert!(page.contains("does not belong to this login"), "{page}");
    }
    // Play the browser: the sandbox consents and redirects to the tool's listener.
    let page = browser_get(&authorize);
    assert!(page.contains("connected to Moneybird"), "{page}");
    let output = child.wait_with_output().unwrap();
    env.checked(output.clone());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert_eq!(mode(&env.credentials_path()), 0o600);
    let stored = std::fs::read_to_string(env.credentials_path()).unwrap();
    assert!(
        stored.contains("kind = \"oauth\""),
        "an OAuth grant is stored"
    );
    // Without [payouts] it asks for what booking needs, and no more.
    let granted: Vec<Vec<String>> = env.world().moneybird.scopes.values().cloned().collect();
    assert_eq!(
        granted,
        [vec!["sales_invoices".to_string(), "settings".to_string()]]
    );

    // Moneybird withdraws the access token: the next sync renews it and books.
    InvoicePaid::new("2025-0001", 1000)
        .at("2025-03-09T10:00:00Z")
        .add(&env);
    env.world().revoke_access_tokens();
    let sync = |env: &Env| {
        let output = env
            .command(&["sync"])
            .env("CCV_API_KEY", &env.shop.ccv_api_key)
            .output()
            .unwrap();
        env.checked(output)
    };
    assert!(sync(&env).status.success());
    assert_eq!(env.booked("C1").len(), 1);
    let renewed = std::fs::read_to_string(env.credentials_path()).unwrap();
    assert_ne!(renewed, stored, "the renewed tokens were saved");
    assert_eq!(mode(&env.credentials_path()), 0o600);

    // The grant is withdrawn whole: sync stops, says what to do, and loses nothing.
    InvoicePaid::new("2025-0002", 2000)
        .paid_by("C2")
        .at("2025-03-09T11:00:00Z")
        .add(&env);
    env.world().revoke_access_tokens();
    env.world().revoke_refresh_tokens();
    let output = sync(&env);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("invalid_grant"), "{stderr}");
    assert!(
        stderr.contains("run `ccv-moneybird connect moneybird` again"),
        "{stderr}"
    );
    assert_eq!(env.row("C1")["tab"], "rapportage");
    assert_eq!(
        env.row("C2")["tab"],
        "open",
        "fetched and kept for the next run"
    );
    assert!(env.booked("C2").is_empty());
}

#[test]
fn oauth_with_the_out_of_band_redirect_takes_a_pasted_code() {
    let env = Env::new(NOW);
    env.use_stored_credentials();
    let oob = "urn:ietf:wg:oauth:2.0:oob";
    env.world()
        .register_oauth_app("ccv-moneybird-oob", "oob-secret-1234", oob);
    env.keep_secret("oob-secret-1234");
    env.configure_oauth("ccv-moneybird-oob", oob);

    let (mut child, authorize, _stderr) = start_oauth(&env, "oob-secret-1234", Stdio::piped());
    // Moneybird shows the code on a page; the user copies it.
    let page = browser_get(&authorize);
    let code = page
        .split("authorization_code\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap();
    use std::io::Write as _;
    writeln!(child.stdin.take().unwrap(), "{code}").unwrap();
    let output = child.wait_with_output().unwrap();
    env.checked(output.clone());

    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("Connected to Moneybird"));
}

#[test]
fn no_secret_in_verbose_logs() {
    let env = Env::new(NOW);
    InvoicePaid::new("2025-0001", 1000)
        .at("2025-03-09T10:00:00Z")
        .add(&env);

    let output = env.run(&["-vv", "sync"]);

    assert!(output.status.success());
    assert!(!output.stderr.is_empty(), "-vv logs something");
    assert_eq!(mode(&env.state_path()), 0o600);
}

#[test]
fn oauth_without_a_terminal_or_client_secret_says_which_variable_to_set() {
    let env = Env::new(NOW);
    env.use_stored_credentials();
    env.configure_oauth("ccv-moneybird-test", "urn:ietf:wg:oauth:2.0:oob");

    let output = env.run_with_input(&["connect", "moneybird"], "");

    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("there is no terminal to ask for the OAuth client secret"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: set MONEYBIRD_CLIENT_SECRET"),
        "{stderr}"
    );
    assert!(!env.credentials_path().exists());
}

/// With [payouts] set, the OAuth grant asks for the `bank` scope as well, so linking bank
/// lines works with the token it brings back.
#[test]
fn oauth_asks_for_the_bank_scope_when_payouts_are_on() {
    let env = Env::new(NOW);
    env.use_stored_credentials();
    let redirect = format!("http://127.0.0.1:{}/callback", free_port());
    let client_secret = "oauth-client-secret-of-the-bank";
    env.keep_secret(client_secret);
    env.world()
        .register_oauth_app("ccv-moneybird-bank", client_secret, &redirect);
    env.configure_oauth("ccv-moneybird-bank", &redirect);
    env.configure_payouts();
    let (child, authorize, _stderr) = start_oauth(&env, client_secret, Stdio::null());
    assert!(authorize.contains("bank"), "{authorize}");
    browser_get(&authorize);
    let output = env.checked(child.wait_with_output().unwrap());
    assert!(output.status.success());
    let granted: Vec<Vec<String>> = env.world().moneybird.scopes.values().cloned().collect();
    assert_eq!(
        granted,
        [vec![
            "sales_invoices".to_string(),
            "settings".to_string(),
            "bank".to_string()
        ]]
    );
}

/// A shop connected to Moneybird through the OAuth login, with C1 (€ 10,00) to book.
fn connected_with_oauth(client_secret: &str) -> Env {
    let env = Env::new(NOW);
    env.use_stored_credentials();
    let redirect = format!("http://127.0.0.1:{}/callback", free_port());
    env.keep_secret(client_secret);
    env.world()
        .register_oauth_app("ccv-moneybird-test", client_secret, &redirect);
    env.configure_oauth("ccv-moneybird-test", &redirect);
    let (child, authorize, _stderr) = start_oauth(&env, client_secret, Stdio::null());
    browser_get(&authorize);
    assert!(child.wait_with_output().unwrap().status.success());
    InvoicePaid::new("2025-0001", 1000)
        .at("2025-03-09T10:00:00Z")
        .add(&env);
    env
}

/// Starts `connect moneybird` with OAuth and returns it with the address it asks the person
/// to open, and its stderr: kept open by the caller, or the tool's next line breaks the pipe.
fn start_oauth(
    env: &Env,
    client_secret: &str,
    stdin: Stdio,
) -> (
    std::process::Child,
    String,
    BufReader<std::process::ChildStderr>,
) {
    let mut child = env
        .command(&["connect", "moneybird", "--skip-ledger-accounts"])
        .env("MONEYBIRD_CLIENT_SECRET", client_secret)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut printed = String::new();
    let authorize = loop {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "no authorize address in:\n{printed}"
        );
        printed.push_str(&line);
        if let Some(at) = line.find("http") {
            break line[at..].trim().to_string();
        }
    };
    (child, authorize, stderr)
}

#[test]
fn a_code_is_worth_nothing_without_the_pkce_verifier() {
    // The sandbox as an authorization server: a code issued for an S256 challenge is
    // exchanged only with the verifier behind it (RFC 7636 §4.6).
    let env = Env::new(NOW);
    let redirect = format!("http://127.0.0.1:{}/callback", free_port());
    env.world().register_oauth_app("app", "secret", &redirect);
    let verifier = "a-verifier-of-at-least-forty-three-characters-long-0123";
    let challenge = {
        use sha2::Digest as _;
        base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            sha2::Sha256::digest(verifier.as_bytes()),
        )
    };
    // The tool's own client: it follows no redirect, so the consent's Location is seen.
    let http = ccv_moneybird::http::client().unwrap();
    let code = || {
        let answer = http
            .get(format!(
                "{}/oauth/authorize?client_id=app&redirect_uri={}&response_type=code&state=s&code_challenge={challenge}&code_challenge_method=S256",
                env.sandbox.url(),
                url::form_urlencoded::byte_serialize(redirect.as_bytes()).collect::<String>()
            ))
            .send()
            .unwrap();
        let location = answer.headers()["location"].to_str().unwrap().to_string();
        url::Url::parse(&location)
            .unwrap()
            .query_pairs()
            .find(|(key, _)| key == "code")
            .unwrap()
            .1
            .into_owned()
    };
    let exchange = |code: &str, verifier: Option<&str>| {
        let mut form = vec![
            ("grant_type", "authorization_code".to_string()),
            ("code", code.to_string()),
            ("redirect_uri", redirect.clone()),
            ("client_id", "app".into()),
            ("client_secret", "secret".into()),
        ];
        if let Some(verifier) = verifier {
            form.push(("code_verifier", verifier.to_string()));
        }
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        http.post(format!("{}/oauth/token", env.sandbox.url()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(exchange(&code(), None), 400, "without the verifier");
    assert_eq!(
        exchange(
            &code(),
            Some("another-verifier-of-forty-three-characters-00000")
        ),
        400
    );
    assert_eq!(exchange(&code(), Some(verifier)), 200);
}

#[test]
fn runs_meeting_an_expired_token_at_once_never_ask_to_reconnect() {
    // The wrong code: every process refreshes with the refresh token it read at its start;
    // Moneybird rotates it on first use, and the loser is told to reconnect for nothing.
    let client_secret = "oauth-client-secret-of-the-race";
    let env = connected_with_oauth(client_secret);
    let with_key = |args: &[&str]| {
        let mut command = env.command(args);
        command
            .env("CCV_API_KEY", &env.shop.ccv_api_key)
            .env("MONEYBIRD_CLIENT_SECRET", client_secret)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    };
    assert!(with_key(&["sync"]).output().unwrap().status.success());

    for round in 0..12 {
        env.world().revoke_access_tokens();
        // Three at once, each reading Moneybird with the token it loaded at its start.
        let children: Vec<_> = (0..3)
            .map(|_| with_key(&["info", "C1"]).spawn().unwrap())
            .collect();
        for child in children {
            let output = env.checked(child.wait_with_output().unwrap());
            let said = String::from_utf8_lossy(&output.stdout);
            assert!(output.status.success(), "round {round}: {output:?}");
            assert!(
                !said.contains("could not be asked"),
                "round {round}: a run lost the race:\n{said}"
            );
        }
    }
    // What is stored works: the next run renews with it and books.
    InvoicePaid::new("2025-0002", 2000)
        .paid_by("C2")
        .at("2025-03-09T11:00:00Z")
        .add(&env);
    env.world().revoke_access_tokens();
    let output = env.checked(with_key(&["sync"]).output().unwrap());
    assert!(output.status.success(), "{output:?}");
    assert_eq!(env.booked("C2").len(), 1);
}

#[test]
fn renewed_tokens_that_cannot_be_stored_are_said_so_not_blamed_on_the_grant() {
    // The wrong code: a failed save reported as a refused token, sending the person to
    // reconnect although the grant is fine.
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: needs root to hand the test folder to nobody");
        return;
    }
    let client_secret = "oauth-client-secret-of-the-save";
    let env = connected_with_oauth(client_secret);
    fn give_away(path: &std::path::Path) {
        std::os::unix::fs::chown(path, Some(65534), Some(65534)).unwrap();
        if path.is_dir() {
            for entry in std::fs::read_dir(path).unwrap() {
                give_away(&entry.unwrap().path());
            }
        }
    }
    give_away(env.dir.path());
    // Where the test binary lies out of nobody's reach (a checkout under /root), it cannot
    // run as nobody: skipped, saying so.
    let reachable = {
        use std::os::unix::process::CommandExt as _;
        env.command(&["--version"])
            .uid(65534)
            .gid(65534)
            .output()
            .is_ok_and(|output| output.status.success())
    };
    if !reachable {
        eprintln!("skipped: the tool cannot run as nobody here; modes do not count for root");
        return;
    }
    // The lock beside the credentials belongs to someone else and cannot be written.
    let mut lock = env.credentials_path().into_os_string();
    lock.push(".lock");
    std::fs::write(&lock, "").unwrap();
    std::fs::set_permissions(&lock, std::os::unix::fs::PermissionsExt::from_mode(0o444)).unwrap();
    env.world().revoke_access_tokens();
    let output = {
        use std::os::unix::process::CommandExt as _;
        env.checked(
            env.command(&["sync"])
                .env("CCV_API_KEY", &env.shop.ccv_api_key)
                .env("MONEYBIRD_CLIENT_SECRET", client_secret)
                .uid(65534)
                .gid(65534)
                .output()
                .unwrap(),
        )
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("could not be saved"), "{stderr}");
    assert!(!stderr.contains("Moneybird refused"), "{stderr}");
    assert!(env.booked("C1").is_empty());
}

#[test]
fn connect_moneybird_run_again_keeps_the_token_and_the_choices_and_never_offers_the_debtors() {
    // The wrong code: asking for the token again on every run, losing the mapping made
    // when a later step fails, and offering the debtors' account as a tussenrekening.
    let env = Env::new(NOW);
    env.use_stored_credentials();
    let ideal = env.shop.ledger_accounts["ideal"].clone();
    let card = env.shop.ledger_accounts["card"].clone();
    let first = env.run_with_input(
        &[
            "connect",
            "moneybird",
            "--token-stdin",
            "--ledger-account",
            &format!("ideal={ideal}"),
        ],
        &format!("{}\n", env.shop.moneybird_token),
    );
    assert!(first.status.success(), "{first:?}");

    // Again, naming the debtors' account: refused, the token not asked for, nothing lost.
    let refused = env.run(&[
        "connect",
        "moneybird",
        "--ledger-account",
        "card=496081600000000001",
    ]);
    let stderr = crate::common::flat(&String::from_utf8_lossy(&refused.stderr));
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("stored before"), "{stderr}");
    assert!(
        stderr.contains("1300 Debiteuren cannot be a tussenrekening"),
        "{stderr}"
    );
    assert!(
        stderr.contains("14511 Tussenrekening CCV iDEAL"),
        "by code and name: {stderr}"
    );
    assert!(
        !stderr.contains("= 1300 Debiteuren"),
        "never offered: {stderr}"
    );
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains(&format!("ideal = \"{ideal}\"")), "{config}");
    assert!(config.contains(&env.shop.administration_id), "{config}");

    let again = env.run(&[
        "connect",
        "moneybird",
        "--ledger-account",
        &format!("card={card}"),
    ]);
    assert!(again.status.success(), "{again:?}");
    let said = String::from_utf8_lossy(&again.stdout);
    assert!(
        said.contains("14512 Tussenrekening CCV creditcard"),
        "{said}"
    );
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains(&format!("ideal = \"{ideal}\"")), "{config}");
    assert!(config.contains(&format!("card = \"{card}\"")), "{config}");
}

#[test]
fn connect_moneybird_with_a_revoked_stored_token_asks_for_a_new_one_not_in_a_circle() {
    // The wrong code: run again as the advice says, it takes the revoked stored token, is
    // refused, and says to run `connect moneybird` again.
    let env = Env::new(NOW);
    env.use_stored_credentials();
    let first = env.run_with_input(
        &[
            "connect",
            "moneybird",
            "--token-stdin",
            "--skip-ledger-accounts",
        ],
        &format!("{}\n", env.shop.moneybird_token),
    );
    assert!(first.status.success(), "{first:?}");
    env.world().moneybird.tokens.clear();
    env.world()
        .moneybird
        .tokens
        .push("a-new-token-of-the-bookkeeper".into());
    env.keep_secret("a-new-token-of-the-bookkeeper");

    // Without a terminal: it says a new token is needed and how to give it.
    let output = env.run(&["connect", "moneybird", "--skip-ledger-accounts"]);
    let stderr = crate::common::flat(&String::from_utf8_lossy(&output.stderr));
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("no longer takes the stored credential"),
        "{stderr}"
    );
    assert!(stderr.contains("--token-stdin"), "{stderr}");

    // At a terminal: asked for, taken, stored.
    let mut session = rexpect::session::spawn_command(
        env.command(&["connect", "moneybird", "--skip-ledger-accounts"]),
        Some(15_000),
    )
    .expect("a pty");
    session.exp_string("personal API token").unwrap();
    session.send_line("a-new-token-of-the-bookkeeper").unwrap();
    session.exp_eof().unwrap();
    let stored = std::fs::read_to_string(env.credentials_path()).unwrap();
    assert!(stored.contains("a-new-token-of-the-bookkeeper"));
}
