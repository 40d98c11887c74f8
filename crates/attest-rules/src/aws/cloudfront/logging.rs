//! `aws-cloudfront-access-logging`: CloudFront distributions write standard access logs.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Value};

use crate::aws::links::{ids, managed};
use crate::aws::wording::attr_not_known;

pub struct CloudFrontAccessLogging;

const DISTRIBUTION: &str = "aws_cloudfront_distribution";

static META: RuleMeta = RuleMeta {
    id: "aws-cloudfront-access-logging",
    title: "CloudFront distributions have access logging enabled",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[DISTRIBUTION],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00067",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_86",
        },
        Alias {
            tool: "prowler",
            id: "cloudfront_distributions_logging_enabled",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_cloudfront_distribution` passes when it has a `logging_config` block naming the S3
bucket that receives its standard access logs, and fails when the block is absent. A block or
bucket only known after apply gives `unknown` — except a bucket that references an S3 bucket
in the scanned configuration, which passes.

## Why it matters

Access logs record every viewer request: client address, path, status, edge location, TLS
version. They are the evidence needed to investigate abuse, credential stuffing or data
scraping at the edge, and the input for anomaly monitoring that SOC 2 CC7.2 expects.

## How to fix

Terraform:

```hcl
resource "aws_cloudfront_distribution" "site" {
  # ...
  logging_config {
    bucket          = aws_s3_bucket.cdn_logs.bucket_domain_name
    prefix          = "site/"
    include_cookies = false
  }
}
```

CloudFormation:

```yaml
SiteDistribution:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      Logging:
        Bucket: !GetAtt CdnLogs.DomainName
        Prefix: site/
        IncludeCookies: false
```

Console: CloudFront → the distribution → *General* → *Settings* → *Edit* → *Standard logging*
→ *On* and the log bucket. CLI: set `Logging` (`Enabled`, `Bucket`, `Prefix`) in the
configuration from `aws cloudfront get-distribution-config --id E123` and apply it with
`aws cloudfront update-distribution --id E123 --if-match <ETag> --distribution-config file://config.json`.
"#;

impl Rule for CloudFrontAccessLogging {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, &[DISTRIBUTION])
            .into_iter()
            .map(|i| judge(graph, i))
            .collect()
    }
}

fn judge(graph: &ResourceGraph, i: usize) -> Evaluation {
    let Some(blocks) = graph.get(i).attr("logging_config").blocks() else {
        return Evaluation::unknown(i, attr_not_known(graph.get(i), "logging_config")).at("logging_config");
    };
    let Some(block) = blocks.first() else {
        return Evaluation::fail(i, "no logging_config block: viewer requests are not logged")
            .at("logging_config");
    };
    let referenced = graph.referenced_by_attr(i, "logging_config");
    match block.get("bucket") {
        Value::String(b) if !b.is_empty() => {
            Evaluation::pass(i, format!("access logs are written to {b}")).at("logging_config.bucket")
        }
        _ if !referenced.is_empty() => Evaluation::pass(
            i,
            format!(
                "access logs are written to the bucket of {}",
                ids(graph, &referenced)
            ),
        )
        .at("logging_config.bucket"),
        v if v.contains_unknown() => {
            Evaluation::unknown(i, attr_not_known(graph.get(i), "logging_config.bucket"))
                .at("logging_config.bucket")
        }
        _ => Evaluation::fail(
            i,
            "logging_config names no bucket: viewer requests are not logged",
        )
        .at("logging_config.bucket"),
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn logging_block_present_absent_and_unknown() {
        let g = graph(
            vec![
                res(
                    "aws_cloudfront_distribution.literal",
                    json!({"logging_config": [{"bucket": "logs.s3.amazonaws.com"}]}),
                ),
                res(
                    "aws_cloudfront_distribution.referenced",
                    json!({"logging_config": [{"bucket": unknown()}]}),
                ),
                res(
                    "aws_cloudfront_distribution.var",
                    json!({"logging_config": [{"bucket": unknown()}]}),
                ),
                res("aws_cloudfront_distribution.none", json!({"logging_config": []})),
                res(
                    "aws_cloudfront_distribution.block",
                    json!({"logging_config": unknown()}),
                ),
                res("aws_s3_bucket.logs", json!({})),
            ],
            &[edge(
                "aws_cloudfront_distribution.referenced",
                "logging_config.0.bucket",
                "aws_s3_bucket.logs",
            )],
        );
        let evals = CloudFrontAccessLogging.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_cloudfront_distribution.literal".into(), Verdict::Pass),
                ("aws_cloudfront_distribution.referenced".into(), Verdict::Pass),
                ("aws_cloudfront_distribution.var".into(), Verdict::Unknown),
                ("aws_cloudfront_distribution.none".into(), Verdict::Fail),
                ("aws_cloudfront_distribution.block".into(), Verdict::Unknown),
            ]
        );
        assert!(
            evals[1].message.contains("aws_s3_bucket.logs"),
            "{}",
            evals[1].message
        );
    }
}
