//! `aws-sns-topic-encryption`: SNS topics encrypt messages at rest with a KMS key.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Value};

use crate::aws::links::{ids, managed};
use crate::aws::wording::attr_not_known;

pub struct SnsTopicEncryption;

const ATTR: &str = "kms_master_key_id";

static META: RuleMeta = RuleMeta {
    id: "aws-sns-topic-encryption",
    title: "SNS topics encrypt messages at rest with a KMS key",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &["aws_sns_topic"],
    aliases: &[
        Alias {
            tool: "checkov",
            id: "CKV_AWS_26",
        },
        Alias {
            tool: "prowler",
            id: "sns_topics_kms_encryption_at_rest_enabled",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_sns_topic` passes when `kms_master_key_id` is set: a key id, ARN or alias (such as
the AWS-managed `alias/aws/sns`), or a reference to an `aws_kms_key` or `aws_kms_alias`. It
fails when the attribute is not written or empty — SNS does not encrypt topics at rest by
default — and gives `unknown` when the value is only known after apply and does not come from a
KMS resource in the scanned configuration.

## Why it matters

Messages wait on SNS storage until they are delivered, and often carry order details, alerts
with hostnames or personal data. Server-side encryption with a KMS key protects them at rest,
puts each use of the key in CloudTrail and lets access be cut by disabling the key (SOC 2
CC6.1).

## How to fix

Terraform:

```hcl
resource "aws_sns_topic" "orders" {
  name              = "orders"
  kms_master_key_id = aws_kms_key.sns.arn # or "alias/aws/sns"
}
```

CloudFormation:

```yaml
OrdersTopic:
  Type: AWS::SNS::Topic
  Properties:
    TopicName: orders
    KmsMasterKeyId: !Ref SnsKey
```

Publishers then need `kms:GenerateDataKey` and `kms:Decrypt` on a customer-managed key, and
AWS services that publish to the topic need the same in the key policy.

Console: SNS → *Topics* → the topic → *Edit* → *Encryption* → *Enable encryption* → choose the
key → *Save changes*. CLI:

```sh
aws sns set-topic-attributes --topic-arn arn:aws:sns:us-east-1:123456789012:orders \
  --attribute-name KmsMasterKeyId --attribute-value alias/aws/sns
```
"#;

impl Rule for SnsTopicEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, META.resource_types)
            .into_iter()
            .map(|i| judge(graph, i).at(ATTR))
            .collect()
    }
}

fn judge(graph: &ResourceGraph, i: usize) -> Evaluation {
    let keys = graph.referenced_by_attr(i, ATTR);
    if !keys.is_empty() {
        return Evaluation::pass(
            i,
            format!("encrypted at rest with the KMS key of {}", ids(graph, &keys)),
        );
    }
    match graph.get(i).attr(ATTR) {
        Value::String(k) if !k.trim().is_empty() => {
            Evaluation::pass(i, format!("encrypted at rest with the KMS key {k}"))
        }
        Value::Null | Value::String(_) => Evaluation::fail(
            i,
            "kms_master_key_id is not set: messages are not encrypted at rest",
        ),
        _ => Evaluation::unknown(
            i,
            format!(
                "{}: cannot tell whether messages are encrypted",
                attr_not_known(graph.get(i), "kms_master_key_id")
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn key_reference_alias_absent_empty_and_unknown() {
        let g = graph(
            vec![
                res("aws_sns_topic.cmk", json!({"kms_master_key_id": unknown()})),
                res(
                    "aws_sns_topic.alias",
                    json!({"kms_master_key_id": "alias/aws/sns"}),
                ),
                res("aws_sns_topic.absent", json!({"name": "absent"})),
                res("aws_sns_topic.empty", json!({"kms_master_key_id": ""})),
                res("aws_sns_topic.var", json!({"kms_master_key_id": unknown()})),
                res("aws_kms_key.k", json!({})),
            ],
            &[edge("aws_sns_topic.cmk", "kms_master_key_id", "aws_kms_key.k")],
        );
        let evals = SnsTopicEncryption.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_sns_topic.cmk".into(), Verdict::Pass),
                ("aws_sns_topic.alias".into(), Verdict::Pass),
                ("aws_sns_topic.absent".into(), Verdict::Fail),
                ("aws_sns_topic.empty".into(), Verdict::Fail),
                ("aws_sns_topic.var".into(), Verdict::Unknown),
            ]
        );
        assert!(evals[0].message.contains("aws_kms_key.k"), "{}", evals[0].message);
    }
}
