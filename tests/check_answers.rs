//! The clerk's counter (issue 14): `check` on the example ledger, `unit-taken`, and the morning
//! list `clients --expiring`; every test runs the binary with `--at`.

mod common;
use common::Workdir;

/// (exit code, stdout, stderr) at 300 columns: the tests below read whole lines and cells
/// (fitting 80 columns is `tests/counter.rs`'s).
fn run(w: &Workdir, args: &[&str]) -> (i32, String, String) {
    let out = w.cmd(args).env("COLUMNS", "300").output().expect("runs");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
}

fn wide(w: &Workdir, args: &[&str]) -> String {
    run(w, args).1
}

fn json(w: &Workdir, args: &[&str]) -> (i32, serde_json::Value) {
    let (code, out, err) = run(w, &[&["--format", "json"], args].concat());
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    (code, v)
}

fn codes(v: &serde_json::Value) -> Vec<String> {
    (v["findings"].as_array().unwrap().iter())
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

/// Issue 14 item 2, the regression: 韩雪 books 3-3-503 at 95折 the day after approval A-001
/// (both signers, same family and unit, 17100/18000 = 0.95) was signed: no `unapproved-discount`,
/// and `check` names A-001.
#[test]
fn check_finds_the_approval_a_001_for_han_xues_95_percent_booking() {
    let w = Workdir::example("lingxiu");
    let args = [
        "--at",
        "2026-03-19 09:55",
        "check",
        "13900000022",
        "--name",
        "韩雪",
        "--unit",
        "3-3-503",
        "--price",
        "1710000",
        "--list-price",
        "1800000",
    ];
    let (code, v) = json(&w, &args);
    assert_eq!(code, 0);
    assert!(
        !codes(&v).contains(&"unapproved-discount".to_string()),
        "{v}"
    );
    assert_eq!(v["approval"], "A-001");
    let (code, out, err) = run(&w, &args);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("A-001"), "{out}");
    assert!(!out.contains("未经审批"), "{out}");
}

