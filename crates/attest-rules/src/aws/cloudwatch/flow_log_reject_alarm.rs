//! `aws-cloudwatch-flow-log-reject-alarm`: rejected connections recorded by VPC flow logs are
//! counted by a metric filter and watched by an alarm.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Value};

use crate::aws::cloudwatch::log_chain::{
    filter_alarms, filter_on_group, name_from_arn, AlarmIndex, FilterAlarms, FilterIndex, Group, GroupIndex,
    LOG_GROUP,
};
use crate::aws::links::{ids, managed, resolve_by, Link};
use crate::aws::wording::{attr_not_known, not_known};

pub struct FlowLogRejectAlarm;

const FLOW_LOG: &str = "aws_flow_log";

static META: RuleMeta = RuleMeta {
    id: "aws-cloudwatch-flow-log-reject-alarm",
    title: "VPC flow logs sent to CloudWatch Logs have a metric filter and alarm for rejected traffic",
    severity: Severity::Medium,
    kind: RuleKind::Graph,
    resource_types: &[FLOW_LOG],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00032",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

For every VPC flow log that delivers to CloudWatch Logs (`log_destination_type` unset or
`cloud-watch-logs`), attest follows the chain an operator needs to be told about rejected
traffic:

1. the log group the flow log writes to (`log_group_name` or `log_destination`);
2. an `aws_cloudwatch_log_metric_filter` on that log group whose `pattern` selects `REJECT`
   records — a space-delimited pattern such as `[..., action="REJECT", ...]`, a JSON pattern
   such as `{ $.action = "REJECT" }`, or the plain term `REJECT`;
3. an `aws_cloudwatch_metric_alarm` on the metric that filter publishes (the same `metric_name`
   and `namespace` as the filter's `metric_transformation`).

The flow log fails when a link is missing, and the message says which one. Names or patterns
only known after apply make the result `unknown`. Flow logs delivered to S3 or Kinesis Data
Firehose are not judged by this rule.

## Why it matters

Rejected connections are the trace of port scans, misconfigured clients and attempts to reach
what security groups and network ACLs keep closed. Recording them is not monitoring them: an
alarm turns a spike of rejections into a notification someone acts on. SOC 2 CC7.2 asks that
system components be monitored for anomalies that indicate malicious acts.

## How to fix

Terraform:

```hcl
resource "aws_cloudwatch_log_metric_filter" "rejected" {
  name           = "vpc-rejected-connections"
  log_group_name = aws_cloudwatch_log_group.flow_logs.name
  pattern        = "[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes, windowstart, windowend, action=\"REJECT\", flowlogstatus]"

  metric_transformation {
    name      = "RejectedConnections"
    namespace = "VPCFlowLogs"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "rejected" {
  alarm_name          = "vpc-rejected-connections"
  metric_name         = "RejectedConnections"
  namespace           = "VPCFlowLogs"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 100
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.security.arn]
}
```

CloudFormation:

```yaml
RejectedFilter:
  Type: AWS::Logs::MetricFilter
  Properties:
    LogGroupName: !Ref FlowLogGroup
    FilterPattern: '[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes, windowstart, windowend, action="REJECT", flowlogstatus]'
    MetricTransformations:
      - MetricName: RejectedConnections
        MetricNamespace: VPCFlowLogs
        MetricValue: "1"
RejectedAlarm:
  Type: AWS::CloudWatch::Alarm
  Properties:
    MetricName: RejectedConnections
    Namespace: VPCFlowLogs
    Statistic: Sum
    Period: 300
    EvaluationPeriods: 1
    Threshold: 100
    ComparisonOperator: GreaterThanOrEqualToThreshold
    AlarmActions: [!Ref SecurityTopic]
```

Console: CloudWatch → Log groups → the flow log group → *Metric filters* → *Create metric
filter*; then choose the new metric → *Create alarm*. CLI:

```sh
aws logs put-metric-filter --log-group-name vpc-flow-logs --filter-name vpc-rejected-connections \
  --filter-pattern '[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes, windowstart, windowend, action="REJECT", flowlogstatus]' \
  --metric-transformations metricName=RejectedConnections,metricNamespace=VPCFlowLogs,metricValue=1
aws cloudwatch put-metric-alarm --alarm-name vpc-rejected-connections --metric-name RejectedConnections \
  --namespace VPCFlowLogs --statistic Sum --period 300 --evaluation-periods 1 --threshold 100 \
  --comparison-operator GreaterThanOrEqualToThreshold --alarm-actions arn:aws:sns:us-east-1:123456789012:security
```
"#;

impl Rule for FlowLogRejectAlarm {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        let index = Indexes {
            groups: GroupIndex::build(graph),
            filters: FilterIndex::build(graph),
            alarms: AlarmIndex::build(graph),
        };
        managed(graph, &[FLOW_LOG])
            .into_iter()
            .filter_map(|i| judge(graph, &index, i))
            .collect()
    }
}

/// The log groups, metric filters and alarms, indexed once per check.
struct Indexes<'g> {
    groups: GroupIndex<'g>,
    filters: FilterIndex,
    alarms: AlarmIndex,
}

