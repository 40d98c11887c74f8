//! `aws-vpc-flow-logging`: every VPC has a flow log that records rejected traffic.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Value};

use crate::aws::links::{ids, managed, RefIndex};
use crate::aws::wording::not_known;

pub struct VpcFlowLogging;

const VPC: &str = "aws_vpc";
const DEFAULT_VPC: &str = "aws_default_vpc";
const FLOW_LOG: &str = "aws_flow_log";

static META: RuleMeta = RuleMeta {
    id: "aws-vpc-flow-logging",
    title: "VPCs have flow logging enabled",
    severity: Severity::Medium,
    kind: RuleKind::Graph,
    resource_types: &[VPC, DEFAULT_VPC],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00054",
        },
        Alias {
            tool: "cis-aws",
            id: "3.7",
        },
        Alias {
            tool: "checkov",
            id: "CKV2_AWS_11",
        },
        Alias {
            tool: "prowler",
            id: "vpc_flow_logs_enabled",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

For every VPC (`aws_vpc` and `aws_default_vpc`), attest looks for an `aws_flow_log` whose
`vpc_id` refers to it, by reference or by the VPC's id. The VPC passes when such a flow log
records rejected traffic (`traffic_type` `ALL` or `REJECT`); a flow log of `ACCEPT` traffic only
does not count. A flow log whose `vpc_id` or `traffic_type` is only known after apply makes the
result `unknown` when no other flow log settles it. Flow logs of subnets or network interfaces
are not counted: they do not cover the whole VPC.

This is CIS AWS Foundations Benchmark v3.0 recommendation 3.7.

## Why it matters

Flow logs are the record of who talked to what inside a VPC. Without them, an investigation
cannot tell which hosts a compromised instance reached, rejected connection attempts (port
scans, blocked exfiltration) go unseen, and anomaly detection such as GuardDuty has less to work
with. SOC 2 CC7.2 expects system components to be monitored for anomalies.

## How to fix

Terraform:

```hcl
resource "aws_flow_log" "main" {
  vpc_id               = aws_vpc.main.id
  traffic_type         = "ALL"
  log_destination_type = "cloud-watch-logs"
  log_destination      = aws_cloudwatch_log_group.flow_logs.arn
  iam_role_arn         = aws_iam_role.flow_logs.arn
}
```

CloudFormation:

```yaml
VpcFlowLog:
  Type: AWS::EC2::FlowLog
  Properties:
    ResourceId: !Ref Vpc
    ResourceType: VPC
    TrafficType: ALL
    LogDestinationType: cloud-watch-logs
    LogGroupName: vpc-flow-logs
    DeliverLogsPermissionArn: !GetAtt FlowLogRole.Arn
```

Console: VPC → Your VPCs → choose the VPC → *Flow logs* → *Create flow log* → filter *All* (or
*Reject*) and a destination. CLI:

```sh
aws ec2 create-flow-logs --resource-type VPC --resource-ids vpc-0123456789abcdef0 \
  --traffic-type ALL --log-destination-type cloud-watch-logs \
  --log-group-name vpc-flow-logs --deliver-logs-permission-arn arn:aws:iam::123456789012:role/flow-logs
```
"#;

/// Whether a flow log records rejected traffic. `traffic_type` is required for VPC flow logs;
/// when absent the flow log is taken to record all traffic.
fn records_rejects(traffic: &Value) -> Tri {
    match traffic {
        Value::Null => Tri::True,
        Value::String(t) => Tri::from(matches!(t.trim().to_ascii_uppercase().as_str(), "ALL" | "REJECT")),
        _ => Tri::Unknown,
    }
}

impl Rule for VpcFlowLogging {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn looks_through(&self) -> &'static [&'static str] {
        &[FLOW_LOG]
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        let logs = managed(graph, &[FLOW_LOG]);
        let vpcs = managed(graph, &[VPC, DEFAULT_VPC]);
        let index = RefIndex::build(graph, &logs, "vpc_id", &vpcs, |r| {
            r.attr("id").as_str().into_iter().collect()
        });
        vpcs.into_iter()
            .map(|v| {
                let mut good = Vec::new();
                let mut accept_only = Vec::new();
                let mut maybe = Vec::new();
                for (l, targets) in index.referrers(v) {
                    let verdict = targets.and(records_rejects(graph.get(l).attr("traffic_type")));
                    match (targets, verdict) {
                        (_, Tri::True) => good.push(l),
                        (Tri::True, Tri::False) => accept_only.push(l),
                        (_, Tri::Unknown) => maybe.push(l),
                        _ => {}
                    }
                }
                if !good.is_empty() {
                    Evaluation::pass(v, format!("flow log {} records its traffic", ids(graph, &good)))
                } else if !maybe.is_empty() {
                    Evaluation::unknown(
                        v,
                        format!(
                            "cannot tell whether flow log {} covers it with rejected traffic: its VPC or traffic \
                             type is {}",
                            ids(graph, &maybe),
                            not_known(graph.get(maybe[0]))
                        ),
                    )
                } else if !accept_only.is_empty() {
                    Evaluation::fail(
                        v,
                        format!(
                            "its flow log {} records accepted traffic only, not rejected traffic",
                            ids(graph, &accept_only)
                        ),
                    )
                } else {
                    Evaluation::fail(v, "no flow log in the scanned configuration records this VPC's traffic")
                }
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
    fn vpcs_need_a_flow_log_of_all_or_rejected_traffic() {
        let g = graph(
            vec![
                res("aws_vpc.by_edge", json!({})),
                res("aws_vpc.by_id", json!({"id": "vpc-1"})),
                res("aws_vpc.none", json!({"id": "vpc-2"})),
                res("aws_vpc.accept", json!({})),
                res("aws_default_vpc.default", json!({})),
                res(
                    "aws_flow_log.a",
                    json!({"vpc_id": unknown(), "traffic_type": "ALL"}),
                ),
                res(
                    "aws_flow_log.b",
                    json!({"vpc_id": "vpc-1", "traffic_type": "REJECT"}),
                ),
                res(
                    "aws_flow_log.c",
                    json!({"vpc_id": unknown(), "traffic_type": "ACCEPT"}),
                ),
                res(
                    "aws_flow_log.d",
                    json!({"vpc_id": unknown(), "traffic_type": unknown()}),
                ),
                res(
                    "aws_flow_log.subnet",
                    json!({"subnet_id": "subnet-1", "traffic_type": "ALL"}),
                ),
            ],
            &[
                edge("aws_flow_log.a", "vpc_id", "aws_vpc.by_edge"),
                edge("aws_flow_log.c", "vpc_id", "aws_vpc.accept"),
                edge("aws_flow_log.d", "vpc_id", "aws_default_vpc.default"),
            ],
        );
        assert_eq!(
            verdicts(&g, &VpcFlowLogging.check(&g)),
            vec![
                ("aws_vpc.by_edge".into(), Verdict::Pass),
                ("aws_vpc.by_id".into(), Verdict::Pass),
                ("aws_vpc.none".into(), Verdict::Fail),
                ("aws_vpc.accept".into(), Verdict::Fail),
                ("aws_default_vpc.default".into(), Verdict::Unknown),
            ]
        );
    }

    #[test]
    fn a_flow_log_whose_vpc_is_unknown_makes_the_vpc_unknown() {
        let g = graph(
            vec![
                res("aws_vpc.main", json!({})),
                res(
                    "aws_flow_log.what",
                    json!({"vpc_id": unknown(), "traffic_type": "ALL"}),
                ),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &VpcFlowLogging.check(&g)),
            vec![("aws_vpc.main".into(), Verdict::Unknown)]
        );
    }
}
