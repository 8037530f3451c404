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
