//! Hostile and accidental inputs (issue 18): each fed to the CLI, asserting the message
//! (`file:line` and the complaint) and, for `add`, that the ledger's bytes are unchanged.

mod common;
use common::Workdir;

const REPORTS: &str = "id,at,channel,broker,client,phone\n";

/// `attrib ARGS` that must fail with `code` and leave every file as it was; returns stderr.
fn refused(w: &Workdir, args: &[&str], code: i32) -> String {
    let before = w.snapshot();
    let mut english = vec!["--lang", "en"];
    english.extend(args);
    let (got, out, err) = w.run_now(NOW, &english);
    assert_eq!(got, code, "{args:?}\nstdout: {out}\nstderr: {err}");
    assert_eq!(before, w.snapshot(), "{args:?} changed a file");
    err
}

fn assert_has(text: &str, expected: &str) {
    assert!(
        text.contains(expected),
        "expected 「{expected}」 in:\n{text}"
    );
}

/// The clock for `add` (ATTRIB_NOW): just after `ADD_REPORT`'s time, so it is neither in the
/// future nor late.
const NOW: &str = "2026-03-02 09:05";

const ADD_REPORT: &[&str] = &[
    "add",
    "report",
    "--at",
    "2026-03-02 09:00",
    "--channel",
    "链家",
    "--broker",
    "王五",
    "--client",
    "某",
    "--phone",
    "13900139000",
];

// 1. Lost rows

#[test]
fn an_unclosed_quote_at_the_end_of_the_file_is_an_error_where_it_opened() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!(
            "{REPORTS}R-1,2026-03-01 09:00,链家,王五,\"张伟,13800138000\n\
             R-2,2026-03-01 10:00,链家,王五,李四,13800138001\n\
             R-3,2026-03-01 11:00,链家,王五,赵六,13800138002\n"
        ),
    );
    let err = refused(&w, &["validate"], 1);
    assert_has(&err, "reports.csv:2: unclosed quote");
    assert_has(&err, "runs to the end of the file");
    let err = refused(&w, ADD_REPORT, 2);
    assert_has(&err, "reports.csv:2: unclosed quote");
    assert_has(&err, "nothing was written");
}

#[test]
fn an_unclosed_quote_ended_by_a_later_quote_is_an_error_where_it_opened() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!(
            "{REPORTS}R-1,2026-03-01 09:00,链家,王五,张伟,13800138000\n\
             R-2,2026-03-01 10:00,链家,王五,\"李四,13800138001\n\
             R-3,2026-03-01 11:00,链家,王五,赵六,13800138002\n\
             R-4,2026-03-01 12:00,链家,王五,\"钱七\",13800138003\n"
        ),
    );
    let err = refused(&w, &["validate"], 1);
    assert_has(
        &err,
        "reports.csv:3: unclosed quote: the quoted cell opened on this line ends on line 5 with 「钱七\"」 after its closing quote, taking the rows of lines 4–5 into it",
    );
    let err = refused(&w, ADD_REPORT, 2);
    assert_has(&err, "reports.csv:3: unclosed quote");
}

#[test]
fn an_unclosed_quote_in_the_header_is_an_error_on_line_one() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        "id,at,channel,broker,client,\"phone\nR-1,2026-03-01 09:00,链家,王五,张伟,13800138000\n",
    );
    let err = refused(&w, &["validate"], 1);
    assert_has(&err, "reports.csv:1: unclosed quote");
    refused(&w, ADD_REPORT, 2);
}

#[test]
fn a_closed_multi_line_quoted_cell_is_still_read() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!("{REPORTS}R-1,2026-03-01 09:00,链家,王五,\"张\n伟\",13800138000\n"),
    );
    let (code, out, err) = w.run(&["validate"]);
    assert_eq!(code, 0, "{err}");
    assert_has(&out, "1 条记录");
}

// 2. Money that flips sign

const BOOKINGS: &str = "id,at,unit,buyer,phone,area,list_price,price,deposit\n";
const VIOLATIONS: &str = "id,at,kind,channel,broker,persons,phone,damages\n";

