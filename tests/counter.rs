//! The clerk's counter (issue 14): Excel times, an `add` that can't be misused, `init`,
//! `channel`, tables that fit the terminal, and a newcomer's path.

mod common;
use common::Workdir;

#[test]
fn excel_times_are_read_in_files_and_in_at() {
    let w = Workdir::example("lingxiu");
    let dashed = w.run(&["--at", "2026-03-25 12:00", "check", "13900000001"]);
    let excel = w.run(&["--at", "2026/3/25 12:00", "check", "13900000001"]);
    let excel_s = w.run(&["--at", "2026/3/25 12:00:00", "check", "13900000001"]);
    assert_eq!(dashed.0, 0, "{}", dashed.2);
    assert_eq!(dashed, excel);
    assert_eq!(dashed, excel_s);

    let w = Workdir::new();
    w.write(
        "reports.csv",
        "id,at,channel,broker,client,phone\nR-1,2026/3/2 9:00,链家,王五,张伟,13800138000\n",
    );
    let (code, out, err) = w.run(&["--at", "2026/3/2 9:00:00", "--format", "json", "replay"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("\"at\": \"2026-03-02T09:00:00+08:00\""),
        "{out}"
    );

    let (code, _, err) = w.run(&["--at", "2026/3/2", "replay"]);
    assert_eq!(code, 2);
    assert!(err.contains("--at") && err.contains("2026/3/2"), "{err}");
}

// ---- add (item 8) ----

const NOW: &str = "2026-04-13T09:10:00+08:00";

#[test]
fn add_takes_chinese_kinds_and_words_and_stores_them_canonical() {
    let w = Workdir::new();
    let (code, out, err) = w.run_now(
        NOW,
        &[
            "add",
            "来电来访",
            "--kind",
            "来访",
            "--phone",
            "+86 138-0013-8000",
            "--at",
            "2026/4/13 9:00",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("C-001"), "{out}");
    assert_eq!(
        w.read("contacts.csv"),
        "id,at,kind,phone,client,consultant,channel,broker,slip,confirmed_by,note\nC-001,2026/4/13 9:00,visit,13800138000,,,,,,,\n"
    );
    let (code, _, err) = w.run_now(
        NOW,
        &[
            "add",
            "家庭关系",
            "--phone",
            "13800138000",
            "--relation",
            "夫妻",
            "--other-phone",
            "139 0000 0001",
            "--at",
            "2026-04-13 09:05",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        w.read("relations.csv")
            .ends_with(",13800138000,spouse,13900000001,\n"),
        "{}",
        w.read("relations.csv")
    );
    let (code, _, err) = w.run_now(
        NOW,
        &[
            "add",
            "带客确认单",
            "--slip",
            "S-001",
            "--role",
            "接待",
            "--signer",
            "李四",
            "--at",
            "2026-04-13 09:06",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = w.run_now(
        NOW,
        &[
            "add",
            "slip",
            "--slip",
            "S-001",
            "--role",
            "案场经理",
            "--signer",
            "王经理",
            "--at",
            "2026-04-13 09:07",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        w.read("slips.csv"),
        "slip,at,role,signer\nS-001,2026-04-13 09:06,reception,李四\nS-001,2026-04-13 09:07,site_manager,王经理\n"
    );
    let (code, _, err) = w.run_now(
        NOW,
        &[
            "add",
            "认购",
            "--unit",
            "3-3-503",
            "--buyer",
            "张伟",
            "--phone",
            "13800138000",
            "--list-price",
            "2000000",
            "--price",
            "1990000",
            "--payment",
            "按揭",
            "--at",
            "2026-04-13 09:08",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        w.read("bookings.csv")
            .contains(",2000000,1990000,mortgage,"),
        "{}",
        w.read("bookings.csv")
    );
    assert_eq!(w.run(&["validate"]).0, 0);
}

#[test]
fn add_kind_help_lists_every_column_whether_required_and_its_words() {
    let w = Workdir::new();
    let (code, out, _) = w.run(&["add", "来电来访", "--help"]);
    assert_eq!(code, 0);
    for want in [
        "--kind <KIND>",
        "required 必填 — one of 可选: call (来电), visit (来访), followup (回访)",
        "--phone <PHONE>",
        "--note <NOTE>",
        "--late <REASON>",
        "--dry-run",
        "例 e.g.: attrib add contact --kind call --phone 13800138000",
        "账本目录 the ledger's folder",
        "强制记录: record it",
    ] {
        assert!(out.contains(want), "{want} in\n{out}");
    }
    // the heading says it in Chinese first, for the clerk
    assert!(
        out.starts_with("向账本追加一条来电来访 · 每一列是否必填、可填什么:\nAppend one contact"),
        "{out}"
    );
    // every column is listed with required or optional
    for c in [
        "id",
        "at",
        "kind",
        "phone",
        "client",
        "consultant",
        "channel",
        "broker",
        "slip",
        "confirmed-by",
        "note",
    ] {
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("--{c} ")))
            .unwrap_or_else(|| panic!("--{c} in\n{out}"));
        assert!(
            line.contains("required 必填") || line.contains("optional 可选"),
            "{line}"
        );
    }
    let (_, out, _) = w.run(&["add", "slip", "--help"]);
    assert!(
        out.contains("reception (接待), site_manager (案场经理), developer (甲方), final (终审)"),
        "{out}"
    );
    let (_, out, _) = w.run(&["add", "--help"]);
    assert!(
        out.contains("contact    来电来访") && out.contains("booking    认购"),
        "{out}"
    );
}

#[test]
fn a_missing_or_bad_flag_is_named_with_a_correct_example() {
    let w = Workdir::new();
    let before = w.snapshot();
    let example =
        "例 e.g.: attrib add report --channel 链家 --broker 王五 --client 张伟 --phone 13800138000";
    let (code, _, err) = w.run_now(
        NOW,
        &[
            "add",
            "报备",
            "--channel",
            "链家",
            "--broker",
            "王五",
            "--phone",
            "13800138000",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("必须填写 [client]"), "{err}");
    assert!(err.contains("  --client: required 必填"), "{err}");
    assert!(err.contains(example), "{err}");
    let (code, _, err) = w.run_now(
        NOW,
        &["add", "contact", "--kind", "到访", "--phone", "13800138000"],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "  --kind: required 必填 — one of 可选: call (来电), visit (来访), followup (回访)"
        ),
        "{err}"
    );
    assert!(
        err.contains("例 e.g.: attrib add contact --kind call --phone 13800138000"),
        "{err}"
    );
    let (code, _, err) = w.run_now(NOW, &["add", "report", "--colour", "red"]);
    assert_eq!(code, 2);
    assert!(err.contains("unexpected argument '--colour'"), "{err}");
    assert!(err.contains(example), "{err}");
    let (code, _, err) = w.run_now(NOW, &["add", "报备单", "--channel", "链家"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("「报备单」不是记录种类") && err.contains("report     报备"),
        "{err}"
    );
    assert_eq!(before, w.snapshot(), "nothing was written");
}

#[test]
fn future_times_are_refused_and_late_ones_need_a_reason() {
    let w = Workdir::new();
    let before = w.snapshot();
    let contact = |at: &'static str| {
        vec![
            "add",
            "contact",
            "--kind",
            "call",
            "--phone",
            "13800138000",
            "--at",
            at,
        ]
    };
    // now + 5 min is still now; a minute more is the future
    let (code, _, err) = w.run_now(NOW, &contact("2026-04-13 09:16"));
    assert_eq!(code, 2);
    assert!(
        err.contains("--at: 2026-04-13 09:16 晚于现在 (2026-04-13 09:10)"),
        "{err}"
    );
    // 24 h (max_entry_delay_hours) before now is on time; a minute earlier is late
    let (code, _, err) = w.run_now(NOW, &contact("2026-04-12 09:09"));
    assert_eq!(code, 2);
    assert!(
        err.contains("--at: 2026-04-12 09:09 早于现在 24 小时以上"),
        "{err}"
    );
    assert!(err.contains("--late"), "{err}");
    let mut en = contact("2026-04-12 09:09");
    en.extend(["--lang", "en"]);
    let (_, _, err) = w.run_now(NOW, &en);
    assert!(err.contains("is more than 24 hours before now"), "{err}");
    assert_eq!(before, w.snapshot(), "nothing was written");

    assert_eq!(w.run_now(NOW, &contact("2026-04-13 09:15")).0, 0);
    assert_eq!(w.run_now(NOW, &contact("2026-04-12 09:10")).0, 0);
    let mut late = contact("2026-04-12 09:09");
    late.extend(["--late", "纸质登记, 次日补录", "--note", "客户来电问价"]);
    let (code, _, err) = w.run_now(NOW, &late);
    assert_eq!(code, 0, "{err}");
    assert!(
        w.read("contacts.csv").ends_with(
            "C-003,2026-04-12 09:09,call,13800138000,,,,,,,\"客户来电问价; 纸质登记, 次日补录\"\n"
        ),
        "{}",
        w.read("contacts.csv")
    );
    // a kind without a note column has nowhere to keep the reason
    let (code, _, err) = w.run_now(
        NOW,
        &[
            "add",
            "slip",
            "--slip",
            "S-001",
            "--role",
            "reception",
            "--signer",
            "李四",
            "--at",
            "2026-04-01 09:00",
            "--late",
            "补签",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("--late: slip 没有 note 列"), "{err}");
}

#[test]
fn dry_run_prints_the_verdict_and_writes_nothing() {
    let w = Workdir::example("lingxiu");
    let before = w.snapshot();
    let args = [
        "add",
        "报备",
        "--at",
        "2026-04-13 09:00",
        "--channel",
        "链家",
        "--broker",
        "王五",
        "--client",
        "秦岚",
        "--phone",
        "13900000034",
        "--dry-run",
    ];
    let (code, out, err) = w.run_now("2026-04-13 09:05", &args);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("R-031"), "{out}");
    assert!(
        out.contains("已知客户: C-037 来访 2026-04-03 10:00"),
        "{out}"
    );
    assert!(err.contains("试运行 (--dry-run), 未写入任何文件"), "{err}");
    assert_eq!(before, w.snapshot(), "a dry run writes nothing");
}

// ---- channel (item 9) ----

#[test]
fn channel_add_keeps_the_config_s_comments_and_refuses_a_duplicate() {
    let w = Workdir::example("lingxiu");
    let before = w.read("attrib.toml");
    let (code, out, err) = w.run(&["channel", "add", "贝壳", "--commission", "1.2%"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "已添加渠道 贝壳, 佣金 1.2% (attrib.toml)\n");
    let after = w.read("attrib.toml");
    // every line that was there is still there, in its order; the new table follows the last
    // channel
    let mut old = before.lines();
    let new = after.lines();
    let mut added = vec![];
    for line in new {
        match old.clone().next() {
            Some(o) if o == line => {
                old.next();
            }
            _ => added.push(line),
        }
    }
    assert_eq!(old.next(), None, "a line was lost:\n{after}");
    assert_eq!(
        after,
        before.replace(
            "# 每套固定 2 万 / a fixed 20,000 per booking\n",
            "# 每套固定 2 万 / a fixed 20,000 per booking\n\n[[channel]]\nname = \"贝壳\"\ncommission = \"1.2%\"\n"
        ),
        "the new channel after the last one, every other byte kept"
    );
    assert_eq!(added.len(), 4, "{added:?}");
    let last_channel = after.rfind("[[channel]]").unwrap();
    assert!(
        after[last_channel..].starts_with("[[channel]]\nname = \"贝壳\""),
        "{after}"
    );
    assert!(
        after.find("[reserved]").is_none_or(|r| r > last_channel),
        "{after}"
    );
    assert_eq!(w.run(&["validate"]).0, 0);

    let (code, out, _) = w.run(&["channel", "list"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("贝壳") && out.contains("1.2%") && out.contains("链家"),
        "{out}"
    );

    let snapshot = w.snapshot();
    let (code, _, err) = w.run(&["channel", "add", "贝壳", "--commission", "2%"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("渠道 「贝壳」 已在 attrib.toml 中; 未修改"),
        "{err}"
    );
    let (code, _, err) = w.run(&[
        "--lang",
        "en",
        "channel",
        "add",
        "链家",
        "--commission",
        "2%",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("channel 「链家」 is already in attrib.toml"),
        "{err}"
    );
    let (code, _, err) = w.run(&["channel", "add", "中原", "--commission", "很多"]);
    assert_eq!(code, 2);
    assert!(err.contains("--commission 「很多」"), "{err}");
    assert_eq!(snapshot, w.snapshot(), "a refusal changes nothing");

    let (code, _, err) = w.run(&["channel", "add", "中原", "--commission", "20000"]);
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = w.run(&["--lang", "en", "channel", "list"]);
    assert!(out.contains("20000 per booking"), "{out}");
}

// ---- a newcomer's path (item 12) ----

#[test]
fn a_command_outside_a_ledger_says_where_to_go() {
    let w = Workdir::empty();
    for args in [
        vec!["validate"],
        vec!["--at", "2026-03-25 12:00", "replay"],
        vec!["--at", "2026-03-25 12:00", "check", "13900000001"],
        vec!["--at", "2026-03-25 12:00", "settle", "--month", "2026-03"],
        vec!["add", "contact", "--kind", "call", "--phone", "13800138000"],
        vec!["audit"],
        vec!["channel", "list"],
    ] {
        let (code, out, err) = w.run(&args);
        assert_eq!(code, 2, "{args:?}");
        assert_eq!(out, "", "{args:?}");
        assert!(
            err.starts_with(
                "attrib: 没有找到 attrib.toml — 用 -C 指定账本目录, 或运行 attrib init"
            ),
            "{args:?}: {err}"
        );
        assert!(!err.contains("No such file"), "{args:?}: {err}");
        let mut en = args.clone();
        en.extend(["--lang", "en"]);
        let (code, _, err) = w.run(&en);
        assert_eq!(code, 2, "{en:?}");
        assert!(
            err.starts_with("attrib: no attrib.toml found — use -C to name the ledger folder, or run attrib init"),
            "{en:?}: {err}"
        );
    }
}

// ---- tables fit the terminal (item 6) ----

/// The widest line of `text`, in display columns (a Chinese character is two).
fn widest(text: &str) -> usize {
    use unicode_width::UnicodeWidthStr;
    text.lines().map(|l| l.width()).max().unwrap_or(0)
}

fn at_width(w: &Workdir, columns: &str, args: &[&str]) -> String {
    let out = w.cmd(args).env("COLUMNS", columns).output().unwrap();
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A copy of the example ledger committed to git, then one row edited in place (so `audit`
/// has a finding to show).
fn example_in_git() -> Workdir {
    let w = Workdir::example("lingxiu");
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(w.path())
            .env("GIT_AUTHOR_NAME", "内勤")
            .env("GIT_AUTHOR_EMAIL", "clerk@example.com")
            .env("GIT_COMMITTER_NAME", "内勤")
            .env("GIT_COMMITTER_EMAIL", "clerk@example.com")
            .env("GIT_AUTHOR_DATE", "2026-04-30T18:00:00+08:00")
            .env("GIT_COMMITTER_DATE", "2026-04-30T18:00:00+08:00")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "账本"]);
    let reports = w.read("reports.csv");
    w.write(
        "reports.csv",
        &reports.replace("R-001,2026-03-02 09:00", "R-001,2026-03-01 09:00"),
    );
    git(&["commit", "-q", "-am", "改了报备时间"]);
    w
}

#[test]
fn every_table_fits_80_and_60_columns_and_cuts_no_id_phone_or_date() {
    let w = example_in_git();
    let at = ["--at", "2026-04-30T18:00:00+08:00"];
    let commands: Vec<Vec<&str>> = vec![
        vec!["replay"],
        vec!["check", "13900000001"],
        vec![
            "check",
            "13900000002",
            "--name",
            "李娜",
            "--unit",
            "3-3-803",
            "--price",
            "1800000",
            "--list-price",
            "2000000",
        ],
        vec!["settle", "--month", "2026-03"],
        vec!["settle", "--month", "2026-03", "--by", "payee"],
        vec!["channel", "list"],
        vec!["audit"],
        vec!["clients", "--expiring", "30"],
        vec!["deposits"],
        vec!["validate"],
    ];
    for command in &commands {
        let mut args = at.to_vec();
        args.extend(command);
        for columns in ["80", "60"] {
            let out = at_width(&w, columns, &args);
            assert!(
                widest(&out) <= columns.parse().unwrap(),
                "{args:?} at {columns}: {} wide\n{out}",
                widest(&out)
            );
        }
    }
    // the morning list at 80: a kind of hold is never broken into a line of one character, and
    // every row's reference, phone and end date stand whole
    let list = at_width(
        &w,
        "80",
        &["--at", "2026-03-02 12:00", "clients", "--expiring", "30"],
    );
    assert!(list.contains("┆ 报备带看期 ┆"), "{list}");
    for line in list.lines() {
        for cell in line.split('┆') {
            let cell = cell.trim_matches(|c: char| c.is_whitespace() || c == '│');
            assert!(
                cell.chars().count() != 1 || cell.is_ascii(),
                "an orphan 「{cell}」:\n{list}"
            );
        }
    }
    for word in ["R-001", "C-001", "139****0001", "2026-03-22", "20 天"] {
        assert!(list.contains(word), "{word} whole:\n{list}");
    }
    // every id, masked phone and date of replay's verdicts appears whole, as a word, at 80
    // columns (a table whose cells wrap) and at 60 (one card per record)
    let mut json = at.to_vec();
    json.extend(["--format", "json", "replay"]);
    let v: serde_json::Value = serde_json::from_str(&at_width(&w, "80", &json)).unwrap();
    let mut table = at.to_vec();
    table.push("replay");
    for columns in ["80", "60"] {
        let out = at_width(&w, columns, &table);
        let words: std::collections::HashSet<&str> = out
            .split(|c: char| c.is_whitespace() || "│┆,:()".contains(c))
            .collect();
        for r in v.as_array().unwrap() {
            let id = r["id"].as_str().unwrap();
            let day = &r["at"].as_str().unwrap()[..10];
            assert!(words.contains(id), "{id} whole at {columns}:\n{out}");
            assert!(words.contains(day), "{day} whole at {columns}:\n{out}");
            if let Some(phone) = r["phone"].as_str() {
                let masked = format!("{}****{}", &phone[..3], &phone[7..]);
                assert!(words.contains(masked.as_str()), "{masked} at {columns}");
            }
        }
    }
}

#[test]
fn tables_at_a_given_width_are_pinned() {
    let w = Workdir::example("lingxiu");
    let at = "2026-04-30T18:00:00+08:00";
    insta::assert_snapshot!(
        "check_at_60",
        at_width(&w, "60", &["--at", at, "check", "13900000001"])
    );
    insta::assert_snapshot!(
        "settle_at_80",
        at_width(&w, "80", &["--at", at, "settle", "--month", "2026-03"])
    );
    insta::assert_snapshot!(
        "settle_by_payee_at_60",
        at_width(
            &w,
            "60",
            &["--at", at, "settle", "--month", "2026-03", "--by", "payee"]
        )
    );
}

// ---- init (item 10) ----

/// git with a fixed identity and date, in `dir`.
fn git_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "内勤")
        .env("GIT_AUTHOR_EMAIL", "clerk@example.com")
        .env("GIT_COMMITTER_NAME", "内勤")
        .env("GIT_COMMITTER_EMAIL", "clerk@example.com")
        .env("GIT_AUTHOR_DATE", "2026-04-13T18:00:00+08:00")
        .env("GIT_COMMITTER_DATE", "2026-04-13T18:00:00+08:00")
        .output()
        .unwrap()
}

#[test]
fn init_starts_a_real_project_that_adds_commits_and_audits() {
    let w = Workdir::empty();
    let dir = w.file("云栖府");
    let d = dir.to_str().unwrap();
    let (code, out, err) = w.run(&[
        "init",
        d,
        "--project",
        "云栖府",
        "--developer",
        "某置业有限公司",
        "--agency",
        "某代理",
        "--channel",
        "贝壳=1.2%",
        "--channel",
        "房多多=20000",
    ]);
    assert_eq!(code, 0, "{err}");
    let config = std::fs::read_to_string(dir.join("attrib.toml")).unwrap();
    for example in ["领秀慧谷", "某某置业", "伟业", "链家"] {
        assert!(
            !config.contains(example),
            "{example} left in the config:\n{config}"
        );
    }
    assert!(config.contains("name = \"云栖府\"") && config.contains("agency = \"某代理\""));
    // only the files of R1–R9, and a git repository
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            ".git",
            ".gitignore",
            "attrib.toml",
            "bookings.csv",
            "contacts.csv",
            "directs.csv",
            "discounts.csv",
            "relations.csv",
            "reports.csv",
            "slips.csv",
            "violations.csv",
            "voids.csv"
        ]
    );
    // what it made, then the next three commands
    assert!(out.contains("渠道: 贝壳 1.2%, 房多多 20000"), "{out}");
    assert!(out.contains("git 仓库 (git init)"), "{out}");
    assert_eq!(
        std::fs::read_to_string(dir.join(".gitignore")).unwrap(),
        ".attrib.lock\n"
    );
    let next: Vec<&str> = out
        .lines()
        .skip_while(|l| *l != "下一步:")
        .skip(1)
        .collect();
    assert_eq!(next.len(), 3, "{out}");
    assert!(
        next[0].contains(&format!("attrib -C {d} add 来电来访 --kind 来访")),
        "{out}"
    );
    assert!(next[2].trim_start().starts_with("git -C"), "{out}");

    // then add, commit and audit with nothing else set up
    let run = |now: &str, args: &[&str]| {
        let mut c = assert_cmd::Command::cargo_bin("attrib").unwrap();
        c.env_remove("ATTRIB_LEDGER")
            .env("COLUMNS", "80")
            .env("ATTRIB_NOW", now)
            .arg("-C")
            .arg(&dir)
            .args(args);
        let o = c.output().unwrap();
        (
            o.status.code().unwrap(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (code, out, err) = run(
        "2026-04-13 10:05",
        &[
            "add",
            "报备",
            "--channel",
            "贝壳",
            "--broker",
            "王五",
            "--client",
            "张伟",
            "--phone",
            "13800138000",
            "--at",
            "2026-04-13 10:00",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("R-001"), "{out}");
    assert!(git_in(&dir, &["add", "-A"]).status.success());
    let o = git_in(&dir, &["commit", "-q", "-m", "今日登记"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (code, _, err) = run(
        "2026-04-13 18:05",
        &["--at", "2026-04-13T18:05:00+08:00", "audit"],
    );
    assert_eq!(code, 0, "a clean history: {err}");
    let (code, out, _) = run(
        "2026-04-13 18:05",
        &["--at", "2026-04-13T18:05:00+08:00", "validate"],
    );
    assert_eq!((code, out.as_str()), (0, "账本无误: 1 条记录\n"));
}

#[test]
fn init_inside_a_repository_does_not_make_another_and_needs_the_names() {
    let w = Workdir::empty();
    assert!(git_in(w.path(), &["init", "-q"]).status.success());
    let dir = w.file("ledger");
    let d = dir.to_str().unwrap();
    let (code, out, err) = w.run(&[
        "init",
        d,
        "--project",
        "P",
        "--developer",
        "D",
        "--agency",
        "A",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!dir.join(".git").exists());
    assert!(out.contains("(已在 git 仓库中)"), "{out}");
    assert!(
        out.contains("先登记渠道: attrib -C"),
        "no channel yet: {out}"
    );

    let empty = w.file("other");
    let (code, _, err) = w.run(&["init", empty.to_str().unwrap(), "--project", "P"]);
    assert_eq!(code, 2);
    assert!(err.contains("缺少 --developer"), "{err}");
    assert!(err.contains("例: attrib init my-ledger --project"), "{err}");
    assert!(!empty.exists(), "nothing was made");
}

// ---- the README tour (item 12) ----

/// The commands of README's "A short tour", in order.
fn tour() -> Vec<String> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("## A short tour").expect("the tour");
    let end = start
        + readme[start..]
            .find("\n## ")
            .unwrap_or(readme.len() - start);
    code_lines(&readme[start..end])
}

/// The non-empty lines of the code blocks of a markdown text, in order.
fn code_lines(text: &str) -> Vec<String> {
    let mut lines = vec![];
    let mut in_code = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        } else if in_code && !line.trim().is_empty() {
            lines.push(line.to_string());
        }
    }
    lines
}

#[test]
fn the_readme_tour_runs_top_to_bottom_on_a_fresh_copy() {
    let w = Workdir::empty();
    let examples = w.file("ledger-examples/lingxiu");
    std::fs::create_dir_all(&examples).unwrap();
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/ledger-examples/lingxiu");
    for e in std::fs::read_dir(src).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, examples.join(p.file_name().unwrap())).unwrap();
    }
    let bin = assert_cmd::cargo::cargo_bin("attrib");
    let lines = tour();
    assert!(lines.len() >= 15, "{lines:?}");
    let init = lines.iter().position(|l| l.contains(" init ")).unwrap();
    let first_add = lines.iter().position(|l| l.contains(" add ")).unwrap();
    assert!(init < first_add, "init before add");
    let mut vars: Vec<(String, String)> = vec![];
    for line in &lines {
        if let Some(rest) = line.strip_prefix("L=") {
            vars.push(("L".into(), rest.trim_matches('"').to_string()));
            continue;
        }
        let command = line.replace("cargo run --", &bin.display().to_string());
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&command)
            .current_dir(w.path())
            .envs(vars.iter().cloned())
            .env_remove("ATTRIB_LEDGER")
            .env("COLUMNS", "80")
            // the day of the tour, for add's "now" and git's commit time alike
            .env("ATTRIB_NOW", "2026-05-01T09:00:00+08:00")
            .env("GIT_AUTHOR_NAME", "内勤")
            .env("GIT_AUTHOR_EMAIL", "clerk@example.com")
            .env("GIT_COMMITTER_NAME", "内勤")
            .env("GIT_COMMITTER_EMAIL", "clerk@example.com")
            .env("GIT_AUTHOR_DATE", "2026-05-01T09:30:00+08:00")
            .env("GIT_COMMITTER_DATE", "2026-05-01T09:30:00+08:00")
            .output()
            .unwrap();
        // the example booking check is below the floor: exit 1 is its answer
        let expected = if line.contains("--price 1800000") {
            1
        } else {
            0
        };
        assert_eq!(
            out.status.code(),
            Some(expected),
            "{line}\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(w.file("2026-03.csv").exists() && w.file("attrib.1").exists());
    let reports = std::fs::read_to_string(w.file("my-ledger/reports.csv")).unwrap();
    assert!(
        reports.ends_with("R-001,2026-05-01 09:00:00,链家,王五,张伟,13800138000,\n"),
        "{reports}"
    );
}

/// 快速上手.md's commands run, in order, on a ledger its first command makes (the morning list,
/// `clients`, is another command's and is left out here).
#[test]
fn the_quick_start_commands_run_as_written() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/快速上手.md")).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("attrib");
    let w = Workdir::empty();
    let ledger = w.file("云栖府");
    let mut ran = 0;
    for line in code_lines(&doc) {
        if line.starts_with("attrib clients") {
            continue;
        }
        let command = line.replacen("attrib", &bin.display().to_string(), 1);
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(command.replace(" attrib audit", &format!(" {}", bin.display())))
            // the first block runs beside the ledger (init, -C 云栖府); the others in it
            .current_dir(
                match line.starts_with("attrib init") || line.contains("-C 云栖府") {
                    true => w.path(),
                    false => ledger.as_path(),
                },
            )
            .env_remove("ATTRIB_LEDGER")
            .env("COLUMNS", "80")
            .env("ATTRIB_NOW", "2026-05-01T09:00:00+08:00")
            .env("GIT_AUTHOR_NAME", "内勤")
            .env("GIT_AUTHOR_EMAIL", "clerk@example.com")
            .env("GIT_COMMITTER_NAME", "内勤")
            .env("GIT_COMMITTER_EMAIL", "clerk@example.com")
            .env("GIT_AUTHOR_DATE", "2026-05-01T18:00:00+08:00")
            .env("GIT_COMMITTER_DATE", "2026-05-01T18:00:00+08:00")
            .output()
            .unwrap();
        // the check of a booking below the floor answers with exit 1
        let expected = if line.contains("--price 1800000") {
            1
        } else {
            0
        };
        assert_eq!(
            out.status.code(),
            Some(expected),
            "{line}\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        ran += 1;
    }
    assert!(ran >= 12, "{ran} commands");
    let slips = std::fs::read_to_string(ledger.join("slips.csv")).unwrap();
    assert!(
        slips.ends_with("S-012,2026-05-01 09:00:00,final,任总\n"),
        "{slips}"
    );
}

#[test]
fn add_prints_every_other_verdict_it_changes() {
    let w = Workdir::example("lingxiu");
    let (code, out, err) = w.run_now(
        "2026-04-29T09:00:00+08:00",
        &[
            "add",
            "作废",
            "--ref",
            "C-005",
            "--reason",
            "录错",
            "--at",
            "2026-04-29 08:55",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "作废 X-002: 已登记 (void)\n因此改变:\n  来电来访 C-005: 有效带客: 依 R-001 报备 2026-03-02 09:00, 渠道保护至 2026-04-02 (R4.6) → 已作废, 不参与判定 (void)\n  认购 B-009: 渠道客户: 链家 有效带看 C-005 来访 2026-03-03 10:00, 保护至 2026-04-02 (R7.2) → 乙方客户 (R7.3)\n"
    );
    // a record that changes nothing else says nothing more
    let (code, out, err) = w.run_now(
        "2026-04-29T09:00:00+08:00",
        &[
            "add",
            "来电来访",
            "--kind",
            "来电",
            "--phone",
            "13812345678",
            "--at",
            "2026-04-29 08:56",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 1, "{out}");
}

#[test]
fn a_later_role_cannot_open_a_slip_and_the_nearest_id_is_named() {
    let w = Workdir::example("lingxiu");
    let before = w.snapshot();
    let now = "2026-04-29T09:00:00+08:00";
    let (code, _, err) = w.run_now(
        now,
        &[
            "add",
            "带客确认单",
            "--slip",
            "S-0l2",
            "--role",
            "案场经理",
            "--signer",
            "王经理",
            "--at",
            "2026-04-29 08:55",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("--slip: S-0l2 还没有任何签字, site_manager 不能是第一个签字 (第一个是 reception) — 是否为 S-012?"),
        "{err}"
    );
    let (code, _, err) = w.run_now(
        now,
        &[
            "--lang",
            "en",
            "add",
            "slip",
            "--slip",
            "S-0l2",
            "--role",
            "final",
            "--signer",
            "任总",
            "--at",
            "2026-04-29 08:55",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("did you mean S-012?"), "{err}");
    assert_eq!(before, w.snapshot(), "nothing was written");
    // the first role opens a new slip; a later role then signs it
    for (role, signer) in [("接待", "李四"), ("案场经理", "王经理")] {
        let (code, _, err) = w.run_now(
            now,
            &[
                "add",
                "slip",
                "--slip",
                "S-900",
                "--role",
                role,
                "--signer",
                signer,
                "--at",
                "2026-04-29 08:55",
            ],
        );
        assert_eq!(code, 0, "{err}");
    }
}
