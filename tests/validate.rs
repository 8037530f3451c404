//! `attrib validate` on good and broken ledgers: one broken ledger per error class, each
//! asserting the exit code and the `file:line` and culprit in the message.

mod common;
use common::Workdir;

const REPORTS: &str = "id,at,channel,broker,client,phone\n";

/// Validates and returns (exit code, stderr); asserts nothing on disk changed.
fn validate(w: &Workdir) -> (i32, String) {
    let before = w.snapshot();
    let (code, _, err) = w.run(&["--lang", "en", "validate"]);
    assert_eq!(before, w.snapshot(), "validate changed files");
    (code, err)
}

fn assert_error(w: &Workdir, expected: &[&str]) {
    let (code, err) = validate(w);
    assert_eq!(code, 1, "stderr: {err}");
    for e in expected {
        assert!(err.contains(e), "expected 「{e}」 in:\n{err}");
    }
}

#[test]
fn a_clean_ledger_validates() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!("{REPORTS}R-1,2026-03-01 09:00,链家,王五,张伟,+86 138-0013-8000\n"),
    );
    let (code, out, _) = w.run(&["validate"]);
    assert_eq!(code, 0);
    assert!(out.contains("1 条记录"), "{out}");
}

#[test]
fn the_example_ledger_validates() {
    let (code, out, err) = Workdir::example("lingxiu").run(&["validate"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("账本无误"), "{out}");
}

#[test]
fn bad_time_names_file_line_column_and_value() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!("{REPORTS}R-1,2026-13-45 09:00,链家,王五,张伟,13800138000\n"),
    );
    assert_error(
        &w,
        &[
            "reports.csv:2:2: 「2026-13-45 09:00」 is not a valid time (expected 2026-03-01 09:30 or 2026-03-01T09:30:00+08:00)",
        ],
    );
}

#[test]
fn bare_date_is_an_error() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!("{REPORTS}R-1,2026-03-01,链家,王五,张伟,13800138000\n"),
    );
    assert_error(
        &w,
        &[
            "reports.csv:2:2:",
            "「2026-03-01」 is a date without a time",
        ],
    );
}

#[test]
fn bad_phone() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!("{REPORTS}R-1,2026-03-01 09:00,链家,王五,张伟,12345\n"),
    );
    assert_error(
        &w,
        &[
            "reports.csv:2:6:",
            "「12345」 is not a mainland mobile number",
        ],
    );
}

#[test]
fn masked_phone_is_not_yet_allowed() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!("{REPORTS}R-1,2026-03-01 09:00,链家,王五,张伟,138****5678\n"),
    );
    assert_error(&w, &["reports.csv:2:6:", "masked phone"]);
}

#[test]
fn thousands_separator_says_so() {
    let w = Workdir::new();
    w.write("bookings.csv", "id,at,unit,buyer,phone,list_price,price\nB-1,2026-03-01 09:00,1-1-101,张伟,13800138000,\"2,000,000\",1990000\n");
    assert_error(
        &w,
        &[
            "bookings.csv:2:6:",
            "「2,000,000」 has a thousands separator",
        ],
    );
}

#[test]
fn bad_rate_in_config() {
    let w = Workdir::new();
    w.write(
        "attrib.toml",
        &common::CONFIG.replace("agency_rate = \"1.8%\"", "agency_rate = \"1,8%\""),
    );
    assert_error(
        &w,
        &["attrib.toml", "fees.agency_rate", "「1,8%」 is not a rate"],
    );
}

#[test]
fn bad_enum_lists_the_choices() {
    let w = Workdir::new();
    w.write(
        "contacts.csv",
        "id,at,kind,phone\nC-1,2026-03-01 09:00,walk,13800138000\n",
    );
    assert_error(
        &w,
        &[
            "contacts.csv:2:3:",
            "「walk」 is not one of call, visit, followup",
        ],
    );
}

#[test]
fn bad_slip_role() {
    let w = Workdir::new();
    w.write(
        "slips.csv",
        "slip,at,role,signer\nS-1,2026-03-01 09:00,boss,任总\n",
    );
    assert_error(
        &w,
        &[
            "slips.csv:2:3:",
            "「boss」 is not one of reception, site_manager, developer, final",
        ],
    );
}

