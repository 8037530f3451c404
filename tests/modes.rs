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
