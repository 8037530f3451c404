//! Reading the ledger as it stood at a git revision, through the git command line (the one
//! every auditor already has, which reads every repository format git itself does). The work
//! tree is never touched: blobs are read with `git cat-file --batch`.

use super::config::CONFIG_FILE;
use super::schema::{Files, file_names};
use crate::render::errors::pick;
use anyhow::bail;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C").arg(dir);
    c
}

/// Runs git and returns its standard output, or fails saying in plain words what went wrong
/// (`failure`).
pub fn output(dir: &Path, args: &[&str]) -> anyhow::Result<String> {
    let out = git(dir).args(args).output().map_err(missing)?;
    if !out.status.success() {
        bail!(failure(dir, &String::from_utf8_lossy(&out.stderr)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// git could not be started: not installed (or not on the PATH), in plain words.
pub fn missing(e: std::io::Error) -> anyhow::Error {
    let said = match e.kind() {
        std::io::ErrorKind::NotFound => pick(
            "找不到 git 程序: 请先安装 git (audit 和 --rev 要用它读取历史)".into(),
            "git was not found: install git first (audit and --rev read the history with it)"
                .into(),
        ),
        _ => pick(
            format!("无法运行 git: {e}"),
            format!("could not run git: {e}"),
        ),
    };
    anyhow::anyhow!(said)
}

/// What git's standard error means, in plain words: not a repository, an unknown revision, a
/// repository without commits; any other failure keeps git's first line after the sentence.
pub fn failure(dir: &Path, stderr: &str) -> String {
    let d = dir.display();
    let has = |w: &str| stderr.contains(w);
    if has("not a git repository") {
        return pick(
            format!("{d} 不在 git 仓库中 (先 git init 并提交账本)"),
            format!("{d} is not in a git repository (git init and commit the ledger first)"),
        );
    }
    if has("does not have any commits") || has("bad default revision") {
        return pick(
            format!("{d} 所在仓库还没有任何提交 (先提交账本)"),
            format!("the repository of {d} has no commits yet (commit the ledger first)"),
        );
    }
    if unknown_revision(stderr) {
        return pick(
            "git 找不到这个版本 (请给存在的提交、标签或分支, 如 HEAD~3; git log 列出提交)".into(),
            "git knows no such revision (give an existing commit, tag or branch, e.g. HEAD~3; git log lists the commits)".into(),
        );
    }
    let first = stderr
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let first = first.strip_prefix("fatal: ").unwrap_or(first);
    pick(
        format!("git 执行失败 ({first})"),
        format!("git failed ({first})"),
    )
}

/// Whether git's standard error says a revision it was given does not exist.
fn unknown_revision(stderr: &str) -> bool {
    let said = [
        "bad revision",
        "unknown revision",
        "Needed a single revision",
        "invalid object name",
        "bad object",
    ];
    said.iter().any(|w| stderr.contains(w))
}

/// `rev` names nothing in the repository of `dir`, in plain words.
fn not_a_revision(dir: &Path, rev: &str) -> String {
    let d = dir.display();
    pick(
        format!(
            "「{rev}」不是 {d} 处仓库的版本 (请给存在的提交、标签或分支, 如 HEAD~3; git log 列出提交)"
        ),
        format!(
            "「{rev}」 is not a revision of the repository at {d} (give an existing commit, tag or branch, e.g. HEAD~3; git log lists the commits)"
        ),
    )
}

/// Whether `dir` is inside a git work tree (git itself answers; a missing git is an error).
pub fn in_repository(dir: &Path) -> anyhow::Result<bool> {
    let out = git(dir)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .map_err(missing)?;
    Ok(out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "true")
}

/// The ledger files (by name, e.g. `reports.csv`) with changes not committed: modified, added,
/// deleted or untracked in the work tree or the index.
pub fn uncommitted(dir: &Path) -> anyhow::Result<Vec<String>> {
    let prefix = prefix(dir)?;
    let out = output(
        dir,
        &[
            "-c",
            "core.quotepath=off",
            "status",
            "--porcelain",
            "-z",
            "--untracked-files=all",
            "--no-renames",
            "--",
            ".",
        ],
    )?;
    let names = file_names();
    let mut found: Vec<String> = out
        .split('\0')
        .filter_map(|e| e.get(3..))
        .filter_map(|path| path.strip_prefix(prefix.as_str()))
        .filter(|name| names.iter().any(|n| n == name))
        .map(String::from)
        .collect();
    found.sort();
    found.dedup();
    Ok(found)
}

/// Whether the repository is a shallow clone (its history cut off).
pub fn shallow(dir: &Path) -> anyhow::Result<bool> {
    Ok(output(dir, &["rev-parse", "--is-shallow-repository"])?.trim() == "true")
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
            .map_err(missing)?;
        let stdin = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        widen(&stdout);
        let stdout = BufReader::with_capacity(1 << 16, stdout);
        Ok(BlobReader {
            child,
            stdin,
            stdout,
        })
    }

    /// The blob at `spec` (`REV:path`), or None when it does not exist.
    pub fn read(&mut self, spec: &str) -> anyhow::Result<Option<Vec<u8>>> {
        let mut buf = vec![];
        Ok(self.read_into(spec, &mut buf)?.then_some(buf))
    }

    /// Reads the blob at `spec` into `buf` (its room reused: a fresh buffer for each of the
    /// audit's 3 GB of blobs was faulted in page by page), returning false when it does not
    /// exist (`buf` then empty).
    pub fn read_into(&mut self, spec: &str, buf: &mut Vec<u8>) -> anyhow::Result<bool> {
        buf.clear();
        writeln!(self.stdin, "{spec}")?;
        self.stdin.flush()?;
        let mut header = String::new();
        self.stdout.read_line(&mut header)?;
        let (kind, size) = match parse_header(&header) {
            Some(Header::Object { kind, size }) => (kind, size),
            Some(Header::Missing) => return Ok(false),
            None => bail!("git cat-file: unexpected answer 「{}」", header.trim()),
        };
        buf.reserve(size + 1);
        let got = (&mut self.stdout).take(size as u64 + 1).read_to_end(buf)?;
        if got != size + 1 {
            bail!("git cat-file: the blob ended early ({got} of {size} bytes)");
        }
        buf.pop();
        if kind != "blob" {
            buf.clear();
            return Ok(false);
        }
        Ok(true)
    }

    /// The ledger's files at commit `rev`, the folder being `prefix` inside the repository.
    pub fn files(&mut self, rev: &str, prefix: &str) -> anyhow::Result<Files> {
        let mut files = Files::new();
        for name in file_names() {
            if let Some(bytes) = self.read(&format!("{rev}:{prefix}{name}"))? {
                files.insert(name, bytes);
            }
        }
        Ok(files)
    }
}

/// Asks for a pipe of 1 MB (the most Linux gives without privileges): with 64 KB, the audit's
/// 3 GB of blobs woke git and attrib in turn some fifty thousand times, each waiting on the
/// pipe's lock. Where this is refused, the pipe stays as it is.
#[cfg(target_os = "linux")]
fn widen(pipe: &std::process::ChildStdout) {
    let _ = rustix::pipe::fcntl_setpipe_size(pipe, 1 << 20);
}

#[cfg(not(target_os = "linux"))]
fn widen(_: &std::process::ChildStdout) {}

/// A `git cat-file --batch` header line.
#[derive(Debug, PartialEq, Eq)]
enum Header<'a> {
    /// `<oid> <type> <size>`
    Object { kind: &'a str, size: usize },
    /// `<spec> missing` or `<spec> ambiguous`
    Missing,
}

/// Reads a header from its end: git echoes the spec of a missing object as given, and a spec's
/// path may hold spaces (a ledger in `售楼处 台账/`).
fn parse_header(line: &str) -> Option<Header<'_>> {
    let line = line.strip_suffix('\n').unwrap_or(line);
    let mut fields = line.rsplitn(3, ' ');
    if let (Some(size), Some(kind), Some(oid)) = (fields.next(), fields.next(), fields.next())
        && let Ok(size) = size.parse::<usize>()
        && !oid.is_empty()
        && oid.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return Some(Header::Object { kind, size });
    }
    (line.ends_with(" missing") || line.ends_with(" ambiguous")).then_some(Header::Missing)
}

/// Refuses a revision that git would read as an option (`--output=…`): attrib passes the user's
/// revision to git, and a revision never starts with `-`.
pub fn check_rev(rev: &str) -> anyhow::Result<()> {
    if rev.starts_with('-') {
        if crate::render::errors::zh_errors() {
            bail!("「{rev}」不是版本: 版本不会以 \"-\" 开头 (请给提交、标签或分支, 如 HEAD~3)");
        }
        bail!(
            "「{rev}」 is not a revision: a revision never starts with \"-\" (give a commit, tag or branch, e.g. HEAD~3)"
        );
    }
    Ok(())
}

impl Drop for BlobReader {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The ledger's files as they stood at `rev`.
pub fn files_at(dir: &Path, rev: &str) -> anyhow::Result<Files> {
    check_rev(rev)?;
    if !in_repository(dir)? {
        bail!(failure(dir, "not a git repository"));
    }
    let commit = output(
        dir,
        &[
            "rev-parse",
            "--verify",
            "--end-of-options",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|_| anyhow::anyhow!(not_a_revision(dir, rev)))?;
    let prefix = prefix(dir)?;
    let files = BlobReader::new(dir)?.files(commit.trim(), &prefix)?;
    if !files.contains_key(CONFIG_FILE) {
        if crate::render::errors::zh_errors() {
            bail!("版本 {rev} 中没有 {prefix}{CONFIG_FILE}");
        }
        bail!("there is no {prefix}{CONFIG_FILE} at {rev}");
    }
    Ok(files)
}

/// One commit of the ledger's history and the ledger files it changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commit {
    pub hash: String,
    pub short: String,
    /// The parents' hashes, the first parent first (none for a root commit).
    pub parents: Vec<String>,
    pub author: String,
    /// The first line of the commit message.
    pub subject: String,
    /// Committer date, RFC 3339.
    pub date: String,
    /// The ledger folder's path in the repository after this commit (`ledger/`).
    pub prefix: String,
    /// The ledger folder's path before this commit: another than `prefix` when the folder was
    /// renamed or moved here (the walk then reads the whole folder at this commit).
    pub before: String,
    pub changes: Vec<Change>,
}

/// A ledger file (by name, e.g. `reports.csv`) and its blob after the commit (None: deleted).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub name: String,
    pub blob: Option<String>,
}

/// Every commit reachable from HEAD (side branches of merges included), oldest first and each
/// after its parents, with the blobs of the ledger files it changed against its first parent;
/// `since` excludes that revision and its ancestors. The ledger folder is followed through
/// renames: a commit that moves `attrib.toml` from one folder to the ledger's gives its parents
/// the old folder. One `git log --raw` process: no diff is computed, the audit compares the
/// blobs itself. Commits that change nothing in the ledger are listed too (their changes empty):
/// they carry a state from parent to child.
pub fn history(dir: &Path, since: Option<&str>) -> anyhow::Result<Vec<Commit>> {
    if let Some(rev) = since {
        check_rev(rev)?;
    }
    let head_prefix = prefix(dir)?;
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
            "--topo-order",
            "--raw",
            "--no-abbrev",
            "--no-renames",
            "--diff-merges=first-parent",
        ])
        .arg("--format=%x1e%H%x1f%P%x1f%an%x1f%cI%x1f%s")
        .args(["--end-of-options", range.as_str()])
        .output()
        .map_err(missing)?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        match since {
            Some(rev) if unknown_revision(&stderr) => bail!(not_a_revision(dir, rev)),
            _ => bail!(failure(dir, &stderr)),
        }
    }
    Ok(parse_log(
        &String::from_utf8_lossy(&out.stdout),
        &head_prefix,
    ))
}

