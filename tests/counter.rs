//! The clerk's counter (issue 14): `check` on the example ledger, `unit-taken`, and the morning
//! list `clients --expiring`; every test runs the binary with `--at`.

mod common;
use common::Workdir;

fn json(w: &Workdir, args: &[&str]) -> (i32, serde_json::Value) {
    let (code, out, err) = w.run(&[&["--format", "json"], args].concat());
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    (code, v)
}

fn codes(v: &serde_json::Value) -> Vec<String> {
    (v["findings"].as_array().unwrap().iter())
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

/// Issue 14 item 2, the regression: 韩雪 books 3-3-503 at 95折 the day after approval A-001
/// (both signers, same family and unit, 17100/18000 = 0.95) was signed: no `unapproved-discount`,
/// and `check` names A-001.
#[test]
fn check_finds_the_approval_a_001_for_han_xues_95_percent_booking() {
    let w = Workdir::example("lingxiu");
    let args = [
        "--at",
        "2026-03-19 09:55",
        "check",
        "13900000022",
        "--name",
        "韩雪",
        "--unit",
        "3-3-503",
        "--price",
        "1710000",
        "--list-price",
        "1800000",
    ];
    let (code, v) = json(&w, &args);
    assert_eq!(code, 0);
    assert!(
        !codes(&v).contains(&"unapproved-discount".to_string()),
        "{v}"
    );
    assert_eq!(v["approval"], "A-001");
    let (code, out, err) = w.run(&args);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("A-001"), "{out}");
    assert!(!out.contains("未经审批"), "{out}");
}

/// R7: an approval covers a ratio no lower than the approved one: 94折 is below A-001's 95折.
#[test]
fn check_does_not_take_an_approval_for_a_deeper_discount() {
    let w = Workdir::example("lingxiu");
    let (code, v) = json(
        &w,
        &[
            "--at",
            "2026-03-19 09:55",
            "check",
            "13900000022",
            "--name",
            "韩雪",
            "--unit",
            "3-3-503",
            "--price",
            "1692000",
            "--list-price",
            "1800000",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(codes(&v), vec!["unapproved-discount"]);
    assert_eq!(v["approval"], serde_json::Value::Null);
}

/// R7: A-002 has one signer only: 唐宁's 96折 is not approved.
#[test]
fn check_does_not_take_an_approval_with_one_signer() {
    let w = Workdir::example("lingxiu");
    let (_, v) = json(
        &w,
        &[
            "--at",
            "2026-03-20 12:00",
            "check",
            "13900000023",
            "--unit",
            "3-3-603",
            "--price",
            "1728000",
            "--list-price",
            "1800000",
        ],
    );
    assert_eq!(codes(&v), vec!["unapproved-discount"]);
    assert_eq!(v["approval"], serde_json::Value::Null);
}
