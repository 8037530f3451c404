//! `attrib init [DIR]`: a commented attrib.toml and empty ledger files with headers.

use super::Global;
use crate::ledger::config::CONFIG_FILE;
use crate::ledger::schema::file_names;
use crate::model::Kind;
use anyhow::{Context, bail};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct InitArgs {
    /// Where to create the ledger (default: -C or the current folder).
    pub dir: Option<PathBuf>,
}

pub const TEMPLATE: &str = r#"# attrib 账本配置 / ledger configuration. See docs/ledger-format.md.

[project]
name = "领秀慧谷"                # 项目名称 / project name
developer = "某某置业有限公司"     # 甲方 / developer
agency = "伟业"                  # 乙方 (代理公司) / agency running the sales office
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

[[channel]]
name = "链家"                    # 渠道名称 / channel name
commission = "1.0%"              # 比例 ("1.0%") 或每套固定金额 ("20000") / rate or fixed amount

[reserved]
units = []                       # 甲方自留房源 / developer-reserved units, e.g. ["3-1-1201"]

[audit]
max_entry_delay_hours = 24       # 补录: 提交晚于发生时间多少小时 / back-dated beyond this delay
"#;

pub fn run(g: &Global, a: InitArgs) -> anyhow::Result<i32> {
    let dir = a.dir.unwrap_or_else(|| g.dir());
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    for name in file_names() {
        let p = dir.join(name);
        if p.exists() {
            bail!("{} already exists; nothing was written", p.display());
        }
    }
    std::fs::write(dir.join(CONFIG_FILE), TEMPLATE)?;
    for kind in Kind::ALL.iter().filter(|k| k.in_init()) {
        let header: Vec<&str> = kind.columns().iter().map(|c| c.name).collect();
        std::fs::write(
            dir.join(kind.file_name(true)),
            format!("{}\n", header.join(",")),
        )?;
    }
    ignore_lock_file(&dir)?;
    say!("{}", dir.display())?;
    Ok(0)
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
    }
}
