//! `attrib init [DIR] --project P --developer D --agency A [--channel NAME=COMMISSION …]`: a
//! commented attrib.toml with the project's own names (asked for in a terminal when not given),
//! the empty files of R1–R9 with their headers, `git init` when the folder is not in a
//! repository yet; then what it made and the next three commands.

use super::Global;
use crate::ledger::config::CONFIG_FILE;
use crate::ledger::schema::file_names;
use crate::model::Kind;
use crate::render::Lang;
use anyhow::{Context, bail};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct InitArgs {
    /// Where to create the ledger (default: -C or the current folder).
    pub dir: Option<PathBuf>,
    /// The project's name 项目名称.
    #[arg(long, value_name = "NAME")]
    pub project: Option<String>,
    /// The developer 甲方.
    #[arg(long, value_name = "NAME")]
    pub developer: Option<String>,
    /// The agency running the sales office 乙方.
    #[arg(long, value_name = "NAME")]
    pub agency: Option<String>,
    /// A channel 渠道 and its commission: 链家=1.0% (a rate) or 房多多=20000 (per booking);
    /// repeat for more (later: `attrib channel add`).
    #[arg(long, value_name = "NAME=COMMISSION")]
    pub channel: Vec<String>,
}

pub const TEMPLATE: &str = r#"# attrib 账本配置 / ledger configuration. See docs/ledger-format.md.

[project]
name = "项目名称"                # 项目名称 / project name
developer = "甲方名称"            # 甲方 / developer
agency = "乙方名称"               # 乙方 (代理公司) / agency running the sales office
timezone = "+08:00"              # 项目时区 / project time zone (default +08:00)
lang = "zh"                      # 输出语言 zh 或 en / human output language

[rules]
protection_days = 21             # 保护期: 来电来访保护天数 / days a contact keeps the client known
report_lead_hours = 12           # 报备须提前半天 / a report must come this long before the visit
visit_window_days = 3            # 判客后 3 日内带客到访 / days to bring the client after the report
channel_hold_days = 30           # 有效带客后渠道保护天数 / days a valid visit credits the channel
day_count = "calendar"           # "calendar" 自然日 (到当日结束) 或 "elapsed" 满 24 小时

[slip]
roles = ["reception", "site_manager", "developer", "final"]  # 签字顺序 / signing order
deferrable = ["developer"]       # 可以延后补签 / may sign after later roles
# [slip.signers]                 # 可选: 每个角色允许的签字人 / optional allow-lists
# final = ["任总"]

[fees]
developer_rate = "1.0%"          # 甲方直接客户佣金标准 / agency fee on developer-direct bookings
agency_rate = "1.8%"             # 乙方客户佣金标准 / agency fee on the agency's bookings
channel_rate = "1.8%"            # 渠道客户代理费 / agency fee on channel bookings
discount_floor = "0.92"          # 最低限销售折扣 / lowest price / list price
approval_below = "0.98"          # 低于此折扣需《特殊优惠审批单》/ needs a discount approval below

[penalties]
unit_agency_fee = "30000"        # 一套房屋代理费 / one unit's agency fee
zone_units = 3                   # 保护区拦截: 3 套代理费 / protected-zone solicitation
false_info = "5000"              # 不实信息: 每人每次 / per person per time
order_swap = "5000"              # 串单: 每人每次, 另赔损失 / per person per time, plus damages
cutting = "5000"                 # 切客: 每次 / per time

# 渠道 / channels: attrib channel add 名称 --commission 1.0%  (比例 "1.0%" 或每套固定金额 "20000"
# / a rate or a fixed amount per booking); each is a [[channel]] table with name and commission

[reserved]
units = []                       # 甲方自留房源 / developer-reserved units, e.g. ["3-1-1201"]

[audit]
max_entry_delay_hours = 24       # 补录: 提交晚于发生时间多少小时 / back-dated beyond this delay
"#;

/// The template's placeholder lines, each replaced by the project's own name.
const PLACEHOLDERS: [(&str, &str); 3] = [
    ("name = \"项目名称\"", "name"),
    ("developer = \"甲方名称\"", "developer"),
    ("agency = \"乙方名称\"", "agency"),
];

