//! The project configuration `attrib.toml` as plain data.

use chrono::FixedOffset;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// How N-day periods are counted (RULES.md section 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayCount {
    /// 自然日: ends at the end of calendar day date(t) + N.
    Calendar,
    /// 24-hour periods: ends at t + N × 24 h.
    Elapsed,
}

/// R16 `rules.mode`: which report practice judges the ledger (RULES-R10 R16).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// 报备为先 (seed, default): an accepted report holds the family against other channels.
    #[default]
    ReportFirst,
    /// 到访为王 (practice): several channels may hold reports at once; the first visit decides.
    VisitFirst,
}

/// A rate as written in the config (`1.8%` or `0.018`) and its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rate {
    pub text: String,
    pub value: Decimal,
}

/// A channel's commission: a rate of the price, or a fixed amount per booking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Commission {
    Rate(Rate),
    Fixed { text: String, amount: Decimal },
}

/// R12 `[deposit]` (RULES-R10 §1.3): the cap applies to every cancellation; the table itself
/// switches on the booking findings (§7.1 S2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deposit {
    /// Whether `attrib.toml` has a `[deposit]` table (R12.2's findings).
    pub table: bool,
    /// The deposit required: an amount, or a rate of the price.
    pub required: Option<Commission>,
    /// 民法典 586: the deposit part is at most this rate of the price.
    pub cap: Rate,
    /// R12.3 early termination: an amount, or a rate of the deposit.
    pub termination_fee: Option<Commission>,
}

impl Default for Deposit {
    fn default() -> Self {
        Deposit {
            table: false,
            required: None,
            cap: Rate {
                text: "20%".into(),
                value: Decimal::new(20, 2),
            },
            termination_fee: None,
        }
    }
}

/// R10 `[resale]` (RULES-R10 §1.3): resale viewings and anti-bypass (看房确认单).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resale {
    /// Whether `attrib.toml` has a `[resale]` table (it switches R10 on, as a viewing or deal
    /// row does).
    pub table: bool,
    /// seed l169: 中介佣金为房屋买卖合同成交价的1.5%.
    pub commission_rate: Rate,
    /// seed l165, l167: 全额支付成交价3%的中介佣金.
    pub bypass_rate: Rate,
    /// seed l165: 自看房之日起十二个月内.
    pub bypass_months: u32,
    /// seed l167 states no limit; 12 is the contract's reading (A2).
    pub other_agency_months: u32,
    /// Who is owed the resale lines; `None`: `[project] agency`.
    pub payee: Option<String>,
}

impl Default for Resale {
    fn default() -> Self {
        Resale {
            table: false,
            commission_rate: Rate {
                text: "1.5%".into(),
                value: Decimal::new(15, 3),
            },
            bypass_rate: Rate {
                text: "3%".into(),
                value: Decimal::new(3, 2),
            },
            bypass_months: 12,
            other_agency_months: 12,
            payee: None,
        }
    }
}

/// R11.5(3) `[consultants] departed_scope`: which developed clients a departed consultant keeps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DepartedScope {
    /// Registered clients (seed l103/l105/l107): the developing consultant held the family.
    #[default]
    Registered,
    /// Dealt clients (seed l102 促成交易): also a booking served by the consultant before leaving.
    Dealt,
}

/// R11 `[consultants]` (RULES-R10 §1.3): the table switches R11 on (as a staff or handovers row
/// does); consultant money lines need `rate`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consultants {
    /// Whether `attrib.toml` has a `[consultants]` table.
    pub table: bool,
    /// 业绩提成 (seed-blank l104): unset = no consultant lines.
    pub rate: Option<Rate>,
    /// 期限为____年 (seed-blank l106).
    pub departed_years: u32,
    /// 公司规定的比例 (seed-blank l107).
    pub departed_share: Rate,
    /// 每季度结束后的____天内 (seed-blank l108).
    pub departed_pay_days: u32,
    pub departed_scope: DepartedScope,
    /// 公客回收 (practice): 0 = never.
    pub recycle_days: u32,
}

