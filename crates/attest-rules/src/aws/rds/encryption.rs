//! `aws-rds-encryption`: RDS instances and clusters are encrypted at rest.

use crate::aws::flag::Flag;
use crate::aws::links::managed;
use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

pub struct RdsEncryption;

static META: RuleMeta = RuleMeta {
    id: "aws-rds-encryption",
    title: "RDS instances and clusters are encrypted at rest",
    severity: Severity::High,
    kind: RuleKind::Resource,
    resource_types: &["aws_db_instance", "aws_rds_cluster"],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00093",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_16",
        },
        Alias {
            tool: "prowler",
            id: "rds_instance_storage_encrypted",
        },
        Alias {
            tool: "cis-aws",
            id: "2.3.1",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_db_instance` and `aws_rds_cluster` passes when `storage_encrypted = true`. It fails when
the attribute is false or not written — the API default is false for instances and for provisioned
clusters — and gives `unknown` when the value is only known after apply. An `aws_rds_cluster` with
`engine_mode = "serverless"` (Aurora Serverless v1) passes when `storage_encrypted` is not written:
those clusters are always encrypted. Read replicas take the encryption of their source; write
`storage_encrypted = true` on them too so the configuration says so.

## Why it matters

Encryption at rest protects database storage, snapshots, backups and replicas from anyone who gets
hold of the underlying media or a shared snapshot, and encryption cannot be turned on for an
existing instance without a snapshot-and-restore migration. CIS AWS Foundations 2.3.1 asks for it;
SOC 2 CC6.1 and C1.1 expect confidential data encrypted at rest.

## How to fix

Terraform:

```hcl
resource "aws_db_instance" "app" {
  identifier        = "app"
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  allocated_storage = 20
  storage_encrypted = true
  kms_key_id        = aws_kms_key.rds.arn
}
```

CloudFormation:

```yaml
AppDatabase:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t4g.medium
    StorageEncrypted: true
    KmsKeyId: !Ref RdsKey
```

An existing instance cannot be encrypted in place: snapshot it, copy the snapshot with encryption,
and restore from the copy. CLI:

```sh
aws rds create-db-snapshot --db-instance-identifier app --db-snapshot-identifier app-plain
aws rds copy-db-snapshot --source-db-snapshot-identifier app-plain \
  --target-db-snapshot-identifier app-encrypted --kms-key-id alias/aws/rds
aws rds restore-db-instance-from-db-snapshot --db-instance-identifier app-new \
  --db-snapshot-identifier app-encrypted
```
"#;

impl Rule for RdsEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, META.resource_types)
            .into_iter()
            .map(|i| judge(graph, i))
            .collect()
    }
}

const FLAG: Flag = Flag {
    attr: "storage_encrypted",
    default: false,
    default_by: "AWS applies",
    want: true,
    good: "storage is encrypted at rest",
    bad: "storage is not encrypted at rest",
};

fn judge(graph: &ResourceGraph, i: usize) -> Evaluation {
    let r = graph.get(i);
    if r.resource_type == "aws_rds_cluster"
        && r.attr("storage_encrypted").is_null()
        && r.attr("engine_mode").as_str() == Some("serverless")
    {
        return Evaluation::pass(i, "Aurora Serverless v1 clusters are always encrypted at rest")
            .at("storage_encrypted");
    }
    FLAG.judge(graph, i)
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    #[allow(unused_imports)]
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn instances_and_clusters() {
        let g = graph(
            vec![
                res("aws_db_instance.on", json!({"storage_encrypted": true})),
                res("aws_db_instance.absent", json!({})),
                res("aws_rds_cluster.off", json!({"storage_encrypted": false})),
                res("aws_rds_cluster.serverless", json!({"engine_mode": "serverless"})),
                res("aws_rds_cluster.var", json!({"storage_encrypted": unknown()})),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &RdsEncryption.check(&g)),
            vec![
                ("aws_db_instance.on".into(), Verdict::Pass),
                ("aws_db_instance.absent".into(), Verdict::Fail),
                ("aws_rds_cluster.off".into(), Verdict::Fail),
                ("aws_rds_cluster.serverless".into(), Verdict::Pass),
                ("aws_rds_cluster.var".into(), Verdict::Unknown),
            ]
        );
    }
}
