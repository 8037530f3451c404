//! The kinds table: every record kind declared once, in one `kinds!` invocation at the end of this
//! file. From each declaration come the record's struct, its `Record` impl (columns with their
//! types and required flags, the reading of a row), the `Kind` variant with its file stem, TOML
//! table and id prefix, and its list in `Ledger`. The kinds are declared in the order the engine
//! judges them at equal times (RULES-R10.md §2.3), which is the only kind order there is.
//!
//! Adding a kind: `docs/adding-a-kind.md`.

use super::{Config, FieldError, Phone, Src, Text, Time};
use rust_decimal::Decimal;

/// What a column holds, for `add`'s flags and the docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    Text,
    Time,
    Phone,
    Money,
    Count,
    /// One of these words; `aliases` are other spellings `add` accepts (Chinese), each with the
    /// word it stands for.
    Choice {
        words: &'static [&'static str],
        aliases: &'static [(&'static str, &'static str)],
    },
    /// A slip role of `attrib.toml`'s `[slip] roles`.
    SlipRole,
}

/// One column of a kind's file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub ty: ColumnType,
    pub required: bool,
}

/// A cell's value type: how one trimmed, non-empty cell is parsed (the parsers live in
/// `ledger::fields`).
pub trait Value: Sized {
    const TYPE: ColumnType;
    fn parse(cell: &str, config: &Config) -> Result<Self, FieldError>;
}

/// A fixed set of words (`kind = visit`), declared with `choices!`.
pub trait Choice: Sized + Copy + 'static {
    const CHOICES: &'static [(&'static str, Self)];
    const NAMES: &'static [&'static str];
    /// Other spellings `attrib add` accepts (the Chinese words of RULES.md §5), each with the
    /// word it is stored as.
    const ALIASES: &'static [(&'static str, &'static str)];
}

/// A row being read, as a record's generated `read` sees it: cells by schema position.
pub trait Cells<'a> {
    fn config(&self) -> &Config;
    /// The trimmed cell of schema column `col`; `None` when empty or absent.
    fn cell(&self, col: usize) -> Option<&'a str>;
    /// Keeps an error for schema column `col`.
    fn fail(&mut self, col: usize, e: FieldError);
    fn src(&self) -> Src;
}

/// A field of a record: a `Value` is a required column, an `Option<Value>` an optional one.
pub trait Field: Sized {
    const TYPE: ColumnType;
    const REQUIRED: bool;
    /// The field from column `col`; `None` when it is missing or wrong (the error is kept).
    fn read<'a>(cells: &mut impl Cells<'a>, col: usize) -> Option<Self>;
}

fn parse<'a, T: Value>(cells: &mut impl Cells<'a>, col: usize, s: &str) -> Option<T> {
    T::parse(s, cells.config())
        .map_err(|e| cells.fail(col, e))
        .ok()
}

impl<T: Value> Field for T {
    const TYPE: ColumnType = T::TYPE;
    const REQUIRED: bool = true;
    fn read<'a>(cells: &mut impl Cells<'a>, col: usize) -> Option<Self> {
        match cells.cell(col) {
            Some(s) => parse(cells, col, s),
            None => {
                cells.fail(col, FieldError::Required);
                None
            }
        }
    }
}

impl<T: Value> Field for Option<T> {
    const TYPE: ColumnType = T::TYPE;
    const REQUIRED: bool = false;
    fn read<'a>(cells: &mut impl Cells<'a>, col: usize) -> Option<Self> {
        match cells.cell(col) {
            Some(s) => parse(cells, col, s).map(Some),
            None => Some(None),
        }
    }
}

/// A record's id, time and place, as the engine and the loader name it (for a signature, its
/// slip's id).
#[derive(Clone, Copy, Debug)]
pub struct Stamp<'l> {
    pub id: &'l str,
    pub at: Time,
    pub src: Src,
}

/// A record kind's row type; implemented by `kinds!` for every declared kind.
pub trait Record: Sized + Clone {
    const KIND: Kind;
    /// The file's columns in their declared order (the order `init` writes and rows are read).
    const COLUMNS: &'static [Column];
    /// Reads every field (keeping each field's error) before any is required.
    fn read<'a>(cells: &mut impl Cells<'a>) -> Option<Self>;
    fn stamp(&self) -> Stamp<'_>;
    /// The client phone the record is about, if any (its family's key, R1).
    fn phone(&self) -> Option<Phone>;
}

