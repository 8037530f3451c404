//! attrib: whose client is this buyer? Parses arguments, dispatches, maps errors to exit codes.

use clap::Parser;

fn main() {
    let cli = attrib::cmd::Cli::parse();
    let code = match attrib::cmd::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("attrib: {e:#}");
            2
        }
    };
    std::process::exit(code);
}
