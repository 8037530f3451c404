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
}
