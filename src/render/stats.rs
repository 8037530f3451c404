//! `attrib stats`: the funnel per source as a table, CSV, JSON, and an SVG picture (a funnel per
//! source and a month-by-month bar chart of bookings) drawn with plotters' SVG backend; every
//! label and figure is SVG text, Chinese included.

use super::{Lang, Style, csv_out, table};
use crate::rules::stats::{Funnel, Month, Source, Stats, conversion};
use rust_decimal::Decimal;
use serde_json::json;

pub const HEADER: [&str; 11] = [
    "period",
    "source",
    "reports",
    "accepted",
    "visits",
    "bookings",
    "sales",
    "commission",
    "accepted_pct",
    "visited_pct",
    "booked_pct",
];

/// A source as scripts name it: the channel, `agency` or `developer`.
fn source_key(s: &Source) -> String {
    match s {
        Source::Channel(c) => c.to_string(),
        Source::Agency => "agency".into(),
        Source::Developer => "developer".into(),
    }
}

/// A source as people read it.
pub fn source_label(s: &Source, style: &Style) -> String {
    match s {
        Source::Channel(c) => c.to_string(),
        Source::Agency => style.pick("自然来访", "walk-ins").into(),
        Source::Developer => style.pick("甲方直接", "developer").into(),
    }
}

fn month_label(m: &Month) -> String {
    format!("{}-{:02}", m.year, m.month)
}

/// The period of the whole run: `2026-03`, or `2026-03..2026-04`.
fn period(st: &Stats) -> String {
    match (st.months.first(), st.months.last()) {
        (Some(a), Some(b)) if a == b => month_label(a),
        (Some(a), Some(b)) => format!("{}..{}", month_label(a), month_label(b)),
        _ => String::new(),
    }
}

/// The three conversions: accepted / reports, visits / accepted, bookings / visits (the first
/// two only for channels).
fn rates(f: &Funnel) -> [Option<Decimal>; 3] {
    [
        f.reports
            .zip(f.accepted)
            .and_then(|(r, a)| conversion(a, r)),
        f.accepted.and_then(|a| conversion(f.visits, a)),
        conversion(f.bookings, f.visits),
    ]
}

/// `d` with `dp` decimals, half away from zero (Decimal's `{:.n}` cuts instead).
fn round(d: Decimal, dp: u32) -> String {
    let r = d.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    format!("{r:.0$}", dp as usize)
}

