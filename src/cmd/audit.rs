//! `attrib audit [--since REV]`: walks the ledger's git history for in-place edits and deletions,
//! back-dated rows, and verdicts that flipped between consecutive commits. Exit 1 when it found
//! any (corrections by a void are listed but do not count).

use super::Global;
use crate::ledger::{self, Files, config::CONFIG_FILE, fields::parse_time, git, raw};
use crate::model::{Kind, RawRow, Time};
use crate::render::{self, Format};
use crate::rules::{
    self,
    audit::{self, Finding, FindingKind},
};
use anyhow::Context;
use std::collections::{BTreeMap, HashMap};
use std::io::{IsTerminal, Write};

#[derive(clap::Args, Debug)]
pub struct AuditArgs {
    /// Audit only the commits after this revision.
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
}

/// The ledger's files as lines, patched commit by commit.
#[derive(Default, Clone)]
struct State {
    files: BTreeMap<String, Vec<String>>,
}

impl State {
    fn text(&self, name: &str) -> String {
        self.files
            .get(name)
            .map(|l| l.join("\n") + "\n")
            .unwrap_or_default()
    }

    fn to_files(&self) -> Files {
        self.files
            .keys()
            .filter(|n| !self.files[*n].is_empty())
            .map(|n| (n.clone(), self.text(n).into_bytes()))
            .collect()
    }

    fn tz(&self) -> chrono::FixedOffset {
        ledger::config::parse_config(&self.text(CONFIG_FILE))
            .map(|c| c.timezone)
            .unwrap_or_else(|_| chrono::FixedOffset::east_opt(8 * 3600).expect("valid"))
    }

    fn max_delay(&self) -> u32 {
        ledger::config::parse_config(&self.text(CONFIG_FILE))
            .map(|c| c.max_entry_delay_hours)
            .unwrap_or(24)
    }
}

fn row_time(r: &RawRow, tz: chrono::FixedOffset) -> Option<Time> {
    let at = r.get("at").or_else(|| r.get("presented_at"))?;
    parse_time(at, tz).ok()
}

/// The rows a file diff removed and added, read from the state before the diff. Plain CSV hunks
/// are read line by line; a header change or a TOML file is compared whole.
fn changed_rows(old: &State, d: &git::FileDiff) -> (Vec<RawRow>, Vec<RawRow>) {
    let header_touched = d
        .hunks
        .iter()
        .any(|h| h.old_start <= 1 && h.old_len > 0 || h.new_start <= 1 && h.new_len > 0);
    if d.name.ends_with(".csv") && !header_touched {
        let header = raw::csv_header(&old.text(&d.name));
        let mut removed = vec![];
        let mut added = vec![];
        for h in &d.hunks {
            removed.extend(
                h.removed.iter().enumerate().filter_map(|(i, l)| {
                    raw::csv_line(&d.name, &header, (h.old_start + i) as u32, l)
                }),
            );
            added.extend(
                h.added.iter().enumerate().filter_map(|(i, l)| {
                    raw::csv_line(&d.name, &header, (h.new_start + i) as u32, l)
                }),
            );
        }
        return (removed, added);
    }
    let mut lines = old.files.get(&d.name).cloned().unwrap_or_default();
    d.apply(&mut lines);
    let before = raw::rows(&d.name, &old.text(&d.name));
    let after = raw::rows(&d.name, &(lines.join("\n") + "\n"));
    let same = |a: &RawRow, b: &RawRow| a.key == b.key && a.cells == b.cells;
    let removed = before
        .iter()
        .filter(|b| !after.iter().any(|a| same(a, b)))
        .cloned()
        .collect();
    let added = after
        .iter()
        .filter(|a| !before.iter().any(|b| same(a, b)))
        .cloned()
        .collect();
    (removed, added)
}

/// The R2–R6 verdicts of a state, or None when its ledger does not load.
fn standings(state: &State, as_of: Time) -> Option<HashMap<String, audit::Standing>> {
    let ledger = ledger::load(&state.to_files()).ok()?;
    Some(audit::standings(&rules::evaluate(&ledger, as_of)))
}

