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
    ] {
        assert!(out.contains(want), "{want} in\n{out}");
    }
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
    assert!(err.contains("a value is required [client]"), "{err}");
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
        err.contains("「报备单」 is not a record kind") && err.contains("report     报备"),
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
