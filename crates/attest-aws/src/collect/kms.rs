//! KMS `ListKeys` and `DescribeKey` → `aws_kms_key` (customer-managed keys only), with
//! `GetKeyRotationStatus` (`enable_key_rotation`, `rotation_period_in_days`) and `GetKeyPolicy`
//! of the `default` policy (`policy`) per key.
//!
//! Which keys become resources, as Terraform sees them:
//! - AWS-managed keys (`KeyManager` `AWS`, the `aws/<service>` keys) are not: nobody declares or
//!   configures them, and their rotation is AWS's (yearly, always on).
//! - Keys pending deletion (or replica deletion) are not: the provider reads such a key as gone,
//!   and the key can no longer be used.
//! - Disabled keys are, with `is_enabled = false`.
//!
//! Automatic rotation exists only for symmetric encryption keys whose material KMS generated
//! (`SYMMETRIC_DEFAULT`, origin `AWS_KMS`). For every other key (asymmetric, HMAC, imported
//! material, custom key stores) `GetKeyRotationStatus` is not asked and `enable_key_rotation` is
//! `false`, as Terraform shows it; the rotation rule skips asymmetric and HMAC keys by their
//! `customer_master_key_spec`.
//!
//! A failed `DescribeKey` keeps the listed key with every attribute but its id and ARN unknown (it
//! may or may not be customer-managed); a failed `GetKeyRotationStatus` or `GetKeyPolicy` leaves
//! `enable_key_rotation` or `policy` unknown.

use aws_sdk_kms::types::{KeyManagerType, KeyMetadata, KeySpec, KeyState, KeyUsageType, OriginType};
use futures::StreamExt;
use serde_json::{json, Map};

use attest_core::{LoadOutput, Reference, Resource};

use super::{drain, unknown};
use crate::api::ApiError;
use crate::ctx::{client, Ctx};

const TYPE: &str = "aws_kms_key";

/// Keys read at once (up to three calls each).
const CONCURRENCY: usize = 8;

/// The attributes only `DescribeKey` (and the calls it decides) tell.
const DESCRIBED: &[&str] = &[
    "description",
    "key_usage",
    "customer_master_key_spec",
    "is_enabled",
    "multi_region",
    "enable_key_rotation",
    "rotation_period_in_days",
    "policy",
];

/// What the per-key calls told about one customer-managed key.
#[derive(Debug)]
pub struct Described {
    pub meta: KeyMetadata,
    /// `None` when automatic rotation does not apply to the key; else (enabled, period in days).
    pub rotation: Option<Result<(bool, Option<i32>), ApiError>>,
    pub policy: Result<Option<String>, ApiError>,
}