pub fn run(g: &Global, a: AuditArgs) -> anyhow::Result<i32> {
    let dir = g.dir();
    let commits = git::history(&dir, a.since.as_deref())?;
    let mut state = State::default();
    if let Some(rev) = &a.since {
        for (name, bytes) in git::files_at(&dir, rev)? {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            state
                .files
                .insert(name, text.lines().map(str::to_string).collect());
        }
    }
    let as_of = match &g.at {
        Some(s) => parse_time(s, state.tz()).context("--at")?,
        None => chrono::Utc::now().with_timezone(&state.tz()),
    };
    let mut max_at: Option<Time> = None;
    let tz = state.tz();
    for name in state.files.keys() {
        for r in raw::rows(name, &state.text(name)) {
            max_at = max_at.max(row_time(&r, tz));
        }
    }
    let mut findings = vec![];
    let mut cached: Option<HashMap<String, audit::Standing>> = None;
    let progress = std::io::stderr().is_terminal() && commits.len() > 20;
    for (n, c) in commits.iter().enumerate() {
        if progress {
            eprint!("\raudit {}/{}", n + 1, commits.len());
        }
        let (mut removed, mut added) = (vec![], vec![]);
        for d in &c.files {
            let (r, a) = changed_rows(&state, d);
            removed.extend(r);
            added.extend(a);
        }
        let changes = audit::classify(&removed, &added);
        let place = |kind, r: &RawRow, before: String, after: String| Finding {
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
            findings.push(place(FindingKind::Edit, new, old.show(), new.show()));
        }
        for old in &changes.deletions {
            findings.push(place(FindingKind::Deletion, old, old.show(), String::new()));
        }
        let tz = state.tz();
        let committed = chrono::DateTime::parse_from_rfc3339(&c.date).ok();
        let mut reaches_back = !changes.edits.is_empty() || !changes.deletions.is_empty();
        let mut new_voids = vec![];
        for r in &changes.appended {
            let at = row_time(r, tz);
            if let (Some(at), Some(committed)) = (at, committed)
                && audit::back_dated(at, committed, state.max_delay())
            {
                findings.push(place(
                    FindingKind::BackDated,
                    r,
                    at.to_rfc3339(),
                    c.date.clone(),
                ));
            }
            if raw::kind_of(&r.file) == Some(Kind::Void) {
                new_voids.push((r.key.clone(), r.get("ref").unwrap_or("").to_string()));
            }
            reaches_back |= at.is_none_or(|at| max_at.is_some_and(|m| at <= m));
            max_at = max_at.max(at);
        }
        // Honest appends later than every earlier row cannot change an R2–R6 verdict; only
        // commits that reach back (edits, deletions, rows at or before the latest time, voids,
        // a config change) are evaluated before and after.
        reaches_back |= !new_voids.is_empty() || c.files.iter().any(|d| d.name == CONFIG_FILE);
        let old = match (reaches_back, cached.take()) {
            (false, _) => None,
            (true, Some(s)) => Some(s),
            (true, None) => standings(&state, as_of),
        };
        for d in &c.files {
            d.apply(state.files.entry(d.name.clone()).or_default());
        }
        if !reaches_back {
            continue;
        }
        let new = standings(&state, as_of);
        if let (Some(old), Some(new)) = (&old, &new) {
            for f in audit::flips(old, new, &new_voids) {
                let kind = if f.void.is_some() {
                    FindingKind::Correction
                } else {
                    FindingKind::Flip
                };
                let show = |s: &audit::Standing| {
                    format!(
                        "{} ({}{})",
                        s.code.as_str(),
                        s.rule,
                        s.cite.as_ref().map(|c| format!(" {c}")).unwrap_or_default()
                    )
                };
                findings.push(Finding {
                    kind,
                    commit: c.short.clone(),
                    author: c.author.clone(),
                    date: c.date.clone(),
                    file: f.after.src.file.clone(),
                    line: f.after.src.line,
                    id: f.id.clone(),
                    before: show(&f.before),
                    after: show(&f.after) + &f.void.map(|v| format!(" — {v}")).unwrap_or_default(),
                });
            }
        }
        cached = new;
    }
    if progress {
        eprintln!();
    }
    let style = render::Style {
        lang: g.lang.unwrap_or(render::Lang::Zh),
        tz: state.tz(),
        reveal: g.reveal,
    };
    let out = &mut std::io::stdout().lock();
    match g.format {
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
