//! `attrib replay`: every record's verdict in evaluation order.

use super::{Style, card, csv_out, rfc3339, shown, table, unbreakable};
use crate::rules::verdict::Verdict;
use serde::Serialize;
use serde_json::Value;
use std::io::Write;
use unicode_width::UnicodeWidthStr;

/// One JSON object per verdict (RULES.md section 5); phones whole. The same object the streamed
/// output writes (`Row`), as a `Value` for the outputs that nest it (check's timeline, add).
pub fn json_value(v: &Verdict, style: &Style) -> Value {
    serde_json::to_value(Row::new(v, style)).expect("a row serializes")
}

/// A verdict's JSON object, written without building a `Value` (a map and a string per key);
/// its keys in alphabetical order, as a `Value`'s map keeps them, so both give the same bytes.
#[derive(Serialize)]
struct Row<'a> {
    amount: Option<String>,
    at: String,
    broker: Option<&'a str>,
    channel: Option<&'a str>,
    cite: Option<&'a str>,
    /// R15.4, only for a masked report (null while open).
    #[serde(skip_serializing_if = "Option::is_none")]
    completed_by: Option<Option<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    completed_phone: Option<Option<String>>,
    consultant: Option<&'a str>,
    /// R11.6, only when R11 is on (null when the booking has no serving consultant).
    #[serde(skip_serializing_if = "Option::is_none")]
    credited_consultant: Option<Option<&'a str>>,
    findings: Vec<&'static str>,
    id: &'a str,
    kind: &'static str,
    message: String,
    phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<&'a str>,
    rule: &'static str,
    until: Option<String>,
    verdict: &'static str,
}

impl<'a> Row<'a> {
    fn new(v: &'a Verdict, style: &Style) -> Row<'a> {
        let masked = v.phone.is_some_and(|p| p.is_masked());
        Row {
            amount: v.amount.map(|a| a.to_string()),
            at: rfc3339(v.at, style.tz),
            broker: v.broker.as_deref(),
            channel: v.channel.as_deref(),
            cite: v.cite.as_ref().map(|c| c.id.as_str()),
            completed_by: masked.then(|| v.completed.as_deref().map(|d| d.0.as_str())),
            completed_phone: masked.then(|| v.completed.as_deref().map(|d| style.data_phone(d.1))),
            consultant: v.consultant.as_deref(),
            credited_consultant: v.credit.as_ref().map(|c| c.serving.as_deref()),
            findings: v.findings.iter().map(|f| f.code.as_str()).collect(),
            id: &v.id,
            kind: v.kind.singular(),
            message: style.why(v),
            phone: v.phone.map(|p| style.data_phone(p)),
            query: v.query.as_deref(),
            rule: v.rule,
            until: v.until.map(|u| rfc3339(u, style.tz)),
            verdict: v.code.as_str(),
        }
    }
}

/// The JSON array of RULES.md section 5 written to `out` a verdict at a time, then a newline:
/// the bytes of `json` (`serde_json`'s pretty array: each element after a newline and two
/// spaces, its own lines indented two more; a string holds no raw newline).
pub fn write_json<'a>(
    verdicts: impl Iterator<Item = &'a Verdict>,
    style: &Style,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut any = false;
    out.write_all(b"[")?;
    let render = |chunk: &[(usize, &Verdict)], buf: &mut Vec<u8>| {
        let mut one = Vec::with_capacity(512);
        for &(n, v) in chunk {
            one.clear();
            serde_json::to_writer_pretty(&mut one, &Row::new(v, style))
                .expect("JSON rows serialize");
            buf.extend_from_slice(if n == 0 { b"\n  " } else { b",\n  " });
            for line in one.split_inclusive(|&b| b == b'\n') {
                buf.extend_from_slice(line);
                if line.ends_with(b"\n") {
                    buf.extend_from_slice(b"  ");
                }
            }
        }
    };
    super::write_chunked(verdicts.inspect(|_| any = true), out, &render)?;
    out.write_all(if any { b"\n]\n" } else { b"]\n" })?;
    Ok(())
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

/// A verdict's CSV cells, in `CSV_HEADER`'s order.
fn csv_cells(v: &Verdict, style: &Style) -> [String; 12] {
    [
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
}

pub fn csv(verdicts: &[Verdict], style: &Style, out: &mut dyn Write) -> anyhow::Result<()> {
    write_csv(verdicts.iter(), style, out)
}

/// The CSV written to `out` a verdict at a time (the same bytes as `csv`).
pub fn write_csv<'a>(
    verdicts: impl Iterator<Item = &'a Verdict>,
    style: &Style,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    csv_out::Rows::start(&mut *out, false, &CSV_HEADER)?.finish()?;
    let render = |chunk: &[(usize, &Verdict)], buf: &mut Vec<u8>| {
        let mut w = csv_out::Rows::body(buf);
        for &(_, v) in chunk {
            w.row(&csv_cells(v, style)).expect("CSV rows into memory");
        }
        w.finish().expect("CSV rows into memory");
    };
    super::write_chunked(verdicts, out, &render)?;
    Ok(())
}

/// The auditor's table's header: time, kind, id, phone, verdict, rule, why.
fn table_header(style: &Style) -> [&'static str; 7] {
    if style.lang == super::Lang::Zh {
        ["时间", "类别", "编号", "电话", "判定", "规则", "说明"]
    } else {
        ["at", "kind", "id", "phone", "verdict", "rule", "why"]
    }
}

/// The rule column's word: the clause, or void's word in the language.
fn rule_word(v: &Verdict, style: &Style) -> &'static str {
    match v.rule {
        "void" => style.pick("作废", "void"), // no English word in zh
        rule => rule,
    }
}

