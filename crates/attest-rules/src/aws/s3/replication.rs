//! `aws-s3-replication`: S3 buckets replicate their objects.

use attest_core::Tri;
use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::links::{ids, managed, names_resource, refers_to};
use crate::aws::s3::common::BUCKET;
use crate::aws::wording::{attr_not_known, only_known};

pub struct S3Replication;

static META: RuleMeta = RuleMeta {
    id: "aws-s3-replication",
    title: "S3 buckets replicate their objects",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &["aws_s3_bucket"],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00275",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_144",
        },
        Alias {
            tool: "prowler",
            id: "s3_bucket_cross_region_replication",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_s3_bucket` passes when replication is configured for it: an inline
`replication_configuration` block, or an `aws_s3_bucket_replication_configuration` whose `bucket`
refers to it (by reference, or by the bucket's name or ARN in state inputs). The message names the
configuration. A bucket without one fails; a replication configuration whose `bucket` is only known
after apply (with no reference to follow) gives `unknown`. Whether the destination is in another
Region is not checked. Replication also needs versioning on both buckets (see
`aws-s3-versioning-lifecycle`).

## Why it matters

A replica in another bucket (ideally another Region or account) keeps data available when the
source Region has an outage, or when objects are deleted or encrypted by mistake or by an attacker.
SOC 2 A1.2 expects data to be backed up and recoverable.

## How to fix

Terraform:

```hcl
resource "aws_s3_bucket_replication_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  role   = aws_iam_role.replication.arn
  rule {
    id     = "all"
    status = "Enabled"
    destination {
      bucket        = aws_s3_bucket.replica.arn
      storage_class = "STANDARD_IA"
    }
  }
  depends_on = [aws_s3_bucket_versioning.data]
}
```

CloudFormation:

```yaml
DataBucket:
  Type: AWS::S3::Bucket
  Properties:
    VersioningConfiguration:
      Status: Enabled
    ReplicationConfiguration:
      Role: !GetAtt ReplicationRole.Arn
      Rules:
        - Status: Enabled
          Destination:
            Bucket: !GetAtt ReplicaBucket.Arn
```

Console: S3 → the bucket → *Management* → *Replication rules* → *Create replication rule*.
CLI: `aws s3api put-bucket-replication --bucket my-bucket --replication-configuration file://replication.json`.
"#;

impl Rule for S3Replication {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn looks_through(&self) -> &'static [&'static str] {
        &[REPLICATION]
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, &[BUCKET])
            .into_iter()
            .map(|i| judge(graph, i))
            .collect()
    }
}

const REPLICATION: &str = "aws_s3_bucket_replication_configuration";

fn judge(graph: &ResourceGraph, i: usize) -> Evaluation {
    let inline = graph.get(i).attr("replication_configuration");
    let Some(blocks) = inline.blocks() else {
        return Evaluation::unknown(i, attr_not_known(graph.get(i), "replication_configuration"))
            .at("replication_configuration");
    };
    if !blocks.is_empty() {
        return Evaluation::pass(i, "the bucket has an inline replication_configuration")
            .at("replication_configuration");
    }
    let mut unknown = Vec::new();
    for r in managed(graph, &[REPLICATION]) {
        match refers_to(graph, r, "bucket", i, |b, v| {
            names_resource(b, v, &["bucket", "id", "arn"])
        }) {
            Tri::True => {
                return Evaluation::pass(i, format!("{} replicates the bucket", graph.get(r).id));
            }
            Tri::Unknown => unknown.push(r),
            Tri::False => {}
        }
    }
    if !unknown.is_empty() {
        return Evaluation::unknown(
            i,
            format!(
                "cannot tell whether {} configure this bucket: their bucket is {}",
                ids(graph, &unknown),
                only_known(graph.get(unknown[0]))
            ),
        );
    }
    Evaluation::fail(i, "no replication is configured for the bucket").at("replication_configuration")
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    #[allow(unused_imports)]
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn inline_split_and_unknown() {
        let g = graph(
            vec![
                res(
                    "aws_s3_bucket.inline",
                    json!({"replication_configuration": [{"role": "r"}]}),
                ),
                res("aws_s3_bucket.split", json!({})),
                res("aws_s3_bucket.named", json!({"bucket": "named"})),
                res("aws_s3_bucket.none", json!({"bucket": "none"})),
                res(
                    "aws_s3_bucket_replication_configuration.split",
                    json!({"bucket": unknown()}),
                ),
                res(
                    "aws_s3_bucket_replication_configuration.named",
                    json!({"bucket": "named"}),
                ),
            ],
            &[edge(
                "aws_s3_bucket_replication_configuration.split",
                "bucket",
                "aws_s3_bucket.split",
            )],
        );
        let evals = S3Replication.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_s3_bucket.inline".into(), Verdict::Pass),
                ("aws_s3_bucket.split".into(), Verdict::Pass),
                ("aws_s3_bucket.named".into(), Verdict::Pass),
                ("aws_s3_bucket.none".into(), Verdict::Fail),
            ]
        );
        let g = graph(
            vec![
                res("aws_s3_bucket.b", json!({})),
                res(
                    "aws_s3_bucket_replication_configuration.var",
                    json!({"bucket": unknown()}),
                ),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &S3Replication.check(&g)),
            vec![("aws_s3_bucket.b".into(), Verdict::Unknown)]
        );
    }
}
