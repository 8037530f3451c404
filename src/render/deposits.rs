//! `attrib deposits`: the deposit account 定金账户明细 (RULES-R10 §4.4).

use super::{Style, csv_out, rfc3339, table};
use crate::model::{Choice, Time};
use crate::rules::cancel::DepositRow;
use serde_json::json;

pub const HEADER: [&str; 12] = [
    "booking",
    "booked",
    "unit",
    "buyer",
    "phone",
    "deposit",
    "status",
    "cancellation",
    "cancelled",
    "reason",
    "refund",
    "kept",
];

/// The cells of a row: times by `time`, phones by `phone`.
fn cells(
    r: &DepositRow,
    time: &dyn Fn(Time) -> String,
    phone: &dyn Fn(crate::model::Phone) -> String,
) -> Vec<String> {
    let b = r.booking;
    let money = |d: rust_decimal::Decimal| format!("{d:.2}");
    let mut row = vec![
        b.id.to_string(),
        time(b.at),
        b.unit.to_string(),
        b.buyer.to_string(),
        phone(b.phone),
        money(b.deposit.unwrap_or_default()),
    ];
    match &r.cancelled {
        None => row.extend([
            "held".into(),
            "".into(),
            "".into(),
            "".into(),
            "".into(),
            "".into(),
        ]),
        Some((c, refund)) => {
            let reason = (crate::model::CancelReason::CHOICES.iter())
                .find(|(_, v)| *v == c.reason)
                .map(|(w, _)| *w)
                .unwrap_or_default();
            row.extend([
                "cancelled".into(),
                c.id.to_string(),
                time(c.at),
                reason.into(),
                money(refund.refund),
                money(refund.kept),
            ]);
        }
    }
    row
}

pub fn csv(
    rows: &[DepositRow],
    style: &Style,
    bom: bool,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    let tz = style.tz;
    let rows: Vec<Vec<String>> = (rows.iter())
        .map(|r| cells(r, &|t| rfc3339(t, tz), &|p| style.data_phone(p)))
        .collect();
    csv_out::write(out, bom, &HEADER, &rows)
}

pub fn json(rows: &[DepositRow], style: &Style) -> String {
    let tz = style.tz;
    let v: Vec<serde_json::Value> = (rows.iter())
        .map(|r| {
            let cells = cells(r, &|t| rfc3339(t, tz), &|p| style.data_phone(p));
            let o: serde_json::Map<String, serde_json::Value> = (HEADER.iter())
                .zip(cells)
                .map(|(k, v)| (k.to_string(), json!(v)))
                .collect();
            serde_json::Value::Object(o)
        })
        .collect();
    serde_json::to_string_pretty(&v).expect("JSON values serialize")
}

/// The headers in Chinese, column for column with `HEADER`.
const HEADER_ZH: [&str; 12] = [
    "认购",
    "认购时间",
    "房号",
    "客户",
    "电话",
    "定金",
    "状态",
    "退订",
    "退订时间",
    "原因",
    "退还",
    "留存",
];

/// A row for people: times and phones by the style, status and reason in its language.
fn human_cells(r: &DepositRow, style: &Style) -> Vec<String> {
    let mut row = cells(r, &|t| style.time(t), &|p| style.phone(p));
    if style.lang == super::Lang::Zh {
        row[6] = match row[6].as_str() {
            "held" => "在账",
            _ => "已退订",
        }
        .into();
        row[9] = match row[9].as_str() {
            "force_majeure" => "不可抗力",
            "early_termination" => "提前终止",
            "client_breach" => "客户违约",
            "seller_breach" => "卖方违约",
            other => other,
        }
        .into();
    }
    row
}

pub fn table_of(rows: &[DepositRow], style: &Style) -> String {
    let header = if style.lang == super::Lang::Zh {
        HEADER_ZH.to_vec()
    } else {
        HEADER.to_vec()
    };
    let mut t = table(header);
    for r in rows {
        t.add_row(human_cells(r, style));
    }
    t.to_string()
}

/// `deposits --xlsx FILE`: one sheet, the CSV's columns with headers in `--lang`, times as Excel
/// dates in the project zone, deposit, refund and kept as numbers, and a total row.
pub fn workbook(rows: &[DepositRow], style: &Style, path: &std::path::Path) -> anyhow::Result<()> {
    use super::settle::{Cell, Sheet, sum};
    use rust_decimal::Decimal;
    let (mut deposits, mut refunds, mut kept) = (vec![], vec![], vec![]);
    let cells: Vec<Vec<Cell>> = (rows.iter())
        .map(|r| {
            let words = human_cells(r, style);
            let text = |i: usize| match words[i].as_str() {
                "" => Cell::Empty,
                s => Cell::Text(s.to_string()),
            };
            let deposit = r.booking.deposit.unwrap_or_default();
            deposits.push(deposit);
            let (cancellation, cancelled, refund, keep) = match &r.cancelled {
                None => (Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty),
                Some((c, amounts)) => {
                    refunds.push(amounts.refund);
                    kept.push(amounts.kept);
                    (
                        Cell::Text(c.id.to_string()),
                        Cell::Time(c.at),
                        Cell::Money(amounts.refund),
                        Cell::Money(amounts.kept),
                    )
                }
            };
            vec![
                text(0),
                Cell::Time(r.booking.at),
                text(2),
                text(3),
                text(4),
                Cell::Money(deposit),
                text(6),
                cancellation,
                cancelled,
                text(9),
                refund,
                keep,
            ]
        })
        .collect();
    let total = |v: &[Decimal]| Cell::Money(sum(v.iter().copied()));
    let sheet = Sheet {
        name: style.pick("定金账户", "deposits").to_string(),
        header: (if style.lang == super::Lang::Zh {
            &HEADER_ZH
        } else {
            &HEADER
        })
        .iter()
        .map(|h| h.to_string())
        .collect(),
        total: Some(vec![
            Cell::Text(style.pick("合计", "total").to_string()),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            total(&deposits),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            total(&refunds),
            total(&kept),
        ]),
        rows: cells,
    };
    super::settle::write_workbook(path, &[sheet], style.tz)
}
