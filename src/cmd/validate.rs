//! `attrib validate`: parse everything, check references, list every error.

use super::{Global, print_errors, read_files};
use crate::ledger;
use crate::settings::{Asked, Settings};

pub fn run(g: &Global) -> anyhow::Result<i32> {
    let files = read_files(g, None)?;
    match ledger::load(&files) {
        Ok(l) => {
            super::note_encodings(&l);
            let n = l.rows();
            // validate judges nothing as of a time: `--at` is not read
            let asked = Asked {
                at: None,
                ..g.asked()
            };
            let style = Settings::resolve(&asked, Some(&l.config))?.style();
            say!(
                "{}",
                style.pick(
                    &format!("账本无误: {n} 条记录"),
                    &format!("ok: {n} records")
                )
            )?;
            Ok(0)
        }
        Err(errors) => {
            print_errors(&errors);
            eprintln!("{} error(s)", errors.len());
            Ok(1)
        }
    }
}