fn judge(graph: &ResourceGraph, index: &Indexes, fl: usize) -> Option<Evaluation> {
    match graph.get(fl).attr("log_destination_type") {
        Value::Null => {}
        Value::String(t) if t == "cloud-watch-logs" => {}
        Value::Unknown(_) => {
            return Some(
                Evaluation::unknown(
                    fl,
                    format!(
                        "{}: cannot tell whether the flow log delivers to CloudWatch Logs",
                        attr_not_known(graph.get(fl), "log_destination_type")
                    ),
                )
                .at("log_destination_type"),
            )
        }
        // S3 and Firehose delivery: out of scope.
        _ => return None,
    }
    let group = match log_group(graph, &index.groups, fl) {
        Ok(group) => group,
        Err(why) => return Some(Evaluation::unknown(fl, why)),
    };
    Some(judge_chain(graph, index, fl, &group))
}

fn log_group(graph: &ResourceGraph, groups: &GroupIndex, fl: usize) -> Result<Group, String> {
    // `log_group_name` (deprecated) and `log_destination` both name the group; in a plan the
    // one not written is computed, so it is unknown rather than absent. Take the one that tells.
    let by_name = resolve_by(graph, fl, "log_group_name", &[LOG_GROUP], |s| groups.by_name(s));
    let by_arn = resolve_by(graph, fl, "log_destination", &[LOG_GROUP], |s| groups.by_arn(s));
    let rank = |l: &Link| match l {
        Link::Resources(_) => 0,
        Link::Literal(_) => 1,
        Link::Unknown => 2,
        Link::Absent => 3,
    };
    let (attr, link) = if rank(&by_arn) < rank(&by_name) {
        ("log_destination", by_arn)
    } else {
        ("log_group_name", by_name)
    };
    match link {
        Link::Resources(found) => {
            let lg = found[0];
            Ok(Group {
                resource: Some(lg),
                name: graph.get(lg).attr("name").clone(),
                label: graph.get(lg).id.clone(),
            })
        }
        Link::Literal(s) => {
            let name = if attr == "log_destination" {
                name_from_arn(&s).unwrap_or(&s).to_string()
            } else {
                s
            };
            Ok(Group {
                resource: None,
                label: format!("log group {name:?}"),
                name: Value::String(name),
            })
        }
        Link::Unknown => Err(format!(
            "the log group ({attr}) is not known before apply and no aws_cloudwatch_log_group in the \
             scanned configuration is referenced"
        )),
        Link::Absent => Err("neither log_group_name nor log_destination is set".to_string()),
    }
}

/// One metric filter that may sit on the flow log's group, and how far the chain gets.
struct Candidate {
    filter: usize,
    on_group: Tri,
    rejects: Tri,
    alarmed: Tri,
    alarms: Vec<usize>,
    metric: String,
}

