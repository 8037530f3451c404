//! What the rules say about a record: a verdict code, the rule it cites, the evidence it relied
//! on and its findings. Codes are the contract of RULES.md section 4; wording lives in `render`.

use crate::model::{
    Contact, ContactKind, Direct, Kind, Phone, QueryClass, Report, Text, Time, Violation,
};
use rust_decimal::Decimal;

/// A verdict code (RULES.md section 4). `as_str` is the machine spelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    // R2 report determination 判客
    DirectClient,
    KnownClient,
    Duplicate,
    HeldByReport,
    HeldByChannel,
    Accepted,
    // R3 contacts
    Recorded,
    Unconfirmed,
    // R4 channel visits 带客
    Cancelled,
    ReturnVisit,
    NoReport,
    ReportTooLate,
    WindowExpired,
    Valid,
    // R5 slips
    Effective,
    OutOfOrder,
    UnknownSigner,
    DuplicateRole,
    Pending,
    // R6 direct slips (plus Valid)
    Incomplete,
    Late,
    // R7 booking owners
    Developer,
    Channel,
    Agency,
    // R8, discounts, voids
    Penalty,
    Approved,
    Unsigned,
    Voided,
    // R13 delistings 摘牌
    Delisted,
    NotCarried,
    Relisted,
    NotDelisted,
    /// R13.3: a report or channel visit of a delisted channel (R2.0a, R4.1a).
    ChannelDelisted,
    // R14 query slips 客户属别查询单 (plus Incomplete)
    Complete,
    // R12.3 cancellations (plus Duplicate)
    RefundFull,
    RefundLessFees,
    Forfeit,
    RefundDouble,
    NoBooking,
    // R10.3 resale deals 成交 (viewings: Valid, Unsigned)
    Brokered,
    BypassOwner,
    BypassAgency,
    PriorViewing,
    OutsideWindow,
    UnsignedViewing,
    NotViewed,
    // R11.3 handovers 归属交接
    Applied,
    FromMismatch,
    ToDeparted,
    NoChange,
}

impl Code {
    /// Every code, in declaration order (`replay --verdict` reads its value against them): a
    /// new code goes here too.
    pub const ALL: [Code; 39] = [
        Code::DirectClient,
        Code::KnownClient,
        Code::Duplicate,
        Code::HeldByReport,
        Code::HeldByChannel,
        Code::Accepted,
        Code::Recorded,
        Code::Unconfirmed,
        Code::Cancelled,
        Code::ReturnVisit,
        Code::NoReport,
        Code::ReportTooLate,
        Code::WindowExpired,
        Code::Valid,
        Code::Effective,
        Code::OutOfOrder,
        Code::UnknownSigner,
        Code::DuplicateRole,
        Code::Pending,
        Code::Incomplete,
        Code::Late,
        Code::Developer,
        Code::Channel,
        Code::Agency,
        Code::Penalty,
        Code::Approved,
        Code::Unsigned,
        Code::Voided,
        Code::Delisted,
        Code::NotCarried,
        Code::Relisted,
        Code::NotDelisted,
        Code::ChannelDelisted,
        Code::Complete,
        Code::RefundFull,
        Code::RefundLessFees,
        Code::Forfeit,
        Code::RefundDouble,
        Code::NoBooking,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::DirectClient => "direct-client",
            Code::KnownClient => "known-client",
            Code::Duplicate => "duplicate",
            Code::HeldByReport => "held-by-report",
            Code::HeldByChannel => "held-by-channel",
            Code::Accepted => "accepted",
            Code::Recorded => "recorded",
            Code::Unconfirmed => "unconfirmed",
            Code::Cancelled => "cancelled",
            Code::ReturnVisit => "return-visit",
            Code::NoReport => "no-report",
            Code::ReportTooLate => "report-too-late",
            Code::WindowExpired => "window-expired",
            Code::Valid => "valid",
            Code::Effective => "effective",
            Code::OutOfOrder => "out-of-order",
            Code::UnknownSigner => "unknown-signer",
            Code::DuplicateRole => "duplicate-role",
            Code::Pending => "pending",
            Code::Incomplete => "incomplete",
            Code::Late => "late",
            Code::Developer => "developer",
            Code::Channel => "channel",
            Code::Agency => "agency",
            Code::Penalty => "penalty",
            Code::Approved => "approved",
            Code::Unsigned => "unsigned",
            Code::Voided => "voided",
            Code::Delisted => "delisted",
            Code::NotCarried => "not-carried",
            Code::Relisted => "relisted",
            Code::NotDelisted => "not-delisted",
            Code::ChannelDelisted => "channel-delisted",
            Code::Complete => "complete",
            Code::RefundFull => "refund-full",
            Code::RefundLessFees => "refund-less-fees",
            Code::Forfeit => "forfeit",
            Code::RefundDouble => "refund-double",
            Code::NoBooking => "no-booking",
            Code::Brokered => "brokered",
            Code::BypassOwner => "bypass-owner",
            Code::BypassAgency => "bypass-agency",
            Code::PriorViewing => "prior-viewing",
            Code::OutsideWindow => "outside-window",
            Code::UnsignedViewing => "unsigned-viewing",
            Code::NotViewed => "not-viewed",
            Code::Applied => "applied",
            Code::FromMismatch => "from-mismatch",
            Code::ToDeparted => "to-departed",
            Code::NoChange => "no-change",
        }
    }
}