/// The names `init` needs: from the flags, else asked for on a terminal, else an error that
/// shows the command to type.
fn names(a: &InitArgs, zh: bool) -> anyhow::Result<[String; 3]> {
    let given = [&a.project, &a.developer, &a.agency];
    let flags = ["--project", "--developer", "--agency"];
    let asks = match zh {
        true => ["项目名称", "甲方 (开发商)", "乙方 (代理公司)"],
        false => ["project name", "developer", "agency"],
    };
    let ask = std::io::stdin().is_terminal();
    let mut out: [String; 3] = Default::default();
    for i in 0..3 {
        let v = match given[i] {
            Some(v) => v.trim().to_string(),
            None if ask => {
                eprint!("{} ({}): ", asks[i], flags[i]);
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                line.trim().to_string()
            }
            None => String::new(),
        };
        if v.is_empty() {
            let example = "attrib init my-ledger --project 某项目 --developer 某置业 --agency 某代理 --channel 某渠道=1.0%";
            match zh {
                true => bail!("缺少 {} ({}) — 例: {example}", flags[i], asks[i]),
                false => bail!("{} ({}) is missing — e.g. {example}", flags[i], asks[i]),
            }
        }
        out[i] = v;
    }
    Ok(out)
}

/// A TOML basic string holding `s`.
fn quoted(s: &str) -> String {
    toml_edit::Value::from(s).to_string().trim().to_string()
}

/// attrib.toml for this project: the template with its names and channels.
pub fn config_text(names: &[String; 3], channels: &[String], lang: Lang) -> anyhow::Result<String> {
    let mut text = TEMPLATE.to_string();
    for ((placeholder, key), value) in PLACEHOLDERS.iter().zip(names) {
        // the line up to its comment, which stays where it was (or one space after a long name)
        let old = (text.lines())
            .find(|l| l.starts_with(placeholder))
            .expect("the template holds each placeholder")
            .to_string();
        let (before, comment) = old.split_at(old.find('#').expect("a commented line"));
        let line = format!("{key} = {}", quoted(value));
        let pad = (before.chars().count())
            .saturating_sub(line.chars().count())
            .max(1);
        text = text.replacen(&old, &format!("{line}{}{comment}", " ".repeat(pad)), 1);
    }
    for c in channels {
        let Some((name, commission)) = c.split_once(['=', '＝']) else {
            match lang {
                Lang::Zh => bail!(
                    "--channel 「{c}」: 写成 名称=佣金, 例: --channel 链家=1.0% 或 --channel 房多多=20000"
                ),
                Lang::En => bail!(
                    "--channel 「{c}」: write NAME=COMMISSION, e.g. --channel 链家=1.0% or --channel 房多多=20000"
                ),
            }
        };
        text = super::channel::add_channel(&text, name, commission, lang)?;
    }
    Ok(text)
}

/// Whether `dir` is inside a git work tree (false also when git is not installed).
fn in_git(dir: &Path) -> bool {
    std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .is_ok_and(|o| o.status.success())
}

pub fn run(g: &Global, a: InitArgs) -> anyhow::Result<i32> {
    let lang = g.lang.unwrap_or(Lang::Zh);
    let zh = lang == Lang::Zh;
    let dir = a.dir.clone().unwrap_or_else(|| g.dir());
    for name in file_names() {
        let p = dir.join(name);
        if p.exists() {
            match zh {
                true => bail!("{} 已存在; 未写入任何文件", p.display()),
                false => bail!("{} already exists; nothing was written", p.display()),
            }
        }
    }
    let names = names(&a, zh)?;
    let config = config_text(&names, &a.channel, lang)?;
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    std::fs::write(dir.join(CONFIG_FILE), &config)?;
    let mut made = vec![];
    for kind in Kind::ALL.iter().filter(|k| k.in_init()) {
        let header: Vec<&str> = kind.columns().iter().map(|c| c.name).collect();
        std::fs::write(
            dir.join(kind.file_name(true)),
            format!("{}\n", header.join(",")),
        )?;
        made.push(kind.file_name(true));
    }
    ignore_lock_file(&dir)?;
    made.push(".gitignore");
    let git = if in_git(&dir) {
        None
    } else {
        let ok = std::process::Command::new("git")
            .arg("init")
            .arg("-q")
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success());
        Some(ok)
    };
    // ` -C DIR` in the commands shown (quoted when it holds a space), nothing for `.`
    let c = match (dir == Path::new("."), dir.display().to_string()) {
        (true, _) => String::new(),
        (false, d) if d.contains(' ') => format!(" -C \"{d}\""),
        (false, d) => format!(" -C {d}"),
    };
    let gc = &c;
    let channels = parse_channels(&config);
    let say_channels = match (channels.is_empty(), zh) {
        (true, true) => "尚无渠道".to_string(),
        (true, false) => "no channel yet".to_string(),
        (false, _) => channels.join(", "),
    };
    if zh {
        say!("已创建账本 {}:", dir.display())?;
        say!(
            "  {CONFIG_FILE}  项目 {}, 甲方 {}, 乙方 {}; 渠道: {say_channels}",
            names[0],
            names[1],
            names[2]
        )?;
        say!("  {}", made.join(" "))?;
        match git {
            None => say!("  (已在 git 仓库中)")?,
            Some(true) => say!("  git 仓库 (git init)")?,
            Some(false) => say!("  未能运行 git init: 请安装 git, 账本的历史由 git 保存")?,
        }
        if channels.is_empty() {
            say!("先登记渠道: attrib{c} channel add 名称 --commission 1.0%")?;
        }
        say!("下一步:")?;
        say!(
            "  attrib{c} add 来电来访 --kind 来访 --phone 13800138000 --client 张伟  # 登记一次来访"
        )?;
        say!("  attrib{c} check 13800138000  # 认购前查归属")?;
        say!(
            "  git{gc} add -A && git{gc} commit -m \"今日登记\"  # 每天提交, attrib{c} audit 查历史"
        )?;
    } else {
        say!("made the ledger {}:", dir.display())?;
        say!(
            "  {CONFIG_FILE}  project {}, developer {}, agency {}; channels: {say_channels}",
            names[0],
            names[1],
            names[2]
        )?;
        say!("  {}", made.join(" "))?;
        match git {
            None => say!("  (already in a git repository)")?,
            Some(true) => say!("  a git repository (git init)")?,
            Some(false) => {
                say!("  could not run git init: install git, which keeps the ledger's history")?
            }
        }
        if channels.is_empty() {
            say!("add the channels first: attrib{c} channel add NAME --commission 1.0%")?;
        }
        say!("next:")?;
        say!("  attrib{c} add contact --kind visit --phone 13800138000 --client 张伟  # a visit")?;
        say!("  attrib{c} check 13800138000  # whose client, before booking")?;
        say!(
            "  git{gc} add -A && git{gc} commit -m \"today\"  # commit daily; attrib{c} audit reads the history"
        )?;
    }
    Ok(0)
}