#[test]
fn unknown_column_names_the_known_ones() {
    let w = Workdir::new();
    w.write("reports.csv", "id,at,channel,broker,client,phone,mobile\n");
    assert_error(
        &w,
        &[
            "reports.csv:1:",
            "unknown column 「mobile」 (known: id, at, channel, broker, client, phone, note)",
        ],
    );
}

#[test]
fn missing_required_column_and_empty_required_cell() {
    let w = Workdir::new();
    w.write("reports.csv", "id,at,channel,broker,client\n");
    w.write(
        "voids.csv",
        "id,at,ref,reason\nX-1,2026-03-01 09:00,,oops\n",
    );
    assert_error(
        &w,
        &[
            "reports.csv:1: required column 「phone」 is missing",
            "voids.csv:2:3: a value is required [ref]",
        ],
    );
}

#[test]
fn both_csv_and_toml_is_an_error() {
    let w = Workdir::new();
    w.write("voids.csv", "id,at,ref,reason\n");
    w.write("voids.toml", "");
    assert_error(&w, &["both voids.csv and voids.toml exist"]);
}

#[test]
fn ids_are_unique_across_kinds() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!("{REPORTS}X-1,2026-03-01 09:00,链家,王五,张伟,13800138000\n"),
    );
    w.write(
        "contacts.csv",
        "id,at,kind,phone\nX-1,2026-03-01 10:00,call,13800138000\n",
    );
    assert_error(
        &w,
        // the report (09:00) came first: the later call is the one that used the id again
        &["contacts.csv:2: id 「X-1」 is already used at reports.csv:2"],
    );
}

#[test]
fn duplicate_ids_are_listed_in_file_order() {
    // ids are checked in two halves by hash; the errors still come in the order of the rows, and
    // the later record in evaluation order (the calls, an hour after the reports) is blamed
    let w = Workdir::new();
    let ids = ["A", "B", "C", "D", "E", "F", "G", "H"];
    let rows: String = ids
        .iter()
        .map(|id| format!("{id},2026-03-01 09:00,链家,王五,张伟,13800138000\n"))
        .collect();
    w.write("reports.csv", &format!("{REPORTS}{rows}"));
    let calls: String = ids
        .iter()
        .rev()
        .map(|id| format!("{id},2026-03-01 10:00,call,13800138000\n"))
        .collect();
    w.write("contacts.csv", &format!("id,at,kind,phone\n{calls}"));
    let (code, err) = validate(&w);
    assert_eq!(code, 1, "stderr: {err}");
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("already used")).collect();
    let expected: Vec<String> = (0..ids.len())
        .map(|n| {
            let id = ids[ids.len() - 1 - n];
            format!(
                "contacts.csv:{}: id 「{id}」 is already used at reports.csv:{}",
                n + 2,
                ids.len() - n + 1
            )
        })
        .collect();
    assert_eq!(lines, expected);
}

#[test]
fn references_must_resolve() {
    let w = Workdir::new();
    w.write("bookings.csv", "id,at,unit,buyer,phone,list_price,price,discount\nB-1,2026-03-01 09:00,1-1-101,张伟,13800138000,100,99,A-9\n");
    w.write(
        "voids.csv",
        "id,at,ref,reason\nX-1,2026-03-01 09:00,R-404,oops\n",
    );
    assert_error(
        &w,
        &[
            "bookings.csv:2: 「A-9」 names no discount approval",
            "voids.csv:2: 「R-404」 names no record",
        ],
    );
}

#[test]
fn channels_must_be_in_the_config() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!("{REPORTS}R-1,2026-03-01 09:00,贝壳,王五,张伟,13800138000\n"),
    );
    assert_error(
        &w,
        &["reports.csv:2: channel 「贝壳」 is not in attrib.toml (known: 链家, 我爱我家)"],
    );
}

