//! dynamodb calls of remediation plans: `UpdateTable` (deletion protection, encryption) and
//! `UpdateContinuousBackups` (point-in-time recovery).

use aws_sdk_dynamodb::types::{PointInTimeRecoverySpecification, SseSpecification, SseType};
use serde_json::Value;

use super::params;
use super::sdk_error;
use crate::ctx::{client, Session};

pub(super) async fn run(s: &Session, op: &str, p: &Value) -> Result<String, String> {
    let ddb = client!(s, aws_sdk_dynamodb, "dynamodb");
    match op {
        "UpdateTable" => {
            let table = params::str(p, "TableName")?;
            let mut req = ddb.update_table().table_name(table);
            let mut notes = Vec::new();
            if let Some(on) = p.get("DeletionProtectionEnabled") {
                let on = on
                    .as_bool()
                    .ok_or("the plan's `DeletionProtectionEnabled` parameter is not a boolean")?;
                req = req.deletion_protection_enabled(on);
                notes.push(format!("deletion protection {}", if on { "on" } else { "off" }));
            }
            if let Some(spec) = p.get("SSESpecification") {
                let (spec, note) = sse(spec)?;
                req = req.sse_specification(spec);
                notes.push(note);
            }
            if notes.is_empty() {
                return Err("the plan's UpdateTable call changes nothing attest knows".into());
            }
            req.send().await.map_err(|e| sdk_error(&e))?;
            Ok(format!("table {table}: {}", notes.join(", ")))
        }
        "UpdateContinuousBackups" => {
            let table = params::str(p, "TableName")?;
            let spec = p
                .get("PointInTimeRecoverySpecification")
                .ok_or("the plan's `PointInTimeRecoverySpecification` parameter is missing")?;
            let on = params::bool(spec, "PointInTimeRecoveryEnabled")?;
            let spec = PointInTimeRecoverySpecification::builder()
                .point_in_time_recovery_enabled(on)
                .build()
                .map_err(|e| e.to_string())?;
            ddb.update_continuous_backups()
                .table_name(table)
                .point_in_time_recovery_specification(spec)
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok(format!(
                "table {table}: point-in-time recovery {}",
                if on { "on" } else { "off" }
            ))
        }
        _ => Err(params::unsupported("dynamodb", op)),
    }
}

/// `SSESpecification` from the plan, and what it does.
fn sse(p: &Value) -> Result<(SseSpecification, String), String> {
    let enabled = params::bool(p, "Enabled")?;
    let mut b = SseSpecification::builder().enabled(enabled);
    if let Some(t) = params::opt_str(p, "SSEType") {
        b = b.sse_type(SseType::from(t));
    }
    let key = params::opt_str(p, "KMSMasterKeyId");
    if let Some(k) = key {
        b = b.kms_master_key_id(k);
    }
    let note = match (enabled, key) {
        (false, _) => "encryption with an AWS-owned key".to_string(),
        (true, Some(k)) => format!("encryption with KMS key {k}"),
        (true, None) => "encryption with the AWS-managed KMS key".to_string(),
    };
    Ok((b.build(), note))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn sse_specification_from_the_plan() {
        let (spec, note) =
            sse(&json!({"Enabled": true, "SSEType": "KMS", "KMSMasterKeyId": "arn:k"})).expect("spec");
        assert_eq!(spec.enabled(), Some(true));
        assert_eq!(spec.sse_type(), Some(&SseType::Kms));
        assert_eq!(spec.kms_master_key_id(), Some("arn:k"));
        assert_eq!(note, "encryption with KMS key arn:k");
        let (spec, _) = sse(&json!({"Enabled": false})).expect("spec");
        assert_eq!(spec.enabled(), Some(false));
        assert_eq!(spec.sse_type(), None);
        assert!(sse(&json!({"SSEType": "KMS"})).unwrap_err().contains("`Enabled`"));
    }

    #[tokio::test]
    async fn bad_plans_fail_before_calling_aws() {
        let s = Session::for_tests("us-east-1");
        let err = run(&s, "UpdateTable", &json!({"TableName": "t"}))
            .await
            .unwrap_err();
        assert!(err.contains("changes nothing"), "{err}");
        let err = run(&s, "UpdateTable", &json!({})).await.unwrap_err();
        assert!(err.contains("`TableName`"), "{err}");
        let err = run(&s, "UpdateContinuousBackups", &json!({"TableName": "t"}))
            .await
            .unwrap_err();
        assert!(err.contains("PointInTimeRecoverySpecification"), "{err}");
        let err = run(&s, "DeleteTable", &json!({"TableName": "t"}))
            .await
            .unwrap_err();
        assert_eq!(err, "attest does not call dynamodb.DeleteTable");
    }
}
