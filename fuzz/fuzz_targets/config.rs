//! A fuzzed `attrib.toml` over a small fixed ledger: the config parser never panics, and any
//! config it accepts evaluates, settles and checks the ledger without panicking.
#![no_main]

use attrib::ledger::{Files, load};
use attrib::rules::{self, check::Prospect, settle};
use libfuzzer_sys::fuzz_target;

const REPORTS: &str = "id,at,channel,broker,client,phone\nR-1,2026-03-01 09:00,链家,王五,张伟,13800000001\nR-2,9999-12-31 23:59,链家,王五,李娜,13800000002\n";
const CONTACTS: &str = "id,at,kind,phone,channel,broker,slip\nC-1,2026-03-02 10:00,visit,13800000001,链家,王五,S-1\nC-2,2026-03-03 10:00,call,13800000002,,,\n";
const SLIPS: &str =
    "slip,at,role,signer\nS-1,2026-03-02 11:00,reception,李\nS-1,2026-03-02 12:00,final,任总\n";
const BOOKINGS: &str = "id,at,unit,buyer,phone,list_price,price\nB-1,2026-03-20 10:00,3-1-1201,张伟,13800000001,999999999999999,1\n";
const VIOLATIONS: &str = "id,at,kind,channel,persons,damages\nV-1,2026-03-05 10:00,zone,链家,,\nV-2,2026-03-06 10:00,order_swap,链家,10000,999999999999999\n";

fuzz_target!(|data: &[u8]| {
    let mut files = Files::new();
    files.insert("attrib.toml".into(), data.to_vec());
    for (name, text) in [
        ("reports.csv", REPORTS),
        ("contacts.csv", CONTACTS),
        ("slips.csv", SLIPS),
        ("bookings.csv", BOOKINGS),
        ("violations.csv", VIOLATIONS),
    ] {
        files.insert(name.into(), text.as_bytes().to_vec());
    }
    if let Ok(ledger) = load(&files) {
        let as_of = chrono::DateTime::parse_from_rfc3339("9999-12-31T23:59:59+00:00").unwrap();
        let e = rules::evaluate(&ledger, as_of);
        let _ = settle::by_payee(&settle::lines(&e));
        let _ = rules::check::client_status(
            &e,
            attrib::model::Phone(13800000001),
            &Prospect::default(),
        );
    }
});