#[test]
fn negative_money_in_ledger_rows_is_refused_naming_the_field() {
    let w = Workdir::new();
    w.write(
        "bookings.csv",
        &format!(
            "{BOOKINGS}B-1,2026-03-01 09:00,1-101,张伟,13800138000,-90,2000000,1900000,\n\
             B-2,2026-03-01 10:00,1-102,李四,13800138001,90,-2000000,1900000,\n\
             B-3,2026-03-01 11:00,1-103,赵六,13800138002,90,2000000,-1900000,\n\
             B-4,2026-03-01 12:00,1-104,钱七,13800138003,90,2000000,1900000,-50000\n\
             B-5,2026-03-01 13:00,1-105,孙八,13800138004,90,0,1900000,\n"
        ),
    );
    w.write(
        "violations.csv",
        &format!(
            "{VIOLATIONS}V-1,2026-03-01 09:00,order_swap,链家,王五,1,,-3000\n\
             V-2,2026-03-01 10:00,false_info,链家,王五,0,,\n\
             V-3,2026-03-01 11:00,false_info,链家,王五,4294967295,,\n"
        ),
    );
    let err = refused(&w, &["validate"], 1);
    for expected in [
        "bookings.csv:2:6: 「-90」 is negative",
        "bookings.csv:3:7: 「-2000000」 is negative; amounts, prices, deposits, damages and areas are never negative",
        "[list_price]",
        "bookings.csv:4:8: 「-1900000」 is negative",
        "bookings.csv:5:9: 「-50000」 is negative",
        "bookings.csv:6: the list price is 0",
        "violations.csv:2:8: 「-3000」 is negative",
        "violations.csv:3:6: 「0」 must be at least 1 [persons]",
        "violations.csv:4:6: 「4294967295」 is too large (at most 10000) [persons]",
    ] {
        assert_has(&err, expected);
    }
}

#[test]
fn negative_money_in_the_config_is_refused_naming_the_key() {
    let w = Workdir::new();
    let config = common::CONFIG
        .replace(
            "unit_agency_fee = \"30000\"",
            "unit_agency_fee = \"-30000\"",
        )
        .replace("commission = \"20000\"", "commission = \"-20000\"");
    w.write("attrib.toml", &config);
    let err = refused(&w, &["validate"], 1);
    assert_has(&err, "penalties.unit_agency_fee");
    assert_has(&err, "「-30000」 is negative");
    assert_has(&err, "channel 「我爱我家」 commission");
    assert_has(&err, "「-20000」 is negative");
}

#[test]
fn add_refuses_a_negative_price_and_writes_nothing() {
    let w = Workdir::new();
    w.write("bookings.csv", BOOKINGS);
    let err = refused(
        &w,
        &[
            "add",
            "booking",
            "--at",
            "2026-03-02 09:00",
            "--unit",
            "1-101",
            "--buyer",
            "张伟",
            "--phone",
            "13800138000",
            "--list-price",
            "2000000",
            "--price=-1900000",
        ],
        2,
    );
    assert_has(&err, "bookings.csv:2:8: 「-1900000」 is negative");
}

// 3. Slow paths

/// A report voided by voided by X-2, … X-n voided by nobody.
fn void_chain(n: usize) -> String {
    let mut text = String::from("id,at,ref,reason\n");
    for i in 1..=n {
        let target = if i == 1 {
            "R-1".to_string()
        } else {
            format!("X-{}", i - 1)
        };
        text += &format!("X-{i},2026-03-02 09:00,{target},错录\n");
    }
    text
}

#[test]
fn a_chain_of_5000_voids_of_voids_alternates_voided_and_revived() {
    let n = 5000;
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!("{REPORTS}R-1,2026-03-01 09:00,链家,王五,张伟,13800138000\n"),
    );
    w.write("voids.csv", &void_chain(n));
    let (code, out, err) = w.run(&["validate"]);
    assert_eq!(code, 0, "{err}");
    assert_has(&out, "5001 条记录");
    let (code, out, err) = w.run(&["--at", "2026-03-03 09:00", "replay", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let verdicts: serde_json::Value = serde_json::from_str(&out).unwrap();
    let verdict = |id: &str| -> String {
        let v = (verdicts.as_array().unwrap().iter())
            .find(|v| v["id"] == id)
            .unwrap_or_else(|| panic!("{id} replayed"));
        v["verdict"].as_str().unwrap().to_string()
    };
    // X-n stands, so X-(n-1) is voided, X-(n-2) revived, …: X-k is voided when n-k is odd
    for k in [1, 2, 3, 2500, 2501, n - 1, n] {
        let expected = (n - k) % 2 == 1;
        assert_eq!(verdict(&format!("X-{k}")) == "voided", expected, "X-{k}");
    }
    // X-1 is voided (n-1 odd), so the report is revived
    assert_ne!(verdict("R-1"), "voided");
}

#[test]
fn a_cycle_at_the_end_of_a_long_chain_of_voids_is_an_error() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!("{REPORTS}R-1,2026-03-01 09:00,链家,王五,张伟,13800138000\n"),
    );
    // X-1 names X-3000 instead of R-1: every void of the chain is in the cycle
    w.write(
        "voids.csv",
        &void_chain(3000).replacen(",R-1,", ",X-3000,", 1),
    );
    let err = refused(&w, &["validate"], 1);
    assert_has(
        &err,
        "voids.csv:2: void 「X-1」 is part of a cycle of voids",
    );
    assert_has(&err, "voids.csv: … and 2980 more of the same");
    let err = refused(&w, &["validate", "--all"], 1);
    assert_has(
        &err,
        "voids.csv:3001: void 「X-3000」 is part of a cycle of voids",
    );
}

