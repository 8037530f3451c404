//! The settings of one run, resolved once by the shell: each global option over what
//! `attrib.toml` says over the defaults. Every command reads its zone, as-of instant, language,
//! phone display and format from here, and nowhere else.

use crate::ledger::{config::DEFAULT_ZONE, fields::parse_time};
use crate::model::{Config, Time};
use crate::render::{Format, Lang, Style};
use chrono::FixedOffset;

/// What the global options asked for, before `attrib.toml` is read (None: not given).
#[derive(Clone, Copy, Debug)]
pub struct Asked<'a> {
    /// `--at`, as typed.
    pub at: Option<&'a str>,
    pub lang: Option<Lang>,
    pub format: Format,
    pub reveal: bool,
    pub mask: bool,
}

/// The resolved settings.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// The project zone (`[project] timezone`, else `DEFAULT_ZONE`): times written without an
    /// offset are read in it, and times are shown in it.
    pub zone: FixedOffset,
    /// The instant verdicts are judged as of: `--at` read in the zone, else now.
    pub as_of: Time,
    /// `--lang`, else `[project] lang`, else zh.
    pub lang: Lang,
    /// `--reveal`: phones shown whole in human output.
    pub reveal: bool,
    /// `--mask`: phones masked in CSV and JSON as well.
    pub mask: bool,
    /// `--format`.
    pub format: Format,
    /// The width human tables fit in, in display columns: the terminal's, else `COLUMNS`, else
    /// 80. `resolve` hands it to `render::set_width`.
    pub width: u16,
}

/// The clock: now, or `ATTRIB_NOW` when it is set (a fixed "now" for tests and for re-running a
/// day's `add`s; read in the project zone like `--at`).
pub const NOW_VAR: &str = "ATTRIB_NOW";

fn now(zone: FixedOffset) -> anyhow::Result<Time> {
    match std::env::var(NOW_VAR) {
        Ok(s) if !s.trim().is_empty() => parse_time(&s, zone).map_err(|e| worded(e, NOW_VAR)),
        _ => Ok(chrono::Utc::now().with_timezone(&zone)),
    }
}

/// A time that does not parse, named by where it came from, in the language errors are in.
fn worded(e: crate::model::FieldError, what: &str) -> anyhow::Error {
    if crate::render::errors::zh_errors() {
        anyhow::anyhow!("{what}: {}", crate::render::errors::field_zh(&e))
    } else {
        anyhow::Error::new(e).context(what.to_string())
    }
}

/// The width tables fit in: the terminal's when standard output is one, else `COLUMNS` (a
/// whole number of at least 20), else 80.
pub fn terminal_width() -> u16 {
    let columns = std::env::var("COLUMNS").ok();
    width_from(comfy_table::Table::new().width(), columns.as_deref())
}

fn width_from(terminal: Option<u16>, columns: Option<&str>) -> u16 {
    terminal
        .filter(|w| *w > 0)
        .or_else(|| columns?.trim().parse().ok().filter(|w| *w >= 20))
        .unwrap_or(80)
}

impl Settings {
    /// Resolves the options against the project's config (None: there is none to read, as
    /// before an audit's first commit; the defaults serve).
    pub fn resolve(asked: &Asked, config: Option<&Config>) -> anyhow::Result<Settings> {
        let zone = config.map_or(DEFAULT_ZONE, |c| c.timezone);
        let configured = config.and_then(|c| c.lang.as_deref()?.parse::<Lang>().ok());
        let as_of = match asked.at {
            Some(s) => parse_time(s, zone).map_err(|e| worded(e, "--at"))?,
            None => now(zone)?,
        };
        let width = terminal_width();
        crate::render::set_width(width);
        Ok(Settings {
            zone,
            as_of,
            lang: asked.lang.or(configured).unwrap_or(Lang::Zh),
            reveal: asked.reveal,
            mask: asked.mask,
            format: asked.format,
            width,
        })
    }

    /// How human output is written.
    pub fn style(&self) -> Style {
        Style {
            lang: self.lang,
            tz: self.zone,
            reveal: self.reveal,
            mask: self.mask,
            sealed: &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(at: Option<&str>, lang: Option<Lang>) -> Asked<'_> {
        Asked {
            at,
            lang,
            format: Format::Table,
            reveal: false,
            mask: false,
        }
    }

    fn config(timezone: &str, lang: &str) -> Config {
        crate::ledger::config::parse_config(&format!(
            "[project]\nname = \"P\"\ndeveloper = \"D\"\nagency = \"A\"\ntimezone = \"{timezone}\"\nlang = \"{lang}\"\n[fees]\ndeveloper_rate = \"1.0%\"\nagency_rate = \"1.8%\"\n"
        ))
        .unwrap()
    }

    #[test]
    fn options_win_over_the_config_which_wins_over_the_defaults() {
        let c = config("+09:00", "en");
        let s = Settings::resolve(&asked(Some("2026-03-01 09:30"), None), Some(&c)).unwrap();
        assert_eq!(s.lang, Lang::En, "the configured language");
        assert_eq!(s.zone.to_string(), "+09:00");
        assert_eq!(s.as_of.to_rfc3339(), "2026-03-01T09:30:00+09:00");
        let s = Settings::resolve(&asked(None, Some(Lang::Zh)), Some(&c)).unwrap();
        assert_eq!(s.lang, Lang::Zh, "--lang");
        let s = Settings::resolve(&asked(Some("2026-03-01 09:30"), None), None).unwrap();
        assert_eq!((s.lang, s.zone), (Lang::Zh, DEFAULT_ZONE));
        assert_eq!(s.as_of.to_rfc3339(), "2026-03-01T09:30:00+08:00");
    }

    #[test]
    fn the_width_is_the_terminal_s_else_columns_else_80() {
        assert_eq!(width_from(Some(120), Some("60")), 120);
        assert_eq!(width_from(None, Some("60")), 60);
        assert_eq!(width_from(None, Some(" 100 ")), 100);
        assert_eq!(width_from(None, Some("wide")), 80);
        assert_eq!(width_from(None, Some("5")), 80, "too narrow to mean it");
        assert_eq!(width_from(None, None), 80);
        assert_eq!(width_from(Some(0), None), 80);
    }

    #[test]
    fn a_bad_at_names_the_option() {
        let e = Settings::resolve(&asked(Some("tomorrow"), None), None).unwrap_err();
        assert!(format!("{e:#}").starts_with("--at: 「tomorrow」"), "{e:#}");
    }
}
