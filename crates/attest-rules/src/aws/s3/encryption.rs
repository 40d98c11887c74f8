//! `aws-s3-encryption`: S3 buckets declare default server-side encryption.

use attest_core::Value;
use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::links::managed;
use crate::aws::s3::common::BUCKET;
use crate::aws::wording::{attr_not_known, only_known};

pub struct S3Encryption;

static META: RuleMeta = RuleMeta {
    id: "aws-s3-encryption",
    title: "S3 buckets declare default server-side encryption",
    severity: Severity::High,
    kind: RuleKind::Resource,
    resource_types: &["aws_s3_bucket"],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00099",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_19",
        },
        Alias {
            tool: "prowler",
            id: "s3_bucket_default_encryption",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_s3_bucket` passes when it declares default server-side encryption: a
`server_side_encryption_configuration` on the bucket (provider v3) or an
`aws_s3_bucket_server_side_encryption_configuration` joined to it (provider v4 and later). The message
says which algorithm (`AES256`, `aws:kms`, `aws:kms:dsse`) the configuration names. A bucket without
one fails; a configuration only known after apply gives `unknown`.

Since January 2023 S3 encrypts every new object with SSE-S3 even when a bucket has no configuration,
so a failing bucket is not storing plaintext: the rule checks that the encryption is **declared**, so
that the configuration is the record of how data is protected (and the place to choose a KMS key).

## Why it matters

An explicit default encryption makes the protection of data at rest visible and reviewable in the
configuration, survives changes of AWS defaults, and is where a customer-managed KMS key is chosen
when access to the data must be auditable in CloudTrail and revocable. SOC 2 CC6.1 and C1.1 expect
encryption at rest of confidential data to be a designed, evidenced control.

## How to fix

Terraform:

```hcl
resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.s3.arn
    }
    bucket_key_enabled = true
  }
}
```

CloudFormation:

```yaml
DataBucket:
  Type: AWS::S3::Bucket
  Properties:
    BucketEncryption:
      ServerSideEncryptionConfiguration:
        - ServerSideEncryptionByDefault:
            SSEAlgorithm: aws:kms
            KMSMasterKeyID: !GetAtt S3Key.Arn
          BucketKeyEnabled: true
```

Console: S3 → the bucket → *Properties* → *Default encryption* → *Edit* → choose SSE-S3 or SSE-KMS.
CLI:

```sh
aws s3api put-bucket-encryption --bucket my-bucket --server-side-encryption-configuration \
  '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms"},"BucketKeyEnabled":true}]}'
```
"#;

impl Rule for S3Encryption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, &[BUCKET])
            .into_iter()
            .map(|i| judge(graph, i))
            .collect()
    }
}

fn judge(graph: &ResourceGraph, i: usize) -> Evaluation {
    let conf = graph.get(i).attr("server_side_encryption_configuration");
    let Some(blocks) = conf.blocks() else {
        return Evaluation::unknown(
            i,
            attr_not_known(graph.get(i), "server_side_encryption_configuration"),
        )
        .at("server_side_encryption_configuration");
    };
    if blocks.is_empty() {
        return Evaluation::fail(
            i,
            "no default encryption configuration is declared (S3 still applies SSE-S3 to new objects, \
             but the configuration does not say so)",
        )
        .at("server_side_encryption_configuration");
    }
    let algorithm = conf.path("rule.apply_server_side_encryption_by_default.sse_algorithm");
    let what = match algorithm {
        Value::String(s) => format!("with {s:?}"),
        Value::Unknown(_) => format!("with an algorithm {}", only_known(graph.get(i))),
        _ => "(algorithm not read)".to_string(),
    };
    Evaluation::pass(i, format!("default server-side encryption is declared {what}"))
        .at("server_side_encryption_configuration")
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    #[allow(unused_imports)]
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn declared_missing_unknown() {
        let g = graph(
            vec![
                res(
                    "aws_s3_bucket.kms",
                    json!({"server_side_encryption_configuration": [{"rule": [
                    {"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}]}]}]}),
                ),
                res("aws_s3_bucket.none", json!({})),
                res(
                    "aws_s3_bucket.var",
                    json!({"server_side_encryption_configuration": unknown()}),
                ),
                res("data.aws_s3_bucket.read", json!({})),
            ],
            &[],
        );
        let evals = S3Encryption.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_s3_bucket.kms".into(), Verdict::Pass),
                ("aws_s3_bucket.none".into(), Verdict::Fail),
                ("aws_s3_bucket.var".into(), Verdict::Unknown),
            ]
        );
        assert!(evals[0].message.contains("aws:kms"), "{}", evals[0].message);
    }
}