/// Code that runs on every kind's list alike (`Ledger::each_list`).
pub trait EachList {
    fn list<R: Record>(&mut self, list: &mut Vec<R>);
}

/// Declares a fixed set of words: the enum and its `Choice` impl. `Variant = "word" | "别名"`:
/// the word is what files hold; the aliases (Chinese) are accepted by `attrib add` and stored as
/// the word.
macro_rules! choices {
    ($(#[$meta:meta])* $name:ident {
        $($(#[$vmeta:meta])* $variant:ident = $word:literal $(| $alias:literal)*,)*
    }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name { $($(#[$vmeta])* $variant,)* }

        impl Choice for $name {
            const CHOICES: &'static [(&'static str, Self)] = &[$(($word, $name::$variant),)*];
            const NAMES: &'static [&'static str] = &[$($word,)*];
            const ALIASES: &'static [(&'static str, &'static str)] =
                &[$($(($alias, $word),)*)*];
        }
    };
}

/// The column name of a field: its own name, or the one given with `as "name"`.
macro_rules! column_name {
    ($field:ident) => {
        stringify!($field)
    };
    ($field:ident $col:literal) => {
        $col
    };
}

/// The phone of a record: `none`, or a field holding a `Phone` or an `Option<Phone>`.
macro_rules! phone_of {
    ($r:expr, none) => {
        None
    };
    ($r:expr, $field:ident) => {
        Option::<Phone>::from($r.$field)
    };
}

/// The kinds table. Each entry: the kind's doc, `Kind` variant => `Ledger` list: struct,
/// `{ stem, table, zh (the kind's Chinese name, which `attrib add` accepts too), prefix, unique
/// (whether ids are unique across the ledger), init (whether `attrib init` writes its file), at,
/// id, phone }`,
/// then its fields in column order (`field as "column"` when the column is named otherwise).
macro_rules! kinds {
    ($(
        $(#[doc = $doc:literal])*
        $kind:ident => $list:ident: $name:ident {
            stem: $stem:literal, table: $table:literal, zh: $zh:literal, prefix: $prefix:literal,
            unique: $unique:literal, init: $init:literal, at: $at:ident, id: $id:ident,
            phone: $phone:ident $(,)?
        }
        { $( $(#[doc = $fdoc:literal])* $field:ident $(as $col:literal)? : $ty:ty ),* $(,)? }
    )*) => {
        $(
            $(#[doc = $doc])*
            #[derive(Clone, Debug)]
            pub struct $name {
                $( $(#[doc = $fdoc])* pub $field: $ty, )*
                pub src: Src,
            }

            impl Record for $name {
                const KIND: Kind = Kind::$kind;
                const COLUMNS: &'static [Column] = &[$(Column {
                    name: column_name!($field $($col)?),
                    ty: <$ty as Field>::TYPE,
                    required: <$ty as Field>::REQUIRED,
                },)*];

                #[allow(unused_assignments)]
                fn read<'a>(cells: &mut impl Cells<'a>) -> Option<Self> {
                    let mut col = 0;
                    $( let $field = <$ty as Field>::read(cells, col); col += 1; )*
                    Some($name { $( $field: $field?, )* src: cells.src() })
                }

                fn stamp(&self) -> Stamp<'_> {
                    Stamp { id: &self.$id, at: self.$at, src: self.src }
                }

                fn phone(&self) -> Option<Phone> {
                    phone_of!(self, $phone)
                }
            }
        )*

        /// The record kinds, in the order the engine judges them at equal times (RULES-R10.md
        /// §2.3); also the order of files, errors and `Kind::ALL`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind { $($kind,)* }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$kind,)*];

            /// The file stem (`reports` for `reports.csv` / `reports.toml`).
            pub fn file_stem(self) -> &'static str {
                match self { $(Kind::$kind => $stem,)* }
            }

            /// The file's name: `reports.csv` or `reports.toml`.
            pub fn file_name(self, csv: bool) -> &'static str {
                match (self, csv) {
                    $((Kind::$kind, true) => concat!($stem, ".csv"),
                      (Kind::$kind, false) => concat!($stem, ".toml"),)*
                }
            }

            /// The singular name: the TOML table name (`[[report]]`), `add`'s kind and the
            /// `kind` of replay output.
            pub fn singular(self) -> &'static str {
                match self { $(Kind::$kind => $table,)* }
            }

            /// The kind's Chinese name (`来电来访`), accepted by `attrib add` as `singular`.
            pub fn zh_name(self) -> &'static str {
                match self { $(Kind::$kind => $zh,)* }
            }

            /// The prefix `attrib add` gives new ids of this kind.
            pub fn id_prefix(self) -> &'static str {
                match self { $(Kind::$kind => $prefix,)* }
            }

            /// Whether the kind's ids are record ids, unique across the ledger (a slip's id is
            /// shared by its signatures and is its own namespace).
            pub fn has_unique_ids(self) -> bool {
                match self { $(Kind::$kind => $unique,)* }
            }

            /// Whether `attrib init` writes the kind's file (the files of R1–R9; a part-two
            /// kind's file switches its rule on, RULES-R10.md §7.1 S11).
            pub fn in_init(self) -> bool {
                match self { $(Kind::$kind => $init,)* }
            }

            /// The column holding the record's time (`at`, or `presented_at`).
            pub fn time_column(self) -> &'static str {
                match self { $(Kind::$kind => stringify!($at),)* }
            }

            pub fn columns(self) -> &'static [Column] {
                match self { $(Kind::$kind => <$name as Record>::COLUMNS,)* }
            }
        }

        /// A whole ledger: the config and every record, each kind in file order.
        #[derive(Clone, Debug)]
        pub struct Ledger {
            pub config: Config,
            $( pub $list: Vec<$name>, )*
            /// Files that were not UTF-8 and were read as GB18030 (as Excel on Chinese Windows
            /// saves).
            pub decoded_gb18030: Vec<String>,
        }

        impl Ledger {
            pub fn empty(config: Config) -> Ledger {
                Ledger { config, $( $list: vec![], )* decoded_gb18030: vec![] }
            }

            /// How many records of `kind` the ledger holds (signatures, for slips).
            pub fn count(&self, kind: Kind) -> usize {
                match kind { $(Kind::$kind => self.$list.len(),)* }
            }

            /// Record `i` of `kind`: its id, time and place.
            pub fn stamp(&self, kind: Kind, i: usize) -> Stamp<'_> {
                match kind { $(Kind::$kind => self.$list[i].stamp(),)* }
            }

            /// The client phone of record `i` of `kind`, if it has one.
            pub fn phone(&self, kind: Kind, i: usize) -> Option<Phone> {
                match kind { $(Kind::$kind => self.$list[i].phone(),)* }
            }

            /// Reads one row of `kind` and keeps the record when every field was right.
            pub fn push_row<'a>(&mut self, kind: Kind, cells: &mut impl Cells<'a>) {
                match kind {
                    $(Kind::$kind => self.$list.extend(<$name as Record>::read(cells)),)*
                }
            }

            /// Room for `rows` more records of `kind`.
            pub fn reserve(&mut self, kind: Kind, rows: usize) {
                match kind { $(Kind::$kind => self.$list.reserve_exact(rows),)* }
            }

            /// Moves `other`'s records after this ledger's, kind by kind.
            pub fn absorb(&mut self, other: Ledger) {
                fn take<T>(to: &mut Vec<T>, from: Vec<T>) {
                    if to.is_empty() { *to = from } else { to.extend(from) }
                }
                $( take(&mut self.$list, other.$list); )*
                take(&mut self.decoded_gb18030, other.decoded_gb18030);
            }

            /// Runs `each` on every kind's list, in `Kind::ALL` order.
            pub fn each_list(&mut self, each: &mut impl EachList) {
                $( each.list(&mut self.$list); )*
            }
        }
    };
}

