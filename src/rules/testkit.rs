//! Small ledgers built in code for the rules' unit tests.

use super::{Evaluation, evaluate};
use crate::model::*;
use chrono::{FixedOffset, NaiveDateTime, TimeZone};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

pub const P1: Phone = Phone(13800000001);
pub const P2: Phone = Phone(13800000002);
pub const P3: Phone = Phone(13800000003);

/// `2026-03-01 10:00` in +08:00, or any RFC 3339 time.
pub fn t(s: &str) -> Time {
    chrono::DateTime::parse_from_rfc3339(s).unwrap_or_else(|_| {
        let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("test time");
        FixedOffset::east_opt(8 * 3600)
            .unwrap()
            .from_local_datetime(&naive)
            .unwrap()
    })
}

fn rate(s: &str, v: &str) -> Rate {
    Rate {
        text: s.into(),
        value: v.parse().unwrap(),
    }
}

/// The config of RULES.md section 2's example.
pub fn config() -> Config {
    Config {
        name: "领秀慧谷".into(),
        developer: "某某置业".into(),
        agency: "伟业".into(),
        timezone: FixedOffset::east_opt(8 * 3600).unwrap(),
        lang: None,
        protection_days: 21,
        report_lead_hours: 12,
        visit_window_days: 3,
        channel_hold_days: 30,
        day_count: DayCount::Calendar,
        mode: Mode::ReportFirst,
        masked_reports: false,
        masked_match_name: true,
        slip_roles: ["reception", "site_manager", "developer", "final"]
            .map(String::from)
            .to_vec(),
        slip_deferrable: vec!["developer".into()],
        slip_signers: BTreeMap::new(),
        developer_rate: rate("1.0%", "0.01"),
        agency_rate: rate("1.8%", "0.018"),
        channel_rate: rate("1.8%", "0.018"),
        discount_floor: "0.92".parse().unwrap(),
        approval_below: Some("0.98".parse().unwrap()),
        unit_agency_fee: Decimal::from(30000),
        zone_units: 3,
        false_info: Decimal::from(5000),
        order_swap: Decimal::from(5000),
        cutting: Decimal::from(5000),
        channels: ["链家", "我爱我家", "房多多"]
            .map(|n| Channel {
                name: n.into(),
                commission: Commission::Rate(rate("1.0%", "0.01")),
                reputation: None,
            })
            .to_vec(),
        reserved_units: vec!["3-1-1201".into()],
        max_entry_delay_hours: 24,
        query_required: crate::model::QUERY_SIGNATURES.map(String::from).to_vec(),
        delisting_seal: true,
        deposit: Default::default(),
        expiring_days: 3,
        resale: Default::default(),
        consultants: Default::default(),
        grading: Default::default(),
    }
}

fn src(file: &str, line: usize) -> Src {
    let kind = (Kind::ALL.iter().copied())
        .find(|k| k.file_name(true) == file)
        .expect("a ledger file name");
    Src::new(kind, true, line as u32 + 2)
}

/// A ledger under construction. Fields are public so a test can adjust a record after adding it.
pub struct Lb {
    pub l: Ledger,
}

impl Default for Lb {
    fn default() -> Self {
        Lb {
            l: Ledger::empty(config()),
        }
    }
}

impl Lb {
    pub fn new() -> Lb {
        Lb::default()
    }

    pub fn report(self, id: &str, at: &str, channel: &str, broker: &str, phone: Phone) -> Lb {
        let phone = phone.to_string();
        let cells = [
            ("id", id),
            ("at", at),
            ("channel", channel),
            ("broker", broker),
        ];
        self.row(
            Kind::Report,
            &[&cells[..], &[("client", "张伟"), ("phone", &phone)]].concat(),
        )
    }

    fn contact(mut self, id: &str, at: &str, kind: ContactKind, phone: Phone) -> Lb {
        let line = self.l.contacts.len();
        self.l.contacts.push(Contact {
            id: id.into(),
            at: t(at),
            kind,
            phone,
            client: Some("张伟".into()),
            consultant: Some("小李".into()),
            channel: None,
            broker: None,
            slip: None,
            confirmed_by: None,
            note: None,
            src: src("contacts.csv", line),
        });
        self
    }

    pub fn call(self, id: &str, at: &str, phone: Phone) -> Lb {
        self.contact(id, at, ContactKind::Call, phone)
    }

    pub fn walk_in(self, id: &str, at: &str, phone: Phone) -> Lb {
        self.contact(id, at, ContactKind::Visit, phone)
    }

    pub fn followup(self, id: &str, at: &str, phone: Phone, confirmed_by: Option<&str>) -> Lb {
        let mut s = self.contact(id, at, ContactKind::Followup, phone);
        s.l.contacts.last_mut().unwrap().confirmed_by = confirmed_by.map(Text::from);
        s
    }

    /// A channel visit with slip `S-<id>`.
    pub fn visit(self, id: &str, at: &str, channel: &str, broker: &str, phone: Phone) -> Lb {
        let mut s = self.contact(id, at, ContactKind::Visit, phone);
        let c = s.l.contacts.last_mut().unwrap();
        c.channel = Some(channel.into());
        c.broker = Some(broker.into());
        c.slip = Some(format!("S-{id}").into());
        s
    }