/// A finding attached to a verdict (warnings and errors of R4 and R7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FindingCode {
    WalkInDuringHold,
    Masked,
    MaskedNameMissing,
    BrokerMismatch,
    NameMismatch,
    DirectInvalid,
    SlipPending,
    ReservedUnit,
    BelowFloor,
    UnapprovedDiscount,
    AlreadyLeft,
    UnitTaken,
    NoInvestigation,
    Unnotified,
    DelistedClient,
    FirstContradicted,
    ClassDiffers,
    QueryClassDiffers,
    FeesUnknown,
    RefundDiffers,
    Cancelled,
    DepositShort,
    DepositOverCap,
    ConsultantMismatch,
    ConsultantDeparted,
    OrphanClient,
    NoConsultant,
}

impl FindingCode {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingCode::WalkInDuringHold => "walk-in-during-hold",
            FindingCode::Masked => "masked",
            FindingCode::MaskedNameMissing => "masked-name-missing",
            FindingCode::BrokerMismatch => "broker-mismatch",
            FindingCode::NameMismatch => "name-mismatch",
            FindingCode::DirectInvalid => "direct-invalid",
            FindingCode::SlipPending => "slip-pending",
            FindingCode::ReservedUnit => "reserved-unit",
            FindingCode::BelowFloor => "below-floor",
            FindingCode::UnapprovedDiscount => "unapproved-discount",
            FindingCode::AlreadyLeft => "already-left",
            FindingCode::UnitTaken => "unit-taken",
            FindingCode::NoInvestigation => "no-investigation",
            FindingCode::Unnotified => "unnotified",
            FindingCode::DelistedClient => "delisted-client",
            FindingCode::FirstContradicted => "first-contradicted",
            FindingCode::ClassDiffers => "class-differs",
            FindingCode::QueryClassDiffers => "query-class-differs",
            FindingCode::FeesUnknown => "fees-unknown",
            FindingCode::RefundDiffers => "refund-differs",
            FindingCode::Cancelled => "cancelled",
            FindingCode::DepositShort => "deposit-short",
            FindingCode::DepositOverCap => "deposit-over-cap",
            FindingCode::ConsultantMismatch => "consultant-mismatch",
            FindingCode::ConsultantDeparted => "consultant-departed",
            FindingCode::OrphanClient => "orphan-client",
            FindingCode::NoConsultant => "no-consultant",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding: its code, severity, rule, and the facts a message needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// Always `detail.code()`: kept as a field for the machine outputs and comparisons.
    pub code: FindingCode,
    pub severity: Severity,
    pub rule: &'static str,
    /// The record the finding points at (the holding report, the direct slip, the slip …).
    pub cite: Option<Cite>,
    /// The facts its message needs; the variant is the finding.
    pub detail: FindingDetail,
}

impl Finding {
    pub fn warning(detail: FindingDetail, rule: &'static str) -> Finding {
        Finding {
            code: detail.code(),
            severity: Severity::Warning,
            rule,
            cite: None,
            detail,
        }
    }

    pub fn error(detail: FindingDetail, rule: &'static str) -> Finding {
        Finding {
            severity: Severity::Error,
            ..Finding::warning(detail, rule)
        }
    }

