//! Appending one record: under an exclusive lock on the ledger folder, in the file's own format,
//! as a single write that is undone if it fails, and synced to disk before returning.

use super::config::CONFIG_FILE;
use super::csv_text;
use super::encoding::{Encoding, decode, encode};
use super::schema::Files;
use crate::model::Kind;
use crate::render::errors::{pick, said};
use anyhow::{Context, bail};
use std::collections::BTreeMap;
use std::fs::TryLockError;
use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;
use std::time::{Duration, Instant};

pub const LOCK_FILE: &str = ".attrib.lock";

/// Holds the ledger's lock until dropped.
pub struct Lock(File);

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

/// How long `lock` waits before saying who holds the lock.
const SAY_AFTER: Duration = Duration::from_secs(1);

/// Takes the exclusive lock of the ledger folder, waiting for another `attrib add` to finish:
/// after a second it says on stderr who holds the lock (process id and since when, as the holder
/// wrote them into the lock file), and it gives up after `timeout`. A symbolic link where the
/// lock file belongs (dangling or not) is not attrib's: it is replaced by a plain file.
pub fn lock(dir: &Path, timeout: Duration) -> anyhow::Result<Lock> {
    if !dir.join(CONFIG_FILE).exists() {
        let d = dir.display();
        bail!(pick(
            format!("{d} 中没有 {CONFIG_FILE}; 这是账本目录吗? (attrib init 可以新建一个)"),
            format!("{d} has no {CONFIG_FILE}; is it a ledger? (attrib init creates one)"),
        ));
    }
    let path = dir.join(LOCK_FILE);
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        std::fs::remove_file(&path).with_context(|| {
            let p = path.display();
            pick(
                format!("删除符号链接 {p}"),
                format!("removing the symbolic link {p}"),
            )
        })?;
    }
    let mut f = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .with_context(|| {
            let p = path.display();
            pick(format!("打开 {p}"), format!("opening {p}"))
        })?;
    let start = Instant::now();
    let mut said = false;
    loop {
        match f.try_lock() {
            Ok(()) => break,
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(e)) => {
                let what = pick("给账本加锁".into(), "locking the ledger".into());
                return Err(e).context(what);
            }
        }
        let waited = start.elapsed();
        if waited >= timeout {
            let (p, who, secs) = (path.display(), holder(&path), timeout.as_secs_f64());
            bail!(pick(
                format!(
                    "{p}: 账本被 {who} 锁住; 等了 {secs} 秒后放弃 (--lock-timeout) — 未写入任何内容"
                ),
                format!(
                    "{p}: the ledger is locked by {who}; gave up after {secs} s (--lock-timeout) — nothing was written"
                ),
            ));
        }
        if !said && waited >= SAY_AFTER {
            let (who, secs) = (holder(&path), timeout.as_secs_f64());
            eprintln!(
                "attrib: {}",
                pick(
                    format!("正在等待账本的锁, 持有者: {who} ({secs} 秒后放弃)"),
                    format!(
                        "waiting for the ledger's lock, held by {who} (giving up after {secs} s)"
                    ),
                )
            );
            said = true;
        }
        std::thread::sleep((timeout - waited).min(Duration::from_millis(50)));
    }
    // who holds it, for whoever waits next
    let since = chrono::Utc::now().format("%Y-%m-%d %H:%M:%S UTC");
    let _ = f
        .set_len(0)
        .and_then(|_| f.seek(SeekFrom::Start(0)))
        .and_then(|_| writeln!(f, "process {} since {since}", std::process::id()))
        .and_then(|_| f.flush());
    Ok(Lock(f))
}

/// Who holds the lock, as the holder wrote it into the lock file (its first line, at most 120
/// characters, control characters escaped: the file is anyone's to write).
fn holder(path: &Path) -> String {
    let text = std::fs::read(path).unwrap_or_default();
    let line = String::from_utf8_lossy(&text);
    let line = line.lines().next().unwrap_or("").trim();
    if line.is_empty() {
        return pick(
            "另一个进程 (它没有写进程号)".into(),
            "another process (it wrote no process id)".into(),
        );
    }
    (line.chars().take(120))
        .flat_map(|c| match c.is_control() {
            true => c.escape_unicode().collect::<Vec<_>>(),
            false => vec![c],
        })
        .collect()
}

/// What an append will write: the bytes to add to one file, and the ledger's files after it.
pub struct Plan {
    pub file: String,
    /// Written whole at the end of the file; when `create`, the whole new file (header included).
    pub bytes: Vec<u8>,
    /// The file is written whole, atomically (a temporary file renamed over it): a new file, or
    /// an empty or blank CSV file, which gets its header with its first row.
    pub create: bool,
    pub files: Files,
}

