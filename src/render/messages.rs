//! The wording of every verdict and finding, in Chinese (default) and English. The rules hold
//! codes and facts; the sentences live here.

use super::dates::{to_day, to_minute};
use crate::model::{ContactKind, Kind, Phone, Time};
use crate::rules::verdict::{
    Cite, Code, Detail, DirectFault, DirectField, Finding, FindingDetail, Verdict, class_code,
};
use chrono::{FixedOffset, Timelike};
use rust_decimal::Decimal;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

/// How human output is written: language, zone, whether phones are shown whole, and the phones
/// sealed (R13.2 封存: shown as 已封存 even with `--reveal`; sorted).
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub lang: Lang,
    pub tz: FixedOffset,
    pub reveal: bool,
    /// `--mask`: phones masked in CSV and JSON too (exports that leave the office).
    pub mask: bool,
    pub sealed: &'static [Phone],
}

impl Style {
    fn zh(&self) -> bool {
        self.lang == Lang::Zh
    }

    /// Picks the Chinese or English text.
    pub fn pick<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        if self.zh() { zh } else { en }
    }

    /// `138****5678` unless `--reveal`; `已封存` for a sealed phone (R13.2), even with `--reveal`.
    pub fn phone(&self, p: Phone) -> String {
        if self.sealed.binary_search(&p).is_ok() {
            return self.pick("已封存", "sealed").to_string();
        }
        let s = p.to_string();
        if self.reveal {
            s
        } else {
            format!("{}****{}", &s[..3], &s[7..])
        }
    }

    /// A phone in CSV and JSON: whole (scripts join on it), or `138****5678` with `--mask`.
    pub fn data_phone(&self, p: Phone) -> String {
        let s = p.to_string();
        match self.mask {
            true => format!("{}****{}", &s[..3], &s[7..]),
            false => s,
        }
    }

    /// A time in the project zone: `2026-03-01 09:30`.
    pub fn time(&self, t: Time) -> String {
        to_minute(t.with_timezone(&self.tz))
    }

    /// The inclusive end of a period: the date alone when it ends with its day (calendar
    /// counting), else date and time.
    pub fn until(&self, t: Time) -> String {
        let local = t.with_timezone(&self.tz);
        let clock = local.naive_local().time();
        if clock.hour() == 23 && clock.minute() == 59 && clock.second() == 59 {
            to_day(local)
        } else {
            to_minute(local)
        }
    }

    /// The word for a record: its kind, or for a contact whether it was a call, visit or
    /// follow-up.
    pub fn record(&self, k: Kind, contact: Option<ContactKind>) -> &'static str {
        let (zh, en) = match contact {
            Some(ContactKind::Call) => ("来电", "call"),
            Some(ContactKind::Visit) => ("来访", "visit"),
            Some(ContactKind::Followup) => ("回访", "follow-up"),
            None => return self.kind(k),
        };
        if self.zh() { zh } else { en }
    }

    pub fn kind(&self, k: Kind) -> &'static str {
        let (zh, en) = match k {
            Kind::Report => ("报备", "report"),
            Kind::Staff => ("人员变动", "staff change"),
            Kind::Delisting => ("客户摘牌", "delisting"),
            Kind::Query => ("客户属别查询单", "query slip"),
            Kind::Contact => ("来电来访", "contact"),
            Kind::Slip => ("带客确认单", "slip"),
            Kind::Direct => ("甲方确认单", "direct slip"),
            Kind::Booking => ("认购", "booking"),
            Kind::Discount => ("特殊优惠审批", "discount"),
            Kind::Violation => ("处罚", "violation"),
            Kind::Relation => ("家庭关系", "relation"),
            Kind::Void => ("作废", "void"),
            Kind::Cancellation => ("退订", "cancellation"),
            Kind::Viewing => ("看房确认单", "viewing"),
            Kind::Deal => ("成交", "deal"),
            Kind::Handover => ("归属交接", "handover"),
            Kind::Grade => ("等级评审", "grade decision"),
        };
        if self.zh() { zh } else { en }
    }

    /// The name of a verdict code for a table cell.
    pub fn code(&self, c: Code) -> &'static str {
        if !self.zh() {
            return c.as_str();
        }
        match c {
            Code::DirectClient => "甲方直接客户",
            Code::KnownClient => "已知客户",
            Code::Duplicate => "重复报备",
            Code::HeldByReport => "撞单",
            Code::HeldByChannel => "渠道保护中",
            Code::Accepted => "报备有效",
            Code::Recorded => "已登记",
            Code::Unconfirmed => "未确认回访",
            Code::Cancelled => "已取消",
            Code::ReturnVisit => "复访",
            Code::NoReport => "无报备",
            Code::ReportTooLate => "报备未提前",
            Code::WindowExpired => "超出带看期",
            Code::Valid => "有效",
            Code::Effective => "已生效",
            Code::OutOfOrder => "签字顺序错",
            Code::UnknownSigner => "签字人不符",
            Code::DuplicateRole => "重复签字",
            Code::Pending => "待签",
            Code::Incomplete => "有空项",
            Code::Late => "出示过晚",
            Code::Developer => "甲方客户",
            Code::Channel => "渠道客户",
            Code::Agency => "乙方客户",
            Code::Penalty => "罚款",
            Code::Approved => "已审批",
            Code::Unsigned => "未签字",
            Code::Voided => "已作废",
            Code::Delisted => "已摘牌",
            Code::NotCarried => "未过半数",
            Code::Relisted => "已恢复",
            Code::NotDelisted => "未摘牌",
            Code::ChannelDelisted => "渠道已摘牌",
            Code::Complete => "签字齐全",
            Code::RefundFull => "全额退还定金",
            Code::RefundLessFees => "扣费后退还",
            Code::Forfeit => "定金不予退还",
            Code::RefundDouble => "双倍返还定金",
            Code::NoBooking => "认购已作废",
            Code::Brokered => "我方成交",
            Code::BypassOwner => "跳单(业主自行交易)",
            Code::BypassAgency => "跳单(别的中介)",
            Code::PriorViewing => "非首次看房",
            Code::OutsideWindow => "已过十二个月",
            Code::UnsignedViewing => "看房单未签字",
            Code::NotViewed => "未经我方带看",
            Code::Applied => "交接生效",
            Code::FromMismatch => "原顾问不符",
            Code::ToDeparted => "接手顾问已离职",
            Code::NoChange => "未变更",
        }
    }

    fn role(&self, r: &str) -> String {
        if !self.zh() {
            return r.to_string();
        }
        match r {
            "reception" => "接待",
            "site_manager" => "案场经理",
            "developer" => "甲方",
            "final" => "终审",
            other => other,
        }
        .to_string()
    }

    /// A slip role's name (接待, 案场经理 … in Chinese).
    pub fn role_name(&self, r: &str) -> String {
        self.role(r)
    }

    /// R6: why a direct slip does not hold, in words.
    pub fn direct_fault(&self, r: DirectFault) -> &'static str {
        if self.zh() {
            self.direct_reason(r)
        } else {
            r.as_str()
        }
    }

    fn field(&self, f: DirectField) -> &'static str {
        if !self.zh() {
            return f.as_str();
        }
        match f {
            DirectField::Client => "客户姓名",
            DirectField::Unit => "房号",
            DirectField::Area => "面积",
            DirectField::ListUnitPrice => "单价",
            DirectField::UnitPrice => "优惠后单价",
            DirectField::Total => "优惠后总房款",
            DirectField::Other => "其他",
            DirectField::Request => "申请内容",
            DirectField::ClientSignature => "客户签字",
            DirectField::DeveloperSigner => "甲方签字",
            DirectField::AgencySigner => "乙方签字",
        }
    }

    fn list(&self, items: impl Iterator<Item = String>) -> String {
        items.collect::<Vec<_>>().join(self.pick("、", ", "))
    }

    /// `C-03 来访 2026-03-02 10:00`: a cited record, its kind and time.
    fn cite(&self, c: &Cite) -> String {
        format!(
            "{} {} {}",
            c.id,
            self.record(c.kind, c.contact),
            self.time(c.at)
        )
    }

    fn cite_until(&self, c: Option<&Cite>) -> String {
        c.and_then(|c| c.until)
            .map(|u| self.until(u))
            .unwrap_or_default()
    }

    /// One line a clerk understands: why this verdict.
    pub fn why(&self, v: &Verdict) -> String {
        let cite = v.cite.as_deref();
        let c = || cite.map(|c| self.cite(c)).unwrap_or_default();
        let ch = || cite.and_then(|c| c.channel.clone()).unwrap_or_default();
        let cu = || self.cite_until(cite);
        let until = || v.until.map(|u| self.until(u)).unwrap_or_default();
        let zh = self.zh();
        match (v.code, v.kind) {
            (Code::Duplicate, Kind::Cancellation) if zh => {
                format!(
                    "重复退订: {} 已退订 ({}), 本条不计",
                    self.of_booking(&v.detail),
                    c()
                )
            }
            (Code::Duplicate, Kind::Cancellation) => format!(
                "duplicate: {} was already cancelled ({}); no effect",
                self.of_booking(&v.detail),
                c()
            ),
            (Code::NoBooking, _) if zh => {
                format!("认购 {} 已作废, 退订无效", self.of_booking(&v.detail))
            }
            (Code::NoBooking, _) => format!(
                "no booking: {} is voided; the cancellation has no effect",
                self.of_booking(&v.detail)
            ),
            (Code::RefundFull | Code::RefundLessFees | Code::Forfeit | Code::RefundDouble, _) => {
                self.refund(v)
            }
            (Code::DirectClient, _) if zh => format!("甲方直接客户: {}", c()),
            (Code::DirectClient, _) => format!("developer-direct client: {}", c()),
            (Code::KnownClient, _) if zh => format!("已知客户: {}, 保护期至 {}", c(), cu()),
            (Code::KnownClient, _) => format!("known client: {}, protected until {}", c(), cu()),
            (Code::Duplicate, _) if zh => {
                format!("重复报备: 本渠道已报备 {}, 带看期至 {} (不延长)", c(), cu())
            }
            (Code::Duplicate, _) => format!(
                "duplicate: this channel already reported {}, window until {} (not extended)",
                c(),
                cu()
            ),
            (Code::HeldByReport, _) if zh => {
                format!("撞单: {} 已报备 {}, 带看期至 {}", ch(), c(), cu())
            }
            (Code::HeldByReport, _) => format!(
                "held by report: {} reported {}, window until {}",
                ch(),
                c(),
                cu()
            ),
            (Code::HeldByChannel, _) if zh => {
                format!("渠道保护中: {} 有效带看 {}, 保护至 {}", ch(), c(), cu())
            }
            (Code::HeldByChannel, _) => format!(
                "held by channel: {} valid visit {}, hold until {}",
                ch(),
                c(),
                cu()
            ),
            (Code::Accepted, _) if zh => format!("报备有效: 带看期至 {}", until()),
            (Code::Accepted, _) => format!("accepted: bring the client by {}", until()),
            (Code::Recorded, Kind::Contact) if zh => format!("已登记, 保护期至 {}", until()),
            (Code::Recorded, Kind::Contact) => format!("recorded, protected until {}", until()),
            (Code::Recorded, Kind::Relation) if v.rule == "R10.2" => self
                .pick(
                    "代理人: 不合并家庭, 仅作看房确认单的关联方",
                    "agent link: joins no family; a related party of resale viewings only",
                )
                .into(),
            (Code::Recorded, Kind::Relation) => self
                .pick(
                    "家庭关系: 按同一客户判定",
                    "family link: judged as one client",
                )
                .into(),
            (Code::Recorded, _) => self.pick("已登记", "recorded").into(),
            (Code::Unconfirmed, _) => self
                .pick(
                    "回访无甲方确认人, 不计保护期",
                    "follow-up without the developer's confirmer: protects nothing",
                )
                .into(),
            (Code::Cancelled, Kind::Report) if zh => {
                format!("报备无效: 本渠道因切客被处罚 ({}), 不得再报备该客户", c())
            }
            (Code::Cancelled, Kind::Report) => format!(
                "cancelled by cutting ({}): this channel may not claim the client again",
                c()
            ),
            (Code::Cancelled, _) if zh => format!("带看无效: 切客处罚 {}", c()),
            (Code::Cancelled, _) => format!("cancelled: cutting violation {}", c()),
            (Code::ReturnVisit, _) if zh => {
                format!("复访: 首次有效带看 {}, 保护至 {} (不重新计算)", c(), cu())
            }
            (Code::ReturnVisit, _) => format!(
                "return visit: first valid visit {}, hold until {} (not restarted)",
                c(),
                cu()
            ),
            (Code::NoReport, _) => self
                .pick(
                    "无有效报备: 本渠道没有未结束的报备",
                    "no report: this channel has no open accepted report",
                )
                .into(),
            (Code::ReportTooLate, _) if zh => format!("报备未提前半天: {}", c()),
            (Code::ReportTooLate, _) => format!(
                "report too late: {} was less than the lead time before the visit",
                c()
            ),
            (Code::WindowExpired, _) if zh => format!("超出带看期: {}, 带看期至 {}", c(), cu()),
            (Code::WindowExpired, _) => format!("window expired: {}, window ended {}", c(), cu()),
            (Code::Valid, Kind::Contact) if zh => {
                format!("有效带客: 依 {}, 渠道保护至 {}", c(), until())
            }
            (Code::Valid, Kind::Contact) => {
                format!("valid visit: per {}, channel hold until {}", c(), until())
            }
            (Code::Valid, Kind::Viewing) if zh => format!("客户已签字, 跳单保护至 {}", until()),
            (Code::Valid, Kind::Viewing) => {
                format!("signed by the client: bypass window until {}", until())
            }
            (Code::Unsigned, Kind::Viewing) => self
                .pick(
                    "客户未签字, 不约束客户",
                    "not signed by the client: binds nothing",
                )
                .into(),
            (
                Code::Brokered
                | Code::BypassOwner
                | Code::BypassAgency
                | Code::PriorViewing
                | Code::OutsideWindow
                | Code::UnsignedViewing
                | Code::NotViewed,
                _,
            ) => self.deal(v),
            (Code::Valid, _) => self.pick("确认单有效", "slip valid").into(),
            (Code::Effective, _) if zh => format!("已生效于 {}", until()),
            (Code::Effective, _) => format!("effective since {}", until()),
            (
                Code::OutOfOrder
                | Code::UnknownSigner
                | Code::DuplicateRole
                | Code::Pending
                | Code::Incomplete,
                _,
            ) => self.fault(&v.detail),
            (Code::Late, _) if zh => format!("出示晚于首次来访当日: {}", c()),
            (Code::Late, _) => format!("late: presented after the day of the first visit {}", c()),
            (Code::Developer, _) if zh => format!("甲方直接客户: {}", c()),
            (Code::Developer, _) => format!("developer: {}", c()),
            (Code::Channel, _) if zh => {
                format!("渠道客户: {} 有效带看 {}, 保护至 {}", ch(), c(), cu())
            }
            (Code::Channel, _) => {
                format!("channel: {} valid visit {}, hold until {}", ch(), c(), cu())
            }
            (Code::Agency, _) => self.pick("乙方客户", "agency client").into(),
            (Code::Penalty, _) if zh => format!("罚款 {}", v.amount.unwrap_or_default()),
            (Code::Penalty, _) => format!("fine {}", v.amount.unwrap_or_default()),
            (Code::Approved, _) => self.pick("甲乙双方已签字", "signed by both heads").into(),
            (Code::Unsigned, _) => self.pick("缺甲方或乙方签字", "a signer is missing").into(),
            (Code::Voided, _) => self
                .pick("已作废, 不参与判定", "voided: ignored everywhere")
                .into(),
            (Code::Delisted, _) => self
                .pick(
                    "摘牌: 超过半数领导同意",
                    "delisted: carried by a strict majority of the leaders",
                )
                .into(),
            (Code::NotCarried, _) => self
                .pick(
                    "未超过半数领导同意, 不生效",
                    "not carried: no strict majority of the leaders, no effect",
                )
                .into(),
            (Code::Relisted, _) => self
                .pick(
                    "恢复: 超过半数领导同意撤销摘牌",
                    "relisted: the delisting is reversed by a strict majority",
                )
                .into(),
            (Code::NotDelisted, _) => self
                .pick(
                    "对象当时未被摘牌, 无需恢复",
                    "not delisted at the time: nothing to reverse",
                )
                .into(),
            (Code::ChannelDelisted, _) if zh => {
                format!("渠道已摘牌 ({}): 暂停合作, 不予受理", c())
            }
            (Code::Complete, _) => self
                .pick(
                    "查询单签字齐全: 确认客户姓名",
                    "complete: every required line signed, the client's name is confirmed",
                )
                .into(),
            (Code::ChannelDelisted, _) => {
                format!("channel delisted ({}): cooperation suspended, refused", c())
            }
            (Code::Applied | Code::FromMismatch | Code::ToDeparted | Code::NoChange, _) => {
                self.handover(v)
            }
        }
    }

    /// R14's signature lines of a query slip (客户属别查询单).
    fn query_line(&self, line: &str) -> String {
        if !self.zh() {
            return line.to_string();
        }
        match line {
            "client_signature" => "客户签字确认",
            "consultant" => "置业顾问签字",
            "qa" => "乙方品管助理签字",
            "agency_manager" => "乙方销售经理签字",
            "agency_head" => "乙方项目负责人签字",
            "developer_manager" => "甲方销售经理签字",
            "developer_head" => "甲方项目负责人签字",
            other => other,
        }
        .to_string()
    }

    /// R12.3: the booking a cancellation names.
    /// R10.3: why a deal owes what it owes.
    fn deal(&self, v: &Verdict) -> String {
        let c = v.cite.as_deref();
        let cite = c.map(|c| self.cite(c)).unwrap_or_default();
        let until = self.cite_until(c);
        let amount = v.amount.unwrap_or_default();
        let zh = self.zh();
        match v.code {
            Code::Brokered if zh => format!("我方成交, 佣金 {amount} (签约当日付清)"),
            Code::Brokered => {
                format!("brokered by us: commission {amount}, due the day of signing")
            }
            Code::BypassOwner if zh => {
                format!("跳单: 看房后十二个月内与业主自行交易 ({cite}, 至 {until}), 索赔 {amount}")
            }
            Code::BypassOwner => format!(
                "bypass: bought from the owner within the window ({cite}, until {until}); claim {amount}"
            ),
            Code::BypassAgency if zh => {
                format!("跳单: 首次看房后经别的中介成交 ({cite}, 至 {until}), 索赔 {amount}")
            }
            Code::BypassAgency => format!(
                "bypass: bought through another agency after a first viewing ({cite}, until {until}); claim {amount}"
            ),
            Code::PriorViewing if zh => format!("客户声明非首次看房 ({cite}), 不索赔"),
            Code::PriorViewing => {
                format!("the client declared an earlier viewing ({cite}): no claim")
            }
            Code::OutsideWindow if zh => format!("成交已过约定期限 ({cite}, 至 {until}), 不索赔"),
            Code::OutsideWindow => format!("after the window ({cite}, until {until}): no claim"),
            Code::UnsignedViewing => self
                .pick(
                    "看房确认单均未经客户签字, 不索赔",
                    "every viewing is unsigned: no claim",
                )
                .into(),
            _ => self
                .pick(
                    "无我方带看记录 (含关联方), 不索赔",
                    "not viewed with us (nor by a related party): no claim",
                )
                .into(),
        }
    }

    fn of_booking(&self, d: &Detail) -> String {
        match d {
            Detail::OfBooking { booking } | Detail::Refund { booking, .. } => booking.to_string(),
            _ => String::new(),
        }
    }

    /// R12.3: an effective cancellation's reason, refund and what is kept.
    fn refund(&self, v: &Verdict) -> String {
        let Detail::Refund {
            booking,
            deposit,
            fees,
            refund,
            kept,
        } = &v.detail
        else {
            return String::new();
        };
        let zh = self.zh();
        let what = match v.code {
            Code::RefundFull => self.pick("不可抗力, 全额退还定金", "force majeure: full refund"),
            Code::RefundLessFees => self.pick(
                "提前终止, 扣除费用后退还",
                "early termination: refund less fees",
            ),
            Code::Forfeit => {
                self.pick("客户违约, 定金不予退还", "client breach: deposit forfeited")
            }
            _ => self.pick(
                "卖方违约, 双倍返还定金",
                "seller breach: deposit returned double",
            ),
        };
        if zh {
            format!(
                "认购 {booking}: {what}; 定金 {deposit:.2}, 费用 {fees:.2}, 退还 {refund:.2}, 留存 {kept:.2}"
            )
        } else {
            format!(
                "cancels {booking}: {what}; deposit {deposit:.2}, fees {fees:.2}, refund {refund:.2}, kept {kept:.2}"
            )
        }
    }

    /// R5's and R6's faults: which roles, signers or fields.
    fn fault(&self, d: &Detail) -> String {
        let zh = self.zh();
        match d {
            Detail::Unsigned { lines } if zh => format!(
                "查询单未签齐: {}",
                self.list(lines.iter().map(|l| self.query_line(l)))
            ),
            Detail::Unsigned { lines } => format!("incomplete: {} not signed", lines.join(", ")),
            Detail::None | Detail::OfBooking { .. } | Detail::Refund { .. } => String::new(),
            Detail::OutOfOrder { early, jumped } if zh => format!(
                "签字顺序错误: {} 先于 {} 签字",
                self.role(early),
                self.role(jumped)
            ),
            Detail::OutOfOrder { early, jumped } => {
                format!("out of order: {early} signed before {jumped}")
            }
            Detail::UnknownSigner { role, signer } if zh => {
                format!("签字人不在名单: {} {}", self.role(role), signer)
            }
            Detail::UnknownSigner { role, signer } => format!("unknown signer: {role} {signer}"),
            Detail::DuplicateRole { role } if zh => format!("重复签字: {}", self.role(role)),
            Detail::DuplicateRole { role } => format!("duplicate role: {role}"),
            Detail::Pending { missing } if zh => {
                format!("待签: {}", self.list(missing.iter().map(|r| self.role(r))))
            }
            Detail::Pending { missing } => format!("pending: {}", missing.join(", ")),
            Detail::Incomplete { fields } => {
                let fields = self.list(fields.iter().map(|f| self.field(*f).to_string()));
                if zh {
                    format!("确认单有空项: {fields}")
                } else {
                    format!("incomplete: {fields} empty")
                }
            }
        }
    }

    /// One line per finding.
    pub fn finding(&self, f: &Finding) -> String {
        let cite = f.cite.as_ref().map(|c| self.cite(c)).unwrap_or_default();
        let zh = self.zh();
        match &f.detail {
            FindingDetail::Masked if zh => format!("隐号报备 (前三后四), 到访时补全号码 {cite}"),
            FindingDetail::Masked => {
                format!("masked report: the visit completes the number {cite}")
            }
            FindingDetail::MaskedNameMissing if zh => {
                format!("到访未填客户姓名, 不能补全隐号报备 ({cite})")
            }
            FindingDetail::MaskedNameMissing => {
                format!("visit without a client name: it completes no masked report ({cite})")
            }
            FindingDetail::WalkInDuringHold if zh => {
                format!("渠道报备保护中自然到访: 请核实是否截客 ({cite})")
            }
            FindingDetail::WalkInDuringHold => {
                format!("walk-in during a channel's hold: check it was not intercepted ({cite})")
            }
            FindingDetail::BrokerMismatch { report_broker } if zh => {
                format!("带看经纪人与报备经纪人 {report_broker} 不符")
            }
            FindingDetail::BrokerMismatch { report_broker } => {
                format!("broker differs from the report's broker {report_broker}")
            }
            FindingDetail::NameMismatch { names } if zh => format!(
                "认购名与来访登记名 ({}) 不符: 需填写《客户属别查询单》",
                self.list(names.iter().map(|n| n.to_string()))
            ),
            FindingDetail::NameMismatch { names } => format!(
                "buyer differs from the names received ({}): a client-attribution query slip is needed",
                names.join(", ")
            ),
            FindingDetail::DirectInvalid { reason } if zh => {
                format!("甲方确认单无效 ({}): {}", self.direct_reason(*reason), cite)
            }
            FindingDetail::DirectInvalid { reason } => {
                format!("direct slip invalid ({}): {}", reason.as_str(), cite)
            }
            FindingDetail::SlipPending { slip, status } if zh => format!(
                "带客确认单 {} 未生效 ({}): 渠道佣金暂不结算",
                slip,
                status.map_or("无人签字", |c| self.code(c))
            ),
            FindingDetail::SlipPending { slip, status } => format!(
                "visit slip {} not effective ({}): no channel commission yet",
                slip,
                slip_state(*status)
            ),
            FindingDetail::ReservedUnit { unit } if zh => format!("{unit} 为甲方自留房源"),
            FindingDetail::ReservedUnit { unit } => format!("{unit} is a developer-reserved unit"),
            FindingDetail::BelowFloor { ratio, floor } if zh => {
                format!("折扣 {} 低于最低限 {}", zhe(*ratio), zhe(*floor))
            }
            FindingDetail::BelowFloor { ratio, floor } => format!(
                "price ratio {} is below the floor {}",
                ratio_shown(*ratio),
                floor
            ),
            FindingDetail::UnapprovedDiscount { ratio, below } if zh => format!(
                "折扣 {} 低于 {}, 无有效《特殊优惠审批单》",
                zhe(*ratio),
                zhe(*below)
            ),
            FindingDetail::UnapprovedDiscount { ratio, below } => format!(
                "price ratio {} below {} without a valid discount approval",
                ratio_shown(*ratio),
                below
            ),
            FindingDetail::AlreadyLeft if zh => "该顾问已离职, 本条离职记录不计".into(),
            FindingDetail::AlreadyLeft => {
                "the consultant has already left: this leave is ignored".into()
            }
            FindingDetail::UnitTaken { unit, booking, at } if zh => {
                format!("{unit} 已售: {booking} 已于 {} 认购 (销控)", self.time(*at))
            }
            FindingDetail::UnitTaken { unit, booking, at } => {
                format!("{unit} is taken: booked by {booking} at {}", self.time(*at))
            }
            FindingDetail::NoInvestigation if zh => "摘牌前无初步调查核实记录".into(),
            FindingDetail::NoInvestigation => {
                "no investigation recorded before the delisting".into()
            }
            FindingDetail::Unnotified if zh => "摘牌决定尚未书面通知客户".into(),
            FindingDetail::Unnotified => "the delisting has not been notified in writing".into(),
            FindingDetail::GradeUnnotified if zh => "等级调整尚未书面告知渠道".into(),
            FindingDetail::GradeUnnotified => {
                "the grade has not been notified to the channel in writing".into()
            }
            FindingDetail::DelistedClient
                if f.severity == crate::rules::verdict::Severity::Error && zh =>
            {
                format!("客户已摘牌 ({cite}): 限制交易, 不得认购")
            }
            FindingDetail::DelistedClient
                if f.severity == crate::rules::verdict::Severity::Error =>
            {
                format!("delisted client ({cite}): trading restricted, no booking")
            }
            FindingDetail::FirstContradicted { first: true } if zh => {
                "查询单填「首次电访」, 但此前已有来电来访记录".into()
            }
            FindingDetail::FirstContradicted { first: false } if zh => {
                "查询单填「非首次电访」, 但此前没有来电来访记录".into()
            }
            FindingDetail::FirstContradicted { first: true } => {
                "the slip says first contact, but the client had a contact before".into()
            }
            FindingDetail::FirstContradicted { first: false } => {
                "the slip says not the first contact, but the client had none before".into()
            }
            FindingDetail::ClassDiffers { class, owner } if zh => format!(
                "查询单客户属别 {} 与当时归属 {} 不符",
                self.code(class_code(*class)),
                self.code(*owner)
            ),
            FindingDetail::ClassDiffers { class, owner } => format!(
                "the slip's class {} differs from the owner then, {}",
                class_code(*class).as_str(),
                owner.as_str()
            ),
            FindingDetail::QueryClassDiffers { query, class } if zh => format!(
                "查询单 {query} 的客户属别 {} 与认购归属不符 (归属不变)",
                self.code(class_code(*class))
            ),
            FindingDetail::QueryClassDiffers { query, class } => format!(
                "query slip {query} says {}, unlike the booking's owner (ownership unchanged)",
                class_code(*class).as_str()
            ),
            FindingDetail::DelistedClient if zh => format!("客户已摘牌 ({cite})"),
            FindingDetail::DelistedClient => format!("delisted client ({cite})"),
            FindingDetail::FeesUnknown if zh => {
                "未填写扣除费用, 且未配置 termination_fee: 按 0 扣除, 请核实".into()
            }
            FindingDetail::FeesUnknown => {
                "fees unknown: none on the row and no termination_fee configured; 0 deducted".into()
            }
            FindingDetail::RefundDiffers { written, computed } if zh => {
                format!("登记退款 {written} 与规则计算 {computed} 不符")
            }
            FindingDetail::RefundDiffers { written, computed } => {
                format!("refund written {written} differs from the rule's {computed}")
            }
            FindingDetail::Cancelled { .. } if zh => format!("已退订 ({cite})"),
            FindingDetail::Cancelled { .. } => format!("cancelled ({cite})"),
            FindingDetail::DepositShort { deposit, required } if zh => {
                format!("定金 {deposit} 不足 (应付 {required})")
            }
            FindingDetail::DepositShort { deposit, required } => {
                format!("deposit {deposit} is short of the {required} required")
            }
            FindingDetail::DepositOverCap { deposit, cap } if zh => {
                format!("定金 {deposit} 超过定金上限 {cap}, 超出部分不具定金性质")
            }
            FindingDetail::DepositOverCap { deposit, cap } => {
                format!("deposit {deposit} is over the cap {cap}: the excess is a prepayment")
            }
            FindingDetail::ConsultantMismatch { record } if zh => {
                format!("撞客: 该客户归属置业顾问 {record}")
            }
            FindingDetail::ConsultantMismatch { record } => {
                format!("consultant differs: the client is {record}'s")
            }
            FindingDetail::ConsultantDeparted { consultant } if zh => {
                format!("置业顾问 {consultant} 已离职")
            }
            FindingDetail::ConsultantDeparted { consultant } => {
                format!("consultant {consultant} has left")
            }
            FindingDetail::OrphanClient { record } if zh => {
                format!("归属顾问 {record} 已离职, 未办理归属交接")
            }
            FindingDetail::OrphanClient { record } => {
                format!("the client's consultant {record} has left and no handover was made")
            }
            FindingDetail::NoConsultant => self
                .pick(
                    "无归属置业顾问",
                    "no consultant: none of record and none employed named",
                )
                .into(),
        }
    }

    /// R11.3: a handover's verdict; `v.consultant` is the consultant of record before it.
    fn handover(&self, v: &Verdict) -> String {
        let record = v
            .consultant
            .as_deref()
            .unwrap_or(if self.zh() { "无" } else { "none" });
        match (v.code, self.zh()) {
            (Code::Applied, true) => format!("交接生效 (原归属 {record})"),
            (Code::Applied, false) => format!("applied (the client was {record}'s)"),
            (Code::FromMismatch, true) => {
                format!("原顾问与归属不符 (归属 {record}): 不生效, 请作废后重录")
            }
            (Code::FromMismatch, false) => {
                format!("from-mismatch: the client is {record}'s; no effect, void and re-enter")
            }
            (Code::ToDeparted, true) => "接手顾问已离职: 不生效".into(),
            (Code::ToDeparted, false) => {
                "to-departed: the new consultant has left; no effect".into()
            }
            (_, true) => "接手顾问即原顾问: 未变更".into(),
            (_, false) => "no change: the new consultant is the same".into(),
        }
    }

    fn direct_reason(&self, r: DirectFault) -> &'static str {
        match r {
            DirectFault::Incomplete => "有空项",
            DirectFault::Late => "出示过晚",
            DirectFault::NameMismatch => "认购人与确认单不符, 不得更名",
            DirectFault::UnitMismatch => "房号与确认单不符",
        }
    }

    /// The owner word for `check`.
    pub fn owner(&self, owner: Option<Code>) -> &'static str {
        match owner {
            Some(c) => self.code(c),
            None => self.pick("新客户 (无记录)", "none (never seen)"),
        }
    }
}

/// A price ratio the Chinese way: 0.95 → `95折`, 0.9 → `9折`, 0.975 → `97.5折`.
pub fn zhe(ratio: Decimal) -> String {
    let pct = (ratio * Decimal::from(100)).round_dp(2).normalize();
    if (pct % Decimal::from(10)).is_zero() {
        format!("{}折", (pct / Decimal::from(10)).normalize())
    } else {
        format!("{pct}折")
    }
}

/// A price ratio as a finding shows it: four decimals at most, no trailing zeros.
fn ratio_shown(ratio: Decimal) -> String {
    ratio.round_dp(4).normalize().to_string()
}

/// A pending slip's state in a finding: its R5 code, or `unsigned` when nobody signed it.
fn slip_state(status: Option<Code>) -> &'static str {
    status.map_or("unsigned", Code::as_str)
}
