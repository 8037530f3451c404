//! `settle --xlsx` and `deposits --xlsx`: the workbook read back with calamine — cell types
//! (dates, numbers, text), totals equal to the CSV's, headers in `--lang`, frozen header row
//! and filters.

mod common;
use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use common::Workdir;
use rust_decimal::Decimal;
use std::io::Read;

const AS_OF: &str = "2026-04-30 18:00";

/// The example ledger with the three cancellations of tests/settle_add.rs (reversal lines in
/// April, refunds and kept deposits).
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

fn run_ok(w: &Workdir, args: &[&str]) -> String {
    let (code, out, err) = w.run(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

fn csv_rows(csv: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = (r.records())
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn sheets(path: &std::path::Path) -> Vec<(String, Range<Data>)> {
    let mut book: Xlsx<_> = open_workbook(path).expect("a workbook");
    (book.sheet_names().into_iter())
        .map(|n| {
            let r = book.worksheet_range(&n).expect("a sheet");
            (n, r)
        })
        .collect()
}

/// The workbook's sheet XML number `n` (1-based), to look at panes and filters.
fn sheet_xml(path: &std::path::Path, n: usize) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    (z.by_name(&format!("xl/worksheets/sheet{n}.xml")).unwrap())
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn text(c: &Data) -> &str {
    match c {
        Data::String(s) => s,
        other => panic!("text expected, got {other:?}"),
    }
}

fn number(c: &Data) -> Decimal {
    match c {
        // amounts are written to the cent; a double holds them exactly enough to round back
        Data::Float(f) => Decimal::from_f64_retain(*f).unwrap().round_dp(2),
        Data::Int(i) => Decimal::from(*i),
        other => panic!("a number expected, got {other:?}"),
    }
}

/// A date-time cell as the CSV's RFC 3339 local part (`2026-03-10T10:00:00`).
fn datetime(c: &Data) -> String {
    match c {
        Data::DateTime(d) => {
            let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
            format!("{y:04}-{mo:02}-{day:02}T{h:02}:{mi:02}:{s:02}")
        }
        other => panic!("a date expected, got {other:?}"),
    }
}

/// Row `r` of a sheet as cells.
fn row(s: &Range<Data>, r: usize) -> Vec<Data> {
    s.rows().nth(r).unwrap().to_vec()
}

#[test]
fn the_settle_workbook_has_dates_numbers_and_text_and_the_csv_totals() {
    let w = with_cancellations();
    for month in ["2026-03", "2026-04"] {
        let csv = run_ok(
            &w,
            &["--at", AS_OF, "--format", "csv", "settle", "--month", month],
        );
        let (header, lines) = csv_rows(&csv);
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        let csv_total: Decimal = lines
            .iter()
            .map(|l| l[col("amount")].parse::<Decimal>().unwrap())
            .sum();

        let path = w.file(&format!("{month}.xlsx"));
        let out = run_ok(
            &w,
            &[
                "--at",
                AS_OF,
                "--lang",
                "en",
                "--reveal",
                "settle",
                "--month",
                month,
                "--xlsx",
                path.to_str().unwrap(),
            ],
        );
        assert_eq!(out, "", "the workbook goes to the file only");
        let book = sheets(&path);
        let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["lines", "payees"]);
        let sheet = &book[0].1;
        let head: Vec<String> = row(sheet, 0).iter().map(|c| text(c).to_string()).collect();
        assert_eq!(head, header, "the CSV's columns, in English with --lang en");
        assert_eq!(sheet.height(), lines.len() + 2, "header, lines, total");

        let mut sum = Decimal::ZERO;
        for (i, l) in lines.iter().enumerate() {
            let cells = row(sheet, i + 1);
            // due: an Excel date-time in the project zone (+08:00)
            assert_eq!(
                datetime(&cells[col("due")]) + "+08:00",
                l[col("due")],
                "line {i}"
            );
            let amount = number(&cells[col("amount")]);
            assert_eq!(amount, l[col("amount")].parse::<Decimal>().unwrap());
            sum += amount;
            // phones, units and ids: text, as written
            for name in ["phone", "unit", "ref", "booking", "line"] {
                match &cells[col(name)] {
                    Data::Empty => assert_eq!(l[col(name)], "", "{name} of line {i}"),
                    c => assert_eq!(text(c), l[col(name)], "{name} of line {i}"),
                }
            }
            if !l[col("phone")].is_empty() {
                assert!(matches!(cells[col("phone")], Data::String(_)));
            }
            if !l[col("base")].is_empty() {
                assert_eq!(number(&cells[col("base")]), l[col("base")].parse().unwrap());
            }
        }
        assert_eq!(
            sum, csv_total,
            "{month}: the amounts sum to the CSV's total"
        );
        let total = row(sheet, lines.len() + 1);
        assert_eq!(text(&total[0]), format!("total, {} lines", lines.len()));
        assert_eq!(
            number(&total[col("amount")]),
            csv_total,
            "{month}: the total row"
        );

        // the per-payee sheet: the --by payee CSV, then a total row
        let payee_csv = run_ok(
            &w,
            &[
                "--at", AS_OF, "--format", "csv", "settle", "--month", month, "--by", "payee",
            ],
        );
        let (_, payees) = csv_rows(&payee_csv);
        let sheet = &book[1].1;
        assert_eq!(sheet.height(), payees.len() + 2);
        for (i, p) in payees.iter().enumerate() {
            let cells = row(sheet, i + 1);
            assert_eq!(text(&cells[0]), p[0]);
            assert_eq!(number(&cells[1]), p[1].parse().unwrap());
            assert_eq!(number(&cells[2]), p[2].parse().unwrap());
        }
        let total = row(sheet, payees.len() + 1);
        assert_eq!(text(&total[0]), "total");
        assert_eq!(number(&total[1]), Decimal::from(lines.len()));
        assert_eq!(number(&total[2]), csv_total);

        // a frozen header row and filters over the header and the lines (not the total)
        let xml = sheet_xml(&path, 1);
        assert!(
            xml.contains(r#"ySplit="1""#) && xml.contains(r#"state="frozen""#),
            "{xml}"
        );
        assert!(
            xml.contains(&format!(r#"<autoFilter ref="A1:Q{}"/>"#, lines.len() + 1)),
            "{xml}"
        );
        let xml = sheet_xml(&path, 2);
        assert!(xml.contains(r#"ySplit="1""#), "{xml}");
        assert!(xml.contains(&format!(r#"<autoFilter ref="A1:C{}"/>"#, payees.len() + 1)));
    }
}

#[test]
fn workbook_headers_follow_lang_and_phones_are_masked_without_reveal() {
    let w = Workdir::example("lingxiu");
    let path = w.file("zh.xlsx");
    run_ok(
        &w,
        &[
            "--at",
            AS_OF,
            "--lang",
            "zh",
            "settle",
            "--month",
            "2026-03",
            "--xlsx",
            path.to_str().unwrap(),
        ],
    );
    let book = sheets(&path);
    assert_eq!(book[0].0, "明细");
    assert_eq!(book[1].0, "按收款方");
    let head = row(&book[0].1, 0);
    assert_eq!(text(&head[0]), "类别");
    assert_eq!(text(&head[11]), "金额");
    assert_eq!(text(&row(&book[0].1, 1)[0]), "代理费");
    let phone = text(&row(&book[0].1, 1)[6]).to_string();
    assert!(phone.contains("****"), "masked like the table: {phone}");
    assert_eq!(text(&row(&book[1].1, 0)[0]), "收款方");
    let last = book[1].1.height() - 1;
    assert_eq!(text(&row(&book[1].1, last)[0]), "合计");
}

#[test]
fn the_deposits_workbook_has_dates_numbers_and_text_and_a_total_row() {
    let w = with_cancellations();
    let csv = run_ok(&w, &["--at", AS_OF, "--format", "csv", "deposits"]);
    let (header, rows) = csv_rows(&csv);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let path = w.file("deposits.xlsx");
    run_ok(
        &w,
        &[
            "--at",
            AS_OF,
            "--lang",
            "en",
            "--reveal",
            "deposits",
            "--xlsx",
            path.to_str().unwrap(),
        ],
    );
    let book = sheets(&path);
    assert_eq!(book.len(), 1);
    let sheet = &book[0].1;
    let head: Vec<String> = row(sheet, 0).iter().map(|c| text(c).to_string()).collect();
    assert_eq!(head, header);
    assert_eq!(sheet.height(), rows.len() + 2, "header, bookings, total");
    let mut sums = [Decimal::ZERO; 3];
    let mut cancelled = 0;
    for (i, r) in rows.iter().enumerate() {
        let cells = row(sheet, i + 1);
        assert_eq!(datetime(&cells[col("booked")]) + "+08:00", r[col("booked")]);
        for name in ["booking", "unit", "phone"] {
            assert_eq!(text(&cells[col(name)]), r[col(name)], "{name} of row {i}");
        }
        for (k, name) in ["deposit", "refund", "kept"].iter().enumerate() {
            if r[col(name)].is_empty() {
                assert_eq!(cells[col(name)], Data::Empty, "{name} of row {i}");
            } else {
                let v = number(&cells[col(name)]);
                assert_eq!(v, r[col(name)].parse().unwrap(), "{name} of row {i}");
                sums[k] += v;
            }
        }
        if r[col("status")] == "cancelled" {
            cancelled += 1;
            assert_eq!(
                datetime(&cells[col("cancelled")]) + "+08:00",
                r[col("cancelled")]
            );
            assert_eq!(text(&cells[col("cancellation")]), r[col("cancellation")]);
        }
    }
    assert!(cancelled > 0, "the example ledger has cancellations");
    let total = row(sheet, rows.len() + 1);
    assert_eq!(text(&total[0]), "total");
    for (k, name) in ["deposit", "refund", "kept"].iter().enumerate() {
        assert_eq!(number(&total[col(name)]), sums[k], "total {name}");
    }
    let xml = sheet_xml(&path, 1);
    assert!(xml.contains(r#"ySplit="1""#), "{xml}");
    assert!(xml.contains(&format!(r#"<autoFilter ref="A1:L{}"/>"#, rows.len() + 1)));
}
