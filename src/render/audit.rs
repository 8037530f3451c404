//! `attrib audit` output: a table for the auditor, JSON and CSV for scripts.

use super::{Style, csv_out, table};
use crate::rules::audit::{Finding, FindingKind};
use serde_json::json;

fn kind_word(k: FindingKind, style: &Style) -> &'static str {
    match k {
        FindingKind::Edit => style.pick("改动已有行", "edit"),
        FindingKind::Deletion => style.pick("删除已有行", "deletion"),
        FindingKind::BackDated => style.pick("补录", "back-dated"),
        FindingKind::PreDated => style.pick("预填", "pre-dated"),
        FindingKind::Flip => style.pick("判定改变", "flip"),
        FindingKind::Correction => style.pick("作废更正", "correction"),
        FindingKind::MoneyMoved => style.pick("已结算月份金额变动", "money moved"),
        FindingKind::Uncommitted => style.pick("未提交未审计", "uncommitted"),
    }
}

/// A finding's text for a person: every phone masked (`mask_phones`) unless `--reveal`.
fn masked(text: &str, style: &Style) -> String {
    if style.reveal {
        return text.to_string();
    }
    mask_phones(text)
}

/// Every phone in a text (a run of exactly 11 digits starting with 1) as `138****5678`.
fn mask_phones(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let starts = i == 0 || !chars[i - 1].is_ascii_digit();
        if run == 11 && starts && chars[i] == '1' {
            let s: String = chars[i..i + 11].iter().collect();
            out.push_str(&format!("{}****{}", &s[..3], &s[7..]));
            i += 11;
        } else if run > 0 {
            out.extend(&chars[i..i + run]);
            i += run;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

pub fn table_text(findings: &[Finding], commits: usize, style: &Style) -> String {
    if findings.is_empty() {
        return style
            .pick(
                &format!(
                    "审计通过: {commits} 次提交, 只有追加, 无补录或预填, 判定未变, 已结算月份金额未变"
                ),
                &format!(
                    "clean: {commits} commits, appends only, nothing back-dated or pre-dated, no verdict changed, no settled money moved"
                ),
            )
            .to_string();
    }
    let header = if style.lang == super::Lang::Zh {
        vec![
            "类别",
            "提交",
            "说明",
            "作者",
            "提交时间",
            "位置",
            "编号",
            "之前",
            "之后",
        ]
    } else {
        vec![
            "finding",
            "commit",
            "subject",
            "author",
            "date",
            "file:line",
            "id",
            "before",
            "after",
        ]
    };
    let mut t = table(header);
    for f in findings {
        t.add_row(vec![
            kind_word(f.kind, style).to_string(),
            f.commit.clone(),
            f.subject.clone(),
            f.author.clone(),
            f.date.clone(),
            match f.line {
                0 => f.file.clone(),
                n => format!("{}:{n}", f.file),
            },
            // a slip signature's key names its role: in the reader's words
            masked(&f.id, style)
                .split(' ')
                .map(|w| style.role_name(w))
                .collect::<Vec<_>>()
                .join(" "),
            masked(&f.before, style),
            masked(&f.after, style),
        ]);
    }
    format!(
        "{t}\n{}",
        style.pick(
            &format!("{} 项发现, {commits} 次提交", findings.len()),
            &format!("{} findings in {commits} commits", findings.len())
        )
    )
}

const HEADER: [&str; 10] = [
    "kind", "commit", "author", "date", "file", "line", "id", "before", "after", "subject",
];

/// A finding's cells for scripts: whole, or with every phone in the id, the row texts and the
/// subject masked with `--mask` (exports that leave the office).
fn cells(f: &Finding, style: &Style) -> Vec<String> {
    let text = |t: &str| match style.mask {
        true => mask_phones(t),
        false => t.to_string(),
    };
    vec![
        f.kind.as_str().to_string(),
        f.commit.clone(),
        text(&f.author),
        f.date.clone(),
        f.file.clone(),
        f.line.to_string(),
        text(&f.id),
        text(&f.before),
        text(&f.after),
        text(&f.subject),
    ]
}

pub fn json(findings: &[Finding], style: &Style) -> String {
    let v: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            let mut o = serde_json::Map::new();
            for (k, v) in HEADER.iter().zip(cells(f, style)) {
                o.insert(k.to_string(), json!(v));
            }
            o.insert("line".into(), json!(f.line));
            serde_json::Value::Object(o)
        })
        .collect();
    serde_json::to_string_pretty(&v).expect("JSON values serialize")
}

pub fn csv(
    findings: &[Finding],
    style: &Style,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    let rows: Vec<Vec<String>> = findings.iter().map(|f| cells(f, style)).collect();
    csv_out::write(out, false, &HEADER, &rows)
}
