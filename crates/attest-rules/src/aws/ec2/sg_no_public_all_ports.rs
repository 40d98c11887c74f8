//! `aws-ec2-sg-no-public-all-ports`: security groups do not allow every port from the internet.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::ec2::sg_ingress::{check_groups, Permission, Scope, Sources, SUBJECTS};

pub struct SgNoPublicAllPorts;

static META: RuleMeta = RuleMeta {
    id: "aws-ec2-sg-no-public-all-ports",
    title: "Security groups do not allow every port from the internet",
    severity: Severity::High,
    kind: RuleKind::Graph,
    resource_types: SUBJECTS,
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00045",
        },
        Alias {
            tool: "prowler",
            id: "ec2_securitygroup_allow_ingress_from_internet_to_all_ports",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

For every security group (`aws_security_group` and `aws_default_security_group`), attest gathers the ingress it allows: its inline `ingress` blocks and the
`aws_security_group_rule` (type `ingress`) and `aws_vpc_security_group_ingress_rule` resources
attached to it. The group fails when an ingress permission accepts every port from `0.0.0.0/0` or `::/0`: all traffic (protocol `-1`), or TCP or UDP over the whole port range (0 or 1 to 65535).

Rule resources whose security group is not part of the scanned configuration are judged on
their own. Protocols, ports or sources only known after apply make the result `unknown`.

## Why it matters

Opening every port to the internet publishes every service the host runs, including debugging endpoints, databases and administration consoles nobody meant to expose. Restricting ingress to what is needed, from whom it is needed, is the boundary
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

impl Rule for SgNoPublicAllPorts {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        let matcher = |p: &Permission| p.all_ports();
        let scope = Scope {
            sources: Sources::Internet,
            matches: &matcher,
            what: "every port from 0.0.0.0/0 or ::/0",
        };
        check_groups(graph, &scope)
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
        verdicts(g, &SgNoPublicAllPorts.check(g))
    }

    #[test]
    fn all_traffic_or_full_port_ranges_from_the_internet_fail() {
        let g = graph(
            vec![
                sg("all", vec![ingress(json!("-1"), 0, 0, &[], &["::/0"])]),
                sg(
                    "tcp_range",
                    vec![ingress(json!("tcp"), 0, 65535, &["0.0.0.0/0"], &[])],
                ),
                sg(
                    "low_ports",
                    vec![ingress(json!("tcp"), 1, 1024, &["0.0.0.0/0"], &[])],
                ),
                sg(
                    "private",
                    vec![ingress(json!("udp"), 0, 65535, &["10.0.0.0/8"], &[])],
                ),
                sg("by_rule", vec![]),
                res(
                    "aws_security_group_rule.udp",
                    json!({"type": "ingress", "security_group_id": unknown(), "protocol": "udp",
                           "from_port": 1, "to_port": 65535, "cidr_blocks": ["0.0.0.0/0"]}),
                ),
                res(
                    "aws_security_group.what",
                    json!({"ingress": [{"protocol": "tcp", "from_port": 0,
                    "to_port": unknown(), "cidr_blocks": ["0.0.0.0/0"]}]}),
                ),
            ],
            &[edge(
                "aws_security_group_rule.udp",
                "security_group_id",
                "aws_security_group.by_rule",
            )],
        );
        assert_eq!(
            run(&g),
            vec![
                ("aws_security_group.all".into(), Verdict::Fail),
                ("aws_security_group.tcp_range".into(), Verdict::Fail),
                ("aws_security_group.low_ports".into(), Verdict::Pass),
                ("aws_security_group.private".into(), Verdict::Pass),
                ("aws_security_group.by_rule".into(), Verdict::Fail),
                ("aws_security_group.what".into(), Verdict::Unknown),
            ]
        );
    }
}
