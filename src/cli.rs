//! The command line. Doc comments here are the `--help` text.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::cmd;

/// Books CCV Online Payments onto their open Moneybird invoices, exactly once.
///
/// Exit codes: 0 done, 1 could not do its job or refused, 2 wrong usage, 75 another run
/// holds the lock.
#[derive(Debug, Parser)]
#[command(name = "ccv-moneybird", version, propagate_version = true)]
pub struct Cli {
    /// The config file [default: $XDG_CONFIG_HOME/ccv-moneybird/config.toml]
    #[arg(long, global = true, env = "CCV_MONEYBIRD_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Say more on stderr (-v: what is done, -vv: every request)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Say nothing on stderr but errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Connect(cmd::connect::ConnectArgs),
    Sync(cmd::sync::SyncArgs),
    Recheck(cmd::recheck::RecheckArgs),
    Status(cmd::status::StatusArgs),
    Info(cmd::info::InfoArgs),
    Retry(cmd::retry::RetryArgs),
    Resolve(cmd::resolve::ResolveArgs),
    Report(cmd::report::ReportArgs),
    Demo(cmd::demo::DemoArgs),
}
