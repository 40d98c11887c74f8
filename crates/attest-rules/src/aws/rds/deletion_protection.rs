//! `aws-rds-deletion-protection`: RDS instances have deletion protection enabled.

use crate::aws::flag::Flag;
use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

pub struct RdsDeletionProtection;

static META: RuleMeta = RuleMeta {
    id: "aws-rds-deletion-protection",
    title: "RDS instances have deletion protection enabled",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &["aws_db_instance"],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00280",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_293",
        },
        Alias {
            tool: "prowler",
            id: "rds_instance_deletion_protection",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_db_instance` passes when `deletion_protection = true`. It fails when the attribute is
false or not written (the default is false), and gives `unknown` when the value is only known after
apply.

## Why it matters

With deletion protection, a database cannot be deleted — by a mistaken `terraform destroy`, a
renamed resource, or an attacker — until the protection is turned off in a separate, visible step.
SOC 2 A1.2 expects data stores to be protected against loss, and CC8.1 expects destructive changes
to be deliberate.

## How to fix

Terraform:

```hcl
resource "aws_db_instance" "app" {
  identifier          = "app"
  engine              = "postgres"
  instance_class      = "db.t4g.medium"
  allocated_storage   = 20
  deletion_protection = true
}
```

CloudFormation:

```yaml
AppDatabase:
  Type: AWS::RDS::DBInstance
  DeletionPolicy: Snapshot
  Properties:
    Engine: postgres
    DBInstanceClass: db.t4g.medium
    DeletionProtection: true
```

Console: RDS → *Databases* → the database → *Modify* → *Deletion protection* → *Enable deletion protection* → *Apply immediately* (or in the next maintenance window). CLI:

```sh
aws rds modify-db-instance --db-instance-identifier app --deletion-protection --apply-immediately
```
"#;

impl Rule for RdsDeletionProtection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        FLAG.check(graph, META.resource_types)
    }
}

const FLAG: Flag = Flag {
    attr: "deletion_protection",
    default: false,
    default_by: "AWS applies",
    want: true,
    good: "the instance cannot be deleted until protection is turned off",
    bad: "the instance can be deleted in one step",
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
                res("aws_db_instance.good", json!({"deletion_protection": true})),
                res("aws_db_instance.bad", json!({"deletion_protection": false})),
                res("aws_db_instance.absent", json!({})),
                res("aws_db_instance.var", json!({"deletion_protection": unknown()})),
            ],
            &[],
        );
        let evals = RdsDeletionProtection.check(&g);
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
