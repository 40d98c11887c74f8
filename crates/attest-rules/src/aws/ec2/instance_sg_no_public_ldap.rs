//! `aws-ec2-instance-sg-no-public-ldap`: security groups of EC2 instances do not allow LDAP (port 389) from the internet.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::ec2::sg_ingress::{check_attached, Consumers, Permission, Proto, Scope, Sources, GROUPS};

pub struct InstanceSgNoPublicLdap;

const CONSUMERS: Consumers = Consumers {
    types: &["aws_instance"],
    attrs: &["vpc_security_group_ids", "security_groups"],
    noun: "instances",
};

static META: RuleMeta = RuleMeta {
    id: "aws-ec2-instance-sg-no-public-ldap",
    title: "Security groups of EC2 instances do not allow LDAP (port 389) from the internet",
    severity: Severity::High,
    kind: RuleKind::Graph,
    resource_types: GROUPS,
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00234",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

For security groups, attest gathers the ingress it allows: its inline `ingress` blocks and the
`aws_security_group_rule` (type `ingress`) and `aws_vpc_security_group_ingress_rule` resources
attached to it. The group fails when a security group used by an EC2 instance (`vpc_security_group_ids` or `security_groups` of `aws_instance`, by reference or by id, ARN or name) has an ingress permission that accepts port 389 (LDAP) — TCP or UDP with a port range that includes 389, or all traffic — from `0.0.0.0/0` or `::/0`. Groups no instance uses are not reported; groups an instance may use (its list is not known before apply) are `unknown` when they would fail. Protocols, ports or sources only known after apply make the result `unknown`.

## Why it matters

LDAP is unencrypted by default: an exposed directory leaks its entries and the credentials of every simple bind, invites password guessing against every account, and CLDAP (UDP 389) is abused for amplification attacks. Restricting ingress to what is needed, from whom it is needed, is the boundary
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
  from_port                    = 389
  to_port                      = 389
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
    FromPort: 389
    ToPort: 389
```

Console: EC2 → Security Groups → choose the group → *Inbound rules* → *Edit inbound rules* →
delete the broad rule and add rules for the needed ports from the clients' security group. CLI:

```sh
aws ec2 revoke-security-group-ingress --group-id sg-0123456789abcdef0 \
  --ip-permissions IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]
aws ec2 authorize-security-group-ingress --group-id sg-0123456789abcdef0 \
  --protocol tcp --port 389 --source-group sg-0fedcba9876543210
```
"#;

impl Rule for InstanceSgNoPublicLdap {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn looks_through(&self) -> &'static [&'static str] {
        CONSUMERS.types
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        let matcher = |p: &Permission| p.reaches(389, &[Proto::Tcp, Proto::Udp]);
        let scope = Scope {
            sources: Sources::Internet,
            matches: &matcher,
            what: "TCP or UDP port 389 (LDAP) from 0.0.0.0/0 or ::/0",
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
    use crate::aws::links::test_support::{edge, res, verdicts};

    fn run(g: &attest_core::ResourceGraph) -> Vec<(String, Verdict)> {
        verdicts(g, &InstanceSgNoPublicLdap.check(g))
    }

    #[test]
    fn ldap_open_on_instance_groups_fails() {
        let g = graph(
            vec![
                sg("ldap", vec![ingress(json!("udp"), 389, 389, &["0.0.0.0/0"], &[])]),
                sg(
                    "ldaps",
                    vec![ingress(json!("tcp"), 636, 636, &["0.0.0.0/0"], &[])],
                ),
                sg(
                    "unused",
                    vec![ingress(json!("tcp"), 389, 389, &["0.0.0.0/0"], &[])],
                ),
                res("aws_instance.dc", json!({"security_groups": ["ldap", "ldaps"]})),
            ],
            &[
                edge("aws_instance.dc", "security_groups.0", "aws_security_group.ldap"),
                edge("aws_instance.dc", "security_groups.1", "aws_security_group.ldaps"),
            ],
        );
        assert_eq!(
            run(&g),
            vec![
                ("aws_security_group.ldap".into(), Verdict::Fail),
                ("aws_security_group.ldaps".into(), Verdict::Pass),
            ]
        );
    }
}
