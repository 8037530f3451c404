//! `attrib audit` and `--rev` over temporary git repositories with dated commits.

mod common;
use common::Workdir;
use std::process::Command;

const HEAD: &str = "id,at,channel,broker,client,phone\n";

/// A git repository whose ledger lives in `ledger/`.
struct Repo {
    w: Workdir,
    folder: &'static str,
}

impl Repo {
    fn new() -> Repo {
        Repo::in_folder("ledger")
    }

    /// A repository whose ledger lives in `folder`.
    fn in_folder(folder: &'static str) -> Repo {
        let w = Workdir::empty();
        let r = Repo { w, folder };
        r.git(&["init", "-q", "-b", "main"], None);
        std::fs::create_dir(r.dir()).unwrap();
        std::fs::write(r.dir().join("attrib.toml"), common::CONFIG).unwrap();
        r
    }

    fn dir(&self) -> std::path::PathBuf {
        self.w.file(self.folder)
    }

    fn git(&self, args: &[&str], date: Option<&str>) {
        let mut c = Command::new("git");
        c.arg("-C").arg(self.w.path()).args(args);
        c.env("GIT_AUTHOR_NAME", "销控小周")
            .env("GIT_AUTHOR_EMAIL", "zhou@example.com");
        c.env("GIT_COMMITTER_NAME", "销控小周")
            .env("GIT_COMMITTER_EMAIL", "zhou@example.com");
        if let Some(d) = date {
            c.env("GIT_COMMITTER_DATE", d).env("GIT_AUTHOR_DATE", d);
        }
        let out = c.output().unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.dir().join(name), text).unwrap();
    }

    fn commit(&self, date: &str, msg: &str) {
        self.git(&["add", "-A"], None);
        self.git(&["commit", "-q", "-m", msg], Some(date));
    }

    fn attrib(&self, args: &[&str]) -> (i32, String, String) {
        let out = assert_cmd::Command::cargo_bin("attrib")
            .unwrap()
            .env_remove("ATTRIB_LEDGER")
            .arg("-C")
            .arg(self.dir())
            .args(["--at", "2026-06-01 00:00"])
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stdout).into(),
            String::from_utf8_lossy(&out.stderr).into(),
        )
    }

    fn audit(&self) -> (i32, Vec<serde_json::Value>) {
        let (code, out, err) = self.attrib(&["--format", "json", "audit"]);
        assert!(code == 0 || code == 1, "{err}");
        (
            code,
            serde_json::from_str::<serde_json::Value>(&out)
                .unwrap()
                .as_array()
                .unwrap()
                .clone(),
        )
    }
}

