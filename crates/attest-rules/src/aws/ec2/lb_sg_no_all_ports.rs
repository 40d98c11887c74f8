//! `aws-ec2-lb-sg-no-all-ports`: security groups of load balancers do not allow every port.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::ec2::sg_ingress::{check_attached, Consumers, Permission, Scope, Sources, GROUPS};

pub struct LbSgNoAllPorts;

const CONSUMERS: Consumers = Consumers {
    types: &["aws_lb", "aws_alb", "aws_elb"],
    attrs: &["security_groups"],
    noun: "load balancers",
};

static META: RuleMeta = RuleMeta {
    id: "aws-ec2-lb-sg-no-all-ports",
    title: "Security groups of load balancers do not allow every port",
    severity: Severity::High,
    kind: RuleKind::Graph,
    resource_types: GROUPS,
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00102",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

For security groups, attest gathers the ingress it allows: its inline `ingress` blocks and the
`aws_security_group_rule` (type `ingress`) and `aws_vpc_security_group_ingress_rule` resources
attached to it. The group fails when a security group used by a load balancer (`security_groups` of `aws_lb`, `aws_alb`, `aws_elb`, by reference or by id, ARN or name) has an ingress permission that accepts every port (protocol `-1`, or TCP or UDP over the whole port range) from any source. Groups no load balancer uses are not reported; groups a load balancer may use (its list is not known before apply) are `unknown` when they would fail. Protocols, ports or sources only known after apply make the result `unknown`.

## Why it matters

A load balancer only needs its listener ports. A group that opens every port lets the load balancer accept connections for listeners added later by mistake and hides which ports are meant to be public. Restricting ingress to what is needed, from whom it is needed, is the boundary
protection SOC 2 CC6.6 expects.

## How to fix

Replace the broad rule with rules for the ports the workload serves, from the security groups or
address ranges of its clients.

Terraform:

```hcl
resource "aws_vpc_security_group_ingress_rule" "from_clients" {
  security_group_id            = aws_security_group.service.id
  referenced_security_group_id = aws_security_group.clients.id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}
```

CloudFormation:

```yaml
FromClients:
  Type: AWS::EC2::SecurityGroupIngress
  Properties:
    GroupId: !Ref ServiceSecurityGroup
    SourceSecurityGroupId: !Ref ClientSecurityGroup
    IpProtocol: tcp
    FromPort: 443
    ToPort: 443
```

Console: EC2 → Security Groups → choose the group → *Inbound rules* → *Edit inbound rules* →
delete the broad rule and add rules for the needed ports from the clients' security group. CLI:

```sh
aws ec2 revoke-security-group-ingress --group-id sg-0123456789abcdef0 \
  --ip-permissions IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]
aws ec2 authorize-security-group-ingress --group-id sg-0123456789abcdef0 \
  --protocol tcp --port 443 --source-group sg-0fedcba9876543210
```
"#;

impl Rule for LbSgNoAllPorts {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn looks_through(&self) -> &'static [&'static str] {
        CONSUMERS.types
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        let matcher = |p: &Permission| p.all_ports();
        let scope = Scope {
            sources: Sources::Any,
            matches: &matcher,
            what: "every port",
        };
        check_attached(graph, &scope, &CONSUMERS)
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::ec2::sg_ingress::test_support::{graph, ingress, sg};
    use crate::aws::links::test_support::{edge, res, unknown, verdicts};

    fn run(g: &attest_core::ResourceGraph) -> Vec<(String, Verdict)> {
        verdicts(g, &LbSgNoAllPorts.check(g))
    }

    #[test]
    fn only_groups_of_load_balancers_are_judged() {
        let mut by_id = sg(
            "by_id",
            vec![ingress(json!("tcp"), 443, 443, &["0.0.0.0/0"], &[])],
        );
        by_id.attributes = attest_core::Value::from(json!({"id": "sg-2",
            "ingress": [ingress(json!("tcp"), 443, 443, &["0.0.0.0/0"], &[])]}));
        let g = graph(
            vec![
                res(
                    "aws_security_group.wide",
                    json!({"ingress": [{"protocol": "tcp", "from_port": 0,
                    "to_port": 65535, "security_groups": ["sg-1"]}]}),
                ),
                by_id,
                sg("unused", vec![ingress(json!("-1"), 0, 0, &["0.0.0.0/0"], &[])]),
                res("aws_lb.front", json!({"security_groups": [unknown()]})),
                res("aws_elb.classic", json!({"security_groups": ["sg-2"]})),
            ],
            &[edge(
                "aws_lb.front",
                "security_groups.0",
                "aws_security_group.wide",
            )],
        );
        assert_eq!(
            run(&g),
            vec![
                ("aws_security_group.wide".into(), Verdict::Fail),
                ("aws_security_group.by_id".into(), Verdict::Pass),
            ]
        );
    }
}
