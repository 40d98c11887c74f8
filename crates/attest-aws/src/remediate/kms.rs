//! kms calls of remediation plans: a key's enabled state, automatic rotation, `default` key
//! policy and description, and cancelling a scheduled deletion. Keys are never deleted.

use serde_json::Value;

use super::params::{self, opt_i64, str};
use crate::ctx::{client, Session};

/// Sends a request: the note when it succeeds, the service's error otherwise.
pub(super) async fn run(s: &Session, op: &str, p: &Value) -> Result<String, String> {
    let kms = client!(s, aws_sdk_kms, "kms");
    match op {
        "EnableKey" => {
            let key = str(p, "KeyId")?;
            send!(kms.enable_key().key_id(key), format!("enabled key {key}"))
        }
        "DisableKey" => {
            let key = str(p, "KeyId")?;
            send!(kms.disable_key().key_id(key), format!("disabled key {key}"))
        }
        "CancelKeyDeletion" => {
            let key = str(p, "KeyId")?;
            send!(
                kms.cancel_key_deletion().key_id(key),
                format!("cancelled the deletion of key {key} (it is disabled until enabled)")
            )
        }
        "EnableKeyRotation" => {
            let key = str(p, "KeyId")?;
            let days = match p.get("RotationPeriodInDays") {
                None | Some(Value::Null) => None,
                Some(_) => Some(
                    opt_i64(p, "RotationPeriodInDays")
                        .and_then(|n| i32::try_from(n).ok())
                        .ok_or("the plan's `RotationPeriodInDays` parameter is not a 32-bit integer")?,
                ),
            };
            send!(
                kms.enable_key_rotation()
                    .key_id(key)
                    .set_rotation_period_in_days(days),
                format!("enabled automatic rotation of key {key}")
            )
        }
        "DisableKeyRotation" => {
            let key = str(p, "KeyId")?;
            send!(
                kms.disable_key_rotation().key_id(key),
                format!("disabled automatic rotation of key {key}")
            )
        }
        "PutKeyPolicy" => {
            let key = str(p, "KeyId")?;
            send!(
                kms.put_key_policy()
                    .key_id(key)
                    .policy_name(str(p, "PolicyName")?)
                    .policy(str(p, "Policy")?),
                format!("restored the policy of key {key}")
            )
        }
        "UpdateKeyDescription" => {
            let key = str(p, "KeyId")?;
            send!(
                kms.update_key_description()
                    .key_id(key)
                    .description(str(p, "Description")?),
                format!("restored the description of key {key}")
            )
        }
        _ => Err(params::unsupported("kms", op)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[tokio::test]
    async fn unknown_operations_and_bad_parameters_are_errors() {
        let s = Session::for_tests("us-east-1");
        let e = run(&s, "ScheduleKeyDeletion", &json!({"KeyId": "k"}))
            .await
            .expect_err("never deletes");
        assert_eq!(e, "attest does not call kms.ScheduleKeyDeletion");
        let e = run(
            &s,
            "PutKeyPolicy",
            &json!({"KeyId": "k", "PolicyName": "default"}),
        )
        .await
        .expect_err("missing");
        assert!(e.contains("`Policy`"), "{e}");
        let e = run(
            &s,
            "EnableKeyRotation",
            &json!({"KeyId": "k", "RotationPeriodInDays": "x"}),
        )
        .await
        .expect_err("bad period");
        assert!(e.contains("`RotationPeriodInDays`"), "{e}");
    }
}
