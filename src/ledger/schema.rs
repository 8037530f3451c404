//! The ledger's files as the kinds table names them, read from a folder, and a CSV header
//! matched against a kind's columns.

use super::config::CONFIG_FILE;
use super::error::{ErrorKind, LedgerError, Said};
use crate::model::Kind;
use crate::render::errors::pick;
use std::collections::BTreeMap;
use std::path::Path;

/// The ledger's files by name (`attrib.toml`, `reports.csv`, …) with their bytes. Read from a
/// folder (`read_dir`) or from a git revision (`git::files_at`).
pub type Files = BTreeMap<String, Vec<u8>>;

/// Every file name a ledger may hold: the config and each kind as CSV and as TOML.
pub fn file_names() -> Vec<String> {
    let mut names = vec![CONFIG_FILE.to_string()];
    for kind in Kind::ALL {
        names.push(kind.file_name(true).to_string());
        names.push(kind.file_name(false).to_string());
    }
    names
}

/// The largest ledger file read: 2 GiB (a generated ledger of a million rows is about 100 MB).
pub const MAX_FILE_BYTES: u64 = 2 << 30;

/// Reads one ledger file, refusing what is not a plain file inside the folder: a symlink is
/// followed only to a regular file inside the ledger folder; devices, FIFOs, sockets and folders
/// are refused (a FIFO would block the read, `/dev/zero` never end), and so is a file larger
/// than `MAX_FILE_BYTES`. A missing file (a dangling symlink included) is `NotFound`.
pub fn read_file(dir: &Path, name: &str) -> std::io::Result<Vec<u8>> {
    use std::io::{Error, ErrorKind::InvalidData, Read};
    let path = dir.join(name);
    let refuse = |(en, zh): (String, String)| {
        let said = pick(
            format!("{name}: {zh}; 拒绝读取"),
            format!("{name}: {en}; refused"),
        );
        Error::new(InvalidData, said)
    };
    let link = std::fs::symlink_metadata(&path)?;
    if link.file_type().is_symlink() {
        let target = std::fs::canonicalize(&path)?;
        let folder = std::fs::canonicalize(dir)?;
        if !target.starts_with(&folder) {
            let target = shown(&target.display().to_string());
            return Err(refuse((
                format!("is a symbolic link to {target}, outside the ledger folder"),
                format!("是指向账本目录之外 {target} 的符号链接"),
            )));
        }
    }
    let meta = std::fs::metadata(&path)?;
    if !meta.is_file() {
        let (en, zh) = file_type_name(&meta.file_type());
        return Err(refuse((
            format!("is not a regular file (a {en})"),
            format!("不是普通文件 (是{zh})"),
        )));
    }
    if meta.len() > MAX_FILE_BYTES {
        let n = meta.len();
        return Err(refuse((
            format!("is {n} bytes, more than the {MAX_FILE_BYTES} a ledger file may hold"),
            format!("有 {n} 字节, 超过账本文件的上限 {MAX_FILE_BYTES} 字节"),
        )));
    }
    let f = std::fs::File::open(&path)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(refuse((
            format!("holds more than the {MAX_FILE_BYTES} bytes a ledger file may hold"),
            format!("超过账本文件的上限 {MAX_FILE_BYTES} 字节"),
        )));
    }
    Ok(bytes)
}

/// How many invisible-character warnings one file gets before the rest are counted.
const INVISIBLE_SHOWN: usize = 20;

/// What an invisible character in a cell is, in words (English, Chinese), or None for a
/// character that may stand in a cell (tab, the line ends, everything visible).
fn invisible_name(c: char) -> Option<(&'static str, &'static str)> {
    match c {
        '\0' => Some(("NUL", "空")),
        '\t' | '\r' | '\n' => None,
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => {
            Some(("zero-width", "零宽"))
        }
        '\u{200e}' | '\u{200f}' | '\u{061c}' => Some(("bidi mark", "双向标记")),
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => Some(("bidi override", "双向覆盖")),
        c if c.is_control() => Some(("control", "控制")),
        _ => None,
    }
}

