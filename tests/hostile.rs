//! Hostile and accidental inputs (issue 18): each fed to the CLI, asserting the message
//! (`file:line` and the complaint) and, for `add`, that the ledger's bytes are unchanged.

mod common;
use common::Workdir;

const REPORTS: &str = "id,at,channel,broker,client,phone\n";

/// `attrib ARGS` that must fail with `code` and leave every file as it was; returns stderr.
fn refused(w: &Workdir, args: &[&str], code: i32) -> String {
    let before = w.snapshot();
    let (got, out, err) = w.run(args);
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
