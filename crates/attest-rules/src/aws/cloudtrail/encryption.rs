//! `aws-cloudtrail-kms-encryption`: CloudTrail log files are encrypted with a KMS key.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::cloudtrail::trail::{reference_set, trails, TRAIL};

pub struct CloudTrailKmsEncryption;

static META: RuleMeta = RuleMeta {
    id: "aws-cloudtrail-kms-encryption",
    title: "CloudTrail log files are encrypted with a customer-managed KMS key",
    severity: Severity::High,
    kind: RuleKind::Resource,
    resource_types: &[TRAIL],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00035",
        },
        Alias {
            tool: "cis-aws",
            id: "3.5",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_35",
        },
        Alias {
            tool: "prowler",
            id: "cloudtrail_kms_encryption_enabled",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_cloudtrail` passes when `kms_key_id` is set — to a KMS key ARN, or to a reference to an
`aws_kms_key` — so CloudTrail encrypts its log files with SSE-KMS under that key. It fails when
`kms_key_id` is absent or empty (log files then get only the bucket's default encryption). A value
only known after apply that references no resource gives `unknown`.

## Why it matters

Trail logs describe everything done in the account. With SSE-KMS, reading them takes both read
access to the bucket and `kms:Decrypt` on a key whose policy you control, every decryption is
itself logged, and access can be cut by disabling the key. SOC 2 CC6.1 expects sensitive data at
rest to be protected with encryption under managed keys.

## How to fix

The key policy must allow `cloudtrail.amazonaws.com` to use the key (`kms:GenerateDataKey*`).

Terraform:

```hcl
resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.id
  kms_key_id     = aws_kms_key.trail.arn
}
```

CloudFormation:

```yaml
Trail:
  Type: AWS::CloudTrail::Trail
  Properties:
    IsLogging: true
    S3BucketName: !Ref TrailBucket
    KMSKeyId: !GetAtt TrailKey.Arn
```

Console: CloudTrail → *Trails* → the trail → *General details* → *Edit* → *Log file SSE-KMS
encryption* → enable and choose a key. CLI:

```sh
aws cloudtrail update-trail --name main --kms-key-id arn:aws:kms:us-east-1:123456789012:key/EXAMPLE
```
"#;

impl Rule for CloudTrailKmsEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        trails(graph)
            .into_iter()
            .map(|t| {
                match reference_set(graph, t, "kms_key_id") {
                    Ok(Some(key)) => {
                        Evaluation::pass(t, format!("log files are encrypted with KMS key {key}"))
                    }
                    Ok(None) => Evaluation::fail(
                        t,
                        "kms_key_id is not set: log files are not encrypted with a KMS key",
                    ),
                    Err(why) => Evaluation::unknown(t, why),
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
                    "aws_cloudtrail.arn",
                    json!({"kms_key_id": "arn:aws:kms:us-east-1:1:key/k"}),
                ),
                res("aws_cloudtrail.by_ref", json!({"kms_key_id": unknown()})),
                res("aws_cloudtrail.none", json!({})),
                res("aws_cloudtrail.var", json!({"kms_key_id": unknown()})),
                res("aws_kms_key.k", json!({})),
            ],
            &[edge("aws_cloudtrail.by_ref", "kms_key_id", "aws_kms_key.k")],
        );
        let evals = CloudTrailKmsEncryption.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_cloudtrail.arn".into(), Verdict::Pass),
                ("aws_cloudtrail.by_ref".into(), Verdict::Pass),
                ("aws_cloudtrail.none".into(), Verdict::Fail),
                ("aws_cloudtrail.var".into(), Verdict::Unknown),
            ]
        );
        assert!(evals[1].message.contains("aws_kms_key.k"), "{}", evals[1].message);
    }
}
