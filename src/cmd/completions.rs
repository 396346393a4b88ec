//! `completions` and `man`: generated from the command definitions, so they never drift.

use clap::Args;

/// Print shell completions (e.g. `ccv-moneybird completions bash > ~/.local/share/bash-completion/completions/ccv-moneybird`)
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in
    pub shell: clap_complete::Shell,
}

/// `command` is the whole command line as `cli` defines it, handed in so that this module
/// does not reach back into `cli`.
pub(crate) fn completions(
    args: &CompletionsArgs,
    mut command: clap::Command,
) -> anyhow::Result<()> {
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

pub(crate) fn man(command: clap::Command) -> anyhow::Result<()> {
    let page = clap_mangen::Man::new(command);
    page.render(&mut std::io::stdout())?;
    Ok(())
}
