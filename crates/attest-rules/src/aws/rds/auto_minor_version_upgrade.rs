//! `aws-rds-auto-minor-version-upgrade`: RDS instances upgrade minor engine versions automatically.

use crate::aws::flag::Flag;
use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

pub struct RdsAutoMinorVersionUpgrade;

static META: RuleMeta = RuleMeta {
    id: "aws-rds-auto-minor-version-upgrade",
    title: "RDS instances upgrade minor engine versions automatically",
    severity: Severity::Low,
    kind: RuleKind::Resource,
    resource_types: &["aws_db_instance", "aws_rds_cluster_instance"],
    aliases: &[
        Alias {
            tool: "checkov",
            id: "CKV_AWS_226",
        },
        Alias {
            tool: "prowler",
            id: "rds_instance_minor_version_upgrade_enabled",
        },
        Alias {
            tool: "cis-aws",
            id: "2.3.2",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_db_instance` and `aws_rds_cluster_instance` fails when
`auto_minor_version_upgrade = false`. It passes when the attribute is true or not written (the
provider and API default is true), and gives `unknown` when the value is only known after apply.

## Why it matters

Minor engine versions carry security fixes. With automatic minor upgrades, RDS applies them in the
maintenance window instead of leaving known vulnerabilities in place until someone schedules the
work. CIS AWS Foundations 2.3.2 recommends it; SOC 2 CC7.1 expects vulnerabilities to be remediated,
and CC8.1 expects changes to happen through a controlled process (the maintenance window).

## How to fix

Terraform:

```hcl
resource "aws_db_instance" "app" {
  identifier                 = "app"
  engine                     = "postgres"
  instance_class             = "db.t4g.medium"
  allocated_storage          = 20
  auto_minor_version_upgrade = true
  maintenance_window         = "sun:03:00-sun:04:00"
}
```

CloudFormation:

```yaml
AppDatabase:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t4g.medium
    AutoMinorVersionUpgrade: true
```

Console: RDS → *Databases* → the database → *Modify* → *Maintenance* → *Enable auto minor version upgrade* → *Apply immediately* (or in the next maintenance window). CLI:

```sh
aws rds modify-db-instance --db-instance-identifier app --auto-minor-version-upgrade --apply-immediately
```
"#;

impl Rule for RdsAutoMinorVersionUpgrade {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        FLAG.check(graph, META.resource_types)
    }
}

const FLAG: Flag = Flag {
    attr: "auto_minor_version_upgrade",
    default: true,
    default_by: "AWS applies",
    want: true,
    good: "minor engine upgrades are applied automatically",
    bad: "minor engine upgrades are not applied automatically",
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
                res(
                    "aws_db_instance.good",
                    json!({"auto_minor_version_upgrade": true}),
                ),
                res(
                    "aws_db_instance.bad",
                    json!({"auto_minor_version_upgrade": false}),
                ),
                res("aws_db_instance.absent", json!({})),
                res(
                    "aws_db_instance.var",
                    json!({"auto_minor_version_upgrade": unknown()}),
                ),
            ],
            &[],
        );
        let evals = RdsAutoMinorVersionUpgrade.check(&g);
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