/// Warnings for control and invisible characters (NUL, ESC, zero-width, bidi overrides) in the
/// ledger's files, each naming `file:line:col` (the CSV column, counted from 1; in TOML the
/// character's column) and the character escaped. They are accepted (a name may hold one by
/// accident) but look like something else on screen: `validate` says where they are. A leading
/// byte-order mark is not a warning.
pub fn invisible_chars(files: &Files) -> Vec<Said> {
    let mut out = vec![];
    for (name, bytes) in files {
        let Some((text, _)) = super::encoding::decode(bytes) else {
            continue;
        };
        let csv = name.ends_with(".csv");
        let (mut line, mut col, mut quoted, mut found) = (1usize, 1usize, false, 0usize);
        for c in text.chars() {
            match c {
                '"' if csv => quoted = !quoted,
                ',' if csv && !quoted => col += 1,
                '\n' => {
                    line += 1;
                    if !quoted || !csv {
                        col = 1;
                    }
                    continue;
                }
                _ => {}
            }
            if !csv && c != '\n' {
                col += 1;
            }
            if let Some((what, what_zh)) = invisible_name(c) {
                found += 1;
                if found <= INVISIBLE_SHOWN {
                    let at = if csv { col } else { col - 1 };
                    let (place, c) = (format!("{}:{line}:{at}", shown(name)), c.escape_unicode());
                    out.push(Said::new(
                        format!(
                            "{place}: {what} character {c} in a cell (shown escaped; check the row)"
                        ),
                        format!("{place}: 格中有{what_zh}字符 {c} (已转义显示; 请检查这一行)"),
                    ));
                }
            }
        }
        if found > INVISIBLE_SHOWN {
            let (name, more) = (shown(name), found - INVISIBLE_SHOWN);
            out.push(Said::new(
                format!("{name}: … and {more} more invisible characters"),
                format!("{name}: … 另有 {more} 个看不见的字符"),
            ));
        }
    }
    out
}

/// The columns holding keys other rows look up (ids, phones, references): spaces around one are
/// read away, but are most often a paste gone wrong, so `validate` says where they are.
const KEY_COLUMNS: [&str; 5] = ["id", "phone", "other_phone", "ref", "slip"];

/// Warnings for key cells (`KEY_COLUMNS`) with spaces around them (NBSP and ideographic
/// spaces too), in CSV rows, quoted or not, and TOML rows, each naming `file:line:col` (in TOML
/// `file:line` of the row's `[[table]]` and the key) and the cell as read; at most
/// `INVISIBLE_SHOWN` a file, then counted.
pub fn padded_keys(files: &Files) -> Vec<Said> {
    let mut out = vec![];
    for (name, bytes) in files {
        let Some(kind) = (Kind::ALL.iter()).find(|k| k.file_name(true) == name.as_str()) else {
            if let Some(kind) = (Kind::ALL.iter()).find(|k| k.file_name(false) == name.as_str())
                && let Some((text, _)) = super::encoding::decode(bytes)
            {
                out.append(&mut padded_toml(name, &text, *kind));
            }
            continue;
        };
        let Some((text, _)) = super::encoding::decode(bytes) else {
            continue;
        };
        let Ok((header, body)) = super::csv_text::header(&text) else {
            continue;
        };
        let keys: Vec<(usize, &str)> = (header.iter().enumerate())
            .filter(|(_, h)| {
                KEY_COLUMNS.contains(&h.as_str())
                    && kind.columns().iter().any(|c| c.name == h.as_str())
            })
            .map(|(i, h)| (i, h.as_str()))
            .collect();
        let mut found = 0usize;
        super::csv_text::rows(&text, body, &mut |line, cells| {
            for &(i, column) in &keys {
                if let Some(cell) = cells.get(i) {
                    let place = format!("{}:{line}:{}", shown(name), i + 1);
                    found += padded(&mut out, found, &place, column, cell) as usize;
                }
            }
        });
        more_padded(&mut out, name, found);
    }
    out
}

