//! `attrib add KIND --field value …`: validate one record against the whole ledger, print its
//! verdict, and append it under a lock. On any error nothing is written.
//!
//! A clerk types it at the counter (RULES.md §5): kinds and words in Chinese are accepted and
//! stored as the canonical words of the kinds table, phones are stored normalised, a time later
//! than now or older than `max_entry_delay_hours` is refused (the late one unless `--late
//! REASON`), a wrong or missing flag is named with a correct example, and `--dry-run` writes
//! nothing.

use super::{Global, print_errors};
use crate::ledger::error::{Col, ErrorKind};
use crate::ledger::{self, append, fields::parse_time};
use crate::model::{ColumnType, Config, Kind, Role, Time};
use crate::render::errors::pick;
use crate::render::{self, Format, Lang, Style};
use crate::rules;
use crate::settings::{Asked, Settings};
use anyhow::{Context, bail};
use clap::{Arg, ArgAction};
use std::collections::BTreeMap;

#[derive(clap::Args, Debug)]
#[command(disable_help_flag = true)]
pub struct AddArgs {
    /// report, contact, slip, direct, booking, discount, violation, relation or void, or its
    /// Chinese name (报备, 来电来访, …; `attrib add KIND --help` lists its fields).
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

/// A record's time may be this far ahead of the clock (RULES.md §5: now + 5 min).
const AHEAD_MINUTES: i64 = 5;

/// `--list-price` for `list_price`.
fn flag(column: &str) -> String {
    column.replace('_', "-")
}

/// The words of a word set with their Chinese spellings: `visit (来访)`.
fn words_with_aliases(words: &[&str], aliases: &[(&str, &str)]) -> String {
    let each = words.iter().map(|w| {
        let zh: Vec<&str> = (aliases.iter())
            .filter(|(_, to)| to == w)
            .map(|(a, _)| *a)
            .collect();
        match zh.is_empty() {
            true => w.to_string(),
            false => format!("{w} ({})", zh.join(", ")),
        }
    });
    each.collect::<Vec<_>>().join(", ")
}

/// What a column accepts, for `--help` and the hints after a refusal.
fn accepted(kind: Kind, c: &crate::model::Column) -> String {
    let what = match c.ty {
        ColumnType::Text => String::new(),
        ColumnType::Time => "2026-03-01 09:30, 2026/3/1 9:30 or 2026-03-01T09:30:00+08:00".into(),
        ColumnType::Phone => "mobile 手机号, e.g. 13800138000 (stored as 11 digits)".into(),
        ColumnType::Money => "plain number 数字, e.g. 1800000 or 95.5".into(),
        ColumnType::Count => "whole number 整数".into(),
        ColumnType::Choice { words, aliases } => {
            format!("one of 可选: {}", words_with_aliases(words, aliases))
        }
        ColumnType::SlipRole => format!(
            "a role of [slip] roles 签字角色, by default {}",
            words_with_aliases(
                &["reception", "site_manager", "developer", "final"],
                Role::ALIASES
            )
        ),
    };
    let need = match (c.name, c.required) {
        ("id", _) => format!(
            "optional 可选; default: the next free id ({}001 …)",
            kind.id_prefix()
        ),
        (col, _) if col == kind.time_column() => "optional 可选; default: now 现在".to_string(),
        (_, true) => "required 必填".to_string(),
        _ => "optional 可选".to_string(),
    };
    match what.is_empty() {
        true => need,
        false => format!("{need} — {what}"),
    }
}

/// A value that fits column `c`, for the example of a kind.
fn sample(c: &crate::model::Column) -> &'static str {
    match (c.ty, c.name) {
        (ColumnType::Phone, "other_phone") => "13800138001",
        (ColumnType::Phone, _) => "13800138000",
        (ColumnType::Time, _) => "\"2026-03-02 09:30\"",
        (ColumnType::Money, "list_price") => "2000000",
        (ColumnType::Money, "price") => "1850000",
        (ColumnType::Money, _) => "1",
        (ColumnType::Count, _) => "1",
        (ColumnType::Choice { words, .. }, _) => words.first().copied().unwrap_or("…"),
        (ColumnType::SlipRole, _) => "reception",
        (_, "channel") => "链家",
        (_, "broker") => "王五",
        (_, "client" | "buyer") => "张伟",
        (_, "unit") => "3-3-503",
        (_, "consultant") => "王丽",
        (_, "signer") => "李四",
        (_, "ref") => "R-001",
        (_, "slip") => "S-001",
        (_, "reason") => "录错",
        _ => "…",
    }
}

