//! `attrib settle`: settlement lines or payee totals, for finance.

use super::{Style, csv_out, rfc3339, table};
use crate::rules::settle::{Line, LineKind};
use rust_decimal::Decimal;
use serde_json::json;

/// RULES §5: the contract's twelve columns, then `line,rule,detail,broker,flags` (`flags`
/// replaces the earlier `flag` column, which held `error` for an error finding only).
pub const LINE_HEADER: [&str; 17] = [
    "kind", "due", "ref", "booking", "unit", "buyer", "phone", "owner", "payee", "base", "rate",
    "amount", "line", "rule", "detail", "broker", "flags",
];

fn line_row(l: &Line, style: &Style) -> Vec<String> {
    vec![
        l.kind.as_str().to_string(),
        rfc3339(l.due, style.tz),
        l.reference.to_string(),
        l.booking.as_deref().unwrap_or_default().to_string(),
        l.unit.as_deref().unwrap_or_default().to_string(),
        l.buyer.as_deref().unwrap_or_default().to_string(),
        l.phone.map(|p| style.data_phone(p)).unwrap_or_default(),
        l.owner.map(|o| o.as_str().to_string()).unwrap_or_default(),
        l.payee.to_string(),
        l.base.map(|b| b.to_string()).unwrap_or_default(),
        l.rate.to_string(),
        format!("{:.2}", l.amount),
        l.id(),
        l.rule.to_string(),
        l.detail.to_string(),
        l.broker.as_deref().unwrap_or_default().to_string(),
        (l.flags.iter().map(|f| f.as_str()))
            .collect::<Vec<_>>()
            .join(";"),
    ]
}

pub fn lines_csv(
    lines: &[Line],
    style: &Style,
    bom: bool,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    let rows: Vec<Vec<String>> = lines.iter().map(|l| line_row(l, style)).collect();
    csv_out::write(out, bom, &LINE_HEADER, &rows)
}

pub fn payees_csv(
    totals: &[(String, usize, Decimal)],
    bom: bool,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    let rows: Vec<Vec<String>> = totals
        .iter()
        .map(|(p, n, a)| vec![p.clone(), n.to_string(), format!("{a:.2}")])
        .collect();
    csv_out::write(out, bom, &["payee", "lines", "amount"], &rows)
}

pub fn lines_json(lines: &[Line], style: &Style) -> String {
    let v: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| {
            let r = line_row(l, style);
            let mut o = serde_json::Map::new();
            for (k, v) in LINE_HEADER.iter().zip(r) {
                o.insert(k.to_string(), json!(v));
            }
            o.insert("flagged".into(), json!(l.flagged));
            serde_json::Value::Object(o)
        })
        .collect();
    serde_json::to_string_pretty(&v).expect("JSON values serialize")
}

pub fn payees_json(totals: &[(String, usize, Decimal)]) -> String {
    let v: Vec<serde_json::Value> = totals
        .iter()
        .map(|(p, n, a)| json!({"payee": p, "lines": n, "amount": format!("{a:.2}")}))
        .collect();
    serde_json::to_string_pretty(&v).expect("JSON values serialize")
}

pub fn lines_table(lines: &[Line], style: &Style) -> String {
    let zh = style.lang == super::Lang::Zh;
    let header = if zh {
        vec![
            "类别",
            "到期",
            "单号",
            "房号",
            "客户",
            "电话",
            "归属",
            "收款方",
            "基数",
            "费率",
            "金额",
            "提示",
        ]
    } else {
        vec![
            "kind", "due", "ref", "unit", "buyer", "phone", "owner", "payee", "base", "rate",
            "amount", "flag",
        ]
    };
    let mut t = table(header);
    for l in lines {
        let kind = kind_name(zh, l.kind);
        t.add_row(vec![
            kind.to_string(),
            style.time(l.due),
            l.reference.to_string(),
            l.unit.as_deref().unwrap_or_default().to_string(),
            l.buyer.as_deref().unwrap_or_default().to_string(),
            l.phone.map(|p| style.phone(p)).unwrap_or_default(),
            l.owner
                .map(|o| style.code(o).to_string())
                .unwrap_or_default(),
            l.payee.to_string(),
            l.base.map(|b| b.to_string()).unwrap_or_default(),
            l.rate.to_string(),
            format!("{:.2}", l.amount),
            if l.flagged {
                style
                    .pick("✗ 有错误提示, 请核实", "✗ has an error finding")
                    .to_string()
            } else {
                String::new()
            },
        ]);
    }
    // RULES §5: the table ends with a total row (csv/json do not: scripts sum)
    let mut total = vec![String::new(); 12];
    total[0] = total_label(style, lines.len());
    total[10] = format!("{:.2}", sum(lines.iter().map(|l| l.amount)));
    t.add_row(total);
    t.to_string()
}

