//! `attrib consultants`: one row per consultant (R11).

use super::{Style, csv_out, table};
use crate::rules::consultant::Standing;
use serde_json::json;

/// The CSV columns.
pub const HEADER: [&str; 5] = [
    "consultant",
    "clients",
    "bookings",
    "commission",
    "departed_share",
];

fn row(r: &Standing) -> Vec<String> {
    vec![
        r.consultant.to_string(),
        r.clients.to_string(),
        r.bookings.to_string(),
        format!("{:.2}", r.commission),
        format!("{:.2}", r.departed_share),
    ]
}

pub fn csv(rows: &[Standing], out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    let rows: Vec<Vec<String>> = rows.iter().map(row).collect();
    csv_out::write(out, false, &HEADER, &rows)
}

pub fn json(rows: &[Standing]) -> String {
    let v: Vec<serde_json::Value> = (rows.iter().map(row))
        .map(|r| {
            json!({
                "consultant": r[0],
                "clients": r[1].parse::<usize>().unwrap_or_default(),
                "bookings": r[2].parse::<usize>().unwrap_or_default(),
                "commission": r[3],
                "departed_share": r[4],
            })
        })
        .collect();
    serde_json::to_string_pretty(&v).expect("JSON values serialize")
}

/// The manager's table.
pub fn text(rows: &[Standing], style: &Style) -> String {
    if rows.is_empty() {
        return style.pick("没有置业顾问记录", "no consultants").into();
    }
    let p = |zh, en| style.pick(zh, en).to_string();
    let mut t = table(vec![
        &p("置业顾问", "consultant"),
        &p("归属客户", "clients"),
        &p("认购", "bookings"),
        &p("业绩提成", "commission"),
        &p("离职权益", "departed share"),
    ]);
    for r in rows {
        t.add_row(row(r));
    }
    t.to_string()
}