/// Whether a file holds nothing but whitespace (a byte-order mark included): no header, no rows.
fn is_blank(bytes: &[u8]) -> bool {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    text.iter().all(u8::is_ascii_whitespace)
}

/// Plans the append of one record of `kind` with `values` (column → text).
pub fn plan(
    files: &Files,
    kind: Kind,
    values: &BTreeMap<&'static str, String>,
) -> anyhow::Result<Plan> {
    let csv_name = kind.file_name(true).to_string();
    let toml_name = kind.file_name(false).to_string();
    let (file, bytes, create) = match (files.get(&csv_name), files.get(&toml_name)) {
        (Some(_), Some(_)) => bail!(pick(
            format!("{csv_name} 和 {toml_name} 同时存在; 只保留一个"),
            format!("both {csv_name} and {toml_name} exist; keep one"),
        )),
        (Some(old), None) if !is_blank(old) => {
            let (text, enc) = readable(&csv_name, old)?;
            let row = csv_row(&csv_name, text.as_bytes(), values)?;
            (csv_name, in_encoding(row, enc), false)
        }
        (None, Some(old)) => {
            let (text, enc) = readable(&toml_name, old)?;
            let table = toml_table(text.as_bytes(), kind, values);
            (toml_name, in_encoding(table, enc), false)
        }
        (Some(_), None) | (None, None) => {
            let header: Vec<&str> = kind.columns().iter().map(|c| c.name).collect();
            let mut text = format!("{}\n", header.join(",")).into_bytes();
            let row = csv_row(&csv_name, &text, values)?;
            text.extend(row);
            (csv_name, text, true)
        }
    };
    let mut after = files.clone();
    let old = after.entry(file.clone()).or_default();
    if create {
        old.clear();
    }
    old.extend_from_slice(&bytes);
    Ok(Plan {
        file,
        bytes,
        create,
        files: after,
    })
}

/// A file's text and encoding; a file that is neither UTF-8 nor GB18030 is refused.
fn readable<'a>(
    name: &str,
    bytes: &'a [u8],
) -> anyhow::Result<(std::borrow::Cow<'a, str>, Encoding)> {
    decode(bytes).with_context(|| {
        pick(
            format!("{name} 既不是 UTF-8 也不是 GB18030 文本; 未写入任何内容"),
            format!("{name} is neither UTF-8 nor GB18030 text; nothing was written"),
        )
    })
}

/// UTF-8 bytes made by this module, re-encoded in the file's own encoding.
fn in_encoding(utf8: Vec<u8>, enc: Encoding) -> Vec<u8> {
    encode(
        std::str::from_utf8(&utf8).expect("built from UTF-8 text"),
        enc,
    )
}

