//! `aws-cloudtrail-log-file-validation`: CloudTrail trails validate their log files.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri};

use crate::aws::cloudtrail::trail::{trails, TRAIL};
use crate::aws::wording::attr_not_known;

pub struct CloudTrailLogFileValidation;

static META: RuleMeta = RuleMeta {
    id: "aws-cloudtrail-log-file-validation",
    title: "CloudTrail trails have log file integrity validation enabled",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[TRAIL],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00027",
        },
        Alias {
            tool: "cis-aws",
            id: "3.2",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_36",
        },
        Alias {
            tool: "prowler",
            id: "cloudtrail_log_file_validation_enabled",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_cloudtrail` passes when `enable_log_file_validation = true`. The provider's default is
`false`, so a trail that does not set it fails. A value only known after apply gives `unknown`.

## Why it matters

With validation on, CloudTrail writes a signed digest file every hour that chains the hashes of the
log files it delivered. Anyone can then prove that a log file was not modified, deleted or forged
after delivery — which is what makes the trail usable as evidence after an incident. SOC 2 CC7.2
and CC4.1 rely on monitoring records that can be trusted.

## How to fix

Terraform:

```hcl
resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = aws_s3_bucket.trail.id
  enable_log_file_validation = true
}
```

CloudFormation:

```yaml
Trail:
  Type: AWS::CloudTrail::Trail
  Properties:
    IsLogging: true
    S3BucketName: !Ref TrailBucket
    EnableLogFileValidation: true
```

Console: CloudTrail → *Trails* → the trail → *General details* → *Edit* → *Log file validation*
→ enabled. CLI:

```sh
aws cloudtrail update-trail --name main --enable-log-file-validation
aws cloudtrail validate-logs --trail-arn arn:aws:cloudtrail:us-east-1:123456789012:trail/main \
  --start-time 2024-01-01T00:00:00Z
```
"#;

impl Rule for CloudTrailLogFileValidation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        trails(graph)
            .into_iter()
            .map(|t| {
                let attr = "enable_log_file_validation";
                match graph.get(t).attr(attr).truthy(false) {
                    Tri::True => Evaluation::pass(t, "log file integrity validation is enabled"),
                    Tri::False => Evaluation::fail(
                        t,
                        "enable_log_file_validation is not true (the default is false): log files \
                         cannot be proven unmodified",
                    ),
                    Tri::Unknown => {
                        Evaluation::unknown(t, attr_not_known(graph.get(t), "enable_log_file_validation"))
                    }
                }
                .at(attr)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown, verdicts};

    #[test]
    fn enabled_default_disabled_unknown() {
        let g = graph(
            vec![
                res("aws_cloudtrail.on", json!({"enable_log_file_validation": true})),
                res("aws_cloudtrail.default", json!({})),
                res("aws_cloudtrail.off", json!({"enable_log_file_validation": false})),
                res(
                    "aws_cloudtrail.var",
                    json!({"enable_log_file_validation": unknown()}),
                ),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &CloudTrailLogFileValidation.check(&g)),
            vec![
                ("aws_cloudtrail.on".into(), Verdict::Pass),
                ("aws_cloudtrail.default".into(), Verdict::Fail),
                ("aws_cloudtrail.off".into(), Verdict::Fail),
                ("aws_cloudtrail.var".into(), Verdict::Unknown),
            ]
        );
    }
}
