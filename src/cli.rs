//! The command line: its definitions (doc comments are the `--help` text), dispatch to the
//! commands, and the process around them: logging, umask, exit codes.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand};

use crate::cmd;
use crate::error;
use crate::i18n::{self, Lang};
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

    /// The state database, over the one the config names (the scheduled runs name it)
    #[arg(long, global = true, value_name = "PATH")]
    state: Option<PathBuf>,

    /// Also write what the run does to this log: appended, owner-only, each line with its
    /// time, rotated at 10 MiB keeping one old file
    #[arg(long, global = true, value_name = "FILE")]
    log: Option<PathBuf>,

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
    Export(cmd::export::ExportArgs),
    Payouts(cmd::payouts::PayoutsArgs),
    Doctor(cmd::doctor::DoctorArgs),
    Schedule(cmd::schedule::ScheduleArgs),
    #[cfg(feature = "demo")]
    Demo(cmd::demo::DemoArgs),
    Completions(cmd::completions::CompletionsArgs),
    Man(cmd::completions::ManArgs),
}

/// The whole program, for `main.rs`.
pub fn main() -> ExitCode {
    let explicit_config = config_named_in(std::env::args_os());
    crate::i18n::set(Lang::choose(crate::config::peek_language(
        explicit_config.as_deref(),
    )));
    let parsed = command()
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(usage) => {
            match (i18n::current(), usage.use_stderr()) {
                (Lang::Nl, true) => {
                    eprintln!("{}", crate::view::fit(dutch_error(&usage).trim_end()))
                }
                // clap does not wrap its error line; the rest of its text already fits.
                (Lang::En, true) => {
                    eprintln!(
                        "{}",
                        crate::view::fit(usage.render().to_string().trim_end())
                    )
                }
                (Lang::Nl, false) => {
                    let _ = crate::view::print(&dutch_usage(&usage.render().to_string()));
                }
                _ => {
                    let _ = usage.print();
                }
            }
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
    if let Some(state) = &cli.state {
        let _ = crate::config::STATE_OVERRIDE.set(state.clone());
    }
    let log = match cli
        .log
        .as_deref()
        .map(crate::logfile::LogFile::open)
        .transpose()
    {
        Ok(log) => log,
        Err(error) => {
            let failure = error::user_error(
                t!(
                    "log-cannot-open",
                    path = cli.log.clone().unwrap_or_default().display().to_string(),
                    error = error.to_string()
                ),
                t!("log-cannot-open-hint"),
            );
            return ExitCode::from(error::report(&failure));
        }
    };
    init_logging(
        cli.verbose,
        cli.quiet,
        crate::view::use_colour(cli.color, std::io::stderr().is_terminal()),
        log,
    );
    match run(cli) {
        Ok(()) => {
            tracing::info!(target: LOG_ONLY, "done");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            let code = error::report(&failure);
            tracing::error!(target: LOG_ONLY, "exit {code}: {failure:#}");
            ExitCode::from(code)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    // These two need no loaded config: demo brings its own, connect writes it.
    let command = match cli.command {
        #[cfg(feature = "demo")]
        Command::Demo(args) => return cmd::demo::run(&args),
        Command::Connect(args) => return cmd::connect::run(cli.config.as_deref(), &args),
        // Doctor says what is wrong with the config instead of stopping at it.
        Command::Doctor(args) => return cmd::doctor::run(cli.config.as_deref(), &args),
        Command::Completions(args) => {
            return cmd::completions::completions(&args, Cli::command());
        }
        Command::Man(_) => return cmd::completions::man(Cli::command()),
        command => command,
    };
    let mut context = Context::load(cli.config.as_deref())?;
    crate::i18n::set(Lang::choose(context.settings.language));
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
        Command::Schedule(args) => cmd::schedule::run(&context, &args),
        Command::Export(args) => cmd::export::run(&context, &args),
        Command::Payouts(args) => cmd::payouts::run(&context, &args),
        Command::Doctor(args) => cmd::doctor::run(cli.config.as_deref(), &args),
        #[cfg(feature = "demo")]
        Command::Demo(args) => cmd::demo::run(&args),
        Command::Connect(args) => cmd::connect::run(cli.config.as_deref(), &args),
        Command::Completions(args) => cmd::completions::completions(&args, Cli::command()),
        Command::Man(_) => cmd::completions::man(Cli::command()),
    }
}

/// Where errors go to the log file only: stderr says them itself.
pub const LOG_ONLY: &str = "ccv_moneybird::log_only";

fn init_logging(verbose: u8, quiet: bool, colour: bool, log: Option<crate::logfile::LogFile>) {
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
        .unwrap_or_else(|| default.parse().expect("a valid default filter"))
        .with_target(LOG_ONLY, tracing::level_filters::LevelFilter::OFF);
    // The log file says what each run did, whatever stderr shows: the run's summary at
    // info, and how it ended.
    let file = log.map(|log| {
        let level = match verbose {
            0 | 1 => "ccv_moneybird=info",
            _ => "ccv_moneybird=debug",
        };
        tracing_subscriber::fmt::layer()
            .with_writer(move || log.clone())
            .with_ansi(false)
            .without_time()
            .with_target(false)
            .with_filter(level.parse::<Targets>().expect("a valid log filter"))
    });
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(move || crate::text::LogWriter { colour })
                .with_ansi(colour)
                .without_time()
                .with_target(false)
                .with_filter(filter),
        )
        .with(file)
        .init();
}

/// `--config PATH` or `--config=PATH` as given, before clap has parsed anything: the config
/// names the language that `--help` and usage errors are said in.
fn config_named_in(args: impl IntoIterator<Item = std::ffi::OsString>) -> Option<PathBuf> {
    let mut args = args.into_iter().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        if arg == "--config" {
            return args.next().map(PathBuf::from);
        }
        if let Some(path) = arg.to_str().and_then(|text| text.strip_prefix("--config=")) {
            return Some(PathBuf::from(path));
        }
    }
    None
}

