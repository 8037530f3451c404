//! A deterministic generator of realistic ledgers for benchmarks:
//! `cargo run --release --example gen-ledger -- --rows N --out DIR [--seed S]`.
//!
//! Channels report aggressively (duplicates, rival reports), brokers bring some clients in time,
//! some too early or too late; every channel visit has a 4-signature slip (a few left pending);
//! walk-ins, calls and follow-ups; about 8 % of rows are bookings; a sprinkle of direct slips,
//! discount approvals, relations, violations and voids. The same seed gives the same bytes.

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
    }
    fn id(&mut self, prefix: &str) -> String {
        self.ids += 1;
        format!("{prefix}{}", self.ids)
    }
}

fn broker(rng: &mut Rng, channel: &str) -> String {
    format!("{channel}{}{:02}", rng.pick(&SURNAMES), rng.below(20))
}

/// One client's story, appended to `o`.
fn client(rng: &mut Rng, o: &mut Out, n: u64, span: u64) {
    let phone = format!("1{}{:09}", 3 + rng.below(7), n);
    let name = format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN));
    let consultant = rng.pick(&CONSULTANTS);
    let start = rng.below(span);
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
    let (total, clients) = generate(rows, &out, seed)?;
    eprintln!("{total} rows, {clients} clients in {}", out.display());
    Ok(())
}

/// Writes a ledger of about `rows` rows into `out` (also used by `tests/compat.rs`); returns the
/// rows and clients written.
pub fn generate(rows: usize, out: &std::path::Path, seed: u64) -> std::io::Result<(usize, u64)> {
    let out = out.to_path_buf();
    std::fs::create_dir_all(&out)?;
    let mut rng = Rng(seed);
    let mut o = Out::default();
    let span = 365 * 1440;
    let mut n = 0;
    while o.rows() < rows {
        client(&mut rng, &mut o, n, span);
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
    std::fs::write(out.join("attrib.toml"), config)?;
    let total = o.rows();
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
