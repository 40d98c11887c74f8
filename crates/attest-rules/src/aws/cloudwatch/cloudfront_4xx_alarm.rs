//! `aws-cloudwatch-cloudfront-4xx-alarm`: every CloudFront distribution has an alarm on its
//! 4xx error rate.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Value};

use crate::aws::cloudwatch::alarms::{dimension_edges, equals_any, watched_metrics, WatchedMetric, ALARM};
use crate::aws::links::{ids, managed, names_resource};

pub struct CloudFront4xxAlarm;

const DISTRIBUTION: &str = "aws_cloudfront_distribution";
const NAMESPACE: &str = "AWS/CloudFront";
/// `TotalErrorRate` counts 4xx and 5xx responses, so an alarm on it also covers 4xx.
const METRICS: &[&str] = &["4xxErrorRate", "TotalErrorRate"];

static META: RuleMeta = RuleMeta {
    id: "aws-cloudwatch-cloudfront-4xx-alarm",
    title: "CloudFront distributions have a CloudWatch alarm on their 4xx error rate",
    severity: Severity::Medium,
    kind: RuleKind::Graph,
    resource_types: &[DISTRIBUTION],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00034",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_cloudfront_distribution` passes when an `aws_cloudwatch_metric_alarm` watches the
distribution's `4xxErrorRate` (or `TotalErrorRate`, which includes 4xx responses) in the
`AWS/CloudFront` namespace, with the dimension `DistributionId` set to that distribution — written
as a reference (`aws_cloudfront_distribution.cdn.id`) or as the distribution's concrete id. Metric
math alarms count too when one of their `metric_query` blocks holds such a metric.

An alarm whose `DistributionId` is only known after apply, and which references no distribution,
makes the result `unknown` when no other alarm matches.

## Why it matters

A surge of 4xx responses is how credential stuffing, content scraping, broken deployments and
misconfigured origins show up at the edge. Without an alarm the surge is visible only to whoever
happens to open the dashboard. SOC 2 CC7.2 asks that components be monitored for anomalies, and
CC7.3 that they be evaluated when they occur.

## How to fix

CloudFront publishes its metrics in `us-east-1`; create the alarm there.

Terraform:

```hcl
resource "aws_cloudwatch_metric_alarm" "cdn_4xx" {
  provider            = aws.us_east_1
  alarm_name          = "cdn-4xx-error-rate"
  namespace           = "AWS/CloudFront"
  metric_name         = "4xxErrorRate"
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 2
  threshold           = 5
  comparison_operator = "GreaterThanThreshold"
  dimensions = {
    DistributionId = aws_cloudfront_distribution.cdn.id
    Region         = "Global"
  }
  alarm_actions = [aws_sns_topic.ops.arn]
}
```

CloudFormation:

```yaml
Cdn4xxAlarm:
  Type: AWS::CloudWatch::Alarm
  Properties:
    Namespace: AWS/CloudFront
    MetricName: 4xxErrorRate
    Dimensions:
      - Name: DistributionId
        Value: !Ref CdnDistribution
      - Name: Region
        Value: Global
    Statistic: Average
    Period: 300
    EvaluationPeriods: 2
    Threshold: 5
    ComparisonOperator: GreaterThanThreshold
    AlarmActions: [!Ref OpsTopic]
```

Console: CloudFront → the distribution → *Alarms* → *Create alarm* (or CloudWatch → *Alarms* →
*Create alarm* → *CloudFront* → *Per-Distribution Metrics* → `4xxErrorRate`). CLI:

```sh
aws cloudwatch put-metric-alarm --region us-east-1 --alarm-name cdn-4xx-error-rate \
  --namespace AWS/CloudFront --metric-name 4xxErrorRate \
  --dimensions Name=DistributionId,Value=E2EXAMPLE Name=Region,Value=Global \
  --statistic Average --period 300 --evaluation-periods 2 --threshold 5 \
  --comparison-operator GreaterThanThreshold --alarm-actions arn:aws:sns:us-east-1:123456789012:ops
```
"#;

impl Rule for CloudFront4xxAlarm {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        let distributions = graph.of_type(DISTRIBUTION);
        // The alarms that may watch a CloudFront error rate, read once (in load order).
        let alarms: Vec<(usize, Vec<WatchedMetric>)> = graph
            .of_type(ALARM)
            .iter()
            .filter_map(|&a| {
                let metrics: Vec<WatchedMetric> = watched_metrics(graph.get(a))
                    .into_iter()
                    .filter(|m| error_rate(m) != Tri::False)
                    .collect();
                (!metrics.is_empty()).then_some((a, metrics))
            })
            .collect();
        managed(graph, &[DISTRIBUTION])
            .into_iter()
            .map(|d| judge(graph, d, distributions, &alarms))
            .collect()
    }
}

