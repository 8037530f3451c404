//! `attrib clients --expiring [N]`: the morning list of R17 (holds and protections ending soon).

use super::{Style, csv_out, rfc3339, table};
use crate::rules::reminders::{Item, ItemKind};
use serde_json::json;

/// R17's CSV columns, then whom to call.
pub const HEADER: [&str; 9] = [
    "kind",
    "ends",
    "days_left",
    "phone",
    "client",
    "holder",
    "ref",
    "rule",
    "contact",
];

fn row(i: &Item, style: &Style) -> Vec<String> {
    vec![
        i.kind.as_str().to_string(),
        rfc3339(i.ends, style.tz),
        i.days_left.to_string(),
        style.data_phone(i.phone),
        i.client.to_string(),
        i.holder.to_string(),
        i.reference.to_string(),
        i.kind.rule().to_string(),
        i.contact.as_deref().unwrap_or_default().to_string(),
    ]
}

pub fn csv(items: &[Item], style: &Style, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    let rows: Vec<Vec<String>> = items.iter().map(|i| row(i, style)).collect();
    csv_out::write(out, false, &HEADER, &rows)
}

pub fn json(items: &[Item], style: &Style) -> String {
    let v: Vec<serde_json::Value> = items
        .iter()
        .map(|i| {
            json!({
                "kind": i.kind.as_str(),
                "ends": rfc3339(i.ends, style.tz),
                "days_left": i.days_left,
                "phone": style.data_phone(i.phone),
                "client": i.client,
                "holder": i.holder,
                "ref": i.reference,
                "rule": i.kind.rule(),
                "contact": i.contact,
            })
        })
        .collect();
    serde_json::to_string_pretty(&v).expect("JSON values serialize")
}

fn kind_word(k: ItemKind, style: &Style) -> &'static str {
    match k {
        ItemKind::ReportWindow => style.pick("报备带看期", "report window"),
        ItemKind::ChannelHold => style.pick("渠道保护", "channel hold"),
        ItemKind::Protection => style.pick("来电来访保护期", "contact protection"),
        ItemKind::BypassWindow => style.pick("看房跳单保护", "resale bypass window"),
        ItemKind::DepartedShare => style.pick("离职顾问权益期", "departed share"),
        ItemKind::Recycle => style.pick("公客回收", "recycle"),
    }
}

/// The clerk's list: soonest first, with whom to call.
pub fn text(items: &[Item], days: u32, style: &Style) -> String {
    let p = |zh, en| style.pick(zh, en).to_string();
    if items.is_empty() {
        return match style.lang {
            super::Lang::Zh => format!("{days} 天内没有到期的保护期"),
            super::Lang::En => format!("nothing ends within {days} days"),
        };
    }
    let mut t = table(vec![
        &p("到期", "ends"),
        &p("剩余", "left"),
        &p("类别", "kind"),
        &p("客户", "client"),
        &p("电话", "phone"),
        // the holder and whom to call in one column, as the clerk says it: 链家 王五
        &p("联系", "call"),
        // the record and its rule in one column: nine columns did not fit 80 (issue 14 item 6)
        &p("依据", "ref"),
    ]);
    for i in items {
        let left = match (style.lang, i.days_left) {
            (super::Lang::Zh, 0) => "今天".to_string(),
            (super::Lang::Zh, n) => format!("{n} 天"),
            (super::Lang::En, 0) => "today".to_string(),
            (super::Lang::En, n) => format!("{n} d"),
        };
        t.add_row(vec![
            style.until(i.ends),
            left,
            kind_word(i.kind, style).to_string(),
            i.client.to_string(),
            style.phone(i.phone),
            match &i.contact {
                Some(c) => format!("{} {c}", i.holder),
                None => i.holder.to_string(),
            },
            format!("{} {}", i.reference, i.kind.rule()),
        ]);
    }
    t.to_string()
}