/// Why, with each finding on a line below it (an error finding marked as one).
fn why_lines(v: &Verdict, style: &Style) -> String {
    let mut why = style.why(v);
    for f in &v.findings {
        // an error finding (below-floor, unit-taken) is marked as one
        let mark = match f.severity {
            crate::rules::verdict::Severity::Error => "✗",
            crate::rules::verdict::Severity::Warning => "⚠",
        };
        why.push_str(&format!("\n{mark} {}", style.finding(f)));
    }
    why
}

/// A verdict's row of the auditor's table.
fn table_row(v: &Verdict, style: &Style) -> [String; 7] {
    [
        style.time(v.at),
        style.record(v.kind, v.contact).to_string(),
        v.id.to_string(),
        v.phone.map(|p| style.phone(p)).unwrap_or_default(),
        style.code(v.code).to_string(),
        rule_word(v, style).to_string(),
        why_lines(v, style),
    ]
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
    let mut t = table(table_header(style).to_vec());
    for v in verdicts {
        t.add_row(table_row(v, style).to_vec());
    }
    t.to_string()
}

/// The least width of the why column of the streamed table: a date and time, an amount, a
/// masked phone and the words around them.
const WHY_LEAST: usize = 16;

/// The widths of the streamed table's first six columns, natural and least (`Stream::fit`), and
/// the why column's natural width (measured only when `measure_why`: with no width limit).
fn column_widths<'a>(
    verdicts: impl Iterator<Item = &'a Verdict>,
    style: &Style,
    measure_why: bool,
) -> ([usize; 6], [usize; 6], usize) {
    let header = table_header(style);
    let mut natural: [usize; 6] = std::array::from_fn(|i| header[i].width());
    let mut least: [usize; 6] = std::array::from_fn(|i| unbreakable(header[i]));
    let mut why = header[6].width();
    let mut see = |i: usize, cell: &str| {
        natural[i] = natural[i].max(cell.width());
        least[i] = least[i].max(unbreakable(cell));
    };
    for (n, v) in verdicts.enumerate() {
        if n == 0 {
            see(0, &style.time(v.at)); // every time is written alike
        }
        see(1, style.record(v.kind, v.contact));
        see(2, &shown(&v.id, true));
        if let Some(p) = v.phone {
            // only a sealed family's phones differ from 11 characters, and they are words
            if style.sealed.is_empty() {
                see(3, "139****0000");
            } else {
                see(3, &style.phone(p));
            }
        }
        see(4, style.code(v.code));
        see(5, rule_word(v, style));
        if measure_why {
            let text = why_lines(v, style);
            why = (shown(&text, true).lines()).fold(why, |w, l| w.max(l.width()));
        }
    }
    (natural, least, why)
}