/// `padded_keys` of a kind's TOML file.
fn padded_toml(name: &str, text: &str, kind: Kind) -> Vec<Said> {
    let (mut out, mut found) = (vec![], 0usize);
    let columns = kind.columns();
    super::toml_text::rows(name, text, kind, &mut vec![], &mut |line, cells, _| {
        for (column, cell) in columns.iter().zip(cells) {
            if KEY_COLUMNS.contains(&column.name) {
                let place = format!("{}:{line}", shown(name));
                found += padded(&mut out, found, &place, column.name, cell) as usize;
            }
        }
    });
    more_padded(&mut out, name, found);
    out
}

/// A warning for a key cell with spaces around it (unless `found` are already said); whether the
/// cell is padded.
fn padded(out: &mut Vec<Said>, found: usize, place: &str, column: &str, cell: &str) -> bool {
    let read = super::csv_text::trim(cell);
    if read.is_empty() || read == cell {
        return false;
    }
    if found < INVISIBLE_SHOWN {
        // spaces other than the plain one (NBSP, ideographic) are shown escaped: they look alike
        let spaces = |s: &str| -> String {
            (s.chars())
                .map(|c| match c.is_whitespace() && c != ' ' {
                    true => c.escape_unicode().to_string(),
                    false => c.to_string(),
                })
                .collect()
        };
        let (cell, read) = (spaces(&shown(cell)), shown(read));
        out.push(Said::new(
            format!("{place}: 「{cell}」 has spaces around it in column {column} (read as 「{read}」; check the row)"),
            format!("{place}: {column} 列的「{cell}」前后有空白 (按「{read}」读取; 请检查这一行)"),
        ));
    }
    true
}

/// The count of padded key cells not said, if any.
fn more_padded(out: &mut Vec<Said>, name: &str, found: usize) {
    if found > INVISIBLE_SHOWN {
        let (name, more) = (shown(name), found - INVISIBLE_SHOWN);
        out.push(Said::new(
            format!("{name}: … and {more} more key cells with spaces around them"),
            format!("{name}: … 另有 {more} 个键值前后有空白"),
        ));
    }
}

/// A file name or path for a message, its control characters escaped (`\u{1b}`): names come
/// from the folder and are anyone's to choose.
fn shown(name: &str) -> String {
    name.chars()
        .flat_map(|c| match c.is_control() {
            true => c.escape_unicode().collect::<Vec<_>>(),
            false => vec![c],
        })
        .collect()
}

/// What a file that is not a regular file is, in words.
fn file_type_name(t: &std::fs::FileType) -> (&'static str, &'static str) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return ("FIFO", "命名管道");
        }
        if t.is_char_device() || t.is_block_device() {
            return ("device", "设备");
        }
        if t.is_socket() {
            return ("socket", "套接字");
        }
    }
    if t.is_dir() {
        ("folder", "文件夹")
    } else {
        ("special file", "特殊文件")
    }
}

/// Reads the config and every kind's file from a folder (on two threads: the large files take a
/// while to copy). IO failures are errors; missing kind files are not (they mean "no records").
pub fn read_dir(dir: &Path) -> std::io::Result<Files> {
    let read = |names: Vec<String>| -> Vec<(String, std::io::Result<Option<Vec<u8>>>)> {
        names
            .into_iter()
            .map(|name| match read_file(dir, &name) {
                Ok(bytes) => (name, Ok(Some(bytes))),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && name != CONFIG_FILE => {
                    (name, Ok(None))
                }
                Err(e) if e.kind() == std::io::ErrorKind::InvalidData => (name, Err(e)),
                Err(e) => {
                    let path = dir.join(&name);
                    let message = pick(
                        format!("{}: {}", path.display(), crate::render::errors::io_zh(&e)),
                        format!("{}: {e}", path.display()),
                    );
                    (name, Err(std::io::Error::new(e.kind(), message)))
                }
            })
            .collect()
    };
    // every other kind (a kind is two names, CSV and TOML) to the second thread
    let (mine, theirs): (Vec<_>, Vec<_>) =
        (file_names().into_iter().enumerate()).partition(|(i, _)| i.div_ceil(2) % 2 == 0);
    let names = |v: Vec<(usize, String)>| v.into_iter().map(|(_, n)| n).collect::<Vec<_>>();
    let (mine, theirs) = crate::par::both(|| read(names(mine)), || read(names(theirs)));
    let mut files = Files::new();
    for (name, bytes) in mine.into_iter().chain(theirs) {
        if let Some(bytes) = bytes? {
            files.insert(name, bytes);
        }
    }
    Ok(files)
}