// 4. Ids that wrap

#[test]
fn the_id_after_the_largest_u64_continues_and_does_not_wrap() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!(
            "{REPORTS}R-18446744073709551615,2026-03-01 09:00,链家,王五,张伟,13800138000\n\
             R-99999999999999999999999,2026-03-01 09:10,链家,王五,张伟,13800138000\n"
        ),
    );
    let (code, out, err) = w.run_now(NOW, ADD_REPORT);
    assert_eq!(code, 0, "{err}");
    assert_has(&out, "R-100000000000000000000000");
    assert_has(
        &w.read("reports.csv"),
        "\nR-100000000000000000000000,2026-03-02 09:00,",
    );
    let (code, out, err) = w.run_now(NOW, ADD_REPORT);
    assert_eq!(code, 0, "{err}");
    assert_has(&out, "R-100000000000000000000001");
}

#[test]
fn next_ids_count_on_from_the_highest_number() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!(
            "{REPORTS}R-009,2026-03-01 09:00,链家,王五,张伟,13800138000\n\
             R-x12,2026-03-01 09:10,链家,王五,张伟,13800138000\n"
        ),
    );
    let (code, out, err) = w.run_now(NOW, ADD_REPORT);
    assert_eq!(code, 0, "{err}");
    assert_has(&out, "R-010");
}

// 5. Files that block

#[test]
fn an_empty_or_blank_csv_file_has_no_rows_and_the_first_add_writes_its_header() {
    for old in ["", "\n\n  \r\n", "\u{feff}"] {
        let w = Workdir::new();
        w.write("reports.csv", old);
        let (code, out, err) = w.run(&["validate"]);
        assert_eq!(code, 0, "{old:?}: {err}");
        assert_has(&out, "0 条记录");
        let (code, _, err) = w.run_now(NOW, ADD_REPORT);
        assert_eq!(code, 0, "{old:?}: {err}");
        assert_eq!(
            w.read("reports.csv"),
            "id,at,channel,broker,client,phone,note\nR-001,2026-03-02 09:00,链家,王五,某,13900139000,\n"
        );
        let (code, out, err) = w.run(&["validate"]);
        assert_eq!(code, 0, "{err}");
        assert_has(&out, "1 条记录");
    }
}

#[test]
fn a_new_kind_file_is_created_whole_with_no_temporary_file_left() {
    let w = Workdir::new();
    let (code, _, err) = w.run_now(NOW, ADD_REPORT);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        w.read("reports.csv"),
        "id,at,channel,broker,client,phone,note\nR-001,2026-03-02 09:00,链家,王五,某,13900139000,\n"
    );
    let names: Vec<String> = std::fs::read_dir(w.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".attrib.lock" && n != ".gitignore")
        .collect();
    let mut names = names;
    names.sort();
    assert_eq!(names, ["attrib.toml", "reports.csv"]);
}

// 6. Symlinks, devices and FIFOs

