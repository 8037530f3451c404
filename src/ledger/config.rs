//! Reads `attrib.toml` into `Config`, with the defaults of RULES.md section 2.

use super::error::{ErrorKind, LedgerError, Said};
use super::fields::{parse_money, parse_rate};
use crate::model::{Channel, Commission, Config, DayCount};
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
}

impl Default for RawRules {
    fn default() -> Self {
        RawRules {
            protection_days: 21,
            report_lead_hours: 12,
            visit_window_days: 3,
            channel_hold_days: 30,
            day_count: "calendar".into(),
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
        if let Some(commission) = parse_commission(&mut c, &ch.name, &ch.commission) {
            channels.push(Channel {
                name: ch.name.clone(),
                commission,
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
    fn every_bad_key_is_reported() {
        let text = MINIMAL
            .replace("\"1.0%\"", "\"ten\"")
            .replace("name = \"P\"", "name = \"P\"\ntimezone = \"Beijing\"");
        let errs = parse_config(&text).unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:?}");
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
