//! `attrib completions SHELL` and `attrib man`: generated from the clap definitions.

use super::Cli;
use clap::CommandFactory;

#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell.
    pub shell: clap_complete::Shell,
}

pub fn completions(a: CompletionsArgs) -> anyhow::Result<i32> {
    clap_complete::generate(
        a.shell,
        &mut Cli::command(),
        "attrib",
        &mut std::io::stdout(),
    );
    Ok(0)
}

pub fn man() -> anyhow::Result<i32> {
    clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout())?;
    Ok(0)
}
