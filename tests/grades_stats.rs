//! R18 `attrib grades`, `add grade`, and `attrib stats` (its golden output on the example and its
//! SVG picture, read back as XML).

mod common;
use common::Workdir;

const AS_OF: &str = "2026-04-30 18:00";

fn golden(name: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden")
            .join(name),
    )
    .unwrap()
}

/// The example ledger with a committee decision for 链家 (not notified) and a reputation for 房多多.
fn graded() -> Workdir {
    let w = Workdir::example("lingxiu");
    let at = "2026-04-10 10:00";
    let args = [
        "add",
        "grade",
        "--channel",
        "链家",
        "--grade",
        "A级",
        "--by",
        "评审委员会",
        "--at",
        at,
    ];
    let (code, _, err) = w.run_now(at, &args);
    assert_eq!(code, 0, "{err}");
    let config = w.read("attrib.toml").replace(
        "commission = \"20000\"",
        "commission = \"20000\"\nreputation = \"C\"",
    );
    w.write("attrib.toml", &config);
    w
}

#[test]
fn grade_rows_are_added_with_chinese_words_and_replayed() {
    let w = graded();
    assert_eq!(
        w.read("grades.csv"),
        "id,at,channel,grade,by,notified_at,note\nG-001,2026-04-10 10:00,链家,A,评审委员会,,\n"
    );
    let (code, out, _) = w.run(&["--at", AS_OF, "--format", "json", "replay"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let grades: Vec<_> = (v.as_array().unwrap().iter())
        .filter(|r| r["kind"] == "grade")
        .map(|r| {
            (
                r["id"].clone(),
                r["verdict"].clone(),
                r["rule"].clone(),
                r["findings"].clone(),
            )
        })
        .collect();
    assert_eq!(
        grades,
        [(
            "G-001".into(),
            "recorded".into(),
            "R18".into(),
            serde_json::json!(["unnotified"])
        )]
    );
    // a grade outside A–D and an unknown channel are refused, nothing written
    let before = w.snapshot();
    let (code, _, err) = w.run_now(
        AS_OF,
        &["add", "grade", "--channel", "链家", "--grade", "E"],
    );
    assert_ne!(code, 0);
    assert!(
        err.contains("grades.csv:3") && err.contains("「E」"),
        "{err}"
    );
    let (code, _, err) = w.run_now(
        AS_OF,
        &["add", "grade", "--channel", "贝壳", "--grade", "B"],
    );
    assert_ne!(code, 0);
    assert!(err.contains("贝壳"), "{err}");
    assert_eq!(w.snapshot(), before);
}

#[test]
fn validate_names_bad_grade_cells_and_grading_keys() {
    let w = Workdir::example("lingxiu");
    w.write(
        "grades.csv",
        "id,at,channel,grade,by,notified_at,note\nG1,2026-04-10 10:00,链家,F,,someday,\n",
    );
    let config = w.read("attrib.toml") + "\n[grading]\nmonths = 0\nvolume = [1, 6, 12]\n";
    w.write("attrib.toml", &config);
    let (code, _, err) = w.run(&["--lang", "en", "validate"]);
    assert_ne!(code, 0);
    assert!(err.contains("grading.months"), "{err}");
    assert!(err.contains("grading.volume"), "{err}");
    w.write(
        "attrib.toml",
        &w.read("attrib.toml")
            .replace("[grading]\nmonths = 0\nvolume = [1, 6, 12]\n", ""),
    );
    let (code, _, err) = w.run(&["--lang", "en", "validate"]);
    assert_ne!(code, 0);
    assert!(err.contains("grades.csv:2:4"), "{err}");
    assert!(err.contains("grades.csv:2:6"), "{err}");
}

#[test]
fn grades_show_the_figures_that_made_them() {
    let w = graded();
    let (code, out, err) = w.run(&["--at", AS_OF, "--format", "csv", "grades"]);
    assert_eq!(code, 0, "{err}");
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some(
            "channel,history,integrity,volume,reputation,suggested,decided,decided_at,differs,\
             active_months,bookings,minor_violations,major_violation,delisted,decision"
        )
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let names: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    assert_eq!(names, ["我爱我家", "房多多", "链家"], "sorted by name");
    for r in &rows {
        // two active months (March, April) at most in the example: history D, so suggested D
        assert_eq!((r[1], r[5]), ("D", "D"), "{r:?}");
    }
    let lianjia = &rows[2];
    assert_eq!(&lianjia[6..9], ["A", "2026-04-10T10:00:00+08:00", "true"]);
    assert_eq!(lianjia[14], "G-001");
    assert_eq!(rows[1][4], "C", "房多多's reputation");
    for lang in ["zh", "en"] {
        let (code, out, _) = w.run(&["--at", AS_OF, "--lang", lang, "grades"]);
        assert_eq!(code, 0);
        for line in out.lines() {
            let width = unicode_width::UnicodeWidthStr::width(line);
            assert!(width <= 80, "{lang} line wider than 80: {line}");
        }
        insta::assert_snapshot!(format!("grades_{lang}"), out);
    }
    let (code, out, _) = w.run(&["--at", AS_OF, "--format", "json", "grades"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["months"], 12);
    assert_eq!(v["window_from"], "2025-04-30T18:00:00+08:00");
    assert_eq!(v["channels"][2]["decided"], "A");
    assert_eq!(v["channels"][0]["reputation"], serde_json::Value::Null);
}

#[test]
fn grades_change_no_other_verdict_or_line() {
    let plain = Workdir::example("lingxiu");
    let w = graded();
    for args in [
        &[
            "--at", AS_OF, "--format", "csv", "settle", "--month", "2026-04",
        ][..],
        &[
            "--at", AS_OF, "--format", "csv", "settle", "--month", "2026-03",
        ][..],
    ] {
        assert_eq!(w.run(args).1, plain.run(args).1, "{args:?}");
    }
    let replay = |w: &Workdir| {
        let (code, out, err) = w.run(&["--at", AS_OF, "--format", "json", "replay"]);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let rows: Vec<serde_json::Value> = (v.as_array().unwrap().iter())
            .filter(|r| r["kind"] != "grade")
            .cloned()
            .collect();
        rows
    };
    let (with, without) = (replay(&w), replay(&plain));
    assert!(with.len() > 100, "{}", with.len());
    assert_eq!(with, without);
}

#[test]
fn stats_match_the_golden_files() {
    let w = Workdir::example("lingxiu");
    for (args, file) in [
        (&["--month", "2026-03"][..], "stats-2026-03.csv"),
        (
            &["--from", "2026-03", "--to", "2026-04"][..],
            "stats-2026-03-04.csv",
        ),
    ] {
        let mut all = vec!["--at", AS_OF, "--format", "csv", "stats"];
        all.extend(args);
        let (code, out, err) = w.run(&all);
        assert_eq!(code, 0, "{err}");
        assert_eq!(out, golden(file), "{file}");
    }
    for lang in ["zh", "en"] {
        let args = [
            "--at", AS_OF, "--lang", lang, "stats", "--from", "2026-03", "--to", "2026-04",
        ];
        let (code, out, _) = w.run(&args);
        assert_eq!(code, 0);
        for line in out.lines() {
            let width = unicode_width::UnicodeWidthStr::width(line);
            assert!(width <= 80, "{lang} line wider than 80: {line}");
        }
        insta::assert_snapshot!(format!("stats_{lang}"), out);
    }
}

#[test]
fn stats_json_totals_are_the_sums_of_the_months() {
    let w = Workdir::example("lingxiu");
    let args = [
        "--at", AS_OF, "--format", "json", "stats", "--from", "2026-03", "--to", "2026-04",
    ];
    let (code, out, _) = w.run(&args);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["period"], "2026-03..2026-04");
    for s in v["sources"].as_array().unwrap() {
        for key in ["visits", "bookings"] {
            let months: u64 = (s["months"].as_array().unwrap().iter())
                .map(|m| m[key].as_u64().unwrap())
                .sum();
            assert_eq!(
                s["total"][key].as_u64().unwrap(),
                months,
                "{} {key}",
                s["source"]
            );
        }
    }
}

/// Every text of the SVG, in document order.
fn svg_texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    (doc.descendants())
        .filter(|n| n.tag_name().name() == "text")
        .map(|n| n.text().unwrap_or_default().trim().to_string())
        .collect()
}

#[test]
fn the_svg_is_xml_and_carries_every_channel_and_figure() {
    let w = Workdir::example("lingxiu");
    let svg = w.file("funnel.svg");
    let svg_arg = svg.to_str().unwrap();
    let args = [
        "--at", AS_OF, "--format", "json", "stats", "--from", "2026-03", "--to", "2026-04",
        "--svg", svg_arg,
    ];
    let (code, out, err) = w.run(&args);
    assert_eq!(code, 0, "{err}");
    let texts = svg_texts(&std::fs::read_to_string(&svg).unwrap());
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let has = |t: &str| texts.iter().any(|x| x == t);
    for s in v["sources"].as_array().unwrap() {
        let total = &s["total"];
        let label = match s["kind"].as_str().unwrap() {
            "agency" => "自然来访".to_string(),
            "developer" => "甲方直接".to_string(),
            _ => s["source"].as_str().unwrap().to_string(),
        };
        assert!(has(&label), "{label} in {texts:?}");
        let mut figures = vec![
            format!("有效到访 {}", total["visits"]),
            format!("认购 {}", total["bookings"]),
        ];
        if s["kind"] == "channel" {
            figures.push(format!("报备 {}", total["reports"]));
            figures.push(format!("有效报备 {}", total["accepted"]));
            figures.push(format!("佣金 {}", total["commission"].as_str().unwrap()));
        }
        for f in figures {
            assert!(has(&f), "{f} in {texts:?}");
        }
        // each month's bookings stand on the bar chart
        for m in s["months"].as_array().unwrap() {
            assert!(has(&m["bookings"].to_string()), "{m}");
        }
    }
    for month in ["2026-03", "2026-04"] {
        assert!(has(month), "{month}");
    }
    assert!(texts.iter().any(|t| t.contains("渠道漏斗")), "{texts:?}");
}

/// docs/stats.md shows the example's picture: the committed SVG is what the command draws.
#[test]
fn the_picture_in_the_docs_is_the_examples() {
    let w = Workdir::example("lingxiu");
    let svg = w.file("funnel.svg");
    let args = [
        "--at",
        AS_OF,
        "stats",
        "--from",
        "2026-03",
        "--to",
        "2026-04",
        "--svg",
        svg.to_str().unwrap(),
    ];
    let (code, _, err) = w.run(&args);
    assert_eq!(code, 0, "{err}");
    let docs = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/stats-lingxiu.svg");
    assert!(
        std::fs::read_to_string(svg).unwrap() == std::fs::read_to_string(docs).unwrap(),
        "docs/stats-lingxiu.svg is stale: regenerate it with the command in docs/stats.md"
    );
}
