//! `replay` and `check` on the example ledger: the JSON of every record pinned, and the clerk's
//! Chinese table snapshotted for a channel, a developer-direct, an agency and an unknown client.

mod common;
use common::Workdir;

const AS_OF: &str = "2026-04-30 18:00";

#[test]
fn replay_json_of_the_example_ledger_is_pinned() {
    let w = Workdir::example("lingxiu");
    let (code, out, err) = w.run(&["--at", AS_OF, "--format", "json", "replay"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON array");
    let arr = v.as_array().unwrap();
    for rec in arr {
        for key in ["id", "kind", "at", "verdict", "rule", "findings"] {
            assert!(rec.get(key).is_some(), "{key} missing in {rec}");
        }
    }
    insta::assert_snapshot!("replay_lingxiu_json", out);
}

#[test]
fn replay_is_the_same_twice() {
    let w = Workdir::example("lingxiu");
    let a = w.run(&["--at", AS_OF, "--format", "json", "replay"]).1;
    let b = w.run(&["--at", AS_OF, "--format", "json", "replay"]).1;
    assert_eq!(a, b);
}

#[test]
fn replay_table_is_chinese_and_masks_phones() {
    let w = Workdir::example("lingxiu");
    let (_, out, _) = w.run(&["--at", "2026-03-05 12:00", "replay"]);
    assert!(out.contains("撞单"), "{out}");
    assert!(out.contains("139****0003"), "{out}");
    assert!(!out.contains("13900000003"), "{out}");
    let (_, out, _) = w.run(&[
        "--at",
        "2026-03-05 12:00",
        "--reveal",
        "--lang",
        "en",
        "replay",
    ]);
    assert!(
        out.contains("13900000003") && out.contains("held by report"),
        "{out}"
    );
}

const CHECK_AT: &str = "2026-03-25 12:00";

/// `check PHONE` on the example ledger: the exit code, the clerk's table, and the same answer
/// as JSON, whose `owner` the tests assert as a value (the snapshot pins the rest of the table).
fn check(phone: &str) -> (i32, String, serde_json::Value) {
    let w = Workdir::example("lingxiu");
    let (code, out, err) = w.run(&["--at", CHECK_AT, "check", phone]);
    assert!(err.is_empty(), "{err}");
    let (json_code, json, err) = w.run(&["--at", CHECK_AT, "--format", "json", "check", phone]);
    assert_eq!(
        json_code, code,
        "the table and the JSON agree on the exit: {err}"
    );
    let v: serde_json::Value = serde_json::from_str(&json).expect("one JSON object");
    (code, out, v)
}

#[test]
fn check_channel_client() {
    let (code, out, v) = check("139 0000 0001");
    assert_eq!(code, 0);
    assert_eq!(v["phone"], "13900000001", "spaces dropped");
    assert_eq!(v["owner"], "channel");
    assert_eq!(v["channel"], "链家");
    assert_eq!(v["broker"], "王五");
    assert_eq!(v["hold_until"], "2026-04-02T23:59:59+08:00");
    assert_eq!(
        out.lines().next(),
        Some("归属: 渠道客户 · 链家 王五 (R4 有效带看 C-005) · 渠道保护至 2026-04-02, 剩 8 天")
    );
    assert!(
        out.contains("\n认购: B-009 1-2-801 2026-03-20 15:00 渠道客户 链家\n"),
        "{out}"
    );
    insta::assert_snapshot!("check_channel_client", out);
}

#[test]
fn check_developer_direct_client() {
    let (code, out, v) = check("13900000005");
    assert_eq!(code, 0);
    assert_eq!(v["owner"], "developer");
    assert_eq!(v["channel"], serde_json::Value::Null);
    assert_eq!(
        out.lines().next(),
        Some("归属: 甲方客户 (R6 甲方确认单 D-001) · 来电来访保护期 已过期 (2026-03-24)")
    );
    insta::assert_snapshot!("check_developer_client", out);
}

#[test]
fn check_agency_client() {
    let (code, out, v) = check("+8613900000002");
    assert_eq!(code, 0);
    assert_eq!(v["phone"], "13900000002", "country code dropped");
    assert_eq!(v["owner"], "agency");
    assert_eq!(v["channel"], serde_json::Value::Null);
    assert_eq!(
        out.lines().next(),
        Some("归属: 乙方客户 · 顾问 王丽 (R3 来访 C-003) · 来电来访保护期 已过期 (2026-03-23)")
    );
    assert_eq!(out.lines().nth(1), Some("家庭: 李娜 · 139****0002"));
    insta::assert_snapshot!("check_agency_client", out);
}

#[test]
fn check_unknown_phone() {
    let (code, out, v) = check("13812345678");
    assert_eq!(code, 0);
    assert_eq!(v["owner"], "none");
    assert_eq!(v["family"], serde_json::json!(["13812345678"]));
    assert_eq!(v["protected_until"], serde_json::Value::Null);
    assert_eq!(
        out.lines().next(),
        Some("归属: 未登记客户 · 可按乙方自然来访登记 (R3)")
    );
    insta::assert_snapshot!("check_unknown_phone", out);
}

#[test]
fn check_json_has_the_contract_fields() {
    let w = Workdir::example("lingxiu");
    let (code, out, _) = w.run(&[
        "--at",
        "2026-03-25 12:00",
        "--format",
        "json",
        "check",
        "13900000020",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["phone"], "13900000020");
    assert_eq!(v["as_of"], "2026-03-25T12:00:00+08:00");
    assert_eq!(
        v["family"],
        serde_json::json!(["13900000019", "13900000020"])
    );
    assert_eq!(v["owner"], "agency");
    assert_eq!(
        v["consultant"], "陈静",
        "the family's first-visit consultant"
    );
    assert_eq!(v["hold_until"], serde_json::Value::Null);
    assert_eq!(v["protected_until"], "2026-03-24T23:59:59+08:00");
    assert!(v["findings"].as_array().unwrap().is_empty());
    let (_, out, _) = w.run(&[
        "--at",
        "2026-03-25 12:00",
        "--format",
        "json",
        "check",
        "13812345678",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["owner"], "none");
}

#[test]
fn check_exits_1_when_the_booking_would_be_below_the_floor() {
    let w = Workdir::example("lingxiu");
    let args = [
        "--at",
        "2026-03-25 12:00",
        "--format",
        "json",
        "check",
        "13900000002",
        "--name",
        "李娜",
        "--unit",
        "3-1-1202", // reserved, and nobody has booked it (3-1-1201 is B-012's: unit-taken)
    ];
    let (code, out, _) = w.run(
        &[
            &args[..],
            &["--price", "1800000", "--list-price", "2000000"],
        ]
        .concat(),
    );
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        vec!["reserved-unit", "below-floor", "unapproved-discount"]
    );
    assert_eq!(v["findings"][1]["severity"], "error");
    let (code, _, _) = w.run(
        &[
            &args[..],
            &["--price", "1990000", "--list-price", "2000000"],
        ]
        .concat(),
    );
    assert_eq!(code, 0, "a reserved unit is only a warning");
}

#[test]
fn check_names_a_renamed_buyer() {
    let w = Workdir::example("lingxiu");
    let (code, out, _) = w.run(&[
        "--at",
        "2026-03-25 12:00",
        "--format",
        "json",
        "check",
        "13900000001",
        "--name",
        "王五",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["owner"], "channel");
    assert_eq!(v["findings"][0]["code"], "name-mismatch");
}

#[test]
fn a_bad_phone_is_a_usage_error() {
    let (code, _, err) = Workdir::example("lingxiu").run(&["--lang", "en", "check", "12345"]);
    assert_eq!(code, 2, "usage error: {err}");
    assert!(
        err.contains("「12345」 is not a mainland mobile number"),
        "{err}"
    );
}
