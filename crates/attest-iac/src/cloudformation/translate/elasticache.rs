//! ElastiCache replication groups.
//!
//! `AtRestEncryptionEnabled` / `TransitEncryptionEnabled` are carried over as written; absent
//! stays absent (the API default is off for both). The `AuthToken` secret is not carried over.

use super::{obj, one_or_list, tags, Ctx, Source, Translated};

pub fn replication_group(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    vec![Translated::new(
        s.id,
        "aws_elasticache_replication_group",
        obj(vec![
            ("replication_group_id", p.get("ReplicationGroupId").clone()),
            ("description", p.get("ReplicationGroupDescription").clone()),
            ("engine", p.get("Engine").clone()),
            ("engine_version", p.get("EngineVersion").clone()),
            ("node_type", p.get("CacheNodeType").clone()),
            ("num_cache_clusters", p.get("NumCacheClusters").clone()),
            ("num_node_groups", p.get("NumNodeGroups").clone()),
            ("replicas_per_node_group", p.get("ReplicasPerNodeGroup").clone()),
            (
                "at_rest_encryption_enabled",
                p.get("AtRestEncryptionEnabled").clone(),
            ),
            (
                "transit_encryption_enabled",
                p.get("TransitEncryptionEnabled").clone(),
            ),
            ("kms_key_id", p.get("KmsKeyId").clone()),
            (
                "automatic_failover_enabled",
                p.get("AutomaticFailoverEnabled").clone(),
            ),
            ("multi_az_enabled", p.get("MultiAZEnabled").clone()),
            ("security_group_ids", one_or_list(p.get("SecurityGroupIds"))),
            ("subnet_group_name", p.get("CacheSubnetGroupName").clone()),
            (
                "snapshot_retention_limit",
                p.get("SnapshotRetentionLimit").clone(),
            ),
            ("port", p.get("Port").clone()),
            ("tags", tags(p.get("Tags"))),
        ]),
    )]
}
