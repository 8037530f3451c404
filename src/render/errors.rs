//! The errors attrib writes, worded in Chinese: ledger errors (`file:line` kept) and clap's own
//! flag-parsing errors. English stays the `Display` of the error types, byte for byte.

use crate::ledger::error::{Col, ErrorKind, LedgerError};
use crate::model::FieldError;
use std::sync::atomic::{AtomicBool, Ordering};

static ZH_ERRORS: AtomicBool = AtomicBool::new(false);

/// Errors are written in Chinese from now on (`--lang zh`).
pub fn set_zh_errors(on: bool) {
    ZH_ERRORS.store(on, Ordering::Relaxed);
}

/// Whether errors are written in Chinese.
pub fn zh_errors() -> bool {
    ZH_ERRORS.load(Ordering::Relaxed)
}

/// A complaint in the language errors are written in.
pub fn said(s: &crate::ledger::error::Said) -> &str {
    if zh_errors() { &s.zh } else { &s.en }
}

/// `zh` when errors are written in Chinese, else `en`.
pub fn pick(zh: String, en: String) -> String {
    if zh_errors() { zh } else { en }
}

/// A value's error under what it came from (a flag, an argument), in the language errors are in.
pub fn field_error(e: FieldError, what: &str) -> anyhow::Error {
    if zh_errors() {
        anyhow::anyhow!("{what}: {}", field_zh(&e))
    } else {
        anyhow::Error::new(e).context(what.to_string())
    }
}

/// An operating-system error in Chinese (its kind; the OS's own words stay in English errors).
pub fn io_zh(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let what = match e.kind() {
        K::NotFound => "文件或目录不存在",
        K::PermissionDenied => "没有权限",
        K::AlreadyExists => "已经存在",
        K::StorageFull => "磁盘已满",
        K::ReadOnlyFilesystem => "文件系统只读",
        K::IsADirectory => "这是一个目录",
        K::NotADirectory => "不是目录",
        K::InvalidData => "内容无效",
        K::TimedOut => "超时",
        K::Interrupted => "被中断",
        _ => "读写失败",
    };
    match e.raw_os_error() {
        Some(n) => format!("{what} (系统错误 {n})"),
        None => what.to_string(),
    }
}

/// An error and its causes as `attrib: …` writes them: in Chinese, operating-system causes are
/// worded by `io_zh`.
pub fn chain(e: &anyhow::Error) -> String {
    if !zh_errors() {
        return format!("{e:#}");
    }
    let parts: Vec<String> = (e.chain())
        .map(|c| match c.downcast_ref::<std::io::Error>() {
            Some(io) => io_zh(io),
            None => c.to_string(),
        })
        .collect();
    parts.join(": ")
}

const TIME_EG: &str = "应为 2026-03-01 09:30 或 2026-03-01T09:30:00+08:00";

/// A cell's error in Chinese.
pub fn field_zh(e: &FieldError) -> String {
    use FieldError::*;
    match e {
        Required => "必须填写".to_string(),
        BadTime(v) => format!("「{v}」不是有效时间 ({TIME_EG})"),
        BareDate(v) => format!("「{v}」只有日期没有时间 ({TIME_EG})"),
        YearOutOfRange(v, y) => {
            format!("「{v}」的年份 {y:04} 不在 1970–2199 之间 (是占位值吗? 请写真实时间)")
        }
        BadPhone(v) => {
            format!("「{v}」不是大陆手机号 (应为 11 位 1[3-9]xxxxxxxxx, 如 13800138000)")
        }
        MaskedPhone(v) => format!(
            "「{v}」是打码的号码: 只有报备可以写打码号码, 且须设 rules.masked_reports = true; 此处请写完整号码"
        ),
        BadMaskedPhone(v) => {
            format!("「{v}」不是前三后四的隐号 (应为 1[3-9]x****xxxx, 如 138****5678)")
        }
        BadDecimal(v) => format!("「{v}」不是普通小数 (如 1234567.89)"),
        ThousandsSeparator(v) => format!("「{v}」带千位分隔符; 请写普通数字, 如 1234567.89"),
        TooLarge(v) => format!("「{v}」过大或过精确 (小数点前至多 15 位, 后至多 12 位)"),
        BadRate(v) => format!("「{v}」不是比例 (如 1.5% 或 0.015)"),
        BadInteger(v) => format!("「{v}」不是整数"),
        Negative(v) => format!(
            "「{v}」为负数; 金额、价格、定金、违约金和面积都不能为负 (更正请作废后另写一行)"
        ),
        Zero(v) => format!("「{v}」至少为 1"),
        CountTooLarge(v, max) => format!("「{v}」过大 (至多 {max})"),
        BadEnum { value, allowed } => {
            format!("「{value}」不是可选值之一: {}", allowed.join(", "))
        }
    }
}