/// R7: an approval covers a ratio no lower than the approved one: 94折 is below A-001's 95折.
#[test]
fn check_does_not_take_an_approval_for_a_deeper_discount() {
    let w = Workdir::example("lingxiu");
    let (code, v) = json(
        &w,
        &[
            "--at",
            "2026-03-19 09:55",
            "check",
            "13900000022",
            "--name",
            "韩雪",
            "--unit",
            "3-3-503",
            "--price",
            "1692000",
            "--list-price",
            "1800000",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(codes(&v), vec!["unapproved-discount"]);
    assert_eq!(v["approval"], serde_json::Value::Null);
}

/// R7: A-002 has one signer only: 唐宁's 96折 is not approved.
#[test]
fn check_does_not_take_an_approval_with_one_signer() {
    let w = Workdir::example("lingxiu");
    let (_, v) = json(
        &w,
        &[
            "--at",
            "2026-03-20 12:00",
            "check",
            "13900000023",
            "--unit",
            "3-3-603",
            "--price",
            "1728000",
            "--list-price",
            "1800000",
        ],
    );
    assert_eq!(codes(&v), vec!["unapproved-discount"]);
    assert_eq!(v["approval"], serde_json::Value::Null);
}

/// R7 unit-taken (销控): 3-3-503 is B-007's (韩雪, 2026-03-19 10:00): another family's check
/// for it is an error naming B-007 (exit 1); before B-007 existed it was free.
#[test]
fn check_unit_taken_names_the_booking_that_holds_the_unit() {
    let w = Workdir::example("lingxiu");
    let args = |at| {
        [
            "--at",
            at,
            "check",
            "13900000021",
            "--name",
            "谢鹏",
            "--unit",
            "3-3-503",
        ]
    };
    let (code, v) = json(&w, &args("2026-03-19 10:00"));
    assert_eq!(code, 1);
    assert_eq!(codes(&v), vec!["unit-taken"]);
    assert_eq!(v["findings"][0]["severity"], "error");
    assert_eq!(v["findings"][0]["rule"], "R7");
    assert!(
        v["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("B-007"),
        "{v}"
    );
    let (code, out, _) = run(&w, &args("2026-03-19 10:00"));
    assert_eq!(code, 1);
    assert!(
        out.contains("3-3-503 已售: B-007 已于 2026-03-19 10:00 认购"),
        "{out}"
    );
    let (code, v) = json(&w, &args("2026-03-19 09:59"));
    assert_eq!((code, codes(&v)), (0, vec![]));
    // the same family may book its own unit again (a second check by 韩雪)
    let (code, v) = json(
        &w,
        &[
            "--at",
            "2026-03-25 12:00",
            "check",
            "13900000022",
            "--unit",
            "3-3-503",
        ],
    );
    assert_eq!((code, codes(&v)), (0, vec![]));
}

/// R7 unit-taken in replay: a second family's booking of a booked unit carries the error and
/// names the first; a void of the first frees the unit.
#[test]
fn replay_marks_a_second_familys_booking_of_a_unit() {
    let w = Workdir::example("lingxiu");
    let mut bookings = w.read("bookings.csv");
    bookings.push_str(
        "B-100,2026-03-26 10:00,3-3-503,谢鹏,13900000021,,1800000,1790000,mortgage,,,50000,\n",
    );
    w.write("bookings.csv", &bookings);
    let booking = |at: &str| {
        let (code, v) = json(&w, &["--at", at, "replay"]);
        assert_eq!(code, 0);
        let arr = v.as_array().unwrap().clone();
        arr.into_iter().find(|r| r["id"] == "B-100").unwrap()
    };
    let b = booking("2026-03-27 12:00");
    assert_eq!(b["findings"], serde_json::json!(["unit-taken"]));
    let out = wide(&w, &["--at", "2026-03-27 12:00", "replay"]);
    assert!(out.contains("3-3-503 已售: B-007"), "{out}");
    let mut voids = w.read("voids.csv");
    voids.push_str("X-100,2026-03-27 09:00,B-007,录入错误,品管助理 小周\n");
    w.write("voids.csv", &voids);
    assert_eq!(
        booking("2026-03-27 12:00")["findings"],
        serde_json::json!([]),
        "a voided booking frees its unit"
    );
}

/// Issue 14 item 1: the first line names the kind of hold — R2.4's report window here — with
/// the days left; a visit's slip still to sign is 下一步, with the role in Chinese.
#[test]
fn check_answers_first_report_window_and_a_slip_to_sign() {
    let w = Workdir::example("lingxiu");
    let (code, out, _) = run(&w, &["--at", "2026-03-04 12:00", "check", "13900000003"]);
    assert_eq!(code, 0);
    assert_eq!(
        out.lines().next(),
        Some("归属: 渠道客户 · 链家 王五 (R2.4 报备 R-003) · 报备带看期至 2026-03-07, 剩 3 天")
    );
    let (code, out, _) = run(&w, &["--at", "2026-03-03 12:00", "check", "13900000001"]);
    assert_eq!(code, 0);
    assert_eq!(
        out.lines().next(),
        Some("归属: 渠道客户 · 链家 王五 (R4 有效带看 C-005) · 渠道保护至 2026-04-02, 剩 30 天")
    );
    let next: Vec<&str> = out.lines().skip_while(|l| *l != "下一步:").collect();
    assert_eq!(next[1], "  1. 带客确认单 S-001 待签: 终审 (R5)", "{out}");
    assert!(out.contains("未生效 (待签)"), "{out}");
    assert!(
        !out.contains("pending"),
        "no English code words in zh: {out}"
    );
}

/// 下一步 lists every step due, most blocking first: the error findings, then the approval and
/// the query slip; discounts written the Chinese way.
#[test]
fn check_next_steps_most_blocking_first() {
    let w = Workdir::example("lingxiu");
    let (code, out, _) = run(
        &w,
        &[
            "--at",
            "2026-03-25 12:00",
            "check",
            "13900000002",
            "--name",
            "李四",
            "--unit",
            "3-3-503",
            "--price",
            "1600000",
            "--list-price",
            "1800000",
        ],
    );
    assert_eq!(code, 1, "unit-taken and below-floor are errors");
    let next: Vec<&str> = out
        .lines()
        .skip_while(|l| *l != "下一步:")
        .skip(1)
        .take(4)
        .collect();
    assert_eq!(
        next,
        vec![
            "  1. 不可认购: 3-3-503 已售: B-007 已于 2026-03-19 10:00 认购 (销控) (R7)",
            "  2. 不可认购: 折扣 88.89折 低于最低限 92折 (R7)",
            "  3. 需《客户属别查询单》: 认购人 李四 不是本家庭登记过的姓名 (R7)",
            "  4. 需《特殊优惠审批单》: 88.89折 需甲乙双方负责人签字 (R7)",
        ],
        "{out}"
    );
    assert!(
        out.contains("\n认购: B-004 1-3-1002 2026-03-15 11:00 乙方客户\n"),
        "{out}"
    );
}

/// The approval found is shown with its ratio, and nothing is due.
#[test]
fn check_shows_the_approval_found_and_nothing_due() {
    let w = Workdir::example("lingxiu");
    let (code, out, _) = run(
        &w,
        &[
            "--at",
            "2026-03-19 09:55",
            "check",
            "13900000022",
            "--name",
            "韩雪",
            "--unit",
            "3-3-503",
            "--price",
            "1710000",
            "--list-price",
            "1800000",
        ],
    );
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[..5],
        [
            "归属: 乙方客户 · 顾问 王丽 (R3 来访 C-010) · 来电来访保护期至 2026-03-27, 剩 8 天",
            "家庭: 韩雪 · 139****0022",
            "优惠审批: 《特殊优惠审批单》A-001 95折 双方已签 (R7)",
            "下一步:",
            "  无待办事项, 可以认购",
        ]
    );
}

/// Other channels' open reports are listed as not to be paid, with their verdict.
#[test]
fn check_lists_other_channels_open_reports() {
    let w = Workdir::example("lingxiu");
    let (code, out, _) = run(&w, &["--at", "2026-03-05 12:00", "check", "13900000003"]);
    assert_eq!(code, 0);
    assert!(
        out.contains(
            "\n其他渠道报备 (不予认可): 房多多 赵六 R-004 2026-03-04 15:00 (撞单, 带看期至 2026-03-07)\n"
        ),
        "{out}"
    );
    assert!(out.contains("\n  1. 带客确认单 S-002 待签: "), "{out}");
}

/// R17 `clients --expiring [N]`: the morning list, soonest first, with the channel and broker
/// or the consultant to call.
#[test]
fn clients_expiring_lists_the_periods_ending_soonest_first() {
    let w = Workdir::example("lingxiu");
    let (code, out, err) = run(
        &w,
        &[
            "--at",
            "2026-03-20 09:00",
            "--format",
            "csv",
            "clients",
            "--expiring",
            "2",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "kind,ends,days_left,phone,client,holder,ref,rule,contact\n\
         report-window,2026-03-22T23:59:59+08:00,2,13900000027,曾敏,链家,R-017,R2.4,王五\n\
         protection,2026-03-22T23:59:59+08:00,2,13900000017,何平,伟业,C-001,R3,\n"
    );
    // N defaults to 3 (reminders.expiring_days): three days from 03-20 reach 03-23
    let (_, v) = json(&w, &["--at", "2026-03-20 09:00", "clients", "--expiring"]);
    let refs: Vec<&str> = (v.as_array().unwrap().iter())
        .map(|i| i["ref"].as_str().unwrap())
        .collect();
    assert_eq!(refs, ["R-017", "C-001", "R-018", "C-002", "C-003", "C-004"]);
    assert_eq!(
        v[4]["contact"], "王丽",
        "the first-visit consultant to call"
    );
    assert_eq!(v[4]["days_left"], 3);
    // the table, in Chinese, masks phones
    let out = wide(&w, &["--at", "2026-03-02 12:00", "clients", "--expiring"]);
    assert!(
        out.contains(
            "2026-03-05 ┆ 3 天 ┆ 报备带看期 ┆ 张伟 ┆ 139****0001 ┆ 链家 王五 ┆ R-001 R2.4"
        ),
        "{out}"
    );
    let (_, out, _) = run(
        &w,
        &["--at", "2026-06-30 12:00", "clients", "--expiring", "1"],
    );
    assert_eq!(out.trim(), "1 天内没有到期的保护期");
}

/// R17 (RULES-R10.md §1.3): `--expiring` without N reads `[reminders] expiring_days`; N given
/// wins; a bad value is an error naming the key and its line, in Chinese by default.
#[test]
fn clients_expiring_defaults_to_reminders_expiring_days() {
    let w = Workdir::example("lingxiu");
    let refs = |w: &Workdir, args: &[&str]| -> Vec<String> {
        let (_, v) = json(
            w,
            &[&["--at", "2026-03-20 09:00", "clients"][..], args].concat(),
        );
        (v.as_array().unwrap().iter())
            .map(|i| i["ref"].as_str().unwrap().to_string())
            .collect()
    };
    let three = refs(&w, &["--expiring"]);
    let config = w.read("attrib.toml");
    w.write(
        "attrib.toml",
        &format!("{config}\n[reminders]\nexpiring_days = 2\n"),
    );
    let two = refs(&w, &["--expiring"]);
    assert_eq!(two, ["R-017", "C-001"], "two days from 03-20: {two:?}");
    assert_eq!(refs(&w, &["--expiring", "3"]), three, "N given wins");
    let (_, out, _) = run(&w, &["--at", "2026-06-30 12:00", "clients", "--expiring"]);
    assert_eq!(out.trim(), "2 天内没有到期的保护期");
    // a bad value: the key, its line, in Chinese (and English with --lang en)
    let line = config.lines().count() + 3;
    w.write(
        "attrib.toml",
        &format!("{config}\n[reminders]\nexpiring_days = -1\n"),
    );
    let (code, _, err) = run(&w, &["--at", "2026-03-20 09:00", "clients", "--expiring"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!(
            "attrib.toml:{line}: 配置错误: reminders.expiring_days: -1 不是 0 到 366 之间的天数"
        )),
        "{err}"
    );
    let (_, _, err) = run(&w, &["--lang", "en", "validate"]);
    assert!(
        err.contains(&format!(
            "attrib.toml:{line}: reminders.expiring_days: -1 is not a number of days from 0 to 366"
        )),
        "{err}"
    );
    w.write(
        "attrib.toml",
        &format!("{config}\n[reminders]\nexpiring_days = \"三天\"\n"),
    );
    let (code, _, err) = run(&w, &["validate"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!(
            "attrib.toml:{line}: 语法错误: 值的类型不对: 写的是文字「三天」, 应为整数"
        )),
        "{err}"
    );
}

/// Issue 14 item 7 for check: no English code word in its Chinese output (ids, rule numbers
/// and masked phones aside), a voided record's rule included; an error finding marked ✗ in
/// replay.
#[test]
fn check_in_chinese_has_no_english_code_words() {
    let w = Workdir::example("lingxiu");
    let allowed = |word: &str| {
        word.starts_with('R') && word[1..].chars().all(|c| c.is_ascii_digit() || c == '.')
    };
    for at in ["2026-03-03 12:00", "2026-03-25 12:00"] {
        for n in 1..=40 {
            let phone = format!("139000000{n:02}");
            let (_, out, _) = run(
                &w,
                &[
                    "--at",
                    at,
                    "check",
                    &phone,
                    "--name",
                    "某人",
                    "--unit",
                    "3-3-503",
                    "--price",
                    "1600000",
                    "--list-price",
                    "1800000",
                ],
            );
            // ids are a prefix and digits (C-031, B-007): drop them, then look for words
            let words: Vec<String> = out
                .split(|c: char| !c.is_ascii_alphabetic() && c != '-' && c != '_')
                .filter(|w| w.chars().filter(char::is_ascii_alphabetic).count() >= 2)
                .map(String::from)
                .collect();
            let english: Vec<&String> = words.iter().filter(|w| !allowed(w)).collect();
            assert!(english.is_empty(), "{phone} at {at}: {english:?}\n{out}");
        }
    }
    let (_, out, _) = run(&w, &["--at", "2026-03-25 12:00", "check", "13900000029"]);
    assert!(out.contains("┆ 已作废   ┆ 作废 ┆"), "{out}");
}

/// §5 / R7: `add booking` of a unit another family holds is refused and writes nothing,
/// naming the booking that holds it; with --force it is recorded and keeps its finding.
#[test]
fn add_refuses_a_taken_unit_unless_forced() {
    let w = Workdir::example("lingxiu");
    let before = w.read("bookings.csv");
    let add = [
        "add",
        "booking",
        "--at",
        "2026-03-26 10:00",
        "--unit",
        "3-3-503",
        "--buyer",
        "谢鹏",
        "--phone",
        "13900000021",
        "--list-price",
        "1800000",
        "--price",
        "1790000",
    ];
    // add judges the record's time against the clock: just after it
    let now = "2026-03-26 10:05";
    let (code, out, err) = w.run_now(now, &add);
    assert_ne!(code, 0);
    assert!(out.contains("3-3-503 已售: B-007"), "{out}");
    assert!(err.contains("未写入") && err.contains("--force"), "{err}");
    assert_eq!(w.read("bookings.csv"), before, "nothing written");
    let (code, out, err) = w.run_now(now, &[&add[..], &["--force"]].concat());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("3-3-503 已售: B-007"), "{out}");
    assert!(
        (w.read("bookings.csv")).contains("\nB-024,2026-03-26 10:00,3-3-503,谢鹏,13900000021,"),
        "the next free id"
    );
    let (_, v) = json(&w, &["--at", "2026-03-27 12:00", "replay"]);
    let b = (v.as_array().unwrap().iter()).find(|r| r["id"] == "B-024");
    assert_eq!(b.unwrap()["findings"], serde_json::json!(["unit-taken"]));
}
