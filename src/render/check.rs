//! `attrib check PHONE`: the client's owner now, and why.

use super::{Style, csv_out, rfc3339};
use crate::model::Text;
use crate::rules::check::{ClientStatus, Counter, HoldKind, NextStep};
use crate::rules::verdict::Code;
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
        "phone": style.data_phone(s.phone),
        "as_of": rfc3339(s.as_of, tz),
        "family": s.family.iter().map(|p| style.data_phone(*p)).collect::<Vec<_>>(),
        "owner": s.owner.map(|c| c.as_str()).unwrap_or("none"),
        "rule": s.rule,
        "channel": s.channel,
        "broker": s.broker,
        "consultant": s.consultant,
        "hold_until": s.hold_until.map(|t| rfc3339(t, tz)),
        "protected_until": s.protected_until.map(|t| rfc3339(t, tz)),
        "findings": findings,
        "approval": s.approval,
        "timeline": timeline,
    });
    if let Some(q) = &s.booking.query {
        // R14.3: the query slip used for the buyer's name (only when there is one)
        v["query"] = json!(q);
    }
    if let Some(open) = &s.open_reports {
        // R16.3 (§4.3): only in visit-first mode
        v["open_reports"] = (open.iter())
            .map(|o| json!({"channel": o.channel, "report": o.report, "window_end": rfc3339(o.window_end, tz)}))
            .collect();
    }
    if let Some(masked) = &s.masked_reports {
        // R15.6 (§4.3): only when masked reports are on
        v["masked_reports"] = (masked.iter())
            .map(|o| json!({"channel": o.channel, "report": o.report, "window_end": rfc3339(o.window_end, tz)}))
            .collect();
    }
    if let Some(views) = &s.viewings {
        // R10 (§4.3): only when R10 is on
        v["viewings"] = viewings_json(views, style);
    }
    if let Some(c) = &s.consultants {
        // R11 (RULES-R10 §4.3), only when R11 is on
        v["consultant_of_record"] = json!(c.of_record);
        v["developing_consultant"] = json!(c.developing);
        v["departed_claim"] = match &c.departed_claim {
            Some((consultant, until)) => {
                json!({"consultant": consultant, "until": rfc3339(*until, tz)})
            }
            None => Value::Null,
        };
    }
    serde_json::to_string_pretty(&v).expect("JSON values serialize")
}

/// R10 (§4.3): `[{viewing, property, until}]`.
pub fn viewings_json(views: &[crate::rules::check::ViewingWindow], style: &Style) -> Value {
    (views.iter())
        .map(|w| json!({"viewing": w.viewing, "property": w.property, "until": rfc3339(w.until, style.tz)}))
        .collect()
}

