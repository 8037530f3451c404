//! `attrib audit [--since REV]`: walks the ledger's git history for in-place edits and deletions,
//! back-dated rows, and verdicts that flipped between consecutive commits. Exit 1 when it found
//! any (corrections by a void are listed but do not count).

use super::Global;
use crate::ledger::load::line_breaks;
use crate::ledger::{
    self, Files,
    config::{CONFIG_FILE, DEFAULT_ZONE},
    encoding,
    fields::parse_time,
    git, raw,
};
use crate::model::{Kind, RawRow, Time};
use crate::render::{self, Format};
use crate::rules::{
    self,
    audit::{self, Finding, FindingKind},
};
use crate::settings::Settings;
use std::collections::{HashMap, HashSet};
use std::io::{IsTerminal, Write};

#[derive(clap::Args, Debug)]
pub struct AuditArgs {
    /// Audit only the commits after this revision.
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
}

/// The ledger's files as they stand after each commit, with their numbers of line breaks.
#[derive(Default)]
struct State {
    files: Files,
    breaks: HashMap<String, u32>,
}

impl State {
    fn text(&self, name: &str) -> String {
        self.files
            .get(name)
            .map(|b| text(b).into_owned())
            .unwrap_or_default()
    }

    /// Takes the files a commit wrote (empty: deleted) with their line-break counts.
    fn apply(&mut self, files: Vec<(String, Vec<u8>, u32)>) {
        for (name, bytes, breaks) in files {
            self.breaks.insert(name.clone(), breaks);
            if bytes.is_empty() {
                self.files.remove(&name);
            } else {
                self.files.insert(name, bytes);
            }
        }
    }

    fn config(&self) -> Option<crate::model::Config> {
        ledger::config::parse_config(&self.text(CONFIG_FILE)).ok()
    }
}

/// A file's text: UTF-8, or GB18030 as Excel writes it.
fn text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    encoding::decode(bytes)
        .map(|(t, _)| t)
        .unwrap_or_else(|| String::from_utf8_lossy(bytes))
}

fn row_time(r: &RawRow, tz: chrono::FixedOffset) -> Option<Time> {
    let at = r.get("at").or_else(|| r.get("presented_at"))?;
    parse_time(at, tz).ok()
}

/// Where a row falls in evaluation order: its time, then its kind (file order comes last, and
/// appended rows are last in their file).
fn order_key(r: &RawRow, tz: chrono::FixedOffset) -> Option<(Time, Kind)> {
    row_time(r, tz).zip(raw::kind_of(&r.file))
}

/// The rows a commit removed from and added to one file (`lines_before`: the old text's line
/// breaks; `tail`: what the new text adds when it starts with the old one). When a CSV file was
/// only extended, just the appended text is read; otherwise both versions are compared whole.
fn changed_rows(
    name: &str,
    old: &[u8],
    lines_before: u32,
    tail: Option<&[u8]>,
    new: &[u8],
) -> (Vec<RawRow>, Vec<RawRow>) {
    let appended = tail.filter(|tail| {
        !old.is_empty()
            && (old.ends_with(b"\n") || tail.starts_with(b"\n") || tail.starts_with(b"\r\n"))
    });
    if let (true, Some(tail)) = (name.ends_with(".csv"), appended) {
        let first = old.split(|&b| b == b'\n').next().unwrap_or_default();
        let header = raw::csv_header(&text(first));
        let first_line = lines_before + 1;
        return (
            vec![],
            raw::csv_rows_after(name, &header, first_line, &text(tail)),
        );
    }
    let before = raw::rows(name, &text(old));
    let after = raw::rows(name, &text(new));
    let removed = missing(&before, &content(&after));
    let added = missing(&after, &content(&before));
    (removed, added)
}

/// Rows by what they say: key and cells (a row whose line moved is the same row).
type Content<'a> = HashSet<(&'a str, &'a [(String, String)])>;

fn content(rows: &[RawRow]) -> Content<'_> {
    rows.iter()
        .map(|r| (r.key.as_str(), r.cells.as_slice()))
        .collect()
}