/// A ledger error's complaint in Chinese.
pub fn kind_zh(k: &ErrorKind) -> String {
    use ErrorKind::*;
    match k {
        Field(f) => field_zh(f),
        UnknownColumn { column, known } => {
            format!("未知列「{column}」(已知列: {})", known.join(", "))
        }
        MissingColumn(c) => format!("缺少必需的列「{c}」"),
        DuplicateColumn(c) => format!("列「{c}」出现了两次"),
        CellCount { found, expected } => format!("该行有 {found} 格, 表头有 {expected} 列"),
        BothFormats { stem } => format!("{stem}.csv 和 {stem}.toml 同时存在; 只保留一个"),
        NotUtf8 { byte, value } => format!(
            "既不是 UTF-8 也不是 GB18030 文本: 文件第 {byte} 字节 (0x{value:02x}) 是第一个非 UTF-8 字节 (请另存为 UTF-8)"
        ),
        Syntax(s) => format!("语法错误: {}", s.zh),
        DuplicateId { id, first } => format!("编号「{id}」已在 {first} 使用"),
        UnknownReference(r) => format!("「{r}」在账本中没有对应记录"),
        UnknownDiscount(r) => format!("「{r}」没有对应的特殊优惠审批"),
        UnknownBooking(r) => format!("「{r}」没有对应的认购"),
        LaterBooking(r) => format!("认购「{r}」晚于其退订"),
        UnknownChannel { name, known } => {
            format!(
                "渠道「{name}」不在 attrib.toml 中 (已有: {})",
                known.join(", ")
            )
        }
        ChannelVisitNeeds(c) => format!("渠道带看需要填写「{c}」"),
        VoidCycle(v) => format!("作废「{v}」处在作废的循环中"),
        ZeroListPrice => "表价为 0; 认购的折扣以表价计算 (请写房源表价)".to_string(),
        SelfRelation(p) => {
            format!("关系把「{p}」连到了自己; 关系连接两个不同的电话 (R1): 请写另一位成员的电话")
        }
        Config(s) => format!("配置错误: {}", s.zh),
        ConfigValue { key, error } => format!("配置错误: {key}: {}", field_zh(error)),
        Row(s) => s.zh.to_string(),
        Unreadable(s) => format!("无法读取: {s}"),
    }
}

/// A ledger error as written: `file:line[:col]: complaint [column]`, in Chinese when errors are.
pub fn ledger_error(e: &LedgerError) -> String {
    if !zh_errors() {
        return e.to_string();
    }
    let mut out = e.file.clone();
    if e.line > 0 {
        out.push_str(&format!(":{}", e.line));
    }
    let kind = kind_zh(&e.kind);
    match &e.col {
        Some(Col::Csv(n, name)) => out.push_str(&format!(":{n}: {kind} [{name}]")),
        Some(Col::Key(k)) => out.push_str(&format!(": {kind} [{k}]")),
        None => out.push_str(&format!(": {kind}")),
    }
    out
}