impl Default for Consultants {
    fn default() -> Self {
        Consultants {
            table: false,
            rate: None,
            departed_years: 1,
            departed_share: Rate {
                text: "50%".into(),
                value: Decimal::new(50, 2),
            },
            departed_pay_days: 30,
            departed_scope: DepartedScope::Registered,
            recycle_days: 0,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Channel {
    pub name: String,
    pub commission: Commission,
    /// R18.4 `reputation` 信誉度: a grade the ledger cannot derive; `None` = not assessed.
    pub reputation: Option<super::Level>,
}

/// R18 `[grading]` (RULES-R10 §1.3): the look-back window and the thresholds for A, B and C
/// (fewer, or for integrity more, is D).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grading {
    /// The window W: this many months back from T.
    pub months: u32,
    /// Active months needed for A, B, C.
    pub history: [u32; 3],
    /// Channel bookings needed for A, B, C.
    pub volume: [u32; 3],
    /// Most minor violations allowed for A, B, C.
    pub integrity: [u32; 3],
}

impl Default for Grading {
    fn default() -> Self {
        Grading {
            months: 12,
            history: [9, 6, 3],
            volume: [12, 6, 1],
            integrity: [0, 1, 2],
        }
    }
}

/// The project configuration `attrib.toml`.
#[derive(Clone, Debug)]
pub struct Config {
    pub name: String,
    pub developer: String,
    pub agency: String,
    pub timezone: FixedOffset,
    pub lang: Option<String>,
    pub protection_days: u32,
    pub report_lead_hours: u32,
    pub visit_window_days: u32,
    pub channel_hold_days: u32,
    pub day_count: DayCount,
    /// R16 `rules.mode`.
    pub mode: Mode,
    /// R15 `rules.masked_reports`: reports may carry 前三后四 masked phones.
    pub masked_reports: bool,
    /// R15 `rules.masked_match_name`: a masked report fits a family only with the same name.
    pub masked_match_name: bool,
    pub slip_roles: Vec<String>,
    pub slip_deferrable: Vec<String>,
    pub slip_signers: BTreeMap<String, Vec<String>>,
    pub developer_rate: Rate,
    pub agency_rate: Rate,
    pub channel_rate: Rate,
    pub discount_floor: Decimal,
    pub approval_below: Option<Decimal>,
    pub unit_agency_fee: Decimal,
    pub zone_units: u32,
    pub false_info: Decimal,
    pub order_swap: Decimal,
    pub cutting: Decimal,
    pub channels: Vec<Channel>,
    pub reserved_units: Vec<String>,
    pub max_entry_delay_hours: u32,
    /// R14 `[query] required`: the signature lines a complete query slip has filled (columns of
    /// `queries`; default all seven of the form, seed l359–l365).
    pub query_required: Vec<String>,
    /// R13 `[delisting] seal`: human output hides a delisted client's name and phones.
    pub delisting_seal: bool,
    /// R12: deposits and cancellations.
    pub deposit: Deposit,
    /// R17 `[reminders] expiring_days`: the default N of `attrib clients --expiring` (3).
    pub expiring_days: u32,
    /// R10: resale viewings and deals.
    pub resale: Resale,
    /// R11: consultant attribution.
    pub consultants: Consultants,
    /// R18: channel grading.
    pub grading: Grading,
}

/// R14: the seven signature lines of the 客户属别查询单 (seed l359–l365), in the form's order.
pub const QUERY_SIGNATURES: [&str; 7] = [
    "client_signature",
    "consultant",
    "qa",
    "agency_manager",
    "agency_head",
    "developer_manager",
    "developer_head",
];

impl Config {
    pub fn channel(&self, name: &str) -> Option<&Channel> {
        self.channels.iter().find(|c| c.name == name)
    }

    /// R10.5: who is owed resale lines (`[resale] payee`, else the agency).
    pub fn resale_payee(&self) -> &str {
        match self.resale.payee.as_deref() {
            Some(p) if !p.trim().is_empty() => p,
            _ => &self.agency,
        }
    }
}
