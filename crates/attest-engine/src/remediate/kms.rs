//! Remediation of KMS keys: enabled state, automatic rotation, the `default` key policy and the
//! description. Keys are never deleted.
//!
//! A key scheduled for deletion is not collected (Terraform reads it as gone), so it shows as
//! removed: the plan cancels the deletion, then enables the key again when the baseline had it
//! enabled (a cancelled deletion leaves the key disabled). A key already deleted cannot come
//! back: that call fails and the executor says so.

use serde_json::{json, Value};

use super::util::{known, str_of};
use super::{Out, Step, Subject};
use crate::drift::{AttributeChange, DriftKind};

pub(super) const TYPES: &[&str] = &["aws_kms_key"];

pub(super) fn plan(s: &Subject<'_>, out: &mut Out<'_>) {
    let Some(key) = key_id(s) else {
        out.manual(s, None, "the key's id is not known");
        return;
    };
    if s.drift.kind == DriftKind::Removed {
        removed(s, out, &key);
        return;
    }
    let mut rotation = Vec::new();
    let mut disable = None;
    for c in s.changes() {
        let (old, new) = (c.old.as_ref(), c.new.as_ref());
        match c.path.as_str() {
            "is_enabled" => match (old.and_then(Value::as_bool), new.and_then(Value::as_bool)) {
                (Some(true), Some(false)) => enable(s, out, &key, &["is_enabled"]),
                // Disabled last: the other calls may need the key enabled.
                (Some(false), Some(true)) => disable = Some(c),
                _ => out.manual(s, Some(&c.path), "not an enabled state"),
            },
            "enable_key_rotation" | "rotation_period_in_days" => rotation.push(c),
            "policy" => match old.and_then(Value::as_str) {
                Some(policy) => out.action(
                    s,
                    Step::Modify,
                    &["policy"],
                    "restore the key policy",
                    "kms",
                    "PutKeyPolicy",
                    json!({"KeyId": key, "PolicyName": "default", "Policy": policy}),
                    c.new.clone(),
                    c.old.clone(),
                ),
                None => out.manual(s, Some(&c.path), "the baseline's key policy is not known"),
            },
            "description" => match old.and_then(Value::as_str) {
                Some(d) => out.action(
                    s,
                    Step::Modify,
                    &["description"],
                    "restore the description",
                    "kms",
                    "UpdateKeyDescription",
                    json!({"KeyId": key, "Description": d}),
                    c.new.clone(),
                    c.old.clone(),
                ),
                None => out.manual(s, Some(&c.path), "the baseline's description is not known"),
            },
            "key_usage" | "customer_master_key_spec" | "multi_region" | "custom_key_store_id" => out.manual(
                s,
                Some(&c.path),
                "fixed when the key is created: create a new key with the baseline's setting and move its users to it",
            ),
            "id" | "key_id" | "arn" => out.manual(
                s,
                Some(&c.path),
                "a key's id and ARN cannot change: this is another key",
            ),
            path => out.manual(
                s,
                Some(path),
                format!("attest has no automatic revert for `{path}` of a KMS key"),
            ),
        }
    }
    rotate(s, out, &key, &rotation);
    if let Some(c) = disable {
        out.action(
            s,
            Step::Modify,
            &["is_enabled"],
            "disable the key again",
            "kms",
            "DisableKey",
            json!({"KeyId": key}),
            c.new.clone(),
            c.old.clone(),
        );
    }
}

pub(super) fn delete(_s: &Subject<'_>, _out: &mut Out<'_>) -> bool {
    // Deleting a key destroys everything encrypted under it: never automatic.
    false
}

/// The key id (not the ARN: some endpoints only take ids).
fn key_id(s: &Subject<'_>) -> Option<String> {
    str_of(s.attributes(), "key_id")
        .map(str::to_string)
        .or_else(|| s.drift.physical_id.clone())
}

fn enable(s: &Subject<'_>, out: &mut Out<'_>, key: &str, paths: &[&str]) {
    out.action(
        s,
        Step::Restore,
        paths,
        "enable the key",
        "kms",
        "EnableKey",
        json!({"KeyId": key}),
        Some(json!(false)),
        Some(json!(true)),
    );
}

