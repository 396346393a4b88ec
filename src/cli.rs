//! The command line: its definitions (doc comments are the `--help` text), dispatch to the
//! commands, and the process around them: logging, umask, exit codes.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::cmd;
use crate::error;
use crate::ops::Context;

/// Books CCV Online Payments onto their open Moneybird invoices, exactly once.
///
/// Exit codes: 0 done, 1 could not do its job or refused, 2 wrong usage, 70 an internal
/// error (a bug: please report it), 75 another run holds the lock.
#[derive(Debug, Parser)]
#[command(name = "ccv-moneybird", version, propagate_version = true)]
pub(crate) struct Cli {
    /// The config file [default: $XDG_CONFIG_HOME/ccv-moneybird/config.toml]
    #[arg(long, global = true, env = "CCV_MONEYBIRD_CONFIG", value_name = "PATH")]
    config: Option<PathBuf>,

    /// Say more on stderr (-v: what is done, -vv: every request)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,

    /// Say nothing on stderr but errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,

    /// When to colour the output
    #[arg(long, global = true, value_enum, default_value_t, value_name = "WHEN")]
    color: crate::view::ColorChoice,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Connect(cmd::connect::ConnectArgs),
    Sync(cmd::sync::SyncArgs),
    Recheck(cmd::recheck::RecheckArgs),
    Status(cmd::status::StatusArgs),
    Info(cmd::info::InfoArgs),
    Retry(cmd::retry::RetryArgs),
    Resolve(cmd::resolve::ResolveArgs),
    Report(cmd::report::ReportArgs),
    #[cfg(feature = "demo")]
    Demo(cmd::demo::DemoArgs),
    Completions(cmd::completions::CompletionsArgs),
    Man(cmd::completions::ManArgs),
}

/// The whole program, for `main.rs`.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(usage) => {
            let _ = usage.print();
            return ExitCode::from(if usage.use_stderr() {
                error::EXIT_USAGE
            } else {
                0
            });
        }
    };
    error::install_panic_hook();
    // Everything this tool writes holds payment data or secrets: owner only.
    // SAFETY: umask has no preconditions; it only sets this process's file creation mask.
    unsafe { libc::umask(0o077) };
    init_logging(
        cli.verbose,
        cli.quiet,
        crate::view::use_colour(cli.color, std::io::stderr().is_terminal()),
    );
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => ExitCode::from(error::report(&failure)),
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    // These two need no loaded config: demo brings its own, connect writes it.
    let command = match cli.command {
        #[cfg(feature = "demo")]
        Command::Demo(args) => return cmd::demo::run(&args),
        Command::Connect(args) => return cmd::connect::run(cli.config.as_deref(), &args),
        Command::Completions(args) => return cmd::completions::completions(&args),
        Command::Man(_) => return cmd::completions::man(),
        command => command,
    };
    let mut context = Context::load(cli.config.as_deref())?;
    context.interactive = !cli.quiet && std::io::stderr().is_terminal();
    context.colour = crate::view::use_colour(cli.color, std::io::stdout().is_terminal());
    match command {
        Command::Sync(args) => cmd::sync::run(&context, &args),
        Command::Recheck(args) => cmd::recheck::run(&context, &args),
        Command::Status(args) => cmd::status::run(&context, &args),
        Command::Info(args) => cmd::info::run(&context, &args),
        Command::Retry(args) => cmd::retry::run(&context, &args),
        Command::Resolve(args) => cmd::resolve::run(&context, &args),
        Command::Report(args) => cmd::report::run(&context, &args),
        #[cfg(feature = "demo")]
        Command::Demo(args) => cmd::demo::run(&args),
        Command::Connect(args) => cmd::connect::run(cli.config.as_deref(), &args),
        Command::Completions(args) => cmd::completions::completions(&args),
        Command::Man(_) => cmd::completions::man(),
    }
}

fn init_logging(verbose: u8, quiet: bool, colour: bool) {
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "ccv_moneybird=info",
        (false, _) => "ccv_moneybird=debug",
    };
    use tracing_subscriber::filter::Targets;
    use tracing_subscriber::prelude::*;
    // `CCV_MONEYBIRD_LOG=ccv_moneybird=debug,reqwest=info`, as RUST_LOG would say it.
    let filter = std::env::var("CCV_MONEYBIRD_LOG")
        .ok()
        .and_then(|wanted| wanted.parse::<Targets>().ok())
        .unwrap_or_else(|| default.parse().expect("a valid default filter"));
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_ansi(colour)
                .without_time()
                .with_target(false)
                .with_filter(filter),
        )
        .init();
}
