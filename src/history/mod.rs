//! The history walk of `attrib audit`: the ledger folder's commits along the first-parent line,
//! oldest first, each compared with the state before it for in-place edits and deletions,
//! back-dated rows, and verdicts that flipped. Reads git (through `ledger::git`) and judges with
//! the pure rules; prints nothing (`cmd::audit` renders what it returns).

mod rows;

use crate::ledger::csv_text::line_breaks;
use crate::ledger::{
    self, Files,
    config::{CONFIG_FILE, DEFAULT_ZONE},
    git, raw,
};
use crate::model::{Config, Kind, RawRow, Time};
use crate::rules::{
    self,
    audit::{self, Finding, FindingKind},
};
use rows::{changed_rows, entry_time, order_key, row_time, text};
use std::collections::HashMap;
use std::path::Path;

/// What the walk found.
pub struct Audit {
    /// The findings, in commit order.
    pub findings: Vec<Finding>,
    /// How many commits were walked.
    pub commits: usize,
}

impl Audit {
    /// Whether anything but corrections and uncommitted files was found (edits, deletions,
    /// back-dated or pre-dated rows, flips, money moved in a settled month).
    pub fn tampered(&self) -> bool {
        self.findings
            .iter()
            .any(|f| !matches!(f.kind, FindingKind::Correction | FindingKind::Uncommitted))
    }
}

/// The ledger's config as committed at HEAD, if it is there and reads: the project whose history
/// is audited (its zone and language are the run's settings).
pub fn head_config(dir: &Path) -> anyhow::Result<Option<Config>> {
    let prefix = git::prefix(dir)?;
    let bytes = git::BlobReader::new(dir)?.read(&format!("HEAD:{prefix}{CONFIG_FILE}"))?;
    Ok(bytes.and_then(|b| ledger::config::parse_config(&text(&b)).ok()))
}

/// Walks the history of the ledger in `dir` (after `since`, whose state is the starting point),
/// comparing verdicts as of `as_of`. Every commit reachable from HEAD is walked, side branches
/// of merges included, each compared with its first parent. `progress(n, total)` is called
/// before the n-th commit that changed the ledger.
pub fn audit(
    dir: &Path,
    since: Option<&str>,
    as_of: Time,
    mut progress: impl FnMut(usize, usize),
) -> anyhow::Result<Audit> {
    let commits = git::history(dir, since)?;
    let changing = commits.iter().filter(|c| changes_ledger(c)).count();
    // how many walked commits still start from each commit's state (as their first parent)
    let mut children: HashMap<&str, usize> = HashMap::new();
    for c in &commits {
        if let Some(p) = c.parents.first() {
            *children.entry(p.as_str()).or_default() += 1;
        }
    }
    let mut nodes: HashMap<&str, Node> = HashMap::new();
    let mut walk = Walk {
        dir: dir.to_path_buf(),
        blobs: git::BlobReader::new(dir)?,
        as_of,
        findings: vec![],
        scratch: vec![],
    };
    let mut n = 0;
    for c in &commits {
        let mut node = match c.parents.first() {
            None => Node::default(),
            Some(p) => {
                let left = children.get_mut(p.as_str()).expect("counted");
                *left -= 1;
                match (*left, nodes.remove(p.as_str())) {
                    (0, Some(node)) => node,
                    (_, Some(node)) => {
                        let copy = node.fork();
                        nodes.insert(p.as_str(), node);
                        copy
                    }
                    // the base: `since` or a side branch's fork point before it
                    (_, None) => Node::new(walk.blobs.files(p, &c.before)?),
                }
            }
        };
        if changes_ledger(c) {
            n += 1;
            progress(n, changing);
            walk.step(&mut node, c)?;
        }
        if children.get(c.hash.as_str()).is_some_and(|&k| k > 0) {
            nodes.insert(c.hash.as_str(), node);
        }
    }
    // the work tree's uncommitted ledger files: reported, never audited
    for name in git::uncommitted(dir)? {
        walk.findings.push(Finding {
            kind: FindingKind::Uncommitted,
            commit: String::new(),
            subject: String::new(),
            author: String::new(),
            date: String::new(),
            file: name,
            line: 0,
            id: String::new(),
            before: String::new(),
            after: String::new(),
        });
    }
    Ok(Audit {
        findings: walk.findings,
        commits: changing,
    })
}