/// The total row's label: `合计 19 笔` / `total, 19 lines`.
fn total_label(style: &Style, n: usize) -> String {
    match style.lang {
        super::Lang::Zh => format!("合计 {n} 笔"),
        super::Lang::En => format!("total, {n} lines"),
    }
}

/// The sum of rounded amounts (RULES §5: totals are sums of rounded lines); never panics.
pub fn sum(amounts: impl Iterator<Item = Decimal>) -> Decimal {
    amounts.fold(Decimal::ZERO, |a, b| a.saturating_add(b))
}

pub fn payees_table(totals: &[(String, usize, Decimal)], style: &Style) -> String {
    let mut t = table(vec![
        style.pick("收款方", "payee"),
        style.pick("笔数", "lines"),
        style.pick("金额", "amount"),
    ]);
    for (p, n, a) in totals {
        t.add_row(vec![p.clone(), n.to_string(), format!("{a:.2}")]);
    }
    t.add_row(vec![
        style.pick("合计", "total").to_string(),
        totals.iter().map(|(_, n, _)| n).sum::<usize>().to_string(),
        format!("{:.2}", sum(totals.iter().map(|(_, _, a)| *a))),
    ]);
    t.to_string()
}

/// One cell of a workbook (`--xlsx`): text stays text (a phone, a unit such as `3-12`, an id are
/// never read as numbers or dates), money is a number shown with two decimals, a time is an
/// Excel date-time in the project zone.
pub enum Cell {
    Text(String),
    Money(Decimal),
    Time(crate::model::Time),
    Count(usize),
    Empty,
}

/// A sheet of a workbook: a header row (frozen, with filters over the rows), the rows, and
/// optionally a total row below them (outside the filter range, so sorting leaves it last).
pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub total: Option<Vec<Cell>>,
}

/// Writes `sheets` as an Excel workbook to `path` (RULES §5 `--xlsx`).
pub fn write_workbook(
    path: &std::path::Path,
    sheets: &[Sheet],
    tz: chrono::FixedOffset,
) -> anyhow::Result<()> {
    use anyhow::Context;
    use rust_xlsxwriter::{Format, Workbook};
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let money_bold = Format::new().set_num_format("#,##0.00").set_bold();
    let time = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let mut book = Workbook::new();
    for s in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&s.name)?;
        for (c, h) in s.header.iter().enumerate() {
            ws.write_string_with_format(0, col(c)?, h, &bold)?;
        }
        let total = s.total.iter().map(|t| (t, true));
        for (r, (row, is_total)) in (s.rows.iter().map(|r| (r, false))).chain(total).enumerate() {
            let r = u32::try_from(r + 1).with_context(|| {
                super::errors::pick(
                    "行数超出工作表上限".into(),
                    "too many rows for a sheet".into(),
                )
            })?;
            for (c, cell) in row.iter().enumerate() {
                let c = col(c)?;
                match cell {
                    Cell::Text(t) if is_total => ws.write_string_with_format(r, c, t, &bold)?,
                    Cell::Text(t) => ws.write_string(r, c, t)?,
                    Cell::Money(d) => {
                        let f = if is_total { &money_bold } else { &money };
                        ws.write_number_with_format(r, c, decimal_f64(*d), f)?
                    }
                    Cell::Time(t) => {
                        ws.write_datetime_with_format(r, c, excel_time(*t, tz)?, &time)?
                    }
                    Cell::Count(n) => ws.write_number(r, c, *n as f64)?,
                    Cell::Empty => ws,
                };
            }
        }
        let last = col(s.header.len().saturating_sub(1))?;
        ws.set_freeze_panes(1, 0)?;
        ws.autofilter(0, 0, u32::try_from(s.rows.len()).unwrap_or(u32::MAX), last)?;
        ws.autofit();
    }
    book.save(path).with_context(|| {
        let p = path.display();
        super::errors::pick(
            format!("无法写入工作簿 {p}"),
            format!("cannot write the workbook {p}"),
        )
    })
}

fn col(c: usize) -> anyhow::Result<u16> {
    u16::try_from(c).map_err(|_| {
        let said = super::errors::pick(
            "列数超出工作表上限".into(),
            "too many columns for a sheet".into(),
        );
        anyhow::anyhow!(said)
    })
}

/// Money as an Excel number (a double: exact to the cent for any amount under 10¹³).
fn decimal_f64(d: Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    d.to_f64().unwrap_or_default()
}