/// A path a commit changed, whole, and its blob after the commit (None: deleted).
type PathChange = (String, Option<String>);

/// Parses `git log --raw --no-abbrev` output (format `%H %P %an %cI %s`, oldest first), gives
/// each commit its ledger folder (`head_prefix` for HEAD, followed back through renames) and
/// keeps the changes of the ledger's files in it.
pub fn parse_log(text: &str, head_prefix: &str) -> Vec<Commit> {
    let mut commits: Vec<(Commit, Vec<PathChange>)> = vec![];
    for line in text.lines() {
        if let Some(head) = line.strip_prefix('\u{1e}') {
            let f: Vec<&str> = head.split('\u{1f}').collect();
            if let [hash, parents, author, date, ref subject @ ..] = f[..] {
                // `--no-abbrev` (full blob ids) also unabbreviates %h: shorten by hand
                let commit = Commit {
                    hash: hash.into(),
                    short: hash.chars().take(7).collect(),
                    parents: parents.split_whitespace().map(String::from).collect(),
                    author: author.into(),
                    subject: subject.join("\u{1f}"),
                    date: date.into(),
                    prefix: String::new(),
                    before: String::new(),
                    changes: vec![],
                };
                commits.push((commit, vec![]));
            }
        } else if let Some(raw) = line.strip_prefix(':') {
            // :100644 100644 <old blob> <new blob> M<TAB>path
            let Some((meta, path)) = raw.split_once('\t') else {
                continue;
            };
            let fields: Vec<&str> = meta.split(' ').collect();
            let (Some(blob), Some(status), Some((_, paths))) =
                (fields.get(3), fields.get(4), commits.last_mut())
            else {
                continue;
            };
            let blob = (!status.starts_with('D')).then(|| blob.to_string());
            paths.push((path.to_string(), blob));
        }
    }
    assign_prefixes(&mut commits, head_prefix);
    let names = file_names();
    commits
        .into_iter()
        .map(|(mut c, paths)| {
            c.changes = paths
                .into_iter()
                .filter_map(|(path, blob)| {
                    let name = path.strip_prefix(c.prefix.as_str())?;
                    names.iter().any(|n| n == name).then(|| Change {
                        name: name.to_string(),
                        blob,
                    })
                })
                .collect();
            c
        })
        .collect()
}