fn count(n: Option<u32>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

fn money(d: Option<Decimal>) -> String {
    d.map(|d| format!("{d:.2}")).unwrap_or_default()
}

fn cells(period: String, source: &Source, f: &Funnel) -> Vec<String> {
    let [a, v, b] = rates(f).map(|r| r.map(|r| format!("{r:.1}")).unwrap_or_default());
    vec![
        period,
        source_key(source),
        count(f.reports),
        count(f.accepted),
        f.visits.to_string(),
        f.bookings.to_string(),
        format!("{:.2}", f.sales),
        money(f.commission),
        a,
        v,
        b,
    ]
}

/// Each month's rows, then (for a run of months) the whole run's.
pub fn csv(
    st: &Stats,
    _style: &Style,
    bom: bool,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    let mut rows = vec![];
    for (k, m) in st.months.iter().enumerate() {
        for (source, _, monthly) in &st.rows {
            rows.push(cells(month_label(m), source, &monthly[k]));
        }
    }
    if st.months.len() > 1 {
        for (source, total, _) in &st.rows {
            rows.push(cells(period(st), source, total));
        }
    }
    csv_out::write(out, bom, &HEADER, &rows)
}

fn funnel_json(f: &Funnel) -> serde_json::Value {
    let [a, v, b] = rates(f).map(|r| r.map(|r| format!("{r:.1}")));
    json!({
        "reports": f.reports,
        "accepted": f.accepted,
        "visits": f.visits,
        "bookings": f.bookings,
        "sales": format!("{:.2}", f.sales),
        "commission": f.commission.map(|c| format!("{c:.2}")),
        "accepted_pct": a,
        "visited_pct": v,
        "booked_pct": b,
    })
}

/// `{period, sources: [{source, kind, total, months: [{month, …}]}]}`; money as strings with two
/// decimals, percentages as strings with one.
pub fn json(st: &Stats, _style: &Style) -> String {
    let sources: Vec<serde_json::Value> = (st.rows.iter())
        .map(|(source, total, monthly)| {
            let kind = match source {
                Source::Channel(_) => "channel",
                Source::Agency => "agency",
                Source::Developer => "developer",
            };
            let months: Vec<serde_json::Value> = (st.months.iter().zip(monthly))
                .map(|(m, f)| {
                    let mut v = funnel_json(f);
                    v["month"] = json!(month_label(m));
                    v
                })
                .collect();
            json!({
                "source": source_key(source),
                "kind": kind,
                "total": funnel_json(total),
                "months": months,
            })
        })
        .collect();
    let v = json!({ "period": period(st), "sources": sources });
    serde_json::to_string_pretty(&v).expect("JSON values serialize")
}

/// `n (r%)`: a count and the conversion into it in whole percent (CSV and JSON carry one
/// decimal); `—` when the step does not apply.
fn step(n: Option<u32>, rate: Option<Decimal>) -> String {
    match (n, rate) {
        (None, _) => "—".into(),
        (Some(n), Some(r)) => format!("{n} ({}%)", round(r, 0)),
        (Some(n), None) => n.to_string(),
    }
}

/// The table for people: one row per source for the whole period; with a run of months, the
/// bookings month by month under it.
pub fn table_of(st: &Stats, style: &Style) -> String {
    let zh = style.lang == Lang::Zh;
    let header = match zh {
        true => vec!["来源", "报备", "有效", "到访", "认购", "成交(万)", "佣金"],
        false => vec![
            "source",
            "reports",
            "accepted",
            "visits",
            "bookings",
            "sales 10k",
            "commission",
        ],
    };
    let mut t = table(header);
    for (source, f, _) in &st.rows {
        let [a, v, b] = rates(f);
        t.add_row(vec![
            source_label(source, style),
            step(f.reports, None),
            step(f.accepted, a),
            step(Some(f.visits), v),
            step(Some(f.bookings), b),
            round(f.sales / Decimal::from(10_000), 2).to_string(),
            f.commission.map_or("—".into(), |c| format!("{c:.2}")),
        ]);
    }
    let heading = match zh {
        true => format!("渠道漏斗 {} · 括号内为上一步的转化率", period(st)),
        false => format!(
            "channel funnel {} · in brackets: conversion from the step before",
            period(st)
        ),
    };
    let mut out = format!("{}\n{t}", super::fit_line(&heading));
    if st.months.len() > 1 {
        let mut header = vec![style.pick("认购/月", "bookings/month").to_string()];
        header.extend(st.months.iter().map(month_label));
        let mut m = table(header.iter().map(String::as_str).collect());
        for (source, _, monthly) in &st.rows {
            let mut row = vec![source_label(source, style)];
            row.extend(monthly.iter().map(|f| f.bookings.to_string()));
            m.add_row(row);
        }
        out = format!("{out}\n{m}");
    }
    out
}

/// The picture's fonts: the usual Chinese UI fonts of Windows, macOS and Linux first, so the
/// labels render wherever the SVG is opened.
const FAMILY: &str = "Microsoft YaHei, PingFang SC, Noto Sans CJK SC, sans-serif";

/// The colours of the sources, in order (the agency and the developer last, in grey tones).
const PALETTE: [(u8, u8, u8); 6] = [
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (148, 103, 189),
    (214, 39, 40),
    (140, 86, 75),
];

fn colour(k: usize, source: &Source) -> plotters::style::RGBColor {
    match source {
        Source::Agency => plotters::style::RGBColor(127, 127, 127),
        Source::Developer => plotters::style::RGBColor(188, 189, 34),
        Source::Channel(_) => {
            let (r, g, b) = PALETTE[k % PALETTE.len()];
            plotters::style::RGBColor(r, g, b)
        }
    }
}

/// The funnel's steps of a source as (label, count): reports and accepted only for channels.
fn steps(f: &Funnel, style: &Style) -> Vec<(String, u32)> {
    let mut out = vec![];
    if let (Some(r), Some(a)) = (f.reports, f.accepted) {
        out.push((style.pick("报备", "reports").to_string(), r));
        out.push((style.pick("有效报备", "accepted").to_string(), a));
    }
    out.push((style.pick("有效到访", "visits").to_string(), f.visits));
    out.push((style.pick("认购", "bookings").to_string(), f.bookings));
    out
}

/// The picture: a title, one funnel per source (centred bars, each labelled with its step and
/// count, the conversion beside it, the commission under it), then the bookings of each source
/// month by month as grouped bars with their counts, month labels and a legend.
pub fn svg(st: &Stats, style: &Style, project: &str) -> anyhow::Result<String> {
    use plotters::prelude::*;
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let n = st.rows.len().max(1) as i32;
    let col = 190;
    let width = (col * n).max(760) + 40;
    let (funnel_top, bar_h, gap) = (70, 26, 30);
    let funnel_bottom = funnel_top + 4 * (bar_h + gap) + 40;
    let chart_top = funnel_bottom + 50;
    let chart_h = 220;
    let height = chart_top + chart_h + 90;
    // plotters writes a text's size divided by 1.24 into the SVG
    let font = |size: i32| (FAMILY, f64::from(size) * 1.24).into_font();
    let centred = |size: i32| {
        TextStyle::from(font(size))
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Center))
    };
    let err = |e: &dyn std::fmt::Display| anyhow::anyhow!("drawing the SVG: {e}");
    let mut buf = String::new();
    {
        let root =
            SVGBackend::with_string(&mut buf, (width as u32, height as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let title = match style.lang {
            Lang::Zh => format!("{project} 渠道漏斗 {}", period(st)),
            Lang::En => format!("{project} channel funnel {}", period(st)),
        };
        (root.draw(&Text::new(title, (width / 2, 24), centred(22)))).map_err(|e| err(&e))?;
        for (k, (source, f, _)) in st.rows.iter().enumerate() {
            let x0 = 20 + col * k as i32;
            let mid = x0 + col / 2;
            let c = colour(k, source);
            let label = source_label(source, style);
            (root.draw(&Text::new(label, (mid, funnel_top - 20), centred(16))))
                .map_err(|e| err(&e))?;
            let steps = steps(f, style);
            let top = steps.first().map_or(1, |s| s.1).max(1);
            let offset = 4 - steps.len() as i32;
            for (j, (name, value)) in steps.iter().enumerate() {
                let y = funnel_top + (offset + j as i32) * (bar_h + gap);
                let w = ((col - 30) * *value as i32 / top as i32).max(2);
                let rect = [(mid - w / 2, y), (mid + w / 2, y + bar_h)];
                (root.draw(&Rectangle::new(rect, c.mix(0.35).filled()))).map_err(|e| err(&e))?;
                let text = format!("{name} {value}");
                (root.draw(&Text::new(text, (mid, y + bar_h / 2), centred(13))))
                    .map_err(|e| err(&e))?;
                if j > 0
                    && let Some(r) = conversion(*value, steps[j - 1].1)
                {
                    let pct = format!("↓ {r:.1}%");
                    (root.draw(&Text::new(pct, (mid, y - gap / 2), centred(11))))
                        .map_err(|e| err(&e))?;
                }
            }
            if let Some(c) = f.commission {
                let text = format!("{} {c:.2}", style.pick("佣金", "commission"));
                let y = funnel_top + 4 * (bar_h + gap) + 5;
                (root.draw(&Text::new(text, (mid, y), centred(13)))).map_err(|e| err(&e))?;
            }
        }
        // the month-by-month bookings
        let heading = style.pick("每月认购 (套)", "bookings per month");
        (root.draw(&Text::new(
            heading,
            (width / 2, chart_top - 25),
            centred(16),
        )))
        .map_err(|e| err(&e))?;
        let base = chart_top + chart_h;
        let axis = [(30, base), (width - 20, base)];
        (root.draw(&PathElement::new(axis, BLACK))).map_err(|e| err(&e))?;
        let most = (st.rows.iter())
            .flat_map(|r| r.2.iter().map(|f| f.bookings))
            .max()
            .unwrap_or(0)
            .max(1) as i32;
        let months = st.months.len().max(1) as i32;
        let group = (width - 60) / months;
        let bar = ((group - 20) / n).clamp(4, 40);
        for (m, month) in st.months.iter().enumerate() {
            let gx = 40 + group * m as i32 + (group - bar * n) / 2;
            for (k, (source, _, monthly)) in st.rows.iter().enumerate() {
                let v = monthly[m].bookings as i32;
                let h = (chart_h - 30) * v / most;
                let x = gx + bar * k as i32;
                let rect = [(x + 2, base - h), (x + bar - 2, base)];
                (root.draw(&Rectangle::new(rect, colour(k, source).filled())))
                    .map_err(|e| err(&e))?;
                let count = v.to_string();
                (root.draw(&Text::new(count, (x + bar / 2, base - h - 10), centred(11))))
                    .map_err(|e| err(&e))?;
            }
            let label = month_label(month);
            let x = 40 + group * m as i32 + group / 2;
            (root.draw(&Text::new(label, (x, base + 15), centred(13)))).map_err(|e| err(&e))?;
        }
        // the legend
        let per = (width - 40) / n;
        for (k, (source, _, _)) in st.rows.iter().enumerate() {
            let x = 20 + per * k as i32;
            let y = base + 45;
            let swatch = [(x, y - 6), (x + 12, y + 6)];
            (root.draw(&Rectangle::new(swatch, colour(k, source).filled())))
                .map_err(|e| err(&e))?;
            let left = TextStyle::from(font(13))
                .color(&BLACK)
                .pos(Pos::new(HPos::Left, VPos::Center));
            let label = source_label(source, style);
            (root.draw(&Text::new(label, (x + 18, y), left))).map_err(|e| err(&e))?;
        }
        root.present().map_err(|e| err(&e))?;
    }
    Ok(buf)
}
