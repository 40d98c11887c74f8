//! `aws-rds-backup-retention`: RDS instances and clusters keep automated backups for at least 7 days.

use attest_core::Value;
use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::links::managed;
use crate::aws::wording::attr_not_known;

pub struct RdsBackupRetention;

static META: RuleMeta = RuleMeta {
    id: "aws-rds-backup-retention",
    title: "RDS instances and clusters keep automated backups for at least 7 days",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &["aws_db_instance", "aws_rds_cluster"],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00107",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_db_instance` and `aws_rds_cluster` passes when `backup_retention_period` is at least 7
(days). It fails when it is lower — 0 turns automated backups off — or not written: the RDS API then
keeps backups for 1 day (the provider default for clusters is also 1). A value only known after apply
gives `unknown`. The message gives the period found.

The threshold of 7 days is attest's choice (it is also what AWS Security Hub uses for RDS.11); the
Fugue topic FG_R00107 only asked that backups be enabled (a period above 0), so an instance with 1 to
6 days of retention fails here but passed there.

## Why it matters

Automated backups and point-in-time restore are how a database is recovered after corruption, a bad
migration or a ransomware-style deletion. One day of retention is usually less than the time it
takes to notice such a problem. SOC 2 A1.2 expects backups kept long enough to support recovery.

## How to fix

Terraform:

```hcl
resource "aws_db_instance" "app" {
  identifier              = "app"
  engine                  = "postgres"
  instance_class          = "db.t4g.medium"
  allocated_storage       = 20
  backup_retention_period = 14
  backup_window           = "02:00-03:00"
}
```

CloudFormation:

```yaml
AppDatabase:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t4g.medium
    BackupRetentionPeriod: 14
```

Console: RDS → *Databases* → the database → *Modify* → *Backup* → *Backup retention period* → *Apply immediately* (or in the next maintenance window). CLI:

```sh
aws rds modify-db-instance --db-instance-identifier app --backup-retention-period 14 --apply-immediately
aws rds modify-db-cluster --db-cluster-identifier aurora --backup-retention-period 14 --apply-immediately
```
"#;

impl Rule for RdsBackupRetention {
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

/// The shortest retention that passes, in days.
const MIN_DAYS: i64 = 7;
/// What RDS applies when no period is written.
const DEFAULT_DAYS: i64 = 1;

fn judge(graph: &ResourceGraph, i: usize) -> Evaluation {
    let value = graph.get(i).attr("backup_retention_period");
    let (days, found) = match value {
        Value::Null => (
            DEFAULT_DAYS,
            format!("backup_retention_period is not set (AWS keeps backups {DEFAULT_DAYS} day)"),
        ),
        other => match other.as_i64() {
            Some(days) => (days, format!("backup_retention_period = {days}")),
            None => {
                return Evaluation::unknown(i, attr_not_known(graph.get(i), "backup_retention_period"))
                    .at("backup_retention_period")
            }
        },
    };
    let eval = if days >= MIN_DAYS {
        Evaluation::pass(
            i,
            format!("{found}: automated backups are kept at least {MIN_DAYS} days"),
        )
    } else if days == 0 {
        Evaluation::fail(i, format!("{found}: automated backups are disabled"))
    } else {
        Evaluation::fail(
            i,
            format!("{found}: automated backups are kept less than {MIN_DAYS} days"),
        )
    };
    eval.at("backup_retention_period")
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    #[allow(unused_imports)]
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn retention_periods() {
        let g = graph(
            vec![
                res("aws_db_instance.week", json!({"backup_retention_period": 7})),
                res("aws_db_instance.off", json!({"backup_retention_period": 0})),
                res("aws_db_instance.absent", json!({})),
                res("aws_rds_cluster.short", json!({"backup_retention_period": 3})),
                res(
                    "aws_rds_cluster.var",
                    json!({"backup_retention_period": unknown()}),
                ),
            ],
            &[],
        );
        let evals = RdsBackupRetention.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_db_instance.week".into(), Verdict::Pass),
                ("aws_db_instance.off".into(), Verdict::Fail),
                ("aws_db_instance.absent".into(), Verdict::Fail),
                ("aws_rds_cluster.short".into(), Verdict::Fail),
                ("aws_rds_cluster.var".into(), Verdict::Unknown),
            ]
        );
        assert!(evals[1].message.contains("disabled"), "{}", evals[1].message);
    }
}
