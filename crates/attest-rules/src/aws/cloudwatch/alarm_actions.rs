//! `aws-cloudwatch-alarm-actions`: CloudWatch alarms act when they fire.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Value};

use crate::aws::cloudwatch::alarms::ALARM;
use crate::aws::links::managed;
use crate::aws::wording::attr_not_known;

pub struct AlarmActions;

static META: RuleMeta = RuleMeta {
    id: "aws-cloudwatch-alarm-actions",
    title: "CloudWatch alarms have an enabled alarm action",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[ALARM],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00240",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_cloudwatch_metric_alarm` passes when `alarm_actions` lists at least one action (an SNS
topic, an Auto Scaling policy, an EC2 or Systems Manager action) and `actions_enabled` is not
`false` (the default is `true`). It fails when `alarm_actions` is absent or empty, or when actions
are disabled. An `alarm_actions` or `actions_enabled` only known after apply gives `unknown`.

## Why it matters

An alarm without an action changes colour on a dashboard and nothing else: the anomaly it was
built to catch goes unnoticed unless someone happens to look. SOC 2 CC7.2 and CC7.3 expect
anomalies to be detected and brought to someone who evaluates them; CC4.1 expects monitoring
controls to actually operate.

## How to fix

Terraform:

```hcl
resource "aws_cloudwatch_metric_alarm" "cpu" {
  alarm_name          = "high-cpu"
  namespace           = "AWS/EC2"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 2
  threshold           = 90
  comparison_operator = "GreaterThanThreshold"
  actions_enabled     = true
  alarm_actions       = [aws_sns_topic.ops.arn]
}
```

CloudFormation:

```yaml
CpuAlarm:
  Type: AWS::CloudWatch::Alarm
  Properties:
    Namespace: AWS/EC2
    MetricName: CPUUtilization
    Statistic: Average
    Period: 300
    EvaluationPeriods: 2
    Threshold: 90
    ComparisonOperator: GreaterThanThreshold
    ActionsEnabled: true
    AlarmActions: [!Ref OpsTopic]
```

Console: CloudWatch → *Alarms* → the alarm → *Actions* → *Edit* → add a notification to an SNS
topic. CLI:

```sh
aws cloudwatch enable-alarm-actions --alarm-names high-cpu
aws cloudwatch put-metric-alarm --alarm-name high-cpu --namespace AWS/EC2 \
  --metric-name CPUUtilization --statistic Average --period 300 --evaluation-periods 2 \
  --threshold 90 --comparison-operator GreaterThanThreshold \
  --alarm-actions arn:aws:sns:us-east-1:123456789012:ops
```
"#;

impl Rule for AlarmActions {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, &[ALARM])
            .into_iter()
            .map(|a| judge(graph, a))
            .collect()
    }
}

fn judge(graph: &ResourceGraph, a: usize) -> Evaluation {
    let alarm = graph.get(a);
    let count = match alarm.attr("alarm_actions") {
        Value::Null => 0,
        Value::List(items) => items.len(),
        Value::String(s) if s.is_empty() => 0,
        Value::String(_) => 1,
        _ => {
            return Evaluation::unknown(a, attr_not_known(graph.get(a), "alarm_actions")).at("alarm_actions");
        }
    };
    if count == 0 {
        return Evaluation::fail(
            a,
            "alarm_actions is empty: the alarm notifies no one and triggers nothing",
        )
        .at("alarm_actions");
    }
    match alarm.attr("actions_enabled").truthy(true) {
        Tri::True => {
            Evaluation::pass(a, format!("{count} alarm action(s), actions enabled")).at("alarm_actions")
        }
        Tri::False => Evaluation::fail(a, "actions_enabled is false: the alarm's actions never run")
            .at("actions_enabled"),
        Tri::Unknown => {
            Evaluation::unknown(a, attr_not_known(graph.get(a), "actions_enabled")).at("actions_enabled")
        }
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown, verdicts};

    #[test]
    fn actions_present_absent_disabled_unknown() {
        let g = graph(
            vec![
                res(
                    "aws_cloudwatch_metric_alarm.ok",
                    json!({"alarm_actions": [unknown()]}),
                ),
                res("aws_cloudwatch_metric_alarm.none", json!({})),
                res("aws_cloudwatch_metric_alarm.empty", json!({"alarm_actions": []})),
                res(
                    "aws_cloudwatch_metric_alarm.off",
                    json!({"alarm_actions": ["arn:aws:sns:us-east-1:1:t"], "actions_enabled": false}),
                ),
                res(
                    "aws_cloudwatch_metric_alarm.var",
                    json!({"alarm_actions": unknown()}),
                ),
                res(
                    "aws_cloudwatch_metric_alarm.var_enabled",
                    json!({"alarm_actions": ["arn:aws:sns:us-east-1:1:t"], "actions_enabled": unknown()}),
                ),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &AlarmActions.check(&g)),
            vec![
                ("aws_cloudwatch_metric_alarm.ok".into(), Verdict::Pass),
                ("aws_cloudwatch_metric_alarm.none".into(), Verdict::Fail),
                ("aws_cloudwatch_metric_alarm.empty".into(), Verdict::Fail),
                ("aws_cloudwatch_metric_alarm.off".into(), Verdict::Fail),
                ("aws_cloudwatch_metric_alarm.var".into(), Verdict::Unknown),
                ("aws_cloudwatch_metric_alarm.var_enabled".into(), Verdict::Unknown),
            ]
        );
    }
}
