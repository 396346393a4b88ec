//! The test environment: a sandbox on a loopback port, a config pointing at it, and the
//! real binary run with a controlled environment (fixed clock, a far-off time zone, no
//! inherited variables).

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::MutexGuard;

use ccv_moneybird_sandbox::Cents;
use ccv_moneybird_sandbox::seed::{NewInvoice, Shop};
use ccv_moneybird_sandbox::{Api, CcvTransaction, InvoiceType, Options, Sandbox, World};
use chrono::{DateTime, Utc};
use serde_json::Value;

pub struct Env {
    pub sandbox: Sandbox,
    pub shop: Shop,
    pub dir: tempfile::TempDir,
    now: std::cell::RefCell<String>,
    /// Whether the credentials come from the environment (else from `connect`'s store).
    credentials_from_env: std::cell::Cell<bool>,
    /// Secrets no command may ever print.
    secrets: std::cell::RefCell<Vec<String>>,
}

/// A time zone far from Europe/Amsterdam, so that any use of the machine's local time
/// shows up as a wrong booking date.
const MACHINE_TZ: &str = "Pacific/Kiritimati";

impl Env {
    /// A fresh shop whose "now" is `now` (RFC 3339), with tussenrekeningen for iDEAL and
    /// card configured, and none for the other methods.
    pub fn new(now: &str) -> Env {
        Env::with_options(now, Options::default())
    }

    pub fn with_options(now: &str, options: Options) -> Env {
        let at: DateTime<Utc> = now.parse().expect("an RFC 3339 time");
        let sandbox = Sandbox::start(Options {
            clock: ccv_moneybird_sandbox::Clock::fixed(at),
            ..options
        })
        .expect("the sandbox starts");
        let shop = sandbox.world().open_shop();
        let env = Env {
            sandbox,
            shop,
            dir: tempfile::tempdir().expect("a temporary directory"),
            now: std::cell::RefCell::new(now.into()),
            credentials_from_env: std::cell::Cell::new(true),
            secrets: std::cell::RefCell::new(Vec::new()),
        };
        env.keep_secret(&env.shop.ccv_api_key.clone());
        env.keep_secret(&env.shop.moneybird_token.clone());
        env.write_config("");
        env
    }

    /// From now on the tool gets no credentials from the environment: only what `connect`
    /// stored.
    pub fn use_stored_credentials(&self) {
        self.credentials_from_env.set(false);
    }

    /// A value that must never appear in any output.
    pub fn keep_secret(&self, secret: &str) {
        self.secrets.borrow_mut().push(secret.to_string());
    }

    /// Fails the test when any output holds a secret.
    pub fn assert_no_secret(&self, what: &str, output: &[u8]) {
        let text = String::from_utf8_lossy(output);
        for secret in self.secrets.borrow().iter() {
            assert!(
                !text.contains(secret.as_str()),
                "a secret appeared in {what}:\n{text}"
            );
        }
    }

    /// Moves the clock of both the sandbox and the tool to `now`.
    pub fn set_now(&self, now: &str) {
        let at: DateTime<Utc> = now.parse().expect("an RFC 3339 time");
        self.world().options.clock = ccv_moneybird_sandbox::Clock::fixed(at);
        self.now.replace(now.into());
    }

    /// The state database is gone, with its journal: a disk that died, a restore gone wrong.
    pub fn lose_state_file(&self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut path = self.state_path().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }

    pub fn config_path(&self) -> PathBuf {
        self.dir.path().join("config.toml")
    }

    pub fn state_path(&self) -> PathBuf {
        self.dir.path().join("data/ccv-moneybird/state.sqlite3")
    }

    /// Writes the config, with `extra` TOML appended to the [booking] section.
    pub fn write_config(&self, extra_booking: &str) {
        let card = self.shop.ledger_accounts["card"].clone();
        self.write_config_with(extra_booking, &card);
    }

