//! `attrib find TEXT` on the example ledger: a name part, a phone's last four digits, a unit.

mod common;
use common::Workdir;

fn find(args: &[&str]) -> (i32, String) {
    let w = Workdir::example("lingxiu");
    let mut all = vec!["--at", "2026-04-30T18:00:00+08:00"];
    all.extend(args);
    let (code, out, err) = w.run(&all);
    assert_eq!(code, 0, "{err}");
    (code, out)
}

#[test]
fn a_unit_finds_the_family_that_booked_it_with_its_standing() {
    let (_, out) = find(&["find", "1-2-801"]);
    assert_eq!(
        out.trim(),
        "139****0001 · 张伟 · 乙方客户 (R7.3) · 已过期 2026-03-24 · 认购 1-2-801 2026-03-20 15:00 渠道客户"
    );
}

#[test]
fn the_last_four_digits_find_the_phone_in_json_too() {
    let (_, out) = find(&["--format", "json", "find", "0022"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["phones"], serde_json::json!(["13900000022"]));
    assert_eq!(v[0]["names"], serde_json::json!(["韩雪"]));
    assert_eq!(v[0]["bookings"][0]["unit"], "3-3-503");
    assert_eq!(v.as_array().unwrap().len(), 1);
}

#[test]
fn a_name_part_finds_one_line_per_family_and_nothing_says_so() {
    let (_, out) = find(&["find", "李"]);
    assert!(out.lines().count() >= 1, "{out}");
    assert!(out.lines().all(|l| l.contains("李")), "{out}");
    let (_, out) = find(&["find", "不存在的名字"]);
    assert_eq!(out.trim(), "没有找到");
}
