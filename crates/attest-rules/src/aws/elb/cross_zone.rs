//! `aws-elb-cross-zone`: classic load balancers balance across availability zones.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri};

use crate::aws::links::managed;
use crate::aws::wording::attr_not_known;

pub struct ElbCrossZone;

const CLASSIC: &str = "aws_elb";
const ATTR: &str = "cross_zone_load_balancing";

static META: RuleMeta = RuleMeta {
    id: "aws-elb-cross-zone",
    title: "Classic load balancers have cross-zone load balancing enabled",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[CLASSIC],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00043",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every classic `aws_elb` passes when `cross_zone_load_balancing` is `true` — its default in the
AWS provider, so an unset attribute passes — and fails when it is `false`. A value only known
after apply gives `unknown`.

## Why it matters

Without cross-zone load balancing each load balancer node only sends traffic to instances in
its own availability zone. When a zone has fewer healthy instances, they are overloaded while
others idle, and losing instances in one zone degrades service far more than it should.
Spreading load evenly across zones supports the availability commitments of SOC 2 A1.2.

## How to fix

Terraform:

```hcl
resource "aws_elb" "web" {
  # ...
  cross_zone_load_balancing = true
}
```

CloudFormation:

```yaml
WebLoadBalancer:
  Type: AWS::ElasticLoadBalancing::LoadBalancer
  Properties:
    CrossZone: true
```

Console: EC2 → *Load Balancers* → the classic load balancer → *Attributes* → *Edit* →
*Cross-zone load balancing* on. CLI:

```sh
aws elb modify-load-balancer-attributes --load-balancer-name web \
  --load-balancer-attributes '{"CrossZoneLoadBalancing":{"Enabled":true}}'
```
"#;

impl Rule for ElbCrossZone {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, &[CLASSIC])
            .into_iter()
            .map(|i| {
                let value = graph.get(i).attr(ATTR);
                match value.truthy(true) {
                    Tri::True if value.is_null() => {
                        Evaluation::pass(i, "cross-zone load balancing is on (the provider default)")
                    }
                    Tri::True => Evaluation::pass(i, "cross-zone load balancing is on"),
                    Tri::False => Evaluation::fail(
                        i,
                        "cross-zone load balancing is off: each node only serves its own zone's instances",
                    ),
                    Tri::Unknown => {
                        Evaluation::unknown(i, attr_not_known(graph.get(i), "cross_zone_load_balancing"))
                    }
                }
                .at(ATTR)
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
    fn default_on_explicit_off_and_unknown() {
        let g = graph(
            vec![
                res("aws_elb.default", json!({})),
                res("aws_elb.on", json!({"cross_zone_load_balancing": true})),
                res("aws_elb.off", json!({"cross_zone_load_balancing": false})),
                res("aws_elb.var", json!({"cross_zone_load_balancing": unknown()})),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &ElbCrossZone.check(&g)),
            vec![
                ("aws_elb.default".into(), Verdict::Pass),
                ("aws_elb.on".into(), Verdict::Pass),
                ("aws_elb.off".into(), Verdict::Fail),
                ("aws_elb.var".into(), Verdict::Unknown),
            ]
        );
    }
}