/// How many people a penalty counts (R8 `persons`, 人次): at least one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Persons(pub u32);

/// A slip role (签字角色), one of `attrib.toml`'s `[slip] roles`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role(pub Text);

impl Role {
    /// The Chinese names of the default slip roles (RULES.md §5: 接待/案场经理/甲方/终审), each
    /// with the role it stands for. `attrib add` accepts one when its role is configured.
    pub const ALIASES: &'static [(&'static str, &'static str)] = &[
        ("接待", "reception"),
        ("案场经理", "site_manager"),
        ("甲方", "developer"),
        ("终审", "final"),
    ];
}

impl std::ops::Deref for Role {
    type Target = Text;
    fn deref(&self) -> &Text {
        &self.0
    }
}

impl From<&str> for Role {
    fn from(s: &str) -> Role {
        Role(Text::from(s))
    }
}

impl PartialEq<String> for Role {
    fn eq(&self, other: &String) -> bool {
        self.0 == *other
    }
}

impl PartialEq<str> for Role {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Role {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

choices! {
    /// What kind of contact 来电 / 来访 / 回访 the office recorded.
    ContactKind { Call = "call" | "来电", Visit = "visit" | "来访", Followup = "followup" | "回访", }
}

choices! {
    /// How a buyer pays.
    Payment {
        Full = "full" | "全款",
        Installment = "installment" | "分期",
        Mortgage = "mortgage" | "按揭" | "贷款",
        Provident = "provident" | "公积金",
    }
}

choices! {
    /// The four kinds of broker misconduct of the channel rules (带客制度).
    ViolationKind {
        /// 保护区 soliciting in the protected zone.
        Zone = "zone" | "保护区",
        /// 不实信息 false information or unauthorized promises.
        FalseInfo = "false_info" | "不实信息",
        /// 串单 bribing staff to swap orders.
        OrderSwap = "order_swap" | "串单",
        /// 切客 cutting in on the office's known clients.
        Cutting = "cutting" | "切客",
    }
}

choices! {
    /// How two phones of one family 家庭 are related.
    RelationKind {
        Spouse = "spouse" | "夫妻",
        Parent = "parent" | "父母",
        Child = "child" | "子女",
        Sibling = "sibling" | "兄弟姐妹",
        SamePerson = "same_person" | "本人换号",
        /// R10.2: 代理人/代表人/承办人 of the other phone; never joins families (R1).
        Agent = "agent" | "代理人" | "代表人" | "承办人",
    }
}

choices! {
    /// A consultant 置业顾问 joining (入职) or leaving (离职) the office (R11.1).
    StaffEvent { Join = "join" | "入职", Leave = "leave" | "离职", }
}

choices! {
    /// Why a client's consultant changes 归属交接 (R11): the consultant left 离职, a manager
    /// reassigned 调配, the client asked 客户申请, or a first assignment 指派.
    HandoverReason {
        Departure = "departure" | "离职",
        Reassign = "reassign" | "调配",
        Request = "request" | "客户申请",
        Assign = "assign" | "指派",
    }
}

choices! {
    /// A delisting decision 摘牌 or its reversal 恢复 (R13).
    DelistAction { Delist = "delist" | "摘牌", Relist = "relist" | "恢复", }
}

choices! {
    /// The four grounds of a delisting 客户摘牌范围 (R13, seed l256).
    DelistReason {
        /// 资信恶化 the client's credit has deteriorated.
        Credit = "credit" | "资信恶化",
        /// 未经授权使用公司名称、品牌 unauthorized use of the company's name or brand.
        BrandMisuse = "brand_misuse" | "未经授权使用",
        /// 恶意攻击或造谣 malicious attacks or rumours.
        Attack = "attack" | "恶意攻击",
        /// 违约或其他严重不良行为 breach or other serious misconduct.
        Breach = "breach" | "违约",
    }
}

choices! {
    /// Who closed a resale deal 成交 (R10): this brokerage (我方), the client directly with the
    /// owner (业主自行交易, 第四条), or another intermediary (别的中介, 第五条).
    DealVia {
        Us = "us" | "我方" | "本公司",
        Owner = "owner" | "业主自行交易" | "业主",
        Other = "other" | "别的中介" | "其他中介",
    }
}

choices! {
    /// A yes/no field (RULES-R10.md §1.2).
    YesNo { Yes = "yes" | "是", No = "no" | "否", }
}

choices! {
    /// The class a query slip 客户属别查询单 gives the client 客户属别 (R14).
    QueryClass {
        Developer = "developer" | "甲方",
        Agency = "agency" | "乙方",
        Channel = "channel" | "渠道",
    }
}

choices! {
    /// Why a booking was cancelled 退订 (R12.3): 不可抗力, 提前终止, 客户违约, 卖方违约.
    CancelReason {
        ForceMajeure = "force_majeure" | "不可抗力",
        EarlyTermination = "early_termination" | "提前终止",
        ClientBreach = "client_breach" | "客户违约",
        SellerBreach = "seller_breach" | "卖方违约",
    }
}

choices! {
    /// A channel grade 渠道等级 (R18, seed l81–l84): A best, D worst.
    Level { A = "A" | "A级", B = "B" | "B级", C = "C" | "C级", D = "D" | "D级", }
}

kinds! {
    /// A correction: the record `target` is ignored from `at` on.
    Void => voids: Void {
        stem: "voids", table: "void", zh: "作废", prefix: "X-",
        unique: true, init: true, at: at, id: id, phone: none,
    } {
        id: Text,
        at: Time,
        target as "ref": Text,
        reason: Text,
        by: Option<Text>,
    }

    /// Two phones in one family (R1).
    Relation => relations: Relation {
        stem: "relations", table: "relation", zh: "家庭关系", prefix: "F-",
        unique: true, init: true, at: at, id: id, phone: phone,
    } {
        id: Text,
        at: Time,
        phone: Phone,
        relation: RelationKind,
        other_phone: Phone,
        note: Option<Text>,
    }

    /// A consultant 置业顾问 joining or leaving the office 人员变动 (R11).
    Staff => staff: Staff {
        stem: "staff", table: "staff", zh: "人员变动", prefix: "ST-",
        unique: true, init: false, at: at, id: id, phone: none,
    } {
        id: Text,
        at: Time,
        consultant: Text,
        event: StaffEvent,
        note: Option<Text>,
    }

    /// A delisting 客户摘牌 of a client (a phone) or a channel by the leadership, or its
    /// reversal (R13). Exactly one of `phone`/`channel` is filled; `reason` is one of the four
    /// grounds (`DelistReason`) for a `delist` and free text for a `relist` (checked across the
    /// row in `ledger::checks`).
    Delisting => delistings: Delisting {
        stem: "delistings", table: "delisting", zh: "客户摘牌", prefix: "DL-",
        unique: true, init: false, at: at, id: id, phone: phone,
    } {
        id: Text,
        at: Time,
        phone: Option<Phone>,
        channel: Option<Text>,
        votes_for: u32,
        leaders: u32,
        action: Option<DelistAction>,
        reason: Option<Text>,
        investigated_at: Option<Time>,
        notified_at: Option<Time>,
        by: Option<Text>,
        note: Option<Text>,
    }

    /// A developer-direct slip 甲方直接客户确认单. Every field must be filled for it to be valid
    /// (确认单上的每项不能空缺), so the optional ones are kept as written.
    Direct => directs: Direct {
        stem: "directs", table: "direct", zh: "直接客户确认单", prefix: "D-",
        unique: true, init: true, at: presented_at, id: id, phone: phone,
    } {
        id: Text,
        presented_at: Time,
        phone: Phone,
        client: Option<Text>,
        unit: Option<Text>,
        area: Option<Decimal>,
        list_unit_price: Option<Decimal>,
        unit_price: Option<Decimal>,
        total: Option<Decimal>,
        other: Option<Text>,
        request: Option<Text>,
        client_signature: Option<Text>,
        developer_signer: Option<Text>,
        agency_signer: Option<Text>,
    }

    /// A call, visit or follow-up recorded by the office (电访记录).
    Contact => contacts: Contact {
        stem: "contacts", table: "contact", zh: "来电来访", prefix: "C-",
        unique: true, init: true, at: at, id: id, phone: phone,
    } {
        id: Text,
        at: Time,
        kind: ContactKind,
        phone: Phone,
        client: Option<Text>,
        consultant: Option<Text>,
        channel: Option<Text>,
        broker: Option<Text>,
        slip: Option<Text>,
        confirmed_by: Option<Text>,
        note: Option<Text>,
    }

    /// A transfer of a client between consultants 归属交接 (R11.2b, R11.3): `from` is the
    /// consultant of record it takes the client from (empty: the family has none).
    Handover => handovers: Handover {
        stem: "handovers", table: "handover", zh: "归属交接", prefix: "HO-",
        unique: true, init: false, at: at, id: id, phone: phone,
    } {
        id: Text,
        at: Time,
        phone: Phone,
        to: Text,
        reason: HandoverReason,
        from: Option<Text>,
        by: Option<Text>,
        note: Option<Text>,
    }

    /// A resale viewing slip 客户看房确认单 (R10, seed l156–l172): the client (甲方) viewed
    /// `property` with this brokerage's broker 经纪人; signed by the client when `client_signature`
    /// is filled. `first_viewing` is the pre-printed 第五条 declaration (default yes).
    Viewing => viewings: Viewing {
        stem: "viewings", table: "viewing", zh: "看房确认单", prefix: "VW-",
        unique: true, init: false, at: at, id: id, phone: phone,
    } {
        id: Text,
        at: Time,
        property: Text,
        client: Text,
        phone: Phone,
        broker: Text,
        client_signature: Option<Text>,
        first_viewing: Option<YesNo>,
        no: Option<Text>,
        note: Option<Text>,
    }

    /// A channel report 报备: "I will bring client X".
    Report => reports: Report {
        stem: "reports", table: "report", zh: "报备", prefix: "R-",
        unique: true, init: true, at: at, id: id, phone: phone,
    } {
        id: Text,
        at: Time,
        channel: Text,
        broker: Text,
        client: Text,
        phone: Phone,
        note: Option<Text>,
    }

    /// One signature on a visit slip 带客确认单. Many rows share one slip id.
    Slip => signatures: Signature {
        stem: "slips", table: "slip", zh: "带客确认单", prefix: "S-",
        unique: false, init: true, at: at, id: slip, phone: none,
    } {
        slip: Text,
        at: Time,
        role: Role,
        signer: Text,
    }

    /// A special-discount approval 特殊优惠审批单.
    Discount => discounts: Discount {
        stem: "discounts", table: "discount", zh: "特殊优惠审批单", prefix: "A-",
        unique: true, init: true, at: at, id: id, phone: phone,
    } {
        id: Text,
        at: Time,
        phone: Phone,
        unit: Text,
        client: Option<Text>,
        list_unit_price: Option<Decimal>,
        unit_price: Option<Decimal>,
        reason: Option<Text>,
        developer_signer: Option<Text>,
        agency_signer: Option<Text>,
    }

    /// An attribution query slip 客户属别查询单 (R14): the client's name, whether it was the
    /// first call or visit, the class found, and the seven signature lines of the form.
    Query => queries: Query {
        stem: "queries", table: "query", zh: "客户属别查询单", prefix: "Q-",
        unique: true, init: false, at: at, id: id, phone: phone,
    } {
        id: Text,
        at: Time,
        phone: Phone,
        client: Text,
        first: Option<YesNo>,
        class: Option<QueryClass>,
        record: Option<Text>,
        client_signature: Option<Text>,
        consultant: Option<Text>,
        qa: Option<Text>,
        agency_manager: Option<Text>,
        agency_head: Option<Text>,
        developer_manager: Option<Text>,
        developer_head: Option<Text>,
        note: Option<Text>,
    }

    /// A booking 认购 of a unit.
    Booking => bookings: Booking {
        stem: "bookings", table: "booking", zh: "认购", prefix: "B-",
        unique: true, init: true, at: at, id: id, phone: phone,
    } {
        id: Text,
        at: Time,
        unit: Text,
        buyer: Text,
        phone: Phone,
        area: Option<Decimal>,
        list_price: Decimal,
        price: Decimal,
        payment: Option<Payment>,
        consultant: Option<Text>,
        discount: Option<Text>,
        deposit: Option<Decimal>,
        note: Option<Text>,
    }

    /// A booking cancellation 退订 (R12): `booking` names an earlier booking.
    Cancellation => cancellations: Cancellation {
        stem: "cancellations", table: "cancellation", zh: "退订", prefix: "CX-",
        unique: true, init: false, at: at, id: id, phone: none,
    } {
        id: Text,
        at: Time,
        booking: Text,
        reason: CancelReason,
        fees: Option<Decimal>,
        refund: Option<Decimal>,
        by: Option<Text>,
        note: Option<Text>,
    }

    /// A closed sale 成交 of a viewed property (R10): who closed it (`via`), the price 成交价, and
    /// when this brokerage learned of an outside deal (`known_at`, default `at`).
    Deal => deals: Deal {
        stem: "deals", table: "deal", zh: "成交", prefix: "DE-",
        unique: true, init: false, at: at, id: id, phone: phone,
    } {
        id: Text,
        at: Time,
        property: Text,
        buyer: Text,
        phone: Phone,
        price: Decimal,
        via: DealVia,
        known_at: Option<Time>,
        other_agency: Option<Text>,
        contract: Option<Text>,
        note: Option<Text>,
    }

    /// A penalty notice 处罚通知书.
    Violation => violations: Violation {
        stem: "violations", table: "violation", zh: "处罚", prefix: "V-",
        unique: true, init: true, at: at, id: id, phone: phone,
    } {
        id: Text,
        at: Time,
        kind: ViolationKind,
        channel: Text,
        broker: Option<Text>,
        persons: Option<Persons>,
        phone: Option<Phone>,
        damages: Option<Decimal>,
        evidence: Option<Text>,
    }

    /// A committee grade decision 等级评审 (R18, seed l86/l88): the channel's grade from `at`
    /// on, written notice to the channel at `notified_at` (书面告知).
    Grade => grades: GradeDecision {
        stem: "grades", table: "grade", zh: "等级评审", prefix: "G-",
        unique: true, init: false, at: at, id: id, phone: none,
    } {
        id: Text,
        at: Time,
        channel: Text,
        grade: Level,
        by: Option<Text>,
        notified_at: Option<Time>,
        note: Option<Text>,
    }
}

impl Kind {
    /// The kind `add` and replay call `name` (`report`, `slip`, …).
    pub fn from_singular(name: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.singular() == name)
    }

