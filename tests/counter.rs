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

/// R7 unit-taken (销控): 3-3-503 is B-007's (韩雪, 2026-03-19 10:00): another family's check
/// for it is an error naming B-007 (exit 1); before B-007 existed it was free.
#[test]
fn check_unit_taken_names_the_booking_that_holds_the_unit() {
    let w = Workdir::example("lingxiu");
    let args = |at| {
        [
            "--at",
            at,
            "check",
            "13900000021",
            "--name",
            "谢鹏",
            "--unit",
            "3-3-503",
        ]
    };
    let (code, v) = json(&w, &args("2026-03-19 10:00"));
    assert_eq!(code, 1);
    assert_eq!(codes(&v), vec!["unit-taken"]);
    assert_eq!(v["findings"][0]["severity"], "error");
    assert_eq!(v["findings"][0]["rule"], "R7");
    assert!(
        v["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("B-007"),
        "{v}"
    );
    let (code, out, _) = w.run(&args("2026-03-19 10:00"));
    assert_eq!(code, 1);
    assert!(
        out.contains("3-3-503 已售: B-007 已于 2026-03-19 10:00 认购"),
        "{out}"
    );
    let (code, v) = json(&w, &args("2026-03-19 09:59"));
    assert_eq!((code, codes(&v)), (0, vec![]));
    // the same family may book its own unit again (a second check by 韩雪)
    let (code, v) = json(
        &w,
        &[
            "--at",
            "2026-03-25 12:00",
            "check",
            "13900000022",
            "--unit",
            "3-3-503",
        ],
    );
    assert_eq!((code, codes(&v)), (0, vec![]));
}

/// R7 unit-taken in replay: a second family's booking of a booked unit carries the error and
/// names the first; a void of the first frees the unit.
#[test]
fn replay_marks_a_second_familys_booking_of_a_unit() {
    let w = Workdir::example("lingxiu");
    let mut bookings = w.read("bookings.csv");
    bookings.push_str(
        "B-100,2026-03-26 10:00,3-3-503,谢鹏,13900000021,,1800000,1790000,mortgage,,,50000,\n",
    );
    w.write("bookings.csv", &bookings);
    let booking = |at: &str| {
        let (code, v) = json(&w, &["--at", at, "replay"]);
        assert_eq!(code, 0);
        let arr = v.as_array().unwrap().clone();
        arr.into_iter().find(|r| r["id"] == "B-100").unwrap()
    };
    let b = booking("2026-03-27 12:00");
    assert_eq!(b["findings"], serde_json::json!(["unit-taken"]));
    let (_, out, _) = w.run(&["--at", "2026-03-27 12:00", "replay"]);
    assert!(out.contains("3-3-503 已售: B-007"), "{out}");
    let mut voids = w.read("voids.csv");
    voids.push_str("X-100,2026-03-27 09:00,B-007,录入错误,品管助理 小周\n");
    w.write("voids.csv", &voids);
    assert_eq!(
        booking("2026-03-27 12:00")["findings"],
        serde_json::json!([]),
        "a voided booking frees its unit"
    );
}
