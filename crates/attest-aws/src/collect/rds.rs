//! RDS `DescribeDBInstances` → `aws_db_instance` (stand-alone instances) and
//! `aws_rds_cluster_instance` (members of a DB cluster, with `cluster_identifier`), and
//! `DescribeDBClusters` → `aws_rds_cluster`.
//!
//! The RDS API also answers for Neptune and DocumentDB (engines `neptune`, `docdb`), which
//! Terraform declares as other resource types: they are left out here.
//!
//! Terraform's `id` of an `aws_db_instance` is the DBI resource id (`db-…`, also in
//! `resource_id`); the name is `identifier`. Cluster instances and clusters have their identifier
//! as `id`. The resource id is the ARN.
//!
//! When a list call fails, a placeholder stands for the unreadable resources: `aws_db_instance`
//! and `aws_rds_cluster` (their `vpc_security_group_ids`, which the database security-group rule
//! follows) and `aws_rds_cluster_instance` (`cluster_identifier`, `availability_zone`, which the
//! cluster Multi-AZ rule counts).

use aws_sdk_rds::types::{DbCluster, DbInstance, Tag};
use serde_json::{json, Map, Value as Json};

use attest_core::{LoadOutput, Reference, Resource};

use super::targets::{managed, Targets, KMS, KMS_TYPES, SECURITY_GROUPS};
use super::{drain, placeholder, unknown};
use crate::ctx::{client, Ctx};

/// Engines the RDS API serves that Terraform declares as other types (Neptune, DocumentDB).
const OTHER_FAMILIES: &[&str] = &["neptune", "docdb"];

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let rds = client!(c.session, aws_sdk_rds, "rds");
    let ((instances, instance_err), (clusters, cluster_err)) = tokio::join!(
        drain(rds.describe_db_instances().into_paginator().items().send()),
        drain(rds.describe_db_clusters().into_paginator().items().send()),
    );
    let mut out = LoadOutput::default();
    if let Some(e) = instance_err {
        out.errors.push(c.error("rds", "DescribeDBInstances", &e.message));
        let reason = e.unknown_reason("rds", "DescribeDBInstances");
        // A security group may front an unreadable database, and a cluster may have unreadable
        // members.
        out.resources.push(placeholder(
            c,
            "aws_db_instance",
            &["vpc_security_group_ids", "identifier"],
            &reason,
        ));
        out.resources.push(placeholder(
            c,
            "aws_rds_cluster_instance",
            &["cluster_identifier", "availability_zone", "identifier"],
            &reason,
        ));
    }
    if let Some(e) = cluster_err {
        out.errors.push(c.error("rds", "DescribeDBClusters", &e.message));
        out.resources.push(placeholder(
            c,
            "aws_rds_cluster",
            &["vpc_security_group_ids", "cluster_identifier"],
            &e.unknown_reason("rds", "DescribeDBClusters"),
        ));
    }
    out.resources
        .extend(instances.iter().filter_map(|i| instance(c, i)));
    out.resources
        .extend(clusters.iter().filter_map(|k| cluster(c, k)));
    out
}

fn other_family(engine: Option<&str>) -> bool {
    engine.is_some_and(|e| OTHER_FAMILIES.contains(&e))
}

/// A value the rules read: the API's answer, or unknown when the answer leaves it out.
fn told<T: Into<Json>>(value: Option<T>, operation: &str, field: &str) -> Json {
    match value {
        Some(v) => v.into(),
        None => unknown(&format!("rds:{operation} answered without {field}")),
    }
}

fn rds_tags(tags: &[Tag]) -> Json {
    super::tags(tags.iter().map(|t| (t.key(), t.value())))
}

