//! `aws-s3-access-logging`: S3 buckets have server access logging enabled.

use attest_core::Value;
use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::links::{ids, managed};
use crate::aws::s3::common::BUCKET;
use crate::aws::wording::{attr_not_known, only_known};

pub struct S3AccessLogging;

static META: RuleMeta = RuleMeta {
    id: "aws-s3-access-logging",
    title: "S3 buckets have server access logging enabled",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &["aws_s3_bucket"],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00274",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_18",
        },
        Alias {
            tool: "prowler",
            id: "s3_bucket_server_access_logging_enabled",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_s3_bucket` passes when it has a `logging` configuration (inline, or a joined
`aws_s3_bucket_logging`) naming a target bucket; the message names it. A bucket without one fails;
a `logging` value only known after apply gives `unknown`.

## Why it matters

Server access logs record every request made to the bucket — who, from where, what — and are the
evidence needed to investigate a leak or misuse of data. SOC 2 CC7.2 expects activity on systems
holding data to be monitored.

## How to fix

Terraform:

```hcl
resource "aws_s3_bucket_logging" "data" {
  bucket        = aws_s3_bucket.data.id
  target_bucket = aws_s3_bucket.access_logs.id
  target_prefix = "data/"
}
```

CloudFormation:

```yaml
DataBucket:
  Type: AWS::S3::Bucket
  Properties:
    LoggingConfiguration:
      DestinationBucketName: !Ref AccessLogsBucket
      LogFilePrefix: data/
```

Console: S3 → the bucket → *Properties* → *Server access logging* → *Edit* → *Enable* and choose the
target bucket. CLI: `aws s3api put-bucket-logging --bucket my-bucket --bucket-logging-status
'{"LoggingEnabled":{"TargetBucket":"my-logs","TargetPrefix":"my-bucket/"}}'`.
"#;

impl Rule for S3AccessLogging {
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
    let Some(blocks) = graph.get(i).attr("logging").blocks() else {
        return Evaluation::unknown(i, attr_not_known(graph.get(i), "logging")).at("logging");
    };
    let Some(block) = blocks.first() else {
        return Evaluation::fail(i, "server access logging is not configured").at("logging");
    };
    let target = match block.get("target_bucket") {
        Value::String(s) => format!("bucket {s:?}"),
        _ => {
            let edges = graph.referenced_by_attr(i, "logging.0.target_bucket");
            if edges.is_empty() {
                format!("a target bucket {}", only_known(graph.get(i)))
            } else {
                ids(graph, &edges)
            }
        }
    };
    Evaluation::pass(i, format!("server access logs are delivered to {target}")).at("logging")
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    #[allow(unused_imports)]
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn logging_blocks() {
        let g = graph(
            vec![
                res(
                    "aws_s3_bucket.logged",
                    json!({"logging": [{"target_bucket": unknown()}]}),
                ),
                res("aws_s3_bucket.none", json!({"logging": []})),
                res("aws_s3_bucket.var", json!({"logging": unknown()})),
                res("aws_s3_bucket.logs", json!({})),
            ],
            &[edge(
                "aws_s3_bucket.logged",
                "logging.0.target_bucket",
                "aws_s3_bucket.logs",
            )],
        );
        let evals = S3AccessLogging.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_s3_bucket.logged".into(), Verdict::Pass),
                ("aws_s3_bucket.none".into(), Verdict::Fail),
                ("aws_s3_bucket.var".into(), Verdict::Unknown),
                ("aws_s3_bucket.logs".into(), Verdict::Fail),
            ]
        );
        assert!(
            evals[0].message.contains("aws_s3_bucket.logs"),
            "{}",
            evals[0].message
        );
    }
}
