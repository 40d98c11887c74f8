//! `aws-dynamodb-kms-encryption`: DynamoDB tables are encrypted with a KMS key.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Value};

use crate::aws::links::{ids, managed};
use crate::aws::wording::{attr_not_known, only_known};

pub struct DynamoDbKmsEncryption;

const TABLE: &str = "aws_dynamodb_table";

static META: RuleMeta = RuleMeta {
    id: "aws-dynamodb-kms-encryption",
    title: "DynamoDB tables are encrypted at rest with a KMS key",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[TABLE],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00069",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_119",
        },
        Alias {
            tool: "prowler",
            id: "dynamodb_tables_kms_cmk_encryption_enabled",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_dynamodb_table` passes when its `server_side_encryption` block has `enabled = true`:
the table is then encrypted with a KMS key — the AWS-managed key `alias/aws/dynamodb` when
`kms_key_arn` is empty, or the customer-managed key it names. The message says which.

The table fails when the block is absent or `enabled = false`. DynamoDB then still encrypts the
data, but with an AWS-owned key that lives outside the account: its use does not appear in
CloudTrail, and no key policy of yours controls it. An `enabled` only known after apply gives
`unknown`. Replica tables are not judged yet.

(Checkov's CKV_AWS_119 asks for a customer-managed key only; this rule also accepts the
AWS-managed key, and says in its message which one a table uses.)

## Why it matters

With a KMS key in the account, every decryption of the table is authorized by a key policy and
recorded in CloudTrail, and access to the data can be revoked by disabling the key. SOC 2 CC6.1
and CC6.7 expect data at rest to be protected under keys the organization controls and audits.
A customer-managed key adds control over rotation and cross-account use.

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

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.dynamodb.arn # omit to use the AWS-managed key
  }
}
```

CloudFormation:

```yaml
OrdersTable:
  Type: AWS::DynamoDB::Table
  Properties:
    BillingMode: PAY_PER_REQUEST
    AttributeDefinitions:
      - AttributeName: id
        AttributeType: S
    KeySchema:
      - AttributeName: id
        KeyType: HASH
    SSESpecification:
      SSEEnabled: true
      SSEType: KMS
      KMSMasterKeyId: !Ref DynamoDbKey
```

Console: DynamoDB → Tables → the table → *Additional settings* → *Encryption* → *Manage
encryption* → choose *AWS managed key* or *Stored in your account, and owned and managed by
you*. CLI:

```sh
aws dynamodb update-table --table-name orders \
  --sse-specification Enabled=true,SSEType=KMS,KMSMasterKeyId=arn:aws:kms:us-east-1:123456789012:key/abcd-1234
```
"#;

impl Rule for DynamoDbKmsEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, &[TABLE])
            .into_iter()
            .map(|i| judge(graph, i))
            .collect()
    }
}

fn judge(graph: &ResourceGraph, i: usize) -> Evaluation {
    let table = graph.get(i);
    let Some(blocks) = table.attr("server_side_encryption").blocks() else {
        return Evaluation::unknown(i, attr_not_known(graph.get(i), "server_side_encryption"))
            .at("server_side_encryption");
    };
    let Some(block) = blocks.first() else {
        return Evaluation::fail(
            i,
            "no server_side_encryption block: the table is encrypted with an AWS-owned key, not a KMS key",
        )
        .at("server_side_encryption");
    };
    match block.get("enabled").truthy(false) {
        Tri::False => Evaluation::fail(
            i,
            "server_side_encryption is disabled: the table is encrypted with an AWS-owned key, not a KMS key",
        )
        .at("server_side_encryption.enabled"),
        Tri::Unknown => {
            Evaluation::unknown(i, attr_not_known(graph.get(i), "server_side_encryption.enabled"))
                .at("server_side_encryption.enabled")
        }
        Tri::True => Evaluation::pass(
            i,
            format!("encrypted with {}", key(graph, i, block.get("kms_key_arn"))),
        )
        .at("server_side_encryption"),
    }
}

