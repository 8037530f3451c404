//! R16 visit-first mode (到访为王) through the real binary: the same rows judged in the two
//! modes, the mode named in human output only when visit-first, `check`'s `open_reports`, and
//! `validate`'s error for a wrong `rules.mode`.

mod common;
use common::{CONFIG, Workdir};

const AS_OF: &str = "2026-04-01 00:00";

/// R16 example 1: 链家 reports first, 我爱我家 second and brings the family first.
fn example_1(mode: Option<&str>) -> Workdir {
    let w = Workdir::new();
    if let Some(mode) = mode {
        w.write(
            "attrib.toml",
            &format!("{CONFIG}\n[rules]\nmode = \"{mode}\"\n"),
        );
    }
    w.write(
        "reports.csv",
        "id,at,channel,broker,client,phone,note\n\
         RA,2026-03-01 09:00,链家,王五,张伟,13800000001,\n\
         RB,2026-03-01 10:00,我爱我家,李四,张伟,13800000001,\n",
    );
    w.write(
        "contacts.csv",
        "id,at,kind,phone,client,consultant,channel,broker,slip,confirmed_by,note\n\
         VB,2026-03-02 10:00,visit,13800000001,张伟,小李,我爱我家,李四,S-VB,,\n\
         VA,2026-03-03 10:00,visit,13800000001,张伟,小李,链家,王五,S-VA,,\n",
    );
    w.write(
        "bookings.csv",
        "id,at,unit,buyer,phone,area,list_price,price,payment,consultant,discount,deposit,note\n\
         B1,2026-03-10 10:00,1-1-101,张伟,13800000001,,2000000,1990000,mortgage,小李,,,\n",
    );
    w
}

