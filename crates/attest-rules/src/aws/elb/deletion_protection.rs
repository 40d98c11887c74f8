//! `aws-lb-deletion-protection`: load balancers have deletion protection enabled.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::flag::Flag;

pub struct LbDeletionProtection;

static META: RuleMeta = RuleMeta {
    id: "aws-lb-deletion-protection",
    title: "Load balancers have deletion protection enabled",
    severity: Severity::Low,
    kind: RuleKind::Resource,
    resource_types: &["aws_lb", "aws_alb"],
    aliases: &[
        Alias {
            tool: "checkov",
            id: "CKV_AWS_150",
        },
        Alias {
            tool: "prowler",
            id: "elbv2_deletion_protection",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_lb` and `aws_alb` (application, network and gateway load balancers) passes when
`enable_deletion_protection = true`. It fails when the attribute is `false` or not written (the
default is `false`), and gives `unknown` when the value is only known after apply. Classic load
balancers (`aws_elb`) have no deletion protection and are not judged.

## Why it matters

Deleting a load balancer takes the service behind it off the network at once, and its DNS name
cannot be recovered: clients and DNS records pointing at it break. Deletion protection makes a
mistaken `terraform destroy`, a renamed resource or a console slip fail until the protection is
turned off in a separate, visible step (SOC 2 A1.2 availability, CC8.1 deliberate change).

## How to fix

Terraform:

```hcl
resource "aws_lb" "app" {
  name                       = "app"
  load_balancer_type         = "application"
  subnets                    = var.public_subnet_ids
  enable_deletion_protection = true
}
```

CloudFormation:

```yaml
AppLoadBalancer:
  Type: AWS::ElasticLoadBalancingV2::LoadBalancer
  Properties:
    Subnets: !Ref PublicSubnetIds
    LoadBalancerAttributes:
      - Key: deletion_protection.enabled
        Value: "true"
```

Console: EC2 → *Load Balancers* → the load balancer → *Attributes* → *Edit* → *Protection* →
turn on *Deletion protection* → *Save changes*. CLI:

```sh
aws elbv2 modify-load-balancer-attributes --load-balancer-arn <arn> \
  --attributes Key=deletion_protection.enabled,Value=true
```
"#;

const FLAG: Flag = Flag {
    attr: "enable_deletion_protection",
    default: false,
    default_by: "ELB applies",
    want: true,
    good: "the load balancer cannot be deleted until protection is turned off",
    bad: "the load balancer can be deleted in one step",
};

impl Rule for LbDeletionProtection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        FLAG.check(graph, META.resource_types)
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown, verdicts};

    #[test]
    fn set_absent_and_unknown() {
        let g = graph(
            vec![
                res("aws_lb.on", json!({"enable_deletion_protection": true})),
                res("aws_alb.off", json!({"enable_deletion_protection": false})),
                res("aws_lb.absent", json!({"load_balancer_type": "network"})),
                res("aws_lb.var", json!({"enable_deletion_protection": unknown()})),
                res("aws_elb.classic", json!({})),
            ],
            &[],
        );
        let mut got = verdicts(&g, &LbDeletionProtection.check(&g));
        got.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            got,
            vec![
                ("aws_alb.off".into(), Verdict::Fail),
                ("aws_lb.absent".into(), Verdict::Fail),
                ("aws_lb.on".into(), Verdict::Pass),
                ("aws_lb.var".into(), Verdict::Unknown),
            ]
        );
    }
}
