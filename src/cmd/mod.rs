//! One file per command: arguments in, a library call, output out.

pub mod demo;
pub mod recheck;
pub mod status;
pub mod sync;

use std::path::Path;

use crate::cli::{Cli, Command};
use crate::clock::Clock;
use crate::config::{Secrets, Settings};
use crate::store::Store;

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

pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Demo(args) => demo::run(&args),
        command => {
            let context = Context::load(cli.config.as_deref())?;
            match command {
                Command::Sync(args) => sync::run(&context, &args),
                Command::Recheck(args) => recheck::run(&context, &args),
                Command::Status(args) => status::run(&context, &args),
                Command::Demo(_) => unreachable!("handled above"),
            }
        }
    }
}
