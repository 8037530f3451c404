//! A deterministic generator of realistic ledgers for benchmarks:
//! `cargo run --release --example gen-ledger -- --rows N --out DIR [--seed S] [--part-two]`.
//!
//! Channels report aggressively (duplicates, rival reports), brokers bring some clients in time,
//! some too early or too late; every channel visit has a 4-signature slip (a few left pending);
//! walk-ins, calls and follow-ups; about 8 % of rows are bookings; a sprinkle of direct slips,
//! discount approvals, relations, violations and voids. The same seed gives the same bytes.
//!
//! With `--part-two`, about 6 % of the rows are those of RULES-R10: resale viewings and deals
//! (R10, `[resale]`), staff leaving and joining and the handovers of their clients (R11,
//! `[consultants] rate`), cancelled bookings (R12), delisted clients and a channel delisted for a
//! month (R13), query slips (R14) and quarterly channel grades (R18). The part-one stories are
//! drawn from the same stream as without the flag (part two has its own), so both ledgers hold
//! the same clients, except that a consultant who has left is replaced by a successor.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

/// splitmix64: small, fast and stable across versions (a benchmark's input must not change).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const SURNAMES: [&str; 24] = [
    "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋",
];
const GIVEN: [&str; 24] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "霞", "平", "刚", "桂英", "建华", "晓东",
];
const CHANNELS: [&str; 5] = ["链家", "我爱我家", "房多多", "贝壳", "中原"];
const CONSULTANTS: [&str; 12] = [
    "王丽", "刘强", "陈静", "赵敏", "孙磊", "周杰", "吴芳", "郑伟", "冯娟", "蒋涛", "沈明", "韩雪",
];

