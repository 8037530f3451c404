//! Issue 14 item 7: in zh every error attrib writes is Chinese (with `file:line`), clap's own
//! errors are Chinese when `LANG` starts with `zh`, and replay's and audit's human output holds
//! no English code word.

mod common;
use common::Workdir;

const AT: &str = "2026-03-19 09:55";
const REPORTS: &str = "id,at,channel,broker,client,phone\n";

#[test]
fn bad_time_in_zh_names_file_line_column_in_chinese() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!("{REPORTS}R-1,2026-13-45 09:00,链家,王五,张伟,13800138000\n"),
    );
    let (code, _, err) = w.run(&["--lang", "zh", "--at", AT, "validate"]);
    assert_ne!(code, 0);
    assert!(
        err.contains("reports.csv:2:2: 「2026-13-45 09:00」不是有效时间"),
        "{err}"
    );
    assert!(!err.contains("is not a valid time"), "{err}");
    // English stays as it was
    let (_, _, err) = w.run(&["--lang", "en", "--at", AT, "validate"]);
    assert!(
        err.contains("reports.csv:2:2: 「2026-13-45 09:00」 is not a valid time"),
        "{err}"
    );
}

#[test]
fn missing_required_column_in_zh() {
    let w = Workdir::new();
    w.write("reports.csv", "id,at,channel,broker,client\n");
    let (code, _, err) = w.run(&["--lang", "zh", "--at", AT, "validate"]);
    assert_ne!(code, 0);
    assert!(
        err.contains("reports.csv:1: 缺少必需的列「phone」"),
        "{err}"
    );
    // a command that loads the ledger says how many in Chinese too
    let (code, _, err) = w.run(&["--lang", "zh", "--at", AT, "replay"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("reports.csv:1: 缺少必需的列「phone」"),
        "{err}"
    );
    assert!(err.contains("账本有 1 处错误"), "{err}");
}

#[test]
fn clap_errors_are_chinese_when_lang_is_zh() {
    let w = Workdir::example("lingxiu");
    let mut c = w.cmd(&["--at", AT, "--format", "xml", "replay"]);
    c.env("LANG", "zh_CN.UTF-8");
    let out = c.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("参数 --format <FORMAT> 的值「xml」无效"),
        "{err}"
    );
    assert!(err.contains("可选值: table, csv, json"), "{err}");
    assert!(!err.contains("invalid value"), "{err}");

    let mut c = w.cmd(&["--at", AT, "--bogus", "replay"]);
    c.env("LANG", "zh_CN.UTF-8");
    let out = c.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("不认识的参数 --bogus"), "{err}");

    // not zh: clap's English
    let mut c = w.cmd(&["--at", AT, "--bogus", "replay"]);
    c.env("LANG", "C");
    let out = c.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unexpected argument"), "{err}");
}

#[test]
fn git_failure_in_zh() {
    let w = Workdir::example("lingxiu");
    // not a repository: audit says so plainly, in Chinese, before git runs
    let (code, _, err) = w.run(&["--lang", "zh", "--at", AT, "audit", "--since", "nosuchrev"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("不在 git 仓库中: 没有历史可审计"), "{err}");
    // a revision that is an option is refused in Chinese
    // (outside a repository that is what it is told first)
    let (code, _, err) = w.run(&["--lang", "zh", "--at", AT, "audit", "--since=-x"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("不在 git 仓库中"), "{err}");
}

/// Words an ASCII scan may meet in zh output: ids, rule numbers (R4), file names,
/// hashes and the ledger's own words (authors, channel names).
fn english_words(text: &str, allowed: &[String]) -> Vec<String> {
    let mut bad = vec![];
    for w in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'))
    {
        let w = w.trim_matches(|c| c == '-' || c == '.');
        if !w.chars().any(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        let id = w.len() >= 3
            && w.as_bytes()[0].is_ascii_uppercase()
            && w.as_bytes()[1] == b'-'
            && w[2..].chars().all(|c| c.is_ascii_digit());
        let rule = w.starts_with('R') && w[1..].chars().all(|c| c.is_ascii_digit() || c == '.');
        let file = w.ends_with(".csv") || w.ends_with(".toml");
        let hash = w.len() >= 7 && w.chars().all(|c| c.is_ascii_hexdigit());
        let unit = w
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c.is_ascii_uppercase())
            && w.chars().any(|c| c.is_ascii_digit());
        if id || rule || file || hash || unit || allowed.iter().any(|a| a == w) {
            continue;
        }
        bad.push(w.to_string());
    }
    bad.sort();
    bad.dedup();
    bad
}

/// The example ledger in a repository of its own, committed twice in Chinese by a clerk (the
/// second commit back-dates a report), so that the audit has findings to word.
fn example_history() -> Workdir {
    let w = Workdir::example("lingxiu");
    let git = |args: &[&str], date: &str| {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(w.path())
            .args(args)
            .env("GIT_AUTHOR_NAME", "销控小周")
            .env("GIT_AUTHOR_EMAIL", "zhou@example.com")
            .env("GIT_COMMITTER_NAME", "销控小周")
            .env("GIT_COMMITTER_EMAIL", "zhou@example.com")
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q", "-b", "main"], "2026-03-01T08:00:00+08:00");
    git(&["add", "-A"], "2026-03-01T08:00:00+08:00");
    git(&["commit", "-q", "-m", "账本"], "2026-04-30T08:00:00+08:00");
    let mut reports = w.read("reports.csv");
    reports.push_str("R-099,2026-03-02 09:00,链家,王五,新客户,13912345678,\n");
    w.write("reports.csv", &reports);
    git(&["add", "-A"], "2026-04-30T09:00:00+08:00");
    git(
        &["commit", "-q", "-m", "补录报备"],
        "2026-04-30T09:00:00+08:00",
    );
    w
}

#[test]
fn zh_replay_and_audit_hold_no_english_code_word() {
    let w = example_history();
    for cmd in ["replay", "audit"] {
        let out = w.cmd(&["--lang", "zh", "--at", AT, cmd]).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.trim().is_empty(), "{cmd}: no output");
        let bad = english_words(&text, &[]);
        assert!(bad.is_empty(), "{cmd}: English words {bad:?}\n{text}");
    }
}

#[test]
fn errors_are_chinese_by_default_and_a_bad_at_too() {
    // the test config names no lang: zh
    let w = Workdir::new();
    w.write("reports.csv", "id,at,channel,broker,client\n");
    let (code, _, err) = w.run(&["--at", AT, "validate"]);
    assert_ne!(code, 0);
    assert!(
        err.contains("reports.csv:1: 缺少必需的列「phone」"),
        "{err}"
    );
    let w = Workdir::example("lingxiu");
    let (code, _, err) = w.run(&["--at", "2026-13-19 09:55", "replay"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--at: 「2026-13-19 09:55」不是有效时间"),
        "{err}"
    );
    let (_, _, err) = w.run(&["--lang", "en", "--at", "2026-13-19 09:55", "replay"]);
    assert!(
        err.contains("--at: 「2026-13-19 09:55」 is not a valid time"),
        "{err}"
    );
}