/// An instance: `aws_rds_cluster_instance` when it belongs to a cluster, else `aws_db_instance`.
pub fn instance(c: &Ctx<'_>, i: &DbInstance) -> Option<Resource> {
    let identifier = i.db_instance_identifier()?;
    if other_family(i.engine()) {
        return None;
    }
    const OP: &str = "DescribeDBInstances";
    let arn = i
        .db_instance_arn()
        .map(str::to_string)
        .or_else(|| c.arn("rds", &format!("db:{identifier}")));
    let mut a = Map::new();
    a.insert("identifier".into(), json!(identifier));
    a.insert("arn".into(), json!(arn));
    a.insert("engine".into(), json!(i.engine()));
    a.insert("engine_version".into(), json!(i.engine_version()));
    a.insert("instance_class".into(), json!(i.db_instance_class()));
    a.insert("availability_zone".into(), json!(i.availability_zone()));
    a.insert(
        "publicly_accessible".into(),
        told(i.publicly_accessible(), OP, "PubliclyAccessible"),
    );
    a.insert(
        "auto_minor_version_upgrade".into(),
        told(i.auto_minor_version_upgrade(), OP, "AutoMinorVersionUpgrade"),
    );
    a.insert(
        "storage_encrypted".into(),
        told(i.storage_encrypted(), OP, "StorageEncrypted"),
    );
    a.insert("kms_key_id".into(), json!(i.kms_key_id().unwrap_or_default()));
    a.insert(
        "db_subnet_group_name".into(),
        json!(i.db_subnet_group().and_then(|g| g.db_subnet_group_name())),
    );
    a.insert(
        "parameter_group_name".into(),
        json!(i
            .db_parameter_groups()
            .first()
            .and_then(|g| g.db_parameter_group_name())),
    );
    a.insert("ca_cert_identifier".into(), json!(i.ca_certificate_identifier()));
    a.insert(
        "monitoring_interval".into(),
        json!(i.monitoring_interval().unwrap_or(0)),
    );
    a.insert("monitoring_role_arn".into(), json!(i.monitoring_role_arn()));
    a.insert(
        "performance_insights_enabled".into(),
        json!(i.performance_insights_enabled().unwrap_or(false)),
    );
    a.insert(
        "performance_insights_kms_key_id".into(),
        json!(i.performance_insights_kms_key_id()),
    );
    a.insert(
        "copy_tags_to_snapshot".into(),
        json!(i.copy_tags_to_snapshot().unwrap_or(false)),
    );
    a.insert(
        "port".into(),
        json!(i.endpoint().and_then(|e| e.port()).or(i.db_instance_port())),
    );
    a.insert("address".into(), json!(i.endpoint().and_then(|e| e.address())));
    a.insert("tags".into(), rds_tags(i.tag_list()));
    let (ty, tf_id) = match i.db_cluster_identifier() {
        Some(cluster) => {
            a.insert("cluster_identifier".into(), json!(cluster));
            a.insert("promotion_tier".into(), json!(i.promotion_tier()));
            ("aws_rds_cluster_instance", identifier.to_string())
        }
        None => {
            a.insert("multi_az".into(), told(i.multi_az(), OP, "MultiAZ"));
            a.insert(
                "backup_retention_period".into(),
                told(i.backup_retention_period(), OP, "BackupRetentionPeriod"),
            );
            a.insert(
                "deletion_protection".into(),
                told(i.deletion_protection(), OP, "DeletionProtection"),
            );
            a.insert(
                "iam_database_authentication_enabled".into(),
                json!(i.iam_database_authentication_enabled().unwrap_or(false)),
            );
            a.insert(
                "vpc_security_group_ids".into(),
                json!(i
                    .vpc_security_groups()
                    .iter()
                    .filter_map(|g| g.vpc_security_group_id())
                    .collect::<Vec<_>>()),
            );
            a.insert(
                "security_group_names".into(),
                json!(i
                    .db_security_groups()
                    .iter()
                    .filter_map(|g| g.db_security_group_name())
                    .collect::<Vec<_>>()),
            );
            a.insert(
                "enabled_cloudwatch_logs_exports".into(),
                json!(i.enabled_cloudwatch_logs_exports()),
            );
            a.insert("allocated_storage".into(), json!(i.allocated_storage()));
            a.insert("storage_type".into(), json!(i.storage_type()));
            a.insert("iops".into(), json!(i.iops()));
            a.insert("db_name".into(), json!(i.db_name()));
            a.insert("username".into(), json!(i.master_username()));
            a.insert(
                "replicate_source_db".into(),
                json!(i.read_replica_source_db_instance_identifier()),
            );
            a.insert("resource_id".into(), json!(i.dbi_resource_id()));
            // The master password is never read; a password Secrets Manager manages shows as the
            // secret's ARN, as in Terraform.
            a.insert(
                "master_user_secret".into(),
                json!(i
                    .master_user_secret()
                    .map(|s| vec![json!({
                        "secret_arn": s.secret_arn(),
                        "kms_key_id": s.kms_key_id(),
                        "secret_status": s.secret_status(),
                    })])
                    .unwrap_or_default()),
            );
            (
                "aws_db_instance",
                i.dbi_resource_id().unwrap_or(identifier).to_string(),
            )
        }
    };
    a.insert("id".into(), json!(tf_id));
    let rid = arn.unwrap_or_else(|| c.local_id(ty, identifier));
    Some(c.resource(rid, ty, Some(&tf_id), a))
}