/// The command line as clap knows it, its help in the language of this run.
pub fn command() -> clap::Command {
    // Help and usage fit the screen as everything else does: the terminal, `COLUMNS`, or 80
    // characters in a pipe.
    let width = crate::view::table_width(false).map_or(80, usize::from);
    let command = Cli::command().term_width(width).max_term_width(width);
    match i18n::current() {
        Lang::En => command,
        Lang::Nl => in_dutch(command, "root"),
    }
}

/// Dutch help for a command and everything under it. The English is the doc comments; the
/// Dutch is `help-<command>` and `help-<command>-<argument>` in the Fluent files (a test
/// checks that every one is there).
fn in_dutch(command: clap::Command, path: &str) -> clap::Command {
    let said = |id: &str| crate::i18n::Message::new(id).say_in(Lang::Nl);
    let mut command = command
        .about(said(&format!("help-{path}")))
        .long_about(None::<&str>)
        .help_template(DUTCH_HELP_TEMPLATE)
        .subcommand_help_heading("Opdrachten")
        .disable_help_flag(true)
        .arg(
            clap::Arg::new("help")
                .short('h')
                .long("help")
                .action(clap::ArgAction::Help)
                .help("Toon deze hulp")
                .help_heading("Opties")
                .global(path == "root"),
        );
    if let Some(examples) = command.get_after_help().map(ToString::to_string) {
        command = command.after_help(examples.replacen("Examples:", "Voorbeelden:", 1).replace(
            "booked by hand on 2026-11-20",
            "met de hand geboekt op 20-11-2026",
        ));
    }
    if path == "root" {
        command = command
            .disable_version_flag(true)
            .disable_help_subcommand(true)
            .after_help(said("help-root-after"))
            .arg(
                clap::Arg::new("version")
                    .short('V')
                    .long("version")
                    .action(clap::ArgAction::Version)
                    .help("Toon de versie")
                    .help_heading("Opties"),
            );
    }
    let ids: Vec<String> = command
        .get_arguments()
        .filter(|arg| !matches!(arg.get_id().as_str(), "help" | "version"))
        .filter(|arg| path == "root" || !arg.is_global_set())
        .map(|arg| arg.get_id().to_string())
        .collect();
    for id in ids {
        let text = said(&format!("help-{path}-{id}"));
        command = command.mut_arg(&id, |arg| {
            let heading = if arg.is_positional() {
                "Argumenten"
            } else {
                "Opties"
            };
            // clap would add "[default: …]" and "Possible values:" in English: said here,
            // for the options that take a value.
            let takes_value = arg.get_action().takes_values();
            let mut text = text;
            let values: Vec<String> = arg
                .get_possible_values()
                .iter()
                .filter(|value| !value.is_hide_set())
                .map(|value| value.get_name().to_string())
                .collect();
            if takes_value && !values.is_empty() {
                text.push_str(&format!(" [mogelijke waarden: {}]", values.join(", ")));
            }
            let defaults: Vec<String> = arg
                .get_default_values()
                .iter()
                .map(|value| value.to_string_lossy().into_owned())
                .collect();
            if takes_value && !defaults.is_empty() {
                text.push_str(&format!(" [standaard: {}]", defaults.join(", ")));
            }
            let names: Vec<&'static str> = arg
                .get_value_names()
                .map(|names| {
                    names
                        .iter()
                        .map(|name| dutch_value_name(name))
                        .collect::<Option<Vec<_>>>()
                        .unwrap_or_default()
                })
                .unwrap_or_default();
            let variable = arg
                .get_env()
                .map(|name| name.to_string_lossy().into_owned());
            if let Some(variable) = &variable {
                text.push_str(&format!(" [omgevingsvariabele: {variable}]"));
            }
            let mut arg = arg
                .help(text)
                .long_help(None::<&str>)
                .help_heading(heading)
                .hide_env(variable.is_some());
            if !names.is_empty() {
                arg = arg.value_names(names);
            }
            match takes_value {
                true => arg.hide_possible_values(true).hide_default_value(true),
                false => arg,
            }
        });
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    for name in names {
        let sub_path = if path == "root" {
            name.clone()
        } else {
            format!("{path}-{name}")
        };
        command = command.mut_subcommand(&name, |sub| in_dutch(sub, &sub_path));
    }
    command
}

/// A value's placeholder as a Dutch reader expects it; `None` for one this list lacks.
fn dutch_value_name(name: &str) -> Option<&'static str> {
    Some(match name {
        "YYYY-MM-DD" => "JJJJ-MM-DD",
        "PATH" => "PAD",
        "FILE" => "BESTAND",
        "DIR" => "MAP",
        "WHEN" => "WANNEER",
        "NUMBER" => "NUMMER",
        "NAME" => "NAAM",
        "FORMAT" => "FORMAAT",
        "TAB" => "TABBLAD",
        "PAYMENT" => "BETALING",
        "NOTE" => "NOTITIE",
        "SHOP" => "WINKEL",
        "LIMIT" => "AANTAL",
        "ID" => "ID",
        "SHELL" => "SHELL",
        _ => return None,
    })
}

