//! Reads `attrib.toml` into `Config`, with the defaults of RULES.md section 2.

use super::error::{ErrorKind, LedgerError, Said};
use super::fields::{parse_money, parse_rate};
use crate::model::{Channel, Commission, Config, DayCount, Mode};
use chrono::FixedOffset;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;

pub const CONFIG_FILE: &str = "attrib.toml";

/// The project zone when `[project] timezone` is not given, or when there is no config to read
/// (an audit's first commits): Beijing time.
pub const DEFAULT_ZONE: FixedOffset = FixedOffset::east_opt(8 * 3600).expect("a valid offset");

/// The slip roles when the config names none (签字顺序: 接待 → 案场经理 → 甲方 → 任总).
pub const DEFAULT_ROLES: [&str; 4] = ["reception", "site_manager", "developer", "final"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    project: RawProject,
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    slip: RawSlip,
    fees: RawFees,
    #[serde(default)]
    penalties: RawPenalties,
    #[serde(default)]
    channel: Vec<RawChannel>,
    #[serde(default)]
    reserved: RawReserved,
    #[serde(default)]
    audit: RawAudit,
    #[serde(default)]
    query: RawQuery,
    #[serde(default)]
    delisting: RawDelisting,
    deposit: Option<RawDeposit>,
    #[serde(default)]
    reminders: RawReminders,
    resale: Option<RawResale>,
    consultants: Option<RawConsultants>,
    #[serde(default)]
    grading: RawGrading,
}

/// R18 `[grading]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawGrading {
    months: u32,
    history: Vec<u32>,
    volume: Vec<u32>,
    integrity: Vec<u32>,
}

impl Default for RawGrading {
    fn default() -> Self {
        let g = crate::model::Grading::default();
        RawGrading {
            months: g.months,
            history: g.history.to_vec(),
            volume: g.volume.to_vec(),
            integrity: g.integrity.to_vec(),
        }
    }
}

/// R11 `[consultants]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConsultants {
    rate: Option<toml::Value>,
    departed_years: Option<u32>,
    departed_share: Option<toml::Value>,
    departed_pay_days: Option<u32>,
    departed_scope: Option<String>,
    recycle_days: Option<u32>,
}

/// R10 `[resale]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResale {
    commission_rate: Option<toml::Value>,
    bypass_rate: Option<toml::Value>,
    bypass_months: Option<u32>,
    other_agency_months: Option<u32>,
    payee: Option<String>,
}

/// R17 `[reminders]` (RULES-R10.md §1.3).
#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawReminders {
    expiring_days: i64,
}

impl Default for RawReminders {
    fn default() -> Self {
        RawReminders { expiring_days: 3 }
    }
}

/// The longest `[reminders] expiring_days` accepted: a year.
pub const MAX_EXPIRING_DAYS: i64 = 366;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeposit {
    required: Option<toml::Value>,
    cap: Option<toml::Value>,
    termination_fee: Option<toml::Value>,
}

/// R14 `[query]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawQuery {
    required: Vec<String>,
}

impl Default for RawQuery {
    fn default() -> Self {
        RawQuery {
            required: crate::model::QUERY_SIGNATURES.map(String::from).to_vec(),
        }
    }
}

/// R13 `[delisting]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawDelisting {
    seal: bool,
}

