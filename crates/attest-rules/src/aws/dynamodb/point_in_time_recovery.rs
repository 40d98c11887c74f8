//! `aws-dynamodb-point-in-time-recovery`: DynamoDB tables have point-in-time recovery enabled.

use crate::aws::flag::Flag;
use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

pub struct DynamoDbPointInTimeRecovery;

static META: RuleMeta = RuleMeta {
    id: "aws-dynamodb-point-in-time-recovery",
    title: "DynamoDB tables have point-in-time recovery enabled",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &["aws_dynamodb_table"],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00106",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_28",
        },
        Alias {
            tool: "prowler",
            id: "dynamodb_tables_pitr_enabled",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_dynamodb_table` passes when its `point_in_time_recovery` block has `enabled = true`. It
fails when the block is absent or disabled (the default), and gives `unknown` when the value is only
known after apply.

## Why it matters

Point-in-time recovery keeps continuous backups for 35 days (or the configured recovery period), so
a table can be restored to any second before an accidental write, delete or bad deployment. SOC 2
A1.2 expects data to be recoverable.

## How to fix

Terraform:

```hcl
resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }
}
```

CloudFormation:

```yaml
OrdersTable:
  Type: AWS::DynamoDB::Table
  Properties:
    BillingMode: PAY_PER_REQUEST
    PointInTimeRecoverySpecification:
      PointInTimeRecoveryEnabled: true
```

Console: DynamoDB → Tables → the table → *Backups* → *Point-in-time recovery* → *Edit* → enable.
CLI: `aws dynamodb update-continuous-backups --table-name orders
--point-in-time-recovery-specification PointInTimeRecoveryEnabled=true`.
"#;

impl Rule for DynamoDbPointInTimeRecovery {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        FLAG.check(graph, META.resource_types)
    }
}

const FLAG: Flag = Flag {
    attr: "point_in_time_recovery.enabled",
    default: false,
    default_by: "AWS applies",
    want: true,
    good: "point-in-time recovery is enabled",
    bad: "point-in-time recovery is not enabled",
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
                    "aws_dynamodb_table.good",
                    json!({"point_in_time_recovery": [{"enabled": true}]}),
                ),
                res(
                    "aws_dynamodb_table.bad",
                    json!({"point_in_time_recovery": [{"enabled": false}]}),
                ),
                res("aws_dynamodb_table.absent", json!({})),
                res(
                    "aws_dynamodb_table.var",
                    json!({"point_in_time_recovery": unknown()}),
                ),
            ],
            &[],
        );
        let evals = DynamoDbPointInTimeRecovery.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_dynamodb_table.good".into(), Verdict::Pass),
                ("aws_dynamodb_table.bad".into(), Verdict::Fail),
                ("aws_dynamodb_table.absent".into(), Verdict::Fail),
                ("aws_dynamodb_table.var".into(), Verdict::Unknown),
            ]
        );
    }
}
