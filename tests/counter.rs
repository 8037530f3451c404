//! The clerk's counter (issue 14): Excel times, an `add` that can't be misused, `init`,
//! `channel`, tables that fit the terminal, and a newcomer's path.

mod common;
use common::Workdir;

#[test]
fn excel_times_are_read_in_files_and_in_at() {
    let w = Workdir::example("lingxiu");
    let dashed = w.run(&["--at", "2026-03-25 12:00", "check", "13900000001"]);
    let excel = w.run(&["--at", "2026/3/25 12:00", "check", "13900000001"]);
    let excel_s = w.run(&["--at", "2026/3/25 12:00:00", "check", "13900000001"]);
    assert_eq!(dashed.0, 0, "{}", dashed.2);
    assert_eq!(dashed, excel);
    assert_eq!(dashed, excel_s);

    let w = Workdir::new();
    w.write(
        "reports.csv",
        "id,at,channel,broker,client,phone\nR-1,2026/3/2 9:00,链家,王五,张伟,13800138000\n",
    );
    let (code, out, err) = w.run(&["--at", "2026/3/2 9:00:00", "--format", "json", "replay"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("\"at\": \"2026-03-02T09:00:00+08:00\""),
        "{out}"
    );

    let (code, _, err) = w.run(&["--at", "2026/3/2", "replay"]);
    assert_eq!(code, 2);
    assert!(err.contains("--at") && err.contains("2026/3/2"), "{err}");
}