    pub fn cite(mut self, cite: Cite) -> Finding {
        self.cite = Some(cite);
        self
    }
}

/// What a finding says beyond its cite, one variant per finding code (R4, R5, R6, R7).
#[derive(Clone, Debug, PartialEq)]
pub enum FindingDetail {
    /// R4: a walk-in while a channel's report window is open (the cite is the report).
    WalkInDuringHold,
    /// R15: a masked report 隐号报备 (information for auditors, listed as a warning).
    Masked,
    /// R15.5: a visit without a client name while its phone matches an open masked report.
    MaskedNameMissing,
    /// R4: the broker named on the report the visit relies on.
    BrokerMismatch { report_broker: Text },
    /// R7: every name the family was received or reported under.
    NameMismatch { names: Vec<Text> },
    /// R6: why the family's direct slip is not valid for the booking.
    DirectInvalid { reason: DirectFault },
    /// R5: the visit's slip and its status as of T (`None`: nobody signed it).
    SlipPending { slip: Text, status: Option<Code> },
    /// R7: the developer-reserved unit booked.
    ReservedUnit { unit: Text },
    /// R7: price / list price, and the floor it is below.
    BelowFloor { ratio: Decimal, floor: Decimal },
    /// R7: price / list price, and the ratio below which an approval is needed.
    UnapprovedDiscount { ratio: Decimal, below: Decimal },
    /// R11.1: a `leave` of a consultant who has already left.
    AlreadyLeft,
    /// R7 销控: another family's live booking of the unit, at or before this one.
    UnitTaken { unit: Text, booking: Text, at: Time },
    /// R13.1: a delisting with no investigation before it (`investigated_at` absent or later).
    NoInvestigation,
    /// R13.1: a delisting not notified to the client as of T.
    Unnotified,
    /// R13.2: the family is delisted (the cite is the delisting in force).
    DelistedClient,
    /// R14.2: the query says first (`yes`) though the family had a contact before it, or not
    /// first (`no`) though it had none.
    FirstContradicted { first: bool },
    /// R14.2: the query's class against the owner `check` would compute at its time.
    ClassDiffers { class: QueryClass, owner: Code },
    /// R14.3: the class of the query the booking relies on differs from the booking's owner.
    QueryClassDiffers { query: Text, class: QueryClass },
    /// R12.3: early termination with no fees on the row and no `termination_fee` configured.
    FeesUnknown,
    /// R12.3: the refund written on the row and the one the rule gives.
    RefundDiffers { written: Decimal, computed: Decimal },
    /// R12.4: the booking's effective cancellation (also the cite).
    Cancelled { cancellation: Text },
    /// R12.2: the deposit paid and the deposit required.
    DepositShort { deposit: Decimal, required: Decimal },
    /// R12.2: the deposit paid and the cap (cap rate × price).
    DepositOverCap { deposit: Decimal, cap: Decimal },
    /// R11.6/R11.7: a consultant named other than the one in charge (the consultant of record,
    /// or the booking's serving consultant), who is named here.
    ConsultantMismatch { record: Text },
    /// R11.7: a contact naming a consultant who has left.
    ConsultantDeparted { consultant: Text },
    /// R11.6/R11.7: the consultant of record has left and no handover was made (l208).
    OrphanClient { record: Text },
    /// R11.6: no consultant of record and none named who is employed.
    NoConsultant,
    /// R18: a committee grade decision with no written notice recorded (l88 书面告知).
    GradeUnnotified,
}