#[test]
fn a_channel_visit_needs_broker_and_slip() {
    let w = Workdir::new();
    w.write(
        "contacts.csv",
        "id,at,kind,phone,channel\nC-1,2026-03-01 09:00,visit,13800138000,链家\n",
    );
    assert_error(
        &w,
        &[
            "contacts.csv:2: a channel visit needs 「broker」",
            "contacts.csv:2: a channel visit needs 「slip」",
        ],
    );
}

#[test]
fn a_file_with_two_bad_rows_reports_both() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!("{REPORTS}R-1,2026-13-45 09:00,链家,王五,张伟,13800138000\nR-2,2026-03-01 09:00,链家,王五,李娜,999\n"),
    );
    let (code, err) = validate(&w);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("reports.csv:2:2: 「2026-13-45 09:00」 is not a valid time"),
        "{err}"
    );
    assert!(
        err.contains("reports.csv:3:6: 「999」 is not a mainland mobile number"),
        "{err}"
    );
    assert!(err.contains("2 error(s)"), "{err}");
}

#[test]
fn errors_in_several_files_are_all_listed() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!("{REPORTS}R-1,2026-13-45 09:00,链家,王五,张伟,13800138000\n"),
    );
    w.write(
        "contacts.csv",
        "id,at,kind,phone\nC-1,2026-03-01 09:00,walk,13800138000\n",
    );
    assert_error(
        &w,
        &[
            "reports.csv:2:2: 「2026-13-45 09:00」 is not a valid time",
            "contacts.csv:2:3: 「walk」 is not one of call, visit, followup",
        ],
    );
}

#[test]
fn csv_and_toml_kinds_mix() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!("{REPORTS}R-1,2026-03-01 09:00,链家,王五,张伟,13800138000\n"),
    );
    w.write(
        "contacts.toml",
        "# 来电来访\n[[contact]]\nid = \"C-1\"\nat = 2026-03-01T08:00:00+08:00\nkind = \"call\"\nphone = \"13800138000\"\n",
    );
    let (code, out, err) = w.run(&["validate"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2 条记录"), "{out}");
    let (_, json, _) = w.run(&["--at", "2026-03-02 00:00", "--format", "json", "replay"]);
    assert!(json.contains("\"verdict\": \"known-client\""), "{json}");
}

#[test]
fn toml_errors_name_the_line_of_the_table() {
    let w = Workdir::new();
    w.write("contacts.toml", "# c\n\n[[contact]]\nid = \"C-1\"\nat = \"2026-03-01 09:00\"\nkind = \"call\"\nphone = \"1\"\n");
    assert_error(
        &w,
        &[
            "contacts.toml:3: 「1」 is not a mainland mobile number",
            "[phone]",
        ],
    );
}

#[test]
fn a_bom_file_loads() {
    let w = Workdir::new();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(format!("{REPORTS}R-1,2026-03-01 09:00,链家,王五,张伟,13800138000\n").as_bytes());
    w.write_bytes("reports.csv", &bytes);
    let (code, _, err) = w.run(&["--lang", "en", "validate"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn missing_config_is_unreadable_input() {
    let w = Workdir::empty();
    let (code, _, err) = w.run(&["validate"]);
    assert_eq!(code, 2, "unreadable input, not a ledger error: {err}");
    assert!(
        err.contains("没有找到 attrib.toml — 用 -C 指定账本目录, 或运行 attrib init"),
        "{err}"
    );
}

#[test]
fn other_commands_refuse_a_broken_ledger_with_exit_2() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!("{REPORTS}R-1,2026-13-45 09:00,链家,王五,张伟,13800138000\n"),
    );
    let (code, _, err) = w.run(&["--lang", "en", "--at", "2026-03-02 00:00", "replay"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("reports.csv:2:2: 「2026-13-45 09:00」 is not a valid time"),
        "{err}"
    );
}

#[test]
fn init_scaffolds_a_ledger_that_validates_and_refuses_to_overwrite() {
    let w = Workdir::empty();
    let dir = w.file("new");
    let names = [
        "--project",
        "云栖府",
        "--developer",
        "某置业",
        "--agency",
        "某代理",
    ];
    let mut init = vec!["init", dir.to_str().unwrap()];
    init.extend(names);
    let (code, _, err) = w.run(&init);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(dir.join("attrib.toml")).unwrap();
    assert!(
        text.contains("保护期") && text.contains("protection"),
        "comments in Chinese and English"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("reports.csv")).unwrap(),
        "id,at,channel,broker,client,phone,note\n"
    );
    let out = assert_cmd::Command::cargo_bin("attrib")
        .unwrap()
        .arg("-C")
        .arg(&dir)
        .arg("validate")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (code, _, err) = w.run(&init);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("attrib.toml 已存在; 未写入任何文件"), "{err}");
}

#[test]
fn line_numbers_count_blank_lines() {
    let w = Workdir::new();
    w.write("reports.csv", &format!("{REPORTS}R-1,2026-03-01 09:00,链家,王五,张伟,13800138000\n\n\r\nR-2,2026-03-01 09:00,链家,王五,李娜,999\n"));
    assert_error(
        &w,
        &["reports.csv:5:6: 「999」 is not a mainland mobile number"],
    );
}

/// The example ledger with every CSV file saved as GB18030, as Excel on Chinese Windows does.
fn gb18030_twin() -> Workdir {
    let w = Workdir::example("lingxiu");
    for entry in std::fs::read_dir(w.path()).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "csv") {
            let text = std::fs::read_to_string(&p).unwrap();
            std::fs::write(&p, encoding_rs::GB18030.encode(&text).0).unwrap();
        }
    }
    w
}