/// Whether a watched metric is a CloudFront error rate this rule accepts.
fn error_rate(m: &WatchedMetric) -> Tri {
    equals_any(&m.namespace, &[NAMESPACE]).and(equals_any(&m.name, METRICS))
}

fn judge(
    graph: &ResourceGraph,
    d: usize,
    distributions: &[usize],
    alarms: &[(usize, Vec<WatchedMetric>)],
) -> Evaluation {
    let mut matching = Vec::new();
    let mut undecided = Vec::new();
    for (a, metrics) in alarms {
        let a = *a;
        let verdict = Tri::any(metrics.iter().map(|m| watches(graph, a, m, d, distributions)));
        match verdict {
            Tri::True => matching.push(a),
            Tri::Unknown => undecided.push(a),
            Tri::False => {}
        }
    }
    if !matching.is_empty() {
        return Evaluation::pass(
            d,
            format!("alarm {} watches its 4xx error rate", ids(graph, &matching)),
        );
    }
    if !undecided.is_empty() {
        return Evaluation::unknown(
            d,
            format!(
                "cannot tell whether alarm {} watches this distribution's 4xx error rate: its metric or \
                 DistributionId is not known before apply",
                ids(graph, &undecided)
            ),
        );
    }
    Evaluation::fail(
        d,
        "no CloudWatch alarm watches its 4xxErrorRate or TotalErrorRate (namespace AWS/CloudFront, \
         dimension DistributionId)",
    )
}

fn watches(graph: &ResourceGraph, alarm: usize, m: &WatchedMetric, d: usize, distributions: &[usize]) -> Tri {
    let metric = error_rate(m);
    if metric == Tri::False {
        return Tri::False;
    }
    metric.and(names_distribution(graph, alarm, m, d, distributions))
}

