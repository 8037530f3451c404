//! `find`: one line per family — phones (masked), names, owner and why, the hold or protection
//! end, bookings.

use super::messages::Style;
use crate::rules::find::Found;
use crate::rules::verdict::Verdict;

/// One line per family, or a line saying nothing was found.
pub fn text(found: &[Found], verdicts: &[Verdict], style: &Style) -> String {
    if found.is_empty() {
        return style.pick("没有找到", "nothing found").to_string();
    }
    let lines: Vec<String> = (found.iter())
        .map(|f| super::shown(&line(f, verdicts, style), false).into_owned())
        .collect();
    lines.join("\n")
}

fn line(f: &Found, verdicts: &[Verdict], style: &Style) -> String {
    let s = &f.status;
    let phones: Vec<String> = s.family.iter().map(|p| style.phone(*p)).collect();
    let mut parts = vec![phones.join("/"), f.names.join("、")];
    let mut owner = format!("{} ({})", style.owner(s.owner), s.rule);
    if let Some(ch) = &s.channel {
        owner.push_str(&format!(
            " {ch} {}",
            s.broker.as_deref().unwrap_or_default()
        ));
    }
    parts.push(owner);
    // an ended period says so, not only its date
    let period = |(zh, en), t| match t >= s.as_of {
        true => format!("{} {}", style.pick(zh, en), style.until(t)),
        false => format!("{} {}", style.pick("已过期", "ended"), style.until(t)),
    };
    if let Some(t) = s.hold_until {
        parts.push(period(("渠道保护至", "hold until"), t));
    } else if let Some(t) = s.protected_until {
        parts.push(period(("保护期至", "protected until"), t));
    }
    for w in s.viewings.as_deref().unwrap_or_default() {
        // R10 (S12): a valid viewing's bypass window
        let window = period(("跳单保护至", "bypass window until"), w.until);
        let viewing = style.pick("看房", "viewing");
        parts.push(format!("{viewing} {} {} {window}", w.viewing, w.property));
    }
    for (i, unit) in &f.bookings {
        let b = &verdicts[*i];
        parts.push(format!(
            "{} {unit} {} {}",
            style.pick("认购", "booked"),
            style.time(b.at),
            style.code(b.code)
        ));
    }
    parts.join(" · ")
}
