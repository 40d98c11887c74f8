//! `aws-rds-multi-az`: RDS instances are deployed across multiple Availability Zones.

use crate::aws::flag::Flag;
use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

pub struct RdsMultiAz;

static META: RuleMeta = RuleMeta {
    id: "aws-rds-multi-az",
    title: "RDS instances are deployed across multiple Availability Zones",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &["aws_db_instance"],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00251",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_157",
        },
        Alias {
            tool: "prowler",
            id: "rds_instance_multi_az",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_db_instance` passes when `multi_az = true` (a synchronous standby in another Availability
Zone). It fails when the attribute is false or not written (the default is false), and gives
`unknown` when the value is only known after apply. Aurora clusters are judged by
`aws-rds-cluster-multi-az`.

## Why it matters

A single-AZ database goes down with its Availability Zone and needs a restore from backup after a
storage failure. With Multi-AZ, RDS fails over to the standby automatically, usually within a
minute or two. SOC 2 A1.2 expects availability commitments to be supported by recovery
infrastructure.

## How to fix

Terraform:

```hcl
resource "aws_db_instance" "app" {
  identifier        = "app"
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  allocated_storage = 20
  multi_az          = true
}
```

CloudFormation:

```yaml
AppDatabase:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t4g.medium
    MultiAZ: true
```

Console: RDS → *Databases* → the database → *Modify* → *Availability & durability* → *Create a standby instance* → *Apply immediately* (or in the next maintenance window). CLI:

```sh
aws rds modify-db-instance --db-instance-identifier app --multi-az --apply-immediately
```
"#;

impl Rule for RdsMultiAz {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        FLAG.check(graph, META.resource_types)
    }
}

const FLAG: Flag = Flag {
    attr: "multi_az",
    default: false,
    default_by: "AWS applies",
    want: true,
    good: "a standby runs in another Availability Zone",
    bad: "the instance runs in a single Availability Zone",
};

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    #[allow(unused_imports)]
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn set_absent_and_unknown() {
        let g = graph(
            vec![
                res("aws_db_instance.good", json!({"multi_az": true})),
                res("aws_db_instance.bad", json!({"multi_az": false})),
                res("aws_db_instance.absent", json!({})),
                res("aws_db_instance.var", json!({"multi_az": unknown()})),
            ],
            &[],
        );
        let evals = RdsMultiAz.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_db_instance.good".into(), Verdict::Pass),
                ("aws_db_instance.bad".into(), Verdict::Fail),
                ("aws_db_instance.absent".into(), Verdict::Fail),
                ("aws_db_instance.var".into(), Verdict::Unknown),
            ]
        );
    }
}