/// A correct command for `kind`: every required flag with a value that fits it (the id and the
/// time default).
pub fn example(kind: Kind) -> String {
    let mut line = format!("attrib add {}", kind.singular());
    for c in kind.columns() {
        if c.required && c.name != "id" && c.name != kind.time_column() {
            line.push_str(&format!(" --{} {}", flag(c.name), sample(c)));
        }
    }
    line
}

/// The flags of one kind, built from its columns, plus `--late`, `--dry-run` and the global
/// options (accepted after the kind too).
fn kind_command(kind: Kind) -> clap::Command {
    let mut cmd = clap::Command::new(format!("attrib add {}", kind.singular()))
        .no_binary_name(true)
        .about(format!(
            "向账本追加一条{zh} · 每一列是否必填、可填什么:\nAppend one {en} ({zh}) to the ledger. Every column, whether it is required, and what it accepts:",
            en = kind.singular(),
            zh = kind.zh_name()
        ))
        .after_help(format!("例 e.g.: {}", example(kind)));
    for c in kind.columns() {
        cmd = cmd.arg(
            Arg::new(c.name)
                .long(flag(c.name))
                .value_name(c.name.to_uppercase())
                .help(accepted(kind, c)),
        );
    }
    cmd.arg(
        Arg::new("late")
            .long("late")
            .value_name("REASON")
            .help("补录: the record is older than max_entry_delay_hours; REASON goes into note"),
    )
    .arg(
        Arg::new("dry-run")
            .long("dry-run")
            .action(ArgAction::SetTrue)
            .help("试运行: print the verdict, write nothing"),
    )
    .arg(
        Arg::new("ledger")
            .short('C')
            .long("ledger")
            .value_name("DIR")
            .help("账本目录 the ledger's folder"),
    )
    .arg(
        Arg::new("format")
            .long("format")
            .value_parser(super::format_parser())
            .help("输出格式 output format"),
    )
    .arg(
        Arg::new("lang")
            .long("lang")
            .value_parser(super::lang_parser())
            .help("语言 language"),
    )
    .arg(
        Arg::new("reveal")
            .long("reveal")
            .action(ArgAction::SetTrue)
            .help("显示完整电话 show phones whole"),
    )
    .arg(
        Arg::new("lock-timeout")
            .long("lock-timeout")
            .value_name("SECONDS")
            .help("等锁超时: give up waiting for the ledger's lock after this long (default 30)"),
    )
    // §5: a record whose verdict carries an error finding is written only with --force
    .arg(
        Arg::new("force")
            .long("force")
            .action(ArgAction::SetTrue)
            .help("强制记录: record it even when its verdict carries an error finding (unit-taken, below-floor)"),
    )
}