#[cfg(unix)]
#[test]
fn ledger_files_that_are_devices_fifos_or_links_out_of_the_folder_are_refused() {
    use std::os::unix::fs::symlink;
    let outside = Workdir::empty();
    outside.write("secret.csv", "id,at\nsecret line\n");
    type Make<'a> = Box<dyn Fn(&Workdir) + 'a>;
    let cases: Vec<(&str, Make, String)> = vec![
        (
            "device",
            Box::new(|w: &Workdir| symlink("/dev/zero", w.file("reports.csv")).unwrap()),
            "reports.csv: is a symbolic link to /dev/zero, outside the ledger folder; refused"
                .into(),
        ),
        (
            "fifo",
            Box::new(|w: &Workdir| {
                let ok = std::process::Command::new("mkfifo")
                    .arg(w.file("reports.csv"))
                    .status()
                    .unwrap();
                assert!(ok.success());
            }),
            "reports.csv: is not a regular file (a FIFO); refused".into(),
        ),
        (
            "outside",
            Box::new(|w: &Workdir| {
                symlink(outside.file("secret.csv"), w.file("reports.csv")).unwrap()
            }),
            "outside the ledger folder; refused".into(),
        ),
        (
            "folder",
            Box::new(|w: &Workdir| std::fs::create_dir(w.file("reports.csv")).unwrap()),
            "reports.csv: is not a regular file (a folder); refused".into(),
        ),
    ];
    for (what, make, expected) in cases {
        let w = Workdir::new();
        make(&w);
        let err = refused(&w, &["validate"], 2);
        assert_has(&err, &expected);
        assert!(!err.contains("secret line"), "{what}: {err}");
        let err = refused(&w, ADD_REPORT, 2);
        assert_has(&err, &expected);
    }
}

#[test]
fn a_ledger_file_over_the_size_cap_is_refused_unread() {
    let w = Workdir::new();
    let f = std::fs::File::create(w.file("reports.csv")).unwrap();
    f.set_len(3 << 30).unwrap(); // sparse: nothing is written
    for args in [&["validate"][..], ADD_REPORT] {
        let (code, _, err) = w.run(&[&["--lang", "en"][..], args].concat());
        assert_eq!(code, 2, "{err}");
        assert_has(
            &err,
            "reports.csv: is 3221225472 bytes, more than the 2147483648 a ledger file may hold; refused",
        );
    }
    assert_eq!(
        std::fs::metadata(w.file("reports.csv")).unwrap().len(),
        3 << 30
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_to_a_file_inside_the_folder_is_read() {
    let w = Workdir::new();
    std::fs::create_dir(w.file("data")).unwrap();
    w.write(
        "data/reports.csv",
        &format!("{REPORTS}R-1,2026-03-01 09:00,链家,王五,张伟,13800138000\n"),
    );
    std::os::unix::fs::symlink("data/reports.csv", w.file("reports.csv")).unwrap();
    let (code, out, err) = w.run(&["validate"]);
    assert_eq!(code, 0, "{err}");
    assert_has(&out, "1 条记录");
}

#[cfg(unix)]
#[test]
fn a_dangling_lock_symlink_does_not_block_add() {
    let w = Workdir::new();
    std::os::unix::fs::symlink("/nonexistent/attrib-lock", w.file(".attrib.lock")).unwrap();
    let (code, out, err) = w.run_now(NOW, ADD_REPORT);
    assert_eq!(code, 0, "{err}");
    assert_has(&out, "R-001");
    let meta = std::fs::symlink_metadata(w.file(".attrib.lock")).unwrap();
    assert!(meta.is_file(), "the link is replaced by a plain lock file");
}

// 7. Waiting without a word

#[test]
fn add_says_who_holds_the_lock_and_gives_up_after_the_timeout() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!("{REPORTS}R-1,2026-03-01 09:00,链家,王五,张伟,13800138000\n"),
    );
    let held = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .open(w.file(".attrib.lock"))
        .unwrap();
    held.lock().unwrap();
    std::fs::write(
        w.file(".attrib.lock"),
        "process 4242 since 2026-12-02 07:00:00 UTC\n",
    )
    .unwrap();
    let mut args = ADD_REPORT.to_vec();
    args.extend(["--lock-timeout", "1.5"]);
    let start = std::time::Instant::now();
    let err = refused(&w, &args, 2);
    assert!(start.elapsed() >= std::time::Duration::from_millis(1500));
    assert_has(
        &err,
        "attrib: waiting for the ledger's lock, held by process 4242 since 2026-12-02 07:00:00 UTC (giving up after 1.5 s)",
    );
    assert_has(
        &err,
        ".attrib.lock: the ledger is locked by process 4242 since 2026-12-02 07:00:00 UTC; gave up after 1.5 s (--lock-timeout) — nothing was written",
    );
    drop(held);
    let (code, _, err) = w.run_now(NOW, ADD_REPORT);
    assert_eq!(code, 0, "{err}");
    let holder = w.read(".attrib.lock");
    assert!(
        holder.starts_with("process "),
        "the holder writes who it is: {holder}"
    );
}