/// Each commit's ledger folder, newest first: HEAD's is `head_prefix`; a parent takes its
/// child's, or the folder the child moved `attrib.toml` out of when the child moved it in.
fn assign_prefixes(commits: &mut [(Commit, Vec<PathChange>)], head_prefix: &str) {
    let index: std::collections::HashMap<String, usize> = commits
        .iter()
        .enumerate()
        .map(|(i, (c, _))| (c.hash.clone(), i))
        .collect();
    let mut prefix: Vec<Option<String>> = vec![None; commits.len()];
    for i in (0..commits.len()).rev() {
        let own = prefix[i].take().unwrap_or_else(|| head_prefix.to_string());
        let before = moved_from(&commits[i].1, &own);
        for p in &commits[i].0.parents {
            if let Some(&j) = index.get(p) {
                prefix[j].get_or_insert_with(|| before.clone().unwrap_or_else(|| own.clone()));
            }
        }
        commits[i].0.before = before.unwrap_or_else(|| own.clone());
        commits[i].0.prefix = own;
    }
}

/// The folder `attrib.toml` was moved out of when a commit added it under `prefix` and deleted
/// it elsewhere (a renamed ledger folder).
fn moved_from(paths: &[PathChange], prefix: &str) -> Option<String> {
    let added = paths
        .iter()
        .any(|(p, b)| b.is_some() && *p == format!("{prefix}{CONFIG_FILE}"));
    if !added {
        return None;
    }
    paths.iter().find_map(|(p, b)| {
        let folder = p.strip_suffix(CONFIG_FILE)?;
        (b.is_none() && folder != prefix && (folder.is_empty() || folder.ends_with('/')))
            .then(|| folder.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_headers_are_read_from_their_end() {
        let oid = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";
        assert_eq!(
            parse_header(&format!("{oid} blob 12\n")),
            Some(Header::Object {
                kind: "blob",
                size: 12
            })
        );
        assert_eq!(
            parse_header("abc123:售楼处 台账/voids.csv missing\n"),
            Some(Header::Missing)
        );
        assert_eq!(parse_header("HEAD:a 12 missing\n"), Some(Header::Missing));
        assert_eq!(parse_header("abc ambiguous\n"), Some(Header::Missing));
        assert_eq!(parse_header("fatal: something\n"), None);
        assert_eq!(parse_header(""), None);
    }

    #[test]
    fn a_revision_that_looks_like_an_option_is_refused() {
        let e = check_rev("--output=/tmp/x").unwrap_err().to_string();
        assert!(e.contains("never starts with \"-\""), "{e}");
        assert!(check_rev("HEAD~3").is_ok());
    }

    #[test]
    fn raw_log_is_parsed_into_commits_and_blobs() {
        let z = "0".repeat(40);
        let (a, b) = ("a".repeat(40), "b".repeat(40));
        let log = format!(
            "\u{1e}a1b2c3d4e5\u{1f}\u{1f}张三\u{1f}2026-03-01T10:00:00+08:00\u{1f}第一天\n\n:000000 100644 {z} {a} A\tl/reports.csv\n:000000 100644 {z} {b} A\tREADME.md\n\u{1e}b2\u{1f}a1b2c3d4e5\u{1f}李四\u{1f}2026-03-02T10:00:00+08:00\u{1f}\n\n:100644 000000 {a} {z} D\tl/reports.csv\n:100644 100644 {a} {b} M\tl/sub/voids.csv\n"
        );
        let c = parse_log(&log, "l/");
        assert_eq!(c.len(), 2);
        assert_eq!(
            (c[0].short.as_str(), c[0].author.as_str()),
            ("a1b2c3d", "张三")
        );
        assert_eq!(
            (c[0].subject.as_str(), c[1].subject.as_str()),
            ("第一天", "")
        );
        assert_eq!(c[1].parents, vec!["a1b2c3d4e5".to_string()]);
        assert!(c[0].parents.is_empty());
        assert_eq!(
            c[0].changes,
            vec![Change {
                name: "reports.csv".into(),
                blob: Some(a.clone())
            }],
            "README.md is not a ledger file"
        );
        assert_eq!(
            c[1].changes,
            vec![Change {
                name: "reports.csv".into(),
                blob: None
            }],
            "a subfolder is not the ledger"
        );
    }

    #[test]
    fn a_renamed_ledger_folder_is_followed_back() {
        let z = "0".repeat(40);
        let (a, b) = ("a".repeat(40), "b".repeat(40));
        let log = format!(
            "\u{1e}c1\u{1f}\u{1f}张三\u{1f}2026-03-01T10:00:00+08:00\u{1f}开账\n\n:000000 100644 {z} {a} A\t台账/attrib.toml\n:000000 100644 {z} {b} A\t台账/reports.csv\n\u{1e}c2\u{1f}c1\u{1f}张三\u{1f}2026-03-02T10:00:00+08:00\u{1f}改名\n\n:100644 000000 {a} {z} D\t台账/attrib.toml\n:100644 000000 {b} {z} D\t台账/reports.csv\n:000000 100644 {z} {a} A\tledger/attrib.toml\n:000000 100644 {z} {b} A\tledger/reports.csv\n"
        );
        let c = parse_log(&log, "ledger/");
        assert_eq!(
            (c[0].prefix.as_str(), c[0].before.as_str()),
            ("台账/", "台账/"),
            "before the rename the ledger was 台账/"
        );
        assert_eq!(c[0].changes.len(), 2);
        assert_eq!(
            (c[1].prefix.as_str(), c[1].before.as_str()),
            ("ledger/", "台账/")
        );
    }
}
