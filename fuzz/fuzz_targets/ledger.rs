//! One fuzzed file in a small ledger: the first byte picks the kind and the format (CSV or
//! TOML), the rest is the file. Whatever loads is evaluated, settled and checked: nothing may
//! panic, every failure must be an error with a file and a line, and a month settled from its
//! scope must equal the month settled from the whole evaluation.
#![no_main]

use attrib::ledger::{Files, load};
use attrib::model::Kind;
use attrib::rules::{self, check::Prospect, settle};
use libfuzzer_sys::fuzz_target;

const CONFIG: &str = "[project]\nname = \"P\"\ndeveloper = \"D\"\nagency = \"A\"\n[fees]\ndeveloper_rate = \"1%\"\nagency_rate = \"1.8%\"\ndiscount_floor = \"0.92\"\napproval_below = \"0.98\"\n[penalties]\nunit_agency_fee = \"30000\"\n[[channel]]\nname = \"链家\"\ncommission = \"1%\"\n[[channel]]\nname = \"c\"\ncommission = \"20000\"\n";

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let kind = Kind::ALL[usize::from(pick) % Kind::ALL.len()];
    let ext = if pick & 0x80 == 0 { "csv" } else { "toml" };
    let mut files = Files::new();
    files.insert("attrib.toml".into(), CONFIG.as_bytes().to_vec());
    files.insert(format!("{}.{ext}", kind.file_stem()), body.to_vec());
    match load(&files) {
        Ok(ledger) => {
            // nothing loads past an unclosed quote: it would have swallowed the rows after it
            if ext == "csv" {
                assert_eq!(attrib::ledger::csv_text::bad_quote(body, 1), None);
            }
            let as_of = chrono::DateTime::parse_from_rfc3339("2030-01-01T00:00:00+08:00").unwrap();
            let e = rules::evaluate(&ledger, as_of);
            let lines = settle::lines(&e);
            let _ = settle::by_payee(&lines);
            // a month settled from its scope is the month settled from the whole evaluation
            let tz = ledger.config.timezone;
            for b in ledger.bookings.iter().take(3) {
                let local = b.at.with_timezone(&tz);
                let (y, m) = (
                    chrono::Datelike::year(&local),
                    chrono::Datelike::month(&local),
                );
                let (Some(from), Some(before)) =
                    (settle::month_start(y, m, tz), settle::month_after(y, m, tz))
                else {
                    continue;
                };
                let scoped = rules::evaluate_scoped(
                    &ledger,
                    as_of,
                    rules::Scope::Settlement { from, before },
                );
                assert_eq!(
                    settle::month_lines(&scoped, y, m, tz),
                    settle::month_lines(&e, y, m, tz)
                );
            }
            for b in &ledger.bookings {
                let _ = rules::check::client_status(&e, b.phone, &Prospect::default());
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for err in errors {
                let shown = err.to_string();
                assert!(shown.starts_with(&err.file), "{shown}");
            }
        }
    }
});