/// One listed key after reading it.
enum Read {
    /// AWS-managed or pending deletion: not a resource.
    Skipped,
    Described(Box<Described>),
    Failed(ApiError),
}

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let kms = client!(c.session, aws_sdk_kms, "kms");
    let (listed, err) = drain(kms.list_keys().into_paginator().items().send()).await;
    let mut out = LoadOutput::default();
    if let Some(e) = err {
        out.errors.push(c.error("kms", "ListKeys", e.message));
    }
    let kms = &kms;
    let read: Vec<(String, Option<String>, Read)> = futures::stream::iter(listed)
        .filter_map(|k| async move {
            let id = k.key_id()?.to_string();
            Some((id, k.key_arn().map(str::to_string)))
        })
        .map(|(id, arn)| async move {
            let r = read_key(kms, &id).await;
            (id, arn, r)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    for (id, arn, r) in read {
        let described = match r {
            Read::Skipped => continue,
            Read::Described(d) => Ok(d),
            Read::Failed(e) => {
                out.errors
                    .push(c.error("kms", "DescribeKey", format!("key {id}: {}", e.message)));
                Err(e)
            }
        };
        if let Ok(d) = &described {
            if let Some(Err(e)) = &d.rotation {
                out.errors
                    .push(c.error("kms", "GetKeyRotationStatus", format!("key {id}: {}", e.message)));
            }
            if let Err(e) = &d.policy {
                out.errors
                    .push(c.error("kms", "GetKeyPolicy", format!("key {id}: {}", e.message)));
            }
        }
        out.resources
            .extend(key(c, &id, arn.as_deref(), described.as_deref()));
    }
    out
}

async fn read_key(kms: &aws_sdk_kms::Client, id: &str) -> Read {
    let meta = match kms.describe_key().key_id(id).send().await {
        Ok(o) => match o.key_metadata {
            Some(m) => m,
            None => {
                return Read::Failed(ApiError {
                    code: "EmptyAnswer".into(),
                    message: "DescribeKey answered without key metadata".into(),
                })
            }
        },
        Err(e) => return Read::Failed(ApiError::from_sdk(&e)),
    };
    if !wanted(&meta) {
        return Read::Skipped;
    }
    let rotation = async {
        if !rotatable(&meta) {
            return None;
        }
        Some(match kms.get_key_rotation_status().key_id(id).send().await {
            Ok(o) => Ok((o.key_rotation_enabled(), o.rotation_period_in_days())),
            Err(e) => {
                let e = ApiError::from_sdk(&e);
                if e.code == "UnsupportedOperationException" {
                    // The key cannot rotate automatically.
                    Ok((false, None))
                } else {
                    Err(e)
                }
            }
        })
    };
    let policy = async {
        kms.get_key_policy()
            .key_id(id)
            .policy_name("default")
            .send()
            .await
            .map(|o| o.policy)
            .map_err(|e| ApiError::from_sdk(&e))
    };
    let (rotation, policy) = tokio::join!(rotation, policy);
    Read::Described(Box::new(Described {
        meta,
        rotation,
        policy,
    }))
}

/// Customer-managed keys that are not on their way out.
fn wanted(m: &KeyMetadata) -> bool {
    m.key_manager() != Some(&KeyManagerType::Aws)
        && !matches!(
            m.key_state(),
            Some(KeyState::PendingDeletion) | Some(KeyState::PendingReplicaDeletion)
        )
}

/// Whether KMS can rotate the key automatically: a symmetric encryption key with key material
/// KMS generated.
fn rotatable(m: &KeyMetadata) -> bool {
    matches!(key_spec(m).as_deref(), None | Some("SYMMETRIC_DEFAULT"))
        && matches!(m.key_usage(), None | Some(KeyUsageType::EncryptDecrypt))
        && matches!(m.origin(), None | Some(OriginType::AwsKms))
}

/// `KeySpec` (which replaced `CustomerMasterKeySpec`; Terraform shows it as
/// `customer_master_key_spec`).
fn key_spec(m: &KeyMetadata) -> Option<String> {
    m.key_spec().map(KeySpec::as_str).map(str::to_string)
}

/// A key from what its calls told; `None` for keys that are not resources (AWS-managed, pending
/// deletion).
pub fn key(
    c: &Ctx<'_>,
    id: &str,
    listed_arn: Option<&str>,
    described: Result<&Described, &ApiError>,
) -> Option<Resource> {
    let arn = described
        .ok()
        .and_then(|d| d.meta.arn())
        .or(listed_arn)
        .map(str::to_string)
        .or_else(|| c.arn("kms", &format!("key/{id}")));
    let mut a = Map::new();
    a.insert("id".into(), json!(id));
    a.insert("key_id".into(), json!(id));
    a.insert("arn".into(), json!(arn));
    match described {
        Ok(d) => {
            let m = &d.meta;
            if !wanted(m) {
                return None;
            }
            a.insert("description".into(), json!(m.description().unwrap_or_default()));
            a.insert(
                "key_usage".into(),
                json!(m.key_usage().map(|u| u.as_str()).unwrap_or("ENCRYPT_DECRYPT")),
            );
            a.insert(
                "customer_master_key_spec".into(),
                json!(key_spec(m).unwrap_or_else(|| "SYMMETRIC_DEFAULT".into())),
            );
            a.insert("is_enabled".into(), json!(m.enabled()));
            a.insert("multi_region".into(), json!(m.multi_region().unwrap_or(false)));
            a.insert("custom_key_store_id".into(), json!(m.custom_key_store_id()));
            let (rotation, period) = match &d.rotation {
                None => (json!(false), json!(null)),
                Some(Ok((on, days))) => (json!(on), json!(days)),
                Some(Err(e)) => {
                    let u = unknown(&e.unknown_reason("kms", "GetKeyRotationStatus"));
                    (u.clone(), u)
                }
            };
            a.insert("enable_key_rotation".into(), rotation);
            a.insert("rotation_period_in_days".into(), period);
            a.insert(
                "policy".into(),
                match &d.policy {
                    Ok(Some(p)) => json!(p),
                    Ok(None) => unknown("GetKeyPolicy answered without a policy"),
                    Err(e) => unknown(&e.unknown_reason("kms", "GetKeyPolicy")),
                },
            );
        }
        Err(e) => {
            let reason = e.unknown_reason("kms", "DescribeKey");
            for k in DESCRIBED {
                a.insert((*k).into(), unknown(&reason));
            }
        }
    }
    let rid = arn.unwrap_or_else(|| c.local_id(TYPE, id));
    Some(c.resource(rid, TYPE, Some(id), a))
}

/// KMS keys refer to nothing the rules follow; trails, topics and queues link to them.
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    let _ = out;
    Vec::new()
}

#[cfg(test)]
mod tests {
    use aws_sdk_kms::types::KeyState;
    use serde_json::json;

