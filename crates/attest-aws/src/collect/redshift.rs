//! Redshift `DescribeClusters` and, per cluster, `DescribeLoggingStatus` → `aws_redshift_cluster`
//! (`publicly_accessible`, `encrypted`, `kms_key_id`, `enhanced_vpc_routing`,
//! `automated_snapshot_retention_period`, and the `logging` block).
//!
//! Whether the cluster's parameter group requires SSL (`require_ssl`) is not read:
//! `require_ssl` is unknown.

use aws_sdk_redshift::operation::describe_logging_status::DescribeLoggingStatusOutput;
use aws_sdk_redshift::types::Cluster;
use futures::StreamExt;
use serde_json::{json, Map, Value as Json};

use attest_core::{LoadOutput, Reference, Resource};

use super::targets::{managed, Targets, KMS, KMS_TYPES, SECURITY_GROUPS};
use super::{drain, unknown};
use crate::api::ApiError;
use crate::ctx::{client, Ctx};

/// `DescribeLoggingStatus` calls in flight at once.
const CONCURRENCY: usize = 8;

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let rs = client!(c.session, aws_sdk_redshift, "redshift");
    let (clusters, err) = drain(rs.describe_clusters().into_paginator().items().send()).await;
    let mut out = LoadOutput::default();
    if let Some(e) = err {
        out.errors
            .push(c.error("redshift", "DescribeClusters", e.message));
    }
    let rs = &rs;
    let read: Vec<(Cluster, Result<DescribeLoggingStatusOutput, ApiError>)> = futures::stream::iter(clusters)
        .map(|k| async move {
            let r = rs
                .describe_logging_status()
                .set_cluster_identifier(k.cluster_identifier().map(str::to_string))
                .send()
                .await
                .map_err(|e| ApiError::from_sdk(&e));
            (k, r)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    for (k, logging) in read {
        if let Err(e) = &logging {
            out.errors.push(c.error(
                "redshift",
                "DescribeLoggingStatus",
                format!(
                    "cluster {}: {}",
                    k.cluster_identifier().unwrap_or_default(),
                    e.message
                ),
            ));
        }
        if let Some(r) = cluster(c, &k, logging.as_ref()) {
            out.resources.push(r);
        }
    }
    out
}

/// A value the rules read: the API's answer, or unknown when the answer leaves it out.
fn told<T: Into<Json>>(value: Option<T>, field: &str) -> Json {
    match value {
        Some(v) => v.into(),
        None => unknown(&format!("redshift:DescribeClusters answered without {field}")),
    }
}

/// Terraform's `logging` block from `DescribeLoggingStatus`.
fn logging(l: &DescribeLoggingStatusOutput) -> Json {
    json!([{
        "enable": l.logging_enabled().unwrap_or(false),
        "bucket_name": l.bucket_name(),
        "s3_key_prefix": l.s3_key_prefix(),
        "log_destination_type": l.log_destination_type().map(|d| d.as_str()),
        "log_exports": l.log_exports(),
    }])
}

pub fn cluster(
    c: &Ctx<'_>,
    k: &Cluster,
    logs: Result<&DescribeLoggingStatusOutput, &ApiError>,
) -> Option<Resource> {
    let id = k.cluster_identifier()?;
    let arn = c.arn("redshift", &format!("cluster:{id}"));
    let mut a = Map::new();
    a.insert("id".into(), json!(id));
    a.insert("cluster_identifier".into(), json!(id));
    a.insert("arn".into(), json!(arn));
    a.insert("cluster_namespace_arn".into(), json!(k.cluster_namespace_arn()));
    a.insert("node_type".into(), json!(k.node_type()));
    a.insert("number_of_nodes".into(), json!(k.number_of_nodes()));
    a.insert(
        "cluster_type".into(),
        json!(k
            .number_of_nodes()
            .map(|n| if n > 1 { "multi-node" } else { "single-node" })),
    );
    a.insert("cluster_version".into(), json!(k.cluster_version()));
    a.insert("database_name".into(), json!(k.db_name()));
    a.insert("master_username".into(), json!(k.master_username()));
    a.insert(
        "publicly_accessible".into(),
        told(k.publicly_accessible(), "PubliclyAccessible"),
    );
    a.insert("encrypted".into(), told(k.encrypted(), "Encrypted"));
    a.insert("kms_key_id".into(), json!(k.kms_key_id().unwrap_or_default()));
    a.insert(
        "vpc_security_group_ids".into(),
        json!(k
            .vpc_security_groups()
            .iter()
            .filter_map(|g| g.vpc_security_group_id())
            .collect::<Vec<_>>()),
    );
    a.insert(
        "cluster_subnet_group_name".into(),
        json!(k.cluster_subnet_group_name()),
    );
    a.insert(
        "cluster_parameter_group_name".into(),
        json!(k
            .cluster_parameter_groups()
            .first()
            .and_then(|p| p.parameter_group_name())),
    );
    a.insert("availability_zone".into(), json!(k.availability_zone()));
    a.insert("vpc_id".into(), json!(k.vpc_id()));
    a.insert(
        "automated_snapshot_retention_period".into(),
        told(
            k.automated_snapshot_retention_period(),
            "AutomatedSnapshotRetentionPeriod",
        ),
    );
    a.insert(
        "manual_snapshot_retention_period".into(),
        json!(k.manual_snapshot_retention_period()),
    );
    a.insert(
        "enhanced_vpc_routing".into(),
        told(k.enhanced_vpc_routing(), "EnhancedVpcRouting"),
    );
    a.insert("allow_version_upgrade".into(), json!(k.allow_version_upgrade()));
    a.insert("port".into(), json!(k.endpoint().and_then(|e| e.port())));
    a.insert(
        "iam_roles".into(),
        json!(k
            .iam_roles()
            .iter()
            .filter_map(|r| r.iam_role_arn())
            .collect::<Vec<_>>()),
    );
    a.insert(
        "tags".into(),
        super::tags(k.tags().iter().map(|t| (t.key(), t.value()))),
    );
    a.insert(
        "logging".into(),
        match logs {
            Ok(l) => logging(l),
            Err(e) => unknown(&e.unknown_reason("redshift", "DescribeLoggingStatus")),
        },
    );
    super::not_collected(&mut a, &["require_ssl"]);
    let rid = arn.unwrap_or_else(|| c.local_id("aws_redshift_cluster", id));
    Some(c.resource(rid, "aws_redshift_cluster", Some(id), a))
}

/// Cluster → security groups (`vpc_security_group_ids.<i>`) and KMS key (`kms_key_id`).
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    let t = Targets::build(out, &[KMS, SECURITY_GROUPS].concat());
    let mut refs = Vec::new();
    for r in managed(out, &["aws_redshift_cluster"]) {
        t.edges(
            r,
            "vpc_security_group_ids",
            &["aws_security_group"],
            None,
            &mut refs,
        );
        t.edges(r, "kms_key_id", KMS_TYPES, None, &mut refs);
    }
    refs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ctx::Session;
    use attest_core::Value;

    #[test]
    fn cluster_and_logging() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let k = Cluster::builder()
            .cluster_identifier("warehouse")
            .publicly_accessible(false)
            .encrypted(true)
            .number_of_nodes(2)
            .build();
        let l = DescribeLoggingStatusOutput::builder()
            .logging_enabled(true)
            .bucket_name("audit")
            .build();
        let r = cluster(&c, &k, Ok(&l)).expect("cluster");
        assert_eq!(r.id, "arn:aws:redshift:us-east-1:123456789012:cluster:warehouse");
        assert_eq!(r.attr("publicly_accessible").as_bool(), Some(false));
        assert_eq!(r.attr("cluster_type").as_str(), Some("multi-node"));
        assert_eq!(r.attr("logging.0.enable").as_bool(), Some(true));
        assert_eq!(r.attr("logging.0.bucket_name").as_str(), Some("audit"));
        assert!(r.attr("require_ssl").is_unknown());
        assert!(r.attr("enhanced_vpc_routing").is_unknown());
    }

    #[test]
    fn denied_logging_status_is_unknown() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, None);
        let k = Cluster::builder().cluster_identifier("w").build();
        let denied = ApiError {
            code: "AccessDenied".into(),
            message: "no".into(),
        };
        let r = cluster(&c, &k, Err(&denied)).expect("cluster");
        assert_eq!(r.id, "aws_redshift_cluster:us-east-1:w");
        assert_eq!(
            r.attr("logging"),
            &Value::Unknown("AccessDenied on redshift:DescribeLoggingStatus".into())
        );
        assert!(r.attr("publicly_accessible").is_unknown());
    }
}