impl FindingDetail {
    pub fn code(&self) -> FindingCode {
        match self {
            FindingDetail::WalkInDuringHold => FindingCode::WalkInDuringHold,
            FindingDetail::Masked => FindingCode::Masked,
            FindingDetail::MaskedNameMissing => FindingCode::MaskedNameMissing,
            FindingDetail::BrokerMismatch { .. } => FindingCode::BrokerMismatch,
            FindingDetail::NameMismatch { .. } => FindingCode::NameMismatch,
            FindingDetail::DirectInvalid { .. } => FindingCode::DirectInvalid,
            FindingDetail::SlipPending { .. } => FindingCode::SlipPending,
            FindingDetail::ReservedUnit { .. } => FindingCode::ReservedUnit,
            FindingDetail::BelowFloor { .. } => FindingCode::BelowFloor,
            FindingDetail::UnapprovedDiscount { .. } => FindingCode::UnapprovedDiscount,
            FindingDetail::AlreadyLeft => FindingCode::AlreadyLeft,
            FindingDetail::UnitTaken { .. } => FindingCode::UnitTaken,
            FindingDetail::NoInvestigation => FindingCode::NoInvestigation,
            FindingDetail::Unnotified => FindingCode::Unnotified,
            FindingDetail::DelistedClient => FindingCode::DelistedClient,
            FindingDetail::FirstContradicted { .. } => FindingCode::FirstContradicted,
            FindingDetail::ClassDiffers { .. } => FindingCode::ClassDiffers,
            FindingDetail::QueryClassDiffers { .. } => FindingCode::QueryClassDiffers,
            FindingDetail::FeesUnknown => FindingCode::FeesUnknown,
            FindingDetail::RefundDiffers { .. } => FindingCode::RefundDiffers,
            FindingDetail::Cancelled { .. } => FindingCode::Cancelled,
            FindingDetail::DepositShort { .. } => FindingCode::DepositShort,
            FindingDetail::DepositOverCap { .. } => FindingCode::DepositOverCap,
            FindingDetail::ConsultantMismatch { .. } => FindingCode::ConsultantMismatch,
            FindingDetail::ConsultantDeparted { .. } => FindingCode::ConsultantDeparted,
            FindingDetail::OrphanClient { .. } => FindingCode::OrphanClient,
            FindingDetail::NoConsultant => FindingCode::NoConsultant,
            FindingDetail::GradeUnnotified => FindingCode::Unnotified,
        }
    }
}

/// R14: the owner code a query slip's class names.
pub fn class_code(class: QueryClass) -> Code {
    match class {
        QueryClass::Developer => Code::Developer,
        QueryClass::Agency => Code::Agency,
        QueryClass::Channel => Code::Channel,
    }
}

/// R6: why a direct slip is not valid for a booking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectFault {
    /// R6.1: a field is empty.
    Incomplete,
    /// R6.2: presented after the day of the family's first visit.
    Late,
    /// R6.3: the buyer is not the slip's client (the slip may not be renamed).
    NameMismatch,
    /// R6.4: the booked unit is not the slip's unit.
    UnitMismatch,
}

impl DirectFault {
    /// The machine spelling (R6's codes).
    pub fn as_str(self) -> &'static str {
        match self {
            DirectFault::Incomplete => "incomplete",
            DirectFault::Late => "late",
            DirectFault::NameMismatch => "name-mismatch",
            DirectFault::UnitMismatch => "unit-mismatch",
        }
    }
}

/// R6.1: a field of a direct slip that must be filled (确认单上的每项不能空缺).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectField {
    Client,
    Unit,
    Area,
    ListUnitPrice,
    UnitPrice,
    Total,
    Other,
    Request,
    ClientSignature,
    DeveloperSigner,
    AgencySigner,
}

impl DirectField {
    /// The column name in `directs` (RULES.md section 2).
    pub fn as_str(self) -> &'static str {
        match self {
            DirectField::Client => "client",
            DirectField::Unit => "unit",
            DirectField::Area => "area",
            DirectField::ListUnitPrice => "list_unit_price",
            DirectField::UnitPrice => "unit_price",
            DirectField::Total => "total",
            DirectField::Other => "other",
            DirectField::Request => "request",
            DirectField::ClientSignature => "client_signature",
            DirectField::DeveloperSigner => "developer_signer",
            DirectField::AgencySigner => "agency_signer",
        }
    }
}

/// What a verdict says beyond its code and cite: the facts of R5's and R6's faults.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Detail {
    #[default]
    None,
    /// R5.1: the role that signed too early, and the earlier role it jumped.
    OutOfOrder { early: Text, jumped: Text },
    /// R5.2: the role and the signer not on its allow-list.
    UnknownSigner { role: Text, signer: Text },
    /// R5.3: the role that signed twice.
    DuplicateRole { role: Text },
    /// R5.4: the roles yet to sign, in signing order.
    Pending { missing: Vec<Text> },
    /// R6.1: the empty fields of the direct slip.
    Incomplete { fields: Vec<DirectField> },
    /// R14.1: the required signature lines of a query slip left empty.
    Unsigned { lines: Vec<Text> },
    /// R12.3 `no-booking` / `duplicate`: the booking the cancellation names.
    OfBooking { booking: Text },
    /// R12.3: an effective cancellation's booking and amounts (kept = deposit − refund).
    Refund {
        booking: Text,
        deposit: Decimal,
        fees: Decimal,
        refund: Decimal,
        kept: Decimal,
    },
}

