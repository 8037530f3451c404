//! Compatibility (RULES-R10 §0.1, issue 16): a ledger without any part-two file or config table
//! keeps every verdict, finding, settlement line and amount it had under R1–R9.
//!
//! The example ledger and a generated 100k-row ledger (the benchmark generator, seed 1) are run
//! through `replay --format json`, `settle --format csv` (one range of months) and `check --format json`
//! (a few phones); every field is fingerprinted across all records (count of non-null values and
//! an FNV-1a digest of the values in order) and compared with `tests/golden/compat.txt`, which
//! was written before R10/R11 were built. A failure names the command and the field that moved.
//! A new JSON key is allowed only while every value of it is null (part-two keys stay empty).
//!
//! To re-pin after a deliberate change (say why in the commit): `ATTRIB_BLESS=1 cargo test
//! --test compat`.

mod common;
#[allow(dead_code)]
#[path = "../examples/gen-ledger.rs"]
mod gen_ledger;

use common::Workdir;
use serde_json::Value;
use std::collections::BTreeMap;

const AT: &str = "2027-06-01 00:00";

/// Per field: (values that are not null, digest of every value in order).
#[derive(Default)]
struct Prints(BTreeMap<String, (usize, u64)>);

impl Prints {
    fn add(&mut self, field: String, value: &str, null: bool) {
        let e = self.0.entry(field).or_insert((0, 0xcbf2_9ce4_8422_2325));
        if !null {
            e.0 += 1;
        }
        for b in value.bytes().chain([0xff]) {
            e.1 ^= u64::from(b);
            e.1 = e.1.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// Every key of every object in `v` (arrays of objects flattened, nested arrays of objects
    /// under `key.`), values as their JSON text.
    fn json(&mut self, prefix: &str, v: &Value) {
        match v {
            Value::Array(items) if items.iter().all(Value::is_object) => {
                for item in items {
                    self.json(prefix, item);
                }
            }
            Value::Object(map) => {
                for (k, val) in map {
                    let field = format!("{prefix}{k}");
                    match val {
                        Value::Array(items)
                            if !items.is_empty() && items.iter().all(Value::is_object) =>
                        {
                            self.json(&format!("{field}."), val)
                        }
                        _ => self.add(field, &val.to_string(), val.is_null()),
                    }
                }
            }
            other => self.add(
                format!("{prefix}<value>"),
                &other.to_string(),
                other.is_null(),
            ),
        }
    }

    fn csv(&mut self, prefix: &str, text: &str) {
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        for row in r.records() {
            for (name, cell) in header.iter().zip(row.unwrap().iter()) {
                self.add(format!("{prefix}{name}"), cell, cell.is_empty());
            }
        }
    }
}

fn output(w: &Workdir, args: &[&str]) -> String {
    let (code, out, err) = w.run(args);
    assert!(code == 0 || code == 1, "{args:?} exit {code}: {err}");
    out
}

/// The fingerprints of one ledger, lines `ledger command field non_null digest`.
fn fingerprint(name: &str, w: &Workdir, months: (&str, &str), phones: &[String]) -> Vec<String> {
    let mut p = Prints::default();
    let replay = output(w, &["--at", AT, "--format", "json", "replay"]);
    p.json("replay.", &serde_json::from_str(&replay).unwrap());
    let (from, to) = months;
    let args = [
        "--at", AT, "--format", "csv", "settle", "--from", from, "--to", to,
    ];
    p.csv("settle.", &output(w, &args));
    for phone in phones {
        let json = output(w, &["--at", AT, "--format", "json", "check", phone]);
        p.json("check.", &serde_json::from_str(&json).unwrap());
    }
    p.0.into_iter()
        .map(|(field, (n, h))| format!("{name} {field} {n} {h:016x}"))
        .collect()
}

/// Every `every`-th booking's phone, so checks cover families across the year.
fn booking_phones(w: &Workdir, every: usize) -> Vec<String> {
    let text = w.read("bookings.csv");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let col = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "phone")
        .unwrap();
    r.records()
        .step_by(every)
        .map(|row| row.unwrap()[col].to_string())
        .collect()
}

#[test]
fn ledgers_without_part_two_files_keep_every_verdict_line_and_amount() {
    let lingxiu = Workdir::example("lingxiu");
    let lingxiu_phones = booking_phones(&lingxiu, 1);
    let mut got = fingerprint("lingxiu", &lingxiu, ("2026-01", "2026-06"), &lingxiu_phones);
    let generated = Workdir::empty();
    gen_ledger::generate(100_000, generated.path(), 1).unwrap();
    let phones = booking_phones(&generated, 3000);
    got.extend(fingerprint(
        "gen100k",
        &generated,
        ("2026-01", "2027-01"),
        &phones,
    ));
    let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/compat.txt");
    if std::env::var_os("ATTRIB_BLESS").is_some() {
        std::fs::write(&golden, got.join("\n") + "\n").unwrap();
    }
    let want: Vec<String> = std::fs::read_to_string(&golden)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let key = |l: &String| l.rsplitn(3, ' ').nth(2).unwrap().to_string();
    let got_by: BTreeMap<String, String> = got.iter().map(|l| (key(l), l.clone())).collect();
    let mut moved = vec![];
    for w in &want {
        match got_by.get(&key(w)) {
            Some(g) if g == w => {}
            Some(g) => moved.push(format!("changed: {w}  →  {g}")),
            None => moved.push(format!("gone: {w}")),
        }
    }
    let want_keys: Vec<String> = want.iter().map(key).collect();
    for g in &got {
        let non_null = g.rsplit(' ').nth(1).unwrap();
        if !want_keys.contains(&key(g)) && non_null != "0" {
            moved.push(format!("new field with values: {g}"));
        }
    }
    assert!(want.len() > 60, "the golden holds {} fields", want.len());
    assert!(moved.is_empty(), "{}", moved.join("\n"));
}