/// A ledger error's complaint alone, as `ledger_error` words it.
pub fn ledger_kind(k: &ErrorKind) -> String {
    if zh_errors() {
        kind_zh(k)
    } else {
        k.to_string()
    }
}

/// A `replay` filter's error in Chinese.
pub fn select_zh(e: &crate::rules::select::SelectError) -> String {
    use crate::rules::select::{SelectError::*, kind_words};
    match e {
        Kind(v) => format!(
            "--kind 「{v}」不是记录种类 (应为以下之一: {})",
            kind_words().join(", ")
        ),
        Verdict(v) => {
            let zh = crate::render::Style {
                lang: crate::render::Lang::Zh,
                tz: crate::ledger::config::DEFAULT_ZONE,
                reveal: false,
                mask: false,
                sealed: &[],
            };
            let codes =
                crate::rules::verdict::Code::ALL.map(|c| format!("{} {}", c.as_str(), zh.code(c)));
            format!(
                "--verdict 「{v}」不是判定 (应为以下之一: {})",
                codes.join(", ")
            )
        }
        Channel { name, known } => format!(
            "--channel 「{name}」不是 attrib.toml 中的渠道 (已有: {})",
            known.join(", ")
        ),
        Bound { flag, value } => format!(
            "{flag} 「{value}」不是时间 (如 2026-03-01 09:30)、日期 (如 2026-03-01) 或月份 (如 2026-03)"
        ),
        Reversed { from, to } => format!("--to {to} 早于 --from {from}"),
    }
}

/// Clap's error in Chinese: a sentence for the common kinds, clap's own detail kept after it.
pub fn clap_zh(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ErrorKind as K};
    let arg = e
        .get(ContextKind::InvalidArg)
        .map(|v| v.to_string())
        .unwrap_or_default();
    let value = e
        .get(ContextKind::InvalidValue)
        .map(|v| v.to_string())
        .unwrap_or_default();
    let sentence = match e.kind() {
        K::InvalidValue => format!("参数 {arg} 的值「{value}」无效"),
        K::UnknownArgument => format!("不认识的参数 {arg}"),
        K::InvalidSubcommand => {
            let name = e.get(ContextKind::InvalidSubcommand).map(|v| v.to_string());
            format!("不认识的命令「{}」", name.unwrap_or(value))
        }
        K::NoEquals => format!("参数 {arg} 需要用 = 给值"),
        K::ValueValidation => format!("参数 {arg} 的值「{value}」不合格"),
        K::TooManyValues => format!("参数 {arg} 的值太多"),
        K::TooFewValues => format!("参数 {arg} 的值太少"),
        K::WrongNumberOfValues => format!("参数 {arg} 的值个数不对"),
        K::ArgumentConflict => format!("参数 {arg} 不能与其他已给参数同时使用"),
        K::MissingRequiredArgument => "缺少必需的参数".to_string(),
        K::MissingSubcommand | K::DisplayHelpOnMissingArgumentOrSubcommand => {
            "缺少命令 (attrib --help 列出所有命令)".to_string()
        }
        K::InvalidUtf8 => "参数不是有效的 UTF-8".to_string(),
        _ => "命令行参数有误".to_string(),
    };
    let mut out = format!("错误: {sentence}\n");
    if let Some(clap::error::ContextValue::Strings(vals)) = e.get(ContextKind::InvalidArg)
        && e.kind() == K::MissingRequiredArgument
    {
        out.push_str(&format!("  缺少: {}\n", vals.join(", ")));
    }
    if let Some(v) = e.get(ContextKind::ValidValue) {
        out.push_str(&format!("  可选值: {v}\n"));
    }
    if let Some(v) = e.get(ContextKind::SuggestedArg) {
        out.push_str(&format!("  是否想用: {v}\n"));
    }
    if let Some(v) = e.get(ContextKind::SuggestedSubcommand) {
        out.push_str(&format!("  是否想用命令: {v}\n"));
    }
    out.push_str("\n用 --help 查看用法\n");
    out
}
