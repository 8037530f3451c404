//! `attrib channel add NAME --commission 1.0%` and `attrib channel list`: the channels of
//! `attrib.toml`. `add` edits the file with `toml_edit`, which keeps every comment and the layout;
//! the new `[[channel]]` goes after the last one.

use super::Global;
use crate::ledger::config::{CONFIG_FILE, parse_config};
use crate::model::Commission;
use crate::render::Lang;
use anyhow::{Context, bail};
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

#[derive(clap::Args, Debug)]
pub struct ChannelArgs {
    #[command(subcommand)]
    pub action: ChannelAction,
}

#[derive(clap::Subcommand, Debug)]
pub enum ChannelAction {
    /// Add a channel 渠道 to attrib.toml (its comments and layout are kept).
    Add {
        /// The channel's name, as reports and visits will write it (链家).
        name: String,
        /// A rate of the price ("1.0%") or a fixed amount per booking ("20000").
        #[arg(long, value_name = "RATE|AMOUNT")]
        commission: String,
    },
    /// The channels of attrib.toml with their commissions.
    List,
}

pub fn run(g: &Global, a: ChannelArgs) -> anyhow::Result<i32> {
    super::need_ledger(g)?;
    let dir = g.dir();
    let path = dir.join(CONFIG_FILE);
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let config = parse_config(&text).map_err(|errors| {
        super::print_errors(&errors);
        if crate::render::errors::zh_errors() {
            return anyhow::anyhow!("{CONFIG_FILE} 有 {} 处错误; 未修改", errors.len());
        }
        anyhow::anyhow!(
            "{CONFIG_FILE} has {} error(s); nothing was changed",
            errors.len()
        )
    })?;
    let lang = g.settings(&config)?.lang;
    match a.action {
        ChannelAction::Add { name, commission } => {
            let _lock = crate::ledger::append::lock(&dir, std::time::Duration::from_secs(30))?;
            let new = add_channel(&text, &name, &commission, lang)?;
            let tmp = dir.join(format!(".{CONFIG_FILE}.new"));
            std::fs::write(&tmp, &new).with_context(|| format!("writing {}", tmp.display()))?;
            std::fs::rename(&tmp, &path)
                .with_context(|| format!("replacing {}", path.display()))?;
            match lang {
                Lang::Zh => say!("已添加渠道 {name}, 佣金 {commission} ({CONFIG_FILE})")?,
                Lang::En => say!("added channel {name}, commission {commission} ({CONFIG_FILE})")?,
            }
        }
        ChannelAction::List => {
            let header = match lang {
                Lang::Zh => vec!["渠道", "佣金"],
                Lang::En => vec!["channel", "commission"],
            };
            let mut t = crate::render::table(header);
            for c in &config.channels {
                let commission = match &c.commission {
                    Commission::Rate(r) => r.text.clone(),
                    Commission::Fixed { text, .. } => match lang {
                        Lang::Zh => format!("{text} 元/套"),
                        Lang::En => format!("{text} per booking"),
                    },
                };
                t.add_row(vec![c.name.clone(), commission]);
            }
            say!("{t}")?;
        }
    }
    Ok(0)
}

/// `text` (an attrib.toml) with one more `[[channel]]` after the last one, everything else as
/// it was. Refuses a name already listed and a commission that is neither a rate nor an amount
/// (the whole new file must parse as a config).
pub fn add_channel(text: &str, name: &str, commission: &str, lang: Lang) -> anyhow::Result<String> {
    let zh = lang == Lang::Zh;
    let name = name.trim();
    let commission = commission.trim();
    if name.is_empty() {
        bail!(match zh {
            true => "渠道名称不能为空 — 例: attrib channel add 链家 --commission 1.0%",
            false => "the channel's name is empty — e.g. attrib channel add 链家 --commission 1.0%",
        });
    }
    let mut doc: DocumentMut = text
        .parse()
        .with_context(|| format!("{CONFIG_FILE} is not valid TOML"))?;
    let before = doc
        .get("reserved")
        .and_then(Item::as_table)
        .and_then(Table::position);
    let channels = doc
        .entry("channel")
        .or_insert(Item::ArrayOfTables(ArrayOfTables::new()));
    let Some(channels) = channels.as_array_of_tables_mut() else {
        bail!("{CONFIG_FILE}: `channel` is not a list of [[channel]] tables");
    };
    if channels
        .iter()
        .any(|t| t.get("name").and_then(Item::as_str).map(str::trim) == Some(name))
    {
        match zh {
            true => bail!("渠道 「{name}」 已在 {CONFIG_FILE} 中; 未修改"),
            false => bail!("channel 「{name}」 is already in {CONFIG_FILE}; nothing was changed"),
        }
    }
    let mut t = Table::new();
    t.decor_mut().set_prefix("\n");
    t.insert("name", value(name));
    t.insert("commission", value(commission));
    if channels.is_empty() {
        // the first channel goes before [reserved], where the template keeps channels
        t.set_position(before.map(|p| p - 1));
    }
    channels.push(t);
    let new = doc.to_string();
    if let Err(errors) = parse_config(&new) {
        let why: Vec<String> = errors.iter().map(ToString::to_string).collect();
        match zh {
            true => bail!(
                "--commission 「{commission}」: {} — 例: --commission 1.0% (比例) 或 --commission 20000 (每套固定金额); 未修改",
                why.join("; ")
            ),
            false => bail!(
                "--commission 「{commission}」: {} — e.g. --commission 1.0% (a rate) or --commission 20000 (per booking); nothing was changed",
                why.join("; ")
            ),
        }
    }
    Ok(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML: &str = "# 配置\n[project]\nname = \"P\" # 项目\ndeveloper = \"D\"\nagency = \"A\"\n\n[fees]\ndeveloper_rate = \"1.0%\"\nagency_rate = \"1.8%\"\n\n[[channel]]\nname = \"链家\"    # 渠道\ncommission = \"1.0%\"\n\n[reserved]\nunits = [] # 自留\n";

    #[test]
    fn a_channel_goes_after_the_last_one_keeping_every_comment() {
        let new = add_channel(TOML, "我爱我家", "20000", Lang::Zh).unwrap();
        assert_eq!(
            new,
            TOML.replace(
                "commission = \"1.0%\"\n",
                "commission = \"1.0%\"\n\n[[channel]]\nname = \"我爱我家\"\ncommission = \"20000\"\n"
            )
        );
    }

    #[test]
    fn the_first_channel_goes_before_reserved() {
        let none = TOML.replace(
            "[[channel]]\nname = \"链家\"    # 渠道\ncommission = \"1.0%\"\n\n",
            "",
        );
        let new = add_channel(&none, "链家", "1.0%", Lang::Zh).unwrap();
        assert!(
            new.contains("agency_rate = \"1.8%\"\n\n[[channel]]\nname = \"链家\"\ncommission = \"1.0%\"\n\n[reserved]\n"),
            "{new}"
        );
    }

    #[test]
    fn duplicates_and_bad_commissions_are_refused() {
        let e = add_channel(TOML, " 链家 ", "2%", Lang::Zh).unwrap_err();
        assert_eq!(e.to_string(), "渠道 「链家」 已在 attrib.toml 中; 未修改");
        let e = add_channel(TOML, "贝壳", "lots", Lang::En).unwrap_err();
        assert!(e.to_string().starts_with("--commission 「lots」: "), "{e}");
    }
}