    /// Adds the OAuth application to the config.
    pub fn configure_oauth(&self, client_id: &str, redirect_uri: &str) {
        let mut config = std::fs::read_to_string(self.config_path()).unwrap();
        config.push_str(&format!(
            "\n[moneybird.oauth]\nclient_id = \"{client_id}\"\nredirect_uri = \"{redirect_uri}\"\n"
        ));
        std::fs::write(self.config_path(), config).unwrap();
    }

    /// Adds `[payouts]` with the shop's bank account and costs ledger account.
    pub fn configure_payouts(&self) {
        let config = std::fs::read_to_string(self.config_path()).unwrap();
        std::fs::write(
            self.config_path(),
            format!(
                "{config}\n[payouts]\nfinancial_account_id = \"{}\"\ncosts_ledger_account_id = \"{}\"\n",
                self.shop.bank_account, self.shop.costs_ledger_account
            ),
        )
        .unwrap();
    }

    pub fn credentials_path(&self) -> PathBuf {
        self.dir.path().join("data/ccv-moneybird/credentials.toml")
    }

    /// Writes the config with a given ledger account id for card payments.
    pub fn write_config_with(&self, extra_booking: &str, card_ledger: &str) {
        let config = format!(
            "[ccv]\nbase_url = \"{url}\"\n\n[moneybird]\nbase_url = \"{url}\"\nadministration_id = \"{administration}\"\n\n\
             [booking]\ntimezone = \"Europe/Amsterdam\"\n{extra_booking}\n\n\
             [ledger_accounts]\nideal = \"{ideal}\"\ncard = \"{card}\"\n",
            url = self.sandbox.url(),
            administration = self.shop.administration_id,
            ideal = self.shop.ledger_accounts["ideal"],
            card = card_ledger,
        );
        std::fs::write(self.config_path(), config).expect("the config is written");
    }

