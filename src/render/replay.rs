//! `attrib replay`: every record's verdict in evaluation order.

use super::{Style, csv_out, rfc3339, table};
use crate::rules::verdict::Verdict;
use serde_json::{Value, json};

/// One JSON object per verdict (RULES.md section 5); phones whole.
pub fn json_value(v: &Verdict, style: &Style) -> Value {
    let mut out = json!({
        "id": v.id,
        "kind": v.kind.singular(),
        "at": rfc3339(v.at, style.tz),
        "verdict": v.code.as_str(),
        "rule": v.rule,
        "phone": v.phone.map(|p| style.data_phone(p)),
        "channel": v.channel,
        "broker": v.broker,
        "consultant": v.consultant,
        "amount": v.amount.map(|a| a.to_string()),
        "until": v.until.map(|u| rfc3339(u, style.tz)),
        "cite": v.cite.as_ref().map(|c| c.id.clone()),
        "findings": v.findings.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(),
        "message": style.why(v),
    });
    if let Some(q) = &v.query {
        // R14.3: the query slip that confirmed a booking's buyer name (only when there is one)
        out["query"] = json!(q);
    }
    if v.phone.is_some_and(|p| p.is_masked()) {
        // R15.4 (§4.2): a masked report's completing visit and phone (null while open)
        let done = v.completed.as_deref();
        out["completed_by"] = json!(done.map(|d| &d.0));
        out["completed_phone"] = json!(done.map(|d| style.data_phone(d.1)));
    }
    if let Some(c) = &v.credit {
        // R11.6: a booking's serving consultant, only when R11 is on (null when there is none)
        out["credited_consultant"] = json!(c.serving);
    }
    out
}

pub fn json(verdicts: &[Verdict], style: &Style) -> String {
    let arr: Vec<Value> = verdicts.iter().map(|v| json_value(v, style)).collect();
    serde_json::to_string_pretty(&arr).expect("JSON values serialize")
}

pub const CSV_HEADER: [&str; 12] = [
    "id",
    "kind",
    "at",
    "verdict",
    "rule",
    "phone",
    "channel",
    "broker",
    "consultant",
    "amount",
    "findings",
    "message",
];

pub fn csv_rows(verdicts: &[Verdict], style: &Style) -> Vec<Vec<String>> {
    verdicts
        .iter()
        .map(|v| {
            vec![
                v.id.to_string(),
                v.kind.singular().to_string(),
                rfc3339(v.at, style.tz),
                v.code.as_str().to_string(),
                v.rule.to_string(),
                v.phone.map(|p| style.data_phone(p)).unwrap_or_default(),
                v.channel.as_deref().unwrap_or_default().to_string(),
                v.broker.as_deref().unwrap_or_default().to_string(),
                v.consultant.as_deref().unwrap_or_default().to_string(),
                v.amount.map(|a| a.to_string()).unwrap_or_default(),
                v.findings
                    .iter()
                    .map(|f| f.code.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                style.why(v),
            ]
        })
        .collect()
}

pub fn csv(
    verdicts: &[Verdict],
    style: &Style,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    csv_out::write(out, false, &CSV_HEADER, &csv_rows(verdicts, style))
}

/// R16: the line that says the ledger was judged visit-first (到访为王); report-first output
/// has no such line, so it stays as it was.
pub fn mode_line(style: &Style) -> String {
    style
        .pick(
            "判定方式: 到访为王 (visit-first, R16), 首次到访决定归属",
            "mode: visit-first (R16): the first visit decides",
        )
        .to_string()
}

/// The auditor's table: time, kind, id, phone, verdict, rule, why (findings below it).
pub fn table_text<'a>(verdicts: impl IntoIterator<Item = &'a Verdict>, style: &Style) -> String {
    let header = if style.lang == super::Lang::Zh {
        vec!["时间", "类别", "编号", "电话", "判定", "规则", "说明"]
    } else {
        vec!["at", "kind", "id", "phone", "verdict", "rule", "why"]
    };
    let mut t = table(header);
    for v in verdicts {
        let mut why = style.why(v);
        for f in &v.findings {
            // an error finding (below-floor, unit-taken) is marked as one
            let mark = match f.severity {
                crate::rules::verdict::Severity::Error => "✗",
                crate::rules::verdict::Severity::Warning => "⚠",
            };
            why.push_str(&format!("\n{mark} {}", style.finding(f)));
        }
        t.add_row(vec![
            style.time(v.at),
            style.record(v.kind, v.contact).to_string(),
            v.id.to_string(),
            v.phone.map(|p| style.phone(p)).unwrap_or_default(),
            style.code(v.code).to_string(),
            match v.rule {
                "void" => style.pick("作废", "void").to_string(), // no English word in zh
                rule => rule.to_string(),
            },
            why,
        ]);
    }
    t.to_string()
}
