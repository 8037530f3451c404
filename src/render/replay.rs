//! `attrib replay`: every record's verdict in evaluation order.

use super::{Style, card, csv_out, rfc3339, shown, table, unbreakable};
use crate::rules::verdict::Verdict;
use serde::Serialize;
use serde_json::Value;
use std::borrow::Cow;
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

    /// The row as an element of the pretty-printed top array: the bytes `serde_json` writes for
    /// it there (the tests hold the two equal), with each key, its quotes, the line break and the
    /// indentation before it written at once, and only the values through `serde_json` (the
    /// escaping). Derived serialization spent most of a million objects' time on the keys. The
    /// fields are taken apart whole, so a new field does not compile until it is written here.
    fn write_element(&self, out: &mut Vec<u8>) {
        let Row {
            amount,
            at,
            broker,
            channel,
            cite,
            completed_by,
            completed_phone,
            consultant,
            credited_consultant,
            findings,
            id,
            kind,
            message,
            phone,
            query,
            rule,
            until,
            verdict,
        } = self;
        let mut first = true;
        let mut key = |out: &mut Vec<u8>, key: &str| {
            out.extend_from_slice(if first { b"{\n    \"" } else { b",\n    \"" });
            out.extend_from_slice(key.as_bytes()); // keys are plain words: nothing to escape
            out.extend_from_slice(b"\": ");
            first = false;
        };
        fn value(out: &mut Vec<u8>, v: &(impl Serialize + ?Sized)) {
            serde_json::to_writer(out, v).expect("JSON values serialize");
        }
        key(out, "amount");
        value(out, amount);
        key(out, "at");
        value(out, at);
        key(out, "broker");
        value(out, broker);
        key(out, "channel");
        value(out, channel);
        key(out, "cite");
        value(out, cite);
        if let Some(c) = completed_by {
            key(out, "completed_by");
            value(out, c);
        }
        if let Some(c) = completed_phone {
            key(out, "completed_phone");
            value(out, c);
        }
        key(out, "consultant");
        value(out, consultant);
        if let Some(c) = credited_consultant {
            key(out, "credited_consultant");
            value(out, c);
        }
        key(out, "findings");
        match findings.as_slice() {
            [] => out.extend_from_slice(b"[]"),
            codes => {
                for (n, code) in codes.iter().enumerate() {
                    out.extend_from_slice(if n == 0 { b"[\n      " } else { b",\n      " });
                    value(out, code);
                }
                out.extend_from_slice(b"\n    ]");
            }
        }
        key(out, "id");
        value(out, id);
        key(out, "kind");
        value(out, kind);
        key(out, "message");
        value(out, message);
        key(out, "phone");
        value(out, phone);
        if let Some(q) = query {
            key(out, "query");
            value(out, q);
        }
        key(out, "rule");
        value(out, rule);
        key(out, "until");
        value(out, until);
        key(out, "verdict");
        value(out, verdict);
        out.extend_from_slice(b"\n  }");
    }
}

/// The JSON array of RULES.md section 5 written to `out` a verdict at a time, then a newline:
/// the bytes of `json` (`serde_json`'s pretty array: each element after a newline and two
/// spaces, its own lines indented two more; a string holds no raw newline).
pub fn write_json<V: Verdicts + ?Sized>(
    verdicts: &V,
    style: &Style,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    out.write_all(b"[")?;
    // each object made where the verdict was judged
    let object = |v: Verdict| {
        let mut one = Vec::with_capacity(1024); // most objects fit: no growing
        Row::new(&v, style).write_element(&mut one);
        Some(one)
    };
    let mut n = 0;
    written(out, |write| {
        verdicts.each(&object, &mut |one| {
            write(if n == 0 { b"\n  " } else { b",\n  " });
            write(&one);
            n += 1;
        })
    })?;
    out.write_all(if n > 0 { b"\n]\n" } else { b"]\n" })?;
    Ok(())
}

/// Runs `write_all`, which writes through the function it is given; the first write error is
/// kept (later writes are skipped) and returned at the end.
fn written(
    out: &mut dyn Write,
    write_all: impl FnOnce(&mut dyn FnMut(&[u8])),
) -> std::io::Result<()> {
    let mut error = None;
    write_all(&mut |bytes| {
        if error.is_none()
            && let Err(e) = out.write_all(bytes)
        {
            error = Some(e);
        }
    });
    error.map_or(Ok(()), Err)
}