#[test]
fn a_bad_lock_timeout_is_a_usage_error() {
    let w = Workdir::new();
    let mut args = ADD_REPORT.to_vec();
    args.push("--lock-timeout=soon");
    let err = refused(&w, &args, 2);
    assert_has(&err, "--lock-timeout: 「soon」 is not a number of seconds");
}

#[test]
fn init_lists_the_lock_file_in_gitignore() {
    let w = Workdir::empty();
    w.write(".gitignore", "target/");
    // init needs the project's names (issue 14): they are given here
    let init = [
        "init",
        "--project",
        "P",
        "--developer",
        "D",
        "--agency",
        "A",
    ];
    let (code, _, err) = w.run(&init);
    assert_eq!(code, 0, "{err}");
    assert_eq!(w.read(".gitignore"), "target/\n.attrib.lock\n");
    let w = Workdir::empty();
    let (code, _, err) = w.run(&init);
    assert_eq!(code, 0, "{err}");
    assert_eq!(w.read(".gitignore"), ".attrib.lock\n");
}

// 8. Files silently ignored

#[test]
fn files_a_clerk_meant_to_fill_are_warned_about() {
    let row = "R-1,2026-03-01 09:00,链家,王五,张伟,13800138000\n";
    for (name, meant) in [
        ("Reports.csv", "reports.csv"),
        ("report.csv", "reports.csv"),
        ("reports.CSV", "reports.csv"),
        ("reports.txt", "reports.csv"),
        ("Voids.toml", "voids.toml"),
        ("Attrib.toml", "attrib.toml"),
    ] {
        let w = Workdir::new();
        w.write(name, &format!("{REPORTS}{row}"));
        for args in [&["validate"][..], &["replay"][..], ADD_REPORT] {
            let (code, _, err) = w.run_now(NOW, &[&["--lang", "en"][..], args].concat());
            assert_eq!(code, 0, "{name}: {err}");
            assert_has(
                &err,
                &format!("attrib: warning: {name} is not read (did you mean {meant}?)"),
            );
        }
    }
}

#[test]
fn both_formats_of_a_kind_are_an_error() {
    let w = Workdir::new();
    w.write("reports.csv", REPORTS);
    w.write("reports.toml", "");
    let err = refused(&w, &["validate"], 1);
    assert_has(
        &err,
        "reports.csv: both reports.csv and reports.toml exist; keep one",
    );
}

// 9. Error caps

#[test]
fn one_error_repeated_in_a_file_is_shown_20_times_then_counted() {
    let w = Workdir::new();
    let extra: String = (1..=100_000).map(|i| format!(",x{i}")).collect();
    w.write(
        "reports.csv",
        &format!("id,at,channel,broker,client,phone{extra}\n"),
    );
    let bad: String = (1..=25)
        .map(|i| format!("X-{i},2026-13-01 09:00,R-1,错录\n"))
        .collect();
    w.write("voids.csv", &format!("id,at,ref,reason\n{bad}"));
    let err = refused(&w, &["validate"], 1);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains("unknown column"))
            .count(),
        21
    );
    assert_has(&err, "reports.csv:1: unknown column 「x20」");
    assert!(!err.contains("「x21」"), "{}", &err[..2000]);
    assert_has(
        &err,
        "reports.csv: … and 99980 more of the same as 「unknown column 「x1」",
    );
    assert_has(&err, "(attrib validate --all shows each)");
    assert_has(
        &err,
        "voids.csv:21:2: 「2026-13-01 09:00」 is not a valid time",
    );
    assert!(!err.contains("voids.csv:22:2"));
    assert_has(&err, "voids.csv: … and 5 more of the same");
    assert_has(&err, "100025 error(s)");
    let err = refused(&w, &["validate", "--all"], 1);
    let unknown = err.lines().filter(|l| l.contains("unknown column")).count();
    assert_eq!(unknown, 100_000);
    assert_has(&err, "voids.csv:26:2:");
    assert!(!err.contains("more of the same"));
}