fn verdicts(w: &Workdir) -> Vec<(String, String)> {
    let (code, out, err) = w.run(&["--at", AS_OF, "--format", "json", "replay"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    (v.as_array().unwrap().iter())
        .map(|r| {
            (
                r["id"].as_str().unwrap().into(),
                r["verdict"].as_str().unwrap().into(),
            )
        })
        .collect()
}

#[test]
fn r16_the_same_ledger_gives_the_two_documented_outcomes() {
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    let report_first = [
        ("RA", "accepted"),
        ("RB", "held-by-report"),
        ("VB", "no-report"),
        ("VA", "no-report"),
        ("B1", "agency"),
    ];
    let visit_first = [
        ("RA", "accepted"),
        ("RB", "accepted"),
        ("VB", "valid"),
        ("VA", "no-report"),
        ("B1", "channel"),
    ];
    assert_eq!(verdicts(&example_1(None)), pairs(&report_first));
    assert_eq!(
        verdicts(&example_1(Some("report-first"))),
        pairs(&report_first)
    );
    assert_eq!(
        verdicts(&example_1(Some("visit-first"))),
        pairs(&visit_first)
    );
}

#[test]
fn r16_human_output_names_the_mode_only_when_visit_first() {
    for lang in ["zh", "en"] {
        let (_, rf, _) = example_1(None).run(&["--at", AS_OF, "--lang", lang, "replay"]);
        let (code, vf, err) =
            example_1(Some("visit-first")).run(&["--at", AS_OF, "--lang", lang, "replay"]);
        assert_eq!(code, 0, "{err}");
        assert!(!rf.contains("R16"), "{rf}");
        let first = vf.lines().next().unwrap();
        assert!(
            first.contains("visit-first") && first.contains("R16"),
            "{vf}"
        );
        assert!(first.contains(if lang == "zh" { "到访为王" } else { "mode" }));
        let (_, check, _) = example_1(Some("visit-first")).run(&[
            "--at",
            "2026-03-01 12:00",
            "--lang",
            lang,
            "check",
            "13800000001",
        ]);
        assert!(check.contains("R16"), "{check}");
    }
}

#[test]
fn r16_3_check_lists_the_open_reports_and_promotes_none() {
    let at = "2026-03-01 12:00";
    let (code, out, err) = example_1(Some("visit-first")).run(&[
        "--at",
        at,
        "--format",
        "json",
        "check",
        "13800000001",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["owner"], "agency");
    let open: Vec<(&str, &str, &str)> = (v["open_reports"].as_array().unwrap().iter())
        .map(|o| {
            let s = |k: &str| o[k].as_str().unwrap();
            (s("channel"), s("report"), s("window_end"))
        })
        .collect();
    assert_eq!(
        open,
        [
            ("链家", "RA", "2026-03-04T23:59:59+08:00"),
            ("我爱我家", "RB", "2026-03-04T23:59:59+08:00"),
        ]
    );
    let (_, out, _) =
        example_1(None).run(&["--at", at, "--format", "json", "check", "13800000001"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (v["owner"].as_str(), v["channel"].as_str()),
        (Some("channel"), Some("链家"))
    );
    assert!(v.get("open_reports").is_none(), "report-first adds no key");
    let (_, text, _) =
        example_1(Some("visit-first")).run(&["--at", at, "--lang", "en", "check", "13800000001"]);
    assert!(
        text.contains("open report: 链家 RA") && text.contains("open report: 我爱我家 RB"),
        "{text}"
    );
}

#[test]
fn r16_validate_names_the_key_of_a_wrong_mode() {
    let w = example_1(Some("到访为王"));
    for (lang, words) in [
        ("en", "is not report-first or visit-first"),
        ("zh", "不是 report-first"),
    ] {
        let (code, out, err) = w.run(&["--lang", lang, "validate"]);
        assert_ne!(code, 0);
        let all = format!("{out}{err}");
        assert!(all.contains("rules.mode") && all.contains(words), "{all}");
    }
}

/// R15 example 1 with RP3 (another name) on disk, masked reports on.
fn masked(extra_rules: &str) -> Workdir {
    let w = Workdir::new();
    w.write(
        "attrib.toml",
        &format!("{CONFIG}\n[rules]\nmasked_reports = true\n{extra_rules}"),
    );
    w.write(
        "reports.csv",
        "id,at,channel,broker,client,phone,note\n\
         RP1,2026-03-01 09:00,链家,王五,刘洋,138****5678,\n\
         RP3,2026-03-01 10:30,我爱我家,李四,刘芳,138-＊＊＊＊-5678,\n",
    );
    w.write(
        "contacts.csv",
        "id,at,kind,phone,client,consultant,channel,broker,slip,confirmed_by,note\n\
         V1,2026-03-02 10:00,visit,13812345678,刘洋,小李,链家,王五,S-V1,,\n",
    );
    w
}

#[test]
fn r15_replay_shows_the_completing_visit_and_phone() {
    let w = masked("");
    let (code, out, err) = w.run(&["--at", AS_OF, "--format", "json", "replay"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows: Vec<(String, String, String, String)> = (v.as_array().unwrap().iter())
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or("").to_string();
            (
                s("id"),
                s("verdict"),
                s("completed_by"),
                s("completed_phone"),
            )
        })
        .collect();
    let row = |a: &str, b: &str, c: &str, d: &str| (a.into(), b.into(), c.into(), d.into());
    assert_eq!(
        rows,
        [
            row("RP1", "accepted", "V1", "13812345678"),
            row("RP3", "accepted", "", ""),
            row("V1", "valid", "", ""),
        ]
    );
    assert_eq!(v[0]["phone"], "138****5678");
    assert_eq!(v[0]["findings"][0], "masked");
    assert!(
        v[2].get("completed_by").is_none(),
        "only masked reports carry the keys"
    );
}

#[test]
fn r15_check_lists_the_open_masked_reports_a_full_phone_fits() {
    let w = masked("");
    let at = "2026-03-01 12:00";
    let (code, out, err) = w.run(&[
        "--at",
        at,
        "--format",
        "json",
        "check",
        "13812345678",
        "--name",
        "刘洋",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ids: Vec<&str> = (v["masked_reports"].as_array().unwrap().iter())
        .map(|o| o["report"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["RP1"]);
    assert_eq!(
        (v["owner"].as_str(), v["channel"].as_str()),
        (Some("channel"), Some("链家"))
    );
    let (_, text, _) = w.run(&[
        "--at",
        at,
        "--lang",
        "en",
        "check",
        "13812345678",
        "--name",
        "刘洋",
    ]);
    assert!(
        text.contains("masked report (a visit completes it): 链家 RP1"),
        "{text}"
    );
}

#[test]
fn r15_masked_phones_are_errors_when_off_and_outside_reports() {
    // check takes a whole phone only (R15.6), masked reports on or off
    let w = masked("");
    let (code, _, err) = w.run(&["--lang", "en", "check", "138****5678"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("here write the whole number"), "{err}");
    // off: the masked report is refused as before
    let w = masked("");
    w.write("attrib.toml", CONFIG);
    let (code, out, err) = w.run(&["--lang", "en", "validate"]);
    assert_ne!(code, 0);
    assert!(
        format!("{out}{err}")
            .contains("only a report may hold one, and only with rules.masked_reports = true"),
        "{out}{err}"
    );
    // on: a masked phone in contacts is an error naming the row; a bad mask in reports too
    let w = masked("");
    w.write(
        "contacts.csv",
        "id,at,kind,phone,client,consultant,channel,broker,slip,confirmed_by,note\n\
         V1,2026-03-02 10:00,visit,138****5678,刘洋,小李,,,,,\n",
    );
    w.write(
        "reports.csv",
        "id,at,channel,broker,client,phone,note\n\
         RP1,2026-03-01 09:00,链家,王五,刘洋,1381**45678,\n",
    );
    for (lang, words) in [
        ("en", "only reports may carry"),
        ("zh", "只有报备可以写隐号"),
    ] {
        let (code, out, err) = w.run(&["--lang", lang, "validate"]);
        assert_ne!(code, 0);
        let all = format!("{out}{err}");
        assert!(
            all.contains("contacts.csv:2") && all.contains(words),
            "{all}"
        );
        assert!(
            all.contains("reports.csv:2") && all.contains("1381**45678"),
            "{all}"
        );
    }
}