fn kinds(f: &[serde_json::Value]) -> Vec<(String, String)> {
    f.iter()
        .map(|x| {
            (
                x["kind"].as_str().unwrap().to_string(),
                x["id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Three honest days: each row committed within hours of its time.
fn honest() -> Repo {
    let r = Repo::new();
    r.write(
        "reports.csv",
        &format!("{HEAD}R-1,2026-03-01 09:00,链家,王五,张伟,13800000001\n"),
    );
    r.commit("2026-03-01T09:05:00+08:00", "day 1");
    r.write("reports.csv", &format!("{HEAD}R-1,2026-03-01 09:00,链家,王五,张伟,13800000001\nR-2,2026-03-02 09:00,我爱我家,李四,李娜,13800000002\n"));
    r.write(
        "contacts.csv",
        "id,at,kind,phone\nC-1,2026-03-02 10:00,call,13800000003\n",
    );
    r.commit("2026-03-02T18:00:00+08:00", "day 2");
    r.write("reports.csv", &format!("{HEAD}R-1,2026-03-01 09:00,链家,王五,张伟,13800000001\nR-2,2026-03-02 09:00,我爱我家,李四,李娜,13800000002\nR-3,2026-03-03 09:00,链家,王五,王芳,13800000003\n"));
    r.commit("2026-03-03T12:00:00+08:00", "day 3");
    r
}

#[test]
fn a_clean_append_only_history_exits_0() {
    let r = honest();
    let (code, f) = r.audit();
    assert_eq!(code, 0, "{f:?}");
    assert!(f.is_empty());
    let (code, out, _) = r.attrib(&["audit"]);
    assert_eq!(code, 0);
    assert!(out.contains("审计通过: 3 次提交"), "{out}");
}

#[test]
fn a_back_dated_row_that_changes_no_verdict_is_still_reported() {
    let r = honest();
    // On 03-05 someone writes a 我爱我家 report dated 02-28 for 王芳, whom the office already
    // knew from C-1's call: no verdict moves, but the row is back-dated.
    let text = std::fs::read_to_string(r.dir().join("reports.csv")).unwrap();
    r.write(
        "reports.csv",
        &format!("{text}R-4,2026-02-28 09:00,我爱我家,李四,王芳,13800000003\n"),
    );
    r.commit("2026-03-05T20:00:00+08:00", "补录");
    let (code, f) = r.audit();
    assert_eq!(code, 1);
    assert_eq!(kinds(&f), vec![("back-dated".into(), "R-4".into())]);
    assert_eq!(
        (f[0]["file"].as_str(), f[0]["line"].as_u64()),
        (Some("reports.csv"), Some(5))
    );
    assert_eq!(f[0]["author"], "销控小周");
    assert_eq!(f[0]["after"], "2026-03-05T20:00:00+08:00");
    assert_eq!(
        f[0]["commit"].as_str().unwrap().len(),
        7,
        "short hash: {}",
        f[0]
    );
}

#[test]
fn a_back_dated_report_flips_an_accepted_report_to_held_by_report() {
    let r = Repo::new();
    r.write(
        "reports.csv",
        &format!("{HEAD}R-1,2026-03-03 09:00,链家,王五,王芳,13800000003\n"),
    );
    r.commit("2026-03-03T09:30:00+08:00", "链家 报备");
    r.write("reports.csv", &format!("{HEAD}R-1,2026-03-03 09:00,链家,王五,王芳,13800000003\nR-2,2026-03-02 09:00,我爱我家,李四,王芳,13800000003\n"));
    r.commit("2026-03-04T20:00:00+08:00", "补录");
    let (code, f) = r.audit();
    assert_eq!(code, 1);
    assert_eq!(
        kinds(&f),
        vec![
            ("back-dated".into(), "R-2".into()),
            ("flip".into(), "R-1".into())
        ]
    );
    assert_eq!(f[1]["before"], "accepted (R2.6)");
    assert_eq!(f[1]["after"], "held-by-report (R2.4 R-2)");
    assert_eq!(f[1]["line"], 2);
    assert_eq!(f[0]["before"], "2026-03-02T09:00:00+08:00");
}

#[test]
fn an_in_place_edit_is_reported() {
    let r = honest();
    let text = std::fs::read_to_string(r.dir().join("reports.csv")).unwrap();
    r.write(
        "reports.csv",
        &text.replace("R-2,2026-03-02 09:00,我爱我家", "R-2,2026-03-02 09:00,链家"),
    );
    r.commit("2026-03-04T10:00:00+08:00", "改渠道");
    let (code, f) = r.audit();
    assert_eq!(code, 1);
    assert_eq!(kinds(&f), vec![("edit".into(), "R-2".into())]);
    assert!(
        f[0]["before"]
            .as_str()
            .unwrap()
            .contains("channel=我爱我家")
    );
    assert!(f[0]["after"].as_str().unwrap().contains("channel=链家"));
    assert_eq!(
        (f[0]["before"].as_str(), f[0]["after"].as_str()),
        (Some("channel=我爱我家"), Some("channel=链家")),
        "the changed cells only"
    );
    assert_eq!(f[0]["line"], 3);
}

#[test]
fn a_deletion_is_reported_and_its_flip_too() {
    let r = honest();
    r.write("contacts.csv", "id,at,kind,phone\n");
    r.commit("2026-03-04T10:00:00+08:00", "删来电");
    let (code, f) = r.audit();
    assert_eq!(code, 1);
    assert_eq!(
        kinds(&f),
        vec![
            ("deletion".into(), "C-1".into()),
            ("flip".into(), "R-3".into())
        ]
    );
    assert_eq!(f[0]["file"], "contacts.csv");
    assert_eq!(f[1]["after"], "accepted (R2.6)");
}

#[test]
fn a_void_that_explains_a_flip_is_a_correction() {
    let r = honest();
    r.write(
        "voids.csv",
        "id,at,ref,reason\nX-1,2026-03-04 10:00,C-1,号码录错\n",
    );
    r.commit("2026-03-04T10:30:00+08:00", "作废");
    let (code, f) = r.audit();
    assert_eq!(code, 0, "a correction is not tampering: {f:?}");
    assert_eq!(
        kinds(&f),
        vec![
            ("correction".into(), "C-1".into()),
            ("correction".into(), "R-3".into())
        ]
    );
    assert_eq!(f[0]["after"], "voided (void) — X-1");
    assert_eq!(f[1]["before"], "known-client (R2.2 C-1)");
    assert_eq!(f[1]["after"], "accepted (R2.6) — X-1");
}

#[test]
fn since_skips_earlier_commits() {
    let r = Repo::new();
    r.write(
        "reports.csv",
        &format!("{HEAD}R-1,2026-01-01 09:00,链家,王五,王芳,13800000003\n"),
    );
    r.commit("2026-03-03T09:30:00+08:00", "late entry");
    r.git(&["tag", "base"], None);
    r.write("reports.csv", &format!("{HEAD}R-1,2026-01-01 09:00,链家,王五,王芳,13800000003\nR-2,2026-03-04 09:00,链家,王五,李娜,13800000002\n"));
    r.commit("2026-03-04T09:30:00+08:00", "honest");
    let (code, f) = r.audit();
    assert_eq!(code, 1, "the first commit is back-dated: {f:?}");
    assert_eq!(kinds(&f), vec![("back-dated".into(), "R-1".into())]);
    let (code, out, err) = r.attrib(&["--format", "json", "audit", "--since", "base"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.trim(), "[]", "nothing found after base");
}

#[test]
fn replay_at_two_revisions_gives_the_verdicts_of_each() {
    let r = Repo::new();
    r.write(
        "reports.csv",
        &format!("{HEAD}R-1,2026-03-03 09:00,链家,王五,王芳,13800000003\n"),
    );
    r.commit("2026-03-03T09:30:00+08:00", "one");
    r.git(&["tag", "v1"], None);
    r.write(
        "contacts.csv",
        "id,at,kind,phone\nC-1,2026-03-01 10:00,call,13800000003\n",
    );
    r.commit("2026-03-05T09:30:00+08:00", "two");
    let verdict = |rev: &str| {
        let (code, out, err) = r.attrib(&["--format", "json", "replay", "--rev", rev]);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == "R-1")
            .unwrap()["verdict"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(verdict("v1"), "accepted");
    assert_eq!(verdict("HEAD"), "known-client");
    // the work tree is untouched, and check/settle read revisions too
    assert!(
        !std::fs::read_to_string(r.dir().join("contacts.csv"))
            .unwrap()
            .is_empty()
    );
    let (code, out, err) = r.attrib(&["--format", "json", "check", "13800000003", "--rev", "v1"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON object");
    assert_eq!(
        v["owner"], "agency",
        "R-1's hold has ended by the as-of: {out}"
    );
    let (code, _, err) = r.attrib(&["--lang", "en", "replay", "--rev", "nosuchrev"]);
    assert_eq!(code, 2, "unreadable input: {err}");
    assert!(
        err.contains("「nosuchrev」 is not a revision of the repository"),
        "{err}"
    );
}

#[test]
fn an_edit_inside_a_toml_file_is_found_by_id() {
    let r = Repo::new();
    let direct = |unit: &str| {
        format!(
            "# 甲方确认单\n[[direct]]\nid = \"D-1\"\npresented_at = \"2026-03-01 10:00\"\nphone = \"13800000001\"\nunit = \"{unit}\"\n"
        )
    };
    r.write("directs.toml", &direct("1-1-101"));
    r.commit("2026-03-01T10:30:00+08:00", "slip");
    r.write("directs.toml", &format!("{}\n[[direct]]\nid = \"D-2\"\npresented_at = \"2026-03-02 10:00\"\nphone = \"13800000002\"\n", direct("9-9-909")));
    r.commit(
        "2026-03-02T10:30:00+08:00",
        "another slip, and a quiet change",
    );
    let (code, f) = r.audit();
    assert_eq!(code, 1);
    assert_eq!(kinds(&f), vec![("edit".into(), "D-1".into())]);
    assert_eq!(
        (f[0]["file"].as_str(), f[0]["line"].as_u64()),
        (Some("directs.toml"), Some(2))
    );
    assert!(f[0]["before"].as_str().unwrap().contains("unit=1-1-101"));
    assert!(f[0]["after"].as_str().unwrap().contains("unit=9-9-909"));
}

#[test]
fn a_ledger_folder_with_a_space_in_its_name_is_read_at_revisions_and_audited() {
    // git cat-file echoes a missing file's spec (`<rev>:售楼处 台账/voids.csv missing`) as given
    let r = Repo::in_folder("售楼处 台账");
    r.write(
        "reports.csv",
        &format!("{HEAD}R-1,2026-03-01 09:00,链家,王五,张伟,13800000001\n"),
    );
    r.commit("2026-03-01T09:05:00+08:00", "day 1");
    r.git(&["tag", "v1"], None);
    r.write(
        "reports.csv",
        &format!("{HEAD}R-1,2026-03-01 09:00,链家,王五,张伟,13800000009\n"),
    );
    r.commit("2026-03-02T09:05:00+08:00", "day 2");
    let (code, out, err) = r.attrib(&["--format", "json", "replay", "--rev", "v1"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("13800000001") || out.contains("\"R-1\""),
        "{out}"
    );
    let (code, f) = r.audit();
    assert_eq!(code, 1);
    assert_eq!(kinds(&f), vec![("edit".into(), "R-1".into())]);
    let (code, out, err) = r.attrib(&["--format", "json", "audit", "--since", "v1"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("\"edit\""), "{out}");
}

#[test]
fn a_revision_that_starts_with_a_dash_is_refused_with_the_reason() {
    let r = honest();
    let said = "is not a revision: a revision never starts with \"-\"";
    let (code, _, err) = r.attrib(&["--lang", "en", "replay", "--rev=--output=/tmp/attrib-x"]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("「--output=/tmp/attrib-x」 {said}")),
        "{err}"
    );
    let (code, _, err) = r.attrib(&["--lang", "en", "audit", "--since=-p"]);
    assert_eq!(code, 2);
    assert!(err.contains(&format!("「-p」 {said}")), "{err}");
}

#[test]
fn audit_speaks_the_language_of_the_committed_config_unless_told() {
    let r = Repo::new();
    r.write(
        "attrib.toml",
        &common::CONFIG.replace(
            "timezone = \"+08:00\"",
            "timezone = \"+08:00\"\nlang = \"en\"",
        ),
    );
    r.write(
        "reports.csv",
        &format!("{HEAD}R-1,2026-03-01 09:00,链家,王五,张伟,13800000001\n"),
    );
    r.commit("2026-03-01T09:05:00+08:00", "day 1");
    let (code, out, err) = r.attrib(&["audit"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("clean: 1 commits"), "{out}");
    let (code, out, _) = r.attrib(&["--lang", "zh", "audit"]);
    assert_eq!(code, 0);
    assert!(out.contains("审计通过: 1 次提交"), "{out}");
}

const BOOKINGS: &str =
    "id,at,unit,buyer,phone,area,list_price,price,payment,consultant,discount,deposit,note\n";

#[test]
fn a_back_dated_direct_slip_flips_a_bookings_owner() {
    let r = Repo::new();
    r.write(
        "bookings.csv",
        &format!("{BOOKINGS}B-1,2026-03-10 10:00,1-1-101,张伟,13800000001,,2000000,2000000,mortgage,,,50000,\n"),
    );
    r.commit("2026-03-10T10:30:00+08:00", "认购");
    r.write(
        "directs.toml",
        "[[direct]]\nid = \"D-1\"\npresented_at = \"2026-03-01 10:00\"\nphone = \"13800000001\"\nclient = \"张伟\"\nunit = \"1-1-101\"\narea = \"100\"\nlist_unit_price = \"20000\"\nunit_price = \"20000\"\ntotal = \"2000000\"\nother = \"无\"\nrequest = \"无\"\nclient_signature = \"张伟\"\ndeveloper_signer = \"刘总\"\nagency_signer = \"付总\"\n",
    );
    r.commit("2026-03-12T10:30:00+08:00", "补甲方确认单");
    let (code, f) = r.audit();
    assert_eq!(code, 1);
    assert_eq!(
        kinds(&f),
        vec![
            ("back-dated".into(), "D-1".into()),
            ("flip".into(), "B-1".into())
        ]
    );
    assert_eq!(f[1]["before"], "agency (R7.3)");
    assert_eq!(f[1]["after"], "developer (R7.1 D-1)");
    assert_eq!(f[1]["file"], "bookings.csv");
}

fn booked() -> Repo {
    let r = Repo::new();
    r.write(
        "bookings.csv",
        &format!("{BOOKINGS}B-1,2026-03-10 10:00,1-1-101,张伟,13800000001,,2000000,2000000,mortgage,,,50000,\n"),
    );
    r.commit("2026-03-10T10:30:00+08:00", "认购");
    r
}

fn money(f: &[serde_json::Value]) -> Vec<(String, String, String, String)> {
    f.iter()
        .filter(|x| x["kind"] == "money-moved")
        .map(|x| {
            let s = |k: &str| x[k].as_str().unwrap().to_string();
            (s("commit"), s("id"), s("before"), s("after"))
        })
        .collect()
}

#[test]
fn a_void_of_a_paid_booking_moves_money_in_a_settled_month() {
    let r = booked();
    r.write(
        "voids.csv",
        "id,at,ref,reason\nX-1,2026-04-05 10:00,B-1,退房\n",
    );
    r.commit("2026-04-05T10:30:00+08:00", "作废已结算的认购");
    let (code, f) = r.audit();
    assert_eq!(code, 1, "a void that moves settled money fails: {f:?}");
    let m = money(&f);
    assert_eq!(m.len(), 1, "{f:?}");
    assert_eq!(m[0].0.len(), 7);
    assert_eq!(
        (m[0].1.as_str(), m[0].2.as_str(), m[0].3.as_str()),
        ("2026-03 伟业", "36000.00", "0.00")
    );
    let (_, out, _) = r.attrib(&["--lang", "en", "audit"]);
    assert!(
        out.contains("money moved") && out.contains("36000.00"),
        "{out}"
    );
}

#[test]
fn a_void_made_the_morning_after_month_end_moves_no_settled_money() {
    let r = booked();
    r.write(
        "voids.csv",
        "id,at,ref,reason\nX-1,2026-03-31 18:00,B-1,录错\n",
    );
    r.commit("2026-04-01T09:00:00+08:00", "月底作废");
    let (code, f) = r.audit();
    assert!(money(&f).is_empty(), "March is not yet settled: {f:?}");
    assert_eq!(code, 0, "{f:?}");
}

#[test]
fn a_violation_back_dated_into_a_closed_month_is_named_with_its_money() {
    let r = booked();
    r.write(
        "violations.csv",
        "id,at,kind,channel,broker,persons,phone,damages,evidence\nV-1,2026-03-20 20:00,zone,我爱我家,赵六,,,,派单\n",
    );
    r.commit("2026-04-10T09:00:00+08:00", "补罚单");
    let (code, f) = r.audit();
    assert_eq!(code, 1);
    assert!(
        kinds(&f).contains(&("back-dated".into(), "V-1".into())),
        "{f:?}"
    );
    let m = money(&f);
    assert_eq!(m.len(), 1, "{f:?}");
    assert!(m[0].1.starts_with("2026-03 "), "{m:?}");
    assert_ne!(m[0].2, m[0].3);
}

#[test]
fn exit_codes_for_scripts_0_clean_1_found_2_not_in_git() {
    let (code, _) = honest().audit();
    assert_eq!(code, 0, "clean");
    let r = booked();
    r.write(
        "voids.csv",
        "id,at,ref,reason\nX-1,2026-04-05 10:00,B-1,退房\n",
    );
    r.commit("2026-04-05T10:30:00+08:00", "作废");
    assert_eq!(r.audit().0, 1, "money moved in a settled month");
    // a ledger folder that git does not know: said plainly, exit 2, never "clean"
    let w = common::Workdir::empty();
    std::fs::create_dir(w.file("ledger")).unwrap();
    std::fs::write(w.file("ledger/attrib.toml"), common::CONFIG).unwrap();
    for (lang, said) in [
        ("zh", "不在 git 仓库中: 没有历史可审计"),
        (
            "en",
            "is not in a git repository: there is no history to audit",
        ),
    ] {
        let out = assert_cmd::Command::cargo_bin("attrib")
            .unwrap()
            .env_remove("ATTRIB_LEDGER")
            .env("GIT_CEILING_DIRECTORIES", w.path())
            .arg("-C")
            .arg(w.file("ledger"))
            .args(["--at", "2026-06-01 00:00", "--lang", lang, "audit"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(said), "{err}");
        assert!(out.stdout.is_empty(), "nothing passed off as clean");
    }
}

#[test]
fn a_row_entered_before_its_time_is_pre_dated() {
    let r = honest();
    let text = std::fs::read_to_string(r.dir().join("reports.csv")).unwrap();
    // on 03-04 at 10:00 a report is written for a client who has not been reported yet: dated 03-06
    r.write(
        "reports.csv",
        &format!("{text}R-4,2026-03-06 09:00,我爱我家,李四,周杰,13800000009\n"),
    );
    r.commit("2026-03-04T10:00:00+08:00", "预先报备");
    let (code, f) = r.audit();
    assert_eq!(code, 1, "{f:?}");
    assert_eq!(kinds(&f), vec![("pre-dated".into(), "R-4".into())]);
    assert_eq!(f[0]["before"], "2026-03-06T09:00:00+08:00");
    assert_eq!(f[0]["after"], "2026-03-04T10:00:00+08:00");
}

#[test]
fn uncommitted_ledger_changes_are_reported_as_not_audited_without_failing() {
    let r = honest();
    let text = std::fs::read_to_string(r.dir().join("reports.csv")).unwrap();
    r.write(
        "reports.csv",
        &text.replace("R-2,2026-03-02 09:00,我爱我家", "R-2,2026-03-02 09:00,链家"),
    );
    r.write("voids.csv", "id,at,ref,reason\n");
    std::fs::write(r.w.file("README.txt"), "not the ledger").unwrap();
    let (code, f) = r.audit();
    assert_eq!(code, 0, "the exit status is unchanged: {f:?}");
    assert_eq!(
        f.iter()
            .map(|x| (x["kind"].as_str().unwrap(), x["file"].as_str().unwrap()))
            .collect::<Vec<_>>(),
        vec![("not-audited", "reports.csv"), ("not-audited", "voids.csv")]
    );
    let (_, out, _) = r.attrib(&["audit"]);
    assert!(
        out.contains("未提交") && out.contains("reports.csv"),
        "{out}"
    );
}

#[test]
fn each_finding_names_its_commit_subject_author_and_time_in_the_project_zone() {
    let r = booked();
    r.write(
        "voids.csv",
        "id,at,ref,reason\nX-1,2026-04-05 10:00,B-1,退房\n",
    );
    // committed from a laptop set to UTC: 02:30Z is 10:30 in the project zone
    r.commit("2026-04-05T02:30:00+00:00", "作废已结算的认购");
    let (_, f) = r.audit();
    let m = f.iter().find(|x| x["kind"] == "money-moved").unwrap();
    assert_eq!(m["subject"], "作废已结算的认购");
    assert_eq!(m["author"], "销控小周");
    assert_eq!(m["date"], "2026-04-05T10:30:00+08:00");
    let (_, out, _) = r.attrib(&["--format", "csv", "audit"]);
    assert!(out.lines().next().unwrap().ends_with(",subject"), "{out}");
    assert!(out.contains(",作废已结算的认购\n"), "{out}");
}

#[test]
fn a_shallow_clone_is_said_plainly_not_passed_as_clean() {
    let r = honest();
    let w = common::Workdir::empty();
    let url = format!("file://{}", r.w.path().display());
    let out = Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(w.file("clone"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = assert_cmd::Command::cargo_bin("attrib")
        .unwrap()
        .env_remove("ATTRIB_LEDGER")
        .arg("-C")
        .arg(w.file("clone/ledger"))
        .args(["--at", "2026-06-01 00:00", "--lang", "en", "audit"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("is a shallow clone: its earlier commits are missing"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn phones_are_masked_in_the_audit_table_unless_revealed() {
    let r = honest();
    let text = std::fs::read_to_string(r.dir().join("reports.csv")).unwrap();
    r.write(
        "reports.csv",
        &text.replace("张伟,13800000001", "张伟,13800000009"),
    );
    r.commit("2026-03-04T10:00:00+08:00", "改号码");
    let (code, out, _) = r.attrib(&["audit"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("138****0001") && out.contains("138****0009"),
        "{out}"
    );
    assert!(!out.contains("13800000009"), "{out}");
    let (_, out, _) = r.attrib(&["--reveal", "audit"]);
    assert!(out.contains("13800000009"), "{out}");
    let (_, out, _) = r.attrib(&["--format", "json", "audit"]);
    assert!(
        out.contains("13800000009"),
        "scripts see phones whole: {out}"
    );
}

#[test]
fn an_edit_made_on_a_side_branch_is_found_at_its_own_commit_once() {
    let r = honest();
    r.git(&["checkout", "-q", "-b", "side", "HEAD~1"], None);
    let text = std::fs::read_to_string(r.dir().join("reports.csv")).unwrap();
    r.write("reports.csv", &text.replace("王五,张伟", "王五,张薇"));
    r.commit("2026-03-03T08:00:00+08:00", "改姓名 (side)");
    r.git(&["checkout", "-q", "main"], None);
    // the merge takes the side branch's edit and keeps main's R-3
    r.git(
        &[
            "merge",
            "-q",
            "--no-ff",
            "-X",
            "theirs",
            "side",
            "-m",
            "merge side",
        ],
        Some("2026-03-03T20:00:00+08:00"),
    );
    let merged = std::fs::read_to_string(r.dir().join("reports.csv")).unwrap();
    assert!(merged.contains("张薇") && merged.contains("R-3"));
    let (code, f) = r.audit();
    assert_eq!(code, 1, "{f:?}");
    assert_eq!(f.len(), 1, "nothing else, nothing twice: {f:?}");
    let edits: Vec<_> = f.iter().filter(|x| x["kind"] == "edit").collect();
    assert_eq!(edits.len(), 1, "found once, at the side commit: {f:?}");
    assert_eq!(edits[0]["id"], "R-1");
    assert_eq!(edits[0]["subject"], "改姓名 (side)");
    let (_, out, _) = r.attrib(&["audit"]);
    assert!(out.contains("5 次提交"), "every commit walked: {out}");
}

#[test]
fn a_side_branch_merged_whole_is_audited_commit_by_commit() {
    let r = honest();
    r.git(&["checkout", "-q", "-b", "side"], None);
    let text = std::fs::read_to_string(r.dir().join("reports.csv")).unwrap();
    // a row back-dated a month on the side branch, then merged into main
    r.write(
        "reports.csv",
        &format!("{text}R-4,2026-02-01 09:00,链家,王五,赵六,13800000009\n"),
    );
    r.commit("2026-03-04T10:00:00+08:00", "补录 (side)");
    r.git(&["checkout", "-q", "main"], None);
    r.git(
        &["merge", "-q", "--no-ff", "side", "-m", "merge side"],
        Some("2026-03-05T10:00:00+08:00"),
    );
    let (code, f) = r.audit();
    assert_eq!(code, 1);
    let back: Vec<_> = f.iter().filter(|x| x["kind"] == "back-dated").collect();
    assert_eq!(back.len(), 1, "{f:?}");
    assert_eq!(
        (back[0]["id"].as_str(), back[0]["subject"].as_str()),
        (Some("R-4"), Some("补录 (side)"))
    );
}

#[test]
fn a_renamed_ledger_folder_is_followed() {
    let r = honest();
    r.git(&["mv", "ledger", "台账"], None);
    r.commit("2026-03-03T13:00:00+08:00", "改目录名");
    let moved = Repo {
        w: r.w,
        folder: "台账",
    };
    let (code, f) = moved.audit();
    assert_eq!(code, 0, "a rename alone changes nothing: {f:?}");
    let (_, out, _) = moved.attrib(&["audit"]);
    assert!(out.contains("审计通过: 4 次提交"), "{out}");
    let text = std::fs::read_to_string(moved.dir().join("reports.csv")).unwrap();
    moved.write(
        "reports.csv",
        &text.replace("R-1,2026-03-01 09:00,链家", "R-1,2026-03-01 09:00,我爱我家"),
    );
    moved.commit("2026-03-04T10:00:00+08:00", "改渠道");
    let (code, f) = moved.audit();
    assert_eq!(code, 1);
    assert_eq!(kinds(&f)[0], ("edit".into(), "R-1".into()));
}

#[test]
fn a_row_a_merge_drops_is_a_deletion_by_the_merge() {
    let r = honest();
    r.git(&["checkout", "-q", "-b", "side", "HEAD~1"], None);
    let text = std::fs::read_to_string(r.dir().join("reports.csv")).unwrap();
    r.write("reports.csv", &text.replace("王五,张伟", "王五,张薇"));
    r.commit("2026-03-03T08:00:00+08:00", "改姓名 (side)");
    r.git(&["checkout", "-q", "main"], None);
    // the side branch's file taken whole: main's R-3 is lost in the merge
    r.git(
        &[
            "merge",
            "-q",
            "--no-ff",
            "-s",
            "ours",
            "side",
            "-m",
            "merge side",
        ],
        Some("2026-03-03T20:00:00+08:00"),
    );
    r.git(
        &["checkout", "-q", "side", "--", "ledger/reports.csv"],
        None,
    );
    r.git(
        &["commit", "-q", "--amend", "--no-edit"],
        Some("2026-03-03T20:00:00+08:00"),
    );
    let (_, f) = r.audit();
    let found: Vec<_> = f
        .iter()
        .map(|x| {
            (
                x["kind"].as_str().unwrap(),
                x["id"].as_str().unwrap(),
                x["subject"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        found.contains(&("edit", "R-1", "改姓名 (side)")),
        "{found:?}"
    );
    assert!(
        found.contains(&("deletion", "R-3", "merge side")),
        "{found:?}"
    );
    assert!(!found.contains(&("edit", "R-1", "merge side")), "{found:?}");
}

/// Issue 18: `--mask` masks the phones inside audit's row texts (id, before, after) in JSON and
/// CSV too, for exports that leave the office; `check`'s CSV family column as well.
#[test]
fn mask_hides_phones_inside_audit_row_text_in_csv_and_json() {
    let r = honest();
    let text = std::fs::read_to_string(r.dir().join("reports.csv")).unwrap();
    r.write(
        "reports.csv",
        &text.replace("张伟,13800000001", "张伟,13800000009"),
    );
    r.commit("2026-03-04T10:00:00+08:00", "改号码 13800000009");
    for format in ["json", "csv"] {
        let (code, out, err) = r.attrib(&["--mask", "--format", format, "audit"]);
        assert_eq!(code, 1, "{err}");
        assert!(
            out.contains("138****0001") && out.contains("138****0009"),
            "{format}: {out}"
        );
        assert!(
            !out.contains("13800000009") && !out.contains("13800000001"),
            "{format}: a whole phone with --mask: {out}"
        );
    }
    let (_, out, _) = r.attrib(&["--mask", "--format", "csv", "check", "13800000009"]);
    assert!(!out.contains("13800000009"), "{out}");
    assert!(out.contains("138****0009"), "{out}");
}

/// R10.6: an outside deal (`via` ≠ `us`) is measured for back-dating from its `known_at`: a
/// bypass learned of weeks after the sale and entered that day is honest; one entered days after
/// it was learned is back-dated, and so is our own deal entered weeks after its signing (whose
/// commission lands in a settled month).
#[test]
fn an_outside_deal_is_back_dated_only_against_when_it_was_learned() {
    let r = honest();
    let head = "id,at,property,buyer,phone,price,via,known_at\n";
    let de1 = "DE-1,2026-02-01 10:00,海湖路88号,王强,13800000009,1000000,owner,2026-03-05 09:00\n";
    r.write("deals.csv", &format!("{head}{de1}"));
    r.commit("2026-03-05T10:00:00+08:00", "跳单 learned today");
    let (code, f) = r.audit();
    assert_eq!(code, 0, "{f:?}");
    let de2 = "DE-2,2026-02-01 10:00,海湖路9号,李娜,13800000008,900000,other,2026-03-01 09:00\n";
    let de3 = "DE-3,2026-02-01 10:00,海湖路7号,张伟,13800000007,800000,us,2026-03-06 09:00\n";
    r.write("deals.csv", &format!("{head}{de1}{de2}{de3}"));
    r.commit("2026-03-06T10:00:00+08:00", "补录");
    let (code, f) = r.audit();
    assert_eq!(code, 1);
    assert_eq!(
        kinds(&f),
        vec![
            ("back-dated".into(), "DE-2".into()),
            ("back-dated".into(), "DE-3".into()),
            // our commission on DE-3 is due at its signing, in February, already settled (DE-2
            // is not-viewed: no claim; DE-1's claim fell due in March, when it was learned)
            ("money-moved".into(), "2026-02 伟业".into())
        ]
    );
    assert_eq!(f[0]["before"], "2026-03-01T09:00:00+08:00", "{}", f[0]);
}