/// A key that is no longer listed: most likely pending deletion (KMS waits 7 to 30 days).
fn removed(s: &Subject<'_>, out: &mut Out<'_>, key: &str) {
    out.action(
        s,
        Step::Restore,
        &[],
        "cancel the key's scheduled deletion (a key already deleted cannot be restored)",
        "kms",
        "CancelKeyDeletion",
        json!({"KeyId": key}),
        None,
        None,
    );
    match s.attributes().get("is_enabled") {
        Some(Value::Bool(true)) => enable(s, out, key, &[]),
        Some(Value::Bool(false)) => {}
        _ => out.manual(
            s,
            Some("is_enabled"),
            "whether the key was enabled is not known: enable it by hand if it was",
        ),
    }
}

/// `enable_key_rotation` and `rotation_period_in_days`: one call sets both back.
fn rotate(s: &Subject<'_>, out: &mut Out<'_>, key: &str, changes: &[&AttributeChange]) {
    if changes.is_empty() {
        return;
    }
    let base = s.baseline.map(|r| &r.attributes).unwrap_or(&Value::Null);
    let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
    let side = |f: fn(&AttributeChange) -> &Option<Value>| {
        Value::Object(
            changes
                .iter()
                .map(|c| (c.path.clone(), f(c).clone().unwrap_or(Value::Null)))
                .collect(),
        )
    };
    let (before, after) = (Some(side(|c| &c.new)), Some(side(|c| &c.old)));
    match base
        .get("enable_key_rotation")
        .filter(|v| known(v))
        .and_then(Value::as_bool)
    {
        Some(true) => {
            let mut p = json!({"KeyId": key});
            if let Some(days) = base.get("rotation_period_in_days").and_then(Value::as_i64) {
                p["RotationPeriodInDays"] = json!(days);
            }
            out.action(
                s,
                Step::Modify,
                &paths,
                "enable automatic rotation",
                "kms",
                "EnableKeyRotation",
                p,
                before,
                after,
            );
        }
        Some(false) => out.action(
            s,
            Step::Modify,
            &paths,
            "disable automatic rotation",
            "kms",
            "DisableKeyRotation",
            json!({"KeyId": key}),
            before,
            after,
        ),
        None => {
            for p in paths {
                out.manual(s, Some(p), "the baseline's rotation setting is not known");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use attest_core::{Snapshot, SnapshotResource};

    use crate::drift::{diff, Ignore};
    use crate::remediate::{plan, Plan, PlanOptions, Step};

    const ID: &str = "1234abcd-12ab-34cd-56ef-1234567890ab";
    const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"}]}"#;

    fn key(attrs: Value) -> SnapshotResource {
        let arn = format!("arn:aws:kms:us-east-1:123456789012:key/{ID}");
        let mut a = json!({
            "id": ID, "key_id": ID, "arn": arn, "description": "orders", "key_usage": "ENCRYPT_DECRYPT",
            "customer_master_key_spec": "SYMMETRIC_DEFAULT", "is_enabled": true, "multi_region": false,
            "custom_key_store_id": null, "enable_key_rotation": true, "rotation_period_in_days": 365,
            "policy": POLICY,
        });
        if let (Some(a), Some(b)) = (a.as_object_mut(), attrs.as_object()) {
            a.extend(b.clone());
        }
        SnapshotResource {
            key: arn,
            resource_type: "aws_kms_key".into(),
            physical_id: Some(ID.into()),
            account: Some("123456789012".into()),
            region: Some("us-east-1".into()),
            attributes: a,
        }
    }

    fn run_with(base: Vec<SnapshotResource>, cur: Vec<SnapshotResource>, opts: &PlanOptions) -> Plan {
        let base = Snapshot::new(base, vec![]);
        let cur = Snapshot::new(cur, vec![]);
        let drift = diff(&base, &cur, &Ignore::defaults());
        plan(&drift, &base, &cur, opts)
    }

    fn run(base: Vec<SnapshotResource>, cur: Vec<SnapshotResource>) -> Plan {
        run_with(base, cur, &PlanOptions::default())
    }

    fn calls(p: &Plan) -> Vec<(Step, String, Value)> {
        p.actions
            .iter()
            .map(|a| (a.step, a.call.operation.clone(), a.call.params.clone()))
            .collect()
    }

    #[test]
    fn disabled_key_without_rotation_and_with_another_policy() {
        let p = run(
            vec![key(json!({}))],
            vec![key(
                json!({"is_enabled": false, "enable_key_rotation": false, "rotation_period_in_days": null,
                            "policy": "{}", "description": "x"}),
            )],
        );
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(
            calls(&p),
            vec![
                (Step::Restore, "EnableKey".into(), json!({"KeyId": ID})),
                (
                    Step::Modify,
                    "UpdateKeyDescription".into(),
                    json!({"KeyId": ID, "Description": "orders"})
                ),
                (
                    Step::Modify,
                    "PutKeyPolicy".into(),
                    json!({"KeyId": ID, "PolicyName": "default", "Policy": POLICY})
                ),
                (
                    Step::Modify,
                    "EnableKeyRotation".into(),
                    json!({"KeyId": ID, "RotationPeriodInDays": 365})
                ),
            ]
        );
        let rotation = &p.actions[3];
        assert_eq!(rotation.paths, ["enable_key_rotation", "rotation_period_in_days"]);
        assert_eq!(
            rotation.before,
            Some(json!({"enable_key_rotation": false, "rotation_period_in_days": null}))
        );
        assert_eq!(rotation.region.as_deref(), Some("us-east-1"));
    }

    #[test]
    fn enabled_and_rotating_key_that_was_not_is_set_back_disabled_last() {
        let p = run(
            vec![key(
                json!({"is_enabled": false, "enable_key_rotation": false, "rotation_period_in_days": null}),
            )],
            vec![key(json!({}))],
        );
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(
            calls(&p),
            vec![
                (Step::Modify, "DisableKeyRotation".into(), json!({"KeyId": ID})),
                (Step::Modify, "DisableKey".into(), json!({"KeyId": ID})),
            ]
        );
        // Rotation period alone (emulators give none): rotation enabled without a period.
        let p = run(
            vec![key(json!({"rotation_period_in_days": null}))],
            vec![key(json!({"rotation_period_in_days": 90}))],
        );
        assert_eq!(
            calls(&p),
            vec![(Step::Modify, "EnableKeyRotation".into(), json!({"KeyId": ID}))]
        );
    }

    #[test]
    fn removed_key_has_its_deletion_cancelled() {
        let p = run(vec![key(json!({}))], vec![]);
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(
            calls(&p),
            vec![
                (Step::Restore, "CancelKeyDeletion".into(), json!({"KeyId": ID})),
                (Step::Restore, "EnableKey".into(), json!({"KeyId": ID})),
            ]
        );
        // It was disabled: it stays so.
        let p = run(vec![key(json!({"is_enabled": false}))], vec![]);
        assert_eq!(
            calls(&p),
            vec![(Step::Restore, "CancelKeyDeletion".into(), json!({"KeyId": ID}))]
        );
        // Not known: cancelled, and a person decides whether to enable it.
        let p = run(vec![key(json!({"is_enabled": {"$unknown": "denied"}}))], vec![]);
        assert_eq!(p.actions.len(), 1);
        assert_eq!(p.manual[0].path.as_deref(), Some("is_enabled"));
    }

    #[test]
    fn fixed_settings_are_manual_and_keys_are_never_deleted() {
        let p = run(
            vec![key(json!({}))],
            vec![key(
                json!({"key_usage": "SIGN_VERIFY", "customer_master_key_spec": "RSA_2048",
                            "multi_region": true}),
            )],
        );
        assert!(p.actions.is_empty(), "{:?}", p.actions);
        let paths: Vec<Option<&str>> = p.manual.iter().map(|m| m.path.as_deref()).collect();
        assert_eq!(
            paths,
            [
                Some("customer_master_key_spec"),
                Some("key_usage"),
                Some("multi_region")
            ]
        );
        assert!(p.manual[0].reason.contains("fixed when the key is created"));
        let opts = PlanOptions {
            delete_added: vec!["aws_kms_key".into()],
            ..PlanOptions::default()
        };
        let p = run_with(vec![], vec![key(json!({}))], &opts);
        assert!(p.actions.is_empty());
        assert_eq!(p.manual.len(), 1);
        // Without the flag: kept.
        let p = run(vec![], vec![key(json!({}))]);
        assert_eq!(p.kept.len(), 1);
    }
}
