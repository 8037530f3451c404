//! The shell: one file per command, each an Args struct and a `run` that loads the ledger,
//! calls the pure rules and renders. Exit codes: 0 fine, 1 blocking findings or ledger errors
//! (validate), 2 usage or unreadable input.

/// `println!` that returns an error instead of panicking when standard output is closed early
/// (`attrib replay | head`); `main` treats that error as a quiet end.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($t)*)
    }};
}

pub mod add;
pub mod audit;
pub mod channel;

pub mod check;
pub mod clients;
pub mod completions;
pub mod consultants;
pub mod deposits;
pub mod find;
pub mod grades;
pub mod init;
pub mod replay;
pub mod settle;
pub mod stats;
pub mod validate;

use crate::ledger::{self, Files};
use crate::model::{Config, Ledger};
use crate::render::{Format, Lang};
use crate::settings::{Asked, Settings};
use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "attrib",
    version,
    about = "Whose client is this buyer? 客户归属判定 from plain-text ledgers."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts, before or after its name.
#[derive(Args, Debug, Clone)]
pub struct Global {
    /// The ledger folder (default: the current folder).
    #[arg(
        short = 'C',
        long = "ledger",
        global = true,
        env = "ATTRIB_LEDGER",
        value_name = "DIR"
    )]
    pub ledger: Option<PathBuf>,
    /// The as-of time (default: now): 2026-03-01 09:30 or RFC 3339.
    #[arg(long, global = true, value_name = "TIME")]
    pub at: Option<String>,
    /// Output format.
    #[arg(long, global = true, value_parser = format_parser(), default_value = "table")]
    pub format: Format,
    /// Language of human output (default: the project's, else zh).
    #[arg(long, global = true, value_parser = lang_parser())]
    pub lang: Option<Lang>,
    /// Show phone numbers whole in human output.
    #[arg(long, global = true)]
    pub reveal: bool,
    /// Mask phone numbers (138****5678) in csv and json output too, for exports that leave the
    /// office (by default they are whole there: scripts join on them).
    #[arg(long, global = true)]
    pub mask: bool,
}

/// `--format`: clap lists, completes and checks the names; `render` turns one into a `Format`
/// (render does not depend on clap).
pub fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(Format::NAMES)
        .map(|s| s.parse::<Format>().expect("a name clap checked"))
}

/// `--lang`, as `format_parser`.
pub fn lang_parser() -> impl clap::builder::TypedValueParser<Value = Lang> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(Lang::NAMES)
        .map(|s| s.parse::<Lang>().expect("a name clap checked"))
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Write a commented attrib.toml and empty ledger files.
    Init(init::InitArgs),
    /// Parse everything and check references; list every error.
    Validate(validate::ValidateArgs),
    /// Every record's verdict in evaluation order; --phone, --channel, --kind, --verdict, --from, --to pick some.
    Replay(replay::ReplayArgs),
    /// A client's owner now and why, and what a booking would be flagged for.
    Check(check::CheckArgs),
    /// The families a name, a phone's last four digits or a unit points at, one line each.
    Find(find::FindArgs),
    /// Settlement lines due in a month, or totals per payee.
    Settle(settle::SettleArgs),
    /// Holds and protections ending within N days, soonest first (R17).
    Clients(clients::ClientsArgs),
    /// Per consultant: clients held, bookings credited, commission and departed share (R11).
    Consultants(consultants::ConsultantsArgs),
    /// The deposit account 定金账户明细: each booking's deposit, held or cancelled (R12).
    Deposits(deposits::DepositsArgs),
    /// Each channel's grade A–D with the figures that made it (R18).
    Grades(grades::GradesArgs),
    /// Per channel the funnel reports → accepted → visits → bookings → commission; --svg draws it.
    Stats(stats::StatsArgs),
    /// Validate one record, print its verdict and append it.
    Add(add::AddArgs),
    /// Walk the ledger's git history for edits, back-dated rows and flipped verdicts.
    Audit(audit::AuditArgs),
    /// The channels of attrib.toml: `channel add NAME --commission 1.0%`, `channel list`.
    Channel(channel::ChannelArgs),
    /// Print shell completions (bash, zsh, fish, elvish, powershell).
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff).
    Man,
}

pub fn run(cli: Cli) -> anyhow::Result<i32> {
    let g = &cli.global;
    match cli.command {
        Command::Init(a) => init::run(g, a),
        Command::Validate(a) => validate::run(g, a),
        Command::Replay(a) => replay::run(g, a),
        Command::Check(a) => check::run(g, a),
        Command::Find(a) => find::run(g, a),
        Command::Settle(a) => settle::run(g, a),
        Command::Clients(a) => clients::run(g, a),
        Command::Consultants(a) => consultants::run(g, a),
        Command::Deposits(a) => deposits::run(g, a),
        Command::Grades(a) => grades::run(g, a),
        Command::Stats(a) => stats::run(g, a),
        Command::Add(a) => add::run(g, a),
        Command::Audit(a) => audit::run(g, a),
        Command::Channel(a) => channel::run(g, a),
        Command::Completions(a) => completions::completions(a),
        Command::Man => completions::man(),
    }
}

impl Global {
    pub fn dir(&self) -> PathBuf {
        self.ledger.clone().unwrap_or_else(|| PathBuf::from("."))
    }

    /// What the global options ask for.
    pub fn asked(&self) -> Asked<'_> {
        Asked {
            at: self.at.as_deref(),
            lang: self.lang,
            format: self.format,
            reveal: self.reveal,
            mask: self.mask,
        }
    }

    /// The run's settings: these options over the project's config.
    pub fn settings(&self, config: &Config) -> anyhow::Result<Settings> {
        Settings::resolve(&self.asked(), Some(config))
    }
}