    /// The kind named `name` in English (`contact`) or in Chinese (`来电来访`), as `add` takes it.
    pub fn from_name(name: &str) -> Option<Kind> {
        let name = name.trim();
        Kind::ALL
            .iter()
            .copied()
            .find(|k| k.singular() == name || k.zh_name() == name)
    }

    /// The kind whose file stem is `stem` (`reports` → Report).
    pub fn from_stem(stem: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.file_stem() == stem)
    }
}

impl Contact {
    /// A channel visit 渠道带客: a visit with a channel named on it.
    pub fn is_channel_visit(&self) -> bool {
        self.kind == ContactKind::Visit && self.channel.is_some()
    }
}

impl Relation {
    /// R1: whether the link joins two families (an `agent` link never does; only R10 reads it).
    pub fn joins_family(&self) -> bool {
        self.relation != RelationKind::Agent
    }
}

impl Viewing {
    /// R10.3.5: the client's 第五条 declaration that this is the first viewing (default yes).
    pub fn is_first(&self) -> bool {
        self.first_viewing != Some(YesNo::No)
    }
}

impl Deal {
    /// R10.5: when the brokerage learned of the deal (`known_at`, default `at`).
    pub fn known(&self) -> Time {
        self.known_at.unwrap_or(self.at)
    }
}

