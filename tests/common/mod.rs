//! A work folder for one test: a small ledger on disk and the real `attrib` binary run on it
//! (in the manner of xsv's tests/workdir.rs).
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub const CONFIG: &str = r#"[project]
name = "测试项目"
developer = "甲方"
agency = "伟业"
timezone = "+08:00"

[fees]
developer_rate = "1.0%"
agency_rate = "1.8%"
discount_floor = "0.92"
approval_below = "0.98"

[penalties]
unit_agency_fee = "30000"

[[channel]]
name = "链家"
commission = "1.0%"

[[channel]]
name = "我爱我家"
commission = "20000"
"#;

pub struct Workdir {
    dir: tempfile::TempDir,
}

impl Workdir {
    /// An empty folder.
    pub fn empty() -> Workdir {
        Workdir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A ledger with the test config and no records.
    pub fn new() -> Workdir {
        let w = Workdir::empty();
        w.write("attrib.toml", CONFIG);
        w
    }

    /// A copy of an example ledger shipped in `ledger-examples/`.
    pub fn example(name: &str) -> Workdir {
        let w = Workdir::empty();
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("ledger-examples")
            .join(name);
        for entry in std::fs::read_dir(src).expect("example exists") {
            let p = entry.unwrap().path();
            std::fs::copy(&p, w.path().join(p.file_name().unwrap())).unwrap();
        }
        w
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, text: &str) {
        std::fs::write(self.file(name), text).expect("write");
    }

    pub fn write_bytes(&self, name: &str, bytes: &[u8]) {
        std::fs::write(self.file(name), bytes).expect("write");
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.file(name)).expect("read")
    }

    /// Every file of the folder with its bytes, to compare before and after.
    pub fn snapshot(&self) -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<_> = std::fs::read_dir(self.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file() && !p.ends_with(".attrib.lock"))
            .map(|p| {
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    }

    /// `attrib -C <this folder> ARGS…`, with no ATTRIB_LEDGER or ATTRIB_NOW from the
    /// environment, and tables 80 columns wide (`COLUMNS=80`; standard output is a pipe, so the
    /// real terminal never counts).
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("attrib").expect("binary");
        c.env_remove("ATTRIB_LEDGER")
            .env_remove("ATTRIB_NOW")
            .env("COLUMNS", "80")
            .arg("-C")
            .arg(self.path())
            .args(args);
        c
    }

    /// Runs and returns (exit code, stdout, stderr).
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        Workdir::output(self.cmd(args))
    }

    /// Runs with the clock at `now` (`ATTRIB_NOW`): `add` judges its record's time against it.
    pub fn run_now(&self, now: &str, args: &[&str]) -> (i32, String, String) {
        let mut c = self.cmd(args);
        c.env("ATTRIB_NOW", now);
        Workdir::output(c)
    }

    fn output(mut c: Command) -> (i32, String, String) {
        let out = c.output().expect("runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}