/// Minutes since 2026-01-01 00:00 (+08:00) as `YYYY-MM-DD HH:MM`.
fn time(minutes: u64) -> String {
    let base = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    (base + chrono::Duration::minutes(minutes as i64))
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[derive(Default)]
struct Out {
    reports: Vec<(u64, String)>,
    contacts: Vec<(u64, String)>,
    slips: Vec<(u64, String)>,
    directs: Vec<(u64, String)>,
    bookings: Vec<(u64, String)>,
    discounts: Vec<(u64, String)>,
    violations: Vec<(u64, String)>,
    relations: Vec<(u64, String)>,
    voids: Vec<(u64, String)>,
    // part two (`--part-two`)
    viewings: Vec<(u64, String)>,
    deals: Vec<(u64, String)>,
    staff: Vec<(u64, String)>,
    handovers: Vec<(u64, String)>,
    cancellations: Vec<(u64, String)>,
    delistings: Vec<(u64, String)>,
    queries: Vec<(u64, String)>,
    grades: Vec<(u64, String)>,
    ids: u64,
}

impl Out {
    fn rows(&self) -> usize {
        self.reports.len()
            + self.contacts.len()
            + self.slips.len()
            + self.directs.len()
            + self.bookings.len()
            + self.discounts.len()
            + self.violations.len()
            + self.relations.len()
            + self.voids.len()
            + self.part_two_rows()
    }
    fn part_two_rows(&self) -> usize {
        self.viewings.len()
            + self.deals.len()
            + self.staff.len()
            + self.handovers.len()
            + self.cancellations.len()
            + self.delistings.len()
            + self.queries.len()
            + self.grades.len()
    }
    fn id(&mut self, prefix: &str) -> String {
        self.ids += 1;
        format!("{prefix}{}", self.ids)
    }
}

fn broker(rng: &mut Rng, channel: &str) -> String {
    format!("{channel}{}{:02}", rng.pick(&SURNAMES), rng.below(20))
}

/// What part two needs to know of one client's story.
struct Story {
    phone: String,
    name: String,
    consultant: &'static str,
    start: u64,
    /// The first visit naming `consultant` (the consultant of record, R11.2a), if any.
    visit_at: Option<u64>,
    /// The class a query slip would find: `channel`, `agency` or `developer`.
    class: &'static str,
    booking: Option<(String, u64)>,
}

/// One client's story, appended to `o`. With `part_two`, a client who first comes after their
/// consultant left is received by the successor (no random draw changes, so the stories stay
/// those of the plain ledger).
fn client(rng: &mut Rng, o: &mut Out, n: u64, span: u64, part_two: bool) -> Story {
    let phone = format!("1{}{:09}", 3 + rng.below(7), n);
    let name = format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN));
    let consultant = rng.pick(&CONSULTANTS);
    let start = rng.below(span);
    let consultant = if part_two {
        successor(consultant, start)
    } else {
        consultant
    };
    let mut class = "agency";
    let mut booking = None;
    let story = rng.below(100);
    let mut visit_at = None;
    let mut channel_visit = None;
    if story < 60 {
        // a channel reports, maybe again, maybe a rival too; the broker may bring the client
        let ch = rng.pick(&CHANNELS);
        let br = broker(rng, ch);
        let id = o.id("R");
        o.reports.push((
            start,
            format!("{id},{},{ch},{br},{name},{phone},\n", time(start)),
        ));
        if rng.chance(25) {
            let id = o.id("R");
            let t = start + 60 + rng.below(3000);
            o.reports.push((
                t,
                format!("{id},{},{ch},{br},{name},{phone},重复报备\n", time(t)),
            ));
        }
        if rng.chance(15) {
            let rival = rng.pick(&CHANNELS);
            let id = o.id("R");
            let t = start + 30 + rng.below(2000);
            o.reports.push((
                t,
                format!(
                    "{id},{},{rival},{},{name},{phone},\n",
                    time(t),
                    broker(rng, rival)
                ),
            ));
        }
        if rng.chance(70) {
            let t = start + 300 + rng.below(6 * 1440);
            let id = o.id("C");
            let slip = format!("S{}", o.ids);
            o.contacts.push((
                t,
                format!(
                    "{id},{},visit,{phone},{name},{consultant},{ch},{br},{slip},,\n",
                    time(t)
                ),
            ));
            let signers = [
                ("reception", consultant),
                ("site_manager", "付柏"),
                ("developer", "陈建"),
                ("final", "任总"),
            ];
            let signed = if rng.chance(90) {
                4
            } else {
                1 + rng.below(3) as usize
            };
            for (k, (role, who)) in signers.iter().take(signed).enumerate() {
                let st = t + 60 + 30 * k as u64;
                o.slips
                    .push((st, format!("{slip},{},{role},{who}\n", time(st))));
            }
            visit_at = Some(t);
            channel_visit = Some(ch);
            class = "channel";
        }
    } else if story < 90 {
        // the office's own client: a call or a walk-in, follow-ups
        let id = o.id("C");
        let kind = if rng.chance(50) { "call" } else { "visit" };
        o.contacts.push((
            start,
            format!(
                "{id},{},{kind},{phone},{name},{consultant},,,,,\n",
                time(start)
            ),
        ));
        if kind == "visit" {
            visit_at = Some(start);
        }
        for _ in 0..rng.below(3) {
            let t = start + 1440 + rng.below(20 * 1440);
            let id = o.id("C");
            let conf = if rng.chance(50) { "孙睿" } else { "" };
            o.contacts.push((
                t,
                format!(
                    "{id},{},followup,{phone},{name},{consultant},,,,{conf},\n",
                    time(t)
                ),
            ));
        }
        if rng.chance(20) {
            let t = start + 2 * 1440 + rng.below(20 * 1440);
            let ch = rng.pick(&CHANNELS);
            let id = o.id("R");
            o.reports.push((
                t,
                format!(
                    "{id},{},{ch},{},{name},{phone},\n",
                    time(t),
                    broker(rng, ch)
                ),
            ));
        }
    } else {
        // the developer's relationship client with a direct slip
        class = "developer";
        let id = o.id("D");
        let unit = format!(
            "{}-{}-{}",
            1 + rng.below(9),
            1 + rng.below(4),
            101 + rng.below(30) * 100
        );
        o.directs.push((start, format!("{id},{},{phone},{name},{unit},100,20000,19000,1900000,无,95折,{name},甲方总经理,伟业总经理\n", time(start))));
        let t = start + 60;
        let id = o.id("C");
        o.contacts.push((
            t,
            format!("{id},{},visit,{phone},{name},{consultant},,,,,\n", time(t)),
        ));
        visit_at = Some(t);
    }
    if let Some(v) = visit_at
        && rng.chance(if channel_visit.is_some() { 50 } else { 45 })
    {
        let t = v + 1440 + rng.below(25 * 1440);
        let list = 1_500_000 + rng.below(200) * 10_000;
        let ratio = [1000, 995, 990, 985, 980, 970, 950, 930, 910][rng.below(9) as usize];
        let price = list * ratio / 1000;
        let unit = format!(
            "{}-{}-{}",
            1 + rng.below(9),
            1 + rng.below(4),
            101 + rng.below(30) * 100
        );
        let mut disc = String::new();
        if ratio < 980 && rng.chance(60) {
            let did = o.id("A");
            o.discounts.push((
                t - 60,
                format!(
                    "{did},{},{phone},{unit},{name},,,团购,孙睿,付柏\n",
                    time(t - 60)
                ),
            ));
            disc = did;
        }
        let id = o.id("B");
        booking = Some((id.clone(), t));
        o.bookings.push((
            t,
            format!(
                "{id},{},{unit},{name},{phone},,{list},{price},mortgage,,{disc},50000,\n",
                time(t)
            ),
        ));
    }
    if rng.chance(2) {
        let t = start + rng.below(10 * 1440);
        let id = o.id("F");
        o.relations.push((
            t,
            format!(
                "{id},{},{phone},spouse,1{}{:09},\n",
                time(t),
                3 + rng.below(7),
                rng.below(n + 1)
            ),
        ));
    }
    if rng.chance(1) {
        let ch = channel_visit.unwrap_or_else(|| rng.pick(&CHANNELS));
        let kind = ["zone", "false_info", "order_swap", "cutting"][rng.below(4) as usize];
        let t = start + rng.below(5 * 1440);
        let id = o.id("V");
        let phone = if kind == "cutting" {
            phone.as_str()
        } else {
            ""
        };
        o.violations
            .push((t, format!("{id},{},{kind},{ch},,1,{phone},,\n", time(t))));
    }
    Story {
        phone,
        name,
        consultant,
        start,
        visit_at,
        class,
        booking,
    }
}

