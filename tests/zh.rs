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

    let mut c = w.cmd(&["chek", "13900000001"]);
    c.env("LANG", "zh_CN.UTF-8");
    let err = String::from_utf8_lossy(&c.output().unwrap().stderr).into_owned();
    assert!(err.contains("不认识的命令「chek」"), "{err}");
    assert!(err.contains("是否想用命令: check"), "{err}");

    // the language is the one errors are written in, whatever LANG says: --lang, else the
    // ledger's [project] lang, else zh
    for (args, zh) in [
        (vec!["--lang", "en", "--at", AT, "--bogus", "replay"], false),
        (vec!["--lang=en", "--bogus", "replay"], false),
        (vec!["--bogus", "replay"], true),
        (vec!["--lang", "zh", "--bogus", "replay"], true),
    ] {
        let mut c = w.cmd(&args);
        c.env("LANG", "C");
        let err = String::from_utf8_lossy(&c.output().unwrap().stderr).into_owned();
        assert_eq!(err.contains("不认识的参数 --bogus"), zh, "{args:?}: {err}");
        assert_eq!(err.contains("unexpected argument"), !zh, "{args:?}: {err}");
    }
    // a ledger that says en, named by -C: English
    let en = Workdir::example("lingxiu");
    let toml = std::fs::read_to_string(en.file("attrib.toml")).unwrap();
    let toml = toml.replace("lang = \"zh\"", "lang = \"en\"");
    std::fs::write(en.file("attrib.toml"), toml).unwrap();
    let mut c = en.cmd(&["chek"]);
    c.env("LANG", "zh_CN.UTF-8");
    let err = String::from_utf8_lossy(&c.output().unwrap().stderr).into_owned();
    assert!(err.contains("unrecognized subcommand"), "{err}");
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

/// A broken copy of the example ledger: `edit` applied to its files.
fn broken(edit: impl FnOnce(&Workdir)) -> Workdir {
    let w = Workdir::example("lingxiu");
    edit(&w);
    w
}

/// Appends `text` to the file `name` of `w`.
fn append(w: &Workdir, name: &str, text: &str) {
    let old = w.read(name);
    w.write(name, &format!("{old}{text}"));
}

