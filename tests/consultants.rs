//! R11 on the command line: `attrib consultants` (clients held, bookings credited, commission
//! and departed share per consultant), the consultant lines in `settle`, and the R17 reminders.

mod common;
use common::{CONFIG, Workdir};

/// RULES-R10 R11 example 1, with a second family served by 王五: 张三 develops 13600000001 and
/// leaves; the client is handed to 李四, who books it in May (2000000.00 at 0.2%: 2000.00 each);
/// 王五 receives 13600000002 and books it in May (1000000.00: 2000.00 whole).
fn ledger() -> Workdir {
    let w = Workdir::new();
    w.write(
        "attrib.toml",
        &format!("{CONFIG}\n[consultants]\nrate = \"0.2%\"\n"),
    );
    w.write(
        "contacts.csv",
        "id,at,kind,phone,client,consultant\n\
         C-001,2026-01-05 10:00,visit,13600000001,王强,张三\n\
         C-002,2026-04-20 10:00,visit,13600000002,赵敏,王五\n",
    );
    w.write(
        "staff.csv",
        "id,at,consultant,event,note\nST-001,2026-03-31 18:00,张三,leave,\n",
    );
    w.write(
        "handovers.csv",
        "id,at,phone,to,reason,from,by,note\nHO-001,2026-04-01 09:00,13600000001,李四,departure,张三,经理,\n",
    );
    w.write(
        "bookings.csv",
        "id,at,unit,buyer,phone,list_price,price,consultant\n\
         B-001,2026-05-10 15:00,1-1-101,王强,13600000001,2000000.00,2000000.00,李四\n\
         B-002,2026-05-12 11:00,1-1-102,赵敏,13600000002,2000000.00,1000000.00,王五\n",
    );
    w
}

const AT: &str = "2026-09-30 12:00";

#[test]
fn consultants_over_a_quarter_as_csv() {
    let w = ledger();
    let args = [
        "--at",
        AT,
        "--format",
        "csv",
        "consultants",
        "--from",
        "2026-05",
        "--to",
        "2026-07",
    ];
    let (code, out, err) = w.run(&args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "consultant,clients,bookings,commission,departed_share\n\
         张三,0,0,0.00,2000.00\n\
         李四,1,1,2000.00,0.00\n\
         王五,1,1,2000.00,0.00\n"
    );
    // May alone: the departed share falls due on 2026-07-30 (Q2 + 30 days)
    let args = [
        "--at",
        AT,
        "--format",
        "json",
        "consultants",
        "--from",
        "2026-05",
        "--to",
        "2026-05",
    ];
    let (_, out, _) = w.run(&args);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let zhang = (v.as_array().unwrap().iter()).find(|r| r["consultant"] == "张三");
    assert!(zhang.is_none(), "{out}");
    assert_eq!(v[0]["consultant"], "李四");
    assert_eq!(v[0]["commission"], "2000.00");
}

#[test]
fn consultants_default_to_the_month_of_at_and_fit_80_columns() {
    let w = ledger();
    let (code, zh, err) = w.run(&["--at", "2026-05-31 12:00", "consultants"]);
    assert_eq!(code, 0, "{err}");
    let (_, en, _) = w.run(&["--at", "2026-05-31 12:00", "--lang", "en", "consultants"]);
    for out in [&zh, &en] {
        for line in out.lines() {
            let width = unicode_width::UnicodeWidthStr::width(line);
            assert!(width <= 80, "{width}: {line}");
        }
    }
    insta::assert_snapshot!("consultants_zh", zh);
    insta::assert_snapshot!("consultants_en", en);
}

#[test]
fn settle_shows_the_split_lines_with_their_effective_rate() {
    let w = ledger();
    let args = [
        "--at", AT, "--format", "csv", "settle", "--month", "2026-07",
    ];
    let (code, out, err) = w.run(&args);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(lines.len(), 1, "{out}");
    assert!(
        lines[0].starts_with(
            "departed_share,2026-07-30T23:59:59+08:00,B-001,B-001,1-1-101,王强,13600000001,agency,张三,2000000.00,0.1%,2000.00,departed_share:B-001,R11.8,"
        ),
        "{out}"
    );
}

#[test]
fn without_r11_there_are_no_consultants_and_no_consultant_lines() {
    let w = Workdir::example("lingxiu");
    let (code, out, _) = w.run(&["--at", "2026-04-30 18:00", "--format", "csv", "consultants"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "consultant,clients,bookings,commission,departed_share\n"
    );
}

/// R17: the end of 张三's departed period (one year from his leave) is on the morning list, as
/// the family's smallest phone with no client, the leave row as `ref`.
#[test]
fn clients_expiring_lists_the_end_of_a_departed_period() {
    let w = ledger();
    let args = [
        "--at",
        "2027-03-30 12:00",
        "--format",
        "csv",
        "clients",
        "--expiring",
        "3",
    ];
    let (code, out, err) = w.run(&args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "kind,ends,days_left,phone,client,holder,ref,rule,contact\n\
         departed-share,2027-03-31T23:59:59+08:00,1,13600000001,,张三,ST-001,R11.5,\n"
    );
}

/// RULES-R10 §4.3: `check --format json` adds the consultant of record, the developing
/// consultant and the departed claim while R11 is on, and nothing without it.
#[test]
fn check_json_names_the_consultants() {
    let w = ledger();
    let args = [
        "--at",
        "2026-05-01 12:00",
        "--format",
        "json",
        "check",
        "13600000001",
    ];
    let (code, out, err) = w.run(&args);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["consultant_of_record"], "李四");
    assert_eq!(v["developing_consultant"], "张三");
    assert_eq!(
        v["departed_claim"],
        serde_json::json!({"consultant": "张三", "until": "2027-03-31T23:59:59+08:00"})
    );
    let w = Workdir::example("lingxiu");
    let (_, out, _) = w.run(&[
        "--at",
        "2026-04-30 18:00",
        "--format",
        "json",
        "check",
        "13800000001",
    ]);
    assert!(!out.contains("consultant_of_record"), "{out}");
}

/// `check` in a clerk's words: the consultant of record and the departed consultant's claim.
#[test]
fn check_says_who_is_in_charge() {
    let w = ledger();
    let (code, out, err) = w.run(&[
        "--at",
        "2026-05-01 12:00",
        "--reveal",
        "check",
        "13600000001",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("归属置业顾问: 李四 · 离职顾问权益: 张三 至 2027-03-31"),
        "{out}"
    );
}
