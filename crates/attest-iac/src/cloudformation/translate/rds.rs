//! RDS: DB instances and DB clusters.
//!
//! An `AWS::RDS::DBInstance` with `DBClusterIdentifier` is a member of an Aurora (or Multi-AZ DB)
//! cluster: it becomes an `aws_rds_cluster_instance`, as Terraform declares cluster members, so
//! the instance-level rules (`multi_az`, `storage_encrypted`, `deletion_protection`,
//! `backup_retention_period` are the cluster's business) judge the cluster instead. Without it,
//! the instance is an `aws_db_instance`.
//!
//! CloudFormation defaults (`StorageEncrypted` false, `BackupRetentionPeriod` 1,
//! `PubliclyAccessible` depending on the subnet group…) are not written in: an attribute the
//! template does not set stays absent, and the rules apply the default reasoning they document.

use attest_core::Value;

use super::{obj, one_or_list, tags, Ctx, Source, Translated};

pub fn db_instance(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let common = |extra: Vec<(&'static str, Value)>| {
        let mut attrs = vec![
            ("identifier", p.get("DBInstanceIdentifier").clone()),
            ("instance_class", p.get("DBInstanceClass").clone()),
            ("engine", p.get("Engine").clone()),
            ("engine_version", p.get("EngineVersion").clone()),
            ("publicly_accessible", p.get("PubliclyAccessible").clone()),
            (
                "auto_minor_version_upgrade",
                p.get("AutoMinorVersionUpgrade").clone(),
            ),
            ("availability_zone", p.get("AvailabilityZone").clone()),
            ("db_subnet_group_name", p.get("DBSubnetGroupName").clone()),
            ("db_parameter_group_name", p.get("DBParameterGroupName").clone()),
            ("ca_cert_identifier", p.get("CACertificateIdentifier").clone()),
            ("monitoring_interval", p.get("MonitoringInterval").clone()),
            ("monitoring_role_arn", p.get("MonitoringRoleArn").clone()),
            (
                "performance_insights_enabled",
                p.get("EnablePerformanceInsights").clone(),
            ),
            (
                "performance_insights_kms_key_id",
                p.get("PerformanceInsightsKMSKeyId").clone(),
            ),
            ("copy_tags_to_snapshot", p.get("CopyTagsToSnapshot").clone()),
            ("tags", tags(p.get("Tags"))),
        ];
        attrs.extend(extra);
        obj(attrs)
    };
    let cluster = p.get("DBClusterIdentifier");
    if !cluster.is_null() {
        return vec![Translated::new(
            s.id,
            "aws_rds_cluster_instance",
            common(vec![
                ("cluster_identifier", cluster.clone()),
                ("promotion_tier", p.get("PromotionTier").clone()),
            ]),
        )];
    }
    vec![Translated::new(
        s.id,
        "aws_db_instance",
        common(vec![
            ("allocated_storage", p.get("AllocatedStorage").clone()),
            ("storage_type", p.get("StorageType").clone()),
            ("iops", p.get("Iops").clone()),
            ("storage_encrypted", p.get("StorageEncrypted").clone()),
            ("kms_key_id", p.get("KmsKeyId").clone()),
            ("multi_az", p.get("MultiAZ").clone()),
            ("backup_retention_period", p.get("BackupRetentionPeriod").clone()),
            ("deletion_protection", p.get("DeletionProtection").clone()),
            ("vpc_security_group_ids", one_or_list(p.get("VPCSecurityGroups"))),
            ("security_group_names", one_or_list(p.get("DBSecurityGroups"))),
            ("db_name", p.get("DBName").clone()),
            ("username", p.get("MasterUsername").clone()),
            ("port", p.get("Port").clone()),
            (
                "iam_database_authentication_enabled",
                p.get("EnableIAMDatabaseAuthentication").clone(),
            ),
            (
                "enabled_cloudwatch_logs_exports",
                one_or_list(p.get("EnableCloudwatchLogsExports")),
            ),
            ("replicate_source_db", p.get("SourceDBInstanceIdentifier").clone()),
            ("snapshot_identifier", p.get("DBSnapshotIdentifier").clone()),
        ]),
    )]
}

pub fn db_cluster(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    vec![Translated::new(
        s.id,
        "aws_rds_cluster",
        obj(vec![
            ("cluster_identifier", p.get("DBClusterIdentifier").clone()),
            ("engine", p.get("Engine").clone()),
            ("engine_mode", p.get("EngineMode").clone()),
            ("engine_version", p.get("EngineVersion").clone()),
            (
                "db_cluster_instance_class",
                p.get("DBClusterInstanceClass").clone(),
            ),
            ("allocated_storage", p.get("AllocatedStorage").clone()),
            ("storage_type", p.get("StorageType").clone()),
            ("iops", p.get("Iops").clone()),
            ("storage_encrypted", p.get("StorageEncrypted").clone()),
            ("kms_key_id", p.get("KmsKeyId").clone()),
            ("backup_retention_period", p.get("BackupRetentionPeriod").clone()),
            ("deletion_protection", p.get("DeletionProtection").clone()),
            ("publicly_accessible", p.get("PubliclyAccessible").clone()),
            (
                "vpc_security_group_ids",
                one_or_list(p.get("VpcSecurityGroupIds")),
            ),
            ("db_subnet_group_name", p.get("DBSubnetGroupName").clone()),
            ("availability_zones", one_or_list(p.get("AvailabilityZones"))),
            ("database_name", p.get("DatabaseName").clone()),
            ("master_username", p.get("MasterUsername").clone()),
            ("port", p.get("Port").clone()),
            (
                "iam_database_authentication_enabled",
                p.get("EnableIAMDatabaseAuthentication").clone(),
            ),
            (
                "enabled_cloudwatch_logs_exports",
                one_or_list(p.get("EnableCloudwatchLogsExports")),
            ),
            ("copy_tags_to_snapshot", p.get("CopyTagsToSnapshot").clone()),
            ("snapshot_identifier", p.get("SnapshotIdentifier").clone()),
            ("tags", tags(p.get("Tags"))),
        ]),
    )]
}
