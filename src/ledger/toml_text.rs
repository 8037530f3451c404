//! A kind's TOML file: `[[table]]`s read into cells in schema order, each with its line.

use super::config::value_text;
use super::error::{Col, ErrorKind, LedgerError, Said};
use super::schema::unknown_column;
use crate::model::Kind;
use std::borrow::Cow;

/// A table's line and cells, and the file's errors (for the record's own).
pub type Take<'f> = &'f mut dyn FnMut(u32, &[Cow<str>], &mut Vec<LedgerError>);

/// Each `[[table]]` of a kind's TOML file to `take`, with its line and its values as cells in
/// schema order (a local date-time written without quotes reads as its text); errors of the file
/// and of keys go to `errors`.
pub fn rows(name: &str, text: &str, kind: Kind, errors: &mut Vec<LedgerError>, take: Take<'_>) {
    let schema = kind.columns();
    let table: toml::Table = match toml::from_str(text) {
        Ok(t) => t,
        Err(e) => return errors.push(LedgerError::toml(name, text, &e)),
    };
    let singular = kind.singular();
    for key in table.keys().filter(|k| *k != singular) {
        errors.push(LedgerError::file(
            name,
            ErrorKind::Syntax(Said::new(
                format!(
                    "「{key}」 is not [[{singular}]]; this file holds only [[{singular}]] tables"
                ),
                format!("「{key}」不是 [[{singular}]]; 这个文件只放 [[{singular}]] 表"),
            )),
        ));
    }
    let Some(items) = table.get(singular) else {
        return;
    };
    let Some(items) = items.as_array() else {
        return errors.push(LedgerError::file(
            name,
            ErrorKind::Syntax(Said::new(
                format!("{singular} must be written as [[{singular}]] tables"),
                format!("{singular} 要写成 [[{singular}]] 表"),
            )),
        ));
    };
    let lines = table_lines(text, singular);
    for (n, item) in items.iter().enumerate() {
        let line = lines.get(n).copied().unwrap_or(0);
        let Some(t) = item.as_table() else { continue };
        let mut values: Vec<Option<String>> = vec![None; schema.len()];
        let mut bad = false;
        for (k, v) in t {
            match schema.iter().position(|c| c.name == k) {
                Some(i) => match value_text(v) {
                    Some(s) => values[i] = Some(local_toml_datetime(v, s)),
                    None => {
                        bad = true;
                        errors.push(LedgerError {
                            file: name.into(),
                            line,
                            col: Some(Col::Key(k.clone())),
                            kind: ErrorKind::Syntax(Said::new(
                                "must be a string or a number",
                                "要写成文字或数字",
                            )),
                        });
                    }
                },
                None => {
                    bad = true;
                    errors.push(unknown_column(name, line, kind, k));
                }
            }
        }
        if bad {
            continue;
        }
        let cells: Vec<Cow<str>> = (values.iter())
            .map(|v| Cow::Borrowed(v.as_deref().unwrap_or("")))
            .collect();
        take(line, &cells, errors);
    }
}

/// A TOML local date-time (`2026-03-01T09:30:00`, no offset) is a local time in the project zone.
fn local_toml_datetime(v: &toml::Value, s: String) -> String {
    match v {
        toml::Value::Datetime(d) if d.offset.is_none() && d.time.is_some() => {
            s.replacen('T', " ", 1)
        }
        _ => s,
    }
}

/// Line numbers of each `[[table]]` header in a TOML text, in order.
pub fn table_lines(text: &str, table: &str) -> Vec<u32> {
    let header = format!("[[{table}]]");
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let l = l.trim_start();
            l.strip_prefix(&header)
                .is_some_and(|rest| rest.trim().is_empty() || rest.trim_start().starts_with('#'))
        })
        .map(|(i, _)| i as u32 + 1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_table_lines_skip_comments() {
        let text = "# [[report]]\n[[report]]\nid = \"a\"\n\n[[report]] # second\nid = \"b\"\n";
        assert_eq!(table_lines(text, "report"), vec![2, 5]);
    }

    #[test]
    fn a_syntax_error_is_placed_on_its_own_line() {
        let mut errors = vec![];
        rows(
            "voids.toml",
            "[[void]]\nid = \"X-1\"\n!at = 3\n",
            Kind::Void,
            &mut errors,
            &mut |_, _, _| {},
        );
        assert_eq!(errors[0].line, 3, "{errors:?}");
    }
}
