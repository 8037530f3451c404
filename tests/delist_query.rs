//! R13 delistings and R14 query slips through the command line: `add` writes their files (not
//! made by `init`), `check` exits 1 for a delisted client and seals its phones in the table even
//! with `--reveal` (not in JSON), and names the query slip that confirmed a buyer's name.

mod common;
use common::Workdir;

const AS_OF: &str = "2026-04-30 18:00";

/// `attrib add …` with the clock (ATTRIB_NOW) at the record's own `--at`: neither future nor late.
fn add(w: &Workdir, args: &[&str]) {
    let at = args.iter().position(|a| *a == "--at").map(|i| args[i + 1]);
    let (code, _, err) = w.run_now(at.expect("every add here gives --at"), args);
    assert_eq!(code, 0, "{args:?}: {err}");
}

#[test]
fn a_delisted_client_is_refused_and_sealed() {
    let w = Workdir::new();
    assert!(
        !w.file("delistings.csv").exists(),
        "init writes only R1–R9 files"
    );
    add(
        &w,
        &[
            "add",
            "contact",
            "--kind",
            "visit",
            "--phone",
            "13700000003",
            "--client",
            "赵磊",
            "--at",
            "2026-04-01 10:00",
        ],
    );
    let (code, out, _) = w.run(&["--at", AS_OF, "--reveal", "check", "13700000003"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("13700000003"));
    add(
        &w,
        &[
            "add",
            "delisting",
            "--phone",
            "13700000003",
            "--votes-for",
            "4",
            "--leaders",
            "7",
            "--reason",
            "attack",
            "--at",
            "2026-04-10 10:00",
        ],
    );
    let (code, out, _) = w.run(&["--at", AS_OF, "--reveal", "check", "13700000003"]);
    assert_eq!(code, 1, "a delisted client's booking is an error");
    assert!(
        out.contains("已封存") && !out.contains("13700000003"),
        "{out}"
    );
    let (_, out, _) = w.run(&["--at", AS_OF, "--format", "json", "check", "13700000003"]);
    assert!(
        out.contains("\"13700000003\"") && out.contains("delisted-client"),
        "{out}"
    );
    // a delisting needs one of the four grounds: nothing is written otherwise
    let before = w.read("delistings.csv");
    let (code, _, err) = w.run(&[
        "add",
        "delisting",
        "--phone",
        "13700000003",
        "--votes-for",
        "4",
        "--leaders",
        "7",
        "--reason",
        "rude",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("「rude」不是可选值之一: credit, brand_misuse, attack, breach"),
        "{err}"
    );
    assert_eq!(w.read("delistings.csv"), before);
}

#[test]
fn check_names_the_query_slip_that_confirmed_the_buyer() {
    let w = Workdir::new();
    add(
        &w,
        &[
            "add",
            "contact",
            "--kind",
            "visit",
            "--phone",
            "13700000004",
            "--client",
            "张伟",
            "--at",
            "2026-04-01 10:00",
        ],
    );
    let (_, out, _) = w.run(&[
        "--at",
        AS_OF,
        "--format",
        "json",
        "check",
        "13700000004",
        "--name",
        "张薇",
    ]);
    assert!(
        out.contains("name-mismatch") && !out.contains("\"query\""),
        "{out}"
    );
    let mut args = vec![
        "add",
        "query",
        "--phone",
        "13700000004",
        "--client",
        "张薇",
        "--first",
        "no",
        "--class",
        "agency",
        "--at",
        "2026-04-02 10:00",
    ];
    for flag in [
        "--client-signature",
        "--consultant",
        "--qa",
        "--agency-manager",
        "--agency-head",
        "--developer-manager",
        "--developer-head",
    ] {
        args.extend([flag, "签"]);
    }
    add(&w, &args);
    let (_, out, _) = w.run(&[
        "--at",
        AS_OF,
        "--format",
        "json",
        "check",
        "13700000004",
        "--name",
        "张 薇",
    ]);
    assert!(
        !out.contains("name-mismatch") && out.contains("\"query\": \"Q-001\""),
        "{out}"
    );
    let (_, out, _) = w.run(&["--at", AS_OF, "check", "13700000004", "--name", "张薇"]);
    assert!(
        out.contains("客户属别查询单") && out.contains("Q-001"),
        "{out}"
    );
}