/// Whether a commit changed a ledger file or moved the folder.
fn changes_ledger(c: &git::Commit) -> bool {
    !c.changes.is_empty() || c.before != c.prefix
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
    fn apply(&mut self, files: Vec<(String, Update, u32)>) {
        for (name, update, breaks) in files {
            self.breaks.insert(name.clone(), breaks);
            match update {
                Update::Append(tail) => match self.files.get_mut(&name) {
                    Some(old) => old.extend_from_slice(&tail),
                    None if tail.is_empty() => {}
                    None => {
                        self.files.insert(name, tail);
                    }
                },
                Update::Whole(bytes) if bytes.is_empty() => {
                    self.files.remove(&name);
                }
                Update::Whole(bytes) => {
                    self.files.insert(name, bytes);
                }
            }
        }
    }

    fn config(&self) -> Option<Config> {
        ledger::config::parse_config(&self.text(CONFIG_FILE)).ok()
    }
}

/// A file's text after a commit: the old text extended by a tail, or whole (empty: deleted).
enum Update {
    Append(Vec<u8>),
    Whole(Vec<u8>),
}

/// Rows by what they say: key and cells.
type Rows = std::collections::HashSet<(String, Vec<(String, String)>)>;

/// What the audit compares between two states: verdicts and settlement totals.
struct Snapshot {
    standings: HashMap<String, audit::Standing>,
    totals: audit::Totals,
}

/// The R2–R7 verdicts of a state and its money per month and payee, or None when its ledger
/// does not load.
fn snapshot(state: &State, as_of: Time) -> Option<Snapshot> {
    let ledger = ledger::load(&state.files).ok()?;
    let e = rules::evaluate(&ledger, as_of);
    let totals = audit::month_totals(&rules::settle::lines(&e), ledger.config.timezone);
    Some(Snapshot {
        standings: audit::standings(&e),
        totals,
    })
}

/// The ledger after one commit: its files, the latest row in evaluation order, and its verdicts
/// when known.
#[derive(Default)]
struct Node {
    state: State,
    latest: Option<(Time, Kind)>,
    cached: Option<Snapshot>,
}

impl Node {
    /// The ledger as `files` hold it (the walk's starting point).
    fn new(files: ledger::Files) -> Node {
        let mut state = State::default();
        state.apply(
            files
                .into_iter()
                .map(|(n, b)| {
                    let k = line_breaks(&b) as u32;
                    (n, Update::Whole(b), k)
                })
                .collect(),
        );
        // the rows' zone at the start: the base's config, else the default
        let tz = state.config().map_or(DEFAULT_ZONE, |c| c.timezone);
        let latest = state
            .files
            .keys()
            .flat_map(|n| raw::rows(n, &state.text(n)))
            .filter_map(|r| order_key(&r, tz))
            .max();
        Node {
            state,
            latest,
            cached: None,
        }
    }

    /// A copy for a second child (a branch starts here); its verdicts are judged again.
    fn fork(&self) -> Node {
        Node {
            state: State {
                files: self.state.files.clone(),
                breaks: self.state.breaks.clone(),
            },
            latest: self.latest,
            cached: None,
        }
    }
}

/// The walk through the history: the git reader, the as-of time, and what was found so far.
struct Walk {
    dir: std::path::PathBuf,
    blobs: git::BlobReader,
    as_of: Time,
    findings: Vec<Finding>,
    /// Room the blobs are read into, reused from commit to commit.
    scratch: Vec<u8>,
}

impl Walk {
    /// One commit, its findings dated in the project zone (of the ledger after the commit).
    fn step(&mut self, node: &mut Node, c: &git::Commit) -> anyhow::Result<()> {
        let first = self.findings.len();
        self.step_commit(node, c)?;
        let tz = node.state.config().map_or(DEFAULT_ZONE, |c| c.timezone);
        if let Ok(d) = chrono::DateTime::parse_from_rfc3339(&c.date) {
            let date = d.with_timezone(&tz).to_rfc3339();
            for f in &mut self.findings[first..] {
                f.date = date.clone();
            }
        }
        Ok(())
    }