impl Default for RawDelisting {
    fn default() -> Self {
        RawDelisting { seal: true }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProject {
    name: String,
    developer: String,
    agency: String,
    timezone: Option<String>,
    lang: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawRules {
    protection_days: u32,
    report_lead_hours: u32,
    visit_window_days: u32,
    channel_hold_days: u32,
    day_count: String,
    mode: String,
    masked_reports: bool,
    masked_match_name: bool,
}

impl Default for RawRules {
    fn default() -> Self {
        RawRules {
            protection_days: 21,
            report_lead_hours: 12,
            visit_window_days: 3,
            channel_hold_days: 30,
            day_count: "calendar".into(),
            mode: "report-first".into(),
            masked_reports: false,
            masked_match_name: true,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawSlip {
    roles: Vec<String>,
    deferrable: Vec<String>,
    signers: BTreeMap<String, Vec<String>>,
}

impl Default for RawSlip {
    fn default() -> Self {
        RawSlip {
            roles: DEFAULT_ROLES.iter().map(|s| s.to_string()).collect(),
            deferrable: vec!["developer".into()],
            signers: BTreeMap::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFees {
    developer_rate: toml::Value,
    agency_rate: toml::Value,
    channel_rate: Option<toml::Value>,
    discount_floor: Option<toml::Value>,
    approval_below: Option<toml::Value>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPenalties {
    unit_agency_fee: Option<toml::Value>,
    zone_units: Option<u32>,
    false_info: Option<toml::Value>,
    order_swap: Option<toml::Value>,
    cutting: Option<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChannel {
    name: String,
    commission: toml::Value,
    reputation: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawReserved {
    #[serde(default)]
    units: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawAudit {
    max_entry_delay_hours: u32,
}

impl Default for RawAudit {
    fn default() -> Self {
        RawAudit {
            max_entry_delay_hours: 24,
        }
    }
}

/// A TOML scalar as the text a user would have written.
pub fn value_text(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(f) => Some(f.to_string()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        _ => None,
    }
}

/// Collects config errors, each naming its key and, when the key is written, its line.
struct Check<'t> {
    text: &'t str,
    errors: Vec<LedgerError>,
}

impl Check<'_> {
    /// A bad value under `key` (`table.key`, or a plain word), in both languages
    /// (`Said::new(en, zh)`; a `String` is English only).
    fn fail(&mut self, key: &str, msg: impl Into<Said>) {
        let msg = msg.into();
        let said = Said::new(format!("{key}: {}", msg.en), format!("{key}: {}", msg.zh));
        let line = key_line(self.text, key);
        (self.errors).push(LedgerError::at(CONFIG_FILE, line, ErrorKind::Config(said)));
    }

    fn value(&mut self, key: &str, error: crate::model::FieldError) {
        let line = key_line(self.text, key);
        let kind = ErrorKind::ConfigValue {
            key: key.to_string(),
            error: Box::new(error),
        };
        self.errors.push(LedgerError::at(CONFIG_FILE, line, kind));
    }

    fn rate(&mut self, key: &str, v: &toml::Value) -> Option<crate::model::Rate> {
        let text = value_text(v).unwrap_or_default();
        parse_rate(&text).map_err(|e| self.value(key, e)).ok()
    }

    fn money(&mut self, key: &str, v: Option<&toml::Value>, default: &str) -> Decimal {
        let text = v.and_then(value_text).unwrap_or_else(|| default.into());
        (parse_money(&text).map_err(|e| self.value(key, e))).unwrap_or_default()
    }

    fn ratio(&mut self, key: &str, v: Option<&toml::Value>) -> Option<Decimal> {
        v.and_then(|v| self.rate(key, v).map(|r| r.value))
    }
}

/// Parses `attrib.toml`. Every problem is reported, each naming its key.
pub fn parse_config(text: &str) -> Result<Config, Vec<LedgerError>> {
    let raw: RawConfig =
        toml::from_str(text).map_err(|e| vec![LedgerError::toml(CONFIG_FILE, text, &e)])?;
    let mut c = Check {
        text,
        errors: vec![],
    };
    let timezone = match raw.project.timezone.as_deref() {
        None => DEFAULT_ZONE,
        Some(tz) => tz.parse::<FixedOffset>().unwrap_or_else(|_| {
            c.fail(
                "project.timezone",
                Said::new(
                    format!("「{tz}」 is not an offset like {DEFAULT_ZONE}"),
                    format!("「{tz}」不是时区偏移 (应写成 {DEFAULT_ZONE} 这样)"),
                ),
            );
            DEFAULT_ZONE
        }),
    };
    if let Some(lang) = &raw.project.lang
        && lang != "zh"
        && lang != "en"
    {
        c.fail(
            "project.lang",
            Said::new(
                format!("「{lang}」 is not zh or en"),
                format!("「{lang}」不是 zh 或 en"),
            ),
        );
    }
    let day_count = match raw.rules.day_count.as_str() {
        "calendar" => DayCount::Calendar,
        "elapsed" => DayCount::Elapsed,
        other => {
            c.fail(
                "rules.day_count",
                Said::new(
                    format!("「{other}」 is not calendar or elapsed"),
                    format!("「{other}」不是 calendar (自然日) 或 elapsed (满 24 小时)"),
                ),
            );
            DayCount::Calendar
        }
    };
    let mode = match raw.rules.mode.as_str() {
        "report-first" => Mode::ReportFirst,
        "visit-first" => Mode::VisitFirst,
        other => {
            c.fail(
                "rules.mode",
                Said::new(
                    format!("「{other}」 is not report-first or visit-first"),
                    format!("「{other}」不是 report-first (报备为先) 或 visit-first (到访为王)"),
                ),
            );
            Mode::ReportFirst
        }
    };
    for role in raw.slip.deferrable.iter().chain(raw.slip.signers.keys()) {
        if !raw.slip.roles.contains(role) {
            c.fail(
                "slip",
                Said::new(
                    format!("role 「{role}」 is not in slip.roles"),
                    format!("角色「{role}」不在 slip.roles 中"),
                ),
            );
        }
    }
    for line in &raw.query.required {
        if !crate::model::QUERY_SIGNATURES.contains(&line.as_str()) {
            let known = crate::model::QUERY_SIGNATURES.join(", ");
            c.fail(
                "query.required",
                Said::new(
                    format!("「{line}」 is not a signature line of a query slip ({known})"),
                    format!("「{line}」不是客户属别查询单的签字栏 ({known})"),
                ),
            );
        }
    }
    let developer_rate = c.rate("fees.developer_rate", &raw.fees.developer_rate);
    let agency_rate = c.rate("fees.agency_rate", &raw.fees.agency_rate);
    let channel_rate = match &raw.fees.channel_rate {
        Some(v) => c.rate("fees.channel_rate", v),
        None => agency_rate.clone(),
    };
    let discount_floor = c.ratio("fees.discount_floor", raw.fees.discount_floor.as_ref());
    let approval_below = c.ratio("fees.approval_below", raw.fees.approval_below.as_ref());
    let p = &raw.penalties;
    let unit_agency_fee = c.money("penalties.unit_agency_fee", p.unit_agency_fee.as_ref(), "0");
    let false_info = c.money("penalties.false_info", p.false_info.as_ref(), "5000");
    let order_swap = c.money("penalties.order_swap", p.order_swap.as_ref(), "5000");
    let cutting = c.money("penalties.cutting", p.cutting.as_ref(), "5000");
    let mut channels: Vec<Channel> = vec![];
    for ch in &raw.channel {
        if channels.iter().any(|c| c.name == ch.name) {
            c.fail(
                "channel",
                Said::new(
                    format!("「{}」 is listed twice", ch.name),
                    format!("「{}」写了两次", ch.name),
                ),
            );
        }
        let reputation = ch.reputation.as_deref().and_then(|r| {
            let level = level(r);
            if level.is_none() {
                let key = format!("channel 「{}」 reputation", ch.name);
                c.fail(
                    &key,
                    Said::new(
                        format!("「{r}」 is not one of A, B, C, D"),
                        format!("「{r}」不是可选值之一: A, B, C, D"),
                    ),
                );
            }
            level
        });
        if let Some(commission) = parse_commission(&mut c, &ch.name, &ch.commission) {
            channels.push(Channel {
                name: ch.name.clone(),
                commission,
                reputation,
            });
        }
    }
    let mut deposit = crate::model::Deposit::default();
    if let Some(d) = &raw.deposit {
        deposit.table = true;
        if let Some(v) = &d.cap
            && let Some(cap) = c.rate("deposit.cap", v)
        {
            deposit.cap = cap;
        }
        deposit.required =
            (d.required.as_ref()).and_then(|v| money_or_rate(&mut c, "deposit.required", v));
        deposit.termination_fee = (d.termination_fee.as_ref())
            .and_then(|v| money_or_rate(&mut c, "deposit.termination_fee", v));
    }
    let expiring_days = expiring_days(&mut c, raw.reminders.expiring_days);
    let resale = parse_resale(&mut c, raw.resale.as_ref());
    let consultants = raw
        .consultants
        .as_ref()
        .map(|r| consultants(&mut c, r))
        .unwrap_or_default();
    let grading = grading(&mut c, &raw.grading);
    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    Ok(Config {
        name: raw.project.name,
        developer: raw.project.developer,
        agency: raw.project.agency,
        timezone,
        lang: raw.project.lang,
        protection_days: raw.rules.protection_days,
        report_lead_hours: raw.rules.report_lead_hours,
        visit_window_days: raw.rules.visit_window_days,
        channel_hold_days: raw.rules.channel_hold_days,
        day_count,
        mode,
        masked_reports: raw.rules.masked_reports,
        masked_match_name: raw.rules.masked_match_name,
        slip_roles: raw.slip.roles,
        slip_deferrable: raw.slip.deferrable,
        slip_signers: raw.slip.signers,
        developer_rate: developer_rate.expect("checked"),
        agency_rate: agency_rate.expect("checked"),
        channel_rate: channel_rate.expect("checked"),
        discount_floor: discount_floor.unwrap_or(Decimal::ZERO),
        approval_below,
        unit_agency_fee,
        zone_units: p.zone_units.unwrap_or(3),
        false_info,
        order_swap,
        cutting,
        channels,
        reserved_units: raw.reserved.units,
        max_entry_delay_hours: raw.audit.max_entry_delay_hours,
        query_required: raw.query.required,
        delisting_seal: raw.delisting.seal,
        deposit,
        expiring_days,
        resale,
        consultants,
        grading,
    })
}

/// R17 `[reminders] expiring_days`: a whole number of days, 0 (today's ends) to a year.
fn expiring_days(c: &mut Check, days: i64) -> u32 {
    if (0..=MAX_EXPIRING_DAYS).contains(&days) {
        return days as u32;
    }
    c.fail(
        "reminders.expiring_days",
        Said::new(
            format!("{days} is not a number of days from 0 to {MAX_EXPIRING_DAYS}"),
            format!("{days} 不是 0 到 {MAX_EXPIRING_DAYS} 之间的天数"),
        ),
    );
    3
}

/// The line where `key` (`table.key`) is written in a TOML text, 0 when it is not (a default,
/// or a key that names no single line).
fn key_line(text: &str, key: &str) -> u32 {
    let Some((table, name)) = key.rsplit_once('.') else {
        return 0;
    };
    let mut current = "";
    for (i, line) in text.lines().enumerate() {
        let l = line.trim();
        if let Some(h) = l.strip_prefix('[') {
            current = h
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .trim();
            continue;
        }
        let written = l.strip_prefix(name).map(str::trim_start);
        if current == table && written.is_some_and(|rest| rest.starts_with('=')) {
            return i as u32 + 1;
        }
    }
    0
}

/// R10 `[resale]`: its presence switches R10 on; each key has the default of RULES-R10 §1.3.
fn parse_resale(c: &mut Check, raw: Option<&RawResale>) -> crate::model::Resale {
    let mut resale = crate::model::Resale::default();
    let Some(r) = raw else { return resale };
    resale.table = true;
    if let Some(v) = &r.commission_rate
        && let Some(rate) = c.rate("resale.commission_rate", v)
    {
        resale.commission_rate = rate;
    }
    if let Some(v) = &r.bypass_rate
        && let Some(rate) = c.rate("resale.bypass_rate", v)
    {
        resale.bypass_rate = rate;
    }
    resale.bypass_months = r.bypass_months.unwrap_or(resale.bypass_months);
    resale.other_agency_months = (r.other_agency_months).unwrap_or(resale.other_agency_months);
    resale.payee = r.payee.clone();
    resale
}

/// R11 `[consultants]`: the table switches R11 on; absent keys keep their defaults.
fn consultants(c: &mut Check, r: &RawConsultants) -> crate::model::Consultants {
    use crate::model::DepartedScope;
    let mut out = crate::model::Consultants {
        table: true,
        ..Default::default()
    };
    out.rate = (r.rate.as_ref()).and_then(|v| c.rate("consultants.rate", v));
    if let Some(v) = &r.departed_share
        && let Some(share) = c.rate("consultants.departed_share", v)
    {
        if share.value > Decimal::ONE {
            c.fail(
                "consultants.departed_share",
                Said::new(
                    format!("「{}」 is more than 100%", share.text),
                    format!("「{}」超过 100%", share.text),
                ),
            );
        }
        out.departed_share = share;
    }
    out.departed_years = r.departed_years.unwrap_or(out.departed_years);
    out.departed_pay_days = r.departed_pay_days.unwrap_or(out.departed_pay_days);
    out.recycle_days = r.recycle_days.unwrap_or(out.recycle_days);
    out.departed_scope = match r.departed_scope.as_deref() {
        None | Some("registered") => DepartedScope::Registered,
        Some("dealt") => DepartedScope::Dealt,
        Some(other) => {
            c.fail(
                "consultants.departed_scope",
                Said::new(
                    format!("「{other}」 is not registered or dealt"),
                    format!("「{other}」不是 registered (登记过的客户) 或 dealt (成交过的客户)"),
                ),
            );
            DepartedScope::Registered
        }
    };
    out
}

/// R18 `reputation`: a grade word `A`–`D` (the Chinese `A级` too).
fn level(word: &str) -> Option<crate::model::Level> {
    use crate::model::{Choice, Level};
    let word = word.trim();
    let word = (Level::ALIASES.iter())
        .find(|(alias, _)| *alias == word)
        .map_or(word, |(_, w)| *w);
    (Level::CHOICES.iter())
        .find(|(w, _)| *w == word)
        .map(|(_, l)| *l)
}

/// R18 `[grading]`: `months` ≥ 1; each list three numbers for A, B, C, from the hardest to the
/// easiest (history and volume not increasing, integrity not decreasing).
fn grading(c: &mut Check, raw: &RawGrading) -> crate::model::Grading {
    let mut g = crate::model::Grading::default();
    if raw.months == 0 {
        c.fail(
            "grading.months",
            Said::new("must be at least 1", "至少为 1"),
        );
    } else {
        g.months = raw.months;
    }
    let lists = [
        ("grading.history", &raw.history, &mut g.history, false),
        ("grading.volume", &raw.volume, &mut g.volume, false),
        ("grading.integrity", &raw.integrity, &mut g.integrity, true),
    ];
    for (key, list, out, rising) in lists {
        let Ok(three) = <[u32; 3]>::try_from(list.as_slice()) else {
            let n = list.len();
            c.fail(
                key,
                Said::new(
                    format!("needs three numbers (for A, B, C), not {n}"),
                    format!("需要三个数 (依次对应 A、B、C), 而不是 {n} 个"),
                ),
            );
            continue;
        };
        let ordered = match rising {
            true => three[0] <= three[1] && three[1] <= three[2],
            false => three[0] >= three[1] && three[1] >= three[2],
        };
        if !ordered {
            let (order, zh) = if rising {
                ("rise", "递增")
            } else {
                ("fall", "递减")
            };
            c.fail(
                key,
                Said::new(
                    format!("{three:?}: the numbers for A, B, C must {order} (or stay)"),
                    format!("{three:?}: A、B、C 的数必须{zh} (或相等)"),
                ),
            );
            continue;
        }
        *out = three;
    }
    g
}

/// A commission is a rate (`1.0%`, or a decimal below 1) or a fixed amount per booking (`20000`).
fn parse_commission(c: &mut Check, name: &str, v: &toml::Value) -> Option<Commission> {
    money_or_rate(c, &format!("channel 「{name}」 commission"), v)
}

/// RULES-R10 §1.3 money-or-rate: `"x%"` or a decimal below 1 is a rate; a decimal ≥ 1 an amount.
fn money_or_rate(c: &mut Check, key: &str, v: &toml::Value) -> Option<Commission> {
    let text = value_text(v).unwrap_or_default();
    if text.trim().ends_with('%') {
        return c.rate(key, v).map(Commission::Rate);
    }
    match parse_money(&text) {
        Ok(d) if d < Decimal::ONE => c.rate(key, v).map(Commission::Rate),
        Ok(amount) => Some(Commission::Fixed {
            text: text.trim().to_string(),
            amount,
        }),
        Err(e) => {
            c.value(key, e);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[project]
name = "P"
developer = "D"
agency = "A"
[fees]
developer_rate = "1.0%"
agency_rate = "1.8%"
"#;

    #[test]
    fn defaults_follow_the_spec() {
        let c = parse_config(MINIMAL).unwrap();
        assert_eq!(c.protection_days, 21);
        assert_eq!(c.report_lead_hours, 12);
        assert_eq!(c.visit_window_days, 3);
        assert_eq!(c.channel_hold_days, 30);
        assert_eq!(c.day_count, DayCount::Calendar);
        assert_eq!(c.timezone.local_minus_utc(), 8 * 3600);
        assert_eq!(DEFAULT_ZONE.to_string(), "+08:00");
        assert_eq!(
            c.channel_rate, c.agency_rate,
            "channel_rate defaults to agency_rate"
        );
        assert_eq!(c.slip_roles, DEFAULT_ROLES);
        assert_eq!(c.max_entry_delay_hours, 24);
    }

    #[test]
    fn commissions_are_rates_or_amounts() {
        let text = format!(
            "{MINIMAL}\n[[channel]]\nname = \"a\"\ncommission = \"1.0%\"\n[[channel]]\nname = \"b\"\ncommission = \"0.01\"\n[[channel]]\nname = \"c\"\ncommission = 20000\n"
        );
        let c = parse_config(&text).unwrap();
        assert!(matches!(c.channels[0].commission, Commission::Rate(_)));
        assert!(matches!(c.channels[1].commission, Commission::Rate(_)));
        assert!(
            matches!(&c.channels[2].commission, Commission::Fixed { amount, .. } if *amount == Decimal::from(20000))
        );
    }

    #[test]
    fn the_deposit_table_switches_findings_on_and_the_cap_defaults_to_20_percent() {
        let c = parse_config(MINIMAL).unwrap();
        assert!(!c.deposit.table);
        assert_eq!(c.deposit.cap.value, Decimal::new(20, 2));
        let text = format!(
            "{MINIMAL}\n[deposit]\nrequired = \"20000\"\ncap = \"0.3\"\ntermination_fee = \"10%\"\n"
        );
        let c = parse_config(&text).unwrap();
        assert!(c.deposit.table);
        assert_eq!(c.deposit.cap.value, Decimal::new(3, 1));
        assert!(
            matches!(&c.deposit.required, Some(Commission::Fixed { amount, .. }) if *amount == Decimal::from(20000))
        );
        assert!(matches!(
            &c.deposit.termination_fee,
            Some(Commission::Rate(r)) if r.value == Decimal::new(1, 1)
        ));
        let bad = format!("{MINIMAL}\n[deposit]\ncap = \"lots\"\nextra = 1\n");
        assert!(parse_config(&bad).is_err());
    }

    #[test]
    fn the_resale_table_switches_r10_on_with_the_seed_defaults() {
        let c = parse_config(MINIMAL).unwrap();
        assert!(!c.resale.table);
        assert_eq!(c.resale_payee(), "A");
        let c = parse_config(&format!("{MINIMAL}\n[resale]\n")).unwrap();
        assert!(c.resale.table);
        assert_eq!(c.resale.commission_rate.value, Decimal::new(15, 3));
        assert_eq!(c.resale.bypass_rate.value, Decimal::new(3, 2));
        assert_eq!(
            (c.resale.bypass_months, c.resale.other_agency_months),
            (12, 12)
        );
        let text = format!(
            "{MINIMAL}\n[resale]\ncommission_rate = \"0.02\"\nother_agency_months = 6\npayee = \"某某地产\"\n"
        );
        let c = parse_config(&text).unwrap();
        assert_eq!(c.resale.commission_rate.value, Decimal::new(2, 2));
        assert_eq!(c.resale.other_agency_months, 6);
        assert_eq!(c.resale_payee(), "某某地产");
        let bad = format!("{MINIMAL}\n[resale]\nbypass_rate = \"much\"\n");
        let errors = parse_config(&bad).unwrap_err();
        assert!(
            errors[0].to_string().contains("resale.bypass_rate"),
            "{errors:?}"
        );
    }

    #[test]
    fn the_consultants_table_switches_r11_on_with_the_defaults_of_1_3() {
        let c = parse_config(MINIMAL).unwrap();
        assert!(!c.consultants.table);
        let c = parse_config(&format!("{MINIMAL}\n[consultants]\n")).unwrap();
        assert!(c.consultants.table && c.consultants.rate.is_none());
        assert_eq!(c.consultants.departed_years, 1);
        assert_eq!(c.consultants.departed_share.value, Decimal::new(5, 1));
        assert_eq!(c.consultants.departed_pay_days, 30);
        assert_eq!(c.consultants.recycle_days, 0);
        let text = format!(
            "{MINIMAL}\n[consultants]\nrate = \"0.2%\"\ndeparted_share = \"0.4\"\ndeparted_scope = \"dealt\"\nrecycle_days = 30\n"
        );
        let c = parse_config(&text).unwrap();
        assert_eq!(c.consultants.rate.unwrap().value, Decimal::new(2, 3));
        assert_eq!(c.consultants.departed_share.value, Decimal::new(4, 1));
        assert_eq!(
            c.consultants.departed_scope,
            crate::model::DepartedScope::Dealt
        );
        assert_eq!(c.consultants.recycle_days, 30);
        let bad = format!(
            "{MINIMAL}\n[consultants]\nrate = \"lots\"\ndeparted_share = \"150%\"\ndeparted_scope = \"all\"\n"
        );
        let errors = parse_config(&bad).unwrap_err();
        let text: Vec<String> = errors.iter().map(|e| format!("{e:?}")).collect();
        assert_eq!(errors.len(), 3, "{text:?}");
        assert!(parse_config(&format!("{MINIMAL}\n[consultants]\nextra = 1\n")).is_err());
    }

    #[test]
    fn every_bad_key_is_reported() {
        let text = MINIMAL
            .replace("\"1.0%\"", "\"ten\"")
            .replace("name = \"P\"", "name = \"P\"\ntimezone = \"Beijing\"");
        let errs = parse_config(&text).unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:?}");
    }

    #[test]
    fn r16_mode_defaults_to_report_first_and_names_the_key_when_wrong() {
        let c = parse_config(MINIMAL).unwrap();
        assert_eq!(c.mode, Mode::ReportFirst);
        assert!(!c.masked_reports && c.masked_match_name);
        let c = parse_config(&format!("{MINIMAL}[rules]\nmode = \"visit-first\"\n")).unwrap();
        assert_eq!(c.mode, Mode::VisitFirst);
        let errs = parse_config(&format!("{MINIMAL}[rules]\nmode = \"到访为王\"\n")).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        let text = errs[0].to_string();
        assert!(
            text.contains("rules.mode") && text.contains("visit-first"),
            "{text}"
        );
    }

    #[test]
    fn unknown_keys_are_syntax_errors_with_a_line() {
        // MINIMAL is 8 lines (the first empty), then an empty line, `[rules]` and the key
        let errs = parse_config(&format!("{MINIMAL}\n[rules]\nprotect = 3\n")).unwrap_err();
        assert_eq!(errs[0].line, 11, "{}", errs[0]);
        assert!(errs[0].to_string().contains("protect"), "{}", errs[0]);
    }

    #[test]
    fn a_bad_value_in_the_middle_of_a_line_is_on_that_line() {
        let errs =
            parse_config(&format!("{MINIMAL}[rules]\nprotection_days = \"x\"\n")).unwrap_err();
        assert_eq!(errs[0].line, 10, "{}", errs[0]);
        let errs = parse_config("[project]\nname = ").unwrap_err();
        assert_eq!(errs[0].line, 2, "{}", errs[0]);
    }

    #[test]
    fn grading_defaults_and_bad_keys() {
        let c = parse_config(MINIMAL).unwrap();
        assert_eq!(c.grading, crate::model::Grading::default());
        assert_eq!(c.grading.history, [9, 6, 3]);
        let text = format!(
            "{MINIMAL}[grading]\nmonths = 6\nvolume = [3, 2, 1]\n[[channel]]\nname = \"a\"\ncommission = \"1%\"\nreputation = \"B级\"\n"
        );
        let c = parse_config(&text).unwrap();
        assert_eq!((c.grading.months, c.grading.volume), (6, [3, 2, 1]));
        assert_eq!(c.channels[0].reputation, Some(crate::model::Level::B));
        let bad = format!(
            "{MINIMAL}[grading]\nmonths = 0\nhistory = [3, 6, 9]\nintegrity = [0, 1]\n[[channel]]\nname = \"a\"\ncommission = \"1%\"\nreputation = \"E\"\n"
        );
        let errors: Vec<String> = (parse_config(&bad).unwrap_err().iter())
            .map(|e| e.to_string())
            .collect();
        assert_eq!(errors.len(), 4, "{errors:?}");
        for key in [
            "grading.months: must be at least 1",
            "grading.history: [3, 6, 9]",
            "grading.integrity: needs three numbers",
            "channel 「a」 reputation: 「E」 is not one of A, B, C, D",
        ] {
            assert!(errors.iter().any(|e| e.contains(key)), "{key}: {errors:?}");
        }
        let unknown = format!("{MINIMAL}[grading]\nweeks = 3\n");
        assert!(parse_config(&unknown).is_err());
    }

    #[test]
    fn query_lines_and_sealing_default_to_the_form_and_on() {
        let c = parse_config(MINIMAL).unwrap();
        assert_eq!(c.query_required, crate::model::QUERY_SIGNATURES);
        assert!(c.delisting_seal);
        let text = format!("{MINIMAL}[query]\nrequired = [\"qa\"]\n[delisting]\nseal = false\n");
        let c = parse_config(&text).unwrap();
        assert_eq!(c.query_required, ["qa"]);
        assert!(!c.delisting_seal);
        let bad = format!("{MINIMAL}[query]\nrequired = [\"boss\"]\n");
        let errors = parse_config(&bad).unwrap_err();
        assert!(
            errors[0].to_string().contains("query.required: 「boss」"),
            "{errors:?}"
        );
    }
}
