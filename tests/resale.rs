//! R10 on the resale example ledger (`ledger-examples/resale`, a brokerage office's viewing
//! slips and deals): replay's verdicts, settle's lines by month, check's viewings and the
//! `bypass-window` reminder, as its README states them.

mod common;
use common::Workdir;

const AS_OF: &str = "2024-06-30 23:00";

fn example() -> Workdir {
    Workdir::example("resale")
}

#[test]
fn replay_judges_every_viewing_and_deal_as_the_readme_says() {
    let w = example();
    let (code, out, err) = w.run(&["--at", AS_OF, "--format", "json", "replay"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let judged: Vec<(&str, &str, &str)> = (v.as_array().unwrap().iter())
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap();
            (s("id"), s("kind"), s("verdict"))
        })
        .collect();
    assert_eq!(
        judged,
        [
            ("VW-001", "viewing", "valid"),
            ("DE-001", "deal", "brokered"),
            ("VW-002", "viewing", "valid"),
            ("VW-003", "viewing", "unsigned"),
            ("VW-004", "viewing", "valid"),
            ("DE-002", "deal", "unsigned-viewing"),
            ("F-001", "relation", "recorded"),
            ("VW-005", "viewing", "valid"),
            ("DE-003", "deal", "prior-viewing"),
            ("DE-004", "deal", "bypass-agency"),
            ("VW-006", "viewing", "valid"),
            ("DE-005", "deal", "bypass-owner"),
            ("DE-006", "deal", "outside-window"),
        ]
    );
    insta::assert_snapshot!("replay_resale_json", out);
    let (code, table, _) = w.run(&["--at", AS_OF, "replay"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("replay_resale_table", table);
}

/// (month, line kind, ref, debtor phone, amount, due)
fn lines(w: &Workdir, month: &str) -> Vec<[String; 6]> {
    let args = [
        "--at", AS_OF, "--reveal", "--format", "csv", "settle", "--month", month,
    ];
    let (code, out, err) = w.run(&args);
    assert_eq!(code, 0, "{err}");
    let mut rows = csv::Reader::from_reader(out.as_bytes());
    let header = rows.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let wanted = ["kind", "ref", "phone", "amount", "due", "payee"].map(col);
    (rows.records())
        .map(|r| wanted.map(|i| r.as_ref().unwrap()[i].to_string()))
        .collect()
}

#[test]
fn settle_owes_the_commission_and_the_claims_in_their_months() {
    let w = example();
    let row = |cells: [&str; 6]| cells.map(String::from);
    assert_eq!(
        lines(&w, "2023-04"),
        [row([
            "resale_commission",
            "DE-001",
            "13800000008",
            "18518.51",
            "2023-04-01T15:00:00+08:00",
            "安居地产"
        ])]
    );
    assert_eq!(
        lines(&w, "2024-01"),
        [row([
            "bypass_claim",
            "DE-004",
            "13800000006",
            "29400.00",
            "2024-01-05T09:00:00+08:00",
            "安居地产"
        ])]
    );
    assert_eq!(
        lines(&w, "2024-04"),
        [row([
            "bypass_claim",
            "DE-005",
            "13800000001",
            "36000.00",
            "2024-04-02T09:00:00+08:00",
            "安居地产"
        ])]
    );
    for month in ["2023-08", "2023-10", "2023-12", "2024-03", "2024-05"] {
        assert!(lines(&w, month).is_empty(), "{month}");
    }
}

#[test]
fn check_shows_a_viewing_with_the_end_of_its_bypass_window() {
    let w = example();
    let (code, out, err) = w.run(&["--at", AS_OF, "check", "13800000007"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("VW-006 城西区五四大街3号4-402 跳单保护至 2025-02-28"),
        "{out}"
    );
    insta::assert_snapshot!("check_resale_viewing", out);
    let (code, out, _) = w.run(&["--at", AS_OF, "--format", "json", "check", "13800000007"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["viewings"],
        serde_json::json!([{"viewing": "VW-006", "property": "城西区五四大街3号4-402", "until": "2025-02-28T23:59:59+08:00"}])
    );
    let (_, out, _) = w.run(&["--at", AS_OF, "--lang", "en", "find", "周杰"]);
    assert!(
        out.contains("viewing VW-006 城西区五四大街3号4-402 bypass window until 2025-02-28"),
        "{out}"
    );
}

#[test]
fn a_ledger_without_r10_shows_no_viewings_key() {
    let w = Workdir::example("lingxiu");
    let (code, out, _) = w.run(&[
        "--at",
        "2026-03-25 12:00",
        "--format",
        "json",
        "check",
        "13800000001",
    ]);
    assert_eq!(code, 0);
    assert!(!out.contains("\"viewings\""), "{out}");
}

#[test]
fn clients_expiring_lists_the_open_bypass_window() {
    let w = example();
    let args = [
        "--at",
        "2025-02-26 12:00",
        "--reveal",
        "--format",
        "csv",
        "clients",
        "--expiring",
        "3",
    ];
    let (code, out, err) = w.run(&args);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{out}");
    assert!(rows[0].starts_with("bypass-window,"), "{out}");
    assert!(rows[0].contains(",2,13800000007,周杰,安居地产,"), "{out}");
    assert!(rows[0].ends_with(",VW-006,R10.1,李四"), "{out}");
}

/// `settle` shows the two resale line kinds in every format: the table (cards at 80 columns),
/// JSON, and the workbook.
#[test]
fn settle_shows_the_resale_lines_in_every_format() {
    let w = example();
    let range = ["--from", "2023-04", "--to", "2024-04"];
    let (code, table, err) = w.run(&[&["--at", AS_OF, "settle"][..], &range].concat());
    assert_eq!(code, 0, "{err}");
    assert!(
        table.contains("二手佣金") && table.contains("跳单索赔"),
        "{table}"
    );
    insta::assert_snapshot!("settle_resale_table", table);
    let args = [&["--at", AS_OF, "--format", "json", "settle"][..], &range].concat();
    let (code, out, _) = w.run(&args);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let text = v.to_string();
    for expected in [
        "resale_commission",
        "bypass_claim",
        "18518.51",
        "29400.00",
        "36000.00",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    let book = w.file("resale.xlsx");
    let book_arg = book.to_str().unwrap();
    let args = [
        &["--at", AS_OF, "settle"][..],
        &range,
        &["--xlsx", book_arg],
    ]
    .concat();
    let (code, _, err) = w.run(&args);
    assert_eq!(code, 0, "{err}");
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&book).expect("a workbook");
    use calamine::Reader;
    let names = workbook.sheet_names().to_vec();
    let cells: Vec<String> = (names.iter())
        .flat_map(|n| {
            workbook
                .worksheet_range(n)
                .unwrap()
                .cells()
                .map(|(_, _, c)| c.to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        cells
            .iter()
            .any(|c| c.contains("跳单索赔") || c == "bypass_claim"),
        "{cells:?}"
    );
}