#[test]
fn a_misnamed_file_with_control_characters_is_named_escaped() {
    let w = Workdir::new();
    w.write("report.csv\u{1b}[2J", REPORTS);
    w.write("reports.CSV", REPORTS);
    let (code, _, err) = w.run(&["--lang", "en", "validate"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert_has(&err, "attrib: warning: reports.CSV is not read");
    assert_has(
        &err,
        "attrib: warning: report.csv\\u{1b}[2J is not read (did you mean reports.csv?)",
    );
}

// 2. Terminal escape injection

/// A report whose broker and client hold ESC sequences, a bell and a zero-width space.
const ESCAPING_REPORT: &str =
    "R-1,2026-03-02 09:00,链家,王\u{1b}[2J五,张\u{200b}伟\u{1b}]0;x\u{7},13900139000\n";

#[test]
fn control_characters_from_the_ledger_are_shown_escaped_in_human_output() {
    let w = Workdir::new();
    w.write("reports.csv", &format!("{REPORTS}{ESCAPING_REPORT}"));
    let at = ["--at", "2026-03-03 09:00"];
    for args in [&["check", "13900139000"][..], &["find", "张"], &["replay"]] {
        let (code, out, err) = w.run(&[&at[..], args].concat());
        assert!(code == 0 || code == 1, "{args:?}: {err}");
        for bad in ['\u{1b}', '\u{7}', '\u{200b}'] {
            assert!(!out.contains(bad), "{args:?} printed {bad:?} raw:\n{out:?}");
        }
        if args[0] != "replay" {
            assert_has(&out, "王\\u{1b}[2J五");
            assert_has(&out, "张\\u{200b}伟\\u{1b}]0;x\\u{7}");
        }
    }
    // JSON escapes itself and keeps the text; find's JSON names the client as written
    let (_, out, _) = w.run(&[&at[..], &["find", "张", "--format", "json"]].concat());
    assert_has(&out, "\\u001b]0;x\\u0007");
}

#[test]
fn validate_warns_on_control_and_invisible_characters_naming_file_line_and_column() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!("{REPORTS}{ESCAPING_REPORT}R-2,2026-03-02 10:00,链家,王五,李\u{0}四\u{202e},13900139001\n"),
    );
    let (code, out, err) = w.run(&["--lang", "en", "validate"]);
    assert_eq!(code, 0, "{err}");
    assert_has(&out, "ok: 2 records");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{0}'), "{err:?}");
    for expected in [
        "attrib: warning: reports.csv:2:4: control character \\u{1b} in a cell",
        "attrib: warning: reports.csv:2:5: zero-width character \\u{200b} in a cell",
        "attrib: warning: reports.csv:2:5: control character \\u{7} in a cell",
        "attrib: warning: reports.csv:3:5: NUL character \\u{0} in a cell",
        "attrib: warning: reports.csv:3:5: bidi override character \\u{202e} in a cell",
    ] {
        assert_has(&err, expected);
    }
}

// 3. Relation chains

/// A family of `n` + 1 phones made by `n` relations written from the last phone down, so every
/// merge joins the family at its front (the members must stay sorted, the smallest first).
fn relation_chain_backwards(n: usize) -> String {
    let mut text = String::from("id,at,phone,relation,other_phone\n");
    for i in (1..=n).rev() {
        text.push_str(&format!(
            "F-{i},2026-03-01 08:00,139{:08},spouse,139{:08}\n",
            i + 1,
            i
        ));
    }
    text
}

#[test]
fn a_long_chain_of_relations_is_one_family_listed_in_order() {
    let w = Workdir::new();
    w.write("relations.csv", &relation_chain_backwards(2000));
    // a report on the last phone of the chain makes the whole family 链家's
    w.write(
        "reports.csv",
        &format!("{REPORTS}R-1,2026-03-02 09:00,链家,王五,张伟,13900002001\n"),
    );
    let (code, out, err) = w.run(&["--at", "2026-03-03 09:00", "check", "13900000001"]);
    assert_eq!(code, 0, "{err}");
    assert_has(&out, "链家 王五 (R2.4 报备 R-1)");
    // the family's line, with its wrapped continuations: every phone once, smallest first
    let start = out
        .find("家庭:")
        .unwrap_or_else(|| panic!("no family line in:\n{out}"));
    let family: Vec<&str> = (out[start..].lines())
        .take_while(|l| l.starts_with("家庭:") || l.starts_with(' '))
        .flat_map(|l| l.split([' ', '·']))
        .filter(|word| word.starts_with("139****"))
        .collect();
    let want: Vec<String> = (1..=2001).map(|i| format!("139****{i:04}")).collect();
    assert_eq!(family, want);
}

