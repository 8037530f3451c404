//! `settle` pinned by golden CSV files, and `add`: verdicts, atomic appends under a lock,
//! refusals that change nothing.

mod common;
use common::Workdir;

const AS_OF: &str = "2026-04-30 18:00";

fn golden(name: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden")
            .join(name),
    )
    .unwrap()
}

/// `settle --month MONTH --by BY` as CSV on the example ledger, as of the end of April.
fn settle(w: &Workdir, month: &str, by: &str) -> String {
    let (code, out, err) = w.run(&[
        "--at", AS_OF, "--format", "csv", "settle", "--month", month, "--by", by,
    ]);
    assert_eq!(code, 0, "settle {month} by {by}: {err}");
    out
}

#[test]
fn settlement_of_each_month_matches_the_golden_files() {
    let w = Workdir::example("lingxiu");
    for month in ["03", "04"] {
        for by in ["line", "payee"] {
            assert_eq!(
                settle(&w, &format!("2026-{month}"), by),
                golden(&format!("settle-2026-{month}-{by}.csv")),
                "2026-{month} by {by}"
            );
        }
    }
}

#[test]
fn settlement_csv_starts_with_the_contract_columns() {
    let w = Workdir::example("lingxiu");
    for month in ["2026-03", "2026-04"] {
        let lines = settle(&w, month, "line");
        let header = lines.lines().next().unwrap();
        assert!(
            header
                == "kind,due,ref,booking,unit,buyer,phone,owner,payee,base,rate,amount,\
                line,rule,detail,broker,flags",
            "{month}: {header}"
        );
        let payees = settle(&w, month, "payee");
        assert_eq!(payees.lines().next(), Some("payee,lines,amount"), "{month}");
    }
}

#[test]
fn payee_totals_are_sums_of_the_lines() {
    let w = Workdir::example("lingxiu");
    for month in ["2026-03", "2026-04"] {
        let lines = settle(&w, month, "line");
        let mut sums: std::collections::BTreeMap<String, (usize, rust_decimal::Decimal)> =
            Default::default();
        let mut rdr = csv::Reader::from_reader(lines.as_bytes());
        for r in rdr.records() {
            let r = r.unwrap();
            let e = sums.entry(r[8].to_string()).or_default();
            e.0 += 1;
            e.1 += r[11].parse::<rust_decimal::Decimal>().unwrap();
        }
        assert!(!sums.is_empty(), "{month} has lines");
        let payees = settle(&w, month, "payee");
        let mut rdr = csv::Reader::from_reader(payees.as_bytes());
        let mut n = 0;
        for r in rdr.records() {
            let r = r.unwrap();
            let (count, sum) = sums[&r[0]];
            assert_eq!(
                (
                    r[1].parse::<usize>().unwrap(),
                    r[2].parse::<rust_decimal::Decimal>().unwrap()
                ),
                (count, sum),
                "{month} {}",
                &r[0]
            );
            n += 1;
        }
        assert_eq!(n, sums.len(), "{month}: one row per payee");
    }
}

#[test]
fn a_flagged_booking_is_marked_for_finance() {
    let w = Workdir::example("lingxiu");
    let lines = settle(&w, "2026-03", "line");
    let mut rdr = csv::Reader::from_reader(lines.as_bytes());
    let header = rdr.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (reference, flag) = (col("ref"), col("flags"));
    let flag_of = |id: &str| {
        csv::Reader::from_reader(lines.as_bytes())
            .records()
            .map(|r| r.unwrap())
            .find(|r| &r[reference] == id)
            .unwrap_or_else(|| panic!("{id} settled in March: {lines}"))[flag]
            .to_string()
    };
    assert!(
        flag_of("B-011").split(';').any(|f| f == "below-floor"),
        "below-floor booking B-011"
    );
    assert_eq!(flag_of("B-001"), "", "B-001 carries no finding");
}

#[test]
fn bom_for_excel() {
    let w = Workdir::example("lingxiu");
    let out = w
        .cmd(&[
            "--at", AS_OF, "--format", "csv", "settle", "--month", "2026-03", "--bom",
        ])
        .output()
        .unwrap();
    assert!(out.stdout.starts_with(b"\xEF\xBB\xBFkind,due,"));
}

