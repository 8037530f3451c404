//! The records of a ledger and its configuration: plain data, no behaviour beyond small accessors.
//!
//! Every record remembers where it came from (`Src`: file and line) so that errors, verdicts and
//! the audit can point back at the row.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt;

/// An instant with its explicit UTC offset.
pub type Time = DateTime<FixedOffset>;

/// A client key 客户电话: a normalized 11-digit mainland mobile number, stored as an integer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Phone(pub u64);

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:011}", self.0)
    }
}

/// A piece of ledger text (an id, a name, a note): short texts — nearly all of them — are kept
/// inline without a heap allocation, so a million rows cost no million small allocations.
pub type Text = compact_str::CompactString;

/// Where a record stands: its file (e.g. `reports.csv`) and 1-based line (header = line 1).
/// Eight bytes: the file is known by its kind and format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Src {
    kind: Kind,
    csv: bool,
    pub line: u32,
}

impl Src {
    pub fn new(kind: Kind, csv: bool, line: u32) -> Src {
        Src { kind, csv, line }
    }

    /// The file's name, e.g. `reports.csv`.
    pub fn file(&self) -> &'static str {
        self.kind.file_name(self.csv)
    }
}

/// The nine record kinds, in the evaluation order used at equal times (RULES.md section 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Void,
    Relation,
    Direct,
    Contact,
    Report,
    Slip,
    Discount,
    Booking,
    Violation,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Report,
        Kind::Contact,
        Kind::Slip,
        Kind::Direct,
        Kind::Booking,
        Kind::Discount,
        Kind::Violation,
        Kind::Relation,
        Kind::Void,
    ];

    /// The file stem (`reports` for `reports.csv` / `reports.toml`).
    pub fn file_stem(self) -> &'static str {
        match self {
            Kind::Report => "reports",
            Kind::Contact => "contacts",
            Kind::Slip => "slips",
            Kind::Direct => "directs",
            Kind::Booking => "bookings",
            Kind::Discount => "discounts",
            Kind::Violation => "violations",
            Kind::Relation => "relations",
            Kind::Void => "voids",
        }
    }

    /// The file's name: `reports.csv` or `reports.toml`.
    pub fn file_name(self, csv: bool) -> &'static str {
        match (self, csv) {
            (Kind::Report, true) => "reports.csv",
            (Kind::Report, false) => "reports.toml",
            (Kind::Contact, true) => "contacts.csv",
            (Kind::Contact, false) => "contacts.toml",
            (Kind::Slip, true) => "slips.csv",
            (Kind::Slip, false) => "slips.toml",
            (Kind::Direct, true) => "directs.csv",
            (Kind::Direct, false) => "directs.toml",
            (Kind::Booking, true) => "bookings.csv",
            (Kind::Booking, false) => "bookings.toml",
            (Kind::Discount, true) => "discounts.csv",
            (Kind::Discount, false) => "discounts.toml",
            (Kind::Violation, true) => "violations.csv",
            (Kind::Violation, false) => "violations.toml",
            (Kind::Relation, true) => "relations.csv",
            (Kind::Relation, false) => "relations.toml",
            (Kind::Void, true) => "voids.csv",
            (Kind::Void, false) => "voids.toml",
        }
    }

    /// The singular name: the TOML table name (`[[report]]`) and the `kind` of replay output.
    pub fn singular(self) -> &'static str {
        match self {
            Kind::Report => "report",
            Kind::Contact => "contact",
            Kind::Slip => "slip",
            Kind::Direct => "direct",
            Kind::Booking => "booking",
            Kind::Discount => "discount",
            Kind::Violation => "violation",
            Kind::Relation => "relation",
            Kind::Void => "void",
        }
    }

    pub fn from_singular(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.singular() == s)
    }

    /// The prefix `attrib add` gives new ids of this kind.
    pub fn id_prefix(self) -> &'static str {
        match self {
            Kind::Report => "R-",
            Kind::Contact => "C-",
            Kind::Slip => "S-",
            Kind::Direct => "D-",
            Kind::Booking => "B-",
            Kind::Discount => "A-",
            Kind::Violation => "V-",
            Kind::Relation => "F-",
            Kind::Void => "X-",
        }
    }
}

/// A channel report 报备: "I will bring client X".
#[derive(Clone, Debug)]
pub struct Report {
    pub id: Text,
    pub at: Time,
    pub channel: Text,
    pub broker: Text,
    pub client: Text,
    pub phone: Phone,
    pub note: Option<Text>,
    pub src: Src,
}

/// What kind of contact 来电 / 来访 / 回访 the office recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactKind {
    Call,
    Visit,
    Followup,
}

