//! R5 Visit slip 带客确认单: signed by reception (接待), the site manager (案场经理), the
//! developer (甲方, may sign late 可以延后补签) and finally 任总, after which it takes effect.

use super::verdict::{Code, Detail};
use crate::model::{Config, Signature, Text, Time};

/// A slip's R5 status as of the as-of time.
#[derive(Clone, Debug, PartialEq)]
pub struct SlipStatus {
    pub code: Code,
    pub rule: &'static str,
    /// The last signature's time, when effective.
    pub effective_at: Option<Time>,
    /// The first signature's time (where the slip appears in replay).
    pub first_at: Time,
    /// Missing roles (pending), the role signed twice, the unknown signer, the roles out of order.
    pub detail: Detail,
}

/// R5: the status of one slip from its signatures, given in evaluation order (time, then file
/// order). Priority: out-of-order, unknown-signer, duplicate-role, pending; else effective.
pub fn slip_status(cfg: &Config, sigs: &[&Signature]) -> SlipStatus {
    let first_at = sigs
        .first()
        .map(|s| s.at)
        .expect("a slip has at least one signature");
    let status = |code, rule, detail: Detail| SlipStatus {
        code,
        rule,
        effective_at: None,
        first_at,
        detail,
    };
    if let Some((early, jumped)) = out_of_order(cfg, sigs) {
        return status(
            Code::OutOfOrder,
            "R5.1",
            Detail::OutOfOrder { early, jumped },
        );
    }
    if let Some(s) = unknown_signer(cfg, sigs) {
        let (role, signer) = (s.role.0.clone(), s.signer.clone());
        return status(
            Code::UnknownSigner,
            "R5.2",
            Detail::UnknownSigner { role, signer },
        );
    }
    if let Some(role) = duplicate_role(sigs) {
        return status(Code::DuplicateRole, "R5.3", Detail::DuplicateRole { role });
    }
    let missing = missing_roles(cfg, sigs);
    if !missing.is_empty() {
        return status(Code::Pending, "R5.4", Detail::Pending { missing });
    }
    SlipStatus {
        effective_at: sigs.iter().map(|s| s.at).max(),
        ..status(Code::Effective, "R5", Detail::None)
    }
}

/// R5.1 out-of-order: a non-deferrable role signed before an earlier non-deferrable role.
/// Returns (the role that signed too early, the earlier role it jumped).
/// Deferrable roles (e.g. the developer, 可以延后补签) are not part of the order.
fn out_of_order(cfg: &Config, sigs: &[&Signature]) -> Option<(Text, Text)> {
    let rank = |role: &str| {
        (!cfg.slip_deferrable.iter().any(|d| d == role))
            .then(|| cfg.slip_roles.iter().position(|r| r == role))
            .flatten()
    };
    let mut highest: Option<(usize, &str)> = None;
    for s in sigs {
        let Some(r) = rank(&s.role) else { continue };
        match highest {
            Some((h, role)) if r < h => return Some((role.into(), s.role.0.clone())),
            Some((h, _)) if r <= h => {}
            _ => highest = Some((r, &s.role)),
        }
    }
    None
}

/// R5.2 unknown-signer: a signer not in the role's allow-list (`[slip.signers]`).
fn unknown_signer<'a>(cfg: &Config, sigs: &[&'a Signature]) -> Option<&'a Signature> {
    sigs.iter().copied().find(|s| {
        cfg.slip_signers
            .get(s.role.as_str())
            .is_some_and(|allowed| !allowed.iter().any(|a| *a == s.signer))
    })
}

/// R5.3 duplicate-role: one role signed twice.
fn duplicate_role(sigs: &[&Signature]) -> Option<Text> {
    sigs.iter()
        .enumerate()
        .find(|(i, s)| sigs[..*i].iter().any(|e| e.role == s.role))
        .map(|(_, s)| s.role.0.clone())
}

/// R5.4 pending: the roles that have not signed yet, in signing order.
fn missing_roles(cfg: &Config, sigs: &[&Signature]) -> Vec<Text> {
    cfg.slip_roles
        .iter()
        .filter(|r| !sigs.iter().any(|s| s.role == **r))
        .map(|r| r.as_str().into())
        .collect()
}

