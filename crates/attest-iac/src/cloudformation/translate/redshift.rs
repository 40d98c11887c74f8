//! Redshift clusters.
//!
//! `LoggingProperties` becomes the provider's `logging` block with `enable = true` (CloudFormation
//! turns audit logging on by writing the structure). `PubliclyAccessible` absent stays absent.

use super::{block, obj, one_or_list, tags, Ctx, Source, Translated};
use attest_core::Value;

pub fn cluster(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let logging = block(p.get("LoggingProperties"), |l| {
        obj(vec![
            ("enable", Value::Bool(true)),
            ("bucket_name", l.get("BucketName").clone()),
            ("s3_key_prefix", l.get("S3KeyPrefix").clone()),
            ("log_destination_type", l.get("LogDestinationType").clone()),
            ("log_exports", one_or_list(l.get("LogExports"))),
        ])
    });
    vec![Translated::new(
        s.id,
        "aws_redshift_cluster",
        obj(vec![
            ("cluster_identifier", p.get("ClusterIdentifier").clone()),
            ("node_type", p.get("NodeType").clone()),
            ("cluster_type", p.get("ClusterType").clone()),
            ("number_of_nodes", p.get("NumberOfNodes").clone()),
            ("database_name", p.get("DBName").clone()),
            ("master_username", p.get("MasterUsername").clone()),
            ("publicly_accessible", p.get("PubliclyAccessible").clone()),
            ("encrypted", p.get("Encrypted").clone()),
            ("kms_key_id", p.get("KmsKeyId").clone()),
            (
                "vpc_security_group_ids",
                one_or_list(p.get("VpcSecurityGroupIds")),
            ),
            (
                "cluster_subnet_group_name",
                p.get("ClusterSubnetGroupName").clone(),
            ),
            (
                "automated_snapshot_retention_period",
                p.get("AutomatedSnapshotRetentionPeriod").clone(),
            ),
            ("enhanced_vpc_routing", p.get("EnhancedVpcRouting").clone()),
            ("allow_version_upgrade", p.get("AllowVersionUpgrade").clone()),
            ("port", p.get("Port").clone()),
            ("logging", logging),
            ("tags", tags(p.get("Tags"))),
        ]),
    )]
}
