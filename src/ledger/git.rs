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
