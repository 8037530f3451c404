//! The field parsers on arbitrary text: time, phone, money, rate, whole numbers. Errors only,
//! never a panic; what parses must print back to something that parses the same.
#![no_main]

use attrib::ledger::fields::{parse_decimal, parse_phone, parse_rate, parse_time, parse_u32};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let tz = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
    if let Ok(t) = parse_time(s, tz) {
        assert_eq!(parse_time(&t.to_rfc3339(), tz), Ok(t));
    }
    if let Ok(p) = parse_phone(s) {
        assert_eq!(parse_phone(&p.to_string()), Ok(p));
    }
    if let Ok(d) = parse_decimal(s) {
        assert_eq!(parse_decimal(&d.to_string()), Ok(d));
    }
    let _ = parse_rate(s);
    let _ = parse_u32(s);
});
