//! `aws-elb-access-logs`: load balancers write access logs.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Value};

use crate::aws::links::managed;
use crate::aws::wording::attr_not_known;

pub struct ElbAccessLogs;

const CLASSIC: &str = "aws_elb";
const TYPES: &[&str] = &["aws_elb", "aws_lb", "aws_alb"];

static META: RuleMeta = RuleMeta {
    id: "aws-elb-access-logs",
    title: "Load balancers have access logging enabled",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: TYPES,
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00066",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_91",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_92",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every classic `aws_elb` and every `aws_lb` / `aws_alb` passes when its `access_logs` block
names a bucket and is enabled. The two resources have different defaults, which this rule
follows: in an `aws_elb` block `enabled` defaults to `true`; in an `aws_lb` block it defaults
to `false`, so an `aws_lb` needs `enabled = true`. A load balancer without the block, or with
`enabled = false`, fails. Gateway load balancers (`load_balancer_type = "gateway"`) have no
access logs and are not judged. Values only known after apply give `unknown`.

## Why it matters

Access logs record each request a load balancer handled: client address, latency, request
line, status codes, TLS cipher. They are the evidence for investigating attacks and outages
and a source for anomaly monitoring (SOC 2 CC7.2).

## How to fix

Terraform:

```hcl
resource "aws_lb" "app" {
  # ...
  access_logs {
    bucket  = aws_s3_bucket.lb_logs.id
    prefix  = "app"
    enabled = true
  }
}
```

CloudFormation:

```yaml
AppLoadBalancer:
  Type: AWS::ElasticLoadBalancingV2::LoadBalancer
  Properties:
    LoadBalancerAttributes:
      - Key: access_logs.s3.enabled
        Value: "true"
      - Key: access_logs.s3.bucket
        Value: !Ref LbLogs
```

Console: EC2 → *Load Balancers* → the load balancer → *Attributes* → *Edit* → *Monitoring* →
*Access logs* on, with the S3 location. CLI:

```sh
aws elbv2 modify-load-balancer-attributes --load-balancer-arn <arn> \
  --attributes Key=access_logs.s3.enabled,Value=true Key=access_logs.s3.bucket,Value=my-lb-logs
```
"#;

impl Rule for ElbAccessLogs {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, TYPES)
            .into_iter()
            .filter(|&i| graph.get(i).attr("load_balancer_type").as_str() != Some("gateway"))
            .map(|i| judge(graph, i))
            .collect()
    }
}

fn judge(graph: &ResourceGraph, i: usize) -> Evaluation {
    let lb = graph.get(i);
    let default_enabled = lb.resource_type == CLASSIC;
    let Some(blocks) = lb.attr("access_logs").blocks() else {
        return Evaluation::unknown(i, attr_not_known(graph.get(i), "access_logs")).at("access_logs");
    };
    let Some(block) = blocks.first() else {
        return Evaluation::fail(i, "no access_logs block: requests are not logged").at("access_logs");
    };
    match block.get("enabled").truthy(default_enabled) {
        Tri::False if block.get("enabled").is_null() => Evaluation::fail(
            i,
            "access_logs.enabled is not set and defaults to false for aws_lb: requests are not logged",
        )
        .at("access_logs.enabled"),
        Tri::False => Evaluation::fail(i, "access logging is disabled (access_logs.enabled = false)")
            .at("access_logs.enabled"),
        Tri::Unknown => Evaluation::unknown(i, attr_not_known(graph.get(i), "access_logs.enabled"))
            .at("access_logs.enabled"),
        Tri::True => {
            let referenced = graph.referenced_by_attr(i, "access_logs");
            match block.get("bucket") {
                Value::String(b) if !b.is_empty() => {
                    Evaluation::pass(i, format!("access logs are written to the bucket {b}"))
                        .at("access_logs")
                }
                _ if !referenced.is_empty() => Evaluation::pass(
                    i,
                    format!(
                        "access logs are written to {}",
                        crate::aws::links::ids(graph, &referenced)
                    ),
                )
                .at("access_logs"),
                v if v.contains_unknown() => {
                    Evaluation::unknown(i, attr_not_known(graph.get(i), "access_logs.bucket"))
                        .at("access_logs.bucket")
                }
                _ => Evaluation::fail(i, "access_logs names no bucket").at("access_logs.bucket"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn defaults_differ_between_classic_and_v2() {
        let g = graph(
            vec![
                res(
                    "aws_elb.classic_default",
                    json!({"access_logs": [{"bucket": "logs"}]}),
                ),
                res(
                    "aws_elb.classic_off",
                    json!({"access_logs": [{"bucket": "logs", "enabled": false}]}),
                ),
                res("aws_elb.none", json!({})),
                res("aws_lb.v2_default", json!({"access_logs": [{"bucket": "logs"}]})),
                res(
                    "aws_lb.v2_on",
                    json!({"access_logs": [{"bucket": unknown(), "enabled": true}]}),
                ),
                res(
                    "aws_alb.var",
                    json!({"access_logs": [{"bucket": "logs", "enabled": unknown()}]}),
                ),
                res("aws_lb.gateway", json!({"load_balancer_type": "gateway"})),
                res("aws_s3_bucket.logs", json!({})),
            ],
            &[edge("aws_lb.v2_on", "access_logs.0.bucket", "aws_s3_bucket.logs")],
        );
        assert_eq!(
            verdicts(&g, &ElbAccessLogs.check(&g)),
            vec![
                ("aws_elb.classic_default".into(), Verdict::Pass),
                ("aws_elb.classic_off".into(), Verdict::Fail),
                ("aws_elb.none".into(), Verdict::Fail),
                ("aws_lb.v2_default".into(), Verdict::Fail),
                ("aws_lb.v2_on".into(), Verdict::Pass),
                ("aws_alb.var".into(), Verdict::Unknown),
            ]
        );
    }
}