#[test]
fn a_bad_month_is_a_usage_error() {
    let (code, _, err) =
        Workdir::example("lingxiu").run(&["--lang", "en", "settle", "--month", "2026-13"]);
    assert_eq!(code, 2, "usage error: {err}");
    assert!(err.contains("「2026-13」 is not a month"), "{err}");
}

// ---- add ----

#[test]
fn adding_a_report_for_a_protected_client_prints_why() {
    let w = Workdir::example("lingxiu");
    let (code, out, err) = w.run_now(
        "2026-04-13 09:05",
        &[
            "add",
            "report",
            "--at",
            "2026-04-13 09:00",
            "--channel",
            "链家",
            "--broker",
            "王五",
            "--client",
            "秦岚",
            "--phone",
            "139 0000 0034",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("R-031"), "next free id: {out}");
    assert!(
        out.contains("已知客户: C-037 来访 2026-04-03 10:00, 保护期至 2026-04-24"),
        "{out}"
    );
    assert!(
        w.read("reports.csv")
            .ends_with("R-031,2026-04-13 09:00,链家,王五,秦岚,13900000034,\n"),
        "the phone is stored normalised"
    );
    assert_eq!(w.run(&["validate"]).0, 0);
}

#[test]
fn add_prints_an_accepted_report_in_english_too() {
    let w = Workdir::new();
    let (code, out, err) = w.run_now(
        "2026-03-01 09:05",
        &[
            "add",
            "report",
            "--lang",
            "en",
            "--at",
            "2026-03-01 09:00",
            "--channel",
            "链家",
            "--broker",
            "王五",
            "--client",
            "张伟",
            "--phone",
            "13800138000",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("R-001") && out.contains("accepted: bring the client by 2026-03-04"),
        "{out}"
    );
    assert_eq!(
        w.read("reports.csv"),
        "id,at,channel,broker,client,phone,note\nR-001,2026-03-01 09:00,链家,王五,张伟,13800138000,\n"
    );
}

#[test]
fn add_defaults_at_to_now() {
    let w = Workdir::new();
    let (code, _, err) = w.run(&["add", "contact", "--kind", "call", "--phone", "13800138000"]);
    assert_eq!(code, 0, "{err}");
    let text = w.read("contacts.csv");
    let row = text.lines().nth(1).unwrap();
    assert!(row.starts_with("C-001,20"), "{row}");
}

#[test]
fn add_appends_a_table_to_a_toml_file_keeping_its_comments() {
    let w = Workdir::example("lingxiu");
    let (code, _, err) = w.run_now(
        "2026-04-20 10:05",
        &[
            "add",
            "relation",
            "--at",
            "2026-04-20 10:00",
            "--phone",
            "13900000034",
            "--relation",
            "parent",
            "--other-phone",
            "13900000037",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let text = w.read("relations.toml");
    assert!(text.starts_with("# 家庭关系"), "{text}");
    assert!(text.ends_with("[[relation]]\nid = \"F-002\"\nat = \"2026-04-20 10:00\"\nphone = \"13900000034\"\nrelation = \"parent\"\nother_phone = \"13900000037\"\n"), "{text}");
    assert_eq!(w.run(&["validate"]).0, 0);
}

#[test]
fn add_repairs_a_missing_final_newline() {
    let w = Workdir::new();
    w.write("voids.csv", "id,at,ref,reason,by\n");
    w.write(
        "contacts.csv",
        "id,at,kind,phone\nC-001,2026-03-01 09:00,call,13800138000",
    );
    let (code, _, err) = w.run_now(
        "2026-03-02 09:05",
        &[
            "add",
            "void",
            "--at",
            "2026-03-02 09:00",
            "--ref",
            "C-001",
            "--reason",
            "录错",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = w.run_now(
        "2026-03-03 09:05",
        &[
            "add",
            "contact",
            "--at",
            "2026-03-03 09:00",
            "--kind",
            "visit",
            "--phone",
            "13800138001",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        w.read("contacts.csv"),
        "id,at,kind,phone\nC-001,2026-03-01 09:00,call,13800138000\nC-002,2026-03-03 09:00,visit,13800138001\n"
    );
}

#[test]
fn every_refused_add_leaves_every_file_byte_identical() {
    let w = Workdir::example("lingxiu");
    let before = w.snapshot();
    // each refusal with the reason it must give: exit 2 (usage or unreadable input) and the
    // message, naming the file:line(:col) the record would have taken where there is one
    let refusals: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (
            vec![
                "add",
                "report",
                "--channel",
                "链家",
                "--broker",
                "王五",
                "--client",
                "某",
                "--phone",
                "12345",
            ],
            vec!["reports.csv:32:6: 「12345」 is not a mainland mobile number"],
        ),
        (
            vec![
                "add",
                "report",
                "--channel",
                "贝壳",
                "--broker",
                "王五",
                "--client",
                "某",
                "--phone",
                "13800138000",
            ],
            vec!["reports.csv:32: channel 「贝壳」 is not in attrib.toml"],
        ),
        (
            vec![
                "add",
                "report",
                "--id",
                "C-001",
                "--channel",
                "链家",
                "--broker",
                "王五",
                "--client",
                "某",
                "--phone",
                "13800138000",
            ],
            vec!["id 「C-001」 is already used at", "reports.csv:32"],
        ),
        (
            vec![
                "add",
                "report",
                "--at",
                "2026-13-01 09:00",
                "--channel",
                "链家",
                "--broker",
                "王五",
                "--client",
                "某",
                "--phone",
                "13800138000",
            ],
            vec!["reports.csv:32:2: 「2026-13-01 09:00」 is not a valid time"],
        ),
        (
            vec![
                "add",
                "report",
                "--channel",
                "链家",
                "--broker",
                "王五",
                "--phone",
                "13800138000",
            ],
            vec!["reports.csv:32:5: a value is required [client]"],
        ),
        (
            vec![
                "add",
                "booking",
                "--unit",
                "1",
                "--buyer",
                "某",
                "--phone",
                "13800138000",
                "--list-price",
                "2,000,000",
                "--price",
                "1",
            ],
            vec!["bookings.csv:25:7: 「2,000,000」 has a thousands separator"],
        ),
        (
            vec![
                "add",
                "booking",
                "--unit",
                "1",
                "--buyer",
                "某",
                "--phone",
                "13800138000",
                "--list-price",
                "2",
                "--price",
                "1",
                "--discount",
                "A-404",
            ],
            vec!["bookings.csv:25: 「A-404」 names no discount approval"],
        ),
        (
            vec![
                "add",
                "contact",
                "--kind",
                "visit",
                "--phone",
                "13800138000",
                "--channel",
                "链家",
            ],
            vec![
                "contacts.csv:45: a channel visit needs 「broker」",
                "contacts.csv:45: a channel visit needs 「slip」",
            ],
        ),
        (
            vec!["add", "void", "--ref", "R-404", "--reason", "x"],
            vec!["voids.csv:3: 「R-404」 names no record"],
        ),
        (
            vec!["add", "widget", "--x", "1"],
            vec!["「widget」 is not a record kind"],
        ),
        (
            vec!["add", "report", "--colour", "red"],
            vec!["unexpected argument '--colour'"],
        ),
    ];
    for (args, reasons) in refusals {
        let mut english = vec!["--lang", "en"];
        english.extend(&args);
        let (code, out, err) = w.run(&english);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        for reason in reasons {
            assert!(
                err.contains(reason),
                "{args:?}: expected 「{reason}」 in:\n{err}"
            );
        }
        if args[1] != "widget" && !args.contains(&"--colour") {
            assert!(
                err.contains("the record was refused; nothing was written"),
                "{args:?}: {err}"
            );
        }
        assert_eq!(before, w.snapshot(), "{args:?} changed a file");
    }
}

#[test]
fn a_refused_add_names_the_culprit() {
    let w = Workdir::example("lingxiu");
    let (code, _, err) = w.run(&[
        "add",
        "report",
        "--channel",
        "链家",
        "--broker",
        "王五",
        "--client",
        "某",
        "--phone",
        "12345",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("reports.csv:32:6: 「12345」不是大陆手机号"),
        "{err}"
    );
}

#[test]
fn two_processes_adding_at_once_lose_nothing() {
    let w = Workdir::new();
    let dir = w.path().to_path_buf();
    let workers: Vec<_> = (0..2)
        .map(|n| {
            let dir = dir.clone();
            std::thread::spawn(move || {
                for i in 0..100 {
                    let phone = format!("138{:08}", n * 1000 + i);
                    let out = assert_cmd::Command::cargo_bin("attrib")
                        .unwrap()
                        .env_remove("ATTRIB_LEDGER")
                        .env("ATTRIB_NOW", "2026-03-01 10:05")
                        .arg("-C")
                        .arg(&dir)
                        .args([
                            "add",
                            "contact",
                            "--at",
                            "2026-03-01 10:00",
                            "--kind",
                            "call",
                            "--phone",
                            &phone,
                        ])
                        .output()
                        .unwrap();
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            })
        })
        .collect();
    for h in workers {
        h.join().unwrap();
    }
    let text = w.read("contacts.csv");
    let rows: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(rows.len(), 200);
    let mut ids: Vec<&str> = rows.iter().map(|r| r.split(',').next().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 200, "ids are distinct");
    assert_eq!(w.run(&["validate"]).0, 0);
}

#[test]
fn add_kind_help_lists_its_columns() {
    let (code, out, _) = Workdir::new().run(&["add", "booking", "--help"]);
    assert_eq!(code, 0);
    for flag in [
        "--list-price",
        "--unit",
        "--discount",
        "default: the next free id",
    ] {
        assert!(out.contains(flag), "{flag} in {out}");
    }
    let (code, out, _) = Workdir::new().run(&["add", "--help"]);
    assert_eq!(code, 0);
    // every kind, in the one kind order (equal-time order, RULES-R10.md §2.3)
    let kinds = "void, relation, staff, delisting, direct, contact, handover, viewing, report, slip, discount, query, booking, cancellation, deal, violation, grade";
    assert!(out.contains(kinds), "{out}");
}

/// R11's staff file, added through the kinds table: `add staff` writes it (it is not one of the
/// files `init` makes), replay judges its rows, a wrong event is refused with its reason.
#[test]
fn staff_rows_are_added_and_replayed() {
    let w = Workdir::new();
    assert!(
        !w.file("staff.csv").exists(),
        "init writes only R1–R9 files"
    );
    for at in ["2026-03-31 18:00", "2026-04-01 09:00"] {
        let args = [
            "add",
            "staff",
            "--consultant",
            "张三",
            "--event",
            "leave",
            "--at",
            at,
        ];
        let (code, _, err) = w.run_now(at, &args);
        assert_eq!(code, 0, "{err}");
    }
    assert_eq!(
        w.read("staff.csv"),
        "id,at,consultant,event,note\nST-001,2026-03-31 18:00,张三,leave,\nST-002,2026-04-01 09:00,张三,leave,\n"
    );
    let (code, out, _) = w.run(&["--at", AS_OF, "--format", "json", "replay"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let staff: Vec<_> = (v.as_array().unwrap().iter())
        .filter(|r| r["kind"] == "staff")
        .map(|r| {
            (
                r["id"].as_str().unwrap(),
                r["verdict"].as_str().unwrap(),
                r["findings"].clone(),
            )
        })
        .collect();
    assert_eq!(
        staff,
        [
            ("ST-001", "recorded", serde_json::json!([])),
            ("ST-002", "recorded", serde_json::json!(["already-left"]))
        ]
    );
    let before = w.snapshot();
    let args = [
        "add",
        "staff",
        "--consultant",
        "张三",
        "--event",
        "quit",
        "--at",
        "2026-04-02 09:00",
    ];
    let (code, _, err) = w.run_now("2026-04-02 09:00", &args);
    assert_eq!(code, 2);
    assert!(
        err.contains("staff.csv:4:4: 「quit」不是可选值之一: join, leave"),
        "{err}"
    );
    assert_eq!(before, w.snapshot(), "a refused row changes nothing");
}

/// R10's viewings and deals, added through the kinds table with Chinese words: `add 看房确认单`
/// and `add 成交 --via 业主自行交易` write their files (not `init`'s), replay judges them, settle
/// owes the claim, a wrong yes/no is refused naming the row.
#[test]
fn viewings_and_deals_are_added_and_replayed() {
    let w = Workdir::new();
    assert!(
        !w.file("viewings.csv").exists(),
        "init writes only R1–R9 files"
    );
    let viewing = [
        "add",
        "看房确认单",
        "--property",
        "城西区海湖路88号3-1-1201",
        "--client",
        "王强",
        "--phone",
        "13800000001",
        "--broker",
        "李四",
        "--client-signature",
        "王强",
        "--first-viewing",
        "是",
        "--at",
        "2026-03-15 10:00",
    ];
    let (code, _, err) = w.run_now("2026-03-15 10:05", &viewing);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        w.read("viewings.csv"),
        "id,at,property,client,phone,broker,client_signature,first_viewing,no,note\n\
         VW-001,2026-03-15 10:00,城西区海湖路88号3-1-1201,王强,13800000001,李四,王强,yes,,\n"
    );
    let deal = [
        "add",
        "成交",
        "--property",
        "城西区海湖路８８号 3-1-1201",
        "--buyer",
        "王强",
        "--phone",
        "13800000001",
        "--price",
        "1200000",
        "--via",
        "业主自行交易",
        "--at",
        "2026-04-10 16:00",
    ];
    let (code, _, err) = w.run_now("2026-04-10 16:05", &deal);
    assert_eq!(code, 0, "{err}");
    assert!(w.read("deals.csv").contains(
        "DE-001,2026-04-10 16:00,城西区海湖路８８号 3-1-1201,王强,13800000001,1200000,owner,"
    ));
    // R10.6: a deal through another agency signed in January and learned of today is on time
    // (measured from --known-at); without it, it needs --late
    let mut outside = deal;
    (outside[3], outside[11], outside[13]) = ("别的某小区1-101", "别的中介", "2026-01-10 10:00");
    let (code, _, err) = w.run_now("2026-04-10 16:10", &outside);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--late"), "{err}");
    let known = [&outside[..], &["--known-at", "2026-04-10 15:00"]].concat();
    let (code, _, err) = w.run_now("2026-04-10 16:10", &known);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = w.run(&["--at", AS_OF, "--format", "json", "replay"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let judged: Vec<_> = (v.as_array().unwrap().iter())
        .filter(|r| r["kind"] == "viewing" || r["kind"] == "deal")
        .map(|r| {
            (
                r["id"].as_str().unwrap(),
                r["verdict"].as_str().unwrap(),
                r["rule"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        judged,
        [
            ("DE-002", "not-viewed", "R10.3"),
            ("VW-001", "valid", "R10.1"),
            ("DE-001", "bypass-owner", "R10.3")
        ]
    );
    let (code, out, err) = w.run(&[
        "--at", AS_OF, "--format", "csv", "settle", "--month", "2026-04",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("bypass_claim"), "{out}");
    assert!(out.contains("36000.00"), "{out}");
    let before = w.snapshot();
    let mut wrong = viewing;
    wrong[13] = "maybe";
    wrong[15] = "2026-04-11 10:00";
    let (code, _, err) = w.run_now("2026-04-11 10:05", &wrong);
    assert_eq!(code, 2);
    assert!(err.contains("viewings.csv:3:8"), "{err}");
    assert!(err.contains("yes, no"), "{err}");
    assert_eq!(before, w.snapshot(), "a refused row changes nothing");
}

/// R11's handovers file, added through the kinds table with its Chinese names (`add 归属交接
/// --reason 离职`): the handover is applied, and the booking after it is credited to the new
/// consultant (replay's `credited_consultant`).
#[test]
fn handovers_are_added_in_chinese_and_credit_the_new_consultant() {
    let w = Workdir::new();
    assert!(!w.file("handovers.csv").exists());
    w.write(
        "contacts.csv",
        "id,at,kind,phone,client,consultant\nC-001,2026-03-02 10:00,visit,13600000001,王强,张三\n",
    );
    w.write(
        "bookings.csv",
        "id,at,unit,buyer,phone,list_price,price\nB-001,2026-04-10 15:00,1-1-101,王强,13600000001,2000000,2000000\n",
    );
    let at = "2026-04-01 09:00";
    let args = [
        "add",
        "归属交接",
        "--phone",
        "13600000001",
        "--from",
        "张三",
        "--to",
        "李四",
        "--reason",
        "离职",
        "--at",
        at,
    ];
    let (code, _, err) = w.run_now(at, &args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        w.read("handovers.csv"),
        "id,at,phone,to,reason,from,by,note\nHO-001,2026-04-01 09:00,13600000001,李四,departure,张三,,\n"
    );
    let (code, out, _) = w.run(&["--at", AS_OF, "--format", "json", "replay"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = v.as_array().unwrap();
    let of = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap().clone();
    assert_eq!(of("HO-001")["verdict"], "applied");
    assert_eq!(
        of("HO-001")["consultant"],
        "张三",
        "the consultant of record before it"
    );
    assert_eq!(of("B-001")["credited_consultant"], "李四");
    assert_eq!(
        of("B-001")["consultant"],
        "张三",
        "R7's consultant is unchanged"
    );
    // a wrong reason is refused with the choices
    let before = w.snapshot();
    let args = [
        "add",
        "handover",
        "--phone",
        "13600000001",
        "--to",
        "王五",
        "--reason",
        "quit",
        "--at",
        "2026-04-02 09:00",
    ];
    let (code, _, err) = w.run_now("2026-04-02 09:00", &args);
    assert_eq!(code, 2);
    assert!(
        err.contains("departure, reassign, request, assign"),
        "{err}"
    );
    assert_eq!(w.snapshot(), before);
}

/// Without staff, handovers or `[consultants]`, replay has no `credited_consultant` (§0.1).
#[test]
fn without_r11_replay_has_no_credited_consultant() {
    let w = Workdir::example("lingxiu");
    let (code, out, _) = w.run(&["--at", AS_OF, "--format", "json", "replay"]);
    assert_eq!(code, 0);
    assert!(!out.contains("credited_consultant"));
}

/// R12's cancellations file, added through the kinds table: `add cancellation` writes it (not
/// one of `init`'s files), replay judges its rows, a booking that does not exist is refused.
#[test]
fn cancellations_are_added_and_replayed() {
    let w = Workdir::example("lingxiu");
    assert!(!w.file("cancellations.csv").exists());
    let args = [
        "add",
        "cancellation",
        "--booking",
        "B-002",
        "--reason",
        "client_breach",
        "--at",
        "2026-04-05 11:00",
    ];
    // add judges the record's time against the clock (ATTRIB_NOW): just after it
    let (code, _, err) = w.run_now("2026-04-05 11:05", &args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        w.read("cancellations.csv"),
        "id,at,booking,reason,fees,refund,by,note\nCX-001,2026-04-05 11:00,B-002,client_breach,,,,\n"
    );
    let (code, out, _) = w.run(&["--at", "2026-05-01 00:00", "--format", "json", "replay"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = v.as_array().unwrap();
    let cx = rows.iter().find(|r| r["id"] == "CX-001").unwrap();
    assert_eq!(
        (&cx["kind"], &cx["verdict"]),
        (&"cancellation".into(), &"forfeit".into())
    );
    let b = rows.iter().find(|r| r["id"] == "B-002").unwrap();
    assert!(b["findings"].to_string().contains("cancelled"), "{b}");
    let before = w.snapshot();
    let args = [
        "add",
        "cancellation",
        "--booking",
        "B-999",
        "--reason",
        "force_majeure",
        "--at",
        "2026-04-06 11:00",
    ];
    let (code, _, err) = w.run_now("2026-04-06 11:05", &args);
    assert_eq!(code, 2);
    assert!(err.contains("「B-999」没有对应的认购"), "{err}");
    assert_eq!(w.snapshot(), before, "nothing was written");
}

/// The example ledger with three cancellations (R12): B-002 by the client's breach and B-009 by
/// early termination in April, B-016 by force majeure the day after its booking.
fn with_cancellations() -> Workdir {
    let w = Workdir::example("lingxiu");
    w.write(
        "cancellations.csv",
        "id,at,booking,reason,fees,refund,by,note\n\
         CX-001,2026-04-05 11:00,B-002,client_breach,,,财务 王丽,\n\
         CX-002,2026-04-10 15:00,B-009,early_termination,5000,45000,财务 王丽,\n\
         CX-003,2026-04-06 09:00,B-016,force_majeure,,,财务 王丽,贷款未获批\n",
    );
    w
}

#[test]
fn deposits_match_the_golden_files() {
    let w = with_cancellations();
    for (month, file) in [
        (None, "deposits.csv"),
        (Some("2026-03"), "deposits-2026-03.csv"),
    ] {
        let mut args = vec!["--at", AS_OF, "--format", "csv", "deposits"];
        args.extend(month.iter().flat_map(|m| ["--month", *m]));
        let (code, out, err) = w.run(&args);
        assert_eq!(code, 0, "{err}");
        assert_eq!(out, golden(file), "{file}");
    }
}

/// R12.5 on the example: March's lines and amounts are unchanged by April's cancellations (only
/// the cancelled bookings' `flags` gain `cancelled`, RULES-R10 §7.1 S3); April gets the reversals.
#[test]
fn cancellations_reverse_lines_in_their_month_only() {
    let plain = Workdir::example("lingxiu");
    let w = with_cancellations();
    let (march, plain_march) = (
        settle(&w, "2026-03", "line"),
        settle(&plain, "2026-03", "line"),
    );
    let cut = |text: &str| -> Vec<String> {
        (text.lines())
            .map(|l| l.rsplit_once(',').unwrap().0.to_string())
            .collect()
    };
    assert_eq!(cut(&march), cut(&plain_march));
    let flags: Vec<&str> = (march.lines())
        .filter(|l| l.ends_with("cancelled"))
        .map(|l| l.split(',').nth(2).unwrap())
        .collect();
    assert_eq!(flags, ["B-002", "B-009", "B-009"]);
    let april = settle(&w, "2026-04", "line");
    let reversals: Vec<&str> = april.lines().filter(|l| l.contains("_reversal")).collect();
    assert_eq!(reversals.len(), 5, "{april}");
    assert!(
        reversals[0].starts_with("agency_fee_reversal,2026-04-05T11:00:00+08:00,CX-001,B-002,")
    );
    assert!(reversals.iter().any(|l| {
        l.starts_with("channel_commission_reversal,2026-04-10T15:00:00+08:00,CX-002,B-009,")
    }));
    // B-016 booked and cancelled in April: its fee and commission and their reversals net to zero
    let b016: Vec<&str> = april.lines().filter(|l| l.contains(",B-016,")).collect();
    assert_eq!(b016.len(), 4, "{april}");
    let amount = |l: &str| l.split(',').nth(11).unwrap().parse::<f64>().unwrap();
    assert_eq!(b016.iter().map(|l| amount(l)).sum::<f64>(), 0.0);
}

/// The cells of a table's last row (the line above its bottom border).
fn last_row(table: &str) -> Vec<String> {
    let rows: Vec<&str> = table.lines().collect();
    let bottom = (rows.iter())
        .rposition(|l| l.starts_with('└'))
        .unwrap_or_else(|| panic!("a table: {table}"));
    (rows[bottom - 1].split(['│', '┆']))
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect()
}

#[test]
fn the_settle_table_and_payee_table_end_with_a_total_row() {
    let w = Workdir::example("lingxiu");
    // March: 伟业 524 673.75 (15) + 链家 19 700.00 (1) − 我爱我家 15 000.00 (2)
    // − 房多多 90 000.00 (1) = 439 373.75 in 19 lines; April 469 570.00 in 16
    for (month, n, total) in [
        ("2026-03", "19", "439373.75"),
        ("2026-04", "16", "469570.00"),
    ] {
        for (lang, word, label) in [
            ("en", "total", format!("total, {n} lines")),
            ("zh", "合计", format!("合计 {n} 笔")),
        ] {
            let (code, out, err) = w.run(&[
                "--at", AS_OF, "--lang", lang, "settle", "--month", month, "--by", "payee",
            ]);
            assert_eq!(code, 0, "{err}");
            assert_eq!(last_row(&out), [word, n, total], "{month} {lang}: {out}");

            // wide enough for the twelve columns as a table, not cards
            let out = w
                .cmd(&["--at", AS_OF, "--lang", lang, "settle", "--month", month])
                .env("COLUMNS", "400")
                .output()
                .unwrap();
            let out = String::from_utf8(out.stdout).unwrap();
            assert_eq!(
                last_row(&out),
                [label.as_str(), total],
                "{month} {lang}: {out}"
            );
        }
        // scripts sum the CSV: it has no total row
        for by in ["line", "payee"] {
            let csv = settle(&w, month, by);
            assert!(!csv.contains("total") && !csv.contains("合计"), "{csv}");
        }
    }
}

/// `settle --from FROM --to TO --by BY` as CSV on the example ledger, as of the end of April.
fn settle_range(w: &Workdir, from: &str, to: &str, by: &str) -> String {
    let (code, out, err) = w.run(&[
        "--at", AS_OF, "--format", "csv", "settle", "--from", from, "--to", to, "--by", by,
    ]);
    assert_eq!(code, 0, "settle {from}..{to} by {by}: {err}");
    out
}

#[test]
fn a_run_of_months_is_its_months_one_after_the_other() {
    let w = Workdir::example("lingxiu");
    let (march, april) = (settle(&w, "2026-03", "line"), settle(&w, "2026-04", "line"));
    let rows = |csv: &str| csv.lines().skip(1).map(str::to_string).collect::<Vec<_>>();
    let header = march.lines().next().unwrap().to_string();
    let both: Vec<String> = std::iter::once(header)
        .chain(rows(&march))
        .chain(rows(&april))
        .collect();
    // the example ledger's lines fall in March and April: a quarter, a year, or just the two
    for (from, to) in [
        ("2026-03", "2026-04"),
        ("2026-01", "2026-06"),
        ("2026-01", "2026-12"),
    ] {
        let range = settle_range(&w, from, to, "line");
        assert_eq!(range.lines().collect::<Vec<_>>(), both, "{from}..{to}");
    }
    // a run of one month is that month
    assert_eq!(settle_range(&w, "2026-03", "2026-03", "line"), march);
    assert_eq!(
        settle_range(&w, "2026-04", "2026-04", "payee"),
        settle(&w, "2026-04", "payee")
    );
    assert_eq!(
        rows(&settle_range(&w, "2025-01", "2026-02", "line")),
        Vec::<String>::new()
    );

    // per payee over the run: the months' counts and amounts added
    let mut sums: Vec<(String, usize, rust_decimal::Decimal)> = vec![];
    for month in ["2026-03", "2026-04"] {
        for r in csv::Reader::from_reader(settle(&w, month, "payee").as_bytes()).records() {
            let r = r.unwrap();
            let (n, a) = (r[1].parse::<usize>().unwrap(), r[2].parse().unwrap());
            match sums.iter_mut().find(|(p, _, _)| p == &r[0]) {
                Some(s) => (s.1, s.2) = (s.1 + n, s.2 + a),
                None => sums.push((r[0].to_string(), n, a)),
            }
        }
    }
    let quarter = settle_range(&w, "2026-01", "2026-06", "payee");
    let got: Vec<(String, usize, rust_decimal::Decimal)> =
        (csv::Reader::from_reader(quarter.as_bytes()).records())
            .map(|r| {
                let r = r.unwrap();
                (
                    r[0].to_string(),
                    r[1].parse().unwrap(),
                    r[2].parse().unwrap(),
                )
            })
            .collect();
    assert_eq!(got, sums, "{quarter}");
}

#[test]
fn a_run_of_months_needs_both_ends_in_order_and_not_with_month() {
    let w = Workdir::example("lingxiu");
    for (args, says) in [
        (
            &["--from", "2026-04", "--to", "2026-03"][..],
            "is before --from",
        ),
        (&["--from", "2026-03"][..], "--to"),
        (&["--to", "2026-03"][..], "--from"),
        (
            &["--month", "2026-03", "--from", "2026-03", "--to", "2026-04"][..],
            "cannot be used",
        ),
        (&[][..], "--month"),
        (
            &["--from", "2026-13", "--to", "2026-14"][..],
            "is not a month",
        ),
    ] {
        let mut all = vec!["--lang", "en", "--at", AS_OF, "settle"];
        all.extend(args);
        let (code, out, err) = w.run(&all);
        assert_eq!(code, 2, "{args:?} is a usage error: {out}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
}
