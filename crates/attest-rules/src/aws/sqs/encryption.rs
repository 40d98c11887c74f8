//! `aws-sqs-encryption`: SQS queues encrypt messages at rest.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Value};

use crate::aws::links::{ids, managed};
use crate::aws::wording::attr_not_known;

pub struct SqsEncryption;

const QUEUE: &str = "aws_sqs_queue";

static META: RuleMeta = RuleMeta {
    id: "aws-sqs-encryption",
    title: "SQS queues encrypt messages at rest",
    severity: Severity::High,
    kind: RuleKind::Resource,
    resource_types: &[QUEUE],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00070",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_sqs_queue` passes when its messages are encrypted at rest:

- with a KMS key, when `kms_master_key_id` is set (a key id, ARN or alias such as
  `alias/aws/sqs`, or a reference to an `aws_kms_key`); or
- with SQS-managed keys (SSE-SQS), when `sqs_managed_sse_enabled = true`, or when neither
  attribute is set: since October 2022 SQS applies SSE-SQS to new queues by default, and the
  AWS provider keeps the service's value. The message says when the default is relied on.

It fails when `sqs_managed_sse_enabled = false` and no KMS key is set. Values only known after
apply give `unknown`.

## Why it matters

Queues hold application data — orders, events, personal data — sometimes for days. Encryption
at rest protects it in AWS storage and, with a KMS key, puts every read under a key policy and
CloudTrail record (SOC 2 CC6.1). Being explicit keeps an old queue created before the default
changed, or one with encryption turned off, from going unnoticed.

## How to fix

Terraform:

```hcl
resource "aws_sqs_queue" "orders" {
  name              = "orders"
  kms_master_key_id = aws_kms_key.sqs.arn # or: sqs_managed_sse_enabled = true
}
```

CloudFormation:

```yaml
OrdersQueue:
  Type: AWS::SQS::Queue
  Properties:
    QueueName: orders
    KmsMasterKeyId: !Ref SqsKey
```

Console: SQS → the queue → *Edit* → *Encryption* → *Server-side encryption* *Enabled*, with an
Amazon SQS key (SSE-SQS) or an AWS KMS key (SSE-KMS). CLI:

```sh
aws sqs set-queue-attributes --queue-url <url> --attributes SqsManagedSseEnabled=true
```
"#;

impl Rule for SqsEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, &[QUEUE])
            .into_iter()
            .map(|i| judge(graph, i))
            .collect()
    }
}

fn judge(graph: &ResourceGraph, i: usize) -> Evaluation {
    let queue = graph.get(i);
    let keys = graph.referenced_by_attr(i, "kms_master_key_id");
    if !keys.is_empty() {
        return Evaluation::pass(i, format!("encrypted with the KMS key {}", ids(graph, &keys)))
            .at("kms_master_key_id");
    }
    let key = queue.attr("kms_master_key_id");
    match key {
        Value::String(k) if !k.is_empty() => {
            return Evaluation::pass(i, format!("encrypted with the KMS key {k}")).at("kms_master_key_id");
        }
        v if v.contains_unknown() => {
            return Evaluation::unknown(i, attr_not_known(graph.get(i), "kms_master_key_id"))
                .at("kms_master_key_id");
        }
        _ => {}
    }
    let sse = queue.attr("sqs_managed_sse_enabled");
    match sse.truthy(true) {
        Tri::True if sse.is_null() => Evaluation::pass(
            i,
            "no KMS key and sqs_managed_sse_enabled not set: SQS applies SSE-SQS to new queues by default",
        ),
        Tri::True => Evaluation::pass(i, "encrypted with SQS-managed keys (SSE-SQS)"),
        Tri::False => Evaluation::fail(
            i,
            "sqs_managed_sse_enabled = false and no KMS key: messages are not encrypted",
        ),
        Tri::Unknown => Evaluation::unknown(i, attr_not_known(graph.get(i), "sqs_managed_sse_enabled")),
    }
    .at("sqs_managed_sse_enabled")
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn kms_sse_sqs_default_off_and_unknown() {
        let g = graph(
            vec![
                res("aws_sqs_queue.kms", json!({"kms_master_key_id": unknown()})),
                res(
                    "aws_sqs_queue.alias",
                    json!({"kms_master_key_id": "alias/aws/sqs"}),
                ),
                res("aws_sqs_queue.sse", json!({"sqs_managed_sse_enabled": true})),
                res("aws_sqs_queue.default", json!({})),
                res("aws_sqs_queue.off", json!({"sqs_managed_sse_enabled": false})),
                res("aws_sqs_queue.var", json!({"sqs_managed_sse_enabled": unknown()})),
                res("aws_sqs_queue.key_var", json!({"kms_master_key_id": unknown()})),
                res("aws_kms_key.k", json!({})),
            ],
            &[edge("aws_sqs_queue.kms", "kms_master_key_id", "aws_kms_key.k")],
        );
        assert_eq!(
            verdicts(&g, &SqsEncryption.check(&g)),
            vec![
                ("aws_sqs_queue.kms".into(), Verdict::Pass),
                ("aws_sqs_queue.alias".into(), Verdict::Pass),
                ("aws_sqs_queue.sse".into(), Verdict::Pass),
                ("aws_sqs_queue.default".into(), Verdict::Pass),
                ("aws_sqs_queue.off".into(), Verdict::Fail),
                ("aws_sqs_queue.var".into(), Verdict::Unknown),
                ("aws_sqs_queue.key_var".into(), Verdict::Unknown),
            ]
        );
    }
}