/// The auditor's table written a verdict at a time (`replay` of a whole ledger): the columns
/// are sized from the width (`width`, 0 for no limit) and from one pass over the verdicts that
/// measures the short cells (ids, labels); the why column takes the rest and wraps. When even
/// the narrowest columns leave why less than `WHY_LEAST`, one card per verdict instead.
pub fn write_table<'a, I>(
    verdicts: I,
    style: &Style,
    width: usize,
    out: &mut dyn Write,
) -> anyhow::Result<()>
where
    I: Iterator<Item = &'a Verdict> + Clone,
{
    let header = table_header(style);
    let (natural, least, why) = column_widths(verdicts.clone(), style, width == 0);
    // the time breaks between date and hour first, then the kind's label (its common words
    // are two Chinese characters), then the verdict's; never the id or the phone
    let shrink = [0, 1, 4, 5];
    match super::Stream::fit(width, &natural, &least, &shrink, (WHY_LEAST, why)) {
        Some(t) => {
            out.write_all(t.top().as_bytes())?;
            out.write_all(t.header(&header).as_bytes())?;
            let render = |chunk: &[(usize, &Verdict)], buf: &mut Vec<u8>| {
                for &(_, v) in chunk {
                    let cells = table_row(v, style);
                    buf.extend_from_slice(t.row(&cells.each_ref().map(String::as_str)).as_bytes());
                }
            };
            super::write_chunked(verdicts, out, &render)?;
            out.write_all(t.bottom().as_bytes())?;
        }
        None => {
            let render = |chunk: &[(usize, &Verdict)], buf: &mut Vec<u8>| {
                for &(n, v) in chunk {
                    let cells = table_row(v, style).map(|c| shown(&c, true).into_owned());
                    let cells = cells.each_ref().map(String::as_str);
                    buf.extend_from_slice(card(n + 1, &header, &cells, width).as_bytes());
                }
            };
            super::write_chunked(verdicts, out, &render)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    fn style() -> Style {
        Style {
            lang: super::super::Lang::Zh,
            tz: chrono::FixedOffset::east_opt(8 * 3600).unwrap(),
            reveal: false,
            mask: false,
            sealed: &[],
        }
    }

    fn ledger() -> Lb {
        Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .report("R2", "2026-03-01 10:00", "房多多", "赵六", P1)
            .visit("C1", "2026-03-02 10:00", "链家", "王五", P1)
            .booking("B1", "2026-03-05 10:00", P1)
    }

    #[test]
    fn streamed_json_and_csv_are_the_bytes_of_the_whole_output() {
        let lb = ledger();
        let e = lb.eval("2026-04-01 00:00");
        let mut out = vec![];
        write_json(e.verdicts.iter(), &style(), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            json(&e.verdicts, &style()) + "\n"
        );
        let mut out = vec![];
        write_json(e.verdicts.iter().take(0), &style(), &mut out).unwrap();
        assert_eq!(out, b"[]\n");
        let mut streamed = vec![];
        write_csv(e.verdicts.iter(), &style(), &mut streamed).unwrap();
        let rows: Vec<Vec<String>> = (e.verdicts.iter())
            .map(|v| csv_cells(v, &style()).to_vec())
            .collect();
        let mut whole = vec![];
        csv_out::write(&mut whole, false, &CSV_HEADER, &rows).unwrap();
        assert_eq!(streamed, whole);
    }

    /// The streamed row writes the part-two keys `json_value` adds (R11.6 `credited_consultant`,
    /// R15.4 `completed_by`/`completed_phone`) as the same bytes.
    #[test]
    fn streamed_json_keeps_the_part_two_keys() {
        let mut lb = Lb::new();
        lb.l.config.masked_reports = true;
        lb.l.config.consultants.table = true;
        let report = [
            ("id", "RP1"),
            ("at", "2026-03-01 09:00"),
            ("channel", "链家"),
            ("broker", "王五"),
            ("client", "刘洋"),
            ("phone", "138****5678"),
        ];
        let visit = [
            ("id", "V1"),
            ("at", "2026-03-02 10:00"),
            ("kind", "visit"),
            ("phone", "13812345678"),
            ("client", "刘洋"),
            ("consultant", "张三"),
        ];
        let lb = (lb.row(crate::model::Kind::Report, &report))
            .row(crate::model::Kind::Contact, &visit)
            .booking("B1", "2026-03-05 10:00", crate::model::Phone(13812345678));
        let e = lb.eval("2026-04-01 00:00");
        let mut out = vec![];
        write_json(e.verdicts.iter(), &style(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, json(&e.verdicts, &style()) + "\n");
        assert!(text.contains("\"completed_by\": \"V1\""), "{text}");
        assert!(text.contains("\"credited_consultant\""), "{text}");
    }

    #[test]
    fn the_streamed_table_has_a_row_per_verdict_at_its_width_or_cards() {
        let lb = ledger();
        let e = lb.eval("2026-04-01 00:00");
        let mut out = vec![];
        write_table(e.verdicts.iter(), &style(), 100, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        use unicode_width::UnicodeWidthStr;
        assert!(text.lines().all(|l| l.width() == 100), "{text}");
        let firsts: Vec<&str> = (text.lines())
            .filter(|l| l.starts_with("│ 2026-"))
            .map(|l| l.split('┆').nth(2).unwrap().trim())
            .collect();
        assert_eq!(firsts, ["R1", "R2", "C1", "B1"], "{text}");
        assert!(text.contains("撞单"), "{text}");
        let mut out = vec![];
        write_table(e.verdicts.iter(), &style(), 50, &mut out).unwrap();
        let cards = String::from_utf8(out).unwrap();
        assert!(
            cards.starts_with("── 1 ─") && cards.contains("── 4 ─"),
            "{cards}"
        );
        assert!(cards.contains("编号  R2\n"), "{cards}");
    }
}
