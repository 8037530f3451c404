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
        let kind = match (zh, l.kind) {
            (true, LineKind::AgencyFee) => "代理费",
            (true, LineKind::ChannelCommission) => "渠道佣金",
            (true, LineKind::AgencyFeeReversal) => "代理费冲回",
            (true, LineKind::ChannelCommissionReversal) => "渠道佣金冲回",
            (true, LineKind::Penalty) => "罚款",
            (false, k) => k.as_str(),
        };
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
    t.to_string()
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
    t.to_string()
}
