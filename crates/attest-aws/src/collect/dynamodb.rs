//! DynamoDB `ListTables`, `DescribeTable` and `DescribeContinuousBackups` → `aws_dynamodb_table`.
//!
//! A failed `DescribeTable` leaves the attributes it tells unknown; a failed
//! `DescribeContinuousBackups` leaves `point_in_time_recovery` unknown.

use aws_sdk_dynamodb::types::{
    ContinuousBackupsDescription, KeyType, PointInTimeRecoveryStatus, SseStatus, SseType, TableDescription,
};
use futures::StreamExt;
use serde_json::{json, Map, Value as Json};

use attest_core::{LoadOutput, Resource};

use super::{drain, unknown};
use crate::api::ApiError;
use crate::ctx::{client, Ctx};

/// Tables read at once (two calls each).
const CONCURRENCY: usize = 8;

/// The attributes only `DescribeTable` tells.
const DESCRIBED: &[&str] = &[
    "billing_mode",
    "hash_key",
    "range_key",
    "server_side_encryption",
    "stream_enabled",
    "deletion_protection_enabled",
    "table_class",
];

/// A listed table with the answers of its two per-table calls.
type TableRead = (
    String,
    Result<TableDescription, ApiError>,
    Result<ContinuousBackupsDescription, ApiError>,
);

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let ddb = client!(c.session, aws_sdk_dynamodb, "dynamodb");
    let (names, err) = drain(ddb.list_tables().into_paginator().items().send()).await;
    let mut out = LoadOutput::default();
    if let Some(e) = err {
        out.errors.push(c.error("dynamodb", "ListTables", e.message));
    }
    let ddb = &ddb;
    let read: Vec<TableRead> = futures::stream::iter(names)
        .map(|name| async move {
            let (described, backups) = tokio::join!(
                ddb.describe_table().table_name(&name).send(),
                ddb.describe_continuous_backups().table_name(&name).send(),
            );
            let described = described.map_err(|e| ApiError::from_sdk(&e)).and_then(|o| {
                o.table.ok_or_else(|| ApiError {
                    code: "EmptyAnswer".into(),
                    message: "DescribeTable answered without a table".into(),
                })
            });
            let backups = backups.map_err(|e| ApiError::from_sdk(&e)).and_then(|o| {
                o.continuous_backups_description.ok_or_else(|| ApiError {
                    code: "EmptyAnswer".into(),
                    message: "DescribeContinuousBackups answered without a description".into(),
                })
            });
            (name, described, backups)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    for (name, described, backups) in read {
        if let Err(e) = &described {
            out.errors.push(c.error(
                "dynamodb",
                "DescribeTable",
                format!("table {name}: {}", e.message),
            ));
        }
        if let Err(e) = &backups {
            out.errors.push(c.error(
                "dynamodb",
                "DescribeContinuousBackups",
                format!("table {name}: {}", e.message),
            ));
        }
        out.resources
            .push(table(c, &name, described.as_ref(), backups.as_ref()));
    }
    out
}

/// A table from its `DescribeTable` and `DescribeContinuousBackups` answers, or with the
/// attributes only a failed call tells unknown.
pub fn table(
    c: &Ctx<'_>,
    name: &str,
    described: Result<&TableDescription, &ApiError>,
    backups: Result<&ContinuousBackupsDescription, &ApiError>,
) -> Resource {
    let mut a = Map::new();
    a.insert("id".into(), json!(name));
    a.insert("name".into(), json!(name));
    let arn = match described {
        Ok(t) => t
            .table_arn()
            .map(str::to_string)
            .or_else(|| c.arn("dynamodb", &format!("table/{name}"))),
        Err(_) => c.arn("dynamodb", &format!("table/{name}")),
    };
    a.insert("arn".into(), json!(arn));
    super::not_collected(&mut a, &["ttl", "replica"]);
    a.insert(
        "point_in_time_recovery".into(),
        match backups {
            Ok(b) => pitr(b),
            Err(e) => unknown(&e.unknown_reason("dynamodb", "DescribeContinuousBackups")),
        },
    );
    match described {
        Ok(t) => {
            let key = |kind: KeyType| {
                t.key_schema()
                    .iter()
                    .find(|k| k.key_type() == &kind)
                    .map(|k| k.attribute_name().to_string())
            };
            a.insert("hash_key".into(), json!(key(KeyType::Hash)));
            a.insert("range_key".into(), json!(key(KeyType::Range)));
            a.insert(
                "billing_mode".into(),
                json!(t
                    .billing_mode_summary()
                    .and_then(|b| b.billing_mode())
                    .map(|m| m.as_str())
                    .unwrap_or("PROVISIONED")),
            );
            a.insert(
                "stream_enabled".into(),
                json!(t.stream_specification().is_some_and(|s| s.stream_enabled())),
            );
            a.insert(
                "deletion_protection_enabled".into(),
                json!(t.deletion_protection_enabled().unwrap_or(false)),
            );
            a.insert(
                "table_class".into(),
                json!(t
                    .table_class_summary()
                    .and_then(|s| s.table_class())
                    .map(|s| s.as_str())
                    .unwrap_or("STANDARD")),
            );
            a.insert("server_side_encryption".into(), sse(t));
        }
        Err(e) => {
            let reason = e.unknown_reason("dynamodb", "DescribeTable");
            for key in DESCRIBED {
                a.insert((*key).into(), unknown(&reason));
            }
        }
    }
    let rid = arn.unwrap_or_else(|| c.local_id("aws_dynamodb_table", name));
    c.resource(rid, "aws_dynamodb_table", Some(name), a)
}

/// `PointInTimeRecoveryDescription` as Terraform's `point_in_time_recovery` block: no description
/// is recovery off; a status other than ENABLED/DISABLED is unknown.
fn pitr(b: &ContinuousBackupsDescription) -> Json {
    let enabled = match b
        .point_in_time_recovery_description()
        .and_then(|d| d.point_in_time_recovery_status())
    {
        None | Some(PointInTimeRecoveryStatus::Disabled) => json!(false),
        Some(PointInTimeRecoveryStatus::Enabled) => json!(true),
        Some(other) => unknown(&format!(
            "DynamoDB reports point-in-time recovery status {}",
            other.as_str()
        )),
    };
    json!([{ "enabled": enabled }])
}

/// `SSEDescription` as Terraform's `server_side_encryption` block: absent → no block (the table
/// uses an AWS-owned key); ENABLED/UPDATING with KMS → enabled; DISABLED → disabled; a change in
/// progress (ENABLING, DISABLING) → unknown.
fn sse(t: &TableDescription) -> Json {
    let Some(d) = t.sse_description() else {
        return json!([]);
    };
    let kms = matches!(d.sse_type(), None | Some(SseType::Kms));
    let enabled = match d.status() {
        Some(SseStatus::Enabled) | Some(SseStatus::Updating) => json!(kms),
        Some(SseStatus::Disabled) => json!(false),
        Some(other) => unknown(&format!("DynamoDB reports encryption status {}", other.as_str())),
        None => json!(kms),
    };
    json!([{ "enabled": enabled, "kms_key_arn": d.kms_master_key_arn().unwrap_or_default() }])
}

#[cfg(test)]
mod tests {
    use aws_sdk_dynamodb::types::{ContinuousBackupsStatus, PointInTimeRecoveryDescription, SseDescription};

    use super::*;
    use crate::ctx::Session;

    fn denied() -> ApiError {
        ApiError {
            code: "AccessDeniedException".into(),
            message: "not allowed".into(),
        }
    }

    fn backups(status: Option<PointInTimeRecoveryStatus>) -> ContinuousBackupsDescription {
        let mut b = ContinuousBackupsDescription::builder()
            .continuous_backups_status(ContinuousBackupsStatus::Enabled);
        if let Some(status) = status {
            b = b.point_in_time_recovery_description(
                PointInTimeRecoveryDescription::builder()
                    .point_in_time_recovery_status(status)
                    .build(),
            );
        }
        b.build().expect("description")
    }

    #[test]
    fn denied_describe_table_leaves_encryption_unknown() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let off = backups(Some(PointInTimeRecoveryStatus::Disabled));
        let t = table(&c, "orders", Err(&denied()), Ok(&off));
        assert_eq!(t.id, "arn:aws:dynamodb:us-east-1:123456789012:table/orders");
        assert_eq!(
            t.attr("server_side_encryption"),
            &attest_core::Value::Unknown("AccessDeniedException on dynamodb:DescribeTable".into())
        );
        // What the other call told stays known.
        assert_eq!(
            t.attr("point_in_time_recovery").to_json(),
            serde_json::json!([{"enabled": false}])
        );
    }

    #[test]
    fn point_in_time_recovery_from_continuous_backups() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let plain = TableDescription::builder().table_name("t").build();
        let pitr = |b: Result<&ContinuousBackupsDescription, &ApiError>| {
            table(&c, "t", Ok(&plain), b)
                .attr("point_in_time_recovery")
                .clone()
        };
        let on = backups(Some(PointInTimeRecoveryStatus::Enabled));
        assert_eq!(pitr(Ok(&on)).to_json(), serde_json::json!([{"enabled": true}]));
        let off = backups(Some(PointInTimeRecoveryStatus::Disabled));
        assert_eq!(pitr(Ok(&off)).to_json(), serde_json::json!([{"enabled": false}]));
        // No recovery description: recovery was never turned on.
        assert_eq!(
            pitr(Ok(&backups(None))).to_json(),
            serde_json::json!([{"enabled": false}])
        );
        // A status this SDK does not know is not guessed.
        let odd = backups(Some(PointInTimeRecoveryStatus::from("ENABLING")));
        assert!(table(&c, "t", Ok(&plain), Ok(&odd))
            .attr("point_in_time_recovery.enabled")
            .is_unknown());
        // A denied call leaves the block unknown, with the reason; the rest stays known.
        let denied = denied();
        let t = table(&c, "t", Ok(&plain), Err(&denied));
        assert_eq!(
            t.attr("point_in_time_recovery"),
            &attest_core::Value::Unknown(
                "AccessDeniedException on dynamodb:DescribeContinuousBackups".into()
            )
        );
        assert_eq!(t.attr("deletion_protection_enabled").as_bool(), Some(false));
    }

    #[test]
    fn sse_description_maps_to_the_terraform_block() {
        let s = Session::for_tests("eu-west-1");
        let c = Ctx::new(&s, None);
        let off = backups(None);
        let kms = TableDescription::builder()
            .table_name("t")
            .sse_description(
                SseDescription::builder()
                    .status(SseStatus::Enabled)
                    .sse_type(SseType::Kms)
                    .kms_master_key_arn("arn:aws:kms:eu-west-1:1:key/k")
                    .build(),
            )
            .build();
        let r = table(&c, "t", Ok(&kms), Ok(&off));
        assert_eq!(r.id, "aws_dynamodb_table:eu-west-1:t");
        assert_eq!(
            r.attr("server_side_encryption").to_json(),
            serde_json::json!([{"enabled": true, "kms_key_arn": "arn:aws:kms:eu-west-1:1:key/k"}])
        );
        let plain = TableDescription::builder().table_name("p").build();
        assert_eq!(
            table(&c, "p", Ok(&plain), Ok(&off))
                .attr("server_side_encryption")
                .to_json(),
            serde_json::json!([])
        );
        let enabling = TableDescription::builder()
            .sse_description(SseDescription::builder().status(SseStatus::Enabling).build())
            .build();
        assert!(table(&c, "e", Ok(&enabling), Ok(&off))
            .attr("server_side_encryption.enabled")
            .is_unknown());
    }
}
