//! `attrib add KIND --field value …`: validate one record against the whole ledger, print its
//! verdict, and append it under a lock. On any error nothing is written.

use super::{Global, print_errors};
use crate::ledger::{self, append};
use crate::model::{Kind, Time};
use crate::render::{self, Format, Lang, Style};
use crate::rules;
use anyhow::{Context, bail};
use clap::{Arg, ArgAction};
use std::collections::BTreeMap;

#[derive(clap::Args, Debug)]
#[command(disable_help_flag = true)]
pub struct AddArgs {
    /// report, contact, slip, direct, booking, discount, violation, relation or void
    /// (`attrib add KIND --help` lists its fields).
    #[arg(allow_hyphen_values = true)]
    pub kind: String,
    /// The record's fields as --column-name value (see `attrib add KIND --help`).
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "--FIELD VALUE"
    )]
    pub fields: Vec<String>,
}

/// `--list-price` for `list_price`.
fn flag(column: &str) -> String {
    column.replace('_', "-")
}

/// The flags of one kind, built from its columns, plus the global options (accepted after the
/// kind too).
fn kind_command(kind: Kind) -> clap::Command {
    let mut cmd = clap::Command::new(format!("attrib add {}", kind.singular()))
        .no_binary_name(true)
        .about(format!("Append one {} to the ledger.", kind.singular()));
    for c in kind.columns() {
        let help = match (c.name, c.required) {
            ("id", _) => "default: the next free id",
            (col, _) if col == kind.time_column() => "default: now (2026-03-01 09:30 or RFC 3339)",
            (_, true) => "required",
            _ => "optional",
        };
        cmd = cmd.arg(
            Arg::new(c.name)
                .long(flag(c.name))
                .value_name(c.name.to_uppercase())
                .help(help),
        );
    }
    cmd.arg(
        Arg::new("ledger")
            .short('C')
            .long("ledger")
            .value_name("DIR"),
    )
    .arg(
        Arg::new("format")
            .long("format")
            .value_parser(clap::value_parser!(Format)),
    )
    .arg(
        Arg::new("lang")
            .long("lang")
            .value_parser(clap::value_parser!(Lang)),
    )
    .arg(Arg::new("reveal").long("reveal").action(ArgAction::SetTrue))
    .arg(
        Arg::new("lock-timeout")
            .long("lock-timeout")
            .value_name("SECONDS")
            .help("give up waiting for the ledger's lock after this long (default 30)"),
    )
}

/// `--lock-timeout SECONDS` (default 30), taken out of the record's flags.
fn lock_timeout(fields: &mut Vec<String>) -> anyhow::Result<std::time::Duration> {
    let mut secs = "30".to_string();
    if let Some(i) = fields.iter().position(|f| f == "--lock-timeout") {
        secs = fields
            .get(i + 1)
            .cloned()
            .context("--lock-timeout needs SECONDS")?;
        fields.drain(i..i + 2);
    } else if let Some(i) = (fields.iter()).position(|f| f.starts_with("--lock-timeout=")) {
        secs = fields.remove(i)["--lock-timeout=".len()..].to_string();
    }
    secs.trim()
        .parse::<f64>()
        .ok()
        .and_then(|s| std::time::Duration::try_from_secs_f64(s).ok())
        .with_context(|| format!("--lock-timeout: 「{secs}」 is not a number of seconds"))
}

pub fn run(g: &Global, a: AddArgs) -> anyhow::Result<i32> {
    if a.kind == "--help" || a.kind == "-h" {
        let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.singular()).collect();
        say!(
            "Usage: attrib add KIND --column-name value …\nKIND: {}\nattrib add KIND --help lists the columns of a kind.",
            kinds.join(", ")
        )?;
        return Ok(0);
    }
    let kind = Kind::from_singular(&a.kind).with_context(|| {
        let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.singular()).collect();
        format!(
            "「{}」 is not a record kind (expected one of {})",
            a.kind,
            kinds.join(", ")
        )
    })?;
    let mut flags = a.fields;
    let timeout = lock_timeout(&mut flags)?;
    let (g, mut values) = fields(kind, &flags, g);
    let dir = g.dir();
    let _lock = append::lock(&dir, timeout)?;
    let files = ledger::read_dir(&dir)
        .with_context(|| format!("reading the ledger in {}", dir.display()))?;
    for stray in ledger::schema::stray_files(&dir) {
        eprintln!("attrib: warning: {stray}");
    }
    let before = match ledger::load(&files) {
        Ok(l) => l,
        Err(errors) => {
            print_errors(&errors);
            bail!(
                "the ledger already has {} error(s); fix them first — nothing was written",
                errors.len()
            );
        }
    };
    let now = chrono::Utc::now().with_timezone(&before.config.timezone);
    fill_defaults(kind, &before, &mut values, g.at.as_deref(), now);
    let plan = append::plan(&files, kind, &values)?;
    let after = match ledger::load(&plan.files) {
        Ok(l) => l,
        Err(errors) => {
            print_errors(&errors);
            bail!("the record was refused; nothing was written");
        }
    };
    let style = g.style(&after.config);
    let record_at = ledger::fields::parse_time(
        values
            .get("at")
            .or(values.get("presented_at"))
            .expect("defaulted"),
        after.config.timezone,
    )?;
    let as_of = now.max(record_at);
    let e = rules::evaluate(&after, as_of);
    let key = values
        .get("id")
        .or(values.get("slip"))
        .expect("every kind has an id or a slip id");
    append::commit(&dir, &plan)?;
    match e.verdict(key) {
        Some(v) => print_verdict(v, &style, g.format)?,
        None => say!("{key}")?,
    }
    Ok(0)
}