#[test]
fn a_gb18030_ledger_validates_and_replays_like_its_utf8_twin() {
    let gb = gb18030_twin();
    let raw = std::fs::read(gb.file("reports.csv")).unwrap();
    assert!(
        std::str::from_utf8(&raw).is_err(),
        "the twin really is not UTF-8"
    );
    let (code, _, err) = gb.run(&["--lang", "en", "validate"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err.lines().filter(|l| l.contains("GB18030")).count(),
        1,
        "said once: {err}"
    );
    assert!(err.contains("reports.csv"), "{err}");
    let args = ["--at", "2026-04-30 18:00", "--format", "json", "replay"];
    let (_, gb_out, _) = gb.run(&args);
    let (_, utf8_out, _) = Workdir::example("lingxiu").run(&args);
    assert_eq!(gb_out, utf8_out);
}

#[test]
fn add_appends_to_a_gb18030_file_in_gb18030() {
    let gb = gb18030_twin();
    let (code, out, err) = gb.run_now(
        "2026-05-01 09:05",
        &[
            "add",
            "report",
            "--at",
            "2026-05-01 09:00",
            "--channel",
            "链家",
            "--broker",
            "王五",
            "--client",
            "新客户",
            "--phone",
            "13912345678",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("报备有效"), "{out}");
    let bytes = std::fs::read(gb.file("reports.csv")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "still GB18030");
    let (text, _, bad) = encoding_rs::GB18030.decode(&bytes);
    assert!(!bad);
    assert!(
        text.ends_with("R-031,2026-05-01 09:00,链家,王五,新客户,13912345678,\n"),
        "{text}"
    );
    assert_eq!(gb.run(&["--lang", "en", "validate"]).0, 0);
}

#[test]
fn bytes_that_are_no_text_are_an_error() {
    let w = Workdir::new();
    w.write_bytes("voids.csv", b"id,at,ref,reason\n\x81\x20\xff,x,y,z\n");
    // placed at the line and byte of the first byte that is not UTF-8
    assert_error(
        &w,
        &[
            "voids.csv:2: is neither UTF-8 nor GB18030 text: byte 18 of the file (0x81) is the first that is not UTF-8",
        ],
    );
}

#[test]
fn every_bad_cell_of_a_row_is_reported() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!("{REPORTS}R-1,2026-13-45 09:00,链家,,张伟,999\n"),
    );
    assert_error(
        &w,
        &[
            "reports.csv:2:2: 「2026-13-45 09:00」 is not a valid time",
            "reports.csv:2:4: a value is required [broker]",
            "reports.csv:2:6: 「999」 is not a mainland mobile number",
            "3 error(s)",
        ],
    );
}