/// The rows not found in `other`.
fn missing(rows: &[RawRow], other: &Content) -> Vec<RawRow> {
    rows.iter()
        .filter(|r| !other.contains(&(r.key.as_str(), r.cells.as_slice())))
        .cloned()
        .collect()
}

/// The R2–R6 verdicts of a state, or None when its ledger does not load.
fn standings(state: &State, as_of: Time) -> Option<HashMap<String, audit::Standing>> {
    let ledger = ledger::load(&state.files).ok()?;
    Some(audit::standings(&rules::evaluate(&ledger, as_of)))
}

/// The walk through the history: the ledger as it stands, the latest row in evaluation order,
/// the verdicts of the current state when known, and what was found so far.
struct Walk {
    state: State,
    blobs: git::BlobReader,
    latest: Option<(Time, Kind)>,
    cached: Option<HashMap<String, audit::Standing>>,
    as_of: Time,
    findings: Vec<Finding>,
}

impl Walk {
    /// One commit: its row changes, back-dated rows, and — when it reaches back — its flips.
    fn step(&mut self, c: &git::Commit) -> anyhow::Result<()> {
        let mut after = vec![];
        let (mut removed, mut added) = (vec![], vec![]);
        for ch in &c.changes {
            let new = match &ch.blob {
                Some(b) => self.blobs.read(b)?.unwrap_or_default(),
                None => vec![],
            };
            let old = self
                .state
                .files
                .get(&ch.name)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let old_breaks = self.state.breaks.get(&ch.name).copied().unwrap_or(0);
            let tail = new.strip_prefix(old);
            let breaks = tail.map_or_else(
                || line_breaks(&new),
                |t| old_breaks as usize + line_breaks(t),
            ) as u32;
            let (r, a) = changed_rows(&ch.name, old, old_breaks, tail, &new);
            removed.extend(r);
            added.extend(a);
            after.push((ch.name.clone(), new, breaks));
        }
        let changes = audit::classify(&removed, &added);
        let found = |kind, r: &RawRow, before: String, after: String| Finding {
            kind,
            commit: c.short.clone(),
            author: c.author.clone(),
            date: c.date.clone(),
            file: r.file.clone(),
            line: r.line,
            id: r.key.clone(),
            before,
            after,
        };
        for (old, new) in &changes.edits {
            self.findings
                .push(found(FindingKind::Edit, new, old.show(), new.show()));
        }
        for old in &changes.deletions {
            self.findings
                .push(found(FindingKind::Deletion, old, old.show(), String::new()));
        }
        let new_config = after.iter().find(|(n, _, _)| n == CONFIG_FILE);
        let config = match new_config {
            Some((_, b, _)) => ledger::config::parse_config(&text(b)).ok(),
            None => self.state.config(),
        };
        let (tz, max_delay) = config
            .map(|c| (c.timezone, c.max_entry_delay_hours))
            .unwrap_or((DEFAULT_ZONE, 24));
        let committed = chrono::DateTime::parse_from_rfc3339(&c.date).ok();
        // Honest appends that come after every earlier row in evaluation order cannot change an
        // R2–R6 verdict; only commits that reach back (edits, deletions, rows placed before the
        // latest row, voids, a config change) are evaluated before and after.
        let mut reaches_back =
            !changes.edits.is_empty() || !changes.deletions.is_empty() || new_config.is_some();
        let mut new_voids = vec![];
        let latest_before = self.latest;
        for r in &changes.appended {
            let at = row_time(r, tz);
            if let (Some(at), Some(committed)) = (at, committed)
                && audit::back_dated(at, committed, max_delay)
            {
                self.findings.push(found(
                    FindingKind::BackDated,
                    r,
                    at.to_rfc3339(),
                    c.date.clone(),
                ));
            }
            if raw::kind_of(&r.file) == Some(Kind::Void) {
                new_voids.push((r.key.clone(), r.get("ref").unwrap_or("").to_string()));
            }
            let key = order_key(r, tz);
            reaches_back |= key.is_none() || key < latest_before;
            self.latest = self.latest.max(key);
        }
        reaches_back |= !new_voids.is_empty();
        let before = match (reaches_back, self.cached.take()) {
            (false, _) => None,
            (true, Some(s)) => Some(s),
            (true, None) => standings(&self.state, self.as_of),
        };
        self.state.apply(after);
        if !reaches_back {
            return Ok(());
        }
        let now = standings(&self.state, self.as_of);
        if let (Some(before), Some(now)) = (&before, &now) {
            for f in audit::flips(before, now, &new_voids) {
                self.findings.push(flip_finding(c, f));
            }
        }
        self.cached = now;
        Ok(())
    }
}