/// One CSV row in the order of the file's own header, with the file's line ending; a missing
/// final newline of the file is repaired first.
fn csv_row(
    name: &str,
    old: &[u8],
    values: &BTreeMap<&'static str, String>,
) -> anyhow::Result<Vec<u8>> {
    let text = old.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(old);
    let header = std::str::from_utf8(text)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .and_then(|t| csv_text::header(t).map_err(|(_, e)| anyhow::anyhow!("{}", said(&e))))
        .with_context(|| format!("{name}:1"))?
        .0;
    for col in values.keys() {
        if !header.iter().any(|h| h == col) {
            bail!(pick(
                format!("{name}:1: 表头没有「{col}」列; 请先把它加到表头 — 未写入任何内容"),
                format!(
                    "{name}:1: the header has no column 「{col}」; add it to the header first — nothing was written"
                ),
            ));
        }
    }
    let crlf = text.windows(2).any(|w| w == b"\r\n");
    let mut out = vec![];
    if !text.is_empty() && !text.ends_with(b"\n") {
        out.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
    }
    let terminator = if crlf {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    let mut w = csv::WriterBuilder::new()
        .terminator(terminator)
        .from_writer(&mut out);
    w.write_record(
        header
            .iter()
            .map(|h| values.get(h.as_str()).map(String::as_str).unwrap_or("")),
    )?;
    w.flush()?;
    drop(w);
    Ok(out)
}

/// A new `[[kind]]` table at the end of a TOML file; the file's comments stay as they are.
fn toml_table(old: &[u8], kind: Kind, values: &BTreeMap<&'static str, String>) -> Vec<u8> {
    let mut out = String::new();
    if !old.is_empty() && !old.ends_with(b"\n") {
        out.push('\n');
    }
    out.push_str(&format!("\n[[{}]]\n", kind.singular()));
    for col in kind.columns().iter().map(|c| c.name) {
        if let Some(v) = values.get(col) {
            out.push_str(&format!("{col} = {}\n", toml::Value::String(v.clone())));
        }
    }
    out.into_bytes()
}

/// Writes the plan: one write at the end of the file, undone if it fails, then synced to disk;
/// or a whole file (`create`) written to a temporary file, synced and renamed into place, so that
/// a full disk or a crash leaves either the old file or the whole new one, never a partial one.
pub fn commit(dir: &Path, plan: &Plan) -> anyhow::Result<()> {
    let path = dir.join(&plan.file);
    if plan.create {
        return replace(dir, &plan.file, &plan.bytes).with_context(|| {
            let p = path.display();
            pick(
                format!("写入 {p} 失败; 未写入任何内容"),
                format!("writing {p}; nothing was written"),
            )
        });
    }
    let mut f = OpenOptions::new()
        .append(true)
        .open(&path)
        .with_context(|| {
            let p = path.display();
            pick(format!("打开 {p}"), format!("opening {p}"))
        })?;
    let len = f.metadata()?.len();
    if let Err(e) = f.write_all(&plan.bytes).and_then(|_| f.sync_all()) {
        let _ = f.set_len(len);
        let p = path.display();
        return Err(e).with_context(|| pick(format!("写入 {p} 失败"), format!("writing {p}")));
    }
    Ok(())
}

/// Writes `bytes` as the file `name` of `dir` atomically: a temporary file beside it, synced,
/// renamed over the name, then the folder synced. On failure the temporary file is removed.
pub fn replace(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, dir.join(name))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals(pairs: &[(&'static str, &str)]) -> BTreeMap<&'static str, String> {
        pairs.iter().map(|(k, v)| (*k, v.to_string())).collect()
    }

    #[test]
    fn csv_rows_follow_the_files_header_and_repair_the_last_newline() {
        let old = b"phone,id,at,channel,broker,client\n13800000001,R-001,2026-03-01 09:00,a,b,c";
        let row = csv_row(
            "reports.csv",
            old,
            &vals(&[
                ("id", "R-002"),
                ("phone", "13800000002"),
                ("client", "张, 伟"),
            ]),
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(row).unwrap(),
            "\n13800000002,R-002,,,,\"张, 伟\"\n"
        );
    }

    #[test]
    fn csv_rows_keep_crlf_files_crlf() {
        let old = b"id,at\r\nX-1,2026-03-01 09:00\r\n";
        let row = csv_row("voids.csv", old, &vals(&[("id", "X-2")])).unwrap();
        assert_eq!(row, b"X-2,\r\n");
    }

    #[test]
    fn unknown_header_column_is_refused() {
        let err = csv_row("voids.csv", b"id,at\n", &vals(&[("reason", "x")])).unwrap_err();
        assert!(err.to_string().contains("reason"));
    }

    #[test]
    fn a_failed_replace_leaves_neither_a_file_nor_a_temporary_one() {
        let dir = tempfile::tempdir().unwrap();
        // a folder where the file should go: the rename fails
        std::fs::create_dir(dir.path().join("reports.csv")).unwrap();
        assert!(replace(dir.path(), "reports.csv", b"id\n").is_err());
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(
            names.len(),
            1,
            "only the folder: the temporary file is removed"
        );
        replace(dir.path(), "voids.csv", b"id\n").unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("voids.csv")).unwrap(),
            b"id\n"
        );
    }

    #[test]
    fn the_lock_holder_is_read_as_one_escaped_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(LOCK_FILE);
        std::fs::write(&path, "process 7 since now\x1b[2J\nsecond line\n").unwrap();
        assert_eq!(holder(&path), "process 7 since now\\u{1b}[2J");
        std::fs::write(&path, "").unwrap();
        assert_eq!(holder(&path), "another process (it wrote no process id)");
    }

    #[test]
    fn toml_tables_are_appended_escaped() {
        let old = b"# comment\n[[void]]\nid = \"X-1\"";
        let t = toml_table(
            old,
            Kind::Void,
            &vals(&[("id", "X-2"), ("reason", "say \"hi\" \\ 'x'")]),
        );
        let mut whole = old.to_vec();
        whole.extend(&t);
        let text = String::from_utf8(whole).unwrap();
        assert!(text.starts_with("# comment\n"), "comments stay");
        let parsed: toml::Table = toml::from_str(&text).unwrap();
        let voids = parsed["void"].as_array().unwrap();
        assert_eq!(voids.len(), 2);
        assert_eq!(voids[1]["reason"].as_str(), Some("say \"hi\" \\ 'x'"));
    }
}