fn write(
    dir: &std::path::Path,
    name: &str,
    header: &str,
    mut rows: Vec<(u64, String)>,
) -> std::io::Result<()> {
    rows.sort_by_key(|(t, _)| *t);
    let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join(name))?);
    f.write_all(header.as_bytes())?;
    for (_, r) in rows {
        f.write_all(r.as_bytes())?;
    }
    f.flush()
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let rows: usize = arg("--rows")
        .and_then(|s| s.parse().ok())
        .expect("--rows N");
    let out = PathBuf::from(arg("--out").expect("--out DIR"));
    let seed: u64 = arg("--seed").and_then(|s| s.parse().ok()).unwrap_or(1);
    let part_two = args.iter().any(|a| a == "--part-two");
    let (total, clients) = generate_with(rows, &out, seed, part_two)?;
    eprintln!("{total} rows, {clients} clients in {}", out.display());
    Ok(())
}

/// Writes a ledger of about `rows` rows into `out` (also used by `tests/compat.rs`); returns the
/// rows and clients written.
pub fn generate(rows: usize, out: &std::path::Path, seed: u64) -> std::io::Result<(usize, u64)> {
    generate_with(rows, out, seed, false)
}

/// `generate`, and with `part_two` the rows of RULES-R10 too (about 6 % of `rows`, counted in
/// them). Without it the bytes are those of `generate`.
pub fn generate_with(
    rows: usize,
    out: &std::path::Path,
    seed: u64,
    part_two: bool,
) -> std::io::Result<(usize, u64)> {
    let out = out.to_path_buf();
    std::fs::create_dir_all(&out)?;
    let mut rng = Rng(seed);
    // part two draws from its own stream, so the clients' stories are those of the plain ledger
    let mut rng2 = Rng(seed ^ 0x0005_EED2_0005_EED2);
    let mut o = Out::default();
    let span = 365 * 1440;
    if part_two {
        office(&mut rng2, &mut o, span);
    }
    let mut n = 0;
    while o.rows() < rows {
        let story = client(&mut rng, &mut o, n, span, part_two);
        if part_two {
            extras(&mut rng2, &mut o, &story, n);
        }
        n += 1;
    }
    // a few corrections
    let targets: Vec<String> = o
        .contacts
        .iter()
        .step_by(997)
        .map(|(_, r)| r.split(',').next().unwrap().to_string())
        .collect();
    for (k, target) in targets.into_iter().enumerate() {
        let id = o.id("X");
        let t = span + k as u64;
        o.voids
            .push((t, format!("{id},{},{target},录入错误,\n", time(t))));
    }
    let mut config = String::new();
    writeln!(
        config,
        "[project]\nname = \"基准项目\"\ndeveloper = \"某某置业\"\nagency = \"伟业\"\n"
    )
    .unwrap();
    writeln!(config, "[fees]\ndeveloper_rate = \"1.0%\"\nagency_rate = \"1.8%\"\ndiscount_floor = \"0.92\"\napproval_below = \"0.98\"\n").unwrap();
    writeln!(config, "[penalties]\nunit_agency_fee = \"30000\"\n").unwrap();
    for (i, c) in CHANNELS.iter().enumerate() {
        let commission = if i == 2 { "20000" } else { "1.0%" };
        writeln!(
            config,
            "[[channel]]\nname = \"{c}\"\ncommission = \"{commission}\"\n"
        )
        .unwrap();
    }
    writeln!(config, "[reserved]\nunits = [\"9-4-3001\"]").unwrap();
    if part_two {
        writeln!(
            config,
            "\n[resale]\ncommission_rate = \"1.5%\"\nbypass_rate = \"3%\"\npayee = \"伟业二手房\"\n"
        )
        .unwrap();
        writeln!(config, "[consultants]\nrate = \"0.2%\"\n").unwrap();
        writeln!(config, "[deposit]\ntermination_fee = \"10%\"").unwrap();
    }
    std::fs::write(out.join("attrib.toml"), config)?;
    let total = o.rows();
    if part_two {
        write_part_two(&out, &mut o)?;
    }
    write(
        &out,
        "reports.csv",
        "id,at,channel,broker,client,phone,note\n",
        o.reports,
    )?;
    write(
        &out,
        "contacts.csv",
        "id,at,kind,phone,client,consultant,channel,broker,slip,confirmed_by,note\n",
        o.contacts,
    )?;
    write(&out, "slips.csv", "slip,at,role,signer\n", o.slips)?;
    write(
        &out,
        "directs.csv",
        "id,presented_at,phone,client,unit,area,list_unit_price,unit_price,total,other,request,client_signature,developer_signer,agency_signer\n",
        o.directs,
    )?;
    write(
        &out,
        "bookings.csv",
        "id,at,unit,buyer,phone,area,list_price,price,payment,consultant,discount,deposit,note\n",
        o.bookings,
    )?;
    write(
        &out,
        "discounts.csv",
        "id,at,phone,unit,client,list_unit_price,unit_price,reason,developer_signer,agency_signer\n",
        o.discounts,
    )?;
    write(
        &out,
        "violations.csv",
        "id,at,kind,channel,broker,persons,phone,damages,evidence\n",
        o.violations,
    )?;
    write(
        &out,
        "relations.csv",
        "id,at,phone,relation,other_phone,note\n",
        o.relations,
    )?;
    write(&out, "voids.csv", "id,at,ref,reason,by\n", o.voids)?;
    Ok((total, n))
}

