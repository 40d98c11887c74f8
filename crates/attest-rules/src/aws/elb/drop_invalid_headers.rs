//! `aws-lb-drop-invalid-headers`: application load balancers drop invalid HTTP header fields.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Value};

use crate::aws::flag::Flag;
use crate::aws::links::managed;
use crate::aws::wording::attr_not_known;

pub struct LbDropInvalidHeaders;

static META: RuleMeta = RuleMeta {
    id: "aws-lb-drop-invalid-headers",
    title: "Application load balancers drop invalid HTTP header fields",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &["aws_lb", "aws_alb"],
    aliases: &[Alias {
        tool: "checkov",
        id: "CKV_AWS_131",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every application load balancer — an `aws_lb` or `aws_alb` whose `load_balancer_type` is
`"application"` or not written (the default) — passes when `drop_invalid_header_fields = true`.
It fails when the attribute is `false` or not written (the default is `false`). Network and
gateway load balancers do not parse HTTP and are not judged. A type or value only known after
apply gives `unknown`.

## Why it matters

HTTP headers whose names break the RFC grammar are a classic vehicle for request smuggling and
header injection: the load balancer and the application behind it can disagree about where a
request ends or which header is which. Dropping such headers at the edge removes that ambiguity
before requests reach the application (SOC 2 CC6.6).

## How to fix

Terraform:

```hcl
resource "aws_lb" "app" {
  name                       = "app"
  load_balancer_type         = "application"
  subnets                    = var.public_subnet_ids
  drop_invalid_header_fields = true
}
```

CloudFormation:

```yaml
AppLoadBalancer:
  Type: AWS::ElasticLoadBalancingV2::LoadBalancer
  Properties:
    Type: application
    Subnets: !Ref PublicSubnetIds
    LoadBalancerAttributes:
      - Key: routing.http.drop_invalid_header_fields.enabled
        Value: "true"
```

Console: EC2 → *Load Balancers* → the load balancer → *Attributes* → *Edit* → *Packet
handling* → turn on *Drop invalid header fields* → *Save changes*. CLI:

```sh
aws elbv2 modify-load-balancer-attributes --load-balancer-arn <arn> \
  --attributes Key=routing.http.drop_invalid_header_fields.enabled,Value=true
```
"#;

const FLAG: Flag = Flag {
    attr: "drop_invalid_header_fields",
    default: false,
    default_by: "ELB applies",
    want: true,
    good: "requests with invalid header fields have them removed",
    bad: "invalid header fields are passed to the targets",
};

impl Rule for LbDropInvalidHeaders {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, META.resource_types)
            .into_iter()
            .filter_map(|i| match graph.get(i).attr("load_balancer_type") {
                Value::Null => Some(FLAG.judge(graph, i)),
                Value::String(t) if t.eq_ignore_ascii_case("application") => Some(FLAG.judge(graph, i)),
                Value::String(_) => None,
                _ => Some(
                    Evaluation::unknown(
                        i,
                        format!(
                            "{}: cannot tell whether this is an application load balancer",
                            attr_not_known(graph.get(i), "load_balancer_type")
                        ),
                    )
                    .at("load_balancer_type"),
                ),
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
    fn application_only_default_and_unknown() {
        let g = graph(
            vec![
                res(
                    "aws_lb.on",
                    json!({"load_balancer_type": "application", "drop_invalid_header_fields": true}),
                ),
                res(
                    "aws_alb.default_type",
                    json!({"drop_invalid_header_fields": true}),
                ),
                res("aws_lb.absent", json!({})),
                res("aws_lb.off", json!({"drop_invalid_header_fields": false})),
                res(
                    "aws_lb.network",
                    json!({"load_balancer_type": "network", "drop_invalid_header_fields": false}),
                ),
                res("aws_lb.type_var", json!({"load_balancer_type": unknown()})),
                res("aws_lb.var", json!({"drop_invalid_header_fields": unknown()})),
            ],
            &[],
        );
        let mut got = verdicts(&g, &LbDropInvalidHeaders.check(&g));
        got.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            got,
            vec![
                ("aws_alb.default_type".into(), Verdict::Pass),
                ("aws_lb.absent".into(), Verdict::Fail),
                ("aws_lb.off".into(), Verdict::Fail),
                ("aws_lb.on".into(), Verdict::Pass),
                ("aws_lb.type_var".into(), Verdict::Unknown),
                ("aws_lb.var".into(), Verdict::Unknown),
            ]
        );
    }
}
