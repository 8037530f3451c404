//! Turns a generated ledger into an honest git history for the audit benchmark:
//! `cargo run --release --example gen-history -- --from DIR --out REPO --commits N`.
//!
//! The rows of all files are split, in time order, into N commits of about equal size; each
//! commit appends its rows to the files and is committed an hour after its latest row, so the
//! history is append-only and nothing is back-dated. `--corrections K` (default 0) spreads K
//! honest corrections over the history: a commit that also voids an earlier contact, which
//! reaches back, so the audit judges the ledger before and after it (verdicts and the money of
//! settled months).

use std::path::{Path, PathBuf};
use std::process::Command;

fn git(repo: &Path, args: &[&str], date: Option<&str>) {
    let mut c = Command::new("git");
    c.arg("-C").arg(repo).args(args);
    c.env("GIT_AUTHOR_NAME", "bench")
        .env("GIT_AUTHOR_EMAIL", "bench@example.com");
    c.env("GIT_COMMITTER_NAME", "bench")
        .env("GIT_COMMITTER_EMAIL", "bench@example.com");
    if let Some(d) = date {
        c.env("GIT_AUTHOR_DATE", d).env("GIT_COMMITTER_DATE", d);
    }
    let out = c.output().expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let from = PathBuf::from(arg("--from").expect("--from DIR"));
    let out = PathBuf::from(arg("--out").expect("--out REPO"));
    let commits: usize = arg("--commits")
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let corrections: usize = arg("--corrections")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    std::fs::create_dir_all(&out).unwrap();
    git(&out, &["init", "-q", "-b", "main"], None);
    std::fs::copy(from.join("attrib.toml"), out.join("attrib.toml")).unwrap();
    // (time, file, line) for every row; files start with their header
    let mut rows: Vec<(String, String, String)> = vec![];
    let mut names = vec![];
    for entry in std::fs::read_dir(&from).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".csv") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        let mut lines = text.lines();
        std::fs::write(out.join(&name), format!("{}\n", lines.next().unwrap())).unwrap();
        for l in lines {
            // every generated file has its time (`at` or `presented_at`) in column 2
            let at = l.split(',').nth(1).unwrap_or("").to_string();
            rows.push((at, name.clone(), l.to_string()));
        }
        names.push(name);
    }
    // evaluation order: time, then kind (RULES.md section 3), then file order
    let rank = |name: &str| {
        [
            "voids",
            "relations",
            "directs",
            "contacts",
            "reports",
            "slips",
            "discounts",
            "bookings",
            "violations",
        ]
        .iter()
        .position(|k| name.starts_with(k))
        .unwrap_or(9)
    };
    rows.sort_by(|a, b| (&a.0, rank(&a.1)).cmp(&(&b.0, rank(&b.1))));
    // about equal-sized chunks in time order, cut earlier where a chunk would span more than
    // 20 hours (so no row is committed more than a day after its time)
    let per = rows.len().div_ceil(commits);
    let time = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    let mut chunks: Vec<&[(String, String, String)]> = vec![];
    let mut start = 0;
    for i in 1..=rows.len() {
        let full = i - start == per;
        let gap =
            i < rows.len() && time(&rows[i].0) - time(&rows[start].0) > chrono::Duration::hours(20);
        if i == rows.len() || full || gap {
            chunks.push(&rows[start..i]);
            start = i;
        }
    }
    let every = chunks.len().div_ceil(corrections.max(1));
    // ids the generated ledger voids itself, and ids voided here: never voided twice
    let mut voided: std::collections::HashSet<String> = rows
        .iter()
        .filter(|(_, name, _)| name.starts_with("voids"))
        .filter_map(|(_, _, line)| line.split(',').nth(2).map(String::from))
        .collect();
    let mut contacts: Vec<String> = vec![];
    for (k, chunk) in chunks.iter().enumerate() {
        let mut files: std::collections::BTreeMap<&str, String> = Default::default();
        for (_, name, line) in chunk.iter() {
            let f = files.entry(name).or_default();
            f.push_str(line);
            f.push('\n');
            if name.starts_with("contacts") {
                contacts.push(line.split(',').next().unwrap().to_string());
            }
        }
        if corrections > 0 && k > 0 && k % every == 0 {
            let target = contacts[contacts.len() / 2..]
                .iter()
                .find(|id| !voided.contains(*id))
                .cloned()
                .unwrap_or_default();
            voided.insert(target.clone());
            let at = &chunk.last().unwrap().0;
            let f = files.entry("voids.csv").or_default();
            f.push_str(&format!("XB-{k},{at},{target},录入错误,内勤\n"));
        }
        for (name, text) in files {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(out.join(name))
                .unwrap();
            f.write_all(text.as_bytes()).unwrap();
        }
        let latest = &chunk.last().unwrap().0;
        let when = time(latest) + chrono::Duration::hours(1);
        let date = format!("{}+08:00", when.format("%Y-%m-%dT%H:%M:%S"));
        git(&out, &["add", "-A"], None);
        git(
            &out,
            &["commit", "-q", "-m", &format!("day {k}")],
            Some(&date),
        );
    }
    eprintln!(
        "{} rows in {} commits in {}",
        rows.len(),
        chunks.len(),
        out.display()
    );
}