/// Consultants who leave during the year: (name, day of leaving, successor).
const LEAVERS: [(&str, u64, &str); 3] = [
    ("蒋涛", 90, "钱程"),
    ("沈明", 180, "卫东"),
    ("韩雪", 270, "钱程"),
];
/// Consultants who join: (name, day of joining).
const JOINERS: [(&str, u64); 2] = [("钱程", 85), ("卫东", 175)];
const LEADERS: u64 = 7;

fn day(d: u64) -> u64 {
    d * 1440 + 18 * 60
}

/// The consultant who receives a client first seen at `start`: a leaver's successor from a
/// month before the leaver goes.
fn successor(consultant: &'static str, start: u64) -> &'static str {
    match LEAVERS.iter().find(|(c, _, _)| *c == consultant) {
        Some((_, d, s)) if day(*d) <= start + 30 * 1440 => s,
        _ => consultant,
    }
}

/// The office's own part-two rows: staff joining and leaving (R11), a channel delisted for a
/// month and relisted (R13), and a quarterly grade per channel (R18).
fn office(rng: &mut Rng, o: &mut Out, span: u64) {
    for (name, d) in JOINERS {
        let id = o.id("ST");
        o.staff
            .push((day(d), format!("{id},{},{name},join,\n", time(day(d)))));
    }
    for (name, d, _) in LEAVERS {
        let id = o.id("ST");
        o.staff
            .push((day(d), format!("{id},{},{name},leave,离职\n", time(day(d)))));
    }
    let (from, to) = (day(200), day(230));
    let id = o.id("DL");
    o.delistings.push((
        from,
        format!(
            "{id},{},,中原,5,{LEADERS},delist,brand_misuse,{},{},总经理办公会,\n",
            time(from),
            time(from - 2 * 1440),
            time(from + 1440)
        ),
    ));
    let id = o.id("DL");
    o.delistings.push((
        to,
        format!(
            "{id},{},,中原,4,{LEADERS},relist,异议已解决,,{},总经理办公会,\n",
            time(to),
            time(to + 1440)
        ),
    ));
    for quarter in 1..=4u64 {
        let t = (span * quarter / 4).min(span - 1);
        for ch in CHANNELS {
            let id = o.id("G");
            let grade = ["A", "B", "B", "C", "D"][rng.below(5) as usize];
            let notified = if rng.chance(80) {
                time(t + 3 * 1440)
            } else {
                String::new()
            };
            o.grades.push((
                t,
                format!("{id},{},{ch},{grade},评审委员会,{notified},\n", time(t)),
            ));
        }
    }
}

/// One client's part-two rows: a resale viewing and maybe its deal (R10), the handover when the
/// consultant leaves (R11), a query slip at the first visit (R14), a cancelled booking (R12), a
/// delisting (R13).
fn extras(rng: &mut Rng, o: &mut Out, s: &Story, n: u64) {
    if rng.chance(7) {
        resale(rng, o, s, n);
    }
    if let Some(v) = s.visit_at {
        if let Some((_, d, to)) = LEAVERS.iter().find(|(c, _, _)| *c == s.consultant)
            && v < day(*d)
            && v + 90 * 1440 >= day(*d)
        {
            let t = day(*d) + 1440 + rng.below(3 * 1440);
            let id = o.id("HO");
            o.handovers.push((
                t,
                format!(
                    "{id},{},{},{to},departure,{},付柏,\n",
                    time(t),
                    s.phone,
                    s.consultant
                ),
            ));
        } else if rng.chance(1) {
            let t = v + 1440 + rng.below(30 * 1440);
            let to = successor(rng.pick(&CONSULTANTS), t);
            if to != s.consultant {
                let reason = if rng.chance(50) {
                    "reassign"
                } else {
                    "request"
                };
                let id = o.id("HO");
                o.handovers.push((
                    t,
                    format!(
                        "{id},{},{},{to},{reason},{},付柏,\n",
                        time(t),
                        s.phone,
                        s.consultant
                    ),
                ));
            }
        }
        if rng.chance(15) {
            query(rng, o, s, v);
        }
    }
    if let Some((b, at)) = &s.booking
        && rng.chance(6)
    {
        let t = at + 1440 + rng.below(30 * 1440);
        let (reason, fees) = match rng.below(20) {
            0..=9 => (
                "early_termination",
                if rng.chance(50) { "5000.00" } else { "" },
            ),
            10..=14 => ("client_breach", ""),
            15..=18 => ("force_majeure", ""),
            _ => ("seller_breach", ""),
        };
        let id = o.id("CX");
        o.cancellations
            .push((t, format!("{id},{},{b},{reason},{fees},,财务,\n", time(t))));
    }
    if rng.chance(1) && rng.chance(10) {
        let t = s.start + 10 * 1440 + rng.below(50 * 1440);
        let votes = if rng.chance(90) { 4 + rng.below(4) } else { 3 };
        let reason = ["credit", "brand_misuse", "attack", "breach"][rng.below(4) as usize];
        let notified = if rng.chance(80) {
            time(t + 1440)
        } else {
            String::new()
        };
        let id = o.id("DL");
        o.delistings.push((
            t,
            format!(
                "{id},{},{},,{votes},{LEADERS},delist,{reason},{},{notified},总经理办公会,\n",
                time(t),
                s.phone,
                time(t - 2 * 1440)
            ),
        ));
    }
}

/// A resale viewing of one of 3,000 properties, signed nine times in ten; four in ten are
/// followed by a deal through us, directly with the owner or through another agency, within 15
/// months, by the client or by an agent (a new phone linked by an `agent` relation).
fn resale(rng: &mut Rng, o: &mut Out, s: &Story, n: u64) {
    let districts = [
        "城西区海湖路",
        "城东区八一路",
        "城北区柴达木路",
        "城中区西大街",
    ];
    let k = rng.below(3000);
    let property = format!(
        "{}{}号{}-{}-{}",
        districts[(k % 4) as usize],
        1 + k / 4 % 150,
        1 + k % 5,
        1 + k % 3,
        101 + (k % 17) * 100
    );
    let t = s.start + rng.below(30 * 1440);
    let signature = if rng.chance(90) { s.name.as_str() } else { "" };
    let first = match rng.below(20) {
        0 => "no",
        1 | 2 => "yes",
        _ => "",
    };
    let id = o.id("VW");
    let broker = format!("{}{:02}", rng.pick(&SURNAMES), rng.below(20));
    o.viewings.push((
        t,
        format!(
            "{id},{},{property},{},{},{broker},{signature},{first},(2026)SF-{n:06},\n",
            time(t),
            s.name,
            s.phone
        ),
    ));
    if !rng.chance(40) {
        return;
    }
    let d = t + 1440 + rng.below(450 * 1440);
    let (buyer, phone) = if rng.chance(85) {
        (s.name.clone(), s.phone.clone())
    } else {
        let agent = format!("19{:09}", 900_000_000 + n);
        let r = t + rng.below(d - t);
        let id = o.id("F");
        o.relations.push((
            r,
            format!("{id},{},{agent},agent,{},代理人\n", time(r), s.phone),
        ));
        let name = format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN));
        (name, agent)
    };
    let price = 600_000 + rng.below(150) * 10_000;
    let id = o.id("DE");
    let row = match rng.below(20) {
        0..=10 => format!(
            "{id},{},{property},{buyer},{phone},{price}.00,us,,,西宁市存量房居间合同,\n",
            time(d)
        ),
        11..=16 => format!(
            "{id},{},{property},{buyer},{phone},{price}.00,owner,{},,青海省二手房买卖合同,\n",
            time(d),
            time(d + 1440 + rng.below(60 * 1440))
        ),
        _ => format!(
            "{id},{},{property},{buyer},{phone},{price}.00,other,{},某某地产,,\n",
            time(d),
            time(d + 1440 + rng.below(60 * 1440))
        ),
    };
    o.deals.push((d, row));
}

