//! One file per command: arguments in, a library call, output out.

pub mod demo;
pub mod info;
pub mod recheck;
pub mod report;
pub mod retry;
pub mod status;
pub mod sync;

use std::path::Path;

use crate::cli::{Cli, Command};
use crate::clock::Clock;
use crate::config::{Secrets, Settings};
use crate::error::user_error;
use crate::store::{PaymentRow, Store};

/// What every command starts from. Clients and the database are opened by the commands
/// that need them, so `status` never builds an HTTP client.
pub struct Context {
    pub settings: Settings,
    pub secrets: Secrets,
    pub clock: Clock,
}

impl Context {
    pub fn load(config: Option<&Path>) -> anyhow::Result<Context> {
        Ok(Context {
            settings: Settings::load(config)?,
            secrets: Secrets::from_env(),
            clock: Clock::from_env()?,
        })
    }

    pub fn open_store(&self) -> anyhow::Result<Store> {
        Store::open(&self.settings.state_path)
    }
}

/// A payment by the short number shown in the tables, or by its CCV reference.
pub fn find_payment(store: &Store, id_or_reference: &str) -> anyhow::Result<PaymentRow> {
    let wanted = id_or_reference.trim().trim_start_matches('#');
    let found = match wanted.parse::<i64>() {
        Ok(id) => store.payment(id)?,
        Err(_) => store.payment_by_reference(wanted)?,
    };
    found.ok_or_else(|| {
        user_error(
            format!("no payment `{id_or_reference}` is known"),
            "use the id from `ccv-moneybird status --tab all`, or a CCV reference",
        )
    })
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Demo(args) => demo::run(&args),
        command => {
            let context = Context::load(cli.config.as_deref())?;
            match command {
                Command::Sync(args) => sync::run(&context, &args),
                Command::Recheck(args) => recheck::run(&context, &args),
                Command::Status(args) => status::run(&context, &args),
                Command::Info(args) => info::run(&context, &args),
                Command::Retry(args) => retry::run(&context, &args),
                Command::Report(args) => report::run(&context, &args),
                Command::Demo(_) => unreachable!("handled above"),
            }
        }
    }
}