pub fn cluster(c: &Ctx<'_>, k: &DbCluster) -> Option<Resource> {
    let identifier = k.db_cluster_identifier()?;
    if other_family(k.engine()) {
        return None;
    }
    const OP: &str = "DescribeDBClusters";
    let arn = k
        .db_cluster_arn()
        .map(str::to_string)
        .or_else(|| c.arn("rds", &format!("cluster:{identifier}")));
    let mut a = Map::new();
    a.insert("id".into(), json!(identifier));
    a.insert("cluster_identifier".into(), json!(identifier));
    a.insert("arn".into(), json!(arn));
    a.insert("cluster_resource_id".into(), json!(k.db_cluster_resource_id()));
    a.insert("engine".into(), json!(k.engine()));
    a.insert("engine_mode".into(), json!(k.engine_mode()));
    a.insert("engine_version".into(), json!(k.engine_version()));
    a.insert(
        "db_cluster_instance_class".into(),
        json!(k.db_cluster_instance_class()),
    );
    a.insert("allocated_storage".into(), json!(k.allocated_storage()));
    a.insert("storage_type".into(), json!(k.storage_type()));
    a.insert("iops".into(), json!(k.iops()));
    a.insert(
        "storage_encrypted".into(),
        told(k.storage_encrypted(), OP, "StorageEncrypted"),
    );
    a.insert("kms_key_id".into(), json!(k.kms_key_id().unwrap_or_default()));
    a.insert(
        "backup_retention_period".into(),
        told(k.backup_retention_period(), OP, "BackupRetentionPeriod"),
    );
    a.insert(
        "deletion_protection".into(),
        told(k.deletion_protection(), OP, "DeletionProtection"),
    );
    // Only Multi-AZ DB clusters have the setting; Aurora clusters answer without it.
    a.insert("publicly_accessible".into(), json!(k.publicly_accessible()));
    a.insert(
        "vpc_security_group_ids".into(),
        json!(k
            .vpc_security_groups()
            .iter()
            .filter_map(|g| g.vpc_security_group_id())
            .collect::<Vec<_>>()),
    );
    a.insert("db_subnet_group_name".into(), json!(k.db_subnet_group()));
    a.insert(
        "db_cluster_parameter_group_name".into(),
        json!(k.db_cluster_parameter_group()),
    );
    a.insert("availability_zones".into(), json!(k.availability_zones()));
    a.insert("database_name".into(), json!(k.database_name()));
    a.insert("master_username".into(), json!(k.master_username()));
    a.insert("port".into(), json!(k.port()));
    a.insert(
        "iam_database_authentication_enabled".into(),
        json!(k.iam_database_authentication_enabled().unwrap_or(false)),
    );
    a.insert(
        "enabled_cloudwatch_logs_exports".into(),
        json!(k.enabled_cloudwatch_logs_exports()),
    );
    a.insert(
        "copy_tags_to_snapshot".into(),
        json!(k.copy_tags_to_snapshot().unwrap_or(false)),
    );
    a.insert(
        "cluster_members".into(),
        json!(k
            .db_cluster_members()
            .iter()
            .filter_map(|m| m.db_instance_identifier())
            .collect::<Vec<_>>()),
    );
    a.insert(
        "replication_source_identifier".into(),
        json!(k.replication_source_identifier()),
    );
    a.insert("tags".into(), rds_tags(k.tag_list()));
    let rid = arn.unwrap_or_else(|| c.local_id("aws_rds_cluster", identifier));
    Some(c.resource(rid, "aws_rds_cluster", Some(identifier), a))
}

