//! attrib: whose client is this buyer? Parses arguments, dispatches, maps errors to exit codes.

use clap::{CommandFactory, Parser};

fn main() {
    let cli = match attrib::cmd::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => clap_error(e),
    };
    attrib::render::errors::set_zh_errors(errors_in_zh(&cli.global));
    let code = match attrib::cmd::run(cli) {
        Ok(code) => code,
        Err(e) if closed_stdout(&e) => 0,
        Err(e) => {
            eprintln!("attrib: {}", attrib::render::errors::chain(&e));
            2
        }
    };
    std::process::exit(code);
}

/// The language errors are written in: `--lang`, else `[project] lang` of the ledger's
/// attrib.toml (read only for that key: a config with errors still says its language), else zh.
fn errors_in_zh(g: &attrib::cmd::Global) -> bool {
    in_zh(g.lang, &g.dir())
}

fn in_zh(flag: Option<attrib::render::Lang>, dir: &std::path::Path) -> bool {
    use attrib::render::Lang;
    if let Some(lang) = flag {
        return lang == Lang::Zh;
    }
    let path = dir.join(attrib::ledger::config::CONFIG_FILE);
    let configured = std::fs::read_to_string(path).ok().and_then(|text| {
        let value: toml::Table = text.parse().ok()?;
        value
            .get("project")?
            .get("lang")?
            .as_str()?
            .parse::<Lang>()
            .ok()
    });
    configured.unwrap_or(Lang::Zh) == Lang::Zh
}

/// Clap's error: help and version as clap prints them; a parsing error in the language errors
/// are written in (`errors_in_zh`, from the global options clap reads past the error), Chinese
/// or clap's English.
fn clap_error(e: clap::Error) -> ! {
    use clap::error::ErrorKind as K;
    let plain = matches!(
        e.kind(),
        K::DisplayHelp | K::DisplayVersion | K::DisplayHelpOnMissingArgumentOrSubcommand
    );
    // the global options as clap reads them when it reads on past the error
    let partial = (attrib::cmd::Cli::command().ignore_errors(true)).try_get_matches();
    let lang = partial
        .as_ref()
        .ok()
        .and_then(|m| m.get_one("lang").copied());
    let dir = (partial.as_ref().ok())
        .and_then(|m| m.get_one::<std::path::PathBuf>("ledger").cloned())
        .unwrap_or_else(|| ".".into());
    if plain || !in_zh(lang, &dir) {
        e.exit()
    }
    eprint!("{}", attrib::render::errors::clap_zh(&e));
    std::process::exit(2)
}

/// The reader of our output went away (`| head`): not an error of ours.
fn closed_stdout(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<csv::Error>().is_some_and(|c| matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe))
    })
}

/// jemalloc gives freed memory back; glibc's per-thread arenas keep it, which cost a million-row
/// settlement some 55 MB of its peak (docs/performance.md). Not with MSVC, where jemalloc does not
/// build: Windows keeps its own allocator.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
