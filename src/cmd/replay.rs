//! `attrib replay`: every record's verdict in evaluation order (the auditor's view), or those
//! the filters pick. Written a verdict at a time: a million rows are never one string.

use super::{Global, open};
use crate::ledger::fields::parse_phone;
use crate::render::{self, Format};
use crate::rules::select::{self, Select, SelectError};
use crate::rules::verdict::Verdict;
use crate::rules::{self, Scope};

#[derive(clap::Args, Debug)]
pub struct ReplayArgs {
    /// Read the ledger as it stood at this git revision.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
    /// Only the records of this phone's family (as it stands at the as-of time).
    #[arg(long, value_name = "PHONE")]
    pub phone: Option<String>,
    /// Only the records naming this channel (a channel of attrib.toml).
    #[arg(long, value_name = "NAME")]
    pub channel: Option<String>,
    /// Only this kind of record: report, booking, … or 报备, 认购, …; a contact's call, visit or
    /// followup (来电, 来访, 回访).
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Only this verdict: its code (held-by-report) or its Chinese label (撞单).
    #[arg(long, value_name = "VERDICT")]
    pub verdict: Option<String>,
    /// Only records at or after this time; a day (2026-03-05) or a month (2026-03) from its
    /// start.
    #[arg(long, value_name = "TIME|DAY|MONTH")]
    pub from: Option<String>,
    /// Only records at or before this time; a day or a month to its end.
    #[arg(long, value_name = "TIME|DAY|MONTH")]
    pub to: Option<String>,
}

pub fn run(g: &Global, a: ReplayArgs) -> anyhow::Result<i32> {
    use std::io::Write as _;
    let phone = (a.phone.as_deref())
        .map(|p| parse_phone(p).map_err(|e| phone_error(e, p)))
        .transpose()?;
    let ledger = open(g, a.rev.as_deref())?;
    let s = g.settings(&ledger.config)?;
    let select = selection(&a, &s, ledger).map_err(worded)?;
    let style = s.style();
    let scope = match phone {
        Some(p) => Scope::Family(p),
        None => Scope::All,
    };
    let shown = Shown {
        ledger,
        as_of: s.as_of,
        scope,
        select: &select,
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match s.format {
        Format::Table => {
            // R13.2: delisted families' phones are sealed in human output; which ones is known
            // once the ledger is judged, so a ledger that may seal is judged once more first
            let sealed = match rules::delist::may_seal(ledger) {
                true => rules::delist::sealed_phones(&rules::evaluate_each(
                    ledger,
                    s.as_of,
                    scope,
                    &mut |_| {},
                )),
                false => vec![],
            };
            let style = render::Style {
                sealed: Box::leak(sealed.into_boxed_slice()),
                ..style
            };
            if ledger.config.mode == crate::model::Mode::VisitFirst {
                writeln!(out, "{}", render::replay::mode_line(&style))?;
            }
            render::replay::write_table(&shown, &style, usize::from(s.width), &mut out)?
        }
        Format::Json => render::replay::write_json(&shown, &style, &mut out)?,
        Format::Csv => render::replay::write_csv(&shown, &style, &mut out)?,
    }
    std::io::Write::flush(&mut out)?;
    Ok(0)
}

/// The filters given, read against the ledger's words.
fn selection(
    a: &ReplayArgs,
    s: &crate::settings::Settings,
    ledger: &crate::model::Ledger,
) -> Result<Select, SelectError> {
    let zh = render::Style {
        lang: render::Lang::Zh,
        ..s.style()
    };
    let (from, before) = select::parse_range(a.from.as_deref(), a.to.as_deref(), s.zone)?;
    Ok(Select {
        kind: a.kind.as_deref().map(select::parse_kind).transpose()?,
        code: (a.verdict.as_deref())
            .map(|v| select::parse_code(v, &|c| zh.code(c)))
            .transpose()?,
        channel: (a.channel.as_deref())
            .map(|c| select::parse_channel(c, &ledger.config))
            .transpose()?,
        from,
        before,
    })
}

/// A filter's error in the language errors are in.
fn worded(e: SelectError) -> anyhow::Error {
    match render::errors::zh_errors() {
        true => anyhow::anyhow!(render::errors::select_zh(&e)),
        false => anyhow::Error::new(e),
    }
}

/// `--phone`'s error, named, in the language errors are in.
fn phone_error(e: crate::model::FieldError, _: &str) -> anyhow::Error {
    match render::errors::zh_errors() {
        true => anyhow::anyhow!("--phone: {}", render::errors::field_zh(&e)),
        false => anyhow::Error::new(e).context("--phone"),
    }
}

/// The verdicts the filters pick, handed on by the engine as it judges them: a million rows'
/// verdicts are never held at once.
struct Shown<'a> {
    ledger: &'a crate::model::Ledger,
    as_of: crate::model::Time,
    scope: Scope,
    select: &'a Select,
}

impl render::replay::Verdicts for Shown<'_> {
    fn each<R: Send>(&self, map: &(dyn Fn(Verdict) -> Option<R> + Sync), each: &mut dyn FnMut(R)) {
        let shown = |v: Verdict| self.select.keeps(&v, self.ledger).then(|| map(v)).flatten();
        rules::evaluate_map(self.ledger, self.as_of, self.scope, &shown, each);
    }
}