/// The channels of the config just written, `链家 1.0%`.
fn parse_channels(text: &str) -> Vec<String> {
    crate::ledger::config::parse_config(text)
        .map(|c| {
            (c.channels.iter())
                .map(|ch| match &ch.commission {
                    crate::model::Commission::Rate(r) => format!("{} {}", ch.name, r.text),
                    crate::model::Commission::Fixed { text, .. } => format!("{} {text}", ch.name),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Lists `add`'s lock file in the folder's `.gitignore` (created, or appended to when it does
/// not list it yet): the lock is no part of the ledger's history.
fn ignore_lock_file(dir: &std::path::Path) -> anyhow::Result<()> {
    use crate::ledger::append::LOCK_FILE;
    let path = dir.join(".gitignore");
    let old = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    if old
        .lines()
        .any(|l| l.trim() == LOCK_FILE || l.trim() == format!("/{LOCK_FILE}"))
    {
        return Ok(());
    }
    let sep = if old.is_empty() || old.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    std::fs::write(&path, format!("{old}{sep}{LOCK_FILE}\n"))
        .with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use crate::ledger::config::{DEFAULT_ZONE, parse_config};

    #[test]
    fn the_template_parses_and_names_the_default_zone() {
        let c = parse_config(super::TEMPLATE).unwrap();
        assert_eq!(c.timezone, DEFAULT_ZONE);
        assert!(super::TEMPLATE.contains(&format!("(default {DEFAULT_ZONE})")));
        assert!(c.channels.is_empty(), "no example channel");
    }

    #[test]
    fn the_config_holds_the_project_s_names_and_channels_and_no_example() {
        let names = [
            "云栖\"府".to_string(),
            "某置业".to_string(),
            "某代理".to_string(),
        ];
        let chans = ["贝壳=1.2%".to_string(), "房多多=20000".to_string()];
        let text = super::config_text(&names, &chans, crate::render::Lang::Zh).unwrap();
        let c = parse_config(&text).unwrap();
        assert_eq!(
            (c.name.as_str(), c.developer.as_str(), c.agency.as_str()),
            ("云栖\"府", "某置业", "某代理")
        );
        let chans: Vec<&str> = c.channels.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(chans, ["贝壳", "房多多"]);
        for example in [
            "领秀慧谷",
            "某某置业",
            "伟业",
            "链家",
            "项目名称\"",
            "甲方名称",
            "乙方名称",
        ] {
            assert!(!text.contains(example), "{example} left in\n{text}");
        }
        assert!(
            text.contains("developer = \"某置业\"") && text.contains("# 甲方 / developer"),
            "{text}"
        );
        let e =
            super::config_text(&names, &["贝壳".to_string()], crate::render::Lang::Zh).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("--channel 「贝壳」: 写成 名称=佣金"),
            "{e}"
        );
    }
}