    pub fn sign(mut self, slip: &str, at: &str, role: &str, signer: &str) -> Lb {
        let line = self.l.signatures.len();
        self.l.signatures.push(Signature {
            slip: slip.into(),
            at: t(at),
            role: role.into(),
            signer: signer.into(),
            src: src("slips.csv", line),
        });
        self
    }

    /// All four signatures of a slip at `at`.
    pub fn signed(self, slip: &str, at: &str) -> Lb {
        ["reception", "site_manager", "developer", "final"]
            .into_iter()
            .fold(self, |s, role| s.sign(slip, at, role, "签字人"))
    }

    /// A complete direct slip for client 张伟, unit 1-1-101.
    pub fn direct(self, id: &str, at: &str, phone: Phone) -> Lb {
        let phone = phone.to_string();
        let cells = [("id", id), ("presented_at", at), ("phone", &phone)];
        let slip = [
            ("client", "张伟"),
            ("unit", "1-1-101"),
            ("area", "100"),
            ("list_unit_price", "20000"),
            ("unit_price", "19000"),
            ("total", "1900000"),
            ("other", "车位"),
            ("request", "95折"),
            ("client_signature", "张伟"),
            ("developer_signer", "甲方总经理"),
            ("agency_signer", "乙方总经理"),
        ];
        self.row(Kind::Direct, &[&cells[..], &slip].concat())
    }

    /// A booking of unit 1-1-101 by 张伟 at list 2,000,000 and price 1,990,000.
    pub fn booking(self, id: &str, at: &str, phone: Phone) -> Lb {
        let phone = phone.to_string();
        let cells = [
            ("id", id),
            ("at", at),
            ("phone", &phone),
            ("unit", "1-1-101"),
        ];
        let sale = [
            ("buyer", "张伟"),
            ("list_price", "2000000"),
            ("price", "1990000"),
        ];
        self.row(Kind::Booking, &[&cells[..], &sale].concat())
    }

    /// A discount approval for unit 1-1-101, signed by both heads.
    pub fn discount(self, id: &str, at: &str, phone: Phone) -> Lb {
        let phone = phone.to_string();
        let cells = [
            ("id", id),
            ("at", at),
            ("phone", &phone),
            ("unit", "1-1-101"),
        ];
        let signed = [
            ("client", "张伟"),
            ("developer_signer", "甲方"),
            ("agency_signer", "乙方"),
        ];
        self.row(Kind::Discount, &[&cells[..], &signed].concat())
    }

    pub fn violation(
        mut self,
        id: &str,
        at: &str,
        kind: ViolationKind,
        channel: &str,
        phone: Option<Phone>,
    ) -> Lb {
        let line = self.l.violations.len();
        self.l.violations.push(Violation {
            id: id.into(),
            at: t(at),
            kind,
            channel: channel.into(),
            broker: None,
            persons: None,
            phone,
            damages: None,
            evidence: None,
            src: src("violations.csv", line),
        });
        self
    }

    /// `a` and `b` are spouses (R1).
    pub fn relation(self, id: &str, at: &str, a: Phone, b: Phone) -> Lb {
        let (a, b) = (a.to_string(), b.to_string());
        let cells = [
            ("id", id),
            ("at", at),
            ("phone", &a),
            ("relation", "spouse"),
        ];
        self.row(
            Kind::Relation,
            &[&cells[..], &[("other_phone", &b)]].concat(),
        )
    }

    pub fn void(self, id: &str, at: &str, target: &str) -> Lb {
        let cells = [
            ("id", id),
            ("at", at),
            ("ref", target),
            ("reason", "录入错误"),
        ];
        self.row(Kind::Void, &cells)
    }

    pub fn staff(self, id: &str, at: &str, consultant: &str, event: &str) -> Lb {
        let cells = [
            ("id", id),
            ("at", at),
            ("consultant", consultant),
            ("event", event),
        ];
        self.row(Kind::Staff, &cells)
    }

    /// R11: a handover 归属交接 of `phone`'s family from `from` (empty: none) to `to`.
    pub fn handover(self, id: &str, at: &str, phone: &str, from: &str, to: &str) -> Lb {
        let cells = [
            ("id", id),
            ("at", at),
            ("phone", phone),
            ("from", from),
            ("to", to),
            ("reason", "reassign"),
        ];
        let cells: Vec<(&str, &str)> = cells.into_iter().filter(|(_, v)| !v.is_empty()).collect();
        self.row(Kind::Handover, &cells)
    }