/// Issue 14 item 7 and issue 18: the errors and warnings of broken copies of the example ledger
/// are Chinese by default, every part of them (an ASCII word only as the ledger, a key or a flag
/// wrote it), and English with `--lang en`.
#[test]
fn broken_copies_say_their_errors_in_chinese_and_english() {
    // (edit, command, the Chinese line, its English twin, ASCII words the line may hold)
    type Case = (
        fn(&Workdir),
        &'static [&'static str],
        &'static str,
        &'static str,
        &'static [&'static str],
    );
    let cases: &[Case] = &[
        (
            |w| {
                let c = w
                    .read("attrib.toml")
                    .replace("timezone = \"+08:00\"", "timezone = \"Beijing\"");
                w.write("attrib.toml", &c);
            },
            &["validate"],
            "attrib.toml:6: 配置错误: project.timezone: 「Beijing」不是时区偏移 (应写成 +08:00 这样)",
            "attrib.toml:6: project.timezone: 「Beijing」 is not an offset like +08:00",
            &["project.timezone", "Beijing"],
        ),
        (
            |w| {
                let c = w
                    .read("attrib.toml")
                    .replace("[rules]", "[rules]\nprotect = 3");
                w.write("attrib.toml", &c);
            },
            &["replay"],
            "语法错误: 未知的键「protect」(可用的键: ",
            "unknown field `protect`",
            &[
                "protect",
                "protection_days",
                "report_lead_hours",
                "visit_window_days",
                "channel_hold_days",
                "day_count",
                "mode",
                "masked_reports",
                "masked_match_name",
            ],
        ),
        (
            |w| append(w, "directs.toml", "\n[[direct]]\nid = \n"),
            &["validate"],
            "语法错误: 这一行的写法有误 (检查键名、等号、引号和方括号; 文字值要加双引号)",
            "directs.toml:",
            &["directs.toml"],
        ),
        (
            |w| {
                let c = w
                    .read("attrib.toml")
                    .replace("[project]", "[project]\nlang = \"zh\"");
                w.write("attrib.toml", &c);
            },
            &["validate"],
            "语法错误: 同一个键写了两次",
            "duplicate key",
            &[],
        ),
        (
            |w| {
                append(
                    w,
                    "reports.csv",
                    "R-090,2026-03-02 09:00,链家,王五,\"张伟,13800138000\n",
                )
            },
            &["validate"],
            "语法错误: 引号没有闭合: 这一行开始的带引号的格一直延续到文件末尾, 吞掉了其后的每一行",
            "unclosed quote: the quoted cell opened on this line runs to the end of the file",
            &[],
        ),
        (
            |w| append(w, "attrib.toml", "\n[reminders]\nexpiring_days = 400\n"),
            &["clients", "--expiring"],
            "配置错误: reminders.expiring_days: 400 不是 0 到 366 之间的天数",
            "reminders.expiring_days: 400 is not a number of days from 0 to 366",
            &["reminders.expiring_days"],
        ),
        (
            |w| {
                append(
                    w,
                    "attrib.toml",
                    "\n[consultants]\ndeparted_scope = \"all\"\n",
                )
            },
            &["validate"],
            "配置错误: consultants.departed_scope: 「all」不是 registered (登记过的客户) 或 dealt (成交过的客户)",
            "consultants.departed_scope: 「all」 is not registered or dealt",
            &["consultants.departed_scope", "all", "registered", "dealt"],
        ),
        (
            |w| w.write("Reports.csv", "id\n"),
            &["validate"],
            "attrib: 警告: Reports.csv 不会被读取 (是要写 reports.csv 吗?)",
            "attrib: warning: Reports.csv is not read (did you mean reports.csv?)",
            &["Reports.csv"],
        ),
        (
            |w| {
                append(
                    w,
                    "reports.csv",
                    "\" R-090\",2026-03-02 09:00,链家,王五,某,13800138000\n",
                )
            },
            &["validate"],
            "id 列的「 R-090」前后有空白 (按「R-090」读取; 请检查这一行)",
            "「 R-090」 has spaces around it in column id (read as 「R-090」; check the row)",
            &["id"],
        ),
        (
            |_| {},
            &["settle", "--month", "2026-13"],
            "attrib: 「2026-13」不是月份 (应为 YYYY-MM, 如 2026-03)",
            "attrib: 「2026-13」 is not a month (expected YYYY-MM, e.g. 2026-03)",
            &["YYYY-MM"],
        ),
        (
            |_| {},
            &["check", "1390000002"],
            "attrib: PHONE: 「1390000002」不是大陆手机号",
            "attrib: PHONE: 「1390000002」 is not a mainland mobile number",
            &["PHONE", "xxxxxxxxx"],
        ),
        (
            |_| {},
            &["replay", "--rev", "HEAD"],
            "不在 git 仓库中 (先 git init 并提交账本)",
            "is not in a git repository (git init and commit the ledger first)",
            &["git", "init"],
        ),
    ];
    for (edit, args, zh, en, allowed) in cases {
        let w = broken(edit);
        // an error (exit 1 or 2) or a warning (exit 0): the message is what is asserted
        let (_, _, err) = w.run(&[&["--at", AT][..], args].concat());
        let line = (err.lines())
            .find(|l| l.contains(zh))
            .unwrap_or_else(|| panic!("{args:?}: no 「{zh}」 in\n{err}"));
        let mut allowed: Vec<String> = allowed.iter().map(|a| a.to_string()).collect();
        allowed.push("attrib".into());
        // the folder's path (a temporary one) may be named
        let line = line.replace(&w.path().display().to_string(), "");
        let bad = english_words(&line, &allowed);
        assert!(bad.is_empty(), "{args:?}: English words {bad:?} in\n{line}");
        let (_, _, err) = w.run(&[&["--lang", "en", "--at", AT][..], args].concat());
        assert!(err.contains(en), "{args:?}: no 「{en}」 in\n{err}");
    }
    // the count after validate's errors
    let w = broken(|w| append(w, "attrib.toml", "\n[reminders]\nexpiring_days = 400\n"));
    let (_, _, err) = w.run(&["validate"]);
    assert!(err.contains("共 1 处错误"), "{err}");
}

/// Issue 18: git failures in plain words, in Chinese and English: a revision git does not know,
/// and git missing from the PATH.
#[test]
fn git_failures_are_said_in_plain_words() {
    let w = example_history();
    let (code, _, err) = w.run(&["--at", AT, "replay", "--rev", "nosuchrev"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("「nosuchrev」不是")
            && err
                .contains("处仓库的版本 (请给存在的提交、标签或分支, 如 HEAD~3; git log 列出提交)"),
        "{err}"
    );
    assert!(!err.contains("fatal"), "git's raw words: {err}");
    let (code, _, err) = w.run(&["--at", AT, "audit", "--since", "nosuchrev"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("「nosuchrev」不是"), "{err}");
    assert!(
        !err.contains("fatal") && !err.contains("bad revision"),
        "{err}"
    );
    let (_, _, err) = w.run(&["--lang", "en", "--at", AT, "audit", "--since", "nosuchrev"]);
    assert!(
        err.contains("「nosuchrev」 is not a revision of the repository at"),
        "{err}"
    );
    // git missing: the PATH holds no git
    for (lang, said) in [
        ("zh", "找不到 git 程序: 请先安装 git"),
        ("en", "git was not found: install git first"),
    ] {
        for args in [&["audit"][..], &["replay", "--rev", "HEAD"][..]] {
            let out = w
                .cmd(&[&["--lang", lang, "--at", AT][..], args].concat())
                .env("PATH", w.path())
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{err}");
            assert!(err.contains(said), "{lang} {args:?}: {err}");
            assert!(!err.contains("os error"), "{err}");
        }
    }
}
