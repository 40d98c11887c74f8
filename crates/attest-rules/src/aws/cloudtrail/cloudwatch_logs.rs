//! `aws-cloudtrail-cloudwatch-logs`: CloudTrail trails deliver to CloudWatch Logs.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::cloudtrail::trail::{reference_set, trails, TRAIL};

pub struct CloudTrailCloudWatchLogs;

static META: RuleMeta = RuleMeta {
    id: "aws-cloudtrail-cloudwatch-logs",
    title: "CloudTrail trails deliver their events to CloudWatch Logs",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[TRAIL],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00029",
        },
        Alias {
            tool: "prowler",
            id: "cloudtrail_cloudwatch_logging_enabled",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_cloudtrail` passes when `cloud_watch_logs_group_arn` is set — to a log group's ARN or
to a reference to an `aws_cloudwatch_log_group` — so the trail's events also flow into a
CloudWatch Logs log group. It fails when the attribute is absent or empty. A value only known
after apply that references no resource gives `unknown`.

## Why it matters

Events delivered only to S3 are an archive: nothing watches them as they arrive. In CloudWatch
Logs, metric filters and alarms can raise a notification within minutes of a root sign-in, a
policy change or a trail being stopped. SOC 2 CC7.2 asks that system components be monitored for
anomalies; near-real-time delivery is what makes that monitoring possible.

## How to fix

Terraform:

```hcl
resource "aws_cloudwatch_log_group" "trail" {
  name              = "cloudtrail"
  retention_in_days = 365
}

resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = aws_s3_bucket.trail.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail_to_logs.arn
}
```

CloudFormation:

```yaml
Trail:
  Type: AWS::CloudTrail::Trail
  Properties:
    IsLogging: true
    S3BucketName: !Ref TrailBucket
    CloudWatchLogsLogGroupArn: !GetAtt TrailLogGroup.Arn
    CloudWatchLogsRoleArn: !GetAtt TrailToLogsRole.Arn
```

Console: CloudTrail → *Trails* → the trail → *CloudWatch Logs* → *Edit* → enable, choose a log
group and a role. CLI:

```sh
aws cloudtrail update-trail --name main \
  --cloud-watch-logs-log-group-arn arn:aws:logs:us-east-1:123456789012:log-group:cloudtrail:* \
  --cloud-watch-logs-role-arn arn:aws:iam::123456789012:role/cloudtrail-to-logs
```
"#;

impl Rule for CloudTrailCloudWatchLogs {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        trails(graph)
            .into_iter()
            .map(|t| {
                let attr = "cloud_watch_logs_group_arn";
                match reference_set(graph, t, attr) {
                    Ok(Some(group)) => Evaluation::pass(t, format!("delivers to CloudWatch Logs ({group})")),
                    Ok(None) => Evaluation::fail(
                        t,
                        "cloud_watch_logs_group_arn is not set: the trail's events reach only S3, where \
                         no metric filter can watch them",
                    ),
                    Err(why) => Evaluation::unknown(t, why),
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
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn set_absent_referenced_and_unknown() {
        let g = graph(
            vec![
                res(
                    "aws_cloudtrail.arn",
                    json!({"cloud_watch_logs_group_arn": "arn:aws:logs:us-east-1:1:log-group:t:*"}),
                ),
                res("aws_cloudtrail.none", json!({})),
                res("aws_cloudtrail.empty", json!({"cloud_watch_logs_group_arn": ""})),
                res(
                    "aws_cloudtrail.by_ref",
                    json!({"cloud_watch_logs_group_arn": unknown()}),
                ),
                res(
                    "aws_cloudtrail.var",
                    json!({"cloud_watch_logs_group_arn": unknown()}),
                ),
                res("aws_cloudwatch_log_group.t", json!({"name": "t"})),
                res("data.aws_cloudtrail.x", json!({})),
            ],
            &[edge(
                "aws_cloudtrail.by_ref",
                "cloud_watch_logs_group_arn",
                "aws_cloudwatch_log_group.t",
            )],
        );
        assert_eq!(
            verdicts(&g, &CloudTrailCloudWatchLogs.check(&g)),
            vec![
                ("aws_cloudtrail.arn".into(), Verdict::Pass),
                ("aws_cloudtrail.none".into(), Verdict::Fail),
                ("aws_cloudtrail.empty".into(), Verdict::Fail),
                ("aws_cloudtrail.by_ref".into(), Verdict::Pass),
                ("aws_cloudtrail.var".into(), Verdict::Unknown),
            ]
        );
    }
}
