//! `aws-cloudtrail-bucket-access-logging`: the bucket a trail delivers to has server access
//! logging.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Value};

use crate::aws::cloudtrail::trail::{trail_bucket, trails, TrailBucket, BUCKET, TRAIL};
use crate::aws::wording::{is_live, not_known_why};

pub struct CloudTrailBucketAccessLogging;

static META: RuleMeta = RuleMeta {
    id: "aws-cloudtrail-bucket-access-logging",
    title: "The S3 bucket of each CloudTrail trail has server access logging enabled",
    severity: Severity::Medium,
    kind: RuleKind::Graph,
    resource_types: &[TRAIL, BUCKET],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00031",
        },
        Alias {
            tool: "cis-aws",
            id: "3.4",
        },
        Alias {
            tool: "prowler",
            id: "cloudtrail_logs_s3_bucket_access_logging_enabled",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

For every `aws_cloudtrail`, attest finds the `aws_s3_bucket` named by `s3_bucket_name` (a
reference, or a bucket whose `bucket` equals the name) and passes when that bucket has a
`logging` block — inline, or from an `aws_s3_bucket_logging` resource — with a target bucket.
The trail fails when the bucket has no access logging. When the bucket is not declared in the
scanned configuration, or its name or logging is only known after apply, the result is `unknown`.

## Why it matters

The trail bucket holds the account's audit record. Server access logs record every request made
to it — who read, listed or tried to delete the logs — which is how tampering with, or
unauthorized reading of, the audit trail itself is detected. SOC 2 CC7.2 asks for monitoring of
the components that hold monitoring data.

## How to fix

Send the access logs to a different bucket than the trail bucket.

Terraform:

```hcl
resource "aws_s3_bucket_logging" "trail" {
  bucket        = aws_s3_bucket.trail.id
  target_bucket = aws_s3_bucket.access_logs.id
  target_prefix = "cloudtrail/"
}
```

CloudFormation:

```yaml
TrailBucket:
  Type: AWS::S3::Bucket
  Properties:
    LoggingConfiguration:
      DestinationBucketName: !Ref AccessLogsBucket
      LogFilePrefix: cloudtrail/
```

Console: S3 → the trail bucket → *Properties* → *Server access logging* → *Edit* → enable and
choose a target bucket. CLI:

```sh
aws s3api put-bucket-logging --bucket my-trail-bucket --bucket-logging-status \
  '{"LoggingEnabled":{"TargetBucket":"my-access-logs","TargetPrefix":"cloudtrail/"}}'
```
"#;

impl Rule for CloudTrailBucketAccessLogging {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        trails(graph).into_iter().map(|t| judge(graph, t)).collect()
    }
}

fn judge(graph: &ResourceGraph, t: usize) -> Evaluation {
    let b = match trail_bucket(graph, t) {
        TrailBucket::Bucket(b) => b,
        TrailBucket::Unjudged(why) => {
            return Evaluation::unknown(t, format!("cannot tell whether access logging is enabled: {why}"))
                .at("s3_bucket_name")
        }
    };
    let bucket = graph.get(b);
    let Some(blocks) = bucket.attr("logging").blocks() else {
        return Evaluation::unknown(
            t,
            format!(
                "the logging of bucket {} is {}",
                bucket.id,
                not_known_why(bucket, bucket.attr("logging"))
            ),
        );
    };
    match blocks
        .iter()
        .map(|l| l.get("target_bucket"))
        .find(|v| !v.is_null())
    {
        Some(Value::String(target)) if !target.is_empty() => Evaluation::pass(
            t,
            format!("bucket {} logs its access to bucket {target}", bucket.id),
        ),
        Some(Value::String(_)) | None => {
            Evaluation::fail(t, format!("bucket {} has no server access logging", bucket.id))
                .at("s3_bucket_name")
        }
        Some(_) => Evaluation::pass(
            t,
            format!(
                "bucket {} logs its access to a target bucket {}",
                bucket.id,
                if is_live(bucket) {
                    "whose name is unknown in the live scan"
                } else {
                    "known after apply"
                }
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
    fn joined_bucket_logging() {
        let g = graph(
            vec![
                res("aws_cloudtrail.logged", json!({"s3_bucket_name": unknown()})),
                res("aws_cloudtrail.unlogged", json!({"s3_bucket_name": "plain"})),
                res("aws_cloudtrail.outside", json!({"s3_bucket_name": "elsewhere"})),
                res("aws_cloudtrail.var", json!({"s3_bucket_name": unknown()})),
                res("aws_cloudtrail.computed", json!({"s3_bucket_name": "computed"})),
                res(
                    "aws_s3_bucket.logged",
                    json!({"bucket": "logged", "logging": [{"target_bucket": unknown()}]}),
                ),
                res("aws_s3_bucket.plain", json!({"bucket": "plain"})),
                res(
                    "aws_s3_bucket.computed",
                    json!({"bucket": "computed", "logging": unknown()}),
                ),
            ],
            &[edge(
                "aws_cloudtrail.logged",
                "s3_bucket_name",
                "aws_s3_bucket.logged",
            )],
        );
        assert_eq!(
            verdicts(&g, &CloudTrailBucketAccessLogging.check(&g)),
            vec![
                ("aws_cloudtrail.logged".into(), Verdict::Pass),
                ("aws_cloudtrail.unlogged".into(), Verdict::Fail),
                ("aws_cloudtrail.outside".into(), Verdict::Unknown),
                ("aws_cloudtrail.var".into(), Verdict::Unknown),
                ("aws_cloudtrail.computed".into(), Verdict::Unknown),
            ]
        );
    }
}
