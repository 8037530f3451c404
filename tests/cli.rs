//! Completions, man page, and CSV outputs that cannot attack a spreadsheet.

mod common;
use common::Workdir;

#[test]
fn bash_completions_load_in_bash() {
    let w = Workdir::empty();
    let (code, script, _) = w.run(&["completions", "bash"]);
    assert_eq!(code, 0);
    w.write("attrib.bash", &script);
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {} && complete -p attrib",
            w.file("attrib.bash").display()
        ))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("_attrib attrib"));
    assert!(script.contains("settle") && script.contains("--month"));
}

#[test]
fn zsh_and_fish_completions_and_the_man_page_are_generated() {
    let w = Workdir::empty();
    for shell in ["zsh", "fish"] {
        let (code, out, _) = w.run(&["completions", shell]);
        assert_eq!(code, 0);
        assert!(out.contains("check"), "{shell}");
    }
    let (code, man, _) = w.run(&["man"]);
    assert_eq!(code, 0);
    assert!(
        man.starts_with(".ie") && man.contains(".TH attrib 1"),
        "{man}"
    );
}

#[test]
fn csv_cells_that_look_like_formulas_are_neutralized() {
    let w = Workdir::new();
    w.write("reports.csv", "id,at,channel,broker,client,phone\nR-1,2026-03-01 09:00,链家,\"=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",@SUM(A1),13800138000\n");
    w.write("contacts.csv", "id,at,kind,phone,channel,broker,slip\nC-1,2026-03-02 10:00,visit,13800138000,链家,+cmd|' /C calc'!A0,-S1\n");
    w.write("bookings.csv", "id,at,unit,buyer,phone,list_price,price\nB-1,2026-03-05 10:00,=1+1,-张伟,13800138000,2000000,1990000\n");
    w.write(
        "violations.csv",
        "id,at,kind,channel\nV-1,2026-03-06 10:00,false_info,链家\n",
    );
    let (code, replay, err) = w.run(&["--at", "2026-04-01 00:00", "--format", "csv", "replay"]);
    assert_eq!(code, 0, "{err}");
    assert!(replay.contains("'=HYPERLINK"), "{replay}");
    assert!(replay.contains("'+cmd"), "{replay}");
    assert!(
        !replay.contains(",=HYPERLINK") && !replay.contains(",\"=HYPERLINK"),
        "{replay}"
    );
    let (_, settle, _) = w.run(&[
        "--at",
        "2026-04-01 00:00",
        "--format",
        "csv",
        "settle",
        "--month",
        "2026-03",
    ]);
    assert!(settle.contains(",'=1+1,'-张伟,"), "{settle}");
    assert!(
        settle.contains(",-5000.00,"),
        "negative amounts stay numbers: {settle}"
    );
    let (_, check, _) = w.run(&[
        "--at",
        "2026-03-03 00:00",
        "--format",
        "csv",
        "check",
        "13800138000",
    ]);
    assert!(check.contains("'+cmd"), "{check}");
}