    /// A record of any kind from (column, cell) pairs, read as the loader reads a CSV row
    /// (times without an offset are in the config's zone); a wrong cell fails the test.
    pub fn row(mut self, kind: Kind, cells: &[(&str, &str)]) -> Lb {
        let columns = kind.columns();
        for (name, _) in cells {
            assert!(
                columns.iter().any(|c| c.name == *name),
                "{kind:?} has no column {name}"
            );
        }
        let values: Vec<Option<&str>> = (columns.iter())
            .map(|c| cells.iter().find(|(n, _)| *n == c.name).map(|(_, v)| *v))
            .collect();
        let config = self.l.config.clone();
        let line = self.l.count(kind) as u32 + 2;
        let mut row = TestRow {
            values: &values,
            config: &config,
            kind,
            line,
            errors: vec![],
        };
        self.l.push_row(kind, &mut row);
        assert!(
            row.errors.is_empty(),
            "{kind:?} row {cells:?}: {:?}",
            row.errors
        );
        self
    }

    pub fn verdict(&self, id: &str, at: &str) -> (&'static str, &'static str) {
        let e = evaluate(&self.l, t(at));
        let v = e
            .verdict(id)
            .unwrap_or_else(|| panic!("no verdict for {id}"));
        (v.code.as_str(), v.rule)
    }

    pub fn eval(&self, at: &str) -> Evaluation<'_> {
        evaluate(&self.l, t(at))
    }
}

/// One random record for property tests: (what, hour offset from 2026-03-01 00:00, phone 0..4,
/// channel 0..3).
pub type Op = (u8, u32, u64, usize);

pub fn op() -> impl proptest::strategy::Strategy<Value = Op> {
    (0u8..12, 0u32..(40 * 24), 0u64..4, 0usize..3)
}

const CHANNELS: [&str; 3] = ["链家", "我爱我家", "房多多"];

/// A ledger from random ops. With `distinct`, no two records share a time (each op gets its own
/// minute), so file order never breaks a tie.
pub fn random_ledger(ops: &[Op], distinct: bool) -> Lb {
    let mut l = Lb::new();
    for (n, &(what, h, p, c)) in ops.iter().enumerate() {
        let minutes = i64::from(h) * 60 + if distinct { n as i64 } else { 0 };
        let at = (t("2026-03-01 00:00") + chrono::Duration::minutes(minutes))
            .format("%Y-%m-%d %H:%M")
            .to_string();
        let (id, phone, ch) = (format!("N{n}"), Phone(13800000000 + p), CHANNELS[c]);
        l = match what {
            0 | 1 => l.report(&id, &at, ch, "王五", phone),
            2 if distinct => {
                // each signature a second apart, so no two share a time
                let base = t(&at);
                let roles = ["reception", "site_manager", "developer", "final"];
                roles.iter().enumerate().fold(
                    l.visit(&id, &at, ch, "王五", phone),
                    |l, (k, role)| {
                        let when = (base + chrono::Duration::seconds(k as i64 + 1)).to_rfc3339();
                        l.sign(&format!("S-{id}"), &when, role, "签字人")
                    },
                )
            }
            // the third channel's slips take effect 20 days after the visit, when 任总 signs
            2 if c == 2 => {
                let late = (t(&at) + chrono::Duration::days(20)).to_rfc3339();
                let slip = format!("S-{id}");
                ["reception", "site_manager", "developer"]
                    .into_iter()
                    .fold(l.visit(&id, &at, ch, "王五", phone), |l, role| {
                        l.sign(&slip, &at, role, "签字人")
                    })
                    .sign(&slip, &late, "final", "签字人")
            }
            2 => l
                .visit(&id, &at, ch, "王五", phone)
                .signed(&format!("S-{id}"), &at),
            3 => l.walk_in(&id, &at, phone),
            4 => l.call(&id, &at, phone),
            5 => l.followup(&id, &at, phone, if c == 0 { Some("孙睿") } else { None }),
            6 => l.direct(&id, &at, phone),
            7 => l.relation(&id, &at, phone, Phone(13800000000 + (p + 1) % 4)),
            8 => l.violation(&id, &at, ViolationKind::Cutting, ch, Some(phone)),
            9 => l.violation(&id, &at, ViolationKind::OrderSwap, ch, None),
            10 => l.discount(&id, &at, phone),
            _ => {
                let mut b = l.booking(&id, &at, phone);
                let price = [1_990_000, 1_950_000, 1_800_000][c];
                b.l.bookings.last_mut().unwrap().price = Decimal::from(price);
                if p == 0 {
                    b.l.bookings.last_mut().unwrap().discount =
                        b.l.discounts.first().map(|d| d.id.clone());
                }
                b
            }
        };
    }
    l
}

/// A row built by `Lb::row`: its cells in schema order.
struct TestRow<'a> {
    values: &'a [Option<&'a str>],
    config: &'a Config,
    kind: Kind,
    line: u32,
    errors: Vec<(usize, FieldError)>,
}

impl<'a> Cells<'a> for TestRow<'a> {
    fn config(&self) -> &Config {
        self.config
    }

    fn cell(&self, col: usize) -> Option<&'a str> {
        self.values[col].map(str::trim).filter(|s| !s.is_empty())
    }

    fn fail(&mut self, col: usize, e: FieldError) {
        self.errors.push((col, e));
    }

    fn src(&self) -> Src {
        Src::new(self.kind, true, self.line)
    }
}
