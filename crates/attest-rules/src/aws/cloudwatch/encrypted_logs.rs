//! `aws-cloudwatch-log-group-encrypted`: CloudWatch Logs log groups are encrypted with a KMS key.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::cloudtrail::trail::reference_set;
use crate::aws::cloudwatch::log_chain::LOG_GROUP;
use crate::aws::links::managed;

pub struct LogGroupEncrypted;

static META: RuleMeta = RuleMeta {
    id: "aws-cloudwatch-log-group-encrypted",
    title: "CloudWatch Logs log groups are encrypted with a customer-managed KMS key",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[LOG_GROUP],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00068",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_158",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_cloudwatch_log_group` passes when `kms_key_id` is set — to a KMS key ARN or to a
reference to an `aws_kms_key`. It fails when `kms_key_id` is absent or empty: CloudWatch Logs then
encrypts the data with a key it owns, outside your control. A value only known after apply that
references no resource gives `unknown`.

## Why it matters

Logs carry request parameters, identifiers, error details and sometimes secrets by accident. With
a customer-managed key, reading them requires `kms:Decrypt` under a key policy you control, each
use of the key is recorded in CloudTrail, and access can be revoked by disabling the key. SOC 2
CC6.1 expects data at rest to be protected with encryption under managed keys.

## How to fix

The key policy must allow the `logs.<region>.amazonaws.com` service principal to use the key.

Terraform:

```hcl
resource "aws_cloudwatch_log_group" "app" {
  name              = "app"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.logs.arn
}
```

CloudFormation:

```yaml
AppLogGroup:
  Type: AWS::Logs::LogGroup
  Properties:
    LogGroupName: app
    RetentionInDays: 365
    KmsKeyId: !GetAtt LogsKey.Arn
```

Console: CloudWatch → *Log groups* → the group → *Actions* → *Edit* (KMS key ARN). CLI:

```sh
aws logs associate-kms-key --log-group-name app \
  --kms-key-id arn:aws:kms:us-east-1:123456789012:key/EXAMPLE
```
"#;

impl Rule for LogGroupEncrypted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, &[LOG_GROUP])
            .into_iter()
            .map(|lg| {
                match reference_set(graph, lg, "kms_key_id") {
                    Ok(Some(key)) => Evaluation::pass(lg, format!("encrypted with KMS key {key}")),
                    Ok(None) => Evaluation::fail(
                        lg,
                        "kms_key_id is not set: the log group is encrypted with a key CloudWatch Logs owns",
                    ),
                    Err(why) => Evaluation::unknown(lg, why),
                }
                .at("kms_key_id")
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn key_set_absent_and_unknown() {
        let g = graph(
            vec![
                res(
                    "aws_cloudwatch_log_group.by_ref",
                    json!({"kms_key_id": unknown()}),
                ),
                res(
                    "aws_cloudwatch_log_group.arn",
                    json!({"kms_key_id": "arn:aws:kms:us-east-1:1:key/k"}),
                ),
                res("aws_cloudwatch_log_group.none", json!({})),
                res("aws_cloudwatch_log_group.var", json!({"kms_key_id": unknown()})),
                res("aws_kms_key.k", json!({})),
            ],
            &[edge(
                "aws_cloudwatch_log_group.by_ref",
                "kms_key_id",
                "aws_kms_key.k",
            )],
        );
        assert_eq!(
            verdicts(&g, &LogGroupEncrypted.check(&g)),
            vec![
                ("aws_cloudwatch_log_group.by_ref".into(), Verdict::Pass),
                ("aws_cloudwatch_log_group.arn".into(), Verdict::Pass),
                ("aws_cloudwatch_log_group.none".into(), Verdict::Fail),
                ("aws_cloudwatch_log_group.var".into(), Verdict::Unknown),
            ]
        );
    }
}
