//! Secrets Manager `ListSecrets` → `aws_secretsmanager_secret`, with the rotation on the secret
//! in the provider's inline form: `rotation_enabled`, `rotation_lambda_arn` and `rotation_rules`
//! (`[{automatically_after_days, duration, schedule_expression}]` when rotation is on, else
//! empty). Secret values are never read (no `GetSecretValue`).

use aws_sdk_secretsmanager::types::SecretListEntry;
use serde_json::{json, Map};

use attest_core::{LoadOutput, Reference, Resource};

use super::drain;
use super::targets::{managed, Targets, KMS, KMS_TYPES};
use crate::ctx::{client, Ctx};

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let sm = client!(c.session, aws_sdk_secretsmanager, "secretsmanager");
    let (pages, err) = drain(sm.list_secrets().into_paginator().send()).await;
    let mut out = LoadOutput::default();
    if let Some(e) = err {
        out.errors
            .push(c.error("secretsmanager", "ListSecrets", e.message));
    }
    out.resources.extend(
        pages
            .iter()
            .flat_map(|p| p.secret_list())
            .filter_map(|s| secret(c, s)),
    );
    out
}

pub fn secret(c: &Ctx<'_>, s: &SecretListEntry) -> Option<Resource> {
    let name = s.name()?;
    let arn = s.arn().map(str::to_string);
    let tf_id = arn.clone().unwrap_or_else(|| name.to_string());
    let mut a = Map::new();
    a.insert("id".into(), json!(tf_id));
    a.insert("arn".into(), json!(arn));
    a.insert("name".into(), json!(name));
    a.insert("description".into(), json!(s.description().unwrap_or_default()));
    a.insert("kms_key_id".into(), json!(s.kms_key_id().unwrap_or_default()));
    let enabled = s.rotation_enabled().unwrap_or(false);
    a.insert("rotation_enabled".into(), json!(enabled));
    a.insert(
        "rotation_lambda_arn".into(),
        json!(s.rotation_lambda_arn().unwrap_or_default()),
    );
    let rules = match (enabled, s.rotation_rules()) {
        (true, Some(r)) => vec![json!({
            "automatically_after_days": r.automatically_after_days(),
            "duration": r.duration(),
            "schedule_expression": r.schedule_expression(),
        })],
        // Rotation is on but the answer has no schedule: rotation still happens.
        (true, None) => vec![json!({
            "automatically_after_days": null,
            "duration": null,
            "schedule_expression": null,
        })],
        (false, _) => Vec::new(),
    };
    a.insert("rotation_rules".into(), json!(rules));
    a.insert("owning_service".into(), json!(s.owning_service()));
    a.insert("primary_region".into(), json!(s.primary_region()));
    a.insert(
        "tags".into(),
        super::tags(s.tags().iter().map(|t| (t.key(), t.value()))),
    );
    let rid = arn.unwrap_or_else(|| c.local_id("aws_secretsmanager_secret", name));
    Some(c.resource(rid, "aws_secretsmanager_secret", Some(&tf_id), a))
}

/// Secret → KMS key (`kms_key_id`) and rotation function (`rotation_lambda_arn`).
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    let t = Targets::build(out, &[KMS, &[("aws_lambda_function", &["arn"])]].concat());
    let mut refs = Vec::new();
    for r in managed(out, &["aws_secretsmanager_secret"]) {
        t.edges(r, "kms_key_id", KMS_TYPES, None, &mut refs);
        t.edges(
            r,
            "rotation_lambda_arn",
            &["aws_lambda_function"],
            None,
            &mut refs,
        );
    }
    refs
}

#[cfg(test)]
mod tests {
    use aws_sdk_secretsmanager::types::RotationRulesType;

    use super::*;
    use crate::ctx::Session;

    #[test]
    fn rotation_becomes_inline_rotation_rules() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
        let rotated = SecretListEntry::builder()
            .arn(arn)
            .name("db")
            .rotation_enabled(true)
            .rotation_lambda_arn("arn:aws:lambda:us-east-1:123456789012:function:rotate")
            .rotation_rules(RotationRulesType::builder().automatically_after_days(30).build())
            .build();
        let r = secret(&c, &rotated).expect("secret");
        assert_eq!(r.id, arn);
        assert_eq!(r.physical_id.as_deref(), Some(arn));
        assert_eq!(r.attr("name").as_str(), Some("db"));
        assert_eq!(
            r.attr("rotation_rules.0.automatically_after_days").as_i64(),
            Some(30)
        );

        let still = SecretListEntry::builder()
            .arn(arn)
            .name("db")
            .rotation_rules(RotationRulesType::builder().automatically_after_days(30).build())
            .build();
        let r = secret(&c, &still).expect("secret");
        assert_eq!(r.attr("rotation_enabled").as_bool(), Some(false));
        assert_eq!(r.attr("rotation_rules").to_json(), json!([]));
        assert!(r.attr("secret_string").is_null());
    }
}