/// R10 (§4.3, S12): one line per valid viewing with the end of its bypass window, for people:
/// `看房: VW1 城西区海湖路88号3-1-1201 跳单保护至 2024-03-15, 剩 5 天`.
pub fn viewing_lines(s: &ClientStatus, style: &Style) -> Vec<String> {
    let views = s.viewings.as_deref().unwrap_or_default();
    (views.iter())
        .map(|w| {
            format!(
                "{}{} {} {}{}",
                style.pick("看房: ", "viewing: "),
                w.viewing,
                w.property,
                style.pick("跳单保护", "bypass window"),
                period(style, s.as_of, w.until)
            )
        })
        .collect()
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
        style.data_phone(s.phone),
        rfc3339(s.as_of, tz),
        s.family
            .iter()
            .map(|p| style.data_phone(*p))
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

/// Calendar days from the as-of date to the end's date, in the project zone.
fn days_left(style: &Style, as_of: crate::model::Time, end: crate::model::Time) -> i64 {
    let d = |t: crate::model::Time| t.with_timezone(&style.tz).date_naive();
    (d(end) - d(as_of)).num_days()
}

/// `至 2026-04-02, 剩 5 天`, or `已过期 (2026-03-01)` for a period that has ended.
fn period(style: &Style, as_of: crate::model::Time, end: crate::model::Time) -> String {
    let p = |zh, en| style.pick(zh, en);
    if end < as_of {
        return format!(" {} ({})", p("已过期", "expired"), style.until(end));
    }
    match days_left(style, as_of, end) {
        0 => format!(
            "{} {}, {}",
            p("至", " until"),
            style.until(end),
            p("今天到期", "ends today")
        ),
        n if style.lang == super::Lang::Zh => format!("至 {}, 剩 {n} 天", style.until(end)),
        n => format!(" until {}, {n} days left", style.until(end)),
    }
}

/// The first line a clerk reads aloud: the owner, by whose record, and until when.
pub fn first_line(s: &ClientStatus, c: &Counter, style: &Style) -> String {
    let p = |zh, en| style.pick(zh, en).to_string();
    let t = s.as_of;
    let head = p("归属: ", "owner: ");
    let Some(owner) = s.owner else {
        return head
            + &p(
                "未登记客户 · 可按乙方自然来访登记 (R3)",
                "unregistered client · may be registered as the agency's walk-in (R3)",
            );
    };
    let who = |ch: &Option<Text>, br: &Option<Text>| {
        [ch.as_deref(), br.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut parts = vec![style.owner(s.owner).to_string()];
    match (&c.hold, owner) {
        (Some(h), _) => {
            let (rule, what, until) = match h.kind {
                HoldKind::Direct => ("R6", p("甲方确认单", "direct slip"), None),
                HoldKind::ChannelHold => (
                    "R4",
                    p("有效带看", "valid visit"),
                    Some(p("渠道保护", "channel hold")),
                ),
                HoldKind::ReportWindow => (
                    "R2.4",
                    p("报备", "report"),
                    Some(p("报备带看期", "report window")),
                ),
            };
            let by = who(&s.channel, &s.broker);
            let cite = format!("({rule} {what} {})", h.id);
            if by.is_empty() {
                parts[0] = format!("{} {cite}", parts[0]);
            } else {
                parts.push(format!("{by} {cite}"));
            }
            if let (Some(name), Some(end)) = (until, h.until) {
                parts.push(format!("{name}{}", period(style, t, end)));
            }
        }
        (None, _) => {
            let consultant = s
                .consultant
                .as_deref()
                .map(|x| format!("{}{x} ", p("顾问 ", "consultant ")))
                .unwrap_or_default();
            match &c.protection {
                Some((cite, _)) => parts.push(format!(
                    "{consultant}(R3 {} {})",
                    style.record(cite.kind, cite.contact),
                    cite.id
                )),
                None => parts.push(format!("{consultant}({})", s.rule).trim().to_string()),
            }
        }
    }
    if owner != Code::Channel
        && let Some((_, end)) = &c.protection
    {
        parts.push(format!(
            "{}{}",
            p("来电来访保护期", "contact protection"),
            period(style, t, *end)
        ));
    }
    head + &parts.join(" · ")
}

/// One step of 下一步 in words.
fn step(n: &NextStep, style: &Style) -> String {
    let zh = style.lang == super::Lang::Zh;
    match n {
        NextStep::Blocked(f) if zh => format!("不可认购: {} ({})", style.finding(f), f.rule),
        NextStep::Blocked(f) => format!("do not book: {} ({})", style.finding(f), f.rule),
        NextStep::Sign { slip, roles } if zh => format!(
            "带客确认单 {slip} 待签: {} (R5)",
            roles
                .iter()
                .map(|r| style.role_name(r))
                .collect::<Vec<_>>()
                .join("、")
        ),
        NextStep::Sign { slip, roles } => format!(
            "visit slip {slip} still needs: {} (R5)",
            roles
                .iter()
                .map(|r| style.role_name(r))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        NextStep::FixSlip { slip, status } if zh => {
            format!(
                "带客确认单 {slip} 签字有误 ({}), 需重签 (R5)",
                style.code(*status)
            )
        }
        NextStep::FixSlip { slip, status } => {
            format!(
                "visit slip {slip} is signed wrongly ({}) (R5)",
                style.code(*status)
            )
        }
        NextStep::Approval { ratio } if zh => format!(
            "需《特殊优惠审批单》: {} 需甲乙双方负责人签字 (R7)",
            super::messages::zhe(*ratio)
        ),
        NextStep::Approval { ratio } => format!(
            "a special-discount approval signed by both heads is needed for {} (R7)",
            ratio.round_dp(4).normalize()
        ),
        NextStep::QuerySlip { buyer } if zh => {
            format!("需《客户属别查询单》: 认购人 {buyer} 不是本家庭登记过的姓名 (R7)")
        }
        NextStep::QuerySlip { buyer } => {
            format!("a client-attribution query slip is needed: {buyer} is a new buyer name (R7)")
        }
        NextStep::VerifyDirect { id, reason } if zh => {
            format!("核实甲方确认单 {id}: {} (R6)", style.direct_fault(*reason))
        }
        NextStep::VerifyDirect { id, reason } => {
            format!(
                "verify direct slip {id}: {} (R6)",
                style.direct_fault(*reason)
            )
        }
        NextStep::ReservedUnit { unit } if zh => format!("{unit} 为甲方自留房源, 需甲方同意 (R7)"),
        NextStep::ReservedUnit { unit } => {
            format!("{unit} is developer-reserved: the developer must agree (R7)")
        }
    }
}

/// The clerk's answer: the first line, then the family, its bookings, other channels' reports,
/// what a booking would be flagged for, 下一步, and the evidence.
pub fn text(s: &ClientStatus, c: &Counter, verdicts: &[Verdict], style: &Style) -> String {
    let p = |zh, en| style.pick(zh, en).to_string();
    let mut out = vec![first_line(s, c, style)];
    if s.open_reports.is_some() {
        out.push(super::replay::mode_line(style));
    }
    let phones = s
        .family
        .iter()
        .map(|x| style.phone(*x))
        .collect::<Vec<_>>()
        .join(" ");
    let names = if c.names.is_empty() {
        String::new()
    } else {
        format!("{} · ", c.names.join(" "))
    };
    let consultant = match (&s.consultant, s.owner) {
        (Some(c), Some(o)) if o != Code::Agency => {
            format!(" · {}{c}", p("首访置业顾问 ", "first-visit consultant "))
        }
        _ => String::new(),
    };
    out.push(format!(
        "{}{names}{phones}{consultant}",
        p("家庭: ", "family: ")
    ));
    if let Some(r11) = &s.consultants {
        // R11: the consultant in charge now, and a departed consultant's claim
        let none = p("无", "none");
        let mut line = format!(
            "{}{}",
            p("归属置业顾问: ", "consultant of record: "),
            r11.of_record.as_deref().unwrap_or(&none)
        );
        if let Some((d, until)) = &r11.departed_claim {
            line.push_str(&format!(
                " · {}{d} {}{} (R11.5)",
                p("离职顾问权益: ", "departed consultant: "),
                p("至 ", "until "),
                style.until(*until)
            ));
        }
        out.push(line);
    }
    if let Some(q) = &s.booking.query {
        // R14.3: the query slip that confirms the buyer's name
        out.push(format!(
            "{}{q} {}",
            p("《客户属别查询单》: ", "query slip: "),
            p(
                "已确认认购人姓名 (R14.3)",
                "confirms the buyer's name (R14.3)"
            )
        ));
    }
    if let Some((a, ratio)) = &c.approval {
        let ratio = ratio.map(|r| match style.lang {
            super::Lang::Zh => format!(" {}", super::messages::zhe(r)),
            super::Lang::En => format!(" {}", r.round_dp(4).normalize()),
        });
        out.push(format!(
            "{}{a}{} {} (R7)",
            p("优惠审批: 《特殊优惠审批单》", "discount approval: "),
            ratio.unwrap_or_default(),
            p("双方已签", "signed by both")
        ));
    }
    for b in &c.bookings {
        let owner = match &b.channel {
            Some(ch) => format!("{} {ch}", style.code(b.owner)),
            None => style.code(b.owner).to_string(),
        };
        out.push(format!(
            "{}{} {} {} {owner}",
            p("认购: ", "booking: "),
            b.id,
            b.unit,
            style.time(b.at)
        ));
    }
    out.extend(viewing_lines(s, style));
    let open = s.open_reports.as_deref().unwrap_or_default();
    for o in open {
        // R16.3: open reports of several channels; the first valid visit decides
        out.push(format!(
            "{}{} {} ({}{})",
            p("未到访报备: ", "open report: "),
            o.channel,
            o.report,
            p("带看期至 ", "window until "),
            style.until(o.window_end)
        ));
    }
    for o in s.masked_reports.as_deref().unwrap_or_default() {
        // R15.6: masked reports this client would complete at a visit
        out.push(format!(
            "{}{} {} ({}{})",
            p(
                "隐号报备 (到访补全): ",
                "masked report (a visit completes it): "
            ),
            o.channel,
            o.report,
            p("带看期至 ", "window until "),
            style.until(o.window_end)
        ));
    }
    let listed = |id: &Text| open.iter().any(|o| o.report == *id);
    for r in c.other_reports.iter().filter(|r| !listed(&r.id)) {
        out.push(format!(
            "{}{} {} {} {} ({}, {}{})",
            p(
                "其他渠道报备 (不予认可): ",
                "other channel's report (not paid): "
            ),
            r.channel,
            r.broker,
            r.id,
            style.time(r.at),
            style.code(r.verdict),
            p("带看期至 ", "window until "),
            style.until(r.window_end)
        ));
    }
    for f in &s.booking.findings {
        let mark = if f.severity == Severity::Error {
            "✗"
        } else {
            "⚠"
        };
        out.push(format!(
            "{}{mark} {} ({})",
            p("认购提示: ", "booking finding: "),
            style.finding(f),
            f.rule
        ));
    }
    out.push(p("下一步:", "next:"));
    if c.next.is_empty() {
        out.push(format!(
            "  {}",
            p(
                "无待办事项, 可以认购",
                "nothing due: the booking may be written"
            )
        ));
    }
    for (i, n) in c.next.iter().enumerate() {
        out.push(format!("  {}. {}", i + 1, step(n, style)));
    }
    let lines: Vec<String> = out.iter().map(|l| super::fit_line(l)).collect();
    let mut out = lines.join("\n");
    if !s.timeline.is_empty() {
        out.push_str("\n\n");
        out.push_str(&p("记录:", "evidence:"));
        out.push('\n');
        out.push_str(&super::replay::table_text(
            s.timeline.iter().map(|&i| &verdicts[i]),
            style,
        ));
    }
    out
}
