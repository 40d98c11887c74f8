//! ElastiCache `DescribeReplicationGroups` → `aws_elasticache_replication_group`
//! (`at_rest_encryption_enabled`, `transit_encryption_enabled`, `auth_token_enabled`,
//! `automatic_failover_enabled`…). The AUTH token itself is never read.
//!
//! Stand-alone cache clusters (`DescribeCacheClusters`, Terraform's `aws_elasticache_cluster`) are
//! not collected: no rule reads them.

use aws_sdk_elasticache::types::{AutomaticFailoverStatus, MultiAzStatus, ReplicationGroup};
use serde_json::{json, Map, Value as Json};

use attest_core::{LoadOutput, Reference, Resource};

use super::targets::{managed, Targets, KMS, KMS_TYPES};
use super::{drain, unknown};
use crate::ctx::{client, Ctx};

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let ec = client!(c.session, aws_sdk_elasticache, "elasticache");
    let (groups, err) = drain(ec.describe_replication_groups().into_paginator().items().send()).await;
    let mut out = LoadOutput::default();
    if let Some(e) = err {
        out.errors
            .push(c.error("elasticache", "DescribeReplicationGroups", e.message));
    }
    out.resources
        .extend(groups.iter().filter_map(|g| replication_group(c, g)));
    out
}

/// A value the rules read: the API's answer, or unknown when the answer leaves it out.
fn told(value: Option<bool>, field: &str) -> Json {
    match value {
        Some(v) => json!(v),
        None => unknown(&format!(
            "elasticache:DescribeReplicationGroups answered without {field}"
        )),
    }
}

pub fn replication_group(c: &Ctx<'_>, g: &ReplicationGroup) -> Option<Resource> {
    let id = g.replication_group_id()?;
    let arn = g
        .arn()
        .map(str::to_string)
        .or_else(|| c.arn("elasticache", &format!("replicationgroup:{id}")));
    let mut a = Map::new();
    a.insert("id".into(), json!(id));
    a.insert("replication_group_id".into(), json!(id));
    a.insert("arn".into(), json!(arn));
    a.insert("description".into(), json!(g.description()));
    a.insert("engine".into(), json!(g.engine().unwrap_or("redis")));
    a.insert("node_type".into(), json!(g.cache_node_type()));
    a.insert("member_clusters".into(), json!(g.member_clusters()));
    a.insert("num_cache_clusters".into(), json!(g.member_clusters().len()));
    a.insert("num_node_groups".into(), json!(g.node_groups().len()));
    a.insert(
        "at_rest_encryption_enabled".into(),
        told(g.at_rest_encryption_enabled(), "AtRestEncryptionEnabled"),
    );
    a.insert(
        "transit_encryption_enabled".into(),
        told(g.transit_encryption_enabled(), "TransitEncryptionEnabled"),
    );
    a.insert(
        "transit_encryption_mode".into(),
        json!(g.transit_encryption_mode().map(|m| m.as_str())),
    );
    a.insert("kms_key_id".into(), json!(g.kms_key_id().unwrap_or_default()));
    a.insert(
        "auth_token_enabled".into(),
        json!(g.auth_token_enabled().unwrap_or(false)),
    );
    a.insert(
        "automatic_failover_enabled".into(),
        json!(matches!(
            g.automatic_failover(),
            Some(AutomaticFailoverStatus::Enabled | AutomaticFailoverStatus::Enabling)
        )),
    );
    a.insert(
        "multi_az_enabled".into(),
        json!(g.multi_az() == Some(&MultiAzStatus::Enabled)),
    );
    a.insert(
        "cluster_enabled".into(),
        json!(g.cluster_enabled().unwrap_or(false)),
    );
    a.insert("cluster_mode".into(), json!(g.cluster_mode().map(|m| m.as_str())));
    a.insert(
        "snapshot_retention_limit".into(),
        json!(g.snapshot_retention_limit().unwrap_or(0)),
    );
    a.insert(
        "auto_minor_version_upgrade".into(),
        json!(g.auto_minor_version_upgrade()),
    );
    a.insert("user_group_ids".into(), json!(g.user_group_ids()));
    let rid = arn.unwrap_or_else(|| c.local_id("aws_elasticache_replication_group", id));
    Some(c.resource(rid, "aws_elasticache_replication_group", Some(id), a))
}

/// Replication group → KMS key (`kms_key_id`).
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    let t = Targets::build(out, KMS);
    let mut refs = Vec::new();
    for r in managed(out, &["aws_elasticache_replication_group"]) {
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
    fn encryption_flags_and_missing_answers() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let g = ReplicationGroup::builder()
            .replication_group_id("cache")
            .arn("arn:aws:elasticache:us-east-1:123456789012:replicationgroup:cache")
            .at_rest_encryption_enabled(true)
            .transit_encryption_enabled(false)
            .auth_token_enabled(true)
            .automatic_failover(AutomaticFailoverStatus::Enabled)
            .member_clusters("cache-001")
            .member_clusters("cache-002")
            .build();
        let r = replication_group(&c, &g).expect("group");
        assert_eq!(
            r.id,
            "arn:aws:elasticache:us-east-1:123456789012:replicationgroup:cache"
        );
        assert_eq!(r.attr("at_rest_encryption_enabled").as_bool(), Some(true));
        assert_eq!(r.attr("transit_encryption_enabled").as_bool(), Some(false));
        assert_eq!(r.attr("automatic_failover_enabled").as_bool(), Some(true));
        assert_eq!(r.attr("num_cache_clusters").as_i64(), Some(2));
        assert_eq!(r.attr("auth_token_enabled").as_bool(), Some(true));
        assert!(r.attr("auth_token").is_null());

        let silent = ReplicationGroup::builder().replication_group_id("old").build();
        let r = replication_group(&c, &silent).expect("group");
        assert_eq!(
            r.id,
            "arn:aws:elasticache:us-east-1:123456789012:replicationgroup:old"
        );
        assert_eq!(
            r.attr("at_rest_encryption_enabled"),
            &Value::Unknown(
                "elasticache:DescribeReplicationGroups answered without AtRestEncryptionEnabled".into()
            )
        );
    }
}