// 4. Phones in machine output

#[test]
fn mask_masks_phones_in_csv_and_json_which_are_whole_without_it() {
    let w = Workdir::example("lingxiu");
    let at = ["--at", "2026-04-05 09:00"];
    let run = |args: &[&str]| {
        let (code, out, err) = w.run(&[&at[..], args].concat());
        assert!(code == 0 || code == 1, "{args:?}: {err}");
        out
    };
    let settle = ["settle", "--month", "2026-03", "--format", "csv"];
    let whole = run(&settle);
    assert_has(&whole, ",陈刚,13900000005,");
    let masked = run(&[&settle[..], &["--mask"]].concat());
    assert_has(&masked, ",陈刚,139****0005,");
    assert!(!masked.contains("13900000005"), "{masked}");
    // every other byte is the same
    assert_eq!(masked, whole.replace("1390000", "139****"));
    for args in [
        &["replay", "--format", "csv", "--mask"][..],
        &["replay", "--format", "json", "--mask"],
        &["check", "13900000005", "--format", "json", "--mask"],
        &["find", "陈刚", "--format", "json", "--mask"],
        &["clients", "--format", "csv", "--mask"],
    ] {
        let out = run(args);
        assert_has(&out, "139****00");
        assert!(
            !out.contains("1390000000") && !out.contains("1390000001"),
            "{args:?} printed a whole phone:\n{out}"
        );
    }
    assert_has(
        &run(&["check", "13900000005", "--format", "json"]),
        "\"13900000005\"",
    );
}

// 5. Odd values

#[test]
fn a_relation_of_a_phone_to_itself_is_an_error_naming_the_row() {
    let w = Workdir::new();
    w.write(
        "relations.csv",
        "id,at,phone,relation,other_phone\nF-1,2026-03-01 08:00,13900139000,spouse,13900139001\nF-2,2026-03-01 08:00,13900139000,spouse,139-0013-9000\n",
    );
    let err = refused(&w, &["validate"], 1);
    assert_has(
        &err,
        "relations.csv:3: the relation links 「13900139000」 to itself; a relation joins two different phones (R1): write the other member's phone [other_phone]",
    );
    assert!(!err.contains("relations.csv:2:"), "{err}");
    // add refuses one too, writing nothing
    let w = Workdir::new();
    let err = refused(
        &w,
        &[
            "add",
            "relation",
            "--at",
            "2026-03-02 09:00",
            "--phone",
            "13900139000",
            "--relation",
            "spouse",
            "--other-phone",
            "13900139000",
        ],
        2,
    );
    assert_has(&err, "to itself");
}

#[test]
fn years_0000_and_9999_are_refused_in_times() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!(
            "{REPORTS}R-1,9999-12-31 09:00,链家,王五,某,13900139000\nR-2,0000-01-01T09:00:00+08:00,链家,王五,某,13900139001\nR-3,2026-03-02 09:00,链家,王五,某,13900139002\n"
        ),
    );
    let err = refused(&w, &["validate"], 1);
    assert_has(
        &err,
        "reports.csv:2:2: 「9999-12-31 09:00」 has the year 9999, outside 1970–2199 (a placeholder such as 0000 or 9999? write the real time)",
    );
    assert_has(
        &err,
        "reports.csv:3:2: 「0000-01-01T09:00:00+08:00」 has the year 0000",
    );
    assert!(!err.contains("reports.csv:4:"), "{err}");
    assert_has(&err, "2 error(s)");
    // --at too
    let w = Workdir::new();
    let err = refused(&w, &["--at", "9999-01-01 09:00", "replay"], 2);
    assert_has(&err, "--at: 「9999-01-01 09:00」 has the year 9999");
}