/// R10 property key (RULES-R10 §1.2): NFKC, every whitespace character removed (U+3000
/// included), ASCII lower-cased: 「城西区海湖路８８号 3-1-1201」 is 「城西区海湖路88号3-1-1201」.
pub fn property_key(property: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    (property.nfkc())
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

impl Discount {
    /// Both project heads signed (甲乙双方项目负责人签字确认).
    pub fn is_signed(&self) -> bool {
        self.developer_signer.is_some() && self.agency_signer.is_some()
    }
}

impl Ledger {
    /// How many rows the ledger holds (every signature counts).
    pub fn rows(&self) -> usize {
        Kind::ALL.iter().map(|&k| self.count(k)).sum()
    }
}

impl Delisting {
    /// The row's action: `delist` unless it says `relist`.
    pub fn action(&self) -> DelistAction {
        self.action.unwrap_or(DelistAction::Delist)
    }

    /// R13.1: the decision carries with strictly more than half of the leaders (2 × votes_for >
    /// leaders, seed l266).
    pub fn carried(&self) -> bool {
        2 * u64::from(self.votes_for) > u64::from(self.leaders)
    }
}

impl Query {
    /// A signature line of the form by its column name (`None` for any other name).
    pub fn signature(&self, line: &str) -> Option<&Text> {
        match line {
            "client_signature" => self.client_signature.as_ref(),
            "consultant" => self.consultant.as_ref(),
            "qa" => self.qa.as_ref(),
            "agency_manager" => self.agency_manager.as_ref(),
            "agency_head" => self.agency_head.as_ref(),
            "developer_manager" => self.developer_manager.as_ref(),
            "developer_head" => self.developer_head.as_ref(),
            _ => None,
        }
    }

    /// R14.1: the lines of `required` left empty, in the order given.
    pub fn missing<'a>(&self, required: &'a [String]) -> Vec<&'a str> {
        (required.iter())
            .filter(|line| self.signature(line).is_none())
            .map(String::as_str)
            .collect()
    }
}

/// R14 / R15 name key (RULES-R10.md §1.2): NFKC, then every whitespace character removed
/// (U+3000 included), so 「张 伟」 and 「张伟」 (or full-width letters) compare equal.
pub fn name_key(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    name.nfkc().filter(|c| !c.is_whitespace()).collect()
}