/// A record a verdict relied on, with the end of the period it opened where that matters.
#[derive(Clone, Debug, PartialEq)]
pub struct Cite {
    pub kind: Kind,
    /// For a contact: call, visit or follow-up.
    pub contact: Option<ContactKind>,
    pub id: Text,
    pub at: Time,
    pub until: Option<Time>,
    pub channel: Option<Text>,
    /// For a channel visit: its slip (R9 pays the commission once the slip is effective).
    pub slip: Option<Text>,
}

impl Cite {
    pub fn contact(c: &Contact, until: Option<Time>) -> Cite {
        Cite {
            kind: Kind::Contact,
            contact: Some(c.kind),
            id: c.id.clone(),
            at: c.at,
            until,
            channel: c.channel.clone(),
            slip: c.slip.clone(),
        }
    }

    pub fn report(r: &Report, until: Time) -> Cite {
        Cite {
            kind: Kind::Report,
            contact: None,
            id: r.id.clone(),
            at: r.at,
            until: Some(until),
            channel: Some(r.channel.clone()),
            slip: None,
        }
    }

    pub fn direct(d: &Direct) -> Cite {
        Cite {
            kind: Kind::Direct,
            contact: None,
            id: d.id.clone(),
            at: d.presented_at,
            until: None,
            channel: None,
            slip: None,
        }
    }

    pub fn delisting(d: &crate::model::Delisting) -> Cite {
        Cite {
            kind: Kind::Delisting,
            contact: None,
            id: d.id.clone(),
            at: d.at,
            until: None,
            channel: d.channel.clone(),
            slip: None,
        }
    }

    pub fn violation(v: &Violation) -> Cite {
        Cite {
            kind: Kind::Violation,
            contact: None,
            id: v.id.clone(),
            at: v.at,
            until: None,
            channel: Some(v.channel.clone()),
            slip: None,
        }
    }
}

/// The verdict on one record as of the evaluation's as-of time.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub kind: Kind,
    /// For a contact: call, visit or follow-up.
    pub contact: Option<ContactKind>,
    /// The record's position in its kind's list in the ledger (a slip: its first signature).
    pub index: usize,
    pub id: Text,
    pub at: Time,
    pub code: Code,
    /// The rule clause, e.g. `R2.2`.
    pub rule: &'static str,
    pub phone: Option<Phone>,
    pub channel: Option<Text>,
    pub broker: Option<Text>,
    pub consultant: Option<Text>,
    pub amount: Option<Decimal>,
    pub findings: Vec<Finding>,
    /// The evidence: the contact, report, visit or slip the verdict rests on.
    pub cite: Option<Box<Cite>>,
    /// The end of the period this record opened (report window, channel hold, protection).
    pub until: Option<Time>,
    /// The facts of a fault for the message: roles out of order, missing fields …
    pub detail: Detail,
    /// R14.3: for a booking, the complete query slip that confirmed its buyer's name.
    pub query: Option<Text>,
    /// R11.5/R11.6: for a booking when R11 is on, its serving consultant and departed claimant.
    pub credit: Option<Box<super::consultant::Credit>>,
    /// R15.4: for a masked report, the visit that completed it and the phone that fills it.
    pub completed: Option<Box<(Text, Phone)>>,
}

impl Verdict {
    pub fn new(
        kind: Kind,
        index: usize,
        id: &str,
        at: Time,
        code: Code,
        rule: &'static str,
    ) -> Self {
        Verdict {
            kind,
            contact: None,
            index,
            id: id.into(),
            at,
            code,
            rule,
            phone: None,
            channel: None,
            broker: None,
            consultant: None,
            amount: None,
            findings: vec![],
            cite: None,
            until: None,
            detail: Detail::None,
            query: None,
            credit: None,
            completed: None,
        }
    }

    pub fn has_error(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}