#[test]
fn an_invisible_character_in_a_phone_is_an_error_showing_it_escaped() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!("{REPORTS}R-1,2026-03-02 09:00,链家,王五,某,13900139000\u{200b}\nR\u{200b}-2,2026-03-02 09:00,链家,王五,某,1390013\u{1b}[2J9001\n"),
    );
    let err = refused(&w, &["validate"], 1);
    assert!(
        !err.contains('\u{200b}') && !err.contains('\u{1b}'),
        "{err:?}"
    );
    assert_has(
        &err,
        "reports.csv:2:6: 「13900139000\\u{200b}」 is not a mainland mobile number",
    );
    assert_has(
        &err,
        "reports.csv:3:6: 「1390013\\u{1b}[2J9001」 is not a mainland mobile number",
    );
    assert_has(
        &err,
        "attrib: warning: reports.csv:3:1: zero-width character \\u{200b} in a cell",
    );
}

#[test]
fn validate_warns_on_spaces_around_ids_and_phones_naming_the_row() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!("{REPORTS}  R-3 ,2026-03-02 09:00,链家,王五,某, 13900139002\nR-4,2026-03-02 09:00,链家,王五,\"多行\n 备注, x\",13900139003\n"),
    );
    let (code, out, err) = w.run(&["--lang", "en", "validate"]);
    assert_eq!(code, 0, "{err}");
    assert_has(&out, "ok: 2 records");
    assert_has(
        &err,
        "attrib: warning: reports.csv:2:1: 「  R-3 」 has spaces around it in column id (read as 「R-3」; check the row)",
    );
    assert_has(
        &err,
        "attrib: warning: reports.csv:2:6: 「 13900139002」 has spaces around it in column phone",
    );
    assert!(
        !err.contains("reports.csv:3:") && !err.contains("reports.csv:4:"),
        "{err}"
    );
}

#[test]
fn settle_tables_never_print_escapes_raw_and_csv_keeps_the_text_as_written() {
    let w = Workdir::example("lingxiu");
    for file in ["reports.csv", "contacts.csv"] {
        w.write(file, &w.read(file).replace("王五", "王\u{1b}[2J五"));
    }
    // the buyer is a column of settle's table
    w.write(
        "bookings.csv",
        &w.read("bookings.csv").replace("陈刚", "陈\u{1b}[2J刚"),
    );
    let at = ["--at", "2026-04-05 09:00", "settle", "--month", "2026-03"];
    for extra in [&[][..], &["--by", "payee"], &["--lang", "en"]] {
        let (code, out, err) = w.run(&[&at[..], extra].concat());
        assert!(code == 0 || code == 1, "{err}");
        assert!(!out.contains('\u{1b}'), "{extra:?}:\n{out:?}");
        if extra.is_empty() {
            assert_has(&out, "陈\\u{1b}[2J刚");
        }
    }
    let (_, csv, _) = w.run(&[&at[..], &["--format", "csv"]].concat());
    assert_has(&csv, ",王\u{1b}[2J五,");
}

/// Issue 18: padded ids and phones in quoted CSV cells and in TOML rows are warned about as the
/// unquoted ones are, naming the row (NBSP shown escaped); the rows still read.
#[test]
fn validate_warns_on_padded_keys_in_quoted_cells_and_toml_rows() {
    let w = Workdir::new();
    w.write(
        "reports.csv",
        &format!("{REPORTS}\"R-5 \",2026-03-02 09:00,链家,王五,某,\"\u{a0}13900139005\"\n"),
    );
    w.write(
        "relations.toml",
        "[[relation]]\nid = \" L-1\"\nat = \"2026-03-02 09:00\"\nphone = \"13900139005\u{3000}\"\nrelation = \"spouse\"\nother_phone = \"13900139006\"\n",
    );
    let (code, out, err) = w.run(&["--lang", "en", "validate"]);
    assert_eq!(code, 0, "{err}");
    assert_has(&out, "ok: 2 records");
    for expected in [
        "attrib: warning: reports.csv:2:1: 「R-5 」 has spaces around it in column id (read as 「R-5」; check the row)",
        "attrib: warning: reports.csv:2:6: 「\\u{a0}13900139005」 has spaces around it in column phone",
        "attrib: warning: relations.toml:1: 「 L-1」 has spaces around it in column id",
        "attrib: warning: relations.toml:1: 「13900139005\\u{3000}」 has spaces around it in column phone",
    ] {
        assert_has(&err, expected);
    }
    let (_, _, err) = w.run(&["validate"]);
    assert_has(
        &err,
        "attrib: 警告: reports.csv:2:1: id 列的「R-5 」前后有空白 (按「R-5」读取; 请检查这一行)",
    );
}