    /// One commit: its row changes, back-dated rows, and — when it reaches back — its flips.
    fn step_commit(&mut self, node: &mut Node, c: &git::Commit) -> anyhow::Result<()> {
        let mut after = vec![];
        let (mut removed, mut added) = (vec![], vec![]);
        let elsewhere = self.other_parents_rows(c)?;
        let mut new = std::mem::take(&mut self.scratch);
        for ch in &self.changes(node, c)? {
            match &ch.blob {
                Some(b) => self.blobs.read_into(b, &mut new)?,
                None => {
                    new.clear();
                    false
                }
            };
            let old = node
                .state
                .files
                .get(&ch.name)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let old_breaks = node.state.breaks.get(&ch.name).copied().unwrap_or(0);
            let tail = new.strip_prefix(old);
            let breaks = tail.map_or_else(
                || line_breaks(&new),
                |t| old_breaks as usize + line_breaks(t),
            ) as u32;
            let (r, a) = changed_rows(&ch.name, old, old_breaks, tail, &new);
            match elsewhere.get(&ch.name) {
                Some((theirs, at_fork)) => {
                    let row = |r: &RawRow| (r.key.clone(), r.cells.clone());
                    // deleted on the other branch: gone there, there at the fork
                    removed.extend(
                        r.into_iter()
                            .filter(|r| theirs.contains(&row(r)) || !at_fork.contains(&row(r))),
                    );
                    added.extend(a.into_iter().filter(|r| !theirs.contains(&row(r))));
                }
                None => {
                    removed.extend(r);
                    added.extend(a);
                }
            }
            // an appended CSV file keeps only its tail: the state extends the old text in place
            let kept = match tail {
                Some(t) if ch.name.ends_with(".csv") => Update::Append(t.to_vec()),
                _ => Update::Whole(new.clone()),
            };
            after.push((ch.name.clone(), kept, breaks));
        }
        self.scratch = new;
        let changes = audit::classify(&removed, &added);
        let found = |kind, r: &RawRow, before: String, after: String| Finding {
            kind,
            commit: c.short.clone(),
            subject: c.subject.clone(),
            author: c.author.clone(),
            date: c.date.clone(),
            file: r.file.clone(),
            line: r.line,
            id: r.key.clone(),
            before,
            after,
        };
        for (old, new) in &changes.edits {
            let (before, after) = audit::changed_cells(old, new);
            self.findings
                .push(found(FindingKind::Edit, new, before, after));
        }
        for old in &changes.deletions {
            self.findings
                .push(found(FindingKind::Deletion, old, old.show(), String::new()));
        }
        let new_config = after.iter().find(|(n, _, _)| n == CONFIG_FILE);
        let config = match new_config {
            Some((_, Update::Whole(b), _)) => ledger::config::parse_config(&text(b)).ok(),
            _ => node.state.config(),
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
        let latest_before = node.latest;
        for r in &changes.appended {
            let at = row_time(r, tz);
            // R10.6: an outside deal's delay counts from when it was learned (known_at)
            if let (Some(entered), Some(committed)) = (entry_time(r, tz), committed)
                && audit::back_dated(entered, committed, max_delay)
            {
                self.findings.push(found(
                    FindingKind::BackDated,
                    r,
                    entered.to_rfc3339(),
                    c.date.clone(),
                ));
            }
            if let (Some(at), Some(committed)) = (at, committed)
                && audit::pre_dated(at, committed)
            {
                self.findings.push(found(
                    FindingKind::PreDated,
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
            // a row placed in a settled month may move money there
            reaches_back |= match (at, committed) {
                (Some(at), Some(committed)) => {
                    audit::in_settled_month(at, committed, max_delay, tz)
                }
                _ => true,
            };
            node.latest = node.latest.max(key);
        }
        reaches_back |= !new_voids.is_empty();
        let before = match (reaches_back, node.cached.take()) {
            (false, _) => None,
            (true, Some(s)) => Some(s),
            (true, None) => snapshot(&node.state, self.as_of),
        };
        node.state.apply(after);
        if !reaches_back {
            return Ok(());
        }
        let now = snapshot(&node.state, self.as_of);
        if let (Some(before), Some(now)) = (&before, &now) {
            for f in audit::flips(&before.standings, &now.standings, &new_voids) {
                self.findings.push(flip_finding(c, f));
            }
            if let Some(committed) = committed {
                let settled = |m: &str| audit::settled(m, committed, max_delay, tz);
                for (month, payee, b, a) in audit::money_moved(&before.totals, &now.totals, settled)
                {
                    self.findings.push(Finding {
                        kind: FindingKind::MoneyMoved,
                        commit: c.short.clone(),
                        subject: c.subject.clone(),
                        author: c.author.clone(),
                        date: c.date.clone(),
                        file: String::new(),
                        line: 0,
                        id: format!("{month} {payee}"),
                        before: format!("{b:.2}"),
                        after: format!("{a:.2}"),
                    });
                }
            }
        }
        node.cached = now;
        Ok(())
    }

    /// The ledger files a commit changed: those git listed, or, when the folder was renamed
    /// here, every ledger file of the folder at this commit (and the old ones gone).
    fn changes(&mut self, node: &Node, c: &git::Commit) -> anyhow::Result<Vec<git::Change>> {
        if c.before == c.prefix {
            return Ok(c.changes.clone());
        }
        let now = self.blobs.files(&c.hash, &c.prefix)?;
        let mut out: Vec<git::Change> = node
            .state
            .files
            .keys()
            .filter(|n| !now.contains_key(*n))
            .map(|n| git::Change {
                name: n.clone(),
                blob: None,
            })
            .collect();
        for name in now.keys() {
            out.push(git::Change {
                name: name.clone(),
                blob: Some(format!("{}:{}{name}", c.hash, c.prefix)),
            });
        }
        Ok(out)
    }

    /// For a merge, the rows (key and cells) of each changed file in its other parents: a row
    /// the merge brings from another branch was audited at the commit that wrote it there, and
    /// a row missing there was deleted there; the merge does not report them again (its flips
    /// and money moved on the first-parent line are still reported).
    fn other_parents_rows(
        &mut self,
        c: &git::Commit,
    ) -> anyhow::Result<HashMap<String, (Rows, Rows)>> {
        let mut out: HashMap<String, (Rows, Rows)> = HashMap::new();
        for p in c.parents.iter().skip(1) {
            let base = git::output(&self.dir, &["merge-base", &c.parents[0], p])?;
            for ch in &c.changes {
                let theirs = self.rows_at(p, &c.prefix, &ch.name)?;
                let at_fork = self.rows_at(base.trim(), &c.prefix, &ch.name)?;
                let e = out.entry(ch.name.clone()).or_default();
                e.0.extend(theirs);
                e.1.extend(at_fork);
            }
        }
        Ok(out)
    }

    fn rows_at(&mut self, rev: &str, prefix: &str, name: &str) -> anyhow::Result<Rows> {
        let bytes = self
            .blobs
            .read(&format!("{rev}:{prefix}{name}"))?
            .unwrap_or_default();
        Ok(raw::rows(name, &text(&bytes))
            .into_iter()
            .map(|r| (r.key, r.cells))
            .collect())
    }
}

fn flip_finding(c: &git::Commit, f: audit::Flip) -> Finding {
    let show = |s: &audit::Standing| {
        format!(
            "{}{} ({}{})",
            s.code.as_str(),
            s.party
                .as_ref()
                .map(|p| format!(" {p}"))
                .unwrap_or_default(),
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
        subject: c.subject.clone(),
        author: c.author.clone(),
        date: c.date.clone(),
        file: f.after.src.file().to_string(),
        line: f.after.src.line,
        id: f.id.clone(),
        before: show(&f.before),
        after: show(&f.after) + &f.void.map(|v| format!(" — {v}")).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(state: &mut State, name: &str, update: Update) {
        state.apply(vec![(name.to_string(), update, 0)]);
    }

    #[test]
    fn an_appended_tail_extends_the_old_text_in_place() {
        let mut state = State::default();
        apply(
            &mut state,
            "reports.csv",
            Update::Append(b"id,at\n".to_vec()),
        );
        apply(
            &mut state,
            "reports.csv",
            Update::Append(b"R1,x\n".to_vec()),
        );
        assert_eq!(state.files["reports.csv"], b"id,at\nR1,x\n");
        apply(&mut state, "visits.csv", Update::Append(vec![]));
        assert!(
            !state.files.contains_key("visits.csv"),
            "nothing appended to nothing"
        );
        apply(
            &mut state,
            "reports.csv",
            Update::Whole(b"id,at\n".to_vec()),
        );
        assert_eq!(state.files["reports.csv"], b"id,at\n");
        apply(&mut state, "reports.csv", Update::Whole(vec![]));
        assert!(!state.files.contains_key("reports.csv"), "deleted");
    }
}