fn flip_finding(c: &git::Commit, f: audit::Flip) -> Finding {
    let show = |s: &audit::Standing| {
        format!(
            "{} ({}{})",
            s.code.as_str(),
            s.rule,
            s.cite.as_ref().map(|c| format!(" {c}")).unwrap_or_default()
        )
    };
    Finding {
        kind: if f.void.is_some() {
            FindingKind::Correction
        } else {
            FindingKind::Flip
        },
        commit: c.short.clone(),
        author: c.author.clone(),
        date: c.date.clone(),
        file: f.after.src.file().to_string(),
        line: f.after.src.line,
        id: f.id.clone(),
        before: show(&f.before),
        after: show(&f.after) + &f.void.map(|v| format!(" — {v}")).unwrap_or_default(),
    }
}

/// The ledger's config as committed at HEAD, if it is there and reads: the project whose history
/// is audited (its zone and language are the run's settings).
fn head_config(dir: &std::path::Path) -> anyhow::Result<Option<crate::model::Config>> {
    let prefix = git::prefix(dir)?;
    let bytes = git::BlobReader::new(dir)?.read(&format!("HEAD:{prefix}{CONFIG_FILE}"))?;
    Ok(bytes.and_then(|b| ledger::config::parse_config(&text(&b)).ok()))
}

pub fn run(g: &Global, a: AuditArgs) -> anyhow::Result<i32> {
    let dir = g.dir();
    let commits = git::history(&dir, a.since.as_deref())?;
    let mut state = State::default();
    if let Some(rev) = &a.since {
        let base = git::files_at(&dir, rev)?;
        state.apply(
            base.into_iter()
                .map(|(n, b)| {
                    let k = line_breaks(&b) as u32;
                    (n, b, k)
                })
                .collect(),
        );
    }
    // the rows' zone at the start: the base's config, else the default
    let tz = state.config().map_or(DEFAULT_ZONE, |c| c.timezone);
    let settings = Settings::resolve(&g.asked(), head_config(&dir)?.as_ref())?;
    let as_of = settings.as_of;
    let latest = state
        .files
        .keys()
        .flat_map(|n| raw::rows(n, &state.text(n)))
        .filter_map(|r| order_key(&r, tz))
        .max();
    let mut walk = Walk {
        state,
        blobs: git::BlobReader::new(&dir)?,
        latest,
        cached: None,
        as_of,
        findings: vec![],
    };
    let progress = std::io::stderr().is_terminal() && commits.len() > 20;
    for (n, c) in commits.iter().enumerate() {
        if progress {
            eprint!("\raudit {}/{}", n + 1, commits.len());
        }
        walk.step(c)?;
    }
    if progress {
        eprintln!();
    }
    let findings = walk.findings;
    let style = settings.style();
    let out = &mut std::io::stdout().lock();
    match settings.format {
        Format::Json => writeln!(out, "{}", render::audit::json(&findings))?,
        Format::Csv => render::audit::csv(&findings, out)?,
        Format::Table => writeln!(
            out,
            "{}",
            render::audit::table_text(&findings, commits.len(), &style)
        )?,
    }
    let tampering = findings.iter().any(|f| f.kind != FindingKind::Correction);
    Ok(if tampering { 1 } else { 0 })
}