    pub fn world(&self) -> MutexGuard<'_, World> {
        self.sandbox.world()
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ccv-moneybird"));
        command
            .args(args)
            .env_clear()
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("TZ", MACHINE_TZ)
            .env("CCV_MONEYBIRD_CONFIG", self.config_path())
            .env("__CCV_MONEYBIRD_TEST_NOW", self.now.borrow().as_str())
            .env("COLUMNS", "100");
        if self.credentials_from_env.get() {
            command
                .env("CCV_API_KEY", &self.shop.ccv_api_key)
                .env("MONEYBIRD_TOKEN", &self.shop.moneybird_token);
        }
        command
    }

    /// Runs a command; whatever it prints is checked for secrets.
    pub fn run(&self, args: &[&str]) -> Output {
        self.checked(self.command(args).output().expect("the binary runs"))
    }

    /// Runs a command with `input` on its standard input.
    pub fn run_with_input(&self, args: &[&str], input: &str) -> Output {
        use std::io::Write as _;
        let mut child = self
            .command(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the binary runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        self.checked(child.wait_with_output().unwrap())
    }

    pub fn checked(&self, output: Output) -> Output {
        self.assert_no_secret("stdout", &output.stdout);
        self.assert_no_secret("stderr", &output.stderr);
        output
    }

    /// Runs a command that must succeed, and returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        self.ok_by(self.command(args))
    }

    /// [`Env::ok`] for a command with more set on it.
    pub fn ok_by(&self, mut command: Command) -> String {
        let args: Vec<String> = command
            .get_args()
            .map(|arg| arg.to_string_lossy().into_owned())
            .collect();
        let output = self.checked(command.output().expect("the binary runs"));
        assert!(
            output.status.success(),
            "`{}` failed with {:?}\nstdout:\n{}\nstderr:\n{}",
            args.join(" "),
            output.status.code(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("utf-8 output")
    }

    /// What a command said and how it ended, as one text to snapshot: the exit code,
    /// stdout and stderr together (jj's `CommandOutput`). The test's own paths and the
    /// sandbox's port are replaced by placeholders.
    pub fn said(&self, args: &[&str]) -> String {
        self.said_by(self.command(args))
    }

    /// [`Env::said`] for a command with more set on it (a language, a width, a PATH).
    pub fn said_by(&self, mut command: Command) -> String {
        let output = self.checked(command.output().expect("the binary runs"));
        let text = format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            output
                .status
                .code()
                .map_or_else(|| "killed".to_string(), |code| code.to_string()),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        text.replace(&self.dir.path().display().to_string(), "[DIR]")
            .replace(self.sandbox.url(), "[SANDBOX]")
    }

    /// Runs `sync`, killed by the sandbox at its `at`-th Moneybird request (counted from
    /// the sandbox's start) at `moment`; whether it ended in success.
    pub fn sync_killed_at(&self, at: usize, moment: ccv_moneybird_sandbox::Moment) -> bool {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicU32, Ordering};
        let pid = Arc::new(AtomicU32::new(0));
        self.world().faults.kill = Some(ccv_moneybird_sandbox::Kill {
            at,
            moment,
            pid: Arc::clone(&pid),
        });
        let child = self
            .command(&["sync"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        pid.store(child.id(), Ordering::SeqCst);
        let status = self.checked(child.wait_with_output().unwrap()).status;
        self.world().faults.kill = None;
        status.success()
    }

    pub fn sync(&self) -> String {
        self.ok(&["sync"])
    }

    /// Every payment row, as `status --json` prints it.
    pub fn rows(&self) -> Vec<Value> {
        serde_json::from_str(&self.ok(&["status", "--json"])).expect("status --json is JSON")
    }

    pub fn row(&self, reference: &str) -> Value {
        self.rows()
            .into_iter()
            .find(|row| row["reference"] == reference)
            .unwrap_or_else(|| panic!("no row for {reference}"))
    }

    /// The payments Moneybird holds with this transaction identifier.
    pub fn booked(&self, identifier: &str) -> Vec<Booked> {
        self.world()
            .moneybird
            .payments_with_identifier(identifier)
            .into_iter()
            .map(|(invoice, payment)| Booked {
                invoice: match invoice.kind {
                    InvoiceType::Sales => invoice.number.clone().unwrap_or_default(),
                    InvoiceType::External => invoice.reference.clone().unwrap_or_default(),
                },
                price: payment.price,
                date: payment.payment_date.clone(),
                ledger_account_id: payment.ledger_account_id.clone(),
                manual_payment_action: payment.manual_payment_action.clone(),
            })
            .collect()
    }

    /// How many payments Moneybird holds in all.
    pub fn payment_count(&self) -> usize {
        self.world()
            .moneybird
            .invoices
            .iter()
            .map(|invoice| invoice.payments.len())
            .sum()
    }

    pub fn moneybird_requests(&self) -> usize {
        self.world().requests(Api::Moneybird).count()
    }

    pub fn payment_posts(&self) -> usize {
        self.world()
            .requests(Api::Moneybird)
            .filter(|request| request.method == "POST" && request.path.contains("/payments"))
            .count()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booked {
    pub invoice: String,
    pub price: Cents,
    pub date: String,
    pub ledger_account_id: Option<String>,
    pub manual_payment_action: Option<String>,
}

/// Two payments that cannot be booked by themselves: C2 (€ 20,00) fits two open invoices by
/// their reference ORDER-2, and C3 (€ 30,00) names an invoice that does not exist.
pub fn ambiguous_and_lost(env: &Env) {
    let mut world = env.world();
    world.add_invoice(NewInvoice::sales("2026-0002", Cents(2000)).reference("ORDER-2"));
    world.add_invoice(NewInvoice::sales("2026-0003", Cents(2000)).reference("ORDER-2"));
    let mut ambiguous = Sale::new("C2", 2000).at("2026-11-25T11:00:00Z").build();
    ambiguous.merchant_order_reference = Some("ORDER-2".into());
    world.add_transaction(ambiguous);
    let mut lost = Sale::new("C3", 3000)
        .method("card")
        .at("2026-11-25T12:00:00Z")
        .build();
    lost.description = Some("Factuur 2026-0999".into());
    world.add_transaction(lost);
}

/// Text as a reader reads it across the lines a screen wrapped it into.
pub fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn ms(at: &str) -> i64 {
    at.parse::<DateTime<Utc>>()
        .expect("an RFC 3339 time")
        .timestamp_millis()
}

/// A CCV sale as a test sets it up: paid in full through iDEAL on the 25th of November
/// 2026 at 10:00 UTC, unless the builder says otherwise.
#[derive(Clone, Debug)]
pub struct Sale {
    reference: String,
    cents: i64,
    status: String,
    method: String,
    at: String,
    description: Option<String>,
}

impl Sale {
    pub fn new(reference: &str, cents: i64) -> Sale {
        Sale {
            reference: reference.into(),
            cents,
            status: "success".into(),
            method: "ideal".into(),
            at: "2026-11-25T10:00:00Z".into(),
            description: None,
        }
    }

    pub fn status(mut self, status: &str) -> Sale {
        self.status = status.into();
        self
    }

    pub fn method(mut self, method: &str) -> Sale {
        self.method = method.into();
        self
    }

    /// When it was made (and paid, when it is).
    pub fn at(mut self, at: &str) -> Sale {
        self.at = at.into();
        self
    }

    pub fn described(mut self, description: &str) -> Sale {
        self.description = Some(description.into());
        self
    }

    pub fn build(self) -> CcvTransaction {
        let mut transaction = CcvTransaction::sale(
            &self.reference,
            &self.status,
            Cents(self.cents),
            &self.method,
            ms(&self.at),
        );
        transaction.description = self.description;
        transaction
    }
}

/// An open sales invoice and the CCV payment whose description names it: of the same
/// amount unless [`InvoicePaid::amount`] says otherwise, and, with
/// [`InvoicePaid::typed_in_by_hand_on`], typed into Moneybird by the bookkeeper too, with
/// the CCV reference.
pub struct InvoicePaid {
    number: String,
    total: i64,
    sale: Sale,
    typed_on: Option<String>,
}

impl InvoicePaid {
    pub fn new(number: &str, total: i64) -> InvoicePaid {
        InvoicePaid {
            number: number.into(),
            total,
            sale: Sale::new("C1", total).described(&format!("Factuur {number}")),
            typed_on: None,
        }
    }

    pub fn paid_by(mut self, reference: &str) -> InvoicePaid {
        self.sale.reference = reference.into();
        self
    }

    pub fn amount(mut self, cents: i64) -> InvoicePaid {
        self.sale.cents = cents;
        self
    }

    pub fn method(mut self, method: &str) -> InvoicePaid {
        self.sale = self.sale.method(method);
        self
    }

    pub fn at(mut self, at: &str) -> InvoicePaid {
        self.sale = self.sale.at(at);
        self
    }

    pub fn typed_in_by_hand_on(mut self, day: &str) -> InvoicePaid {
        self.typed_on = Some(day.into());
        self
    }

    pub fn add(self, env: &Env) {
        let mut world = env.world();
        let invoice = world.add_invoice(ccv_moneybird_sandbox::seed::NewInvoice::sales(
            &self.number,
            Cents(self.total),
        ));
        let (reference, cents) = (self.sale.reference.clone(), self.sale.cents);
        world.add_transaction(self.sale.build());
        if let Some(day) = self.typed_on {
            world.add_manual_payment(
                InvoiceType::Sales,
                &invoice,
                Some(&reference),
                Cents(cents),
                day.parse().expect("a date"),
            );
        }
    }
}

/// The simplest shop: open invoice 2026-0001 of € 10,00, paid through iDEAL by C1 on the
/// 25th of November 2026.
pub fn one_paid(env: &Env) {
    InvoicePaid::new("2026-0001", 1000).add(env);
}