impl Candidate {
    fn chain(&self) -> Tri {
        self.on_group.and(self.rejects).and(self.alarmed)
    }
}

fn judge_chain(graph: &ResourceGraph, index: &Indexes, fl: usize, group: &Group) -> Evaluation {
    let candidates: Vec<Candidate> = index
        .filters
        .on_group(group)
        .into_iter()
        .filter_map(|f| candidate(graph, &index.alarms, f, group))
        .collect();
    if let Some(c) = candidates.iter().find(|c| c.chain() == Tri::True) {
        return Evaluation::pass(
            fl,
            format!(
                "metric filter {} counts REJECT records of {} into {}, watched by alarm {}",
                graph.get(c.filter).id,
                group.label,
                c.metric,
                ids(graph, &c.alarms)
            ),
        );
    }
    if let Some(c) = candidates.iter().find(|c| c.chain() == Tri::Unknown) {
        let part = if c.on_group == Tri::Unknown {
            "which log group it reads"
        } else if c.rejects == Tri::Unknown {
            "its pattern"
        } else {
            "whether an alarm watches its metric"
        };
        return Evaluation::unknown(
            fl,
            format!(
                "cannot tell whether metric filter {} completes the chain for {}: {part} is {}",
                graph.get(c.filter).id,
                group.label,
                not_known(graph.get(c.filter))
            ),
        );
    }
    let rejecting: Vec<&Candidate> = candidates.iter().filter(|c| c.rejects == Tri::True).collect();
    if let Some(c) = rejecting.first() {
        return Evaluation::fail(
            fl,
            format!(
                "metric filter {} counts REJECT records of {} into {}, but no CloudWatch alarm watches that metric",
                graph.get(c.filter).id,
                group.label,
                c.metric
            ),
        );
    }
    if candidates.is_empty() {
        return Evaluation::fail(
            fl,
            format!(
                "{} has no metric filter, so rejected traffic is not counted",
                group.label
            ),
        );
    }
    let filters: Vec<usize> = candidates.iter().map(|c| c.filter).collect();
    Evaluation::fail(
        fl,
        format!(
            "no metric filter on {} selects REJECT records (filters found: {})",
            group.label,
            ids(graph, &filters)
        ),
    )
}

/// `None` when the filter is certainly on another log group (the alarms are not looked at then).
fn candidate(graph: &ResourceGraph, alarms: &AlarmIndex, f: usize, group: &Group) -> Option<Candidate> {
    let filter = graph.get(f);
    let on_group = filter_on_group(graph, f, group);
    if on_group == Tri::False {
        return None;
    }
    let rejects = selects_reject(filter.attr("pattern"));
    // A filter that does not select REJECT records breaks the chain: its alarms need no look.
    let FilterAlarms {
        alarmed,
        alarms,
        metric,
    } = if rejects == Tri::False {
        FilterAlarms {
            alarmed: Tri::False,
            alarms: Vec::new(),
            metric: String::from("its metric"),
        }
    } else {
        filter_alarms(graph, alarms, f)
    };
    Some(Candidate {
        filter: f,
        on_group,
        rejects,
        alarmed,
        alarms,
        metric,
    })
}

/// Whether a filter pattern selects REJECT records (and does not exclude them).
fn selects_reject(pattern: &Value) -> Tri {
    let Value::String(p) = pattern else {
        return if pattern.is_unknown() {
            Tri::Unknown
        } else {
            Tri::False
        };
    };
    let mut rest = p.as_str();
    let mut offset = 0;
    while let Some(pos) = rest.find("REJECT") {
        let before = p[..offset + pos].trim_end_matches(['"', '\'', ' ']);
        let negated = before.ends_with("!=") || before.ends_with('-');
        if !negated {
            return Tri::True;
        }
        offset += pos + "REJECT".len();
        rest = &p[offset..];
    }
    Tri::False
}

