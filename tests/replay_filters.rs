//! `replay`'s filters for the auditor (issue 17): `--phone`, `--channel`, `--kind`, `--verdict`,
//! `--from`, `--to`, alone and together, on the example ledger; the same rows in every format;
//! bad values refused in Chinese and English; the streamed table fits its width.

mod common;
use common::Workdir;

const AS_OF: &str = "2026-04-30 18:00";

/// The ids `replay` prints as JSON with these filters, in order.
fn ids(w: &Workdir, filters: &[&str]) -> Vec<String> {
    let args = [&["--at", AS_OF, "--format", "json", "replay"], filters].concat();
    let (code, out, err) = w.run(&args);
    assert_eq!(code, 0, "{filters:?}: {err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    (v.as_array().unwrap().iter())
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// The ids of the CSV's rows (its first column).
fn csv_ids(w: &Workdir, filters: &[&str]) -> Vec<String> {
    let args = [&["--at", AS_OF, "--format", "csv", "replay"], filters].concat();
    let (code, out, err) = w.run(&args);
    assert_eq!(code, 0, "{filters:?}: {err}");
    let mut lines = out.lines();
    assert!(lines.next().unwrap().starts_with("id,kind,at,verdict"));
    lines
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect()
}

#[test]
fn phone_shows_the_familys_records() {
    let w = Workdir::example("lingxiu");
    // 13900000019 and 13900000020 are one family (relation F-001)
    let family = ["C-006", "F-001", "R-012", "B-006"];
    assert_eq!(ids(&w, &["--phone", "139 0000 0020"]), family);
    assert_eq!(ids(&w, &["--phone", "+8613900000019"]), family);
    assert_eq!(csv_ids(&w, &["--phone", "13900000020"]), family);
    assert_eq!(ids(&w, &["--phone", "13812345678"]), Vec::<String>::new());
}

#[test]
fn channel_shows_the_records_naming_it() {
    let w = Workdir::example("lingxiu");
    let fangduoduo = [
        "R-004", "R-008", "C-015", "C-017", "R-014", "C-024", "R-018", "C-030", "V-002", "R-023",
        "C-035", "B-018", "R-028", "C-041",
    ];
    assert_eq!(ids(&w, &["--channel", "房多多"]), fangduoduo);
    assert_eq!(csv_ids(&w, &["--channel", "房多多"]), fangduoduo);
}

#[test]
fn kind_takes_a_kind_or_a_kind_of_contact_in_either_language() {
    let w = Workdir::example("lingxiu");
    let bookings: Vec<String> = (1..=23).map(|n| format!("B-{n:03}")).collect();
    assert_eq!(ids(&w, &["--kind", "booking"]), bookings);
    assert_eq!(ids(&w, &["--kind", "认购"]), bookings);
    assert_eq!(ids(&w, &["--kind", "relation"]), ["F-001"]);
    let followups = ["C-022", "C-028"];
    assert_eq!(ids(&w, &["--kind", "followup"]), followups);
    assert_eq!(ids(&w, &["--kind", "回访"]), followups);
    let visits = ids(&w, &["--kind", "来访"]);
    assert_eq!(visits.len(), 36);
    assert!(visits.iter().all(|id| id.starts_with("C-")));
    // C-031 is a call (voided): a voided record keeps its kind
    assert!(ids(&w, &["--kind", "call"]).contains(&"C-031".to_string()));
    assert!(!visits.contains(&"C-031".to_string()));
}

#[test]
fn verdict_takes_a_code_or_its_chinese_label() {
    let w = Workdir::example("lingxiu");
    assert_eq!(ids(&w, &["--verdict", "held-by-report"]), ["R-004"]);
    assert_eq!(ids(&w, &["--verdict", "撞单"]), ["R-004"]);
    assert_eq!(
        ids(&w, &["--verdict", "known-client"]),
        ["R-005", "R-012", "R-024", "R-029"]
    );
}

#[test]
fn from_and_to_take_a_time_a_day_or_a_whole_month() {
    let w = Workdir::example("lingxiu");
    let april = [
        "C-036", "R-025", "V-004", "C-037", "S-020", "C-038", "R-026", "B-016", "C-039", "B-017",
        "S-021", "C-040", "R-027", "B-018", "R-028", "C-041", "S-022", "C-042", "B-019", "R-029",
        "B-020", "B-021", "R-030", "B-022", "C-043", "S-023", "B-023",
    ];
    assert_eq!(ids(&w, &["--from", "2026-04", "--to", "2026-04"]), april);
    assert_eq!(
        ids(&w, &["--from", "2026-04"]),
        april,
        "nothing after April"
    );
    // a time is that instant: --from includes it, --to includes it
    assert_eq!(
        ids(
            &w,
            &["--from", "2026-03-30 10:00", "--to", "2026-04-01 10:00"]
        ),
        ["B-015", "C-036"]
    );
    assert_eq!(
        ids(
            &w,
            &["--from", "2026-03-30 10:01", "--to", "2026-04-01 09:59"]
        ),
        Vec::<String>::new()
    );
    // a day is the whole day
    assert_eq!(
        ids(&w, &["--from", "2026-03-20", "--to", "2026-03-20"]).len(),
        9
    );
    // the whole of March and April is everything
    let all = ids(&w, &[]);
    let spring = ids(&w, &["--from", "2026-03", "--to", "2026-04"]);
    assert_eq!((all.len(), spring), (131, all));
}

#[test]
fn filters_combine() {
    let w = Workdir::example("lingxiu");
    let f = [
        "--channel",
        "链家",
        "--kind",
        "booking",
        "--from",
        "2026-04",
        "--to",
        "2026-04",
    ];
    assert_eq!(ids(&w, &f), ["B-016", "B-020"]);
    let f = [
        "--kind",
        "visit",
        "--verdict",
        "valid",
        "--channel",
        "房多多",
    ];
    assert_eq!(ids(&w, &f), ["C-030", "C-035", "C-041"]);
    let f = ["--phone", "13900000003", "--kind", "report"];
    assert_eq!(ids(&w, &f), ["R-003", "R-004"]);
}

#[test]
fn the_table_shows_the_same_rows_streamed_to_its_width() {
    let w = Workdir::example("lingxiu");
    let (code, out, err) = w.run(&["--at", AS_OF, "replay", "--channel", "房多多"]);
    assert_eq!(code, 0, "{err}");
    let shown: Vec<&str> = ["R-004", "C-017", "V-002", "B-018", "C-041"].to_vec();
    for id in shown {
        assert!(out.contains(&format!(" {id} ")), "{id}:\n{out}");
    }
    assert!(
        !out.contains(" R-001 ") && !out.contains(" B-016 "),
        "{out}"
    );
    assert!(out.starts_with("┌") && out.ends_with("┘\n"), "{out}");
    use unicode_width::UnicodeWidthStr;
    assert!(out.lines().all(|l| l.width() == 80), "COLUMNS=80:\n{out}");
    // a row per record, each starting with its date
    let rows = out.lines().filter(|l| l.starts_with("│ 2026-"));
    assert_eq!(rows.count(), 14, "{out}");
}

#[test]
fn bad_filter_values_are_refused_in_chinese_and_english() {
    let w = Workdir::example("lingxiu");
    let refused = |args: &[&str], zh: &str, en: &str| {
        let a = [&["--at", AS_OF, "replay"], args].concat();
        let (code, out, err) = w.run(&a);
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}: {err}");
        assert!(err.contains(zh), "{args:?}: {err}");
        let a = [&["--lang", "en", "--at", AS_OF, "replay"], args].concat();
        let (code, _, err) = w.run(&a);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(en), "{args:?}: {err}");
    };
    refused(
        &["--kind", "报名"],
        "--kind 「报名」不是记录种类 (应为以下之一: ",
        "--kind 「报名」 is not a record kind (expected one of: ",
    );
    refused(
        &["--verdict", "good"],
        "--verdict 「good」不是判定",
        "--verdict 「good」 is not a verdict (expected one of: direct-client,",
    );
    refused(
        &["--channel", "中原"],
        "--channel 「中原」不是 attrib.toml 中的渠道 (已有: 链家, 我爱我家, 房多多)",
        "--channel 「中原」 is not a channel of attrib.toml (known: 链家, 我爱我家, 房多多)",
    );
    refused(
        &["--from", "2026-13"],
        "--from 「2026-13」不是时间",
        "--from 「2026-13」 is not a time (2026-03-01 09:30), a day (2026-03-01) or a month (2026-03)",
    );
    refused(
        &["--to", "yesterday"],
        "--to 「yesterday」不是时间",
        "--to 「yesterday」 is not a time",
    );
    refused(
        &["--from", "2026-04", "--to", "2026-03"],
        "--to 2026-03 早于 --from 2026-04",
        "--to 2026-03 is before --from 2026-04",
    );
    refused(
        &["--phone", "12345"],
        "--phone: 「12345」不是大陆手机号",
        "--phone",
    );
}
