//! attrib: whose client is this buyer? Parses arguments, dispatches, maps errors to exit codes.

use clap::Parser;

fn main() {
    let cli = attrib::cmd::Cli::parse();
    let code = match attrib::cmd::run(cli) {
        Ok(code) => code,
        Err(e) if closed_stdout(&e) => 0,
        Err(e) => {
            eprintln!("attrib: {e:#}");
            2
        }
    };
    std::process::exit(code);
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