#[cfg(test)]
mod tests {
    use attest_core::{Resource, Verdict};
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    const PATTERN: &str = "[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes, windowstart, windowend, action=\"REJECT\", flowlogstatus]";

    fn chain(filter_pattern: serde_json::Value, with_alarm: bool) -> Vec<Resource> {
        let mut out = vec![
            res(
                "aws_flow_log.vpc",
                json!({"log_destination_type": "cloud-watch-logs", "log_group_name": unknown()}),
            ),
            res("aws_cloudwatch_log_group.flow", json!({"name": "flow-logs"})),
            res(
                "aws_cloudwatch_log_metric_filter.reject",
                json!({"log_group_name": unknown(), "pattern": filter_pattern,
                       "metric_transformation": [{"name": "Rejected", "namespace": "VPC", "value": "1"}]}),
            ),
        ];
        if with_alarm {
            out.push(res(
                "aws_cloudwatch_metric_alarm.reject",
                json!({"metric_name": "Rejected", "namespace": "VPC"}),
            ));
        }
        out
    }

    fn chain_edges() -> Vec<attest_core::Reference> {
        vec![
            edge(
                "aws_flow_log.vpc",
                "log_group_name",
                "aws_cloudwatch_log_group.flow",
            ),
            edge(
                "aws_cloudwatch_log_metric_filter.reject",
                "log_group_name",
                "aws_cloudwatch_log_group.flow",
            ),
        ]
    }

    #[test]
    fn complete_chain_passes_and_missing_alarm_fails() {
        let g = graph(chain(json!(PATTERN), true), &chain_edges());
        let evals = FlowLogRejectAlarm.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![("aws_flow_log.vpc".into(), Verdict::Pass)]
        );
        assert!(
            evals[0].message.contains("aws_cloudwatch_metric_alarm.reject"),
            "{}",
            evals[0].message
        );