/// Which KMS key an enabled `server_side_encryption` block uses, for the message.
fn key(graph: &ResourceGraph, i: usize, arn: &Value) -> String {
    let referenced = graph.referenced_by_attr(i, "server_side_encryption");
    match arn {
        Value::Null => "the AWS-managed KMS key (alias/aws/dynamodb)".to_string(),
        Value::String(s) if s.is_empty() || s.ends_with("alias/aws/dynamodb") => {
            "the AWS-managed KMS key (alias/aws/dynamodb)".to_string()
        }
        Value::String(s) => format!("the customer-managed KMS key {s}"),
        _ if !referenced.is_empty() => format!("the customer-managed KMS key of {}", ids(graph, &referenced)),
        _ => format!("a KMS key whose ARN is {}", only_known(graph.get(i))),
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn kms_blocks_absent_disabled_and_unknown() {
        let g = graph(
            vec![
                res(
                    "aws_dynamodb_table.cmk",
                    json!({"server_side_encryption": [{"enabled": true, "kms_key_arn": unknown()}]}),
                ),
                res(
                    "aws_dynamodb_table.managed",
                    json!({"server_side_encryption": [{"enabled": true, "kms_key_arn": ""}]}),
                ),
                res(
                    "aws_dynamodb_table.absent_hcl",
                    json!({"server_side_encryption": null}),
                ),
                res(
                    "aws_dynamodb_table.absent_plan",
                    json!({"server_side_encryption": []}),
                ),
                res(
                    "aws_dynamodb_table.disabled",
                    json!({"server_side_encryption": [{"enabled": false}]}),
                ),
                res(
                    "aws_dynamodb_table.var",
                    json!({"server_side_encryption": [{"enabled": unknown()}]}),
                ),
                res(
                    "aws_dynamodb_table.block",
                    json!({"server_side_encryption": unknown()}),
                ),
                res("aws_kms_key.k", json!({})),
            ],
            &[edge(
                "aws_dynamodb_table.cmk",
                "server_side_encryption.0.kms_key_arn",
                "aws_kms_key.k",
            )],
        );
        let evals = DynamoDbKmsEncryption.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_dynamodb_table.cmk".into(), Verdict::Pass),
                ("aws_dynamodb_table.managed".into(), Verdict::Pass),
                ("aws_dynamodb_table.absent_hcl".into(), Verdict::Fail),
                ("aws_dynamodb_table.absent_plan".into(), Verdict::Fail),
                ("aws_dynamodb_table.disabled".into(), Verdict::Fail),
                ("aws_dynamodb_table.var".into(), Verdict::Unknown),
                ("aws_dynamodb_table.block".into(), Verdict::Unknown),
            ]
        );
        assert!(
            evals[0]
                .message
                .contains("customer-managed KMS key of aws_kms_key.k"),
            "{}",
            evals[0].message
        );
        assert!(evals[1].message.contains("AWS-managed"), "{}", evals[1].message);
    }

    #[test]
    fn live_unknowns_give_the_reason_not_apply() {
        let denied = json!({"$unknown": "AccessDeniedException on dynamodb:DescribeTable"});
        let g = graph(
            vec![
                crate::aws::scope::test_support::live_in(
                    "arn:aws:dynamodb:eu-west-1:111122223333:table/orders",
                    TABLE,
                    "eu-west-1",
                    json!({"name": "orders", "server_side_encryption": denied}),
                ),
                res(
                    "aws_dynamodb_table.code",
                    json!({"server_side_encryption": unknown()}),
                ),
            ],
            &[],
        );
        let evals = DynamoDbKmsEncryption.check(&g);
        assert_eq!(evals[0].verdict, Verdict::Unknown);
        assert_eq!(
            evals[0].message,
            "server_side_encryption is unknown (AccessDeniedException on dynamodb:DescribeTable)"
        );
        assert_eq!(
            evals[1].message,
            "server_side_encryption is not known before apply"
        );
    }
}