/// The verdicts to write, in evaluation order: the engine's as it judges them (`replay`), or a
/// list's. `each` turns each one by `map` where it is (on the engine's two threads) and hands
/// the results on in order; the table goes over them twice.
pub trait Verdicts {
    fn each<R: Send>(&self, map: &(dyn Fn(Verdict) -> Option<R> + Sync), each: &mut dyn FnMut(R));
}

impl Verdicts for [Verdict] {
    fn each<R: Send>(&self, map: &(dyn Fn(Verdict) -> Option<R> + Sync), each: &mut dyn FnMut(R)) {
        self.iter().cloned().filter_map(map).for_each(each)
    }
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
fn csv_cells<'v>(v: &'v Verdict, style: &Style) -> [Cow<'v, str>; 12] {
    let text = |t: &'v Option<crate::model::Text>| Cow::Borrowed(t.as_deref().unwrap_or_default());
    [
        Cow::Borrowed(&v.id),
        Cow::Borrowed(v.kind.singular()),
        Cow::Owned(rfc3339(v.at, style.tz)),
        Cow::Borrowed(v.code.as_str()),
        Cow::Borrowed(v.rule),
        Cow::Owned(v.phone.map(|p| style.data_phone(p)).unwrap_or_default()),
        text(&v.channel),
        text(&v.broker),
        text(&v.consultant),
        Cow::Owned(v.amount.map(|a| a.to_string()).unwrap_or_default()),
        match &v.findings[..] {
            [] => Cow::Borrowed(""),
            [one] => Cow::Borrowed(one.code.as_str()),
            many => Cow::Owned(
                many.iter()
                    .map(|f| f.code.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        },
        Cow::Owned(style.why(v)),
    ]
}

/// The CSV of RULES.md section 5 written to `out` a verdict at a time.
pub fn write_csv<V: Verdicts + ?Sized>(
    verdicts: &V,
    style: &Style,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    csv_out::Rows::start(&mut *out, false, &CSV_HEADER)?.finish()?;
    let row = |v: Verdict| Some(csv_out::row_bytes(&csv_cells(&v, style)));
    written(out, |write| verdicts.each(&row, &mut |bytes| write(&bytes)))?;
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
fn column_widths<V: Verdicts + ?Sized>(
    verdicts: &V,
    style: &Style,
    measure_why: bool,
) -> ([usize; 6], [usize; 6], usize) {
    let header = table_header(style);
    let mut natural: [usize; 6] = std::array::from_fn(|i| header[i].width());
    let mut least: [usize; 6] = std::array::from_fn(|i| unbreakable(header[i]));
    let mut why = header[6].width();
    // a verdict's cells, measured where it was judged
    let measure = |v: Verdict| {
        // only a sealed family's phones differ from 11 characters, and they are words
        let phone = v
            .phone
            .map_or(Cow::Borrowed(""), |p| match style.sealed.is_empty() {
                true => Cow::Borrowed("139****0000"),
                false => Cow::Owned(style.phone(p)),
            });
        let cells = [
            Cow::Owned(style.time(v.at)),
            Cow::Borrowed(style.record(v.kind, v.contact)),
            shown(&v.id, true),
            phone,
            Cow::Borrowed(style.code(v.code)),
            Cow::Borrowed(rule_word(&v, style)),
        ];
        let why = match measure_why {
            true => (shown(&why_lines(&v, style), true).lines()).fold(0, |w, l| w.max(l.width())),
            false => 0,
        };
        Some((cells.each_ref().map(|c| (c.width(), unbreakable(c))), why))
    };
    verdicts.each(&measure, &mut |(cells, w)| {
        for (i, (n, l)) in cells.into_iter().enumerate() {
            natural[i] = natural[i].max(n);
            least[i] = least[i].max(l);
        }
        why = why.max(w);
    });
    (natural, least, why)
}

/// The auditor's table written a verdict at a time (`replay` of a whole ledger): the columns
/// are sized from the width (`width`, 0 for no limit) and from a first walk over the verdicts
/// that measures the short cells (ids, labels); the why column takes the rest and wraps. When even
/// the narrowest columns leave why less than `WHY_LEAST`, one card per verdict instead.
pub fn write_table<V: Verdicts + ?Sized>(
    verdicts: &V,
    style: &Style,
    width: usize,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let header = table_header(style);
    let (natural, least, why) = column_widths(verdicts, style, width == 0);
    // the time breaks between date and hour first, then the kind's label (its common words
    // are two Chinese characters), then the verdict's; never the id or the phone
    let shrink = [0, 1, 4, 5];
    match super::Stream::fit(width, &natural, &least, &shrink, (WHY_LEAST, why)) {
        Some(t) => {
            out.write_all(t.top().as_bytes())?;
            out.write_all(t.header(&header).as_bytes())?;
            let row = |v: Verdict| {
                let cells = table_row(&v, style);
                Some(t.row(&cells.each_ref().map(String::as_str)))
            };
            written(out, |write| {
                verdicts.each(&row, &mut |line| write(line.as_bytes()))
            })?;
            out.write_all(t.bottom().as_bytes())?;
        }
        None => {
            // a card's number is its place: the cards are made in order, here
            let cells =
                |v: Verdict| Some(table_row(&v, style).map(|c| shown(&c, true).into_owned()));
            let mut n = 0;
            written(out, |write| {
                verdicts.each(&cells, &mut |cells| {
                    n += 1;
                    let cells = cells.each_ref().map(String::as_str);
                    write(card(n, &header, &cells, width).as_bytes())
                })
            })?;
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
        write_json(&e.verdicts[..], &style(), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            json(&e.verdicts, &style()) + "\n"
        );
        let mut out = vec![];
        write_json(&[][..], &style(), &mut out).unwrap();
        assert_eq!(out, b"[]\n");
        let mut streamed = vec![];
        write_csv(&e.verdicts[..], &style(), &mut streamed).unwrap();
        let rows: Vec<Vec<String>> = (e.verdicts.iter())
            .map(|v| csv_cells(v, &style()).map(String::from).to_vec())
            .collect();
        let mut whole = vec![];
        csv_out::write(&mut whole, false, &CSV_HEADER, &rows).unwrap();
        assert_eq!(streamed, whole);
    }

    /// `write_element` writes what serde_json's pretty printer writes for the row as an element
    /// of an array, every key present or absent, texts that need escaping included.
    #[test]
    fn an_element_is_written_as_serde_json_writes_it() {
        let odd = "引号\" 反斜杠\\ 换行\n 制表\t \u{1}";
        let full = || Row {
            amount: Some("36000.00".into()),
            at: "2026-03-01T09:00:00+08:00".into(),
            broker: Some(odd),
            channel: Some("链家"),
            cite: Some("C-1"),
            completed_by: Some(Some("V1")),
            completed_phone: Some(None),
            consultant: Some("张三"),
            credited_consultant: Some(None),
            findings: vec!["slip-pending", "name-mismatch"],
            id: "B-1",
            kind: "booking",
            message: odd.into(),
            phone: Some("13900000001".into()),
            query: Some("Q-1"),
            rule: "R7.2",
            until: None,
            verdict: "channel",
        };
        let bare = || Row {
            amount: None,
            broker: None,
            completed_by: None,
            completed_phone: None,
            credited_consultant: None,
            findings: vec!["one"],
            query: None,
            phone: None,
            ..full()
        };
        let empty = Row {
            findings: vec![],
            ..bare()
        };
        for row in [full(), bare(), empty] {
            let pretty = serde_json::to_vec_pretty(&[&row]).unwrap();
            let mut one = vec![];
            row.write_element(&mut one);
            // `[\n  ` and `\n]` are the array's
            let element = &pretty[4..pretty.len() - 2];
            assert_eq!(
                String::from_utf8(one).unwrap(),
                String::from_utf8_lossy(element)
            );
        }
    }

    /// A write that fails is told, once, whatever the format; nothing after it is written.
    #[test]
    fn a_failed_write_is_an_error() {
        struct Full(usize);
        impl std::io::Write for Full {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                match self.0 >= b.len() {
                    true => Ok(b.len()).inspect(|n| self.0 -= n),
                    false => Err(std::io::Error::other("disk full")),
                }
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let lb = ledger();
        let e = lb.eval("2026-04-01 00:00");
        let v = &e.verdicts[..];
        let csv = write_csv(v, &style(), &mut Full(200));
        let json = write_json(v, &style(), &mut Full(200));
        let table = write_table(v, &style(), 100, &mut Full(600));
        for r in [csv, json, table] {
            assert_eq!(r.unwrap_err().to_string(), "disk full");
        }
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
        write_json(&e.verdicts[..], &style(), &mut out).unwrap();
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
        write_table(&e.verdicts[..], &style(), 100, &mut out).unwrap();
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
        write_table(&e.verdicts[..], &style(), 50, &mut out).unwrap();
        let cards = String::from_utf8(out).unwrap();
        assert!(
            cards.starts_with("── 1 ─") && cards.contains("── 4 ─"),
            "{cards}"
        );
        assert!(cards.contains("编号  R2\n"), "{cards}");
    }
}