/// `--lock-timeout SECONDS` (default 30), taken out of the record's flags.
fn lock_timeout(fields: &mut Vec<String>) -> anyhow::Result<std::time::Duration> {
    let mut secs = "30".to_string();
    if let Some(i) = fields.iter().position(|f| f == "--lock-timeout") {
        secs = fields.get(i + 1).cloned().with_context(|| {
            pick(
                "--lock-timeout 后要写秒数".into(),
                "--lock-timeout needs SECONDS".into(),
            )
        })?;
        fields.drain(i..i + 2);
    } else if let Some(i) = (fields.iter()).position(|f| f.starts_with("--lock-timeout=")) {
        secs = fields.remove(i)["--lock-timeout=".len()..].to_string();
    }
    secs.trim()
        .parse::<f64>()
        .ok()
        .and_then(|s| std::time::Duration::try_from_secs_f64(s).ok())
        .with_context(|| {
            pick(
                format!("--lock-timeout: 「{secs}」不是秒数"),
                format!("--lock-timeout: 「{secs}」 is not a number of seconds"),
            )
        })
}

/// One kind per line with its Chinese name, in the kind order.
fn kinds_list() -> String {
    let lines: Vec<String> = (Kind::ALL.iter())
        .map(|k| format!("  {:<10} {}", k.singular(), k.zh_name()))
        .collect();
    lines.join("\n")
}

pub fn run(g: &Global, a: AddArgs) -> anyhow::Result<i32> {
    if a.kind == "--help" || a.kind == "-h" {
        let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.singular()).collect();
        say!(
            "Usage: attrib add KIND --column-name value … [--late REASON] [--dry-run]\nKIND: {}\n{}\nattrib add KIND --help lists the columns of a kind, whether each is required, and what it accepts.",
            kinds.join(", "),
            kinds_list()
        )?;
        return Ok(0);
    }
    let kind = Kind::from_name(&a.kind).with_context(|| {
        if crate::render::errors::zh_errors() {
            return format!(
                "「{}」不是记录种类 (应为以下之一:\n{})",
                a.kind,
                kinds_list()
            );
        }
        format!(
            "「{}」 is not a record kind (expected one of:\n{})",
            a.kind,
            kinds_list()
        )
    })?;
    let mut flags = a.fields;
    let timeout = lock_timeout(&mut flags)?;
    let f = match fields(kind, &flags, g) {
        Ok(f) => f,
        Err(code) => return Ok(code),
    };
    let (g, mut values) = (f.global, f.values);
    super::need_ledger(&g)?;
    let dir = g.dir();
    let _lock = append::lock(&dir, timeout)?;
    let files = ledger::read_dir(&dir).with_context(|| {
        let d = dir.display();
        pick(
            format!("读取 {d} 中的账本"),
            format!("reading the ledger in {d}"),
        )
    })?;
    for stray in ledger::schema::stray_files(&dir) {
        super::warn(&stray);
    }
    let before = match ledger::load(&files) {
        Ok(l) => l,
        Err(errors) => {
            print_errors(&errors);
            if crate::render::errors::zh_errors() {
                bail!(
                    "账本已有 {} 处错误; 请先改正 — 未写入任何内容",
                    errors.len()
                );
            }
            bail!(
                "the ledger already has {} error(s); fix them first — nothing was written",
                errors.len()
            );
        }
    };
    // for add, `--at` is the new record's time (written as given), not an as-of time: the
    // settings are resolved without it, so their as-of instant is now
    let settings = Settings::resolve(
        &Asked {
            at: None,
            ..g.asked()
        },
        Some(&before.config),
    )?;
    let now = settings.as_of;
    canonical(kind, &before.config, &mut values);
    fill_defaults(kind, &before, &mut values, g.at.as_deref(), now);
    on_time(kind, &settings, &before.config, &mut values, f.late)?;
    if kind == Kind::Slip {
        orphan_signature(&before, &values, settings.lang)?;
    }
    let plan = append::plan(&files, kind, &values)?;
    let after = match ledger::load(&plan.files) {
        Ok(l) => l,
        Err(errors) => {
            print_errors(&errors);
            hint(kind, &errors);
            if crate::render::errors::zh_errors() {
                bail!("记录被拒绝; 未写入任何内容");
            }
            bail!("the record was refused; nothing was written");
        }
    };
    let style = settings.style();
    let record_at = parse_time(
        values
            .get("at")
            .or(values.get("presented_at"))
            .expect("defaulted"),
        settings.zone,
    )?;
    let as_of = now.max(record_at);
    let e = rules::evaluate(&after, as_of);
    let key = values
        .get("id")
        .or(values.get("slip"))
        .expect("every kind has an id or a slip id");
    // §5: an error finding (below-floor, unit-taken …) refuses the record unless --force
    let force = flags.iter().any(|f| f == "--force");
    if let Some(v) = e.verdict(key).filter(|v| v.has_error() && !force) {
        print_verdict(v, &style, settings.format)?;
        bail!(
            "{}",
            style.pick(
                "该记录的判定有错误 (✗), 未写入; 如确属实, 加 --force 照实记录",
                "the record's verdict carries an error finding: nothing was written; add --force to record it as it happened"
            )
        );
    }
    if !f.dry_run {
        append::commit(&dir, &plan)?;
    }
    match e.verdict(key) {
        Some(v) => print_verdict(v, &style, settings.format)?,
        None => say!("{key}")?,
    }
    if settings.format == Format::Table {
        print_changed(&rules::evaluate(&before, as_of), &e, kind, key, &style)?;
    }
    if f.dry_run {
        match settings.lang {
            Lang::Zh => eprintln!("attrib: 试运行 (--dry-run), 未写入任何文件"),
            Lang::En => eprintln!("attrib: dry run (--dry-run): nothing was written"),
        }
    }
    Ok(0)
}