    use super::*;
    use crate::ctx::Session;

    fn meta(id: &str) -> aws_sdk_kms::types::builders::KeyMetadataBuilder {
        KeyMetadata::builder()
            .key_id(id)
            .arn(format!("arn:aws:kms:us-east-1:123456789012:key/{id}"))
            .key_manager(KeyManagerType::Customer)
            .key_state(KeyState::Enabled)
            .enabled(true)
            .key_usage(KeyUsageType::EncryptDecrypt)
            .key_spec(KeySpec::SymmetricDefault)
            .origin(OriginType::AwsKms)
    }

    fn denied() -> ApiError {
        ApiError {
            code: "AccessDeniedException".into(),
            message: "not allowed".into(),
        }
    }

    #[test]
    fn symmetric_key_with_rotation_and_policy() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let d = Described {
            meta: meta("k1").description("data").build().expect("meta"),
            rotation: Some(Ok((true, Some(365)))),
            policy: Ok(Some(r#"{"Statement":[]}"#.into())),
        };
        assert!(rotatable(&d.meta));
        let r = key(&c, "k1", None, Ok(&d)).expect("key");
        assert_eq!(r.id, "arn:aws:kms:us-east-1:123456789012:key/k1");
        assert_eq!(r.physical_id.as_deref(), Some("k1"));
        let a = r.attributes.to_json();
        assert_eq!(a["enable_key_rotation"], json!(true));
        assert_eq!(a["rotation_period_in_days"], json!(365));
        assert_eq!(a["customer_master_key_spec"], json!("SYMMETRIC_DEFAULT"));
        assert_eq!(a["key_usage"], json!("ENCRYPT_DECRYPT"));
        assert_eq!(a["policy"], json!(r#"{"Statement":[]}"#));
        assert_eq!(a["is_enabled"], json!(true));
        assert_eq!(a["description"], json!("data"));
    }

    #[test]
    fn asymmetric_and_imported_keys_do_not_rotate() {
        let rsa = meta("k2")
            .key_spec(KeySpec::Rsa2048)
            .key_usage(KeyUsageType::SignVerify)
            .build()
            .expect("meta");
        assert!(!rotatable(&rsa));
        let imported = meta("k3").origin(OriginType::External).build().expect("meta");
        assert!(!rotatable(&imported));
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let d = Described {
            meta: rsa,
            rotation: None,
            policy: Ok(Some("{}".into())),
        };
        let r = key(&c, "k2", None, Ok(&d)).expect("key");
        assert_eq!(r.attr("customer_master_key_spec").as_str(), Some("RSA_2048"));
        assert_eq!(r.attr("enable_key_rotation").as_bool(), Some(false));
    }

    #[test]
    fn aws_managed_and_deleted_keys_are_not_resources() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        for m in [
            meta("aws").key_manager(KeyManagerType::Aws).build(),
            meta("gone").key_state(KeyState::PendingDeletion).build(),
        ] {
            let d = Described {
                meta: m.expect("meta"),
                rotation: None,
                policy: Ok(None),
            };
            assert!(key(&c, "x", None, Ok(&d)).is_none());
        }
        let disabled = Described {
            meta: meta("off")
                .enabled(false)
                .key_state(KeyState::Disabled)
                .build()
                .expect("meta"),
            rotation: Some(Ok((false, None))),
            policy: Ok(Some("{}".into())),
        };
        let r = key(&c, "off", None, Ok(&disabled)).expect("disabled keys stay");
        assert_eq!(r.attr("is_enabled").as_bool(), Some(false));
    }

    #[test]
    fn denied_calls_leave_their_attributes_unknown() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let d = Described {
            meta: meta("k4").build().expect("meta"),
            rotation: Some(Err(denied())),
            policy: Err(denied()),
        };
        let r = key(&c, "k4", None, Ok(&d)).expect("key");
        assert_eq!(
            r.attr("enable_key_rotation"),
            &attest_core::Value::Unknown("AccessDeniedException on kms:GetKeyRotationStatus".into())
        );
        assert_eq!(
            r.attr("policy"),
            &attest_core::Value::Unknown("AccessDeniedException on kms:GetKeyPolicy".into())
        );
        assert_eq!(
            r.attr("customer_master_key_spec").as_str(),
            Some("SYMMETRIC_DEFAULT")
        );
        // DescribeKey denied: only the listed id and ARN are known.
        let r = key(
            &c,
            "k5",
            Some("arn:aws:kms:us-east-1:123456789012:key/k5"),
            Err(&denied()),
        )
        .expect("key");
        assert_eq!(r.id, "arn:aws:kms:us-east-1:123456789012:key/k5");
        for k in DESCRIBED {
            assert!(r.attr(k).is_unknown(), "{k}");
        }
    }
}
