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

pub fn table_of(rows: &[DepositRow], style: &Style) -> String {
    let header = if style.lang == super::Lang::Zh {
        vec![
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
        ]
    } else {
        HEADER.to_vec()
    };
    let mut t = table(header);
    for r in rows {
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
        t.add_row(row);
    }
    t.to_string()
}