/// R5: a slip's verdict, at its first signature, is its status as of the as-of time.
pub fn step(reg: &super::registry::Registry, i: usize) -> super::verdict::Verdict {
    let s = &reg.ledger.signatures[i];
    let st = &reg.slips[s.slip.as_str()];
    let kind = crate::model::Kind::Slip;
    let mut v = super::verdict::Verdict::new(kind, i, &s.slip, st.first_at, st.code, st.rule);
    v.detail = st.detail.clone();
    v.until = st.effective_at;
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Src;
    use crate::rules::testkit::{config, t};

    fn sig(role: &str, at: &str, signer: &str) -> Signature {
        Signature {
            slip: "S1".into(),
            at: t(at),
            role: role.into(),
            signer: signer.into(),
            src: Src::new(crate::model::Kind::Slip, true, 2),
        }
    }

    fn status(sigs: &[Signature]) -> SlipStatus {
        let mut cfg = config();
        cfg.slip_signers.insert("final".into(), vec!["任总".into()]);
        let refs: Vec<&Signature> = sigs.iter().collect();
        slip_status(&cfg, &refs)
    }

    #[test]
    fn r5_effective_when_all_sign_in_order_at_last_signature() {
        let s = status(&[
            sig("reception", "2026-03-01 10:00", "李"),
            sig("site_manager", "2026-03-01 11:00", "付柏"),
            sig("developer", "2026-03-01 12:00", "陈建"),
            sig("final", "2026-03-02 09:00", "任总"),
        ]);
        assert_eq!(s.code, Code::Effective);
        assert_eq!(s.effective_at, Some(t("2026-03-02 09:00")));
    }

    #[test]
    fn r5_deferrable_developer_may_sign_after_final() {
        let s = status(&[
            sig("reception", "2026-03-01 10:00", "李"),
            sig("site_manager", "2026-03-01 11:00", "付柏"),
            sig("final", "2026-03-02 09:00", "任总"),
            sig("developer", "2026-03-05 09:00", "陈建"),
        ]);
        assert_eq!(s.code, Code::Effective);
        assert_eq!(
            s.effective_at,
            Some(t("2026-03-05 09:00")),
            "effective at the last signature"
        );
    }

    #[test]
    fn r5_1_out_of_order_beats_everything() {
        let s = status(&[
            sig("site_manager", "2026-03-01 10:00", "付柏"),
            sig("reception", "2026-03-01 11:00", "李"),
            sig("final", "2026-03-01 12:00", "张三"),
        ]);
        assert_eq!(s.code, Code::OutOfOrder);
        assert_eq!(
            s.detail,
            Detail::OutOfOrder {
                early: "site_manager".into(),
                jumped: "reception".into()
            }
        );
    }

    #[test]
    fn r5_1_equal_times_follow_file_order() {
        let s = status(&[
            sig("reception", "2026-03-01 10:00", "李"),
            sig("site_manager", "2026-03-01 10:00", "付柏"),
        ]);
        assert_eq!(s.code, Code::Pending);
    }

    #[test]
    fn r5_2_unknown_signer_before_duplicate_role() {
        let s = status(&[
            sig("reception", "2026-03-01 10:00", "李"),
            sig("reception", "2026-03-01 10:05", "李"),
            sig("site_manager", "2026-03-01 11:00", "付柏"),
            sig("final", "2026-03-01 12:00", "王总"),
        ]);
        assert_eq!(s.code, Code::UnknownSigner);
        assert_eq!(
            s.detail,
            Detail::UnknownSigner {
                role: "final".into(),
                signer: "王总".into()
            }
        );
    }

    #[test]
    fn r5_3_duplicate_role() {
        let s = status(&[
            sig("reception", "2026-03-01 10:00", "李"),
            sig("reception", "2026-03-01 10:05", "王"),
        ]);
        assert_eq!(s.code, Code::DuplicateRole);
    }

    #[test]
    fn r5_4_pending_names_missing_roles() {
        let s = status(&[
            sig("reception", "2026-03-01 10:00", "李"),
            sig("site_manager", "2026-03-01 11:00", "付柏"),
        ]);
        assert_eq!(s.code, Code::Pending);
        assert_eq!(
            s.detail,
            Detail::Pending {
                missing: vec!["developer".into(), "final".into()]
            }
        );
        assert_eq!(s.effective_at, None);
    }
}
