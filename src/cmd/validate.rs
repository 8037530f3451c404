//! `attrib validate`: parse everything, check references, list every error.

use super::{Global, print_errors_capped, read_files};
use crate::ledger;
use crate::settings::{Asked, Settings};

#[derive(clap::Args, Debug)]
pub struct ValidateArgs {
    /// Show every error (by default one error repeated more than 20 times in a file is shown 20
    /// times, then counted).
    #[arg(long)]
    pub all: bool,
}

pub fn run(g: &Global, a: ValidateArgs) -> anyhow::Result<i32> {
    let files = read_files(g, None)?;
    let warnings = ledger::schema::invisible_chars(&files);
    for w in warnings.iter().chain(&ledger::schema::padded_keys(&files)) {
        super::warn(w);
    }
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
            print_errors_capped(&errors, a.all);
            let n = errors.len();
            let said =
                crate::render::errors::pick(format!("共 {n} 处错误"), format!("{n} error(s)"));
            eprintln!("{said}");
            Ok(1)
        }
    }
}