/// A call, visit or follow-up recorded by the office (电访记录).
#[derive(Clone, Debug)]
pub struct Contact {
    pub id: Text,
    pub at: Time,
    pub kind: ContactKind,
    pub phone: Phone,
    pub client: Option<Text>,
    pub consultant: Option<Text>,
    pub channel: Option<Text>,
    pub broker: Option<Text>,
    pub slip: Option<Text>,
    pub confirmed_by: Option<Text>,
    pub note: Option<Text>,
    pub src: Src,
}

impl Contact {
    /// A channel visit 渠道带客: a visit with a channel named on it.
    pub fn is_channel_visit(&self) -> bool {
        self.kind == ContactKind::Visit && self.channel.is_some()
    }
}

/// One signature on a visit slip 带客确认单. Many rows share one slip id.
#[derive(Clone, Debug)]
pub struct Signature {
    pub slip: Text,
    pub at: Time,
    pub role: Text,
    pub signer: Text,
    pub src: Src,
}

/// A developer-direct slip 甲方直接客户确认单. Every field must be filled for it to be valid
/// (确认单上的每项不能空缺), so the optional ones are kept as written.
#[derive(Clone, Debug)]
pub struct Direct {
    pub id: Text,
    pub presented_at: Time,
    pub phone: Phone,
    pub client: Option<Text>,
    pub unit: Option<Text>,
    pub area: Option<Decimal>,
    pub list_unit_price: Option<Decimal>,
    pub unit_price: Option<Decimal>,
    pub total: Option<Decimal>,
    pub other: Option<Text>,
    pub request: Option<Text>,
    pub client_signature: Option<Text>,
    pub developer_signer: Option<Text>,
    pub agency_signer: Option<Text>,
    pub src: Src,
}

/// How a buyer pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Payment {
    Full,
    Installment,
    Mortgage,
    Provident,
}

/// A booking 认购 of a unit.
#[derive(Clone, Debug)]
pub struct Booking {
    pub id: Text,
    pub at: Time,
    pub unit: Text,
    pub buyer: Text,
    pub phone: Phone,
    pub area: Option<Decimal>,
    pub list_price: Decimal,
    pub price: Decimal,
    pub payment: Option<Payment>,
    pub consultant: Option<Text>,
    pub discount: Option<Text>,
    pub deposit: Option<Decimal>,
    pub note: Option<Text>,
    pub src: Src,
}

/// A special-discount approval 特殊优惠审批单.
#[derive(Clone, Debug)]
pub struct Discount {
    pub id: Text,
    pub at: Time,
    pub phone: Phone,
    pub unit: Text,
    pub client: Option<Text>,
    pub list_unit_price: Option<Decimal>,
    pub unit_price: Option<Decimal>,
    pub reason: Option<Text>,
    pub developer_signer: Option<Text>,
    pub agency_signer: Option<Text>,
    pub src: Src,
}

impl Discount {
    /// Both project heads signed (甲乙双方项目负责人签字确认).
    pub fn is_signed(&self) -> bool {
        self.developer_signer.is_some() && self.agency_signer.is_some()
    }
}

/// The four kinds of broker misconduct of the channel rules (带客制度).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViolationKind {
    /// 保护区 soliciting in the protected zone.
    Zone,
    /// 不实信息 false information or unauthorized promises.
    FalseInfo,
    /// 串单 bribing staff to swap orders.
    OrderSwap,
    /// 切客 cutting in on the office's known clients.
    Cutting,
}

/// A penalty notice 处罚通知书.
#[derive(Clone, Debug)]
pub struct Violation {
    pub id: Text,
    pub at: Time,
    pub kind: ViolationKind,
    pub channel: Text,
    pub broker: Option<Text>,
    pub persons: Option<u32>,
    pub phone: Option<Phone>,
    pub damages: Option<Decimal>,
    pub evidence: Option<Text>,
    pub src: Src,
}

/// How two phones of one family 家庭 are related.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelationKind {
    Spouse,
    Parent,
    Child,
    Sibling,
    SamePerson,
}

/// Two phones in one family (R1).
#[derive(Clone, Debug)]
pub struct Relation {
    pub id: Text,
    pub at: Time,
    pub phone: Phone,
    pub relation: RelationKind,
    pub other_phone: Phone,
    pub note: Option<Text>,
    pub src: Src,
}

/// A correction: the record `target` is ignored from `at` on.
#[derive(Clone, Debug)]
pub struct Void {
    pub id: Text,
    pub at: Time,
    pub target: Text,
    pub reason: Text,
    pub by: Option<Text>,
    pub src: Src,
}

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

#[derive(Clone, Debug)]
pub struct Channel {
    pub name: String,
    pub commission: Commission,
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
}

impl Config {
    pub fn channel(&self, name: &str) -> Option<&Channel> {
        self.channels.iter().find(|c| c.name == name)
    }
}

