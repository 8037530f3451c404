//! R5 Confirmation slips 带看确认单, the reference's: a slip's status as of T from its signatures
//! (R5.1 out-of-order, R5.2 unknown-signer, R5.3 duplicate-role, R5.4 pending, effective).

use crate::model::*;
use crate::rules::verdict::{Code, Detail};

/// R5: a slip's status as of T from its signatures (at or before T), in evaluation order.
pub(super) fn slip_status(l: &Ledger, as_of: Time, slip: &str) -> crate::rules::slip::SlipStatus {
    let cfg = &l.config;
    let mut sigs: Vec<(Time, usize, &Signature)> = (l.signatures.iter().enumerate())
        .filter(|(_, s)| s.slip == slip && s.at <= as_of)
        .map(|(i, s)| (s.at, i, s))
        .collect();
    sigs.sort_by_key(|(at, i, _)| (*at, *i));
    let sigs: Vec<&Signature> = sigs.into_iter().map(|(_, _, s)| s).collect();
    let status = |code, rule, detail: Detail| crate::rules::slip::SlipStatus {
        code,
        rule,
        effective_at: None,
        first_at: sigs[0].at,
        detail,
    };
    // the place in the signing order of a role that may not sign late
    let rank = |role: &str| {
        if cfg.slip_deferrable.iter().any(|d| d == role) {
            return None;
        }
        cfg.slip_roles.iter().position(|r| r == role)
    };
    // R5.1 out-of-order: a role signed after a later role had signed (naming that later role,
    // the first to sign of the latest ones, and the role that came too late)
    for (j, s) in sigs.iter().enumerate() {
        let Some(r) = rank(&s.role) else { continue };
        let jumped = (sigs[..j].iter())
            .filter_map(|e| rank(&e.role).map(|re| (re, e)))
            .filter(|(re, _)| *re > r)
            .max_by_key(|(re, _)| *re);
        if let Some((top, _)) = jumped {
            // the first signature of the highest role before this one
            let early = (sigs[..j].iter())
                .find(|e| rank(&e.role) == Some(top))
                .unwrap();
            return status(
                Code::OutOfOrder,
                "R5.1",
                Detail::OutOfOrder {
                    early: early.role.0.clone(),
                    jumped: s.role.0.clone(),
                },
            );
        }
    }
    // R5.2 unknown-signer: not in the role's allow-list
    if let Some(s) = sigs.iter().find(|s| {
        (cfg.slip_signers.get(s.role.as_str())).is_some_and(|ok| !ok.iter().any(|a| *a == s.signer))
    }) {
        return status(
            Code::UnknownSigner,
            "R5.2",
            Detail::UnknownSigner {
                role: s.role.0.clone(),
                signer: s.signer.clone(),
            },
        );
    }
    // R5.3 duplicate-role
    for (j, s) in sigs.iter().enumerate() {
        if sigs[..j].iter().any(|e| e.role == s.role) {
            let role = s.role.0.clone();
            return status(Code::DuplicateRole, "R5.3", Detail::DuplicateRole { role });
        }
    }
    // R5.4 pending: the roles not signed yet
    let missing: Vec<Text> = (cfg.slip_roles.iter())
        .filter(|r| !sigs.iter().any(|s| s.role == **r))
        .map(|r| r.as_str().into())
        .collect();
    if !missing.is_empty() {
        return status(Code::Pending, "R5.4", Detail::Pending { missing });
    }
    crate::rules::slip::SlipStatus {
        effective_at: sigs.iter().map(|s| s.at).max(),
        ..status(Code::Effective, "R5", Detail::None)
    }
}