/// RULES.md §5: every other verdict the new record changes (a void that moves a booking's
/// owner, a report that ends another's hold), each as it was and as it is now.
fn print_changed(
    old: &rules::Evaluation,
    new: &rules::Evaluation,
    kind: Kind,
    key: &str,
    style: &Style,
) -> anyhow::Result<()> {
    let before: std::collections::HashMap<(Kind, &str), &crate::rules::verdict::Verdict> =
        (old.verdicts.iter())
            .map(|v| ((v.kind, v.id.as_str()), v))
            .collect();
    let zh = style.lang == Lang::Zh;
    let mut header = false;
    for v in &new.verdicts {
        if v.kind == kind && v.id == key {
            continue;
        }
        let Some(o) = before.get(&(v.kind, v.id.as_str())) else {
            continue;
        };
        if *o == v {
            continue;
        }
        let (was, now) = (
            format!("{} ({})", style.why(o), o.rule),
            format!("{} ({})", style.why(v), v.rule),
        );
        if was == now && o.findings == v.findings {
            continue;
        }
        if !header {
            say!("{}", if zh { "因此改变:" } else { "this changes:" })?;
            header = true;
        }
        say!(
            "  {} {}: {was} → {now}",
            style.record(v.kind, v.contact),
            v.id
        )?;
        for f in v.findings.iter().filter(|f| !o.findings.contains(f)) {
            say!("    ⚠ {}", style.finding(f))?;
        }
    }
    Ok(())
}

/// A signature of a later role (not the configured first one) on a slip id that has no
/// signature yet would silently open a new slip — usually a typo of an existing id: refused,
/// naming the nearest one (issue 14: "是否为 S-012?").
fn orphan_signature(
    l: &crate::model::Ledger,
    values: &BTreeMap<&'static str, String>,
    lang: Lang,
) -> anyhow::Result<()> {
    let (Some(slip), Some(role)) = (values.get("slip"), values.get("role")) else {
        return Ok(());
    };
    let (slip, role) = (slip.trim(), role.trim());
    let first = l.config.slip_roles.first().map(String::as_str);
    if first.is_none_or(|f| f == role) || l.signatures.iter().any(|s| s.slip == slip) {
        return Ok(());
    }
    // the known slip ids: signed ones and those named by visits
    let mut known: Vec<&str> = (l.signatures.iter().map(|s| s.slip.as_str()))
        .chain(l.contacts.iter().filter_map(|c| c.slip.as_deref()))
        .collect();
    known.sort_unstable();
    known.dedup();
    let nearest = known.iter().min_by_key(|k| (distance(k, slip), **k));
    let first = first.unwrap_or_default();
    let guess = match (nearest, lang) {
        (Some(n), Lang::Zh) => format!(" — 是否为 {n}?"),
        (Some(n), Lang::En) => format!(" — did you mean {n}?"),
        (None, _) => String::new(),
    };
    match lang {
        Lang::Zh => bail!(
            "--slip: {slip} 还没有任何签字, {role} 不能是第一个签字 (第一个是 {first}){guess} 未写入"
        ),
        Lang::En => bail!(
            "--slip: {slip} has no signature yet, and {role} cannot sign first (the first is {first}){guess} — nothing was written"
        ),
    }
}