        let g = graph(chain(json!(PATTERN), false), &chain_edges());
        let evals = FlowLogRejectAlarm.check(&g);
        assert_eq!(evals[0].verdict, Verdict::Fail);
        assert!(
            evals[0].message.contains("no CloudWatch alarm"),
            "{}",
            evals[0].message
        );
    }

    #[test]
    fn missing_or_non_reject_filter_fails() {
        let mut resources = chain(json!(PATTERN), true);
        resources.remove(2);
        let g = graph(resources, &chain_edges());
        let evals = FlowLogRejectAlarm.check(&g);
        assert_eq!(evals[0].verdict, Verdict::Fail);
        assert!(
            evals[0].message.contains("has no metric filter"),
            "{}",
            evals[0].message
        );

        let g = graph(chain(json!("{ $.action = \"ACCEPT\" }"), true), &chain_edges());
        let evals = FlowLogRejectAlarm.check(&g);
        assert_eq!(evals[0].verdict, Verdict::Fail);
        assert!(
            evals[0].message.contains("selects REJECT"),
            "{}",
            evals[0].message
        );

        let g = graph(chain(json!("{ $.action != \"REJECT\" }"), true), &chain_edges());
        assert_eq!(FlowLogRejectAlarm.check(&g)[0].verdict, Verdict::Fail);
    }

    #[test]
    fn json_and_plain_patterns_and_concrete_names_match() {
        let g = graph(
            vec![
                res(
                    "aws_flow_log.vpc",
                    json!({"log_destination": "arn:aws:logs:us-east-1:1:log-group:flow-logs:*"}),
                ),
                res(
                    "aws_cloudwatch_log_metric_filter.reject",
                    json!({"log_group_name": "flow-logs", "pattern": "{ $.action = \"REJECT\" }",
                           "metric_transformation": [{"name": "Rejected", "namespace": "VPC"}]}),
                ),
                res(
                    "aws_cloudwatch_metric_alarm.reject",
                    json!({"metric_query": [{"id": "m1", "metric": [{"metric_name": "Rejected", "namespace": "VPC"}]}]}),
                ),
            ],
            &[],
        );
        assert_eq!(FlowLogRejectAlarm.check(&g)[0].verdict, Verdict::Pass);
        assert_eq!(selects_reject(&json!("REJECT").into()), Tri::True);
        assert_eq!(selects_reject(&json!("-REJECT").into()), Tri::False);
        assert_eq!(selects_reject(&Value::Null), Tri::False);
    }

    #[test]
    fn alarm_referencing_the_filter_by_edge_matches() {
        let mut resources = chain(json!(PATTERN), false);
        resources.push(res(
            "aws_cloudwatch_metric_alarm.by_ref",
            json!({"metric_name": unknown(), "namespace": unknown()}),
        ));
        let mut edges = chain_edges();
        edges.push(edge(
            "aws_cloudwatch_metric_alarm.by_ref",
            "metric_name",
            "aws_cloudwatch_log_metric_filter.reject",
        ));
        let g = graph(resources, &edges);
        assert_eq!(FlowLogRejectAlarm.check(&g)[0].verdict, Verdict::Pass);
    }

    #[test]
    fn unknowns_and_out_of_scope_destinations() {
        // Unknown pattern.
        let g = graph(chain(unknown(), true), &chain_edges());
        assert_eq!(FlowLogRejectAlarm.check(&g)[0].verdict, Verdict::Unknown);
        // Unknown alarm metric name.
        let mut resources = chain(json!(PATTERN), false);
        resources.push(res(
            "aws_cloudwatch_metric_alarm.x",
            json!({"metric_name": unknown(), "namespace": "VPC"}),
        ));
        let g = graph(resources, &chain_edges());
        assert_eq!(FlowLogRejectAlarm.check(&g)[0].verdict, Verdict::Unknown);
        // Unknown log group without an edge.
        let g = graph(chain(json!(PATTERN), true), &[]);
        assert_eq!(FlowLogRejectAlarm.check(&g)[0].verdict, Verdict::Unknown);
        // S3 delivery is not judged; an unknown destination type is unknown.
        let g = graph(
            vec![
                res(
                    "aws_flow_log.s3",
                    json!({"log_destination_type": "s3", "log_destination": "arn:aws:s3:::b"}),
                ),
                res("aws_flow_log.what", json!({"log_destination_type": unknown()})),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &FlowLogRejectAlarm.check(&g)),
            vec![("aws_flow_log.what".into(), Verdict::Unknown)]
        );
    }

    #[test]
    fn computed_log_group_name_falls_back_to_log_destination() {
        let mut resources = chain(json!(PATTERN), true);
        resources[0] = res(
            "aws_flow_log.vpc",
            json!({"log_destination_type": "cloud-watch-logs", "log_group_name": unknown(), "log_destination": unknown()}),
        );
        let edges = vec![
            edge(
                "aws_flow_log.vpc",
                "log_destination",
                "aws_cloudwatch_log_group.flow",
            ),
            edge(
                "aws_cloudwatch_log_metric_filter.reject",
                "log_group_name",
                "aws_cloudwatch_log_group.flow",
            ),
        ];
        let g = graph(resources, &edges);
        assert_eq!(FlowLogRejectAlarm.check(&g)[0].verdict, Verdict::Pass);
    }

    #[test]
    fn filter_on_another_group_does_not_count() {
        let mut resources = chain(json!(PATTERN), true);
        resources.push(res("aws_cloudwatch_log_group.other", json!({"name": "other"})));
        let edges = vec![
            edge(
                "aws_flow_log.vpc",
                "log_group_name",
                "aws_cloudwatch_log_group.flow",
            ),
            edge(
                "aws_cloudwatch_log_metric_filter.reject",
                "log_group_name",
                "aws_cloudwatch_log_group.other",
            ),
        ];
        let g = graph(resources, &edges);
        assert_eq!(FlowLogRejectAlarm.check(&g)[0].verdict, Verdict::Fail);
    }
}