/// A whole ledger: the config and every record, each kind in file order.
#[derive(Clone, Debug)]
pub struct Ledger {
    pub config: Config,
    pub reports: Vec<Report>,
    pub contacts: Vec<Contact>,
    pub signatures: Vec<Signature>,
    pub directs: Vec<Direct>,
    pub bookings: Vec<Booking>,
    pub discounts: Vec<Discount>,
    pub violations: Vec<Violation>,
    pub relations: Vec<Relation>,
    pub voids: Vec<Void>,
    /// Files that were not UTF-8 and were read as GB18030 (as Excel on Chinese Windows saves).
    pub decoded_gb18030: Vec<String>,
}

/// A kind's rank (below 16) and a record's position in its kind's list in one `u32`, the rank in
/// the top four bits: sorting these sorts by rank, then position. For the sort keys of a million
/// records (the engine's events, the loader's id check).
pub fn rank_and_index(rank: usize, index: usize) -> u32 {
    let index = u32::try_from(index)
        .ok()
        .filter(|i| *i < 1 << INDEX_BITS)
        .expect("fewer than 268 million records of one kind");
    let rank = u32::try_from(rank)
        .ok()
        .filter(|r| *r < 16)
        .expect("16 ranks at most");
    rank << INDEX_BITS | index
}

/// The rank and the position packed by `rank_and_index`.
pub fn rank_index_of(packed: u32) -> (usize, usize) {
    (
        (packed >> INDEX_BITS) as usize,
        (packed & ((1 << INDEX_BITS) - 1)) as usize,
    )
}

const INDEX_BITS: u32 = 28;

/// Record `i` of a kind as the engine and the loader name it: its id (for a signature, its
/// slip's), its time and where it stands.
#[derive(Clone, Copy, Debug)]
pub struct Stamp<'l> {
    pub id: &'l str,
    pub at: Time,
    pub src: Src,
}

impl Ledger {
    /// How many rows the ledger holds (every signature counts).
    pub fn rows(&self) -> usize {
        Kind::ALL.iter().map(|&k| self.count(k)).sum()
    }

    /// How many records of `kind` the ledger holds (signatures, for slips).
    pub fn count(&self, kind: Kind) -> usize {
        match kind {
            Kind::Report => self.reports.len(),
            Kind::Contact => self.contacts.len(),
            Kind::Slip => self.signatures.len(),
            Kind::Direct => self.directs.len(),
            Kind::Booking => self.bookings.len(),
            Kind::Discount => self.discounts.len(),
            Kind::Violation => self.violations.len(),
            Kind::Relation => self.relations.len(),
            Kind::Void => self.voids.len(),
        }
    }

    /// Record `i` of `kind`: its id, time and place.
    pub fn stamp(&self, kind: Kind, i: usize) -> Stamp<'_> {
        macro_rules! stamp {
            ($record:expr, $id:ident, $at:ident) => {{
                let r = &$record;
                Stamp {
                    id: &r.$id,
                    at: r.$at,
                    src: r.src,
                }
            }};
        }
        match kind {
            Kind::Report => stamp!(self.reports[i], id, at),
            Kind::Contact => stamp!(self.contacts[i], id, at),
            Kind::Slip => stamp!(self.signatures[i], slip, at),
            Kind::Direct => stamp!(self.directs[i], id, presented_at),
            Kind::Booking => stamp!(self.bookings[i], id, at),
            Kind::Discount => stamp!(self.discounts[i], id, at),
            Kind::Violation => stamp!(self.violations[i], id, at),
            Kind::Relation => stamp!(self.relations[i], id, at),
            Kind::Void => stamp!(self.voids[i], id, at),
        }
    }

    pub fn empty(config: Config) -> Ledger {
        Ledger {
            config,
            reports: vec![],
            contacts: vec![],
            signatures: vec![],
            directs: vec![],
            bookings: vec![],
            discounts: vec![],
            violations: vec![],
            relations: vec![],
            voids: vec![],
            decoded_gb18030: vec![],
        }
    }
}

/// A ledger row as written, before parsing: where it stands, its key (the record id; for a slip
/// signature the whole row) and its cells by column name. The audit compares these between
/// commits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRow {
    pub file: String,
    pub line: u32,
    pub key: String,
    pub cells: Vec<(String, String)>,
}

impl RawRow {
    pub fn get(&self, column: &str) -> Option<&str> {
        self.cells
            .iter()
            .find(|(c, _)| c == column)
            .map(|(_, v)| v.as_str())
    }

    /// The row as one line for a person: `id=R-001 at=2026-03-01 09:00 …` (empty cells left out).
    pub fn show(&self) -> String {
        self.cells
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(c, v)| format!("{c}={v}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}