/// Text clap wrote itself into Dutch help or usage: its fixed placeholders.
pub fn dutch_usage(text: &str) -> String {
    text.replace("[OPTIONS]", "[OPTIES]")
        .replace("<COMMAND>", "<OPDRACHT>")
}

/// A wrong command line, said in Dutch: clap's own words are English, so its error is
/// taken apart by kind and told again, with the usage and the way to help.
fn dutch_error(error: &clap::Error) -> String {
    use clap::error::{ContextKind, ErrorKind};
    let context = |kind: ContextKind| error.get(kind).map(ToString::to_string).unwrap_or_default();
    let what = match error.kind() {
        ErrorKind::InvalidValue => {
            let mut said = format!(
                "ongeldige waarde '{}' voor '{}'",
                context(ContextKind::InvalidValue),
                context(ContextKind::InvalidArg)
            );
            let valid = context(ContextKind::ValidValue);
            if !valid.is_empty() {
                said.push_str(&format!("\n  [mogelijke waarden: {valid}]"));
            }
            said
        }
        // Our own parsers (a day, a tab) already speak Dutch; their word follows.
        ErrorKind::ValueValidation => format!(
            "ongeldige waarde '{}' voor '{}': {}",
            context(ContextKind::InvalidValue),
            context(ContextKind::InvalidArg),
            std::error::Error::source(error)
                .map(ToString::to_string)
                .unwrap_or_default()
        ),
        ErrorKind::UnknownArgument => {
            format!("onverwacht argument '{}'", context(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidSubcommand => format!(
            "onbekende opdracht '{}'",
            context(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::MissingRequiredArgument => format!(
            "deze verplichte argumenten ontbreken: {}",
            context(ContextKind::InvalidArg)
        ),
        ErrorKind::ArgumentConflict => format!(
            "'{}' kan niet samen met '{}' gebruikt worden",
            context(ContextKind::InvalidArg),
            context(ContextKind::PriorArg)
        ),
        ErrorKind::MissingSubcommand => "er ontbreekt een opdracht".to_string(),
        ErrorKind::TooManyValues
        | ErrorKind::TooFewValues
        | ErrorKind::WrongNumberOfValues
        | ErrorKind::NoEquals => format!(
            "verkeerd aantal waarden voor '{}'",
            context(ContextKind::InvalidArg)
        ),
        _ => "ongeldige opdrachtregel".to_string(),
    };
    let mut said = format!("{} {what}\n", t!("error-prefix"));
    let suggested = [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand]
        .into_iter()
        .map(context)
        .find(|suggestion| !suggestion.is_empty());
    if let Some(suggestion) = suggested {
        said.push_str(&format!("\n  tip: bedoelt u '{suggestion}'?\n"));
    }
    let usage = context(ContextKind::Usage);
    if !usage.is_empty() {
        said.push_str(&format!(
            "\n{}\n",
            dutch_usage(&usage.replacen("Usage:", "Gebruik:", 1))
        ));
    }
    said.push_str("\nMeer informatie: probeer '--help'.\n");
    said
}

const DUTCH_HELP_TEMPLATE: &str = "\
{before-help}{about-with-newline}
Gebruik: {usage}

{all-args}{after-help}";

#[cfg(test)]
mod tests {
    use super::*;

    /// Every about and argument help that still reads as its message id.
    fn untranslated(command: &clap::Command, found: &mut Vec<String>) {
        let about = command
            .get_about()
            .map(ToString::to_string)
            .unwrap_or_default();
        if about.starts_with("help-") {
            found.push(about);
        }
        for arg in command.get_arguments() {
            let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
            if help.starts_with("help-") || help.is_empty() {
                found.push(format!("{help} ({})", arg.get_id()));
            }
        }
        for sub in command.get_subcommands() {
            untranslated(sub, found);
        }
    }

    #[test]
    fn every_command_and_option_has_dutch_help() {
        let mut missing = Vec::new();
        untranslated(&in_dutch(Cli::command(), "root"), &mut missing);
        assert!(missing.is_empty(), "no Dutch help for: {missing:#?}");
    }

    #[test]
    fn the_dutch_command_line_is_still_valid() {
        in_dutch(Cli::command(), "root").debug_assert();
    }

    #[test]
    fn the_config_is_found_before_parsing() {
        let args = |list: &[&str]| {
            list.iter()
                .map(std::ffi::OsString::from)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            config_named_in(args(&["x", "status", "--config", "a.toml"])),
            Some(PathBuf::from("a.toml"))
        );
        assert_eq!(
            config_named_in(args(&["x", "--config=b.toml", "sync"])),
            Some(PathBuf::from("b.toml"))
        );
        assert_eq!(
            config_named_in(args(&["x", "resolve", "1", "--", "--config"])),
            None
        );
    }
}