/// The record's fields from `--column value` flags, and the global options given after KIND.
fn fields(kind: Kind, args: &[String], g: &Global) -> (Global, BTreeMap<&'static str, String>) {
    let m = kind_command(kind)
        .try_get_matches_from(args)
        .unwrap_or_else(|e| e.exit());
    let mut g = g.clone();
    if let Some(d) = m.get_one::<String>("ledger") {
        g.ledger = Some(d.into());
    }
    if let Some(f) = m.get_one::<Format>("format") {
        g.format = *f;
    }
    if let Some(l) = m.get_one::<Lang>("lang") {
        g.lang = Some(*l);
    }
    g.reveal |= m.get_flag("reveal");
    let values = (kind.columns().iter())
        .filter_map(|c| m.get_one::<String>(c.name).map(|v| (c.name, v.clone())))
        .collect();
    (g, values)
}

/// The new record's verdict: one line and its findings, or the replay JSON object.
fn print_verdict(
    v: &crate::rules::verdict::Verdict,
    style: &Style,
    format: Format,
) -> anyhow::Result<()> {
    if format == Format::Json {
        say!(
            "{}",
            serde_json::to_string_pretty(&render::replay::json_value(v, style))?
        )?;
        return Ok(());
    }
    say!(
        "{} {}: {} ({})",
        style.record(v.kind, v.contact),
        v.id,
        style.why(v),
        v.rule
    )?;
    for f in &v.findings {
        say!("⚠ {}", style.finding(f))?;
    }
    Ok(())
}

/// `--id` defaults to the next free id with the kind's prefix; the record's time to `--at`
/// (for `add`, `--at` is the record's time, written as given), else now.
fn fill_defaults(
    kind: Kind,
    l: &crate::model::Ledger,
    values: &mut BTreeMap<&'static str, String>,
    at: Option<&str>,
    now: Time,
) {
    if kind.columns().iter().any(|c| c.name == "id") && !values.contains_key("id") {
        values.insert("id", next_id(kind, l));
    }
    let at = at.map(str::to_string);
    values
        .entry(kind.time_column())
        .or_insert_with(|| at.unwrap_or_else(|| now.format("%Y-%m-%d %H:%M:%S").to_string()));
}

/// The next free id for a kind: its prefix and one more than the highest number used with it
/// (at least three digits). The numbers are compared and counted on as decimal text, so no number
/// is too large to continue from: the id after `R-18446744073709551615` is
/// `R-18446744073709551616`, not a wrapped `R-000`.
pub fn next_id(kind: Kind, l: &crate::model::Ledger) -> String {
    let prefix = kind.id_prefix();
    let max = ledger::checks::record_ids(l)
        .filter_map(|id| {
            let digits = id.strip_prefix(prefix)?;
            let digits = (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| digits.trim_start_matches('0'))?;
            Some(digits)
        })
        .max_by(|a, b| a.len().cmp(&b.len()).then(a.cmp(b)))
        .unwrap_or("");
    let mut next = max.as_bytes().to_vec();
    match next.iter().rposition(|&d| d != b'9') {
        Some(i) => {
            next[i] += 1;
            next[i + 1..].fill(b'0');
        }
        None => {
            next.fill(b'0');
            next.insert(0, b'1');
        }
    }
    format!(
        "{prefix}{:0>3}",
        String::from_utf8(next).expect("ascii digits")
    )
}