/// The edit distance between two ids, character by character, where the look-alikes a clerk
/// types for each other (l, I and 1; O and 0; the full-width digits) count as the same.
fn distance(a: &str, b: &str) -> usize {
    fn plain(c: char) -> char {
        match c {
            'l' | 'I' | 'i' | '１' => '1',
            'O' | 'o' | '０' => '0',
            '－' | '—' => '-',
            c if ('０'..='９').contains(&c) => {
                char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
            }
            c => c.to_ascii_uppercase(),
        }
    }
    let b: Vec<char> = b.chars().map(plain).collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().map(plain).enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Chinese words stored as the canonical ones (`来访` → `visit`, `案场经理` → `site_manager`
/// when that role is configured), phones as 11 digits (`139 0000 0034` → `13900000034`). A value
/// that is none of these is left as typed, for the loader to refuse with its reason.
fn canonical(kind: Kind, config: &Config, values: &mut BTreeMap<&'static str, String>) {
    for c in kind.columns() {
        let Some(v) = values.get_mut(c.name) else {
            continue;
        };
        let t = v.trim();
        let to = match c.ty {
            ColumnType::Choice { aliases, .. } => aliases
                .iter()
                .find(|(a, _)| *a == t)
                .map(|(_, w)| w.to_string()),
            ColumnType::SlipRole => (Role::ALIASES.iter())
                .find(|(a, w)| *a == t && config.slip_roles.iter().any(|r| r == w))
                .map(|(_, w)| w.to_string()),
            ColumnType::Phone => ledger::fields::parse_phone(t).ok().map(|p| p.to_string()),
            _ => None,
        };
        if let Some(to) = to {
            *v = to;
        }
    }
}

/// The column a new row's entry delay is measured from: its time, except for a deal closed around
/// us (`via` ≠ `us`) with a `known_at` (R10.6).
fn entry_column(kind: Kind, values: &BTreeMap<&'static str, String>) -> &'static str {
    let filled = |c: &str| values.get(c).is_some_and(|v| !v.trim().is_empty());
    let outside = values.get("via").is_some_and(|v| v.trim() != "us");
    match kind == Kind::Deal && outside && filled("known_at") {
        true => "known_at",
        false => kind.time_column(),
    }
}

/// RULES.md §5: a record's time later than now (+5 min) is refused; one more than
/// `max_entry_delay_hours` before now is refused unless `--late REASON` is given, whose reason
/// goes into the record's `note`. A time that does not parse is left for the loader to refuse.
fn on_time(
    kind: Kind,
    settings: &Settings,
    config: &Config,
    values: &mut BTreeMap<&'static str, String>,
    late: Option<String>,
) -> anyhow::Result<()> {
    let col = kind.time_column();
    let zh = settings.lang == Lang::Zh;
    let now = settings.as_of;
    let shown = |t: Time| t.format("%Y-%m-%d %H:%M").to_string();
    if let Ok(t) = parse_time(&values[col], settings.zone)
        && t > now + chrono::Duration::minutes(AHEAD_MINUTES)
    {
        match zh {
            true => bail!(
                "--{}: {} 晚于现在 ({}); 记录只能在发生之后录入 — 未写入",
                flag(col),
                shown(t),
                shown(now)
            ),
            false => bail!(
                "--{}: {} is later than now ({}); a record is entered after it happens — nothing was written",
                flag(col),
                shown(t),
                shown(now)
            ),
        }
    }
    // R10.6: an outside deal is late against when it was learned (`known_at`), not its signing
    let col = entry_column(kind, values);
    if let Ok(t) = parse_time(&values[col], settings.zone) {
        let delay = i64::from(config.max_entry_delay_hours);
        if late.is_none() && t < now - chrono::Duration::hours(delay) {
            match zh {
                true => bail!(
                    "--{}: {} 早于现在 {} 小时以上 (max_entry_delay_hours); 补录请加 --late 原因 (原因记入 note, 审计仍会列出) — 未写入",
                    flag(col),
                    shown(t),
                    delay
                ),
                false => bail!(
                    "--{}: {} is more than {} hours before now (max_entry_delay_hours); a late entry needs --late REASON (the reason goes into note; the audit still reports it) — nothing was written",
                    flag(col),
                    shown(t),
                    delay
                ),
            }
        }
    }
    if let Some(reason) = late {
        if !kind.columns().iter().any(|c| c.name == "note") {
            match zh {
                true => bail!(
                    "--late: {} 没有 note 列, 无处记录补录原因 — 未写入",
                    kind.singular()
                ),
                false => bail!(
                    "--late: a {} has no note column to keep the reason — nothing was written",
                    kind.singular()
                ),
            }
        }
        let note = match values
            .get("note")
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
        {
            Some(n) => format!("{n}; {}", reason.trim()),
            None => reason.trim().to_string(),
        };
        values.insert("note", note);
    }
    Ok(())
}

/// After the loader refused the new record: each flag it blamed with what it accepts, then a
/// correct example.
fn hint(kind: Kind, errors: &[ledger::LedgerError]) {
    let mut named: Vec<&str> = vec![];
    for e in errors {
        let column = match (&e.col, &e.kind) {
            (Some(Col::Csv(_, name)) | Some(Col::Key(name)), _) => name.as_str(),
            (None, ErrorKind::ChannelVisitNeeds(name)) => name,
            (None, ErrorKind::UnknownChannel { .. }) => "channel",
            (None, ErrorKind::UnknownDiscount(_)) => "discount",
            (None, ErrorKind::UnknownReference(_)) => "ref",
            _ => continue,
        };
        if let Some(c) = kind.columns().iter().find(|c| c.name == column)
            && !named.contains(&c.name)
        {
            named.push(c.name);
            eprintln!("  --{}: {}", flag(c.name), accepted(kind, c));
        }
    }
    eprintln!("例 e.g.: {}", example(kind));
}

/// What the flags after KIND said.
struct Fields {
    /// The global options, with those given after KIND.
    global: Global,
    /// The record's cells by column, as typed.
    values: BTreeMap<&'static str, String>,
    late: Option<String>,
    dry_run: bool,
}

/// The record's fields from `--column value` flags, and the global options given after KIND.
/// `Err(exit code)` when clap answered instead: the help (0), or a wrong flag (2), named with a
/// correct example.
fn fields(kind: Kind, args: &[String], g: &Global) -> Result<Fields, i32> {
    let m = match kind_command(kind).try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return Err(0);
        }
        Err(e) => {
            eprint!("{}", e.render());
            eprintln!("例 e.g.: {}", example(kind));
            eprintln!("attrib add {} --help lists every flag", kind.singular());
            return Err(2);
        }
    };
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
    Ok(Fields {
        global: g,
        values,
        late: m.get_one::<String>("late").cloned(),
        dry_run: m.get_flag("dry-run"),
    })
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
