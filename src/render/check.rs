//! `attrib check PHONE`: the client's owner now, and why.

use super::{Style, csv_out, rfc3339, table};
use crate::rules::check::ClientStatus;
use crate::rules::verdict::{Severity, Verdict};
use serde_json::{Value, json};

pub fn json(s: &ClientStatus, verdicts: &[Verdict], style: &Style) -> String {
    let tz = style.tz;
    let findings: Vec<Value> = s
        .booking
        .findings
        .iter()
        .map(|f| {
            json!({
                "code": f.code.as_str(),
                "severity": f.severity.as_str(),
                "rule": f.rule,
                "message": style.finding(f),
            })
        })
        .collect();
    let timeline: Vec<Value> = s
        .timeline
        .iter()
        .map(|&i| super::replay::json_value(&verdicts[i], style))
        .collect();
    let mut v = json!({
        "phone": s.phone.to_string(),
        "as_of": rfc3339(s.as_of, tz),
        "family": s.family.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
        "owner": s.owner.map(|c| c.as_str()).unwrap_or("none"),
        "rule": s.rule,
        "channel": s.channel,
        "broker": s.broker,
        "consultant": s.consultant,
        "hold_until": s.hold_until.map(|t| rfc3339(t, tz)),
        "protected_until": s.protected_until.map(|t| rfc3339(t, tz)),
        "findings": findings,
        "timeline": timeline,
    });
    if let Some(q) = &s.booking.query {
        // R14.3: the query slip used for the buyer's name (only when there is one)
        v["query"] = json!(q);
    }
    serde_json::to_string_pretty(&v).expect("JSON values serialize")
}

/// CSV: one row of the client's standing, findings joined by spaces.
pub fn csv(s: &ClientStatus, style: &Style, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    let tz = style.tz;
    let header = [
        "phone",
        "as_of",
        "family",
        "owner",
        "rule",
        "channel",
        "broker",
        "consultant",
        "hold_until",
        "protected_until",
        "findings",
    ];
    let row = vec![
        s.phone.to_string(),
        rfc3339(s.as_of, tz),
        s.family
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join(" "),
        s.owner.map(|c| c.as_str()).unwrap_or("none").to_string(),
        s.rule.to_string(),
        s.channel.as_deref().unwrap_or_default().to_string(),
        s.broker.as_deref().unwrap_or_default().to_string(),
        s.consultant.as_deref().unwrap_or_default().to_string(),
        s.hold_until.map(|t| rfc3339(t, tz)).unwrap_or_default(),
        s.protected_until
            .map(|t| rfc3339(t, tz))
            .unwrap_or_default(),
        s.booking
            .findings
            .iter()
            .map(|f| f.code.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    ];
    csv_out::write(out, false, &header, &[row])
}

/// The clerk's answer: who owns the client and why, the periods, what a booking would be
/// flagged for, and the evidence.
pub fn text(s: &ClientStatus, verdicts: &[Verdict], style: &Style) -> String {
    let p = |zh, en| style.pick(zh, en).to_string();
    let mut t = table(vec![&p("项目", "item"), &p("内容", "value")]);
    let family = s
        .family
        .iter()
        .map(|x| style.phone(*x))
        .collect::<Vec<_>>()
        .join(" ");
    let mut owner = format!("{} ({})", style.owner(s.owner), s.rule);
    if s.owner.is_some() && s.booking.cite.is_some() {
        owner.push_str(&format!("\n{}", style.why(&s.booking)));
    }
    let dash = || "-".to_string();
    t.add_row(vec![p("电话", "phone"), style.phone(s.phone)]);
    t.add_row(vec![p("查询时间", "as of"), style.time(s.as_of)]);
    t.add_row(vec![p("家庭成员", "family"), family]);
    t.add_row(vec![p("归属", "owner"), owner]);
    t.add_row(vec![
        p("渠道", "channel"),
        s.channel
            .clone()
            .map(|c| format!("{c} {}", s.broker.as_deref().unwrap_or_default()))
            .unwrap_or_else(dash),
    ]);
    t.add_row(vec![
        p("渠道保护至", "hold until"),
        s.hold_until.map(|x| style.until(x)).unwrap_or_else(dash),
    ]);
    t.add_row(vec![
        p("来电来访保护期至", "protected until"),
        s.protected_until
            .map(|x| style.until(x))
            .unwrap_or_else(dash),
    ]);
    t.add_row(vec![
        p("首访置业顾问", "first-visit consultant"),
        s.consultant.as_deref().map_or_else(dash, str::to_string),
    ]);
    if let Some(q) = &s.booking.query {
        // R14.3: the query slip that confirms the buyer's name
        t.add_row(vec![
            p("客户属别查询单", "query slip"),
            format!("{q} {}", p("已确认认购人姓名", "confirms the buyer's name")),
        ]);
    }
    let findings: Vec<String> = s
        .booking
        .findings
        .iter()
        .map(|f| {
            let mark = if f.severity == Severity::Error {
                "✗"
            } else {
                "⚠"
            };
            format!("{mark} {} ({})", style.finding(f), f.rule)
        })
        .collect();
    let none = p("无", "none");
    t.add_row(vec![
        p("认购提示", "booking findings"),
        if findings.is_empty() {
            none
        } else {
            findings.join("\n")
        },
    ]);
    let mut out = t.to_string();
    if !s.timeline.is_empty() {
        out.push('\n');
        out.push_str(&p("记录:", "evidence:"));
        out.push('\n');
        out.push_str(&super::replay::table_text(
            s.timeline.iter().map(|&i| &verdicts[i]),
            style,
        ));
    }
    out
}
