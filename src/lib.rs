//! attrib decides who owns a home buyer (客户归属 / 确客 / 判客) from plain-text ledgers.
//!
//! Dependencies point one way: `cmd` → {`settings`, `history`} → {`ledger`, `rules`, `render`} →
//! `model`. `rules` is pure: it never reads files, the clock or the environment, and never prints.

pub mod cmd;
pub mod history;
pub mod ledger;
pub mod model;
pub mod par;
pub mod render;
pub mod rules;
pub mod settings;