/// Whether the `DistributionId` dimension of a watched metric names distribution `d`.
fn names_distribution(
    graph: &ResourceGraph,
    alarm: usize,
    m: &WatchedMetric,
    d: usize,
    distributions: &[usize],
) -> Tri {
    let edges: Vec<usize> = dimension_edges(graph, alarm, m)
        .into_iter()
        .filter(|&t| graph.get(t).resource_type == DISTRIBUTION)
        .collect();
    if edges.contains(&d) {
        return Tri::True;
    }
    if !edges.is_empty() {
        return Tri::False;
    }
    let id_attrs = &["id"];
    match m.dimensions.get("DistributionId") {
        Value::String(s) => {
            if names_resource(graph.get(d), s, id_attrs) {
                Tri::True
            } else if graph.get(d).attr("id").as_str().is_some()
                || distributions
                    .iter()
                    .any(|&o| o != d && names_resource(graph.get(o), s, id_attrs))
            {
                Tri::False
            } else {
                // A literal id, and this distribution's id is only known after apply.
                Tri::Unknown
            }
        }
        Value::Unknown(_) => Tri::Unknown,
        _ => Tri::False,
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    fn alarm(name: &str, metric: &str, dimension: serde_json::Value) -> attest_core::Resource {
        res(
            &format!("aws_cloudwatch_metric_alarm.{name}"),
            json!({"namespace": "AWS/CloudFront", "metric_name": metric, "dimensions": {"DistributionId": dimension}}),
        )
    }

    #[test]
    fn alarm_by_edge_passes_and_other_distributions_fail() {
        let g = graph(
            vec![
                res("aws_cloudfront_distribution.a", json!({"id": unknown()})),
                res("aws_cloudfront_distribution.b", json!({"id": unknown()})),
                alarm("a", "4xxErrorRate", unknown()),
            ],
            &[edge(
                "aws_cloudwatch_metric_alarm.a",
                "dimensions.DistributionId",
                "aws_cloudfront_distribution.a",
            )],
        );
        let evals = CloudFront4xxAlarm.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_cloudfront_distribution.a".into(), Verdict::Pass),
                ("aws_cloudfront_distribution.b".into(), Verdict::Fail)
            ]
        );
        assert!(
            evals[0].message.contains("aws_cloudwatch_metric_alarm.a"),
            "{}",
            evals[0].message
        );
    }

    #[test]
    fn alarm_by_concrete_id_and_total_error_rate() {
        let g = graph(
            vec![
                res("aws_cloudfront_distribution.a", json!({"id": "E1"})),
                res("aws_cloudfront_distribution.b", json!({"id": "E2"})),
                alarm("total", "TotalErrorRate", json!("E1")),
                alarm("five", "5xxErrorRate", json!("E2")),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &CloudFront4xxAlarm.check(&g)),
            vec![
                ("aws_cloudfront_distribution.a".into(), Verdict::Pass),
                ("aws_cloudfront_distribution.b".into(), Verdict::Fail)
            ]
        );
    }

    #[test]
    fn unknown_dimension_without_edge_is_unknown_unless_another_alarm_matches() {
        let g = graph(
            vec![
                res("aws_cloudfront_distribution.a", json!({"id": unknown()})),
                alarm("u", "4xxErrorRate", unknown()),
            ],
            &[],
        );
        assert_eq!(CloudFront4xxAlarm.check(&g)[0].verdict, Verdict::Unknown);

        let g = graph(
            vec![
                res("aws_cloudfront_distribution.a", json!({"id": unknown()})),
                alarm("u", "4xxErrorRate", unknown()),
                alarm("known", "4xxErrorRate", unknown()),
            ],
            &[edge(
                "aws_cloudwatch_metric_alarm.known",
                "dimensions",
                "aws_cloudfront_distribution.a",
            )],
        );
        assert_eq!(CloudFront4xxAlarm.check(&g)[0].verdict, Verdict::Pass);
    }

    #[test]
    fn metric_query_alarms_count() {
        let g = graph(
            vec![
                res("aws_cloudfront_distribution.a", json!({"id": unknown()})),
                res(
                    "aws_cloudwatch_metric_alarm.math",
                    json!({"metric_query": [
                        {"id": "e1", "expression": "m1 * 1"},
                        {"id": "m1", "metric": [{"namespace": "AWS/CloudFront", "metric_name": "4xxErrorRate",
                                                 "dimensions": {"DistributionId": unknown()}}]}
                    ]}),
                ),
            ],
            &[edge(
                "aws_cloudwatch_metric_alarm.math",
                "metric_query.1.metric.0.dimensions.DistributionId",
                "aws_cloudfront_distribution.a",
            )],
        );
        assert_eq!(CloudFront4xxAlarm.check(&g)[0].verdict, Verdict::Pass);
    }

    #[test]
    fn no_alarm_fails() {
        let g = graph(vec![res("aws_cloudfront_distribution.a", json!({}))], &[]);
        assert_eq!(CloudFront4xxAlarm.check(&g)[0].verdict, Verdict::Fail);
    }
}
