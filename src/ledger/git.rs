//! Reading the ledger as it stood at a git revision, through the git command line (the one
//! every auditor already has, which reads every repository format git itself does). The work
//! tree is never touched: blobs are read with `git cat-file --batch`.

use super::config::CONFIG_FILE;
use super::load::Files;
use crate::model::Kind;
use anyhow::{Context, bail};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

/// Every file name a ledger may hold.
pub fn ledger_file_names() -> Vec<String> {
    let mut names = vec![CONFIG_FILE.to_string()];
    for kind in Kind::ALL {
        names.push(format!("{}.csv", kind.file_stem()));
        names.push(format!("{}.toml", kind.file_stem()));
    }
    names
}

fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C").arg(dir);
    c
}

/// Runs git and returns its standard output, or fails with its standard error.
pub fn output(dir: &Path, args: &[&str]) -> anyhow::Result<String> {
    let out = git(dir)
        .args(args)
        .output()
        .context("running git (is it installed?)")?;
    if !out.status.success() {
        bail!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The ledger folder's path inside its repository (`""` at the top, `ledger/` below it).
pub fn prefix(dir: &Path) -> anyhow::Result<String> {
    Ok(output(dir, &["rev-parse", "--show-prefix"])?
        .trim()
        .to_string())
}

/// A `git cat-file --batch` process: reads many blobs through one pipe.
pub struct BlobReader {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    stdout: BufReader<std::process::ChildStdout>,
}

impl BlobReader {
    pub fn new(dir: &Path) -> anyhow::Result<BlobReader> {
        let mut child = git(dir)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .context("running git cat-file")?;
        let stdin = child.stdin.take().expect("piped");
        let stdout = BufReader::new(child.stdout.take().expect("piped"));
        Ok(BlobReader {
            child,
            stdin,
            stdout,
        })
    }

    /// The blob at `spec` (`REV:path`), or None when it does not exist.
    pub fn read(&mut self, spec: &str) -> anyhow::Result<Option<Vec<u8>>> {
        writeln!(self.stdin, "{spec}")?;
        self.stdin.flush()?;
        let mut header = String::new();
        self.stdout.read_line(&mut header)?;
        let parts: Vec<&str> = header.split_whitespace().collect();
        if parts.len() == 2 && parts[1] == "missing" || parts.len() == 2 && parts[1] == "ambiguous"
        {
            return Ok(None);
        }
        let [_, kind, size] = parts[..] else {
            bail!("git cat-file: unexpected answer 「{}」", header.trim())
        };
        let size: usize = size.parse()?;
        let mut buf = vec![0; size + 1];
        self.stdout.read_exact(&mut buf)?;
        buf.pop();
        Ok((kind == "blob").then_some(buf))
    }

    /// The ledger's files at commit `rev`, the folder being `prefix` inside the repository.
    pub fn files(&mut self, rev: &str, prefix: &str) -> anyhow::Result<Files> {
        let mut files = Files::new();
        for name in ledger_file_names() {
            if let Some(bytes) = self.read(&format!("{rev}:{prefix}{name}"))? {
                files.insert(name, bytes);
            }
        }
        Ok(files)
    }
}

impl Drop for BlobReader {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The ledger's files as they stood at `rev`.
pub fn files_at(dir: &Path, rev: &str) -> anyhow::Result<Files> {
    let commit = output(
        dir,
        &["rev-parse", "--verify", &format!("{rev}^{{commit}}")],
    )
    .with_context(|| {
        format!(
            "「{rev}」 is not a revision of the repository at {}",
            dir.display()
        )
    })?;
    let prefix = prefix(dir)?;
    let files = BlobReader::new(dir)?.files(commit.trim(), &prefix)?;
    if !files.contains_key(CONFIG_FILE) {
        bail!("there is no {prefix}{CONFIG_FILE} at {rev}");
    }
    Ok(files)
}

/// One commit of the ledger's history and what it changed in the ledger's files.
#[derive(Clone, Debug)]
pub struct Commit {
    pub hash: String,
    pub short: String,
    pub author: String,
    /// Committer date, RFC 3339.
    pub date: String,
    pub files: Vec<FileDiff>,
}

/// The changes to one ledger file (by name, e.g. `reports.csv`), as zero-context hunks.
#[derive(Clone, Debug, Default)]
pub struct FileDiff {
    pub name: String,
    pub hunks: Vec<Hunk>,
}

/// Lines `old_start..old_start+old_len` replaced by `added` (1-based; with `old_len` 0 the
/// lines are inserted after line `old_start`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hunk {
    pub old_start: usize,
    pub old_len: usize,
    pub new_start: usize,
    pub new_len: usize,
    pub removed: Vec<String>,
    pub added: Vec<String>,
}

impl FileDiff {
    /// Applies the hunks to the file's lines.
    pub fn apply(&self, lines: &mut Vec<String>) {
        for h in self.hunks.iter().rev() {
            let at = if h.old_len == 0 {
                h.old_start
            } else {
                h.old_start - 1
            };
            let end = (at + h.old_len).min(lines.len());
            let at = at.min(lines.len());
            lines.splice(at..end, h.added.iter().cloned());
        }
    }
}

/// The commits that changed the ledger folder, oldest first (first-parent line), each with its
/// diff; `since` excludes that revision and its ancestors. One `git log -p` process.
pub fn history(dir: &Path, since: Option<&str>) -> anyhow::Result<Vec<Commit>> {
    let prefix = prefix(dir)?;
    let range = match since {
        Some(rev) => format!("{rev}..HEAD"),
        None => "HEAD".to_string(),
    };
    let out = git(dir)
        .args([
            "-c",
            "core.quotepath=off",
            "log",
            "--reverse",
            "--first-parent",
            "-p",
            "--unified=0",
            "--no-renames",
            "--no-color",
            "--no-ext-diff",
        ])
        .arg("--format=%x1e%H%x1f%h%x1f%an%x1f%cI")
        .args([range.as_str(), "--", "."])
        .output()
        .context("running git log")?;
    if !out.status.success() {
        bail!(
            "git log {range}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(parse_log(&String::from_utf8_lossy(&out.stdout), &prefix))
}

/// Parses `git log -p --unified=0` output; files outside the ledger folder are left out.
pub fn parse_log(text: &str, prefix: &str) -> Vec<Commit> {
    let names = ledger_file_names();
    let mut commits: Vec<Commit> = vec![];
    let mut lines = text.split('\n').peekable();
    while let Some(line) = lines.next() {
        if let Some(head) = line.strip_prefix('\u{1e}') {
            let f: Vec<&str> = head.split('\u{1f}').collect();
            if f.len() == 4 {
                commits.push(Commit {
                    hash: f[0].into(),
                    short: f[1].into(),
                    author: f[2].into(),
                    date: f[3].into(),
                    files: vec![],
                });
            }
        } else if let Some(paths) = line.strip_prefix("diff --git ") {
            let Some(c) = commits.last_mut() else {
                continue;
            };
            let path = paths.rsplit_once(" b/").map(|(_, b)| b).unwrap_or("");
            let name = path.strip_prefix(prefix).unwrap_or("");
            if names.iter().any(|n| n == name) {
                c.files.push(FileDiff {
                    name: name.to_string(),
                    hunks: vec![],
                });
            } else {
                c.files.push(FileDiff::default());
            }
        } else if let Some(h) = line.strip_prefix("@@ -") {
            let Some(mut hunk) = parse_hunk_header(h) else {
                continue;
            };
            let (mut old, mut new) = (hunk.old_len, hunk.new_len);
            while old + new > 0 {
                let Some(l) = lines.next() else { break };
                if let Some(r) = l.strip_prefix('-').filter(|_| old > 0) {
                    hunk.removed.push(r.to_string());
                    old -= 1;
                } else if let Some(a) = l.strip_prefix('+').filter(|_| new > 0) {
                    hunk.added.push(a.to_string());
                    new -= 1;
                }
            }
            if let Some(f) = commits.last_mut().and_then(|c| c.files.last_mut()) {
                f.hunks.push(hunk);
            }
        }
    }
    for c in &mut commits {
        c.files.retain(|f| !f.name.is_empty());
    }
    commits
}

/// `a[,b] +c[,d] @@…` (after the leading `@@ -`).
fn parse_hunk_header(h: &str) -> Option<Hunk> {
    let (old, rest) = h.split_once(" +")?;
    let new = rest.split_once(" @@")?.0;
    let range = |s: &str| -> Option<(usize, usize)> {
        match s.split_once(',') {
            Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
            None => Some((s.parse().ok()?, 1)),
        }
    };
    let (old_start, old_len) = range(old)?;
    let (new_start, new_len) = range(new)?;
    Some(Hunk {
        old_start,
        old_len,
        new_start,
        new_len,
        removed: vec![],
        added: vec![],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "\u{1e}aaa\u{1f}a1\u{1f}张三\u{1f}2026-03-01T10:00:00+08:00\n\ndiff --git a/l/reports.csv b/l/reports.csv\nnew file mode 100644\n--- /dev/null\n+++ b/l/reports.csv\n@@ -0,0 +1,2 @@\n+id,at\n+R-1,2026-03-01 09:00\ndiff --git a/README.md b/README.md\n@@ -1 +1 @@\n-x\n+y\n\u{1e}bbb\u{1f}b2\u{1f}李四\u{1f}2026-03-02T10:00:00+08:00\n\ndiff --git a/l/reports.csv b/l/reports.csv\n@@ -2 +2 @@\n--- R-1,2026-03-01 08:00\n+R-1,2026-03-01 08:00\n@@ -3,0 +4 @@\n+R-2,2026-03-02 09:00\n";

    #[test]
    fn log_is_parsed_into_commits_and_hunks() {
        let c = parse_log(LOG, "l/");
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].short.as_str(), c[0].author.as_str()), ("a1", "张三"));
        assert_eq!(c[0].files.len(), 1, "README.md is not a ledger file");
        assert_eq!(
            c[0].files[0].hunks[0].added,
            vec!["id,at", "R-1,2026-03-01 09:00"]
        );
        let h = &c[1].files[0].hunks;
        assert_eq!(
            h[0].removed,
            vec!["-- R-1,2026-03-01 08:00"],
            "a removed line starting with -- is content"
        );
        assert_eq!((h[1].old_start, h[1].old_len, h[1].new_start), (3, 0, 4));
    }

    #[test]
    fn hunks_apply_in_place() {
        let mut lines: Vec<String> = ["h", "a", "b", "c"].map(String::from).to_vec();
        let diff = FileDiff {
            name: "x.csv".into(),
            hunks: vec![
                Hunk {
                    old_start: 2,
                    old_len: 1,
                    new_start: 2,
                    new_len: 1,
                    removed: vec!["a".into()],
                    added: vec!["A".into()],
                },
                Hunk {
                    old_start: 4,
                    old_len: 0,
                    new_start: 5,
                    new_len: 2,
                    removed: vec![],
                    added: vec!["d".into(), "e".into()],
                },
            ],
        };
        diff.apply(&mut lines);
        assert_eq!(lines, ["h", "A", "b", "c", "d", "e"]);
    }
}