#[test]
fn the_ledger_folder_comes_from_attrib_ledger_when_no_c_is_given() {
    let w = Workdir::example("lingxiu");
    let out = assert_cmd::Command::cargo_bin("attrib")
        .unwrap()
        .env("ATTRIB_LEDGER", w.path())
        .current_dir(std::env::temp_dir())
        .args(["validate", "--lang", "en"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("ok: 200 records"));
}

#[test]
fn a_syntax_error_in_attrib_toml_names_its_own_line() {
    let w = Workdir::empty();
    // the unknown key starts its line: the line before it was named until this was fixed
    w.write(
        "attrib.toml",
        &format!("{}\n[rules]\nprotect = 3\n", common::CONFIG),
    );
    let line = common::CONFIG.lines().count() + 3;
    let (code, _, err) = w.run(&["--lang", "en", "validate"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!("attrib.toml:{line}: ")) && err.contains("protect"),
        "expected attrib.toml:{line} in:\n{err}"
    );
}

/// R10: every new field format of `viewings` and `deals` is checked, each error naming its row
/// and column: yes/no, phone, money, `via`, `known_at`, `agent` relations.
#[test]
fn viewing_and_deal_fields_are_checked() {
    let w = Workdir::new();
    w.write(
        "viewings.csv",
        "id,at,property,client,phone,broker,client_signature,first_viewing,no,note\n\
         VW-1,2023-03-15 10:00,海湖路88号,王强,13800000001,李四,王强,maybe,,\n\
         VW-2,2023-03-15 10:00,海湖路88号,王强,1380000,李四,王强,yes,,\n\
         VW-3,2023-03-15 10:00,,王强,13800000001,李四,王强,no,,\n",
    );
    w.write(
        "deals.csv",
        "id,at,property,buyer,phone,price,via,known_at,other_agency,contract,note\n\
         DE-1,2024-03-15 16:00,海湖路88号,王强,13800000001,1200000,broker,,,,\n\
         DE-2,2024-03-15 16:00,海湖路88号,王强,13800000001,1,200,000,owner,,,,\n\
         DE-3,2024-03-15 16:00,海湖路88号,王强,13800000001,1200000,owner,2024-04-31 09:00,,,\n",
    );
    w.write(
        "relations.csv",
        "id,at,phone,relation,other_phone,note\nF-1,2023-01-01 10:00,13800000001,agent,13800000001,\n",
    );
    assert_error(
        &w,
        &[
            "viewings.csv:2:8: 「maybe」 is not one of yes, no",
            "viewings.csv:3:5:",
            "viewings.csv:4:3:",
            "deals.csv:2:7: 「broker」 is not one of us, owner, other",
            "deals.csv:3:",
            "deals.csv:4:8: 「2024-04-31 09:00」 is not a valid time",
            "relations.csv:2:",
        ],
    );
}

#[test]
fn the_resale_example_validates() {
    let (code, out, err) = Workdir::example("resale").run(&["validate"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("账本无误"), "{out}");
}

/// R11: a handover's reason must be one of the four words, its phone a phone; `[consultants]`
/// keys are checked.
#[test]
fn bad_handover_cells_and_consultants_keys_are_named() {
    let w = Workdir::new();
    w.write(
        "handovers.csv",
        "id,at,phone,to,reason,from\nHO-1,2026-04-01 09:00,13600000001,李四,quit,张三\nHO-2,2026-04-01 10:00,123,李四,assign,\n",
    );
    assert_error(
        &w,
        &[
            "handovers.csv:2:5",
            "quit",
            "departure, reassign, request, assign",
            "handovers.csv:3:3",
        ],
    );
    let w = Workdir::new();
    let config = w.read("attrib.toml");
    w.write(
        "attrib.toml",
        &format!("{config}\n[consultants]\ndeparted_scope = \"all\"\n"),
    );
    assert_error(&w, &["consultants.departed_scope", "all"]);
}