/// Database → security groups (`vpc_security_group_ids.<i>`) and KMS key (`kms_key_id`); cluster
/// instance → cluster (`cluster_identifier`).
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    let t = Targets::build(
        out,
        &[
            KMS,
            SECURITY_GROUPS,
            &[("aws_rds_cluster", &["cluster_identifier", "arn"])],
        ]
        .concat(),
    );
    let mut refs = Vec::new();
    for r in managed(
        out,
        &["aws_db_instance", "aws_rds_cluster", "aws_rds_cluster_instance"],
    ) {
        t.edges(
            r,
            "vpc_security_group_ids",
            &["aws_security_group"],
            None,
            &mut refs,
        );
        t.edges(r, "kms_key_id", KMS_TYPES, None, &mut refs);
        if r.resource_type == "aws_rds_cluster_instance" {
            t.edges(r, "cluster_identifier", &["aws_rds_cluster"], None, &mut refs);
        }
    }
    refs
}

#[cfg(test)]
mod tests {
    use aws_sdk_rds::types::{DbClusterMember, VpcSecurityGroupMembership};

    use super::*;
    use crate::ctx::Session;
    use attest_core::{InputKind, Provenance, Value};

    fn ctx(s: &Session) -> Ctx<'_> {
        Ctx::new(s, Some("123456789012".into()))
    }

    #[test]
    fn stand_alone_instance_is_a_db_instance() {
        let s = Session::for_tests("us-east-1");
        let c = ctx(&s);
        let i = DbInstance::builder()
            .db_instance_identifier("orders")
            .db_instance_arn("arn:aws:rds:us-east-1:123456789012:db:orders")
            .dbi_resource_id("db-ABC")
            .engine("postgres")
            .storage_encrypted(true)
            .kms_key_id("arn:aws:kms:us-east-1:123456789012:key/k")
            .publicly_accessible(false)
            .multi_az(true)
            .backup_retention_period(7)
            .auto_minor_version_upgrade(true)
            .deletion_protection(false)
            .vpc_security_groups(
                VpcSecurityGroupMembership::builder()
                    .vpc_security_group_id("sg-1")
                    .status("active")
                    .build(),
            )
            .build();
        let r = instance(&c, &i).expect("instance");
        assert_eq!(r.resource_type, "aws_db_instance");
        assert_eq!(r.id, "arn:aws:rds:us-east-1:123456789012:db:orders");
        assert_eq!(r.physical_id.as_deref(), Some("db-ABC"));
        assert_eq!(r.attr("identifier").as_str(), Some("orders"));
        assert_eq!(r.attr("storage_encrypted").as_bool(), Some(true));
        assert_eq!(r.attr("backup_retention_period").as_i64(), Some(7));
        assert_eq!(r.attr("vpc_security_group_ids").to_json(), json!(["sg-1"]));
        assert!(r.attr("cluster_identifier").is_null());
    }

    #[test]
    fn cluster_member_is_a_cluster_instance_and_missing_fields_are_unknown() {
        let s = Session::for_tests("us-east-1");
        let c = ctx(&s);
        let i = DbInstance::builder()
            .db_instance_identifier("aurora-1")
            .engine("aurora-postgresql")
            .db_cluster_identifier("aurora")
            .availability_zone("us-east-1a")
            .build();
        let r = instance(&c, &i).expect("instance");
        assert_eq!(r.resource_type, "aws_rds_cluster_instance");
        assert_eq!(r.id, "arn:aws:rds:us-east-1:123456789012:db:aurora-1");
        assert_eq!(r.physical_id.as_deref(), Some("aurora-1"));
        assert_eq!(r.attr("cluster_identifier").as_str(), Some("aurora"));
        assert_eq!(
            r.attr("auto_minor_version_upgrade"),
            &Value::Unknown("rds:DescribeDBInstances answered without AutoMinorVersionUpgrade".into())
        );
        // Cluster-level settings are the cluster's.
        assert!(r.attr("multi_az").is_null());
    }

    #[test]
    fn neptune_and_documentdb_are_left_out() {
        let s = Session::for_tests("us-east-1");
        let c = ctx(&s);
        let n = DbInstance::builder()
            .db_instance_identifier("graph")
            .engine("neptune")
            .build();
        assert!(instance(&c, &n).is_none());
        let d = DbCluster::builder()
            .db_cluster_identifier("docs")
            .engine("docdb")
            .build();
        assert!(cluster(&c, &d).is_none());
    }

    #[test]
    fn cluster_attributes() {
        let s = Session::for_tests("eu-west-1");
        let c = Ctx::new(&s, None);
        let k = DbCluster::builder()
            .db_cluster_identifier("aurora")
            .engine("aurora-mysql")
            .engine_mode("provisioned")
            .storage_encrypted(false)
            .backup_retention_period(1)
            .deletion_protection(true)
            .db_cluster_members(
                DbClusterMember::builder()
                    .db_instance_identifier("aurora-1")
                    .is_cluster_writer(true)
                    .build(),
            )
            .build();
        let r = cluster(&c, &k).expect("cluster");
        assert_eq!(r.id, "aws_rds_cluster:eu-west-1:aurora");
        assert_eq!(r.attr("id").as_str(), Some("aurora"));
        assert_eq!(r.attr("storage_encrypted").as_bool(), Some(false));
        assert!(r.attr("db_cluster_instance_class").is_null());
        assert!(r.attr("publicly_accessible").is_null());
        assert_eq!(r.attr("cluster_members").to_json(), json!(["aurora-1"]));
    }

    fn live(id: &str, ty: &str, physical: &str, attrs: serde_json::Value) -> Resource {
        let mut p = Provenance::new(InputKind::Live);
        p.account = Some("123456789012".into());
        p.region = Some("us-east-1".into());
        let mut r = Resource::new(id, ty, Value::from_json(&attrs), p);
        r.physical_id = Some(physical.into());
        r
    }

    #[test]
    fn links_databases_to_groups_keys_and_clusters() {
        let out = LoadOutput {
            resources: vec![
                live("sg", "aws_security_group", "sg-1", json!({"id": "sg-1"})),
                live(
                    "key",
                    "aws_kms_key",
                    "k",
                    json!({"arn": "arn:aws:kms:us-east-1:123456789012:key/k"}),
                ),
                live(
                    "db",
                    "aws_db_instance",
                    "db-1",
                    json!({"vpc_security_group_ids": ["sg-0", "sg-1"], "kms_key_id": "arn:aws:kms:us-east-1:123456789012:key/k"}),
                ),
                live(
                    "cluster",
                    "aws_rds_cluster",
                    "aurora",
                    json!({"cluster_identifier": "aurora"}),
                ),
                live(
                    "member",
                    "aws_rds_cluster_instance",
                    "aurora-1",
                    json!({"cluster_identifier": "aurora"}),
                ),
            ],
            ..Default::default()
        };
        let mut refs: Vec<(String, String, String)> =
            link(&out).into_iter().map(|r| (r.from, r.path, r.to)).collect();
        refs.sort();
        assert_eq!(
            refs,
            vec![
                ("db".into(), "kms_key_id".into(), "key".into()),
                ("db".into(), "vpc_security_group_ids.1".into(), "sg".into()),
                ("member".into(), "cluster_identifier".into(), "cluster".into()),
            ]
        );
    }
}
