//! `completions` and `man`: generated from the command definitions, so they never drift.

use clap::{Args, CommandFactory as _};

/// Print shell completions (e.g. `ccv-moneybird completions bash > ~/.local/share/bash-completion/completions/ccv-moneybird`)
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in
    pub shell: clap_complete::Shell,
}

pub(crate) fn completions(args: &CompletionsArgs) -> anyhow::Result<()> {
    let mut command = crate::cli::Cli::command();
    clap_complete::generate(
        args.shell,
        &mut command,
        "ccv-moneybird",
        &mut std::io::stdout(),
    );
    Ok(())
}

/// Print the man page (e.g. `ccv-moneybird man > ~/.local/share/man/man1/ccv-moneybird.1`)
#[derive(Debug, Args)]
pub struct ManArgs {}

pub(crate) fn man() -> anyhow::Result<()> {
    let page = clap_mangen::Man::new(crate::cli::Cli::command());
    page.render(&mut std::io::stdout())?;
    Ok(())
}
