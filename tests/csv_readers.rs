//! The loader's quote-free CSV path (rows cut at newlines and commas, cells trimmed by
//! `fields::trim`'s shortcut) held to the csv crate's path on whole files: the same files, once
//! as written and once with every cell of the body quoted (a quote anywhere after the header
//! sends the file to the csv crate), must load to the same ledger.

mod common;

use attrib::ledger::{Files, load};
use proptest::prelude::*;

/// One cell's text: a few spellings of each value, with spaces or tabs around it.
fn padded(values: &'static [&'static str]) -> impl Strategy<Value = String> {
    (proptest::sample::select(values), "[ \t]{0,2}", "[ \t]{0,2}")
        .prop_map(|(v, before, after)| format!("{before}{v}{after}"))
}

/// A free-text cell: anything but the separators and quotes (Chinese, spaces, tabs included).
fn text() -> impl Strategy<Value = String> {
    "[a-z 张伟李娜\t;:|·、。]{0,8}"
}

/// A contacts.csv row, by column name.
fn contact() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    (
        padded(&[
            "2026-03-01 09:30",
            "2026-03-02 09:05:30",
            "2026-03-01T09:30:00+08:00",
        ]),
        padded(&["call", "visit", "followup"]),
        padded(&[
            "13800000001",
            "138-0000-0002",
            "+86 138 0000 0003",
            "008613800000004",
        ]),
        text(),
        text(),
        proptest::option::of(padded(&["孙睿", "任总"])),
        text(),
    )
        .prop_map(|(at, kind, phone, client, consultant, confirmed, note)| {
            vec![
                ("at", at),
                ("kind", kind),
                ("phone", phone),
                ("client", client),
                ("consultant", consultant),
                ("confirmed_by", confirmed.unwrap_or_default()),
                ("note", note),
            ]
        })
}

/// A reports.csv row, by column name.
fn report() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    (
        padded(&[
            "2026-03-01 09:30",
            "2026-03-12 19:00",
            "2026-03-01T09:30:00+08:00",
        ]),
        padded(&["链家", "我爱我家"]),
        padded(&["王五", "赵六"]),
        padded(&["张伟", "李 娜"]),
        padded(&["13800000001", "138 0000 0002"]),
        text(),
    )
        .prop_map(|(at, channel, broker, client, phone, note)| {
            vec![
                ("at", at),
                ("channel", channel),
                ("broker", broker),
                ("client", client),
                ("phone", phone),
                ("note", note),
            ]
        })
}

/// How a file is laid out: byte-order mark, CRLF, a newline after the last row, blank lines.
#[derive(Clone, Copy, Debug)]
struct Layout {
    bom: bool,
    crlf: bool,
    last_newline: bool,
    blank_every: usize,
}

fn layout() -> impl Strategy<Value = Layout> {
    (any::<bool>(), any::<bool>(), any::<bool>(), 0usize..4).prop_map(
        |(bom, crlf, last_newline, blank_every)| Layout {
            bom,
            crlf,
            last_newline,
            blank_every,
        },
    )
}

/// The file's text: a header (columns in the given order, `id` first) and one line per row;
/// with `quoted`, every cell of the body in quotes.
fn file(
    prefix: &str,
    columns: &[&str],
    rows: &[Vec<(&'static str, String)>],
    layout: Layout,
    quoted: bool,
) -> Vec<u8> {
    let nl = if layout.crlf { "\r\n" } else { "\n" };
    let mut lines = vec![columns.join(",")];
    for (n, row) in rows.iter().enumerate() {
        if layout.blank_every > 0 && n % layout.blank_every == 0 {
            lines.push(String::new());
        }
        let cell = |c: &str| -> String {
            let v = match c {
                "id" => format!("{prefix}{n}"),
                _ => row.iter().find(|(k, _)| *k == c).unwrap().1.clone(),
            };
            if quoted { format!("\"{v}\"") } else { v }
        };
        lines.push(
            columns
                .iter()
                .map(|c| cell(c))
                .collect::<Vec<_>>()
                .join(","),
        );
    }
    let mut text = lines.join(nl);
    if layout.last_newline {
        text.push_str(nl);
    }
    let mut bytes = if layout.bom {
        b"\xEF\xBB\xBF".to_vec()
    } else {
        vec![]
    };
    bytes.extend(text.into_bytes());
    bytes
}

type Rows = Vec<Vec<(&'static str, String)>>;

fn ledger(
    contacts: &(Vec<&str>, Rows),
    reports: &(Vec<&str>, Rows),
    l: Layout,
    quoted: bool,
) -> Files {
    let mut files = Files::new();
    files.insert("attrib.toml".into(), common::CONFIG.as_bytes().to_vec());
    files.insert(
        "contacts.csv".into(),
        file("C", &contacts.0, &contacts.1, l, quoted),
    );
    files.insert(
        "reports.csv".into(),
        file("R", &reports.0, &reports.1, l, quoted),
    );
    files
}

fn columns(names: &'static [&'static str]) -> impl Strategy<Value = Vec<&'static str>> {
    Just(names.to_vec()).prop_shuffle()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn whole_files_load_alike_by_the_plain_reader_and_the_csv_crate(
        contacts in (
            columns(&["id", "at", "kind", "phone", "client", "consultant", "confirmed_by", "note"]),
            proptest::collection::vec(contact(), 0..10),
        ),
        reports in (
            columns(&["id", "at", "channel", "broker", "client", "phone", "note"]),
            proptest::collection::vec(report(), 0..10),
        ),
        layout in layout(),
    ) {
        let plain = load(&ledger(&contacts, &reports, layout, false));
        let quoted = load(&ledger(&contacts, &reports, layout, true));
        let plain = plain.map_err(|e| format!("{e:?}"));
        prop_assert!(plain.is_ok(), "every generated row is valid: {:?}", plain.err());
        let quoted = quoted.map_err(|e| format!("{e:?}"));
        prop_assert_eq!(format!("{plain:?}"), format!("{quoted:?}"));
        let l = plain.unwrap();
        prop_assert_eq!((l.contacts.len(), l.reports.len()), (contacts.1.len(), reports.1.len()));
    }
}
