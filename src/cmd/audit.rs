//! `attrib audit [--since REV]`: walks the ledger's git history for in-place edits and deletions,
//! back-dated rows, and verdicts (booking owners included) that flipped between consecutive commits (the walk is
//! `history`). Exit 1 when it found any (corrections by a void are listed but do not count), 2
//! when the folder is not in a git repository.

use super::Global;
use crate::history;
use crate::render::{self, Format};
use crate::settings::Settings;
use std::io::{IsTerminal, Write};

#[derive(clap::Args, Debug)]
pub struct AuditArgs {
    /// Audit only the commits after this revision.
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
}

pub fn run(g: &Global, a: AuditArgs) -> anyhow::Result<i32> {
    super::need_ledger(g)?;
    let dir = g.dir();
    if !crate::ledger::git::in_repository(&dir)? {
        // exit 2: an audit with no history to read is not a clean audit
        match g.lang.unwrap_or(crate::render::Lang::Zh) {
            crate::render::Lang::Zh => anyhow::bail!(
                "{} 不在 git 仓库中: 没有历史可审计, 什么也没有审计 (先 git init 并提交账本)",
                dir.display()
            ),
            crate::render::Lang::En => anyhow::bail!(
                "{} is not in a git repository: there is no history to audit, so nothing was audited (git init and commit the ledger first)",
                dir.display()
            ),
        }
    }
    if crate::ledger::git::shallow(&dir)? {
        // exit 2: the commits before the cut were never seen, so the history is not clean
        match g.lang.unwrap_or(crate::render::Lang::Zh) {
            crate::render::Lang::Zh => anyhow::bail!(
                "{} 所在仓库是浅克隆 (shallow clone): 早期提交缺失, 无法审计完整历史 (先 git fetch --unshallow)",
                dir.display()
            ),
            crate::render::Lang::En => anyhow::bail!(
                "the repository of {} is a shallow clone: its earlier commits are missing, so the history cannot be audited whole (git fetch --unshallow first)",
                dir.display()
            ),
        }
    }
    let config = history::head_config(&dir)?;
    let s = Settings::resolve(&g.asked(), config.as_ref())?;
    let terminal = std::io::stderr().is_terminal();
    let mut shown = false;
    let audit = history::audit(&dir, a.since.as_deref(), s.as_of, |n, total| {
        if terminal && total > 20 {
            eprint!("\raudit {n}/{total}");
            shown = true;
        }
    })?;
    if shown {
        eprintln!();
    }
    let out = &mut std::io::stdout().lock();
    match s.format {
        Format::Json => writeln!(out, "{}", render::audit::json(&audit.findings, &s.style()))?,
        Format::Csv => render::audit::csv(&audit.findings, &s.style(), out)?,
        Format::Table => writeln!(
            out,
            "{}",
            render::audit::table_text(&audit.findings, audit.commits, &s.style())
        )?,
    }
    Ok(if audit.tampered() { 1 } else { 0 })
}