/// Files of the folder that look meant for the ledger but are not read, each with why: a kind's
/// or the config's name in other letter case (`Reports.csv`, `reports.CSV`), a kind's singular
/// (`report.csv`) or another extension (`reports.txt`). Hidden files are skipped. An unreadable
/// folder has none (reading the ledger reports it).
pub fn stray_files(dir: &Path) -> Vec<Said> {
    let names = file_names();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![];
    };
    let mut found: Vec<Said> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| !n.starts_with('.') && !names.contains(n))
        .filter_map(|name| {
            let lower = name.to_lowercase();
            let (stem, ext) = lower.rsplit_once('.').unwrap_or((&lower, ""));
            let meant = |want: &str| {
                let name = shown(&name);
                Said::new(
                    format!("{name} is not read (did you mean {want}?)"),
                    format!("{name} 不会被读取 (是要写 {want} 吗?)"),
                )
            };
            if let Some(known) = names.iter().find(|n| n.to_lowercase() == lower) {
                return Some(meant(known));
            }
            if stem == "attrib" {
                return Some(meant(CONFIG_FILE));
            }
            let kind =
                (Kind::ALL.iter()).find(|k| k.file_stem() == stem || k.singular() == stem)?;
            let ext = if ext == "toml" { "toml" } else { "csv" };
            Some(meant(&format!("{}.{ext}", kind.file_stem())))
        })
        .collect();
    found.sort_by(|a, b| a.en.cmp(&b.en));
    found
}

/// Where each of `kind`'s columns stands in a CSV header (by schema position), or every error
/// of the header: unknown, repeated and missing required columns.
pub fn header_positions(
    name: &str,
    kind: Kind,
    header: &[String],
) -> Result<Vec<Option<usize>>, Vec<LedgerError>> {
    let schema = kind.columns();
    let mut index: Vec<Option<usize>> = vec![None; schema.len()];
    if header.iter().all(|h| h.is_empty()) {
        return Ok(index); // an empty or blank file: no header, no rows
    }
    let mut errors = vec![];
    for (pos, h) in header.iter().enumerate() {
        match schema.iter().position(|c| c.name == h) {
            Some(i) if index[i].is_some() => {
                errors.push(LedgerError::at(
                    name,
                    1,
                    ErrorKind::DuplicateColumn(h.clone()),
                ));
            }
            Some(i) => index[i] = Some(pos),
            None if h.is_empty() && header.len() == 1 => {}
            None => errors.push(unknown_column(name, 1, kind, h)),
        }
    }
    for (i, col) in schema.iter().enumerate() {
        if col.required && index[i].is_none() && !header.is_empty() {
            let missing = ErrorKind::MissingColumn(col.name.to_string());
            errors.push(LedgerError::at(name, 1, missing));
        }
    }
    if errors.is_empty() {
        Ok(index)
    } else {
        Err(errors)
    }
}

/// A column (CSV header cell or TOML key) that `kind` does not have.
pub fn unknown_column(name: &str, line: u32, kind: Kind, column: &str) -> LedgerError {
    LedgerError::at(
        name,
        line,
        ErrorKind::UnknownColumn {
            column: column.to_string(),
            known: kind.columns().iter().map(|c| c.name.to_string()).collect(),
        },
    )
}
