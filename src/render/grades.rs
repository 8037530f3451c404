//! `attrib grades`: each channel's grade A–D with the figures that made it (RULES-R10 R18).

use super::{Style, csv_out, rfc3339, table};
use crate::model::{Choice, Level, Time};
use crate::rules::grading::ChannelGrade;
use serde_json::json;

/// RULES-R10 R18's columns, then the figures behind the levels.
pub const HEADER: [&str; 15] = [
    "channel",
    "history",
    "integrity",
    "volume",
    "reputation",
    "suggested",
    "decided",
    "decided_at",
    "differs",
    "active_months",
    "bookings",
    "minor_violations",
    "major_violation",
    "delisted",
    "decision",
];

/// A level's letter.
pub fn level(l: Level) -> &'static str {
    (Level::CHOICES.iter())
        .find(|(_, v)| *v == l)
        .map_or("", |(w, _)| *w)
}

fn cells(g: &ChannelGrade, time: &dyn Fn(Time) -> String) -> Vec<String> {
    let f = &g.figures;
    let decided = g.decided.as_ref();
    vec![
        g.channel.to_string(),
        level(g.history).into(),
        level(g.integrity).into(),
        level(g.volume).into(),
        g.reputation.map_or("", level).into(),
        level(g.suggested).into(),
        decided.map_or("", |d| level(d.0)).into(),
        decided.map(|d| time(d.2)).unwrap_or_default(),
        g.differs().map(|d| d.to_string()).unwrap_or_default(),
        f.active_months.to_string(),
        f.bookings.to_string(),
        f.minor.to_string(),
        f.major.as_deref().unwrap_or_default().into(),
        f.delisted.as_deref().unwrap_or_default().into(),
        decided.map(|d| d.1.to_string()).unwrap_or_default(),
    ]
}

pub fn csv(
    grades: &[ChannelGrade],
    style: &Style,
    bom: bool,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    let rows: Vec<Vec<String>> = (grades.iter())
        .map(|g| cells(g, &|t| rfc3339(t, style.tz)))
        .collect();
    csv_out::write(out, bom, &HEADER, &rows)
}

/// `{as_of, window_from, months, channels: [...]}`: levels as letters (null when not assessed),
/// counts as numbers.
pub fn json(
    grades: &[ChannelGrade],
    style: &Style,
    as_of: Time,
    from: Time,
    months: u32,
) -> String {
    let time = |t: Time| rfc3339(t, style.tz);
    let channels: Vec<serde_json::Value> = (grades.iter())
        .map(|g| {
            let f = &g.figures;
            let decided = g.decided.as_ref();
            json!({
                "channel": g.channel.as_str(),
                "history": level(g.history),
                "integrity": level(g.integrity),
                "volume": level(g.volume),
                "reputation": g.reputation.map(level),
                "suggested": level(g.suggested),
                "decided": decided.map(|d| level(d.0)),
                "decided_at": decided.map(|d| time(d.2)),
                "differs": g.differs(),
                "active_months": f.active_months,
                "bookings": f.bookings,
                "minor_violations": f.minor,
                "major_violation": f.major.as_deref(),
                "delisted": f.delisted.as_deref(),
                "decision": decided.map(|d| d.1.as_str()),
            })
        })
        .collect();
    let v = json!({
        "as_of": time(as_of),
        "window_from": time(from),
        "months": months,
        "channels": channels,
    });
    serde_json::to_string_pretty(&v).expect("JSON values serialize")
}

/// The table for people: per factor its level and the figure behind it, the suggestion, the
/// committee's decision with its date; a heading naming the window and a note on what is not
/// assessed.
pub fn table_of(grades: &[ChannelGrade], style: &Style, as_of: Time, from: Time) -> String {
    let zh = style.lang == super::Lang::Zh;
    let header = if zh {
        vec![
            "渠道",
            "合作历史",
            "诚信度",
            "需求量",
            "信誉度",
            "建议",
            "评审决定",
        ]
    } else {
        vec![
            "channel",
            "history",
            "integrity",
            "volume",
            "rep.",
            "sugg.",
            "decided",
        ]
    };
    let mut t = table(header);
    for g in grades {
        let f = &g.figures;
        let history = match zh {
            true => format!("{} {}个月", level(g.history), f.active_months),
            false => format!("{} {} mo.", level(g.history), f.active_months),
        };
        let integrity = match (&f.major, &f.delisted, zh) {
            (_, Some(d), true) => format!("{} 摘牌 {d}", level(g.integrity)),
            (_, Some(d), false) => format!("{} delisted {d}", level(g.integrity)),
            (Some(v), _, true) => format!("{} 严重违规 {v}", level(g.integrity)),
            (Some(v), _, false) => format!("{} major {v}", level(g.integrity)),
            (None, None, true) => format!("{} 轻微违规{}次", level(g.integrity), f.minor),
            (None, None, false) => format!("{} {} minor", level(g.integrity), f.minor),
        };
        let volume = match zh {
            true => format!("{} {}套", level(g.volume), f.bookings),
            false => format!("{} {} booked", level(g.volume), f.bookings),
        };
        let decided = match &g.decided {
            None => "—".to_string(),
            Some((l, id, at)) => {
                let day = at.with_timezone(&style.tz).format("%Y-%m-%d");
                let mark = if g.differs() == Some(true) {
                    " ≠"
                } else {
                    ""
                };
                format!("{}{mark} {day} {id}", level(*l))
            }
        };
        t.add_row(vec![
            g.channel.to_string(),
            history,
            integrity,
            volume,
            g.reputation.map_or("—", level).to_string(),
            level(g.suggested).to_string(),
            decided,
        ]);
    }
    let heading = match zh {
        true => format!(
            "渠道等级 (R18) 截至 {} · 统计期 {} 起",
            style.time(as_of),
            style.time(from)
        ),
        false => format!(
            "channel grades (R18) as of {} · window from {}",
            style.time(as_of),
            style.time(from)
        ),
    };
    let note = style.pick(
        "建议 = 各项最低等级; 付款情况不评 (账本无渠道付款记录); ≠ 评审决定与建议不同",
        "sugg. = the lowest level; rep. = reputation; payment not assessed (no payments \
         in the ledger); ≠ the decision differs from the suggestion",
    );
    format!(
        "{}\n{t}\n{}",
        super::fit_line(&heading),
        super::fit_line(note)
    )
}