/// A time as an Excel date-time: the wall-clock time in the project zone (Excel has no zones).
fn excel_time(
    t: crate::model::Time,
    tz: chrono::FixedOffset,
) -> anyhow::Result<rust_xlsxwriter::ExcelDateTime> {
    use chrono::{Datelike, Timelike};
    let l = t.with_timezone(&tz);
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(
        u16::try_from(l.year()).unwrap_or_default(),
        l.month() as u8,
        l.day() as u8,
    )?;
    Ok(date.and_hms(l.hour() as u16, l.minute() as u8, l.second())?)
}

/// The names of the line kinds for people.
fn kind_name(zh: bool, k: LineKind) -> &'static str {
    match (zh, k) {
        (true, LineKind::AgencyFee) => "代理费",
        (true, LineKind::ChannelCommission) => "渠道佣金",
        (true, LineKind::AgencyFeeReversal) => "代理费冲回",
        (true, LineKind::ChannelCommissionReversal) => "渠道佣金冲回",
        (true, LineKind::ResaleCommission) => "二手佣金",
        (true, LineKind::BypassClaim) => "跳单索赔",
        (true, LineKind::ConsultantCommission) => "顾问提成",
        (true, LineKind::DepartedShare) => "离职顾问权益",
        (true, LineKind::ConsultantCommissionReversal) => "顾问提成冲回",
        (true, LineKind::DepartedShareReversal) => "离职顾问权益冲回",
        (true, LineKind::Penalty) => "罚款",
        (false, k) => k.as_str(),
    }
}

/// The lines sheet's headers in Chinese, column for column with `LINE_HEADER`.
const LINE_HEADER_ZH: [&str; 17] = [
    "类别",
    "到期",
    "单号",
    "认购单",
    "房号",
    "客户",
    "电话",
    "归属",
    "收款方",
    "基数",
    "费率",
    "金额",
    "行号",
    "规则",
    "说明",
    "经纪人",
    "提示",
];

/// `settle --xlsx FILE`: a lines sheet (the CSV's columns, headers in `--lang`, each ending
/// with a total row) and a per-payee sheet with a total row.
pub fn workbook(
    lines: &[Line],
    totals: &[(String, usize, Decimal)],
    style: &Style,
    path: &std::path::Path,
) -> anyhow::Result<()> {
    let zh = style.lang == super::Lang::Zh;
    let text = |s: &str| match s {
        "" => Cell::Empty,
        s => Cell::Text(s.to_string()),
    };
    let opt = |s: &Option<crate::model::Text>| text(s.as_deref().unwrap_or_default());
    let rows = (lines.iter())
        .map(|l| {
            vec![
                Cell::Text(kind_name(zh, l.kind).to_string()),
                Cell::Time(l.due),
                Cell::Text(l.reference.to_string()),
                opt(&l.booking),
                opt(&l.unit),
                opt(&l.buyer),
                l.phone.map_or(Cell::Empty, |p| Cell::Text(style.phone(p))),
                l.owner
                    .map_or(Cell::Empty, |o| Cell::Text(style.code(o).to_string())),
                Cell::Text(l.payee.to_string()),
                l.base.map_or(Cell::Empty, Cell::Money),
                Cell::Text(l.rate.to_string()),
                Cell::Money(l.amount),
                Cell::Text(l.id()),
                Cell::Text(l.rule.to_string()),
                text(&l.detail),
                opt(&l.broker),
                text(
                    &(l.flags.iter().map(|f| f.as_str()))
                        .collect::<Vec<_>>()
                        .join(";"),
                ),
            ]
        })
        .collect();
    let sum_all = sum(lines.iter().map(|l| l.amount));
    let mut line_total: Vec<Cell> = (0..LINE_HEADER.len()).map(|_| Cell::Empty).collect();
    line_total[0] = Cell::Text(total_label(style, lines.len()));
    line_total[11] = Cell::Money(sum_all);
    let header = |zh_h: &[&str], en_h: &[&str]| -> Vec<String> {
        (if zh { zh_h } else { en_h })
            .iter()
            .map(|h| h.to_string())
            .collect()
    };
    let payees = Sheet {
        name: style.pick("按收款方", "payees").to_string(),
        header: header(&["收款方", "笔数", "金额"], &["payee", "lines", "amount"]),
        rows: (totals.iter())
            .map(|(p, n, a)| vec![Cell::Text(p.clone()), Cell::Count(*n), Cell::Money(*a)])
            .collect(),
        total: Some(vec![
            Cell::Text(style.pick("合计", "total").to_string()),
            Cell::Count(totals.iter().map(|(_, n, _)| n).sum()),
            Cell::Money(sum(totals.iter().map(|(_, _, a)| *a))),
        ]),
    };
    let sheets = [
        Sheet {
            name: style.pick("明细", "lines").to_string(),
            header: header(&LINE_HEADER_ZH, &LINE_HEADER),
            rows,
            total: Some(line_total),
        },
        payees,
    ];
    write_workbook(path, &sheets, style.tz)
}
