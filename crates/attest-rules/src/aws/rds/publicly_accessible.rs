//! `aws-rds-not-publicly-accessible`: RDS instances are not publicly accessible.

use crate::aws::flag::Flag;
use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

pub struct RdsNotPubliclyAccessible;

static META: RuleMeta = RuleMeta {
    id: "aws-rds-not-publicly-accessible",
    title: "RDS instances are not publicly accessible",
    severity: Severity::High,
    kind: RuleKind::Resource,
    resource_types: &["aws_db_instance"],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00278",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_17",
        },
        Alias {
            tool: "prowler",
            id: "rds_instance_no_public_access",
        },
        Alias {
            tool: "cis-aws",
            id: "2.3.3",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_db_instance` fails when `publicly_accessible = true`: RDS then gives the instance a
public DNS name that resolves to a public IP address. It passes when the attribute is false or not
written (the provider and API default for instances in a VPC is false), and gives `unknown` when the
value is only known after apply. Security groups are not taken into account.

## Why it matters

A publicly accessible database is one security-group mistake away from the internet, where database
ports are scanned continuously for weak passwords and unpatched engines. CIS AWS Foundations 2.3.3
asks that RDS instances not be public; SOC 2 CC6.1 and CC6.6 expect data stores behind the network
boundary.

## How to fix

Terraform:

```hcl
resource "aws_db_instance" "app" {
  identifier           = "app"
  engine               = "postgres"
  instance_class       = "db.t4g.medium"
  allocated_storage    = 20
  publicly_accessible  = false
  db_subnet_group_name = aws_db_subnet_group.private.name
}
```

CloudFormation:

```yaml
AppDatabase:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t4g.medium
    PubliclyAccessible: false
    DBSubnetGroupName: !Ref PrivateSubnetGroup
```

Console: RDS → *Databases* → the database → *Modify* → *Connectivity* → *Not publicly accessible* → *Apply immediately* (or in the next maintenance window). CLI:

```sh
aws rds modify-db-instance --db-instance-identifier app --no-publicly-accessible --apply-immediately
```
"#;

impl Rule for RdsNotPubliclyAccessible {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        FLAG.check(graph, META.resource_types)
    }
}

const FLAG: Flag = Flag {
    attr: "publicly_accessible",
    default: false,
    default_by: "AWS applies",
    want: false,
    good: "the instance has no public endpoint",
    bad: "the instance has a public endpoint",
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
                res("aws_db_instance.good", json!({"publicly_accessible": false})),
                res("aws_db_instance.bad", json!({"publicly_accessible": true})),
                res("aws_db_instance.absent", json!({})),
                res("aws_db_instance.var", json!({"publicly_accessible": unknown()})),
            ],
            &[],
        );
        let evals = RdsNotPubliclyAccessible.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_db_instance.good".into(), Verdict::Pass),
                ("aws_db_instance.bad".into(), Verdict::Fail),
                ("aws_db_instance.absent".into(), Verdict::Pass),
                ("aws_db_instance.var".into(), Verdict::Unknown),
            ]
        );
    }
}