/// A query slip 客户属别查询单 filled just before the first visit is recorded: all seven lines
/// signed nine times in ten.
fn query(rng: &mut Rng, o: &mut Out, s: &Story, v: u64) {
    let t = v.saturating_sub(5);
    let first = if rng.chance(95) { "yes" } else { "no" };
    let mut signers = [
        s.name.as_str(),
        s.consultant,
        "品管王",
        "经理李",
        "负责人赵",
        "甲方经理陈",
        "甲方负责人任",
    ];
    if rng.chance(10) {
        signers[rng.below(7) as usize] = "";
    }
    let id = o.id("Q");
    o.queries.push((
        t,
        format!(
            "{id},{},{},{},{first},{},首访,{}\n",
            time(t),
            s.phone,
            s.name,
            s.class,
            signers.join(",") + ","
        ),
    ));
}

fn write_part_two(out: &std::path::Path, o: &mut Out) -> std::io::Result<()> {
    write(
        out,
        "viewings.csv",
        "id,at,property,client,phone,broker,client_signature,first_viewing,no,note\n",
        std::mem::take(&mut o.viewings),
    )?;
    write(
        out,
        "deals.csv",
        "id,at,property,buyer,phone,price,via,known_at,other_agency,contract,note\n",
        std::mem::take(&mut o.deals),
    )?;
    write(
        out,
        "staff.csv",
        "id,at,consultant,event,note\n",
        std::mem::take(&mut o.staff),
    )?;
    write(
        out,
        "handovers.csv",
        "id,at,phone,to,reason,from,by,note\n",
        std::mem::take(&mut o.handovers),
    )?;
    write(
        out,
        "cancellations.csv",
        "id,at,booking,reason,fees,refund,by,note\n",
        std::mem::take(&mut o.cancellations),
    )?;
    write(
        out,
        "delistings.csv",
        "id,at,phone,channel,votes_for,leaders,action,reason,investigated_at,notified_at,by,note\n",
        std::mem::take(&mut o.delistings),
    )?;
    write(
        out,
        "queries.csv",
        "id,at,phone,client,first,class,record,client_signature,consultant,qa,agency_manager,agency_head,developer_manager,developer_head,note\n",
        std::mem::take(&mut o.queries),
    )?;
    write(
        out,
        "grades.csv",
        "id,at,channel,grade,by,notified_at,note\n",
        std::mem::take(&mut o.grades),
    )
}
