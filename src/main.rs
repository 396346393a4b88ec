use std::io::IsTerminal as _;
use std::process::ExitCode;

use ccv_moneybird::cli::Cli;
use ccv_moneybird::error;
use clap::Parser as _;

fn main() -> ExitCode {
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
    // Everything this tool writes holds payment data or secrets: owner only.
    // SAFETY: umask has no preconditions; it only sets this process's file creation mask.
    unsafe { libc::umask(0o077) };
    init_logging(cli.verbose, cli.quiet);
    match ccv_moneybird::cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => ExitCode::from(error::report(&failure)),
    }
}

fn init_logging(verbose: u8, quiet: bool) {
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "ccv_moneybird=info",
        (false, _) => "ccv_moneybird=debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("CCV_MONEYBIRD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .without_time()
        .with_target(false)
        .init();
}