/// Fails with a sentence a newcomer can act on when the folder holds no `attrib.toml` (instead
/// of the OS's "No such file or directory"). In `--lang` (there is no config to ask), else zh.
pub fn need_ledger(g: &Global) -> anyhow::Result<()> {
    let dir = g.dir();
    if dir.join(ledger::config::CONFIG_FILE).is_file() {
        return Ok(());
    }
    match g.lang.unwrap_or(Lang::Zh) {
        Lang::Zh => bail!(
            "没有找到 attrib.toml — 用 -C 指定账本目录, 或运行 attrib init ({})",
            dir.display()
        ),
        Lang::En => bail!(
            "no attrib.toml found — use -C to name the ledger folder, or run attrib init ({})",
            dir.display()
        ),
    }
}

/// Reads the ledger's files: from the folder, or as they stood at git revision `rev`.
pub fn read_files(g: &Global, rev: Option<&str>) -> anyhow::Result<Files> {
    let dir = g.dir();
    if rev.is_none() {
        need_ledger(g)?;
    }
    match rev {
        Some(rev) => ledger::git::files_at(&dir, rev),
        None => {
            let files = ledger::read_dir(&dir).with_context(|| {
                if crate::render::errors::zh_errors() {
                    return format!("读取 {} 中的账本", dir.display());
                }
                format!("reading the ledger in {}", dir.display())
            })?;
            for stray in ledger::schema::stray_files(&dir) {
                warn(&stray);
            }
            Ok(files)
        }
    }
}

/// Loads the ledger; on errors prints every one to stderr and fails (exit 2).
///
/// The ledger lives until the process exits: a command reads one ledger, and freeing a million
/// records one by one just before exiting costs some 50 ms for nothing.
pub fn open(g: &Global, rev: Option<&str>) -> anyhow::Result<&'static Ledger> {
    let files = read_files(g, rev)?;
    match ledger::load(&files) {
        Ok(l) => {
            note_encodings(&l);
            Ok(Box::leak(Box::new(l)))
        }
        Err(errors) => {
            print_errors(&errors);
            if crate::render::errors::zh_errors() {
                bail!("账本有 {} 处错误; 改正后运行 attrib validate", errors.len());
            }
            bail!(
                "the ledger has {} error(s); run `attrib validate` after fixing them",
                errors.len()
            )
        }
    }
}

/// A warning on stderr, `attrib: 警告: …` in Chinese, `attrib: warning: …` in English.
pub fn warn(w: &ledger::error::Said) {
    let (label, text) = match crate::render::errors::zh_errors() {
        true => ("警告", &w.zh),
        false => ("warning", &w.en),
    };
    eprintln!("attrib: {label}: {text}");
}

/// Says once on stderr which files were read as GB18030.
pub fn note_encodings(l: &Ledger) {
    if !l.decoded_gb18030.is_empty() {
        let files = l.decoded_gb18030.join(", ");
        eprintln!(
            "attrib: {}",
            crate::render::errors::pick(
                format!("{files} 不是 UTF-8, 已按 GB18030 读取"),
                format!("{files}: not UTF-8, read as GB18030")
            )
        );
    }
}

/// Prints the errors to stderr, one error repeated more than `SAME_SHOWN` times in a file shown
/// that many times and then counted (`attrib validate --all` shows each).
pub fn print_errors(errors: &[ledger::LedgerError]) {
    print_errors_capped(errors, false);
}

/// How many errors of one complaint in one file are shown before the rest are counted.
pub const SAME_SHOWN: usize = 20;

/// Prints the errors to stderr: every one with `all`, else at most `SAME_SHOWN` of each complaint
/// in each file (the same error kind, and field error, in the same column), then how many more.
pub fn print_errors_capped(errors: &[ledger::LedgerError], all: bool) {
    use ledger::error::{Col, ErrorKind};
    use std::collections::HashMap;
    use std::mem::discriminant;
    let mut seen: HashMap<_, usize> = HashMap::new();
    let mut order = vec![];
    for e in errors {
        let column = e.col.as_ref().map(|c| match c {
            Col::Csv(_, name) | Col::Key(name) => name.as_str(),
        });
        let field = match &e.kind {
            ErrorKind::Field(f) => Some(discriminant(f)),
            _ => None,
        };
        let key = (e.file.as_str(), discriminant(&e.kind), field, column);
        let n = seen.entry(key).or_insert(0);
        *n += 1;
        if *n == 1 {
            order.push((key, e));
        }
        if all || *n <= SAME_SHOWN {
            // a cell quoted in the message may hold ESC or invisible characters
            eprintln!(
                "{}",
                crate::render::shown(&crate::render::errors::ledger_error(e), false)
            );
        }
    }
    for (key, first) in order {
        let n = seen[&key];
        if n > SAME_SHOWN && !all && crate::render::errors::zh_errors() {
            eprintln!(
                "{}: … 另有 {} 处与「{}」相同 (attrib validate --all 逐条列出)",
                first.file,
                n - SAME_SHOWN,
                crate::render::shown(&crate::render::errors::ledger_kind(&first.kind), false)
            );
        } else if n > SAME_SHOWN && !all {
            eprintln!(
                "{}: … and {} more of the same as 「{}」 (attrib validate --all shows each)",
                first.file,
                n - SAME_SHOWN,
                crate::render::shown(&first.kind.to_string(), false)
            );
        }
    }
}
